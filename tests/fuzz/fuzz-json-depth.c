// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>

#include "exk-api-error.h"
#include "exk-json.h"

/* The guard in front of json-glib, exk_json_validate(): json-glib recurses once per level
 * of nesting and crashes on a deep enough body, so nothing deeper than the limit may reach
 * it. Its verdict is compared with the depth counted over the bytes, and what it lets
 * through with the tree json-glib builds from it.
 *
 * json-glib only gets what the guard accepts without a depth limit: on anything else the
 * guard must refuse at every limit, which is checked without json-glib, and json-glib 1.6
 * leaks on some broken texts (all but one of several top-level values, “{} {}”, and
 * strings cut off by an error), which the leak check would report as ours. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* json-glib 1.6 survives 65,000 levels on an 8 MiB stack and crashes at 200,000: the guard
 * is checked at any depth, json-glib only given this many. */
#define JSON_GLIB_SAFE_DEPTH 4096

/* The most arrays and objects open at once, counting only brackets outside strings; for
 * valid JSON, which is all it is used on. */
static guint
count_depth (const char *data,
             gsize       size)
{
  guint depth = 0, deepest = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if (c == ']' || c == '}')
        depth--;
    }

  return deepest;
}

/* The same depth, from the tree: a value is 0 deep, a container one more than its deepest
 * member. Recursion is fine here: json-glib survived a deeper one to build the tree. */
static guint
tree_depth (JsonNode *node)
{
  guint deepest = 0;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          guint depth = tree_depth (json_array_get_element (array, i));

          deepest = MAX (deepest, depth);
        }

      return deepest + 1;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        {
          guint depth = tree_depth (member);

          deepest = MAX (deepest, depth);
        }

      return deepest + 1;
    }

  return 0;
}

static gboolean
validate (const char *data,
          gsize       size,
          guint       max_depth)
{
  g_autoptr(GError) error = NULL;
  gboolean valid = exk_json_validate (data, size, max_depth, &error);

  /* One INVALID_RESPONSE with a readable message for every refusal, none otherwise. */
  if (valid)
    {
      g_assert_no_error (error);
    }
  else
    {
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }

  return valid;
}

/* What the guard passes, json-glib reads, to a tree no deeper than the bytes say:
 * shallower only when a repeated member name drops a deeper value, as json-glib keeps the
 * last one. */
static void
check_json_glib (const char *data,
                 gsize       size,
                 guint       depth)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);

  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_cmpuint (tree_depth (root), <=, depth);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  gboolean valid = validate (text, size, G_MAXUINT);
  gboolean valid_guarded = validate (text, size, EXK_JSON_MAX_DEPTH);
  guint depth;

  /* A bound on the nesting never accepts what no bound refuses. */
  if (!valid)
    {
      g_assert_false (valid_guarded);
      return 0;
    }

  /* The depth of the bytes alone decides, “at most max_depth open at once”: json-glib
   * recurses into every value it reads, even one a repeated name later replaces. */
  depth = count_depth (text, size);
  g_assert_cmpint (valid_guarded, ==, depth <= EXK_JSON_MAX_DEPTH);
  g_assert_true (validate (text, size, depth));
  if (depth > 0)
    g_assert_false (validate (text, size, depth - 1));

  if (depth <= JSON_GLIB_SAFE_DEPTH)
    check_json_glib (text, size, depth);

  return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"

static gboolean
set_wrong_type (GError     **error,
                const char  *what,
                const char  *member,
                const char  *expected)
{
  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
               /* Translators: “The server sent an invalid project: “name” should be a string” */
               _("The server sent an invalid %s: “%s” should be %s"),
               what, member, expected);
  return FALSE;
}

/* Returns the member's node, or NULL when it is missing or null. */
static gboolean
lookup (JsonObject       *object,
        const char       *what,
        const char       *member,
        ExkJsonPresence   presence,
        JsonNode        **node,
        GError          **error)
{
  *node = json_object_get_member (object, member);

  if (*node != NULL && JSON_NODE_HOLDS_NULL (*node))
    *node = NULL;

  if (*node == NULL && presence == EXK_JSON_REQUIRED)
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: “The server sent an invalid project: “id” is missing” */
                   _("The server sent an invalid %s: “%s” is missing"),
                   what, member);
      return FALSE;
    }

  return TRUE;
}

static gboolean
holds_value_type (JsonNode *node,
                  GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/**
 * exk_json_parse_bytes:
 * @bytes: a response body
 * @error: return location for an error
 *
 * Returns: (transfer full): the root node, never a JSON null
 */
JsonNode *
exk_json_parse_bytes (GBytes  *bytes,
                      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *root;

  data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (size == 0)
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an empty answer where data was expected. "
                             "Check that the address points to an Exceptionless server."));
      return NULL;
    }

  if (!g_utf8_validate (data, size, NULL))
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an answer that is not valid text."));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   _("The server sent an answer that is not valid JSON (%s). Check that the "
                     "address points to an Exceptionless server."),
                   local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an empty answer where data was expected. "
                             "Check that the address points to an Exceptionless server."));
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * exk_json_node_get_object:
 *
 * Returns: (transfer none): the object held by @node
 */
JsonObject *
exk_json_node_get_object (JsonNode    *node,
                          const char  *what,
                          GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: “The server sent an invalid project: it should be an object” */
                   _("The server sent an invalid %s: it should be an object"),
                   what);
      return NULL;
    }

  return json_node_get_object (node);
}

/**
 * exk_json_node_get_array:
 *
 * Returns: (transfer none): the array held by @node
 */
JsonArray *
exk_json_node_get_array (JsonNode    *node,
                         const char  *what,
                         GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: “The server sent an invalid list of projects: it should be
                    * an array” */
                   _("The server sent an invalid %s: it should be an array"),
                   what);
      return NULL;
    }

  return json_node_get_array (node);
}

gboolean
exk_json_read_string (JsonObject       *object,
                      const char       *what,
                      const char       *member,
                      ExkJsonPresence   presence,
                      char            **out,
                      GError          **error)
{
  JsonNode *node;

  *out = NULL;

  if (!lookup (object, what, member, presence, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!holds_value_type (node, G_TYPE_STRING))
    return set_wrong_type (error, what, member, _("a string"));

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
exk_json_read_boolean (JsonObject       *object,
                       const char       *what,
                       const char       *member,
                       ExkJsonPresence   presence,
                       gboolean         *out,
                       GError          **error)
{
  JsonNode *node;

  *out = FALSE;

  if (!lookup (object, what, member, presence, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!holds_value_type (node, G_TYPE_BOOLEAN))
    return set_wrong_type (error, what, member, _("true or false"));

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
exk_json_read_int64 (JsonObject       *object,
                     const char       *what,
                     const char       *member,
                     ExkJsonPresence   presence,
                     gint64           *out,
                     GError          **error)
{
  JsonNode *node;

  *out = 0;

  if (!lookup (object, what, member, presence, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (holds_value_type (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }

  /* Some serializers write whole numbers as 12.0. */
  if (holds_value_type (node, G_TYPE_DOUBLE))
    {
      double value = json_node_get_double (node);

      if (value >= (double) G_MININT64 && value < (double) G_MAXINT64 &&
          value == (double) (gint64) value)
        {
          *out = (gint64) value;
          return TRUE;
        }
    }

  return set_wrong_type (error, what, member, _("a whole number"));
}

gboolean
exk_json_read_strv (JsonObject       *object,
                    const char       *what,
                    const char       *member,
                    ExkJsonPresence   presence,
                    char           ***out,
                    GError          **error)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  JsonNode *node;
  guint n;

  *out = NULL;

  if (!lookup (object, what, member, presence, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out = g_new0 (char *, 1);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_wrong_type (error, what, member, _("a list of strings"));

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  builder = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!holds_value_type (element, G_TYPE_STRING))
        return set_wrong_type (error, what, member, _("a list of strings"));

      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
exk_json_read_date (JsonObject       *object,
                    const char       *what,
                    const char       *member,
                    ExkJsonPresence   presence,
                    GDateTime       **out,
                    GError          **error)
{
  JsonNode *node;

  *out = NULL;

  if (!lookup (object, what, member, presence, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (holds_value_type (node, G_TYPE_STRING))
    *out = exk_json_parse_date (json_node_get_string (node));

  if (*out == NULL)
    return set_wrong_type (error, what, member, _("a date"));

  return TRUE;
}

static gboolean
read_digits (const char **p,
             guint        count,
             int         *value)
{
  *value = 0;

  for (guint i = 0; i < count; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      *value = *value * 10 + g_ascii_digit_value ((*p)[i]);
    }

  *p += count;
  return TRUE;
}

static gboolean
expect_char (const char **p,
             char         c)
{
  if (**p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

/**
 * exk_json_parse_date:
 * @text: a date such as `2016-01-11T20:05:59.7185672` or `2026-05-22T14:30:00+02:00`
 *
 * Parses the ISO-8601 dates the server writes: any number of fraction digits (precision
 * stops at microseconds), an optional `Z` or `±hh:mm` offset. A missing offset means UTC,
 * which is what the server stores.
 *
 * Returns: (transfer full) (nullable): the date, or %NULL if @text is not one
 */
GDateTime *
exk_json_parse_date (const char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) whole = NULL;
  const char *p = text;
  int year, month, day, hour, minute, second;
  gint64 usec = 0;

  if (text == NULL)
    return NULL;

  if (!read_digits (&p, 4, &year) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &month) || !expect_char (&p, '-') ||
      !read_digits (&p, 2, &day))
    return NULL;

  if (*p != 'T' && *p != 't' && *p != ' ')
    return NULL;
  p++;

  if (!read_digits (&p, 2, &hour) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &minute) || !expect_char (&p, ':') ||
      !read_digits (&p, 2, &second))
    return NULL;

  if (*p == '.' || *p == ',')
    {
      gint64 scale = G_USEC_PER_SEC;
      guint digits = 0;

      p++;
      for (; g_ascii_isdigit (*p); p++, digits++)
        {
          scale /= 10;
          usec += scale * g_ascii_digit_value (*p);
        }

      if (digits == 0)
        return NULL;
    }

  if (*p == '\0')
    tz = g_time_zone_new_utc ();
  else if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
    tz = g_time_zone_new_utc ();
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int offset_hours, offset_minutes;

      p++;
      if (!read_digits (&p, 2, &offset_hours))
        return NULL;
      expect_char (&p, ':');
      if (!read_digits (&p, 2, &offset_minutes) || *p != '\0' ||
          offset_hours > 23 || offset_minutes > 59)
        return NULL;

      tz = g_time_zone_new_offset (sign * (offset_hours * 3600 + offset_minutes * 60));
    }
  else
    return NULL;

  if (tz == NULL || second > 59)
    return NULL;

  /* Whole seconds first: a double seconds argument could round the microseconds. */
  whole = g_date_time_new (tz, year, month, day, hour, minute, second);
  if (whole == NULL)
    return NULL;

  return g_date_time_add (whole, usec);
}

/**
 * exk_json_format_date:
 * @date: a date
 *
 * Returns: (transfer full): @date in UTC as ISO-8601 with a `Z`, as the server expects
 */
char *
exk_json_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;
  int usec;

  g_return_val_if_fail (date != NULL, NULL);

  utc = g_date_time_to_utc (date);
  seconds = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  usec = g_date_time_get_microsecond (utc);

  if (usec == 0)
    return g_strdup_printf ("%sZ", seconds);

  return g_strdup_printf ("%s.%06dZ", seconds, usec);
}

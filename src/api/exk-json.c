// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"

/* Why exk_json_validate() refused a body; each has its own message. */
typedef enum
{
  PROBLEM_NONE,
  PROBLEM_EMPTY,
  PROBLEM_CUT_OFF,
  PROBLEM_SYNTAX,
  PROBLEM_TRAILING,
  PROBLEM_TOO_DEEP,
  PROBLEM_NUL,
  PROBLEM_SURROGATE,
  PROBLEM_TOO_LARGE,
  PROBLEM_NOT_TEXT,
} Problem;

/* What may come next in the JSON grammar. */
typedef enum
{
  EXPECT_VALUE,
  EXPECT_VALUE_OR_CLOSE,
  EXPECT_KEY,
  EXPECT_KEY_OR_CLOSE,
  EXPECT_COLON,
  EXPECT_COMMA_OR_CLOSE,
  EXPECT_END,
} Expect;

/* What a member of an answer should have held: each has its own whole sentence. */
typedef enum
{
  EXPECTED_STRING,
  EXPECTED_BOOLEAN,
  EXPECTED_WHOLE_NUMBER,
  EXPECTED_STRING_LIST,
  EXPECTED_DATE,
} Expected;

/* A strict JSON checker that keeps its own stack instead of recursing, so that no input
 * can exhaust the C stack: it looks at every byte once. */
typedef struct
{
  const guchar *data;
  gsize         size;
  gsize         pos;
  guint         max_depth;
  GByteArray   *open;
  Expect        expect;
} Scanner;

static gboolean
at_end (const Scanner *s)
{
  return s->pos >= s->size;
}

static void
skip_whitespace (Scanner *s)
{
  while (!at_end (s) && (s->data[s->pos] == ' ' || s->data[s->pos] == '\t' ||
                         s->data[s->pos] == '\n' || s->data[s->pos] == '\r'))
    s->pos++;
}

/* A truncated body ends where a token could still go on; any other body is broken. */
static Problem
cut_off_or (const Scanner *s,
            Problem        problem)
{
  return at_end (s) ? PROBLEM_CUT_OFF : problem;
}

static Problem
scan_hex4 (Scanner  *s,
           gunichar *out)
{
  *out = 0;

  for (guint i = 0; i < 4; i++)
    {
      if (at_end (s) || !g_ascii_isxdigit (s->data[s->pos]))
        return cut_off_or (s, PROBLEM_SYNTAX);
      *out = *out * 16 + g_ascii_xdigit_value (s->data[s->pos]);
      s->pos++;
    }

  return PROBLEM_NONE;
}

/* json-glib hands out C strings, so a \u0000 would silently cut a value (or turn the key
 * "id\u0000x" into a second "id"), and it writes a lone surrogate half as invalid UTF-8. */
static Problem
scan_unicode_escape (Scanner  *s,
                     gboolean *want_low)
{
  gboolean is_high, is_low;
  gunichar c;
  Problem problem;

  problem = scan_hex4 (s, &c);
  if (problem != PROBLEM_NONE)
    return problem;

  if (c == 0)
    return PROBLEM_NUL;

  is_high = c >= 0xd800 && c <= 0xdbff;
  is_low = c >= 0xdc00 && c <= 0xdfff;
  if (is_low != *want_low)
    return PROBLEM_SURROGATE;

  *want_low = is_high;
  return PROBLEM_NONE;
}

/* @s is just after a backslash. */
static Problem
scan_escape (Scanner  *s,
             gboolean *want_low)
{
  guchar c;

  if (at_end (s))
    return PROBLEM_CUT_OFF;

  c = s->data[s->pos];
  if (c == 'u')
    {
      s->pos++;
      return scan_unicode_escape (s, want_low);
    }

  if (*want_low)
    return PROBLEM_SURROGATE;
  /* The body may hold NUL bytes, and strchr() finds its own terminator. */
  if (c == '\0' || strchr ("\"\\/bfnrt", c) == NULL)
    return PROBLEM_SYNTAX;

  s->pos++;
  return PROBLEM_NONE;
}

/* Skips a string, escaped quotes and backslashes included, so that brackets inside it
 * do not count. Bytes above 0x7f are left to the UTF-8 check. */
static Problem
scan_string (Scanner *s)
{
  gboolean want_low = FALSE;

  s->pos++;

  while (!at_end (s))
    {
      guchar c = s->data[s->pos];

      if (want_low && c != '\\')
        return PROBLEM_SURROGATE;
      if (c < 0x20)
        return PROBLEM_SYNTAX;

      s->pos++;

      if (c == '"')
        return PROBLEM_NONE;

      if (c == '\\')
        {
          Problem problem = scan_escape (s, &want_low);

          if (problem != PROBLEM_NONE)
            return problem;
        }
    }

  return PROBLEM_CUT_OFF;
}

static gsize
skip_digits (Scanner *s)
{
  gsize start = s->pos;

  while (!at_end (s) && g_ascii_isdigit (s->data[s->pos]))
    s->pos++;

  return s->pos - start;
}

/* json-glib wraps integers outside gint64 around (2^63 reads as -2^63) instead of failing. */
static gboolean
fits_int64 (const guchar *digits,
            gsize         n_digits,
            gboolean      negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";

  if (n_digits != strlen (limit))
    return n_digits < strlen (limit);

  return memcmp (digits, limit, n_digits) <= 0;
}

/* An optional fraction or exponent: a dot or an e, then at least one digit. */
static Problem
scan_number_part (Scanner    *s,
                  const char *introducers,
                  gboolean   *found)
{
  if (at_end (s) || s->data[s->pos] == '\0' || strchr (introducers, s->data[s->pos]) == NULL)
    return PROBLEM_NONE;

  s->pos++;
  *found = TRUE;

  if (introducers[0] == 'e' && !at_end (s) && (s->data[s->pos] == '+' || s->data[s->pos] == '-'))
    s->pos++;

  if (skip_digits (s) == 0)
    return cut_off_or (s, PROBLEM_SYNTAX);

  return PROBLEM_NONE;
}

static Problem
scan_number (Scanner *s)
{
  gsize start = s->pos;
  gboolean negative = s->data[s->pos] == '-';
  gboolean is_fraction = FALSE;
  gsize int_start, n_digits;
  Problem problem;

  if (negative)
    s->pos++;

  int_start = s->pos;
  n_digits = skip_digits (s);
  if (n_digits == 0)
    return cut_off_or (s, PROBLEM_SYNTAX);

  if (n_digits > 1 && s->data[int_start] == '0')
    {
      s->pos = int_start + 1;
      return PROBLEM_SYNTAX;
    }

  if ((problem = scan_number_part (s, ".", &is_fraction)) != PROBLEM_NONE ||
      (problem = scan_number_part (s, "eE", &is_fraction)) != PROBLEM_NONE)
    return problem;

  if (!is_fraction && !fits_int64 (s->data + int_start, n_digits, negative))
    {
      s->pos = start;
      return PROBLEM_TOO_LARGE;
    }

  return PROBLEM_NONE;
}

static Problem
scan_literal (Scanner    *s,
              const char *word)
{
  for (const char *p = word; *p != '\0'; p++)
    {
      if (at_end (s) || s->data[s->pos] != (guchar) *p)
        return cut_off_or (s, PROBLEM_SYNTAX);
      s->pos++;
    }

  return PROBLEM_NONE;
}

static void
after_value (Scanner *s)
{
  s->expect = s->open->len == 0 ? EXPECT_END : EXPECT_COMMA_OR_CLOSE;
}

static Problem
open_container (Scanner *s,
                guchar   bracket)
{
  if (s->open->len >= s->max_depth)
    return PROBLEM_TOO_DEEP;

  g_byte_array_append (s->open, &bracket, 1);
  s->pos++;
  s->expect = bracket == '[' ? EXPECT_VALUE_OR_CLOSE : EXPECT_KEY_OR_CLOSE;
  return PROBLEM_NONE;
}

static Problem
close_container (Scanner *s,
                 guchar   bracket)
{
  guchar opening = bracket == ']' ? '[' : '{';

  if (s->open->len == 0 || s->open->data[s->open->len - 1] != opening)
    return PROBLEM_SYNTAX;

  g_byte_array_set_size (s->open, s->open->len - 1);
  s->pos++;
  after_value (s);
  return PROBLEM_NONE;
}

static Problem
scan_value (Scanner *s)
{
  guchar c = s->data[s->pos];
  Problem problem;

  if (c == '[' || c == '{')
    return open_container (s, c);

  if (c == '"')
    problem = scan_string (s);
  else if (c == '-' || g_ascii_isdigit (c))
    problem = scan_number (s);
  else if (c == 't')
    problem = scan_literal (s, "true");
  else if (c == 'f')
    problem = scan_literal (s, "false");
  else if (c == 'n')
    problem = scan_literal (s, "null");
  else
    problem = PROBLEM_SYNTAX;

  if (problem == PROBLEM_NONE)
    after_value (s);

  return problem;
}

static Problem
scan_after_value (Scanner *s)
{
  guchar c = s->data[s->pos];

  if (c == ']' || c == '}')
    return close_container (s, c);
  if (c != ',')
    return PROBLEM_SYNTAX;

  s->pos++;
  s->expect = s->open->data[s->open->len - 1] == '{' ? EXPECT_KEY : EXPECT_VALUE;
  return PROBLEM_NONE;
}

/* @s is on the next byte that is not whitespace. */
static Problem
scan_token (Scanner *s)
{
  guchar c = s->data[s->pos];

  switch (s->expect)
    {
    case EXPECT_VALUE_OR_CLOSE:
      if (c == ']')
        return close_container (s, c);
      return scan_value (s);

    case EXPECT_VALUE:
      return scan_value (s);

    case EXPECT_KEY_OR_CLOSE:
      if (c == '}')
        return close_container (s, c);
      G_GNUC_FALLTHROUGH;

    case EXPECT_KEY:
      if (c != '"')
        return PROBLEM_SYNTAX;
      s->expect = EXPECT_COLON;
      return scan_string (s);

    case EXPECT_COLON:
      if (c != ':')
        return PROBLEM_SYNTAX;
      s->pos++;
      s->expect = EXPECT_VALUE;
      return PROBLEM_NONE;

    case EXPECT_COMMA_OR_CLOSE:
      return scan_after_value (s);

    case EXPECT_END:
    default:
      return PROBLEM_TRAILING;
    }
}

static Problem
scan (Scanner *s)
{
  for (;;)
    {
      Problem problem;

      skip_whitespace (s);
      if (at_end (s))
        break;

      problem = scan_token (s);
      if (problem != PROBLEM_NONE)
        return problem;
    }

  if (s->expect == EXPECT_END)
    return PROBLEM_NONE;
  if (s->expect == EXPECT_VALUE && s->open->len == 0)
    return PROBLEM_EMPTY;

  return PROBLEM_CUT_OFF;
}

/* json-glib's own message, already translated by json-glib, is only a detail. */
static void
set_not_json (GError     **error,
              const char  *detail)
{
  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
               /* Translators: the detail is json-glib's own message, e.g. “<data>:1:1: Parse
                * error: unexpected character `<'” */
               _("The server sent an answer that is not valid JSON (%s). Check that the "
                 "address points to an Exceptionless server."),
               detail);
}

static void
set_syntax_error (GError        **error,
                  const Scanner  *s)
{
  g_autofree char *byte = g_strdup_printf ("%" G_GSIZE_FORMAT, s->pos + 1);

  if (!at_end (s) && g_ascii_isgraph (s->data[s->pos]))
    g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                 /* Translators: %1$c is the character the server sent, e.g. “<”; %2$s is
                  * the position of that byte in the answer, e.g. “1” */
                 _("The server sent an answer that is not valid JSON (unexpected “%1$c” at "
                   "byte %2$s). Check that the address points to an Exceptionless server."),
                 s->data[s->pos], byte);
  else
    g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                 /* Translators: %s is the position of a byte in the answer, e.g. “1” */
                 _("The server sent an answer that is not valid JSON (unexpected character at "
                   "byte %s). Check that the address points to an Exceptionless server."),
                 byte);
}

/* json-glib itself reads the first value and ignores what follows it. */
static void
set_trailing_error (GError        **error,
                    const Scanner  *s)
{
  g_autofree char *byte = g_strdup_printf ("%" G_GSIZE_FORMAT, s->pos + 1);

  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
               /* Translators: %s is the position of a byte in the answer, e.g. “12” */
               _("The server sent an answer that is not valid JSON (more data after its end, "
                 "at byte %s). Check that the address points to an Exceptionless server."),
               byte);
}

static void
set_problem (GError        **error,
             Problem         problem,
             const Scanner  *s)
{
  switch (problem)
    {
    case PROBLEM_EMPTY:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an empty answer where data was expected. "
                             "Check that the address points to an Exceptionless server."));
      break;

    case PROBLEM_NOT_TEXT:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an answer that is not valid text."));
      break;

    case PROBLEM_CUT_OFF:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server’s answer was cut off. Check the connection and try "
                             "again."));
      break;

    case PROBLEM_SYNTAX:
      set_syntax_error (error, s);
      break;

    case PROBLEM_TRAILING:
      set_trailing_error (error, s);
      break;

    case PROBLEM_TOO_DEEP:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   _("The server sent an answer that is not what Exceptionless sends: it is "
                     "nested more than %u levels deep"),
                   s->max_depth);
      break;

    case PROBLEM_NUL:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an answer that is not what Exceptionless sends: "
                             "a text in it contains a null character"));
      break;

    case PROBLEM_SURROGATE:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an answer that is not what Exceptionless sends: "
                             "a text in it contains a broken Unicode escape"));
      break;

    case PROBLEM_TOO_LARGE:
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an answer that is not what Exceptionless sends: "
                             "a number in it is too large"));
      break;

    case PROBLEM_NONE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
set_wrong_type (GError     **error,
                const char  *what,
                const char  *member,
                Expected     expected)
{
  /* The kind of object is for developers; people get one whole sentence. */
  g_debug ("Invalid %s from the server: wrong type for “%s”", what, member);

  switch (expected)
    {
    case EXPECTED_STRING:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “name” */
                   _("The server sent an invalid answer: “%s” should be a string"), member);
      break;

    case EXPECTED_BOOLEAN:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “is_disabled” */
                   _("The server sent an invalid answer: “%s” should be true or false"),
                   member);
      break;

    case EXPECTED_WHOLE_NUMBER:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “event_count” */
                   _("The server sent an invalid answer: “%s” should be a whole number"),
                   member);
      break;

    case EXPECTED_STRING_LIST:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “scopes” */
                   _("The server sent an invalid answer: “%s” should be a list of strings"),
                   member);
      break;

    case EXPECTED_DATE:
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “expires_utc” */
                   _("The server sent an invalid answer: “%s” should be a date"), member);
      break;

    default:
      g_assert_not_reached ();
    }

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
      g_debug ("Invalid %s from the server: “%s” is missing", what, member);
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “id” */
                   _("The server sent an invalid answer: “%s” is missing"), member);
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

static gboolean
is_id (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        return FALSE;
    }

  return TRUE;
}

/* Ids go into request paths and are compared with each other. The contract's ObjectIds
 * (24 hex digits) and key ids (40 letters and digits) are not checked as such, since test
 * servers and older versions use others, but no server makes an empty id or one with
 * spaces or control characters. */
static gboolean
check_id (const char  *what,
          const char  *member,
          const char  *id,
          GError     **error)
{
  if (*id == '\0')
    {
      g_debug ("Invalid %s from the server: “%s” is empty", what, member);
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “id” */
                   _("The server sent an invalid answer: “%s” is empty"), member);
      return FALSE;
    }

  if (!is_id (id))
    {
      g_debug ("Invalid %s from the server: “%s” is not an id", what, member);
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is the name of a JSON member, e.g. “organization_id”;
                    * an id is what the server names an object by */
                   _("The server sent an invalid answer: “%s” is not an id"), member);
      return FALSE;
    }

  return TRUE;
}

/**
 * exk_json_validate:
 * @data: (array length=size) (nullable): a response body
 * @size: the length of @data
 * @max_depth: how many arrays and objects may be open at once
 * @error: return location for an %EXK_API_ERROR_INVALID_RESPONSE
 *
 * Checks, in one pass and without recursing, that @data is one strict JSON value (RFC 8259)
 * in UTF-8 that json-glib can be trusted with: nested at most @max_depth deep (json-glib
 * recurses once per level and crashes on a deep enough body), nothing but whitespace after
 * it, no `\u0000` and no unpaired surrogate in a string, no integer outside #gint64.
 * A body that could be the start of such a value is reported as cut off, not as invalid.
 * Safe on any bytes, so that a fuzzer can call it.
 *
 * Returns: whether @data may be handed to json-glib
 */
gboolean
exk_json_validate (const char  *data,
                   gsize        size,
                   guint        max_depth,
                   GError     **error)
{
  g_autoptr(GByteArray) open = g_byte_array_new ();
  Scanner s = { (const guchar *) data, size, 0, max_depth, open, EXPECT_VALUE };
  Problem problem;

  g_return_val_if_fail (data != NULL || size == 0, FALSE);

  problem = scan (&s);
  if (problem == PROBLEM_NONE && !g_utf8_validate (data, size, NULL))
    problem = PROBLEM_NOT_TEXT;

  if (problem != PROBLEM_NONE)
    {
      set_problem (error, problem, &s);
      return FALSE;
    }

  return TRUE;
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

  if (!exk_json_validate (data, size, EXK_JSON_MAX_DEPTH, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, &local_error))
    {
      set_not_json (error, local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_HOLDS_NULL (root))
    {
      set_problem (error, PROBLEM_EMPTY, NULL);
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
      g_debug ("Invalid %s from the server: not an object", what);
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an invalid answer: an object was expected"));
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
      g_debug ("Invalid %s from the server: not an array", what);
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server sent an invalid answer: a list was expected"));
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
    return set_wrong_type (error, what, member, EXPECTED_STRING);

  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/**
 * exk_json_read_id:
 *
 * Like exk_json_read_string(), for a member that holds an id: it must not be empty or
 * contain spaces or control characters.
 */
gboolean
exk_json_read_id (JsonObject       *object,
                  const char       *what,
                  const char       *member,
                  ExkJsonPresence   presence,
                  char            **out,
                  GError          **error)
{
  if (!exk_json_read_string (object, what, member, presence, out, error))
    return FALSE;

  if (*out != NULL && !check_id (what, member, *out, error))
    {
      g_clear_pointer (out, g_free);
      return FALSE;
    }

  return TRUE;
}

/**
 * exk_json_read_ids:
 *
 * Like exk_json_read_strv(), for a list of ids; see exk_json_read_id().
 */
gboolean
exk_json_read_ids (JsonObject       *object,
                   const char       *what,
                   const char       *member,
                   ExkJsonPresence   presence,
                   char           ***out,
                   GError          **error)
{
  if (!exk_json_read_strv (object, what, member, presence, out, error))
    return FALSE;

  for (guint i = 0; (*out)[i] != NULL; i++)
    {
      if (!check_id (what, member, (*out)[i], error))
        {
          g_clear_pointer (out, g_strfreev);
          return FALSE;
        }
    }

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
    return set_wrong_type (error, what, member, EXPECTED_BOOLEAN);

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

  return set_wrong_type (error, what, member, EXPECTED_WHOLE_NUMBER);
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
    return set_wrong_type (error, what, member, EXPECTED_STRING_LIST);

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  builder = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!holds_value_type (element, G_TYPE_STRING))
        return set_wrong_type (error, what, member, EXPECTED_STRING_LIST);

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
    return set_wrong_type (error, what, member, EXPECTED_DATE);

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
 * Returns: (transfer full) (nullable): @date in UTC as ISO-8601 with a `Z`, as the server
 *   expects, or %NULL when @date is so close to year 1 or 9999 that UTC is outside them
 */
char *
exk_json_format_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *seconds = NULL;
  int year, month, day, usec;

  g_return_val_if_fail (date != NULL, NULL);

  utc = g_date_time_to_utc (date);
  if (utc == NULL)
    return NULL;

  /* Not g_date_time_format (): its %Y does not pad, and year 224 as “224” is not
   * ISO-8601, for the server nor for exk_json_parse_date(). */
  g_date_time_get_ymd (utc, &year, &month, &day);
  seconds = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                             g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                             g_date_time_get_second (utc));
  usec = g_date_time_get_microsecond (utc);

  if (usec == 0)
    return g_strconcat (seconds, "Z", NULL);

  return g_strdup_printf ("%s.%06dZ", seconds, usec);
}

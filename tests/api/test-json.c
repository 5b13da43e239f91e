// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "exk-api-error.h"
#include "exk-json.h"

static void
test_dates (void)
{
  static const struct {
    const char *input;
    const char *expected_utc;
  } cases[] = {
    { "2026-05-22T14:30:00Z", "2026-05-22T14:30:00.000000" },
    { "2026-05-22T14:30:00", "2026-05-22T14:30:00.000000" },
    { "2026-05-22T14:30:00.123Z", "2026-05-22T14:30:00.123000" },
    { "2026-05-22T14:30:00.123", "2026-05-22T14:30:00.123000" },
    { "2016-01-11T20:05:59.7185672", "2016-01-11T20:05:59.718567" },
    { "2016-01-11T20:05:59.7185672Z", "2016-01-11T20:05:59.718567" },
    { "2016-01-11T20:05:59.9999999Z", "2016-01-11T20:05:59.999999" },
    { "2026-05-22T14:30:00.5+02:00", "2026-05-22T12:30:00.500000" },
    { "2026-05-22T14:30:00-05:30", "2026-05-22T20:00:00.000000" },
    { "2026-05-22T14:30:00+0200", "2026-05-22T12:30:00.000000" },
    { "2026-05-22t14:30:00z", "2026-05-22T14:30:00.000000" },
    { "2026-05-22 14:30:00", "2026-05-22T14:30:00.000000" },
    { "1970-01-01T00:00:00", "1970-01-01T00:00:00.000000" },
    { "9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.999999" },
  };
  static const char * const invalid[] = {
    "", "2026", "2026-05-22", "2026-05-22T14:30", "2026-13-01T00:00:00Z",
    "2026-02-30T00:00:00Z", "2026-05-22T24:00:00Z", "2026-05-22T14:30:60Z",
    "2026-05-22T14:30:00.Z", "2026-05-22T14:30:00ZZ", "2026-05-22T14:30:00+2",
    "2026-05-22T14:30:00+25:00", "2026-05-22T14:30:00 Z", "yesterday", "2026-5-22T14:30:00Z",
    "٢٠٢٦-05-22T14:30:00Z",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = exk_json_parse_date (cases[i].input);
      g_autoptr(GDateTime) utc = NULL;
      g_autofree char *text = NULL;

      g_assert_nonnull (date);
      utc = g_date_time_to_utc (date);
      text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%f");
      g_assert_cmpstr (text, ==, cases[i].expected_utc);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GDateTime) date = exk_json_parse_date (invalid[i]);

      if (date != NULL)
        g_error ("“%s” should not parse", invalid[i]);
    }

  g_assert_null (exk_json_parse_date (NULL));
}

static void
test_format_date (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (2 * 3600);
  g_autoptr(GDateTime) whole = g_date_time_new (tz, 2027, 1, 1, 1, 0, 0);
  g_autoptr(GDateTime) fraction = g_date_time_add (whole, 1500);
  g_autofree char *whole_text = exk_json_format_date (whole);
  g_autofree char *fraction_text = exk_json_format_date (fraction);
  g_autoptr(GDateTime) parsed = exk_json_parse_date (fraction_text);

  g_assert_cmpstr (whole_text, ==, "2026-12-31T23:00:00Z");
  g_assert_cmpstr (fraction_text, ==, "2026-12-31T23:00:00.001500Z");
  g_assert_true (g_date_time_equal (parsed, fraction));
}

/* Every year GDateTime has, written and read back: the server must get four digits. */
static void
test_format_date_years (void)
{
  static const struct {
    int year;
    const char *expected;
  } cases[] = {
    { 1, "0001-01-01T00:00:00Z" },
    { 9, "0009-01-01T00:00:00Z" },
    { 224, "0224-01-01T00:00:00Z" },
    { 999, "0999-01-01T00:00:00Z" },
    { 1970, "1970-01-01T00:00:00Z" },
    { 9999, "9999-01-01T00:00:00Z" },
  };
  g_autoptr(GTimeZone) ahead = g_time_zone_new_offset (3600);
  g_autoptr(GDateTime) too_early = g_date_time_new (ahead, 1, 1, 1, 0, 30, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) date = g_date_time_new_utc (cases[i].year, 1, 1, 0, 0, 0);
      g_autofree char *text = exk_json_format_date (date);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  for (int year = 1; year <= 9999; year++)
    {
      g_autoptr(GDateTime) whole = g_date_time_new_utc (year, 1 + year % 12, 1 + year % 28,
                                                        year % 24, year % 60, year % 60);
      g_autoptr(GDateTime) date = g_date_time_add (whole, year % 2 ? 0 : 123 * year);
      g_autofree char *text = exk_json_format_date (date);
      g_autofree char *prefix = g_strdup_printf ("%04d-", year);
      g_autoptr(GDateTime) parsed = exk_json_parse_date (text);

      g_assert_true (g_str_has_prefix (text, prefix));
      if (parsed == NULL || !g_date_time_equal (parsed, date))
        g_error ("“%s” does not read back as the date it was written from", text);
    }

  /* 0001-01-01T00:30+01:00 is still year 0 in UTC, which GDateTime does not have. */
  g_assert_null (exk_json_format_date (too_early));
  g_assert_null (exk_json_parse_date ("0000-12-31T23:30:00Z"));
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_readers (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"s\":\"x\",\"n\":null,\"i\":42,\"d\":3.0,"
                                               "\"f\":2.5,\"b\":true,\"a\":[\"p\",\"q\"],"
                                               "\"o\":{},\"big\":1e300}");
  g_autoptr(GError) error = NULL;
  g_autofree char *string = NULL;
  g_auto(GStrv) strv = NULL;
  gboolean boolean;
  gint64 number;

  g_assert_true (exk_json_read_string (object, "thing", "s", EXK_JSON_REQUIRED, &string, &error));
  g_assert_cmpstr (string, ==, "x");
  g_clear_pointer (&string, g_free);

  /* null and missing are the same: fine when optional, an error when required. */
  g_assert_true (exk_json_read_string (object, "thing", "n", EXK_JSON_OPTIONAL, &string, &error));
  g_assert_null (string);
  g_assert_true (exk_json_read_string (object, "thing", "zz", EXK_JSON_OPTIONAL, &string, &error));
  g_assert_null (string);
  g_assert_false (exk_json_read_string (object, "thing", "n", EXK_JSON_REQUIRED, &string, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "“n”"));
  g_clear_error (&error);

  g_assert_false (exk_json_read_string (object, "thing", "i", EXK_JSON_OPTIONAL, &string, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==,
                   "The server sent an invalid answer: “i” should be a string");
  g_clear_error (&error);

  g_assert_true (exk_json_read_int64 (object, "thing", "i", EXK_JSON_REQUIRED, &number, &error));
  g_assert_cmpint (number, ==, 42);
  g_assert_true (exk_json_read_int64 (object, "thing", "d", EXK_JSON_REQUIRED, &number, &error));
  g_assert_cmpint (number, ==, 3);
  g_assert_false (exk_json_read_int64 (object, "thing", "f", EXK_JSON_REQUIRED, &number, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (exk_json_read_int64 (object, "thing", "big", EXK_JSON_REQUIRED, &number, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
  g_assert_false (exk_json_read_int64 (object, "thing", "s", EXK_JSON_REQUIRED, &number, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_true (exk_json_read_boolean (object, "thing", "b", EXK_JSON_REQUIRED, &boolean, &error));
  g_assert_true (boolean);
  g_assert_false (exk_json_read_boolean (object, "thing", "i", EXK_JSON_REQUIRED, &boolean,
                                         &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  g_assert_true (exk_json_read_strv (object, "thing", "a", EXK_JSON_REQUIRED, &strv, &error));
  g_assert_cmpuint (g_strv_length (strv), ==, 2);
  g_clear_pointer (&strv, g_strfreev);
  g_assert_true (exk_json_read_strv (object, "thing", "zz", EXK_JSON_OPTIONAL, &strv, &error));
  g_assert_nonnull (strv);
  g_assert_cmpuint (g_strv_length (strv), ==, 0);
  g_clear_pointer (&strv, g_strfreev);
  g_assert_false (exk_json_read_strv (object, "thing", "o", EXK_JSON_REQUIRED, &strv, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);
}

static JsonNode *
parse_text (const char  *json,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));

  return exk_json_parse_bytes (bytes, error);
}

static void
assert_refused (const char *data,
                gsize       size,
                const char *expected_start)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (exk_json_validate (data, size, EXK_JSON_MAX_DEPTH, &error))
    g_error ("“%.*s” should be refused", (int) MIN (size, 80), data);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  if (!g_str_has_prefix (error->message, expected_start))
    g_error ("“%.*s”: “%s” should start with “%s”",
             (int) MIN (size, 80), data, error->message, expected_start);

  node = exk_json_parse_bytes (bytes, &parse_error);
  g_assert_null (node);
  g_assert_cmpstr (parse_error->message, ==, error->message);
}

static void
assert_accepted (const char *data,
                 gsize       size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!exk_json_validate (data, size, EXK_JSON_MAX_DEPTH, &error))
    g_error ("“%.*s” should be accepted: %s", (int) MIN (size, 80), data, error->message);

  node = exk_json_parse_bytes (bytes, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static void
test_parse_bytes (void)
{
  static const char * const invalid[] = { "", "null", "{", "<html></html>", "[1,", "\xff\xfe" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (invalid[i], strlen (invalid[i]));
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = exk_json_parse_bytes (bytes, &error);

      g_assert_null (node);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
    }
}

/* @levels containers around @inner, alternately arrays and objects when @mixed. */
static GString *
nest (guint       levels,
      const char *inner,
      gboolean    mixed)
{
  GString *json = g_string_sized_new (levels * 6 + strlen (inner));

  for (guint i = 0; i < levels; i++)
    g_string_append (json, mixed && i % 2 ? "{\"a\":" : "[");
  g_string_append (json, inner);
  for (guint i = levels; i > 0; i--)
    g_string_append_c (json, mixed && (i - 1) % 2 ? '}' : ']');

  return json;
}

static void
test_depth (void)
{
  const char *too_deep = "The server sent an answer that is not what Exceptionless sends: "
                         "it is nested more than 64 levels deep";

  for (guint mixed = FALSE; mixed <= TRUE; mixed++)
    {
      g_autoptr(GString) deepest = nest (EXK_JSON_MAX_DEPTH, "1", mixed);
      g_autoptr(GString) deeper = nest (EXK_JSON_MAX_DEPTH + 1, "1", mixed);
      g_autoptr(GString) empty = nest (EXK_JSON_MAX_DEPTH + 1, "", mixed);

      assert_accepted (deepest->str, deepest->len);
      assert_refused (deeper->str, deeper->len, too_deep);
      assert_refused (empty->str, empty->len, too_deep);
    }

  /* A depth limit of its own, for a caller (or a fuzzer) that wants one. */
  g_assert_true (exk_json_validate ("[[1]]", 5, 2, NULL));
  g_assert_false (exk_json_validate ("[[1]]", 5, 1, NULL));
  g_assert_false (exk_json_validate ("[1]", 3, 0, NULL));
  g_assert_true (exk_json_validate ("1", 1, 0, NULL));
}

/* What crashed json-glib: far too deep, closed or not. Refused at the 65th level, without
 * reading the rest. */
static void
test_depth_huge (void)
{
  static const gsize levels[] = { 100000, 10000000 };

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_autofree char *open = g_malloc (levels[i]);
      g_autoptr(GString) closed = nest (levels[i] / 10, "", FALSE);
      gint64 start = g_get_monotonic_time ();

      memset (open, '[', levels[i]);
      assert_refused (open, levels[i], "The server sent an answer that is not what Exceptionless "
                      "sends: it is nested more than 64 levels deep");
      assert_refused (closed->str, closed->len, "The server sent an answer that is not what "
                      "Exceptionless sends: it is nested more than 64 levels deep");
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }
}

static void
test_depth_strings (void)
{
  g_autoptr(GString) brackets = g_string_new ("\"");
  g_autoptr(GString) in_string = NULL;
  g_autoptr(GString) after_backslash = NULL;
  g_autoptr(GString) deep_after_backslash = NULL;
  g_autoptr(GString) escaped_quote = NULL;

  /* Brackets in strings are text, however many. */
  for (guint i = 0; i < 200; i++)
    g_string_append (brackets, "[{");
  g_string_append_c (brackets, '"');
  in_string = nest (EXK_JSON_MAX_DEPTH, brackets->str, FALSE);
  assert_accepted (in_string->str, in_string->len);

  /* "\"[: the quote after an escaped backslash ends the string, so the [ that follows
   * is a real one; "\"[": an escaped quote does not end it, so the [ is text. */
  after_backslash = nest (EXK_JSON_MAX_DEPTH - 2, "[\"\\\\\",[]]", FALSE);
  assert_accepted (after_backslash->str, after_backslash->len);
  deep_after_backslash = nest (EXK_JSON_MAX_DEPTH - 1, "[\"\\\\\",[]]", FALSE);
  assert_refused (deep_after_backslash->str, deep_after_backslash->len,
                  "The server sent an answer that is not what Exceptionless sends");
  escaped_quote = nest (EXK_JSON_MAX_DEPTH, "\"\\\"[\\\"[{\\\\\"", FALSE);
  assert_accepted (escaped_quote->str, escaped_quote->len);

  /* The same as keys. */
  assert_accepted ("{\"[[\\\"[\":{\"]\\\\\":[]}}", strlen ("{\"[[\\\"[\":{\"]\\\\\":[]}}"));
}

static void
test_cut_off (void)
{
  static const char * const cut_off[] = {
    "{\"id\":\"abc", "[1,2", "{", "[", "{\"id\"", "{\"id\":", "{\"id\": ", "[1,", "[tru", "[fals",
    "[nul", "[-", "[1.", "[1e", "[1e+", "\"\\", "\"\\u00", "[\"\\ud83d", "[{\"a\":[{}", "  [  ",
  };
  g_autofree char *token = NULL;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "token-full.json",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  gsize size;

  for (guint i = 0; i < G_N_ELEMENTS (cut_off); i++)
    assert_refused (cut_off[i], strlen (cut_off[i]), "The server’s answer was cut off.");

  /* A real answer, cut anywhere after its first byte. */
  g_file_get_contents (path, &token, &size, &error);
  g_assert_no_error (error);
  while (size > 0 && g_ascii_isspace (token[size - 1]))
    size--;
  for (gsize i = 1; i < size; i++)
    assert_refused (token, i, "The server’s answer was cut off.");
  assert_accepted (token, size);
}

static void
test_not_json (void)
{
  static const char * const invalid[] = {
    "<html></html>", "'x'", "[01]", "[1.]", "[.5]", "[+1]", "[1,]", "{\"a\":1,}", "{a:1}",
    "[\"\\x41\"]", "[\"\t\"]", "[NaN]", "[truex]", "{\"a\" 1}", "{]", "[}", "// c\n[1]",
    "[\"\\u12\"]",
  };
  static const char * const trailing[] = {
    "[1] [2]", "{\"a\":\"b\"} {\"c\":1}", "{\"a\":1}}", "{\"a\":1} x", "[1]]", "1 2",
    "null x", "{\"a\":1},", "[1]\n<html>",
  };
  static const char * const valid[] = {
    "[1]", " \t\r\n[1] \t\r\n", "{}", "[]", "0", "-0.5e+3", "\"x\"", "true",
    "{\"a\":[null,false,1E2,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\"]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_refused (invalid[i], strlen (invalid[i]),
                    "The server sent an answer that is not valid JSON (unexpected");

  /* json-glib reads the first value and silently drops what follows. */
  for (guint i = 0; i < G_N_ELEMENTS (trailing); i++)
    assert_refused (trailing[i], strlen (trailing[i]),
                    "The server sent an answer that is not valid JSON (more data after its "
                    "end");

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    assert_accepted (valid[i], strlen (valid[i]));

  assert_refused ("[1]\0", 4, "The server sent an answer that is not valid JSON");
  assert_refused ("[\"\xff\"]", 5, "The server sent an answer that is not valid text.");
  assert_refused (" \n", 2, "The server sent an empty answer");
}

/* json-glib gives C strings: \u0000 cut "abc\u0000def" to "abc", and a key "id\u0000x"
 * became a second "id". */
static void
test_nul (void)
{
  static const char * const invalid[] = {
    "{\"id\":\"abc\\u0000def\"}",
    "{\"token\":\"\\u0000\"}",
    "{\"id\\u0000x\":\"evil\",\"id\":\"good\"}",
    "[\"client\",\"\\u0000user\"]",
    "\"\\u0000\"",
  };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_refused (invalid[i], strlen (invalid[i]), "The server sent an answer that is not what "
                    "Exceptionless sends: a text in it contains a null character");

  /* An escaped backslash before “u0000” is just text. */
  node = parse_text ("[\"\\\\u0000\"]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==,
                   "\\u0000");
}

static void
test_unicode_escapes (void)
{
  static const char * const broken[] = {
    "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800x\"]", "[\"\\ud800\\n\"]",
    "[\"\\ud800\\u0041\"]", "[\"\\ude00\\ud83d\"]",
  };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  /* json-glib wrote these as invalid UTF-8. */
  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    assert_refused (broken[i], strlen (broken[i]), "The server sent an answer that is not what "
                    "Exceptionless sends: a text in it contains a broken Unicode escape");

  node = parse_text ("[\"\\ud83d\\ude00\"]", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==, "😀");
}

/* json-glib wraps integers outside gint64 around: 2^63 read as -2^63. */
static void
test_large_numbers (void)
{
  static const char * const too_large[] = {
    "[9223372036854775808]", "[-9223372036854775809]", "[18446744073709551616]",
    "{\"stack_count\":100000000000000000000}",
  };
  const char *doubles = "[1e400, 100000000000000000000.0]";
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  for (guint i = 0; i < G_N_ELEMENTS (too_large); i++)
    assert_refused (too_large[i], strlen (too_large[i]), "The server sent an answer that is not "
                    "what Exceptionless sends: a number in it is too large");

  node = parse_text ("[9223372036854775807,-9223372036854775808]", &error);
  g_assert_no_error (error);
  array = json_node_get_array (node);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, G_MININT64);

  /* Fractions and exponents are doubles, which do not wrap. */
  assert_accepted (doubles, strlen (doubles));
}

static void
test_read_id (void)
{
  g_autoptr(JsonObject) object = parse_object ("{\"id\":\"537650f3b77efe23a47914f4\","
                                               "\"empty\":\"\",\"space\":\"a b\","
                                               "\"tab\":\"a\\tb\",\"control\":\"a\\u0001\","
                                               "\"c1\":\"a\\u0085\",\"trailing\":\"ab\\n\","
                                               "\"ids\":[\"a\",\"b\"],\"bad_ids\":[\"a\",\"\"]}");
  static const char * const bad[] = { "empty", "space", "tab", "control", "c1", "trailing" };
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_auto(GStrv) ids = NULL;

  g_assert_true (exk_json_read_id (object, "thing", "id", EXK_JSON_REQUIRED, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, "537650f3b77efe23a47914f4");
  g_clear_pointer (&id, g_free);

  g_assert_true (exk_json_read_id (object, "thing", "none", EXK_JSON_OPTIONAL, &id, &error));
  g_assert_null (id);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (exk_json_read_id (object, "thing", bad[i], EXK_JSON_OPTIONAL, &id, &error));
      g_assert_null (id);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, bad[i]));
      g_clear_error (&error);
    }

  g_assert_true (exk_json_read_ids (object, "thing", "ids", EXK_JSON_REQUIRED, &ids, &error));
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_clear_pointer (&ids, g_strfreev);
  g_assert_false (exk_json_read_ids (object, "thing", "bad_ids", EXK_JSON_REQUIRED, &ids, &error));
  g_assert_null (ids);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpstr (error->message, ==, "The server sent an invalid answer: “bad_ids” is empty");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/json/dates", test_dates);
  g_test_add_func ("/exkeys/api/json/format-date", test_format_date);
  g_test_add_func ("/exkeys/api/json/format-date-years", test_format_date_years);
  g_test_add_func ("/exkeys/api/json/readers", test_readers);
  g_test_add_func ("/exkeys/api/json/read-id", test_read_id);
  g_test_add_func ("/exkeys/api/json/parse-bytes", test_parse_bytes);
  g_test_add_func ("/exkeys/api/json/depth", test_depth);
  g_test_add_func ("/exkeys/api/json/depth-huge", test_depth_huge);
  g_test_add_func ("/exkeys/api/json/depth-strings", test_depth_strings);
  g_test_add_func ("/exkeys/api/json/cut-off", test_cut_off);
  g_test_add_func ("/exkeys/api/json/not-json", test_not_json);
  g_test_add_func ("/exkeys/api/json/nul", test_nul);
  g_test_add_func ("/exkeys/api/json/unicode-escapes", test_unicode_escapes);
  g_test_add_func ("/exkeys/api/json/large-numbers", test_large_numbers);

  return g_test_run ();
}

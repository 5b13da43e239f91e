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
  g_assert_cmpstr (error->message, ==, "The server sent an invalid thing: “i” should be a string");
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/json/dates", test_dates);
  g_test_add_func ("/exkeys/api/json/format-date", test_format_date);
  g_test_add_func ("/exkeys/api/json/readers", test_readers);
  g_test_add_func ("/exkeys/api/json/parse-bytes", test_parse_bytes);

  return g_test_run ();
}

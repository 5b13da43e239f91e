// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "exk-json.h"

/* exk_json_parse_date() and exk_json_format_date(). The whole input is a date text; its
 * first bytes also pick an instant and an offset, so that formatting is tried on every
 * instant the calendar holds and not only on those the parser accepts.
 *
 * Whatever parses formats to a text that parses back to the same instant and formats to the
 * same text again; and a parsed date has exactly the fields the text wrote. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range of GDateTime. */
#define MIN_UNIX G_GINT64_CONSTANT (-62135596800)
#define MAX_UNIX G_GINT64_CONSTANT (253402300799)

static int
digits_at (const char *text,
           guint       offset,
           guint       count)
{
  int value = 0;

  for (guint i = 0; i < count; i++)
    value = value * 10 + g_ascii_digit_value (text[offset + i]);

  return value;
}

/* The microseconds the fraction after “.” or “,” at @text[19] writes: extra digits are cut
 * off, not rounded, so that a date never moves into the next second. */
static int
fraction_usec (const char *text)
{
  int usec = 0;
  guint i = 0;

  if (text[19] != '.' && text[19] != ',')
    return 0;

  for (const char *p = text + 20; g_ascii_isdigit (*p); p++, i++)
    {
      if (i < 6)
        usec = usec * 10 + g_ascii_digit_value (*p);
    }

  for (; i < 6; i++)
    usec *= 10;

  return usec;
}

/* The offset in seconds that the text after the fraction writes: none, Z, ±hh:mm, ±hhmm. */
static GTimeSpan
text_offset (const char *text)
{
  const char *p = text + 19;
  int sign;

  if (*p == '.' || *p == ',')
    {
      p++;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if (*p != '+' && *p != '-')
    return 0;

  sign = *p == '-' ? -1 : 1;
  p++;

  return sign * (digits_at (p, 0, 2) * G_TIME_SPAN_HOUR +
                 digits_at (p, p[2] == ':' ? 3 : 2, 2) * G_TIME_SPAN_MINUTE);
}

/* A parsed date shows the fields of its text, in the offset the text gave. */
static void
check_fields (const char *text,
              GDateTime  *date)
{
  int year, month, day;

  g_date_time_get_ymd (date, &year, &month, &day);
  g_assert_cmpint (year, ==, digits_at (text, 0, 4));
  g_assert_cmpint (month, ==, digits_at (text, 5, 2));
  g_assert_cmpint (day, ==, digits_at (text, 8, 2));
  g_assert_cmpint (g_date_time_get_hour (date), ==, digits_at (text, 11, 2));
  g_assert_cmpint (g_date_time_get_minute (date), ==, digits_at (text, 14, 2));
  g_assert_cmpint (g_date_time_get_second (date), ==, digits_at (text, 17, 2));
  g_assert_cmpint (g_date_time_get_microsecond (date), ==, fraction_usec (text));
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, text_offset (text));
}

/* YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.ffffffZ, nothing else. */
static void
check_format_shape (const char *text)
{
  const char *pattern = strlen (text) == 20 ? "dddd-dd-ddTdd:dd:ddZ"
                                            : "dddd-dd-ddTdd:dd:dd.ddddddZ";

  g_assert_cmpuint (strlen (text), ==, strlen (pattern));
  for (guint i = 0; pattern[i] != '\0'; i++)
    {
      if (pattern[i] == 'd')
        g_assert_true (g_ascii_isdigit (text[i]));
      else
        g_assert_cmpint (text[i], ==, pattern[i]);
    }

  /* The seven-character fraction is used only when there are microseconds. */
  if (strlen (text) != 20)
    g_assert_false (g_str_has_suffix (text, ".000000Z"));
}

static void
check_round_trip (GDateTime *date)
{
  g_autofree char *text = exk_json_format_date (date);
  g_autofree char *again = NULL;
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);
  g_autoptr(GDateTime) parsed = NULL;

  /* Only a date whose UTC is outside the calendar cannot be written. */
  if (text == NULL)
    {
      g_assert_null (utc);
      return;
    }
  g_assert_nonnull (utc);

  check_format_shape (text);
  parsed = exk_json_parse_date (text);
  g_assert_nonnull (parsed);
  g_assert_true (g_date_time_equal (parsed, date));
  check_fields (text, parsed);

  again = exk_json_format_date (parsed);
  g_assert_cmpstr (again, ==, text);
}

static void
check_text (const uint8_t *data,
            size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GDateTime) date = exk_json_parse_date (text);

  if (date == NULL)
    return;

  /* Nothing shorter than YYYY-MM-DDTHH:MM:SS is a date. */
  g_assert_cmpuint (strlen (text), >=, 19);
  check_fields (text, date);
  check_round_trip (date);
}

static guint64
read_uint (const uint8_t *data,
           guint          count)
{
  guint64 value = 0;

  for (guint i = 0; i < count; i++)
    value = value << 8 | data[i];

  return value;
}

static void
check_instant (const uint8_t *data,
               size_t         size)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) whole = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  gint64 seconds;
  int usec, offset;

  if (size < 12)
    return;

  seconds = MIN_UNIX + (gint64) (read_uint (data, 8) % (guint64) (MAX_UNIX - MIN_UNIX + 1));
  usec = read_uint (data + 8, 3) % G_USEC_PER_SEC;
  /* Whole minutes from -23:59 to +23:59, as the parser reads them. */
  offset = ((int) (data[11] % 95) - 47) * 30 * 60;
  offset = CLAMP (offset, -(23 * 3600 + 59 * 60), 23 * 3600 + 59 * 60);

  whole = g_date_time_new_from_unix_utc (seconds);
  g_assert_nonnull (whole);
  utc = g_date_time_add (whole, usec);
  if (utc == NULL)
    return;

  tz = g_time_zone_new_offset (offset);
  local = g_date_time_to_timezone (utc, tz);
  if (local != NULL)
    check_round_trip (local);
  check_round_trip (utc);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  check_text (data, size);
  check_instant (data, size);

  return 0;
}

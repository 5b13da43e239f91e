// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <locale.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "exk-format.h"

/* How days, times and counts read in a few locales and time zones. The test
 * runs in C.UTF-8 (the only locale a minimal Debian has); the others are
 * compiled with localedef into the build directory when the system lacks them,
 * and the cases that need one are skipped, saying so, where that fails. */

typedef struct
{
  const char *locale;
  const char *day;           /* 2027-02-28 */
  const char *first_day;     /* 2027-03-01: no padding, no double space */
  const char *full_date;     /* 2027-02-28T21:05:00Z in UTC */
  const char *count;         /* 3954 */
  const char *large_count;   /* 1234567 */
} LocaleCase;

static const LocaleCase locale_cases[] = {
  { "C.UTF-8", "February 28, 2027", "March 1, 2027", "February 28, 2027, 21:05 UTC",
    "3954", "1234567" },
  { "en_US.UTF-8", "February 28, 2027", "March 1, 2027", "February 28, 2027, 9:05 PM UTC",
    "3,954", "1,234,567" },
  { "en_GB.UTF-8", "28 February 2027", "1 March 2027", "28 February 2027, 21:05 UTC",
    "3,954", "1,234,567" },
  { "de_DE.UTF-8", "28. Februar 2027", "1. März 2027", "28. Februar 2027, 21:05 UTC",
    "3.954", "1.234.567" },
  { "ja_JP.UTF-8", "2027年2月28日", "2027年3月1日", "2027年2月28日, 21時05分 UTC",
    "3,954", "1,234,567" },
  { "sv_SE.UTF-8", "2027-02-28", "2027-03-01", "2027-02-28, 21:05 UTC",
    "3\u202f954", "1\u202f234\u202f567" },
};

static void
set_time_zone (const char *identifier)
{
  g_setenv ("TZ", identifier, TRUE);
  tzset ();
}

static char *
dup_locale_dir (void)
{
  return g_test_build_filename (G_TEST_BUILT, "locale", NULL);
}

/* Compiles @locale ("de_DE.UTF-8") into the build directory. */
static gboolean
compile_locale (const char *locale)
{
  g_autofree char *localedef = g_find_program_in_path ("localedef");
  g_autofree char *dir = dup_locale_dir ();
  g_autofree char *output = g_build_filename (dir, locale, NULL);
  g_autofree char *lc_time = g_build_filename (output, "LC_TIME", NULL);
  g_autofree char *input = g_strndup (locale, strcspn (locale, "."));
  const char *argv[] = { NULL, "-i", input, "-f", "UTF-8", output, NULL };
  g_autofree char *errors = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (g_file_test (lc_time, G_FILE_TEST_EXISTS))
    return TRUE;
  if (localedef == NULL)
    return FALSE;

  g_mkdir_with_parents (dir, 0755);
  argv[0] = localedef;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     &errors, &status, &error))
    {
      g_test_message ("localedef did not run: %s", error->message);
      return FALSE;
    }

  /* localedef also fails for warnings; what counts is whether the locale is there. */
  if (!g_file_test (lc_time, G_FILE_TEST_EXISTS))
    {
      g_test_message ("localedef could not compile %s: %s", locale, errors);
      return FALSE;
    }

  return TRUE;
}

/* Makes every locale of the cases available, compiling those the system
 * lacks. All at once: glibc remembers a locale it did not find until LOCPATH
 * changes. */
static void
prepare_locales (void)
{
  gboolean compiled = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (locale_cases); i++)
    if (setlocale (LC_ALL, locale_cases[i].locale) == NULL)
      compiled |= compile_locale (locale_cases[i].locale);

  if (compiled)
    {
      g_autofree char *dir = dup_locale_dir ();
      /* glibc then looks only where LOCPATH says: keep the system's locales too. */
      g_autofree char *path = g_strconcat (dir, ":/usr/lib/locale", NULL);

      g_setenv ("LOCPATH", path, TRUE);
    }

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
}

/* Switches the whole process to @locale, or skips the test when it cannot. */
static gboolean
use_locale (const char *locale)
{
  g_autofree char *reason = NULL;

  if (setlocale (LC_ALL, locale) != NULL)
    return TRUE;

  reason = g_strdup_printf ("the %s locale is not available and could not be compiled", locale);
  g_test_skip (reason);

  return FALSE;
}

static void
restore_locale (void)
{
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  set_time_zone ("UTC");
}

static GDateTime *
utc (int year,
     int month,
     int day,
     int hour,
     int minute)
{
  return g_date_time_new_utc (year, month, day, hour, minute, 0);
}

static void
assert_tidy (const char *text)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_null (strstr (text, "  "));
  g_assert_null (strchr (text, '%'));
  g_assert_false (g_str_has_prefix (text, " "));
  g_assert_false (g_str_has_suffix (text, " "));
}

static void
test_locale (gconstpointer data)
{
  const LocaleCase *test = data;
  g_autoptr(GDateTime) last_february = utc (2027, 2, 28, 21, 5);
  g_autoptr(GDateTime) first_march = utc (2027, 3, 1, 9, 5);
  g_autofree char *day = NULL;
  g_autofree char *first_day = NULL;
  g_autofree char *full_date = NULL;
  g_autofree char *count = NULL;
  g_autofree char *large_count = NULL;

  if (!use_locale (test->locale))
    return;
  set_time_zone ("UTC");

  day = exk_format_day (last_february);
  first_day = exk_format_day (first_march);
  full_date = exk_format_full_date (last_february);
  count = exk_format_count (3954);
  large_count = exk_format_count (1234567);

  g_assert_cmpstr (day, ==, test->day);
  g_assert_cmpstr (first_day, ==, test->first_day);
  g_assert_cmpstr (full_date, ==, test->full_date);
  g_assert_cmpstr (count, ==, test->count);
  g_assert_cmpstr (large_count, ==, test->large_count);

  /* Every day and both halves of the clock, without padding or double spaces. */
  for (int n = 0; n < 365; n++)
    {
      g_autoptr(GDateTime) start = utc (2027, 1, 1, 9, 5);
      g_autoptr(GDateTime) morning = g_date_time_add_days (start, n);
      g_autoptr(GDateTime) evening = g_date_time_add_hours (morning, 12);
      g_autofree char *morning_text = exk_format_full_date (morning);
      g_autofree char *evening_text = exk_format_full_date (evening);
      g_autofree char *day_text = exk_format_day (morning);

      assert_tidy (morning_text);
      assert_tidy (evening_text);
      assert_tidy (day_text);
      g_assert_cmpstr (morning_text, !=, evening_text);
    }

  restore_locale ();
}

/* The same moment in other time zones: the local day and time, with the zone. */
static void
test_time_zones (void)
{
  static const struct
  {
    const char *zone;
    const char *day;
    const char *full_date;
  } cases[] = {
    { "UTC", "February 28, 2027", "February 28, 2027, 21:05 UTC" },
    { "Europe/Berlin", "February 28, 2027", "February 28, 2027, 22:05 CET" },
    { "America/New_York", "February 28, 2027", "February 28, 2027, 16:05 EST" },
    { "Asia/Tokyo", "March 1, 2027", "March 1, 2027, 06:05 JST" },
    { "Pacific/Kiritimati", "March 1, 2027", "March 1, 2027, 11:05 +14" },
  };
  g_autoptr(GDateTime) moment = utc (2027, 2, 28, 21, 5);

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *day = NULL;
      g_autofree char *full_date = NULL;

      set_time_zone (cases[i].zone);
      day = exk_format_day (moment);
      full_date = exk_format_full_date (moment);

      g_assert_cmpstr (day, ==, cases[i].day);
      g_assert_cmpstr (full_date, ==, cases[i].full_date);
    }

  restore_locale ();
}

/* A key that works until the end of a day expires at the local midnight after
 * it: that expiry is shown as the day it still works, in any time zone. */
static void
test_expiry (void)
{
  static const char * const zones[] = {
    "UTC", "Europe/Berlin", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata",
  };
  g_autoptr(GDateTime) now = utc (2027, 1, 15, 12, 0);
  g_autoptr(GDateTime) later = utc (2027, 6, 1, 12, 0);

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));

  for (gsize i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_autoptr(GDateTime) midnight = NULL;
      g_autoptr(GDateTime) afternoon = NULL;
      g_autofree char *until = NULL;
      g_autofree char *expired = NULL;
      g_autofree char *until_time = NULL;
      g_autofree char *expired_time = NULL;
      g_autofree char *afternoon_text = NULL;
      g_autofree char *expected = NULL;

      set_time_zone (zones[i]);
      midnight = g_date_time_new_local (2027, 3, 1, 0, 0, 0);
      afternoon = g_date_time_new_local (2027, 3, 1, 14, 30, 0);

      until = exk_format_expiry (midnight, now);
      expired = exk_format_expiry (midnight, later);
      g_assert_cmpstr (until, ==, "Works until the end of February 28, 2027");
      g_assert_cmpstr (expired, ==, "Expired at the end of February 28, 2027");

      /* Any other moment is shown as it is, with its time zone. */
      afternoon_text = exk_format_full_date (afternoon);
      g_assert_true (g_str_has_prefix (afternoon_text, "March 1, 2027, 14:30 "));
      until_time = exk_format_expiry (afternoon, now);
      expired_time = exk_format_expiry (afternoon, later);
      expected = g_strconcat ("Works until ", afternoon_text, NULL);
      g_assert_cmpstr (until_time, ==, expected);
      g_clear_pointer (&expected, g_free);
      expected = g_strconcat ("Expired on ", afternoon_text, NULL);
      g_assert_cmpstr (expired_time, ==, expected);
    }

  /* Where a day starts at 01:00 (Havana moves its clocks at midnight), the start
   * of that day is still the end of the day before. */
  set_time_zone ("America/Havana");
    {
      g_autoptr(GDateTime) day_start = g_date_time_new_local (2027, 3, 14, 0, 0, 0);
      g_autofree char *until = exk_format_expiry (day_start, now);

      g_assert_cmpstr (until, ==, "Works until the end of March 13, 2027");
    }

  restore_locale ();
}

static void
test_relative_date (void)
{
  g_autoptr(GDateTime) now = utc (2027, 2, 28, 21, 5);
  g_autoptr(GDateTime) yesterday = utc (2027, 2, 27, 8, 0);
  g_autoptr(GDateTime) in_three_days = utc (2027, 3, 3, 8, 0);
  g_autoptr(GDateTime) two_months_ago = utc (2026, 12, 20, 8, 0);
  g_autofree char *yesterday_text = NULL;
  g_autofree char *in_three_days_text = NULL;
  g_autofree char *two_months_ago_text = NULL;

  set_time_zone ("UTC");
  yesterday_text = exk_format_relative_date (yesterday, now);
  in_three_days_text = exk_format_relative_date (in_three_days, now);
  two_months_ago_text = exk_format_relative_date (two_months_ago, now);

  g_assert_cmpstr (yesterday_text, ==, "yesterday");
  g_assert_cmpstr (in_three_days_text, ==, "in 3 days");
  g_assert_cmpstr (two_months_ago_text, ==, "2 months ago");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  prepare_locales ();

  for (gsize i = 0; i < G_N_ELEMENTS (locale_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/exkeys/format/locale/%s",
                                               locale_cases[i].locale);

      g_test_add_data_func (path, &locale_cases[i], test_locale);
    }
  g_test_add_func ("/exkeys/format/time-zones", test_time_zones);
  g_test_add_func ("/exkeys/format/expiry", test_expiry);
  g_test_add_func ("/exkeys/format/relative-date", test_relative_date);

  return g_test_run ();
}

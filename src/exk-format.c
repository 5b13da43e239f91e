// SPDX-License-Identifier: GPL-3.0-or-later

/* How keys, dates and counts are shown to people, the same on every page. */

#include "config.h"

#include <langinfo.h>
#include <string.h>

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-format.h"

#define KEY_PREFIX_LENGTH 6

/* "LhhP1C…": enough to tell keys apart in a sentence, without giving one away. */
char *
exk_format_key_prefix (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_strdup_printf ("%.*s…", KEY_PREFIX_LENGTH, key);
}

/* "LhhP1C••••••••": the key as the list shows it until it is revealed. */
char *
exk_format_masked_key (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_strdup_printf ("%.*s••••••••", KEY_PREFIX_LENGTH, key);
}

/* "today", "yesterday", "3 days ago", "in 12 days", "2 months ago"… */
char *
exk_format_relative_date (GDateTime *date,
                          GDateTime *now)
{
  g_autoptr(GDateTime) local_date = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GDate) day = NULL;
  g_autoptr(GDate) today = NULL;
  int days;

  g_return_val_if_fail (date != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  local_date = g_date_time_to_local (date);
  local_now = g_date_time_to_local (now);
  day = g_date_new_dmy (g_date_time_get_day_of_month (local_date),
                        g_date_time_get_month (local_date),
                        g_date_time_get_year (local_date));
  today = g_date_new_dmy (g_date_time_get_day_of_month (local_now),
                          g_date_time_get_month (local_now),
                          g_date_time_get_year (local_now));
  days = g_date_days_between (today, day);

  if (days == 0)
    return g_strdup (_("today"));
  if (days == -1)
    return g_strdup (_("yesterday"));
  if (days == 1)
    return g_strdup (_("tomorrow"));

  if (days < 0)
    {
      int ago = -days;

      if (ago < 45)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", ago),
                                ago);
      if (ago < 365)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d month ago", "%d months ago",
                                             ago / 30), ago / 30);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d year ago", "%d years ago",
                                           ago / 365), ago / 365);
    }

  if (days < 45)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d day", "in %d days", days), days);
  if (days < 365)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d month", "in %d months",
                                         days / 30), days / 30);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d year", "in %d years", days / 365),
                          days / 365);
}

/* Day and time formats come from the user's LC_TIME locale, so that an
 * American sees "February 28, 2027, 9:05 PM UTC", a Briton "28 February 2027,
 * 21:05 UTC", a German "28. Februar 2027, 21:05 UTC" and a Japanese reader
 * "2027年2月28日, 21時05分 UTC". glibc only knows numeric day formats (%x),
 * which are ambiguous between locales ("02/01/24"), so the locale's order is
 * kept and the month is written by name where the numeric format separates it
 * with punctuation. */

#define MAX_FORMAT_DEPTH 3

/* Splits a strftime() format into conversions ("%d", flags and E/O modifiers
 * dropped) and the literal text between them, expanding the conversions that
 * stand for several others. */
static void
split_format (const char *format,
              GPtrArray  *pieces,
              int         depth)
{
  g_autoptr(GString) literal = g_string_new (NULL);

  for (const char *p = format; *p != '\0'; p++)
    {
      const char *expansion = NULL;

      if (*p != '%')
        {
          g_string_append_c (literal, *p);
          continue;
        }

      p++;
      while (*p != '\0' && strchr ("-_0^#", *p) != NULL)
        p++;
      if (*p == 'E' || *p == 'O')
        p++;
      if (*p == '\0')
        break;

      switch (*p)
        {
        case '%':
          g_string_append (literal, "%%");
          continue;
        case 'D':
          expansion = "%m/%d/%y";
          break;
        case 'F':
          expansion = "%Y-%m-%d";
          break;
        case 'T':
          expansion = "%H:%M:%S";
          break;
        case 'R':
          expansion = "%H:%M";
          break;
        case 'r':
          expansion = "%I:%M:%S %p";
          break;
        default:
          break;
        }

      if (literal->len > 0)
        {
          g_ptr_array_add (pieces, g_strdup (literal->str));
          g_string_truncate (literal, 0);
        }

      if (expansion != NULL && depth < MAX_FORMAT_DEPTH)
        split_format (expansion, pieces, depth + 1);
      else if (expansion == NULL)
        g_ptr_array_add (pieces, g_strdup_printf ("%%%c", *p));
    }

  if (literal->len > 0)
    g_ptr_array_add (pieces, g_strdup (literal->str));
}

static gboolean
is_conversion (const char *piece,
               const char *conversions)
{
  return piece != NULL && piece[0] == '%' && piece[1] != '%' && piece[1] != '\0'
         && strchr (conversions, piece[1]) != NULL;
}

/* Runs of spaces become one, none at either end. */
static char *
collapse_spaces (GString *string)
{
  g_autoptr(GString) result = g_string_new (NULL);

  for (const char *p = string->str; *p != '\0'; p++)
    {
      if (*p == ' ' && (result->len == 0 || result->str[result->len - 1] == ' '))
        continue;
      g_string_append_c (result, *p);
    }

  while (result->len > 0 && result->str[result->len - 1] == ' ')
    g_string_truncate (result, result->len - 1);

  return g_string_free (g_steal_pointer (&result), FALSE);
}

#define DAY_CONVERSIONS   "de"
#define MONTH_CONVERSIONS "mbhB"
#define YEAR_CONVERSIONS  "yYG"

/* The locale's numeric day format turned into one that names the month, with
 * a four-digit year and no padding ("%m/%d/%y" → "%B %-d, %Y"). */
static char *
derive_day_format (const char *numeric)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) format = g_string_new (NULL);
  g_autoptr(GString) order = g_string_new (NULL);
  gboolean month_by_name = TRUE;
  gboolean only_dashes = TRUE;

  split_format (numeric, pieces, 0);

  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);
      const char *next = i + 1 < pieces->len ? g_ptr_array_index (pieces, i + 1) : NULL;

      if (is_conversion (piece, DAY_CONVERSIONS))
        g_string_append_c (order, 'd');
      else if (is_conversion (piece, MONTH_CONVERSIONS))
        g_string_append_c (order, 'm');
      else if (is_conversion (piece, YEAR_CONVERSIONS))
        g_string_append_c (order, 'y');
      else if (piece[0] != '%' && !g_str_equal (piece, "-"))
        only_dashes = FALSE;

      /* "%m月": the text after the number names the month already. */
      if (is_conversion (piece, "m") && next != NULL && next[0] != '%'
          && strchr (" /-.,", next[0]) == NULL)
        month_by_name = FALSE;
    }

  /* ISO 8601 dates, as Swedish and Hungarian use them, are never ambiguous. */
  if (g_str_equal (order->str, "ymd") && only_dashes)
    return g_strdup ("%Y-%m-%d");

  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);
      const char *previous = i > 0 ? g_ptr_array_index (pieces, i - 1) : NULL;

      if (is_conversion (piece, DAY_CONVERSIONS))
        g_string_append (format, "%-d");
      else if (is_conversion (piece, "m"))
        g_string_append (format, month_by_name ? "%B" : "%-m");
      else if (is_conversion (piece, "bhB"))
        g_string_append (format, "%B");
      else if (is_conversion (piece, YEAR_CONVERSIONS))
        g_string_append (format, "%Y");
      else if (is_conversion (piece, "C"))
        continue;   /* "%C%y" is one four-digit year */
      else if (piece[0] == '%' && piece[1] != '%')
        g_string_append (format, piece);
      else if (!month_by_name)
        g_string_append (format, piece);
      else if (g_str_has_prefix (order->str, "mdy") && is_conversion (previous, DAY_CONVERSIONS))
        g_string_append (format, ", ");   /* "February 28, 2027" */
      else
        for (const char *p = piece; *p != '\0'; p++)
          {
            if (*p == '/' || *p == '-')
              g_string_append_c (format, ' ');
            else if (*p == '.' && is_conversion (previous, DAY_CONVERSIONS))
              g_string_append (format, ". ");   /* "28. Februar 2027" */
            else if (*p == '.')
              g_string_append_c (format, ' ');
            else
              g_string_append_c (format, *p);
          }
    }

  return collapse_spaces (format);
}

/* The locale's time format without seconds or zone, hours unpadded where the
 * clock has twelve ("%r" → "%-I:%M %p"). */
static char *
derive_time_format (const char *locale_format,
                    const char *twelve_hour_format)
{
  g_autoptr(GPtrArray) pieces = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) format = g_string_new (NULL);
  gboolean skip_unit = FALSE;

  /* "%r" is the locale's twelve-hour time. */
  if (g_str_equal (locale_format, "%r") && twelve_hour_format[0] != '\0')
    locale_format = twelve_hour_format;

  split_format (locale_format, pieces, 0);

  for (guint i = 0; i < pieces->len; i++)
    {
      const char *piece = g_ptr_array_index (pieces, i);

      if (is_conversion (piece, "S"))
        {
          /* "%M:%S" or "%M分%S秒": the separator or the unit goes with the seconds. */
          if (format->len > 0 && strchr (":.", format->str[format->len - 1]) != NULL)
            g_string_truncate (format, format->len - 1);
          skip_unit = TRUE;
          continue;
        }

      if (skip_unit && piece[0] != '%')
        {
          while (*piece != '\0' && *piece != ' ')
            piece++;
        }
      skip_unit = FALSE;

      if (is_conversion (piece, "Zz"))
        continue;
      else if (is_conversion (piece, "Il"))
        g_string_append (format, "%-I");
      else if (is_conversion (piece, "k"))
        g_string_append (format, "%-H");
      else
        g_string_append (format, piece);
    }

  return collapse_spaces (format);
}

static char *
dup_locale_format (nl_item item)
{
  char *format = g_locale_to_utf8 (nl_langinfo (item), -1, NULL, NULL, NULL);

  return format != NULL ? format : g_strdup ("");
}

static char *
dup_day_format (void)
{
  /* Translators: how to write a day with the month by name, in the syntax of
   * g_date_time_format(), for example "%-d de %B de %Y". Keep “default” to
   * follow the order of the user's own numeric dates (“%-d %B %Y” for
   * 28/02/2027, “%B %-d, %Y” for 02/28/2027). */
  const char *translated = C_("day format", "default");
  g_autofree char *numeric = NULL;

  if (!g_str_equal (translated, "default"))
    return g_strdup (translated);

  numeric = dup_locale_format (D_FMT);
  if (numeric[0] == '\0')
    return g_strdup ("%Y-%m-%d");

  return derive_day_format (numeric);
}

static char *
dup_time_format (void)
{
  g_autofree char *locale_format = dup_locale_format (T_FMT);
  g_autofree char *twelve_hour_format = dup_locale_format (T_FMT_AMPM);
  g_autofree char *time_format = NULL;

  if (locale_format[0] == '\0')
    return g_strdup ("%H:%M %Z");

  time_format = derive_time_format (locale_format, twelve_hour_format);

  /* A time means little without its time zone. */
  return g_strconcat (time_format, " %Z", NULL);
}

/**
 * exk_format_day:
 * @date: a moment
 *
 * The local day of @date, with the month by name and in the order of the
 * user's locale: "28 February 2027", "February 28, 2027".
 *
 * Returns: (transfer full): the day
 */
char *
exk_format_day (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *format = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  format = dup_day_format ();

  return g_date_time_format (local, format);
}

/**
 * exk_format_full_date:
 * @date: a moment
 *
 * The local day and time of @date with its time zone, for tooltips and
 * details: "28 February 2027, 21:05 CET".
 *
 * Returns: (transfer full): the day and time
 */
char *
exk_format_full_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *day_format = NULL;
  g_autofree char *time_format = NULL;
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  day_format = dup_day_format ();
  time_format = dup_time_format ();
  day = g_date_time_format (local, day_format);
  time = g_date_time_format (local, time_format);

  /* Translators: a day and a time of that day, e.g. “28 February 2027, 21:05 CET”;
   * %1$s is the day, %2$s the time with its time zone. */
  return g_strdup_printf (C_("date and time", "%1$s, %2$s"), day, time);
}

/* Keys made here expire at the local midnight that starts the day after the
 * last one they work on, so such an expiry is shown as that last day. */
static GDateTime *
dup_last_whole_day (GDateTime *expires)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (expires);
  g_autoptr(GDateTime) day_start = g_date_time_new_local (g_date_time_get_year (local),
                                                          g_date_time_get_month (local),
                                                          g_date_time_get_day_of_month (local),
                                                          0, 0, 0);

  if (!g_date_time_equal (local, day_start))
    return NULL;

  return g_date_time_add_days (day_start, -1);
}

/**
 * exk_format_expiry:
 * @expires: when a key stops working
 * @now: the current time
 *
 * Says until when a key works, the same way wherever an expiry is shown: an
 * expiry at a local midnight is the end of the day before it ("Works until the
 * end of 28 February 2027"); any other is shown with its time and time zone.
 *
 * Returns: (transfer full): the expiry, as a sentence
 */
char *
exk_format_expiry (GDateTime *expires,
                   GDateTime *now)
{
  g_autoptr(GDateTime) last_day = NULL;
  g_autofree char *date = NULL;
  gboolean past;

  g_return_val_if_fail (expires != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  past = g_date_time_compare (expires, now) <= 0;
  last_day = dup_last_whole_day (expires);

  if (last_day != NULL)
    {
      date = exk_format_day (last_day);

      if (past)
        /* Translators: %s is a day, e.g. “28 February 2027”. */
        return g_strdup_printf (_("Expired at the end of %s"), date);

      /* Translators: %s is a day, e.g. “28 February 2027”. */
      return g_strdup_printf (_("Works until the end of %s"), date);
    }

  date = exk_format_full_date (expires);

  if (past)
    /* Translators: %s is a day and time, e.g. “28 February 2027, 21:05 CET”. */
    return g_strdup_printf (_("Expired on %s"), date);

  /* Translators: %s is a day and time, e.g. “28 February 2027, 21:05 CET”. */
  return g_strdup_printf (_("Works until %s"), date);
}

/* 1234567 → "1,234,567" in the user's locale. */
char *
exk_format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/**
 * exk_format_error_reason:
 *
 * Says in a few words why a request failed, to follow "Couldn't disable
 * LhhP1C…:" in a toast, where a whole paragraph does not fit.
 *
 * Returns: (transfer full): the reason
 */
char *
exk_format_error_reason (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != EXK_API_ERROR)
    return g_strdup (error->message);

  switch ((ExkApiError) error->code)
    {
    case EXK_API_ERROR_NETWORK:
      /* Translators: this and the reasons below follow a colon, as in “Couldn’t
       * disable LhhP1C…: the server could not be reached”; each is a whole clause. */
      return g_strdup (_("the server could not be reached"));
    case EXK_API_ERROR_TLS:
      return g_strdup (_("the secure connection failed"));
    case EXK_API_ERROR_TIMEOUT:
      return g_strdup (_("the server did not answer in time"));
    case EXK_API_ERROR_UNAUTHORIZED:
    case EXK_API_ERROR_LOGIN_FAILED:
    case EXK_API_ERROR_LOGIN_THROTTLED:
      return g_strdup (_("your sign-in has ended"));
    case EXK_API_ERROR_FORBIDDEN:
      /* Translators: follows a colon: “Couldn’t delete LhhP1C…: your account is not
       * allowed to” (do that). */
      return g_strdup (_("your account is not allowed to"));
    case EXK_API_ERROR_NOT_FOUND:
      return g_strdup (_("the server no longer has it"));
    case EXK_API_ERROR_PLAN_LIMIT:
      return g_strdup (_("the organization’s plan does not allow it"));
    case EXK_API_ERROR_RATE_LIMITED:
      return g_strdup (_("too many requests; try again in a minute"));
    case EXK_API_ERROR_SERVER:
      return g_strdup (_("the server had a problem"));
    case EXK_API_ERROR_INVALID_RESPONSE:
      return g_strdup (_("the server’s answer was not what Exceptionless sends"));
    case EXK_API_ERROR_REDIRECTED:
      return g_strdup (_("the server answered with a redirect"));
    case EXK_API_ERROR_VALIDATION:
    case EXK_API_ERROR_INVALID_URL:
    case EXK_API_ERROR_INSECURE_URL:
    default:
      /* The server's own words ("Can only delete tokens created by you."). */
      return g_strdup (error->message);
    }
}

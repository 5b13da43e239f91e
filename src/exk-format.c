// SPDX-License-Identifier: GPL-3.0-or-later

/* How keys, dates and counts are shown to people, the same on every page. */

#include "config.h"

#include <glib/gi18n.h>

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

/* The full local date and time, for tooltips. */
char *
exk_format_full_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  local = g_date_time_to_local (date);
  /* Translators: a full date and time, see g_date_time_format(). */
  return g_date_time_format (local, _("%A %e %B %Y, %H:%M"));
}

/* 1234567 → "1,234,567" in the user's locale. */
char *
exk_format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

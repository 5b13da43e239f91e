// SPDX-License-Identifier: GPL-3.0-or-later

/* How keys, dates and counts are shown to people, the same on every page. */

#include "config.h"

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

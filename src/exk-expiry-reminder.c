// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-expiry-reminder.h"
#include "exk-format.h"

/* One key that expires soon or expired lately, with its project, as the
 * expiry reminders list and notify it. The key itself stays in its ExkToken;
 * what is remembered or put in a notification's id is the fingerprint. */

#define DAY           G_TIME_SPAN_DAY
#define SOON_DAYS     14
#define EXPIRED_DAYS  7

struct _ExkExpiryReminder
{
  GObject             parent_instance;

  ExkToken           *token;
  ExkProject         *project;
  ExkExpiryThreshold  threshold;
  char               *fingerprint;
};

G_DEFINE_FINAL_TYPE (ExkExpiryReminder, exk_expiry_reminder, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_expiry_reminder_finalize (GObject *object)
{
  ExkExpiryReminder *self = EXK_EXPIRY_REMINDER (object);

  g_clear_object (&self->token);
  g_clear_object (&self->project);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (exk_expiry_reminder_parent_class)->finalize (object);
}

static void
exk_expiry_reminder_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ExkExpiryReminder *self = EXK_EXPIRY_REMINDER (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_expiry_reminder_class_init (ExkExpiryReminderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_expiry_reminder_finalize;
  object_class->get_property = exk_expiry_reminder_get_property;

  properties[PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL, EXK_TYPE_TOKEN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_expiry_reminder_init (ExkExpiryReminder *self)
{
}

/**
 * exk_expiry_threshold_for:
 * @expires: (nullable): when a key stops working
 * @now: the current time
 *
 * Returns: the reminder a key that expires at @expires is due for at @now
 */
ExkExpiryThreshold
exk_expiry_threshold_for (GDateTime *expires,
                          GDateTime *now)
{
  GTimeSpan left;

  g_return_val_if_fail (now != NULL, EXK_EXPIRY_THRESHOLD_NONE);

  if (expires == NULL)
    return EXK_EXPIRY_THRESHOLD_NONE;

  left = g_date_time_difference (expires, now);
  if (left <= -EXPIRED_DAYS * DAY)
    return EXK_EXPIRY_THRESHOLD_NONE;
  if (left <= 0)
    return EXK_EXPIRY_THRESHOLD_EXPIRED;
  if (left <= DAY)
    return EXK_EXPIRY_THRESHOLD_ONE_DAY;
  if (left <= SOON_DAYS * DAY)
    return EXK_EXPIRY_THRESHOLD_TWO_WEEKS;

  return EXK_EXPIRY_THRESHOLD_NONE;
}

/* How a threshold is written in the settings: never translated. */
const char *
exk_expiry_threshold_to_string (ExkExpiryThreshold threshold)
{
  switch (threshold)
    {
    case EXK_EXPIRY_THRESHOLD_TWO_WEEKS:
      return "14d";
    case EXK_EXPIRY_THRESHOLD_ONE_DAY:
      return "1d";
    case EXK_EXPIRY_THRESHOLD_EXPIRED:
      return "expired";
    case EXK_EXPIRY_THRESHOLD_NONE:
    default:
      return "none";
    }
}

ExkExpiryReminder *
exk_expiry_reminder_new (ExkToken           *token,
                         ExkProject         *project,
                         ExkExpiryThreshold  threshold,
                         const char         *fingerprint)
{
  ExkExpiryReminder *self;

  g_return_val_if_fail (EXK_IS_TOKEN (token), NULL);
  g_return_val_if_fail (EXK_IS_PROJECT (project), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  self = g_object_new (EXK_TYPE_EXPIRY_REMINDER, NULL);
  self->token = g_object_ref (token);
  self->project = g_object_ref (project);
  self->threshold = threshold;
  self->fingerprint = g_strdup (fingerprint);

  return self;
}

ExkToken *
exk_expiry_reminder_get_token (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  return self->token;
}

ExkProject *
exk_expiry_reminder_get_project (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  return self->project;
}

ExkExpiryThreshold
exk_expiry_reminder_get_threshold (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), EXK_EXPIRY_THRESHOLD_NONE);

  return self->threshold;
}

/* The SHA-256 of the key: what settings and notification ids hold instead of it. */
const char *
exk_expiry_reminder_get_fingerprint (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  return self->fingerprint;
}

GDateTime *
exk_expiry_reminder_get_expires (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  return exk_token_get_expires (self->token);
}

char *
exk_expiry_reminder_dup_key_prefix (ExkExpiryReminder *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  return exk_format_key_prefix (exk_token_get_id (self->token));
}

/**
 * exk_expiry_reminder_dup_title:
 *
 * Returns: (transfer full): a notification's title: the key's prefix, its
 *   project and what is due
 */
char *
exk_expiry_reminder_dup_title (ExkExpiryReminder *self)
{
  g_autofree char *prefix = NULL;
  const char *project;

  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);

  prefix = exk_expiry_reminder_dup_key_prefix (self);
  project = exk_project_get_name (self->project);

  switch (self->threshold)
    {
    case EXK_EXPIRY_THRESHOLD_EXPIRED:
      /* Translators: a notification's title; %1$s is the start of an API key
       * (“mUf7KSOm…”), %2$s a project's name. */
      return g_strdup_printf (_("API key %1$s of %2$s has expired"), prefix, project);
    case EXK_EXPIRY_THRESHOLD_ONE_DAY:
      /* Translators: a notification's title; %1$s is the start of an API key
       * (“mUf7KSOm…”), %2$s a project's name. */
      return g_strdup_printf (_("API key %1$s of %2$s expires within a day"), prefix, project);
    case EXK_EXPIRY_THRESHOLD_TWO_WEEKS:
    case EXK_EXPIRY_THRESHOLD_NONE:
    default:
      /* Translators: a notification's title; %1$s is the start of an API key
       * (“mUf7KSOm…”), %2$s a project's name. */
      return g_strdup_printf (_("API key %1$s of %2$s expires within two weeks"), prefix,
                              project);
    }
}

/**
 * exk_expiry_reminder_dup_body:
 * @now: the current time
 *
 * Returns: (transfer full): a notification's body: the expiry, and what to do
 */
char *
exk_expiry_reminder_dup_body (ExkExpiryReminder *self,
                              GDateTime         *now)
{
  g_autofree char *expiry = NULL;

  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  expiry = exk_format_expiry (exk_token_get_expires (self->token), now);
  if (self->threshold == EXK_EXPIRY_THRESHOLD_EXPIRED)
    /* Translators: %s says when a key expired, e.g. “Expired at the end of 3 March 2027”. */
    return g_strdup_printf (_("%s. Apps that still send events with it are refused; replace "
                              "it with a new key."), expiry);

  /* Translators: %s says until when a key works, e.g. “Works until the end of 3 March 2027”. */
  return g_strdup_printf (_("%s. Replace it before then, so that events keep arriving."),
                          expiry);
}

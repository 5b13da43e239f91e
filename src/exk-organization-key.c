// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-format.h"
#include "exk-organization-key.h"

/* One row of an organization's key list: the key as the server sent it, the
 * texts the columns show and sort by (made once, possibly on a worker thread,
 * so that sorting and searching 10,000 keys costs no formatting), and what
 * Exkeys knows besides: whether a request about it runs, and why the last one
 * failed. Never holds more of the key than the token already does. */
struct _ExkOrganizationKey
{
  GObject   parent_instance;

  ExkToken *token;
  char     *prefix;
  char     *project_name;
  char     *scopes;
  char     *search_text;     /* case-folded "prefix\nnotes\nproject" */
  char     *created_text;    /* the day, as the column shows it */
  char     *expires_text;    /* "in 12 days", "Never" */
  char     *expires_detail;  /* the day and time, or NULL */
  char     *project_key;     /* collation keys, for sorting 10,000 keys without making them */
  char     *notes_key;
  char     *failure;
  gint64    created;
  gint64    expires;         /* 0: never */
  gboolean  expired;
  gboolean  busy;
};

G_DEFINE_FINAL_TYPE (ExkOrganizationKey, exk_organization_key, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOKEN,
  PROP_PREFIX,
  PROP_PROJECT_NAME,
  PROP_SCOPES,
  PROP_NOTES,
  PROP_CREATED,
  PROP_EXPIRES,
  PROP_DISABLED,
  PROP_EXPIRED,
  PROP_STATE,
  PROP_FAILURE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
make_search_text (ExkOrganizationKey *self)
{
  const char *notes = exk_token_get_notes (self->token);
  g_autofree char *text = NULL;

  /* The prefix without its ellipsis: what a person can read off a row. */
  text = g_strdup_printf ("%.6s\n%s\n%s", exk_token_get_id (self->token),
                          notes != NULL ? notes : "", self->project_name);
  return g_utf8_casefold (text, -1);
}

static char *
collate_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

static void
exk_organization_key_refresh (ExkOrganizationKey *self,
                              GDateTime          *now)
{
  GDateTime *expires = exk_token_get_expires (self->token);
  GDateTime *created = exk_token_get_created (self->token);

  g_free (self->scopes);
  self->scopes = g_strjoinv (", ", (char **) exk_token_get_scopes (self->token));
  g_free (self->search_text);
  self->search_text = make_search_text (self);
  g_free (self->project_key);
  self->project_key = collate_key (self->project_name);
  g_free (self->notes_key);
  self->notes_key = collate_key (exk_token_get_notes (self->token));
  self->created = created != NULL ? g_date_time_to_unix (created) : 0;
  self->expires = expires != NULL ? g_date_time_to_unix (expires) : 0;
  self->expired = now != NULL && exk_token_is_expired (self->token, now);

  /* Formatted once here, not each time a row shows the key: scrolling and searching
   * rebind hundreds of rows, and a day's format is worked out from the locale. */
  g_free (self->created_text);
  self->created_text = created != NULL ? exk_format_day (created) : g_strdup ("");
  g_free (self->expires_text);
  g_clear_pointer (&self->expires_detail, g_free);
  if (expires != NULL && now != NULL)
    {
      self->expires_text = exk_format_relative_date (expires, now);
      self->expires_detail = exk_format_full_date (expires);
    }
  else
    {
      self->expires_text = g_strdup (expires != NULL ? "" : _("Never"));
    }
}

static void
exk_organization_key_finalize (GObject *object)
{
  ExkOrganizationKey *self = EXK_ORGANIZATION_KEY (object);

  g_clear_object (&self->token);
  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->project_name, g_free);
  g_clear_pointer (&self->scopes, g_free);
  g_clear_pointer (&self->search_text, g_free);
  g_clear_pointer (&self->created_text, g_free);
  g_clear_pointer (&self->expires_text, g_free);
  g_clear_pointer (&self->expires_detail, g_free);
  g_clear_pointer (&self->project_key, g_free);
  g_clear_pointer (&self->notes_key, g_free);
  g_clear_pointer (&self->failure, g_free);

  G_OBJECT_CLASS (exk_organization_key_parent_class)->finalize (object);
}

static void
exk_organization_key_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ExkOrganizationKey *self = EXK_ORGANIZATION_KEY (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_PROJECT_NAME:
      g_value_set_string (value, self->project_name);
      break;
    case PROP_SCOPES:
      g_value_set_string (value, self->scopes);
      break;
    case PROP_NOTES:
      /* Never NULL, so that a GtkStringSorter can take it. */
      g_value_set_string (value, exk_organization_key_get_notes (self) != NULL
                                 ? exk_organization_key_get_notes (self) : "");
      break;
    case PROP_CREATED:
      g_value_set_int64 (value, self->created);
      break;
    case PROP_EXPIRES:
      g_value_set_int64 (value, self->expires);
      break;
    case PROP_DISABLED:
      g_value_set_boolean (value, exk_organization_key_get_disabled (self));
      break;
    case PROP_EXPIRED:
      g_value_set_boolean (value, self->expired);
      break;
    case PROP_STATE:
      g_value_set_string (value, exk_organization_key_get_state (self));
      break;
    case PROP_FAILURE:
      g_value_set_string (value, self->failure);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_organization_key_class_init (ExkOrganizationKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = exk_organization_key_finalize;
  object_class->get_property = exk_organization_key_get_property;

  properties[PROP_TOKEN] = g_param_spec_object ("token", NULL, NULL, EXK_TYPE_TOKEN, flags);
  properties[PROP_PREFIX] = g_param_spec_string ("prefix", NULL, NULL, NULL, flags);
  properties[PROP_PROJECT_NAME] = g_param_spec_string ("project-name", NULL, NULL, NULL, flags);
  properties[PROP_SCOPES] = g_param_spec_string ("scopes", NULL, NULL, NULL, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_int64 ("created", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_EXPIRES] = g_param_spec_int64 ("expires", NULL, NULL,
                                                 G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_DISABLED] = g_param_spec_boolean ("disabled", NULL, NULL, FALSE, flags);
  properties[PROP_EXPIRED] = g_param_spec_boolean ("expired", NULL, NULL, FALSE, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_FAILURE] = g_param_spec_string ("failure", NULL, NULL, NULL, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_organization_key_init (ExkOrganizationKey *self)
{
}

/**
 * exk_organization_key_new:
 * @token: the key, as the server sent it
 * @project_name: what the project column says ("Rocket Ship", "All projects")
 * @now: (nullable): the time to tell expired keys by
 *
 * May be called on any thread, as long as nothing changes @token meanwhile.
 */
ExkOrganizationKey *
exk_organization_key_new (ExkToken   *token,
                          const char *project_name,
                          GDateTime  *now)
{
  ExkOrganizationKey *self;

  g_return_val_if_fail (EXK_IS_TOKEN (token), NULL);

  self = g_object_new (EXK_TYPE_ORGANIZATION_KEY, NULL);
  self->token = g_object_ref (token);
  self->prefix = exk_format_key_prefix (exk_token_get_id (token));
  self->project_name = g_strdup (project_name != NULL ? project_name : "");
  exk_organization_key_refresh (self, now);

  return self;
}

ExkToken *
exk_organization_key_get_token (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->token;
}

const char *
exk_organization_key_get_id (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return exk_token_get_id (self->token);
}

const char *
exk_organization_key_get_prefix (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->prefix;
}

const char *
exk_organization_key_get_project_name (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->project_name;
}

const char *
exk_organization_key_get_scopes (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->scopes;
}

const char *
exk_organization_key_get_notes (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return exk_token_get_notes (self->token);
}

/* Seconds since 1970, UTC; 0 when the server did not say. */
gint64
exk_organization_key_get_created (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), 0);

  return self->created;
}

/* Seconds since 1970, UTC; 0 for a key that never expires. */
gint64
exk_organization_key_get_expires (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), 0);

  return self->expires;
}

/* The day the key was made, as the list shows it. */
const char *
exk_organization_key_get_created_text (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->created_text;
}

/* When the key expires, from the day the list was loaded: "in 12 days", "Never". */
const char *
exk_organization_key_get_expires_text (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->expires_text;
}

/* The day and time the key expires, or NULL when it does not. */
const char *
exk_organization_key_get_expires_detail (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->expires_detail;
}

gboolean
exk_organization_key_get_disabled (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return exk_token_get_is_disabled (self->token);
}

gboolean
exk_organization_key_get_expired (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return self->expired;
}

gboolean
exk_organization_key_get_organization_wide (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return exk_token_get_project_id (self->token) == NULL;
}

gboolean
exk_organization_key_get_user_scope (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return exk_token_has_scope (self->token, "user");
}

/* Whether the server accepts the key, in a word, as the state column says it. */
const char *
exk_organization_key_get_state (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  if (exk_token_get_is_disabled (self->token))
    return _("Disabled");
  if (self->expired)
    return _("Expired");
  if (exk_token_get_is_suspended (self->token))
    return _("Suspended");
  return _("Active");
}

/* Why the last change asked for this key did not happen, a whole sentence; or NULL. */
const char *
exk_organization_key_get_failure (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), NULL);

  return self->failure;
}

void
exk_organization_key_set_failure (ExkOrganizationKey *self,
                                  const char         *failure)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEY (self));

  if (g_strcmp0 (self->failure, failure) == 0)
    return;

  g_free (self->failure);
  self->failure = g_strdup (failure);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
}

gboolean
exk_organization_key_get_busy (ExkOrganizationKey *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return self->busy;
}

void
exk_organization_key_set_busy (ExkOrganizationKey *self,
                               gboolean            busy)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEY (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/**
 * exk_organization_key_update:
 * @newer: the same key as the server sent it after a change
 *
 * Takes the server's answer in, notifying what the columns show.
 */
void
exk_organization_key_update (ExkOrganizationKey *self,
                             ExkToken           *newer,
                             GDateTime          *now)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEY (self));
  g_return_if_fail (EXK_IS_TOKEN (newer));

  g_object_freeze_notify (G_OBJECT (self));
  exk_token_update_from (self->token, newer);
  exk_organization_key_refresh (self, now);
  for (guint i = PROP_SCOPES; i <= PROP_STATE; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
  g_object_thaw_notify (G_OBJECT (self));
}

static int
compare_numbers (gint64 a,
                 gint64 b)
{
  return a < b ? -1 : a > b ? 1 : 0;
}

/* Active keys first, then suspended, expired and disabled ones: the order of how much
 * attention they need. */
static int
state_rank (ExkOrganizationKey *self)
{
  if (exk_token_get_is_disabled (self->token))
    return 3;
  if (self->expired)
    return 2;
  if (exk_token_get_is_suspended (self->token))
    return 1;
  return 0;
}

/**
 * exk_organization_key_compare:
 * @column: what to sort by
 *
 * Compares two keys for a column of the list, with keys and texts made when the keys were
 * loaded: a sort of 10,000 keys is then only comparisons. Equal keys keep their order of
 * creation.
 *
 * Returns: less than, equal to or more than 0
 */
int
exk_organization_key_compare (ExkOrganizationKey       *a,
                              ExkOrganizationKey       *b,
                              ExkOrganizationKeyColumn  column)
{
  int order = 0;

  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (a), 0);
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (b), 0);

  switch (column)
    {
    case EXK_ORGANIZATION_KEY_COLUMN_PREFIX:
      order = strcmp (exk_token_get_id (a->token), exk_token_get_id (b->token));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_PROJECT:
      order = strcmp (a->project_key, b->project_key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_SCOPES:
      order = strcmp (a->scopes, b->scopes);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_NOTES:
      order = strcmp (a->notes_key, b->notes_key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_EXPIRES:
      /* Keys that never expire after those that do. */
      order = compare_numbers (a->expires != 0 ? a->expires : G_MAXINT64,
                               b->expires != 0 ? b->expires : G_MAXINT64);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_STATE:
      order = state_rank (a) - state_rank (b);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_CREATED:
    default:
      break;
    }

  if (order == 0)
    order = compare_numbers (a->created, b->created);
  return order;
}

/**
 * exk_organization_key_matches:
 * @search_key: a search, case-folded with g_utf8_casefold()
 *
 * Whether @search_key is part of the key's prefix, notes or project, ignoring case.
 */
gboolean
exk_organization_key_matches (ExkOrganizationKey *self,
                              const char         *search_key)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEY (self), FALSE);

  return search_key == NULL || strstr (self->search_text, search_key) != NULL;
}

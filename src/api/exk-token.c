// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"
#include "exk-token.h"

struct _ExkToken
{
  GObject    parent_instance;

  char      *id;
  char      *organization_id;
  char      *project_id;
  char      *user_id;
  char      *default_project_id;
  char     **scopes;
  GDateTime *expires;
  char      *notes;
  GDateTime *created;
  GDateTime *updated;
  guint      is_disabled : 1;
  guint      is_suspended : 1;
};

G_DEFINE_FINAL_TYPE (ExkToken, exk_token, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_ORGANIZATION_ID,
  PROP_PROJECT_ID,
  PROP_USER_ID,
  PROP_DEFAULT_PROJECT_ID,
  PROP_SCOPES,
  PROP_EXPIRES,
  PROP_NOTES,
  PROP_IS_DISABLED,
  PROP_IS_SUSPENDED,
  PROP_CREATED,
  PROP_UPDATED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The server does not guarantee an order and compares scopes case-insensitively:
 * keep a sorted, lower-case set so that equal sets compare equal. */
static char **
normalize_scopes (char **scopes)
{
  g_autoptr(GPtrArray) set = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      char *scope = g_ascii_strdown (scopes[i], -1);

      g_strstrip (scope);
      if (*scope == '\0')
        {
          g_free (scope);
          continue;
        }
      g_ptr_array_add (set, scope);
    }

  g_ptr_array_sort (set, compare_strings);

  for (guint i = 1; i < set->len;)
    {
      if (strcmp (g_ptr_array_index (set, i - 1), g_ptr_array_index (set, i)) == 0)
        g_ptr_array_remove_index (set, i);
      else
        i++;
    }

  g_ptr_array_add (set, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&set), FALSE);
}

static gboolean
dates_equal (GDateTime *a,
             GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_equal (a, b);
}

static void
update_string (ExkToken    *self,
               char       **field,
               const char  *value,
               guint        prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
update_date (ExkToken   *self,
             GDateTime **field,
             GDateTime  *value,
             guint       prop_id)
{
  if (dates_equal (*field, value))
    return;

  g_clear_pointer (field, g_date_time_unref);
  *field = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
exk_token_finalize (GObject *object)
{
  ExkToken *self = (ExkToken *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->default_project_id, g_free);
  g_clear_pointer (&self->scopes, g_strfreev);
  g_clear_pointer (&self->expires, g_date_time_unref);
  g_clear_pointer (&self->notes, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);

  G_OBJECT_CLASS (exk_token_parent_class)->finalize (object);
}

static void
exk_token_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ExkToken *self = EXK_TOKEN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
      break;

    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;

    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;

    case PROP_DEFAULT_PROJECT_ID:
      g_value_set_string (value, self->default_project_id);
      break;

    case PROP_SCOPES:
      g_value_set_boxed (value, self->scopes);
      break;

    case PROP_EXPIRES:
      g_value_set_boxed (value, self->expires);
      break;

    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;

    case PROP_IS_DISABLED:
      g_value_set_boolean (value, self->is_disabled);
      break;

    case PROP_IS_SUSPENDED:
      g_value_set_boolean (value, self->is_suspended);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    case PROP_UPDATED:
      g_value_set_boxed (value, self->updated);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_token_class_init (ExkTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = exk_token_finalize;
  object_class->get_property = exk_token_get_property;

  /* The id is the API key itself: a secret. */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_ORGANIZATION_ID] = g_param_spec_string ("organization-id", NULL, NULL, NULL,
                                                          flags);
  properties[PROP_PROJECT_ID] = g_param_spec_string ("project-id", NULL, NULL, NULL, flags);
  properties[PROP_USER_ID] = g_param_spec_string ("user-id", NULL, NULL, NULL, flags);
  properties[PROP_DEFAULT_PROJECT_ID] = g_param_spec_string ("default-project-id", NULL, NULL,
                                                             NULL, flags);
  properties[PROP_SCOPES] = g_param_spec_boxed ("scopes", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_EXPIRES] = g_param_spec_boxed ("expires", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, NULL, flags);
  properties[PROP_IS_DISABLED] = g_param_spec_boolean ("is-disabled", NULL, NULL, FALSE, flags);
  properties[PROP_IS_SUSPENDED] = g_param_spec_boolean ("is-suspended", NULL, NULL, FALSE, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_UPDATED] = g_param_spec_boxed ("updated", NULL, NULL, G_TYPE_DATE_TIME, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_token_init (ExkToken *self)
{
}

/**
 * exk_token_new_from_json:
 * @object: a ViewToken
 * @error: return location for an #EXK_API_ERROR_INVALID_RESPONSE
 *
 * Returns: (transfer full) (nullable): the token
 */
ExkToken *
exk_token_new_from_json (JsonObject  *object,
                         GError     **error)
{
  g_autoptr(ExkToken) self = g_object_new (EXK_TYPE_TOKEN, NULL);
  g_auto(GStrv) scopes = NULL;
  gboolean is_disabled, is_suspended;
  const char *what = "API key";

  g_return_val_if_fail (object != NULL, NULL);

  if (!exk_json_read_id (object, what, "id", EXK_JSON_REQUIRED, &self->id, error) ||
      !exk_json_read_id (object, what, "organization_id", EXK_JSON_OPTIONAL,
                         &self->organization_id, error) ||
      !exk_json_read_id (object, what, "project_id", EXK_JSON_OPTIONAL,
                         &self->project_id, error) ||
      !exk_json_read_id (object, what, "user_id", EXK_JSON_OPTIONAL,
                         &self->user_id, error) ||
      !exk_json_read_id (object, what, "default_project_id", EXK_JSON_OPTIONAL,
                         &self->default_project_id, error) ||
      !exk_json_read_strv (object, what, "scopes", EXK_JSON_OPTIONAL, &scopes, error) ||
      !exk_json_read_date (object, what, "expires_utc", EXK_JSON_OPTIONAL,
                           &self->expires, error) ||
      !exk_json_read_string (object, what, "notes", EXK_JSON_OPTIONAL, &self->notes, error) ||
      !exk_json_read_boolean (object, what, "is_disabled", EXK_JSON_OPTIONAL,
                              &is_disabled, error) ||
      !exk_json_read_boolean (object, what, "is_suspended", EXK_JSON_OPTIONAL,
                              &is_suspended, error) ||
      !exk_json_read_date (object, what, "created_utc", EXK_JSON_REQUIRED,
                           &self->created, error) ||
      !exk_json_read_date (object, what, "updated_utc", EXK_JSON_OPTIONAL,
                           &self->updated, error))
    return NULL;

  self->scopes = normalize_scopes (scopes);
  self->is_disabled = !!is_disabled;
  self->is_suspended = !!is_suspended;
  if (self->updated == NULL)
    self->updated = g_date_time_ref (self->created);

  return g_steal_pointer (&self);
}

const char *
exk_token_get_id (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->id;
}

const char *
exk_token_get_organization_id (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->organization_id;
}

const char *
exk_token_get_project_id (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->project_id;
}

const char *
exk_token_get_user_id (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->user_id;
}

const char *
exk_token_get_default_project_id (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->default_project_id;
}

/**
 * exk_token_get_scopes:
 *
 * Returns: (transfer none): the scopes as a sorted, lower-case set without duplicates
 */
const char * const *
exk_token_get_scopes (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return (const char * const *) self->scopes;
}

/**
 * exk_token_get_expires:
 *
 * Returns: (transfer none) (nullable): when the key stops working, or %NULL for never
 */
GDateTime *
exk_token_get_expires (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->expires;
}

const char *
exk_token_get_notes (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->notes;
}

gboolean
exk_token_get_is_disabled (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), FALSE);
  return self->is_disabled;
}

gboolean
exk_token_get_is_suspended (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), FALSE);
  return self->is_suspended;
}

GDateTime *
exk_token_get_created (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->created;
}

GDateTime *
exk_token_get_updated (ExkToken *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), NULL);
  return self->updated;
}

/**
 * exk_token_has_scope:
 * @self: a token
 * @scope: a scope such as `client`, compared case-insensitively
 *
 * Only the scopes the server sent count: a token with no scopes at all behaves as
 * `client` on the server, but does not have it here.
 */
gboolean
exk_token_has_scope (ExkToken   *self,
                     const char *scope)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), FALSE);
  g_return_val_if_fail (scope != NULL, FALSE);

  for (guint i = 0; self->scopes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->scopes[i], scope) == 0)
        return TRUE;
    }

  return FALSE;
}

/**
 * exk_token_is_expired:
 * @self: a token
 * @now: the current time
 *
 * Returns: whether the key has an expiry date that is not after @now
 */
gboolean
exk_token_is_expired (ExkToken  *self,
                      GDateTime *now)
{
  g_return_val_if_fail (EXK_IS_TOKEN (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return self->expires != NULL && g_date_time_compare (self->expires, now) <= 0;
}

/**
 * exk_token_update_from:
 * @self: a token
 * @newer: the same token as the server sent it later
 *
 * Copies every field of @newer into @self, notifying only the properties whose value
 * changed, so that a list row bound to @self updates in place.
 */
void
exk_token_update_from (ExkToken *self,
                       ExkToken *newer)
{
  g_return_if_fail (EXK_IS_TOKEN (self));
  g_return_if_fail (EXK_IS_TOKEN (newer));

  if (self == newer)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  update_string (self, &self->id, newer->id, PROP_ID);
  update_string (self, &self->organization_id, newer->organization_id, PROP_ORGANIZATION_ID);
  update_string (self, &self->project_id, newer->project_id, PROP_PROJECT_ID);
  update_string (self, &self->user_id, newer->user_id, PROP_USER_ID);
  update_string (self, &self->default_project_id, newer->default_project_id,
                 PROP_DEFAULT_PROJECT_ID);

  if (!g_strv_equal ((const char * const *) self->scopes, (const char * const *) newer->scopes))
    {
      g_strfreev (self->scopes);
      self->scopes = g_strdupv (newer->scopes);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCOPES]);
    }

  update_date (self, &self->expires, newer->expires, PROP_EXPIRES);
  update_string (self, &self->notes, newer->notes, PROP_NOTES);

  if (self->is_disabled != newer->is_disabled)
    {
      self->is_disabled = newer->is_disabled;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_DISABLED]);
    }

  if (self->is_suspended != newer->is_suspended)
    {
      self->is_suspended = newer->is_suspended;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SUSPENDED]);
    }

  update_date (self, &self->created, newer->created, PROP_CREATED);
  update_date (self, &self->updated, newer->updated, PROP_UPDATED);

  g_object_thaw_notify (G_OBJECT (self));
}

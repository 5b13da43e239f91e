// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"
#include "exk-user.h"

/* The signed-in user (ViewCurrentUser).
 * Read-only: built from JSON, never changed afterwards. */
struct _ExkUser
{
  GObject     parent_instance;

  char       *id;
  char       *full_name;
  char       *email_address;
  gboolean    has_local_account;
  gboolean    is_email_address_verified;
  gboolean    is_active;
  char *     *roles;
  char *     *organization_ids;
};

G_DEFINE_FINAL_TYPE (ExkUser, exk_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FULL_NAME,
  PROP_EMAIL_ADDRESS,
  PROP_HAS_LOCAL_ACCOUNT,
  PROP_IS_EMAIL_ADDRESS_VERIFIED,
  PROP_IS_ACTIVE,
  PROP_ROLES,
  PROP_ORGANIZATION_IDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_user_finalize (GObject *object)
{
  ExkUser *self = (ExkUser *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->full_name, g_free);
  g_clear_pointer (&self->email_address, g_free);
  g_clear_pointer (&self->roles, g_strfreev);
  g_clear_pointer (&self->organization_ids, g_strfreev);

  G_OBJECT_CLASS (exk_user_parent_class)->finalize (object);
}

static void
exk_user_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  ExkUser *self = EXK_USER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;

    case PROP_EMAIL_ADDRESS:
      g_value_set_string (value, self->email_address);
      break;

    case PROP_HAS_LOCAL_ACCOUNT:
      g_value_set_boolean (value, self->has_local_account);
      break;

    case PROP_IS_EMAIL_ADDRESS_VERIFIED:
      g_value_set_boolean (value, self->is_email_address_verified);
      break;

    case PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->is_active);
      break;

    case PROP_ROLES:
      g_value_set_boxed (value, self->roles);
      break;

    case PROP_ORGANIZATION_IDS:
      g_value_set_boxed (value, self->organization_ids);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_user_class_init (ExkUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = exk_user_finalize;
  object_class->get_property = exk_user_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_FULL_NAME] = g_param_spec_string ("full-name", NULL, NULL, NULL, flags);
  properties[PROP_EMAIL_ADDRESS] = g_param_spec_string ("email-address", NULL, NULL, NULL, flags);
  properties[PROP_HAS_LOCAL_ACCOUNT] =
    g_param_spec_boolean ("has-local-account", NULL, NULL, FALSE, flags);
  properties[PROP_IS_EMAIL_ADDRESS_VERIFIED] =
    g_param_spec_boolean ("is-email-address-verified", NULL, NULL, FALSE, flags);
  properties[PROP_IS_ACTIVE] = g_param_spec_boolean ("is-active", NULL, NULL, FALSE, flags);
  properties[PROP_ROLES] = g_param_spec_boxed ("roles", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_ORGANIZATION_IDS] =
    g_param_spec_boxed ("organization-ids", NULL, NULL, G_TYPE_STRV, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_user_init (ExkUser *self)
{
}

/**
 * exk_user_new_from_json:
 * @object: the JSON object the server sent
 * @error: return location for an #EXK_API_ERROR_INVALID_RESPONSE
 *
 * Returns: (transfer full) (nullable): the user
 */
ExkUser *
exk_user_new_from_json (JsonObject  *object,
                        GError     **error)
{
  g_autoptr(ExkUser) self = g_object_new (EXK_TYPE_USER, NULL);
  gboolean has_local_account, is_email_address_verified, is_active;
  const char *what = "user";

  g_return_val_if_fail (object != NULL, NULL);

  if (!exk_json_read_id (object, what, "id", EXK_JSON_REQUIRED, &self->id, error) ||
      !exk_json_read_string (object, what, "full_name",
                             EXK_JSON_OPTIONAL, &self->full_name, error) ||
      !exk_json_read_string (object, what, "email_address",
                             EXK_JSON_REQUIRED, &self->email_address, error) ||
      !exk_json_read_boolean (object, what, "has_local_account",
                              EXK_JSON_OPTIONAL, &has_local_account, error) ||
      !exk_json_read_boolean (object, what, "is_email_address_verified",
                              EXK_JSON_OPTIONAL, &is_email_address_verified, error) ||
      !exk_json_read_boolean (object, what, "is_active", EXK_JSON_OPTIONAL, &is_active, error) ||
      !exk_json_read_strv (object, what, "roles", EXK_JSON_OPTIONAL, &self->roles, error) ||
      !exk_json_read_ids (object, what, "organization_ids",
                          EXK_JSON_OPTIONAL, &self->organization_ids, error))
    return NULL;

  self->has_local_account = !!has_local_account;
  self->is_email_address_verified = !!is_email_address_verified;
  self->is_active = !!is_active;

  return g_steal_pointer (&self);
}

const char *
exk_user_get_id (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), NULL);
  return self->id;
}

const char *
exk_user_get_full_name (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), NULL);
  return self->full_name;
}

const char *
exk_user_get_email_address (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), NULL);
  return self->email_address;
}

gboolean
exk_user_get_has_local_account (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), FALSE);
  return self->has_local_account;
}

gboolean
exk_user_get_is_email_address_verified (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), FALSE);
  return self->is_email_address_verified;
}

gboolean
exk_user_get_is_active (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), FALSE);
  return self->is_active;
}

/**
 * exk_user_get_roles:
 *
 * Returns: (transfer none): the roles
 */
const char * const *
exk_user_get_roles (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), NULL);
  return (const char * const *) self->roles;
}

/**
 * exk_user_get_organization_ids:
 *
 * Returns: (transfer none): the organization ids
 */
const char * const *
exk_user_get_organization_ids (ExkUser *self)
{
  g_return_val_if_fail (EXK_IS_USER (self), NULL);
  return (const char * const *) self->organization_ids;
}

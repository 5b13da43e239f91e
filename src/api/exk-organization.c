// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"
#include "exk-organization.h"

/* An organization the user is a member of (ViewOrganization).
 * Read-only: built from JSON, never changed afterwards. */
struct _ExkOrganization
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *plan_name;
  GDateTime  *created;
  gint64      project_count;
  gboolean    is_suspended;
  gint64      max_projects;
  gboolean    has_premium_features;
};

G_DEFINE_FINAL_TYPE (ExkOrganization, exk_organization, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_PLAN_NAME,
  PROP_CREATED,
  PROP_PROJECT_COUNT,
  PROP_IS_SUSPENDED,
  PROP_MAX_PROJECTS,
  PROP_HAS_PREMIUM_FEATURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_organization_finalize (GObject *object)
{
  ExkOrganization *self = (ExkOrganization *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->plan_name, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (exk_organization_parent_class)->finalize (object);
}

static void
exk_organization_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkOrganization *self = EXK_ORGANIZATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_PLAN_NAME:
      g_value_set_string (value, self->plan_name);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    case PROP_PROJECT_COUNT:
      g_value_set_int64 (value, self->project_count);
      break;

    case PROP_IS_SUSPENDED:
      g_value_set_boolean (value, self->is_suspended);
      break;

    case PROP_MAX_PROJECTS:
      g_value_set_int64 (value, self->max_projects);
      break;

    case PROP_HAS_PREMIUM_FEATURES:
      g_value_set_boolean (value, self->has_premium_features);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_organization_class_init (ExkOrganizationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = exk_organization_finalize;
  object_class->get_property = exk_organization_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PLAN_NAME] = g_param_spec_string ("plan-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_PROJECT_COUNT] =
    g_param_spec_int64 ("project-count", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_IS_SUSPENDED] = g_param_spec_boolean ("is-suspended", NULL, NULL, FALSE, flags);
  properties[PROP_MAX_PROJECTS] =
    g_param_spec_int64 ("max-projects", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_HAS_PREMIUM_FEATURES] =
    g_param_spec_boolean ("has-premium-features", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_organization_init (ExkOrganization *self)
{
}

/**
 * exk_organization_new_from_json:
 * @object: the JSON object the server sent
 * @error: return location for an #EXK_API_ERROR_INVALID_RESPONSE
 *
 * Returns: (transfer full) (nullable): the organization
 */
ExkOrganization *
exk_organization_new_from_json (JsonObject  *object,
                                GError     **error)
{
  g_autoptr(ExkOrganization) self = g_object_new (EXK_TYPE_ORGANIZATION, NULL);
  gboolean is_suspended, has_premium_features;
  const char *what = "organization";

  g_return_val_if_fail (object != NULL, NULL);

  if (!exk_json_read_id (object, what, "id", EXK_JSON_REQUIRED, &self->id, error) ||
      !exk_json_read_string (object, what, "name", EXK_JSON_REQUIRED, &self->name, error) ||
      !exk_json_read_string (object, what, "plan_name",
                             EXK_JSON_OPTIONAL, &self->plan_name, error) ||
      !exk_json_read_date (object, what, "created_utc", EXK_JSON_OPTIONAL, &self->created, error) ||
      !exk_json_read_int64 (object, what, "project_count",
                            EXK_JSON_OPTIONAL, &self->project_count, error) ||
      !exk_json_read_boolean (object, what, "is_suspended",
                              EXK_JSON_OPTIONAL, &is_suspended, error) ||
      !exk_json_read_int64 (object, what, "max_projects",
                            EXK_JSON_OPTIONAL, &self->max_projects, error) ||
      !exk_json_read_boolean (object, what, "has_premium_features",
                              EXK_JSON_OPTIONAL, &has_premium_features, error))
    return NULL;

  self->is_suspended = !!is_suspended;
  self->has_premium_features = !!has_premium_features;

  return g_steal_pointer (&self);
}

const char *
exk_organization_get_id (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), NULL);
  return self->id;
}

const char *
exk_organization_get_name (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), NULL);
  return self->name;
}

const char *
exk_organization_get_plan_name (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), NULL);
  return self->plan_name;
}

/**
 * exk_organization_get_created:
 *
 * Returns: (transfer none) (nullable): the created
 */
GDateTime *
exk_organization_get_created (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), NULL);
  return self->created;
}

gint64
exk_organization_get_project_count (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), 0);
  return self->project_count;
}

gboolean
exk_organization_get_is_suspended (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), FALSE);
  return self->is_suspended;
}

gint64
exk_organization_get_max_projects (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), 0);
  return self->max_projects;
}

gboolean
exk_organization_get_has_premium_features (ExkOrganization *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION (self), FALSE);
  return self->has_premium_features;
}

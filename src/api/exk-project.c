// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-json.h"
#include "exk-project.h"

/* A project as the server lists it (ViewProject).
 * Read-only: built from JSON, never changed afterwards. */
struct _ExkProject
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *organization_id;
  char       *organization_name;
  GDateTime  *created;
  gint64      stack_count;
  gint64      event_count;
  gboolean    is_configured;
  gboolean    has_premium_features;
};

G_DEFINE_FINAL_TYPE (ExkProject, exk_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ORGANIZATION_ID,
  PROP_ORGANIZATION_NAME,
  PROP_CREATED,
  PROP_STACK_COUNT,
  PROP_EVENT_COUNT,
  PROP_IS_CONFIGURED,
  PROP_HAS_PREMIUM_FEATURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_project_finalize (GObject *object)
{
  ExkProject *self = (ExkProject *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->organization_name, g_free);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (exk_project_parent_class)->finalize (object);
}

static void
exk_project_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ExkProject *self = EXK_PROJECT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
      break;

    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, self->organization_name);
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    case PROP_STACK_COUNT:
      g_value_set_int64 (value, self->stack_count);
      break;

    case PROP_EVENT_COUNT:
      g_value_set_int64 (value, self->event_count);
      break;

    case PROP_IS_CONFIGURED:
      g_value_set_boolean (value, self->is_configured);
      break;

    case PROP_HAS_PREMIUM_FEATURES:
      g_value_set_boolean (value, self->has_premium_features);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_class_init (ExkProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = exk_project_finalize;
  object_class->get_property = exk_project_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_ORGANIZATION_ID] =
    g_param_spec_string ("organization-id", NULL, NULL, NULL, flags);
  properties[PROP_ORGANIZATION_NAME] =
    g_param_spec_string ("organization-name", NULL, NULL, NULL, flags);
  properties[PROP_CREATED] = g_param_spec_boxed ("created", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_STACK_COUNT] =
    g_param_spec_int64 ("stack-count", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_EVENT_COUNT] =
    g_param_spec_int64 ("event-count", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_IS_CONFIGURED] = g_param_spec_boolean ("is-configured", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_PREMIUM_FEATURES] =
    g_param_spec_boolean ("has-premium-features", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_project_init (ExkProject *self)
{
}

/**
 * exk_project_new_from_json:
 * @object: the JSON object the server sent
 * @error: return location for an #EXK_API_ERROR_INVALID_RESPONSE
 *
 * Returns: (transfer full) (nullable): the project
 */
ExkProject *
exk_project_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(ExkProject) self = g_object_new (EXK_TYPE_PROJECT, NULL);
  gboolean is_configured, has_premium_features;
  const char *what = "project";

  g_return_val_if_fail (object != NULL, NULL);

  if (!exk_json_read_id (object, what, "id", EXK_JSON_REQUIRED, &self->id, error) ||
      !exk_json_read_string (object, what, "name", EXK_JSON_REQUIRED, &self->name, error) ||
      !exk_json_read_id (object, what, "organization_id",
                         EXK_JSON_REQUIRED, &self->organization_id, error) ||
      !exk_json_read_string (object, what, "organization_name",
                             EXK_JSON_OPTIONAL, &self->organization_name, error) ||
      !exk_json_read_date (object, what, "created_utc", EXK_JSON_OPTIONAL, &self->created, error) ||
      !exk_json_read_int64 (object, what, "stack_count",
                            EXK_JSON_OPTIONAL, &self->stack_count, error) ||
      !exk_json_read_int64 (object, what, "event_count",
                            EXK_JSON_OPTIONAL, &self->event_count, error) ||
      !exk_json_read_boolean (object, what, "is_configured",
                              EXK_JSON_OPTIONAL, &is_configured, error) ||
      !exk_json_read_boolean (object, what, "has_premium_features",
                              EXK_JSON_OPTIONAL, &has_premium_features, error))
    return NULL;

  self->is_configured = !!is_configured;
  self->has_premium_features = !!has_premium_features;

  return g_steal_pointer (&self);
}

const char *
exk_project_get_id (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), NULL);
  return self->id;
}

const char *
exk_project_get_name (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), NULL);
  return self->name;
}

const char *
exk_project_get_organization_id (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), NULL);
  return self->organization_id;
}

const char *
exk_project_get_organization_name (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), NULL);
  return self->organization_name;
}

/**
 * exk_project_get_created:
 *
 * Returns: (transfer none) (nullable): the created
 */
GDateTime *
exk_project_get_created (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), NULL);
  return self->created;
}

gint64
exk_project_get_stack_count (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), 0);
  return self->stack_count;
}

gint64
exk_project_get_event_count (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), 0);
  return self->event_count;
}

gboolean
exk_project_get_is_configured (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), FALSE);
  return self->is_configured;
}

gboolean
exk_project_get_has_premium_features (ExkProject *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT (self), FALSE);
  return self->has_premium_features;
}

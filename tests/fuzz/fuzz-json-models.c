// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "exk-api-error.h"
#include "exk-json.h"
#include "exk-organization.h"
#include "exk-project.h"
#include "exk-token.h"
#include "exk-user.h"

/* A response body, read the way the client reads one: exk_json_parse_bytes(), then each
 * model from the object, or from every object of an array (a page of a list). A model is
 * either made with every invariant its getters promise, or refused with one
 * EXK_API_ERROR_INVALID_RESPONSE; never a critical or a crash. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* What exk_token_update_from() is applied to: the contract's ViewToken example. */
static const char base_token_json[] =
  "{\"id\":\"LhhP1C9gijpSKCslHHCvwdSIz298twx271nTest\","
  "\"organization_id\":\"537650f3b77efe23a47914f3\","
  "\"project_id\":\"537650f3b77efe23a47914f4\",\"scopes\":[\"client\"],"
  "\"notes\":\"CI server\",\"is_disabled\":false,\"is_suspended\":false,"
  "\"created_utc\":\"2026-05-22T14:30:00Z\",\"updated_utc\":\"2026-05-22T14:30:00Z\"}";

static void
check_error (GError *error)
{
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpstr (error->message, !=, "");
}

/* Either an object or an error, never both, never neither. */
static void
check_outcome (gpointer  object,
               GError   *error)
{
  if (object == NULL)
    check_error (error);
  else
    g_assert_no_error (error);
}

/* What the models promise about ids: exk_json_read_id() refuses the rest. */
static void
check_id (const char *id)
{
  g_assert_nonnull (id);
  g_assert_cmpstr (id, !=, "");
  g_assert_true (g_utf8_validate (id, -1, NULL));

  for (const char *p = id; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      g_assert_false (g_unichar_iscntrl (c));
      g_assert_false (g_unichar_isspace (c));
    }
}

static void
check_optional_id (const char *id)
{
  if (id != NULL)
    check_id (id);
}

static void
check_date (GDateTime *date)
{
  g_autofree char *text = NULL;

  if (date == NULL)
    return;

  /* Formatting may give NULL only at the very edge of the calendar. */
  text = exk_json_format_date (date);
  if (text != NULL)
    g_assert_true (g_str_has_suffix (text, "Z"));
}

static void
check_boolean (gboolean value)
{
  g_assert_true (value == TRUE || value == FALSE);
}

/* Every readable property, as a GtkExpression or a binding would read it. */
static void
read_properties (GObject *object)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspecs[i]->flags & G_PARAM_READABLE) == 0)
        continue;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &value);
    }
}

static void
check_project (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkProject) project = exk_project_new_from_json (object, &error);

  check_outcome (project, error);
  if (project == NULL)
    return;

  check_id (exk_project_get_id (project));
  check_id (exk_project_get_organization_id (project));
  g_assert_nonnull (exk_project_get_name (project));
  exk_project_get_organization_name (project);
  check_date (exk_project_get_created (project));
  exk_project_get_stack_count (project);
  exk_project_get_event_count (project);
  check_boolean (exk_project_get_is_configured (project));
  check_boolean (exk_project_get_has_premium_features (project));
  read_properties (G_OBJECT (project));
}

static ExkToken *
new_base_token (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (base_token_json, strlen (base_token_json));
  g_autoptr(JsonNode) root = exk_json_parse_bytes (bytes, NULL);

  g_assert_nonnull (root);
  return exk_token_new_from_json (json_node_get_object (root), NULL);
}

/* After exk_token_update_from(), the older object reads exactly like the newer one. */
static void
check_token_update (ExkToken *newer)
{
  g_autoptr(ExkToken) older = new_base_token ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 1, 12, 0, 0);

  g_assert_nonnull (older);
  exk_token_update_from (older, newer);

  g_assert_cmpstr (exk_token_get_id (older), ==, exk_token_get_id (newer));
  g_assert_cmpstr (exk_token_get_organization_id (older), ==,
                   exk_token_get_organization_id (newer));
  g_assert_cmpstr (exk_token_get_project_id (older), ==, exk_token_get_project_id (newer));
  g_assert_cmpstr (exk_token_get_user_id (older), ==, exk_token_get_user_id (newer));
  g_assert_cmpstr (exk_token_get_default_project_id (older), ==,
                   exk_token_get_default_project_id (newer));
  g_assert_cmpstr (exk_token_get_notes (older), ==, exk_token_get_notes (newer));
  g_assert_true (g_strv_equal (exk_token_get_scopes (older), exk_token_get_scopes (newer)));
  g_assert_cmpint (exk_token_get_is_disabled (older), ==, exk_token_get_is_disabled (newer));
  g_assert_cmpint (exk_token_get_is_suspended (older), ==, exk_token_get_is_suspended (newer));
  g_assert_true (g_date_time_equal (exk_token_get_created (older),
                                    exk_token_get_created (newer)));
  g_assert_true (g_date_time_equal (exk_token_get_updated (older),
                                    exk_token_get_updated (newer)));
  if (exk_token_get_expires (newer) != NULL)
    g_assert_true (g_date_time_equal (exk_token_get_expires (older),
                                      exk_token_get_expires (newer)));
  else
    g_assert_null (exk_token_get_expires (older));
  g_assert_cmpint (exk_token_is_expired (older, now), ==, exk_token_is_expired (newer, now));
}

static void
check_token (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkToken) token = exk_token_new_from_json (object, &error);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 6, 1, 12, 0, 0);
  const char * const *scopes;

  check_outcome (token, error);
  if (token == NULL)
    return;

  check_id (exk_token_get_id (token));
  check_optional_id (exk_token_get_organization_id (token));
  check_optional_id (exk_token_get_project_id (token));
  check_optional_id (exk_token_get_user_id (token));
  check_optional_id (exk_token_get_default_project_id (token));
  exk_token_get_notes (token);

  scopes = exk_token_get_scopes (token);
  g_assert_nonnull (scopes);
  for (guint i = 0; scopes[i] != NULL; i++)
    g_assert_true (exk_token_has_scope (token, scopes[i]));

  /* The token is created at some time, and updated then or later. */
  g_assert_nonnull (exk_token_get_created (token));
  g_assert_nonnull (exk_token_get_updated (token));
  check_date (exk_token_get_created (token));
  check_date (exk_token_get_updated (token));
  check_date (exk_token_get_expires (token));
  check_boolean (exk_token_get_is_disabled (token));
  check_boolean (exk_token_get_is_suspended (token));
  check_boolean (exk_token_is_expired (token, now));
  read_properties (G_OBJECT (token));

  check_token_update (token);
}

static void
check_user (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkUser) user = exk_user_new_from_json (object, &error);
  const char * const *ids;

  check_outcome (user, error);
  if (user == NULL)
    return;

  check_id (exk_user_get_id (user));
  g_assert_nonnull (exk_user_get_email_address (user));
  exk_user_get_full_name (user);
  check_boolean (exk_user_get_has_local_account (user));
  check_boolean (exk_user_get_is_email_address_verified (user));
  check_boolean (exk_user_get_is_active (user));
  g_assert_nonnull (exk_user_get_roles (user));

  ids = exk_user_get_organization_ids (user);
  g_assert_nonnull (ids);
  for (guint i = 0; ids[i] != NULL; i++)
    check_id (ids[i]);

  read_properties (G_OBJECT (user));
}

static void
check_organization (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkOrganization) organization = exk_organization_new_from_json (object, &error);

  check_outcome (organization, error);
  if (organization == NULL)
    return;

  check_id (exk_organization_get_id (organization));
  g_assert_nonnull (exk_organization_get_name (organization));
  exk_organization_get_plan_name (organization);
  check_date (exk_organization_get_created (organization));
  exk_organization_get_project_count (organization);
  exk_organization_get_max_projects (organization);
  check_boolean (exk_organization_get_is_suspended (organization));
  check_boolean (exk_organization_get_has_premium_features (organization));
  read_properties (G_OBJECT (organization));
}

static void
check_every_model (JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  object = exk_json_node_get_object (node, "project", &error);
  check_outcome (object, error);
  if (object == NULL)
    return;

  check_project (object);
  check_token (object);
  check_user (object);
  check_organization (object);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = exk_json_parse_bytes (bytes, &error);
  check_outcome (root, error);
  if (root == NULL)
    return 0;

  g_assert_false (JSON_NODE_HOLDS_NULL (root));

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      g_autoptr(GError) array_error = NULL;
      JsonArray *array = exk_json_node_get_array (root, "list of projects", &array_error);

      g_assert_no_error (array_error);
      for (guint i = 0; i < json_array_get_length (array); i++)
        check_every_model (json_array_get_element (array, i));
    }
  else
    {
      check_every_model (root);
    }

  return 0;
}

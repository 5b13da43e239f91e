// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The in-memory state of the fake Exceptionless server: organizations,
 * projects, users and tokens (login tokens and API keys).
 *
 * The same shape is used for `--seed FILE`; see README.md in this folder and
 * seed-example.json.
 */

#include "config.h"

#include "exk-mock-store.h"

struct _ExkMockStore
{
  GObject     parent_instance;

  GPtrArray  *organizations;
  GPtrArray  *projects;
  GPtrArray  *users;
  GPtrArray  *tokens;

  GHashTable *organizations_by_id;
  GHashTable *projects_by_id;
  GHashTable *users_by_id;
  GHashTable *users_by_email;
  GHashTable *tokens_by_id;

  char       *demo_user_id;
  guint64     next_sequence;
};

G_DEFINE_FINAL_TYPE (ExkMockStore, exk_mock_store, G_TYPE_OBJECT)

static const char token_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

#define TOKEN_ID_LENGTH 40

static void
replace_str (char       **location,
             const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*location);
  *location = copy;
}

/* Records */

ExkMockOrganization *
exk_mock_organization_new (const char *id,
                           const char *name)
{
  ExkMockOrganization *org = g_new0 (ExkMockOrganization, 1);

  org->id = g_strdup (id);
  org->name = g_strdup (name);
  org->plan_id = g_strdup ("EX_LARGE");
  org->plan_name = g_strdup ("Large");
  org->plan_description = g_strdup ("Large ($99/month)");
  org->billing_status = 1;
  org->billing_price = 99.0;
  org->max_events_per_month = 250000;
  org->retention_days = 90;
  org->max_users = -1;
  org->max_projects = -1;
  org->has_premium_features = TRUE;

  return org;
}

void
exk_mock_organization_free (ExkMockOrganization *org)
{
  if (org == NULL)
    return;

  g_free (org->id);
  g_free (org->name);
  g_free (org->plan_id);
  g_free (org->plan_name);
  g_free (org->plan_description);
  g_free (org);
}

ExkMockProject *
exk_mock_project_new (const char *id,
                      const char *organization_id,
                      const char *name)
{
  ExkMockProject *project = g_new0 (ExkMockProject, 1);

  project->id = g_strdup (id);
  project->organization_id = g_strdup (organization_id);
  project->name = g_strdup (name);
  project->config_version = 1;
  project->settings = json_object_new ();

  return project;
}

void
exk_mock_project_free (ExkMockProject *project)
{
  if (project == NULL)
    return;

  g_free (project->id);
  g_free (project->organization_id);
  g_free (project->name);
  g_clear_pointer (&project->settings, json_object_unref);
  g_free (project);
}

ExkMockUser *
exk_mock_user_new (const char *id,
                   const char *email_address,
                   const char *full_name,
                   const char *password)
{
  ExkMockUser *user = g_new0 (ExkMockUser, 1);
  const char *roles[] = { "client", "user", NULL };

  user->id = g_strdup (id);
  user->email_address = g_ascii_strdown (email_address, -1);
  user->full_name = g_strdup (full_name);
  user->password = g_strdup (password);
  user->organization_ids = g_ptr_array_new_with_free_func (g_free);
  user->roles = g_strdupv ((char **) roles);
  user->is_active = TRUE;
  user->is_email_address_verified = TRUE;
  user->o_auth_accounts = json_array_new ();

  return user;
}

void
exk_mock_user_free (ExkMockUser *user)
{
  if (user == NULL)
    return;

  g_free (user->id);
  g_free (user->email_address);
  g_free (user->full_name);
  g_free (user->password);
  g_clear_pointer (&user->organization_ids, g_ptr_array_unref);
  g_strfreev (user->roles);
  g_clear_pointer (&user->o_auth_accounts, json_array_unref);
  g_free (user);
}

ExkMockToken *
exk_mock_token_new (const char       *id,
                    ExkMockTokenType  type)
{
  ExkMockToken *token = g_new0 (ExkMockToken, 1);

  token->id = g_strdup (id);
  token->type = type;
  token->scopes = g_ptr_array_new_with_free_func (g_free);

  return token;
}

void
exk_mock_token_free (ExkMockToken *token)
{
  if (token == NULL)
    return;

  g_free (token->id);
  g_free (token->organization_id);
  g_free (token->project_id);
  g_free (token->default_project_id);
  g_free (token->user_id);
  g_free (token->created_by);
  g_free (token->notes);
  g_clear_pointer (&token->scopes, g_ptr_array_unref);
  g_free (token);
}

ExkMockToken *
exk_mock_token_copy (const ExkMockToken *token)
{
  ExkMockToken *copy = exk_mock_token_new (token->id, token->type);

  copy->organization_id = g_strdup (token->organization_id);
  copy->project_id = g_strdup (token->project_id);
  copy->default_project_id = g_strdup (token->default_project_id);
  copy->user_id = g_strdup (token->user_id);
  copy->created_by = g_strdup (token->created_by);
  copy->notes = g_strdup (token->notes);
  for (guint i = 0; i < token->scopes->len; i++)
    exk_mock_token_add_scope (copy, g_ptr_array_index (token->scopes, i));
  copy->expires_utc = token->expires_utc;
  copy->created_utc = token->created_utc;
  copy->updated_utc = token->updated_utc;
  copy->is_disabled = token->is_disabled;
  copy->sequence = token->sequence;

  return copy;
}

gboolean
exk_mock_token_has_scope (const ExkMockToken *token,
                          const char         *scope)
{
  for (guint i = 0; i < token->scopes->len; i++)
    if (g_str_equal (g_ptr_array_index (token->scopes, i), scope))
      return TRUE;

  return FALSE;
}

void
exk_mock_token_add_scope (ExkMockToken *token,
                          const char   *scope)
{
  g_autofree char *lower = g_ascii_strdown (scope, -1);

  if (!exk_mock_token_has_scope (token, lower))
    g_ptr_array_add (token->scopes, g_steal_pointer (&lower));
}

/* Helpers */

char *
exk_mock_new_token_id (void)
{
  char *id = g_malloc (TOKEN_ID_LENGTH + 1);

  for (guint i = 0; i < TOKEN_ID_LENGTH; i++)
    id[i] = token_alphabet[g_random_int_range (0, sizeof token_alphabet - 1)];
  id[TOKEN_ID_LENGTH] = '\0';

  return id;
}

/* A project created at run time: an ObjectId's 24 lower-case hex digits. */
char *
exk_mock_new_object_id (void)
{
  char *id = g_malloc (24 + 1);

  for (guint i = 0; i < 24; i++)
    id[i] = "0123456789abcdef"[g_random_int_range (0, 16)];
  id[24] = '\0';

  return id;
}

/* Fixtures get ids derived from a name, so that they stay the same from run
 * to run and do not depend on the order in which they are created. */
char *
exk_mock_token_id_for_string (const char *seed)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA512);
  guint8 digest[64];
  gsize digest_len = sizeof digest;
  char *id = g_malloc (TOKEN_ID_LENGTH + 1);

  g_checksum_update (checksum, (const guchar *) seed, -1);
  g_checksum_get_digest (checksum, digest, &digest_len);

  for (guint i = 0; i < TOKEN_ID_LENGTH; i++)
    id[i] = token_alphabet[digest[i] % (sizeof token_alphabet - 1)];
  id[TOKEN_ID_LENGTH] = '\0';

  return id;
}

gboolean
exk_mock_parse_time (const char *text,
                     gint64     *out_usec)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;

  dt = g_date_time_new_from_iso8601 (text, utc);
  if (dt == NULL)
    {
      /* A bare date is accepted as midnight UTC. */
      g_autofree char *with_time = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (with_time, utc);
      if (dt == NULL)
        return FALSE;
    }

  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

char *
exk_mock_format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;
  int micro = (int) (usec % G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("0001-01-01T00:00:00Z");

  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  if (micro != 0)
    return g_strdup_printf ("%s.%06dZ", base, micro);

  return g_strconcat (base, "Z", NULL);
}

/* Seed JSON reading */

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *name,
         gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);

  return fallback;
}

static double
get_double (JsonObject *object,
            const char *name,
            double      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return (double) json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return json_node_get_double (node);

  return fallback;
}

static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;

  return json_node_get_boolean (node);
}

static gint64
get_time (JsonObject *object,
          const char *name,
          gint64      fallback)
{
  gint64 value;

  if (exk_mock_parse_time (get_string (object, name), &value))
    return value;

  return fallback;
}

static JsonArray *
get_array (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  return json_node_get_array (node);
}

static JsonObject *
get_object_element (JsonArray  *array,
                    guint       index,
                    const char *what,
                    GError    **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s #%u is not a JSON object", what, index);
      return NULL;
    }

  return json_node_get_object (node);
}

static char **
get_strv (JsonObject *object,
          const char *name)
{
  JsonArray *array = get_array (object, name);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (array == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }

  return g_strv_builder_end (builder);
}

static gboolean
require_strings (JsonObject  *object,
                 const char  *what,
                 guint        index,
                 GError     **error,
                 ...) G_GNUC_NULL_TERMINATED;

static gboolean
require_strings (JsonObject  *object,
                 const char  *what,
                 guint        index,
                 GError     **error,
                 ...)
{
  va_list args;
  const char *name;

  va_start (args, error);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = get_string (object, name);

      if (value == NULL || *value == '\0')
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s #%u has no \"%s\" string", what, index, name);
          va_end (args);
          return FALSE;
        }
    }
  va_end (args);

  return TRUE;
}

static gboolean
load_organizations (ExkMockStore  *self,
                    JsonArray     *array,
                    GError       **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = get_object_element (array, i, "organization", error);
      ExkMockOrganization *org;
      const char *value;

      if (object == NULL
          || !require_strings (object, "organization", i, error, "id", "name", NULL))
        return FALSE;

      org = exk_mock_organization_new (get_string (object, "id"), get_string (object, "name"));
      if ((value = get_string (object, "plan_id")) != NULL)
        replace_str (&org->plan_id, value);
      if ((value = get_string (object, "plan_name")) != NULL)
        replace_str (&org->plan_name, value);
      if ((value = get_string (object, "plan_description")) != NULL)
        replace_str (&org->plan_description, value);
      org->created_utc = get_time (object, "created_utc", 0);
      org->updated_utc = get_time (object, "updated_utc", org->created_utc);
      org->billing_status = (int) get_int (object, "billing_status", org->billing_status);
      org->billing_price = get_double (object, "billing_price", org->billing_price);
      org->max_events_per_month = get_int (object, "max_events_per_month",
                                           org->max_events_per_month);
      org->retention_days = (int) get_int (object, "retention_days", org->retention_days);
      org->max_users = (int) get_int (object, "max_users", org->max_users);
      org->max_projects = (int) get_int (object, "max_projects", org->max_projects);
      org->has_premium_features = get_bool (object, "has_premium_features",
                                            org->has_premium_features);
      org->is_suspended = get_bool (object, "is_suspended", FALSE);
      exk_mock_store_add_organization (self, org);
    }

  return TRUE;
}

static gboolean
load_projects (ExkMockStore  *self,
               JsonArray     *array,
               GError       **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = get_object_element (array, i, "project", error);
      ExkMockProject *project;
      JsonNode *settings;

      if (object == NULL
          || !require_strings (object, "project", i, error,
                               "id", "organization_id", "name", NULL))
        return FALSE;

      if (exk_mock_store_find_organization (self, get_string (object, "organization_id")) == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "project #%u refers to an unknown organization", i);
          return FALSE;
        }

      project = exk_mock_project_new (get_string (object, "id"),
                                      get_string (object, "organization_id"),
                                      get_string (object, "name"));
      project->created_utc = get_time (object, "created_utc", 0);
      project->stack_count = get_int (object, "stack_count", 0);
      project->event_count = get_int (object, "event_count", 0);
      project->delete_bot_data_enabled = get_bool (object, "delete_bot_data_enabled", FALSE);
      project->has_slack_integration = get_bool (object, "has_slack_integration", FALSE);
      project->config_version = (int) get_int (object, "config_version", 1);

      settings = json_object_get_member (object, "settings");
      if (settings != NULL && JSON_NODE_HOLDS_OBJECT (settings))
        {
          g_clear_pointer (&project->settings, json_object_unref);
          project->settings = json_object_ref (json_node_get_object (settings));
        }

      exk_mock_store_add_project (self, project);
    }

  return TRUE;
}

static gboolean
load_users (ExkMockStore  *self,
            JsonArray     *array,
            GError       **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = get_object_element (array, i, "user", error);
      g_auto(GStrv) org_ids = NULL;
      g_auto(GStrv) roles = NULL;
      JsonArray *accounts;
      ExkMockUser *user;

      if (object == NULL
          || !require_strings (object, "user", i, error, "id", "email_address", NULL))
        return FALSE;

      user = exk_mock_user_new (get_string (object, "id"),
                                get_string (object, "email_address"),
                                get_string (object, "full_name"),
                                get_string (object, "password"));
      if (user->full_name == NULL)
        user->full_name = g_strdup (user->email_address);

      org_ids = get_strv (object, "organization_ids");
      for (guint j = 0; org_ids != NULL && org_ids[j] != NULL; j++)
        g_ptr_array_add (user->organization_ids, g_strdup (org_ids[j]));

      roles = get_strv (object, "roles");
      if (roles != NULL)
        {
          g_strfreev (user->roles);
          user->roles = g_steal_pointer (&roles);
        }

      user->is_active = get_bool (object, "is_active", TRUE);
      user->is_email_address_verified = get_bool (object, "is_email_address_verified", TRUE);

      accounts = get_array (object, "o_auth_accounts");
      if (accounts != NULL)
        {
          g_clear_pointer (&user->o_auth_accounts, json_array_unref);
          user->o_auth_accounts = json_array_ref (accounts);
        }

      exk_mock_store_add_user (self, user);
    }

  return TRUE;
}

static gboolean
load_tokens (ExkMockStore  *self,
             JsonArray     *array,
             GError       **error)
{
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *object = get_object_element (array, i, "token", error);
      g_auto(GStrv) scopes = NULL;
      ExkMockTokenType type = EXK_MOCK_TOKEN_ACCESS;
      const char *type_name;
      ExkMockToken *token;

      if (object == NULL || !require_strings (object, "token", i, error, "id", NULL))
        return FALSE;

      type_name = get_string (object, "type");
      if (type_name != NULL && g_ascii_strcasecmp (type_name, "authentication") == 0)
        type = EXK_MOCK_TOKEN_AUTHENTICATION;

      token = exk_mock_token_new (get_string (object, "id"), type);
      token->organization_id = g_strdup (get_string (object, "organization_id"));
      token->project_id = g_strdup (get_string (object, "project_id"));
      token->default_project_id = g_strdup (get_string (object, "default_project_id"));
      token->user_id = g_strdup (get_string (object, "user_id"));
      token->created_by = g_strdup (get_string (object, "created_by"));
      token->notes = g_strdup (get_string (object, "notes"));
      scopes = get_strv (object, "scopes");
      for (guint j = 0; scopes != NULL && scopes[j] != NULL; j++)
        exk_mock_token_add_scope (token, scopes[j]);
      token->expires_utc = get_time (object, "expires_utc", 0);
      token->created_utc = get_time (object, "created_utc", g_get_real_time ());
      token->updated_utc = get_time (object, "updated_utc", token->created_utc);
      token->is_disabled = get_bool (object, "is_disabled", FALSE);

      if (type == EXK_MOCK_TOKEN_ACCESS && token->organization_id == NULL
          && token->user_id == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "token #%u has neither organization_id nor user_id", i);
          exk_mock_token_free (token);
          return FALSE;
        }

      exk_mock_store_add_token (self, token);
    }

  return TRUE;
}

/* Seed JSON writing */

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       usec)
{
  g_autofree char *text = exk_mock_format_time (usec);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
dump_organization (JsonBuilder         *builder,
                   ExkMockOrganization *org)
{
  json_builder_begin_object (builder);
  add_optional_string (builder, "id", org->id);
  add_optional_string (builder, "name", org->name);
  add_time_member (builder, "created_utc", org->created_utc);
  add_time_member (builder, "updated_utc", org->updated_utc);
  add_optional_string (builder, "plan_id", org->plan_id);
  add_optional_string (builder, "plan_name", org->plan_name);
  add_optional_string (builder, "plan_description", org->plan_description);
  json_builder_set_member_name (builder, "billing_status");
  json_builder_add_int_value (builder, org->billing_status);
  json_builder_set_member_name (builder, "billing_price");
  json_builder_add_double_value (builder, org->billing_price);
  json_builder_set_member_name (builder, "max_events_per_month");
  json_builder_add_int_value (builder, org->max_events_per_month);
  json_builder_set_member_name (builder, "retention_days");
  json_builder_add_int_value (builder, org->retention_days);
  json_builder_set_member_name (builder, "max_users");
  json_builder_add_int_value (builder, org->max_users);
  json_builder_set_member_name (builder, "max_projects");
  json_builder_add_int_value (builder, org->max_projects);
  json_builder_set_member_name (builder, "has_premium_features");
  json_builder_add_boolean_value (builder, org->has_premium_features);
  json_builder_set_member_name (builder, "is_suspended");
  json_builder_add_boolean_value (builder, org->is_suspended);
  json_builder_end_object (builder);
}

static void
dump_project (JsonBuilder    *builder,
              ExkMockProject *project)
{
  json_builder_begin_object (builder);
  add_optional_string (builder, "id", project->id);
  add_optional_string (builder, "organization_id", project->organization_id);
  add_optional_string (builder, "name", project->name);
  add_time_member (builder, "created_utc", project->created_utc);
  json_builder_set_member_name (builder, "stack_count");
  json_builder_add_int_value (builder, project->stack_count);
  json_builder_set_member_name (builder, "event_count");
  json_builder_add_int_value (builder, project->event_count);
  json_builder_set_member_name (builder, "delete_bot_data_enabled");
  json_builder_add_boolean_value (builder, project->delete_bot_data_enabled);
  json_builder_set_member_name (builder, "has_slack_integration");
  json_builder_add_boolean_value (builder, project->has_slack_integration);
  json_builder_set_member_name (builder, "config_version");
  json_builder_add_int_value (builder, project->config_version);
  json_builder_set_member_name (builder, "settings");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), project->settings));
  json_builder_end_object (builder);
}

static void
dump_user (JsonBuilder *builder,
           ExkMockUser *user)
{
  json_builder_begin_object (builder);
  add_optional_string (builder, "id", user->id);
  add_optional_string (builder, "email_address", user->email_address);
  add_optional_string (builder, "full_name", user->full_name);
  add_optional_string (builder, "password", user->password);
  json_builder_set_member_name (builder, "organization_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < user->organization_ids->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (user->organization_ids, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->roles[i] != NULL; i++)
    json_builder_add_string_value (builder, user->roles[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "is_active");
  json_builder_add_boolean_value (builder, user->is_active);
  json_builder_set_member_name (builder, "is_email_address_verified");
  json_builder_add_boolean_value (builder, user->is_email_address_verified);
  json_builder_set_member_name (builder, "o_auth_accounts");
  json_builder_add_value (builder,
                          json_node_init_array (json_node_alloc (), user->o_auth_accounts));
  json_builder_end_object (builder);
}

static void
dump_token (JsonBuilder        *builder,
            const ExkMockToken *token)
{
  json_builder_begin_object (builder);
  add_optional_string (builder, "id", token->id);
  add_optional_string (builder, "type",
                       token->type == EXK_MOCK_TOKEN_ACCESS ? "access" : "authentication");
  add_optional_string (builder, "organization_id", token->organization_id);
  add_optional_string (builder, "project_id", token->project_id);
  add_optional_string (builder, "default_project_id", token->default_project_id);
  add_optional_string (builder, "user_id", token->user_id);
  add_optional_string (builder, "created_by", token->created_by);
  add_optional_string (builder, "notes", token->notes);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < token->scopes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (token->scopes, i));
  json_builder_end_array (builder);
  if (token->expires_utc != 0)
    add_time_member (builder, "expires_utc", token->expires_utc);
  add_time_member (builder, "created_utc", token->created_utc);
  add_time_member (builder, "updated_utc", token->updated_utc);
  json_builder_set_member_name (builder, "is_disabled");
  json_builder_add_boolean_value (builder, token->is_disabled);
  json_builder_end_object (builder);
}

/* Overrides */

static void
exk_mock_store_finalize (GObject *object)
{
  ExkMockStore *self = (ExkMockStore *)object;

  g_clear_pointer (&self->organizations_by_id, g_hash_table_unref);
  g_clear_pointer (&self->projects_by_id, g_hash_table_unref);
  g_clear_pointer (&self->users_by_id, g_hash_table_unref);
  g_clear_pointer (&self->users_by_email, g_hash_table_unref);
  g_clear_pointer (&self->tokens_by_id, g_hash_table_unref);
  g_clear_pointer (&self->organizations, g_ptr_array_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  g_clear_pointer (&self->demo_user_id, g_free);

  G_OBJECT_CLASS (exk_mock_store_parent_class)->finalize (object);
}

static void
exk_mock_store_class_init (ExkMockStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_mock_store_finalize;
}

static void
exk_mock_store_init (ExkMockStore *self)
{
  self->organizations =
    g_ptr_array_new_with_free_func ((GDestroyNotify) exk_mock_organization_free);
  self->projects = g_ptr_array_new_with_free_func ((GDestroyNotify) exk_mock_project_free);
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) exk_mock_user_free);
  self->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) exk_mock_token_free);

  /* The arrays own the records; the tables only index them. */
  self->organizations_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->projects_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->users_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->users_by_email = g_hash_table_new (g_str_hash, g_str_equal);
  self->tokens_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/* Public API */

ExkMockStore *
exk_mock_store_new (void)
{
  return g_object_new (EXK_TYPE_MOCK_STORE, NULL);
}

/* Records with an id that is already present replace nothing: the first one
 * wins, which keeps lookups and the arrays consistent. */

void
exk_mock_store_add_organization (ExkMockStore        *self,
                                 ExkMockOrganization *org)
{
  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  if (g_hash_table_contains (self->organizations_by_id, org->id))
    {
      exk_mock_organization_free (org);
      return;
    }

  g_ptr_array_add (self->organizations, org);
  g_hash_table_insert (self->organizations_by_id, org->id, org);
}

void
exk_mock_store_add_project (ExkMockStore   *self,
                            ExkMockProject *project)
{
  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  if (g_hash_table_contains (self->projects_by_id, project->id))
    {
      exk_mock_project_free (project);
      return;
    }

  g_ptr_array_add (self->projects, project);
  g_hash_table_insert (self->projects_by_id, project->id, project);
}

void
exk_mock_store_add_user (ExkMockStore *self,
                         ExkMockUser  *user)
{
  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  if (g_hash_table_contains (self->users_by_id, user->id)
      || g_hash_table_contains (self->users_by_email, user->email_address))
    {
      exk_mock_user_free (user);
      return;
    }

  g_ptr_array_add (self->users, user);
  g_hash_table_insert (self->users_by_id, user->id, user);
  g_hash_table_insert (self->users_by_email, user->email_address, user);
}

void
exk_mock_store_add_token (ExkMockStore *self,
                          ExkMockToken *token)
{
  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  if (g_hash_table_contains (self->tokens_by_id, token->id))
    {
      exk_mock_token_free (token);
      return;
    }

  token->sequence = self->next_sequence++;
  g_ptr_array_add (self->tokens, token);
  g_hash_table_insert (self->tokens_by_id, token->id, token);
}

void
exk_mock_store_remove_token (ExkMockStore *self,
                             const char   *id)
{
  ExkMockToken *token;

  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  token = g_hash_table_lookup (self->tokens_by_id, id);
  if (token == NULL)
    return;

  g_hash_table_remove (self->tokens_by_id, id);
  g_ptr_array_remove (self->tokens, token);
}

/* The project only: its keys are the caller's business (a project delete
 * removes them first). */
void
exk_mock_store_remove_project (ExkMockStore *self,
                               const char   *id)
{
  ExkMockProject *project;

  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  project = g_hash_table_lookup (self->projects_by_id, id);
  if (project == NULL)
    return;

  g_hash_table_remove (self->projects_by_id, id);
  g_ptr_array_remove (self->projects, project);
}

ExkMockOrganization *
exk_mock_store_find_organization (ExkMockStore *self,
                                  const char   *id)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return id != NULL ? g_hash_table_lookup (self->organizations_by_id, id) : NULL;
}

ExkMockProject *
exk_mock_store_find_project (ExkMockStore *self,
                             const char   *id)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return id != NULL ? g_hash_table_lookup (self->projects_by_id, id) : NULL;
}

ExkMockUser *
exk_mock_store_find_user (ExkMockStore *self,
                          const char   *id)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return id != NULL ? g_hash_table_lookup (self->users_by_id, id) : NULL;
}

ExkMockUser *
exk_mock_store_find_user_by_email (ExkMockStore *self,
                                   const char   *email)
{
  g_autofree char *lower = NULL;

  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  if (email == NULL)
    return NULL;

  lower = g_ascii_strdown (email, -1);
  return g_hash_table_lookup (self->users_by_email, lower);
}

ExkMockToken *
exk_mock_store_find_token (ExkMockStore *self,
                           const char   *id)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return id != NULL ? g_hash_table_lookup (self->tokens_by_id, id) : NULL;
}

ExkMockToken *
exk_mock_store_find_login_token (ExkMockStore *self,
                                 const char   *user_id,
                                 gint64        now)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  for (guint i = 0; i < self->tokens->len; i++)
    {
      ExkMockToken *token = g_ptr_array_index (self->tokens, i);

      if (token->type == EXK_MOCK_TOKEN_AUTHENTICATION
          && g_strcmp0 (token->user_id, user_id) == 0
          && (token->expires_utc == 0 || token->expires_utc > now))
        return token;
    }

  return NULL;
}

GPtrArray *
exk_mock_store_get_organizations (ExkMockStore *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return self->organizations;
}

GPtrArray *
exk_mock_store_get_projects (ExkMockStore *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return self->projects;
}

GPtrArray *
exk_mock_store_get_users (ExkMockStore *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return self->users;
}

GPtrArray *
exk_mock_store_get_tokens (ExkMockStore *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  return self->tokens;
}

ExkMockUser *
exk_mock_store_get_demo_user (ExkMockStore *self)
{
  ExkMockUser *user;

  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  user = exk_mock_store_find_user (self, self->demo_user_id);
  if (user != NULL)
    return user;

  /* Without an explicit choice, the first user who can log in. */
  for (guint i = 0; i < self->users->len; i++)
    {
      user = g_ptr_array_index (self->users, i);
      if (user->password != NULL && user->is_active)
        return user;
    }

  return NULL;
}

void
exk_mock_store_set_demo_user (ExkMockStore *self,
                              const char   *user_id)
{
  g_return_if_fail (EXK_IS_MOCK_STORE (self));

  replace_str (&self->demo_user_id, user_id);
}

gboolean
exk_mock_store_load_json (ExkMockStore  *self,
                          JsonNode      *root,
                          GError       **error)
{
  JsonObject *object;
  const char *demo;

  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), FALSE);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The seed must be a JSON object");
      return FALSE;
    }

  object = json_node_get_object (root);
  if (!load_organizations (self, get_array (object, "organizations"), error)
      || !load_projects (self, get_array (object, "projects"), error)
      || !load_users (self, get_array (object, "users"), error)
      || !load_tokens (self, get_array (object, "tokens"), error))
    return FALSE;

  demo = get_string (object, "demo_user");
  if (demo != NULL)
    {
      ExkMockUser *user = exk_mock_store_find_user_by_email (self, demo);

      if (user == NULL)
        user = exk_mock_store_find_user (self, demo);
      if (user == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "demo_user \"%s\" is not one of the users", demo);
          return FALSE;
        }

      exk_mock_store_set_demo_user (self, user->id);
    }

  return TRUE;
}

gboolean
exk_mock_store_load_file (ExkMockStore  *self,
                          const char    *path,
                          GError       **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), FALSE);

  if (!json_parser_load_from_file (parser, path, error))
    return FALSE;

  return exk_mock_store_load_json (self, json_parser_get_root (parser), error);
}

JsonNode *
exk_mock_store_to_json (ExkMockStore *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ExkMockUser *demo;

  g_return_val_if_fail (EXK_IS_MOCK_STORE (self), NULL);

  json_builder_begin_object (builder);

  demo = exk_mock_store_get_demo_user (self);
  if (demo != NULL)
    add_optional_string (builder, "demo_user", demo->email_address);

  json_builder_set_member_name (builder, "organizations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->organizations->len; i++)
    dump_organization (builder, g_ptr_array_index (self->organizations, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "projects");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->projects->len; i++)
    dump_project (builder, g_ptr_array_index (self->projects, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->users->len; i++)
    dump_user (builder, g_ptr_array_index (self->users, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->tokens->len; i++)
    dump_token (builder, g_ptr_array_index (self->tokens, i));
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

JsonNode *
exk_mock_token_to_json (const ExkMockToken *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (token != NULL, NULL);

  dump_token (builder, token);
  return json_builder_get_root (builder);
}

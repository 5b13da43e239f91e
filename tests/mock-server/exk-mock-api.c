// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * The fake Exceptionless API: authentication, throttling and the /api/v2
 * routes the client uses. Behaviour follows the contract in the project's
 * shared notes (exceptionless-api.md), section numbers are given where a
 * rule is surprising.
 */

#include "config.h"

#include <string.h>

#include "exk-mock-api.h"
#include "exk-mock-seed.h"

#define WINDOW_USEC              ((gint64) 15 * 60 * G_USEC_PER_SEC)
#define LOGIN_ATTEMPTS_PER_EMAIL 5
#define LOGIN_TOKEN_LIFETIME     ((gint64) 90 * 24 * 60 * 60 * G_USEC_PER_SEC)
#define MAX_TOKENS_PAGE          100
#define MAX_PROJECTS_PAGE        1000
#define MAX_LINKED_ITEMS         1000
#define MAX_JSON_BODY            (1024 * 1024)
#define MAX_EVENT_BODY           200000
#define BODY_REQUIRED_MESSAGE    "A non-empty request body is required."
#define LENGTH_MESSAGE           "The field %s must be a string with a minimum length of %d " \
                                 "and a maximum length of %d."
#define SOURCE_MAPS_MESSAGE      "The source-maps:write scope requires a project-scoped token."
#define HASH_SET_TYPE            "System.Collections.Generic.HashSet`1[System.String]"
#define RESOURCE_METADATA        "/.well-known/oauth-protected-resource/api/v2"
#define NAME_REQUIRED_MESSAGE    "Project name is required."
#define NAME_TAKEN_MESSAGE       "A project with this name already exists."
#define PLAN_LIMIT_MESSAGE       "Please upgrade your plan to add additional projects."

struct _ExkMockApi
{
  GObject       parent_instance;

  ExkMockStore *store;
  guint         projects;
  guint         tokens;
  guint         organization_tokens;
  guint         rate_limit;
  char         *seed_file;

  GHashTable   *login_attempts;  /* "email\nbucket" -> count */
  GHashTable   *request_counts;  /* "who\nwindow" -> count */
};

G_DEFINE_FINAL_TYPE (ExkMockApi, exk_mock_api, G_TYPE_OBJECT)

typedef enum
{
  REQUIRE_NOTHING,
  REQUIRE_CLIENT,
  REQUIRE_USER,
} Requirement;

typedef struct
{
  gboolean      authenticated;
  ExkMockUser  *user;
  ExkMockToken *token;
  gboolean      is_access;
  gboolean      via_password;
} Identity;

typedef struct
{
  ExkMockApi     *self;
  ExkMockStore   *store;
  ExkMockRequest *request;
  Identity        identity;
  gint64          now;
  const char     *args[3];
} Context;

typedef void (*Handler) (Context *ctx);

typedef struct
{
  const char  *method;
  const char  *pattern;
  Requirement  requirement;
  gboolean     throttled;
  Handler      handler;
} Route;

typedef void (*BuildFunc) (JsonBuilder *builder,
                           Context     *ctx,
                           gpointer     item,
                           gboolean     stats);

static const char *valid_scopes[] = { "client", "user", "global", "source-maps:write" };

/* Small helpers */

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  /* Responses omit null properties (§1). */
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_bool (JsonBuilder *builder,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *text = exk_mock_format_time (usec);

  add_string (builder, name, text);
}

static void
add_empty_array (JsonBuilder *builder,
                 const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
}

static void
respond_builder (Context     *ctx,
                 guint        status,
                 JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  exk_mock_request_respond_json (ctx->request, status, root);
}

static gboolean
is_alnum_string (const char *text,
                 gsize       min,
                 gsize       max,
                 gboolean    allow_dash)
{
  gsize len = strlen (text);

  if (len < min || len > max)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && !(allow_dash && *p == '-'))
      return FALSE;

  return TRUE;
}

/* Route constraints (§1): a failure falls through to a 404. */
static gboolean
matches_constraint (const char *constraint,
                    const char *value)
{
  if (g_str_equal (constraint, "{objectid}"))
    return is_alnum_string (value, 24, 36, FALSE);

  if (g_str_equal (constraint, "{token}"))
    return is_alnum_string (value, 24, 40, TRUE);

  if (g_str_equal (constraint, "{objectids}"))
    {
      g_auto(GStrv) ids = g_strsplit (value, ",", -1);

      if (ids[0] == NULL)
        return FALSE;

      for (guint i = 0; ids[i] != NULL; i++)
        if (!is_alnum_string (ids[i], 24, 36, FALSE))
          return FALSE;

      return TRUE;
    }

  if (g_str_equal (constraint, "{tokens}"))
    {
      g_auto(GStrv) ids = g_strsplit (value, ",", -1);

      if (ids[0] == NULL)
        return FALSE;

      for (guint i = 0; ids[i] != NULL; i++)
        if (!is_alnum_string (ids[i], 24, 40, TRUE))
          return FALSE;

      return TRUE;
    }

  return FALSE;
}

static gboolean
user_is_member (ExkMockUser *user,
                const char  *organization_id)
{
  if (user == NULL || organization_id == NULL)
    return FALSE;

  for (guint i = 0; i < user->organization_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (user->organization_ids, i), organization_id))
      return TRUE;

  return FALSE;
}

static gboolean
can_access_organization (Context    *ctx,
                         const char *organization_id)
{
  Identity *identity = &ctx->identity;

  if (organization_id == NULL
      || exk_mock_store_find_organization (ctx->store, organization_id) == NULL)
    return FALSE;

  if (identity->is_access && identity->token->organization_id != NULL)
    return g_str_equal (identity->token->organization_id, organization_id);

  return user_is_member (identity->user, organization_id);
}

static gboolean
can_access_project (Context        *ctx,
                    ExkMockProject *project)
{
  return project != NULL && can_access_organization (ctx, project->organization_id);
}

static const char *
first_organization_id (Context *ctx)
{
  Identity *identity = &ctx->identity;

  if (identity->is_access && identity->token->organization_id != NULL)
    return identity->token->organization_id;

  if (identity->user != NULL && identity->user->organization_ids->len > 0)
    return g_ptr_array_index (identity->user->organization_ids, 0);

  return NULL;
}

static gboolean
roles_include (char       **roles,
               const char  *role)
{
  return roles != NULL && g_strv_contains ((const char * const *) roles, role);
}

/* User roles imply the lesser ones: global => user => client (§2.2). */
static gboolean
user_has_role (ExkMockUser *user,
               const char  *role)
{
  if (user == NULL)
    return FALSE;

  if (roles_include (user->roles, role) || roles_include (user->roles, "global"))
    return TRUE;

  if (g_str_equal (role, "client"))
    return roles_include (user->roles, "user");

  return FALSE;
}

static gboolean
has_role (Context    *ctx,
          const char *role)
{
  Identity *identity = &ctx->identity;

  if (!identity->authenticated)
    return FALSE;

  if (identity->is_access)
    {
      ExkMockToken *token = identity->token;

      if (token->scopes->len > 0)
        return exk_mock_token_has_scope (token, role);

      if (identity->user != NULL)
        return user_has_role (identity->user, role);

      return g_str_equal (role, "client");
    }

  return user_has_role (identity->user, role);
}

static gboolean
token_is_usable (Context      *ctx,
                 ExkMockToken *token)
{
  if (token->is_disabled)
    return FALSE;

  if (token->expires_utc != 0 && token->expires_utc <= ctx->now)
    return FALSE;

  if (token->type == EXK_MOCK_TOKEN_AUTHENTICATION)
    {
      ExkMockUser *user = exk_mock_store_find_user (ctx->store, token->user_id);

      return user != NULL && user->is_active;
    }

  if (token->organization_id != NULL)
    {
      ExkMockOrganization *org;

      org = exk_mock_store_find_organization (ctx->store, token->organization_id);
      if (org == NULL || org->is_suspended)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_token_suspended (Context      *ctx,
                    ExkMockToken *token)
{
  ExkMockOrganization *org;

  org = exk_mock_store_find_organization (ctx->store, token->organization_id);
  return org != NULL && org->is_suspended;
}

/* Authentication (§2.1) */

static void
authenticate_token (Context    *ctx,
                    const char *value)
{
  Identity *identity = &ctx->identity;
  ExkMockToken *token;

  /* 64 characters would be an OAuth token, which this server never issues. */
  if (strlen (value) == 64)
    return;

  token = exk_mock_store_find_token (ctx->store, value);
  if (token == NULL || !token_is_usable (ctx, token))
    return;

  identity->authenticated = TRUE;
  identity->token = token;
  identity->is_access = token->type == EXK_MOCK_TOKEN_ACCESS;
  identity->user = exk_mock_store_find_user (ctx->store, token->user_id);
}

static void
authenticate_password (Context    *ctx,
                       const char *email,
                       const char *password)
{
  ExkMockUser *user = exk_mock_store_find_user_by_email (ctx->store, email);

  if (user == NULL || user->password == NULL || !user->is_active
      || !g_str_equal (user->password, password))
    return;

  ctx->identity.authenticated = TRUE;
  ctx->identity.user = user;
  ctx->identity.via_password = TRUE;
}

static void
authenticate_basic (Context    *ctx,
                    const char *encoded)
{
  g_autofree guchar *decoded = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  char *colon;
  const char *user;
  const char *password;

  decoded = g_base64_decode (encoded, &len);
  text = g_strndup ((const char *) decoded, len);
  colon = strchr (text, ':');
  if (colon == NULL)
    return;

  *colon = '\0';
  user = text;
  password = colon + 1;

  /* Both halves must be non-empty, so "token:" alone is ignored. */
  if (*user == '\0' || *password == '\0')
    return;

  if (g_ascii_strcasecmp (user, "client") == 0)
    authenticate_token (ctx, password);
  else if (g_str_equal (password, "x-oauth-basic"))
    authenticate_token (ctx, user);
  else
    authenticate_password (ctx, user, password);
}

static void
authenticate (Context *ctx)
{
  const char *header;
  static const char *query_names[] = { "access_token", "api_key", "apikey" };

  header = soup_message_headers_get_one (ctx->request->request_headers, "Authorization");
  if (header != NULL)
    {
      g_autofree char *copy = g_strstrip (g_strdup (header));
      char *space = strpbrk (copy, " \t");
      const char *value = "";

      if (space != NULL)
        {
          *space = '\0';
          value = g_strstrip (space + 1);
        }

      if (g_ascii_strcasecmp (copy, "Bearer") == 0 || g_ascii_strcasecmp (copy, "Token") == 0)
        {
          if (*value != '\0')
            authenticate_token (ctx, value);
          return;
        }

      if (g_ascii_strcasecmp (copy, "Basic") == 0)
        {
          authenticate_basic (ctx, value);
          return;
        }
    }

  /* Only without a recognised Authorization header. */
  for (guint i = 0; i < G_N_ELEMENTS (query_names); i++)
    {
      const char *value = exk_mock_request_get_query (ctx->request, query_names[i]);

      if (value != NULL && *value != '\0')
        {
          authenticate_token (ctx, value);
          return;
        }
    }
}

static void
respond_unauthorized (Context    *ctx,
                      const char *title)
{
  g_autofree char *origin = exk_mock_request_get_origin (ctx->request);
  g_autofree char *challenge = NULL;

  challenge = g_strdup_printf ("Bearer resource_metadata=\"%s" RESOURCE_METADATA "\"", origin);
  soup_message_headers_replace (ctx->request->response_headers, "WWW-Authenticate", challenge);
  exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_UNAUTHORIZED, title);
}

/* Throttling (§5) */

static gboolean
throttle (Context *ctx)
{
  ExkMockApi *self = ctx->self;
  Identity *identity = &ctx->identity;
  g_autofree char *key = NULL;
  char limit_text[32];
  char remaining_text[32];
  gint64 window = ctx->now / WINDOW_USEC;
  guint count;

  if (identity->is_access && identity->token->organization_id != NULL)
    key = g_strdup_printf ("org:%s\n%" G_GINT64_FORMAT, identity->token->organization_id, window);
  else if (identity->user != NULL)
    key = g_strdup_printf ("user:%s\n%" G_GINT64_FORMAT, identity->user->id, window);
  else
    key = g_strdup_printf ("ip:%s\n%" G_GINT64_FORMAT,
                           exk_mock_request_get_remote_host (ctx->request), window);

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, key));
  if (count < G_MAXUINT)
    count++;
  g_hash_table_insert (self->request_counts, g_steal_pointer (&key), GUINT_TO_POINTER (count));

  if (count > self->rate_limit)
    {
      /* No Retry-After and no rate-limit headers on a 429. */
      exk_mock_request_respond_problem (ctx->request, 429, NULL);
      return FALSE;
    }

  g_snprintf (limit_text, sizeof limit_text, "%u", self->rate_limit);
  g_snprintf (remaining_text, sizeof remaining_text, "%u", self->rate_limit - count);
  soup_message_headers_replace (ctx->request->response_headers, "X-RateLimit-Limit", limit_text);
  soup_message_headers_replace (ctx->request->response_headers, "X-RateLimit-Remaining",
                                remaining_text);

  return TRUE;
}

/* Request bodies */

static gboolean
is_json_content_type (ExkMockRequest *request)
{
  const char *type = soup_message_headers_get_content_type (request->request_headers, NULL);

  if (type == NULL)
    return FALSE;

  return g_ascii_strcasecmp (type, "application/json") == 0
         || (g_ascii_strncasecmp (type, "application/", 12) == 0
             && g_str_has_suffix (type, "+json"));
}

static gboolean
is_blank (GBytes *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isspace (data[i]))
      return FALSE;

  return TRUE;
}

/* Reads the JSON body. Returns FALSE after answering with an error. A
 * missing, blank or `null` body gives TRUE and *out_node == NULL. */
static gboolean
read_json_body (Context   *ctx,
                JsonNode **out_node)
{
  ExkMockRequest *request = ctx->request;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize len = 0;
  JsonNode *root;

  *out_node = NULL;

  if (is_blank (request->body))
    return TRUE;

  if (!is_json_content_type (request))
    {
      exk_mock_request_respond_problem (request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, NULL);
      return FALSE;
    }

  data = g_bytes_get_data (request->body, &len);
  if (len > MAX_JSON_BODY)
    {
      exk_mock_request_respond_problem (request, 413, NULL);
      return FALSE;
    }

  root = exk_mock_parse_json (data, len, &error);
  if (root == NULL)
    {
      exk_mock_request_respond_validation (request, SOUP_STATUS_BAD_REQUEST, "$",
                                           "The request body is not valid JSON.");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_NULL (root))
    {
      json_node_unref (root);
      return TRUE;
    }

  *out_node = root;
  return TRUE;
}

static JsonNode *
find_member (JsonObject *object,
             const char *name)
{
  g_autoptr(GList) members = json_object_get_members (object);

  /* Property names bind case-insensitively (§1). */
  for (GList *l = members; l != NULL; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_member (object, l->data);

  return NULL;
}

static gboolean
is_string_node (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static void
respond_binding_error (Context    *ctx,
                       const char *field,
                       const char *type_name)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf ("The JSON value could not be converted to %s.", type_name);
  exk_mock_request_respond_validation (ctx->request, SOUP_STATUS_BAD_REQUEST, field, message);
}

/* Binds a string member: FALSE (after answering) on a wrong type, or on an
 * explicit null when the field is not nullable. */
static gboolean
bind_string (Context     *ctx,
             JsonObject  *object,
             const char  *name,
             gboolean     nullable,
             gboolean    *out_present,
             const char **out_value)
{
  JsonNode *node = find_member (object, name);

  *out_value = NULL;
  if (out_present != NULL)
    *out_present = node != NULL;

  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (nullable)
        return TRUE;

      respond_binding_error (ctx, name, "System.String");
      return FALSE;
    }

  if (!is_string_node (node))
    {
      respond_binding_error (ctx, name, "System.String");
      return FALSE;
    }

  *out_value = json_node_get_string (node);
  return TRUE;
}

static void
respond_body_required (Context *ctx)
{
  exk_mock_request_respond_validation (ctx->request, SOUP_STATUS_BAD_REQUEST, "",
                                       BODY_REQUIRED_MESSAGE);
}

/* A body that must be a JSON object of the type the server binds it to:
 * FALSE once the answer (415, 413, 400) is given. */
static gboolean
read_object_body (Context     *ctx,
                  const char  *type_name,
                  JsonNode   **out_node)
{
  if (!read_json_body (ctx, out_node))
    return FALSE;

  if (*out_node == NULL)
    {
      respond_body_required (ctx);
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (*out_node))
    {
      respond_binding_error (ctx, "$", type_name);
      return FALSE;
    }

  return TRUE;
}

/* Paging (§4) */

static gboolean
parse_int_query (Context    *ctx,
                 const char *name,
                 gint64      fallback,
                 gint64     *out_value)
{
  const char *text = exk_mock_request_get_query (ctx->request, name);

  *out_value = fallback;
  if (text == NULL || *text == '\0')
    return TRUE;

  if (!g_ascii_string_to_signed (text, 10, G_MININT32, G_MAXINT32, out_value, NULL))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf ("The value '%s' is not valid for %s.", text, name);
      exk_mock_request_respond_validation (ctx->request, SOUP_STATUS_BAD_REQUEST, name, message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_paging (Context *ctx,
              guint    max_limit,
              guint64 *out_page,
              guint64 *out_limit)
{
  gint64 page;
  gint64 limit;

  if (!parse_int_query (ctx, "page", 1, &page) || !parse_int_query (ctx, "limit", 10, &limit))
    return FALSE;

  *out_page = page < 1 ? 1 : (guint64) page;
  *out_limit = limit < 1 ? 10 : MIN ((guint64) limit, max_limit);

  return TRUE;
}

static void
respond_page (Context   *ctx,
              GPtrArray *items,
              guint64    page,
              guint64    limit,
              BuildFunc  build,
              gboolean   stats)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint64 total = items->len;
  guint64 start = (page - 1) * limit;
  gboolean has_more = total > page * limit;
  char count_text[32];

  g_snprintf (count_text, sizeof count_text, "%" G_GUINT64_FORMAT, total);
  soup_message_headers_replace (ctx->request->response_headers, "X-Result-Count", count_text);

  if (page > 1)
    {
      g_autofree char *url = exk_mock_request_build_page_url (ctx->request, page - 1);
      g_autofree char *link = g_strdup_printf ("<%s>; rel=\"previous\"", url);

      soup_message_headers_append (ctx->request->response_headers, "Link", link);
    }

  /* The server stops offering "next" near 1000 items, even with more. */
  if (has_more && (page + 1) * limit < MAX_LINKED_ITEMS)
    {
      g_autofree char *url = exk_mock_request_build_page_url (ctx->request, page + 1);
      g_autofree char *link = g_strdup_printf ("<%s>; rel=\"next\"", url);

      soup_message_headers_append (ctx->request->response_headers, "Link", link);
    }

  json_builder_begin_array (builder);
  for (guint64 i = start; i < total && i < start + limit; i++)
    build (builder, ctx, g_ptr_array_index (items, i), stats);
  json_builder_end_array (builder);

  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

/* Models (§7) */

static void
build_token (JsonBuilder *builder,
             Context     *ctx,
             gpointer     item,
             gboolean     stats)
{
  ExkMockToken *token = item;

  json_builder_begin_object (builder);
  add_string (builder, "id", token->id);
  add_string (builder, "organization_id", token->organization_id);
  add_string (builder, "project_id", token->project_id);
  add_string (builder, "user_id", token->user_id);
  add_string (builder, "default_project_id", token->default_project_id);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < token->scopes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (token->scopes, i));
  json_builder_end_array (builder);
  if (token->expires_utc != 0)
    add_time (builder, "expires_utc", token->expires_utc);
  add_string (builder, "notes", token->notes);
  add_bool (builder, "is_disabled", token->is_disabled);
  add_bool (builder, "is_suspended", is_token_suspended (ctx, token));
  add_time (builder, "created_utc", token->created_utc);
  add_time (builder, "updated_utc", token->updated_utc);
  json_builder_end_object (builder);
}

static void
build_project (JsonBuilder *builder,
               Context     *ctx,
               gpointer     item,
               gboolean     stats)
{
  ExkMockProject *project = item;
  ExkMockOrganization *org;

  org = exk_mock_store_find_organization (ctx->store, project->organization_id);

  json_builder_begin_object (builder);
  add_string (builder, "id", project->id);
  add_time (builder, "created_utc", project->created_utc);
  add_string (builder, "organization_id", project->organization_id);
  add_string (builder, "organization_name", org != NULL ? org->name : NULL);
  add_string (builder, "name", project->name);
  add_bool (builder, "delete_bot_data_enabled", project->delete_bot_data_enabled);
  add_empty_array (builder, "promoted_tabs");
  add_bool (builder, "is_configured", TRUE);
  add_int (builder, "stack_count", stats ? project->stack_count : 0);
  add_int (builder, "event_count", stats ? project->event_count : 0);
  add_bool (builder, "has_premium_features", org != NULL && org->has_premium_features);
  add_bool (builder, "has_slack_integration", project->has_slack_integration);
  add_empty_array (builder, "usage");
  add_empty_array (builder, "usage_hours");
  json_builder_end_object (builder);
}

static void
build_organization (JsonBuilder *builder,
                    Context     *ctx,
                    gpointer     item,
                    gboolean     stats)
{
  ExkMockOrganization *org = item;
  GPtrArray *projects = exk_mock_store_get_projects (ctx->store);
  gint64 project_count = 0;
  gint64 stack_count = 0;
  gint64 event_count = 0;

  for (guint i = 0; i < projects->len; i++)
    {
      ExkMockProject *project = g_ptr_array_index (projects, i);

      if (g_str_equal (project->organization_id, org->id))
        {
          project_count++;
          stack_count += project->stack_count;
          event_count += project->event_count;
        }
    }

  json_builder_begin_object (builder);
  add_string (builder, "id", org->id);
  add_time (builder, "created_utc", org->created_utc);
  add_time (builder, "updated_utc", org->updated_utc);
  add_string (builder, "name", org->name);
  add_string (builder, "plan_id", org->plan_id);
  add_string (builder, "plan_name", org->plan_name);
  add_string (builder, "plan_description", org->plan_description);
  add_int (builder, "billing_status", org->billing_status);
  json_builder_set_member_name (builder, "billing_price");
  json_builder_add_double_value (builder, org->billing_price);
  add_int (builder, "max_events_per_month", org->max_events_per_month);
  add_int (builder, "bonus_events_per_month", 0);
  add_int (builder, "retention_days", org->retention_days);
  add_bool (builder, "is_suspended", org->is_suspended);
  if (org->is_suspended)
    {
      add_string (builder, "suspension_code", "Billing");
      add_time (builder, "suspension_date", org->updated_utc);
    }
  add_bool (builder, "has_premium_features", org->has_premium_features);
  add_empty_array (builder, "features");
  add_int (builder, "max_users", org->max_users);
  add_int (builder, "max_projects", org->max_projects);
  add_int (builder, "project_count", project_count);
  add_int (builder, "stack_count", stats ? stack_count : 0);
  add_int (builder, "event_count", stats ? event_count : 0);
  add_empty_array (builder, "invites");
  add_empty_array (builder, "usage");
  add_empty_array (builder, "usage_hours");
  add_bool (builder, "is_throttled", FALSE);
  add_bool (builder, "is_over_monthly_limit", FALSE);
  add_bool (builder, "is_over_request_limit", FALSE);
  json_builder_end_object (builder);
}

static void
respond_token (Context      *ctx,
               guint         status,
               ExkMockToken *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *origin = exk_mock_request_get_origin (ctx->request);
      g_autofree char *path = g_strdup_printf ("/api/v2/tokens/%s", token->id);
      g_autofree char *lower = g_ascii_strdown (path, -1);
      g_autofree char *location = g_strconcat (origin, lower, NULL);

      /* LowercaseUrls lower-cases generated paths, ids included (§1). */
      soup_message_headers_replace (ctx->request->response_headers, "Location", location);
    }

  build_token (builder, ctx, token, FALSE);
  respond_builder (ctx, status, builder);
}

/* Token queries */

static int
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  const ExkMockToken *ta = *(ExkMockToken * const *) a;
  const ExkMockToken *tb = *(ExkMockToken * const *) b;

  if (ta->created_utc != tb->created_utc)
    return ta->created_utc < tb->created_utc ? -1 : 1;

  return ta->sequence < tb->sequence ? -1 : (ta->sequence > tb->sequence ? 1 : 0);
}

static GPtrArray *
list_tokens (Context    *ctx,
             const char *project_id,
             const char *organization_id)
{
  GPtrArray *all = exk_mock_store_get_tokens (ctx->store);
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = 0; i < all->len; i++)
    {
      ExkMockToken *token = g_ptr_array_index (all, i);

      if (token->type != EXK_MOCK_TOKEN_ACCESS)
        continue;

      if (project_id != NULL
          && g_strcmp0 (token->project_id, project_id) != 0
          && g_strcmp0 (token->default_project_id, project_id) != 0)
        continue;

      if (organization_id != NULL && g_strcmp0 (token->organization_id, organization_id) != 0)
        continue;

      g_ptr_array_add (result, token);
    }

  g_ptr_array_sort (result, compare_tokens);
  return result;
}

/* GET tokens/{id} visibility (§6.5): the caller's own organizations only,
 * no other user's user-bound key, no login tokens. */
static ExkMockToken *
find_visible_token (Context    *ctx,
                    const char *id)
{
  ExkMockToken *token = exk_mock_store_find_token (ctx->store, id);
  Identity *identity = &ctx->identity;

  if (token == NULL || token->type != EXK_MOCK_TOKEN_ACCESS)
    return NULL;

  if (!user_is_member (identity->user, token->organization_id))
    return NULL;

  if (token->user_id != NULL
      && (identity->user == NULL || !g_str_equal (token->user_id, identity->user->id)))
    return NULL;

  if (token->project_id != NULL
      && !can_access_project (ctx, exk_mock_store_find_project (ctx->store, token->project_id)))
    return NULL;

  return token;
}

static gboolean
reject_access_token (Context    *ctx,
                     const char *verb)
{
  g_autofree char *title = NULL;

  if (!ctx->identity.is_access)
    return FALSE;

  title = g_strdup_printf ("Token authentication cannot %s tokens.", verb);
  exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_FORBIDDEN, title);
  return TRUE;
}

static ExkMockToken *
create_token_record (Context    *ctx,
                     const char *organization_id,
                     const char *project_id)
{
  g_autofree char *id = exk_mock_new_token_id ();
  ExkMockToken *token = exk_mock_token_new (id, EXK_MOCK_TOKEN_ACCESS);

  token->organization_id = g_strdup (organization_id);
  token->project_id = g_strdup (project_id);
  token->created_by = g_strdup (ctx->identity.user != NULL ? ctx->identity.user->id : NULL);
  token->created_utc = ctx->now;
  token->updated_utc = ctx->now;

  return token;
}

/* Handlers: auth */

static void
handle_login (Context *ctx)
{
  ExkMockApi *self = ctx->self;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autofree char *email = NULL;
  g_autofree char *key = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  const char *email_value;
  const char *password;
  const char *invite_token;
  ExkMockToken *token;
  ExkMockUser *user;
  JsonObject *object;
  guint attempts;

  if (!read_object_body (ctx, "Login", &body))
    return;

  object = json_node_get_object (body);
  if (!bind_string (ctx, object, "email", FALSE, NULL, &email_value)
      || !bind_string (ctx, object, "password", FALSE, NULL, &password)
      || !bind_string (ctx, object, "invite_token", TRUE, NULL, &invite_token))
    return;

  if (email_value == NULL || *email_value == '\0')
    json_object_set_array_member (errors, "email", json_array_new ());
  if (password == NULL || *password == '\0')
    json_object_set_array_member (errors, "password", json_array_new ());
  else if (g_utf8_strlen (password, -1) < 6 || g_utf8_strlen (password, -1) > 100)
    json_object_set_array_member (errors, "password", json_array_new ());
  if (invite_token != NULL && strlen (invite_token) != 40)
    json_object_set_array_member (errors, "invite_token", json_array_new ());

  if (json_object_get_size (errors) > 0)
    {
      g_autofree char *password_length = g_strdup_printf (LENGTH_MESSAGE, "Password", 6, 100);
      g_autofree char *invite_length = g_strdup_printf (LENGTH_MESSAGE, "InviteToken", 40, 40);

      if (json_object_has_member (errors, "email"))
        json_array_add_string_element (json_object_get_array_member (errors, "email"),
                                       "The Email field is required.");
      if (json_object_has_member (errors, "password"))
        json_array_add_string_element (json_object_get_array_member (errors, "password"),
                                       password == NULL || *password == '\0'
                                       ? "The Password field is required." : password_length);
      if (json_object_has_member (errors, "invite_token"))
        json_array_add_string_element (json_object_get_array_member (errors, "invite_token"),
                                       invite_length);
      exk_mock_request_respond_validation_errors (ctx->request, 422, errors);
      return;
    }

  email = g_ascii_strdown (email_value, -1);
  g_strstrip (email);

  /* The attempt counts before the password is checked (§5). */
  key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, email, ctx->now / WINDOW_USEC);
  attempts = GPOINTER_TO_UINT (g_hash_table_lookup (self->login_attempts, key)) + 1;
  g_hash_table_insert (self->login_attempts, g_strdup (key), GUINT_TO_POINTER (attempts));
  if (attempts > LOGIN_ATTEMPTS_PER_EMAIL)
    {
      respond_unauthorized (ctx, "Login denied.");
      return;
    }

  user = exk_mock_store_find_user_by_email (ctx->store, email);
  if (user == NULL || !user->is_active || user->password == NULL
      || !g_str_equal (user->password, password))
    {
      respond_unauthorized (ctx, "Login failed.");
      return;
    }

  g_hash_table_remove (self->login_attempts, key);

  /* Every login shares the user's unexpired login token (§6.1). */
  token = exk_mock_store_find_login_token (ctx->store, user->id, ctx->now);
  if (token == NULL)
    {
      g_autofree char *id = exk_mock_new_token_id ();

      token = exk_mock_token_new (id, EXK_MOCK_TOKEN_AUTHENTICATION);
      token->user_id = g_strdup (user->id);
      token->created_by = g_strdup (user->id);
      token->created_utc = ctx->now;
      token->updated_utc = ctx->now;
      token->expires_utc = ctx->now + LOGIN_TOKEN_LIFETIME;
      exk_mock_store_add_token (ctx->store, token);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "token", token->id);
  json_builder_end_object (builder);
  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

static void
handle_logout (Context *ctx)
{
  if (ctx->identity.is_access)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_FORBIDDEN,
                                        "Logout not supported for current user access token");
      return;
    }

  if (ctx->identity.via_password || ctx->identity.token == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_FORBIDDEN,
                                        "Logout not supported");
      return;
    }

  exk_mock_store_remove_token (ctx->store, ctx->identity.token->id);
  ctx->identity.token = NULL;
  exk_mock_request_respond (ctx->request, SOUP_STATUS_OK, NULL, NULL);
}

/* Handlers: users and organizations */

static void
handle_current_user (Context *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ExkMockUser *user = ctx->identity.user;

  if (user == NULL)
    {
      if (ctx->identity.is_access)
        respond_unauthorized (ctx, NULL);
      else
        exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "User not found.");
      return;
    }

  json_builder_begin_object (builder);
  add_string (builder, "id", user->id);
  json_builder_set_member_name (builder, "organization_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < user->organization_ids->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (user->organization_ids, i));
  json_builder_end_array (builder);
  add_string (builder, "full_name", user->full_name);
  add_string (builder, "email_address", user->email_address);
  add_bool (builder, "email_notifications_enabled", TRUE);
  add_bool (builder, "is_email_address_verified", user->is_email_address_verified);
  add_bool (builder, "is_active", user->is_active);
  add_bool (builder, "is_invite", FALSE);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  for (guint i = 0; user->roles[i] != NULL; i++)
    json_builder_add_string_value (builder, user->roles[i]);
  json_builder_end_array (builder);
  add_bool (builder, "has_local_account", user->password != NULL);
  json_builder_set_member_name (builder, "o_auth_accounts");
  json_builder_add_value (builder,
                          json_node_init_array (json_node_alloc (), user->o_auth_accounts));
  json_builder_end_object (builder);

  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

static gboolean
wants_stats (Context *ctx)
{
  const char *mode = exk_mock_request_get_query (ctx->request, "mode");

  return mode != NULL && g_ascii_strcasecmp (mode, "stats") == 0;
}

static int
compare_organizations (gconstpointer a,
                       gconstpointer b)
{
  const ExkMockOrganization *oa = *(ExkMockOrganization * const *) a;
  const ExkMockOrganization *ob = *(ExkMockOrganization * const *) b;
  int result = g_ascii_strcasecmp (oa->name, ob->name);

  return result != 0 ? result : strcmp (oa->id, ob->id);
}

static void
handle_organizations (Context *ctx)
{
  GPtrArray *all = exk_mock_store_get_organizations (ctx->store);
  g_autoptr(GPtrArray) result = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *filter = exk_mock_request_get_query (ctx->request, "filter");
  g_autofree char *needle = NULL;
  gboolean stats = wants_stats (ctx);

  if (filter != NULL && *filter != '\0')
    needle = g_utf8_casefold (filter, -1);

  for (guint i = 0; i < all->len; i++)
    {
      ExkMockOrganization *org = g_ptr_array_index (all, i);

      if (!can_access_organization (ctx, org->id))
        continue;

      if (needle != NULL)
        {
          g_autofree char *name = g_utf8_casefold (org->name, -1);

          if (strstr (name, needle) == NULL)
            continue;
        }

      g_ptr_array_add (result, org);
    }

  if (needle != NULL)
    g_ptr_array_sort (result, compare_organizations);

  json_builder_begin_array (builder);
  for (guint i = 0; i < result->len; i++)
    build_organization (builder, ctx, g_ptr_array_index (result, i), stats);
  json_builder_end_array (builder);

  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

static void
handle_organization (Context *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ExkMockOrganization *org = exk_mock_store_find_organization (ctx->store, ctx->args[0]);

  if (org == NULL || !can_access_organization (ctx, org->id))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND,
                                        "Organization not found.");
      return;
    }

  build_organization (builder, ctx, org, wants_stats (ctx));
  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

/* Handlers: projects */

typedef struct
{
  char     *organization_id;
  char     *project_id;
  char     *text;
  gboolean  descending;
  gboolean  by_created;
} ProjectQuery;

static void
project_query_clear (ProjectQuery *query)
{
  g_clear_pointer (&query->organization_id, g_free);
  g_clear_pointer (&query->project_id, g_free);
  g_clear_pointer (&query->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ProjectQuery, project_query_clear)

static char *
unquote (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    return g_strndup (value + 1, len - 2);

  return g_strdup (value);
}

/* A fake of the Lucene-style filter: organization:<id>, project:<id>,
 * name:<text>, and free text matched case-insensitively in the name. */
static void
project_query_parse (ProjectQuery *query,
                     const char   *filter,
                     const char   *sort)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (filter != NULL)
    {
      g_auto(GStrv) words = g_strsplit_set (filter, " \t", -1);

      for (guint i = 0; words[i] != NULL; i++)
        {
          const char *word = words[i];

          if (*word == '\0')
            continue;

          if (g_ascii_strncasecmp (word, "organization:", 13) == 0)
            {
              g_free (query->organization_id);
              query->organization_id = unquote (word + 13);
            }
          else if (g_ascii_strncasecmp (word, "project:", 8) == 0)
            {
              g_free (query->project_id);
              query->project_id = unquote (word + 8);
            }
          else
            {
              g_autofree char *plain = NULL;

              if (g_ascii_strncasecmp (word, "name:", 5) == 0)
                word += 5;

              plain = unquote (word);
              if (text->len > 0)
                g_string_append_c (text, ' ');
              g_string_append (text, plain);
            }
        }
    }

  if (text->len > 0)
    query->text = g_utf8_casefold (text->str, -1);

  if (sort != NULL && *sort != '\0')
    {
      const char *field = sort;

      if (*field == '-')
        {
          query->descending = TRUE;
          field++;
        }
      else if (*field == '+')
        {
          field++;
        }

      query->by_created = g_ascii_strcasecmp (field, "created_utc") == 0;
    }
}

static int
compare_projects (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const ProjectQuery *query = user_data;
  const ExkMockProject *pa = *(ExkMockProject * const *) a;
  const ExkMockProject *pb = *(ExkMockProject * const *) b;
  int result = 0;

  if (query->by_created && pa->created_utc != pb->created_utc)
    result = pa->created_utc < pb->created_utc ? -1 : 1;

  if (result == 0)
    result = g_ascii_strcasecmp (pa->name, pb->name);
  if (result == 0)
    result = strcmp (pa->name, pb->name);
  if (result == 0)
    result = strcmp (pa->id, pb->id);

  return query->descending ? -result : result;
}

static void
respond_projects (Context    *ctx,
                  const char *organization_id)
{
  g_auto(ProjectQuery) query = { 0 };
  g_autoptr(GPtrArray) result = g_ptr_array_new ();
  GPtrArray *all = exk_mock_store_get_projects (ctx->store);
  guint64 page;
  guint64 limit;

  if (!parse_paging (ctx, MAX_PROJECTS_PAGE, &page, &limit))
    return;

  project_query_parse (&query,
                       exk_mock_request_get_query (ctx->request, "filter"),
                       exk_mock_request_get_query (ctx->request, "sort"));

  for (guint i = 0; i < all->len; i++)
    {
      ExkMockProject *project = g_ptr_array_index (all, i);

      if (!can_access_project (ctx, project))
        continue;

      if (organization_id != NULL && !g_str_equal (project->organization_id, organization_id))
        continue;

      if (query.organization_id != NULL
          && !g_str_equal (project->organization_id, query.organization_id))
        continue;

      if (query.project_id != NULL && !g_str_equal (project->id, query.project_id))
        continue;

      if (query.text != NULL)
        {
          g_autofree char *name = g_utf8_casefold (project->name, -1);

          if (strstr (name, query.text) == NULL)
            continue;
        }

      g_ptr_array_add (result, project);
    }

  g_ptr_array_sort_with_data (result, compare_projects, &query);
  respond_page (ctx, result, page, limit, build_project, wants_stats (ctx));
}

static void
handle_projects (Context *ctx)
{
  respond_projects (ctx, NULL);
}

static void
handle_organization_projects (Context *ctx)
{
  if (!can_access_organization (ctx, ctx->args[0]))
    {
      /* Sic: the server says "Project not found." here (§6.3). */
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "Project not found.");
      return;
    }

  respond_projects (ctx, ctx->args[0]);
}

static ExkMockProject *
find_route_project (Context *ctx)
{
  ExkMockProject *project = exk_mock_store_find_project (ctx->store, ctx->args[0]);

  if (!can_access_project (ctx, project))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "Project not found.");
      return NULL;
    }

  return project;
}

static void
handle_project (Context *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ExkMockProject *project = find_route_project (ctx);

  if (project == NULL)
    return;

  build_project (builder, ctx, project, wants_stats (ctx));
  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

static ExkMockProject *
find_identity_project (Context *ctx)
{
  ExkMockToken *token = ctx->identity.token;
  const char *project_id = NULL;

  if (ctx->identity.is_access)
    project_id = token->project_id != NULL ? token->project_id : token->default_project_id;

  return exk_mock_store_find_project (ctx->store, project_id);
}

static void
handle_project_config (Context *ctx)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  ExkMockProject *project = find_identity_project (ctx);
  gint64 version;

  if (project == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "Project not found.");
      return;
    }

  if (!parse_int_query (ctx, "v", -1, &version))
    return;

  if (version == project->config_version)
    {
      exk_mock_request_respond (ctx->request, SOUP_STATUS_NOT_MODIFIED, NULL, NULL);
      return;
    }

  json_builder_begin_object (builder);
  add_int (builder, "version", project->config_version);
  json_builder_set_member_name (builder, "settings");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), project->settings));
  json_builder_end_object (builder);

  respond_builder (ctx, SOUP_STATUS_OK, builder);
}

static void
post_event (Context        *ctx,
            ExkMockProject *project)
{
  const char *type = soup_message_headers_get_content_type (ctx->request->request_headers, NULL);
  gsize len = g_bytes_get_size (ctx->request->body);
  char version[32];

  if (len == 0)
    {
      exk_mock_request_respond_problem (ctx->request, 411, NULL);
      return;
    }

  if (len > MAX_EVENT_BODY)
    {
      exk_mock_request_respond_problem (ctx->request, 413, NULL);
      return;
    }

  if (!is_json_content_type (ctx->request)
      && (type == NULL || g_ascii_strcasecmp (type, "text/plain") != 0))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, NULL);
      return;
    }

  if (project == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                        "No project id specified and no default project was found");
      return;
    }

  /* The real server queues the event and counts it a moment later; here it
   * counts at once. A `status:202` fault answers without counting it. */
  project->event_count++;
  g_snprintf (version, sizeof version, "%d", project->config_version);
  soup_message_headers_replace (ctx->request->response_headers,
                                "X-Exceptionless-ConfigVersion", version);
  exk_mock_request_respond (ctx->request, SOUP_STATUS_ACCEPTED, NULL, NULL);
}

static void
handle_post_event (Context *ctx)
{
  post_event (ctx, find_identity_project (ctx));
}

static void
handle_post_project_event (Context *ctx)
{
  ExkMockToken *token = ctx->identity.token;
  ExkMockProject *project;

  if (ctx->identity.is_access && token->project_id != NULL
      && !g_str_equal (token->project_id, ctx->args[0]))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }

  project = find_route_project (ctx);
  if (project != NULL)
    post_event (ctx, project);
}

/* Handlers: tokens (§6.5) */

static void
handle_project_tokens (Context *ctx)
{
  g_autoptr(GPtrArray) tokens = NULL;
  ExkMockProject *project;
  guint64 page;
  guint64 limit;

  if (reject_access_token (ctx, "access"))
    return;

  if ((project = find_route_project (ctx)) == NULL)
    return;

  if (!parse_paging (ctx, MAX_TOKENS_PAGE, &page, &limit))
    return;

  tokens = list_tokens (ctx, project->id, NULL);
  respond_page (ctx, tokens, page, limit, build_token, FALSE);
}

static void
handle_organization_tokens (Context *ctx)
{
  g_autoptr(GPtrArray) tokens = NULL;
  guint64 page;
  guint64 limit;

  if (reject_access_token (ctx, "access"))
    return;

  if (!user_is_member (ctx->identity.user, ctx->args[0])
      || exk_mock_store_find_organization (ctx->store, ctx->args[0]) == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND,
                                        "Organization not found.");
      return;
    }

  if (!parse_paging (ctx, MAX_TOKENS_PAGE, &page, &limit))
    return;

  tokens = list_tokens (ctx, NULL, ctx->args[0]);
  respond_page (ctx, tokens, page, limit, build_token, FALSE);
}

static void
handle_default_token (Context *ctx)
{
  g_autoptr(GPtrArray) tokens = NULL;
  ExkMockProject *project;
  ExkMockToken *token;

  if (reject_access_token (ctx, "access"))
    return;

  if ((project = find_route_project (ctx)) == NULL)
    return;

  /* The oldest client key, even a disabled one. */
  tokens = list_tokens (ctx, project->id, NULL);
  for (guint i = 0; i < tokens->len; i++)
    {
      token = g_ptr_array_index (tokens, i);

      if (token->scopes->len == 0 || exk_mock_token_has_scope (token, "client"))
        {
          respond_token (ctx, SOUP_STATUS_OK, token);
          return;
        }
    }

  token = create_token_record (ctx, project->organization_id, project->id);
  exk_mock_token_add_scope (token, "client");
  exk_mock_store_add_token (ctx->store, token);
  respond_token (ctx, SOUP_STATUS_CREATED, token);
}

static void
handle_get_token (Context *ctx)
{
  ExkMockToken *token;

  if (reject_access_token (ctx, "access"))
    return;

  token = find_visible_token (ctx, ctx->args[0]);
  if (token == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "Token not found.");
      return;
    }

  respond_token (ctx, SOUP_STATUS_OK, token);
}

typedef struct
{
  const char *organization_id;
  const char *project_id;
  const char *default_project_id;
  const char *notes;
  GPtrArray  *scopes;
  gint64      expires_utc;
} NewToken;

static gboolean
bind_new_token (Context    *ctx,
                JsonObject *object,
                NewToken   *model)
{
  const char *expires = NULL;
  JsonNode *node;

  if (!bind_string (ctx, object, "organization_id", FALSE, NULL, &model->organization_id)
      || !bind_string (ctx, object, "project_id", FALSE, NULL, &model->project_id)
      || !bind_string (ctx, object, "default_project_id", TRUE, NULL, &model->default_project_id)
      || !bind_string (ctx, object, "notes", TRUE, NULL, &model->notes)
      || !bind_string (ctx, object, "expires_utc", TRUE, NULL, &expires))
    return FALSE;

  if (expires != NULL && !exk_mock_parse_time (expires, &model->expires_utc))
    {
      respond_binding_error (ctx, "expires_utc", "System.DateTime");
      return FALSE;
    }

  node = find_member (object, "scopes");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          respond_binding_error (ctx, "scopes", HASH_SET_TYPE);
          return FALSE;
        }

      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!is_string_node (element))
            {
              respond_binding_error (ctx, "scopes", "System.String");
              return FALSE;
            }

          g_ptr_array_add (model->scopes, (gpointer) json_node_get_string (element));
        }
    }

  return TRUE;
}

static void
check_id_length (JsonObject *errors,
                 const char *field,
                 const char *display,
                 const char *value)
{
  g_autofree char *message = NULL;

  if (value == NULL || strlen (value) == 24)
    return;

  message = g_strdup_printf (LENGTH_MESSAGE, display, 24, 24);
  json_object_set_array_member (errors, field, json_array_new ());
  json_array_add_string_element (json_object_get_array_member (errors, field), message);
}

static gboolean
is_valid_scope (const char *scope)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid_scopes); i++)
    if (g_str_equal (scope, valid_scopes[i]))
      return TRUE;

  return FALSE;
}

typedef enum
{
  CREATE_ON_TOKENS,
  CREATE_ON_PROJECT,
  CREATE_ON_ORGANIZATION,
} CreateRoute;

static void
create_token (Context     *ctx,
              CreateRoute  route)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autoptr(GPtrArray) scopes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) raw_scopes = g_ptr_array_new ();
  g_autofree char *organization_id = NULL;
  g_autofree char *project_id = NULL;
  g_autofree char *default_project_id = NULL;
  NewToken model = { 0 };
  ExkMockToken *token;

  if (reject_access_token (ctx, "create"))
    return;

  if (!read_json_body (ctx, &body))
    return;

  if (body == NULL && route == CREATE_ON_TOKENS)
    {
      respond_body_required (ctx);
      return;
    }

  if (body != NULL && !JSON_NODE_HOLDS_OBJECT (body))
    {
      respond_binding_error (ctx, "$", "NewToken");
      return;
    }

  model.scopes = raw_scopes;
  if (body != NULL && !bind_new_token (ctx, json_node_get_object (body), &model))
    return;

  /* Rule 1: attribute validation on the body as sent. */
  check_id_length (errors, "organization_id", "OrganizationId", model.organization_id);
  check_id_length (errors, "project_id", "ProjectId", model.project_id);
  check_id_length (errors, "default_project_id", "DefaultProjectId", model.default_project_id);
  if (json_object_get_size (errors) > 0)
    {
      exk_mock_request_respond_validation_errors (ctx->request, 422, errors);
      return;
    }

  organization_id = g_strdup (model.organization_id);
  project_id = g_strdup (model.project_id);
  default_project_id = g_strdup (model.default_project_id);

  if (route == CREATE_ON_PROJECT)
    {
      ExkMockProject *project = find_route_project (ctx);

      if (project == NULL)
        return;

      g_free (organization_id);
      organization_id = g_strdup (project->organization_id);
      g_free (project_id);
      project_id = g_strdup (project->id);
    }
  else if (route == CREATE_ON_ORGANIZATION)
    {
      if (!user_is_member (ctx->identity.user, ctx->args[0]))
        {
          exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                            "Invalid organization.");
          return;
        }

      g_free (organization_id);
      organization_id = g_strdup (ctx->args[0]);
    }
  else if (project_id == NULL || *project_id == '\0')
    {
      exk_mock_request_respond_validation (ctx->request, SOUP_STATUS_BAD_REQUEST, "project_id",
                                           "The project_id field is required.");
      return;
    }

  /* Rule 2 */
  if (organization_id == NULL || *organization_id == '\0')
    {
      g_free (organization_id);
      organization_id = g_strdup (first_organization_id (ctx));
      if (organization_id == NULL)
        {
          exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                            "Organization is required.");
          return;
        }
    }

  /* Rules 3 and 4 */
  for (guint i = 0; i < raw_scopes->len; i++)
    {
      g_autofree char *scope = g_ascii_strdown (g_ptr_array_index (raw_scopes, i), -1);

      if (!is_valid_scope (scope))
        {
          exk_mock_request_respond_validation (ctx->request, 422, "scopes",
                                               "Invalid token scope requested.");
          return;
        }

      if (!g_ptr_array_find_with_equal_func (scopes, scope, g_str_equal, NULL))
        g_ptr_array_add (scopes, g_steal_pointer (&scope));
    }

  if (scopes->len == 0)
    g_ptr_array_add (scopes, g_strdup ("client"));

  /* Rule 5 */
  if (g_ptr_array_find_with_equal_func (scopes, "source-maps:write", g_str_equal, NULL)
      && (project_id == NULL || *project_id == '\0'))
    {
      exk_mock_request_respond_validation (ctx->request, 422, "project_id", SOURCE_MAPS_MESSAGE);
      return;
    }

  /* Rule 6 */
  for (guint i = 0; i < scopes->len; i++)
    {
      const char *scope = g_ptr_array_index (scopes, i);
      const char *needed = NULL;

      if (g_str_equal (scope, "client") || g_str_equal (scope, "user"))
        needed = "user";
      else if (g_str_equal (scope, "global"))
        needed = "global";

      if (needed != NULL && !has_role (ctx, needed))
        {
          exk_mock_request_respond_validation (ctx->request, 422, "scopes",
                                               "Invalid token scope requested.");
          return;
        }
    }

  /* Rule 7 */
  if (project_id != NULL && *project_id != '\0')
    {
      ExkMockProject *project = exk_mock_store_find_project (ctx->store, project_id);

      if (!can_access_project (ctx, project))
        {
          exk_mock_request_respond_validation (ctx->request, 422, "project_id",
                                               "Please specify a valid project id.");
          return;
        }

      g_free (organization_id);
      organization_id = g_strdup (project->organization_id);
      g_clear_pointer (&default_project_id, g_free);
    }
  else
    {
      g_clear_pointer (&project_id, g_free);
    }

  /* Rule 8 */
  if (default_project_id != NULL
      && !can_access_project (ctx, exk_mock_store_find_project (ctx->store, default_project_id)))
    {
      exk_mock_request_respond_validation (ctx->request, 422, "default_project_id",
                                           "Please specify a valid default project id.");
      return;
    }

  /* Rule 9 */
  if (!can_access_organization (ctx, organization_id))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                        "Invalid organization id specified.");
      return;
    }

  token = create_token_record (ctx, organization_id, project_id);
  token->default_project_id = g_steal_pointer (&default_project_id);
  token->notes = g_strdup (model.notes);
  token->expires_utc = model.expires_utc;

  /* Expansion: global adds user, user adds client. */
  for (guint i = 0; i < scopes->len; i++)
    exk_mock_token_add_scope (token, g_ptr_array_index (scopes, i));
  if (exk_mock_token_has_scope (token, "global"))
    exk_mock_token_add_scope (token, "user");
  if (exk_mock_token_has_scope (token, "user"))
    exk_mock_token_add_scope (token, "client");

  exk_mock_store_add_token (ctx->store, token);
  respond_token (ctx, SOUP_STATUS_CREATED, token);
}

static void
handle_create_token (Context *ctx)
{
  create_token (ctx, CREATE_ON_TOKENS);
}

static void
handle_create_project_token (Context *ctx)
{
  create_token (ctx, CREATE_ON_PROJECT);
}

static void
handle_create_organization_token (Context *ctx)
{
  create_token (ctx, CREATE_ON_ORGANIZATION);
}

static void
handle_update_token (Context *ctx)
{
  g_autoptr(JsonNode) body = NULL;
  JsonObject *object;
  JsonNode *disabled_node;
  JsonNode *notes_node;
  ExkMockToken *token;

  if (reject_access_token (ctx, "update"))
    return;

  if (!read_object_body (ctx, "UpdateToken", &body))
    return;

  object = json_node_get_object (body);
  disabled_node = find_member (object, "is_disabled");
  notes_node = find_member (object, "notes");

  if (disabled_node != NULL
      && (!JSON_NODE_HOLDS_VALUE (disabled_node)
          || json_node_get_value_type (disabled_node) != G_TYPE_BOOLEAN))
    {
      respond_binding_error (ctx, "is_disabled", "System.Boolean");
      return;
    }

  if (notes_node != NULL && !JSON_NODE_HOLDS_NULL (notes_node) && !is_string_node (notes_node))
    {
      respond_binding_error (ctx, "notes", "System.String");
      return;
    }

  token = find_visible_token (ctx, ctx->args[0]);
  if (token == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "Token not found.");
      return;
    }

  /* Everything else in the body is ignored: keys are immutable. */
  if (disabled_node != NULL)
    token->is_disabled = json_node_get_boolean (disabled_node);

  if (notes_node != NULL)
    {
      g_free (token->notes);
      token->notes = JSON_NODE_HOLDS_NULL (notes_node)
                     ? NULL : g_strdup (json_node_get_string (notes_node));
    }

  if (disabled_node != NULL || notes_node != NULL)
    token->updated_utc = ctx->now;

  respond_token (ctx, SOUP_STATUS_OK, token);
}

static void
add_failure (JsonBuilder *builder,
             const char  *id,
             guint        status,
             const char  *message)
{
  json_builder_begin_object (builder);
  add_bool (builder, "allowed", FALSE);
  add_string (builder, "id", id);
  add_string (builder, "message", message);
  add_int (builder, "status_code", status);
  json_builder_end_object (builder);
}

static void
handle_delete_tokens (Context *ctx)
{
  g_auto(GStrv) ids = g_strsplit (ctx->args[0], ",", -1);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(GPtrArray) deleted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) failures = json_builder_new ();
  g_autoptr(JsonBuilder) builder = NULL;
  const char *single_message = NULL;
  guint single_status = 0;
  guint n_failures = 0;

  if (reject_access_token (ctx, "delete"))
    return;

  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (unique, ids[i], g_str_equal, NULL))
      g_ptr_array_add (unique, ids[i]);

  for (guint i = 0; i < unique->len; i++)
    {
      const char *id = g_ptr_array_index (unique, i);
      ExkMockToken *token = exk_mock_store_find_token (ctx->store, id);

      if (token != NULL && token->type == EXK_MOCK_TOKEN_ACCESS
          && user_is_member (ctx->identity.user, token->organization_id))
        g_ptr_array_add (found, token);
      else
        g_ptr_array_add (missing, (gpointer) id);
    }

  if (found->len == 0)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND, "No tokens found.");
      return;
    }

  json_builder_begin_array (failures);

  for (guint i = 0; i < found->len; i++)
    {
      ExkMockToken *token = g_ptr_array_index (found, i);

      if (token->user_id != NULL && !g_str_equal (token->user_id, ctx->identity.user->id))
        {
          single_status = SOUP_STATUS_BAD_REQUEST;
          single_message = "Can only delete tokens created by you.";
          add_failure (failures, token->id, single_status, single_message);
          n_failures++;
        }
      else if (token->project_id != NULL
               && !can_access_project (ctx, exk_mock_store_find_project (ctx->store,
                                                                         token->project_id)))
        {
          single_status = SOUP_STATUS_NOT_FOUND;
          single_message = NULL;
          add_failure (failures, token->id, single_status, NULL);
          n_failures++;
        }
      else
        {
          g_ptr_array_add (deleted, g_strdup (token->id));
          exk_mock_store_remove_token (ctx->store, token->id);
        }
    }

  for (guint i = 0; i < missing->len; i++)
    {
      single_status = SOUP_STATUS_NOT_FOUND;
      single_message = NULL;
      add_failure (failures, g_ptr_array_index (missing, i), SOUP_STATUS_NOT_FOUND, NULL);
      n_failures++;
    }

  json_builder_end_array (failures);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  if (n_failures == 0)
    {
      add_empty_array (builder, "workers");
      json_builder_end_object (builder);
      respond_builder (ctx, SOUP_STATUS_ACCEPTED, builder);
      return;
    }

  if (deleted->len == 0 && n_failures == 1)
    {
      json_builder_end_object (builder);
      exk_mock_request_respond_problem (ctx->request, single_status, single_message);
      return;
    }

  /* Mixed results: a plain JSON body, not ProblemDetails (§6.5). */
  json_builder_set_member_name (builder, "success");
  json_builder_begin_array (builder);
  for (guint i = 0; i < deleted->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (deleted, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "failure");
  json_builder_add_value (builder, json_builder_get_root (failures));
  add_empty_array (builder, "workers");
  json_builder_end_object (builder);
  respond_builder (ctx, SOUP_STATUS_BAD_REQUEST, builder);
}

/* Project changes (§6.4) */

/* Another project of @organization_id named @name, trimmed and without regard
 * to case, as the server compares them; @except is the project being renamed. */
static gboolean
is_project_name_taken (Context        *ctx,
                       const char     *organization_id,
                       const char     *name,
                       ExkMockProject *except)
{
  GPtrArray *projects = exk_mock_store_get_projects (ctx->store);
  g_autofree char *wanted = g_strstrip (g_utf8_casefold (name, -1));

  for (guint i = 0; i < projects->len; i++)
    {
      ExkMockProject *project = g_ptr_array_index (projects, i);
      g_autofree char *folded = NULL;

      if (project == except || g_strcmp0 (project->organization_id, organization_id) != 0)
        continue;

      folded = g_strstrip (g_utf8_casefold (project->name, -1));
      if (g_str_equal (folded, wanted))
        return TRUE;
    }

  return FALSE;
}

static guint
count_organization_projects (Context    *ctx,
                             const char *organization_id)
{
  GPtrArray *projects = exk_mock_store_get_projects (ctx->store);
  guint count = 0;

  for (guint i = 0; i < projects->len; i++)
    if (g_strcmp0 (((ExkMockProject *) g_ptr_array_index (projects, i))->organization_id,
                   organization_id) == 0)
      count++;

  return count;
}

static void
respond_project (Context        *ctx,
                 guint           status,
                 ExkMockProject *project)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (status == SOUP_STATUS_CREATED)
    {
      g_autofree char *origin = exk_mock_request_get_origin (ctx->request);
      g_autofree char *location = g_strdup_printf ("%s/api/v2/projects/%s", origin, project->id);

      soup_message_headers_replace (ctx->request->response_headers, "Location", location);
    }

  build_project (builder, ctx, project, FALSE);
  respond_builder (ctx, status, builder);
}

/* Binds the optional `delete_bot_data_enabled`; FALSE after answering. */
static gboolean
bind_bot_data (Context    *ctx,
               JsonObject *object,
               gboolean   *out_present,
               gboolean   *out_value)
{
  JsonNode *node = find_member (object, "delete_bot_data_enabled");

  *out_present = node != NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      respond_binding_error (ctx, "delete_bot_data_enabled", "System.Boolean");
      return FALSE;
    }

  *out_value = json_node_get_boolean (node);
  return TRUE;
}

/* POST projects: the name is checked first, then the organization, the
 * name's uniqueness in it, and last the plan's project limit. */
static void
handle_create_project (Context *ctx)
{
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonObject) errors = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  const char *organization_id = NULL;
  const char *raw_name = NULL;
  gboolean bot_data_present = FALSE;
  gboolean bot_data = FALSE;
  ExkMockOrganization *org;
  ExkMockProject *project;

  if (!read_object_body (ctx, "NewProject", &body))
    return;

  if (!bind_string (ctx, json_node_get_object (body), "organization_id", FALSE, NULL,
                    &organization_id)
      || !bind_string (ctx, json_node_get_object (body), "name", FALSE, NULL, &raw_name)
      || !bind_bot_data (ctx, json_node_get_object (body), &bot_data_present, &bot_data))
    return;

  check_id_length (errors, "organization_id", "OrganizationId", organization_id);
  if (json_object_get_size (errors) > 0)
    {
      exk_mock_request_respond_validation_errors (ctx->request, 422, errors);
      return;
    }

  name = g_strstrip (g_strdup (raw_name != NULL ? raw_name : ""));
  if (*name == '\0')
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                        NAME_REQUIRED_MESSAGE);
      return;
    }

  if (organization_id == NULL || *organization_id == '\0')
    organization_id = first_organization_id (ctx);

  if (!user_is_member (ctx->identity.user, organization_id)
      || (org = exk_mock_store_find_organization (ctx->store, organization_id)) == NULL)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                        "Invalid organization id specified.");
      return;
    }

  if (is_project_name_taken (ctx, organization_id, name, NULL))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST, NAME_TAKEN_MESSAGE);
      return;
    }

  /* max_projects below 0 is unlimited. */
  if (org->max_projects >= 0
      && count_organization_projects (ctx, organization_id) >= (guint) org->max_projects)
    {
      exk_mock_request_respond_problem (ctx->request, 426, PLAN_LIMIT_MESSAGE);
      return;
    }

  id = exk_mock_new_object_id ();
  project = exk_mock_project_new (id, organization_id, name);
  project->created_utc = ctx->now;
  project->delete_bot_data_enabled = bot_data;
  exk_mock_store_add_project (ctx->store, project);
  respond_project (ctx, SOUP_STATUS_CREATED, project);
}

/* GET organizations/{id}/projects/check-name: 204 when the name is free,
 * 201 when a project has it. A blank name is not free. */
static void
handle_check_project_name (Context *ctx)
{
  const char *name = exk_mock_request_get_query (ctx->request, "name");
  g_autofree char *trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));

  if (!can_access_organization (ctx, ctx->args[0]))
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND,
                                        "Organization not found.");
      return;
    }

  if (*trimmed == '\0' || is_project_name_taken (ctx, ctx->args[0], trimmed, NULL))
    {
      exk_mock_request_respond (ctx->request, SOUP_STATUS_CREATED, NULL, NULL);
      return;
    }

  exk_mock_request_respond (ctx->request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
}

/* PATCH or PUT projects/{id}: only what the body has changes. */
static void
handle_update_project (Context *ctx)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;
  const char *raw_name = NULL;
  gboolean name_present = FALSE;
  gboolean bot_data_present = FALSE;
  gboolean bot_data = FALSE;
  ExkMockProject *project;

  if (!read_object_body (ctx, "UpdateProject", &body))
    return;

  if (!bind_string (ctx, json_node_get_object (body), "name", FALSE, &name_present, &raw_name)
      || !bind_bot_data (ctx, json_node_get_object (body), &bot_data_present, &bot_data))
    return;

  if ((project = find_route_project (ctx)) == NULL)
    return;

  if (name_present)
    {
      name = g_strstrip (g_strdup (raw_name));
      if (*name == '\0')
        {
          exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                            NAME_REQUIRED_MESSAGE);
          return;
        }

      if (is_project_name_taken (ctx, project->organization_id, name, project))
        {
          exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_BAD_REQUEST,
                                            NAME_TAKEN_MESSAGE);
          return;
        }

      g_free (project->name);
      project->name = g_steal_pointer (&name);
    }

  if (bot_data_present)
    project->delete_bot_data_enabled = bot_data;

  respond_project (ctx, SOUP_STATUS_OK, project);
}

/* The project goes, and every key bound to it; keys that only had it as
 * their default project stay, without it. */
static void
delete_project (Context        *ctx,
                ExkMockProject *project)
{
  GPtrArray *tokens = exk_mock_store_get_tokens (ctx->store);
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *id = g_strdup (project->id);

  for (guint i = 0; i < tokens->len; i++)
    {
      ExkMockToken *token = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (token->project_id, id) == 0)
        g_ptr_array_add (doomed, g_strdup (token->id));
      else if (g_strcmp0 (token->default_project_id, id) == 0)
        g_clear_pointer (&token->default_project_id, g_free);
    }

  for (guint i = 0; i < doomed->len; i++)
    exk_mock_store_remove_token (ctx->store, g_ptr_array_index (doomed, i));

  exk_mock_store_remove_project (ctx->store, id);
}

/* DELETE projects/{ids}: the bulk rules of DELETE tokens/{ids} (§6.5). */
static void
handle_delete_projects (Context *ctx)
{
  g_auto(GStrv) ids = g_strsplit (ctx->args[0], ",", -1);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new ();
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (unique, ids[i], g_str_equal, NULL))
      g_ptr_array_add (unique, ids[i]);

  for (guint i = 0; i < unique->len; i++)
    {
      const char *id = g_ptr_array_index (unique, i);
      ExkMockProject *project = exk_mock_store_find_project (ctx->store, id);

      if (can_access_project (ctx, project))
        g_ptr_array_add (found, project);
      else
        g_ptr_array_add (missing, (gpointer) id);
    }

  if (found->len == 0)
    {
      exk_mock_request_respond_problem (ctx->request, SOUP_STATUS_NOT_FOUND,
                                        "No projects found.");
      return;
    }

  json_builder_begin_object (builder);

  if (missing->len == 0)
    {
      for (guint i = 0; i < found->len; i++)
        delete_project (ctx, g_ptr_array_index (found, i));
      add_empty_array (builder, "workers");
      json_builder_end_object (builder);
      respond_builder (ctx, SOUP_STATUS_ACCEPTED, builder);
      return;
    }

  /* Mixed results: a plain JSON body, not ProblemDetails. */
  json_builder_set_member_name (builder, "success");
  json_builder_begin_array (builder);
  for (guint i = 0; i < found->len; i++)
    json_builder_add_string_value (builder,
                                   ((ExkMockProject *) g_ptr_array_index (found, i))->id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "failure");
  json_builder_begin_array (builder);
  for (guint i = 0; i < missing->len; i++)
    add_failure (builder, g_ptr_array_index (missing, i), SOUP_STATUS_NOT_FOUND, NULL);
  json_builder_end_array (builder);
  add_empty_array (builder, "workers");
  json_builder_end_object (builder);

  for (guint i = 0; i < found->len; i++)
    delete_project (ctx, g_ptr_array_index (found, i));
  respond_builder (ctx, SOUP_STATUS_BAD_REQUEST, builder);
}

/* Routing */

static const Route routes[] = {
  { "POST", "auth/login", REQUIRE_NOTHING, TRUE, handle_login },
  { "GET", "auth/logout", REQUIRE_USER, TRUE, handle_logout },
  { "GET", "users/me", REQUIRE_USER, TRUE, handle_current_user },
  { "GET", "organizations", REQUIRE_USER, TRUE, handle_organizations },
  { "GET", "organizations/{objectid}", REQUIRE_USER, TRUE, handle_organization },
  { "GET", "organizations/{objectid}/projects", REQUIRE_USER, TRUE, handle_organization_projects },
  { "GET", "organizations/{objectid}/projects/check-name", REQUIRE_USER, TRUE,
    handle_check_project_name },
  { "GET", "organizations/{objectid}/tokens", REQUIRE_USER, TRUE, handle_organization_tokens },
  { "POST", "organizations/{objectid}/tokens", REQUIRE_USER, TRUE,
    handle_create_organization_token },
  { "GET", "projects", REQUIRE_USER, TRUE, handle_projects },
  { "GET", "projects/config", REQUIRE_CLIENT, FALSE, handle_project_config },
  { "POST", "projects", REQUIRE_USER, TRUE, handle_create_project },
  { "GET", "projects/{objectid}", REQUIRE_USER, TRUE, handle_project },
  { "PATCH", "projects/{objectid}", REQUIRE_USER, TRUE, handle_update_project },
  { "PUT", "projects/{objectid}", REQUIRE_USER, TRUE, handle_update_project },
  { "DELETE", "projects/{objectids}", REQUIRE_USER, TRUE, handle_delete_projects },
  { "GET", "projects/{objectid}/tokens", REQUIRE_USER, TRUE, handle_project_tokens },
  { "POST", "projects/{objectid}/tokens", REQUIRE_USER, TRUE, handle_create_project_token },
  { "GET", "projects/{objectid}/tokens/default", REQUIRE_USER, TRUE, handle_default_token },
  { "POST", "projects/{objectid}/events", REQUIRE_CLIENT, TRUE, handle_post_project_event },
  { "POST", "events", REQUIRE_CLIENT, TRUE, handle_post_event },
  { "POST", "tokens", REQUIRE_USER, TRUE, handle_create_token },
  { "GET", "tokens/{token}", REQUIRE_USER, TRUE, handle_get_token },
  { "PATCH", "tokens/{tokens}", REQUIRE_USER, TRUE, handle_update_token },
  { "PUT", "tokens/{tokens}", REQUIRE_USER, TRUE, handle_update_token },
  { "DELETE", "tokens/{tokens}", REQUIRE_USER, TRUE, handle_delete_tokens },
};

/* Splits "/api/v2/a/b" into decoded segments after the base path. */
static char **
split_api_path (const char *path)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  g_autofree char *trimmed = NULL;
  gsize len;

  if (g_ascii_strncasecmp (path, "/api/v2/", 8) != 0)
    return NULL;

  trimmed = g_strdup (path + 8);
  len = strlen (trimmed);
  if (len > 0 && trimmed[len - 1] == '/')
    trimmed[len - 1] = '\0';

  if (*trimmed == '\0')
    return NULL;

  parts = g_strsplit (trimmed, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *decoded = g_uri_unescape_string (parts[i], "/");

      if (decoded == NULL || *decoded == '\0')
        return NULL;

      g_strv_builder_add (builder, decoded);
    }

  return g_strv_builder_end (builder);
}

static gboolean
match_route (const Route  *route,
             char        **segments,
             const char  **args)
{
  g_auto(GStrv) pattern = g_strsplit (route->pattern, "/", -1);
  guint n_args = 0;

  if (g_strv_length (pattern) != g_strv_length (segments))
    return FALSE;

  for (guint i = 0; pattern[i] != NULL; i++)
    {
      if (pattern[i][0] == '{')
        {
          if (!matches_constraint (pattern[i], segments[i]))
            return FALSE;

          if (n_args < 3)
            args[n_args++] = segments[i];
        }
      else if (g_ascii_strcasecmp (pattern[i], segments[i]) != 0)
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* Overrides */

static void
exk_mock_api_finalize (GObject *object)
{
  ExkMockApi *self = (ExkMockApi *)object;

  g_clear_object (&self->store);
  g_clear_pointer (&self->seed_file, g_free);
  g_clear_pointer (&self->login_attempts, g_hash_table_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);

  G_OBJECT_CLASS (exk_mock_api_parent_class)->finalize (object);
}

static void
exk_mock_api_class_init (ExkMockApiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_mock_api_finalize;
}

static void
exk_mock_api_init (ExkMockApi *self)
{
  self->login_attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rate_limit = EXK_MOCK_DEFAULT_RATE_LIMIT;
}

/* Public API */

ExkMockApi *
exk_mock_api_new (guint        projects,
                  guint        tokens,
                  guint        organization_tokens,
                  const char  *seed_file,
                  guint        rate_limit,
                  GError     **error)
{
  g_autoptr(ExkMockApi) self = g_object_new (EXK_TYPE_MOCK_API, NULL);

  self->projects = projects;
  self->tokens = tokens;
  self->organization_tokens = organization_tokens;
  self->seed_file = g_strdup (seed_file);
  if (rate_limit > 0)
    self->rate_limit = rate_limit;

  if (!exk_mock_api_reset (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
exk_mock_api_reset (ExkMockApi  *self,
                    GError     **error)
{
  g_autoptr(ExkMockStore) store = exk_mock_store_new ();
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (EXK_IS_MOCK_API (self), FALSE);

  if (self->seed_file != NULL)
    {
      if (!exk_mock_store_load_file (store, self->seed_file, error))
        {
          g_prefix_error (error, "%s: ", self->seed_file);
          return FALSE;
        }
    }
  else
    {
      exk_mock_seed_demo (store, now);
    }

  exk_mock_seed_generate_projects (store, self->projects);
  exk_mock_seed_generate_tokens (store, self->tokens);
  exk_mock_seed_generate_organization_tokens (store, self->organization_tokens, now);
  exk_mock_seed_ensure_demo_login (store, now);

  g_set_object (&self->store, store);
  g_hash_table_remove_all (self->login_attempts);
  g_hash_table_remove_all (self->request_counts);

  return TRUE;
}

ExkMockStore *
exk_mock_api_get_store (ExkMockApi *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_API (self), NULL);

  return self->store;
}

void
exk_mock_api_handle (ExkMockApi     *self,
                     ExkMockRequest *request)
{
  g_auto(GStrv) segments = NULL;
  const Route *route = NULL;
  gboolean path_matched = FALSE;
  Context ctx = { 0 };

  g_return_if_fail (EXK_IS_MOCK_API (self));

  ctx.self = self;
  ctx.store = self->store;
  ctx.request = request;
  ctx.now = g_get_real_time ();

  segments = split_api_path (request->path);
  for (guint i = 0; segments != NULL && i < G_N_ELEMENTS (routes); i++)
    {
      const char *args[3] = { NULL, NULL, NULL };

      if (!match_route (&routes[i], segments, args))
        continue;

      path_matched = TRUE;
      if (g_ascii_strcasecmp (routes[i].method, request->method) == 0)
        {
          route = &routes[i];
          memcpy (ctx.args, args, sizeof args);
          break;
        }
    }

  if (route == NULL)
    {
      exk_mock_request_respond_problem (request,
                                        path_matched ? SOUP_STATUS_METHOD_NOT_ALLOWED
                                                     : SOUP_STATUS_NOT_FOUND,
                                        NULL);
      return;
    }

  authenticate (&ctx);

  if (route->requirement != REQUIRE_NOTHING)
    {
      const char *role = route->requirement == REQUIRE_USER ? "user" : "client";

      if (!ctx.identity.authenticated)
        {
          respond_unauthorized (&ctx, NULL);
          return;
        }

      if (!has_role (&ctx, role))
        {
          exk_mock_request_respond_problem (request, SOUP_STATUS_FORBIDDEN, NULL);
          return;
        }
    }

  if (route->throttled && !throttle (&ctx))
    return;

  route->handler (&ctx);
}

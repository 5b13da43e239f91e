// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <libsoup/soup.h>

#include "exk-api-error.h"
#include "exk-client.h"
#include "exk-http.h"
#include "exk-mock-server.h"

#define PISTOL_PROJECT_ID "537650f3b77efe23a47914f4"
#define ROCKET_PROJECT_ID "537650f3b77efe23a47914f7"
#define ACME_ORGANIZATION_ID "537650f3b77efe23a47914f3"
#define FREE_ORGANIZATION_ID "537650f3b77efe23a47914f5"
#define MISSING_ID "537650f3b77efe23a4791400"
#define MISSING_TOKEN_ID "Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Z"

/* The mock server runs in its own thread with its own main context; the client runs on
 * the test's main context, which wait_for() iterates until the callback has run. */
typedef struct
{
  ExkMockServer *server;
  ExkClient     *client;
  SoupSession   *control;
} Fixture;

typedef struct
{
  GAsyncResult *result;
  guint         n_calls;
} Waiter;

static void
on_result (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->n_calls++;
  g_assert_cmpuint (waiter->n_calls, ==, 1);
  waiter->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Waiter *waiter)
{
  while (waiter->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return waiter->result;
}

static void
waiter_clear (Waiter *waiter)
{
  g_clear_object (&waiter->result);
  waiter->n_calls = 0;
}

static ExkMockServer *
start_server (const ExkMockOptions *options)
{
  ExkMockOptions defaults = { 0 };
  g_autoptr(GError) error = NULL;
  ExkMockServer *server;

  server = exk_mock_server_start_in_thread (options != NULL ? options : &defaults, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);

  return server;
}

static ExkClient *
new_client (ExkMockServer *server,
            const char    *token)
{
  g_autoptr(GError) error = NULL;
  ExkClient *client;

  client = exk_client_new (exk_mock_server_get_url (server), &error);
  g_assert_no_error (error);
  exk_client_set_token (client, token);

  return client;
}

static void
fixture_start (Fixture              *fixture,
               const ExkMockOptions *options)
{
  fixture->server = start_server (options);
  fixture->client = new_client (fixture->server, exk_mock_server_get_demo_token (fixture->server));
  fixture->control = soup_session_new ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture_start (fixture, NULL);
}

/* GTask drops its reference to the source object in the worker thread after a threaded
 * task has completed, so the client may outlive the last callback by a moment. */
static void
assert_finalized_soon (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gpointer weak = object;

  g_object_add_weak_pointer (object, &weak);
  g_object_unref (object);

  while (weak != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  g_assert_null (weak);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->control);
  assert_finalized_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

static JsonNode *
control (Fixture    *fixture,
         const char *method,
         const char *path)
{
  g_autofree char *url = g_strconcat (exk_mock_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data;

  body = soup_session_send_and_read (fixture->control, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), <, 300);

  data = g_bytes_get_data (body, &size);
  if (size == 0)
    return NULL;

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static void
clear_requests (Fixture *fixture)
{
  g_autoptr(JsonNode) node = control (fixture, "DELETE", "/_mock/requests");
}

/* The logged requests to @path_prefix, oldest first. */
static GPtrArray *
get_requests (Fixture    *fixture,
              const char *method,
              const char *path_prefix)
{
  g_autoptr(JsonNode) node = control (fixture, "GET", "/_mock/requests");
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (request, "method"), method) &&
          g_str_has_prefix (json_object_get_string_member (request, "path"), path_prefix))
        g_ptr_array_add (requests, json_object_ref (request));
    }

  return requests;
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  exk_mock_server_add_fault (fixture->server, spec, &error);
  g_assert_no_error (error);
}

static void
assert_body_has_no_nulls (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    g_assert_false (JSON_NODE_HOLDS_NULL (json_object_get_member (object, l->data)));
}

static GPtrArray *
list_project_tokens (ExkClient  *client,
                     const char *project_id)
{
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *tokens;

  exk_client_list_project_tokens_async (client, project_id, NULL, on_result, &waiter);
  tokens = exk_client_list_project_tokens_finish (client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);

  return tokens;
}

static char *
find_key (ExkClient  *client,
          const char *project_id,
          const char *notes)
{
  g_autoptr(GPtrArray) tokens = list_project_tokens (client, project_id);

  for (guint i = 0; i < tokens->len; i++)
    {
      ExkToken *token = g_ptr_array_index (tokens, i);

      if (g_strcmp0 (exk_token_get_notes (token), notes) == 0)
        return g_strdup (exk_token_get_id (token));
    }

  g_error ("No key “%s”", notes);
  return NULL;
}

static ExkToken *
create_token (ExkClient          *client,
              const char         *project_id,
              const char * const *scopes,
              const char         *notes,
              GDateTime          *expires,
              GError            **error)
{
  Waiter waiter = { 0 };
  ExkToken *token;

  exk_client_create_token_async (client, project_id, scopes, notes, expires, NULL,
                                 on_result, &waiter);
  token = exk_client_create_token_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return token;
}

static ExkUser *
get_current_user (ExkClient  *client,
                  GError    **error)
{
  Waiter waiter = { 0 };
  ExkUser *user;

  exk_client_get_current_user_async (client, NULL, on_result, &waiter);
  user = exk_client_get_current_user_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return user;
}

static GPtrArray *
list_projects (ExkClient            *client,
               ExkProjectListFlags   flags,
               GError              **error)
{
  Waiter waiter = { 0 };
  GPtrArray *projects;

  exk_client_list_projects_async (client, flags, NULL, on_result, &waiter);
  projects = exk_client_list_projects_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return projects;
}

static gboolean
verify_key (ExkClient   *client,
            const char  *key,
            GError     **error)
{
  Waiter waiter = { 0 };
  gboolean valid;

  exk_client_verify_key_async (client, key, NULL, on_result, &waiter);
  valid = exk_client_verify_key_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return valid;
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(ExkClient) client = new_client (fixture->server, NULL);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  Waiter waiter = { 0 };
  JsonObject *body;

  clear_requests (fixture);
  exk_client_login_async (client, exk_mock_server_get_demo_email (fixture->server),
                          exk_mock_server_get_demo_password (fixture->server),
                          NULL, on_result, &waiter);
  token = exk_client_login_finish (client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);

  /* The server reuses the user's unexpired login token; the client does not keep it. */
  g_assert_cmpstr (token, ==, exk_mock_server_get_demo_token (fixture->server));
  g_assert_null (exk_client_get_token (client));

  requests = get_requests (fixture, "POST", "/api/v2/auth/login");
  g_assert_cmpuint (requests->len, ==, 1);
  body = json_object_get_object_member (g_ptr_array_index (requests, 0), "body");
  g_assert_cmpstr (json_object_get_string_member (body, "email"), ==, "org@localhost");
  g_assert_cmpstr (json_object_get_string_member (body, "password"), ==, "tester");
  g_assert_false (json_object_get_boolean_member (g_ptr_array_index (requests, 0),
                                                  "has_authorization"));
}

static void
test_login_failed (Fixture       *fixture,
                   gconstpointer  data)
{
  static const struct {
    const char *email;
    const char *password;
  } cases[] = {
    { "org@localhost", "wrong password" },
    { "nobody@localhost", "tester" },
    { "oauth@localhost", "tester" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *token = NULL;
      Waiter waiter = { 0 };

      exk_client_login_async (fixture->client, cases[i].email, cases[i].password,
                              NULL, on_result, &waiter);
      token = exk_client_login_finish (fixture->client, wait_for (&waiter), &error);
      g_assert_null (token);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_LOGIN_FAILED);
      waiter_clear (&waiter);
    }
}

static void
test_login_throttled (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The counter goes up before the password is checked: the sixth attempt is denied. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *token = NULL;
      Waiter waiter = { 0 };

      g_clear_error (&error);
      exk_client_login_async (fixture->client, "free@localhost",
                              i < 5 ? "wrong password" : "tester", NULL, on_result, &waiter);
      token = exk_client_login_finish (fixture->client, wait_for (&waiter), &error);
      g_assert_null (token);
      waiter_clear (&waiter);
    }

  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_LOGIN_THROTTLED);
}

static void
test_logout (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };

  exk_client_logout_async (fixture->client, NULL, on_result, &waiter);
  g_assert_true (exk_client_logout_finish (fixture->client, wait_for (&waiter), &error));
  g_assert_no_error (error);
  waiter_clear (&waiter);

  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
}

static void
test_current_user (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = get_current_user (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exk_user_get_email_address (user), ==, "org@localhost");
  g_assert_true (exk_user_get_has_local_account (user));
  g_assert_true (g_strv_contains (exk_user_get_organization_ids (user), ACME_ORGANIZATION_ID));
}

static void
test_organizations (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) organizations = NULL;
  g_autoptr(ExkOrganization) organization = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  gboolean found = FALSE;

  exk_client_list_organizations_async (fixture->client, NULL, on_result, &waiter);
  organizations = exk_client_list_organizations_finish (fixture->client, wait_for (&waiter),
                                                        &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);

  g_assert_cmpuint (organizations->len, >=, 2);
  for (guint i = 0; i < organizations->len; i++)
    {
      ExkOrganization *org = g_ptr_array_index (organizations, i);

      g_assert_true (EXK_IS_ORGANIZATION (org));
      if (g_str_equal (exk_organization_get_id (org), ACME_ORGANIZATION_ID))
        found = TRUE;
    }
  g_assert_true (found);

  exk_client_get_organization_async (fixture->client, ACME_ORGANIZATION_ID, NULL,
                                     on_result, &waiter);
  organization = exk_client_get_organization_finish (fixture->client, wait_for (&waiter),
                                                     &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpstr (exk_organization_get_name (organization), ==, "Acme");
  g_clear_object (&organization);

  exk_client_get_organization_async (fixture->client, MISSING_ID, NULL, on_result, &waiter);
  organization = exk_client_get_organization_finish (fixture->client, wait_for (&waiter),
                                                     &error);
  g_assert_null (organization);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  waiter_clear (&waiter);
}

static void
test_projects (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  ExkProject *pistol = NULL;
  const char *query;

  clear_requests (fixture);
  projects = list_projects (fixture->client, EXK_PROJECT_LIST_WITH_STATS, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (projects->len, >=, 3);
  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *p = g_ptr_array_index (projects, i);

      if (g_str_equal (exk_project_get_id (p), PISTOL_PROJECT_ID))
        pistol = p;
    }
  g_assert_nonnull (pistol);
  g_assert_cmpstr (exk_project_get_name (pistol), ==, "Disintegrating Pistol");
  g_assert_cmpstr (exk_project_get_organization_name (pistol), ==, "Acme");
  g_assert_cmpint (exk_project_get_stack_count (pistol), >, 0);

  requests = get_requests (fixture, "GET", "/api/v2/projects");
  g_assert_cmpuint (requests->len, ==, 1);
  query = json_object_get_string_member (g_ptr_array_index (requests, 0), "query");
  g_assert_nonnull (strstr (query, "limit=1000"));
  g_assert_nonnull (strstr (query, "page=1"));
  g_assert_nonnull (strstr (query, "mode=stats"));
  g_clear_pointer (&projects, g_ptr_array_unref);

  exk_client_list_organization_projects_async (fixture->client, ACME_ORGANIZATION_ID,
                                               EXK_PROJECT_LIST_NONE, NULL, on_result, &waiter);
  projects = exk_client_list_organization_projects_finish (fixture->client, wait_for (&waiter),
                                                           &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpuint (projects->len, ==, 2);
  g_assert_cmpstr (exk_project_get_name (g_ptr_array_index (projects, 0)), ==,
                   "Disintegrating Pistol");
  g_assert_cmpstr (exk_project_get_name (g_ptr_array_index (projects, 1)), ==, "Rocket Ship");
  g_assert_cmpint (exk_project_get_stack_count (g_ptr_array_index (projects, 0)), ==, 0);

  exk_client_get_project_async (fixture->client, ROCKET_PROJECT_ID, EXK_PROJECT_LIST_WITH_STATS,
                                NULL, on_result, &waiter);
  project = exk_client_get_project_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpstr (exk_project_get_name (project), ==, "Rocket Ship");
  g_clear_object (&project);

  exk_client_get_project_async (fixture->client, MISSING_ID, EXK_PROJECT_LIST_NONE,
                                NULL, on_result, &waiter);
  project = exk_client_get_project_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (project);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "Project not found.");
  waiter_clear (&waiter);
}

static void
test_tokens (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  ExkToken *first;

  clear_requests (fixture);
  tokens = list_project_tokens (fixture->client, PISTOL_PROJECT_ID);
  g_assert_cmpuint (tokens->len, >=, 5);
  for (guint i = 0; i < tokens->len; i++)
    {
      ExkToken *t = g_ptr_array_index (tokens, i);

      g_assert_cmpuint (strlen (exk_token_get_id (t)), ==, 40);
      g_assert_cmpstr (exk_token_get_project_id (t), ==, PISTOL_PROJECT_ID);
      /* Oldest first. */
      if (i > 0)
        g_assert_cmpint (g_date_time_compare (exk_token_get_created (g_ptr_array_index (tokens,
                                                                                       i - 1)),
                                              exk_token_get_created (t)), <=, 0);
    }

  requests = get_requests (fixture, "GET", "/api/v2/projects/" PISTOL_PROJECT_ID "/tokens");
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (requests, 0),
                                                           "query"), "limit=100"));

  first = g_ptr_array_index (tokens, 0);
  exk_client_get_api_token_async (fixture->client, exk_token_get_id (first), NULL,
                                  on_result, &waiter);
  token = exk_client_get_api_token_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpstr (exk_token_get_id (token), ==, exk_token_get_id (first));
  g_clear_object (&token);

  exk_client_get_api_token_async (fixture->client, MISSING_TOKEN_ID, NULL, on_result, &waiter);
  token = exk_client_get_api_token_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (token);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  waiter_clear (&waiter);

  g_clear_pointer (&tokens, g_ptr_array_unref);
  exk_client_list_organization_tokens_async (fixture->client, ACME_ORGANIZATION_ID, NULL,
                                             on_result, &waiter);
  tokens = exk_client_list_organization_tokens_finish (fixture->client, wait_for (&waiter),
                                                       &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpuint (tokens->len, >=, 8);
}

static void
test_create_token (Fixture       *fixture,
                   gconstpointer  data)
{
  const char * const scopes[] = { "client", NULL };
  g_autoptr(GDateTime) expires = g_date_time_new_utc (2030, 1, 2, 3, 4, 5);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  clear_requests (fixture);
  token = create_token (fixture->client, ROCKET_PROJECT_ID, scopes, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (exk_token_get_id (token)), ==, 40);
  g_assert_cmpstr (exk_token_get_project_id (token), ==, ROCKET_PROJECT_ID);
  g_assert_cmpstr (exk_token_get_organization_id (token), ==, ACME_ORGANIZATION_ID);
  g_assert_true (exk_token_has_scope (token, "client"));
  g_assert_null (exk_token_get_notes (token));
  g_assert_null (exk_token_get_expires (token));
  g_clear_object (&token);

  /* Unset fields are left out, never sent as null. */
  requests = get_requests (fixture, "POST", "/api/v2/projects/" ROCKET_PROJECT_ID "/tokens");
  g_assert_cmpuint (requests->len, ==, 1);
  body = json_object_get_object_member (g_ptr_array_index (requests, 0), "body");
  g_assert_true (json_object_has_member (body, "scopes"));
  g_assert_false (json_object_has_member (body, "notes"));
  g_assert_false (json_object_has_member (body, "expires_utc"));
  g_assert_false (json_object_has_member (body, "organization_id"));
  g_assert_false (json_object_has_member (body, "project_id"));
  assert_body_has_no_nulls (body);
  g_clear_pointer (&requests, g_ptr_array_unref);

  /* No scopes at all: the server chooses client. */
  clear_requests (fixture);
  token = create_token (fixture->client, ROCKET_PROJECT_ID, NULL, "CI «runner»", expires, &error);
  g_assert_no_error (error);
  g_assert_true (exk_token_has_scope (token, "client"));
  g_assert_cmpstr (exk_token_get_notes (token), ==, "CI «runner»");
  g_assert_true (g_date_time_equal (exk_token_get_expires (token), expires));

  requests = get_requests (fixture, "POST", "/api/v2/projects/" ROCKET_PROJECT_ID "/tokens");
  body = json_object_get_object_member (g_ptr_array_index (requests, 0), "body");
  g_assert_false (json_object_has_member (body, "scopes"));
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "CI «runner»");
  g_assert_cmpstr (json_object_get_string_member (body, "expires_utc"), ==,
                   "2030-01-02T03:04:05Z");
  assert_body_has_no_nulls (body);
}

static void
test_create_token_invalid (Fixture       *fixture,
                           gconstpointer  data)
{
  const char * const admin[] = { "admin", NULL };
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = create_token (fixture->client, PISTOL_PROJECT_ID, admin, NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==, "Invalid token scope requested.");
  g_clear_error (&error);

  token = create_token (fixture->client, MISSING_ID, NULL, NULL, NULL, &error);
  g_assert_null (token);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
}

static ExkProject *
create_project (ExkClient   *client,
                const char  *organization_id,
                const char  *name,
                GError     **error)
{
  Waiter waiter = { 0 };
  ExkProject *project;

  exk_client_create_project_async (client, organization_id, name, NULL, on_result, &waiter);
  project = exk_client_create_project_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return project;
}

static void
test_create_project (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  clear_requests (fixture);
  project = create_project (fixture->client, ACME_ORGANIZATION_ID, "Jet Pack", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (exk_project_get_id (project)), ==, 24);
  g_assert_cmpstr (exk_project_get_name (project), ==, "Jet Pack");
  g_assert_cmpstr (exk_project_get_organization_id (project), ==, ACME_ORGANIZATION_ID);
  g_assert_cmpstr (exk_project_get_organization_name (project), ==, "Acme");

  requests = get_requests (fixture, "POST", "/api/v2/projects");
  g_assert_cmpuint (requests->len, ==, 1);
  body = json_object_get_object_member (g_ptr_array_index (requests, 0), "body");
  g_assert_cmpstr (json_object_get_string_member (body, "name"), ==, "Jet Pack");
  g_assert_cmpstr (json_object_get_string_member (body, "organization_id"), ==,
                   ACME_ORGANIZATION_ID);
  assert_body_has_no_nulls (body);
  g_clear_object (&project);

  /* 400: the server's words. */
  project = create_project (fixture->client, ACME_ORGANIZATION_ID, "rocket ship", &error);
  g_assert_null (project);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==, "A project with this name already exists.");
  g_clear_error (&error);

  /* 426: the plan limit, in the server's words. */
  project = create_project (fixture->client, FREE_ORGANIZATION_ID, "Second", &error);
  g_assert_null (project);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_PLAN_LIMIT);
  g_assert_cmpstr (error->message, ==, "Please upgrade your plan to add additional projects.");
}

static gboolean
check_name (ExkClient   *client,
            const char  *organization_id,
            const char  *name,
            gboolean    *available,
            GError     **error)
{
  Waiter waiter = { 0 };
  gboolean answered;

  exk_client_check_project_name_async (client, organization_id, name, NULL, on_result, &waiter);
  answered = exk_client_check_project_name_finish (client, wait_for (&waiter), available, error);
  waiter_clear (&waiter);

  return answered;
}

static void
test_check_project_name (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Waiter waiter = { 0 };
  gboolean available = FALSE;

  clear_requests (fixture);
  g_assert_true (check_name (fixture->client, ACME_ORGANIZATION_ID, "Jet & Pack?", &available,
                             &error));
  g_assert_no_error (error);
  g_assert_true (available);

  /* The name travels escaped in the query. */
  requests = get_requests (fixture, "GET",
                           "/api/v2/organizations/" ACME_ORGANIZATION_ID "/projects/check-name");
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (requests, 0),
                                                           "query"), "Jet"));

  g_assert_true (check_name (fixture->client, ACME_ORGANIZATION_ID, "Rocket Ship", &available,
                             &error));
  g_assert_no_error (error);
  g_assert_false (available);

  g_assert_false (check_name (fixture->client, MISSING_ID, "Rocket Ship", &available, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A 200 is no answer Exceptionless gives. */
  add_fault (fixture, "GET /api/v2/organizations=html*1");
  g_assert_false (check_name (fixture->client, ACME_ORGANIZATION_ID, "X", &available, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_clear_error (&error);

  /* Cancelled: the next keystroke. */
  exk_client_check_project_name_async (fixture->client, ACME_ORGANIZATION_ID, "Y", cancellable,
                                       on_result, &waiter);
  g_cancellable_cancel (cancellable);
  g_assert_false (exk_client_check_project_name_finish (fixture->client, wait_for (&waiter),
                                                        &available, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  waiter_clear (&waiter);
}

static void
test_rename_and_delete_project (Fixture       *fixture,
                                gconstpointer  data)
{
  const char * const ids[] = { ROCKET_PROJECT_ID, NULL };
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(ExkDeleteResult) result = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = find_key (fixture->client, ROCKET_PROJECT_ID, "Telemetry ingest");
  Waiter waiter = { 0 };

  clear_requests (fixture);
  exk_client_rename_project_async (fixture->client, ROCKET_PROJECT_ID, "Moon Ship", NULL,
                                   on_result, &waiter);
  project = exk_client_rename_project_finish (fixture->client, wait_for (&waiter), &error);
  waiter_clear (&waiter);
  g_assert_no_error (error);
  g_assert_cmpstr (exk_project_get_name (project), ==, "Moon Ship");
  g_clear_object (&project);

  /* Only the name is sent. */
  requests = get_requests (fixture, "PATCH", "/api/v2/projects/" ROCKET_PROJECT_ID);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (
                      g_ptr_array_index (requests, 0), "body")), ==, 1);

  exk_client_rename_project_async (fixture->client, ROCKET_PROJECT_ID, "Disintegrating Pistol",
                                   NULL, on_result, &waiter);
  project = exk_client_rename_project_finish (fixture->client, wait_for (&waiter), &error);
  waiter_clear (&waiter);
  g_assert_null (project);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==, "A project with this name already exists.");
  g_clear_error (&error);

  exk_client_delete_projects_async (fixture->client, ids, NULL, on_result, &waiter);
  result = exk_client_delete_projects_finish (fixture->client, wait_for (&waiter), &error);
  waiter_clear (&waiter);
  g_assert_no_error (error);
  g_assert_true (exk_delete_result_is_complete (result));
  g_clear_object (&result);

  /* Its keys went with it. */
  exk_client_get_api_token_async (fixture->client, key, NULL, on_result, &waiter);
  g_assert_null (exk_client_get_api_token_finish (fixture->client, wait_for (&waiter), &error));
  waiter_clear (&waiter);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  exk_client_delete_projects_async (fixture->client, ids, NULL, on_result, &waiter);
  result = exk_client_delete_projects_finish (fixture->client, wait_for (&waiter), &error);
  waiter_clear (&waiter);
  g_assert_null (result);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
}

static void
test_update_token (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(ExkToken) updated = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  JsonObject *body;

  token = create_token (fixture->client, PISTOL_PROJECT_ID, NULL, "Before", NULL, &error);
  g_assert_no_error (error);

  clear_requests (fixture);
  exk_client_set_token_notes_async (fixture->client, exk_token_get_id (token), "After", NULL,
                                    on_result, &waiter);
  updated = exk_client_set_token_notes_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_cmpstr (exk_token_get_notes (updated), ==, "After");
  g_assert_false (exk_token_get_is_disabled (updated));
  exk_token_update_from (token, updated);
  g_assert_cmpstr (exk_token_get_notes (token), ==, "After");
  g_clear_object (&updated);

  exk_client_set_token_disabled_async (fixture->client, exk_token_get_id (token), TRUE, NULL,
                                       on_result, &waiter);
  updated = exk_client_set_token_disabled_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_true (exk_token_get_is_disabled (updated));
  g_assert_cmpstr (exk_token_get_notes (updated), ==, "After");
  g_clear_object (&updated);

  /* Clearing notes is the one place where null is sent. */
  exk_client_set_token_notes_async (fixture->client, exk_token_get_id (token), NULL, NULL,
                                    on_result, &waiter);
  updated = exk_client_set_token_notes_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_no_error (error);
  waiter_clear (&waiter);
  g_assert_null (exk_token_get_notes (updated));
  g_assert_true (exk_token_get_is_disabled (updated));
  g_clear_object (&updated);

  requests = get_requests (fixture, "PATCH", "/api/v2/tokens/");
  g_assert_cmpuint (requests->len, ==, 3);
  body = json_object_get_object_member (g_ptr_array_index (requests, 0), "body");
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "After");
  body = json_object_get_object_member (g_ptr_array_index (requests, 1), "body");
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_true (json_object_get_boolean_member (body, "is_disabled"));
  body = json_object_get_object_member (g_ptr_array_index (requests, 2), "body");
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_true (json_object_get_null_member (body, "notes"));

  exk_client_set_token_disabled_async (fixture->client, MISSING_TOKEN_ID, FALSE, NULL,
                                       on_result, &waiter);
  updated = exk_client_set_token_disabled_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (updated);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  waiter_clear (&waiter);
}

static ExkDeleteResult *
delete_tokens (ExkClient           *client,
               const char * const  *ids,
               GError             **error)
{
  Waiter waiter = { 0 };
  ExkDeleteResult *result;

  exk_client_delete_tokens_async (client, ids, NULL, on_result, &waiter);
  result = exk_client_delete_tokens_finish (client, wait_for (&waiter), error);
  waiter_clear (&waiter);

  return result;
}

static void
test_delete_tokens (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ExkToken) one = create_token (fixture->client, PISTOL_PROJECT_ID, NULL, NULL, NULL,
                                          NULL);
  g_autoptr(ExkToken) two = create_token (fixture->client, PISTOL_PROJECT_ID, NULL, NULL, NULL,
                                          NULL);
  g_autoptr(ExkToken) three = create_token (fixture->client, PISTOL_PROJECT_ID, NULL, NULL, NULL,
                                            NULL);
  const char *both[] = { exk_token_get_id (one), exk_token_get_id (two), NULL };
  const char *mixed[] = { exk_token_get_id (three), MISSING_TOKEN_ID, NULL };
  const char * const deleted[] = { exk_token_get_id (three), NULL };
  g_autoptr(ExkDeleteResult) result = NULL;
  g_autoptr(ExkToken) gone = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };

  result = delete_tokens (fixture->client, both, &error);
  g_assert_no_error (error);
  g_assert_true (exk_delete_result_is_complete (result));
  g_assert_true (g_strv_equal (exk_delete_result_get_deleted (result), both));
  g_clear_object (&result);

  exk_client_get_api_token_async (fixture->client, both[0], NULL, on_result, &waiter);
  gone = exk_client_get_api_token_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_clear_error (&error);
  waiter_clear (&waiter);

  /* None found: an error. */
  result = delete_tokens (fixture->client, both, &error);
  g_assert_null (result);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Some deleted: a result, not an error. */
  result = delete_tokens (fixture->client, mixed, &error);
  g_assert_no_error (error);
  g_assert_false (exk_delete_result_is_complete (result));
  g_assert_true (g_strv_equal (exk_delete_result_get_deleted (result), deleted));
  g_assert_cmpuint (exk_delete_result_get_n_failures (result), ==, 1);
  g_assert_cmpstr (exk_delete_result_get_failure_id (result, 0), ==, MISSING_TOKEN_ID);
  g_assert_cmpuint (exk_delete_result_get_failure_status (result, 0), ==, 404);
  g_assert_nonnull (exk_delete_result_get_failure_message (result, 0));
}

static void
test_verify_key (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *enabled = find_key (fixture->client, PISTOL_PROJECT_ID,
                                       "Production web servers");
  g_autofree char *disabled = find_key (fixture->client, PISTOL_PROJECT_ID,
                                        "Old Android build (leaked in logs)");
  g_autofree char *source_maps = find_key (fixture->client, PISTOL_PROJECT_ID,
                                           "Source map deployment");
  g_autofree char *expired = find_key (fixture->client, PISTOL_PROJECT_ID,
                                       "Contractor QA access");
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;

  clear_requests (fixture);
  g_assert_true (verify_key (fixture->client, enabled, &error));
  g_assert_no_error (error);

  g_assert_false (verify_key (fixture->client, disabled, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  g_assert_false (verify_key (fixture->client, expired, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  g_assert_false (verify_key (fixture->client, source_maps, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Never sent: it could not be a header value. */
  g_assert_false (verify_key (fixture->client, "abc\r\nX-Evil: 1", &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  requests = get_requests (fixture, "GET", "/api/v2/projects/config");
  g_assert_cmpuint (requests->len, ==, 4);
  g_clear_pointer (&requests, g_ptr_array_unref);

  /* Never the endpoint that creates keys. */
  requests = get_requests (fixture, "GET", "/api/v2/projects/" PISTOL_PROJECT_ID "/tokens/default");
  g_assert_cmpuint (requests->len, ==, 0);

  /* The user's token is untouched. */
  g_assert_cmpstr (exk_client_get_token (fixture->client), ==,
                   exk_mock_server_get_demo_token (fixture->server));
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;

  exk_client_set_token (fixture->client, "NotAValidTokenNotAValidTokenNotAValidTok");
  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  exk_client_set_token (fixture->client, NULL);
  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
}

static void
test_forbidden (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *key = find_key (fixture->client, PISTOL_PROJECT_ID, "Production web servers");
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };

  /* An API key is not a user: /users/me and the token endpoints refuse it. */
  exk_client_set_token (fixture->client, key);
  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN);
  g_clear_error (&error);

  exk_client_list_project_tokens_async (fixture->client, PISTOL_PROJECT_ID, NULL,
                                        on_result, &waiter);
  tokens = exk_client_list_project_tokens_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (tokens);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN);
  waiter_clear (&waiter);
}

static void
test_fault_statuses (Fixture       *fixture,
                     gconstpointer  data)
{
  static const struct {
    const char *spec;
    ExkApiError code;
  } cases[] = {
    { "GET /api/v2/users/me=status:426*1", EXK_API_ERROR_PLAN_LIMIT },
    { "GET /api/v2/users/me=status:429*1", EXK_API_ERROR_RATE_LIMITED },
    { "GET /api/v2/users/me=status:503*1", EXK_API_ERROR_SERVER },
    { "GET /api/v2/users/me=status:500*1", EXK_API_ERROR_SERVER },
    { "GET /api/v2/users/me=status:400*1", EXK_API_ERROR_VALIDATION },
    { "GET /api/v2/users/me=status:302*1", EXK_API_ERROR_REDIRECTED },
    { "GET /api/v2/users/me=malformed*1", EXK_API_ERROR_INVALID_RESPONSE },
    { "GET /api/v2/users/me=truncated*1", EXK_API_ERROR_INVALID_RESPONSE },
    { "GET /api/v2/users/me=html*1", EXK_API_ERROR_INVALID_RESPONSE },
    { "GET /api/v2/users/me=wrong-type*1", EXK_API_ERROR_INVALID_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ExkUser) user = NULL;
      g_autoptr(GError) error = NULL;

      add_fault (fixture, cases[i].spec);
      user = get_current_user (fixture->client, &error);
      g_test_message ("%s → %s", cases[i].spec, error != NULL ? error->message : "(none)");
      g_assert_null (user);
      g_assert_error (error, EXK_API_ERROR, (int) cases[i].code);
    }

  {
    g_autoptr(ExkUser) user = NULL;
    g_autoptr(GError) error = NULL;

    /* Each fault applied once: the next request succeeds. */
    user = get_current_user (fixture->client, &error);
    g_assert_no_error (error);
  }
}

static void
test_fault_lists (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char * const specs[] = {
    "GET /api/v2/projects=malformed*1",
    "GET /api/v2/projects=truncated*1",
    "GET /api/v2/projects=html*1",
    "GET /api/v2/projects=wrong-type*1",
    "GET /api/v2/organizations=wrong-type*1",
    "GET /api/v2/projects/" PISTOL_PROJECT_ID "/tokens=wrong-type*1",
    "POST /api/v2/projects/" PISTOL_PROJECT_ID "/tokens=wrong-type*1",
    "DELETE /api/v2/tokens=malformed*1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GObject) object = NULL;
      g_autoptr(GPtrArray) array = NULL;
      Waiter waiter = { 0 };

      add_fault (fixture, specs[i]);

      switch (i)
        {
        case 4:
          exk_client_list_organizations_async (fixture->client, NULL, on_result, &waiter);
          array = exk_client_list_organizations_finish (fixture->client, wait_for (&waiter),
                                                        &error);
          break;

        case 5:
          exk_client_list_project_tokens_async (fixture->client, PISTOL_PROJECT_ID, NULL,
                                                on_result, &waiter);
          array = exk_client_list_project_tokens_finish (fixture->client, wait_for (&waiter),
                                                         &error);
          break;

        case 6:
          object = G_OBJECT (create_token (fixture->client, PISTOL_PROJECT_ID, NULL, NULL,
                                           NULL, &error));
          break;

        case 7:
          {
            g_autoptr(ExkToken) token = create_token (fixture->client, PISTOL_PROJECT_ID, NULL,
                                                      NULL, NULL, NULL);
            const char *ids[] = { exk_token_get_id (token), NULL };

            /* 202 means deleted whatever the body says. */
            object = G_OBJECT (delete_tokens (fixture->client, ids, &error));
            g_assert_no_error (error);
            g_assert_true (exk_delete_result_is_complete (EXK_DELETE_RESULT (object)));
            continue;
          }

        default:
          exk_client_list_projects_async (fixture->client, EXK_PROJECT_LIST_NONE, NULL,
                                          on_result, &waiter);
          array = exk_client_list_projects_finish (fixture->client, wait_for (&waiter), &error);
          break;
        }

      g_test_message ("%s → %s", specs[i], error != NULL ? error->message : "(none)");
      g_assert_null (array);
      g_assert_null (object);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      waiter_clear (&waiter);
    }
}

static void
test_network_drop (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;

  /* Forever: libsoup may retry an idempotent request once on a reused connection. */
  add_fault (fixture, "GET /api/v2/users/me=drop");
  user = get_current_user (fixture->client, &error);
  g_test_message ("drop → %s", error != NULL ? error->message : "(none)");
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NETWORK);
  exk_mock_server_clear_faults (fixture->server);
  g_clear_error (&error);

  user = get_current_user (fixture->client, &error);
  g_assert_no_error (error);
}

static void
test_network_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(ExkClient) client = NULL;
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that was free a moment ago, and is closed now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = exk_client_new (url, &error);
  g_assert_no_error (error);
  exk_client_set_token (client, "AnyTokenAnyTokenAnyTokenAnyTokenAnyToken");

  user = get_current_user (client, &error);
  g_test_message ("closed port → %s", error != NULL ? error->message : "(none)");
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NETWORK);
  /* The cause is kept. */
  g_assert_nonnull (strstr (error->message, ":"));
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;

  exk_client_set_timeout (fixture->client, 1);
  g_assert_cmpuint (exk_client_get_timeout (fixture->client), ==, 1);
  add_fault (fixture, "GET /api/v2/users/me=slow:3000*1");

  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_TIMEOUT);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
let_main_loop_run (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };

  add_fault (fixture, "GET /api/v2/users/me=slow:2000*1");
  exk_client_get_current_user_async (fixture->client, cancellable, on_result, &waiter);
  g_timeout_add (100, cancel_later, cancellable);
  user = exk_client_get_current_user_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (user);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Still one call, also after the server would have answered. */
  let_main_loop_run (200);
  g_assert_cmpuint (waiter.n_calls, ==, 1);
  waiter_clear (&waiter);

  /* Cancelled before it starts. */
  g_cancellable_cancel (cancelled);
  exk_client_list_projects_async (fixture->client, EXK_PROJECT_LIST_NONE, cancelled,
                                  on_result, &waiter);
  projects = exk_client_list_projects_finish (fixture->client, wait_for (&waiter), &error);
  g_assert_null (projects);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  waiter_clear (&waiter);
}

static gboolean
is_sorted_by_name (GPtrArray *projects)
{
  for (guint i = 1; i < projects->len; i++)
    {
      if (g_ascii_strcasecmp (exk_project_get_name (g_ptr_array_index (projects, i - 1)),
                              exk_project_get_name (g_ptr_array_index (projects, i))) > 0)
        return FALSE;
    }

  return TRUE;
}

static void
test_paging_projects (void)
{
  ExkMockOptions options = { .projects = 2500 };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  guint generated = 0;

  fixture_start (&fixture, &options);

  projects = list_projects (fixture.client, EXK_PROJECT_LIST_WITH_STATS, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *project = g_ptr_array_index (projects, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) exk_project_get_id (project)));
      if (g_str_has_prefix (exk_project_get_name (project), "Project "))
        generated++;
    }
  g_assert_cmpuint (generated, ==, 2500);
  g_assert_cmpuint (g_hash_table_size (ids), ==, projects->len);
  g_assert_true (is_sorted_by_name (projects));

  /* ⌈total / 1000⌉ requests, every one at the maximum page size. */
  requests = get_requests (&fixture, "GET", "/api/v2/projects");
  g_assert_cmpuint (requests->len, ==, (projects->len + 999) / 1000);
  for (guint i = 0; i < requests->len; i++)
    g_assert_nonnull (strstr (json_object_get_string_member (g_ptr_array_index (requests, i),
                                                             "query"), "limit=1000"));

  fixture_tear_down (&fixture, NULL);
}

static void
test_paging_tokens (void)
{
  ExkMockOptions options = { .tokens = 250 };
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  Fixture fixture = { 0 };
  guint generated = 0;

  fixture_start (&fixture, &options);

  tokens = list_project_tokens (fixture.client, PISTOL_PROJECT_ID);
  for (guint i = 0; i < tokens->len; i++)
    {
      ExkToken *token = g_ptr_array_index (tokens, i);

      g_assert_true (g_hash_table_add (ids, (gpointer) exk_token_get_id (token)));
      if (g_str_has_prefix (exk_token_get_notes (token) ? exk_token_get_notes (token) : "",
                            "Generated key "))
        generated++;
    }
  g_assert_cmpuint (generated, ==, 250);
  g_assert_cmpuint (g_hash_table_size (ids), ==, tokens->len);

  requests = get_requests (&fixture, "GET", "/api/v2/projects/" PISTOL_PROJECT_ID "/tokens");
  g_assert_cmpuint (requests->len, ==, (tokens->len + 99) / 100);

  fixture_tear_down (&fixture, NULL);
}

static void
test_paging_cancel (void)
{
  ExkMockOptions options = { .projects = 2500 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  Waiter waiter = { 0 };

  fixture_start (&fixture, &options);

  /* Page 1 comes fast, the others slowly: cancel between pages. */
  add_fault (&fixture, "GET /api/v2/projects=slow:1500");
  exk_client_list_projects_async (fixture.client, EXK_PROJECT_LIST_NONE, cancellable,
                                  on_result, &waiter);
  g_timeout_add (2000, cancel_later, cancellable);
  projects = exk_client_list_projects_finish (fixture.client, wait_for (&waiter), &error);
  g_assert_null (projects);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  let_main_loop_run (100);
  g_assert_cmpuint (waiter.n_calls, ==, 1);
  waiter_clear (&waiter);

  exk_mock_server_clear_faults (fixture.server);
  fixture_tear_down (&fixture, NULL);
}

static void
test_paging_page_fault (void)
{
  ExkMockOptions options = { .projects = 2500 };
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };

  fixture_start (&fixture, &options);

  /* The first page succeeds, a later one fails: no partial list. */
  add_fault (&fixture, "GET /api/v2/projects=slow:1*1");
  projects = list_projects (fixture.client, EXK_PROJECT_LIST_NONE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&projects, g_ptr_array_unref);

  clear_requests (&fixture);
  add_fault (&fixture, "GET /api/v2/projects=slow:50*1");
  add_fault (&fixture, "GET /api/v2/projects=status:503*1");
  projects = list_projects (fixture.client, EXK_PROJECT_LIST_NONE, &error);
  g_assert_null (projects);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_SERVER);
  requests = get_requests (&fixture, "GET", "/api/v2/projects");
  g_assert_cmpuint (requests->len, >=, 2);

  fixture_tear_down (&fixture, NULL);
}

/* Servers the mock does not imitate: older or odd ones, served from the test's own main
 * context. */
typedef struct
{
  guint    total;
  guint    max_limit;
  gboolean send_count;
  gboolean send_next;   /* a next link whenever more items exist */
  gboolean endless;     /* full pages forever */
  guint    n_requests;
} OddServer;

static void
on_odd_request (SoupServer        *server,
                SoupServerMessage *message,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  OddServer *odd = user_data;
  g_autoptr(GString) json = g_string_new ("[");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (message);
  const char *page_text = query != NULL ? g_hash_table_lookup (query, "page") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint page = page_text != NULL ? (guint) atoi (page_text) : 1;
  guint limit = limit_text != NULL ? (guint) atoi (limit_text) : 10;
  gboolean tokens = g_str_has_suffix (path, "/tokens");
  guint first, last;

  odd->n_requests++;
  limit = MIN (limit, odd->max_limit);
  first = (page - 1) * limit;
  last = odd->endless ? first + limit : MIN (first + limit, odd->total);

  for (guint i = first; i < last; i++)
    {
      if (i > first)
        g_string_append_c (json, ',');
      if (tokens)
        g_string_append_printf (json, "{\"id\":\"Key%037u\",\"scopes\":[\"client\"],"
                                "\"created_utc\":\"2026-01-01T00:00:00Z\",\"extra\":null}", i);
      else
        g_string_append_printf (json, "{\"id\":\"%024x\",\"name\":\"Project %05u\","
                                "\"organization_id\":\"537650f3b77efe23a47914f3\"}", i, i);
    }
  g_string_append_c (json, ']');

  if (odd->send_count)
    {
      g_autofree char *count = g_strdup_printf ("%u", odd->total);

      soup_message_headers_replace (headers, "X-Result-Count", count);
    }

  if (page > 1)
    soup_message_headers_append (headers, "Link", "<http://127.0.0.1/x?page=1>; rel=\"previous\"");
  if (odd->send_next && last < odd->total)
    soup_message_headers_append (headers, "Link", "<http://127.0.0.1/x?page=9>; rel=\"next\"");

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    json->str, json->len);
}

static ExkClient *
start_odd_server (SoupServer **server,
                  OddServer   *odd)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  ExkClient *client;

  *server = soup_server_new (NULL, NULL);
  soup_server_add_handler (*server, "/api/v2", on_odd_request, odd, NULL);
  soup_server_listen_local (*server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (*server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  client = exk_client_new (url, &error);
  g_assert_no_error (error);
  exk_client_set_token (client, "AnyTokenAnyTokenAnyTokenAnyTokenAnyToken");

  return client;
}

static void
test_paging_odd_servers (void)
{
  static const struct {
    gboolean tokens;
    OddServer odd;
    guint expected_requests;
  } cases[] = {
    /* No X-Result-Count and no next link past 1,000 (none at all with limit=1000):
     * full pages go on, the short page ends. */
    { FALSE, { .total = 2300, .max_limit = 1000 }, 3 },
    /* A multiple of the page size ends on an empty page. */
    { FALSE, { .total = 2000, .max_limit = 1000 }, 3 },
    /* A smaller maximum page size than ours, with a count. */
    { TRUE, { .total = 250, .max_limit = 50, .send_count = TRUE }, 5 },
    /* A smaller maximum page size than ours, without a count but with next links. */
    { TRUE, { .total = 130, .max_limit = 50, .send_next = TRUE }, 3 },
    { TRUE, { .total = 0, .max_limit = 100, .send_count = TRUE }, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SoupServer) server = NULL;
      g_autoptr(ExkClient) client = NULL;
      g_autoptr(GPtrArray) items = NULL;
      g_autoptr(GError) error = NULL;
      OddServer odd = cases[i].odd;
      Waiter waiter = { 0 };

      client = start_odd_server (&server, &odd);

      if (cases[i].tokens)
        {
          exk_client_list_project_tokens_async (client, PISTOL_PROJECT_ID, NULL,
                                                on_result, &waiter);
          items = exk_client_list_project_tokens_finish (client, wait_for (&waiter), &error);
        }
      else
        {
          exk_client_list_projects_async (client, EXK_PROJECT_LIST_NONE, NULL,
                                          on_result, &waiter);
          items = exk_client_list_projects_finish (client, wait_for (&waiter), &error);
        }
      waiter_clear (&waiter);

      g_test_message ("case %u: %u requests", i, odd.n_requests);
      g_assert_no_error (error);
      g_assert_cmpuint (items->len, ==, odd.total);
      g_assert_cmpuint (odd.n_requests, ==, cases[i].expected_requests);
    }
}

static void
test_paging_endless (void)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(ExkClient) client = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  OddServer odd = { .total = 0, .max_limit = 100, .endless = TRUE };
  Waiter waiter = { 0 };

  client = start_odd_server (&server, &odd);

  exk_client_list_organization_tokens_async (client, ACME_ORGANIZATION_ID, NULL,
                                             on_result, &waiter);
  items = exk_client_list_organization_tokens_finish (client, wait_for (&waiter), &error);
  waiter_clear (&waiter);

  g_assert_null (items);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (odd.n_requests, ==, 200);
}

/* Hostile and broken servers: every answer is bounded (see exk-http.c). */

#define PISTOL_CLIENT_KEY "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"

static gboolean
server_has_token (Fixture    *fixture,
                  const char *id)
{
  g_autofree char *url = g_strconcat (exk_mock_server_get_url (fixture->server),
                                      "/_mock/tokens/", id, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = soup_session_send_and_read (fixture->control, message, NULL, NULL);

  return soup_message_get_status (message) == SOUP_STATUS_OK;
}

static void
test_redirect_is_an_error (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *ids[] = { PISTOL_CLIENT_KEY, NULL };
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autoptr(GPtrArray) gets = NULL;
  g_autoptr(GError) error = NULL;

  /* A DELETE answered 302 → /projects: followed, it became a GET whose 200
   * was taken for "all deleted" while the key still worked. */
  add_fault (fixture, "DELETE /api/v2/tokens=redirect:/api/v2/projects");
  clear_requests (fixture);
  deleted = delete_tokens (fixture->client, ids, &error);
  g_test_message ("redirect → %s", error != NULL ? error->message : "(none)");
  g_assert_null (deleted);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_REDIRECTED);
  g_assert_nonnull (strstr (error->message, "/api/v2/projects"));
  g_assert_true (server_has_token (fixture, PISTOL_CLIENT_KEY));
  gets = get_requests (fixture, "GET", "/api/v2/projects");
  g_assert_cmpuint (gets->len, ==, 0);
  g_clear_error (&error);

  /* Check Key: a redirect elsewhere that answers a client configuration is not "Works". */
  add_fault (fixture, "GET /api/v2/projects/config=redirect:https://example.com/config");
  g_assert_false (verify_key (fixture->client, PISTOL_CLIENT_KEY, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_REDIRECTED);
  g_assert_nonnull (strstr (error->message, "https://example.com/config"));
  g_clear_error (&error);

  /* Sign Out Everywhere: nothing was revoked, so it is not a success. */
  {
    Waiter waiter = { 0 };

    add_fault (fixture, "GET /api/v2/auth/logout=redirect:/");
    exk_client_logout_async (fixture->client, NULL, on_result, &waiter);
    g_assert_false (exk_client_logout_finish (fixture->client, wait_for (&waiter), &error));
    g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_REDIRECTED);
    waiter_clear (&waiter);
  }
}

static void
test_deep_nesting_refused (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET /api/v2/users/me=nest:100000");
  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "nested"));
  g_clear_error (&error);

  add_fault (fixture, "GET /api/v2/projects=nest:2000000");
  projects = list_projects (fixture->client, EXK_PROJECT_LIST_NONE, &error);
  g_assert_null (projects);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
}

static void
test_size_limits (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  /* Announced with Content-Length: refused before it is read. */
  add_fault (fixture, "GET /api/v2/users/me=huge:50M*1");
  user = get_current_user (fixture->client, &error);
  g_test_message ("huge → %s", error != NULL ? error->message : "(none)");
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_clear_error (&error);

  /* Chunked and endless: stopped at the limit (it grew a process to 24 GB). */
  add_fault (fixture, "GET /api/v2/projects=endless*1");
  projects = list_projects (fixture->client, EXK_PROJECT_LIST_NONE, &error);
  g_assert_null (projects);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_clear_error (&error);

  /* Compressed: counted as it inflates (1 MiB that becomes 1 GiB). */
  add_fault (fixture, "GET /api/v2/users/me=gzip-bomb:1G*1");
  user = get_current_user (fixture->client, &error);
  g_test_message ("gzip bomb → %s", error != NULL ? error->message : "(none)");
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_clear_error (&error);

  /* A small compressed answer is fine. */
  add_fault (fixture, "GET /api/v2/users/me=gzip-bomb:1K*1");
  user = get_current_user (fixture->client, &error);
  g_assert_null (user);
  g_clear_error (&error);
  user = get_current_user (fixture->client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
}

static void
test_total_deadline (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* A byte every 300 ms never trips the inactivity timeout, only the deadline. */
  exk_client_set_timeout (fixture->client, 2);
  add_fault (fixture, "GET /api/v2/users/me=trickle:300*1");
  start = g_get_monotonic_time ();
  user = get_current_user (fixture->client, &error);
  g_test_message ("trickle → %s after %.1f s", error != NULL ? error->message : "(none)",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_TIMEOUT);
}

static void
test_cut_off_and_header_flood (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "GET /api/v2/users/me=header-flood*1");
  user = get_current_user (fixture->client, &error);
  g_test_message ("header flood → %s", error != NULL ? error->message : "(none)");
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_null (strstr (error->message, "Could not reach"));
  g_clear_error (&error);

  add_fault (fixture, "GET /api/v2/users/me=truncated*1");
  user = get_current_user (fixture->client, &error);
  g_test_message ("truncated → %s", error != NULL ? error->message : "(none)");
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "cut off"));
}

static void
on_login_answered (SoupServer        *server,
                   SoupServerMessage *message,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  const char *body = user_data;

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* A server that signs in with a token of one letter: one that would show in
 * the keyring item's name, and that no real server gives. */
static void
test_short_login_token_refused (void)
{
  static const char * const answers[] = {
    "{\"token\":\"o\"}",
    "{\"token\":\"0123456789abcdef\"}",
    "{\"token\":42}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
      g_autoslist(GUri) uris = NULL;
      g_autofree char *url = NULL;
      g_autoptr(ExkClient) client = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GError) error = NULL;
      Waiter waiter = { 0 };

      soup_server_add_handler (server, "/api/v2/auth/login", on_login_answered,
                               (gpointer) answers[i], NULL);
      soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
      g_assert_no_error (error);
      uris = soup_server_get_uris (server);
      url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
      client = exk_client_new (url, &error);
      g_assert_no_error (error);

      exk_client_login_async (client, "org@localhost", "tester", NULL, on_result, &waiter);
      token = exk_client_login_finish (client, wait_for (&waiter), &error);
      g_test_message ("%s → %s", answers[i], error != NULL ? error->message : "(accepted)");
      g_assert_null (token);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      waiter_clear (&waiter);
      soup_server_disconnect (server);
    }
}

static void
test_redact_keys (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "PATCH /api/v2/tokens/E7xfAbCdEfGhIjKlMnOpQrStUvWxYz0123456789 HTTP/1.1",
      "PATCH /api/v2/tokens/E7xfAb… HTTP/1.1" },
    { "DELETE /api/v2/tokens/E7xfAbCdEfGhIjKlMnOpQrStUvWxYz0123456789,"
      "Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Zz9Z HTTP/1.1",
      "DELETE /api/v2/tokens/E7xfAb…,Zz9Zz9… HTTP/1.1" },
    { "GET /api/v2/projects/537650f3b77efe23a47914f4/tokens?limit=100",
      "GET /api/v2/projects/537650f3b77efe23a47914f4/tokens?limit=100" },
    { "Location: https://x/?api_key=E7xfAbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
      "Location: https://x/?api_key=E7xfAb…" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = exk_http_redact_keys (cases[i].in);

      g_assert_cmpstr (redacted, ==, cases[i].out);
    }
}

static void
test_undercounted_paging (void)
{
  ExkMockOptions options = { .projects = 2500 };
  g_autoptr(ExkMockServer) server = start_server (&options);
  g_autoptr(ExkClient) client = new_client (server, exk_mock_server_get_demo_token (server));
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      const char *spec = i == 0 ? "GET /api/v2/projects=count:1" : "GET /api/v2/projects=count:0";

      exk_mock_server_add_fault (server, spec, &error);
      g_assert_no_error (error);
      projects = list_projects (client, EXK_PROJECT_LIST_NONE, &error);
      g_assert_no_error (error);
      /* The demo's 11 and the 2,500 generated, though the server said 1 (or 0). */
      g_assert_cmpuint (projects->len, ==, 2511);
      g_clear_pointer (&projects, g_ptr_array_unref);
      exk_mock_server_clear_faults (server);
    }

  assert_finalized_soon (g_steal_pointer (&client));
  exk_mock_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  /* The test environment points GSETTINGS_SCHEMA_DIR at the build tree, where the GNOME
   * proxy resolver finds no org.gnome.system.proxy schema and aborts; everything here is
   * on loopback anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/exkeys/api/client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("login", test_login);
  ADD ("login-failed", test_login_failed);
  ADD ("login-throttled", test_login_throttled);
  ADD ("logout", test_logout);
  ADD ("current-user", test_current_user);
  ADD ("organizations", test_organizations);
  ADD ("projects", test_projects);
  ADD ("tokens", test_tokens);
  ADD ("create-token", test_create_token);
  ADD ("create-token-invalid", test_create_token_invalid);
  ADD ("update-token", test_update_token);
  ADD ("create-project", test_create_project);
  ADD ("check-project-name", test_check_project_name);
  ADD ("rename-and-delete-project", test_rename_and_delete_project);
  ADD ("delete-tokens", test_delete_tokens);
  ADD ("verify-key", test_verify_key);
  ADD ("error-unauthorized", test_unauthorized);
  ADD ("error-forbidden", test_forbidden);
  ADD ("error-faults", test_fault_statuses);
  ADD ("error-faults-lists", test_fault_lists);
  ADD ("error-network-drop", test_network_drop);
  ADD ("error-timeout", test_timeout);
  ADD ("cancel", test_cancel);
  ADD ("hostile-redirect", test_redirect_is_an_error);
  ADD ("hostile-deep-nesting", test_deep_nesting_refused);
  ADD ("hostile-size-limits", test_size_limits);
  ADD ("hostile-total-deadline", test_total_deadline);
  ADD ("hostile-cut-off-and-header-flood", test_cut_off_and_header_flood);
  g_test_add_func ("/exkeys/api/client/hostile-short-login-token",
                   test_short_login_token_refused);
  g_test_add_func ("/exkeys/api/client/redact-keys", test_redact_keys);
  g_test_add_func ("/exkeys/api/client/paging-undercounted", test_undercounted_paging);
  g_test_add_func ("/exkeys/api/client/error-network-closed-port", test_network_closed_port);
  g_test_add_func ("/exkeys/api/client/paging-projects", test_paging_projects);
  g_test_add_func ("/exkeys/api/client/paging-tokens", test_paging_tokens);
  g_test_add_func ("/exkeys/api/client/paging-cancel", test_paging_cancel);
  g_test_add_func ("/exkeys/api/client/paging-page-fault", test_paging_page_fault);
  g_test_add_func ("/exkeys/api/client/paging-odd-servers", test_paging_odd_servers);
  g_test_add_func ("/exkeys/api/client/paging-endless", test_paging_endless);

#undef ADD

  return g_test_run ();
}

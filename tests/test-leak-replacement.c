// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>

#include "exk-api-error.h"
#include "exk-format.h"
#include "exk-leak-dialog.h"
#include "exk-leak-replacement.h"
#include "exk-mock-server.h"
#include "exk-project-page.h"
#include "exk-project-page-private.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-token-row.h"
#include "exk-window.h"

/* Replacing a leaked key: ExkLeakReplacement against the mock server with a
 * failure injected at each step (what the step states say, what the server
 * holds, what a retry sends), then the dialog and the keys page's row menu
 * in the real window. */

#define PISTOL_ID       "537650f3b77efe23a47914f4"
#define ROCKET_ID       "537650f3b77efe23a47914f7"
#define CLIENT_KEY      "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define CLIENT_NOTES    "Production web servers"
#define DISABLED_KEY    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"
#define SOURCE_MAP_KEY  "CId12P9uG8XqUay2nB8eUSrRqDdKOAO7uagQpFyD"
#define ORG_WIDE_KEY    "LVH5tCnBZebVjnbArQw5R8unTK04TecQxBxCz3AI"
#define ACCOUNT_KEY     "org@localhost test"
#define CREATE_FAULT    "POST /api/v2/projects=status:500*1"
#define DISABLE_FAULT   "PATCH /api/v2/tokens=status:503*1"
#define WAIT_MS         20000

/* Models */

typedef struct
{
  ExkMockServer *mock;
  ExkClient     *client;
  GSettings     *settings;
  ExkRotations  *rotations;
} Fixture;

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (exk_test_wait_until (has_result, slot, WAIT_MS));
  return *slot;
}

static const char *
url (Fixture *fixture)
{
  return exk_mock_server_get_url (fixture->mock);
}

static void
add_fault (ExkMockServer *mock,
           const char    *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (mock, spec, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->client = exk_client_new (url (fixture), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->mock));
  fixture->settings = g_settings_new (BASE_ID);
  g_settings_reset (fixture->settings, "rotations");
  fixture->rotations = exk_rotations_new (fixture->settings, ACCOUNT_KEY);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->rotations);
  g_settings_reset (fixture->settings, "rotations");
  g_clear_object (&fixture->settings);
  exk_test_finalize_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
}

/* The key as the server shows it to the signed-in user. */
static ExkToken *
get_key (Fixture    *fixture,
         const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  exk_client_get_api_token_async (fixture->client, id, NULL, on_result, &result);
  token = exk_client_get_api_token_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);

  return token;
}

static gboolean
run (ExkLeakReplacement  *replacement,
     GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_leak_replacement_run_async (replacement, NULL, on_result, &result);
  wait_result (&result);
  g_assert_false (exk_leak_replacement_get_running (replacement));

  return exk_leak_replacement_run_finish (replacement, result, error);
}

static void
assert_states (ExkLeakReplacement *replacement,
               ExkLeakStepState    create,
               ExkLeakStepState    disable,
               ExkLeakStepState    link)
{
  g_assert_cmpint (exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_CREATE), ==, create);
  g_assert_cmpint (exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_DISABLE), ==,
                   disable);
  g_assert_cmpint (exk_leak_replacement_get_state (replacement, EXK_LEAK_STEP_LINK), ==, link);

  /* An error goes with a failed step, and only with one. */
  for (guint step = 0; step < EXK_LEAK_N_STEPS; step++)
    g_assert_true ((exk_leak_replacement_get_state (replacement, step) == EXK_LEAK_STEP_FAILED)
                   == (exk_leak_replacement_get_error (replacement, step) != NULL));
}

/* The key as the mock server stores it, or NULL. */
static JsonObject *
stored_key (Fixture    *fixture,
            const char *id)
{
  g_autofree char *path = g_strconcat ("/_mock/tokens/", id, NULL);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = exk_test_http_get_json (url (fixture), path, &status);
  if (status != 200)
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

static gboolean
stored_disabled (Fixture    *fixture,
                 const char *id)
{
  return exk_test_server_says_disabled (url (fixture), id);
}

/* The new key is on the server with the leaked key's scopes, and notes that name it. */
static void
assert_stored_replacement (Fixture    *fixture,
                           ExkToken   *leaked,
                           ExkToken   *new_key,
                           const char *notes)
{
  g_autoptr(JsonObject) stored = stored_key (fixture, exk_token_get_id (new_key));
  JsonArray *scopes;
  const char * const *expected = exk_token_get_scopes (leaked);
  guint n = expected != NULL ? g_strv_length ((char **) expected) : 0;

  g_assert_nonnull (stored);
  g_assert_false (json_object_get_boolean_member (stored, "is_disabled"));
  g_assert_cmpstr (json_object_get_string_member (stored, "project_id"), ==,
                   exk_token_get_project_id (leaked));
  g_assert_cmpstr (json_object_get_string_member (stored, "notes"), ==, notes);

  scopes = json_object_get_array_member (stored, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (json_array_get_string_element (scopes, i), ==, expected[i]);
  g_assert_true (g_strv_equal (exk_token_get_scopes (new_key), expected));
}

static guint
count (Fixture    *fixture,
       const char *method,
       const char *path)
{
  return exk_test_count_requests (url (fixture), method, path);
}

static gboolean
has_link (Fixture    *fixture,
          const char *new_id,
          const char *old_id)
{
  g_auto(GStrv) links = exk_rotations_dup_links (fixture->rotations, PISTOL_ID);
  g_autofree char *new_print = exk_rotations_fingerprint (new_id);
  g_autofree char *old_print = exk_rotations_fingerprint (old_id);

  for (guint i = 0; links[i] != NULL && links[i + 1] != NULL; i += 2)
    if (g_str_equal (links[i], new_print) && g_str_equal (links[i + 1], old_print))
      return TRUE;

  return FALSE;
}

static void
test_notes (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, CLIENT_KEY);
  g_autoptr(ExkLeakReplacement) replacement = exk_leak_replacement_new (fixture->client, leaked,
                                                                        NULL);

  g_assert_cmpstr (exk_leak_replacement_get_new_notes (replacement), ==,
                   CLIENT_NOTES " (replaces leaked mUf7KS…)");
  /* Nowhere to keep a link: that step is not needed. */
  assert_states (replacement, EXK_LEAK_STEP_PENDING, EXK_LEAK_STEP_PENDING,
                 EXK_LEAK_STEP_SKIPPED);
  g_assert_false (exk_leak_replacement_get_started (replacement));
  g_assert_true (exk_leak_replacement_leaked_works (replacement));
  g_assert_null (exk_leak_replacement_get_new_key (replacement));
}

/* The create fails: nothing happened, and a retry does both. */
static void
test_create_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, CLIENT_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GError) error = NULL;
  const GError *reason;
  ExkToken *new_key;

  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  exk_test_clear_requests (url (fixture));
  add_fault (fixture->mock, CREATE_FAULT);

  g_assert_false (run (replacement, &error));
  g_assert_nonnull (error);
  assert_states (replacement, EXK_LEAK_STEP_FAILED, EXK_LEAK_STEP_PENDING,
                 EXK_LEAK_STEP_PENDING);
  reason = exk_leak_replacement_get_error (replacement, EXK_LEAK_STEP_CREATE);
  g_assert_error (reason, EXK_API_ERROR, EXK_API_ERROR_SERVER);
  g_assert_null (exk_leak_replacement_get_new_key (replacement));
  g_assert_true (exk_leak_replacement_get_started (replacement));
  g_assert_false (exk_leak_replacement_get_complete (replacement));
  g_assert_true (exk_leak_replacement_leaked_works (replacement));

  /* The server: one refused create, no PATCH, the leaked key still enabled. */
  g_assert_cmpuint (count (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens"), ==, 1);
  g_assert_cmpuint (count (fixture, "PATCH", "/api/"), ==, 0);
  g_assert_false (stored_disabled (fixture, CLIENT_KEY));
  g_assert_false (exk_token_get_is_disabled (leaked));

  /* Retry: both. */
  g_clear_error (&error);
  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE);
  g_assert_true (exk_leak_replacement_get_complete (replacement));
  g_assert_false (exk_leak_replacement_leaked_works (replacement));
  new_key = exk_leak_replacement_get_new_key (replacement);
  g_assert_nonnull (new_key);
  assert_stored_replacement (fixture, leaked, new_key,
                             CLIENT_NOTES " (replaces leaked mUf7KS…)");
  g_assert_true (stored_disabled (fixture, CLIENT_KEY));
  g_assert_true (exk_token_get_is_disabled (leaked));
  g_assert_cmpuint (count (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens"), ==, 2);
  g_assert_cmpuint (count (fixture, "PATCH", "/api/v2/tokens/" CLIENT_KEY), ==, 1);
}

/* The disable fails: the new key exists, the leaked key still works, and a
 * retry only disables. */
static void
test_disable_fails (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, CLIENT_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *new_id = NULL;
  ExkToken *new_key;

  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  add_fault (fixture->mock, DISABLE_FAULT);

  g_assert_false (run (replacement, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_SERVER);
  /* The link is kept all the same: the key list then shows the replacement. */
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_FAILED, EXK_LEAK_STEP_DONE);
  g_assert_error (exk_leak_replacement_get_error (replacement, EXK_LEAK_STEP_DISABLE),
                  EXK_API_ERROR, EXK_API_ERROR_SERVER);
  g_assert_true (exk_leak_replacement_leaked_works (replacement));
  g_assert_false (exk_leak_replacement_get_complete (replacement));

  new_key = exk_leak_replacement_get_new_key (replacement);
  g_assert_nonnull (new_key);
  new_id = g_strdup (exk_token_get_id (new_key));
  assert_stored_replacement (fixture, leaked, new_key,
                             CLIENT_NOTES " (replaces leaked mUf7KS…)");
  g_assert_false (stored_disabled (fixture, CLIENT_KEY));
  g_assert_false (exk_token_get_is_disabled (leaked));
  g_assert_true (has_link (fixture, new_id, CLIENT_KEY));

  /* Retry: no second key, only the PATCH. */
  exk_test_clear_requests (url (fixture));
  g_clear_error (&error);
  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE);
  g_assert_cmpuint (count (fixture, "POST", "/api/"), ==, 0);
  g_assert_cmpuint (count (fixture, "PATCH", "/api/v2/tokens/" CLIENT_KEY), ==, 1);
  g_assert_cmpuint (count (fixture, NULL, "/api/"), ==, 1);
  g_assert_cmpstr (exk_token_get_id (exk_leak_replacement_get_new_key (replacement)), ==, new_id);
  g_assert_true (stored_disabled (fixture, CLIENT_KEY));
  g_assert_false (stored_disabled (fixture, new_id));
}

static ExkHistoryAction
history_action (ExkHistory *history,
                guint       position)
{
  g_autoptr(ExkHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), position);

  g_assert_nonnull (entry);
  return exk_history_entry_get_action (entry);
}

/* The history holds what the server confirmed: the new key at once, the
 * disabled key and the whole replacement only once the retry disabled it. */
static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, CLIENT_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(ExkHistory) history = exk_history_new_memory ();
  g_autoptr(ExkHistoryEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  exk_leak_replacement_set_history (replacement, history, "Disintegrating Pistol");
  add_fault (fixture->mock, DISABLE_FAULT);

  g_assert_false (run (replacement, &error));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_cmpint (history_action (history, 0), ==, EXK_HISTORY_ACTION_CREATED);

  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_assert_cmpint (history_action (history, 1), ==, EXK_HISTORY_ACTION_DISABLED);
  g_assert_cmpint (history_action (history, 0), ==, EXK_HISTORY_ACTION_LEAK_REPLACED);

  entry = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (exk_history_entry_get_key_prefix (entry), ==, "mUf7KS");
  g_assert_cmpstr (exk_history_entry_get_project_name (entry), ==, "Disintegrating Pistol");
  g_assert_cmpstr (exk_history_entry_get_notes (entry), ==,
                   CLIENT_NOTES " (replaces leaked mUf7KS…)");

  /* A run with nothing left to do records nothing. */
  g_assert_true (run (replacement, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
}

/* Both succeed at once: a key with other scopes, an expiry kept. */
static void
test_both_succeed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, SOURCE_MAP_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  ExkToken *new_key;

  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_DONE);

  new_key = exk_leak_replacement_get_new_key (replacement);
  notes = g_strdup_printf ("%s (replaces leaked CId12P…)", exk_token_get_notes (leaked));
  assert_stored_replacement (fixture, leaked, new_key, notes);
  g_assert_cmpstr (exk_token_get_scopes (new_key)[0], ==, "source-maps:write");
  g_assert_true (stored_disabled (fixture, SOURCE_MAP_KEY));
  g_assert_true (exk_token_get_is_disabled (leaked));
  g_assert_true (has_link (fixture, exk_token_get_id (new_key), SOURCE_MAP_KEY));

  /* Nothing left to do: a second run sends nothing. */
  exk_test_clear_requests (url (fixture));
  g_assert_true (run (replacement, &error));
  g_assert_cmpuint (count (fixture, NULL, "/api/"), ==, 0);
}

/* An already disabled key only needs its replacement. */
static void
test_already_disabled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, DISABLED_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GError) error = NULL;

  replacement = exk_leak_replacement_new (fixture->client, leaked, NULL);
  assert_states (replacement, EXK_LEAK_STEP_PENDING, EXK_LEAK_STEP_SKIPPED,
                 EXK_LEAK_STEP_SKIPPED);
  g_assert_false (exk_leak_replacement_leaked_works (replacement));

  exk_test_clear_requests (url (fixture));
  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_SKIPPED, EXK_LEAK_STEP_SKIPPED);
  g_assert_true (exk_leak_replacement_get_complete (replacement));
  g_assert_cmpuint (count (fixture, "POST", "/api/"), ==, 1);
  g_assert_cmpuint (count (fixture, "PATCH", "/api/"), ==, 0);
}

/* An organization-wide key has no project to make its replacement in: said
 * before anything is sent, and the key is left as it was. */
static void
test_organization_wide_key (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, ORG_WIDE_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (exk_token_get_project_id (leaked));
  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  exk_test_clear_requests (url (fixture));

  g_assert_false (run (replacement, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION);
  assert_states (replacement, EXK_LEAK_STEP_FAILED, EXK_LEAK_STEP_PENDING,
                 EXK_LEAK_STEP_PENDING);
  g_assert_true (exk_leak_replacement_leaked_works (replacement));
  g_assert_cmpuint (count (fixture, NULL, "/api/"), ==, 0);
  g_assert_false (stored_disabled (fixture, ORG_WIDE_KEY));
}

/* Cancelling stops before the next step; the step that was sent is answered. */
static void
test_cancel_between_steps (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(ExkToken) leaked = get_key (fixture, CLIENT_KEY);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  add_fault (fixture->mock, "POST /api/v2/projects=slow:300*1");
  exk_test_clear_requests (url (fixture));

  exk_leak_replacement_run_async (replacement, cancellable, on_result, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (exk_leak_replacement_run_finish (replacement, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The key exists, so the state says so; the leaked key was not touched. */
  assert_states (replacement, EXK_LEAK_STEP_DONE, EXK_LEAK_STEP_PENDING, EXK_LEAK_STEP_PENDING);
  g_assert_nonnull (exk_leak_replacement_get_new_key (replacement));
  g_assert_cmpuint (count (fixture, "PATCH", "/api/"), ==, 0);
  g_assert_false (stored_disabled (fixture, CLIENT_KEY));
  g_assert_false (exk_leak_replacement_get_running (replacement));
}

static gboolean
list_has_key (ExkKeyList *key_list,
              ExkToken   *token)
{
  return token != NULL && exk_key_list_find (key_list, exk_token_get_id (token), NULL) == token;
}

/* Through a key list: it shows the new key and the disabled one as the
 * server confirms each, in the objects the views hold. */
static void
test_key_list_in_sync (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(ExkProject) pistol = NULL;
  g_autoptr(ExkKeyList) key_list = NULL;
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *leaked;
  ExkToken *new_key;
  ExkKeyState *state;
  guint n;

  exk_client_get_project_async (fixture->client, PISTOL_ID, EXK_PROJECT_LIST_NONE, NULL,
                                on_result, &result);
  pistol = exk_client_get_project_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);
  key_list = exk_key_list_new (fixture->client, pistol, NULL, fixture->rotations);
  g_clear_object (&result);
  exk_key_list_reload_async (key_list, on_result, &result);
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&result), &error));
  n = g_list_model_get_n_items (G_LIST_MODEL (key_list));
  g_assert_true (exk_key_list_get_rotations (key_list) == fixture->rotations);

  leaked = exk_key_list_find (key_list, CLIENT_KEY, NULL);
  replacement = exk_leak_replacement_new (fixture->client, leaked, fixture->rotations);
  exk_leak_replacement_set_key_list (replacement, key_list);
  add_fault (fixture->mock, DISABLE_FAULT);

  g_assert_false (run (replacement, &error));
  g_clear_error (&error);
  new_key = exk_leak_replacement_get_new_key (replacement);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, n + 1);
  g_assert_true (list_has_key (key_list, new_key));
  g_assert_false (exk_token_get_is_disabled (leaked));
  /* The leaked key still works: the list says what replaces it. */
  state = exk_key_list_get_state (key_list, CLIENT_KEY);
  g_assert_cmpstr (exk_key_state_get_replaced_by (state), ==, exk_token_get_id (new_key));
  g_assert_false (exk_key_state_get_busy (state));

  g_assert_true (run (replacement, &error));
  g_assert_no_error (error);
  g_assert_true (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  g_assert_true (exk_key_list_find (key_list, CLIENT_KEY, NULL) == leaked);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, n + 1);
  g_assert_true (stored_disabled (fixture, CLIENT_KEY));

  exk_key_list_close (key_list);
  g_clear_object (&replacement);
  g_clear_object (&result);
  exk_test_finalize_soon (g_steal_pointer (&key_list));
}

/* The window */

typedef struct
{
  ExkMockServer     *mock;
  ExkAccountManager *manager;
  ExkWindow         *window;
  ExkProjectSidebar *sidebar;
  ExkProjectPage    *page;
} UiFixture;

static gboolean
projects_loaded (gpointer data)
{
  UiFixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (fixture->sidebar))
            > 0;
}

static gboolean
keys_loaded (gpointer data)
{
  UiFixture *fixture = data;
  ExkKeyList *key_list = exk_project_page_get_key_list (fixture->page);

  GtkListView *view = GTK_LIST_VIEW (exk_test_template_child (fixture->page,
                                                              EXK_TYPE_PROJECT_PAGE,
                                                              "keys_view"));

  /* The list view gets a new list a few keys per frame: all of them here. */
  return key_list != NULL && exk_key_list_get_loaded (key_list)
         && !exk_key_list_get_loading (key_list)
         && g_list_model_get_n_items (G_LIST_MODEL (key_list)) > 0
         && g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)))
            == g_list_model_get_n_items (G_LIST_MODEL (key_list));
}

static void
ui_set_up (UiFixture     *fixture,
           gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (exk_test_template_child (fixture->window,
                                                                   EXK_TYPE_WINDOW,
                                                                   "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                             "project_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
}

static void
ui_tear_down (UiFixture     *fixture,
              gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_settings_reset (settings, "last-projects");
  g_settings_reset (settings, "rotations");
}

static void
open_project (UiFixture  *fixture,
              const char *id)
{
  exk_project_sidebar_select_project_id (fixture->sidebar, id);
  exk_test_assert_wait (keys_loaded, fixture);
}

static GtkWidget *
dialog_child (gpointer    dialog,
              const char *name)
{
  return exk_test_template_child (dialog, EXK_TYPE_LEAK_DIALOG, name);
}

static const char *
label_text (gpointer    dialog,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (dialog_child (dialog, name)));
}

static const char *
row_subtitle (gpointer    dialog,
              const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, name)));
}

static gboolean
not_running (gpointer replacement)
{
  return !exk_leak_replacement_get_running (replacement);
}

static gboolean
stack_settled (gpointer dialog)
{
  return !gtk_stack_get_transition_running (GTK_STACK (dialog_child (dialog, "stack")));
}

/* A screenshot of the dialog once its pages stopped crossfading. */
static void
save_dialog (gpointer    dialog,
             const char *name)
{
  exk_test_assert_wait (stack_settled, dialog);
  exk_test_save_screenshot (GTK_WIDGET (dialog), name);
}

static gboolean
no_leak_dialog (gpointer data)
{
  return exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG) == NULL;
}

/* Opens the dialog from the key's row menu item, as a click on it does. */
static ExkLeakDialog *
open_dialog_from_row (UiFixture  *fixture,
                      const char *id)
{
  GtkWidget *row = exk_project_page_get_row (fixture->page, id);
  ExkLeakDialog *dialog;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_activate_action (row, "row.replace-leaked", NULL));
  dialog = exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG);
  g_assert_nonnull (dialog);
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  return dialog;
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *provider = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;

  if (provider == NULL)
    return NULL;

  g_value_init (&value, G_TYPE_STRING);
  if (!gdk_content_provider_get_value (provider, &value, NULL))
    return NULL;

  return g_value_dup_string (&value);
}

static gboolean
is_sensitive (gpointer widget)
{
  return gtk_widget_get_sensitive (widget);
}

/* Whether the row's menu offers @action: a button in the row with that
 * action is sensitive as the menu item is. */
static gboolean
action_enabled (GtkWidget  *row,
                const char *action)
{
  GtkWidget *probe = gtk_button_new ();
  gboolean enabled;

  gtk_widget_set_parent (probe, row);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (probe), action);
  enabled = exk_test_wait_until (is_sensitive, probe, 500);
  gtk_widget_unparent (probe);

  return enabled;
}

static void
test_row_menu_item (UiFixture     *fixture,
                    gconstpointer  data)
{
  ExkKeyList *key_list;
  GtkWidget *row;
  ExkToken *legacy = NULL;

  /* Next to the ordinary replacement, which stays. */
  open_project (fixture, PISTOL_ID);
  row = exk_project_page_get_row (fixture->page, CLIENT_KEY);
  g_assert_true (gtk_widget_is_sensitive (row));
  g_assert_true (gtk_widget_activate_action (row, "row.replace-leaked", NULL));
  g_assert_nonnull (exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG));
  gtk_window_close (GTK_WINDOW (exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG)));
  exk_test_assert_wait (no_leak_dialog, NULL);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "POST",
                                             "/api/"), ==, 0);

  /* Disabled keys may be replaced; another user's key may not be changed. */
  row = exk_project_page_get_row (fixture->page, DISABLED_KEY);
  g_assert_true (gtk_widget_activate_action (row, "row.replace-leaked", NULL));
  gtk_window_close (GTK_WINDOW (exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG)));
  exk_test_assert_wait (no_leak_dialog, NULL);

  open_project (fixture, ROCKET_ID);
  key_list = exk_project_page_get_key_list (fixture->page);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (key_list)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (key_list), i);

      if (exk_token_get_user_id (token) != NULL)
        legacy = token;
    }
  g_assert_nonnull (legacy);
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (legacy));
  g_assert_false (action_enabled (row, "row.replace-leaked"));
  g_assert_true (action_enabled (row, "row.rotate"));
  gtk_widget_activate_action (row, "row.replace-leaked", NULL);
  g_assert_null (exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG));
}

/* Confirm, then both steps: the keys page shows the new key and the old one
 * disabled; the dialog shows the new key masked, copied. */
static void
test_dialog_success (UiFixture     *fixture,
                     gconstpointer  data)
{
  ExkLeakDialog *dialog;
  ExkLeakReplacement *replacement;
  ExkKeyList *key_list;
  ExkToken *new_key;
  g_autofree char *masked = NULL;
  g_autofree char *copied = NULL;
  guint n;

  open_project (fixture, PISTOL_ID);
  key_list = exk_project_page_get_key_list (fixture->page);
  n = g_list_model_get_n_items (G_LIST_MODEL (key_list));

  dialog = open_dialog_from_row (fixture, CLIENT_KEY);
  replacement = exk_leak_dialog_get_replacement (dialog);
  g_assert_true (exk_leak_replacement_get_key_list (replacement) == key_list);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "confirm");
  g_assert_cmpstr (label_text (dialog, "confirm_title"), ==, "Replace Leaked Key mUf7KS…?");
  g_assert_nonnull (strstr (label_text (dialog, "confirm_body"), "disabled immediately"));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog))
                 == GTK_WINDOW (fixture->window));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));
  save_dialog (dialog, "leak-confirm");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 620);
  save_dialog (dialog, "leak-confirm-narrow-dark");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 480, 620);

  exk_test_click (dialog_child (dialog, "replace_button"));
  exk_test_assert_wait (not_running, replacement);
  exk_test_wait_for_paint (GTK_WIDGET (dialog));

  /* The keys page: the new key listed, the leaked one disabled, both in the list's objects. */
  new_key = exk_leak_replacement_get_new_key (replacement);
  g_assert_nonnull (new_key);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, n + 1);
  g_assert_true (exk_key_list_find (key_list, exk_token_get_id (new_key), NULL) == new_key);
  g_assert_true (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  g_assert_true (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                CLIENT_KEY));

  /* The dialog: done, the key masked and on the clipboard. */
  g_assert_cmpstr (label_text (dialog, "result_title"), ==, "Leaked Key Replaced");
  masked = exk_format_masked_key (exk_token_get_id (new_key));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (dialog,
                                                                                   "new_key_row"))),
                   ==, masked);
  g_assert_null (strstr (label_text (dialog, "result_body"), exk_token_get_id (new_key)));
  g_assert_cmpstr (row_subtitle (dialog, "new_key_row"), ==, "Copied to the clipboard");
  copied = clipboard_text (GTK_WIDGET (dialog));
  g_assert_cmpstr (copied, ==, exk_token_get_id (new_key));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "retry_button")));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "copy_button")));
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "disable_row"), "Done"));
  save_dialog (dialog, "leak-success");

  /* Dark, and as narrow as a phone. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  save_dialog (dialog, "leak-success-dark");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 700);
  save_dialog (dialog, "leak-success-narrow-dark");

  /* Closed: the list shows the new key. */
  exk_test_click (dialog_child (dialog, "close_button"));
  exk_test_assert_wait (no_leak_dialog, NULL);
  g_assert_cmpstr (exk_project_page_get_highlighted (fixture->page), ==,
                   exk_token_get_id (new_key));
}

/* The disable fails: the dialog says which steps happened and that the
 * leaked key still works, and Retry does the rest. */
static void
test_dialog_failure_and_retry (UiFixture     *fixture,
                               gconstpointer  data)
{
  ExkLeakDialog *dialog;
  ExkLeakReplacement *replacement;
  ExkKeyList *key_list;
  GtkWidget *retry;

  open_project (fixture, PISTOL_ID);
  key_list = exk_project_page_get_key_list (fixture->page);
  add_fault (fixture->mock, DISABLE_FAULT);

  dialog = open_dialog_from_row (fixture, CLIENT_KEY);
  replacement = exk_leak_dialog_get_replacement (dialog);
  exk_test_click (dialog_child (dialog, "replace_button"));
  exk_test_assert_wait (not_running, replacement);

  g_assert_cmpstr (label_text (dialog, "result_title"), ==, "The Leaked Key Still Works");
  g_assert_nonnull (strstr (label_text (dialog, "result_body"), "was created"));
  g_assert_nonnull (strstr (label_text (dialog, "result_body"), "was not disabled"));
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "create_row"), "Done: created "));
  g_assert_cmpstr (row_subtitle (dialog, "disable_row"), ==,
                   "Not disabled: the server had a problem. mUf7KS… still works.");
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "link_row"), "Done"));
  retry = dialog_child (dialog, "retry_button");
  g_assert_true (gtk_widget_get_visible (retry));
  g_assert_true (gtk_widget_has_focus (retry));
  /* The new key is there to copy already. */
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "new_key_group")));
  /* The list: the new key, the leaked one still enabled. */
  g_assert_nonnull (exk_key_list_find (key_list,
                                       exk_token_get_id (exk_leak_replacement_get_new_key (
                                                           replacement)),
                                       NULL));
  g_assert_false (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  save_dialog (dialog, "leak-failure");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 760);
  save_dialog (dialog, "leak-failure-narrow");

  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
  exk_test_click (retry);
  exk_test_assert_wait (not_running, replacement);
  g_assert_cmpstr (label_text (dialog, "result_title"), ==, "Leaked Key Replaced");
  g_assert_false (gtk_widget_get_visible (retry));
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "POST",
                                             "/api/"), ==, 0);
  g_assert_true (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (no_leak_dialog, NULL);
}

/* The create fails: nothing changed, and the dialog says so. */
static void
test_dialog_create_fails (UiFixture     *fixture,
                          gconstpointer  data)
{
  ExkLeakDialog *dialog;
  ExkLeakReplacement *replacement;

  open_project (fixture, PISTOL_ID);
  add_fault (fixture->mock, CREATE_FAULT);

  dialog = open_dialog_from_row (fixture, CLIENT_KEY);
  replacement = exk_leak_dialog_get_replacement (dialog);
  exk_test_click (dialog_child (dialog, "replace_button"));
  exk_test_assert_wait (not_running, replacement);

  g_assert_cmpstr (label_text (dialog, "result_title"), ==, "The Leaked Key Still Works");
  g_assert_true (g_str_has_prefix (label_text (dialog, "result_body"), "Nothing was changed"));
  g_assert_cmpstr (row_subtitle (dialog, "create_row"), ==,
                   "Not created: the server had a problem");
  g_assert_cmpstr (row_subtitle (dialog, "disable_row"), ==, "Not done: mUf7KS… still works");
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "new_key_group")));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "retry_button")));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  save_dialog (dialog, "leak-create-failed-dark");

  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (no_leak_dialog, NULL);
}

static GtkWidget *
find_label_starting (GtkWidget  *widget,
                     const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_starting (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The window's toast says it, shown whole. */
static gboolean
window_says_replaced (gpointer window)
{
  GtkWidget *label = find_label_starting (window, "Leaked key mUf7KS… replaced");
  GtkWidget *toast = label != NULL ? gtk_widget_get_parent (gtk_widget_get_parent (label)) : NULL;
  graphene_rect_t bounds;

  /* Slid in whole above the window's bottom edge. */
  return toast != NULL && gtk_widget_get_mapped (label) && gtk_widget_get_width (label) > 0
         && gtk_widget_compute_bounds (toast, window, &bounds)
         && bounds.origin.y + bounds.size.height < gtk_widget_get_height (window) - 12;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Closed while the create runs: the steps go on, and the window says how they ended. */
static void
test_dialog_closed_while_running (UiFixture     *fixture,
                                  gconstpointer  data)
{
  ExkLeakDialog *dialog;
  GtkWidget *toast_button;
  g_autoptr(ExkLeakReplacement) replacement = NULL;

  open_project (fixture, PISTOL_ID);
  add_fault (fixture->mock, "POST /api/v2/projects=slow:500*1");

  dialog = open_dialog_from_row (fixture, CLIENT_KEY);
  replacement = g_object_ref (exk_leak_dialog_get_replacement (dialog));
  exk_test_click (dialog_child (dialog, "replace_button"));
  g_assert_true (exk_leak_replacement_get_running (replacement));
  save_dialog (dialog, "leak-running");
  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (no_leak_dialog, NULL);

  exk_test_assert_wait (not_running, replacement);
  g_assert_true (exk_leak_replacement_get_complete (replacement));
  g_assert_true (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                CLIENT_KEY));
  exk_test_assert_wait (window_says_replaced, fixture->window);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "leak-closed-toast");

  /* Show: the dialog again, with what was done, the new key to copy. */
  toast_button = find_button (gtk_widget_get_parent (gtk_widget_get_parent (
                                find_label_starting (GTK_WIDGET (fixture->window),
                                                     "Leaked key mUf7KS… replaced"))),
                              "Show");
  g_assert_nonnull (toast_button);
  exk_test_click (toast_button);
  dialog = exk_test_find_toplevel (EXK_TYPE_LEAK_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (exk_leak_dialog_get_replacement (dialog) == replacement);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "stack"))),
                   ==, "steps");
  g_assert_cmpstr (label_text (dialog, "result_title"), ==, "Leaked Key Replaced");
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "copy_button")));
  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (no_leak_dialog, NULL);
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/exkeys/leak-replacement/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
#define ADD_UI(path, func) \
  g_test_add ("/exkeys/leak-replacement/" path, UiFixture, NULL, ui_set_up, func, ui_tear_down)

  ADD ("notes", test_notes);
  ADD ("create-fails", test_create_fails);
  ADD ("disable-fails", test_disable_fails);
  ADD ("history", test_history);
  ADD ("both-succeed", test_both_succeed);
  ADD ("already-disabled", test_already_disabled);
  ADD ("organization-wide-key", test_organization_wide_key);
  ADD ("cancel-between-steps", test_cancel_between_steps);
  ADD ("key-list-in-sync", test_key_list_in_sync);
  ADD_UI ("row-menu-item", test_row_menu_item);
  ADD_UI ("dialog-success", test_dialog_success);
  ADD_UI ("dialog-failure-and-retry", test_dialog_failure_and_retry);
  ADD_UI ("dialog-create-fails", test_dialog_create_fails);
  ADD_UI ("dialog-closed-while-running", test_dialog_closed_while_running);

#undef ADD
#undef ADD_UI

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-api-error.h"
#include "exk-key-list.h"
#include "exk-mock-server.h"
#include "exk-test-util.h"

/* ExkKeyList against the mock server over loopback HTTP, without a display:
 * what the list says after each answer, which requests it sends, and that
 * closing it stops everything. */

#define PISTOL_ID       "537650f3b77efe23a47914f4"
#define ROCKET_ID       "537650f3b77efe23a47914f7"
#define CLIENT_KEY      "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define DISABLED_KEY    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"
#define SOURCE_MAP_KEY  "CId12P9uG8XqUay2nB8eUSrRqDdKOAO7uagQpFyD"
#define ACCOUNT_KEY     "org@localhost test"
#define WAIT_MS         20000

typedef struct
{
  ExkMockServer *mock;
  ExkClient     *client;
  ExkProject    *pistol;
  GSettings     *settings;
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

/* Runs the main context until the call that got on_result() and @slot answered. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (exk_test_wait_until (has_result, slot, WAIT_MS));
  return *slot;
}

static ExkProject *
get_project (Fixture    *fixture,
             const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ExkProject *project;

  exk_client_get_project_async (fixture->client, id, EXK_PROJECT_LIST_NONE, NULL, on_result,
                                &result);
  project = exk_client_get_project_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);

  return project;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->client = exk_client_new (exk_mock_server_get_url (fixture->mock), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->mock));
  fixture->pistol = get_project (fixture, PISTOL_ID);
  fixture->settings = g_settings_new (BASE_ID);
  g_settings_reset (fixture->settings, "rotations");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_settings_reset (fixture->settings, "rotations");
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->pistol);
  exk_test_finalize_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->mock, spec, &error));
  g_assert_no_error (error);
}

static void
clear_requests (Fixture *fixture)
{
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
}

static guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path_prefix)
{
  return exk_test_count_requests (exk_mock_server_get_url (fixture->mock), method, path_prefix);
}

static gboolean
server_says_disabled (Fixture    *fixture,
                      const char *id)
{
  return exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock), id);
}

static ExkKeyList *
new_loaded_list (Fixture      *fixture,
                 ExkProject   *project,
                 const char   *user_id,
                 ExkRotations *rotations)
{
  g_autoptr(ExkKeyList) key_list = exk_key_list_new (fixture->client, project, user_id,
                                                     rotations);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  exk_key_list_reload_async (key_list, on_result, &result);
  g_assert_true (exk_key_list_get_loading (key_list));
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&result), &error));
  g_assert_no_error (error);
  g_assert_false (exk_key_list_get_loading (key_list));
  g_assert_true (exk_key_list_get_loaded (key_list));

  return g_steal_pointer (&key_list);
}

static void
reload (ExkKeyList *key_list)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  exk_key_list_reload_async (key_list, on_result, &result);
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&result), &error));
  g_assert_no_error (error);
}

static gboolean
set_disabled (ExkKeyList  *key_list,
              const char  *id,
              gboolean     disabled,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_key_list_set_disabled_async (key_list, id, disabled, on_result, &result);
  return exk_key_list_set_disabled_finish (key_list, wait_result (&result), error);
}

static void
close_and_finalize (ExkKeyList *key_list)
{
  exk_key_list_close (key_list);
  exk_test_finalize_soon (key_list);
}

/* Through the client, behind the list's back: what another app or person did. */
static char *
create_on_server (Fixture    *fixture,
                  const char *notes)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkToken) token = NULL;

  exk_client_create_token_async (fixture->client, PISTOL_ID, NULL, notes, NULL, NULL, on_result,
                                 &result);
  token = exk_client_create_token_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);

  return g_strdup (exk_token_get_id (token));
}

static void
delete_on_server (Fixture    *fixture,
                  const char *id)
{
  const char *ids[] = { id, NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkDeleteResult) deleted = NULL;

  exk_client_delete_tokens_async (fixture->client, ids, NULL, on_result, &result);
  deleted = exk_client_delete_tokens_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint added;
  guint removed;
  guint signals;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->added += added;
  changes->removed += removed;
  changes->signals++;
}

/* Tests */

static void
test_reload_merges_in_place (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autofree char *created = NULL;
  ExkToken *client_key;
  ExkKeyState *state;
  Changes changes = { 0 };

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, 7);
  client_key = exk_key_list_find (key_list, CLIENT_KEY, NULL);
  state = exk_key_list_get_state (key_list, CLIENT_KEY);
  g_assert_nonnull (client_key);
  exk_key_state_set_revealed (state, TRUE);

  /* Meanwhile, on the server: one key more, one less. */
  created = create_on_server (fixture, "Made elsewhere");
  delete_on_server (fixture, DISABLED_KEY);

  g_signal_connect (key_list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  reload (key_list);

  /* The same objects, with what the server holds now; only the changes were signalled. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, 7);
  g_assert_true (exk_key_list_find (key_list, CLIENT_KEY, NULL) == client_key);
  g_assert_true (exk_key_list_get_state (key_list, CLIENT_KEY) == state);
  g_assert_true (exk_key_state_get_revealed (state));
  g_assert_null (exk_key_list_find (key_list, DISABLED_KEY, NULL));
  g_assert_cmpstr (exk_token_get_notes (exk_key_list_find (key_list, created, NULL)), ==,
                   "Made elsewhere");
  g_assert_cmpuint (changes.added, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 1);

  close_and_finalize (g_steal_pointer (&key_list));
}

/* A first load is one change of the model, however many keys: each change
 * costs every view a pass. */
static void
test_first_load_is_one_change (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = exk_key_list_new (fixture->client, fixture->pistol, NULL,
                                                     NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };

  g_signal_connect (key_list, "items-changed", G_CALLBACK (on_items_changed), &changes);
  exk_key_list_reload_async (key_list, on_result, &result);
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&result), &error));
  g_assert_no_error (error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, 7);
  g_assert_cmpuint (changes.signals, ==, 1);
  g_assert_cmpuint (changes.added, ==, 7);
  g_assert_cmpuint (changes.removed, ==, 0);

  g_clear_object (&result);   /* the task holds the list */
  close_and_finalize (g_steal_pointer (&key_list));
}

static void
test_disable_failure_keeps_server_state (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GError) error = NULL;
  ExkKeyState *state = exk_key_list_get_state (key_list, CLIENT_KEY);

  add_fault (fixture, "PATCH /api/v2/tokens=status:500*1");

  g_assert_false (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_SERVER);
  g_assert_false (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_false (exk_key_state_get_busy (state));

  /* The same change, once the server works again. */
  g_clear_error (&error);
  g_assert_true (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));

  close_and_finalize (g_steal_pointer (&key_list));
}

static void
test_reload_does_not_cancel_changes (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GAsyncResult) disabled = NULL;
  g_autoptr(GAsyncResult) first_reload = NULL;
  g_autoptr(GAsyncResult) second_reload = NULL;
  g_autoptr(GError) error = NULL;
  ExkKeyState *state = exk_key_list_get_state (key_list, CLIENT_KEY);

  add_fault (fixture, "PATCH /api/v2/tokens=slow:400*1");
  exk_key_list_set_disabled_async (key_list, CLIENT_KEY, TRUE, on_result, &disabled);
  g_assert_true (exk_key_state_get_busy (state));

  /* Refresh twice (Ctrl+R, F5) while the server works on the change. */
  exk_key_list_reload_async (key_list, on_result, &first_reload);
  exk_key_list_reload_async (key_list, on_result, &second_reload);

  /* Only the older reload gives way. */
  g_assert_false (exk_key_list_reload_finish (key_list, wait_result (&first_reload), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_true (exk_key_list_set_disabled_finish (key_list, wait_result (&disabled), &error));
  g_assert_no_error (error);
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&second_reload), &error));
  g_assert_no_error (error);

  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_false (exk_key_state_get_busy (state));

  /* Whichever answered last, the list ends as the server is. */
  reload (key_list);
  g_assert_true (exk_token_get_is_disabled (exk_key_list_find (key_list, CLIENT_KEY, NULL)));

  /* The results hold the list. */
  g_clear_object (&disabled);
  g_clear_object (&first_reload);
  g_clear_object (&second_reload);
  close_and_finalize (g_steal_pointer (&key_list));
}

static void
test_closed_list_sends_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_no_error (error);

  /* The user switches account (the page closes the list it showed), then
   * clicks the Undo of the old toast: nothing may reach the server, with
   * this account's token or another's. */
  exk_key_list_close (key_list);
  clear_requests (fixture);

  g_assert_false (set_disabled (key_list, CLIENT_KEY, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_requests (fixture, NULL, "/api/"), ==, 0);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));

  exk_test_finalize_soon (g_steal_pointer (&key_list));
}

static void
test_close_cancels_running_change (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, "PATCH /api/v2/tokens=slow:300*1");
  exk_key_list_set_disabled_async (key_list, CLIENT_KEY, TRUE, on_result, &result);
  exk_key_list_close (key_list);

  g_assert_false (exk_key_list_set_disabled_finish (key_list, wait_result (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&result);
  exk_test_finalize_soon (g_steal_pointer (&key_list));
}

static void
on_session_expired (ExkClient *client,
                    guint     *count)
{
  (*count)++;
}

static void
test_session_expired_once_per_token (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GAsyncResult) check = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  guint expired = 0;

  g_signal_connect (fixture->client, "session-expired", G_CALLBACK (on_session_expired),
                    &expired);

  /* An API key the server refuses says nothing about the user's sign-in. */
  delete_on_server (fixture, DISABLED_KEY);
  exk_key_list_check_async (key_list, DISABLED_KEY, on_result, &check);
  exk_key_list_check_finish (key_list, wait_result (&check), NULL);
  g_assert_cmpuint (expired, ==, 0);

  /* The user's token ends: two requests fail with it, one signal. */
  exk_client_set_token (fixture->client, "0000000000000000000000000000000000000000");
  exk_key_list_reload_async (key_list, on_result, &first);
  g_assert_false (exk_key_list_reload_finish (key_list, wait_result (&first), &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_false (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpuint (expired, ==, 1);

  /* The list keeps the keys it had, and says why it could not reload. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, 7);
  g_assert_true (g_error_matches (exk_key_list_get_error (key_list), EXK_API_ERROR,
                                  EXK_API_ERROR_UNAUTHORIZED));

  /* Signed in again: the error goes with the next reload. */
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->mock));
  exk_key_list_reload_async (key_list, on_result, &second);
  g_assert_true (exk_key_list_reload_finish (key_list, wait_result (&second), &error));
  g_assert_null (exk_key_list_get_error (key_list));
  g_assert_cmpuint (expired, ==, 1);

  g_signal_handlers_disconnect_by_func (fixture->client, on_session_expired, &expired);
  g_clear_object (&check);
  g_clear_object (&first);
  g_clear_object (&second);
  close_and_finalize (g_steal_pointer (&key_list));
}

static ExkToken *
rotate (ExkKeyList *key_list,
        const char *old_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  exk_key_list_rotate_async (key_list, old_id, on_result, &result);
  token = exk_key_list_rotate_finish (key_list, wait_result (&result), &error);
  g_assert_no_error (error);

  return token;
}

static void
test_rotation_is_saved (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(ExkRotations) rotations = exk_rotations_new (fixture->settings, ACCOUNT_KEY);
  g_autoptr(ExkRotations) after_restart = NULL;
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, rotations);
  g_autoptr(ExkToken) replacement = rotate (key_list, CLIENT_KEY);
  g_autofree char *new_id = g_strdup (exk_token_get_id (replacement));
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *printed = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *old_key = exk_key_list_find (key_list, CLIENT_KEY, NULL);

  /* Same scopes and notes; both keys work; both say which replaces which. */
  g_assert_cmpstr (exk_token_get_notes (replacement), ==, exk_token_get_notes (old_key));
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_cmpstr (exk_key_state_get_replaces (exk_key_list_get_state (key_list, new_id)), ==,
                   CLIENT_KEY);
  g_assert_cmpstr (exk_key_state_get_replaced_by (exk_key_list_get_state (key_list, CLIENT_KEY)),
                   ==, new_id);

  /* Kept without the keys themselves: they are secrets. */
  saved = g_settings_get_value (fixture->settings, "rotations");
  printed = g_variant_print (saved, FALSE);
  g_assert_null (strstr (printed, CLIENT_KEY));
  g_assert_null (strstr (printed, new_id));
  g_assert_nonnull (strstr (printed, PISTOL_ID));

  /* Another project, an account switch, a restart: a new list finds the link again. */
  close_and_finalize (g_steal_pointer (&key_list));
  after_restart = exk_rotations_new (fixture->settings, ACCOUNT_KEY);
  key_list = new_loaded_list (fixture, fixture->pistol, NULL, after_restart);
  g_assert_cmpstr (exk_key_state_get_replaced_by (exk_key_list_get_state (key_list, CLIENT_KEY)),
                   ==, new_id);

  /* Another account does not see it. */
  {
    g_autoptr(ExkRotations) other = exk_rotations_new (fixture->settings, "ops@localhost test");
    g_autoptr(ExkKeyList) other_list = new_loaded_list (fixture, fixture->pistol, NULL, other);

    g_assert_null (exk_key_state_get_replaced_by (exk_key_list_get_state (other_list,
                                                                          CLIENT_KEY)));
    close_and_finalize (g_steal_pointer (&other_list));
  }

  /* Disabling the old key ends the rotation, here and in the settings. */
  g_assert_true (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_null (exk_key_state_get_replaced_by (exk_key_list_get_state (key_list, CLIENT_KEY)));
  g_assert_null (exk_key_state_get_replaces (exk_key_list_get_state (key_list, new_id)));
  g_clear_pointer (&saved, g_variant_unref);
  saved = g_settings_get_value (fixture->settings, "rotations");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);

  close_and_finalize (g_steal_pointer (&key_list));
}

static void
test_rotation_dismissed_or_gone (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(ExkRotations) rotations = exk_rotations_new (fixture->settings, ACCOUNT_KEY);
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, rotations);
  g_autoptr(ExkToken) first = rotate (key_list, CLIENT_KEY);
  g_autoptr(ExkToken) second = rotate (key_list, SOURCE_MAP_KEY);
  g_autoptr(GVariant) saved = NULL;

  /* Dismissed by the user: the old key keeps working, the link goes. */
  exk_key_list_dismiss_rotation (key_list, exk_token_get_id (first));
  g_assert_null (exk_key_state_get_replaced_by (exk_key_list_get_state (key_list, CLIENT_KEY)));

  /* The replacement deleted elsewhere: the next complete load forgets the link. */
  g_assert_cmpstr (exk_key_state_get_replaces (exk_key_list_get_state (
                     key_list, exk_token_get_id (second))), ==, SOURCE_MAP_KEY);
  delete_on_server (fixture, exk_token_get_id (second));
  reload (key_list);
  g_assert_null (exk_key_state_get_replaced_by (exk_key_list_get_state (key_list,
                                                                        SOURCE_MAP_KEY)));
  saved = g_settings_get_value (fixture->settings, "rotations");
  g_assert_cmpuint (g_variant_n_children (saved), ==, 0);

  close_and_finalize (g_steal_pointer (&key_list));
}

static void
test_can_delete_only_own_user_keys (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(ExkProject) rocket = get_project (fixture, ROCKET_ID);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(ExkUser) me = NULL;
  g_autoptr(ExkKeyList) key_list = NULL;
  g_autoptr(ExkKeyList) anonymous = NULL;
  g_autoptr(GError) error = NULL;
  guint n_refused = 0;

  exk_client_get_current_user_async (fixture->client, NULL, on_result, &result);
  me = exk_client_get_current_user_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);

  key_list = new_loaded_list (fixture, rocket, exk_user_get_id (me), NULL);
  anonymous = new_loaded_list (fixture, rocket, NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (key_list)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (key_list), i);
      const char *owner = exk_token_get_user_id (token);
      gboolean others = owner != NULL && !g_str_equal (owner, exk_user_get_id (me));

      g_assert_cmpint (exk_key_list_can_delete (key_list, token), ==, !others);
      /* Not knowing who signed in, the list lets the server decide. */
      g_assert_true (exk_key_list_can_delete (anonymous, token));
      n_refused += others;
    }

  /* The demo data has one: a legacy key bound to ops@localhost. */
  g_assert_cmpuint (n_refused, ==, 1);

  close_and_finalize (g_steal_pointer (&key_list));
  close_and_finalize (g_steal_pointer (&anonymous));
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  g_autoptr(GAsyncResult) deleted = NULL;
  g_autoptr(GAsyncResult) gone = NULL;
  g_autoptr(GError) error = NULL;

  exk_key_list_delete_async (key_list, CLIENT_KEY, on_result, &deleted);
  g_assert_nonnull (exk_key_list_find (key_list, CLIENT_KEY, NULL));
  g_assert_true (exk_key_list_delete_finish (key_list, wait_result (&deleted), &error));
  g_assert_no_error (error);
  g_assert_null (exk_key_list_find (key_list, CLIENT_KEY, NULL));

  /* Deleted elsewhere first: the list catches up and says so. */
  delete_on_server (fixture, DISABLED_KEY);
  exk_key_list_delete_async (key_list, DISABLED_KEY, on_result, &gone);
  g_assert_false (exk_key_list_delete_finish (key_list, wait_result (&gone), &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_assert_null (exk_key_list_find (key_list, DISABLED_KEY, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (key_list)), ==, 5);

  g_clear_object (&deleted);
  g_clear_object (&gone);
  close_and_finalize (g_steal_pointer (&key_list));
}

static ExkKeyCheck
check (ExkKeyList  *key_list,
       const char  *id,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_key_list_check_async (key_list, id, on_result, &result);
  return exk_key_list_check_finish (key_list, wait_result (&result), error);
}

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(ExkKeyList) key_list = new_loaded_list (fixture, fixture->pistol, NULL, NULL);
  ExkKeyState *state = exk_key_list_get_state (key_list, CLIENT_KEY);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (check (key_list, CLIENT_KEY, &error), ==, EXK_KEY_CHECK_WORKS);
  g_assert_cmpint (exk_key_state_get_check (state), ==, EXK_KEY_CHECK_WORKS);
  g_assert_cmpint (check (key_list, DISABLED_KEY, &error), ==, EXK_KEY_CHECK_REJECTED_DISABLED);

  /* A result says nothing once the key is disabled. */
  g_assert_true (set_disabled (key_list, CLIENT_KEY, TRUE, &error));
  g_assert_cmpint (exk_key_state_get_check (state), ==, EXK_KEY_CHECK_NONE);

  /* The server failing is not a verdict on the key. */
  add_fault (fixture, "GET /api/v2/projects/config=status:500*1");
  g_assert_cmpint (check (key_list, CLIENT_KEY, &error), ==, EXK_KEY_CHECK_NONE);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_SERVER);
  g_assert_cmpint (exk_key_state_get_check (state), ==, EXK_KEY_CHECK_NONE);

  close_and_finalize (g_steal_pointer (&key_list));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/exkeys/key-list/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("reload-merges-in-place", test_reload_merges_in_place);
  ADD ("first-load-is-one-change", test_first_load_is_one_change);
  ADD ("disable-failure-keeps-server-state", test_disable_failure_keeps_server_state);
  ADD ("reload-does-not-cancel-changes", test_reload_does_not_cancel_changes);
  ADD ("closed-list-sends-nothing", test_closed_list_sends_nothing);
  ADD ("close-cancels-running-change", test_close_cancels_running_change);
  ADD ("session-expired-once-per-token", test_session_expired_once_per_token);
  ADD ("rotation-is-saved", test_rotation_is_saved);
  ADD ("rotation-dismissed-or-gone", test_rotation_dismissed_or_gone);
  ADD ("can-delete-only-own-user-keys", test_can_delete_only_own_user_keys);
  ADD ("delete", test_delete);
  ADD ("check", test_check);

#undef ADD

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "exk-mock-server.h"
#include "exk-project-page.h"
#include "exk-project-page-private.h"
#include "exk-project-sidebar.h"
#include "exk-sign-in-page.h"
#include "exk-test-util.h"
#include "exk-token-row.h"
#include "exk-window.h"

/* The real window against a hostile or broken server (the mock server's
 * faults): a redirect, a deeply nested answer, an endless one, one trickled
 * a byte at a time, a slow change the user stops waiting for, and a sign-in
 * answer with a one-letter token. Each time the window says what happened,
 * and nothing crashes, hangs or claims a success. */

#define PISTOL_ID  "537650f3b77efe23a47914f4"
#define CLIENT_KEY "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"

typedef struct
{
  ExkMockServer     *mock;
  ExkAccountManager *manager;
  ExkWindow         *window;
  ExkProjectSidebar *sidebar;
  ExkProjectPage    *page;
} Fixture;

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static GtkWidget *
page_child (Fixture    *fixture,
            const char *name)
{
  return exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE, name);
}

static gboolean
projects_listed (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading;
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->manager = exk_test_new_manager ();
  open_window (fixture);

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  exk_test_assert_wait (projects_listed, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
  g_settings_reset (settings, "last-projects");
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->mock, spec, &error));
  g_assert_no_error (error);
}

static gboolean
keys_loaded (gpointer data)
{
  Fixture *fixture = data;
  ExkKeyList *key_list = exk_project_page_get_key_list (fixture->page);

  return key_list != NULL && exk_key_list_get_loaded (key_list)
         && !exk_key_list_get_loading (key_list);
}

static gboolean
keys_show_error (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (page_child (fixture,
                                                                             "keys_stack"))),
                    "error") == 0;
}

static const char *
keys_error_text (Fixture *fixture)
{
  return adw_status_page_get_description (ADW_STATUS_PAGE (page_child (fixture,
                                                                       "keys_error_page")));
}

/* Opens Disintegrating Pistol while the server answers its keys with @fault. */
static void
open_keys_with_fault (Fixture    *fixture,
                      const char *fault)
{
  g_autofree char *spec = g_strdup_printf ("GET /api/v2/projects/" PISTOL_ID "/tokens=%s*1",
                                           fault);

  add_fault (fixture, spec);
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_show_error, fixture);
  g_test_message ("%s → %s", fault, keys_error_text (fixture));
}

static AdwToast *
find_toast (Fixture    *fixture,
            const char *prefix)
{
  GPtrArray *toasts = exk_project_page_get_toasts (fixture->page);

  for (guint i = 0; i < toasts->len; i++)
    if (g_str_has_prefix (adw_toast_get_title (g_ptr_array_index (toasts, i)), prefix))
      return g_ptr_array_index (toasts, i);

  return NULL;
}

static gboolean
delete_failure_shown (gpointer data)
{
  return find_toast (data, "Couldn’t delete mUf7KS…") != NULL;
}

static void
test_redirected_delete (Fixture       *fixture,
                        gconstpointer  data)
{
  AdwMessageDialog *dialog;

  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_loaded, fixture);

  add_fault (fixture, "DELETE /api/v2/tokens=redirect:/api/v2/projects");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.delete", "s", CLIENT_KEY);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");

  /* Not "deleted": the key is listed, and works on the server. */
  exk_test_assert_wait (delete_failure_shown, fixture);
  g_assert_cmpstr (adw_toast_get_title (find_toast (fixture, "Couldn’t delete")), ==,
                   "Couldn’t delete mUf7KS…: the server answered with a redirect");
  g_assert_null (find_toast (fixture, "Key mUf7KS… deleted"));
  g_assert_nonnull (exk_key_list_find (exk_project_page_get_key_list (fixture->page), CLIENT_KEY,
                                       NULL));
  g_assert_false (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                 CLIENT_KEY));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "hostile-redirect");
}

static void
test_nested_answer (Fixture       *fixture,
                    gconstpointer  data)
{
  open_keys_with_fault (fixture, "nest:100000");
  g_assert_nonnull (strstr (keys_error_text (fixture), "not what Exceptionless sends"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "hostile-nested");

  /* Retry works once the server does. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.refresh", NULL);
  exk_test_assert_wait (keys_loaded, fixture);
}

static void
test_endless_answer (Fixture       *fixture,
                     gconstpointer  data)
{
  open_keys_with_fault (fixture, "endless");
  g_assert_nonnull (strstr (keys_error_text (fixture), "larger than"));
}

static void
test_trickled_answer (Fixture       *fixture,
                      gconstpointer  data)
{
  exk_client_set_timeout (exk_account_manager_get_client (fixture->manager), 2);
  open_keys_with_fault (fixture, "trickle:300");
  g_assert_nonnull (strstr (keys_error_text (fixture), "did not finish its answer"));
}

static gboolean
waiting_offered (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *row = exk_project_page_get_row (fixture->page, CLIENT_KEY);

  return gtk_widget_get_visible (exk_test_template_child (row, EXK_TYPE_TOKEN_ROW,
                                                          "waiting_box"));
}

static gboolean
stopped_waiting_said (gpointer data)
{
  return find_toast (data, "Stopped waiting for the server about mUf7KS…") != NULL;
}

static void
test_stop_waiting (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkWidget *row;
  ExkKeyState *state;

  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_loaded, fixture);
  state = exk_key_list_get_state (exk_project_page_get_key_list (fixture->page), CLIENT_KEY);

  /* A change the server sits on: after a few seconds the row offers to stop. */
  add_fault (fixture, "PATCH /api/v2/tokens=slow:60000*1");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.set-disabled", "(sb)",
                              CLIENT_KEY, TRUE);
  g_assert_true (exk_key_state_get_busy (state));
  g_assert_true (exk_test_wait_until (waiting_offered, fixture, 20000));
  row = exk_project_page_get_row (fixture->page, CLIENT_KEY);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "hostile-still-waiting");

  exk_test_click (gtk_widget_get_last_child (exk_test_template_child (row, EXK_TYPE_TOKEN_ROW,
                                                                     "waiting_box")));
  exk_test_assert_wait (stopped_waiting_said, fixture);
  g_assert_false (exk_key_state_get_busy (state));
  g_assert_false (waiting_offered (fixture));
  /* Nothing claims that the key was disabled. */
  g_assert_null (find_toast (fixture, "Key mUf7KS… disabled"));
}

/* The demo user's login token becomes "o": the mock then signs in with it. */
static char *
write_seed_with_login_token (ExkMockServer *mock,
                             const char    *token)
{
  g_autoptr(JsonNode) seed = exk_test_http_get_json (exk_mock_server_get_url (mock),
                                                     "/_mock/seed", NULL);
  JsonObject *root = json_node_get_object (seed);
  JsonArray *tokens = json_object_get_array_member (root, "tokens");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  char *path = NULL;
  int fd;

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *item = json_array_get_object_element (tokens, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "type", ""),
                     "authentication") == 0)
        json_object_set_string_member (item, "id", token);
    }

  text = json_to_string (seed, FALSE);
  fd = g_file_open_tmp ("exkeys-seed-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);

  return path;
}

static gboolean
sign_in_error_shown (gpointer data)
{
  ExkSignInPage *page = data;

  return gtk_widget_get_visible (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                          "error_revealer"))
         && gtk_widget_get_visible (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                             "mode_button"));
}

static gboolean
stack_settled (gpointer stack)
{
  return !gtk_stack_get_transition_running (stack);
}

static void
test_sign_in_with_short_token (void)
{
  ExkMockOptions options = { 0 };
  g_autoptr(ExkMockServer) seed_source = NULL;
  g_autoptr(ExkMockServer) mock = NULL;
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  g_autoptr(GError) error = NULL;
  g_autofree char *seed_path = NULL;
  ExkWindow *window;
  ExkSignInPage *page;
  GtkWidget *label;

  seed_source = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  seed_path = write_seed_with_login_token (seed_source, "o");
  exk_mock_server_stop (seed_source);

  options.seed_file = seed_path;
  mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  window = g_object_ref (exk_window_new (NULL, manager));
  gtk_window_present (GTK_WINDOW (window));
  exk_window_restore_session (window);
  exk_test_assert_wait (exk_test_window_shows_sign_in, window);
  page = EXK_SIGN_IN_PAGE (exk_test_template_child (window, EXK_TYPE_WINDOW, "sign_in_page"));

  adw_combo_row_set_selected (ADW_COMBO_ROW (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                                      "server_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                                "url_row")),
                         exk_mock_server_get_url (mock));
  gtk_editable_set_text (GTK_EDITABLE (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                                "email_row")),
                         "org@localhost");
  gtk_editable_set_text (GTK_EDITABLE (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE,
                                                                "password_row")),
                         "tester");
  exk_test_click (exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE, "sign_in_button"));

  /* Said, not a spinner forever; and nothing was kept. */
  g_assert_true (exk_test_wait_until (sign_in_error_shown, page, 20000));
  label = exk_test_template_child (page, EXK_TYPE_SIGN_IN_PAGE, "error_label");
  g_test_message ("sign-in → %s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "token"));
  g_assert_null (exk_account_manager_get_client (manager));
  exk_test_assert_wait (stack_settled, exk_test_template_child (window, EXK_TYPE_WINDOW,
                                                                "main_stack"));
  exk_test_save_screenshot (GTK_WIDGET (window), "hostile-short-token");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  exk_mock_server_stop (mock);
  g_unlink (seed_path);
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/exkeys/hostile/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("redirected-delete", test_redirected_delete);
  ADD ("nested-answer", test_nested_answer);
  ADD ("endless-answer", test_endless_answer);
  ADD ("trickled-answer", test_trickled_answer);
  ADD ("stop-waiting", test_stop_waiting);
  g_test_add_func ("/exkeys/hostile/sign-in-with-short-token", test_sign_in_with_short_token);

#undef ADD

  return g_test_run ();
}

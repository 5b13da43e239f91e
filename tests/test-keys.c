// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>

#include "exk-mock-server.h"
#include "exk-new-key-dialog.h"
#include "exk-notes-dialog.h"
#include "exk-project-page.h"
#include "exk-project-page-private.h"
#include "exk-project-overview.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-reauth-dialog.h"
#include "exk-sign-in-page.h"
#include "exk-test-util.h"
#include "exk-token-row.h"
#include "exk-window.h"

/* The project sidebar and the API Keys page, against the mock server, through
 * the same actions a person's clicks and keys trigger. */

#define PISTOL_ID         "537650f3b77efe23a47914f4"
#define CLIENT_KEY        "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define DISABLED_KEY      "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"
#define SOURCE_MAP_KEY    "CId12P9uG8XqUay2nB8eUSrRqDdKOAO7uagQpFyD"
#define ROCKET_ID         "537650f3b77efe23a47914f7"

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

static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (fixture->sidebar)) > 0;
}

static GListModel *
page_keys (Fixture *fixture)
{
  return G_LIST_MODEL (exk_project_page_get_key_list (fixture->page));
}

/* The keys in the list view's model: it gets a long list a few keys per frame. */
static guint
keys_shown (Fixture *fixture)
{
  GtkListView *view = GTK_LIST_VIEW (exk_test_template_child (fixture->page,
                                                              EXK_TYPE_PROJECT_PAGE,
                                                              "keys_view"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view)));
}

static gboolean
keys_loaded (gpointer data)
{
  Fixture *fixture = data;
  ExkKeyList *key_list = exk_project_page_get_key_list (fixture->page);

  return key_list != NULL
         && exk_key_list_get_loaded (key_list)
         && !exk_key_list_get_loading (key_list)
         && g_list_model_get_n_items (G_LIST_MODEL (key_list)) > 0
         && keys_shown (fixture) == g_list_model_get_n_items (G_LIST_MODEL (key_list));
}

static gboolean
refresh_failed (gpointer data)
{
  Fixture *fixture = data;

  return exk_key_list_get_error (exk_project_page_get_key_list (fixture->page)) != NULL;
}

static void
fixture_setup_with (Fixture *fixture,
                    guint    projects,
                    guint    tokens)
{
  ExkMockOptions options = { .projects = projects, .tokens = tokens };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));

  /* The demo's way in: a token for this session only, no keyring. */
  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture_setup_with (fixture, 0, 0);
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
  g_settings_reset (settings, "rotations");
}

/* Opens the project @id and waits, @timeout_ms at most (scaled), until the
 * list view shows all its keys. */
static void
open_project_within (Fixture    *fixture,
                     const char *id,
                     guint       timeout_ms)
{
  exk_project_sidebar_select_project_id (fixture->sidebar, id);
  g_assert_nonnull (exk_project_sidebar_get_selected_project (fixture->sidebar));
  g_assert_true (exk_test_wait_until (keys_loaded, fixture, timeout_ms));
}

static void
open_project (Fixture    *fixture,
              const char *id)
{
  open_project_within (fixture, id, 10000);
}

static ExkToken *
find_key (Fixture    *fixture,
          const char *id)
{
  return exk_key_list_find (exk_project_page_get_key_list (fixture->page), id, NULL);
}

static gboolean
server_says_disabled (Fixture    *fixture,
                      const char *id)
{
  return exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock), id);
}

static void
key_action (Fixture    *fixture,
            const char *action,
            const char *id)
{
  g_autofree char *name = g_strconcat ("keys.", action, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), name, "s", id));
}

static void
set_disabled (Fixture    *fixture,
              const char *id,
              gboolean    disabled)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.set-disabled",
                                             "(sb)", id, disabled));
}

/* A toast about the shown key list whose title starts with @prefix, or NULL. */
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

static guint
count_toasts (Fixture *fixture)
{
  return exk_project_page_get_toasts (fixture->page)->len;
}

static guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path_prefix)
{
  return exk_test_count_requests (exk_mock_server_get_url (fixture->mock), method, path_prefix);
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->mock, spec, &error));
  g_assert_no_error (error);
}

static const char *
row_status (Fixture    *fixture,
            const char *id)
{
  GtkWidget *row = exk_project_page_get_row (fixture->page, id);
  GtkWidget *label = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "status_label");

  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* Sidebar */

static void
test_sidebar_lists_every_project (Fixture       *fixture,
                                  gconstpointer  data)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  g_autoptr(ExkProject) first = NULL;

  /* 2 Acme + 1 Free Plan + 8 Northwind, sorted by name. */
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 11);
  first = g_list_model_get_item (visible, 0);
  g_assert_cmpstr (exk_project_get_name (first), ==, "Admin Dashboard");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (window_child (fixture,
                                                                               "content_stack"))),
                   ==, "empty");
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar");
}

static void
test_sidebar_search (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  g_autoptr(ExkProject) only = NULL;

  exk_project_sidebar_set_search_text (fixture->sidebar, "PISTOL");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);
  only = g_list_model_get_item (visible, 0);
  g_assert_cmpstr (exk_project_get_id (only), ==, PISTOL_ID);

  /* The organization's name matches too. */
  exk_project_sidebar_set_search_text (fixture->sidebar, "northwind");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 8);

  exk_project_sidebar_set_search_text (fixture->sidebar, "no such project");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (
                     GTK_STACK (exk_test_template_child (fixture->sidebar,
                                                         EXK_TYPE_PROJECT_SIDEBAR, "stack"))),
                   ==, "no-results");

  exk_project_sidebar_set_search_text (fixture->sidebar, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 11);
}

static void
test_sidebar_organization_filter (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (exk_test_template_child (fixture->sidebar,
                                                                  EXK_TYPE_PROJECT_SIDEBAR,
                                                                  "organization_dropdown"));
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  GListModel *names = gtk_drop_down_get_model (dropdown);
  guint acme = GTK_INVALID_LIST_POSITION;

  /* "All Organizations" and three organizations. */
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 4);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Acme"))
      acme = i;
  g_assert_cmpuint (acme, !=, GTK_INVALID_LIST_POSITION);

  gtk_drop_down_set_selected (dropdown, acme);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 2);

  /* Search and organization combine. */
  exk_project_sidebar_set_search_text (fixture->sidebar, "rocket");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 1);

  gtk_drop_down_set_selected (dropdown, 0);
  exk_project_sidebar_set_search_text (fixture->sidebar, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 11);
}

static void
test_sidebar_refresh_keeps_selection (Fixture       *fixture,
                                      gconstpointer  data)
{
  open_project (fixture, PISTOL_ID);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  exk_test_assert_wait (projects_loaded, fixture);
  exk_test_assert_wait (keys_loaded, fixture);

  g_assert_cmpstr (exk_project_get_id (exk_project_sidebar_get_selected_project (fixture->sidebar)),
                   ==, PISTOL_ID);
  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
}

static gboolean
sidebar_shows_error (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->sidebar,
                                                        EXK_TYPE_PROJECT_SIDEBAR, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "error") == 0;
}

static void
test_sidebar_error_and_retry (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->sidebar,
                                                        EXK_TYPE_PROJECT_SIDEBAR, "stack"));

  g_assert_true (exk_mock_server_add_fault (fixture->mock, "GET /api/v2/projects=status:503*1",
                                            &error));
  g_assert_no_error (error);

  /* Switch to an empty list first, so that the error page is what shows. */
  exk_project_sidebar_set_client (fixture->sidebar, NULL);
  exk_project_sidebar_set_client (fixture->sidebar,
                                  exk_account_manager_get_client (fixture->manager));
  exk_test_assert_wait (sidebar_shows_error, fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "error");
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-error");

  gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh", NULL);
  exk_test_assert_wait (projects_loaded, fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
}

/* The API Keys page */

static void
test_keys_listed_masked (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *row, *label;

  open_project (fixture, PISTOL_ID);

  g_assert_cmpuint (g_list_model_get_n_items (page_keys (fixture)), ==, 7);

  row = exk_project_page_get_row (fixture->page, CLIENT_KEY);
  label = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "key_label");
  /* Masked: the beginning only. */
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (label)), CLIENT_KEY));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), "mUf7KS"));

  gtk_widget_activate_action (row, "row.reveal", NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, CLIENT_KEY);

  /* A disabled key is dimmed and says so. */
  g_assert_true (gtk_widget_has_css_class (exk_project_page_get_row (fixture->page, DISABLED_KEY),
                                           "exk-inactive"));
  g_assert_false (gtk_widget_has_css_class (row, "exk-inactive"));

  exk_test_wait_until_mapped (row);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys");

  /* Every icon-only button of the window says what it does to a screen reader,
   * on both tabs. */
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (fixture->window));
  adw_view_stack_set_visible_child_name (exk_project_page_get_view_stack (fixture->page),
                                         "overview");
  exk_test_wait_until_mapped (exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                       "overview_bin"));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (fixture->window));
}

static gboolean
key_is_disabled (gpointer data)
{
  Fixture *fixture = data;

  return exk_token_get_is_disabled (find_key (fixture, CLIENT_KEY));
}

static gboolean
key_is_enabled (gpointer data)
{
  return !key_is_disabled (data);
}

static void
test_disable_and_enable (Fixture       *fixture,
                         gconstpointer  data)
{
  open_project (fixture, PISTOL_ID);
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));

  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_true (gtk_widget_has_css_class (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                                           "exk-inactive"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (exk_test_template_child (
                     fixture->page, EXK_TYPE_PROJECT_PAGE, "keys_summary"))), ==,
                   "Acme · 7 keys, 2 disabled, 1 expired");

  set_disabled (fixture, CLIENT_KEY, FALSE);
  exk_test_assert_wait (key_is_enabled, fixture);
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
}

static gboolean
row_is_busy (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *spinner = exk_test_template_child (exk_project_page_get_row (fixture->page,
                                                                          CLIENT_KEY),
                                                EXK_TYPE_TOKEN_ROW, "spinner");

  return gtk_widget_get_visible (spinner);
}

static gboolean
row_is_idle (gpointer data)
{
  return !row_is_busy (data);
}

static gboolean
has_status (gpointer data)
{
  Fixture *fixture = data;

  return row_status (fixture, CLIENT_KEY) != NULL;
}

static void
test_check_key (Fixture       *fixture,
                gconstpointer  data)
{
  open_project (fixture, PISTOL_ID);

  key_action (fixture, "check", CLIENT_KEY);
  exk_test_assert_wait (has_status, fixture);
  g_assert_true (g_str_has_prefix (row_status (fixture, CLIENT_KEY), "Works"));

  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (key_is_disabled, fixture);

  key_action (fixture, "check", CLIENT_KEY);
  exk_test_assert_wait (has_status, fixture);
  g_assert_cmpstr (row_status (fixture, CLIENT_KEY), ==, "Rejected: the key is disabled");

  set_disabled (fixture, CLIENT_KEY, FALSE);
  exk_test_assert_wait (key_is_enabled, fixture);
  /* The old result no longer holds. */
  g_assert_null (row_status (fixture, CLIENT_KEY));
  key_action (fixture, "check", CLIENT_KEY);
  exk_test_assert_wait (has_status, fixture);
  g_assert_true (g_str_has_prefix (row_status (fixture, CLIENT_KEY), "Works"));
}

static gboolean
key_is_gone (gpointer data)
{
  return find_key (data, CLIENT_KEY) == NULL;
}

static void
test_delete_key (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwMessageDialog *dialog;
  guint status = 0;
  g_autoptr(JsonNode) node = NULL;

  open_project (fixture, PISTOL_ID);

  key_action (fixture, "delete", CLIENT_KEY);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  /* The confirmation names the key by its beginning and notes. */
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "mUf7KS…"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Production web servers"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  exk_test_save_screenshot (GTK_WIDGET (dialog), "delete-confirmation");

  adw_message_dialog_response (dialog, "delete");
  exk_test_assert_wait (key_is_gone, fixture);

  node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock),
                                 "/_mock/tokens/" CLIENT_KEY, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpuint (g_list_model_get_n_items (page_keys (fixture)), ==, 6);
}

static void
test_delete_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  AdwMessageDialog *dialog;

  open_project (fixture, PISTOL_ID);

  key_action (fixture, "delete", CLIENT_KEY);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "cancel");

  /* A request would have started at once: the key would be busy. */
  g_assert_false (exk_key_state_get_busy (exk_key_list_get_state (
                    exk_project_page_get_key_list (fixture->page), CLIENT_KEY)));
  g_assert_nonnull (find_key (fixture, CLIENT_KEY));
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/"), ==, 0);
}

static gboolean
keys_show_error (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                        "keys_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "error") == 0;
}

static void
test_keys_error_and_retry (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                        "keys_stack"));

  g_assert_true (exk_mock_server_add_fault (fixture->mock,
                                            "GET /api/v2/projects/" PISTOL_ID
                                            "/tokens=status:503*1", &error));
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_show_error, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys-error");

  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.refresh", NULL);
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
}

static gboolean
reauth_dialog_open (gpointer data)
{
  return exk_test_find_toplevel (EXK_TYPE_REAUTH_DIALOG) != NULL;
}

static gboolean
reauth_dialog_closed (gpointer data)
{
  return !reauth_dialog_open (data);
}

static gboolean
login_sent (gpointer data)
{
  return count_requests (data, "POST", "/api/v2/auth/login") > 0;
}

static gboolean
overview_offers_client_key (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *overview = adw_bin_get_child (ADW_BIN (exk_test_template_child (
                                             fixture->page, EXK_TYPE_PROJECT_PAGE,
                                             "overview_bin")));

  return gtk_widget_get_visible (exk_test_template_child (overview, EXK_TYPE_PROJECT_OVERVIEW,
                                                          "key_row"))
         && !gtk_widget_get_visible (exk_test_template_child (overview,
                                                              EXK_TYPE_PROJECT_OVERVIEW,
                                                              "no_key_row"));
}

static void
test_reauth_keeps_place (Fixture       *fixture,
                         gconstpointer  data)
{
  ExkReauthDialog *dialog;
  GtkWidget *sign_in, *password_row, *focus;
  GtkStack *keys_stack = GTK_STACK (exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                             "keys_stack"));

  open_project (fixture, PISTOL_ID);
  adw_view_stack_set_visible_child_name (exk_project_page_get_view_stack (fixture->page),
                                         "overview");
  exk_test_assert_wait (overview_offers_client_key, fixture);

  /* The login token ends (it expired, or someone signed out everywhere):
   * the next requests (projects, keys, overview) all get 401. */
  exk_client_set_token (exk_account_manager_get_client (fixture->manager),
                        "0000000000000000000000000000000000000000");

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  exk_test_assert_wait (reauth_dialog_open, NULL);
  exk_test_assert_wait (refresh_failed, fixture);

  /* One dialog; the page keeps its keys behind it and offers no Retry that cannot work. */
  dialog = exk_test_find_toplevel (EXK_TYPE_REAUTH_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (keys_stack), ==, "list");
  g_assert_cmpuint (count_toasts (fixture), ==, 0);
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "reauth-dialog");

  sign_in = exk_test_template_child (dialog, EXK_TYPE_REAUTH_DIALOG, "sign_in_page");
  password_row = exk_test_template_child (sign_in, EXK_TYPE_SIGN_IN_PAGE, "password_row");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (exk_test_template_child (sign_in,
                                                                                 EXK_TYPE_SIGN_IN_PAGE,
                                                                                 "email_row"))),
                   ==, "org@localhost");

  /* What is typed goes into Password, and Enter signs in, once. */
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == password_row || gtk_widget_is_ancestor (focus, password_row));
  gtk_editable_set_text (GTK_EDITABLE (password_row), "tester");
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
  g_signal_emit_by_name (password_row, "entry-activated");
  exk_test_assert_wait (login_sent, fixture);
  exk_test_assert_wait (reauth_dialog_closed, NULL);
  g_assert_cmpuint (count_requests (fixture, "POST", "/api/v2/auth/login"), ==, 1);

  /* Every view loads again: the keys, and the Overview's client key. */
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_null (exk_key_list_get_error (exk_project_page_get_key_list (fixture->page)));
  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
  exk_test_assert_wait (overview_offers_client_key, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "overview-after-reauth");
}

static void
test_keys_error_when_signed_out (Fixture       *fixture,
                                 gconstpointer  data)
{
  ExkReauthDialog *dialog;
  GtkWidget *button = exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                               "keys_error_button");

  /* Signed out before the keys came: the page says why it is empty, and its
   * button opens the same dialog again after it was closed. */
  exk_client_set_token (exk_account_manager_get_client (fixture->manager),
                        "0000000000000000000000000000000000000000");
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_show_error, fixture);
  exk_test_assert_wait (reauth_dialog_open, NULL);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.sign-in-again");
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys-signed-out");

  dialog = exk_test_find_toplevel (EXK_TYPE_REAUTH_DIALOG);
  gtk_window_close (GTK_WINDOW (dialog));
  exk_test_assert_wait (reauth_dialog_closed, NULL);
  exk_test_click (button);
  exk_test_assert_wait (reauth_dialog_open, NULL);
  gtk_window_close (GTK_WINDOW (exk_test_find_toplevel (EXK_TYPE_REAUTH_DIALOG)));
  exk_test_assert_wait (reauth_dialog_closed, NULL);
}

static void
test_last_project_selected_again (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GVariant) saved = NULL;
  g_autofree char *printed = NULL;

  open_project (fixture, PISTOL_ID);

  /* Written for other processes to read, not just held by this one. */
  saved = g_settings_get_value (settings, "last-projects");
  printed = g_variant_print (saved, FALSE);
  g_assert_nonnull (strstr (printed, PISTOL_ID));

  /* Close the window and open a new one on the same account. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));

  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_restore_session (fixture->window);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  exk_test_assert_wait (keys_loaded, fixture);

  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
}

/* The window-wide (managed) shortcuts of @page that switch its views. */
static guint
count_view_shortcuts (GtkWidget *page)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (page);
  guint found = 0;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller)
          || gtk_shortcut_controller_get_scope (GTK_SHORTCUT_CONTROLLER (controller))
             != GTK_SHORTCUT_SCOPE_MANAGED)
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (
                                       gtk_shortcut_get_trigger (shortcut));
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          const char *name = GTK_IS_NAMED_ACTION (action)
                             ? gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)) : "";

          found += (g_str_equal (trigger, "<Alt>1") && g_str_equal (name, "keys.show-keys"))
                   || (g_str_equal (trigger, "<Alt>2") && g_str_equal (name, "keys.show-overview"));
        }
    }

  return found;
}

static void
test_shortcuts (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *row;

  open_project (fixture, PISTOL_ID);

  /* Ctrl+F opens the search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (
                   GTK_SEARCH_BAR (exk_test_template_child (fixture->sidebar,
                                                            EXK_TYPE_PROJECT_SIDEBAR,
                                                            "search_bar"))));

  /* Space on a focused row reveals its key; Delete asks to delete it. */
  row = exk_project_page_get_row (fixture->page, CLIENT_KEY);
  gtk_widget_activate_action (row, "row.reveal", NULL);
  g_assert_true (exk_key_state_get_revealed (exk_key_list_get_state (
                   exk_project_page_get_key_list (fixture->page), CLIENT_KEY)));
  gtk_widget_activate_action (row, "row.delete-key-pressed", NULL);
  g_assert_nonnull (exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  adw_message_dialog_response (exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG), "cancel");
  g_assert_nonnull (find_key (fixture, CLIENT_KEY));
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/"), ==, 0);

  /* Alt+1 and Alt+2 switch views from anywhere in the window. */
  g_assert_cmpuint (count_view_shortcuts (GTK_WIDGET (fixture->page)), ==, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.show-overview",
                                             NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                     exk_project_page_get_view_stack (fixture->page)), ==, "overview");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.show-keys", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (
                     exk_project_page_get_view_stack (fixture->page)), ==, "keys");
}

static GtkWidget *
dialog_child (gpointer    dialog,
              const char *name)
{
  return exk_test_template_child (dialog, G_OBJECT_TYPE (dialog), name);
}

static gboolean
has_eight_keys (gpointer data)
{
  Fixture *fixture = data;

  return g_list_model_get_n_items (page_keys (fixture)) == 8;
}

static ExkToken *
newest_key (Fixture *fixture)
{
  GListModel *keys = page_keys (fixture);
  g_autoptr(ExkToken) token = g_list_model_get_item (keys, g_list_model_get_n_items (keys) - 1);

  return token;
}

static gboolean
new_key_dialog_closed (gpointer data)
{
  return exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG) == NULL;
}

static GtkWidget *
keys_view (Fixture *fixture)
{
  return exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE, "keys_view");
}

/* The key @id was made in the dialog just closed: its row is built (the list
 * scrolled to it), highlighted, and focused. */
static void
assert_new_key_shown (Fixture    *fixture,
                      const char *id)
{
  GtkWidget *row = exk_project_page_get_row (fixture->page, id);

  g_assert_nonnull (row);
  g_assert_cmpstr (exk_project_page_get_highlighted (fixture->page), ==, id);
  g_assert_true (gtk_widget_has_css_class (row, "exk-new-key"));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) == row);

  /* Only that row. */
  for (GtkWidget *item = gtk_widget_get_first_child (keys_view (fixture)); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *other = gtk_widget_get_first_child (item);

      if (other != NULL && other != row)
        g_assert_false (gtk_widget_has_css_class (other, "exk-new-key"));
    }
}

static void
test_create_key (Fixture       *fixture,
                 gconstpointer  data)
{
  ExkNewKeyDialog *dialog;
  ExkToken *created;

  open_project (fixture, PISTOL_ID);

  /* Ctrl+N: the dialog for this project. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-key", NULL));
  dialog = exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG);
  g_assert_nonnull (dialog);
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, "notes_row")), "Staging web server");
  exk_test_click (dialog_child (dialog, "create_button"));

  /* The list shows it as soon as the server made it, while the dialog shows the key. */
  exk_test_assert_wait (has_eight_keys, fixture);
  created = newest_key (fixture);
  g_assert_cmpstr (exk_token_get_notes (created), ==, "Staging web server");
  g_assert_true (exk_token_has_scope (created, "client"));
  g_assert_nonnull (exk_project_page_get_row (fixture->page, exk_token_get_id (created)));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "new-key-created");
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));

  exk_test_click (dialog_child (dialog, "done_button"));
  exk_test_assert_wait (new_key_dialog_closed, NULL);

  /* Back in the list, the new key is highlighted for a moment and has the focus. */
  assert_new_key_shown (fixture, exk_token_get_id (created));
}

/* The dialog's next step, the setup snippets, stays on screen. */
static void
test_create_key_then_snippets (Fixture       *fixture,
                               gconstpointer  data)
{
  AdwViewStack *view_stack = exk_project_page_get_view_stack (fixture->page);
  ExkNewKeyDialog *dialog;
  GtkWidget *overview, *key_row;
  ExkToken *chosen;

  open_project (fixture, PISTOL_ID);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-key", NULL));
  dialog = exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG);
  exk_test_click (dialog_child (dialog, "create_button"));
  exk_test_assert_wait (has_eight_keys, fixture);
  exk_test_wait_until_mapped (dialog_child (dialog, "snippets_button"));
  exk_test_click (dialog_child (dialog, "snippets_button"));
  exk_test_assert_wait (new_key_dialog_closed, NULL);

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, "overview");
  g_assert_cmpstr (exk_project_page_get_highlighted (fixture->page), ==,
                   exk_token_get_id (newest_key (fixture)));

  /* The snippets are the new key's. */
  overview = adw_bin_get_child (ADW_BIN (exk_test_template_child (fixture->page,
                                                                  EXK_TYPE_PROJECT_PAGE,
                                                                  "overview_bin")));
  key_row = exk_test_template_child (overview, EXK_TYPE_PROJECT_OVERVIEW, "key_row");
  chosen = adw_combo_row_get_selected_item (ADW_COMBO_ROW (key_row));
  g_assert_nonnull (chosen);
  g_assert_cmpstr (exk_token_get_id (chosen), ==, exk_token_get_id (newest_key (fixture)));
}

static gboolean
notes_changed (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (exk_token_get_notes (find_key (fixture, CLIENT_KEY)), "Web servers, EU") == 0;
}

static void
test_edit_notes (Fixture       *fixture,
                 gconstpointer  data)
{
  ExkNotesDialog *dialog;
  GtkWidget *notes_label;

  open_project (fixture, PISTOL_ID);

  key_action (fixture, "edit-notes", CLIENT_KEY);
  dialog = exk_test_find_toplevel (EXK_TYPE_NOTES_DIALOG);
  g_assert_nonnull (dialog);
  /* Pre-filled with the current notes. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "notes_row"))), ==,
                   "Production web servers");
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, "notes_row")), "Web servers, EU");
  exk_test_click (dialog_child (dialog, "save_button"));

  exk_test_assert_wait (notes_changed, fixture);
  notes_label = exk_test_template_child (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                                         EXK_TYPE_TOKEN_ROW, "notes_label");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (notes_label)), ==, "Web servers, EU");
}

static void
rotate (Fixture    *fixture,
        const char *decision)
{
  ExkNewKeyDialog *dialog;

  key_action (fixture, "rotate", CLIENT_KEY);
  dialog = exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG);
  g_assert_nonnull (dialog);
  exk_test_click (dialog_child (dialog, "create_button"));
  exk_test_assert_wait (has_eight_keys, fixture);
  exk_test_wait_until_mapped (dialog_child (dialog, decision));
  exk_test_click (dialog_child (dialog, decision));
  exk_test_assert_wait (new_key_dialog_closed, NULL);
}

static void
test_rotate_and_disable (Fixture       *fixture,
                         gconstpointer  data)
{
  ExkToken *replacement;

  open_project (fixture, PISTOL_ID);
  rotate (fixture, "disable_old_button");

  replacement = newest_key (fixture);
  g_assert_cmpstr (exk_token_get_notes (replacement), ==, "Production web servers");
  g_assert_true (g_strv_equal ((const char * const *) exk_token_get_scopes (replacement),
                               exk_token_get_scopes (find_key (fixture, CLIENT_KEY))));

  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_false (server_says_disabled (fixture, exk_token_get_id (replacement)));
}

static const char *
first_tag_containing (GtkWidget  *row,
                      const char *text)
{
  GtkWidget *key = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "key_label");

  /* The tags follow the key in the row's head line. */
  for (GtkWidget *tag = gtk_widget_get_next_sibling (key); tag != NULL;
       tag = gtk_widget_get_next_sibling (tag))
    if (strstr (gtk_label_get_text (GTK_LABEL (tag)), text) != NULL)
      return gtk_label_get_text (GTK_LABEL (tag));

  return NULL;
}

static void
assert_rotation_shown (Fixture    *fixture,
                       const char *new_id)
{
  g_autofree char *new_prefix = g_strdup_printf ("Replaced by %.6s…", new_id);

  g_assert_cmpstr (first_tag_containing (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                                         "Replaced by"), ==, new_prefix);
  g_assert_cmpstr (first_tag_containing (exk_project_page_get_row (fixture->page, new_id),
                                         "Replaces"), ==, "Replaces mUf7KS…");
}

static void
reopen_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));

  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_restore_session (fixture->window);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  exk_test_assert_wait (keys_loaded, fixture);
}

static void
test_rotate_later (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *new_id = NULL;

  open_project (fixture, PISTOL_ID);
  rotate (fixture, "done_button");
  new_id = g_strdup (exk_token_get_id (newest_key (fixture)));

  /* Both keys work, and both rows say which replaces which. */
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  assert_rotation_shown (fixture, new_id);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys-rotation-pending");

  /* Another project and back, then a new window (the settings stay): still shown. */
  open_project (fixture, ROCKET_ID);
  open_project (fixture, PISTOL_ID);
  assert_rotation_shown (fixture, new_id);
  reopen_window (fixture);
  g_assert_cmpstr (exk_project_get_id (exk_project_page_get_project (fixture->page)), ==,
                   PISTOL_ID);
  assert_rotation_shown (fixture, new_id);

  /* Disabling the old key later, from its row, ends the rotation. */
  gtk_widget_activate_action (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                              "row.disable", NULL);
  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_null (first_tag_containing (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                                       "Replaced by"));
  g_assert_null (first_tag_containing (exk_project_page_get_row (fixture->page, new_id),
                                       "Replaces"));
}

static gboolean
disabled_toast_shown (gpointer data)
{
  return find_toast (data, "Key mUf7KS… disabled") != NULL;
}

static gboolean
enabled_toast_shown (gpointer data)
{
  return find_toast (data, "Key mUf7KS… enabled") != NULL;
}

static gboolean
patch_received (gpointer data)
{
  return count_requests (data, "PATCH", "/api/v2/tokens/") > 0;
}

static void
test_disable_toast_after_answer (Fixture       *fixture,
                                 gconstpointer  data)
{
  open_project (fixture, PISTOL_ID);

  /* The server takes its time: the request is there, the answer is not. */
  add_fault (fixture, "PATCH /api/v2/tokens=slow:1000*1");
  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (patch_received, fixture);
  g_assert_true (row_is_busy (fixture));
  g_assert_false (disabled_toast_shown (fixture));
  g_assert_false (exk_token_get_is_disabled (find_key (fixture, CLIENT_KEY)));

  /* Once it answered 200: the row changes, and one toast says so, with Undo. */
  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_true (disabled_toast_shown (fixture));
  g_assert_true (row_is_idle (fixture));

  g_assert_cmpuint (count_toasts (fixture), ==, 1);

  /* Undo enables it again, on the server first, then says so. */
  g_assert_cmpstr (adw_toast_get_button_label (find_toast (fixture, "Key mUf7KS… disabled")), ==,
                   "Undo");
  g_signal_emit_by_name (find_toast (fixture, "Key mUf7KS… disabled"), "button-clicked");
  exk_test_assert_wait (key_is_enabled, fixture);
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  exk_test_assert_wait (enabled_toast_shown, fixture);
}

static gboolean
failure_toast_shown (gpointer data)
{
  return find_toast (data, "Couldn’t disable mUf7KS…") != NULL;
}

static void
test_disable_failure_keeps_state (Fixture       *fixture,
                                  gconstpointer  data)
{
  AdwToast *toast;

  open_project (fixture, PISTOL_ID);
  add_fault (fixture, "PATCH /api/v2/tokens=status:500*1");

  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (failure_toast_shown, fixture);

  /* One toast, naming the key, the action and why; never "disabled". */
  toast = find_toast (fixture, "Couldn’t disable mUf7KS…");
  g_assert_cmpstr (adw_toast_get_title (toast), ==,
                   "Couldn’t disable mUf7KS…: the server had a problem");
  g_assert_false (disabled_toast_shown (fixture));
  g_assert_cmpuint (count_toasts (fixture), ==, 1);

  /* The row still says what the server holds. */
  g_assert_true (row_is_idle (fixture));
  g_assert_false (exk_token_get_is_disabled (find_key (fixture, CLIENT_KEY)));
  g_assert_false (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_false (gtk_widget_has_css_class (exk_project_page_get_row (fixture->page, CLIENT_KEY),
                                            "exk-inactive"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys-disable-failed");

  /* Retry sends the same change again; this time the server takes it. */
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Retry");
  g_signal_emit_by_name (toast, "button-clicked");
  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  exk_test_assert_wait (disabled_toast_shown, fixture);
}

static void
test_toasts_dismissed_on_project_change (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(AdwToast) undo = NULL;

  open_project (fixture, PISTOL_ID);
  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (disabled_toast_shown, fixture);
  undo = g_object_ref (find_toast (fixture, "Key mUf7KS… disabled"));

  /* The Undo of a key of another project does not stay around, and a click
   * that comes anyway sends nothing. */
  open_project (fixture, ROCKET_ID);
  g_assert_cmpuint (count_toasts (fixture), ==, 0);
  g_signal_emit_by_name (undo, "button-clicked");
  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/"), ==, 1);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
}

static gboolean
row_is_busy_for (Fixture    *fixture,
                 const char *id)
{
  return exk_key_state_get_busy (exk_key_list_get_state (
                                   exk_project_page_get_key_list (fixture->page), id));
}

static void
test_refresh_keeps_changes (Fixture       *fixture,
                            gconstpointer  data)
{
  open_project (fixture, PISTOL_ID);

  add_fault (fixture, "PATCH /api/v2/tokens=slow:600*1");
  set_disabled (fixture, CLIENT_KEY, TRUE);
  exk_test_assert_wait (patch_received, fixture);

  /* Ctrl+R while the server works on it: the change still completes and is told. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL);
  g_assert_true (row_is_busy_for (fixture, CLIENT_KEY));
  exk_test_assert_wait (disabled_toast_shown, fixture);
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  exk_test_assert_wait (key_is_disabled, fixture);
}

static void
test_load_error_is_said_once (Fixture       *fixture,
                              gconstpointer  data)
{
  add_fault (fixture, "GET /api/v2/projects/" PISTOL_ID "/tokens=status:500*1");
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_show_error, fixture);

  /* The page says it in place, with Retry; no toast repeats it. */
  g_assert_cmpuint (count_toasts (fixture), ==, 0);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (
                     exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                              "keys_error_button"))), ==, "keys.refresh");

  /* A refresh that fails over a list already shown keeps the list, and says so above it. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.refresh", NULL);
  exk_test_assert_wait (keys_loaded, fixture);
  add_fault (fixture, "GET /api/v2/projects/" PISTOL_ID "/tokens=status:500*1");
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.refresh", NULL);
  exk_test_assert_wait (refresh_failed, fixture);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (
                   exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                            "refresh_failed_revealer"))));
  g_assert_cmpuint (g_list_model_get_n_items (page_keys (fixture)), ==, 7);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "keys-refresh-failed");
}

static void
test_delete_offers_disable_instead (Fixture       *fixture,
                                    gconstpointer  data)
{
  AdwMessageDialog *dialog;

  open_project (fixture, PISTOL_ID);

  key_action (fixture, "delete", CLIENT_KEY);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "disable"));
  adw_message_dialog_response (dialog, "disable");

  exk_test_assert_wait (key_is_disabled, fixture);
  g_assert_nonnull (find_key (fixture, CLIENT_KEY));
  g_assert_true (server_says_disabled (fixture, CLIENT_KEY));
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/"), ==, 0);
}

static gboolean
any_toast_shown (gpointer data)
{
  return count_toasts (data) > 0;
}

static void
test_other_users_key_not_deletable (Fixture       *fixture,
                                    gconstpointer  data)
{
  ExkKeyList *key_list;
  ExkToken *legacy = NULL;
  GtkWidget *row;

  open_project (fixture, ROCKET_ID);
  key_list = exk_project_page_get_key_list (fixture->page);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (key_list)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (key_list), i);

      if (exk_token_get_user_id (token) != NULL)
        legacy = token;
    }
  g_assert_nonnull (legacy);

  /* The signed-in user's id is known (users/me at sign-in), so the row knows. */
  g_assert_false (exk_key_list_can_delete (key_list, legacy));
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (legacy));
  g_assert_true (gtk_widget_activate_action (row, "row.delete-refused", NULL));
  g_assert_null (exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/"), ==, 0);

  /* The menu item says it; choosing it, or the Delete key, explains and asks nothing. */
  exk_test_assert_wait (any_toast_shown, fixture);
  g_assert_nonnull (find_toast (fixture, "Only the person this key belongs to"));
  gtk_widget_activate_action (row, "row.delete-key-pressed", NULL);   /* the Delete key */
  g_assert_null (exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (count_toasts (fixture), ==, 2);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (key_list)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (key_list), i);

      row = exk_project_page_get_row (fixture->page, exk_token_get_id (token));
      g_assert_cmpint (gtk_widget_is_sensitive (row), ==, TRUE);
      if (token != legacy)
        g_assert_true (exk_key_list_can_delete (key_list, token));
    }
}

/* The summary under the project's name */

#define FREE_PLAN_ID "537650f3b77efe23a47914f6"

typedef struct
{
  Fixture    *fixture;
  const char *text;
} Expected;

static const char *
summary_text (Fixture *fixture)
{
  return gtk_label_get_text (GTK_LABEL (exk_test_template_child (fixture->page,
                                                                 EXK_TYPE_PROJECT_PAGE,
                                                                 "keys_summary")));
}

static gboolean
summary_is (gpointer data)
{
  Expected *expected = data;

  return g_strcmp0 (summary_text (expected->fixture), expected->text) == 0;
}

/* Waits for the summary to read @text (the list counts its keys once per
 * change, before the next frame); fails saying what it read. */
static void
assert_summary (Fixture    *fixture,
                const char *text)
{
  Expected expected = { fixture, text };

  if (!exk_test_wait_until (summary_is, &expected, 10000))
    g_assert_cmpstr (summary_text (fixture), ==, text);
}

static ExkToken *
first_key_where (Fixture  *fixture,
                 gboolean (*match) (ExkToken *token))
{
  GListModel *keys = page_keys (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (keys, i);

      if (match (token))
        return token;
    }

  return NULL;
}

static gboolean
is_enabled (ExkToken *token)
{
  return !exk_token_get_is_disabled (token);
}

static gboolean
is_user_key (ExkToken *token)
{
  return exk_token_has_scope (token, "user");
}

static gboolean
is_source_map_key (ExkToken *token)
{
  return exk_token_has_scope (token, "source-maps:write");
}

static gboolean
has_expired (ExkToken *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return exk_token_is_expired (token, now);
}

static gboolean
free_plan_has_one_key (gpointer data)
{
  return g_list_model_get_n_items (page_keys (data)) == 1;
}

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  AdwMessageDialog *dialog;
  ExkToken *token;

  /* Expired keys count too, each number with its own plural form. */
  open_project (fixture, PISTOL_ID);
  assert_summary (fixture, "Acme · 7 keys, 1 disabled, 1 expired");
  set_disabled (fixture, DISABLED_KEY, FALSE);
  assert_summary (fixture, "Acme · 7 keys, 1 expired");

  open_project (fixture, ROCKET_ID);
  assert_summary (fixture, "Acme · 4 keys");
  token = first_key_where (fixture, is_enabled);
  set_disabled (fixture, exk_token_get_id (token), TRUE);
  assert_summary (fixture, "Acme · 4 keys, 1 disabled");

  open_project (fixture, FREE_PLAN_ID);
  assert_summary (fixture, "Free Plan Organization · 2 keys");
  key_action (fixture, "delete", exk_token_get_id (first_key_where (fixture, is_enabled)));
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "delete");
  exk_test_assert_wait (free_plan_has_one_key, fixture);
  assert_summary (fixture, "Free Plan Organization · 1 key");
}

/* Rows */

/* The tag of @row that reads @text, or NULL. */
static GtkWidget *
find_tag (GtkWidget  *row,
          const char *text)
{
  GtkWidget *key = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "key_label");

  for (GtkWidget *tag = gtk_widget_get_next_sibling (key); tag != NULL;
       tag = gtk_widget_get_next_sibling (tag))
    if (g_str_equal (gtk_label_get_text (GTK_LABEL (tag)), text))
      return tag;

  return NULL;
}

/* A scope tag: readable, the scope itself in its tooltip (given when asked)
 * and description. */
static GtkWidget *
assert_scope_tag (GtkWidget  *row,
                  const char *text,
                  const char *scope)
{
  GtkWidget *tag = find_tag (row, text);
  g_autofree char *description = g_strdup_printf ("Scope “%s”", scope);
  g_autoptr(GtkTooltip) tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  gboolean given = FALSE;

  g_assert_nonnull (tag);
  g_assert_null (find_tag (row, scope));
  g_assert_true (gtk_widget_get_has_tooltip (tag));
  g_signal_emit_by_name (tag, "query-tooltip", 1, 1, FALSE, tooltip, &given);
  g_assert_true (given);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (tag), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                       description);
  return tag;
}

static int
height_for_width (GtkWidget *widget,
                  int        width)
{
  int height;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, NULL, &height, NULL, NULL);
  return height;
}

static void
test_row_tags_and_lines (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *row, *tag, *key_label, *head_box, *dates_label;
  ExkToken *token;
  const char *dates;
  guint spaces = 0;

  /* A user key acts as its user: its tag has the warning style. */
  open_project (fixture, ROCKET_ID);
  token = first_key_where (fixture, is_user_key);
  g_assert_nonnull (token);
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (token));
  tag = assert_scope_tag (row, "User", "user");
  g_assert_true (gtk_widget_has_css_class (tag, "exk-tag-warning"));
  tag = assert_scope_tag (row, "Client", "client");
  g_assert_false (gtk_widget_has_css_class (tag, "exk-tag-warning"));

  open_project (fixture, PISTOL_ID);
  token = first_key_where (fixture, is_source_map_key);
  assert_scope_tag (exk_project_page_get_row (fixture->page, exk_token_get_id (token)),
                    "Source maps", "source-maps:write");

  /* The states stay as they were. */
  row = exk_project_page_get_row (fixture->page, DISABLED_KEY);
  g_assert_true (gtk_widget_has_css_class (find_tag (row, "Disabled"), "exk-tag-warning"));
  token = first_key_where (fixture, has_expired);
  g_assert_nonnull (token);
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (token));
  g_assert_true (gtk_widget_has_css_class (find_tag (row, "Expired"), "exk-tag-error"));

  /* The beginning of the key is never cut; the tags go under it when the
   * line is too narrow for both. */
  key_label = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "key_label");
  head_box = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "head_box");
  g_assert_cmpint (gtk_label_get_ellipsize (GTK_LABEL (key_label)), ==, PANGO_ELLIPSIZE_NONE);
  g_assert_cmpint (height_for_width (head_box, 150), >, height_for_width (head_box, 600));
  g_assert_cmpint (height_for_width (head_box, 600), ==, height_for_width (key_label, 600));

  /* The dates wrap between “Created …” and “Expired …” only: the other spaces
   * do not break. */
  dates_label = exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "dates_label");
  dates = gtk_label_get_text (GTK_LABEL (dates_label));
  g_assert_true (g_str_has_prefix (dates, "Created"));
  g_assert_nonnull (strstr (dates, " · Expired"));
  for (const char *c = dates; *c != '\0'; c++)
    spaces += *c == ' ';
  g_assert_cmpuint (spaces, ==, 2);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (dates_label),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
}

static void
collect_menu (GMenuModel *menu,
              GPtrArray  *labels,
              GPtrArray  *actions)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      char *label = NULL, *action = NULL;

      if (section != NULL)
        {
          collect_menu (section, labels, actions);
          continue;
        }

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        g_ptr_array_add (labels, label);
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        g_ptr_array_add (actions, action);
    }
}

static gboolean
str_in (GPtrArray  *array,
        const char *text)
{
  return g_ptr_array_find_with_equal_func (array, text, g_str_equal, NULL);
}

static void
test_row_menu (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *row;

  open_project (fixture, PISTOL_ID);
  row = exk_project_page_get_row (fixture->page, CLIENT_KEY);
  collect_menu (G_MENU_MODEL (gtk_widget_get_template_child (row, EXK_TYPE_TOKEN_ROW,
                                                             "row_menu")),
                labels, actions);

  /* Labels that say what the items do. */
  g_assert_true (str_in (labels, "_Test Key"));
  g_assert_true (str_in (labels, "_Replace Key…"));
  g_assert_false (str_in (labels, "C_heck Key"));
  g_assert_false (str_in (labels, "_Rotate…"));
  g_assert_true (str_in (actions, "row.check"));
  g_assert_true (str_in (actions, "row.rotate"));

  /* The copy button is the one way to copy a key. */
  g_assert_false (str_in (actions, "row.copy"));
  g_assert_true (g_str_equal (gtk_actionable_get_action_name (GTK_ACTIONABLE (
                   exk_test_template_child (row, EXK_TYPE_TOKEN_ROW, "copy_button"))),
                 "row.copy"));
}

/* GTK 4.8 reads a button labelled with a mnemonic twice, once with the
 * underscore, when it also has an accessible label of its own: every such
 * button under @widget, shown or not, has none and is labelled by its label. */
static void
assert_mnemonics_not_announced (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget))
      && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (widget));
      g_autofree char *mismatch = NULL;

      g_assert_true (GTK_IS_LABEL (label));
      g_assert_null (strchr (gtk_label_get_text (GTK_LABEL (label)), '_'));
      if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL))
        g_error ("The button “%s” (in %s) has an accessible label of its own",
                 gtk_button_get_label (GTK_BUTTON (widget)),
                 G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));
      mismatch = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                     GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                                     label, NULL);
      g_assert_null (mismatch);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_mnemonics_not_announced (child);
}

static void
test_mnemonics_not_announced (Fixture       *fixture,
                              gconstpointer  data)
{
  GtkWidget *error_button = exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                     "keys_error_button");
  /* The API Keys tab (the Overview is another page's business). */
  GtkWidget *keys_tab = exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE,
                                                 "keys_stack");

  /* The error page's button gets its label when the error is known. */
  add_fault (fixture, "GET /api/v2/projects/" PISTOL_ID "/tokens=status:500*1");
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  exk_test_assert_wait (keys_show_error, fixture);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (error_button)), ==, "_Retry");
  assert_mnemonics_not_announced (keys_tab);

  /* The rows' Stop Waiting, the refresh banner's Retry, the empty page's New API Key. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "keys.refresh", NULL);
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_nonnull (exk_project_page_get_row (fixture->page, CLIENT_KEY));
  assert_mnemonics_not_announced (keys_tab);
}

static gboolean
focus_is (Fixture   *fixture,
          GtkWidget *widget)
{
  return gtk_root_get_focus (GTK_ROOT (fixture->window)) == widget;
}

static GtkWidget *
row_at (Fixture *fixture,
        guint    position)
{
  g_autoptr(ExkToken) token = g_list_model_get_item (page_keys (fixture), position);

  return exk_project_page_get_row (fixture->page, exk_token_get_id (token));
}

static void
test_keyboard_navigation (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *window;

  open_project (fixture, PISTOL_ID);
  window = GTK_WIDGET (fixture->window);

  /* Up and Down go from row to row, Tab into a row's buttons. */
  g_assert_true (gtk_widget_grab_focus (row_at (fixture, 0)));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_DOWN));
  g_assert_true (focus_is (fixture, row_at (fixture, 1)));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_is (fixture, exk_test_template_child (row_at (fixture, 1),
                                                             EXK_TYPE_TOKEN_ROW,
                                                             "reveal_button")));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_DOWN));
  g_assert_true (focus_is (fixture, row_at (fixture, 2)));
  g_assert_true (gtk_widget_child_focus (window, GTK_DIR_UP));
  g_assert_true (focus_is (fixture, row_at (fixture, 1)));

  /* The focused row is the one whose key the row's shortcuts act on. */
  gtk_widget_activate_action (gtk_root_get_focus (GTK_ROOT (window)), "row.reveal", NULL);
  g_assert_true (exk_key_state_get_revealed (exk_key_list_get_state (
                   exk_project_page_get_key_list (fixture->page), CLIENT_KEY)));
}

/* A project with 1,000 keys */

static void
fixture_setup_many_keys (Fixture       *fixture,
                         gconstpointer  data)
{
  fixture_setup_with (fixture, 0, 1000);
}

static void
scroll_to (Fixture *fixture,
           guint    position)
{
  g_assert_true (gtk_widget_activate_action (keys_view (fixture), "list.scroll-to-item", "u",
                                             position));
}

typedef struct
{
  Fixture *fixture;
  char    *id;
} KeyRef;

static gboolean
row_shows_disabled (gpointer data)
{
  KeyRef *ref = data;
  GtkWidget *row = exk_project_page_get_row (ref->fixture->page, ref->id);

  return row != NULL && gtk_widget_has_css_class (row, "exk-inactive")
         && find_tag (row, "Disabled") != NULL;
}

static void
test_many_keys (Fixture       *fixture,
                gconstpointer  data)
{
  GListModel *keys;
  g_autoptr(ExkToken) first = NULL;
  g_autoptr(ExkToken) last = NULL;
  KeyRef ref = { fixture, NULL };
  g_autofree char *last_prefix = NULL;
  GtkWidget *row;
  guint n;

  /* 1,000 keys: the list view gets them a few per frame, slow under the sanitizers. */
  open_project_within (fixture, PISTOL_ID, 60000);
  keys = page_keys (fixture);
  n = g_list_model_get_n_items (keys);
  g_assert_cmpuint (n, ==, 1007);
  first = g_list_model_get_item (keys, 0);
  last = g_list_model_get_item (keys, n - 1);
  last_prefix = g_strndup (exk_token_get_id (last), 6);

  /* Rows only around the visible keys, not one per key. */
  g_test_message ("%u rows for %u keys", exk_project_page_get_n_rows (fixture->page), n);
  g_assert_cmpuint (exk_project_page_get_n_rows (fixture->page), >, 0);
  g_assert_cmpuint (exk_project_page_get_n_rows (fixture->page), <, 300);
  g_assert_nonnull (exk_project_page_get_row (fixture->page, exk_token_get_id (first)));
  g_assert_null (exk_project_page_get_row (fixture->page, exk_token_get_id (last)));
  assert_summary (fixture, "Acme · 1007 keys, 1 disabled, 1 expired");

  /* The last key: its row is built as the list gets there, from rows that
   * showed other keys. */
  scroll_to (fixture, n - 1);
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (last));
  g_assert_nonnull (row);
  g_assert_true (exk_token_row_get_token (EXK_TOKEN_ROW (row)) == last);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (exk_test_template_child (
                                     row, EXK_TYPE_TOKEN_ROW, "key_label"))),
                                   last_prefix));
  /* (The list view keeps the row of the item it would focus: the first.) */
  g_assert_null (row_at (fixture, 100));
  g_assert_cmpuint (exk_project_page_get_n_rows (fixture->page), <, 300);
  exk_test_wait_until_mapped (row);

  /* Back to the first, and a change to it shows on the row it got. */
  scroll_to (fixture, 0);
  row = exk_project_page_get_row (fixture->page, exk_token_get_id (first));
  g_assert_nonnull (row);
  g_assert_true (exk_token_row_get_token (EXK_TOKEN_ROW (row)) == first);
  g_assert_false (gtk_widget_has_css_class (row, "exk-inactive"));
  ref.id = g_strdup (exk_token_get_id (first));
  set_disabled (fixture, ref.id, TRUE);
  exk_test_assert_wait (row_shows_disabled, &ref);
  assert_summary (fixture, "Acme · 1007 keys, 2 disabled, 1 expired");
  g_free (ref.id);
}

/* A key made with the New API Key dialog goes at the end, far from the rows
 * built: the list scrolls to it. */
static void
test_many_keys_new_key (Fixture       *fixture,
                        gconstpointer  data)
{
  ExkNewKeyDialog *dialog;
  g_autofree char *id = NULL;

  /* 1,000 keys: the list view gets them a few per frame, slow under the sanitizers. */
  open_project_within (fixture, PISTOL_ID, 60000);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-key", NULL));
  dialog = exk_test_find_toplevel (EXK_TYPE_NEW_KEY_DIALOG);
  g_assert_nonnull (dialog);
  exk_test_click (dialog_child (dialog, "create_button"));
  exk_test_wait_until_mapped (dialog_child (dialog, "done_button"));
  id = g_strdup (exk_token_get_id (exk_new_key_dialog_get_new_key (dialog)));
  g_assert_null (exk_project_page_get_row (fixture->page, id));

  exk_test_click (dialog_child (dialog, "done_button"));
  exk_test_assert_wait (new_key_dialog_closed, NULL);
  assert_new_key_shown (fixture, id);
}

/* 10,000 projects: all loaded, searched in one pass of the filter. */
static void
fixture_setup_large (Fixture       *fixture,
                     gconstpointer  data)
{
  fixture_setup_with (fixture, 10000, 0);
}

static void
test_search_10000_projects (Fixture       *fixture,
                            gconstpointer  data)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  gint64 start;

  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 10011);

  start = g_get_monotonic_time ();
  /* "Project 09990" … "Project 09999". */
  exk_project_sidebar_set_search_text (fixture->sidebar, "project 0999");
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 10);
  g_test_message ("filtering 10,011 projects took %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);

  /* The cleared search shows its first rows at once and the rest a few per main-loop turn;
   * the test accessor adds the rest. */
  exk_project_sidebar_set_search_text (fixture->sidebar, "");
  visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, 10011);
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/exkeys/keys/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sidebar-lists-every-project", test_sidebar_lists_every_project);
  ADD ("sidebar-search", test_sidebar_search);
  ADD ("sidebar-organization-filter", test_sidebar_organization_filter);
  ADD ("sidebar-refresh-keeps-selection", test_sidebar_refresh_keeps_selection);
  ADD ("sidebar-error-and-retry", test_sidebar_error_and_retry);
  ADD ("listed-masked", test_keys_listed_masked);
  ADD ("disable-and-enable", test_disable_and_enable);
  ADD ("disable-failure-keeps-state", test_disable_failure_keeps_state);
  ADD ("check", test_check_key);
  ADD ("delete", test_delete_key);
  ADD ("delete-cancelled", test_delete_cancelled);
  ADD ("error-and-retry", test_keys_error_and_retry);
  ADD ("reauth-keeps-place", test_reauth_keeps_place);
  ADD ("keys-error-when-signed-out", test_keys_error_when_signed_out);
  ADD ("last-project-selected-again", test_last_project_selected_again);
  ADD ("shortcuts", test_shortcuts);
  ADD ("create", test_create_key);
  ADD ("create-then-snippets", test_create_key_then_snippets);
  ADD ("edit-notes", test_edit_notes);
  ADD ("rotate-and-disable", test_rotate_and_disable);
  ADD ("rotate-later", test_rotate_later);
  ADD ("disable-toast-after-answer", test_disable_toast_after_answer);
  ADD ("toasts-dismissed-on-project-change", test_toasts_dismissed_on_project_change);
  ADD ("refresh-keeps-changes", test_refresh_keeps_changes);
  ADD ("load-error-is-said-once", test_load_error_is_said_once);
  ADD ("delete-offers-disable-instead", test_delete_offers_disable_instead);
  ADD ("other-users-key-not-deletable", test_other_users_key_not_deletable);
  ADD ("summary", test_summary);
  ADD ("row-tags-and-lines", test_row_tags_and_lines);
  ADD ("row-menu", test_row_menu);
  ADD ("mnemonics-not-announced", test_mnemonics_not_announced);
  ADD ("keyboard-navigation", test_keyboard_navigation);
  g_test_add ("/exkeys/keys/many-keys", Fixture, NULL, fixture_setup_many_keys,
              test_many_keys, fixture_teardown);
  g_test_add ("/exkeys/keys/many-keys-new-key", Fixture, NULL, fixture_setup_many_keys,
              test_many_keys_new_key, fixture_teardown);
  g_test_add ("/exkeys/keys/search-10000-projects", Fixture, NULL, fixture_setup_large,
              test_search_10000_projects, fixture_teardown);

#undef ADD

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "exk-mock-server.h"
#include "exk-new-project-dialog.h"
#include "exk-project-page.h"
#include "exk-project-settings.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* New Project, and a project's settings (rename, delete), in the window,
 * against the mock server. */

#define ACME_ID      "537650f3b77efe23a47914f3"
#define FREE_ORG_ID  "537650f3b77efe23a47914f5"
#define ROCKET_ID    "537650f3b77efe23a47914f7"

typedef struct
{
  ExkMockServer       *mock;
  ExkAccountManager   *manager;
  ExkWindow           *window;
  ExkProjectSidebar   *sidebar;
  ExkNewProjectDialog *dialog;
} Fixture;

static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading, refreshing;

  g_object_get (fixture->sidebar, "loading", &loading, "refreshing", &refreshing, NULL);
  return !loading && !refreshing
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (
                                        fixture->sidebar)) > 0;
}

/* An account with one organization and no project yet. */
static const char empty_seed[] =
  "{\"demo_user\": \"new@localhost\","
  " \"organizations\": [{\"id\": \"64b7e2a9c1d04f5e8a9b0c99\", \"name\": \"Contoso Ltd\"}],"
  " \"users\": [{\"id\": \"64b7e2a9c1d04f5e8a9b0c98\", \"email_address\": \"new@localhost\","
  " \"password\": \"tester\", \"organization_ids\": [\"64b7e2a9c1d04f5e8a9b0c99\"],"
  " \"roles\": [\"client\", \"user\"]}]}";

static gboolean
sidebar_settled (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading, refreshing;

  g_object_get (fixture->sidebar, "loading", &loading, "refreshing", &refreshing, NULL);
  return !loading && !refreshing;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *seed_path = NULL;
  gboolean empty = g_strcmp0 (data, "empty") == 0;

  if (empty)
    {
      int fd = g_file_open_tmp ("exkeys-empty-seed-XXXXXX.json", &seed_path, &error);

      g_assert_no_error (error);
      g_close (fd, NULL);
      g_assert_true (g_file_set_contents (seed_path, empty_seed, -1, &error));
      g_assert_no_error (error);
      options.seed_file = seed_path;
    }

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  /* Read at start: nothing to leave behind. */
  if (seed_path != NULL)
    g_unlink (seed_path);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (exk_test_template_child (fixture->window,
                                                                   EXK_TYPE_WINDOW,
                                                                   "project_sidebar"));
  /* Test data "narrow": the narrowest window, 360 pixels. */
  if (g_strcmp0 (data, "narrow") == 0)
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 720);
  else
    gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  if (empty)
    exk_test_assert_wait (sidebar_settled, fixture);
  else
    g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  if (fixture->dialog != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->dialog));
      exk_test_finalize_soon (g_steal_pointer (&fixture->dialog));
    }
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_settings_reset (settings, "last-projects");
}

static GtkWidget *
dialog_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->dialog, EXK_TYPE_NEW_PROJECT_DIALOG, name);
}

static gboolean
organizations_listed (gpointer data)
{
  Fixture *fixture = data;
  AdwComboRow *row = ADW_COMBO_ROW (dialog_child (fixture, "organization_row"));

  return g_list_model_get_n_items (adw_combo_row_get_model (row)) > 0;
}

/* Opens New Project as Ctrl+Shift+N does, and waits for its organizations. */
static void
open_dialog (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-project",
                                             NULL));
  fixture->dialog = g_object_ref (exk_test_find_toplevel (EXK_TYPE_NEW_PROJECT_DIALOG));
  g_assert_nonnull (fixture->dialog);
  exk_test_assert_wait (organizations_listed, fixture);
}

static void
choose_organization (Fixture    *fixture,
                     const char *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (dialog_child (fixture, "organization_row"));
  GListModel *names = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }

  g_error ("No organization “%s”", name);
}

static gboolean
name_checked (gpointer data)
{
  Fixture *fixture = data;
  gboolean checking;

  g_object_get (fixture->dialog, "checking", &checking, NULL);
  return !checking;
}

/* Types @name and waits for the server's answer about it. */
static void
type_name (Fixture    *fixture,
           const char *name)
{
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (fixture, "name_row")), name);
  exk_test_assert_wait (name_checked, fixture);
}

static gboolean
transitions_done (gpointer data)
{
  Fixture *fixture = data;
  GtkStack *main_stack = GTK_STACK (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                             "main_stack"));
  GtkStack *content_stack = GTK_STACK (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                                "content_stack"));

  AdwLeaflet *leaflet = ADW_LEAFLET (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                              "leaflet"));

  return !gtk_stack_get_transition_running (main_stack)
         && !gtk_stack_get_transition_running (content_stack)
         && !adw_leaflet_get_child_transition_running (leaflet);
}

/* The window as a person sees it once it has settled. */
static void
save_window (Fixture    *fixture,
             const char *name)
{
  exk_test_assert_wait (transitions_done, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), name);
}

static gboolean
child_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (data));
}

static gboolean
is_create_enabled (Fixture *fixture)
{
  return gtk_widget_is_sensitive (dialog_child (fixture, "create_button"));
}

static gboolean
not_busy (gpointer data)
{
  Fixture *fixture = data;
  gboolean busy;

  g_object_get (((Fixture *) data)->dialog, "busy", &busy, NULL);
  return !busy && fixture->dialog != NULL;
}

static gboolean
has_key (gpointer data)
{
  Fixture *fixture = data;

  return exk_new_project_dialog_get_key (fixture->dialog) != NULL;
}

static const char *
visible_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (fixture, "stack")));
}

static gboolean
project_selected (gpointer data)
{
  Fixture *fixture = data;
  ExkProject *selected = exk_project_sidebar_get_selected_project (fixture->sidebar);
  ExkProject *created = exk_new_project_dialog_get_project (fixture->dialog);

  return selected != NULL && created != NULL
         && g_strcmp0 (exk_project_get_id (selected), exk_project_get_id (created)) == 0;
}

static JsonObject *
mock_token (Fixture    *fixture,
            const char *id,
            guint      *status)
{
  g_autofree char *path = g_strconcat ("/_mock/tokens/", id, NULL);
  g_autoptr(JsonNode) node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock),
                                                     path, status);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_ref (json_node_get_object (node)) : NULL;
}

static guint
mock_project_status (Fixture    *fixture,
                     const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v2/projects/", id, "?access_token=",
                                       exk_mock_server_get_demo_token (fixture->mock), NULL);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock), path, &status);
  return status;
}

static char *
dup_clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);

  return g_value_dup_string (&value);
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(JsonObject) token = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *snippet_copied = NULL;
  const char *key_id;
  const char *shown;
  guint status = 0;

  open_dialog (fixture);
  g_assert_false (is_create_enabled (fixture));
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "new-project-form");

  /* The sidebar shows every organization: the first is chosen. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dialog_child (fixture,
                                                                             "organization_row"))),
                    ==, 0);
  type_name (fixture, "Jet Pack");
  g_assert_true (is_create_enabled (fixture));
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_child (fixture, "platform_row")), 1);

  exk_test_click (dialog_child (fixture, "create_button"));
  exk_test_assert_wait (has_key, fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "created");
  g_assert_cmpstr (exk_project_get_name (exk_new_project_dialog_get_project (fixture->dialog)), ==,
                   "Jet Pack");

  /* Both exist on the server, the key in the project, with the notes. */
  key_id = exk_token_get_id (exk_new_project_dialog_get_key (fixture->dialog));
  token = mock_token (fixture, key_id, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (token, "project_id"), ==,
                   exk_project_get_id (exk_new_project_dialog_get_project (fixture->dialog)));
  g_assert_cmpstr (json_object_get_string_member (token, "notes"), ==, "Created with Exkeys");

  /* The sidebar opens it. */
  exk_test_assert_wait (project_selected, fixture);

  /* Masked on screen, whole on the clipboard. */
  shown = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (dialog_child (fixture, "key_row")));
  g_assert_null (strstr (shown, key_id));
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (dialog_child (fixture, "snippet_label"))),
                         key_id));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (dialog_child (fixture,
                                                                         "snippet_label"))),
                            "Exceptionless.startup"));
  exk_test_click (dialog_child (fixture, "copy_button"));
  copied = dup_clipboard_text (GTK_WIDGET (fixture->dialog));
  g_assert_cmpstr (copied, ==, key_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->dialog),
                                             "new-project.copy-snippet", NULL));
  snippet_copied = dup_clipboard_text (GTK_WIDGET (fixture->dialog));
  g_assert_nonnull (strstr (snippet_copied, key_id));

  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "new-project-created");
  save_window (fixture, "new-project-window");
}

static void
test_duplicate_name (Fixture       *fixture,
                     gconstpointer  data)
{
  const char *text;

  open_dialog (fixture);
  choose_organization (fixture, "Acme");
  type_name (fixture, "rocket ship ");

  g_assert_true (gtk_revealer_get_reveal_child (
                   GTK_REVEALER (dialog_child (fixture, "name_error_revealer"))));
  text = gtk_label_get_text (GTK_LABEL (dialog_child (fixture, "name_error_label")));
  g_assert_cmpstr (text, ==, "A project with this name already exists in Acme");
  g_assert_false (is_create_enabled (fixture));
  exk_test_assert_wait (child_revealed, dialog_child (fixture, "name_error_revealer"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "new-project-duplicate");

  /* Another organization: the name is free there. */
  choose_organization (fixture, "Northwind Labs");
  exk_test_assert_wait (name_checked, fixture);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (
                                                   dialog_child (fixture, "name_error_revealer"))));
  g_assert_true (is_create_enabled (fixture));

  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "POST",
                                             "/api/v2/projects"), ==, 0);
}

static void
test_plan_limit (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkLinkButton *billing;
  const char *text;

  open_dialog (fixture);
  choose_organization (fixture, "Free Plan Organization");
  type_name (fixture, "Second App");
  exk_test_click (dialog_child (fixture, "create_button"));
  exk_test_assert_wait (not_busy, fixture);

  g_assert_cmpstr (visible_page (fixture), ==, "form");
  g_assert_null (exk_new_project_dialog_get_project (fixture->dialog));
  text = gtk_label_get_text (GTK_LABEL (dialog_child (fixture, "error_label")));
  g_assert_nonnull (strstr (text, "Free Plan Organization"));
  g_assert_nonnull (strstr (text, "Please upgrade your plan to add additional projects."));
  billing = GTK_LINK_BUTTON (dialog_child (fixture, "billing_button"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (billing)));
  g_assert_true (g_str_has_suffix (gtk_link_button_get_uri (billing),
                                   "/next/organization/" FREE_ORG_ID "/billing"));
  g_assert_true (g_str_has_prefix (gtk_link_button_get_uri (billing),
                                   exk_mock_server_get_url (fixture->mock)));
  exk_test_assert_wait (child_revealed, dialog_child (fixture, "error_revealer"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "new-project-plan-limit");
}

static void
test_key_failed (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *project_id;
  const char *description;

  /* The project's key route, not POST /api/v2/projects itself. */
  g_assert_true (exk_mock_server_add_fault (fixture->mock,
                                            "POST /api/v2/projects/=status:500*1", &error));
  g_assert_no_error (error);

  open_dialog (fixture);
  choose_organization (fixture, "Acme");
  type_name (fixture, "Jet Pack");
  exk_test_click (dialog_child (fixture, "create_button"));
  exk_test_assert_wait (not_busy, fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "key-failed");

  /* Said exactly: the project exists, its key does not. */
  project_id = exk_project_get_id (exk_new_project_dialog_get_project (fixture->dialog));
  g_assert_cmpuint (mock_project_status (fixture, project_id), ==, 200);
  g_assert_null (exk_new_project_dialog_get_key (fixture->dialog));
  description = adw_status_page_get_description (
                  ADW_STATUS_PAGE (dialog_child (fixture, "key_failed_page")));
  g_assert_nonnull (strstr (description, "“Jet Pack” was created in Acme"));
  exk_test_assert_wait (project_selected, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "new-project-key-failed");

  exk_test_click (dialog_child (fixture, "retry_button"));
  exk_test_assert_wait (has_key, fixture);
  g_assert_cmpstr (visible_page (fixture), ==, "created");
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "POST",
                                             "/api/v2/projects/"), ==, 2);
}

static ExkProjectPage *
project_page (Fixture *fixture)
{
  return EXK_PROJECT_PAGE (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                    "project_page"));
}

static GtkWidget *
settings_child (Fixture    *fixture,
                const char *name)
{
  GtkWidget *settings = exk_test_template_child (project_page (fixture), EXK_TYPE_PROJECT_PAGE,
                                                 "settings");

  return exk_test_template_child (settings, EXK_TYPE_PROJECT_SETTINGS, name);
}

static gboolean
keys_loaded (gpointer data)
{
  ExkKeyList *key_list = exk_project_page_get_key_list (project_page (data));

  return key_list != NULL && exk_key_list_get_loaded (key_list)
         && !exk_key_list_get_loading (key_list);
}

/* Opens @id's Settings view, as its tab does. */
static GtkWidget *
open_settings (Fixture    *fixture,
               const char *id)
{
  GtkWidget *settings = exk_test_template_child (project_page (fixture), EXK_TYPE_PROJECT_PAGE,
                                                 "settings");

  exk_project_sidebar_select_project_id (fixture->sidebar, id);
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (project_page (fixture)),
                                             "keys.show-settings", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (exk_project_page_get_view_stack (
                                                            project_page (fixture))), ==,
                   "settings");
  return settings;
}

static gboolean
settings_idle (gpointer data)
{
  gboolean busy;

  g_object_get (data, "busy", &busy, NULL);
  return !busy;
}

static gboolean
selected_is_named (gpointer data)
{
  Fixture *fixture = data;
  ExkProject *selected = exk_project_sidebar_get_selected_project (fixture->sidebar);

  return selected != NULL && g_strcmp0 (exk_project_get_name (selected), "Moon Ship") == 0;
}

static gboolean
sidebar_lists (Fixture    *fixture,
               const char *id)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (visible, i);

      if (g_strcmp0 (exk_project_get_id (project), id) == 0)
        return TRUE;
    }

  return FALSE;
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *settings = open_settings (fixture, ROCKET_ID);
  GtkWidget *name_row = settings_child (fixture, "name_row");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Rocket Ship");

  /* A duplicate: the server's words, where the name is typed. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Disintegrating Pistol");
  g_signal_emit_by_name (name_row, "apply");
  exk_test_assert_wait (settings_idle, settings);
  exk_test_assert_wait (child_revealed, settings_child (fixture, "name_error_revealer"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (settings_child (fixture, "name_error_label"))),
                   ==, "The project was not renamed. A project with this name already exists.");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  save_window (fixture, "project-settings-duplicate");
  g_assert_true (sidebar_lists (fixture, ROCKET_ID));

  gtk_editable_set_text (GTK_EDITABLE (name_row), "Moon Ship");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_signal_emit_by_name (name_row, "apply");
  exk_test_assert_wait (selected_is_named, fixture);
  exk_test_assert_wait (projects_loaded, fixture);
  g_assert_cmpstr (exk_project_get_name (exk_project_page_get_project (project_page (fixture))), ==,
                   "Moon Ship");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (exk_project_page_get_view_stack (
                                                            project_page (fixture))), ==,
                   "settings");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Moon Ship");

  /* The search finds it by its new name. */
  exk_project_sidebar_set_search_text (fixture->sidebar, "moon");
  g_assert_true (sidebar_lists (fixture, ROCKET_ID));
  g_assert_cmpuint (g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (
                                                fixture->sidebar)), ==, 1);
}

static gboolean
sidebar_lost_rocket (gpointer data)
{
  Fixture *fixture = data;

  return projects_loaded (fixture) && !sidebar_lists (fixture, ROCKET_ID)
         && exk_project_sidebar_get_selected_project (fixture->sidebar) == NULL;
}

static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *settings = open_settings (fixture, ROCKET_ID);
  ExkKeyList *key_list = exk_project_page_get_key_list (project_page (fixture));
  g_autoptr(GPtrArray) key_ids = g_ptr_array_new_with_free_func (g_free);
  AdwMessageDialog *dialog;
  GtkWidget *extra;
  GtkWidget *entry;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (key_list)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (key_list), i);

      g_ptr_array_add (key_ids, g_strdup (exk_token_get_id (token)));
    }
  g_assert_cmpuint (key_ids->len, ==, 4);

  g_assert_true (gtk_widget_activate_action (settings, "settings.delete", NULL));
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   "This deletes the project and all its 4 API keys; events stop being accepted.");

  /* Only the project's name, typed, lets it go. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  extra = adw_message_dialog_get_extra_child (dialog);
  entry = gtk_widget_get_last_child (extra);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Rocket");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "delete"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Rocket Ship");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "delete"));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "project-delete-confirm");

  adw_message_dialog_response (dialog, "delete");
  exk_test_assert_wait (sidebar_lost_rocket, fixture);

  /* Gone on the server, with every key. */
  g_assert_cmpuint (mock_project_status (fixture, ROCKET_ID), ==, 404);
  for (guint i = 0; i < key_ids->len; i++)
    {
      g_autoptr(JsonObject) token = NULL;
      guint status = 0;

      token = mock_token (fixture, g_ptr_array_index (key_ids, i), &status);
      g_assert_cmpuint (status, ==, 404);
    }
  save_window (fixture, "project-deleted-window");
}

/* The flows at the narrowest width the app supports, in the dark style:
 * screenshots to look at, and nothing cut off that a person needs. */
static void
test_narrow_dark (Fixture       *fixture,
                  gconstpointer  data)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  AdwLeaflet *leaflet = ADW_LEAFLET (exk_test_template_child (fixture->window, EXK_TYPE_WINDOW,
                                                              "leaflet"));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  exk_test_assert_wait ((ExkTestCondition) adw_leaflet_get_folded, leaflet);
  save_window (fixture, "narrow-dark-sidebar");

  /* Made here rather than by the window's action, to be narrow from the start. */
  fixture->dialog = g_object_ref (exk_new_project_dialog_new (
                                    GTK_WINDOW (fixture->window),
                                    exk_account_manager_get_client (fixture->manager), NULL, NULL));
  gtk_window_set_default_size (GTK_WINDOW (fixture->dialog), 360, 640);
  gtk_window_present (GTK_WINDOW (fixture->dialog));
  exk_test_assert_wait (organizations_listed, fixture);
  choose_organization (fixture, "Acme");
  type_name (fixture, "Rocket Ship");
  exk_test_assert_wait (child_revealed, dialog_child (fixture, "name_error_revealer"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "narrow-dark-new-project-duplicate");

  type_name (fixture, "Jet Pack");
  exk_test_click (dialog_child (fixture, "create_button"));
  exk_test_assert_wait (has_key, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->dialog), "narrow-dark-new-project-created");
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  exk_test_finalize_soon (g_steal_pointer (&fixture->dialog));

  open_settings (fixture, ROCKET_ID);
  adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  exk_test_wait_until_mapped (settings_child (fixture, "name_row"));
  save_window (fixture, "narrow-dark-project-settings");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  save_window (fixture, "narrow-light-project-settings");
}

/* No project yet: the sidebar's empty state leads to New Project. */
static void
test_empty_state (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->sidebar, EXK_TYPE_PROJECT_SIDEBAR,
                                                        "stack"));
  GtkWidget *status;
  GtkWidget *button;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  save_window (fixture, "projects-empty-state");

  status = gtk_stack_get_child_by_name (stack, "empty");
  button = gtk_widget_get_first_child (adw_status_page_get_child (ADW_STATUS_PAGE (status)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.new-project");
  exk_test_click (button);
  fixture->dialog = g_object_ref (exk_test_find_toplevel (EXK_TYPE_NEW_PROJECT_DIALOG));
  exk_test_assert_wait (organizations_listed, fixture);

  type_name (fixture, "Storefront");
  exk_test_click (dialog_child (fixture, "create_button"));
  exk_test_assert_wait (has_key, fixture);
  exk_test_assert_wait (project_selected, fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "list");
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  exk_test_finalize_soon (g_steal_pointer (&fixture->dialog));

  /* A second one with the same name: said in the organization's name. */
  open_dialog (fixture);
  type_name (fixture, "storefront");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (dialog_child (fixture, "name_error_label"))),
                   ==, "A project with this name already exists in Contoso Ltd");
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/exkeys/projects/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("create", test_create);
  ADD ("duplicate-name", test_duplicate_name);
  ADD ("plan-limit", test_plan_limit);
  ADD ("key-failed", test_key_failed);
  ADD ("rename", test_rename);
  ADD ("delete", test_delete);
  g_test_add ("/exkeys/projects/narrow-dark", Fixture, "narrow", fixture_setup, test_narrow_dark,
              fixture_teardown);
  g_test_add ("/exkeys/projects/empty-state", Fixture, "empty", fixture_setup, test_empty_state,
              fixture_teardown);

#undef ADD

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>

#include "exk-history-page.h"
#include "exk-mock-server.h"
#include "exk-project-page.h"
#include "exk-test-util.h"
#include "exk-window.h"

#define ROCKET_ID  "537650f3b77efe23a47914f7"

static GtkWidget *
window_child (ExkWindow  *window,
              const char *name)
{
  return exk_test_template_child (window, EXK_TYPE_WINDOW, name);
}

/* A window signed in to the mock server, for this session only. */
static ExkWindow *
new_signed_in_window (ExkMockServer *mock)
{
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  ExkWindow *window = g_object_ref (exk_window_new (NULL, manager));

  gtk_window_present (GTK_WINDOW (window));
  exk_window_sign_in_with_token (window, exk_mock_server_get_url (mock),
                                 exk_mock_server_get_demo_token (mock), EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, window);

  return window;
}

static ExkMockServer *
start_mock (void)
{
  g_autoptr(GError) error = NULL;
  ExkMockServer *mock = exk_mock_server_start_in_thread (&(ExkMockOptions) { 0 }, &error);

  g_assert_no_error (error);
  return mock;
}

static void
stop_mock (ExkMockServer *mock)
{
  exk_mock_server_stop (mock);
  g_object_unref (mock);
}

static void
test_window_first_launch (void)
{
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  ExkWindow *window = g_object_ref (exk_window_new (NULL, manager));

  gtk_window_present (GTK_WINDOW (window));
  exk_test_wait_until_mapped (GTK_WIDGET (window));
  exk_window_restore_session (window);

  /* No account yet: the sign-in page, nothing else. */
  exk_test_assert_wait (exk_test_window_shows_sign_in, window);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Exkeys");
  exk_test_wait_until_mapped (window_child (window, "sign_in_page"));
  exk_test_save_screenshot (GTK_WIDGET (window), "sign-in");
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (window));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static gboolean
sidebar_loaded (gpointer data)
{
  gboolean loading;

  g_object_get (data, "loading", &loading, NULL);
  return !loading;
}

static void
test_window_initial_state (void)
{
  ExkMockServer *mock = start_mock ();
  ExkWindow *window = new_signed_in_window (mock);
  GtkWidget *empty_page;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Exkeys");

  exk_test_wait_until_mapped (window_child (window, "sidebar"));
  exk_test_wait_until_mapped (window_child (window, "content_header"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (window_child (window,
                                                                              "content_stack"))),
                   ==, "empty");
  empty_page = window_child (window, "empty_page");
  exk_test_wait_until_mapped (empty_page);
  /* It follows the sidebar: nothing to choose until the projects are there. */
  exk_test_assert_wait (sidebar_loaded, window_child (window, "project_sidebar"));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==,
                   "No Project Selected");
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (window_child (window, "leaflet"))));
  /* Nothing to add a key to yet. */
  g_assert_false (gtk_widget_get_visible (window_child (window, "new_key_button")));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  stop_mock (mock);
}

static gboolean
shows_rocket_ship (gpointer window)
{
  ExkProjectPage *page = EXK_PROJECT_PAGE (window_child (window, "project_page"));
  ExkProject *project = exk_project_page_get_project (page);
  GtkStack *content = GTK_STACK (window_child (window, "content_stack"));

  return project != NULL && g_strcmp0 (exk_project_get_id (project), ROCKET_ID) == 0
         && g_strcmp0 (gtk_stack_get_visible_child_name (content), "project") == 0;
}

/* A GNOME Shell search result opens a window that is still signing in: the
 * project shows once it is in, not the last one. Then the History page, and
 * choosing the project again leaves it. */
static void
test_window_open_project_while_signing_in (void)
{
  ExkMockServer *mock = start_mock ();
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  ExkWindow *window = g_object_ref (exk_window_new (NULL, manager));
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(ExkProject) rocket = NULL;
  g_autoptr(GError) error = NULL;
  ExkHistoryPage *history_page;
  GtkStack *content;

  json_object_set_string_member (object, "id", ROCKET_ID);
  json_object_set_string_member (object, "name", "Rocket Ship");
  json_object_set_string_member (object, "organization_id", "537650f3b77efe23a47914f3");
  json_object_set_string_member (object, "organization_name", "Acme");
  json_object_set_string_member (object, "created_utc", "2024-03-01T12:30:00Z");
  rocket = exk_project_new_from_json (object, &error);
  g_assert_no_error (error);

  gtk_window_present (GTK_WINDOW (window));
  exk_window_sign_in_with_token (window, exk_mock_server_get_url (mock),
                                 exk_mock_server_get_demo_token (mock), EXK_SIGN_IN_SESSION_ONLY);
  exk_window_open_project (window, NULL, rocket, NULL);
  exk_test_assert_wait (exk_test_window_shows_main, window);
  exk_test_assert_wait (shows_rocket_ship, window);

  content = GTK_STACK (window_child (window, "content_stack"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-history", NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (content), ==, "history");
  history_page = EXK_HISTORY_PAGE (window_child (window, "history_page"));
  g_assert_nonnull (exk_history_page_get_history (history_page));
  g_assert_false (gtk_widget_get_visible (window_child (window, "new_key_button")));

  /* From the Overview too: a search result is about the keys. */
  gtk_widget_activate_action (window_child (window, "project_page"), "keys.show-overview", NULL);
  exk_window_open_project (window, NULL, rocket, NULL);
  exk_test_assert_wait (shows_rocket_ship, window);
  g_assert_true (gtk_widget_get_visible (window_child (window, "new_key_button")));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (exk_project_page_get_view_stack (
                     EXK_PROJECT_PAGE (window_child (window, "project_page")))), ==, "keys");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  stop_mock (mock);
}

static gboolean
is_folded (gpointer leaflet)
{
  return adw_leaflet_get_folded (leaflet);
}

static void
test_window_folds_when_narrow (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  ExkMockServer *mock = start_mock ();
  ExkWindow *window;
  AdwLeaflet *leaflet;

  g_settings_set_int (settings, "window-width", 360);
  g_settings_set_int (settings, "window-height", 600);

  window = new_signed_in_window (mock);
  leaflet = ADW_LEAFLET (window_child (window, "leaflet"));
  exk_test_assert_wait (is_folded, leaflet);

  /* One column: the sidebar comes first, the back button leads to it. */
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == window_child (window, "sidebar"));
  exk_test_save_screenshot (GTK_WIDGET (window), "narrow-sidebar");
  adw_leaflet_navigate (leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == window_child (window, "content"));
  g_assert_true (gtk_widget_get_visible (window_child (window, "back_button")));
  exk_test_click (window_child (window, "back_button"));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == window_child (window, "sidebar"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
  stop_mock (mock);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_window_remembers_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  ExkWindow *window = g_object_ref (exk_window_new (NULL, manager));
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_present (GTK_WINDOW (window));
  /* Shown at its size, as a person sees it before closing it. */
  exk_test_wait_for_paint (GTK_WIDGET (window));

  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_finalize_object (window);

  window = g_object_ref (exk_window_new (NULL, manager));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 700);
  g_assert_cmpint (height, ==, 500);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

  g_test_add_func ("/exkeys/window/first-launch", test_window_first_launch);
  g_test_add_func ("/exkeys/window/initial-state", test_window_initial_state);
  g_test_add_func ("/exkeys/window/folds-when-narrow", test_window_folds_when_narrow);
  g_test_add_func ("/exkeys/window/remembers-size", test_window_remembers_size);
  g_test_add_func ("/exkeys/window/open-project-while-signing-in",
                   test_window_open_project_while_signing_in);

  return g_test_run ();
}

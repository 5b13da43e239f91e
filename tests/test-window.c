// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>

#include "exk-window.h"

static void
wait_until_mapped (GtkWidget *widget)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);

  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
iterate_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
}

static GtkWidget *
template_child (ExkWindow  *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), EXK_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return GTK_WIDGET (child);
}

static void
test_window_initial_state (void)
{
  ExkWindow *window = g_object_ref (exk_window_new (NULL));
  GtkWidget *empty_page, *sidebar, *content_stack;

  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Exkeys");

  sidebar = template_child (window, "sidebar");
  content_stack = template_child (window, "content_stack");
  empty_page = template_child (window, "empty_page");

  g_assert_true (gtk_widget_get_mapped (sidebar));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (content_stack)), ==, "empty");
  wait_until_mapped (empty_page);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty_page)), ==,
                   "No Project Selected");
  g_assert_false (adw_leaflet_get_folded (ADW_LEAFLET (template_child (window, "leaflet"))));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_window_folds_when_narrow (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  ExkWindow *window;
  AdwLeaflet *leaflet;
  gint64 deadline;

  g_settings_set_int (settings, "window-width", 360);
  g_settings_set_int (settings, "window-height", 600);

  window = g_object_ref (exk_window_new (NULL));
  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));

  leaflet = ADW_LEAFLET (template_child (window, "leaflet"));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (!adw_leaflet_get_folded (leaflet) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  /* One column: the sidebar comes first, the back button leads to it. */
  g_assert_true (adw_leaflet_get_folded (leaflet));
  g_assert_true (adw_leaflet_get_visible_child (leaflet) == template_child (window, "sidebar"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_window_remembers_size (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  ExkWindow *window = g_object_ref (exk_window_new (NULL));
  int width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 700, 500);
  gtk_window_present (GTK_WINDOW (window));
  wait_until_mapped (GTK_WIDGET (window));
  iterate_for (50);

  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 500);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_finalize_object (window);

  window = g_object_ref (exk_window_new (NULL));
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
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/exkeys/window/initial-state", test_window_initial_state);
  g_test_add_func ("/exkeys/window/folds-when-narrow", test_window_folds_when_narrow);
  g_test_add_func ("/exkeys/window/remembers-size", test_window_remembers_size);

  return g_test_run ();
}

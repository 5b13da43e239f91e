// SPDX-License-Identifier: GPL-3.0-or-later

/* Reports how long the window takes to show, to list every project, and to
 * filter them, against the mock server with demo data and with 10,000
 * projects. Numbers only: `meson test -C _build --benchmark`. */

#include "config.h"

#include <adwaita.h>

#include "exk-mock-server.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

typedef struct
{
  ExkWindow         *window;
  ExkProjectSidebar *sidebar;
  gboolean           drawn;
  gint64             last_tick;
  gint64             longest_stall;
} Run;

/* Runs every millisecond: a long gap means the main loop was blocked. */
static gboolean
on_tick (gpointer data)
{
  Run *run = data;
  gint64 now = g_get_monotonic_time ();

  if (run->last_tick != 0)
    run->longest_stall = MAX (run->longest_stall, now - run->last_tick);
  run->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static gboolean
projects_listed (gpointer data)
{
  Run *run = data;
  gboolean loading;

  g_object_get (run->sidebar, "loading", &loading, NULL);
  return !loading
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (run->sidebar)) > 0;
}

static gboolean
is_drawn (gpointer data)
{
  return ((Run *) data)->drawn;
}

static void
on_after_paint (GdkFrameClock *clock,
                Run           *run)
{
  run->drawn = TRUE;
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
measure (guint projects)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkMockServer) mock = NULL;
  g_autoptr(ExkAccountManager) manager = exk_test_new_manager ();
  Run run = { 0 };
  gint64 start;
  double first_frame, listed, filtered;
  guint tick, total;

  mock = exk_mock_server_start_in_thread (&(ExkMockOptions) { .projects = projects }, &error);
  g_assert_no_error (error);

  tick = g_timeout_add (1, on_tick, &run);
  start = g_get_monotonic_time ();
  run.window = g_object_ref (exk_window_new (NULL, manager));
  run.sidebar = EXK_PROJECT_SIDEBAR (exk_test_template_child (run.window, EXK_TYPE_WINDOW,
                                                              "project_sidebar"));
  gtk_window_present (GTK_WINDOW (run.window));
  exk_window_sign_in_with_token (run.window, exk_mock_server_get_url (mock),
                                 exk_mock_server_get_demo_token (mock), EXK_SIGN_IN_SESSION_ONLY);
  exk_test_wait_until_mapped (GTK_WIDGET (run.window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (run.window)), "after-paint",
                    G_CALLBACK (on_after_paint), &run);
  g_assert_true (exk_test_wait_until (is_drawn, &run, 10000));
  first_frame = ms_since (start);

  g_assert_true (exk_test_wait_until (projects_listed, &run, 60000));
  listed = ms_since (start);
  g_source_remove (tick);
  total = g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (run.sidebar));

  start = g_get_monotonic_time ();
  exk_project_sidebar_set_search_text (run.sidebar, "project 0999");
  filtered = ms_since (start);

  g_print ("%6u projects: first frame %6.1f ms, all listed %7.1f ms, longest main-loop stall "
           "while loading %6.1f ms, one search %5.1f ms\n",
           total, first_frame, listed, run.longest_stall / 1000.0, filtered);

  gtk_window_destroy (GTK_WINDOW (run.window));
  g_object_unref (run.window);
  exk_mock_server_stop (mock);
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

  g_print ("GSK_RENDERER=%s\n", g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "(default)");
  measure (0);
  measure (10000);

  return 0;
}

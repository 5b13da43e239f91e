// SPDX-License-Identifier: GPL-3.0-or-later

/* The floor of the benchmark: the least a libadwaita application does to show a window (an
 * AdwApplication, registered on the session bus like Exkeys, and an AdwApplicationWindow of
 * Exkeys' default size with one label). It quits LINGER milliseconds after its first frame
 * (default 0), so that exk-xprobe can compare Exkeys' start with it:
 *
 *   exk-floor [LINGER]
 */

#include <adwaita.h>
#include <stdlib.h>

static guint linger_ms;

static void
on_after_paint (GdkFrameClock  *clock,
                GtkApplication *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, app);
  if (linger_ms == 0)
    g_application_quit (G_APPLICATION (app));
  else
    g_timeout_add_once (linger_ms, (GSourceOnceFunc) g_application_quit, app);
}

static void
on_map (GtkWidget      *window,
        GtkApplication *app)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), app);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Floor");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 640);
  g_signal_connect (window, "map", G_CALLBACK (on_map), app);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;

  if (argc > 1)
    linger_ms = (guint) strtoul (argv[1], NULL, 10);

  app = adw_application_new ("io.github.exkeys.Floor", G_APPLICATION_DEFAULT_FLAGS);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

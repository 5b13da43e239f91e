// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-window.h"

struct _ExkWindow
{
  AdwApplicationWindow parent_instance;

  GSettings           *settings;
  GCancellable        *cancellable;

  AdwToastOverlay     *toast_overlay;
  AdwLeaflet          *leaflet;
  GtkWidget           *sidebar;
  GtkWidget           *content;
  AdwWindowTitle      *content_title;
  GtkStack            *content_stack;
  AdwStatusPage       *empty_page;
};

G_DEFINE_FINAL_TYPE (ExkWindow, exk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
exk_window_save_state (ExkWindow *self)
{
  int width, height;

  /* The default size is the unmaximized size even while maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_apply (self->settings);
}

static void
exk_window_restore_state (ExkWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
on_back_clicked (GtkButton *button,
                 ExkWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static gboolean
exk_window_close_request (GtkWindow *window)
{
  ExkWindow *self = EXK_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  exk_window_save_state (self);

  return GTK_WINDOW_CLASS (exk_window_parent_class)->close_request (window);
}

static void
exk_window_dispose (GObject *object)
{
  ExkWindow *self = EXK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_WINDOW);

  G_OBJECT_CLASS (exk_window_parent_class)->dispose (object);
}

static void
exk_window_finalize (GObject *object)
{
  ExkWindow *self = EXK_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (exk_window_parent_class)->finalize (object);
}

static void
exk_window_class_init (ExkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = exk_window_dispose;
  object_class->finalize = exk_window_finalize;
  window_class->close_request = exk_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
}

static void
exk_window_init (ExkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  exk_window_restore_state (self);
}

ExkWindow *
exk_window_new (ExkApplication *application)
{
  return g_object_new (EXK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

void
exk_window_add_toast (ExkWindow *self,
                      AdwToast  *toast)
{
  g_return_if_fail (EXK_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

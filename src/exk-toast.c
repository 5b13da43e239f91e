// SPDX-License-Identifier: GPL-3.0-or-later

/* Toasts from anywhere in the window, without knowing the window. */

#include "config.h"

#include "exk-toast.h"

/**
 * exk_toast_show:
 * @widget: the widget the toast is about
 * @toast: (transfer full): a toast, floating or with a reference for this call
 *
 * Shows @toast in the nearest #AdwToastOverlay around @widget. A widget that
 * is not in a window (any more) has no one to tell: the toast is dropped.
 */
void
exk_toast_show (GtkWidget *widget,
                AdwToast  *toast)
{
  GtkWidget *overlay;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (ADW_IS_TOAST (toast));

  overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    {
      if (g_object_is_floating (toast))
        g_object_ref_sink (toast);
      g_object_unref (toast);
      return;
    }

  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

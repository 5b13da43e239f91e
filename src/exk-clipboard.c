// SPDX-License-Identifier: GPL-3.0-or-later

/* Copying keys: marked as a secret for clipboard managers, and cleared after a
 * while if nothing else was copied since. */

#include "config.h"

#include "exk-clipboard.h"

typedef struct
{
  GdkClipboard       *clipboard;
  GdkContentProvider *provider;
} PendingClear;

static gboolean
on_clear_timeout (gpointer user_data)
{
  PendingClear *pending = user_data;

  /* Only if the clipboard still holds what we put there. */
  if (gdk_clipboard_get_content (pending->clipboard) == pending->provider)
    gdk_clipboard_set_content (pending->clipboard, NULL);

  g_object_unref (pending->clipboard);
  g_object_unref (pending->provider);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

void
exk_clipboard_copy_secret (GtkWidget  *widget,
                           const char *secret)
{
  GdkClipboard *clipboard;
  GdkContentProvider *providers[2];
  g_autoptr(GdkContentProvider) provider = NULL;
  g_autoptr(GBytes) hint = g_bytes_new_static ("secret", 6);
  PendingClear *pending;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (secret != NULL);

  clipboard = gtk_widget_get_clipboard (widget);

  /* The KDE password-manager hint keeps the key out of clipboard histories
   * (Klipper, GPaste and others honour it). */
  providers[0] = gdk_content_provider_new_typed (G_TYPE_STRING, secret);
  providers[1] = gdk_content_provider_new_for_bytes ("x-kde-passwordManagerHint", hint);
  provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));

  gdk_clipboard_set_content (clipboard, provider);

  pending = g_new0 (PendingClear, 1);
  pending->clipboard = g_object_ref (clipboard);
  pending->provider = g_object_ref (provider);
  g_timeout_add_seconds (EXK_CLIPBOARD_CLEAR_SECONDS, on_clear_timeout, pending);
}

// SPDX-License-Identifier: GPL-3.0-or-later

/* Copying keys: cleared after a while if nothing else was copied since.
 *
 * No "secret" hint is offered to clipboard managers: KDE's
 * x-kde-passwordManagerHint is not a MIME type (it has no "/"), and GTK 4
 * can list such a target but not serve it (read from another process, it is
 * "not available"), so a clipboard manager would not see it either. */

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
  g_autoptr(GdkContentProvider) provider = NULL;
  PendingClear *pending;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (secret != NULL);

  clipboard = gtk_widget_get_clipboard (widget);
  provider = gdk_content_provider_new_typed (G_TYPE_STRING, secret);
  gdk_clipboard_set_content (clipboard, provider);

  pending = g_new0 (PendingClear, 1);
  pending->clipboard = g_object_ref (clipboard);
  pending->provider = g_object_ref (provider);
  g_timeout_add_seconds (EXK_CLIPBOARD_CLEAR_SECONDS, on_clear_timeout, pending);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define EXK_CLIPBOARD_CLEAR_SECONDS 90

void exk_clipboard_copy_secret (GtkWidget  *widget,
                                const char *secret);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void exk_a11y_fix_names     (GtkWidget *root);
void exk_a11y_watch_windows (void);

G_END_DECLS

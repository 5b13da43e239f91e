// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void exk_toast_show (GtkWidget *widget,
                     AdwToast  *toast);

G_END_DECLS

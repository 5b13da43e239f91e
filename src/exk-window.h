// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-application.h"

G_BEGIN_DECLS

#define EXK_TYPE_WINDOW (exk_window_get_type ())

G_DECLARE_FINAL_TYPE (ExkWindow, exk_window, EXK, WINDOW, AdwApplicationWindow)

ExkWindow *exk_window_new        (ExkApplication *application);
void       exk_window_add_toast  (ExkWindow      *self,
                                  AdwToast       *toast);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-leak-replacement.h"

G_BEGIN_DECLS

#define EXK_TYPE_LEAK_DIALOG (exk_leak_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkLeakDialog, exk_leak_dialog, EXK, LEAK_DIALOG, AdwWindow)

GtkWidget          *exk_leak_dialog_new             (GtkWindow          *parent,
                                                     ExkLeakReplacement *replacement);
ExkLeakReplacement *exk_leak_dialog_get_replacement (ExkLeakDialog      *self);

G_END_DECLS

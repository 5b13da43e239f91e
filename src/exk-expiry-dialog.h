// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-expiry-reminders.h"

G_BEGIN_DECLS

#define EXK_TYPE_EXPIRY_DIALOG (exk_expiry_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkExpiryDialog, exk_expiry_dialog, EXK, EXPIRY_DIALOG, AdwWindow)

ExkExpiryDialog    *exk_expiry_dialog_new            (GtkWindow          *parent,
                                                      ExkExpiryReminders *reminders);
ExkExpiryReminders *exk_expiry_dialog_get_reminders  (ExkExpiryDialog    *self);
GtkListBox         *exk_expiry_dialog_get_list_box   (ExkExpiryDialog    *self);

G_END_DECLS

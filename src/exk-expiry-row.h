// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-expiry-reminder.h"

G_BEGIN_DECLS

#define EXK_TYPE_EXPIRY_ROW (exk_expiry_row_get_type ())

G_DECLARE_FINAL_TYPE (ExkExpiryRow, exk_expiry_row, EXK, EXPIRY_ROW, AdwActionRow)

GtkWidget         *exk_expiry_row_new           (ExkExpiryReminder *reminder,
                                                 GDateTime         *now);
ExkExpiryReminder *exk_expiry_row_get_reminder  (ExkExpiryRow      *self);

G_END_DECLS

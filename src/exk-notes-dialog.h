// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-key-list.h"

G_BEGIN_DECLS

#define EXK_TYPE_NOTES_DIALOG (exk_notes_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkNotesDialog, exk_notes_dialog, EXK, NOTES_DIALOG, AdwWindow)

ExkNotesDialog *exk_notes_dialog_new (GtkWindow  *parent,
                                      ExkKeyList *key_list,
                                      ExkToken   *token);

G_END_DECLS

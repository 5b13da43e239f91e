// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-key-list.h"

G_BEGIN_DECLS

#define EXK_TYPE_NEW_KEY_DIALOG (exk_new_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkNewKeyDialog, exk_new_key_dialog, EXK, NEW_KEY_DIALOG, AdwWindow)

ExkNewKeyDialog *exk_new_key_dialog_new          (GtkWindow       *parent,
                                                  ExkKeyList      *key_list);
ExkNewKeyDialog *exk_new_key_dialog_new_rotation (GtkWindow       *parent,
                                                  ExkKeyList      *key_list,
                                                  ExkToken        *old_key);
ExkKeyList      *exk_new_key_dialog_get_key_list (ExkNewKeyDialog *self);
ExkToken        *exk_new_key_dialog_get_new_key  (ExkNewKeyDialog *self);

G_END_DECLS

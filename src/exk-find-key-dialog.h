// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-account-manager.h"
#include "exk-key-finder.h"

G_BEGIN_DECLS

#define EXK_TYPE_FIND_KEY_DIALOG (exk_find_key_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkFindKeyDialog, exk_find_key_dialog, EXK, FIND_KEY_DIALOG, AdwWindow)

ExkFindKeyDialog *exk_find_key_dialog_new        (GtkWindow         *parent,
                                                  ExkAccountManager *manager);
void              exk_find_key_dialog_find       (ExkFindKeyDialog  *self,
                                                  const char        *text);
ExkKeyFinder     *exk_find_key_dialog_get_finder (ExkFindKeyDialog  *self);

G_END_DECLS

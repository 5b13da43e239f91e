// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-account-manager.h"

G_BEGIN_DECLS

#define EXK_TYPE_REAUTH_DIALOG (exk_reauth_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkReauthDialog, exk_reauth_dialog, EXK, REAUTH_DIALOG, AdwWindow)

ExkReauthDialog *exk_reauth_dialog_new (GtkWindow         *parent,
                                        ExkAccountManager *manager,
                                        ExkAccount        *account);

G_END_DECLS

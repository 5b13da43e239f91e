// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-account-manager.h"
#include "exk-application.h"
#include "exk-expiry-reminders.h"

G_BEGIN_DECLS

#define EXK_TYPE_WINDOW (exk_window_get_type ())

G_DECLARE_FINAL_TYPE (ExkWindow, exk_window, EXK, WINDOW, AdwApplicationWindow)

ExkWindow         *exk_window_new                   (ExkApplication    *application,
                                                     ExkAccountManager *manager);
void               exk_window_restore_session       (ExkWindow         *self);
void               exk_window_sign_in_with_token    (ExkWindow         *self,
                                                     const char        *server,
                                                     const char        *token,
                                                     ExkSignInFlags     flags);
void               exk_window_open_project          (ExkWindow         *self,
                                                     ExkAccount        *account,
                                                     ExkProject        *project,
                                                     const char        *key_id);
void               exk_window_search_projects       (ExkWindow         *self,
                                                     const char        *text);
void               exk_window_replace_key           (ExkWindow         *self,
                                                     ExkAccount        *account,
                                                     ExkProject        *project,
                                                     const char        *key_id);
void               exk_window_set_expiry_reminders  (ExkWindow         *self,
                                                     ExkExpiryReminders *reminders);
ExkExpiryReminders *exk_window_get_expiry_reminders (ExkWindow         *self);

G_END_DECLS

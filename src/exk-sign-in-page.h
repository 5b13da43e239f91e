// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-account-manager.h"

G_BEGIN_DECLS

#define EXK_TYPE_SIGN_IN_PAGE (exk_sign_in_page_get_type ())

G_DECLARE_FINAL_TYPE (ExkSignInPage, exk_sign_in_page, EXK, SIGN_IN_PAGE, AdwBin)

GtkWidget *exk_sign_in_page_new             (ExkAccountManager *manager);
void       exk_sign_in_page_set_manager     (ExkSignInPage     *self,
                                             ExkAccountManager *manager);
void       exk_sign_in_page_prefill         (ExkSignInPage     *self,
                                             const char        *server,
                                             const char        *email,
                                             const char        *reason);
void       exk_sign_in_page_set_can_cancel  (ExkSignInPage     *self,
                                             gboolean           can_cancel);
void       exk_sign_in_page_set_locked      (ExkSignInPage     *self,
                                             gboolean           locked);
void       exk_sign_in_page_reset           (ExkSignInPage     *self);
void       exk_sign_in_page_focus           (ExkSignInPage     *self);

G_END_DECLS

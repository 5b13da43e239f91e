// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define EXK_TYPE_ACCOUNT (exk_account_get_type ())

G_DECLARE_FINAL_TYPE (ExkAccount, exk_account, EXK, ACCOUNT, GObject)

ExkAccount *exk_account_new                   (const char *server,
                                               const char *email,
                                               const char *display_name);
const char *exk_account_get_server            (ExkAccount *self);
const char *exk_account_get_email             (ExkAccount *self);
const char *exk_account_get_display_name      (ExkAccount *self);
void        exk_account_set_display_name      (ExkAccount *self,
                                               const char *display_name);
const char *exk_account_get_user_id           (ExkAccount *self);
void        exk_account_set_user_id           (ExkAccount *self,
                                               const char *user_id);
const char *exk_account_get_server_host       (ExkAccount *self);
const char *exk_account_get_server_authority  (ExkAccount *self);
gboolean    exk_account_get_plain_http        (ExkAccount *self);
char       *exk_account_dup_key               (ExkAccount *self);
gboolean    exk_account_matches               (ExkAccount *self,
                                               const char *server,
                                               const char *email);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-account.h"
#include "exk-client.h"
#include "exk-history.h"
#include "exk-project-cache.h"
#include "exk-rotations.h"
#include "exk-secret-store.h"

G_BEGIN_DECLS

#define EXK_TYPE_ACCOUNT_MANAGER (exk_account_manager_get_type ())

G_DECLARE_FINAL_TYPE (ExkAccountManager, exk_account_manager, EXK, ACCOUNT_MANAGER, GObject)

/**
 * ExkSignInFlags:
 * @EXK_SIGN_IN_DEFAULT: remember the account and keep its token in the keyring
 * @EXK_SIGN_IN_SESSION_ONLY: keep the token in memory only, remember nothing (the demo)
 * @EXK_SIGN_IN_ALLOW_PLAIN_HTTP: the user chose to connect without encryption to a
 *   server that answers only over plain HTTP; remembered for that server
 */
typedef enum
{
  EXK_SIGN_IN_DEFAULT          = 0,
  EXK_SIGN_IN_SESSION_ONLY     = 1 << 0,
  EXK_SIGN_IN_ALLOW_PLAIN_HTTP = 1 << 1,
} ExkSignInFlags;

ExkAccountManager *exk_account_manager_new                 (GSettings            *settings,
                                                            ExkSecretStore       *secrets);
GListModel        *exk_account_manager_get_accounts        (ExkAccountManager    *self);
ExkAccount        *exk_account_manager_get_active_account  (ExkAccountManager    *self);
gboolean           exk_account_manager_is_remembered       (ExkAccountManager    *self,
                                                            ExkAccount           *account);
ExkClient         *exk_account_manager_get_client          (ExkAccountManager    *self);
ExkRotations      *exk_account_manager_get_rotations       (ExkAccountManager    *self);
ExkProjectCache   *exk_account_manager_get_project_cache   (ExkAccountManager    *self);
ExkHistory        *exk_account_manager_get_history         (ExkAccountManager    *self,
                                                            ExkAccount           *account);
const char        *exk_account_manager_get_keyring_problem (ExkAccountManager    *self);
ExkAccount        *exk_account_manager_find_account        (ExkAccountManager    *self,
                                                            const char           *server,
                                                            const char           *email);

void               exk_account_manager_restore_async       (ExkAccountManager    *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           exk_account_manager_restore_finish      (ExkAccountManager    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void               exk_account_manager_sign_in_async       (ExkAccountManager    *self,
                                                            const char           *server,
                                                            const char           *email,
                                                            const char           *password,
                                                            const char           *token,
                                                            ExkSignInFlags        flags,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
ExkUser           *exk_account_manager_sign_in_finish      (ExkAccountManager    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void               exk_account_manager_switch_to_async     (ExkAccountManager    *self,
                                                            ExkAccount           *account,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           exk_account_manager_switch_to_finish    (ExkAccountManager    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void               exk_account_manager_sign_out_async      (ExkAccountManager    *self,
                                                            ExkAccount           *account,
                                                            gboolean              everywhere,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean           exk_account_manager_sign_out_finish     (ExkAccountManager    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

void               exk_account_manager_client_for_async    (ExkAccountManager    *self,
                                                            ExkAccount           *account,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
ExkClient         *exk_account_manager_client_for_finish   (ExkAccountManager    *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

char              *exk_account_manager_dup_last_project    (ExkAccountManager    *self);
void               exk_account_manager_set_last_project    (ExkAccountManager    *self,
                                                            const char           *project_id);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EXK_SECRET_STORE_ERROR (exk_secret_store_error_quark ())

/**
 * ExkSecretStoreError:
 * @EXK_SECRET_STORE_ERROR_UNAVAILABLE: no Secret Service (or portal) answered in time, or it
 *   failed: none running, locked and the prompt dismissed, no default collection… The message
 *   is translated, says what happens next and keeps a readable cause.
 */
typedef enum
{
  EXK_SECRET_STORE_ERROR_UNAVAILABLE,
} ExkSecretStoreError;

#define EXK_SECRET_STORE_DEFAULT_TIMEOUT_MS 5000

#define EXK_TYPE_SECRET_STORE (exk_secret_store_get_type ())

G_DECLARE_FINAL_TYPE (ExkSecretStore, exk_secret_store, EXK, SECRET_STORE, GObject)

GQuark          exk_secret_store_error_quark  (void);

ExkSecretStore *exk_secret_store_new          (void);

guint           exk_secret_store_get_timeout  (ExkSecretStore       *self);
void            exk_secret_store_set_timeout  (ExkSecretStore       *self,
                                               guint                 timeout_ms);

void            exk_secret_store_store_async  (ExkSecretStore       *self,
                                               const char           *server,
                                               const char           *account,
                                               const char           *label,
                                               const char           *token,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        exk_secret_store_store_finish (ExkSecretStore       *self,
                                               GAsyncResult         *result,
                                               GError              **error);

void            exk_secret_store_lookup_async (ExkSecretStore       *self,
                                               const char           *server,
                                               const char           *account,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char           *exk_secret_store_lookup_finish (ExkSecretStore      *self,
                                                GAsyncResult        *result,
                                                GError             **error);

void            exk_secret_store_clear_async  (ExkSecretStore       *self,
                                               const char           *server,
                                               const char           *account,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean        exk_secret_store_clear_finish (ExkSecretStore       *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS

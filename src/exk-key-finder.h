// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-account-manager.h"

G_BEGIN_DECLS

#define EXK_KEY_FINDER_ERROR (exk_key_finder_error_quark ())

/**
 * ExkKeyFinderError:
 * @EXK_KEY_FINDER_ERROR_INVALID_KEY: the text cannot be an API key; nothing was sent
 * @EXK_KEY_FINDER_ERROR_NO_ACCOUNTS: no account is signed in, so nobody can be asked
 */
typedef enum
{
  EXK_KEY_FINDER_ERROR_INVALID_KEY,
  EXK_KEY_FINDER_ERROR_NO_ACCOUNTS,
} ExkKeyFinderError;

#define EXK_TYPE_KEY_FINDER (exk_key_finder_get_type ())

G_DECLARE_FINAL_TYPE (ExkKeyFinder, exk_key_finder, EXK, KEY_FINDER, GObject)

GQuark        exk_key_finder_error_quark          (void);

char         *exk_key_finder_parse_key            (const char           *text,
                                                   GError              **error);
gboolean      exk_key_finder_looks_like_key       (const char           *text);

ExkKeyFinder *exk_key_finder_new                  (ExkAccountManager    *manager);

gboolean      exk_key_finder_get_searching        (ExkKeyFinder         *self);
const char   *exk_key_finder_get_asking           (ExkKeyFinder         *self);
ExkAccount   *exk_key_finder_get_account          (ExkKeyFinder         *self);
ExkClient    *exk_key_finder_get_client           (ExkKeyFinder         *self);
ExkToken     *exk_key_finder_get_token            (ExkKeyFinder         *self);
ExkProject   *exk_key_finder_get_project          (ExkKeyFinder         *self);
const char   *exk_key_finder_get_project_name     (ExkKeyFinder         *self);
const char   *exk_key_finder_get_organization_name (ExkKeyFinder        *self);
gboolean      exk_key_finder_get_busy             (ExkKeyFinder         *self);
gboolean      exk_key_finder_get_deleted          (ExkKeyFinder         *self);
guint         exk_key_finder_get_n_failures       (ExkKeyFinder         *self);
const GError *exk_key_finder_get_failure          (ExkKeyFinder         *self,
                                                   guint                 index,
                                                   ExkAccount          **account);

void          exk_key_finder_find_async           (ExkKeyFinder         *self,
                                                   const char           *text,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      exk_key_finder_find_finish          (ExkKeyFinder         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void          exk_key_finder_set_disabled_async   (ExkKeyFinder         *self,
                                                   gboolean              disabled,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      exk_key_finder_set_disabled_finish  (ExkKeyFinder         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void          exk_key_finder_delete_async         (ExkKeyFinder         *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean      exk_key_finder_delete_finish        (ExkKeyFinder         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

void          exk_key_finder_clear                (ExkKeyFinder         *self);

G_END_DECLS

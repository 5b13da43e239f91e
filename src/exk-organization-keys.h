// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-client.h"
#include "exk-history.h"
#include "exk-organization-key.h"

G_BEGIN_DECLS

#define EXK_TYPE_ORGANIZATION_KEYS (exk_organization_keys_get_type ())

G_DECLARE_FINAL_TYPE (ExkOrganizationKeys, exk_organization_keys, EXK, ORGANIZATION_KEYS, GObject)

ExkOrganizationKeys *exk_organization_keys_new                 (ExkClient            *client,
                                                                const char           *org_id);
void                 exk_organization_keys_set_history         (ExkOrganizationKeys  *self,
                                                                ExkHistory           *history);
ExkClient           *exk_organization_keys_get_client          (ExkOrganizationKeys  *self);
const char          *exk_organization_keys_get_organization_id (ExkOrganizationKeys  *self);
gboolean             exk_organization_keys_get_loading         (ExkOrganizationKeys  *self);
gboolean             exk_organization_keys_get_loaded          (ExkOrganizationKeys  *self);
const GError        *exk_organization_keys_get_error           (ExkOrganizationKeys  *self);
guint                exk_organization_keys_get_n_keys          (ExkOrganizationKeys  *self);
guint                exk_organization_keys_get_n_disabled      (ExkOrganizationKeys  *self);
guint                exk_organization_keys_get_n_failed        (ExkOrganizationKeys  *self);
void                 exk_organization_keys_load                (ExkOrganizationKeys  *self);
void                 exk_organization_keys_close               (ExkOrganizationKeys  *self);
ExkOrganizationKey  *exk_organization_keys_find                (ExkOrganizationKeys  *self,
                                                                const char           *id,
                                                                guint                *position);

void                 exk_organization_keys_set_disabled_async  (ExkOrganizationKeys  *self,
                                                                const char * const   *ids,
                                                                gboolean              disabled,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean             exk_organization_keys_set_disabled_finish (ExkOrganizationKeys  *self,
                                                                GAsyncResult         *result,
                                                                guint                *n_failed,
                                                                GError              **error);
void                 exk_organization_keys_delete_async        (ExkOrganizationKeys  *self,
                                                                const char * const   *ids,
                                                                GAsyncReadyCallback   callback,
                                                                gpointer              user_data);
gboolean             exk_organization_keys_delete_finish       (ExkOrganizationKeys  *self,
                                                                GAsyncResult         *result,
                                                                guint                *n_failed,
                                                                GError              **error);

char                *exk_organization_keys_to_csv              (GListModel           *keys);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "exk-organization-keys-page.h"

G_BEGIN_DECLS

/* For tests and benchmarks only. */
GListModel        *exk_organization_keys_page_get_visible_keys (ExkOrganizationKeysPage *self);
GtkSelectionModel *exk_organization_keys_page_get_selection    (ExkOrganizationKeysPage *self);
const char        *exk_organization_keys_page_get_last_report  (ExkOrganizationKeysPage *self);
gboolean           exk_organization_keys_page_get_busy         (ExkOrganizationKeysPage *self);
void               exk_organization_keys_page_set_search_text  (ExkOrganizationKeysPage *self,
                                                                const char *text);
void               exk_organization_keys_page_export_async     (ExkOrganizationKeysPage *self,
                                                                GFile *file,
                                                                GAsyncReadyCallback callback,
                                                                gpointer user_data);
gboolean           exk_organization_keys_page_export_finish    (ExkOrganizationKeysPage *self,
                                                                GAsyncResult *result,
                                                                GError **error);

G_END_DECLS

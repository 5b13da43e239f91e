// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "exk-client.h"
#include "exk-organization-keys.h"

G_BEGIN_DECLS

#define EXK_TYPE_ORGANIZATION_KEYS_PAGE (exk_organization_keys_page_get_type ())

G_DECLARE_FINAL_TYPE (ExkOrganizationKeysPage, exk_organization_keys_page, EXK,
                      ORGANIZATION_KEYS_PAGE, GtkBox)

void         exk_organization_keys_page_set_client            (ExkOrganizationKeysPage *self,
                                                               ExkClient               *client,
                                                               ExkHistory              *history);
void         exk_organization_keys_page_show_organization     (ExkOrganizationKeysPage *self,
                                                               const char              *org_id);
const char  *exk_organization_keys_page_get_organization_id   (ExkOrganizationKeysPage *self);
const char  *exk_organization_keys_page_get_organization_name (ExkOrganizationKeysPage *self);
void         exk_organization_keys_page_focus_search          (ExkOrganizationKeysPage *self);
ExkOrganizationKeys *
             exk_organization_keys_page_get_keys              (ExkOrganizationKeysPage *self);

G_END_DECLS

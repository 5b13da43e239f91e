// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-key-list.h"

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT_PAGE (exk_project_page_get_type ())

/* How long a key made in the New API Key dialog stays highlighted. */
#define EXK_PROJECT_PAGE_HIGHLIGHT_SECONDS 4

G_DECLARE_FINAL_TYPE (ExkProjectPage, exk_project_page, EXK, PROJECT_PAGE, GtkBox)

void          exk_project_page_set_key_list    (ExkProjectPage *self,
                                                ExkKeyList     *key_list);
ExkKeyList   *exk_project_page_get_key_list    (ExkProjectPage *self);
ExkProject   *exk_project_page_get_project     (ExkProjectPage *self);
AdwViewStack *exk_project_page_get_view_stack  (ExkProjectPage *self);
void          exk_project_page_refresh         (ExkProjectPage *self);
void          exk_project_page_focus_key       (ExkProjectPage *self,
                                                const char     *key_id);
void          exk_project_page_replace_key     (ExkProjectPage *self,
                                                const char     *key_id);

G_END_DECLS

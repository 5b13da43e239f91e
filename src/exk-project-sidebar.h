// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "exk-client.h"
#include "exk-project-cache.h"

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT_SIDEBAR (exk_project_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (ExkProjectSidebar, exk_project_sidebar, EXK, PROJECT_SIDEBAR, GtkBox)

void        exk_project_sidebar_set_cache            (ExkProjectSidebar *self,
                                                      ExkProjectCache   *cache);
void        exk_project_sidebar_set_client           (ExkProjectSidebar *self,
                                                      ExkClient         *client);
void        exk_project_sidebar_refresh              (ExkProjectSidebar *self);
void        exk_project_sidebar_reload               (ExkProjectSidebar *self,
                                                      const char        *project_id);
const char *exk_project_sidebar_get_organization_filter (ExkProjectSidebar *self);
ExkProject *exk_project_sidebar_get_selected_project (ExkProjectSidebar *self);
void        exk_project_sidebar_select_project_id    (ExkProjectSidebar *self,
                                                      const char        *project_id);
void        exk_project_sidebar_set_key_capture      (ExkProjectSidebar *self,
                                                      GtkWidget         *widget);

void        exk_project_sidebar_set_search_text      (ExkProjectSidebar *self,
                                                      const char        *text);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "exk-project-sidebar.h"

G_BEGIN_DECLS

/* For tests and benchmarks only. */
GListModel *exk_project_sidebar_get_visible_projects (ExkProjectSidebar *self);
void        exk_project_sidebar_set_search_text      (ExkProjectSidebar *self,
                                                      const char        *text);

G_END_DECLS

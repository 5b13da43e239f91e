// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "exk-project-sidebar.h"

G_BEGIN_DECLS

/* For tests and benchmarks only. */
GListModel *exk_project_sidebar_get_visible_projects (ExkProjectSidebar *self);

G_END_DECLS

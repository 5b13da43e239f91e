// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-client.h"

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT_OVERVIEW (exk_project_overview_get_type ())

G_DECLARE_FINAL_TYPE (ExkProjectOverview, exk_project_overview, EXK, PROJECT_OVERVIEW, AdwBin)

GtkWidget  *exk_project_overview_new         (void);
void        exk_project_overview_set_project (ExkProjectOverview *self,
                                              ExkClient          *client,
                                              ExkProject         *project);
ExkProject *exk_project_overview_get_project (ExkProjectOverview *self);
void        exk_project_overview_set_keys    (ExkProjectOverview *self,
                                              GListModel         *keys);
void        exk_project_overview_refresh     (ExkProjectOverview *self);
void        exk_project_overview_choose_key  (ExkProjectOverview *self,
                                              const char         *id);

char       *exk_project_overview_dup_snippet (const char         *platform,
                                              const char         *key,
                                              const char         *base_url);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-key-list.h"

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT_SETTINGS (exk_project_settings_get_type ())

G_DECLARE_FINAL_TYPE (ExkProjectSettings, exk_project_settings, EXK, PROJECT_SETTINGS, AdwBin)

GtkWidget *exk_project_settings_new          (void);
void       exk_project_settings_set_key_list (ExkProjectSettings *self,
                                              ExkKeyList         *key_list);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include "exk-client.h"
#include "exk-history.h"

G_BEGIN_DECLS

#define EXK_TYPE_NEW_PROJECT_DIALOG (exk_new_project_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ExkNewProjectDialog, exk_new_project_dialog, EXK, NEW_PROJECT_DIALOG,
                      AdwWindow)

ExkNewProjectDialog *exk_new_project_dialog_new          (GtkWindow           *parent,
                                                          ExkClient           *client,
                                                          const char          *organization_id,
                                                          ExkHistory          *history);
ExkProject          *exk_new_project_dialog_get_project  (ExkNewProjectDialog *self);
ExkToken            *exk_new_project_dialog_get_key      (ExkNewProjectDialog *self);
char                *exk_new_project_dup_billing_url     (const char          *base_url,
                                                          const char          *organization_id);

G_END_DECLS

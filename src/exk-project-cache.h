// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-project.h"

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT_CACHE (exk_project_cache_get_type ())

G_DECLARE_FINAL_TYPE (ExkProjectCache, exk_project_cache, EXK, PROJECT_CACHE, GObject)

ExkProjectCache *exk_project_cache_new             (const char           *account_key);
const char      *exk_project_cache_get_path        (ExkProjectCache      *self);

void             exk_project_cache_load_async      (ExkProjectCache      *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray       *exk_project_cache_load_finish     (ExkProjectCache      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
void             exk_project_cache_save_async      (ExkProjectCache      *self,
                                                    GPtrArray            *projects,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean         exk_project_cache_save_finish     (ExkProjectCache      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);
gboolean         exk_project_cache_remove          (ExkProjectCache      *self,
                                                    GError              **error);


G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-project.h"

G_BEGIN_DECLS

void        exk_project_sort_async          (GPtrArray            *projects,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
GPtrArray  *exk_project_sort_finish         (GAsyncResult         *result,
                                             GError              **error);
gboolean    exk_project_matches_search      (ExkProject           *project,
                                             const char           *search_key);

G_END_DECLS

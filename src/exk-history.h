// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "exk-history-entry.h"

G_BEGIN_DECLS

/* How long a change is kept in the history. */
#define EXK_HISTORY_KEEP_DAYS 365

#define EXK_TYPE_HISTORY (exk_history_get_type ())

G_DECLARE_FINAL_TYPE (ExkHistory, exk_history, EXK, HISTORY, GObject)

ExkHistory *exk_history_new         (const char           *account_key);
ExkHistory *exk_history_new_memory  (void);
const char *exk_history_get_path    (ExkHistory           *self);
gboolean    exk_history_get_loaded  (ExkHistory           *self);
void        exk_history_load_async  (ExkHistory           *self,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean    exk_history_load_finish (ExkHistory           *self,
                                     GAsyncResult         *result,
                                     GError              **error);
void        exk_history_record      (ExkHistory           *self,
                                     ExkHistoryAction      action,
                                     const char           *project_id,
                                     const char           *project_name,
                                     const char           *key,
                                     const char           *replacement,
                                     const char           *notes);
void        exk_history_flush       (ExkHistory           *self);

G_END_DECLS

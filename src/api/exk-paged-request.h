// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

#include "exk-client.h"

G_BEGIN_DECLS

/* Builds one list item; returns a new GObject or NULL with an error set. */
typedef gpointer (*ExkPagedItemFunc) (JsonObject  *object,
                                      GError     **error);

/* Hard stop for a server that keeps sending full pages. */
#define EXK_PAGED_REQUEST_MAX_PAGES 200

void       exk_paged_request_run_async     (ExkClient            *client,
                                            const char           *path,
                                            const char           *query,
                                            guint                 limit,
                                            ExkPagedItemFunc      item_new,
                                            const char           *what,
                                            gpointer              source_tag,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray *exk_paged_request_run_finish    (GAsyncResult         *result,
                                            GError              **error);

gboolean   exk_paged_request_link_has_next (const char           *link);
gint64     exk_paged_request_parse_result_count (const char      *value);

G_END_DECLS

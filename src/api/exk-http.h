// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* What one answer may be: the server controls it, so everything is bounded. */
#define EXK_HTTP_MAX_PAGE_SIZE   (32 * 1024 * 1024)   /* a page of a list */
#define EXK_HTTP_MAX_OBJECT_SIZE (4 * 1024 * 1024)    /* one project, key, user… */

void    exk_http_send_async  (SoupSession          *session,
                              SoupMessage          *message,
                              gsize                 max_size,
                              guint                 deadline_seconds,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data);
GBytes *exk_http_send_finish (GAsyncResult         *result,
                              GError              **error);
char   *exk_http_redact_keys (const char           *text);

G_END_DECLS

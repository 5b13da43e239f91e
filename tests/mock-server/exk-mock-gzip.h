// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A gzip body that inflates to @size bytes of [0,0,0,…], built on a worker
 * thread: a gibibyte takes seconds to compress, and gives about 1 MiB. */
void    exk_mock_gzip_bomb_async  (guint64               size,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data);
GBytes *exk_mock_gzip_bomb_finish (GAsyncResult         *result,
                                   GError              **error);

G_END_DECLS

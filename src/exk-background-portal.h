// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     exk_background_portal_request_async  (GDBusConnection      *connection,
                                               const char           *reason,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean exk_background_portal_request_finish (GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS

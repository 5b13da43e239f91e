// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "exk-client.h"

G_BEGIN_DECLS

SoupSession *exk_client_get_session       (ExkClient    *self);
guint        exk_client_get_token_serial  (ExkClient    *self);
void         exk_client_check_session     (ExkClient    *self,
                                           guint         token_serial,
                                           guint         status);
SoupMessage *exk_client_new_message      (ExkClient    *self,
                                           const char   *method,
                                           const char   *path,
                                           const char   *query,
                                           JsonNode     *body,
                                           const char   *bearer,
                                           GError      **error);

G_END_DECLS

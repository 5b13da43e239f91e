// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXK_TYPE_TOKEN (exk_token_get_type ())

G_DECLARE_FINAL_TYPE (ExkToken, exk_token, EXK, TOKEN, GObject)

ExkToken            *exk_token_new_from_json           (JsonObject  *object,
                                                        GError     **error);

const char          *exk_token_get_id                  (ExkToken    *self);
const char          *exk_token_get_organization_id     (ExkToken    *self);
const char          *exk_token_get_project_id          (ExkToken    *self);
const char          *exk_token_get_user_id             (ExkToken    *self);
const char          *exk_token_get_default_project_id  (ExkToken    *self);
const char * const  *exk_token_get_scopes              (ExkToken    *self);
GDateTime           *exk_token_get_expires             (ExkToken    *self);
const char          *exk_token_get_notes               (ExkToken    *self);
gboolean             exk_token_get_is_disabled         (ExkToken    *self);
gboolean             exk_token_get_is_suspended        (ExkToken    *self);
GDateTime           *exk_token_get_created             (ExkToken    *self);
GDateTime           *exk_token_get_updated             (ExkToken    *self);

gboolean             exk_token_has_scope               (ExkToken    *self,
                                                        const char  *scope);
gboolean             exk_token_is_expired              (ExkToken    *self,
                                                        GDateTime   *now);
void                 exk_token_update_from             (ExkToken    *self,
                                                        ExkToken    *newer);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXK_TYPE_USER (exk_user_get_type ())

G_DECLARE_FINAL_TYPE (ExkUser, exk_user, EXK, USER, GObject)

ExkUser              *exk_user_new_from_json                 (JsonObject  *object,
                                                              GError     **error);

const char           *exk_user_get_id                        (ExkUser *self);
const char           *exk_user_get_full_name                 (ExkUser *self);
const char           *exk_user_get_email_address             (ExkUser *self);
gboolean              exk_user_get_has_local_account         (ExkUser *self);
gboolean              exk_user_get_is_email_address_verified (ExkUser *self);
gboolean              exk_user_get_is_active                 (ExkUser *self);
const char * const   *exk_user_get_roles                     (ExkUser *self);
const char * const   *exk_user_get_organization_ids          (ExkUser *self);

G_END_DECLS

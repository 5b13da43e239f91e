// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXK_TYPE_ORGANIZATION (exk_organization_get_type ())

G_DECLARE_FINAL_TYPE (ExkOrganization, exk_organization, EXK, ORGANIZATION, GObject)

ExkOrganization  *exk_organization_new_from_json            (JsonObject  *object,
                                                             GError     **error);

const char       *exk_organization_get_id                   (ExkOrganization *self);
const char       *exk_organization_get_name                 (ExkOrganization *self);
const char       *exk_organization_get_plan_name            (ExkOrganization *self);
GDateTime        *exk_organization_get_created              (ExkOrganization *self);
gint64            exk_organization_get_project_count        (ExkOrganization *self);
gboolean          exk_organization_get_is_suspended         (ExkOrganization *self);
gint64            exk_organization_get_max_projects         (ExkOrganization *self);
gboolean          exk_organization_get_has_premium_features (ExkOrganization *self);

G_END_DECLS

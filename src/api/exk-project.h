// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXK_TYPE_PROJECT (exk_project_get_type ())

G_DECLARE_FINAL_TYPE (ExkProject, exk_project, EXK, PROJECT, GObject)

ExkProject   *exk_project_new_from_json            (JsonObject  *object,
                                                    GError     **error);

const char   *exk_project_get_id                   (ExkProject *self);
const char   *exk_project_get_name                 (ExkProject *self);
const char   *exk_project_get_organization_id      (ExkProject *self);
const char   *exk_project_get_organization_name    (ExkProject *self);
GDateTime    *exk_project_get_created              (ExkProject *self);
gint64        exk_project_get_stack_count          (ExkProject *self);
gint64        exk_project_get_event_count          (ExkProject *self);
gboolean      exk_project_get_is_configured        (ExkProject *self);
gboolean      exk_project_get_has_premium_features (ExkProject *self);

G_END_DECLS

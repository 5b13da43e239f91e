// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-token.h"

G_BEGIN_DECLS

/* The columns of the All Keys list, in the order shown. */
typedef enum
{
  EXK_ORGANIZATION_KEY_COLUMN_PREFIX,
  EXK_ORGANIZATION_KEY_COLUMN_PROJECT,
  EXK_ORGANIZATION_KEY_COLUMN_SCOPES,
  EXK_ORGANIZATION_KEY_COLUMN_NOTES,
  EXK_ORGANIZATION_KEY_COLUMN_CREATED,
  EXK_ORGANIZATION_KEY_COLUMN_EXPIRES,
  EXK_ORGANIZATION_KEY_COLUMN_STATE,
} ExkOrganizationKeyColumn;

#define EXK_TYPE_ORGANIZATION_KEY (exk_organization_key_get_type ())

G_DECLARE_FINAL_TYPE (ExkOrganizationKey, exk_organization_key, EXK, ORGANIZATION_KEY, GObject)

ExkOrganizationKey *exk_organization_key_new                (ExkToken           *token,
                                                             const char         *project_name,
                                                             GDateTime          *now);
ExkToken           *exk_organization_key_get_token          (ExkOrganizationKey *self);
const char         *exk_organization_key_get_id             (ExkOrganizationKey *self);
const char         *exk_organization_key_get_prefix         (ExkOrganizationKey *self);
const char         *exk_organization_key_get_project_name   (ExkOrganizationKey *self);
const char         *exk_organization_key_get_scopes         (ExkOrganizationKey *self);
const char         *exk_organization_key_get_notes          (ExkOrganizationKey *self);
gint64              exk_organization_key_get_created        (ExkOrganizationKey *self);
gint64              exk_organization_key_get_expires        (ExkOrganizationKey *self);
const char         *exk_organization_key_get_created_text   (ExkOrganizationKey *self);
const char         *exk_organization_key_get_expires_text   (ExkOrganizationKey *self);
const char         *exk_organization_key_get_expires_detail (ExkOrganizationKey *self);
gboolean            exk_organization_key_get_disabled       (ExkOrganizationKey *self);
gboolean            exk_organization_key_get_expired        (ExkOrganizationKey *self);
gboolean            exk_organization_key_get_organization_wide (ExkOrganizationKey *self);
gboolean            exk_organization_key_get_user_scope     (ExkOrganizationKey *self);
const char         *exk_organization_key_get_state          (ExkOrganizationKey *self);
const char         *exk_organization_key_get_failure        (ExkOrganizationKey *self);
void                exk_organization_key_set_failure        (ExkOrganizationKey *self,
                                                             const char         *failure);
gboolean            exk_organization_key_get_busy           (ExkOrganizationKey *self);
void                exk_organization_key_set_busy           (ExkOrganizationKey *self,
                                                             gboolean            busy);
void                exk_organization_key_update             (ExkOrganizationKey *self,
                                                             ExkToken           *newer,
                                                             GDateTime          *now);
gboolean            exk_organization_key_matches            (ExkOrganizationKey *self,
                                                             const char         *search_key);
int                 exk_organization_key_compare            (ExkOrganizationKey *a,
                                                             ExkOrganizationKey *b,
                                                             ExkOrganizationKeyColumn column);

G_END_DECLS

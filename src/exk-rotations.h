// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EXK_TYPE_ROTATIONS (exk_rotations_get_type ())

G_DECLARE_FINAL_TYPE (ExkRotations, exk_rotations, EXK, ROTATIONS, GObject)

ExkRotations *exk_rotations_new               (GSettings    *settings,
                                               const char   *account_key);
void          exk_rotations_add               (ExkRotations *self,
                                               const char   *project_id,
                                               const char   *new_key,
                                               const char   *old_key);
char        **exk_rotations_dup_links         (ExkRotations *self,
                                               const char   *project_id);
void          exk_rotations_forget_key        (ExkRotations *self,
                                               const char   *project_id,
                                               const char   *key);
void          exk_rotations_forget_missing    (ExkRotations *self,
                                               const char   *project_id,
                                               GHashTable   *keys_by_fingerprint);
void          exk_rotations_forget_account    (ExkRotations *self);

char         *exk_rotations_fingerprint       (const char   *key);

G_END_DECLS

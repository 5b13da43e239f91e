// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-client.h"
#include "exk-history.h"
#include "exk-key-state.h"
#include "exk-rotations.h"

G_BEGIN_DECLS

#define EXK_TYPE_KEY_LIST (exk_key_list_get_type ())

G_DECLARE_FINAL_TYPE (ExkKeyList, exk_key_list, EXK, KEY_LIST, GObject)

ExkKeyList   *exk_key_list_new                 (ExkClient            *client,
                                                ExkProject           *project,
                                                const char           *user_id,
                                                ExkRotations         *rotations);
ExkClient    *exk_key_list_get_client          (ExkKeyList           *self);
ExkProject   *exk_key_list_get_project         (ExkKeyList           *self);
ExkRotations *exk_key_list_get_rotations       (ExkKeyList           *self);
gboolean      exk_key_list_get_loading         (ExkKeyList           *self);
gboolean      exk_key_list_get_loaded          (ExkKeyList           *self);
const GError *exk_key_list_get_error           (ExkKeyList           *self);
gboolean      exk_key_list_get_closed          (ExkKeyList           *self);
void          exk_key_list_set_history         (ExkKeyList           *self,
                                                ExkHistory           *history);
ExkHistory   *exk_key_list_get_history         (ExkKeyList           *self);
ExkToken     *exk_key_list_find                (ExkKeyList           *self,
                                                const char           *id,
                                                guint                *position);
ExkKeyState  *exk_key_list_get_state           (ExkKeyList           *self,
                                                const char           *id);
gboolean      exk_key_list_can_delete          (ExkKeyList           *self,
                                                ExkToken             *token);
void          exk_key_list_dismiss_rotation    (ExkKeyList           *self,
                                                const char           *id);
void          exk_key_list_stop_waiting        (ExkKeyList           *self,
                                                const char           *id);
void          exk_key_list_close               (ExkKeyList           *self);

void          exk_key_list_reload_async        (ExkKeyList           *self,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      exk_key_list_reload_finish       (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

void          exk_key_list_create_async        (ExkKeyList           *self,
                                                const char * const   *scopes,
                                                const char           *notes,
                                                GDateTime            *expires,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
ExkToken     *exk_key_list_create_finish       (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          exk_key_list_rotate_async        (ExkKeyList           *self,
                                                const char           *old_id,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
ExkToken     *exk_key_list_rotate_finish       (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          exk_key_list_set_notes_async     (ExkKeyList           *self,
                                                const char           *id,
                                                const char           *notes,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      exk_key_list_set_notes_finish    (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          exk_key_list_set_disabled_async  (ExkKeyList           *self,
                                                const char           *id,
                                                gboolean              disabled,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      exk_key_list_set_disabled_finish (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          exk_key_list_delete_async        (ExkKeyList           *self,
                                                const char           *id,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean      exk_key_list_delete_finish       (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);
void          exk_key_list_check_async         (ExkKeyList           *self,
                                                const char           *id,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
ExkKeyCheck   exk_key_list_check_finish        (ExkKeyList           *self,
                                                GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS

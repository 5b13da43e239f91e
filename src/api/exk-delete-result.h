// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define EXK_TYPE_DELETE_RESULT (exk_delete_result_get_type ())

G_DECLARE_FINAL_TYPE (ExkDeleteResult, exk_delete_result, EXK, DELETE_RESULT, GObject)

ExkDeleteResult     *exk_delete_result_new_all_deleted     (const char * const *ids);
ExkDeleteResult     *exk_delete_result_new_from_json       (JsonObject         *object,
                                                            const char * const *requested_ids,
                                                            GError            **error);

const char * const  *exk_delete_result_get_deleted         (ExkDeleteResult    *self);
guint                exk_delete_result_get_n_failures      (ExkDeleteResult    *self);
const char          *exk_delete_result_get_failure_id      (ExkDeleteResult    *self,
                                                            guint               index);
guint                exk_delete_result_get_failure_status  (ExkDeleteResult    *self,
                                                            guint               index);
const char          *exk_delete_result_get_failure_message (ExkDeleteResult    *self,
                                                            guint               index);
gboolean             exk_delete_result_is_complete         (ExkDeleteResult    *self);

G_END_DECLS

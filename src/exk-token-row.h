// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "exk-token.h"

G_BEGIN_DECLS

#define EXK_TYPE_TOKEN_ROW (exk_token_row_get_type ())

G_DECLARE_FINAL_TYPE (ExkTokenRow, exk_token_row, EXK, TOKEN_ROW, GtkListBoxRow)

GtkWidget  *exk_token_row_new               (ExkToken    *token);
ExkToken   *exk_token_row_get_token         (ExkTokenRow *self);
void        exk_token_row_set_busy          (ExkTokenRow *self,
                                             gboolean     busy);
void        exk_token_row_set_replacement   (ExkTokenRow *self,
                                             const char  *note);
void        exk_token_row_set_check_result  (ExkTokenRow *self,
                                             gboolean     works,
                                             const char  *message);
gboolean    exk_token_row_get_revealed      (ExkTokenRow *self);

G_END_DECLS

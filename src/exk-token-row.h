// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gtk/gtk.h>

#include "exk-key-state.h"
#include "exk-token.h"

G_BEGIN_DECLS

#define EXK_TYPE_TOKEN_ROW (exk_token_row_get_type ())

/* How long a request about a key runs before its row offers to stop waiting. */
#define EXK_TOKEN_ROW_WAITING_SECONDS 3

G_DECLARE_FINAL_TYPE (ExkTokenRow, exk_token_row, EXK, TOKEN_ROW, GtkWidget)

GtkWidget  *exk_token_row_new               (void);
void        exk_token_row_bind              (ExkTokenRow *self,
                                             ExkToken    *token,
                                             ExkKeyState *state,
                                             gboolean     can_delete);
void        exk_token_row_unbind            (ExkTokenRow *self);
ExkToken   *exk_token_row_get_token         (ExkTokenRow *self);

G_END_DECLS

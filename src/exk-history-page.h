// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <adwaita.h>

#include "exk-history.h"

G_BEGIN_DECLS

#define EXK_TYPE_HISTORY_PAGE (exk_history_page_get_type ())

G_DECLARE_FINAL_TYPE (ExkHistoryPage, exk_history_page, EXK, HISTORY_PAGE, GtkBox)

void        exk_history_page_set_history (ExkHistoryPage *self,
                                          ExkHistory     *history);
ExkHistory *exk_history_page_get_history (ExkHistoryPage *self);
guint       exk_history_page_get_n_shown (ExkHistoryPage *self);

G_END_DECLS

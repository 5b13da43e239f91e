// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "exk-project-page.h"

G_BEGIN_DECLS

/* For tests: the row that shows the key @key_id now (the list view builds
 * rows only around the visible keys), or %NULL. */
GtkWidget  *exk_project_page_get_row         (ExkProjectPage *self,
                                              const char     *key_id);

/* For tests: how many rows the list view built. */
guint       exk_project_page_get_n_rows      (ExkProjectPage *self);

/* For tests: the id of the new key shown highlighted, or %NULL. */
const char *exk_project_page_get_highlighted (ExkProjectPage *self);

/* For tests: the toasts (AdwToast) the page showed that are still up or queued. */
GPtrArray  *exk_project_page_get_toasts      (ExkProjectPage *self);

G_END_DECLS

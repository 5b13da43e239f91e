// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

#include <json-glib/json-glib.h>

#include "exk-account-manager.h"

G_BEGIN_DECLS

typedef gboolean (*ExkTestCondition) (gpointer data);

void               exk_test_init_ui             (int             *argc,
                                                 char           ***argv);
guint              exk_test_scale_timeout       (guint             ms);
gboolean           exk_test_wait_until          (ExkTestCondition  condition,
                                                 gpointer          data,
                                                 guint             timeout_ms);
void               exk_test_wait_until_mapped   (GtkWidget        *widget);
void               exk_test_wait_for_paint      (GtkWidget        *widget);
gboolean           exk_test_window_shows_main   (gpointer          window);
gboolean           exk_test_window_shows_sign_in (gpointer         window);
GtkWidget         *exk_test_template_child      (gpointer          widget,
                                                 GType             template_type,
                                                 const char       *name);
ExkAccountManager *exk_test_new_manager         (void);
void               exk_test_save_screenshot     (GtkWidget        *widget,
                                                 const char       *name);
JsonNode          *exk_test_http_get_json       (const char       *base_url,
                                                 const char       *path,
                                                 guint            *status);
void               exk_test_clear_requests      (const char       *base_url);
gboolean           exk_test_server_says_disabled (const char      *base_url,
                                                  const char      *id);
guint              exk_test_count_requests      (const char       *base_url,
                                                 const char       *method,
                                                 const char       *path_prefix);
void               exk_test_finalize_soon       (gpointer          object);
void               exk_test_assert_icon_buttons_labelled (GtkWidget *root);
void               exk_test_click               (GtkWidget        *button);
gpointer           exk_test_find_toplevel       (GType             type);

#define exk_test_assert_wait(cond, data) \
  g_assert_true (exk_test_wait_until ((ExkTestCondition) (cond), (data), 10000))

G_END_DECLS

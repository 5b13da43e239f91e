// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

#include "exk-mock-request.h"
#include "exk-mock-store.h"

G_BEGIN_DECLS

#define EXK_MOCK_DEFAULT_RATE_LIMIT 100000

#define EXK_TYPE_MOCK_API (exk_mock_api_get_type ())

G_DECLARE_FINAL_TYPE (ExkMockApi, exk_mock_api, EXK, MOCK_API, GObject)

ExkMockApi   *exk_mock_api_new       (guint            projects,
                                      guint            tokens,
                                      guint            organization_tokens,
                                      const char      *seed_file,
                                      guint            rate_limit,
                                      GError         **error);
gboolean      exk_mock_api_reset     (ExkMockApi      *self,
                                      GError         **error);
ExkMockStore *exk_mock_api_get_store (ExkMockApi      *self);
void          exk_mock_api_handle    (ExkMockApi      *self,
                                      ExkMockRequest  *request);

G_END_DECLS

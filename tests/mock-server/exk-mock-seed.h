// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "exk-mock-store.h"

G_BEGIN_DECLS

#define EXK_MOCK_ACME_ORGANIZATION_ID  "537650f3b77efe23a47914f3"
#define EXK_MOCK_FREE_ORGANIZATION_ID  "537650f3b77efe23a47914f5"
#define EXK_MOCK_LABS_ORGANIZATION_ID  "64b7e2a9c1d04f5e8a9b0c11"
#define EXK_MOCK_PISTOL_PROJECT_ID     "537650f3b77efe23a47914f4"
#define EXK_MOCK_ROCKET_PROJECT_ID     "537650f3b77efe23a47914f7"
#define EXK_MOCK_FREE_PROJECT_ID       "537650f3b77efe23a47914f6"
#define EXK_MOCK_DEMO_EMAIL            "org@localhost"
#define EXK_MOCK_DEMO_PASSWORD         "tester"

void exk_mock_seed_demo                (ExkMockStore *store,
                                        gint64        now);
void exk_mock_seed_generate_projects   (ExkMockStore *store,
                                        guint         count);
void exk_mock_seed_generate_tokens     (ExkMockStore *store,
                                        guint         count);
void exk_mock_seed_generate_organization_tokens (ExkMockStore *store,
                                                 guint         count,
                                                 gint64        now);
void exk_mock_seed_ensure_demo_login   (ExkMockStore *store,
                                        gint64        now);

G_END_DECLS

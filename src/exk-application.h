// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define EXK_TYPE_APPLICATION (exk_application_get_type ())

G_DECLARE_FINAL_TYPE (ExkApplication, exk_application, EXK, APPLICATION, AdwApplication)

ExkApplication *exk_application_new (void);

G_END_DECLS

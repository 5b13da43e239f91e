// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define EXK_HOSTED_BASE_URL "https://api.exceptionless.io"

char *exk_base_url_normalize (const char  *input,
                              GError     **error);

G_END_DECLS

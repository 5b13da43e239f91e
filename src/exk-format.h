// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *exk_format_key_prefix      (const char *key);
char *exk_format_masked_key      (const char *key);
char *exk_format_relative_date   (GDateTime  *date,
                                  GDateTime  *now);
char *exk_format_day             (GDateTime  *date);
char *exk_format_full_date       (GDateTime  *date);
char *exk_format_expiry          (GDateTime  *expires,
                                  GDateTime  *now);
char *exk_format_count           (gint64      count);
char *exk_format_error_reason    (const GError *error);

G_END_DECLS

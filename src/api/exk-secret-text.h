// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void exk_secret_text_free (gpointer text);

G_END_DECLS

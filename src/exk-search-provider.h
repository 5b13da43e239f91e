// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "exk-account.h"
#include "exk-project.h"

G_BEGIN_DECLS

/* At most this many projects are returned to GNOME Shell for one search. */
#define EXK_SEARCH_PROVIDER_MAX_RESULTS 50

#define EXK_TYPE_SEARCH_PROVIDER (exk_search_provider_get_type ())

G_DECLARE_FINAL_TYPE (ExkSearchProvider, exk_search_provider, EXK, SEARCH_PROVIDER, GObject)

ExkSearchProvider *exk_search_provider_new        (GListModel        *accounts);
gboolean           exk_search_provider_register   (ExkSearchProvider *self,
                                                   GDBusConnection   *connection,
                                                   const char        *object_path,
                                                   GError           **error);
void               exk_search_provider_unregister (ExkSearchProvider *self);

G_END_DECLS

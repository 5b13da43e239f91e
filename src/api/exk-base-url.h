// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define EXK_HOSTED_BASE_URL "https://api.exceptionless.io"

/**
 * ExkBaseUrlFlags:
 * @EXK_BASE_URL_DEFAULT: plain `http` only for this computer
 * @EXK_BASE_URL_ALLOW_PLAIN_HTTP: the user chose to reach this server without encryption
 */
typedef enum
{
  EXK_BASE_URL_DEFAULT          = 0,
  EXK_BASE_URL_ALLOW_PLAIN_HTTP = 1 << 0,
} ExkBaseUrlFlags;

char     *exk_base_url_normalize        (const char           *input,
                                         GError              **error);
char     *exk_base_url_normalize_full   (const char           *input,
                                         ExkBaseUrlFlags       flags,
                                         GError              **error);
gboolean  exk_base_url_is_loopback      (const char           *base_url);
gboolean  exk_base_url_is_plain_http    (const char           *base_url);
char     *exk_base_url_dup_address      (const char           *base_url);
char     *exk_base_url_dup_host_port    (const char           *base_url);
char     *exk_base_url_dup_authority    (const char           *base_url);

void      exk_base_url_resolve_async    (const char           *input,
                                         const char * const   *plain_http_servers,
                                         ExkBaseUrlFlags       flags,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
char     *exk_base_url_resolve_finish   (GAsyncResult         *result,
                                         GError              **error);

void      exk_base_url_set_remote_hosts_for_testing (const char * const *hosts);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <gio/gio.h>

#include "exk-api-error.h"
#include "exk-base-url.h"

/* exk_base_url_normalize() on what someone types or pastes. The input is that text, cut at
 * a NUL as a GtkEntry would hand it over. An accepted address is a fixed point (it is
 * stored and normalized again at every start), has nothing after the path, and is plain
 * http:// only to this computer: the token travels to it. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Written without exk-base-url.c: localhost and its subdomains (RFC 6761), 127.0.0.0/8
 * and ::1. */
static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  const guint8 *bytes;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  if (strlen (host) > strlen (".localhost") &&
      g_ascii_strcasecmp (host + strlen (host) - strlen (".localhost"), ".localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    return FALSE;

  bytes = g_inet_address_to_bytes (address);
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return bytes[0] == 127;

  for (guint i = 0; i < 15; i++)
    {
      if (bytes[i] != 0)
        return FALSE;
    }

  return bytes[15] == 1;
}

static void
check_accepted (const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *again = NULL;
  const char *scheme;
  const char *host;

  /* A fixed point: normalizing the stored address changes nothing. */
  again = exk_base_url_normalize (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, url);

  for (const char *p = url; *p != '\0'; p++)
    g_assert_false (g_ascii_isspace (*p) || g_ascii_iscntrl (*p));
  g_assert_false (g_str_has_suffix (url, "/"));

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  g_assert_null (g_uri_get_userinfo (uri));
  g_assert_null (g_uri_get_query (uri));
  g_assert_null (g_uri_get_fragment (uri));
  g_assert_cmpint (g_uri_get_port (uri), !=, 0);

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  g_assert_nonnull (host);
  g_assert_cmpstr (host, !=, "");

  if (g_str_equal (scheme, "http"))
    g_assert_true (is_loopback (host));
  else
    g_assert_cmpstr (scheme, ==, "https");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = exk_base_url_normalize (input, &error);

  if (url == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL) ||
                     g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL));
      g_assert_cmpstr (error->message, !=, "");
      /* The message quotes the input; what an entry holds is always UTF-8. */
      if (g_utf8_validate (input, -1, NULL))
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  g_assert_no_error (error);
  check_accepted (url);

  return 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-base-url.h"

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
is_valid_host (const char *host)
{
  if (*host == '\0')
    return FALSE;

  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* Letters, digits, hyphens and dots; g_uri_parse() lets much more through. */
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
        return FALSE;
    }

  return strstr (host, "..") == NULL && host[0] != '.' && host[0] != '-';
}

static void
strip_trailing_slashes (GString *path)
{
  while (path->len > 0 && path->str[path->len - 1] == '/')
    g_string_truncate (path, path->len - 1);
}

static gboolean
set_invalid (GError     **error,
             const char  *input)
{
  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
               _("“%s” is not a server address. Enter an address such as "
                 "“https://api.exceptionless.io” or “exceptionless.example.com”."),
               input);
  return FALSE;
}

/**
 * exk_base_url_normalize:
 * @input: what someone typed or pasted as the server address
 * @error: return location for %EXK_API_ERROR_INVALID_URL or %EXK_API_ERROR_INSECURE_URL
 *
 * Turns @input into the base URL the client puts `/api/v2/…` after: `https` is assumed
 * when no scheme is given, the host is lower-cased, a self-hosted path is kept, and
 * trailing slashes and a pasted `/api/v2` are dropped. Plain `http` is accepted only
 * for this computer, because the token would otherwise cross the network readable.
 *
 * Returns: (transfer full) (nullable): the base URL without a trailing slash
 */
char *
exk_base_url_normalize (const char  *input,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  int port;

  if (input == NULL)
    input = "";

  trimmed = g_strstrip (g_strdup (input));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("Enter the address of the Exceptionless server."));
      return NULL;
    }

  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("https://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  for (const char *p = with_scheme; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          set_invalid (error, trimmed);
          return NULL;
        }
    }

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      set_invalid (error, trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                   _("Exkeys cannot connect to “%s” addresses. Enter an address that starts "
                     "with “https://”."),
                   scheme);
      return NULL;
    }

  /* Internationalized names travel as punycode. */
  if (g_uri_get_host (uri) != NULL && g_hostname_is_non_ascii (g_uri_get_host (uri)))
    host = g_hostname_to_ascii (g_uri_get_host (uri));
  else
    host = g_strdup (g_uri_get_host (uri));

  if (host == NULL || !is_valid_host (host))
    {
      set_invalid (error, trimmed);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("The server address must not contain a user name or password. "
                             "Remove the part before “@”."));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("The server address must not contain “?” or “#”. Enter only the "
                             "address of the server."));
      return NULL;
    }

  lower = g_ascii_strdown (host, -1);
  g_free (host);
  host = g_steal_pointer (&lower);
  scheme = g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http";

  if (g_str_equal (scheme, "http") && !is_loopback_host (host))
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
                   _("Exkeys only sends your token over HTTPS, so that nobody on the network "
                     "can read it. Use “https://%s” instead; plain “http://” is allowed only "
                     "for a server on this computer."),
                   host);
      return NULL;
    }

  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    port = -1;

  path = g_string_new (g_uri_get_path (uri));
  strip_trailing_slashes (path);
  if (path->len >= strlen ("/api/v2") &&
      g_ascii_strcasecmp (path->str + path->len - strlen ("/api/v2"), "/api/v2") == 0)
    {
      g_string_truncate (path, path->len - strlen ("/api/v2"));
      strip_trailing_slashes (path);
    }

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path->str, NULL, NULL);
}

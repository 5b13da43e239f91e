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

  /* An IPv6 zone (fe80::1%25eth0): GLib hands it back decoded, and the address built
   * from that would not parse again. */
  if (strchr (host, '%') != NULL)
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
has_api_suffix (GString *path)
{
  const gsize suffix_len = strlen ("/api/v2");

  return path->len >= suffix_len &&
         g_ascii_strcasecmp (path->str + path->len - suffix_len, "/api/v2") == 0;
}

/* Someone may paste the API root itself, even twice (…/api/v2/api/v2/): every trailing
 * `/api/v2` goes, not just the last one, so that normalizing the result again changes
 * nothing; otherwise the address would shrink once more at every start. */
static char *
normalize_path (const char *raw)
{
  GString *path = g_string_new (raw);

  strip_trailing_slashes (path);
  while (has_api_suffix (path))
    {
      g_string_truncate (path, path->len - strlen ("/api/v2"));
      strip_trailing_slashes (path);
    }

  return g_string_free (path, FALSE);
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

/* “https:/host” has a scheme but no “//”: adding “https://” in front would make a host
 * named “https”. A colon that starts a port (“host:5000”) is fine. */
static gboolean
has_scheme_without_slashes (const char *input)
{
  const char *colon = strchr (input, ':');

  return colon != NULL && colon[1] == '/' && strstr (input, "://") == NULL;
}

static GUri *
parse_uri (const char  *trimmed,
           GError     **error)
{
  g_autofree char *with_scheme = NULL;
  GUri *uri;

  if (has_scheme_without_slashes (trimmed))
    {
      set_invalid (error, trimmed);
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
    set_invalid (error, trimmed);

  return uri;
}

/* Returns: (transfer full) (nullable): the host in lower-case ASCII */
static char *
normalize_host (GUri        *uri,
                const char  *trimmed,
                GError     **error)
{
  const char *raw = g_uri_get_host (uri);
  g_autofree char *host = NULL;

  /* Internationalized names travel as punycode. */
  if (raw != NULL && g_hostname_is_non_ascii (raw))
    host = g_hostname_to_ascii (raw);
  else
    host = g_strdup (raw);

  if (host == NULL || !is_valid_host (host))
    {
      set_invalid (error, trimmed);
      return NULL;
    }

  return g_ascii_strdown (host, -1);
}

static gboolean
check_nothing_else (GUri    *uri,
                    GError **error)
{
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("The server address must not contain a user name or password. "
                             "Remove the part before “@”."));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("The server address must not contain “?” or “#”. Enter only the "
                             "address of the server."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_secure (const char  *scheme,
              const char  *host,
              GError     **error)
{
  g_autofree char *suggestion = NULL;

  if (g_str_equal (scheme, "https") || is_loopback_host (host))
    return TRUE;

  /* g_uri_join() puts an IPv6 address in brackets. */
  suggestion = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, host, -1, "", NULL, NULL);
  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
               _("Exkeys only sends your token over HTTPS, so that nobody on the network "
                 "can read it. Use “%s” instead; plain “http://” is allowed only "
                 "for a server on this computer."),
               suggestion);
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
 * The result is a fixed point: normalizing it again gives it back unchanged, because it
 * is stored and normalized again at the next start.
 *
 * Returns: (transfer full) (nullable): the base URL without a trailing slash
 */
char *
exk_base_url_normalize (const char  *input,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  int port;

  trimmed = g_strstrip (g_strdup (input != NULL ? input : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                           _("Enter the address of the Exceptionless server."));
      return NULL;
    }

  uri = parse_uri (trimmed, error);
  if (uri == NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                   _("Exkeys cannot connect to “%s” addresses. Enter an address that starts "
                     "with “https://”."),
                   scheme);
      return NULL;
    }
  scheme = g_ascii_strcasecmp (scheme, "https") == 0 ? "https" : "http";

  host = normalize_host (uri, trimmed, error);
  if (host == NULL || !check_nothing_else (uri, error) || !check_secure (scheme, host, error))
    return NULL;

  /* Nothing listens on port 0; GLib accepts it all the same. */
  port = g_uri_get_port (uri);
  if (port == 0)
    {
      set_invalid (error, trimmed);
      return NULL;
    }
  if ((port == 443 && g_str_equal (scheme, "https")) ||
      (port == 80 && g_str_equal (scheme, "http")))
    port = -1;

  path = normalize_path (g_uri_get_path (uri));

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, host, port, path, NULL, NULL);
}

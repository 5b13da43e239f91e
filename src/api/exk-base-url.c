// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "exk-api-error.h"
#include "exk-base-url.h"

/* Resolving an address: how long each probe may take, how long HTTPS may stay silent
 * before plain HTTP is asked too (a server that speaks only HTTP may hold a TLS
 * handshake until it times out, as libsoup's own server does), and how long HTTPS is
 * still waited for once plain HTTP has answered. */
#define PROBE_TIMEOUT_SECONDS 30
#define HTTP_PROBE_DELAY_MS 1000
#define MIN_GRACE_MS 500

G_LOCK_DEFINE_STATIC (remote_hosts);
static char **remote_hosts;

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  G_LOCK (remote_hosts);
  if (remote_hosts != NULL && g_strv_contains ((const char * const *) remote_hosts, host))
    {
      G_UNLOCK (remote_hosts);
      return FALSE;
    }
  G_UNLOCK (remote_hosts);

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
check_secure (const char       *scheme,
              const char       *host,
              ExkBaseUrlFlags   flags,
              GError          **error)
{
  g_autofree char *suggestion = NULL;

  if (g_str_equal (scheme, "https") || is_loopback_host (host)
      || (flags & EXK_BASE_URL_ALLOW_PLAIN_HTTP) != 0)
    return TRUE;

  /* g_uri_join() puts an IPv6 address in brackets. */
  suggestion = g_uri_join (G_URI_FLAGS_NONE, "https", NULL, host, -1, "", NULL, NULL);
  g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
               _("Plain “http://” would send your token unencrypted, so Exkeys uses it only "
                 "for this computer or for a server you chose to connect to without "
                 "encryption: use “%s” instead."),
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
  return exk_base_url_normalize_full (input, EXK_BASE_URL_DEFAULT, error);
}

/**
 * exk_base_url_normalize_full:
 * @input: what someone typed or pasted as the server address
 * @flags: %EXK_BASE_URL_ALLOW_PLAIN_HTTP to accept `http://` to any host
 * @error: return location for an error
 *
 * Like exk_base_url_normalize(), with plain `http` to another computer allowed when
 * @flags says that the user chose it.
 *
 * Returns: (transfer full) (nullable): the base URL without a trailing slash
 */
char *
exk_base_url_normalize_full (const char       *input,
                             ExkBaseUrlFlags   flags,
                             GError          **error)
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
  if (host == NULL || !check_nothing_else (uri, error)
      || !check_secure (scheme, host, flags, error))
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

/* The parts of a normalized base URL, with the port filled in. */
static GUri *
parse_base_url (const char  *base_url,
                int         *port)
{
  GUri *uri;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    {
      g_clear_pointer (&uri, g_uri_unref);
      return NULL;
    }

  *port = g_uri_get_port (uri);
  if (*port == -1)
    *port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  return uri;
}

/**
 * exk_base_url_is_loopback:
 * @base_url: a normalized base URL
 *
 * Returns: whether @base_url points at this computer (`localhost`, 127.0.0.0/8, `::1`),
 *   where nothing sent to it crosses a network
 */
gboolean
exk_base_url_is_loopback (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  uri = parse_base_url (base_url, &port);
  return uri != NULL && is_loopback_host (g_uri_get_host (uri));
}

/**
 * exk_base_url_is_plain_http:
 * @base_url: a normalized base URL
 *
 * Returns: whether what is sent to @base_url crosses the network unencrypted: plain
 *   `http` to another computer
 */
gboolean
exk_base_url_is_plain_http (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  uri = parse_base_url (base_url, &port);
  return uri != NULL && g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
         && !is_loopback_host (g_uri_get_host (uri));
}

/**
 * exk_base_url_dup_address:
 * @base_url: a normalized base URL
 *
 * The address to name in messages: scheme, host and port, the port always written out
 * (“https://exceptionless.example.com:443”), then the path of a server kept below one.
 *
 * Returns: (transfer full): the address
 */
char *
exk_base_url_dup_address (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  uri = parse_base_url (base_url, &port);
  if (uri == NULL)
    return g_strdup (base_url);

  return g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     port, g_uri_get_path (uri), NULL, NULL);
}

/**
 * exk_base_url_dup_host_port:
 * @base_url: a normalized base URL
 *
 * Returns: (transfer full): the server as “host:port”, the port always written out and
 *   an IPv6 address in brackets: what a choice about the server is remembered by
 */
char *
exk_base_url_dup_host_port (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int port;

  uri = parse_base_url (base_url, &port);
  if (uri == NULL)
    return g_strdup (base_url);

  host = g_uri_get_host (uri);
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, port);

  return g_strdup_printf ("%s:%d", host, port);
}

/**
 * exk_base_url_dup_authority:
 * @base_url: a base URL
 *
 * Returns: (transfer full): the server as people tell servers apart: the host, with the
 *   port only when one is written in @base_url (“127.0.0.1:34813”, “example.com”), an
 *   IPv6 address in brackets; @base_url itself when it has no host
 */
char *
exk_base_url_dup_authority (const char *base_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *host;
  g_autofree char *bracketed = NULL;

  g_return_val_if_fail (base_url != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (base_url);

  host = g_uri_get_host (uri);
  bracketed = strchr (host, ':') != NULL ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  if (g_uri_get_port (uri) == -1)
    return g_steal_pointer (&bracketed);

  return g_strdup_printf ("%s:%d", bracketed, g_uri_get_port (uri));
}

/**
 * exk_base_url_set_remote_hosts_for_testing:
 * @hosts: (nullable): host names or addresses to take for other computers
 *
 * For tests only. The mock server listens on 127.0.0.1, where plain HTTP is always
 * allowed; this makes the rules for a server on another computer testable against it.
 * It can only make Exkeys stricter: a host listed here is never taken for this computer.
 */
void
exk_base_url_set_remote_hosts_for_testing (const char * const *hosts)
{
  G_LOCK (remote_hosts);
  g_strfreev (remote_hosts);
  remote_hosts = g_strdupv ((char **) hosts);
  G_UNLOCK (remote_hosts);
}

/* Resolving */

typedef enum
{
  PROBE_IDLE,
  PROBE_RUNNING,
  PROBE_ANSWERED,
  PROBE_FAILED,
} ProbeState;

/* One request without credentials, to learn whether a server answers in this scheme. */
typedef struct
{
  char         *url;
  ProbeState    state;
  GError       *error;
  GCancellable *cancellable;
  gint64        started;
  gint64        ended;
} Probe;

typedef struct
{
  SoupSession  *session;
  Probe         https;          /* not used when the address says http:// */
  Probe         http;
  gboolean      said_https;     /* the address said https://, not just a host */
  gboolean      plain_allowed;  /* chosen now, or remembered for this server */
  GSource      *timer;          /* before asking plain HTTP too, or the grace for HTTPS */
  GCancellable *cancellable;    /* the caller's */
  gulong        cancelled_id;
  gboolean      done;
} Resolve;

static void
probe_clear (Probe *probe)
{
  if (probe->cancellable != NULL)
    g_cancellable_cancel (probe->cancellable);
  g_clear_object (&probe->cancellable);
  g_clear_pointer (&probe->url, g_free);
  g_clear_error (&probe->error);
}

static void
resolve_clear_timer (Resolve *resolve)
{
  if (resolve->timer != NULL)
    {
      g_source_destroy (resolve->timer);
      g_clear_pointer (&resolve->timer, g_source_unref);
    }
}

static void
resolve_free (Resolve *resolve)
{
  resolve_clear_timer (resolve);
  if (resolve->cancellable != NULL)
    g_cancellable_disconnect (resolve->cancellable, resolve->cancelled_id);
  g_clear_object (&resolve->cancellable);
  probe_clear (&resolve->https);
  probe_clear (&resolve->http);
  if (resolve->session != NULL)
    soup_session_abort (resolve->session);
  g_clear_object (&resolve->session);
  g_free (resolve);
}

/* Ends the task once; the probes still running are stopped. */
static void
resolve_return (GTask  *task,
                char   *url,
                GError *error)
{
  Resolve *resolve = g_task_get_task_data (task);

  if (resolve->done)
    {
      g_free (url);
      g_clear_error (&error);
      return;
    }

  resolve->done = TRUE;
  resolve_clear_timer (resolve);
  if (resolve->https.cancellable != NULL)
    g_cancellable_cancel (resolve->https.cancellable);
  if (resolve->http.cancellable != NULL)
    g_cancellable_cancel (resolve->http.cancellable);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, url, g_free);
}

static void
resolve_fail_with (GTask *task,
                   Probe *probe)
{
  g_autofree char *address = exk_base_url_dup_address (probe->url);

  resolve_return (task, NULL, exk_api_error_new_from_transport_at (probe->error, FALSE, address));
}

/* HTTPS failed, plain HTTP answered: a server without encryption. */
static void
resolve_plain_http (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);
  g_autofree char *address = exk_base_url_dup_address (resolve->http.url);
  gboolean loopback = exk_base_url_is_loopback (resolve->http.url);

  g_debug ("%s did not answer over TLS (%s); %s answered", resolve->https.url,
           resolve->https.error != NULL ? resolve->https.error->message : "no answer yet",
           resolve->http.url);

  /* This computer's own server is used as it is, unless https:// was asked for. */
  if (resolve->plain_allowed || (loopback && !resolve->said_https))
    {
      resolve_return (task, g_strdup (resolve->http.url), NULL);
      return;
    }

  if (loopback)
    resolve_return (task, NULL,
                    g_error_new (EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
                                 _("The server at %s answers only without encryption."),
                                 address));
  else
    resolve_return (task, NULL,
                    g_error_new (EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
                                 _("The server at %s answers only without encryption, so "
                                   "others on the network could read your password and "
                                   "token."),
                                 address));
}

/* Whether plain HTTP can tell anything more about an HTTPS failure: not when the name
 * is unknown, the network is down or the certificate is refused (TLS worked then). */
static gboolean
worth_asking_plain_http (const GError *error)
{
  return error->domain != G_RESOLVER_ERROR
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         && !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE)
         && !g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE);
}

static void probe_start (GTask *task,
                         Probe *probe);

static gboolean
on_grace_over (gpointer user_data)
{
  GTask *task = user_data;
  Resolve *resolve = g_task_get_task_data (task);

  g_clear_pointer (&resolve->timer, g_source_unref);
  resolve_plain_http (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_https_slow (gpointer user_data)
{
  GTask *task = user_data;
  Resolve *resolve = g_task_get_task_data (task);

  g_clear_pointer (&resolve->timer, g_source_unref);
  if (resolve->http.state == PROBE_IDLE)
    probe_start (task, &resolve->http);

  return G_SOURCE_REMOVE;
}

static void
resolve_set_timer (GTask       *task,
                   guint        ms,
                   GSourceFunc  func)
{
  Resolve *resolve = g_task_get_task_data (task);

  resolve_clear_timer (resolve);
  resolve->timer = g_timeout_source_new (ms);
  g_source_set_callback (resolve->timer, func, g_object_ref (task), g_object_unref);
  g_source_set_static_name (resolve->timer, "[exkeys] resolve server address");
  g_source_attach (resolve->timer, g_task_get_context (task));
}

/* Decides once both probes have said what they could. */
static void
resolve_step (GTask *task)
{
  Resolve *resolve = g_task_get_task_data (task);
  Probe *https = &resolve->https;
  Probe *http = &resolve->http;

  if (resolve->done)
    return;

  /* The address said http://: plain HTTP is all there is. */
  if (https->url == NULL)
    {
      if (http->state == PROBE_ANSWERED)
        resolve_return (task, g_strdup (http->url), NULL);
      else if (http->state == PROBE_FAILED)
        resolve_fail_with (task, http);
      return;
    }

  switch (https->state)
    {
    case PROBE_ANSWERED:
      resolve_return (task, g_strdup (https->url), NULL);
      return;

    case PROBE_FAILED:
      if (!worth_asking_plain_http (https->error) || http->state == PROBE_FAILED)
        resolve_fail_with (task, https);
      else if (http->state == PROBE_ANSWERED)
        resolve_plain_http (task);
      else if (http->state == PROBE_IDLE)
        probe_start (task, http);
      return;

    case PROBE_RUNNING:
      /* A TLS server answers a handshake in about the time plain HTTP took to answer a
       * request: give HTTPS that long again, and some, before taking its silence for
       * a server without TLS. */
      if (http->state == PROBE_ANSWERED && resolve->timer == NULL)
        {
          gint64 took_ms = (http->ended - http->started) / 1000;

          resolve_set_timer (task, MIN_GRACE_MS + (guint) MIN (4 * took_ms, 10000),
                             on_grace_over);
        }
      return;

    case PROBE_IDLE:
    default:
      g_assert_not_reached ();
    }
}

static void
probe_finish (GTask        *task,
              Probe        *probe,
              GAsyncResult *result)
{
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (resolve->session, result, &error);
  if (resolve->done)
    return;

  if (g_task_return_error_if_cancelled (task))
    {
      resolve->done = TRUE;
      resolve_clear_timer (resolve);
      return;
    }

  probe->ended = g_get_monotonic_time ();
  if (stream != NULL)
    {
      /* Any answer at all says that the server speaks this scheme. */
      probe->state = PROBE_ANSWERED;
      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
    }
  else
    {
      g_debug ("Probing %s: %s", probe->url, error->message);
      probe->state = PROBE_FAILED;
      probe->error = g_steal_pointer (&error);
    }

  resolve_step (task);
}

static void
on_https_probe_sent (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);

  probe_finish (task, &resolve->https, result);
}

static void
on_http_probe_sent (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Resolve *resolve = g_task_get_task_data (task);

  probe_finish (task, &resolve->http, result);
}

static void
probe_start (GTask *task,
             Probe *probe)
{
  Resolve *resolve = g_task_get_task_data (task);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = g_strconcat (probe->url, "/", NULL);

  /* HEAD of the server's root: no credentials, no body, nothing read. */
  message = soup_message_new (SOUP_METHOD_HEAD, url);
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  probe->state = PROBE_RUNNING;
  probe->started = g_get_monotonic_time ();
  probe->cancellable = g_cancellable_new ();

  soup_session_send_async (resolve->session, message, G_PRIORITY_DEFAULT, probe->cancellable,
                           probe == &resolve->https ? on_https_probe_sent : on_http_probe_sent,
                           g_object_ref (task));
}

static void
on_resolve_cancelled (GCancellable *cancellable,
                      Resolve      *resolve)
{
  if (resolve->https.cancellable != NULL)
    g_cancellable_cancel (resolve->https.cancellable);
  if (resolve->http.cancellable != NULL)
    g_cancellable_cancel (resolve->http.cancellable);
}

/* The same server in plain HTTP: same host, path and written-out port, the default
 * port of HTTP when HTTPS used its own. */
static char *
dup_plain_http_url (const char *https_url)
{
  g_autoptr(GUri) uri = g_uri_parse (https_url, G_URI_FLAGS_ENCODED, NULL);
  g_autofree char *joined = g_uri_join (G_URI_FLAGS_ENCODED, "http", NULL, g_uri_get_host (uri),
                                        g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);

  char *normalized;

  /* Normalized like every base URL: "http://host:80" is "http://host". */
  normalized = exk_base_url_normalize_full (joined, EXK_BASE_URL_ALLOW_PLAIN_HTTP, NULL);
  return normalized != NULL ? normalized : g_steal_pointer (&joined);
}

static gboolean
said_scheme (const char *input,
             const char *scheme)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (input));
  gsize len = strlen (scheme);

  return g_ascii_strncasecmp (trimmed, scheme, len) == 0
         && g_str_has_prefix (trimmed + len, "://");
}

/**
 * exk_base_url_resolve_async:
 * @input: the server address as typed
 * @plain_http_servers: (nullable) (array zero-terminated=1): servers (“host:port”, see
 *   exk_base_url_dup_host_port()) that the user allowed before to be reached without
 *   encryption
 * @flags: %EXK_BASE_URL_ALLOW_PLAIN_HTTP when the user just chose to connect to this
 *   server without encryption
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the address is known
 * @user_data: data for @callback
 *
 * Finds the base URL to sign in at, before any credential is sent: an address without
 * a scheme is tried over HTTPS first, and over plain HTTP only when HTTPS fails and the
 * server answers there. Plain HTTP is used silently for this computer; for another
 * computer only when @flags or @plain_http_servers allow it, and otherwise the error
 * is %EXK_API_ERROR_INSECURE_URL, which says that the server answers only without
 * encryption.
 *
 * The probes are requests without credentials. Errors name the address tried, with
 * its scheme and port, in words for people; GLib's own words go to the debug log.
 */
void
exk_base_url_resolve_async (const char           *input,
                            const char * const   *plain_http_servers,
                            ExkBaseUrlFlags       flags,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *host_port = NULL;
  Resolve *resolve;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_base_url_resolve_async);
  g_task_set_name (task, "[exkeys] resolve server address");

  resolve = g_new0 (Resolve, 1);
  g_task_set_task_data (task, resolve, (GDestroyNotify) resolve_free);

  if (input != NULL && said_scheme (input, "http"))
    {
      plain = exk_base_url_normalize_full (input, EXK_BASE_URL_ALLOW_PLAIN_HTTP, &error);
    }
  else
    {
      resolve->https.url = exk_base_url_normalize (input, &error);
      resolve->said_https = input != NULL && said_scheme (input, "https");
      if (resolve->https.url != NULL)
        plain = dup_plain_http_url (resolve->https.url);
    }

  if (plain == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  resolve->http.url = g_steal_pointer (&plain);
  host_port = exk_base_url_dup_host_port (resolve->http.url);
  resolve->plain_allowed = (flags & EXK_BASE_URL_ALLOW_PLAIN_HTTP) != 0
                           || (plain_http_servers != NULL
                               && g_strv_contains (plain_http_servers, host_port));

  /* Typed as http:// to another computer: not even asked without the user's choice. */
  if (resolve->https.url == NULL && !resolve->plain_allowed
      && exk_base_url_is_plain_http (resolve->http.url))
    {
      g_autofree char *address = exk_base_url_dup_address (resolve->http.url);

      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
                               _("%s is not encrypted, so others on the network could read "
                                 "your password and token."),
                               address);
      return;
    }

  resolve->session = g_object_new (SOUP_TYPE_SESSION,
                                   "user-agent", "Exkeys/" PACKAGE_VERSION " ",
                                   "timeout", PROBE_TIMEOUT_SECONDS,
                                   NULL);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (cancellable != NULL)
    {
      resolve->cancellable = g_object_ref (cancellable);
      resolve->cancelled_id = g_cancellable_connect (cancellable,
                                                     G_CALLBACK (on_resolve_cancelled),
                                                     resolve, NULL);
    }

  if (resolve->https.url != NULL)
    {
      probe_start (task, &resolve->https);
      resolve_set_timer (task, HTTP_PROBE_DELAY_MS, on_https_slow);
    }
  else
    {
      probe_start (task, &resolve->http);
    }
}

/**
 * exk_base_url_resolve_finish:
 *
 * Returns: (transfer full) (nullable): the normalized base URL to use
 */
char *
exk_base_url_resolve_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_base_url_resolve_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

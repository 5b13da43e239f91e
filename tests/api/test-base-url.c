// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-client.h"

static void
test_valid (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "https://api.exceptionless.io", EXK_HOSTED_BASE_URL },
    { "https://api.exceptionless.io/", EXK_HOSTED_BASE_URL },
    { "  https://api.exceptionless.io/  \n", EXK_HOSTED_BASE_URL },
    { "api.exceptionless.io", EXK_HOSTED_BASE_URL },
    { "API.Exceptionless.IO", EXK_HOSTED_BASE_URL },
    { "HTTPS://api.exceptionless.io", EXK_HOSTED_BASE_URL },
    { "https://api.exceptionless.io/api/v2", EXK_HOSTED_BASE_URL },
    { "https://api.exceptionless.io/api/v2/", EXK_HOSTED_BASE_URL },
    { "https://api.exceptionless.io:443", EXK_HOSTED_BASE_URL },
    { "errors.example.com:8443", "https://errors.example.com:8443" },
    { "https://example.com/exceptionless", "https://example.com/exceptionless" },
    { "https://example.com/exceptionless/", "https://example.com/exceptionless" },
    { "https://example.com/exceptionless/api/v2/", "https://example.com/exceptionless" },
    { "https://example.com/Exceptionless/API/V2", "https://example.com/Exceptionless" },
    { "https://192.0.2.10:5000", "https://192.0.2.10:5000" },
    { "https://[2001:db8::1]:5000/", "https://[2001:db8::1]:5000" },
    { "http://localhost:5000", "http://localhost:5000" },
    { "http://LOCALHOST:5000/", "http://localhost:5000" },
    { "http://127.0.0.1:41234", "http://127.0.0.1:41234" },
    { "http://127.1.2.3", "http://127.1.2.3" },
    { "http://[::1]:8080", "http://[::1]:8080" },
    { "http://localhost:80", "http://localhost" },
    { "https://bücher.example/", "https://xn--bcher-kva.example" },
    { "https://example.com/api/v2/api/v2", "https://example.com" },
    { "https://example.com/api/v2/API/V2//", "https://example.com" },
    { "https://example.com/sub/api/v2/./api/v2/", "https://example.com/sub" },
    { "https://example.com/api/v2/sub", "https://example.com/api/v2/sub" },
    { "https://[2001:DB8::1]:443/api/v2/", "https://[2001:db8::1]" },
    { "https://127.1", "https://127.1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = exk_base_url_normalize (cases[i].input, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_invalid (void)
{
  static const struct {
    const char *input;
    ExkApiError code;
  } cases[] = {
    { NULL, EXK_API_ERROR_INVALID_URL },
    { "", EXK_API_ERROR_INVALID_URL },
    { "   ", EXK_API_ERROR_INVALID_URL },
    { "ftp://example.com", EXK_API_ERROR_INVALID_URL },
    { "file:///etc/passwd", EXK_API_ERROR_INVALID_URL },
    { "javascript://alert(1)", EXK_API_ERROR_INVALID_URL },
    { "not a url", EXK_API_ERROR_INVALID_URL },
    { "https://", EXK_API_ERROR_INVALID_URL },
    { "https:///path", EXK_API_ERROR_INVALID_URL },
    { "https://exa mple.com", EXK_API_ERROR_INVALID_URL },
    { "https://example.com:99999", EXK_API_ERROR_INVALID_URL },
    { "https://example.com:port", EXK_API_ERROR_INVALID_URL },
    { "https://user:secret@example.com", EXK_API_ERROR_INVALID_URL },
    { "https://example.com/?token=abc", EXK_API_ERROR_INVALID_URL },
    { "https://example.com/#top", EXK_API_ERROR_INVALID_URL },
    { "https://exam<ple>.com", EXK_API_ERROR_INVALID_URL },
    { "https://example..com", EXK_API_ERROR_INVALID_URL },
    { "http://api.exceptionless.io", EXK_API_ERROR_INSECURE_URL },
    { "http://192.168.1.10:5000", EXK_API_ERROR_INSECURE_URL },
    { "http://localhost.example.com", EXK_API_ERROR_INSECURE_URL },
    { "http://[2001:db8::1]", EXK_API_ERROR_INSECURE_URL },
    { "http://128.0.0.1", EXK_API_ERROR_INSECURE_URL },
    { "https:/example.com", EXK_API_ERROR_INVALID_URL },
    { "example.com:/path", EXK_API_ERROR_INVALID_URL },
    { "https://example.com:0", EXK_API_ERROR_INVALID_URL },
    { "https://[fe80::1%25eth0]", EXK_API_ERROR_INVALID_URL },
    { "https://@example.com", EXK_API_ERROR_INVALID_URL },
    { "https://:@example.com", EXK_API_ERROR_INVALID_URL },
    { "https://example.com@evil.example", EXK_API_ERROR_INVALID_URL },
    { "https://evil.example\\@example.com", EXK_API_ERROR_INVALID_URL },
    { "http://127.1", EXK_API_ERROR_INSECURE_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = exk_base_url_normalize (cases[i].input, &error);

      if (url != NULL)
        g_error ("“%s” should be rejected, got “%s”", cases[i].input, url);
      g_assert_error (error, EXK_API_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_insecure_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = exk_base_url_normalize ("http://errors.example.com", &error);

  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_true (g_str_has_prefix (error->message, "Plain “http://” would send your token "
                                                   "unencrypted"));
  g_assert_nonnull (strstr (error->message, "https://errors.example.com"));
}

static void
test_insecure_message_ipv6 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = exk_base_url_normalize ("http://[2001:DB8::1]:8080", &error);

  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, "“https://[2001:db8::1]”"));
}

/* The address is stored normalized and normalized again at the next start: a second pass
 * must change nothing, or …/api/v2/api/v2 would lose a part at every start. */
static void
assert_fixed_point (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *once = exk_base_url_normalize (input, &error);
  g_autofree char *twice = NULL;

  if (once == NULL)
    {
      /* Refusals are errors with a message, never a half result. */
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
      return;
    }

  g_assert_no_error (error);
  twice = exk_base_url_normalize (once, &error);
  if (twice == NULL || !g_str_equal (once, twice))
    g_error ("“%s” → “%s” → “%s”", input, once, twice != NULL ? twice : error->message);
}

static void
test_idempotent_table (void)
{
  static const char * const inputs[] = {
    "https://example.com/api/v2/api/v2",
    "https://example.com/api/v2/api/v2/api/v2/",
    "example.com/API/v2//api/V2//",
    "https://example.com/sub/api/v2/./api/v2",
    "https://example.com/x/../api/v2/api/v2",
    "https://example.com/api/v2/..",
    "https://example.com///x//",
    "https://example.com//api/v2",
    "https://example.com/%61pi/v2",
    "https://example.com/api%2Fv2",
    "https://example.com/ü/api/v2",
    "HTTPS://EXAMPLE.COM:443/",
    "https://example.com:00443",
    "https://example.com:80",
    "http://LOCALHOST:80/api/v2/api/v2",
    "http://localhost:443",
    "https://example.com.",
    "https://[2001:DB8::1]:443/api/v2",
    "https://[::1]",
    "http://[::1]:80/",
    "https://[fe80::1%25eth0]/",
    "https://127.1",
    "http://127.1",
    "https://BÜCHER.example/api/v2/",
    "https://xn--bcher-kva.example",
    "https://user@example.com",
    "https://user:secret@example.com/api/v2",
    "https://@example.com",
    "https://example.com/api/v2?x=1",
    "https://example.com/api/v2#top",
    "https://example.com?",
    "https:/example.com",
    "https:example.com",
    "example.com:/x",
    "https://example.com:0",
    "localhost:5000/api/v2/api/v2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    assert_fixed_point (inputs[i]);
}

/* Every combination of the pieces people paste. */
static void
test_idempotent_combinations (void)
{
  static const char * const schemes[] = { "", "https://", "HTTP://", "http://", "HtTpS://" };
  static const char * const hosts[] = {
    "example.com", "EXAMPLE.com.", "localhost", "127.0.0.1", "127.1", "[::1]",
    "[2001:DB8::1]", "bücher.example", "[fe80::1%25eth0]", "user@example.com", ":@example.com",
  };
  static const char * const ports[] = { "", ":", ":443", ":80", ":0", ":5000", ":00443" };
  static const char * const paths[] = {
    "", "/", "//", "/api/v2", "/API/V2/", "/api/v2/api/v2/", "/x/../api/v2", "/Sub/api/v2//",
    "/sub/api/v2/./api/v2", "/api/v2/sub", "/%41pi/v2",
  };
  static const char * const tails[] = { "", "?", "?q=1", "#f" };
  guint accepted = 0;

  for (guint a = 0; a < G_N_ELEMENTS (schemes); a++)
    for (guint b = 0; b < G_N_ELEMENTS (hosts); b++)
      for (guint c = 0; c < G_N_ELEMENTS (ports); c++)
        for (guint d = 0; d < G_N_ELEMENTS (paths); d++)
          for (guint e = 0; e < G_N_ELEMENTS (tails); e++)
            {
              g_autofree char *input = g_strconcat (schemes[a], hosts[b], ports[c], paths[d],
                                                    tails[e], NULL);
              g_autofree char *url = exk_base_url_normalize (input, NULL);

              assert_fixed_point (input);
              if (url == NULL)
                continue;

              accepted++;
              /* What must never get through. */
              g_assert_null (strchr (url, '@'));
              g_assert_null (strchr (url, '?'));
              g_assert_null (strchr (url, '#'));
              g_assert_false (g_str_has_suffix (url, "/"));
            }

  /* The table is not all refusals. */
  g_assert_cmpuint (accepted, >, 500);
}

static void
test_plain_http_choice (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = exk_base_url_normalize ("http://192.0.2.10:5000", &error);
  g_autofree char *chosen = NULL;

  g_assert_null (refused);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_clear_error (&error);

  chosen = exk_base_url_normalize_full ("HTTP://192.0.2.10:5000/api/v2/",
                                        EXK_BASE_URL_ALLOW_PLAIN_HTTP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen, ==, "http://192.0.2.10:5000");
}

static void
test_plain_http_and_loopback (void)
{
  static const struct {
    const char *url;
    gboolean loopback;
    gboolean plain_http;
  } cases[] = {
    { "https://api.exceptionless.io", FALSE, FALSE },
    { "http://192.0.2.10:5000", FALSE, TRUE },
    { "http://exceptionless.example.com", FALSE, TRUE },
    { "http://localhost:5000", TRUE, FALSE },
    { "http://127.0.0.1:41234", TRUE, FALSE },
    { "http://127.1.2.3", TRUE, FALSE },
    { "http://[::1]:8080", TRUE, FALSE },
    { "https://127.0.0.1", TRUE, FALSE },
    { "http://128.0.0.1", FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (exk_base_url_is_loopback (cases[i].url), ==, cases[i].loopback);
      g_assert_cmpint (exk_base_url_is_plain_http (cases[i].url), ==, cases[i].plain_http);
    }
}

/* Tests can take 127.0.0.1 for another computer; only ever stricter, and undone. */
static void
test_remote_hosts_for_testing (void)
{
  const char * const hosts[] = { "127.0.0.1", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  exk_base_url_set_remote_hosts_for_testing (hosts);
  g_assert_false (exk_base_url_is_loopback ("http://127.0.0.1:5000"));
  g_assert_true (exk_base_url_is_plain_http ("http://127.0.0.1:5000"));
  g_assert_true (exk_base_url_is_loopback ("http://127.0.0.2:5000"));
  url = exk_base_url_normalize ("http://127.0.0.1:5000", &error);
  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);

  exk_base_url_set_remote_hosts_for_testing (NULL);
  g_assert_true (exk_base_url_is_loopback ("http://127.0.0.1:5000"));
}

static void
test_address (void)
{
  static const struct {
    const char *url;
    const char *address;
    const char *host_port;
    const char *authority;   /* the port only where it is written */
  } cases[] = {
    { "https://api.exceptionless.io", "https://api.exceptionless.io:443",
      "api.exceptionless.io:443", "api.exceptionless.io" },
    { "http://127.0.0.1:34813", "http://127.0.0.1:34813", "127.0.0.1:34813",
      "127.0.0.1:34813" },
    { "http://localhost", "http://localhost:80", "localhost:80", "localhost" },
    { "https://example.com/exceptionless", "https://example.com:443/exceptionless",
      "example.com:443", "example.com" },
    { "https://[2001:db8::1]:5000", "https://[2001:db8::1]:5000", "[2001:db8::1]:5000",
      "[2001:db8::1]:5000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *address = exk_base_url_dup_address (cases[i].url);
      g_autofree char *host_port = exk_base_url_dup_host_port (cases[i].url);
      g_autofree char *authority = exk_base_url_dup_authority (cases[i].url);

      g_assert_cmpstr (address, ==, cases[i].address);
      g_assert_cmpstr (host_port, ==, cases[i].host_port);
      g_assert_cmpstr (authority, ==, cases[i].authority);
    }

  /* Not a URL: said as it is. */
  {
    g_autofree char *authority = exk_base_url_dup_authority ("not a url");

    g_assert_cmpstr (authority, ==, "not a url");
  }
}

/* Resolving, against a fake server on loopback that speaks only plain HTTP, like a
 * self-hosted Exceptionless without TLS. It notes what each connection began with:
 * "T" for a TLS handshake, "H" for an HTTP request. */

typedef enum
{
  FAKE_ANSWERS_TLS_WITH_HTTP,   /* a 400 in plain HTTP, as most servers do */
  FAKE_HOLDS_TLS,               /* waits for a request line forever, as libsoup's does */
} FakeMode;

typedef struct
{
  GSocketService *service;
  guint16         port;
  char           *url;          /* "http://127.0.0.1:PORT" */
  char           *authority;    /* "127.0.0.1:PORT" */
  FakeMode        mode;
  GString        *log;
  GString        *requests;     /* the HTTP requests received, headers and all */
  GPtrArray      *held;         /* connections kept open, never answered */
} FakeServer;

typedef struct
{
  FakeServer        *server;
  GSocketConnection *connection;
  GString           *received;
} FakeConnection;

static void
fake_connection_free (FakeConnection *conn)
{
  g_clear_object (&conn->connection);
  g_string_free (conn->received, TRUE);
  g_free (conn);
}

static void
on_fake_answered (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  FakeConnection *conn = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (conn->connection), NULL, NULL);
  fake_connection_free (conn);
}

static void
fake_answer (FakeConnection *conn,
             const char     *answer)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (conn->connection));

  g_output_stream_write_all_async (output, answer, strlen (answer), G_PRIORITY_DEFAULT, NULL,
                                   on_fake_answered, conn);
}

static void fake_read (FakeConnection *conn);

static void
on_fake_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FakeConnection *conn = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                             NULL);
  gsize size;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  if (data == NULL || size == 0)
    {
      fake_connection_free (conn);
      return;
    }

  if (conn->received->len == 0 && data[0] == 0x16)
    {
      g_string_append_c (conn->server->log, 'T');
      if (conn->server->mode == FAKE_HOLDS_TLS)
        {
          g_ptr_array_add (conn->server->held, g_object_ref (conn->connection));
          fake_connection_free (conn);
          return;
        }
      fake_answer (conn, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                         "Connection: close\r\n\r\n");
      return;
    }

  if (conn->received->len == 0)
    g_string_append_c (conn->server->log, 'H');
  g_string_append_len (conn->received, data, size);
  if (strstr (conn->received->str, "\r\n\r\n") == NULL)
    {
      fake_read (conn);
      return;
    }

  g_string_append (conn->server->requests, conn->received->str);
  fake_answer (conn, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}

static void
fake_read (FakeConnection *conn)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (conn->connection));

  g_input_stream_read_bytes_async (input, 4096, G_PRIORITY_DEFAULT, NULL, on_fake_read, conn);
}

static gboolean
on_fake_incoming (GSocketService    *service,
                  GSocketConnection *connection,
                  GObject           *source,
                  FakeServer        *server)
{
  FakeConnection *conn = g_new0 (FakeConnection, 1);

  conn->server = server;
  conn->connection = g_object_ref (connection);
  conn->received = g_string_new (NULL);
  fake_read (conn);

  return TRUE;
}

static FakeServer *
fake_server_new (FakeMode mode)
{
  FakeServer *server = g_new0 (FakeServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  server->mode = mode;
  server->log = g_string_new (NULL);
  server->requests = g_string_new (NULL);
  server->held = g_ptr_array_new_with_free_func (g_object_unref);
  server->service = g_socket_service_new ();
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &bound,
                                 &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  server->url = g_strdup_printf ("http://127.0.0.1:%u", server->port);
  server->authority = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_signal_connect (server->service, "incoming", G_CALLBACK (on_fake_incoming), server);
  g_socket_service_start (server->service);

  return server;
}

static void
fake_server_free (FakeServer *server)
{
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_clear_object (&server->service);
  g_ptr_array_unref (server->held);
  /* Connections still being answered end by themselves. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_string_free (server->log, TRUE);
  g_string_free (server->requests, TRUE);
  g_free (server->url);
  g_free (server->authority);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeServer, fake_server_free)

static void
on_resolved (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
resolve (const char          *input,
         const char * const  *servers,
         ExkBaseUrlFlags      flags,
         GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_base_url_resolve_async (input, servers, flags, NULL, on_resolved, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return exk_base_url_resolve_finish (result, error);
}

static gboolean
can_test_tls (void)
{
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking) to try HTTPS with");
      return FALSE;
    }

  return TRUE;
}

static void
test_resolve_https_first (gconstpointer data)
{
  g_autoptr(FakeServer) server = fake_server_new (GPOINTER_TO_INT (data));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *lower = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!can_test_tls ())
    return;

  /* Typed without a scheme: HTTPS first; this computer's own server answers only in
   * plain HTTP, which is then used without asking. */
  url = resolve (server->authority, NULL, EXK_BASE_URL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, server->url);
  g_assert_cmpstr (server->log->str, ==, "TH");
  /* The probe carries nothing secret. */
  g_assert_true (g_str_has_prefix (server->requests->str, "HEAD / HTTP/1.1\r\n"));
  lower = g_ascii_strdown (server->requests->str, -1);
  g_assert_null (strstr (lower, "authorization"));
  /* A server that holds the handshake is not waited for until it times out. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_resolve_remote_needs_choice (void)
{
  const char * const remote[] = { "127.0.0.1", NULL };
  g_autoptr(FakeServer) server = fake_server_new (FAKE_ANSWERS_TLS_WITH_HTTP);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *remembered = NULL;
  g_autofree char *chosen = NULL;
  const char *servers[] = { NULL, NULL };

  if (!can_test_tls ())
    return;

  /* The same server, taken for another computer. */
  exk_base_url_set_remote_hosts_for_testing (remote);

  url = resolve (server->authority, NULL, EXK_BASE_URL_DEFAULT, &error);
  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, server->url));
  g_assert_nonnull (strstr (error->message, "without encryption"));
  g_assert_null (strstr (error->message, "TLS"));
  g_assert_cmpstr (server->log->str, ==, "TH");
  g_clear_error (&error);

  /* Chosen now… */
  chosen = resolve (server->authority, NULL, EXK_BASE_URL_ALLOW_PLAIN_HTTP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen, ==, server->url);

  /* …or before, for this host and port. */
  servers[0] = server->authority;
  remembered = resolve (server->authority, servers, EXK_BASE_URL_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (remembered, ==, server->url);

  exk_base_url_set_remote_hosts_for_testing (NULL);
}

static void
test_resolve_typed_http_remote (void)
{
  const char * const remote[] = { "127.0.0.1", NULL };
  g_autoptr(FakeServer) server = fake_server_new (FAKE_ANSWERS_TLS_WITH_HTTP);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *chosen = NULL;

  exk_base_url_set_remote_hosts_for_testing (remote);

  /* Typed as http:// to another computer: refused before anything is sent. */
  url = resolve (server->url, NULL, EXK_BASE_URL_DEFAULT, &error);
  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, server->url));
  g_assert_cmpstr (server->log->str, ==, "");
  g_clear_error (&error);

  chosen = resolve (server->url, NULL, EXK_BASE_URL_ALLOW_PLAIN_HTTP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chosen, ==, server->url);
  g_assert_cmpstr (server->log->str, ==, "H");

  exk_base_url_set_remote_hosts_for_testing (NULL);
}

/* https:// typed out is not quietly dropped, even for this computer. */
static void
test_resolve_typed_https (void)
{
  g_autoptr(FakeServer) server = fake_server_new (FAKE_ANSWERS_TLS_WITH_HTTP);
  g_autoptr(GError) error = NULL;
  g_autofree char *input = NULL;
  g_autofree char *url = NULL;

  if (!can_test_tls ())
    return;

  input = g_strconcat ("https://", server->authority, NULL);
  url = resolve (input, NULL, EXK_BASE_URL_DEFAULT, &error);
  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, server->url));
  g_assert_null (strstr (error->message, "others on the network"));
}

static void
test_resolve_typed_http_loopback (void)
{
  g_autoptr(FakeServer) server = fake_server_new (FAKE_ANSWERS_TLS_WITH_HTTP);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = resolve (server->url, NULL, EXK_BASE_URL_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, server->url);
  g_assert_cmpstr (server->log->str, ==, "H");
}

static void
test_resolve_nothing_there (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* Port 1 on loopback: nothing listens there. */
  url = resolve ("127.0.0.1:1", NULL, EXK_BASE_URL_DEFAULT, &error);
  g_assert_null (url);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  /* The address tried, in full; none of GLib's own words. */
  g_assert_nonnull (strstr (error->message, "https://127.0.0.1:1"));
  g_assert_null (strstr (error->message, "refused"));
  g_assert_null (strstr (error->message, ".."));
}

static void
test_resolve_cancelled (void)
{
  g_autoptr(FakeServer) server = fake_server_new (FAKE_HOLDS_TLS);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  exk_base_url_resolve_async (server->authority, NULL, EXK_BASE_URL_DEFAULT, cancellable,
                              on_resolved, &result);
  g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  url = exk_base_url_resolve_finish (result, &error);
  g_assert_null (url);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
on_user (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(ExkUser) user = exk_client_get_current_user_finish (EXK_CLIENT (source), result,
                                                                error);

  g_assert_null (user);
  g_assert_nonnull (*error);
}

static GError *
get_current_user (ExkClient *client)
{
  GError *error = NULL;

  exk_client_get_current_user_async (client, NULL, on_user, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  return error;
}

/* The last guard: a client for plain HTTP to another computer sends nothing, token
 * included, unless it was made with the user's choice. */
static void
test_client_refuses_plain_http (void)
{
  const char * const remote[] = { "127.0.0.1", NULL };
  g_autoptr(FakeServer) server = fake_server_new (FAKE_ANSWERS_TLS_WITH_HTTP);
  g_autoptr(ExkClient) refusing = NULL;
  g_autoptr(ExkClient) chosen = NULL;
  g_autoptr(GError) refused = NULL;
  g_autoptr(GError) sent = NULL;

  exk_base_url_set_remote_hosts_for_testing (remote);

  refusing = g_object_new (EXK_TYPE_CLIENT, "base-url", server->url, NULL);
  exk_client_set_token (refusing, "0123456789012345678901234567890123456789");
  refused = get_current_user (refusing);
  g_assert_error (refused, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_cmpstr (server->log->str, ==, "");

  chosen = g_object_new (EXK_TYPE_CLIENT, "base-url", server->url, "allow-plain-http", TRUE,
                         NULL);
  exk_client_set_token (chosen, "0123456789012345678901234567890123456789");
  sent = get_current_user (chosen);
  g_assert_error (sent, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_assert_cmpstr (server->log->str, ==, "H");

  exk_base_url_set_remote_hosts_for_testing (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/base-url/valid", test_valid);
  g_test_add_func ("/exkeys/api/base-url/invalid", test_invalid);
  g_test_add_func ("/exkeys/api/base-url/insecure-message", test_insecure_message);
  g_test_add_func ("/exkeys/api/base-url/insecure-message-ipv6", test_insecure_message_ipv6);
  g_test_add_func ("/exkeys/api/base-url/idempotent-table", test_idempotent_table);
  g_test_add_func ("/exkeys/api/base-url/idempotent-combinations", test_idempotent_combinations);
  g_test_add_func ("/exkeys/api/base-url/plain-http-choice", test_plain_http_choice);
  g_test_add_func ("/exkeys/api/base-url/plain-http-and-loopback", test_plain_http_and_loopback);
  g_test_add_func ("/exkeys/api/base-url/remote-hosts-for-testing", test_remote_hosts_for_testing);
  g_test_add_func ("/exkeys/api/base-url/address", test_address);
  g_test_add_data_func ("/exkeys/api/base-url/resolve/https-first",
                        GINT_TO_POINTER (FAKE_ANSWERS_TLS_WITH_HTTP), test_resolve_https_first);
  g_test_add_data_func ("/exkeys/api/base-url/resolve/https-first-held",
                        GINT_TO_POINTER (FAKE_HOLDS_TLS), test_resolve_https_first);
  g_test_add_func ("/exkeys/api/base-url/resolve/remote-needs-choice",
                   test_resolve_remote_needs_choice);
  g_test_add_func ("/exkeys/api/base-url/resolve/typed-http-remote",
                   test_resolve_typed_http_remote);
  g_test_add_func ("/exkeys/api/base-url/resolve/typed-https", test_resolve_typed_https);
  g_test_add_func ("/exkeys/api/base-url/resolve/typed-http-loopback",
                   test_resolve_typed_http_loopback);
  g_test_add_func ("/exkeys/api/base-url/resolve/nothing-there", test_resolve_nothing_there);
  g_test_add_func ("/exkeys/api/base-url/resolve/cancelled", test_resolve_cancelled);
  g_test_add_func ("/exkeys/api/base-url/client-refuses-plain-http",
                   test_client_refuses_plain_http);

  return g_test_run ();
}

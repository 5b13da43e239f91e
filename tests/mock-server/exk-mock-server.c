// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * A fake Exceptionless server on loopback for tests and demos.
 *
 * Every request runs through: control endpoints (/_mock/...) or request log,
 * fault injection, the fake API, fault rewriting, then the delivery: at once,
 * after the latency, streamed piece by piece, or once a gzip bomb is built.
 * The request is in the log before any of its answer leaves. One mutex
 * guards the state, so faults may be added from any thread while the server
 * runs in its own. Nothing ever waits in the loop: held answers are paused
 * messages, and timers and streams are sources of the server's context.
 */

#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "exk-mock-api.h"
#include "exk-mock-body.h"
#include "exk-mock-fault.h"
#include "exk-mock-gzip.h"
#include "exk-mock-request.h"
#include "exk-mock-server.h"
#include "exk-mock-stream.h"

#define MAX_LOGGED_REQUESTS 10000
#define MAX_LOGGED_BODY     (64 * 1024)
/* Four times libsoup's 64 KiB limit for the whole header block. */
#define HEADER_FLOOD_SIZE   (256 * 1024)
/* However slow the trickle, the rest of the body goes after this. */
#define MAX_TRICKLE_MS      (10 * 60 * 1000)
/* Built bombs kept; each is at most 8 MiB (8 GiB inflated). */
#define MAX_CACHED_BOMBS    4

struct _ExkMockServer
{
  GObject       parent_instance;

  GMutex        mutex;
  ExkMockApi   *api;
  guint         latency_ms;
  GPtrArray    *faults;
  JsonArray    *requests;

  SoupServer   *server;
  GMainContext *context;
  GList        *delayed;
  GList        *streams;
  GHashTable   *bombs;          /* size -> gzip GBytes, or NULL while built */
  GCancellable *bomb_cancellable;
  guint         bombs_building;
  char         *url;
  char         *demo_email;
  char         *demo_password;
  char         *demo_token;

  GThread      *thread;
  GMainLoop    *loop;
  GMutex        thread_mutex;
  GCond         thread_cond;
  gboolean      thread_ready;
  GError       *thread_error;
};

/* An answer held back: for a timer (latency, slow), or until the gzip bomb
 * of bomb_size is built (source NULL). */
typedef struct
{
  ExkMockServer     *self;
  SoupServerMessage *msg;
  GSource           *source;
  guint64            bomb_size;
  gulong             disconnected_id;
} DelayedReply;

typedef struct
{
  ExkMockServer *self;
  guint64        size;
} BombBuild;

static gboolean reset_locked (ExkMockServer  *self,
                              GError        **error);

G_DEFINE_FINAL_TYPE (ExkMockServer, exk_mock_server, G_TYPE_OBJECT)

static const char captive_portal_html[] =
  "<!DOCTYPE html>\n<html><head><title>Sign in to the network</title></head>\n"
  "<body><h1>Welcome</h1><p>Please accept the terms of use to continue.</p></body></html>\n";

/* Helpers */

/* Keeps the old string when the value is unchanged, so that pointers handed
 * out earlier stay valid across resets (the demo token is deterministic). */
static void
update_string (char       **location,
               const char  *value)
{
  if (g_strcmp0 (*location, value) == 0)
    return;

  g_free (*location);
  *location = g_strdup (value);
}

/* Bomb cache values are NULL while being built. */
static void
bytes_unref0 (gpointer bytes)
{
  if (bytes != NULL)
    g_bytes_unref (bytes);
}

static void
remember_demo_credentials (ExkMockServer *self)
{
  ExkMockStore *store = exk_mock_api_get_store (self->api);
  ExkMockUser *demo = exk_mock_store_get_demo_user (store);
  ExkMockToken *token = NULL;

  if (demo != NULL)
    token = exk_mock_store_find_login_token (store, demo->id, g_get_real_time ());

  update_string (&self->demo_email, demo != NULL ? demo->email_address : NULL);
  update_string (&self->demo_password, demo != NULL ? demo->password : NULL);
  update_string (&self->demo_token, token != NULL ? token->id : NULL);
}

static void
delayed_reply_free (DelayedReply *reply)
{
  g_clear_signal_handler (&reply->disconnected_id, reply->msg);
  if (reply->source != NULL)
    {
      g_source_destroy (reply->source);
      g_source_unref (reply->source);
    }
  g_object_unref (reply->msg);
  g_free (reply);
}

static void
release_reply (DelayedReply *reply)
{
  reply->self->delayed = g_list_remove (reply->self->delayed, reply);
  soup_server_message_unpause (reply->msg);
  delayed_reply_free (reply);
}

static gboolean
on_delay_elapsed (gpointer user_data)
{
  DelayedReply *reply = user_data;

  g_clear_pointer (&reply->source, g_source_unref);
  release_reply (reply);

  return G_SOURCE_REMOVE;
}

static void
on_delayed_message_disconnected (SoupServerMessage *msg,
                                 gpointer           user_data)
{
  DelayedReply *reply = user_data;

  reply->self->delayed = g_list_remove (reply->self->delayed, reply);
  delayed_reply_free (reply);
}

/* Pauses @msg until release_reply(), without blocking the loop. */
static DelayedReply *
hold_reply (ExkMockServer     *self,
            SoupServerMessage *msg)
{
  DelayedReply *reply = g_new0 (DelayedReply, 1);

  reply->self = self;
  reply->msg = g_object_ref (msg);
  reply->disconnected_id = g_signal_connect (msg, "disconnected",
                                             G_CALLBACK (on_delayed_message_disconnected),
                                             reply);
  self->delayed = g_list_prepend (self->delayed, reply);
  soup_server_message_pause (msg);

  return reply;
}

/* The answer is ready; hold it back without blocking the loop. */
static void
delay_reply (ExkMockServer     *self,
             SoupServerMessage *msg,
             guint              delay_ms)
{
  DelayedReply *reply = hold_reply (self, msg);

  reply->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (reply->source, on_delay_elapsed, reply, NULL);
  g_source_attach (reply->source, g_main_context_get_thread_default ());
}

static void
write_head (ExkMockRequest *request)
{
  soup_server_message_set_status (request->msg, request->status != 0 ? request->status : 500,
                                  NULL);
  if (request->content_type != NULL)
    soup_message_headers_replace (request->response_headers, "Content-Type",
                                  request->content_type);
}

static void
write_response (ExkMockRequest *request)
{
  write_head (request);

  if (request->response_body != NULL)
    {
      gsize len = 0;
      const char *data = g_bytes_get_data (request->response_body, &len);

      soup_server_message_set_response (request->msg,
                                        request->content_type != NULL
                                        ? request->content_type : "application/octet-stream",
                                        SOUP_MEMORY_COPY, data, len);
    }
}

static void
send_after (ExkMockServer  *self,
            ExkMockRequest *request,
            guint           delay_ms)
{
  write_response (request);
  if (delay_ms > 0)
    delay_reply (self, request->msg, delay_ms);
}

static void
respond_bytes (ExkMockRequest *request,
               guint           status,
               const char     *content_type,
               const char     *data,
               gsize           len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);

  exk_mock_request_respond (request, status, content_type, bytes);
}

static char *
redact_query (const char *query)
{
  static const char *secret_names[] = { "access_token", "api_key", "apikey" };
  g_auto(GStrv) pairs = NULL;

  if (query == NULL)
    return NULL;

  pairs = g_strsplit (query, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (secret_names); j++)
        {
          gsize name_len = strlen (secret_names[j]);

          if (g_ascii_strncasecmp (pairs[i], secret_names[j], name_len) == 0
              && pairs[i][name_len] == '=')
            {
              char *redacted = g_strdup_printf ("%s=[redacted]", secret_names[j]);

              g_free (pairs[i]);
              pairs[i] = redacted;
            }
        }
    }

  return g_strjoinv ("&", pairs);
}

/* The client's port tells one TCP connection from another: a client that
 * keeps its connections alive sends many requests from the same port. */
static guint
remote_port (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  if (G_IS_INET_SOCKET_ADDRESS (address))
    return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
  return 0;
}

/* Never records the Authorization value: only whether one was sent. */
/* Which key or token a request carried, by its first characters only: enough
 * for a test to tell a client key from the user's token, not to use either. */
static char *
dup_credential_prefix (ExkMockRequest *request)
{
  const char *value = soup_message_headers_get_one (request->request_headers, "Authorization");
  const char *space;

  if (value == NULL || (space = strchr (value, ' ')) == NULL)
    return NULL;
  if (g_ascii_strncasecmp (value, "Bearer ", 7) != 0
      && g_ascii_strncasecmp (value, "Token ", 6) != 0)
    return NULL;

  return g_strndup (space + 1, MIN (strlen (space + 1), 6));
}

static JsonObject *
log_request (ExkMockServer  *self,
             ExkMockRequest *request)
{
  g_autofree char *query = redact_query (request->query_string);
  g_autofree char *credential = NULL;
  JsonObject *entry = json_object_new ();
  JsonNode *body = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (request->body, &len);

  if (len > 0 && len <= MAX_LOGGED_BODY)
    body = exk_mock_parse_json (data, len, NULL);

  json_object_set_string_member (entry, "method", request->method);
  json_object_set_string_member (entry, "path", request->path);
  if (query != NULL)
    json_object_set_string_member (entry, "query", query);
  else
    json_object_set_null_member (entry, "query");
  json_object_set_member (entry, "body", body != NULL ? body : json_node_new (JSON_NODE_NULL));
  json_object_set_boolean_member (entry, "has_authorization",
                                  soup_message_headers_get_one (request->request_headers,
                                                                "Authorization") != NULL);
  json_object_set_int_member (entry, "connection", remote_port (request->msg));
  credential = dup_credential_prefix (request);
  if (credential != NULL)
    json_object_set_string_member (entry, "credential", credential);
  else
    json_object_set_null_member (entry, "credential");
  json_object_set_int_member (entry, "status", 0);
  json_object_set_string_member (entry, "answer", "pending");

  if (json_array_get_length (self->requests) >= MAX_LOGGED_REQUESTS)
    json_array_remove_element (self->requests, 0);
  json_array_add_object_element (self->requests, entry);

  return entry;
}

static void
set_answer (ExkMockServer     *self,
            SoupServerMessage *msg,
            const char        *answer,
            gboolean           only_if_pending)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  JsonObject *entry = g_object_get_data (G_OBJECT (msg), "exk-mock-log-entry");

  if (entry == NULL)
    return;

  if (only_if_pending
      && g_strcmp0 (json_object_get_string_member (entry, "answer"), "pending") != 0)
    return;

  json_object_set_string_member (entry, "answer", answer);
}

static void
on_answer_written (SoupServerMessage *msg,
                   gpointer           user_data)
{
  set_answer (user_data, msg, "sent", FALSE);
}

/* Finished without the whole body written: the client went away, or a
 * write failed. */
static void
on_answer_finished (SoupServerMessage *msg,
                    gpointer           user_data)
{
  set_answer (user_data, msg, "aborted", TRUE);
}

/* Lets the log tell a pending answer from a sent or an aborted one, so that
 * a test can see a request arrive while its answer is still on its way. */
static void
track_answer (ExkMockServer     *self,
              SoupServerMessage *msg,
              JsonObject        *entry)
{
  g_object_set_data_full (G_OBJECT (msg), "exk-mock-log-entry", json_object_ref (entry),
                          (GDestroyNotify) json_object_unref);
  g_signal_connect_object (msg, "wrote-body", G_CALLBACK (on_answer_written), self, 0);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_answer_finished), self, 0);
}

/* Returns a copy of the first fault that applies, counting it down. */
static ExkMockFault *
take_fault (ExkMockServer  *self,
            ExkMockRequest *request)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      ExkMockFault *fault = g_ptr_array_index (self->faults, i);
      ExkMockFault *copy;

      if (!exk_mock_fault_matches (fault, request->method, request->path))
        continue;

      copy = exk_mock_fault_parse (fault->spec, NULL);
      if (fault->remaining > 0 && --fault->remaining == 0)
        g_ptr_array_remove_index (self->faults, i);

      return copy;
    }

  return NULL;
}

static void
make_wrong_type (JsonNode *node)
{
  JsonObject *object;
  g_autoptr(GList) members = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (object, l->data);

      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
        json_object_set_int_member (object, l->data, 42);
    }
}

/* The Content-Length matches the cut body: the client sees a complete
 * response that is not valid JSON. */
static void
rewrite_truncated (ExkMockRequest *request)
{
  g_autoptr(GBytes) half = NULL;
  gsize len;

  if (request->response_body == NULL || g_bytes_get_size (request->response_body) == 0)
    return;

  len = g_bytes_get_size (request->response_body);
  half = g_bytes_new_from_bytes (request->response_body, 0, len / 2);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  request->response_body = g_steal_pointer (&half);
}

static void
rewrite_malformed (ExkMockRequest *request)
{
  g_autofree char *broken = NULL;
  gsize len = 0;
  const char *data = NULL;

  if (request->response_body != NULL)
    data = g_bytes_get_data (request->response_body, &len);

  if (len > 0)
    broken = g_strdup_printf ("%.*s<!-- not json -->", (int) (len - 1), data);
  else
    broken = g_strdup ("{\"id\": <!-- not json -->");

  respond_bytes (request, request->status, "application/json; charset=utf-8",
                 broken, strlen (broken));
}

static void
rewrite_wrong_type (ExkMockRequest *request)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(JsonNode) replacement = NULL;
  gsize len = 0;
  const char *data = NULL;

  if (request->response_body != NULL)
    data = g_bytes_get_data (request->response_body, &len);

  if (len > 0)
    parsed = exk_mock_parse_json (data, len, NULL);

  if (parsed != NULL && JSON_NODE_HOLDS_ARRAY (parsed))
    {
      JsonObject *wrapper = json_object_new ();

      json_object_set_member (wrapper, "data", g_steal_pointer (&parsed));
      replacement = json_node_init_object (json_node_alloc (), wrapper);
      json_object_unref (wrapper);
    }
  else if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
    {
      make_wrong_type (parsed);
      replacement = g_steal_pointer (&parsed);
    }
  else
    {
      JsonObject *object = json_object_new ();

      json_object_set_boolean_member (object, "unexpected", TRUE);
      replacement = json_node_init_object (json_node_alloc (), object);
      json_object_unref (object);
    }

  exk_mock_request_respond_json (request, request->status != 0 ? request->status : 200,
                                 replacement);
}

/* An undercounting server: the Link headers stay as they are. */
static void
rewrite_count (ExkMockRequest *request,
               guint64         count)
{
  char text[32];

  if (soup_message_headers_get_one (request->response_headers, "X-Result-Count") == NULL)
    return;

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, count);
  soup_message_headers_replace (request->response_headers, "X-Result-Count", text);
}

/* One header line longer than clients accept: libsoup stops reading headers
 * at 64 KiB, curl at 100 KiB. */
static void
add_header_flood (ExkMockRequest *request)
{
  g_autofree char *padding = g_malloc (HEADER_FLOOD_SIZE + 1);

  memset (padding, 'x', HEADER_FLOOD_SIZE);
  padding[HEADER_FLOOD_SIZE] = '\0';
  soup_message_headers_replace (request->response_headers, "X-Padding", padding);
}

/* Faults that let the request run, then change its answer. */
static void
apply_rewrite_fault (ExkMockRequest *request,
                     ExkMockFault   *fault)
{
  switch (fault->kind)
    {
    case EXK_MOCK_FAULT_TRUNCATED:
      rewrite_truncated (request);
      break;

    case EXK_MOCK_FAULT_MALFORMED:
      rewrite_malformed (request);
      break;

    case EXK_MOCK_FAULT_WRONG_TYPE:
      rewrite_wrong_type (request);
      break;

    case EXK_MOCK_FAULT_COUNT:
      rewrite_count (request, fault->argument);
      break;

    case EXK_MOCK_FAULT_HEADER_FLOOD:
      add_header_flood (request);
      break;

    case EXK_MOCK_FAULT_STATUS:
    case EXK_MOCK_FAULT_HTML:
    case EXK_MOCK_FAULT_DROP:
    case EXK_MOCK_FAULT_SLOW:
    case EXK_MOCK_FAULT_REDIRECT:
    case EXK_MOCK_FAULT_NEST:
    case EXK_MOCK_FAULT_HUGE:
    case EXK_MOCK_FAULT_ENDLESS:
    case EXK_MOCK_FAULT_GZIP_BOMB:
    case EXK_MOCK_FAULT_TRICKLE:
    default:
      break;
    }
}

/* Faults whose answer replaces the request: it never runs, so a DELETE
 * answered with one deletes nothing. */
static gboolean
fault_replaces_request (ExkMockFault *fault)
{
  switch (fault->kind)
    {
    case EXK_MOCK_FAULT_STATUS:
    case EXK_MOCK_FAULT_HTML:
    case EXK_MOCK_FAULT_REDIRECT:
    case EXK_MOCK_FAULT_NEST:
    case EXK_MOCK_FAULT_HUGE:
    case EXK_MOCK_FAULT_ENDLESS:
    case EXK_MOCK_FAULT_GZIP_BOMB:
      return TRUE;

    case EXK_MOCK_FAULT_MALFORMED:
    case EXK_MOCK_FAULT_TRUNCATED:
    case EXK_MOCK_FAULT_DROP:
    case EXK_MOCK_FAULT_SLOW:
    case EXK_MOCK_FAULT_WRONG_TYPE:
    case EXK_MOCK_FAULT_TRICKLE:
    case EXK_MOCK_FAULT_HEADER_FLOOD:
    case EXK_MOCK_FAULT_COUNT:
    default:
      return FALSE;
    }
}

static void
respond_fault_status (ExkMockRequest *request,
                      guint           status)
{
  if (status >= 400)
    exk_mock_request_respond_problem (request, status, NULL);
  else
    exk_mock_request_respond (request, status, NULL, NULL);
}

/* A path is made absolute on this server, as a real server's would be. */
static void
respond_redirect (ExkMockServer  *self,
                  ExkMockRequest *request,
                  const char     *target)
{
  g_autofree char *location = NULL;

  if (target[0] == '/')
    location = g_strconcat (self->url, target, NULL);
  else
    location = g_strdup (target);

  exk_mock_request_respond (request, SOUP_STATUS_FOUND, NULL, NULL);
  soup_message_headers_replace (request->response_headers, "Location", location);
}

/* Answers for faults that replace the request. Bodies too large to build
 * (nest, huge, endless, gzip-bomb) are produced when the answer is sent. */
static void
respond_instead (ExkMockServer  *self,
                 ExkMockRequest *request,
                 ExkMockFault   *fault)
{
  switch (fault->kind)
    {
    case EXK_MOCK_FAULT_STATUS:
      respond_fault_status (request, (guint) fault->argument);
      break;

    case EXK_MOCK_FAULT_HTML:
      respond_bytes (request, SOUP_STATUS_OK, "text/html; charset=utf-8",
                     captive_portal_html, strlen (captive_portal_html));
      break;

    case EXK_MOCK_FAULT_REDIRECT:
      respond_redirect (self, request, fault->target);
      break;

    case EXK_MOCK_FAULT_NEST:
    case EXK_MOCK_FAULT_HUGE:
    case EXK_MOCK_FAULT_ENDLESS:
    case EXK_MOCK_FAULT_GZIP_BOMB:
      exk_mock_request_respond (request, SOUP_STATUS_OK, "application/json; charset=utf-8", NULL);
      break;

    case EXK_MOCK_FAULT_MALFORMED:
    case EXK_MOCK_FAULT_TRUNCATED:
    case EXK_MOCK_FAULT_DROP:
    case EXK_MOCK_FAULT_SLOW:
    case EXK_MOCK_FAULT_WRONG_TYPE:
    case EXK_MOCK_FAULT_TRICKLE:
    case EXK_MOCK_FAULT_HEADER_FLOOD:
    case EXK_MOCK_FAULT_COUNT:
    default:
      g_assert_not_reached ();
    }
}

static void
on_connection_dropped (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
}

static void
drop_connection (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  if (stream == NULL)
    return;

  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, on_connection_dropped, NULL);
  g_object_unref (stream);
}

/* Streamed answers */

static void
on_stream_done (ExkMockStream *stream,
                gpointer       user_data)
{
  ExkMockServer *self = user_data;

  self->streams = g_list_remove (self->streams, stream);
  exk_mock_stream_free (stream);
}

static void
stream_answer (ExkMockServer              *self,
               ExkMockRequest             *request,
               ExkMockBody                *body,
               const ExkMockStreamOptions *options)
{
  ExkMockStream *stream;

  write_head (request);
  stream = exk_mock_stream_start (request->msg, body, options, on_stream_done, self);
  self->streams = g_list_prepend (self->streams, stream);
}

/* The real answer, one byte every @interval_ms. */
static void
trickle_answer (ExkMockServer  *self,
                ExkMockRequest *request,
                guint           interval_ms,
                guint           delay_ms)
{
  ExkMockStreamOptions options = {
    .delay_ms = delay_ms,
    .interval_ms = interval_ms,
    .piece_size = 1,
    .max_duration_ms = MAX_TRICKLE_MS,
  };

  if (request->response_body == NULL || g_bytes_get_size (request->response_body) == 0)
    {
      send_after (self, request, delay_ms);
      return;
    }

  stream_answer (self, request, exk_mock_body_new_bytes (request->response_body), &options);
}

/* Gzip bombs: built once per size on a worker, then served from memory. */

static void
write_gzip (SoupServerMessage *msg,
            GBytes            *gzip)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), gzip);
}

/* Answers every request that waits for the bomb of @size, with it or,
 * should the build fail, with a 500. */
static void
release_bomb_waiters (ExkMockServer *self,
                      guint64        size,
                      GBytes        *gzip)
{
  GList *l = self->delayed;

  while (l != NULL)
    {
      DelayedReply *reply = l->data;

      l = l->next;
      if (reply->source != NULL || reply->bomb_size != size)
        continue;

      if (gzip != NULL)
        write_gzip (reply->msg, gzip);
      else
        soup_server_message_set_status (reply->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      release_reply (reply);
    }
}

static void
on_bomb_built (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BombBuild *build = user_data;
  ExkMockServer *self = build->self;
  g_autoptr(GBytes) gzip = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);

  gzip = exk_mock_gzip_bomb_finish (result, &error);
  self->bombs_building--;

  if (gzip != NULL)
    g_hash_table_insert (self->bombs, g_memdup2 (&build->size, sizeof build->size),
                         g_bytes_ref (gzip));
  else
    g_hash_table_remove (self->bombs, &build->size);

  /* Cancelled: the server is shutting down and frees the waiters itself. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    release_bomb_waiters (self, build->size, gzip);

  g_free (build);
}

static gboolean
remove_built_bomb (gpointer key,
                   gpointer value,
                   gpointer user_data)
{
  return value != NULL;
}

static void
start_bomb_build (ExkMockServer *self,
                  guint64        size)
{
  BombBuild *build = g_new0 (BombBuild, 1);

  /* Bounded: drop the built ones, never those being built. */
  if (g_hash_table_size (self->bombs) >= MAX_CACHED_BOMBS)
    g_hash_table_foreach_remove (self->bombs, remove_built_bomb, NULL);

  g_hash_table_insert (self->bombs, g_memdup2 (&size, sizeof size), NULL);
  self->bombs_building++;

  build->self = self;
  build->size = size;
  exk_mock_gzip_bomb_async (size, self->bomb_cancellable, on_bomb_built, build);
}

static void
send_gzip_bomb (ExkMockServer  *self,
                ExkMockRequest *request,
                guint64         size,
                guint           delay_ms)
{
  gpointer gzip = NULL;
  DelayedReply *reply;

  write_head (request);

  if (g_hash_table_lookup_extended (self->bombs, &size, NULL, &gzip) && gzip != NULL)
    {
      write_gzip (request->msg, gzip);
      if (delay_ms > 0)
        delay_reply (self, request->msg, delay_ms);
      return;
    }

  reply = hold_reply (self, request->msg);
  reply->bomb_size = size;

  if (!g_hash_table_contains (self->bombs, &size))
    start_bomb_build (self, size);
}

/* Sends what the request and its fault produced: at once, after a delay,
 * streamed, or once its gzip bomb exists. */
static void
send_answer (ExkMockServer  *self,
             ExkMockRequest *request,
             ExkMockFault   *fault)
{
  ExkMockStreamOptions options = { .delay_ms = self->latency_ms };

  if (fault == NULL)
    {
      send_after (self, request, self->latency_ms);
      return;
    }

  switch (fault->kind)
    {
    case EXK_MOCK_FAULT_NEST:
      stream_answer (self, request, exk_mock_body_new_nested (fault->argument), &options);
      break;

    case EXK_MOCK_FAULT_HUGE:
      stream_answer (self, request, exk_mock_body_new_padded (fault->argument), &options);
      break;

    case EXK_MOCK_FAULT_ENDLESS:
      options.chunked = TRUE;
      stream_answer (self, request, exk_mock_body_new_endless (fault->argument), &options);
      break;

    case EXK_MOCK_FAULT_TRICKLE:
      trickle_answer (self, request, (guint) fault->argument, self->latency_ms);
      break;

    case EXK_MOCK_FAULT_GZIP_BOMB:
      send_gzip_bomb (self, request, fault->argument, self->latency_ms);
      break;

    case EXK_MOCK_FAULT_SLOW:
      send_after (self, request, self->latency_ms + (guint) fault->argument);
      break;

    default:
      send_after (self, request, self->latency_ms);
      break;
    }
}

/* Control endpoints: loopback only, no authentication, never faulted. */

static void
respond_control_json (ExkMockRequest *request,
                      guint           status,
                      JsonNode       *node)
{
  exk_mock_request_respond_json (request, status, node);
}

static void
handle_control (ExkMockServer  *self,
                ExkMockRequest *request)
{
  const char *path = request->path + strlen ("/_mock");
  const char *method = request->method;

  if (g_str_equal (path, "/requests") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), self->requests);

      respond_control_json (request, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (path, "/requests") && g_str_equal (method, "DELETE"))
    {
      g_clear_pointer (&self->requests, json_array_unref);
      self->requests = json_array_new ();
      exk_mock_request_respond (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
  else if (g_str_equal (path, "/reset") && g_str_equal (method, "POST"))
    {
      g_autoptr(GError) error = NULL;

      if (reset_locked (self, &error))
        exk_mock_request_respond (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
      else
        exk_mock_request_respond_problem (request, SOUP_STATUS_INTERNAL_SERVER_ERROR,
                                          error->message);
    }
  else if (g_str_equal (path, "/faults") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < self->faults->len; i++)
        {
          ExkMockFault *fault = g_ptr_array_index (self->faults, i);

          json_array_add_element (array, exk_mock_fault_to_json (fault));
        }

      node = json_node_init_array (json_node_alloc (), array);
      respond_control_json (request, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (path, "/faults") && g_str_equal (method, "POST"))
    {
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(ExkMockFault) fault = NULL;
      g_autoptr(JsonNode) answer = NULL;
      const char *spec = NULL;
      gsize len = 0;
      const char *data = g_bytes_get_data (request->body, &len);

      if (len > 0)
        body = exk_mock_parse_json (data, len, NULL);
      if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
        {
          JsonNode *member = json_object_get_member (json_node_get_object (body), "spec");

          if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
              && json_node_get_value_type (member) == G_TYPE_STRING)
            spec = json_node_get_string (member);
        }

      if (spec == NULL)
        {
          exk_mock_request_respond_problem (request, SOUP_STATUS_BAD_REQUEST,
                                            "Send {\"spec\": \"[METHOD ]PATH_PREFIX=KIND"
                                            "[:ARG][*COUNT]\"}.");
          return;
        }

      fault = exk_mock_fault_parse (spec, &error);
      if (fault == NULL)
        {
          exk_mock_request_respond_problem (request, SOUP_STATUS_BAD_REQUEST, error->message);
          return;
        }

      answer = exk_mock_fault_to_json (fault);
      g_ptr_array_add (self->faults, g_steal_pointer (&fault));
      respond_control_json (request, SOUP_STATUS_CREATED, answer);
    }
  else if (g_str_equal (path, "/faults") && g_str_equal (method, "DELETE"))
    {
      g_ptr_array_set_size (self->faults, 0);
      exk_mock_request_respond (request, SOUP_STATUS_NO_CONTENT, NULL, NULL);
    }
  else if (g_str_has_prefix (path, "/tokens/") && g_str_equal (method, "GET"))
    {
      g_autofree char *id = g_uri_unescape_string (path + strlen ("/tokens/"), NULL);
      ExkMockStore *store = exk_mock_api_get_store (self->api);
      ExkMockToken *token = id != NULL ? exk_mock_store_find_token (store, id) : NULL;
      g_autoptr(JsonNode) node = NULL;

      if (token == NULL)
        {
          exk_mock_request_respond_problem (request, SOUP_STATUS_NOT_FOUND, "Token not found.");
          return;
        }

      node = exk_mock_token_to_json (token);
      respond_control_json (request, SOUP_STATUS_OK, node);
    }
  else if (g_str_equal (path, "/seed") && g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = exk_mock_store_to_json (exk_mock_api_get_store (self->api));

      respond_control_json (request, SOUP_STATUS_OK, node);
    }
  else
    {
      exk_mock_request_respond_problem (request, SOUP_STATUS_NOT_FOUND, NULL);
    }
}

static gboolean
reset_locked (ExkMockServer  *self,
              GError        **error)
{
  if (!exk_mock_api_reset (self->api, error))
    return FALSE;

  g_ptr_array_set_size (self->faults, 0);
  g_clear_pointer (&self->requests, json_array_unref);
  self->requests = json_array_new ();
  remember_demo_credentials (self);

  return TRUE;
}

/* Signal callbacks */

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  ExkMockServer *self = user_data;
  g_autoptr(ExkMockRequest) request = exk_mock_request_new (msg);
  g_autoptr(ExkMockFault) fault = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  JsonObject *entry;

  if (g_ascii_strncasecmp (request->path, "/_mock/", 7) == 0)
    {
      handle_control (self, request);
      write_response (request);
      return;
    }

  /* Logged first: the entry is visible while the answer is still held
   * back, streamed or built. */
  entry = log_request (self, request);
  fault = take_fault (self, request);

  if (fault != NULL && fault->kind == EXK_MOCK_FAULT_DROP)
    {
      json_object_set_string_member (entry, "answer", "aborted");
      drop_connection (msg);
      return;
    }

  if (fault != NULL && fault_replaces_request (fault))
    respond_instead (self, request, fault);
  else
    exk_mock_api_handle (self->api, request);

  if (fault != NULL)
    apply_rewrite_fault (request, fault);

  json_object_set_int_member (entry, "status", request->status);
  track_answer (self, msg, entry);
  send_answer (self, request, fault);
}

/* Runs in the thread that listens. */
static void
shutdown_server (ExkMockServer *self)
{
  /* Builds stop at their next piece; wait for them, so that no callback
   * outlives the server. */
  g_cancellable_cancel (self->bomb_cancellable);
  while (self->bombs_building > 0)
    g_main_context_iteration (self->context, TRUE);
  g_clear_object (&self->bomb_cancellable);
  self->bomb_cancellable = g_cancellable_new ();

  while (self->streams != NULL)
    {
      ExkMockStream *stream = self->streams->data;

      self->streams = g_list_delete_link (self->streams, self->streams);
      exk_mock_stream_free (stream);
    }

  while (self->delayed != NULL)
    {
      DelayedReply *reply = self->delayed->data;

      self->delayed = g_list_delete_link (self->delayed, self->delayed);
      delayed_reply_free (reply);
    }

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

static gpointer
server_thread (gpointer data)
{
  ExkMockServer *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  gboolean listening;

  g_main_context_push_thread_default (context);
  self->loop = g_main_loop_new (context, FALSE);

  listening = exk_mock_server_listen (self, 0, &error);

  g_mutex_lock (&self->thread_mutex);
  self->thread_error = g_steal_pointer (&error);
  self->thread_ready = TRUE;
  g_cond_signal (&self->thread_cond);
  g_mutex_unlock (&self->thread_mutex);

  if (listening)
    g_main_loop_run (self->loop);

  shutdown_server (self);
  while (g_main_context_iteration (context, FALSE))
    ;

  g_main_context_pop_thread_default (context);
  g_clear_pointer (&self->loop, g_main_loop_unref);

  return NULL;
}

static gboolean
quit_loop (gpointer user_data)
{
  ExkMockServer *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

/* Overrides */

static void
exk_mock_server_dispose (GObject *object)
{
  ExkMockServer *self = (ExkMockServer *)object;

  exk_mock_server_stop (self);

  G_OBJECT_CLASS (exk_mock_server_parent_class)->dispose (object);
}

static void
exk_mock_server_finalize (GObject *object)
{
  ExkMockServer *self = (ExkMockServer *)object;

  g_clear_object (&self->api);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->requests, json_array_unref);
  g_clear_pointer (&self->bombs, g_hash_table_unref);
  g_clear_object (&self->bomb_cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->demo_email, g_free);
  g_clear_pointer (&self->demo_password, g_free);
  g_clear_pointer (&self->demo_token, g_free);
  g_clear_error (&self->thread_error);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->thread_mutex);
  g_cond_clear (&self->thread_cond);

  G_OBJECT_CLASS (exk_mock_server_parent_class)->finalize (object);
}

static void
exk_mock_server_class_init (ExkMockServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = exk_mock_server_dispose;
  object_class->finalize = exk_mock_server_finalize;
}

static void
exk_mock_server_init (ExkMockServer *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->thread_mutex);
  g_cond_init (&self->thread_cond);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) exk_mock_fault_free);
  self->requests = json_array_new ();
  self->bombs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, bytes_unref0);
  self->bomb_cancellable = g_cancellable_new ();
}

/* Public API */

ExkMockServer *
exk_mock_server_new (const ExkMockOptions  *options,
                     GError               **error)
{
  g_autoptr(ExkMockServer) self = g_object_new (EXK_TYPE_MOCK_SERVER, NULL);
  ExkMockOptions defaults = { 0 };

  if (options == NULL)
    options = &defaults;

  self->latency_ms = options->latency_ms;
  self->api = exk_mock_api_new (options->projects, options->tokens, options->organization_tokens,
                                options->seed_file, options->rate_limit, error);
  if (self->api == NULL)
    return NULL;

  remember_demo_credentials (self);

  return g_steal_pointer (&self);
}

gboolean
exk_mock_server_listen (ExkMockServer  *self,
                        guint           port,
                        GError        **error)
{
  g_autoptr(SoupServer) server = NULL;
  GSList *uris;
  int bound_port = 0;

  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  if (self->server != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "The server is already listening");
      return FALSE;
    }

  server = soup_server_new ("server-header", "exkeys-mock-server ", NULL);
  soup_server_add_handler (server, NULL, on_request, self, NULL);

  if (!soup_server_listen_local (server, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  if (uris != NULL)
    bound_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->server = g_steal_pointer (&server);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_free (self->url);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", bound_port);

  return TRUE;
}

const char *
exk_mock_server_get_url (ExkMockServer *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), NULL);

  return self->url;
}

const char *
exk_mock_server_get_demo_email (ExkMockServer *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), NULL);

  return self->demo_email;
}

const char *
exk_mock_server_get_demo_password (ExkMockServer *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), NULL);

  return self->demo_password;
}

const char *
exk_mock_server_get_demo_token (ExkMockServer *self)
{
  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), NULL);

  return self->demo_token;
}

gboolean
exk_mock_server_add_fault (ExkMockServer  *self,
                           const char     *spec,
                           GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  ExkMockFault *fault;

  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  fault = exk_mock_fault_parse (spec, error);
  if (fault == NULL)
    return FALSE;

  locker = g_mutex_locker_new (&self->mutex);
  g_ptr_array_add (self->faults, fault);

  return TRUE;
}

void
exk_mock_server_clear_faults (ExkMockServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (EXK_IS_MOCK_SERVER (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_ptr_array_set_size (self->faults, 0);
}

/* Restores the seed and clears faults, the request log and the throttles,
 * like POST /_mock/reset. Demo strings returned before stay valid unless a
 * seed file changed in between. */
gboolean
exk_mock_server_reset (ExkMockServer  *self,
                       GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  return reset_locked (self, error);
}

char *
exk_mock_server_dump_seed (ExkMockServer *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (EXK_IS_MOCK_SERVER (self), NULL);

  locker = g_mutex_locker_new (&self->mutex);
  node = exk_mock_store_to_json (exk_mock_api_get_store (self->api));

  return json_to_string (node, TRUE);
}

ExkMockServer *
exk_mock_server_start_in_thread (const ExkMockOptions  *options,
                                 GError               **error)
{
  g_autoptr(ExkMockServer) self = exk_mock_server_new (options, error);

  if (self == NULL)
    return NULL;

  self->thread = g_thread_new ("exk-mock-server", server_thread, self);

  g_mutex_lock (&self->thread_mutex);
  while (!self->thread_ready)
    g_cond_wait (&self->thread_cond, &self->thread_mutex);
  g_mutex_unlock (&self->thread_mutex);

  if (self->thread_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->thread_error));
      g_thread_join (g_steal_pointer (&self->thread));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
exk_mock_server_stop (ExkMockServer *self)
{
  g_return_if_fail (EXK_IS_MOCK_SERVER (self));

  if (self->thread != NULL)
    {
      GSource *source = g_idle_source_new ();

      /* Not g_main_loop_quit() from here: the loop may not run yet. */
      g_source_set_callback (source, quit_loop, self, NULL);
      g_source_attach (source, self->context);
      g_source_unref (source);
      g_thread_join (g_steal_pointer (&self->thread));
      return;
    }

  shutdown_server (self);
}

// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Tests of the fake server itself, over real loopback HTTP: the rules other
 * tests rely on (paging, scopes, bulk delete, faults) must hold here first.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "exk-mock-fault.h"
#include "exk-mock-server.h"

#define PISTOL_ID "537650f3b77efe23a47914f4"
#define ACME_ID   "537650f3b77efe23a47914f3"
#define FREE_ORG_ID "537650f3b77efe23a47914f5"
#define ROCKET_ID "537650f3b77efe23a47914f7"
#define UNKNOWN_ID "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"

typedef struct
{
  ExkMockServer *server;
  SoupSession   *session;
  const char    *token;
} Fixture;

typedef struct
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               length;
  JsonNode           *json;
} Response;

static void
response_free (Response *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->body);
  g_clear_pointer (&response->json, json_node_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static void
fixture_start (Fixture              *fixture,
               const ExkMockOptions *options)
{
  g_autoptr(GError) error = NULL;

  fixture->server = exk_mock_server_start_in_thread (options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->server);
  g_assert_true (g_str_has_prefix (exk_mock_server_get_url (fixture->server), "http://127.0.0.1:"));

  fixture->session = soup_session_new_with_options ("timeout", 20, NULL);
  fixture->token = exk_mock_server_get_demo_token (fixture->server);
  g_assert_cmpint (strlen (fixture->token), ==, 40);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture_start (fixture, user_data);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_clear_object (&fixture->session);
  exk_mock_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
}

static Response *
response_new (SoupMessage *msg,
              GBytes      *bytes)
{
  Response *response = g_new0 (Response, 1);
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  response->status = soup_message_get_status (msg);
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  /* Not g_strndup(): a gzip body has NUL bytes. */
  response->body = g_malloc (len + 1);
  if (len > 0)
    memcpy (response->body, data, len);
  response->body[len] = '\0';
  response->length = len;

  if (len > 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, response->body, (gssize) len, NULL))
        response->json = json_node_copy (json_parser_get_root (parser));
    }

  return response;
}

static SoupMessage *
message_new (Fixture    *fixture,
             const char *method,
             const char *path,
             const char *authorization)
{
  g_autofree char *url = g_strconcat (exk_mock_server_get_url (fixture->server), path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert_nonnull (msg);

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Authorization", authorization);

  return msg;
}

static Response *
send_message (SoupSession  *session,
              SoupMessage  *msg,
              GError      **error)
{
  g_autoptr(GBytes) bytes = soup_session_send_and_read (session, msg, NULL, error);

  if (bytes == NULL)
    return NULL;

  return response_new (msg, bytes);
}

static Response *
send_full (Fixture    *fixture,
           const char *method,
           const char *path,
           const char *authorization,
           const char *content_type,
           const char *body,
           GError    **error)
{
  g_autoptr(SoupMessage) msg = message_new (fixture, method, path, authorization);

  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, content_type, request_body);
    }

  return send_message (fixture->session, msg, error);
}

static Response *
send_as (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *token,
         const char *json_body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  Response *response;

  if (token != NULL)
    authorization = g_strdup_printf ("Bearer %s", token);

  response = send_full (fixture, method, path, authorization, "application/json", json_body,
                        &error);
  g_assert_no_error (error);

  return response;
}

static Response *
send_json (Fixture    *fixture,
           const char *method,
           const char *path,
           const char *json_body)
{
  return send_as (fixture, method, path, fixture->token, json_body);
}

static JsonObject *
object_of (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->json));

  return json_node_get_object (response->json);
}

static JsonArray *
array_of (Response *response)
{
  g_assert_nonnull (response->json);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (response->json));

  return json_node_get_array (response->json);
}

static const char *
title_of (Response *response)
{
  return json_object_get_string_member (object_of (response), "title");
}

static const char *
first_error (Response   *response,
             const char *field)
{
  JsonObject *errors = json_object_get_object_member (object_of (response), "errors");

  g_assert_nonnull (errors);
  g_assert_true (json_object_has_member (errors, field));

  return json_array_get_string_element (json_object_get_array_member (errors, field), 0);
}

static gboolean
has_scope (JsonObject *token,
           const char *scope)
{
  JsonArray *scopes = json_object_get_array_member (token, "scopes");

  for (guint i = 0; i < json_array_get_length (scopes); i++)
    if (g_str_equal (json_array_get_string_element (scopes, i), scope))
      return TRUE;

  return FALSE;
}

/* Returns the URL of the Link with this relation, or NULL. Handles both
 * separate Link lines and one comma-joined line. */
static char *
find_link (Response   *response,
           const char *rel)
{
  g_autofree char *wanted = g_strdup_printf ("rel=\"%s\"", rel);
  const char *header = soup_message_headers_get_list (response->headers, "Link");
  g_auto(GStrv) links = NULL;

  if (header == NULL)
    return NULL;

  links = g_strsplit (header, ",", -1);
  for (guint i = 0; links[i] != NULL; i++)
    {
      const char *start = strchr (links[i], '<');
      const char *end = strchr (links[i], '>');

      if (start != NULL && end != NULL && strstr (end, wanted) != NULL)
        return g_strndup (start + 1, (gsize) (end - start - 1));
    }

  return NULL;
}

static char *
create_key (Fixture    *fixture,
            const char *body)
{
  g_autoptr(Response) response = NULL;

  response = send_json (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens", body);

  g_assert_cmpuint (response->status, ==, 201);
  return g_strdup (json_object_get_string_member (object_of (response), "id"));
}

static char *
write_small_seed (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_user_cache_dir (), "small-seed.json", NULL);
  const char *seed =
    "{\"organizations\": [{\"id\": \"" ACME_ID "\", \"name\": \"Acme\"}],"
    " \"users\": [{\"id\": \"537650f3b77efe23a4791401\", \"email_address\": \"org@localhost\","
    "   \"password\": \"tester\", \"organization_ids\": [\"" ACME_ID "\"]}]}";

  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  g_file_set_contents (path, seed, -1, &error);
  g_assert_no_error (error);

  return path;
}

/* The log entry of the latest request to @path, or NULL. */
static JsonObject *
find_log_entry (Response   *log,
                const char *path)
{
  JsonArray *entries = array_of (log);

  for (guint i = json_array_get_length (entries); i > 0; i--)
    {
      JsonObject *entry = json_array_get_object_element (entries, i - 1);

      if (g_str_equal (json_object_get_string_member (entry, "path"), path))
        return entry;
    }

  return NULL;
}

/* Polls the request log until the latest request to @path has @answer;
 * fails after ten seconds. */
static void
wait_for_answer (Fixture    *fixture,
                 const char *path,
                 const char *answer)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(Response) log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
      JsonObject *entry = find_log_entry (log, path);
      const char *seen = entry != NULL ? json_object_get_string_member (entry, "answer") : NULL;

      if (g_strcmp0 (seen, answer) == 0)
        return;

      if (g_get_monotonic_time () > deadline)
        g_error ("The answer to %s is still \"%s\", not \"%s\"", path, seen, answer);

      g_usleep (5 * 1000);
    }
}

/* Resident memory of the whole test, server thread included, in KiB; -1
 * where /proc is missing. */
static gint64
get_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("\nVmRSS:"), NULL, 10);
}

typedef gboolean (*ByteCheck) (const char *data,
                               gsize       len,
                               guint64     offset,
                               guint64     total);

typedef struct
{
  guint64  size;
  gboolean ended;          /* the stream ended by itself */
  char     head[16];
  gint64   rss_growth_kb;  /* largest RSS seen minus the RSS at the start */
} BodySummary;

/* Reads up to @limit bytes in constant memory, checking every byte with
 * @check and watching the process's memory. */
static void
read_body (GInputStream *stream,
           guint64       limit,
           guint64       total,
           ByteCheck     check,
           BodySummary  *summary)
{
  const gsize block = 256 * 1024;
  g_autofree char *buffer = g_malloc (block);
  gint64 rss_start = get_rss_kb ();
  guint64 next_sample = 0;

  memset (summary, 0, sizeof *summary);

  while (summary->size < limit)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_input_stream_read (stream, buffer, (gsize) MIN (block, limit - summary->size),
                                      NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        {
          summary->ended = TRUE;
          break;
        }

      if (summary->size < sizeof summary->head)
        memcpy (summary->head + summary->size, buffer,
                MIN ((gsize) n, sizeof summary->head - summary->size));
      if (!check (buffer, (gsize) n, summary->size, total))
        g_error ("Unexpected byte near offset %" G_GUINT64_FORMAT, summary->size);
      summary->size += (guint64) n;

      if (summary->size >= next_sample && rss_start >= 0)
        {
          summary->rss_growth_kb = MAX (summary->rss_growth_kb, get_rss_kb () - rss_start);
          next_sample = summary->size + 8 * 1024 * 1024;
        }
    }
}

/* ["xxx…"] */
static gboolean
check_padded (const char *data,
              gsize       len,
              guint64     offset,
              guint64     total)
{
  for (gsize i = 0; i < len; i++)
    {
      guint64 at = offset + i;
      char expected = 'x';

      if (at == 0)
        expected = '[';
      else if (at == 1 || at == total - 2)
        expected = '"';
      else if (at == total - 1)
        expected = ']';

      if (data[i] != expected)
        return FALSE;
    }

  return TRUE;
}

/* [0,0,0,… (the end is checked by the caller) */
static gboolean
check_zeros (const char *data,
             gsize       len,
             guint64     offset,
             guint64     total)
{
  for (gsize i = 0; i < len; i++)
    {
      guint64 at = offset + i;
      char expected = at == 0 ? '[' : at % 2 == 1 ? '0' : ',';

      if (at + 3 >= total)
        continue;
      if (data[i] != expected)
        return FALSE;
    }

  return TRUE;
}

/* [[[…]]] */
static gboolean
check_nested (const char *data,
              gsize       len,
              guint64     offset,
              guint64     total)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != (offset + i < total / 2 ? '[' : ']'))
      return FALSE;

  return TRUE;
}

/* A request sent from a thread of its own, so that the test can look at
 * the server while the answer is on its way. */
typedef struct
{
  char        *url;
  char        *authorization;
  gboolean     raw;          /* no content decoding */
  GThread     *thread;
  gint         done;
  Response    *response;
  GError      *error;
  gint64       elapsed_us;
} Background;

static gpointer
background_run (gpointer data)
{
  Background *background = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", background->url);
  gint64 start = g_get_monotonic_time ();

  if (background->raw)
    soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);
  if (background->authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                  background->authorization);

  background->response = send_message (session, msg, &background->error);
  background->elapsed_us = g_get_monotonic_time () - start;
  g_atomic_int_set (&background->done, TRUE);

  return NULL;
}

static Background *
background_get (Fixture    *fixture,
                const char *path,
                gboolean    raw)
{
  Background *background = g_new0 (Background, 1);

  background->url = g_strconcat (exk_mock_server_get_url (fixture->server), path, NULL);
  background->authorization = g_strdup_printf ("Bearer %s", fixture->token);
  background->raw = raw;
  background->thread = g_thread_new ("background-request", background_run, background);

  return background;
}

/* Returns the response, or NULL with the error of the request. */
static Response *
background_join (Background  *background,
                 gint64      *elapsed_us,
                 GError     **error)
{
  Response *response;

  g_thread_join (background->thread);
  response = background->response;
  if (elapsed_us != NULL)
    *elapsed_us = background->elapsed_us;
  if (background->error != NULL)
    g_propagate_error (error, background->error);

  g_free (background->url);
  g_free (background->authorization);
  g_free (background);

  return response;
}

/* Tests */

static void
test_login (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autoptr(Response) ok = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) oauth = NULL;
  g_autoptr(Response) invalid = NULL;
  g_autoptr(Response) me = NULL;

  ok = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                "{\"email\": \" ORG@localhost \", \"password\": \"tester\"}");
  g_assert_cmpuint (ok->status, ==, 200);
  /* Every login shares the one unexpired login token. */
  g_assert_cmpstr (json_object_get_string_member (object_of (ok), "token"), ==, fixture->token);

  again = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                   "{\"email\": \"org@localhost\", \"password\": \"tester\"}");
  g_assert_cmpstr (json_object_get_string_member (object_of (again), "token"), ==, fixture->token);

  wrong = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                   "{\"email\": \"org@localhost\", \"password\": \"wrong-password\"}");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpstr (title_of (wrong), ==, "Login failed.");
  g_assert_cmpstr (soup_message_headers_get_content_type (wrong->headers, NULL), ==,
                   "application/problem+json");
  g_assert_nonnull (soup_message_headers_get_one (wrong->headers, "WWW-Authenticate"));

  oauth = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                   "{\"email\": \"oauth@localhost\", \"password\": \"whatever\"}");
  g_assert_cmpuint (oauth->status, ==, 401);
  g_assert_cmpstr (title_of (oauth), ==, "Login failed.");

  invalid = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                     "{\"email\": \"org@localhost\", \"password\": \"12345\"}");
  g_assert_cmpuint (invalid->status, ==, 422);
  g_assert_nonnull (first_error (invalid, "password"));

  me = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (me), "email_address"), ==,
                   "org@localhost");
  g_assert_true (json_object_get_boolean_member (object_of (me), "has_local_account"));
}

static void
test_login_throttle (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Response) denied = NULL;
  g_autoptr(Response) other = NULL;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(Response) failed = NULL;

      failed = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                        "{\"email\": \"free@localhost\", \"password\": \"not-the-password\"}");
      g_assert_cmpuint (failed->status, ==, 401);
      g_assert_cmpstr (title_of (failed), ==, "Login failed.");
    }

  /* The sixth attempt is denied even with the right password. */
  denied = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                    "{\"email\": \"free@localhost\", \"password\": \"tester\"}");
  g_assert_cmpuint (denied->status, ==, 401);
  g_assert_cmpstr (title_of (denied), ==, "Login denied.");

  other = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                   "{\"email\": \"ops@localhost\", \"password\": \"tester\"}");
  g_assert_cmpuint (other->status, ==, 200);
}

static void
test_login_success_resets_throttle (Fixture       *fixture,
                                    gconstpointer  user_data)
{
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(Response) ok = NULL;

      for (guint i = 0; i < 4; i++)
        {
          g_autoptr(Response) failed = NULL;

          failed = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                            "{\"email\": \"free@localhost\", \"password\": \"not-the-password\"}");
          g_assert_cmpstr (title_of (failed), ==, "Login failed.");
        }

      ok = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                    "{\"email\": \"free@localhost\", \"password\": \"tester\"}");
      g_assert_cmpuint (ok->status, ==, 200);
    }
}

static void
test_projects_limit_1000 (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_autofree char *seed = write_small_seed ();
  ExkMockOptions options = { .projects = 2500, .seed_file = seed };
  g_autoptr(Response) page1 = NULL;
  g_autoptr(Response) page3 = NULL;
  g_autofree char *next = NULL;
  g_autofree char *previous = NULL;
  JsonArray *items;
  gint64 start = g_get_monotonic_time ();

  fixture_start (fixture, &options);
  /* Generating thousands of projects must not slow tests down. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  page1 = send_json (fixture, "GET", "/api/v2/projects?limit=1000", NULL);
  g_assert_cmpuint (page1->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (page1->headers, "X-Result-Count"), ==, "2500");
  items = array_of (page1);
  g_assert_cmpuint (json_array_get_length (items), ==, 1000);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "name"),
                   ==, "Project 00001");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                  "organization_name"), ==, "Acme");
  next = find_link (page1, "next");
  g_assert_null (next);

  page3 = send_json (fixture, "GET", "/api/v2/projects?limit=1000&page=3", NULL);
  g_assert_cmpuint (page3->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (page3)), ==, 500);
  g_assert_cmpstr (soup_message_headers_get_one (page3->headers, "X-Result-Count"), ==, "2500");
  previous = find_link (page3, "previous");
  g_assert_nonnull (previous);
  g_assert_true (g_str_has_suffix (previous, "/api/v2/projects?limit=1000&page=2"));
}

static void
test_projects_next_rule (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *seed = write_small_seed ();
  ExkMockOptions options = { .projects = 2500, .seed_file = seed };
  g_autoptr(Response) page1 = NULL;
  g_autoptr(Response) page8 = NULL;
  g_autoptr(Response) page9 = NULL;
  g_autoptr(Response) page26 = NULL;
  g_autoptr(Response) clamped = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *link1 = NULL;
  g_autofree char *link8 = NULL;
  g_autofree char *link9 = NULL;
  g_autofree char *prev1 = NULL;
  g_autofree char *prev9 = NULL;

  fixture_start (fixture, &options);

  page1 = send_json (fixture, "GET", "/api/v2/projects?limit=100&mode=stats", NULL);
  link1 = find_link (page1, "next");
  prev1 = find_link (page1, "previous");
  expected = g_strdup_printf ("%s/api/v2/projects?limit=100&mode=stats&page=2",
                              exk_mock_server_get_url (fixture->server));
  g_assert_cmpstr (link1, ==, expected);
  g_assert_null (prev1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array_of (page1), 0),
                                               "event_count"), >, 0);

  page8 = send_json (fixture, "GET", "/api/v2/projects?page=8&limit=100", NULL);
  link8 = find_link (page8, "next");
  g_assert_nonnull (link8);
  g_assert_true (g_str_has_suffix (link8, "?page=9&limit=100"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array_of (page8), 0),
                                               "event_count"), ==, 0);

  /* (9 + 1) * 100 is not below 1000: no next link, although more exist. */
  page9 = send_json (fixture, "GET", "/api/v2/projects?page=9&limit=100", NULL);
  link9 = find_link (page9, "next");
  prev9 = find_link (page9, "previous");
  g_assert_null (link9);
  g_assert_nonnull (prev9);
  g_assert_cmpuint (json_array_get_length (array_of (page9)), ==, 100);

  page26 = send_json (fixture, "GET", "/api/v2/projects?page=26&limit=100", NULL);
  g_assert_cmpuint (page26->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (page26)), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (page26->headers, "X-Result-Count"), ==, "2500");

  clamped = send_json (fixture, "GET", "/api/v2/projects?limit=5000&page=0", NULL);
  g_assert_cmpuint (json_array_get_length (array_of (clamped)), ==, 1000);
}

static void
test_tokens_limit_clamp (Fixture       *fixture,
                         gconstpointer  user_data)
{
  ExkMockOptions options = { .tokens = 250 };
  g_autoptr(Response) page = NULL;
  g_autoptr(Response) fallback = NULL;
  g_autofree char *next = NULL;
  JsonArray *items;
  const char *previous_created = "";

  fixture_start (fixture, &options);

  page = send_json (fixture, "GET", "/api/v2/projects/" PISTOL_ID "/tokens?limit=500", NULL);
  g_assert_cmpuint (page->status, ==, 200);
  items = array_of (page);
  g_assert_cmpuint (json_array_get_length (items), ==, 100);
  /* 250 generated plus the 7 demo keys of the project. */
  g_assert_cmpstr (soup_message_headers_get_one (page->headers, "X-Result-Count"), ==, "257");
  next = find_link (page, "next");
  g_assert_nonnull (next);
  g_assert_true (g_str_has_suffix (next, "limit=500&page=2"));

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *token = json_array_get_object_element (items, i);
      const char *created = json_object_get_string_member (token, "created_utc");

      g_assert_cmpint (strlen (json_object_get_string_member (token, "id")), ==, 40);
      g_assert_true (g_str_has_suffix (created, "Z"));
      g_assert_cmpstr (previous_created, <=, created);
      previous_created = created;
    }

  fallback = send_json (fixture, "GET", "/api/v2/projects/" PISTOL_ID "/tokens?limit=0", NULL);
  g_assert_cmpuint (json_array_get_length (array_of (fallback)), ==, 10);
}

static void
test_create_scopes (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(Response) admin = NULL;
  g_autoptr(Response) user = NULL;
  g_autoptr(Response) maps = NULL;
  g_autoptr(Response) org_maps = NULL;
  g_autoptr(Response) no_project = NULL;
  g_autoptr(Response) null_org = NULL;
  g_autoptr(Response) empty = NULL;
  g_autoptr(Response) global = NULL;
  JsonObject *token;
  const char *location;

  admin = send_json (fixture, "POST", "/api/v2/tokens",
                     "{\"project_id\": \"" PISTOL_ID "\", \"scopes\": [\"admin\"]}");
  g_assert_cmpuint (admin->status, ==, 422);
  g_assert_cmpstr (first_error (admin, "scopes"), ==, "Invalid token scope requested.");
  g_assert_cmpstr (json_object_get_string_member (object_of (admin), "instance"), ==,
                   "POST /api/v2/tokens");

  user = send_json (fixture, "POST", "/api/v2/tokens",
                    "{\"project_id\": \"" PISTOL_ID "\", \"scopes\": [\"User\"],"
                    " \"notes\": \"CI\"}");
  g_assert_cmpuint (user->status, ==, 201);
  token = object_of (user);
  g_assert_true (has_scope (token, "user"));
  g_assert_true (has_scope (token, "client"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (token, "scopes")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (token, "organization_id"), ==, ACME_ID);
  g_assert_cmpint (strlen (json_object_get_string_member (token, "id")), ==, 40);
  location = soup_message_headers_get_one (user->headers, "Location");
  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, exk_mock_server_get_url (fixture->server)));

  maps = send_json (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens",
                    "{\"scopes\": [\"source-maps:write\"], \"notes\": \"Source map deployment\"}");
  g_assert_cmpuint (maps->status, ==, 201);
  token = object_of (maps);
  g_assert_true (has_scope (token, "source-maps:write"));
  g_assert_false (has_scope (token, "client"));
  g_assert_cmpstr (json_object_get_string_member (token, "project_id"), ==, PISTOL_ID);

  org_maps = send_json (fixture, "POST", "/api/v2/organizations/" ACME_ID "/tokens",
                        "{\"scopes\": [\"source-maps:write\"]}");
  g_assert_cmpuint (org_maps->status, ==, 422);
  g_assert_nonnull (first_error (org_maps, "project_id"));

  global = send_json (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens",
                      "{\"scopes\": [\"global\"]}");
  g_assert_cmpuint (global->status, ==, 422);
  g_assert_nonnull (first_error (global, "scopes"));

  no_project = send_json (fixture, "POST", "/api/v2/tokens", "{\"scopes\": [\"client\"]}");
  g_assert_cmpuint (no_project->status, ==, 400);
  g_assert_cmpstr (first_error (no_project, "project_id"), ==, "The project_id field is required.");

  null_org = send_json (fixture, "POST", "/api/v2/tokens",
                        "{\"project_id\": \"" PISTOL_ID "\", \"organization_id\": null}");
  g_assert_cmpuint (null_org->status, ==, 400);

  empty = send_json (fixture, "POST", "/api/v2/projects/" PISTOL_ID "/tokens", NULL);
  g_assert_cmpuint (empty->status, ==, 201);
  g_assert_true (has_scope (object_of (empty), "client"));
  g_assert_false (json_object_has_member (object_of (empty), "notes"));
}

static void
test_patch (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_autofree char *id = create_key (fixture, "{\"notes\": \"Before\"}");
  g_autofree char *path = g_strdup_printf ("/api/v2/tokens/%s", id);
  g_autofree char *state_path = g_strdup_printf ("/_mock/tokens/%s", id);
  g_autoptr(Response) disabled = NULL;
  g_autoptr(Response) state = NULL;
  g_autoptr(Response) unchanged = NULL;
  g_autoptr(Response) cleared = NULL;
  g_autoptr(Response) missing = NULL;
  g_autoptr(Response) wrong = NULL;
  g_autoptr(Response) unknown = NULL;
  JsonObject *token;

  disabled = send_json (fixture, "PATCH", path,
                        "{\"is_disabled\": true, \"notes\": \"After\", \"scopes\": [\"user\"],"
                        " \"organization_id\": \"537650f3b77efe23a47914f5\"}");
  g_assert_cmpuint (disabled->status, ==, 200);
  token = object_of (disabled);
  g_assert_true (json_object_get_boolean_member (token, "is_disabled"));
  g_assert_cmpstr (json_object_get_string_member (token, "notes"), ==, "After");
  /* Everything but is_disabled and notes is ignored. */
  g_assert_false (has_scope (token, "user"));
  g_assert_cmpstr (json_object_get_string_member (token, "organization_id"), ==, ACME_ID);

  state = send_as (fixture, "GET", state_path, NULL, NULL);
  g_assert_cmpuint (state->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (object_of (state), "is_disabled"));

  unchanged = send_json (fixture, "PUT", path, "{}");
  g_assert_cmpuint (unchanged->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (unchanged), "notes"), ==, "After");
  g_assert_cmpstr (json_object_get_string_member (object_of (unchanged), "updated_utc"), ==,
                   json_object_get_string_member (token, "updated_utc"));

  cleared = send_json (fixture, "PATCH", path, "{\"notes\": null}");
  g_assert_cmpuint (cleared->status, ==, 200);
  g_assert_false (json_object_has_member (object_of (cleared), "notes"));
  g_assert_true (json_object_get_boolean_member (object_of (cleared), "is_disabled"));

  missing = send_json (fixture, "PATCH", path, NULL);
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpstr (first_error (missing, ""), ==, "A non-empty request body is required.");

  wrong = send_json (fixture, "PATCH", path, "{\"is_disabled\": \"yes\"}");
  g_assert_cmpuint (wrong->status, ==, 400);

  unknown = send_json (fixture, "PATCH", "/api/v2/tokens/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                       "{\"is_disabled\": false}");
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (title_of (unknown), ==, "Token not found.");
}

static void
test_delete_partial (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *first = create_key (fixture, NULL);
  g_autofree char *second = create_key (fixture, NULL);
  g_autofree char *mixed_path = NULL;
  g_autofree char *state_path = g_strdup_printf ("/_mock/tokens/%s", first);
  g_autofree char *single_path = g_strdup_printf ("/api/v2/tokens/%s", second);
  g_autoptr(Response) mixed = NULL;
  g_autoptr(Response) state = NULL;
  g_autoptr(Response) none = NULL;
  g_autoptr(Response) single = NULL;
  g_autoptr(Response) bad_route = NULL;
  JsonObject *body;
  JsonObject *failure;
  JsonArray *success;

  mixed_path = g_strdup_printf ("/api/v2/tokens/%s,%s", first, UNKNOWN_ID);
  mixed = send_json (fixture, "DELETE", mixed_path, NULL);
  g_assert_cmpuint (mixed->status, ==, 400);
  g_assert_cmpstr (soup_message_headers_get_content_type (mixed->headers, NULL), ==,
                   "application/json");
  body = object_of (mixed);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "success")), ==, 1);
  success = json_object_get_array_member (body, "success");
  g_assert_cmpstr (json_array_get_string_element (success, 0), ==, first);
  failure = json_array_get_object_element (json_object_get_array_member (body, "failure"), 0);
  g_assert_false (json_object_get_boolean_member (failure, "allowed"));
  g_assert_cmpstr (json_object_get_string_member (failure, "id"), ==, UNKNOWN_ID);
  g_assert_cmpint (json_object_get_int_member (failure, "status_code"), ==, 404);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "workers")), ==, 0);

  /* The ids in "success" really are gone. */
  state = send_as (fixture, "GET", state_path, NULL, NULL);
  g_assert_cmpuint (state->status, ==, 404);

  none = send_json (fixture, "DELETE", mixed_path, NULL);
  g_assert_cmpuint (none->status, ==, 404);
  g_assert_cmpstr (title_of (none), ==, "No tokens found.");

  single = send_json (fixture, "DELETE", single_path, NULL);
  g_assert_cmpuint (single->status, ==, 202);
  g_assert_cmpstr (single->body, ==, "{\"workers\":[]}");

  bad_route = send_json (fixture, "DELETE", "/api/v2/tokens/short", NULL);
  g_assert_cmpuint (bad_route->status, ==, 404);
  g_assert_cmpstr (title_of (bad_route), ==, "Not Found");
}

/* GET organizations/{id}/tokens (§4, §6.5): every key of the organization, project-bound,
 * organization-wide and legacy user-bound, paged like the project lists. */
static void
test_organization_tokens_paging (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  ExkMockOptions options = { .organization_tokens = 1200 };
  g_autoptr(Response) page1 = NULL;
  g_autoptr(Response) page8 = NULL;
  g_autoptr(Response) page9 = NULL;
  g_autoptr(Response) last = NULL;
  g_autoptr(Response) beyond = NULL;
  g_autoptr(Response) unknown = NULL;
  g_autofree char *next1 = NULL;
  g_autofree char *next8 = NULL;
  g_autofree char *next9 = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *count_text = NULL;
  g_autoptr(GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *items;
  guint total;
  guint last_page;

  fixture_start (fixture, &options);

  page1 = send_json (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens?limit=1000", NULL);
  g_assert_cmpuint (page1->status, ==, 200);
  /* Clamped to 100 keys a page; the count is of the whole organization. */
  items = array_of (page1);
  g_assert_cmpuint (json_array_get_length (items), ==, 100);
  total = (guint) g_ascii_strtoull (soup_message_headers_get_one (page1->headers,
                                                                  "X-Result-Count"), NULL, 10);
  g_assert_cmpuint (total, >, 1200);
  next1 = find_link (page1, "next");
  g_assert_nonnull (next1);
  g_assert_true (g_str_has_suffix (next1, "/tokens?limit=1000&page=2"));
  g_assert_null (find_link (page1, "previous"));

  page8 = send_json (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens?limit=100&page=8",
                     NULL);
  next8 = find_link (page8, "next");
  g_assert_nonnull (next8);

  /* (9 + 1) * 100 is not below 1000: no next link, although more keys exist. */
  page9 = send_json (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens?limit=100&page=9",
                     NULL);
  next9 = find_link (page9, "next");
  previous = find_link (page9, "previous");
  g_assert_null (next9);
  g_assert_nonnull (previous);
  g_assert_true (g_str_has_suffix (previous, "/tokens?limit=100&page=8"));
  g_assert_cmpuint (json_array_get_length (array_of (page9)), ==, 100);

  /* Later pages still answer when asked for directly. */
  last_page = (total + 99) / 100;
  count_text = g_strdup_printf ("/api/v2/organizations/" ACME_ID "/tokens?limit=100&page=%u",
                                last_page);
  last = send_json (fixture, "GET", count_text, NULL);
  g_assert_cmpuint (last->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (last)), ==, total - (last_page - 1) * 100);
  g_free (count_text);
  count_text = g_strdup_printf ("/api/v2/organizations/" ACME_ID "/tokens?limit=100&page=%u",
                                last_page + 1);
  beyond = send_json (fixture, "GET", count_text, NULL);
  g_assert_cmpuint (json_array_get_length (array_of (beyond)), ==, 0);
  g_assert_nonnull (soup_message_headers_get_one (beyond->headers, "X-Result-Count"));

  /* The kinds the "All Keys" filters look for are all there. */
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *token = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (token, "organization_id"), ==, ACME_ID);
      if (!json_object_has_member (token, "project_id"))
        g_hash_table_add (kinds, "organization-wide");
      if (has_scope (token, "user"))
        g_hash_table_add (kinds, "user");
      if (!json_object_has_member (token, "notes"))
        g_hash_table_add (kinds, "no-notes");
      if (json_object_get_boolean_member (token, "is_disabled"))
        g_hash_table_add (kinds, "disabled");
      if (json_object_has_member (token, "expires_utc"))
        g_hash_table_add (kinds, "expires");
    }
  g_assert_cmpuint (g_hash_table_size (kinds), ==, 5);

  unknown = send_json (fixture, "GET", "/api/v2/organizations/000000000000000000000000/tokens",
                       NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_cmpstr (title_of (unknown), ==, "Organization not found.");
}

/* The legacy key bound to ops@localhost in Rocket Ship, which the demo user may not delete. */
static char *
find_ops_key (Fixture *fixture)
{
  g_autoptr(Response) page = NULL;
  JsonArray *items;

  page = send_json (fixture, "GET", "/api/v2/projects/537650f3b77efe23a47914f7/tokens?limit=100",
                    NULL);
  items = array_of (page);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *token = json_array_get_object_element (items, i);

      if (json_object_has_member (token, "user_id"))
        return g_strdup (json_object_get_string_member (token, "id"));
    }

  g_assert_not_reached ();
}

/* DELETE tokens/{ids} (§6.5): a single refusal is one ProblemDetails; with a key that can be
 * deleted, the refusal keeps its message in the partial body; Access tokens get 403. */
static void
test_delete_refused (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *ops_key = find_ops_key (fixture);
  g_autofree char *mine = create_key (fixture, NULL);
  g_autofree char *user_key = create_key (fixture, "{\"scopes\": [\"user\"]}");
  g_autofree char *single_path = g_strdup_printf ("/api/v2/tokens/%s", ops_key);
  g_autofree char *mixed_path = g_strdup_printf ("/api/v2/tokens/%s,%s", mine, ops_key);
  g_autofree char *state_path = g_strdup_printf ("/_mock/tokens/%s", ops_key);
  g_autoptr(Response) single = NULL;
  g_autoptr(Response) mixed = NULL;
  g_autoptr(Response) state = NULL;
  g_autoptr(Response) forbidden = NULL;
  g_autoptr(Response) forbidden_list = NULL;
  JsonObject *failure;

  single = send_json (fixture, "DELETE", single_path, NULL);
  g_assert_cmpuint (single->status, ==, 400);
  g_assert_cmpstr (soup_message_headers_get_content_type (single->headers, NULL), ==,
                   "application/problem+json");
  g_assert_cmpstr (title_of (single), ==, "Can only delete tokens created by you.");

  /* An Access token, even with user scope, may not delete keys, nor list them. */
  forbidden = send_as (fixture, "DELETE", mixed_path, user_key, NULL);
  g_assert_cmpuint (forbidden->status, ==, 403);
  forbidden_list = send_as (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens", user_key,
                            NULL);
  g_assert_cmpuint (forbidden_list->status, ==, 403);

  mixed = send_json (fixture, "DELETE", mixed_path, NULL);
  g_assert_cmpuint (mixed->status, ==, 400);
  g_assert_cmpstr (soup_message_headers_get_content_type (mixed->headers, NULL), ==,
                   "application/json");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object_of (mixed),
                                                                                "success"), 0),
                   ==, mine);
  failure = json_array_get_object_element (json_object_get_array_member (object_of (mixed),
                                                                         "failure"), 0);
  g_assert_cmpstr (json_object_get_string_member (failure, "id"), ==, ops_key);
  g_assert_cmpint (json_object_get_int_member (failure, "status_code"), ==, 400);
  g_assert_cmpstr (json_object_get_string_member (failure, "message"), ==,
                   "Can only delete tokens created by you.");

  /* The refused key stays. */
  state = send_as (fixture, "GET", state_path, NULL, NULL);
  g_assert_cmpuint (state->status, ==, 200);
}

static void
test_access_token_forbidden (Fixture       *fixture,
                             gconstpointer  user_data)
{
  g_autofree char *user_key = create_key (fixture, "{\"scopes\": [\"user\"]}");
  g_autofree char *client_key = create_key (fixture, NULL);
  g_autoptr(Response) tokens = NULL;
  g_autoptr(Response) logout = NULL;
  g_autoptr(Response) me = NULL;
  g_autoptr(Response) projects = NULL;
  g_autoptr(Response) unknown = NULL;

  tokens = send_as (fixture, "GET", "/api/v2/projects/" PISTOL_ID "/tokens", user_key, NULL);
  g_assert_cmpuint (tokens->status, ==, 403);
  g_assert_cmpstr (title_of (tokens), ==, "Token authentication cannot access tokens.");

  logout = send_as (fixture, "GET", "/api/v2/auth/logout", user_key, NULL);
  g_assert_cmpuint (logout->status, ==, 403);
  g_assert_cmpstr (title_of (logout), ==, "Logout not supported for current user access token");

  me = send_as (fixture, "GET", "/api/v2/users/me", client_key, NULL);
  g_assert_cmpuint (me->status, ==, 403);
  g_assert_cmpstr (title_of (me), ==, "Forbidden");

  projects = send_as (fixture, "GET", "/api/v2/projects", client_key, NULL);
  g_assert_cmpuint (projects->status, ==, 403);

  unknown = send_as (fixture, "GET", "/api/v2/projects", UNKNOWN_ID, NULL);
  g_assert_cmpuint (unknown->status, ==, 401);
  g_assert_cmpstr (title_of (unknown), ==, "Unauthorized");
  g_assert_nonnull (soup_message_headers_get_one (unknown->headers, "WWW-Authenticate"));
}

static void
test_project_config (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *key = create_key (fixture, NULL);
  g_autofree char *maps_key = create_key (fixture, "{\"scopes\": [\"source-maps:write\"]}");
  g_autofree char *path = g_strdup_printf ("/api/v2/tokens/%s", key);
  g_autofree char *basic = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *query_path = NULL;
  g_autoptr(Response) ok = NULL;
  g_autoptr(Response) ok_basic = NULL;
  g_autoptr(Response) ok_query = NULL;
  g_autoptr(Response) patched = NULL;
  g_autoptr(Response) disabled = NULL;
  g_autoptr(Response) maps = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *credentials = g_strdup_printf ("client:%s", key);

  ok = send_as (fixture, "GET", "/api/v2/projects/config", key, NULL);
  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_true (json_object_has_member (object_of (ok), "version"));
  g_assert_true (json_object_has_member (object_of (ok), "settings"));
  /* Not throttled, so no rate-limit headers. */
  g_assert_null (soup_message_headers_get_one (ok->headers, "X-RateLimit-Limit"));

  encoded = g_base64_encode ((const guchar *) credentials, strlen (credentials));
  basic = g_strdup_printf ("Basic %s", encoded);
  ok_basic = send_full (fixture, "GET", "/api/v2/projects/config", basic, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ok_basic->status, ==, 200);

  query_path = g_strdup_printf ("/api/v2/projects/config?access_token=%s", key);
  ok_query = send_as (fixture, "GET", query_path, NULL, NULL);
  g_assert_cmpuint (ok_query->status, ==, 200);

  patched = send_json (fixture, "PATCH", path, "{\"is_disabled\": true}");
  g_assert_cmpuint (patched->status, ==, 200);

  disabled = send_as (fixture, "GET", "/api/v2/projects/config", key, NULL);
  g_assert_cmpuint (disabled->status, ==, 401);
  g_assert_nonnull (soup_message_headers_get_one (disabled->headers, "WWW-Authenticate"));

  maps = send_as (fixture, "GET", "/api/v2/projects/config", maps_key, NULL);
  g_assert_cmpuint (maps->status, ==, 403);
}

static void
test_faults (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) added = NULL;
  g_autoptr(Response) failed = NULL;
  g_autoptr(Response) recovered = NULL;
  g_autoptr(Response) truncated = NULL;
  g_autoptr(Response) control = NULL;
  g_autoptr(Response) dropped = NULL;
  g_autoptr(Response) after_drop = NULL;
  g_autoptr(Response) bad_spec = NULL;
  g_autoptr(Response) html = NULL;
  g_autoptr(Response) wrong_type = NULL;
  g_autofree char *content_length = NULL;

  added = send_as (fixture, "POST", "/_mock/faults", NULL,
                   "{\"spec\": \"GET /api/v2/users/me=status:503*1\"}");
  g_assert_cmpuint (added->status, ==, 201);

  failed = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (failed->status, ==, 503);
  g_assert_cmpstr (soup_message_headers_get_content_type (failed->headers, NULL), ==,
                   "application/problem+json");

  /* *1: only the next matching request. */
  recovered = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (recovered->status, ==, 200);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "/api/v2/users/me=truncated*1",
                                            &error));
  g_assert_no_error (error);
  truncated = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (truncated->status, ==, 200);
  g_assert_null (truncated->json);
  g_assert_cmpuint (strlen (truncated->body), ==, strlen (recovered->body) / 2);
  content_length = g_strdup_printf ("%zu", strlen (truncated->body));
  g_assert_cmpstr (soup_message_headers_get_one (truncated->headers, "Content-Length"), ==,
                   content_length);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET =html*1", &error));
  html = send_json (fixture, "GET", "/api/v2/projects", NULL);
  g_assert_cmpuint (html->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (html->headers, NULL), ==, "text/html");

  g_assert_true (exk_mock_server_add_fault (fixture->server, "/api/v2/projects=wrong-type*1",
                                            &error));
  wrong_type = send_json (fixture, "GET", "/api/v2/projects", NULL);
  g_assert_cmpuint (wrong_type->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (wrong_type->json));

  /* Faults never touch the control endpoints. */
  g_assert_true (exk_mock_server_add_fault (fixture->server, "=status:500*1", &error));
  control = send_as (fixture, "GET", "/_mock/faults", NULL, NULL);
  g_assert_cmpuint (control->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (array_of (control)), ==, 1);
  exk_mock_server_clear_faults (fixture->server);

  /* libsoup retries once when a reused connection closes early, so the
   * drop must outlast the retry. */
  g_assert_true (exk_mock_server_add_fault (fixture->server, "/api/v2/users/me=drop", &error));
  dropped = send_full (fixture, "GET", "/api/v2/users/me", NULL, NULL, NULL, &error);
  g_assert_null (dropped);
  g_assert_nonnull (error);
  g_clear_error (&error);
  exk_mock_server_clear_faults (fixture->server);

  after_drop = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (after_drop->status, ==, 200);

  g_assert_false (exk_mock_server_add_fault (fixture->server, "/api/v2=teleport", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  bad_spec = send_as (fixture, "POST", "/_mock/faults", NULL, "{\"spec\": \"=status:abc\"}");
  g_assert_cmpuint (bad_spec->status, ==, 400);
}

static void
test_request_log (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(Response) me = NULL;
  g_autoptr(Response) log = NULL;
  g_autoptr(Response) cleared = NULL;
  g_autoptr(Response) empty = NULL;
  JsonObject *entry;

  me = send_json (fixture, "GET", "/api/v2/users/me?mode=x", NULL);
  g_assert_cmpuint (me->status, ==, 200);

  log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (array_of (log)), ==, 1);
  entry = json_array_get_object_element (array_of (log), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (entry, "path"), ==, "/api/v2/users/me");
  g_assert_cmpstr (json_object_get_string_member (entry, "query"), ==, "mode=x");
  g_assert_true (json_object_get_boolean_member (entry, "has_authorization"));
  g_assert_null (strstr (log->body, fixture->token));

  cleared = send_as (fixture, "DELETE", "/_mock/requests", NULL, NULL);
  g_assert_cmpuint (cleared->status, ==, 204);
  empty = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
  g_assert_cmpuint (json_array_get_length (array_of (empty)), ==, 0);
}

static void
test_rate_limit (Fixture       *fixture,
                 gconstpointer  user_data)
{
  ExkMockOptions options = { .rate_limit = 3 };
  g_autofree char *key = NULL;
  g_autoptr(Response) limited = NULL;
  g_autoptr(Response) config = NULL;

  fixture_start (fixture, &options);
  key = create_key (fixture, NULL);  /* request 1 */

  for (guint i = 2; i <= 3; i++)
    {
      g_autoptr(Response) ok = send_json (fixture, "GET", "/api/v2/organizations", NULL);
      g_autofree char *remaining = g_strdup_printf ("%u", 3 - i);

      g_assert_cmpuint (ok->status, ==, 200);
      g_assert_cmpstr (soup_message_headers_get_one (ok->headers, "X-RateLimit-Limit"), ==, "3");
      g_assert_cmpstr (soup_message_headers_get_one (ok->headers, "X-RateLimit-Remaining"), ==,
                       remaining);
    }

  limited = send_json (fixture, "GET", "/api/v2/organizations", NULL);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (title_of (limited), ==, "Too Many Requests");
  g_assert_null (soup_message_headers_get_one (limited->headers, "Retry-After"));
  g_assert_null (soup_message_headers_get_one (limited->headers, "X-RateLimit-Remaining"));

  config = send_as (fixture, "GET", "/api/v2/projects/config", key, NULL);
  g_assert_cmpuint (config->status, ==, 200);
}

static void
test_latency (Fixture       *fixture,
              gconstpointer  user_data)
{
  ExkMockOptions options = { .latency_ms = 300 };
  g_autoptr(Response) response = NULL;
  gint64 start;

  fixture_start (fixture, &options);

  start = g_get_monotonic_time ();
  response = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
}

static void
test_reset_and_default_key (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_autoptr(Response) before = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) reset = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) free_project = NULL;
  g_autofree char *path = NULL;
  const char *id;

  before = send_json (fixture, "GET", "/api/v2/projects/" PISTOL_ID "/tokens/default", NULL);
  g_assert_cmpuint (before->status, ==, 200);
  id = json_object_get_string_member (object_of (before), "id");
  path = g_strdup_printf ("/api/v2/tokens/%s", id);

  deleted = send_json (fixture, "DELETE", path, NULL);
  g_assert_cmpuint (deleted->status, ==, 202);

  reset = send_as (fixture, "POST", "/_mock/reset", NULL, NULL);
  g_assert_cmpuint (reset->status, ==, 204);

  after = send_json (fixture, "GET", path, NULL);
  g_assert_cmpuint (after->status, ==, 200);

  /* The free user cannot see Acme: reported as missing, not forbidden. */
  {
    g_autoptr(Response) login = NULL;
    const char *free_token;

    login = send_as (fixture, "POST", "/api/v2/auth/login", NULL,
                     "{\"email\": \"free@localhost\", \"password\": \"tester\"}");
    free_token = json_object_get_string_member (object_of (login), "token");

    free_project = send_as (fixture, "GET", "/api/v2/projects/" PISTOL_ID, free_token, NULL);
    g_assert_cmpuint (free_project->status, ==, 404);
    g_assert_cmpstr (title_of (free_project), ==, "Project not found.");
  }
}

/* POST projects (§6.4): 201 with Location and the body, then the
 * refusals in the server's order and words. */
static void
test_project_create (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Response) created = NULL;
  g_autoptr(Response) listed = NULL;
  g_autoptr(Response) duplicate = NULL;
  g_autoptr(Response) blank = NULL;
  g_autoptr(Response) other_org = NULL;
  g_autoptr(Response) plan = NULL;
  g_autoptr(Response) no_body = NULL;
  g_autoptr(Response) short_id = NULL;
  g_autofree char *path = NULL;
  JsonObject *project;
  const char *id;

  created = send_json (fixture, "POST", "/api/v2/projects",
                       "{\"organization_id\": \"" ACME_ID "\", \"name\": \"  Jet Pack \"}");
  g_assert_cmpuint (created->status, ==, 201);
  project = object_of (created);
  id = json_object_get_string_member (project, "id");
  g_assert_cmpuint (strlen (id), ==, 24);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, "Jet Pack");
  g_assert_cmpstr (json_object_get_string_member (project, "organization_id"), ==, ACME_ID);
  g_assert_cmpstr (json_object_get_string_member (project, "organization_name"), ==, "Acme");
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (created->headers, "Location"),
                                   id));

  path = g_strdup_printf ("/api/v2/projects/%s", id);
  listed = send_json (fixture, "GET", path, NULL);
  g_assert_cmpuint (listed->status, ==, 200);

  /* Names compare trimmed and without regard to case, inside one organization. */
  duplicate = send_json (fixture, "POST", "/api/v2/projects",
                         "{\"organization_id\": \"" ACME_ID "\", \"name\": \"rocket ship \"}");
  g_assert_cmpuint (duplicate->status, ==, 400);
  g_assert_cmpstr (title_of (duplicate), ==, "A project with this name already exists.");

  blank = send_json (fixture, "POST", "/api/v2/projects",
                     "{\"organization_id\": \"" ACME_ID "\", \"name\": \"  \"}");
  g_assert_cmpuint (blank->status, ==, 400);
  g_assert_cmpstr (title_of (blank), ==, "Project name is required.");

  other_org = send_json (fixture, "POST", "/api/v2/projects",
                         "{\"organization_id\": \"aaaaaaaaaaaaaaaaaaaaaaaa\", \"name\": \"X\"}");
  g_assert_cmpuint (other_org->status, ==, 400);
  g_assert_cmpstr (title_of (other_org), ==, "Invalid organization id specified.");

  short_id = send_json (fixture, "POST", "/api/v2/projects",
                        "{\"organization_id\": \"abc\", \"name\": \"X\"}");
  g_assert_cmpuint (short_id->status, ==, 422);
  first_error (short_id, "organization_id");

  no_body = send_json (fixture, "POST", "/api/v2/projects", NULL);
  g_assert_cmpuint (no_body->status, ==, 400);

  /* The Free Plan Organization has its one project already. */
  plan = send_json (fixture, "POST", "/api/v2/projects",
                    "{\"organization_id\": \"" FREE_ORG_ID "\", \"name\": \"Second\"}");
  g_assert_cmpuint (plan->status, ==, 426);
  g_assert_cmpstr (title_of (plan), ==, "Please upgrade your plan to add additional projects.");
}

static void
test_project_check_name (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(Response) free_name = NULL;
  g_autoptr(Response) taken = NULL;
  g_autoptr(Response) other_org = NULL;
  g_autoptr(Response) unknown = NULL;

  free_name = send_json (fixture, "GET",
                         "/api/v2/organizations/" ACME_ID "/projects/check-name?name=Jet%20Pack",
                         NULL);
  g_assert_cmpuint (free_name->status, ==, 204);

  taken = send_json (fixture, "GET",
                     "/api/v2/organizations/" ACME_ID "/projects/check-name?name=ROCKET%20SHIP",
                     NULL);
  g_assert_cmpuint (taken->status, ==, 201);

  /* Another organization's project does not take the name. */
  other_org = send_json (fixture, "GET", "/api/v2/organizations/" FREE_ORG_ID
                         "/projects/check-name?name=Rocket%20Ship", NULL);
  g_assert_cmpuint (other_org->status, ==, 204);

  unknown = send_json (fixture, "GET", "/api/v2/organizations/aaaaaaaaaaaaaaaaaaaaaaaa"
                       "/projects/check-name?name=X", NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
}

static void
test_project_update (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Response) renamed = NULL;
  g_autoptr(Response) same = NULL;
  g_autoptr(Response) duplicate = NULL;
  g_autoptr(Response) no_body = NULL;
  g_autoptr(Response) missing = NULL;

  renamed = send_json (fixture, "PATCH", "/api/v2/projects/" ROCKET_ID,
                       "{\"name\": \"Rocket Ship 2\"}");
  g_assert_cmpuint (renamed->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object_of (renamed), "name"), ==,
                   "Rocket Ship 2");

  /* Its own name, in other letters, is no duplicate. */
  same = send_json (fixture, "PATCH", "/api/v2/projects/" ROCKET_ID,
                    "{\"name\": \"rocket ship 2\"}");
  g_assert_cmpuint (same->status, ==, 200);

  duplicate = send_json (fixture, "PATCH", "/api/v2/projects/" ROCKET_ID,
                         "{\"name\": \"Disintegrating Pistol\"}");
  g_assert_cmpuint (duplicate->status, ==, 400);
  g_assert_cmpstr (title_of (duplicate), ==, "A project with this name already exists.");

  no_body = send_json (fixture, "PATCH", "/api/v2/projects/" ROCKET_ID, NULL);
  g_assert_cmpuint (no_body->status, ==, 400);

  missing = send_json (fixture, "PATCH", "/api/v2/projects/aaaaaaaaaaaaaaaaaaaaaaaa",
                       "{\"name\": \"X\"}");
  g_assert_cmpuint (missing->status, ==, 404);
}

/* DELETE projects/{ids}: the project and every key bound to it go. */
static void
test_project_delete (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(Response) keys = NULL;
  g_autoptr(Response) deleted = NULL;
  g_autoptr(Response) gone = NULL;
  g_autoptr(Response) key_gone = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) partial = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *mock_key_path = NULL;
  JsonArray *array;

  keys = send_json (fixture, "GET", "/api/v2/projects/" ROCKET_ID "/tokens", NULL);
  array = array_of (keys);
  g_assert_cmpuint (json_array_get_length (array), >, 0);
  key_path = g_strdup_printf ("/api/v2/tokens/%s", json_object_get_string_member (
                                json_array_get_object_element (array, 0), "id"));
  mock_key_path = g_strdup_printf ("/_mock/tokens/%s", json_object_get_string_member (
                                     json_array_get_object_element (array, 0), "id"));

  deleted = send_json (fixture, "DELETE", "/api/v2/projects/" ROCKET_ID, NULL);
  g_assert_cmpuint (deleted->status, ==, 202);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object_of (deleted),
                                                                           "workers")), ==, 0);

  gone = send_json (fixture, "GET", "/api/v2/projects/" ROCKET_ID, NULL);
  g_assert_cmpuint (gone->status, ==, 404);
  key_gone = send_as (fixture, "GET", mock_key_path, NULL, NULL);
  g_assert_cmpuint (key_gone->status, ==, 404);

  again = send_json (fixture, "DELETE", "/api/v2/projects/" ROCKET_ID, NULL);
  g_assert_cmpuint (again->status, ==, 404);
  g_assert_cmpstr (title_of (again), ==, "No projects found.");

  partial = send_json (fixture, "DELETE", "/api/v2/projects/" PISTOL_ID ",aaaaaaaaaaaaaaaaaaaaaaaa",
                       NULL);
  g_assert_cmpuint (partial->status, ==, 400);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (object_of (partial), "success"), 0), ==,
                   PISTOL_ID);
}

static void
assert_parses (const char *spec,
               int         kind,
               guint64     argument,
               const char *target,
               int         remaining)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkMockFault) fault = exk_mock_fault_parse (spec, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fault);
  g_assert_cmpint (fault->kind, ==, kind);
  g_assert_cmpuint (fault->argument, ==, argument);
  g_assert_cmpstr (fault->target, ==, target);
  g_assert_cmpint (fault->remaining, ==, remaining);
}

static void
assert_rejected (const char *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkMockFault) fault = exk_mock_fault_parse (spec, &error);

  g_assert_null (fault);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_fault_parse (void)
{
  assert_parses ("GET /a=status:503*2", EXK_MOCK_FAULT_STATUS, 503, NULL, 2);
  assert_parses ("=nest:100000", EXK_MOCK_FAULT_NEST, 100000, NULL, -1);
  assert_parses ("=nest:10000000", EXK_MOCK_FAULT_NEST, 10000000, NULL, -1);
  assert_parses ("=huge:50M", EXK_MOCK_FAULT_HUGE, 50 * 1024 * 1024, NULL, -1);
  assert_parses ("=huge:4", EXK_MOCK_FAULT_HUGE, 4, NULL, -1);
  assert_parses ("=huge:3G", EXK_MOCK_FAULT_HUGE, G_GUINT64_CONSTANT (3) << 30, NULL, -1);
  assert_parses ("=endless", EXK_MOCK_FAULT_ENDLESS, EXK_MOCK_FAULT_MAX_BODY, NULL, -1);
  assert_parses ("=endless:64k*1", EXK_MOCK_FAULT_ENDLESS, 64 * 1024, NULL, 1);
  assert_parses ("=gzip-bomb:1G", EXK_MOCK_FAULT_GZIP_BOMB, 1 << 30, NULL, -1);
  assert_parses ("=gzip-bomb:8G", EXK_MOCK_FAULT_GZIP_BOMB, EXK_MOCK_FAULT_MAX_BODY, NULL, -1);
  assert_parses ("=trickle:10000", EXK_MOCK_FAULT_TRICKLE, 10000, NULL, -1);
  assert_parses ("GET=header-flood", EXK_MOCK_FAULT_HEADER_FLOOD, 0, NULL, -1);
  assert_parses ("/api/v2/projects=count:0", EXK_MOCK_FAULT_COUNT, 0, NULL, -1);
  assert_parses ("DELETE /api/v2/tokens=redirect:/api/v2/projects*1", EXK_MOCK_FAULT_REDIRECT,
                 0, "/api/v2/projects", 1);
  /* The "=" of a query and the ":" of a scheme belong to the target. */
  assert_parses ("=redirect:https://example.com/login?next=a:b", EXK_MOCK_FAULT_REDIRECT, 0,
                 "https://example.com/login?next=a:b", -1);

  assert_rejected ("=nest:0");
  assert_rejected ("=nest:10000001");
  assert_rejected ("=huge:3");
  assert_rejected ("=huge:9G");
  assert_rejected ("=huge:1T");
  assert_rejected ("=huge:-1");
  assert_rejected ("=huge");
  assert_rejected ("=endless:0");
  assert_rejected ("=gzip-bomb:1");
  assert_rejected ("=trickle:0");
  assert_rejected ("=count:-1");
  assert_rejected ("=header-flood:3");
  assert_rejected ("=redirect");
  assert_rejected ("=redirect:projects");
  assert_rejected ("=redirect:/a b");
  assert_rejected ("=redirect:/a\r\nSet-Cookie: x=1");
}

static void
test_fault_redirect (Fixture       *fixture,
                     gconstpointer  user_data)
{
  g_autofree char *key = create_key (fixture, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v2/tokens/%s", key);
  g_autofree char *state_path = g_strdup_printf ("/_mock/tokens/%s", key);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", fixture->token);
  g_autofree char *expected = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) absolute = NULL;
  g_autoptr(Response) redirected = NULL;
  g_autoptr(Response) to_url = NULL;
  g_autoptr(Response) followed = NULL;
  g_autoptr(Response) state = NULL;
  g_autoptr(Response) log = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *entries;
  guint n;

  g_assert_true (exk_mock_server_add_fault (fixture->server,
                                            "DELETE /api/v2/tokens=redirect:/api/v2/projects*2",
                                            &error));

  msg = message_new (fixture, "DELETE", path, authorization);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  redirected = send_message (fixture->session, msg, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (redirected->status, ==, 302);
  expected = g_strconcat (exk_mock_server_get_url (fixture->server), "/api/v2/projects", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (redirected->headers, "Location"), ==, expected);
  g_assert_cmpuint (redirected->length, ==, 0);

  /* Followed, libsoup turns the DELETE into a GET of the projects. */
  followed = send_json (fixture, "DELETE", path, NULL);
  g_assert_cmpuint (followed->status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (followed->json));
  log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
  entries = array_of (log);
  n = json_array_get_length (entries);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, n - 2),
                                                  "method"), ==, "DELETE");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (entries, n - 2),
                                               "status"), ==, 302);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, n - 1),
                                                  "method"), ==, "GET");

  /* Neither DELETE ran. */
  state = send_as (fixture, "GET", state_path, NULL, NULL);
  g_assert_cmpuint (state->status, ==, 200);

  g_assert_true (exk_mock_server_add_fault (fixture->server,
                                            "=redirect:http://portal.invalid/login?next=/x*1",
                                            &error));
  absolute = message_new (fixture, "GET", "/api/v2/users/me", authorization);
  soup_message_add_flags (absolute, SOUP_MESSAGE_NO_REDIRECT);
  to_url = send_message (fixture->session, absolute, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_url->status, ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (to_url->headers, "Location"), ==,
                   "http://portal.invalid/login?next=/x");
}

/* Streams the answer to GET @path and checks it is @depth nested arrays,
 * without parsing it: json-glib would run out of stack, as the app did. */
static void
assert_nested (Fixture    *fixture,
               const char *path,
               guint64     depth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = message_new (fixture, "GET", path, NULL);
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;
  BodySummary summary;

  stream = soup_session_send (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, 2 * depth);

  read_body (stream, G_MAXUINT64, 2 * depth, check_nested, &summary);
  g_assert_true (summary.ended);
  g_assert_cmpuint (summary.size, ==, 2 * depth);
}

static void
test_fault_nest (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) shallow = NULL;

  /* The depth that crashed the app, then the deepest allowed. */
  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET /api/v2/projects=nest:100000*1",
                                            &error));
  assert_nested (fixture, "/api/v2/projects", 100000);
  g_assert_true (exk_mock_server_add_fault (fixture->server, "=nest:10000000*1", &error));
  assert_nested (fixture, "/api/v2/projects", 10000000);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "=nest:3*1", &error));
  shallow = send_json (fixture, "GET", "/api/v2/projects", NULL);
  g_assert_cmpstr (shallow->body, ==, "[[[]]]");
}

static void
test_fault_huge (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const guint64 size = 128 * 1024 * 1024;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(Response) small = NULL;
  SoupMessageHeaders *headers;
  BodySummary summary;

  g_assert_true (exk_mock_server_add_fault (fixture->server, "=huge:128M*1", &error));
  msg = message_new (fixture, "GET", "/api/v2/projects/config", NULL);
  stream = soup_session_send (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, size);

  read_body (stream, G_MAXUINT64, size, check_padded, &summary);
  g_assert_true (summary.ended);
  g_assert_cmpuint (summary.size, ==, size);
  /* Built in memory, it would have cost 128 MiB. */
  g_test_message ("Memory grew by %" G_GINT64_FORMAT " KiB", summary.rss_growth_kb);
  if (summary.rss_growth_kb >= 0)
    g_assert_cmpint (summary.rss_growth_kb, <, 32 * 1024);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "=huge:4*1", &error));
  small = send_json (fixture, "GET", "/api/v2/projects", NULL);
  g_assert_cmpstr (small->body, ==, "[\"\"]");
  g_assert_nonnull (small->json);
}

static void
test_fault_endless (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) capped = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GInputStream) capped_stream = NULL;
  g_autoptr(Response) log = NULL;
  SoupMessageHeaders *headers;
  BodySummary summary;

  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET /api/v2/users/me=endless*1",
                                            &error));
  msg = message_new (fixture, "GET", "/api/v2/users/me", NULL);
  stream = soup_session_send (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (headers), ==, SOUP_ENCODING_CHUNKED);
  g_assert_null (soup_message_headers_get_one (headers, "Content-Length"));

  read_body (stream, 64 * 1024 * 1024, G_MAXUINT64, check_zeros, &summary);
  g_assert_false (summary.ended);
  g_assert_cmpuint (summary.size, ==, 64 * 1024 * 1024);
  g_assert_true (g_str_has_prefix (summary.head, "[0,0,0,"));
  g_test_message ("Memory grew by %" G_GINT64_FORMAT " KiB", summary.rss_growth_kb);
  if (summary.rss_growth_kb >= 0)
    g_assert_cmpint (summary.rss_growth_kb, <, 32 * 1024);

  /* Other requests are served meanwhile, and the body is still going. */
  log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (find_log_entry (log, "/api/v2/users/me"),
                                                  "answer"), ==, "pending");

  /* The client hangs up: the server stops. */
  g_input_stream_close (stream, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&stream);
  wait_for_answer (fixture, "/api/v2/users/me", "aborted");

  /* With a cap, the body ends there. */
  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET /api/v2/users/me=endless:1M*1",
                                            &error));
  capped = message_new (fixture, "GET", "/api/v2/users/me", NULL);
  capped_stream = soup_session_send (fixture->session, capped, NULL, &error);
  g_assert_no_error (error);
  read_body (capped_stream, G_MAXUINT64, 1024 * 1024, check_zeros, &summary);
  g_assert_true (summary.ended);
  g_assert_cmpuint (summary.size, ==, 1024 * 1024);
  wait_for_answer (fixture, "/api/v2/users/me", "sent");
}

/* Inflates @gzip in constant memory, checking it is [0,0,…,0] of @size. */
static void
assert_inflates_to_zeros (GBytes  *gzip,
                          guint64  size)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GInputStream) compressed = NULL;
  g_autoptr(GInputStream) inflated = NULL;
  g_autoptr(GBytes) tail = NULL;
  BodySummary summary;

  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  compressed = g_memory_input_stream_new_from_bytes (gzip);
  inflated = g_converter_input_stream_new (compressed, G_CONVERTER (decompressor));

  read_body (inflated, size - 3, size, check_zeros, &summary);
  g_assert_cmpuint (summary.size, ==, size - 3);
  g_assert_true (g_str_has_prefix (summary.head, "[0,0,0,"));

  /* The end closes the array: "0,0]" or, for an even size, "0 ]". */
  tail = g_input_stream_read_bytes (inflated, 16, NULL, NULL);
  g_assert_nonnull (tail);
  g_assert_cmpmem (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail),
                   size % 2 == 0 ? "0 ]" : ",0]", 3);
  g_clear_pointer (&tail, g_bytes_unref);
  tail = g_input_stream_read_bytes (inflated, 16, NULL, NULL);
  g_assert_cmpuint (g_bytes_get_size (tail), ==, 0);
}

static void
test_fault_gzip_bomb (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const guint64 size = 128 * 1024 * 1024;
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) bomb = NULL;
  g_autoptr(Response) again = NULL;
  g_autoptr(Response) decoded = NULL;
  Background *background;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean seen_pending = FALSE;

  g_assert_true (exk_mock_server_add_fault (fixture->server, "/api/v2/users/me=gzip-bomb:128M",
                                            &error));

  /* The build takes a while on a worker: meanwhile the loop serves others,
   * and the log shows the request waiting. */
  background = background_get (fixture, "/api/v2/users/me", TRUE);
  while (!seen_pending && !g_atomic_int_get (&background->done))
    {
      g_autoptr(Response) log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
      JsonObject *entry = find_log_entry (log, "/api/v2/users/me");

      seen_pending = entry != NULL
                     && g_str_equal (json_object_get_string_member (entry, "answer"), "pending");
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (2 * 1000);
    }
  g_assert_true (seen_pending);

  bomb = background_join (background, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bomb->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (bomb->headers, "Content-Encoding"), ==, "gzip");
  /* About 1 MiB per inflated GiB, the bomb. */
  g_assert_cmpuint (bomb->length, <, size / 1000);

  {
    g_autoptr(GBytes) gzip = g_bytes_new (bomb->body, bomb->length);

    assert_inflates_to_zeros (gzip, size);
  }

  /* Built once: the next one is the same body, at once. */
  background = background_get (fixture, "/api/v2/users/me", TRUE);
  again = background_join (background, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (again->body, again->length, bomb->body, bomb->length);

  /* Small and odd: "[0]" inflated, through libsoup's own decoder. */
  exk_mock_server_clear_faults (fixture->server);
  g_assert_true (exk_mock_server_add_fault (fixture->server, "=gzip-bomb:3*1", &error));
  decoded = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpstr (decoded->body, ==, "[0]");
}

static void
test_fault_trickle (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) plain = NULL;
  g_autoptr(Response) trickled = NULL;
  g_autoptr(Response) log = NULL;
  g_autofree char *content_length = NULL;
  Background *background;
  gint64 elapsed_us = 0;

  /* A 404 problem: a couple of hundred bytes. */
  plain = send_json (fixture, "GET", "/api/v2/nothing-here", NULL);
  g_assert_cmpuint (plain->status, ==, 404);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "/api/v2/nothing-here=trickle:5*1",
                                            &error));
  background = background_get (fixture, "/api/v2/nothing-here", FALSE);

  /* Logged before the answer is through. */
  wait_for_answer (fixture, "/api/v2/nothing-here", "pending");
  g_assert_false (g_atomic_int_get (&background->done));

  trickled = background_join (background, &elapsed_us, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trickled->status, ==, 404);
  content_length = g_strdup_printf ("%zu", trickled->length);
  g_assert_cmpstr (soup_message_headers_get_one (trickled->headers, "Content-Length"), ==,
                   content_length);
  g_assert_cmpuint (trickled->length, ==, plain->length);
  g_assert_cmpuint (trickled->length, >, 100);
  /* The request ran: the same problem, but for its own traceId. */
  g_assert_cmpstr (title_of (trickled), ==, title_of (plain));
  /* The first byte leaves with the headers, then one every 5 ms. */
  g_assert_cmpint (elapsed_us, >=, (gint64) (trickled->length - 1) * 5 * 1000);

  wait_for_answer (fixture, "/api/v2/nothing-here", "sent");
}

static void
test_fault_header_flood (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) flooded = NULL;
  g_autoptr(Response) after = NULL;
  g_autoptr(Response) state = NULL;
  g_autofree char *key = create_key (fixture, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v2/tokens/%s", key);
  g_autofree char *state_path = g_strdup_printf ("/_mock/tokens/%s", key);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", fixture->token);

  g_assert_true (exk_mock_server_add_fault (fixture->server, "PATCH /api/v2/tokens=header-flood*1",
                                            &error));
  flooded = send_full (fixture, "PATCH", path, authorization, "application/json",
                       "{\"notes\": \"Flooded\"}", &error);
  g_assert_null (flooded);
  /* What libsoup says when the header block passes 64 KiB. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpstr (error->message, ==, "Header too big");
  g_clear_error (&error);

  /* The request ran all the same. */
  state = send_as (fixture, "GET", state_path, NULL, NULL);
  g_assert_cmpstr (json_object_get_string_member (object_of (state), "notes"), ==, "Flooded");

  after = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_cmpuint (after->status, ==, 200);
}

static void
test_fault_count (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) honest = NULL;
  g_autoptr(Response) undercounted = NULL;
  g_autoptr(Response) unpaged = NULL;

  honest = send_json (fixture, "GET", "/api/v2/projects?limit=2", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (honest->headers, "X-Result-Count"), ==, "11");

  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET /api/v2=count:3", &error));
  undercounted = send_json (fixture, "GET", "/api/v2/projects?limit=2", NULL);
  g_assert_cmpuint (undercounted->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (undercounted->headers, "X-Result-Count"), ==,
                   "3");
  g_assert_cmpstr (soup_message_headers_get_list (undercounted->headers, "Link"), ==,
                   soup_message_headers_get_list (honest->headers, "Link"));
  g_assert_cmpstr (undercounted->body, ==, honest->body);

  /* Not a paged answer: nothing to replace. */
  unpaged = send_json (fixture, "GET", "/api/v2/users/me", NULL);
  g_assert_null (soup_message_headers_get_one (unpaged->headers, "X-Result-Count"));
}

/* The log shows a request as soon as it arrives, not once it is answered. */
static void
test_request_log_before_answer (Fixture       *fixture,
                                gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Response) slow = NULL;
  g_autoptr(Response) log = NULL;
  JsonObject *entry;
  Background *background;

  g_assert_true (exk_mock_server_add_fault (fixture->server, "GET /api/v2/users/me=slow:2000*1",
                                            &error));
  background = background_get (fixture, "/api/v2/users/me", FALSE);

  wait_for_answer (fixture, "/api/v2/users/me", "pending");
  g_assert_false (g_atomic_int_get (&background->done));
  log = send_as (fixture, "GET", "/_mock/requests", NULL, NULL);
  entry = find_log_entry (log, "/api/v2/users/me");
  g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
  g_assert_true (json_object_get_boolean_member (entry, "has_authorization"));

  slow = background_join (background, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (slow->status, ==, 200);
  wait_for_answer (fixture, "/api/v2/users/me", "sent");
}

static void
test_seed_example (void)
{
  ExkMockOptions options = { .seed_file = SEED_EXAMPLE_PATH };
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkMockServer) server = NULL;
  g_autofree char *dump = NULL;

  server = exk_mock_server_new (&options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exk_mock_server_get_demo_email (server), ==, "org@localhost");
  g_assert_cmpint (strlen (exk_mock_server_get_demo_token (server)), ==, 40);
  dump = exk_mock_server_dump_seed (server);
  g_assert_nonnull (strstr (dump, "Disintegrating Pistol"));
}

int
main (int   argc,
      char *argv[])
{
  static const ExkMockOptions demo = { 0 };

  /* The GNOME proxy resolver reads GSettings schemas that the fixed test
   * environment does not provide; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func, options) \
  g_test_add ("/exkeys/mock-server/" name, Fixture, options, \
              options != NULL ? fixture_set_up : NULL, func, fixture_tear_down)

  ADD ("login", test_login, &demo);
  ADD ("login-throttle", test_login_throttle, &demo);
  ADD ("login-success-resets-throttle", test_login_success_resets_throttle, &demo);
  ADD ("projects-limit-1000", test_projects_limit_1000, NULL);
  ADD ("projects-next-rule", test_projects_next_rule, NULL);
  ADD ("tokens-limit-clamp", test_tokens_limit_clamp, NULL);
  ADD ("create-scopes", test_create_scopes, &demo);
  ADD ("patch", test_patch, &demo);
  ADD ("delete-partial", test_delete_partial, &demo);
  ADD ("delete-refused", test_delete_refused, &demo);
  ADD ("organization-tokens-paging", test_organization_tokens_paging, NULL);
  ADD ("access-token-forbidden", test_access_token_forbidden, &demo);
  ADD ("project-config", test_project_config, &demo);
  ADD ("faults", test_faults, &demo);
  ADD ("request-log", test_request_log, &demo);
  ADD ("rate-limit", test_rate_limit, NULL);
  ADD ("latency", test_latency, NULL);
  ADD ("reset-and-default-key", test_reset_and_default_key, &demo);
  ADD ("request-log-before-answer", test_request_log_before_answer, &demo);
  ADD ("fault-redirect", test_fault_redirect, &demo);
  ADD ("fault-nest", test_fault_nest, &demo);
  ADD ("fault-huge", test_fault_huge, &demo);
  ADD ("fault-endless", test_fault_endless, &demo);
  ADD ("fault-gzip-bomb", test_fault_gzip_bomb, &demo);
  ADD ("fault-trickle", test_fault_trickle, &demo);
  ADD ("fault-header-flood", test_fault_header_flood, &demo);
  ADD ("fault-count", test_fault_count, &demo);
  ADD ("project-create", test_project_create, &demo);
  ADD ("project-check-name", test_project_check_name, &demo);
  ADD ("project-update", test_project_update, &demo);
  ADD ("project-delete", test_project_delete, &demo);
  g_test_add_func ("/exkeys/mock-server/seed-example", test_seed_example);
  g_test_add_func ("/exkeys/mock-server/fault-parse", test_fault_parse);

#undef ADD

  return g_test_run ();
}

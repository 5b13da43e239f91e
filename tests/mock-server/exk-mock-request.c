// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "exk-mock-request.h"

#define RFC9110 "https://tools.ietf.org/html/rfc9110#section-"
#define MAX_JSON_DEPTH 64

static const struct {
  guint       status;
  const char *type;
  const char *title;
} statuses[] = {
  { 400, RFC9110 "15.5.1", "Bad Request" },
  { 401, RFC9110 "15.5.2", "Unauthorized" },
  { 402, RFC9110 "15.5.3", "Payment Required" },
  { 403, RFC9110 "15.5.4", "Forbidden" },
  { 404, RFC9110 "15.5.5", "Not Found" },
  { 405, RFC9110 "15.5.6", "Method Not Allowed" },
  { 406, RFC9110 "15.5.7", "Not Acceptable" },
  { 408, RFC9110 "15.5.9", "Request Timeout" },
  { 409, RFC9110 "15.5.10", "Conflict" },
  { 411, RFC9110 "15.5.12", "Length Required" },
  { 413, RFC9110 "15.5.14", "Content Too Large" },
  { 415, RFC9110 "15.5.16", "Unsupported Media Type" },
  { 422, "https://tools.ietf.org/html/rfc4918#section-11.2", "Unprocessable Entity" },
  { 426, RFC9110 "15.5.22", "Upgrade Required" },
  { 429, "https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests" },
  { 500, RFC9110 "15.6.1", "An error occurred while processing your request." },
  { 501, RFC9110 "15.6.2", "Not Implemented" },
  { 502, RFC9110 "15.6.3", "Bad Gateway" },
  { 503, RFC9110 "15.6.4", "Service Unavailable" },
  { 504, RFC9110 "15.6.5", "Gateway Timeout" },
};

static const char *
status_type (guint status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].status == status)
      return statuses[i].type;

  return status >= 500 ? RFC9110 "15.6.1" : RFC9110 "15.5.1";
}

const char *
exk_mock_status_title (guint status)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].status == status)
      return statuses[i].title;

  return soup_status_get_phrase (status);
}

static char *
new_trace_id (void)
{
  return g_strdup_printf ("00-%08x%08x%08x%08x-%08x%08x-00",
                          g_random_int (), g_random_int (), g_random_int (), g_random_int (),
                          g_random_int (), g_random_int ());
}

ExkMockRequest *
exk_mock_request_new (SoupServerMessage *msg)
{
  ExkMockRequest *request = g_new0 (ExkMockRequest, 1);
  SoupMessageBody *body;
  GUri *uri;
  const char *override;

  request->msg = g_object_ref (msg);
  request->request_headers = soup_server_message_get_request_headers (msg);
  request->response_headers = soup_server_message_get_response_headers (msg);

  request->method = g_strdup (soup_server_message_get_method (msg));
  override = soup_message_headers_get_one (request->request_headers, "X-HTTP-Method-Override");
  if (override != NULL && *override != '\0' && g_ascii_strcasecmp (request->method, "POST") == 0)
    {
      g_free (request->method);
      request->method = g_ascii_strup (override, -1);
    }

  uri = soup_server_message_get_uri (msg);
  request->path = g_strdup (g_uri_get_path (uri));
  request->query_string = g_strdup (g_uri_get_query (uri));
  if (request->query_string != NULL)
    request->query = soup_form_decode (request->query_string);
  else
    request->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  body = soup_server_message_get_request_body (msg);
  request->body = soup_message_body_flatten (body);

  return request;
}

void
exk_mock_request_free (ExkMockRequest *request)
{
  if (request == NULL)
    return;

  g_clear_object (&request->msg);
  g_free (request->method);
  g_free (request->path);
  g_free (request->query_string);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->content_type);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  g_free (request);
}

const char *
exk_mock_request_get_query (ExkMockRequest *request,
                            const char     *name)
{
  return g_hash_table_lookup (request->query, name);
}

const char *
exk_mock_request_get_remote_host (ExkMockRequest *request)
{
  const char *host = soup_server_message_get_remote_host (request->msg);

  return host != NULL ? host : "127.0.0.1";
}

char *
exk_mock_request_get_origin (ExkMockRequest *request)
{
  GUri *uri = soup_server_message_get_uri (request->msg);
  const char *scheme = g_uri_get_scheme (uri);
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  if (host == NULL || *host == '\0')
    host = "127.0.0.1";

  if (port <= 0 || (port == 80 && g_strcmp0 (scheme, "http") == 0)
      || (port == 443 && g_strcmp0 (scheme, "https") == 0))
    return g_strdup_printf ("%s://%s", scheme, host);

  return g_strdup_printf ("%s://%s:%d", scheme, host, port);
}

/* Like the server's Pagination helper: the request URL with only the page
 * value replaced (or appended), keeping every other parameter as sent. */
char *
exk_mock_request_build_page_url (ExkMockRequest *request,
                                 guint64         page)
{
  g_autofree char *origin = exk_mock_request_get_origin (request);
  g_autoptr(GString) url = g_string_new (origin);
  gboolean replaced = FALSE;
  gboolean first = TRUE;

  g_string_append (url, request->path);

  if (request->query_string != NULL && *request->query_string != '\0')
    {
      g_auto(GStrv) pairs = g_strsplit (request->query_string, "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          if (*pairs[i] == '\0')
            continue;

          g_string_append_c (url, first ? '?' : '&');
          first = FALSE;

          if (g_ascii_strncasecmp (pairs[i], "page=", 5) == 0
              || g_ascii_strcasecmp (pairs[i], "page") == 0)
            {
              if (replaced)
                {
                  /* A repeated page parameter collapses into one. */
                  g_string_truncate (url, url->len - 1);
                  continue;
                }
              g_string_append_printf (url, "page=%" G_GUINT64_FORMAT, page);
              replaced = TRUE;
            }
          else
            {
              g_string_append (url, pairs[i]);
            }
        }
    }

  if (!replaced)
    g_string_append_printf (url, "%cpage=%" G_GUINT64_FORMAT, first ? '?' : '&', page);

  return g_string_free (g_steal_pointer (&url), FALSE);
}

void
exk_mock_request_respond (ExkMockRequest *request,
                          guint           status,
                          const char     *content_type,
                          GBytes         *body)
{
  request->status = status;
  g_free (request->content_type);
  request->content_type = g_strdup (content_type);
  g_clear_pointer (&request->response_body, g_bytes_unref);
  if (body != NULL)
    request->response_body = g_bytes_ref (body);
}

void
exk_mock_request_respond_json (ExkMockRequest *request,
                               guint           status,
                               JsonNode       *node)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  char *text;

  text = json_to_string (node, FALSE);
  length = strlen (text);
  bytes = g_bytes_new_take (text, length);
  exk_mock_request_respond (request, status, "application/json; charset=utf-8", bytes);
}

static JsonBuilder *
begin_problem (ExkMockRequest *request,
               guint           status,
               const char     *title)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, status_type (status));
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title != NULL ? title : exk_mock_status_title (status));
  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, status);

  if (status >= 500)
    {
      json_builder_set_member_name (builder, "detail");
      json_builder_add_string_value (builder, "The fake server was asked to fail this request.");
    }

  return builder;
}

static void
end_problem (ExkMockRequest *request,
             JsonBuilder    *builder,
             guint           status)
{
  g_autofree char *instance = g_strdup_printf ("%s %s", request->method, request->path);
  g_autofree char *trace_id = new_trace_id ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  json_builder_set_member_name (builder, "instance");
  json_builder_add_string_value (builder, instance);
  json_builder_set_member_name (builder, "traceId");
  json_builder_add_string_value (builder, trace_id);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  exk_mock_request_respond (request, status, "application/problem+json; charset=utf-8", bytes);
}

void
exk_mock_request_respond_problem (ExkMockRequest *request,
                                  guint           status,
                                  const char     *title)
{
  g_autoptr(JsonBuilder) builder = begin_problem (request, status, title);

  end_problem (request, builder, status);
}

void
exk_mock_request_respond_validation_errors (ExkMockRequest *request,
                                            guint           status,
                                            JsonObject     *errors)
{
  g_autoptr(JsonBuilder) builder = NULL;

  builder = begin_problem (request, status, "One or more validation errors occurred.");
  json_builder_set_member_name (builder, "errors");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), errors));
  end_problem (request, builder, status);
}

void
exk_mock_request_respond_validation (ExkMockRequest *request,
                                     guint           status,
                                     const char     *field,
                                     const char     *message)
{
  g_autoptr(JsonObject) errors = json_object_new ();
  JsonArray *messages = json_array_new ();

  json_array_add_string_element (messages, message);
  json_object_set_array_member (errors, field, messages);
  exk_mock_request_respond_validation_errors (request, status, errors);
}

/* json-glib parses recursively; refuse absurd nesting instead of letting a
 * hostile body exhaust the stack. */
static gboolean
is_too_deep (const char *data,
             gsize       length)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return FALSE;
}

/* Returns the parsed document (a JSON null gives a null node), or NULL with
 * @error set. */
JsonNode *
exk_mock_parse_json (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!g_utf8_validate (data, (gssize) length, NULL))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "The body is not valid UTF-8");
      return NULL;
    }

  if (is_too_deep (data, length))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The body is nested too deeply");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, data, (gssize) length, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "The body is empty");
      return NULL;
    }

  return json_node_copy (root);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "exk-api-error.h"
#include "exk-json.h"

/* ProblemDetails bodies are small; anything larger is not one. */
#define MAX_PROBLEM_SIZE (64 * 1024)
#define MAX_TITLE_LENGTH 300

G_DEFINE_QUARK (exk-api-error-quark, exk_api_error)

/* Default titles written by the status-code-pages handler and ASP.NET: they say nothing
 * that the status does not already say, so our own sentence is more useful. */
static const char * const generic_titles[] = {
  "One or more validation errors occurred.",
  "An error occurred while processing your request.",
  "Bad Request",
  "Unauthorized",
  "Payment Required",
  "Forbidden",
  "Not Found",
  "Conflict",
  "Upgrade Required",
  "Too Many Requests",
  "Internal Server Error",
  "Not Implemented",
  "Bad Gateway",
  "Service Unavailable",
  "Gateway Timeout",
  NULL,
};

static gboolean
is_json_content_type (const char *content_type)
{
  /* A missing type is tried too: some proxies drop it. */
  if (content_type == NULL)
    return TRUE;

  return g_ascii_strcasecmp (content_type, "application/json") == 0 ||
         (g_str_has_prefix (content_type, "application/") &&
          g_str_has_suffix (content_type, "+json"));
}

static JsonObject *
parse_problem (GBytes     *body,
               const char *content_type)
{
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize size;
  JsonNode *root;

  if (body == NULL || !is_json_content_type (content_type))
    return NULL;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || size > MAX_PROBLEM_SIZE || !g_utf8_validate (data, size, NULL))
    return NULL;

  /* json-glib recurses once per level: 64 KiB of "[" would overflow a small stack. */
  if (!exk_json_validate (data, size, EXK_JSON_MAX_DEPTH, NULL))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* The title when it says something more specific than the status itself. */
static const char *
get_specific_title (JsonObject *problem,
                    guint       status)
{
  JsonNode *node;
  const char *title;

  if (problem == NULL)
    return NULL;

  node = json_object_get_member (problem, "title");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  title = json_node_get_string (node);
  if (title == NULL || *title == '\0' || strlen (title) > MAX_TITLE_LENGTH)
    return NULL;

  if (g_strv_contains (generic_titles, title))
    return NULL;

  if (g_ascii_strcasecmp (title, soup_status_get_phrase (status)) == 0)
    return NULL;

  return title;
}

static char *
join_field_messages (JsonObject *problem)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  g_autoptr(GList) fields = NULL;
  JsonNode *errors_node;
  JsonObject *errors;

  if (problem == NULL)
    return NULL;

  errors_node = json_object_get_member (problem, "errors");
  if (errors_node == NULL || !JSON_NODE_HOLDS_OBJECT (errors_node))
    return NULL;

  errors = json_node_get_object (errors_node);
  fields = json_object_get_members (errors);

  for (const GList *l = fields; l != NULL; l = l->next)
    {
      JsonNode *messages = json_object_get_member (errors, l->data);
      JsonArray *array;
      guint n;

      if (messages == NULL || !JSON_NODE_HOLDS_ARRAY (messages))
        continue;

      array = json_node_get_array (messages);
      n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *message = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (message) ||
              json_node_get_value_type (message) != G_TYPE_STRING ||
              json_node_get_string (message)[0] == '\0')
            continue;

          if (joined->len > 0)
            g_string_append_c (joined, '\n');
          g_string_append (joined, json_node_get_string (message));
        }
    }

  if (joined->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/**
 * exk_api_error_new_from_response:
 * @status: the HTTP status
 * @body: (nullable): the response body
 * @content_type: (nullable): the response's media type, without parameters
 *
 * Maps an HTTP answer to an #EXK_API_ERROR. The message is the ProblemDetails `title`
 * when the server wrote a specific one, and otherwise a sentence that says what happened
 * and what to do next.
 *
 * Returns: (transfer full) (nullable): the error, or %NULL for a 2xx status
 */
GError *
exk_api_error_new_from_response (guint       status,
                                 GBytes     *body,
                                 const char *content_type)
{
  g_autoptr(JsonObject) problem = NULL;
  const char *title;

  if (status >= 200 && status < 300)
    return NULL;

  problem = parse_problem (body, content_type);
  title = get_specific_title (problem, status);

  switch (status)
    {
    case 400:
    case 409:
    case 422:
      {
        g_autofree char *fields = NULL;

        if (title != NULL)
          return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION, title);

        fields = join_field_messages (problem);
        if (fields != NULL)
          return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION, fields);

        if (status == 409)
          return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                                      _("Someone else changed this at the same time. "
                                        "Reload and try again."));

        return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                                    _("The server did not accept the request. "
                                      "Check the values you entered and try again."));
      }

    case 401:
      if (g_strcmp0 (title, "Login failed.") == 0)
        return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_LOGIN_FAILED,
                                    _("The email address or the password is wrong. Accounts "
                                      "created with GitHub, Google or Microsoft need a local "
                                      "password first: set one in the web app."));
      if (g_strcmp0 (title, "Login denied.") == 0)
        return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_LOGIN_THROTTLED,
                                    _("There were too many sign-in attempts for this account. "
                                      "Wait 15 minutes and try again."));
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED,
                                  title != NULL ? title :
                                  _("The server no longer accepts this sign-in: it may have "
                                    "expired or been revoked. Sign in again."));

    case 402:
    case 426:
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_PLAN_LIMIT,
                                  title != NULL ? title :
                                  _("The organization’s plan does not allow this. Upgrade the "
                                    "plan in the web app to continue."));

    case 403:
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN,
                                  title != NULL ? title :
                                  _("This account is not allowed to do this. Ask an owner of "
                                    "the organization for access."));

    case 404:
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND,
                                  title != NULL ? title :
                                  _("The item was not found. It may have been deleted, or you "
                                    "may no longer have access to it."));

    case 429:
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_RATE_LIMITED,
                                  _("The server is receiving too many requests from this "
                                    "account. Wait a few minutes and try again."));

    default:
      break;
    }

  if (status >= 500 && status < 600)
    {
      if (title != NULL)
        return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_SERVER, title);

      return g_error_new (EXK_API_ERROR, EXK_API_ERROR_SERVER,
                          _("The server ran into a problem (HTTP %u). Try again later; if it "
                            "keeps happening, contact the server’s administrator."),
                          status);
    }

  if (status >= 400 && status < 500)
    return g_error_new (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                        _("The server refused the request (HTTP %u): %s"),
                        status, title != NULL ? title : soup_status_get_phrase (status));

  return g_error_new (EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                      _("The server sent an unexpected answer (HTTP %u). Check that the "
                        "address points to an Exceptionless server."),
                      status);
}

/**
 * exk_api_error_new_from_transport:
 * @error: an error from GIO, GLib-Networking or libsoup
 * @got_response: whether the response headers had arrived when it happened
 *
 * Maps a transport failure to an #EXK_API_ERROR, in words for people: GLib's own
 * message goes to the debug log only. %G_IO_ERROR_CANCELLED is returned unchanged (as
 * a copy) so that callers can keep ignoring it.
 *
 * Returns: (transfer full): the error
 */
GError *
exk_api_error_new_from_transport (const GError *error,
                                  gboolean      got_response)
{
  return exk_api_error_new_from_transport_at (error, got_response, NULL);
}

/* Reached, in the sense that an answer came and was not what it should be. */
static gboolean
is_garbled (const GError *error,
            gboolean      got_response)
{
  return got_response
         || error->domain == SOUP_SESSION_ERROR
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
}

static gboolean
is_unknown_host (const GError *error)
{
  return g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND)
         || g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND);
}

static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);
}

/* The message of an error already in the API's words, now naming @address. */
static GError *
name_address (const GError *error,
              const char   *address)
{
  switch (error->code)
    {
    case EXK_API_ERROR_NETWORK:
      return g_error_new (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                          _("Could not connect to %s: check the address and your network "
                            "connection."),
                          address);
    case EXK_API_ERROR_TLS:
      return g_error_new (EXK_API_ERROR, EXK_API_ERROR_TLS,
                          _("A secure connection to %s could not be made."), address);
    case EXK_API_ERROR_TIMEOUT:
      return g_error_new (EXK_API_ERROR, EXK_API_ERROR_TIMEOUT,
                          _("The server at %s did not answer in time: try again later."),
                          address);
    default:
      return g_error_copy (error);
    }
}

/**
 * exk_api_error_new_from_transport_at:
 * @error: an error from GIO, GLib-Networking or libsoup, or an #EXK_API_ERROR
 * @got_response: whether the response headers had arrived when it happened
 * @address: (nullable): the address tried, with scheme, host and port (see
 *   exk_base_url_dup_address()), to name in the message
 *
 * Like exk_api_error_new_from_transport(), with a message that names @address. An
 * #EXK_API_ERROR about reaching the server (network, TLS, time-out) gets a message that
 * names @address too; any other is copied.
 *
 * Returns: (transfer full): the error
 */
GError *
exk_api_error_new_from_transport_at (const GError *error,
                                     gboolean      got_response,
                                     const char   *address)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == EXK_API_ERROR)
    return address != NULL ? name_address (error, address) : g_error_copy (error);

  /* GLib's words ("Error performing TLS handshake: …") are for developers. */
  g_debug ("Request to %s failed: %s (%s %d)", address != NULL ? address : "the server",
           error->message, g_quark_to_string (error->domain), error->code);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_TIMEOUT,
                            _("The server at %s did not answer in time: try again later."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_TIMEOUT,
                                  _("The server did not answer in time: check your network "
                                    "connection and try again."));
    }

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_TLS,
                            _("This computer does not trust the certificate of %s: if the "
                              "server uses its own certificate authority, install that "
                              "authority’s certificate on this computer."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_TLS,
                                  _("This computer does not trust the server’s certificate: if "
                                    "the server uses its own certificate authority, install "
                                    "that authority’s certificate on this computer."));
    }

  if (error->domain == G_TLS_ERROR)
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_TLS,
                            _("A secure connection to %s could not be made."), address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_TLS,
                                  _("A secure connection to the server could not be made."));
    }

  if (is_garbled (error, got_response))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                            _("The answer from %s was incomplete or garbled: try again "
                              "later."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                                  _("The server’s answer was incomplete or garbled: try again "
                                    "later."));
    }

  if (is_unknown_host (error))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                            _("No server was found at %s: check the address and your network "
                              "connection."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                                  _("No server was found at this address: check the address "
                                    "and your network connection."));
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                            _("Nothing answered at %s: check that the server is running and "
                              "that the port is right."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                                  _("The server refused the connection: check that it is "
                                    "running."));
    }

  if (is_unreachable (error))
    {
      if (address != NULL)
        return g_error_new (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                            _("This computer cannot reach %s: check your network "
                              "connection."),
                            address);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                                  _("This computer cannot reach the server: check your network "
                                    "connection."));
    }

  if (address != NULL)
    return g_error_new (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                        _("Could not connect to %s: check the address and your network "
                          "connection."),
                        address);
  return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                              _("Could not reach the server: check your network connection."));
}

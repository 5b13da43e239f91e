// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <libsoup/soup.h>

#include "exk-api-error.h"

#define PROBLEM "application/problem+json"

static char *
problem (guint       status,
         const char *title)
{
  return g_strdup_printf ("{\"type\":\"https://tools.ietf.org/html/rfc9110\",\"title\":\"%s\","
                          "\"status\":%u,\"instance\":\"GET /api/v2/x\",\"traceId\":\"00-1\"}",
                          title, status);
}

static GBytes *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
test_success (void)
{
  for (guint status = 200; status < 300; status++)
    g_assert_null (exk_api_error_new_from_response (status, NULL, NULL));
}

static void
test_statuses (void)
{
  struct {
    guint status;
    char *body;
    const char *content_type;
    ExkApiError code;
    const char *message;   /* exact, or NULL */
    const char *contains;  /* or a part of it */
  } cases[] = {
    { 400, problem (400, "A project with this name already exists."), PROBLEM,
      EXK_API_ERROR_VALIDATION, "A project with this name already exists.", NULL },
    { 400, problem (400, "One or more validation errors occurred."), PROBLEM,
      EXK_API_ERROR_VALIDATION, NULL, "Check the values" },
    { 400, g_strdup ("{\"title\":\"One or more validation errors occurred.\",\"status\":400,"
                     "\"errors\":{\"\":[\"A non-empty request body is required.\"]}}"),
      PROBLEM, EXK_API_ERROR_VALIDATION, "A non-empty request body is required.", NULL },
    { 400, g_strdup ("{\"title\":\"Bad Request\",\"status\":400}"), "application/json",
      EXK_API_ERROR_VALIDATION, NULL, "Check the values" },
    { 401, problem (401, "Unauthorized"), PROBLEM,
      EXK_API_ERROR_UNAUTHORIZED, NULL, "Sign in again" },
    { 401, NULL, NULL, EXK_API_ERROR_UNAUTHORIZED, NULL, "Sign in again" },
    { 401, problem (401, "Login failed."), PROBLEM,
      EXK_API_ERROR_LOGIN_FAILED, NULL, "password" },
    { 401, problem (401, "Login denied."), PROBLEM,
      EXK_API_ERROR_LOGIN_THROTTLED, NULL, "Wait 15 minutes" },
    { 402, problem (402, "Payment Required"), PROBLEM,
      EXK_API_ERROR_PLAN_LIMIT, NULL, "Upgrade" },
    { 403, problem (403, "Forbidden"), PROBLEM,
      EXK_API_ERROR_FORBIDDEN, NULL, "Ask an owner" },
    { 403, problem (403, "Token authentication cannot access tokens."), PROBLEM,
      EXK_API_ERROR_FORBIDDEN, "Token authentication cannot access tokens.", NULL },
    { 404, problem (404, "Token not found."), PROBLEM,
      EXK_API_ERROR_NOT_FOUND, "Token not found.", NULL },
    { 404, problem (404, "Not Found"), PROBLEM,
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 404, g_strdup ("<html><body>Not here</body></html>"), "text/html",
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 409, problem (409, "Conflict"), PROBLEM, EXK_API_ERROR_VALIDATION, NULL, "Reload" },
    { 415, problem (415, "Unsupported Media Type"), PROBLEM,
      EXK_API_ERROR_VALIDATION, NULL, "HTTP 415" },
    { 418, NULL, NULL, EXK_API_ERROR_VALIDATION, NULL, "HTTP 418" },
    { 426, problem (426, "Please upgrade your plan to add additional projects."), PROBLEM,
      EXK_API_ERROR_PLAN_LIMIT, "Please upgrade your plan to add additional projects.", NULL },
    { 426, g_strdup (""), PROBLEM, EXK_API_ERROR_PLAN_LIMIT, NULL, "Upgrade the plan" },
    { 429, problem (429, "Too Many Requests"), PROBLEM, EXK_API_ERROR_RATE_LIMITED,
      "The server is receiving too many requests from this account. Wait a few minutes and try "
      "again.", NULL },
    { 429, g_strdup ("slow down"), "text/plain", EXK_API_ERROR_RATE_LIMITED, NULL, "Wait" },
    { 500, problem (500, "An error occurred while processing your request."), PROBLEM,
      EXK_API_ERROR_SERVER, NULL, "HTTP 500" },
    { 500, g_strdup ("<html><h1>Oops</h1></html>"), "text/html",
      EXK_API_ERROR_SERVER, NULL, "HTTP 500" },
    { 502, g_strdup ("Bad gateway"), "text/plain", EXK_API_ERROR_SERVER, NULL, "HTTP 502" },
    { 503, problem (503, "Service Unavailable"), PROBLEM,
      EXK_API_ERROR_SERVER, NULL, "HTTP 503" },
    { 503, problem (503, "Event submission is currently disabled."), PROBLEM,
      EXK_API_ERROR_SERVER, "Event submission is currently disabled.", NULL },
    /* Broken or odd problem bodies never leak into the message. */
    { 404, g_strdup ("{\"title\":"), PROBLEM,
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 404, g_strdup ("{\"title\":404}"), PROBLEM,
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 404, g_strdup ("[\"Token not found.\"]"), "application/json",
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 404, g_strdup ("{\"title\":\"\"}"), PROBLEM,
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 404, problem (404, "Token not found."), "text/html",
      EXK_API_ERROR_NOT_FOUND, NULL, "may have been deleted" },
    { 302, NULL, NULL, EXK_API_ERROR_INVALID_RESPONSE, NULL, "HTTP 302" },
    { 304, NULL, NULL, EXK_API_ERROR_INVALID_RESPONSE, NULL, "HTTP 304" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;

      if (cases[i].body != NULL)
        body = g_bytes_new_take (cases[i].body, strlen (cases[i].body));

      error = exk_api_error_new_from_response (cases[i].status, body, cases[i].content_type);
      g_test_message ("case %u: HTTP %u → %s", i, cases[i].status,
                      error != NULL ? error->message : "(none)");
      g_assert_error (error, EXK_API_ERROR, (int) cases[i].code);
      if (cases[i].message != NULL)
        g_assert_cmpstr (error->message, ==, cases[i].message);
      if (cases[i].contains != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].contains));
    }
}

static void
test_validation_fields (void)
{
  g_autoptr(GBytes) body = load_fixture ("problem-validation.json");
  g_autoptr(GError) error = NULL;

  error = exk_api_error_new_from_response (422, body, PROBLEM);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION);
  g_assert_cmpstr (error->message, ==,
                   "Invalid token scope requested.\nPlease specify a valid project id.");
}

/* One sentence: a single full stop, at the end, and no "check the address" twice. */
static void
assert_one_sentence (const char *message)
{
  const char *stop = strchr (message, '.');
  const char *check = strstr (message, "check the address");

  /* Addresses have dots too: count the ones that end a sentence. */
  while (stop != NULL && stop[1] != '\0' && stop[1] != ' ')
    stop = strchr (stop + 1, '.');

  g_assert_nonnull (stop);
  if (stop[1] != '\0')
    g_error ("More than one sentence: “%s”", message);
  if (check != NULL)
    g_assert_null (strstr (check + 1, "check the address"));
}

static void
test_transport (void)
{
  struct {
    GQuark domain;
    int code;
    gboolean got_response;
    ExkApiError expected;
  } cases[] = {
    { 0, G_IO_ERROR_TIMED_OUT, FALSE, EXK_API_ERROR_TIMEOUT },
    { 0, G_IO_ERROR_CONNECTION_REFUSED, FALSE, EXK_API_ERROR_NETWORK },
    { 0, G_IO_ERROR_HOST_UNREACHABLE, FALSE, EXK_API_ERROR_NETWORK },
    { 0, G_IO_ERROR_NETWORK_UNREACHABLE, FALSE, EXK_API_ERROR_NETWORK },
    { 0, G_IO_ERROR_PARTIAL_INPUT, FALSE, EXK_API_ERROR_NETWORK },
    { 0, G_IO_ERROR_PARTIAL_INPUT, TRUE, EXK_API_ERROR_INVALID_RESPONSE },
    { 0, G_IO_ERROR_BROKEN_PIPE, FALSE, EXK_API_ERROR_NETWORK },
    { 1, G_RESOLVER_ERROR_NOT_FOUND, FALSE, EXK_API_ERROR_NETWORK },
    { 2, G_TLS_ERROR_BAD_CERTIFICATE, FALSE, EXK_API_ERROR_TLS },
    { 2, G_TLS_ERROR_HANDSHAKE, FALSE, EXK_API_ERROR_TLS },
    { 3, SOUP_SESSION_ERROR_PARSING, FALSE, EXK_API_ERROR_INVALID_RESPONSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GQuark domains[] = { G_IO_ERROR, G_RESOLVER_ERROR, G_TLS_ERROR, SOUP_SESSION_ERROR };
      g_autoptr(GError) cause = g_error_new_literal (domains[cases[i].domain], cases[i].code,
                                                     "the cause");
      g_autoptr(GError) error = exk_api_error_new_from_transport (cause, cases[i].got_response);
      g_autoptr(GError) at = exk_api_error_new_from_transport_at (cause, cases[i].got_response,
                                                                 "https://example.com:8443");

      g_assert_error (error, EXK_API_ERROR, (int) cases[i].expected);
      g_assert_error (at, EXK_API_ERROR, (int) cases[i].expected);
      /* GLib's words stay out of what people read; the address tried is named. */
      g_assert_null (strstr (error->message, "the cause"));
      g_assert_null (strstr (at->message, "the cause"));
      g_assert_nonnull (strstr (at->message, "https://example.com:8443"));
      assert_one_sentence (error->message);
      assert_one_sentence (at->message);
    }
}

/* The words people saw for a plain-HTTP server tried over HTTPS. */
static void
test_transport_tls_jargon (void)
{
  g_autoptr(GError) cause = g_error_new_literal (G_TLS_ERROR, G_TLS_ERROR_MISC,
                                                 "Error performing TLS handshake: An "
                                                 "unexpected TLS packet was received.");
  g_autoptr(GError) error = exk_api_error_new_from_transport_at (cause, FALSE,
                                                                 "https://127.0.0.1:34813");

  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_TLS);
  g_assert_null (strstr (error->message, "handshake"));
  g_assert_null (strstr (error->message, "TLS"));
  g_assert_null (strstr (error->message, ".."));
  g_assert_nonnull (strstr (error->message, "https://127.0.0.1:34813"));
}

/* An error already in the API's words, from a request made before the address was known
 * to the caller: about reaching the server, it comes to name the address; else unchanged. */
static void
test_transport_named_later (void)
{
  g_autoptr(GError) network = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NETWORK,
                                                   "Could not reach the server.");
  g_autoptr(GError) login = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_LOGIN_FAILED,
                                                 "Login failed.");
  g_autoptr(GError) named = exk_api_error_new_from_transport_at (network, FALSE,
                                                                 "http://192.0.2.1:5000");
  g_autoptr(GError) copied = exk_api_error_new_from_transport_at (login, FALSE,
                                                                  "http://192.0.2.1:5000");

  g_assert_error (named, EXK_API_ERROR, EXK_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (named->message, "http://192.0.2.1:5000"));
  g_assert_error (copied, EXK_API_ERROR, EXK_API_ERROR_LOGIN_FAILED);
  g_assert_cmpstr (copied->message, ==, "Login failed.");
}

static void
test_cancelled (void)
{
  g_autoptr(GError) cause = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  g_autoptr(GError) error = exk_api_error_new_from_transport (cause, TRUE);

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpstr (error->message, ==, "Cancelled");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/error/success", test_success);
  g_test_add_func ("/exkeys/api/error/statuses", test_statuses);
  g_test_add_func ("/exkeys/api/error/validation-fields", test_validation_fields);
  g_test_add_func ("/exkeys/api/error/transport", test_transport);
  g_test_add_func ("/exkeys/api/error/transport-tls-jargon", test_transport_tls_jargon);
  g_test_add_func ("/exkeys/api/error/transport-named-later", test_transport_named_later);
  g_test_add_func ("/exkeys/api/error/cancelled", test_cancelled);

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "exk-api-error.h"
#include "exk-base-url.h"

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
  g_assert_true (g_str_has_prefix (error->message, "Exkeys only sends your token over HTTPS"));
  g_assert_nonnull (strstr (error->message, "https://errors.example.com"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/base-url/valid", test_valid);
  g_test_add_func ("/exkeys/api/base-url/invalid", test_invalid);
  g_test_add_func ("/exkeys/api/base-url/insecure-message", test_insecure_message);

  return g_test_run ();
}

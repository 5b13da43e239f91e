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
  g_assert_true (g_str_has_prefix (error->message, "Exkeys only sends your token over HTTPS"));
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

  return g_test_run ();
}

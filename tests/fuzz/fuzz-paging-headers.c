// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "exk-paged-request.h"

/* The two headers a paged list depends on. The input is one header value; libsoup hands
 * over a C string, so anything after a NUL is cut off the same way. Both readers get every
 * input: a Link value is a bad X-Result-Count and the other way round. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A well-formed link-value before a comma must not change the verdict on what follows. */
#define PREVIOUS_LINK \
  "<https://api.example.com/api/v2/projects?limit=10&page=1>; rel=\"previous\", "

/* What X-Result-Count should read as, written without the code under test: surrounding
 * ASCII whitespace, then nothing but decimal digits, at most G_MAXINT64. */
static gint64
expected_count (const char *value)
{
  const char *start = value;
  const char *end = value + strlen (value);
  guint64 count = 0;

  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (start == end)
    return -1;

  for (const char *p = start; p < end; p++)
    {
      if (!g_ascii_isdigit (*p))
        return -1;
      if (count > ((guint64) G_MAXINT64 - (guint64) g_ascii_digit_value (*p)) / 10)
        return -1;
      count = count * 10 + g_ascii_digit_value (*p);
    }

  return (gint64) count;
}

static void
check_result_count (const char *value)
{
  gint64 count = exk_paged_request_parse_result_count (value);
  g_autofree char *written = NULL;

  /* GLib reads a vertical tab as space in g_ascii_strtoull() but not in g_strstrip() or
   * g_ascii_isspace(), so that "\v+5" reads as 5 and "5\v" as nothing; harmless, and no
   * HTTP header holds one. The model below leaves it out. */
  g_assert_cmpint (count, >=, -1);
  if (strchr (value, '\v') == NULL)
    g_assert_cmpint (count, ==, expected_count (value));

  if (count >= 0)
    {
      written = g_strdup_printf ("%" G_GINT64_FORMAT, count);
      g_assert_cmpint (exk_paged_request_parse_result_count (written), ==, count);
    }
}

static void
check_link (const char *value)
{
  g_autofree char *joined = g_strconcat (PREVIOUS_LINK, value, NULL);
  gboolean has_next = exk_paged_request_link_has_next (value);

  g_assert_cmpint (exk_paged_request_link_has_next (joined), ==, has_next);

  /* A relation named “next” has to be written somewhere. */
  if (has_next)
    {
      g_autofree char *lower = g_ascii_strdown (value, -1);

      g_assert_nonnull (strstr (lower, "next"));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *value = g_strndup ((const char *) data, size);

  check_result_count (value);
  check_link (value);

  g_assert_cmpint (exk_paged_request_parse_result_count (NULL), ==, -1);
  g_assert_false (exk_paged_request_link_has_next (NULL));

  return 0;
}

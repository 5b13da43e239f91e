// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "exk-paged-request.h"

static void
test_link_next (void)
{
  static const struct {
    const char *header;
    gboolean has_next;
  } cases[] = {
    { NULL, FALSE },
    { "", FALSE },
    { "<https://h/api/v2/projects/1/tokens?limit=10&page=2>; rel=\"next\"", TRUE },
    { "<https://h/api/v2/projects?limit=10&page=1>; rel=\"previous\"", FALSE },
    /* Two header lines, as libsoup joins them. */
    { "<https://h/api/v2/projects?limit=10&page=1>; rel=\"previous\", "
      "<https://h/api/v2/projects?limit=10&page=3>; rel=\"next\"", TRUE },
    { "<https://h/api/v2/projects?limit=10&page=3>; rel=\"next\",<https://h/x?page=1>; "
      "rel=\"previous\"", TRUE },
    { "<https://h/api/v2/projects?limit=10&page=3>; rel=next", TRUE },
    { "<https://h/api/v2/projects?limit=10&page=3>;rel=NEXT", TRUE },
    { "<https://h/api/v2/projects?limit=10&page=3> ; rel = \"prefetch next\"", TRUE },
    /* Commas inside the URI or a quoted parameter are not separators. */
    { "<https://h/api/v2/tokens/a,b?page=2>; title=\"a, rel=next\"; rel=\"previous\"", FALSE },
    { "<https://h/x?filter=a,b>; rel=\"next\"", TRUE },
    { "<https://h/x?page=2>; rel=\"nextpage\"", FALSE },
    { "<https://h/x?page=2>; relation=\"next\"", FALSE },
    { "rel=\"next\"", FALSE },
    { "<https://h/x?page=2; rel=\"next\"", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].header);
      g_assert_cmpint (exk_paged_request_link_has_next (cases[i].header), ==, cases[i].has_next);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/paging/link-next", test_link_next);

  return g_test_run ();
}

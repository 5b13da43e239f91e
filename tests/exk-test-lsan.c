// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

/* Linked into the tests only in AddressSanitizer builds. GLib 2.74 leaks the copies that
 * g_set_user_dirs() keeps for G_TEST_OPTION_ISOLATE_DIRS; nothing else is suppressed.
 * Distribution GLib has no frame pointers, so the suppression needs the slow unwinder to
 * see that frame at all. */

const char *__asan_default_options (void);
const char *__lsan_default_suppressions (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0";
}

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_set_user_dirs\n";
}

// SPDX-License-Identifier: GPL-3.0-or-later

/* Freeing text that held a password or a token. */

#include "config.h"

#include <string.h>

#include "exk-secret-text.h"

/**
 * exk_secret_text_free:
 * @text: (nullable): a NUL-terminated string from g_malloc()
 *
 * Overwrites @text with zeros, in a way the compiler may not drop as a dead
 * store before a free, and frees it. Usable as a #GDestroyNotify.
 */
void
exk_secret_text_free (gpointer text)
{
  if (text == NULL)
    return;

  explicit_bzero (text, strlen (text));
  g_free (text);
}

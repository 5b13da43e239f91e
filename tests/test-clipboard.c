// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "exk-clipboard.h"
#include "exk-test-util.h"

/* A copied key, read by another process (xclip) as a clipboard manager or an
 * application would: the key is there, and every target listed is served. */

#define KEY "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"

typedef struct
{
  GSubprocess *process;
  char        *output;
  gboolean     done;
  gboolean     success;
} Reader;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Reader *reader = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &reader->output, NULL,
                                        &error);
  g_assert_no_error (error);
  reader->success = g_subprocess_get_successful (G_SUBPROCESS (source));
  reader->done = TRUE;
}

static gboolean
reader_done (gpointer data)
{
  return ((Reader *) data)->done;
}

/* Runs xclip on @target while this process serves the clipboard. */
static char *
read_clipboard (const char *target,
                gboolean   *success)
{
  g_autoptr(GError) error = NULL;
  Reader reader = { 0 };

  reader.process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                     "xclip", "-o", "-selection", "clipboard", "-t", target,
                                     NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (reader.process, NULL, NULL, on_communicated, &reader);
  g_assert_true (exk_test_wait_until (reader_done, &reader, 10000));
  g_clear_object (&reader.process);

  *success = reader.success;
  return reader.output;
}

static void
test_key_served_to_other_processes (void)
{
  GtkWidget *window = gtk_window_new ();
  g_autofree char *targets = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean ok = FALSE;

  gtk_window_present (GTK_WINDOW (window));
  exk_test_wait_until_mapped (window);
  exk_clipboard_copy_secret (window, KEY);

  text = read_clipboard ("UTF8_STRING", &ok);
  g_assert_true (ok);
  g_assert_cmpstr (text, ==, KEY);

  /* Nothing is listed that cannot be had: each target is read for real. */
  targets = read_clipboard ("TARGETS", &ok);
  g_assert_true (ok);
  lines = g_strsplit (g_strstrip (targets), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, 1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *content = NULL;

      if (g_str_equal (lines[i], "TARGETS") || g_str_equal (lines[i], "MULTIPLE")
          || g_str_equal (lines[i], "SAVE_TARGETS") || g_str_equal (lines[i], "TIMESTAMP"))
        continue;

      content = read_clipboard (lines[i], &ok);
      if (!ok)
        g_error ("The clipboard lists the target %s but does not serve it", lines[i]);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

  g_test_add_func ("/exkeys/clipboard/key-served-to-other-processes",
                   test_key_served_to_other_processes);

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#define _GNU_SOURCE
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>

#include "exk-mock-server.h"
#include "exk-test-util.h"

/* The real exkeys program, started the way build-aux/run --demo starts it: the
 * demo token comes through a file descriptor, and once the app has used it,
 * it is in neither its environment nor its command line as the system keeps
 * them (/proc/PID/environ shows the environment the process started with). */

static const char *exkeys_path;

static gboolean
token_used (gpointer data)
{
  ExkMockServer *mock = data;

  return exk_test_count_requests (exk_mock_server_get_url (mock), "GET",
                                  "/api/v2/projects") > 0;
}

static gboolean
contains (GBytes     *haystack,
          const char *needle)
{
  gsize size;
  const char *data = g_bytes_get_data (haystack, &size);

  /* /proc's files are NUL-separated: not a string search. */
  return memmem (data, size, needle, strlen (needle)) != NULL;
}

static GBytes *
read_proc (GPid        pid,
           const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static void
test_token_not_in_environment (void)
{
  ExkMockOptions options = { 0 };
  g_autoptr(ExkMockServer) mock = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GOutputStream) pipe_in = NULL;
  g_autoptr(GBytes) environ_bytes = NULL;
  g_autoptr(GBytes) cmdline = NULL;
  g_autoptr(GError) error = NULL;
  const char *token;
  int fds[2];

  mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  token = exk_mock_server_get_demo_token (mock);

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "EXKEYS_DEMO_URL", exk_mock_server_get_url (mock), TRUE);
  g_subprocess_launcher_setenv (launcher, "EXKEYS_DEMO_TOKEN_FD", "3", TRUE);
  g_subprocess_launcher_take_fd (launcher, fds[0], 3);
  app = g_subprocess_launcher_spawn (launcher, &error, exkeys_path, NULL);
  g_assert_no_error (error);

  pipe_in = g_unix_output_stream_new (fds[1], TRUE);
  g_output_stream_write_all (pipe_in, token, strlen (token), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (pipe_in, NULL, &error);
  g_assert_no_error (error);

  /* Signed in with it: the projects were asked for. */
  g_assert_true (exk_test_wait_until (token_used, mock, 30000));

  environ_bytes = read_proc ((GPid) atoi (g_subprocess_get_identifier (app)), "environ");
  cmdline = read_proc ((GPid) atoi (g_subprocess_get_identifier (app)), "cmdline");
  g_assert_true (contains (environ_bytes, "EXKEYS_DEMO_TOKEN_FD=3"));
  g_assert_false (contains (environ_bytes, token));
  g_assert_false (contains (cmdline, token));

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);
  exk_mock_server_stop (mock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Set by meson: the program as built. */
  exkeys_path = g_getenv ("EXKEYS_PROGRAM");
  g_assert_nonnull (exkeys_path);

  g_test_add_func ("/exkeys/demo/token-not-in-environment", test_token_not_in_environment);

  return g_test_run ();
}

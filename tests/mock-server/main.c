// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * exkeys-mock-server: a fake Exceptionless server on 127.0.0.1 for tests and
 * for trying Exkeys without an account. See README.md in this folder.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib-unix.h>

#include "exk-mock-server.h"

static gboolean
on_quit_signal (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ExkMockServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) faults = NULL;
  g_autofree char *seed_file = NULL;
  gboolean dump_seed = FALSE;
  int port = 0;
  int projects = 0;
  int tokens = 0;
  int organization_tokens = 0;
  int latency = 0;
  int rate_limit = 0;
  ExkMockOptions options = { 0 };
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (default 0: any free port)", "PORT" },
    { "projects", 0, 0, G_OPTION_ARG_INT, &projects,
      "Add N generated projects to the demo user's organizations", "N" },
    { "tokens", 0, 0, G_OPTION_ARG_INT, &tokens,
      "Add N generated API keys to the first project", "N" },
    { "organization-tokens", 0, 0, G_OPTION_ARG_INT, &organization_tokens,
      "Add N generated API keys of every kind across Acme's projects", "N" },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency,
      "Delay every answer by MS milliseconds", "MS" },
    { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed_file,
      "Load this JSON seed instead of the demo data", "FILE" },
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Inject a fault: [METHOD ]PATH_PREFIX=KIND[:ARG][*COUNT] (repeatable)", "SPEC" },
    { "rate-limit", 0, 0, G_OPTION_ARG_INT, &rate_limit,
      "Requests per caller and 15 minutes before 429 (default 100000)", "N" },
    { "dump-seed", 0, 0, G_OPTION_ARG_NONE, &dump_seed,
      "Print the seed as JSON and exit", NULL },
    { NULL }
  };

  context = g_option_context_new ("- fake Exceptionless server for Exkeys");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (port < 0 || port > G_MAXUINT16 || projects < 0 || tokens < 0 || organization_tokens < 0
      || latency < 0
      || rate_limit < 0)
    {
      g_printerr ("Numbers must not be negative, and the port must be below 65536\n");
      return EXIT_FAILURE;
    }

  options.projects = (guint) projects;
  options.tokens = (guint) tokens;
  options.organization_tokens = (guint) organization_tokens;
  options.latency_ms = (guint) latency;
  options.seed_file = seed_file;
  options.rate_limit = (guint) rate_limit;

  server = exk_mock_server_new (&options, &error);
  if (server == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (dump_seed)
    {
      g_autofree char *json = exk_mock_server_dump_seed (server);

      g_print ("%s\n", json);
      return EXIT_SUCCESS;
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    {
      if (!exk_mock_server_add_fault (server, faults[i], &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);

  if (!exk_mock_server_listen (server, (guint) port, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  /* The first line is what scripts wait for. */
  printf ("LISTENING %s\n", exk_mock_server_get_url (server));
  if (exk_mock_server_get_demo_email (server) != NULL)
    printf ("EMAIL %s\n", exk_mock_server_get_demo_email (server));
  if (exk_mock_server_get_demo_password (server) != NULL)
    printf ("PASSWORD %s\n", exk_mock_server_get_demo_password (server));
  if (exk_mock_server_get_demo_token (server) != NULL)
    printf ("TOKEN %s\n", exk_mock_server_get_demo_token (server));
  fflush (stdout);

  g_main_loop_run (loop);

  exk_mock_server_stop (server);

  return EXIT_SUCCESS;
}

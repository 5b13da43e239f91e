// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "exk-account-manager.h"
#include "exk-application.h"
#include "exk-search-provider.h"
#include "exk-window.h"

#define DEMO_TOKEN_MAX 512

struct _ExkApplication
{
  AdwApplication     parent_instance;

  ExkAccountManager *manager;
  ExkSearchProvider *search_provider;
  char              *demo_url;
  char              *demo_token;
};

G_DEFINE_FINAL_TYPE (ExkApplication, exk_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { NULL }
};

static void
exk_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  ExkApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing the windows (rather than g_application_quit()) lets each one save
   * its state and cancel its requests. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
}

static void
exk_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  ExkApplication *self = user_data;
  static const char *developers[] = { "The Exkeys developers", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  adw_about_window_set_application_name (about, _("Exkeys"));
  adw_about_window_set_application_icon (about, BASE_ID);
  adw_about_window_set_version (about, PACKAGE_VERSION);
  adw_about_window_set_developer_name (about, _("The Exkeys developers"));
  adw_about_window_set_developers (about, developers);
  adw_about_window_set_website (about, PACKAGE_WEBSITE);
  adw_about_window_set_issue_url (about, PACKAGE_BUGREPORT);
  adw_about_window_set_license_type (about, GTK_LICENSE_GPL_3_0);
  adw_about_window_set_copyright (about, "© 2026 The Exkeys developers");
  adw_about_window_set_comments (about,
                                 _("Manage the projects and API keys of your Exceptionless "
                                   "account. Exkeys is an independent project, not made by "
                                   "Exceptionless."));
  /* Translators: replace with your name and email, one translator per line. */
  adw_about_window_set_translator_credits (about, _("translator-credits"));

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (about), parent);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", exk_application_quit_action },
  { "about", exk_application_about_action },
};

static int
exk_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  return G_APPLICATION_CLASS (exk_application_parent_class)->handle_local_options (app, options);
}

static void
exk_application_activate (GApplication *app)
{
  ExkApplication *self = EXK_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (exk_window_new (self, self->manager));
  gtk_window_present (window);

  if (self->demo_url != NULL && self->demo_token != NULL)
    exk_window_sign_in_with_token (EXK_WINDOW (window), self->demo_url, self->demo_token,
                                   EXK_SIGN_IN_SESSION_ONLY);
  else
    exk_window_restore_session (EXK_WINDOW (window));

  /* The demo token is used once, then only the account manager holds it. */
  g_clear_pointer (&self->demo_token, g_free);
}

/* The demo token comes through a file descriptor (EXKEYS_DEMO_TOKEN_FD), not
 * the environment: /proc/PID/environ keeps the environment the process
 * started with, whatever g_unsetenv() does afterwards. */
static char *
read_demo_token (void)
{
  const char *fd_text = g_getenv ("EXKEYS_DEMO_TOKEN_FD");
  char buffer[DEMO_TOKEN_MAX + 1];
  char *token;
  guint64 fd;
  gssize n;

  if (fd_text == NULL || !g_ascii_string_to_unsigned (fd_text, 10, 3, G_MAXINT, &fd, NULL))
    return NULL;

  n = read ((int) fd, buffer, DEMO_TOKEN_MAX);
  close ((int) fd);
  if (n <= 0)
    return NULL;

  buffer[n] = '\0';
  g_strstrip (buffer);
  token = buffer[0] != '\0' ? g_strdup (buffer) : NULL;
  explicit_bzero (buffer, sizeof buffer);

  return token;
}

/* Made at registration, before startup: the search provider needs the
 * accounts before the bus name is owned, or the Shell's first call fails. */
static void
exk_application_ensure_manager (ExkApplication *self)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(ExkSecretStore) secrets = NULL;

  if (self->manager != NULL)
    return;

  settings = g_settings_new (BASE_ID);
  secrets = exk_secret_store_new ();
  self->manager = exk_account_manager_new (settings, secrets);
}

static GtkWindow *
exk_application_ensure_window (ExkApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    g_application_activate (G_APPLICATION (self));

  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

static void
on_search_activate_project (ExkApplication *self,
                            ExkAccount     *account,
                            ExkProject     *project,
                            guint           timestamp)
{
  GtkWindow *window = exk_application_ensure_window (self);

  exk_window_open_project (EXK_WINDOW (window), account, project, NULL);
  gtk_window_present_with_time (window, timestamp);
}

static void
on_search_launch (ExkApplication *self,
                  const char     *text,
                  guint           timestamp)
{
  GtkWindow *window = exk_application_ensure_window (self);

  exk_window_search_projects (EXK_WINDOW (window), text);
  gtk_window_present_with_time (window, timestamp);
}

static gboolean
exk_application_dbus_register (GApplication     *app,
                               GDBusConnection  *connection,
                               const char       *object_path,
                               GError          **error)
{
  ExkApplication *self = EXK_APPLICATION (app);
  g_autofree char *path = g_strconcat (object_path, "/SearchProvider", NULL);

  if (!G_APPLICATION_CLASS (exk_application_parent_class)->dbus_register (app, connection,
                                                                          object_path, error))
    return FALSE;

  exk_application_ensure_manager (self);
  self->search_provider =
    exk_search_provider_new (exk_account_manager_get_accounts (self->manager));
  g_signal_connect_swapped (self->search_provider, "activate-project",
                            G_CALLBACK (on_search_activate_project), self);
  g_signal_connect_swapped (self->search_provider, "launch-search",
                            G_CALLBACK (on_search_launch), self);

  return exk_search_provider_register (self->search_provider, connection, path, error);
}

static void
exk_application_dbus_unregister (GApplication    *app,
                                 GDBusConnection *connection,
                                 const char      *object_path)
{
  ExkApplication *self = EXK_APPLICATION (app);

  if (self->search_provider != NULL)
    exk_search_provider_unregister (self->search_provider);

  G_APPLICATION_CLASS (exk_application_parent_class)->dbus_unregister (app, connection,
                                                                       object_path);
}

static void
exk_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  ExkApplication *self = EXK_APPLICATION (app);

  G_APPLICATION_CLASS (exk_application_parent_class)->startup (app);

  exk_application_ensure_manager (self);
  /* Started by the Shell for a search: stay a moment for the next keystroke. */
  g_application_set_inactivity_timeout (app, 10000);

  /* build-aux/run --demo passes the mock server's address and its demo
   * user's token; they never reach the keyring or the settings. */
  self->demo_url = g_strdup (g_getenv ("EXKEYS_DEMO_URL"));
  self->demo_token = read_demo_token ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
exk_application_finalize (GObject *object)
{
  ExkApplication *self = EXK_APPLICATION (object);

  g_clear_object (&self->search_provider);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->demo_url, g_free);
  g_clear_pointer (&self->demo_token, g_free);

  G_OBJECT_CLASS (exk_application_parent_class)->finalize (object);
}

static void
exk_application_class_init (ExkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = exk_application_finalize;

  app_class->activate = exk_application_activate;
  app_class->startup = exk_application_startup;
  app_class->dbus_register = exk_application_dbus_register;
  app_class->dbus_unregister = exk_application_dbus_unregister;
  app_class->handle_local_options = exk_application_handle_local_options;
}

static void
exk_application_init (ExkApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Manage the projects and API keys of an "
                                              "Exceptionless account."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("The user token of each account is kept in "
                                                  "the keyring, never in a file. See exkeys(1) "
                                                  "for the environment variables and files."));
}

ExkApplication *
exk_application_new (void)
{
  /* The resource base path is fixed, so that the development profile (with its
   * own application id) finds the same help overlay and icons. */
  return g_object_new (EXK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "exk-a11y.h"
#include "exk-account-manager.h"
#include "exk-application.h"
#include "exk-background-portal.h"
#include "exk-expiry-reminders.h"
#include "exk-search-provider.h"
#include "exk-window.h"

#define DEMO_TOKEN_MAX 512

struct _ExkApplication
{
  AdwApplication     parent_instance;

  ExkAccountManager *manager;
  ExkSearchProvider *search_provider;
  ExkExpiryReminders *reminders;
  GPtrArray         *due;                /* ExkExpiryReminder of the refresh under way */
  GSettings         *settings;
  GCancellable      *portal_cancellable;
  gboolean           held;               /* running in the background */
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

  /* Quit means quit, even when running in the background. */
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (G_APPLICATION (self));
    }

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
  exk_window_set_expiry_reminders (EXK_WINDOW (window), self->reminders);
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

/* Expiry reminders */

/* The client of the active account, for the reminders. */
static void
on_manager_client_changed (ExkApplication *self)
{
  ExkClient *client = exk_account_manager_get_client (self->manager);
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);
  g_autofree char *key = NULL;

  if (client != NULL && account != NULL)
    key = exk_account_dup_key (account);
  exk_expiry_reminders_set_client (self->reminders, key != NULL ? client : NULL, key);
}

/* One notification per key (the 1-day one replaces the 14-day one). Its id
 * and its actions' targets hold the key's fingerprint, never the key. */
static void
exk_application_notify_reminder (ExkApplication    *self,
                                 ExkExpiryReminder *reminder)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GDateTime) now = exk_expiry_reminders_dup_now (self->reminders);
  g_autofree char *title = exk_expiry_reminder_dup_title (reminder);
  g_autofree char *body = exk_expiry_reminder_dup_body (reminder, now);
  g_autofree char *id = g_strconcat ("expiry-", exk_expiry_reminder_get_fingerprint (reminder),
                                     NULL);
  const char *project_id = exk_project_get_id (exk_expiry_reminder_get_project (reminder));
  const char *print = exk_expiry_reminder_get_fingerprint (reminder);

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  if (exk_expiry_reminder_get_threshold (reminder) != EXK_EXPIRY_THRESHOLD_TWO_WEEKS)
    g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.open-expiring-key", "(ss)",
                                                project_id, print);
  g_notification_add_button_with_target (notification, _("Show Key"), "app.open-expiring-key",
                                         "(ss)", project_id, print);
  g_notification_add_button_with_target (notification, _("Replace Key…"),
                                         "app.replace-expiring-key", "(ss)", project_id, print);
  g_debug ("Expiry reminder: %s", title);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* More than a few at once (the first run, many keys made together): one
 * notification that opens the list, rather than a column of them. */
#define MAX_SEPARATE_NOTIFICATIONS 3

static void
on_reminder_due (ExkApplication    *self,
                 ExkExpiryReminder *reminder)
{
  g_ptr_array_add (self->due, g_object_ref (reminder));
}

static void
on_reminders_refreshed (ExkApplication *self)
{
  g_autoptr(GPtrArray) due = g_steal_pointer (&self->due);
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  self->due = g_ptr_array_new_with_free_func (g_object_unref);
  if (due->len <= MAX_SEPARATE_NOTIFICATIONS)
    {
      for (guint i = 0; i < due->len; i++)
        exk_application_notify_reminder (self, g_ptr_array_index (due, i));
      return;
    }

  /* Translators: a notification's title. */
  title = g_strdup_printf (ngettext ("%u API key expires soon or has expired",
                                     "%u API keys expire soon or have expired", due->len),
                           due->len);
  notification = g_notification_new (title);
  g_notification_set_body (notification, _("Review them and replace them before apps can no "
                                            "longer send events."));
  g_notification_set_default_action (notification, "app.review-expiring");
  g_notification_add_button (notification, _("Review"), "app.review-expiring");
  g_debug ("Expiry reminder: %s", title);
  g_application_send_notification (G_APPLICATION (self), "expiry-summary", notification);
}

static GtkWindow *exk_application_ensure_window (ExkApplication *self);

static void
exk_application_review_expiring_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  GtkWindow *window = exk_application_ensure_window (EXK_APPLICATION (user_data));

  gtk_window_present (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.review-expiring", NULL);
}

/* A notification's action: the key, looked up by its fingerprint in the
 * reminders (the account's keys); its project alone if the key is gone. */
static void
exk_application_open_expiring_key (ExkApplication *self,
                                   GVariant       *parameter,
                                   gboolean        replace)
{
  GtkWindow *window = exk_application_ensure_window (self);
  const char *project_id, *print;
  ExkExpiryReminder *reminder;
  ExkProject *project;

  g_variant_get (parameter, "(&s&s)", &project_id, &print);
  reminder = exk_expiry_reminders_find (self->reminders, print);
  project = reminder != NULL ? exk_expiry_reminder_get_project (reminder)
                             : exk_expiry_reminders_find_project (self->reminders, project_id);

  if (reminder != NULL && replace)
    exk_window_replace_key (EXK_WINDOW (window), NULL, project,
                            exk_token_get_id (exk_expiry_reminder_get_token (reminder)));
  else if (project != NULL)
    exk_window_open_project (EXK_WINDOW (window), NULL, project,
                             reminder != NULL
                             ? exk_token_get_id (exk_expiry_reminder_get_token (reminder))
                             : NULL);
  gtk_window_present (window);
}

static void
exk_application_open_expiring_key_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  exk_application_open_expiring_key (EXK_APPLICATION (user_data), parameter, FALSE);
}

static void
exk_application_replace_expiring_key_action (GSimpleAction *action,
                                             GVariant      *parameter,
                                             gpointer       user_data)
{
  exk_application_open_expiring_key (EXK_APPLICATION (user_data), parameter, TRUE);
}

static const GActionEntry reminder_actions[] = {
  { "open-expiring-key", exk_application_open_expiring_key_action, "(ss)" },
  { "replace-expiring-key", exk_application_replace_expiring_key_action, "(ss)" },
  { "review-expiring", exk_application_review_expiring_action },
};

/* Running in the background */

static void
on_background_requested (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  ExkApplication *self;
  g_autoptr(GError) error = NULL;

  if (exk_background_portal_request_finish (result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_APPLICATION (user_data);

  /* The user said no in the portal's dialog: the setting follows, so that
   * the menu does not claim what the system will not do. No portal at all
   * (outside a sandbox): nothing stops the app from staying, nothing to say. */
  g_debug ("Running in the background: %s", error->message);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    g_settings_set_boolean (self->settings, "run-in-background", FALSE);
}

static void
exk_application_request_background (ExkApplication *self)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (self));

  if (connection == NULL)
    return;

  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  self->portal_cancellable = g_cancellable_new ();
  exk_background_portal_request_async (connection,
                                       _("Remind you of API keys that expire soon"),
                                       self->portal_cancellable, on_background_requested, self);
}

/* On: the app holds itself, so that closing the window keeps it (and its
 * reminders) running. Off: nothing stays once the window is closed. */
static void
exk_application_update_background (ExkApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");

  if (wanted == self->held)
    return;

  self->held = wanted;
  if (wanted)
    {
      g_application_hold (G_APPLICATION (self));
      exk_application_request_background (self);
    }
  else
    {
      g_cancellable_cancel (self->portal_cancellable);
      g_application_release (G_APPLICATION (self));
    }
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

  exk_a11y_watch_windows ();
  exk_application_ensure_manager (self);
  /* Started by the Shell for a search: stay a moment for the next keystroke.
   * Started by a person, it ends with its last window. */
  if (g_application_get_flags (app) & G_APPLICATION_IS_SERVICE)
    g_application_set_inactivity_timeout (app, 10000);

  /* build-aux/run --demo passes the mock server's address and its demo
   * user's token; they never reach the keyring or the settings. */
  self->demo_url = g_strdup (g_getenv ("EXKEYS_DEMO_URL"));
  self->demo_token = read_demo_token ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), reminder_actions,
                                   G_N_ELEMENTS (reminder_actions), app);

  /* The reminders follow the active account while the app runs, window or not. */
  self->settings = g_settings_new (BASE_ID);
  self->reminders = exk_expiry_reminders_new (self->settings);
  self->due = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect_object (self->reminders, "reminder-due", G_CALLBACK (on_reminder_due), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reminders, "refreshed", G_CALLBACK (on_reminders_refreshed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::client",
                           G_CALLBACK (on_manager_client_changed), self, G_CONNECT_SWAPPED);
  on_manager_client_changed (self);

  {
    g_autoptr(GAction) background = g_settings_create_action (self->settings,
                                                              "run-in-background");

    g_action_map_add_action (G_ACTION_MAP (app), background);
  }
  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (exk_application_update_background), self,
                           G_CONNECT_SWAPPED);
  exk_application_update_background (self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);
}

static void
exk_application_shutdown (GApplication *app)
{
  ExkApplication *self = EXK_APPLICATION (app);

  g_cancellable_cancel (self->portal_cancellable);
  if (self->reminders != NULL)
    exk_expiry_reminders_set_client (self->reminders, NULL, NULL);

  G_APPLICATION_CLASS (exk_application_parent_class)->shutdown (app);
}

static void
exk_application_finalize (GObject *object)
{
  ExkApplication *self = EXK_APPLICATION (object);

  g_clear_object (&self->reminders);
  g_clear_pointer (&self->due, g_ptr_array_unref);
  g_clear_object (&self->settings);
  g_clear_object (&self->portal_cancellable);

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
  app_class->shutdown = exk_application_shutdown;
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

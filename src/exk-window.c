// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-expiry-dialog.h"
#include "exk-find-key-dialog.h"
#include "exk-history-page.h"
#include "exk-key-list.h"
#include "exk-leak-dialog.h"
#include "exk-new-project-dialog.h"
#include "exk-organization-keys-page.h"
#include "exk-project-page.h"
#include "exk-project-sidebar.h"
#include "exk-reauth-dialog.h"
#include "exk-secret-text.h"
#include "exk-sign-in-page.h"
#include "exk-window.h"

/* What the right-hand side shows. */
typedef enum
{
  CONTENT_PROJECT,          /* the selected project, or the empty page */
  CONTENT_HISTORY,
  CONTENT_ORGANIZATION_KEYS,
} ContentView;

struct _ExkWindow
{
  AdwApplicationWindow parent_instance;

  ExkAccountManager   *manager;
  GSettings           *settings;
  GCancellable        *cancellable;
  GtkWindow           *reauth_dialog;
  GtkWindow           *find_key_dialog;
  /* What exk_window_open_project() waits to show: for an account switch, or
   * for signing in (then for the account @open_account_key, NULL: any). */
  ExkProject          *open_key_project;
  char                *open_key_id;
  char                *open_account_key;
  gboolean             open_key_replace;  /* then “Replace Key…” for it */
  gboolean             replace_next;
  ExkExpiryReminders  *reminders;
  GtkWindow           *expiry_dialog;
  char                *dismissed_problem;
  char                *account_key;

  AdwToastOverlay     *toast_overlay;
  GtkRevealer         *banner_revealer;
  GtkLabel            *banner_label;
  GtkRevealer         *reminder_revealer;
  GtkLabel            *reminder_label;
  GtkStack            *main_stack;
  GtkSpinner          *loading_spinner;
  GtkLabel            *loading_label;
  char                *signing_out;     /* the account being signed out, for the toast */
  ExkSignInPage       *sign_in_page;
  AdwLeaflet          *leaflet;
  GtkWidget           *sidebar;
  GtkWidget           *content;
  GtkWidget           *content_header;
  GtkWidget           *back_button;
  GtkMenuButton       *account_button;
  AdwAvatar           *account_avatar;
  GMenu               *account_list_section;
  ExkProjectSidebar   *project_sidebar;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget           *new_key_button;
  GtkStack            *content_stack;
  AdwStatusPage       *empty_page;
  ExkProjectPage      *project_page;
  ExkHistoryPage      *history_page;
  ExkOrganizationKeysPage *organization_keys_page;
  AdwViewSwitcherBar  *switcher_bar;
  ContentView          content_view;
};

G_DEFINE_FINAL_TYPE (ExkWindow, exk_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  PROP_ACCOUNT_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_window_save_state (ExkWindow *self)
{
  int width, height;

  /* The default size is the unmaximized size even while maximized. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static void
exk_window_restore_state (ExkWindow *self)
{
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
exk_window_show_page (ExkWindow  *self,
                      const char *name)
{
  gtk_spinner_set_spinning (self->loading_spinner, g_str_equal (name, "loading"));
  gtk_stack_set_visible_child_name (self->main_stack, name);
}

static void
exk_window_show_loading (ExkWindow  *self,
                         const char *what)
{
  gtk_label_set_text (self->loading_label, what);
  exk_window_show_page (self, "loading");
}

static void
exk_window_show_sign_in (ExkWindow  *self,
                         const char *reason)
{
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);

  exk_sign_in_page_reset (self->sign_in_page);
  if (account != NULL)
    exk_sign_in_page_prefill (self->sign_in_page, exk_account_get_server (account),
                              exk_account_get_email (account), reason);
  exk_sign_in_page_set_can_cancel (self->sign_in_page, FALSE);
  exk_window_show_page (self, "sign-in");
  exk_sign_in_page_focus (self->sign_in_page);
}

static void
exk_window_show_main (ExkWindow *self)
{
  exk_window_show_page (self, "main");
}

static void
exk_window_update_banner (ExkWindow *self)
{
  const char *problem = exk_account_manager_get_keyring_problem (self->manager);
  gboolean show = problem != NULL && g_strcmp0 (problem, self->dismissed_problem) != 0;

  if (problem != NULL)
    gtk_label_set_text (self->banner_label, problem);
  gtk_revealer_set_reveal_child (self->banner_revealer, show);
}

/* The expiry reminders' banner, while an account is shown. */
static void
exk_window_update_reminder_banner (ExkWindow *self)
{
  g_autofree char *text = NULL;
  gboolean main_shown;

  main_shown = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0;
  if (self->reminders != NULL && exk_expiry_reminders_get_client (self->reminders) != NULL)
    text = exk_expiry_reminders_dup_banner_text (self->reminders);

  if (text != NULL)
    gtk_label_set_text (self->reminder_label, text);
  gtk_revealer_set_reveal_child (self->reminder_revealer, text != NULL && main_shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.review-expiring",
                                 self->reminders != NULL);
}

static void
exk_window_update_account_menu (ExkWindow *self)
{
  GListModel *accounts = exk_account_manager_get_accounts (self->manager);
  ExkAccount *active = exk_account_manager_get_active_account (self->manager);
  guint n = g_list_model_get_n_items (accounts);
  gboolean has_client = exk_account_manager_get_client (self->manager) != NULL;

  g_menu_remove_all (self->account_list_section);

  /* The accounts as radio items: who is signed in, and where to switch to. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *label = NULL;
      g_autofree char *key = exk_account_dup_key (account);
      g_autoptr(GMenuItem) item = NULL;

      /* Two accounts may share a name and a host: the email and the port tell them apart. */
      if (exk_account_get_plain_http (account))
        /* Translators: an account in the account menu: "Name, email on host:port", reached
         * without encryption (plain HTTP). */
        label = g_strdup_printf (_("%s, %s on %s (not encrypted)"),
                                 exk_account_get_display_name (account),
                                 exk_account_get_email (account),
                                 exk_account_get_server_authority (account));
      else
        /* Translators: an account in the account menu: "Name, email on host:port". */
        label = g_strdup_printf (_("%s, %s on %s"), exk_account_get_display_name (account),
                                 exk_account_get_email (account),
                                 exk_account_get_server_authority (account));
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "win.account-key", "s", key);
      g_menu_append_item (self->account_list_section, item);
    }

  if (active != NULL)
    {
      g_autofree char *tooltip = NULL;
      g_autofree char *key = exk_account_dup_key (active);

      adw_avatar_set_text (self->account_avatar, exk_account_get_display_name (active));
      if (exk_account_get_plain_http (active))
        /* Translators: a person's name, an email, a host with its port; plain HTTP. */
        tooltip = g_strdup_printf (_("Signed in as %s (%s) on %s, not encrypted"),
                                   exk_account_get_display_name (active),
                                   exk_account_get_email (active),
                                   exk_account_get_server_authority (active));
      else
        /* Translators: a person's name, an email, a host with its port. */
        tooltip = g_strdup_printf (_("Signed in as %s (%s) on %s"),
                                   exk_account_get_display_name (active),
                                   exk_account_get_email (active),
                                   exk_account_get_server_authority (active));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), tooltip);
      /* Reflect the active account in the menu's radio items, without switching. */
      if (g_strcmp0 (self->account_key, key) != 0)
        {
          g_free (self->account_key);
          self->account_key = g_steal_pointer (&key);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT_KEY]);
        }
    }
  else
    {
      adw_avatar_set_text (self->account_avatar, NULL);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->account_button), _("Accounts"));
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", active != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out-everywhere",
                                 active != NULL && has_client);
}

static void
exk_window_update_content_title (ExkWindow *self)
{
  ExkProject *project = exk_project_page_get_project (self->project_page);
  ExkAccount *active = exk_account_manager_get_active_account (self->manager);
  gboolean shown = self->content_view == CONTENT_PROJECT && project != NULL;
  const char *page;

  if (self->content_view == CONTENT_ORGANIZATION_KEYS)
    {
      ExkOrganizationKeysPage *keys_page = self->organization_keys_page;
      const char *organization = exk_organization_keys_page_get_organization_name (keys_page);

      adw_view_switcher_title_set_title (self->switcher_title, _("All Keys"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, organization);
      page = "organization-keys";
    }
  else if (shown)
    {
      adw_view_switcher_title_set_title (self->switcher_title, exk_project_get_name (project));
      adw_view_switcher_title_set_subtitle (self->switcher_title,
                                            exk_project_get_organization_name (project));
      page = "project";
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title,
                                         self->content_view == CONTENT_HISTORY ? _("History")
                                                                               : _("Exkeys"));
      adw_view_switcher_title_set_subtitle (self->switcher_title,
                                            active != NULL ? exk_account_get_server_host (active)
                                                           : NULL);
      page = self->content_view == CONTENT_HISTORY ? "history" : "empty";
    }

  adw_view_switcher_title_set_stack (self->switcher_title,
                                     shown ? exk_project_page_get_view_stack (self->project_page)
                                           : NULL);
  adw_view_switcher_bar_set_stack (self->switcher_bar,
                                   shown ? exk_project_page_get_view_stack (self->project_page)
                                         : NULL);
  gtk_widget_set_visible (self->new_key_button, shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-key", shown);
  gtk_stack_set_visible_child_name (self->content_stack, page);
}

static void
exk_window_set_content_view (ExkWindow   *self,
                             ContentView  view)
{
  self->content_view = view;
  exk_history_page_set_history (self->history_page,
                                view == CONTENT_HISTORY
                                ? exk_account_manager_get_history (self->manager, NULL) : NULL);
  exk_window_update_content_title (self);
}

static void
on_organization_keys_changed (ExkWindow *self)
{
  if (self->content_view == CONTENT_ORGANIZATION_KEYS)
    exk_window_update_content_title (self);
}

/* Shows @project's keys, for the active account. Selecting the project shown
 * (the sidebar does after a refresh) keeps its key list and what it shows. */
static void
exk_window_show_project (ExkWindow  *self,
                         ExkProject *project)
{
  ExkClient *client = exk_account_manager_get_client (self->manager);
  ExkKeyList *shown = exk_project_page_get_key_list (self->project_page);
  AdwViewStack *views = exk_project_page_get_view_stack (self->project_page);
  g_autoptr(ExkKeyList) key_list = NULL;
  g_autofree char *keep_view = NULL;

  if (project != NULL && client != NULL && shown != NULL
      && exk_key_list_get_client (shown) == client
      && g_strcmp0 (exk_project_get_id (exk_key_list_get_project (shown)),
                    exk_project_get_id (project)) == 0)
    {
      if (g_strcmp0 (exk_project_get_name (exk_key_list_get_project (shown)),
                     exk_project_get_name (project)) == 0)
        {
          exk_window_update_content_title (self);
          return;
        }

      /* Renamed: shown under its new name, in the view it was in. */
      keep_view = g_strdup (adw_view_stack_get_visible_child_name (views));
    }

  if (project != NULL && client != NULL)
    {
      ExkAccount *account = exk_account_manager_get_active_account (self->manager);

      key_list = exk_key_list_new (client, project,
                                   account != NULL ? exk_account_get_user_id (account) : NULL,
                                   exk_account_manager_get_rotations (self->manager));
      exk_key_list_set_history (key_list, exk_account_manager_get_history (self->manager, NULL));
    }

  exk_project_page_set_key_list (self->project_page, key_list);
  if (keep_view != NULL)
    adw_view_stack_set_visible_child_name (views, keep_view);
  exk_window_update_content_title (self);

  /* Nothing to show on the right: a narrow window shows the projects. */
  if (project == NULL)
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
}

/* What the right-hand side says while no project is open follows the
 * sidebar: there is nothing to choose while projects load or failed to. */
static void
exk_window_update_empty_page (ExkWindow *self)
{
  gboolean failed, loading;

  g_object_get (self->project_sidebar, "failed", &failed, "loading", &loading, NULL);

  if (failed)
    {
      adw_status_page_set_title (self->empty_page, _("Projects Could Not Be Loaded"));
      adw_status_page_set_description (self->empty_page,
                                       _("The list of projects says why, and can try again."));
    }
  else if (loading)
    {
      adw_status_page_set_title (self->empty_page, _("Loading Projects…"));
      adw_status_page_set_description (self->empty_page, NULL);
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Project Selected"));
      adw_status_page_set_description (self->empty_page,
                                       _("Choose a project in the sidebar to manage its API keys"));
    }
}

static void
on_manager_active_account_changed (ExkWindow *self)
{
  exk_window_update_account_menu (self);
  /* The History page follows the account: it shows its changes. */
  exk_window_set_content_view (self, self->content_view);
}

static void exk_window_show_open_key (ExkWindow    *self);
static void on_open_key_switched     (GObject      *source,
                                      GAsyncResult *result,
                                      gpointer      user_data);

/* Signed in while exk_window_open_project() waited: its project now, after
 * switching to its account if another one came in. */
static void
exk_window_open_waiting_project (ExkWindow *self)
{
  GListModel *accounts = exk_account_manager_get_accounts (self->manager);
  ExkAccount *active = exk_account_manager_get_active_account (self->manager);
  g_autofree char *active_key = active != NULL ? exk_account_dup_key (active) : NULL;
  g_autofree char *wanted = g_steal_pointer (&self->open_account_key);
  guint n = g_list_model_get_n_items (accounts);

  if (wanted == NULL || g_strcmp0 (wanted, active_key) == 0)
    {
      exk_window_show_open_key (self);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *key = exk_account_dup_key (account);

      if (g_str_equal (key, wanted))
        {
          exk_account_manager_switch_to_async (self->manager, account, self->cancellable,
                                               on_open_key_switched, self);
          return;
        }
    }

  /* That account is gone (signed out meanwhile): nothing to open. */
  g_clear_object (&self->open_key_project);
  g_clear_pointer (&self->open_key_id, exk_secret_text_free);
}

static void
on_manager_client_changed (ExkWindow *self)
{
  ExkClient *client = exk_account_manager_get_client (self->manager);
  g_autofree char *last_project = exk_account_manager_dup_last_project (self->manager);

  exk_window_update_account_menu (self);

  /* A new account (or signing out) starts from its own last project. */
  exk_window_show_project (self, NULL);
  exk_project_sidebar_set_cache (self->project_sidebar,
                                 exk_account_manager_get_project_cache (self->manager));
  exk_project_sidebar_set_client (self->project_sidebar, client);
  exk_organization_keys_page_set_client (self->organization_keys_page, client,
                                         exk_account_manager_get_history (self->manager, NULL));
  if (self->content_view == CONTENT_ORGANIZATION_KEYS)
    exk_window_set_content_view (self, CONTENT_PROJECT);
  if (client != NULL && self->open_key_project != NULL)
    exk_window_open_waiting_project (self);
  else if (client != NULL)
    exk_project_sidebar_select_project_id (self->project_sidebar, last_project);

  /* Losing the client (signed out) brings the sign-in page; gaining one is
   * handled where it was asked for, so that the page does not flip early. */
  if (exk_account_manager_get_client (self->manager) == NULL
      && g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0)
    exk_window_show_sign_in (self, NULL);
}

static void
on_manager_keyring_problem_changed (ExkWindow *self)
{
  exk_window_update_banner (self);
}

static void
on_accounts_changed (ExkWindow *self)
{
  exk_window_update_account_menu (self);
}

static void
on_banner_dismissed (ExkWindow *self)
{
  g_free (self->dismissed_problem);
  self->dismissed_problem = g_strdup (exk_account_manager_get_keyring_problem (self->manager));
  exk_window_update_banner (self);
}

/* Signed in: the window itself shows it, with the account's projects; a
 * greeting toast would only hold back the toasts that report on changes. */
static void
on_signed_in (ExkWindow *self,
              ExkUser   *user)
{
  exk_window_show_main (self);
}

static void
on_sign_in_cancelled (ExkWindow *self)
{
  if (exk_account_manager_get_client (self->manager) != NULL)
    {
      on_manager_client_changed (self);
      exk_window_show_main (self);
    }
}

static void
on_selected_project_changed (ExkWindow *self)
{
  ExkProject *project = exk_project_sidebar_get_selected_project (self->project_sidebar);

  /* Choosing a project leaves the other pages; a search that hides it does not. */
  if (project != NULL && self->content_view != CONTENT_PROJECT)
    exk_window_set_content_view (self, CONTENT_PROJECT);
  exk_window_show_project (self, project);
  if (project != NULL)
    exk_account_manager_set_last_project (self->manager, exk_project_get_id (project));
}

static void
on_project_activated (ExkWindow  *self,
                      ExkProject *project)
{
  /* Choosing the project already selected leaves the other pages too. */
  if (self->content_view != CONTENT_PROJECT)
    exk_window_set_content_view (self, CONTENT_PROJECT);

  /* On a narrow window, choosing a project opens its page. */
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

/* Asks the server again for the projects and the open project's keys and overview. */
static void
exk_window_reload (ExkWindow *self)
{
  exk_project_sidebar_refresh (self->project_sidebar);
  exk_project_page_refresh (self->project_page);
  if (self->reminders != NULL)
    exk_expiry_reminders_refresh (self->reminders);
  if (self->content_view == CONTENT_ORGANIZATION_KEYS)
    gtk_widget_activate_action (GTK_WIDGET (self->organization_keys_page), "orgkeys.reload",
                                NULL);
}

static void
exk_window_show_toast (ExkWindow  *self,
                       const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Asks for the active account's password again, on top of everything, so
 * that the selected project and any open dialog keep what was typed. */
static void
exk_window_present_reauth (ExkWindow *self)
{
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);

  if (account == NULL)
    return;

  if (self->reauth_dialog != NULL)
    {
      gtk_window_present (self->reauth_dialog);
      return;
    }

  self->reauth_dialog = GTK_WINDOW (exk_reauth_dialog_new (GTK_WINDOW (self), self->manager,
                                                           account));
  g_object_add_weak_pointer (G_OBJECT (self->reauth_dialog), (gpointer *) &self->reauth_dialog);
  g_signal_connect_object (self->reauth_dialog, "signed-in",
                           G_CALLBACK (exk_window_reload), self, G_CONNECT_SWAPPED);
  gtk_window_present (self->reauth_dialog);
}

/* The one place that learns that the server no longer accepts the sign-in. */
static void
on_manager_session_expired (ExkWindow *self)
{
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);

  if (account == NULL)
    return;

  /* A stored sign-in that the server no longer accepts, with nothing on
   * screen to keep: back to the sign-in page, saying why. */
  if (exk_project_page_get_project (self->project_page) == NULL && self->reauth_dialog == NULL)
    {
      g_autofree char *reason = NULL;

      /* Translators: %s is a server's host name, with its port when it has one. */
      reason = g_strdup_printf (_("%s no longer accepts the token of this account: tokens end "
                                  "after three months, or when someone signs out everywhere. "
                                  "Sign in again."),
                                exk_account_get_server_authority (account));
      exk_window_show_sign_in (self, reason);
      return;
    }

  exk_window_present_reauth (self);
}

static void
exk_window_sign_in_again (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  exk_window_present_reauth (EXK_WINDOW (widget));
}

static void
exk_window_refresh (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  exk_window_reload (EXK_WINDOW (widget));
}

static void
exk_window_search (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  g_object_set (self->project_sidebar, "search-mode", TRUE, NULL);
}

static void
exk_window_show_history (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);

  exk_window_set_content_view (self, CONTENT_HISTORY);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
exk_window_new_key (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);

  if (exk_project_page_get_project (self->project_page) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self->project_page), "keys.new", NULL);
}

static void
on_new_project_created (ExkWindow  *self,
                        ExkProject *project)
{
  /* The list learns of it from the server, in place, and opens it. */
  exk_project_sidebar_reload (self->project_sidebar, exk_project_get_id (project));
}

static void
on_new_project_key (ExkWindow           *self,
                    GParamSpec          *pspec,
                    ExkNewProjectDialog *dialog)
{
  ExkProject *shown = exk_project_page_get_project (self->project_page);
  ExkProject *created = exk_new_project_dialog_get_project (dialog);

  /* The project's page may have listed its keys before the first one was made. */
  if (shown != NULL && created != NULL
      && g_strcmp0 (exk_project_get_id (shown), exk_project_get_id (created)) == 0)
    exk_project_page_refresh (self->project_page);
}

/* A project was renamed or deleted here: the list follows the server, in
 * place, selecting @parameter's project ("" keeps the selection if it stays). */
static void
exk_window_reload_projects (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  exk_project_sidebar_reload (self->project_sidebar, id[0] != '\0' ? id : NULL);
}

/* A new project, in the organization the sidebar shows (else the first). */
static void
exk_window_new_project (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);
  ExkClient *client = exk_account_manager_get_client (self->manager);
  ExkNewProjectDialog *dialog;

  if (client == NULL)
    return;

  dialog = exk_new_project_dialog_new (GTK_WINDOW (self), client,
                                       exk_project_sidebar_get_organization_filter (
                                         self->project_sidebar),
                                       exk_account_manager_get_history (self->manager, NULL));
  g_signal_connect_object (dialog, "project-created", G_CALLBACK (on_new_project_created), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "notify::key", G_CALLBACK (on_new_project_key), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Shows every key of an organization: @parameter's, or the one shown last,
 * or the open project's, or the first. */
static void
exk_window_show_organization_keys (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  ExkProject *project = exk_project_page_get_project (self->project_page);

  if (exk_account_manager_get_client (self->manager) == NULL)
    return;

  if (id[0] == '\0' && project != NULL
      && exk_organization_keys_page_get_organization_id (self->organization_keys_page) == NULL)
    id = exk_project_get_organization_id (project);

  exk_organization_keys_page_show_organization (self->organization_keys_page, id);
  exk_window_set_content_view (self, CONTENT_ORGANIZATION_KEYS);
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  exk_organization_keys_page_focus_search (self->organization_keys_page);
}

static void
on_back_clicked (GtkButton *button,
                 ExkWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_restore_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ExkWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean restored;

  restored = exk_account_manager_restore_finish (EXK_ACCOUNT_MANAGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_WINDOW (user_data);

  if (restored)
    {
      exk_window_show_main (self);
    }
  else if (exk_account_manager_get_active_account (self->manager) != NULL)
    {
      ExkAccount *account = exk_account_manager_get_active_account (self->manager);
      g_autofree char *reason = NULL;

      if (exk_account_manager_get_keyring_problem (self->manager) != NULL)
        reason = g_strdup (_("The system keyring could not be read, so sign in again."));
      else
        /* Translators: %s is a server's host name, with its port when it has one. */
        reason = g_strdup_printf (_("The token for %s is no longer in the keyring. Sign in "
                                    "again."),
                                  exk_account_get_server_authority (account));
      exk_window_show_sign_in (self, reason);
    }
  else
    {
      exk_window_show_sign_in (self, error != NULL ? error->message : NULL);
    }
}

static void
on_token_sign_in_finished (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  ExkWindow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkUser) user = NULL;

  user = exk_account_manager_sign_in_finish (EXK_ACCOUNT_MANAGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_WINDOW (user_data);

  if (user == NULL)
    exk_window_show_sign_in (self, error->message);
  else
    on_signed_in (self, user);
}

/* Says how a switch of account ended; whether the account is now in. */
static gboolean
exk_window_end_switch (ExkWindow    *self,
                       gboolean      switched,
                       const GError *error)
{
  if (error != NULL)
    {
      exk_window_update_account_menu (self);
      exk_window_show_toast (self, error->message);
      return FALSE;
    }

  if (!switched)
    {
      exk_window_show_sign_in (self, _("This account’s token is not in the keyring. Sign in "
                                       "again."));
      return FALSE;
    }

  exk_window_show_main (self);
  return TRUE;
}

static void
on_switch_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean switched;

  switched = exk_account_manager_switch_to_finish (EXK_ACCOUNT_MANAGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  exk_window_end_switch (EXK_WINDOW (user_data), switched, error);
}

static void
on_sign_out_finished (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ExkWindow *self;
  g_autoptr(GError) error = NULL;

  if (exk_account_manager_sign_out_finish (EXK_ACCOUNT_MANAGER (source), result, &error))
    {
      g_autoptr(AdwToast) toast = NULL;

      self = EXK_WINDOW (user_data);
      /* Translators: %s is an email, then a host with its port ("ana@example.com on host"). */
      toast = adw_toast_new_format (_("Signed out of %s"),
                                    self->signing_out != NULL ? self->signing_out : "");
      adw_toast_overlay_add_toast (self->toast_overlay, g_steal_pointer (&toast));
      if (exk_account_manager_get_client (self->manager) != NULL)
        exk_window_show_main (self);
      else
        exk_window_show_sign_in (self, NULL);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_WINDOW (user_data);
  exk_window_show_toast (self, error->message);
}

static void
exk_window_switch_account (ExkWindow  *self,
                           const char *key)
{
  GListModel *accounts = exk_account_manager_get_accounts (self->manager);
  guint n = g_list_model_get_n_items (accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *account_key = exk_account_dup_key (account);

      if (g_str_equal (account_key, key))
        {
          exk_account_manager_switch_to_async (self->manager, account, self->cancellable,
                                               on_switch_finished, self);
          return;
        }
    }
}

static void
exk_window_add_account (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);

  exk_sign_in_page_reset (self->sign_in_page);
  exk_sign_in_page_set_can_cancel (self->sign_in_page,
                                   exk_account_manager_get_client (self->manager) != NULL);
  exk_window_show_page (self, "sign-in");
  exk_sign_in_page_focus (self->sign_in_page);
}

static void
exk_window_start_sign_out (ExkWindow *self,
                           gboolean   everywhere)
{
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);

  if (account == NULL)
    return;

  g_free (self->signing_out);
  /* Translators: an email, then a host with its port. */
  self->signing_out = g_strdup_printf (_("%s on %s"), exk_account_get_email (account),
                                       exk_account_get_server_authority (account));
  exk_account_manager_sign_out_async (self->manager, account, everywhere, self->cancellable,
                                      on_sign_out_finished, self);
}

static void
on_sign_out_response (AdwMessageDialog *dialog,
                      const char       *response,
                      ExkWindow        *self)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    exk_window_start_sign_out (self, FALSE);
}

static void
exk_window_sign_out (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);
  AdwMessageDialog *dialog;

  if (account == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  /* Translators: %s is an email address. */
  adw_message_dialog_format_heading (dialog, _("Sign Out of %s?"), exk_account_get_email (account));
  if (exk_account_manager_is_remembered (self->manager, account))
    /* Translators: %s is a host name with its port. */
    adw_message_dialog_format_body (dialog,
                                    _("Exkeys forgets this account and removes its token from "
                                      "the keyring. Other apps and scripts signed in to %s stay "
                                      "signed in."),
                                    exk_account_get_server_authority (account));
  else
    /* Translators: %s is a host name with its port. The account was never saved (the demo). */
    adw_message_dialog_format_body (dialog,
                                    _("Exkeys forgets this account, which it kept for this "
                                      "session only. Other apps and scripts signed in to %s stay "
                                      "signed in."),
                                    exk_account_get_server_authority (account));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_sign_out_everywhere_response (AdwMessageDialog *dialog,
                                 const char       *response,
                                 ExkWindow        *self)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    exk_window_start_sign_out (self, TRUE);
}

static void
exk_window_sign_out_everywhere (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);
  ExkAccount *account = exk_account_manager_get_active_account (self->manager);
  AdwMessageDialog *dialog;

  if (account == NULL)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Sign Out Everywhere?"), NULL));
  /* Translators: %s is a host name with its port. */
  adw_message_dialog_format_body (dialog,
                                  _("Exceptionless gives all of a person’s sign-ins the same "
                                    "token. Signing out everywhere ends that token on %s: every "
                                    "app, script and browser session that uses it is signed out "
                                    "too."),
                                  exk_account_get_server_authority (account));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out Everywhere"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_everywhere_response),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Find Key */

static void
on_find_key_open_project (ExkWindow  *self,
                          ExkAccount *account,
                          ExkProject *project,
                          const char *key_id)
{
  exk_window_open_project (self, account, project, key_id);
}

/* Replace as Leaked from a Find Key result: through the key list when the
 * key's project is the one shown, so that it follows each step. */
static void
on_find_key_replace_leaked (ExkWindow        *self,
                            ExkClient        *client,
                            ExkToken         *token,
                            ExkFindKeyDialog *find_dialog)
{
  ExkKeyFinder *finder = exk_find_key_dialog_get_finder (find_dialog);
  ExkAccount *account = exk_key_finder_get_account (finder);
  gboolean active = account == exk_account_manager_get_active_account (self->manager);
  ExkKeyList *shown = exk_project_page_get_key_list (self->project_page);
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  GtkWidget *dialog;

  replacement = exk_leak_replacement_new (client, token,
                                          active ? exk_account_manager_get_rotations (self->manager)
                                                 : NULL);
  if (active && shown != NULL && exk_key_list_find (shown, exk_token_get_id (token), NULL) != NULL)
    exk_leak_replacement_set_key_list (replacement, shown);
  exk_leak_replacement_set_history (replacement,
                                    exk_account_manager_get_history (self->manager, account),
                                    exk_key_finder_get_project_name (finder));

  dialog = exk_leak_dialog_new (GTK_WINDOW (find_dialog), replacement);
  gtk_window_present (GTK_WINDOW (dialog));
}

static ExkFindKeyDialog *
exk_window_present_find_key (ExkWindow *self)
{
  if (self->find_key_dialog == NULL)
    {
      self->find_key_dialog = GTK_WINDOW (exk_find_key_dialog_new (GTK_WINDOW (self),
                                                                   self->manager));
      g_object_add_weak_pointer (G_OBJECT (self->find_key_dialog),
                                 (gpointer *) &self->find_key_dialog);
      g_signal_connect_object (self->find_key_dialog, "open-project",
                               G_CALLBACK (on_find_key_open_project), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->find_key_dialog, "replace-leaked",
                               G_CALLBACK (on_find_key_replace_leaked), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->find_key_dialog);

  return EXK_FIND_KEY_DIALOG (self->find_key_dialog);
}

static void
exk_window_find_key (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  exk_window_present_find_key (EXK_WINDOW (widget));
}

/* A key pasted into the sidebar's search: looked up at once. */
static void
on_sidebar_find_key (ExkWindow  *self,
                     const char *text)
{
  exk_find_key_dialog_find (exk_window_present_find_key (self), text);
}

static void
exk_window_show_open_key (ExkWindow *self)
{
  g_autoptr(ExkProject) project = g_steal_pointer (&self->open_key_project);
  char *key_id = g_steal_pointer (&self->open_key_id);
  ExkProject *shown = exk_project_page_get_project (self->project_page);

  g_clear_pointer (&self->open_account_key, g_free);
  if (project == NULL)
    {
      exk_secret_text_free (key_id);
      return;
    }

  self->content_view = CONTENT_PROJECT;

  /* The sidebar selects it now, or once its projects are loaded; the page shows it now. */
  exk_project_sidebar_select_project_id (self->project_sidebar, exk_project_get_id (project));
  if (shown == NULL || g_strcmp0 (exk_project_get_id (shown), exk_project_get_id (project)) != 0)
    {
      exk_window_show_project (self, project);
      exk_account_manager_set_last_project (self->manager, exk_project_get_id (project));
    }
  else
    exk_window_update_content_title (self);
  /* A search result, a found key or a reminder is about the keys, not the overview. */
  gtk_widget_activate_action (GTK_WIDGET (self->project_page), "keys.show-keys", NULL);
  if (key_id != NULL && self->open_key_replace)
    exk_project_page_replace_key (self->project_page, key_id);
  else if (key_id != NULL)
    exk_project_page_focus_key (self->project_page, key_id);
  self->open_key_replace = FALSE;
  exk_secret_text_free (key_id);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
on_open_key_switched (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  ExkWindow *self;
  g_autoptr(GError) error = NULL;
  gboolean switched;

  switched = exk_account_manager_switch_to_finish (EXK_ACCOUNT_MANAGER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_WINDOW (user_data);
  if (exk_window_end_switch (self, switched, error))
    {
      exk_window_show_open_key (self);
      return;
    }

  g_clear_object (&self->open_key_project);
  g_clear_pointer (&self->open_key_id, exk_secret_text_free);
  g_clear_pointer (&self->open_account_key, g_free);
}

/* Expiry reminders */

static void
on_expiry_dialog_open_key (ExkWindow         *self,
                           ExkExpiryReminder *reminder,
                           ExkExpiryDialog   *dialog)
{
  exk_window_open_project (self, NULL, exk_expiry_reminder_get_project (reminder),
                           exk_token_get_id (exk_expiry_reminder_get_token (reminder)));
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
exk_window_review_expiring (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ExkWindow *self = EXK_WINDOW (widget);

  if (self->reminders == NULL)
    return;

  if (self->expiry_dialog == NULL)
    {
      self->expiry_dialog = GTK_WINDOW (exk_expiry_dialog_new (GTK_WINDOW (self),
                                                               self->reminders));
      g_object_add_weak_pointer (G_OBJECT (self->expiry_dialog),
                                 (gpointer *) &self->expiry_dialog);
      g_signal_connect_object (self->expiry_dialog, "open-key",
                               G_CALLBACK (on_expiry_dialog_open_key), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (self->expiry_dialog);
}

/* What the project's page knows of its keys now goes into the reminders:
 * a key disabled or replaced there leaves the banner at once. */
static void
on_project_page_keys_changed (ExkWindow *self)
{
  ExkKeyList *key_list = exk_project_page_get_key_list (self->project_page);

  if (self->reminders == NULL || key_list == NULL || !exk_key_list_get_loaded (key_list)
      || exk_key_list_get_loading (key_list) || exk_key_list_get_error (key_list) != NULL
      || exk_key_list_get_client (key_list) != exk_expiry_reminders_get_client (self->reminders))
    return;

  exk_expiry_reminders_sync_project (self->reminders, exk_key_list_get_project (key_list),
                                     G_LIST_MODEL (key_list));
}

/* Said where it is set (the main menu): what the setting does. */
static void
on_run_in_background_changed (ExkWindow *self)
{
  if (g_settings_get_boolean (self->settings, "run-in-background"))
    exk_window_show_toast (self, _("Exkeys keeps running when its window is closed, to remind "
                                   "you of expiring keys"));
  else
    exk_window_show_toast (self, _("Exkeys quits when its window is closed"));
}

static gboolean
exk_window_close_request (GtkWindow *window)
{
  ExkWindow *self = EXK_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  exk_window_save_state (self);

  return GTK_WINDOW_CLASS (exk_window_parent_class)->close_request (window);
}

static void
exk_window_constructed (GObject *object)
{
  ExkWindow *self = EXK_WINDOW (object);

  G_OBJECT_CLASS (exk_window_parent_class)->constructed (object);

  g_return_if_fail (self->manager != NULL);

  exk_sign_in_page_set_manager (self->sign_in_page, self->manager);

  g_signal_connect_object (self->manager, "notify::active-account",
                           G_CALLBACK (on_manager_active_account_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::client",
                           G_CALLBACK (on_manager_client_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "session-expired",
                           G_CALLBACK (on_manager_session_expired), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::keyring-problem",
                           G_CALLBACK (on_manager_keyring_problem_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (exk_account_manager_get_accounts (self->manager), "items-changed",
                           G_CALLBACK (on_accounts_changed), self, G_CONNECT_SWAPPED);

  exk_window_update_account_menu (self);
  exk_window_update_content_title (self);
  exk_window_update_banner (self);

  if (exk_account_manager_get_client (self->manager) != NULL)
    {
      on_manager_client_changed (self);
      exk_window_show_main (self);
    }
}

static void
exk_window_dispose (GObject *object)
{
  ExkWindow *self = EXK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_WINDOW);

  G_OBJECT_CLASS (exk_window_parent_class)->dispose (object);
}

static void
exk_window_finalize (GObject *object)
{
  ExkWindow *self = EXK_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->manager);
  g_clear_pointer (&self->dismissed_problem, g_free);
  g_clear_pointer (&self->account_key, g_free);
  g_clear_pointer (&self->signing_out, g_free);
  g_clear_object (&self->open_key_project);
  g_clear_pointer (&self->open_key_id, exk_secret_text_free);
  g_clear_pointer (&self->open_account_key, g_free);
  g_clear_object (&self->reminders);

  G_OBJECT_CLASS (exk_window_parent_class)->finalize (object);
}

static void
exk_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ExkWindow *self = EXK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    case PROP_ACCOUNT_KEY:
      /* Never NULL: it is the state of the account menu's radio items. */
      g_value_set_string (value, self->account_key != NULL ? self->account_key : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ExkWindow *self = EXK_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT_KEY:
      /* Set by the account menu's radio items. */
      if (g_strcmp0 (self->account_key, g_value_get_string (value)) != 0
          && g_value_get_string (value) != NULL && g_value_get_string (value)[0] != '\0')
        {
          g_free (self->account_key);
          self->account_key = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
          exk_window_switch_account (self, self->account_key);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_window_class_init (ExkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = exk_window_constructed;
  object_class->dispose = exk_window_dispose;
  object_class->finalize = exk_window_finalize;
  object_class->get_property = exk_window_get_property;
  object_class->set_property = exk_window_set_property;
  window_class->close_request = exk_window_close_request;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, EXK_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNT_KEY] =
    g_param_spec_string ("account-key", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "win.account-key", "account-key");
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL,
                                   exk_window_add_account);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, exk_window_sign_out);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, exk_window_refresh);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, exk_window_search);
  gtk_widget_class_install_action (widget_class, "win.new-key", NULL, exk_window_new_key);
  gtk_widget_class_install_action (widget_class, "win.show-history", NULL,
                                   exk_window_show_history);
  gtk_widget_class_install_action (widget_class, "win.new-project", NULL,
                                   exk_window_new_project);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-project", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload-projects", "s",
                                   exk_window_reload_projects);
  gtk_widget_class_install_action (widget_class, "win.sign-in-again", NULL,
                                   exk_window_sign_in_again);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.new-key", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "win.show-history", NULL);
  gtk_widget_class_install_action (widget_class, "win.sign-out-everywhere", NULL,
                                   exk_window_sign_out_everywhere);
  gtk_widget_class_install_action (widget_class, "win.find-key", NULL, exk_window_find_key);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK,
                                       "win.find-key", NULL);
  gtk_widget_class_install_action (widget_class, "win.review-expiring", NULL,
                                   exk_window_review_expiring);
  gtk_widget_class_install_action (widget_class, "win.show-organization-keys", "s",
                                   exk_window_show_organization_keys);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_K,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.show-organization-keys", "s", "");

  g_type_ensure (EXK_TYPE_SIGN_IN_PAGE);
  g_type_ensure (EXK_TYPE_PROJECT_SIDEBAR);
  g_type_ensure (EXK_TYPE_PROJECT_PAGE);
  g_type_ensure (EXK_TYPE_HISTORY_PAGE);
  g_type_ensure (EXK_TYPE_ORGANIZATION_KEYS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, reminder_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, reminder_label);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, account_avatar);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, account_list_section);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, project_sidebar);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, new_key_button);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, project_page);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, organization_keys_page);
  gtk_widget_class_bind_template_child (widget_class, ExkWindow, switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_banner_dismissed);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_cancelled);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_project_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_project_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_keys_changed);
}

static void
exk_window_init (ExkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_ID);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  exk_window_restore_state (self);
  exk_window_show_page (self, "loading");
  exk_project_sidebar_set_key_capture (self->project_sidebar, GTK_WIDGET (self));
  g_signal_connect_object (self->project_sidebar, "find-key", G_CALLBACK (on_sidebar_find_key),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_sidebar, "notify::failed",
                           G_CALLBACK (exk_window_update_empty_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_sidebar, "notify::loading",
                           G_CALLBACK (exk_window_update_empty_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (exk_window_update_reminder_banner), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_page, "notify::expiring",
                           G_CALLBACK (on_project_page_keys_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project_page, "notify::loading",
                           G_CALLBACK (on_project_page_keys_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (on_run_in_background_changed), self, G_CONNECT_SWAPPED);
  exk_window_update_reminder_banner (self);
}

ExkWindow *
exk_window_new (ExkApplication    *application,
                ExkAccountManager *manager)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (manager), NULL);

  return g_object_new (EXK_TYPE_WINDOW,
                       "application", application,
                       "manager", manager,
                       NULL);
}

/* Signs in to the account of the last run, silently, or shows the sign-in page. */
void
exk_window_restore_session (ExkWindow *self)
{
  g_return_if_fail (EXK_IS_WINDOW (self));

  if (exk_account_manager_get_client (self->manager) != NULL)
    {
      exk_window_show_main (self);
      return;
    }

  exk_account_manager_restore_async (self->manager, self->cancellable, on_restore_finished, self);

  /* The account to restore is known at once: its cached projects show in the
   * first frame while the keyring is asked for its token. */
  if (exk_account_manager_get_project_cache (self->manager) != NULL)
    {
      exk_project_sidebar_set_cache (self->project_sidebar,
                                     exk_account_manager_get_project_cache (self->manager));
      gtk_stack_set_visible_child_full (self->main_stack, "main", GTK_STACK_TRANSITION_TYPE_NONE);
    }
  else if (exk_account_manager_get_active_account (self->manager) != NULL)
    {
      ExkAccount *account = exk_account_manager_get_active_account (self->manager);
      /* Translators: %s is a server's host name, with its port when it has one. */
      g_autofree char *what = g_strdup_printf (_("Signing in to %s…"),
                                               exk_account_get_server_authority (account));

      exk_window_show_loading (self, what);
    }
  else
    {
      exk_window_show_loading (self, NULL);
    }
}

void
exk_window_sign_in_with_token (ExkWindow      *self,
                               const char     *server,
                               const char     *token,
                               ExkSignInFlags  flags)
{
  g_autofree char *authority = NULL;
  g_autofree char *what = NULL;

  g_return_if_fail (EXK_IS_WINDOW (self));

  authority = exk_base_url_dup_authority (server);
  /* Translators: %s is a server's host name, with its port when it has one. */
  what = g_strdup_printf (_("Signing in to %s…"), authority);
  exk_window_show_loading (self, what);
  exk_account_manager_sign_in_async (self->manager, server, NULL, NULL, token, flags,
                                     self->cancellable, on_token_sign_in_finished, self);
}

/**
 * exk_window_open_project:
 * @account: (nullable): the account that can see the project; %NULL for the active one
 * @project: the project
 * @key_id: (nullable): a key to focus in its list
 *
 * Shows @project (with the key's row focused), switching to @account first
 * when it is not the active one. While the window is still signing in, it
 * is shown once that is done. For Find Key and GNOME Shell's search.
 */
void
exk_window_open_project (ExkWindow  *self,
                         ExkAccount *account,
                         ExkProject *project,
                         const char *key_id)
{
  ExkAccount *active;

  g_return_if_fail (EXK_IS_WINDOW (self));
  g_return_if_fail (account == NULL || EXK_IS_ACCOUNT (account));
  g_return_if_fail (EXK_IS_PROJECT (project));

  active = exk_account_manager_get_active_account (self->manager);
  g_set_object (&self->open_key_project, project);
  exk_secret_text_free (self->open_key_id);
  self->open_key_id = g_strdup (key_id);
  g_clear_pointer (&self->open_account_key, g_free);
  /* exk_window_replace_key() asks for it just before. */
  self->open_key_replace = self->replace_next && key_id != NULL;
  self->replace_next = FALSE;

  if (exk_account_manager_get_client (self->manager) == NULL)
    {
      /* Still signing in: on_manager_client_changed() takes it from here. */
      self->open_account_key = account != NULL ? exk_account_dup_key (account) : NULL;
      return;
    }

  if (account == NULL || account == active)
    {
      exk_window_show_open_key (self);
      return;
    }

  exk_account_manager_switch_to_async (self->manager, account, self->cancellable,
                                       on_open_key_switched, self);
}

/**
 * exk_window_search_projects:
 * @text: what to search for
 *
 * Shows the sidebar's search with @text in it ("search in the app" from
 * GNOME Shell).
 */
void
exk_window_search_projects (ExkWindow  *self,
                            const char *text)
{
  g_return_if_fail (EXK_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  exk_project_sidebar_set_search_text (self->project_sidebar, text);
}

/**
 * exk_window_replace_key:
 * @account: (nullable): the account that can see the project; %NULL for the active one
 * @project: the project
 * @key_id: the key to replace
 *
 * Like exk_window_open_project(), then asks to replace the key (its row's
 * “Replace Key…”), once the list has it. For an expiry notification.
 */
void
exk_window_replace_key (ExkWindow  *self,
                        ExkAccount *account,
                        ExkProject *project,
                        const char *key_id)
{
  g_return_if_fail (EXK_IS_WINDOW (self));
  g_return_if_fail (key_id != NULL);

  self->replace_next = TRUE;
  exk_window_open_project (self, account, project, key_id);
}

/**
 * exk_window_set_expiry_reminders:
 * @reminders: (nullable): the application's expiry reminders
 *
 * Shows a banner when keys expire soon, which opens the list of them.
 */
void
exk_window_set_expiry_reminders (ExkWindow          *self,
                                 ExkExpiryReminders *reminders)
{
  g_return_if_fail (EXK_IS_WINDOW (self));
  g_return_if_fail (reminders == NULL || EXK_IS_EXPIRY_REMINDERS (reminders));

  if (self->reminders != NULL)
    g_signal_handlers_disconnect_by_func (self->reminders, exk_window_update_reminder_banner,
                                          self);
  g_set_object (&self->reminders, reminders);
  if (reminders != NULL)
    {
      g_signal_connect_object (reminders, "notify::expiring-soon",
                               G_CALLBACK (exk_window_update_reminder_banner), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (reminders, "notify::expiring-this-week",
                               G_CALLBACK (exk_window_update_reminder_banner), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (reminders, "notify::expired",
                               G_CALLBACK (exk_window_update_reminder_banner), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (reminders, "notify::client",
                               G_CALLBACK (exk_window_update_reminder_banner), self,
                               G_CONNECT_SWAPPED);
    }
  exk_window_update_reminder_banner (self);
}

/* The window's expiry reminders, or NULL. */
ExkExpiryReminders *
exk_window_get_expiry_reminders (ExkWindow *self)
{
  g_return_val_if_fail (EXK_IS_WINDOW (self), NULL);

  return self->reminders;
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-find-key-dialog.h"
#include "exk-format.h"
#include "exk-secret-text.h"

/* "Whose is this key?": a key pasted from a log or a repository, looked up
 * on the servers of the signed-in accounts (ExkKeyFinder does the asking),
 * then shown with what can be done about it at once. The field masks the key
 * unless revealed, and is emptied when the dialog closes; the dialog keeps
 * nothing of the key after that. */
struct _ExkFindKeyDialog
{
  AdwWindow        parent_instance;

  ExkAccountManager *manager;
  ExkKeyFinder    *finder;
  GCancellable    *cancellable;
  gboolean         disabling;       /* what the change on its way does */

  AdwToastOverlay *toast_overlay;
  GtkSpinner      *busy_spinner;
  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  AdwPasswordEntryRow *key_row;
  GtkLabel        *input_error_label;
  GtkWidget       *find_button;
  GtkStack        *state_stack;
  GtkSpinner      *searching_spinner;
  GtkLabel        *asking_label;
  GtkLabel        *not_found_description;
  GtkLabel        *failures_label;
  GtkLabel        *deleted_description;
  AdwPreferencesGroup *found_group;
  AdwActionRow    *organization_row;
  AdwActionRow    *project_row;
  GtkWidget       *project_arrow;
  AdwActionRow    *account_row;
  AdwActionRow    *masked_key_row;
  AdwActionRow    *state_row;
  AdwActionRow    *scopes_row;
  AdwActionRow    *notes_row;
  AdwActionRow    *created_row;
  AdwActionRow    *expires_row;
  GtkWidget       *replace_button;
  GtkWidget       *disable_button;
  GtkWidget       *delete_button;
};

G_DEFINE_FINAL_TYPE (ExkFindKeyDialog, exk_find_key_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REPLACE_LEAKED,
  OPEN_PROJECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum
{
  CHANGE_DISABLE,
  CHANGE_ENABLE,
  CHANGE_DELETE,
} ChangeKind;

/* GTK 4.8 names a button after its label twice, once with the mnemonic
 * underscore ("_Find Find"): only the label it is labelled by is kept. */
static void
drop_accessible_label (GtkWidget *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  adw_action_row_set_subtitle (row, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

/* What the user sees of a scope, as the key list names it. */
static const char *
scope_name (const char *scope)
{
  if (g_str_equal (scope, "client"))
    return _("Client");
  if (g_str_equal (scope, "source-maps:write") || g_str_equal (scope, "source-maps"))
    return _("Source maps");
  if (g_str_equal (scope, "user"))
    return _("User");
  return scope;
}

static char *
format_scopes (ExkToken *token)
{
  const char * const *scopes = exk_token_get_scopes (token);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    g_strv_builder_add (builder, scope_name (scopes[i]));
  /* A key without scopes is a client key to the server. */
  if (scopes == NULL || scopes[0] == NULL)
    g_strv_builder_add (builder, scope_name ("client"));
  names = g_strv_builder_end (builder);

  /* Translators: the separator between the scopes of a key: “Client, User”. */
  return g_strjoinv (_(", "), names);
}

static char *
format_state (ExkToken *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean disabled = exk_token_get_is_disabled (token);
  gboolean expired = exk_token_is_expired (token, now);

  if (disabled && expired)
    return g_strdup (_("Disabled and expired: the server refuses it"));
  if (disabled)
    return g_strdup (_("Disabled: the server refuses it until it is enabled"));
  if (expired)
    return g_strdup (_("Expired: the server refuses it"));
  if (exk_token_get_is_suspended (token))
    return g_strdup (_("Suspended with its organization: the server refuses it"));
  return g_strdup (_("Active: the server accepts it"));
}

/* View */

static void
exk_find_key_dialog_update_actions (ExkFindKeyDialog *self)
{
  ExkToken *token = exk_key_finder_get_token (self->finder);
  gboolean searching = exk_key_finder_get_searching (self->finder);
  gboolean busy = exk_key_finder_get_busy (self->finder);
  gboolean can_change = token != NULL && !busy && !exk_key_finder_get_deleted (self->finder);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.find",
                                 !searching && text[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.stop", searching);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.toggle-disabled", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.delete", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.replace-leaked", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "find-key.open-project",
                                 token != NULL && exk_key_finder_get_project (self->finder) != NULL
                                 && !exk_key_finder_get_deleted (self->finder));

  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), busy);
  gtk_spinner_set_spinning (self->busy_spinner, busy);
}

static void
exk_find_key_dialog_show_token (ExkFindKeyDialog *self)
{
  ExkToken *token = exk_key_finder_get_token (self->finder);
  ExkAccount *account = exk_key_finder_get_account (self->finder);
  ExkProject *project = exk_key_finder_get_project (self->finder);
  const char *organization = exk_key_finder_get_organization_name (self->finder);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *masked = NULL;
  g_autofree char *known_to = NULL;
  g_autofree char *scopes = NULL;
  g_autofree char *state = NULL;
  g_autofree char *created = NULL;
  g_autofree char *expires = NULL;
  const char *notes;

  if (token == NULL)
    return;

  set_subtitle (self->organization_row,
                organization != NULL ? organization : _("Unknown: the server did not say"));

  if (project != NULL)
    set_subtitle (self->project_row, exk_project_get_name (project));
  else if (exk_token_get_project_id (token) == NULL)
    set_subtitle (self->project_row, _("All projects: an organization-wide key"));
  else
    set_subtitle (self->project_row, _("Unknown: the server did not say"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->project_row), project != NULL);
  gtk_widget_set_visible (self->project_arrow, project != NULL);

  /* Translators: an account: an email, then a host with its port. */
  known_to = g_strdup_printf (_("%s on %s"), exk_account_get_email (account),
                              exk_account_get_server_authority (account));
  set_subtitle (self->account_row, known_to);

  masked = exk_format_masked_key (exk_token_get_id (token));
  set_subtitle (self->masked_key_row, masked);

  state = format_state (token);
  set_subtitle (self->state_row, state);

  scopes = format_scopes (token);
  set_subtitle (self->scopes_row, scopes);

  notes = exk_token_get_notes (token);
  set_subtitle (self->notes_row, notes != NULL && notes[0] != '\0' ? notes : _("None"));

  created = exk_token_get_created (token) != NULL
            ? exk_format_full_date (exk_token_get_created (token)) : NULL;
  set_subtitle (self->created_row, created != NULL ? created : _("Unknown"));

  expires = exk_token_get_expires (token) != NULL
            ? exk_format_expiry (exk_token_get_expires (token), now) : NULL;
  set_subtitle (self->expires_row, expires != NULL ? expires : _("Never"));

  gtk_button_set_label (GTK_BUTTON (self->disable_button),
                        exk_token_get_is_disabled (token) ? _("_Enable") : _("_Disable"));
  drop_accessible_label (self->disable_button);
}

static void
exk_find_key_dialog_show_failures (ExkFindKeyDialog *self)
{
  guint n = exk_key_finder_get_n_failures (self->finder);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      ExkAccount *account = NULL;
      const GError *error = exk_key_finder_get_failure (self->finder, i, &account);
      g_autofree char *reason = exk_format_error_reason (error);

      if (text->len > 0)
        g_string_append_c (text, '\n');
      /* Translators: an account that could not be asked whether it knows a key: an
       * email, a host with its port, and why, e.g. “the server could not be reached”. */
      g_string_append_printf (text, _("%s on %s could not be asked: %s."),
                              exk_account_get_email (account),
                              exk_account_get_server_authority (account), reason);
    }

  gtk_label_set_text (self->failures_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->failures_label), n > 0);

  if (n > 0)
    gtk_label_set_text (
      self->not_found_description,
      g_dngettext (GETTEXT_PACKAGE,
                   "No account that could be asked can see this key. It may belong to another "
                   "organization, it may have been deleted, or it may not be a key at all. "
                   "One account could not be asked:",
                   "No account that could be asked can see this key. It may belong to another "
                   "organization, it may have been deleted, or it may not be a key at all. "
                   "Some accounts could not be asked:",
                   n));
  else
    gtk_label_set_text (self->not_found_description,
                        _("No account you are signed in to can see this key. It may belong to "
                          "another organization, it may have been deleted, or it may not be a "
                          "key at all."));
}

static void
on_finder_asking_changed (ExkFindKeyDialog *self)
{
  const char *asking = exk_key_finder_get_asking (self->finder);
  g_autofree char *text = NULL;

  if (asking == NULL)
    return;

  /* Translators: %s is a server's host name, with its port when it has one. */
  text = g_strdup_printf (_("Asking %s…"), asking);
  gtk_label_set_text (self->asking_label, text);
}

static void
on_finder_deleted_changed (ExkFindKeyDialog *self)
{
  ExkToken *token = exk_key_finder_get_token (self->finder);
  g_autofree char *prefix = NULL;
  g_autofree char *description = NULL;

  if (token == NULL || !exk_key_finder_get_deleted (self->finder))
    return;

  prefix = exk_format_key_prefix (exk_token_get_id (token));
  /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
  description = g_strdup_printf (_("%s no longer works: the server refuses it from now on."),
                                 prefix);
  gtk_label_set_text (self->deleted_description, description);
  gtk_stack_set_visible_child_name (self->state_stack, "deleted");
  exk_find_key_dialog_update_actions (self);
}

static void
on_token_changed (ExkFindKeyDialog *self)
{
  exk_find_key_dialog_show_token (self);
}

static void
exk_find_key_dialog_toast (ExkFindKeyDialog *self,
                           const char       *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
exk_find_key_dialog_show_error (ExkFindKeyDialog *self,
                                const char       *text)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

/* Search */

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  ExkFindKeyDialog *self;
  g_autoptr(GError) error = NULL;
  gboolean found;
  ExkToken *token;

  found = exk_key_finder_find_finish (EXK_KEY_FINDER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_FIND_KEY_DIALOG (user_data);
  gtk_spinner_set_spinning (self->searching_spinner, FALSE);

  if (error != NULL)
    {
      /* Nobody to ask, or a text that cannot be a key: said under the field. */
      gtk_label_set_text (self->input_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), TRUE);
      gtk_stack_set_visible_child_name (self->state_stack, "empty");
      exk_find_key_dialog_update_actions (self);
      return;
    }

  if (!found)
    {
      exk_find_key_dialog_show_failures (self);
      gtk_stack_set_visible_child_name (self->state_stack, "not-found");
      exk_find_key_dialog_update_actions (self);
      return;
    }

  token = exk_key_finder_get_token (self->finder);
  g_signal_connect_object (token, "notify", G_CALLBACK (on_token_changed), self,
                           G_CONNECT_SWAPPED);
  exk_find_key_dialog_show_token (self);
  gtk_stack_set_visible_child_name (self->state_stack, "found");
  exk_find_key_dialog_update_actions (self);
}

static void
exk_find_key_dialog_start (ExkFindKeyDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  g_autoptr(GError) error = NULL;
  char *key;

  exk_find_key_dialog_show_error (self, NULL);

  /* Checked here first, so that nothing changes on screen for text that cannot be a key. */
  key = exk_key_finder_parse_key (text, &error);
  if (key == NULL)
    {
      gtk_label_set_text (self->input_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), TRUE);
      return;
    }
  g_clear_pointer (&key, exk_secret_text_free);

  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
  gtk_label_set_text (self->asking_label, _("Asking…"));
  gtk_spinner_set_spinning (self->searching_spinner, TRUE);
  gtk_stack_set_visible_child_name (self->state_stack, "searching");

  exk_key_finder_find_async (self->finder, text, self->cancellable, on_found, self);
  exk_find_key_dialog_update_actions (self);
}

static void
exk_find_key_dialog_find_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  exk_find_key_dialog_start (EXK_FIND_KEY_DIALOG (widget));
}

static void
exk_find_key_dialog_stop (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (widget);

  exk_key_finder_clear (self->finder);
  gtk_spinner_set_spinning (self->searching_spinner, FALSE);
  gtk_stack_set_visible_child_name (self->state_stack, "empty");
  exk_find_key_dialog_update_actions (self);
}

static void
on_key_changed (ExkFindKeyDialog *self)
{
  /* What was said about the text before no longer applies. */
  gtk_widget_set_visible (GTK_WIDGET (self->input_error_label), FALSE);
  if (self->finder != NULL)
    exk_find_key_dialog_update_actions (self);
}

static void
on_key_activated (ExkFindKeyDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "find-key.find", NULL);
}

/* Changes to the found key */

static void
exk_find_key_dialog_report_failure (ExkFindKeyDialog *self,
                                    ChangeKind        kind,
                                    const GError     *error)
{
  ExkToken *token = exk_key_finder_get_token (self->finder);
  g_autofree char *prefix = token != NULL ? exk_format_key_prefix (exk_token_get_id (token))
                                          : g_strdup ("");
  g_autofree char *reason = exk_format_error_reason (error);
  g_autofree char *text = NULL;

  /* Translators: the first %s is the beginning of a key, e.g. "LhhP1C…", the
   * second says why, e.g. "the server had a problem". */
  switch (kind)
    {
    case CHANGE_DISABLE:
      text = g_strdup_printf (_("Couldn’t disable %s: %s"), prefix, reason);
      break;
    case CHANGE_ENABLE:
      text = g_strdup_printf (_("Couldn’t enable %s: %s"), prefix, reason);
      break;
    case CHANGE_DELETE:
    default:
      text = g_strdup_printf (_("Couldn’t delete %s: %s"), prefix, reason);
      break;
    }

  exk_find_key_dialog_show_error (self, text);
}

static void
exk_find_key_dialog_report_done (ExkFindKeyDialog *self,
                                 ChangeKind        kind)
{
  ExkToken *token = exk_key_finder_get_token (self->finder);
  g_autofree char *prefix = exk_format_key_prefix (exk_token_get_id (token));
  g_autofree char *title = NULL;

  /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
  switch (kind)
    {
    case CHANGE_DISABLE:
      title = g_strdup_printf (_("Key %s disabled"), prefix);
      break;
    case CHANGE_ENABLE:
      title = g_strdup_printf (_("Key %s enabled"), prefix);
      break;
    case CHANGE_DELETE:
    default:
      title = g_strdup_printf (_("Key %s deleted"), prefix);
      break;
    }

  exk_find_key_dialog_toast (self, title);
}

static void
on_disabled_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExkFindKeyDialog *self;
  g_autoptr(GError) error = NULL;
  ChangeKind kind;

  if (!exk_key_finder_set_disabled_finish (EXK_KEY_FINDER (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_FIND_KEY_DIALOG (user_data);
  kind = self->disabling ? CHANGE_DISABLE : CHANGE_ENABLE;

  if (error != NULL)
    exk_find_key_dialog_report_failure (self, kind, error);
  else
    exk_find_key_dialog_report_done (self, kind);
  exk_find_key_dialog_update_actions (self);
}

static void
exk_find_key_dialog_toggle_disabled (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (widget);
  ExkToken *token = exk_key_finder_get_token (self->finder);

  if (token == NULL || exk_key_finder_get_busy (self->finder))
    return;

  exk_find_key_dialog_show_error (self, NULL);
  self->disabling = !exk_token_get_is_disabled (token);
  exk_key_finder_set_disabled_async (self->finder, self->disabling,
                                     self->cancellable, on_disabled_set, self);
  exk_find_key_dialog_update_actions (self);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ExkFindKeyDialog *self;
  g_autoptr(GError) error = NULL;

  if (!exk_key_finder_delete_finish (EXK_KEY_FINDER (source), result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_FIND_KEY_DIALOG (user_data);
  if (error != NULL)
    exk_find_key_dialog_report_failure (self, CHANGE_DELETE, error);
  else
    exk_find_key_dialog_report_done (self, CHANGE_DELETE);
  exk_find_key_dialog_update_actions (self);
}

static void
on_delete_response (ExkFindKeyDialog *self,
                    const char       *response)
{
  if (g_strcmp0 (response, "delete") != 0 || exk_key_finder_get_token (self->finder) == NULL
      || exk_key_finder_get_busy (self->finder))
    return;

  exk_find_key_dialog_show_error (self, NULL);
  exk_key_finder_delete_async (self->finder, self->cancellable, on_deleted, self);
  exk_find_key_dialog_update_actions (self);
}

static void
exk_find_key_dialog_delete (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (widget);
  ExkToken *token = exk_key_finder_get_token (self->finder);
  ExkAccount *account = exk_key_finder_get_account (self->finder);
  g_autofree char *prefix = NULL;
  AdwMessageDialog *dialog;

  if (token == NULL)
    return;

  prefix = exk_format_key_prefix (exk_token_get_id (token));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL));
  /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
  adw_message_dialog_format_heading (dialog, _("Delete Key %s?"), prefix);
  /* Translators: %s is a host name with its port. */
  adw_message_dialog_format_body (dialog,
                                  _("Everything that sends events with this key stops working "
                                    "at once, and %s cannot bring the key back. To stop it for "
                                    "now, disable it instead."),
                                  exk_account_get_server_authority (account));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_find_key_dialog_replace_leaked (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (widget);
  ExkToken *token = exk_key_finder_get_token (self->finder);
  ExkClient *client = exk_key_finder_get_client (self->finder);

  if (token == NULL || client == NULL)
    return;

  g_signal_emit (self, signals[REPLACE_LEAKED], 0, client, token);
}

static void
exk_find_key_dialog_open_project (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (widget);
  g_autoptr(ExkAccount) account = NULL;
  g_autoptr(ExkProject) project = NULL;
  g_autofree char *key_id = NULL;

  if (exk_key_finder_get_token (self->finder) == NULL
      || exk_key_finder_get_project (self->finder) == NULL)
    return;

  /* The dialog forgets the key as it closes: the window gets its own copies. */
  account = g_object_ref (exk_key_finder_get_account (self->finder));
  project = g_object_ref (exk_key_finder_get_project (self->finder));
  key_id = g_strdup (exk_token_get_id (exk_key_finder_get_token (self->finder)));

  g_signal_emit (self, signals[OPEN_PROJECT], 0, account, project, key_id);
  explicit_bzero (key_id, strlen (key_id));
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

/* Nothing of the key stays behind: the field is emptied (GtkEntryBuffer
 * overwrites what it deletes), the search stopped and its result dropped. */
static void
exk_find_key_dialog_forget (ExkFindKeyDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  if (self->key_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  if (self->finder != NULL)
    {
      ExkToken *token = exk_key_finder_get_token (self->finder);

      if (token != NULL)
        g_signal_handlers_disconnect_by_data (token, self);
      exk_key_finder_clear (self->finder);
    }
}

static gboolean
exk_find_key_dialog_close_request (GtkWindow *window)
{
  exk_find_key_dialog_forget (EXK_FIND_KEY_DIALOG (window));

  return GTK_WINDOW_CLASS (exk_find_key_dialog_parent_class)->close_request (window);
}

static void
exk_find_key_dialog_constructed (GObject *object)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (object);

  G_OBJECT_CLASS (exk_find_key_dialog_parent_class)->constructed (object);

  g_assert (EXK_IS_ACCOUNT_MANAGER (self->manager));

  self->finder = exk_key_finder_new (self->manager);
  g_signal_connect_object (self->finder, "notify::asking",
                           G_CALLBACK (on_finder_asking_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->finder, "notify::busy",
                           G_CALLBACK (exk_find_key_dialog_update_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->finder, "notify::deleted",
                           G_CALLBACK (on_finder_deleted_changed), self, G_CONNECT_SWAPPED);
  exk_find_key_dialog_update_actions (self);
}

static void
exk_find_key_dialog_dispose (GObject *object)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (object);

  exk_find_key_dialog_forget (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_FIND_KEY_DIALOG);

  G_OBJECT_CLASS (exk_find_key_dialog_parent_class)->dispose (object);
}

static void
exk_find_key_dialog_finalize (GObject *object)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (object);

  g_clear_object (&self->finder);
  g_clear_object (&self->manager);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (exk_find_key_dialog_parent_class)->finalize (object);
}

static void
exk_find_key_dialog_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_find_key_dialog_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ExkFindKeyDialog *self = EXK_FIND_KEY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_find_key_dialog_class_init (ExkFindKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = exk_find_key_dialog_constructed;
  object_class->dispose = exk_find_key_dialog_dispose;
  object_class->finalize = exk_find_key_dialog_finalize;
  object_class->get_property = exk_find_key_dialog_get_property;
  object_class->set_property = exk_find_key_dialog_set_property;
  window_class->close_request = exk_find_key_dialog_close_request;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL, EXK_TYPE_ACCOUNT_MANAGER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkFindKeyDialog::replace-leaked:
   * @self: the dialog
   * @client: a client for the server that knows the key, with its account's token
   * @token: the key found
   *
   * The user asked to replace the key as leaked.
   */
  signals[REPLACE_LEAKED] =
    g_signal_new ("replace-leaked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, EXK_TYPE_CLIENT, EXK_TYPE_TOKEN);

  /**
   * ExkFindKeyDialog::open-project:
   * @self: the dialog, which closes next
   * @account: the account whose server knows the key
   * @project: the key's project
   * @key_id: the key, to show in the project's list
   *
   * The user asked to see the key in its project.
   */
  signals[OPEN_PROJECT] =
    g_signal_new ("open-project", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, EXK_TYPE_ACCOUNT, EXK_TYPE_PROJECT,
                  G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-find-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, input_error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, find_button);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, state_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, searching_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, asking_label);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog,
                                        not_found_description);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, failures_label);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog,
                                        deleted_description);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, found_group);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, organization_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, project_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, project_arrow);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, account_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, masked_key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, state_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, created_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, expires_row);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, replace_button);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, disable_button);
  gtk_widget_class_bind_template_child (widget_class, ExkFindKeyDialog, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_key_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_key_activated);

  gtk_widget_class_install_action (widget_class, "find-key.find", NULL,
                                   exk_find_key_dialog_find_action);
  gtk_widget_class_install_action (widget_class, "find-key.stop", NULL,
                                   exk_find_key_dialog_stop);
  gtk_widget_class_install_action (widget_class, "find-key.toggle-disabled", NULL,
                                   exk_find_key_dialog_toggle_disabled);
  gtk_widget_class_install_action (widget_class, "find-key.delete", NULL,
                                   exk_find_key_dialog_delete);
  gtk_widget_class_install_action (widget_class, "find-key.replace-leaked", NULL,
                                   exk_find_key_dialog_replace_leaked);
  gtk_widget_class_install_action (widget_class, "find-key.open-project", NULL,
                                   exk_find_key_dialog_open_project);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
exk_find_key_dialog_init (ExkFindKeyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  drop_accessible_label (self->find_button);
  drop_accessible_label (self->replace_button);
  drop_accessible_label (self->disable_button);
  drop_accessible_label (self->delete_button);
}

/**
 * exk_find_key_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @manager: the signed-in accounts, whose servers are asked
 *
 * Returns: (transfer none): a new dialog
 */
ExkFindKeyDialog *
exk_find_key_dialog_new (GtkWindow         *parent,
                         ExkAccountManager *manager)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (manager), NULL);

  return g_object_new (EXK_TYPE_FIND_KEY_DIALOG,
                       "transient-for", parent,
                       "manager", manager,
                       NULL);
}

/* Fills the field with @text and looks it up at once (the sidebar's offer). */
void
exk_find_key_dialog_find (ExkFindKeyDialog *self,
                          const char       *text)
{
  g_return_if_fail (EXK_IS_FIND_KEY_DIALOG (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), text);
  exk_find_key_dialog_start (self);
}

/**
 * exk_find_key_dialog_get_finder:
 *
 * Returns: (transfer none): the dialog's search, and what it found
 */
ExkKeyFinder *
exk_find_key_dialog_get_finder (ExkFindKeyDialog *self)
{
  g_return_val_if_fail (EXK_IS_FIND_KEY_DIALOG (self), NULL);

  return self->finder;
}

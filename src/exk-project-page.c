// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-clipboard.h"
#include "exk-format.h"
#include "exk-new-key-dialog.h"
#include "exk-notes-dialog.h"
#include "exk-project-overview.h"
#include "exk-project-page.h"
#include "exk-token-row.h"
#include "exk-window.h"

/* A project's page: its API keys (the default tab) and an overview. Every
 * change is sent to the server first and shown once the server agreed, so the
 * list always says what the server holds. */
struct _ExkProjectPage
{
  GtkBox              parent_instance;

  ExkClient          *client;
  ExkProject         *project;
  GCancellable       *cancellable;
  GListStore         *keys;
  GHashTable         *replacements;   /* new key id → old key id, while undecided */
  gboolean            loading;

  AdwViewStack       *view_stack;
  GtkStack           *keys_stack;
  GtkSpinner         *keys_spinner;
  AdwStatusPage      *keys_error_page;
  GtkLabel           *keys_title;
  GtkLabel           *keys_summary;
  GtkListBox         *keys_list;
  AdwBin             *overview_bin;
  ExkProjectOverview *overview;
};

G_DEFINE_FINAL_TYPE (ExkProjectPage, exk_project_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A request about one key: the page and the key's id, which outlive the row. */
typedef struct
{
  ExkProjectPage *page;
  char           *key_id;
} KeyOp;

static KeyOp *
key_op_new (ExkProjectPage *page,
            const char     *key_id)
{
  KeyOp *op = g_new0 (KeyOp, 1);

  op->page = page;
  op->key_id = g_strdup (key_id);
  return op;
}

static void
key_op_free (KeyOp *op)
{
  g_free (op->key_id);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KeyOp, key_op_free)

static void
exk_project_page_report (ExkProjectPage *self,
                         const GError   *error)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (EXK_IS_WINDOW (root))
    exk_window_show_error (EXK_WINDOW (root), error);
  else
    g_warning ("%s", error->message);
}

static void
exk_project_page_toast (ExkProjectPage *self,
                        AdwToast       *toast)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (EXK_IS_WINDOW (root))
    exk_window_add_toast (EXK_WINDOW (root), toast);
  else
    g_object_unref (g_object_ref_sink (toast));
}

static ExkToken *
exk_project_page_find_key (ExkProjectPage *self,
                           const char     *id,
                           guint          *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->keys));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (self->keys), i);

      if (g_strcmp0 (exk_token_get_id (token), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return token;   /* the store keeps a reference */
        }
    }

  return NULL;
}

static ExkTokenRow *
exk_project_page_find_row (ExkProjectPage *self,
                           const char     *id)
{
  guint position;

  if (exk_project_page_find_key (self, id, &position) == NULL)
    return NULL;

  return EXK_TOKEN_ROW (gtk_list_box_get_row_at_index (self->keys_list, position));
}

static void
exk_project_page_set_row_busy (ExkProjectPage *self,
                               const char     *id,
                               gboolean        busy)
{
  ExkTokenRow *row = exk_project_page_find_row (self, id);

  if (row != NULL)
    exk_token_row_set_busy (row, busy);
}

static void
exk_project_page_update_replacement_tags (ExkProjectPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->keys));

  for (guint i = 0; i < n; i++)
    {
      ExkTokenRow *row = EXK_TOKEN_ROW (gtk_list_box_get_row_at_index (self->keys_list, i));
      const char *id = exk_token_get_id (exk_token_row_get_token (row));
      const char *old_id = g_hash_table_lookup (self->replacements, id);
      g_autofree char *note = NULL;
      GHashTableIter iter;
      gpointer new_id, replaced_id;

      if (old_id != NULL)
        {
          g_autofree char *prefix = exk_format_key_prefix (old_id);

          /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
          note = g_strdup_printf (_("Replaces %s"), prefix);
        }

      g_hash_table_iter_init (&iter, self->replacements);
      while (note == NULL && g_hash_table_iter_next (&iter, &new_id, &replaced_id))
        if (g_str_equal (replaced_id, id))
          {
            g_autofree char *prefix = exk_format_key_prefix (new_id);

            /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
            note = g_strdup_printf (_("Replaced by %s"), prefix);
          }

      exk_token_row_set_replacement (row, note);
    }
}

/* The key @old_id is no longer in use (disabled or deleted): rows stop
 * saying that anything replaces it. */
static void
exk_project_page_end_rotation (ExkProjectPage *self,
                               const char     *old_id)
{
  GHashTableIter iter;
  gpointer new_id, replaced_id;

  g_hash_table_iter_init (&iter, self->replacements);
  while (g_hash_table_iter_next (&iter, &new_id, &replaced_id))
    if (g_str_equal (replaced_id, old_id))
      g_hash_table_iter_remove (&iter);

  exk_project_page_update_replacement_tags (self);
}

static void
exk_project_page_update_state (ExkProjectPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->keys));
  guint disabled = 0;
  g_autofree char *counts = NULL;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (self->keys), i);

      if (exk_token_get_is_disabled (token))
        disabled++;
    }

  if (disabled > 0)
    /* Translators: "5 keys, 2 disabled". */
    counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key, %u disabled",
                                           "%u keys, %u disabled", n), n, disabled);
  else
    counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key", "%u keys", n), n);

  if (self->project != NULL)
    {
      gtk_label_set_text (self->keys_title, exk_project_get_name (self->project));
      /* Translators: an organization's name, then "5 keys, 2 disabled". */
      summary = g_strdup_printf (_("%s · %s"), exk_project_get_organization_name (self->project),
                                 counts);
    }
  gtk_label_set_text (self->keys_summary, summary != NULL ? summary : counts);

  if (self->loading && n == 0)
    gtk_stack_set_visible_child_name (self->keys_stack, "loading");
  else if (n == 0 && g_strcmp0 (gtk_stack_get_visible_child_name (self->keys_stack), "error") != 0)
    gtk_stack_set_visible_child_name (self->keys_stack, "empty");
  else if (n > 0)
    gtk_stack_set_visible_child_name (self->keys_stack, "list");

  gtk_spinner_set_spinning (self->keys_spinner, self->loading);
}

static void
exk_project_page_set_loading (ExkProjectPage *self,
                              gboolean        loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  exk_project_page_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static GtkWidget *
create_key_row (gpointer item,
                gpointer user_data)
{
  return exk_token_row_new (EXK_TOKEN (item));
}

static void
on_keys_changed (ExkProjectPage *self)
{
  exk_project_page_update_replacement_tags (self);
  exk_project_page_update_state (self);
}

/* Loading */

static void
on_keys_loaded (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExkProjectPage *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) keys = NULL;

  keys = exk_client_list_project_tokens_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_PAGE (user_data);

  if (keys == NULL)
    {
      adw_status_page_set_description (self->keys_error_page, error->message);
      g_list_store_remove_all (self->keys);
      gtk_stack_set_visible_child_name (self->keys_stack, "error");
      exk_project_page_set_loading (self, FALSE);
      exk_project_page_report (self, error);
      return;
    }

  g_list_store_splice (self->keys, 0, g_list_model_get_n_items (G_LIST_MODEL (self->keys)),
                       keys->pdata, keys->len);
  gtk_stack_set_visible_child_name (self->keys_stack, keys->len > 0 ? "list" : "empty");
  exk_project_page_set_loading (self, FALSE);
}

void
exk_project_page_refresh (ExkProjectPage *self)
{
  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));

  if (self->client == NULL || self->project == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  exk_project_page_set_loading (self, TRUE);
  exk_client_list_project_tokens_async (self->client, exk_project_get_id (self->project),
                                        self->cancellable, on_keys_loaded, self);
  if (self->overview != NULL)
    exk_project_overview_refresh (self->overview);
}

/* Copy */

static void
exk_project_page_copy (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (exk_project_page_find_key (self, id, NULL) == NULL)
    return;

  exk_clipboard_copy_secret (widget, id);
  exk_project_page_toast (self, adw_toast_new (_("Key copied")));
}

/* Disable and enable */

static void exk_project_page_set_disabled (ExkProjectPage *self,
                                           const char     *id,
                                           gboolean        disabled,
                                           gboolean        offer_undo);

static void
on_undo_disable (AdwToast *toast,
                 KeyOp    *op)
{
  exk_project_page_set_disabled (op->page, op->key_id, FALSE, FALSE);
}

static void
on_disabled_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KeyOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkToken) updated = NULL;
  ExkProjectPage *self;
  ExkToken *token;

  updated = exk_client_set_token_disabled_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->page;
  exk_project_page_set_row_busy (self, op->key_id, FALSE);

  if (updated == NULL)
    {
      exk_project_page_report (self, error);
      return;
    }

  token = exk_project_page_find_key (self, op->key_id, NULL);
  if (token != NULL)
    exk_token_update_from (token, updated);

  /* A replaced key that gets disabled ends its rotation. */
  if (exk_token_get_is_disabled (updated))
    exk_project_page_end_rotation (self, op->key_id);
  exk_project_page_update_state (self);
}

static void
exk_project_page_set_disabled (ExkProjectPage *self,
                               const char     *id,
                               gboolean        disabled,
                               gboolean        offer_undo)
{
  g_autofree char *prefix = exk_format_key_prefix (id);
  g_autofree char *title = NULL;
  AdwToast *toast;

  exk_project_page_set_row_busy (self, id, TRUE);
  exk_client_set_token_disabled_async (self->client, id, disabled, self->cancellable,
                                       on_disabled_set, key_op_new (self, id));

  /* Disabling is undone by enabling: a toast with Undo, no confirmation. */
  if (disabled)
    /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
    title = g_strdup_printf (_("Key %s disabled"), prefix);
  else
    title = g_strdup_printf (_("Key %s enabled"), prefix);

  toast = adw_toast_new (title);
  if (disabled && offer_undo)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_undo_disable),
                             key_op_new (self, id), (GClosureNotify) (void (*) (void)) key_op_free,
                             0);
    }
  exk_project_page_toast (self, toast);
}

static void
exk_project_page_toggle_disabled (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  ExkToken *token = exk_project_page_find_key (self, id, NULL);

  if (token == NULL)
    return;

  exk_project_page_set_disabled (self, id, !exk_token_get_is_disabled (token), TRUE);
}

/* Check */

static void
on_key_checked (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KeyOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *message = NULL;
  ExkProjectPage *self;
  ExkTokenRow *row;
  ExkToken *token;
  gboolean works;

  works = exk_client_verify_key_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->page;
  exk_project_page_set_row_busy (self, op->key_id, FALSE);
  token = exk_project_page_find_key (self, op->key_id, NULL);
  row = exk_project_page_find_row (self, op->key_id);
  prefix = exk_format_key_prefix (op->key_id);
  now = g_date_time_new_now_utc ();

  if (works)
    {
      message = g_strdup (_("Works: the server accepts this key"));
    }
  else if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN))
    {
      /* Valid, but without the client scope (a source map token). */
      works = TRUE;
      message = g_strdup (_("Works for uploading source maps; it cannot send events"));
    }
  else if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
    {
      if (token != NULL && exk_token_get_is_disabled (token))
        message = g_strdup (_("Rejected: the key is disabled"));
      else if (token != NULL && exk_token_is_expired (token, now))
        message = g_strdup (_("Rejected: the key has expired"));
      else if (token != NULL && exk_token_get_is_suspended (token))
        message = g_strdup (_("Rejected: the organization is suspended"));
      else
        message = g_strdup (_("Rejected: the server does not know this key; it may have been "
                              "deleted. Refresh the list."));
    }
  else
    {
      exk_project_page_report (self, error);
      return;
    }

  if (row != NULL)
    exk_token_row_set_check_result (row, works, message);

  {
    /* Translators: the first %s is a key's beginning, the second the result. */
    g_autofree char *title = g_strdup_printf (_("%s — %s"), prefix, message);
    exk_project_page_toast (self, adw_toast_new (title));
  }
}

static void
exk_project_page_check (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (exk_project_page_find_key (self, id, NULL) == NULL)
    return;

  exk_project_page_set_row_busy (self, id, TRUE);
  exk_client_verify_key_async (self->client, id, self->cancellable, on_key_checked,
                               key_op_new (self, id));
}

/* Delete */

static void
exk_project_page_remove_key (ExkProjectPage *self,
                             const char     *id)
{
  guint position;

  if (exk_project_page_find_key (self, id, &position) != NULL)
    g_list_store_remove (self->keys, position);

  /* Gone as a replacement, or as the key replaced. */
  g_hash_table_remove (self->replacements, id);
  exk_project_page_end_rotation (self, id);
}

static void
on_key_deleted (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KeyOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *title = NULL;
  ExkProjectPage *self;

  deleted = exk_client_delete_tokens_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = op->page;
  prefix = exk_format_key_prefix (op->key_id);
  exk_project_page_set_row_busy (self, op->key_id, FALSE);

  if (deleted == NULL && g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND))
    {
      /* Gone already: the list catches up with the server. */
      exk_project_page_remove_key (self, op->key_id);
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Key %s was already deleted"), prefix);
      exk_project_page_toast (self, adw_toast_new (title));
      return;
    }

  if (deleted == NULL)
    {
      exk_project_page_report (self, error);
      return;
    }

  if (!exk_delete_result_is_complete (deleted))
    {
      g_autoptr(GError) partial = g_error_new (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                                               _("The server refused to delete key %s"), prefix);
      exk_project_page_report (self, partial);
      return;
    }

  exk_project_page_remove_key (self, op->key_id);
  title = g_strdup_printf (_("Key %s deleted"), prefix);
  exk_project_page_toast (self, adw_toast_new (title));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    KeyOp            *op)
{
  ExkProjectPage *self = op->page;
  const char *ids[] = { op->key_id, NULL };

  if (g_strcmp0 (response, "delete") != 0)
    return;

  exk_project_page_set_row_busy (self, op->key_id, TRUE);
  exk_client_delete_tokens_async (self->client, ids, self->cancellable, on_key_deleted,
                                  key_op_new (self, op->key_id));
}

static void
exk_project_page_delete (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  ExkToken *token = exk_project_page_find_key (self, id, NULL);
  g_autofree char *prefix = NULL;
  const char *notes;
  GtkWidget *dialog;

  if (token == NULL)
    return;

  prefix = exk_format_key_prefix (id);
  notes = exk_token_get_notes (token);

  /* Deleting cannot be undone on the server, so it is confirmed, naming the key. */
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Delete API Key?"), NULL);
  if (notes != NULL && notes[0] != '\0')
    /* Translators: the first %s is the beginning of a key, the second its notes. */
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("Key %s (“%s”) stops working at once: applications "
                                      "that use it can no longer send events. This cannot be "
                                      "undone."),
                                    prefix, notes);
  else
    adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                    _("Key %s stops working at once: applications that use it "
                                      "can no longer send events. This cannot be undone."),
                                    prefix);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response),
                         key_op_new (self, id), (GClosureNotify) (void (*) (void)) key_op_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* New, rotate, notes: dialogs */

static void
on_key_created (ExkProjectPage *self,
                ExkToken       *token)
{
  if (exk_project_page_find_key (self, exk_token_get_id (token), NULL) == NULL)
    g_list_store_append (self->keys, token);
  exk_project_page_update_state (self);
}

static void
on_rotation_decided (ExkProjectPage *self,
                     ExkToken       *old_key,
                     ExkToken       *new_key,
                     gboolean        disable_old_now)
{
  /* The new key is in the list already: "key-created" came first. */
  if (disable_old_now)
    {
      exk_project_page_set_disabled (self, exk_token_get_id (old_key), TRUE, TRUE);
      return;
    }

  /* Until the old key is disabled or deleted, both rows say what replaces what. */
  g_hash_table_replace (self->replacements, g_strdup (exk_token_get_id (new_key)),
                        g_strdup (exk_token_get_id (old_key)));
  exk_project_page_update_replacement_tags (self);
}

static void
exk_project_page_new_key (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkNewKeyDialog *dialog;

  if (self->client == NULL || self->project == NULL)
    return;

  dialog = exk_new_key_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->client,
                                   self->project);
  g_signal_connect_object (dialog, "key-created", G_CALLBACK (on_key_created), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_project_page_rotate (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkToken *token = exk_project_page_find_key (self, g_variant_get_string (parameter, NULL), NULL);
  ExkNewKeyDialog *dialog;

  if (token == NULL)
    return;

  dialog = exk_new_key_dialog_new_rotation (GTK_WINDOW (gtk_widget_get_root (widget)),
                                            self->client, self->project, token);
  g_signal_connect_object (dialog, "key-created", G_CALLBACK (on_key_created), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "rotation-decided", G_CALLBACK (on_rotation_decided), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_notes_saved (ExkProjectPage *self,
                ExkToken       *updated)
{
  ExkToken *token = exk_project_page_find_key (self, exk_token_get_id (updated), NULL);

  if (token != NULL)
    exk_token_update_from (token, updated);
  exk_project_page_toast (self, adw_toast_new (_("Notes saved")));
}

static void
exk_project_page_edit_notes (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkToken *token = exk_project_page_find_key (self, g_variant_get_string (parameter, NULL), NULL);
  ExkNotesDialog *dialog;

  if (token == NULL)
    return;

  dialog = exk_notes_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->client, token);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_notes_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_project_page_refresh_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  exk_project_page_refresh (EXK_PROJECT_PAGE (widget));
}

/* GObject */

static void
exk_project_page_dispose (GObject *object)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_PROJECT_PAGE);

  G_OBJECT_CLASS (exk_project_page_parent_class)->dispose (object);
}

static void
exk_project_page_finalize (GObject *object)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->project);
  g_clear_object (&self->keys);
  g_clear_pointer (&self->replacements, g_hash_table_unref);

  G_OBJECT_CLASS (exk_project_page_parent_class)->finalize (object);
}

static void
exk_project_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_page_class_init (ExkProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_project_page_dispose;
  object_class->finalize = exk_project_page_finalize;
  object_class->get_property = exk_project_page_get_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "keys.new", NULL, exk_project_page_new_key);
  gtk_widget_class_install_action (widget_class, "keys.refresh", NULL,
                                   exk_project_page_refresh_action);
  gtk_widget_class_install_action (widget_class, "keys.copy", "s", exk_project_page_copy);
  gtk_widget_class_install_action (widget_class, "keys.edit-notes", "s",
                                   exk_project_page_edit_notes);
  gtk_widget_class_install_action (widget_class, "keys.toggle-disabled", "s",
                                   exk_project_page_toggle_disabled);
  gtk_widget_class_install_action (widget_class, "keys.check", "s", exk_project_page_check);
  gtk_widget_class_install_action (widget_class, "keys.rotate", "s", exk_project_page_rotate);
  gtk_widget_class_install_action (widget_class, "keys.delete", "s", exk_project_page_delete);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_error_page);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_title);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_summary);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_list);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, overview_bin);
}

static void
exk_project_page_init (ExkProjectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->keys = g_list_store_new (EXK_TYPE_TOKEN);
  self->replacements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_list_box_bind_model (self->keys_list, G_LIST_MODEL (self->keys), create_key_row, self,
                           NULL);
  g_signal_connect_swapped (self->keys, "items-changed", G_CALLBACK (on_keys_changed), self);

  self->overview = EXK_PROJECT_OVERVIEW (exk_project_overview_new ());
  adw_bin_set_child (self->overview_bin, GTK_WIDGET (self->overview));
  exk_project_overview_set_keys (self->overview, G_LIST_MODEL (self->keys));

  exk_project_page_update_state (self);
}

/* Shows @project; switching projects drops the previous one's requests. */
void
exk_project_page_set_project (ExkProjectPage *self,
                              ExkClient      *client,
                              ExkProject     *project)
{
  gboolean same_project;

  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));

  same_project = self->project != NULL && project != NULL
                 && g_strcmp0 (exk_project_get_id (self->project), exk_project_get_id (project)) == 0
                 && self->client == client;

  g_set_object (&self->client, client);
  if (g_set_object (&self->project, project))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);

  exk_project_overview_set_project (self->overview, client, project);

  if (same_project)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_hash_table_remove_all (self->replacements);
  g_list_store_remove_all (self->keys);
  adw_view_stack_set_visible_child_name (self->view_stack, "keys");
  exk_project_page_refresh (self);
}

ExkProject *
exk_project_page_get_project (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->project;
}

AdwViewStack *
exk_project_page_get_view_stack (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->view_stack;
}

GListModel *
exk_project_page_get_keys (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return G_LIST_MODEL (self->keys);
}

GtkWidget *
exk_project_page_get_row (ExkProjectPage *self,
                          const char     *key_id)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return GTK_WIDGET (exk_project_page_find_row (self, key_id));
}

gboolean
exk_project_page_get_loading (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), FALSE);

  return self->loading;
}

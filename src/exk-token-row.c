// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-format.h"
#include "exk-token-row.h"

/* One API key in the list: masked until revealed, its scopes as tags, notes,
 * dates, and its state (disabled, expired, replaced, a request running, what
 * testing it said) where it shows at a glance. The row only shows the key and
 * its ExkKeyState; actions go to the page as "keys.<action>" with the key's
 * id (and, for disabling, what to set). */
struct _ExkTokenRow
{
  GtkListBoxRow    parent_instance;

  ExkToken        *token;
  ExkKeyState     *state;
  gboolean         can_delete;

  GtkLabel        *key_label;
  GtkBox          *tag_box;
  GtkLabel        *notes_label;
  GtkLabel        *dates_label;
  GtkLabel        *status_label;
  GtkWidget       *waiting_box;
  GtkSpinner      *spinner;
  guint            waiting_source;
  GtkToggleButton *reveal_button;
  GtkButton       *copy_button;
  GtkMenuButton   *menu_button;
  GMenuModel      *row_menu;
};

G_DEFINE_FINAL_TYPE (ExkTokenRow, exk_token_row, GTK_TYPE_LIST_BOX_ROW)

static void
exk_token_row_add_tag (ExkTokenRow *self,
                       const char  *text,
                       const char  *style)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_add_css_class (tag, "exk-tag");
  if (style != NULL)
    gtk_widget_add_css_class (tag, style);
  gtk_box_append (self->tag_box, tag);
}

static void
exk_token_row_update (ExkTokenRow *self)
{
  ExkToken *token = self->token;
  const char *id = exk_token_get_id (token);
  const char * const *scopes = exk_token_get_scopes (token);
  const char *notes = exk_token_get_notes (token);
  GDateTime *expires = exk_token_get_expires (token);
  gboolean disabled = exk_token_get_is_disabled (token);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gboolean expired = exk_token_is_expired (token, now);
  g_autofree char *shown = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *created = NULL;
  g_autofree char *created_full = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *tooltip = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *prefix = exk_format_key_prefix (id);
  GtkWidget *child;
  GString *scope_list = g_string_new (NULL);

  shown = exk_key_state_get_revealed (self->state) ? g_strdup (id) : exk_format_masked_key (id);
  markup = disabled ? g_markup_printf_escaped ("<s>%s</s>", shown)
                    : g_markup_escape_text (shown, -1);
  gtk_label_set_markup (self->key_label, markup);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_box))) != NULL)
    gtk_box_remove (self->tag_box, child);

  if (disabled)
    exk_token_row_add_tag (self, _("Disabled"), "exk-tag-warning");
  if (expired)
    exk_token_row_add_tag (self, _("Expired"), "exk-tag-error");
  if (exk_token_get_is_suspended (token))
    exk_token_row_add_tag (self, _("Suspended"), "exk-tag-error");
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    {
      exk_token_row_add_tag (self, scopes[i], NULL);
      g_string_append_printf (scope_list, "%s%s", i > 0 ? ", " : "", scopes[i]);
    }
  /* A key without scopes is a client key to the server (older keys look like this). */
  if (scopes == NULL || scopes[0] == NULL)
    {
      exk_token_row_add_tag (self, "client", NULL);
      g_string_append (scope_list, "client");
    }
  if (exk_key_state_get_replaces (self->state) != NULL)
    {
      g_autofree char *other = exk_format_key_prefix (exk_key_state_get_replaces (self->state));
      /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
      g_autofree char *tag = g_strdup_printf (_("Replaces %s"), other);

      exk_token_row_add_tag (self, tag, "exk-tag-accent");
    }
  if (exk_key_state_get_replaced_by (self->state) != NULL)
    {
      g_autofree char *other = exk_format_key_prefix (exk_key_state_get_replaced_by (self->state));
      /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
      g_autofree char *tag = g_strdup_printf (_("Replaced by %s"), other);

      exk_token_row_add_tag (self, tag, "exk-tag-accent");
    }

  if (notes != NULL && notes[0] != '\0')
    {
      gtk_label_set_text (self->notes_label, notes);
      gtk_widget_remove_css_class (GTK_WIDGET (self->notes_label), "dim-label");
    }
  else
    {
      gtk_label_set_text (self->notes_label, _("No notes"));
      gtk_widget_add_css_class (GTK_WIDGET (self->notes_label), "dim-label");
    }

  created = exk_format_relative_date (exk_token_get_created (token), now);
  created_full = exk_format_full_date (exk_token_get_created (token));
  if (expires != NULL)
    {
      g_autofree char *relative = exk_format_relative_date (expires, now);
      g_autofree char *full = exk_format_full_date (expires);

      /* Translators: "Created 3 days ago · Expired yesterday". */
      dates = g_strdup_printf (expired ? _("Created %s · Expired %s") : _("Created %s · Expires %s"),
                               created, relative);
      tooltip = g_strdup_printf (_("Created %s\nExpires %s"), created_full, full);
    }
  else
    {
      /* Translators: %s is a relative date such as "3 days ago". */
      dates = g_strdup_printf (_("Created %s"), created);
      tooltip = g_strdup_printf (_("Created %s"), created_full);
    }
  gtk_label_set_text (self->dates_label, dates);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->dates_label), tooltip);

  if (disabled || expired)
    gtk_widget_add_css_class (GTK_WIDGET (self), "exk-inactive");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "exk-inactive");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.disable", !disabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.enable", disabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", self->can_delete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete-refused", !self->can_delete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.dismiss-rotation",
                                 exk_key_state_get_replaces (self->state) != NULL
                                 || exk_key_state_get_replaced_by (self->state) != NULL);

  /* Translators: the accessible name of a key row: key prefix, scopes, notes, state. */
  accessible = g_strdup_printf (_("API key %s, %s, %s%s%s"), prefix, scope_list->str,
                                notes != NULL && notes[0] != '\0' ? notes : _("no notes"),
                                disabled ? _(", disabled") : "",
                                expired ? _(", expired") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_string_free (scope_list, TRUE);
}

static gboolean
on_waiting_long (gpointer user_data)
{
  ExkTokenRow *self = user_data;

  self->waiting_source = 0;
  gtk_widget_set_visible (self->waiting_box, TRUE);
  return G_SOURCE_REMOVE;
}

static void
exk_token_row_update_busy (ExkTokenRow *self)
{
  gboolean busy = exk_key_state_get_busy (self->state);

  /* While a request about this key runs: a spinner, and no second action;
   * after a few seconds, a way to stop waiting. */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), !busy);

  g_clear_handle_id (&self->waiting_source, g_source_remove);
  gtk_widget_set_visible (self->waiting_box, FALSE);
  if (busy)
    self->waiting_source = g_timeout_add_seconds (EXK_TOKEN_ROW_WAITING_SECONDS,
                                                  on_waiting_long, self);
}

static void
exk_token_row_update_check (ExkTokenRow *self)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);
  const char *message = NULL;
  gboolean works = FALSE;

  switch (exk_key_state_get_check (self->state))
    {
    case EXK_KEY_CHECK_WORKS:
      works = TRUE;
      message = _("Works: the server accepts this key");
      break;
    case EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS:
      works = TRUE;
      message = _("Works for uploading source maps; it cannot send events");
      break;
    case EXK_KEY_CHECK_REJECTED_DISABLED:
      message = _("Rejected: the key is disabled");
      break;
    case EXK_KEY_CHECK_REJECTED_EXPIRED:
      message = _("Rejected: the key has expired");
      break;
    case EXK_KEY_CHECK_REJECTED_SUSPENDED:
      message = _("Rejected: the organization is suspended");
      break;
    case EXK_KEY_CHECK_REJECTED_UNKNOWN:
      message = _("Rejected: the server does not know this key; it may have been deleted. "
                  "Refresh the list.");
      break;
    case EXK_KEY_CHECK_NONE:
    default:
      break;
    }

  gtk_label_set_text (self->status_label, message);
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, works ? "error" : "success");
  gtk_widget_add_css_class (label, works ? "success" : "error");
}

static void
on_reveal_toggled (ExkTokenRow *self)
{
  gboolean revealed = gtk_toggle_button_get_active (self->reveal_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button),
                               revealed ? _("Hide Key") : _("Show Key"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  revealed ? _("Hide Key") : _("Show Key"),
                                  -1);
}

static void
exk_token_row_forward (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (widget);
  const char *verb = strchr (action_name, '.') + 1;
  const char *id = exk_token_get_id (self->token);
  g_autofree char *page_action = NULL;

  /* Disabling says which way: the key may have changed since the menu opened. */
  if (g_str_equal (verb, "disable") || g_str_equal (verb, "enable"))
    {
      gtk_widget_activate_action (widget, "keys.set-disabled", "(sb)", id,
                                  g_str_equal (verb, "disable"));
      return;
    }

  /* The page asks, or says why a key of another user cannot be deleted. */
  if (g_str_equal (verb, "delete-refused") || g_str_equal (verb, "delete-key-pressed"))
    verb = "delete";

  page_action = g_strconcat ("keys.", verb, NULL);
  gtk_widget_activate_action (widget, page_action, "s", id);
}

static void
exk_token_row_reveal (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (widget);

  gtk_toggle_button_set_active (self->reveal_button,
                                !gtk_toggle_button_get_active (self->reveal_button));
}

static void
exk_token_row_dispose (GObject *object)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (object);

  g_clear_handle_id (&self->waiting_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_TOKEN_ROW);

  G_OBJECT_CLASS (exk_token_row_parent_class)->dispose (object);
}

static void
exk_token_row_finalize (GObject *object)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (object);

  g_clear_object (&self->token);
  g_clear_object (&self->state);

  G_OBJECT_CLASS (exk_token_row_parent_class)->finalize (object);
}

static void
exk_token_row_class_init (ExkTokenRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *forwarded[] = {
    "row.copy", "row.edit-notes", "row.check", "row.rotate", "row.dismiss-rotation",
    "row.disable", "row.enable", "row.delete", "row.delete-refused", "row.delete-key-pressed",
    "row.stop-waiting",
  };

  object_class->dispose = exk_token_row_dispose;
  object_class->finalize = exk_token_row_finalize;

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, exk_token_row_forward);
  gtk_widget_class_install_action (widget_class, "row.reveal", NULL, exk_token_row_reveal);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "row.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "row.delete-key-pressed",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "row.edit-notes", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "row.reveal", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-token-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, tag_box);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, dates_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_toggled);
}

/* A popover menu is a few dozen widgets: built when the menu first opens, not
 * for each of a thousand rows. */
static void
create_menu (GtkMenuButton *button,
             gpointer       user_data)
{
  ExkTokenRow *self = user_data;

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->row_menu);
}

static void
exk_token_row_init (ExkTokenRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);
}

/**
 * exk_token_row_new:
 * @token: the key
 * @state: what the key list knows of the key besides the server's data
 * @can_delete: whether the signed-in user may delete it
 */
GtkWidget *
exk_token_row_new (ExkToken    *token,
                   ExkKeyState *state,
                   gboolean     can_delete)
{
  ExkTokenRow *self;

  g_return_val_if_fail (EXK_IS_TOKEN (token), NULL);
  g_return_val_if_fail (EXK_IS_KEY_STATE (state), NULL);

  self = g_object_new (EXK_TYPE_TOKEN_ROW, NULL);
  self->token = g_object_ref (token);
  self->state = g_object_ref (state);
  self->can_delete = can_delete;

  /* Edits (notes, disabled) update the token in place; the row follows. */
  g_signal_connect_object (token, "notify", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::busy", G_CALLBACK (exk_token_row_update_busy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::check", G_CALLBACK (exk_token_row_update_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::replaces", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::replaced-by", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::revealed", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (state, "revealed", self->reveal_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  exk_token_row_update (self);
  exk_token_row_update_busy (self);
  exk_token_row_update_check (self);

  return GTK_WIDGET (self);
}

ExkToken *
exk_token_row_get_token (ExkTokenRow *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN_ROW (self), NULL);

  return self->token;
}

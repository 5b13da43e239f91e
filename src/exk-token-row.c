// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-format.h"
#include "exk-token-row.h"

/* One API key in the list: masked until revealed, its scopes as tags, notes,
 * dates, and its state (disabled, expired, replaced) where it shows at a
 * glance. Actions go to the page as "keys.<action>" with the key's id. */
struct _ExkTokenRow
{
  GtkListBoxRow    parent_instance;

  ExkToken        *token;
  char            *replacement;

  GtkLabel        *key_label;
  GtkBox          *tag_box;
  GtkLabel        *notes_label;
  GtkLabel        *dates_label;
  GtkLabel        *status_label;
  GtkSpinner      *spinner;
  GtkToggleButton *reveal_button;
  GtkButton       *copy_button;
  GtkMenuButton   *menu_button;
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

  shown = gtk_toggle_button_get_active (self->reveal_button) ? g_strdup (id)
                                                              : exk_format_masked_key (id);
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
  if (self->replacement != NULL)
    exk_token_row_add_tag (self, self->replacement, "exk-tag-accent");

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

static void
exk_token_row_clear_check (ExkTokenRow *self)
{
  exk_token_row_set_check_result (self, FALSE, NULL);
}

static void
on_reveal_toggled (ExkTokenRow *self)
{
  gboolean revealed = gtk_toggle_button_get_active (self->reveal_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button),
                               revealed ? _("Hide Key") : _("Show Key"));
  exk_token_row_update (self);
}

static void
exk_token_row_forward (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (widget);
  const char *verb = strchr (action_name, '.') + 1;
  g_autofree char *page_action = g_strconcat ("keys.", verb, NULL);

  /* Enable and disable are one page action: it flips the state. */
  if (g_str_equal (verb, "enable") || g_str_equal (verb, "disable"))
    {
      g_free (page_action);
      page_action = g_strdup ("keys.toggle-disabled");
    }

  gtk_widget_activate_action (widget, page_action, "s", exk_token_get_id (self->token));
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
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_TOKEN_ROW);

  G_OBJECT_CLASS (exk_token_row_parent_class)->dispose (object);
}

static void
exk_token_row_finalize (GObject *object)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (object);

  g_clear_object (&self->token);
  g_clear_pointer (&self->replacement, g_free);

  G_OBJECT_CLASS (exk_token_row_parent_class)->finalize (object);
}

static void
exk_token_row_class_init (ExkTokenRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *forwarded[] = {
    "row.copy", "row.edit-notes", "row.check", "row.rotate", "row.disable", "row.enable",
    "row.delete",
  };

  object_class->dispose = exk_token_row_dispose;
  object_class->finalize = exk_token_row_finalize;

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, exk_token_row_forward);
  gtk_widget_class_install_action (widget_class, "row.reveal", NULL, exk_token_row_reveal);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "row.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "row.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "row.edit-notes", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "row.reveal", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-token-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, tag_box);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, dates_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_toggled);
}

static void
exk_token_row_init (ExkTokenRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
exk_token_row_new (ExkToken *token)
{
  ExkTokenRow *self;

  g_return_val_if_fail (EXK_IS_TOKEN (token), NULL);

  self = g_object_new (EXK_TYPE_TOKEN_ROW, NULL);
  self->token = g_object_ref (token);
  /* Edits (notes, disabled) update the token in place; the row follows. */
  g_signal_connect_object (token, "notify", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  /* A check's result says nothing about the key once it is enabled or disabled. */
  g_signal_connect_object (token, "notify::is-disabled", G_CALLBACK (exk_token_row_clear_check),
                           self, G_CONNECT_SWAPPED);
  exk_token_row_update (self);

  return GTK_WIDGET (self);
}

ExkToken *
exk_token_row_get_token (ExkTokenRow *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN_ROW (self), NULL);

  return self->token;
}

/* While a request about this key runs: a spinner, and no second action. */
void
exk_token_row_set_busy (ExkTokenRow *self,
                        gboolean     busy)
{
  g_return_if_fail (EXK_IS_TOKEN_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), !busy);
}

/* "Replaces LhhP1C…" / "Replaced by abc123…" while a rotation is undecided. */
void
exk_token_row_set_replacement (ExkTokenRow *self,
                               const char  *note)
{
  g_return_if_fail (EXK_IS_TOKEN_ROW (self));

  g_free (self->replacement);
  self->replacement = g_strdup (note);
  exk_token_row_update (self);
}

void
exk_token_row_set_check_result (ExkTokenRow *self,
                                gboolean     works,
                                const char  *message)
{
  GtkWidget *label;

  g_return_if_fail (EXK_IS_TOKEN_ROW (self));

  label = GTK_WIDGET (self->status_label);
  gtk_label_set_text (self->status_label, message);
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, works ? "error" : "success");
  gtk_widget_add_css_class (label, works ? "success" : "error");
}

gboolean
exk_token_row_get_revealed (ExkTokenRow *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN_ROW (self), FALSE);

  return gtk_toggle_button_get_active (self->reveal_button);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-format.h"
#include "exk-notes-dialog.h"

/* Edits the notes of an API key, the only thing about a key besides its
 * disabled state that the server lets anyone change. The field starts with the
 * current notes (the Exceptionless web app starts it empty); saving it empty
 * removes the notes. Save waits for a change: spaces around the notes do not
 * count, as they are not saved. */
struct _ExkNotesDialog
{
  AdwWindow       parent_instance;

  ExkKeyList     *key_list;
  ExkToken       *token;
  gboolean        busy;
  gboolean        closed;

  AdwWindowTitle *window_title;
  GtkWidget      *cancel_button;
  GtkWidget      *save_button;
  GtkSpinner     *spinner;
  GtkRevealer    *error_revealer;
  GtkLabel       *error_label;
  AdwEntryRow    *notes_row;
};

G_DEFINE_FINAL_TYPE (ExkNotesDialog, exk_notes_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_KEY_LIST,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The notes as they would be saved: %NULL for none. */
static char *
dup_typed_notes (ExkNotesDialog *self)
{
  g_autofree char *notes = g_strstrip (g_strdup (gtk_editable_get_text (
                                                   GTK_EDITABLE (self->notes_row))));

  return notes[0] != '\0' ? g_steal_pointer (&notes) : NULL;
}

static gboolean
notes_changed (ExkNotesDialog *self)
{
  g_autofree char *typed = dup_typed_notes (self);
  const char *saved = exk_token_get_notes (self->token);

  if (saved != NULL && saved[0] == '\0')
    saved = NULL;

  return g_strcmp0 (typed, saved) != 0;
}

static void
exk_notes_dialog_update_save (ExkNotesDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "notes.save",
                                 !self->busy && notes_changed (self));
}

static void
exk_notes_dialog_set_busy (ExkNotesDialog *self,
                           gboolean        busy)
{
  self->busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->notes_row), !busy);
  exk_notes_dialog_update_save (self);
}

static void
on_save_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ExkNotesDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Closed meanwhile: the key list shows the notes the server kept. */
  if (!exk_key_list_set_notes_finish (EXK_KEY_LIST (source), result, &error) && !self->closed
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_notes_dialog_set_busy (self, FALSE);
      gtk_label_set_text (self->error_label, error->message);
      gtk_revealer_set_reveal_child (self->error_revealer, TRUE);

      /* Back to the text as it was typed, without selecting it. */
      gtk_widget_grab_focus (GTK_WIDGET (self->notes_row));
      gtk_editable_set_position (GTK_EDITABLE (self->notes_row), -1);
      return;
    }

  if (self->closed || error != NULL)
    return;

  g_signal_emit (self, signals[SAVED], 0, self->token);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_notes_changed (ExkNotesDialog *self)
{
  /* Building the template already sets the text. */
  if (self->token != NULL)
    exk_notes_dialog_update_save (self);
}

static void
on_notes_activated (ExkNotesDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "notes.save", NULL);
}

static void
exk_notes_dialog_save (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (widget);
  g_autofree char *notes = NULL;

  if (self->busy || !notes_changed (self))
    return;

  notes = dup_typed_notes (self);

  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  exk_notes_dialog_set_busy (self, TRUE);
  exk_key_list_set_notes_async (self->key_list, exk_token_get_id (self->token), notes,
                                on_save_finished, g_object_ref (self));
}

static void
exk_notes_dialog_map (GtkWidget *widget)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (widget);

  GTK_WIDGET_CLASS (exk_notes_dialog_parent_class)->map (widget);

  /* Typing replaces the old notes; an arrow key keeps them for editing. */
  gtk_widget_grab_focus (GTK_WIDGET (self->notes_row));
  gtk_editable_select_region (GTK_EDITABLE (self->notes_row), 0, -1);
}

static gboolean
exk_notes_dialog_close_request (GtkWindow *window)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (window);

  self->closed = TRUE;

  return GTK_WINDOW_CLASS (exk_notes_dialog_parent_class)->close_request (window);
}

static void
exk_notes_dialog_constructed (GObject *object)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (object);
  g_autofree char *prefix = NULL;
  const char *notes;

  G_OBJECT_CLASS (exk_notes_dialog_parent_class)->constructed (object);

  g_assert (EXK_IS_KEY_LIST (self->key_list));
  g_assert (EXK_IS_TOKEN (self->token));

  prefix = exk_format_key_prefix (exk_token_get_id (self->token));
  adw_window_title_set_subtitle (self->window_title, prefix);

  notes = exk_token_get_notes (self->token);
  gtk_editable_set_text (GTK_EDITABLE (self->notes_row), notes != NULL ? notes : "");
  exk_notes_dialog_update_save (self);
}

static void
exk_notes_dialog_dispose (GObject *object)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (object);

  self->closed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_NOTES_DIALOG);

  G_OBJECT_CLASS (exk_notes_dialog_parent_class)->dispose (object);
}

static void
exk_notes_dialog_finalize (GObject *object)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (object);

  g_clear_object (&self->key_list);
  g_clear_object (&self->token);

  G_OBJECT_CLASS (exk_notes_dialog_parent_class)->finalize (object);
}

static void
exk_notes_dialog_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KEY_LIST:
      g_value_set_object (value, self->key_list);
      break;

    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_notes_dialog_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ExkNotesDialog *self = EXK_NOTES_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KEY_LIST:
      self->key_list = g_value_dup_object (value);
      break;

    case PROP_TOKEN:
      self->token = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_notes_dialog_class_init (ExkNotesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = exk_notes_dialog_constructed;
  object_class->dispose = exk_notes_dialog_dispose;
  object_class->finalize = exk_notes_dialog_finalize;
  object_class->get_property = exk_notes_dialog_get_property;
  object_class->set_property = exk_notes_dialog_set_property;

  widget_class->map = exk_notes_dialog_map;

  window_class->close_request = exk_notes_dialog_close_request;

  properties[PROP_KEY_LIST] =
    g_param_spec_object ("key-list", NULL, NULL,
                         EXK_TYPE_KEY_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL,
                         EXK_TYPE_TOKEN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkNotesDialog::saved:
   * @self: the dialog
   * @token: the key, with the notes the server now has
   *
   * Emitted once the server accepted the notes, just before the dialog closes.
   */
  signals[SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL,
                  g_cclosure_marshal_VOID__OBJECT,
                  G_TYPE_NONE, 1, EXK_TYPE_TOKEN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-notes-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, save_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNotesDialog, notes_row);
  gtk_widget_class_bind_template_callback (widget_class, on_notes_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_notes_activated);

  gtk_widget_class_install_action (widget_class, "notes.save", NULL, exk_notes_dialog_save);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "notes.save", NULL);
}

static void
exk_notes_dialog_init (ExkNotesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* GTK 4.8 names a button after its label twice, once with the mnemonic
   * underscore ("_Save Save"): only the label it is labelled by is kept. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->cancel_button),
                                 GTK_ACCESSIBLE_PROPERTY_LABEL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->save_button),
                                 GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * exk_notes_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @key_list: the keys of the project of @token
 * @token: the key whose notes to edit
 *
 * Returns: (transfer none): a new dialog; ::saved tells when the server accepted the notes
 */
ExkNotesDialog *
exk_notes_dialog_new (GtkWindow  *parent,
                      ExkKeyList *key_list,
                      ExkToken   *token)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_KEY_LIST (key_list), NULL);
  g_return_val_if_fail (EXK_IS_TOKEN (token), NULL);

  return g_object_new (EXK_TYPE_NOTES_DIALOG,
                       "transient-for", parent,
                       "key-list", key_list,
                       "token", token,
                       NULL);
}

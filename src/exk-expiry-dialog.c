// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-expiry-dialog.h"
#include "exk-expiry-row.h"

/* The keys of the window's expiry banner, soonest first (ExkExpiryRow):
 * the key's prefix, its project and its expiry, and a button that opens it
 * in its project. */

struct _ExkExpiryDialog
{
  AdwWindow           parent_instance;

  ExkExpiryReminders *reminders;

  GtkStack           *stack;
  GtkListBox         *list_box;
};

G_DEFINE_FINAL_TYPE (ExkExpiryDialog, exk_expiry_dialog, ADW_TYPE_WINDOW)

enum {
  OPEN_KEY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
exk_expiry_dialog_update_page (ExkExpiryDialog *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->reminders)) == 0;

  gtk_stack_set_visible_child_name (self->stack, empty ? "empty" : "list");
}

/* Open, from a row: the key is looked up by its fingerprint. */
static void
exk_expiry_dialog_open (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ExkExpiryDialog *self = EXK_EXPIRY_DIALOG (widget);
  ExkExpiryReminder *reminder;

  reminder = exk_expiry_reminders_find (self->reminders, g_variant_get_string (parameter, NULL));
  if (reminder != NULL)
    g_signal_emit (self, signals[OPEN_KEY], 0, reminder);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  ExkExpiryDialog *self = user_data;
  g_autoptr(GDateTime) now = exk_expiry_reminders_dup_now (self->reminders);

  return exk_expiry_row_new (EXK_EXPIRY_REMINDER (item), now);
}

static void
exk_expiry_dialog_dispose (GObject *object)
{
  ExkExpiryDialog *self = EXK_EXPIRY_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_EXPIRY_DIALOG);
  g_clear_object (&self->reminders);

  G_OBJECT_CLASS (exk_expiry_dialog_parent_class)->dispose (object);
}

static void
exk_expiry_dialog_class_init (ExkExpiryDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_expiry_dialog_dispose;

  /**
   * ExkExpiryDialog::open-key:
   * @reminder: the key to show
   *
   * Open was chosen for @reminder's key.
   */
  signals[OPEN_KEY] =
    g_signal_new ("open-key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, EXK_TYPE_EXPIRY_REMINDER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-expiry-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkExpiryDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkExpiryDialog, list_box);

  gtk_widget_class_install_action (widget_class, "expiry.open", "s", exk_expiry_dialog_open);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
exk_expiry_dialog_init (ExkExpiryDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ExkExpiryDialog *
exk_expiry_dialog_new (GtkWindow          *parent,
                       ExkExpiryReminders *reminders)
{
  ExkExpiryDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (reminders), NULL);

  self = g_object_new (EXK_TYPE_EXPIRY_DIALOG, "transient-for", parent, NULL);
  self->reminders = g_object_ref (reminders);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (reminders), create_row, self, NULL);
  g_signal_connect_object (reminders, "items-changed",
                           G_CALLBACK (exk_expiry_dialog_update_page), self, G_CONNECT_SWAPPED);
  exk_expiry_dialog_update_page (self);

  return self;
}

ExkExpiryReminders *
exk_expiry_dialog_get_reminders (ExkExpiryDialog *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_DIALOG (self), NULL);

  return self->reminders;
}

GtkListBox *
exk_expiry_dialog_get_list_box (ExkExpiryDialog *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_DIALOG (self), NULL);

  return self->list_box;
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-expiry-row.h"
#include "exk-format.h"

/* A key of the expiry list: its prefix and project, its expiry, and Open
 * (the “expiry.open” action with the key's fingerprint, never the key). */

struct _ExkExpiryRow
{
  AdwActionRow       parent_instance;

  ExkExpiryReminder *reminder;

  GtkWidget         *open_button;
};

G_DEFINE_FINAL_TYPE (ExkExpiryRow, exk_expiry_row, ADW_TYPE_ACTION_ROW)

static void
exk_expiry_row_dispose (GObject *object)
{
  ExkExpiryRow *self = EXK_EXPIRY_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_EXPIRY_ROW);
  g_clear_object (&self->reminder);

  G_OBJECT_CLASS (exk_expiry_row_parent_class)->dispose (object);
}

static void
exk_expiry_row_class_init (ExkExpiryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_expiry_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-expiry-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkExpiryRow, open_button);
}

static void
exk_expiry_row_init (ExkExpiryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
exk_expiry_row_new (ExkExpiryReminder *reminder,
                    GDateTime         *now)
{
  ExkExpiryRow *self;
  const char *project;
  g_autofree char *prefix = NULL;
  g_autofree char *title = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *tooltip = NULL;

  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDER (reminder), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  self = g_object_new (EXK_TYPE_EXPIRY_ROW, NULL);
  self->reminder = g_object_ref (reminder);

  project = exk_project_get_name (exk_expiry_reminder_get_project (reminder));
  prefix = exk_expiry_reminder_dup_key_prefix (reminder);
  /* Translators: the start of an API key (“mUf7KS…”), then its project's name. */
  title = g_strdup_printf (_("%1$s in %2$s"), prefix, project);
  expiry = exk_format_expiry (exk_expiry_reminder_get_expires (reminder), now);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), expiry);

  /* Translators: a button's tooltip; %1$s is the start of an API key, %2$s a project. */
  tooltip = g_strdup_printf (_("Show %1$s in %2$s"), prefix, project);
  gtk_widget_set_tooltip_text (self->open_button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->open_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->open_button), "s",
                                    exk_expiry_reminder_get_fingerprint (reminder));

  return GTK_WIDGET (self);
}

ExkExpiryReminder *
exk_expiry_row_get_reminder (ExkExpiryRow *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_ROW (self), NULL);

  return self->reminder;
}

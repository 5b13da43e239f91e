// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-project-settings.h"
#include "exk-toast.h"

/* A project's settings, the third view of its page: its name, and deleting
 * it.
 *
 * A rename is a PATCH with the name only; a name another project of the
 * organization has shows where it is typed. Deleting asks first, saying what
 * goes with the project (its keys; events stop being accepted), and takes the
 * project's name typed as the answer. Either change then has the window ask
 * the server for the projects again (`win.reload-projects`): the sidebar, its
 * cache and its search follow in place. */
struct _ExkProjectSettings
{
  AdwBin        parent_instance;

  ExkKeyList   *key_list;
  GCancellable *cancellable;
  gboolean      renaming;
  gboolean      deleting;

  AdwEntryRow  *name_row;
  AdwActionRow *organization_row;
  GtkRevealer  *name_error_revealer;
  GtkLabel     *name_error_label;
  GtkWidget    *delete_button;
};

G_DEFINE_FINAL_TYPE (ExkProjectSettings, exk_project_settings, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static ExkProject *
exk_project_settings_get_project (ExkProjectSettings *self)
{
  return self->key_list != NULL ? exk_key_list_get_project (self->key_list) : NULL;
}

static void
exk_project_settings_update (ExkProjectSettings *self)
{
  gboolean has_project = exk_project_settings_get_project (self) != NULL;
  gboolean busy = self->renaming || self->deleting;

  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), has_project && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.delete", has_project && !busy);
}

static void
exk_project_settings_set_busy (ExkProjectSettings *self,
                               gboolean           *flag,
                               gboolean            busy)
{
  *flag = busy;
  exk_project_settings_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
exk_project_settings_show_name_error (ExkProjectSettings *self,
                                      const char         *text)
{
  if (text != NULL)
    {
      gtk_label_set_text (self->name_error_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
    }
  gtk_revealer_set_reveal_child (self->name_error_revealer, text != NULL);
}

static void
exk_project_settings_add_toast (ExkProjectSettings *self,
                                const char         *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 5);
  exk_toast_show (GTK_WIDGET (self), toast);
}

static void
on_renamed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ExkProjectSettings *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkProject) project = NULL;

  project = exk_client_rename_project_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_SETTINGS (user_data);
  exk_project_settings_set_busy (self, &self->renaming, FALSE);

  if (project == NULL)
    {
      ExkProject *shown = exk_project_settings_get_project (self);

      if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION))
        {
          /* Translators: %s is why, in the server's words (a whole sentence). */
          g_autofree char *text = g_strdup_printf (_("The project was not renamed. %s"),
                                                   error->message);

          exk_project_settings_show_name_error (self, text);
        }
      else
        {
          /* Translators: the first %s is a project's name, the second why (a whole sentence). */
          g_autofree char *text = g_strdup_printf (_("Could not rename “%s”. %s"),
                                                   shown != NULL ? exk_project_get_name (shown)
                                                                 : "", error->message);

          exk_project_settings_show_name_error (self, text);
        }
      return;
    }

  exk_project_settings_add_toast (self, _("Project renamed"));
  gtk_widget_activate_action (GTK_WIDGET (self), "win.reload-projects", "s",
                              exk_project_get_id (project));
}

static void
on_name_apply (ExkProjectSettings *self)
{
  ExkProject *project = exk_project_settings_get_project (self);
  g_autofree char *name = NULL;

  if (project == NULL || self->renaming || self->deleting)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  if (name[0] == '\0')
    {
      exk_project_settings_show_name_error (self, _("A project needs a name."));
      return;
    }
  if (g_str_equal (name, exk_project_get_name (project)))
    return;

  exk_project_settings_show_name_error (self, NULL);
  exk_project_settings_set_busy (self, &self->renaming, TRUE);
  exk_client_rename_project_async (exk_key_list_get_client (self->key_list),
                                   exk_project_get_id (project), name, self->cancellable,
                                   on_renamed, self);
}

static void
on_name_changed (ExkProjectSettings *self)
{
  exk_project_settings_show_name_error (self, NULL);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ExkProjectSettings *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autofree char *name = NULL;

  deleted = exk_client_delete_projects_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_SETTINGS (user_data);
  exk_project_settings_set_busy (self, &self->deleting, FALSE);
  name = g_strdup (exk_project_get_name (exk_project_settings_get_project (self)));

  if (deleted == NULL || !exk_delete_result_is_complete (deleted))
    {
      /* Translators: the first %s is a project's name, the second why (a whole sentence). */
      g_autofree char *text = g_strdup_printf (_("Could not delete “%s”. %s"), name,
                                               error != NULL ? error->message : "");

      exk_project_settings_add_toast (self, text);
      return;
    }

  {
    /* Translators: %s is a project's name. */
    g_autofree char *text = g_strdup_printf (_("“%s” deleted"), name);

    exk_project_settings_add_toast (self, text);
  }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.reload-projects", "s", "");
}

static void
on_delete_response (AdwMessageDialog   *dialog,
                    const char         *response,
                    ExkProjectSettings *self)
{
  ExkProject *project = exk_project_settings_get_project (self);
  const char *ids[] = { NULL, NULL };

  if (!g_str_equal (response, "delete") || project == NULL || self->deleting)
    return;

  ids[0] = exk_project_get_id (project);
  exk_project_settings_set_busy (self, &self->deleting, TRUE);
  exk_client_delete_projects_async (exk_key_list_get_client (self->key_list), ids,
                                    self->cancellable, on_deleted, self);
}

/* The answer is the project's name, typed. */
static void
on_confirm_changed (GtkEditable      *entry,
                    AdwMessageDialog *dialog)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "exk-project-name");
  g_autofree char *typed = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "delete", g_strcmp0 (typed, name) == 0);
}

static void
exk_project_settings_delete (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ExkProjectSettings *self = EXK_PROJECT_SETTINGS (widget);
  ExkProject *project = exk_project_settings_get_project (self);
  AdwMessageDialog *dialog;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *entry;
  g_autofree char *prompt = NULL;

  if (project == NULL || self->deleting)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       NULL, NULL));
  /* Translators: %s is a project's name. */
  adw_message_dialog_format_heading (dialog, _("Delete “%s”?"), exk_project_get_name (project));

  if (exk_key_list_get_loaded (self->key_list)
      && g_list_model_get_n_items (G_LIST_MODEL (self->key_list)) == 0)
    {
      adw_message_dialog_set_body (dialog, _("This deletes the project, which has no API keys; "
                                             "events stop being accepted."));
    }
  else if (exk_key_list_get_loaded (self->key_list))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->key_list));

      adw_message_dialog_format_body (dialog,
                                      ngettext ("This deletes the project and its %u API key; "
                                                "events stop being accepted.",
                                                "This deletes the project and all its %u API "
                                                "keys; events stop being accepted.", n), n);
    }
  else
    {
      adw_message_dialog_set_body (dialog, _("This deletes the project and all its API keys; "
                                             "events stop being accepted."));
    }

  /* Translators: %s is a project's name. */
  prompt = g_strdup_printf (_("Type “%s” to confirm."), exk_project_get_name (project));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new (prompt);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  entry = gtk_entry_new ();
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  gtk_widget_set_name (entry, "confirm-entry");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (dialog, box);

  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  adw_message_dialog_add_response (dialog, "delete", _("_Delete Project"));
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "delete", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "exk-project-name",
                          g_strdup (exk_project_get_name (project)), g_free);
  g_signal_connect (entry, "changed", G_CALLBACK (on_confirm_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
exk_project_settings_dispose (GObject *object)
{
  ExkProjectSettings *self = EXK_PROJECT_SETTINGS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_PROJECT_SETTINGS);

  G_OBJECT_CLASS (exk_project_settings_parent_class)->dispose (object);
}

static void
exk_project_settings_finalize (GObject *object)
{
  ExkProjectSettings *self = EXK_PROJECT_SETTINGS (object);

  g_clear_object (&self->key_list);

  G_OBJECT_CLASS (exk_project_settings_parent_class)->finalize (object);
}

static void
exk_project_settings_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ExkProjectSettings *self = EXK_PROJECT_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->renaming || self->deleting);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_settings_class_init (ExkProjectSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_project_settings_dispose;
  object_class->finalize = exk_project_settings_finalize;
  object_class->get_property = exk_project_settings_get_property;

  /**
   * ExkProjectSettings:busy:
   *
   * A rename or a delete is on its way to the server.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "settings.delete", NULL,
                                   exk_project_settings_delete);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-project-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSettings, name_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSettings, organization_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSettings, name_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSettings, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSettings, delete_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
}

static void
exk_project_settings_init (ExkProjectSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  exk_project_settings_update (self);
}

GtkWidget *
exk_project_settings_new (void)
{
  return g_object_new (EXK_TYPE_PROJECT_SETTINGS, NULL);
}

/**
 * exk_project_settings_set_key_list:
 * @key_list: (nullable): the project's keys, with its client and project
 *
 * Shows the settings of @key_list's project; a change on its way for the
 * project shown before is forgotten.
 */
void
exk_project_settings_set_key_list (ExkProjectSettings *self,
                                   ExkKeyList         *key_list)
{
  ExkProject *project;

  g_return_if_fail (EXK_IS_PROJECT_SETTINGS (self));
  g_return_if_fail (key_list == NULL || EXK_IS_KEY_LIST (key_list));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->renaming = FALSE;
  self->deleting = FALSE;
  g_set_object (&self->key_list, key_list);

  project = exk_project_settings_get_project (self);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         project != NULL ? exk_project_get_name (project) : "");
  adw_action_row_set_subtitle (self->organization_row,
                               project != NULL && exk_project_get_organization_name (project)
                               ? exk_project_get_organization_name (project) : "");
  exk_project_settings_show_name_error (self, NULL);
  exk_project_settings_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

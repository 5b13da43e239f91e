// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-clipboard.h"
#include "exk-format.h"
#include "exk-new-project-dialog.h"
#include "exk-project-overview.h"

/* From a new application to a working key: creates a project, then its first
 * client key, and shows the key with the setup snippet for the platform
 * chosen.
 *
 * The name is checked as it is typed (check-name, a moment after the last
 * key, the check before cancelled), so that a taken name shows before
 * Create. The two requests are two steps the user sees: a project made
 * without its key says so, and offers to make the key again; while either
 * runs the dialog stays open, so that nothing the server did goes unsaid. */
struct _ExkNewProjectDialog
{
  AdwWindow         parent_instance;

  ExkClient        *client;
  ExkHistory       *history;
  char             *organization_id;   /* the one to choose once they are listed */
  GPtrArray        *organizations;     /* ExkOrganization, parallel to the combo row */
  GCancellable     *cancellable;       /* organizations, create */
  GCancellable     *check_cancellable;
  guint             check_id;
  gboolean          checking;
  gboolean          name_taken;
  gboolean          busy;
  ExkProject       *project;
  ExkToken         *key;
  char             *notes;             /* the first key's, as sent */

  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkWidget        *cancel_button;
  GtkWidget        *create_button;
  GtkWidget        *done_button;
  GtkSpinner       *spinner;
  GtkStack         *stack;
  AdwEntryRow      *name_row;
  AdwComboRow      *organization_row;
  GtkStringList    *organization_names;
  GtkRevealer      *name_error_revealer;
  GtkLabel         *name_error_label;
  GtkRevealer      *error_revealer;
  GtkLabel         *error_label;
  GtkLinkButton    *billing_button;
  AdwEntryRow      *notes_row;
  AdwComboRow      *platform_row;
  GtkLabel         *created_label;
  AdwActionRow     *key_row;
  GtkWidget        *copy_button;
  AdwPreferencesGroup *snippet_group;
  GtkLabel         *snippet_label;
  AdwStatusPage    *key_failed_page;
  GtkWidget        *retry_button;
};

G_DEFINE_FINAL_TYPE (ExkNewProjectDialog, exk_new_project_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PROJECT,
  PROP_KEY,
  PROP_NAME_TAKEN,
  PROP_CHECKING,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROJECT_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Quiet time after a keystroke before the name is checked. */
#define CHECK_DELAY_MS 300

/* The platforms of the Setup For row, in its order, by the Overview's names. */
static const char * const platforms[] = { "dotnet", "javascript", "curl" };

static const char * const client_scopes[] = { "client", NULL };

static char *
exk_new_project_dialog_dup_name (ExkNewProjectDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static ExkOrganization *
exk_new_project_dialog_get_organization (ExkNewProjectDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->organization_row);

  if (self->organizations == NULL || selected >= self->organizations->len)
    return NULL;
  return g_ptr_array_index (self->organizations, selected);
}

static void
exk_new_project_dialog_set_busy (ExkNewProjectDialog *self,
                                 gboolean             busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->cancel_button, !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->organization_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->notes_row), !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
exk_new_project_dialog_update_actions (ExkNewProjectDialog *self)
{
  g_autofree char *name = exk_new_project_dialog_dup_name (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-project.create",
                                 !self->busy && self->project == NULL && !self->name_taken
                                 && name[0] != '\0'
                                 && exk_new_project_dialog_get_organization (self) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-project.retry-key",
                                 !self->busy && self->project != NULL && self->key == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-project.copy-key", self->key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-project.copy-snippet",
                                 self->key != NULL);
}

static void
exk_new_project_dialog_set_name_taken (ExkNewProjectDialog *self,
                                       gboolean             taken)
{
  if (taken)
    {
      ExkOrganization *organization = exk_new_project_dialog_get_organization (self);
      /* Translators: %s is an organization's name. */
      g_autofree char *text = g_strdup_printf (_("A project with this name already exists in %s"),
                                               exk_organization_get_name (organization));

      gtk_label_set_text (self->name_error_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");
    }
  gtk_revealer_set_reveal_child (self->name_error_revealer, taken);

  if (self->name_taken != taken)
    {
      self->name_taken = taken;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME_TAKEN]);
    }
  exk_new_project_dialog_update_actions (self);
}

static void
exk_new_project_dialog_set_checking (ExkNewProjectDialog *self,
                                     gboolean             checking)
{
  if (self->checking == checking)
    return;

  self->checking = checking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKING]);
}

static void
exk_new_project_dialog_show_error (ExkNewProjectDialog *self,
                                   const char          *text,
                                   const char          *billing_url)
{
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->billing_button), billing_url != NULL);
  if (billing_url != NULL)
    gtk_link_button_set_uri (self->billing_button, billing_url);
  gtk_revealer_set_reveal_child (self->error_revealer, text != NULL);
}

static const char *
exk_new_project_dialog_get_platform (ExkNewProjectDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->platform_row);

  return platforms[MIN (selected, G_N_ELEMENTS (platforms) - 1)];
}

/* The key and its snippet show masked; Copy copies the key itself. */
static void
exk_new_project_dialog_fill_key (ExkNewProjectDialog *self)
{
  g_autofree char *masked = NULL;
  g_autofree char *snippet = NULL;
  const char *platform_name;

  if (self->key == NULL)
    return;

  masked = exk_format_masked_key (exk_token_get_id (self->key));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->key_row), masked);
  adw_action_row_set_subtitle (self->key_row, self->notes != NULL ? self->notes : "");

  snippet = exk_project_overview_dup_snippet (exk_new_project_dialog_get_platform (self), masked,
                                              exk_client_get_base_url (self->client));
  gtk_label_set_text (self->snippet_label, snippet);
  platform_name = gtk_string_list_get_string (
                    GTK_STRING_LIST (adw_combo_row_get_model (self->platform_row)),
                    adw_combo_row_get_selected (self->platform_row));
  adw_preferences_group_set_title (self->snippet_group, platform_name);
}

static void
exk_new_project_dialog_show_created (ExkNewProjectDialog *self)
{
  /* Translators: the first %s is a project's name, the second its organization's. */
  g_autofree char *description =
    g_strdup_printf (_("“%s” in %s is ready to receive events with this key."),
                     exk_project_get_name (self->project),
                     exk_project_get_organization_name (self->project));

  gtk_label_set_text (self->created_label, description);
  exk_new_project_dialog_fill_key (self);
  gtk_stack_set_visible_child_name (self->stack, "created");
  gtk_widget_set_visible (self->create_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->done_button, TRUE);
  adw_window_title_set_title (self->window_title, exk_project_get_name (self->project));
  gtk_window_set_default_widget (GTK_WINDOW (self), self->done_button);
}

static void
exk_new_project_dialog_show_key_failed (ExkNewProjectDialog *self,
                                        const GError        *error)
{
  /* Translators: the first %s is a project's name, the second its organization's,
   * the third why (a whole sentence). */
  g_autofree char *description =
    g_strdup_printf (_("The project “%s” was created in %s, but its first API key could not "
                       "be created. %s"),
                     exk_project_get_name (self->project),
                     exk_project_get_organization_name (self->project), error->message);

  adw_status_page_set_description (self->key_failed_page, description);
  gtk_stack_set_visible_child_name (self->stack, "key-failed");
  gtk_widget_set_visible (self->create_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->done_button, TRUE);
  gtk_button_set_label (GTK_BUTTON (self->done_button), _("_Close"));
  adw_window_title_set_title (self->window_title, exk_project_get_name (self->project));
}

static void
on_key_created (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExkNewProjectDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkToken) key = NULL;

  key = exk_client_create_token_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_NEW_PROJECT_DIALOG (user_data);
  exk_new_project_dialog_set_busy (self, FALSE);

  if (key == NULL)
    {
      exk_new_project_dialog_show_key_failed (self, error);
      exk_new_project_dialog_update_actions (self);
      return;
    }

  self->key = g_steal_pointer (&key);
  if (self->history != NULL)
    exk_history_record (self->history, EXK_HISTORY_ACTION_CREATED,
                        exk_project_get_id (self->project), exk_project_get_name (self->project),
                        exk_token_get_id (self->key), NULL, exk_token_get_notes (self->key));

  exk_new_project_dialog_show_created (self);
  exk_new_project_dialog_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY]);
}

static void
exk_new_project_dialog_create_key (ExkNewProjectDialog *self)
{
  exk_new_project_dialog_set_busy (self, TRUE);
  exk_new_project_dialog_update_actions (self);
  exk_client_create_token_async (self->client, exk_project_get_id (self->project), client_scopes,
                                 self->notes, NULL, self->cancellable, on_key_created, self);
}

static void
on_project_created (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ExkNewProjectDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkProject) project = NULL;

  project = exk_client_create_project_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_NEW_PROJECT_DIALOG (user_data);

  if (project == NULL)
    {
      ExkOrganization *organization = exk_new_project_dialog_get_organization (self);
      g_autofree char *text = NULL;
      g_autofree char *billing_url = NULL;

      exk_new_project_dialog_set_busy (self, FALSE);

      if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_PLAN_LIMIT))
        {
          /* Translators: the first %s is an organization's name, the second the
           * server's own words (a whole sentence). */
          text = g_strdup_printf (_("The plan of %s allows no more projects. The server says: %s"),
                                  exk_organization_get_name (organization), error->message);
          billing_url = exk_new_project_dup_billing_url (exk_client_get_base_url (self->client),
                                                         exk_organization_get_id (organization));
        }
      else
        {
          /* Translators: %s is why, a whole sentence. */
          text = g_strdup_printf (_("The project could not be created. %s"), error->message);
        }

      exk_new_project_dialog_show_error (self, text, billing_url);
      exk_new_project_dialog_update_actions (self);
      return;
    }

  self->project = g_steal_pointer (&project);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  g_signal_emit (self, signals[PROJECT_CREATED], 0, self->project);

  /* Still busy: the key comes next. */
  exk_new_project_dialog_create_key (self);
}

static void
exk_new_project_dialog_create (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (widget);
  ExkOrganization *organization = exk_new_project_dialog_get_organization (self);
  g_autofree char *name = exk_new_project_dialog_dup_name (self);
  g_autofree char *notes = NULL;

  if (self->busy || self->project != NULL || organization == NULL || name[0] == '\0')
    return;

  /* The answer to Create says more than a check still on its way. */
  g_clear_handle_id (&self->check_id, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  exk_new_project_dialog_set_checking (self, FALSE);

  notes = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notes_row))));
  g_free (self->notes);
  self->notes = notes[0] != '\0' ? g_steal_pointer (&notes) : NULL;

  exk_new_project_dialog_show_error (self, NULL, NULL);
  exk_new_project_dialog_set_busy (self, TRUE);
  exk_new_project_dialog_update_actions (self);
  exk_client_create_project_async (self->client, exk_organization_get_id (organization), name,
                                   self->cancellable, on_project_created, self);
}

static void
exk_new_project_dialog_retry_key (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (widget);

  if (self->busy || self->project == NULL || self->key != NULL)
    return;

  exk_new_project_dialog_create_key (self);
}

static void
exk_new_project_dialog_copy_key (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (widget);

  if (self->key == NULL)
    return;

  exk_clipboard_copy_secret (widget, exk_token_get_id (self->key));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Key copied")));
}

static void
exk_new_project_dialog_copy_snippet (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (widget);
  g_autofree char *snippet = NULL;

  if (self->key == NULL)
    return;

  /* The snippet holds the key: copied as a secret, like the key itself. */
  snippet = exk_project_overview_dup_snippet (exk_new_project_dialog_get_platform (self),
                                              exk_token_get_id (self->key),
                                              exk_client_get_base_url (self->client));
  exk_clipboard_copy_secret (widget, snippet);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Copied with the full key")));
}

static void
on_name_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExkNewProjectDialog *self;
  g_autoptr(GError) error = NULL;
  gboolean available = TRUE;

  if (!exk_client_check_project_name_finish (EXK_CLIENT (source), result, &available, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_NEW_PROJECT_DIALOG (user_data);
  g_clear_object (&self->check_cancellable);
  exk_new_project_dialog_set_checking (self, FALSE);

  /* A check that failed says nothing: Create will, with the server's words. */
  if (error != NULL)
    {
      g_debug ("Could not check the project name: %s", error->message);
      return;
    }

  exk_new_project_dialog_set_name_taken (self, !available);
}

static gboolean
on_check_timeout (gpointer user_data)
{
  ExkNewProjectDialog *self = user_data;
  ExkOrganization *organization = exk_new_project_dialog_get_organization (self);
  g_autofree char *name = exk_new_project_dialog_dup_name (self);

  self->check_id = 0;
  if (organization == NULL || name[0] == '\0')
    {
      exk_new_project_dialog_set_checking (self, FALSE);
      return G_SOURCE_REMOVE;
    }

  self->check_cancellable = g_cancellable_new ();
  exk_client_check_project_name_async (self->client, exk_organization_get_id (organization),
                                       name, self->check_cancellable, on_name_checked, self);
  return G_SOURCE_REMOVE;
}

/* Each keystroke cancels the check on its way and starts the wait again. */
static void
exk_new_project_dialog_schedule_check (ExkNewProjectDialog *self)
{
  g_autofree char *name = exk_new_project_dialog_dup_name (self);

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  exk_new_project_dialog_set_name_taken (self, FALSE);
  exk_new_project_dialog_show_error (self, NULL, NULL);

  if (name[0] == '\0' || self->project != NULL
      || exk_new_project_dialog_get_organization (self) == NULL)
    {
      exk_new_project_dialog_set_checking (self, FALSE);
      return;
    }

  exk_new_project_dialog_set_checking (self, TRUE);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, on_check_timeout, self);
}

static void
on_name_changed (ExkNewProjectDialog *self)
{
  exk_new_project_dialog_schedule_check (self);
}

static void
on_organization_changed (ExkNewProjectDialog *self)
{
  exk_new_project_dialog_schedule_check (self);
}

static void
on_platform_changed (ExkNewProjectDialog *self)
{
  exk_new_project_dialog_fill_key (self);
}

static int
compare_organizations (gconstpointer a,
                       gconstpointer b)
{
  ExkOrganization *x = *(ExkOrganization * const *) a;
  ExkOrganization *y = *(ExkOrganization * const *) b;

  return g_utf8_collate (exk_organization_get_name (x), exk_organization_get_name (y));
}

static void
on_organizations_loaded (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  ExkNewProjectDialog *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) organizations = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint selected = 0;

  organizations = exk_client_list_organizations_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_NEW_PROJECT_DIALOG (user_data);

  if (organizations == NULL)
    {
      /* Translators: %s is why, a whole sentence. */
      g_autofree char *text = g_strdup_printf (_("The organizations could not be listed. %s"),
                                               error->message);

      exk_new_project_dialog_show_error (self, text, NULL);
      return;
    }

  g_ptr_array_sort (organizations, compare_organizations);
  for (guint i = 0; i < organizations->len; i++)
    {
      ExkOrganization *organization = g_ptr_array_index (organizations, i);

      if (g_strcmp0 (exk_organization_get_id (organization), self->organization_id) == 0)
        selected = i;
      g_ptr_array_add (names, (gpointer) exk_organization_get_name (organization));
    }
  g_ptr_array_add (names, NULL);

  self->organizations = g_steal_pointer (&organizations);
  gtk_string_list_splice (self->organization_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->organization_names)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (self->organization_row, selected);
  exk_new_project_dialog_schedule_check (self);
}

static gboolean
exk_new_project_dialog_close_request (GtkWindow *window)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (window);

  /* The server is making the project or its key: what it did is shown first. */
  if (self->busy)
    return TRUE;

  return GTK_WINDOW_CLASS (exk_new_project_dialog_parent_class)->close_request (window);
}

static void
exk_new_project_dialog_dispose (GObject *object)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (object);

  g_clear_handle_id (&self->check_id, g_source_remove);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_NEW_PROJECT_DIALOG);

  G_OBJECT_CLASS (exk_new_project_dialog_parent_class)->dispose (object);
}

static void
exk_new_project_dialog_finalize (GObject *object)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (object);

  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->project);
  g_clear_object (&self->key);
  g_clear_pointer (&self->organizations, g_ptr_array_unref);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (exk_new_project_dialog_parent_class)->finalize (object);
}

static void
exk_new_project_dialog_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_KEY:
      g_value_set_object (value, self->key);
      break;
    case PROP_NAME_TAKEN:
      g_value_set_boolean (value, self->name_taken);
      break;
    case PROP_CHECKING:
      g_value_set_boolean (value, self->checking);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_new_project_dialog_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ExkNewProjectDialog *self = EXK_NEW_PROJECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_new_project_dialog_class_init (ExkNewProjectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = exk_new_project_dialog_dispose;
  object_class->finalize = exk_new_project_dialog_finalize;
  object_class->get_property = exk_new_project_dialog_get_property;
  object_class->set_property = exk_new_project_dialog_set_property;
  window_class->close_request = exk_new_project_dialog_close_request;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] =
    g_param_spec_object ("key", NULL, NULL, EXK_TYPE_TOKEN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkNewProjectDialog:name-taken:
   *
   * The server said that a project of the chosen organization has the name typed.
   */
  properties[PROP_NAME_TAKEN] =
    g_param_spec_boolean ("name-taken", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkNewProjectDialog:checking:
   *
   * The name typed is about to be checked, or being checked.
   */
  properties[PROP_CHECKING] =
    g_param_spec_boolean ("checking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkNewProjectDialog::project-created:
   * @project: the new project
   *
   * The server made the project; its key comes next.
   */
  signals[PROJECT_CREATED] =
    g_signal_new ("project-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EXK_TYPE_PROJECT);

  gtk_widget_class_install_action (widget_class, "new-project.create", NULL,
                                   exk_new_project_dialog_create);
  gtk_widget_class_install_action (widget_class, "new-project.retry-key", NULL,
                                   exk_new_project_dialog_retry_key);
  gtk_widget_class_install_action (widget_class, "new-project.copy-key", NULL,
                                   exk_new_project_dialog_copy_key);
  gtk_widget_class_install_action (widget_class, "new-project.copy-snippet", NULL,
                                   exk_new_project_dialog_copy_snippet);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-new-project-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, organization_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, organization_names);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, name_error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, name_error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, billing_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, platform_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, created_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, snippet_group);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, key_failed_page);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewProjectDialog, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_platform_changed);
}

static void
exk_new_project_dialog_init (ExkNewProjectDialog *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  exk_new_project_dialog_update_actions (self);
}

/**
 * exk_new_project_dialog_new:
 * @parent: the window it belongs to
 * @client: the account's client
 * @organization_id: (nullable): the organization to choose first; %NULL for the first
 * @history: (nullable): where the new key is recorded
 */
ExkNewProjectDialog *
exk_new_project_dialog_new (GtkWindow  *parent,
                            ExkClient  *client,
                            const char *organization_id,
                            ExkHistory *history)
{
  ExkNewProjectDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_CLIENT (client), NULL);

  self = g_object_new (EXK_TYPE_NEW_PROJECT_DIALOG,
                       "client", client,
                       "transient-for", parent,
                       NULL);
  self->organization_id = g_strdup (organization_id);
  g_set_object (&self->history, history);
  exk_client_list_organizations_async (client, self->cancellable, on_organizations_loaded, self);

  return self;
}

ExkProject *
exk_new_project_dialog_get_project (ExkNewProjectDialog *self)
{
  g_return_val_if_fail (EXK_IS_NEW_PROJECT_DIALOG (self), NULL);

  return self->project;
}

ExkToken *
exk_new_project_dialog_get_key (ExkNewProjectDialog *self)
{
  g_return_val_if_fail (EXK_IS_NEW_PROJECT_DIALOG (self), NULL);

  return self->key;
}

/**
 * exk_new_project_dup_billing_url:
 * @base_url: the server's address (the API's, without `/api/v2`)
 * @organization_id: the organization
 *
 * The organization's billing page in the server's web app. The hosted API
 * lives on api.exceptionless.io and its web app on be.exceptionless.io; a
 * self-hosted server serves both from one origin. The path is the web app's
 * (`/next/organization/{id}/billing`).
 *
 * Returns: (transfer full): the address
 */
char *
exk_new_project_dup_billing_url (const char *base_url,
                                 const char *organization_id)
{
  g_autofree char *escaped = NULL;
  const char *web = base_url;
  gsize len;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (organization_id != NULL, NULL);

  if (g_str_has_prefix (base_url, EXK_HOSTED_BASE_URL))
    web = "https://be.exceptionless.io";

  escaped = g_uri_escape_string (organization_id, NULL, FALSE);
  len = strlen (web);
  return g_strdup_printf ("%.*s/next/organization/%s/billing",
                          (int) (len > 0 && web[len - 1] == '/' ? len - 1 : len), web, escaped);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-clipboard.h"
#include "exk-format.h"
#include "exk-new-key-dialog.h"
#include "exk-project-page.h"

/* Creates an API key for a project, or a replacement for an existing key
 * ("rotation"), and then shows the new key once so that it can be copied.
 *
 * Exceptionless keys cannot be edited, so a rotation is a new key with the old
 * key's scopes, notes and expiry. The key list remembers which key replaces
 * which; what happens to the old key is the caller's business, told through
 * ::rotation-decided. Keys are made through the key list, so closing the
 * dialog while the server works does not lose the key: it is listed all the
 * same.
 *
 * An expiry is a last day: the key works until the end of that day in the
 * local time zone, and expires at the local midnight that starts the next day;
 * exk_format_expiry() says so in the same words before and after the key is
 * made. The presets count from today; the server accepts dates in the past
 * (the key then fails at once), so the dialog refuses a chosen day that is not
 * after today. */
struct _ExkNewKeyDialog
{
  AdwWindow            parent_instance;

  ExkKeyList          *key_list;
  ExkToken            *old_key;
  ExkToken            *new_key;
  gboolean             busy;
  gboolean             decided;
  gboolean             closed;

  AdwToastOverlay     *toast_overlay;
  AdwWindowTitle      *window_title;
  GtkWidget           *cancel_button;
  GtkWidget           *create_button;
  GtkWidget           *done_button;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *stack;

  GtkWidget           *form_box;
  GtkCheckButton      *client_check;
  GtkCheckButton      *source_maps_check;
  GtkCheckButton      *user_check;
  AdwExpanderRow      *advanced_row;
  AdwPreferencesGroup *details_group;
  AdwEntryRow         *notes_row;
  AdwComboRow         *expires_row;
  GtkListItemFactory  *expiry_value_factory;
  GtkMenuButton       *day_button;
  GtkCalendar         *calendar;

  GtkWidget           *rotate_box;
  AdwActionRow        *old_key_row;
  AdwActionRow        *old_notes_row;
  AdwActionRow        *old_scopes_row;
  AdwActionRow        *old_expires_row;

  AdwStatusPage       *created_page;
  GtkLabel            *key_label;
  GtkWidget           *copy_button;
  GtkWidget           *snippets_button;
  AdwActionRow        *scopes_row;
  AdwActionRow        *notes_info_row;
  AdwActionRow        *expires_info_row;
  GtkWidget           *disable_old_button;
};

G_DEFINE_FINAL_TYPE (ExkNewKeyDialog, exk_new_key_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_KEY_LIST,
  PROP_OLD_KEY,
  PROP_NEW_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROTATION_DECIDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The items of the Expires row, in their order in the template. */
typedef enum
{
  EXPIRY_NEVER,
  EXPIRY_30_DAYS,
  EXPIRY_90_DAYS,
  EXPIRY_1_YEAR,
  EXPIRY_CHOSEN_DAY,
} Expiry;

/* The day the calendar offers before any other is chosen. */
#define DEFAULT_EXPIRY_DAYS 90

/* The scopes of each kind of key the form offers (see §2.3 of the API notes). */
static const char * const client_scopes[] = { "client", NULL };
static const char * const source_map_scopes[] = { "source-maps:write", NULL };
static const char * const user_scopes[] = { "user", NULL };

static gboolean
is_rotation (ExkNewKeyDialog *self)
{
  return self->old_key != NULL;
}

static GDateTime *
local_day_start (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  return g_date_time_new_local (g_date_time_get_year (local),
                                g_date_time_get_month (local),
                                g_date_time_get_day_of_month (local),
                                0, 0, 0);
}

static GDateTime *
dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return local_day_start (now);
}

static Expiry
get_expiry (ExkNewKeyDialog *self)
{
  return (Expiry) adw_combo_row_get_selected (self->expires_row);
}

/* The start of the last day the key works on, or %NULL if it never expires. */
static GDateTime *
dup_last_day (ExkNewKeyDialog *self)
{
  g_autoptr(GDateTime) today = dup_today ();
  g_autoptr(GDateTime) chosen = NULL;

  switch (get_expiry (self))
    {
    case EXPIRY_30_DAYS:
      return g_date_time_add_days (today, 30);
    case EXPIRY_90_DAYS:
      return g_date_time_add_days (today, 90);
    case EXPIRY_1_YEAR:
      return g_date_time_add_years (today, 1);
    case EXPIRY_CHOSEN_DAY:
      chosen = gtk_calendar_get_date (self->calendar);
      return local_day_start (chosen);
    case EXPIRY_NEVER:
    default:
      return NULL;
    }
}

/* The first moment at which the key no longer works, or %NULL if never. */
static GDateTime *
dup_chosen_expiry (ExkNewKeyDialog *self)
{
  g_autoptr(GDateTime) last_day = dup_last_day (self);
  g_autoptr(GDateTime) next_day = NULL;

  if (last_day == NULL)
    return NULL;

  /* Noon is a day's middle even where clocks change at midnight. */
  next_day = g_date_time_add_hours (last_day, 36);

  return local_day_start (next_day);
}

static gboolean
chosen_day_is_after_today (ExkNewKeyDialog *self)
{
  g_autoptr(GDateTime) last_day = dup_last_day (self);
  g_autoptr(GDateTime) today = dup_today ();

  /* The key must still work tomorrow. */
  return last_day == NULL || g_date_time_compare (last_day, today) > 0;
}

static char *
format_scopes (const char * const *scopes)
{
  /* A key without scopes works as a client key. */
  if (scopes == NULL || scopes[0] == NULL)
    return g_strdup ("client");

  return g_strjoinv (", ", (char **) scopes);
}

static char *
format_expiry (GDateTime *expires)
{
  g_autoptr(GDateTime) now = NULL;

  if (expires == NULL)
    return g_strdup (_("Never"));

  now = g_date_time_new_now_local ();

  return exk_format_expiry (expires, now);
}

static const char *
format_notes (const char *notes)
{
  return notes != NULL && notes[0] != '\0' ? notes : _("None");
}

static const char *
get_default_notes (void)
{
  /* Translators: the notes given to a new source map upload token when none were
   * typed, stored on the server; the Exceptionless web app uses the same words. */
  return _("Source map deployment");
}

static const char * const *
get_chosen_scopes (ExkNewKeyDialog *self)
{
  if (gtk_check_button_get_active (self->source_maps_check))
    return source_map_scopes;
  if (gtk_check_button_get_active (self->user_check))
    return user_scopes;

  return client_scopes;
}

/* GTK 4.8 names a button after its label twice, once with the mnemonic
 * underscore ("_Cancel Cancel"): from the label it is labelled by, and from
 * an accessible label it sets itself. Only the first is kept. */
static void
drop_button_accessible_label (GtkWidget *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
exk_new_key_dialog_show_error (ExkNewKeyDialog *self,
                               const char      *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
exk_new_key_dialog_hide_error (ExkNewKeyDialog *self)
{
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
}

static void
exk_new_key_dialog_update_actions (ExkNewKeyDialog *self)
{
  gboolean can_create = !self->busy && self->new_key == NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-key.create", can_create);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-key.copy", self->new_key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-key.show-snippets",
                                 self->new_key != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "new-key.decide",
                                 is_rotation (self) && self->new_key != NULL && !self->decided);
}

static void
exk_new_key_dialog_set_busy (ExkNewKeyDialog *self,
                             gboolean         busy)
{
  self->busy = busy;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (self->form_box, !busy);
  gtk_widget_set_sensitive (self->rotate_box, !busy);
  exk_new_key_dialog_update_actions (self);
}

/* The project page of the key list in @widget, if it shows one. */
static GtkWidget *
find_project_page_in (GtkWidget  *widget,
                      ExkKeyList *key_list)
{
  if (EXK_IS_PROJECT_PAGE (widget)
      && exk_project_page_get_key_list (EXK_PROJECT_PAGE (widget)) == key_list)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *page = find_project_page_in (child, key_list);

      if (page != NULL)
        return page;
    }

  return NULL;
}

/* The dialog is a window of its own, so the actions of the page that opened
 * it are not among its ancestors': the page is looked up in the parent window. */
static GtkWidget *
find_project_page (ExkNewKeyDialog *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (parent == NULL)
    return NULL;

  return find_project_page_in (GTK_WIDGET (parent), self->key_list);
}

static void
exk_new_key_dialog_show_created (ExkNewKeyDialog *self,
                                 ExkToken        *token)
{
  g_autofree char *scopes = format_scopes (exk_token_get_scopes (token));
  g_autofree char *expiry = format_expiry (exk_token_get_expires (token));

  if (g_set_object (&self->new_key, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEW_KEY]);

  gtk_label_set_text (self->key_label, exk_token_get_id (token));
  adw_action_row_set_subtitle (self->scopes_row, scopes);
  adw_action_row_set_subtitle (self->notes_info_row, format_notes (exk_token_get_notes (token)));
  adw_action_row_set_subtitle (self->expires_info_row, expiry);

  if (is_rotation (self))
    {
      adw_status_page_set_description (self->created_page,
                                       _("Put the new key in your application, then disable "
                                         "the old one. You can copy the new key again later "
                                         "from the API Keys list."));
      /* Deploying comes first: Done keeps the old key, disabling it is the second choice. */
      gtk_widget_set_visible (self->disable_old_button, TRUE);
    }

  /* The snippets are on the Overview of the page that opened the dialog. */
  gtk_widget_set_visible (self->snippets_button, find_project_page (self) != NULL);

  gtk_widget_set_visible (self->done_button, TRUE);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->done_button);

  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_visible (self->create_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "created");
  exk_new_key_dialog_update_actions (self);
  gtk_widget_grab_focus (self->copy_button);
}

static void
exk_new_key_dialog_decide (ExkNewKeyDialog *self,
                           gboolean         disable_old_now)
{
  g_assert (is_rotation (self) && self->new_key != NULL);

  if (self->decided)
    return;

  self->decided = TRUE;
  exk_new_key_dialog_update_actions (self);
  g_signal_emit (self, signals[ROTATION_DECIDED], 0, self->old_key, self->new_key,
                 disable_old_now);
}

static void
on_create_finished (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(ExkNewKeyDialog) self = user_data;
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;

  if (is_rotation (self))
    token = exk_key_list_rotate_finish (EXK_KEY_LIST (source), result, &error);
  else
    token = exk_key_list_create_finish (EXK_KEY_LIST (source), result, &error);

  /* Closed meanwhile: the key list has the key; there is no one to show it to. */
  if (self->closed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  exk_new_key_dialog_set_busy (self, FALSE);

  if (token == NULL)
    {
      /* A 401 also asks for the password (the window does): the message says why here. */
      exk_new_key_dialog_show_error (self, error->message);

      /* Back to the notes as they were typed, without selecting them. */
      if (!is_rotation (self))
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->notes_row));
          gtk_editable_set_position (GTK_EDITABLE (self->notes_row), -1);
        }
      return;
    }

  exk_new_key_dialog_show_created (self, token);
}

static void
on_kind_toggled (ExkNewKeyDialog *self,
                 GtkCheckButton  *button)
{
  g_autofree char *description = NULL;

  if (!gtk_check_button_get_active (button))
    return;

  /* The chosen kind is never hidden in a collapsed row. */
  if (button == self->user_check)
    adw_expander_row_set_expanded (self->advanced_row, TRUE);

  if (button == self->source_maps_check)
    /* Translators: %s is the default notes, “Source map deployment”. */
    description = g_strdup_printf (_("Notes tell keys apart. When left empty, they are “%s”."),
                                   get_default_notes ());
  else
    description = g_strdup (_("Notes tell keys apart, for example “Production web server”."));

  adw_preferences_group_set_description (self->details_group, description);
}

static void
on_notes_activated (ExkNewKeyDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "new-key.create", NULL);
}

static void
on_expiry_changed (ExkNewKeyDialog *self)
{
  g_autoptr(GDateTime) expiry = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *subtitle = NULL;
  Expiry selected;

  /* Building the template already changes the selection. */
  if (self->calendar == NULL)
    return;

  selected = get_expiry (self);
  gtk_widget_set_visible (GTK_WIDGET (self->day_button), selected == EXPIRY_CHOSEN_DAY);

  if (selected == EXPIRY_NEVER)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), "");
      return;
    }

  if (!chosen_day_is_after_today (self))
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row),
                                   _("Choose a day after today"));
      return;
    }

  expiry = dup_chosen_expiry (self);
  now = g_date_time_new_now_local ();
  subtitle = exk_format_expiry (expiry, now);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->expires_row), subtitle);
}

/* A preset also becomes the calendar's day, from which a chosen day starts;
 * choosing a day opens the calendar at once. */
static void
on_expiry_preset_changed (ExkNewKeyDialog *self)
{
  g_autoptr(GDateTime) last_day = NULL;

  if (self->calendar == NULL)
    return;

  if (get_expiry (self) != EXPIRY_CHOSEN_DAY)
    last_day = dup_last_day (self);
  if (last_day != NULL)
    gtk_calendar_select_day (self->calendar, last_day);

  on_expiry_changed (self);

  if (get_expiry (self) == EXPIRY_CHOSEN_DAY && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_menu_button_popup (self->day_button);
}

static void
exk_new_key_dialog_create (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (widget);
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *notes = NULL;
  const char * const *scopes;

  if (self->busy || self->new_key != NULL)
    return;

  exk_new_key_dialog_hide_error (self);

  if (is_rotation (self))
    {
      exk_new_key_dialog_set_busy (self, TRUE);
      exk_key_list_rotate_async (self->key_list, exk_token_get_id (self->old_key),
                                 on_create_finished, g_object_ref (self));
      return;
    }

    {
      scopes = get_chosen_scopes (self);
      notes = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->notes_row))));
      if (notes[0] == '\0')
        g_clear_pointer (&notes, g_free);
      if (notes == NULL && scopes == source_map_scopes)
        notes = g_strdup (get_default_notes ());

      if (!chosen_day_is_after_today (self))
        {
          exk_new_key_dialog_show_error (self, _("A key that expires today or earlier would "
                                                 "stop working at once. Choose a day after "
                                                 "today, or another expiry."));
          gtk_widget_grab_focus (GTK_WIDGET (self->day_button));
          return;
        }
      expires = dup_chosen_expiry (self);
    }

  exk_new_key_dialog_set_busy (self, TRUE);
  exk_key_list_create_async (self->key_list, scopes, notes, expires, on_create_finished,
                             g_object_ref (self));
}

static void
exk_new_key_dialog_copy (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (widget);

  g_return_if_fail (self->new_key != NULL);

  exk_clipboard_copy_secret (widget, exk_token_get_id (self->new_key));
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Key copied")));
}

static void
exk_new_key_dialog_show_snippets (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (widget);
  GtkWidget *page = find_project_page (self);

  g_return_if_fail (self->new_key != NULL);

  if (page != NULL)
    gtk_widget_activate_action (page, "keys.show-overview", NULL);

  gtk_window_close (GTK_WINDOW (self));
}

static void
exk_new_key_dialog_decide_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (widget);

  exk_new_key_dialog_decide (self, g_variant_get_boolean (parameter));
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
exk_new_key_dialog_close_request (GtkWindow *window)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (window);

  self->closed = TRUE;

  /* Closing the window without choosing keeps the old key for now. */
  if (is_rotation (self) && self->new_key != NULL && !self->decided)
    exk_new_key_dialog_decide (self, FALSE);

  return GTK_WINDOW_CLASS (exk_new_key_dialog_parent_class)->close_request (window);
}

static void
exk_new_key_dialog_constructed (GObject *object)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (object);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = dup_today ();
  g_autoptr(GDateTime) default_day = g_date_time_add_days (today, DEFAULT_EXPIRY_DAYS);

  G_OBJECT_CLASS (exk_new_key_dialog_parent_class)->constructed (object);

  g_assert (EXK_IS_KEY_LIST (self->key_list));

  adw_window_title_set_subtitle (self->window_title,
                                 exk_project_get_name (exk_key_list_get_project (self->key_list)));
  gtk_calendar_select_day (self->calendar, default_day);
  on_expiry_changed (self);

  if (is_rotation (self))
    {
      g_autofree char *prefix = exk_format_key_prefix (exk_token_get_id (self->old_key));
      g_autofree char *scopes = format_scopes (exk_token_get_scopes (self->old_key));
      g_autofree char *expiry = NULL;
      GDateTime *expires = exk_token_get_expires (self->old_key);

      gtk_window_set_title (GTK_WINDOW (self), _("Replace Key"));
      gtk_button_set_label (GTK_BUTTON (self->create_button), _("C_reate Replacement"));
      drop_button_accessible_label (self->create_button);

      if (expires != NULL && exk_token_is_expired (self->old_key, now))
        {
          g_autofree char *expired = format_expiry (expires);

          expiry = g_strconcat (expired, "\n", _("The replacement will not expire"), NULL);
        }
      else
        {
          expiry = format_expiry (expires);
        }

      adw_action_row_set_subtitle (self->old_key_row, prefix);
      adw_action_row_set_subtitle (self->old_notes_row,
                                   format_notes (exk_token_get_notes (self->old_key)));
      adw_action_row_set_subtitle (self->old_scopes_row, scopes);
      adw_action_row_set_subtitle (self->old_expires_row, expiry);
      gtk_stack_set_visible_child_name (self->stack, "rotate");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->stack, "form");
      /* The kind defaults to a client key: what people type first is the notes. */
      gtk_window_set_focus (GTK_WINDOW (self), GTK_WIDGET (self->notes_row));
    }

  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  exk_new_key_dialog_update_actions (self);
}

static void
exk_new_key_dialog_dispose (GObject *object)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (object);

  self->closed = TRUE;
  /* GTK 4.8 leaves an open popover working on its parent's destroyed surface
   * (gdk_surface_get_device_position() criticals): close the calendar first. */
  if (self->day_button != NULL)
    gtk_menu_button_popdown (self->day_button);
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_NEW_KEY_DIALOG);

  G_OBJECT_CLASS (exk_new_key_dialog_parent_class)->dispose (object);
}

static void
exk_new_key_dialog_finalize (GObject *object)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (object);

  g_clear_object (&self->key_list);
  g_clear_object (&self->old_key);
  g_clear_object (&self->new_key);

  G_OBJECT_CLASS (exk_new_key_dialog_parent_class)->finalize (object);
}

static void
exk_new_key_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KEY_LIST:
      g_value_set_object (value, self->key_list);
      break;

    case PROP_OLD_KEY:
      g_value_set_object (value, self->old_key);
      break;

    case PROP_NEW_KEY:
      g_value_set_object (value, self->new_key);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_new_key_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ExkNewKeyDialog *self = EXK_NEW_KEY_DIALOG (object);

  switch (prop_id)
    {
    case PROP_KEY_LIST:
      self->key_list = g_value_dup_object (value);
      break;

    case PROP_OLD_KEY:
      self->old_key = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_new_key_dialog_class_init (ExkNewKeyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = exk_new_key_dialog_constructed;
  object_class->dispose = exk_new_key_dialog_dispose;
  object_class->finalize = exk_new_key_dialog_finalize;
  object_class->get_property = exk_new_key_dialog_get_property;
  object_class->set_property = exk_new_key_dialog_set_property;

  window_class->close_request = exk_new_key_dialog_close_request;

  /**
   * ExkNewKeyDialog:key-list:
   *
   * The keys of the project the key is for; the new key is added to it.
   */
  properties[PROP_KEY_LIST] =
    g_param_spec_object ("key-list", NULL, NULL,
                         EXK_TYPE_KEY_LIST,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * ExkNewKeyDialog:old-key:
   *
   * The key that the new one replaces, or %NULL when the dialog creates a new key.
   */
  properties[PROP_OLD_KEY] =
    g_param_spec_object ("old-key", NULL, NULL,
                         EXK_TYPE_TOKEN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * ExkNewKeyDialog:new-key:
   *
   * The key the dialog created, once the server made it.
   */
  properties[PROP_NEW_KEY] =
    g_param_spec_object ("new-key", NULL, NULL,
                         EXK_TYPE_TOKEN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkNewKeyDialog::rotation-decided:
   * @self: the dialog
   * @old_key: the key being replaced
   * @new_key: its replacement
   * @disable_old_now: whether the person asked to disable @old_key now
   *
   * Emitted once in rotation mode, when the person chose what to do with the old key;
   * Done, or closing the dialog, keeps it working for now. The dialog does not change
   * @old_key itself.
   */
  signals[ROTATION_DECIDED] =
    g_signal_new ("rotation-decided",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, EXK_TYPE_TOKEN, EXK_TYPE_TOKEN, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-new-key-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, done_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, form_box);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, client_check);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, source_maps_check);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, user_check);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, advanced_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, details_group);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, notes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, expires_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, expiry_value_factory);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, day_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, rotate_box);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, old_key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, old_notes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, old_scopes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, old_expires_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, created_page);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, key_label);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, snippets_button);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, scopes_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, notes_info_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, expires_info_row);
  gtk_widget_class_bind_template_child (widget_class, ExkNewKeyDialog, disable_old_button);
  gtk_widget_class_bind_template_callback (widget_class, on_kind_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_notes_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_expiry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_expiry_preset_changed);

  gtk_widget_class_install_action (widget_class, "new-key.create", NULL,
                                   exk_new_key_dialog_create);
  gtk_widget_class_install_action (widget_class, "new-key.copy", NULL,
                                   exk_new_key_dialog_copy);
  gtk_widget_class_install_action (widget_class, "new-key.show-snippets", NULL,
                                   exk_new_key_dialog_show_snippets);
  gtk_widget_class_install_action (widget_class, "new-key.decide", "b",
                                   exk_new_key_dialog_decide_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "new-key.create", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "new-key.create", NULL);
}

static void
exk_new_key_dialog_init (ExkNewKeyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  drop_button_accessible_label (self->cancel_button);
  drop_button_accessible_label (self->disable_old_button);
  drop_button_accessible_label (self->create_button);
  drop_button_accessible_label (self->done_button);
  drop_button_accessible_label (self->copy_button);
  drop_button_accessible_label (self->snippets_button);

  /* The row's own label for the chosen item gives way to the subtitle when the
   * window is narrow ("In 9…"): the popup keeps the row's factory, with its
   * check mark, and the row shows the item whole, the subtitle wrapping. */
  adw_combo_row_set_list_factory (self->expires_row, adw_combo_row_get_factory (self->expires_row));
  adw_combo_row_set_factory (self->expires_row, self->expiry_value_factory);
}

/**
 * exk_new_key_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @key_list: the keys of the project the key is for
 *
 * Returns: (transfer none): a new dialog that lets the person choose the kind, notes and
 *   expiry of a key, creates it and shows it
 */
ExkNewKeyDialog *
exk_new_key_dialog_new (GtkWindow  *parent,
                        ExkKeyList *key_list)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_KEY_LIST (key_list), NULL);

  return g_object_new (EXK_TYPE_NEW_KEY_DIALOG,
                       "transient-for", parent,
                       "key-list", key_list,
                       NULL);
}

/**
 * exk_new_key_dialog_new_rotation:
 * @parent: (nullable): the window the dialog belongs to
 * @key_list: the keys of the project of @old_key
 * @old_key: the key to replace
 *
 * Returns: (transfer none): a new dialog that creates a replacement for @old_key, with
 *   its scopes, notes and expiry, and then asks what to do with @old_key
 */
ExkNewKeyDialog *
exk_new_key_dialog_new_rotation (GtkWindow  *parent,
                                 ExkKeyList *key_list,
                                 ExkToken   *old_key)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (EXK_IS_KEY_LIST (key_list), NULL);
  g_return_val_if_fail (EXK_IS_TOKEN (old_key), NULL);

  return g_object_new (EXK_TYPE_NEW_KEY_DIALOG,
                       "transient-for", parent,
                       "key-list", key_list,
                       "old-key", old_key,
                       NULL);
}

ExkKeyList *
exk_new_key_dialog_get_key_list (ExkNewKeyDialog *self)
{
  g_return_val_if_fail (EXK_IS_NEW_KEY_DIALOG (self), NULL);

  return self->key_list;
}

/**
 * exk_new_key_dialog_get_new_key:
 * @self: a dialog
 *
 * Returns: (transfer none) (nullable): the key the dialog created, if any yet
 */
ExkToken *
exk_new_key_dialog_get_new_key (ExkNewKeyDialog *self)
{
  g_return_val_if_fail (EXK_IS_NEW_KEY_DIALOG (self), NULL);

  return self->new_key;
}

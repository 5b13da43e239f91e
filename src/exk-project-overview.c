// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-base-url.h"
#include "exk-clipboard.h"
#include "exk-format.h"
#include "exk-project-overview.h"
#include "exk-test-event.h"
#include "exk-toast.h"

/* The "Overview" tab of a project: what the project is, how busy it is, and
 * what to paste into an application to send it events. The key list belongs
 * to the API Keys tab; this page only filters it, so a key created, disabled
 * or deleted there shows here at once. */
struct _ExkProjectOverview
{
  AdwBin              parent_instance;

  ExkClient          *client;
  ExkProject         *project;
  GCancellable       *cancellable;      /* the activity load */
  GListModel         *keys;
  GHashTable         *watched_keys;     /* ExkToken → notify handler id */
  ExkToken           *snippet_key;      /* the key the snippets were last made for */
  ExkTestEvent       *test_event;       /* the last one sent, for the chosen key */
  GtkCustomFilter    *key_filter;
  GtkFilterListModel *client_keys;
  gboolean            loading;

  GtkLabel           *id_label;
  AdwActionRow       *organization_row;
  AdwActionRow       *created_row;
  AdwActionRow       *stacks_row;
  AdwActionRow       *events_row;
  GtkStack           *stacks_stack;
  GtkStack           *events_stack;
  GtkSpinner         *stacks_spinner;
  GtkSpinner         *events_spinner;
  GtkLabel           *stacks_label;
  GtkLabel           *events_label;
  AdwActionRow       *stats_error_row;
  GtkButton          *retry_button;
  AdwComboRow        *key_row;
  AdwActionRow       *no_key_row;
  AdwActionRow       *test_event_row;
  GtkSpinner         *test_event_spinner;
  GtkWidget          *test_event_button;
  GtkWidget          *stop_test_event_button;
  GtkToggleButton    *reveal_button;
  GtkWidget          *snippets_box;
  GtkScrolledWindow  *dotnet_scroller;
  GtkScrolledWindow  *javascript_scroller;
  GtkScrolledWindow  *curl_scroller;
  GtkLabel           *dotnet_label;
  GtkLabel           *javascript_label;
  GtkLabel           *curl_label;
};

G_DEFINE_FINAL_TYPE (ExkProjectOverview, exk_project_overview, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The server treats a key without scopes as a client key (contract §2.2), and
 * rejects disabled and expired ones: only the rest can send events. */
static gboolean
is_usable_client_key (gpointer item,
                      gpointer user_data)
{
  ExkToken *token = item;
  const char * const *scopes = exk_token_get_scopes (token);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (exk_token_get_is_disabled (token) || exk_token_is_expired (token, now))
    return FALSE;

  return scopes == NULL || scopes[0] == NULL || exk_token_has_scope (token, "client");
}

/* Closures of the template: @this_object is what the expression is evaluated
 * on (a list item), the arguments follow. */
static char *
dup_masked_key (gpointer  this_object,
                ExkToken *token)
{
  const char *id;

  if (token == NULL)
    return NULL;

  id = exk_token_get_id (token);
  if (id == NULL)
    return g_strdup ("");

  return exk_format_key_prefix (id);
}

static char *
dup_key_label (ExkToken *token)
{
  g_autofree char *masked = dup_masked_key (NULL, token);
  const char *notes;

  if (token == NULL)
    return NULL;

  notes = exk_token_get_notes (token);
  if (notes == NULL || *notes == '\0')
    return g_steal_pointer (&masked);

  /* Translators: a masked API key, then the notes people gave it. */
  return g_strdup_printf (C_("api key", "%s — %s"), masked, notes);
}

static gboolean
has_text (gpointer    this_object,
          const char *text)
{
  return text != NULL && *text != '\0';
}

/* A double-quoted JSON (and JavaScript) string literal. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (out, "\\%c", *p);
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* A double-quoted POSIX shell word. */
static void
append_shell_string (GString    *out,
                     const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (strchr ("\"\\$`", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static gboolean
is_hosted (const char *base_url)
{
  return g_strcmp0 (base_url, EXK_HOSTED_BASE_URL) == 0;
}

/* The clients send to the hosted service unless told otherwise, so the
 * server address only appears for a self-hosted one. */
static char *
dup_dotnet_snippet (const char *key,
                    const char *base_url)
{
  GString *out = g_string_new ("// appsettings.json\n{\n  \"Exceptionless\": {\n    \"ApiKey\": ");

  append_json_string (out, key);
  if (!is_hosted (base_url))
    {
      g_string_append (out, ",\n    \"ServerUrl\": ");
      append_json_string (out, base_url);
    }
  g_string_append (out,
                   "\n  }\n}\n\n"
                   "// Program.cs\n"
                   "builder.Services.AddExceptionless(builder.Configuration);\n"
                   "var app = builder.Build();\n"
                   "app.UseExceptionless();");

  return g_string_free (out, FALSE);
}

static char *
dup_javascript_snippet (const char *key,
                        const char *base_url)
{
  GString *out = g_string_new ("import { Exceptionless } from \"@exceptionless/browser\";\n\n"
                               "await Exceptionless.startup((c) => {\n  c.apiKey = ");

  append_json_string (out, key);
  g_string_append (out, ";\n");
  if (!is_hosted (base_url))
    {
      g_string_append (out, "  c.serverUrl = ");
      append_json_string (out, base_url);
      g_string_append (out, ";\n");
    }
  g_string_append (out, "});");

  return g_string_free (out, FALSE);
}

static char *
dup_curl_snippet (const char *key,
                  const char *base_url)
{
  g_autofree char *url = g_strconcat (base_url, "/api/v2/events", NULL);
  g_autofree char *authorization = g_strconcat ("Authorization: Bearer ", key, NULL);
  GString *out = g_string_new ("curl -X POST ");

  append_shell_string (out, url);
  g_string_append (out, " \\\n  -H ");
  append_shell_string (out, authorization);
  g_string_append (out,
                   " \\\n  -H \"Content-Type: application/json\" \\\n"
                   "  -d '{\"type\":\"log\",\"message\":\"Hello from Exkeys\"}'");

  return g_string_free (out, FALSE);
}

/* The snippets by the name the copy action takes, each with the label that shows it. */
static const struct
{
  const char *name;
  char     *(*build) (const char *key,
                      const char *base_url);
  gsize       label_offset;
} snippets[] = {
  { "dotnet", dup_dotnet_snippet, G_STRUCT_OFFSET (ExkProjectOverview, dotnet_label) },
  { "javascript", dup_javascript_snippet, G_STRUCT_OFFSET (ExkProjectOverview, javascript_label) },
  { "curl", dup_curl_snippet, G_STRUCT_OFFSET (ExkProjectOverview, curl_label) },
};

static char *
dup_created_text (GDateTime *created)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *date = NULL;
  g_autofree char *age = NULL;

  if (created == NULL)
    return NULL;

  now = g_date_time_new_now_utc ();
  date = exk_format_full_date (created);
  age = exk_format_relative_date (created, now);

  /* Translators: a full date, then how long ago it was, e.g. "3 years ago". */
  return g_strdup_printf (C_("creation date", "%s (%s)"), date, age);
}

static void
exk_project_overview_add_toast (ExkProjectOverview *self,
                                const char         *title)
{
  exk_toast_show (GTK_WIDGET (self), adw_toast_new (title));
}

static void
exk_project_overview_set_loading (ExkProjectOverview *self,
                                  gboolean            loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_spinner_set_spinning (self->stacks_spinner, loading);
  gtk_spinner_set_spinning (self->events_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* One of three states: loading (spinners), loaded (counts) or failed (the
 * error in place of the counts, with Retry). */
static void
exk_project_overview_show_stats (ExkProjectOverview *self,
                                 ExkProject         *project,
                                 const GError       *error)
{
  gboolean failed = error != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->stacks_row), !failed);
  gtk_widget_set_visible (GTK_WIDGET (self->events_row), !failed);
  gtk_widget_set_visible (GTK_WIDGET (self->stats_error_row), failed);

  if (failed)
    {
      adw_action_row_set_subtitle (self->stats_error_row, error->message);
      return;
    }

  if (project == NULL)
    {
      gtk_label_set_text (self->stacks_label, "");
      gtk_label_set_text (self->events_label, "");
      gtk_stack_set_visible_child_name (self->stacks_stack, "loading");
      gtk_stack_set_visible_child_name (self->events_stack, "loading");
    }
  else
    {
      g_autofree char *stacks = exk_format_count (exk_project_get_stack_count (project));
      g_autofree char *events = exk_format_count (exk_project_get_event_count (project));

      gtk_label_set_text (self->stacks_label, stacks);
      gtk_label_set_text (self->events_label, events);
      gtk_stack_set_visible_child_name (self->stacks_stack, "value");
      gtk_stack_set_visible_child_name (self->events_stack, "value");
    }
}

static void
exk_project_overview_update_details (ExkProjectOverview *self,
                                     ExkProject         *project)
{
  g_autofree char *created = NULL;

  if (project != NULL)
    created = dup_created_text (exk_project_get_created (project));

  gtk_label_set_text (self->id_label, project != NULL ? exk_project_get_id (project) : "");
  adw_action_row_set_subtitle (self->organization_row,
                               project != NULL ? exk_project_get_organization_name (project)
                                               : NULL);
  adw_action_row_set_subtitle (self->created_row, created);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.copy-project-id", project != NULL);
}

static ExkToken *
exk_project_overview_get_chosen_key (ExkProjectOverview *self)
{
  if (self->client == NULL || self->project == NULL)
    return NULL;

  return adw_combo_row_get_selected_item (self->key_row);
}

/* The Test Event row follows the last test event sent. */
static void
exk_project_overview_show_test_event (ExkProjectOverview *self)
{
  const char *message = self->test_event != NULL ? exk_test_event_get_message (self->test_event)
                                                 : NULL;
  gboolean busy = self->test_event != NULL && exk_test_event_get_busy (self->test_event);
  gboolean counting = self->test_event != NULL
                      && exk_test_event_get_state (self->test_event) == EXK_TEST_EVENT_COUNTING;

  adw_action_row_set_subtitle (self->test_event_row,
                               message != NULL ? message
                                               : _("Sends one log event with this key, as an "
                                                   "application would, and checks that the "
                                                   "project receives it"));
  gtk_widget_set_visible (GTK_WIDGET (self->test_event_spinner), busy);
  gtk_spinner_set_spinning (self->test_event_spinner, busy);
  gtk_widget_set_visible (self->test_event_button, !counting);
  gtk_widget_set_visible (self->stop_test_event_button, counting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.send-test-event",
                                 self->snippet_key != NULL && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.stop-test-event", counting);
}

static void
exk_project_overview_drop_test_event (ExkProjectOverview *self)
{
  if (self->test_event != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->test_event, self);
      exk_test_event_stop (self->test_event);
      g_clear_object (&self->test_event);
    }

  exk_project_overview_show_test_event (self);
}

static void
on_test_event_sent (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The test event's state says what happened; the row shows it. */
  exk_test_event_send_finish (EXK_TEST_EVENT (source), result, &error);
}

static void
on_test_event_state_changed (ExkProjectOverview *self)
{
  exk_project_overview_show_test_event (self);

  /* The Events count above shows the new event too. */
  if (exk_test_event_get_state (self->test_event) == EXK_TEST_EVENT_RECEIVED)
    exk_project_overview_refresh (self);
}

static void
on_send_test_event_response (AdwMessageDialog   *dialog,
                             const char         *response,
                             ExkProjectOverview *self)
{
  ExkToken *token = self->snippet_key;

  if (!g_str_equal (response, "send") || token == NULL || self->project == NULL
      || self->client == NULL)
    return;

  exk_project_overview_drop_test_event (self);
  self->test_event = exk_test_event_new (self->client, self->project);
  g_signal_connect_swapped (self->test_event, "notify::state",
                            G_CALLBACK (on_test_event_state_changed), self);
  exk_test_event_send_async (self->test_event, token, on_test_event_sent, NULL);
  exk_project_overview_show_test_event (self);
}

/* It adds an event to the project, so it asks first. */
static void
exk_project_overview_send_test_event (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *prefix = NULL;
  GtkWidget *dialog;

  if (self->snippet_key == NULL || self->project == NULL)
    return;

  prefix = exk_format_key_prefix (exk_token_get_id (self->snippet_key));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send a Test Event?"), NULL);
  /* Translators: %1$s is a project's name, %2$s the first characters of an API key */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Exkeys sends one log event, “Test event from Exkeys”, "
                                    "with key %2$s to %1$s. It is added to the project’s events "
                                    "like any other."),
                                  exk_project_get_name (self->project), prefix);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "send");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_send_test_event_response), self,
                           0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_project_overview_stop_test_event (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (widget);

  if (self->test_event != NULL)
    exk_test_event_stop (self->test_event);
}

/* The snippets show the key masked, as the key list does, until it is
 * revealed; what is copied always holds the key itself. */
static void
exk_project_overview_fill_snippets (ExkProjectOverview *self)
{
  ExkToken *token = exk_project_overview_get_chosen_key (self);
  g_autofree char *masked = NULL;
  const char *base_url;
  const char *key;

  /* Keep no key in a hidden label. */
  if (token == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (snippets); i++)
        gtk_label_set_text (G_STRUCT_MEMBER (GtkLabel *, self, snippets[i].label_offset), "");
      return;
    }

  base_url = exk_client_get_base_url (self->client);
  key = exk_token_get_id (token);
  if (!gtk_toggle_button_get_active (self->reveal_button))
    key = masked = exk_format_masked_key (key);

  for (guint i = 0; i < G_N_ELEMENTS (snippets); i++)
    {
      g_autofree char *text = snippets[i].build (key, base_url);

      gtk_label_set_text (G_STRUCT_MEMBER (GtkLabel *, self, snippets[i].label_offset), text);
    }
}

static void
exk_project_overview_update_snippets (ExkProjectOverview *self)
{
  ExkToken *token = exk_project_overview_get_chosen_key (self);
  gboolean has_project = self->project != NULL;
  gboolean has_keys = g_list_model_get_n_items (G_LIST_MODEL (self->client_keys)) > 0;

  gtk_widget_set_visible (GTK_WIDGET (self->key_row), has_project && has_keys);
  gtk_widget_set_visible (GTK_WIDGET (self->no_key_row), has_project && !has_keys);
  gtk_widget_set_visible (self->snippets_box, token != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->test_event_row), token != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->reveal_button), token != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "overview.copy-snippet", token != NULL);

  /* A key shown in full is hidden again when another one is picked (or
   * another project shown): each is revealed on purpose. */
  if (g_set_object (&self->snippet_key, token))
    {
      gtk_toggle_button_set_active (self->reveal_button, FALSE);
      /* A result is about the key it was sent with. */
      exk_project_overview_drop_test_event (self);
    }

  exk_project_overview_fill_snippets (self);
}

static void
on_key_row_selected_item_changed (ExkProjectOverview *self)
{
  exk_project_overview_update_snippets (self);
}

static void
on_reveal_toggled (ExkProjectOverview *self)
{
  gboolean revealed = gtk_toggle_button_get_active (self->reveal_button);
  const char *label = revealed ? _("Hide Key") : _("Show Key");

  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  exk_project_overview_fill_snippets (self);
}

/* Shift+wheel over a snippet scrolls it sideways. GtkScrolledWindow would,
 * but its controller no longer sees vertical deltas (see
 * exk_project_overview_scroll_sideways()). */
static gboolean
on_snippet_scroll (GtkEventControllerScroll *controller,
                   double                    dx,
                   double                    dy,
                   GtkScrolledWindow        *scroller)
{
  GtkEventController *event_controller = GTK_EVENT_CONTROLLER (controller);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (scroller);
  double step = gtk_adjustment_get_step_increment (adjustment);

  if ((gtk_event_controller_get_current_event_state (event_controller) & GDK_SHIFT_MASK) == 0
      || gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_lower (adjustment)
         <= gtk_adjustment_get_page_size (adjustment))
    return GDK_EVENT_PROPAGATE;

  /* A wheel click moves by a step; a touchpad, by its pixels. */
  if (gtk_event_controller_scroll_get_unit (controller) != GDK_SCROLL_UNIT_WHEEL)
    step = 1.0;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);

  return GDK_EVENT_STOP;
}

static void
on_client_keys_items_changed (ExkProjectOverview *self)
{
  exk_project_overview_update_snippets (self);
}

static void
on_key_notify (ExkProjectOverview *self,
               GParamSpec         *pspec,
               ExkToken           *token)
{
  const char *name = g_param_spec_get_name (pspec);

  /* A key disabled, re-enabled or re-scoped in place: filter again. */
  if (g_str_equal (name, "is-disabled")
      || g_str_equal (name, "expires")
      || g_str_equal (name, "scopes"))
    {
      gtk_filter_changed (GTK_FILTER (self->key_filter), GTK_FILTER_CHANGE_DIFFERENT);
    }
  else if (g_str_equal (name, "notes")
           && token == adw_combo_row_get_selected_item (self->key_row))
    {
      /* The row evaluates its expression only when the selection changes. */
      g_autoptr(GtkExpression) expression =
        gtk_expression_ref (adw_combo_row_get_expression (self->key_row));

      adw_combo_row_set_expression (self->key_row, NULL);
      adw_combo_row_set_expression (self->key_row, expression);
    }
}

static void
exk_project_overview_watch_key (ExkProjectOverview *self,
                                ExkToken           *token)
{
  gulong id;

  if (g_hash_table_contains (self->watched_keys, token))
    return;

  id = g_signal_connect_swapped (token, "notify", G_CALLBACK (on_key_notify), self);
  g_hash_table_insert (self->watched_keys, g_object_ref (token), GSIZE_TO_POINTER (id));
}

/* The filter model only learns of added and removed keys; a key changed in
 * place (exk_token_update_from()) only notifies, so watch every key. */
static void
exk_project_overview_watch_keys (ExkProjectOverview *self)
{
  g_autoptr(GHashTable) present = g_hash_table_new (NULL, NULL);
  guint n_items = self->keys != NULL ? g_list_model_get_n_items (self->keys) : 0;
  GHashTableIter iter;
  gpointer token, handler_id;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(ExkToken) item = g_list_model_get_item (self->keys, i);

      g_hash_table_add (present, item);
      exk_project_overview_watch_key (self, item);
    }

  g_hash_table_iter_init (&iter, self->watched_keys);
  while (g_hash_table_iter_next (&iter, &token, &handler_id))
    {
      if (!g_hash_table_contains (present, token))
        {
          g_signal_handler_disconnect (token, GPOINTER_TO_SIZE (handler_id));
          g_hash_table_iter_remove (&iter);
        }
    }
}

/* A load adds its keys one at a time: only those are looked at (a full pass
 * each time made 1,000 keys a million steps). Removed keys are no longer in
 * the model, so a removal takes the full pass. */
static void
on_keys_items_changed (ExkProjectOverview *self,
                       guint               position,
                       guint               removed,
                       guint               added)
{
  if (removed > 0)
    {
      exk_project_overview_watch_keys (self);
      return;
    }

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ExkToken) item = g_list_model_get_item (self->keys, i);

      exk_project_overview_watch_key (self, item);
    }
}

static void
on_stats_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExkProjectOverview *self;
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = exk_client_get_project_finish (EXK_CLIENT (source), result, &error);

  /* The page cancels on dispose and on every new load: touch nothing then. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_OVERVIEW (user_data);
  g_clear_object (&self->cancellable);
  exk_project_overview_set_loading (self, FALSE);

  /* A 401 also asks for the password again: the window does, on the client's signal. */
  if (project == NULL)
    {
      exk_project_overview_show_stats (self, NULL, error);
      return;
    }

  exk_project_overview_show_stats (self, project, NULL);
  adw_action_row_set_subtitle (self->organization_row,
                               exk_project_get_organization_name (project));
}

/* A GtkScrolledWindow takes every wheel and touchpad event as soon as it can
 * scroll along one axis: a snippet too wide for the window would stop the
 * page from scrolling under the pointer. Its scrolling is limited to the
 * horizontal deltas, so that vertical ones go on to the page. */
static void
exk_project_overview_scroll_sideways (GtkScrolledWindow *scroller)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (scroller));
  GtkEventController *shift_wheel;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      GtkEventControllerScroll *scroll;

      if (!GTK_IS_EVENT_CONTROLLER_SCROLL (controller))
        continue;

      scroll = GTK_EVENT_CONTROLLER_SCROLL (controller);
      gtk_event_controller_scroll_set_flags (scroll,
                                             (gtk_event_controller_scroll_get_flags (scroll)
                                              & ~GTK_EVENT_CONTROLLER_SCROLL_VERTICAL)
                                             | GTK_EVENT_CONTROLLER_SCROLL_HORIZONTAL);
    }

  shift_wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (shift_wheel, "scroll", G_CALLBACK (on_snippet_scroll), scroller);
  gtk_widget_add_controller (GTK_WIDGET (scroller), shift_wheel);
}

static void
exk_project_overview_copy_project_id (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (widget);

  if (self->project == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), exk_project_get_id (self->project));
  exk_project_overview_add_toast (self, _("Project ID copied"));
}

static void
exk_project_overview_copy_snippet (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  ExkToken *token = exk_project_overview_get_chosen_key (self);

  if (token == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (snippets); i++)
    {
      if (g_str_equal (name, snippets[i].name))
        {
          g_autofree char *text = snippets[i].build (exk_token_get_id (token),
                                                     exk_client_get_base_url (self->client));

          /* The snippets hold the key: copied as a secret, like the key itself. */
          exk_clipboard_copy_secret (widget, text);
          exk_project_overview_add_toast (self, _("Copied with the full key"));
          return;
        }
    }

  g_return_if_reached ();
}

static void
exk_project_overview_refresh_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  exk_project_overview_refresh (EXK_PROJECT_OVERVIEW (widget));
}

static void
exk_project_overview_dispose (GObject *object)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->keys != NULL)
    g_signal_handlers_disconnect_by_func (self->keys, on_keys_items_changed, self);
  g_clear_object (&self->keys);
  if (self->watched_keys != NULL)
    exk_project_overview_watch_keys (self);
  g_clear_pointer (&self->watched_keys, g_hash_table_unref);

  if (self->client_keys != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->client_keys, on_client_keys_items_changed, self);
      gtk_filter_list_model_set_model (self->client_keys, NULL);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_PROJECT_OVERVIEW);

  if (self->test_event != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->test_event, self);
      exk_test_event_stop (self->test_event);
      g_clear_object (&self->test_event);
    }
  g_clear_object (&self->client_keys);
  g_clear_object (&self->key_filter);
  g_clear_object (&self->snippet_key);
  g_clear_object (&self->client);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (exk_project_overview_parent_class)->dispose (object);
}

static void
exk_project_overview_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ExkProjectOverview *self = EXK_PROJECT_OVERVIEW (object);

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
exk_project_overview_class_init (ExkProjectOverviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_project_overview_dispose;
  object_class->get_property = exk_project_overview_get_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether the activity counts are being loaded. */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "overview.copy-project-id", NULL,
                                   exk_project_overview_copy_project_id);
  gtk_widget_class_install_action (widget_class, "overview.copy-snippet", "s",
                                   exk_project_overview_copy_snippet);
  gtk_widget_class_install_action (widget_class, "overview.refresh", NULL,
                                   exk_project_overview_refresh_action);
  gtk_widget_class_install_action (widget_class, "overview.send-test-event", NULL,
                                   exk_project_overview_send_test_event);
  gtk_widget_class_install_action (widget_class, "overview.stop-test-event", NULL,
                                   exk_project_overview_stop_test_event);

  /* The key list template looks ExkToken up by name. */
  g_type_ensure (EXK_TYPE_TOKEN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-project-overview.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, id_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, organization_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, created_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, stacks_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, events_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, stacks_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, events_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, stacks_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, events_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, stacks_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, events_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, stats_error_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, no_key_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, test_event_row);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, test_event_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, test_event_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview,
                                        stop_test_event_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, snippets_box);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, dotnet_scroller);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, javascript_scroller);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, curl_scroller);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, dotnet_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, javascript_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectOverview, curl_label);
  gtk_widget_class_bind_template_callback (widget_class, dup_key_label);
  gtk_widget_class_bind_template_callback (widget_class, dup_masked_key);
  gtk_widget_class_bind_template_callback (widget_class, has_text);
  gtk_widget_class_bind_template_callback (widget_class, on_key_row_selected_item_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_toggled);
}

static void
exk_project_overview_init (ExkProjectOverview *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  exk_project_overview_scroll_sideways (self->dotnet_scroller);
  exk_project_overview_scroll_sideways (self->javascript_scroller);
  exk_project_overview_scroll_sideways (self->curl_scroller);

  self->watched_keys = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->key_filter = gtk_custom_filter_new (is_usable_client_key, NULL, NULL);
  self->client_keys = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->key_filter)));
  adw_combo_row_set_model (self->key_row, G_LIST_MODEL (self->client_keys));
  /* After the row's own handler, so that its selection is already current. */
  g_signal_connect_swapped (self->client_keys, "items-changed",
                            G_CALLBACK (on_client_keys_items_changed), self);

  exk_project_overview_update_details (self, NULL);
  exk_project_overview_show_stats (self, NULL, NULL);
  exk_project_overview_update_snippets (self);
  exk_project_overview_show_test_event (self);
}

/**
 * exk_project_overview_new:
 *
 * Returns: (transfer floating): an empty overview; see exk_project_overview_set_project()
 */
GtkWidget *
exk_project_overview_new (void)
{
  return g_object_new (EXK_TYPE_PROJECT_OVERVIEW, NULL);
}

/**
 * exk_project_overview_set_project:
 * @self: an overview
 * @client: (nullable): the client of the account that owns @project
 * @project: (nullable): the project to show, or %NULL to show nothing
 *
 * Shows @project and loads its activity counts, cancelling any earlier load.
 */
void
exk_project_overview_set_project (ExkProjectOverview *self,
                                  ExkClient          *client,
                                  ExkProject         *project)
{
  g_return_if_fail (EXK_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (client == NULL || EXK_IS_CLIENT (client));
  g_return_if_fail (project == NULL || EXK_IS_PROJECT (project));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  exk_project_overview_set_loading (self, FALSE);

  if (project == NULL)
    client = NULL;
  g_set_object (&self->client, client);
  if (g_set_object (&self->project, project))
    {
      gtk_toggle_button_set_active (self->reveal_button, FALSE);
      exk_project_overview_drop_test_event (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
    }

  exk_project_overview_update_details (self, project);
  exk_project_overview_show_stats (self, NULL, NULL);
  exk_project_overview_update_snippets (self);

  exk_project_overview_refresh (self);
}

/**
 * exk_project_overview_get_project:
 * @self: an overview
 *
 * Returns: (transfer none) (nullable): the project shown
 */
ExkProject *
exk_project_overview_get_project (ExkProjectOverview *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_OVERVIEW (self), NULL);

  return self->project;
}

/**
 * exk_project_overview_set_keys:
 * @self: an overview
 * @keys: (nullable): a list of #ExkToken, the project's keys
 *
 * Sets the keys to offer for the client setup. The list is watched: the page
 * follows keys added, removed or changed in place.
 */
void
exk_project_overview_set_keys (ExkProjectOverview *self,
                               GListModel         *keys)
{
  g_return_if_fail (EXK_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (keys == NULL || G_IS_LIST_MODEL (keys));

  if (self->keys == keys)
    return;

  if (self->keys != NULL)
    g_signal_handlers_disconnect_by_func (self->keys, on_keys_items_changed, self);

  g_clear_object (&self->keys);
  if (keys != NULL)
    self->keys = g_object_ref (keys);

  if (keys != NULL)
    g_signal_connect_swapped (keys, "items-changed", G_CALLBACK (on_keys_items_changed), self);

  exk_project_overview_watch_keys (self);
  gtk_filter_list_model_set_model (self->client_keys, keys);
}

/**
 * exk_project_overview_refresh:
 * @self: an overview
 *
 * Loads the activity counts of the project again.
 */
void
exk_project_overview_refresh (ExkProjectOverview *self)
{
  g_return_if_fail (EXK_IS_PROJECT_OVERVIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL || self->project == NULL)
    {
      exk_project_overview_set_loading (self, FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  exk_project_overview_show_stats (self, NULL, NULL);
  exk_project_overview_set_loading (self, TRUE);

  exk_client_get_project_async (self->client, exk_project_get_id (self->project),
                                EXK_PROJECT_LIST_WITH_STATS, self->cancellable,
                                on_stats_loaded, self);
}

/**
 * exk_project_overview_choose_key:
 * @id: a key's id
 *
 * Makes the setup snippets use the key @id, when it is one of the project's
 * usable client keys (a key just made, say).
 */
void
exk_project_overview_choose_key (ExkProjectOverview *self,
                                 const char         *id)
{
  GListModel *keys;
  guint n;

  g_return_if_fail (EXK_IS_PROJECT_OVERVIEW (self));
  g_return_if_fail (id != NULL);

  keys = G_LIST_MODEL (self->client_keys);
  n = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (keys, i);

      if (g_strcmp0 (exk_token_get_id (token), id) == 0)
        {
          adw_combo_row_set_selected (self->key_row, i);
          return;
        }
    }
}

/**
 * exk_project_overview_dup_snippet:
 * @platform: `dotnet`, `javascript` or `curl`, the names the Overview's
 *   `overview.copy-snippet` action takes
 * @key: the API key to put in it (or its masked form, to show)
 * @base_url: the server's address
 *
 * The setup snippet the Overview shows for @platform, for other views that
 * show a new key (the New Project dialog).
 *
 * Returns: (transfer full) (nullable): the snippet, or %NULL for an unknown platform
 */
char *
exk_project_overview_dup_snippet (const char *platform,
                                  const char *key,
                                  const char *base_url)
{
  g_return_val_if_fail (platform != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (snippets); i++)
    if (g_str_equal (platform, snippets[i].name))
      return snippets[i].build (key, base_url);

  return NULL;
}

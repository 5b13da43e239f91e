// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <libsoup/soup.h>

#include "exk-format.h"
#include "exk-mock-server.h"
#include "exk-new-key-dialog.h"
#include "exk-notes-dialog.h"
#include "exk-project-page.h"
#include "exk-test-util.h"

#define PISTOL_PROJECT_ID "537650f3b77efe23a47914f4"
#define TOKENS_PATH "/api/v2/projects/" PISTOL_PROJECT_ID "/tokens"
#define WAIT_MS 10000

/* The items of the new key dialog's Expires row. */
enum {
  EXPIRY_NEVER,
  EXPIRY_30_DAYS,
  EXPIRY_90_DAYS,
  EXPIRY_1_YEAR,
  EXPIRY_CHOSEN_DAY,
};

/* The dialogs against the mock server, which runs in its own thread; the
 * client and the dialogs run on the test's main context. What the server
 * received and now holds is read through its /_mock/ control endpoints. */
typedef struct
{
  ExkMockServer *server;
  ExkClient     *client;
  ExkProject    *project;
  ExkKeyList    *key_list;
  SoupSession   *control;
} Fixture;

/* What the dialogs emitted. */
typedef struct
{
  guint     n_created;
  ExkToken *created;
  guint     n_decided;
  ExkToken *decided_old;
  ExkToken *decided_new;
  gboolean  disable_now;
  guint     n_saved;
  ExkToken *saved;
  guint     n_close_requests;
} Recorder;

typedef struct
{
  GAsyncResult *result;
} Waiter;

/* Helpers */

#define wait_for(condition) \
  G_STMT_START { \
    gint64 wait_deadline = g_get_monotonic_time () \
                           + (gint64) exk_test_scale_timeout (WAIT_MS) * 1000; \
    while (!(condition)) \
      { \
        if (g_get_monotonic_time () > wait_deadline) \
          g_error ("Timed out waiting for %s", #condition); \
        g_main_context_iteration (NULL, FALSE); \
        g_usleep (500); \
      } \
  } G_STMT_END

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static JsonNode *
control (Fixture    *fixture,
         const char *method,
         const char *path,
         guint      *status)
{
  g_autofree char *url = g_strconcat (exk_mock_server_get_url (fixture->server), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize size;

  body = soup_session_send_and_read (fixture->control, message, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (message);
  else
    g_assert_cmpuint (soup_message_get_status (message), <, 300);

  data = g_bytes_get_data (body, &size);
  if (size == 0)
    return NULL;

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static void
clear_requests (Fixture *fixture)
{
  g_autoptr(JsonNode) node = control (fixture, "DELETE", "/_mock/requests", NULL);
}

/* The logged requests with @method whose path starts with @path_prefix. */
static GPtrArray *
get_requests (Fixture    *fixture,
              const char *method,
              const char *path_prefix)
{
  g_autoptr(JsonNode) node = control (fixture, "GET", "/_mock/requests", NULL);
  GPtrArray *requests = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *request = json_array_get_object_element (array, i);

      if (g_str_equal (json_object_get_string_member (request, "method"), method) &&
          g_str_has_prefix (json_object_get_string_member (request, "path"), path_prefix))
        g_ptr_array_add (requests, json_object_ref (request));
    }

  return requests;
}

/* The body of the only request with @method to @path_prefix. */
static JsonObject *
get_single_body (Fixture    *fixture,
                 const char *method,
                 const char *path_prefix)
{
  g_autoptr(GPtrArray) requests = get_requests (fixture, method, path_prefix);
  JsonObject *request;

  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  g_assert_true (json_object_get_boolean_member (request, "has_authorization"));

  return json_object_ref (json_object_get_object_member (request, "body"));
}

/* The token as the server holds it, or NULL when it has none with @id. */
static JsonObject *
get_server_token (Fixture    *fixture,
                  const char *id)
{
  g_autofree char *path = g_strconcat ("/_mock/tokens/", id, NULL);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = control (fixture, "GET", path, &status);
  if (status == SOUP_STATUS_NOT_FOUND)
    return NULL;

  g_assert_cmpuint (status, ==, SOUP_STATUS_OK);
  return json_object_ref (json_node_get_object (node));
}

static guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path_prefix)
{
  g_autoptr(GPtrArray) requests = get_requests (fixture, method, path_prefix);

  return requests->len;
}

static void
add_fault (Fixture    *fixture,
           const char *spec)
{
  g_autoptr(GError) error = NULL;

  exk_mock_server_add_fault (fixture->server, spec, &error);
  g_assert_no_error (error);
}

static void
assert_no_nulls (JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    g_assert_false (JSON_NODE_HOLDS_NULL (json_object_get_member (object, l->data)));
}

static char **
dup_string_array (JsonArray *array)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));

  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return strv;
}

static void
assert_scopes (JsonObject         *object,
               const char * const *expected)
{
  g_auto(GStrv) scopes = dup_string_array (json_object_get_array_member (object, "scopes"));

  g_assert_cmpstrv (scopes, expected);
}

/* Scopes are a set: the server does not promise an order. */
static gboolean
same_scopes (const char * const *a,
             const char * const *b)
{
  if (g_strv_length ((char **) a) != g_strv_length ((char **) b))
    return FALSE;

  for (guint i = 0; a[i] != NULL; i++)
    if (!g_strv_contains (b, a[i]))
      return FALSE;

  return TRUE;
}

static ExkToken *
create_token (Fixture            *fixture,
              const char * const *scopes,
              const char         *notes,
              GDateTime          *expires)
{
  Waiter waiter = { 0 };
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  /* Through the key list, as the page does: the key is then in the list. */
  exk_key_list_create_async (fixture->key_list, scopes, notes, expires, on_result, &waiter);
  wait_for (waiter.result != NULL);
  token = exk_key_list_create_finish (fixture->key_list, waiter.result, &error);
  g_assert_no_error (error);
  g_clear_object (&waiter.result);

  return token;
}

static GDateTime *
local_day_start_in (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                      g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now),
                                                      0, 0, 0);

  return g_date_time_add_days (today, days);
}

static char *
format_server_date (GDateTime *date)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (date);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static GtkWidget *
child (gpointer    dialog,
       const char *name)
{
  return exk_test_template_child (dialog, G_OBJECT_TYPE (dialog), name);
}

static const char *
error_text (gpointer dialog)
{
  return gtk_label_get_text (GTK_LABEL (child (dialog, "error_label")));
}

static gboolean
error_shown (gpointer dialog)
{
  return gtk_revealer_get_reveal_child (GTK_REVEALER (child (dialog, "error_revealer"))) &&
         error_text (dialog)[0] != '\0';
}

static const char *
visible_page (ExkNewKeyDialog *dialog)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (child (dialog, "stack")));
}

static void
click (gpointer    dialog,
       const char *name)
{
  GtkWidget *button = child (dialog, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  /* Shown on screen, as a person would need it (slow builds may lag a frame). */
  wait_for (gtk_widget_get_mapped (button));
  /* "activate" would only click after a visual press of a quarter second. */
  g_signal_emit_by_name (button, "clicked");
}

/* The page shown, once the stack's crossfade is over. */
static gboolean
page_settled (ExkNewKeyDialog *dialog)
{
  return !gtk_stack_get_transition_running (GTK_STACK (child (dialog, "stack")));
}

/* Picks an item of the Expires row, checking that it is the one meant. */
static void
select_expiry (ExkNewKeyDialog *dialog,
               guint            expiry,
               const char      *label)
{
  AdwComboRow *row = ADW_COMBO_ROW (child (dialog, "expires_row"));
  GtkStringList *model = GTK_STRING_LIST (adw_combo_row_get_model (row));

  g_assert_cmpstr (gtk_string_list_get_string (model, expiry), ==, label);
  adw_combo_row_set_selected (row, expiry);
}

static const char *
expiry_subtitle (ExkNewKeyDialog *dialog)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "expires_row")));
}

static const char *
confirmed_expiry (ExkNewKeyDialog *dialog)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "expires_info_row")));
}

/* "Works until the end of …" with the day in the format used everywhere. */
static char *
dup_works_until (GDateTime *last_day)
{
  g_autofree char *day = exk_format_day (last_day);

  return g_strconcat ("Works until the end of ", day, NULL);
}

static GtkWidget *
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *label = find_label (c, text);

      if (label != NULL)
        return label;
    }

  return NULL;
}

/* GTK 4.8 names a control after its own accessible label and after the label
 * it is labelled by, one after the other: a button with a mnemonic is read
 * "_Cancel Cancel", a radio button labelled by nothing "GtkCheckButton". So
 * each control must be labelled by exactly one label, in @container, that
 * reads @text, and have no accessible label of its own. */
static void
assert_named_by (GtkWidget  *widget,
                 GtkWidget  *container,
                 const char *text)
{
  GtkWidget *label = find_label (container, text);
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (label);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  mismatch = gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL);
  if (mismatch != NULL)
    g_error ("%s is labelled by %s, not by “%s”", G_OBJECT_TYPE_NAME (widget), mismatch, text);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       text);
}

/* Every button with a mnemonic under @widget. */
static void
assert_mnemonics_not_announced (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_use_underline (GTK_BUTTON (widget))
      && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (widget));

      g_assert_true (GTK_IS_LABEL (label));
      g_assert_null (strchr (gtk_label_get_text (GTK_LABEL (label)), '_'));
      assert_named_by (widget, label, gtk_label_get_text (GTK_LABEL (label)));
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    assert_mnemonics_not_announced (c);
}

/* Callbacks */

static void
on_key_created (ExkNewKeyDialog *dialog,
                GParamSpec      *pspec,
                Recorder        *recorder)
{
  recorder->n_created++;
  g_set_object (&recorder->created, exk_new_key_dialog_get_new_key (dialog));
}

static void
on_rotation_decided (ExkNewKeyDialog *dialog,
                     ExkToken        *old_key,
                     ExkToken        *new_key,
                     gboolean         disable_now,
                     Recorder        *recorder)
{
  recorder->n_decided++;
  g_set_object (&recorder->decided_old, old_key);
  g_set_object (&recorder->decided_new, new_key);
  recorder->disable_now = disable_now;
}

static void
on_saved (ExkNotesDialog *dialog,
          ExkToken       *token,
          Recorder       *recorder)
{
  recorder->n_saved++;
  g_set_object (&recorder->saved, token);
}

/* GTK 4.8 neither disposes a destroyed window that the test holds nor notifies
 * that it was hidden, so the test watches the request to close it. */
static gboolean
on_close_request (GtkWindow *dialog,
                  Recorder  *recorder)
{
  recorder->n_close_requests++;

  return GDK_EVENT_PROPAGATE;
}

static gboolean
is_closed (gpointer  dialog,
           Recorder *recorder)
{
  return recorder->n_close_requests > 0 && !gtk_widget_get_visible (dialog);
}

static void
recorder_clear (Recorder *recorder)
{
  g_clear_object (&recorder->created);
  g_clear_object (&recorder->decided_old);
  g_clear_object (&recorder->decided_new);
  g_clear_object (&recorder->saved);
}

/* What this process put on the clipboard, as text. */
static char *
dup_clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);

  return g_value_dup_string (&value);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };

  fixture->server = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->client = exk_client_new (exk_mock_server_get_url (fixture->server), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->server));
  fixture->control = soup_session_new ();

  exk_client_get_project_async (fixture->client, PISTOL_PROJECT_ID, EXK_PROJECT_LIST_NONE, NULL,
                                on_result, &waiter);
  wait_for (waiter.result != NULL);
  fixture->project = exk_client_get_project_finish (fixture->client, waiter.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exk_project_get_name (fixture->project), ==, "Disintegrating Pistol");
  g_clear_object (&waiter.result);

  fixture->key_list = exk_key_list_new (fixture->client, fixture->project, NULL, NULL);
  exk_key_list_reload_async (fixture->key_list, on_result, &waiter);
  wait_for (waiter.result != NULL);
  g_assert_true (exk_key_list_reload_finish (fixture->key_list, waiter.result, &error));
  g_assert_no_error (error);
  g_clear_object (&waiter.result);

  clear_requests (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (g_steal_pointer (&fixture->key_list));
  g_clear_object (&fixture->project);
  g_clear_object (&fixture->control);
  g_assert_finalize_object (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->server);
  g_clear_object (&fixture->server);
}

static ExkNewKeyDialog *
open_new_key_dialog (Fixture  *fixture,
                     ExkToken *old_key,
                     Recorder *recorder)
{
  ExkNewKeyDialog *dialog;

  if (old_key != NULL)
    dialog = exk_new_key_dialog_new_rotation (NULL, fixture->key_list, old_key);
  else
    dialog = exk_new_key_dialog_new (NULL, fixture->key_list);

  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "notify::new-key", G_CALLBACK (on_key_created), recorder);
  g_signal_connect (dialog, "rotation-decided", G_CALLBACK (on_rotation_decided), recorder);
  g_signal_connect (dialog, "close-request", G_CALLBACK (on_close_request), recorder);

  gtk_window_present (GTK_WINDOW (dialog));
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  return dialog;
}

static ExkNotesDialog *
open_notes_dialog (Fixture  *fixture,
                   ExkToken *token,
                   Recorder *recorder)
{
  ExkNotesDialog *dialog = exk_notes_dialog_new (NULL, fixture->key_list, token);

  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "saved", G_CALLBACK (on_saved), recorder);
  g_signal_connect (dialog, "close-request", G_CALLBACK (on_close_request), recorder);

  gtk_window_present (GTK_WINDOW (dialog));
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  return dialog;
}

static void
close_dialog (gpointer dialog)
{
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

/* New key */

static void
test_new_key_client (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char * const expected_scopes[] = { "client", NULL };
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *copied = NULL;
  const char *id;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "New API Key");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (dialog,
                                                                             "window_title"))),
                   ==, "Disintegrating Pistol");
  g_assert_cmpstr (visible_page (dialog), ==, "form");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (dialog, "client_check"))));

  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "notes_row")), "Production web server");
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-form");

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);

  body = get_single_body (fixture, "POST", TOKENS_PATH);
  assert_scopes (body, expected_scopes);
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "Production web server");
  g_assert_false (json_object_has_member (body, "expires_utc"));
  assert_no_nulls (body);

  id = exk_token_get_id (recorder.created);
  g_assert_cmpuint (strlen (id), ==, 40);
  g_assert_cmpstr (visible_page (dialog), ==, "created");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, "key_label"))), ==, id);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (dialog, "key_label"))));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "notes_info_row"))),
                   ==, "Production web server");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "scopes_row"))),
                   ==, "client");
  g_assert_false (gtk_widget_get_visible (child (dialog, "cancel_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "disable_old_button")));
  g_assert_cmpstr (confirmed_expiry (dialog), ==, "Never");
  /* No page opened the dialog: there are no snippets to show. */
  g_assert_false (gtk_widget_get_visible (child (dialog, "snippets_button")));

  stored = get_server_token (fixture, id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (json_object_get_string_member (stored, "notes"), ==, "Production web server");

  click (dialog, "copy_button");
  copied = dup_clipboard_text (GTK_WIDGET (dialog));
  g_assert_cmpstr (copied, ==, id);
  click (dialog, "done_button");
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_created, ==, 1);
  g_assert_cmpuint (recorder.n_decided, ==, 0);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_new_key_source_maps (Fixture       *fixture,
                          gconstpointer  data)
{
  static const char * const expected_scopes[] = { "source-maps:write", NULL };
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  g_autoptr(JsonObject) body = NULL;

  gtk_check_button_set_active (GTK_CHECK_BUTTON (child (dialog, "source_maps_check")), TRUE);
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (dialog, "client_check"))));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (
                              ADW_PREFERENCES_GROUP (child (dialog, "details_group"))),
                            "Source map deployment"));

  /* Enter in the notes field creates the key. */
  g_signal_emit_by_name (child (dialog, "notes_row"), "entry-activated");
  wait_for (recorder.n_created == 1);

  body = get_single_body (fixture, "POST", TOKENS_PATH);
  assert_scopes (body, expected_scopes);
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "Source map deployment");
  assert_no_nulls (body);
  g_assert_true (exk_token_has_scope (recorder.created, "source-maps:write"));
  g_assert_false (exk_token_has_scope (recorder.created, "client"));

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_new_key_user (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const expected_scopes[] = { "user", NULL };
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  g_autoptr(JsonObject) body = NULL;

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (child (dialog, "advanced_row")), TRUE);
  wait_for (gtk_widget_get_mapped (child (dialog, "user_check")));
  g_assert_true (gtk_widget_activate (child (dialog, "user_check")));
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (child (dialog, "user_check"))));

  /* Ctrl+Enter anywhere creates the key. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-key.create", NULL);
  wait_for (recorder.n_created == 1);

  body = get_single_body (fixture, "POST", TOKENS_PATH);
  assert_scopes (body, expected_scopes);
  g_assert_false (json_object_has_member (body, "notes"));
  assert_no_nulls (body);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* The presets count from today; each is said as the last day the key works,
 * and the same words confirm it once the key is made. */
static void
test_new_key_presets (Fixture       *fixture,
                      gconstpointer  data)
{
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  GtkWidget *day_button = child (dialog, "day_button");
  GtkCalendar *calendar = GTK_CALENDAR (child (dialog, "calendar"));
  g_autoptr(GDateTime) today = local_day_start_in (0);
  g_autoptr(GDateTime) in_30_days = local_day_start_in (30);
  g_autoptr(GDateTime) in_90_days = local_day_start_in (90);
  g_autoptr(GDateTime) in_1_year = g_date_time_add_years (today, 1);
  g_autoptr(GDateTime) expected = NULL;
  g_autoptr(GDateTime) shown = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *until_30 = dup_works_until (in_30_days);
  g_autofree char *until_90 = dup_works_until (in_90_days);
  g_autofree char *until_1_year = dup_works_until (in_1_year);
  g_autofree char *picked = NULL;

  /* Never by default, and nothing else to fill in. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (dialog, "expires_row"))),
                    ==, EXPIRY_NEVER);
  g_assert_cmpstr (expiry_subtitle (dialog), ==, "");
  g_assert_false (gtk_widget_get_visible (day_button));

  select_expiry (dialog, EXPIRY_30_DAYS, "In 30 days");
  g_assert_cmpstr (expiry_subtitle (dialog), ==, until_30);
  g_assert_false (gtk_widget_get_visible (day_button));

  select_expiry (dialog, EXPIRY_90_DAYS, "In 90 days");
  g_assert_cmpstr (expiry_subtitle (dialog), ==, until_90);
  /* The calendar follows, for a chosen day near the preset. */
  shown = gtk_calendar_get_date (calendar);
  g_assert_cmpint (g_date_time_get_day_of_year (shown), ==,
                   g_date_time_get_day_of_year (in_90_days));

  select_expiry (dialog, EXPIRY_1_YEAR, "In 1 year");
  g_assert_cmpstr (expiry_subtitle (dialog), ==, until_1_year);
  g_assert_null (strstr (expiry_subtitle (dialog), "  "));
  picked = g_strdup (expiry_subtitle (dialog));
  exk_test_wait_for_paint (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-expiry");

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);

  /* The key works until the end of the day shown: it expires at the next local midnight. */
  expected = g_date_time_add_days (in_1_year, 1);
  expected_text = format_server_date (expected);
  body = get_single_body (fixture, "POST", TOKENS_PATH);
  g_assert_cmpstr (json_object_get_string_member (body, "expires_utc"), ==, expected_text);
  g_assert_true (g_date_time_equal (exk_token_get_expires (recorder.created), expected));

  /* Confirmed in the very words it was picked with. */
  g_assert_cmpstr (visible_page (dialog), ==, "created");
  g_assert_cmpstr (confirmed_expiry (dialog), ==, picked);
  wait_for (page_settled (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-created-expiry");

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_new_key_chosen_day (Fixture       *fixture,
                         gconstpointer  data)
{
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  GtkWidget *day_button = child (dialog, "day_button");
  GtkCalendar *calendar = GTK_CALENDAR (child (dialog, "calendar"));
  g_autoptr(GDateTime) in_30_days = local_day_start_in (30);
  g_autoptr(GDateTime) day = local_day_start_in (10);
  g_autoptr(GDateTime) expected = local_day_start_in (11);
  g_autoptr(GDateTime) shown = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *expected_text = format_server_date (expected);
  g_autofree char *until_30 = dup_works_until (in_30_days);
  g_autofree char *until_day = dup_works_until (day);
  g_autofree char *picked = NULL;

  /* A chosen day starts from the preset picked before, in a calendar opened at once. */
  select_expiry (dialog, EXPIRY_30_DAYS, "In 30 days");
  select_expiry (dialog, EXPIRY_CHOSEN_DAY, "Custom date");
  exk_test_wait_until_mapped (day_button);
  exk_test_wait_until_mapped (GTK_WIDGET (calendar));
  g_assert_cmpstr (expiry_subtitle (dialog), ==, until_30);
  shown = gtk_calendar_get_date (calendar);
  g_assert_cmpint (g_date_time_get_day_of_year (shown), ==,
                   g_date_time_get_day_of_year (in_30_days));

  gtk_calendar_select_day (calendar, day);
  g_assert_cmpstr (expiry_subtitle (dialog), ==, until_day);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (day_button),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Choose the Last Day");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (day_button));
  picked = g_strdup (expiry_subtitle (dialog));
  exk_test_wait_for_paint (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-chosen-day");

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);

  body = get_single_body (fixture, "POST", TOKENS_PATH);
  g_assert_cmpstr (json_object_get_string_member (body, "expires_utc"), ==, expected_text);
  g_assert_true (g_date_time_equal (exk_token_get_expires (recorder.created), expected));
  g_assert_cmpstr (confirmed_expiry (dialog), ==, picked);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_new_key_past_expiry (Fixture       *fixture,
                          gconstpointer  data)
{
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  GtkCalendar *calendar = GTK_CALENDAR (child (dialog, "calendar"));
  g_autoptr(GDateTime) yesterday = local_day_start_in (-1);
  g_autoptr(GDateTime) today = local_day_start_in (0);

  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "notes_row")), "Old laptop");
  select_expiry (dialog, EXPIRY_CHOSEN_DAY, "Custom date");

  /* Yesterday and today would both give a key that fails at once. */
  gtk_calendar_select_day (calendar, yesterday);
  g_assert_cmpstr (expiry_subtitle (dialog), ==, "Choose a day after today");
  /* Refused in the dialog, before anything is sent: the error shows at once. */
  click (dialog, "create_button");
  g_assert_true (error_shown (dialog));
  g_assert_nonnull (strstr (error_text (dialog), "after today"));
  exk_test_wait_until_mapped (child (dialog, "error_label"));
  exk_test_wait_for_paint (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-past-date");

  gtk_calendar_select_day (calendar, today);
  g_assert_cmpstr (expiry_subtitle (dialog), ==, "Choose a day after today");
  click (dialog, "create_button");
  g_assert_true (error_shown (dialog));
  g_assert_false (gtk_widget_get_visible (child (dialog, "spinner")));

  g_assert_cmpuint (count_requests (fixture, "POST", "/api/v2/"), ==, 0);
  g_assert_cmpuint (recorder.n_created, ==, 0);
  g_assert_cmpstr (visible_page (dialog), ==, "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "notes_row"))), ==,
                   "Old laptop");

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* What a screen reader says about the dialog's controls. */
static void
test_new_key_accessible (Fixture       *fixture,
                         gconstpointer  data)
{
  static const struct
  {
    const char *check;
    const char *label;
  } kinds[] = {
    { "client_check", "Client key" },
    { "source_maps_check", "Source map upload token" },
    { "user_check", "User key" },
  };
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  GtkWidget *expires_row = child (dialog, "expires_row");

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *check = child (dialog, kinds[i].check);

      assert_named_by (check, gtk_widget_get_ancestor (check, ADW_TYPE_ACTION_ROW),
                       kinds[i].label);
      g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (check),
                                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
    }
  assert_named_by (expires_row, expires_row, "Expires");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (child (dialog, "day_button")),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Choose the Last Day");
  assert_mnemonics_not_announced (GTK_WIDGET (dialog));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);
  assert_named_by (child (dialog, "copy_button"), child (dialog, "copy_button"), "Copy Key");
  assert_named_by (child (dialog, "done_button"), child (dialog, "done_button"), "Done");
  assert_mnemonics_not_announced (GTK_WIDGET (dialog));

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* The next step after making a key: its setup snippets, on the Overview of
 * the page that opened the dialog. */
static void
test_new_key_show_snippets (Fixture       *fixture,
                            gconstpointer  data)
{
  Recorder recorder = { 0 };
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  ExkProjectPage *page = g_object_new (EXK_TYPE_PROJECT_PAGE, NULL);
  AdwViewStack *view_stack = exk_project_page_get_view_stack (page);
  ExkNewKeyDialog *dialog;

  g_object_ref (window);
  gtk_window_set_default_size (window, 960, 640);
  gtk_window_set_child (window, GTK_WIDGET (page));
  exk_project_page_set_key_list (page, fixture->key_list);
  gtk_window_present (window);
  exk_test_wait_until_mapped (GTK_WIDGET (page));
  wait_for (!exk_key_list_get_loading (fixture->key_list));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, "keys");

  dialog = exk_new_key_dialog_new (window, fixture->key_list);
  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "notify::new-key", G_CALLBACK (on_key_created), &recorder);
  g_signal_connect (dialog, "close-request", G_CALLBACK (on_close_request), &recorder);
  gtk_window_present (GTK_WINDOW (dialog));
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  /* Only once there is a key to set up. */
  g_assert_false (gtk_widget_get_mapped (child (dialog, "snippets_button")));
  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);
  g_assert_true (gtk_widget_get_visible (child (dialog, "snippets_button")));
  assert_named_by (child (dialog, "snippets_button"), child (dialog, "snippets_button"),
                   "Show Setup Snippets");
  wait_for (page_settled (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-created");

  click (dialog, "snippets_button");
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, "overview");

  close_dialog (dialog);
  recorder_clear (&recorder);
  wait_for (!exk_key_list_get_loading (fixture->key_list));
  gtk_window_destroy (window);
  exk_test_finalize_soon (window);
}

typedef struct
{
  const char *fault;
  const char *message_part;
  const char *screenshot;
} FailureCase;

static const FailureCase validation_case = {
  "POST " TOKENS_PATH "=status:422*1", "did not accept", "dialog-new-key-error",
};
static const FailureCase plan_limit_case = {
  "POST " TOKENS_PATH "=status:426*1", "plan", NULL,
};
static const FailureCase network_case = {
  "POST " TOKENS_PATH "=drop*1", "server", NULL,
};

static void
test_new_key_failure (Fixture       *fixture,
                      gconstpointer  data)
{
  const FailureCase *failure = data;
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  GtkWidget *create_button = child (dialog, "create_button");

  add_fault (fixture, failure->fault);

  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "notes_row")), "Staging «API»");
  click (dialog, "create_button");
  wait_for (error_shown (dialog));
  wait_for (gtk_widget_get_mapped (child (dialog, "error_label")));

  g_test_message ("error shown: %s", error_text (dialog));
  g_assert_nonnull (strstr (error_text (dialog), failure->message_part));
  g_assert_false (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_created, ==, 0);
  g_assert_cmpstr (visible_page (dialog), ==, "form");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (dialog, "notes_row"))), ==,
                   "Staging «API»");
  g_assert_true (gtk_widget_is_sensitive (create_button));
  g_assert_false (gtk_widget_get_visible (child (dialog, "spinner")));
  if (failure->screenshot != NULL)
    exk_test_save_screenshot (GTK_WIDGET (dialog), failure->screenshot);

  /* The fault was for one request: trying again works and hides the message. */
  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (dialog, "error_revealer"))));
  g_assert_cmpstr (exk_token_get_notes (recorder.created), ==, "Staging «API»");

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_new_key_busy (Fixture       *fixture,
                   gconstpointer  data)
{
  Recorder recorder = { 0 };
  ExkNewKeyDialog *dialog = open_new_key_dialog (fixture, NULL, &recorder);
  guint n_keys;

  add_fault (fixture, "POST " TOKENS_PATH "=slow:1500*1");
  click (dialog, "create_button");
  wait_for (count_requests (fixture, "POST", TOKENS_PATH) == 1);

  g_assert_true (gtk_widget_get_visible (child (dialog, "spinner")));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "create_button")));
  g_assert_false (gtk_widget_is_sensitive (child (dialog, "notes_row")));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-new-key-busy");

  /* Cancel closes the dialog; the server makes the key all the same, and the
   * key list shows it rather than losing it. */
  n_keys = g_list_model_get_n_items (G_LIST_MODEL (fixture->key_list));
  click (dialog, "cancel_button");
  wait_for (is_closed (dialog, &recorder));
  wait_for (g_list_model_get_n_items (G_LIST_MODEL (fixture->key_list)) == n_keys + 1);
  g_assert_cmpuint (recorder.n_created, ==, 0);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* Rotation */

static void
test_rotation (Fixture       *fixture,
               gconstpointer  data)
{
  static const char * const scopes[] = { "user", NULL };
  Recorder recorder = { 0 };
  g_autoptr(GDateTime) expires = local_day_start_in (30);
  g_autoptr(ExkToken) old_key = create_token (fixture, scopes, "CI «runner»", expires);
  ExkNewKeyDialog *dialog;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) stored_old = NULL;
  g_autoptr(JsonObject) stored_new = NULL;
  g_autofree char *prefix = g_strdup_printf ("%.6s…", exk_token_get_id (old_key));
  g_auto(GStrv) new_scopes = NULL;

  clear_requests (fixture);
  dialog = open_new_key_dialog (fixture, old_key, &recorder);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Replace Key");
  g_assert_cmpstr (visible_page (dialog), ==, "rotate");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (dialog, "create_button"))), ==,
                   "C_reate Replacement");
  assert_mnemonics_not_announced (GTK_WIDGET (dialog));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "old_key_row"))),
                   ==, prefix);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "old_notes_row"))),
                   ==, "CI «runner»");
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-rotate");

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);

  /* Exactly the old key's scopes, notes and expiry. */
  body = get_single_body (fixture, "POST", TOKENS_PATH);
  new_scopes = dup_string_array (json_object_get_array_member (body, "scopes"));
  g_assert_true (same_scopes ((const char * const *) new_scopes,
                              exk_token_get_scopes (old_key)));
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==, "CI «runner»");
  g_assert_true (json_object_has_member (body, "expires_utc"));
  assert_no_nulls (body);
  g_assert_true (same_scopes (exk_token_get_scopes (recorder.created),
                              exk_token_get_scopes (old_key)));
  g_assert_true (g_date_time_equal (exk_token_get_expires (recorder.created), expires));
  g_assert_cmpstr (exk_token_get_id (recorder.created), !=, exk_token_get_id (old_key));

  g_assert_cmpstr (visible_page (dialog), ==, "created");
  /* Deploy first: Done (keep the old key for now) is the default, disabling the second choice. */
  g_assert_true (gtk_widget_get_visible (child (dialog, "done_button")));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == child (dialog,
                                                                                 "done_button"));
  g_assert_true (gtk_widget_get_visible (child (dialog, "disable_old_button")));
  g_assert_false (gtk_widget_has_css_class (child (dialog, "disable_old_button"),
                                            "destructive-action"));
  g_assert_false (gtk_widget_get_visible (child (dialog, "cancel_button")));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (dialog, "key_label"))), ==,
                   exk_token_get_id (recorder.created));
  wait_for (page_settled (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-rotate-created");

  click (dialog, "disable_old_button");
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_decided, ==, 1);
  g_assert_true (recorder.disable_now);
  g_assert_true (recorder.decided_old == old_key);
  g_assert_true (recorder.decided_new == recorder.created);

  /* Disabling is the caller's job: both keys still work. */
  stored_old = get_server_token (fixture, exk_token_get_id (old_key));
  stored_new = get_server_token (fixture, exk_token_get_id (recorder.created));
  g_assert_false (json_object_get_boolean_member (stored_old, "is_disabled"));
  g_assert_nonnull (stored_new);
  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/v2/"), ==, 0);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_rotation_later (Fixture       *fixture,
                     gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) old_key = create_token (fixture, NULL, NULL, NULL);
  ExkNewKeyDialog *dialog;
  g_autoptr(JsonObject) body = NULL;

  clear_requests (fixture);
  dialog = open_new_key_dialog (fixture, old_key, &recorder);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (dialog, "old_notes_row"))),
                   ==, "None");

  gtk_widget_activate_action (GTK_WIDGET (dialog), "new-key.create", NULL);
  wait_for (recorder.n_created == 1);

  body = get_single_body (fixture, "POST", TOKENS_PATH);
  g_assert_false (json_object_has_member (body, "notes"));
  g_assert_false (json_object_has_member (body, "expires_utc"));
  assert_no_nulls (body);

  /* Closing without a choice (Escape, the window manager) counts as "Later". */
  gtk_window_close (GTK_WINDOW (dialog));
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_decided, ==, 1);
  g_assert_false (recorder.disable_now);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_rotation_expired (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const scopes[] = { "source-maps:write", NULL };
  static const char * const expected_scopes[] = { "source-maps:write", NULL };
  Recorder recorder = { 0 };
  g_autoptr(GDateTime) expired = local_day_start_in (-3);
  g_autoptr(ExkToken) old_key = create_token (fixture, scopes, "Deploy", expired);
  ExkNewKeyDialog *dialog;
  g_autoptr(JsonObject) body = NULL;

  clear_requests (fixture);
  dialog = open_new_key_dialog (fixture, old_key, &recorder);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (
                                     ADW_ACTION_ROW (child (dialog, "old_expires_row"))),
                                   "Expired at the end of "));

  click (dialog, "create_button");
  wait_for (recorder.n_created == 1);

  /* The replacement of an expired key would fail at once with the same date. */
  body = get_single_body (fixture, "POST", TOKENS_PATH);
  assert_scopes (body, expected_scopes);
  g_assert_false (json_object_has_member (body, "expires_utc"));
  g_assert_null (exk_token_get_expires (recorder.created));

  click (dialog, "done_button");
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_decided, ==, 1);
  g_assert_false (recorder.disable_now);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* Notes */

static void
test_notes_save (Fixture       *fixture,
                 gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) token = create_token (fixture, NULL, "Production web server", NULL);
  g_autofree char *prefix = g_strdup_printf ("%.6s…", exk_token_get_id (token));
  g_autofree char *path = g_strconcat ("/api/v2/tokens/", exk_token_get_id (token), NULL);
  ExkNotesDialog *dialog;
  GtkWidget *notes_row;
  GtkWidget *focus;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) stored = NULL;
  int start = -1, end = -1;

  clear_requests (fixture);
  dialog = open_notes_dialog (fixture, token, &recorder);
  notes_row = child (dialog, "notes_row");

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Notes");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (child (dialog,
                                                                             "window_title"))),
                   ==, prefix);

  /* Pre-filled, focused and selected, so that typing replaces the notes. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes_row)), ==, "Production web server");
  focus = gtk_root_get_focus (GTK_ROOT (dialog));
  g_assert_nonnull (focus);
  g_assert_true (focus == notes_row || gtk_widget_is_ancestor (focus, notes_row));
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (notes_row), &start, &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, g_utf8_strlen ("Production web server", -1));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-notes");

  gtk_editable_set_text (GTK_EDITABLE (notes_row), "Production web server (EU)");
  g_signal_emit_by_name (notes_row, "entry-activated");
  wait_for (is_closed (dialog, &recorder));

  g_assert_cmpuint (recorder.n_saved, ==, 1);
  g_assert_cmpstr (exk_token_get_notes (recorder.saved), ==, "Production web server (EU)");
  body = get_single_body (fixture, "PATCH", path);
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "notes"), ==,
                   "Production web server (EU)");
  stored = get_server_token (fixture, exk_token_get_id (token));
  g_assert_cmpstr (json_object_get_string_member (stored, "notes"), ==,
                   "Production web server (EU)");

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_notes_clear (Fixture       *fixture,
                  gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) token = create_token (fixture, NULL, "Temporary", NULL);
  g_autofree char *path = g_strconcat ("/api/v2/tokens/", exk_token_get_id (token), NULL);
  ExkNotesDialog *dialog;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) stored = NULL;

  clear_requests (fixture);
  dialog = open_notes_dialog (fixture, token, &recorder);

  gtk_editable_set_text (GTK_EDITABLE (child (dialog, "notes_row")), "  ");
  click (dialog, "save_button");
  wait_for (is_closed (dialog, &recorder));

  g_assert_cmpuint (recorder.n_saved, ==, 1);
  g_assert_null (exk_token_get_notes (recorder.saved));
  body = get_single_body (fixture, "PATCH", path);
  g_assert_cmpuint (json_object_get_size (body), ==, 1);
  g_assert_true (json_object_has_member (body, "notes"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "notes")));
  stored = get_server_token (fixture, exk_token_get_id (token));
  g_assert_false (json_object_has_member (stored, "notes"));

  close_dialog (dialog);
  recorder_clear (&recorder);
}

static void
test_notes_failure (Fixture       *fixture,
                    gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) token = create_token (fixture, NULL, "Before", NULL);
  ExkNotesDialog *dialog;
  GtkWidget *notes_row;

  dialog = open_notes_dialog (fixture, token, &recorder);
  notes_row = child (dialog, "notes_row");
  add_fault (fixture, "PATCH /api/v2/tokens=status:500*1");

  gtk_editable_set_text (GTK_EDITABLE (notes_row), "After");
  click (dialog, "save_button");
  wait_for (error_shown (dialog));
  wait_for (gtk_widget_get_mapped (child (dialog, "error_label")));

  g_test_message ("error shown: %s", error_text (dialog));
  g_assert_nonnull (strstr (error_text (dialog), "500"));
  g_assert_false (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_saved, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes_row)), ==, "After");
  g_assert_false (gtk_editable_get_selection_bounds (GTK_EDITABLE (notes_row), NULL, NULL));
  g_assert_true (gtk_widget_is_sensitive (child (dialog, "save_button")));
  g_assert_false (gtk_widget_get_visible (child (dialog, "spinner")));
  wait_for (gtk_revealer_get_child_revealed (GTK_REVEALER (child (dialog, "error_revealer"))));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-notes-error");

  /* Escape closes without saving. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "window.close", NULL);
  wait_for (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_saved, ==, 0);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* Save waits for a change; the hidden error takes no room above the field. */
static void
test_notes_unchanged (Fixture       *fixture,
                      gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) token = create_token (fixture, NULL, "Staging", NULL);
  ExkNotesDialog *dialog;
  GtkWidget *notes_row;
  GtkWidget *save_button;

  clear_requests (fixture);
  dialog = open_notes_dialog (fixture, token, &recorder);
  notes_row = child (dialog, "notes_row");
  save_button = child (dialog, "save_button");
  exk_test_wait_for_paint (GTK_WIDGET (dialog));

  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (child (dialog,
                                                                      "error_revealer"))));
  g_assert_cmpint (gtk_widget_get_height (child (dialog, "error_revealer")), ==, 0);
  assert_mnemonics_not_announced (GTK_WIDGET (dialog));

  g_assert_false (gtk_widget_is_sensitive (save_button));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "dialog-notes-unchanged");

  /* Spaces around the notes are not saved, so they are no change. */
  gtk_editable_set_text (GTK_EDITABLE (notes_row), "Staging ");
  g_assert_false (gtk_widget_is_sensitive (save_button));
  g_signal_emit_by_name (notes_row, "entry-activated");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "notes.save", NULL);

  gtk_editable_set_text (GTK_EDITABLE (notes_row), "Staging 2");
  g_assert_true (gtk_widget_is_sensitive (save_button));

  gtk_editable_set_text (GTK_EDITABLE (notes_row), "Staging");
  g_assert_false (gtk_widget_is_sensitive (save_button));

  /* Nothing was sent, and the dialog is still open. */
  exk_test_wait_for_paint (GTK_WIDGET (dialog));
  g_assert_false (is_closed (dialog, &recorder));
  g_assert_cmpuint (recorder.n_saved, ==, 0);
  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/v2/"), ==, 0);

  close_dialog (dialog);
  recorder_clear (&recorder);
}

/* A key without notes: any text is a change, and clearing it again is none. */
static void
test_notes_none (Fixture       *fixture,
                 gconstpointer  data)
{
  Recorder recorder = { 0 };
  g_autoptr(ExkToken) token = create_token (fixture, NULL, NULL, NULL);
  ExkNotesDialog *dialog = open_notes_dialog (fixture, token, &recorder);
  GtkWidget *notes_row = child (dialog, "notes_row");
  GtkWidget *save_button = child (dialog, "save_button");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (notes_row)), ==, "");
  g_assert_false (gtk_widget_is_sensitive (save_button));

  gtk_editable_set_text (GTK_EDITABLE (notes_row), "CI");
  g_assert_true (gtk_widget_is_sensitive (save_button));

  gtk_editable_set_text (GTK_EDITABLE (notes_row), " ");
  g_assert_false (gtk_widget_is_sensitive (save_button));

  close_dialog (dialog);
  recorder_clear (&recorder);
}

int
main (int   argc,
      char *argv[])
{
  /* Fourteen hours ahead of UTC, local days and UTC days mostly differ: a day
   * shown from the wrong one of them would be caught. */
  g_setenv ("TZ", "Pacific/Kiritimati", TRUE);

  exk_test_init_ui (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add ("/exkeys/dialogs/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("new-key-client", NULL, test_new_key_client);
  ADD ("new-key-source-maps", NULL, test_new_key_source_maps);
  ADD ("new-key-user", NULL, test_new_key_user);
  ADD ("new-key-presets", NULL, test_new_key_presets);
  ADD ("new-key-chosen-day", NULL, test_new_key_chosen_day);
  ADD ("new-key-past-expiry", NULL, test_new_key_past_expiry);
  ADD ("new-key-accessible", NULL, test_new_key_accessible);
  ADD ("new-key-show-snippets", NULL, test_new_key_show_snippets);
  ADD ("new-key-validation-error", &validation_case, test_new_key_failure);
  ADD ("new-key-plan-limit", &plan_limit_case, test_new_key_failure);
  ADD ("new-key-network-error", &network_case, test_new_key_failure);
  ADD ("new-key-cancel-while-busy", NULL, test_new_key_busy);
  ADD ("rotation-disable-now", NULL, test_rotation);
  ADD ("rotation-later", NULL, test_rotation_later);
  ADD ("rotation-expired", NULL, test_rotation_expired);
  ADD ("notes-save", NULL, test_notes_save);
  ADD ("notes-clear", NULL, test_notes_clear);
  ADD ("notes-failure", NULL, test_notes_failure);
  ADD ("notes-unchanged", NULL, test_notes_unchanged);
  ADD ("notes-none", NULL, test_notes_none);

#undef ADD

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-format.h"
#include "exk-mock-server.h"
#include "exk-project-overview.h"
#include "exk-test-util.h"

#define PISTOL_PROJECT_ID "537650f3b77efe23a47914f4"

/* The overview of the demo project against the mock server over loopback,
 * with the project's real key list in a GListStore, as the API Keys tab keeps
 * it. */
typedef struct
{
  ExkMockServer      *server;
  ExkClient          *client;
  ExkProject         *project;
  GListStore         *keys;
  GtkWindow          *window;
  ExkProjectOverview *overview;
} Fixture;

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (AsyncWait *wait)
{
  return wait->result != NULL;
}

static ExkProject *
fetch_project (ExkClient *client)
{
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;
  ExkProject *project;

  exk_client_get_project_async (client, PISTOL_PROJECT_ID, EXK_PROJECT_LIST_NONE, NULL,
                                on_async_done, &wait);
  exk_test_assert_wait (has_result, &wait);
  project = exk_client_get_project_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  return project;
}

static GListStore *
fetch_keys (ExkClient *client)
{
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tokens = NULL;
  GListStore *store = g_list_store_new (EXK_TYPE_TOKEN);

  exk_client_list_project_tokens_async (client, PISTOL_PROJECT_ID, NULL, on_async_done, &wait);
  exk_test_assert_wait (has_result, &wait);
  tokens = exk_client_list_project_tokens_finish (client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  g_list_store_splice (store, 0, 0, tokens->pdata, tokens->len);
  return store;
}

static GtkWidget *
child (Fixture    *fixture,
       const char *name)
{
  return exk_test_template_child (fixture->overview, EXK_TYPE_PROJECT_OVERVIEW, name);
}

static const char *
label_text (Fixture    *fixture,
            const char *name)
{
  return gtk_label_get_text (GTK_LABEL (child (fixture, name)));
}

static gboolean
is_loaded (Fixture *fixture)
{
  gboolean loading;

  g_object_get (fixture->overview, "loading", &loading, NULL);
  return !loading;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = exk_mock_server_start_in_thread (NULL, &error);
  g_assert_no_error (error);

  fixture->client = exk_client_new (exk_mock_server_get_url (fixture->server), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->server));

  fixture->project = fetch_project (fixture->client);
  fixture->keys = fetch_keys (fixture->client);

  fixture->window = g_object_ref (GTK_WINDOW (gtk_window_new ()));
  gtk_window_set_default_size (fixture->window, GPOINTER_TO_INT (data), 1000);
  fixture->overview = EXK_PROJECT_OVERVIEW (exk_project_overview_new ());
  g_object_ref (fixture->overview);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overview));
  gtk_window_present (fixture->window);
  exk_test_wait_until_mapped (GTK_WIDGET (fixture->overview));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->window);
  g_assert_finalize_object (fixture->overview);

  g_assert_finalize_object (fixture->keys);
  g_assert_finalize_object (fixture->project);
  /* A load the page cancelled holds the client until it has reported back. */
  exk_test_finalize_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->server);
  g_assert_finalize_object (fixture->server);
}

static void
show_project (Fixture *fixture)
{
  exk_project_overview_set_keys (fixture->overview, G_LIST_MODEL (fixture->keys));
  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);
  exk_test_assert_wait (is_loaded, fixture);
}

/* After a frame, so that what changed is laid out and drawn. */
static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  exk_test_wait_for_paint (GTK_WIDGET (fixture->window));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), name);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Appends the text of every mapped label under @widget, one a line. */
static void
collect_label_text (GtkWidget *widget,
                    GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_label_text (c, out);
}

static void
scroll_to_end (Fixture *fixture)
{
  GtkScrolledWindow *scrolled =
    GTK_SCROLLED_WINDOW (find_descendant (GTK_WIDGET (fixture->overview), GTK_TYPE_SCROLLED_WINDOW));
  GtkAdjustment *adjustment;

  g_assert_nonnull (scrolled);
  /* The adjustment's bounds are those of the last layout. */
  exk_test_wait_for_paint (GTK_WIDGET (scrolled));
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                                        - gtk_adjustment_get_page_size (adjustment));
}

static ExkToken *
selected_key (Fixture *fixture)
{
  return adw_combo_row_get_selected_item (ADW_COMBO_ROW (child (fixture, "key_row")));
}

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (char **text)
{
  return *text != NULL;
}

static char *
read_clipboard (Fixture *fixture)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->overview));
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &text);
  exk_test_assert_wait (is_set, &text);
  return text;
}

/* The value of an accessible property of @widget, or NULL where it has none. */
static char *
dup_accessible_property (GtkWidget             *widget,
                         GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;

  /* Checked against a value it cannot have, GTK answers with the one it has. */
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                             "\x01 no such value");
}

/* Fails if @key appears anywhere a person or a screen reader could get it
 * from under @widget: the text of a label (shown or not), a tooltip, an
 * accessible label or description. */
static void
assert_key_nowhere (GtkWidget  *widget,
                    const char *key)
{
  g_autofree char *accessible_label =
    dup_accessible_property (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_autofree char *accessible_description =
    dup_accessible_property (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (GTK_IS_LABEL (widget))
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (widget)), key));
  g_assert_true (tooltip == NULL || strstr (tooltip, key) == NULL);
  g_assert_true (accessible_label == NULL || strstr (accessible_label, key) == NULL);
  g_assert_true (accessible_description == NULL || strstr (accessible_description, key) == NULL);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    assert_key_nowhere (c, key);
}

static const char * const snippet_labels[] = { "dotnet_label", "javascript_label", "curl_label" };

static void
assert_snippets_masked (Fixture *fixture)
{
  ExkToken *chosen = selected_key (fixture);
  g_autofree char *masked = exk_format_masked_key (exk_token_get_id (chosen));
  g_autofree char *reveal_label = dup_accessible_property (child (fixture, "reveal_button"),
                                                           GTK_ACCESSIBLE_PROPERTY_LABEL);

  /* The way accessible labels are read here does read them. */
  g_assert_cmpstr (reveal_label, ==, "Show Key");

  for (guint i = 0; i < G_N_ELEMENTS (snippet_labels); i++)
    g_assert_nonnull (strstr (label_text (fixture, snippet_labels[i]), masked));
  assert_key_nowhere (GTK_WIDGET (fixture->window), exk_token_get_id (chosen));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (fixture,
                                                                          "reveal_button"))));
}

static void
click_reveal (Fixture *fixture)
{
  exk_test_click (child (fixture, "reveal_button"));
}

static void
test_details (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *copied = NULL;
  g_autofree char *full_date = NULL;
  const char *created;

  /* Nothing shown, nothing to copy. */
  g_assert_cmpstr (label_text (fixture, "id_label"), ==, "");
  g_assert_false (gtk_widget_get_visible (child (fixture, "snippets_box")));

  show_project (fixture);

  g_assert_cmpstr (label_text (fixture, "id_label"), ==, PISTOL_PROJECT_ID);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (fixture, "id_label"))));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "organization_row"))),
                   ==, "Acme");
  created = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "created_row")));
  g_assert_nonnull (created);
  g_assert_true (g_str_has_suffix (created, "ago)") || g_str_has_suffix (created, "(today)")
                 || g_str_has_suffix (created, "(yesterday)"));
  /* The app's one date format, not the ambiguous "%x" (02/01/24). */
  full_date = exk_format_full_date (exk_project_get_created (fixture->project));
  g_assert_true (g_str_has_prefix (created, full_date));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->overview),
                                             "overview.copy-project-id", NULL));
  copied = read_clipboard (fixture);
  g_assert_cmpstr (copied, ==, PISTOL_PROJECT_ID);

  save_screenshot (fixture, "overview");

  /* Clearing the project leaves an empty page. */
  exk_project_overview_set_project (fixture->overview, NULL, NULL);
  g_assert_cmpstr (label_text (fixture, "id_label"), ==, "");
  g_assert_false (gtk_widget_get_visible (child (fixture, "snippets_box")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "no_key_row")));
  g_assert_cmpstr (label_text (fixture, "curl_label"), ==, "");
}

static void
test_stats (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *stacks = exk_format_count (42);
  g_autofree char *events = exk_format_count (1873);

  exk_project_overview_set_keys (fixture->overview, G_LIST_MODEL (fixture->keys));
  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);

  /* The list's project has no counts: they are loaded, with a spinner. */
  g_assert_true (!is_loaded (fixture));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (fixture, "stacks_stack"))),
                   ==, "loading");
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (child (fixture, "stacks_spinner"))));

  exk_test_assert_wait (is_loaded, fixture);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (fixture, "stacks_stack"))),
                   ==, "value");
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (child (fixture, "stacks_spinner"))));
  g_assert_cmpstr (label_text (fixture, "stacks_label"), ==, stacks);
  g_assert_cmpstr (label_text (fixture, "events_label"), ==, events);
  g_assert_false (gtk_widget_get_visible (child (fixture, "stats_error_row")));
}

/* Makes a locale that groups thousands ("1,873") where the tests can use it:
 * the test environment only has C.UTF-8. */
static char *
make_grouping_locale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("exkeys-locale-XXXXXX", &error);
  g_autofree char *path = NULL;
  const char *argv[] = { "localedef", "-i", "en_US", "-f", "UTF-8", NULL, NULL };
  int status;

  g_assert_no_error (error);
  path = g_build_filename (dir, "en_US.UTF-8", NULL);
  argv[5] = path;
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, NULL)
      || !g_spawn_check_wait_status (status, NULL))
    {
      g_rmdir (dir);
      return NULL;
    }

  return g_steal_pointer (&dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *c;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL && g_file_enumerator_iterate (children, &info, &c, NULL, NULL)
         && info != NULL)
    remove_tree (g_file_peek_path (c));
  g_file_delete (file, NULL, NULL);
}

/* The counts are shown in the user's locale: through exk_format_count(),
 * which groups thousands where the locale does. */
static void
test_stats_locale (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *dir = make_grouping_locale ();
  g_autofree char *events = NULL;
  g_autofree char *stacks = NULL;

  if (dir == NULL)
    {
      g_test_skip ("localedef could not make en_US.UTF-8 (no locale sources installed)");
      return;
    }

  g_setenv ("LOCPATH", dir, TRUE);
  g_assert_nonnull (setlocale (LC_NUMERIC, "en_US.UTF-8"));

  show_project (fixture);
  events = exk_format_count (1873);
  stacks = exk_format_count (42);
  /* The locale took: a count that skipped the format would differ. */
  g_assert_cmpstr (events, !=, "1873");
  g_assert_cmpstr (label_text (fixture, "events_label"), ==, events);
  g_assert_cmpstr (label_text (fixture, "stacks_label"), ==, stacks);
  save_screenshot (fixture, "overview-locale");

  setlocale (LC_NUMERIC, "C");
  g_unsetenv ("LOCPATH");
  remove_tree (dir);
}

static gboolean
is_error_shown (Fixture *fixture)
{
  return gtk_widget_get_visible (child (fixture, "stats_error_row"));
}

static void
test_stats_error (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stacks = exk_format_count (42);
  g_autofree char *events = exk_format_count (1873);
  const char *message;

  exk_mock_server_add_fault (fixture->server, "GET /api/v2/projects=status:503*1", &error);
  g_assert_no_error (error);

  show_project (fixture);

  g_assert_true (is_error_shown (fixture));
  g_assert_false (gtk_widget_get_visible (child (fixture, "stacks_row")));
  g_assert_false (gtk_widget_get_visible (child (fixture, "events_row")));
  message = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture, "stats_error_row")));
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");

  /* The rest of the page does not depend on the counts. */
  g_assert_cmpstr (label_text (fixture, "id_label"), ==, PISTOL_PROJECT_ID);
  g_assert_true (gtk_widget_get_visible (child (fixture, "snippets_box")));

  save_screenshot (fixture, "overview-error");

  /* Retry: the fault was for one request only. */
  g_signal_emit_by_name (child (fixture, "retry_button"), "clicked");
  g_assert_false (is_error_shown (fixture));
  exk_test_assert_wait (is_loaded, fixture);
  g_assert_false (is_error_shown (fixture));
  g_assert_true (gtk_widget_get_visible (child (fixture, "stacks_row")));
  g_assert_cmpstr (label_text (fixture, "stacks_label"), ==, stacks);
  g_assert_cmpstr (label_text (fixture, "events_label"), ==, events);
}

static gboolean
is_usable_client_key (ExkToken *token)
{
  const char * const *scopes = exk_token_get_scopes (token);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return !exk_token_get_is_disabled (token)
         && !exk_token_is_expired (token, now)
         && (scopes == NULL || scopes[0] == NULL || g_strv_contains (scopes, "client"));
}

static void
test_key_choice (Fixture       *fixture,
                 gconstpointer  data)
{
  AdwComboRow *row;
  GListModel *offered;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *prefix = NULL;
  g_autoptr(GString) shown = NULL;
  GtkWidget *popover;
  const char *subtitle;
  ExkToken *chosen;

  show_project (fixture);

  row = ADW_COMBO_ROW (child (fixture, "key_row"));
  offered = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->keys)); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (fixture->keys), i);

      if (is_usable_client_key (token))
        g_hash_table_add (expected, (gpointer) exk_token_get_id (token));
    }

  /* The demo project has a key with no scopes (a client key on the server),
   * two client keys, one expiring later, and a source-map, a disabled and an
   * expired key that cannot send events. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->keys)), ==, 7);
  g_assert_cmpuint (g_hash_table_size (expected), ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (offered), ==, 4);
  for (guint i = 0; i < g_list_model_get_n_items (offered); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (offered, i);

      g_assert_true (g_hash_table_contains (expected, exk_token_get_id (token)));
      g_assert_false (exk_token_get_is_disabled (token));
      g_assert_false (exk_token_has_scope (token, "source-maps:write"));
    }

  /* The row shows the chosen key masked, with its notes. */
  adw_combo_row_set_selected (row, 1);
  chosen = selected_key (fixture);
  g_assert_cmpstr (exk_token_get_notes (chosen), ==, "Production web servers");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  prefix = g_strndup (exk_token_get_id (chosen), 6);
  g_assert_true (g_str_has_prefix (subtitle, prefix));
  g_assert_nonnull (strstr (subtitle, "…"));
  g_assert_nonnull (strstr (subtitle, "Production web servers"));
  g_assert_null (strstr (subtitle, exk_token_get_id (chosen)));
  g_assert_false (gtk_widget_get_visible (child (fixture, "no_key_row")));

  /* The list of keys shows each masked, with its notes, and never a key. */
  popover = find_descendant (GTK_WIDGET (row), GTK_TYPE_POPOVER);
  g_assert_nonnull (popover);
  g_signal_emit_by_name (row, "activate");
  /* The list view makes its rows when the popover is first laid out. */
  exk_test_wait_for_paint (popover);
  shown = g_string_new (NULL);
  collect_label_text (popover, shown);
  g_assert_nonnull (strstr (shown->str, "Staging environment"));
  g_assert_nonnull (strstr (shown->str, "Load test rig (temporary)"));
  g_assert_null (strstr (shown->str, "Source map deployment"));
  g_assert_null (strstr (shown->str, "leaked in logs"));
  g_assert_null (strstr (shown->str, "Contractor QA access"));
  for (guint i = 0; i < g_list_model_get_n_items (offered); i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (offered, i);
      g_autofree char *masked = g_strdup_printf ("%.6s…", exk_token_get_id (token));

      g_assert_nonnull (strstr (shown->str, masked));
      g_assert_null (strstr (shown->str, exk_token_get_id (token)));
    }
  exk_test_save_screenshot (popover, "overview-key-list");
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
test_snippets (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *events_url = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *js_server_url = NULL;
  g_autofree char *bearer = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *masked_curl = NULL;
  g_autoptr(ExkClient) hosted = NULL;
  g_autoptr(GError) error = NULL;
  const char *base_url = exk_mock_server_get_url (fixture->server);
  const char *key;

  show_project (fixture);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (fixture, "key_row")), 1);
  key = exk_token_get_id (selected_key (fixture));
  masked = exk_format_masked_key (key);

  /* Masked as the key list masks it, until revealed: the full key is nowhere
   * a person or a screen reader could find it. */
  assert_snippets_masked (fixture);
  bearer = g_strdup_printf ("-H \"Authorization: Bearer %s\"", masked);
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), bearer));
  g_clear_pointer (&bearer, g_free);
  masked_curl = g_strdup (label_text (fixture, "curl_label"));
  save_screenshot (fixture, "overview-snippets-masked");

  /* Copying while masked copies the real key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->overview),
                                             "overview.copy-snippet", "s", "curl"));
  copied = read_clipboard (fixture);
  g_assert_nonnull (strstr (copied, key));
  g_assert_null (strstr (copied, "•"));
  g_assert_true (gtk_widget_get_visible (child (fixture, "snippets_box")));

  /* Revealed, the snippets show what was copied. */
  click_reveal (fixture);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (child (fixture,
                                                                         "reveal_button"))));
  gtk_test_accessible_assert_property (child (fixture, "reveal_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Hide Key");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (child (fixture, "reveal_button")), ==, "Hide Key");
  g_assert_cmpstr (copied, ==, label_text (fixture, "curl_label"));
  g_clear_pointer (&copied, g_free);

  events_url = g_strdup_printf ("curl -X POST \"%s/api/v2/events\"", exk_client_get_base_url (fixture->client));
  bearer = g_strdup_printf ("-H \"Authorization: Bearer %s\"", key);
  g_assert_true (g_str_has_prefix (label_text (fixture, "curl_label"), events_url));
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), bearer));
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), "-d '{\"type\":\"log\""));
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), base_url));

  /* Self-hosted: both clients are told where the server is. */
  server_url = g_strdup_printf ("\"ServerUrl\": \"%s\"", exk_client_get_base_url (fixture->client));
  g_assert_nonnull (strstr (label_text (fixture, "dotnet_label"), key));
  g_assert_nonnull (strstr (label_text (fixture, "dotnet_label"), server_url));
  g_assert_nonnull (strstr (label_text (fixture, "dotnet_label"),
                            "builder.Services.AddExceptionless(builder.Configuration);"));
  js_server_url = g_strdup_printf ("c.serverUrl = \"%s\";", exk_client_get_base_url (fixture->client));
  g_assert_nonnull (strstr (label_text (fixture, "javascript_label"), key));
  g_assert_nonnull (strstr (label_text (fixture, "javascript_label"), js_server_url));
  g_assert_nonnull (strstr (label_text (fixture, "javascript_label"),
                            "import { Exceptionless } from \"@exceptionless/browser\";"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->overview),
                                             "overview.copy-snippet", "s", "dotnet"));
  copied = read_clipboard (fixture);
  g_assert_cmpstr (copied, ==, label_text (fixture, "dotnet_label"));
  g_clear_pointer (&copied, g_free);

  scroll_to_end (fixture);
  save_screenshot (fixture, "overview-snippets");

  /* Hidden again: the same text as before, and the key gone. */
  click_reveal (fixture);
  gtk_test_accessible_assert_property (child (fixture, "reveal_button"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Show Key");
  assert_snippets_masked (fixture);
  g_assert_cmpstr (label_text (fixture, "curl_label"), ==, masked_curl);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->overview),
                                             "overview.copy-snippet", "s", "javascript"));
  copied = read_clipboard (fixture);
  g_assert_nonnull (strstr (copied, key));
  g_assert_nonnull (strstr (copied, js_server_url));

  /* The hosted service is the clients' default: no server address. The
   * activity load that starts is cancelled at once, before it reaches out. */
  hosted = exk_client_new (EXK_HOSTED_BASE_URL, &error);
  g_assert_no_error (error);
  exk_project_overview_set_project (fixture->overview, hosted, fixture->project);
  g_assert_nonnull (strstr (label_text (fixture, "dotnet_label"), masked));
  g_assert_null (strstr (label_text (fixture, "dotnet_label"), "ServerUrl"));
  g_assert_null (strstr (label_text (fixture, "javascript_label"), "serverUrl"));
  g_assert_true (g_str_has_prefix (label_text (fixture, "curl_label"),
                                   "curl -X POST \"https://api.exceptionless.io/api/v2/events\""));
  exk_project_overview_set_project (fixture->overview, NULL, NULL);
}

/* A key is shown in full only while it is the one revealed: another key, or
 * another project, starts masked. */
static void
test_reveal_follows_key (Fixture       *fixture,
                         gconstpointer  data)
{
  AdwComboRow *row;
  g_autofree char *first = NULL;

  show_project (fixture);
  row = ADW_COMBO_ROW (child (fixture, "key_row"));
  adw_combo_row_set_selected (row, 1);
  first = g_strdup (exk_token_get_id (selected_key (fixture)));

  click_reveal (fixture);
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), first));

  adw_combo_row_set_selected (row, 2);
  g_assert_cmpstr (exk_token_get_id (selected_key (fixture)), !=, first);
  assert_snippets_masked (fixture);
  assert_key_nowhere (GTK_WIDGET (fixture->window), first);

  click_reveal (fixture);
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"),
                            exk_token_get_id (selected_key (fixture))));

  /* No key to show: no reveal button either. */
  exk_project_overview_set_project (fixture->overview, NULL, NULL);
  g_assert_false (gtk_widget_get_visible (child (fixture, "reveal_button")));

  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);
  g_assert_true (gtk_widget_get_visible (child (fixture, "reveal_button")));
  assert_snippets_masked (fixture);
  exk_project_overview_set_project (fixture->overview, NULL, NULL);
}

/* A snippet is code: never wrapped (a key broken as "Bearer⏎E7xf…" reads
 * as two words), scrolled sideways in its own box where it does not fit. */
static void
test_snippets_no_wrap (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *scrollers[] = { "dotnet_scroller", "javascript_scroller", "curl_scroller" };
  int width = GPOINTER_TO_INT (data);
  g_autofree char *masked_name = g_strdup_printf ("overview-snippets-masked-%d", width);
  g_autofree char *revealed_name = g_strdup_printf ("overview-snippets-revealed-%d", width);
  g_autofree char *scrolled_name = g_strdup_printf ("overview-snippets-scrolled-%d", width);

  show_project (fixture);
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (fixture, "key_row")), 1);
  scroll_to_end (fixture);
  save_screenshot (fixture, masked_name);
  click_reveal (fixture);
  save_screenshot (fixture, revealed_name);

  for (guint i = 0; i < G_N_ELEMENTS (snippet_labels); i++)
    {
      GtkLabel *label = GTK_LABEL (child (fixture, snippet_labels[i]));
      GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (child (fixture, scrollers[i]));
      GtkAdjustment *hadjustment = gtk_scrolled_window_get_hadjustment (scroller);
      PangoLayout *layout = gtk_label_get_layout (label);
      g_auto(GStrv) lines = g_strsplit (gtk_label_get_text (label), "\n", -1);
      GtkPolicyType hpolicy, vpolicy;
      int natural_width;

      g_assert_false (gtk_label_get_wrap (label));
      g_assert_true (gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_SCROLLED_WINDOW)
                     == GTK_WIDGET (scroller));
      gtk_scrolled_window_get_policy (scroller, &hpolicy, &vpolicy);
      g_assert_cmpint (hpolicy, ==, GTK_POLICY_AUTOMATIC);
      g_assert_cmpint (vpolicy, ==, GTK_POLICY_NEVER);

      /* Laid out one line for each line of the text, at its full width… */
      g_assert_cmpint (pango_layout_get_line_count (layout), ==, g_strv_length (lines));
      gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &natural_width, NULL, NULL);
      /* (measured with its margins) */
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label))
                       + gtk_widget_get_margin_start (GTK_WIDGET (label))
                       + gtk_widget_get_margin_end (GTK_WIDGET (label)), >=, natural_width);

      /* …which at 360 px is wider than its box: it scrolls sideways. */
      if (width <= 400)
        g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment)
                           - gtk_adjustment_get_lower (hadjustment),
                           >, gtk_adjustment_get_page_size (hadjustment));
    }

  /* Scrolled to the end of the curl command, as a person would to read the key. */
  {
    GtkAdjustment *hadjustment =
      gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (child (fixture, "curl_scroller")));

    gtk_adjustment_set_value (hadjustment, gtk_adjustment_get_upper (hadjustment));
    save_screenshot (fixture, scrolled_name);
  }
}

/* Whether the curl command is made for @token's key (masked). */
static gboolean
curl_shows_key (Fixture  *fixture,
                ExkToken *token)
{
  g_autofree char *masked = exk_format_masked_key (exk_token_get_id (token));

  return strstr (label_text (fixture, "curl_label"), masked) != NULL;
}

static void
on_key_disabled (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
test_keys_change (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(ExkToken) removed = NULL;
  g_autoptr(ExkToken) newer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  AsyncWait wait = { NULL };
  AdwComboRow *row;
  ExkToken *chosen;
  guint position;
  guint n_offered;

  show_project (fixture);
  row = ADW_COMBO_ROW (child (fixture, "key_row"));
  adw_combo_row_set_selected (row, 1);
  removed = g_object_ref (selected_key (fixture));
  n_offered = g_list_model_get_n_items (adw_combo_row_get_model (row));

  /* The API Keys tab deleted the chosen key. */
  g_assert_true (g_list_store_find (fixture->keys, removed, &position));
  g_list_store_remove (fixture->keys, position);

  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, n_offered - 1);
  chosen = selected_key (fixture);
  g_assert_nonnull (chosen);
  g_assert_true (chosen != removed);
  g_assert_false (curl_shows_key (fixture, removed));
  g_assert_true (curl_shows_key (fixture, chosen));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                         exk_token_get_notes (removed)));

  /* …then disabled the next one in place, as it updates its list. */
  exk_client_set_token_disabled_async (fixture->client, exk_token_get_id (chosen), TRUE, NULL,
                                       on_key_disabled, &wait);
  exk_test_assert_wait (has_result, &wait);
  newer = exk_client_set_token_disabled_finish (fixture->client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  exk_token_update_from (chosen, newer);

  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (row)), ==, n_offered - 2);
  g_assert_true (selected_key (fixture) != chosen);
  g_assert_false (curl_shows_key (fixture, chosen));

  /* No client key left at all. */
  g_list_store_remove_all (fixture->keys);
  g_assert_null (selected_key (fixture));
  g_assert_true (gtk_widget_get_visible (child (fixture, "no_key_row")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_get_visible (child (fixture, "snippets_box")));
  g_assert_cmpstr (label_text (fixture, "curl_label"), ==, "");
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (fixture->overview)), "before");
  gtk_widget_activate_action (GTK_WIDGET (fixture->overview), "overview.copy-snippet", "s", "curl");
  copied = read_clipboard (fixture);
  g_assert_cmpstr (copied, ==, "before");
  save_screenshot (fixture, "overview-no-key");

  /* A new key appears as soon as the tab adds it. */
  g_list_store_append (fixture->keys, removed);
  g_assert_true (selected_key (fixture) == removed);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_false (gtk_widget_get_visible (child (fixture, "no_key_row")));
  g_assert_true (curl_shows_key (fixture, removed));
}

static void
test_notes_change (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(ExkToken) newer = NULL;
  g_autoptr(GError) error = NULL;
  AsyncWait wait = { NULL };
  AdwComboRow *row;
  ExkToken *chosen;

  show_project (fixture);
  row = ADW_COMBO_ROW (child (fixture, "key_row"));
  adw_combo_row_set_selected (row, 2);
  chosen = selected_key (fixture);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Staging environment"));
  click_reveal (fixture);

  /* The API Keys tab saved new notes for the chosen key, in place. */
  exk_client_set_token_notes_async (fixture->client, exk_token_get_id (chosen), "Staging (EU)",
                                    NULL, on_async_done, &wait);
  exk_test_assert_wait (has_result, &wait);
  newer = exk_client_set_token_notes_finish (fixture->client, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  exk_token_update_from (chosen, newer);

  g_assert_true (selected_key (fixture) == chosen);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Staging (EU)"));
  /* Still the key that was revealed: it stays so. */
  g_assert_nonnull (strstr (label_text (fixture, "curl_label"), exk_token_get_id (chosen)));
}

static void
test_switch_project (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GListStore) other_keys = g_list_store_new (EXK_TYPE_TOKEN);
  g_autofree char *events = NULL;

  show_project (fixture);
  g_assert_true (gtk_widget_get_visible (child (fixture, "snippets_box")));

  /* Switching starts a new load and drops the old one; an empty key list
   * for the new project shows no snippet. */
  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);
  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);
  exk_project_overview_set_keys (fixture->overview, G_LIST_MODEL (other_keys));
  g_assert_false (gtk_widget_get_visible (child (fixture, "snippets_box")));
  g_assert_true (gtk_widget_get_visible (child (fixture, "no_key_row")));
  exk_test_assert_wait (is_loaded, fixture);
  events = exk_format_count (1873);
  g_assert_cmpstr (label_text (fixture, "events_label"), ==, events);

  /* A load still running when the page goes away is cancelled quietly. */
  exk_project_overview_refresh (fixture->overview);
  g_assert_false (is_loaded (fixture));
  exk_project_overview_set_keys (fixture->overview, NULL);
}

static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  show_project (fixture);
  save_screenshot (fixture, "overview-narrow");
  scroll_to_end (fixture);
  save_screenshot (fixture, "overview-narrow-end");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->overview)), <=, 400);
}

static gboolean
has_message_dialog (gpointer data)
{
  return exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
test_event_says (Fixture *fixture)
{
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (child (fixture,
                                                                             "test_event_row")));

  return g_strcmp0 (subtitle, "Received: the project’s event count went up.") == 0;
}

static guint
count_event_posts (Fixture *fixture)
{
  return exk_test_count_requests (exk_mock_server_get_url (fixture->server), "POST",
                                  "/api/v2/projects/" PISTOL_PROJECT_ID "/events");
}

/* Send Test Event asks first, sends with the chosen key, says "Received"
 * once the count went up, and shows the new count. */
static void
test_send_test_event (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *events = exk_format_count (1874);
  AdwMessageDialog *dialog;

  exk_project_overview_set_keys (fixture->overview, G_LIST_MODEL (fixture->keys));
  exk_project_overview_set_project (fixture->overview, fixture->client, fixture->project);
  exk_test_assert_wait (is_loaded, fixture);
  g_assert_true (gtk_widget_get_visible (child (fixture, "test_event_row")));
  exk_test_clear_requests (exk_mock_server_get_url (fixture->server));

  /* Cancelled: nothing is sent. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->overview), "overview.send-test-event", NULL);
  exk_test_assert_wait (has_message_dialog, NULL);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  save_screenshot (fixture, "overview-test-event-confirm");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (count_event_posts (fixture), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (fixture->overview), "overview.send-test-event", NULL);
  exk_test_assert_wait (has_message_dialog, NULL);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "send");
  gtk_window_destroy (GTK_WINDOW (dialog));

  exk_test_assert_wait (test_event_says, fixture);
  g_assert_cmpuint (count_event_posts (fixture), ==, 1);
  g_assert_false (gtk_widget_get_visible (child (fixture, "test_event_spinner")));
  g_assert_true (gtk_widget_get_visible (child (fixture, "test_event_button")));
  exk_test_assert_wait (is_loaded, fixture);
  g_assert_cmpstr (label_text (fixture, "events_label"), ==, events);
  save_screenshot (fixture, "overview-test-event-received");
}

static void
add_test (const char *path,
          void      (*func) (Fixture *, gconstpointer),
          int         width)
{
  g_test_add (path, Fixture, GINT_TO_POINTER (width), fixture_set_up, func, fixture_tear_down);
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

  add_test ("/exkeys/project-overview/details", test_details, 640);
  add_test ("/exkeys/project-overview/stats", test_stats, 640);
  add_test ("/exkeys/project-overview/stats-locale", test_stats_locale, 640);
  add_test ("/exkeys/project-overview/stats-error", test_stats_error, 640);
  add_test ("/exkeys/project-overview/key-choice", test_key_choice, 640);
  add_test ("/exkeys/project-overview/snippets", test_snippets, 640);
  add_test ("/exkeys/project-overview/reveal-follows-key", test_reveal_follows_key, 640);
  add_test ("/exkeys/project-overview/no-wrap", test_snippets_no_wrap, 640);
  add_test ("/exkeys/project-overview/no-wrap-narrow", test_snippets_no_wrap, 360);
  add_test ("/exkeys/project-overview/keys-change", test_keys_change, 640);
  add_test ("/exkeys/project-overview/notes-change", test_notes_change, 640);
  add_test ("/exkeys/project-overview/switch-project", test_switch_project, 640);
  add_test ("/exkeys/project-overview/narrow", test_narrow, 360);
  add_test ("/exkeys/project-overview/send-test-event", test_send_test_event, 640);

  return g_test_run ();
}

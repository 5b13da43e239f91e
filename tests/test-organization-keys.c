// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "exk-mock-server.h"
#include "exk-organization-keys-page-private.h"
#include "exk-project-page.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* The "All Keys" page: every key of an organization, its filters and search,
 * bulk changes with per-key failures, and the CSV export, against the mock
 * server. What is expected is worked out from the mock's own store
 * (GET /_mock/seed), not from the model under test. */

#define ACME_ID   "537650f3b77efe23a47914f3"
#define PISTOL_ID "537650f3b77efe23a47914f4"
#define ROCKET_ID "537650f3b77efe23a47914f7"
#define DAY_SECONDS (24 * 60 * 60)

typedef struct
{
  ExkMockServer           *mock;
  ExkAccountManager       *manager;
  ExkWindow               *window;
  ExkProjectSidebar       *sidebar;
  ExkOrganizationKeysPage *page;
} Fixture;

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (
                                                 fixture->sidebar)) > 0;
}

/* The crossfade from the sign-in page is over: screenshots show the window. */
static gboolean
main_shown (gpointer data)
{
  Fixture *fixture = data;

  return !gtk_stack_get_transition_running (GTK_STACK (window_child (fixture, "main_stack")));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions options = { .organization_tokens = GPOINTER_TO_UINT (data) };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_ORGANIZATION_KEYS_PAGE (window_child (fixture, "organization_keys_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
  exk_test_assert_wait (main_shown, fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_settings_reset (settings, "last-projects");
}

static ExkOrganizationKeys *
page_keys (Fixture *fixture)
{
  return exk_organization_keys_page_get_keys (fixture->page);
}

static AdwViewSwitcherTitle *
switcher_title (Fixture *fixture)
{
  return ADW_VIEW_SWITCHER_TITLE (window_child (fixture, "switcher_title"));
}

static const char *
content_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (window_child (fixture, "content_stack")));
}

static GListModel *
visible_keys (Fixture *fixture)
{
  return exk_organization_keys_page_get_visible_keys (fixture->page);
}

static gboolean
keys_loaded (gpointer data)
{
  Fixture *fixture = data;
  ExkOrganizationKeys *keys = exk_organization_keys_page_get_keys (fixture->page);

  return keys != NULL && exk_organization_keys_get_loaded (keys)
         && !exk_organization_keys_get_loading (keys);
}

static gboolean
page_idle (gpointer data)
{
  Fixture *fixture = data;

  return !exk_organization_keys_page_get_busy (fixture->page)
         && exk_organization_keys_page_get_last_report (fixture->page) != NULL;
}

static void
show_organization (Fixture    *fixture,
                   const char *id)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-organization-keys", "s", id));
  g_assert_true (exk_test_wait_until (keys_loaded, fixture, 30000));
}

/* The mock's Access tokens of @organization_id, as it stores them. */
static GPtrArray *
server_keys (Fixture    *fixture,
             const char *organization_id)
{
  g_autoptr(JsonNode) seed = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock),
                                                     "/_mock/seed", NULL);
  JsonArray *tokens = json_object_get_array_member (json_node_get_object (seed), "tokens");
  GPtrArray *keys = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *token = json_array_get_object_element (tokens, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (token, "type", "access"),
                     "access") == 0
          && g_strcmp0 (json_object_get_string_member_with_default (token, "organization_id",
                                                                    ""), organization_id) == 0)
        g_ptr_array_add (keys, json_object_ref (token));
    }

  return keys;
}

static gboolean
json_has_scope (JsonObject *token,
                const char *scope)
{
  JsonArray *scopes = json_object_get_array_member (token, "scopes");

  for (guint i = 0; scopes != NULL && i < json_array_get_length (scopes); i++)
    if (g_str_equal (json_array_get_string_element (scopes, i), scope))
      return TRUE;
  return FALSE;
}

static gint64
json_expires (JsonObject *token)
{
  const char *text = json_object_get_string_member_with_default (token, "expires_utc", NULL);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;

  if (text == NULL)
    return 0;
  date = g_date_time_new_from_iso8601 (text, utc);
  g_assert_nonnull (date);
  return g_date_time_to_unix (date);
}

typedef gboolean (*KeyTest) (JsonObject *token,
                             gint64      now);

static gboolean
is_user_scope (JsonObject *token,
               gint64      now)
{
  return json_has_scope (token, "user");
}

static gboolean
has_no_notes (JsonObject *token,
              gint64      now)
{
  const char *notes = json_object_get_string_member_with_default (token, "notes", NULL);

  return notes == NULL || notes[0] == '\0';
}

static gboolean
expires_soon (JsonObject *token,
              gint64      now)
{
  gint64 expires = json_expires (token);

  return expires != 0 && expires > now && expires <= now + 30 * DAY_SECONDS;
}

static gboolean
is_expired (JsonObject *token,
            gint64      now)
{
  gint64 expires = json_expires (token);

  return expires != 0 && expires <= now;
}

static gboolean
is_disabled (JsonObject *token,
             gint64      now)
{
  return json_object_get_boolean_member_with_default (token, "is_disabled", FALSE);
}

static gboolean
is_organization_wide (JsonObject *token,
                      gint64      now)
{
  return !json_object_has_member (token, "project_id");
}

static guint
count_server_keys (GPtrArray *keys,
                   KeyTest    test,
                   KeyTest    also)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint count = 0;

  for (guint i = 0; i < keys->len; i++)
    if (test (keys->pdata[i], now) && (also == NULL || also (keys->pdata[i], now)))
      count++;
  return count;
}

static ExkOrganizationKey *
visible_key (Fixture *fixture,
             guint    position)
{
  g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (visible_keys (fixture), position);

  return key;   /* the model keeps it */
}

static guint
visible_position (Fixture    *fixture,
                  const char *id)
{
  GListModel *model = visible_keys (fixture);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (exk_organization_key_get_id (visible_key (fixture, i)), id))
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
select_ids (Fixture            *fixture,
            const char * const *ids)
{
  GtkSelectionModel *selection = exk_organization_keys_page_get_selection (fixture->page);

  gtk_selection_model_unselect_all (selection);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint position = visible_position (fixture, ids[i]);

      g_assert_cmpuint (position, !=, GTK_INVALID_LIST_POSITION);
      gtk_selection_model_select_item (selection, position, FALSE);
    }
}

static GtkToggleButton *
toggle (Fixture    *fixture,
        const char *name)
{
  return GTK_TOGGLE_BUTTON (exk_test_template_child (fixture->page,
                                                     EXK_TYPE_ORGANIZATION_KEYS_PAGE, name));
}

static const char *
stack_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (exk_test_template_child (fixture->page,
                                                        EXK_TYPE_ORGANIZATION_KEYS_PAGE, "stack"));

  return gtk_stack_get_visible_child_name (stack);
}

static guint
count_requests (Fixture    *fixture,
                const char *method,
                const char *path_prefix)
{
  return exk_test_count_requests (exk_mock_server_get_url (fixture->mock), method, path_prefix);
}

static gboolean
server_has_key (Fixture    *fixture,
                const char *id)
{
  g_autofree char *path = g_strconcat ("/_mock/tokens/", id, NULL);
  g_autoptr(JsonNode) node = NULL;
  guint status = 0;

  node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock), path, &status);
  return status == 200;
}

/* Loading */

static void
test_load_all_pages (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = server_keys (fixture, ACME_ID);
  ExkOrganizationKeys *keys;
  gboolean saw_all_projects = FALSE;
  gboolean saw_default = FALSE;
  GtkWidget *new_key_button = window_child (fixture, "new_key_button");

  /* Nothing is loaded for a page nobody opened. */
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens"),
                    ==, 0);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
  show_organization (fixture, "");

  /* Without a project open, the first organization by name: Acme. */
  keys = exk_organization_keys_page_get_keys (fixture->page);
  g_assert_cmpstr (exk_organization_keys_get_organization_id (keys), ==, ACME_ID);
  g_assert_cmpuint (expected->len, >, 250);
  g_assert_cmpuint (exk_organization_keys_get_n_keys (keys), ==, expected->len);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, expected->len);
  /* 100 a page. */
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/v2/organizations/" ACME_ID "/tokens"),
                    ==, (expected->len + 99) / 100);
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/v2/organizations/" ACME_ID "/projects"),
                    >=, 1);

  for (guint i = 0; i < g_list_model_get_n_items (visible_keys (fixture)); i++)
    {
      ExkOrganizationKey *key = visible_key (fixture, i);
      const char *project = exk_organization_key_get_project_name (key);
      ExkToken *token = exk_organization_key_get_token (key);

      if (g_strcmp0 (exk_token_get_project_id (token), ROCKET_ID) == 0)
        g_assert_cmpstr (project, ==, "Rocket Ship");
      else if (g_strcmp0 (exk_token_get_project_id (token), PISTOL_ID) == 0)
        g_assert_cmpstr (project, ==, "Disintegrating Pistol");
      else if (exk_token_get_default_project_id (token) != NULL)
        {
          g_assert_cmpstr (project, ==, "All projects (default: Rocket Ship)");
          saw_default = TRUE;
        }
      else
        {
          g_assert_cmpstr (project, ==, "All projects");
          saw_all_projects = TRUE;
        }
      /* Only the prefix is shown. */
      g_assert_cmpuint (strlen (exk_organization_key_get_prefix (key)), <, 12);
    }
  g_assert_true (saw_all_projects);
  g_assert_true (saw_default);

  g_assert_cmpstr (stack_page (fixture), ==, "list");
  g_assert_cmpstr (content_page (fixture), ==, "organization-keys");
  g_assert_cmpstr (adw_view_switcher_title_get_title (switcher_title (fixture)), ==, "All Keys");
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (switcher_title (fixture)), ==, "Acme");
  g_assert_false (gtk_widget_get_visible (new_key_button));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (fixture->page));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "organization-keys");

  /* Choosing a project goes back to it. */
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  g_assert_cmpstr (content_page (fixture), ==, "project");
  g_assert_true (gtk_widget_get_visible (new_key_button));

  /* And back: the list stays loaded, nothing is asked again. */
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
  show_organization (fixture, "");
  g_assert_cmpstr (exk_organization_keys_get_organization_id (page_keys (fixture)), ==, ACME_ID);
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/v2/organizations/"), ==, 0);
}

static void
test_other_organization (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (exk_test_template_child (fixture->page,
                                                                  EXK_TYPE_ORGANIZATION_KEYS_PAGE,
                                                                  "organization_dropdown"));
  GListModel *names = gtk_drop_down_get_model (dropdown);
  guint northwind = GTK_INVALID_LIST_POSITION;
  g_autoptr(GPtrArray) expected = NULL;
  ExkOrganizationKeys *keys;

  show_organization (fixture, ACME_ID);
  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "Northwind Labs"))
      northwind = i;
  g_assert_cmpuint (northwind, !=, GTK_INVALID_LIST_POSITION);

  gtk_drop_down_set_selected (dropdown, northwind);
  g_assert_true (exk_test_wait_until (keys_loaded, fixture, 30000));
  keys = exk_organization_keys_page_get_keys (fixture->page);
  g_assert_cmpstr (exk_organization_keys_get_organization_id (keys), !=, ACME_ID);
  expected = server_keys (fixture, exk_organization_keys_get_organization_id (keys));
  g_assert_cmpuint (exk_organization_keys_get_n_keys (keys), ==, expected->len);
  g_assert_cmpstr (adw_view_switcher_title_get_subtitle (switcher_title (fixture)), ==,
                   "Northwind Labs");

  /* Refresh (Ctrl+R) asks again for the organization shown. */
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.refresh", NULL));
  g_assert_true (exk_organization_keys_get_loading (keys));
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_cmpuint (count_requests (fixture, "GET", "/api/v2/organizations/"), >=, 2);
  g_assert_cmpuint (exk_organization_keys_get_n_keys (keys), ==, expected->len);
}

static gboolean
keys_failed (gpointer data)
{
  Fixture *fixture = data;
  ExkOrganizationKeys *keys = page_keys (fixture);

  return keys != NULL && exk_organization_keys_get_error (keys) != NULL
         && !exk_organization_keys_get_loading (keys);
}

/* A page that fails: the error page says why, and Retry loads the keys. */
static void
test_load_error_and_retry (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AdwStatusPage *error_page;

  error_page = ADW_STATUS_PAGE (exk_test_template_child (fixture->page,
                                                         EXK_TYPE_ORGANIZATION_KEYS_PAGE,
                                                         "error_page"));

  g_assert_true (exk_mock_server_add_fault (fixture->mock,
                                            "GET /api/v2/organizations/" ACME_ID "/tokens"
                                            "=status:503*1", &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.show-organization-keys", "s", ACME_ID));
  exk_test_assert_wait (keys_failed, fixture);
  g_assert_cmpstr (stack_page (fixture), ==, "error");
  g_assert_nonnull (adw_status_page_get_description (error_page));
  g_assert_cmpuint (exk_organization_keys_get_n_keys (page_keys (fixture)), ==, 0);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "organization-keys-error");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "orgkeys.reload", NULL));
  exk_test_assert_wait (keys_loaded, fixture);
  g_assert_null (exk_organization_keys_get_error (page_keys (fixture)));
  g_assert_cmpstr (stack_page (fixture), ==, "list");
}

/* Filters and search */

static void
assert_toggle_filters (Fixture    *fixture,
                       GPtrArray  *expected,
                       const char *name,
                       KeyTest     test)
{
  guint want = count_server_keys (expected, test, NULL);

  g_test_message ("filter %s: %u keys", name, want);
  g_assert_cmpuint (want, >, 0);
  g_assert_cmpuint (want, <, expected->len);

  gtk_toggle_button_set_active (toggle (fixture, name), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, want);
  for (guint i = 0; i < want; i++)
    g_assert_nonnull (visible_key (fixture, i));
  gtk_toggle_button_set_active (toggle (fixture, name), FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, expected->len);
}

static gboolean
mentions_rocket (JsonObject *token,
                 gint64      now)
{
  const char *notes = json_object_get_string_member_with_default (token, "notes", "");
  g_autofree char *folded = g_utf8_casefold (notes, -1);

  return strstr (folded, "rocket") != NULL
         || g_strcmp0 (json_object_get_string_member_with_default (token, "project_id", ""),
                       ROCKET_ID) == 0
         || (!json_object_has_member (token, "project_id")
             && g_strcmp0 (json_object_get_string_member_with_default (token,
                                                                       "default_project_id", ""),
                           ROCKET_ID) == 0);
}

static gboolean
notes_have_key_0012 (JsonObject *token,
                     gint64      now)
{
  const char *notes = json_object_get_string_member_with_default (token, "notes", "");

  return strstr (notes, "Organization key 0012") != NULL;
}

static void
test_filters_and_search (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) expected = server_keys (fixture, ACME_ID);
  const char *some_id;
  g_autofree char *prefix = NULL;
  guint want;

  show_organization (fixture, ACME_ID);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, expected->len);

  assert_toggle_filters (fixture, expected, "user_scope_toggle", is_user_scope);
  assert_toggle_filters (fixture, expected, "no_notes_toggle", has_no_notes);
  assert_toggle_filters (fixture, expected, "expiring_toggle", expires_soon);
  assert_toggle_filters (fixture, expected, "expired_toggle", is_expired);
  assert_toggle_filters (fixture, expected, "disabled_toggle", is_disabled);
  assert_toggle_filters (fixture, expected, "organization_wide_toggle", is_organization_wide);

  /* Toggles combine. */
  gtk_toggle_button_set_active (toggle (fixture, "organization_wide_toggle"), TRUE);
  gtk_toggle_button_set_active (toggle (fixture, "disabled_toggle"), TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==,
                    count_server_keys (expected, is_organization_wide, is_disabled));
  gtk_toggle_button_set_active (toggle (fixture, "organization_wide_toggle"), FALSE);
  gtk_toggle_button_set_active (toggle (fixture, "disabled_toggle"), FALSE);

  /* The project's name, ignoring case, and notes. */
  exk_organization_keys_page_set_search_text (fixture->page, "ROCKET");
  want = count_server_keys (expected, mentions_rocket, NULL);
  g_assert_cmpuint (want, >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, want);

  /* Narrowing a search, then widening it again. */
  exk_organization_keys_page_set_search_text (fixture->page, "ROCKET s");
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), <=, want);
  exk_organization_keys_page_set_search_text (fixture->page, "rocket");
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, want);

  /* Keys 120 to 129, but for 120 and 126, which have no notes. */
  exk_organization_keys_page_set_search_text (fixture->page, "organization key 0012");
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==,
                    count_server_keys (expected, notes_have_key_0012, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, 8);

  /* A key's prefix finds it. */
  some_id = json_object_get_string_member (g_ptr_array_index (expected, 17), "id");
  prefix = g_strndup (some_id, 6);
  exk_organization_keys_page_set_search_text (fixture->page, prefix);
  g_assert_cmpuint (visible_position (fixture, some_id), !=, GTK_INVALID_LIST_POSITION);

  exk_organization_keys_page_set_search_text (fixture->page, "no such key anywhere");
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, 0);
  g_assert_cmpstr (stack_page (fixture), ==, "no-results");

  exk_organization_keys_page_set_search_text (fixture->page, "");
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==, expected->len);
  g_assert_cmpstr (stack_page (fixture), ==, "list");
}

static void
test_sort_by_column (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (exk_test_template_child (fixture->page,
                                                                  EXK_TYPE_ORGANIZATION_KEYS_PAGE,
                                                                  "column_view"));
  /* Columns: key, project, scopes, notes, created, expires, state. */
  GListModel *columns = gtk_column_view_get_columns (view);
  g_autoptr(GtkColumnViewColumn) project = g_list_model_get_item (columns, 1);
  g_autoptr(GtkColumnViewColumn) expires = g_list_model_get_item (columns, 5);
  GListModel *model = visible_keys (fixture);
  guint n;

  show_organization (fixture, ACME_ID);
  n = g_list_model_get_n_items (model);
  g_assert_cmpstr (gtk_column_view_column_get_title (expires), ==, "Expires");

  gtk_column_view_sort_by_column (view, expires, GTK_SORT_ASCENDING);
  for (guint i = 1; i < n; i++)
    {
      gint64 a = exk_organization_key_get_expires (visible_key (fixture, i - 1));
      gint64 b = exk_organization_key_get_expires (visible_key (fixture, i));

      /* Soonest first, keys that never expire last. */
      g_assert_true (b == 0 || (a != 0 && a <= b));
    }

  gtk_column_view_sort_by_column (view, project, GTK_SORT_DESCENDING);
  g_assert_cmpstr (exk_organization_key_get_project_name (visible_key (fixture, 0)), ==,
                   "Rocket Ship");
  g_assert_cmpstr (exk_organization_key_get_project_name (visible_key (fixture, n - 1)), ==,
                   "All projects");
}

/* Bulk changes */

static void
test_bulk_disable_with_failure (Fixture       *fixture,
                                gconstpointer  data)
{
  const char *ids[6] = { NULL };
  g_autofree char *fault = NULL;
  ExkOrganizationKey *failed;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  show_organization (fixture, ACME_ID);

  /* Five enabled keys. */
  for (guint i = 0; n < 5; i++)
    {
      ExkOrganizationKey *key = visible_key (fixture, i);

      if (!exk_organization_key_get_disabled (key))
        ids[n++] = exk_organization_key_get_id (key);
    }
  select_ids (fixture, ids);

  fault = g_strdup_printf ("PATCH /api/v2/tokens/%s=status:503*1", ids[2]);
  g_assert_true (exk_mock_server_add_fault (fixture->mock, fault, &error));
  g_assert_no_error (error);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "orgkeys.disable-selected", NULL));
  exk_test_assert_wait (page_idle, fixture);

  g_assert_cmpuint (count_requests (fixture, "PATCH", "/api/v2/tokens/"), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      ExkOrganizationKey *key = exk_organization_keys_find (page_keys (fixture), ids[i], NULL);

      g_assert_false (exk_organization_key_get_busy (key));
      if (i == 2)
        continue;
      g_assert_true (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                    ids[i]));
      g_assert_true (exk_organization_key_get_disabled (key));
      g_assert_null (exk_organization_key_get_failure (key));
      g_assert_cmpstr (exk_organization_key_get_state (key), ==, "Disabled");
    }

  /* The failed one keeps its state, and says why, naming itself. */
  g_assert_false (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                 ids[2]));
  failed = exk_organization_keys_find (page_keys (fixture), ids[2], NULL);
  g_assert_false (exk_organization_key_get_disabled (failed));
  g_assert_true (g_str_has_prefix (exk_organization_key_get_failure (failed),
                                   "Could not disable "));
  g_assert_nonnull (strstr (exk_organization_key_get_failure (failed),
                            exk_organization_key_get_prefix (failed)));
  g_assert_null (strstr (exk_organization_key_get_failure (failed), ids[2]));
  g_assert_cmpstr (exk_organization_keys_page_get_last_report (fixture->page), ==,
                   "1 of 5 keys was not disabled");
  g_assert_cmpuint (exk_organization_keys_get_n_failed (page_keys (fixture)), ==, 1);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "organization-keys-disable-failure");

  /* Enabling them again: all succeed, the failure is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "orgkeys.enable-selected", NULL));
  exk_test_assert_wait (page_idle, fixture);
  g_assert_cmpstr (exk_organization_keys_page_get_last_report (fixture->page), ==,
                   "5 keys enabled");
  for (guint i = 0; i < 5; i++)
    g_assert_false (exk_test_server_says_disabled (exk_mock_server_get_url (fixture->mock),
                                                   ids[i]));
  g_assert_null (exk_organization_key_get_failure (failed));
}

static char *
find_ops_key (Fixture *fixture)
{
  g_autoptr(GPtrArray) keys = server_keys (fixture, ACME_ID);

  for (guint i = 0; i < keys->len; i++)
    if (json_object_has_member (keys->pdata[i], "user_id"))
      return g_strdup (json_object_get_string_member (keys->pdata[i], "id"));
  g_assert_not_reached ();
}

static AdwMessageDialog *
confirm_dialog (void)
{
  return exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static void
test_bulk_delete_partial (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *ops_key = find_ops_key (fixture);
  ExkOrganizationKeys *keys;
  ExkOrganizationKey *refused;
  AdwMessageDialog *dialog;
  const char *ids[4] = { NULL };
  g_autofree char *deleted_a = NULL;
  g_autofree char *deleted_b = NULL;
  guint n_before;

  show_organization (fixture, ACME_ID);
  keys = exk_organization_keys_page_get_keys (fixture->page);
  n_before = exk_organization_keys_get_n_keys (keys);

  deleted_a = g_strdup (exk_organization_key_get_id (visible_key (fixture, 3)));
  deleted_b = g_strdup (exk_organization_key_get_id (visible_key (fixture, 40)));
  ids[0] = deleted_a;
  ids[1] = ops_key;
  ids[2] = deleted_b;
  select_ids (fixture, ids);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));

  /* Nothing goes before the confirmation, which names the count. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "orgkeys.delete-selected", NULL));
  dialog = confirm_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 3 API Keys?");
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/v2/tokens"), ==, 0);
  exk_test_save_screenshot (GTK_WIDGET (dialog), "organization-keys-delete-confirm");
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));

  exk_test_assert_wait (page_idle, fixture);

  /* One DELETE for the whole selection. */
  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/v2/tokens/"), ==, 1);

  g_assert_false (server_has_key (fixture, deleted_a));
  g_assert_false (server_has_key (fixture, deleted_b));
  g_assert_true (server_has_key (fixture, ops_key));
  g_assert_null (exk_organization_keys_find (keys, deleted_a, NULL));
  g_assert_null (exk_organization_keys_find (keys, deleted_b, NULL));
  g_assert_cmpuint (exk_organization_keys_get_n_keys (keys), ==, n_before - 2);
  g_assert_cmpuint (visible_position (fixture, deleted_a), ==, GTK_INVALID_LIST_POSITION);

  refused = exk_organization_keys_find (keys, ops_key, NULL);
  g_assert_nonnull (refused);
  g_assert_true (g_str_has_prefix (exk_organization_key_get_failure (refused),
                                   "Could not delete "));
  g_assert_true (g_str_has_suffix (exk_organization_key_get_failure (refused),
                                   "Can only delete tokens created by you."));
  g_assert_cmpstr (exk_organization_keys_page_get_last_report (fixture->page), ==,
                   "1 of 3 keys was not deleted");
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "organization-keys-delete-partial");

  /* The history holds the two deletions the server confirmed, not the refused one. */
  {
    ExkHistory *history = exk_account_manager_get_history (fixture->manager, NULL);
    guint n = g_list_model_get_n_items (G_LIST_MODEL (history));
    g_autofree char *prefix_a = g_strndup (deleted_a, 6);
    g_autofree char *prefix_b = g_strndup (deleted_b, 6);
    g_autofree char *prefix_ops = g_strndup (ops_key, 6);
    guint found = 0;

    g_assert_cmpuint (n, ==, 2);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(ExkHistoryEntry) entry = g_list_model_get_item (G_LIST_MODEL (history), i);
        const char *prefix = exk_history_entry_get_key_prefix (entry);

        g_assert_cmpint (exk_history_entry_get_action (entry), ==, EXK_HISTORY_ACTION_DELETED);
        g_assert_cmpstr (prefix, !=, prefix_ops);
        if (g_str_equal (prefix, prefix_a) || g_str_equal (prefix, prefix_b))
          found++;
      }
    g_assert_cmpuint (found, ==, 2);
  }

  /* The refused key alone: one ProblemDetails, its reason on the key and in the toast. */
  ids[0] = ops_key;
  ids[1] = NULL;
  select_ids (fixture, ids);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "orgkeys.delete-selected", NULL));
  dialog = confirm_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Delete 1 API Key?");
  adw_message_dialog_response (dialog, "delete");
  gtk_window_destroy (GTK_WINDOW (dialog));
  exk_test_assert_wait (page_idle, fixture);
  g_assert_true (server_has_key (fixture, ops_key));
  g_assert_nonnull (exk_organization_keys_find (keys, ops_key, NULL));
  g_assert_cmpstr (exk_organization_keys_page_get_last_report (fixture->page), ==,
                   exk_organization_key_get_failure (refused));
  g_assert_true (g_str_has_suffix (exk_organization_key_get_failure (refused),
                                   "Can only delete tokens created by you."));
}

static void
test_delete_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *ids[2] = { NULL };
  AdwMessageDialog *dialog;
  g_autofree char *id = NULL;

  show_organization (fixture, ACME_ID);
  id = g_strdup (exk_organization_key_get_id (visible_key (fixture, 0)));
  ids[0] = id;
  select_ids (fixture, ids);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page),
                                             "orgkeys.delete-selected", NULL));
  dialog = confirm_dialog ();
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_cmpuint (count_requests (fixture, "DELETE", "/api/v2/tokens"), ==, 0);
  g_assert_true (server_has_key (fixture, id));
  g_assert_false (exk_organization_keys_page_get_busy (fixture->page));
}

/* CSV */

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_organization_keys_page_export_finish (EXK_ORGANIZATION_KEYS_PAGE (source),
                                                           result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) all = server_keys (fixture, ACME_ID);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "exkeys-organization-keys.csv",
                                            NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean done = FALSE;
  guint shown;

  show_organization (fixture, ACME_ID);
  exk_organization_keys_page_set_search_text (fixture->page, "rocket");
  shown = g_list_model_get_n_items (visible_keys (fixture));
  g_assert_cmpuint (shown, >, 0);
  g_assert_cmpuint (shown, <, all->len);

  exk_organization_keys_page_export_async (fixture->page, file, on_exported, &done);
  exk_test_assert_wait (is_true, &done);

  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_unlink (path);

  /* The keys shown, in the order shown, after a header. */
  g_assert_true (g_str_has_prefix (csv,
                                   "Key prefix,Project,Scopes,Notes,Created,Expires,State\r\n"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, shown + 2);   /* and "" after the last CRLF */
  for (guint i = 0; i < shown; i++)
    g_assert_true (g_str_has_prefix (lines[i + 1],
                                     exk_organization_key_get_prefix (visible_key (fixture, i))));

  /* Never a whole key, of any key of the organization. */
  for (guint i = 0; i < all->len; i++)
    g_assert_null (strstr (csv, json_object_get_string_member (all->pdata[i], "id")));
}

/* The CSV writer on its own: quoting and formula cells. */
static void
test_csv_quoting (void)
{
  const char *json =
    "{\"id\": \"LhhP1C9gijpSKCslHHCvwdSIz298twx271nTest\", \"organization_id\": \"" ACME_ID "\","
    " \"project_id\": \"" PISTOL_ID "\", \"scopes\": [\"client\", \"user\"],"
    " \"notes\": \"Build, \\\"nightly\\\"\\nsecond line\", \"is_disabled\": true,"
    " \"is_suspended\": false, \"created_utc\": \"2026-05-22T14:30:00Z\","
    " \"updated_utc\": \"2026-05-22T14:30:00Z\"}";
  const char *formula_json =
    "{\"id\": \"AbCdEf9gijpSKCslHHCvwdSIz298twx271nTest\", \"organization_id\": \"" ACME_ID "\","
    " \"scopes\": [\"client\"], \"notes\": \"=HYPERLINK(\\\"http://x\\\")\","
    " \"expires_utc\": \"2030-01-02T03:04:05Z\","
    " \"is_disabled\": false, \"is_suspended\": false, \"created_utc\": \"2026-05-22T14:30:00Z\","
    " \"updated_utc\": \"2026-05-22T14:30:00Z\"}";
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(JsonNode) formula_node = json_from_string (formula_json, NULL);
  g_autoptr(ExkToken) token = exk_token_new_from_json (json_node_get_object (node), NULL);
  g_autoptr(ExkToken) formula = exk_token_new_from_json (json_node_get_object (formula_node),
                                                         NULL);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2027, 1, 1, 0, 0, 0);
  g_autoptr(GListStore) store = g_list_store_new (EXK_TYPE_ORGANIZATION_KEY);
  g_autoptr(ExkOrganizationKey) first = NULL;
  g_autoptr(ExkOrganizationKey) second = NULL;
  g_autofree char *csv = NULL;

  g_assert_nonnull (token);
  g_assert_nonnull (formula);
  first = exk_organization_key_new (token, "Pistol, the \"big\" one", now);
  second = exk_organization_key_new (formula, "@All projects", now);
  g_list_store_append (store, first);
  g_list_store_append (store, second);

  csv = exk_organization_keys_to_csv (G_LIST_MODEL (store));
  g_assert_cmpstr (csv, ==,
                   "Key prefix,Project,Scopes,Notes,Created,Expires,State\r\n"
                   "LhhP1C…,\"Pistol, the \"\"big\"\" one\",\"client, user\","
                   "\"Build, \"\"nightly\"\"\nsecond line\",2026-05-22T14:30:00Z,,Disabled\r\n"
                   "AbCdEf…,'@All projects,client,\"'=HYPERLINK(\"\"http://x\"\")\","
                   "2026-05-22T14:30:00Z,2030-01-02T03:04:05Z,Active\r\n");
  g_assert_null (strstr (csv, "LhhP1C9g"));
}

/* 10,000 keys: the whole organization loads, and a keystroke in the search does not stall. */
static void
test_10000_keys (Fixture       *fixture,
                 gconstpointer  data)
{
  const char *search[] = { "k", "ke", "key", "key ", "key 0", "key 00", "key 004", "key 0042",
                           "key 004", "", NULL };
  gint64 start = g_get_monotonic_time ();
  GtkColumnView *view;
  GListModel *columns;

  show_organization (fixture, ACME_ID);
  exk_test_wait_for_paint (GTK_WIDGET (fixture->window));
  g_test_message ("10,000 keys: loaded and painted in %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (exk_organization_keys_get_n_keys (page_keys (fixture)), >=, 10000);

  /* Sorting by each column. */
  view = GTK_COLUMN_VIEW (exk_test_template_child (fixture->page, EXK_TYPE_ORGANIZATION_KEYS_PAGE,
                                                   "column_view"));
  columns = gtk_column_view_get_columns (view);
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      start = g_get_monotonic_time ();
      gtk_column_view_sort_by_column (view, column, GTK_SORT_ASCENDING);
      exk_test_wait_for_paint (GTK_WIDGET (fixture->window));
      g_test_message ("sort by %s: painted after %.1f ms",
                      gtk_column_view_column_get_title (column),
                      (g_get_monotonic_time () - start) / 1000.0);
      g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), >=, 10000);
    }
  gtk_column_view_sort_by_column (view, NULL, GTK_SORT_ASCENDING);

  for (guint i = 0; search[i] != NULL; i++)
    {
      gint64 painted;

      start = g_get_monotonic_time ();
      exk_organization_keys_page_set_search_text (fixture->page, search[i]);
      painted = g_get_monotonic_time ();
      exk_test_wait_for_paint (GTK_WIDGET (fixture->window));
      g_test_message ("search \"%s\": %u keys, filtered in %.1f ms, painted after %.1f ms",
                      search[i], g_list_model_get_n_items (visible_keys (fixture)),
                      (painted - start) / 1000.0, (g_get_monotonic_time () - start) / 1000.0);
    }
  g_assert_cmpuint (g_list_model_get_n_items (visible_keys (fixture)), ==,
                    exk_organization_keys_get_n_keys (page_keys (fixture)));
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, func, n) \
  g_test_add ("/exkeys/organization-keys/" path, Fixture, GUINT_TO_POINTER (n), fixture_setup, \
              func, fixture_teardown)

  g_test_add_func ("/exkeys/organization-keys/csv-quoting", test_csv_quoting);
  ADD ("load-all-pages", test_load_all_pages, 250);
  ADD ("other-organization", test_other_organization, 0);
  ADD ("load-error-and-retry", test_load_error_and_retry, 0);
  ADD ("filters-and-search", test_filters_and_search, 250);
  ADD ("sort-by-column", test_sort_by_column, 250);
  ADD ("bulk-disable-with-failure", test_bulk_disable_with_failure, 40);
  ADD ("bulk-delete-partial", test_bulk_delete_partial, 60);
  ADD ("delete-cancelled", test_delete_cancelled, 0);
  ADD ("export-csv", test_export_csv, 250);
  ADD ("10000-keys", test_10000_keys, 10000);

#undef ADD

  return g_test_run ();
}

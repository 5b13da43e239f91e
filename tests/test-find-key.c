// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "exk-base-url.h"
#include "exk-find-key-dialog.h"
#include "exk-format.h"
#include "exk-key-finder.h"
#include "exk-mock-server.h"
#include "exk-project-page-private.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* Find Key across two accounts on two mock servers, with a real keyring
 * (keyring-env.sh's gnome-keyring mode): the first server ("Harbor") has data
 * of its own, the second the demo data, so that a demo key exists only on the
 * second. Both accounts are signed in, then the app starts again: the active
 * account (Harbor) comes back from the keyring, and the other account's token
 * is in the keyring only. */

typedef struct
{
  char              *seed_path;
  ExkMockServer     *harbor;     /* asked first: the active account's server */
  ExkMockServer     *demo;       /* asked second: knows the demo keys */
  ExkAccountManager *manager;
  ExkWindow         *window;
  char              *key;        /* a key only the demo server has */
} Fixture;

/* Not a key on either server. */
#define UNKNOWN_KEY "Zq3kT9wLmB7xYp2RvN5sHd8JfC4gA6eU1oKiWtQz"

static const char harbor_seed[] =
  "{"
  "  \"organizations\": [{ \"id\": \"6a1f0c2b3d4e5f6071829304\", \"name\": \"Harbor Works\" }],"
  "  \"projects\": [{ \"id\": \"6a1f0c2b3d4e5f6071829305\","
  "                   \"organization_id\": \"6a1f0c2b3d4e5f6071829304\","
  "                   \"name\": \"Harbor API\" }],"
  "  \"users\": [{ \"id\": \"6a1f0c2b3d4e5f6071829306\", \"email_address\": \"org@localhost\","
  "                \"full_name\": \"Hana Harbor\", \"password\": \"tester\","
  "                \"organization_ids\": [\"6a1f0c2b3d4e5f6071829304\"] }],"
  "  \"tokens\": [{ \"id\": \"HarborKey0000000000000000000000000000001\","
  "                 \"organization_id\": \"6a1f0c2b3d4e5f6071829304\","
  "                 \"project_id\": \"6a1f0c2b3d4e5f6071829305\","
  "                 \"scopes\": [\"client\"], \"notes\": \"Harbor web\" }]"
  "}";

static GtkWidget *
dialog_child (ExkFindKeyDialog *dialog,
              const char       *name)
{
  return exk_test_template_child (dialog, EXK_TYPE_FIND_KEY_DIALOG, name);
}

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static const char *
row_subtitle (ExkFindKeyDialog *dialog,
              const char       *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (dialog_child (dialog, name)));
}

static const char *
shown_state (ExkFindKeyDialog *dialog)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (dialog_child (dialog, "state_stack")));
}

static gboolean
signed_in (gpointer data)
{
  return *(int *) data != 0;
}

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkUser) user = NULL;

  user = exk_account_manager_sign_in_finish (EXK_ACCOUNT_MANAGER (source), result, &error);
  g_assert_no_error (error);
  *(int *) user_data = 1;
}

static void
sign_in (ExkAccountManager *manager,
         ExkMockServer     *mock)
{
  int done = 0;

  exk_account_manager_sign_in_async (manager, exk_mock_server_get_url (mock), "org@localhost",
                                     "tester", NULL, EXK_SIGN_IN_DEFAULT, NULL, on_signed_in,
                                     &done);
  g_assert_true (exk_test_wait_until (signed_in, &done, 20000));
}

static gboolean
window_ready (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (window_child (fixture, "project_sidebar"), "loading", &loading, NULL);
  return exk_test_window_shows_main (fixture->window)
         && exk_account_manager_get_client (fixture->manager) != NULL
         && !loading;
}

/* The id of the demo key with @notes, from the demo server's store. */
static char *
demo_key_with_notes (Fixture    *fixture,
                     const char *notes)
{
  g_autoptr(JsonNode) seed = exk_test_http_get_json (exk_mock_server_get_url (fixture->demo),
                                                     "/_mock/seed", NULL);
  JsonArray *tokens;

  g_assert_nonnull (seed);
  tokens = json_object_get_array_member (json_node_get_object (seed), "tokens");
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *token = json_array_get_object_element (tokens, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (token, "notes", NULL),
                     notes) == 0)
        return g_strdup (json_object_get_string_member (token, "id"));
    }

  g_assert_not_reached ();
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions harbor_options = { 0 };
  ExkMockOptions demo_options = { 0 };
  g_autoptr(GError) error = NULL;
  int fd;

  fd = g_file_open_tmp ("exkeys-harbor-XXXXXX.json", &fixture->seed_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (fixture->seed_path, harbor_seed, -1, NULL));

  harbor_options.seed_file = fixture->seed_path;
  fixture->harbor = exk_mock_server_start_in_thread (&harbor_options, &error);
  g_assert_no_error (error);
  fixture->demo = exk_mock_server_start_in_thread (&demo_options, &error);
  g_assert_no_error (error);
  fixture->key = demo_key_with_notes (fixture, "Production web servers");

  /* Both accounts signed in, Harbor last (active)… */
  fixture->manager = exk_test_new_manager ();
  sign_in (fixture->manager, fixture->demo);
  sign_in (fixture->manager, fixture->harbor);
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));

  /* …then a new start: only the keyring has the demo account's token. */
  fixture->manager = exk_test_new_manager ();
  g_assert_cmpuint (g_list_model_get_n_items (exk_account_manager_get_accounts (fixture->manager)),
                    ==, 2);
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_restore_session (fixture->window);
  g_assert_true (exk_test_wait_until (window_ready, fixture, 20000));
  g_assert_true (exk_account_manager_get_active_account (fixture->manager)
                 == exk_account_manager_find_account (fixture->manager,
                                                      exk_mock_server_get_url (fixture->harbor),
                                                      "org@localhost"));

  exk_test_clear_requests (exk_mock_server_get_url (fixture->harbor));
  exk_test_clear_requests (exk_mock_server_get_url (fixture->demo));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  GtkWindow *dialog = exk_test_find_toplevel (EXK_TYPE_FIND_KEY_DIALOG);

  if (dialog != NULL)
    gtk_window_destroy (dialog);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->harbor);
  g_clear_object (&fixture->harbor);
  exk_mock_server_stop (fixture->demo);
  g_clear_object (&fixture->demo);
  g_unlink (fixture->seed_path);
  g_clear_pointer (&fixture->seed_path, g_free);
  g_clear_pointer (&fixture->key, g_free);

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "account-user-ids");
  g_settings_reset (settings, "active-account");
  g_settings_reset (settings, "last-projects");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  exk_base_url_set_remote_hosts_for_testing (NULL);
}

/* Requests */

/* The requests the server at @mock logged whose path holds @needle. */
static GPtrArray *
requests_about (ExkMockServer *mock,
                const char    *needle)
{
  g_autoptr(JsonNode) node = exk_test_http_get_json (exk_mock_server_get_url (mock),
                                                     "/_mock/requests", NULL);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  JsonArray *requests;

  g_assert_nonnull (node);
  requests = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (request, "path");
      const char *query = json_object_get_string_member_with_default (request, "query", NULL);
      g_autofree char *body = NULL;

      if (json_object_has_member (request, "body")
          && !JSON_NODE_HOLDS_NULL (json_object_get_member (request, "body")))
        body = json_to_string (json_object_get_member (request, "body"), FALSE);

      if (strstr (path, needle) != NULL || (query != NULL && strstr (query, needle) != NULL)
          || (body != NULL && strstr (body, needle) != NULL))
        g_ptr_array_add (found, g_strdup_printf ("%s %s",
                                                 json_object_get_string_member (request, "method"),
                                                 path));
    }

  return found;
}

/* The server at @mock heard of @key exactly once: GET tokens/{key}. */
static void
assert_asked_once (ExkMockServer *mock,
                   const char    *key)
{
  g_autoptr(GPtrArray) requests = requests_about (mock, key);
  g_autofree char *expected = g_strconcat ("GET /api/v2/tokens/", key, NULL);

  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (requests, 0), ==, expected);
}

/* The dialog */

static ExkFindKeyDialog *
open_dialog (Fixture *fixture)
{
  ExkFindKeyDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.find-key", NULL));
  dialog = exk_test_find_toplevel (EXK_TYPE_FIND_KEY_DIALOG);
  g_assert_nonnull (dialog);
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));
  return dialog;
}

static void
type_key (ExkFindKeyDialog *dialog,
          const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (dialog_child (dialog, "key_row")), text);
}

static gboolean
search_done (gpointer data)
{
  ExkFindKeyDialog *dialog = data;
  const char *state = shown_state (dialog);

  return !exk_key_finder_get_searching (exk_find_key_dialog_get_finder (dialog))
         && (g_str_equal (state, "found") || g_str_equal (state, "not-found"));
}

static void
find (ExkFindKeyDialog *dialog,
      const char       *text)
{
  type_key (dialog, text);
  exk_test_click (dialog_child (dialog, "find_button"));
  g_assert_true (exk_test_wait_until (search_done, dialog, 20000));
}

static gboolean
asking_harbor (gpointer data)
{
  ExkFindKeyDialog *dialog = data;
  const char *text = gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "asking_label")));

  return g_str_equal (shown_state (dialog), "searching") && strstr (text, "127.0.0.1") != NULL;
}

static void
save_dark_screenshot (GtkWidget  *widget,
                      const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  exk_test_save_screenshot (widget, name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);

  g_assert_cmpstr (shown_state (dialog), ==, "empty");
  g_assert_false (gtk_widget_is_sensitive (dialog_child (dialog, "find_button")));
  /* Masked while typed or pasted. */
  type_key (dialog, fixture->key);
  {
    GtkEditable *row = GTK_EDITABLE (dialog_child (dialog, "key_row"));

    g_assert_false (gtk_text_get_visibility (GTK_TEXT (gtk_editable_get_delegate (row))));
  }
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "find_button")));
  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-empty");
  save_dark_screenshot (GTK_WIDGET (dialog), "find-key-empty-dark");
}

static gboolean
key_disabled_here (gpointer data)
{
  ExkFindKeyDialog *dialog = data;
  ExkKeyFinder *finder = exk_find_key_dialog_get_finder (dialog);

  return !exk_key_finder_get_busy (finder)
         && exk_token_get_is_disabled (exk_key_finder_get_token (finder));
}

static void
test_found_on_second (Fixture       *fixture,
                      gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  ExkKeyFinder *finder = exk_find_key_dialog_get_finder (dialog);
  const char *demo_url = exk_mock_server_get_url (fixture->demo);
  g_autofree char *demo_authority = exk_base_url_dup_authority (demo_url);
  g_autoptr(GPtrArray) demo_requests = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  /* The first server takes its time: the dialog says whom it asks. */
  g_assert_true (exk_mock_server_add_fault (fixture->harbor, "GET /api/v2/tokens=slow:1500*1",
                                            &error));
  g_assert_no_error (error);
  /* Pasted with the quotes and the line break of a log line. */
  {
    g_autofree char *pasted = g_strdup_printf ("  “%s”\n", fixture->key);

    type_key (dialog, pasted);
  }
  exk_test_click (dialog_child (dialog, "find_button"));
  g_assert_true (exk_test_wait_until (asking_harbor, dialog, 10000));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-searching");
  g_assert_true (exk_test_wait_until (search_done, dialog, 20000));

  g_assert_cmpstr (shown_state (dialog), ==, "found");
  g_assert_cmpstr (exk_token_get_id (exk_key_finder_get_token (finder)), ==, fixture->key);
  g_assert_cmpstr (exk_account_get_server (exk_key_finder_get_account (finder)), ==, demo_url);
  g_assert_cmpstr (row_subtitle (dialog, "organization_row"), ==, "Acme");
  g_assert_cmpstr (row_subtitle (dialog, "project_row"), ==, "Disintegrating Pistol");
  g_assert_nonnull (strstr (row_subtitle (dialog, "account_row"), demo_authority));
  g_assert_cmpstr (row_subtitle (dialog, "notes_row"), ==, "Production web servers");
  g_assert_cmpstr (row_subtitle (dialog, "scopes_row"), ==, "Client");
  g_assert_cmpstr (row_subtitle (dialog, "expires_row"), ==, "Never");
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "state_row"), "Active"));
  /* The key shows masked. */
  g_assert_null (strstr (row_subtitle (dialog, "masked_key_row"), fixture->key));
  {
    g_autofree char *masked = exk_format_masked_key (fixture->key);

    g_assert_cmpstr (row_subtitle (dialog, "masked_key_row"), ==, masked);
  }
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "failures_label")));
  g_assert_cmpuint (exk_key_finder_get_n_failures (finder), ==, 0);

  /* Each server heard of the key once; the one that knows it, about its project after. */
  assert_asked_once (fixture->harbor, fixture->key);
  demo_requests = requests_about (fixture->demo, fixture->key);
  g_assert_cmpuint (demo_requests->len, ==, 1);
  g_assert_cmpuint (exk_test_count_requests (demo_url, "GET",
                                             "/api/v2/projects/537650f3b77efe23a47914f4"), ==, 1);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->harbor), NULL,
                                             "/api/v2/projects/537650f3b77efe23a47914f4"), ==, 0);

  exk_test_assert_icon_buttons_labelled (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-found");
  save_dark_screenshot (GTK_WIDGET (dialog), "find-key-found-dark");
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 720);
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-found-360");

  /* Disable: only the server that knows the key hears of it, and the result
   * changes once it has answered. */
  exk_test_clear_requests (exk_mock_server_get_url (fixture->harbor));
  exk_test_click (dialog_child (dialog, "disable_button"));
  g_assert_true (exk_test_wait_until (key_disabled_here, dialog, 10000));
  g_assert_true (exk_test_server_says_disabled (demo_url, fixture->key));
  expected = g_strconcat ("/api/v2/tokens/", fixture->key, NULL);
  g_assert_cmpuint (exk_test_count_requests (demo_url, "PATCH", expected), ==, 1);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->harbor), NULL,
                                             "/api/v2/tokens"), ==, 0);
  g_assert_true (g_str_has_prefix (row_subtitle (dialog, "state_row"), "Disabled"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (dialog_child (dialog, "disable_button"))),
                   ==, "_Enable");
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-disabled-360");
}

static gboolean
key_deleted_here (gpointer data)
{
  return exk_key_finder_get_deleted (exk_find_key_dialog_get_finder (data));
}

/* Delete asks first, then goes to the server that knows the key, and no other. */
static void
test_delete (Fixture       *fixture,
             gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  const char *demo_url = exk_mock_server_get_url (fixture->demo);
  g_autofree char *path = g_strconcat ("/_mock/tokens/", fixture->key, NULL);
  g_autoptr(JsonNode) gone = NULL;
  g_autofree char *prefix = exk_format_key_prefix (fixture->key);
  AdwMessageDialog *confirm;
  guint status = 0;

  find (dialog, fixture->key);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->harbor));

  exk_test_click (dialog_child (dialog, "delete_button"));
  confirm = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (confirm);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (confirm), prefix));
  g_assert_cmpstr (adw_message_dialog_get_default_response (confirm), ==, "cancel");
  exk_test_save_screenshot (GTK_WIDGET (confirm), "find-key-delete-confirm");
  /* Nothing is sent before the answer. */
  g_assert_cmpuint (exk_test_count_requests (demo_url, "DELETE", "/api/v2/tokens"), ==, 0);
  adw_message_dialog_response (confirm, "delete");

  g_assert_true (exk_test_wait_until (key_deleted_here, dialog, 10000));
  g_assert_cmpstr (shown_state (dialog), ==, "deleted");
  gone = exk_test_http_get_json (demo_url, path, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpuint (exk_test_count_requests (demo_url, "DELETE", "/api/v2/tokens"), ==, 1);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->harbor), NULL,
                                             "/api/v2/tokens"), ==, 0);
  g_assert_false (gtk_widget_get_sensitive (dialog_child (dialog, "disable_button"))
                  && gtk_widget_get_mapped (dialog_child (dialog, "disable_button")));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-deleted");
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  const char *description;

  find (dialog, UNKNOWN_KEY);

  g_assert_cmpstr (shown_state (dialog), ==, "not-found");
  g_assert_null (exk_key_finder_get_token (exk_find_key_dialog_get_finder (dialog)));
  description = gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "not_found_description")));
  g_assert_nonnull (strstr (description, "No account you are signed in to can see this key"));
  g_assert_false (gtk_widget_get_visible (dialog_child (dialog, "failures_label")));
  assert_asked_once (fixture->harbor, UNKNOWN_KEY);
  assert_asked_once (fixture->demo, UNKNOWN_KEY);

  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-not-found");
  save_dark_screenshot (GTK_WIDGET (dialog), "find-key-not-found-dark");
}

/* A server that cannot answer does not stop the search, and is named. */
static void
test_server_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  ExkKeyFinder *finder = exk_find_key_dialog_get_finder (dialog);
  g_autofree char *harbor_authority = NULL;
  g_autoptr(GError) error = NULL;
  const char *failures;

  harbor_authority = exk_base_url_dup_authority (exk_mock_server_get_url (fixture->harbor));
  g_assert_true (exk_mock_server_add_fault (fixture->harbor, "GET /api/v2/tokens=status:503",
                                            &error));
  g_assert_no_error (error);

  find (dialog, UNKNOWN_KEY);
  g_assert_cmpstr (shown_state (dialog), ==, "not-found");
  g_assert_cmpuint (exk_key_finder_get_n_failures (finder), ==, 1);
  failures = gtk_label_get_text (GTK_LABEL (dialog_child (dialog, "failures_label")));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "failures_label")));
  g_assert_nonnull (strstr (failures, harbor_authority));
  g_assert_nonnull (strstr (failures, "the server had a problem"));
  assert_asked_once (fixture->demo, UNKNOWN_KEY);
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-not-found-failure");

  /* Found on the next server all the same. */
  find (dialog, fixture->key);
  g_assert_cmpstr (shown_state (dialog), ==, "found");
  g_assert_cmpuint (exk_key_finder_get_n_failures (finder), ==, 1);
}

/* Stop: the search ends at once, and the next one is not disturbed by it. */
static void
test_stop (Fixture       *fixture,
           gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  ExkKeyFinder *finder = exk_find_key_dialog_get_finder (dialog);
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->harbor, "GET /api/v2/tokens=slow:1000*1",
                                            &error));
  g_assert_no_error (error);
  type_key (dialog, fixture->key);
  exk_test_click (dialog_child (dialog, "find_button"));
  g_assert_true (exk_test_wait_until (asking_harbor, dialog, 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "find-key.stop", NULL));
  g_assert_cmpstr (shown_state (dialog), ==, "empty");
  g_assert_false (exk_key_finder_get_searching (finder));
  g_assert_null (exk_key_finder_get_asking (finder));
  g_assert_true (gtk_widget_is_sensitive (dialog_child (dialog, "find_button")));

  g_assert_null (exk_key_finder_get_token (finder));
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->demo), NULL,
                                             "/api/v2/tokens"), ==, 0);

  /* A new search works, and the stopped one never comes back to say anything. */
  find (dialog, fixture->key);
  g_assert_cmpstr (shown_state (dialog), ==, "found");
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->demo), NULL,
                                             "/api/v2/tokens"), ==, 1);
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  GtkWidget *error_label = dialog_child (dialog, "input_error_label");
  const char *invalid[] = {
    "Disintegrating Pistol",
    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjY",      /* 39 */
    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYtt",    /* 41 */
    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMj-t",     /* 40, not a key's letters */
    "Bearer qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt",
    "\"\"",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      type_key (dialog, invalid[i]);
      g_assert_false (gtk_widget_get_visible (error_label));
      exk_test_click (dialog_child (dialog, "find_button"));
      /* Said plainly, at once, and nothing is sent. */
      g_assert_true (gtk_widget_get_visible (error_label));
      g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (error_label)),
                                       i < G_N_ELEMENTS (invalid) - 1 ? "This is not an API key"
                                                                      : "Paste or type"));
      g_assert_cmpstr (shown_state (dialog), ==, "empty");
      g_assert_false (exk_key_finder_get_searching (exk_find_key_dialog_get_finder (dialog)));
    }
  exk_test_save_screenshot (GTK_WIDGET (dialog), "find-key-invalid");

  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->harbor), NULL,
                                             "/api/v2/tokens"), ==, 0);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->demo), NULL,
                                             "/api/v2/tokens"), ==, 0);
}

static void
test_parse_key (void)
{
  const char *key = "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt";
  const char *pasted[] = {
    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt",
    "  qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt\n",
    "\"qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt\"",
    "'qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt',",
    "`qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt`",
    "“qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt”",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pasted); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *parsed = exk_key_finder_parse_key (pasted[i], &error);

      /* A trailing comma is not a quote: that one is refused. */
      if (i == 3)
        {
          g_assert_error (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpstr (parsed, ==, key);
    }

  g_assert_false (exk_key_finder_looks_like_key (NULL));
  g_assert_false (exk_key_finder_looks_like_key (""));
  g_assert_false (exk_key_finder_looks_like_key ("Rocket Ship"));
  g_assert_true (exk_key_finder_looks_like_key (key));
}

/* Closing the dialog empties the field and drops what was found. */
static void
test_cleared_on_close (Fixture       *fixture,
                       gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  g_autoptr(GtkEditable) entry = g_object_ref (GTK_EDITABLE (dialog_child (dialog, "key_row")));
  g_autoptr(ExkKeyFinder) finder = g_object_ref (exk_find_key_dialog_get_finder (dialog));
  gpointer weak = dialog;

  find (dialog, fixture->key);
  g_assert_nonnull (exk_key_finder_get_token (finder));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, fixture->key);

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, "");
  g_assert_null (exk_key_finder_get_token (finder));
  g_assert_null (exk_key_finder_get_client (finder));
  g_assert_null (weak);

  /* Opened again: empty. */
  dialog = open_dialog (fixture);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (dialog_child (dialog, "key_row"))), ==,
                   "");
  g_assert_cmpstr (shown_state (dialog), ==, "empty");
}

static gboolean
key_shown_in_project (gpointer data)
{
  Fixture *fixture = data;
  ExkProjectPage *page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  ExkProject *project = exk_project_page_get_project (page);

  return project != NULL
         && g_strcmp0 (exk_project_get_name (project), "Disintegrating Pistol") == 0
         && g_strcmp0 (exk_project_page_get_highlighted (page), fixture->key) == 0;
}

/* The project link: to the other account, its project, and the key's row. */
static void
test_open_project (Fixture       *fixture,
                   gconstpointer  data)
{
  ExkFindKeyDialog *dialog = open_dialog (fixture);
  ExkProjectPage *page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  GtkWidget *row;

  find (dialog, fixture->key);
  g_assert_true (gtk_list_box_row_get_activatable (
                   GTK_LIST_BOX_ROW (dialog_child (dialog, "project_row"))));
  g_signal_emit_by_name (dialog_child (dialog, "project_row"), "activate");

  g_assert_null (exk_test_find_toplevel (EXK_TYPE_FIND_KEY_DIALOG));
  g_assert_true (exk_test_wait_until (key_shown_in_project, fixture, 20000));
  g_assert_true (exk_account_manager_get_active_account (fixture->manager)
                 == exk_account_manager_find_account (fixture->manager,
                                                      exk_mock_server_get_url (fixture->demo),
                                                      "org@localhost"));
  row = exk_project_page_get_row (page, fixture->key);
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "exk-new-key"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "find-key-opened-project");
}

static gboolean
child_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

/* Pasting a key into the sidebar's search offers to find it. */
static void
test_sidebar_offer (Fixture       *fixture,
                    gconstpointer  data)
{
  ExkProjectSidebar *sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  GtkRevealer *offer = GTK_REVEALER (exk_test_template_child (sidebar, EXK_TYPE_PROJECT_SIDEBAR,
                                                              "find_key_revealer"));
  GtkEditable *search = GTK_EDITABLE (exk_test_template_child (sidebar, EXK_TYPE_PROJECT_SIDEBAR,
                                                               "search_entry"));
  ExkFindKeyDialog *dialog;

  exk_project_sidebar_set_search_text (sidebar, "Harbor");
  g_assert_false (gtk_revealer_get_reveal_child (offer));
  exk_project_sidebar_set_search_text (sidebar, "Harbor API key rotation for the ops team");
  g_assert_false (gtk_revealer_get_reveal_child (offer));

  exk_project_sidebar_set_search_text (sidebar, fixture->key);
  g_assert_true (gtk_revealer_get_reveal_child (offer));
  g_assert_true (exk_test_wait_until (child_revealed, offer, 10000));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "find-key-sidebar-offer");

  /* Nothing is asked before the user takes the offer. */
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->harbor), NULL,
                                             "/api/v2/tokens"), ==, 0);

  exk_test_click (gtk_revealer_get_child (offer));
  /* The search forgets the key. */
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");
  g_assert_false (gtk_revealer_get_reveal_child (offer));

  dialog = exk_test_find_toplevel (EXK_TYPE_FIND_KEY_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (exk_test_wait_until (search_done, dialog, 20000));
  g_assert_cmpstr (shown_state (dialog), ==, "found");
  g_assert_cmpstr (row_subtitle (dialog, "project_row"), ==, "Disintegrating Pistol");
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;

  return g_strstr_len (contents, length, needle) != NULL;
}

/* Fails if @needle is in any file under @dir. */
static void
assert_not_in_tree (const char *dir,
                    const char *needle)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;

  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_not_in_tree (path, needle);
      else if (file_contains (path, needle))
        g_error ("The key was written to %s", path);
    }
}

/* The key found is nowhere once the dialog is closed: not in the output
 * with every debug message and HTTP logging on, not in the settings, not in
 * a file. Run in a subprocess; the parent reads its output. */
static void
test_key_nowhere (void)
{
  g_autoptr(ExkMockServer) mock = exk_mock_server_new (&(ExkMockOptions) { 0 }, NULL);
  g_autofree char *seed = exk_mock_server_dump_seed (mock);
  const char *key = "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw";
  g_autofree char *pattern = g_strdup_printf ("*%s*", key);

  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };
      ExkFindKeyDialog *dialog;

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_setenv ("EXKEYS_DEBUG_HTTP", "1", TRUE);
      fixture_setup (&fixture, NULL);
      g_assert_cmpstr (fixture.key, ==, key);
      dialog = open_dialog (&fixture);
      find (dialog, fixture.key);
      g_assert_cmpstr (shown_state (dialog), ==, "found");
      exk_test_click (dialog_child (dialog, "disable_button"));
      g_assert_true (exk_test_wait_until (key_disabled_here, dialog, 10000));
      gtk_window_close (GTK_WINDOW (dialog));
      /* What the settings hold, as the running app left them. */
      {
        g_autoptr(GSettings) live = g_settings_new (BASE_ID);
        g_autoptr(GSettingsSchema) live_schema = NULL;
        g_auto(GStrv) live_keys = NULL;

        g_object_get (live, "settings-schema", &live_schema, NULL);
        live_keys = g_settings_schema_list_keys (live_schema);
        for (guint i = 0; live_keys[i] != NULL; i++)
          {
            g_autoptr(GVariant) value = g_settings_get_value (live, live_keys[i]);
            g_autofree char *printed = g_variant_print (value, FALSE);

            g_assert_null (strstr (printed, key));
          }
      }
      fixture_teardown (&fixture, NULL);
      return;
    }

  /* The demo data has this key, and the subprocess checks it is the one it finds. */
  g_assert_nonnull (strstr (seed, key));

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* HTTP logging really was on. */
  g_test_trap_assert_stderr ("*/api/v2/tokens/*");
  g_test_trap_assert_stdout_unmatched (pattern);
  g_test_trap_assert_stderr_unmatched (pattern);

  assert_not_in_tree (g_get_user_config_dir (), key);
  assert_not_in_tree (g_get_user_data_dir (), key);
  assert_not_in_tree (g_get_user_cache_dir (), key);
  assert_not_in_tree (g_get_home_dir (), key);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  exk_test_init_ui (&argc, &argv);

  /* What AdwApplication loads in the app, so that the screenshots look the same. */
  gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/exkeys/find-key/parse-key", test_parse_key);

#define ADD(path, func) \
  g_test_add ("/exkeys/find-key/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("empty", test_empty);
  ADD ("found-on-second", test_found_on_second);
  ADD ("delete", test_delete);
  ADD ("not-found", test_not_found);
  ADD ("server-fails", test_server_fails);
  ADD ("stop", test_stop);
  ADD ("invalid-input", test_invalid_input);
  ADD ("cleared-on-close", test_cleared_on_close);
  ADD ("open-project", test_open_project);
  ADD ("sidebar-offer", test_sidebar_offer);
  g_test_add_func ("/exkeys/find-key/key-nowhere", test_key_nowhere);

#undef ADD

  return g_test_run ();
}

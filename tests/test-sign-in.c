// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-mock-server.h"
#include "exk-sign-in-page.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* Signing in against the mock server, with a real keyring ("gnome-keyring"
 * mode of keyring-env.sh) or none at all ("none" mode). */

typedef struct
{
  ExkMockServer     *mock;
  ExkAccountManager *manager;
  ExkWindow         *window;
  ExkSignInPage     *page;
} Fixture;

static GtkWidget *
page_child (Fixture    *fixture,
            const char *name)
{
  return exk_test_template_child (fixture->page, EXK_TYPE_SIGN_IN_PAGE, name);
}

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static gboolean
error_shown (gpointer data)
{
  Fixture *fixture = data;

  /* Shown, and no longer waiting. */
  return gtk_widget_get_visible (page_child (fixture, "error_revealer"))
         && gtk_widget_get_visible (page_child (fixture, "mode_button"));
}

static gboolean
banner_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (page_child (data, "error_revealer")));
}

static const char *
error_text (Fixture *fixture)
{
  return gtk_label_get_text (GTK_LABEL (page_child (fixture, "error_label")));
}

static void
open_window (Fixture *fixture)
{
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->page = EXK_SIGN_IN_PAGE (window_child (fixture, "sign_in_page"));
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_restore_session (fixture->window);
}

static void
close_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  fixture->page = NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->manager = exk_test_new_manager ();
  open_window (fixture);
  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  close_window (fixture);
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "active-account");
  g_settings_reset (settings, "last-projects");
  g_settings_reset (settings, "plain-http-servers");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  exk_base_url_set_remote_hosts_for_testing (NULL);
}

static void
choose_mock_server (Fixture *fixture)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")),
                         exk_mock_server_get_url (fixture->mock));
}

static void
type_password (Fixture    *fixture,
               const char *email,
               const char *password)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "email_row")), email);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "password_row")), password);
}

static void
type_token (Fixture    *fixture,
            const char *token)
{
  if (!gtk_widget_get_visible (page_child (fixture, "token_group")))
    exk_test_click (page_child (fixture, "mode_button"));
  g_assert_true (gtk_widget_get_visible (page_child (fixture, "token_group")));
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "token_row")), token);
}

/* Sign Out asks first, naming the account; the toast after it names it too. */
static void
sign_out (Fixture *fixture)
{
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  dialog = exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "org@localhost"));
  /* A remembered account: its token is in the keyring, and the dialog says so. */
  g_assert_true (exk_account_manager_is_remembered (
                   fixture->manager, exk_account_manager_get_active_account (fixture->manager)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "keyring"));
  /* Nothing happens before the answer. */
  g_assert_nonnull (exk_account_manager_get_active_account (fixture->manager));
  adw_message_dialog_response (dialog, "sign-out");
}

static void
press_sign_in (Fixture *fixture)
{
  exk_test_click (page_child (fixture, "sign_in_button"));
}

static char *
lookup_secret (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = secret_attributes_build (&(SecretSchema) {
    "io.github.exkeys.Exkeys.Account", SECRET_SCHEMA_DONT_MATCH_NAME,
    { { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } } },
    "server", exk_mock_server_get_url (fixture->mock),
    "account", exk_mock_server_get_demo_email (fixture->mock),
    NULL);
  char *secret = secret_password_lookupv_sync (NULL, attributes, NULL, &error);

  g_assert_no_error (error);
  return secret;
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
        g_error ("The token was written to %s", path);
    }
}

static void
assert_token_nowhere (const char *token)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
      g_autofree char *printed = g_variant_print (value, FALSE);

      g_assert_null (strstr (printed, token));
    }

  assert_not_in_tree (g_get_user_config_dir (), token);
  assert_not_in_tree (g_get_user_data_dir (), token);
  assert_not_in_tree (g_get_user_cache_dir (), token);
  assert_not_in_tree (g_get_home_dir (), token);
}

static void
test_wrong_then_right_password (Fixture       *fixture,
                                gconstpointer  data)
{
  ExkAccount *account;
  g_autofree char *secret = NULL;

  choose_mock_server (fixture);
  type_password (fixture, "org@localhost", "not-the-password");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);

  g_assert_nonnull (strstr (error_text (fixture), "not right"));
  g_assert_true (exk_test_window_shows_sign_in (fixture->window));
  /* Nothing typed is lost. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "email_row"))), ==,
                   "org@localhost");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "password_row"))),
                   ==, "not-the-password");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "url_row"))), ==,
                   exk_mock_server_get_url (fixture->mock));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sign-in-wrong-password");

  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "password_row")), "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);

  account = exk_account_manager_get_active_account (fixture->manager);
  g_assert_nonnull (account);
  g_assert_cmpstr (exk_account_get_email (account), ==, "org@localhost");
  g_assert_cmpstr (exk_account_get_display_name (account), ==, "Eric Smith");
  g_assert_null (exk_account_manager_get_keyring_problem (fixture->manager));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (window_child (fixture,
                                                                             "banner_revealer"))));

  secret = lookup_secret (fixture);
  g_assert_cmpstr (secret, ==, exk_mock_server_get_demo_token (fixture->mock));

  /* The password does not linger in the form. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "password_row"))),
                   ==, "");
  assert_token_nowhere (exk_mock_server_get_demo_token (fixture->mock));
}

static void
test_pasted_user_token (Fixture       *fixture,
                        gconstpointer  data)
{
  choose_mock_server (fixture);
  type_token (fixture, exk_mock_server_get_demo_token (fixture->mock));
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);

  g_assert_cmpstr (exk_account_get_email (exk_account_manager_get_active_account (fixture->manager)),
                   ==, "org@localhost");
}

static void
test_pasted_api_key (Fixture       *fixture,
                     gconstpointer  data)
{
  /* A client key of Disintegrating Pistol: users/me answers 403 to it. */
  choose_mock_server (fixture);
  type_token (fixture, "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);

  g_assert_nonnull (strstr (error_text (fixture), "project API key, not a user token"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "token_row"))), ==,
                   "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw");
  g_assert_null (exk_account_manager_get_client (fixture->manager));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sign-in-api-key-refused");
}

static void
test_throttled (Fixture       *fixture,
                gconstpointer  data)
{
  choose_mock_server (fixture);

  /* The server counts attempts before checking: the sixth is denied. */
  for (guint i = 0; i < 6; i++)
    {
      type_password (fixture, "free@localhost", "wrong-password");
      press_sign_in (fixture);
      exk_test_assert_wait (error_shown, fixture);
      gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "password_row")), "");
      if (i < 5)
        g_assert_nonnull (strstr (error_text (fixture), "not right"));
    }

  g_assert_nonnull (strstr (error_text (fixture), "wait 15 minutes"));
}

/* Whether the keyboard focus is in @widget (an entry row's text is inside it). */
static gboolean
has_focus_within (Fixture   *fixture,
                  GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The field at fault is marked and focused, and it alone. */
static void
assert_field_at_fault (Fixture    *fixture,
                       const char *name)
{
  static const char * const fields[] = { "url_row", "email_row", "password_row", "token_row" };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_cmpint (gtk_widget_has_css_class (page_child (fixture, fields[i]), "error"), ==,
                     g_strcmp0 (fields[i], name) == 0);

  if (name != NULL)
    g_assert_true (has_focus_within (fixture, page_child (fixture, name)));
}

/* One sentence for people: no GLib or libsoup wording, no doubled full stop. */
static void
assert_human_error (Fixture *fixture)
{
  const char *text = error_text (fixture);

  g_test_message ("error: %s", text);
  g_assert_null (strstr (text, ".."));
  g_assert_null (strstr (text, "TLS"));
  g_assert_null (strstr (text, "handshake"));
  g_assert_null (strstr (text, "Connection refused"));
  g_assert_null (strstr (text, "Exkeys tried"));
}

static void
test_unreachable_server (Fixture       *fixture,
                         gconstpointer  data)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  /* Port 1 on loopback: nothing listens there. Typed without a scheme, the
   * message names the address tried, with its scheme and port. */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")), "127.0.0.1:1");
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);

  g_assert_nonnull (strstr (error_text (fixture), "https://127.0.0.1:1"));
  assert_human_error (fixture);
  assert_field_at_fault (fixture, "url_row");
  g_assert_false (gtk_widget_get_visible (page_child (fixture, "plain_http_button")));
  g_assert_true (exk_test_window_shows_sign_in (fixture->window));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "password_row"))),
                   ==, "tester");
  exk_test_assert_wait (banner_revealed, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sign-in-unreachable");

  /* Correcting the address takes the mark off. */
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")), "127.0.0.1:2");
  g_assert_false (gtk_widget_has_css_class (page_child (fixture, "url_row"), "error"));
}

/* Typed without a scheme, a server on this computer that speaks only plain HTTP
 * (the mock server) is used without a question, once HTTPS failed. */
static void
test_schemeless_loopback (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *typed = NULL;
  ExkAccount *account;

  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  typed = g_strdup (exk_mock_server_get_url (fixture->mock) + strlen ("http://"));
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")), typed);
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);

  account = exk_account_manager_get_active_account (fixture->manager);
  g_assert_cmpstr (exk_account_get_server (account), ==, exk_mock_server_get_url (fixture->mock));
  g_assert_false (exk_account_get_plain_http (account));
  g_assert_cmpstr (exk_account_get_server_authority (account), ==, typed);
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "POST",
                                             "/api/v2/auth/login"), ==, 1);
}

/* Every request the mock server saw: none carried a credential. */
static void
assert_no_credential_sent (Fixture *fixture)
{
  g_autoptr(JsonNode) node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock),
                                                     "/_mock/requests", NULL);
  JsonArray *requests = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *request = json_array_get_object_element (requests, i);

      g_test_message ("before the choice: %s %s",
                      json_object_get_string_member (request, "method"),
                      json_object_get_string_member (request, "path"));
      g_assert_false (json_object_get_boolean_member (request, "has_authorization"));
      g_assert_true (json_object_get_null_member (request, "body"));
      g_assert_cmpstr (json_object_get_string_member (request, "method"), ==, "HEAD");
    }
}

static gboolean
settings_allow (const char *host_port)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  g_auto(GStrv) servers = g_settings_get_strv (settings, "plain-http-servers");

  return g_strv_contains ((const char * const *) servers, host_port);
}

/* The mock server listens on 127.0.0.1; taken here for another computer, it stands
 * for a self-hosted server on the network that speaks only plain HTTP. */
static void
test_plain_http_needs_choice (Fixture       *fixture,
                              gconstpointer  data)
{
  const char * const remote[] = { "127.0.0.1", NULL };
  const char *url = exk_mock_server_get_url (fixture->mock);
  const char *typed = url + strlen ("http://");
  ExkAccount *account;
  gboolean plain_http;

  exk_base_url_set_remote_hosts_for_testing (remote);

  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")), typed);
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);

  /* Said in one sentence, with the choice offered; nothing secret has left. */
  g_assert_nonnull (strstr (error_text (fixture), url));
  g_assert_nonnull (strstr (error_text (fixture), "without encryption"));
  assert_human_error (fixture);
  assert_field_at_fault (fixture, "url_row");
  g_assert_true (gtk_widget_get_visible (page_child (fixture, "plain_http_button")));
  g_assert_cmpuint (exk_test_count_requests (url, "POST", "/api/v2/auth/login"), ==, 0);
  assert_no_credential_sent (fixture);
  g_assert_false (settings_allow (typed));
  g_assert_null (exk_account_manager_get_active_account (fixture->manager));
  exk_test_assert_wait (banner_revealed, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sign-in-plain-http");

  /* Signing in again without the choice still sends nothing. */
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);
  g_assert_cmpuint (exk_test_count_requests (url, "POST", "/api/v2/auth/login"), ==, 0);
  assert_no_credential_sent (fixture);

  /* The explicit choice: signed in, remembered for this server, shown on the account. */
  exk_test_click (page_child (fixture, "plain_http_button"));
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_cmpuint (exk_test_count_requests (url, "POST", "/api/v2/auth/login"), ==, 1);
  g_assert_true (settings_allow (typed));
  account = exk_account_manager_get_active_account (fixture->manager);
  g_assert_cmpstr (exk_account_get_server (account), ==, url);
  g_object_get (account, "plain-http", &plain_http, NULL);
  g_assert_true (plain_http);
  g_assert_cmpstr (exk_account_get_server_authority (account), ==, typed);

  /* Next time, for this server, no question. */
  sign_out (fixture);
  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")), typed);
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_cmpuint (exk_test_count_requests (url, "POST", "/api/v2/auth/login"), ==, 2);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

/* Below the page: the account manager refuses too, whoever asks it. */
static void
test_plain_http_refused_by_manager (Fixture       *fixture,
                                    gconstpointer  data)
{
  const char * const remote[] = { "127.0.0.1", NULL };
  const char *url = exk_mock_server_get_url (fixture->mock);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkUser) user = NULL;

  exk_base_url_set_remote_hosts_for_testing (remote);

  exk_account_manager_sign_in_async (fixture->manager, url, NULL, NULL,
                                     exk_mock_server_get_demo_token (fixture->mock),
                                     EXK_SIGN_IN_DEFAULT, NULL, store_result, &result);
  exk_test_assert_wait (has_result, &result);
  user = exk_account_manager_sign_in_finish (fixture->manager, result, &error);
  g_assert_null (user);
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL);
  g_assert_nonnull (strstr (error->message, url));

  /* Not a single request: the address said http:// to another computer. */
  g_assert_cmpuint (exk_test_count_requests (url, NULL, "/"), ==, 0);
}

static gboolean
is_waiting (gpointer data)
{
  return gtk_widget_get_visible (page_child (data, "stop_button"));
}

static void
test_stop_waiting (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->mock, "POST /api/v2/auth/login=slow:20000",
                                            &error));
  choose_mock_server (fixture);
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (is_waiting, fixture);
  g_assert_false (gtk_widget_get_visible (page_child (fixture, "mode_button")));

  /* A server that does not answer need not be waited for: everything typed stays. */
  exk_test_click (page_child (fixture, "stop_button"));
  g_assert_false (is_waiting (fixture));
  g_assert_true (gtk_widget_is_sensitive (page_child (fixture, "sign_in_button")));
  g_assert_false (gtk_widget_get_visible (page_child (fixture, "error_revealer")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "password_row"))),
                   ==, "tester");
  g_assert_null (exk_account_manager_get_active_account (fixture->manager));
}

static void
test_insecure_url (Fixture       *fixture,
                   gconstpointer  data)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (fixture, "server_row")), 1);
  gtk_editable_set_text (GTK_EDITABLE (page_child (fixture, "url_row")),
                         "http://errors.example.com");
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);

  g_assert_nonnull (strstr (error_text (fixture), "http://errors.example.com:80 is not encrypted"));
  assert_human_error (fixture);
  assert_field_at_fault (fixture, "url_row");
  g_assert_true (gtk_widget_get_visible (page_child (fixture, "plain_http_button")));
}

static gboolean
is_waiting_without_error (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_visible (page_child (fixture, "stop_button"))
         && !gtk_widget_get_visible (page_child (fixture, "error_revealer"))
         && !gtk_widget_has_css_class (page_child (fixture, "password_row"), "error");
}

static void
test_old_error_cleared (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  choose_mock_server (fixture);
  type_password (fixture, "org@localhost", "not-the-password");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);
  assert_field_at_fault (fixture, "password_row");
  assert_human_error (fixture);

  /* The next attempt is held back by the server: meanwhile the old error is gone. */
  g_assert_true (exk_mock_server_add_fault (fixture->mock, "POST /api/v2/auth/login=slow:20000",
                                            &error));
  press_sign_in (fixture);
  exk_test_assert_wait (is_waiting_without_error, fixture);
  exk_test_click (page_child (fixture, "stop_button"));
}

static void
assert_inside_window (Fixture    *fixture,
                      const char *name)
{
  GtkWidget *widget = page_child (fixture, name);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (fixture->window), &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=,
                     gtk_widget_get_width (GTK_WIDGET (fixture->window)));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (fixture->window)));
}

static gboolean
window_has_size (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0
         && gtk_widget_get_width (GTK_WIDGET (fixture->window)) <= 400;
}

/* However long the error, Sign In stays in sight: at the default size and at 360×700. */
static void
test_long_error_keeps_sign_in (Fixture       *fixture,
                               gconstpointer  data)
{
  gboolean narrow = GPOINTER_TO_INT (data);
  g_autofree char *name = g_strdup_printf ("sign-in-long-error-%s", narrow ? "360" : "960");

  if (narrow)
    {
      g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

      close_window (fixture);
      g_settings_set_int (settings, "window-width", 360);
      g_settings_set_int (settings, "window-height", 700);
      open_window (fixture);
      exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);
      exk_test_assert_wait (window_has_size, fixture);
    }

  /* The longest message there is, for a self-hosted server and a wrong password. */
  choose_mock_server (fixture);
  type_password (fixture, "org@localhost", "not-the-password");
  press_sign_in (fixture);
  exk_test_assert_wait (error_shown, fixture);
  exk_test_assert_wait (banner_revealed, fixture);

  assert_inside_window (fixture, "sign_in_button");
  assert_inside_window (fixture, "error_label");
  g_assert_true (gtk_widget_is_sensitive (page_child (fixture, "sign_in_button")));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), name);
}

static void
sign_in_as_demo (Fixture *fixture)
{
  choose_mock_server (fixture);
  type_password (fixture, "org@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
}

static gboolean
manager_has_client (gpointer data)
{
  return exk_account_manager_get_client (data) != NULL;
}

static void
test_restored_at_launch (Fixture       *fixture,
                         gconstpointer  data)
{
  sign_in_as_demo (fixture);

  /* Quit and launch again: the same account comes back, without a prompt. */
  close_window (fixture);
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  fixture->manager = exk_test_new_manager ();
  open_window (fixture);

  /* The window does not wait for the keyring: the account's cached projects show at once. */
  g_assert_true (exk_test_window_shows_main (fixture->window));
  g_assert_null (exk_account_manager_get_client (fixture->manager));

  exk_test_assert_wait (manager_has_client, fixture->manager);
  g_assert_true (exk_test_window_shows_main (fixture->window));
  g_assert_cmpstr (exk_account_get_email (exk_account_manager_get_active_account (fixture->manager)),
                   ==, "org@localhost");
  g_assert_nonnull (exk_account_manager_get_client (fixture->manager));
}

static void
test_sign_out_removes_secret (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *secret = NULL;

  sign_in_as_demo (fixture);
  secret = lookup_secret (fixture);
  g_assert_nonnull (secret);
  g_clear_pointer (&secret, g_free);

  sign_out (fixture);
  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);

  secret = lookup_secret (fixture);
  g_assert_null (secret);
  g_assert_null (exk_account_manager_get_active_account (fixture->manager));
  g_assert_cmpuint (g_list_model_get_n_items (exk_account_manager_get_accounts (fixture->manager)),
                    ==, 0);
}

static gboolean
secret_is_gone (gpointer data)
{
  g_autofree char *secret = lookup_secret (data);

  return secret == NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static void
test_sign_out_everywhere (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GtkWidget) dialog = NULL;

  sign_in_as_demo (fixture);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out-everywhere", NULL);
  exk_test_assert_wait (message_dialog_shown, NULL);

  /* The warning dialog names what happens; confirm it. */
  dialog = g_object_ref (exk_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "same token"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "sign-out");

  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);
  exk_test_assert_wait (secret_is_gone, fixture);
}

static void
test_rejected_token_at_launch (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *authorization = NULL;

  sign_in_as_demo (fixture);
  close_window (fixture);
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));

  /* Someone signs out everywhere from elsewhere: the stored token is dead. */
  url = g_strconcat (exk_mock_server_get_url (fixture->mock), "/api/v2/auth/logout", NULL);
  message = soup_message_new ("GET", url);
  authorization = g_strconcat ("Bearer ", exk_mock_server_get_demo_token (fixture->mock), NULL);
  soup_message_headers_append (soup_message_get_request_headers (message), "Authorization",
                               authorization);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);

  fixture->manager = exk_test_new_manager ();
  open_window (fixture);
  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (page_child (fixture, "email_row"))), ==,
                   "org@localhost");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (page_child (fixture, "intro_label"))),
                            "no longer accepts the token"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sign-in-again");
}

static gboolean
is_org_active (gpointer data)
{
  Fixture *fixture = data;
  ExkAccount *account = exk_account_manager_get_active_account (fixture->manager);

  return account != NULL && g_str_equal (exk_account_get_email (account), "org@localhost")
         && exk_account_manager_get_client (fixture->manager) != NULL;
}

static void
test_two_accounts (Fixture       *fixture,
                   gconstpointer  data)
{
  GMenuModel *section;
  g_autofree char *org_key = NULL;

  sign_in_as_demo (fixture);

  /* Add Account: the same sign-in page, with a way back. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.add-account", NULL);
  exk_test_assert_wait (exk_test_window_shows_sign_in, fixture->window);
  g_assert_true (gtk_widget_get_visible (page_child (fixture, "cancel_button")));
  choose_mock_server (fixture);
  type_password (fixture, "free@localhost", "tester");
  press_sign_in (fixture);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_cmpstr (exk_account_get_email (exk_account_manager_get_active_account (fixture->manager)),
                   ==, "free@localhost");

  /* The account menu lists both, to switch with. */
  section = G_MENU_MODEL (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                        EXK_TYPE_WINDOW,
                                                        "account_list_section"));
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 2);

  org_key = exk_account_dup_key (
    exk_account_manager_find_account (fixture->manager, exk_mock_server_get_url (fixture->mock),
                                      "org@localhost"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.account-key", "s",
                                             org_key));
  exk_test_assert_wait (is_org_active, fixture);
  g_assert_true (exk_test_window_shows_main (fixture->window));
}

static void
test_no_keyring (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkRevealer *banner;

  sign_in_as_demo (fixture);

  g_assert_nonnull (exk_account_manager_get_keyring_problem (fixture->manager));
  banner = GTK_REVEALER (window_child (fixture, "banner_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (window_child (fixture, "banner_label"))),
                            "keyring"));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "no-keyring-banner");

  assert_token_nowhere (exk_mock_server_get_demo_token (fixture->mock));
}

/* Whether the projects the window asked for once signed in have arrived: the
 * request is in the server's log and the sidebar no longer waits for it. */
static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (window_child (fixture, "project_sidebar"), "loading", &loading, NULL);
  return !loading
         && exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "GET",
                                     "/api/v2/projects") > 0;
}

/* Run in a subprocess with every debug output on; the parent reads it all. */
static void
test_no_token_in_output (void)
{
  if (g_test_subprocess ())
    {
      Fixture fixture = { 0 };

      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
      g_setenv ("EXKEYS_DEBUG_HTTP", "1", TRUE);
      fixture_setup (&fixture, NULL);
      sign_in_as_demo (&fixture);
      /* The requests made with the token once signed in are logged too. */
      exk_test_assert_wait (projects_loaded, &fixture);
      fixture_teardown (&fixture, NULL);
      return;
    }

  {
    /* The demo token is the same on every run of the mock server. */
    g_autoptr(ExkMockServer) mock = exk_mock_server_new (&(ExkMockOptions) { 0 }, NULL);
    g_autofree char *token_pattern = g_strdup_printf ("*%s*",
                                                      exk_mock_server_get_demo_token (mock));

    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    /* The output is not empty: HTTP debugging really was on. */
    g_test_trap_assert_stderr ("*users/me*");
    g_test_trap_assert_stdout_unmatched (token_pattern);
    g_test_trap_assert_stderr_unmatched (token_pattern);
    g_test_trap_assert_stderr_unmatched ("*tester*");
  }
}

int
main (int   argc,
      char *argv[])
{
  const char *keyring = g_getenv ("EXK_TEST_KEYRING");

  exk_test_init_ui (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/exkeys/sign-in/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  if (g_strcmp0 (keyring, "none") == 0)
    {
      ADD ("no-keyring", test_no_keyring);
    }
  else
    {
      ADD ("wrong-then-right-password", test_wrong_then_right_password);
      ADD ("pasted-user-token", test_pasted_user_token);
      ADD ("pasted-api-key", test_pasted_api_key);
      ADD ("throttled", test_throttled);
      ADD ("unreachable-server", test_unreachable_server);
      ADD ("insecure-url", test_insecure_url);
      ADD ("schemeless-loopback", test_schemeless_loopback);
      ADD ("plain-http-needs-choice", test_plain_http_needs_choice);
      ADD ("plain-http-refused-by-manager", test_plain_http_refused_by_manager);
      ADD ("old-error-cleared", test_old_error_cleared);
      g_test_add ("/exkeys/sign-in/long-error-keeps-sign-in/960x640", Fixture,
                  GINT_TO_POINTER (FALSE), fixture_setup, test_long_error_keeps_sign_in,
                  fixture_teardown);
      g_test_add ("/exkeys/sign-in/long-error-keeps-sign-in/360x700", Fixture,
                  GINT_TO_POINTER (TRUE), fixture_setup, test_long_error_keeps_sign_in,
                  fixture_teardown);
      ADD ("stop-waiting", test_stop_waiting);
      ADD ("two-accounts", test_two_accounts);
      ADD ("restored-at-launch", test_restored_at_launch);
      ADD ("sign-out-removes-secret", test_sign_out_removes_secret);
      ADD ("sign-out-everywhere", test_sign_out_everywhere);
      ADD ("rejected-token-at-launch", test_rejected_token_at_launch);
      g_test_add_func ("/exkeys/sign-in/no-token-in-output", test_no_token_in_output);
    }

#undef ADD

  return g_test_run ();
}

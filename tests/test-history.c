// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "exk-history.h"
#include "exk-key-list.h"
#include "exk-mock-server.h"

/* ExkHistory, the local record of changes made from Exkeys: what its file
 * holds (never a key), that it keeps a year, survives a restart, and that the
 * key list records exactly what the server confirmed. Without a display; in
 * isolated XDG folders. */

#define ACCOUNT_KEY  "https://example.org org@localhost"
#define FULL_KEY     "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define OTHER_KEY    "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"
#define PISTOL_ID    "537650f3b77efe23a47914f4"
#define WAIT_MS      20000

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean (*condition) (gpointer),
          gpointer  data)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add (WAIT_MS, timed_out, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

static gboolean
is_loaded (gpointer data)
{
  return exk_history_get_loaded (data);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static ExkHistory *
load_history (void)
{
  ExkHistory *history = exk_history_new (ACCOUNT_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  exk_history_load_async (history, NULL, on_result, &result);
  wait_for (has_result, &result);
  g_assert_true (exk_history_load_finish (history, result, &error));
  g_assert_no_error (error);
  g_assert_true (exk_history_get_loaded (history));

  return history;
}

static char *
read_file (ExkHistory *history)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  exk_history_flush (history);
  g_file_get_contents (exk_history_get_path (history), &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static ExkHistoryEntry *
get_entry (ExkHistory *history,
           guint       position)
{
  ExkHistoryEntry *entry = g_list_model_get_item (G_LIST_MODEL (history), position);

  g_assert_nonnull (entry);
  g_object_unref (entry);   /* the model keeps it */
  return entry;
}

static void
test_round_trip (void)
{
  g_autoptr(ExkHistory) history = load_history ();
  g_autoptr(ExkHistory) again = NULL;
  g_autofree char *path = g_strdup (exk_history_get_path (history));
  g_autofree char *folder = g_path_get_dirname (path);
  GStatBuf buf;
  ExkHistoryEntry *entry;

  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  exk_history_record (history, EXK_HISTORY_ACTION_CREATED, PISTOL_ID, "Disintegrating Pistol",
                      FULL_KEY, NULL, "Web, production");
  exk_history_record (history, EXK_HISTORY_ACTION_DISABLED, NULL, NULL, OTHER_KEY, NULL, NULL);
  exk_history_record (history, EXK_HISTORY_ACTION_LEAK_REPLACED, PISTOL_ID,
                      "Disintegrating Pistol", FULL_KEY, OTHER_KEY, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_free (read_file (history));

  /* Only the user may read it. */
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0077, ==, 0);

  /* Another start reads the same changes, newest first. */
  g_clear_object (&history);
  again = load_history ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);

  entry = get_entry (again, 0);
  g_assert_cmpint (exk_history_entry_get_action (entry), ==, EXK_HISTORY_ACTION_LEAK_REPLACED);
  g_assert_cmpstr (exk_history_entry_get_key_prefix (entry), ==, "mUf7KS");
  g_assert_cmpstr (exk_history_entry_get_replacement_prefix (entry), ==, "qmOVlT");
  g_assert_cmpstr (exk_history_entry_get_project_name (entry), ==, "Disintegrating Pistol");

  entry = get_entry (again, 1);
  g_assert_cmpint (exk_history_entry_get_action (entry), ==, EXK_HISTORY_ACTION_DISABLED);
  g_assert_null (exk_history_entry_get_project_id (entry));
  g_assert_null (exk_history_entry_get_notes (entry));

  entry = get_entry (again, 2);
  g_assert_cmpint (exk_history_entry_get_action (entry), ==, EXK_HISTORY_ACTION_CREATED);
  g_assert_cmpstr (exk_history_entry_get_notes (entry), ==, "Web, production");
  g_assert_cmpstr (exk_history_entry_get_project_id (entry), ==, PISTOL_ID);

  g_assert_cmpint (g_unlink (exk_history_get_path (again)), ==, 0);
}

/* Neither the keys nor a key pasted into the notes reach the file. */
static void
test_never_a_key (void)
{
  g_autoptr(ExkHistory) history = load_history ();
  g_autofree char *contents = NULL;
  g_autofree char *title = NULL;
  ExkHistoryEntry *entry;

  exk_history_record (history, EXK_HISTORY_ACTION_NOTES_CHANGED, PISTOL_ID, "Pistol", FULL_KEY,
                      NULL, "old key was " OTHER_KEY ", rotated");
  exk_history_record (history, EXK_HISTORY_ACTION_REPLACED, PISTOL_ID, "Pistol", FULL_KEY,
                      OTHER_KEY, FULL_KEY);

  contents = read_file (history);
  g_assert_null (strstr (contents, FULL_KEY));
  g_assert_null (strstr (contents, OTHER_KEY));
  /* Not even most of one. */
  g_assert_null (strstr (contents, "mUf7KSO"));
  g_assert_null (strstr (contents, "qmOVlTg"));
  g_assert_nonnull (strstr (contents, "mUf7KS"));

  entry = get_entry (history, 1);
  g_assert_cmpstr (exk_history_entry_get_notes (entry), ==, "old key was qmOVlT…, rotated");
  title = exk_history_entry_dup_title (entry);
  g_assert_cmpstr (title, ==, "Changed the notes of key mUf7KS…");

  g_assert_cmpint (g_unlink (exk_history_get_path (history)), ==, 0);
}

/* Lines older than a year, and lines that are not ours, go at the next start. */
static void
test_keeps_a_year (void)
{
  g_autoptr(ExkHistory) probe = exk_history_new (ACCOUNT_KEY);
  g_autoptr(ExkHistory) history = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old = g_date_time_add_days (now, -EXK_HISTORY_KEEP_DAYS - 1);
  g_autoptr(GDateTime) recent = g_date_time_add_days (now, -EXK_HISTORY_KEEP_DAYS + 1);
  g_autofree char *old_time = g_date_time_format_iso8601 (old);
  g_autofree char *recent_time = g_date_time_format_iso8601 (recent);
  g_autofree char *folder = g_path_get_dirname (exk_history_get_path (probe));
  g_autofree char *contents = NULL;
  g_autofree char *rewritten = NULL;
  g_autoptr(GError) error = NULL;

  contents = g_strdup_printf ("{\"time\":\"%s\",\"action\":\"deleted\",\"key\":\"OLDOLD\"}\n"
                              "not json at all\n"
                              "{\"time\":\"%s\",\"action\":\"exploded\",\"key\":\"BADBAD\"}\n"
                              "{\"time\":\"%s\",\"action\":\"enabled\",\"key\":\"NEWNEW\","
                              "\"project\":\"Rocket Ship\"}\n"
                              "{\"time\":\"%s\",\"action\":\"enabled\"",
                              old_time, recent_time, recent_time, recent_time);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_file_set_contents (exk_history_get_path (probe), contents, -1, &error);
  g_assert_no_error (error);

  history = load_history ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_cmpstr (exk_history_entry_get_key_prefix (get_entry (history, 0)), ==, "NEWNEW");

  rewritten = read_file (history);
  g_assert_null (strstr (rewritten, "OLDOLD"));
  g_assert_null (strstr (rewritten, "not json"));
  g_assert_nonnull (strstr (rewritten, "NEWNEW"));
  g_assert_true (g_str_has_suffix (rewritten, "}\n"));

  g_assert_cmpint (g_unlink (exk_history_get_path (history)), ==, 0);
}

/* A change recorded before the file was read is written once, and listed once. */
static void
test_record_before_load (void)
{
  g_autoptr(ExkHistory) first = load_history ();
  g_autoptr(ExkHistory) history = NULL;
  g_autoptr(ExkHistory) again = NULL;
  g_autofree char *contents = NULL;

  exk_history_record (first, EXK_HISTORY_ACTION_CREATED, PISTOL_ID, "Pistol", FULL_KEY, NULL,
                      NULL);
  exk_history_flush (first);

  history = exk_history_new (ACCOUNT_KEY);
  exk_history_record (history, EXK_HISTORY_ACTION_DELETED, PISTOL_ID, "Pistol", FULL_KEY, NULL,
                      NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  wait_for (is_loaded, history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  g_assert_cmpint (exk_history_entry_get_action (get_entry (history, 0)), ==,
                   EXK_HISTORY_ACTION_DELETED);

  contents = read_file (history);
  again = load_history ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);

  g_assert_cmpint (g_unlink (exk_history_get_path (again)), ==, 0);
}

/* The demo account leaves nothing on disk. */
static void
test_memory_only (void)
{
  g_autoptr(ExkHistory) history = exk_history_new_memory ();
  g_autoptr(ExkHistory) probe = exk_history_new (ACCOUNT_KEY);
  g_autofree char *folder = g_path_get_dirname (exk_history_get_path (probe));

  g_assert_null (exk_history_get_path (history));
  g_assert_true (exk_history_get_loaded (history));
  exk_history_record (history, EXK_HISTORY_ACTION_CREATED, PISTOL_ID, "Pistol", FULL_KEY, NULL,
                      NULL);
  exk_history_flush (history);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_false (g_file_test (exk_history_get_path (probe), G_FILE_TEST_EXISTS));
}

/* The key list records what the server confirmed, and nothing it refused. */
static void
test_key_list_records (void)
{
  ExkMockOptions options = { 0 };
  g_autoptr(ExkMockServer) mock = NULL;
  g_autoptr(ExkClient) client = NULL;
  g_autoptr(ExkProject) pistol = NULL;
  g_autoptr(ExkKeyList) key_list = NULL;
  g_autoptr(ExkHistory) history = load_history ();
  g_autoptr(ExkToken) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *new_id = NULL;
  const char *scopes[] = { "client", NULL };

  mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  client = exk_client_new (exk_mock_server_get_url (mock), &error);
  g_assert_no_error (error);
  exk_client_set_token (client, exk_mock_server_get_demo_token (mock));

  exk_client_get_project_async (client, PISTOL_ID, EXK_PROJECT_LIST_NONE, NULL, on_result,
                                &result);
  wait_for (has_result, &result);
  pistol = exk_client_get_project_finish (client, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);

  key_list = exk_key_list_new (client, pistol, NULL, NULL);
  exk_key_list_set_history (key_list, history);
  exk_key_list_reload_async (key_list, on_result, &result);
  wait_for (has_result, &result);
  g_assert_true (exk_key_list_reload_finish (key_list, result, &error));
  g_clear_object (&result);

  exk_key_list_create_async (key_list, scopes, "Checkout service", NULL, on_result, &result);
  wait_for (has_result, &result);
  created = exk_key_list_create_finish (key_list, result, &error);
  g_assert_no_error (error);
  new_id = g_strdup (exk_token_get_id (created));
  g_clear_object (&result);

  exk_key_list_set_disabled_async (key_list, new_id, TRUE, on_result, &result);
  wait_for (has_result, &result);
  g_assert_true (exk_key_list_set_disabled_finish (key_list, result, &error));
  g_clear_object (&result);

  /* Refused by the server: not recorded. */
  g_assert_true (exk_mock_server_add_fault (mock, "PATCH /api/v2/tokens=status:500*1", &error));
  exk_key_list_set_notes_async (key_list, new_id, "never saved", on_result, &result);
  wait_for (has_result, &result);
  g_assert_false (exk_key_list_set_notes_finish (key_list, result, &error));
  g_clear_error (&error);
  g_clear_object (&result);

  exk_key_list_delete_async (key_list, new_id, on_result, &result);
  wait_for (has_result, &result);
  g_assert_true (exk_key_list_delete_finish (key_list, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  g_assert_cmpint (exk_history_entry_get_action (get_entry (history, 0)), ==,
                   EXK_HISTORY_ACTION_DELETED);
  g_assert_cmpint (exk_history_entry_get_action (get_entry (history, 1)), ==,
                   EXK_HISTORY_ACTION_DISABLED);
  g_assert_cmpint (exk_history_entry_get_action (get_entry (history, 2)), ==,
                   EXK_HISTORY_ACTION_CREATED);
  g_assert_cmpstr (exk_history_entry_get_project_name (get_entry (history, 2)), ==,
                   "Disintegrating Pistol");
  g_assert_cmpstr (exk_history_entry_get_notes (get_entry (history, 2)), ==, "Checkout service");

  contents = read_file (history);
  g_assert_null (strstr (contents, new_id));
  g_assert_null (strstr (contents, "never saved"));
  g_assert_null (strstr (contents, exk_mock_server_get_demo_token (mock)));

  exk_key_list_close (key_list);
  exk_mock_server_stop (mock);
  g_assert_cmpint (g_unlink (exk_history_get_path (history)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/history/round-trip", test_round_trip);
  g_test_add_func ("/exkeys/history/never-a-key", test_never_a_key);
  g_test_add_func ("/exkeys/history/keeps-a-year", test_keeps_a_year);
  g_test_add_func ("/exkeys/history/record-before-load", test_record_before_load);
  g_test_add_func ("/exkeys/history/memory-only", test_memory_only);
  g_test_add_func ("/exkeys/history/key-list-records", test_key_list_records);

  return g_test_run ();
}

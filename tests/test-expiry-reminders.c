// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gstdio.h>

#include "exk-expiry-reminders.h"
#include "exk-expiry-seed.h"
#include "exk-mock-server.h"
#include "exk-rotations.h"
#include "exk-test-util.h"

/* Expiry reminders against the mock server, without a display: a seed with
 * keys whose expiry is set relative to now, in two organizations. Which
 * reminders come, once per key and threshold, and not again after a restart. */

#define ACCOUNT_KEY   "org@localhost http://127.0.0.1"
#define WAIT_MS       20000

typedef struct
{
  char          *seed_path;
  GDateTime     *now;
  ExkMockServer *mock;
  ExkClient     *client;
  GSettings     *settings;
  ExkExpiryReminders *reminders;
  GPtrArray     *due;        /* ExkExpiryReminder */
  guint          refreshed;
} Fixture;

static void
on_reminder_due (ExkExpiryReminders *reminders,
                 ExkExpiryReminder  *reminder,
                 Fixture            *fixture)
{
  g_ptr_array_add (fixture->due, g_object_ref (reminder));
}

static void
on_refreshed (ExkExpiryReminders *reminders,
              Fixture            *fixture)
{
  fixture->refreshed++;
}

static ExkExpiryReminders *
new_reminders (Fixture *fixture)
{
  ExkExpiryReminders *reminders = exk_expiry_reminders_new (fixture->settings);

  exk_expiry_reminders_set_now (reminders, fixture->now);
  g_signal_connect (reminders, "reminder-due", G_CALLBACK (on_reminder_due), fixture);
  g_signal_connect (reminders, "refreshed", G_CALLBACK (on_refreshed), fixture);

  return reminders;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GError) error = NULL;

  fixture->now = g_date_time_new_now_utc ();
  fixture->seed_path = exk_expiry_seed_write (fixture->now);
  options.seed_file = fixture->seed_path;
  options.tokens = GPOINTER_TO_UINT (data);
  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->client = exk_client_new (exk_mock_server_get_url (fixture->mock), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->mock));

  fixture->settings = g_settings_new (BASE_ID);
  g_settings_reset (fixture->settings, "expiry-reminders-sent");
  fixture->due = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->reminders = new_reminders (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->reminders);
  g_clear_pointer (&fixture->due, g_ptr_array_unref);
  g_clear_object (&fixture->settings);
  exk_test_finalize_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
  g_unlink (fixture->seed_path);
  g_clear_pointer (&fixture->seed_path, g_free);
  g_clear_pointer (&fixture->now, g_date_time_unref);
}

typedef struct
{
  Fixture *fixture;
  guint    count;
} Refreshes;

static gboolean
refreshed_times (gpointer data)
{
  Refreshes *wait = data;

  return wait->fixture->refreshed >= wait->count;
}

/* Starts a refresh (or lets set_client's run) and waits for it to end. */
static void
wait_refreshed (Fixture *fixture)
{
  Refreshes wait = { fixture, fixture->refreshed + 1 };

  g_assert_true (exk_test_wait_until (refreshed_times, &wait, WAIT_MS));
  g_assert_false (exk_expiry_reminders_get_loading (fixture->reminders));
}

static void
refresh (Fixture *fixture)
{
  exk_expiry_reminders_refresh (fixture->reminders);
  g_assert_true (exk_expiry_reminders_get_loading (fixture->reminders));
  wait_refreshed (fixture);
}

static void
sign_in (Fixture *fixture)
{
  exk_expiry_reminders_set_client (fixture->reminders, fixture->client, ACCOUNT_KEY);
  g_assert_true (exk_expiry_reminders_get_loading (fixture->reminders));
  wait_refreshed (fixture);
  g_assert_null (exk_expiry_reminders_get_error (fixture->reminders));
}

static ExkExpiryReminder *
find_key (GPtrArray  *reminders,
          const char *key)
{
  g_autofree char *print = exk_rotations_fingerprint (key);

  for (guint i = 0; i < reminders->len; i++)
    if (g_str_equal (exk_expiry_reminder_get_fingerprint (g_ptr_array_index (reminders, i)),
                     print))
      return g_ptr_array_index (reminders, i);

  return NULL;
}

static ExkExpiryThreshold
due_threshold (Fixture    *fixture,
               const char *key)
{
  ExkExpiryReminder *reminder = find_key (fixture->due, key);

  return reminder != NULL ? exk_expiry_reminder_get_threshold (reminder)
                          : EXK_EXPIRY_THRESHOLD_NONE;
}

static const char *
key_at (Fixture *fixture,
        guint    position)
{
  g_autoptr(ExkExpiryReminder) reminder =
    g_list_model_get_item (G_LIST_MODEL (fixture->reminders), position);

  g_assert_nonnull (reminder);
  return exk_token_get_id (exk_expiry_reminder_get_token (reminder));
}

static void
assert_settings_hold_no_key (Fixture *fixture)
{
  static const char *keys[] = { KEY_10_DAYS, KEY_12_HOURS, KEY_EXPIRED_2, KEY_EXPIRED_30,
                                KEY_DISABLED, KEY_FAR, KEY_NEVER, KEY_NORTH };
  g_auto(GStrv) sent = g_settings_get_strv (fixture->settings, "expiry-reminders-sent");

  for (guint i = 0; sent[i] != NULL; i++)
    for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
      {
        g_autofree char *prefix = g_strndup (keys[k], 8);

        g_assert_null (strstr (sent[i], prefix));
        g_assert_null (strstr (sent[i], "org@localhost"));
      }
}

/* Each case at its threshold, across both organizations, sorted by expiry,
 * with the counts the banner uses; nothing for the disabled key, the key
 * that expired a month ago, the far one and the one that never expires. */
static void
test_thresholds (Fixture       *fixture,
                 gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (fixture->reminders);
  g_autofree char *banner = NULL;
  g_auto(GStrv) sent = NULL;

  sign_in (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (key_at (fixture, 0), ==, KEY_EXPIRED_2);
  g_assert_cmpstr (key_at (fixture, 1), ==, KEY_12_HOURS);
  g_assert_cmpstr (key_at (fixture, 2), ==, KEY_NORTH);
  g_assert_cmpstr (key_at (fixture, 3), ==, KEY_10_DAYS);

  g_assert_cmpuint (exk_expiry_reminders_get_expired (fixture->reminders), ==, 1);
  g_assert_cmpuint (exk_expiry_reminders_get_expiring_soon (fixture->reminders), ==, 3);
  g_assert_cmpuint (exk_expiry_reminders_get_expiring_this_week (fixture->reminders), ==, 2);
  banner = exk_expiry_reminders_dup_banner_text (fixture->reminders);
  g_assert_cmpstr (banner, ==, "4 API keys have expired or expire soon");

  g_assert_cmpuint (fixture->due->len, ==, 4);
  g_assert_cmpint (due_threshold (fixture, KEY_10_DAYS), ==, EXK_EXPIRY_THRESHOLD_TWO_WEEKS);
  g_assert_cmpint (due_threshold (fixture, KEY_12_HOURS), ==, EXK_EXPIRY_THRESHOLD_ONE_DAY);
  g_assert_cmpint (due_threshold (fixture, KEY_EXPIRED_2), ==, EXK_EXPIRY_THRESHOLD_EXPIRED);
  g_assert_cmpint (due_threshold (fixture, KEY_NORTH), ==, EXK_EXPIRY_THRESHOLD_TWO_WEEKS);
  g_assert_null (find_key (fixture->due, KEY_EXPIRED_30));
  g_assert_null (find_key (fixture->due, KEY_DISABLED));
  g_assert_null (find_key (fixture->due, KEY_FAR));
  g_assert_null (find_key (fixture->due, KEY_NEVER));

  /* The project comes with it, by name, across organizations. */
  g_assert_cmpstr (exk_project_get_name (exk_expiry_reminder_get_project (find_key (fixture->due,
                                                                                    KEY_NORTH))),
                   ==, "Billing API");
  g_assert_nonnull (exk_expiry_reminders_find_project (fixture->reminders, BILLING_ID));

  /* What the notifications say, as the application sends them. */
  for (guint i = 0; i < fixture->due->len; i++)
    {
      ExkExpiryReminder *reminder = g_ptr_array_index (fixture->due, i);
      g_autofree char *title = exk_expiry_reminder_dup_title (reminder);
      g_autofree char *body = exk_expiry_reminder_dup_body (reminder, fixture->now);

      g_test_message ("notification: “%s” — “%s”", title, body);
      g_assert_null (strstr (title, exk_token_get_id (exk_expiry_reminder_get_token (reminder))));
      g_assert_null (strstr (body, exk_token_get_id (exk_expiry_reminder_get_token (reminder))));
    }
  {
    g_autofree char *title = exk_expiry_reminder_dup_title (find_key (fixture->due,
                                                                      KEY_12_HOURS));

    g_assert_cmpstr (title, ==, "API key Twelve… of Disintegrating Pistol expires within a day");
  }

  sent = g_settings_get_strv (fixture->settings, "expiry-reminders-sent");
  g_assert_cmpuint (g_strv_length (sent), ==, 4);
  assert_settings_hold_no_key (fixture);

  /* The same run, an hour later: nothing new is due. */
  g_ptr_array_set_size (fixture->due, 0);
  refresh (fixture);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
}

/* A restart: a new model with the same settings reminds of nothing again. */
static void
test_no_repeat_after_restart (Fixture       *fixture,
                              gconstpointer  data)
{
  sign_in (fixture);
  g_assert_cmpuint (fixture->due->len, ==, 4);

  g_clear_object (&fixture->reminders);
  g_ptr_array_set_size (fixture->due, 0);
  fixture->reminders = new_reminders (fixture);
  sign_in (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 4);
  g_assert_cmpuint (fixture->due->len, ==, 0);

  /* Another account sees its own reminders, even of the same keys. */
  exk_expiry_reminders_set_client (fixture->reminders, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 0);
  exk_expiry_reminders_set_client (fixture->reminders, fixture->client,
                                   "ops@localhost http://127.0.0.1");
  wait_refreshed (fixture);
  g_assert_cmpuint (fixture->due->len, ==, 4);
}

/* Nine and a half days later: the 10-day key reaches the 1-day threshold
 * and is reminded again, the 3-day one has expired; the keys that dropped
 * out of the window lose their entries. */
static void
test_next_threshold (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) later = g_date_time_add (fixture->now,
                                                9 * G_TIME_SPAN_DAY + 12 * G_TIME_SPAN_HOUR);
  g_auto(GStrv) sent = NULL;
  g_autofree char *print_12h = exk_rotations_fingerprint (KEY_12_HOURS);
  g_autofree char *banner = NULL;

  sign_in (fixture);
  g_assert_cmpuint (fixture->due->len, ==, 4);
  g_ptr_array_set_size (fixture->due, 0);

  exk_expiry_reminders_set_now (fixture->reminders, later);
  refresh (fixture);

  g_assert_cmpuint (fixture->due->len, ==, 2);
  g_assert_cmpint (due_threshold (fixture, KEY_10_DAYS), ==, EXK_EXPIRY_THRESHOLD_ONE_DAY);
  g_assert_cmpint (due_threshold (fixture, KEY_NORTH), ==, EXK_EXPIRY_THRESHOLD_EXPIRED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 2);
  banner = exk_expiry_reminders_dup_banner_text (fixture->reminders);
  g_assert_cmpstr (banner, ==, "2 API keys have expired or expire soon");

  /* 14d and 1d of the 10-day key, 14d and expired of the northern one. */
  sent = g_settings_get_strv (fixture->settings, "expiry-reminders-sent");
  g_assert_cmpuint (g_strv_length (sent), ==, 4);
  for (guint i = 0; sent[i] != NULL; i++)
    g_assert_null (strstr (sent[i], print_12h));
  assert_settings_hold_no_key (fixture);

  /* And a restart then repeats none of them. */
  g_ptr_array_set_size (fixture->due, 0);
  g_clear_object (&fixture->reminders);
  fixture->reminders = new_reminders (fixture);
  exk_expiry_reminders_set_now (fixture->reminders, later);
  sign_in (fixture);
  g_assert_cmpuint (fixture->due->len, ==, 0);
}

/* A refresh that fails keeps what was shown and forgets no entry; the
 * sign-out during a refresh ends it quietly. */
static void
test_failure_and_cancel (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sent = NULL;

  sign_in (fixture);
  g_assert_true (exk_mock_server_add_fault (fixture->mock, "GET /api/v2/organizations=status:503",
                                            &error));
  g_assert_no_error (error);
  g_ptr_array_set_size (fixture->due, 0);
  refresh (fixture);
  g_assert_nonnull (exk_expiry_reminders_get_error (fixture->reminders));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 4);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  sent = g_settings_get_strv (fixture->settings, "expiry-reminders-sent");
  g_assert_cmpuint (g_strv_length (sent), ==, 4);
  exk_mock_server_clear_faults (fixture->mock);

  exk_expiry_reminders_refresh (fixture->reminders);
  g_assert_true (exk_expiry_reminders_get_loading (fixture->reminders));
  exk_expiry_reminders_set_client (fixture->reminders, NULL, NULL);
  g_assert_false (exk_expiry_reminders_get_loading (fixture->reminders));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 0);
  g_assert_cmpuint (exk_expiry_reminders_get_expired (fixture->reminders), ==, 0);
}

typedef struct
{
  gint64 last;
  gint64 longest;
} Stall;

static gboolean
on_stall_tick (gpointer data)
{
  Stall *stall = data;
  gint64 now = g_get_monotonic_time ();

  stall->longest = MAX (stall->longest, now - stall->last);
  stall->last = now;
  return G_SOURCE_CONTINUE;
}

/* 10,000 keys more: the main loop is never held long by a refresh (the
 * client parses off the main thread; the model only compares dates). */
static void
test_many_keys (Fixture       *fixture,
                gconstpointer  data)
{
  Stall stall = { g_get_monotonic_time (), 0 };
  guint tick = g_timeout_add (5, on_stall_tick, &stall);

  sign_in (fixture);
  g_source_remove (tick);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->reminders)), ==, 4);
  /* All of them were read: 101 pages of Acme's keys. */
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "GET",
                                             "/api/v2/organizations/" ORG_ACME "/tokens"),
                    >, 100);
  g_test_message ("longest main loop stall during a refresh of 10,008 keys: %" G_GINT64_FORMAT
                  " ms", stall.longest / 1000);
  g_assert_cmpint (stall.longest, <, exk_test_scale_timeout (250) * 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/exkeys/expiry-reminders/thresholds", Fixture, NULL, fixture_set_up,
              test_thresholds, fixture_tear_down);
  g_test_add ("/exkeys/expiry-reminders/no-repeat-after-restart", Fixture, NULL, fixture_set_up,
              test_no_repeat_after_restart, fixture_tear_down);
  g_test_add ("/exkeys/expiry-reminders/next-threshold", Fixture, NULL, fixture_set_up,
              test_next_threshold, fixture_tear_down);
  g_test_add ("/exkeys/expiry-reminders/failure-and-cancel", Fixture, NULL, fixture_set_up,
              test_failure_and_cancel, fixture_tear_down);
  g_test_add ("/exkeys/expiry-reminders/many-keys", Fixture, GUINT_TO_POINTER (10000),
              fixture_set_up, test_many_keys, fixture_tear_down);

  return g_test_run ();
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-api-error.h"
#include "exk-mock-server.h"
#include "exk-test-event.h"
#include "exk-test-util.h"

/* Send Test Event against the mock server, without a display: the event
 * goes with the client key (the request log shows which credential came),
 * the server's refusals are told in words, and the event count is watched
 * until it goes up, or for a bounded number of looks. */

#define PISTOL_ID     "537650f3b77efe23a47914f4"
#define EVENTS_PATH   "/api/v2/projects/" PISTOL_ID "/events"
#define CLIENT_KEY    "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define DISABLED_KEY  "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"
#define ROCKET_KEY    "mJyH01v7SqMbubLiIrZRqdDLAqs0lr7u4nBJiGMr"
#define WAIT_MS       20000

typedef struct
{
  ExkMockServer *mock;
  ExkClient     *client;
  ExkProject    *pistol;
  ExkTestEvent  *test_event;
} Fixture;

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

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  g_assert_true (exk_test_wait_until (has_result, slot, WAIT_MS));
  return *slot;
}

static ExkToken *
get_key (Fixture    *fixture,
         const char *id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  exk_client_get_api_token_async (fixture->client, id, NULL, on_result, &result);
  token = exk_client_get_api_token_finish (fixture->client, wait_result (&result), &error);
  g_assert_no_error (error);

  return token;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
  fixture->client = exk_client_new (exk_mock_server_get_url (fixture->mock), &error);
  g_assert_no_error (error);
  exk_client_set_token (fixture->client, exk_mock_server_get_demo_token (fixture->mock));

  exk_client_get_project_async (fixture->client, PISTOL_ID, EXK_PROJECT_LIST_NONE, NULL,
                                on_result, &result);
  fixture->pistol = exk_client_get_project_finish (fixture->client, wait_result (&result),
                                                   &error);
  g_assert_no_error (error);

  fixture->test_event = exk_test_event_new (fixture->client, fixture->pistol);
  exk_test_event_set_first_poll_ms (fixture->test_event, 10);
  exk_test_clear_requests (exk_mock_server_get_url (fixture->mock));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->test_event);
  g_clear_object (&fixture->pistol);
  exk_test_finalize_soon (g_steal_pointer (&fixture->client));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);
}

static gboolean
send_with (Fixture     *fixture,
           const char  *key_id,
           GError     **error)
{
  g_autoptr(ExkToken) key = get_key (fixture, key_id);
  g_autoptr(GAsyncResult) result = NULL;

  exk_test_event_send_async (fixture->test_event, key, on_result, &result);
  g_assert_true (exk_test_event_get_busy (fixture->test_event));
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==, EXK_TEST_EVENT_SENDING);
  return exk_test_event_send_finish (fixture->test_event, wait_result (&result), error);
}

/* The credential of each POST of an event the mock logged. */
static GPtrArray *
event_credentials (Fixture *fixture)
{
  g_autoptr(JsonNode) node = exk_test_http_get_json (exk_mock_server_get_url (fixture->mock),
                                                     "/_mock/requests", NULL);
  GPtrArray *credentials = g_ptr_array_new_with_free_func (g_free);
  JsonArray *requests = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      if (g_str_equal (json_object_get_string_member (entry, "method"), "POST")
          && g_str_equal (json_object_get_string_member (entry, "path"), EVENTS_PATH))
        g_ptr_array_add (credentials,
                         g_strdup (json_object_get_string_member (entry, "credential")));
    }

  return credentials;
}

static void
test_received (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = NULL;
  const char *user_token = exk_mock_server_get_demo_token (fixture->mock);

  g_assert_true (send_with (fixture, CLIENT_KEY, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==, EXK_TEST_EVENT_RECEIVED);
  g_assert_false (exk_test_event_get_busy (fixture->test_event));
  g_assert_cmpstr (exk_test_event_get_message (fixture->test_event), ==,
                   "Received: the project’s event count went up.");

  /* One event, sent with the client key and never with the user's token. */
  credentials = event_credentials (fixture);
  g_assert_cmpuint (credentials->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (credentials, 0), ==, "mUf7KS");
  g_assert_false (g_str_has_prefix (user_token, g_ptr_array_index (credentials, 0)));
}

static void
test_disabled_key (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) credentials = NULL;

  g_assert_false (send_with (fixture, DISABLED_KEY, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==, EXK_TEST_EVENT_REJECTED);
  g_assert_cmpstr (exk_test_event_get_message (fixture->test_event), ==,
                   "The server refused the event: key qmOVlT… is disabled.");

  credentials = event_credentials (fixture);
  g_assert_cmpuint (credentials->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (credentials, 0), ==, "qmOVlT");
  /* No count to watch after a refusal. */
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "GET",
                                             "/api/v2/projects/" PISTOL_ID), ==, 1);
}

static void
test_another_projects_key (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (send_with (fixture, ROCKET_KEY, &error));
  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND);
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==, EXK_TEST_EVENT_REJECTED);
  g_assert_cmpstr (exk_test_event_get_message (fixture->test_event), ==,
                   "The server did not take the event: this key belongs to another project.");
}

/* Accepted but never counted: a bounded number of looks, then it says so. */
static void
test_not_counted (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (exk_mock_server_add_fault (fixture->mock, "POST " EVENTS_PATH "=status:202*1",
                                            &error));
  g_assert_true (send_with (fixture, CLIENT_KEY, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==,
                   EXK_TEST_EVENT_NOT_COUNTED);
  /* The count before, then each look. */
  g_assert_cmpuint (exk_test_count_requests (exk_mock_server_get_url (fixture->mock), "GET",
                                             "/api/v2/projects/" PISTOL_ID),
                    ==, 1 + EXK_TEST_EVENT_POLLS);
}

static gboolean
is_counting (gpointer data)
{
  return exk_test_event_get_state (data) == EXK_TEST_EVENT_COUNTING;
}

static void
test_stop_watching (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(ExkToken) key = get_key (fixture, CLIENT_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  exk_test_event_set_first_poll_ms (fixture->test_event, 600000);
  exk_test_event_send_async (fixture->test_event, key, on_result, &result);
  g_assert_true (exk_test_wait_until (is_counting, fixture->test_event, WAIT_MS));

  exk_test_event_stop (fixture->test_event);
  g_assert_cmpint (exk_test_event_get_state (fixture->test_event), ==, EXK_TEST_EVENT_STOPPED);
  g_assert_false (exk_test_event_get_busy (fixture->test_event));
  g_assert_true (exk_test_event_send_finish (fixture->test_event, wait_result (&result),
                                             &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/exkeys/test-event/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("received", test_received);
  ADD ("disabled-key", test_disabled_key);
  ADD ("another-projects-key", test_another_projects_key);
  ADD ("not-counted", test_not_counted);
  ADD ("stop-watching", test_stop_watching);

#undef ADD

  return g_test_run ();
}

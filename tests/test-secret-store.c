// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "exk-secret-store.h"

/* Run through tests/keyring-env.sh, which picks the keyring (EXK_TEST_KEYRING):
 * gnome-keyring and file get the round trip, none and hanging the failure paths. */

#define SERVER_1 "https://api.exceptionless.io"
#define SERVER_2 "https://exceptionless.example.org"
#define ACCOUNT_1 "ada@example.org"
#define ACCOUNT_2 "grace@example.org"
#define LABEL_1 "Exkeys token for ada@example.org on api.exceptionless.io"
#define LABEL_1B "Exkeys token for ada@example.org on api.exceptionless.io (renewed)"
#define LABEL_2 "Exkeys token for grace@example.org on exceptionless.example.org"
#define TOKEN_1 "tok1-8b0c6f4e2a9d4f7c95f1a3e2d6c8b0aa"
#define TOKEN_1B "tok1b-51e0d9c7a8b64e2f9d3c1b0a7e6f5d4c"
#define TOKEN_2 "tok2-c3a1f0e9d8b7465a9c2e1f0d9b8a7c6e"

#define TIMEOUT_ERROR_TEXT "did not answer"

/* Written here, not taken from the code under test: the stored shape is a contract with the
 * keyrings already on users' disks. */
static const SecretSchema expected_schema = {
  "io.github.exkeys.Exkeys.Account", SECRET_SCHEMA_DONT_MATCH_NAME,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static const char * const all_tokens[] = { TOKEN_1, TOKEN_1B, TOKEN_2, NULL };

static gboolean token_logged;

/* Fails the run if any log line, at any level (debug included, printed or not), holds a token. */
static GLogWriterOutput
check_log_writer (GLogLevelFlags   log_level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *value = NULL;

      if (fields[i].length < 0)
        value = g_strdup (fields[i].value);
      else
        value = g_strndup (fields[i].value, fields[i].length);

      for (guint j = 0; all_tokens[j] != NULL; j++)
        if (strstr (value, all_tokens[j]) != NULL)
          token_logged = TRUE;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef struct
{
  guint calls;
  GAsyncResult *result;
  GObject *task; /* weak: to see it finalized once libsecret is done with it */
  gint64 started_at;
  gint64 finished_at;
} Reply;

static void
reply_init (Reply *reply)
{
  memset (reply, 0, sizeof *reply);
  reply->started_at = g_get_monotonic_time ();
}

static void
on_reply (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Reply *reply = user_data;

  reply->calls++;
  reply->finished_at = g_get_monotonic_time ();
  if (reply->result == NULL)
    {
      reply->result = g_object_ref (result);
      reply->task = G_OBJECT (result);
      g_object_add_weak_pointer (reply->task, (gpointer *) &reply->task);
    }
}

static gint64
reply_elapsed_ms (const Reply *reply)
{
  return (reply->finished_at - reply->started_at) / 1000;
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context, sleeping in between events, until @done holds. A deadline far beyond
 * any timeout used here makes a hang show as a failure, not as a stuck test. */
static gboolean
wait_until (gboolean      (*done) (gconstpointer data),
            gconstpointer   data)
{
  gboolean passed = FALSE;
  guint deadline_id = g_timeout_add_seconds (20, on_deadline, &passed);

  while (!done (data) && !passed)
    g_main_context_iteration (NULL, TRUE);

  if (!passed)
    g_source_remove (deadline_id);

  return done (data);
}

static gboolean
reply_has_come (gconstpointer data)
{
  const Reply *reply = data;

  return reply->calls > 0;
}

static gboolean
reply_task_is_gone (gconstpointer data)
{
  const Reply *reply = data;

  return reply->task == NULL;
}

static void
reply_wait (Reply *reply)
{
  g_assert_true (wait_until (reply_has_come, reply));
  g_assert_cmpuint (reply->calls, ==, 1);
}

/* After the answer: libsecret lets go of the task, and the callback never comes again. */
static void
reply_clear (Reply *reply)
{
  g_clear_object (&reply->result);
  g_assert_true (wait_until (reply_task_is_gone, reply));
  g_assert_cmpuint (reply->calls, ==, 1);
}

static gboolean
store_sync (ExkSecretStore  *store,
            const char      *server,
            const char      *account,
            const char      *label,
            const char      *token,
            GError         **error)
{
  Reply reply;
  gboolean ret;

  reply_init (&reply);
  exk_secret_store_store_async (store, server, account, label, token, NULL, on_reply, &reply);
  reply_wait (&reply);
  ret = exk_secret_store_store_finish (store, reply.result, error);
  reply_clear (&reply);

  return ret;
}

static char *
lookup_sync (ExkSecretStore  *store,
             const char      *server,
             const char      *account,
             GError         **error)
{
  Reply reply;
  char *ret;

  reply_init (&reply);
  exk_secret_store_lookup_async (store, server, account, NULL, on_reply, &reply);
  reply_wait (&reply);
  ret = exk_secret_store_lookup_finish (store, reply.result, error);
  reply_clear (&reply);

  return ret;
}

static gboolean
clear_sync (ExkSecretStore  *store,
            const char      *server,
            const char      *account,
            GError         **error)
{
  Reply reply;
  gboolean ret;

  reply_init (&reply);
  exk_secret_store_clear_async (store, server, account, NULL, on_reply, &reply);
  reply_wait (&reply);
  ret = exk_secret_store_clear_finish (store, reply.result, error);
  reply_clear (&reply);

  return ret;
}

static void
assert_lookup (ExkSecretStore *store,
               const char     *server,
               const char     *account,
               const char     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = lookup_sync (store, server, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

static GList *
search_items (const char *server,
              const char *account)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_sync (&expected_schema, SECRET_SEARCH_ALL, NULL, &error,
                                       "server", server,
                                       "account", account,
                                       NULL);
  g_assert_no_error (error);

  return items;
}

/* One item, with exactly our attributes (plus the schema name libsecret adds by itself), the
 * given label, and the token nowhere but in the secret. */
static void
assert_single_item (const char *server,
                    const char *account,
                    const char *label)
{
  GList *items = search_items (server, account);
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *item_label = NULL;
  const char *schema_name;
  guint expected_size = 3;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_list_length (items), ==, 1);

  attributes = secret_retrievable_get_attributes (items->data);
  item_label = secret_retrievable_get_label (items->data);

  g_assert_cmpstr (g_hash_table_lookup (attributes, "server"), ==, server);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, account);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, "user-token");
  schema_name = g_hash_table_lookup (attributes, "xdg:schema");
  if (schema_name != NULL)
    {
      g_assert_cmpstr (schema_name, ==, "io.github.exkeys.Exkeys.Account");
      expected_size++;
    }
  g_assert_cmpuint (g_hash_table_size (attributes), ==, expected_size);
  g_assert_cmpstr (item_label, ==, label);

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_test_message ("attribute %s = %s", (const char *) key, (const char *) value);

  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    for (guint i = 0; all_tokens[i] != NULL; i++)
      g_assert_null (strstr (value, all_tokens[i]));

  g_list_free_full (items, g_object_unref);
}

static void
assert_no_item (const char *server,
                const char *account)
{
  GList *items = search_items (server, account);

  g_assert_cmpuint (g_list_length (items), ==, 0);
}

static gboolean
bytes_contain (const char *haystack,
               gsize       length,
               const char *needle)
{
  gsize needle_length = strlen (needle);

  for (gsize i = 0; i + needle_length <= length; i++)
    if (memcmp (haystack + i, needle, needle_length) == 0)
      return TRUE;

  return FALSE;
}

/* The keyring's own file holds the items, encrypted: no token in clear. */
static void
assert_keyring_file_has_no_plain_token (void)
{
  const char *path = g_getenv ("EXK_TEST_KEYRING_FILE");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  g_assert_nonnull (path);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);

  for (guint i = 0; all_tokens[i] != NULL; i++)
    g_assert_false (bytes_contain (contents, length, all_tokens[i]));
}

static void
test_round_trip (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (exk_secret_store_get_timeout (store), ==, 5000);

  /* Nothing yet: no token and no error. */
  assert_lookup (store, SERVER_1, ACCOUNT_1, NULL);

  g_assert_true (store_sync (store, SERVER_1, ACCOUNT_1, LABEL_1, TOKEN_1, &error));
  g_assert_no_error (error);
  assert_lookup (store, SERVER_1, ACCOUNT_1, TOKEN_1);
  assert_single_item (SERVER_1, ACCOUNT_1, LABEL_1);

  /* Another account on another server is an item of its own… */
  g_assert_true (store_sync (store, SERVER_2, ACCOUNT_2, LABEL_2, TOKEN_2, &error));
  g_assert_no_error (error);
  assert_lookup (store, SERVER_2, ACCOUNT_2, TOKEN_2);
  assert_lookup (store, SERVER_1, ACCOUNT_1, TOKEN_1);
  assert_single_item (SERVER_2, ACCOUNT_2, LABEL_2);
  /* …and both the server and the account select it. */
  assert_lookup (store, SERVER_1, ACCOUNT_2, NULL);
  assert_lookup (store, SERVER_2, ACCOUNT_1, NULL);

  /* Storing again replaces: still one item, with the new token and label. */
  g_assert_true (store_sync (store, SERVER_1, ACCOUNT_1, LABEL_1B, TOKEN_1B, &error));
  g_assert_no_error (error);
  assert_lookup (store, SERVER_1, ACCOUNT_1, TOKEN_1B);
  assert_single_item (SERVER_1, ACCOUNT_1, LABEL_1B);

  assert_keyring_file_has_no_plain_token ();

  g_assert_true (clear_sync (store, SERVER_1, ACCOUNT_1, &error));
  g_assert_no_error (error);
  assert_lookup (store, SERVER_1, ACCOUNT_1, NULL);
  assert_no_item (SERVER_1, ACCOUNT_1);
  assert_lookup (store, SERVER_2, ACCOUNT_2, TOKEN_2);

  /* Clearing what is not there succeeds. */
  g_assert_true (clear_sync (store, SERVER_1, ACCOUNT_1, &error));
  g_assert_no_error (error);

  g_assert_true (clear_sync (store, SERVER_2, ACCOUNT_2, &error));
  g_assert_no_error (error);
  assert_no_item (SERVER_2, ACCOUNT_2);

  g_assert_false (token_logged);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A token that the label would show (a server can answer any token) is not
 * stored, and the caller hears so: it used to wait forever. */
static void
test_token_in_label (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (store_sync (store, SERVER_1, ACCOUNT_1, "Exkeys token for org@localhost", "o",
                              &error));
  g_assert_error (error, EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE);
  assert_lookup (store, SERVER_1, ACCOUNT_1, NULL);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* The caller's own cancellation is G_IO_ERROR_CANCELLED, not UNAVAILABLE. */
static void
test_cancelled (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Reply reply;

  g_cancellable_cancel (cancellable);

  reply_init (&reply);
  exk_secret_store_store_async (store, SERVER_1, ACCOUNT_1, LABEL_1, TOKEN_1, cancellable,
                                on_reply, &reply);
  reply_wait (&reply);
  g_assert_false (exk_secret_store_store_finish (store, reply.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  reply_clear (&reply);

  reply_init (&reply);
  exk_secret_store_lookup_async (store, SERVER_1, ACCOUNT_1, cancellable, on_reply, &reply);
  reply_wait (&reply);
  g_assert_null (exk_secret_store_lookup_finish (store, reply.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  reply_clear (&reply);

  assert_no_item (SERVER_1, ACCOUNT_1);
  g_assert_finalize_object (g_steal_pointer (&store));
}

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} Op;

static void
start_op (ExkSecretStore *store,
          Op              op,
          GCancellable   *cancellable,
          Reply          *reply)
{
  reply_init (reply);
  switch (op)
    {
    case OP_STORE:
      exk_secret_store_store_async (store, SERVER_1, ACCOUNT_1, LABEL_1, TOKEN_1, cancellable,
                                    on_reply, reply);
      break;
    case OP_LOOKUP:
      exk_secret_store_lookup_async (store, SERVER_1, ACCOUNT_1, cancellable, on_reply, reply);
      break;
    case OP_CLEAR:
      exk_secret_store_clear_async (store, SERVER_1, ACCOUNT_1, cancellable, on_reply, reply);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
finish_op (ExkSecretStore  *store,
           Op               op,
           Reply           *reply,
           GError         **error)
{
  g_autofree char *token = NULL;

  switch (op)
    {
    case OP_STORE:
      g_assert_false (exk_secret_store_store_finish (store, reply->result, error));
      break;
    case OP_LOOKUP:
      token = exk_secret_store_lookup_finish (store, reply->result, error);
      g_assert_null (token);
      break;
    case OP_CLEAR:
      g_assert_false (exk_secret_store_clear_finish (store, reply->result, error));
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Nothing owns org.freedesktop.secrets and nothing can be activated: every call fails at
 * once with the cause, well before the timeout. */
static void
test_no_service (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();

  exk_secret_store_set_timeout (store, 3000);

  for (Op op = OP_STORE; op <= OP_CLEAR; op++)
    {
      g_autoptr(GError) error = NULL;
      Reply reply;

      start_op (store, op, NULL, &reply);
      reply_wait (&reply);
      finish_op (store, op, &reply, &error);
      g_assert_error (error, EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE);
      g_test_message ("op %d: %s (%" G_GINT64_FORMAT " ms)", op, error->message,
                      reply_elapsed_ms (&reply));
      g_assert_nonnull (strstr (error->message, "no keyring service is running"));
      g_assert_cmpint (reply_elapsed_ms (&reply), <, 2000);
      reply_clear (&reply);
    }

  g_assert_false (token_logged);
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* A Secret Service that takes every call and never answers: org.freedesktop.secrets owned by
 * a connection of our own whose filter, on GDBus's worker thread, swallows method calls. */
typedef struct
{
  GDBusConnection *connection;
  guint filter_id;
  int calls; /* atomic */
} HangingService;

static GDBusMessage *
swallow_method_calls (GDBusConnection *connection,
                      GDBusMessage    *message,
                      gboolean         incoming,
                      gpointer         user_data)
{
  HangingService *service = user_data;

  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_atomic_int_inc (&service->calls);
      /* The test may be waiting in the main context for this call to arrive. */
      g_main_context_wakeup (NULL);
      g_object_unref (message);
      return NULL;
    }

  return message;
}

static void
hanging_service_start (HangingService *service)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = NULL;
  guint32 result;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  service->connection = g_dbus_connection_new_for_address_sync (address,
                                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                                NULL, NULL, &error);
  g_assert_no_error (error);
  service->filter_id = g_dbus_connection_add_filter (service->connection, swallow_method_calls,
                                                     service, NULL);

  reply = g_dbus_connection_call_sync (service->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets",
                                                      0x4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);
}

static void
hanging_service_stop (HangingService *service)
{
  g_autoptr(GError) error = NULL;

  g_dbus_connection_remove_filter (service->connection, service->filter_id);
  g_dbus_connection_close_sync (service->connection, NULL, &error);
  g_assert_no_error (error);
  /* GDBus's worker may still hold a reference for a moment: no finalize check here. */
  g_clear_object (&service->connection);
}

static void
test_hanging_service (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();
  HangingService service = { 0 };
  const guint timeout_ms = 200;

  hanging_service_start (&service);
  exk_secret_store_set_timeout (store, timeout_ms);

  for (Op op = OP_STORE; op <= OP_CLEAR; op++)
    {
      g_autoptr(GError) error = NULL;
      int calls_before = g_atomic_int_get (&service.calls);
      Reply reply;

      start_op (store, op, NULL, &reply);
      reply_wait (&reply);
      finish_op (store, op, &reply, &error);
      g_assert_error (error, EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, TIMEOUT_ERROR_TEXT));
      g_test_message ("op %d: %s (%" G_GINT64_FORMAT " ms)", op, error->message,
                      reply_elapsed_ms (&reply));
      g_assert_cmpint (reply_elapsed_ms (&reply), >=, timeout_ms - 10);
      g_assert_cmpint (reply_elapsed_ms (&reply), <, timeout_ms + 1500);
      /* It really was asked, and really did not answer. */
      g_assert_cmpint (g_atomic_int_get (&service.calls), >, calls_before);

      /* libsecret's late, cancelled reply must not reach the caller a second time. That reply
       * drops the last reference to the task, so once reply_clear() has seen the task
       * finalized it has come, and nothing is left that could call back. */
      reply_clear (&reply);
      g_assert_null (reply.task);
      g_assert_cmpuint (reply.calls, ==, 1);
    }

  hanging_service_stop (&service);
  g_assert_false (token_logged);
  g_assert_finalize_object (g_steal_pointer (&store));
}

typedef struct
{
  HangingService *service;
  int calls_before;
} HangingCall;

static gboolean
service_was_asked (gconstpointer data)
{
  const HangingCall *call = data;

  return g_atomic_int_get (&call->service->calls) > call->calls_before;
}

/* The caller cancels while the service hangs: G_IO_ERROR_CANCELLED, right away, once. */
static void
test_hanging_service_cancelled (void)
{
  g_autoptr(ExkSecretStore) store = exk_secret_store_new ();
  HangingService service = { 0 };

  hanging_service_start (&service);
  exk_secret_store_set_timeout (store, 5000);

  for (Op op = OP_STORE; op <= OP_CLEAR; op++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      HangingCall call = { &service, g_atomic_int_get (&service.calls) };
      Reply reply;

      start_op (store, op, cancellable, &reply);
      /* Cancelled once the service has the call it will never answer. */
      g_assert_true (wait_until (service_was_asked, &call));
      g_assert_cmpuint (reply.calls, ==, 0);
      g_cancellable_cancel (cancellable);
      reply_wait (&reply);
      finish_op (store, op, &reply, &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpint (reply_elapsed_ms (&reply), <, 2000);
      reply_clear (&reply);
    }

  hanging_service_stop (&service);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_no_harness (void)
{
  g_test_skip ("EXK_TEST_KEYRING is not set: run this program through tests/keyring-env.sh "
               "(meson test --suite secrets)");
}

int
main (int   argc,
      char *argv[])
{
  const char *keyring = g_getenv ("EXK_TEST_KEYRING");

  g_log_set_writer_func (check_log_writer, NULL, NULL);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_strcmp0 (keyring, "gnome-keyring") == 0)
    {
      g_test_add_func ("/exkeys/secret-store/gnome-keyring/round-trip", test_round_trip);
      g_test_add_func ("/exkeys/secret-store/gnome-keyring/cancelled", test_cancelled);
      g_test_add_func ("/exkeys/secret-store/gnome-keyring/token-in-label", test_token_in_label);
    }
  else if (g_strcmp0 (keyring, "file") == 0)
    {
      /* What libsecret uses inside Flatpak, with the Secret portal's key. */
      g_test_add_func ("/exkeys/secret-store/file/round-trip", test_round_trip);
      g_test_add_func ("/exkeys/secret-store/file/cancelled", test_cancelled);
      g_test_add_func ("/exkeys/secret-store/file/token-in-label", test_token_in_label);
    }
  else if (g_strcmp0 (keyring, "none") == 0)
    {
      g_test_add_func ("/exkeys/secret-store/none/unavailable", test_no_service);
    }
  else if (g_strcmp0 (keyring, "hanging") == 0)
    {
      g_test_add_func ("/exkeys/secret-store/hanging/timeout", test_hanging_service);
      g_test_add_func ("/exkeys/secret-store/hanging/cancelled", test_hanging_service_cancelled);
    }
  else
    {
      g_test_add_func ("/exkeys/secret-store/no-harness", test_no_harness);
    }

  return g_test_run ();
}

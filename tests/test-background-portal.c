// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-background-portal.h"
#include "exk-test-util.h"

/* RequestBackground on keyring-env.sh's private session bus: with no portal
 * (as on this machine, and outside a sandbox), with a portal that allows it
 * and with one whose user says no. The fake portal has a connection of its
 * own, so that requests come from another sender, as on a desktop. */

#define WAIT_MS 10000

typedef struct
{
  GDBusConnection *app;
  GDBusConnection *portal;
  guint            object_id;
  guint            owner_id;
  guint32          response;    /* what the fake portal answers */
  gboolean         allowed;
  char            *reason;      /* what the app said */
} Fixture;

typedef struct
{
  Fixture *fixture;
  char    *path;
  char    *destination;
} Answer;

static gboolean
send_response (gpointer data)
{
  Answer *answer = data;
  GVariantBuilder results;

  g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&results, "{sv}", "background",
                         g_variant_new_boolean (answer->fixture->allowed));
  g_dbus_connection_emit_signal (answer->fixture->portal, answer->destination, answer->path,
                                 "org.freedesktop.portal.Request", "Response",
                                 g_variant_new ("(ua{sv})", answer->fixture->response, &results),
                                 NULL);
  g_free (answer->path);
  g_free (answer->destination);
  g_free (answer);
  return G_SOURCE_REMOVE;
}

static void
on_method_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GVariant) options = NULL;
  g_autofree char *escaped = NULL;
  const char *parent, *token = NULL, *reason = NULL;
  Answer *answer;

  g_variant_get (parameters, "(&s@a{sv})", &parent, &options);
  g_variant_lookup (options, "handle_token", "&s", &token);
  g_variant_lookup (options, "reason", "&s", &reason);
  g_assert_nonnull (token);
  g_free (fixture->reason);
  fixture->reason = g_strdup (reason);

  escaped = g_strdelimit (g_strdup (sender + 1), ".", '_');
  answer = g_new0 (Answer, 1);
  answer->fixture = fixture;
  answer->destination = g_strdup (sender);
  answer->path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", escaped,
                                  token);
  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", answer->path));
  /* As a portal does: the answer once the user chose, after the reply. */
  g_timeout_add (50, send_response, answer);
}

static const char introspection[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Background'>"
  "    <method name='RequestBackground'>"
  "      <arg type='s' name='parent_window' direction='in'/>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
start_portal (Fixture  *fixture,
              guint32   response,
              gboolean  allowed)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (introspection, NULL);
  static const GDBusInterfaceVTable vtable = { on_method_call, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnectionFlags flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                               | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;

  g_assert_no_error (error);
  fixture->response = response;
  fixture->allowed = allowed;
  fixture->portal = g_dbus_connection_new_for_address_sync (address, flags, NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->object_id = g_dbus_connection_register_object (fixture->portal,
                                                          "/org/freedesktop/portal/desktop",
                                                          info->interfaces[0], &vtable, fixture,
                                                          NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (fixture->portal, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->app = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->portal != NULL)
    {
      g_dbus_connection_unregister_object (fixture->portal, fixture->object_id);
      g_dbus_connection_close_sync (fixture->portal, NULL, NULL);
    }
  g_clear_object (&fixture->portal);
  g_clear_object (&fixture->app);
  g_clear_pointer (&fixture->reason, g_free);
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

static gboolean
request (Fixture  *fixture,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_background_portal_request_async (fixture->app, "Remind you of API keys that expire soon",
                                       NULL, on_result, &result);
  g_assert_true (exk_test_wait_until (has_result, &result, WAIT_MS));
  return exk_background_portal_request_finish (result, error);
}

/* No portal: an error that is not a refusal (the app stays, says nothing). */
static void
test_no_portal (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (request (fixture, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
  g_test_message ("without a portal: %s", error->message);
}

static void
test_allowed (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_portal (fixture, 0, TRUE);
  g_assert_true (request (fixture, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (fixture->reason, ==, "Remind you of API keys that expire soon");
}

static void
test_denied (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  start_portal (fixture, 1, FALSE);
  g_assert_false (request (fixture, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);

  /* Answered, but not allowed. */
  fixture->response = 0;
  g_assert_false (request (fixture, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/exkeys/background-portal/no-portal", Fixture, NULL, fixture_set_up,
              test_no_portal, fixture_tear_down);
  g_test_add ("/exkeys/background-portal/allowed", Fixture, NULL, fixture_set_up, test_allowed,
              fixture_tear_down);
  g_test_add ("/exkeys/background-portal/denied", Fixture, NULL, fixture_set_up, test_denied,
              fixture_tear_down);

  return g_test_run ();
}

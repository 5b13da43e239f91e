// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-background-portal.h"

/* org.freedesktop.portal.Background's RequestBackground: may the app keep
 * running without a window? The answer comes as a Response signal on a
 * request object whose path is known beforehand, so it is subscribed to
 * before asking. */

typedef struct
{
  GDBusConnection *connection;
  guint            response_id;
} Request;

static void
request_free (Request *request)
{
  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  g_clear_object (&request->connection);
  g_free (request);
}

static void
request_unsubscribe (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->response_id != 0)
    g_dbus_connection_signal_unsubscribe (request->connection, request->response_id);
  request->response_id = 0;
}

static void
on_response (GDBusConnection *connection,
             const char      *sender,
             const char      *object_path,
             const char      *interface,
             const char      *signal,
             GVariant        *parameters,
             gpointer         user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  g_autoptr(GVariant) results = NULL;
  gboolean allowed = FALSE;
  guint32 response;

  /* The reply to the call may still come: only the first answer counts. */
  if (g_task_get_completed (task) || ((Request *) g_task_get_task_data (task))->response_id == 0)
    return;
  request_unsubscribe (task);

  /* Cancelled after the call was answered: the portal's dialog may still
   * be up; its answer is not wanted any more. */
  if (g_task_return_error_if_cancelled (task))
    return;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "Unexpected answer from the Background portal");
      return;
    }

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &allowed);
  if (response == 0 && allowed)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                             "The Background portal did not allow running in the background");
}

static void
on_requested (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) reply = NULL;
  GError *error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply != NULL)
    return;  /* on_response() ends the task */

  request_unsubscribe (task);
  if (!g_task_get_completed (task))
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

/**
 * exk_background_portal_request_async:
 * @connection: the session bus
 * @reason: why, shown by the portal
 *
 * Asks the Background portal to let the app run without a window. It fails
 * with the D-Bus error when no portal answers (outside a sandbox, where
 * nothing stops the app anyway), and with %G_IO_ERROR_PERMISSION_DENIED
 * when the user said no.
 */
void
exk_background_portal_request_async (GDBusConnection     *connection,
                                     const char          *reason,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;
  Request *request;

  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (reason != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_background_portal_request_async);

  if (g_dbus_connection_get_unique_name (connection) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "Not connected to a message bus");
      return;
    }

  token = g_strdup_printf ("exkeys%u", g_random_int ());
  sender = g_strdelimit (g_strdup (g_dbus_connection_get_unique_name (connection) + 1), ".", '_');
  path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);

  request = g_new0 (Request, 1);
  request->connection = g_object_ref (connection);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  request->response_id =
    g_dbus_connection_signal_subscribe (connection, "org.freedesktop.portal.Desktop",
                                        "org.freedesktop.portal.Request", "Response", path, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, on_response,
                                        g_object_ref (task), g_object_unref);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason", g_variant_new_string (reason));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (connection, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Background",
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          on_requested, g_steal_pointer (&task));
}

gboolean
exk_background_portal_request_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "exk-secret-store.h"

/* Keeps the user's Exceptionless login token in the system keyring. Every call is bounded in
 * time: a missing, locked or wedged Secret Service must never leave the window waiting, so the
 * caller always gets an answer and can keep the token for this session only. There is no
 * fallback to a file of our own. */

#define KIND_USER_TOKEN "user-token"

struct _ExkSecretStore
{
  GObject parent_instance;

  guint timeout_ms;
};

/* One keyring call in flight. The GTask is returned exactly once, by whichever comes first:
 * libsecret's reply or the timeout. Both run in the task's main context, so a flag settles the
 * race; the task stays alive until libsecret has called back, even after a timeout. */
typedef struct
{
  /* Handed to libsecret: cancelled on timeout and when the caller cancels. */
  GCancellable *call_cancellable;
  GCancellable *caller_cancellable;
  gulong caller_cancelled_id;
  GSource *timeout_source;
  guint timeout_ms;
  gboolean returned;
} Operation;

G_DEFINE_FINAL_TYPE (ExkSecretStore, exk_secret_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (exk-secret-store-error-quark, exk_secret_store_error)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Looked up by attributes only: libsecret stores the schema name too (xdg:schema), but items
 * written without it, e.g. with secret-tool, must still be found. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    BASE_ID ".Account", SECRET_SCHEMA_DONT_MATCH_NAME,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
operation_free (gpointer data)
{
  Operation *op = data;

  if (op->caller_cancelled_id != 0)
    g_cancellable_disconnect (op->caller_cancellable, op->caller_cancelled_id);
  g_clear_object (&op->caller_cancellable);
  if (op->timeout_source != NULL)
    g_source_destroy (op->timeout_source);
  g_clear_pointer (&op->timeout_source, g_source_unref);
  g_clear_object (&op->call_cancellable);
  g_free (op);
}

static GError *
timeout_error_new (void)
{
  return g_error_new_literal (EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE,
                              _("The system keyring did not answer. Exkeys will keep you signed "
                                "in until you quit, but cannot remember your sign-in."));
}

/* libsecret and D-Bus errors carry no secret; keep a readable cause for the message. */
static GError *
unavailable_error_new (const GError *cause)
{
  g_autoptr(GError) copy = NULL;
  const char *reason;

  if (g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (cause, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
    reason = _("no keyring service is running");
  else if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    reason = _("the keyring is locked");
  else if (g_error_matches (cause, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT))
    reason = _("the keyring has no default collection");
  else if (g_error_matches (cause, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Not the caller's cancellation (GTask reports that one): a dismissed prompt. */
    reason = _("the request was dismissed");
  else
    {
      copy = g_error_copy (cause);
      g_dbus_error_strip_remote_error (copy);
      reason = copy->message;
    }

  /* Translators: %s is the cause, e.g. "no keyring service is running". */
  return g_error_new (EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE,
                      _("The system keyring cannot be used (%s). Exkeys will keep you signed in "
                        "until you quit, but cannot remember your sign-in."),
                      reason);
}

static gboolean
on_operation_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Operation *op = g_task_get_task_data (task);

  /* The source is destroyed by returning G_SOURCE_REMOVE. */
  g_clear_pointer (&op->timeout_source, g_source_unref);

  if (!op->returned)
    {
      op->returned = TRUE;
      g_debug ("The Secret Service did not answer within %u ms", op->timeout_ms);
      g_task_return_error (task, timeout_error_new ());
    }

  /* libsecret still calls back, with G_IO_ERROR_CANCELLED; that drops the last reference. */
  g_cancellable_cancel (op->call_cancellable);

  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  GCancellable *call_cancellable = user_data;

  g_cancellable_cancel (call_cancellable);
}

static GTask *
operation_start (ExkSecretStore      *self,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  op = g_new0 (Operation, 1);
  op->call_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, operation_free);

  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (on_caller_cancelled),
                                                       g_object_ref (op->call_cancellable),
                                                       g_object_unref);
    }

  op->timeout_ms = self->timeout_ms;
  op->timeout_source = g_timeout_source_new (op->timeout_ms);
  g_source_set_static_name (op->timeout_source, "[exkeys] keyring timeout");
  g_task_attach_source (task, op->timeout_source, on_operation_timeout);

  return g_steal_pointer (&task);
}

/* Called from libsecret's reply. Returns whether the caller still waits for an answer. */
static gboolean
operation_finish (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }

  if (op->returned)
    return FALSE;

  op->returned = TRUE;
  return TRUE;
}

static void
operation_return_error (GTask        *task,
                        const GError *error)
{
  /* If the caller cancelled, GTask reports G_IO_ERROR_CANCELLED whatever we return here. */
  g_debug ("Keyring call failed: %s", error->message);
  g_task_return_error (task, unavailable_error_new (error));
}

static void
on_password_stored (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = secret_password_store_finish (result, &error);

  if (!operation_finish (task))
    return;

  if (!stored)
    operation_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_password_looked_up (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  /* libsecret's copy lives in non-pageable memory and must go back through its own free. */
  password = secret_password_lookup_finish (result, &error);

  if (!operation_finish (task))
    {
      secret_password_free (password);
      return;
    }

  if (error != NULL)
    operation_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (password), g_free);

  secret_password_free (password);
}

static void
on_password_cleared (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error means that there was nothing to remove: fine for us. */
  secret_password_clear_finish (result, &error);

  if (!operation_finish (task))
    return;

  if (error != NULL)
    operation_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
exk_secret_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkSecretStore *self = EXK_SECRET_STORE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_secret_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ExkSecretStore *self = EXK_SECRET_STORE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      exk_secret_store_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_secret_store_class_init (ExkSecretStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = exk_secret_store_get_property;
  object_class->set_property = exk_secret_store_set_property;

  /**
   * ExkSecretStore:timeout:
   *
   * How long, in milliseconds, each keyring call may take before it fails with
   * %EXK_SECRET_STORE_ERROR_UNAVAILABLE.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT, EXK_SECRET_STORE_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_secret_store_init (ExkSecretStore *self)
{
  self->timeout_ms = EXK_SECRET_STORE_DEFAULT_TIMEOUT_MS;
}

ExkSecretStore *
exk_secret_store_new (void)
{
  return g_object_new (EXK_TYPE_SECRET_STORE, NULL);
}

guint
exk_secret_store_get_timeout (ExkSecretStore *self)
{
  g_return_val_if_fail (EXK_IS_SECRET_STORE (self), 0);

  return self->timeout_ms;
}

/**
 * exk_secret_store_set_timeout:
 * @self: a #ExkSecretStore
 * @timeout_ms: the bound of each later call, in milliseconds (> 0)
 *
 * Calls already in flight keep the bound they started with.
 */
void
exk_secret_store_set_timeout (ExkSecretStore *self,
                              guint           timeout_ms)
{
  g_return_if_fail (EXK_IS_SECRET_STORE (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * exk_secret_store_store_async:
 * @self: a #ExkSecretStore
 * @server: the normalized base URL of the Exceptionless server
 * @account: the account's email address
 * @label: what keyring managers show for the item; must not contain the token
 * @token: the login token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, when the token is stored or the keyring failed or timed out
 * @user_data: data for @callback
 *
 * Stores @token in the default collection, replacing the item of the same @server and
 * @account if there is one.
 */
void
exk_secret_store_store_async (ExkSecretStore      *self,
                              const char          *server,
                              const char          *account,
                              const char          *label,
                              const char          *token,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (EXK_IS_SECRET_STORE (self));
  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (label != NULL && *label != '\0');
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, cancellable, callback, user_data, exk_secret_store_store_async);
  op = g_task_get_task_data (task);

  /* The label is shown in keyring managers: a token that it would contain
   * (a server can answer any token) is not stored, and the caller is told. */
  if (strstr (label, token) != NULL)
    {
      operation_finish (task);
      g_task_return_new_error (task, EXK_SECRET_STORE_ERROR, EXK_SECRET_STORE_ERROR_UNAVAILABLE,
                               _("The sign-in was not kept in the keyring: the token the server "
                                 "gave is not one that can be stored safely."));
      return;
    }

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         op->call_cancellable, on_password_stored, g_object_ref (task),
                         "server", server,
                         "account", account,
                         "kind", KIND_USER_TOKEN,
                         NULL);
}

gboolean
exk_secret_store_store_finish (ExkSecretStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (EXK_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_secret_store_store_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * exk_secret_store_lookup_async:
 * @self: a #ExkSecretStore
 * @server: the normalized base URL of the Exceptionless server
 * @account: the account's email address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, with the token, nothing, or an error
 * @user_data: data for @callback
 */
void
exk_secret_store_lookup_async (ExkSecretStore      *self,
                               const char          *server,
                               const char          *account,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (EXK_IS_SECRET_STORE (self));
  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, cancellable, callback, user_data, exk_secret_store_lookup_async);
  op = g_task_get_task_data (task);

  secret_password_lookup (get_schema (), op->call_cancellable,
                          on_password_looked_up, g_object_ref (task),
                          "server", server,
                          "account", account,
                          "kind", KIND_USER_TOKEN,
                          NULL);
}

/**
 * exk_secret_store_lookup_finish:
 * @self: a #ExkSecretStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the token, or %NULL with @error unset when no token
 *   is stored for this server and account.
 */
char *
exk_secret_store_lookup_finish (ExkSecretStore  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (EXK_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_secret_store_lookup_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * exk_secret_store_clear_async:
 * @self: a #ExkSecretStore
 * @server: the normalized base URL of the Exceptionless server
 * @account: the account's email address
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, when the token is gone or the keyring failed or timed out
 * @user_data: data for @callback
 */
void
exk_secret_store_clear_async (ExkSecretStore      *self,
                              const char          *server,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;

  g_return_if_fail (EXK_IS_SECRET_STORE (self));
  g_return_if_fail (server != NULL && *server != '\0');
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = operation_start (self, cancellable, callback, user_data, exk_secret_store_clear_async);
  op = g_task_get_task_data (task);

  secret_password_clear (get_schema (), op->call_cancellable,
                         on_password_cleared, g_object_ref (task),
                         "server", server,
                         "account", account,
                         "kind", KIND_USER_TOKEN,
                         NULL);
}

/**
 * exk_secret_store_clear_finish:
 * @self: a #ExkSecretStore
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: %TRUE when no token is stored any more, including when there was none.
 */
gboolean
exk_secret_store_clear_finish (ExkSecretStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (EXK_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_secret_store_clear_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

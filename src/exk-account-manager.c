// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-account-manager.h"
#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-secret-text.h"

/* Owns the list of accounts (in GSettings, without secrets), the active
 * account's client, and the user tokens: in the keyring, and in memory for the
 * running session so that a missing keyring never blocks signing in. */
struct _ExkAccountManager
{
  GObject         parent_instance;

  GSettings      *settings;
  ExkSecretStore *secrets;
  GListStore     *accounts;
  ExkAccount     *active_account;
  ExkClient      *client;
  ExkRotations   *rotations;        /* the active account's */
  ExkProjectCache *project_cache;   /* the active account's, unless it is session-only */
  GHashTable     *histories;        /* account key → ExkHistory */
  GHashTable     *session_tokens;   /* account key → token */
  GHashTable     *session_plain_http; /* "host:port" allowed without encryption, not saved */
  char           *keyring_problem;
};

G_DEFINE_FINAL_TYPE (ExkAccountManager, exk_account_manager, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ACTIVE_ACCOUNT,
  PROP_CLIENT,
  PROP_KEYRING_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SESSION_EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  ExkClient      *client;
  char           *email;
  char           *password;
  char           *token;
  ExkSignInFlags  flags;
  ExkUser        *user;
  ExkAccount     *account;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_clear_object (&data->client);
  g_clear_pointer (&data->email, g_free);
  g_clear_pointer (&data->password, exk_secret_text_free);
  g_clear_pointer (&data->token, exk_secret_text_free);
  g_clear_object (&data->user);
  g_clear_object (&data->account);
  g_free (data);
}

static void
exk_account_manager_save (ExkAccountManager *self)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a(sss)"));
  g_autoptr(GVariantBuilder) user_ids = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);
      g_autofree char *key = exk_account_dup_key (account);

      g_variant_builder_add (builder, "(sss)",
                             exk_account_get_server (account),
                             exk_account_get_email (account),
                             exk_account_get_display_name (account));
      if (exk_account_get_user_id (account) != NULL)
        g_variant_builder_add (user_ids, "{ss}", key, exk_account_get_user_id (account));
    }

  /* Plain writes: g_settings_delay() would leave the object delayed for good,
   * holding back every later write (the last project) from other processes. */
  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (builder));
  g_settings_set_value (self->settings, "account-user-ids", g_variant_builder_end (user_ids));
  if (self->active_account != NULL
      && exk_account_manager_find_account (self,
                                           exk_account_get_server (self->active_account),
                                           exk_account_get_email (self->active_account)) != NULL)
    g_settings_set (self->settings, "active-account", "(ss)",
                    exk_account_get_server (self->active_account),
                    exk_account_get_email (self->active_account));
  else
    g_settings_reset (self->settings, "active-account");
}

static void
exk_account_manager_load (ExkAccountManager *self)
{
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GVariant) user_ids = g_settings_get_value (self->settings, "account-user-ids");
  const char *server, *email, *name;

  g_settings_get (self->settings, "accounts", "a(sss)", &iter);
  while (g_variant_iter_next (iter, "(&s&s&s)", &server, &email, &name))
    {
      g_autoptr(ExkAccount) account = NULL;

      if (server[0] == '\0' || email[0] == '\0'
          || exk_account_manager_find_account (self, server, email) != NULL)
        continue;

      g_autofree char *key = NULL;
      const char *user_id = NULL;

      account = exk_account_new (server, email, name);
      key = exk_account_dup_key (account);
      if (g_variant_lookup (user_ids, key, "&s", &user_id))
        exk_account_set_user_id (account, user_id);
      g_list_store_append (self->accounts, account);
    }
}

static void
exk_account_manager_set_keyring_problem (ExkAccountManager *self,
                                         const char        *problem)
{
  if (g_strcmp0 (self->keyring_problem, problem) == 0)
    return;

  g_free (self->keyring_problem);
  self->keyring_problem = g_strdup (problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_PROBLEM]);
}

static void
on_client_session_expired (ExkAccountManager *self)
{
  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

static void
on_user_learned (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(ExkAccountManager) self = user_data;
  g_autoptr(ExkUser) user = exk_client_get_current_user_finish (EXK_CLIENT (source), result, NULL);
  ExkAccount *account;

  /* Nothing is lost without it: the server then decides who may delete what. */
  if (user == NULL)
    return;

  account = exk_account_manager_find_account (self, exk_client_get_base_url (EXK_CLIENT (source)),
                                              exk_user_get_email_address (user));
  if (account == NULL)
    return;

  exk_account_set_user_id (account, exk_user_get_id (user));
  exk_account_manager_save (self);
}

/* Accounts saved before the user's id was kept learn it once, in the background. */
static void
exk_account_manager_learn_user (ExkAccountManager *self)
{
  if (self->client == NULL || self->active_account == NULL
      || exk_account_get_user_id (self->active_account) != NULL)
    return;

  exk_client_get_current_user_async (self->client, NULL, on_user_learned, g_object_ref (self));
}

/* A remembered account's projects are cached for its next start; a
 * session-only one (the demo) leaves nothing behind. The same account keeps
 * the same cache object, so that the sidebar keeps the list it shows. */
static void
exk_account_manager_update_project_cache (ExkAccountManager *self)
{
  ExkAccount *account = self->active_account;
  g_autofree char *key = NULL;
  g_autoptr(ExkProjectCache) cache = NULL;

  if (account == NULL || !exk_account_manager_is_remembered (self, account))
    {
      g_clear_object (&self->project_cache);
      return;
    }

  key = exk_account_dup_key (account);
  cache = exk_project_cache_new (key);
  if (self->project_cache == NULL
      || g_strcmp0 (exk_project_cache_get_path (cache),
                    exk_project_cache_get_path (self->project_cache)) != 0)
    g_set_object (&self->project_cache, cache);
}

static void
exk_account_manager_activate (ExkAccountManager *self,
                              ExkAccount        *account,
                              ExkClient         *client)
{
  gboolean account_changed = self->active_account != account;
  gboolean client_changed = self->client != client;

  if (client_changed && self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_session_expired, self);

  g_set_object (&self->active_account, account);
  g_set_object (&self->client, client);

  if (client_changed && client != NULL)
    g_signal_connect_object (client, "session-expired", G_CALLBACK (on_client_session_expired),
                             self, G_CONNECT_SWAPPED);

  exk_account_manager_update_project_cache (self);

  if (account_changed || self->rotations == NULL)
    {
      g_autofree char *key = account != NULL ? exk_account_dup_key (account) : NULL;

      g_clear_object (&self->rotations);
      if (key != NULL)
        self->rotations = exk_rotations_new (self->settings, key);
    }

  exk_account_manager_save (self);

  if (account_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ACCOUNT]);
  if (client_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  exk_account_manager_learn_user (self);
}

static const char *
exk_account_manager_lookup_session_token (ExkAccountManager *self,
                                          ExkAccount        *account)
{
  g_autofree char *key = exk_account_dup_key (account);

  return g_hash_table_lookup (self->session_tokens, key);
}

static void
exk_account_manager_remember_session_token (ExkAccountManager *self,
                                            ExkAccount        *account,
                                            const char        *token)
{
  g_hash_table_replace (self->session_tokens, exk_account_dup_key (account), g_strdup (token));
}

static void
exk_account_manager_forget_session_token (ExkAccountManager *self,
                                          ExkAccount        *account)
{
  g_autofree char *key = exk_account_dup_key (account);

  g_hash_table_remove (self->session_tokens, key);
}

/* Plain HTTP to another computer */

static gboolean
exk_account_manager_allows_plain_http (ExkAccountManager *self,
                                       const char        *base_url)
{
  g_autofree char *host_port = exk_base_url_dup_host_port (base_url);
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "plain-http-servers");

  return g_strv_contains ((const char * const *) saved, host_port)
         || g_hash_table_contains (self->session_plain_http, host_port);
}

/* The user chose to reach this server without encryption: not asked again. */
static void
exk_account_manager_allow_plain_http (ExkAccountManager *self,
                                      const char        *base_url,
                                      gboolean           session_only)
{
  g_autofree char *host_port = exk_base_url_dup_host_port (base_url);
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) saved = NULL;
  g_auto(GStrv) servers = NULL;

  if (session_only)
    {
      g_hash_table_add (self->session_plain_http, g_steal_pointer (&host_port));
      return;
    }

  saved = g_settings_get_strv (self->settings, "plain-http-servers");
  if (g_strv_contains ((const char * const *) saved, host_port))
    return;

  builder = g_strv_builder_new ();
  g_strv_builder_addv (builder, (const char **) saved);
  g_strv_builder_add (builder, host_port);
  servers = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "plain-http-servers", (const char * const *) servers);
}

static char **
exk_account_manager_dup_plain_http_servers (ExkAccountManager *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) saved = g_settings_get_strv (self->settings, "plain-http-servers");
  GHashTableIter iter;
  gpointer host_port;

  g_strv_builder_addv (builder, (const char **) saved);
  g_hash_table_iter_init (&iter, self->session_plain_http);
  while (g_hash_table_iter_next (&iter, &host_port, NULL))
    g_strv_builder_add (builder, host_port);

  return g_strv_builder_end (builder);
}

/* A client for a resolved base URL. Plain HTTP to another computer only when the
 * user chose it for that server: the client itself refuses to send anything otherwise. */
static ExkClient *
exk_account_manager_new_client_for (ExkAccountManager *self,
                                    const char        *base_url,
                                    GError           **error)
{
  gboolean allowed = exk_base_url_is_plain_http (base_url)
                     && exk_account_manager_allows_plain_http (self, base_url);
  g_autofree char *normalized = NULL;

  normalized = exk_base_url_normalize_full (base_url,
                                            allowed ? EXK_BASE_URL_ALLOW_PLAIN_HTTP
                                                    : EXK_BASE_URL_DEFAULT,
                                            error);
  if (normalized == NULL)
    return NULL;

  return g_object_new (EXK_TYPE_CLIENT,
                       "base-url", normalized,
                       "allow-plain-http", allowed,
                       NULL);
}

static ExkClient *
exk_account_manager_new_client (ExkAccountManager *self,
                                ExkAccount        *account,
                                const char        *token,
                                GError           **error)
{
  g_autoptr(ExkClient) client = NULL;

  client = exk_account_manager_new_client_for (self, exk_account_get_server (account), error);
  if (client == NULL)
    return NULL;

  exk_client_set_token (client, token);
  return g_steal_pointer (&client);
}

/* Restore and switch */

/* Ends a restore or a switch: the account becomes active, with a client when
 * its token was found, or without one (and FALSE) so that the window asks for
 * a sign-in with the email filled in. */
static void
on_token_looked_up (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  ExkAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(ExkClient) client = NULL;
  g_autofree char *token = NULL;

  token = exk_secret_store_lookup_finish (EXK_SECRET_STORE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exk_account_manager_set_keyring_problem (self, error != NULL ? error->message : NULL);

  if (token == NULL)
    {
      exk_account_manager_activate (self, account, NULL);
      g_task_return_boolean (task, FALSE);
      return;
    }

  client = exk_account_manager_new_client (self, account, token, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exk_account_manager_remember_session_token (self, account, token);
  exk_account_manager_activate (self, account, client);
  g_task_return_boolean (task, TRUE);
}

static ExkAccount *
exk_account_manager_find_saved_active (ExkAccountManager *self)
{
  g_autofree char *server = NULL;
  g_autofree char *email = NULL;

  g_settings_get (self->settings, "active-account", "(ss)", &server, &email);

  return exk_account_manager_find_account (self, server, email);
}

/**
 * exk_account_manager_restore_async:
 *
 * Restores the account that was active at the last run, with its token from
 * the keyring. Finishes with %TRUE when that account is now active, %FALSE
 * when there is nothing to restore or no token is stored for it (the active
 * account is then still set, so that the sign-in page can pre-fill its email).
 */
void
exk_account_manager_restore_async (ExkAccountManager   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExkAccount *account;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_account_manager_restore_async);

  account = exk_account_manager_find_saved_active (self);
  if (account == NULL)
    {
      g_autoptr(ExkAccount) first = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0);

      /* The store keeps a reference while the task runs. */
      account = first;
    }

  if (account == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  g_set_object (&self->active_account, account);
  /* Known before the keyring answers: the window can show the cached projects meanwhile. */
  exk_account_manager_update_project_cache (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ACCOUNT]);

  g_task_set_task_data (task, g_object_ref (account), g_object_unref);
  exk_secret_store_lookup_async (self->secrets,
                                 exk_account_get_server (account),
                                 exk_account_get_email (account),
                                 cancellable,
                                 on_token_looked_up,
                                 g_steal_pointer (&task));
}

gboolean
exk_account_manager_restore_finish (ExkAccountManager  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sign in */

static void
on_sign_in_stored (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!exk_secret_store_store_finish (EXK_SECRET_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      /* Signed in all the same: the token stays in memory for this session. */
      exk_account_manager_set_keyring_problem (self, error->message);
    }
  else
    {
      exk_account_manager_set_keyring_problem (self, NULL);
    }

  exk_account_manager_activate (self, data->account, data->client);
  g_task_return_pointer (task, g_object_ref (data->user), g_object_unref);
}

static void
exk_account_manager_finish_sign_in (ExkAccountManager *self,
                                    GTask             *task)
{
  SignInData *data = g_task_get_task_data (task);
  const char *server = exk_client_get_base_url (data->client);
  const char *email = exk_user_get_email_address (data->user);
  ExkAccount *existing = exk_account_manager_find_account (self, server, email);
  g_autofree char *label = NULL;

  if (existing != NULL)
    data->account = g_object_ref (existing);
  else
    data->account = exk_account_new (server, email, exk_user_get_full_name (data->user));
  exk_account_set_display_name (data->account, exk_user_get_full_name (data->user));
  exk_account_set_user_id (data->account, exk_user_get_id (data->user));

  /* Signing in again to the active account keeps its client, so that every
   * page holding it goes on with the new token. */
  if (self->active_account == data->account && self->client != NULL)
    {
      exk_client_set_token (self->client, data->token);
      g_set_object (&data->client, self->client);
    }

  exk_account_manager_remember_session_token (self, data->account, data->token);

  if (data->flags & EXK_SIGN_IN_SESSION_ONLY)
    {
      exk_account_manager_activate (self, data->account, data->client);
      g_task_return_pointer (task, g_object_ref (data->user), g_object_unref);
      g_object_unref (task);
      return;
    }

  if (existing == NULL)
    g_list_store_append (self->accounts, data->account);

  /* Translators: the label of the keyring item; the first %s is an email, the second a host name. */
  label = g_strdup_printf (_("Exkeys token for %s on %s"),
                           email, exk_account_get_server_host (data->account));
  exk_secret_store_store_async (self->secrets, server, email, label, data->token,
                                g_task_get_cancellable (task), on_sign_in_stored, task);
}

/* Failures to reach the server name the address tried, with its scheme and port. */
static GError *
exk_account_manager_describe_error (ExkClient    *client,
                                    const GError *error)
{
  g_autofree char *address = exk_base_url_dup_address (exk_client_get_base_url (client));

  return exk_api_error_new_from_transport_at (error, FALSE, address);
}

static void
on_sign_in_user (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->user = exk_client_get_current_user_finish (EXK_CLIENT (source), result, &error);

  if (data->user == NULL)
    {
      gboolean pasted = data->password == NULL;

      if (pasted && g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN))
        {
          g_clear_error (&error);
          g_set_error_literal (&error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN,
                               _("This is a project API key, not a user token. Sign in with "
                                 "your email and password, or paste the token that signing in "
                                 "to Exceptionless gave you."));
        }
      else if (pasted && g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          g_set_error (&error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED,
                       _("%s does not accept this token. User tokens end three months after "
                         "they were made, or when someone signs out with them."),
                       exk_client_get_base_url (data->client));
        }
      g_task_return_error (task, exk_account_manager_describe_error (data->client, error));
      return;
    }

  exk_account_manager_finish_sign_in (self, g_steal_pointer (&task));
}

static void
exk_account_manager_fetch_user (GTask *task)
{
  SignInData *data = g_task_get_task_data (task);

  exk_client_set_token (data->client, data->token);
  exk_client_get_current_user_async (data->client, g_task_get_cancellable (task),
                                     on_sign_in_user, task);
}

static void
on_sign_in_login (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->token = exk_client_login_finish (EXK_CLIENT (source), result, &error);

  if (data->token == NULL)
    {
      /* Something answers there, but not the Exceptionless API. */
      if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND))
        {
          g_autofree char *address = NULL;

          address = exk_base_url_dup_address (exk_client_get_base_url (data->client));
          g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND,
                                   _("No Exceptionless server answers at %s: check the "
                                     "address."),
                                   address);
          return;
        }

      g_task_return_error (task, exk_account_manager_describe_error (data->client, error));
      return;
    }

  exk_account_manager_fetch_user (g_steal_pointer (&task));
}

/* The server's address is settled, and no credential has been sent yet. */
static void
on_sign_in_resolved (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;

  base_url = exk_base_url_resolve_finish (result, &error);
  if (base_url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if ((data->flags & EXK_SIGN_IN_ALLOW_PLAIN_HTTP) && exk_base_url_is_plain_http (base_url))
    exk_account_manager_allow_plain_http (self, base_url,
                                          (data->flags & EXK_SIGN_IN_SESSION_ONLY) != 0);

  data->client = exk_account_manager_new_client_for (self, base_url, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->token != NULL)
    {
      exk_account_manager_fetch_user (g_steal_pointer (&task));
    }
  else
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      exk_client_login_async (data->client, data->email, data->password, cancellable,
                              on_sign_in_login, g_steal_pointer (&task));
    }
}

/**
 * exk_account_manager_sign_in_async:
 * @server: the server address as typed (it is normalized)
 * @email: (nullable): with @password, to sign in with a password
 * @password: (nullable): the password
 * @token: (nullable): instead of @email and @password, an existing user token
 *
 * Signs in, checks the token with `users/me`, keeps it in the keyring (unless
 * @flags says otherwise) and makes the account active. A keyring that fails
 * does not fail the sign-in: see #ExkAccountManager:keyring-problem.
 *
 * The address is resolved first (see exk_base_url_resolve_async()), before the
 * password or the token leaves: an address without a scheme is tried over HTTPS.
 * A server that answers only over plain HTTP on another computer fails with
 * %EXK_API_ERROR_INSECURE_URL unless @flags has %EXK_SIGN_IN_ALLOW_PLAIN_HTTP or
 * that choice was made for the server before; the choice is then remembered.
 */
void
exk_account_manager_sign_in_async (ExkAccountManager   *self,
                                   const char          *server,
                                   const char          *email,
                                   const char          *password,
                                   const char          *token,
                                   ExkSignInFlags       flags,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) plain_http_servers = NULL;
  SignInData *data;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (server != NULL);
  g_return_if_fail ((email != NULL && password != NULL) || token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_account_manager_sign_in_async);

  data = g_new0 (SignInData, 1);
  data->flags = flags;
  data->email = g_strdup (email);
  data->password = g_strdup (password);
  data->token = token != NULL ? g_strstrip (g_strdup (token)) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  plain_http_servers = exk_account_manager_dup_plain_http_servers (self);
  exk_base_url_resolve_async (server, (const char * const *) plain_http_servers,
                              (flags & EXK_SIGN_IN_ALLOW_PLAIN_HTTP) != 0
                              ? EXK_BASE_URL_ALLOW_PLAIN_HTTP : EXK_BASE_URL_DEFAULT,
                              cancellable, on_sign_in_resolved, g_steal_pointer (&task));
}

/**
 * exk_account_manager_sign_in_finish:
 *
 * Returns: (transfer full): the signed-in user, to greet by name
 */
ExkUser *
exk_account_manager_sign_in_finish (ExkAccountManager  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Switch */

/**
 * exk_account_manager_switch_to_async:
 *
 * Makes @account active. Finishes with %TRUE when its token was found (in
 * memory or in the keyring), %FALSE when the user must sign in again.
 */
void
exk_account_manager_switch_to_async (ExkAccountManager   *self,
                                     ExkAccount          *account,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *token;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (EXK_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_account_manager_switch_to_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (account == self->active_account && self->client != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  token = exk_account_manager_lookup_session_token (self, account);
  if (token != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ExkClient) client = exk_account_manager_new_client (self, account, token, &error);

      if (client == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      exk_account_manager_activate (self, account, client);
      g_task_return_boolean (task, TRUE);
      return;
    }

  exk_secret_store_lookup_async (self->secrets,
                                 exk_account_get_server (account),
                                 exk_account_get_email (account),
                                 cancellable, on_token_looked_up, g_steal_pointer (&task));
}

gboolean
exk_account_manager_switch_to_finish (ExkAccountManager  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sign out */

static void
exk_account_manager_remove (ExkAccountManager *self,
                            ExkAccount        *account)
{
  g_autofree char *key = exk_account_dup_key (account);
  g_autoptr(ExkRotations) rotations = exk_rotations_new (self->settings, key);
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (key);
  g_autoptr(GError) error = NULL;
  guint position;

  exk_account_manager_forget_session_token (self, account);
  exk_rotations_forget_account (rotations);
  if (!exk_project_cache_remove (cache, &error))
    g_warning ("Could not remove the cached projects: %s", error->message);

  if (g_list_store_find (self->accounts, account, &position))
    g_list_store_remove (self->accounts, position);

  if (self->active_account == account)
    {
      g_autoptr(ExkAccount) next = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0);
      const char *token = next != NULL ? exk_account_manager_lookup_session_token (self, next) : NULL;
      g_autoptr(ExkClient) client = NULL;

      /* The next account becomes active only when its token is at hand; the
       * window offers the others in its account menu. */
      if (token != NULL)
        client = exk_account_manager_new_client (self, next, token, NULL);

      exk_account_manager_activate (self, client != NULL ? next : NULL, client);
    }
  else
    {
      exk_account_manager_save (self);
    }
}

static void
on_sign_out_cleared (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  ExkAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!exk_secret_store_clear_finish (EXK_SECRET_STORE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      exk_account_manager_set_keyring_problem (self, error->message);
    }

  exk_account_manager_remove (self, account);
  g_task_return_boolean (task, TRUE);
}

static void
exk_account_manager_clear_secret (GTask *task)
{
  ExkAccountManager *self = g_task_get_source_object (task);
  ExkAccount *account = g_task_get_task_data (task);

  exk_secret_store_clear_async (self->secrets,
                                exk_account_get_server (account),
                                exk_account_get_email (account),
                                g_task_get_cancellable (task),
                                on_sign_out_cleared, task);
}

static void
on_sign_out_logout (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* A token the server no longer knows is signed out already. */
  if (!exk_client_logout_finish (EXK_CLIENT (source), result, &error)
      && !g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exk_account_manager_clear_secret (g_steal_pointer (&task));
}

/**
 * exk_account_manager_sign_out_async:
 * @everywhere: also end the token on the server (`auth/logout`), which signs
 *   out every session that shares it
 *
 * Removes @account and its token from the keyring. When @everywhere is set and
 * the server cannot be told, nothing is removed and the error says why.
 */
void
exk_account_manager_sign_out_async (ExkAccountManager   *self,
                                    ExkAccount          *account,
                                    gboolean             everywhere,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *token;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (EXK_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_account_manager_sign_out_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  token = exk_account_manager_lookup_session_token (self, account);
  if (everywhere && token != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ExkClient) client = exk_account_manager_new_client (self, account, token, &error);

      if (client == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      exk_client_logout_async (client, cancellable, on_sign_out_logout, g_steal_pointer (&task));
      return;
    }

  exk_account_manager_clear_secret (g_steal_pointer (&task));
}

gboolean
exk_account_manager_sign_out_finish (ExkAccountManager  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A client for any account */

static void
on_client_for_token (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkAccountManager *self = g_task_get_source_object (task);
  ExkAccount *account = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  ExkClient *client;

  token = exk_secret_store_lookup_finish (EXK_SECRET_STORE (source), result, &error);
  if (token == NULL && error == NULL)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 /* Translators: %s is a server's host name, with its port when it has one. */
                 _("The token for %s is no longer in the keyring: sign in to it again."),
                 exk_account_get_server_authority (account));
  if (token == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  client = exk_account_manager_new_client (self, account, token, &error);
  exk_secret_text_free (g_steal_pointer (&token));
  if (client == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, client, g_object_unref);
}

/**
 * exk_account_manager_client_for_async:
 *
 * A client for @account, whether it is active or not: the active account's own
 * client, or a new one with the account's token (from memory, else from the
 * keyring) and its plain-HTTP choice. Nothing about the manager changes.
 */
void
exk_account_manager_client_for_async (ExkAccountManager   *self,
                                      ExkAccount          *account,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *token;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (EXK_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_account_manager_client_for_async);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);

  if (account == self->active_account && self->client != NULL)
    {
      g_task_return_pointer (task, g_object_ref (self->client), g_object_unref);
      return;
    }

  token = exk_account_manager_lookup_session_token (self, account);
  if (token != NULL)
    {
      g_autoptr(GError) error = NULL;
      ExkClient *client = exk_account_manager_new_client (self, account, token, &error);

      if (client == NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_pointer (task, client, g_object_unref);
      return;
    }

  exk_secret_store_lookup_async (self->secrets,
                                 exk_account_get_server (account),
                                 exk_account_get_email (account),
                                 cancellable, on_client_for_token, g_steal_pointer (&task));
}

ExkClient *
exk_account_manager_client_for_finish (ExkAccountManager  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Last project */

char *
exk_account_manager_dup_last_project (ExkAccountManager *self)
{
  g_autoptr(GVariant) map = NULL;
  g_autofree char *key = NULL;
  char *project_id = NULL;

  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  if (self->active_account == NULL)
    return NULL;

  key = exk_account_dup_key (self->active_account);
  map = g_settings_get_value (self->settings, "last-projects");
  g_variant_lookup (map, key, "s", &project_id);

  return project_id;
}

void
exk_account_manager_set_last_project (ExkAccountManager *self,
                                      const char        *project_id)
{
  g_autoptr(GVariant) map = NULL;
  g_autoptr(GVariantBuilder) builder = NULL;
  g_autofree char *key = NULL;
  GVariantIter iter;
  const char *k, *v;

  g_return_if_fail (EXK_IS_ACCOUNT_MANAGER (self));

  if (self->active_account == NULL)
    return;

  key = exk_account_dup_key (self->active_account);
  map = g_settings_get_value (self->settings, "last-projects");
  builder = g_variant_builder_new (G_VARIANT_TYPE ("a{ss}"));

  g_variant_iter_init (&iter, map);
  while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
    if (g_strcmp0 (k, key) != 0)
      g_variant_builder_add (builder, "{ss}", k, v);
  if (project_id != NULL)
    g_variant_builder_add (builder, "{ss}", key, project_id);

  g_settings_set_value (self->settings, "last-projects", g_variant_builder_end (builder));
}

/* GObject */

static void
exk_account_manager_finalize (GObject *object)
{
  ExkAccountManager *self = EXK_ACCOUNT_MANAGER (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->secrets);
  g_clear_object (&self->accounts);
  g_clear_object (&self->active_account);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_func (self->client, on_client_session_expired, self);
  g_clear_object (&self->client);
  g_clear_object (&self->rotations);
  g_clear_object (&self->project_cache);
  g_clear_pointer (&self->session_tokens, g_hash_table_unref);
  g_clear_pointer (&self->histories, g_hash_table_unref);
  g_clear_pointer (&self->session_plain_http, g_hash_table_unref);
  g_clear_pointer (&self->keyring_problem, g_free);

  G_OBJECT_CLASS (exk_account_manager_parent_class)->finalize (object);
}

static void
exk_account_manager_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ExkAccountManager *self = EXK_ACCOUNT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_ACTIVE_ACCOUNT:
      g_value_set_object (value, self->active_account);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_KEYRING_PROBLEM:
      g_value_set_string (value, self->keyring_problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_account_manager_class_init (ExkAccountManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_account_manager_finalize;
  object_class->get_property = exk_account_manager_get_property;

  properties[PROP_ACTIVE_ACCOUNT] =
    g_param_spec_object ("active-account", NULL, NULL, EXK_TYPE_ACCOUNT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYRING_PROBLEM] =
    g_param_spec_string ("keyring-problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkAccountManager::session-expired:
   *
   * The server no longer accepts the active account's token (it answered 401):
   * the user has to sign in again. Emitted once per token.
   */
  signals[SESSION_EXPIRED] = g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
exk_account_manager_init (ExkAccountManager *self)
{
  self->accounts = g_list_store_new (EXK_TYPE_ACCOUNT);
  self->histories = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->session_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, exk_secret_text_free);
  self->session_plain_http = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

ExkAccountManager *
exk_account_manager_new (GSettings      *settings,
                         ExkSecretStore *secrets)
{
  ExkAccountManager *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (EXK_IS_SECRET_STORE (secrets), NULL);

  self = g_object_new (EXK_TYPE_ACCOUNT_MANAGER, NULL);
  self->settings = g_object_ref (settings);
  self->secrets = g_object_ref (secrets);
  exk_account_manager_load (self);

  return self;
}

GListModel *
exk_account_manager_get_accounts (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return G_LIST_MODEL (self->accounts);
}

/**
 * exk_account_manager_is_remembered:
 *
 * Whether @account is kept between runs (in the settings, its token in the
 * keyring), not for this session only, as the demo's is.
 */
gboolean
exk_account_manager_is_remembered (ExkAccountManager *self,
                                   ExkAccount        *account)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (EXK_IS_ACCOUNT (account), FALSE);

  return g_list_store_find (self->accounts, account, NULL);
}

ExkAccount *
exk_account_manager_get_active_account (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return self->active_account;
}

ExkClient *
exk_account_manager_get_client (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return self->client;
}

/**
 * exk_account_manager_get_rotations:
 *
 * Returns: (transfer none) (nullable): the active account's key rotations
 */
ExkRotations *
exk_account_manager_get_rotations (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return self->rotations;
}

/**
 * exk_account_manager_get_history:
 * @account: (nullable): an account; %NULL for the active one
 *
 * The changes made from Exkeys with @account: one object per account for the
 * manager's lifetime, so that every view records into the list the History
 * page shows. A session-only account's is kept in memory only.
 *
 * Returns: (transfer none) (nullable): the history, or %NULL without an account
 */
ExkHistory *
exk_account_manager_get_history (ExkAccountManager *self,
                                 ExkAccount        *account)
{
  g_autofree char *key = NULL;
  ExkHistory *history;

  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (account == NULL || EXK_IS_ACCOUNT (account), NULL);

  if (account == NULL)
    account = self->active_account;
  if (account == NULL)
    return NULL;

  key = exk_account_dup_key (account);
  history = g_hash_table_lookup (self->histories, key);
  if (history == NULL)
    {
      history = exk_account_manager_is_remembered (self, account) ? exk_history_new (key)
                                                                  : exk_history_new_memory ();
      g_hash_table_insert (self->histories, g_steal_pointer (&key), history);
    }

  return history;
}

/**
 * exk_account_manager_get_project_cache:
 *
 * Returns: (transfer none) (nullable): where the active account's project list
 *   is kept between starts; %NULL for a session-only account
 */
ExkProjectCache *
exk_account_manager_get_project_cache (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return self->project_cache;
}

/* Why the token cannot be remembered, or %NULL when the keyring works. */
const char *
exk_account_manager_get_keyring_problem (ExkAccountManager *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  return self->keyring_problem;
}

ExkAccount *
exk_account_manager_find_account (ExkAccountManager *self,
                                  const char        *server,
                                  const char        *email)
{
  guint n;

  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (self), NULL);

  if (server == NULL || email == NULL)
    return NULL;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (G_LIST_MODEL (self->accounts), i);

      if (exk_account_matches (account, server, email))
        return account;   /* the store keeps its reference */
    }

  return NULL;
}

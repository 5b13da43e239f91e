// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <gio/gio.h>

#include "exk-account.h"
#include "exk-base-url.h"

/* An account is one user on one server. It holds no secret: the user token is
 * in the keyring (or in ExkAccountManager's memory when there is no keyring). */
struct _ExkAccount
{
  GObject  parent_instance;

  char    *server;
  char    *server_host;
  char    *server_authority;
  gboolean plain_http;
  char    *email;
  char    *display_name;
  char    *user_id;
};

G_DEFINE_FINAL_TYPE (ExkAccount, exk_account, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  PROP_EMAIL,
  PROP_DISPLAY_NAME,
  PROP_USER_ID,
  PROP_SERVER_AUTHORITY,
  PROP_PLAIN_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_account_finalize (GObject *object)
{
  ExkAccount *self = EXK_ACCOUNT (object);

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->server_host, g_free);
  g_clear_pointer (&self->server_authority, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (exk_account_parent_class)->finalize (object);
}

static void
exk_account_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ExkAccount *self = EXK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_string (value, self->server);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, exk_account_get_display_name (self));
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    case PROP_SERVER_AUTHORITY:
      g_value_set_string (value, self->server_authority);
      break;
    case PROP_PLAIN_HTTP:
      g_value_set_boolean (value, self->plain_http);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_account_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ExkAccount *self = EXK_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      {
        g_autoptr(GUri) uri = NULL;

        self->server = g_value_dup_string (value);
        uri = g_uri_parse (self->server, G_URI_FLAGS_NONE, NULL);
        self->server_host = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL
                                      ? g_uri_get_host (uri) : self->server);
        /* What tells two servers on one host apart; the default port goes unsaid. */
        self->server_authority = exk_base_url_dup_authority (self->server);
        self->plain_http = exk_base_url_is_plain_http (self->server);
        break;
      }
    case PROP_EMAIL:
      self->email = g_value_dup_string (value);
      break;
    case PROP_DISPLAY_NAME:
      exk_account_set_display_name (self, g_value_get_string (value));
      break;
    case PROP_USER_ID:
      exk_account_set_user_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_account_class_init (ExkAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_account_finalize;
  object_class->get_property = exk_account_get_property;
  object_class->set_property = exk_account_set_property;

  properties[PROP_SERVER] =
    g_param_spec_string ("server", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkAccount:user-id:
   *
   * The server's id of the user, once known (from `users/me`).
   */
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * ExkAccount:server-authority:
   *
   * The server's host with its port when that is not the scheme's default
   * ("127.0.0.1:5000", "api.exceptionless.io"): what tells two servers on one host
   * apart, for labels and menus.
   */
  properties[PROP_SERVER_AUTHORITY] =
    g_param_spec_string ("server-authority", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * ExkAccount:plain-http:
   *
   * Whether the account's server is reached without encryption: plain HTTP to another
   * computer, which the user chose when signing in. The password and the token cross
   * the network readable, so the account should be shown as not encrypted. Plain HTTP
   * to this computer does not count: nothing leaves it.
   */
  properties[PROP_PLAIN_HTTP] =
    g_param_spec_boolean ("plain-http", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_account_init (ExkAccount *self)
{
}

ExkAccount *
exk_account_new (const char *server,
                 const char *email,
                 const char *display_name)
{
  g_return_val_if_fail (server != NULL, NULL);
  g_return_val_if_fail (email != NULL, NULL);

  return g_object_new (EXK_TYPE_ACCOUNT,
                       "server", server,
                       "email", email,
                       "display-name", display_name,
                       NULL);
}

const char *
exk_account_get_server (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return self->server;
}

const char *
exk_account_get_email (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return self->email;
}

/* Falls back to the email, so that there is always something to show. */
const char *
exk_account_get_display_name (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  if (self->display_name != NULL && self->display_name[0] != '\0')
    return self->display_name;

  return self->email;
}

void
exk_account_set_display_name (ExkAccount *self,
                              const char *display_name)
{
  g_return_if_fail (EXK_IS_ACCOUNT (self));

  if (g_strcmp0 (self->display_name, display_name) == 0)
    return;

  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
}

/**
 * exk_account_get_user_id:
 *
 * Returns: (nullable): the server's id of the user, when known
 */
const char *
exk_account_get_user_id (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return self->user_id;
}

void
exk_account_set_user_id (ExkAccount *self,
                         const char *user_id)
{
  g_return_if_fail (EXK_IS_ACCOUNT (self));

  if (user_id != NULL && user_id[0] == '\0')
    user_id = NULL;

  if (g_strcmp0 (self->user_id, user_id) == 0)
    return;

  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

/* The host alone ("api.exceptionless.io"), for labels and menus. */
const char *
exk_account_get_server_host (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return self->server_host;
}

/**
 * exk_account_get_server_authority:
 *
 * Returns: the host, with the port when it is not the default one ("127.0.0.1:5000")
 */
const char *
exk_account_get_server_authority (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return self->server_authority;
}

/**
 * exk_account_get_plain_http:
 *
 * Returns: whether the account's server is reached without encryption; see
 *   #ExkAccount:plain-http
 */
gboolean
exk_account_get_plain_http (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), FALSE);

  return self->plain_http;
}

/* A stable key for per-account settings: "email server". */
char *
exk_account_dup_key (ExkAccount *self)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), NULL);

  return g_strdup_printf ("%s %s", self->email, self->server);
}

gboolean
exk_account_matches (ExkAccount *self,
                     const char *server,
                     const char *email)
{
  g_return_val_if_fail (EXK_IS_ACCOUNT (self), FALSE);

  return g_strcmp0 (self->server, server) == 0 && g_ascii_strcasecmp (self->email, email) == 0;
}

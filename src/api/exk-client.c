// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-client-private.h"
#include "exk-http.h"
#include "exk-json.h"
#include "exk-paged-request.h"
#include "exk-secret-text.h"

#define DEFAULT_TIMEOUT_SECONDS 30
#define IDLE_TIMEOUT_SECONDS 60
#define MAX_CONNS_PER_HOST 4
#define MIN_TOKEN_LENGTH 32
#define MAX_TOKEN_LENGTH 512

/* The largest page sizes the server allows (§4 of the contract). */
#define PROJECTS_PAGE_LIMIT 1000
#define TOKENS_PAGE_LIMIT 100

typedef gpointer (*ParseFunc) (JsonNode  *root,
                               GError   **error);

/* One account on one server: a session with its own connections, and the user's token. */
struct _ExkClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  guint        token_serial;     /* counts exk_client_set_token() */
  guint        expired_serial;   /* the token that ::session-expired was emitted for */
  gboolean     allow_plain_http;
};

typedef enum
{
  CALL_OBJECT,
  CALL_BOOLEAN,
  CALL_DELETE,
  CALL_VERIFY_KEY,
  CALL_POST_EVENT,
  CALL_CHECK_NAME,
} CallKind;

typedef struct
{
  SoupMessage    *message;
  GBytes         *body;
  ParseFunc       parse;
  GDestroyNotify  result_free;
  char          **ids;
  CallKind        kind;
  guint           token_serial;  /* the user token it was sent with, or 0 */
  guint           status;
  char           *content_type;
} Call;

G_DEFINE_FINAL_TYPE (ExkClient, exk_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_ALLOW_PLAIN_HTTP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SESSION_EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_object (&call->message);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_clear_pointer (&call->ids, g_strfreev);
  g_free (call->content_type);
  g_free (call);
}

/* Only what may appear in an HTTP header value without being an injection. */
static gboolean
is_valid_credential (const char *credential)
{
  if (credential == NULL || *credential == '\0')
    return FALSE;

  for (const char *p = credential; *p != '\0'; p++)
    {
      if (*p <= 0x20 || *p >= 0x7f)
        return FALSE;
    }

  return TRUE;
}

static char *
escape_segment (const char *segment)
{
  return g_uri_escape_string (segment, NULL, FALSE);
}

static void
print_redacted (SoupLogger         *logger,
                SoupLoggerLogLevel  level,
                char                direction,
                const char         *data,
                gpointer            user_data)
{
  static const char * const secret_headers[] = { "Authorization:", "Cookie:", "Set-Cookie:" };
  g_autofree char *redacted = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (secret_headers); i++)
    {
      if (g_ascii_strncasecmp (data, secret_headers[i], strlen (secret_headers[i])) == 0)
        {
          g_printerr ("%c %s [redacted]\n", direction, secret_headers[i]);
          return;
        }
    }

  /* A key's id is the key itself: in a path (tokens/{id}) or a Location. */
  redacted = exk_http_redact_keys (data);
  g_printerr ("%c %s\n", direction, redacted);
}

static gpointer
parse_login (JsonNode  *root,
             GError   **error)
{
  const char *what = "sign-in answer";
  g_autofree char *token = NULL;
  JsonObject *object;

  object = exk_json_node_get_object (root, what, error);
  if (object == NULL ||
      !exk_json_read_string (object, what, "token", EXK_JSON_REQUIRED, &token, error))
    return NULL;

  /* Exceptionless tokens are 40 letters and digits; a short one is not a
   * token a server meant, and would be guessable. */
  if (!is_valid_credential (token) || strlen (token) < MIN_TOKEN_LENGTH
      || strlen (token) > MAX_TOKEN_LENGTH)
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   _("The server’s sign-in answer has no usable token: Exceptionless sends "
                     "40 letters and digits. Check the server address."));
      return NULL;
    }

  return g_steal_pointer (&token);
}

static gpointer
parse_user (JsonNode  *root,
            GError   **error)
{
  JsonObject *object = exk_json_node_get_object (root, "user", error);

  return object != NULL ? exk_user_new_from_json (object, error) : NULL;
}

static gpointer
parse_organization (JsonNode  *root,
                    GError   **error)
{
  JsonObject *object = exk_json_node_get_object (root, "organization", error);

  return object != NULL ? exk_organization_new_from_json (object, error) : NULL;
}

static gpointer
parse_organizations (JsonNode  *root,
                     GError   **error)
{
  const char *what = "list of organizations";
  g_autoptr(GPtrArray) organizations = NULL;
  JsonArray *array;
  guint n;

  array = exk_json_node_get_array (root, what, error);
  if (array == NULL)
    return NULL;

  n = json_array_get_length (array);
  organizations = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = exk_json_node_get_object (json_array_get_element (array, i), what,
                                                     error);
      ExkOrganization *organization;

      if (object == NULL || (organization = exk_organization_new_from_json (object, error)) == NULL)
        return NULL;

      g_ptr_array_add (organizations, organization);
    }

  return g_steal_pointer (&organizations);
}

static gpointer
parse_project (JsonNode  *root,
               GError   **error)
{
  JsonObject *object = exk_json_node_get_object (root, "project", error);

  return object != NULL ? exk_project_new_from_json (object, error) : NULL;
}

static gpointer
parse_token (JsonNode  *root,
             GError   **error)
{
  JsonObject *object = exk_json_node_get_object (root, "API key", error);

  return object != NULL ? exk_token_new_from_json (object, error) : NULL;
}

static gpointer
new_project_item (JsonObject  *object,
                  GError     **error)
{
  return exk_project_new_from_json (object, error);
}

static gpointer
new_token_item (JsonObject  *object,
                GError     **error)
{
  return exk_token_new_from_json (object, error);
}

/* A 400 with a plain JSON body is a partial bulk delete: some ids are gone.
 * Returns %NULL without an error when the body is not one. */
static ExkDeleteResult *
parse_partial_delete (Call    *call,
                      GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  if (g_strcmp0 (call->content_type, "application/problem+json") == 0)
    return NULL;

  root = exk_json_parse_bytes (call->body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  if (!json_object_has_member (object, "success") && !json_object_has_member (object, "failure"))
    return NULL;

  return exk_delete_result_new_from_json (object, (const char * const *) call->ids, error);
}

/* `projects/config` answers a client configuration; a captive portal or
 * another web server also answers 200, with something else. */
static gboolean
is_client_configuration (GBytes *body)
{
  g_autoptr(JsonNode) root = exk_json_parse_bytes (body, NULL);
  gint64 version;

  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
         exk_json_read_int64 (json_node_get_object (root), "", "version", EXK_JSON_REQUIRED,
                              &version, NULL);
}

static GError *
describe_key_error (GError *error)
{
  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
    {
      g_clear_error (&error);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED,
                                  _("The server does not accept this API key: it is unknown, "
                                    "disabled or expired, or its organization is suspended."));
    }

  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN))
    {
      g_clear_error (&error);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN,
                                  _("This API key is valid but cannot send events: it does not "
                                    "have the “client” scope (for example, a source map upload "
                                    "token)."));
    }

  return error;
}

/* What the server said about an event sent with a key, in the words of the
 * Overview's Send Test Event. */
static GError *
describe_event_error (GError *error)
{
  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_PLAN_LIMIT))
    {
      g_clear_error (&error);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_PLAN_LIMIT,
                                  _("The server did not take the event: the organization is "
                                    "over its monthly event limit, or suspended."));
    }

  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND))
    {
      g_clear_error (&error);
      return g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND,
                                  _("The server did not take the event: this key belongs to "
                                    "another project."));
    }

  return describe_key_error (error);
}

/* Every answer body is parsed here, on a worker thread: even a small answer
 * may be large, and json-glib then holds the main loop up. */
static void
parse_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Call *call = task_data;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  gpointer result;

  if (call->kind == CALL_DELETE && SOUP_STATUS_IS_SUCCESSFUL (call->status))
    {
      g_task_return_pointer (task,
                             exk_delete_result_new_all_deleted ((const char * const *) call->ids),
                             g_object_unref);
      return;
    }

  if (call->kind == CALL_DELETE && call->status == SOUP_STATUS_BAD_REQUEST)
    {
      ExkDeleteResult *partial = parse_partial_delete (call, &error);

      if (partial != NULL)
        g_task_return_pointer (task, partial, g_object_unref);
      if (partial != NULL || error != NULL)
        {
          if (error != NULL)
            g_task_return_error (task, error);
          return;
        }
    }

  error = exk_api_error_new_from_response (call->status, call->body, call->content_type);
  if (error != NULL)
    {
      g_task_return_error (task, call->kind == CALL_VERIFY_KEY ? describe_key_error (error)
                               : call->kind == CALL_POST_EVENT ? describe_event_error (error)
                               : error);
      return;
    }

  switch (call->kind)
    {
    case CALL_BOOLEAN:
    case CALL_POST_EVENT:
      g_task_return_boolean (task, TRUE);
      return;

    case CALL_CHECK_NAME:
      /* 204: nobody has the name; 201: a project has it (§6.4). */
      if (call->status != SOUP_STATUS_NO_CONTENT && call->status != SOUP_STATUS_CREATED)
        {
          g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                                   _("The server’s answer to a project name check is not one "
                                     "Exceptionless sends. Check the server address."));
          return;
        }
      g_task_return_int (task, call->status == SOUP_STATUS_NO_CONTENT);
      return;

    case CALL_VERIFY_KEY:
      if (!is_client_configuration (call->body))
        {
          g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                                   _("The server’s answer is not an Exceptionless client "
                                     "configuration. Check the server address."));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;

    case CALL_OBJECT:
    case CALL_DELETE:
    default:
      break;
    }

  root = exk_json_parse_bytes (call->body, &error);
  if (root == NULL || (result = call->parse (root, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, result, call->result_free);
}

static void
on_call_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->body = exk_http_send_finish (result, &error);
  if (call->body == NULL)
    {
      g_task_return_error (task, call->kind == CALL_VERIFY_KEY ? describe_key_error (error)
                               : call->kind == CALL_POST_EVENT ? describe_event_error (error)
                               : error);
      return;
    }

  call->status = soup_message_get_status (call->message);
  call->content_type =
    g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (
                                                       call->message), NULL));

  /* On this thread: the signal is emitted where the client lives. */
  exk_client_check_session (g_task_get_source_object (task), call->token_serial, call->status);

  g_task_run_in_thread (task, parse_in_thread);
}

static GTask *
new_call_task (ExkClient           *self,
               CallKind             kind,
               ParseFunc            parse,
               GDestroyNotify       result_free,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, source_tag);
  call->kind = kind;
  call->parse = parse;
  call->result_free = result_free;
  g_task_set_task_data (task, call, call_free);

  return task;
}

/* Takes ownership of @task and @body. */
static void
send_call (ExkClient  *self,
           GTask      *task,
           const char *method,
           const char *path,
           const char *query,
           JsonNode   *body,
           const char *bearer)
{
  g_autoptr(GTask) owned_task = task;
  g_autoptr(JsonNode) owned_body = body;
  Call *call = g_task_get_task_data (task);
  GError *error = NULL;

  call->message = exk_client_new_message (self, method, path, query, owned_body, bearer, &error);
  if (call->message == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (bearer != NULL && bearer == self->token)
    call->token_serial = self->token_serial;

  exk_http_send_async (self->session, call->message, EXK_HTTP_MAX_OBJECT_SIZE,
                       exk_client_get_timeout (self), g_task_get_cancellable (task),
                       on_call_sent, g_steal_pointer (&owned_task));
}

/* Takes ownership of @body. */
static void
start_call (ExkClient           *self,
            CallKind             kind,
            const char          *method,
            const char          *path,
            const char          *query,
            JsonNode            *body,
            const char          *bearer,
            ParseFunc            parse,
            GDestroyNotify       result_free,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = new_call_task (self, kind, parse, result_free, source_tag,
                               cancellable, callback, user_data);

  send_call (self, task, method, path, query, body, bearer);
}

static gpointer
propagate (ExkClient     *self,
           GAsyncResult  *result,
           gpointer       source_tag,
           GError       **error)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
propagate_boolean (ExkClient     *self,
                   GAsyncResult  *result,
                   gpointer       source_tag,
                   GError       **error)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
exk_client_constructed (GObject *object)
{
  ExkClient *self = (ExkClient *)object;

  G_OBJECT_CLASS (exk_client_parent_class)->constructed (object);

  /* Request and response bodies carry passwords and tokens: headers only. */
  if (g_getenv ("EXKEYS_DEBUG_HTTP") != NULL)
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);

      soup_logger_set_printer (logger, print_redacted, NULL, NULL);
      soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
    }
}

static void
exk_client_finalize (GObject *object)
{
  ExkClient *self = (ExkClient *)object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (exk_client_parent_class)->finalize (object);
}

static void
exk_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ExkClient *self = EXK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, exk_client_get_timeout (self));
      break;

    case PROP_ALLOW_PLAIN_HTTP:
      g_value_set_boolean (value, self->allow_plain_http);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_client_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ExkClient *self = EXK_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_TOKEN:
      exk_client_set_token (self, g_value_get_string (value));
      break;

    case PROP_TIMEOUT:
      exk_client_set_timeout (self, g_value_get_uint (value));
      break;

    case PROP_ALLOW_PLAIN_HTTP:
      self->allow_plain_http = g_value_get_boolean (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_client_class_init (ExkClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = exk_client_constructed;
  object_class->finalize = exk_client_finalize;
  object_class->get_property = exk_client_get_property;
  object_class->set_property = exk_client_set_property;

  /**
   * ExkClient:base-url:
   *
   * The server, as returned by exk_base_url_normalize(); requests go to
   * `<base-url>/api/v2/…`.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * ExkClient:token:
   *
   * The login token sent as `Authorization: Bearer`, or %NULL when signed out.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * ExkClient:timeout:
   *
   * Seconds to wait for the server on each request, 0 for no limit.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * ExkClient:allow-plain-http:
   *
   * Whether the user chose to reach this server without encryption. Without it, a
   * client whose base URL is plain `http` to another computer sends nothing at all:
   * the password and the token would cross the network readable.
   */
  properties[PROP_ALLOW_PLAIN_HTTP] =
    g_param_spec_boolean ("allow-plain-http", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkClient::session-expired:
   *
   * The server answered 401 to a request made with the user's token: the
   * sign-in has ended (it expired, or someone signed out everywhere). Emitted
   * once per token, however many requests fail with it; a new token from
   * exk_client_set_token() can expire again.
   */
  signals[SESSION_EXPIRED] = g_signal_new ("session-expired", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
}

static void
exk_client_init (ExkClient *self)
{
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", "Exkeys/" PACKAGE_VERSION " ",
                                "timeout", DEFAULT_TIMEOUT_SECONDS,
                                "idle-timeout", IDLE_TIMEOUT_SECONDS,
                                "max-conns-per-host", MAX_CONNS_PER_HOST,
                                NULL);
}

/**
 * exk_client_get_token_serial:
 *
 * Returns: a number that names the current user token without holding it, for
 *   exk_client_check_session(); 0 when there is no token
 */
guint
exk_client_get_token_serial (ExkClient *self)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), 0);

  return self->token != NULL ? self->token_serial : 0;
}

/**
 * exk_client_check_session:
 * @token_serial: what exk_client_get_token_serial() said when the request was
 *   sent, or 0 when it was not sent with the user's token
 * @status: the HTTP status the request was answered with
 *
 * Emits #ExkClient::session-expired when @status is a 401 to the user's current
 * token. A 401 to an older token (the user signed in again meanwhile) or to
 * an API key says nothing about the sign-in.
 */
void
exk_client_check_session (ExkClient *self,
                          guint      token_serial,
                          guint      status)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  if (token_serial == 0 || token_serial != exk_client_get_token_serial (self)
      || status != SOUP_STATUS_UNAUTHORIZED
      || self->expired_serial == token_serial)
    return;

  self->expired_serial = token_serial;
  g_signal_emit (self, signals[SESSION_EXPIRED], 0);
}

SoupSession *
exk_client_get_session (ExkClient *self)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), NULL);
  return self->session;
}

/**
 * exk_client_new_message:
 * @self: a client
 * @method: the HTTP method
 * @path: the path below `api/v2/`, with every segment already escaped
 * @query: (nullable): the query, already escaped
 * @body: (nullable): a JSON request body
 * @bearer: (nullable): the credential for `Authorization: Bearer`, or %NULL for none
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the message
 */
SoupMessage *
exk_client_new_message (ExkClient   *self,
                        const char  *method,
                        const char  *path,
                        const char  *query,
                        JsonNode    *body,
                        const char  *bearer,
                        GError     **error)
{
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;

  g_return_val_if_fail (EXK_IS_CLIENT (self), NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (bearer != NULL && !is_valid_credential (bearer))
    {
      g_set_error_literal (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED,
                           _("The token contains characters that no token has. Copy it again, "
                             "or sign in again."));
      return NULL;
    }

  if (!self->allow_plain_http && exk_base_url_is_plain_http (self->base_url))
    {
      g_autofree char *address = exk_base_url_dup_address (self->base_url);

      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INSECURE_URL,
                   _("%s is not encrypted, so others on the network could read your password "
                     "and token."),
                   address);
      return NULL;
    }

  url = g_strconcat (self->base_url, "/api/v2/", path, query != NULL ? "?" : "", query, NULL);
  message = soup_message_new (method, url);
  if (message == NULL)
    {
      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_URL,
                   _("“%s” is not a valid address for a request."), url);
      return NULL;
    }

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (bearer != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }

  if (body != NULL)
    {
      char *json = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (json, strlen (json), exk_secret_text_free,
                                                            json);

      /* The message takes its own reference. A body can hold a password:
       * its memory is wiped when the message is done with it. */
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  return g_steal_pointer (&message);
}

/**
 * exk_client_new:
 * @base_url: the server address as someone typed it; see exk_base_url_normalize()
 * @error: return location for %EXK_API_ERROR_INVALID_URL or %EXK_API_ERROR_INSECURE_URL
 *
 * Returns: (transfer full) (nullable): a client without a token
 */
ExkClient *
exk_client_new (const char  *base_url,
                GError     **error)
{
  g_autofree char *normalized = exk_base_url_normalize (base_url, error);

  if (normalized == NULL)
    return NULL;

  return g_object_new (EXK_TYPE_CLIENT, "base-url", normalized, NULL);
}

const char *
exk_client_get_base_url (ExkClient *self)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), NULL);
  return self->base_url;
}

/**
 * exk_client_get_token:
 *
 * Returns: (nullable): the login token, a secret: never log it
 */
const char *
exk_client_get_token (ExkClient *self)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), NULL);
  return self->token;
}

/**
 * exk_client_set_token:
 * @self: a client
 * @token: (nullable): a login token, or %NULL (or "") when signed out
 *
 * Requests started afterwards use @token; running ones keep the one they started with.
 */
void
exk_client_set_token (ExkClient  *self,
                      const char *token)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  if (token != NULL && *token == '\0')
    token = NULL;

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  /* Never 0: that marks requests sent without the user's token. */
  if (++self->token_serial == 0)
    self->token_serial = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

guint
exk_client_get_timeout (ExkClient *self)
{
  g_return_val_if_fail (EXK_IS_CLIENT (self), 0);
  return soup_session_get_timeout (self->session);
}

/**
 * exk_client_set_timeout:
 * @self: a client
 * @seconds: how long to wait for the server on each request, 0 for no limit
 */
void
exk_client_set_timeout (ExkClient *self,
                        guint      seconds)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  if (soup_session_get_timeout (self->session) == seconds)
    return;

  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

/**
 * exk_client_login_async:
 * @self: a client
 * @email: the account's email address
 * @password: its local password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Signs in with `POST auth/login`. The token is not stored in @self: the caller decides
 * with exk_client_set_token(). Note that the server hands every sign-in of a user the
 * same token until it expires or someone signs out.
 */
void
exk_client_login_async (ExkClient           *self,
                        const char          *email,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);

  start_call (self, CALL_OBJECT, "POST", "auth/login", NULL, json_builder_get_root (builder),
              NULL, parse_login, g_free, exk_client_login_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_login_finish:
 *
 * Returns: (transfer full) (nullable): the login token; %EXK_API_ERROR_LOGIN_FAILED or
 *   %EXK_API_ERROR_LOGIN_THROTTLED tell the two refusals apart
 */
char *
exk_client_login_finish (ExkClient     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return propagate (self, result, exk_client_login_async, error);
}

/**
 * exk_client_logout_async:
 *
 * Deletes the login token on the server, which signs out every session sharing it.
 * The token stays set on @self.
 */
void
exk_client_logout_async (ExkClient           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  start_call (self, CALL_BOOLEAN, "GET", "auth/logout", NULL, NULL, self->token,
              NULL, NULL, exk_client_logout_async, cancellable, callback, user_data);
}

gboolean
exk_client_logout_finish (ExkClient     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return propagate_boolean (self, result, exk_client_logout_async, error);
}

void
exk_client_get_current_user_async (ExkClient           *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  start_call (self, CALL_OBJECT, "GET", "users/me", NULL, NULL, self->token,
              parse_user, g_object_unref, exk_client_get_current_user_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_get_current_user_finish:
 *
 * Returns: (transfer full) (nullable): the signed-in user
 */
ExkUser *
exk_client_get_current_user_finish (ExkClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return propagate (self, result, exk_client_get_current_user_async, error);
}

/**
 * exk_client_list_organizations_async:
 *
 * Lists the organizations the user is a member of (the server does not page them).
 */
void
exk_client_list_organizations_async (ExkClient           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  start_call (self, CALL_OBJECT, "GET", "organizations", NULL, NULL, self->token,
              parse_organizations, (GDestroyNotify) g_ptr_array_unref,
              exk_client_list_organizations_async, cancellable, callback, user_data);
}

/**
 * exk_client_list_organizations_finish:
 *
 * Returns: (transfer full) (element-type ExkOrganization) (nullable): the organizations
 */
GPtrArray *
exk_client_list_organizations_finish (ExkClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return propagate (self, result, exk_client_list_organizations_async, error);
}

void
exk_client_get_organization_async (ExkClient           *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = escape_segment (id);
  path = g_strconcat ("organizations/", escaped, NULL);
  start_call (self, CALL_OBJECT, "GET", path, NULL, NULL, self->token,
              parse_organization, g_object_unref, exk_client_get_organization_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_get_organization_finish:
 *
 * Returns: (transfer full) (nullable): the organization
 */
ExkOrganization *
exk_client_get_organization_finish (ExkClient     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return propagate (self, result, exk_client_get_organization_async, error);
}

/**
 * exk_client_list_projects_async:
 * @self: a client
 * @flags: what to include
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, with every project or an error
 * @user_data: data for @callback
 *
 * Lists every project of every organization of the user, sorted by name, fetching as
 * many pages as needed.
 */
void
exk_client_list_projects_async (ExkClient           *self,
                                ExkProjectListFlags  flags,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));

  exk_paged_request_run_async (self, "projects",
                               (flags & EXK_PROJECT_LIST_WITH_STATS) ? "mode=stats" : NULL,
                               PROJECTS_PAGE_LIMIT, new_project_item, "list of projects",
                               exk_client_list_projects_async,
                               cancellable, callback, user_data);
}

/**
 * exk_client_list_projects_finish:
 *
 * Returns: (transfer full) (element-type ExkProject) (nullable): the projects
 */
GPtrArray *
exk_client_list_projects_finish (ExkClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return propagate (self, result, exk_client_list_projects_async, error);
}

void
exk_client_list_organization_projects_async (ExkClient           *self,
                                             const char          *org_id,
                                             ExkProjectListFlags  flags,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (org_id != NULL);

  escaped = escape_segment (org_id);
  path = g_strconcat ("organizations/", escaped, "/projects", NULL);
  exk_paged_request_run_async (self, path,
                               (flags & EXK_PROJECT_LIST_WITH_STATS) ? "mode=stats" : NULL,
                               PROJECTS_PAGE_LIMIT, new_project_item, "list of projects",
                               exk_client_list_organization_projects_async,
                               cancellable, callback, user_data);
}

/**
 * exk_client_list_organization_projects_finish:
 *
 * Returns: (transfer full) (element-type ExkProject) (nullable): the projects
 */
GPtrArray *
exk_client_list_organization_projects_finish (ExkClient     *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return propagate (self, result, exk_client_list_organization_projects_async, error);
}

void
exk_client_get_project_async (ExkClient           *self,
                              const char          *id,
                              ExkProjectListFlags  flags,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = escape_segment (id);
  path = g_strconcat ("projects/", escaped, NULL);
  start_call (self, CALL_OBJECT, "GET", path,
              (flags & EXK_PROJECT_LIST_WITH_STATS) ? "mode=stats" : NULL, NULL, self->token,
              parse_project, g_object_unref, exk_client_get_project_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_get_project_finish:
 *
 * Returns: (transfer full) (nullable): the project
 */
ExkProject *
exk_client_get_project_finish (ExkClient     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return propagate (self, result, exk_client_get_project_async, error);
}

/**
 * exk_client_create_project_async:
 * @self: a client
 * @org_id: the organization the project belongs to
 * @name: the project's name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Creates a project with `POST projects`. A name another project of the
 * organization has is %EXK_API_ERROR_VALIDATION; an organization whose plan
 * allows no more projects is %EXK_API_ERROR_PLAN_LIMIT, in the server's words.
 */
void
exk_client_create_project_async (ExkClient           *self,
                                 const char          *org_id,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (name != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "organization_id");
  json_builder_add_string_value (builder, org_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);

  start_call (self, CALL_OBJECT, "POST", "projects", NULL, json_builder_get_root (builder),
              self->token, parse_project, g_object_unref, exk_client_create_project_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_create_project_finish:
 *
 * Returns: (transfer full) (nullable): the new project, as the server stored it
 */
ExkProject *
exk_client_create_project_finish (ExkClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return propagate (self, result, exk_client_create_project_async, error);
}

/**
 * exk_client_check_project_name_async:
 * @self: a client
 * @org_id: the organization
 * @name: the name to check
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Asks whether a project of the organization has @name already, with
 * `GET organizations/{id}/projects/check-name`. The server compares names
 * trimmed and without regard to case.
 */
void
exk_client_check_project_name_async (ExkClient           *self,
                                     const char          *org_id,
                                     const char          *name,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *escaped_name = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (org_id != NULL);
  g_return_if_fail (name != NULL);

  escaped = escape_segment (org_id);
  escaped_name = g_uri_escape_string (name, NULL, FALSE);
  path = g_strconcat ("organizations/", escaped, "/projects/check-name", NULL);
  query = g_strconcat ("name=", escaped_name, NULL);
  start_call (self, CALL_CHECK_NAME, "GET", path, query, NULL, self->token,
              NULL, NULL, exk_client_check_project_name_async, cancellable, callback, user_data);
}

/**
 * exk_client_check_project_name_finish:
 * @available: (out): %TRUE when no project of the organization has the name
 *
 * Returns: %TRUE when the server answered
 */
gboolean
exk_client_check_project_name_finish (ExkClient     *self,
                                      GAsyncResult  *result,
                                      gboolean      *available,
                                      GError       **error)
{
  GError *local_error = NULL;
  gssize answer;

  g_return_val_if_fail (EXK_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == exk_client_check_project_name_async, FALSE);

  answer = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (available != NULL)
    *available = answer != 0;
  return TRUE;
}

/**
 * exk_client_rename_project_async:
 * @self: a client
 * @id: the project
 * @name: its new name
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Changes only the name (`PATCH projects/{id}` with `{"name": …}`). A name
 * another project of the organization has is %EXK_API_ERROR_VALIDATION.
 */
void
exk_client_rename_project_async (ExkClient           *self,
                                 const char          *id,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (name != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);

  escaped = escape_segment (id);
  path = g_strconcat ("projects/", escaped, NULL);
  start_call (self, CALL_OBJECT, "PATCH", path, NULL, json_builder_get_root (builder),
              self->token, parse_project, g_object_unref, exk_client_rename_project_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_rename_project_finish:
 *
 * Returns: (transfer full) (nullable): the project, as the server stored it
 */
ExkProject *
exk_client_rename_project_finish (ExkClient     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return propagate (self, result, exk_client_rename_project_async, error);
}

/* One `DELETE {collection}/{id},{id}…`, whose answer may be the partial
 * body (ExkDeleteResult): the same for keys and projects. */
static void
start_delete (ExkClient           *self,
              const char          *collection,
              const char * const  *ids,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) path = g_string_new (collection);
  Call *call;

  g_string_append_c (path, '/');
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *escaped = escape_segment (ids[i]);

      if (i > 0)
        g_string_append_c (path, ',');
      g_string_append (path, escaped);
    }

  task = new_call_task (self, CALL_DELETE, NULL, g_object_unref, source_tag, cancellable,
                        callback, user_data);
  call = g_task_get_task_data (task);
  call->ids = g_strdupv ((char **) ids);

  send_call (self, g_steal_pointer (&task), "DELETE", path->str, NULL, NULL, self->token);
}

/**
 * exk_client_delete_projects_async:
 * @self: a client
 * @ids: (array zero-terminated=1): the projects to delete, at least one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Deletes projects with one `DELETE projects/{ids}`; the server deletes their
 * API keys with them. Partial results as for exk_client_delete_tokens_async().
 */
void
exk_client_delete_projects_async (ExkClient           *self,
                                  const char * const  *ids,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (ids != NULL && ids[0] != NULL);

  start_delete (self, "projects", ids, exk_client_delete_projects_async, cancellable, callback,
                user_data);
}

/**
 * exk_client_delete_projects_finish:
 *
 * Returns: (transfer full) (nullable): what was deleted and what was not
 */
ExkDeleteResult *
exk_client_delete_projects_finish (ExkClient     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate (self, result, exk_client_delete_projects_async, error);
}

/**
 * exk_client_list_project_tokens_async:
 *
 * Lists every API key of a project (including disabled ones and those whose default
 * project it is), oldest first, fetching as many pages as needed.
 */
void
exk_client_list_project_tokens_async (ExkClient           *self,
                                      const char          *project_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (project_id != NULL);

  escaped = escape_segment (project_id);
  path = g_strconcat ("projects/", escaped, "/tokens", NULL);
  exk_paged_request_run_async (self, path, NULL, TOKENS_PAGE_LIMIT, new_token_item,
                               "list of API keys", exk_client_list_project_tokens_async,
                               cancellable, callback, user_data);
}

/**
 * exk_client_list_project_tokens_finish:
 *
 * Returns: (transfer full) (element-type ExkToken) (nullable): the keys
 */
GPtrArray *
exk_client_list_project_tokens_finish (ExkClient     *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return propagate (self, result, exk_client_list_project_tokens_async, error);
}

void
exk_client_list_organization_tokens_async (ExkClient           *self,
                                           const char          *org_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (org_id != NULL);

  escaped = escape_segment (org_id);
  path = g_strconcat ("organizations/", escaped, "/tokens", NULL);
  exk_paged_request_run_async (self, path, NULL, TOKENS_PAGE_LIMIT, new_token_item,
                               "list of API keys", exk_client_list_organization_tokens_async,
                               cancellable, callback, user_data);
}

/**
 * exk_client_list_organization_tokens_finish:
 *
 * Returns: (transfer full) (element-type ExkToken) (nullable): the keys
 */
GPtrArray *
exk_client_list_organization_tokens_finish (ExkClient     *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return propagate (self, result, exk_client_list_organization_tokens_async, error);
}

void
exk_client_get_api_token_async (ExkClient           *self,
                                const char          *id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  escaped = escape_segment (id);
  path = g_strconcat ("tokens/", escaped, NULL);
  start_call (self, CALL_OBJECT, "GET", path, NULL, NULL, self->token,
              parse_token, g_object_unref, exk_client_get_api_token_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_get_api_token_finish:
 *
 * Returns: (transfer full) (nullable): the key
 */
ExkToken *
exk_client_get_api_token_finish (ExkClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return propagate (self, result, exk_client_get_api_token_async, error);
}

/**
 * exk_client_create_token_async:
 * @self: a client
 * @project_id: the project the key belongs to
 * @scopes: (nullable) (array zero-terminated=1): scopes such as `client`; %NULL or empty
 *   lets the server choose (`client`)
 * @notes: (nullable): notes to tell the key apart
 * @expires: (nullable): when the key stops working; %NULL for never
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Creates a key with `POST projects/{id}/tokens`. Unset fields are left out of the
 * request: the server rejects null for some of them.
 */
void
exk_client_create_token_async (ExkClient           *self,
                               const char          *project_id,
                               const char * const  *scopes,
                               const char          *notes,
                               GDateTime           *expires,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  g_autofree char *date = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (project_id != NULL);

  /* The server takes years 1 to 9999 only. */
  if (expires != NULL && (date = exk_json_format_date (expires)) == NULL)
    {
      g_task_report_new_error (self, callback, user_data, exk_client_create_token_async,
                               EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                               _("The expiry date is out of the range a server can keep."));
      return;
    }

  json_builder_begin_object (builder);

  if (scopes != NULL && scopes[0] != NULL)
    {
      json_builder_set_member_name (builder, "scopes");
      json_builder_begin_array (builder);
      for (guint i = 0; scopes[i] != NULL; i++)
        json_builder_add_string_value (builder, scopes[i]);
      json_builder_end_array (builder);
    }

  if (notes != NULL && *notes != '\0')
    {
      json_builder_set_member_name (builder, "notes");
      json_builder_add_string_value (builder, notes);
    }

  if (date != NULL)
    {
      json_builder_set_member_name (builder, "expires_utc");
      json_builder_add_string_value (builder, date);
    }

  json_builder_end_object (builder);

  escaped = escape_segment (project_id);
  path = g_strconcat ("projects/", escaped, "/tokens", NULL);
  start_call (self, CALL_OBJECT, "POST", path, NULL, json_builder_get_root (builder),
              self->token, parse_token, g_object_unref, exk_client_create_token_async,
              cancellable, callback, user_data);
}

/**
 * exk_client_create_token_finish:
 *
 * Returns: (transfer full) (nullable): the new key, as the server stored it
 */
ExkToken *
exk_client_create_token_finish (ExkClient     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate (self, result, exk_client_create_token_async, error);
}

static void
update_token (ExkClient           *self,
              const char          *id,
              JsonNode            *body,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autofree char *escaped = escape_segment (id);
  g_autofree char *path = g_strconcat ("tokens/", escaped, NULL);

  start_call (self, CALL_OBJECT, "PATCH", path, NULL, body, self->token,
              parse_token, g_object_unref, source_tag, cancellable, callback, user_data);
}

/**
 * exk_client_set_token_notes_async:
 * @self: a client
 * @id: the key
 * @notes: (nullable): the new notes; %NULL or "" clears them
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Changes only the notes (`PATCH tokens/{id}` with `{"notes": …}`), so that a
 * concurrent enable or disable is not undone. Clearing sends `null`, the one place
 * where the server wants a null.
 */
void
exk_client_set_token_notes_async (ExkClient           *self,
                                  const char          *id,
                                  const char          *notes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "notes");
  if (notes != NULL && *notes != '\0')
    json_builder_add_string_value (builder, notes);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  update_token (self, id, json_builder_get_root (builder), exk_client_set_token_notes_async,
                cancellable, callback, user_data);
}

/**
 * exk_client_set_token_notes_finish:
 *
 * Returns: (transfer full) (nullable): the updated key; see exk_token_update_from()
 */
ExkToken *
exk_client_set_token_notes_finish (ExkClient     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate (self, result, exk_client_set_token_notes_async, error);
}

/**
 * exk_client_set_token_disabled_async:
 * @self: a client
 * @id: the key
 * @disabled: whether the server should refuse the key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Changes only `is_disabled`; the notes are left as they are.
 */
void
exk_client_set_token_disabled_async (ExkClient           *self,
                                     const char          *id,
                                     gboolean             disabled,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (id != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "is_disabled");
  json_builder_add_boolean_value (builder, !!disabled);
  json_builder_end_object (builder);

  update_token (self, id, json_builder_get_root (builder), exk_client_set_token_disabled_async,
                cancellable, callback, user_data);
}

/**
 * exk_client_set_token_disabled_finish:
 *
 * Returns: (transfer full) (nullable): the updated key
 */
ExkToken *
exk_client_set_token_disabled_finish (ExkClient     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return propagate (self, result, exk_client_set_token_disabled_async, error);
}

/**
 * exk_client_delete_tokens_async:
 * @self: a client
 * @ids: (array zero-terminated=1): the keys to delete, at least one
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Deletes keys for good with one `DELETE tokens/{ids}`. When only some could be
 * deleted the result lists both (exk_delete_result_is_complete() is then %FALSE);
 * it is an error only when none could.
 */
void
exk_client_delete_tokens_async (ExkClient           *self,
                                const char * const  *ids,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (ids != NULL && ids[0] != NULL);

  start_delete (self, "tokens", ids, exk_client_delete_tokens_async, cancellable, callback,
                user_data);
}

/**
 * exk_client_delete_tokens_finish:
 *
 * Returns: (transfer full) (nullable): what was deleted and what was not
 */
ExkDeleteResult *
exk_client_delete_tokens_finish (ExkClient     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return propagate (self, result, exk_client_delete_tokens_async, error);
}

/**
 * exk_client_verify_key_async:
 * @self: a client
 * @key: the API key to check, sent instead of the user's token
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Checks that the server accepts @key from an application, with `GET projects/config`:
 * it is not throttled and creates nothing. %EXK_API_ERROR_UNAUTHORIZED means the key is
 * unknown, disabled, expired or suspended; %EXK_API_ERROR_FORBIDDEN means it is valid
 * but lacks the `client` scope.
 */
void
exk_client_verify_key_async (ExkClient           *self,
                             const char          *key,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (key != NULL);

  start_call (self, CALL_VERIFY_KEY, "GET", "projects/config", NULL, NULL, key,
              NULL, NULL, exk_client_verify_key_async, cancellable, callback, user_data);
}

gboolean
exk_client_verify_key_finish (ExkClient     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return propagate_boolean (self, result, exk_client_verify_key_async, error);
}

/**
 * exk_client_send_test_event_async:
 * @self: a client
 * @key: the client key that sends the event, instead of the user's token
 * @project_id: the project the event is for
 * @message: the log message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once when done
 * @user_data: data for @callback
 *
 * Posts one log event, as an application would (`POST projects/{id}/events`,
 * contract §6.6). The server answers 202 before it stores the event. Errors
 * say why it refused: %EXK_API_ERROR_UNAUTHORIZED (key unknown, disabled,
 * expired, or organization suspended), %EXK_API_ERROR_FORBIDDEN (no `client`
 * scope), %EXK_API_ERROR_PLAN_LIMIT (over the monthly limit),
 * %EXK_API_ERROR_NOT_FOUND (the key is another project's).
 */
void
exk_client_send_test_event_async (ExkClient           *self,
                                  const char          *key,
                                  const char          *project_id,
                                  const char          *message,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (EXK_IS_CLIENT (self));
  g_return_if_fail (key != NULL);
  g_return_if_fail (project_id != NULL);
  g_return_if_fail (message != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "log");
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, "Exkeys");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "exkeys-test");
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  /* The key, never the user's token: this is what an application sends. */
  escaped = escape_segment (project_id);
  path = g_strconcat ("projects/", escaped, "/events", NULL);
  start_call (self, CALL_POST_EVENT, "POST", path, NULL, json_builder_get_root (builder), key,
              NULL, NULL, exk_client_send_test_event_async, cancellable, callback, user_data);
}

gboolean
exk_client_send_test_event_finish (ExkClient     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate_boolean (self, result, exk_client_send_test_event_async, error);
}

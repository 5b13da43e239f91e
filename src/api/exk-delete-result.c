// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-delete-result.h"
#include "exk-json.h"

typedef struct
{
  char  *id;
  char  *message;
  guint  status;
} Failure;

/* What a bulk DELETE did: the ids that really were deleted, and why the others were not.
 * A partial failure is a result, not an error, because the deleted ids are gone. */
struct _ExkDeleteResult
{
  GObject   parent_instance;

  char    **deleted;
  GArray   *failures;
};

G_DEFINE_FINAL_TYPE (ExkDeleteResult, exk_delete_result, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DELETED,
  PROP_N_FAILURES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_failure (gpointer data)
{
  Failure *failure = data;

  g_clear_pointer (&failure->id, g_free);
  g_clear_pointer (&failure->message, g_free);
}

static char *
describe_status (guint status)
{
  switch (status)
    {
    case 0:
      return g_strdup (_("The server did not say what happened to this key. Reload the list "
                         "to check."));
    case 404:
      return g_strdup (_("The key no longer exists, or you no longer have access to it."));
    case 400:
    case 403:
      return g_strdup (_("You are not allowed to delete this key."));
    default:
      return g_strdup_printf (_("The server could not delete this key (HTTP %u)."), status);
    }
}

static void
add_failure (ExkDeleteResult *self,
             const char      *id,
             guint            status,
             const char      *message)
{
  Failure failure;

  failure.id = g_strdup (id);
  failure.status = status;
  failure.message = message != NULL && *message != '\0' ? g_strdup (message)
                                                        : describe_status (status);
  g_array_append_val (self->failures, failure);
}

static gboolean
has_failure (ExkDeleteResult *self,
             const char      *id)
{
  for (guint i = 0; i < self->failures->len; i++)
    {
      if (g_strcmp0 (g_array_index (self->failures, Failure, i).id, id) == 0)
        return TRUE;
    }

  return FALSE;
}

static const Failure *
get_failure (ExkDeleteResult *self,
             guint            index)
{
  g_return_val_if_fail (EXK_IS_DELETE_RESULT (self), NULL);
  g_return_val_if_fail (index < self->failures->len, NULL);

  return &g_array_index (self->failures, Failure, index);
}

static void
exk_delete_result_finalize (GObject *object)
{
  ExkDeleteResult *self = (ExkDeleteResult *)object;

  g_clear_pointer (&self->deleted, g_strfreev);
  g_clear_pointer (&self->failures, g_array_unref);

  G_OBJECT_CLASS (exk_delete_result_parent_class)->finalize (object);
}

static void
exk_delete_result_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ExkDeleteResult *self = EXK_DELETE_RESULT (object);

  switch (prop_id)
    {
    case PROP_DELETED:
      g_value_set_boxed (value, self->deleted);
      break;

    case PROP_N_FAILURES:
      g_value_set_uint (value, self->failures->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_delete_result_class_init (ExkDeleteResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = exk_delete_result_finalize;
  object_class->get_property = exk_delete_result_get_property;

  properties[PROP_DELETED] = g_param_spec_boxed ("deleted", NULL, NULL, G_TYPE_STRV, flags);
  properties[PROP_N_FAILURES] = g_param_spec_uint ("n-failures", NULL, NULL, 0, G_MAXUINT, 0,
                                                   flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_delete_result_init (ExkDeleteResult *self)
{
  self->failures = g_array_new (FALSE, FALSE, sizeof (Failure));
  g_array_set_clear_func (self->failures, clear_failure);
}

/**
 * exk_delete_result_new_all_deleted:
 * @ids: the ids that were deleted
 *
 * Returns: (transfer full): a complete result, as for a 202 answer
 */
ExkDeleteResult *
exk_delete_result_new_all_deleted (const char * const *ids)
{
  ExkDeleteResult *self = g_object_new (EXK_TYPE_DELETE_RESULT, NULL);

  self->deleted = ids != NULL ? g_strdupv ((char **) ids) : g_new0 (char *, 1);

  return self;
}

/**
 * exk_delete_result_new_from_json:
 * @object: the plain JSON body of a partial bulk delete, `{success, failure, workers}`
 * @requested_ids: (nullable): the ids that were asked for
 * @error: return location for an #EXK_API_ERROR_INVALID_RESPONSE
 *
 * Requested ids that the body lists neither as deleted nor as failed count as failures,
 * so that a caller never assumes a key is gone when the server did not say so.
 *
 * Returns: (transfer full) (nullable): the result
 */
ExkDeleteResult *
exk_delete_result_new_from_json (JsonObject          *object,
                                 const char * const  *requested_ids,
                                 GError             **error)
{
  g_autoptr(ExkDeleteResult) self = g_object_new (EXK_TYPE_DELETE_RESULT, NULL);
  const char *what = "delete result";
  JsonNode *failure_node;

  g_return_val_if_fail (object != NULL, NULL);

  if (!exk_json_read_ids (object, what, "success", EXK_JSON_OPTIONAL, &self->deleted, error))
    return NULL;

  failure_node = json_object_get_member (object, "failure");
  if (failure_node != NULL && !JSON_NODE_HOLDS_NULL (failure_node))
    {
      JsonArray *array;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (failure_node))
        {
          g_debug ("Invalid %s from the server: “failure” is not an array", what);
          g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                       /* Translators: %s is the name of a JSON member, “failure” */
                       _("The server sent an invalid answer: “%s” should be a list of objects"),
                       "failure");
          return NULL;
        }

      array = json_node_get_array (failure_node);
      n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *id = NULL;
          g_autofree char *message = NULL;
          JsonObject *failure;
          gint64 status;

          failure = exk_json_node_get_object (json_array_get_element (array, i), what, error);
          if (failure == NULL ||
              !exk_json_read_id (failure, what, "id", EXK_JSON_REQUIRED, &id, error) ||
              !exk_json_read_int64 (failure, what, "status_code", EXK_JSON_OPTIONAL,
                                    &status, error) ||
              !exk_json_read_string (failure, what, "message", EXK_JSON_OPTIONAL,
                                     &message, error))
            return NULL;

          add_failure (self, id, status > 0 && status < 1000 ? (guint) status : 0, message);
        }
    }

  for (guint i = 0; requested_ids != NULL && requested_ids[i] != NULL; i++)
    {
      if (!g_strv_contains ((const char * const *) self->deleted, requested_ids[i]) &&
          !has_failure (self, requested_ids[i]))
        add_failure (self, requested_ids[i], 0, NULL);
    }

  return g_steal_pointer (&self);
}

/**
 * exk_delete_result_get_deleted:
 *
 * Returns: (transfer none): the ids that really were deleted
 */
const char * const *
exk_delete_result_get_deleted (ExkDeleteResult *self)
{
  g_return_val_if_fail (EXK_IS_DELETE_RESULT (self), NULL);
  return (const char * const *) self->deleted;
}

guint
exk_delete_result_get_n_failures (ExkDeleteResult *self)
{
  g_return_val_if_fail (EXK_IS_DELETE_RESULT (self), 0);
  return self->failures->len;
}

const char *
exk_delete_result_get_failure_id (ExkDeleteResult *self,
                                  guint            index)
{
  const Failure *failure = get_failure (self, index);

  return failure != NULL ? failure->id : NULL;
}

/**
 * exk_delete_result_get_failure_status:
 *
 * Returns: the HTTP status the server gave for this id, or 0 if it gave none
 */
guint
exk_delete_result_get_failure_status (ExkDeleteResult *self,
                                      guint            index)
{
  const Failure *failure = get_failure (self, index);

  return failure != NULL ? failure->status : 0;
}

/**
 * exk_delete_result_get_failure_message:
 *
 * Returns: the server's message, or a sentence describing the status
 */
const char *
exk_delete_result_get_failure_message (ExkDeleteResult *self,
                                       guint            index)
{
  const Failure *failure = get_failure (self, index);

  return failure != NULL ? failure->message : NULL;
}

gboolean
exk_delete_result_is_complete (ExkDeleteResult *self)
{
  g_return_val_if_fail (EXK_IS_DELETE_RESULT (self), FALSE);
  return self->failures->len == 0;
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-key-list.h"

/* The API keys of one project, for one account: a GListModel of ExkToken that
 * says only what the server said. Every change is sent first and applied to
 * the list once the server answered; a reload merges the answer into the
 * same objects, so views bound to them keep their state.
 *
 * Loads and changes have separate cancellables: a reload cancels only the
 * reload before it, and a change is cancelled only by exk_key_list_close()
 * (leaving the project, signing out) or by disposing of the list. After
 * closing, nothing is sent any more: a late Undo cannot reach the server with
 * this account's client, nor another account's. */
struct _ExkKeyList
{
  GObject       parent_instance;

  ExkClient    *client;
  ExkProject   *project;
  char         *user_id;
  ExkRotations *rotations;
  ExkHistory   *history;         /* where confirmed changes are recorded, or NULL */

  GPtrArray    *keys;            /* ExkToken, in the server's order */
  GHashTable   *states;          /* id → ExkKeyState */
  GCancellable *reload_cancellable;
  GCancellable *changes_cancellable;
  GError       *error;
  gboolean      loading;
  gboolean      loaded;
  gboolean      closed;
};

static void exk_key_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ExkKeyList, exk_key_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, exk_key_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_PROJECT,
  PROP_LOADING,
  PROP_LOADED,
  PROP_ERROR,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One request about one key. */
typedef struct
{
  char         *id;
  ExkKeyState  *state;
  GCancellable *cancellable;       /* the key's: closing the list or Stop Waiting */
  GCancellable *list_cancellable;
  gulong        list_handler;
  gboolean      disabled;
} KeyOp;

/* The request answered: the key is no longer busy with it, even while the
 * caller still holds the result. */
static void
key_op_release (KeyOp *op)
{
  if (op == NULL || op->state == NULL)
    return;

  exk_key_state_release (op->state);
  g_clear_object (&op->state);
}

static void
key_op_free (KeyOp *op)
{
  key_op_release (op);
  if (op->list_cancellable != NULL)
    g_cancellable_disconnect (op->list_cancellable, op->list_handler);
  g_clear_object (&op->list_cancellable);
  g_clear_object (&op->cancellable);
  g_free (op->id);
  g_free (op);
}

static void
on_list_cancelled (GCancellable *list_cancellable,
                   GCancellable *key_cancellable)
{
  g_cancellable_cancel (key_cancellable);
}

/* GListModel */

static GType
exk_key_list_get_item_type (GListModel *model)
{
  return EXK_TYPE_TOKEN;
}

static guint
exk_key_list_get_n_items (GListModel *model)
{
  return EXK_KEY_LIST (model)->keys->len;
}

static gpointer
exk_key_list_get_item (GListModel *model,
                       guint       position)
{
  ExkKeyList *self = EXK_KEY_LIST (model);

  if (position >= self->keys->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->keys, position));
}

static void
exk_key_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = exk_key_list_get_item_type;
  iface->get_n_items = exk_key_list_get_n_items;
  iface->get_item = exk_key_list_get_item;
}

/* Helpers */

static void
exk_key_list_items_changed (ExkKeyList *self,
                            guint       position,
                            guint       removed,
                            guint       added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
exk_key_list_set_loading (ExkKeyList *self,
                          gboolean    loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
exk_key_list_set_error (ExkKeyList   *self,
                        const GError *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static ExkKeyState *
exk_key_list_ensure_state (ExkKeyList *self,
                           const char *id)
{
  ExkKeyState *state = g_hash_table_lookup (self->states, id);

  if (state == NULL)
    {
      state = exk_key_state_new ();
      g_hash_table_insert (self->states, g_strdup (id), state);
    }

  return state;
}

/* Shows the saved rotations on the keys' states. A link ends when either key
 * is gone after a complete load, or when the old key is disabled. */
static void
exk_key_list_apply_rotations (ExkKeyList *self)
{
  g_autoptr(GHashTable) by_print = NULL;
  g_auto(GStrv) links = NULL;
  g_autoptr(GHashTable) replaces = NULL;
  g_autoptr(GHashTable) replaced_by = NULL;
  const char *project_id = exk_project_get_id (self->project);

  if (self->rotations == NULL || self->closed)
    return;

  by_print = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->keys->len; i++)
    {
      ExkToken *token = g_ptr_array_index (self->keys, i);

      g_hash_table_insert (by_print, exk_rotations_fingerprint (exk_token_get_id (token)), token);
    }

  /* Only a complete list can say that a key is gone. */
  if (self->loaded && self->error == NULL)
    exk_rotations_forget_missing (self->rotations, project_id, by_print);

  replaces = g_hash_table_new (g_str_hash, g_str_equal);
  replaced_by = g_hash_table_new (g_str_hash, g_str_equal);
  links = exk_rotations_dup_links (self->rotations, project_id);
  for (guint i = 0; links[i] != NULL && links[i + 1] != NULL; i += 2)
    {
      ExkToken *new_key = g_hash_table_lookup (by_print, links[i]);
      ExkToken *old_key = g_hash_table_lookup (by_print, links[i + 1]);

      if (new_key == NULL || old_key == NULL)
        continue;

      /* Done: the old key no longer works. */
      if (exk_token_get_is_disabled (old_key))
        {
          exk_rotations_forget_key (self->rotations, project_id, exk_token_get_id (old_key));
          continue;
        }

      g_hash_table_insert (replaces, (gpointer) exk_token_get_id (new_key),
                           (gpointer) exk_token_get_id (old_key));
      g_hash_table_insert (replaced_by, (gpointer) exk_token_get_id (old_key),
                           (gpointer) exk_token_get_id (new_key));
    }

  for (guint i = 0; i < self->keys->len; i++)
    {
      const char *id = exk_token_get_id (g_ptr_array_index (self->keys, i));

      exk_key_state_set_rotation (exk_key_list_ensure_state (self, id),
                                  g_hash_table_lookup (replaces, id),
                                  g_hash_table_lookup (replaced_by, id));
    }
}

static void
exk_key_list_remove_at (ExkKeyList *self,
                        guint       position)
{
  ExkToken *token = g_ptr_array_index (self->keys, position);
  ExkKeyState *state = g_hash_table_lookup (self->states, exk_token_get_id (token));

  /* A view may still hold the state (a request about the key is finishing). */
  if (state != NULL)
    {
      exk_key_state_set_rotation (state, NULL, NULL);
      exk_key_state_set_check (state, EXK_KEY_CHECK_NONE);
      g_hash_table_remove (self->states, exk_token_get_id (token));
    }

  g_ptr_array_remove_index (self->keys, position);
  exk_key_list_items_changed (self, position, 1, 0);
}

static void
exk_key_list_remove_key (ExkKeyList *self,
                         const char *id)
{
  guint position;

  if (exk_key_list_find (self, id, &position) != NULL)
    exk_key_list_remove_at (self, position);

  if (self->rotations != NULL)
    exk_rotations_forget_key (self->rotations, exk_project_get_id (self->project), id);
}

/* Adds @token without telling the views yet: the caller tells them, once
 * for a run of new keys. */
static void
exk_key_list_insert_untold (ExkKeyList *self,
                            guint       position,
                            ExkToken   *token)
{
  g_ptr_array_insert (self->keys, position, g_object_ref (token));
  exk_key_list_ensure_state (self, exk_token_get_id (token));
}

static void
exk_key_list_insert (ExkKeyList *self,
                     guint       position,
                     ExkToken   *token)
{
  exk_key_list_insert_untold (self, position, token);
  exk_key_list_items_changed (self, position, 0, 1);
}

/* Copies @newer into @token, the object the views hold. */
static void
exk_key_list_update_key (ExkKeyList *self,
                         ExkToken   *token,
                         ExkToken   *newer)
{
  gboolean was_disabled = exk_token_get_is_disabled (token);

  exk_token_update_from (token, newer);

  /* A test's result says nothing about the key once it is enabled or disabled. */
  if (was_disabled != exk_token_get_is_disabled (token))
    exk_key_state_set_check (exk_key_list_ensure_state (self, exk_token_get_id (token)),
                             EXK_KEY_CHECK_NONE);
}

/* Makes the list what the server sent, in its order, keeping the objects of
 * keys that were there before. */
static void
exk_key_list_merge (ExkKeyList *self,
                    GPtrArray  *fresh)
{
  g_autoptr(GHashTable) fresh_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) unique = g_ptr_array_new ();
  guint run_start = 0, run_length = 0;

  /* A key listed twice is shown once. */
  for (guint i = 0; i < fresh->len; i++)
    {
      ExkToken *token = g_ptr_array_index (fresh, i);

      if (g_hash_table_add (fresh_ids, (gpointer) exk_token_get_id (token)))
        g_ptr_array_add (unique, token);
    }

  for (guint i = self->keys->len; i > 0; i--)
    {
      ExkToken *token = g_ptr_array_index (self->keys, i - 1);

      if (!g_hash_table_contains (fresh_ids, exk_token_get_id (token)))
        exk_key_list_remove_at (self, i - 1);
    }

  for (guint i = 0; i < self->keys->len; i++)
    {
      ExkToken *token = g_ptr_array_index (self->keys, i);

      g_hash_table_insert (kept, (gpointer) exk_token_get_id (token), token);
    }

  for (guint i = 0; i < unique->len; i++)
    {
      ExkToken *newer = g_ptr_array_index (unique, i);
      ExkToken *existing = i < self->keys->len ? g_ptr_array_index (self->keys, i) : NULL;
      guint position = i;

      /* A key is usually where it was: the list is searched only for the
       * others, so that a reload of many keys stays linear. */
      if (existing == NULL
          || g_strcmp0 (exk_token_get_id (existing), exk_token_get_id (newer)) != 0)
        existing = g_hash_table_lookup (kept, exk_token_get_id (newer)) != NULL
                   ? exk_key_list_find (self, exk_token_get_id (newer), &position)
                   : NULL;

      /* New keys next to each other are told as one change: a first load
       * of 1,000 keys is one addition, not 1,000. */
      if (existing == NULL)
        {
          exk_key_list_insert_untold (self, i, newer);
          if (run_length == 0)
            run_start = i;
          run_length++;
          continue;
        }

      if (run_length > 0)
        {
          exk_key_list_items_changed (self, run_start, 0, run_length);
          run_length = 0;
        }

      if (position != i)
        {
          g_autoptr(ExkToken) moved = g_object_ref (existing);

          g_ptr_array_remove_index (self->keys, position);
          exk_key_list_items_changed (self, position, 1, 0);
          g_ptr_array_insert (self->keys, i, g_object_ref (moved));
          exk_key_list_items_changed (self, i, 0, 1);
        }

      exk_key_list_update_key (self, existing, newer);
    }

  if (run_length > 0)
    exk_key_list_items_changed (self, run_start, 0, run_length);
}

/* A change the server confirmed, for the History page. */
static void
exk_key_list_record (ExkKeyList       *self,
                     ExkHistoryAction  action,
                     ExkToken         *token,
                     const char       *replaced_id)
{
  if (self->history == NULL)
    return;

  if (replaced_id != NULL)
    exk_history_record (self->history, action, exk_project_get_id (self->project),
                        exk_project_get_name (self->project), replaced_id,
                        exk_token_get_id (token), exk_token_get_notes (token));
  else
    exk_history_record (self->history, action, exk_project_get_id (self->project),
                        exk_project_get_name (self->project), exk_token_get_id (token), NULL,
                        exk_token_get_notes (token));
}

/* A change about the key @id (or none, to create one): cancelled by closing
 * the list, or by exk_key_list_stop_waiting() for that key. */
static GTask *
exk_key_list_new_change (ExkKeyList          *self,
                         const char          *id,
                         gpointer             source_tag,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  KeyOp *op;
  GTask *task;

  if (id == NULL)
    {
      task = g_task_new (self, self->changes_cancellable, callback, user_data);
      g_task_set_source_tag (task, source_tag);
      return task;
    }

  op = g_new0 (KeyOp, 1);
  op->id = g_strdup (id);
  op->state = g_object_ref (exk_key_list_ensure_state (self, id));
  op->cancellable = g_object_ref (exk_key_state_hold (op->state));
  op->list_cancellable = g_object_ref (self->changes_cancellable);
  op->list_handler = g_cancellable_connect (op->list_cancellable, G_CALLBACK (on_list_cancelled),
                                            g_object_ref (op->cancellable), g_object_unref);

  task = g_task_new (self, op->cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) key_op_free);

  return task;
}

/* A change cannot start: the list is closed, or the key is not in it. */
static gboolean
exk_key_list_refuse (ExkKeyList *self,
                     GTask      *task,
                     const char *id)
{
  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The key list was closed");
      return TRUE;
    }

  if (id != NULL && exk_key_list_find (self, id, NULL) == NULL)
    {
      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND,
                               _("The key is no longer in the list."));
      return TRUE;
    }

  return FALSE;
}

/* A key that the server says does not exist is taken out of the list. */
static void
exk_key_list_forget_if_gone (ExkKeyList   *self,
                             const char   *id,
                             const GError *error)
{
  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND) && !self->closed)
    exk_key_list_remove_key (self, id);
}

static gboolean
exk_key_list_propagate_boolean (ExkKeyList    *self,
                                GAsyncResult  *result,
                                gpointer       source_tag,
                                GError       **error)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
exk_key_list_propagate_pointer (ExkKeyList    *self,
                                GAsyncResult  *result,
                                gpointer       source_tag,
                                GError       **error)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
exk_key_list_dispose (GObject *object)
{
  ExkKeyList *self = EXK_KEY_LIST (object);

  exk_key_list_close (self);
  if (self->rotations != NULL)
    g_signal_handlers_disconnect_by_data (self->rotations, self);
  g_clear_object (&self->rotations);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (exk_key_list_parent_class)->dispose (object);
}

static void
exk_key_list_finalize (GObject *object)
{
  ExkKeyList *self = EXK_KEY_LIST (object);

  g_clear_object (&self->client);
  g_clear_object (&self->project);
  g_clear_object (&self->reload_cancellable);
  g_clear_object (&self->changes_cancellable);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (exk_key_list_parent_class)->finalize (object);
}

static void
exk_key_list_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ExkKeyList *self = EXK_KEY_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->keys->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_key_list_class_init (ExkKeyListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = exk_key_list_dispose;
  object_class->finalize = exk_key_list_finalize;
  object_class->get_property = exk_key_list_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * ExkKeyList:loading:
   *
   * A reload is running.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkKeyList:loaded:
   *
   * The list was loaded from the server at least once.
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkKeyList:error:
   *
   * Why the last reload failed, or %NULL. The keys of an earlier load stay.
   */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_key_list_init (ExkKeyList *self)
{
  self->keys = g_ptr_array_new_with_free_func (g_object_unref);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->reload_cancellable = g_cancellable_new ();
  self->changes_cancellable = g_cancellable_new ();
}

/* Public API */

/**
 * exk_key_list_new:
 * @client: the signed-in account's client
 * @project: the project whose keys to list
 * @user_id: (nullable): the signed-in user's id, to know which keys they may delete
 * @rotations: (nullable): where the account's rotations are kept
 *
 * Returns: (transfer full): an empty list; call exk_key_list_reload_async()
 */
ExkKeyList *
exk_key_list_new (ExkClient    *client,
                  ExkProject   *project,
                  const char   *user_id,
                  ExkRotations *rotations)
{
  ExkKeyList *self;

  g_return_val_if_fail (EXK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (EXK_IS_PROJECT (project), NULL);
  g_return_val_if_fail (rotations == NULL || EXK_IS_ROTATIONS (rotations), NULL);

  self = g_object_new (EXK_TYPE_KEY_LIST, NULL);
  self->client = g_object_ref (client);
  self->project = g_object_ref (project);
  self->user_id = g_strdup (user_id);
  if (rotations != NULL)
    {
      self->rotations = g_object_ref (rotations);
      g_signal_connect_swapped (rotations, "changed",
                                G_CALLBACK (exk_key_list_apply_rotations), self);
    }

  return self;
}

ExkClient *
exk_key_list_get_client (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  return self->client;
}

ExkProject *
exk_key_list_get_project (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  return self->project;
}

/**
 * exk_key_list_get_rotations:
 *
 * Returns: (transfer none) (nullable): where the account's rotations are kept
 */
ExkRotations *
exk_key_list_get_rotations (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  return self->rotations;
}

gboolean
exk_key_list_get_loading (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), FALSE);

  return self->loading;
}

gboolean
exk_key_list_get_loaded (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), FALSE);

  return self->loaded;
}

/**
 * exk_key_list_get_error:
 *
 * Returns: (nullable): why the last reload failed
 */
const GError *
exk_key_list_get_error (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  return self->error;
}

/**
 * exk_key_list_set_history:
 * @history: (nullable): where to record the changes the server confirms
 */
void
exk_key_list_set_history (ExkKeyList *self,
                          ExkHistory *history)
{
  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (history == NULL || EXK_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

/**
 * exk_key_list_get_history:
 *
 * Returns: (transfer none) (nullable): where the list records confirmed changes
 */
ExkHistory *
exk_key_list_get_history (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  return self->history;
}

gboolean
exk_key_list_get_closed (ExkKeyList *self)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), TRUE);

  return self->closed;
}

/**
 * exk_key_list_find:
 * @position: (out) (optional): where the key is
 *
 * Returns: (transfer none) (nullable): the key with @id
 */
ExkToken *
exk_key_list_find (ExkKeyList *self,
                   const char *id,
                   guint      *position)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < self->keys->len; i++)
    {
      ExkToken *token = g_ptr_array_index (self->keys, i);

      if (g_strcmp0 (exk_token_get_id (token), id) == 0)
        {
          if (position != NULL)
            *position = i;
          return token;
        }
    }

  return NULL;
}

/**
 * exk_key_list_get_state:
 *
 * Returns: (transfer none) (nullable): the state of the key with @id, while it is listed
 */
ExkKeyState *
exk_key_list_get_state (ExkKeyList *self,
                        const char *id)
{
  g_return_val_if_fail (EXK_IS_KEY_LIST (self), NULL);

  if (exk_key_list_find (self, id, NULL) == NULL)
    return NULL;

  return exk_key_list_ensure_state (self, id);
}

/**
 * exk_key_list_can_delete:
 *
 * The server lets only its owner delete a key bound to a user (a legacy
 * user key); every member may delete the others.
 *
 * Returns: %FALSE when @token belongs to another user
 */
gboolean
exk_key_list_can_delete (ExkKeyList *self,
                         ExkToken   *token)
{
  const char *owner;

  g_return_val_if_fail (EXK_IS_KEY_LIST (self), FALSE);
  g_return_val_if_fail (EXK_IS_TOKEN (token), FALSE);

  owner = exk_token_get_user_id (token);

  /* Not knowing who signed in, the server decides. */
  return owner == NULL || self->user_id == NULL || g_str_equal (owner, self->user_id);
}

/* The user no longer wants to see that @id replaces a key or is replaced. */
void
exk_key_list_dismiss_rotation (ExkKeyList *self,
                               const char *id)
{
  g_return_if_fail (EXK_IS_KEY_LIST (self));

  if (self->rotations != NULL && id != NULL)
    exk_rotations_forget_key (self->rotations, exk_project_get_id (self->project), id);
}

/**
 * exk_key_list_stop_waiting:
 *
 * Stops waiting for the server about @id: its running requests finish with
 * %G_IO_ERROR_CANCELLED. The server may have done what was asked all the
 * same; a reload tells.
 */
void
exk_key_list_stop_waiting (ExkKeyList *self,
                           const char *id)
{
  ExkKeyState *state;

  g_return_if_fail (EXK_IS_KEY_LIST (self));

  state = id != NULL ? g_hash_table_lookup (self->states, id) : NULL;
  if (state != NULL)
    exk_key_state_stop_waiting (state);
}

/**
 * exk_key_list_close:
 *
 * Cancels every request of the list and refuses new ones: the user left the
 * project or the account. The keys stay for views that still show them.
 */
void
exk_key_list_close (ExkKeyList *self)
{
  g_return_if_fail (EXK_IS_KEY_LIST (self));

  if (self->closed)
    return;

  self->closed = TRUE;
  g_cancellable_cancel (self->reload_cancellable);
  g_cancellable_cancel (self->changes_cancellable);
  exk_key_list_set_loading (self, FALSE);
}

/* Reload */

static void
on_reloaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyList *self = g_task_get_source_object (task);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(GError) error = NULL;

  keys = exk_client_list_project_tokens_finish (EXK_CLIENT (source), result, &error);

  /* A newer reload (or closing) took over: it owns :loading now. */
  if (g_task_return_error_if_cancelled (task))
    return;

  exk_key_list_set_loading (self, FALSE);

  if (keys == NULL)
    {
      exk_key_list_set_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exk_key_list_merge (self, keys);
  exk_key_list_set_error (self, NULL);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  exk_key_list_apply_rotations (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * exk_key_list_reload_async:
 *
 * Loads the keys again and merges them into the list. Cancels the reload
 * before it, and nothing else.
 */
void
exk_key_list_reload_async (ExkKeyList          *self,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_KEY_LIST (self));

  if (!self->closed)
    {
      g_cancellable_cancel (self->reload_cancellable);
      g_clear_object (&self->reload_cancellable);
      self->reload_cancellable = g_cancellable_new ();
    }

  task = g_task_new (self, self->reload_cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_key_list_reload_async);

  if (exk_key_list_refuse (self, task, NULL))
    return;

  exk_key_list_set_loading (self, TRUE);
  exk_client_list_project_tokens_async (self->client, exk_project_get_id (self->project),
                                        self->reload_cancellable, on_reloaded,
                                        g_steal_pointer (&task));
}

gboolean
exk_key_list_reload_finish (ExkKeyList    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return exk_key_list_propagate_boolean (self, result, exk_key_list_reload_async, error);
}

/* Create and rotate */

static ExkToken *
exk_key_list_add_created (ExkKeyList *self,
                          ExkToken   *created)
{
  ExkToken *token = exk_key_list_find (self, exk_token_get_id (created), NULL);

  if (token != NULL)
    {
      exk_key_list_update_key (self, token, created);
      return token;
    }

  exk_key_list_insert (self, self->keys->len, created);
  return created;
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyList *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(ExkToken) created = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  created = exk_client_create_token_finish (EXK_CLIENT (source), result, &error);
  key_op_release (op);
  /* Made on the server, even when nobody waits for it any more. */
  if (created != NULL)
    exk_key_list_record (self, op != NULL ? EXK_HISTORY_ACTION_REPLACED
                                          : EXK_HISTORY_ACTION_CREATED,
                         created, op != NULL ? op->id : NULL);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (created == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = exk_key_list_add_created (self, created);

  /* In a rotation, the link is kept before anyone is told of the new key. */
  if (op != NULL && self->rotations != NULL)
    {
      exk_rotations_add (self->rotations, exk_project_get_id (self->project),
                         exk_token_get_id (token), op->id);
      exk_key_list_apply_rotations (self);
    }

  g_task_return_pointer (task, g_object_ref (token), g_object_unref);
}

/**
 * exk_key_list_create_async:
 * @scopes: (nullable): the scopes; %NULL for a client key
 * @notes: (nullable): the notes
 * @expires: (nullable): when the key stops working
 *
 * Creates a key and adds it to the list once the server made it. Closing a
 * dialog does not cancel it: the key exists on the server, so it is listed.
 */
void
exk_key_list_create_async (ExkKeyList          *self,
                           const char * const  *scopes,
                           const char          *notes,
                           GDateTime           *expires,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_KEY_LIST (self));

  task = exk_key_list_new_change (self, NULL, exk_key_list_create_async, callback, user_data);
  if (exk_key_list_refuse (self, task, NULL))
    return;

  exk_client_create_token_async (self->client, exk_project_get_id (self->project), scopes, notes,
                                 expires, self->changes_cancellable, on_created,
                                 g_steal_pointer (&task));
}

/**
 * exk_key_list_create_finish:
 *
 * Returns: (transfer full) (nullable): the new key, as it is in the list
 */
ExkToken *
exk_key_list_create_finish (ExkKeyList    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return exk_key_list_propagate_pointer (self, result, exk_key_list_create_async, error);
}

/**
 * exk_key_list_rotate_async:
 * @old_id: the key to replace
 *
 * Creates a replacement for @old_id with its scopes, notes and expiry (none
 * when it has expired: the replacement would fail at once), and remembers
 * the link until the old key is disabled or deleted. The old key keeps
 * working: applications need the new one first.
 */
void
exk_key_list_rotate_async (ExkKeyList          *self,
                           const char          *old_id,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *expires = NULL;
  ExkToken *old_key;

  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (old_id != NULL);

  task = exk_key_list_new_change (self, old_id, exk_key_list_rotate_async, callback, user_data);
  if (exk_key_list_refuse (self, task, old_id))
    return;

  old_key = exk_key_list_find (self, old_id, NULL);
  if (!exk_token_is_expired (old_key, now))
    expires = exk_token_get_expires (old_key);

  /* Read before the task is handed over: arguments are evaluated in any order. */
  cancellable = g_task_get_cancellable (task);
  exk_client_create_token_async (self->client, exk_project_get_id (self->project),
                                 exk_token_get_scopes (old_key), exk_token_get_notes (old_key),
                                 expires, cancellable, on_created,
                                 g_steal_pointer (&task));
}

/**
 * exk_key_list_rotate_finish:
 *
 * Returns: (transfer full) (nullable): the replacement, as it is in the list
 */
ExkToken *
exk_key_list_rotate_finish (ExkKeyList    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return exk_key_list_propagate_pointer (self, result, exk_key_list_rotate_async, error);
}

/* Notes, disable and enable */

static void
on_updated (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyList *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(ExkToken) updated = NULL;
  g_autoptr(GError) error = NULL;
  ExkToken *token;

  if (g_task_get_source_tag (task) == exk_key_list_set_notes_async)
    updated = exk_client_set_token_notes_finish (EXK_CLIENT (source), result, &error);
  else
    updated = exk_client_set_token_disabled_finish (EXK_CLIENT (source), result, &error);
  key_op_release (op);
  if (updated != NULL && g_task_get_source_tag (task) == exk_key_list_set_notes_async)
    exk_key_list_record (self, EXK_HISTORY_ACTION_NOTES_CHANGED, updated, NULL);
  else if (updated != NULL && exk_token_get_is_disabled (updated) == op->disabled)
    exk_key_list_record (self, op->disabled ? EXK_HISTORY_ACTION_DISABLED
                                            : EXK_HISTORY_ACTION_ENABLED, updated, NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (updated == NULL)
    {
      exk_key_list_forget_if_gone (self, op->id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  token = exk_key_list_find (self, op->id, NULL);
  if (token != NULL)
    exk_key_list_update_key (self, token, updated);

  /* The server answers with the key as it now is: a PATCH it ignored is not a success. */
  if (g_task_get_source_tag (task) == exk_key_list_set_disabled_async
      && exk_token_get_is_disabled (updated) != op->disabled)
    {
      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                               op->disabled ? _("The server answered, but the key is still "
                                                "enabled.")
                                            : _("The server answered, but the key is still "
                                                "disabled."));
      return;
    }

  exk_key_list_apply_rotations (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * exk_key_list_set_notes_async:
 * @notes: (nullable): the new notes; %NULL or "" clears them
 */
void
exk_key_list_set_notes_async (ExkKeyList          *self,
                              const char          *id,
                              const char          *notes,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (id != NULL);

  task = exk_key_list_new_change (self, id, exk_key_list_set_notes_async, callback, user_data);
  if (exk_key_list_refuse (self, task, id))
    return;

  /* Read before the task is handed over: arguments are evaluated in any order. */
  cancellable = g_task_get_cancellable (task);
  exk_client_set_token_notes_async (self->client, id, notes, cancellable,
                                    on_updated, g_steal_pointer (&task));
}

gboolean
exk_key_list_set_notes_finish (ExkKeyList    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return exk_key_list_propagate_boolean (self, result, exk_key_list_set_notes_async, error);
}

/**
 * exk_key_list_set_disabled_async:
 *
 * Disables or enables a key. The list changes when the server confirmed it;
 * disabling the old key of a rotation ends the rotation.
 */
void
exk_key_list_set_disabled_async (ExkKeyList          *self,
                                 const char          *id,
                                 gboolean             disabled,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (id != NULL);

  task = exk_key_list_new_change (self, id, exk_key_list_set_disabled_async, callback,
                                  user_data);
  if (exk_key_list_refuse (self, task, id))
    return;

  ((KeyOp *) g_task_get_task_data (task))->disabled = !!disabled;
  /* Read before the task is handed over: arguments are evaluated in any order. */
  cancellable = g_task_get_cancellable (task);
  exk_client_set_token_disabled_async (self->client, id, disabled, cancellable,
                                       on_updated, g_steal_pointer (&task));
}

gboolean
exk_key_list_set_disabled_finish (ExkKeyList    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return exk_key_list_propagate_boolean (self, result, exk_key_list_set_disabled_async, error);
}

/* Delete */

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyList *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autoptr(GError) error = NULL;

  deleted = exk_client_delete_tokens_finish (EXK_CLIENT (source), result, &error);
  key_op_release (op);
  if (deleted != NULL && exk_delete_result_is_complete (deleted))
    {
      ExkToken *token = exk_key_list_find (self, op->id, NULL);

      if (self->history != NULL)
        exk_history_record (self->history, EXK_HISTORY_ACTION_DELETED,
                            exk_project_get_id (self->project),
                            exk_project_get_name (self->project), op->id, NULL,
                            token != NULL ? exk_token_get_notes (token) : NULL);
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (deleted == NULL)
    {
      exk_key_list_forget_if_gone (self, op->id, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!exk_delete_result_is_complete (deleted))
    {
      const char *message = exk_delete_result_get_n_failures (deleted) > 0
                            ? exk_delete_result_get_failure_message (deleted, 0) : NULL;

      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_VALIDATION, "%s",
                               message != NULL ? message
                                               : _("The server refused to delete the key."));
      return;
    }

  exk_key_list_remove_key (self, op->id);
  g_task_return_boolean (task, TRUE);
}

/**
 * exk_key_list_delete_async:
 *
 * Deletes a key on the server, then from the list. A key the server no longer
 * has (%EXK_API_ERROR_NOT_FOUND) leaves the list too.
 */
void
exk_key_list_delete_async (ExkKeyList          *self,
                           const char          *id,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  const char *ids[] = { id, NULL };

  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (id != NULL);

  task = exk_key_list_new_change (self, id, exk_key_list_delete_async, callback, user_data);
  if (exk_key_list_refuse (self, task, id))
    return;

  /* Read before the task is handed over: arguments are evaluated in any order. */
  cancellable = g_task_get_cancellable (task);
  exk_client_delete_tokens_async (self->client, ids, cancellable, on_deleted,
                                  g_steal_pointer (&task));
}

gboolean
exk_key_list_delete_finish (ExkKeyList    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return exk_key_list_propagate_boolean (self, result, exk_key_list_delete_async, error);
}

/* Check */

static ExkKeyCheck
classify_rejection (ExkToken *token)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  if (token == NULL)
    return EXK_KEY_CHECK_REJECTED_UNKNOWN;
  if (exk_token_get_is_disabled (token))
    return EXK_KEY_CHECK_REJECTED_DISABLED;
  if (exk_token_is_expired (token, now))
    return EXK_KEY_CHECK_REJECTED_EXPIRED;
  if (exk_token_get_is_suspended (token))
    return EXK_KEY_CHECK_REJECTED_SUSPENDED;

  return EXK_KEY_CHECK_REJECTED_UNKNOWN;
}

static void
on_checked (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyList *self = g_task_get_source_object (task);
  KeyOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  ExkKeyCheck check;

  if (exk_client_verify_key_finish (EXK_CLIENT (source), result, &error))
    check = EXK_KEY_CHECK_WORKS;
  else if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN))
    check = EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS;   /* valid, without the client scope */
  else if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
    check = classify_rejection (exk_key_list_find (self, op->id, NULL));
  else
    check = EXK_KEY_CHECK_NONE;

  if (g_task_return_error_if_cancelled (task))
    {
      key_op_release (op);
      return;
    }

  exk_key_state_set_check (op->state, check);
  key_op_release (op);

  if (check == EXK_KEY_CHECK_NONE)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, check);
}

/**
 * exk_key_list_check_async:
 *
 * Asks the server whether it accepts the key, the way an application's
 * client would (`projects/config`: nothing is created). The answer is also
 * kept in the key's #ExkKeyState:check.
 */
void
exk_key_list_check_async (ExkKeyList          *self,
                          const char          *id,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  g_return_if_fail (EXK_IS_KEY_LIST (self));
  g_return_if_fail (id != NULL);

  task = exk_key_list_new_change (self, id, exk_key_list_check_async, callback, user_data);
  if (exk_key_list_refuse (self, task, id))
    return;

  exk_key_state_set_check (exk_key_list_ensure_state (self, id), EXK_KEY_CHECK_NONE);
  /* Read before the task is handed over: arguments are evaluated in any order. */
  cancellable = g_task_get_cancellable (task);
  exk_client_verify_key_async (self->client, id, cancellable, on_checked,
                               g_steal_pointer (&task));
}

ExkKeyCheck
exk_key_list_check_finish (ExkKeyList    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize check;

  g_return_val_if_fail (EXK_IS_KEY_LIST (self), EXK_KEY_CHECK_NONE);
  g_return_val_if_fail (g_task_is_valid (result, self), EXK_KEY_CHECK_NONE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_key_list_check_async,
                        EXK_KEY_CHECK_NONE);

  check = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return EXK_KEY_CHECK_NONE;
    }

  return (ExkKeyCheck) check;
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-format.h"
#include "exk-organization-keys.h"

/* Every API key of one organization, as a list model of ExkOrganizationKey,
 * for the "All Keys" page. The keys come from `GET organizations/{id}/tokens`
 * (all pages, a few in flight: the client does that) and the project names
 * from `GET organizations/{id}/projects`; the rows are made on a worker thread
 * and put in the list with one splice, so that 10,000 keys cost the main loop
 * one items-changed.
 *
 * Bulk changes report per key: a key whose change failed keeps the server's
 * reason (exk_organization_key_get_failure()), the others take the server's
 * answer in. Nothing is said to have happened before the server answered. */

/* PATCH requests at a time: enough to go fast, few enough not to flood the server. */
#define MAX_PATCHES_IN_FLIGHT 4

/* Ids per DELETE: 40 characters and a comma each keep a request line under 8 KiB, the
 * default limit of Kestrel (the server Exceptionless runs on); a larger selection is
 * deleted in as few requests as that allows, one after the other. */
#define MAX_DELETE_IDS 150

/* A first list goes in a few rows at a time up to this many, then all the rest: a list view
 * builds the rows around the top (about 200 in GTK 4.8) when they come, and 200 rows of
 * seven cells at once stall the main loop for a tenth of a second or more. */
#define FILL_STEP    48
#define FILL_ROWS    240

struct _ExkOrganizationKeys
{
  GObject       parent_instance;

  ExkClient    *client;
  char         *organization_id;
  GListStore   *store;
  GCancellable *cancellable;       /* everything; cancelled on close */
  GCancellable *load_cancellable;  /* the running load */
  GError       *error;
  GPtrArray    *fill;              /* loaded keys still to put in the list */
  guint         fill_id;
  ExkHistory   *history;          /* where confirmed changes are recorded, or NULL */
  gboolean      loading;
  gboolean      loaded;
  gboolean      closed;
};

static void exk_organization_keys_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ExkOrganizationKeys, exk_organization_keys, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      exk_organization_keys_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_ORGANIZATION_ID,
  PROP_LOADING,
  PROP_LOADED,
  PROP_ERROR,
  PROP_N_KEYS,
  PROP_N_DISABLED,
  PROP_N_FAILED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  ExkOrganizationKeys *self;
  GCancellable        *cancellable;
  GPtrArray           *tokens;
  GPtrArray           *projects;
  GError              *error;
  guint                pending;
} Load;

typedef struct
{
  GPtrArray *tokens;
  GPtrArray *projects;
  GDateTime *now;
} BuildData;

typedef struct
{
  GPtrArray *items;       /* ExkOrganizationKey, in the order asked */
  guint      next;
  guint      in_flight;
  guint      n_failed;
  gboolean   disabled;
} Bulk;

typedef struct
{
  GTask     *task;
  GPtrArray *items;       /* the batch of a DELETE, or the one key of a PATCH */
} Request;

static void
load_free (Load *load)
{
  g_clear_object (&load->self);
  g_clear_object (&load->cancellable);
  g_clear_pointer (&load->tokens, g_ptr_array_unref);
  g_clear_pointer (&load->projects, g_ptr_array_unref);
  g_clear_error (&load->error);
  g_free (load);
}

static void
build_data_free (BuildData *data)
{
  g_clear_pointer (&data->tokens, g_ptr_array_unref);
  g_clear_pointer (&data->projects, g_ptr_array_unref);
  g_clear_pointer (&data->now, g_date_time_unref);
  g_free (data);
}

static void
bulk_free (Bulk *bulk)
{
  g_clear_pointer (&bulk->items, g_ptr_array_unref);
  g_free (bulk);
}

static Request *
request_new (GTask     *task,
             GPtrArray *items)
{
  Request *request = g_new0 (Request, 1);

  request->task = g_object_ref (task);
  request->items = items;
  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->task);
  g_clear_pointer (&request->items, g_ptr_array_unref);
  g_free (request);
}

/* GListModel */

static GType
exk_organization_keys_get_item_type (GListModel *model)
{
  return EXK_TYPE_ORGANIZATION_KEY;
}

static guint
exk_organization_keys_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (EXK_ORGANIZATION_KEYS (model)->store));
}

static gpointer
exk_organization_keys_get_item (GListModel *model,
                                guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (EXK_ORGANIZATION_KEYS (model)->store), position);
}

static void
exk_organization_keys_model_init (GListModelInterface *iface)
{
  iface->get_item_type = exk_organization_keys_get_item_type;
  iface->get_n_items = exk_organization_keys_get_n_items;
  iface->get_item = exk_organization_keys_get_item;
}

/* Helpers */

static void
exk_organization_keys_set_loading (ExkOrganizationKeys *self,
                                   gboolean             loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
exk_organization_keys_notify_counts (ExkOrganizationKeys *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_KEYS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DISABLED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
}

static void
on_store_items_changed (ExkOrganizationKeys *self,
                        guint                position,
                        guint                removed,
                        guint                added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* Every key shown by id, to find the keys of a bulk change in one pass. */
static GHashTable *
exk_organization_keys_index (ExkOrganizationKeys *self)
{
  GListModel *model = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (model);
  GHashTable *index = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      ExkOrganizationKey *key = g_list_model_get_item (model, i);

      g_hash_table_insert (index, (gpointer) exk_organization_key_get_id (key), key);
    }

  return index;
}

static GPtrArray *
exk_organization_keys_lookup (ExkOrganizationKeys *self,
                              const char * const  *ids)
{
  g_autoptr(GHashTable) index = exk_organization_keys_index (self);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; ids[i] != NULL; i++)
    {
      ExkOrganizationKey *key = g_hash_table_lookup (index, ids[i]);

      if (key != NULL && g_hash_table_add (seen, (gpointer) ids[i]))
        g_ptr_array_add (items, g_object_ref (key));
    }

  return items;
}

/* Removes the keys in @gone, one splice per run of neighbours. */
static void
exk_organization_keys_remove (ExkOrganizationKeys *self,
                              GHashTable          *gone)
{
  GListModel *model = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (model);
  guint run_end = 0;   /* one past the last of the run, 0: no run */

  if (g_hash_table_size (gone) == 0)
    return;

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (model, i - 1);
      gboolean remove = g_hash_table_contains (gone, exk_organization_key_get_id (key));

      if (remove && run_end == 0)
        run_end = i;
      else if (!remove && run_end != 0)
        {
          g_list_store_splice (self->store, i, run_end - i, NULL, 0);
          run_end = 0;
        }
    }
  if (run_end != 0)
    g_list_store_splice (self->store, 0, run_end, NULL, 0);
}

/* A whole sentence that names the key and the change that did not happen. */
static char *
describe_failure (ExkOrganizationKey *key,
                  const char         *action,
                  const GError       *error)
{
  g_autofree char *reason = exk_format_error_reason (error);
  const char *prefix = exk_organization_key_get_prefix (key);

  if (g_str_equal (action, "disable"))
    /* Translators: the first %s is a key's prefix ("LhhP1C…"), the second why. */
    return g_strdup_printf (_("Could not disable %s: %s"), prefix, reason);
  if (g_str_equal (action, "enable"))
    /* Translators: the first %s is a key's prefix ("LhhP1C…"), the second why. */
    return g_strdup_printf (_("Could not enable %s: %s"), prefix, reason);
  /* Translators: the first %s is a key's prefix ("LhhP1C…"), the second why. */
  return g_strdup_printf (_("Could not delete %s: %s"), prefix, reason);
}

/* Loading */

static const char *
find_project_name (GHashTable *names,
                   const char *id)
{
  const char *name = id != NULL ? g_hash_table_lookup (names, id) : NULL;

  return name;
}

static void
build_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  BuildData *data = task_data;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (data->tokens->len, g_object_unref);
  g_autofree char *all_projects = g_strdup (_("All projects"));
  g_autofree char *unknown = g_strdup (_("A project you cannot see"));

  for (guint i = 0; i < data->projects->len; i++)
    {
      ExkProject *project = g_ptr_array_index (data->projects, i);

      g_hash_table_insert (names, (gpointer) exk_project_get_id (project),
                           (gpointer) exk_project_get_name (project));
    }

  for (guint i = 0; i < data->tokens->len; i++)
    {
      ExkToken *token = g_ptr_array_index (data->tokens, i);
      const char *project_id = exk_token_get_project_id (token);
      g_autofree char *with_default = NULL;
      const char *project_name;

      if (project_id != NULL)
        {
          project_name = find_project_name (names, project_id);
          if (project_name == NULL)
            project_name = unknown;
        }
      else
        {
          const char *default_name = find_project_name (names,
                                                        exk_token_get_default_project_id (token));

          if (default_name != NULL)
            /* Translators: an organization-wide key's project column; %s is the project
             * its events go to when they do not name one. */
            with_default = g_strdup_printf (_("All projects (default: %s)"), default_name);
          project_name = with_default != NULL ? with_default : all_projects;
        }

      g_ptr_array_add (items, exk_organization_key_new (token, project_name, data->now));

      if ((i & 1023) == 0 && g_task_return_error_if_cancelled (task))
        return;
    }

  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
exk_organization_keys_finish_load (ExkOrganizationKeys *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_clear_error (&self->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  exk_organization_keys_notify_counts (self);
  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  exk_organization_keys_set_loading (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
exk_organization_keys_stop_filling (ExkOrganizationKeys *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->fill, g_ptr_array_unref);
}

/* Adds the next few keys of a first list, or all the rest once the top rows are built. */
static gboolean
on_fill (gpointer data)
{
  ExkOrganizationKeys *self = data;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint n = self->fill->len;

  if (n_shown < FILL_ROWS)
    n = MIN (n, FILL_STEP);
  g_list_store_splice (self->store, n_shown, 0, self->fill->pdata, n);
  g_ptr_array_remove_range (self->fill, 0, n);

  if (self->fill->len > 0)
    return G_SOURCE_CONTINUE;

  self->fill_id = 0;
  g_clear_pointer (&self->fill, g_ptr_array_unref);
  exk_organization_keys_finish_load (self);
  return G_SOURCE_REMOVE;
}

static void
on_items_built (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExkOrganizationKeys *self = EXK_ORGANIZATION_KEYS (source);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint n_old;

  items = g_task_propagate_pointer (G_TASK (result), &error);
  if (items == NULL)
    return;   /* cancelled: a newer load or close took over */

  n_old = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  if (n_old > 0 || items->len <= FILL_STEP)
    {
      /* A reload replaces the list in one go: the rows shown are there already. */
      g_list_store_splice (self->store, 0, n_old, items->pdata, items->len);
      exk_organization_keys_finish_load (self);
      return;
    }

  /* Between frames: paints run at a higher priority than default idles. */
  self->fill = g_steal_pointer (&items);
  on_fill (self);
  self->fill_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_fill, self, NULL);
}

static void
load_part_done (Load *load)
{
  ExkOrganizationKeys *self = load->self;
  g_autoptr(GTask) task = NULL;
  BuildData *data;

  if (--load->pending > 0)
    return;

  if (g_cancellable_is_cancelled (load->cancellable))
    {
      load_free (load);
      return;
    }

  if (load->error != NULL)
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&load->error);
      g_object_freeze_notify (G_OBJECT (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      exk_organization_keys_set_loading (self, FALSE);
      g_object_thaw_notify (G_OBJECT (self));
      load_free (load);
      return;
    }

  data = g_new0 (BuildData, 1);
  data->tokens = g_steal_pointer (&load->tokens);
  data->projects = g_steal_pointer (&load->projects);
  data->now = g_date_time_new_now_utc ();

  task = g_task_new (self, load->cancellable, on_items_built, NULL);
  g_task_set_source_tag (task, load_part_done);
  g_task_set_task_data (task, data, (GDestroyNotify) build_data_free);
  g_task_run_in_thread (task, build_in_thread);
  load_free (load);
}

static void
on_tokens_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Load *load = user_data;
  GError *error = NULL;

  load->tokens = exk_client_list_organization_tokens_finish (EXK_CLIENT (source), result, &error);
  if (error != NULL && load->error == NULL)
    load->error = error;
  else
    g_clear_error (&error);
  load_part_done (load);
}

static void
on_projects_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Load *load = user_data;
  GError *error = NULL;

  load->projects = exk_client_list_organization_projects_finish (EXK_CLIENT (source), result,
                                                                 &error);
  if (error != NULL && load->error == NULL)
    load->error = error;
  else
    g_clear_error (&error);
  load_part_done (load);
}

/* Bulk changes */

static void bulk_patch_next (GTask *task);

/* A change the server confirmed, for the History page. */
static void
exk_organization_keys_record (ExkOrganizationKeys *self,
                              ExkHistoryAction     action,
                              ExkOrganizationKey  *key)
{
  ExkToken *token = exk_organization_key_get_token (key);

  if (self->history == NULL)
    return;

  exk_history_record (self->history, action, exk_token_get_project_id (token),
                      exk_organization_key_get_project_name (key), exk_token_get_id (token),
                      NULL, exk_token_get_notes (token));
}

static void
bulk_finish (GTask *task)
{
  ExkOrganizationKeys *self = g_task_get_source_object (task);
  Bulk *bulk = g_task_get_task_data (task);

  if (bulk->in_flight > 0 || (bulk->next < bulk->items->len
                              && !g_cancellable_is_cancelled (g_task_get_cancellable (task))))
    return;

  exk_organization_keys_notify_counts (self);
  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
}

static void
on_patch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Request *request = user_data;
  GTask *task = request->task;
  ExkOrganizationKeys *self = g_task_get_source_object (task);
  Bulk *bulk = g_task_get_task_data (task);
  ExkOrganizationKey *key = g_ptr_array_index (request->items, 0);
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = exk_client_set_token_disabled_finish (EXK_CLIENT (source), result, &error);
  bulk->in_flight--;
  exk_organization_key_set_busy (key, FALSE);

  if (token != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      exk_organization_key_update (key, token, now);
      exk_organization_keys_record (self, exk_token_get_is_disabled (token)
                                          ? EXK_HISTORY_ACTION_DISABLED
                                          : EXK_HISTORY_ACTION_ENABLED, key);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *failure = describe_failure (key, bulk->disabled ? "disable" : "enable",
                                                   error);

      exk_organization_key_set_failure (key, failure);
      bulk->n_failed++;
    }

  bulk_patch_next (task);
  bulk_finish (task);
  request_free (request);
}

static void
bulk_patch_next (GTask *task)
{
  ExkOrganizationKeys *self = g_task_get_source_object (task);
  Bulk *bulk = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (bulk->in_flight < MAX_PATCHES_IN_FLIGHT && bulk->next < bulk->items->len
         && !g_cancellable_is_cancelled (cancellable))
    {
      ExkOrganizationKey *key = g_ptr_array_index (bulk->items, bulk->next++);
      GPtrArray *one;

      /* Already as asked: nothing to send, nothing that could fail. */
      exk_organization_key_set_failure (key, NULL);
      if (exk_organization_key_get_disabled (key) == bulk->disabled)
        continue;

      one = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (one, g_object_ref (key));
      exk_organization_key_set_busy (key, TRUE);
      bulk->in_flight++;
      exk_client_set_token_disabled_async (self->client, exk_organization_key_get_id (key),
                                           bulk->disabled, cancellable, on_patch_done,
                                           request_new (task, one));
    }
}

static void bulk_delete_next (GTask *task);

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Request *request = user_data;
  GTask *task = request->task;
  ExkOrganizationKeys *self = g_task_get_source_object (task);
  Bulk *bulk = g_task_get_task_data (task);
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) batch = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) gone = g_hash_table_new (g_str_hash, g_str_equal);

  deleted = exk_client_delete_tokens_finish (EXK_CLIENT (source), result, &error);
  bulk->in_flight--;

  for (guint i = 0; i < request->items->len; i++)
    {
      ExkOrganizationKey *key = g_ptr_array_index (request->items, i);

      exk_organization_key_set_busy (key, FALSE);
      g_hash_table_insert (batch, (gpointer) exk_organization_key_get_id (key), key);
    }

  if (deleted == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Nothing was deleted: one reason for the whole request (a single failure comes as
       * one ProblemDetails, "Can only delete tokens created by you."). */
      for (guint i = 0; i < request->items->len; i++)
        {
          ExkOrganizationKey *key = g_ptr_array_index (request->items, i);
          g_autofree char *failure = describe_failure (key, "delete", error);

          exk_organization_key_set_failure (key, failure);
          bulk->n_failed++;
        }
    }
  else if (deleted != NULL)
    {
      const char * const *ids = exk_delete_result_get_deleted (deleted);
      guint n_failures = exk_delete_result_get_n_failures (deleted);

      for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
        {
          ExkOrganizationKey *key = g_hash_table_lookup (batch, ids[i]);

          if (key == NULL)
            continue;
          g_hash_table_add (gone, (gpointer) ids[i]);
          exk_organization_keys_record (self, EXK_HISTORY_ACTION_DELETED, key);
        }

      for (guint i = 0; i < n_failures; i++)
        {
          ExkOrganizationKey *key;
          guint status = exk_delete_result_get_failure_status (deleted, i);
          const char *message = exk_delete_result_get_failure_message (deleted, i);
          g_autoptr(GError) reason = NULL;
          g_autofree char *failure = NULL;

          key = g_hash_table_lookup (batch, exk_delete_result_get_failure_id (deleted, i));
          if (key == NULL)
            continue;

          if (message != NULL)
            reason = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION, message);
          else if (status == 404)
            reason = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND, "");
          else if (status == 403)
            reason = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_FORBIDDEN, "");
          else
            reason = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                                          _("the server refused"));
          failure = describe_failure (key, "delete", reason);
          exk_organization_key_set_failure (key, failure);
          bulk->n_failed++;
        }

      exk_organization_keys_remove (self, gone);
    }

  bulk_delete_next (task);
  bulk_finish (task);
  request_free (request);
}

static void
bulk_delete_next (GTask *task)
{
  ExkOrganizationKeys *self = g_task_get_source_object (task);
  Bulk *bulk = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) ids = NULL;
  GPtrArray *batch;

  if (bulk->in_flight > 0 || bulk->next >= bulk->items->len
      || g_cancellable_is_cancelled (cancellable))
    return;

  ids = g_ptr_array_new ();
  batch = g_ptr_array_new_with_free_func (g_object_unref);
  while (bulk->next < bulk->items->len && batch->len < MAX_DELETE_IDS)
    {
      ExkOrganizationKey *key = g_ptr_array_index (bulk->items, bulk->next++);

      exk_organization_key_set_failure (key, NULL);
      exk_organization_key_set_busy (key, TRUE);
      g_ptr_array_add (batch, g_object_ref (key));
      g_ptr_array_add (ids, (gpointer) exk_organization_key_get_id (key));
    }
  g_ptr_array_add (ids, NULL);

  bulk->in_flight++;
  exk_client_delete_tokens_async (self->client, (const char * const *) ids->pdata, cancellable,
                                  on_delete_done, request_new (task, batch));
}

static GTask *
exk_organization_keys_start_bulk (ExkOrganizationKeys *self,
                                  const char * const  *ids,
                                  gboolean             disabled,
                                  gpointer             source_tag,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Bulk *bulk = g_new0 (Bulk, 1);

  g_task_set_source_tag (task, source_tag);
  bulk->items = exk_organization_keys_lookup (self, ids);
  bulk->disabled = disabled;
  g_task_set_task_data (task, bulk, (GDestroyNotify) bulk_free);

  return task;
}

static gboolean
exk_organization_keys_bulk_finish (ExkOrganizationKeys  *self,
                                   GAsyncResult         *result,
                                   guint                *n_failed,
                                   GError              **error)
{
  Bulk *bulk = g_task_get_task_data (G_TASK (result));

  if (n_failed != NULL)
    *n_failed = bulk->n_failed;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GObject */

static void
exk_organization_keys_dispose (GObject *object)
{
  ExkOrganizationKeys *self = EXK_ORGANIZATION_KEYS (object);

  g_cancellable_cancel (self->cancellable);
  exk_organization_keys_stop_filling (self);

  G_OBJECT_CLASS (exk_organization_keys_parent_class)->dispose (object);
}

static void
exk_organization_keys_finalize (GObject *object)
{
  ExkOrganizationKeys *self = EXK_ORGANIZATION_KEYS (object);

  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_pointer (&self->organization_id, g_free);
  g_clear_object (&self->store);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (exk_organization_keys_parent_class)->finalize (object);
}

static void
exk_organization_keys_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ExkOrganizationKeys *self = EXK_ORGANIZATION_KEYS (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_ORGANIZATION_ID:
      g_value_set_string (value, self->organization_id);
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
    case PROP_N_KEYS:
      g_value_set_uint (value, exk_organization_keys_get_n_keys (self));
      break;
    case PROP_N_DISABLED:
      g_value_set_uint (value, exk_organization_keys_get_n_disabled (self));
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, exk_organization_keys_get_n_failed (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_organization_keys_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ExkOrganizationKeys *self = EXK_ORGANIZATION_KEYS (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_ORGANIZATION_ID:
      self->organization_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_organization_keys_class_init (ExkOrganizationKeysClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = exk_organization_keys_dispose;
  object_class->finalize = exk_organization_keys_finalize;
  object_class->get_property = exk_organization_keys_get_property;
  object_class->set_property = exk_organization_keys_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION_ID] =
    g_param_spec_string ("organization-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, read_flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, read_flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, read_flags);
  properties[PROP_N_KEYS] = g_param_spec_uint ("n-keys", NULL, NULL, 0, G_MAXUINT, 0, read_flags);
  properties[PROP_N_DISABLED] = g_param_spec_uint ("n-disabled", NULL, NULL, 0, G_MAXUINT, 0,
                                                   read_flags);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                                                 read_flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_organization_keys_init (ExkOrganizationKeys *self)
{
  self->store = g_list_store_new (EXK_TYPE_ORGANIZATION_KEY);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed),
                           self, G_CONNECT_SWAPPED);
}

/* Public API */

/**
 * exk_organization_keys_new:
 * @client: the signed-in account's client
 * @organization_id: the organization whose keys to list
 *
 * Makes an empty list; exk_organization_keys_load() fills it.
 */
ExkOrganizationKeys *
exk_organization_keys_new (ExkClient  *client,
                           const char *organization_id)
{
  g_return_val_if_fail (EXK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (organization_id != NULL, NULL);

  return g_object_new (EXK_TYPE_ORGANIZATION_KEYS,
                       "client", client,
                       "organization-id", organization_id,
                       NULL);
}

/**
 * exk_organization_keys_set_history:
 * @history: (nullable): where to record the changes the server confirms
 */
void
exk_organization_keys_set_history (ExkOrganizationKeys *self,
                                   ExkHistory          *history)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS (self));
  g_return_if_fail (history == NULL || EXK_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

ExkClient *
exk_organization_keys_get_client (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), NULL);

  return self->client;
}

const char *
exk_organization_keys_get_organization_id (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), NULL);

  return self->organization_id;
}

gboolean
exk_organization_keys_get_loading (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), FALSE);

  return self->loading;
}

/* Whether a load ever succeeded: the list shows the organization's keys. */
gboolean
exk_organization_keys_get_loaded (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), FALSE);

  return self->loaded;
}

/* Why the last load failed, or NULL. */
const GError *
exk_organization_keys_get_error (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), NULL);

  return self->error;
}

guint
exk_organization_keys_get_n_keys (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->store));
}

static guint
count_keys (ExkOrganizationKeys *self,
            gboolean (*test) (ExkOrganizationKey *key))
{
  GListModel *model = G_LIST_MODEL (self->store);
  guint n = g_list_model_get_n_items (model);
  guint count = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (model, i);

      if (test (key))
        count++;
    }
  return count;
}

static gboolean
has_failure (ExkOrganizationKey *key)
{
  return exk_organization_key_get_failure (key) != NULL;
}

guint
exk_organization_keys_get_n_disabled (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), 0);

  return count_keys (self, exk_organization_key_get_disabled);
}

/* The keys whose last change failed, and say why. */
guint
exk_organization_keys_get_n_failed (ExkOrganizationKeys *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), 0);

  return count_keys (self, has_failure);
}

/**
 * exk_organization_keys_load:
 *
 * Asks the server for every key of the organization and its projects'
 * names, replacing the list when both came. A load already running is
 * dropped. Watch #ExkOrganizationKeys:loading and :error.
 */
void
exk_organization_keys_load (ExkOrganizationKeys *self)
{
  Load *load;

  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS (self));

  if (self->closed)
    return;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  exk_organization_keys_stop_filling (self);
  self->load_cancellable = g_cancellable_new ();
  g_signal_connect_object (self->cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                           self->load_cancellable, G_CONNECT_SWAPPED);

  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->cancellable = g_object_ref (self->load_cancellable);
  load->pending = 2;

  exk_organization_keys_set_loading (self, TRUE);
  exk_client_list_organization_tokens_async (self->client, self->organization_id,
                                             load->cancellable, on_tokens_listed, load);
  exk_client_list_organization_projects_async (self->client, self->organization_id,
                                               EXK_PROJECT_LIST_NONE, load->cancellable,
                                               on_projects_listed, load);
}

/* Stops every request of the list: the page moved on. */
void
exk_organization_keys_close (ExkOrganizationKeys *self)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS (self));

  if (self->closed)
    return;

  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  exk_organization_keys_stop_filling (self);
  exk_organization_keys_set_loading (self, FALSE);
}

/**
 * exk_organization_keys_find:
 * @position: (out) (optional): where the key is
 *
 * Returns: (transfer none) (nullable): the key with @id
 */
ExkOrganizationKey *
exk_organization_keys_find (ExkOrganizationKeys *self,
                            const char          *id,
                            guint               *position)
{
  GListModel *model;
  guint n;

  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  model = G_LIST_MODEL (self->store);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (model, i);

      if (g_str_equal (exk_organization_key_get_id (key), id))
        {
          if (position != NULL)
            *position = i;
          return key;   /* the store keeps it */
        }
    }

  return NULL;
}

/**
 * exk_organization_keys_set_disabled_async:
 * @ids: (array zero-terminated=1): the keys to change; ids the list does not have are skipped
 *
 * Disables or enables keys, one `PATCH tokens/{id}` each, a few at a time. Each key takes
 * the server's answer in, or keeps why it failed.
 */
void
exk_organization_keys_set_disabled_async (ExkOrganizationKeys *self,
                                          const char * const  *ids,
                                          gboolean             disabled,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS (self));
  g_return_if_fail (ids != NULL);

  task = exk_organization_keys_start_bulk (self, ids, !!disabled,
                                           exk_organization_keys_set_disabled_async,
                                           callback, user_data);
  bulk_patch_next (task);
  bulk_finish (task);
}

/**
 * exk_organization_keys_set_disabled_finish:
 * @n_failed: (out) (optional): how many keys kept their state, each with its reason
 *
 * Returns: %TRUE once every key has its answer; %FALSE when the list was closed first
 */
gboolean
exk_organization_keys_set_disabled_finish (ExkOrganizationKeys  *self,
                                           GAsyncResult         *result,
                                           guint                *n_failed,
                                           GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == exk_organization_keys_set_disabled_async, FALSE);

  return exk_organization_keys_bulk_finish (self, result, n_failed, error);
}

/**
 * exk_organization_keys_delete_async:
 * @ids: (array zero-terminated=1): the keys to delete
 *
 * Deletes keys with one `DELETE tokens/{ids}` (more only past MAX_DELETE_IDS). The keys
 * the server deleted leave the list; each that it did not keeps the server's reason.
 */
void
exk_organization_keys_delete_async (ExkOrganizationKeys *self,
                                    const char * const  *ids,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS (self));
  g_return_if_fail (ids != NULL);

  task = exk_organization_keys_start_bulk (self, ids, FALSE, exk_organization_keys_delete_async,
                                           callback, user_data);
  bulk_delete_next (task);
  bulk_finish (task);
}

/**
 * exk_organization_keys_delete_finish:
 * @n_failed: (out) (optional): how many keys were not deleted, each with its reason
 *
 * Returns: %TRUE once the server answered for every key; %FALSE when the list was closed first
 */
gboolean
exk_organization_keys_delete_finish (ExkOrganizationKeys  *self,
                                     GAsyncResult         *result,
                                     guint                *n_failed,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == exk_organization_keys_delete_async, FALSE);

  return exk_organization_keys_bulk_finish (self, result, n_failed, error);
}

/* CSV */

/* RFC 4180 quoting, and no formulas: a spreadsheet runs a cell that starts with = + - @
 * (or a tab or carriage return, which some strip first), so such a cell starts with an
 * apostrophe, which they show as text. Notes are whatever anyone typed. */
static void
append_cell (GString    *csv,
             const char *value)
{
  gboolean formula = value != NULL && value[0] != '\0' && strchr ("=+-@\t\r", value[0]) != NULL;
  gboolean quote;

  if (value == NULL)
    value = "";

  quote = strpbrk (value, ",\"\r\n") != NULL || value[0] == ' '
          || (value[0] != '\0' && value[strlen (value) - 1] == ' ');

  if (quote)
    g_string_append_c (csv, '"');
  if (formula)
    g_string_append_c (csv, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  if (quote)
    g_string_append_c (csv, '"');
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) date = NULL;

  if (unix_time == 0 || (date = g_date_time_new_from_unix_utc (unix_time)) == NULL)
    return g_strdup ("");
  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ");
}

/**
 * exk_organization_keys_to_csv:
 * @keys: (element-type ExkOrganizationKey): the keys, in the order to write them
 *
 * Writes @keys as CSV (RFC 4180, CRLF line ends, UTF-8): the key prefix (never the whole
 * key), project, scopes, notes, created and expiry times (ISO 8601, UTC) and state.
 *
 * Returns: (transfer full): the CSV text
 */
char *
exk_organization_keys_to_csv (GListModel *keys)
{
  const char *header[] = {
    N_("Key prefix"), N_("Project"), N_("Scopes"), N_("Notes"), N_("Created"), N_("Expires"),
    N_("State"),
  };
  GString *csv;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (keys), NULL);

  n = g_list_model_get_n_items (keys);
  csv = g_string_sized_new (96 * (n + 1));

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    {
      if (i > 0)
        g_string_append_c (csv, ',');
      append_cell (csv, _(header[i]));
    }
  g_string_append (csv, "\r\n");

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (keys, i);
      g_autofree char *created = format_time (exk_organization_key_get_created (key));
      g_autofree char *expires = format_time (exk_organization_key_get_expires (key));
      const char *cells[] = {
        exk_organization_key_get_prefix (key),
        exk_organization_key_get_project_name (key),
        exk_organization_key_get_scopes (key),
        exk_organization_key_get_notes (key),
        created,
        expires,
        exk_organization_key_get_state (key),
      };

      for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
        {
          if (c > 0)
            g_string_append_c (csv, ',');
          append_cell (csv, cells[c]);
        }
      g_string_append (csv, "\r\n");
    }

  return g_string_free (csv, FALSE);
}

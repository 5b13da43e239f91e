// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "exk-project-cache.h"

/* The project list of one account, kept between runs so that the sidebar
 * has something to show before the server answers. It holds what the list
 * shows (ids, names, organizations) and nothing secret. The file is named
 * after a hash of the account key, so that no email shows in the cache
 * folder, and is only trusted when this very version of Exkeys wrote it. */
struct _ExkProjectCache
{
  GObject  parent_instance;

  char    *path;
};

G_DEFINE_FINAL_TYPE (ExkProjectCache, exk_project_cache, G_TYPE_OBJECT)

#define CACHE_FORMAT   1
/* Ten thousand projects take about 2 MiB: anything near this is not ours. */
#define CACHE_MAX_SIZE (64 * 1024 * 1024)

static void
free_projects (gpointer data)
{
  g_ptr_array_unref (data);
}

static GPtrArray *
parse_cache (const char  *contents,
             gsize        length,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_object_unref);
  JsonObject *root;
  JsonNode *node;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, contents, (gssize) length, error))
    return NULL;

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a JSON object");
      return NULL;
    }
  root = json_node_get_object (node);

  node = json_object_get_member (root, "format");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) != CACHE_FORMAT)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "unknown format");
      return NULL;
    }

  node = json_object_get_member (root, "version");
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING
      || g_strcmp0 (json_node_get_string (node), PACKAGE_VERSION) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "written by another version");
      return NULL;
    }

  node = json_object_get_member (root, "projects");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "no project list");
      return NULL;
    }
  array = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      ExkProject *project;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "project %u is no object", i);
          return NULL;
        }

      project = exk_project_new_from_json (json_node_get_object (element), error);
      if (project == NULL)
        return NULL;
      g_ptr_array_add (projects, project);
    }

  return g_steal_pointer (&projects);
}

static char *
serialize_projects (GPtrArray *projects,
                    gsize     *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, CACHE_FORMAT);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "projects");
  json_builder_begin_array (builder);
  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *project = g_ptr_array_index (projects, i);
      GDateTime *created = exk_project_get_created (project);

      /* Only what the list shows; stats and anything else are asked for again. */
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, exk_project_get_id (project));
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, exk_project_get_name (project));
      json_builder_set_member_name (builder, "organization_id");
      json_builder_add_string_value (builder, exk_project_get_organization_id (project));
      if (exk_project_get_organization_name (project) != NULL)
        {
          json_builder_set_member_name (builder, "organization_name");
          json_builder_add_string_value (builder, exk_project_get_organization_name (project));
        }
      if (created != NULL)
        {
          g_autofree char *text = g_date_time_format_iso8601 (created);

          json_builder_set_member_name (builder, "created_utc");
          json_builder_add_string_value (builder, text);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, length);
}

static void
exk_project_cache_load_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  ExkProjectCache *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GPtrArray *projects;
  GStatBuf buf;
  gsize length;

  if (g_stat (self->path, &buf) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", self->path, g_strerror (saved_errno));
      return;
    }

  if (buf.st_size > CACHE_MAX_SIZE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s: too large", self->path);
      return;
    }

  if (!g_file_get_contents (self->path, &contents, &length, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* It may have grown since. */
  if (length > CACHE_MAX_SIZE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s: too large", self->path);
      return;
    }

  projects = parse_cache (contents, length, &error);
  if (projects == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "%s: %s", self->path, error->message);
      return;
    }

  g_task_return_pointer (task, projects, free_projects);
}

static void
exk_project_cache_save_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  ExkProjectCache *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (self->path);
  g_autofree char *contents = NULL;
  gsize length;

  contents = serialize_projects (task_data, &length);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s: %s", dir, g_strerror (saved_errno));
      return;
    }

  if (!g_file_set_contents_full (self->path, contents, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
exk_project_cache_finalize (GObject *object)
{
  ExkProjectCache *self = EXK_PROJECT_CACHE (object);

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (exk_project_cache_parent_class)->finalize (object);
}

static void
exk_project_cache_class_init (ExkProjectCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_project_cache_finalize;
}

static void
exk_project_cache_init (ExkProjectCache *self)
{
}

/**
 * exk_project_cache_new:
 * @account_key: the account's key (exk_account_dup_key())
 *
 * Returns: (transfer full): the cache of that account's projects
 */
ExkProjectCache *
exk_project_cache_new (const char *account_key)
{
  ExkProjectCache *self;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (EXK_TYPE_PROJECT_CACHE, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_key, -1);
  name = g_strdup_printf ("projects-%s.json", hash);
  self->path = g_build_filename (g_get_user_cache_dir (), "exkeys", name, NULL);

  return self;
}

const char *
exk_project_cache_get_path (ExkProjectCache *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_CACHE (self), NULL);

  return self->path;
}

/* Reads and checks the file on a worker thread. A missing, foreign or broken
 * file is an error, never a crash: the caller goes on without it. */
void
exk_project_cache_load_async (ExkProjectCache     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_PROJECT_CACHE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_project_cache_load_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, exk_project_cache_load_thread);
}

/**
 * exk_project_cache_load_finish:
 *
 * Returns: (transfer full) (element-type ExkProject): the cached projects
 */
GPtrArray *
exk_project_cache_load_finish (ExkProjectCache  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_project_cache_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Replaces the file, atomically and readable by its owner only, with
 * @projects. The projects are immutable, so the worker may read them. */
void
exk_project_cache_save_async (ExkProjectCache     *self,
                              GPtrArray           *projects,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GPtrArray *copy;

  g_return_if_fail (EXK_IS_PROJECT_CACHE (self));
  g_return_if_fail (projects != NULL);

  copy = g_ptr_array_new_full (projects->len, g_object_unref);
  for (guint i = 0; i < projects->len; i++)
    g_ptr_array_add (copy, g_object_ref (EXK_PROJECT (g_ptr_array_index (projects, i))));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_project_cache_save_async);
  g_task_set_task_data (task, copy, free_projects);
  g_task_run_in_thread (task, exk_project_cache_save_thread);
}

gboolean
exk_project_cache_save_finish (ExkProjectCache  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_project_cache_save_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Deletes the file; a missing file is no error. */
gboolean
exk_project_cache_remove (ExkProjectCache  *self,
                          GError          **error)
{
  g_return_val_if_fail (EXK_IS_PROJECT_CACHE (self), FALSE);

  if (g_unlink (self->path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", self->path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

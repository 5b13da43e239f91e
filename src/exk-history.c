// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "exk-history.h"

/* The changes made from Exkeys with one account, newest first, for the
 * History page: Exceptionless keeps no log of who changed a key. Each change
 * is one JSON line appended to $XDG_DATA_HOME/exkeys/history-<hash>.jsonl
 * (named after a hash of the account key, like the project cache), on a
 * worker thread so that the window never waits for the disk. A line holds a
 * key's first characters, never a key or a token. Lines older than a year
 * are dropped when the history is loaded. A session-only account (the demo)
 * keeps its history in memory. */
struct _ExkHistory
{
  GObject    parent_instance;

  char      *path;            /* NULL: in memory only */
  GPtrArray *entries;         /* of ExkHistoryEntry, newest first */
  gboolean   loaded;
  gboolean   loading;

  /* Lines waiting for the writer, and whether it runs; under @lock. */
  GMutex     lock;
  GCond      written;
  GString   *pending;
  gboolean   writing;

  /* Held by whoever reads or writes the file: the writer and the loader. */
  GMutex     file_lock;
};

static void exk_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ExkHistory, exk_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      exk_history_list_model_init))

/* A year of changes is far below this; a bigger file is read from its end. */
#define HISTORY_MAX_READ (16 * 1024 * 1024)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
exk_history_get_item_type (GListModel *model)
{
  return EXK_TYPE_HISTORY_ENTRY;
}

static guint
exk_history_get_n_items (GListModel *model)
{
  return EXK_HISTORY (model)->entries->len;
}

static gpointer
exk_history_get_item (GListModel *model,
                      guint       position)
{
  ExkHistory *self = EXK_HISTORY (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
exk_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = exk_history_get_item_type;
  iface->get_n_items = exk_history_get_n_items;
  iface->get_item = exk_history_get_item;
}

/* Lines */

static char *
entry_to_line (ExkHistoryEntry *entry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time = g_date_time_format_iso8601 (exk_history_entry_get_time (entry));
  struct { const char *name; const char *value; } members[] = {
    { "time", time },
    { "action", exk_history_action_to_string (exk_history_entry_get_action (entry)) },
    { "project_id", exk_history_entry_get_project_id (entry) },
    { "project", exk_history_entry_get_project_name (entry) },
    { "key", exk_history_entry_get_key_prefix (entry) },
    { "replacement", exk_history_entry_get_replacement_prefix (entry) },
    { "notes", exk_history_entry_get_notes (entry) },
  };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      if (members[i].value == NULL)
        continue;
      json_builder_set_member_name (builder, members[i].name);
      json_builder_add_string_value (builder, members[i].value);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static const char *
get_string (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* One line back into an entry; NULL for anything that is not one of ours. */
static ExkHistoryEntry *
entry_from_line (const char *line,
                 gsize       length)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GDateTime) time = NULL;
  ExkHistoryAction action;
  JsonObject *object;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, line, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);

  if (get_string (object, "time") == NULL || get_string (object, "key") == NULL
      || !exk_history_action_from_string (get_string (object, "action"), &action))
    return NULL;

  time = g_date_time_new_from_iso8601 (get_string (object, "time"), NULL);
  if (time == NULL)
    return NULL;

  return exk_history_entry_new (time, action, get_string (object, "project_id"),
                                get_string (object, "project"), get_string (object, "key"),
                                get_string (object, "replacement"), get_string (object, "notes"));
}

static gboolean
ensure_folder (const char  *path,
               GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", folder, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* Loading */

/* The file's contents, or its last HISTORY_MAX_READ bytes from a whole line on. */
static char *
read_history_file (const char  *path,
                   gsize       *length,
                   GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  goffset size;
  gsize read = 0;

  stream = g_file_read (file, NULL, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, error);
  if (info == NULL)
    return NULL;
  size = g_file_info_get_size (info);

  if (size > HISTORY_MAX_READ
      && !g_seekable_seek (G_SEEKABLE (stream), size - HISTORY_MAX_READ, G_SEEK_SET, NULL,
                           error))
    return NULL;

  contents = g_malloc (MIN (size, HISTORY_MAX_READ) + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), contents, MIN (size, HISTORY_MAX_READ),
                                &read, NULL, error))
    return NULL;
  contents[read] = '\0';

  if (size > HISTORY_MAX_READ)
    {
      char *first_line = memchr (contents, '\n', read);
      gsize skipped = first_line != NULL ? (gsize) (first_line + 1 - contents) : read;

      memmove (contents, contents + skipped, read - skipped + 1);
      read -= skipped;
    }

  *length = read;
  return g_steal_pointer (&contents);
}

static void
free_entries (gpointer data)
{
  g_ptr_array_unref (data);
}

static gint
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  ExkHistoryEntry *entry_a = *(ExkHistoryEntry **) a;
  ExkHistoryEntry *entry_b = *(ExkHistoryEntry **) b;

  return g_date_time_compare (exk_history_entry_get_time (entry_b),
                              exk_history_entry_get_time (entry_a));
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ExkHistory *self = source_object;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) oldest = g_date_time_add_days (now, -EXK_HISTORY_KEEP_DAYS);
  g_autoptr(GString) kept = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gboolean dropped = FALSE;
  gsize length = 0;
  char *line;

  g_mutex_lock (&self->file_lock);

  contents = read_history_file (self->path, &length, &error);
  if (contents == NULL)
    {
      g_mutex_unlock (&self->file_lock);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_pointer (task, g_steal_pointer (&entries), free_entries);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  line = contents;
  while (line < contents + length)
    {
      char *end = memchr (line, '\n', contents + length - line);
      gsize line_length = end != NULL ? (gsize) (end - line) : (gsize) (contents + length - line);
      g_autoptr(ExkHistoryEntry) entry = NULL;

      if (line_length > 0)
        entry = entry_from_line (line, line_length);

      if (entry != NULL && g_date_time_compare (exk_history_entry_get_time (entry), oldest) >= 0)
        {
          g_string_append_len (kept, line, line_length);
          g_string_append_c (kept, '\n');
          g_ptr_array_add (entries, g_steal_pointer (&entry));
        }
      else if (line_length > 0 || end == NULL)
        dropped = TRUE;

      line += line_length + 1;
    }

  /* Old and unreadable lines go; a failed rewrite only means they go next time. */
  if (dropped && !g_file_set_contents_full (self->path, kept->str, kept->len,
                                            G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Could not rewrite the history: %s", error->message);

  g_mutex_unlock (&self->file_lock);

  g_ptr_array_sort (entries, compare_newest_first);
  g_task_return_pointer (task, g_steal_pointer (&entries), free_entries);
}

static void start_writer (ExkHistory *self);

/**
 * exk_history_load_async:
 *
 * Reads the history file on a worker thread and adds its entries after the
 * ones recorded meanwhile. A missing file is an empty history. Recorded
 * changes reach the file only once it was read, so none is read twice.
 */
void
exk_history_load_async (ExkHistory          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_history_load_async);

  /* Loaded, or being loaded by someone else: nothing more to read. */
  if (self->path == NULL || self->loaded || self->loading)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  self->loading = TRUE;
  g_task_set_task_data (task, GINT_TO_POINTER (TRUE), NULL);
  g_task_run_in_thread (task, load_in_thread);
}

gboolean
exk_history_load_finish (ExkHistory    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean reads = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  guint position;

  g_return_val_if_fail (EXK_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  entries = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (!reads)
    return TRUE;

  /* Even an unreadable file must not hold back what is recorded from now on. */
  self->loading = FALSE;
  self->loaded = TRUE;

  if (entries != NULL && entries->len > 0)
    {
      position = self->entries->len;
      g_ptr_array_extend_and_steal (self->entries, g_steal_pointer (&entries));
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0,
                                  self->entries->len - position);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  start_writer (self);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

static void
on_loaded_for_record (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!exk_history_load_finish (EXK_HISTORY (source), result, &error))
    g_warning ("Could not read the history: %s", error->message);
}

/* Writing */

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ExkHistory *self = source_object;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *lines = NULL;
      gsize length;
      int fd;

      g_mutex_lock (&self->lock);
      if (self->pending->len == 0)
        {
          self->writing = FALSE;
          g_cond_broadcast (&self->written);
          g_mutex_unlock (&self->lock);
          break;
        }
      length = self->pending->len;
      lines = g_string_free (g_steal_pointer (&self->pending), FALSE);
      self->pending = g_string_new (NULL);
      g_mutex_unlock (&self->lock);

      g_mutex_lock (&self->file_lock);
      if (ensure_folder (self->path, &error))
        {
          fd = g_open (self->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
          if (fd < 0)
            {
              int saved_errno = errno;

              g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s",
                           g_strerror (saved_errno));
            }
          else
            {
              gsize written = 0;

              while (written < length)
                {
                  gssize n = write (fd, lines + written, length - written);

                  if (n < 0 && errno == EINTR)
                    continue;
                  if (n <= 0)
                    {
                      int saved_errno = errno;

                      g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "%s", g_strerror (saved_errno));
                      break;
                    }
                  written += (gsize) n;
                }
              g_close (fd, NULL);
            }
        }
      g_mutex_unlock (&self->file_lock);

      if (error != NULL)
        g_warning ("Could not add to the history %s: %s", self->path, error->message);
    }

  g_task_return_boolean (task, TRUE);
}

static void
start_writer (ExkHistory *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean start;

  g_mutex_lock (&self->lock);
  start = !self->writing && self->pending->len > 0;
  if (start)
    self->writing = TRUE;
  g_mutex_unlock (&self->lock);

  if (!start)
    return;

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, start_writer);
  g_task_run_in_thread (task, write_in_thread);
}

/**
 * exk_history_record:
 * @project_id: (nullable): the key's project; %NULL for an organization-wide key
 * @project_name: (nullable): its name, as shown
 * @key: the key (only its first characters are kept)
 * @replacement: (nullable): the new key, for the two replace actions (only its
 *   first characters are kept)
 * @notes: (nullable): the key's notes after the change
 *
 * Adds a change the server confirmed: at the top of the list at once, and to
 * the file on a worker thread (after the file was read, which this starts if
 * nobody did).
 */
void
exk_history_record (ExkHistory       *self,
                    ExkHistoryAction  action,
                    const char       *project_id,
                    const char       *project_name,
                    const char       *key,
                    const char       *replacement,
                    const char       *notes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *line = NULL;
  ExkHistoryEntry *entry;

  g_return_if_fail (EXK_IS_HISTORY (self));
  g_return_if_fail (key != NULL);

  entry = exk_history_entry_new (now, action, project_id, project_name, key, replacement, notes);
  g_ptr_array_insert (self->entries, 0, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (self->path == NULL)
    return;

  line = entry_to_line (entry);
  g_mutex_lock (&self->lock);
  g_string_append (self->pending, line);
  g_string_append_c (self->pending, '\n');
  g_mutex_unlock (&self->lock);

  if (self->loaded)
    start_writer (self);
  else if (!self->loading)
    exk_history_load_async (self, NULL, on_loaded_for_record, NULL);
}

/**
 * exk_history_flush:
 *
 * Waits until every change recorded since the file was read is in it (for
 * tests and for quitting).
 */
void
exk_history_flush (ExkHistory *self)
{
  g_return_if_fail (EXK_IS_HISTORY (self));

  g_mutex_lock (&self->lock);
  while (self->writing)
    g_cond_wait (&self->written, &self->lock);
  g_mutex_unlock (&self->lock);
}

/* Object */

static void
exk_history_finalize (GObject *object)
{
  ExkHistory *self = EXK_HISTORY (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  if (self->pending != NULL)
    g_string_free (self->pending, TRUE);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->file_lock);
  g_cond_clear (&self->written);

  G_OBJECT_CLASS (exk_history_parent_class)->finalize (object);
}

static void
exk_history_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ExkHistory *self = EXK_HISTORY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->entries->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_history_class_init (ExkHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_history_finalize;
  object_class->get_property = exk_history_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_history_init (ExkHistory *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->pending = g_string_new (NULL);
  g_mutex_init (&self->lock);
  g_mutex_init (&self->file_lock);
  g_cond_init (&self->written);
}

/**
 * exk_history_new:
 * @account_key: the account's key (exk_account_dup_key())
 *
 * Returns: (transfer full): the account's history, not loaded yet
 */
ExkHistory *
exk_history_new (const char *account_key)
{
  ExkHistory *self;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (EXK_TYPE_HISTORY, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, account_key, -1);
  name = g_strdup_printf ("history-%s.jsonl", hash);
  self->path = g_build_filename (g_get_user_data_dir (), "exkeys", name, NULL);

  return self;
}

/**
 * exk_history_new_memory:
 *
 * Returns: (transfer full): a history kept in memory only, for a session-only account
 */
ExkHistory *
exk_history_new_memory (void)
{
  ExkHistory *self = g_object_new (EXK_TYPE_HISTORY, NULL);

  self->loaded = TRUE;
  return self;
}

/**
 * exk_history_get_path:
 *
 * Returns: (nullable): the file, or %NULL when the history is kept in memory
 */
const char *
exk_history_get_path (ExkHistory *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY (self), NULL);

  return self->path;
}

gboolean
exk_history_get_loaded (ExkHistory *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY (self), FALSE);

  return self->loaded;
}

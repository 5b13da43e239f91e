// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-project-cache.h"
#include "exk-project-sort.h"
#include "exk-search-provider.h"

/* Projects in the Activities overview: GNOME Shell's SearchProvider2
 * interface, answered from the project caches that the signed-in accounts
 * keep for the sidebar (names, organizations and ids; nothing secret), so a
 * search never waits for a server. A cache is read again (on a worker
 * thread, like every read here) only when its file changed; the sidebar
 * replaces it whole, so a search sees the old list or the new one.
 *
 * Result ids are "<account hash>/<project id>": the hash is the one the
 * cache file is named after, so that no email travels through the Shell.
 * Activating a result emits ::activate-project, and "search in the app"
 * ::launch-search; the application opens its window for them. */
struct _ExkSearchProvider
{
  GObject          parent_instance;

  GListModel      *accounts;
  GHashTable      *indexes;        /* account hash → Index */
  GDBusConnection *connection;
  guint            registration;
};

G_DEFINE_FINAL_TYPE (ExkSearchProvider, exk_search_provider, G_TYPE_OBJECT)

enum {
  ACTIVATE_PROJECT,
  LAUNCH_SEARCH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char interface_xml[] =
  "<node>"
  "  <interface name='org.gnome.Shell.SearchProvider2'>"
  "    <method name='GetInitialResultSet'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetSubsearchResultSet'>"
  "      <arg type='as' name='previous_results' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetResultMetas'>"
  "      <arg type='as' name='identifiers' direction='in'/>"
  "      <arg type='aa{sv}' name='metas' direction='out'/>"
  "    </method>"
  "    <method name='ActivateResult'>"
  "      <arg type='s' name='identifier' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='LaunchSearch'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

/* One account's projects, as its cache file held them when last read. */
typedef struct
{
  char      *account_key;
  char      *path;
  guint64    modified;          /* microseconds; 0: never read */
  goffset    size;
  GPtrArray *projects;          /* sorted, with their search text; NULL: none */
  GHashTable *by_id;            /* project id → ExkProject */
} Index;

static void
index_free (gpointer data)
{
  Index *index = data;

  g_free (index->account_key);
  g_free (index->path);
  g_clear_pointer (&index->projects, g_ptr_array_unref);
  g_clear_pointer (&index->by_id, g_hash_table_unref);
  g_free (index);
}

static char *
dup_account_hash (ExkAccount *account)
{
  g_autofree char *key = exk_account_dup_key (account);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strndup (hash, 16);
}

static Index *
exk_search_provider_ensure_index (ExkSearchProvider *self,
                                  ExkAccount        *account)
{
  g_autofree char *hash = dup_account_hash (account);
  Index *index = g_hash_table_lookup (self->indexes, hash);

  if (index == NULL)
    {
      g_autofree char *key = exk_account_dup_key (account);
      g_autoptr(ExkProjectCache) cache = exk_project_cache_new (key);

      index = g_new0 (Index, 1);
      index->account_key = g_steal_pointer (&key);
      index->path = g_strdup (exk_project_cache_get_path (cache));
      g_hash_table_insert (self->indexes, g_steal_pointer (&hash), index);
    }

  return index;
}

static ExkAccount *
exk_search_provider_find_account (ExkSearchProvider *self,
                                  const char        *hash)
{
  guint n = g_list_model_get_n_items (self->accounts);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (self->accounts, i);
      g_autofree char *account_hash = dup_account_hash (account);

      if (g_str_equal (account_hash, hash))
        return g_steal_pointer (&account);
    }

  return NULL;
}

/* Refreshing the indexes: a stat per account, a read per changed file. */

typedef struct
{
  ExkSearchProvider *provider;
  Index             *index;
  GTask             *task;        /* the refresh this read belongs to */
  guint64            modified;
  goffset            size;
} Read;

typedef struct
{
  guint pending;
} Refresh;

static void
refresh_step_done (GTask *task)
{
  Refresh *refresh = g_task_get_task_data (task);

  if (--refresh->pending == 0)
    g_task_return_boolean (task, TRUE);
}

static void
on_cache_sorted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GTask) task = read->task;
  g_autoptr(GPtrArray) sorted = exk_project_sort_finish (result, NULL);

  /* Kept only if the file is still the one read: a newer read may have won. */
  if (sorted != NULL && read->modified >= read->index->modified)
    {
      GHashTable *by_id = g_hash_table_new (g_str_hash, g_str_equal);

      for (guint i = 0; i < sorted->len; i++)
        g_hash_table_insert (by_id, (gpointer) exk_project_get_id (sorted->pdata[i]),
                             sorted->pdata[i]);

      g_clear_pointer (&read->index->projects, g_ptr_array_unref);
      g_clear_pointer (&read->index->by_id, g_hash_table_unref);
      read->index->projects = g_steal_pointer (&sorted);
      read->index->by_id = by_id;
      read->index->modified = read->modified;
      read->index->size = read->size;
    }

  g_object_unref (read->provider);
  g_free (read);
  refresh_step_done (task);
}

static void
on_cache_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GPtrArray) projects = NULL;
  g_autoptr(GError) error = NULL;

  projects = exk_project_cache_load_finish (EXK_PROJECT_CACHE (source), result, &error);
  if (projects == NULL)
    {
      /* Unreadable just now: what was read before still answers. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("Search: project cache not read: %s", error->message);
      else
        {
          g_clear_pointer (&read->index->projects, g_ptr_array_unref);
          g_clear_pointer (&read->index->by_id, g_hash_table_unref);
          read->index->modified = 0;
        }

      refresh_step_done (read->task);
      g_object_unref (read->task);
      g_object_unref (read->provider);
      g_free (read);
      return;
    }

  exk_project_sort_async (projects, NULL, on_cache_sorted, read);
}

static void
on_cache_stat (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, NULL);
  g_autoptr(ExkProjectCache) cache = NULL;

  if (info == NULL)
    {
      /* No cache (signed out, or never loaded): no projects. */
      g_clear_pointer (&read->index->projects, g_ptr_array_unref);
      g_clear_pointer (&read->index->by_id, g_hash_table_unref);
      read->index->modified = 0;
      refresh_step_done (read->task);
      g_object_unref (read->task);
      g_object_unref (read->provider);
      g_free (read);
      return;
    }

  read->modified =
    g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC
    + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  read->size = g_file_info_get_size (info);

  if (read->index->projects != NULL && read->modified == read->index->modified
      && read->size == read->index->size)
    {
      refresh_step_done (read->task);
      g_object_unref (read->task);
      g_object_unref (read->provider);
      g_free (read);
      return;
    }

  cache = exk_project_cache_new (read->index->account_key);
  exk_project_cache_load_async (cache, NULL, on_cache_loaded, read);
}

/* Reads again the caches that changed since the last search. */
static void
exk_search_provider_refresh_async (ExkSearchProvider   *self,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  guint n = g_list_model_get_n_items (self->accounts);
  Refresh *refresh = g_new0 (Refresh, 1);

  g_task_set_source_tag (task, exk_search_provider_refresh_async);
  g_task_set_task_data (task, refresh, g_free);

  /* One step for the loop itself, so that the task cannot end inside it. */
  refresh->pending = 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (self->accounts, i);
      g_autoptr(GFile) file = NULL;
      Read *read = g_new0 (Read, 1);

      read->provider = g_object_ref (self);
      read->index = exk_search_provider_ensure_index (self, account);
      read->task = g_object_ref (task);
      refresh->pending++;

      file = g_file_new_for_path (read->index->path);
      g_file_query_info_async (file,
                               G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                               G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC ","
                               G_FILE_ATTRIBUTE_STANDARD_SIZE,
                               G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, NULL, on_cache_stat,
                               read);
    }

  refresh_step_done (task);
}

/* Searching */

static char **
fold_terms (const char * const *terms)
{
  g_autoptr(GPtrArray) folded = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (terms[i]));

      if (*stripped != '\0')
        g_ptr_array_add (folded, g_utf8_casefold (stripped, -1));
    }
  g_ptr_array_add (folded, NULL);

  return (char **) g_ptr_array_free (g_steal_pointer (&folded), FALSE);
}

static gboolean
matches_all (ExkProject          *project,
             const char * const  *folded_terms)
{
  for (guint i = 0; folded_terms[i] != NULL; i++)
    if (!exk_project_matches_search (project, folded_terms[i]))
      return FALSE;

  return TRUE;
}

static gboolean
name_starts_with (ExkProject *project,
                  const char *folded_term)
{
  g_autofree char *name = g_utf8_casefold (exk_project_get_name (project), -1);

  return g_str_has_prefix (name, folded_term);
}

/* The matching results among @candidates (ids), or among every project when
 * @candidates is %NULL: names that start with the first term come first. */
static GVariant *
exk_search_provider_search (ExkSearchProvider  *self,
                            const char * const *candidates,
                            const char * const *terms)
{
  g_auto(GStrv) folded = fold_terms (terms);
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rest = g_ptr_array_new_with_free_func (g_free);
  GVariantBuilder builder;
  GHashTableIter iter;
  gpointer hash, value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("as"));
  if (folded[0] == NULL)
    return g_variant_new ("(as)", &builder);

  g_hash_table_iter_init (&iter, self->indexes);
  while (g_hash_table_iter_next (&iter, &hash, &value))
    {
      Index *index = value;

      if (index->projects == NULL)
        continue;

      for (guint i = 0; i < index->projects->len
           && first->len < EXK_SEARCH_PROVIDER_MAX_RESULTS; i++)
        {
          ExkProject *project = index->projects->pdata[i];
          char *id;

          if (!matches_all (project, (const char * const *) folded))
            continue;

          id = g_strconcat (hash, "/", exk_project_get_id (project), NULL);
          if (candidates != NULL && !g_strv_contains (candidates, id))
            {
              g_free (id);
              continue;
            }

          g_ptr_array_add (name_starts_with (project, folded[0]) ? first : rest, id);
        }
    }

  for (guint i = 0; i < first->len && i < EXK_SEARCH_PROVIDER_MAX_RESULTS; i++)
    g_variant_builder_add (&builder, "s", first->pdata[i]);
  for (guint i = 0; i < rest->len && first->len + i < EXK_SEARCH_PROVIDER_MAX_RESULTS; i++)
    g_variant_builder_add (&builder, "s", rest->pdata[i]);

  return g_variant_new ("(as)", &builder);
}

static ExkProject *
exk_search_provider_lookup (ExkSearchProvider  *self,
                            const char         *result_id,
                            char              **hash_out)
{
  const char *slash = strchr (result_id, '/');
  g_autofree char *hash = NULL;
  Index *index;

  if (slash == NULL)
    return NULL;

  hash = g_strndup (result_id, slash - result_id);
  index = g_hash_table_lookup (self->indexes, hash);
  if (index == NULL || index->by_id == NULL)
    return NULL;

  if (hash_out != NULL)
    *hash_out = g_steal_pointer (&hash);
  return g_hash_table_lookup (index->by_id, slash + 1);
}

static GVariant *
exk_search_provider_get_metas (ExkSearchProvider  *self,
                               const char * const *ids)
{
  GVariantBuilder metas;
  guint n_accounts = 0;
  GHashTableIter iter;
  gpointer value;

  /* With more than one account, each result also says which server it is on. */
  g_hash_table_iter_init (&iter, self->indexes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Index *) value)->projects != NULL)
      n_accounts++;

  g_variant_builder_init (&metas, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autofree char *hash = NULL;
      ExkProject *project = exk_search_provider_lookup (self, ids[i], &hash);
      g_autofree char *description = NULL;
      GVariantBuilder meta;

      if (project == NULL)
        continue;

      if (n_accounts > 1)
        {
          g_autoptr(ExkAccount) account = exk_search_provider_find_account (self, hash);

          if (account != NULL)
            /* Translators: an organization's name, then the server it is on */
            description = g_strdup_printf (C_("search result", "%1$s — %2$s"),
                                           exk_project_get_organization_name (project),
                                           exk_account_get_server_host (account));
        }
      if (description == NULL)
        description = g_strdup (exk_project_get_organization_name (project));

      g_variant_builder_init (&meta, G_VARIANT_TYPE ("a{sv}"));
      g_variant_builder_add (&meta, "{sv}", "id", g_variant_new_string (ids[i]));
      g_variant_builder_add (&meta, "{sv}", "name",
                             g_variant_new_string (exk_project_get_name (project)));
      g_variant_builder_add (&meta, "{sv}", "description",
                             g_variant_new_string (description != NULL ? description : ""));
      g_variant_builder_add (&meta, "{sv}", "gicon", g_variant_new_string (APPLICATION_ID));
      g_variant_builder_add_value (&metas, g_variant_builder_end (&meta));
    }

  return g_variant_new ("(aa{sv})", &metas);
}

/* D-Bus */

typedef struct
{
  GDBusMethodInvocation *invocation;
  char                 **candidates;
  char                 **terms;
} Query;

static void
query_free (Query *query)
{
  g_clear_object (&query->invocation);
  g_strfreev (query->candidates);
  g_strfreev (query->terms);
  g_free (query);
}

static void
on_refreshed (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ExkSearchProvider *self = EXK_SEARCH_PROVIDER (source);
  Query *query = user_data;
  const char *method = g_dbus_method_invocation_get_method_name (query->invocation);
  GVariant *answer;

  g_task_propagate_boolean (G_TASK (result), NULL);

  if (g_str_equal (method, "GetResultMetas"))
    answer = exk_search_provider_get_metas (self, (const char * const *) query->candidates);
  else
    answer = exk_search_provider_search (self, (const char * const *) query->candidates,
                                         (const char * const *) query->terms);

  g_dbus_method_invocation_return_value (query->invocation, answer);
  query_free (query);
}

static void
handle_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  ExkSearchProvider *self = user_data;
  Query *query;

  if (g_str_equal (method_name, "ActivateResult"))
    {
      const char *id;
      g_autofree char *hash = NULL;
      g_autoptr(GVariant) terms = NULL;
      guint32 timestamp;
      ExkProject *project;

      g_variant_get (parameters, "(&s@asu)", &id, &terms, &timestamp);
      project = exk_search_provider_lookup (self, id, &hash);
      if (project != NULL)
        {
          g_autoptr(ExkAccount) account = exk_search_provider_find_account (self, hash);

          if (account != NULL)
            g_signal_emit (self, signals[ACTIVATE_PROJECT], 0, account, project, timestamp);
        }
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  if (g_str_equal (method_name, "LaunchSearch"))
    {
      g_autofree const char **terms = NULL;
      g_autofree char *text = NULL;
      guint32 timestamp;

      g_variant_get (parameters, "(^a&su)", &terms, &timestamp);
      text = g_strjoinv (" ", (char **) terms);
      g_signal_emit (self, signals[LAUNCH_SEARCH], 0, text, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
      return;
    }

  query = g_new0 (Query, 1);
  query->invocation = g_object_ref (invocation);
  if (g_str_equal (method_name, "GetInitialResultSet"))
    g_variant_get (parameters, "(^as)", &query->terms);
  else if (g_str_equal (method_name, "GetSubsearchResultSet"))
    g_variant_get (parameters, "(^as^as)", &query->candidates, &query->terms);
  else
    g_variant_get (parameters, "(^as)", &query->candidates);

  exk_search_provider_refresh_async (self, on_refreshed, query);
}

static const GDBusInterfaceVTable vtable = { handle_method_call, NULL, NULL, { 0 } };

/**
 * exk_search_provider_register:
 *
 * Exports org.gnome.Shell.SearchProvider2 at @object_path on @connection.
 */
gboolean
exk_search_provider_register (ExkSearchProvider  *self,
                              GDBusConnection    *connection,
                              const char         *object_path,
                              GError            **error)
{
  g_autoptr(GDBusNodeInfo) info = NULL;

  g_return_val_if_fail (EXK_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (self->registration == 0, FALSE);

  info = g_dbus_node_info_new_for_xml (interface_xml, error);
  if (info == NULL)
    return FALSE;

  self->registration = g_dbus_connection_register_object (connection, object_path,
                                                          info->interfaces[0], &vtable, self,
                                                          NULL, error);
  if (self->registration == 0)
    return FALSE;

  g_set_object (&self->connection, connection);
  return TRUE;
}

void
exk_search_provider_unregister (ExkSearchProvider *self)
{
  g_return_if_fail (EXK_IS_SEARCH_PROVIDER (self));

  if (self->registration != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration);
  self->registration = 0;
  g_clear_object (&self->connection);
}

static void
exk_search_provider_dispose (GObject *object)
{
  ExkSearchProvider *self = EXK_SEARCH_PROVIDER (object);

  exk_search_provider_unregister (self);

  G_OBJECT_CLASS (exk_search_provider_parent_class)->dispose (object);
}

static void
exk_search_provider_finalize (GObject *object)
{
  ExkSearchProvider *self = EXK_SEARCH_PROVIDER (object);

  g_clear_object (&self->accounts);
  g_clear_pointer (&self->indexes, g_hash_table_unref);

  G_OBJECT_CLASS (exk_search_provider_parent_class)->finalize (object);
}

static void
exk_search_provider_class_init (ExkSearchProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = exk_search_provider_dispose;
  object_class->finalize = exk_search_provider_finalize;

  /**
   * ExkSearchProvider::activate-project:
   * @account: the account the project belongs to
   * @project: the project, as the account's cache has it
   * @timestamp: the Shell's event time, for presenting the window
   */
  signals[ACTIVATE_PROJECT] = g_signal_new ("activate-project", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 3, EXK_TYPE_ACCOUNT, EXK_TYPE_PROJECT,
                                            G_TYPE_UINT);
  /**
   * ExkSearchProvider::launch-search:
   * @text: the search terms, joined by spaces
   * @timestamp: the Shell's event time
   */
  signals[LAUNCH_SEARCH] = g_signal_new ("launch-search", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
exk_search_provider_init (ExkSearchProvider *self)
{
  self->indexes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, index_free);
}

/**
 * exk_search_provider_new:
 * @accounts: the accounts (ExkAccount) whose project caches are searched
 */
ExkSearchProvider *
exk_search_provider_new (GListModel *accounts)
{
  ExkSearchProvider *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (accounts), NULL);

  self = g_object_new (EXK_TYPE_SEARCH_PROVIDER, NULL);
  self->accounts = g_object_ref (accounts);

  return self;
}

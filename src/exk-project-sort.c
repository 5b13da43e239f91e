// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-project-sort.h"

/* The project list's order and its search, prepared on a worker thread: collation keys and
 * case-folded names for 10,000 projects take tens of milliseconds, which the main loop must
 * not spend. The list is sorted by name (ignoring case, in the user's collation order), then
 * by organization name, then by id, so that equal names keep one order across starts.
 *
 * Each project gets its case-folded search text ("name\norganization") as object data, so
 * that a keystroke in the search costs one strstr() per project. */

typedef struct
{
  ExkProject *project;
  char       *name_key;
  char       *organization_key;
} SortEntry;

static GQuark
search_text_quark (void)
{
  return g_quark_from_static_string ("exk-project-search-text");
}

static char *
collate_key (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text != NULL ? text : "", -1);

  return g_utf8_collate_key (folded, -1);
}

static char *
make_search_text (ExkProject *project)
{
  const char *name = exk_project_get_name (project);
  const char *organization = exk_project_get_organization_name (project);
  g_autofree char *text = g_strconcat (name != NULL ? name : "", "\n",
                                       organization != NULL ? organization : "", NULL);

  return g_utf8_casefold (text, -1);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SortEntry *x = a, *y = b;
  int order;

  order = strcmp (x->name_key, y->name_key);
  if (order == 0)
    order = strcmp (x->organization_key, y->organization_key);
  if (order == 0)
    order = g_strcmp0 (exk_project_get_id (x->project), exk_project_get_id (y->project));
  return order;
}

static void
sort_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GPtrArray *projects = task_data;
  g_autoptr(GArray) entries = g_array_sized_new (FALSE, FALSE, sizeof (SortEntry), projects->len);
  GPtrArray *sorted;

  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *project = projects->pdata[i];
      SortEntry entry = {
        project,
        collate_key (exk_project_get_name (project)),
        collate_key (exk_project_get_organization_name (project)),
      };

      if (g_object_get_qdata (G_OBJECT (project), search_text_quark ()) == NULL)
        g_object_set_qdata_full (G_OBJECT (project), search_text_quark (),
                                 make_search_text (project), g_free);
      g_array_append_val (entries, entry);

      if ((i & 1023) == 0 && g_task_return_error_if_cancelled (task))
        goto out;
    }

  g_array_sort (entries, compare_entries);

  sorted = g_ptr_array_new_full (entries->len, g_object_unref);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (sorted, g_object_ref (g_array_index (entries, SortEntry, i).project));
  g_task_return_pointer (task, sorted, (GDestroyNotify) g_ptr_array_unref);

out:
  for (guint i = 0; i < entries->len; i++)
    {
      g_free (g_array_index (entries, SortEntry, i).name_key);
      g_free (g_array_index (entries, SortEntry, i).organization_key);
    }
}

/**
 * exk_project_sort_async:
 * @projects: (element-type ExkProject): projects that no other thread changes
 *
 * Sorts @projects on a worker thread into a new array, and prepares each for
 * exk_project_matches_search().
 */
void
exk_project_sort_async (GPtrArray           *projects,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (projects != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_project_sort_async);
  g_task_set_task_data (task, g_ptr_array_ref (projects), (GDestroyNotify) g_ptr_array_unref);
  g_task_run_in_thread (task, sort_in_thread);
}

/**
 * exk_project_sort_finish:
 *
 * Returns: (transfer full) (element-type ExkProject): the projects, sorted
 */
GPtrArray *
exk_project_sort_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * exk_project_matches_search:
 * @search_key: a search, case-folded with g_utf8_casefold()
 *
 * Whether @search_key is part of @project's name or organization name,
 * ignoring case.
 */
gboolean
exk_project_matches_search (ExkProject *project,
                            const char *search_key)
{
  const char *text;

  g_return_val_if_fail (EXK_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (search_key != NULL, FALSE);

  text = g_object_get_qdata (G_OBJECT (project), search_text_quark ());
  if (text == NULL)
    {
      /* Not prepared by a sort: prepared now, once. */
      char *made = make_search_text (project);

      g_object_set_qdata_full (G_OBJECT (project), search_text_quark (), made, g_free);
      text = made;
    }

  return strstr (text, search_key) != NULL;
}

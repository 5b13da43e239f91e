// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-key-finder.h"
#include "exk-project-cache.h"
#include "exk-project-sidebar-private.h"
#include "exk-project-sort.h"
#include "exk-secret-text.h"

/* Every project of the account, across organizations: loaded page by page by
 * the client, sorted by name on a worker thread (exk-project-sort.c),
 * filtered as the user types. The main loop only ever does one pass over the
 * sorted projects (a strstr() each) and one splice of the visible list, which
 * the list view answers by keeping the rows of the projects that stay.
 *
 * The account's cached list shows at once while the server is asked
 * (stale-while-revalidate); the server's answer is then merged into the list
 * in place, so that the selection, the scroll position and the search stay. */
struct _ExkProjectSidebar
{
  GtkBox              parent_instance;

  ExkClient          *client;
  ExkProjectCache    *cache;
  GCancellable       *cancellable;
  GCancellable       *cache_cancellable;
  GPtrArray          *projects;      /* every project, sorted */
  GListStore         *visible;       /* those the search and organization let through */
  GtkSingleSelection *selection;
  ExkProject         *selected_project;
  char               *pending_project_id;
  char               *search_key;
  GPtrArray          *organization_ids;   /* parallel to the dropdown; [0] = all */
  gboolean            selecting;
  gboolean            listing_organizations;
  gboolean            list_is_cached;  /* the list belongs to self->cache's account */
  GPtrArray          *fill;            /* results still to add to the list */
  guint               fill_id;
  gboolean            loading;
  gboolean            refreshing;    /* the cached list shows, the server is asked */
  gboolean            failed;        /* the last load failed, and no list shows */

  GtkRevealer        *find_key_revealer;
  GtkRevealer        *organization_revealer;
  GtkLabel           *organization_label;
  GtkWidget          *all_keys_button;
  GtkRevealer        *refresh_failed_revealer;
  GtkLabel           *refresh_failed_label;
  GtkRevealer        *refreshing_revealer;
  GtkSpinner         *refreshing_spinner;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkDropDown        *organization_dropdown;
  GtkStringList      *organization_names;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  GtkLinkButton      *website_button;
  GtkListView        *list_view;
};

G_DEFINE_FINAL_TYPE (ExkProjectSidebar, exk_project_sidebar, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_SELECTED_PROJECT,
  PROP_SEARCH_MODE,
  PROP_LOADING,
  PROP_REFRESHING,
  PROP_FAILED,
  N_PROPS
};

enum {
  PROJECT_ACTIVATED,
  LOAD_FAILED,
  FIND_KEY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The organization the list is narrowed to, or %NULL for all. */
const char *
exk_project_sidebar_get_organization_filter (ExkProjectSidebar *self)
{
  guint org = gtk_drop_down_get_selected (self->organization_dropdown);

  if (org != GTK_INVALID_LIST_POSITION && org > 0 && org < self->organization_ids->len)
    return g_ptr_array_index (self->organization_ids, org);
  return NULL;
}

static void
exk_project_sidebar_update_state (ExkProjectSidebar *self)
{
  const char *page;

  if (self->loading)
    page = "loading";
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0
           && self->projects->len == 0)
    page = "error";
  else if (self->projects->len == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->visible)) == 0)
    page = "no-results";
  else
    page = "list";

  gtk_spinner_set_spinning (self->spinner, self->loading);
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_spinner_set_spinning (self->refreshing_spinner, self->refreshing);
  gtk_revealer_set_reveal_child (self->refreshing_revealer, self->refreshing);
}

static void
exk_project_sidebar_set_loading (ExkProjectSidebar *self,
                                 gboolean           loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  exk_project_sidebar_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
exk_project_sidebar_set_refreshing (ExkProjectSidebar *self,
                                    gboolean           refreshing)
{
  if (self->refreshing == refreshing)
    return;

  self->refreshing = refreshing;
  exk_project_sidebar_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESHING]);
}

static void
exk_project_sidebar_set_failed (ExkProjectSidebar *self,
                                gboolean           failed)
{
  if (self->failed == failed)
    return;

  self->failed = failed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
}

/* Says that the list shown may be out of date, or stops saying it (@error NULL). */
static void
exk_project_sidebar_show_refresh_failed (ExkProjectSidebar *self,
                                         const GError      *error)
{
  if (error != NULL)
    {
      /* Translators: %s is why, a whole sentence. */
      g_autofree char *text = g_strdup_printf (_("The projects could not be updated. %s"),
                                               error->message);

      gtk_label_set_text (self->refresh_failed_label, text);
    }
  gtk_revealer_set_reveal_child (self->refresh_failed_revealer, error != NULL);
}

/* The organization chosen in the search bar stays visible when the bar is closed. */
static void
exk_project_sidebar_update_organization_filter (ExkProjectSidebar *self)
{
  guint selected = gtk_drop_down_get_selected (self->organization_dropdown);
  const char *organization_id = exk_project_sidebar_get_organization_filter (self);

  if (organization_id != NULL)
    {
      gtk_label_set_text (self->organization_label,
                          gtk_string_list_get_string (self->organization_names, selected));
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->all_keys_button), "s",
                                        organization_id);
    }
  gtk_revealer_set_reveal_child (self->organization_revealer, organization_id != NULL);
}

static void
exk_project_sidebar_set_selected (ExkProjectSidebar *self,
                                  ExkProject        *project)
{
  if (g_set_object (&self->selected_project, project))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_PROJECT]);
}

/* Selects the project with @id in the visible list; %FALSE when it is not there. */
static gboolean
exk_project_sidebar_select_visible (ExkProjectSidebar *self,
                                    const char        *id)
{
  GListModel *model = G_LIST_MODEL (self->visible);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (model, i);

      if (g_strcmp0 (exk_project_get_id (project), id) == 0)
        {
          self->selecting = TRUE;
          gtk_single_selection_set_selected (self->selection, i);
          self->selecting = FALSE;
          exk_project_sidebar_set_selected (self, project);
          return TRUE;
        }
    }

  return FALSE;
}

/* GtkListView builds a row for each item around the visible ones (about 200 in
 * GTK 4.8), each taking a fraction of a millisecond: a new list is given to it
 * a few rows per main-loop turn, so that a frame is drawn between them, and
 * the rest, which gets no rows, at once. */
#define ROWS_PER_TURN 32
#define ROWS_BUILT    256

static void
exk_project_sidebar_stop_filling (ExkProjectSidebar *self)
{
  g_clear_handle_id (&self->fill_id, g_source_remove);
  g_clear_pointer (&self->fill, g_ptr_array_unref);
}

/* Once the list holds all the results: the open project is selected again
 * when it is among them. */
static void
exk_project_sidebar_results_shown (ExkProjectSidebar *self)
{
  if (self->selected_project != NULL)
    {
      g_autofree char *id = g_strdup (exk_project_get_id (self->selected_project));

      if (!exk_project_sidebar_select_visible (self, id))
        {
          self->selecting = TRUE;
          gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
          self->selecting = FALSE;
        }
    }

  exk_project_sidebar_update_state (self);
}

/* Adds the next results to the list; %TRUE when all are there. */
static gboolean
exk_project_sidebar_fill (ExkProjectSidebar *self,
                          gboolean           all)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->visible));
  guint count = self->fill->len - n;

  if (!all && n < ROWS_BUILT)
    count = MIN (count, ROWS_PER_TURN);
  g_list_store_splice (self->visible, n, 0, self->fill->pdata + n, count);

  return n + count == self->fill->len;
}

static gboolean
on_fill_timeout (gpointer data)
{
  ExkProjectSidebar *self = data;

  if (!exk_project_sidebar_fill (self, FALSE))
    return G_SOURCE_CONTINUE;

  self->fill_id = 0;
  g_clear_pointer (&self->fill, g_ptr_array_unref);
  exk_project_sidebar_results_shown (self);
  return G_SOURCE_REMOVE;
}

/* Puts every result in the list now. */
static void
exk_project_sidebar_finish_filling (ExkProjectSidebar *self)
{
  if (self->fill == NULL)
    return;

  exk_project_sidebar_fill (self, TRUE);
  exk_project_sidebar_stop_filling (self);
  exk_project_sidebar_results_shown (self);
}

/* Makes the list show the projects that the search and the organization let
 * through. A new list (a new search or organization, or the first list)
 * replaces the old one from the first row, starting at the top, built a few
 * rows per turn. A refreshed list is one splice from the first row: the list
 * view keeps the row of every project that stays (merged projects keep their
 * objects), and where it was scrolled.
 *
 * Always from the first row: GTK 4.8's GtkListView gets removals that start
 * inside a stretch of items without rows wrong (it applies them from the
 * start of that stretch: rows of projects that are gone stay on screen). */
static void
exk_project_sidebar_show_results (ExkProjectSidebar *self,
                                  gboolean           from_top)
{
  const char *organization_id = exk_project_sidebar_get_organization_filter (self);
  g_autoptr(GPtrArray) results = g_ptr_array_new_full (self->projects->len, g_object_unref);
  GListModel *visible = G_LIST_MODEL (self->visible);
  guint n_visible, first;
  gboolean same = FALSE;

  exk_project_sidebar_stop_filling (self);
  n_visible = g_list_model_get_n_items (visible);

  for (guint i = 0; i < self->projects->len; i++)
    {
      ExkProject *project = self->projects->pdata[i];

      if (organization_id != NULL
          && g_strcmp0 (exk_project_get_organization_id (project), organization_id) != 0)
        continue;
      if (self->search_key != NULL && !exk_project_matches_search (project, self->search_key))
        continue;
      g_ptr_array_add (results, g_object_ref (project));
    }

  if (results->len == n_visible)
    {
      same = TRUE;
      for (guint i = 0; i < n_visible && same; i++)
        {
          g_autoptr(ExkProject) shown = g_list_model_get_item (visible, i);

          same = shown == results->pdata[i];
        }
    }

  first = results->len;
  if (!same && (from_top || n_visible == 0))
    first = MIN (first, ROWS_PER_TURN);

  if (!same)
    {
      self->selecting = TRUE;
      g_list_store_splice (self->visible, 0, n_visible, results->pdata, first);
      self->selecting = FALSE;
    }
  if (from_top && results->len > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);

  if (first < results->len)
    {
      self->fill = g_steal_pointer (&results);
      self->fill_id = g_timeout_add_full (G_PRIORITY_DEFAULT_IDLE, 0, on_fill_timeout, self,
                                          NULL);
      exk_project_sidebar_update_state (self);
      return;
    }

  exk_project_sidebar_results_shown (self);
}

typedef struct
{
  const char *id;
  const char *name;
  char       *key;
} Organization;

static int
compare_organizations (gconstpointer a,
                       gconstpointer b)
{
  const Organization *x = a, *y = b;
  int order = strcmp (x->key, y->key);

  return order != 0 ? order : strcmp (x->id, y->id);
}

static void
clear_organization (gpointer data)
{
  g_free (((Organization *) data)->key);
}

/* Lists the projects' organizations in the dropdown, sorted by name, keeping
 * the chosen one when it is still there. */
static void
exk_project_sidebar_list_organizations (ExkProjectSidebar *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) organizations = g_array_new (FALSE, FALSE, sizeof (Organization));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *keep_id = g_strdup (exk_project_sidebar_get_organization_filter (self));
  guint keep = 0;

  g_array_set_clear_func (organizations, clear_organization);

  for (guint i = 0; i < self->projects->len; i++)
    {
      ExkProject *project = self->projects->pdata[i];
      Organization organization = { exk_project_get_organization_id (project),
                                    exk_project_get_organization_name (project), NULL };
      g_autofree char *folded = NULL;

      if (organization.id == NULL || g_hash_table_contains (seen, organization.id))
        continue;

      g_hash_table_add (seen, (gpointer) organization.id);
      if (organization.name == NULL)
        organization.name = organization.id;
      folded = g_utf8_casefold (organization.name, -1);
      organization.key = g_utf8_collate_key (folded, -1);
      g_array_append_val (organizations, organization);
    }
  g_array_sort (organizations, compare_organizations);

  g_ptr_array_set_size (self->organization_ids, 0);
  g_ptr_array_add (self->organization_ids, g_strdup (""));
  g_ptr_array_add (names, (gpointer) _("All Organizations"));
  for (guint i = 0; i < organizations->len; i++)
    {
      Organization *organization = &g_array_index (organizations, Organization, i);

      if (g_strcmp0 (organization->id, keep_id) == 0)
        keep = self->organization_ids->len;
      g_ptr_array_add (self->organization_ids, g_strdup (organization->id));
      g_ptr_array_add (names, (gpointer) organization->name);
    }
  g_ptr_array_add (names, NULL);

  /* The results are shown once, by the caller. */
  self->listing_organizations = TRUE;
  gtk_string_list_splice (self->organization_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->organization_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->organization_dropdown, keep);
  self->listing_organizations = FALSE;
  exk_project_sidebar_update_organization_filter (self);
  gtk_widget_set_visible (GTK_WIDGET (self->organization_dropdown),
                          self->organization_ids->len > 2);
}

static gboolean
same_project (ExkProject *a,
              ExkProject *b)
{
  GDateTime *created_a = exk_project_get_created (a);
  GDateTime *created_b = exk_project_get_created (b);

  return g_strcmp0 (exk_project_get_name (a), exk_project_get_name (b)) == 0
         && g_strcmp0 (exk_project_get_organization_id (a),
                       exk_project_get_organization_id (b)) == 0
         && g_strcmp0 (exk_project_get_organization_name (a),
                       exk_project_get_organization_name (b)) == 0
         && (created_a == NULL ? created_b == NULL
                               : created_b != NULL && g_date_time_equal (created_a, created_b));
}

/* Makes the list hold @projects (sorted): a project that has not changed
 * keeps its object, so that the list view keeps its row and the page its
 * project. %TRUE when anything changed. */
static gboolean
exk_project_sidebar_merge (ExkProjectSidebar *self,
                           GPtrArray         *projects)
{
  g_autoptr(GHashTable) old = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *merged = g_ptr_array_new_full (projects->len, g_object_unref);
  gboolean changed = projects->len != self->projects->len;

  for (guint i = 0; i < self->projects->len; i++)
    g_hash_table_insert (old, (gpointer) exk_project_get_id (self->projects->pdata[i]),
                         self->projects->pdata[i]);

  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *project = projects->pdata[i];
      ExkProject *before = g_hash_table_lookup (old, exk_project_get_id (project));

      if (before != NULL && same_project (before, project))
        project = before;
      g_ptr_array_add (merged, g_object_ref (project));
      changed = changed || project != self->projects->pdata[i];
    }

  g_ptr_array_unref (self->projects);
  self->projects = merged;
  return changed;
}

/* Shows @projects (sorted), from the cache or the server, keeping (or
 * making) the selection. */
static void
exk_project_sidebar_show_projects (ExkProjectSidebar *self,
                                   GPtrArray         *projects)
{
  g_autofree char *keep_id = NULL;

  if (self->pending_project_id != NULL)
    keep_id = g_steal_pointer (&self->pending_project_id);
  else if (self->selected_project != NULL)
    keep_id = g_strdup (exk_project_get_id (self->selected_project));

  if (exk_project_sidebar_merge (self, projects))
    {
      exk_project_sidebar_list_organizations (self);
      exk_project_sidebar_show_results (self, FALSE);
    }
  exk_project_sidebar_set_loading (self, FALSE);
  exk_project_sidebar_update_state (self);

  /* The same project stays selected, as its new object when it changed, so
   * that its page shows what the server just said. */
  if (keep_id != NULL && !exk_project_sidebar_select_visible (self, keep_id))
    {
      gboolean exists = FALSE;

      for (guint i = 0; i < self->projects->len && !exists; i++)
        if (g_strcmp0 (exk_project_get_id (self->projects->pdata[i]), keep_id) == 0)
          {
            exk_project_sidebar_set_selected (self, self->projects->pdata[i]);
            exists = TRUE;
          }
      if (!exists)
        exk_project_sidebar_set_selected (self, NULL);
    }
}

static void
on_cache_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!exk_project_cache_save_finish (EXK_PROJECT_CACHE (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not cache the projects: %s", error->message);
}

static void
on_cache_sorted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExkProjectSidebar *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = exk_project_sort_finish (result, &error);

  if (projects == NULL)
    return;   /* cancelled: the server answered, or the account changed */

  self = EXK_PROJECT_SIDEBAR (user_data);
  g_clear_object (&self->cache_cancellable);

  /* The server's answer would have cancelled this: it is still to come. */
  if (self->projects->len > 0)
    return;

  exk_project_sidebar_set_refreshing (self, TRUE);
  exk_project_sidebar_show_projects (self, projects);
}

static void
on_cache_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ExkProjectSidebar *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = NULL;

  projects = exk_project_cache_load_finish (EXK_PROJECT_CACHE (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_SIDEBAR (user_data);

  if (projects == NULL)
    {
      g_debug ("Not using the cached projects: %s", error->message);
      g_clear_object (&self->cache_cancellable);
      return;
    }

  /* Nothing worth showing: the spinner stays until the server answers. */
  if (projects->len == 0 || self->projects->len > 0)
    {
      g_clear_object (&self->cache_cancellable);
      return;
    }

  exk_project_sort_async (projects, self->cache_cancellable, on_cache_sorted, self);
}

static void
on_projects_sorted (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ExkProjectSidebar *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = exk_project_sort_finish (result, &error);

  if (projects == NULL)
    return;   /* cancelled: a new load, or the account changed */

  self = EXK_PROJECT_SIDEBAR (user_data);
  g_clear_object (&self->cancellable);

  exk_project_sidebar_set_refreshing (self, FALSE);
  exk_project_sidebar_show_projects (self, projects);

  if (self->cache != NULL)
    exk_project_cache_save_async (self->cache, projects, NULL, on_cache_saved, NULL);
}

static void
on_projects_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ExkProjectSidebar *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = NULL;

  projects = exk_client_list_projects_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_PROJECT_SIDEBAR (user_data);

  if (projects == NULL)
    {
      g_clear_object (&self->cancellable);
      /* A cached list still on its way would show as being refreshed for good. */
      g_cancellable_cancel (self->cache_cancellable);
      g_clear_object (&self->cache_cancellable);
      /* The list shown stays, and says it may be out of date; an empty
       * sidebar shows the error in its place. */
      if (self->projects->len > 0)
        {
          exk_project_sidebar_show_refresh_failed (self, error);
        }
      else
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
          exk_project_sidebar_set_failed (self, TRUE);
        }
      exk_project_sidebar_set_refreshing (self, FALSE);
      exk_project_sidebar_set_loading (self, FALSE);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  /* The server's list wins over the cached one, even if that is still on its way. */
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  exk_project_sort_async (projects, self->cancellable, on_projects_sorted, self);
}

static void
on_selection_changed (ExkProjectSidebar *self)
{
  ExkProject *project;

  if (self->selecting)
    return;

  /* Filtering may hide the selected project: its page stays open. */
  project = gtk_single_selection_get_selected_item (self->selection);
  if (project == NULL)
    return;

  exk_project_sidebar_set_selected (self, project);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
on_list_activate (ExkProjectSidebar *self,
                  guint              position)
{
  g_autoptr(ExkProject) project = g_list_model_get_item (G_LIST_MODEL (self->visible), position);

  if (project == NULL)
    return;

  exk_project_sidebar_set_selected (self, project);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
on_search_changed (ExkProjectSidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *key = stripped[0] != '\0' ? g_utf8_casefold (stripped, -1) : NULL;

  gtk_revealer_set_reveal_child (self->find_key_revealer, exk_key_finder_looks_like_key (text));

  /* A space typed at either end selects the same projects. */
  if (g_strcmp0 (key, self->search_key) == 0)
    return;

  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);
  exk_project_sidebar_show_results (self, TRUE);
}

/* The search text is a key: the window finds whose it is, and the search
 * forgets it (the text, and the folded copy it searched with). */
static void
exk_project_sidebar_find_key (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (widget);
  char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  if (exk_key_finder_looks_like_key (text))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
      g_signal_emit (self, signals[FIND_KEY], 0, text);
    }
  exk_secret_text_free (text);
}

static void
on_search_activate (ExkProjectSidebar *self)
{
  if (gtk_revealer_get_reveal_child (self->find_key_revealer))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "sidebar.find-key", NULL);
      return;
    }

  /* Enter opens the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->visible)) > 0)
    on_list_activate (self, 0);
}

static void
on_stop_search (ExkProjectSidebar *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_organization_selected (ExkProjectSidebar *self)
{
  exk_project_sidebar_update_organization_filter (self);
  if (!self->listing_organizations)
    exk_project_sidebar_show_results (self, TRUE);
}

static void
on_search_mode_changed (ExkProjectSidebar *self)
{
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

static void
exk_project_sidebar_refresh_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  exk_project_sidebar_refresh (EXK_PROJECT_SIDEBAR (widget));
}

/* Rows: a name and its organization. Built in code, not from a builder
 * template, which parses its XML for every row: a new search can build a
 * couple of hundred rows. A project's object never changes (a changed project
 * is a new object), so binding sets the text once. */
static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *organization = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (organization), 0);
  gtk_label_set_ellipsize (GTK_LABEL (organization), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (organization, "caption");
  gtk_widget_add_css_class (organization, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), organization);
  gtk_list_item_set_child (item, box);
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  ExkProject *project = gtk_list_item_get_item (item);
  GtkWidget *name = gtk_widget_get_first_child (gtk_list_item_get_child (item));

  gtk_label_set_text (GTK_LABEL (name), exk_project_get_name (project));
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_next_sibling (name)),
                      exk_project_get_organization_name (project));
}

static void
exk_project_sidebar_show_all_organizations (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (widget);

  gtk_drop_down_set_selected (self->organization_dropdown, 0);
}

static void
exk_project_sidebar_dispose (GObject *object)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  exk_project_sidebar_stop_filling (self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_PROJECT_SIDEBAR);

  G_OBJECT_CLASS (exk_project_sidebar_parent_class)->dispose (object);
}

static void
exk_project_sidebar_finalize (GObject *object)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  g_clear_object (&self->selection);
  g_clear_object (&self->visible);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_object (&self->selected_project);
  g_clear_pointer (&self->pending_project_id, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->organization_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (exk_project_sidebar_parent_class)->finalize (object);
}

static void
exk_project_sidebar_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SELECTED_PROJECT:
      g_value_set_object (value, self->selected_project);
      break;
    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, gtk_search_bar_get_search_mode (self->search_bar));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_REFRESHING:
      g_value_set_boolean (value, self->refreshing);
      break;
    case PROP_FAILED:
      g_value_set_boolean (value, self->failed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_sidebar_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      exk_project_sidebar_set_client (self, g_value_get_object (value));
      break;
    case PROP_SEARCH_MODE:
      gtk_search_bar_set_search_mode (self->search_bar, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_sidebar_class_init (ExkProjectSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_project_sidebar_dispose;
  object_class->finalize = exk_project_sidebar_finalize;
  object_class->get_property = exk_project_sidebar_get_property;
  object_class->set_property = exk_project_sidebar_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_PROJECT] =
    g_param_spec_object ("selected-project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkProjectSidebar:refreshing:
   *
   * The list shows the projects cached at the last start while the server
   * is asked for the current ones.
   */
  properties[PROP_REFRESHING] =
    g_param_spec_boolean ("refreshing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkProjectSidebar:failed:
   *
   * Loading the projects failed and there is no list to show: the sidebar
   * says why, with Retry.
   */
  properties[PROP_FAILED] =
    g_param_spec_boolean ("failed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkProjectSidebar::project-activated:
   *
   * The user chose a project (click, keyboard, or Enter in the search).
   */
  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EXK_TYPE_PROJECT);
  /**
   * ExkProjectSidebar::load-failed:
   *
   * Loading the projects failed; the sidebar shows why, with Retry. The
   * window reacts to an ended sign-in.
   */
  signals[LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  /**
   * ExkProjectSidebar::find-key:
   * @text: the search text, shaped like an API key
   *
   * The user asked to find whose key the search text is. The search is
   * cleared already: the text is not kept.
   */
  signals[FIND_KEY] =
    g_signal_new ("find-key", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_action (widget_class, "sidebar.find-key", NULL,
                                   exk_project_sidebar_find_key);
  gtk_widget_class_install_action (widget_class, "sidebar.refresh", NULL,
                                   exk_project_sidebar_refresh_action);
  gtk_widget_class_install_action (widget_class, "sidebar.show-all-organizations", NULL,
                                   exk_project_sidebar_show_all_organizations);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-project-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, organization_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, organization_names);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, error_page);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, website_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, list_view);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, refreshing_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, organization_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, find_key_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, organization_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, all_keys_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, refresh_failed_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, refresh_failed_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, refreshing_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_selected);
}

static void
exk_project_sidebar_init (ExkProjectSidebar *self)
{
  g_autoptr(GtkListItemFactory) factory = NULL;

  g_type_ensure (EXK_TYPE_PROJECT);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->organization_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->organization_ids, g_strdup (""));

  self->projects = g_ptr_array_new_with_free_func (g_object_unref);
  self->visible = g_list_store_new (EXK_TYPE_PROJECT);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->visible)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->list_view, "activate", G_CALLBACK (on_list_activate), self);
  g_signal_connect_swapped (self->search_bar, "notify::search-mode-enabled",
                            G_CALLBACK (on_search_mode_changed), self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  exk_project_sidebar_update_state (self);
}

/**
 * exk_project_sidebar_set_cache:
 * @cache: (nullable): where the account's projects are kept between starts
 *
 * Used by the next exk_project_sidebar_set_client(): the cached list shows
 * while the server is asked, and each complete list is saved there.
 */
/* Forgets the list: another account's comes. */
static void
exk_project_sidebar_clear (ExkProjectSidebar *self)
{
  exk_project_sidebar_stop_filling (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  g_ptr_array_set_size (self->projects, 0);
  g_list_store_remove_all (self->visible);
  g_clear_pointer (&self->pending_project_id, g_free);
  exk_project_sidebar_set_selected (self, NULL);
  exk_project_sidebar_set_refreshing (self, FALSE);
  exk_project_sidebar_set_loading (self, FALSE);
  exk_project_sidebar_show_refresh_failed (self, NULL);
  exk_project_sidebar_set_failed (self, FALSE);
  self->list_is_cached = FALSE;
}

/* Asks the server for the projects: in place of the list when there is none
 * (or @replace_list), behind it otherwise. */
static void
exk_project_sidebar_load (ExkProjectSidebar *self,
                          gboolean           replace_list)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  exk_project_sidebar_show_refresh_failed (self, NULL);
  exk_project_sidebar_set_failed (self, FALSE);

  if (replace_list || (self->projects->len == 0 && self->cache_cancellable == NULL))
    {
      exk_project_sidebar_set_refreshing (self, FALSE);
      exk_project_sidebar_set_loading (self, TRUE);
    }
  else if (self->projects->len > 0)
    {
      exk_project_sidebar_set_refreshing (self, TRUE);
    }
  exk_client_list_projects_async (self->client, EXK_PROJECT_LIST_NONE, self->cancellable,
                                  on_projects_loaded, self);
}

/**
 * exk_project_sidebar_set_cache:
 * @cache: (nullable): where the account's projects are kept between starts
 *
 * Shows the projects cached for the account at once, even before it has a
 * client (while the keyring is asked), marked as refreshing; the client set
 * next for the same account asks the server and merges its answer into
 * them. Each complete list from the server is saved there. Another cache
 * means another account: the list starts again.
 */
void
exk_project_sidebar_set_cache (ExkProjectSidebar *self,
                               ExkProjectCache   *cache)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));
  g_return_if_fail (cache == NULL || EXK_IS_PROJECT_CACHE (cache));

  if (!g_set_object (&self->cache, cache))
    return;

  exk_project_sidebar_clear (self);
  if (cache == NULL)
    return;

  self->list_is_cached = TRUE;
  exk_project_sidebar_set_loading (self, TRUE);
  self->cache_cancellable = g_cancellable_new ();
  exk_project_cache_load_async (cache, self->cache_cancellable, on_cache_loaded, self);
}

void
exk_project_sidebar_set_client (ExkProjectSidebar *self,
                                ExkClient         *client)
{
  g_autofree char *website = NULL;

  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));
  g_return_if_fail (client == NULL || EXK_IS_CLIENT (client));

  if (!g_set_object (&self->client, client))
    return;

  /* The list shown from the account's cache stays, to be refreshed in place;
   * anything else belonged to another client. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (!self->list_is_cached)
    exk_project_sidebar_clear (self);

  if (client != NULL)
    {
      /* The hosted API lives on api.exceptionless.io, its web app on the bare domain. */
      website = g_str_has_prefix (exk_client_get_base_url (client), "https://api.exceptionless.io")
                ? g_strdup ("https://be.exceptionless.io")
                : g_strdup (exk_client_get_base_url (client));
      gtk_link_button_set_uri (self->website_button, website);
      exk_project_sidebar_load (self, FALSE);
    }
  else
    {
      exk_project_sidebar_set_refreshing (self, FALSE);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/* Reloads every project; the selection is kept. */
void
exk_project_sidebar_refresh (ExkProjectSidebar *self)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  if (self->client == NULL)
    return;

  /* A reload asked for by hand shows the spinner in place of the list, as before. */
  exk_project_sidebar_load (self, TRUE);
}

/**
 * exk_project_sidebar_reload:
 * @project_id: (nullable): a project to select once the list has it
 *
 * Asks the server for the projects again behind the list, after a project
 * was created, renamed or deleted here: the answer is merged in place (the
 * search, the organization and the scroll position stay) and saved in the
 * cache. A project no longer there is no longer selected.
 */
void
exk_project_sidebar_reload (ExkProjectSidebar *self,
                            const char        *project_id)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  if (self->client == NULL)
    return;

  if (project_id != NULL)
    {
      g_free (self->pending_project_id);
      self->pending_project_id = g_strdup (project_id);
    }
  exk_project_sidebar_load (self, FALSE);
}

ExkProject *
exk_project_sidebar_get_selected_project (ExkProjectSidebar *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_SIDEBAR (self), NULL);

  return self->selected_project;
}

/* Selects @project_id now, or once the projects are loaded. */
void
exk_project_sidebar_select_project_id (ExkProjectSidebar *self,
                                       const char        *project_id)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  if (project_id == NULL)
    return;

  if (self->loading || self->projects->len == 0)
    {
      g_free (self->pending_project_id);
      self->pending_project_id = g_strdup (project_id);
      return;
    }

  exk_project_sidebar_finish_filling (self);
  exk_project_sidebar_select_visible (self, project_id);
}

/* The projects the list shows now, after sorting and filtering. */
GListModel *
exk_project_sidebar_get_visible_projects (ExkProjectSidebar *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_SIDEBAR (self), NULL);

  /* What the list will show: tests compare it with what they expect. */
  exk_project_sidebar_finish_filling (self);
  return G_LIST_MODEL (self->visible);
}

void
exk_project_sidebar_set_search_text (ExkProjectSidebar *self,
                                     const char        *text)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
}

/* Typing anywhere in @widget (the window) starts a search. */
void
exk_project_sidebar_set_key_capture (ExkProjectSidebar *self,
                                     GtkWidget         *widget)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  gtk_search_bar_set_key_capture_widget (self->search_bar, widget);
}

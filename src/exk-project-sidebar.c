// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-project-cache.h"
#include "exk-project-sidebar-private.h"

/* Every project of the account, across organizations: loaded page by page by
 * the client, sorted by name, filtered as the user types. The list is a
 * GListStore behind sort and filter models, so 10,000 projects cost one
 * splice, and a keystroke one pass of the filter.
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
  GListStore         *projects;
  GtkSortListModel   *sort_model;
  GtkFilterListModel *filter_model;
  GtkSingleSelection *selection;
  ExkProject         *selected_project;
  char               *pending_project_id;
  char               *search_key;
  GPtrArray          *organization_ids;   /* parallel to the dropdown; [0] = all */
  gboolean            selecting;
  gboolean            loading;
  gboolean            refreshing;    /* the cached list shows, the server is asked */

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
  N_PROPS
};

enum {
  PROJECT_ACTIVATED,
  LOAD_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
contains_casefolded (const char *haystack,
                     const char *needle_casefolded)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle_casefolded) != NULL;
}

static gboolean
exk_project_sidebar_filter (gpointer item,
                            gpointer user_data)
{
  ExkProjectSidebar *self = user_data;
  ExkProject *project = item;
  guint org = gtk_drop_down_get_selected (self->organization_dropdown);

  if (org != GTK_INVALID_LIST_POSITION && org > 0 && org < self->organization_ids->len
      && g_strcmp0 (exk_project_get_organization_id (project),
                    g_ptr_array_index (self->organization_ids, org)) != 0)
    return FALSE;

  if (self->search_key == NULL)
    return TRUE;

  return contains_casefolded (exk_project_get_name (project), self->search_key)
         || contains_casefolded (exk_project_get_organization_name (project), self->search_key);
}

static void
exk_project_sidebar_update_state (ExkProjectSidebar *self)
{
  const char *page;

  if (self->loading)
    page = "loading";
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0
           && g_list_model_get_n_items (G_LIST_MODEL (self->projects)) == 0)
    page = "error";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->projects)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
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
  GListModel *model = G_LIST_MODEL (self->filter_model);
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

static void
exk_project_sidebar_rebuild_organizations (ExkProjectSidebar *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->sort_model));
  const char *selected_id = NULL;
  guint selected = gtk_drop_down_get_selected (self->organization_dropdown);
  g_autofree char *keep_id = NULL;
  guint keep = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0
      && selected < self->organization_ids->len)
    selected_id = g_ptr_array_index (self->organization_ids, selected);
  keep_id = g_strdup (selected_id);

  g_ptr_array_set_size (self->organization_ids, 0);
  g_ptr_array_add (self->organization_ids, g_strdup (""));
  g_ptr_array_add (names, (gpointer) _("All Organizations"));

  /* Projects come sorted by name; organizations are listed as first met,
   * which is good enough and stable across refreshes. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (G_LIST_MODEL (self->sort_model), i);
      const char *org_id = exk_project_get_organization_id (project);

      if (org_id == NULL || g_hash_table_contains (seen, org_id))
        continue;

      g_hash_table_add (seen, (gpointer) org_id);
      if (g_strcmp0 (org_id, keep_id) == 0)
        keep = self->organization_ids->len;
      g_ptr_array_add (self->organization_ids, g_strdup (org_id));
      g_ptr_array_add (names, (gpointer) (exk_project_get_organization_name (project) != NULL
                                          ? exk_project_get_organization_name (project)
                                          : org_id));
    }
  g_ptr_array_add (names, NULL);

  gtk_string_list_splice (self->organization_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->organization_names)),
                          (const char * const *) names->pdata);
  gtk_drop_down_set_selected (self->organization_dropdown, keep);
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

/* Makes the list hold @projects, changing only what differs: a project that
 * is still there keeps its object, or has it replaced where it is, so that
 * the list view keeps its rows and its scroll position. %TRUE when anything
 * changed. */
static gboolean
exk_project_sidebar_merge (ExkProjectSidebar *self,
                           GPtrArray         *projects)
{
  GListModel *model = G_LIST_MODEL (self->projects);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  gboolean changed = FALSE;
  guint kept = 0;

  for (guint i = 0; i < projects->len; i++)
    g_hash_table_insert (fresh, (gpointer) exk_project_get_id (projects->pdata[i]),
                         projects->pdata[i]);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(ExkProject) old = g_list_model_get_item (model, i);

      if (g_hash_table_contains (fresh, exk_project_get_id (old)))
        kept++;
    }

  /* Nothing in common (or nothing shown yet): one splice is cheaper. */
  if (kept == 0)
    {
      g_list_store_splice (self->projects, 0, g_list_model_get_n_items (model),
                           projects->pdata, projects->len);
      return TRUE;
    }

  /* Backwards, so that a removal does not move what is left to visit. */
  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(ExkProject) old = g_list_model_get_item (model, i);
      ExkProject *project = g_hash_table_lookup (fresh, exk_project_get_id (old));

      if (project == NULL)
        {
          g_list_store_remove (self->projects, i);
          changed = TRUE;
          continue;
        }

      if (!same_project (old, project))
        {
          g_list_store_splice (self->projects, i, 1, (gpointer *) &project, 1);
          changed = TRUE;
        }
      g_hash_table_remove (fresh, exk_project_get_id (project));
    }

  for (guint i = 0; i < projects->len; i++)
    if (g_hash_table_lookup (fresh, exk_project_get_id (projects->pdata[i])) == projects->pdata[i])
      g_ptr_array_add (added, projects->pdata[i]);

  if (added->len > 0)
    {
      g_list_store_splice (self->projects, g_list_model_get_n_items (model), 0,
                           added->pdata, added->len);
      changed = TRUE;
    }

  return changed;
}

/* Shows @projects, from the cache or the server, keeping (or making) the
 * selection. */
static void
exk_project_sidebar_show_projects (ExkProjectSidebar *self,
                                   GPtrArray         *projects)
{
  g_autofree char *keep_id = NULL;
  gboolean changed;

  if (self->pending_project_id != NULL)
    keep_id = g_steal_pointer (&self->pending_project_id);
  else if (self->selected_project != NULL)
    keep_id = g_strdup (exk_project_get_id (self->selected_project));

  self->selecting = TRUE;
  changed = exk_project_sidebar_merge (self, projects);
  self->selecting = FALSE;

  if (changed)
    exk_project_sidebar_rebuild_organizations (self);
  exk_project_sidebar_set_loading (self, FALSE);
  exk_project_sidebar_update_state (self);

  /* The same project stays selected, as its new object when it changed, so
   * that its page shows what the server just said. */
  if (keep_id != NULL && !exk_project_sidebar_select_visible (self, keep_id))
    {
      gboolean exists = FALSE;

      for (guint i = 0; i < projects->len && !exists; i++)
        if (g_strcmp0 (exk_project_get_id (projects->pdata[i]), keep_id) == 0)
          {
            exk_project_sidebar_set_selected (self, projects->pdata[i]);
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
  g_clear_object (&self->cache_cancellable);

  if (projects == NULL)
    {
      g_debug ("Not using the cached projects: %s", error->message);
      return;
    }

  /* Too late (the server answered) or nothing worth showing. */
  if (!self->loading || projects->len == 0
      || g_list_model_get_n_items (G_LIST_MODEL (self->projects)) > 0)
    return;

  exk_project_sidebar_set_refreshing (self, TRUE);
  exk_project_sidebar_show_projects (self, projects);
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
  g_clear_object (&self->cancellable);

  if (projects == NULL)
    {
      /* The cached list stays; only an empty sidebar shows the error. */
      if (!self->refreshing)
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      exk_project_sidebar_set_refreshing (self, FALSE);
      exk_project_sidebar_set_loading (self, FALSE);
      g_signal_emit (self, signals[LOAD_FAILED], 0, error);
      return;
    }

  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  exk_project_sidebar_set_refreshing (self, FALSE);
  exk_project_sidebar_show_projects (self, projects);

  if (self->cache != NULL)
    exk_project_cache_save_async (self->cache, projects, NULL, on_cache_saved, NULL);
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
  g_autoptr(ExkProject) project = g_list_model_get_item (G_LIST_MODEL (self->filter_model),
                                                         position);

  if (project == NULL)
    return;

  exk_project_sidebar_set_selected (self, project);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, project);
}

static void
on_filter_model_changed (ExkProjectSidebar *self)
{
  if (!self->loading)
    exk_project_sidebar_update_state (self);
}

static void
exk_project_sidebar_refilter (ExkProjectSidebar *self)
{
  GtkFilter *filter = gtk_filter_list_model_get_filter (self->filter_model);

  /* The list view sees each new search or organization as a new list,
   * emptied and then filled, not as the filter model's change from the old
   * results to the new ones. GTK 4.8's GtkListView gets such changes wrong
   * on long lists: a removal that starts inside a stretch of items without
   * row widgets is applied from the start of that stretch
   * (gtk_list_item_manager_remove_items() ignores the offset into it), so
   * rows of projects that are gone stay on screen in place of others and are
   * never bound again. And GtkListView stays scrolled to the item it showed,
   * or to a guess when that item is gone: new results would open somewhere
   * in their middle, a cleared search at the end of the list. A new list
   * starts at its top. The price is new row widgets for each search. */
  self->selecting = TRUE;
  gtk_single_selection_set_model (self->selection, NULL);
  gtk_filter_changed (filter, GTK_FILTER_CHANGE_DIFFERENT);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->filter_model));
  self->selecting = FALSE;

  /* Show the open project as selected again when the filter lets it through. */
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

static void
on_search_changed (ExkProjectSidebar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *key = stripped[0] != '\0' ? g_utf8_casefold (stripped, -1) : NULL;

  /* A space typed at either end selects the same projects. */
  if (g_strcmp0 (key, self->search_key) == 0)
    return;

  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);
  exk_project_sidebar_refilter (self);
}

static void
on_search_activate (ExkProjectSidebar *self)
{
  /* Enter opens the first match. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0)
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
  exk_project_sidebar_refilter (self);
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

static void
exk_project_sidebar_dispose (GObject *object)
{
  ExkProjectSidebar *self = EXK_PROJECT_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
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
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);
  g_clear_object (&self->projects);
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

  gtk_widget_class_install_action (widget_class, "sidebar.refresh", NULL,
                                   exk_project_sidebar_refresh_action);

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
  gtk_widget_class_bind_template_child (widget_class, ExkProjectSidebar, refreshing_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_selected);
}

static void
exk_project_sidebar_init (ExkProjectSidebar *self)
{
  GtkSorter *sorter;
  GtkCustomFilter *filter;

  g_type_ensure (EXK_TYPE_PROJECT);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->organization_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->organization_ids, g_strdup (""));

  self->projects = g_list_store_new (EXK_TYPE_PROJECT);

  sorter = GTK_SORTER (gtk_string_sorter_new (gtk_property_expression_new (EXK_TYPE_PROJECT,
                                                                            NULL, "name")));
  gtk_string_sorter_set_ignore_case (GTK_STRING_SORTER (sorter), TRUE);
  self->sort_model = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->projects)),
                                              sorter);

  filter = gtk_custom_filter_new (exk_project_sidebar_filter, self, NULL);
  self->filter_model = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->sort_model)),
                                                  GTK_FILTER (filter));

  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filter_model)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selection_changed), self);
  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (on_filter_model_changed), self);
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
void
exk_project_sidebar_set_cache (ExkProjectSidebar *self,
                               ExkProjectCache   *cache)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));
  g_return_if_fail (cache == NULL || EXK_IS_PROJECT_CACHE (cache));

  g_set_object (&self->cache, cache);
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

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->cache_cancellable);
  g_clear_object (&self->cache_cancellable);
  g_list_store_remove_all (self->projects);
  exk_project_sidebar_set_selected (self, NULL);
  exk_project_sidebar_set_refreshing (self, FALSE);

  if (client != NULL)
    {
      /* The hosted API lives on api.exceptionless.io, its web app on the bare domain. */
      website = g_str_has_prefix (exk_client_get_base_url (client), "https://api.exceptionless.io")
                ? g_strdup ("https://be.exceptionless.io")
                : g_strdup (exk_client_get_base_url (client));
      gtk_link_button_set_uri (self->website_button, website);
      exk_project_sidebar_refresh (self);

      /* Read at the same time as the server is asked; whichever comes first shows. */
      if (self->cache != NULL)
        {
          self->cache_cancellable = g_cancellable_new ();
          exk_project_cache_load_async (self->cache, self->cache_cancellable, on_cache_loaded,
                                        self);
        }
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

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* A reload asked for by hand shows the spinner in place of the list, as before. */
  exk_project_sidebar_set_refreshing (self, FALSE);
  exk_project_sidebar_set_loading (self, TRUE);
  exk_client_list_projects_async (self->client, EXK_PROJECT_LIST_NONE, self->cancellable,
                                  on_projects_loaded, self);
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

  if (self->loading || g_list_model_get_n_items (G_LIST_MODEL (self->projects)) == 0)
    {
      g_free (self->pending_project_id);
      self->pending_project_id = g_strdup (project_id);
      return;
    }

  exk_project_sidebar_select_visible (self, project_id);
}

/* The projects the list shows now, after sorting and filtering. */
GListModel *
exk_project_sidebar_get_visible_projects (ExkProjectSidebar *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_SIDEBAR (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

void
exk_project_sidebar_set_search_text (ExkProjectSidebar *self,
                                     const char        *text)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  /* search-changed is delayed for typing; apply at once. */
  on_search_changed (self);
}

/* Typing anywhere in @widget (the window) starts a search. */
void
exk_project_sidebar_set_key_capture (ExkProjectSidebar *self,
                                     GtkWidget         *widget)
{
  g_return_if_fail (EXK_IS_PROJECT_SIDEBAR (self));

  gtk_search_bar_set_key_capture_widget (self->search_bar, widget);
}

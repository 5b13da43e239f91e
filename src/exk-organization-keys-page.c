// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "exk-organization-keys-page-private.h"
#include "exk-toast.h"

/* "All Keys": every API key of one organization in a column view, to audit
 * them (which keys have user scope, no notes, expire soon?) and to disable,
 * enable or delete many at once.
 *
 * The rows of 10,000 keys are made off the main thread by the model
 * (exk-organization-keys.c). Here the keys go through a sort model (the
 * column headers' sorter: a sort happens when a header is clicked, not on a
 * keystroke) and then a filter model, so a keystroke in the search costs one
 * strstr() per key on the texts each row prepared once, and one
 * items-changed. The column view only builds the rows on screen. */

typedef enum
{
  FILTER_USER_SCOPE       = 1 << 0,
  FILTER_NO_NOTES         = 1 << 1,
  FILTER_EXPIRING         = 1 << 2,
  FILTER_EXPIRED          = 1 << 3,
  FILTER_DISABLED         = 1 << 4,
  FILTER_ORGANIZATION_WIDE = 1 << 5,
} Filters;

typedef ExkOrganizationKeyColumn Column;

#define EXPIRING_SECONDS (30 * 24 * 60 * 60)

struct _ExkOrganizationKeysPage
{
  GtkBox               parent_instance;

  ExkClient           *client;
  ExkHistory          *history;
  GCancellable        *cancellable;        /* the organization list, for this client */
  ExkOrganizationKeys *keys;
  GPtrArray           *organization_ids;   /* parallel to the dropdown */
  char                *wanted_id;          /* asked for before the organizations came */
  gboolean             wants_first;        /* asked for any, before they came: the first */
  char                *search_key;         /* case-folded, NULL: no search */
  Filters              filters;
  gint64               now;                /* what "expires within 30 days" counts from */
  gboolean             organizations_listed;
  GError              *organizations_error; /* why they could not be listed */
  gboolean             listing_organizations;
  gboolean             busy;               /* a bulk change runs */
  char                *last_report;        /* the last bulk change's toast, for tests */

  GtkSortListModel    *sort_model;
  GtkFilterListModel  *filter_model;
  GtkCustomFilter     *filter;
  GtkMultiSelection   *selection;

  GtkDropDown         *organization_dropdown;
  GtkStringList       *organization_names;
  GtkSearchEntry      *search_entry;
  GtkToggleButton     *user_scope_toggle;
  GtkToggleButton     *no_notes_toggle;
  GtkToggleButton     *expiring_toggle;
  GtkToggleButton     *expired_toggle;
  GtkToggleButton     *disabled_toggle;
  GtkToggleButton     *organization_wide_toggle;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *prefix_column;
  GtkColumnViewColumn *project_column;
  GtkColumnViewColumn *scopes_column;
  GtkColumnViewColumn *notes_column;
  GtkColumnViewColumn *created_column;
  GtkColumnViewColumn *expires_column;
  GtkColumnViewColumn *state_column;
  GtkLabel            *count_label;
};

G_DEFINE_FINAL_TYPE (ExkOrganizationKeysPage, exk_organization_keys_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_KEYS,
  PROP_ORGANIZATION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* State */

static guint
exk_organization_keys_page_n_selected (ExkOrganizationKeysPage *self)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);

  return (guint) gtk_bitset_get_size (selected);
}

static void
exk_organization_keys_page_update_actions (ExkOrganizationKeysPage *self)
{
  gboolean can_change = self->keys != NULL && !self->busy
                        && exk_organization_keys_page_n_selected (self) > 0;
  gboolean can_export = self->keys != NULL
                        && g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orgkeys.disable-selected", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orgkeys.enable-selected", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orgkeys.delete-selected", can_change);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orgkeys.export", can_export);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orgkeys.reload",
                                 (self->keys != NULL || self->client != NULL) && !self->busy);
}

static void
exk_organization_keys_page_update_count (ExkOrganizationKeysPage *self)
{
  guint total = self->keys != NULL ? exk_organization_keys_get_n_keys (self->keys) : 0;
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  guint selected = exk_organization_keys_page_n_selected (self);
  g_autofree char *text = NULL;

  if (self->keys == NULL || !exk_organization_keys_get_loaded (self->keys))
    text = g_strdup ("");
  else if (selected > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key selected",
                                         "%u keys selected", selected), selected);
  else if (shown == total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key", "%u keys", total), total);
  else
    /* Translators: "Showing 12 of 250 keys"; the plural follows the second number. */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Showing %u of %u key",
                                         "Showing %u of %u keys", total), shown, total);

  gtk_label_set_text (self->count_label, text);
}

static void
exk_organization_keys_page_update_state (ExkOrganizationKeysPage *self)
{
  const char *page;
  gboolean loading = FALSE;

  if (self->keys == NULL)
    {
      if (self->client != NULL && self->organizations_error != NULL)
        {
          page = "error";
          adw_status_page_set_description (self->error_page, self->organizations_error->message);
        }
      else if (self->client == NULL
               || (self->organizations_listed && self->organization_ids->len == 0))
        page = "none";
      else
        page = "loading";   /* the organizations, then the first one's keys */
    }
  else
    {
      const GError *error = exk_organization_keys_get_error (self->keys);
      gboolean loaded = exk_organization_keys_get_loaded (self->keys);

      /* A first list shows as soon as its first keys are in. */
      loading = exk_organization_keys_get_loading (self->keys) && !loaded
                && exk_organization_keys_get_n_keys (self->keys) == 0;
      if (loading)
        page = "loading";
      else if (error != NULL && !loaded)
        page = "error";
      else if (exk_organization_keys_get_n_keys (self->keys) == 0)
        page = "empty";
      else if (g_list_model_get_n_items (G_LIST_MODEL (self->filter_model)) == 0)
        page = "no-results";
      else
        page = "list";

      if (error != NULL)
        adw_status_page_set_description (self->error_page, error->message);
    }

  if (g_str_equal (page, "loading"))
    loading = TRUE;
  gtk_spinner_set_spinning (self->spinner, loading);
  gtk_stack_set_visible_child_name (self->stack, page);
  exk_organization_keys_page_update_count (self);
  exk_organization_keys_page_update_actions (self);
}

/* Filtering */

static gboolean
filter_key (gpointer item,
            gpointer user_data)
{
  ExkOrganizationKeysPage *self = user_data;
  ExkOrganizationKey *key = item;
  Filters filters = self->filters;

  if (self->search_key != NULL && !exk_organization_key_matches (key, self->search_key))
    return FALSE;
  if (filters == 0)
    return TRUE;

  if ((filters & FILTER_USER_SCOPE) && !exk_organization_key_get_user_scope (key))
    return FALSE;
  if (filters & FILTER_NO_NOTES)
    {
      const char *notes = exk_organization_key_get_notes (key);

      for (const char *p = notes; p != NULL && *p != '\0'; p++)
        if (!g_ascii_isspace (*p))
          return FALSE;
    }
  if (filters & FILTER_EXPIRING)
    {
      gint64 expires = exk_organization_key_get_expires (key);

      if (expires == 0 || expires <= self->now || expires > self->now + EXPIRING_SECONDS)
        return FALSE;
    }
  if ((filters & FILTER_EXPIRED) && !exk_organization_key_get_expired (key))
    return FALSE;
  if ((filters & FILTER_DISABLED) && !exk_organization_key_get_disabled (key))
    return FALSE;
  if ((filters & FILTER_ORGANIZATION_WIDE) && !exk_organization_key_get_organization_wide (key))
    return FALSE;

  return TRUE;
}

static void
on_filter_items_changed (ExkOrganizationKeysPage *self)
{
  exk_organization_keys_page_update_state (self);
}

static void
on_selection_changed (ExkOrganizationKeysPage *self)
{
  exk_organization_keys_page_update_count (self);
  exk_organization_keys_page_update_actions (self);
}

static void
on_search_changed (ExkOrganizationKeysPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  g_autofree char *key = stripped[0] != '\0' ? g_utf8_casefold (stripped, -1) : NULL;
  GtkFilterChange change;

  if (g_strcmp0 (key, self->search_key) == 0)
    return;

  /* A longer search only hides keys: the filter model looks at the shown ones only. */
  if (self->search_key == NULL || (key != NULL && strstr (key, self->search_key) != NULL))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (key == NULL || strstr (self->search_key, key) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  else
    change = GTK_FILTER_CHANGE_DIFFERENT;

  g_free (self->search_key);
  self->search_key = g_steal_pointer (&key);
  /* The matches from the top, as a new search shows them. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
on_stop_search (ExkOrganizationKeysPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_filter_toggled (ExkOrganizationKeysPage *self)
{
  Filters filters = 0;
  Filters before = self->filters;

  if (gtk_toggle_button_get_active (self->user_scope_toggle))
    filters |= FILTER_USER_SCOPE;
  if (gtk_toggle_button_get_active (self->no_notes_toggle))
    filters |= FILTER_NO_NOTES;
  if (gtk_toggle_button_get_active (self->expiring_toggle))
    filters |= FILTER_EXPIRING;
  if (gtk_toggle_button_get_active (self->expired_toggle))
    filters |= FILTER_EXPIRED;
  if (gtk_toggle_button_get_active (self->disabled_toggle))
    filters |= FILTER_DISABLED;
  if (gtk_toggle_button_get_active (self->organization_wide_toggle))
    filters |= FILTER_ORGANIZATION_WIDE;

  if (filters == before)
    return;

  self->filters = filters;
  self->now = g_get_real_time () / G_USEC_PER_SEC;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      (filters & before) == before ? GTK_FILTER_CHANGE_MORE_STRICT
                      : (filters & before) == filters ? GTK_FILTER_CHANGE_LESS_STRICT
                      : GTK_FILTER_CHANGE_DIFFERENT);
}

/* Cells. Built in code, not from a builder file per row, and cheap to bind:
 * a keystroke in the search makes GTK 4.8 rebind the couple of hundred rows it
 * keeps around the visible ones, seven cells each. So a cell's texts come made
 * from the key (exk-organization-key.c formats them once), a widget is only
 * touched where its text or style changes, and tooltips are asked for when
 * shown (query-tooltip), not set on every bind. */

static void
set_label_text (GtkWidget  *label,
                const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text != NULL ? text : "") != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

static void
set_css_class (GtkWidget  *widget,
               const char *name,
               gboolean    set)
{
  if (set == gtk_widget_has_css_class (widget, name))
    return;

  if (set)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

static gboolean
on_cell_query_tooltip (GtkWidget   *widget,
                       int          x,
                       int          y,
                       gboolean     keyboard,
                       GtkTooltip  *tooltip,
                       GtkListItem *list_item)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list_item), "exk-column"));
  ExkOrganizationKey *key = gtk_list_item_get_item (list_item);
  const char *text = NULL;

  if (key == NULL)
    return FALSE;

  switch (column)
    {
    case EXK_ORGANIZATION_KEY_COLUMN_PROJECT:
      text = exk_organization_key_get_project_name (key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_SCOPES:
      text = exk_organization_key_get_scopes (key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_NOTES:
      text = exk_organization_key_get_notes (key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_EXPIRES:
      text = exk_organization_key_get_expires_detail (key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_STATE:
      text = exk_organization_key_get_failure (key);
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_PREFIX:
    case EXK_ORGANIZATION_KEY_COLUMN_CREATED:
    default:
      break;
    }

  if (text == NULL || text[0] == '\0')
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
on_cell_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  Column column = GPOINTER_TO_UINT (user_data);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *child = label;

  g_object_set_data (G_OBJECT (list_item), "exk-column", user_data);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (column == EXK_ORGANIZATION_KEY_COLUMN_PREFIX)
    gtk_widget_add_css_class (label, "monospace");

  if (column == EXK_ORGANIZATION_KEY_COLUMN_STATE)
    {
      /* The failure icon and the spinner are added when a key first needs them. */
      child = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_box_append (GTK_BOX (child), label);
    }

  if (column != EXK_ORGANIZATION_KEY_COLUMN_PREFIX && column != EXK_ORGANIZATION_KEY_COLUMN_CREATED)
    {
      gtk_widget_set_has_tooltip (child, TRUE);
      g_signal_connect (child, "query-tooltip", G_CALLBACK (on_cell_query_tooltip), list_item);
    }

  gtk_list_item_set_child (list_item, child);
}

/* The failure icon or the spinner of a state cell (@name), made now if @needed. */
static GtkWidget *
state_part (GtkWidget  *box,
            const char *name,
            gboolean    needed)
{
  GtkWidget *part = g_object_get_data (G_OBJECT (box), name);

  if (part != NULL || !needed)
    return part;

  if (g_str_equal (name, "exk-icon"))
    {
      part = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (part, "error");
    }
  else
    {
      part = gtk_spinner_new ();
    }
  gtk_box_prepend (GTK_BOX (box), part);
  g_object_set_data (G_OBJECT (box), name, part);
  return part;
}

static void
update_state_cell (GtkWidget          *box,
                   ExkOrganizationKey *key)
{
  GtkWidget *label = gtk_widget_get_last_child (box);
  const char *failure = exk_organization_key_get_failure (key);
  gboolean busy = exk_organization_key_get_busy (key);
  gboolean failed = failure != NULL && !busy;
  GtkWidget *icon = state_part (box, "exk-icon", failure != NULL);
  GtkWidget *spinner = state_part (box, "exk-spinner", busy);
  const char *said = g_object_get_data (G_OBJECT (label), "exk-failure");

  set_label_text (label, exk_organization_key_get_state (key));
  if (spinner != NULL && gtk_widget_get_visible (spinner) != busy)
    {
      gtk_widget_set_visible (spinner, busy);
      gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
    }
  if (icon != NULL && gtk_widget_get_visible (icon) != failed)
    gtk_widget_set_visible (icon, failed);

  /* The reason is part of the row for screen readers too, not only a tooltip. */
  if (g_strcmp0 (said, failure) == 0)
    return;
  if (failure != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, failure, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, failure, -1);
    }
  else
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  g_object_set_data_full (G_OBJECT (label), "exk-failure", g_strdup (failure), g_free);
}

static void
update_cell (GtkListItem *list_item)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list_item), "exk-column"));
  ExkOrganizationKey *key = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (key == NULL)
    return;

  switch (column)
    {
    case EXK_ORGANIZATION_KEY_COLUMN_PREFIX:
      set_label_text (child, exk_organization_key_get_prefix (key));
      set_css_class (child, "dim-label",
                     exk_organization_key_get_disabled (key)
                     || exk_organization_key_get_expired (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_PROJECT:
      set_label_text (child, exk_organization_key_get_project_name (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_SCOPES:
      set_label_text (child, exk_organization_key_get_scopes (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_NOTES:
      set_label_text (child, exk_organization_key_get_notes (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_CREATED:
      set_label_text (child, exk_organization_key_get_created_text (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_EXPIRES:
      /* When, from today: what an audit asks ("which keys stop working this month?"). */
      set_label_text (child, exk_organization_key_get_expires_text (key));
      set_css_class (child, "error", exk_organization_key_get_expired (key));
      break;
    case EXK_ORGANIZATION_KEY_COLUMN_STATE:
      update_state_cell (child, key);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_cell_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  ExkOrganizationKey *key = gtk_list_item_get_item (list_item);
  gulong handler;

  update_cell (list_item);

  /* Only what a bulk change touches moves while a row shows. */
  handler = g_signal_connect_swapped (key, "notify", G_CALLBACK (update_cell), list_item);
  g_object_set_data (G_OBJECT (list_item), "exk-notify", GSIZE_TO_POINTER (handler));
}

static void
on_cell_unbind (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  ExkOrganizationKey *key = gtk_list_item_get_item (list_item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "exk-notify"));

  if (handler != 0 && key != NULL)
    g_signal_handler_disconnect (key, handler);
  g_object_set_data (G_OBJECT (list_item), "exk-notify", NULL);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  return exk_organization_key_compare ((ExkOrganizationKey *) a, (ExkOrganizationKey *) b,
                                       GPOINTER_TO_UINT (user_data));
}

/* Each column sorts with keys the rows made when they were loaded: a sort of 10,000 keys
 * is comparisons only, not 10,000 collation keys made again on the main loop. */
static void
setup_column (GtkColumnViewColumn *column,
              Column               kind)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (on_cell_setup), GUINT_TO_POINTER (kind));
  g_signal_connect (factory, "bind", G_CALLBACK (on_cell_bind), GUINT_TO_POINTER (kind));
  g_signal_connect (factory, "unbind", G_CALLBACK (on_cell_unbind), GUINT_TO_POINTER (kind));
  gtk_column_view_column_set_factory (column, factory);
  sorter = GTK_SORTER (gtk_custom_sorter_new (compare_keys, GUINT_TO_POINTER (kind), NULL));
  gtk_column_view_column_set_sorter (column, sorter);
}

/* Organizations */

static void
exk_organization_keys_page_select_in_dropdown (ExkOrganizationKeysPage *self,
                                               const char              *id)
{
  guint index;

  if (id == NULL
      || !g_ptr_array_find_with_equal_func (self->organization_ids, id, g_str_equal, &index))
    return;

  self->listing_organizations = TRUE;
  gtk_drop_down_set_selected (self->organization_dropdown, index);
  self->listing_organizations = FALSE;
}

static void
on_keys_changed (ExkOrganizationKeysPage *self)
{
  exk_organization_keys_page_update_state (self);
}

static void
on_keys_error (ExkOrganizationKeysPage *self)
{
  const GError *error = exk_organization_keys_get_error (self->keys);

  /* A reload that failed while the list shows: the list stays, and a toast says so. */
  if (error != NULL && exk_organization_keys_get_loaded (self->keys))
    {
      /* Translators: %s is why, a whole sentence. */
      g_autofree char *title = g_strdup_printf (_("The keys could not be updated. %s"),
                                                error->message);

      exk_toast_show (GTK_WIDGET (self), adw_toast_new (title));
    }
  exk_organization_keys_page_update_state (self);
}

static void
exk_organization_keys_page_set_keys (ExkOrganizationKeysPage *self,
                                     ExkOrganizationKeys     *keys)
{
  if (self->keys == keys)
    return;

  if (self->keys != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->keys, self);
      exk_organization_keys_close (self->keys);
    }
  g_set_object (&self->keys, keys);
  self->busy = FALSE;

  if (keys != NULL)
    {
      g_signal_connect_object (keys, "notify::loading", G_CALLBACK (on_keys_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (keys, "notify::n-keys", G_CALLBACK (on_keys_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (keys, "notify::error", G_CALLBACK (on_keys_error), self,
                               G_CONNECT_SWAPPED);
    }

  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (keys));
  if (keys != NULL)
    exk_organization_keys_load (keys);

  exk_organization_keys_page_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION_NAME]);
}

static void
exk_organization_keys_page_open (ExkOrganizationKeysPage *self,
                                 const char              *id)
{
  g_autoptr(ExkOrganizationKeys) keys = NULL;

  if (self->keys != NULL
      && exk_organization_keys_get_client (self->keys) == self->client
      && g_strcmp0 (exk_organization_keys_get_organization_id (self->keys), id) == 0)
    return;

  if (self->client != NULL && id != NULL)
    {
      keys = exk_organization_keys_new (self->client, id);
      exk_organization_keys_set_history (keys, self->history);
    }
  exk_organization_keys_page_set_keys (self, keys);
}

static void
on_organization_selected (ExkOrganizationKeysPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->organization_dropdown);

  if (self->listing_organizations || selected == GTK_INVALID_LIST_POSITION
      || selected >= self->organization_ids->len)
    return;

  g_clear_pointer (&self->wanted_id, g_free);
  exk_organization_keys_page_open (self, g_ptr_array_index (self->organization_ids, selected));
}

typedef struct
{
  char *id;
  char *name;
  char *key;
} Organization;

static void
clear_organization (gpointer data)
{
  Organization *organization = data;

  g_free (organization->id);
  g_free (organization->name);
  g_free (organization->key);
}

static int
compare_organizations (gconstpointer a,
                       gconstpointer b)
{
  const Organization *x = a, *y = b;

  return strcmp (x->key, y->key);
}

static void
on_organizations_listed (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  ExkOrganizationKeysPage *self;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) organizations = g_array_new (FALSE, FALSE, sizeof (Organization));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const char *open_id;

  listed = exk_client_list_organizations_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = EXK_ORGANIZATION_KEYS_PAGE (user_data);
  g_array_set_clear_func (organizations, clear_organization);

  g_clear_error (&self->organizations_error);
  if (listed == NULL)
    {
      /* Without the list the dropdown stays empty; keys asked for by id still load. */
      self->organizations_error = g_steal_pointer (&error);
      exk_organization_keys_page_update_state (self);
      return;
    }

  for (guint i = 0; i < listed->len; i++)
    {
      ExkOrganization *organization = g_ptr_array_index (listed, i);
      g_autofree char *folded = g_utf8_casefold (exk_organization_get_name (organization), -1);
      Organization entry = {
        g_strdup (exk_organization_get_id (organization)),
        g_strdup (exk_organization_get_name (organization)),
        g_utf8_collate_key (folded, -1),
      };

      g_array_append_val (organizations, entry);
    }
  g_array_sort (organizations, compare_organizations);

  g_ptr_array_set_size (self->organization_ids, 0);
  for (guint i = 0; i < organizations->len; i++)
    {
      Organization *organization = &g_array_index (organizations, Organization, i);

      g_ptr_array_add (self->organization_ids, g_strdup (organization->id));
      g_ptr_array_add (names, organization->name);
    }
  g_ptr_array_add (names, NULL);

  self->listing_organizations = TRUE;
  gtk_string_list_splice (self->organization_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->organization_names)),
                          (const char * const *) names->pdata);
  self->listing_organizations = FALSE;
  self->organizations_listed = TRUE;

  /* The organization asked for, the one shown, or the first if the page was asked for; no
   * keys are loaded for a page that nobody opened. */
  open_id = self->wanted_id;
  if (open_id == NULL && self->keys != NULL)
    open_id = exk_organization_keys_get_organization_id (self->keys);
  if (open_id == NULL && self->wants_first && self->organization_ids->len > 0)
    open_id = g_ptr_array_index (self->organization_ids, 0);
  self->wants_first = FALSE;

  exk_organization_keys_page_select_in_dropdown (self, open_id);
  if (open_id != NULL)
    exk_organization_keys_page_open (self, open_id);
  g_clear_pointer (&self->wanted_id, g_free);
  exk_organization_keys_page_update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGANIZATION_NAME]);
}

/* Bulk changes */

static GStrv
exk_organization_keys_page_dup_selected_ids (ExkOrganizationKeysPage *self)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (self->selection);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkBitsetIter iter;
  guint position;

  if (gtk_bitset_iter_init_first (&iter, selected, &position))
    do
      {
        g_autoptr(ExkOrganizationKey) key = g_list_model_get_item (G_LIST_MODEL (self->selection),
                                                                   position);

        if (key != NULL)
          g_strv_builder_add (builder, exk_organization_key_get_id (key));
      }
    while (gtk_bitset_iter_next (&iter, &position));

  return g_strv_builder_end (builder);
}

static void
exk_organization_keys_page_set_busy (ExkOrganizationKeysPage *self,
                                     gboolean                 busy)
{
  self->busy = busy;
  exk_organization_keys_page_update_actions (self);
}

typedef enum
{
  BULK_DISABLE,
  BULK_ENABLE,
  BULK_DELETE,
} BulkAction;

typedef struct
{
  ExkOrganizationKeysPage *self;
  BulkAction               action;
  guint                    n_keys;
  char                    *first_id;
} BulkCall;

static void
bulk_call_free (BulkCall *call)
{
  g_clear_object (&call->self);
  g_free (call->first_id);
  g_free (call);
}

static void
exk_organization_keys_page_report (ExkOrganizationKeysPage *self,
                                   BulkCall                *call,
                                   ExkOrganizationKeys     *keys,
                                   guint                    n_failed)
{
  g_autofree char *title = NULL;
  guint n = call->n_keys;

  if (n_failed == 0)
    {
      switch (call->action)
        {
        case BULK_DISABLE:
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key disabled",
                                                "%u keys disabled", n), n);
          break;
        case BULK_ENABLE:
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key enabled",
                                                "%u keys enabled", n), n);
          break;
        case BULK_DELETE:
        default:
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key deleted",
                                                "%u keys deleted", n), n);
          break;
        }
    }
  else if (n == 1)
    {
      /* One key: its own reason, which names it and the action. */
      ExkOrganizationKey *key = exk_organization_keys_find (keys, call->first_id, NULL);

      if (key != NULL && exk_organization_key_get_failure (key) != NULL)
        title = g_strdup (exk_organization_key_get_failure (key));
    }

  if (title == NULL)
    {
      switch (call->action)
        {
        case BULK_DISABLE:
          /* Translators: "2 of 5 keys were not disabled"; the plural follows the first
           * number. Each key's row says why. */
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u of %u keys was not disabled",
                                                "%u of %u keys were not disabled", n_failed),
                                   n_failed, n);
          break;
        case BULK_ENABLE:
          /* Translators: "2 of 5 keys were not enabled"; the plural follows the first number. */
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u of %u keys was not enabled",
                                                "%u of %u keys were not enabled", n_failed),
                                   n_failed, n);
          break;
        case BULK_DELETE:
        default:
          /* Translators: "2 of 5 keys were not deleted"; the plural follows the first number. */
          title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "%u of %u keys was not deleted",
                                                "%u of %u keys were not deleted", n_failed),
                                   n_failed, n);
          break;
        }
    }

  g_free (self->last_report);
  self->last_report = g_strdup (title);
  exk_toast_show (GTK_WIDGET (self), adw_toast_new (title));
}

static void
on_bulk_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BulkCall *call = user_data;
  ExkOrganizationKeys *keys = EXK_ORGANIZATION_KEYS (source);
  ExkOrganizationKeysPage *self = call->self;
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;
  gboolean done;

  if (call->action == BULK_DELETE)
    done = exk_organization_keys_delete_finish (keys, result, &n_failed, &error);
  else
    done = exk_organization_keys_set_disabled_finish (keys, result, &n_failed, &error);

  /* Closed: the page shows another organization, or none. */
  if (done && self->keys == keys)
    {
      exk_organization_keys_page_set_busy (self, FALSE);
      exk_organization_keys_page_report (self, call, keys, n_failed);
    }

  bulk_call_free (call);
}

static void
exk_organization_keys_page_start_bulk (ExkOrganizationKeysPage *self,
                                       BulkAction               action)
{
  g_auto(GStrv) ids = exk_organization_keys_page_dup_selected_ids (self);
  BulkCall *call;

  if (self->keys == NULL || self->busy || ids[0] == NULL)
    return;

  call = g_new0 (BulkCall, 1);
  call->self = g_object_ref (self);
  call->action = action;
  call->n_keys = g_strv_length (ids);
  call->first_id = g_strdup (ids[0]);

  g_clear_pointer (&self->last_report, g_free);
  exk_organization_keys_page_set_busy (self, TRUE);
  if (action == BULK_DELETE)
    exk_organization_keys_delete_async (self->keys, (const char * const *) ids, on_bulk_done,
                                        call);
  else
    exk_organization_keys_set_disabled_async (self->keys, (const char * const *) ids,
                                              action == BULK_DISABLE, on_bulk_done, call);
}

static void
exk_organization_keys_page_disable_selected (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  /* Disabling is undone by enabling: no confirmation. */
  exk_organization_keys_page_start_bulk (EXK_ORGANIZATION_KEYS_PAGE (widget), BULK_DISABLE);
}

static void
exk_organization_keys_page_enable_selected (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  exk_organization_keys_page_start_bulk (EXK_ORGANIZATION_KEYS_PAGE (widget), BULK_ENABLE);
}

static void
on_delete_response (AdwMessageDialog        *dialog,
                    const char              *response,
                    ExkOrganizationKeysPage *self)
{
  if (g_strcmp0 (response, "delete") == 0)
    exk_organization_keys_page_start_bulk (self, BULK_DELETE);
}

static void
exk_organization_keys_page_delete_selected (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (widget);
  guint n = exk_organization_keys_page_n_selected (self);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (n == 0 || self->busy)
    return;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u API Key?",
                                          "Delete %u API Keys?", n), n);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       heading, NULL));
  adw_message_dialog_set_body (dialog,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Applications that send events with this key "
                                            "are refused at once. Deleting cannot be undone.",
                                            "Applications that send events with these keys "
                                            "are refused at once. Deleting cannot be undone.",
                                            n));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_organization_keys_page_list_organizations (ExkOrganizationKeysPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->organizations_error);

  if (self->client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      exk_client_list_organizations_async (self->client, self->cancellable,
                                           on_organizations_listed, self);
    }
}

static void
exk_organization_keys_page_reload (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (widget);

  if (self->busy)
    return;

  if (self->keys != NULL)
    exk_organization_keys_load (self->keys);
  else
    exk_organization_keys_page_list_organizations (self);
  exk_organization_keys_page_update_state (self);
}

/* Export */

static void
on_contents_replaced (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Writes the keys shown, in the order shown, as CSV to @file. */
void
exk_organization_keys_page_export_async (ExkOrganizationKeysPage *self,
                                         GFile                   *file,
                                         GAsyncReadyCallback      callback,
                                         gpointer                 user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint n_keys;
  char *csv;

  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  n_keys = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, exk_organization_keys_page_export_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (n_keys), NULL);

  csv = exk_organization_keys_to_csv (G_LIST_MODEL (self->filter_model));
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_contents_replaced, g_steal_pointer (&task));
}

gboolean
exk_organization_keys_page_export_finish (ExkOrganizationKeysPage  *self,
                                          GAsyncResult             *result,
                                          GError                  **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_export_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (source);
  guint n = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (exk_organization_keys_page_export_finish (self, result, &error))
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key exported",
                                          "%u keys exported", n), n);
  else
    /* Translators: %s is why. */
    title = g_strdup_printf (_("The keys could not be exported: %s"), error->message);
  exk_toast_show (GTK_WIDGET (self), adw_toast_new (title));
}

static void
on_export_response (GtkNativeDialog         *chooser,
                    int                      response,
                    ExkOrganizationKeysPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        exk_organization_keys_page_export_async (self, file, on_export_done, NULL);
    }

  g_object_unref (chooser);
  g_object_unref (self);
}

static void
exk_organization_keys_page_export (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (widget);
  GtkFileChooserNative *chooser;
  const char *organization = exk_organization_keys_page_get_organization_name (self);
  g_autofree char *name = NULL;
  g_autoptr(GFile) folder = NULL;
  const char *documents;

  chooser = gtk_file_chooser_native_new (_("Export API Keys"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  /* Translators: a file name; %s is an organization's name. */
  name = g_strdup_printf (_("%s API keys.csv"), organization != NULL ? organization : "");
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), g_strstrip (name));
  /* Not the folder Exkeys was started from. */
  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  folder = g_file_new_for_path (documents != NULL ? documents : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* GObject */

static void
exk_organization_keys_page_dispose (GObject *object)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->keys != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->keys, self);
      exk_organization_keys_close (self->keys);
    }
  if (self->sort_model != NULL)
    gtk_sort_list_model_set_model (self->sort_model, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_ORGANIZATION_KEYS_PAGE);
  g_clear_object (&self->keys);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter_model);
  g_clear_object (&self->sort_model);

  G_OBJECT_CLASS (exk_organization_keys_page_parent_class)->dispose (object);
}

static void
exk_organization_keys_page_finalize (GObject *object)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->organizations_error);
  g_clear_pointer (&self->organization_ids, g_ptr_array_unref);
  g_clear_pointer (&self->wanted_id, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->last_report, g_free);

  G_OBJECT_CLASS (exk_organization_keys_page_parent_class)->finalize (object);
}

static void
exk_organization_keys_page_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  ExkOrganizationKeysPage *self = EXK_ORGANIZATION_KEYS_PAGE (object);

  switch (prop_id)
    {
    case PROP_KEYS:
      g_value_set_object (value, self->keys);
      break;
    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, exk_organization_keys_page_get_organization_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_organization_keys_page_class_init (ExkOrganizationKeysPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_organization_keys_page_dispose;
  object_class->finalize = exk_organization_keys_page_finalize;
  object_class->get_property = exk_organization_keys_page_get_property;

  properties[PROP_KEYS] =
    g_param_spec_object ("keys", NULL, NULL, EXK_TYPE_ORGANIZATION_KEYS,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORGANIZATION_NAME] =
    g_param_spec_string ("organization-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "orgkeys.reload", NULL,
                                   exk_organization_keys_page_reload);
  gtk_widget_class_install_action (widget_class, "orgkeys.export", NULL,
                                   exk_organization_keys_page_export);
  gtk_widget_class_install_action (widget_class, "orgkeys.disable-selected", NULL,
                                   exk_organization_keys_page_disable_selected);
  gtk_widget_class_install_action (widget_class, "orgkeys.enable-selected", NULL,
                                   exk_organization_keys_page_enable_selected);
  gtk_widget_class_install_action (widget_class, "orgkeys.delete-selected", NULL,
                                   exk_organization_keys_page_delete_selected);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0,
                                       "orgkeys.delete-selected", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-organization-keys-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage,
                                        organization_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, organization_names);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, user_scope_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, no_notes_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, expiring_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, expired_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, disabled_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage,
                                        organization_wide_toggle);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, prefix_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, project_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, scopes_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, notes_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, created_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, expires_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, state_column);
  gtk_widget_class_bind_template_child (widget_class, ExkOrganizationKeysPage, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_organization_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
}

static void
exk_organization_keys_page_init (ExkOrganizationKeysPage *self)
{
  GtkSorter *sorter;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->organization_ids = g_ptr_array_new_with_free_func (g_free);

  setup_column (self->prefix_column, EXK_ORGANIZATION_KEY_COLUMN_PREFIX);
  setup_column (self->project_column, EXK_ORGANIZATION_KEY_COLUMN_PROJECT);
  setup_column (self->scopes_column, EXK_ORGANIZATION_KEY_COLUMN_SCOPES);
  setup_column (self->notes_column, EXK_ORGANIZATION_KEY_COLUMN_NOTES);
  setup_column (self->created_column, EXK_ORGANIZATION_KEY_COLUMN_CREATED);
  setup_column (self->expires_column, EXK_ORGANIZATION_KEY_COLUMN_EXPIRES);
  setup_column (self->state_column, EXK_ORGANIZATION_KEY_COLUMN_STATE);

  /* Keys, sorted by the column headers, then filtered, then selected. */
  sorter = gtk_column_view_get_sorter (self->column_view);
  self->sort_model = gtk_sort_list_model_new (NULL, g_object_ref (sorter));
  self->filter = gtk_custom_filter_new (filter_key, self, NULL);
  self->filter_model = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->sort_model)),
                                                  GTK_FILTER (self->filter));
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->filter_model)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (on_filter_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed), self, G_CONNECT_SWAPPED);

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
  exk_organization_keys_page_update_state (self);
}

/* Public API */

/**
 * exk_organization_keys_page_set_client:
 * @client: (nullable): the signed-in account's client
 * @history: (nullable): where that account's confirmed changes are recorded
 *
 * Lists @client's organizations in the dropdown; the keys shown for another
 * client are dropped.
 */
void
exk_organization_keys_page_set_client (ExkOrganizationKeysPage *self,
                                       ExkClient               *client,
                                       ExkHistory              *history)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self));

  g_set_object (&self->history, history);
  if (self->client == client)
    return;

  g_set_object (&self->client, client);
  self->organizations_listed = FALSE;
  self->wants_first = FALSE;
  g_clear_pointer (&self->wanted_id, g_free);
  g_ptr_array_set_size (self->organization_ids, 0);
  self->listing_organizations = TRUE;
  gtk_string_list_splice (self->organization_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->organization_names)),
                          NULL);
  self->listing_organizations = FALSE;
  exk_organization_keys_page_set_keys (self, NULL);
  exk_organization_keys_page_list_organizations (self);
  exk_organization_keys_page_update_state (self);
}

/**
 * exk_organization_keys_page_show_organization:
 * @organization_id: (nullable): the organization, or %NULL for the one shown
 *   (the first when none is)
 *
 * Shows the keys of @organization_id, loading them unless they show already.
 */
void
exk_organization_keys_page_show_organization (ExkOrganizationKeysPage *self,
                                              const char              *organization_id)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self));

  if (organization_id == NULL || organization_id[0] == '\0')
    {
      if (self->keys != NULL)
        return;
      if (!self->organizations_listed)
        {
          self->wants_first = TRUE;
          return;
        }
      if (self->organization_ids->len == 0)
        return;
      organization_id = g_ptr_array_index (self->organization_ids, 0);
    }

  g_free (self->wanted_id);
  self->wanted_id = self->organizations_listed ? NULL : g_strdup (organization_id);
  exk_organization_keys_page_select_in_dropdown (self, organization_id);
  exk_organization_keys_page_open (self, organization_id);
}

const char *
exk_organization_keys_page_get_organization_id (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  return self->keys != NULL ? exk_organization_keys_get_organization_id (self->keys) : NULL;
}

/* The name of the organization shown, once the organizations are listed; or NULL. */
const char *
exk_organization_keys_page_get_organization_name (ExkOrganizationKeysPage *self)
{
  const char *id;
  guint index;

  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  id = exk_organization_keys_page_get_organization_id (self);
  if (id == NULL
      || !g_ptr_array_find_with_equal_func (self->organization_ids, id, g_str_equal, &index))
    return NULL;

  return gtk_string_list_get_string (self->organization_names, index);
}

/**
 * exk_organization_keys_page_get_keys:
 *
 * Returns: (transfer none) (nullable): every key of the organization shown
 */
ExkOrganizationKeys *
exk_organization_keys_page_get_keys (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  return self->keys;
}

void
exk_organization_keys_page_focus_search (ExkOrganizationKeysPage *self)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* The keys the search and filters let through, in the order shown. */
GListModel *
exk_organization_keys_page_get_visible_keys (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  return G_LIST_MODEL (self->filter_model);
}

GtkSelectionModel *
exk_organization_keys_page_get_selection (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  return GTK_SELECTION_MODEL (self->selection);
}

/* The toast of the last bulk change, once the server answered; or NULL. */
const char *
exk_organization_keys_page_get_last_report (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), NULL);

  return self->last_report;
}

gboolean
exk_organization_keys_page_get_busy (ExkOrganizationKeysPage *self)
{
  g_return_val_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self), FALSE);

  return self->busy;
}

void
exk_organization_keys_page_set_search_text (ExkOrganizationKeysPage *self,
                                            const char              *text)
{
  g_return_if_fail (EXK_IS_ORGANIZATION_KEYS_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
}

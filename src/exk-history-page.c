// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-format.h"
#include "exk-history-page.h"

/* The History page: the changes made from Exkeys with the active account,
 * newest first, with a search. Rows are built in code and recycled by the
 * list view, so a year of changes costs what fits on screen. */
struct _ExkHistoryPage
{
  GtkBox              parent_instance;

  GtkWidget          *search_bar;
  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;

  ExkHistory         *history;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *search;          /* case-folded, or NULL */
};

G_DEFINE_FINAL_TYPE (ExkHistoryPage, exk_history_page, GTK_TYPE_BOX)

/* How many characters of a pasted key are compared: the history keeps no more. */
#define KEY_PREFIX_LENGTH 6

typedef struct
{
  GtkImage *icon;
  GtkLabel *title;
  GtkLabel *subtitle;
  GtkLabel *notes;
} RowWidgets;

static const char *
action_icon_name (ExkHistoryAction action)
{
  switch (action)
    {
    case EXK_HISTORY_ACTION_CREATED:
      return "list-add-symbolic";
    case EXK_HISTORY_ACTION_NOTES_CHANGED:
      return "document-edit-symbolic";
    case EXK_HISTORY_ACTION_DISABLED:
      return "action-unavailable-symbolic";
    case EXK_HISTORY_ACTION_ENABLED:
      return "object-select-symbolic";
    case EXK_HISTORY_ACTION_DELETED:
      return "user-trash-symbolic";
    case EXK_HISTORY_ACTION_REPLACED:
      return "view-refresh-symbolic";
    case EXK_HISTORY_ACTION_LEAK_REPLACED:
      return "dialog-warning-symbolic";
    default:
      return "document-open-recent-symbolic";
    }
}

static gboolean
contains_folded (const char *text,
                 const char *folded_needle)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;

  folded = g_utf8_casefold (text, -1);
  return strstr (folded, folded_needle) != NULL;
}

static gboolean
entry_matches (gpointer item,
               gpointer user_data)
{
  ExkHistoryPage *self = user_data;
  ExkHistoryEntry *entry = item;
  const char *prefix = exk_history_entry_get_key_prefix (entry);
  const char *replacement = exk_history_entry_get_replacement_prefix (entry);
  g_autofree char *title = NULL;

  if (self->search == NULL)
    return TRUE;

  /* A pasted key is found by its first characters. */
  if (strlen (self->search) >= KEY_PREFIX_LENGTH
      && ((prefix != NULL && g_ascii_strncasecmp (self->search, prefix, KEY_PREFIX_LENGTH) == 0)
          || (replacement != NULL
              && g_ascii_strncasecmp (self->search, replacement, KEY_PREFIX_LENGTH) == 0)))
    return TRUE;

  title = exk_history_entry_dup_title (entry);
  return contains_folded (title, self->search)
         || contains_folded (exk_history_entry_get_project_name (entry), self->search)
         || contains_folded (exk_history_entry_get_notes (entry), self->search);
}

static void
exk_history_page_update_stack (ExkHistoryPage *self)
{
  const char *page;

  if (self->history == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->history)) == 0)
    page = "empty";
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    page = "no-match";
  else
    page = "list";

  gtk_stack_set_visible_child_name (self->stack, page);
  /* Nothing to search yet: no search field. */
  gtk_widget_set_visible (self->search_bar, !g_str_equal (page, "empty"));
}

static void
on_search_changed (ExkHistoryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search, g_free);
  if (*stripped != '\0')
    self->search = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  exk_history_page_update_stack (self);
}

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  RowWidgets *widgets = g_new0 (RowWidgets, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);

  gtk_widget_add_css_class (box, "exk-history-row");
  widgets->icon = GTK_IMAGE (gtk_image_new ());
  gtk_widget_set_valign (GTK_WIDGET (widgets->icon), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (widgets->icon), 2);
  gtk_accessible_update_state (GTK_ACCESSIBLE (widgets->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (widgets->icon));

  widgets->title = GTK_LABEL (gtk_label_new (NULL));
  widgets->subtitle = GTK_LABEL (gtk_label_new (NULL));
  widgets->notes = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (widgets->title), "heading");
  gtk_widget_add_css_class (GTK_WIDGET (widgets->subtitle), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (widgets->notes), "dim-label");
  for (guint i = 0; i < 3; i++)
    {
      GtkLabel *label = (GtkLabel *[]) { widgets->title, widgets->subtitle, widgets->notes }[i];

      gtk_label_set_xalign (label, 0);
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (label, FALSE);
      gtk_box_append (GTK_BOX (texts), GTK_WIDGET (label));
    }
  gtk_label_set_ellipsize (widgets->notes, PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (widgets->notes, 2);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (box), texts);

  g_object_set_data_full (G_OBJECT (list_item), "exk-row-widgets", widgets, g_free);
  gtk_list_item_set_child (list_item, box);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  RowWidgets *widgets = g_object_get_data (G_OBJECT (list_item), "exk-row-widgets");
  ExkHistoryEntry *entry = gtk_list_item_get_item (list_item);
  const char *project = exk_history_entry_get_project_name (entry);
  const char *notes = exk_history_entry_get_notes (entry);
  g_autofree char *title = exk_history_entry_dup_title (entry);
  g_autofree char *when = exk_format_full_date (exk_history_entry_get_time (entry));
  g_autofree char *subtitle = NULL;
  g_autofree char *notes_text = NULL;

  gtk_image_set_from_icon_name (widgets->icon,
                                action_icon_name (exk_history_entry_get_action (entry)));
  gtk_label_set_text (widgets->title, title);

  if (project != NULL)
    /* Translators: a project's name, then the date and time of a change */
    subtitle = g_strdup_printf (C_("history", "%1$s · %2$s"), project, when);
  else if (exk_history_entry_get_project_id (entry) == NULL)
    /* Translators: %s is the date and time of a change to an organization-wide key */
    subtitle = g_strdup_printf (_("All projects · %s"), when);
  else
    subtitle = g_strdup (when);
  gtk_label_set_text (widgets->subtitle, subtitle);

  if (notes != NULL)
    /* Translators: %s is what the key's notes said after the change */
    notes_text = g_strdup_printf (_("Notes: %s"), notes);
  gtk_label_set_text (widgets->notes, notes_text);
  gtk_widget_set_visible (GTK_WIDGET (widgets->notes), notes_text != NULL);
}

static void
on_items_changed (ExkHistoryPage *self)
{
  exk_history_page_update_stack (self);
}

static void
exk_history_page_dispose (GObject *object)
{
  ExkHistoryPage *self = EXK_HISTORY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_HISTORY_PAGE);
  g_clear_object (&self->history);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->search, g_free);

  G_OBJECT_CLASS (exk_history_page_parent_class)->dispose (object);
}

static void
exk_history_page_class_init (ExkHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_history_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/exkeys/Exkeys/exk-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkHistoryPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, ExkHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, ExkHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ExkHistoryPage, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
exk_history_page_init (ExkHistoryPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (entry_matches, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind), NULL);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  exk_history_page_update_stack (self);
}

static void
on_history_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* An unreadable file leaves the changes made from now on, shown as usual. */
  if (!exk_history_load_finish (EXK_HISTORY (source), result, &error))
    g_warning ("Could not read the history: %s", error->message);
}

/**
 * exk_history_page_set_history:
 * @history: (nullable): the history to show; loaded if it was not
 */
void
exk_history_page_set_history (ExkHistoryPage *self,
                              ExkHistory     *history)
{
  g_return_if_fail (EXK_IS_HISTORY_PAGE (self));
  g_return_if_fail (history == NULL || EXK_IS_HISTORY (history));

  if (!g_set_object (&self->history, history))
    return;

  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (history));
  if (history != NULL && !exk_history_get_loaded (history))
    exk_history_load_async (history, NULL, on_history_loaded, NULL);
  exk_history_page_update_stack (self);
}

ExkHistory *
exk_history_page_get_history (ExkHistoryPage *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_PAGE (self), NULL);

  return self->history;
}

/* How many changes the list shows, after the search. */
guint
exk_history_page_get_n_shown (ExkHistoryPage *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_PAGE (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

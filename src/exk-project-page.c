// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-clipboard.h"
#include "exk-expiry-reminder.h"
#include "exk-format.h"
#include "exk-leak-dialog.h"
#include "exk-new-key-dialog.h"
#include "exk-notes-dialog.h"
#include "exk-project-overview.h"
#include "exk-project-settings.h"
#include "exk-project-page.h"
#include "exk-project-page-private.h"
#include "exk-toast.h"
#include "exk-token-row.h"

/* A project's page: its API keys (the default tab) and an overview. It is a
 * view of an ExkKeyList, which holds the keys, the requests about them and
 * their state: this page only shows them and says what happened, once the
 * server said it, in one place per event (the row while a request runs, one
 * toast for its outcome, the page itself when the list cannot be loaded).
 *
 * The keys are a GtkListView: GTK builds rows only around the visible keys
 * (about 200 at most, however many keys there are) and binds them to other
 * keys as the list scrolls. */
struct _ExkProjectPage
{
  GtkBox              parent_instance;

  ExkKeyList         *key_list;
  GPtrArray          *toasts;         /* AdwToast about the current key list */
  GtkSliceListModel  *slice;          /* of key_list, filled a few keys per frame */
  guint               fill_tick;
  guint               summary_source;
  GHashTable         *rows;           /* key id → the ExkTokenRow bound to it */
  guint               rows_built;
  GtkWidget          *edge_rows[2];   /* the rows of the first and the last key, if built */
  char               *highlighted;    /* the id of the new key shown highlighted */
  char               *focus_key;      /* the id of a key to show once the list has it */
  gboolean            replace_focused; /* then ask to replace it */
  guint               expiring;        /* keys expiring soon or expired lately */
  guint               highlight_source;

  AdwViewStack       *view_stack;
  GtkStack           *keys_stack;
  GtkSpinner         *keys_spinner;
  AdwStatusPage      *keys_error_page;
  GtkButton          *keys_error_button;
  GtkWidget          *empty_new_key_button;
  GtkLabel           *keys_title;
  GtkLabel           *keys_summary;
  GtkRevealer        *refresh_failed_revealer;
  GtkLabel           *refresh_failed_label;
  GtkWidget          *refresh_failed_button;
  GtkRevealer        *expiring_revealer;
  GtkLabel           *expiring_label;
  GtkListView        *keys_view;
  AdwBin             *overview_bin;
  ExkProjectOverview *overview;
  ExkProjectSettings *settings;
};

G_DEFINE_FINAL_TYPE (ExkProjectPage, exk_project_page, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_LOADING,
  PROP_EXPIRING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A change to one key, as the user asked for it: kept by its toast's Undo or
 * Retry, so that they act on the same key list (account, client and
 * project), never on whatever is shown when they are clicked. */
typedef enum
{
  CHANGE_DISABLE,
  CHANGE_ENABLE,
  CHANGE_DELETE,
  CHANGE_CHECK,
} ChangeKind;

typedef struct
{
  GWeakRef    page;
  ExkKeyList *key_list;
  char       *id;
  ChangeKind  kind;
  gboolean    offer_undo;
} Change;

static Change *
change_new (ExkProjectPage *page,
            ExkKeyList     *key_list,
            const char     *id,
            ChangeKind      kind,
            gboolean        offer_undo)
{
  Change *change = g_new0 (Change, 1);

  g_weak_ref_init (&change->page, page);
  change->key_list = g_object_ref (key_list);
  change->id = g_strdup (id);
  change->kind = kind;
  change->offer_undo = offer_undo;
  return change;
}

static void
change_free (Change *change)
{
  g_weak_ref_clear (&change->page);
  g_clear_object (&change->key_list);
  g_free (change->id);
  g_free (change);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Change, change_free)

static void exk_project_page_start_change (ExkProjectPage *self,
                                           ExkKeyList     *key_list,
                                           const char     *id,
                                           ChangeKind      kind,
                                           gboolean        offer_undo);

/* GTK 4.8 reads a button labelled with a mnemonic twice, the second time with
 * its underscore (“_Retry Retry”): keep the label it is labelled by. Again
 * after each gtk_button_set_label(). */
static void
drop_accessible_label (GtkWidget *button)
{
  gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Toasts */

static void
on_toast_dismissed (AdwToast       *toast,
                    ExkProjectPage *self)
{
  g_ptr_array_remove (self->toasts, toast);
}

/* Shows @toast, and dismisses it when the page moves to another key list. */
static void
exk_project_page_toast (ExkProjectPage *self,
                        AdwToast       *toast)
{
  g_ptr_array_add (self->toasts, g_object_ref_sink (toast));
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  exk_toast_show (GTK_WIDGET (self), g_object_ref (toast));
}

static void
exk_project_page_dismiss_toasts (ExkProjectPage *self)
{
  /* Dismissing one takes it out of the array: work on the array alone. */
  g_autoptr(GPtrArray) toasts = g_steal_pointer (&self->toasts);

  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < toasts->len; i++)
    adw_toast_dismiss (g_ptr_array_index (toasts, i));
}

static void
on_undo_clicked (AdwToast *toast,
                 Change   *change)
{
  g_autoptr(ExkProjectPage) self = g_weak_ref_get (&change->page);

  /* Undo disables what was enabled, and only with the list it was about. */
  if (self != NULL && !exk_key_list_get_closed (change->key_list))
    exk_project_page_start_change (self, change->key_list, change->id, CHANGE_ENABLE, FALSE);
}

static void
on_retry_clicked (AdwToast *toast,
                  Change   *change)
{
  g_autoptr(ExkProjectPage) self = g_weak_ref_get (&change->page);

  if (self != NULL && !exk_key_list_get_closed (change->key_list))
    exk_project_page_start_change (self, change->key_list, change->id, change->kind,
                                   change->offer_undo);
}

static void
on_refresh_clicked (AdwToast *toast,
                    Change   *change)
{
  g_autoptr(ExkProjectPage) self = g_weak_ref_get (&change->page);

  if (self != NULL && self->key_list == change->key_list)
    exk_project_page_refresh (self);
}

static void
exk_project_page_toast_with_button (ExkProjectPage *self,
                                    const char     *title,
                                    const char     *button_label,
                                    GCallback       on_clicked,
                                    Change         *change)
{
  AdwToast *toast = adw_toast_new (title);
  Change *copy = change_new (self, change->key_list, change->id, change->kind,
                             change->offer_undo);

  /* No mnemonic: libadwaita 1.2 makes the toast's button with its label as the
   * accessible name as well, so a screen reader would say "_Undo Undo". */
  adw_toast_set_button_label (toast, button_label);
  g_signal_connect_data (toast, "button-clicked", on_clicked, copy,
                         (GClosureNotify) (void (*) (void)) change_free, 0);
  exk_project_page_toast (self, toast);
}

/* State */

static ExkToken *
exk_project_page_find_key (ExkProjectPage *self,
                           const char     *id)
{
  if (self->key_list == NULL)
    return NULL;

  return exk_key_list_find (self->key_list, id, NULL);
}

/* “6 keys, 1 disabled, 1 expired”: each count with its own plural forms, put
 * together by a pattern per combination that translators may reorder. */
static char *
format_counts (guint n,
               guint disabled,
               guint expired)
{
  g_autofree char *keys = NULL;
  g_autofree char *disabled_text = NULL;
  g_autofree char *expired_text = NULL;

  /* Translators: the number of keys in a project. */
  keys = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u key", "%u keys", n), n);
  if (disabled == 0 && expired == 0)
    return g_steal_pointer (&keys);

  /* Translators: how many of a project's keys are disabled, as in “6 keys,
   * 1 disabled”; use the form that agrees with “keys”. */
  disabled_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u disabled", "%u disabled",
                                                disabled), disabled);
  /* Translators: how many of a project's keys have expired, as in “6 keys,
   * 1 expired”; use the form that agrees with “keys”. */
  expired_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u expired", "%u expired",
                                               expired), expired);

  if (expired == 0)
    /* Translators: the number of keys, then how many are disabled: “6 keys, 1 disabled”. */
    return g_strdup_printf (_("%1$s, %2$s"), keys, disabled_text);
  if (disabled == 0)
    /* Translators: the number of keys, then how many have expired: “6 keys, 1 expired”. */
    return g_strdup_printf (C_("expired keys", "%1$s, %2$s"), keys, expired_text);

  /* Translators: the number of keys, how many are disabled and how many have
   * expired: “6 keys, 1 disabled, 1 expired”. */
  return g_strdup_printf (_("%1$s, %2$s, %3$s"), keys, disabled_text, expired_text);
}

/* The banner over the keys when some of them expire within two weeks or
 * expired in the last one (disabled keys aside), a sentence per case. */
static void
exk_project_page_update_expiring (ExkProjectPage *self,
                                  guint           soon,
                                  guint           expired)
{
  g_autofree char *text = NULL;

  if (soon > 0 && expired > 0)
    /* Translators: a banner over a project's keys. */
    text = g_strdup_printf (ngettext ("%u key of this project has expired or expires soon. "
                                      "Replace it so that events keep arriving.",
                                      "%u keys of this project have expired or expire soon. "
                                      "Replace them so that events keep arriving.",
                                      soon + expired), soon + expired);
  else if (soon > 0)
    /* Translators: a banner over a project's keys. */
    text = g_strdup_printf (ngettext ("%u key of this project expires within two weeks. "
                                      "Replace it before it stops working.",
                                      "%u keys of this project expire within two weeks. "
                                      "Replace them before they stop working.", soon), soon);
  else if (expired > 0)
    /* Translators: a banner over a project's keys. */
    text = g_strdup_printf (ngettext ("%u key of this project expired in the last week. "
                                      "Apps that still use it can no longer send events.",
                                      "%u keys of this project expired in the last week. "
                                      "Apps that still use them can no longer send events.",
                                      expired), expired);

  if (text != NULL)
    gtk_label_set_text (self->expiring_label, text);
  gtk_revealer_set_reveal_child (self->expiring_revealer, text != NULL);

  if (self->expiring != soon + expired)
    {
      self->expiring = soon + expired;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRING]);
    }
}

/* The title and the counts under it. */
static void
exk_project_page_update_summary (ExkProjectPage *self)
{
  GListModel *keys = G_LIST_MODEL (self->key_list);
  guint n = self->key_list != NULL ? g_list_model_get_n_items (keys) : 0;
  ExkProject *project = exk_project_page_get_project (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint disabled = 0, expired = 0, soon = 0, recently_expired = 0;
  g_autofree char *counts = NULL;
  g_autofree char *summary = NULL;

  g_clear_handle_id (&self->summary_source, g_source_remove);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (keys, i);

      if (exk_token_get_is_disabled (token))
        disabled++;
      if (exk_token_is_expired (token, now))
        expired++;
      if (!exk_token_get_is_disabled (token))
        switch (exk_expiry_threshold_for (exk_token_get_expires (token), now))
          {
          case EXK_EXPIRY_THRESHOLD_EXPIRED:
            recently_expired++;
            break;
          case EXK_EXPIRY_THRESHOLD_ONE_DAY:
          case EXK_EXPIRY_THRESHOLD_TWO_WEEKS:
            soon++;
            break;
          case EXK_EXPIRY_THRESHOLD_NONE:
          default:
            break;
          }
    }

  counts = format_counts (n, disabled, expired);
  if (project != NULL)
    {
      gtk_label_set_text (self->keys_title, exk_project_get_name (project));
      /* Translators: an organization's name, then “5 keys, 2 disabled”. */
      summary = g_strdup_printf (_("%s · %s"), exk_project_get_organization_name (project),
                                 counts);
    }
  gtk_label_set_text (self->keys_summary, summary != NULL ? summary : counts);
  exk_project_page_update_expiring (self, soon, recently_expired);
}

static gboolean
on_summary_idle (gpointer user_data)
{
  ExkProjectPage *self = user_data;

  self->summary_source = 0;
  exk_project_page_update_summary (self);
  return G_SOURCE_REMOVE;
}

/* Which of loading, error, empty or list shows. */
static void
exk_project_page_update_view (ExkProjectPage *self)
{
  guint n = self->key_list != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->key_list))
                                   : 0;
  gboolean loading = self->key_list != NULL && exk_key_list_get_loading (self->key_list);
  gboolean loaded = self->key_list != NULL && exk_key_list_get_loaded (self->key_list);
  const GError *error = self->key_list != NULL ? exk_key_list_get_error (self->key_list) : NULL;

  /* A reload that failed over a list already shown keeps the list. */
  if (error != NULL && n > 0)
    {
      g_autofree char *reason = exk_format_error_reason (error);
      /* Translators: %s says why, e.g. "the server had a problem". */
      g_autofree char *text = g_strdup_printf (_("The list could not be refreshed: %s."),
                                               reason);

      gtk_label_set_text (self->refresh_failed_label, text);
    }
  gtk_revealer_set_reveal_child (self->refresh_failed_revealer, error != NULL && n > 0);

  if (n > 0)
    {
      gtk_stack_set_visible_child_name (self->keys_stack, "list");
    }
  else if (error != NULL && !loading)
    {
      gboolean signed_out = g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED);

      /* The window asks for the password; this page only says why it is empty. */
      adw_status_page_set_icon_name (self->keys_error_page,
                                     signed_out ? "system-lock-screen-symbolic"
                                                : "network-error-symbolic");
      adw_status_page_set_title (self->keys_error_page,
                                 signed_out ? _("Sign In Again to See the Keys")
                                            : _("Could Not Load the Keys"));
      adw_status_page_set_description (self->keys_error_page, error->message);
      gtk_button_set_label (self->keys_error_button,
                            signed_out ? _("_Sign In Again") : _("_Retry"));
      drop_accessible_label (GTK_WIDGET (self->keys_error_button));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->keys_error_button),
                                      signed_out ? "win.sign-in-again" : "keys.refresh");
      gtk_stack_set_visible_child_name (self->keys_stack, "error");
    }
  else if (loaded && !loading)
    {
      gtk_stack_set_visible_child_name (self->keys_stack, "empty");
    }
  else
    {
      gtk_stack_set_visible_child_name (self->keys_stack, "loading");
    }

  gtk_spinner_set_spinning (self->keys_spinner, loading && n == 0);
}

static void
exk_project_page_update_state (ExkProjectPage *self)
{
  exk_project_page_update_summary (self);
  exk_project_page_update_view (self);
}

/* Rows */

/* A row takes about a millisecond to build and twice that to measure, and a
 * list view builds about 200 at once: 600 ms in one piece. A new list is given
 * to it a few keys per frame instead, for as long as FILL_BUDGET_US allows,
 * so that the main loop stays free; the first few at once. Past the rows that
 * the list view builds, the rest of the keys go in at once: they get no rows.
 * (The model stays the key list's: this is a GtkSliceListModel of it.) */
#define FIRST_ROWS     4
#define ROWS_BUILT     256
#define FILL_BUDGET_US 1500

static void
exk_project_page_stop_filling (ExkProjectPage *self,
                               guint           size)
{
  if (self->fill_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->keys_view), self->fill_tick);
  self->fill_tick = 0;
  gtk_slice_list_model_set_size (self->slice, size);
}

static gboolean
on_fill_tick (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  ExkProjectPage *self = user_data;
  gint64 deadline = g_get_monotonic_time () + FILL_BUDGET_US;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->key_list));

  do
    {
      guint size = gtk_slice_list_model_get_size (self->slice) + 1;

      if (size >= n || size >= ROWS_BUILT)
        {
          self->fill_tick = 0;
          gtk_slice_list_model_set_size (self->slice, G_MAXUINT);
          return G_SOURCE_REMOVE;
        }
      gtk_slice_list_model_set_size (self->slice, size);
    }
  while (g_get_monotonic_time () < deadline);

  return G_SOURCE_CONTINUE;
}

static void
on_key_list_items_changed (ExkProjectPage *self,
                           guint           position,
                           guint           removed,
                           guint           added)
{
  /* The summary counts disabled keys, rows or not. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (self->key_list), i);

      g_signal_handlers_disconnect_by_func (token, exk_project_page_update_state, self);
      g_signal_connect_object (token, "notify::is-disabled",
                               G_CALLBACK (exk_project_page_update_state), self,
                               G_CONNECT_SWAPPED);
    }

  exk_project_page_update_view (self);

  /* A load adds its keys one by one: they are counted once, before the next frame. */
  if (self->summary_source == 0)
    self->summary_source = g_idle_add_full (G_PRIORITY_DEFAULT, on_summary_idle, self, NULL);

  if (self->fill_tick == 0
      && g_list_model_get_n_items (G_LIST_MODEL (self->slice))
         < g_list_model_get_n_items (G_LIST_MODEL (self->key_list)))
    self->fill_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->keys_view), on_fill_tick,
                                                    self, NULL);
}

/* The first and last rows are the card's top and bottom (“exk-first”,
 * “exk-last”): classes, not :first-child and :last-child, which restyle
 * every row of the list view each time one is added. */
static void
exk_project_page_set_edge (ExkProjectPage *self,
                           guint           edge,
                           GtkWidget      *row)
{
  static const char *classes[] = { "exk-first", "exk-last" };

  if (self->edge_rows[edge] == row)
    return;

  if (self->edge_rows[edge] != NULL)
    gtk_widget_remove_css_class (self->edge_rows[edge], classes[edge]);
  self->edge_rows[edge] = row;
  if (row != NULL)
    gtk_widget_add_css_class (row, classes[edge]);
}

static GtkWidget *
exk_project_page_get_row_at (ExkProjectPage *self,
                             guint           position)
{
  g_autoptr(ExkToken) token = g_list_model_get_item (G_LIST_MODEL (self->slice), position);

  return token != NULL ? g_hash_table_lookup (self->rows, exk_token_get_id (token)) : NULL;
}

static void
exk_project_page_update_edges (ExkProjectPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->slice));

  exk_project_page_set_edge (self, 0, n > 0 ? exk_project_page_get_row_at (self, 0) : NULL);
  exk_project_page_set_edge (self, 1, n > 0 ? exk_project_page_get_row_at (self, n - 1) : NULL);
}

static void
on_row_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              ExkProjectPage           *self)
{
  /* The row takes the focus and does its own actions. */
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_selectable (item, FALSE);
  gtk_list_item_set_child (item, exk_token_row_new ());
  self->rows_built++;
}

static void
on_row_teardown (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 ExkProjectPage           *self)
{
  self->rows_built--;
}

static void
on_row_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             ExkProjectPage           *self)
{
  ExkTokenRow *row = EXK_TOKEN_ROW (gtk_list_item_get_child (item));
  ExkToken *token = gtk_list_item_get_item (item);
  const char *id = exk_token_get_id (token);
  ExkKeyState *state = self->key_list != NULL ? exk_key_list_get_state (self->key_list, id)
                                              : NULL;
  guint position;

  /* A list view that outlives its key list (while the page is disposed). */
  if (state == NULL)
    return;

  exk_token_row_bind (row, token, state, exk_key_list_can_delete (self->key_list, token));
  g_hash_table_insert (self->rows, g_strdup (id), row);

  if (g_strcmp0 (id, self->highlighted) == 0)
    gtk_widget_add_css_class (GTK_WIDGET (row), "exk-new-key");

  position = gtk_list_item_get_position (item);
  if (position == 0)
    exk_project_page_set_edge (self, 0, GTK_WIDGET (row));
  if (position + 1 == g_list_model_get_n_items (G_LIST_MODEL (self->slice)))
    exk_project_page_set_edge (self, 1, GTK_WIDGET (row));
}

static void
on_row_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               ExkProjectPage           *self)
{
  ExkTokenRow *row = EXK_TOKEN_ROW (gtk_list_item_get_child (item));
  ExkToken *token = exk_token_row_get_token (row);

  /* The key may be bound to another row already. */
  if (token != NULL && self->rows != NULL
      && g_hash_table_lookup (self->rows, exk_token_get_id (token)) == row)
    g_hash_table_remove (self->rows, exk_token_get_id (token));

  gtk_widget_remove_css_class (GTK_WIDGET (row), "exk-new-key");
  for (guint edge = 0; edge < G_N_ELEMENTS (self->edge_rows); edge++)
    if (self->edge_rows[edge] == GTK_WIDGET (row))
      exk_project_page_set_edge (self, edge, NULL);
  exk_token_row_unbind (row);
}

/* A new key: where it is, highlighted for a moment, with the focus. */

static void
exk_project_page_clear_highlight (ExkProjectPage *self)
{
  GtkWidget *row = self->highlighted != NULL ? g_hash_table_lookup (self->rows, self->highlighted)
                                             : NULL;

  if (row != NULL)
    gtk_widget_remove_css_class (row, "exk-new-key");
  g_clear_pointer (&self->highlighted, g_free);
  g_clear_handle_id (&self->highlight_source, g_source_remove);
}

static gboolean
on_highlight_done (gpointer user_data)
{
  ExkProjectPage *self = user_data;

  self->highlight_source = 0;
  exk_project_page_clear_highlight (self);
  return G_SOURCE_REMOVE;
}

static void
exk_project_page_show_new_key (ExkProjectPage *self,
                               const char     *id)
{
  GtkWidget *row;
  guint position;

  if (self->key_list == NULL || exk_key_list_find (self->key_list, id, &position) == NULL)
    return;

  /* Its setup snippets are the ones to show now. */
  exk_project_overview_choose_key (self->overview, id);

  exk_project_page_clear_highlight (self);
  self->highlighted = g_strdup (id);
  self->highlight_source = g_timeout_add_seconds (EXK_PROJECT_PAGE_HIGHLIGHT_SECONDS,
                                                  on_highlight_done, self);

  /* The list view builds the rows around the key it scrolls to, at once.
   * (Where the dialog's Show Setup Snippets went to the Overview, the key is
   * ready in the list, without the focus.) */
  if (position >= g_list_model_get_n_items (G_LIST_MODEL (self->slice)))
    exk_project_page_stop_filling (self, G_MAXUINT);
  gtk_widget_activate_action (GTK_WIDGET (self->keys_view), "list.scroll-to-item", "u",
                              position);
  row = g_hash_table_lookup (self->rows, id);
  if (row != NULL)
    {
      gtk_widget_add_css_class (row, "exk-new-key");
      gtk_widget_grab_focus (row);
    }
}

/* Once the dialog that made a key is closed, the list shows the key. */
static void
on_new_key_dialog_destroy (ExkProjectPage  *self,
                           ExkNewKeyDialog *dialog)
{
  ExkToken *token = exk_new_key_dialog_get_new_key (dialog);

  if (token != NULL && exk_new_key_dialog_get_key_list (dialog) == self->key_list)
    exk_project_page_show_new_key (self, exk_token_get_id (token));
}

/* A key asked for by exk_project_page_focus_key(), once the list has it. */
static void
exk_project_page_try_focus_key (ExkProjectPage *self)
{
  g_autofree char *id = NULL;

  if (self->focus_key == NULL || self->key_list == NULL)
    return;

  if (exk_key_list_find (self->key_list, self->focus_key, NULL) == NULL)
    {
      /* Loaded without it: deleted meanwhile, or not this project's. */
      if (exk_key_list_get_loaded (self->key_list) && !exk_key_list_get_loading (self->key_list))
        g_clear_pointer (&self->focus_key, g_free);
      return;
    }

  id = g_steal_pointer (&self->focus_key);
  adw_view_stack_set_visible_child_name (self->view_stack, "keys");
  exk_project_page_show_new_key (self, id);
  if (self->replace_focused)
    {
      self->replace_focused = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (self), "keys.rotate", "s", id);
    }
}

static void
on_key_list_loading_changed (ExkProjectPage *self)
{
  exk_project_page_update_state (self);
  exk_project_page_try_focus_key (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Changes */

static void
exk_project_page_report_failure (ExkProjectPage *self,
                                 Change         *change,
                                 const GError   *error)
{
  g_autofree char *prefix = exk_format_key_prefix (change->id);
  g_autofree char *reason = exk_format_error_reason (error);
  g_autofree char *title = NULL;

  /* Translators: the first %s is the beginning of a key, e.g. "LhhP1C…", the
   * second says why, e.g. "the server had a problem". */
  switch (change->kind)
    {
    case CHANGE_DISABLE:
      title = g_strdup_printf (_("Couldn’t disable %s: %s"), prefix, reason);
      break;
    case CHANGE_ENABLE:
      title = g_strdup_printf (_("Couldn’t enable %s: %s"), prefix, reason);
      break;
    case CHANGE_DELETE:
      title = g_strdup_printf (_("Couldn’t delete %s: %s"), prefix, reason);
      break;
    case CHANGE_CHECK:
    default:
      title = g_strdup_printf (_("Couldn’t test %s: %s"), prefix, reason);
      break;
    }

  /* The key is not there to retry on; anything else may work a second time. */
  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND)
      || g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_VALIDATION))
    exk_project_page_toast (self, adw_toast_new (title));
  else
    exk_project_page_toast_with_button (self, title, _("Retry"), G_CALLBACK (on_retry_clicked),
                                        change);
}

static void
on_change_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Change) change = user_data;
  g_autoptr(ExkProjectPage) self = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefix = exk_format_key_prefix (change->id);
  g_autofree char *title = NULL;
  ExkKeyList *key_list = EXK_KEY_LIST (source);
  gboolean done;

  switch (change->kind)
    {
    case CHANGE_DISABLE:
    case CHANGE_ENABLE:
      done = exk_key_list_set_disabled_finish (key_list, result, &error);
      break;
    case CHANGE_DELETE:
      done = exk_key_list_delete_finish (key_list, result, &error);
      break;
    case CHANGE_CHECK:
    default:
      done = exk_key_list_check_finish (key_list, result, &error) != EXK_KEY_CHECK_NONE;
      break;
    }

  self = g_weak_ref_get (&change->page);

  /* The list was closed (the user left the project or the account), or the
   * page shows another: nothing to say here. */
  if (self == NULL || self->key_list != key_list || exk_key_list_get_closed (key_list))
    return;

  /* Stop Waiting: the request ended here, not necessarily on the server. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Stopped waiting for the server about %s: refresh to see "
                                 "what it did"), prefix);
      exk_project_page_toast_with_button (self, title, _("Refresh"),
                                          G_CALLBACK (on_refresh_clicked), change);
      return;
    }

  if (!done && change->kind == CHANGE_DELETE
      && g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND))
    {
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Key %s was already deleted"), prefix);
      exk_project_page_toast (self, adw_toast_new (title));
      return;
    }

  if (!done)
    {
      exk_project_page_report_failure (self, change, error);
      return;
    }

  switch (change->kind)
    {
    case CHANGE_DISABLE:
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Key %s disabled"), prefix);
      if (change->offer_undo)
        exk_project_page_toast_with_button (self, title, _("Undo"), G_CALLBACK (on_undo_clicked),
                                            change);
      else
        exk_project_page_toast (self, adw_toast_new (title));
      break;
    case CHANGE_ENABLE:
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Key %s enabled"), prefix);
      exk_project_page_toast (self, adw_toast_new (title));
      break;
    case CHANGE_DELETE:
      /* Translators: %s is the beginning of a key, e.g. "LhhP1C…". */
      title = g_strdup_printf (_("Key %s deleted"), prefix);
      exk_project_page_toast (self, adw_toast_new (title));
      break;
    case CHANGE_CHECK:
    default:
      /* The result is on the key's row. */
      break;
    }
}

static void
exk_project_page_start_change (ExkProjectPage *self,
                               ExkKeyList     *key_list,
                               const char     *id,
                               ChangeKind      kind,
                               gboolean        offer_undo)
{
  Change *change = change_new (self, key_list, id, kind, offer_undo);

  switch (kind)
    {
    case CHANGE_DISABLE:
    case CHANGE_ENABLE:
      exk_key_list_set_disabled_async (key_list, id, kind == CHANGE_DISABLE, on_change_done,
                                       change);
      break;
    case CHANGE_DELETE:
      exk_key_list_delete_async (key_list, id, on_change_done, change);
      break;
    case CHANGE_CHECK:
    default:
      exk_key_list_check_async (key_list, id, on_change_done, change);
      break;
    }
}

/* Actions */

static void
exk_project_page_copy (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (exk_project_page_find_key (self, id) == NULL)
    return;

  exk_clipboard_copy_secret (widget, id);
  exk_project_page_toast (self, adw_toast_new (_("Key copied")));
}

static void
exk_project_page_set_disabled (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id;
  gboolean disabled;

  g_variant_get (parameter, "(&sb)", &id, &disabled);
  if (exk_project_page_find_key (self, id) == NULL)
    return;

  /* Disabling is undone by enabling: a toast with Undo, no confirmation. */
  exk_project_page_start_change (self, self->key_list, id,
                                 disabled ? CHANGE_DISABLE : CHANGE_ENABLE, disabled);
}

static void
exk_project_page_check (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (exk_project_page_find_key (self, id) != NULL)
    exk_project_page_start_change (self, self->key_list, id, CHANGE_CHECK, FALSE);
}

static void
exk_project_page_stop_waiting (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);

  if (self->key_list != NULL)
    exk_key_list_stop_waiting (self->key_list, g_variant_get_string (parameter, NULL));
}

static void
exk_project_page_dismiss_rotation (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);

  if (self->key_list != NULL)
    exk_key_list_dismiss_rotation (self->key_list, g_variant_get_string (parameter, NULL));
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    Change           *change)
{
  g_autoptr(ExkProjectPage) self = g_weak_ref_get (&change->page);

  if (self == NULL || self->key_list != change->key_list)
    return;

  if (g_strcmp0 (response, "delete") == 0)
    exk_project_page_start_change (self, change->key_list, change->id, CHANGE_DELETE, FALSE);
  else if (g_strcmp0 (response, "disable") == 0)
    exk_project_page_start_change (self, change->key_list, change->id, CHANGE_DISABLE, TRUE);
}

static void
exk_project_page_delete (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  ExkToken *token = exk_project_page_find_key (self, id);
  g_autofree char *prefix = NULL;
  const char *notes;
  AdwMessageDialog *dialog;

  if (token == NULL)
    return;

  /* Only its owner may delete a key bound to another user: said before asking. */
  if (!exk_key_list_can_delete (self->key_list, token))
    {
      exk_project_page_toast (self, adw_toast_new (_("Only the person this key belongs to can "
                                                     "delete it. You can disable it.")));
      return;
    }

  prefix = exk_format_key_prefix (id);
  notes = exk_token_get_notes (token);

  /* Deleting cannot be undone on the server, so it is confirmed, naming the key. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                                       _("Delete API Key?"), NULL));
  if (notes != NULL && notes[0] != '\0')
    /* Translators: the first %s is the beginning of a key, the second its notes. */
    adw_message_dialog_format_body (dialog,
                                    _("Key %s (“%s”) stops working at once: applications "
                                      "that use it can no longer send events. This cannot be "
                                      "undone."),
                                    prefix, notes);
  else
    adw_message_dialog_format_body (dialog,
                                    _("Key %s stops working at once: applications that use it "
                                      "can no longer send events. This cannot be undone."),
                                    prefix);
  adw_message_dialog_add_response (dialog, "cancel", _("_Cancel"));
  /* Disabling stops the key as surely, and can be undone. */
  if (!exk_token_get_is_disabled (token))
    adw_message_dialog_add_response (dialog, "disable", _("D_isable Instead"));
  adw_message_dialog_add_response (dialog, "delete", _("_Delete"));
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_delete_response),
                         change_new (self, self->key_list, id, CHANGE_DELETE, FALSE),
                         (GClosureNotify) (void (*) (void)) change_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* New, rotate, notes: dialogs */

static void
on_rotation_decided (ExkProjectPage  *self,
                     ExkToken        *old_key,
                     ExkToken        *new_key,
                     gboolean         disable_old_now,
                     ExkNewKeyDialog *dialog)
{
  ExkKeyList *key_list = exk_new_key_dialog_get_key_list (dialog);

  /* The link between the keys is saved already; it ends when the old key is disabled. */
  if (disable_old_now && key_list == self->key_list)
    exk_project_page_start_change (self, key_list, exk_token_get_id (old_key), CHANGE_DISABLE,
                                   TRUE);
}

static void
exk_project_page_new_key (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkNewKeyDialog *dialog;

  if (self->key_list == NULL)
    return;

  dialog = exk_new_key_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->key_list);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_new_key_dialog_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_project_page_rotate (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkToken *token = exk_project_page_find_key (self, g_variant_get_string (parameter, NULL));
  ExkNewKeyDialog *dialog;

  if (token == NULL)
    return;

  dialog = exk_new_key_dialog_new_rotation (GTK_WINDOW (gtk_widget_get_root (widget)),
                                            self->key_list, token);
  g_signal_connect_object (dialog, "rotation-decided", G_CALLBACK (on_rotation_decided), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_new_key_dialog_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Once the dialog is closed, the list shows the replacement, if there is one. */
static void
on_leak_dialog_destroy (ExkProjectPage *self,
                        ExkLeakDialog  *dialog)
{
  ExkLeakReplacement *replacement = exk_leak_dialog_get_replacement (dialog);
  ExkToken *new_key = exk_leak_replacement_get_new_key (replacement);

  if (new_key != NULL && exk_leak_replacement_get_key_list (replacement) == self->key_list)
    exk_project_page_show_new_key (self, exk_token_get_id (new_key));
}

/* A leaked key: a replacement and the key disabled at once, through the key
 * list, so that the list shows each step once the server confirmed it. */
static void
exk_project_page_replace_leaked (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkToken *token = exk_project_page_find_key (self, g_variant_get_string (parameter, NULL));
  g_autoptr(ExkLeakReplacement) replacement = NULL;
  ExkProject *project;
  GtkWidget *dialog;

  if (token == NULL)
    return;

  /* Only its owner may change a key bound to another user, and an organization-wide
   * key has no project for its replacement (the row's item is off for both). */
  if (!exk_key_list_can_delete (self->key_list, token)
      || exk_token_get_project_id (token) == NULL)
    return;

  replacement = exk_leak_replacement_new (exk_key_list_get_client (self->key_list), token,
                                          exk_key_list_get_rotations (self->key_list));
  exk_leak_replacement_set_key_list (replacement, self->key_list);
  project = exk_key_list_get_project (self->key_list);
  exk_leak_replacement_set_history (replacement, exk_key_list_get_history (self->key_list),
                                    exk_project_get_name (project));
  dialog = exk_leak_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), replacement);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_leak_dialog_destroy), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_notes_saved (ExkProjectPage *self)
{
  exk_project_page_toast (self, adw_toast_new (_("Notes saved")));
}

static void
exk_project_page_edit_notes (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);
  ExkToken *token = exk_project_page_find_key (self, g_variant_get_string (parameter, NULL));
  ExkNotesDialog *dialog;

  if (token == NULL)
    return;

  dialog = exk_notes_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->key_list,
                                 token);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_notes_saved), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exk_project_page_show_keys (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "keys");
}

/* The next step after making a key: the setup snippets, which use it. */
static void
exk_project_page_show_overview (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "overview");
}

static void
exk_project_page_show_settings (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  adw_view_stack_set_visible_child_name (EXK_PROJECT_PAGE (widget)->view_stack, "settings");
}

static void
exk_project_page_refresh_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  exk_project_page_refresh (EXK_PROJECT_PAGE (widget));
}

/* GObject */

static void
exk_project_page_dispose (GObject *object)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  exk_project_page_set_key_list (self, NULL);
  g_clear_handle_id (&self->highlight_source, g_source_remove);
  g_clear_handle_id (&self->summary_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), EXK_TYPE_PROJECT_PAGE);

  G_OBJECT_CLASS (exk_project_page_parent_class)->dispose (object);
}

static void
exk_project_page_finalize (GObject *object)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  g_clear_pointer (&self->toasts, g_ptr_array_unref);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->highlighted, g_free);
  g_clear_pointer (&self->focus_key, g_free);
  g_clear_object (&self->slice);

  G_OBJECT_CLASS (exk_project_page_parent_class)->finalize (object);
}

static void
exk_project_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ExkProjectPage *self = EXK_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, exk_project_page_get_project (self));
      break;
    case PROP_LOADING:
      g_value_set_boolean (value,
                           self->key_list != NULL && exk_key_list_get_loading (self->key_list));
      break;
    case PROP_EXPIRING:
      g_value_set_uint (value, self->expiring);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_project_page_class_init (ExkProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = exk_project_page_dispose;
  object_class->finalize = exk_project_page_finalize;
  object_class->get_property = exk_project_page_get_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* How many enabled keys expire within two weeks or expired in the last one. */
  properties[PROP_EXPIRING] =
    g_param_spec_uint ("expiring", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "keys.new", NULL, exk_project_page_new_key);
  gtk_widget_class_install_action (widget_class, "keys.refresh", NULL,
                                   exk_project_page_refresh_action);
  gtk_widget_class_install_action (widget_class, "keys.copy", "s", exk_project_page_copy);
  gtk_widget_class_install_action (widget_class, "keys.edit-notes", "s",
                                   exk_project_page_edit_notes);
  gtk_widget_class_install_action (widget_class, "keys.set-disabled", "(sb)",
                                   exk_project_page_set_disabled);
  gtk_widget_class_install_action (widget_class, "keys.check", "s", exk_project_page_check);
  gtk_widget_class_install_action (widget_class, "keys.rotate", "s", exk_project_page_rotate);
  gtk_widget_class_install_action (widget_class, "keys.replace-leaked", "s",
                                   exk_project_page_replace_leaked);
  gtk_widget_class_install_action (widget_class, "keys.dismiss-rotation", "s",
                                   exk_project_page_dismiss_rotation);
  gtk_widget_class_install_action (widget_class, "keys.stop-waiting", "s",
                                   exk_project_page_stop_waiting);
  gtk_widget_class_install_action (widget_class, "keys.delete", "s", exk_project_page_delete);
  gtk_widget_class_install_action (widget_class, "keys.show-overview", NULL,
                                   exk_project_page_show_overview);
  gtk_widget_class_install_action (widget_class, "keys.show-settings", NULL,
                                   exk_project_page_show_settings);
  gtk_widget_class_install_action (widget_class, "keys.show-keys", NULL,
                                   exk_project_page_show_keys);

  g_type_ensure (EXK_TYPE_PROJECT_SETTINGS);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/exk-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_stack);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_error_page);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_error_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, empty_new_key_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_title);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_summary);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, refresh_failed_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, refresh_failed_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, expiring_revealer);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, expiring_label);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, refresh_failed_button);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, keys_view);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, overview_bin);
  gtk_widget_class_bind_template_child (widget_class, ExkProjectPage, settings);
}

static void
exk_project_page_init (ExkProjectPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  GtkEventController *shortcuts;
  static const struct
  {
    guint       key;
    const char *action;
  } views[] = {
    { GDK_KEY_1, "keys.show-keys" },
    { GDK_KEY_2, "keys.show-overview" },
    { GDK_KEY_3, "keys.show-settings" },
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Alt+1, Alt+2 and Alt+3 switch views wherever the focus is in the window (the
   * sidebar included), as in GNOME's other view switchers. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_MANAGED);
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (views[i].key,
                                                                                    GDK_ALT_MASK),
                                                            gtk_named_action_new (views[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  self->toasts = g_ptr_array_new_with_free_func (g_object_unref);
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (on_row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_row_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_row_unbind), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (on_row_teardown), self);
  gtk_list_view_set_factory (self->keys_view, factory);
  self->slice = gtk_slice_list_model_new (NULL, 0, FIRST_ROWS);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->slice)));
  gtk_list_view_set_model (self->keys_view, GTK_SELECTION_MODEL (selection));
  /* After the list view's own handler (through the selection): the rows are bound. */
  g_signal_connect_swapped (self->slice, "items-changed",
                            G_CALLBACK (exk_project_page_update_edges), self);

  drop_accessible_label (self->refresh_failed_button);
  drop_accessible_label (self->empty_new_key_button);

  self->overview = EXK_PROJECT_OVERVIEW (exk_project_overview_new ());
  adw_bin_set_child (self->overview_bin, GTK_WIDGET (self->overview));

  exk_project_page_update_state (self);
}

/**
 * exk_project_page_set_key_list:
 * @key_list: (nullable): the keys of the project to show, or %NULL for none
 *
 * Shows the project of @key_list and loads its keys. The key list shown
 * before is closed: its requests are cancelled, and its toasts (with their
 * Undo) dismissed.
 */
void
exk_project_page_set_key_list (ExkProjectPage *self,
                               ExkKeyList     *key_list)
{
  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));
  g_return_if_fail (key_list == NULL || EXK_IS_KEY_LIST (key_list));

  if (self->key_list == key_list)
    return;

  exk_project_page_dismiss_toasts (self);
  exk_project_page_clear_highlight (self);
  g_clear_pointer (&self->focus_key, g_free);

  if (self->key_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->key_list, self);
      exk_key_list_close (self->key_list);
      g_clear_object (&self->key_list);
    }

  if (self->keys_view == NULL)   /* disposed */
    return;

  if (key_list != NULL)
    {
      self->key_list = g_object_ref (key_list);
      g_signal_connect_swapped (key_list, "items-changed",
                                G_CALLBACK (on_key_list_items_changed), self);
      g_signal_connect_swapped (key_list, "notify::loading",
                                G_CALLBACK (on_key_list_loading_changed), self);
      g_signal_connect_swapped (key_list, "notify::error",
                                G_CALLBACK (exk_project_page_update_state), self);
      g_signal_connect_swapped (key_list, "notify::loaded",
                                G_CALLBACK (exk_project_page_update_state), self);
      g_signal_connect_swapped (key_list, "notify::loaded",
                                G_CALLBACK (exk_project_page_try_focus_key), self);
      exk_project_page_stop_filling (self, FIRST_ROWS);
      gtk_slice_list_model_set_model (self->slice, G_LIST_MODEL (key_list));
      on_key_list_items_changed (self, 0, 0, g_list_model_get_n_items (G_LIST_MODEL (key_list)));
      exk_project_overview_set_project (self->overview, exk_key_list_get_client (key_list),
                                        exk_key_list_get_project (key_list));
    }
  else
    {
      exk_project_page_stop_filling (self, FIRST_ROWS);
      gtk_slice_list_model_set_model (self->slice, NULL);
      exk_project_overview_set_project (self->overview, NULL, NULL);
    }
  exk_project_overview_set_keys (self->overview, G_LIST_MODEL (key_list));
  exk_project_settings_set_key_list (self->settings, key_list);

  adw_view_stack_set_visible_child_name (self->view_stack, "keys");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
  exk_project_page_update_state (self);

  if (key_list != NULL)
    exk_key_list_reload_async (key_list, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/**
 * exk_project_page_get_key_list:
 *
 * Returns: (transfer none) (nullable): the keys shown
 */
ExkKeyList *
exk_project_page_get_key_list (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->key_list;
}

ExkProject *
exk_project_page_get_project (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->key_list != NULL ? exk_key_list_get_project (self->key_list) : NULL;
}

AdwViewStack *
exk_project_page_get_view_stack (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->view_stack;
}

/* Asks the server again for the keys and the overview's counts. */
void
exk_project_page_refresh (ExkProjectPage *self)
{
  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));

  if (self->key_list == NULL)
    return;

  exk_key_list_reload_async (self->key_list, NULL, NULL);
  exk_project_overview_refresh (self->overview);
}

/* The row that shows the key @key_id now, or %NULL when the list view has
 * built none for it. */
GtkWidget *
exk_project_page_get_row (ExkProjectPage *self,
                          const char     *key_id)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return key_id != NULL ? g_hash_table_lookup (self->rows, key_id) : NULL;
}

/* How many rows the list view built (each shows a key, or waits to). */
guint
exk_project_page_get_n_rows (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), 0);

  return self->rows_built;
}

/* The id of the key shown highlighted as new, if any. */
const char *
exk_project_page_get_highlighted (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->highlighted;
}

/* The toasts about the shown key list that are not dismissed yet. */
GPtrArray *
exk_project_page_get_toasts (ExkProjectPage *self)
{
  g_return_val_if_fail (EXK_IS_PROJECT_PAGE (self), NULL);

  return self->toasts;
}

/**
 * exk_project_page_focus_key:
 * @key_id: the key to show
 *
 * Shows the key @key_id of the project shown: scrolled to, highlighted and
 * with the focus, now or once the list is loaded (the Find Key dialog's
 * project link). Showing another project forgets it.
 */
void
exk_project_page_focus_key (ExkProjectPage *self,
                            const char     *key_id)
{
  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));
  g_return_if_fail (key_id != NULL);

  g_free (self->focus_key);
  self->focus_key = g_strdup (key_id);
  self->replace_focused = FALSE;
  exk_project_page_try_focus_key (self);
}

/**
 * exk_project_page_replace_key:
 * @key_id: the key to replace
 *
 * Like exk_project_page_focus_key(), then its row's “Replace Key…” (an
 * expiry notification's action).
 */
void
exk_project_page_replace_key (ExkProjectPage *self,
                              const char     *key_id)
{
  g_return_if_fail (EXK_IS_PROJECT_PAGE (self));
  g_return_if_fail (key_id != NULL);

  g_free (self->focus_key);
  self->focus_key = g_strdup (key_id);
  self->replace_focused = TRUE;
  exk_project_page_try_focus_key (self);
}

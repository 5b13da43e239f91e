// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-format.h"
#include "exk-token-row.h"

/* One API key in the list: masked until revealed, its scopes as tags, notes,
 * dates, and its state (disabled, expired, replaced, a request running, what
 * testing it said) where it shows at a glance. The row only shows the key and
 * its ExkKeyState; actions go to the page as "keys.<action>" with the key's
 * id (and, for disabling, what to set).
 *
 * A list view makes rows only around the visible keys and binds each to
 * another key as the list scrolls: exk_token_row_bind() shows a key, and
 * exk_token_row_unbind() lets go of it, with every handler and binding the
 * row made for it. */
struct _ExkTokenRow
{
  GtkWidget        parent_instance;

  ExkToken        *token;
  ExkKeyState     *state;
  GBinding        *revealed_binding;
  gboolean         can_delete;

  GtkWidget       *head_box;
  GtkLabel        *key_label;
  GtkLabel        *notes_label;
  GtkLabel        *dates_label;
  GtkLabel        *status_label;
  GtkWidget       *waiting_box;
  GtkWidget       *stop_waiting_button;
  GtkSpinner      *spinner;
  guint            waiting_source;
  GtkToggleButton *reveal_button;
  GtkButton       *copy_button;
  GtkMenuButton   *menu_button;
  GMenuModel      *row_menu;
};

G_DEFINE_FINAL_TYPE (ExkTokenRow, exk_token_row, GTK_TYPE_WIDGET)

/* The key and its tags flow like words: left to right, on as many lines as
 * the width takes, each line's items centred on each other. */
#define FLOW_SPACING      6
#define FLOW_LINE_SPACING 4

typedef struct
{
  GtkWidget *child;
  int        width;
  int        height;
} FlowItem;

static void
flow_allocate_line (GtkWidget *widget,
                    GArray    *line,
                    int        width,
                    int        y,
                    int        line_height)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int x = 0;

  for (guint i = 0; i < line->len; i++)
    {
      FlowItem *item = &g_array_index (line, FlowItem, i);
      GtkAllocation area = {
        .x = rtl ? width - x - item->width : x,
        .y = y + (line_height - item->height) / 2,
        .width = item->width,
        .height = item->height,
      };

      gtk_widget_size_allocate (item->child, &area, -1);
      x += item->width + FLOW_SPACING;
    }
}

/* Lays the children out in @width; returns the height they take. Allocates
 * them when @allocate. */
static int
flow (GtkWidget *widget,
      int        width,
      gboolean   allocate)
{
  g_autoptr(GArray) line = g_array_new (FALSE, FALSE, sizeof (FlowItem));
  int x = 0, y = 0, line_height = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FlowItem item = { child, 0, 0 };
      int min_width, nat_width;

      if (!gtk_widget_should_layout (child))
        continue;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width,
                          NULL, NULL);
      item.width = MAX (min_width, MIN (nat_width, width));
      gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, item.width, NULL, &item.height,
                          NULL, NULL);

      if (line->len > 0 && x + FLOW_SPACING + item.width > width)
        {
          if (allocate)
            flow_allocate_line (widget, line, width, y, line_height);
          g_array_set_size (line, 0);
          y += line_height + FLOW_LINE_SPACING;
          x = 0;
          line_height = 0;
        }

      x += (line->len > 0 ? FLOW_SPACING : 0) + item.width;
      line_height = MAX (line_height, item.height);
      g_array_append_val (line, item);
    }

  if (line->len == 0)
    return 0;

  if (allocate)
    flow_allocate_line (widget, line, width, y, line_height);

  return y + line_height;
}

static GtkSizeRequestMode
flow_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
flow_measure (GtkWidget      *widget,
              GtkOrientation  orientation,
              int             for_size,
              int            *minimum,
              int            *natural,
              int            *minimum_baseline,
              int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int n = 0;

      /* At least the widest item; at best all on one line. */
      *minimum = *natural = 0;
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int min_width, nat_width;

          if (!gtk_widget_should_layout (child))
            continue;

          gtk_widget_measure (child, orientation, -1, &min_width, &nat_width, NULL, NULL);
          *minimum = MAX (*minimum, min_width);
          *natural += (n++ > 0 ? FLOW_SPACING : 0) + nat_width;
        }
      return;
    }

  *minimum = *natural = flow (widget, for_size < 0 ? G_MAXINT / 2 : for_size, FALSE);
}

static void
flow_allocate (GtkWidget *widget,
               int        width,
               int        height,
               int        baseline)
{
  flow (widget, width, TRUE);
}

static gboolean
on_tag_query_tooltip (GtkWidget  *tag,
                      int         x,
                      int         y,
                      gboolean    keyboard,
                      GtkTooltip *tooltip)
{
  gtk_tooltip_set_text (tooltip, g_object_get_data (G_OBJECT (tag), "exk-tooltip"));
  return TRUE;
}

static void
exk_token_row_add_tag (ExkTokenRow *self,
                       const char  *text,
                       const char  *style,
                       const char  *tooltip)
{
  GtkWidget *tag = gtk_label_new (text);

  gtk_widget_add_css_class (tag, "exk-tag");
  if (style != NULL)
    gtk_widget_add_css_class (tag, style);
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  if (tooltip != NULL)
    {
      /* Given when asked for (see on_query_tooltip()); said to screen readers. */
      g_object_set_data_full (G_OBJECT (tag), "exk-tooltip", g_strdup (tooltip), g_free);
      gtk_widget_set_has_tooltip (tag, TRUE);
      g_signal_connect (tag, "query-tooltip", G_CALLBACK (on_tag_query_tooltip), NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (tag),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip,
                                      -1);
    }
  gtk_widget_insert_before (tag, self->head_box, NULL);
}

/* A scope's tag: what it lets the key do, in words; the scope itself in the
 * tooltip. A user key acts as its user, so it is marked like a password. */
static const char *
exk_token_row_add_scope_tag (ExkTokenRow *self,
                             const char  *scope)
{
  g_autofree char *tooltip = NULL;
  const char *name = scope;
  const char *style = NULL;

  if (g_str_equal (scope, "client"))
    {
      name = _("Client");
    }
  else if (g_str_equal (scope, "source-maps:write") || g_str_equal (scope, "source-maps"))
    {
      name = _("Source maps");
    }
  else if (g_str_equal (scope, "user"))
    {
      name = _("User");
      style = "exk-tag-warning";
    }

  /* Translators: the tooltip of a key's tag; %s is the scope as the server
   * names it, such as “client” or “source-maps:write”. */
  tooltip = g_strdup_printf (_("Scope “%s”"), scope);
  exk_token_row_add_tag (self, name, style, tooltip);

  return name;
}

/* @text with no-break spaces: a row's date line wraps between its parts only. */
static char *
unbreakable (const char *text)
{
  g_autoptr(GString) result = g_string_new (text);

  g_string_replace (result, " ", "\u00a0", 0);
  return g_string_free (g_steal_pointer (&result), FALSE);
}

/* The full dates, for the tooltip of the relative ones and screen readers. */
static char *
exk_token_row_dup_dates_tooltip (ExkTokenRow *self)
{
  GDateTime *expires = exk_token_get_expires (self->token);
  g_autofree char *created_full = exk_format_full_date (exk_token_get_created (self->token));

  if (expires != NULL)
    {
      g_autofree char *full = exk_format_full_date (expires);

      /* Translators: both are full dates and times. */
      return g_strdup_printf (_("Created %s\nExpires %s"), created_full, full);
    }

  /* Translators: %s is a full date and time. */
  return g_strdup_printf (C_("full date", "Created %s"), created_full);
}

static void
exk_token_row_update_dates (ExkTokenRow *self,
                            GDateTime   *now,
                            gboolean     expired)
{
  GDateTime *expires = exk_token_get_expires (self->token);
  g_autofree char *created = exk_format_relative_date (exk_token_get_created (self->token), now);
  g_autofree char *created_phrase = NULL;
  g_autofree char *created_text = NULL;
  g_autofree char *dates = NULL;
  g_autofree char *full = NULL;

  /* Translators: %s is a relative date such as “3 days ago”. */
  created_phrase = g_strdup_printf (_("Created %s"), created);
  created_text = unbreakable (created_phrase);

  if (expires != NULL)
    {
      g_autofree char *relative = exk_format_relative_date (expires, now);
      g_autofree char *expires_phrase = NULL;
      g_autofree char *expires_text = NULL;

      /* Translators: %s is a relative date such as “3 days ago” or “in 2 months”. */
      expires_phrase = g_strdup_printf (expired ? _("Expired %s") : _("Expires %s"), relative);
      expires_text = unbreakable (expires_phrase);
      /* Translators: when a key was created, then when it expires or expired:
       * “Created 3 days ago · Expires in 2 months”. The line wraps only
       * between the two. */
      dates = g_strdup_printf (_("%1$s · %2$s"), created_text, expires_text);
    }
  else
    {
      dates = g_steal_pointer (&created_text);
    }

  gtk_label_set_text (self->dates_label, dates);
  full = exk_token_row_dup_dates_tooltip (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->dates_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, full,
                                  -1);
}

/* Tooltips are given when asked for: gtk_widget_set_tooltip_text() asks the
 * X server where the pointer is, a round trip for each tooltip of each row
 * the list view builds. */
static gboolean
on_query_tooltip (ExkTokenRow *self,
                  int          x,
                  int          y,
                  gboolean     keyboard,
                  GtkTooltip  *tooltip,
                  GtkWidget   *widget)
{
  if (widget == GTK_WIDGET (self->dates_label))
    {
      g_autofree char *text = NULL;

      if (self->token == NULL)
        return FALSE;

      text = exk_token_row_dup_dates_tooltip (self);
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }

  if (widget == GTK_WIDGET (self->reveal_button))
    gtk_tooltip_set_text (tooltip, gtk_toggle_button_get_active (self->reveal_button)
                                   ? _("Hide Key") : _("Show Key"));
  else if (widget == GTK_WIDGET (self->copy_button))
    gtk_tooltip_set_text (tooltip, _("Copy Key"));
  else if (widget == GTK_WIDGET (self->menu_button))
    gtk_tooltip_set_text (tooltip, _("More Actions"));
  else
    return FALSE;

  return TRUE;
}

/* The first part of a row's accessible name: the key and its state, one whole
 * phrase for each state rather than state words strung together. */
static char *
dup_accessible_key (const char *prefix,
                    gboolean    disabled,
                    gboolean    expired,
                    gboolean    suspended)
{
  /* The other parts of the name (scopes, notes) follow after “, ”. Each string has its
   * own translator comment, as xgettext keeps only the nearest. */
  if (disabled && expired && suspended)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, disabled, expired and suspended with its "
                              "organization"), prefix);
  if (disabled && expired)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, disabled and expired"), prefix);
  if (disabled && suspended)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, disabled and suspended with its organization"),
                            prefix);
  if (expired && suspended)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, expired and suspended with its organization"),
                            prefix);
  if (disabled)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, disabled"), prefix);
  if (expired)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, expired"), prefix);
  if (suspended)
    /* Translators: a key row's name for screen readers; %s is the beginning of the key */
    return g_strdup_printf (_("API key %s, suspended with its organization"), prefix);

  /* Translators: a key row's name for screen readers; %s is the beginning of the key,
   * e.g. “LhhP1C…” */
  return g_strdup_printf (_("API key %s"), prefix);
}

static void
exk_token_row_update (ExkTokenRow *self)
{
  ExkToken *token = self->token;
  const char *id;
  const char * const *scopes;
  const char *notes;
  gboolean disabled, expired, revealed;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) facts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *shown = NULL;
  g_autofree char *markup = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *prefix = NULL;
  GtkWidget *child;

  if (token == NULL)
    return;

  id = exk_token_get_id (token);
  scopes = exk_token_get_scopes (token);
  notes = exk_token_get_notes (token);
  disabled = exk_token_get_is_disabled (token);
  expired = exk_token_is_expired (token, now);
  prefix = exk_format_key_prefix (id);

  revealed = exk_key_state_get_revealed (self->state);
  shown = revealed ? g_strdup (id) : exk_format_masked_key (id);
  /* The whole key may be wider than a narrow window, the beginning never is:
   * only the whole key wraps (a label that may wrap costs more to measure),
   * and with no hyphen, which would look like a part of the key. */
  markup = g_markup_printf_escaped (disabled ? "<span insert_hyphens=\"false\"><s>%s</s></span>"
                                             : "<span insert_hyphens=\"false\">%s</span>",
                                    shown);
  gtk_label_set_markup (self->key_label, markup);
  gtk_label_set_wrap (self->key_label, revealed);

  /* Everything after the key in the head line is a tag. */
  while ((child = gtk_widget_get_next_sibling (GTK_WIDGET (self->key_label))) != NULL)
    gtk_widget_unparent (child);

  g_ptr_array_add (facts, dup_accessible_key (prefix, disabled, expired,
                                               exk_token_get_is_suspended (token)));

  if (disabled)
    exk_token_row_add_tag (self, _("Disabled"), "exk-tag-warning", NULL);
  if (expired)
    exk_token_row_add_tag (self, _("Expired"), "exk-tag-error", NULL);
  if (exk_token_get_is_suspended (token))
    exk_token_row_add_tag (self, _("Suspended"), "exk-tag-error", NULL);
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    g_ptr_array_add (facts, g_strdup (exk_token_row_add_scope_tag (self, scopes[i])));
  /* A key without scopes is a client key to the server (older keys look like this). */
  if (scopes == NULL || scopes[0] == NULL)
    g_ptr_array_add (facts, g_strdup (exk_token_row_add_scope_tag (self, "client")));
  if (exk_key_state_get_replaces (self->state) != NULL)
    {
      g_autofree char *other = exk_format_key_prefix (exk_key_state_get_replaces (self->state));
      /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
      g_autofree char *tag = g_strdup_printf (_("Replaces %s"), other);

      exk_token_row_add_tag (self, tag, "exk-tag-accent", NULL);
      g_ptr_array_add (facts, g_steal_pointer (&tag));
    }
  if (exk_key_state_get_replaced_by (self->state) != NULL)
    {
      g_autofree char *other = exk_format_key_prefix (exk_key_state_get_replaced_by (self->state));
      /* Translators: %s is the beginning of another key, e.g. "LhhP1C…". */
      g_autofree char *tag = g_strdup_printf (_("Replaced by %s"), other);

      exk_token_row_add_tag (self, tag, "exk-tag-accent", NULL);
      g_ptr_array_add (facts, g_steal_pointer (&tag));
    }

  if (notes != NULL && notes[0] != '\0')
    {
      gtk_label_set_text (self->notes_label, notes);
      gtk_widget_remove_css_class (GTK_WIDGET (self->notes_label), "dim-label");
      g_ptr_array_add (facts, g_strdup (notes));
    }
  else
    {
      gtk_label_set_text (self->notes_label, _("No notes"));
      gtk_widget_add_css_class (GTK_WIDGET (self->notes_label), "dim-label");
      g_ptr_array_add (facts, g_strdup (_("No notes")));
    }

  exk_token_row_update_dates (self, now, expired);

  if (disabled || expired)
    gtk_widget_add_css_class (GTK_WIDGET (self), "exk-inactive");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "exk-inactive");

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.disable", !disabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.enable", disabled);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", self->can_delete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete-refused", !self->can_delete);
  /* The server lets no one else change another user's key (404): not even disable it.
   * An organization-wide key (listed for its default project) has no project to
   * make its replacement in. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.replace-leaked",
                                 self->can_delete && exk_token_get_project_id (token) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.dismiss-rotation",
                                 exk_key_state_get_replaces (self->state) != NULL
                                 || exk_key_state_get_replaced_by (self->state) != NULL);

  /* Read as a list of what the row shows, each part whole:
   * “API key mUf7KS…, disabled, Client, Production web servers”. */
  g_ptr_array_add (facts, NULL);
  /* Translators: the separator between the parts of a key row's accessible name. */
  accessible = g_strjoinv (_(", "), (char **) facts->pdata);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static gboolean
on_waiting_long (gpointer user_data)
{
  ExkTokenRow *self = user_data;

  self->waiting_source = 0;
  gtk_widget_set_visible (self->waiting_box, TRUE);
  return G_SOURCE_REMOVE;
}

static void
exk_token_row_update_busy (ExkTokenRow *self)
{
  gboolean busy = self->state != NULL && exk_key_state_get_busy (self->state);

  /* While a request about this key runs: a spinner, and no second action;
   * after a few seconds, a way to stop waiting. */
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->menu_button), !busy);

  g_clear_handle_id (&self->waiting_source, g_source_remove);
  gtk_widget_set_visible (self->waiting_box, FALSE);
  if (busy)
    self->waiting_source = g_timeout_add_seconds (EXK_TOKEN_ROW_WAITING_SECONDS,
                                                  on_waiting_long, self);
}

static void
exk_token_row_update_check (ExkTokenRow *self)
{
  GtkWidget *label = GTK_WIDGET (self->status_label);
  const char *message = NULL;
  gboolean works = FALSE;

  switch (self->state != NULL ? exk_key_state_get_check (self->state) : EXK_KEY_CHECK_NONE)
    {
    case EXK_KEY_CHECK_WORKS:
      works = TRUE;
      message = _("Works: the server accepts this key");
      break;
    case EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS:
      works = TRUE;
      message = _("Works for uploading source maps; it cannot send events");
      break;
    case EXK_KEY_CHECK_REJECTED_DISABLED:
      message = _("Rejected: the key is disabled");
      break;
    case EXK_KEY_CHECK_REJECTED_EXPIRED:
      message = _("Rejected: the key has expired");
      break;
    case EXK_KEY_CHECK_REJECTED_SUSPENDED:
      message = _("Rejected: the organization is suspended");
      break;
    case EXK_KEY_CHECK_REJECTED_UNKNOWN:
      message = _("Rejected: the server does not know this key; it may have been deleted. "
                  "Refresh the list.");
      break;
    case EXK_KEY_CHECK_NONE:
    default:
      break;
    }

  gtk_label_set_text (self->status_label, message);
  gtk_widget_set_visible (label, message != NULL);
  gtk_widget_remove_css_class (label, works ? "error" : "success");
  gtk_widget_add_css_class (label, works ? "success" : "error");
}

static void
on_reveal_toggled (ExkTokenRow *self)
{
  gboolean revealed = gtk_toggle_button_get_active (self->reveal_button);

  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  revealed ? _("Hide Key") : _("Show Key"),
                                  -1);
}

static void
exk_token_row_forward (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (widget);
  const char *verb = strchr (action_name, '.') + 1;
  const char *id;
  g_autofree char *page_action = NULL;

  /* A row between two keys of the list view acts on none. */
  if (self->token == NULL)
    return;

  id = exk_token_get_id (self->token);

  /* Disabling says which way: the key may have changed since the menu opened. */
  if (g_str_equal (verb, "disable") || g_str_equal (verb, "enable"))
    {
      gtk_widget_activate_action (widget, "keys.set-disabled", "(sb)", id,
                                  g_str_equal (verb, "disable"));
      return;
    }

  /* The page asks, or says why a key of another user cannot be deleted. */
  if (g_str_equal (verb, "delete-refused") || g_str_equal (verb, "delete-key-pressed"))
    verb = "delete";

  page_action = g_strconcat ("keys.", verb, NULL);
  gtk_widget_activate_action (widget, page_action, "s", id);
}

static void
exk_token_row_reveal (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (widget);

  if (self->token != NULL)
    gtk_toggle_button_set_active (self->reveal_button,
                                  !gtk_toggle_button_get_active (self->reveal_button));
}

/* The list view focuses only rows that can be selected or activated: a click
 * anywhere in this one focuses it (a button then takes the focus from it). */
static void
on_pressed (ExkTokenRow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* Up and Down go to the row above or below (the list view does it), not to
 * this row's buttons: Tab reaches those. */
static gboolean
exk_token_row_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  if (direction == GTK_DIR_UP || direction == GTK_DIR_DOWN)
    {
      GtkRoot *root = gtk_widget_get_root (widget);
      GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

      if (focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget)))
        return FALSE;

      return gtk_widget_grab_focus (widget);
    }

  return GTK_WIDGET_CLASS (exk_token_row_parent_class)->focus (widget, direction);
}

static void
exk_token_row_dispose (GObject *object)
{
  ExkTokenRow *self = EXK_TOKEN_ROW (object);
  GtkWidget *child;

  exk_token_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), EXK_TYPE_TOKEN_ROW);
  /* A plain widget: its template's box is unparented by hand. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (exk_token_row_parent_class)->dispose (object);
}

static void
exk_token_row_class_init (ExkTokenRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char *forwarded[] = {
    "row.copy", "row.edit-notes", "row.check", "row.rotate", "row.replace-leaked",
    "row.dismiss-rotation",
    "row.disable", "row.enable", "row.delete", "row.delete-refused", "row.delete-key-pressed",
    "row.stop-waiting",
  };

  object_class->dispose = exk_token_row_dispose;
  widget_class->focus = exk_token_row_focus;

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    gtk_widget_class_install_action (widget_class, forwarded[i], NULL, exk_token_row_forward);
  gtk_widget_class_install_action (widget_class, "row.reveal", NULL, exk_token_row_reveal);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "row.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "row.delete-key-pressed",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0,
                                       "row.delete-key-pressed", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "row.edit-notes", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "row.reveal", NULL);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/exk-token-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, head_box);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, key_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, notes_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, dates_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, stop_waiting_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, ExkTokenRow, row_menu);
  gtk_widget_class_bind_template_callback (widget_class, on_reveal_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_query_tooltip);
}

/* A popover menu is a few dozen widgets: built when the menu first opens, not
 * for each of the rows. */
static void
create_menu (GtkMenuButton *button,
             gpointer       user_data)
{
  ExkTokenRow *self = user_data;

  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->row_menu);
}

static void
exk_token_row_init (ExkTokenRow *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);

  /* A GtkBox in the template, laid out as a flow: its GtkBoxLayout goes. */
  gtk_widget_set_layout_manager (self->head_box,
                                 gtk_custom_layout_new (flow_get_request_mode, flow_measure,
                                                        flow_allocate));

  /* GTK 4.8 reads a button labelled with a mnemonic twice, the second time
   * with its underscore (“_Stop Waiting Stop Waiting”): keep the label it is
   * labelled by. */
  gtk_accessible_reset_property (GTK_ACCESSIBLE (self->stop_waiting_button),
                                 GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/**
 * exk_token_row_new:
 *
 * Returns: a row that shows no key until exk_token_row_bind()
 */
GtkWidget *
exk_token_row_new (void)
{
  return g_object_new (EXK_TYPE_TOKEN_ROW, NULL);
}

/**
 * exk_token_row_bind:
 * @token: the key
 * @state: what the key list knows of the key besides the server's data
 * @can_delete: whether the signed-in user may delete it
 *
 * Shows @token, instead of the key shown before if any, and follows its
 * changes until exk_token_row_unbind().
 */
void
exk_token_row_bind (ExkTokenRow *self,
                    ExkToken    *token,
                    ExkKeyState *state,
                    gboolean     can_delete)
{
  g_return_if_fail (EXK_IS_TOKEN_ROW (self));
  g_return_if_fail (EXK_IS_TOKEN (token));
  g_return_if_fail (EXK_IS_KEY_STATE (state));

  exk_token_row_unbind (self);

  self->token = g_object_ref (token);
  self->state = g_object_ref (state);
  self->can_delete = can_delete;

  /* Edits (notes, disabled) update the token in place; the row follows. */
  g_signal_connect_object (token, "notify", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::busy", G_CALLBACK (exk_token_row_update_busy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::check", G_CALLBACK (exk_token_row_update_check), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::replaces", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::replaced-by", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::revealed", G_CALLBACK (exk_token_row_update), self,
                           G_CONNECT_SWAPPED);
  self->revealed_binding = g_object_bind_property (state, "revealed", self->reveal_button,
                                                   "active",
                                                   G_BINDING_BIDIRECTIONAL
                                                   | G_BINDING_SYNC_CREATE);

  exk_token_row_update (self);
  exk_token_row_update_busy (self);
  exk_token_row_update_check (self);
}

/**
 * exk_token_row_unbind:
 *
 * Stops showing the key bound with exk_token_row_bind(), if any: the row no
 * longer follows it, and its actions do nothing until it is bound again.
 */
void
exk_token_row_unbind (ExkTokenRow *self)
{
  g_return_if_fail (EXK_IS_TOKEN_ROW (self));

  if (self->token == NULL)
    return;

  g_clear_pointer (&self->revealed_binding, g_binding_unbind);
  g_signal_handlers_disconnect_by_data (self->token, self);
  g_signal_handlers_disconnect_by_data (self->state, self);
  g_clear_object (&self->token);
  g_clear_object (&self->state);

  /* What was shown of the key's requests was the key's, not the next one's. */
  exk_token_row_update_busy (self);
  exk_token_row_update_check (self);
}

/**
 * exk_token_row_get_token:
 *
 * Returns: (transfer none) (nullable): the key the row shows
 */
ExkToken *
exk_token_row_get_token (ExkTokenRow *self)
{
  g_return_val_if_fail (EXK_IS_TOKEN_ROW (self), NULL);

  return self->token;
}

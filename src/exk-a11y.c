// SPDX-License-Identifier: GPL-3.0-or-later

/* What GTK 4.8 and libadwaita 1.2 tell screen readers wrongly about widgets
 * they build themselves, put right in one place (tests/test-atspi.py reads
 * every window through the accessibility bus and finds these):
 *
 * - a button with use-underline is named twice, the first time with its
 *   underscore ("_Cancel Cancel", "Undo Undo"): GtkButton sets its accessible
 *   label to the raw text and is labelled by its GtkLabel as well.
 *   AdwMessageDialog's responses, AdwToast's button and every .ui button with
 *   use-underline have it;
 * - AdwPasswordEntryRow's peek button and AdwToast's close button are named
 *   after their icon ("GtkImage");
 * - GtkShortcutsWindow has no title, and its search entry, search button and
 *   section menu are named after their types;
 * - GtkDropDown's toggle button has no name (it takes the drop-down's tooltip). */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "exk-a11y.h"

#define WATCHED_KEY "exk-a11y-watched"

static void fix_mnemonic_button (GtkButton *button);

static void
on_button_label_changed (GtkButton *button)
{
  fix_mnemonic_button (button);
}

/* The GtkLabel it is labelled by stays, and reads without the underscore.
 * Again after each change of the label, which sets the raw text once more. */
static void
fix_mnemonic_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);

  if (g_object_get_data (G_OBJECT (button), WATCHED_KEY) == NULL)
    {
      g_object_set_data (G_OBJECT (button), WATCHED_KEY, GINT_TO_POINTER (TRUE));
      g_signal_connect (button, "notify::label", G_CALLBACK (on_button_label_changed), NULL);
      g_signal_connect (button, "notify::use-underline", G_CALLBACK (on_button_label_changed),
                        NULL);
    }

  /* With or without an underscore in it: "Undo Undo" is no better. */
  if (label != NULL && gtk_button_get_use_underline (button))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

static void
label_descendants (GtkWidget  *root,
                   GType       type,
                   const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        label, -1);
      label_descendants (child, type, label);
    }
}

static void
fix_shortcuts_window (GtkShortcutsWindow *window)
{
  /* Its own header bar shows the section's title; the window itself has none. */
  if (gtk_window_get_title (GTK_WINDOW (window)) == NULL)
    gtk_window_set_title (GTK_WINDOW (window), _("Keyboard Shortcuts"));

  label_descendants (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, _("Search Shortcuts"));
  label_descendants (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON, _("Search Shortcuts"));
  label_descendants (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, _("Shortcut Sections"));
}

/**
 * exk_a11y_fix_names:
 * @root: a window, or any widget
 *
 * Gives the widgets under @root that GTK or libadwaita name wrongly the name a
 * screen reader should say. Safe to call again on the same widgets.
 */
void
exk_a11y_fix_names (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  if (GTK_IS_SHORTCUTS_WINDOW (root))
    fix_shortcuts_window (GTK_SHORTCUTS_WINDOW (root));

  if (GTK_IS_BUTTON (root))
    fix_mnemonic_button (GTK_BUTTON (root));

  /* GtkDropDown's own toggle button is what screen readers land on, and GTK
   * 4.8 does not pass the drop-down's name on: the tooltip says what it is. */
  if (GTK_IS_DROP_DOWN (root) && gtk_widget_get_tooltip_text (root) != NULL)
    label_descendants (root, GTK_TYPE_TOGGLE_BUTTON, gtk_widget_get_tooltip_text (root));

  if (ADW_IS_PASSWORD_ENTRY_ROW (root))
    {
      /* The peek button: pressed, it shows the text. */
      label_descendants (root, GTK_TYPE_BUTTON, _("Show Text"));
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    exk_a11y_fix_names (child);
}

static void
on_window_map (GtkWidget *window)
{
  exk_a11y_fix_names (window);
}

/* Buttons made after their window was shown (toasts, list rows, popovers):
 * put right when they are shown. */
static gboolean
on_widget_map (GSignalInvocationHint *hint,
               guint                  n_values,
               const GValue          *values,
               gpointer               user_data)
{
  GObject *widget = g_value_get_object (&values[0]);

  if (GTK_IS_BUTTON (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (widget));

      fix_mnemonic_button (GTK_BUTTON (widget));
      /* AdwToast's close button is named after its icon. */
      if (gtk_button_get_icon_name (GTK_BUTTON (widget)) != NULL && parent != NULL
          && g_str_equal (G_OBJECT_TYPE_NAME (parent), "AdwToastWidget"))
        gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _("Dismiss"), -1);
    }

  return TRUE;
}

static void
on_toplevels_changed (GListModel *toplevels,
                      guint       position,
                      guint       removed,
                      guint       added)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (g_object_get_data (G_OBJECT (window), WATCHED_KEY) != NULL)
        continue;
      g_object_set_data (G_OBJECT (window), WATCHED_KEY, GINT_TO_POINTER (TRUE));
      /* Dialogs get their buttons after they are made: fixed when shown. */
      g_signal_connect (window, "map", G_CALLBACK (on_window_map), NULL);
    }
}

/**
 * exk_a11y_watch_windows:
 *
 * Runs exk_a11y_fix_names() on every window of the process, message dialogs
 * and the shortcuts window included, each time it is shown, and puts right
 * each button shown later. Once, at startup.
 */
void
exk_a11y_watch_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_signal_connect (toplevels, "items-changed", G_CALLBACK (on_toplevels_changed), NULL);
  /* The signal exists once the class does: no widget may have been made yet. */
  g_type_class_unref (g_type_class_ref (GTK_TYPE_WIDGET));
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_widget_map, NULL,
                              NULL);
  on_toplevels_changed (toplevels, 0, 0, g_list_model_get_n_items (toplevels));
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>

#include "exk-history-page.h"
#include "exk-test-util.h"

/* The History page on screen: its empty state, its rows, its search (which
 * finds a pasted key by its first characters). A history in memory: the
 * file is test-history's business. */

#define PISTOL_ID  "537650f3b77efe23a47914f4"
#define FULL_KEY   "mUf7KSOm4EHQYAWQgTeZhsEVuncOSksaIOOd2qJw"
#define OTHER_KEY  "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"

typedef struct
{
  GtkWindow      *window;
  ExkHistoryPage *page;
  ExkHistory     *history;
} Fixture;

static GtkWidget *
find_child_of_type (GtkWidget *widget,
                    GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_child_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
visible_page (Fixture *fixture)
{
  GtkStack *stack = GTK_STACK (find_child_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_STACK));

  return gtk_stack_get_visible_child_name (stack);
}

static void
search (Fixture    *fixture,
        const char *text)
{
  GtkWidget *entry = find_child_of_type (GTK_WIDGET (fixture->page), GTK_TYPE_SEARCH_ENTRY);

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* The search entry waits a moment before it says the text changed. */
  g_signal_emit_by_name (entry, "search-changed");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 640, 480);
  fixture->page = g_object_new (EXK_TYPE_HISTORY_PAGE, NULL);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->page));
  fixture->history = exk_history_new_memory ();
  gtk_window_present (fixture->window);
  exk_test_wait_until_mapped (GTK_WIDGET (fixture->page));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->history);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  exk_history_page_set_history (fixture->page, fixture->history);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
  exk_test_wait_for_paint (GTK_WIDGET (fixture->page));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "history-empty");
}

static void
test_rows_and_search (Fixture       *fixture,
                      gconstpointer  data)
{
  exk_history_page_set_history (fixture->page, fixture->history);
  exk_history_record (fixture->history, EXK_HISTORY_ACTION_CREATED, PISTOL_ID,
                      "Disintegrating Pistol", FULL_KEY, NULL, "Production web servers");
  exk_history_record (fixture->history, EXK_HISTORY_ACTION_DISABLED, PISTOL_ID, "Rocket Ship",
                      OTHER_KEY, NULL, NULL);
  exk_history_record (fixture->history, EXK_HISTORY_ACTION_LEAK_REPLACED, PISTOL_ID,
                      "Disintegrating Pistol", OTHER_KEY, FULL_KEY, "Old Android build");

  /* Rows come as soon as changes are recorded. */
  g_assert_cmpstr (visible_page (fixture), ==, "list");
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 3);
  exk_test_wait_for_paint (GTK_WIDGET (fixture->page));
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "history-rows");

  /* A pasted key finds every change about it, by its first characters. */
  search (fixture, FULL_KEY);
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 2);

  search (fixture, "rocket");
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 1);

  search (fixture, "android");
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 1);

  search (fixture, "no such thing");
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 0);
  g_assert_cmpstr (visible_page (fixture), ==, "no-match");

  search (fixture, "");
  g_assert_cmpuint (exk_history_page_get_n_shown (fixture->page), ==, 3);
  g_assert_cmpstr (visible_page (fixture), ==, "list");

  exk_history_page_set_history (fixture->page, NULL);
  g_assert_cmpstr (visible_page (fixture), ==, "empty");
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

  g_test_add ("/exkeys/history-page/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);
  g_test_add ("/exkeys/history-page/rows-and-search", Fixture, NULL, fixture_set_up,
              test_rows_and_search, fixture_tear_down);

  return g_test_run ();
}

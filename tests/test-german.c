// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "exk-mock-server.h"
#include "exk-new-key-dialog.h"
#include "exk-project-page.h"
#include "exk-project-page-private.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* The window in German, as a person whose desktop is in German sees it: po/de.po
 * compiled into a locale folder of the test's own, LANGUAGE=de, and the keys page
 * looked at in a wide and in a narrow window. */

#define PISTOL_ID    "537650f3b77efe23a47914f4"
#define DISABLED_KEY "qmOVlTgg745MdVIeY7Bh3TFKEF5WCFMg2uhiMjYt"

typedef struct
{
  ExkMockServer     *mock;
  ExkAccountManager *manager;
  ExkWindow         *window;
  ExkProjectSidebar *sidebar;
  ExkProjectPage    *page;
} Fixture;

/* Where the catalog was compiled, or NULL when it could not be: then every test skips. */
static char *locale_dir;

static GtkWidget *
window_child (Fixture    *fixture,
              const char *name)
{
  return exk_test_template_child (fixture->window, EXK_TYPE_WINDOW, name);
}

static gboolean
spawn_quietly (const char * const *argv)
{
  int status;

  return g_spawn_sync (NULL, (char **) argv, NULL,
                       G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL
                       | G_SPAWN_STDERR_TO_DEV_NULL,
                       NULL, NULL, NULL, NULL, &status, NULL)
         && g_spawn_check_wait_status (status, NULL);
}

/* po/de.po as the build would install it, into @dir/de/LC_MESSAGES. */
static gboolean
compile_catalog (const char *dir)
{
  g_autofree char *po = g_test_build_filename (G_TEST_DIST, "..", "po", "de.po", NULL);
  g_autofree char *messages = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
  g_autofree char *mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  const char *argv[] = { "msgfmt", "--check", "-o", mo, po, NULL };

  g_mkdir_with_parents (messages, 0755);
  return spawn_quietly (argv);
}

/* glibc honours LANGUAGE under C.UTF-8, but not every C library does under a C
 * locale: there, a German locale compiled into @dir gives LC_MESSAGES a name. */
static gboolean
use_german_messages (const char *dir)
{
  g_autofree char *path = NULL;
  const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", NULL, NULL };

  if (g_str_equal (_("Projects"), "Projekte"))
    return TRUE;

  path = g_build_filename (dir, "de_DE.UTF-8", NULL);
  argv[5] = path;
  if (!spawn_quietly (argv))
    return FALSE;

  g_setenv ("LOCPATH", dir, TRUE);
  if (setlocale (LC_MESSAGES, "de_DE.UTF-8") == NULL)
    return FALSE;

  return g_str_equal (_("Projects"), "Projekte");
}

static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (fixture->sidebar))
            > 0;
}

static gboolean
keys_loaded (gpointer data)
{
  Fixture *fixture = data;
  ExkKeyList *key_list = exk_project_page_get_key_list (fixture->page);

  return key_list != NULL
         && exk_key_list_get_loaded (key_list)
         && !exk_key_list_get_loading (key_list)
         && g_list_model_get_n_items (G_LIST_MODEL (key_list)) > 0;
}

/* The list view builds rows only for what shows. */
static gboolean
disabled_row_built (gpointer data)
{
  Fixture *fixture = data;

  return exk_project_page_get_row (fixture->page, DISABLED_KEY) != NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  ExkMockOptions options = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);
  int width = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;

  if (locale_dir == NULL)
    return;

  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  /* No window manager resizes the window later: it starts at the width to look at. */
  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", 720);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (window_child (fixture, "project_sidebar"));
  fixture->page = EXK_PROJECT_PAGE (window_child (fixture, "project_page"));
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));

  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_ID);

  if (fixture->window == NULL)
    return;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_settings_reset (settings, "last-projects");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

/* Whether a label that a person can see right now under @widget reads @text. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return FALSE;

  if (GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), text))
    return TRUE;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;

  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} Shown;

static gboolean
label_shown (gpointer data)
{
  Shown *shown = data;

  return shows_label (shown->root, shown->text);
}

static void
assert_shows (gpointer    root,
              const char *text)
{
  Shown shown = { root, text };

  if (!exk_test_wait_until (label_shown, &shown, 10000))
    g_error ("No label on screen reads “%s”", text);
}

/* The value of an accessible property of @widget, or NULL where it has none. */
static char *
dup_accessible_property (GtkWidget             *widget,
                         GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;

  /* Checked against a value it cannot have, GTK answers with the one it has. */
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property,
                                             "\x01 no such value");
}

static void
open_pistol (Fixture *fixture)
{
  exk_project_sidebar_select_project_id (fixture->sidebar, PISTOL_ID);
  g_assert_nonnull (exk_project_sidebar_get_selected_project (fixture->sidebar));
  exk_test_assert_wait (keys_loaded, fixture);
}

/* Says which widgets under @widget ask for more than @limit pixels, down to the
 * label that does, when the window does not fit. */
static void
report_wide (GtkWidget *widget,
             int        limit,
             int        depth)
{
  int minimum;

  if (!gtk_widget_get_visible (widget))
    return;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum <= limit)
    return;

  g_test_message ("%*s%s, at least %d pixels wide%s%s", depth, "", G_OBJECT_TYPE_NAME (widget),
                  minimum, GTK_IS_LABEL (widget) ? ": " : "",
                  GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    report_wide (child, limit, depth + 1);
}

/* German words are longer than English ones: they must not push the window's
 * smallest width, sign-in page included, past the 360 pixels the narrow layout
 * handles. */
static void
assert_fits (Fixture *fixture)
{
  /* The content: the window adds the frame of its client-side decorations. */
  AdwApplicationWindow *window = ADW_APPLICATION_WINDOW (fixture->window);
  GtkWidget *content = adw_application_window_get_content (window);
  int minimum;

  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360)
    report_wide (content, 360, 0);
  g_assert_cmpint (minimum, <=, 360);
}

static gboolean
transitions_done (gpointer data)
{
  Fixture *fixture = data;

  return !gtk_stack_get_transition_running (GTK_STACK (window_child (fixture, "main_stack")))
         && !gtk_stack_get_transition_running (GTK_STACK (window_child (fixture,
                                                                        "content_stack")))
         && !adw_leaflet_get_child_transition_running (ADW_LEAFLET (window_child (fixture,
                                                                                  "leaflet")));
}

/* Once the window no longer fades or slides from one page to another. */
static void
save_screenshot (Fixture    *fixture,
                 const char *name)
{
  exk_test_assert_wait (transitions_done, fixture);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), name);
}

static void
test_german_wide (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *name = NULL;
  GtkWidget *row;
  GtkWidget *summary;

  if (locale_dir == NULL)
    {
      g_test_skip ("po/de.po could not be compiled, or no German locale could be used");
      return;
    }

  /* The sidebar's title, then the keys page: its tab, its summary with counts in
   * German plural forms, a key's tag, and what a screen reader says for that key. */
  assert_shows (fixture->window, "Projekte");
  open_pistol (fixture);
  assert_shows (fixture->window, "API-Schlüssel");
  summary = exk_test_template_child (fixture->page, EXK_TYPE_PROJECT_PAGE, "keys_summary");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (summary)), ==,
                   "Acme · 7 Schlüssel, 1 deaktiviert, 1 abgelaufen");
  assert_shows (fixture->page, "Deaktiviert");

  exk_test_assert_wait (disabled_row_built, fixture);
  row = exk_project_page_get_row (fixture->page, DISABLED_KEY);
  name = dup_accessible_property (row, GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_test_message ("accessible name: %s", name);
  g_assert_true (g_str_has_prefix (name, "API-Schlüssel qmOVlT"));
  g_assert_nonnull (strstr (name, ", deaktiviert, "));

  /* GTK's own strings come from GTK's catalog, in the same language. */
  g_assert_cmpstr (g_dgettext ("gtk40", "_Cancel"), !=, "_Cancel");

  assert_fits (fixture);
  save_screenshot (fixture, "german-keys-960");
}

static gboolean
shows_content (gpointer data)
{
  Fixture *fixture = data;
  AdwLeaflet *leaflet = ADW_LEAFLET (window_child (fixture, "leaflet"));

  return adw_leaflet_get_folded (leaflet)
         && adw_leaflet_get_visible_child (leaflet) == window_child (fixture, "content");
}

static void
test_german_narrow (Fixture       *fixture,
                    gconstpointer  data)
{
  if (locale_dir == NULL)
    {
      g_test_skip ("po/de.po could not be compiled, or no German locale could be used");
      return;
    }

  assert_shows (fixture->window, "Projekte");
  save_screenshot (fixture, "german-sidebar-360");

  /* One column: the keys come after the sidebar, as a click on the project leads there. */
  open_pistol (fixture);
  adw_leaflet_navigate (ADW_LEAFLET (window_child (fixture, "leaflet")),
                        ADW_NAVIGATION_DIRECTION_FORWARD);
  exk_test_assert_wait (shows_content, fixture);
  exk_test_assert_wait (disabled_row_built, fixture);
  assert_shows (fixture->page, "Deaktiviert");
  assert_fits (fixture);
  save_screenshot (fixture, "german-keys-360");
}

/* @dialog's pages, the hidden ones too, fit a window 360 pixels wide. */
static void
assert_fits_narrow (GtkWidget *dialog)
{
  int minimum;

  gtk_widget_measure (gtk_window_get_child (GTK_WINDOW (dialog)), GTK_ORIENTATION_HORIZONTAL,
                      -1, &minimum, NULL, NULL, NULL);
  if (minimum > 360)
    report_wide (dialog, 360, 0);
  g_assert_cmpint (minimum, <=, 360);
}

static gboolean
key_created (gpointer dialog)
{
  GtkStack *stack = GTK_STACK (exk_test_template_child (dialog, EXK_TYPE_NEW_KEY_DIALOG,
                                                         "stack"));

  return exk_new_key_dialog_get_new_key (dialog) != NULL
         && g_str_equal (gtk_stack_get_visible_child_name (stack), "created")
         && !gtk_stack_get_transition_running (stack);
}

/* The dialog with the most words, in one column: nothing wider than a phone. */
static void
test_german_new_key_dialog (Fixture       *fixture,
                            gconstpointer  data)
{
  ExkNewKeyDialog *dialog;

  if (locale_dir == NULL)
    {
      g_test_skip ("po/de.po could not be compiled, or no German locale could be used");
      return;
    }

  open_pistol (fixture);
  dialog = exk_new_key_dialog_new (GTK_WINDOW (fixture->window),
                                   exk_project_page_get_key_list (fixture->page));
  g_object_ref_sink (dialog);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 360, 640);
  gtk_window_present (GTK_WINDOW (dialog));
  exk_test_wait_until_mapped (GTK_WIDGET (dialog));

  assert_shows (dialog, "Neuer API-Schlüssel");
  assert_shows (dialog, "Client-Schlüssel");
  assert_fits_narrow (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "german-new-key-360");

  /* The page that shows the new key and its two buttons. */
  exk_test_click (exk_test_template_child (dialog, EXK_TYPE_NEW_KEY_DIALOG, "create_button"));
  exk_test_assert_wait (key_created, dialog);
  assert_shows (dialog, "Schlüssel erstellt");
  assert_fits_narrow (GTK_WIDGET (dialog));
  exk_test_save_screenshot (GTK_WIDGET (dialog), "german-new-key-created-360");

  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_finalize_object (dialog);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("exkeys-german-XXXXXX", &error);
  int status;

  g_assert_no_error (error);

  /* Before GTK sets the locale from the environment. */
  g_setenv ("LANGUAGE", "de", TRUE);
  exk_test_init_ui (&argc, &argv);

  /* As main.c does, with the catalog from the source tree's po/de.po. */
  if (compile_catalog (dir))
    {
      bindtextdomain (GETTEXT_PACKAGE, dir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
      if (use_german_messages (dir))
        locale_dir = dir;
    }

  g_test_add ("/exkeys/german/keys-page-wide", Fixture, GINT_TO_POINTER (960),
              fixture_setup, test_german_wide, fixture_teardown);
  g_test_add ("/exkeys/german/keys-page-narrow", Fixture, GINT_TO_POINTER (360),
              fixture_setup, test_german_narrow, fixture_teardown);
  g_test_add ("/exkeys/german/new-key-dialog-narrow", Fixture, GINT_TO_POINTER (960),
              fixture_setup, test_german_new_key_dialog, fixture_teardown);

  status = g_test_run ();

  {
    const char *rm[] = { "rm", "-rf", dir, NULL };

    spawn_quietly (rm);
  }
  locale_dir = NULL;
  return status;
}

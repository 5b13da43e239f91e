// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "exk-mock-server.h"
#include "exk-project-cache.h"
#include "exk-project-sidebar.h"
#include "exk-project-sidebar-private.h"
#include "exk-test-util.h"
#include "exk-window.h"

/* The project sidebar over 1,500 projects, searched the way a person types:
 * one search after another, replaced, narrowed, widened and cleared, alone
 * and with an organization chosen. After every search both the filtered
 * model and the rows the list view really shows must be exactly what the
 * search selects. */

/* 12 × 25 × 5 = 1,500 names, from "Amber Anchor API" to "Velvet Willow Worker". */
static const char * const adjectives[] = {
  "Amber", "Brisk", "Cobalt", "Dusky", "Ember", "Frosted", "Golden", "Hidden", "Ivory",
  "Jasper", "Lunar", "Velvet",
};
static const char * const nouns[] = {
  "Anchor", "Beacon", "Canyon", "Dune", "Falcon", "Glacier", "Harbor", "Iris", "Juniper",
  "Kestrel", "Lantern", "Meadow", "Meridian", "Nectar", "Orchid", "Pebble", "Quartz", "Raven",
  "Sparrow", "Summit", "Thistle", "Umber", "Vortex", "Walnut", "Willow",
};
static const char * const suffixes[] = {
  "API", "Portal", "Service", "Web", "Worker",
};

static const struct
{
  const char *id;
  const char *name;
} organizations[] = {
  { "64b7e2a9c1d04f5e8a9b0d01", "Acme" },
  { "64b7e2a9c1d04f5e8a9b0d02", "Globex" },
  { "64b7e2a9c1d04f5e8a9b0d03", "Initech" },
};

#define N_PROJECTS (G_N_ELEMENTS (adjectives) * G_N_ELEMENTS (nouns) * G_N_ELEMENTS (suffixes))

typedef struct
{
  char *name;
  guint organization;
} Project;

typedef struct
{
  char              *seed_dir;
  char              *seed_file;
  Project            projects[N_PROJECTS];
  ExkMockServer     *mock;
  ExkAccountManager *manager;
  ExkWindow         *window;
  ExkProjectSidebar *sidebar;
  GtkEditable       *search_entry;
  GtkDropDown       *organization_dropdown;
  GtkStack          *stack;
  GtkListView       *list_view;
  guint              searches;        /* search-changed emissions so far */
  char              *searched_text;   /* the text of the last one */
} Fixture;

static const char *
project_organization_name (const Project *project)
{
  return organizations[project->organization].name;
}

/* Shuffled on purpose: the server does not list projects by name. */
static void
make_projects (Fixture *fixture)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1500);
  guint i = 0;

  for (guint a = 0; a < G_N_ELEMENTS (adjectives); a++)
    for (guint n = 0; n < G_N_ELEMENTS (nouns); n++)
      for (guint s = 0; s < G_N_ELEMENTS (suffixes); s++, i++)
        {
          fixture->projects[i].name = g_strdup_printf ("%s %s %s", adjectives[a], nouns[n],
                                                       suffixes[s]);
          fixture->projects[i].organization = i % G_N_ELEMENTS (organizations);
        }

  for (i = N_PROJECTS - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1);
      Project tmp = fixture->projects[i];

      fixture->projects[i] = fixture->projects[j];
      fixture->projects[j] = tmp;
    }
}

static void
write_seed (Fixture *fixture)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "demo_user");
  json_builder_add_string_value (builder, "org@localhost");

  json_builder_set_member_name (builder, "organizations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (organizations); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, organizations[i].id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, organizations[i].name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "projects");
  json_builder_begin_array (builder);
  for (guint i = 0; i < N_PROJECTS; i++)
    {
      g_autofree char *id = g_strdup_printf ("5eb2%020x", i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "organization_id");
      json_builder_add_string_value (builder,
                                     organizations[fixture->projects[i].organization].id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, fixture->projects[i].name);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "537650f3b77efe23a4791401");
  json_builder_set_member_name (builder, "email_address");
  json_builder_add_string_value (builder, "org@localhost");
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, "Eric Smith");
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, "tester");
  json_builder_set_member_name (builder, "organization_ids");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (organizations); i++)
    json_builder_add_string_value (builder, organizations[i].id);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "roles");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "client");
  json_builder_add_string_value (builder, "user");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  fixture->seed_dir = g_dir_make_tmp ("exkeys-sidebar-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->seed_file = g_build_filename (fixture->seed_dir, "seed.json", NULL);
  json_generator_to_file (generator, fixture->seed_file, &error);
  g_assert_no_error (error);
}

static gboolean
projects_loaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (fixture->sidebar))
            == N_PROJECTS;
}

static GtkWidget *
sidebar_child (Fixture    *fixture,
               const char *name)
{
  return exk_test_template_child (fixture->sidebar, EXK_TYPE_PROJECT_SIDEBAR, name);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   Fixture        *fixture)
{
  fixture->searches++;
  g_free (fixture->searched_text);
  fixture->searched_text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ExkMockOptions options = { 0 };

  make_projects (fixture);
  write_seed (fixture);
  options.seed_file = fixture->seed_file;
  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);

  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (exk_test_template_child (fixture->window,
                                                                   EXK_TYPE_WINDOW,
                                                                   "project_sidebar"));
  fixture->search_entry = GTK_EDITABLE (sidebar_child (fixture, "search_entry"));
  fixture->organization_dropdown = GTK_DROP_DOWN (sidebar_child (fixture,
                                                                 "organization_dropdown"));
  fixture->stack = GTK_STACK (sidebar_child (fixture, "stack"));
  fixture->list_view = GTK_LIST_VIEW (sidebar_child (fixture, "list_view"));
  g_signal_connect (fixture->search_entry, "search-changed", G_CALLBACK (on_search_changed),
                    fixture);
  /* The tests wait for search-changed, never for a time: a shorter delay
   * than GTK's 150 ms only makes typing slowly take less long. */
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (fixture->search_entry), 50);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_SESSION_ONLY);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
  exk_test_wait_until_mapped (GTK_WIDGET (fixture->list_view));

  /* Ctrl+F, as a person starts a search. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  exk_test_wait_until_mapped (GTK_WIDGET (fixture->search_entry));
  gtk_widget_grab_focus (GTK_WIDGET (fixture->search_entry));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_remove (fixture->seed_file);
  g_rmdir (fixture->seed_dir);
  g_clear_pointer (&fixture->seed_file, g_free);
  g_clear_pointer (&fixture->seed_dir, g_free);
  g_clear_pointer (&fixture->searched_text, g_free);
  for (guint i = 0; i < N_PROJECTS; i++)
    g_clear_pointer (&fixture->projects[i].name, g_free);
}

/* Typing */

typedef struct
{
  Fixture *fixture;
  guint    searches_before;
} SearchWait;

static gboolean
search_ran (gpointer data)
{
  SearchWait *wait = data;
  Fixture *fixture = wait->fixture;

  return fixture->searches > wait->searches_before
         && g_strcmp0 (fixture->searched_text, gtk_editable_get_text (fixture->search_entry)) == 0;
}

/* Waits for the entry's search-changed, which GtkSearchEntry holds back
 * while typing goes on, for the text the entry has now. */
static void
wait_for_search (Fixture *fixture,
                 guint    searches_before)
{
  SearchWait wait = { fixture, searches_before };

  exk_test_assert_wait (search_ran, &wait);
}

/* What GtkText does for a committed character: replace the selection, or
 * insert at the cursor and move the cursor past it. */
static void
type_char (Fixture  *fixture,
           gunichar  c)
{
  char utf8[7] = { 0 };
  int start, end, position;

  g_unichar_to_utf8 (c, utf8);
  if (gtk_editable_get_selection_bounds (fixture->search_entry, &start, &end))
    gtk_editable_delete_text (fixture->search_entry, start, end);
  position = gtk_editable_get_position (fixture->search_entry);
  gtk_editable_insert_text (fixture->search_entry, utf8, -1, &position);
  gtk_editable_set_position (fixture->search_entry, position);
}

/* What GtkText does for BackSpace without a selection. */
static void
type_backspace (Fixture *fixture)
{
  int position = gtk_editable_get_position (fixture->search_entry);

  g_assert_cmpint (position, >, 0);
  gtk_editable_delete_text (fixture->search_entry, position - 1, position);
}

/* Types @text at the cursor. Slowly: every keystroke's search runs, and the
 * list shows it, before the next key. Quickly: the keys come faster than the
 * search delay, so only the last search runs (and the empty one that
 * GtkSearchEntry runs at once when typing replaces a selection). */
static void
type_text (Fixture    *fixture,
           const char *text,
           gboolean    slowly)
{
  guint before = fixture->searches;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      guint searches = fixture->searches;

      type_char (fixture, g_utf8_get_char (p));
      if (slowly)
        wait_for_search (fixture, searches);
      else
        g_main_context_iteration (NULL, FALSE);
    }

  wait_for_search (fixture, before);
}

static void
erase (Fixture  *fixture,
       guint     count,
       gboolean  slowly)
{
  guint before = fixture->searches;

  for (guint i = 0; i < count; i++)
    {
      guint searches = fixture->searches;

      type_backspace (fixture);
      if (slowly)
        wait_for_search (fixture, searches);
      else
        g_main_context_iteration (NULL, FALSE);
    }

  wait_for_search (fixture, before);
}

/* Ctrl+A, then the new search typed over the old one. */
static void
replace_text (Fixture    *fixture,
              const char *text,
              gboolean    slowly)
{
  gtk_editable_select_region (fixture->search_entry, 0, -1);
  type_text (fixture, text, slowly);
}

/* What should be listed */

static gboolean
contains_casefolded (const char *haystack,
                     const char *needle)
{
  g_autofree char *folded_haystack = g_utf8_casefold (haystack, -1);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);

  return strstr (folded_haystack, folded_needle) != NULL;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const Project *pa = *(const Project * const *) a;
  const Project *pb = *(const Project * const *) b;
  g_autofree char *fa = g_utf8_casefold (pa->name, -1);
  g_autofree char *fb = g_utf8_casefold (pb->name, -1);

  return g_utf8_collate (fa, fb);
}

/* The projects that @search and the chosen organization (NULL: all) select,
 * by name, worked out here without the app's code. */
static GPtrArray *
expected_projects (Fixture    *fixture,
                   const char *search,
                   const char *organization)
{
  GPtrArray *expected = g_ptr_array_new ();
  g_autofree char *needle = g_strstrip (g_strdup (search));

  for (guint i = 0; i < N_PROJECTS; i++)
    {
      const Project *project = &fixture->projects[i];

      if (organization != NULL && g_strcmp0 (project_organization_name (project),
                                             organization) != 0)
        continue;
      if (needle[0] != '\0'
          && !contains_casefolded (project->name, needle)
          && !contains_casefolded (project_organization_name (project), needle))
        continue;
      g_ptr_array_add (expected, (gpointer) project);
    }
  g_ptr_array_sort (expected, compare_names);

  return expected;
}

/* What the list view shows */

typedef struct
{
  char   *name;
  char   *organization;
  double  top;
  double  bottom;
} ShownRow;

static void
shown_row_free (ShownRow *row)
{
  g_free (row->name);
  g_free (row->organization);
  g_free (row);
}

static int
compare_shown_rows (gconstpointer a,
                    gconstpointer b)
{
  const ShownRow *ra = *(const ShownRow * const *) a;
  const ShownRow *rb = *(const ShownRow * const *) b;

  return (ra->top > rb->top) - (ra->top < rb->top);
}

/* The rows a person sees, top to bottom: mapped row widgets inside the
 * visible part of the list, with the text of their two labels. */
static GPtrArray *
shown_rows (Fixture *fixture)
{
  GtkWidget *list = GTK_WIDGET (fixture->list_view);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) shown_row_free);
  int height = gtk_widget_get_height (list);

  if (!gtk_widget_get_mapped (list))
    return rows;

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *box = gtk_widget_get_first_child (child);
      GtkWidget *name_label, *org_label;
      graphene_rect_t bounds;
      ShownRow *row;

      if (!gtk_widget_get_mapped (child) || box == NULL
          || !gtk_widget_compute_bounds (child, list, &bounds)
          || bounds.size.height <= 0
          || bounds.origin.y + bounds.size.height <= 0 || bounds.origin.y >= height)
        continue;

      name_label = gtk_widget_get_first_child (box);
      org_label = name_label != NULL ? gtk_widget_get_next_sibling (name_label) : NULL;
      g_assert_true (GTK_IS_LABEL (name_label) && GTK_IS_LABEL (org_label));

      row = g_new0 (ShownRow, 1);
      row->name = g_strdup (gtk_widget_get_mapped (name_label)
                            ? gtk_label_get_text (GTK_LABEL (name_label)) : "");
      row->organization = g_strdup (gtk_widget_get_mapped (org_label)
                                    ? gtk_label_get_text (GTK_LABEL (org_label)) : "");
      row->top = bounds.origin.y;
      row->bottom = bounds.origin.y + bounds.size.height;
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, compare_shown_rows);

  return rows;
}

#define ROW_MARGIN 6

typedef struct
{
  Fixture   *fixture;
  GPtrArray *expected;
  gboolean   from_top;
  GString   *problem;
} ShowsCheck;

/* Whether the list shows @expected in order, without gaps or overlaps, down
 * to its bottom or to the last one, from the first one when check->from_top;
 * says why not in check->problem. */
static gboolean
list_shows_expected (gpointer data)
{
  ShowsCheck *check = data;
  Fixture *fixture = check->fixture;
  g_autoptr(GPtrArray) rows = shown_rows (fixture);
  int height = gtk_widget_get_height (GTK_WIDGET (fixture->list_view));
  const char *page = gtk_stack_get_visible_child_name (fixture->stack);
  guint start = 0;

  g_string_truncate (check->problem, 0);

  if (check->expected->len == 0)
    {
      if (g_strcmp0 (page, "no-results") != 0)
        g_string_append_printf (check->problem, "the sidebar shows “%s”, not “no-results”",
                                page);
      return check->problem->len == 0;
    }

  if (g_strcmp0 (page, "list") != 0)
    g_string_append_printf (check->problem, "the sidebar shows “%s”, not its list; ", page);
  if (rows->len == 0)
    g_string_append (check->problem, "no row is shown; ");

  /* Scrolled down, the rows start further down the results. */
  if (!check->from_top && rows->len > 0)
    {
      ShownRow *first = g_ptr_array_index (rows, 0);

      while (start < check->expected->len
             && !g_str_equal (((const Project *) g_ptr_array_index (check->expected,
                                                                    start))->name,
                              first->name))
        start++;
      if (start == check->expected->len)
        {
          g_string_append_printf (check->problem, "row 0 shows “%s”, not a result; ",
                                  first->name);
          start = 0;
        }
    }

  for (guint i = 0; i < rows->len; i++)
    {
      ShownRow *row = g_ptr_array_index (rows, i);
      const Project *want = start + i < check->expected->len
                              ? g_ptr_array_index (check->expected, start + i)
                              : NULL;

      if (want == NULL)
        g_string_append_printf (check->problem, "row %u shows “%s” past the %u results; ",
                                i, row->name, check->expected->len);
      else if (g_strcmp0 (row->name, want->name) != 0
               || g_strcmp0 (row->organization, project_organization_name (want)) != 0)
        g_string_append_printf (check->problem, "row %u shows “%s” (%s), not “%s” (%s); ",
                                i, row->name, row->organization, want->name,
                                project_organization_name (want));
    }

  if (rows->len > 0)
    {
      ShownRow *first = g_ptr_array_index (rows, 0);
      ShownRow *last = g_ptr_array_index (rows, rows->len - 1);

      /* navigation-sidebar puts a few pixels of margin around each row. */
      if (first->top > ROW_MARGIN)
        g_string_append_printf (check->problem, "blank above the first row (%.0f px); ",
                                first->top);
      if (start + rows->len < check->expected->len && last->bottom < height - ROW_MARGIN)
        g_string_append_printf (check->problem,
                                "only %u of %u rows shown, blank below %.0f of %d px; ",
                                rows->len, check->expected->len, last->bottom, height);
      for (guint i = 1; i < rows->len; i++)
        {
          ShownRow *above = g_ptr_array_index (rows, i - 1);
          ShownRow *row = g_ptr_array_index (rows, i);

          if (row->top > above->bottom + 2 * ROW_MARGIN)
            g_string_append_printf (check->problem, "a gap of %.0f px above row %u; ",
                                    row->top - above->bottom, i);
          else if (row->top < above->bottom - 1)
            g_string_append_printf (check->problem, "row %u overlaps the row above; ", i);
        }
    }

  return check->problem->len == 0;
}

static char *
describe_search (Fixture *fixture)
{
  guint org = gtk_drop_down_get_selected (fixture->organization_dropdown);
  GListModel *names = gtk_drop_down_get_model (fixture->organization_dropdown);

  return g_strdup_printf ("search “%s” in %s", gtk_editable_get_text (fixture->search_entry),
                          org == 0 || org == GTK_INVALID_LIST_POSITION
                            ? "all organizations"
                            : gtk_string_list_get_string (GTK_STRING_LIST (names), org));
}

/* The filtered model holds exactly what the search and @organization (NULL:
 * all) select, and the list view shows it, from the top when @from_top. */
static void
assert_list (Fixture    *fixture,
             const char *organization,
             gboolean    from_top)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);
  GListModel *shown = G_LIST_MODEL (gtk_list_view_get_model (fixture->list_view));
  const char *search = gtk_editable_get_text (fixture->search_entry);
  g_autoptr(GPtrArray) expected = expected_projects (fixture, search, organization);
  g_autoptr(GString) problem = g_string_new (NULL);
  g_autofree char *description = describe_search (fixture);
  ShowsCheck check = { fixture, expected, from_top, problem };

  g_test_message ("%s: %u projects", description, expected->len);

  g_assert_cmpuint (g_list_model_get_n_items (visible), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (visible, i);
      const Project *want = g_ptr_array_index (expected, i);

      g_assert_cmpstr (exk_project_get_name (project), ==, want->name);
      g_assert_cmpstr (exk_project_get_organization_name (project), ==,
                       project_organization_name (want));
    }

  /* The list view is given the same projects. */
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (shown, i);

      g_assert_cmpstr (exk_project_get_name (project), ==,
                       ((const Project *) g_ptr_array_index (expected, i))->name);
    }

  /* The rows follow at the next frame. */
  if (!exk_test_wait_until (list_shows_expected, &check, 5000))
    g_error ("After the %s, the list is wrong: %s", description, problem->str);
}

/* After a new search, the results start at the top. */
static void
assert_shows (Fixture    *fixture,
              const char *organization)
{
  assert_list (fixture, organization, TRUE);
}

static void
choose_organization (Fixture    *fixture,
                     const char *name)
{
  GListModel *names = gtk_drop_down_get_model (fixture->organization_dropdown);

  if (name == NULL)
    {
      gtk_drop_down_set_selected (fixture->organization_dropdown, 0);
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name))
      {
        gtk_drop_down_set_selected (fixture->organization_dropdown, i);
        return;
      }

  g_error ("No organization “%s” in the dropdown", name);
}

/* Tests */

static void
test_sidebar_lists_everything (Fixture       *fixture,
                               gconstpointer  data)
{
  assert_shows (fixture, NULL);
}

/* The steps: the last project by name, then the first one typed over
 * it, then the search cleared. */
static void
test_sidebar_replace_search (Fixture       *fixture,
                             gconstpointer  data)
{
  gboolean slowly = GPOINTER_TO_INT (data);

  type_text (fixture, "Velvet Willow Worker", slowly);
  assert_shows (fixture, NULL);

  replace_text (fixture, "Amber Anchor API", slowly);
  assert_shows (fixture, NULL);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-search-replaced");

  replace_text (fixture, "Velvet Willow Worker", slowly);
  assert_shows (fixture, NULL);

  erase (fixture, strlen ("Velvet Willow Worker"), slowly);
  assert_shows (fixture, NULL);
}

static void
test_sidebar_narrow_and_widen (Fixture       *fixture,
                               gconstpointer  data)
{
  gboolean slowly = GPOINTER_TO_INT (data);

  /* Narrowing, one word at a time. */
  type_text (fixture, "ve", slowly);
  assert_shows (fixture, NULL);
  type_text (fixture, "lvet", slowly);
  assert_shows (fixture, NULL);
  type_text (fixture, " w", slowly);
  assert_shows (fixture, NULL);
  type_text (fixture, "illow", slowly);
  assert_shows (fixture, NULL);
  type_text (fixture, " wor", slowly);
  assert_shows (fixture, NULL);

  /* Nothing matches, then something again. */
  type_text (fixture, "x", slowly);
  assert_shows (fixture, NULL);
  erase (fixture, 1, slowly);
  assert_shows (fixture, NULL);

  /* Widening back. */
  erase (fixture, strlen (" wor"), slowly);
  assert_shows (fixture, NULL);
  erase (fixture, strlen ("illow"), slowly);
  assert_shows (fixture, NULL);
  erase (fixture, strlen ("velvet w"), slowly);
  assert_shows (fixture, NULL);

  /* Disjoint results in turn, and an organization's name. */
  replace_text (fixture, "api", slowly);
  assert_shows (fixture, NULL);
  replace_text (fixture, "worker", slowly);
  assert_shows (fixture, NULL);
  replace_text (fixture, "globex", slowly);
  assert_shows (fixture, NULL);
  replace_text (fixture, "amber", slowly);
  assert_shows (fixture, NULL);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-search-amber");

  erase (fixture, strlen ("amber"), slowly);
  assert_shows (fixture, NULL);
}

static void
test_sidebar_organization_and_search (Fixture       *fixture,
                                      gconstpointer  data)
{
  choose_organization (fixture, "Initech");
  assert_shows (fixture, "Initech");

  type_text (fixture, "velvet", FALSE);
  assert_shows (fixture, "Initech");

  replace_text (fixture, "amber anchor", FALSE);
  assert_shows (fixture, "Initech");

  choose_organization (fixture, "Acme");
  assert_shows (fixture, "Acme");

  replace_text (fixture, "willow worker", TRUE);
  assert_shows (fixture, "Acme");

  /* An organization's own name selects all of its projects, or none. */
  replace_text (fixture, "globex", FALSE);
  assert_shows (fixture, "Acme");

  choose_organization (fixture, "Globex");
  assert_shows (fixture, "Globex");
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-search-organization");

  erase (fixture, strlen ("globex"), FALSE);
  assert_shows (fixture, "Globex");

  choose_organization (fixture, NULL);
  assert_shows (fixture, NULL);
}

static const char *
project_id (Fixture    *fixture,
            const char *name)
{
  static char id[25];

  for (guint i = 0; i < N_PROJECTS; i++)
    if (g_str_equal (fixture->projects[i].name, name))
      {
        g_snprintf (id, sizeof id, "5eb2%020x", i + 1);
        return id;
      }

  g_error ("No project “%s”", name);
}

static ExkProject *
selected_in_list (Fixture *fixture)
{
  GtkSelectionModel *selection = gtk_list_view_get_model (fixture->list_view);

  return gtk_single_selection_get_selected_item (GTK_SINGLE_SELECTION (selection));
}

/* The open project's row stays alive in the middle of the list: searches
 * must not leave its or any other row in the wrong place. */
static void
test_sidebar_search_with_open_project (Fixture       *fixture,
                                       gconstpointer  data)
{
  ExkProject *open_project;

  exk_project_sidebar_select_project_id (fixture->sidebar,
                                         project_id (fixture, "Jasper Meadow Service"));
  g_assert_cmpstr (exk_project_get_name (selected_in_list (fixture)), ==,
                   "Jasper Meadow Service");

  type_text (fixture, "meadow", FALSE);
  assert_shows (fixture, NULL);
  g_assert_cmpstr (exk_project_get_name (selected_in_list (fixture)), ==,
                   "Jasper Meadow Service");

  replace_text (fixture, "willow", FALSE);
  assert_shows (fixture, NULL);
  g_assert_null (selected_in_list (fixture));

  replace_text (fixture, "jasper", TRUE);
  assert_shows (fixture, NULL);
  g_assert_cmpstr (exk_project_get_name (selected_in_list (fixture)), ==,
                   "Jasper Meadow Service");

  erase (fixture, strlen ("jasper"), FALSE);
  assert_shows (fixture, NULL);
  g_assert_cmpstr (exk_project_get_name (selected_in_list (fixture)), ==,
                   "Jasper Meadow Service");

  /* The open project stays open whatever the list shows. */
  open_project = exk_project_sidebar_get_selected_project (fixture->sidebar);
  g_assert_cmpstr (exk_project_get_name (open_project), ==, "Jasper Meadow Service");
}

static gboolean
list_scrolled_away (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GPtrArray) rows = shown_rows (fixture);

  return rows->len > 0
         && !g_str_equal (((ShownRow *) g_ptr_array_index (rows, 0))->name, "Amber Anchor API");
}

/* A person scrolls down the list, then searches: the results start at the top. */
static void
test_sidebar_search_after_scrolling (Fixture       *fixture,
                                     gconstpointer  data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture->list_view));

  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) * 2 / 3);
  exk_test_assert_wait (list_scrolled_away, fixture);

  type_text (fixture, "lunar", FALSE);
  assert_shows (fixture, NULL);

  replace_text (fixture, "amber", FALSE);
  assert_shows (fixture, NULL);

  erase (fixture, strlen ("amber"), FALSE);
  assert_shows (fixture, NULL);
}

static gboolean
projects_reloaded (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading;
}

/* Reloading the projects (the window does after a sign-in) keeps the search. */
static void
test_sidebar_refresh_while_searching (Fixture       *fixture,
                                      gconstpointer  data)
{
  type_text (fixture, "velvet", FALSE);
  assert_shows (fixture, NULL);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh",
                                             NULL));
  exk_test_assert_wait (projects_reloaded, fixture);
  assert_shows (fixture, NULL);

  erase (fixture, strlen ("velvet"), FALSE);
  assert_shows (fixture, NULL);
}

/* A reload replaces every project with its new object, wherever the list
 * is scrolled and whichever project is open. */
static void
test_sidebar_refresh_scrolled (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture->list_view));

  exk_project_sidebar_select_project_id (fixture->sidebar,
                                         project_id (fixture, "Golden Orchid Web"));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) / 3);
  exk_test_assert_wait (list_scrolled_away, fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh",
                                             NULL));
  exk_test_assert_wait (projects_reloaded, fixture);
  assert_list (fixture, NULL, FALSE);
  g_assert_cmpstr (exk_project_get_name (selected_in_list (fixture)), ==, "Golden Orchid Web");

  choose_organization (fixture, "Globex");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh",
                                             NULL));
  exk_test_assert_wait (projects_reloaded, fixture);
  assert_list (fixture, "Globex", FALSE);
}

/* Starting from the cache: the server only, each window made by the test. */

static void
server_setup (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ExkMockOptions options = { 0 };

  make_projects (fixture);
  write_seed (fixture);
  options.seed_file = fixture->seed_file;
  fixture->mock = exk_mock_server_start_in_thread (&options, &error);
  g_assert_no_error (error);
}

static void
server_teardown (Fixture       *fixture,
                 gconstpointer  data)
{
  exk_mock_server_stop (fixture->mock);
  g_clear_object (&fixture->mock);

  g_remove (fixture->seed_file);
  g_rmdir (fixture->seed_dir);
  g_clear_pointer (&fixture->seed_file, g_free);
  g_clear_pointer (&fixture->seed_dir, g_free);
  for (guint i = 0; i < N_PROJECTS; i++)
    g_clear_pointer (&fixture->projects[i].name, g_free);
}

/* A start of Exkeys for the demo user, remembered as a normal account. */
static void
start_window (Fixture *fixture)
{
  fixture->manager = exk_test_new_manager ();
  fixture->window = g_object_ref (exk_window_new (NULL, fixture->manager));
  fixture->sidebar = EXK_PROJECT_SIDEBAR (exk_test_template_child (fixture->window,
                                                                   EXK_TYPE_WINDOW,
                                                                   "project_sidebar"));
  fixture->search_entry = GTK_EDITABLE (sidebar_child (fixture, "search_entry"));
  fixture->organization_dropdown = GTK_DROP_DOWN (sidebar_child (fixture,
                                                                 "organization_dropdown"));
  fixture->stack = GTK_STACK (sidebar_child (fixture, "stack"));
  fixture->list_view = GTK_LIST_VIEW (sidebar_child (fixture, "list_view"));

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1000, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  exk_window_sign_in_with_token (fixture->window, exk_mock_server_get_url (fixture->mock),
                                 exk_mock_server_get_demo_token (fixture->mock),
                                 EXK_SIGN_IN_DEFAULT);
  exk_test_assert_wait (exk_test_window_shows_main, fixture->window);
}

static void
close_window (Fixture *fixture)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_finalize_object (g_steal_pointer (&fixture->window));
  exk_test_finalize_soon (g_steal_pointer (&fixture->manager));
  fixture->sidebar = NULL;
}

static ExkProjectCache *
active_account_cache (Fixture *fixture)
{
  ExkAccount *account = exk_account_manager_get_active_account (fixture->manager);
  g_autofree char *key = NULL;

  g_assert_nonnull (account);
  key = exk_account_dup_key (account);
  return exk_project_cache_new (key);
}

static void
on_async_result (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_async_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GPtrArray *
load_cache (ExkProjectCache *cache)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_project_cache_load_async (cache, NULL, on_async_result, &result);
  exk_test_assert_wait (has_async_result, &result);
  return exk_project_cache_load_finish (cache, result, NULL);
}

static gboolean
cache_has_every_project (gpointer data)
{
  g_autoptr(GPtrArray) projects = load_cache (data);

  return projects != NULL && projects->len == N_PROJECTS;
}

static ExkProject *
visible_project (Fixture    *fixture,
                 const char *name,
                 guint      *position)
{
  GListModel *visible = exk_project_sidebar_get_visible_projects (fixture->sidebar);

  for (guint i = 0; i < g_list_model_get_n_items (visible); i++)
    {
      g_autoptr(ExkProject) project = g_list_model_get_item (visible, i);

      if (g_str_equal (exk_project_get_name (project), name))
        {
          if (position != NULL)
            *position = i;
          return project;
        }
    }

  return NULL;
}

static GtkSelectionModel *
selection_model (Fixture *fixture)
{
  return gtk_list_view_get_model (fixture->list_view);
}

static gboolean
shows_cached_projects (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading, refreshing;

  g_object_get (fixture->sidebar, "loading", &loading, "refreshing", &refreshing, NULL);
  return !loading && refreshing
         && g_list_model_get_n_items (exk_project_sidebar_get_visible_projects (fixture->sidebar))
            == N_PROJECTS;
}

static gboolean
refreshed (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading, refreshing;

  g_object_get (fixture->sidebar, "loading", &loading, "refreshing", &refreshing, NULL);
  return !loading && !refreshing;
}

static ExkProject *
make_project (const char *id,
              const char *name,
              const char *organization)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  for (guint i = 0; i < G_N_ELEMENTS (organizations); i++)
    if (g_str_equal (organizations[i].name, organization))
      json_object_set_string_member (object, "organization_id", organizations[i].id);
  json_object_set_string_member (object, "organization_name", organization);
  return exk_project_new_from_json (object, NULL);
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The second start shows the first one's projects before the server answers,
 * opens the last project from them, and then takes in the server's list
 * without losing the selection or the search. Signing out removes the cache. */
static void
test_sidebar_starts_from_cache (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(ExkProjectCache) cache = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GPtrArray) edited = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GtkRevealer *revealer;
  ExkProject *selected;
  guint position;

  /* First start: everything from the server, then cached. */
  start_window (fixture);
  g_assert_true (exk_test_wait_until (projects_loaded, fixture, 30000));
  exk_test_wait_until_mapped (GTK_WIDGET (fixture->list_view));
  cache = active_account_cache (fixture);
  g_assert_true (exk_test_wait_until (cache_has_every_project, cache, 10000));

  /* A person opens a project: the next start opens it again. */
  g_assert_nonnull (visible_project (fixture, "Golden Orchid Web", &position));
  gtk_single_selection_set_selected (GTK_SINGLE_SELECTION (selection_model (fixture)), position);
  selected = exk_project_sidebar_get_selected_project (fixture->sidebar);
  g_assert_cmpstr (exk_project_get_name (selected), ==, "Golden Orchid Web");
  close_window (fixture);

  /* What the server said last time differs from what it says now: one
   * project is new since, one was renamed, one is gone. */
  cached = load_cache (cache);
  g_assert_nonnull (cached);
  for (guint i = 0; i < cached->len; i++)
    {
      ExkProject *project = cached->pdata[i];

      if (g_str_equal (exk_project_get_name (project), "Amber Anchor API"))
        continue;
      if (g_str_equal (exk_project_get_name (project), "Brisk Beacon Web"))
        g_ptr_array_add (edited, make_project (exk_project_get_id (project), "Old Beacon Name",
                                               exk_project_get_organization_name (project)));
      else
        g_ptr_array_add (edited, g_object_ref (project));
    }
  g_ptr_array_add (edited, make_project ("5eb2ffffffffffffffffffff", "Gone Project", "Acme"));
  exk_project_cache_save_async (cache, edited, NULL, on_async_result, &result);
  exk_test_assert_wait (has_async_result, &result);
  g_assert_true (exk_project_cache_save_finish (cache, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Second start, with a slow server: the cached list first. */
  g_assert_true (exk_mock_server_add_fault (fixture->mock,
                                            "GET /api/v2/projects=slow:6000", &error));
  g_assert_no_error (error);
  start_window (fixture);
  g_assert_true (exk_test_wait_until (shows_cached_projects, fixture, 5000));
  g_assert_nonnull (visible_project (fixture, "Gone Project", NULL));
  g_assert_nonnull (visible_project (fixture, "Old Beacon Name", NULL));
  g_assert_null (visible_project (fixture, "Amber Anchor API", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "list");
  revealer = GTK_REVEALER (sidebar_child (fixture, "refreshing_revealer"));
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  selected = exk_project_sidebar_get_selected_project (fixture->sidebar);
  g_assert_nonnull (selected);
  g_assert_cmpstr (exk_project_get_name (selected), ==, "Golden Orchid Web");
  g_assert_true (selected_in_list (fixture) == selected);

  /* A search typed meanwhile stays when the fresh list comes in. */
  exk_project_sidebar_set_search_text (fixture->sidebar, "o");
  g_assert_nonnull (visible_project (fixture, "Gone Project", NULL));
  g_assert_true (exk_test_wait_until (refreshed, fixture, 30000));

  g_assert_cmpstr (gtk_editable_get_text (fixture->search_entry), ==, "o");
  g_assert_null (visible_project (fixture, "Gone Project", NULL));
  g_assert_null (visible_project (fixture, "Old Beacon Name", NULL));
  g_assert_nonnull (visible_project (fixture, "Brisk Beacon Web", NULL));
  g_assert_nonnull (visible_project (fixture, "Amber Anchor API", NULL));
  assert_list (fixture, NULL, FALSE);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  /* Unchanged, so the very same object, still selected. */
  g_assert_true (exk_project_sidebar_get_selected_project (fixture->sidebar) == selected);
  g_assert_true (selected_in_list (fixture) == selected);

  /* The cache now holds the server's list. */
  g_assert_true (exk_test_wait_until (cache_has_every_project, cache, 10000));
  exk_mock_server_clear_faults (fixture->mock);

  /* Signing out removes it. */
  exk_account_manager_sign_out_async (fixture->manager,
                                      exk_account_manager_get_active_account (fixture->manager),
                                      FALSE, NULL, on_signed_out, &result);
  exk_test_assert_wait (has_async_result, &result);
  g_assert_true (exk_account_manager_sign_out_finish (fixture->manager, result, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (exk_project_cache_get_path (cache), G_FILE_TEST_EXISTS));
  g_clear_object (&result);

  close_window (fixture);
}

static gboolean
child_revealed (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

static gboolean
load_finished (gpointer data)
{
  Fixture *fixture = data;
  gboolean loading;

  g_object_get (fixture->sidebar, "loading", &loading, NULL);
  return !loading;
}

/* An organization chosen in the search bar stays visible, and removable in
 * one click, once the search bar is closed. */
static void
test_sidebar_organization_filter_visible (Fixture       *fixture,
                                          gconstpointer  data)
{
  GtkRevealer *revealer = GTK_REVEALER (sidebar_child (fixture, "organization_revealer"));
  GtkLabel *label = GTK_LABEL (sidebar_child (fixture, "organization_label"));
  GListModel *names = gtk_drop_down_get_model (fixture->organization_dropdown);

  g_assert_false (gtk_revealer_get_reveal_child (revealer));

  /* The organizations are listed by name, after "All Organizations". */
  g_assert_cmpuint (g_list_model_get_n_items (names), ==, 1 + G_N_ELEMENTS (organizations));
  for (guint i = 0; i < G_N_ELEMENTS (organizations); i++)
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), i + 1), ==,
                     organizations[i].name);

  choose_organization (fixture, "Globex");
  g_object_set (fixture->sidebar, "search-mode", FALSE, NULL);
  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Globex");
  assert_list (fixture, "Globex", FALSE);
  exk_test_assert_wait (child_revealed, revealer);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-organization-filter");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar),
                                             "sidebar.show-all-organizations", NULL));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_cmpuint (g_list_model_get_n_items (exk_project_sidebar_get_visible_projects
                                                (fixture->sidebar)), ==, N_PROJECTS);
}

/* A refresh that fails keeps the list and says so, with Retry. */
static void
test_sidebar_refresh_failed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GtkRevealer *revealer = GTK_REVEALER (sidebar_child (fixture, "refresh_failed_revealer"));
  GtkLabel *label = GTK_LABEL (sidebar_child (fixture, "refresh_failed_label"));
  gboolean failed;

  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  g_assert_true (exk_mock_server_add_fault (fixture->mock, "GET /api/v2/projects=status:500",
                                            &error));
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh",
                                             NULL));
  exk_test_assert_wait (load_finished, fixture);

  g_assert_true (gtk_revealer_get_reveal_child (revealer));
  g_assert_nonnull (strstr (gtk_label_get_text (label), "could not be updated"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (fixture->stack), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (exk_project_sidebar_get_visible_projects
                                                (fixture->sidebar)), ==, N_PROJECTS);
  g_object_get (fixture->sidebar, "failed", &failed, NULL);
  g_assert_false (failed);   /* a list shows: the main pane need not say anything */
  exk_test_assert_wait (child_revealed, revealer);
  exk_test_save_screenshot (GTK_WIDGET (fixture->window), "sidebar-refresh-failed");

  exk_mock_server_clear_faults (fixture->mock);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->sidebar), "sidebar.refresh",
                                             NULL));
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
  exk_test_assert_wait (projects_loaded, fixture);
  g_assert_false (gtk_revealer_get_reveal_child (revealer));
}

int
main (int   argc,
      char *argv[])
{
  exk_test_init_ui (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add ("/exkeys/sidebar/" path, Fixture, GINT_TO_POINTER (data), fixture_setup, func, \
              fixture_teardown)

  ADD ("lists-everything", FALSE, test_sidebar_lists_everything);
  ADD ("replace-search", FALSE, test_sidebar_replace_search);
  ADD ("replace-search-slowly", TRUE, test_sidebar_replace_search);
  ADD ("narrow-and-widen", FALSE, test_sidebar_narrow_and_widen);
  ADD ("narrow-and-widen-slowly", TRUE, test_sidebar_narrow_and_widen);
  ADD ("organization-and-search", FALSE, test_sidebar_organization_and_search);
  ADD ("search-with-open-project", FALSE, test_sidebar_search_with_open_project);
  ADD ("search-after-scrolling", FALSE, test_sidebar_search_after_scrolling);
  ADD ("refresh-while-searching", FALSE, test_sidebar_refresh_while_searching);
  ADD ("refresh-scrolled", FALSE, test_sidebar_refresh_scrolled);
  ADD ("organization-filter-visible", FALSE, test_sidebar_organization_filter_visible);
  ADD ("refresh-failed", FALSE, test_sidebar_refresh_failed);

#undef ADD

  g_test_add ("/exkeys/sidebar/starts-from-cache", Fixture, NULL, server_setup,
              test_sidebar_starts_from_cache, server_teardown);

  return g_test_run ();
}

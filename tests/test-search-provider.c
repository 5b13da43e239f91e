// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "exk-project-cache.h"
#include "exk-search-provider.h"

/* The GNOME Shell search provider over D-Bus, as the Shell calls it: with
 * `gdbus call` against the provider exported on the test's private session
 * bus (tests/keyring-env.sh), with no account, two accounts, and a project
 * cache rewritten while it is searched. */

#define BUS_NAME     "io.github.exkeys.SearchProviderTest"
#define OBJECT_PATH  "/io/github/exkeys/SearchProviderTest"
#define INTERFACE    "org.gnome.Shell.SearchProvider2"
#define WAIT_MS      20000

#define PISTOL_ID    "537650f3b77efe23a47914f4"
#define ROCKET_ID    "537650f3b77efe23a47914f7"
#define RANGE_ID     "64b7e2a9c1d04f5e8a9b0c31"
#define BILLING_ID   "64b7e2a9c1d04f5e8a9b0c21"

typedef struct
{
  GListStore        *accounts;
  ExkSearchProvider *provider;
  GDBusConnection   *bus;
  guint              name_id;
  gboolean           name_acquired;

  ExkAccount        *activated_account;
  char              *activated_project;
  char              *launched;
} Fixture;

static gboolean
timed_out (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean (*condition) (gpointer),
          gpointer  data)
{
  gboolean expired = FALSE;
  guint timeout = g_timeout_add (WAIT_MS, timed_out, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
}

static gboolean
has_pointer (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static ExkProject *
make_project (const char *id,
              const char *name,
              const char *org_name)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  ExkProject *project;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "organization_id", "537650f3b77efe23a47914f3");
  json_object_set_string_member (object, "organization_name", org_name);
  json_object_set_string_member (object, "created_utc", "2024-03-01T12:30:00Z");
  project = exk_project_new_from_json (object, &error);
  g_assert_no_error (error);

  return project;
}

/* What the sidebar does: the account's cache file, written whole. */
static void
save_cache (ExkAccount *account,
            ...)
{
  g_autofree char *key = exk_account_dup_key (account);
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (key);
  g_autoptr(GPtrArray) projects = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *id;
  va_list args;

  va_start (args, account);
  while ((id = va_arg (args, const char *)) != NULL)
    {
      const char *name = va_arg (args, const char *);
      const char *org = va_arg (args, const char *);

      g_ptr_array_add (projects, make_project (id, name, org));
    }
  va_end (args);

  exk_project_cache_save_async (cache, projects, NULL, on_result, &result);
  wait_for (has_pointer, &result);
  g_assert_true (exk_project_cache_save_finish (cache, result, &error));
  g_assert_no_error (error);
}

static char *
cache_path (ExkAccount *account)
{
  g_autofree char *key = exk_account_dup_key (account);
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (key);

  return g_strdup (exk_project_cache_get_path (cache));
}

static void
on_activate_project (ExkSearchProvider *provider,
                     ExkAccount        *account,
                     ExkProject        *project,
                     guint              timestamp,
                     Fixture           *fixture)
{
  g_set_object (&fixture->activated_account, account);
  g_free (fixture->activated_project);
  fixture->activated_project = g_strdup (exk_project_get_id (project));
}

static void
on_launch_search (ExkSearchProvider *provider,
                  const char        *text,
                  guint              timestamp,
                  Fixture           *fixture)
{
  g_free (fixture->launched);
  fixture->launched = g_strdup (text);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Fixture *) user_data)->name_acquired = TRUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->accounts = g_list_store_new (EXK_TYPE_ACCOUNT);
  fixture->provider = exk_search_provider_new (G_LIST_MODEL (fixture->accounts));
  g_signal_connect (fixture->provider, "activate-project", G_CALLBACK (on_activate_project),
                    fixture);
  g_signal_connect (fixture->provider, "launch-search", G_CALLBACK (on_launch_search),
                    fixture);

  fixture->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (exk_search_provider_register (fixture->provider, fixture->bus, OBJECT_PATH,
                                               &error));
  g_assert_no_error (error);
  fixture->name_id = g_bus_own_name_on_connection (fixture->bus, BUS_NAME,
                                                   G_BUS_NAME_OWNER_FLAGS_NONE,
                                                   on_name_acquired, NULL, fixture, NULL);
  wait_for (is_true, &fixture->name_acquired);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (fixture->accounts));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (G_LIST_MODEL (fixture->accounts),
                                                             i);
      g_autofree char *path = cache_path (account);

      g_unlink (path);
    }

  g_bus_unown_name (fixture->name_id);
  exk_search_provider_unregister (fixture->provider);
  g_clear_object (&fixture->provider);
  g_clear_object (&fixture->accounts);
  g_clear_object (&fixture->bus);
  g_clear_object (&fixture->activated_account);
  g_clear_pointer (&fixture->activated_project, g_free);
  g_clear_pointer (&fixture->launched, g_free);
}

/* Runs `gdbus call` as the Shell would, while the provider answers on this
 * thread's loop; returns its answer, parsed. */
static GVariant *
gdbus_call (const char *method,
            const char *type,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *full_method = g_strconcat (INTERFACE ".", method, NULL);
  const char *argument;
  GVariant *answer;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "gdbus");
  g_ptr_array_add (argv, (gpointer) "call");
  g_ptr_array_add (argv, (gpointer) "--session");
  g_ptr_array_add (argv, (gpointer) "--dest");
  g_ptr_array_add (argv, (gpointer) BUS_NAME);
  g_ptr_array_add (argv, (gpointer) "--object-path");
  g_ptr_array_add (argv, (gpointer) OBJECT_PATH);
  g_ptr_array_add (argv, (gpointer) "--method");
  g_ptr_array_add (argv, full_method);
  va_start (args, type);
  while ((argument = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) argument);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_result, &result);
  wait_for (has_pointer, &result);
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("gdbus call %s failed: %s", method, err);

  answer = g_variant_parse (G_VARIANT_TYPE (type), out, NULL, NULL, &error);
  g_assert_no_error (error);
  return answer;
}

/* How many metas an answer of GetResultMetas holds. */
static gsize
count_metas (GVariant *answer)
{
  g_autoptr(GVariant) metas = g_variant_get_child_value (answer, 0);

  return g_variant_n_children (metas);
}

static char **
search (const char *terms)
{
  g_autoptr(GVariant) answer = gdbus_call ("GetInitialResultSet", "(as)", terms, NULL);
  char **ids = NULL;

  g_variant_get (answer, "(^as)", &ids);
  return ids;
}

static char *
result_id (ExkAccount *account,
           const char *project_id)
{
  g_autofree char *key = exk_account_dup_key (account);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_strdup_printf ("%.16s/%s", hash, project_id);
}

static ExkAccount *
add_account (Fixture    *fixture,
             const char *server,
             const char *email)
{
  g_autoptr(ExkAccount) account = exk_account_new (server, email, NULL);

  g_list_store_append (fixture->accounts, account);
  return account;
}

static void
test_no_accounts (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(GStrv) ids = search ("['pistol']");
  g_autoptr(GVariant) metas = gdbus_call ("GetResultMetas", "(aa{sv})", "['x/y']", NULL);

  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_assert_cmpuint (count_metas (metas), ==, 0);
}

static void
test_two_accounts (Fixture       *fixture,
                   gconstpointer  data)
{
  ExkAccount *work = add_account (fixture, "https://api.exceptionless.io", "org@localhost");
  ExkAccount *home = add_account (fixture, "https://ex.example.org:8443", "me@example.org");
  g_autofree char *pistol = result_id (work, PISTOL_ID);
  g_autofree char *rocket = result_id (work, ROCKET_ID);
  g_autofree char *range = result_id (home, RANGE_ID);
  g_autofree char *billing = result_id (home, BILLING_ID);
  g_autofree char *subsearch_ids = NULL;
  g_autofree char *meta_ids = NULL;
  g_autoptr(GVariant) answer = NULL;
  g_autoptr(GVariant) metas = NULL;
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) narrowed = NULL;
  g_autoptr(GVariant) meta = NULL;
  const char *name, *description, *gicon, *id;

  save_cache (work, PISTOL_ID, "Disintegrating Pistol", "Acme", ROCKET_ID, "Rocket Ship", "Acme",
              NULL);
  save_cache (home, RANGE_ID, "Pistol Range", "Weekend Club", BILLING_ID, "Billing", "Weekend Club",
              NULL);

  /* Both accounts' projects; every term must match, name or organization. */
  ids = search ("['PIST']");
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  /* A name that starts with the term comes first. */
  g_assert_cmpstr (ids[0], ==, range);
  g_assert_cmpstr (ids[1], ==, pistol);
  g_clear_pointer (&ids, g_strfreev);

  ids = search ("['acme']");
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) ids, pistol));
  g_assert_true (g_strv_contains ((const char * const *) ids, rocket));
  g_clear_pointer (&ids, g_strfreev);

  ids = search ("['pistol', 'weekend']");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, range);
  g_clear_pointer (&ids, g_strfreev);

  ids = search ("['nothing like it']");
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  g_clear_pointer (&ids, g_strfreev);

  /* A subsearch narrows the previous results. */
  subsearch_ids = g_strdup_printf ("['%s', '%s', '%s']", pistol, range, billing);
  answer = gdbus_call ("GetSubsearchResultSet", "(as)", subsearch_ids, "['pistol', 'range']",
                       NULL);
  g_variant_get (answer, "(^as)", &narrowed);
  g_assert_cmpuint (g_strv_length (narrowed), ==, 1);
  g_assert_cmpstr (narrowed[0], ==, range);

  /* Names, organizations, which server (there are two), the app's icon. */
  meta_ids = g_strdup_printf ("['%s', 'unknown/%s', '%s']", pistol, PISTOL_ID, billing);
  metas = gdbus_call ("GetResultMetas", "(aa{sv})", meta_ids, NULL);
  g_assert_cmpuint (count_metas (metas), ==, 2);
  {
    g_autoptr(GVariant) array = g_variant_get_child_value (metas, 0);

    meta = g_variant_get_child_value (array, 0);
  }
  g_assert_true (g_variant_lookup (meta, "id", "&s", &id));
  g_assert_true (g_variant_lookup (meta, "name", "&s", &name));
  g_assert_true (g_variant_lookup (meta, "description", "&s", &description));
  g_assert_true (g_variant_lookup (meta, "gicon", "&s", &gicon));
  g_assert_cmpstr (id, ==, pistol);
  g_assert_cmpstr (name, ==, "Disintegrating Pistol");
  g_assert_cmpstr (description, ==, "Acme — api.exceptionless.io");
  g_assert_cmpstr (gicon, ==, APPLICATION_ID);
  g_clear_pointer (&meta, g_variant_unref);

  /* Activating a result names its account and project. */
  g_clear_pointer (&answer, g_variant_unref);
  answer = gdbus_call ("ActivateResult", "()", range, "['pistol']", "42", NULL);
  g_assert_true (fixture->activated_account == home);
  g_assert_cmpstr (fixture->activated_project, ==, RANGE_ID);

  g_clear_pointer (&answer, g_variant_unref);
  answer = gdbus_call ("LaunchSearch", "()", "['pistol', 'range']", "42", NULL);
  g_assert_cmpstr (fixture->launched, ==, "pistol range");

  /* A signed-out account's cache is gone: so are its results. */
  {
    g_autofree char *path = cache_path (home);

    g_assert_cmpint (g_unlink (path), ==, 0);
    ids = search ("['pistol']");
    g_assert_cmpuint (g_strv_length (ids), ==, 1);
    g_assert_cmpstr (ids[0], ==, pistol);
  }
}

/* The sidebar rewrites the cache while the Shell searches: every answer is
 * the old list or the new one, never an error or half a list. */
typedef struct
{
  char         *path;
  GBytes       *versions[2];
  gint          stop;
  guint         writes;
} Rewriter;

static gpointer
rewrite_in_thread (gpointer data)
{
  Rewriter *rewriter = data;

  while (!g_atomic_int_get (&rewriter->stop))
    {
      GBytes *contents = rewriter->versions[rewriter->writes % 2];
      g_autoptr(GError) error = NULL;

      g_file_set_contents_full (rewriter->path, g_bytes_get_data (contents, NULL),
                                g_bytes_get_size (contents), G_FILE_SET_CONTENTS_CONSISTENT,
                                0600, &error);
      g_assert_no_error (error);
      rewriter->writes++;
    }

  return NULL;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_cache_rewritten (Fixture       *fixture,
                      gconstpointer  data)
{
  ExkAccount *work = add_account (fixture, "https://api.exceptionless.io", "org@localhost");
  g_autofree char *pistol = result_id (work, PISTOL_ID);
  g_autofree char *rocket = result_id (work, ROCKET_ID);
  Rewriter rewriter = { 0 };
  GThread *thread;
  guint seen[2] = { 0, 0 };

  rewriter.path = cache_path (work);
  save_cache (work, PISTOL_ID, "Disintegrating Pistol", "Acme", NULL);
  rewriter.versions[0] = read_bytes (rewriter.path);
  save_cache (work, PISTOL_ID, "Disintegrating Pistol", "Acme", ROCKET_ID, "Rocket Ship", "Acme",
              NULL);
  rewriter.versions[1] = read_bytes (rewriter.path);

  thread = g_thread_new ("rewriter", rewrite_in_thread, &rewriter);
  for (guint i = 0; i < 20; i++)
    {
      g_auto(GStrv) ids = search ("['acme']");

      if (g_strv_length (ids) == 1)
        {
          g_assert_cmpstr (ids[0], ==, pistol);
          seen[0]++;
        }
      else
        {
          g_assert_cmpuint (g_strv_length (ids), ==, 2);
          g_assert_true (g_strv_contains ((const char * const *) ids, rocket));
          seen[1]++;
        }
    }
  g_atomic_int_set (&rewriter.stop, 1);
  g_thread_join (thread);

  g_test_message ("%u writes; %u answers had one project, %u had two", rewriter.writes, seen[0],
                  seen[1]);
  g_assert_cmpuint (rewriter.writes, >, 0);
  g_bytes_unref (rewriter.versions[0]);
  g_bytes_unref (rewriter.versions[1]);
  g_free (rewriter.path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/exkeys/search-provider/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)

  ADD ("no-accounts", test_no_accounts);
  ADD ("two-accounts", test_two_accounts);
  ADD ("cache-rewritten", test_cache_rewritten);

#undef ADD

  return g_test_run ();
}

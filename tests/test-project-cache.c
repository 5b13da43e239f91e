// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <unistd.h>

#include "exk-project-cache.h"

/* ExkProjectCache without a display: what it writes, that it reads it back,
 * and that whatever else it finds in its place is refused with an error. */

#define ACCOUNT_KEY "org@localhost http://127.0.0.1:1"
#define TOKEN       "Zk4Pq7SECRETtokenValue0123456789abcdefAB"

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
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
              const char *org_id,
              const char *org_name)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  g_autoptr(GError) error = NULL;
  ExkProject *project;

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "name", name);
  json_object_set_string_member (object, "organization_id", org_id);
  if (org_name != NULL)
    json_object_set_string_member (object, "organization_name", org_name);
  json_object_set_string_member (object, "created_utc", "2024-03-01T12:30:00Z");
  json_object_set_int_member (object, "stack_count", 12);
  json_object_set_int_member (object, "event_count", 345);
  json_object_set_boolean_member (object, "is_configured", TRUE);
  /* Whatever else a server may send must not reach the file. */
  json_object_set_string_member (data, "api_key", TOKEN);
  json_object_set_object_member (object, "data", g_steal_pointer (&data));

  project = exk_project_new_from_json (object, &error);
  g_assert_no_error (error);
  return project;
}

static GPtrArray *
make_projects (void)
{
  GPtrArray *projects = g_ptr_array_new_with_free_func (g_object_unref);

  g_ptr_array_add (projects, make_project ("537650f3b77efe23a47914f4", "Disintegrating Pistol",
                                           "537650f3b77efe23a47914f3", "Acme"));
  g_ptr_array_add (projects, make_project ("537650f3b77efe23a47914f7", "Rocket Ship “β”",
                                           "537650f3b77efe23a47914f3", "Acme"));
  g_ptr_array_add (projects, make_project ("64b7e2a9c1d04f5e8a9b0c21", "Billing API",
                                           "64b7e2a9c1d04f5e8a9b0c11", NULL));
  return projects;
}

static void
save (ExkProjectCache *cache,
      GPtrArray       *projects)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  exk_project_cache_save_async (cache, projects, NULL, on_result, &result);
  g_assert_true (exk_project_cache_save_finish (cache, wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
load (ExkProjectCache  *cache,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  exk_project_cache_load_async (cache, NULL, on_result, &result);
  return exk_project_cache_load_finish (cache, wait_for_result (&result), error);
}

static void
write_file (ExkProjectCache *cache,
            const char      *contents,
            gssize           length)
{
  g_autofree char *dir = g_path_get_dirname (exk_project_cache_get_path (cache));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (exk_project_cache_get_path (cache), contents, length, &error);
  g_assert_no_error (error);
}

static void
assert_refused (ExkProjectCache *cache)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = load (cache, &error);

  g_assert_null (projects);
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_test_message ("refused: %s", error->message);
}

static void
test_cache_round_trip (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  g_autoptr(GPtrArray) projects = make_projects ();
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GError) error = NULL;

  save (cache, projects);
  loaded = load (cache, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpuint (loaded->len, ==, projects->len);

  for (guint i = 0; i < projects->len; i++)
    {
      ExkProject *want = projects->pdata[i];
      ExkProject *got = loaded->pdata[i];

      g_assert_cmpstr (exk_project_get_id (got), ==, exk_project_get_id (want));
      g_assert_cmpstr (exk_project_get_name (got), ==, exk_project_get_name (want));
      g_assert_cmpstr (exk_project_get_organization_id (got), ==,
                       exk_project_get_organization_id (want));
      g_assert_cmpstr (exk_project_get_organization_name (got), ==,
                       exk_project_get_organization_name (want));
      g_assert_true (g_date_time_equal (exk_project_get_created (got),
                                        exk_project_get_created (want)));
      /* Counts are asked for again, never cached. */
      g_assert_cmpint (exk_project_get_stack_count (got), ==, 0);
    }

  /* An empty list is a list too. */
  g_ptr_array_set_size (projects, 0);
  save (cache, projects);
  g_clear_pointer (&loaded, g_ptr_array_unref);
  loaded = load (cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->len, ==, 0);
}

static void
test_cache_file (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  g_autoptr(ExkProjectCache) other = exk_project_cache_new ("free@localhost http://127.0.0.1:1");
  g_autoptr(GPtrArray) projects = make_projects ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *basename = g_path_get_basename (exk_project_cache_get_path (cache));
  g_autofree char *dir = g_path_get_dirname (exk_project_cache_get_path (cache));
  g_autofree char *want_dir = g_build_filename (g_get_user_cache_dir (), "exkeys", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char * const allowed[] = {
    "id", "name", "organization_id", "organization_name", "created_utc", NULL
  };
  JsonArray *array;
  GStatBuf buf;

  /* Under the cache dir, named by a hash: no email in the name. */
  g_assert_cmpstr (dir, ==, want_dir);
  g_assert_true (g_str_has_prefix (basename, "projects-"));
  g_assert_true (g_str_has_suffix (basename, ".json"));
  g_assert_cmpuint (strlen (basename), ==, strlen ("projects-.json") + 64);
  g_assert_null (strstr (basename, "localhost"));
  g_assert_cmpstr (exk_project_cache_get_path (cache), !=, exk_project_cache_get_path (other));

  save (cache, projects);

  g_assert_cmpint (g_stat (exk_project_cache_get_path (cache), &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);

  g_assert_true (g_file_get_contents (exk_project_cache_get_path (cache), &contents, NULL,
                                      &error));
  g_assert_no_error (error);
  g_assert_null (strstr (contents, TOKEN));
  g_assert_null (strstr (contents, "api_key"));

  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  array = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "projects");
  g_assert_cmpuint (json_array_get_length (array), ==, projects->len);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        if (!g_strv_contains (allowed, l->data))
          g_error ("The cache holds “%s”", (const char *) l->data);
    }

  /* Another account has no cache yet. */
  g_assert_false (g_file_test (exk_project_cache_get_path (other), G_FILE_TEST_EXISTS));
}

static void
test_cache_missing (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new ("nobody@localhost http://x");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) projects = load (cache, &error);

  g_assert_null (projects);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_cache_truncated (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  g_autoptr(GPtrArray) projects = make_projects ();
  g_autofree char *contents = NULL;
  gsize length;

  save (cache, projects);
  g_assert_true (g_file_get_contents (exk_project_cache_get_path (cache), &contents, &length,
                                      NULL));
  for (gsize cut = 0; cut < length - 1; cut += 7)
    {
      write_file (cache, contents, (gssize) cut);
      assert_refused (cache);
    }
}

static void
test_cache_corrupt (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  g_autofree char *other_version = NULL;
  g_autofree char *bad_project = NULL;
  g_autofree char *not_list = NULL;
  g_autofree char *format_two = NULL;
  g_autofree char *format_string = NULL;
  const char binary[] = { '\xff', '\xfe', '\0', '{', '\x01' };
  const char *cases[] = {
    "{not json",
    "[]",
    "42",
    "null",
    "{}",
    "{\"projects\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_file (cache, cases[i], -1);
      assert_refused (cache);
    }

  write_file (cache, binary, sizeof binary);
  assert_refused (cache);

  format_two = g_strdup_printf ("{\"format\": 2, \"version\": \"%s\", \"projects\": []}",
                                PACKAGE_VERSION);
  write_file (cache, format_two, -1);
  assert_refused (cache);

  format_string = g_strdup_printf ("{\"format\": \"1\", \"version\": \"%s\", \"projects\": []}",
                                   PACKAGE_VERSION);
  write_file (cache, format_string, -1);
  assert_refused (cache);

  other_version = g_strdup ("{\"format\": 1, \"version\": \"0.0.1-other\", \"projects\": []}");
  write_file (cache, other_version, -1);
  assert_refused (cache);

  not_list = g_strdup_printf ("{\"format\": 1, \"version\": \"%s\", \"projects\": {}}",
                              PACKAGE_VERSION);
  write_file (cache, not_list, -1);
  assert_refused (cache);

  /* A project without an id, and one that is no object. */
  bad_project = g_strdup_printf ("{\"format\": 1, \"version\": \"%s\", \"projects\": "
                                 "[{\"name\": \"x\", \"organization_id\": "
                                 "\"537650f3b77efe23a47914f3\"}]}", PACKAGE_VERSION);
  write_file (cache, bad_project, -1);
  assert_refused (cache);
  g_clear_pointer (&bad_project, g_free);
  bad_project = g_strdup_printf ("{\"format\": 1, \"version\": \"%s\", \"projects\": [7]}",
                                 PACKAGE_VERSION);
  write_file (cache, bad_project, -1);
  assert_refused (cache);
}

static void
test_cache_oversized (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  int fd;

  /* A sparse file: refused by its size, without reading it. */
  write_file (cache, "{", -1);
  fd = g_open (exk_project_cache_get_path (cache), O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 65 * 1024 * 1024), ==, 0);
  g_assert_true (g_close (fd, NULL));

  assert_refused (cache);
}

static void
test_cache_remove (void)
{
  g_autoptr(ExkProjectCache) cache = exk_project_cache_new (ACCOUNT_KEY);
  g_autoptr(GPtrArray) projects = make_projects ();
  g_autoptr(GError) error = NULL;

  save (cache, projects);
  g_assert_true (g_file_test (exk_project_cache_get_path (cache), G_FILE_TEST_EXISTS));

  g_assert_true (exk_project_cache_remove (cache, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (exk_project_cache_get_path (cache), G_FILE_TEST_EXISTS));

  /* Nothing to remove is fine. */
  g_assert_true (exk_project_cache_remove (cache, &error));
  g_assert_no_error (error);
  assert_refused (cache);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/project-cache/round-trip", test_cache_round_trip);
  g_test_add_func ("/exkeys/project-cache/file", test_cache_file);
  g_test_add_func ("/exkeys/project-cache/missing", test_cache_missing);
  g_test_add_func ("/exkeys/project-cache/truncated", test_cache_truncated);
  g_test_add_func ("/exkeys/project-cache/corrupt", test_cache_corrupt);
  g_test_add_func ("/exkeys/project-cache/oversized", test_cache_oversized);
  g_test_add_func ("/exkeys/project-cache/remove", test_cache_remove);

  return g_test_run ();
}

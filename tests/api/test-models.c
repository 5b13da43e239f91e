// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include "exk-api-error.h"
#include "exk-delete-result.h"
#include "exk-json.h"
#include "exk-organization.h"
#include "exk-project.h"
#include "exk-token.h"
#include "exk-user.h"

static JsonNode *
load_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  return json_node_ref (json_parser_get_root (parser));
}

static ExkToken *
load_token (const char  *name,
            GError     **error)
{
  g_autoptr(JsonNode) root = load_fixture (name);

  return exk_token_new_from_json (json_node_get_object (root), error);
}

static void
assert_date (GDateTime  *date,
             const char *expected_utc)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (date);
  utc = g_date_time_to_utc (date);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.%fZ");
  g_assert_cmpstr (text, ==, expected_utc);
}

static void
assert_invalid (GError     *error,
                const char *member)
{
  g_autofree char *quoted = g_strdup_printf ("“%s”", member);

  g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, quoted));
}

static void
test_project_seed (void)
{
  g_autoptr(JsonNode) root = load_fixture ("projects-seed.json");
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *array = json_node_get_array (root);

  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  project = exk_project_new_from_json (json_array_get_object_element (array, 0), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (exk_project_get_id (project), ==, "537650f3b77efe23a47914f4");
  g_assert_cmpstr (exk_project_get_name (project), ==, "Disintegrating Pistol");
  g_assert_cmpstr (exk_project_get_organization_id (project), ==, "537650f3b77efe23a47914f3");
  g_assert_cmpstr (exk_project_get_organization_name (project), ==, "Acme");
  /* Seven fraction digits and no offset: UTC, microsecond precision. */
  assert_date (exk_project_get_created (project), "2016-01-11T20:05:59.718567Z");
  g_assert_cmpint (exk_project_get_stack_count (project), ==, 0);
  g_assert_true (exk_project_get_is_configured (project));
  g_assert_true (exk_project_get_has_premium_features (project));
}

static void
test_project_stats (void)
{
  g_autoptr(JsonNode) root = load_fixture ("project-stats.json");
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 events;

  project = exk_project_new_from_json (json_node_get_object (root), &error);
  g_assert_no_error (error);

  g_assert_cmpint (exk_project_get_stack_count (project), ==, 12);
  g_assert_cmpint (exk_project_get_event_count (project), ==, G_GINT64_CONSTANT (123456789012));
  g_assert_false (exk_project_get_is_configured (project));

  g_object_get (project, "name", &name, "event-count", &events, NULL);
  g_assert_cmpstr (name, ==, "Rocket Ship");
  g_assert_cmpint (events, ==, G_GINT64_CONSTANT (123456789012));
}

static void
test_project_wrong_type (void)
{
  g_autoptr(JsonNode) root = load_fixture ("project-wrong-type.json");
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = exk_project_new_from_json (json_node_get_object (root), &error);
  g_assert_null (project);
  assert_invalid (error, "name");
  /* One whole sentence per problem: the kind of object goes to the debug log only. */
  g_assert_cmpstr (error->message, ==,
                   "The server sent an invalid answer: “name” should be a string");
}

static void
test_token_seed (void)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  const char * const expected_scopes[] = { "client", "user", NULL };

  token = load_token ("token-seed.json", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (exk_token_get_id (token), ==, "TOKEN");
  g_assert_cmpstr (exk_token_get_project_id (token), ==, "537650f3b77efe23a47914f4");
  g_assert_true (g_strv_equal (exk_token_get_scopes (token), expected_scopes));
  g_assert_null (exk_token_get_notes (token));
  g_assert_null (exk_token_get_expires (token));
  g_assert_null (exk_token_get_user_id (token));
  g_assert_false (exk_token_get_is_disabled (token));
  g_assert_false (exk_token_get_is_suspended (token));
  assert_date (exk_token_get_created (token), "2020-11-05T14:02:54.186688Z");
  assert_date (exk_token_get_updated (token), "2020-11-05T14:02:54.186705Z");
}

static void
test_token_view (void)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;

  token = load_token ("token-view.json", &error);
  g_assert_no_error (error);

  g_assert_cmpstr (exk_token_get_id (token), ==, "LhhP1C9gijpSKCslHHCvwdSIz298twx271nTest");
  g_assert_cmpstr (exk_token_get_organization_id (token), ==, "537650f3b77efe23a47914f3");
  g_assert_cmpstr (exk_token_get_notes (token), ==, "CI server");
  g_assert_true (exk_token_has_scope (token, "client"));
  g_assert_false (exk_token_has_scope (token, "user"));
  assert_date (exk_token_get_created (token), "2026-05-22T14:30:00.000000Z");

  now = g_date_time_new_now_utc ();
  g_assert_false (exk_token_is_expired (token, now));
}

static void
test_token_full (void)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) scopes = NULL;
  const char * const expected_scopes[] = { "client", "source-maps:write", "user", NULL };
  gboolean disabled;

  token = load_token ("token-full.json", &error);
  g_assert_no_error (error);

  /* A set: lower-case, sorted, no duplicates. */
  g_assert_true (g_strv_equal (exk_token_get_scopes (token), expected_scopes));
  g_assert_true (exk_token_has_scope (token, "CLIENT"));
  g_assert_true (exk_token_has_scope (token, "source-maps:write"));
  g_assert_false (exk_token_has_scope (token, "global"));

  g_assert_null (exk_token_get_project_id (token));
  g_assert_cmpstr (exk_token_get_default_project_id (token), ==, "537650f3b77efe23a47914f7");
  g_assert_cmpstr (exk_token_get_user_id (token), ==, "537650f3b77efe23a47914f8");
  g_assert_cmpstr (exk_token_get_notes (token), ==, "Deploy «bot» ✓");
  g_assert_true (exk_token_get_is_disabled (token));
  g_assert_true (exk_token_get_is_suspended (token));
  assert_date (exk_token_get_expires (token), "2026-12-31T23:00:00.000000Z");
  assert_date (exk_token_get_created (token), "2026-05-22T14:30:00.123000Z");
  assert_date (exk_token_get_updated (token), "2026-05-23T11:30:00.123456Z");

  g_object_get (token, "scopes", &scopes, "is-disabled", &disabled, NULL);
  g_assert_true (g_strv_equal ((const char * const *) scopes, expected_scopes));
  g_assert_true (disabled);
}

static void
test_token_invalid (void)
{
  static const struct {
    const char *fixture;
    const char *member;
  } cases[] = {
    { "token-missing-id.json", "id" },
    { "token-wrong-type.json", "is_disabled" },
    { "token-bad-scopes.json", "scopes" },
    { "token-bad-date.json", "created_utc" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ExkToken) token = NULL;
      g_autoptr(GError) error = NULL;

      token = load_token (cases[i].fixture, &error);
      g_assert_null (token);
      assert_invalid (error, cases[i].member);
    }
}

static void
test_token_expired (void)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_utc (2026, 12, 31, 22, 59, 59);
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 12, 31, 23, 0, 0);
  g_autoptr(GError) error = NULL;

  token = load_token ("token-full.json", &error);
  g_assert_no_error (error);

  g_assert_false (exk_token_is_expired (token, before));
  g_assert_true (exk_token_is_expired (token, at));
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           GPtrArray  *notified)
{
  g_ptr_array_add (notified, g_strdup (pspec->name));
}

static void
test_token_update_from (void)
{
  g_autoptr(ExkToken) token = NULL;
  g_autoptr(ExkToken) same = NULL;
  g_autoptr(ExkToken) newer = NULL;
  g_autoptr(GPtrArray) notified = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = load_fixture ("token-view.json");
  JsonObject *object = json_node_get_object (root);

  token = exk_token_new_from_json (object, &error);
  g_assert_no_error (error);
  same = exk_token_new_from_json (object, &error);
  g_assert_no_error (error);

  json_object_set_string_member (object, "notes", "Renamed");
  json_object_set_boolean_member (object, "is_disabled", TRUE);
  json_object_set_string_member (object, "updated_utc", "2026-05-23T08:00:00Z");
  newer = exk_token_new_from_json (object, &error);
  g_assert_no_error (error);

  g_signal_connect (token, "notify", G_CALLBACK (on_notify), notified);

  exk_token_update_from (token, same);
  g_assert_cmpuint (notified->len, ==, 0);

  exk_token_update_from (token, newer);
  g_assert_cmpuint (notified->len, ==, 3);
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "notes", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "is-disabled", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (notified, "updated", g_str_equal, NULL));
  g_assert_cmpstr (exk_token_get_notes (token), ==, "Renamed");
  g_assert_true (exk_token_get_is_disabled (token));

  /* Cleared notes are a change too. */
  g_ptr_array_set_size (notified, 0);
  exk_token_update_from (token, same);
  g_assert_cmpuint (notified->len, ==, 3);
  g_assert_cmpstr (exk_token_get_notes (token), ==, "CI server");
}

static void
test_organization (void)
{
  g_autoptr(JsonNode) root = load_fixture ("organization.json");
  g_autoptr(ExkOrganization) organization = NULL;
  g_autoptr(GError) error = NULL;

  organization = exk_organization_new_from_json (json_node_get_object (root), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (exk_organization_get_id (organization), ==, "537650f3b77efe23a47914f3");
  g_assert_cmpstr (exk_organization_get_name (organization), ==, "Acme");
  g_assert_cmpstr (exk_organization_get_plan_name (organization), ==, "Large");
  g_assert_cmpint (exk_organization_get_project_count (organization), ==, 2);
  g_assert_cmpint (exk_organization_get_max_projects (organization), ==, -1);
  g_assert_false (exk_organization_get_is_suspended (organization));
  g_assert_true (exk_organization_get_has_premium_features (organization));
  assert_date (exk_organization_get_created (organization), "2014-05-16T16:49:55.000000Z");
}

static void
test_user (void)
{
  g_autoptr(JsonNode) root = load_fixture ("user.json");
  g_autoptr(ExkUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char * const roles[] = { "client", "user", NULL };

  user = exk_user_new_from_json (json_node_get_object (root), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (exk_user_get_email_address (user), ==, "org@localhost");
  g_assert_cmpstr (exk_user_get_full_name (user), ==, "Eric Smith");
  g_assert_true (exk_user_get_has_local_account (user));
  g_assert_true (exk_user_get_is_email_address_verified (user));
  g_assert_true (exk_user_get_is_active (user));
  g_assert_true (g_strv_equal (exk_user_get_roles (user), roles));
  g_assert_cmpuint (g_strv_length ((char **) exk_user_get_organization_ids (user)), ==, 2);

  json_object_remove_member (json_node_get_object (root), "email_address");
  g_clear_object (&user);
  user = exk_user_new_from_json (json_node_get_object (root), &error);
  g_assert_null (user);
  assert_invalid (error, "email_address");
}

static void
test_delete_partial (void)
{
  g_autoptr(JsonNode) root = load_fixture ("delete-partial.json");
  g_autoptr(ExkDeleteResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char * const requested[] = {
    "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1",
    "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2",
    "Cccccccccccccccccccccccccccccccccccccccc3",
    "Dddddddddddddddddddddddddddddddddddddddd4",
    NULL
  };
  const char * const deleted[] = { requested[0], NULL };

  result = exk_delete_result_new_from_json (json_node_get_object (root), requested, &error);
  g_assert_no_error (error);

  g_assert_false (exk_delete_result_is_complete (result));
  g_assert_true (g_strv_equal (exk_delete_result_get_deleted (result), deleted));
  g_assert_cmpuint (exk_delete_result_get_n_failures (result), ==, 3);

  g_assert_cmpstr (exk_delete_result_get_failure_id (result, 0), ==, requested[1]);
  g_assert_cmpuint (exk_delete_result_get_failure_status (result, 0), ==, 404);
  g_assert_nonnull (exk_delete_result_get_failure_message (result, 0));

  g_assert_cmpstr (exk_delete_result_get_failure_id (result, 1), ==, requested[2]);
  g_assert_cmpuint (exk_delete_result_get_failure_status (result, 1), ==, 400);
  g_assert_cmpstr (exk_delete_result_get_failure_message (result, 1), ==,
                   "Can only delete tokens created by you.");

  /* Not mentioned by the server: not assumed deleted. */
  g_assert_cmpstr (exk_delete_result_get_failure_id (result, 2), ==, requested[3]);
  g_assert_cmpuint (exk_delete_result_get_failure_status (result, 2), ==, 0);
}

static void
test_delete_all (void)
{
  const char * const ids[] = { "one", "two", NULL };
  g_autoptr(ExkDeleteResult) result = exk_delete_result_new_all_deleted (ids);
  guint n_failures;

  g_assert_true (exk_delete_result_is_complete (result));
  g_assert_true (g_strv_equal (exk_delete_result_get_deleted (result), ids));
  g_object_get (result, "n-failures", &n_failures, NULL);
  g_assert_cmpuint (n_failures, ==, 0);
}

/* Builds the model a fixture holds; a list stands for its first element. */
static GObject *
model_from_json (const char  *fixture,
                 JsonNode    *root,
                 GError     **error)
{
  JsonObject *object;

  if (JSON_NODE_HOLDS_ARRAY (root))
    object = json_array_get_object_element (json_node_get_array (root), 0);
  else
    object = json_node_get_object (root);

  if (g_str_has_prefix (fixture, "project"))
    return G_OBJECT (exk_project_new_from_json (object, error));
  if (g_str_has_prefix (fixture, "token"))
    return G_OBJECT (exk_token_new_from_json (object, error));
  if (g_str_has_prefix (fixture, "organization"))
    return G_OBJECT (exk_organization_new_from_json (object, error));
  if (g_str_has_prefix (fixture, "user"))
    return G_OBJECT (exk_user_new_from_json (object, error));
  if (g_str_has_prefix (fixture, "delete"))
    return G_OBJECT (exk_delete_result_new_from_json (object, NULL, error));

  g_assert_not_reached ();
}

/* Every string a model reads, with a \u0000 after its first character, as the server
 * would send it. json-glib used to cut the value there. */
static void
test_nul_in_strings (void)
{
  static const struct {
    const char *fixture;
    const char *value;
  } cases[] = {
    { "projects-seed.json", "537650f3b77efe23a47914f4" },
    { "projects-seed.json", "Disintegrating Pistol" },
    { "projects-seed.json", "537650f3b77efe23a47914f3" },
    { "projects-seed.json", "Acme" },
    { "token-full.json", "Zq8bD0aU7nWk2LmXc4RtYv9sEpH1gJfK3oQiN6Az" },
    { "token-full.json", "537650f3b77efe23a47914f7" },
    { "token-full.json", "537650f3b77efe23a47914f8" },
    { "token-full.json", "Deploy «bot» ✓" },
    { "token-full.json", "source-maps:write" },
    { "token-view.json", "537650f3b77efe23a47914f4" },
    { "organization.json", "537650f3b77efe23a47914f3" },
    { "organization.json", "Acme" },
    { "organization.json", "Large" },
    { "user.json", "537650f3b77efe23a47914f8" },
    { "user.json", "537650f3b77efe23a47914f5" },
    { "user.json", "Eric Smith" },
    { "user.json", "org@localhost" },
    { "user.json", "client" },
    { "delete-partial.json", "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1" },
    { "delete-partial.json", "Bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2" },
    { "delete-partial.json", "Can only delete tokens created by you." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", cases[i].fixture,
                                                     NULL);
      g_autofree char *contents = NULL;
      g_autofree char *quoted = g_strdup_printf ("\"%s\"", cases[i].value);
      g_autofree char *cut = g_strdup_printf ("\"%c\\u0000%s\"", cases[i].value[0],
                                              cases[i].value + 1);
      g_autoptr(GString) body = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GBytes) original = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GObject) model = NULL;
      g_autoptr(GError) error = NULL;
      gsize size;

      g_file_get_contents (path, &contents, &size, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (contents, quoted));

      /* The untouched fixture is fine, as a body too. */
      original = g_bytes_new (contents, size);
      root = exk_json_parse_bytes (original, &error);
      g_assert_no_error (error);
      model = model_from_json (cases[i].fixture, root, &error);
      g_assert_no_error (error);
      g_assert_nonnull (model);
      g_clear_pointer (&root, json_node_unref);

      body = g_string_new (contents);
      g_string_replace (body, quoted, cut, 1);
      bytes = g_string_free_to_bytes (g_steal_pointer (&body));
      root = exk_json_parse_bytes (bytes, &error);
      if (root != NULL)
        g_error ("%s: “%s” with a NUL in it was accepted", cases[i].fixture, cases[i].value);
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      g_assert_nonnull (strstr (error->message, "null character"));
    }
}

/* Ids are never empty and never hold spaces or control characters, in any model. */
static void
test_invalid_ids (void)
{
  static const struct {
    const char *fixture;
    const char *member;
  } cases[] = {
    { "projects-seed.json", "id" },
    { "projects-seed.json", "organization_id" },
    { "token-full.json", "id" },
    { "token-full.json", "organization_id" },
    { "token-full.json", "user_id" },
    { "token-full.json", "default_project_id" },
    { "token-view.json", "project_id" },
    { "organization.json", "id" },
    { "user.json", "id" },
  };
  static const char * const bad_ids[] = { "", " ", "53765 0f3b", "5376\n", "\t5376", "ab\x7f",
                                          "ab\xc2\x85" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint j = 0; j < G_N_ELEMENTS (bad_ids); j++)
        {
          g_autoptr(JsonNode) root = load_fixture (cases[i].fixture);
          g_autoptr(GObject) model = NULL;
          g_autoptr(GError) error = NULL;
          JsonObject *object;

          if (JSON_NODE_HOLDS_ARRAY (root))
            object = json_array_get_object_element (json_node_get_array (root), 0);
          else
            object = json_node_get_object (root);
          json_object_set_string_member (object, cases[i].member, bad_ids[j]);

          model = model_from_json (cases[i].fixture, root, &error);
          if (model != NULL)
            g_error ("%s: “%s” = “%s” was accepted", cases[i].fixture, cases[i].member,
                     bad_ids[j]);
          assert_invalid (error, cases[i].member);
        }
    }
}

static void
test_invalid_id_lists (void)
{
  static const struct {
    const char *fixture;
    const char *json;
    const char *member;
  } cases[] = {
    { "user.json", "{\"id\":\"u\",\"email_address\":\"a@b\",\"organization_ids\":[\"o\",\"\"]}",
      "organization_ids" },
    { "delete.json", "{\"success\":[\"\"]}", "success" },
    { "delete.json", "{\"failure\":[{\"id\":\"\",\"status_code\":404}]}", "id" },
    { "delete.json", "{\"failure\":[{\"id\":\"a\\u0001\",\"status_code\":404}]}", "id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i].json, strlen (cases[i].json));
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GObject) model = NULL;
      g_autoptr(GError) error = NULL;

      root = exk_json_parse_bytes (bytes, &error);
      g_assert_no_error (error);
      model = model_from_json (cases[i].fixture, root, &error);
      g_assert_null (model);
      assert_invalid (error, cases[i].member);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/exkeys/api/models/project-seed", test_project_seed);
  g_test_add_func ("/exkeys/api/models/project-stats", test_project_stats);
  g_test_add_func ("/exkeys/api/models/project-wrong-type", test_project_wrong_type);
  g_test_add_func ("/exkeys/api/models/token-seed", test_token_seed);
  g_test_add_func ("/exkeys/api/models/token-view", test_token_view);
  g_test_add_func ("/exkeys/api/models/token-full", test_token_full);
  g_test_add_func ("/exkeys/api/models/token-invalid", test_token_invalid);
  g_test_add_func ("/exkeys/api/models/token-expired", test_token_expired);
  g_test_add_func ("/exkeys/api/models/token-update-from", test_token_update_from);
  g_test_add_func ("/exkeys/api/models/organization", test_organization);
  g_test_add_func ("/exkeys/api/models/user", test_user);
  g_test_add_func ("/exkeys/api/models/delete-partial", test_delete_partial);
  g_test_add_func ("/exkeys/api/models/delete-all", test_delete_all);
  g_test_add_func ("/exkeys/api/models/nul-in-strings", test_nul_in_strings);
  g_test_add_func ("/exkeys/api/models/invalid-ids", test_invalid_ids);
  g_test_add_func ("/exkeys/api/models/invalid-id-lists", test_invalid_id_lists);

  return g_test_run ();
}

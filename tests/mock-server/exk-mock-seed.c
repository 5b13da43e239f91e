// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Demo fixtures. The Acme and Free Plan ids, names and users are the ones of
 * Exceptionless' own SampleDataService, so that notes and tests written
 * against a real development server also hold here. Everything else is made
 * up to make the demo look like a real account.
 */

#include "config.h"

#include "exk-mock-seed.h"

#define HOUR_USEC ((gint64) 60 * 60 * G_USEC_PER_SEC)
#define DAY_USEC (24 * HOUR_USEC)

/* 2025-01-06T09:00:00Z: fixtures are "created" from here on, a day apart. */
#define FIXTURE_EPOCH_USEC ((gint64) 1736154000 * G_USEC_PER_SEC)

#define DEMO_USER_ID   "537650f3b77efe23a4791401"
#define FREE_USER_ID   "537650f3b77efe23a4791402"
#define OPS_USER_ID    "537650f3b77efe23a4791403"
#define OAUTH_USER_ID  "537650f3b77efe23a4791404"

#define LOGIN_TOKEN_LIFETIME_USEC (90 * DAY_USEC)

typedef enum
{
  KEY_PLAIN    = 0,
  KEY_DISABLED = 1 << 0,
  KEY_EXPIRED  = 1 << 1,
  KEY_EXPIRING = 1 << 2,
  KEY_OPS_USER = 1 << 3,
} KeyFlags;

typedef struct
{
  const char *project_id;   /* NULL: organization-wide key */
  const char *organization_id;
  const char *scopes;       /* comma-separated, NULL: none (behaves as client) */
  const char *notes;
  KeyFlags    flags;
} KeyFixture;

typedef struct
{
  const char *id;
  const char *organization_id;
  const char *name;
  gint64      stack_count;
  gint64      event_count;
} ProjectFixture;

static const ProjectFixture projects[] = {
  { EXK_MOCK_PISTOL_PROJECT_ID, EXK_MOCK_ACME_ORGANIZATION_ID, "Disintegrating Pistol", 42, 1873 },
  { EXK_MOCK_FREE_PROJECT_ID, EXK_MOCK_FREE_ORGANIZATION_ID, "Free Plan Project", 3, 57 },
  { EXK_MOCK_ROCKET_PROJECT_ID, EXK_MOCK_ACME_ORGANIZATION_ID, "Rocket Ship", 17, 904 },
  { "64b7e2a9c1d04f5e8a9b0c21", EXK_MOCK_LABS_ORGANIZATION_ID, "Billing API", 128, 48211 },
  { "64b7e2a9c1d04f5e8a9b0c22", EXK_MOCK_LABS_ORGANIZATION_ID, "Web Storefront", 311, 152907 },
  { "64b7e2a9c1d04f5e8a9b0c23", EXK_MOCK_LABS_ORGANIZATION_ID, "iOS App", 76, 20344 },
  { "64b7e2a9c1d04f5e8a9b0c24", EXK_MOCK_LABS_ORGANIZATION_ID, "Android App", 94, 27610 },
  { "64b7e2a9c1d04f5e8a9b0c25", EXK_MOCK_LABS_ORGANIZATION_ID, "Admin Dashboard", 12, 833 },
  { "64b7e2a9c1d04f5e8a9b0c26", EXK_MOCK_LABS_ORGANIZATION_ID, "Notification Service", 35, 9120 },
  { "64b7e2a9c1d04f5e8a9b0c27", EXK_MOCK_LABS_ORGANIZATION_ID, "Search Indexer", 8, 412 },
  { "64b7e2a9c1d04f5e8a9b0c28", EXK_MOCK_LABS_ORGANIZATION_ID, "Marketing Site", 5, 96 },
};

static const KeyFixture keys[] = {
  /* Like SampleDataService: the first key of a project has no scopes. */
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, NULL, NULL, KEY_PLAIN },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "client", "Production web servers", KEY_PLAIN },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "client", "Staging environment", KEY_PLAIN },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "source-maps:write", "Source map deployment", KEY_PLAIN },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "client", "Old Android build (leaked in logs)",
    KEY_DISABLED },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "client", "Contractor QA access", KEY_EXPIRED },
  { EXK_MOCK_PISTOL_PROJECT_ID, NULL, "client", "Load test rig (temporary)", KEY_EXPIRING },
  { EXK_MOCK_ROCKET_PROJECT_ID, NULL, NULL, NULL, KEY_PLAIN },
  { EXK_MOCK_ROCKET_PROJECT_ID, NULL, "client", "Telemetry ingest", KEY_PLAIN },
  { EXK_MOCK_ROCKET_PROJECT_ID, NULL, "user,client", "Deploy automation", KEY_PLAIN },
  { EXK_MOCK_ROCKET_PROJECT_ID, NULL, "client", "Legacy key from the old dashboard", KEY_OPS_USER },
  { NULL, EXK_MOCK_ACME_ORGANIZATION_ID, "client", "Organization-wide ingest", KEY_PLAIN },
  { EXK_MOCK_FREE_PROJECT_ID, NULL, NULL, NULL, KEY_PLAIN },
  { EXK_MOCK_FREE_PROJECT_ID, NULL, "client", "Hobby website", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c21", NULL, "client", "Production", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c21", NULL, "client", "Staging", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c21", NULL, "client", "Payment worker (retired)", KEY_DISABLED },
  { "64b7e2a9c1d04f5e8a9b0c22", NULL, "client", "Production", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c22", NULL, "source-maps:write", "Source map deployment", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c22", NULL, "client", "Black Friday load test", KEY_EXPIRED },
  { "64b7e2a9c1d04f5e8a9b0c23", NULL, "client", "App Store build", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c23", NULL, "client", "TestFlight beta", KEY_EXPIRING },
  { "64b7e2a9c1d04f5e8a9b0c24", NULL, "client", "Play Store build", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c24", NULL, "client", "Internal QA track", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c25", NULL, "client", "Production", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c25", NULL, "source-maps:write", "Source map deployment", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c26", NULL, "client", "Push workers", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c26", NULL, "client", "Email workers", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c27", NULL, "client", "Nightly reindex job", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c28", NULL, "client", "Production", KEY_PLAIN },
  { "64b7e2a9c1d04f5e8a9b0c28", NULL, "client", "Preview deployments", KEY_DISABLED },
};

static void
add_organization (ExkMockStore *store,
                  const char   *id,
                  const char   *name,
                  const char   *plan_id,
                  const char   *plan_name,
                  const char   *plan_description,
                  double        price,
                  gint64        max_events,
                  gint64        created_utc)
{
  ExkMockOrganization *org = exk_mock_organization_new (id, name);

  g_free (org->plan_id);
  org->plan_id = g_strdup (plan_id);
  g_free (org->plan_name);
  org->plan_name = g_strdup (plan_name);
  g_free (org->plan_description);
  org->plan_description = g_strdup (plan_description);
  org->billing_price = price;
  org->max_events_per_month = max_events;
  org->created_utc = created_utc;
  org->updated_utc = created_utc;

  if (price == 0)
    {
      org->billing_status = 0;
      org->retention_days = 3;
      org->max_users = 1;
      org->max_projects = 1;
      org->has_premium_features = FALSE;
    }

  exk_mock_store_add_organization (store, org);
}

static ExkMockUser *
add_user (ExkMockStore *store,
          const char   *id,
          const char   *email,
          const char   *full_name,
          const char   *password,
          ...) G_GNUC_NULL_TERMINATED;

static ExkMockUser *
add_user (ExkMockStore *store,
          const char   *id,
          const char   *email,
          const char   *full_name,
          const char   *password,
          ...)
{
  ExkMockUser *user = exk_mock_user_new (id, email, full_name, password);
  const char *org_id;
  va_list args;

  va_start (args, password);
  while ((org_id = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (user->organization_ids, g_strdup (org_id));
  va_end (args);

  exk_mock_store_add_user (store, user);

  return user;
}

void
exk_mock_seed_demo (ExkMockStore *store,
                    gint64        now)
{
  ExkMockUser *oauth;
  JsonObject *account;

  g_return_if_fail (EXK_IS_MOCK_STORE (store));

  add_organization (store, EXK_MOCK_ACME_ORGANIZATION_ID, "Acme",
                    "EX_LARGE", "Large", "Large ($99/month)", 99.0, 250000,
                    FIXTURE_EPOCH_USEC);
  add_organization (store, EXK_MOCK_FREE_ORGANIZATION_ID, "Free Plan Organization",
                    "EX_FREE", "Free", "Free", 0.0, 3000,
                    FIXTURE_EPOCH_USEC + DAY_USEC);
  add_organization (store, EXK_MOCK_LABS_ORGANIZATION_ID, "Northwind Labs",
                    "EX_MEDIUM", "Medium", "Medium ($49/month)", 49.0, 50000,
                    FIXTURE_EPOCH_USEC + 2 * DAY_USEC);

  for (guint i = 0; i < G_N_ELEMENTS (projects); i++)
    {
      ExkMockProject *project = exk_mock_project_new (projects[i].id,
                                                      projects[i].organization_id,
                                                      projects[i].name);

      project->created_utc = FIXTURE_EPOCH_USEC + (gint64) i * DAY_USEC;
      project->stack_count = projects[i].stack_count;
      project->event_count = projects[i].event_count;
      project->delete_bot_data_enabled = (i % 3) == 0;
      project->has_slack_integration = (i % 4) == 1;
      project->config_version = 3 + (int) i;
      json_object_set_string_member (project->settings, "IncludePrivateInformation", "true");
      json_object_set_string_member (project->settings, "@@log:*", "Info");
      exk_mock_store_add_project (store, project);
    }

  add_user (store, DEMO_USER_ID, EXK_MOCK_DEMO_EMAIL, "Eric Smith", EXK_MOCK_DEMO_PASSWORD,
            EXK_MOCK_ACME_ORGANIZATION_ID, EXK_MOCK_FREE_ORGANIZATION_ID,
            EXK_MOCK_LABS_ORGANIZATION_ID, NULL);
  add_user (store, FREE_USER_ID, "free@localhost", "Frank Freeman", "tester",
            EXK_MOCK_FREE_ORGANIZATION_ID, NULL);
  add_user (store, OPS_USER_ID, "ops@localhost", "Olivia Park", "tester",
            EXK_MOCK_ACME_ORGANIZATION_ID, NULL);

  /* Signed up through GitHub and never set a local password. */
  oauth = add_user (store, OAUTH_USER_ID, "oauth@localhost", "Grace Hopper", NULL,
                    EXK_MOCK_ACME_ORGANIZATION_ID, NULL);
  account = json_object_new ();
  json_object_set_string_member (account, "provider", "github");
  json_object_set_string_member (account, "provider_user_id", "1048576");
  json_object_set_string_member (account, "username", "ghopper");
  json_object_set_object_member (account, "extra_data", json_object_new ());
  json_array_add_object_element (oauth->o_auth_accounts, account);

  exk_mock_store_set_demo_user (store, DEMO_USER_ID);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const KeyFixture *fixture = &keys[i];
      g_autofree char *seed = g_strdup_printf ("demo-key:%u", i);
      g_autofree char *id = exk_mock_token_id_for_string (seed);
      ExkMockToken *token = exk_mock_token_new (id, EXK_MOCK_TOKEN_ACCESS);

      if (fixture->project_id != NULL)
        {
          ExkMockProject *project = exk_mock_store_find_project (store, fixture->project_id);

          token->project_id = g_strdup (project->id);
          token->organization_id = g_strdup (project->organization_id);
        }
      else
        {
          token->organization_id = g_strdup (fixture->organization_id);
        }

      if (fixture->scopes != NULL)
        {
          g_auto(GStrv) scopes = g_strsplit (fixture->scopes, ",", -1);

          for (guint j = 0; scopes[j] != NULL; j++)
            exk_mock_token_add_scope (token, scopes[j]);
        }

      token->notes = g_strdup (fixture->notes);
      token->created_by = g_strdup (DEMO_USER_ID);
      token->created_utc = FIXTURE_EPOCH_USEC + (gint64) i * DAY_USEC + HOUR_USEC;
      token->updated_utc = token->created_utc;
      token->is_disabled = (fixture->flags & KEY_DISABLED) != 0;

      if (fixture->flags & KEY_DISABLED)
        token->updated_utc += 30 * DAY_USEC;
      if (fixture->flags & KEY_EXPIRED)
        token->expires_utc = now - 45 * DAY_USEC;
      if (fixture->flags & KEY_EXPIRING)
        token->expires_utc = now + 180 * DAY_USEC;
      if (fixture->flags & KEY_OPS_USER)
        {
          /* A legacy user-bound key: visible in lists, but only its owner
           * may read, change or delete it. */
          token->user_id = g_strdup (OPS_USER_ID);
          g_free (token->created_by);
          token->created_by = g_strdup (OPS_USER_ID);
        }

      exk_mock_store_add_token (store, token);
    }
}

void
exk_mock_seed_generate_projects (ExkMockStore *store,
                                 guint         count)
{
  g_autoptr(GPtrArray) org_ids = g_ptr_array_new ();
  ExkMockUser *demo;

  g_return_if_fail (EXK_IS_MOCK_STORE (store));

  demo = exk_mock_store_get_demo_user (store);
  if (demo != NULL)
    {
      for (guint i = 0; i < demo->organization_ids->len; i++)
        {
          const char *id = g_ptr_array_index (demo->organization_ids, i);

          if (exk_mock_store_find_organization (store, id) != NULL)
            g_ptr_array_add (org_ids, (gpointer) id);
        }
    }

  if (org_ids->len == 0)
    {
      GPtrArray *orgs = exk_mock_store_get_organizations (store);

      if (orgs->len == 0)
        return;

      g_ptr_array_add (org_ids, ((ExkMockOrganization *) g_ptr_array_index (orgs, 0))->id);
    }

  for (guint i = 1; i <= count; i++)
    {
      g_autofree char *id = g_strdup_printf ("5eb1%020x", i);
      g_autofree char *name = g_strdup_printf ("Project %05u", i);
      ExkMockProject *project;

      project = exk_mock_project_new (id, g_ptr_array_index (org_ids, (i - 1) % org_ids->len),
                                      name);
      project->created_utc = FIXTURE_EPOCH_USEC + 30 * DAY_USEC + (gint64) i * G_USEC_PER_SEC;
      project->stack_count = (i * 7) % 97;
      project->event_count = (i * 131) % 5003;
      exk_mock_store_add_project (store, project);
    }
}

void
exk_mock_seed_generate_tokens (ExkMockStore *store,
                               guint         count)
{
  GPtrArray *all_projects;
  ExkMockProject *project;
  ExkMockUser *demo;

  g_return_if_fail (EXK_IS_MOCK_STORE (store));

  all_projects = exk_mock_store_get_projects (store);
  if (all_projects->len == 0)
    return;

  project = exk_mock_store_find_project (store, EXK_MOCK_PISTOL_PROJECT_ID);
  if (project == NULL)
    project = g_ptr_array_index (all_projects, 0);

  demo = exk_mock_store_get_demo_user (store);

  for (guint i = 1; i <= count; i++)
    {
      g_autofree char *seed = g_strdup_printf ("generated-key:%u", i);
      g_autofree char *id = exk_mock_token_id_for_string (seed);
      ExkMockToken *token = exk_mock_token_new (id, EXK_MOCK_TOKEN_ACCESS);

      token->organization_id = g_strdup (project->organization_id);
      token->project_id = g_strdup (project->id);
      token->notes = g_strdup_printf ("Generated key %05u", i);
      token->created_by = g_strdup (demo != NULL ? demo->id : NULL);
      exk_mock_token_add_scope (token, "client");
      token->created_utc = FIXTURE_EPOCH_USEC + 60 * DAY_USEC + (gint64) i * G_USEC_PER_SEC;
      token->updated_utc = token->created_utc;
      exk_mock_store_add_token (store, token);
    }
}

/* Keys of every kind across Acme (Disintegrating Pistol, Rocket Ship and organization-wide),
 * for the "All Keys" view: some with user scope, some without notes, some disabled, some
 * expired or expiring within 30 days of @now. Each kind repeats with a period of its own. */
void
exk_mock_seed_generate_organization_tokens (ExkMockStore *store,
                                            guint         count,
                                            gint64        now)
{
  ExkMockOrganization *acme;
  ExkMockUser *demo;

  g_return_if_fail (EXK_IS_MOCK_STORE (store));

  acme = exk_mock_store_find_organization (store, EXK_MOCK_ACME_ORGANIZATION_ID);
  if (acme == NULL || count == 0)
    return;

  demo = exk_mock_store_get_demo_user (store);

  for (guint i = 1; i <= count; i++)
    {
      g_autofree char *seed = g_strdup_printf ("organization-key:%u", i);
      g_autofree char *id = exk_mock_token_id_for_string (seed);
      ExkMockToken *token = exk_mock_token_new (id, EXK_MOCK_TOKEN_ACCESS);

      token->organization_id = g_strdup (EXK_MOCK_ACME_ORGANIZATION_ID);
      switch (i % 5)
        {
        case 0:
          if (i % 10 == 0)
            token->default_project_id = g_strdup (EXK_MOCK_ROCKET_PROJECT_ID);
          break;
        case 1:
        case 2:
          token->project_id = g_strdup (EXK_MOCK_PISTOL_PROJECT_ID);
          break;
        default:
          token->project_id = g_strdup (EXK_MOCK_ROCKET_PROJECT_ID);
          break;
        }

      if (i % 7 == 0)
        exk_mock_token_add_scope (token, "user");
      if (i % 11 == 0 && token->project_id != NULL)
        exk_mock_token_add_scope (token, "source-maps:write");
      else
        exk_mock_token_add_scope (token, "client");

      if (i % 6 != 0)
        token->notes = g_strdup_printf ("Organization key %05u", i);
      token->is_disabled = i % 9 == 0;
      /* Every 8th expires between 30 days ago and 60 days from now. */
      if (i % 8 == 0)
        token->expires_utc = now + ((gint64) ((i / 8) % 90) - 30) * DAY_USEC + HOUR_USEC;
      token->created_by = g_strdup (demo != NULL ? demo->id : NULL);
      token->created_utc = FIXTURE_EPOCH_USEC + 90 * DAY_USEC + (gint64) i * G_USEC_PER_SEC;
      token->updated_utc = token->created_utc;
      exk_mock_store_add_token (store, token);
    }
}

void
exk_mock_seed_ensure_demo_login (ExkMockStore *store,
                                 gint64        now)
{
  g_autofree char *seed = NULL;
  g_autofree char *id = NULL;
  ExkMockToken *token;
  ExkMockUser *demo;

  g_return_if_fail (EXK_IS_MOCK_STORE (store));

  demo = exk_mock_store_get_demo_user (store);
  if (demo == NULL || exk_mock_store_find_login_token (store, demo->id, now) != NULL)
    return;

  seed = g_strdup_printf ("login:%s", demo->email_address);
  id = exk_mock_token_id_for_string (seed);
  token = exk_mock_token_new (id, EXK_MOCK_TOKEN_AUTHENTICATION);
  token->user_id = g_strdup (demo->id);
  token->created_by = g_strdup (demo->id);
  token->created_utc = now;
  token->updated_utc = now;
  token->expires_utc = now + LOGIN_TOKEN_LIFETIME_USEC;
  exk_mock_store_add_token (store, token);
}

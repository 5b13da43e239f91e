// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <unistd.h>

#include <json-glib/json-glib.h>

#include "exk-expiry-seed.h"

static char *
iso_from_now (GDateTime *now,
              GTimeSpan  offset)
{
  g_autoptr(GDateTime) when = g_date_time_add (now, offset);

  return g_date_time_format_iso8601 (when);
}

static void
add_key (JsonBuilder *builder,
         GDateTime   *now,
         const char  *id,
         const char  *organization_id,
         const char  *project_id,
         gboolean     has_expiry,
         GTimeSpan    expires_in,
         gboolean     disabled)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "organization_id");
  json_builder_add_string_value (builder, organization_id);
  json_builder_set_member_name (builder, "project_id");
  json_builder_add_string_value (builder, project_id);
  json_builder_set_member_name (builder, "created_by");
  json_builder_add_string_value (builder, USER_ID);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "client");
  json_builder_end_array (builder);
  if (has_expiry)
    {
      g_autofree char *expires = iso_from_now (now, expires_in);

      json_builder_set_member_name (builder, "expires_utc");
      json_builder_add_string_value (builder, expires);
    }
  json_builder_set_member_name (builder, "is_disabled");
  json_builder_add_boolean_value (builder, disabled);
  json_builder_end_object (builder);
}

static void
add_named (JsonBuilder *builder,
           const char  *id,
           const char  *organization_id,
           const char  *name)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  if (organization_id != NULL)
    {
      json_builder_set_member_name (builder, "organization_id");
      json_builder_add_string_value (builder, organization_id);
    }
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
}

/**
 * exk_expiry_seed_write:
 * @now: the time the expiries are set from
 *
 * Writes a mock server seed: Acme (Disintegrating Pistol, Rocket Ship) and
 * Northwind Labs (Billing API), the demo user in both, a key per case.
 *
 * Returns: (transfer full): the path of the file, to unlink
 */
char *
exk_expiry_seed_write (GDateTime *now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "demo_user");
  json_builder_add_string_value (builder, "org@localhost");

  json_builder_set_member_name (builder, "organizations");
  json_builder_begin_array (builder);
  add_named (builder, ORG_ACME, NULL, "Acme");
  add_named (builder, ORG_NORTH, NULL, "Northwind Labs");
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "projects");
  json_builder_begin_array (builder);
  add_named (builder, PISTOL_ID, ORG_ACME, "Disintegrating Pistol");
  add_named (builder, ROCKET_ID, ORG_ACME, "Rocket Ship");
  add_named (builder, BILLING_ID, ORG_NORTH, "Billing API");
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, USER_ID);
  json_builder_set_member_name (builder, "email_address");
  json_builder_add_string_value (builder, "org@localhost");
  json_builder_set_member_name (builder, "full_name");
  json_builder_add_string_value (builder, "Eric Smith");
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, "tester");
  json_builder_set_member_name (builder, "organization_ids");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, ORG_ACME);
  json_builder_add_string_value (builder, ORG_NORTH);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
  add_key (builder, now, KEY_10_DAYS, ORG_ACME, PISTOL_ID, TRUE, 10 * G_TIME_SPAN_DAY, FALSE);
  add_key (builder, now, KEY_12_HOURS, ORG_ACME, PISTOL_ID, TRUE, 12 * G_TIME_SPAN_HOUR, FALSE);
  add_key (builder, now, KEY_EXPIRED_2, ORG_ACME, ROCKET_ID, TRUE, -2 * G_TIME_SPAN_DAY, FALSE);
  add_key (builder, now, KEY_EXPIRED_30, ORG_ACME, PISTOL_ID, TRUE, -30 * G_TIME_SPAN_DAY,
           FALSE);
  add_key (builder, now, KEY_DISABLED, ORG_ACME, PISTOL_ID, TRUE, 5 * G_TIME_SPAN_DAY, TRUE);
  add_key (builder, now, KEY_FAR, ORG_ACME, ROCKET_ID, TRUE, 60 * G_TIME_SPAN_DAY, FALSE);
  add_key (builder, now, KEY_NEVER, ORG_ACME, ROCKET_ID, FALSE, 0, FALSE);
  add_key (builder, now, KEY_NORTH, ORG_NORTH, BILLING_ID, TRUE, 3 * G_TIME_SPAN_DAY, FALSE);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  fd = g_file_open_tmp ("exkeys-expiry-XXXXXX.json", &path, &error);
  g_assert_no_error (error);
  close (fd);
  json_generator_to_file (generator, path, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

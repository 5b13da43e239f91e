// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Plain records owned by the store. Times are microseconds since the Unix
 * epoch (UTC); 0 means "not set" for optional times. */

typedef struct
{
  char     *id;
  char     *name;
  char     *plan_id;
  char     *plan_name;
  char     *plan_description;
  gint64    created_utc;
  gint64    updated_utc;
  int       billing_status;
  double    billing_price;
  gint64    max_events_per_month;
  int       retention_days;
  int       max_users;
  int       max_projects;
  gboolean  has_premium_features;
  gboolean  is_suspended;
} ExkMockOrganization;

typedef struct
{
  char       *id;
  char       *organization_id;
  char       *name;
  gint64      created_utc;
  gint64      stack_count;
  gint64      event_count;
  gboolean    delete_bot_data_enabled;
  gboolean    has_slack_integration;
  int         config_version;
  JsonObject *settings;
} ExkMockProject;

typedef struct
{
  char       *id;
  char       *email_address;
  char       *full_name;
  char       *password;          /* NULL: OAuth-only account, no local login */
  GPtrArray  *organization_ids;  /* char* */
  char      **roles;
  gboolean    is_active;
  gboolean    is_email_address_verified;
  JsonArray  *o_auth_accounts;
} ExkMockUser;

typedef enum
{
  EXK_MOCK_TOKEN_ACCESS,
  EXK_MOCK_TOKEN_AUTHENTICATION,
} ExkMockTokenType;

typedef struct
{
  char              *id;
  ExkMockTokenType   type;
  char              *organization_id;
  char              *project_id;
  char              *default_project_id;
  char              *user_id;
  char              *created_by;
  char              *notes;
  GPtrArray         *scopes;       /* char*, lower case, insertion order */
  gint64             expires_utc;  /* 0: never */
  gint64             created_utc;
  gint64             updated_utc;
  gboolean           is_disabled;
  guint64            sequence;     /* insertion order, breaks created_utc ties */
} ExkMockToken;

#define EXK_TYPE_MOCK_STORE (exk_mock_store_get_type ())

G_DECLARE_FINAL_TYPE (ExkMockStore, exk_mock_store, EXK, MOCK_STORE, GObject)

ExkMockStore        *exk_mock_store_new                (void);
gboolean             exk_mock_store_load_json          (ExkMockStore        *self,
                                                        JsonNode            *root,
                                                        GError             **error);
gboolean             exk_mock_store_load_file          (ExkMockStore        *self,
                                                        const char          *path,
                                                        GError             **error);
JsonNode            *exk_mock_store_to_json            (ExkMockStore        *self);
JsonNode            *exk_mock_token_to_json            (const ExkMockToken  *token);

void                 exk_mock_store_add_organization   (ExkMockStore        *self,
                                                        ExkMockOrganization *org);
void                 exk_mock_store_add_project        (ExkMockStore        *self,
                                                        ExkMockProject      *project);
void                 exk_mock_store_add_user           (ExkMockStore        *self,
                                                        ExkMockUser         *user);
void                 exk_mock_store_add_token          (ExkMockStore        *self,
                                                        ExkMockToken        *token);
void                 exk_mock_store_remove_token       (ExkMockStore        *self,
                                                        const char          *id);
void                 exk_mock_store_remove_project     (ExkMockStore        *self,
                                                        const char          *id);

ExkMockOrganization *exk_mock_store_find_organization  (ExkMockStore        *self,
                                                        const char          *id);
ExkMockProject      *exk_mock_store_find_project       (ExkMockStore        *self,
                                                        const char          *id);
ExkMockUser         *exk_mock_store_find_user          (ExkMockStore        *self,
                                                        const char          *id);
ExkMockUser         *exk_mock_store_find_user_by_email (ExkMockStore        *self,
                                                        const char          *email);
ExkMockToken        *exk_mock_store_find_token         (ExkMockStore        *self,
                                                        const char          *id);
ExkMockToken        *exk_mock_store_find_login_token   (ExkMockStore        *self,
                                                        const char          *user_id,
                                                        gint64               now);

GPtrArray           *exk_mock_store_get_organizations  (ExkMockStore        *self);
GPtrArray           *exk_mock_store_get_projects       (ExkMockStore        *self);
GPtrArray           *exk_mock_store_get_users          (ExkMockStore        *self);
GPtrArray           *exk_mock_store_get_tokens         (ExkMockStore        *self);

ExkMockUser         *exk_mock_store_get_demo_user      (ExkMockStore        *self);
void                 exk_mock_store_set_demo_user      (ExkMockStore        *self,
                                                        const char          *user_id);

char                *exk_mock_new_token_id             (void);
char                *exk_mock_new_object_id            (void);
char                *exk_mock_token_id_for_string      (const char          *seed);
gboolean             exk_mock_parse_time               (const char          *text,
                                                        gint64              *out_usec);
char                *exk_mock_format_time              (gint64               usec);
gboolean             exk_mock_token_has_scope          (const ExkMockToken  *token,
                                                        const char          *scope);

ExkMockOrganization *exk_mock_organization_new         (const char          *id,
                                                        const char          *name);
ExkMockProject      *exk_mock_project_new              (const char          *id,
                                                        const char          *organization_id,
                                                        const char          *name);
ExkMockUser         *exk_mock_user_new                 (const char          *id,
                                                        const char          *email_address,
                                                        const char          *full_name,
                                                        const char          *password);
ExkMockToken        *exk_mock_token_new                (const char          *id,
                                                        ExkMockTokenType     type);
void                 exk_mock_token_add_scope          (ExkMockToken        *token,
                                                        const char          *scope);
ExkMockToken        *exk_mock_token_copy               (const ExkMockToken  *token);

void                 exk_mock_organization_free        (ExkMockOrganization *org);
void                 exk_mock_project_free             (ExkMockProject      *project);
void                 exk_mock_user_free                (ExkMockUser         *user);
void                 exk_mock_token_free               (ExkMockToken        *token);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockOrganization, exk_mock_organization_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockProject, exk_mock_project_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockUser, exk_mock_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockToken, exk_mock_token_free)

G_END_DECLS

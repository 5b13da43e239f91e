// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "exk-delete-result.h"
#include "exk-organization.h"
#include "exk-project.h"
#include "exk-token.h"
#include "exk-user.h"

G_BEGIN_DECLS

#define EXK_TYPE_CLIENT (exk_client_get_type ())

G_DECLARE_FINAL_TYPE (ExkClient, exk_client, EXK, CLIENT, GObject)

/**
 * ExkProjectListFlags:
 * @EXK_PROJECT_LIST_NONE: names and organizations only
 * @EXK_PROJECT_LIST_WITH_STATS: also fill in the stack and event counts (`mode=stats`)
 */
typedef enum
{
  EXK_PROJECT_LIST_NONE       = 0,
  EXK_PROJECT_LIST_WITH_STATS = 1 << 0,
} ExkProjectListFlags;

ExkClient       *exk_client_new                               (const char           *base_url,
                                                               GError              **error);
const char      *exk_client_get_base_url                      (ExkClient            *self);
const char      *exk_client_get_token                         (ExkClient            *self);
void             exk_client_set_token                         (ExkClient            *self,
                                                               const char           *token);
guint            exk_client_get_timeout                       (ExkClient            *self);
void             exk_client_set_timeout                       (ExkClient            *self,
                                                               guint                 seconds);

void             exk_client_login_async                       (ExkClient            *self,
                                                               const char           *email,
                                                               const char           *password,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
char            *exk_client_login_finish                      (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_logout_async                      (ExkClient            *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean         exk_client_logout_finish                     (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_get_current_user_async            (ExkClient            *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkUser         *exk_client_get_current_user_finish           (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_list_organizations_async          (ExkClient            *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray       *exk_client_list_organizations_finish         (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_get_organization_async            (ExkClient            *self,
                                                               const char           *id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkOrganization *exk_client_get_organization_finish           (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_list_projects_async               (ExkClient            *self,
                                                               ExkProjectListFlags   flags,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray       *exk_client_list_projects_finish              (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_list_organization_projects_async  (ExkClient            *self,
                                                               const char           *org_id,
                                                               ExkProjectListFlags   flags,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray       *exk_client_list_organization_projects_finish (ExkClient           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_get_project_async                 (ExkClient            *self,
                                                               const char           *id,
                                                               ExkProjectListFlags   flags,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkProject      *exk_client_get_project_finish                (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_create_project_async              (ExkClient            *self,
                                                               const char           *org_id,
                                                               const char           *name,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkProject      *exk_client_create_project_finish             (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_check_project_name_async          (ExkClient            *self,
                                                               const char           *org_id,
                                                               const char           *name,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean         exk_client_check_project_name_finish         (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               gboolean             *available,
                                                               GError              **error);
void             exk_client_rename_project_async              (ExkClient            *self,
                                                               const char           *id,
                                                               const char           *name,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkProject      *exk_client_rename_project_finish             (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_delete_projects_async             (ExkClient            *self,
                                                               const char * const   *ids,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkDeleteResult *exk_client_delete_projects_finish            (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_list_project_tokens_async         (ExkClient            *self,
                                                               const char           *project_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray       *exk_client_list_project_tokens_finish        (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_list_organization_tokens_async    (ExkClient            *self,
                                                               const char           *org_id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray       *exk_client_list_organization_tokens_finish   (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_get_api_token_async               (ExkClient            *self,
                                                               const char           *id,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkToken        *exk_client_get_api_token_finish              (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_create_token_async                (ExkClient            *self,
                                                               const char           *project_id,
                                                               const char * const   *scopes,
                                                               const char           *notes,
                                                               GDateTime            *expires,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkToken        *exk_client_create_token_finish               (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_set_token_notes_async             (ExkClient            *self,
                                                               const char           *id,
                                                               const char           *notes,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkToken        *exk_client_set_token_notes_finish            (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_set_token_disabled_async          (ExkClient            *self,
                                                               const char           *id,
                                                               gboolean              disabled,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkToken        *exk_client_set_token_disabled_finish         (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);
void             exk_client_delete_tokens_async               (ExkClient            *self,
                                                               const char * const   *ids,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
ExkDeleteResult *exk_client_delete_tokens_finish              (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_verify_key_async                  (ExkClient            *self,
                                                               const char           *key,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean         exk_client_verify_key_finish                 (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

void             exk_client_send_test_event_async             (ExkClient            *self,
                                                               const char           *key,
                                                               const char           *project_id,
                                                               const char           *message,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean         exk_client_send_test_event_finish            (ExkClient            *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS

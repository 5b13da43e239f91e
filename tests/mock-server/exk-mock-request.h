// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One request as the fake server sees it, and the answer being built for
 * it. The answer is only written to the SoupServerMessage at the end, so
 * that faults can rewrite it first. */
typedef struct
{
  SoupServerMessage  *msg;
  char               *method;        /* after X-HTTP-Method-Override */
  char               *path;          /* as sent, not decoded */
  char               *query_string;  /* as sent, NULL when absent */
  GHashTable         *query;         /* decoded name -> value, never NULL */
  GBytes             *body;
  SoupMessageHeaders *request_headers;
  SoupMessageHeaders *response_headers;

  guint               status;
  char               *content_type;
  GBytes             *response_body;
} ExkMockRequest;

ExkMockRequest *exk_mock_request_new                       (SoupServerMessage *msg);
void            exk_mock_request_free                      (ExkMockRequest    *request);

const char     *exk_mock_request_get_query                 (ExkMockRequest    *request,
                                                            const char        *name);
const char     *exk_mock_request_get_remote_host           (ExkMockRequest    *request);
char           *exk_mock_request_get_origin                (ExkMockRequest    *request);
char           *exk_mock_request_build_page_url            (ExkMockRequest    *request,
                                                            guint64            page);

void            exk_mock_request_respond                   (ExkMockRequest    *request,
                                                            guint              status,
                                                            const char        *content_type,
                                                            GBytes            *body);
void            exk_mock_request_respond_json              (ExkMockRequest    *request,
                                                            guint              status,
                                                            JsonNode          *node);
void            exk_mock_request_respond_problem           (ExkMockRequest    *request,
                                                            guint              status,
                                                            const char        *title);
void            exk_mock_request_respond_validation        (ExkMockRequest    *request,
                                                            guint              status,
                                                            const char        *field,
                                                            const char        *message);
void            exk_mock_request_respond_validation_errors (ExkMockRequest    *request,
                                                            guint              status,
                                                            JsonObject        *errors);

const char     *exk_mock_status_title                      (guint              status);
JsonNode       *exk_mock_parse_json                        (const char        *data,
                                                            gsize              length,
                                                            GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockRequest, exk_mock_request_free)

G_END_DECLS

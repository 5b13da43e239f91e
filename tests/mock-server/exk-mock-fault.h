// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  EXK_MOCK_FAULT_STATUS,
  EXK_MOCK_FAULT_MALFORMED,
  EXK_MOCK_FAULT_TRUNCATED,
  EXK_MOCK_FAULT_HTML,
  EXK_MOCK_FAULT_DROP,
  EXK_MOCK_FAULT_SLOW,
  EXK_MOCK_FAULT_WRONG_TYPE,
} ExkMockFaultKind;

/* One parsed fault specification:
 *
 *   [METHOD ]PATH_PREFIX=KIND[:ARG][*COUNT]
 *
 * METHOD    optional HTTP method (any case); absent: every method.
 * PATH_PREFIX  matched case-insensitively against the start of the request
 *           path; empty: every path. Paths under /_mock/ are never affected.
 * KIND      status:CODE  answer CODE (ProblemDetails for errors) instead;
 *           malformed    run the request, send a body that is not JSON;
 *           truncated    run the request, send the first half of its body
 *                        (Content-Length matches what is sent);
 *           html         answer 200 text/html (a captive-portal page);
 *           drop         close the connection without any response;
 *           slow:MS      run the request, answer MS milliseconds later;
 *           wrong-type   run the request, send valid JSON of the wrong shape
 *                        (an array becomes {"data": [...]}, every string
 *                        member of an object becomes 42).
 * COUNT     apply to the next COUNT matching requests only; absent: forever.
 *
 * Examples: "GET /api/v2/projects=status:503", "/api/v2/users/me=malformed*1",
 * "=truncated", "POST /api/v2/auth/login=slow:2000*2".
 */
typedef struct
{
  char             *spec;
  char             *method;
  char             *path_prefix;
  ExkMockFaultKind  kind;
  guint             argument;
  int               remaining;  /* -1: unlimited */
} ExkMockFault;

ExkMockFault *exk_mock_fault_parse   (const char         *spec,
                                      GError            **error);
gboolean      exk_mock_fault_matches (const ExkMockFault *fault,
                                      const char         *method,
                                      const char         *path);
JsonNode     *exk_mock_fault_to_json (const ExkMockFault *fault);
void          exk_mock_fault_free    (ExkMockFault       *fault);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockFault, exk_mock_fault_free)

G_END_DECLS

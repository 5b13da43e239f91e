// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest body any fault produces (huge, endless, gzip-bomb once
 * inflated): every stream ends by itself. */
#define EXK_MOCK_FAULT_MAX_BODY (G_GUINT64_CONSTANT (8) << 30)

typedef enum
{
  EXK_MOCK_FAULT_STATUS,
  EXK_MOCK_FAULT_MALFORMED,
  EXK_MOCK_FAULT_TRUNCATED,
  EXK_MOCK_FAULT_HTML,
  EXK_MOCK_FAULT_DROP,
  EXK_MOCK_FAULT_SLOW,
  EXK_MOCK_FAULT_WRONG_TYPE,
  EXK_MOCK_FAULT_REDIRECT,
  EXK_MOCK_FAULT_NEST,
  EXK_MOCK_FAULT_HUGE,
  EXK_MOCK_FAULT_ENDLESS,
  EXK_MOCK_FAULT_GZIP_BOMB,
  EXK_MOCK_FAULT_TRICKLE,
  EXK_MOCK_FAULT_HEADER_FLOOD,
  EXK_MOCK_FAULT_COUNT,
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
 *                        member of an object becomes 42);
 *           redirect:TARGET  answer 302 to TARGET (a URL, or a path on this
 *                        server) without running the request;
 *           nest:DEPTH   answer DEPTH nested arrays, [[[...]]];
 *           huge:BYTES   answer ["xxx..."], BYTES long, with Content-Length;
 *           endless[:BYTES]  answer a chunked [0,0,0,... that stops after
 *                        BYTES (default and at most 8 GiB);
 *           gzip-bomb:BYTES  answer a gzip body inflating to BYTES of JSON;
 *           trickle:MS   run the request, send its body one byte every MS;
 *           header-flood run the request, add a 256 KiB X-Padding header;
 *           count:N      run the request, replace its X-Result-Count with N.
 *           BYTES may end in K, M or G (KiB, MiB, GiB).
 * COUNT     apply to the next COUNT matching requests only; absent: forever.
 *
 * Examples: "GET /api/v2/projects=status:503", "/api/v2/users/me=malformed*1",
 * "=truncated", "POST /api/v2/auth/login=slow:2000*2", "=gzip-bomb:1G*1",
 * "DELETE /api/v2/tokens=redirect:/api/v2/projects".
 */
typedef struct
{
  char             *spec;
  char             *method;
  char             *path_prefix;
  ExkMockFaultKind  kind;
  guint64           argument;  /* the number of KIND:N, or 0 */
  char             *target;    /* the TARGET of redirect:TARGET, or NULL */
  int               remaining; /* -1: unlimited */
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

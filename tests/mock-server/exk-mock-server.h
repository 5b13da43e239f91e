// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  guint       projects;    /* extra generated projects; 0: demo data only */
  guint       tokens;      /* extra generated keys on the first project */
  guint       organization_tokens; /* extra generated keys across Acme's projects */
  guint       latency_ms;  /* delay before every answer */
  const char *seed_file;   /* JSON seed replacing the demo data, or NULL */
  guint       rate_limit;  /* requests per 15 minutes and caller; 0: 100000 */
} ExkMockOptions;

#define EXK_TYPE_MOCK_SERVER (exk_mock_server_get_type ())

G_DECLARE_FINAL_TYPE (ExkMockServer, exk_mock_server, EXK, MOCK_SERVER, GObject)

ExkMockServer *exk_mock_server_new               (const ExkMockOptions  *options,
                                                  GError               **error);
gboolean       exk_mock_server_listen            (ExkMockServer         *self,
                                                  guint                  port,
                                                  GError               **error);
const char    *exk_mock_server_get_url           (ExkMockServer         *self);
const char    *exk_mock_server_get_demo_email    (ExkMockServer         *self);
const char    *exk_mock_server_get_demo_password (ExkMockServer         *self);
const char    *exk_mock_server_get_demo_token    (ExkMockServer         *self);
gboolean       exk_mock_server_add_fault         (ExkMockServer         *self,
                                                  const char            *spec,
                                                  GError               **error);
void           exk_mock_server_clear_faults      (ExkMockServer         *self);
gboolean       exk_mock_server_reset             (ExkMockServer         *self,
                                                  GError               **error);
char          *exk_mock_server_dump_seed         (ExkMockServer         *self);

ExkMockServer *exk_mock_server_start_in_thread   (const ExkMockOptions  *options,
                                                  GError               **error);
void           exk_mock_server_stop              (ExkMockServer         *self);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A response body made of runs of a repeated unit ("x" 50 million times,
 * "0," until 8 GiB), read piece by piece. The pieces share one block per
 * run, so a body of any size costs a few kilobytes of memory however it is
 * sent or compressed. */
typedef struct _ExkMockBody ExkMockBody;

ExkMockBody *exk_mock_body_new         (void);
ExkMockBody *exk_mock_body_new_bytes   (GBytes      *bytes);
ExkMockBody *exk_mock_body_new_padded  (guint64      size);
ExkMockBody *exk_mock_body_new_nested  (guint64      depth);
ExkMockBody *exk_mock_body_new_zeros   (guint64      size);
ExkMockBody *exk_mock_body_new_endless (guint64      size);
void         exk_mock_body_append_run  (ExkMockBody *body,
                                        const char  *unit,
                                        gsize        unit_len,
                                        guint64      length);
guint64      exk_mock_body_get_size    (ExkMockBody *body);
GBytes      *exk_mock_body_read        (ExkMockBody *body,
                                        gsize        max);
void         exk_mock_body_free        (ExkMockBody *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExkMockBody, exk_mock_body_free)

G_END_DECLS

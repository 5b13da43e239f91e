// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <libsoup/soup.h>

#include "exk-mock-body.h"

G_BEGIN_DECLS

/* Sends an ExkMockBody as the answer of a SoupServerMessage, one piece per
 * main-loop iteration (or per interval), and only once the previous piece
 * has been written: the server's memory stays flat whatever the size, and
 * other requests keep being served in between. */
typedef struct _ExkMockStream ExkMockStream;

typedef struct
{
  gboolean chunked;         /* Transfer-Encoding: chunked instead of Content-Length */
  guint    delay_ms;        /* before the headers and the first piece */
  guint    interval_ms;     /* between pieces; 0: as fast as the client reads */
  gsize    piece_size;      /* 0: the body's own block size */
  guint    max_duration_ms; /* then the rest goes at full speed; 0: no limit */
} ExkMockStreamOptions;

/* Called once the message is finished or its client has gone; free the
 * stream then. */
typedef void (*ExkMockStreamDoneFunc) (ExkMockStream *stream,
                                       gpointer       user_data);

ExkMockStream *exk_mock_stream_start (SoupServerMessage          *msg,
                                      ExkMockBody                *body,
                                      const ExkMockStreamOptions *options,
                                      ExkMockStreamDoneFunc       done,
                                      gpointer                    user_data);
void           exk_mock_stream_free  (ExkMockStream              *stream);

G_END_DECLS

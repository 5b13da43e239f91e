// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-mock-stream.h"

#define FULL_SPEED_PIECE (64 * 1024)

struct _ExkMockStream
{
  SoupServerMessage     *msg;
  ExkMockBody           *body;
  ExkMockStreamOptions   options;
  gint64                 deadline; /* monotonic µs; 0: none */
  gboolean               complete;
  GSource               *source;
  GMainContext          *context;
  gulong                 wrote_chunk_id;
  gulong                 finished_id;
  gulong                 disconnected_id;
  ExkMockStreamDoneFunc  done;
  gpointer               user_data;
};

static gboolean
is_past_deadline (ExkMockStream *stream)
{
  return stream->deadline != 0 && g_get_monotonic_time () >= stream->deadline;
}

/* Appends the next piece, or ends the body, and lets libsoup write it. */
static gboolean
on_feed (gpointer user_data)
{
  ExkMockStream *stream = user_data;
  SoupMessageBody *response_body = soup_server_message_get_response_body (stream->msg);
  g_autoptr(GBytes) piece = NULL;
  gsize piece_size = stream->options.piece_size;

  g_clear_pointer (&stream->source, g_source_unref);

  if (is_past_deadline (stream))
    piece_size = FULL_SPEED_PIECE;

  if (!stream->complete)
    piece = exk_mock_body_read (stream->body, piece_size);

  if (piece != NULL)
    soup_message_body_append_bytes (response_body, piece);
  else if (!stream->complete)
    {
      stream->complete = TRUE;
      soup_message_body_complete (response_body);
    }

  /* Paused by exk_mock_stream_start() before the first piece, by libsoup
   * itself whenever it ran out of pieces. */
  soup_server_message_unpause (stream->msg);

  return G_SOURCE_REMOVE;
}

static void
clear_source (ExkMockStream *stream)
{
  if (stream->source != NULL)
    {
      g_source_destroy (stream->source);
      g_clear_pointer (&stream->source, g_source_unref);
    }
}

static void
stop (ExkMockStream *stream)
{
  g_clear_signal_handler (&stream->wrote_chunk_id, stream->msg);
  g_clear_signal_handler (&stream->finished_id, stream->msg);
  g_clear_signal_handler (&stream->disconnected_id, stream->msg);
  clear_source (stream);
}

static void
schedule_feed (ExkMockStream *stream,
               guint          delay_ms)
{
  clear_source (stream);

  /* An idle source, not a 0 ms timeout: a fast client never starves the
   * other connections of the loop. */
  stream->source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_callback (stream->source, on_feed, stream, NULL);
  g_source_attach (stream->source, stream->context);
}

/* Signal callbacks */

static void
on_wrote_chunk (SoupServerMessage *msg,
                gpointer           user_data)
{
  ExkMockStream *stream = user_data;

  schedule_feed (stream, is_past_deadline (stream) ? 0 : stream->options.interval_ms);
}

static void
on_message_done (SoupServerMessage *msg,
                 gpointer           user_data)
{
  ExkMockStream *stream = user_data;

  /* No more pieces: the message may not be unpaused any more. */
  stop (stream);
  stream->done (stream, stream->user_data);
}

/* Public API */

/* Takes @body. The headers leave with the first piece, @options->delay_ms
 * from now. */
ExkMockStream *
exk_mock_stream_start (SoupServerMessage          *msg,
                       ExkMockBody                *body,
                       const ExkMockStreamOptions *options,
                       ExkMockStreamDoneFunc       done,
                       gpointer                    user_data)
{
  ExkMockStream *stream;
  SoupMessageHeaders *headers;

  g_return_val_if_fail (SOUP_IS_SERVER_MESSAGE (msg), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (done != NULL, NULL);

  stream = g_new0 (ExkMockStream, 1);
  stream->msg = g_object_ref (msg);
  stream->body = body;
  stream->options = *options;
  if (stream->options.piece_size == 0)
    stream->options.piece_size = FULL_SPEED_PIECE;
  if (options->max_duration_ms > 0)
    stream->deadline = g_get_monotonic_time () + (gint64) options->max_duration_ms * 1000;
  stream->context = g_main_context_ref_thread_default ();
  stream->done = done;
  stream->user_data = user_data;

  /* Written pieces are dropped instead of kept for the whole answer. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  headers = soup_server_message_get_response_headers (msg);
  if (options->chunked)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  else
    soup_message_headers_set_content_length (headers, exk_mock_body_get_size (body));

  stream->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (on_wrote_chunk),
                                             stream);
  stream->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_message_done), stream);
  stream->disconnected_id = g_signal_connect (msg, "disconnected", G_CALLBACK (on_message_done),
                                              stream);

  soup_server_message_pause (msg);
  schedule_feed (stream, options->delay_ms);

  return stream;
}

void
exk_mock_stream_free (ExkMockStream *stream)
{
  if (stream == NULL)
    return;

  stop (stream);
  g_clear_pointer (&stream->context, g_main_context_unref);
  g_clear_pointer (&stream->body, exk_mock_body_free);
  g_clear_object (&stream->msg);
  g_free (stream);
}

// SPDX-License-Identifier: GPL-3.0-or-later

/* Sends one request and reads its answer within bounds that the server cannot
 * move: no redirects (the API never redirects; following one turned a DELETE
 * into a GET that "succeeded"), a largest body counted after decompression (a
 * gzip bomb or an endless chunked body), and a total deadline (a body trickled
 * a byte at a time never trips libsoup's inactivity timeout). */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-http.h"

#define READ_CHUNK_SIZE (64 * 1024)
#define KEY_LENGTH 40          /* an API key or login token: 40 letters and digits */
#define SHOWN_KEY_PREFIX 6
#define MAX_SHOWN_LOCATION 200

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_size;
  GCancellable *io_cancellable;    /* cancelled by the caller's, or by the deadline */
  GCancellable *outer_cancellable;
  gulong        outer_handler;
  GSource      *deadline;
  guint         deadline_seconds;
  gboolean      timed_out;
} Exchange;

static void
exchange_free (Exchange *exchange)
{
  if (exchange->deadline != NULL)
    {
      g_source_destroy (exchange->deadline);
      g_source_unref (exchange->deadline);
    }
  if (exchange->outer_cancellable != NULL)
    g_cancellable_disconnect (exchange->outer_cancellable, exchange->outer_handler);
  g_clear_object (&exchange->outer_cancellable);
  g_clear_object (&exchange->io_cancellable);
  g_clear_object (&exchange->stream);
  g_clear_object (&exchange->message);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_free (exchange);
}

static void
on_outer_cancelled (GCancellable *cancellable,
                    GCancellable *io_cancellable)
{
  g_cancellable_cancel (io_cancellable);
}

static gboolean
on_deadline (gpointer user_data)
{
  Exchange *exchange = user_data;

  exchange->timed_out = TRUE;
  g_cancellable_cancel (exchange->io_cancellable);
  return G_SOURCE_REMOVE;
}

/* Ends the exchange with @error (taken), said in the API's words. */
static void
exchange_fail (GTask  *task,
               GError *error)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;

  if (exchange->timed_out)
    {
      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_TIMEOUT,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The server did not finish its answer within %u "
                                            "second. Try again later.",
                                            "The server did not finish its answer within %u "
                                            "seconds. Try again later.",
                                            exchange->deadline_seconds),
                               exchange->deadline_seconds);
      return;
    }

  /* libsoup has no error code for it: its own (translated) words say it. */
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
      && g_strcmp0 (owned->message, g_dgettext ("libsoup-3.0", "Header too big")) == 0)
    {
      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                               _("The server’s answer has headers larger than libsoup "
                                 "accepts, far more than Exceptionless sends. Check the server "
                                 "address."));
      return;
    }

  /* Cut off in the body; before any answer, the connection was lost. */
  if (g_error_matches (owned, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) && exchange->body != NULL)
    {
      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                               _("The server’s answer was cut off before its end. Try again."));
      return;
    }

  g_task_return_error (task, exk_api_error_new_from_transport (owned,
                                                               soup_message_get_status (
                                                                 exchange->message)
                                                               != SOUP_STATUS_NONE));
}

static void
exchange_fail_too_large (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);
  g_autofree char *limit = g_format_size (exchange->max_size);

  g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                           _("The server’s answer is larger than %s, far more than "
                             "Exceptionless sends. Check the server address."),
                           limit);
}

/* A printable, bounded copy of where a redirect pointed. */
static char *
dup_shown_location (const char *location)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = location; p != NULL && *p != '\0'; p++)
    {
      if (shown->len >= MAX_SHOWN_LOCATION)
        {
          g_string_append (shown, "…");
          break;
        }
      g_string_append_c (shown, (*p > 0x20 && *p < 0x7f) ? *p : '?');
    }

  return g_string_free (shown, FALSE);
}

static void read_next (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize size;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      exchange_fail (task, error);
      return;
    }

  size = g_bytes_get_size (chunk);
  if (size == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&exchange->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (size > exchange->max_size - exchange->body->len)
    {
      exchange_fail_too_large (task);
      return;
    }

  g_byte_array_append (exchange->body, g_bytes_get_data (chunk, NULL), size);
  read_next (g_steal_pointer (&task));
}

static void
read_next (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (exchange->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   exchange->io_cancellable, on_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (exchange->message);
  guint status = soup_message_get_status (exchange->message);
  GError *error = NULL;

  exchange->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (exchange->stream == NULL)
    {
      exchange_fail (task, error);
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      const char *target = soup_message_headers_get_one (headers, "Location");
      g_autofree char *location = dup_shown_location (target);

      if (target == NULL || *target == '\0')
        g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_REDIRECTED,
                                 _("The server answered with a redirect instead of doing what "
                                   "was asked. Exceptionless never redirects: check the server "
                                   "address (https:// or http://, and the path)."));
      else
        g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_REDIRECTED,
                                 _("The server answered with a redirect to “%s” instead of "
                                   "doing what was asked. Exceptionless never redirects: check "
                                   "the server address (https:// or http://, and the path)."),
                                 location);
      return;
    }

  /* Announced too large: not even read. (A compressed body is counted as it inflates.) */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_one (headers, "Content-Encoding") == NULL
      && (guint64) soup_message_headers_get_content_length (headers) > exchange->max_size)
    {
      exchange_fail_too_large (task);
      return;
    }

  exchange->body = g_byte_array_new ();
  read_next (g_steal_pointer (&task));
}

/**
 * exk_http_send_async:
 * @session: the session to send with
 * @message: the request; it will not follow redirects
 * @max_size: the largest body to accept, once decompressed
 * @deadline_seconds: how long the whole exchange may take, 0 for no limit
 * @cancellable: (nullable): a #GCancellable
 *
 * Sends @message and reads its whole body, whatever the status. A redirect, a
 * body larger than @max_size, a body cut short and a deadline passed are
 * errors in %EXK_API_ERROR; so are transport failures.
 */
void
exk_http_send_async (SoupSession         *session,
                     SoupMessage         *message,
                     gsize                max_size,
                     guint                deadline_seconds,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *exchange;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (message));
  g_return_if_fail (max_size > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_http_send_async);

  exchange = g_new0 (Exchange, 1);
  exchange->message = g_object_ref (message);
  exchange->max_size = max_size;
  exchange->deadline_seconds = deadline_seconds;
  exchange->io_cancellable = g_cancellable_new ();
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);

  if (cancellable != NULL)
    {
      exchange->outer_cancellable = g_object_ref (cancellable);
      exchange->outer_handler = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (on_outer_cancelled),
                                                       g_object_ref (exchange->io_cancellable),
                                                       g_object_unref);
    }

  if (deadline_seconds > 0)
    {
      exchange->deadline = g_timeout_source_new_seconds (deadline_seconds);
      g_source_set_callback (exchange->deadline, on_deadline, exchange, NULL);
      g_source_attach (exchange->deadline, g_task_get_context (task));
    }

  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, exchange->io_cancellable,
                           on_sent, g_steal_pointer (&task));
}

/**
 * exk_http_send_finish:
 *
 * Returns: (transfer full) (nullable): the answer's body
 */
GBytes *
exk_http_send_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * exk_http_redact_keys:
 * @text: a line of a request or an answer, as a log would show it
 *
 * Every run of 40 letters and digits, the shape of Exceptionless keys and
 * tokens, is cut to its first 6 characters, as the window shows keys.
 *
 * Returns: (transfer full): @text without keys
 */
char *
exk_http_redact_keys (const char *text)
{
  GString *redacted;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  redacted = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      gsize run = 0;

      while (g_ascii_isalnum (p[run]))
        run++;

      if (run == KEY_LENGTH)
        {
          g_string_append_len (redacted, p, SHOWN_KEY_PREFIX);
          g_string_append (redacted, "…");
        }
      else
        {
          g_string_append_len (redacted, p, run);
        }

      p += run;
      if (*p != '\0')
        g_string_append_c (redacted, *p++);
    }

  return g_string_free (redacted, FALSE);
}

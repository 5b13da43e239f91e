// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-mock-body.h"
#include "exk-mock-gzip.h"

#define OUTPUT_BLOCK (64 * 1024)

/* Feeds @input to @compressor until it is consumed (or, at the end, until
 * the gzip trailer is out), appending what comes out to @output. */
static gboolean
compress_piece (GConverter  *compressor,
                GBytes      *input,
                GByteArray  *output,
                GError     **error)
{
  gsize in_len = 0;
  const guint8 *in = input != NULL ? g_bytes_get_data (input, &in_len) : NULL;
  GConverterFlags flags = input != NULL ? G_CONVERTER_NO_FLAGS : G_CONVERTER_INPUT_AT_END;

  for (;;)
    {
      guint8 out[OUTPUT_BLOCK];
      gsize read = 0;
      gsize written = 0;
      GConverterResult result;

      result = g_converter_convert (compressor, in, in_len, out, sizeof out, flags,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return FALSE;

      g_byte_array_append (output, out, (guint) written);
      in += read;
      in_len -= read;

      if (result == G_CONVERTER_FINISHED || (input != NULL && in_len == 0))
        return TRUE;
    }
}

static void
build_bomb (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  guint64 size = *(guint64 *) task_data;
  g_autoptr(ExkMockBody) body = exk_mock_body_new_zeros (size);
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GByteArray) output = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  GBytes *piece;

  /* Level 9: about 1030:1 on this input, the most deflate gives. */
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);

  while ((piece = exk_mock_body_read (body, 1024 * 1024)) != NULL)
    {
      gboolean ok = compress_piece (G_CONVERTER (compressor), piece, output, &error);

      g_bytes_unref (piece);
      if (!ok || g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!compress_piece (G_CONVERTER (compressor), NULL, output, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&output)),
                         (GDestroyNotify) g_bytes_unref);
}

void
exk_mock_gzip_bomb_async (guint64              size,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (size >= 2);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_mock_gzip_bomb_async);
  g_task_set_task_data (task, g_memdup2 (&size, sizeof size), g_free);
  g_task_run_in_thread (task, build_bomb);
}

GBytes *
exk_mock_gzip_bomb_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

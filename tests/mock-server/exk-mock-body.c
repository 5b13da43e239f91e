// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "exk-mock-body.h"

/* Big enough that a piece costs one write, small enough to stay cheap. */
#define BLOCK_SIZE (64 * 1024)

typedef struct
{
  GBytes  *block;  /* the unit repeated a whole number of times */
  guint64  length; /* bytes in this run, cut anywhere in a unit */
} Run;

struct _ExkMockBody
{
  GArray  *runs;
  guint64  size;
  guint    run_index; /* where the next read starts */
  guint64  run_offset;
};

static void
clear_run (Run *run)
{
  g_clear_pointer (&run->block, g_bytes_unref);
}

static void
append_block (ExkMockBody *body,
              GBytes      *block,
              guint64      length)
{
  Run run = { g_bytes_ref (block), length };

  g_array_append_val (body->runs, run);
  body->size += length;
}

ExkMockBody *
exk_mock_body_new (void)
{
  ExkMockBody *body = g_new0 (ExkMockBody, 1);

  body->runs = g_array_new (FALSE, FALSE, sizeof (Run));
  g_array_set_clear_func (body->runs, (GDestroyNotify) clear_run);

  return body;
}

/* Sends @bytes once, as they are (the answer of a real request). */
ExkMockBody *
exk_mock_body_new_bytes (GBytes *bytes)
{
  ExkMockBody *body = exk_mock_body_new ();

  if (g_bytes_get_size (bytes) > 0)
    append_block (body, bytes, g_bytes_get_size (bytes));

  return body;
}

/* ["xxx…"]: one long string keeps a parser's memory close to @size. */
ExkMockBody *
exk_mock_body_new_padded (guint64 size)
{
  ExkMockBody *body = exk_mock_body_new ();

  g_return_val_if_fail (size >= 4, body);

  exk_mock_body_append_run (body, "[\"", 2, 2);
  exk_mock_body_append_run (body, "x", 1, size - 4);
  exk_mock_body_append_run (body, "\"]", 2, 2);

  return body;
}

/* [[[…]]]: @depth arrays, each inside the previous one. */
ExkMockBody *
exk_mock_body_new_nested (guint64 depth)
{
  ExkMockBody *body = exk_mock_body_new ();

  exk_mock_body_append_run (body, "[", 1, depth);
  exk_mock_body_append_run (body, "]", 1, depth);

  return body;
}

/* [0,0,…,0] of exactly @size bytes (a space pads an even length): valid
 * JSON, and what a decompression bomb inflates to. */
ExkMockBody *
exk_mock_body_new_zeros (guint64 size)
{
  ExkMockBody *body = exk_mock_body_new ();
  guint64 inner;

  g_return_val_if_fail (size >= 2, body);

  inner = size - 2;
  exk_mock_body_append_run (body, "[", 1, 1);
  if (inner > 0)
    {
      exk_mock_body_append_run (body, "0,", 2, (inner - 1) / 2 * 2);
      exk_mock_body_append_run (body, "0", 1, 1);
      exk_mock_body_append_run (body, " ", 1, inner % 2 == 0 ? 1 : 0);
    }
  exk_mock_body_append_run (body, "]", 1, 1);

  return body;
}

/* [0,0,0,… that never closes, cut after @size bytes. */
ExkMockBody *
exk_mock_body_new_endless (guint64 size)
{
  ExkMockBody *body = exk_mock_body_new ();

  g_return_val_if_fail (size >= 1, body);

  exk_mock_body_append_run (body, "[", 1, 1);
  exk_mock_body_append_run (body, "0,", 2, size - 1);

  return body;
}

/* Appends @length bytes of @unit repeated; the last copy may be cut. */
void
exk_mock_body_append_run (ExkMockBody *body,
                          const char  *unit,
                          gsize        unit_len,
                          guint64      length)
{
  g_autoptr(GBytes) block = NULL;
  gsize copies;
  char *data;

  g_return_if_fail (body != NULL);
  g_return_if_fail (unit_len > 0 && unit_len <= BLOCK_SIZE);

  if (length == 0)
    return;

  /* No bigger than the run needs: short runs stay short. */
  copies = MAX (1, BLOCK_SIZE / unit_len);
  copies = (gsize) MIN ((guint64) copies, (length + unit_len - 1) / unit_len);

  data = g_malloc (copies * unit_len);
  for (gsize i = 0; i < copies; i++)
    memcpy (data + i * unit_len, unit, unit_len);
  block = g_bytes_new_take (data, copies * unit_len);

  append_block (body, block, length);
}

guint64
exk_mock_body_get_size (ExkMockBody *body)
{
  g_return_val_if_fail (body != NULL, 0);

  return body->size;
}

/* Returns the next piece, at most @max bytes, or NULL at the end. A piece
 * never spans two runs and shares its run's block. */
GBytes *
exk_mock_body_read (ExkMockBody *body,
                    gsize        max)
{
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (max > 0, NULL);

  while (body->run_index < body->runs->len)
    {
      Run *run = &g_array_index (body->runs, Run, body->run_index);
      gsize block_len = g_bytes_get_size (run->block);
      gsize start;
      gsize len;

      if (body->run_offset == run->length)
        {
          body->run_index++;
          body->run_offset = 0;
          continue;
        }

      /* The block holds whole units, so the run repeats it too. */
      start = (gsize) (body->run_offset % block_len);
      len = MIN (block_len - start, max);
      len = (gsize) MIN ((guint64) len, run->length - body->run_offset);
      body->run_offset += len;

      return g_bytes_new_from_bytes (run->block, start, len);
    }

  return NULL;
}

void
exk_mock_body_free (ExkMockBody *body)
{
  if (body == NULL)
    return;

  g_array_unref (body->runs);
  g_free (body);
}

// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "exk-api-error.h"
#include "exk-delete-result.h"
#include "exk-json.h"

/* An error answer: the ProblemDetails mapping, and the plain partial-delete body
 * `{success, failure, workers}` that a 400 on a bulk delete carries instead.
 *
 * The input is one header line and a body:
 *
 *   STATUS CONTENT-TYPE [ID,ID,…]\n
 *   BODY
 *
 * CONTENT-TYPE “-” stands for a response without one; the ids are those the delete asked
 * for. Without a newline the whole input is the body of a 400 without a content type. */

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  guint   status;
  char   *content_type;
  GStrv   requested_ids;
  GBytes *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->content_type, g_free);
  g_clear_pointer (&answer->requested_ids, g_strfreev);
  g_clear_pointer (&answer->body, g_bytes_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
read_answer (const uint8_t *data,
             size_t         size,
             Answer        *answer)
{
  const uint8_t *newline = memchr (data, '\n', size);
  g_autofree char *line = NULL;
  g_auto(GStrv) fields = NULL;
  g_autoptr(GStrvBuilder) ids = NULL;
  guint64 status;

  answer->status = 400;
  if (newline == NULL)
    {
      answer->body = g_bytes_new (data, size);
      answer->requested_ids = g_new0 (char *, 1);
      return;
    }

  line = g_strndup ((const char *) data, newline - data);
  answer->body = g_bytes_new (newline + 1, size - (newline + 1 - data));
  fields = g_strsplit (line, " ", 3);

  if (fields[0] != NULL && g_ascii_string_to_unsigned (fields[0], 10, 0, G_MAXUINT, &status, NULL))
    answer->status = status;

  if (fields[0] != NULL && fields[1] != NULL && !g_str_equal (fields[1], "-"))
    answer->content_type = g_strdup (fields[1]);

  /* The client asks only for ids it has, and those are never empty. */
  ids = g_strv_builder_new ();
  if (fields[0] != NULL && fields[1] != NULL && fields[2] != NULL)
    {
      g_auto(GStrv) split = g_strsplit (fields[2], ",", -1);

      for (guint i = 0; split[i] != NULL; i++)
        {
          if (split[i][0] != '\0')
            g_strv_builder_add (ids, split[i]);
        }
    }
  answer->requested_ids = g_strv_builder_end (ids);
}

static void
check_api_error (const Answer *answer,
                 GBytes       *body)
{
  g_autoptr(GError) error = NULL;

  error = exk_api_error_new_from_response (answer->status, body, answer->content_type);

  if (answer->status >= 200 && answer->status < 300)
    {
      g_assert_null (error);
      return;
    }

  g_assert_nonnull (error);
  g_assert_true (error->domain == EXK_API_ERROR);
  g_assert_cmpint (error->code, >=, EXK_API_ERROR_NETWORK);
  g_assert_cmpint (error->code, <=, EXK_API_ERROR_INSECURE_URL);
  /* Shown as it is in a toast or a dialog. */
  g_assert_cmpstr (error->message, !=, "");
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static gboolean
has_failure (ExkDeleteResult *result,
             const char      *id)
{
  for (guint i = 0; i < exk_delete_result_get_n_failures (result); i++)
    {
      if (g_str_equal (exk_delete_result_get_failure_id (result, i), id))
        return TRUE;
    }

  return FALSE;
}

static void
check_delete_result (const Answer *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(ExkDeleteResult) result = NULL;
  const char * const *requested = (const char * const *) answer->requested_ids;
  const char * const *deleted;
  JsonObject *object;

  root = exk_json_parse_bytes (answer->body, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  result = exk_delete_result_new_from_json (object, requested, &error);

  if (result == NULL)
    {
      g_assert_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert_no_error (error);

  deleted = exk_delete_result_get_deleted (result);
  g_assert_nonnull (deleted);
  for (guint i = 0; deleted[i] != NULL; i++)
    g_assert_cmpstr (deleted[i], !=, "");

  for (guint i = 0; i < exk_delete_result_get_n_failures (result); i++)
    {
      const char *message = exk_delete_result_get_failure_message (result, i);

      g_assert_cmpstr (exk_delete_result_get_failure_id (result, i), !=, "");
      g_assert_cmpuint (exk_delete_result_get_failure_status (result, i), <, 1000);
      g_assert_nonnull (message);
      g_assert_true (g_utf8_validate (message, -1, NULL));
    }

  /* Never assume a key is gone when the server did not say so. */
  for (guint i = 0; requested[i] != NULL; i++)
    g_assert_true (g_strv_contains (deleted, requested[i]) || has_failure (result, requested[i]));

  g_assert_cmpint (exk_delete_result_is_complete (result), ==,
                   exk_delete_result_get_n_failures (result) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto(Answer) answer = { 0, };

  read_answer (data, size, &answer);

  check_api_error (&answer, answer.body);
  check_api_error (&answer, NULL);
  check_delete_result (&answer);

  return 0;
}

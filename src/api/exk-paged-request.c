// SPDX-License-Identifier: GPL-3.0-or-later
#include "config.h"

#include <glib/gi18n-lib.h>

#include "exk-api-error.h"
#include "exk-client-private.h"
#include "exk-http.h"
#include "exk-json.h"
#include "exk-paged-request.h"

/* Every page of a list, really: the server stops sending `Link: rel="next"` near 1,000
 * items, so the page count comes from X-Result-Count and pages 2…N are requested
 * directly, a few at a time, and kept in page order. Without X-Result-Count the pages
 * are walked one by one until a short page without a next link. */

#define MAX_IN_FLIGHT 3

typedef struct
{
  ExkClient        *client;
  char             *path;
  char             *query;
  char             *token;
  guint             token_serial;
  const char       *what;
  ExkPagedItemFunc  item_new;
  guint             limit;

  /* Ours, so that a failed page can stop the others; follows the caller's. */
  GCancellable     *cancellable;
  GCancellable     *outer_cancellable;
  gulong            cancelled_id;

  /* Page n at index n - 1: a GPtrArray of items, NULL while still pending. */
  GPtrArray        *pages;
  guint             n_pages;
  guint             next_page;
  guint             in_flight;
  GError           *error;
  guint             following : 1;
  guint             done : 1;
  guint             last_page_goes_on : 1;   /* the last counted page: full, with a next link */
} Pager;

typedef struct
{
  GTask       *task;
  SoupMessage *message;
  GBytes      *body;
  guint        page;
  gint64       result_count;
  gboolean     has_next_link;
} Page;

static void start_page (GTask *task,
                        guint  page);

static void
free_items (gpointer data)
{
  if (data != NULL)
    g_ptr_array_unref (data);
}

static void
pager_free (gpointer data)
{
  Pager *pager = data;

  if (pager->outer_cancellable != NULL)
    g_cancellable_disconnect (pager->outer_cancellable, pager->cancelled_id);
  g_clear_object (&pager->outer_cancellable);
  g_clear_object (&pager->cancellable);
  g_clear_object (&pager->client);
  g_clear_pointer (&pager->path, g_free);
  g_clear_pointer (&pager->query, g_free);
  g_clear_pointer (&pager->token, g_free);
  g_clear_pointer (&pager->pages, g_ptr_array_unref);
  g_clear_error (&pager->error);
  g_free (pager);
}

static void
page_free (Page *page)
{
  g_clear_object (&page->task);
  g_clear_object (&page->message);
  g_clear_pointer (&page->body, g_bytes_unref);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

/* The error is returned only once no page is in flight any more, so that nothing of
 * this request still runs (or holds the client) when the callback does. */
static void
return_error_when_idle (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);

  if (pager->done || pager->error == NULL || pager->in_flight > 0)
    return;

  pager->done = TRUE;
  g_task_return_error (task, g_steal_pointer (&pager->error));
}

static void
fail (GTask  *task,
      GError *error)
{
  Pager *pager = g_task_get_task_data (task);

  if (pager->done || pager->error != NULL)
    g_error_free (error);
  else
    pager->error = error;

  g_cancellable_cancel (pager->cancellable);
  return_error_when_idle (task);
}

static void
complete (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < pager->pages->len; i++)
    {
      GPtrArray *page = g_ptr_array_index (pager->pages, i);

      for (guint j = 0; page != NULL && j < page->len; j++)
        {
          GObject *item = g_ptr_array_index (page, j);
          char *id = NULL;

          /* An item created or deleted between two requests shifts the pages by one,
           * which can show the same item twice. */
          g_object_get (item, "id", &id, NULL);
          if (!g_hash_table_add (seen, id))
            continue;

          g_ptr_array_add (items, g_object_ref (item));
        }
    }

  pager->done = TRUE;
  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
parse_page_thread (GTask        *subtask,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Page *page = task_data;
  Pager *pager = g_task_get_task_data (page->task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) root = NULL;
  GError *error = NULL;
  JsonArray *array;
  guint n;

  root = exk_json_parse_bytes (page->body, &error);
  if (root == NULL)
    {
      g_task_return_error (subtask, error);
      return;
    }

  array = exk_json_node_get_array (root, pager->what, &error);
  if (array == NULL)
    {
      g_task_return_error (subtask, error);
      return;
    }

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *object;
      gpointer item;

      object = exk_json_node_get_object (json_array_get_element (array, i), pager->what, &error);
      if (object == NULL || (item = pager->item_new (object, &error)) == NULL)
        {
          g_task_return_error (subtask, error);
          return;
        }

      g_ptr_array_add (items, item);
    }

  g_task_return_pointer (subtask, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
plan_pages (Pager      *pager,
            Page       *page,
            GPtrArray  *items,
            GError    **error)
{
  guint64 per_page = pager->limit;
  guint64 n_pages;

  /* No count, or one that the first page already contradicts: walk the links. */
  if (page->result_count < 0 || (guint64) page->result_count < items->len)
    {
      pager->following = TRUE;
      return TRUE;
    }

  /* A server with a lower maximum clamps the limit instead of refusing it. */
  if (items->len > 0 && items->len < pager->limit && (guint64) page->result_count > items->len)
    per_page = items->len;

  if (items->len == 0)
    n_pages = 1;
  else
    n_pages = MAX (1, ((guint64) page->result_count + per_page - 1) / per_page);

  if (n_pages > EXK_PAGED_REQUEST_MAX_PAGES)
    {
      /* The count is formatted apart: xgettext cannot see through G_GINT64_FORMAT. */
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, page->result_count);

      g_set_error (error, EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                   /* Translators: %s is a number of items, e.g. “1234567”. */
                   g_dngettext (GETTEXT_PACKAGE,
                                "The server reports %s item, more than Exkeys can show.",
                                "The server reports %s items, more than Exkeys can show.",
                                (gulong) MIN (page->result_count, G_MAXLONG)),
                   count);
      return FALSE;
    }

  pager->n_pages = (guint) n_pages;
  pager->next_page = 2;
  return TRUE;
}

static void
on_page_parsed (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Page) page = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&page->task);
  Pager *pager = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;
  gboolean full;
  guint n_items;

  pager->in_flight--;

  items = g_task_propagate_pointer (G_TASK (result), &error);
  if (pager->done || pager->error != NULL)
    {
      g_clear_error (&error);
      return_error_when_idle (task);
      return;
    }

  if (items == NULL)
    {
      fail (task, error);
      return;
    }

  if (page->page == 1 && !plan_pages (pager, page, items, &error))
    {
      fail (task, error);
      return;
    }

  n_items = items->len;
  full = n_items > 0 && n_items >= pager->limit;
  if (!pager->following && page->page == pager->n_pages)
    pager->last_page_goes_on = full && page->has_next_link;

  if (pager->pages->len < page->page)
    g_ptr_array_set_size (pager->pages, page->page);
  g_ptr_array_index (pager->pages, page->page - 1) = g_steal_pointer (&items);

  if (pager->following)
    {
      /* A short page ends the list, unless a server with a smaller maximum page size
       * says that there is more. */
      if (!full && !(page->has_next_link && n_items > 0))
        {
          complete (task);
          return;
        }

      if (page->page >= EXK_PAGED_REQUEST_MAX_PAGES)
        {
          fail (task, g_error_new (EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                                   /* Translators: %u is a number of pages of a list. */
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "The server kept sending more pages after %u "
                                                "page. Try again later.",
                                                "The server kept sending more pages after %u "
                                                "pages. Try again later.",
                                                page->page),
                                   page->page));
          return;
        }

      start_page (task, page->page + 1);
      return;
    }

  while (pager->error == NULL && pager->in_flight < MAX_IN_FLIGHT &&
         pager->next_page <= pager->n_pages)
    start_page (task, pager->next_page++);

  if (pager->error != NULL || pager->in_flight > 0 || pager->next_page <= pager->n_pages)
    return;

  /* The count said this was all, but the last page is full and links to more:
   * the count was low (a server that undercounts). Walk on from there. */
  if (pager->last_page_goes_on && pager->n_pages < EXK_PAGED_REQUEST_MAX_PAGES)
    {
      pager->following = TRUE;
      start_page (task, pager->n_pages + 1);
      return;
    }

  complete (task);
}

/**
 * exk_paged_request_parse_result_count:
 * @value: (nullable): an `X-Result-Count` header value
 *
 * Returns: the count, or -1 when @value is missing or not a count
 */
gint64
exk_paged_request_parse_result_count (const char *value)
{
  g_autofree char *trimmed = NULL;
  guint64 count;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT64, &count, NULL))
    return -1;

  return (gint64) count;
}

static void
on_page_sent (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Page *page = user_data;
  Pager *pager = g_task_get_task_data (page->task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GTask) subtask = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  GError *api_error;

  body = exk_http_send_finish (result, &error);

  if (pager->done || pager->error != NULL)
    {
      pager->in_flight--;
      return_error_when_idle (page->task);
      page_free (page);
      return;
    }

  if (body == NULL)
    {
      pager->in_flight--;
      fail (page->task, g_steal_pointer (&error));
      page_free (page);
      return;
    }

  headers = soup_message_get_response_headers (page->message);
  api_error = exk_api_error_new_from_response (soup_message_get_status (page->message), body,
                                               soup_message_headers_get_content_type (headers,
                                                                                      NULL));
  if (api_error != NULL)
    {
      pager->in_flight--;
      exk_client_check_session (pager->client, pager->token_serial,
                                soup_message_get_status (page->message));
      fail (page->task, api_error);
      page_free (page);
      return;
    }

  page->body = g_steal_pointer (&body);
  page->result_count =
    exk_paged_request_parse_result_count (soup_message_headers_get_one (headers,
                                                                       "X-Result-Count"));
  page->has_next_link = exk_paged_request_link_has_next (soup_message_headers_get_list (headers,
                                                                                       "Link"));

  /* json-glib needs a noticeable time for a full page of projects: off the main thread. */
  subtask = g_task_new (NULL, pager->cancellable, on_page_parsed, page);
  g_task_set_source_tag (subtask, parse_page_thread);
  g_task_set_task_data (subtask, page, NULL);
  g_task_run_in_thread (subtask, parse_page_thread);
}

static void
start_page (GTask *task,
            guint  number)
{
  Pager *pager = g_task_get_task_data (task);
  g_autofree char *query = NULL;
  GError *error = NULL;
  Page *page;

  if (g_cancellable_set_error_if_cancelled (pager->cancellable, &error))
    {
      fail (task, error);
      return;
    }

  query = g_strdup_printf ("limit=%u&page=%u%s%s", pager->limit, number,
                           pager->query != NULL ? "&" : "",
                           pager->query != NULL ? pager->query : "");

  page = g_new0 (Page, 1);
  page->page = number;
  page->result_count = -1;
  page->message = exk_client_new_message (pager->client, "GET", pager->path, query, NULL,
                                          pager->token, &error);
  if (page->message == NULL)
    {
      page_free (page);
      fail (task, error);
      return;
    }

  page->task = g_object_ref (task);
  pager->in_flight++;

  exk_http_send_async (exk_client_get_session (pager->client), page->message,
                       EXK_HTTP_MAX_PAGE_SIZE, exk_client_get_timeout (pager->client),
                       pager->cancellable, on_page_sent, page);
}

static void
on_outer_cancelled (GCancellable *outer,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/**
 * exk_paged_request_run_async:
 * @client: the client whose session and token to use
 * @path: the list's path below `api/v2/`, already escaped
 * @query: (nullable): more query parameters, already escaped, without `page` and `limit`
 * @limit: the largest page size the server allows for this list
 * @item_new: builds one item from its JSON object
 * @what: the name of the list, untranslated, for the debug log
 * @source_tag: the public function's tag, checked by its finish function
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once, with every item or an error
 * @user_data: data for @callback
 *
 * Fetches every page of a paged list. The task's source object is @client.
 */
void
exk_paged_request_run_async (ExkClient            *client,
                             const char           *path,
                             const char           *query,
                             guint                 limit,
                             ExkPagedItemFunc      item_new,
                             const char           *what,
                             gpointer              source_tag,
                             GCancellable         *cancellable,
                             GAsyncReadyCallback   callback,
                             gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Pager *pager;

  g_return_if_fail (EXK_IS_CLIENT (client));
  g_return_if_fail (path != NULL);
  g_return_if_fail (limit > 0);
  g_return_if_fail (item_new != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  pager = g_new0 (Pager, 1);
  pager->client = g_object_ref (client);
  pager->path = g_strdup (path);
  pager->query = g_strdup (query);
  pager->token = g_strdup (exk_client_get_token (client));
  pager->token_serial = exk_client_get_token_serial (client);
  pager->what = what;
  pager->item_new = item_new;
  pager->limit = limit;
  pager->cancellable = g_cancellable_new ();
  pager->pages = g_ptr_array_new_with_free_func (free_items);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, pager, pager_free);

  if (cancellable != NULL)
    {
      pager->outer_cancellable = g_object_ref (cancellable);
      pager->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                                   g_object_ref (pager->cancellable),
                                                   g_object_unref);
    }

  start_page (task, 1);
}

/**
 * exk_paged_request_run_finish:
 *
 * Returns: (transfer full) (element-type GObject): every item, in the server's order
 */
GPtrArray *
exk_paged_request_run_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
rel_has_next (const char *params)
{
  g_auto(GStrv) parts = g_strsplit (params, ";", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_auto(GStrv) relations = NULL;
      char *param = g_strstrip (parts[i]);
      char *value;

      if (g_ascii_strncasecmp (param, "rel", 3) != 0)
        continue;

      value = g_strstrip (param + 3);
      if (*value != '=')
        continue;
      value = g_strstrip (value + 1);

      if (*value == '"')
        {
          char *end = strchr (value + 1, '"');

          value++;
          if (end != NULL)
            *end = '\0';
        }

      relations = g_strsplit_set (value, " \t", -1);
      for (guint j = 0; relations[j] != NULL; j++)
        {
          if (g_ascii_strcasecmp (relations[j], "next") == 0)
            return TRUE;
        }
    }

  return FALSE;
}

/**
 * exk_paged_request_link_has_next:
 * @link: (nullable): the `Link` header; several header lines arrive joined by commas
 *
 * Returns: whether one of the links has the relation `next`
 */
gboolean
exk_paged_request_link_has_next (const char *link)
{
  const char *p = link;

  if (link == NULL)
    return FALSE;

  /* link-value = "<" URI ">" *( ";" param ), separated by commas; commas may appear
   * inside the URI and inside quoted parameters. */
  while (*p != '\0')
    {
      g_autofree char *params = NULL;
      const char *start;
      gboolean quoted = FALSE;

      while (*p == ' ' || *p == '\t' || *p == ',')
        p++;
      if (*p != '<')
        {
          /* Not a link-value: skip to the next comma. */
          while (*p != '\0' && *p != ',')
            p++;
          continue;
        }

      p = strchr (p, '>');
      if (p == NULL)
        return FALSE;
      p++;

      start = p;
      while (*p != '\0' && (quoted || *p != ','))
        {
          if (*p == '"')
            quoted = !quoted;
          p++;
        }

      params = g_strndup (start, p - start);
      if (rel_has_next (params))
        return TRUE;
    }

  return FALSE;
}

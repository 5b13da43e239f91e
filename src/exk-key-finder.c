// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-base-url.h"
#include "exk-key-finder.h"
#include "exk-secret-text.h"

/* Finds whose an API key is: asks the server of each signed-in account in
 * turn (`GET tokens/{id}` with that account's user token), the active account
 * first, until one knows the key. A server that answers 404 does not know it
 * (or lets this account not see it); one that cannot be asked (no network, an
 * ended sign-in, a server error) is remembered with the reason, and the search
 * goes on.
 *
 * The key goes only to the servers of the signed-in accounts, and once one of
 * them knows it, every later request about it (its project, its
 * organization, disabling or deleting it) goes to that server alone, through
 * the client that found it. The finder keeps the text of the key only while
 * it searches; the found key stays as the token's id until
 * exk_key_finder_clear(). */
struct _ExkKeyFinder
{
  GObject            parent_instance;

  ExkAccountManager *manager;
  GCancellable      *search_cancellable;   /* the search running, if any */

  gboolean           searching;
  char              *asking;               /* "host:port" asked now */
  ExkAccount        *account;              /* the account whose server knows the key */
  ExkClient         *client;
  ExkToken          *token;
  ExkProject        *project;
  char              *project_name;
  char              *organization_name;
  gboolean           busy;
  gboolean           deleted;
  GPtrArray         *failures;             /* Failure */
};

G_DEFINE_FINAL_TYPE (ExkKeyFinder, exk_key_finder, G_TYPE_OBJECT)

G_DEFINE_QUARK (exk-key-finder-error-quark, exk_key_finder_error)

enum {
  PROP_0,
  PROP_SEARCHING,
  PROP_ASKING,
  PROP_ACCOUNT,
  PROP_CLIENT,
  PROP_TOKEN,
  PROP_PROJECT,
  PROP_PROJECT_NAME,
  PROP_ORGANIZATION_NAME,
  PROP_BUSY,
  PROP_DELETED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define KEY_LENGTH 40

typedef struct
{
  ExkAccount *account;
  GError     *error;
} Failure;

static void
failure_free (Failure *failure)
{
  g_clear_object (&failure->account);
  g_clear_error (&failure->error);
  g_free (failure);
}

typedef struct
{
  char         *key;
  GPtrArray    *accounts;      /* to ask, in order */
  guint         next;
  ExkAccount   *account;       /* asked now */
  ExkClient    *client;
  ExkToken     *token;
  ExkProject   *project;
  char         *organization_name;
  GPtrArray    *failures;
  GCancellable *cancellable;   /* the finder's, for this search */
  GCancellable *outer;         /* the caller's */
  gulong        outer_handler;
} Search;

static void
search_free (Search *search)
{
  if (search->outer_handler != 0)
    g_cancellable_disconnect (search->outer, search->outer_handler);
  g_clear_object (&search->outer);
  g_clear_object (&search->cancellable);
  g_clear_pointer (&search->key, exk_secret_text_free);
  g_clear_pointer (&search->accounts, g_ptr_array_unref);
  g_clear_object (&search->account);
  g_clear_object (&search->client);
  g_clear_object (&search->token);
  g_clear_object (&search->project);
  g_clear_pointer (&search->organization_name, g_free);
  g_clear_pointer (&search->failures, g_ptr_array_unref);
  g_free (search);
}

/* Input */

static gboolean
is_quote (gunichar c)
{
  switch (c)
    {
    case '"': case '\'': case '`':
    case 0x00AB: case 0x00BB:              /* « » */
    case 0x2018: case 0x2019: case 0x201A: /* ‘ ’ ‚ */
    case 0x201C: case 0x201D: case 0x201E: /* “ ” „ */
    case 0x2039: case 0x203A:              /* ‹ › */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_trimmed (gunichar c)
{
  return g_unichar_isspace (c) || is_quote (c) || c == 0x200B || c == 0xFEFF;
}

/**
 * exk_key_finder_parse_key:
 * @text: what the user pasted or typed
 *
 * The key in @text: without the spaces, line breaks and quotes that come
 * along with a paste. A key has 40 letters and digits.
 *
 * Returns: (transfer full) (nullable): the key, to free with
 *   exk_secret_text_free(); or %NULL with %EXK_KEY_FINDER_ERROR_INVALID_KEY
 *   and a message that says why the text cannot be a key
 */
char *
exk_key_finder_parse_key (const char  *text,
                          GError     **error)
{
  const char *start = text != NULL ? text : "";
  const char *end = start + strlen (start);
  gboolean has_space = FALSE, has_other = FALSE;
  guint n_chars;

  if (!g_utf8_validate (start, -1, NULL))
    {
      g_set_error_literal (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY,
                           _("This is not an API key: keys have only letters and digits."));
      return NULL;
    }

  while (start < end && is_trimmed (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *last = g_utf8_find_prev_char (start, end);

      if (last == NULL || !is_trimmed (g_utf8_get_char (last)))
        break;
      end = last;
    }

  if (start == end)
    {
      g_set_error_literal (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY,
                           _("Paste or type the API key to find."));
      return NULL;
    }

  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        has_space = TRUE;
      else if (c > 127 || !g_ascii_isalnum (c))
        has_other = TRUE;
    }

  if (has_space)
    {
      g_set_error_literal (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY,
                           _("This is not an API key: keys have no spaces. Paste the key "
                             "alone."));
      return NULL;
    }
  if (has_other)
    {
      g_set_error_literal (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY,
                           _("This is not an API key: keys have only letters and digits."));
      return NULL;
    }

  n_chars = (guint) (end - start);
  if (n_chars != KEY_LENGTH)
    {
      g_set_error (error, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_INVALID_KEY,
                   /* Translators: keys always have 40 characters; %u is how many the text has. */
                   g_dngettext (GETTEXT_PACKAGE,
                                "This is not an API key: keys have 40 characters, this text "
                                "has %u.",
                                "This is not an API key: keys have 40 characters, this text "
                                "has %u.",
                                n_chars),
                   n_chars);
      return NULL;
    }

  return g_strndup (start, end - start);
}

/* Whether @text is shaped like a key (what the sidebar's search offers to find). */
gboolean
exk_key_finder_looks_like_key (const char *text)
{
  char *key = exk_key_finder_parse_key (text, NULL);

  exk_secret_text_free (key);
  return key != NULL;
}

/* State */

static void
exk_key_finder_set_asking (ExkKeyFinder *self,
                           const char   *asking)
{
  if (g_strcmp0 (self->asking, asking) == 0)
    return;

  g_free (self->asking);
  self->asking = g_strdup (asking);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASKING]);
}

static void
exk_key_finder_set_searching (ExkKeyFinder *self,
                              gboolean      searching)
{
  if (self->searching == searching)
    return;

  self->searching = searching;
  if (!searching)
    exk_key_finder_set_asking (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCHING]);
}

static void
exk_key_finder_set_busy (ExkKeyFinder *self,
                         gboolean      busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
set_string (ExkKeyFinder  *self,
            char         **field,
            const char    *value,
            guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_object (ExkKeyFinder *self,
            gpointer      field,
            gpointer      value,
            guint         prop)
{
  if (g_set_object ((GObject **) field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Drops what the last search found. */
static void
exk_key_finder_forget (ExkKeyFinder *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  set_object (self, &self->account, NULL, PROP_ACCOUNT);
  set_object (self, &self->client, NULL, PROP_CLIENT);
  set_object (self, &self->token, NULL, PROP_TOKEN);
  set_object (self, &self->project, NULL, PROP_PROJECT);
  set_string (self, &self->project_name, NULL, PROP_PROJECT_NAME);
  set_string (self, &self->organization_name, NULL, PROP_ORGANIZATION_NAME);
  if (self->deleted)
    {
      self->deleted = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
    }
  g_ptr_array_set_size (self->failures, 0);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Search */

static gboolean
search_is_current (ExkKeyFinder *self,
                   Search       *search)
{
  return self->search_cancellable == search->cancellable;
}

/* The search ends, found or not: what it learned becomes the finder's. */
static void
exk_key_finder_end_search (GTask *task)
{
  ExkKeyFinder *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);

  if (!search_is_current (self, search))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("Another search started."));
      return;
    }

  g_clear_object (&self->search_cancellable);

  g_object_freeze_notify (G_OBJECT (self));
  g_ptr_array_extend_and_steal (self->failures, g_steal_pointer (&search->failures));
  search->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  if (search->token != NULL)
    {
      set_object (self, &self->account, search->account, PROP_ACCOUNT);
      set_object (self, &self->client, search->client, PROP_CLIENT);
      set_object (self, &self->token, search->token, PROP_TOKEN);
      set_object (self, &self->project, search->project, PROP_PROJECT);
      set_string (self, &self->project_name,
                  search->project != NULL ? exk_project_get_name (search->project) : NULL,
                  PROP_PROJECT_NAME);
      set_string (self, &self->organization_name, search->organization_name,
                  PROP_ORGANIZATION_NAME);
    }
  exk_key_finder_set_searching (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_return_boolean (task, search->token != NULL);
}

/* Ends the search with @error (cancelled, usually). */
static void
exk_key_finder_fail_search (GTask  *task,
                            GError *error)
{
  ExkKeyFinder *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);

  if (search_is_current (self, search))
    {
      g_clear_object (&self->search_cancellable);
      exk_key_finder_set_searching (self, FALSE);
    }
  g_task_return_error (task, error);
}

static void exk_key_finder_ask_next (GTask *task);

static void
search_add_failure (Search       *search,
                    const GError *error)
{
  Failure *failure = g_new0 (Failure, 1);

  failure->account = g_object_ref (search->account);
  failure->error = g_error_copy (error);
  g_ptr_array_add (search->failures, failure);
}

static void
on_organization_got (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Search *search = g_task_get_task_data (task);
  g_autoptr(ExkOrganization) organization = NULL;
  g_autoptr(GError) error = NULL;

  organization = exk_client_get_organization_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_key_finder_fail_search (task, g_steal_pointer (&error));
      return;
    }

  /* Found all the same: the result says the name is unknown. */
  if (organization != NULL)
    search->organization_name = g_strdup (exk_organization_get_name (organization));

  exk_key_finder_end_search (task);
}

/* Takes @task. */
static void
exk_key_finder_get_organization (GTask *task)
{
  Search *search = g_task_get_task_data (task);
  const char *organization_id = exk_token_get_organization_id (search->token);

  if (organization_id == NULL)
    {
      exk_key_finder_end_search (task);
      g_object_unref (task);
      return;
    }

  exk_client_get_organization_async (search->client, organization_id, search->cancellable,
                                     on_organization_got, task);
}

static void
on_project_got (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Search *search = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  search->project = exk_client_get_project_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_key_finder_fail_search (task, g_steal_pointer (&error));
      return;
    }

  /* The project says its organization's name: one request less. */
  if (search->project != NULL)
    {
      search->organization_name = g_strdup (exk_project_get_organization_name (search->project));
      exk_key_finder_end_search (task);
      return;
    }

  exk_key_finder_get_organization (g_steal_pointer (&task));
}

static void
on_token_got (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Search *search = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *project_id;

  search->token = exk_client_get_api_token_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_key_finder_fail_search (task, g_steal_pointer (&error));
      return;
    }

  if (search->token == NULL)
    {
      /* 404: this account cannot see the key. Anything else: this server could not say. */
      if (!g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_NOT_FOUND))
        search_add_failure (search, error);
      exk_key_finder_ask_next (g_steal_pointer (&task));
      return;
    }

  /* The key is found: its server, and no other, is asked the rest. */
  g_clear_pointer (&search->key, exk_secret_text_free);
  project_id = exk_token_get_project_id (search->token);
  if (project_id != NULL)
    exk_client_get_project_async (search->client, project_id, EXK_PROJECT_LIST_NONE,
                                  search->cancellable, on_project_got, g_steal_pointer (&task));
  else
    exk_key_finder_get_organization (g_steal_pointer (&task));
}

static void
on_client_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Search *search = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  search->client = exk_account_manager_client_for_finish (EXK_ACCOUNT_MANAGER (source), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_key_finder_fail_search (task, g_steal_pointer (&error));
      return;
    }

  if (search->client == NULL)
    {
      search_add_failure (search, error);
      exk_key_finder_ask_next (g_steal_pointer (&task));
      return;
    }

  exk_client_get_api_token_async (search->client, search->key, search->cancellable,
                                  on_token_got, g_steal_pointer (&task));
}

/* Takes @task. */
static void
exk_key_finder_ask_next (GTask *task)
{
  ExkKeyFinder *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);
  ExkAccount *account;

  g_clear_object (&search->account);
  g_clear_object (&search->client);

  if (g_cancellable_is_cancelled (search->cancellable))
    {
      exk_key_finder_fail_search (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                             _("The search was stopped.")));
      g_object_unref (task);
      return;
    }

  if (search->next >= search->accounts->len)
    {
      exk_key_finder_end_search (task);
      g_object_unref (task);
      return;
    }

  account = g_ptr_array_index (search->accounts, search->next++);
  search->account = g_object_ref (account);
  if (search_is_current (self, search))
    exk_key_finder_set_asking (self, exk_account_get_server_authority (account));

  exk_account_manager_client_for_async (self->manager, account, search->cancellable,
                                        on_client_ready, task);
}

static void
on_outer_cancelled (GCancellable *outer,
                    GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* The active account first (the likeliest owner), then the others in the
 * account menu's order. The demo's session-only account is asked too. */
static GPtrArray *
exk_key_finder_list_accounts (ExkKeyFinder *self)
{
  GPtrArray *accounts = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model = exk_account_manager_get_accounts (self->manager);
  ExkAccount *active = exk_account_manager_get_active_account (self->manager);
  guint n = g_list_model_get_n_items (model);

  if (active != NULL && exk_account_manager_get_client (self->manager) != NULL)
    g_ptr_array_add (accounts, g_object_ref (active));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkAccount) account = g_list_model_get_item (model, i);

      if (!g_ptr_array_find (accounts, account, NULL))
        g_ptr_array_add (accounts, g_steal_pointer (&account));
    }

  return accounts;
}

/* GObject */

static void
exk_key_finder_dispose (GObject *object)
{
  ExkKeyFinder *self = EXK_KEY_FINDER (object);

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);

  G_OBJECT_CLASS (exk_key_finder_parent_class)->dispose (object);
}

static void
exk_key_finder_finalize (GObject *object)
{
  ExkKeyFinder *self = EXK_KEY_FINDER (object);

  g_clear_object (&self->manager);
  g_clear_pointer (&self->asking, g_free);
  g_clear_object (&self->account);
  g_clear_object (&self->client);
  g_clear_object (&self->token);
  g_clear_object (&self->project);
  g_clear_pointer (&self->project_name, g_free);
  g_clear_pointer (&self->organization_name, g_free);
  g_clear_pointer (&self->failures, g_ptr_array_unref);

  G_OBJECT_CLASS (exk_key_finder_parent_class)->finalize (object);
}

static void
exk_key_finder_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ExkKeyFinder *self = EXK_KEY_FINDER (object);

  switch (prop_id)
    {
    case PROP_SEARCHING:
      g_value_set_boolean (value, self->searching);
      break;
    case PROP_ASKING:
      g_value_set_string (value, self->asking);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_PROJECT_NAME:
      g_value_set_string (value, self->project_name);
      break;
    case PROP_ORGANIZATION_NAME:
      g_value_set_string (value, self->organization_name);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_DELETED:
      g_value_set_boolean (value, self->deleted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_key_finder_class_init (ExkKeyFinderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = exk_key_finder_dispose;
  object_class->finalize = exk_key_finder_finalize;
  object_class->get_property = exk_key_finder_get_property;

  properties[PROP_SEARCHING] = g_param_spec_boolean ("searching", NULL, NULL, FALSE, flags);
  /**
   * ExkKeyFinder:asking:
   *
   * The server asked now ("host:port"), while searching.
   */
  properties[PROP_ASKING] = g_param_spec_string ("asking", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, EXK_TYPE_ACCOUNT, flags);
  properties[PROP_CLIENT] = g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT, flags);
  properties[PROP_TOKEN] = g_param_spec_object ("token", NULL, NULL, EXK_TYPE_TOKEN, flags);
  properties[PROP_PROJECT] = g_param_spec_object ("project", NULL, NULL, EXK_TYPE_PROJECT, flags);
  properties[PROP_PROJECT_NAME] = g_param_spec_string ("project-name", NULL, NULL, NULL, flags);
  properties[PROP_ORGANIZATION_NAME] = g_param_spec_string ("organization-name", NULL, NULL,
                                                            NULL, flags);
  /**
   * ExkKeyFinder:busy:
   *
   * A change to the found key (disable, enable, delete) waits for the server.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_key_finder_init (ExkKeyFinder *self)
{
  self->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
}

ExkKeyFinder *
exk_key_finder_new (ExkAccountManager *manager)
{
  ExkKeyFinder *self;

  g_return_val_if_fail (EXK_IS_ACCOUNT_MANAGER (manager), NULL);

  self = g_object_new (EXK_TYPE_KEY_FINDER, NULL);
  self->manager = g_object_ref (manager);

  return self;
}

gboolean
exk_key_finder_get_searching (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), FALSE);

  return self->searching;
}

const char *
exk_key_finder_get_asking (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->asking;
}

/**
 * exk_key_finder_get_account:
 *
 * Returns: (transfer none) (nullable): the account whose server knows the key
 */
ExkAccount *
exk_key_finder_get_account (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->account;
}

/**
 * exk_key_finder_get_client:
 *
 * Returns: (transfer none) (nullable): a client for the server that knows the
 *   key, with its account's token: the only one to ask anything about the key
 */
ExkClient *
exk_key_finder_get_client (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->client;
}

/**
 * exk_key_finder_get_token:
 *
 * Returns: (transfer none) (nullable): the key found, as its server describes it
 */
ExkToken *
exk_key_finder_get_token (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->token;
}

/**
 * exk_key_finder_get_project:
 *
 * Returns: (transfer none) (nullable): the key's project; %NULL for an
 *   organization-wide key, or when the server did not say
 */
ExkProject *
exk_key_finder_get_project (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->project;
}

const char *
exk_key_finder_get_project_name (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->project_name;
}

const char *
exk_key_finder_get_organization_name (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);

  return self->organization_name;
}

gboolean
exk_key_finder_get_busy (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), FALSE);

  return self->busy;
}

/* The found key was deleted, and the server said so. */
gboolean
exk_key_finder_get_deleted (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), FALSE);

  return self->deleted;
}

/* How many accounts the last search could not ask. */
guint
exk_key_finder_get_n_failures (ExkKeyFinder *self)
{
  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), 0);

  return self->failures->len;
}

/**
 * exk_key_finder_get_failure:
 * @account: (out) (transfer none) (optional): the account that could not be asked
 *
 * Returns: (transfer none): why the account at @index could not be asked
 */
const GError *
exk_key_finder_get_failure (ExkKeyFinder  *self,
                            guint          index,
                            ExkAccount   **account)
{
  Failure *failure;

  g_return_val_if_fail (EXK_IS_KEY_FINDER (self), NULL);
  g_return_val_if_fail (index < self->failures->len, NULL);

  failure = g_ptr_array_index (self->failures, index);
  if (account != NULL)
    *account = failure->account;
  return failure->error;
}

/**
 * exk_key_finder_find_async:
 * @text: the key as pasted or typed (see exk_key_finder_parse_key())
 *
 * Forgets the last result, stops a search still running, and asks each
 * signed-in account's server in turn whether it knows the key. Text that
 * cannot be a key fails at once with %EXK_KEY_FINDER_ERROR_INVALID_KEY: no
 * request is sent.
 */
void
exk_key_finder_find_async (ExkKeyFinder        *self,
                           const char          *text,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Search *search;
  char *key;

  g_return_if_fail (EXK_IS_KEY_FINDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_key_finder_find_async);

  key = exk_key_finder_parse_key (text, &error);
  if (key == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  exk_key_finder_clear (self);

  search = g_new0 (Search, 1);
  search->key = key;
  search->failures = g_ptr_array_new_with_free_func ((GDestroyNotify) failure_free);
  search->accounts = exk_key_finder_list_accounts (self);
  search->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      search->outer = g_object_ref (cancellable);
      search->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled),
                                                     g_object_ref (search->cancellable),
                                                     g_object_unref);
    }
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);

  if (search->accounts->len == 0)
    {
      g_task_return_new_error (task, EXK_KEY_FINDER_ERROR, EXK_KEY_FINDER_ERROR_NO_ACCOUNTS, "%s",
                               _("Sign in to an account first: Exkeys asks the servers of "
                                 "the accounts you are signed in to."));
      return;
    }

  self->search_cancellable = g_object_ref (search->cancellable);
  exk_key_finder_set_searching (self, TRUE);
  exk_key_finder_ask_next (g_steal_pointer (&task));
}

/**
 * exk_key_finder_find_finish:
 *
 * Returns: %TRUE when a server knows the key (see #ExkKeyFinder:token),
 *   %FALSE when none does, with @error unset: the failures then say which
 *   accounts could not be asked.
 */
gboolean
exk_key_finder_find_finish (ExkKeyFinder  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Changes to the found key */

static gboolean
exk_key_finder_start_change (ExkKeyFinder *self,
                             GTask        *task)
{
  if (self->token == NULL || self->client == NULL || self->deleted)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("No key is found to change."));
      return FALSE;
    }
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY, "%s",
                               _("Another change to this key is on its way."));
      return FALSE;
    }

  g_task_set_task_data (task, g_object_ref (self->token), g_object_unref);
  exk_key_finder_set_busy (self, TRUE);
  return TRUE;
}

/* A change the server confirmed, in the history of the account that made it. */
static void
exk_key_finder_record (ExkKeyFinder     *self,
                       ExkHistoryAction  action,
                       ExkToken         *token)
{
  ExkHistory *history;

  if (self->account == NULL || token != self->token)
    return;

  history = exk_account_manager_get_history (self->manager, self->account);
  if (history != NULL)
    exk_history_record (history, action, exk_token_get_project_id (token), self->project_name,
                        exk_token_get_id (token), NULL, exk_token_get_notes (token));
}

static void
on_disabled_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyFinder *self = g_task_get_source_object (task);
  ExkToken *token = g_task_get_task_data (task);
  g_autoptr(ExkToken) newer = NULL;
  g_autoptr(GError) error = NULL;

  newer = exk_client_set_token_disabled_finish (EXK_CLIENT (source), result, &error);
  exk_key_finder_set_busy (self, FALSE);
  if (newer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* As the server now has it. */
  exk_token_update_from (token, newer);
  exk_key_finder_record (self, exk_token_get_is_disabled (newer) ? EXK_HISTORY_ACTION_DISABLED
                                                                  : EXK_HISTORY_ACTION_ENABLED,
                         token);
  g_task_return_boolean (task, TRUE);
}

/**
 * exk_key_finder_set_disabled_async:
 *
 * Disables or enables the found key on its server; the token changes once the
 * server has answered.
 */
void
exk_key_finder_set_disabled_async (ExkKeyFinder        *self,
                                   gboolean             disabled,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_KEY_FINDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_key_finder_set_disabled_async);

  if (!exk_key_finder_start_change (self, task))
    return;

  exk_client_set_token_disabled_async (self->client, exk_token_get_id (self->token), disabled,
                                       cancellable, on_disabled_set, g_steal_pointer (&task));
}

gboolean
exk_key_finder_set_disabled_finish (ExkKeyFinder  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkKeyFinder *self = g_task_get_source_object (task);
  ExkToken *token = g_task_get_task_data (task);
  g_autoptr(ExkDeleteResult) deleted = NULL;
  g_autoptr(GError) error = NULL;

  deleted = exk_client_delete_tokens_finish (EXK_CLIENT (source), result, &error);
  exk_key_finder_set_busy (self, FALSE);
  if (deleted == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!exk_delete_result_is_complete (deleted))
    {
      const char *message = exk_delete_result_get_n_failures (deleted) > 0
                            ? exk_delete_result_get_failure_message (deleted, 0) : NULL;

      g_task_return_new_error (task, EXK_API_ERROR, EXK_API_ERROR_VALIDATION, "%s",
                               message != NULL ? message
                                               : _("The server refused to delete the key."));
      return;
    }

  exk_key_finder_record (self, EXK_HISTORY_ACTION_DELETED, token);
  if (self->token == token && !self->deleted)
    {
      self->deleted = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DELETED]);
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * exk_key_finder_delete_async:
 *
 * Deletes the found key on its server, for good. #ExkKeyFinder:deleted turns
 * %TRUE once the server has answered.
 */
void
exk_key_finder_delete_async (ExkKeyFinder        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *ids[2] = { NULL, NULL };

  g_return_if_fail (EXK_IS_KEY_FINDER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_key_finder_delete_async);

  if (!exk_key_finder_start_change (self, task))
    return;

  ids[0] = exk_token_get_id (self->token);
  exk_client_delete_tokens_async (self->client, ids, cancellable, on_deleted,
                                  g_steal_pointer (&task));
}

gboolean
exk_key_finder_delete_finish (ExkKeyFinder  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * exk_key_finder_clear:
 *
 * Stops the search running, if any, and forgets the key found: the finder
 * keeps nothing of it.
 */
void
exk_key_finder_clear (ExkKeyFinder *self)
{
  g_return_if_fail (EXK_IS_KEY_FINDER (self));

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  exk_key_finder_set_searching (self, FALSE);
  exk_key_finder_forget (self);
}

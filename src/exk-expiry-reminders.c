// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-expiry-reminders.h"
#include "exk-organization.h"
#include "exk-rotations.h"

/* The active account's keys that expire within 14 days or expired in the
 * last 7, across all of its organizations, sorted by expiry: a GListModel of
 * ExkExpiryReminder. Each refresh decides, once per key and threshold, whether
 * a reminder is due ("reminder-due"); which were sent is kept in the settings
 * as fingerprints, so that none repeats after a restart. */

#define SETTINGS_KEY      "expiry-reminders-sent"
#define REFRESH_SECONDS   (60 * 60)
#define ACCOUNT_PRINT_LEN 16

typedef struct
{
  ExkExpiryReminders *self;
  GCancellable       *cancellable;
  ExkClient          *client;
  GPtrArray          *tokens;        /* ExkToken, of every organization that answered */
  GHashTable         *projects;      /* id → ExkProject */
  GError             *error;         /* the first failure */
  guint               pending;
  gboolean            complete;      /* every organization answered */
} Refresh;

struct _ExkExpiryReminders
{
  GObject       parent_instance;

  GSettings    *settings;
  ExkClient    *client;
  char         *account_print;       /* the start of the account key's SHA-256 */
  GListStore   *items;
  GHashTable   *projects;            /* id → ExkProject, of the last refresh */
  Refresh      *refresh;             /* the one in flight, or NULL */
  GError       *error;
  GDateTime    *now;                 /* a fixed clock for the tests, or NULL */
  guint         timer;
  guint         expiring_this_week;
  guint         expiring_soon;
  guint         expired;
};

static void exk_expiry_reminders_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ExkExpiryReminders, exk_expiry_reminders, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      exk_expiry_reminders_list_model_init))

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  PROP_EXPIRING_THIS_WEEK,
  PROP_EXPIRING_SOON,
  PROP_EXPIRED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  REMINDER_DUE,
  REFRESHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
exk_expiry_reminders_get_item_type (GListModel *model)
{
  return EXK_TYPE_EXPIRY_REMINDER;
}

static guint
exk_expiry_reminders_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (EXK_EXPIRY_REMINDERS (model)->items));
}

static gpointer
exk_expiry_reminders_get_item (GListModel *model,
                               guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (EXK_EXPIRY_REMINDERS (model)->items), position);
}

static void
exk_expiry_reminders_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = exk_expiry_reminders_get_item_type;
  iface->get_n_items = exk_expiry_reminders_get_n_items;
  iface->get_item = exk_expiry_reminders_get_item;
}

static void
refresh_free (Refresh *refresh)
{
  g_clear_object (&refresh->self);
  g_clear_object (&refresh->cancellable);
  g_clear_object (&refresh->client);
  g_clear_pointer (&refresh->tokens, g_ptr_array_unref);
  g_clear_pointer (&refresh->projects, g_hash_table_unref);
  g_clear_error (&refresh->error);
  g_free (refresh);
}

static void
refresh_fail (Refresh *refresh,
              GError  *error)
{
  refresh->complete = FALSE;
  if (refresh->error == NULL)
    refresh->error = error;
  else
    g_error_free (error);
}

static void
exk_expiry_reminders_set_counts (ExkExpiryReminders *self,
                                 guint               this_week,
                                 guint               soon,
                                 guint               expired)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->expiring_this_week != this_week)
    {
      self->expiring_this_week = this_week;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRING_THIS_WEEK]);
    }
  if (self->expiring_soon != soon)
    {
      self->expiring_soon = soon;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRING_SOON]);
    }
  if (self->expired != expired)
    {
      self->expired = expired;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The counts the banner says, from the items. */
static void
exk_expiry_reminders_count (ExkExpiryReminders *self,
                            GDateTime          *now)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  guint this_week = 0, soon = 0, expired = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkExpiryReminder) reminder = g_list_model_get_item (G_LIST_MODEL (self->items),
                                                                     i);

      if (exk_expiry_reminder_get_threshold (reminder) == EXK_EXPIRY_THRESHOLD_EXPIRED)
        expired++;
      else
        {
          soon++;
          if (g_date_time_difference (exk_expiry_reminder_get_expires (reminder), now)
              <= 7 * G_TIME_SPAN_DAY)
            this_week++;
        }
    }

  exk_expiry_reminders_set_counts (self, this_week, soon, expired);
}

static int
compare_by_expiry (gconstpointer a,
                   gconstpointer b)
{
  ExkExpiryReminder *ra = *(ExkExpiryReminder **) a;
  ExkExpiryReminder *rb = *(ExkExpiryReminder **) b;
  int order = g_date_time_compare (exk_expiry_reminder_get_expires (ra),
                                   exk_expiry_reminder_get_expires (rb));

  if (order != 0)
    return order;

  /* The same instant: a stable order, by project then fingerprint. */
  order = g_strcmp0 (exk_project_get_name (exk_expiry_reminder_get_project (ra)),
                     exk_project_get_name (exk_expiry_reminder_get_project (rb)));
  if (order != 0)
    return order;

  return g_strcmp0 (exk_expiry_reminder_get_fingerprint (ra),
                    exk_expiry_reminder_get_fingerprint (rb));
}

/* What the settings remember of a (key, threshold): never the key. */
static char *
sent_entry (ExkExpiryReminders *self,
            ExkExpiryReminder  *reminder)
{
  ExkExpiryThreshold threshold = exk_expiry_reminder_get_threshold (reminder);

  return g_strdup_printf ("%s:%s:%s", self->account_print,
                          exk_expiry_reminder_get_fingerprint (reminder),
                          exk_expiry_threshold_to_string (threshold));
}

/* Which reminders are due, remembered at once; entries of this account for
 * keys no longer expiring go (only after a complete refresh: a failed
 * organization's keys are not known to be gone). Returns the due ones. */
static GPtrArray *
exk_expiry_reminders_decide (ExkExpiryReminders *self,
                             GPtrArray          *reminders,
                             gboolean            complete)
{
  g_auto(GStrv) sent = g_settings_get_strv (self->settings, SETTINGS_KEY);
  g_autoptr(GHashTable) sent_set = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) current = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *prefix = g_strconcat (self->account_print, ":", NULL);
  g_auto(GStrv) written = NULL;
  gboolean changed = FALSE;

  for (guint i = 0; sent[i] != NULL; i++)
    g_hash_table_add (sent_set, sent[i]);
  for (guint i = 0; i < reminders->len; i++)
    g_hash_table_add (current,
                      (gpointer) exk_expiry_reminder_get_fingerprint (g_ptr_array_index (reminders,
                                                                                         i)));

  for (guint i = 0; sent[i] != NULL; i++)
    {
      const char *entry = sent[i];

      if (complete && g_str_has_prefix (entry, prefix))
        {
          const char *print = entry + strlen (prefix);
          const char *end = strchr (print, ':');
          g_autofree char *key_print = end != NULL ? g_strndup (print, end - print) : NULL;

          if (key_print == NULL || !g_hash_table_contains (current, key_print))
            {
              changed = TRUE;
              continue;
            }
        }
      g_strv_builder_add (builder, entry);
    }

  for (guint i = 0; i < reminders->len; i++)
    {
      ExkExpiryReminder *reminder = g_ptr_array_index (reminders, i);
      g_autofree char *entry = sent_entry (self, reminder);

      if (g_hash_table_contains (sent_set, entry))
        continue;

      g_strv_builder_add (builder, entry);
      g_ptr_array_add (due, g_object_ref (reminder));
      changed = TRUE;
    }

  if (changed)
    {
      written = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, SETTINGS_KEY, (const char * const *) written);
    }

  return g_steal_pointer (&due);
}

static void
exk_expiry_reminders_finish_refresh (Refresh *refresh)
{
  ExkExpiryReminders *self = refresh->self;
  g_autoptr(GDateTime) now = exk_expiry_reminders_dup_now (self);
  g_autoptr(GPtrArray) reminders = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) due = NULL;
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (self->items));

  g_assert (self->refresh == refresh);
  self->refresh = NULL;

  /* A fully failed refresh keeps what was shown: the banner does not flicker
   * away because the network did. */
  if (!refresh->complete
      && (refresh->tokens->len == 0 || g_hash_table_size (refresh->projects) == 0))
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&refresh->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      g_signal_emit (self, signals[REFRESHED], 0);
      refresh_free (refresh);
      return;
    }

  /* One comparison of dates per key: 10,000 keys take a few milliseconds
   * (tests/test-expiry-reminders.c measures it); only the few that expire
   * soon are hashed. */
  for (guint i = 0; i < refresh->tokens->len; i++)
    {
      ExkToken *token = g_ptr_array_index (refresh->tokens, i);
      ExkExpiryThreshold threshold;
      ExkProject *project;
      g_autofree char *print = NULL;

      if (exk_token_get_is_disabled (token) || exk_token_get_project_id (token) == NULL)
        continue;
      threshold = exk_expiry_threshold_for (exk_token_get_expires (token), now);
      if (threshold == EXK_EXPIRY_THRESHOLD_NONE)
        continue;
      project = g_hash_table_lookup (refresh->projects, exk_token_get_project_id (token));
      if (project == NULL)
        continue;

      print = exk_rotations_fingerprint (exk_token_get_id (token));
      g_ptr_array_add (reminders, exk_expiry_reminder_new (token, project, threshold, print));
    }
  g_ptr_array_sort (reminders, compare_by_expiry);

  g_clear_pointer (&self->projects, g_hash_table_unref);
  self->projects = g_steal_pointer (&refresh->projects);
  g_clear_error (&self->error);
  self->error = g_steal_pointer (&refresh->error);

  due = exk_expiry_reminders_decide (self, reminders, refresh->complete);

  g_list_store_splice (self->items, 0, n_before, reminders->pdata, reminders->len);
  exk_expiry_reminders_count (self, now);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  for (guint i = 0; i < due->len; i++)
    g_signal_emit (self, signals[REMINDER_DUE], 0, g_ptr_array_index (due, i));
  g_signal_emit (self, signals[REFRESHED], 0);

  refresh_free (refresh);
}

/* One answer less to wait for; a cancelled refresh ends quietly. */
static void
refresh_step_done (Refresh *refresh)
{
  if (--refresh->pending > 0)
    return;

  if (g_cancellable_is_cancelled (refresh->cancellable))
    {
      refresh_free (refresh);
      return;
    }

  exk_expiry_reminders_finish_refresh (refresh);
}

static void
on_tokens_listed (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GPtrArray) tokens = NULL;
  GError *error = NULL;

  tokens = exk_client_list_organization_tokens_finish (EXK_CLIENT (source), result, &error);
  if (tokens == NULL)
    refresh_fail (refresh, error);
  else
    g_ptr_array_extend_and_steal (refresh->tokens, g_steal_pointer (&tokens));

  refresh_step_done (refresh);
}

static void
on_projects_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GPtrArray) projects = NULL;
  GError *error = NULL;

  projects = exk_client_list_projects_finish (EXK_CLIENT (source), result, &error);
  if (projects == NULL)
    refresh_fail (refresh, error);
  else
    for (guint i = 0; i < projects->len; i++)
      {
        ExkProject *project = g_ptr_array_index (projects, i);

        g_hash_table_replace (refresh->projects, (gpointer) exk_project_get_id (project),
                              g_object_ref (project));
      }

  refresh_step_done (refresh);
}

static void
on_organizations_listed (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  Refresh *refresh = user_data;
  g_autoptr(GPtrArray) organizations = NULL;
  GError *error = NULL;

  organizations = exk_client_list_organizations_finish (EXK_CLIENT (source), result, &error);
  if (organizations == NULL)
    refresh_fail (refresh, error);
  else
    for (guint i = 0; i < organizations->len; i++)
      {
        ExkOrganization *organization = g_ptr_array_index (organizations, i);

        refresh->pending++;
        exk_client_list_organization_tokens_async (refresh->client,
                                                   exk_organization_get_id (organization),
                                                   refresh->cancellable, on_tokens_listed,
                                                   refresh);
      }

  refresh_step_done (refresh);
}

static void
exk_expiry_reminders_cancel (ExkExpiryReminders *self)
{
  if (self->refresh == NULL)
    return;

  /* Its callbacks still come, and free it. */
  g_cancellable_cancel (self->refresh->cancellable);
  self->refresh = NULL;
}

static gboolean
on_timer (gpointer user_data)
{
  exk_expiry_reminders_refresh (EXK_EXPIRY_REMINDERS (user_data));

  return G_SOURCE_CONTINUE;
}

static void
exk_expiry_reminders_dispose (GObject *object)
{
  ExkExpiryReminders *self = EXK_EXPIRY_REMINDERS (object);

  exk_expiry_reminders_cancel (self);
  g_clear_handle_id (&self->timer, g_source_remove);

  G_OBJECT_CLASS (exk_expiry_reminders_parent_class)->dispose (object);
}

static void
exk_expiry_reminders_finalize (GObject *object)
{
  ExkExpiryReminders *self = EXK_EXPIRY_REMINDERS (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->items);
  g_clear_pointer (&self->account_print, g_free);
  g_clear_pointer (&self->projects, g_hash_table_unref);
  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (exk_expiry_reminders_parent_class)->finalize (object);
}

static void
exk_expiry_reminders_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ExkExpiryReminders *self = EXK_EXPIRY_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->refresh != NULL);
      break;
    case PROP_EXPIRING_THIS_WEEK:
      g_value_set_uint (value, self->expiring_this_week);
      break;
    case PROP_EXPIRING_SOON:
      g_value_set_uint (value, self->expiring_soon);
      break;
    case PROP_EXPIRED:
      g_value_set_uint (value, self->expired);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_expiry_reminders_class_init (ExkExpiryRemindersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = exk_expiry_reminders_dispose;
  object_class->finalize = exk_expiry_reminders_finalize;
  object_class->get_property = exk_expiry_reminders_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Not yet expired, within 7 days. */
  properties[PROP_EXPIRING_THIS_WEEK] =
    g_param_spec_uint ("expiring-this-week", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Not yet expired, within 14 days (this week's included). */
  properties[PROP_EXPIRING_SOON] =
    g_param_spec_uint ("expiring-soon", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Expired within the last 7 days. */
  properties[PROP_EXPIRED] =
    g_param_spec_uint ("expired", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ExkExpiryReminders::reminder-due:
   * @reminder: the key and the threshold it reached
   *
   * A key reached a threshold that was not reminded of yet, for this
   * account, in this run or an earlier one. Already remembered as sent.
   */
  signals[REMINDER_DUE] =
    g_signal_new ("reminder-due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, EXK_TYPE_EXPIRY_REMINDER);

  /**
   * ExkExpiryReminders::refreshed:
   *
   * A refresh ended (not when cancelled), with or without an error.
   */
  signals[REFRESHED] =
    g_signal_new ("refreshed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
exk_expiry_reminders_init (ExkExpiryReminders *self)
{
  self->items = g_list_store_new (EXK_TYPE_EXPIRY_REMINDER);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (g_list_model_items_changed),
                           self, G_CONNECT_SWAPPED);
}

ExkExpiryReminders *
exk_expiry_reminders_new (GSettings *settings)
{
  ExkExpiryReminders *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (EXK_TYPE_EXPIRY_REMINDERS, NULL);
  self->settings = g_object_ref (settings);

  return self;
}

/**
 * exk_expiry_reminders_set_client:
 * @client: (nullable): the active account's client; %NULL when signed out
 * @account_key: (nullable): the account's key (exk_account_dup_key())
 *
 * Follows the active account: its keys are listed now and every hour.
 */
void
exk_expiry_reminders_set_client (ExkExpiryReminders *self,
                                 ExkClient          *client,
                                 const char         *account_key)
{
  g_autofree char *print = NULL;

  g_return_if_fail (EXK_IS_EXPIRY_REMINDERS (self));
  g_return_if_fail (client == NULL || EXK_IS_CLIENT (client));
  g_return_if_fail (client == NULL || account_key != NULL);

  if (client == self->client)
    return;

  exk_expiry_reminders_cancel (self);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_set_object (&self->client, client);

  print = account_key != NULL ? exk_rotations_fingerprint (account_key) : NULL;
  g_free (self->account_print);
  self->account_print = print != NULL ? g_strndup (print, ACCOUNT_PRINT_LEN) : NULL;

  /* Another account's keys are not this one's to show, even for a moment. */
  g_list_store_remove_all (self->items);
  g_clear_pointer (&self->projects, g_hash_table_unref);
  g_clear_error (&self->error);
  exk_expiry_reminders_set_counts (self, 0, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  if (client != NULL)
    {
      self->timer = g_timeout_add_seconds_full (G_PRIORITY_LOW, REFRESH_SECONDS, on_timer, self,
                                                NULL);
      exk_expiry_reminders_refresh (self);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

ExkClient *
exk_expiry_reminders_get_client (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);

  return self->client;
}

/**
 * exk_expiry_reminders_refresh:
 *
 * Lists the keys of every organization again (a refresh in flight is
 * dropped for this one). Nothing happens without a client.
 */
void
exk_expiry_reminders_refresh (ExkExpiryReminders *self)
{
  Refresh *refresh;

  g_return_if_fail (EXK_IS_EXPIRY_REMINDERS (self));

  if (self->client == NULL)
    return;

  exk_expiry_reminders_cancel (self);

  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  refresh->cancellable = g_cancellable_new ();
  refresh->client = g_object_ref (self->client);
  refresh->tokens = g_ptr_array_new_with_free_func (g_object_unref);
  refresh->projects = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  refresh->complete = TRUE;
  refresh->pending = 2;
  self->refresh = refresh;

  exk_client_list_organizations_async (self->client, refresh->cancellable,
                                       on_organizations_listed, refresh);
  exk_client_list_projects_async (self->client, EXK_PROJECT_LIST_NONE, refresh->cancellable,
                                  on_projects_listed, refresh);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

gboolean
exk_expiry_reminders_get_loading (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), FALSE);

  return self->refresh != NULL;
}

/* Why the last refresh was incomplete, or NULL. */
const GError *
exk_expiry_reminders_get_error (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);

  return self->error;
}

guint
exk_expiry_reminders_get_expiring_this_week (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), 0);

  return self->expiring_this_week;
}

guint
exk_expiry_reminders_get_expiring_soon (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), 0);

  return self->expiring_soon;
}

guint
exk_expiry_reminders_get_expired (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), 0);

  return self->expired;
}

/**
 * exk_expiry_reminders_find:
 * @fingerprint: a key's SHA-256 (exk_expiry_reminder_get_fingerprint())
 *
 * Returns: (transfer none) (nullable): the reminder of that key, if it is listed
 */
ExkExpiryReminder *
exk_expiry_reminders_find (ExkExpiryReminders *self,
                           const char         *fingerprint)
{
  guint n;

  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkExpiryReminder) reminder = g_list_model_get_item (G_LIST_MODEL (self->items),
                                                                     i);

      if (g_str_equal (exk_expiry_reminder_get_fingerprint (reminder), fingerprint))
        return reminder;
    }

  return NULL;
}

/**
 * exk_expiry_reminders_find_project:
 *
 * Returns: (transfer none) (nullable): a project of the last refresh
 */
ExkProject *
exk_expiry_reminders_find_project (ExkExpiryReminders *self,
                                   const char         *project_id)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  return self->projects != NULL ? g_hash_table_lookup (self->projects, project_id) : NULL;
}

/**
 * exk_expiry_reminders_dup_now:
 *
 * Returns: (transfer full): the time the reminders are reckoned from
 */
GDateTime *
exk_expiry_reminders_dup_now (ExkExpiryReminders *self)
{
  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);

  return self->now != NULL ? g_date_time_ref (self->now) : g_date_time_new_now_utc ();
}

/**
 * exk_expiry_reminders_set_now:
 * @now: (nullable): a fixed time; %NULL for the clock
 *
 * For the tests: reminders as they would be at @now, from the next refresh.
 */
void
exk_expiry_reminders_set_now (ExkExpiryReminders *self,
                              GDateTime          *now)
{
  g_return_if_fail (EXK_IS_EXPIRY_REMINDERS (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now != NULL ? g_date_time_ref (now) : NULL;
}

static gboolean
same_reminder (ExkExpiryReminder *a,
               ExkExpiryReminder *b)
{
  return g_str_equal (exk_expiry_reminder_get_fingerprint (a),
                      exk_expiry_reminder_get_fingerprint (b))
         && exk_expiry_reminder_get_threshold (a) == exk_expiry_reminder_get_threshold (b)
         && g_date_time_equal (exk_expiry_reminder_get_expires (a),
                               exk_expiry_reminder_get_expires (b));
}

/**
 * exk_expiry_reminders_sync_project:
 * @project: a project of the active account
 * @keys: (element-type ExkToken): all of its keys, as its page loaded them
 *
 * Takes what a project's page knows now (a key disabled, deleted or added
 * there) into the list and its counts, without asking the server. Whether
 * to notify is left to the next refresh, which sees every organization.
 */
void
exk_expiry_reminders_sync_project (ExkExpiryReminders *self,
                                   ExkProject         *project,
                                   GListModel         *keys)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  const char *project_id;
  gboolean changed;
  guint n;

  g_return_if_fail (EXK_IS_EXPIRY_REMINDERS (self));
  g_return_if_fail (EXK_IS_PROJECT (project));
  g_return_if_fail (G_IS_LIST_MODEL (keys));

  if (self->client == NULL)
    return;

  now = exk_expiry_reminders_dup_now (self);
  project_id = exk_project_get_id (project);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      ExkExpiryReminder *reminder = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_str_equal (exk_project_get_id (exk_expiry_reminder_get_project (reminder)),
                       project_id))
        g_ptr_array_add (old, reminder);
      else
        g_ptr_array_add (all, reminder);
    }

  n = g_list_model_get_n_items (keys);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ExkToken) token = g_list_model_get_item (keys, i);
      ExkExpiryThreshold threshold;
      g_autofree char *print = NULL;

      if (exk_token_get_is_disabled (token))
        continue;
      threshold = exk_expiry_threshold_for (exk_token_get_expires (token), now);
      if (threshold == EXK_EXPIRY_THRESHOLD_NONE)
        continue;

      print = exk_rotations_fingerprint (exk_token_get_id (token));
      g_ptr_array_add (fresh, exk_expiry_reminder_new (token, project, threshold, print));
    }
  g_ptr_array_sort (fresh, compare_by_expiry);

  changed = old->len != fresh->len;
  for (guint i = 0; !changed && i < old->len; i++)
    changed = !same_reminder (g_ptr_array_index (old, i), g_ptr_array_index (fresh, i));
  if (!changed)
    return;

  for (guint i = 0; i < fresh->len; i++)
    g_ptr_array_add (all, g_object_ref (g_ptr_array_index (fresh, i)));
  g_ptr_array_sort (all, compare_by_expiry);
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       all->pdata, all->len);
  exk_expiry_reminders_count (self, now);
}

/**
 * exk_expiry_reminders_dup_banner_text:
 *
 * Returns: (transfer full) (nullable): what the window's banner says, a
 *   sentence per case, or %NULL when no key expires soon
 */
char *
exk_expiry_reminders_dup_banner_text (ExkExpiryReminders *self)
{
  guint soon, expired, week;

  g_return_val_if_fail (EXK_IS_EXPIRY_REMINDERS (self), NULL);

  soon = self->expiring_soon;
  expired = self->expired;
  week = self->expiring_this_week;

  if (soon == 0 && expired == 0)
    return NULL;

  if (soon == 0)
    /* Translators: a banner over the window; its button says “Review”. */
    return g_strdup_printf (ngettext ("%u API key expired in the last week",
                                      "%u API keys expired in the last week", expired),
                            expired);

  if (expired == 0 && week == soon)
    /* Translators: a banner over the window; its button says “Review”. */
    return g_strdup_printf (ngettext ("%u API key expires this week",
                                      "%u API keys expire this week", soon), soon);

  if (expired == 0)
    /* Translators: a banner over the window; its button says “Review”. */
    return g_strdup_printf (ngettext ("%u API key expires within two weeks",
                                      "%u API keys expire within two weeks", soon), soon);

  /* Translators: a banner over the window; its button says “Review”. Some
   * of the keys have expired in the last week, the others expire within two. */
  return g_strdup_printf (ngettext ("%u API key has expired or expires soon",
                                    "%u API keys have expired or expire soon", soon + expired),
                          soon + expired);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-format.h"
#include "exk-leak-replacement.h"

/* Replacing a key that leaked: a replacement with the same scopes, notes and
 * expiry (as an ordinary rotation makes it, see exk_key_list_rotate_async()),
 * then the leaked key disabled at once, then the link between the two kept.
 *
 * Each step has a state that says only what the server said: a step is done
 * once the server answered that it did it, and failed with its reason
 * otherwise. Running again runs only the steps that are not done, so a retry
 * after a failure never makes a second replacement.
 *
 * A step that was sent always runs to its answer (the client has a timeout):
 * cancelling stops before the next step, so that what the server did is
 * always known. With a key list (the project page's), the steps go through
 * it, so that the list shows the new key and the disabled one as soon as the
 * server confirmed each. */
struct _ExkLeakReplacement
{
  GObject           parent_instance;

  ExkClient        *client;
  ExkToken         *leaked;
  ExkRotations     *rotations;
  ExkKeyList       *key_list;
  ExkToken         *new_key;
  char             *new_notes;
  ExkHistory       *history;
  char             *project_name;
  gboolean          recorded;        /* the replacement is in the history */

  ExkLeakStepState  states[EXK_LEAK_N_STEPS];
  GError           *errors[EXK_LEAK_N_STEPS];
  gboolean          attempted[EXK_LEAK_N_STEPS];   /* in the current run */
  gboolean          running;
};

G_DEFINE_ENUM_TYPE (ExkLeakStepState, exk_leak_step_state,
  G_DEFINE_ENUM_VALUE (EXK_LEAK_STEP_PENDING, "pending"),
  G_DEFINE_ENUM_VALUE (EXK_LEAK_STEP_RUNNING, "running"),
  G_DEFINE_ENUM_VALUE (EXK_LEAK_STEP_DONE, "done"),
  G_DEFINE_ENUM_VALUE (EXK_LEAK_STEP_SKIPPED, "skipped"),
  G_DEFINE_ENUM_VALUE (EXK_LEAK_STEP_FAILED, "failed"))

G_DEFINE_FINAL_TYPE (ExkLeakReplacement, exk_leak_replacement, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LEAKED,
  PROP_KEY_LIST,
  PROP_NEW_KEY,
  PROP_NEW_NOTES,
  PROP_CREATE_STATE,
  PROP_DISABLE_STATE,
  PROP_LINK_STATE,
  PROP_CREATE_ERROR,
  PROP_DISABLE_ERROR,
  PROP_LINK_ERROR,
  PROP_RUNNING,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const guint state_props[EXK_LEAK_N_STEPS] = {
  PROP_CREATE_STATE, PROP_DISABLE_STATE, PROP_LINK_STATE,
};

static const guint error_props[EXK_LEAK_N_STEPS] = {
  PROP_CREATE_ERROR, PROP_DISABLE_ERROR, PROP_LINK_ERROR,
};

static void run_next (GTask *task);

/* Helpers */

static gboolean
is_finished (ExkLeakStepState state)
{
  return state == EXK_LEAK_STEP_DONE || state == EXK_LEAK_STEP_SKIPPED;
}

static gboolean
compute_complete (ExkLeakReplacement *self)
{
  for (guint i = 0; i < EXK_LEAK_N_STEPS; i++)
    if (!is_finished (self->states[i]))
      return FALSE;

  return TRUE;
}

static void
set_state (ExkLeakReplacement *self,
           ExkLeakStep         step,
           ExkLeakStepState    state,
           const GError       *error)
{
  gboolean was_complete = compute_complete (self);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->errors[step] != NULL || error != NULL)
    {
      g_clear_error (&self->errors[step]);
      if (error != NULL)
        self->errors[step] = g_error_copy (error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[error_props[step]]);
    }

  if (self->states[step] != state)
    {
      self->states[step] = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[state_props[step]]);
    }

  if (was_complete != compute_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);

  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_running (ExkLeakReplacement *self,
             gboolean            running)
{
  if (self->running == running)
    return;

  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* The key list, if the step can go through it: it is open, and it is the
 * leaked key's project (to create) or it lists the leaked key (to disable). */
static ExkKeyList *
usable_key_list (ExkLeakReplacement *self,
                 ExkLeakStep         step)
{
  ExkKeyList *key_list = self->key_list;

  if (key_list == NULL || exk_key_list_get_closed (key_list))
    return NULL;

  if (step == EXK_LEAK_STEP_CREATE
      && g_strcmp0 (exk_project_get_id (exk_key_list_get_project (key_list)),
                    exk_token_get_project_id (self->leaked)) != 0)
    return NULL;

  if (step == EXK_LEAK_STEP_DISABLE
      && exk_key_list_find (key_list, exk_token_get_id (self->leaked), NULL) == NULL)
    return NULL;

  return key_list;
}

/* A key list that was closed (the user left the project or the account)
 * stops waiting for the server, which may have done the step all the same. */
static GError *
explain_error (GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_error_free (error);
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              _("Exkeys stopped waiting for the server’s answer: the server may "
                                "have done it all the same. Refresh the list of keys to see."));
}

static void
step_failed (GTask       *task,
             ExkLeakStep  step,
             GError      *error)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);
  g_autoptr(GError) explained = explain_error (error);

  set_state (self, step, EXK_LEAK_STEP_FAILED, explained);
  run_next (task);
}

/* A change the server confirmed, for the History page. Through the key
 * list, the list records each request itself. */
static void
record (ExkLeakReplacement *self,
        ExkHistoryAction    action,
        ExkToken           *token,
        ExkToken           *replacement)
{
  if (self->history == NULL)
    return;

  exk_history_record (self->history, action, exk_token_get_project_id (self->leaked),
                      self->project_name, exk_token_get_id (token),
                      replacement != NULL ? exk_token_get_id (replacement) : NULL,
                      exk_token_get_notes (replacement != NULL ? replacement : token));
}

/* Steps */

static void
finish_create (GTask    *task,
               ExkToken *created,
               gboolean  recorded)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);

  if (!recorded)
    record (self, EXK_HISTORY_ACTION_CREATED, created, NULL);

  if (g_set_object (&self->new_key, created))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEW_KEY]);
  set_state (self, EXK_LEAK_STEP_CREATE, EXK_LEAK_STEP_DONE, NULL);
  run_next (task);
}

static void
on_created_in_list (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ExkToken) created = NULL;
  GError *error = NULL;

  created = exk_key_list_create_finish (EXK_KEY_LIST (source), result, &error);
  if (created == NULL)
    step_failed (task, EXK_LEAK_STEP_CREATE, error);
  else
    finish_create (task, created, TRUE);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ExkToken) created = NULL;
  GError *error = NULL;

  created = exk_client_create_token_finish (EXK_CLIENT (source), result, &error);
  if (created == NULL)
    step_failed (task, EXK_LEAK_STEP_CREATE, error);
  else
    finish_create (task, created, FALSE);
}

static void
start_create (GTask *task)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *project_id = exk_token_get_project_id (self->leaked);
  const char * const *scopes = exk_token_get_scopes (self->leaked);
  GDateTime *expires = NULL;
  ExkKeyList *key_list = usable_key_list (self, EXK_LEAK_STEP_CREATE);

  /* As an ordinary rotation does: the same expiry, or none once it has
   * passed (the replacement would fail at once). */
  if (!exk_token_is_expired (self->leaked, now))
    expires = exk_token_get_expires (self->leaked);

  set_state (self, EXK_LEAK_STEP_CREATE, EXK_LEAK_STEP_RUNNING, NULL);

  if (project_id == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_VALIDATION,
                                   _("Exkeys can replace only keys that belong to a project. "
                                     "Disable this key, then make a new one in the "
                                     "Exceptionless web app."));
      step_failed (task, EXK_LEAK_STEP_CREATE, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  if (key_list != NULL)
    exk_key_list_create_async (key_list, scopes, self->new_notes, expires, on_created_in_list,
                               task);
  else
    exk_client_create_token_async (self->client, project_id, scopes, self->new_notes, expires,
                                   NULL, on_created, task);
}

static void
finish_disable (GTask    *task,
                ExkToken *updated,
                gboolean  recorded)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);

  if (!recorded)
    record (self, EXK_HISTORY_ACTION_DISABLED, updated != NULL ? updated : self->leaked, NULL);

  /* The caller's object says what the server said, whoever holds it. */
  if (updated != NULL && updated != self->leaked)
    exk_token_update_from (self->leaked, updated);

  set_state (self, EXK_LEAK_STEP_DISABLE, EXK_LEAK_STEP_DONE, NULL);
  run_next (task);
}

static void
on_disabled_in_list (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExkLeakReplacement *self = g_task_get_source_object (task);
  ExkKeyList *key_list = EXK_KEY_LIST (source);
  GError *error = NULL;

  if (!exk_key_list_set_disabled_finish (key_list, result, &error))
    step_failed (task, EXK_LEAK_STEP_DISABLE, error);
  else
    finish_disable (task, exk_key_list_find (key_list, exk_token_get_id (self->leaked), NULL),
                    TRUE);
}

static void
on_disabled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(ExkToken) updated = NULL;
  GError *error = NULL;

  updated = exk_client_set_token_disabled_finish (EXK_CLIENT (source), result, &error);
  if (updated == NULL)
    {
      step_failed (task, EXK_LEAK_STEP_DISABLE, error);
      return;
    }

  /* The server answers with the key as it now is: a PATCH it ignored is not a success. */
  if (!exk_token_get_is_disabled (updated))
    {
      step_failed (task, EXK_LEAK_STEP_DISABLE,
                   g_error_new_literal (EXK_API_ERROR, EXK_API_ERROR_INVALID_RESPONSE,
                                        _("The server answered, but the key is still "
                                          "enabled.")));
      return;
    }

  finish_disable (task, updated, FALSE);
}

static void
start_disable (GTask *task)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);
  const char *id = exk_token_get_id (self->leaked);
  ExkKeyList *key_list = usable_key_list (self, EXK_LEAK_STEP_DISABLE);

  set_state (self, EXK_LEAK_STEP_DISABLE, EXK_LEAK_STEP_RUNNING, NULL);

  if (key_list != NULL)
    exk_key_list_set_disabled_async (key_list, id, TRUE, on_disabled_in_list, task);
  else
    exk_client_set_token_disabled_async (self->client, id, TRUE, NULL, on_disabled, task);
}

static void
do_link (ExkLeakReplacement *self)
{
  if (self->rotations == NULL)
    {
      set_state (self, EXK_LEAK_STEP_LINK, EXK_LEAK_STEP_SKIPPED, NULL);
      return;
    }

  exk_rotations_add (self->rotations, exk_token_get_project_id (self->leaked),
                     exk_token_get_id (self->new_key), exk_token_get_id (self->leaked));
  set_state (self, EXK_LEAK_STEP_LINK, EXK_LEAK_STEP_DONE, NULL);
}

static void
finish_run (GTask *task)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);

  /* The whole replacement, once: a new key, and the leaked one no longer works. */
  if (!self->recorded && self->states[EXK_LEAK_STEP_CREATE] == EXK_LEAK_STEP_DONE
      && is_finished (self->states[EXK_LEAK_STEP_DISABLE]))
    {
      self->recorded = TRUE;
      record (self, EXK_HISTORY_ACTION_LEAK_REPLACED, self->leaked, self->new_key);
    }

  set_running (self, FALSE);

  for (guint i = 0; i < EXK_LEAK_N_STEPS; i++)
    if (self->states[i] == EXK_LEAK_STEP_FAILED)
      {
        g_task_return_error (task, g_error_copy (self->errors[i]));
        return;
      }

  g_task_return_boolean (task, TRUE);
}

/* Starts the next step that is not done and was not tried in this run, or
 * ends the run. Takes over @task's reference when it sends a request. */
static void
run_next (GTask *task)
{
  ExkLeakReplacement *self = g_task_get_source_object (task);

  /* Between steps only: a step that was sent is always answered. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      set_running (self, FALSE);
      g_task_return_error_if_cancelled (task);
      return;
    }

  /* No disabling without a replacement: the key's users would be left with none. */
  if (self->states[EXK_LEAK_STEP_CREATE] != EXK_LEAK_STEP_DONE)
    {
      if (self->attempted[EXK_LEAK_STEP_CREATE])
        {
          finish_run (task);
          return;
        }

      self->attempted[EXK_LEAK_STEP_CREATE] = TRUE;
      start_create (g_object_ref (task));
      return;
    }

  if (!is_finished (self->states[EXK_LEAK_STEP_DISABLE])
      && !self->attempted[EXK_LEAK_STEP_DISABLE])
    {
      self->attempted[EXK_LEAK_STEP_DISABLE] = TRUE;

      /* Disabled meanwhile (another action, another person): nothing to send. */
      if (exk_token_get_is_disabled (self->leaked))
        set_state (self, EXK_LEAK_STEP_DISABLE, EXK_LEAK_STEP_SKIPPED, NULL);
      else
        {
          start_disable (g_object_ref (task));
          return;
        }
    }

  /* Kept even when disabling failed: the list then shows which key replaces
   * the one that still works. */
  if (!is_finished (self->states[EXK_LEAK_STEP_LINK]) && !self->attempted[EXK_LEAK_STEP_LINK])
    {
      self->attempted[EXK_LEAK_STEP_LINK] = TRUE;
      do_link (self);
    }

  finish_run (task);
}

/* GObject */

static void
exk_leak_replacement_dispose (GObject *object)
{
  ExkLeakReplacement *self = EXK_LEAK_REPLACEMENT (object);

  g_clear_object (&self->key_list);

  G_OBJECT_CLASS (exk_leak_replacement_parent_class)->dispose (object);
}

static void
exk_leak_replacement_finalize (GObject *object)
{
  ExkLeakReplacement *self = EXK_LEAK_REPLACEMENT (object);

  g_clear_object (&self->client);
  g_clear_object (&self->leaked);
  g_clear_object (&self->rotations);
  g_clear_object (&self->new_key);
  g_clear_pointer (&self->new_notes, g_free);
  g_clear_object (&self->history);
  g_clear_pointer (&self->project_name, g_free);
  for (guint i = 0; i < EXK_LEAK_N_STEPS; i++)
    g_clear_error (&self->errors[i]);

  G_OBJECT_CLASS (exk_leak_replacement_parent_class)->finalize (object);
}

static void
exk_leak_replacement_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ExkLeakReplacement *self = EXK_LEAK_REPLACEMENT (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LEAKED:
      g_value_set_object (value, self->leaked);
      break;
    case PROP_KEY_LIST:
      g_value_set_object (value, self->key_list);
      break;
    case PROP_NEW_KEY:
      g_value_set_object (value, self->new_key);
      break;
    case PROP_NEW_NOTES:
      g_value_set_string (value, self->new_notes);
      break;
    case PROP_CREATE_STATE:
      g_value_set_enum (value, self->states[EXK_LEAK_STEP_CREATE]);
      break;
    case PROP_DISABLE_STATE:
      g_value_set_enum (value, self->states[EXK_LEAK_STEP_DISABLE]);
      break;
    case PROP_LINK_STATE:
      g_value_set_enum (value, self->states[EXK_LEAK_STEP_LINK]);
      break;
    case PROP_CREATE_ERROR:
      g_value_set_boxed (value, self->errors[EXK_LEAK_STEP_CREATE]);
      break;
    case PROP_DISABLE_ERROR:
      g_value_set_boxed (value, self->errors[EXK_LEAK_STEP_DISABLE]);
      break;
    case PROP_LINK_ERROR:
      g_value_set_boxed (value, self->errors[EXK_LEAK_STEP_LINK]);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, compute_complete (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_leak_replacement_class_init (ExkLeakReplacementClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = exk_leak_replacement_dispose;
  object_class->finalize = exk_leak_replacement_finalize;
  object_class->get_property = exk_leak_replacement_get_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, EXK_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * ExkLeakReplacement:leaked:
   *
   * The leaked key. Disabling it updates this object.
   */
  properties[PROP_LEAKED] =
    g_param_spec_object ("leaked", NULL, NULL, EXK_TYPE_TOKEN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_LIST] =
    g_param_spec_object ("key-list", NULL, NULL, EXK_TYPE_KEY_LIST, flags);
  /**
   * ExkLeakReplacement:new-key:
   *
   * The replacement, once the server made it.
   */
  properties[PROP_NEW_KEY] =
    g_param_spec_object ("new-key", NULL, NULL, EXK_TYPE_TOKEN, flags);
  /**
   * ExkLeakReplacement:new-notes:
   *
   * The notes the replacement gets: the leaked key's, with “(replaces leaked …)”.
   */
  properties[PROP_NEW_NOTES] =
    g_param_spec_string ("new-notes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATE_STATE] =
    g_param_spec_enum ("create-state", NULL, NULL, EXK_TYPE_LEAK_STEP_STATE,
                       EXK_LEAK_STEP_PENDING, flags);
  properties[PROP_DISABLE_STATE] =
    g_param_spec_enum ("disable-state", NULL, NULL, EXK_TYPE_LEAK_STEP_STATE,
                       EXK_LEAK_STEP_PENDING, flags);
  properties[PROP_LINK_STATE] =
    g_param_spec_enum ("link-state", NULL, NULL, EXK_TYPE_LEAK_STEP_STATE,
                       EXK_LEAK_STEP_PENDING, flags);
  /**
   * ExkLeakReplacement:create-error:
   *
   * Why the server did not create the replacement, while the step is failed.
   */
  properties[PROP_CREATE_ERROR] =
    g_param_spec_boxed ("create-error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_DISABLE_ERROR] =
    g_param_spec_boxed ("disable-error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_LINK_ERROR] =
    g_param_spec_boxed ("link-error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  /**
   * ExkLeakReplacement:complete:
   *
   * Every step is done or not needed.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_leak_replacement_init (ExkLeakReplacement *self)
{
}

/* Public API */

/**
 * exk_leak_replacement_new:
 * @client: the client of the account that sees @leaked
 * @leaked: the key to replace; it must belong to a project
 * @rotations: (nullable): where the account keeps which key replaces which
 *
 * Returns: (transfer full): a replacement with no step done yet; a key
 *   already disabled needs no disabling (the step is skipped)
 */
ExkLeakReplacement *
exk_leak_replacement_new (ExkClient    *client,
                          ExkToken     *leaked,
                          ExkRotations *rotations)
{
  ExkLeakReplacement *self;
  g_autofree char *prefix = NULL;
  const char *notes;

  g_return_val_if_fail (EXK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (EXK_IS_TOKEN (leaked), NULL);
  g_return_val_if_fail (rotations == NULL || EXK_IS_ROTATIONS (rotations), NULL);

  self = g_object_new (EXK_TYPE_LEAK_REPLACEMENT, NULL);
  self->client = g_object_ref (client);
  self->leaked = g_object_ref (leaked);
  self->rotations = rotations != NULL ? g_object_ref (rotations) : NULL;

  prefix = exk_format_key_prefix (exk_token_get_id (leaked));
  notes = exk_token_get_notes (leaked);
  if (notes != NULL && notes[0] != '\0')
    /* Translators: the notes of a key made to replace a leaked one, stored on
     * the server: the leaked key's notes, then the beginning of that key,
     * e.g. “Web servers (replaces leaked LhhP1C…)”. */
    self->new_notes = g_strdup_printf (_("%1$s (replaces leaked %2$s)"), notes, prefix);
  else
    /* Translators: the notes of a key made to replace a leaked one that had
     * none; %s is the beginning of the leaked key, e.g. “LhhP1C…”. */
    self->new_notes = g_strdup_printf (_("(replaces leaked %s)"), prefix);

  if (exk_token_get_is_disabled (leaked))
    self->states[EXK_LEAK_STEP_DISABLE] = EXK_LEAK_STEP_SKIPPED;
  if (rotations == NULL)
    self->states[EXK_LEAK_STEP_LINK] = EXK_LEAK_STEP_SKIPPED;

  return self;
}

/**
 * exk_leak_replacement_set_key_list:
 * @key_list: (nullable): the keys of the leaked key's project, as a page shows them
 *
 * Sends the steps through @key_list, so that it shows the replacement and
 * the disabled key as soon as the server confirmed each: the create when it
 * is the leaked key's project, the disable while it lists the leaked key.
 * Set before running.
 */
void
exk_leak_replacement_set_key_list (ExkLeakReplacement *self,
                                   ExkKeyList         *key_list)
{
  g_return_if_fail (EXK_IS_LEAK_REPLACEMENT (self));
  g_return_if_fail (key_list == NULL || EXK_IS_KEY_LIST (key_list));
  g_return_if_fail (!self->running);

  if (g_set_object (&self->key_list, key_list))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_LIST]);
}

/**
 * exk_leak_replacement_set_history:
 * @history: (nullable): where to record what the server confirmed
 * @project_name: (nullable): the leaked key's project, as the history shows it
 *
 * Set before running. The whole replacement is recorded once it is done; so
 * are its requests, unless the key list sends (and records) them.
 */
void
exk_leak_replacement_set_history (ExkLeakReplacement *self,
                                  ExkHistory         *history,
                                  const char         *project_name)
{
  g_return_if_fail (EXK_IS_LEAK_REPLACEMENT (self));
  g_return_if_fail (history == NULL || EXK_IS_HISTORY (history));

  g_set_object (&self->history, history);
  g_free (self->project_name);
  self->project_name = g_strdup (project_name);
}

/**
 * exk_leak_replacement_get_key_list:
 *
 * Returns: (transfer none) (nullable): the key list the steps go through
 */
ExkKeyList *
exk_leak_replacement_get_key_list (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);

  return self->key_list;
}

ExkClient *
exk_leak_replacement_get_client (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);

  return self->client;
}

ExkToken *
exk_leak_replacement_get_leaked (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);

  return self->leaked;
}

/**
 * exk_leak_replacement_get_new_key:
 *
 * Returns: (transfer none) (nullable): the replacement, once the server made it
 */
ExkToken *
exk_leak_replacement_get_new_key (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);

  return self->new_key;
}

const char *
exk_leak_replacement_get_new_notes (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);

  return self->new_notes;
}

ExkLeakStepState
exk_leak_replacement_get_state (ExkLeakReplacement *self,
                                ExkLeakStep         step)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), EXK_LEAK_STEP_PENDING);
  g_return_val_if_fail (step < EXK_LEAK_N_STEPS, EXK_LEAK_STEP_PENDING);

  return self->states[step];
}

/**
 * exk_leak_replacement_get_error:
 *
 * Returns: (nullable): why @step failed, while it is failed
 */
const GError *
exk_leak_replacement_get_error (ExkLeakReplacement *self,
                                ExkLeakStep         step)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), NULL);
  g_return_val_if_fail (step < EXK_LEAK_N_STEPS, NULL);

  return self->errors[step];
}

gboolean
exk_leak_replacement_get_running (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), FALSE);

  return self->running;
}

/* Whether a run began: the replacement was asked for at least once. */
gboolean
exk_leak_replacement_get_started (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), FALSE);

  return self->running || self->states[EXK_LEAK_STEP_CREATE] != EXK_LEAK_STEP_PENDING;
}

gboolean
exk_leak_replacement_get_complete (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), FALSE);

  return compute_complete (self);
}

/**
 * exk_leak_replacement_leaked_works:
 *
 * Returns: whether the leaked key may still work: this replacement neither
 *   disabled it nor found it disabled
 */
gboolean
exk_leak_replacement_leaked_works (ExkLeakReplacement *self)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), TRUE);

  return !is_finished (self->states[EXK_LEAK_STEP_DISABLE]);
}

/**
 * exk_leak_replacement_run_async:
 * @cancellable: (nullable): stops the run before its next step
 *
 * Runs the steps that are not done yet, in order, and stops at the first
 * that fails, except that the link is kept once the replacement exists.
 * Running again after a failure retries only what is not done.
 */
void
exk_leak_replacement_run_async (ExkLeakReplacement  *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (EXK_IS_LEAK_REPLACEMENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exk_leak_replacement_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The replacement is already running");
      return;
    }

  for (guint i = 0; i < EXK_LEAK_N_STEPS; i++)
    self->attempted[i] = FALSE;
  set_running (self, TRUE);
  run_next (task);
}

gboolean
exk_leak_replacement_run_finish (ExkLeakReplacement  *self,
                                 GAsyncResult        *result,
                                 GError             **error)
{
  g_return_val_if_fail (EXK_IS_LEAK_REPLACEMENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == exk_leak_replacement_run_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

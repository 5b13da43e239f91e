// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <glib/gi18n.h>

#include "exk-api-error.h"
#include "exk-format.h"
#include "exk-test-event.h"

/* Send Test Event: one log event posted with a client key (never the user's
 * token), as an application would, then the project's event count read a
 * few times with growing waits until it goes up. A 202 only says the server
 * queued the event, so "Received" waits for the count. */
struct _ExkTestEvent
{
  GObject            parent_instance;

  ExkClient         *client;
  ExkProject        *project;
  ExkTestEventState  state;
  char              *message;
  guint              first_poll_ms;

  /* The running send, while there is one. */
  GTask             *task;
  GCancellable      *cancellable;
  ExkToken          *key;
  gint64             baseline;      /* the event count before sending; -1: unknown */
  guint              polls;
  guint              poll_source;
};

G_DEFINE_FINAL_TYPE (ExkTestEvent, exk_test_event, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (ExkTestEventState, exk_test_event_state,
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_SENDING, "sending"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_REJECTED, "rejected"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_COUNTING, "counting"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_RECEIVED, "received"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_NOT_COUNTED, "not-counted"),
  G_DEFINE_ENUM_VALUE (EXK_TEST_EVENT_STOPPED, "stopped"))

enum {
  PROP_0,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
exk_test_event_set_state (ExkTestEvent      *self,
                          ExkTestEventState  state,
                          const char        *message)
{
  gboolean was_busy = exk_test_event_get_busy (self);

  g_free (self->message);
  self->message = g_strdup (message);
  self->state = state;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (was_busy != exk_test_event_get_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Ends the running send, once. */
static void
exk_test_event_finish_run (ExkTestEvent *self,
                           GError       *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->key);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* 401 does not say why; the key's own state usually does. */
static char *
dup_rejection (ExkToken     *key,
               const GError *error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *prefix = exk_format_key_prefix (exk_token_get_id (key));

  if (g_error_matches (error, EXK_API_ERROR, EXK_API_ERROR_UNAUTHORIZED))
    {
      if (exk_token_get_is_disabled (key))
        /* Translators: %s is the first characters of an API key */
        return g_strdup_printf (_("The server refused the event: key %s is disabled."), prefix);
      if (exk_token_is_expired (key, now))
        /* Translators: %s is the first characters of an API key */
        return g_strdup_printf (_("The server refused the event: key %s has expired."), prefix);
    }

  return g_strdup (error->message);
}

static void poll_count (ExkTestEvent *self);

static void
on_polled (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ExkTestEvent) self = user_data;
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = exk_client_get_project_finish (EXK_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->task == NULL)
    return;

  if (project != NULL && exk_project_get_event_count (project) > self->baseline)
    {
      exk_test_event_set_state (self, EXK_TEST_EVENT_RECEIVED,
                                _("Received: the project’s event count went up."));
      exk_test_event_finish_run (self, NULL);
      return;
    }

  /* A failed look is one look: the event may still be counted. */
  if (self->polls < EXK_TEST_EVENT_POLLS)
    {
      poll_count (self);
      return;
    }

  exk_test_event_set_state (self, EXK_TEST_EVENT_NOT_COUNTED,
                            _("Not counted yet — the server processes events in the "
                              "background. The project’s event count shows it when it is "
                              "done."));
  exk_test_event_finish_run (self, NULL);
}

static gboolean
on_poll_time (gpointer user_data)
{
  ExkTestEvent *self = user_data;

  self->poll_source = 0;
  self->polls++;
  exk_client_get_project_async (self->client, exk_project_get_id (self->project),
                                EXK_PROJECT_LIST_WITH_STATS, self->cancellable, on_polled,
                                g_object_ref (self));
  return G_SOURCE_REMOVE;
}

/* Waits 1, 2, 4, then 8 seconds: about 15 seconds in all. */
static void
poll_count (ExkTestEvent *self)
{
  guint delay = self->first_poll_ms << self->polls;

  self->poll_source = g_timeout_add (delay, on_poll_time, self);
}

static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ExkTestEvent) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!exk_client_send_test_event_finish (EXK_CLIENT (source), result, &error))
    {
      g_autofree char *reason = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (self->task != NULL)
            {
              exk_test_event_set_state (self, EXK_TEST_EVENT_STOPPED,
                                        _("Stopped before the server answered: the event may "
                                          "or may not have been received."));
              exk_test_event_finish_run (self, g_steal_pointer (&error));
            }
          return;
        }

      reason = dup_rejection (self->key, error);
      exk_test_event_set_state (self, EXK_TEST_EVENT_REJECTED, reason);
      exk_test_event_finish_run (self, g_steal_pointer (&error));
      return;
    }

  if (self->baseline < 0)
    {
      exk_test_event_set_state (self, EXK_TEST_EVENT_NOT_COUNTED,
                                _("The server accepted the event (202), but the project’s "
                                  "event count could not be read to see it arrive."));
      exk_test_event_finish_run (self, NULL);
      return;
    }

  exk_test_event_set_state (self, EXK_TEST_EVENT_COUNTING,
                            _("The server accepted the event (202). Waiting for it to be "
                              "counted…"));
  poll_count (self);
}

static void
on_baseline (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ExkTestEvent) self = user_data;
  g_autoptr(ExkProject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = exk_client_get_project_finish (EXK_CLIENT (source), result, &error);
  if (self->task == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      exk_test_event_set_state (self, EXK_TEST_EVENT_IDLE, NULL);
      exk_test_event_finish_run (self, g_steal_pointer (&error));
      return;
    }

  self->baseline = project != NULL ? exk_project_get_event_count (project) : -1;
  exk_client_send_test_event_async (self->client, exk_token_get_id (self->key),
                                    exk_project_get_id (self->project),
                                    _("Test event from Exkeys"), self->cancellable, on_posted,
                                    g_object_ref (self));
}

/**
 * exk_test_event_send_async:
 * @key: the client key to send the event with
 *
 * Reads the project's event count, posts one log event with @key, and
 * watches the count. Finishes with an error when the server refused the
 * event (the state says why), with %TRUE once it is received, not counted
 * after the last look, or no longer watched.
 */
void
exk_test_event_send_async (ExkTestEvent        *self,
                           ExkToken            *key,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *message = NULL;

  g_return_if_fail (EXK_IS_TEST_EVENT (self));
  g_return_if_fail (EXK_IS_TOKEN (key));

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, exk_test_event_send_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "A test event is already being sent");
      return;
    }

  self->task = g_steal_pointer (&task);
  self->cancellable = g_cancellable_new ();
  self->key = g_object_ref (key);
  self->baseline = -1;
  self->polls = 0;

  prefix = exk_format_key_prefix (exk_token_get_id (key));
  /* Translators: %s is the first characters of an API key */
  message = g_strdup_printf (_("Sending a test event with key %s…"), prefix);
  exk_test_event_set_state (self, EXK_TEST_EVENT_SENDING, message);

  exk_client_get_project_async (self->client, exk_project_get_id (self->project),
                                EXK_PROJECT_LIST_WITH_STATS, self->cancellable, on_baseline,
                                g_object_ref (self));
}

gboolean
exk_test_event_send_finish (ExkTestEvent  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (EXK_IS_TEST_EVENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * exk_test_event_stop:
 *
 * Stops watching the count (or sending), and says what is known.
 */
void
exk_test_event_stop (ExkTestEvent *self)
{
  g_return_if_fail (EXK_IS_TEST_EVENT (self));

  if (self->task == NULL)
    return;

  if (self->state == EXK_TEST_EVENT_COUNTING)
    {
      exk_test_event_set_state (self, EXK_TEST_EVENT_STOPPED,
                                _("The server accepted the event (202); Exkeys stopped "
                                  "watching for it to be counted."));
      g_cancellable_cancel (self->cancellable);
      exk_test_event_finish_run (self, NULL);
      return;
    }

  /* Sending: the answer says what happened. */
  g_cancellable_cancel (self->cancellable);
}

ExkTestEventState
exk_test_event_get_state (ExkTestEvent *self)
{
  g_return_val_if_fail (EXK_IS_TEST_EVENT (self), EXK_TEST_EVENT_IDLE);

  return self->state;
}

/* What to tell the user about the last send, or %NULL before the first. */
const char *
exk_test_event_get_message (ExkTestEvent *self)
{
  g_return_val_if_fail (EXK_IS_TEST_EVENT (self), NULL);

  return self->message;
}

gboolean
exk_test_event_get_busy (ExkTestEvent *self)
{
  g_return_val_if_fail (EXK_IS_TEST_EVENT (self), FALSE);

  return self->state == EXK_TEST_EVENT_SENDING || self->state == EXK_TEST_EVENT_COUNTING;
}

/* The first wait before the count is read; each next wait doubles. */
void
exk_test_event_set_first_poll_ms (ExkTestEvent *self,
                                  guint         ms)
{
  g_return_if_fail (EXK_IS_TEST_EVENT (self));

  self->first_poll_ms = MAX (ms, 1);
}

static void
exk_test_event_dispose (GObject *object)
{
  ExkTestEvent *self = EXK_TEST_EVENT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_source, g_source_remove);

  G_OBJECT_CLASS (exk_test_event_parent_class)->dispose (object);
}

static void
exk_test_event_finalize (GObject *object)
{
  ExkTestEvent *self = EXK_TEST_EVENT (object);

  g_clear_object (&self->client);
  g_clear_object (&self->project);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->key);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (exk_test_event_parent_class)->finalize (object);
}

static void
exk_test_event_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ExkTestEvent *self = EXK_TEST_EVENT (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, exk_test_event_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_test_event_class_init (ExkTestEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = exk_test_event_dispose;
  object_class->finalize = exk_test_event_finalize;
  object_class->get_property = exk_test_event_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, EXK_TYPE_TEST_EVENT_STATE, EXK_TEST_EVENT_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_test_event_init (ExkTestEvent *self)
{
  self->first_poll_ms = EXK_TEST_EVENT_FIRST_POLL_MS;
  self->baseline = -1;
}

/**
 * exk_test_event_new:
 * @client: the user's client; the event itself is sent with a key
 * @project: the project the event is for
 */
ExkTestEvent *
exk_test_event_new (ExkClient  *client,
                    ExkProject *project)
{
  ExkTestEvent *self;

  g_return_val_if_fail (EXK_IS_CLIENT (client), NULL);
  g_return_val_if_fail (EXK_IS_PROJECT (project), NULL);

  self = g_object_new (EXK_TYPE_TEST_EVENT, NULL);
  self->client = g_object_ref (client);
  self->project = g_object_ref (project);

  return self;
}

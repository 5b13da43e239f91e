// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <gio/gio.h>

#include "exk-client.h"

G_BEGIN_DECLS

/**
 * ExkTestEventState:
 * @EXK_TEST_EVENT_IDLE: nothing sent yet
 * @EXK_TEST_EVENT_SENDING: the event is on its way
 * @EXK_TEST_EVENT_REJECTED: the server refused it; the message says why
 * @EXK_TEST_EVENT_COUNTING: accepted (202); watching the project's event count
 * @EXK_TEST_EVENT_RECEIVED: the project's event count went up
 * @EXK_TEST_EVENT_NOT_COUNTED: accepted, but not counted after the last look
 * @EXK_TEST_EVENT_STOPPED: accepted, and the watching was stopped
 */
typedef enum
{
  EXK_TEST_EVENT_IDLE,
  EXK_TEST_EVENT_SENDING,
  EXK_TEST_EVENT_REJECTED,
  EXK_TEST_EVENT_COUNTING,
  EXK_TEST_EVENT_RECEIVED,
  EXK_TEST_EVENT_NOT_COUNTED,
  EXK_TEST_EVENT_STOPPED,
} ExkTestEventState;

GType exk_test_event_state_get_type (void) G_GNUC_CONST;
#define EXK_TYPE_TEST_EVENT_STATE (exk_test_event_state_get_type ())

/* How many times the event count is read after a 202, and the first wait. */
#define EXK_TEST_EVENT_POLLS 4
#define EXK_TEST_EVENT_FIRST_POLL_MS 1000

#define EXK_TYPE_TEST_EVENT (exk_test_event_get_type ())

G_DECLARE_FINAL_TYPE (ExkTestEvent, exk_test_event, EXK, TEST_EVENT, GObject)

ExkTestEvent      *exk_test_event_new         (ExkClient            *client,
                                               ExkProject           *project);
ExkTestEventState  exk_test_event_get_state   (ExkTestEvent         *self);
const char        *exk_test_event_get_message (ExkTestEvent         *self);
gboolean           exk_test_event_get_busy    (ExkTestEvent         *self);
void               exk_test_event_set_first_poll_ms (ExkTestEvent   *self,
                                                     guint           ms);
void               exk_test_event_send_async  (ExkTestEvent         *self,
                                               ExkToken             *key,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
gboolean           exk_test_event_send_finish (ExkTestEvent         *self,
                                               GAsyncResult         *result,
                                               GError              **error);
void               exk_test_event_stop        (ExkTestEvent         *self);

G_END_DECLS

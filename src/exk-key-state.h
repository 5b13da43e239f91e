// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * ExkKeyCheck:
 * @EXK_KEY_CHECK_NONE: not tested, or the result no longer applies
 * @EXK_KEY_CHECK_WORKS: the server accepts the key for events
 * @EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS: valid, but it has no `client` scope
 * @EXK_KEY_CHECK_REJECTED_DISABLED: refused: the key is disabled
 * @EXK_KEY_CHECK_REJECTED_EXPIRED: refused: the key has expired
 * @EXK_KEY_CHECK_REJECTED_SUSPENDED: refused: its organization is suspended
 * @EXK_KEY_CHECK_REJECTED_UNKNOWN: refused, and nothing in the list says why
 *
 * What the server said when a key was tested.
 */
typedef enum
{
  EXK_KEY_CHECK_NONE,
  EXK_KEY_CHECK_WORKS,
  EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS,
  EXK_KEY_CHECK_REJECTED_DISABLED,
  EXK_KEY_CHECK_REJECTED_EXPIRED,
  EXK_KEY_CHECK_REJECTED_SUSPENDED,
  EXK_KEY_CHECK_REJECTED_UNKNOWN,
} ExkKeyCheck;

#define EXK_TYPE_KEY_CHECK (exk_key_check_get_type ())
GType exk_key_check_get_type (void) G_GNUC_CONST;

#define EXK_TYPE_KEY_STATE (exk_key_state_get_type ())

G_DECLARE_FINAL_TYPE (ExkKeyState, exk_key_state, EXK, KEY_STATE, GObject)

ExkKeyState *exk_key_state_new               (void);
gboolean     exk_key_state_get_busy          (ExkKeyState *self);
GCancellable *exk_key_state_hold             (ExkKeyState *self);
void         exk_key_state_release           (ExkKeyState *self);
void         exk_key_state_stop_waiting      (ExkKeyState *self);
ExkKeyCheck  exk_key_state_get_check         (ExkKeyState *self);
void         exk_key_state_set_check         (ExkKeyState *self,
                                              ExkKeyCheck  check);
gboolean     exk_key_state_get_revealed      (ExkKeyState *self);
void         exk_key_state_set_revealed      (ExkKeyState *self,
                                              gboolean     revealed);
const char  *exk_key_state_get_replaces      (ExkKeyState *self);
const char  *exk_key_state_get_replaced_by   (ExkKeyState *self);
void         exk_key_state_set_rotation      (ExkKeyState *self,
                                              const char  *replaces,
                                              const char  *replaced_by);

G_END_DECLS

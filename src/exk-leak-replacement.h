// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-client.h"
#include "exk-key-list.h"
#include "exk-rotations.h"

G_BEGIN_DECLS

/**
 * ExkLeakStep:
 * @EXK_LEAK_STEP_CREATE: create the replacement
 * @EXK_LEAK_STEP_DISABLE: disable the leaked key
 * @EXK_LEAK_STEP_LINK: remember that the new key replaces the leaked one
 *
 * The steps of a leaked key's replacement, in the order they run.
 */
typedef enum
{
  EXK_LEAK_STEP_CREATE,
  EXK_LEAK_STEP_DISABLE,
  EXK_LEAK_STEP_LINK,
  EXK_LEAK_N_STEPS,
} ExkLeakStep;

/**
 * ExkLeakStepState:
 * @EXK_LEAK_STEP_PENDING: not done yet
 * @EXK_LEAK_STEP_RUNNING: sent; the server has not answered yet
 * @EXK_LEAK_STEP_DONE: the server confirmed it (or, for the link, it is saved)
 * @EXK_LEAK_STEP_SKIPPED: not needed: the key was already disabled, or there
 *   is nowhere to keep the link
 * @EXK_LEAK_STEP_FAILED: not done; the step's error says why
 */
typedef enum
{
  EXK_LEAK_STEP_PENDING,
  EXK_LEAK_STEP_RUNNING,
  EXK_LEAK_STEP_DONE,
  EXK_LEAK_STEP_SKIPPED,
  EXK_LEAK_STEP_FAILED,
} ExkLeakStepState;

#define EXK_TYPE_LEAK_STEP_STATE (exk_leak_step_state_get_type ())
GType exk_leak_step_state_get_type (void) G_GNUC_CONST;

#define EXK_TYPE_LEAK_REPLACEMENT (exk_leak_replacement_get_type ())

G_DECLARE_FINAL_TYPE (ExkLeakReplacement, exk_leak_replacement, EXK, LEAK_REPLACEMENT, GObject)

ExkLeakReplacement *exk_leak_replacement_new            (ExkClient            *client,
                                                         ExkToken             *leaked,
                                                         ExkRotations         *rotations);
void                exk_leak_replacement_set_key_list   (ExkLeakReplacement   *self,
                                                         ExkKeyList           *key_list);
ExkKeyList         *exk_leak_replacement_get_key_list   (ExkLeakReplacement   *self);
void                exk_leak_replacement_set_history    (ExkLeakReplacement   *self,
                                                         ExkHistory           *history,
                                                         const char           *project_name);
ExkClient          *exk_leak_replacement_get_client     (ExkLeakReplacement   *self);
ExkToken           *exk_leak_replacement_get_leaked     (ExkLeakReplacement   *self);
ExkToken           *exk_leak_replacement_get_new_key    (ExkLeakReplacement   *self);
const char         *exk_leak_replacement_get_new_notes  (ExkLeakReplacement   *self);
ExkLeakStepState    exk_leak_replacement_get_state      (ExkLeakReplacement   *self,
                                                         ExkLeakStep           step);
const GError       *exk_leak_replacement_get_error      (ExkLeakReplacement   *self,
                                                         ExkLeakStep           step);
gboolean            exk_leak_replacement_get_running    (ExkLeakReplacement   *self);
gboolean            exk_leak_replacement_get_started    (ExkLeakReplacement   *self);
gboolean            exk_leak_replacement_get_complete   (ExkLeakReplacement   *self);
gboolean            exk_leak_replacement_leaked_works   (ExkLeakReplacement   *self);

void                exk_leak_replacement_run_async      (ExkLeakReplacement   *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
gboolean            exk_leak_replacement_run_finish     (ExkLeakReplacement   *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

G_END_DECLS

// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * ExkHistoryAction:
 * @EXK_HISTORY_ACTION_CREATED: a key was created
 * @EXK_HISTORY_ACTION_NOTES_CHANGED: a key's notes were changed
 * @EXK_HISTORY_ACTION_DISABLED: a key was disabled
 * @EXK_HISTORY_ACTION_ENABLED: a key was enabled
 * @EXK_HISTORY_ACTION_DELETED: a key was deleted
 * @EXK_HISTORY_ACTION_REPLACED: a replacement was made for a key (ordinary rotation)
 * @EXK_HISTORY_ACTION_LEAK_REPLACED: a leaked key was replaced and disabled
 *
 * What was done to a key from Exkeys, once the server confirmed it.
 */
typedef enum
{
  EXK_HISTORY_ACTION_CREATED,
  EXK_HISTORY_ACTION_NOTES_CHANGED,
  EXK_HISTORY_ACTION_DISABLED,
  EXK_HISTORY_ACTION_ENABLED,
  EXK_HISTORY_ACTION_DELETED,
  EXK_HISTORY_ACTION_REPLACED,
  EXK_HISTORY_ACTION_LEAK_REPLACED,
} ExkHistoryAction;

GType exk_history_action_get_type (void) G_GNUC_CONST;
#define EXK_TYPE_HISTORY_ACTION (exk_history_action_get_type ())

#define EXK_TYPE_HISTORY_ENTRY (exk_history_entry_get_type ())

G_DECLARE_FINAL_TYPE (ExkHistoryEntry, exk_history_entry, EXK, HISTORY_ENTRY, GObject)

ExkHistoryEntry  *exk_history_entry_new                    (GDateTime        *time,
                                                            ExkHistoryAction  action,
                                                            const char       *project_id,
                                                            const char       *project_name,
                                                            const char       *key_prefix,
                                                            const char       *replacement_prefix,
                                                            const char       *notes);
GDateTime        *exk_history_entry_get_time               (ExkHistoryEntry  *self);
ExkHistoryAction  exk_history_entry_get_action             (ExkHistoryEntry  *self);
const char       *exk_history_entry_get_project_id         (ExkHistoryEntry  *self);
const char       *exk_history_entry_get_project_name       (ExkHistoryEntry  *self);
const char       *exk_history_entry_get_key_prefix         (ExkHistoryEntry  *self);
const char       *exk_history_entry_get_replacement_prefix (ExkHistoryEntry  *self);
const char       *exk_history_entry_get_notes              (ExkHistoryEntry  *self);
char             *exk_history_entry_dup_title              (ExkHistoryEntry  *self);

const char       *exk_history_action_to_string             (ExkHistoryAction  action);
gboolean          exk_history_action_from_string           (const char       *string,
                                                            ExkHistoryAction *action);
char             *exk_history_redact                       (const char       *text);

G_END_DECLS

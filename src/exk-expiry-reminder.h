// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include "exk-project.h"
#include "exk-token.h"

G_BEGIN_DECLS

/**
 * ExkExpiryThreshold:
 * @EXK_EXPIRY_THRESHOLD_NONE: nothing to remind of
 * @EXK_EXPIRY_THRESHOLD_TWO_WEEKS: expires within 14 days, but not within a day
 * @EXK_EXPIRY_THRESHOLD_ONE_DAY: expires within a day
 * @EXK_EXPIRY_THRESHOLD_EXPIRED: expired within the last 7 days
 *
 * The points at which a key's expiry is worth a reminder, each one once.
 */
typedef enum
{
  EXK_EXPIRY_THRESHOLD_NONE,
  EXK_EXPIRY_THRESHOLD_TWO_WEEKS,
  EXK_EXPIRY_THRESHOLD_ONE_DAY,
  EXK_EXPIRY_THRESHOLD_EXPIRED,
} ExkExpiryThreshold;

#define EXK_TYPE_EXPIRY_REMINDER (exk_expiry_reminder_get_type ())

G_DECLARE_FINAL_TYPE (ExkExpiryReminder, exk_expiry_reminder, EXK, EXPIRY_REMINDER, GObject)

ExkExpiryThreshold  exk_expiry_threshold_for              (GDateTime          *expires,
                                                           GDateTime          *now);
const char         *exk_expiry_threshold_to_string        (ExkExpiryThreshold  threshold);

ExkExpiryReminder  *exk_expiry_reminder_new               (ExkToken           *token,
                                                           ExkProject         *project,
                                                           ExkExpiryThreshold  threshold,
                                                           const char         *fingerprint);
ExkToken           *exk_expiry_reminder_get_token         (ExkExpiryReminder  *self);
ExkProject         *exk_expiry_reminder_get_project       (ExkExpiryReminder  *self);
ExkExpiryThreshold  exk_expiry_reminder_get_threshold     (ExkExpiryReminder  *self);
const char         *exk_expiry_reminder_get_fingerprint   (ExkExpiryReminder  *self);
GDateTime          *exk_expiry_reminder_get_expires       (ExkExpiryReminder  *self);
char               *exk_expiry_reminder_dup_key_prefix    (ExkExpiryReminder  *self);
char               *exk_expiry_reminder_dup_title         (ExkExpiryReminder  *self);
char               *exk_expiry_reminder_dup_body          (ExkExpiryReminder  *self,
                                                           GDateTime          *now);

G_END_DECLS

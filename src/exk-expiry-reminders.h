// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <gio/gio.h>

#include "exk-client.h"
#include "exk-expiry-reminder.h"

G_BEGIN_DECLS

#define EXK_TYPE_EXPIRY_REMINDERS (exk_expiry_reminders_get_type ())

G_DECLARE_FINAL_TYPE (ExkExpiryReminders, exk_expiry_reminders, EXK, EXPIRY_REMINDERS, GObject)

ExkExpiryReminders *exk_expiry_reminders_new                  (GSettings          *settings);
void                exk_expiry_reminders_set_client           (ExkExpiryReminders *self,
                                                               ExkClient          *client,
                                                               const char         *account_key);
ExkClient          *exk_expiry_reminders_get_client           (ExkExpiryReminders *self);
void                exk_expiry_reminders_refresh              (ExkExpiryReminders *self);
gboolean            exk_expiry_reminders_get_loading          (ExkExpiryReminders *self);
const GError       *exk_expiry_reminders_get_error            (ExkExpiryReminders *self);
guint               exk_expiry_reminders_get_expiring_this_week (ExkExpiryReminders *self);
guint               exk_expiry_reminders_get_expiring_soon    (ExkExpiryReminders *self);
guint               exk_expiry_reminders_get_expired          (ExkExpiryReminders *self);
ExkExpiryReminder  *exk_expiry_reminders_find                 (ExkExpiryReminders *self,
                                                               const char         *fingerprint);
ExkProject         *exk_expiry_reminders_find_project         (ExkExpiryReminders *self,
                                                               const char         *project_id);
GDateTime          *exk_expiry_reminders_dup_now              (ExkExpiryReminders *self);
void                exk_expiry_reminders_set_now              (ExkExpiryReminders *self,
                                                               GDateTime          *now);
void                exk_expiry_reminders_sync_project         (ExkExpiryReminders *self,
                                                               ExkProject         *project,
                                                               GListModel         *keys);
char               *exk_expiry_reminders_dup_banner_text      (ExkExpiryReminders *self);

G_END_DECLS

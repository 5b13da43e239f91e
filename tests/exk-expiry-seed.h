// SPDX-License-Identifier: GPL-3.0-or-later

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The expiry tests' seed: a key at each threshold, relative to now. */
#define ORG_ACME      "537650f3b77efe23a47914f3"
#define ORG_NORTH     "64b7e2a9c1d04f5e8a9b0c11"
#define PISTOL_ID     "537650f3b77efe23a47914f4"
#define ROCKET_ID     "537650f3b77efe23a47914f7"
#define BILLING_ID    "64b7e2a9c1d04f5e8a9b0c21"
#define USER_ID       "537650f3b77efe23a4791401"

#define KEY_10_DAYS   "Ten0daysAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define KEY_12_HOURS  "Twelve0hoursBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
#define KEY_EXPIRED_2 "Expired0two0daysCCCCCCCCCCCCCCCCCCCCCCCC"
#define KEY_EXPIRED_30 "Expired0thirty0daysDDDDDDDDDDDDDDDDDDDDD"
#define KEY_DISABLED  "Disabled0five0daysEEEEEEEEEEEEEEEEEEEEEE"
#define KEY_FAR       "Sixty0daysFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
#define KEY_NEVER     "NeverGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG"
#define KEY_NORTH     "Three0days0northHHHHHHHHHHHHHHHHHHHHHHHH"

char *exk_expiry_seed_write (GDateTime *now);

G_END_DECLS

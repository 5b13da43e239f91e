// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include "exk-rotations.h"

/* Which key replaces which, for one account, kept in GSettings so that a
 * rotation that waits for the new key to be deployed survives a project
 * switch, an account switch and a restart.
 *
 * An Exceptionless key's id is the key itself, a secret that never goes into
 * settings: a link is kept as SHA-256 fingerprints of the two keys (40
 * random characters each, so a fingerprint gives nothing away), and the key
 * list matches them against the keys it loaded. */
struct _ExkRotations
{
  GObject    parent_instance;

  GSettings *settings;
  char      *account_key;
};

G_DEFINE_FINAL_TYPE (ExkRotations, exk_rotations, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define SETTINGS_KEY "rotations"
#define LINK_TYPE "(ssss)"   /* account, project, new key's fingerprint, old key's */

typedef gboolean (*LinkFilter) (const char *project_id,
                                const char *new_print,
                                const char *old_print,
                                gpointer    data);

/* Rewrites the setting without the links of this account that @drop matches. */
static void
exk_rotations_rewrite (ExkRotations *self,
                       LinkFilter    drop,
                       gpointer      data,
                       const char   *add_project,
                       const char   *add_new,
                       const char   *add_old)
{
  g_autoptr(GVariant) links = g_settings_get_value (self->settings, SETTINGS_KEY);
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("a" LINK_TYPE));
  gboolean changed = FALSE;
  GVariantIter iter;
  const char *account, *project, *new_print, *old_print;

  g_variant_iter_init (&iter, links);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &account, &project, &new_print, &old_print))
    {
      if (g_str_equal (account, self->account_key)
          && (drop == NULL || drop (project, new_print, old_print, data)))
        {
          changed = TRUE;
          continue;
        }
      g_variant_builder_add (builder, LINK_TYPE, account, project, new_print, old_print);
    }

  if (add_project != NULL)
    {
      g_variant_builder_add (builder, LINK_TYPE, self->account_key, add_project, add_new, add_old);
      changed = TRUE;
    }

  if (changed)
    g_settings_set_value (self->settings, SETTINGS_KEY, g_variant_builder_end (builder));
}

static gboolean
drop_account (const char *project_id,
              const char *new_print,
              const char *old_print,
              gpointer    data)
{
  return TRUE;
}

typedef struct
{
  const char *project_id;
  const char *print;
  GHashTable *present;
} LinkMatch;

static gboolean
drop_if_involves (const char *project_id,
                  const char *new_print,
                  const char *old_print,
                  gpointer    data)
{
  LinkMatch *match = data;

  return g_str_equal (project_id, match->project_id)
         && (g_str_equal (new_print, match->print) || g_str_equal (old_print, match->print));
}

static gboolean
drop_if_missing (const char *project_id,
                 const char *new_print,
                 const char *old_print,
                 gpointer    data)
{
  LinkMatch *match = data;

  return g_str_equal (project_id, match->project_id)
         && (!g_hash_table_contains (match->present, new_print)
             || !g_hash_table_contains (match->present, old_print));
}

static void
on_settings_changed (ExkRotations *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
exk_rotations_finalize (GObject *object)
{
  ExkRotations *self = EXK_ROTATIONS (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->account_key, g_free);

  G_OBJECT_CLASS (exk_rotations_parent_class)->finalize (object);
}

static void
exk_rotations_class_init (ExkRotationsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_rotations_finalize;

  /**
   * ExkRotations::changed:
   *
   * A link was added or forgotten, here or by another window.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
exk_rotations_init (ExkRotations *self)
{
}

/**
 * exk_rotations_new:
 * @settings: the application's settings
 * @account_key: the account the links belong to (exk_account_dup_key())
 */
ExkRotations *
exk_rotations_new (GSettings  *settings,
                   const char *account_key)
{
  ExkRotations *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (account_key != NULL, NULL);

  self = g_object_new (EXK_TYPE_ROTATIONS, NULL);
  self->settings = g_object_ref (settings);
  self->account_key = g_strdup (account_key);
  g_signal_connect_object (settings, "changed::" SETTINGS_KEY, G_CALLBACK (on_settings_changed),
                           self, G_CONNECT_SWAPPED);

  return self;
}

/* Remembers that @new_key was made to replace @old_key, both of @project_id. */
void
exk_rotations_add (ExkRotations *self,
                   const char   *project_id,
                   const char   *new_key,
                   const char   *old_key)
{
  g_autofree char *new_print = NULL;
  g_autofree char *old_print = NULL;
  LinkMatch match = { project_id, NULL, NULL };

  g_return_if_fail (EXK_IS_ROTATIONS (self));
  g_return_if_fail (project_id != NULL && new_key != NULL && old_key != NULL);

  new_print = exk_rotations_fingerprint (new_key);
  old_print = exk_rotations_fingerprint (old_key);

  /* One replacement per key: a second rotation of the same key replaces the first link. */
  match.print = old_print;
  exk_rotations_rewrite (self, drop_if_involves, &match, project_id, new_print, old_print);
}

/**
 * exk_rotations_dup_links:
 *
 * Returns: (transfer full): the links of @project_id as fingerprints, in pairs:
 *   the new key's, then the old key's
 */
char **
exk_rotations_dup_links (ExkRotations *self,
                         const char   *project_id)
{
  g_autoptr(GVariant) links = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GVariantIter iter;
  const char *account, *project, *new_print, *old_print;

  g_return_val_if_fail (EXK_IS_ROTATIONS (self), NULL);
  g_return_val_if_fail (project_id != NULL, NULL);

  links = g_settings_get_value (self->settings, SETTINGS_KEY);
  g_variant_iter_init (&iter, links);
  while (g_variant_iter_next (&iter, "(&s&s&s&s)", &account, &project, &new_print, &old_print))
    {
      if (g_str_equal (account, self->account_key) && g_str_equal (project, project_id))
        {
          g_strv_builder_add (builder, new_print);
          g_strv_builder_add (builder, old_print);
        }
    }

  return g_strv_builder_end (builder);
}

/* Ends every link of @key: it was disabled or deleted, or the user dismissed it. */
void
exk_rotations_forget_key (ExkRotations *self,
                          const char   *project_id,
                          const char   *key)
{
  g_autofree char *print = NULL;
  LinkMatch match = { project_id, NULL, NULL };

  g_return_if_fail (EXK_IS_ROTATIONS (self));

  print = exk_rotations_fingerprint (key);
  match.print = print;
  exk_rotations_rewrite (self, drop_if_involves, &match, NULL, NULL, NULL);
}

/* After a complete load of @project_id: links to keys that are gone end. */
void
exk_rotations_forget_missing (ExkRotations *self,
                              const char   *project_id,
                              GHashTable   *keys_by_fingerprint)
{
  LinkMatch match = { project_id, NULL, keys_by_fingerprint };

  g_return_if_fail (EXK_IS_ROTATIONS (self));

  exk_rotations_rewrite (self, drop_if_missing, &match, NULL, NULL, NULL);
}

/* The account signed out: nothing of it stays in the settings. */
void
exk_rotations_forget_account (ExkRotations *self)
{
  g_return_if_fail (EXK_IS_ROTATIONS (self));

  exk_rotations_rewrite (self, drop_account, NULL, NULL, NULL, NULL);
}

char *
exk_rotations_fingerprint (const char *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "exk-history-entry.h"

/* One line of the local history: what was done to which key of which
 * project, and when. It holds a key's first characters only, never a key. */
struct _ExkHistoryEntry
{
  GObject           parent_instance;

  GDateTime        *time;
  ExkHistoryAction  action;
  char             *project_id;
  char             *project_name;
  char             *key_prefix;
  char             *replacement_prefix;
  char             *notes;
};

G_DEFINE_FINAL_TYPE (ExkHistoryEntry, exk_history_entry, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (ExkHistoryAction, exk_history_action,
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_CREATED, "created"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_NOTES_CHANGED, "notes-changed"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_DISABLED, "disabled"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_ENABLED, "enabled"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_DELETED, "deleted"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_REPLACED, "replaced"),
  G_DEFINE_ENUM_VALUE (EXK_HISTORY_ACTION_LEAK_REPLACED, "leak-replaced"))

/* As many characters of a key as the rest of the app shows. */
#define PREFIX_LENGTH 6
/* A run of letters and digits this long may be a key or a token: keys are 40. */
#define SECRET_RUN_LENGTH 20

enum {
  PROP_0,
  PROP_TIME,
  PROP_ACTION,
  PROP_PROJECT_ID,
  PROP_PROJECT_NAME,
  PROP_KEY_PREFIX,
  PROP_REPLACEMENT_PREFIX,
  PROP_NOTES,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A prefix is what is kept, even when a caller hands over a whole key. */
static char *
dup_prefix (const char *key)
{
  if (key == NULL || *key == '\0')
    return NULL;

  return g_utf8_substring (key, 0, MIN (g_utf8_strlen (key, -1), PREFIX_LENGTH));
}

/**
 * exk_history_redact:
 * @text: (nullable): notes as the user typed them
 *
 * People paste keys into notes. Every run of 20 or more letters and digits is
 * cut to its first characters, so that no key or token reaches the history.
 *
 * Returns: (transfer full) (nullable): the text without anything shaped like a key
 */
char *
exk_history_redact (const char *text)
{
  GString *result;
  const char *p;

  if (text == NULL)
    return NULL;

  result = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      const char *run = p;

      while (g_ascii_isalnum (*p))
        p++;

      if (p - run >= SECRET_RUN_LENGTH)
        {
          g_string_append_len (result, run, PREFIX_LENGTH);
          g_string_append (result, "…");
        }
      else
        g_string_append_len (result, run, p - run);

      if (*p != '\0' && p == run)
        {
          const char *next = g_utf8_next_char (p);

          g_string_append_len (result, p, next - p);
          p = next;
        }
    }

  return g_string_free (result, FALSE);
}

const char *
exk_history_action_to_string (ExkHistoryAction action)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EXK_TYPE_HISTORY_ACTION);
  GEnumValue *value = g_enum_get_value (enum_class, action);

  return value != NULL ? value->value_nick : NULL;
}

gboolean
exk_history_action_from_string (const char       *string,
                                ExkHistoryAction *action)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (EXK_TYPE_HISTORY_ACTION);
  GEnumValue *value;

  if (string == NULL)
    return FALSE;

  value = g_enum_get_value_by_nick (enum_class, string);
  if (value == NULL)
    return FALSE;

  *action = value->value;
  return TRUE;
}

static void
exk_history_entry_finalize (GObject *object)
{
  ExkHistoryEntry *self = EXK_HISTORY_ENTRY (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_clear_pointer (&self->project_id, g_free);
  g_clear_pointer (&self->project_name, g_free);
  g_clear_pointer (&self->key_prefix, g_free);
  g_clear_pointer (&self->replacement_prefix, g_free);
  g_clear_pointer (&self->notes, g_free);

  G_OBJECT_CLASS (exk_history_entry_parent_class)->finalize (object);
}

static void
exk_history_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ExkHistoryEntry *self = EXK_HISTORY_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TIME:
      g_value_set_boxed (value, self->time);
      break;
    case PROP_ACTION:
      g_value_set_enum (value, self->action);
      break;
    case PROP_PROJECT_ID:
      g_value_set_string (value, self->project_id);
      break;
    case PROP_PROJECT_NAME:
      g_value_set_string (value, self->project_name);
      break;
    case PROP_KEY_PREFIX:
      g_value_set_string (value, self->key_prefix);
      break;
    case PROP_REPLACEMENT_PREFIX:
      g_value_set_string (value, self->replacement_prefix);
      break;
    case PROP_NOTES:
      g_value_set_string (value, self->notes);
      break;
    case PROP_TITLE:
      g_value_take_string (value, exk_history_entry_dup_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_history_entry_class_init (ExkHistoryEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_history_entry_finalize;
  object_class->get_property = exk_history_entry_get_property;

  properties[PROP_TIME] =
    g_param_spec_boxed ("time", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION] =
    g_param_spec_enum ("action", NULL, NULL, EXK_TYPE_HISTORY_ACTION,
                       EXK_HISTORY_ACTION_CREATED, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_ID] =
    g_param_spec_string ("project-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT_NAME] =
    g_param_spec_string ("project-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY_PREFIX] =
    g_param_spec_string ("key-prefix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPLACEMENT_PREFIX] =
    g_param_spec_string ("replacement-prefix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTES] =
    g_param_spec_string ("notes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_history_entry_init (ExkHistoryEntry *self)
{
}

/**
 * exk_history_entry_new:
 * @time: when the server confirmed the change
 * @key_prefix: the key, or its first characters: only those are kept
 * @replacement_prefix: (nullable): the replacement, for the two replace actions
 * @notes: (nullable): the key's notes; anything shaped like a key is cut short
 */
ExkHistoryEntry *
exk_history_entry_new (GDateTime        *time,
                       ExkHistoryAction  action,
                       const char       *project_id,
                       const char       *project_name,
                       const char       *key_prefix,
                       const char       *replacement_prefix,
                       const char       *notes)
{
  ExkHistoryEntry *self;

  g_return_val_if_fail (time != NULL, NULL);
  g_return_val_if_fail (key_prefix != NULL, NULL);

  self = g_object_new (EXK_TYPE_HISTORY_ENTRY, NULL);
  self->time = g_date_time_to_utc (time);
  self->action = action;
  self->project_id = g_strdup (project_id);
  self->project_name = g_strdup (project_name);
  self->key_prefix = dup_prefix (key_prefix);
  self->replacement_prefix = dup_prefix (replacement_prefix);
  self->notes = notes != NULL && *notes != '\0' ? exk_history_redact (notes) : NULL;

  return self;
}

GDateTime *
exk_history_entry_get_time (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->time;
}

ExkHistoryAction
exk_history_entry_get_action (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), EXK_HISTORY_ACTION_CREATED);

  return self->action;
}

const char *
exk_history_entry_get_project_id (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->project_id;
}

const char *
exk_history_entry_get_project_name (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->project_name;
}

const char *
exk_history_entry_get_key_prefix (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->key_prefix;
}

const char *
exk_history_entry_get_replacement_prefix (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->replacement_prefix;
}

const char *
exk_history_entry_get_notes (ExkHistoryEntry *self)
{
  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  return self->notes;
}

/**
 * exk_history_entry_dup_title:
 *
 * Returns: (transfer full): one sentence saying what was done, e.g. "Disabled key LhhP1C…"
 */
char *
exk_history_entry_dup_title (ExkHistoryEntry *self)
{
  const char *old_key;
  const char *new_key;

  g_return_val_if_fail (EXK_IS_HISTORY_ENTRY (self), NULL);

  old_key = self->key_prefix;
  new_key = self->replacement_prefix != NULL ? self->replacement_prefix : "?";

  switch (self->action)
    {
    /* Translators: %s is the first characters of an API key, e.g. "LhhP1C" */
    case EXK_HISTORY_ACTION_CREATED:
      return g_strdup_printf (_("Created key %s…"), old_key);
    /* Translators: %s is the first characters of an API key */
    case EXK_HISTORY_ACTION_NOTES_CHANGED:
      return g_strdup_printf (_("Changed the notes of key %s…"), old_key);
    /* Translators: %s is the first characters of an API key */
    case EXK_HISTORY_ACTION_DISABLED:
      return g_strdup_printf (_("Disabled key %s…"), old_key);
    /* Translators: %s is the first characters of an API key */
    case EXK_HISTORY_ACTION_ENABLED:
      return g_strdup_printf (_("Enabled key %s…"), old_key);
    /* Translators: %s is the first characters of an API key */
    case EXK_HISTORY_ACTION_DELETED:
      return g_strdup_printf (_("Deleted key %s…"), old_key);
    /* Translators: the first characters of the new key, then of the key it replaces */
    case EXK_HISTORY_ACTION_REPLACED:
      return g_strdup_printf (_("Made key %s… as the replacement of key %s…"), new_key,
                              old_key);
    /* Translators: the first characters of the leaked key, then of its replacement */
    case EXK_HISTORY_ACTION_LEAK_REPLACED:
      return g_strdup_printf (_("Replaced leaked key %s… with key %s…"), old_key, new_key);
    default:
      g_return_val_if_reached (NULL);
    }
}

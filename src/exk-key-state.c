// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <gio/gio.h>

#include "exk-key-state.h"

/* What Exkeys knows about one API key besides what the server holds: whether
 * a request about it is running, what testing it said, whether it is shown in
 * clear, and which key it replaces or is replaced by. It belongs to the key
 * list, which keeps it across reloads, so a row rebuilt for the key shows the
 * same state. */
struct _ExkKeyState
{
  GObject      parent_instance;

  guint        n_requests;
  GCancellable *cancellable;     /* the running requests', while there are some */
  ExkKeyCheck  check;
  gboolean     revealed;
  char        *replaces;
  char        *replaced_by;
};

G_DEFINE_FINAL_TYPE (ExkKeyState, exk_key_state, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (ExkKeyCheck, exk_key_check,
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_NONE, "none"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_WORKS, "works"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_WORKS_FOR_SOURCE_MAPS, "works-for-source-maps"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_REJECTED_DISABLED, "rejected-disabled"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_REJECTED_EXPIRED, "rejected-expired"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_REJECTED_SUSPENDED, "rejected-suspended"),
  G_DEFINE_ENUM_VALUE (EXK_KEY_CHECK_REJECTED_UNKNOWN, "rejected-unknown"))

enum {
  PROP_0,
  PROP_BUSY,
  PROP_CHECK,
  PROP_REVEALED,
  PROP_REPLACES,
  PROP_REPLACED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
exk_key_state_finalize (GObject *object)
{
  ExkKeyState *self = EXK_KEY_STATE (object);

  g_clear_pointer (&self->replaces, g_free);
  g_clear_pointer (&self->replaced_by, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (exk_key_state_parent_class)->finalize (object);
}

static void
exk_key_state_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  ExkKeyState *self = EXK_KEY_STATE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, exk_key_state_get_busy (self));
      break;
    case PROP_CHECK:
      g_value_set_enum (value, self->check);
      break;
    case PROP_REVEALED:
      g_value_set_boolean (value, self->revealed);
      break;
    case PROP_REPLACES:
      g_value_set_string (value, self->replaces);
      break;
    case PROP_REPLACED_BY:
      g_value_set_string (value, self->replaced_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_key_state_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  ExkKeyState *self = EXK_KEY_STATE (object);

  switch (prop_id)
    {
    case PROP_REVEALED:
      exk_key_state_set_revealed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
exk_key_state_class_init (ExkKeyStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = exk_key_state_finalize;
  object_class->get_property = exk_key_state_get_property;
  object_class->set_property = exk_key_state_set_property;

  /**
   * ExkKeyState:busy:
   *
   * A request about the key is running.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHECK] =
    g_param_spec_enum ("check", NULL, NULL, EXK_TYPE_KEY_CHECK, EXK_KEY_CHECK_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkKeyState:replaces:
   *
   * The key that this one was made to replace, while the old one still works.
   */
  properties[PROP_REPLACES] =
    g_param_spec_string ("replaces", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * ExkKeyState:replaced-by:
   *
   * The key made to replace this one, until this one is disabled or deleted.
   */
  properties[PROP_REPLACED_BY] =
    g_param_spec_string ("replaced-by", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
exk_key_state_init (ExkKeyState *self)
{
}

ExkKeyState *
exk_key_state_new (void)
{
  return g_object_new (EXK_TYPE_KEY_STATE, NULL);
}

gboolean
exk_key_state_get_busy (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), FALSE);

  return self->n_requests > 0;
}

/**
 * exk_key_state_hold:
 *
 * A request about the key starts; busy until as many exk_key_state_release().
 *
 * Returns: (transfer none): the cancellable of the key's running requests,
 *   which exk_key_state_stop_waiting() cancels
 */
GCancellable *
exk_key_state_hold (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), NULL);

  if (self->n_requests++ == 0)
    {
      g_set_object (&self->cancellable, NULL);
      self->cancellable = g_cancellable_new ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }

  return self->cancellable;
}

void
exk_key_state_release (ExkKeyState *self)
{
  g_return_if_fail (EXK_IS_KEY_STATE (self));
  g_return_if_fail (self->n_requests > 0);

  if (--self->n_requests == 0)
    {
      g_clear_object (&self->cancellable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

/* The user stops waiting for the server about this key: its requests end
 * with G_IO_ERROR_CANCELLED (what the server did meanwhile is not known). */
void
exk_key_state_stop_waiting (ExkKeyState *self)
{
  g_return_if_fail (EXK_IS_KEY_STATE (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

ExkKeyCheck
exk_key_state_get_check (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), EXK_KEY_CHECK_NONE);

  return self->check;
}

void
exk_key_state_set_check (ExkKeyState *self,
                         ExkKeyCheck  check)
{
  g_return_if_fail (EXK_IS_KEY_STATE (self));

  if (self->check == check)
    return;

  self->check = check;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECK]);
}

gboolean
exk_key_state_get_revealed (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), FALSE);

  return self->revealed;
}

void
exk_key_state_set_revealed (ExkKeyState *self,
                            gboolean     revealed)
{
  g_return_if_fail (EXK_IS_KEY_STATE (self));

  revealed = !!revealed;
  if (self->revealed == revealed)
    return;

  self->revealed = revealed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

const char *
exk_key_state_get_replaces (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), NULL);

  return self->replaces;
}

const char *
exk_key_state_get_replaced_by (ExkKeyState *self)
{
  g_return_val_if_fail (EXK_IS_KEY_STATE (self), NULL);

  return self->replaced_by;
}

/* Set by the key list from its saved rotations; %NULL ends a side of the link. */
void
exk_key_state_set_rotation (ExkKeyState *self,
                            const char  *replaces,
                            const char  *replaced_by)
{
  g_return_if_fail (EXK_IS_KEY_STATE (self));

  if (replace_string (&self->replaces, replaces))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLACES]);
  if (replace_string (&self->replaced_by, replaced_by))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLACED_BY]);
}

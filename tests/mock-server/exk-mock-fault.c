// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "exk-mock-fault.h"

#define MAX_SLOW_MS (10 * 60 * 1000)

static const struct {
  const char       *name;
  ExkMockFaultKind  kind;
  gboolean          needs_argument;
} kinds[] = {
  { "status", EXK_MOCK_FAULT_STATUS, TRUE },
  { "malformed", EXK_MOCK_FAULT_MALFORMED, FALSE },
  { "truncated", EXK_MOCK_FAULT_TRUNCATED, FALSE },
  { "html", EXK_MOCK_FAULT_HTML, FALSE },
  { "drop", EXK_MOCK_FAULT_DROP, FALSE },
  { "slow", EXK_MOCK_FAULT_SLOW, TRUE },
  { "wrong-type", EXK_MOCK_FAULT_WRONG_TYPE, FALSE },
};

static gboolean
parse_number (const char  *text,
              guint64      min,
              guint64      max,
              guint       *out,
              const char  *what,
              const char  *spec,
              GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid %s \"%s\" in fault \"%s\"", what, text, spec);
      return FALSE;
    }

  *out = (guint) value;
  return TRUE;
}

static gboolean
is_method_name (const char *text)
{
  if (*text == '\0')
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;

  return TRUE;
}

ExkMockFault *
exk_mock_fault_parse (const char  *spec,
                      GError     **error)
{
  g_autoptr(ExkMockFault) fault = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *target = NULL;
  char *action;
  char *equals;
  char *star;
  char *colon;
  char *space;
  guint i;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_strstrip (g_strdup (spec));
  equals = strrchr (copy, '=');
  if (equals == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" has no \"=KIND\"", spec);
      return NULL;
    }

  *equals = '\0';
  action = g_strstrip (equals + 1);
  target = g_strdup (g_strstrip (copy));

  fault = g_new0 (ExkMockFault, 1);
  fault->spec = g_strdup (spec);
  fault->remaining = -1;

  space = strpbrk (target, " \t");
  if (space != NULL)
    {
      *space = '\0';
      fault->method = g_ascii_strup (target, -1);
      fault->path_prefix = g_strdup (g_strstrip (space + 1));
    }
  else if (target[0] != '/' && is_method_name (target))
    {
      fault->method = g_ascii_strup (target, -1);
      fault->path_prefix = g_strdup ("");
    }
  else
    {
      fault->path_prefix = g_strdup (target);
    }

  if (fault->method != NULL && !is_method_name (fault->method))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid method in fault \"%s\"", spec);
      return NULL;
    }

  if (fault->path_prefix[0] != '\0' && fault->path_prefix[0] != '/')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The path of fault \"%s\" must start with \"/\"", spec);
      return NULL;
    }

  star = strchr (action, '*');
  if (star != NULL)
    {
      guint count;

      *star = '\0';
      if (!parse_number (star + 1, 1, G_MAXINT, &count, "count", spec, error))
        return NULL;
      fault->remaining = (int) count;
    }

  colon = strchr (action, ':');
  if (colon != NULL)
    *colon = '\0';

  for (i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_ascii_strcasecmp (action, kinds[i].name) == 0)
      break;

  if (i == G_N_ELEMENTS (kinds))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown kind \"%s\" in fault \"%s\"", action, spec);
      return NULL;
    }

  fault->kind = kinds[i].kind;

  if (kinds[i].needs_argument && colon == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" needs an argument (%s:N)", spec, kinds[i].name);
      return NULL;
    }

  if (!kinds[i].needs_argument && colon != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" takes no argument", spec);
      return NULL;
    }

  if (fault->kind == EXK_MOCK_FAULT_STATUS
      && !parse_number (colon + 1, 100, 599, &fault->argument, "status", spec, error))
    return NULL;

  if (fault->kind == EXK_MOCK_FAULT_SLOW
      && !parse_number (colon + 1, 0, MAX_SLOW_MS, &fault->argument, "delay", spec, error))
    return NULL;

  return g_steal_pointer (&fault);
}

gboolean
exk_mock_fault_matches (const ExkMockFault *fault,
                        const char         *method,
                        const char         *path)
{
  gsize prefix_len;

  g_return_val_if_fail (fault != NULL, FALSE);

  if (fault->remaining == 0)
    return FALSE;

  if (fault->method != NULL && g_ascii_strcasecmp (fault->method, method) != 0)
    return FALSE;

  prefix_len = strlen (fault->path_prefix);
  return g_ascii_strncasecmp (path, fault->path_prefix, prefix_len) == 0;
}

JsonNode *
exk_mock_fault_to_json (const ExkMockFault *fault)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "spec");
  json_builder_add_string_value (builder, fault->spec);
  json_builder_set_member_name (builder, "remaining");
  json_builder_add_int_value (builder, fault->remaining);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

void
exk_mock_fault_free (ExkMockFault *fault)
{
  if (fault == NULL)
    return;

  g_free (fault->spec);
  g_free (fault->method);
  g_free (fault->path_prefix);
  g_free (fault);
}

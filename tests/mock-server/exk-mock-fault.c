// SPDX-License-Identifier: GPL-3.0-or-later

#include "config.h"

#include <string.h>

#include "exk-mock-fault.h"

#define MAX_SLOW_MS    (10 * 60 * 1000)
#define MAX_NEST_DEPTH 10000000

typedef enum
{
  ARG_NONE,
  ARG_NUMBER,
  ARG_SIZE,   /* a number of bytes, optionally with a K, M or G suffix */
  ARG_TARGET, /* a URL or an absolute path */
} ArgType;

typedef struct
{
  const char       *name;
  ExkMockFaultKind  kind;
  ArgType           arg_type;
  gboolean          arg_optional; /* absent: max is the value */
  const char       *arg_name;     /* for error messages */
  guint64           min;
  guint64           max;
} KindInfo;

static const KindInfo kinds[] = {
  { "status", EXK_MOCK_FAULT_STATUS, ARG_NUMBER, FALSE, "status", 100, 599 },
  { "malformed", EXK_MOCK_FAULT_MALFORMED, ARG_NONE },
  { "truncated", EXK_MOCK_FAULT_TRUNCATED, ARG_NONE },
  { "html", EXK_MOCK_FAULT_HTML, ARG_NONE },
  { "drop", EXK_MOCK_FAULT_DROP, ARG_NONE },
  { "slow", EXK_MOCK_FAULT_SLOW, ARG_NUMBER, FALSE, "delay", 0, MAX_SLOW_MS },
  { "wrong-type", EXK_MOCK_FAULT_WRONG_TYPE, ARG_NONE },
  { "redirect", EXK_MOCK_FAULT_REDIRECT, ARG_TARGET, FALSE, "target" },
  { "nest", EXK_MOCK_FAULT_NEST, ARG_NUMBER, FALSE, "depth", 1, MAX_NEST_DEPTH },
  /* ["xxx"]: the shortest padded array is [""]. */
  { "huge", EXK_MOCK_FAULT_HUGE, ARG_SIZE, FALSE, "size", 4, EXK_MOCK_FAULT_MAX_BODY },
  { "endless", EXK_MOCK_FAULT_ENDLESS, ARG_SIZE, TRUE, "size", 1, EXK_MOCK_FAULT_MAX_BODY },
  { "gzip-bomb", EXK_MOCK_FAULT_GZIP_BOMB, ARG_SIZE, FALSE, "size", 2, EXK_MOCK_FAULT_MAX_BODY },
  { "trickle", EXK_MOCK_FAULT_TRICKLE, ARG_NUMBER, FALSE, "interval", 1, MAX_SLOW_MS },
  { "header-flood", EXK_MOCK_FAULT_HEADER_FLOOD, ARG_NONE },
  { "count", EXK_MOCK_FAULT_COUNT, ARG_NUMBER, FALSE, "count", 0, G_MAXINT64 },
};

static gboolean
set_invalid (GError     **error,
             const char  *what,
             const char  *text,
             const char  *spec)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Invalid %s \"%s\" in fault \"%s\"", what, text, spec);
  return FALSE;
}

static gboolean
parse_number (const char  *text,
              guint64      min,
              guint64      max,
              guint64     *out,
              const char  *what,
              const char  *spec,
              GError     **error)
{
  if (!g_ascii_string_to_unsigned (text, 10, min, max, out, NULL))
    return set_invalid (error, what, text, spec);

  return TRUE;
}

/* "64K", "50M" and "1G" read better than byte counts in a spec. */
static gboolean
parse_size (const char  *text,
            guint64      min,
            guint64      max,
            guint64     *out,
            const char  *what,
            const char  *spec,
            GError     **error)
{
  g_autofree char *digits = g_strdup (text);
  gsize len = strlen (digits);
  guint shift = 0;
  guint64 value;

  if (len > 1)
    {
      switch (g_ascii_toupper (digits[len - 1]))
        {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        default: break;
        }
      if (shift != 0)
        digits[len - 1] = '\0';
    }

  if (!g_ascii_string_to_unsigned (digits, 10, 0, max >> shift, &value, NULL)
      || (value << shift) < min)
    return set_invalid (error, what, text, spec);

  *out = value << shift;
  return TRUE;
}

/* The target goes into a Location header as it is: no spaces or control
 * characters that could split or bend the header. */
static gboolean
parse_target (const char  *text,
              char       **out,
              const char  *spec,
              GError     **error)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == 0x7f)
      return set_invalid (error, "target", text, spec);

  if (text[0] != '/' && !g_uri_is_valid (text, G_URI_FLAGS_NONE, NULL))
    return set_invalid (error, "target", text, spec);

  *out = g_strdup (text);
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

static const KindInfo *
find_kind (const char *name,
           gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (strlen (kinds[i].name) == len && g_ascii_strncasecmp (name, kinds[i].name, len) == 0)
      return &kinds[i];

  return NULL;
}

/* The "=" before KIND. A redirect target may contain "=" itself (a query),
 * so take the first "=" that a known kind follows, and the last one when
 * none does (the error then names the unknown kind). */
static char *
find_action_separator (char *spec)
{
  for (char *equals = strchr (spec, '='); equals != NULL; equals = strchr (equals + 1, '='))
    {
      const char *name = equals + 1;
      gsize len;

      while (g_ascii_isspace (*name))
        name++;
      len = strcspn (name, ":* \t");
      if (len > 0 && find_kind (name, len) != NULL)
        return equals;
    }

  return strrchr (spec, '=');
}

/* "[METHOD ]PATH_PREFIX", the part before "=". */
static gboolean
parse_selector (ExkMockFault  *fault,
                char          *selector,
                const char    *spec,
                GError       **error)
{
  char *space = strpbrk (selector, " \t");

  if (space != NULL)
    {
      *space = '\0';
      fault->method = g_ascii_strup (selector, -1);
      fault->path_prefix = g_strdup (g_strstrip (space + 1));
    }
  else if (selector[0] != '/' && is_method_name (selector))
    {
      fault->method = g_ascii_strup (selector, -1);
      fault->path_prefix = g_strdup ("");
    }
  else
    {
      fault->path_prefix = g_strdup (selector);
    }

  if (fault->method != NULL && !is_method_name (fault->method))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Invalid method in fault \"%s\"", spec);
      return FALSE;
    }

  if (fault->path_prefix[0] != '\0' && fault->path_prefix[0] != '/')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The path of fault \"%s\" must start with \"/\"", spec);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_argument (ExkMockFault    *fault,
                const KindInfo  *info,
                const char      *argument,
                const char      *spec,
                GError         **error)
{
  if (info->arg_type != ARG_NONE && argument == NULL && !info->arg_optional)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" needs an argument (%s:%s)", spec, info->name,
                   info->arg_type == ARG_TARGET ? "URL" : "N");
      return FALSE;
    }

  if (info->arg_type == ARG_NONE && argument != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" takes no argument", spec);
      return FALSE;
    }

  if (argument == NULL)
    {
      fault->argument = info->max;
      return TRUE;
    }

  switch (info->arg_type)
    {
    case ARG_NUMBER:
      return parse_number (argument, info->min, info->max, &fault->argument, info->arg_name, spec,
                           error);
    case ARG_SIZE:
      return parse_size (argument, info->min, info->max, &fault->argument, info->arg_name, spec,
                         error);
    case ARG_TARGET:
      return parse_target (argument, &fault->target, spec, error);
    case ARG_NONE:
    default:
      return TRUE;
    }
}

/* "KIND[:ARG][*COUNT]", the part after "=". */
static gboolean
parse_action (ExkMockFault  *fault,
              char          *action,
              const char    *spec,
              GError       **error)
{
  const KindInfo *info;
  char *star;
  char *colon;

  /* The last "*", so that a redirect target with a "*" works when a count
   * follows it. */
  star = strrchr (action, '*');
  if (star != NULL)
    {
      guint64 count;

      *star = '\0';
      if (!parse_number (star + 1, 1, G_MAXINT, &count, "count", spec, error))
        return FALSE;
      fault->remaining = (int) count;
    }

  colon = strchr (action, ':');
  if (colon != NULL)
    *colon = '\0';

  info = find_kind (action, strlen (action));
  if (info == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown kind \"%s\" in fault \"%s\"", action, spec);
      return FALSE;
    }

  fault->kind = info->kind;

  return parse_argument (fault, info, colon != NULL ? colon + 1 : NULL, spec, error);
}

ExkMockFault *
exk_mock_fault_parse (const char  *spec,
                      GError     **error)
{
  g_autoptr(ExkMockFault) fault = NULL;
  g_autofree char *copy = NULL;
  char *equals;

  g_return_val_if_fail (spec != NULL, NULL);

  copy = g_strstrip (g_strdup (spec));
  equals = find_action_separator (copy);
  if (equals == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Fault \"%s\" has no \"=KIND\"", spec);
      return NULL;
    }

  *equals = '\0';

  fault = g_new0 (ExkMockFault, 1);
  fault->spec = g_strdup (spec);
  fault->remaining = -1;

  if (!parse_selector (fault, g_strstrip (copy), spec, error)
      || !parse_action (fault, g_strstrip (equals + 1), spec, error))
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
  g_free (fault->target);
  g_free (fault);
}

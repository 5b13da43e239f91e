// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Strict readers for server JSON. @what is the name of the object being read (“project”,
 * “API key”…), untranslated, for the debug log; every failure is an
 * EXK_API_ERROR_INVALID_RESPONSE whose message is one whole translated sentence per kind of
 * problem, naming the member. Optional
 * members may be missing or null and then give NULL, FALSE or 0. Unknown members are
 * never looked at. */

typedef enum
{
  EXK_JSON_OPTIONAL,
  EXK_JSON_REQUIRED,
} ExkJsonPresence;

/* Deeper than any answer Exceptionless sends (a list of projects is three levels), and far
 * shallower than what json-glib's recursive parser survives. */
#define EXK_JSON_MAX_DEPTH 64

gboolean    exk_json_validate       (const char       *data,
                                     gsize             size,
                                     guint             max_depth,
                                     GError          **error);
JsonNode   *exk_json_parse_bytes    (GBytes           *bytes,
                                     GError          **error);
JsonObject *exk_json_node_get_object (JsonNode        *node,
                                      const char      *what,
                                      GError         **error);
JsonArray  *exk_json_node_get_array (JsonNode         *node,
                                     const char       *what,
                                     GError          **error);

gboolean    exk_json_read_string    (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     char            **out,
                                     GError          **error);
gboolean    exk_json_read_id        (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     char            **out,
                                     GError          **error);
gboolean    exk_json_read_ids       (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     char           ***out,
                                     GError          **error);
gboolean    exk_json_read_boolean   (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     gboolean         *out,
                                     GError          **error);
gboolean    exk_json_read_int64     (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     gint64           *out,
                                     GError          **error);
gboolean    exk_json_read_strv      (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     char           ***out,
                                     GError          **error);
gboolean    exk_json_read_date      (JsonObject       *object,
                                     const char       *what,
                                     const char       *member,
                                     ExkJsonPresence   presence,
                                     GDateTime       **out,
                                     GError          **error);

GDateTime  *exk_json_parse_date     (const char       *text);
char       *exk_json_format_date    (GDateTime        *date);

G_END_DECLS

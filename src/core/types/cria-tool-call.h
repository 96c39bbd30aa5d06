/* cria-tool-call.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRIA_TYPE_TOOL_CALL (cria_tool_call_get_type ())

/**
 * CriaToolCall:
 * @index: position the server gave the call (fragments are merged by it)
 * @id: the call's id, or %NULL
 * @type: "function" unless the server said otherwise
 * @name: the function name, or %NULL
 * @arguments: the arguments as the model wrote them (JSON text, possibly invalid)
 */
typedef struct
{
  int   index;
  char *id;
  char *type;
  char *name;
  char *arguments;
} CriaToolCall;

GType         cria_tool_call_get_type (void) G_GNUC_CONST;
CriaToolCall *cria_tool_call_new      (int                 index);
CriaToolCall *cria_tool_call_copy     (const CriaToolCall *call);
void          cria_tool_call_free     (CriaToolCall       *call);
/* The arguments for a reader: pretty-printed when they are valid JSON (and
 * not absurdly deep or long), else as written; valid UTF-8, never NULL. Plain
 * text, not markup. */
char         *cria_tool_call_format_arguments (const CriaToolCall *call);

/* The arguments as a JSON object to run the call with: an empty text is an
 * empty object; text that is not a JSON object, that nests deeper than 64
 * levels or is longer than 1 MiB is refused with a G_IO_ERROR_INVALID_DATA
 * that says why, for the model to read. */
JsonObject   *cria_tool_call_parse_arguments  (const CriaToolCall *call,
                                               GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaToolCall, cria_tool_call_free)

/* Tool calls as a JSON array of OpenAI's shape ({"id", "type", "function":
 * {"name", "arguments"}}), or NULL when there are none. */
char                   *cria_tool_calls_to_json        (GPtrArray                    *tool_calls);
/* The calls in such an array; what is not of that shape is left out. Never NULL. */
GPtrArray              *cria_tool_calls_from_json      (const char                   *json);
/* The same array added to @builder as a value (for export), and read from
 * a node (for import). */
void                    cria_tool_calls_build          (GPtrArray                    *tool_calls,
                                                        JsonBuilder                  *builder);
GPtrArray              *cria_tool_calls_from_node      (JsonNode                     *node);

G_END_DECLS

/* cria-json-schema.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON answers: the response_format a chat asks for (JSON object mode, or a
 * JSON schema the user pasted, strict), and checking an answer against that
 * schema, saying where it fails.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CRIA_JSON_SCHEMA_ERROR (cria_json_schema_error_quark ())

typedef enum
{
  CRIA_JSON_SCHEMA_ERROR_NOT_JSON,        /* the text is not JSON: line and column */
  CRIA_JSON_SCHEMA_ERROR_INVALID_SCHEMA,  /* the schema itself cannot be used: where in it */
  CRIA_JSON_SCHEMA_ERROR_MISMATCH,        /* the answer does not fit: its JSON pointer and why */
} CriaJsonSchemaError;

/* How deep a schema or an answer may nest; deeper is an error, never a crash. */
#define CRIA_JSON_SCHEMA_MAX_DEPTH 64

GQuark    cria_json_schema_error_quark    (void);

/* Parses @text, the schema a user pasted: an object whose keywords Cria
 * understands (type, properties, required, additionalProperties, items,
 * enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum,
 * minLength, maxLength, minItems, maxItems, pattern, anyOf, oneOf, allOf,
 * $ref to #/$defs/… or #/definitions/…; others such as description or
 * format are allowed and not checked). */
JsonNode *cria_json_schema_parse          (const char   *text,
                                           GError      **error);

/* The response_format member of a request, as JSON text: with @schema NULL,
 * {"type": "json_object"}; else {"type": "json_schema", "json_schema":
 * {"name": …, "strict": true, "schema": @schema}}, the name taken from the
 * schema's title (made valid) or "answer". */
char     *cria_json_schema_response_format (JsonNode    *schema);

/* The schema inside a response_format made by the function above, borrowed
 * from @response_format; NULL for object mode or anything else. */
JsonNode *cria_json_schema_from_response_format (JsonNode *response_format);

/* Parses an answer: the JSON text, allowing spaces around it and one
 * Markdown code fence (```json … ```) that some models add anyway. */
JsonNode *cria_json_schema_parse_answer   (const char   *text,
                                           GError      **error);

/* Checks @instance against @schema. On a mismatch the message starts with
 * the JSON pointer of the failing value ("/items/2/price") or "the answer"
 * for the whole, then what was expected ("must be a number, not a string"). */
gboolean  cria_json_schema_validate       (JsonNode     *schema,
                                           JsonNode     *instance,
                                           GError      **error);

/* An answer given under @response_format (JSON text from
 * cria_json_schema_response_format()), made ready to show: returns the
 * answer pretty-printed in a Markdown ```json block (so it is highlighted
 * like any code), or NULL when it is not JSON. @verdict is set to a plain
 * sentence for the reader: that it follows the schema, where it does not,
 * or where it stops being JSON; @fits to whether all is well. */
char     *cria_json_schema_present_answer (const char   *content,
                                           const char   *response_format,
                                           char        **verdict,
                                           gboolean     *fits);

/* @node as indented JSON text. */
char     *cria_json_schema_pretty         (JsonNode     *node);

G_END_DECLS

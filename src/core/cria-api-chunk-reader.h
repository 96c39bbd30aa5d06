/* cria-api-chunk-reader.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cria-api-private.h"

G_BEGIN_DECLS

/* Reads a streamed chunk of the common simple shape in a single pass, without
 * building a JSON tree. It returns %FALSE, leaving @chunk as it was, whenever
 * the text is not strict JSON or not of that shape; the caller then hands the
 * text to the general JSON reader, which decides. */
gboolean    _cria_api_read_chunk_fast   (const char         *data,
                                         gsize               len,
                                         CriaApiChunk       *chunk);

/* How deep arrays and objects may nest in anything Cria reads: JSON-GLib
 * parses by recursion, and hostile input must not exhaust the stack. */
#define CRIA_API_JSON_MAX_DEPTH 64

typedef enum
{
  CRIA_API_JSON_OK,
  CRIA_API_JSON_MALFORMED,
  CRIA_API_JSON_TOO_DEEP,
  CRIA_API_JSON_TOO_MANY_VALUES,
} CriaApiJsonCheck;

/* Whether @data is exactly one strict JSON value, with only whitespace around
 * it. JSON-GLib 1.6 accepts several values in a row and leaks all but the
 * last, so nothing reaches it without passing this first. */
gboolean    _cria_api_json_is_single_value (const char   *data,
                                            gsize         len);
/* The same check, saying why it failed: nesting deeper than
 * %CRIA_API_JSON_MAX_DEPTH, or more than @max_values values in all (each
 * costs JSON-GLib a node; 0 for no limit), or anything else. */
CriaApiJsonCheck _cria_api_json_check      (const char   *data,
                                            gsize         len,
                                            gsize         max_values);

G_END_DECLS

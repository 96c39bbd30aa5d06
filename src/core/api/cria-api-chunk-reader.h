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

/* Lone UTF-16 surrogates, which JavaScript servers send when they slice a
 * string by code unit, stand in repaired text for a code point in this
 * range: CRIA_API_SURROGATE_MARK + (unit - 0xD800). It lies in the last
 * private use plane, and markers are only used in text that holds none of
 * that range itself. */
#define CRIA_API_SURROGATE_MARK 0x10F800

/* Repairs JSON text that the readers refuse only because of what is inside
 * its strings: invalid UTF-8 becomes U+FFFD, an escaped NUL becomes U+FFFD,
 * and a lone surrogate escape becomes U+FFFD or, with @mark_surrogates, a
 * marker (see CRIA_API_SURROGATE_MARK) so that the halves of a character
 * split across chunks can be joined again. Returns %NULL when there was
 * nothing to repair. *@marked says whether markers were written. */
char       *_cria_api_repair_json_text  (const char         *data,
                                         gsize               len,
                                         gboolean            mark_surrogates,
                                         gsize              *out_len,
                                         gboolean           *marked);

G_END_DECLS

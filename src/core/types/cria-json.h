/* cria-json.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Every JSON text Cria writes — requests, exports, tool-call arguments —
 * comes from here, so that it is JSON any reader takes back. */

char *cria_json_to_data (JsonNode *root,
                         gboolean  pretty,
                         gsize    *length);

/* Whether @data holds exactly one JSON value, with only white space around
 * it, whose strings decode to valid UTF-8. JSON-GLib 1.6 reads "{…} {…}" as
 * two statements, keeps the last and loses the first (a leak on every such
 * text), and takes escapes JSON does not have (\601 is the byte 0x81) or
 * decodes them to bytes that are not UTF-8, so every text from outside is
 * checked with this before it is parsed. Brackets inside strings do not
 * count; the rest of the value is JSON-GLib's to judge. Linear, no
 * recursion. */
gboolean cria_json_is_single_value (const char *data,
                                    gsize       len);

/* A copy of @data whose strings JSON-GLib decodes to valid UTF-8, for text
 * that cria_json_is_single_value() refused: bytes that are not UTF-8, a
 * lone surrogate (a JavaScript server cutting an emoji in two) and \u0000
 * become U+FFFD, and a backslash starting no JSON escape stays a
 * backslash. Returns %NULL when nothing needed repair, with @out_len 0. */
char    *cria_json_repair_strings  (const char *data,
                                    gsize       len,
                                    gsize      *out_len);

/* JSON-GLib's words for why @error's text is not JSON, for people: without
 * its "<data>:" prefix (leaving "LINE:COLUMN: Parse error: …") and valid
 * UTF-8, since it quotes what it read cut at a byte count. */
char    *cria_json_parse_error_text (const GError *error);

G_END_DECLS

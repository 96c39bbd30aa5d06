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
 * it. JSON-GLib 1.6 reads "{…} {…}" as two statements, keeps the last and
 * loses the first (a leak on every such text), so every text from outside
 * is checked with this before it is parsed. Strings are skipped whole, so
 * brackets inside them do not count; the value itself is JSON-GLib's to
 * judge. Linear, no recursion. */
gboolean cria_json_is_single_value (const char *data,
                                    gsize       len);

G_END_DECLS

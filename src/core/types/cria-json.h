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

G_END_DECLS

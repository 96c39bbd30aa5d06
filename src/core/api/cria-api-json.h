/* cria-api-json.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Type-checked readers: a member of the wrong type reads as absent (NULL,
 * FALSE or @fallback). */
JsonObject *_cria_api_json_member_object (JsonObject  *object,
                                          const char  *name);
JsonArray  *_cria_api_json_member_array  (JsonObject  *object,
                                          const char  *name);
const char *_cria_api_json_member_string (JsonObject  *object,
                                          const char  *name);
gboolean    _cria_api_json_member_number (JsonObject  *object,
                                          const char  *name,
                                          double      *value);
/* A number from 0 to G_MAXINT64, or @fallback. */
gint64      _cria_api_json_member_int    (JsonObject  *object,
                                          const char  *name,
                                          gint64       fallback);
/* One well-formed JSON value in @data, loaded into @parser; a
 * CRIA_API_ERROR for the user otherwise. */
JsonNode   *_cria_api_json_parse         (JsonParser  *parser,
                                          const char  *data,
                                          gsize        len,
                                          GError     **error);
/* One well-formed JSON object in @data, loaded into @parser; a
 * CRIA_API_ERROR for the user otherwise. */
JsonObject *_cria_api_json_parse_object  (JsonParser  *parser,
                                          const char  *data,
                                          gsize        len,
                                          GError     **error);

G_END_DECLS

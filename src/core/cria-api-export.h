/* cria-api-export.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-record.h"

G_BEGIN_DECLS

/* A conversation as a JSON file: an OpenAI "messages" array (so any
 * OpenAI-compatible tool can replay it), each message with a "cria" object
 * holding what Cria keeps beside it, the system prompt as a first system
 * message, images as data URLs in content parts, and a "conversation"
 * object with the title, model and parameters. Reading it back gives the same
 * records. */
char                   *cria_api_export_json (const CriaConversationRecord  *record,
                                              GPtrArray                     *messages,
                                              gsize                         *length);
CriaConversationRecord *cria_api_import_json (const char                    *data,
                                              gssize                         length,
                                              GPtrArray                    **messages,
                                              GError                       **error);

G_END_DECLS

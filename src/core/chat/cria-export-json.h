/* cria-export-json.h
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
 * records.
 *
 * The export is always valid UTF-8 and always importable: text is made valid
 * and a number the import would refuse (a time outside the years 1970 to
 * 9999, a count or price that is negative or not finite) is written as
 * unknown. The import refuses JSON nested deeper than
 * %CRIA_API_JSON_MAX_DEPTH, and a file whose times, counts, prices or
 * parameters are out of range, with a message naming the member. */
char                   *cria_export_json (const CriaConversationRecord  *record,
                                              GPtrArray                     *messages,
                                              gsize                         *length);
CriaConversationRecord *cria_import_json (const char                    *data,
                                              gssize                         length,
                                              GPtrArray                    **messages,
                                              GError                       **error);

/* The largest file an import reads, and the most messages it takes. */
#define CRIA_IMPORT_MAX_BYTES (64 * 1024 * 1024)
#define CRIA_IMPORT_MAX_MESSAGES 100000

/* Reads and checks a conversation file in a worker thread, never more than
 * %CRIA_IMPORT_MAX_BYTES of it. The records come with fresh ids, so that
 * storing them makes a copy and never replaces a conversation. The errors
 * are sentences for the user: what is wrong with the file, and where. */
void                    cria_import_json_file_async  (GFile                *file,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
CriaConversationRecord *cria_import_json_file_finish (GAsyncResult         *result,
                                                     GPtrArray           **messages,
                                                     GError              **error);

G_END_DECLS

/* cria-document-json.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cria-document.h"

G_BEGIN_DECLS

/* What an import takes of one message's documents: each document's text,
 * all its pages together, and its pages, and how many a message carries.
 * The text of a document as Cria reads it stays well inside these. */
#define CRIA_DOCUMENT_JSON_MAX_TEXT_BYTES (16 * 1024 * 1024)
#define CRIA_DOCUMENT_JSON_MAX_PAGES 10000
#define CRIA_DOCUMENT_JSON_MAX_DOCUMENTS 100

/* A message's documents in an exported conversation, as an array of
 * {"name", "mime_type", "sha256", "size", "scanned_pages", "pages": […]}:
 * the whole text, so that an import has it without the files. */
void       cria_document_json_build (GPtrArray   *documents,
                                     JsonBuilder *builder);
/* Reads such an array back (element-type CriaDocument). Every member is type
 * checked; the text is made valid UTF-8 without form feeds or NULs; a hash
 * that is not SHA-256 hex, a size or page count out of range, a text past the
 * limits above is refused with an error naming the document. The source is
 * not there to check a hash against: a document keeps its hash only when it
 * is the SHA-256 of its text (pages joined by form feeds), and otherwise gets
 * that one, so that an imported text never stands in for another document
 * stored under the same hash. */
GPtrArray *cria_document_json_read  (JsonNode    *node,
                                     GError     **error);

G_END_DECLS

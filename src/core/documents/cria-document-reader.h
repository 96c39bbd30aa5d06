/* cria-document-reader.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-document.h"

G_BEGIN_DECLS

/* The largest file read at all: anything bigger is refused by its size
 * before a byte of it is read. */
#define CRIA_DOCUMENT_MAX_FILE_SIZE  (256 * 1024 * 1024)
/* The most text a document may hold, in bytes of UTF-8. */
#define CRIA_DOCUMENT_MAX_TEXT_SIZE  (32 * 1024 * 1024)
/* The largest text file read: its text in UTF-8 is at most twice its bytes
 * (Latin-1) and at least half (UTF-16 of ASCII), so this is the size past
 * which no text file can fit CRIA_DOCUMENT_MAX_TEXT_SIZE. */
#define CRIA_DOCUMENT_MAX_TEXT_FILE_SIZE  (2 * CRIA_DOCUMENT_MAX_TEXT_SIZE)
/* The most pages a PDF may have. */
#define CRIA_DOCUMENT_MAX_PAGES      10000

/* Whether a file is a document Cria reads (text-like or PDF) rather than an
 * image or something else: by @content_type (GIO's, possibly guessed from
 * the name and the first bytes) and by the extension of @name as a
 * fallback. Images are not documents. Either may be %NULL. */
gboolean      cria_document_reader_handles     (const char               *content_type,
                                                const char               *name);

/* How much of the reading is done, 0 to 1; called on the caller's main
 * context (the thread-default one when reading started), never in the
 * worker, and never after the result has been delivered. */
typedef void (*CriaDocumentProgressFunc) (double   fraction,
                                          gpointer user_data);

/* Reads @file into a CriaDocument in a worker thread. A PDF is told by its
 * bytes, not its name. Errors are CRIA_DOCUMENT_ERROR codes with a short
 * message fit to show, or G_IO_ERROR_CANCELLED. */
void          cria_document_read_file_async    (GFile                    *file,
                                                const char               *password,
                                                GCancellable             *cancellable,
                                                CriaDocumentProgressFunc  progress,
                                                gpointer                  progress_data,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
CriaDocument *cria_document_read_file_finish   (GAsyncResult             *result,
                                                GError                  **error);

/* The same for bytes already in memory (a paste, a drop), named @name. */
void          cria_document_read_bytes_async   (GBytes                   *bytes,
                                                const char               *name,
                                                const char               *password,
                                                GCancellable             *cancellable,
                                                CriaDocumentProgressFunc  progress,
                                                gpointer                  progress_data,
                                                GAsyncReadyCallback       callback,
                                                gpointer                  user_data);
CriaDocument *cria_document_read_bytes_finish  (GAsyncResult             *result,
                                                GError                  **error);

G_END_DECLS

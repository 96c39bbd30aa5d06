/* cria-document-reader-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-document-reader.h"

G_BEGIN_DECLS

/* The reader's stages, called in its worker with the bytes read and the
 * name shown in messages. */

/* Called after each page a stage has read, @done of @total. */
typedef void (*CriaDocumentPageFunc) (guint    done,
                                      guint    total,
                                      gpointer user_data);

/* Whether @data starts like a PDF: "%PDF-" in its first KiB. */
gboolean _cria_document_looks_like_pdf (const guint8 *data,
                                        gsize         len);

/* Text in whatever encoding it came in (a BOM'd UTF-8 or UTF-16, UTF-8,
 * Windows-1252 or Latin-1) as UTF-8 of @out_len bytes, not yet cleaned; or
 * %NULL with CRIA_DOCUMENT_ERROR_BINARY or _TOO_LARGE, or cancelled. */
char    *_cria_document_decode_text    (const guint8  *data,
                                        gsize          len,
                                        const char    *name,
                                        GCancellable  *cancellable,
                                        gsize         *out_len,
                                        GError       **error);

/* A PDF's pages: a NULL-terminated array of clean page strings, scanned
 * pages empty and counted in @n_scanned. */
GPtrArray *_cria_document_read_pdf     (GBytes                *bytes,
                                        const char            *name,
                                        const char            *password,
                                        GCancellable          *cancellable,
                                        CriaDocumentPageFunc   page_done,
                                        gpointer               user_data,
                                        guint                 *n_scanned,
                                        GError               **error);

G_END_DECLS

/* cria-document-reader.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-document.h"

G_BEGIN_DECLS

gboolean      cria_document_reader_handles     (const char *content_type, const char *name);
typedef void (*CriaDocumentProgressFunc) (double fraction, gpointer user_data);
void          cria_document_read_file_async    (GFile *file, const char *password,
                                                GCancellable *cancellable,
                                                CriaDocumentProgressFunc progress, gpointer progress_data,
                                                GAsyncReadyCallback callback, gpointer user_data);
CriaDocument *cria_document_read_file_finish   (GAsyncResult *result, GError **error);
void          cria_document_read_bytes_async   (GBytes *bytes, const char *name, const char *password,
                                                GCancellable *cancellable,
                                                CriaDocumentProgressFunc progress, gpointer progress_data,
                                                GAsyncReadyCallback callback, gpointer user_data);
CriaDocument *cria_document_read_bytes_finish  (GAsyncResult *result, GError **error);

G_END_DECLS

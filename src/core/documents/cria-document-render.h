/* cria-document-render.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-document.h"

G_BEGIN_DECLS

/* The longer side, in pixels, of a page rendered for OCR: enough for 9-point
 * print on an A4 page to stay legible to a vision model. */
#define CRIA_DOCUMENT_OCR_SIDE 1600
/* No page is rendered larger than this on its longer side, whatever the
 * caller asks: 4,096² pixels of 4 bytes are 64 MiB. */
#define CRIA_DOCUMENT_RENDER_MAX_SIDE 4096
/* The smallest longer side asked for that makes sense. */
#define CRIA_DOCUMENT_RENDER_MIN_SIDE 16

/* Renders page @page (0-based) of the PDF @pdf (the file's bytes) as a PNG
 * image fit for OCR, in a worker thread: scaled so that its longer side is
 * @max_side pixels (clamped to CRIA_DOCUMENT_RENDER_MIN_SIDE ..
 * CRIA_DOCUMENT_RENDER_MAX_SIDE; the shorter side is at least 1 pixel), on a
 * white background, without transparency. @password opens an encrypted PDF
 * (%NULL for none).
 *
 * Fails with CRIA_DOCUMENT_ERROR: NEEDS_PASSWORD, WRONG_PASSWORD, CORRUPT
 * (not a PDF, damaged, a page of no size), FAILED (no such page, or the
 * image could not be made), or G_IO_ERROR_CANCELLED. */
void    cria_document_render_page_async  (GBytes              *pdf,
                                          const char          *password,
                                          guint                page,
                                          int                  max_side,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
/* Returns: (transfer full): the PNG file's bytes. */
GBytes *cria_document_render_page_finish (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS

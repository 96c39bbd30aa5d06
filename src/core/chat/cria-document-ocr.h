/* cria-document-ocr.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-client.h"

G_BEGIN_DECLS

/* What one page costs, for the estimate: the picture of a page at
 * CRIA_DOCUMENT_OCR_SIDE pixels, the instruction, and a page of text. */
#define CRIA_DOCUMENT_OCR_PAGE_INPUT_TOKENS  1300
#define CRIA_DOCUMENT_OCR_PROMPT_TOKENS      40
#define CRIA_DOCUMENT_OCR_PAGE_OUTPUT_TOKENS 700
/* The most a model may write for one page (max_tokens), and the most of its
 * answer kept, in bytes: a dense page is a few thousand tokens. */
#define CRIA_DOCUMENT_OCR_MAX_TOKENS         4096
#define CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES     (64 * 1024)

#define CRIA_TYPE_DOCUMENT_OCR (cria_document_ocr_get_type ())

G_DECLARE_FINAL_TYPE (CriaDocumentOcr, cria_document_ocr, CRIA, DOCUMENT_OCR, GObject)

/* Transcribes @pages (0-based page numbers, typically the scanned ones) of
 * the PDF @pdf (its content hash @hash, from CriaDocument) with the vision
 * model @model_id through @client, one page at a time: each page is rendered
 * (cria_document_render_page_async()) and sent as a PNG image with a short
 * instruction in one non-streamed request.
 *
 * Transcriptions are cached, one file per page, under
 * $XDG_CACHE_HOME/cria/ocr/HASH/MODEL-PAGE.txt (PAGE 1-based), so a page is
 * never paid for twice; a page that failed is not cached.
 *
 * The prices for "cost" come from the bundled catalogue when it knows
 * @model_id; cria_document_ocr_set_prices() gives others. */
CriaDocumentOcr *cria_document_ocr_new           (CriaClient          *client,
                                                  const char          *model_id,
                                                  GBytes              *pdf,
                                                  const char          *hash,
                                                  const char          *password,
                                                  const guint         *pages,
                                                  guint                n_pages);
/* Transcribes the text in one picture, @image (a PNG or JPEG as
 * @mime_type says, sent as it is), as a document of one page: the same
 * request, cache and cost as a scanned page, with @hash (the picture's
 * bytes' hash) naming its cache folder. */
CriaDocumentOcr *cria_document_ocr_new_for_image (CriaClient          *client,
                                                  const char          *model_id,
                                                  GBytes              *image,
                                                  const char          *mime_type,
                                                  const char          *hash);
/* The model that reads; changing it (not while running) takes that
 * model's catalogue prices, and its own cache. */
const char      *cria_document_ocr_get_model_id  (CriaDocumentOcr     *self);
void             cria_document_ocr_set_model_id  (CriaDocumentOcr     *self,
                                                  const char          *model_id);
/* USD per million tokens; negative: unknown (no cost is counted then). */
void             cria_document_ocr_set_prices    (CriaDocumentOcr     *self,
                                                  double               input_price,
                                                  double               output_price);
/* Estimated USD before running, at the given prices per million tokens:
 * CRIA_DOCUMENT_OCR_PAGE_INPUT_TOKENS + CRIA_DOCUMENT_OCR_PROMPT_TOKENS in
 * and CRIA_DOCUMENT_OCR_PAGE_OUTPUT_TOKENS out per page not yet in the
 * cache; 0 when all are. Negative when a price is unknown. */
double           cria_document_ocr_estimate_cost (CriaDocumentOcr     *self,
                                                  double               input_price,
                                                  double               output_price);
/* How many of the requested pages are in the cache already. */
guint            cria_document_ocr_get_n_cached  (CriaDocumentOcr     *self);
guint            cria_document_ocr_get_n_pages   (CriaDocumentOcr     *self);

/* Runs the pages in order. Cancelling stops the request in flight and the
 * run with G_IO_ERROR_CANCELLED; the pages finished before stay cached. One
 * run at a time. */
void             cria_document_ocr_run_async     (CriaDocumentOcr     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* Returns: (transfer full) (element-type utf8): the transcriptions, one per
 * requested page in order: valid UTF-8 cleaned by
 * cria_document_clean_page_text(), at most CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES
 * each. Fails with the first failing page's error. */
GPtrArray       *cria_document_ocr_run_finish    (CriaDocumentOcr     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* The "progress" property: the share of the pages done in this run, 0..1,
 * notified per page. */
double           cria_document_ocr_get_progress   (CriaDocumentOcr    *self);
/* The "pages-done" property: pages done in this run. */
guint            cria_document_ocr_get_pages_done (CriaDocumentOcr    *self);
/* The "cost" property: USD spent so far, from the usage the server reported,
 * over every run of this object. */
double           cria_document_ocr_get_cost       (CriaDocumentOcr    *self);

G_END_DECLS

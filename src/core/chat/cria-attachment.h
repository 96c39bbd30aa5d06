/* cria-attachment.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-client.h"
#include "cria-document.h"
#include "cria-document-ocr.h"
#include "cria-image-preparer.h"

G_BEGIN_DECLS

/**
 * CriaAttachmentState:
 * @CRIA_ATTACHMENT_STATE_PREPARING: the image is being read and re-encoded,
 *   or the document read
 * @CRIA_ATTACHMENT_STATE_READY: it can be sent
 * @CRIA_ATTACHMENT_STATE_FAILED: it could not be prepared; the error says why
 */
typedef enum
{
  CRIA_ATTACHMENT_STATE_PREPARING,
  CRIA_ATTACHMENT_STATE_READY,
  CRIA_ATTACHMENT_STATE_FAILED,
} CriaAttachmentState;

/**
 * CriaAttachmentKind:
 * @CRIA_ATTACHMENT_KIND_UNKNOWN: not known yet: a file's type is looked up
 *   when it is prepared
 * @CRIA_ATTACHMENT_KIND_IMAGE: a picture, sent as an image part
 * @CRIA_ATTACHMENT_KIND_DOCUMENT: a text file or a PDF, sent as its text
 */
typedef enum
{
  CRIA_ATTACHMENT_KIND_UNKNOWN,
  CRIA_ATTACHMENT_KIND_IMAGE,
  CRIA_ATTACHMENT_KIND_DOCUMENT,
} CriaAttachmentKind;

#define CRIA_TYPE_ATTACHMENT (cria_attachment_get_type ())

G_DECLARE_FINAL_TYPE (CriaAttachment, cria_attachment, CRIA, ATTACHMENT, GObject)

/* An image or a document on its way into a message: a file or pasted data,
 * prepared for sending as soon as cria_attachment_prepare() is called. A
 * file whose type is an image is an image; any other file is read as a
 * document (text or PDF), which refuses what is neither. Its properties
 * change on the main context that called prepare. */
CriaAttachment      *cria_attachment_new_for_file      (GFile           *file);
CriaAttachment      *cria_attachment_new_for_bytes     (GBytes          *bytes,
                                                        const char      *name);
/* Decoded pixels, as cria_image_prepare_pixels_async() takes them. */
CriaAttachment      *cria_attachment_new_for_pixels    (GBytes          *pixels,
                                                        int              width,
                                                        int              height,
                                                        int              stride,
                                                        const char      *name);
/* Starts preparing with the longest side at most @max_side. */
void                 cria_attachment_prepare           (CriaAttachment  *self,
                                                        int              max_side);
/* Stops a preparation in progress; the state becomes FAILED with
 * G_IO_ERROR_CANCELLED. */
void                 cria_attachment_cancel            (CriaAttachment  *self);
/* Reads a password-protected PDF again with @password, held in memory for
 * this attachment only; prepare's other settings stay. */
void                 cria_attachment_unlock            (CriaAttachment  *self,
                                                        const char      *password);
/* Reading a PDF's scanned pages (no text layer) with a vision model: plan
 * loads the file again and makes the job, not started, so its cost can be
 * shown first (cria_document_ocr_estimate_cost()); run runs it. While it
 * runs the attachment is PREPARING, with the job's progress; after, READY
 * with those pages' text in its document (a document of its own, with a
 * hash of its own), or, when it failed or was cancelled, with the document
 * it had and the reason in "ocr-error".
 *
 * The same for a READY image: its text transcribed by the vision model
 * (for a chat whose model cannot see). After, it is a DOCUMENT of one page
 * named as the image, holding that text; when it failed or was cancelled,
 * still the image, the reason in "ocr-error". */
void                 cria_attachment_plan_ocr_async    (CriaAttachment      *self,
                                                        CriaClient          *client,
                                                        const char          *model_id,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
CriaDocumentOcr     *cria_attachment_plan_ocr_finish   (CriaAttachment      *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void                 cria_attachment_run_ocr           (CriaAttachment      *self,
                                                        CriaDocumentOcr     *ocr);
const GError        *cria_attachment_get_ocr_error     (CriaAttachment      *self);
/* Whether a job started by cria_attachment_run_ocr() is running. */
gboolean             cria_attachment_get_ocr_running   (CriaAttachment      *self);
/* Whether it failed for want of the right password. */
gboolean             cria_attachment_needs_password    (CriaAttachment  *self);

GFile               *cria_attachment_get_file          (CriaAttachment  *self);
const char          *cria_attachment_get_name          (CriaAttachment  *self);
CriaAttachmentState  cria_attachment_get_state         (CriaAttachment  *self);
double               cria_attachment_get_progress      (CriaAttachment  *self);
/* The reason it failed, fit to show; %NULL unless FAILED. */
const GError        *cria_attachment_get_error         (CriaAttachment  *self);
CriaAttachmentKind   cria_attachment_get_kind          (CriaAttachment  *self);
/* The prepared image; %NULL unless a READY image. */
CriaPreparedImage   *cria_attachment_get_image         (CriaAttachment  *self);
/* The document's text; %NULL unless a READY document. */
CriaDocument        *cria_attachment_get_document      (CriaAttachment  *self);
/* The source's size in bytes, or -1 before it is known. */
gint64               cria_attachment_get_original_size (CriaAttachment  *self);

G_END_DECLS

/* cria-attachment-chip.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cria-attachment.h"

G_BEGIN_DECLS

#define CRIA_TYPE_ATTACHMENT_CHIP (cria_attachment_chip_get_type ())

G_DECLARE_FINAL_TYPE (CriaAttachmentChip, cria_attachment_chip, CRIA, ATTACHMENT_CHIP, GtkWidget)

/* An image in the composer: thumbnail, name, sizes, progress while it is
 * prepared, the reason when it failed, a remove button (::remove-requested)
 * and, on click, a larger preview. */
GtkWidget      *cria_attachment_chip_new            (CriaAttachment     *attachment);
CriaAttachment *cria_attachment_chip_get_attachment (CriaAttachmentChip *self);
void            cria_attachment_chip_show_preview   (CriaAttachmentChip *self);

/* The model's price for input, USD per million tokens (negative when
 * unknown): a document's chip says what sending it costs. */
void            cria_attachment_chip_set_input_price (CriaAttachmentChip *self,
                                                      double              usd_per_million);
void            cria_attachment_chip_ask_password    (CriaAttachmentChip *self);

/* A document too long to send whole is searched instead: the chip says so,
 * and what indexing it once costs with @model_name: @index_tokens still to
 * embed (negative while unknown) at @usd_per_million (negative when
 * unknown). */
void            cria_attachment_chip_set_searched    (CriaAttachmentChip *self,
                                                      gboolean            searched,
                                                      const char         *model_name,
                                                      gint64              index_tokens,
                                                      double              usd_per_million);
gboolean        cria_attachment_chip_get_searched    (CriaAttachmentChip *self);
/* While the document is being indexed, how far (0 to 1); negative when it
 * is not. */
void            cria_attachment_chip_set_indexing    (CriaAttachmentChip *self,
                                                      double              fraction);
/* Why indexing the document failed, shown on the chip until it is indexed
 * again or stops being searched; %NULL clears it. */
void            cria_attachment_chip_set_index_error (CriaAttachmentChip *self,
                                                      const char         *message);
const char     *cria_attachment_chip_get_index_error (CriaAttachmentChip *self);

G_END_DECLS

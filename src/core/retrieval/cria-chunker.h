/* cria-chunker.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-document.h"
#include "cria-store-chunks.h"

G_BEGIN_DECLS

/* A chunk ends once the next sentence would take it past the maximum, so
 * most chunks hold between the target and the maximum. */
#define CRIA_CHUNK_TARGET_TOKENS 300
#define CRIA_CHUNK_MAX_TOKENS    400
/* What a chunk cut for its size repeats of the one before it, in percent. */
#define CRIA_CHUNK_OVERLAP_PERCENT 15

/* Cuts @document into chunks (CriaStoreChunk, numbered from 0, in order) by
 * its structure: pages first (a chunk never spans two), then Markdown
 * headings (a heading starts a chunk), blank-line paragraphs and sentences;
 * a run of text without breaks is cut at spaces, or between characters.
 * A chunk cut because it is full begins with the last ~15 % of the one
 * before it, so a passage across the cut is whole in one of them. Empty
 * pages give no chunk. Deterministic: the same document gives the same
 * chunks, which is what lets an index resume. Pure, thread-safe. */
GPtrArray *cria_chunker_split      (CriaDocument *document);

/* The same for one page's @text, numbering from @first_index. */
void       cria_chunker_split_page (const char   *text,
                                    guint         page,
                                    guint         first_index,
                                    GPtrArray    *chunks);

G_END_DECLS

/* cria-store-chunks.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-store.h"

G_BEGIN_DECLS

/**
 * CriaStoreChunk:
 * @id: its row in the history, 0 before it is stored
 * @hash: (nullable): the document's hash, when the query says it
 * @index: its place in the document, from 0
 * @page: the page it is on, from 1 (a chunk never spans pages)
 * @tokens: an estimate of the tokens its text takes
 * @text: its text, valid UTF-8
 * @has_vector: whether it has a vector for the model asked about
 * @vector: (nullable): its vector, when asked for (@dimension floats)
 * @dimension: the length of @vector
 *
 * A passage of a document, as the history keeps it for answering from it.
 */
typedef struct
{
  gint64    id;
  char     *hash;
  guint     index;
  guint     page;
  gint64    tokens;
  char     *text;
  gboolean  has_vector;
  float    *vector;
  guint     dimension;
} CriaStoreChunk;

CriaStoreChunk *cria_store_chunk_new  (guint                 index,
                                       guint                 page,
                                       const char           *text);
CriaStoreChunk *cria_store_chunk_copy (const CriaStoreChunk *chunk);
void            cria_store_chunk_free (CriaStoreChunk       *chunk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaStoreChunk, cria_store_chunk_free)

/**
 * CriaStoreVectors:
 * @dimension: the length of every vector
 * @n_vectors: how many
 * @ids: the chunks' row ids
 * @values: @n_vectors × @dimension floats, vector after vector
 *
 * The vectors of a document's chunks for one embedding model.
 */
typedef struct
{
  guint   dimension;
  guint   n_vectors;
  gint64 *ids;
  float  *values;
} CriaStoreVectors;

void            cria_store_vectors_free (CriaStoreVectors *vectors);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaStoreVectors, cria_store_vectors_free)

/* Keeps @chunks (CriaStoreChunk, in order) as the chunks of the document
 * @hash, unless it has some already (the chunker is deterministic: they
 * are the same). Finish returns the document's chunks as stored, with
 * their ids and whether each has a vector for @model. */
void            cria_store_add_chunks_async     (CriaStore            *self,
                                                 const char           *hash,
                                                 GPtrArray            *chunks,
                                                 const char           *model,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray      *cria_store_add_chunks_finish    (CriaStore            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Stores the vectors of the chunks @ids for @model in one transaction: all
 * of them or, on failure, none. @values holds @n_ids × @dimension floats;
 * they are kept as float16. A chunk that is gone fails the whole call. */
void            cria_store_add_vectors_async    (CriaStore            *self,
                                                 const char           *model,
                                                 guint                 dimension,
                                                 const gint64         *ids,
                                                 guint                 n_ids,
                                                 const float          *values,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        cria_store_add_vectors_finish   (CriaStore            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* The vectors for @model of the chunks of each document of @hashes: a
 * GPtrArray of CriaStoreVectors, one per hash, in order (with no vectors
 * when a document has none). */
void            cria_store_load_vectors_async   (CriaStore            *self,
                                                 const char * const   *hashes,
                                                 const char           *model,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray      *cria_store_load_vectors_finish  (CriaStore            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* What a search needs from the history: the chunks @ids with their exact
 * vectors for @model (@candidates, in the order of @ids, those gone left
 * out), and the chunks of the documents @hashes that match the words of
 * @query, best first, at most @keyword_limit (@keyword_hits; empty when
 * @query has no word). */
void            cria_store_match_chunks_async   (CriaStore            *self,
                                                 const char * const   *hashes,
                                                 const char           *model,
                                                 const gint64         *ids,
                                                 guint                 n_ids,
                                                 const char           *query,
                                                 guint                 keyword_limit,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        cria_store_match_chunks_finish  (CriaStore            *self,
                                                 GAsyncResult         *result,
                                                 GPtrArray           **candidates,
                                                 GPtrArray           **keyword_hits,
                                                 GError              **error);

/* float16 (IEEE 754 binary16) as the history keeps vectors. */
guint16         cria_store_half_from_float      (float                 value);
float           cria_store_half_to_float        (guint16               half);

G_END_DECLS

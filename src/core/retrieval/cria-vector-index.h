/* cria-vector-index.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The vectors of chunks in memory, for finding the nearest ones fast: each
 * vector normalised and quantised to int8 with a scale of its own, all of
 * them in one contiguous array (768 dimensions: 768 bytes and a float a
 * vector, 100,000 vectors in about 74 MiB). A search ranks by the int8 dot
 * product, which is the cosine up to the quantisation error (about 1 %);
 * the caller re-ranks the best with exact vectors. Built by one thread,
 * then read by any number at once. */
typedef struct _CriaVectorIndex CriaVectorIndex;

typedef struct
{
  gint64 id;
  float  score;
} CriaVectorHit;

CriaVectorIndex *cria_vector_index_new           (guint                  dimension,
                                                  guint                  n_reserved);
CriaVectorIndex *cria_vector_index_ref           (CriaVectorIndex       *self);
void             cria_vector_index_unref         (CriaVectorIndex       *self);
guint            cria_vector_index_get_dimension (CriaVectorIndex       *self);
guint            cria_vector_index_get_n_vectors (CriaVectorIndex       *self);
/* The bytes it holds. */
gsize            cria_vector_index_get_size      (CriaVectorIndex       *self);
/* Adds @vector (@dimension floats, any length but zero) under @id. */
void             cria_vector_index_add           (CriaVectorIndex       *self,
                                                  gint64                 id,
                                                  const float           *vector);
/* The @k vectors nearest to @query (@dimension floats) by cosine, best
 * first, into @hits; returns how many (fewer when the index is smaller). */
guint            cria_vector_index_search        (CriaVectorIndex       *self,
                                                  const float           *query,
                                                  guint                  k,
                                                  CriaVectorHit         *hits);

/* @vector normalised and quantised: @out gets @dimension int8 values and
 * @scale what one step is worth, so that value[i] ≈ out[i] × scale. A zero
 * vector gives zeros and a scale of 0. */
void             cria_vector_quantise            (const float           *vector,
                                                  guint                  dimension,
                                                  gint8                 *out,
                                                  float                 *scale);
/* The cosine of two vectors of @dimension floats (0 when one is zero). */
float            cria_vector_cosine              (const float           *a,
                                                  const float           *b,
                                                  guint                  dimension);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaVectorIndex, cria_vector_index_unref)

G_END_DECLS

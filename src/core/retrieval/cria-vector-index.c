/* cria-vector-index.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "cria-vector-index.h"

struct _CriaVectorIndex
{
  gatomicrefcount  ref_count;
  guint            dimension;
  guint            n_vectors;
  guint            n_allocated;
  /* n_vectors × dimension, vector after vector. */
  gint8           *values;
  float           *scales;
  gint64          *ids;
};

CriaVectorIndex *
cria_vector_index_new (guint dimension,
                       guint n_reserved)
{
  CriaVectorIndex *self;

  g_return_val_if_fail (dimension > 0, NULL);

  self = g_new0 (CriaVectorIndex, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->dimension = dimension;
  self->n_allocated = MAX (n_reserved, 16);
  self->values = g_new (gint8, (gsize) self->n_allocated * dimension);
  self->scales = g_new (float, self->n_allocated);
  self->ids = g_new (gint64, self->n_allocated);

  return self;
}

CriaVectorIndex *
cria_vector_index_ref (CriaVectorIndex *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
cria_vector_index_unref (CriaVectorIndex *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->values);
  g_free (self->scales);
  g_free (self->ids);
  g_free (self);
}

guint
cria_vector_index_get_dimension (CriaVectorIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->dimension;
}

guint
cria_vector_index_get_n_vectors (CriaVectorIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_vectors;
}

gsize
cria_vector_index_get_size (CriaVectorIndex *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sizeof *self + (gsize) self->n_allocated * (self->dimension + sizeof (float) + sizeof (gint64));
}

void
cria_vector_quantise (const float *vector,
                      guint        dimension,
                      gint8       *out,
                      float       *scale)
{
  double norm = 0;
  float max = 0;
  float step;

  for (guint i = 0; i < dimension; i++)
    norm += (double) vector[i] * vector[i];
  norm = sqrt (norm);

  for (guint i = 0; i < dimension; i++)
    max = MAX (max, fabsf (vector[i]));

  if (norm == 0 || max == 0 || !isfinite (norm))
    {
      memset (out, 0, dimension);
      *scale = 0;
      return;
    }

  /* Each vector gets the whole int8 range: its largest value is ±127. */
  step = (float) (max / norm / 127.0);
  for (guint i = 0; i < dimension; i++)
    {
      float q = roundf ((float) (vector[i] / norm) / step);

      out[i] = (gint8) CLAMP (q, -127, 127);
    }
  *scale = step;
}

float
cria_vector_cosine (const float *a,
                    const float *b,
                    guint        dimension)
{
  double dot = 0;
  double na = 0;
  double nb = 0;

  for (guint i = 0; i < dimension; i++)
    {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }

  if (na == 0 || nb == 0)
    return 0;

  return (float) (dot / sqrt (na * nb));
}

void
cria_vector_index_add (CriaVectorIndex *self,
                       gint64           id,
                       const float     *vector)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (vector != NULL);

  if (self->n_vectors == self->n_allocated)
    {
      self->n_allocated *= 2;
      self->values = g_renew (gint8, self->values, (gsize) self->n_allocated * self->dimension);
      self->scales = g_renew (float, self->scales, self->n_allocated);
      self->ids = g_renew (gint64, self->ids, self->n_allocated);
    }

  cria_vector_quantise (vector, self->dimension,
                        self->values + (gsize) self->n_vectors * self->dimension,
                        &self->scales[self->n_vectors]);
  self->ids[self->n_vectors] = id;
  self->n_vectors++;
}

/* The hot loop, 16 values a step where SSE2 is there (every x86-64): the
 * int8 values widened to int16, multiplied and added in pairs into int32
 * (pmaddwd). 127 × 127 × 2 fits int32 with room for 65,000 steps. */
static inline gint32
dot_int8 (const gint8 *restrict a,
          const gint8 *restrict b,
          guint                 n)
{
  gint32 sum = 0;
  guint i = 0;

#ifdef __SSE2__
  __m128i acc = _mm_setzero_si128 ();

  for (; i + 16 <= n; i += 16)
    {
      __m128i va = _mm_loadu_si128 ((const __m128i *) (a + i));
      __m128i vb = _mm_loadu_si128 ((const __m128i *) (b + i));
      /* Sign extension: the byte into the high half, shifted back down. */
      __m128i a_lo = _mm_srai_epi16 (_mm_unpacklo_epi8 (va, va), 8);
      __m128i a_hi = _mm_srai_epi16 (_mm_unpackhi_epi8 (va, va), 8);
      __m128i b_lo = _mm_srai_epi16 (_mm_unpacklo_epi8 (vb, vb), 8);
      __m128i b_hi = _mm_srai_epi16 (_mm_unpackhi_epi8 (vb, vb), 8);

      acc = _mm_add_epi32 (acc, _mm_madd_epi16 (a_lo, b_lo));
      acc = _mm_add_epi32 (acc, _mm_madd_epi16 (a_hi, b_hi));
    }
  acc = _mm_add_epi32 (acc, _mm_shuffle_epi32 (acc, _MM_SHUFFLE (1, 0, 3, 2)));
  acc = _mm_add_epi32 (acc, _mm_shuffle_epi32 (acc, _MM_SHUFFLE (2, 3, 0, 1)));
  sum = _mm_cvtsi128_si32 (acc);
#endif

  for (; i < n; i++)
    sum += (gint16) a[i] * (gint16) b[i];

  return sum;
}

/* A min-heap of the best k by score: the root is the worst kept. */
static void
sift_down (CriaVectorHit *heap,
           guint          n,
           guint          i)
{
  for (;;)
    {
      guint smallest = i;
      guint left = 2 * i + 1;
      guint right = left + 1;
      CriaVectorHit tmp;

      if (left < n && heap[left].score < heap[smallest].score)
        smallest = left;
      if (right < n && heap[right].score < heap[smallest].score)
        smallest = right;
      if (smallest == i)
        return;
      tmp = heap[i];
      heap[i] = heap[smallest];
      heap[smallest] = tmp;
      i = smallest;
    }
}

static void
sift_up (CriaVectorHit *heap,
         guint          i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      CriaVectorHit tmp;

      if (heap[parent].score <= heap[i].score)
        return;
      tmp = heap[i];
      heap[i] = heap[parent];
      heap[parent] = tmp;
      i = parent;
    }
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const CriaVectorHit *ha = a;
  const CriaVectorHit *hb = b;

  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;

  /* Ties in a fixed order: the same search gives the same list. */
  return ha->id < hb->id ? -1 : ha->id > hb->id;
}

/* Whether @a ranks before @b: higher score, then lower id (a strict
 * order, so the same search gives the same list). */
static inline gboolean
better (const CriaVectorHit *a,
        const CriaVectorHit *b)
{
  return a->score > b->score || (a->score == b->score && a->id < b->id);
}

static inline void
swap_hits (CriaVectorHit *a,
           CriaVectorHit *b)
{
  CriaVectorHit tmp = *a;

  *a = *b;
  *b = tmp;
}

/* Quickselect: afterwards the first @k of @hits are the @k best, in no
 * order. Linear on average; the pivot is the median of three. */
static void
select_best (CriaVectorHit *hits,
             guint          n,
             guint          k)
{
  guint lo = 0;
  guint hi = n;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      guint store = lo;

      /* The median of lo, mid and hi - 1 to hi - 1, as the pivot. */
      if (better (&hits[mid], &hits[lo]))
        swap_hits (&hits[mid], &hits[lo]);
      if (better (&hits[hi - 1], &hits[lo]))
        swap_hits (&hits[hi - 1], &hits[lo]);
      if (better (&hits[mid], &hits[hi - 1]))
        swap_hits (&hits[mid], &hits[hi - 1]);

      for (guint i = lo; i < hi - 1; i++)
        if (better (&hits[i], &hits[hi - 1]))
          swap_hits (&hits[i], &hits[store++]);
      swap_hits (&hits[store], &hits[hi - 1]);

      if (store + 1 == k || store == k)
        return;
      if (store + 1 > k)
        hi = store;
      else
        lo = store + 1;
    }
}

guint
cria_vector_index_search (CriaVectorIndex *self,
                          const float     *query,
                          guint            k,
                          CriaVectorHit   *hits)
{
  g_autofree gint8 *q = NULL;
  float q_scale;
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (query != NULL, 0);
  g_return_val_if_fail (k == 0 || hits != NULL, 0);

  if (k == 0)
    return 0;

  q = g_new (gint8, self->dimension);
  cria_vector_quantise (query, self->dimension, q, &q_scale);

  /* Many wanted (a search's candidates): every score, then a linear
   * selection, rather than thousands of heap updates. */
  if (k > 64 && self->n_vectors > k)
    {
      g_autofree CriaVectorHit *all = g_new (CriaVectorHit, self->n_vectors);

      for (guint i = 0; i < self->n_vectors; i++)
        {
          gint32 dot = dot_int8 (self->values + (gsize) i * self->dimension, q, self->dimension);

          all[i].id = self->ids[i];
          all[i].score = (float) dot * self->scales[i] * q_scale;
        }
      select_best (all, self->n_vectors, k);
      memcpy (hits, all, sizeof (CriaVectorHit) * k);
      qsort (hits, k, sizeof *hits, compare_hits);

      return k;
    }

  for (guint i = 0; i < self->n_vectors; i++)
    {
      gint32 dot = dot_int8 (self->values + (gsize) i * self->dimension, q, self->dimension);
      CriaVectorHit hit = { self->ids[i], (float) dot * self->scales[i] * q_scale };

      if (n < k)
        {
          hits[n] = hit;
          sift_up (hits, n);
          n++;
        }
      else if (hit.score > hits[0].score)
        {
          hits[0] = hit;
          sift_down (hits, n, 0);
        }
    }

  qsort (hits, n, sizeof *hits, compare_hits);

  return n;
}

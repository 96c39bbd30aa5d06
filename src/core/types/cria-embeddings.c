/* cria-embeddings.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-embeddings-private.h"

struct _CriaEmbeddings
{
  gatomicrefcount  ref_count;
  char            *model;
  GPtrArray       *vectors;
  CriaUsage        usage;
};

G_DEFINE_BOXED_TYPE (CriaEmbeddings, cria_embeddings, cria_embeddings_ref, cria_embeddings_unref)

CriaEmbeddings *
_cria_embeddings_new (const char *model)
{
  CriaEmbeddings *self = g_new0 (CriaEmbeddings, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->model = g_strdup (model);
  self->vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  return self;
}

CriaEmbeddings *
cria_embeddings_ref (CriaEmbeddings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
cria_embeddings_unref (CriaEmbeddings *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->model);
  g_ptr_array_unref (self->vectors);
  g_free (self);
}

guint
cria_embeddings_get_n_vectors (CriaEmbeddings *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->vectors->len;
}

/**
 * cria_embeddings_get_vector:
 * @index: the input's position
 * @n_dimensions: (out): the vector's length
 *
 * Returns: (array length=n_dimensions): the embedding of input @index
 */
const float *
cria_embeddings_get_vector (CriaEmbeddings *self,
                            guint           index,
                            gsize          *n_dimensions)
{
  GArray *vector;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->vectors->len, NULL);

  vector = g_ptr_array_index (self->vectors, index);
  if (n_dimensions != NULL)
    *n_dimensions = vector->len;

  return (const float *) (gpointer) vector->data;
}

const CriaUsage *
cria_embeddings_get_usage (CriaEmbeddings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->usage;
}

const char *
cria_embeddings_get_model (CriaEmbeddings *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->model;
}

void
_cria_embeddings_set_vector (CriaEmbeddings *self,
                             guint           index,
                             GArray         *vector)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (vector != NULL);

  if (index >= self->vectors->len)
    {
      guint old_len = self->vectors->len;

      g_ptr_array_set_size (self->vectors, index + 1);
      for (guint i = old_len; i < self->vectors->len; i++)
        if (i != index)
          g_ptr_array_index (self->vectors, i) = g_array_new (FALSE, FALSE, sizeof (float));
    }
  else
    g_clear_pointer (&g_ptr_array_index (self->vectors, index), g_array_unref);

  g_ptr_array_index (self->vectors, index) = vector;
}

void
_cria_embeddings_set_usage (CriaEmbeddings  *self,
                            const CriaUsage *usage)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (usage != NULL);

  self->usage = *usage;
}

/* cria-embeddings.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-usage.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_EMBEDDING_FORMAT_FLOAT,
  CRIA_EMBEDDING_FORMAT_BASE64,
} CriaEmbeddingFormat;

#define CRIA_TYPE_EMBEDDINGS (cria_embeddings_get_type ())

typedef struct _CriaEmbeddings CriaEmbeddings;

GType            cria_embeddings_get_type    (void) G_GNUC_CONST;
CriaEmbeddings  *cria_embeddings_ref         (CriaEmbeddings *self);
void             cria_embeddings_unref       (CriaEmbeddings *self);
guint            cria_embeddings_get_n_vectors (CriaEmbeddings *self);
const float     *cria_embeddings_get_vector  (CriaEmbeddings *self,
                                              guint           index,
                                              gsize          *n_dimensions);
const CriaUsage *cria_embeddings_get_usage   (CriaEmbeddings *self);
const char      *cria_embeddings_get_model   (CriaEmbeddings *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaEmbeddings, cria_embeddings_unref)

G_END_DECLS

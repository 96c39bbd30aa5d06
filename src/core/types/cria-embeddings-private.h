/* cria-embeddings-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-embeddings.h"

G_BEGIN_DECLS

CriaEmbeddings *_cria_embeddings_new        (const char      *model);
/* Stores @vector at @index (taking ownership), growing the list as needed. */
void            _cria_embeddings_set_vector (CriaEmbeddings  *self,
                                             guint            index,
                                             GArray          *vector);
void            _cria_embeddings_set_usage  (CriaEmbeddings  *self,
                                             const CriaUsage *usage);

G_END_DECLS

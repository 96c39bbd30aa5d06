/* cria-retrieval-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-retrieval.h"

G_BEGIN_DECLS

/* Passages per /embeddings request. */
#define CRIA_RETRIEVAL_BATCH_SIZE 32

/* For tests: smaller batches, so that a short document takes several. */
void _cria_retrieval_set_batch_size (CriaRetrieval *self,
                                     guint          batch_size);

G_END_DECLS

/* cria-retrieval.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-client.h"
#include "cria-document.h"
#include "cria-source.h"
#include "cria-store.h"
#include "cria-usage.h"

G_BEGIN_DECLS

#define CRIA_RETRIEVAL_ERROR (cria_retrieval_error_quark ())

/**
 * CriaRetrievalError:
 * @CRIA_RETRIEVAL_ERROR_NOT_INDEXED: a document has no vectors for the model
 * @CRIA_RETRIEVAL_ERROR_BAD_VECTORS: the embedding model's answer is unusable
 *   (vectors of the wrong length or count, not numbers, zero)
 * @CRIA_RETRIEVAL_ERROR_NOT_FOUND: no passage was found for the question
 *
 * Besides these, errors of the client (CRIA_API_ERROR), the store
 * (CRIA_STORE_ERROR) and G_IO_ERROR_CANCELLED pass through.
 */
typedef enum
{
  CRIA_RETRIEVAL_ERROR_NOT_INDEXED,
  CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
  CRIA_RETRIEVAL_ERROR_NOT_FOUND,
} CriaRetrievalError;

GQuark cria_retrieval_error_quark (void);

/* The embedding model used when no other is set. */
#define CRIA_RETRIEVAL_DEFAULT_MODEL "nomic-embed-text"

#define CRIA_TYPE_RETRIEVAL (cria_retrieval_get_type ())

G_DECLARE_FINAL_TYPE (CriaRetrieval, cria_retrieval, CRIA, RETRIEVAL, GObject)

/* Answers questions from documents too long to send whole: a document is cut
 * into chunks by its structure (pages, headings, paragraphs; a few hundred
 * tokens each, overlapping), the chunks are embedded with an embedding model
 * through @client and kept in @store (keyed by the document's content hash and
 * the model, shared by every chat that attaches the document), and a question
 * is answered with the chunks nearest to it in meaning, combined with a
 * keyword match. Heavy work runs off the main thread; results come back on the
 * caller's thread-default main context. */
CriaRetrieval *cria_retrieval_new          (CriaClient           *client,
                                            CriaStore            *store);
const char    *cria_retrieval_get_model    (CriaRetrieval        *self);
void           cria_retrieval_set_model    (CriaRetrieval        *self,
                                            const char           *model);

/* What indexing @document with the current model still needs: how many
 * chunks it has, how many of them have no vector yet, and the tokens those
 * take (what embedding them will be billed for). */
void           cria_retrieval_plan_async   (CriaRetrieval        *self,
                                            CriaDocument         *document,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean       cria_retrieval_plan_finish  (CriaRetrieval        *self,
                                            GAsyncResult         *result,
                                            guint                *n_chunks,
                                            guint                *n_missing,
                                            gint64               *missing_tokens,
                                            GError              **error);

/* Told on the caller's context as batches are stored. */
typedef void (*CriaRetrievalProgress) (guint    n_done,
                                       guint    n_total,
                                       gpointer user_data);

/* Chunks @document, embeds the chunks that have no vector with the current
 * model, in batches, and stores each batch as it arrives: an interrupted
 * index resumes where it stopped and pays only for the rest. Cancelling stops
 * between batches (what is stored stays). Finish returns the usage of the
 * embeddings paid for by this call (zero tokens when none were missing). */
void           cria_retrieval_index_async  (CriaRetrieval        *self,
                                            CriaDocument         *document,
                                            CriaRetrievalProgress progress,
                                            gpointer              progress_data,
                                            GDestroyNotify        progress_destroy,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
CriaUsage     *cria_retrieval_index_finish (CriaRetrieval        *self,
                                            GAsyncResult         *result,
                                            GError              **error);

/* Embeds @question and takes the passages of @documents (element-type
 * CriaDocument, each indexed with the current model) that best answer it:
 * nearest by cosine similarity combined with a full-text keyword match, best
 * first, as many as fit in @budget_tokens. Finish returns them (element-type
 * CriaSource, never empty on success) and the usage of embedding the
 * question. */
void           cria_retrieval_search_async (CriaRetrieval        *self,
                                            GPtrArray            *documents,
                                            const char           *question,
                                            gint64                budget_tokens,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray     *cria_retrieval_search_finish (CriaRetrieval       *self,
                                             GAsyncResult        *result,
                                             CriaUsage          **usage,
                                             GError             **error);

G_END_DECLS

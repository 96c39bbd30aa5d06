/* cria-store-chunks-async.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The callers' side of the chunks' jobs (cria-store-chunks.c runs them on
 * the worker): each call copies its arguments into a payload and queues it.
 */

#include "config.h"

#include "cria-store-chunks.h"
#include "cria-store-private.h"

/* A vector longer than any embedding model's (qwen3-embedding-8b: 4096). */
#define MAX_DIMENSION 16384

void
cria_store_add_chunks_async (CriaStore           *self,
                             const char          *hash,
                             GPtrArray           *chunks,
                             const char          *model,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  CriaStoreAddChunksJob *add;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (hash != NULL);
  g_return_if_fail (chunks != NULL);
  g_return_if_fail (model != NULL);

  add = g_new0 (CriaStoreAddChunksJob, 1);
  add->hash = g_strdup (hash);
  add->model = g_strdup (model);
  add->chunks = g_ptr_array_new_full (chunks->len, (GDestroyNotify) cria_store_chunk_free);
  for (guint i = 0; i < chunks->len; i++)
    g_ptr_array_add (add->chunks, cria_store_chunk_copy (g_ptr_array_index (chunks, i)));

  _cria_store_push_task_job (self, &_cria_store_job_add_chunks, add, cria_store_add_chunks_async,
                             cancellable, callback, user_data);
}

GPtrArray *
cria_store_add_chunks_finish (CriaStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  CriaStoreJob *job = _cria_store_finish_job (self, result, cria_store_add_chunks_async, error);
  GPtrArray *chunks;

  if (job == NULL)
    return NULL;

  chunks = g_steal_pointer (&((CriaStoreAddChunksJob *) _cria_store_job_get_payload (job, &_cria_store_job_add_chunks))->chunks);
  _cria_store_job_free (job);

  return chunks;
}

void
cria_store_add_vectors_async (CriaStore           *self,
                              const char          *model,
                              guint                dimension,
                              const gint64        *ids,
                              guint                n_ids,
                              const float         *values,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  CriaStoreAddVectorsJob *add;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (dimension > 0 && dimension <= MAX_DIMENSION);
  g_return_if_fail (n_ids == 0 || (ids != NULL && values != NULL));

  add = g_new0 (CriaStoreAddVectorsJob, 1);
  add->model = g_strdup (model);
  add->dimension = dimension;
  add->n_ids = n_ids;
  add->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  add->values = g_memdup2 (values, sizeof (float) * n_ids * dimension);

  _cria_store_push_task_job (self, &_cria_store_job_add_vectors, add, cria_store_add_vectors_async,
                             cancellable, callback, user_data);
}

gboolean
cria_store_add_vectors_finish (CriaStore     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  CriaStoreJob *job = _cria_store_finish_job (self, result, cria_store_add_vectors_async, error);

  if (job == NULL)
    return FALSE;

  _cria_store_job_free (job);

  return TRUE;
}

void
cria_store_load_vectors_async (CriaStore           *self,
                               const char * const  *hashes,
                               const char          *model,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CriaStoreLoadVectorsJob *load;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (hashes != NULL);
  g_return_if_fail (model != NULL);

  load = g_new0 (CriaStoreLoadVectorsJob, 1);
  load->hashes = g_strdupv ((GStrv) hashes);
  load->model = g_strdup (model);

  _cria_store_push_task_job (self, &_cria_store_job_load_vectors, load, cria_store_load_vectors_async,
                             cancellable, callback, user_data);
}

GPtrArray *
cria_store_load_vectors_finish (CriaStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  CriaStoreJob *job = _cria_store_finish_job (self, result, cria_store_load_vectors_async, error);
  GPtrArray *vectors;

  if (job == NULL)
    return NULL;

  vectors = g_steal_pointer (&((CriaStoreLoadVectorsJob *) _cria_store_job_get_payload (job, &_cria_store_job_load_vectors))->vectors);
  _cria_store_job_free (job);

  return vectors;
}

void
cria_store_match_chunks_async (CriaStore           *self,
                               const char * const  *hashes,
                               const char          *model,
                               const gint64        *ids,
                               guint                n_ids,
                               const char          *query,
                               guint                keyword_limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  CriaStoreMatchJob *match;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (hashes != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (n_ids == 0 || ids != NULL);

  match = g_new0 (CriaStoreMatchJob, 1);
  match->hashes = g_strdupv ((GStrv) hashes);
  match->model = g_strdup (model);
  match->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  match->n_ids = n_ids;
  match->query = g_strdup (query != NULL ? query : "");
  match->keyword_limit = keyword_limit;

  _cria_store_push_task_job (self, &_cria_store_job_match_chunks, match, cria_store_match_chunks_async,
                             cancellable, callback, user_data);
}

gboolean
cria_store_match_chunks_finish (CriaStore     *self,
                                GAsyncResult  *result,
                                GPtrArray    **candidates,
                                GPtrArray    **keyword_hits,
                                GError       **error)
{
  CriaStoreJob *job = _cria_store_finish_job (self, result, cria_store_match_chunks_async, error);
  CriaStoreMatchJob *match;

  if (job == NULL)
    return FALSE;

  match = _cria_store_job_get_payload (job, &_cria_store_job_match_chunks);
  if (candidates != NULL)
    *candidates = g_steal_pointer (&match->candidates);
  if (keyword_hits != NULL)
    *keyword_hits = g_steal_pointer (&match->keyword_hits);
  _cria_store_job_free (job);

  return TRUE;
}

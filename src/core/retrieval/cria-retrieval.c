/* cria-retrieval.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-chunker.h"
#include "cria-retrieval-private.h"
#include "cria-store-chunks.h"
#include "cria-vector-index.h"

/* What the int8 scan hands to the exact re-ranking, at most. */
#define RERANK_CANDIDATES 4096
/* How many of each ranking take part in the fusion. */
#define FUSED_DEPTH 50
/* Reciprocal rank fusion's constant: how much the top ranks outweigh the
 * rest (60, as in Cormack et al.). */
#define RRF_K 60.0
/* The longest vector an embedding model may send (qwen3-embedding-8b: 4096). */
#define MAX_DIMENSION 16384

struct _CriaRetrieval
{
  GObject     parent_instance;

  CriaClient *client;
  CriaStore  *store;
  char       *model;
  guint       batch_size;
  /* "model\nhash" → CriaVectorIndex: the vectors of a document in memory,
   * made at its first search, dropped when it gets new vectors. */
  GHashTable *indices;
};

G_DEFINE_FINAL_TYPE (CriaRetrieval, cria_retrieval, G_TYPE_OBJECT)

G_DEFINE_QUARK (cria-retrieval-error-quark, cria_retrieval_error)

static void
cria_retrieval_dispose (GObject *object)
{
  CriaRetrieval *self = CRIA_RETRIEVAL (object);

  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_retrieval_parent_class)->dispose (object);
}

static void
cria_retrieval_finalize (GObject *object)
{
  CriaRetrieval *self = CRIA_RETRIEVAL (object);

  g_free (self->model);
  g_clear_pointer (&self->indices, g_hash_table_unref);

  G_OBJECT_CLASS (cria_retrieval_parent_class)->finalize (object);
}

static void
cria_retrieval_class_init (CriaRetrievalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_retrieval_dispose;
  object_class->finalize = cria_retrieval_finalize;
}

static void
cria_retrieval_init (CriaRetrieval *self)
{
  self->model = g_strdup (CRIA_RETRIEVAL_DEFAULT_MODEL);
  self->batch_size = CRIA_RETRIEVAL_BATCH_SIZE;
  self->indices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) cria_vector_index_unref);
}

CriaRetrieval *
cria_retrieval_new (CriaClient *client,
                    CriaStore  *store)
{
  CriaRetrieval *self;

  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  self = g_object_new (CRIA_TYPE_RETRIEVAL, NULL);
  self->client = g_object_ref (client);
  self->store = g_object_ref (store);

  return self;
}

const char *
cria_retrieval_get_model (CriaRetrieval *self)
{
  g_return_val_if_fail (CRIA_IS_RETRIEVAL (self), NULL);

  return self->model;
}

void
cria_retrieval_set_model (CriaRetrieval *self,
                          const char    *model)
{
  g_return_if_fail (CRIA_IS_RETRIEVAL (self));
  g_return_if_fail (model != NULL && *model != '\0');

  g_free (self->model);
  self->model = g_strdup (model);
}

void
_cria_retrieval_set_batch_size (CriaRetrieval *self,
                                guint          batch_size)
{
  g_return_if_fail (CRIA_IS_RETRIEVAL (self));
  g_return_if_fail (batch_size > 0);

  self->batch_size = batch_size;
}

static char *
index_key (const char *model,
           const char *hash)
{
  return g_strconcat (model, "\n", hash, NULL);
}

/* Chunking, off the main thread: a 500-page document takes a while. */

static void
chunk_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  g_task_return_pointer (task, cria_chunker_split (task_data), (GDestroyNotify) g_ptr_array_unref);
}

/* Chunks @document and stores the chunks (unless it has them); the
 * callback gets the stored chunks from finish_chunks(). */
typedef struct
{
  CriaRetrieval *self;
  char          *hash;
  GCancellable  *cancellable;
  GTask         *task;
} ChunkData;

static void
chunk_data_free (ChunkData *data)
{
  g_clear_object (&data->self);
  g_free (data->hash);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
chunks_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *chunks = cria_store_add_chunks_finish (CRIA_STORE (object), result, &error);

  if (chunks == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, chunks, (GDestroyNotify) g_ptr_array_unref);
}

static void
chunked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChunkData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = g_task_propagate_pointer (G_TASK (result), &error);

  if (chunks == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  cria_store_add_chunks_async (data->self->store, data->hash, chunks, data->self->model,
                               data->cancellable, chunks_stored_cb, g_steal_pointer (&task));
}

static void
prepare_chunks_async (CriaRetrieval       *self,
                      CriaDocument        *document,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) chunk_task = NULL;
  ChunkData *data = g_new0 (ChunkData, 1);

  data->self = g_object_ref (self);
  data->hash = g_strdup (document->hash);
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) chunk_data_free);

  /* No source object: the worker drops its reference to a thread's task
   * after the callback may have run, and must not keep the retrieval
   * alive past its owner's last reference. */
  chunk_task = g_task_new (NULL, cancellable, chunked_cb, task);
  g_task_set_task_data (chunk_task, cria_document_ref (document), (GDestroyNotify) cria_document_unref);
  g_task_run_in_thread (chunk_task, chunk_thread);
}

static GPtrArray *
prepare_chunks_finish (CriaRetrieval  *self,
                       GAsyncResult   *result,
                       GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Planning. */

typedef struct
{
  guint  n_chunks;
  guint  n_missing;
  gint64 missing_tokens;
} Plan;

static void
plan_prepared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = prepare_chunks_finish (CRIA_RETRIEVAL (object), result, &error);
  Plan *plan;

  if (chunks == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  plan = g_new0 (Plan, 1);
  plan->n_chunks = chunks->len;
  for (guint i = 0; i < chunks->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (chunks, i);

      if (!chunk->has_vector)
        {
          plan->n_missing++;
          plan->missing_tokens += chunk->tokens;
        }
    }
  g_task_return_pointer (task, plan, g_free);
}

void
cria_retrieval_plan_async (CriaRetrieval       *self,
                           CriaDocument        *document,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRIA_IS_RETRIEVAL (self));
  g_return_if_fail (document != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_retrieval_plan_async);
  prepare_chunks_async (self, document, cancellable, plan_prepared_cb, task);
}

gboolean
cria_retrieval_plan_finish (CriaRetrieval  *self,
                            GAsyncResult   *result,
                            guint          *n_chunks,
                            guint          *n_missing,
                            gint64         *missing_tokens,
                            GError        **error)
{
  g_autofree Plan *plan = NULL;

  g_return_val_if_fail (CRIA_IS_RETRIEVAL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  plan = g_task_propagate_pointer (G_TASK (result), error);
  if (n_chunks != NULL)
    *n_chunks = plan != NULL ? plan->n_chunks : 0;
  if (n_missing != NULL)
    *n_missing = plan != NULL ? plan->n_missing : 0;
  if (missing_tokens != NULL)
    *missing_tokens = plan != NULL ? plan->missing_tokens : 0;

  return plan != NULL;
}

/* Indexing. */

typedef struct
{
  CriaRetrieval         *self;
  CriaDocument          *document;
  char                  *model;
  CriaRetrievalProgress  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GCancellable          *cancellable;
  /* CriaStoreChunk without a vector. */
  GPtrArray             *missing;
  guint                  n_total;
  guint                  n_done;
  /* Where the batch being embedded starts in missing, and its length. */
  guint                  batch_start;
  guint                  batch_len;
  guint                  dimension;
  CriaUsage              usage;
} IndexData;

static void
index_data_free (IndexData *data)
{
  if (data->progress_destroy != NULL)
    data->progress_destroy (data->progress_data);
  g_clear_object (&data->self);
  g_clear_pointer (&data->document, cria_document_unref);
  g_free (data->model);
  g_clear_object (&data->cancellable);
  g_clear_pointer (&data->missing, g_ptr_array_unref);
  g_free (data);
}

static void next_batch (GTask *task);

static void
forget_index (CriaRetrieval *self,
              const char    *model,
              const char    *hash)
{
  g_autofree char *key = index_key (model, hash);

  g_hash_table_remove (self->indices, key);
}

static void
vectors_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IndexData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!cria_store_add_vectors_finish (CRIA_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  forget_index (data->self, data->model, data->document->hash);
  data->n_done += data->batch_len;
  data->batch_start += data->batch_len;
  data->batch_len = 0;
  if (data->progress != NULL)
    data->progress (data->n_done, data->n_total, data->progress_data);

  next_batch (g_steal_pointer (&task));
}

/* A vector fit to store: the length of the others, numbers, not zero. */
static gboolean
check_vector (const float  *vector,
              gsize         n,
              guint         dimension,
              GError      **error)
{
  double norm = 0;

  if (n == 0 || n > MAX_DIMENSION)
    {
      g_set_error (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                   _("The embedding model sent a vector of %u numbers."), (guint) MIN (n, G_MAXUINT));
      return FALSE;
    }
  if (dimension != 0 && n != dimension)
    {
      g_set_error (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                   _("The embedding model sent vectors of %u and of %u numbers."),
                   dimension, (guint) n);
      return FALSE;
    }
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (vector[i]))
        {
          g_set_error_literal (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                               _("The embedding model sent a vector that is not made of numbers."));
          return FALSE;
        }
      norm += (double) vector[i] * vector[i];
    }
  if (norm == 0)
    {
      g_set_error_literal (error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                           _("The embedding model sent an empty vector."));
      return FALSE;
    }

  return TRUE;
}

static void
batch_embedded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IndexData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaEmbeddings) embeddings = cria_client_embed_finish (CRIA_CLIENT (object), result, &error);
  g_autofree gint64 *ids = NULL;
  g_autofree float *values = NULL;
  const CriaUsage *usage;
  guint dimension = data->dimension;

  if (embeddings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (cria_embeddings_get_n_vectors (embeddings) != data->batch_len)
    {
      g_task_return_new_error (task, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                               _("The embedding model sent %u vectors for %u passages."),
                               cria_embeddings_get_n_vectors (embeddings), data->batch_len);
      return;
    }

  /* The whole batch is checked before any of it is stored. */
  for (guint i = 0; i < data->batch_len; i++)
    {
      gsize n = 0;
      const float *vector = cria_embeddings_get_vector (embeddings, i, &n);

      if (!check_vector (vector, n, dimension, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (dimension == 0)
        {
          dimension = (guint) n;
          values = g_new (float, (gsize) data->batch_len * dimension);
          ids = g_new (gint64, data->batch_len);
        }
      else if (values == NULL)
        {
          values = g_new (float, (gsize) data->batch_len * dimension);
          ids = g_new (gint64, data->batch_len);
        }
      memcpy (values + (gsize) i * dimension, vector, sizeof (float) * dimension);
      ids[i] = ((CriaStoreChunk *) g_ptr_array_index (data->missing, data->batch_start + i))->id;
    }
  data->dimension = dimension;

  usage = cria_embeddings_get_usage (embeddings);
  data->usage.prompt_tokens += usage->prompt_tokens;
  data->usage.estimated |= usage->estimated;

  /* Not cancellable: what was paid for is kept. */
  cria_store_add_vectors_async (data->self->store, data->model, dimension, ids, data->batch_len, values,
                                NULL, vectors_stored_cb, g_steal_pointer (&task));
}

static void
next_batch (GTask *task)
{
  IndexData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) inputs = NULL;

  if (data->batch_start >= data->missing->len)
    {
      g_task_return_pointer (task, cria_usage_copy (&data->usage), (GDestroyNotify) cria_usage_free);
      g_object_unref (task);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  data->batch_len = MIN (data->self->batch_size, data->missing->len - data->batch_start);
  inputs = g_ptr_array_new_full (data->batch_len + 1, NULL);
  for (guint i = 0; i < data->batch_len; i++)
    g_ptr_array_add (inputs, ((CriaStoreChunk *) g_ptr_array_index (data->missing, data->batch_start + i))->text);
  g_ptr_array_add (inputs, NULL);

  /* Not cancellable either: a batch on its way is paid for, so it is
   * awaited and stored; cancelling stops before the next. */
  cria_client_embed_async (data->self->client, data->model, (const char * const *) inputs->pdata, FALSE,
                           CRIA_EMBEDDING_FORMAT_FLOAT, NULL, batch_embedded_cb, task);
}

static void
index_prepared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  IndexData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chunks = prepare_chunks_finish (CRIA_RETRIEVAL (object), result, &error);

  if (chunks == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->n_total = chunks->len;
  data->missing = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  for (guint i = 0; i < chunks->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (chunks, i);

      if (chunk->has_vector)
        data->n_done++;
      else
        g_ptr_array_add (data->missing, g_steal_pointer (&chunks->pdata[i]));
    }
  if (data->progress != NULL)
    data->progress (data->n_done, data->n_total, data->progress_data);

  next_batch (task);
}

void
cria_retrieval_index_async (CriaRetrieval         *self,
                            CriaDocument          *document,
                            CriaRetrievalProgress  progress,
                            gpointer               progress_data,
                            GDestroyNotify         progress_destroy,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  GTask *task;
  IndexData *data;

  g_return_if_fail (CRIA_IS_RETRIEVAL (self));
  g_return_if_fail (document != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_retrieval_index_async);
  /* Cancelling during the last batch still ends in success: that batch
   * is awaited and stored, and then nothing is missing. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (IndexData, 1);
  data->self = g_object_ref (self);
  data->document = cria_document_ref (document);
  data->model = g_strdup (self->model);
  data->progress = progress;
  data->progress_data = progress_data;
  data->progress_destroy = progress_destroy;
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) index_data_free);

  prepare_chunks_async (self, document, cancellable, index_prepared_cb, task);
}

CriaUsage *
cria_retrieval_index_finish (CriaRetrieval  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (CRIA_IS_RETRIEVAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Searching. */

typedef struct
{
  CriaRetrieval   *self;
  char            *model;
  /* CriaDocument. */
  GPtrArray       *documents;
  /* The documents' hashes, each once. */
  GStrv            hashes;
  char            *question;
  gint64           budget;
  CriaUsage        usage;
  float           *query;
  guint            dimension;
  /* Per hash: its CriaVectorIndex, NULL until made. */
  GPtrArray       *indices;
  /* Per hash, for those being made: CriaStoreVectors (or NULL). */
  GPtrArray       *loaded;
  CriaVectorHit   *hits;
  guint            n_hits;
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_object (&data->self);
  g_free (data->model);
  g_clear_pointer (&data->documents, g_ptr_array_unref);
  g_strfreev (data->hashes);
  g_free (data->question);
  g_free (data->query);
  g_clear_pointer (&data->indices, g_ptr_array_unref);
  g_clear_pointer (&data->loaded, g_ptr_array_unref);
  g_free (data->hits);
  g_free (data);
}

static CriaDocument *
find_document (SearchData *data,
               const char *hash)
{
  for (guint i = 0; hash != NULL && i < data->documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (data->documents, i);

      if (g_str_equal (document->hash, hash))
        return document;
    }

  return NULL;
}

typedef struct
{
  CriaStoreChunk *chunk;
  double          score;
  double          cosine;
} Ranked;

static int
compare_ranked (gconstpointer a,
                gconstpointer b)
{
  const Ranked *ra = a;
  const Ranked *rb = b;

  if (ra->score != rb->score)
    return ra->score > rb->score ? -1 : 1;

  return ra->chunk->id < rb->chunk->id ? -1 : ra->chunk->id > rb->chunk->id;
}

/* The chunk's text cut to about @tokens, at a space when there is one in
 * the last fifth: the best passage is given even when it alone is larger
 * than the budget. */
static char *
cut_to_tokens (const char *text,
               gint64      tokens)
{
  glong chars = (glong) MAX (tokens, 1) * 4;
  const char *end;
  const char *space = NULL;

  if (g_utf8_strlen (text, -1) <= chars)
    return g_strdup (text);

  end = g_utf8_offset_to_pointer (text, chars);
  for (const char *p = end; p > text && (end - p) < chars / 5; p--)
    if (*p == ' ' || *p == '\n')
      {
        space = p;
        break;
      }

  return g_strndup (text, (space != NULL ? space : end) - text);
}

static void
matched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) keyword_hits = NULL;
  g_autoptr(GHashTable) fused = NULL;
  g_autoptr(GArray) vector_ranked = NULL;
  g_autoptr(GArray) ranked = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  GHashTableIter iter;
  gpointer value;
  gint64 left = data->budget;

  if (!cria_store_match_chunks_finish (CRIA_STORE (object), result, &candidates, &keyword_hits, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The exact cosine puts the int8 scan's candidates in their true order. */
  vector_ranked = g_array_sized_new (FALSE, FALSE, sizeof (Ranked), candidates->len);
  for (guint i = 0; i < candidates->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (candidates, i);
      Ranked r = { chunk, 0, 0 };

      if (chunk->vector == NULL || chunk->dimension != data->dimension)
        continue;
      r.cosine = cria_vector_cosine (chunk->vector, data->query, data->dimension);
      r.score = r.cosine;
      g_array_append_val (vector_ranked, r);
    }
  g_array_sort (vector_ranked, compare_ranked);

  /* Reciprocal rank fusion: a passage high in either list, or fairly high
   * in both, comes first; no score of one list needs to be comparable
   * with the other's. */
  fused = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  for (guint i = 0; i < MIN (vector_ranked->len, FUSED_DEPTH); i++)
    {
      Ranked *r = g_new (Ranked, 1);

      *r = g_array_index (vector_ranked, Ranked, i);
      r->score = 1.0 / (RRF_K + i + 1);
      g_hash_table_insert (fused, &r->chunk->id, r);
    }
  for (guint i = 0; i < keyword_hits->len; i++)
    {
      CriaStoreChunk *chunk = g_ptr_array_index (keyword_hits, i);
      Ranked *r = g_hash_table_lookup (fused, &chunk->id);

      if (r == NULL)
        {
          r = g_new0 (Ranked, 1);
          r->chunk = chunk;
          g_hash_table_insert (fused, &r->chunk->id, r);
        }
      r->score += 1.0 / (RRF_K + i + 1);
    }

  ranked = g_array_sized_new (FALSE, FALSE, sizeof (Ranked), g_hash_table_size (fused));
  g_hash_table_iter_init (&iter, fused);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_vals (ranked, value, 1);
  g_array_sort (ranked, compare_ranked);

  sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);
  for (guint i = 0; i < ranked->len && left > 0; i++)
    {
      CriaStoreChunk *chunk = g_array_index (ranked, Ranked, i).chunk;
      CriaDocument *document = find_document (data, chunk->hash);
      g_autofree char *text = NULL;

      if (document == NULL)
        continue;
      if (chunk->tokens > left)
        {
          if (sources->len > 0)
            continue;
          text = cut_to_tokens (chunk->text, left);
        }
      else
        text = g_strdup (chunk->text);
      left -= MIN (left, cria_usage_estimate_tokens (text));
      g_ptr_array_add (sources, cria_source_new (document->name, document->hash, chunk->page, text));
    }

  if (sources->len == 0)
    {
      g_task_return_new_error (task, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_NOT_FOUND,
                               _("No passage of the documents could be found for this question."));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&sources), (GDestroyNotify) g_ptr_array_unref);
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const CriaVectorHit *ha = a;
  const CriaVectorHit *hb = b;

  if (ha->score != hb->score)
    return ha->score > hb->score ? -1 : 1;

  return ha->id < hb->id ? -1 : ha->id > hb->id;
}

/* Off the main thread: makes the indices that were loaded and scans them
 * all, keeping the best RERANK_CANDIDATES. */
static void
scan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SearchData *data = task_data;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (CriaVectorHit));
  g_autofree CriaVectorHit *hits = g_new (CriaVectorHit, RERANK_CANDIDATES);

  for (guint h = 0; h < data->indices->len; h++)
    {
      CriaStoreVectors *vectors = data->loaded != NULL ? g_ptr_array_index (data->loaded, h) : NULL;
      CriaVectorIndex *index;
      guint n;

      if (g_ptr_array_index (data->indices, h) == NULL && vectors != NULL && vectors->n_vectors > 0)
        {
          index = cria_vector_index_new (vectors->dimension, vectors->n_vectors);
          for (guint i = 0; i < vectors->n_vectors; i++)
            cria_vector_index_add (index, vectors->ids[i], vectors->values + (gsize) i * vectors->dimension);
          data->indices->pdata[h] = index;
        }
      index = g_ptr_array_index (data->indices, h);
      if (index == NULL || cria_vector_index_get_dimension (index) != data->dimension)
        continue;

      n = cria_vector_index_search (index, data->query, RERANK_CANDIDATES, hits);
      g_array_append_vals (all, hits, n);
    }

  g_array_sort (all, compare_hits);
  data->n_hits = MIN (all->len, RERANK_CANDIDATES);
  data->hits = g_memdup2 (all->data, sizeof (CriaVectorHit) * data->n_hits);

  g_task_return_boolean (task, TRUE);
}

static void
scanned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *ids = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint h = 0; h < data->indices->len; h++)
    {
      CriaVectorIndex *index = g_ptr_array_index (data->indices, h);
      g_autofree char *key = index_key (data->model, data->hashes[h]);

      if (index == NULL)
        continue;
      if (cria_vector_index_get_dimension (index) != data->dimension)
        {
          CriaDocument *document = find_document (data, data->hashes[h]);

          g_task_return_new_error (task, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                                   _("“%s” was read with vectors of %u numbers, but the question got %u."),
                                   document->name, cria_vector_index_get_dimension (index), data->dimension);
          return;
        }
      if (!g_hash_table_contains (data->self->indices, key))
        g_hash_table_insert (data->self->indices, g_steal_pointer (&key), cria_vector_index_ref (index));
    }

  ids = g_new (gint64, MAX (data->n_hits, 1));
  for (guint i = 0; i < data->n_hits; i++)
    ids[i] = data->hits[i].id;

  cria_store_match_chunks_async (data->self->store, (const char * const *) data->hashes, data->model,
                                 ids, data->n_hits, data->question, FUSED_DEPTH,
                                 g_task_get_cancellable (task), matched_cb, g_object_ref (task));
}

static void
scan (GTask *task)
{
  SearchData *data = g_task_get_task_data (task);
  /* No source object, as in prepare_chunks_async(). */
  GTask *scan_task = g_task_new (NULL, g_task_get_cancellable (task), scanned_cb, task);

  g_task_set_task_data (scan_task, data, NULL);
  g_task_run_in_thread (scan_task, scan_thread);
  g_object_unref (scan_task);
}

static void
vectors_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) loaded = cria_store_load_vectors_finish (CRIA_STORE (object), result, &error);
  guint next = 0;

  if (loaded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The loaded vectors, in the places of the documents that had no index. */
  data->loaded = g_ptr_array_new_full (data->indices->len, (GDestroyNotify) cria_store_vectors_free);
  for (guint h = 0; h < data->indices->len; h++)
    {
      CriaStoreVectors *vectors = NULL;

      if (g_ptr_array_index (data->indices, h) == NULL)
        vectors = g_steal_pointer (&loaded->pdata[next++]);
      if (g_ptr_array_index (data->indices, h) == NULL && (vectors == NULL || vectors->n_vectors == 0))
        {
          CriaDocument *document = find_document (data, data->hashes[h]);

          cria_store_vectors_free (vectors);
          g_task_return_new_error (task, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_NOT_INDEXED,
                                   _("“%s” has not been read for answering yet."), document->name);
          return;
        }
      g_ptr_array_add (data->loaded, vectors);
    }

  scan (g_steal_pointer (&task));
}

static void
index_unref0 (gpointer index)
{
  if (index != NULL)
    cria_vector_index_unref (index);
}

static void
question_embedded_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaEmbeddings) embeddings = cria_client_embed_finish (CRIA_CLIENT (object), result, &error);
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  const float *vector;
  gsize n = 0;

  if (embeddings != NULL && cria_embeddings_get_n_vectors (embeddings) != 1)
    g_set_error (&error, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_BAD_VECTORS,
                 _("The embedding model sent %u vectors for %u passages."),
                 cria_embeddings_get_n_vectors (embeddings), 1);
  if (error == NULL)
    {
      vector = cria_embeddings_get_vector (embeddings, 0, &n);
      check_vector (vector, n, 0, &error);
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->usage = *cria_embeddings_get_usage (embeddings);
  data->query = g_memdup2 (vector, sizeof (float) * n);
  data->dimension = (guint) n;

  data->indices = g_ptr_array_new_full (g_strv_length (data->hashes), index_unref0);
  for (guint h = 0; data->hashes[h] != NULL; h++)
    {
      g_autofree char *key = index_key (data->model, data->hashes[h]);
      CriaVectorIndex *index = g_hash_table_lookup (data->self->indices, key);

      g_ptr_array_add (data->indices, index != NULL ? cria_vector_index_ref (index) : NULL);
      if (index == NULL)
        g_ptr_array_add (missing, data->hashes[h]);
    }
  g_ptr_array_add (missing, NULL);

  if (missing->len > 1)
    cria_store_load_vectors_async (data->self->store, (const char * const *) missing->pdata, data->model,
                                   g_task_get_cancellable (task), vectors_loaded_cb, task);
  else
    scan (task);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

void
cria_retrieval_search_async (CriaRetrieval       *self,
                             GPtrArray           *documents,
                             const char          *question,
                             gint64               budget_tokens,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  const char *inputs[2] = { question, NULL };
  g_autoptr(GPtrArray) hashes = NULL;
  GTask *task;
  SearchData *data;

  g_return_if_fail (CRIA_IS_RETRIEVAL (self));
  g_return_if_fail (documents != NULL);
  g_return_if_fail (question != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_retrieval_search_async);

  if (documents->len == 0 || budget_tokens <= 0 || is_blank (question))
    {
      g_task_return_new_error (task, CRIA_RETRIEVAL_ERROR, CRIA_RETRIEVAL_ERROR_NOT_FOUND,
                               _("No passage of the documents could be found for this question."));
      g_object_unref (task);
      return;
    }

  data = g_new0 (SearchData, 1);
  data->self = g_object_ref (self);
  data->model = g_strdup (self->model);
  data->documents = g_ptr_array_new_full (documents->len, (GDestroyNotify) cria_document_unref);
  hashes = g_ptr_array_new ();
  for (guint i = 0; i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);

      if (find_document (data, document->hash) == NULL)
        g_ptr_array_add (hashes, g_strdup (document->hash));
      g_ptr_array_add (data->documents, cria_document_ref (document));
    }
  g_ptr_array_add (hashes, NULL);
  data->hashes = (GStrv) g_ptr_array_free (g_steal_pointer (&hashes), FALSE);
  data->question = g_strdup (question);
  data->budget = budget_tokens;
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);

  cria_client_embed_async (self->client, self->model, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT,
                           cancellable, question_embedded_cb, task);
}

GPtrArray *
cria_retrieval_search_finish (CriaRetrieval  *self,
                              GAsyncResult   *result,
                              CriaUsage     **usage,
                              GError        **error)
{
  GPtrArray *sources;

  g_return_val_if_fail (CRIA_IS_RETRIEVAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  sources = g_task_propagate_pointer (G_TASK (result), error);
  if (usage != NULL)
    {
      SearchData *data = g_task_get_task_data (G_TASK (result));

      *usage = sources != NULL && data != NULL ? cria_usage_copy (&data->usage) : NULL;
    }

  return sources;
}

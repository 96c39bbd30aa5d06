/* cria-meaning.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search by meaning: the background indexer of the history's messages and
 * the nearest-message search over their vectors (CriaVectorIndex).
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-meaning.h"
#include "cria-search-hit.h"
#include "cria-store-meaning.h"
#include "cria-usage.h"
#include "cria-vector-index.h"

/* Messages per embeddings request. */
#define BATCH_SIZE 32
/* Messages the index is asked for: several may share a conversation. */
#define SEARCH_K 64
/* A query shorter than this (without spaces) is not embedded. */
#define MIN_QUERY_CHARS 3

struct _CriaMeaning
{
  GObject          parent_instance;

  CriaStore       *store;
  CriaClient      *client;
  char            *model;
  gboolean         enabled;

  /* Indexing: the pass under way, if any. */
  GCancellable    *cancellable;
  gboolean         indexing;
  gboolean         again;
  guint            delay_ms;
  guint            delay_id;
  int              n_pending;
  gint64           pending_tokens;
  guint            n_done;
  char            *error;
  GCancellable    *count_cancellable;

  /* The vectors of the model in memory, NULL until a search needs them;
   * dropped when vectors are added or removed (generation counts that). */
  CriaVectorIndex *index;
  guint            generation;
};

G_DEFINE_FINAL_TYPE (CriaMeaning, cria_meaning, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ENABLED,
  PROP_MODEL,
  PROP_INDEXING,
  PROP_N_PENDING,
  PROP_PENDING_TOKENS,
  PROP_N_DONE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_pass (CriaMeaning *self);

static void
set_indexing (CriaMeaning *self,
              gboolean     indexing)
{
  if (self->indexing == indexing)
    return;
  self->indexing = indexing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INDEXING]);
}

static void
set_pending (CriaMeaning *self,
             int          n_pending,
             gint64       tokens)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_pending != n_pending)
    {
      self->n_pending = n_pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
    }
  if (self->pending_tokens != tokens)
    {
      self->pending_tokens = tokens;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_TOKENS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_n_done (CriaMeaning *self,
            guint        n_done)
{
  if (self->n_done == n_done)
    return;
  self->n_done = n_done;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DONE]);
}

static void
set_error (CriaMeaning *self,
           const char  *error)
{
  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
drop_index (CriaMeaning *self)
{
  self->generation++;
  g_clear_pointer (&self->index, cria_vector_index_unref);
}

static void
stop_indexing (CriaMeaning *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->delay_id, g_source_remove);
  self->again = FALSE;
  set_indexing (self, FALSE);
}

/* Counting */

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CriaMeaning) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n = 0;
  gint64 n_chars = 0;

  if (!cria_store_count_unembedded_finish (CRIA_STORE (object), result, &n, &n_chars, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not count the messages to embed: %s", error->message);
      return;
    }

  /* The same estimate as for an answer without usage: four characters a
   * token. */
  set_pending (self, n, (n_chars + 3 * n) / 4);
}

void
cria_meaning_refresh (CriaMeaning *self)
{
  g_return_if_fail (CRIA_IS_MEANING (self));

  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  self->count_cancellable = g_cancellable_new ();
  cria_store_count_unembedded_async (self->store, self->model, CRIA_MEANING_MAX_CHARS, self->count_cancellable,
                                     counted_cb, g_object_ref (self));
}

/* Indexing: count, then batch after batch until none is left. */

typedef struct
{
  CriaMeaning  *self;
  GCancellable *cancellable;
  GArray       *ids;
  /* The last message of the batch before, and this batch's characters. */
  gint64        after;
  gint64        n_chars;
} Pass;

static void
pass_free (Pass *pass)
{
  g_object_unref (pass->self);
  g_object_unref (pass->cancellable);
  g_clear_pointer (&pass->ids, g_array_unref);
  g_free (pass);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pass, pass_free)

/* Whether @pass is still the one under way; FALSE after an error it
 * reported (cancelled passes report nothing). */
static gboolean
pass_check (Pass   *pass,
            GError *error)
{
  CriaMeaning *self = pass->self;

  if (g_cancellable_is_cancelled (pass->cancellable))
    return FALSE;
  if (error == NULL)
    return TRUE;

  /* Quietly: the error waits in a property (Preferences shows it), and
   * indexing stops until the user switches it on again. */
  set_error (self, error->message);
  g_clear_object (&self->cancellable);
  set_indexing (self, FALSE);

  return FALSE;
}

static void next_batch (Pass *pass);

static void
pass_done (Pass *pass)
{
  CriaMeaning *self = pass->self;

  g_clear_object (&self->cancellable);
  /* The exact count once a pass embedded something (a count reads every
   * message: 80 ms for 100,000); a pass that found nothing changed nothing. */
  if (pass->after != 0)
    cria_meaning_refresh (self);
  set_indexing (self, FALSE);
  if (self->again)
    {
      self->again = FALSE;
      start_pass (self);
    }
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Pass) pass = user_data;
  CriaMeaning *self = pass->self;
  g_autoptr(GError) error = NULL;

  cria_store_save_message_vectors_finish (CRIA_STORE (object), result, &error);
  if (!pass_check (pass, error))
    return;

  /* The count goes down by the batch, not by counting again: a count reads
   * every message. */
  drop_index (self);
  set_n_done (self, self->n_done + pass->ids->len);
  set_pending (self, MAX (self->n_pending - (int) pass->ids->len, 0),
               MAX (self->pending_tokens - (pass->n_chars + 3 * (gint64) pass->ids->len) / 4, 0));
  pass->after = g_array_index (pass->ids, gint64, pass->ids->len - 1);
  next_batch (g_steal_pointer (&pass));
}

static void
embedded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Pass) pass = user_data;
  CriaMeaning *self = pass->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  g_autofree gint8 *values = NULL;
  g_autofree float *scales = NULL;
  gsize dimension = 0;
  guint n;

  embeddings = cria_client_embed_finish (CRIA_CLIENT (object), result, &error);
  if (embeddings != NULL && cria_embeddings_get_n_vectors (embeddings) != pass->ids->len)
    g_set_error (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 _("The server gave %u vectors for %u messages."),
                 cria_embeddings_get_n_vectors (embeddings), pass->ids->len);
  if (embeddings != NULL && error == NULL)
    {
      cria_embeddings_get_vector (embeddings, 0, &dimension);
      if (dimension == 0 || dimension > G_MAXUINT16)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("The server gave vectors of no usable size."));
    }
  if (!pass_check (pass, error))
    return;

  n = pass->ids->len;
  values = g_new (gint8, (gsize) n * dimension);
  scales = g_new (float, n);
  for (guint i = 0; i < n; i++)
    {
      gsize size = 0;
      const float *vector = cria_embeddings_get_vector (embeddings, i, &size);

      if (size != dimension)
        {
          g_autoptr(GError) size_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                              _("The server gave vectors of different sizes."));

          pass_check (pass, size_error);
          return;
        }
      cria_vector_quantise (vector, dimension, values + (gsize) i * dimension, &scales[i]);
    }

  cria_store_save_message_vectors_async (self->store, self->model, dimension,
                                         (const gint64 *) (void *) pass->ids->data, n, values, scales,
                                         pass->cancellable, saved_cb, pass);
  g_steal_pointer (&pass);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Pass) pass = user_data;
  CriaMeaning *self = pass->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) texts = NULL;

  g_clear_pointer (&pass->ids, g_array_unref);
  texts = cria_store_next_unembedded_finish (CRIA_STORE (object), result, &pass->ids, &error);
  if (!pass_check (pass, error))
    return;

  if (texts[0] == NULL)
    {
      pass_done (pass);
      return;
    }
  pass->n_chars = 0;
  for (guint i = 0; texts[i] != NULL; i++)
    pass->n_chars += g_utf8_strlen (texts[i], -1);

  cria_client_embed_async (self->client, self->model, (const char * const *) texts, FALSE,
                           CRIA_EMBEDDING_FORMAT_FLOAT, pass->cancellable, embedded_cb, pass);
  g_steal_pointer (&pass);
}

static void
next_batch (Pass *pass)
{
  cria_store_next_unembedded_async (pass->self->store, pass->self->model, CRIA_MEANING_MAX_CHARS, pass->after,
                                    BATCH_SIZE, pass->cancellable, batch_cb, pass);
}

static void
start_pass (CriaMeaning *self)
{
  Pass *pass;

  g_clear_handle_id (&self->delay_id, g_source_remove);
  if (!self->enabled || self->error != NULL)
    return;
  if (self->indexing)
    {
      self->again = TRUE;
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_indexing (self, TRUE);
  pass = g_new0 (Pass, 1);
  pass->self = g_object_ref (self);
  pass->cancellable = g_object_ref (self->cancellable);
  next_batch (pass);
}

static gboolean
delay_done_cb (gpointer user_data)
{
  CriaMeaning *self = user_data;

  self->delay_id = 0;
  start_pass (self);

  return G_SOURCE_REMOVE;
}

/* A save: the messages it brought are embedded together, a while later,
 * not once per streamed piece of an answer (streaming messages are not
 * embedded at all until they end). */
static void
conversation_changed_cb (CriaMeaning *self)
{
  if (!self->enabled || self->error != NULL)
    return;
  if (self->indexing)
    {
      self->again = TRUE;
      return;
    }
  if (self->delay_id == 0)
    self->delay_id = g_timeout_add (self->delay_ms, delay_done_cb, self);
}

static void
conversation_removed_cb (CriaMeaning *self)
{
  drop_index (self);
  cria_meaning_refresh (self);
}

/* Searching: the query's vector, the index (loaded and built on a worker
 * thread when missing), the nearest messages, their hits. */

typedef struct
{
  float           *query;
  guint            dimension;
  guint            limit;
  guint            generation;
  CriaVectorIndex *index;
  CriaMessageVectors *vectors;
  GArray          *ids;
} Search;

static void
search_free (Search *search)
{
  g_free (search->query);
  g_clear_pointer (&search->index, cria_vector_index_unref);
  g_clear_pointer (&search->vectors, cria_message_vectors_free);
  g_clear_pointer (&search->ids, g_array_unref);
  g_free (search);
}

static void
hits_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *hits = cria_store_meaning_hits_finish (CRIA_STORE (object), result, &error);

  if (hits == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

/* On a worker thread: builds the index when it is missing, then ranks. */
static void
rank_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Search *search = task_data;
  g_autofree CriaVectorHit *hits = NULL;
  guint n;

  if (search->index == NULL)
    {
      CriaMessageVectors *vectors = search->vectors;
      g_autofree float *vector = g_new (float, MAX (vectors->dimension, 1));

      search->index = cria_vector_index_new (vectors->dimension, vectors->n);
      for (guint i = 0; i < vectors->n; i++)
        {
          const gint8 *values = vectors->values + (gsize) i * vectors->dimension;

          if (g_cancellable_is_cancelled (cancellable))
            break;
          for (guint j = 0; j < vectors->dimension; j++)
            vector[j] = values[j] * vectors->scales[i];
          cria_vector_index_add (search->index, vectors->ids[i], vector);
        }
    }

  search->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (g_task_return_error_if_cancelled (task))
    return;

  hits = g_new (CriaVectorHit, SEARCH_K);
  n = cria_vector_index_search (search->index, search->query, SEARCH_K, hits);
  for (guint i = 0; i < n; i++)
    g_array_append_val (search->ids, hits[i].id);
  g_task_return_boolean (task, TRUE);
}

static void
ranked_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaMeaning *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* The index is kept for the next query unless vectors came or went
   * while it was built. */
  if (self->index == NULL && search->generation == self->generation)
    self->index = cria_vector_index_ref (search->index);

  cria_store_meaning_hits_async (self->store, (const gint64 *) (void *) search->ids->data, search->ids->len,
                                 search->limit, g_task_get_cancellable (task), hits_cb, g_object_ref (task));
}

/* Takes @owned_task. */
static void
rank (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Search *search = g_task_get_task_data (task);
  GTask *thread_task;

  if (search->index == NULL && (search->vectors == NULL || search->vectors->n == 0 ||
                                search->vectors->dimension != search->dimension))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  /* No source object: the thread may drop the last reference to its task
   * after the callback ran, and must not be the one to drop this object. */
  thread_task = g_task_new (NULL, g_task_get_cancellable (task), ranked_cb, g_object_ref (task));
  g_task_set_source_tag (thread_task, rank);
  g_task_set_task_data (thread_task, search, NULL);
  g_task_run_in_thread (thread_task, rank_thread);
  g_object_unref (thread_task);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Search *search = g_task_get_task_data (task);
  GError *error = NULL;

  search->vectors = cria_store_load_message_vectors_finish (CRIA_STORE (object), result, &error);
  if (search->vectors == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  rank (g_steal_pointer (&task));
}

static void
query_embedded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaMeaning *self = g_task_get_source_object (task);
  Search *search = g_task_get_task_data (task);
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  GError *error = NULL;
  const float *vector;
  gsize dimension = 0;

  embeddings = cria_client_embed_finish (CRIA_CLIENT (object), result, &error);
  if (embeddings == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error->message);
      g_task_return_error (task, error);
      return;
    }
  vector = cria_embeddings_get_n_vectors (embeddings) == 1
           ? cria_embeddings_get_vector (embeddings, 0, &dimension) : NULL;
  if (vector == NULL || dimension == 0)
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  search->query = g_memdup2 (vector, sizeof (float) * dimension);
  search->dimension = dimension;

  if (self->index != NULL)
    {
      if (cria_vector_index_get_dimension (self->index) == dimension)
        search->index = cria_vector_index_ref (self->index);
      else
        drop_index (self);
    }
  search->generation = self->generation;
  if (search->index != NULL)
    rank (g_steal_pointer (&task));
  else
    {
      GCancellable *cancellable = g_task_get_cancellable (task);

      cria_store_load_message_vectors_async (self->store, self->model, cancellable, loaded_cb,
                                             g_steal_pointer (&task));
    }
}

static gboolean
long_enough (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0' && n < MIN_QUERY_CHARS; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      n++;

  return n >= MIN_QUERY_CHARS;
}

void
cria_meaning_search_async (CriaMeaning         *self,
                           const char          *text,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *inputs[2] = { text, NULL };
  Search *search;

  g_return_if_fail (CRIA_IS_MEANING (self));
  g_return_if_fail (text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_meaning_search_async);
  search = g_new0 (Search, 1);
  search->limit = limit;
  g_task_set_task_data (task, search, (GDestroyNotify) search_free);

  if (!self->enabled || !g_utf8_validate (text, -1, NULL) || !long_enough (text))
    {
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  cria_client_embed_async (self->client, self->model, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT,
                           cancellable, query_embedded_cb, g_steal_pointer (&task));
}

GPtrArray *
cria_meaning_search_finish (CriaMeaning   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_meaning_search_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The object */

static void
cria_meaning_dispose (GObject *object)
{
  CriaMeaning *self = CRIA_MEANING (object);

  stop_indexing (self);
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->client);
  g_clear_pointer (&self->index, cria_vector_index_unref);

  G_OBJECT_CLASS (cria_meaning_parent_class)->dispose (object);
}

static void
cria_meaning_finalize (GObject *object)
{
  CriaMeaning *self = CRIA_MEANING (object);

  g_free (self->model);
  g_free (self->error);

  G_OBJECT_CLASS (cria_meaning_parent_class)->finalize (object);
}

static void
cria_meaning_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CriaMeaning *self = CRIA_MEANING (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_INDEXING:
      g_value_set_boolean (value, self->indexing);
      break;
    case PROP_N_PENDING:
      g_value_set_int (value, self->n_pending);
      break;
    case PROP_PENDING_TOKENS:
      g_value_set_int64 (value, self->pending_tokens);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->n_done);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_meaning_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CriaMeaning *self = CRIA_MEANING (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      cria_meaning_set_enabled (self, g_value_get_boolean (value));
      break;
    case PROP_MODEL:
      cria_meaning_set_model (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_meaning_class_init (CriaMeaningClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_meaning_dispose;
  object_class->finalize = cria_meaning_finalize;
  object_class->get_property = cria_meaning_get_property;
  object_class->set_property = cria_meaning_set_property;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, "nomic-embed-text",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INDEXING] =
    g_param_spec_boolean ("indexing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_int ("n-pending", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_TOKENS] =
    g_param_spec_int64 ("pending-tokens", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DONE] =
    g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_meaning_init (CriaMeaning *self)
{
  self->model = g_strdup ("nomic-embed-text");
  self->n_pending = -1;
  self->delay_ms = 3000;
}

CriaMeaning *
cria_meaning_new (CriaStore  *store,
                  CriaClient *client)
{
  CriaMeaning *self;

  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);
  g_return_val_if_fail (CRIA_IS_CLIENT (client), NULL);

  self = g_object_new (CRIA_TYPE_MEANING, NULL);
  self->store = g_object_ref (store);
  self->client = g_object_ref (client);
  g_signal_connect_object (store, "conversation-changed", G_CALLBACK (conversation_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "conversation-removed", G_CALLBACK (conversation_removed_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

gboolean
cria_meaning_get_enabled (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), FALSE);

  return self->enabled;
}

void
cria_meaning_set_enabled (CriaMeaning *self,
                          gboolean     enabled)
{
  g_return_if_fail (CRIA_IS_MEANING (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  if (enabled)
    {
      /* Switching it on is the user's way to try again after an error. */
      set_error (self, NULL);
      set_n_done (self, 0);
      cria_meaning_refresh (self);
      start_pass (self);
    }
  else
    {
      stop_indexing (self);
      drop_index (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

const char *
cria_meaning_get_model (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), NULL);

  return self->model;
}

void
cria_meaning_set_model (CriaMeaning *self,
                        const char  *model)
{
  g_return_if_fail (CRIA_IS_MEANING (self));

  if (model == NULL || *model == '\0')
    model = "nomic-embed-text";
  if (g_strcmp0 (self->model, model) == 0)
    return;

  g_free (self->model);
  self->model = g_strdup (model);
  stop_indexing (self);
  drop_index (self);
  set_error (self, NULL);
  set_pending (self, -1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);

  if (self->store != NULL)
    {
      cria_meaning_refresh (self);
      start_pass (self);
    }
}

gboolean
cria_meaning_get_indexing (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), FALSE);

  return self->indexing;
}

int
cria_meaning_get_n_pending (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), -1);

  return self->n_pending;
}

gint64
cria_meaning_get_pending_tokens (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), 0);

  return self->pending_tokens;
}

guint
cria_meaning_get_n_done (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), 0);

  return self->n_done;
}

const char *
cria_meaning_get_error (CriaMeaning *self)
{
  g_return_val_if_fail (CRIA_IS_MEANING (self), NULL);

  return self->error;
}

void
_cria_meaning_set_delay (CriaMeaning *self,
                         guint        delay_ms)
{
  g_return_if_fail (CRIA_IS_MEANING (self));

  self->delay_ms = delay_ms;
}

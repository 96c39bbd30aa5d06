/* cria-store-meaning.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vectors of messages for search by meaning, on the store's worker.
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "cria-search-hit.h"
#include "cria-store-meaning.h"
#include "cria-store-private.h"

/* A snippet shows about this many characters of the best message. */
#define SNIPPET_CHARS 140

/* Vectors per (message, model), int8 with their scale, in a rowid table
 * (768 bytes is too large a row for WITHOUT ROWID); a message's vectors
 * go with it (ON DELETE CASCADE, so with its conversation too) and when its
 * text changes, since they no longer say what it says. */
const char _cria_store_meaning_migration[] =
  "CREATE TABLE message_vectors ("
  "  id         INTEGER PRIMARY KEY,"
  "  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  "  model      TEXT NOT NULL,"
  "  scale      REAL NOT NULL,"
  "  vector     BLOB NOT NULL,"
  "  UNIQUE (message_id, model));"
  "CREATE TRIGGER message_vectors_stale AFTER UPDATE OF content ON messages"
  "  WHEN old.content IS NOT new.content BEGIN"
  "  DELETE FROM message_vectors WHERE message_id = new.id;"
  "END;";

/* What is embedded: finished user and assistant messages with text. */
#define EMBEDDABLE(m) \
  m ".role IN ('user', 'assistant') AND " m ".state != 'streaming' AND " m ".content != ''" \
  " AND NOT EXISTS (SELECT 1 FROM message_vectors v WHERE v.message_id = " m ".id AND v.model = ?1)"

typedef struct
{
  char               *model;
  guint               max_chars;
  guint               limit;
  guint               dimension;
  guint               n;
  gint64              after;
  gint64             *ids;
  gint8              *values;
  float              *scales;

  /* The results. */
  guint               n_messages;
  gint64              n_chars;
  GArray             *out_ids;
  GStrv               texts;
  CriaMessageVectors *vectors;
  GPtrArray          *hits;
} MeaningJob;

static void
meaning_job_free (gpointer payload)
{
  MeaningJob *job = payload;

  g_free (job->model);
  g_free (job->ids);
  g_free (job->values);
  g_free (job->scales);
  g_clear_pointer (&job->out_ids, g_array_unref);
  g_strfreev (job->texts);
  g_clear_pointer (&job->vectors, cria_message_vectors_free);
  g_clear_pointer (&job->hits, g_ptr_array_unref);
  g_free (job);
}

static MeaningJob *
meaning_job_new (const char *model)
{
  MeaningJob *job = g_new0 (MeaningJob, 1);

  job->model = g_strdup (model);

  return job;
}

void
cria_message_vectors_free (CriaMessageVectors *vectors)
{
  if (vectors == NULL)
    return;

  g_free (vectors->ids);
  g_free (vectors->values);
  g_free (vectors->scales);
  g_free (vectors);
}

static gboolean
finish_rows (CriaStoreDb   *db,
             sqlite3_stmt  *stmt,
             int            rc,
             GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* Counting */

static gboolean
run_count (CriaStoreDb   *db,
           CriaStoreJob  *store_job,
           GError       **error)
{
  static const char count_sql[] =
    "SELECT count (*), coalesce (sum (min (length (m.content), ?2)), 0) FROM messages m"
    " WHERE " EMBEDDABLE ("m");
  MeaningJob *job = store_job->payload;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, count_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, job->model);
  sqlite3_bind_int64 (stmt, 2, job->max_chars);
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      job->n_messages = sqlite3_column_int64 (stmt, 0);
      job->n_chars = sqlite3_column_int64 (stmt, 1);
      rc = SQLITE_DONE;
    }

  return finish_rows (db, stmt, rc, error);
}

static const CriaStoreJobType count_job_type = { "meaning-count", FALSE, run_count, meaning_job_free };

void
cria_store_count_unembedded_async (CriaStore           *self,
                                   const char          *model,
                                   guint                max_chars,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MeaningJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (model != NULL);

  job = meaning_job_new (model);
  job->max_chars = max_chars;
  _cria_store_push_task_job (self, &count_job_type, job, cria_store_count_unembedded_async,
                             cancellable, callback, user_data);
}

gboolean
cria_store_count_unembedded_finish (CriaStore     *self,
                                    GAsyncResult  *result,
                                    guint         *n_messages,
                                    gint64        *n_chars,
                                    GError       **error)
{
  CriaStoreJob *store_job = _cria_store_finish_job (self, result, cria_store_count_unembedded_async, error);
  MeaningJob *job;

  if (store_job == NULL)
    return FALSE;

  job = _cria_store_job_get_payload (store_job, &count_job_type);
  if (n_messages != NULL)
    *n_messages = job->n_messages;
  if (n_chars != NULL)
    *n_chars = job->n_chars;
  _cria_store_job_free (store_job);

  return TRUE;
}

/* The next batch */

static gboolean
run_next (CriaStoreDb   *db,
          CriaStoreJob  *store_job,
          GError       **error)
{
  static const char next_sql[] =
    "SELECT m.id, substr (m.content, 1, ?2) FROM messages m WHERE m.id > ?4 AND " EMBEDDABLE ("m")
    " ORDER BY m.id LIMIT ?3";
  MeaningJob *job = store_job->payload;
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, next_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, job->model);
  sqlite3_bind_int64 (stmt, 2, job->max_chars);
  sqlite3_bind_int64 (stmt, 3, job->limit);
  sqlite3_bind_int64 (stmt, 4, job->after);
  job->out_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));

      if (text == NULL)
        continue;
      g_array_append_val (job->out_ids, id);
      g_strv_builder_add (texts, text);
    }
  job->texts = g_strv_builder_end (texts);

  return finish_rows (db, stmt, rc, error);
}

static const CriaStoreJobType next_job_type = { "meaning-next", FALSE, run_next, meaning_job_free };

void
cria_store_next_unembedded_async (CriaStore           *self,
                                  const char          *model,
                                  guint                max_chars,
                                  gint64               after,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MeaningJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (model != NULL);

  job = meaning_job_new (model);
  job->max_chars = max_chars;
  job->after = after;
  job->limit = limit;
  _cria_store_push_task_job (self, &next_job_type, job, cria_store_next_unembedded_async,
                             cancellable, callback, user_data);
}

GStrv
cria_store_next_unembedded_finish (CriaStore     *self,
                                   GAsyncResult  *result,
                                   GArray       **ids,
                                   GError       **error)
{
  CriaStoreJob *store_job = _cria_store_finish_job (self, result, cria_store_next_unembedded_async, error);
  MeaningJob *job;
  GStrv texts;

  if (store_job == NULL)
    return NULL;

  job = _cria_store_job_get_payload (store_job, &next_job_type);
  texts = g_steal_pointer (&job->texts);
  if (ids != NULL)
    *ids = g_steal_pointer (&job->out_ids);
  _cria_store_job_free (store_job);

  return texts;
}

/* Saving */

static gboolean
run_save (CriaStoreDb   *db,
          CriaStoreJob  *store_job,
          GError       **error)
{
  static const char save_sql[] =
    "INSERT OR REPLACE INTO message_vectors (message_id, model, scale, vector)"
    " SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?1)";
  MeaningJob *job = store_job->payload;
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if ((stmt = _cria_store_db_prepare (db, save_sql, error)) == NULL)
    {
      _cria_store_db_rollback (db);
      return FALSE;
    }
  for (guint i = 0; i < job->n; i++)
    {
      sqlite3_bind_int64 (stmt, 1, job->ids[i]);
      _cria_store_db_bind_text (stmt, 2, job->model);
      sqlite3_bind_double (stmt, 3, job->scales[i]);
      sqlite3_bind_blob (stmt, 4, job->values + (gsize) i * job->dimension, job->dimension, SQLITE_STATIC);
      if (!_cria_store_db_step_done (db, stmt, error))
        {
          _cria_store_db_rollback (db);
          return FALSE;
        }
    }
  sqlite3_clear_bindings (stmt);

  return _cria_store_db_commit (db, error);
}

static const CriaStoreJobType save_job_type = { "meaning-save", FALSE, run_save, meaning_job_free };

void
cria_store_save_message_vectors_async (CriaStore           *self,
                                       const char          *model,
                                       guint                dimension,
                                       const gint64        *ids,
                                       guint                n,
                                       const gint8         *values,
                                       const float         *scales,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MeaningJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (dimension > 0);
  g_return_if_fail (n == 0 || (ids != NULL && values != NULL && scales != NULL));

  job = meaning_job_new (model);
  job->dimension = dimension;
  job->n = n;
  job->ids = g_memdup2 (ids, sizeof (gint64) * n);
  job->values = g_memdup2 (values, (gsize) dimension * n);
  job->scales = g_memdup2 (scales, sizeof (float) * n);
  _cria_store_push_task_job (self, &save_job_type, job, cria_store_save_message_vectors_async,
                             cancellable, callback, user_data);
}

gboolean
cria_store_save_message_vectors_finish (CriaStore     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  CriaStoreJob *store_job = _cria_store_finish_job (self, result, cria_store_save_message_vectors_async, error);

  if (store_job == NULL)
    return FALSE;
  _cria_store_job_free (store_job);

  return TRUE;
}

/* Loading */

static gboolean
run_load (CriaStoreDb   *db,
          CriaStoreJob  *store_job,
          GError       **error)
{
  static const char load_sql[] =
    "SELECT message_id, scale, vector FROM message_vectors WHERE model = ?1";
  MeaningJob *job = store_job->payload;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) scales = g_array_new (FALSE, FALSE, sizeof (float));
  g_autoptr(GByteArray) values = g_byte_array_new ();
  guint dimension = 0;
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, load_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, job->model);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      float scale = sqlite3_column_double (stmt, 1);
      const void *blob = sqlite3_column_blob (stmt, 2);
      int size = sqlite3_column_bytes (stmt, 2);

      /* The model decides the dimension; a vector of another size (the
       * server changed what the name stands for) cannot be compared. */
      if (blob == NULL || size <= 0)
        continue;
      if (dimension == 0)
        dimension = size;
      if ((guint) size != dimension)
        continue;
      g_array_append_val (ids, id);
      g_array_append_val (scales, scale);
      g_byte_array_append (values, blob, size);
    }
  if (!finish_rows (db, stmt, rc, error))
    return FALSE;

  job->vectors = g_new0 (CriaMessageVectors, 1);
  job->vectors->n = ids->len;
  job->vectors->dimension = dimension;
  job->vectors->ids = (gint64 *) (void *) g_array_free (g_steal_pointer (&ids), FALSE);
  job->vectors->scales = (float *) (void *) g_array_free (g_steal_pointer (&scales), FALSE);
  job->vectors->values = (gint8 *) g_byte_array_free (g_steal_pointer (&values), FALSE);

  return TRUE;
}

static const CriaStoreJobType load_job_type = { "meaning-load", FALSE, run_load, meaning_job_free };

void
cria_store_load_message_vectors_async (CriaStore           *self,
                                       const char          *model,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (model != NULL);

  _cria_store_push_task_job (self, &load_job_type, meaning_job_new (model), cria_store_load_message_vectors_async,
                             cancellable, callback, user_data);
}

CriaMessageVectors *
cria_store_load_message_vectors_finish (CriaStore     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  CriaStoreJob *store_job = _cria_store_finish_job (self, result, cria_store_load_message_vectors_async, error);
  CriaMessageVectors *vectors;

  if (store_job == NULL)
    return NULL;
  vectors = g_steal_pointer (&((MeaningJob *) _cria_store_job_get_payload (store_job, &load_job_type))->vectors);
  _cria_store_job_free (store_job);

  return vectors;
}

/* Hits */

/* The start of @text on one line, escaped for Pango markup. */
static char *
make_snippet (const char *text)
{
  g_autoptr(GString) line = g_string_new (NULL);
  guint n_chars = 0;
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = line->len > 0;
          continue;
        }
      if (n_chars >= SNIPPET_CHARS)
        {
          g_string_append (line, "…");
          break;
        }
      if (space)
        g_string_append_c (line, ' ');
      space = FALSE;
      g_string_append_unichar (line, c);
      n_chars++;
    }

  return g_markup_escape_text (line->str, -1);
}

static gboolean
run_hits (CriaStoreDb   *db,
          CriaStoreJob  *store_job,
          GError       **error)
{
  static const char hit_sql[] =
    "SELECT m.conversation_id, c.title, m.uuid, substr (m.content, 1, ?2)"
    " FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?1";
  MeaningJob *job = store_job->payload;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  job->hits = g_ptr_array_new_with_free_func (g_object_unref);
  if ((stmt = _cria_store_db_prepare (db, hit_sql, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < job->n && job->hits->len < job->limit; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *title = NULL;
      g_autofree char *message_id = NULL;
      g_autofree char *text = NULL;
      g_autofree char *snippet = NULL;
      CriaSearchHit *hit;
      int rc;

      sqlite3_bind_int64 (stmt, 1, job->ids[i]);
      sqlite3_bind_int64 (stmt, 2, SNIPPET_CHARS * 4);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 0));
          title = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
          message_id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 2));
          text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 3));
        }
      else if (rc != SQLITE_DONE)
        return finish_rows (db, stmt, rc, error);
      sqlite3_reset (stmt);

      if (id == NULL || g_hash_table_contains (seen, id))
        continue;
      snippet = make_snippet (text != NULL ? text : "");
      hit = cria_search_hit_new (id, title, message_id, snippet);
      cria_search_hit_set_by_meaning (hit, TRUE);
      g_ptr_array_add (job->hits, hit);
      g_hash_table_add (seen, g_steal_pointer (&id));
    }
  sqlite3_clear_bindings (stmt);

  return TRUE;
}

static const CriaStoreJobType hits_job_type = { "meaning-hits", FALSE, run_hits, meaning_job_free };

void
cria_store_meaning_hits_async (CriaStore           *self,
                               const gint64        *ids,
                               guint                n,
                               guint                limit,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  MeaningJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (n == 0 || ids != NULL);

  job = meaning_job_new (NULL);
  job->ids = g_memdup2 (ids, sizeof (gint64) * n);
  job->n = n;
  job->limit = limit;
  _cria_store_push_task_job (self, &hits_job_type, job, cria_store_meaning_hits_async,
                             cancellable, callback, user_data);
}

GPtrArray *
cria_store_meaning_hits_finish (CriaStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  CriaStoreJob *store_job = _cria_store_finish_job (self, result, cria_store_meaning_hits_async, error);
  GPtrArray *hits;

  if (store_job == NULL)
    return NULL;
  hits = g_steal_pointer (&((MeaningJob *) _cria_store_job_get_payload (store_job, &hits_job_type))->hits);
  _cria_store_job_free (store_job);

  return hits;
}

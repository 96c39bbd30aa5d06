/* cria-store-chunks.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What answering from long documents keeps, on the worker: the chunks of a
 * document (by its hash), their full-text index and their vectors per
 * embedding model; and the sources an answer was given with.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-store-chunks.h"
#include "cria-store-private.h"
#include "cria-usage.h"

/* A vector longer than any embedding model's (qwen3-embedding-8b: 4096). */
#define MAX_DIMENSION 16384

CriaStoreChunk *
cria_store_chunk_new (guint       index,
                      guint       page,
                      const char *text)
{
  CriaStoreChunk *chunk = g_new0 (CriaStoreChunk, 1);

  chunk->index = index;
  chunk->page = page;
  chunk->text = g_strdup (text != NULL ? text : "");
  chunk->tokens = cria_usage_estimate_tokens (chunk->text);

  return chunk;
}

CriaStoreChunk *
cria_store_chunk_copy (const CriaStoreChunk *chunk)
{
  CriaStoreChunk *copy;

  g_return_val_if_fail (chunk != NULL, NULL);

  copy = g_memdup2 (chunk, sizeof *chunk);
  copy->text = g_strdup (chunk->text);
  copy->hash = g_strdup (chunk->hash);
  copy->vector = chunk->vector != NULL ? g_memdup2 (chunk->vector, sizeof (float) * chunk->dimension) : NULL;

  return copy;
}

void
cria_store_chunk_free (CriaStoreChunk *chunk)
{
  if (chunk == NULL)
    return;

  g_free (chunk->text);
  g_free (chunk->hash);
  g_free (chunk->vector);
  g_free (chunk);
}

void
cria_store_vectors_free (CriaStoreVectors *vectors)
{
  if (vectors == NULL)
    return;

  g_free (vectors->ids);
  g_free (vectors->values);
  g_free (vectors);
}

/* IEEE 754 binary16, rounding to nearest even; what does not fit becomes
 * infinity, what is too small zero or a subnormal. */
guint16
cria_store_half_from_float (float value)
{
  guint32 bits;
  guint32 sign;
  gint32 exponent;
  guint32 mantissa;

  memcpy (&bits, &value, sizeof bits);
  sign = (bits >> 16) & 0x8000;
  exponent = (gint32) ((bits >> 23) & 0xff) - 127 + 15;
  mantissa = bits & 0x7fffff;

  if (((bits >> 23) & 0xff) == 0xff)
    return sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0);
  if (exponent >= 31)
    return sign | 0x7c00;
  if (exponent <= 0)
    {
      guint32 shift;
      guint32 half;

      if (exponent < -10)
        return sign;
      mantissa |= 0x800000;
      shift = (guint32) (14 - exponent);
      half = mantissa >> shift;
      if ((mantissa >> (shift - 1)) & 1 && ((mantissa & ((1u << (shift - 1)) - 1)) != 0 || (half & 1)))
        half++;
      return sign | half;
    }

  {
    guint32 half = sign | ((guint32) exponent << 10) | (mantissa >> 13);
    guint32 rest = mantissa & 0x1fff;

    /* A carry into the exponent is the right result, up to infinity. */
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
      half++;
    return half;
  }
}

float
cria_store_half_to_float (guint16 half)
{
  guint32 sign = ((guint32) half & 0x8000) << 16;
  guint32 exponent = (half >> 10) & 0x1f;
  guint32 mantissa = half & 0x3ff;
  guint32 bits;
  float value;

  if (exponent == 0)
    {
      if (mantissa == 0)
        bits = sign;
      else
        {
          /* A subnormal: normalise it. */
          exponent = 127 - 15 + 1;
          while ((mantissa & 0x400) == 0)
            {
              mantissa <<= 1;
              exponent--;
            }
          bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
        }
    }
  else if (exponent == 31)
    bits = sign | 0x7f800000 | (mantissa << 13);
  else
    bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);

  memcpy (&value, &bits, sizeof value);

  return value;
}

static float *
blob_to_floats (const void *blob,
                int         n_bytes,
                guint      *dimension)
{
  const guchar *bytes = blob;
  float *values;
  guint n;

  if (blob == NULL || n_bytes <= 0 || n_bytes % 2 != 0 || n_bytes / 2 > MAX_DIMENSION)
    return NULL;

  n = (guint) n_bytes / 2;
  values = g_new (float, n);
  for (guint i = 0; i < n; i++)
    values[i] = cria_store_half_to_float ((guint16) (bytes[2 * i] | (bytes[2 * i + 1] << 8)));
  *dimension = n;

  return values;
}

/* Adding (and listing) a document's chunks. */

static void
add_chunks_job_free (gpointer payload)
{
  CriaStoreAddChunksJob *add = payload;

  g_free (add->hash);
  g_free (add->model);
  g_clear_pointer (&add->chunks, g_ptr_array_unref);
  g_free (add);
}

static gboolean
list_chunks (CriaStoreDb  *db,
             const char   *hash,
             const char   *model,
             GPtrArray    *out,
             GError      **error)
{
  static const char sql[] =
    "SELECT c.id, c.idx, c.page, c.tokens, c.text,"
    " EXISTS (SELECT 1 FROM chunk_vectors v WHERE v.chunk_id = c.id AND v.model = ?2)"
    " FROM chunks c WHERE c.hash = ?1 ORDER BY c.idx";
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, hash);
  _cria_store_db_bind_text (stmt, 2, model);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 4));
      CriaStoreChunk *chunk = cria_store_chunk_new ((guint) sqlite3_column_int (stmt, 1),
                                                    (guint) sqlite3_column_int (stmt, 2), text);

      chunk->id = sqlite3_column_int64 (stmt, 0);
      chunk->tokens = sqlite3_column_int64 (stmt, 3);
      chunk->has_vector = sqlite3_column_int (stmt, 5) != 0;
      g_ptr_array_add (out, chunk);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_add_chunks (CriaStoreDb   *db,
                CriaStoreJob  *job,
                GError       **error);

const CriaStoreJobType _cria_store_job_add_chunks = { "add-chunks", FALSE, run_add_chunks, add_chunks_job_free };

static gboolean
run_add_chunks (CriaStoreDb   *db,
                CriaStoreJob  *job,
                GError       **error)
{
  CriaStoreAddChunksJob *add = _cria_store_job_get_payload (job, &_cria_store_job_add_chunks);
  static const char insert_sql[] =
    "INSERT INTO chunks (hash, idx, page, tokens, text) VALUES (?1, ?2, ?3, ?4, ?5)";
  g_autoptr(GPtrArray) stored = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;
  if (!list_chunks (db, add->hash, add->model, stored, error))
    goto fail;

  if (stored->len == 0)
    {
      for (guint i = 0; i < add->chunks->len; i++)
        {
          CriaStoreChunk *chunk = g_ptr_array_index (add->chunks, i);

          if ((stmt = _cria_store_db_prepare (db, insert_sql, error)) == NULL)
            goto fail;
          _cria_store_db_bind_text (stmt, 1, add->hash);
          sqlite3_bind_int (stmt, 2, (int) chunk->index);
          sqlite3_bind_int (stmt, 3, (int) chunk->page);
          sqlite3_bind_int64 (stmt, 4, chunk->tokens);
          _cria_store_db_bind_text (stmt, 5, chunk->text);
          if (!_cria_store_db_step_done (db, stmt, error))
            goto fail;
        }
      if (!list_chunks (db, add->hash, add->model, stored, error))
        goto fail;
    }

  if (!_cria_store_db_commit (db, error))
    return FALSE;

  g_ptr_array_unref (add->chunks);
  add->chunks = g_steal_pointer (&stored);

  return TRUE;

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

/* The vectors job. */

static void
add_vectors_job_free (gpointer payload)
{
  CriaStoreAddVectorsJob *add = payload;

  g_free (add->model);
  g_free (add->ids);
  g_free (add->values);
  g_free (add);
}

static gboolean
run_add_vectors (CriaStoreDb   *db,
                 CriaStoreJob  *job,
                 GError       **error);

const CriaStoreJobType _cria_store_job_add_vectors = { "add-vectors", FALSE, run_add_vectors, add_vectors_job_free };

static gboolean
run_add_vectors (CriaStoreDb   *db,
                 CriaStoreJob  *job,
                 GError       **error)
{
  CriaStoreAddVectorsJob *add = _cria_store_job_get_payload (job, &_cria_store_job_add_vectors);
  static const char insert_sql[] =
    "INSERT OR REPLACE INTO chunk_vectors (chunk_id, model, dimension, vector)"
    " SELECT id, ?2, ?3, ?4 FROM chunks WHERE id = ?1";
  g_autofree guchar *blob = g_new (guchar, (gsize) add->dimension * 2);
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < add->n_ids; i++)
    {
      const float *vector = add->values + (gsize) i * add->dimension;

      for (guint d = 0; d < add->dimension; d++)
        {
          guint16 half = cria_store_half_from_float (vector[d]);

          blob[2 * d] = half & 0xff;
          blob[2 * d + 1] = half >> 8;
        }

      if ((stmt = _cria_store_db_prepare (db, insert_sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, add->ids[i]);
      _cria_store_db_bind_text (stmt, 2, add->model);
      sqlite3_bind_int (stmt, 3, (int) add->dimension);
      sqlite3_bind_blob (stmt, 4, blob, (int) add->dimension * 2, SQLITE_STATIC);
      if (!_cria_store_db_step_done (db, stmt, error))
        goto fail;
      if (sqlite3_changes (db->db) == 0)
        {
          g_set_error_literal (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_NOT_FOUND,
                               _("The document’s passages are no longer in the history."));
          goto fail;
        }
    }

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

/* Loading vectors. */

static void
load_vectors_job_free (gpointer payload)
{
  CriaStoreLoadVectorsJob *load = payload;

  g_strfreev (load->hashes);
  g_free (load->model);
  g_clear_pointer (&load->vectors, g_ptr_array_unref);
  g_free (load);
}

static gboolean
run_load_vectors (CriaStoreDb   *db,
                  CriaStoreJob  *job,
                  GError       **error);

const CriaStoreJobType _cria_store_job_load_vectors = { "load-vectors", FALSE, run_load_vectors, load_vectors_job_free };

static gboolean
run_load_vectors (CriaStoreDb   *db,
                  CriaStoreJob  *job,
                  GError       **error)
{
  CriaStoreLoadVectorsJob *load = _cria_store_job_get_payload (job, &_cria_store_job_load_vectors);
  static const char sql[] =
    "SELECT c.id, v.vector FROM chunks c JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ?2"
    " WHERE c.hash = ?1 ORDER BY c.idx";

  g_assert (g_thread_self () == db->thread);

  load->vectors = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_vectors_free);
  for (guint h = 0; load->hashes[h] != NULL; h++)
    {
      CriaStoreVectors *vectors = g_new0 (CriaStoreVectors, 1);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (float));
      sqlite3_stmt *stmt;
      int rc;

      g_ptr_array_add (load->vectors, vectors);
      if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
        return FALSE;
      _cria_store_db_bind_text (stmt, 1, load->hashes[h]);
      _cria_store_db_bind_text (stmt, 2, load->model);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          guint dimension = 0;
          g_autofree float *vector = blob_to_floats (sqlite3_column_blob (stmt, 1),
                                                     sqlite3_column_bytes (stmt, 1), &dimension);

          /* The dimension of the first vector is the document's: a
           * vector of another length (a database edited by hand) is
           * left out rather than read out of bounds. */
          if (vector == NULL || (vectors->dimension != 0 && dimension != vectors->dimension))
            continue;
          vectors->dimension = dimension;
          g_array_append_val (ids, id);
          g_array_append_vals (values, vector, dimension);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _cria_store_db_set_error (db, rc, error);
          return FALSE;
        }
      vectors->n_vectors = ids->len;
      vectors->ids = (gint64 *) (void *) g_array_free (g_steal_pointer (&ids), FALSE);
      vectors->values = (float *) (void *) g_array_free (g_steal_pointer (&values), FALSE);
    }

  return TRUE;
}

/* Matching: the candidates' exact vectors and the keyword hits. */

static void
match_job_free (gpointer payload)
{
  CriaStoreMatchJob *match = payload;

  g_strfreev (match->hashes);
  g_free (match->model);
  g_free (match->ids);
  g_free (match->query);
  g_clear_pointer (&match->candidates, g_ptr_array_unref);
  g_clear_pointer (&match->keyword_hits, g_ptr_array_unref);
  g_free (match);
}

/* Any of the words of @text, quoted: FTS5 ranks by how well they match
 * (bm25), so a passage with more of them and rarer ones comes first. */
static char *
make_any_word_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  const char *p = text;
  guint n_words = 0;

  while (*p != '\0' && n_words < 64)
    {
      const char *start;

      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      start = p;
      while (*p != '\0' && g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == start)
        continue;
      if (n_words++ > 0)
        g_string_append (query, " OR ");
      g_string_append_c (query, '"');
      g_string_append_len (query, start, p - start);
      g_string_append_c (query, '"');
    }

  return n_words > 0 ? g_string_free (g_steal_pointer (&query), FALSE) : NULL;
}

static gboolean
run_match (CriaStoreDb   *db,
           CriaStoreJob  *job,
           GError       **error);

const CriaStoreJobType _cria_store_job_match_chunks = { "match-chunks", FALSE, run_match, match_job_free };

static gboolean
run_match (CriaStoreDb   *db,
           CriaStoreJob  *job,
           GError       **error)
{
  CriaStoreMatchJob *match = _cria_store_job_get_payload (job, &_cria_store_job_match_chunks);
  static const char vector_sql[] =
    "SELECT c.idx, c.page, c.tokens, c.text, v.vector, c.hash FROM chunks c"
    " JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = ?2 WHERE c.id = ?1";
  static const char keyword_sql[] =
    "SELECT c.id, c.idx, c.page, c.tokens, c.text, c.hash FROM chunks_fts f JOIN chunks c ON c.id = f.rowid"
    " WHERE chunks_fts MATCH ?1 AND c.hash IN (SELECT value FROM json_each (?2))"
    " ORDER BY f.rank LIMIT ?3";
  g_autofree char *fts_query = make_any_word_query (match->query);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  match->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  match->keyword_hits = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);

  if (!_cria_store_db_begin (db, error))
    return FALSE;

  for (guint i = 0; i < match->n_ids; i++)
    {
      if ((stmt = _cria_store_db_prepare (db, vector_sql, error)) == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, match->ids[i]);
      _cria_store_db_bind_text (stmt, 2, match->model);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 3));
          CriaStoreChunk *chunk = cria_store_chunk_new ((guint) sqlite3_column_int (stmt, 0),
                                                        (guint) sqlite3_column_int (stmt, 1), text);

          chunk->id = match->ids[i];
          chunk->hash = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 5));
          chunk->tokens = sqlite3_column_int64 (stmt, 2);
          chunk->has_vector = TRUE;
          chunk->vector = blob_to_floats (sqlite3_column_blob (stmt, 4), sqlite3_column_bytes (stmt, 4),
                                          &chunk->dimension);
          if (chunk->vector == NULL)
            chunk->has_vector = FALSE;
          g_ptr_array_add (match->candidates, chunk);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _cria_store_db_set_error (db, rc, error);
          goto fail;
        }
    }

  if (fts_query != NULL && match->keyword_limit > 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *hashes = NULL;

      json_builder_begin_array (builder);
      for (guint h = 0; match->hashes[h] != NULL; h++)
        json_builder_add_string_value (builder, match->hashes[h]);
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      hashes = json_generator_to_data (generator, NULL);

      if ((stmt = _cria_store_db_prepare (db, keyword_sql, error)) == NULL)
        goto fail;
      _cria_store_db_bind_text (stmt, 1, fts_query);
      _cria_store_db_bind_text (stmt, 2, hashes);
      sqlite3_bind_int (stmt, 3, (int) match->keyword_limit);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 4));
          CriaStoreChunk *chunk = cria_store_chunk_new ((guint) sqlite3_column_int (stmt, 1),
                                                        (guint) sqlite3_column_int (stmt, 2), text);

          chunk->id = sqlite3_column_int64 (stmt, 0);
          chunk->tokens = sqlite3_column_int64 (stmt, 3);
          chunk->hash = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 5));
          g_ptr_array_add (match->keyword_hits, chunk);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          _cria_store_db_set_error (db, rc, error);
          goto fail;
        }
    }

  return _cria_store_db_commit (db, error);

fail:
  _cria_store_db_rollback (db);
  return FALSE;
}

/* Deleting: the chunks (and, by their foreign key, the vectors) of the
 * documents that are about to go. A document being indexed before its
 * message is saved has no row in documents yet, and keeps its chunks. */
gboolean
_cria_store_delete_orphan_chunks (CriaStoreDb  *db,
                                  GError      **error)
{
  static const char sql[] =
    "DELETE FROM chunks WHERE hash IN (SELECT d.hash FROM documents d WHERE NOT EXISTS"
    " (SELECT 1 FROM message_documents md WHERE md.hash = d.hash))";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;

  return _cria_store_db_step_done (db, stmt, error);
}

/* Sources. */

gboolean
_cria_store_write_sources (CriaStoreDb  *db,
                           gint64        message_rowid,
                           GPtrArray    *sources,
                           GError      **error)
{
  static const char clear_sql[] = "DELETE FROM message_sources WHERE message_id = ?1";
  static const char insert_sql[] =
    "INSERT INTO message_sources (message_id, idx, name, hash, page, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, clear_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_rowid);
  if (!_cria_store_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; sources != NULL && i < sources->len; i++)
    {
      CriaSource *source = g_ptr_array_index (sources, i);

      if ((stmt = _cria_store_db_prepare (db, insert_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message_rowid);
      sqlite3_bind_int (stmt, 2, (int) i);
      _cria_store_db_bind_text (stmt, 3, cria_source_get_document_name (source));
      _cria_store_db_bind_text (stmt, 4, cria_source_get_document_hash (source));
      sqlite3_bind_int64 (stmt, 5, cria_source_get_page (source));
      _cria_store_db_bind_text (stmt, 6, cria_source_get_text (source));
      if (!_cria_store_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
_cria_store_load_sources (CriaStoreDb  *db,
                          const char   *id,
                          GHashTable   *by_rowid,
                          GError      **error)
{
  static const char sql[] =
    "SELECT s.message_id, s.name, s.hash, s.page, s.text FROM messages m"
    " JOIN message_sources s ON s.message_id = m.id"
    " WHERE m.conversation_id = ?1 ORDER BY s.message_id, s.idx";
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);
      CriaMessageRecord *message = g_hash_table_lookup (by_rowid, &rowid);
      g_autofree char *name = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
      g_autofree char *hash = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 2));
      g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 4));
      gint64 page = sqlite3_column_int64 (stmt, 3);

      if (message == NULL || name == NULL || hash == NULL || text == NULL)
        continue;
      g_ptr_array_add (message->sources,
                       cria_source_new (name, hash, (guint) CLAMP (page, 0, G_MAXUINT), text));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

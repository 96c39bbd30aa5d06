/* cria-store-documents.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The documents user messages carry, on the worker: written with a message,
 * read with a conversation, and gone with the last message carrying them.
 */

#include "config.h"

#include "cria-store-private.h"

/* Like images, a document's text is stored once by its hash, however many
 * messages (or conversations) carry it; a message keeps the name it was
 * attached under. */
gboolean
_cria_store_write_documents (CriaStoreDb *db,
                             gint64       message_rowid,
                             GPtrArray   *documents,
                             GError     **error)
{
  static const char clear_sql[] = "DELETE FROM message_documents WHERE message_id = ?1";
  static const char document_sql[] =
    "INSERT OR IGNORE INTO documents (hash, mime, size, scanned, text) VALUES (?1, ?2, ?3, ?4, ?5)";
  static const char link_sql[] =
    "INSERT INTO message_documents (message_id, idx, hash, name) VALUES (?1, ?2, ?3, ?4)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, clear_sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, message_rowid);
  if (!_cria_store_db_step_done (db, stmt, error))
    return FALSE;

  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);
      g_autofree char *text = NULL;

      if ((stmt = _cria_store_db_prepare (db, document_sql, error)) == NULL)
        return FALSE;
      text = cria_document_join_pages (document);
      _cria_store_db_bind_text (stmt, 1, document->hash);
      _cria_store_db_bind_text (stmt, 2, document->mime_type);
      sqlite3_bind_int64 (stmt, 3, document->size);
      sqlite3_bind_int64 (stmt, 4, document->n_scanned_pages);
      _cria_store_db_bind_text (stmt, 5, text);
      if (!_cria_store_db_step_done (db, stmt, error))
        return FALSE;

      if ((stmt = _cria_store_db_prepare (db, link_sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, message_rowid);
      sqlite3_bind_int (stmt, 2, i);
      _cria_store_db_bind_text (stmt, 3, document->hash);
      _cria_store_db_bind_text (stmt, 4, document->name);
      if (!_cria_store_db_step_done (db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Documents no message carries any more go with the last one. */
gboolean
_cria_store_delete_orphan_documents (CriaStoreDb  *db,
                                     GError      **error)
{
  static const char sql[] =
    "DELETE FROM documents WHERE NOT EXISTS"
    " (SELECT 1 FROM message_documents md WHERE md.hash = documents.hash)";
  sqlite3_stmt *stmt;

  g_assert (g_thread_self () == db->thread);

  /* Their chunks and vectors first, while the documents still say which. */
  if (!_cria_store_delete_orphan_chunks (db, error))
    return FALSE;
  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;

  return _cria_store_db_step_done (db, stmt, error);
}

/* The documents of the messages of conversation @id, into the records of
 * @by_rowid. A document carried by several messages is read once. */
gboolean
_cria_store_load_documents (CriaStoreDb  *db,
                            const char   *id,
                            GHashTable   *by_rowid,
                            GError      **error)
{
  static const char sql[] =
    "SELECT md.message_id, md.hash, md.name, d.mime, d.size, d.scanned, d.text FROM messages m"
    " JOIN message_documents md ON md.message_id = m.id JOIN documents d ON d.hash = md.hash"
    " WHERE m.conversation_id = ?1 ORDER BY md.message_id, md.idx";
  g_autoptr(GHashTable) by_hash = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) cria_document_unref);
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
      g_autofree char *hash = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
      g_autofree char *name = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 2));
      CriaDocument *known;
      CriaDocument *document;

      if (message == NULL || hash == NULL || name == NULL)
        continue;

      known = g_hash_table_lookup (by_hash, hash);
      if (known != NULL && g_str_equal (known->name, name))
        document = cria_document_ref (known);
      else if (known != NULL)
        {
          g_autoptr(GPtrArray) pages = g_ptr_array_new_full (known->pages->len + 1, NULL);

          for (guint i = 0; i < known->pages->len; i++)
            g_ptr_array_add (pages, g_ptr_array_index (known->pages, i));
          g_ptr_array_add (pages, NULL);
          document = cria_document_new (name, known->mime_type, known->hash, known->size,
                                        (const char * const *) pages->pdata, known->n_scanned_pages);
        }
      else
        {
          g_autofree char *mime = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 3));
          g_autofree char *text = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 6));
          g_autoptr(GPtrArray) pages = cria_document_split_pages (text != NULL ? text : "");

          document = cria_document_new (name, mime != NULL ? mime : "text/plain", hash,
                                        sqlite3_column_int64 (stmt, 4),
                                        (const char * const *) pages->pdata,
                                        (guint) CLAMP (sqlite3_column_int64 (stmt, 5), 0, G_MAXUINT));
          if (document != NULL)
            g_hash_table_insert (by_hash, document->hash, cria_document_ref (document));
        }
      if (document != NULL)
        g_ptr_array_add (message->documents, document);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* cria-store-search.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Full-text search over titles and messages (FTS5), on the store's worker.
 */

#include "config.h"

#include <sqlite3.h>

#include "cria-store-private.h"

/* FTS5 snippet markers: control characters no message text is made of. */
#define MARK_OPEN  0x2
#define MARK_CLOSE 0x3

char *
_cria_store_make_fts_query (const char *text)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* Every word is quoted, so nothing the user types is FTS5 syntax, and
   * matched as a prefix, so results come while the word is being typed. */
  words = g_strsplit_set (text, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) word = NULL;

      if (*words[i] == '\0')
        continue;

      word = g_string_new (words[i]);
      g_string_replace (word, "\"", "\"\"", 0);
      if (query->len > 0)
        g_string_append_c (query, ' ');
      g_string_append_printf (query, "\"%s\"*", word->str);
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

static gboolean
run_search (CriaStoreDb   *db,
            CriaStoreJob  *job,
            GError       **error)
{
  CriaStoreSearchJob *search = _cria_store_job_get_payload (job, &_cria_store_job_search);
  static const char titles_sql[] =
    "SELECT f.conversation_id, highlight (conversations_fts, 0, char (2), char (3))"
    " FROM conversations_fts f WHERE conversations_fts MATCH ?1"
    " AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = f.conversation_id)"
    " LIMIT ?2";
  /* Newest first by rowid, which FTS5 walks without ranking every match. */
  static const char messages_sql[] =
    "SELECT m.conversation_id, c.title, m.uuid, snippet (messages_fts, 0, char (2), char (3), '…', 16)"
    " FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
    " JOIN conversations c ON c.id = m.conversation_id"
    " WHERE messages_fts MATCH ?1 ORDER BY messages_fts.rowid DESC LIMIT ?2";
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *query = _cria_store_make_fts_query (search->text);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);
  G_STATIC_ASSERT (MARK_OPEN == 2 && MARK_CLOSE == 3);

  if (query == NULL)
    {
      search->hits = g_steal_pointer (&hits);
      return TRUE;
    }

  if ((stmt = _cria_store_db_prepare (db, titles_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, search->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 0));
      g_autofree char *marked = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
      g_autofree char *markup = NULL;
      g_autoptr(GString) title = NULL;

      if (id == NULL || marked == NULL)
        continue;
      markup = cria_search_hit_highlight (marked, MARK_OPEN, MARK_CLOSE);
      title = g_string_new (marked);
      g_string_replace (title, "\002", "", 0);
      g_string_replace (title, "\003", "", 0);
      g_ptr_array_add (hits, cria_search_hit_new (id, title->str, NULL, markup));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  if ((stmt = _cria_store_db_prepare (db, messages_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, search->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 0));
      g_autofree char *title = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
      g_autofree char *message_id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 2));
      g_autofree char *snippet = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 3));
      g_autofree char *markup = NULL;

      if (id == NULL)
        continue;
      markup = cria_search_hit_highlight (snippet != NULL ? snippet : "", MARK_OPEN, MARK_CLOSE);
      g_ptr_array_add (hits, cria_search_hit_new (id, title, message_id, markup));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  search->hits = g_steal_pointer (&hits);
  return TRUE;
}

CriaStoreSearchJob *
_cria_store_search_job_new (const char *text,
                            guint       limit)
{
  CriaStoreSearchJob *search = g_new0 (CriaStoreSearchJob, 1);

  search->text = g_strdup (text);
  search->limit = limit;

  return search;
}

static void
search_job_free (gpointer payload)
{
  CriaStoreSearchJob *search = payload;

  g_free (search->text);
  g_clear_pointer (&search->hits, g_ptr_array_unref);
  g_free (search);
}

const CriaStoreJobType _cria_store_job_search =
  { "search", FALSE, run_search, search_job_free };

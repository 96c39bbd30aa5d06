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

gboolean
cria_store_search_reaches_messages (const char *text)
{
  guint n_chars = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  for (const char *p = text; *p != '\0' && n_chars < CRIA_STORE_SEARCH_MIN_MESSAGE_CHARS; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      n_chars++;

  return n_chars >= CRIA_STORE_SEARCH_MIN_MESSAGE_CHARS;
}

static gboolean
step_titles (CriaStoreDb  *db,
             const char   *query,
             guint         limit,
             GPtrArray    *hits,
             GError      **error)
{
  /* Few rows: every title that matches is ranked as the sidebar lists
   * conversations, pinned first, then the most recently updated. */
  static const char titles_sql[] =
    "SELECT f.conversation_id, highlight (conversations_fts, 0, char (2), char (3))"
    " FROM conversations_fts f JOIN conversations c ON c.id = f.conversation_id"
    " WHERE conversations_fts MATCH ?1"
    " AND EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = f.conversation_id)"
    " ORDER BY c.pinned DESC, c.updated DESC LIMIT ?2";
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = _cria_store_db_prepare (db, titles_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, limit);
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

  return TRUE;
}

static gboolean
step_messages (CriaStoreDb  *db,
               const char   *query,
               guint         limit,
               GPtrArray    *hits,
               GError      **error)
{
  /* Newest first by rowid, which FTS5 walks without ranking every match:
   * the query stops at the limit, and snippets are made for those rows
   * only. */
  static const char messages_sql[] =
    "SELECT m.conversation_id, c.title, m.uuid, snippet (messages_fts, 0, char (2), char (3), '…', 16)"
    " FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid"
    " JOIN conversations c ON c.id = m.conversation_id"
    " WHERE messages_fts MATCH ?1 ORDER BY messages_fts.rowid DESC LIMIT ?2";
  sqlite3_stmt *stmt;
  int rc;

  if ((stmt = _cria_store_db_prepare (db, messages_sql, error)) == NULL)
    return FALSE;
  _cria_store_db_bind_text (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, limit);
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

  return TRUE;
}

/* One list of at most @limit hits: the titles that match first, then the
 * messages, newest first. A query of one character matches words of
 * titles only: as a prefix of message text it matches nearly every
 * message, which is of no use to read and the dearest query to answer.
 * When messages are searched too, titles take at most half the list, so
 * that a word common in titles still shows messages. */
static gboolean
run_search (CriaStoreDb   *db,
            CriaStoreJob  *job,
            GError       **error)
{
  CriaStoreSearchJob *search = _cria_store_job_get_payload (job, &_cria_store_job_search);
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *query = _cria_store_make_fts_query (search->text);
  gboolean messages;
  guint title_limit;

  g_assert (g_thread_self () == db->thread);
  G_STATIC_ASSERT (MARK_OPEN == 2 && MARK_CLOSE == 3);

  if (query == NULL || search->limit == 0)
    {
      search->hits = g_steal_pointer (&hits);
      return TRUE;
    }

  messages = cria_store_search_reaches_messages (search->text);
  title_limit = messages ? (search->limit + 1) / 2 : search->limit;

  if (!step_titles (db, query, title_limit, hits, error))
    return FALSE;
  if (messages && hits->len < search->limit &&
      !step_messages (db, query, search->limit - hits->len, hits, error))
    return FALSE;

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

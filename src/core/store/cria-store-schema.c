/* cria-store-schema.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opening the history database on the worker: the schema, its migrations
 * (keyed on PRAGMA user_version) and what happens to a file that cannot be read.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "cria-store-private.h"

/* The running sums of migration 5, written out once per table. An answer
 * counts when it has ended and has a known cost or output token count; each
 * sum row holds the figures of the answers that count, and goes once no
 * answer is left in it. Costs are summed as whole picodollars, so that
 * adding an answer and taking it away again (a save, a delete, an undo)
 * leaves exactly the sum there was: a sum of doubles would drift.
 * These expand into a shipped migration: never change them, add a new one. */
#define SPENDING_QUARTER "900000000"
#define SPENDING_COUNTS(r) \
  "(" r ".role = 'assistant' AND " r ".state != 'streaming'" \
  " AND (coalesce (" r ".cost >= 0, 0) OR coalesce (" r ".tokens_out >= 0, 0)))"
#define SPENDING_FIGURES(r) \
  "1, max (coalesce (" r ".tokens_in, 0), 0), max (coalesce (" r ".tokens_out, 0), 0)," \
  " CASE WHEN " r ".cost >= 0 THEN CAST (round (" r ".cost * 1e12) AS INTEGER) ELSE 0 END," \
  " " r ".estimated != 0, coalesce (" r ".cost < 0, 1)"
#define SPENDING_SUM_COLUMNS "answers, tokens_in, tokens_out, cost, estimated, unpriced"
#define SPENDING_ADD_EXCLUDED \
  " DO UPDATE SET answers = answers + excluded.answers, tokens_in = tokens_in + excluded.tokens_in," \
  " tokens_out = tokens_out + excluded.tokens_out, cost = cost + excluded.cost," \
  " estimated = estimated + excluded.estimated, unpriced = unpriced + excluded.unpriced"
/* Takes @r's figures out of the row of @table WHERE @key (a condition on @r). */
#define SPENDING_SUBTRACT(table, key, r) \
  "UPDATE " table " SET answers = answers - 1," \
  " tokens_in = tokens_in - max (coalesce (" r ".tokens_in, 0), 0)," \
  " tokens_out = tokens_out - max (coalesce (" r ".tokens_out, 0), 0)," \
  " cost = cost - CASE WHEN " r ".cost >= 0 THEN CAST (round (" r ".cost * 1e12) AS INTEGER) ELSE 0 END," \
  " estimated = estimated - (" r ".estimated != 0), unpriced = unpriced - coalesce (" r ".cost < 0, 1)" \
  " WHERE " key " AND " SPENDING_COUNTS (r) ";" \
  "DELETE FROM " table " WHERE " key " AND answers <= 0;"
#define SPENDING_BUCKET_KEY(r) \
  "bucket = " r ".created / " SPENDING_QUARTER " AND model = coalesce (" r ".model, '')"
#define SPENDING_MODEL_KEY(r) "model = coalesce (" r ".model, '')"
#define SPENDING_CONVERSATION_KEY(r) "conversation_id = " r ".conversation_id"
/* Adds @r's figures to its rows, when it counts. */
#define SPENDING_ADD(r) \
  "INSERT INTO spending_buckets (bucket, model, " SPENDING_SUM_COLUMNS ")" \
  " SELECT " r ".created / " SPENDING_QUARTER ", coalesce (" r ".model, ''), " SPENDING_FIGURES (r) \
  " WHERE " SPENDING_COUNTS (r) \
  " ON CONFLICT (bucket, model)" SPENDING_ADD_EXCLUDED ";" \
  "INSERT INTO spending_models (model, " SPENDING_SUM_COLUMNS ")" \
  " SELECT coalesce (" r ".model, ''), " SPENDING_FIGURES (r) \
  " WHERE " SPENDING_COUNTS (r) \
  " ON CONFLICT (model)" SPENDING_ADD_EXCLUDED ";" \
  "INSERT INTO spending_conversations (conversation_id, " SPENDING_SUM_COLUMNS ")" \
  " SELECT " r ".conversation_id, " SPENDING_FIGURES (r) \
  " WHERE " SPENDING_COUNTS (r) \
  " ON CONFLICT (conversation_id)" SPENDING_ADD_EXCLUDED ";"
#define SPENDING_REMOVE(r) \
  SPENDING_SUBTRACT ("spending_buckets", SPENDING_BUCKET_KEY (r), r) \
  SPENDING_SUBTRACT ("spending_models", SPENDING_MODEL_KEY (r), r) \
  SPENDING_SUBTRACT ("spending_conversations", SPENDING_CONVERSATION_KEY (r), r)
#define SPENDING_SUM_TABLE_COLUMNS \
  "  answers    INTEGER NOT NULL," \
  "  tokens_in  INTEGER NOT NULL," \
  "  tokens_out INTEGER NOT NULL," \
  "  cost       INTEGER NOT NULL," \
  "  estimated  INTEGER NOT NULL," \
  "  unpriced   INTEGER NOT NULL,"
#define SPENDING_BACKFILL_FIGURES \
  "count (*), sum (max (coalesce (tokens_in, 0), 0)), sum (max (coalesce (tokens_out, 0), 0))," \
  " sum (CASE WHEN cost >= 0 THEN CAST (round (cost * 1e12) AS INTEGER) ELSE 0 END)," \
  " sum (estimated != 0), sum (coalesce (cost < 0, 1))"

/* Sums per quarter of an hour (UTC: created / 900,000,000 µs) and model, per
 * model, and per conversation (its index lists the most expensive first).
 * An update that leaves an answer's figures as they were (a position, a
 * text, a streaming save) changes no sum. */
#define SPENDING_V5 \
  "CREATE TABLE spending_buckets (" \
  "  bucket     INTEGER NOT NULL," \
  "  model      TEXT NOT NULL," \
  SPENDING_SUM_TABLE_COLUMNS \
  "  PRIMARY KEY (bucket, model)) WITHOUT ROWID;" \
  "CREATE TABLE spending_models (" \
  "  model      TEXT NOT NULL," \
  SPENDING_SUM_TABLE_COLUMNS \
  "  PRIMARY KEY (model)) WITHOUT ROWID;" \
  "CREATE TABLE spending_conversations (" \
  "  conversation_id TEXT NOT NULL," \
  SPENDING_SUM_TABLE_COLUMNS \
  "  PRIMARY KEY (conversation_id)) WITHOUT ROWID;" \
  "CREATE INDEX spending_conversations_cost ON spending_conversations (cost DESC, conversation_id);" \
  "CREATE TRIGGER spending_insert AFTER INSERT ON messages WHEN " SPENDING_COUNTS ("new") " BEGIN " \
  SPENDING_ADD ("new") \
  "END;" \
  "CREATE TRIGGER spending_delete AFTER DELETE ON messages WHEN " SPENDING_COUNTS ("old") " BEGIN " \
  SPENDING_REMOVE ("old") \
  "END;" \
  "CREATE TRIGGER spending_update AFTER UPDATE OF" \
  "  conversation_id, role, state, model, tokens_in, tokens_out, estimated, cost, created ON messages" \
  "  WHEN " SPENDING_COUNTS ("old") " != " SPENDING_COUNTS ("new") \
  "  OR (" SPENDING_COUNTS ("new") " AND (old.conversation_id IS NOT new.conversation_id" \
  "  OR old.model IS NOT new.model OR old.created / " SPENDING_QUARTER " IS NOT new.created / " SPENDING_QUARTER \
  "  OR old.tokens_in IS NOT new.tokens_in OR old.tokens_out IS NOT new.tokens_out" \
  "  OR old.estimated IS NOT new.estimated OR old.cost IS NOT new.cost)) BEGIN " \
  SPENDING_REMOVE ("old") \
  SPENDING_ADD ("new") \
  "END;" \
  "INSERT INTO spending_buckets (bucket, model, " SPENDING_SUM_COLUMNS ")" \
  "  SELECT created / " SPENDING_QUARTER ", coalesce (model, ''), " SPENDING_BACKFILL_FIGURES \
  "  FROM messages WHERE " SPENDING_COUNTS ("messages") " GROUP BY 1, 2;" \
  "INSERT INTO spending_models (model, " SPENDING_SUM_COLUMNS ")" \
  "  SELECT coalesce (model, ''), " SPENDING_BACKFILL_FIGURES \
  "  FROM messages WHERE " SPENDING_COUNTS ("messages") " GROUP BY 1;" \
  "INSERT INTO spending_conversations (conversation_id, " SPENDING_SUM_COLUMNS ")" \
  "  SELECT conversation_id, " SPENDING_BACKFILL_FIGURES \
  "  FROM messages WHERE " SPENDING_COUNTS ("messages") " GROUP BY 1;"

/* migrations[v] takes a database at version v to v + 1. Never edit one that
 * has shipped: add the next. */
static const char * const migrations[CRIA_STORE_SCHEMA_VERSION] = {
  /* 0 → 1: conversations, messages, images stored once by content hash. */
  "CREATE TABLE conversations ("
  "  id            TEXT PRIMARY KEY NOT NULL,"
  "  title         TEXT,"
  "  model         TEXT,"
  "  system_prompt TEXT,"
  "  temperature   REAL,"
  "  max_tokens    INTEGER,"
  "  created       INTEGER NOT NULL,"
  "  updated       INTEGER NOT NULL);"
  "CREATE INDEX conversations_updated ON conversations (updated);"
  "CREATE TABLE messages ("
  "  id              INTEGER PRIMARY KEY,"
  "  uuid            TEXT NOT NULL UNIQUE,"
  "  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  "  position        INTEGER NOT NULL,"
  "  role            TEXT NOT NULL,"
  "  content         TEXT NOT NULL DEFAULT '',"
  "  reasoning       TEXT NOT NULL DEFAULT '',"
  "  state           TEXT NOT NULL DEFAULT 'complete',"
  "  model           TEXT,"
  "  tokens_in       INTEGER,"
  "  tokens_out      INTEGER,"
  "  estimated       INTEGER NOT NULL DEFAULT 0,"
  "  cost            REAL,"
  "  thinking_time   INTEGER NOT NULL DEFAULT 0,"
  "  created         INTEGER NOT NULL);"
  "CREATE INDEX messages_conversation ON messages (conversation_id, position);"
  "CREATE TABLE images ("
  "  hash TEXT PRIMARY KEY NOT NULL,"
  "  mime TEXT,"
  "  data BLOB,"
  "  url  TEXT);"
  "CREATE TABLE message_images ("
  "  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  "  idx        INTEGER NOT NULL,"
  "  hash       TEXT NOT NULL REFERENCES images (hash),"
  "  PRIMARY KEY (message_id, idx));"
  "CREATE INDEX message_images_hash ON message_images (hash);",

  /* 1 → 2: pins, the other sampling parameters, per-answer details and
   * full-text search over titles and messages. */
  "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE conversations ADD COLUMN top_p REAL;"
  "ALTER TABLE conversations ADD COLUMN presence_penalty REAL;"
  "ALTER TABLE conversations ADD COLUMN frequency_penalty REAL;"
  "ALTER TABLE conversations ADD COLUMN stop TEXT;"
  "ALTER TABLE conversations ADD COLUMN seed INTEGER;"
  "CREATE INDEX conversations_order ON conversations (pinned, updated);"
  "ALTER TABLE messages ADD COLUMN params TEXT;"
  "ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER;"
  "ALTER TABLE messages ADD COLUMN error TEXT;"
  "ALTER TABLE messages ADD COLUMN tokens_per_second REAL NOT NULL DEFAULT 0;"
  "CREATE INDEX messages_streaming ON messages (state) WHERE state = 'streaming';"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  content, content = 'messages', content_rowid = 'id', prefix = '1 2',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');"
  /* Titles are few and short: this index keeps its own copy. */
  "CREATE VIRTUAL TABLE conversations_fts USING fts5 ("
  "  title, conversation_id UNINDEXED,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN"
  "  INSERT INTO conversations_fts (title, conversation_id) VALUES (coalesce (new.title, ''), new.id);"
  "END;"
  "CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN"
  "  DELETE FROM conversations_fts WHERE conversation_id = old.id;"
  "END;"
  "CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN"
  "  DELETE FROM conversations_fts WHERE conversation_id = old.id;"
  "  INSERT INTO conversations_fts (title, conversation_id) VALUES (coalesce (new.title, ''), new.id);"
  "END;"
  "INSERT INTO conversations_fts (title, conversation_id)"
  "  SELECT coalesce (title, ''), id FROM conversations;",

  /* 2 → 3: an answer joins the full-text index when it stops streaming.
   * Re-indexing it on every save while it streamed made a save of a 20 MB
   * answer take seconds. The index holds exactly the rows that are not
   * streaming, with their content. */
  "DROP TRIGGER messages_fts_insert;"
  "DROP TRIGGER messages_fts_delete;"
  "DROP TRIGGER messages_fts_update;"
  "INSERT INTO messages_fts (messages_fts, rowid, content)"
  "  SELECT 'delete', id, content FROM messages WHERE state = 'streaming';"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.state != 'streaming' BEGIN"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.state != 'streaming' BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "END;"
  /* One trigger, so the old text leaves the index before the new one enters. */
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, state ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content)"
  "    SELECT 'delete', old.id, old.content WHERE old.state != 'streaming';"
  "  INSERT INTO messages_fts (rowid, content)"
  "    SELECT new.id, new.content WHERE new.state != 'streaming';"
  "END;",

  /* 3 → 4: why an answer ended ("length", "content_filter", …) and the tool
   * calls it asked for, as a JSON array of OpenAI's shape. */
  "ALTER TABLE messages ADD COLUMN finish_reason TEXT;"
  "ALTER TABLE messages ADD COLUMN tool_calls TEXT;",

  /* 4 → 5: what the history cost (cria-spending.h), as running sums that
   * triggers keep, so a report never reads the messages. */
  SPENDING_V5,

  /* 5 → 6: the message index keeps prefixes of three characters too. A
   * prefix query FTS5 has no index for merges the lists of every word that
   * starts with it: "the" (the, them, then, there, …) took 25 ms on 100,000
   * messages, against 0.5 ms with the index. The table is made again (FTS5
   * cannot change its options) from the rows that are not streaming, which
   * is what the triggers of migration 3 keep in it: 100,000 messages take
   * about 3 s, once. */
  "DROP TABLE messages_fts;"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  content, content = 'messages', content_rowid = 'id', prefix = '1 2 3',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "INSERT INTO messages_fts (rowid, content)"
  "  SELECT id, content FROM messages WHERE state != 'streaming';",

  /* 6 → 7: a tool message (role "tool") answers one call, kept in its
   * tool_calls; where the call stands ("waiting", "running", "done",
   * "failed", "denied", "stopped") and how long it ran, in microseconds. */
  "ALTER TABLE messages ADD COLUMN tool_status TEXT;"
  "ALTER TABLE messages ADD COLUMN tool_duration INTEGER NOT NULL DEFAULT 0;",

  /* 7 → 8: the answer format a conversation asks for (the response_format
   * member as JSON text: JSON object mode or a schema), NULL for text. */
  "ALTER TABLE conversations ADD COLUMN response_format TEXT;",

  /* 8 → 9: a conversation's tool settings as JSON text (whether it offers
   * tools, a tool it forces, the sources it leaves out), NULL for the
   * user's defaults. */
  "ALTER TABLE conversations ADD COLUMN tools TEXT;",

  /* 9 → 10: the documents user messages carry, stored once by the hash of
   * their source like images: the text is the pages joined by form feeds
   * (cria_document_join_pages()), scanned the pages with no text layer.
   * A message keeps each document's name, which may differ between two
   * messages attaching the same file. */
  "CREATE TABLE documents ("
  "  hash    TEXT PRIMARY KEY NOT NULL,"
  "  mime    TEXT NOT NULL,"
  "  size    INTEGER NOT NULL,"
  "  scanned INTEGER NOT NULL DEFAULT 0,"
  "  text    TEXT NOT NULL);"
  "CREATE TABLE message_documents ("
  "  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  "  idx        INTEGER NOT NULL,"
  "  hash       TEXT NOT NULL REFERENCES documents (hash),"
  "  name       TEXT NOT NULL,"
  "  PRIMARY KEY (message_id, idx));"
  "CREATE INDEX message_documents_hash ON message_documents (hash);",

  /* 10 → 11: answering from long documents. A document is cut into chunks
   * (kept by its hash, shared by every message carrying it), with a
   * full-text index of their own and their vectors per embedding model
   * (float16, little-endian). An answer keeps the passages it was given as
   * its sources, copied, so they outlive the document's chunks. */
  "CREATE TABLE chunks ("
  "  id     INTEGER PRIMARY KEY,"
  "  hash   TEXT NOT NULL,"
  "  idx    INTEGER NOT NULL,"
  "  page   INTEGER NOT NULL,"
  "  tokens INTEGER NOT NULL,"
  "  text   TEXT NOT NULL,"
  "  UNIQUE (hash, idx));"
  "CREATE VIRTUAL TABLE chunks_fts USING fts5 ("
  "  text, content = 'chunks', content_rowid = 'id',"
  "  tokenize = 'porter unicode61 remove_diacritics 2');"
  "CREATE TRIGGER chunks_fts_insert AFTER INSERT ON chunks BEGIN"
  "  INSERT INTO chunks_fts (rowid, text) VALUES (new.id, new.text);"
  "END;"
  "CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN"
  "  INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  "END;"
  /* A rowid table: a vector (1.5 kB at 768 dimensions) is too large a row
   * for WITHOUT ROWID. */
  "CREATE TABLE chunk_vectors ("
  "  id        INTEGER PRIMARY KEY,"
  "  chunk_id  INTEGER NOT NULL REFERENCES chunks (id) ON DELETE CASCADE,"
  "  model     TEXT NOT NULL,"
  "  dimension INTEGER NOT NULL,"
  "  vector    BLOB NOT NULL,"
  "  UNIQUE (chunk_id, model));"
  "CREATE TABLE message_sources ("
  "  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  "  idx        INTEGER NOT NULL,"
  "  name       TEXT NOT NULL,"
  "  hash       TEXT NOT NULL,"
  "  page       INTEGER NOT NULL,"
  "  text       TEXT NOT NULL,"
  "  PRIMARY KEY (message_id, idx));",

  /* 11 → 12: the vectors of messages for search by meaning
   * (cria-store-meaning.c). */
  _cria_store_meaning_migration,
};

const char *
_cria_store_schema_get_migration (guint version)
{
  g_return_val_if_fail (version < CRIA_STORE_SCHEMA_VERSION, NULL);

  return migrations[version];
}

static gboolean
is_unreadable (int rc)
{
  return (rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT;
}

/* Reading the version and migrating are one write transaction: another
 * Cria opening the same new file at the same moment waits for it (the busy
 * timeout) and then finds the schema made, instead of making it again. */
gboolean
_cria_store_schema_migrate (CriaStoreDb  *db,
                        GError      **error)
{
  int version = 0;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_begin (db, error))
    return FALSE;

  rc = _cria_store_db_get_user_version (db, &version);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      _cria_store_db_rollback (db);
      return FALSE;
    }

  if (version > CRIA_STORE_SCHEMA_VERSION)
    {
      _cria_store_db_rollback (db);
      g_set_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_TOO_NEW,
                   _("The history was saved by a newer version of Cria (schema %d)."), version);
      return FALSE;
    }

  /* All steps or none: a failed one leaves the schema as it was. */
  for (; version < CRIA_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!_cria_store_db_exec (db, migrations[version], error) ||
          !_cria_store_db_exec (db, set_version, error))
        {
          _cria_store_db_rollback (db);
          return FALSE;
        }
    }

  return _cria_store_db_commit (db, error);
}

static void
close_db (CriaStoreDb *db)
{
  g_assert (g_thread_self () == db->thread);

  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->db != NULL)
    sqlite3_close_v2 (db->db);
  db->db = NULL;
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* The history is the user's alone: the file is made (or kept) 0600 before
 * SQLite opens it, and SQLite gives its -wal and -shm the file's mode. What
 * cannot be done here, SQLite's own open reports. */
static void
make_private (const char *path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;
      int fd;

      if (i == 0)
        {
          fd = g_open (name, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
          if (fd < 0)
            return;
          if (fstat (fd, &st) == 0 && (st.st_mode & 077) != 0)
            fchmod (fd, st.st_mode & 0700);
          close (fd);
        }
      else if (g_stat (name, &st) == 0 && (st.st_mode & 077) != 0)
        g_chmod (name, st.st_mode & 0700);
    }
}

/* Opens and migrates; the SQLite result code of what failed, SQLITE_OK on success. */
static int
try_open (CriaStoreDb  *db,
          GError      **error)
{
  static const char setup[] =
    "PRAGMA journal_mode = WAL;"
    "PRAGMA synchronous = NORMAL;"
    "PRAGMA foreign_keys = ON;";
  /* The last run ended while these answers streamed. */
  static const char mark_interrupted[] =
    "UPDATE messages SET state = 'interrupted' WHERE state = 'streaming'";
  gint64 deadline;
  int rc;

  g_assert (g_thread_self () == db->thread);

  make_private (db->path);

  /* Only the worker ever touches the connection: SQLite need not lock it
   * around every call (a report reads tens of thousands of columns). */
  rc = sqlite3_open_v2 (db->path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      return rc;
    }

  /* Before anything that reads the file: another Cria may be making it. */
  sqlite3_busy_timeout (db->db, 5000);
  sqlite3_extended_result_codes (db->db, TRUE);
  db->statements = g_hash_table_new_full (NULL, NULL, NULL, stmt_finalize);

  /* Turning a new file to WAL needs it to itself, and SQLite answers BUSY
   * without waiting when another connection is making it at that moment:
   * wait here, on the worker, as the busy timeout would. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while ((rc = sqlite3_exec (db->db, setup, NULL, NULL, NULL)) != SQLITE_OK &&
         (rc & 0xff) == SQLITE_BUSY && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      return rc;
    }

  if (!_cria_store_schema_migrate (db, error))
    return sqlite3_extended_errcode (db->db) != SQLITE_OK ? sqlite3_extended_errcode (db->db) : SQLITE_ERROR;

  rc = sqlite3_exec (db->db, mark_interrupted, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      return rc;
    }

  return SQLITE_OK;
}

static gboolean
move_aside (CriaStoreDb  *db,
            GError      **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *target = g_strdup_printf ("%s.unreadable-%s", db->path, stamp);
  static const char * const suffixes[] = { "-wal", "-shm" };

  g_assert (g_thread_self () == db->thread);

  if (g_rename (db->path, target) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not move the unreadable history aside: %s"), g_strerror (saved_errno));
      return FALSE;
    }

  /* The journal belongs with the file it was written for. */
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (db->path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (target, suffixes[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  g_free (db->moved_aside);
  db->moved_aside = g_steal_pointer (&target);

  return TRUE;
}

void
_cria_store_schema_open (CriaStoreDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_assert (g_thread_self () == db->thread);

  dir = g_path_get_dirname (db->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&db->open_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return;
    }

  rc = try_open (db, &error);
  if (rc == SQLITE_OK)
    return;

  close_db (db);
  if (!is_unreadable (rc))
    {
      g_message ("Could not open the history %s: %s", db->path, error->message);
      db->open_error = g_steal_pointer (&error);
      return;
    }

  g_message ("The history %s is unreadable (%s); moving it aside", db->path, error->message);
  g_clear_error (&error);
  if (!move_aside (db, &error))
    {
      db->open_error = g_steal_pointer (&error);
      return;
    }

  rc = try_open (db, &error);
  if (rc != SQLITE_OK)
    {
      close_db (db);
      db->open_error = g_steal_pointer (&error);
    }
}

void
_cria_store_schema_close (CriaStoreDb *db)
{
  g_assert (g_thread_self () == db->thread);

  close_db (db);
}

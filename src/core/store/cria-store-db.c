/* cria-store-db.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite helpers of the store's worker: statements, errors, transactions.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-store-db.h"

G_DEFINE_QUARK (cria-store-error-quark, cria_store_error)

void
_cria_store_db_set_error (CriaStoreDb  *db,
                          int           rc,
                          GError      **error)
{
  const char *detail;

  g_assert (g_thread_self () == db->thread);

  detail = db->db != NULL ? sqlite3_errmsg (db->db) : sqlite3_errstr (rc);
  switch (rc & 0xff)
    {
    case SQLITE_FULL:
      g_set_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_FULL,
                   _("The disk is full, so the history could not be saved (%s)."), detail);
      break;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      g_set_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_READ_ONLY,
                   _("The history could not be written to disk (%s)."), detail);
      break;
    case SQLITE_INTERRUPT:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The search was cancelled."));
      break;
    default:
      g_set_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_FAILED,
                   _("The history failed (%s)."), detail);
      break;
    }
}

sqlite3_stmt *
_cria_store_db_prepare (CriaStoreDb  *db,
                        const char   *sql,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  stmt = g_hash_table_lookup (db->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      return NULL;
    }

  g_hash_table_insert (db->statements, (gpointer) sql, stmt);

  return stmt;
}

gboolean
_cria_store_db_exec (CriaStoreDb  *db,
                     const char   *sql,
                     GError      **error)
{
  int rc;

  g_assert (g_thread_self () == db->thread);

  rc = sqlite3_exec (db->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _cria_store_db_set_error (db, rc, error);
      return FALSE;
    }

  return TRUE;
}

gboolean
_cria_store_db_step_done (CriaStoreDb   *db,
                          sqlite3_stmt  *stmt,
                          GError       **error)
{
  int rc;

  g_assert (g_thread_self () == db->thread);

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _cria_store_db_set_error (db, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
_cria_store_db_begin (CriaStoreDb  *db,
                      GError      **error)
{
  g_assert (g_thread_self () == db->thread);

  return _cria_store_db_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
_cria_store_db_commit (CriaStoreDb  *db,
                       GError      **error)
{
  g_assert (g_thread_self () == db->thread);

  if (!_cria_store_db_exec (db, "COMMIT", error))
    {
      _cria_store_db_rollback (db);
      return FALSE;
    }

  return TRUE;
}

void
_cria_store_db_rollback (CriaStoreDb *db)
{
  g_assert (g_thread_self () == db->thread);

  if (!sqlite3_get_autocommit (db->db))
    sqlite3_exec (db->db, "ROLLBACK", NULL, NULL, NULL);
}

int
_cria_store_db_get_user_version (CriaStoreDb *db,
                                 int         *version)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert (g_thread_self () == db->thread);

  rc = sqlite3_prepare_v2 (db->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *version = sqlite3_column_int (stmt, 0);
          rc = SQLITE_OK;
        }
    }
  sqlite3_finalize (stmt);

  return rc;
}

void
_cria_store_db_bind_text (sqlite3_stmt *stmt,
                          int           index,
                          const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
_cria_store_dup_valid_text (const unsigned char *text)
{
  if (text == NULL)
    return NULL;
  if (g_utf8_validate ((const char *) text, -1, NULL))
    return g_strdup ((const char *) text);

  return g_utf8_make_valid ((const char *) text, -1);
}

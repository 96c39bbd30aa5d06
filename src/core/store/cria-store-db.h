/* cria-store-db.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history's SQLite connection and the helpers the worker uses on it.
 * Only the worker thread touches a CriaStoreDb (each helper asserts it),
 * but for pending_lock and pending_saves.
 */

#pragma once

#include <sqlite3.h>

#include "cria-store.h"

G_BEGIN_DECLS

typedef struct _CriaStoreJob CriaStoreJob;

typedef struct
{
  GThread      *thread;
  char         *path;
  sqlite3      *db;
  /* SQL text (static strings, by address) → prepared statement. */
  GHashTable   *statements;
  /* Where an unreadable database was moved, or NULL. */
  char         *moved_aside;
  /* Why there is no database, when db is NULL. */
  GError       *open_error;
  /* The running job's cancellable, which the progress handler watches. */
  GCancellable *cancellable;

  /* Shared with the callers' thread, under pending_lock: message id → the
   * save of that message that is queued and not started yet, so that a newer
   * snapshot replaces it instead of queuing another (see cria_store_save_message()). */
  GMutex        pending_lock;
  GHashTable   *pending_saves;
} CriaStoreDb;

/* A SQLite result code as a CriaStoreError (or G_IO_ERROR_CANCELLED) for
 * the user. */
void          _cria_store_db_set_error        (CriaStoreDb          *db,
                                               int                   rc,
                                               GError              **error);
/* A cached statement for @sql (a static string, cached by address), reset
 * and with its bindings cleared. */
sqlite3_stmt *_cria_store_db_prepare          (CriaStoreDb          *db,
                                               const char           *sql,
                                               GError              **error);
gboolean      _cria_store_db_exec             (CriaStoreDb          *db,
                                               const char           *sql,
                                               GError              **error);
/* Steps @stmt once (a row or the end are fine) and resets it. */
gboolean      _cria_store_db_step_done        (CriaStoreDb          *db,
                                               sqlite3_stmt         *stmt,
                                               GError              **error);
gboolean      _cria_store_db_begin            (CriaStoreDb          *db,
                                               GError              **error);
/* Rolls back when the commit fails. */
gboolean      _cria_store_db_commit           (CriaStoreDb          *db,
                                               GError              **error);
void          _cria_store_db_rollback         (CriaStoreDb          *db);
/* PRAGMA user_version; a SQLite result code. */
int           _cria_store_db_get_user_version (CriaStoreDb          *db,
                                               int                  *version);

/* Binds @text, or NULL for NULL. */
void          _cria_store_db_bind_text        (sqlite3_stmt         *stmt,
                                               int                   index,
                                               const char           *text);
/* @text, or a copy made valid UTF-8 (a database written by something else
 * may hold any bytes); NULL for NULL. */
char         *_cria_store_dup_valid_text      (const unsigned char  *text);

G_END_DECLS

/* cria-store-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cria-store.h"

G_BEGIN_DECLS

/* The newest schema; cria-store-schema.c migrates every older one to it. */
#define CRIA_STORE_SCHEMA_VERSION 4

/* The worker's side: only the worker thread touches any of it. */
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

typedef struct _CriaStoreJob CriaStoreJob;
typedef gboolean (*CriaStoreJobFunc) (CriaStoreDb   *db,
                                      CriaStoreJob  *job,
                                      GError       **error);

struct _CriaStoreJob
{
  CriaStoreJobFunc  func;
  gboolean          without_db;
  gpointer          data;
  GDestroyNotify    data_free;
  /* Extra arguments, for the jobs that need them. */
  char             *text;
  gint64            number;
  GStrv             strv;
  /* The key under which a save waits in CriaStoreDb.pending_saves, or NULL. */
  char             *pending_key;
  /* Told on the caller's context whether a write committed. */
  CriaStoreWriteFunc write_func;
  gpointer          write_data;
  GDestroyNotify    write_destroy;

  gpointer          result;
  GDestroyNotify    result_free;
  GPtrArray        *result_array;
  GError           *error;
  /* What to announce on the main context: CriaConversationRecord, ids. */
  GPtrArray        *changed;
  GPtrArray        *removed;

  GTask            *task;
  GCancellable     *cancellable;
  GMainContext     *context;
  GWeakRef          store;
};

/* For tests: holds the worker before its next job, returning once it is
 * held, until _cria_store_release_worker(). */
void          _cria_store_hold_worker    (CriaStore     *self);
void          _cria_store_release_worker (CriaStore     *self);
/* Jobs queued and not started. */
guint         _cria_store_get_n_queued   (CriaStore     *self);

/* cria-store-schema.c */
void          _cria_store_db_open        (CriaStoreDb   *db);
void          _cria_store_db_close       (CriaStoreDb   *db);
gboolean      _cria_store_db_migrate     (CriaStoreDb   *db,
                                          GError       **error);

/* cria-store.c: helpers for the worker */
sqlite3_stmt *_cria_store_db_prepare     (CriaStoreDb   *db,
                                          const char    *sql,
                                          GError       **error);
gboolean      _cria_store_db_exec        (CriaStoreDb   *db,
                                          const char    *sql,
                                          GError       **error);
gboolean      _cria_store_db_step_done   (CriaStoreDb   *db,
                                          sqlite3_stmt  *stmt,
                                          GError       **error);
void          _cria_store_db_set_error   (CriaStoreDb   *db,
                                          int            rc,
                                          GError       **error);
gboolean      _cria_store_db_begin       (CriaStoreDb   *db,
                                          GError       **error);
gboolean      _cria_store_db_commit      (CriaStoreDb   *db,
                                          GError       **error);
void          _cria_store_db_rollback    (CriaStoreDb   *db);

/* cria-store-queries.c: the jobs, run on the worker */
gboolean      _cria_store_job_save_conversation (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_save_message      (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_set_messages      (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_rename            (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_set_pinned        (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_list              (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_load              (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_delete            (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_import            (CriaStoreDb *db, CriaStoreJob *job, GError **error);
gboolean      _cria_store_job_search            (CriaStoreDb *db, CriaStoreJob *job, GError **error);

/* @text, or a copy made valid UTF-8 (a database written by something else
 * may hold any bytes); NULL for NULL. */
char         *_cria_store_dup_valid_text        (const unsigned char *text);

/* The FTS5 query for what the user typed: every word, quoted, as a prefix.
 * NULL when there is no word. */
char         *_cria_store_make_fts_query        (const char  *text);

G_END_DECLS

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
#define CRIA_STORE_SCHEMA_VERSION 3

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

/* The FTS5 query for what the user typed: every word, quoted, as a prefix.
 * NULL when there is no word. */
char         *_cria_store_make_fts_query        (const char  *text);

G_END_DECLS

/* cria-store-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-spending.h"
#include "cria-store-db.h"

G_BEGIN_DECLS

/* The newest schema; cria-store-schema.c migrates every older one to it. */
#define CRIA_STORE_SCHEMA_VERSION 12

/* One kind of job: how it runs on the worker and how its payload goes. */
typedef struct
{
  const char *name;
  /* Runs even when there is no database (opening, flushing). */
  gboolean    without_db;
  gboolean  (*run)          (CriaStoreDb   *db,
                             CriaStoreJob  *job,
                             GError       **error);
  /* Frees the payload; NULL when the job does not own it. */
  void      (*free_payload) (gpointer       payload);
} CriaStoreJobType;

/* A job: its type, its typed payload, and what every job has (the result's
 * way back, the store's announcements). */
struct _CriaStoreJob
{
  const CriaStoreJobType *type;
  /* The type's own struct (CriaStoreSaveMessageJob for save-message, …),
   * arguments and results both. */
  gpointer           payload;
  /* The key under which a save waits in CriaStoreDb.pending_saves, or NULL. */
  char              *pending_key;
  /* Told on the caller's context whether a write committed. */
  CriaStoreWriteFunc write_func;
  gpointer           write_data;
  GDestroyNotify     write_destroy;

  GError            *error;
  /* What to announce on the main context: CriaConversationRecord, ids. */
  GPtrArray         *changed;
  GPtrArray         *removed;

  GTask             *task;
  GCancellable      *cancellable;
  GMainContext      *context;
  GWeakRef           store;
};

/* The payload of @job, which must be of @type. */
static inline gpointer
_cria_store_job_get_payload (CriaStoreJob           *job,
                             const CriaStoreJobType *type)
{
  g_assert (job->type == type);

  return job->payload;
}

/* The payloads, one per kind of job. */
typedef struct
{
  CriaConversationRecord *record;
} CriaStoreSaveConversationJob;

typedef struct
{
  char              *conversation_id;
  guint              position;
  CriaMessageRecord *record;
} CriaStoreSaveMessageJob;

typedef struct
{
  char *conversation_id;
  GStrv message_ids;
} CriaStoreSetMessagesJob;

typedef struct
{
  char *conversation_id;
  char *title;
} CriaStoreRenameJob;

typedef struct
{
  char     *conversation_id;
  gboolean  pinned;
} CriaStoreSetPinnedJob;

typedef struct
{
  /* The result: CriaConversationRecord. */
  GPtrArray *records;
} CriaStoreListJob;

/* Loading and deleting a conversation: both hand back what it held. */
typedef struct
{
  char                   *conversation_id;
  CriaConversationRecord *record;
  GPtrArray              *messages;
} CriaStoreLoadJob;

typedef struct
{
  CriaConversationRecord *record;
  /* CriaMessageRecord, in order. */
  GPtrArray              *messages;
} CriaStoreImportJob;

typedef struct
{
  char      *text;
  guint      limit;
  /* The result: CriaSearchHit. */
  GPtrArray *hits;
} CriaStoreSearchJob;

typedef struct
{
  /* n_edges ≥ 2, ascending. */
  gint64       *edges;
  guint         n_edges;
  guint         n_top;
  /* The result. */
  CriaSpending *spending;
} CriaStoreSpendingJob;

/* cria-store-chunks.c: the chunks' jobs (see cria-store-chunks.h). */
typedef struct
{
  char      *hash;
  char      *model;
  /* In: the chunker's; out: as stored. */
  GPtrArray *chunks;
} CriaStoreAddChunksJob;

typedef struct
{
  char   *model;
  guint   dimension;
  guint   n_ids;
  gint64 *ids;
  float  *values;
} CriaStoreAddVectorsJob;

typedef struct
{
  GStrv      hashes;
  char      *model;
  /* The result: CriaStoreVectors. */
  GPtrArray *vectors;
} CriaStoreLoadVectorsJob;

typedef struct
{
  GStrv      hashes;
  char      *model;
  gint64    *ids;
  guint      n_ids;
  char      *query;
  guint      keyword_limit;
  GPtrArray *candidates;
  GPtrArray *keyword_hits;
} CriaStoreMatchJob;

CriaStoreSaveConversationJob *_cria_store_save_conversation_job_new  (const CriaConversationRecord *record);
CriaStoreSaveMessageJob      *_cria_store_save_message_job_new       (const char                   *conversation_id,
                                                                      guint                         position,
                                                                      const CriaMessageRecord      *record);
CriaStoreSetMessagesJob      *_cria_store_set_messages_job_new       (const char                   *conversation_id,
                                                                      const char * const           *message_ids);
CriaStoreRenameJob           *_cria_store_rename_job_new             (const char                   *conversation_id,
                                                                      const char                   *title);
CriaStoreSetPinnedJob        *_cria_store_set_pinned_job_new         (const char                   *conversation_id,
                                                                      gboolean                      pinned);
CriaStoreListJob             *_cria_store_list_job_new               (void);
CriaStoreLoadJob             *_cria_store_load_job_new               (const char                   *conversation_id);
CriaStoreImportJob           *_cria_store_import_job_new             (const CriaConversationRecord *record,
                                                                      GPtrArray                    *messages);
CriaStoreSearchJob           *_cria_store_search_job_new             (const char                   *text,
                                                                      guint                         limit);
CriaStoreSpendingJob         *_cria_store_spending_job_new           (const gint64                 *edges,
                                                                      guint                         n_edges,
                                                                      guint                         n_top);

/* For the jobs of other files (cria-store-chunks.c): queues a job whose
 * result comes back through a GTask, and takes it back in finish (free it
 * with _cria_store_job_free()). */
void          _cria_store_push_task_job  (CriaStore              *self,
                                          const CriaStoreJobType *type,
                                          gpointer                payload,
                                          gpointer                source_tag,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
CriaStoreJob *_cria_store_finish_job     (CriaStore              *self,
                                          GAsyncResult           *result,
                                          gpointer                source_tag,
                                          GError                **error);
void          _cria_store_job_free       (CriaStoreJob           *job);

/* cria-store-chunks.c: the chunks of documents that no message carries any
 * more go with those documents; run before _cria_store_delete_orphan_documents(). */
gboolean      _cria_store_delete_orphan_chunks (CriaStoreDb   *db,
                                                GError       **error);
/* cria-store-chunks.c: an answer's sources, written with it and loaded with
 * its conversation like documents. */
gboolean      _cria_store_write_sources   (CriaStoreDb   *db,
                                           gint64         message_rowid,
                                           GPtrArray     *sources,
                                           GError       **error);
gboolean      _cria_store_load_sources    (CriaStoreDb   *db,
                                           const char    *id,
                                           GHashTable    *by_rowid,
                                           GError       **error);

/* For tests: holds the worker before its next job, returning once it is
 * held, until _cria_store_release_worker(). */
void          _cria_store_hold_worker    (CriaStore     *self);
void          _cria_store_release_worker (CriaStore     *self);
/* Jobs queued and not started. */
guint         _cria_store_get_n_queued   (CriaStore     *self);

/* cria-store-documents.c: a message's documents, their text stored once by
 * hash. Writing replaces the message's links; loading fills the records of
 * @by_rowid (message row id → CriaMessageRecord) of conversation @id. */
gboolean      _cria_store_write_documents         (CriaStoreDb   *db,
                                                   gint64         message_rowid,
                                                   GPtrArray     *documents,
                                                   GError       **error);
gboolean      _cria_store_load_documents          (CriaStoreDb   *db,
                                                   const char    *id,
                                                   GHashTable    *by_rowid,
                                                   GError       **error);
gboolean      _cria_store_delete_orphan_documents (CriaStoreDb   *db,
                                                   GError       **error);

/* cria-store-meaning.c: the vectors of messages (search by meaning); the
 * migration that makes their table. */
extern const char _cria_store_meaning_migration[];

/* cria-store-schema.c: opening the database and its migrations */
void          _cria_store_schema_open    (CriaStoreDb   *db);
void          _cria_store_schema_close   (CriaStoreDb   *db);
/* The SQL that takes a database at @version to @version + 1: for tests that
 * make a database of an older schema the way Cria made it. */
const char   *_cria_store_schema_get_migration (guint version);
gboolean      _cria_store_schema_migrate (CriaStoreDb   *db,
                                          GError       **error);

/* cria-store-queries.c, cria-store-search.c and cria-spending.c: the jobs,
 * run on the worker */
extern const CriaStoreJobType _cria_store_job_save_conversation;
extern const CriaStoreJobType _cria_store_job_save_message;
extern const CriaStoreJobType _cria_store_job_set_messages;
extern const CriaStoreJobType _cria_store_job_rename;
extern const CriaStoreJobType _cria_store_job_set_pinned;
extern const CriaStoreJobType _cria_store_job_list;
extern const CriaStoreJobType _cria_store_job_load;
extern const CriaStoreJobType _cria_store_job_delete;
extern const CriaStoreJobType _cria_store_job_import;
extern const CriaStoreJobType _cria_store_job_search;
extern const CriaStoreJobType _cria_store_job_spending;
extern const CriaStoreJobType _cria_store_job_add_chunks;
extern const CriaStoreJobType _cria_store_job_add_vectors;
extern const CriaStoreJobType _cria_store_job_load_vectors;
extern const CriaStoreJobType _cria_store_job_match_chunks;

/* The FTS5 query for what the user typed: every word, quoted, as a prefix.
 * NULL when there is no word. */
char         *_cria_store_make_fts_query        (const char  *text);

G_END_DECLS

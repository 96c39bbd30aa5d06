/* cria-store.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-store-private.h"

struct _CriaStore
{
  GObject       parent_instance;

  char         *path;
  GMainContext *context;
  GAsyncQueue  *queue;
  GThread      *worker;
  /* Handed to the worker, which alone uses it until it is joined (but for
   * its pending_lock and pending_saves). */
  CriaStoreDb  *db;

  /* For tests: a job that holds the worker (see _cria_store_hold_worker()). */
  GMutex        hold_lock;
  GCond         hold_cond;
  gboolean      hold;
  gboolean      held;
};

G_DEFINE_FINAL_TYPE (CriaStore, cria_store, G_TYPE_OBJECT)

enum {
  CONVERSATION_CHANGED,
  CONVERSATION_REMOVED,
  WRITE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The job that tells the worker to close the database and end. */
static CriaStoreJob quit_job;

static void
job_free (CriaStoreJob *job)
{
  if (job->type->free_payload != NULL)
    g_clear_pointer (&job->payload, job->type->free_payload);
  g_free (job->pending_key);
  if (job->write_destroy != NULL)
    g_clear_pointer (&job->write_data, job->write_destroy);
  g_clear_error (&job->error);
  g_clear_pointer (&job->changed, g_ptr_array_unref);
  g_clear_pointer (&job->removed, g_ptr_array_unref);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_weak_ref_clear (&job->store);
  g_free (job);
}

/* A job of @type, owning @payload. */
static CriaStoreJob *
job_new (CriaStore              *self,
         const CriaStoreJobType *type,
         gpointer                payload)
{
  CriaStoreJob *job = g_new0 (CriaStoreJob, 1);

  job->type = type;
  job->payload = payload;
  job->context = g_main_context_ref (self->context);
  g_weak_ref_init (&job->store, self);

  return job;
}

/* A job whose result comes back through a GTask on the caller's context. */
static CriaStoreJob *
job_new_with_task (CriaStore              *self,
                   const CriaStoreJobType *type,
                   gpointer                payload,
                   gpointer                source_tag,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  CriaStoreJob *job = job_new (self, type, payload);

  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_clear_pointer (&job->context, g_main_context_unref);
  job->context = g_main_context_ref (g_task_get_context (job->task));
  if (cancellable != NULL)
    job->cancellable = g_object_ref (cancellable);

  return job;
}

static gpointer worker_main (gpointer user_data);

/* The worker starts with the first job: a store nobody uses yet costs no
 * thread and no file access, which keeps them out of the app's start-up. */
static void
push (CriaStore    *self,
      CriaStoreJob *job)
{
  if (self->worker == NULL)
    self->worker = g_thread_new ("cria-store", worker_main, self);

  g_async_queue_push (self->queue, job);
}

/* Back on the caller's context: announce, then return. */
static gboolean
job_complete_cb (gpointer user_data)
{
  CriaStoreJob *job = user_data;
  g_autoptr(CriaStore) self = g_weak_ref_get (&job->store);
  GTask *task;

  if (self != NULL)
    {
      for (guint i = 0; job->removed != NULL && i < job->removed->len; i++)
        g_signal_emit (self, signals[CONVERSATION_REMOVED], 0, g_ptr_array_index (job->removed, i));
      for (guint i = 0; job->changed != NULL && i < job->changed->len; i++)
        g_signal_emit (self, signals[CONVERSATION_CHANGED], 0, g_ptr_array_index (job->changed, i));
      if (job->task == NULL && job->error != NULL)
        g_signal_emit (self, signals[WRITE_FAILED], 0, job->error);
    }

  if (job->write_func != NULL)
    job->write_func (job->error, job->write_data);

  task = g_steal_pointer (&job->task);
  if (task == NULL)
    job_free (job);
  else if (job->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&job->error));
      job_free (job);
    }
  else
    g_task_return_pointer (task, job, (GDestroyNotify) job_free);

  g_clear_object (&task);

  return G_SOURCE_REMOVE;
}

static int
progress_cb (void *user_data)
{
  CriaStoreDb *db = user_data;

  return db->cancellable != NULL && g_cancellable_is_cancelled (db->cancellable);
}

static void
run_job (CriaStoreDb  *db,
         CriaStoreJob *job)
{
  GSource *source;

  g_assert (g_thread_self () == db->thread);

  /* From here on the job is the worker's: a newer save of the same message
   * queues a job of its own. */
  if (job->pending_key != NULL)
    {
      g_mutex_lock (&db->pending_lock);
      if (g_hash_table_lookup (db->pending_saves, job->pending_key) == job)
        g_hash_table_remove (db->pending_saves, job->pending_key);
      g_mutex_unlock (&db->pending_lock);
    }

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    ;
  else if (db->db == NULL && !job->type->without_db)
    g_set_error (&job->error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_UNAVAILABLE,
                 _("The history is not available: %s"),
                 db->open_error != NULL ? db->open_error->message : _("unknown error"));
  else
    {
      db->cancellable = job->cancellable;
      if (db->db != NULL)
        sqlite3_progress_handler (db->db, 1000, job->cancellable != NULL ? progress_cb : NULL, db);
      if (!job->type->run (db, job, &job->error) && job->error == NULL)
        g_set_error_literal (&job->error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_FAILED, _("The history failed."));
      db->cancellable = NULL;
    }

  /* Always a source on the caller's context: g_main_context_invoke() would
   * run the callback here, on the worker, whenever it can acquire the
   * global default context. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, job_complete_cb, job, NULL);
  g_source_set_static_name (source, "[cria] store job done");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static gpointer
worker_main (gpointer user_data)
{
  CriaStore *self = user_data;
  CriaStoreDb *db = self->db;
  GAsyncQueue *queue = g_async_queue_ref (self->queue);
  CriaStoreJob *job;

  /* The store is not touched from here on: it may be disposed any time. */
  db->thread = g_thread_self ();
  _cria_store_schema_open (db);

  while ((job = g_async_queue_pop (queue)) != &quit_job)
    run_job (db, job);

  _cria_store_schema_close (db);
  g_async_queue_unref (queue);

  return NULL;
}

static void
cria_store_dispose (GObject *object)
{
  CriaStore *self = CRIA_STORE (object);

  /* Every write asked for so far is done before the database closes. */
  if (self->worker != NULL)
    {
      g_async_queue_push (self->queue, &quit_job);
      g_thread_join (g_steal_pointer (&self->worker));
    }

  G_OBJECT_CLASS (cria_store_parent_class)->dispose (object);
}

static void
cria_store_finalize (GObject *object)
{
  CriaStore *self = CRIA_STORE (object);

  if (self->db != NULL)
    {
      g_free (self->db->path);
      g_free (self->db->moved_aside);
      g_clear_error (&self->db->open_error);
      g_clear_pointer (&self->db->pending_saves, g_hash_table_unref);
      g_mutex_clear (&self->db->pending_lock);
      g_free (self->db);
    }
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->path);
  g_mutex_clear (&self->hold_lock);
  g_cond_clear (&self->hold_cond);

  G_OBJECT_CLASS (cria_store_parent_class)->finalize (object);
}

static void
cria_store_class_init (CriaStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_store_dispose;
  object_class->finalize = cria_store_finalize;

  /**
   * CriaStore::conversation-changed:
   * @record: the conversation as it is now saved
   */
  signals[CONVERSATION_CHANGED] =
    g_signal_new ("conversation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  CRIA_TYPE_CONVERSATION_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[CONVERSATION_REMOVED] =
    g_signal_new ("conversation-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * CriaStore::write-failed:
   * @error: why, for the user
   */
  signals[WRITE_FAILED] =
    g_signal_new ("write-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
cria_store_init (CriaStore *self)
{
  g_mutex_init (&self->hold_lock);
  g_cond_init (&self->hold_cond);
}

char *
cria_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cria", "cria.db", NULL);
}

CriaStore *
cria_store_new (const char *path)
{
  CriaStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (CRIA_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();
  self->queue = g_async_queue_new ();
  self->db = g_new0 (CriaStoreDb, 1);
  self->db->path = g_strdup (path);
  g_mutex_init (&self->db->pending_lock);
  self->db->pending_saves = g_hash_table_new (g_str_hash, g_str_equal);

  return self;
}

const char *
cria_store_get_path (CriaStore *self)
{
  g_return_val_if_fail (CRIA_IS_STORE (self), NULL);

  return self->path;
}

/* Opening: the worker opens the database before its first job; this one
 * reports how that went. */
typedef struct
{
  char *moved_aside;
} OpenJob;

static void
open_job_free (gpointer payload)
{
  OpenJob *open = payload;

  g_free (open->moved_aside);
  g_free (open);
}

static gboolean
run_open (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error);

static const CriaStoreJobType open_job_type = { "open", TRUE, run_open, open_job_free };

static gboolean
run_open (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error)
{
  OpenJob *open = _cria_store_job_get_payload (job, &open_job_type);

  g_assert (g_thread_self () == db->thread);

  if (db->db == NULL)
    {
      g_propagate_error (error, g_error_copy (db->open_error));
      return FALSE;
    }

  open->moved_aside = g_strdup (db->moved_aside);
  return TRUE;
}

void
cria_store_open_async (CriaStore           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));

  push (self, job_new_with_task (self, &open_job_type, g_new0 (OpenJob, 1), cria_store_open_async,
                                 cancellable, callback, user_data));
}

static CriaStoreJob *
propagate_job (CriaStore     *self,
               GAsyncResult  *result,
               gpointer       source_tag,
               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
_cria_store_push_task_job (CriaStore              *self,
                           const CriaStoreJobType *type,
                           gpointer                payload,
                           gpointer                source_tag,
                           GCancellable           *cancellable,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data)
{
  push (self, job_new_with_task (self, type, payload, source_tag, cancellable, callback, user_data));
}

CriaStoreJob *
_cria_store_finish_job (CriaStore     *self,
                        GAsyncResult  *result,
                        gpointer       source_tag,
                        GError       **error)
{
  return propagate_job (self, result, source_tag, error);
}

void
_cria_store_job_free (CriaStoreJob *job)
{
  job_free (job);
}

gboolean
cria_store_open_finish (CriaStore     *self,
                        GAsyncResult  *result,
                        char         **moved_aside,
                        GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_open_async, error);

  if (moved_aside != NULL)
    *moved_aside = NULL;
  if (job == NULL)
    return FALSE;

  if (moved_aside != NULL)
    *moved_aside = g_steal_pointer (&((OpenJob *) _cria_store_job_get_payload (job, &open_job_type))->moved_aside);
  job_free (job);

  return TRUE;
}

void
cria_store_save_conversation_full (CriaStore                    *self,
                                   const CriaConversationRecord *record,
                                   CriaStoreWriteFunc            func,
                                   gpointer                      user_data,
                                   GDestroyNotify                destroy)
{
  CriaStoreJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (record != NULL && record->id != NULL);

  job = job_new (self, &_cria_store_job_save_conversation, _cria_store_save_conversation_job_new (record));
  job->write_func = func;
  job->write_data = user_data;
  job->write_destroy = destroy;
  push (self, job);
}

void
cria_store_save_conversation (CriaStore                    *self,
                              const CriaConversationRecord *record)
{
  cria_store_save_conversation_full (self, record, NULL, NULL, NULL);
}

void
cria_store_save_message_full (CriaStore               *self,
                              const char              *conversation_id,
                              guint                    position,
                              const CriaMessageRecord *record,
                              CriaStoreWriteFunc       func,
                              gpointer                 user_data,
                              GDestroyNotify           destroy)
{
  CriaStoreDb *db;
  CriaStoreJob *job;
  CriaStoreSaveMessageJob *save;

  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (record != NULL && record->id != NULL);

  db = self->db;
  g_mutex_lock (&db->pending_lock);

  /* A save of this message that has not started takes the newer snapshot:
   * a streaming answer saved faster than the disk can take it never piles
   * up copies of itself in the queue. The worker takes a job out of the
   * table, under the lock, before it reads it. */
  job = g_hash_table_lookup (db->pending_saves, record->id);
  save = job != NULL ? _cria_store_job_get_payload (job, &_cria_store_job_save_message) : NULL;
  if (save != NULL && g_strcmp0 (save->conversation_id, conversation_id) == 0)
    {
      cria_message_record_free (save->record);
      save->record = cria_message_record_copy (record);
      save->position = position;
      if (job->write_destroy != NULL)
        g_clear_pointer (&job->write_data, job->write_destroy);
      job->write_func = func;
      job->write_data = user_data;
      job->write_destroy = destroy;
      g_mutex_unlock (&db->pending_lock);
      return;
    }

  job = job_new (self, &_cria_store_job_save_message,
                 _cria_store_save_message_job_new (conversation_id, position, record));
  job->write_func = func;
  job->write_data = user_data;
  job->write_destroy = destroy;
  job->pending_key = g_strdup (record->id);
  g_hash_table_replace (db->pending_saves, job->pending_key, job);
  push (self, job);

  g_mutex_unlock (&db->pending_lock);
}

void
cria_store_save_message (CriaStore               *self,
                         const char              *conversation_id,
                         guint                    position,
                         const CriaMessageRecord *record)
{
  cria_store_save_message_full (self, conversation_id, position, record, NULL, NULL, NULL);
}

void
cria_store_set_messages (CriaStore          *self,
                         const char         *conversation_id,
                         const char * const *message_ids)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (message_ids != NULL);

  push (self, job_new (self, &_cria_store_job_set_messages,
                       _cria_store_set_messages_job_new (conversation_id, message_ids)));
}

void
cria_store_rename_conversation (CriaStore  *self,
                                const char *conversation_id,
                                const char *title)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);
  g_return_if_fail (title != NULL);

  push (self, job_new (self, &_cria_store_job_rename, _cria_store_rename_job_new (conversation_id, title)));
}

void
cria_store_set_pinned (CriaStore  *self,
                       const char *conversation_id,
                       gboolean    pinned)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);

  push (self, job_new (self, &_cria_store_job_set_pinned, _cria_store_set_pinned_job_new (conversation_id, pinned)));
}

/* Flushing: a job with nothing to do, done once every job before it is. */
static gboolean
run_flush (CriaStoreDb   *db,
           CriaStoreJob  *job,
           GError       **error)
{
  return TRUE;
}

static const CriaStoreJobType flush_job_type = { "flush", TRUE, run_flush, NULL };

void
cria_store_flush_async (CriaStore           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));

  push (self, job_new_with_task (self, &flush_job_type, NULL, cria_store_flush_async,
                                 cancellable, callback, user_data));
}

gboolean
cria_store_flush_finish (CriaStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_flush_async, error);

  if (job == NULL)
    return FALSE;

  job_free (job);
  return TRUE;
}

/* For tests: holding the worker; the payload is the store, not owned. */
static gboolean
run_hold (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error);

static const CriaStoreJobType hold_job_type = { "hold", TRUE, run_hold, NULL };

static gboolean
run_hold (CriaStoreDb   *db,
          CriaStoreJob  *job,
          GError       **error)
{
  CriaStore *self = _cria_store_job_get_payload (job, &hold_job_type);

  g_mutex_lock (&self->hold_lock);
  self->held = TRUE;
  g_cond_broadcast (&self->hold_cond);
  while (self->hold)
    g_cond_wait (&self->hold_cond, &self->hold_lock);
  self->held = FALSE;
  g_mutex_unlock (&self->hold_lock);

  return TRUE;
}

void
_cria_store_hold_worker (CriaStore *self)
{
  CriaStoreJob *job;

  g_return_if_fail (CRIA_IS_STORE (self));

  /* The store outlives the hold: dispose waits for the worker. */
  job = job_new (self, &hold_job_type, self);
  g_mutex_lock (&self->hold_lock);
  self->hold = TRUE;
  g_mutex_unlock (&self->hold_lock);
  push (self, job);

  g_mutex_lock (&self->hold_lock);
  while (!self->held)
    g_cond_wait (&self->hold_cond, &self->hold_lock);
  g_mutex_unlock (&self->hold_lock);
}

void
_cria_store_release_worker (CriaStore *self)
{
  g_return_if_fail (CRIA_IS_STORE (self));

  g_mutex_lock (&self->hold_lock);
  self->hold = FALSE;
  g_cond_broadcast (&self->hold_cond);
  g_mutex_unlock (&self->hold_lock);
}

guint
_cria_store_get_n_queued (CriaStore *self)
{
  g_return_val_if_fail (CRIA_IS_STORE (self), 0);

  return MAX (g_async_queue_length (self->queue), 0);
}

void
cria_store_list_conversations_async (CriaStore           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));

  push (self, job_new_with_task (self, &_cria_store_job_list, _cria_store_list_job_new (),
                                 cria_store_list_conversations_async, cancellable, callback, user_data));
}

GPtrArray *
cria_store_list_conversations_finish (CriaStore     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_list_conversations_async, error);
  GPtrArray *records;

  if (job == NULL)
    return NULL;

  records = g_steal_pointer (&((CriaStoreListJob *) _cria_store_job_get_payload (job, &_cria_store_job_list))->records);
  job_free (job);

  return records;
}

void
cria_store_load_conversation_async (CriaStore           *self,
                                    const char          *conversation_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);

  push (self, job_new_with_task (self, &_cria_store_job_load, _cria_store_load_job_new (conversation_id),
                                 cria_store_load_conversation_async, cancellable, callback, user_data));
}

static CriaConversationRecord *
finish_with_messages (CriaStoreJob            *job,
                      const CriaStoreJobType  *type,
                      GPtrArray              **messages)
{
  CriaStoreLoadJob *load;
  CriaConversationRecord *record;

  if (job == NULL)
    {
      if (messages != NULL)
        *messages = NULL;
      return NULL;
    }

  load = _cria_store_job_get_payload (job, type);
  record = g_steal_pointer (&load->record);
  if (messages != NULL)
    *messages = g_steal_pointer (&load->messages);
  job_free (job);

  return record;
}

CriaConversationRecord *
cria_store_load_conversation_finish (CriaStore     *self,
                                     GAsyncResult  *result,
                                     GPtrArray    **messages,
                                     GError       **error)
{
  return finish_with_messages (propagate_job (self, result, cria_store_load_conversation_async, error),
                               &_cria_store_job_load, messages);
}

void
cria_store_delete_conversation_async (CriaStore           *self,
                                      const char          *conversation_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (conversation_id != NULL);

  push (self, job_new_with_task (self, &_cria_store_job_delete, _cria_store_load_job_new (conversation_id),
                                 cria_store_delete_conversation_async, cancellable, callback, user_data));
}

CriaConversationRecord *
cria_store_delete_conversation_finish (CriaStore     *self,
                                       GAsyncResult  *result,
                                       GPtrArray    **messages,
                                       GError       **error)
{
  return finish_with_messages (propagate_job (self, result, cria_store_delete_conversation_async, error),
                               &_cria_store_job_delete, messages);
}

void
cria_store_import_async (CriaStore                    *self,
                         const CriaConversationRecord *record,
                         GPtrArray                    *messages,
                         GCancellable                 *cancellable,
                         GAsyncReadyCallback           callback,
                         gpointer                      user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (record != NULL && record->id != NULL);
  g_return_if_fail (messages != NULL);

  push (self, job_new_with_task (self, &_cria_store_job_import, _cria_store_import_job_new (record, messages),
                                 cria_store_import_async, cancellable, callback, user_data));
}

gboolean
cria_store_import_finish (CriaStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_import_async, error);

  if (job == NULL)
    return FALSE;

  job_free (job);
  return TRUE;
}

void
cria_store_search_async (CriaStore           *self,
                         const char          *text,
                         guint                limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (text != NULL);

  push (self, job_new_with_task (self, &_cria_store_job_search,
                                 _cria_store_search_job_new (text, limit > 0 ? limit : 50),
                                 cria_store_search_async, cancellable, callback, user_data));
}

GPtrArray *
cria_store_search_finish (CriaStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_search_async, error);
  GPtrArray *hits;

  if (job == NULL)
    return NULL;

  hits = g_steal_pointer (&((CriaStoreSearchJob *) _cria_store_job_get_payload (job, &_cria_store_job_search))->hits);
  job_free (job);

  return hits;
}

static gboolean
edges_ascend (const gint64 *edges,
              guint         n_edges)
{
  for (guint i = 1; i < n_edges; i++)
    {
      if (edges[i] <= edges[i - 1])
        return FALSE;
    }

  return TRUE;
}

void
cria_store_spending_async (CriaStore           *self,
                           const gint64        *edges,
                           guint                n_edges,
                           guint                n_top,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_STORE (self));
  g_return_if_fail (edges != NULL);
  g_return_if_fail (n_edges >= 2);
  g_return_if_fail (edges_ascend (edges, n_edges));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  push (self, job_new_with_task (self, &_cria_store_job_spending,
                                 _cria_store_spending_job_new (edges, n_edges, n_top),
                                 cria_store_spending_async, cancellable, callback, user_data));
}

CriaSpending *
cria_store_spending_finish (CriaStore     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  CriaStoreJob *job = propagate_job (self, result, cria_store_spending_async, error);
  CriaSpending *spending;

  if (job == NULL)
    return NULL;

  spending = g_steal_pointer (&((CriaStoreSpendingJob *) _cria_store_job_get_payload (job, &_cria_store_job_spending))->spending);
  job_free (job);

  return spending;
}

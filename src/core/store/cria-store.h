/* cria-store.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-record.h"
#include "cria-search-hit.h"

G_BEGIN_DECLS

#define CRIA_STORE_ERROR (cria_store_error_quark ())

typedef enum
{
  CRIA_STORE_ERROR_FAILED,
  CRIA_STORE_ERROR_UNAVAILABLE,
  CRIA_STORE_ERROR_FULL,
  CRIA_STORE_ERROR_READ_ONLY,
  CRIA_STORE_ERROR_NOT_FOUND,
  CRIA_STORE_ERROR_TOO_NEW,
} CriaStoreError;

#define CRIA_TYPE_STORE (cria_store_get_type ())

G_DECLARE_FINAL_TYPE (CriaStore, cria_store, CRIA, STORE, GObject)

/* The conversation history: one SQLite database owned by one worker thread.
 * Every call returns at once; the work runs on the worker in the order the
 * calls were made, and results come back on the caller's thread-default main
 * context. Writes without a callback report failures through ::write-failed;
 * ::conversation-changed and ::conversation-removed tell the main context what
 * a write changed. A database that cannot be read is moved aside (and kept)
 * and a fresh one made in its place; cria_store_open_finish() says so. */
GQuark          cria_store_error_quark            (void);

/* $XDG_DATA_HOME/cria/cria.db */
char           *cria_store_dup_default_path       (void);
CriaStore      *cria_store_new                    (const char              *path);
const char     *cria_store_get_path               (CriaStore               *self);

/* Completes once the database is open. @moved_aside is set to where an
 * unreadable database was moved, or NULL. Fails when no database can be used
 * at all; every later call then fails with CRIA_STORE_ERROR_UNAVAILABLE. */
void            cria_store_open_async             (CriaStore               *self,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
gboolean        cria_store_open_finish            (CriaStore               *self,
                                                   GAsyncResult            *result,
                                                   char                   **moved_aside,
                                                   GError                 **error);

/* Told on the caller's context once a write has committed (@error NULL) or
 * failed; a failure is also announced by ::write-failed. */
typedef void (*CriaStoreWriteFunc) (const GError *error,
                                    gpointer      user_data);

/* Writes, in order. A message's save that is still queued when the same
 * message is saved again takes the newer snapshot instead of queuing a second
 * save: at most one save per message waits, whatever the worker's pace. The
 * replaced save's @func is not called (its @destroy is); the newer one's is. */
void            cria_store_save_conversation      (CriaStore                    *self,
                                                   const CriaConversationRecord *record);
void            cria_store_save_conversation_full (CriaStore                    *self,
                                                   const CriaConversationRecord *record,
                                                   CriaStoreWriteFunc            func,
                                                   gpointer                      user_data,
                                                   GDestroyNotify                destroy);
void            cria_store_save_message           (CriaStore                    *self,
                                                   const char                   *conversation_id,
                                                   guint                         position,
                                                   const CriaMessageRecord      *record);
void            cria_store_save_message_full      (CriaStore                    *self,
                                                   const char                   *conversation_id,
                                                   guint                         position,
                                                   const CriaMessageRecord      *record,
                                                   CriaStoreWriteFunc            func,
                                                   gpointer                      user_data,
                                                   GDestroyNotify                destroy);
/* Removes the messages not in @message_ids and numbers the rest in order. */
void            cria_store_set_messages           (CriaStore                    *self,
                                                   const char                   *conversation_id,
                                                   const char * const           *message_ids);
void            cria_store_rename_conversation    (CriaStore                    *self,
                                                   const char                   *conversation_id,
                                                   const char                   *title);
void            cria_store_set_pinned             (CriaStore                    *self,
                                                   const char                   *conversation_id,
                                                   gboolean                      pinned);

/* Completes after every call made before it. */
void            cria_store_flush_async            (CriaStore               *self,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
gboolean        cria_store_flush_finish           (CriaStore               *self,
                                                   GAsyncResult            *result,
                                                   GError                 **error);

/* Every conversation that has messages, pinned first, newest first:
 * a GPtrArray of CriaConversationRecord. */
void            cria_store_list_conversations_async  (CriaStore            *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray      *cria_store_list_conversations_finish (CriaStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* A conversation and its messages (a GPtrArray of CriaMessageRecord) in order. */
void            cria_store_load_conversation_async   (CriaStore            *self,
                                                      const char           *conversation_id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
CriaConversationRecord *
                cria_store_load_conversation_finish  (CriaStore            *self,
                                                      GAsyncResult         *result,
                                                      GPtrArray           **messages,
                                                      GError              **error);

/* Deletes a conversation; finish hands back what was deleted, so that
 * cria_store_import_async() can put it back. */
void            cria_store_delete_conversation_async  (CriaStore           *self,
                                                       const char          *conversation_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
CriaConversationRecord *
                cria_store_delete_conversation_finish (CriaStore           *self,
                                                       GAsyncResult        *result,
                                                       GPtrArray          **messages,
                                                       GError             **error);

/* Saves a whole conversation under its record's id, replacing one with that id. */
void            cria_store_import_async           (CriaStore                    *self,
                                                   const CriaConversationRecord *record,
                                                   GPtrArray                    *messages,
                                                   GCancellable                 *cancellable,
                                                   GAsyncReadyCallback           callback,
                                                   gpointer                      user_data);
gboolean        cria_store_import_finish          (CriaStore               *self,
                                                   GAsyncResult            *result,
                                                   GError                 **error);

/* A search looks in message text once its text has this many characters
 * (spaces not counted); a shorter one matches words of titles only. */
#define CRIA_STORE_SEARCH_MIN_MESSAGE_CHARS 2

/* Whether a search for @text looks in message text too, not only titles. */
gboolean        cria_store_search_reaches_messages (const char *text);

/* Titles and messages that contain every word of @text (as prefixes): a
 * GPtrArray of at most @limit CriaSearchHit (50 when @limit is 0), the titles
 * first (pinned, then the most recently updated; at most half of @limit when
 * messages are searched too), then messages, newest first. Text shorter than
 * CRIA_STORE_SEARCH_MIN_MESSAGE_CHARS finds titles only. Cancelling stops a
 * running search; a search cancelled before its result is handed back
 * reports G_IO_ERROR_CANCELLED. */
void            cria_store_search_async           (CriaStore               *self,
                                                   const char              *text,
                                                   guint                    limit,
                                                   GCancellable            *cancellable,
                                                   GAsyncReadyCallback      callback,
                                                   gpointer                 user_data);
GPtrArray      *cria_store_search_finish          (CriaStore               *self,
                                                   GAsyncResult            *result,
                                                   GError                 **error);

G_END_DECLS

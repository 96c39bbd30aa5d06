/* cria-conversation-recorder.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-conversation-recorder.h"

/* The first wait before writing again what the store could not write, and
 * the longest; it doubles in between. CRIA_RECORDER_RETRY_MS sets the first
 * (tests make it short). */
#define RETRY_FIRST_MS 2000
#define RETRY_MAX_MS   60000

/* A message with changes the store has not committed yet. */
typedef struct
{
  /* The stamp of its latest change, and of the snapshot last queued (0 when
   * none is on its way). It stays unsaved until a write of a snapshot at
   * least as new as its latest change commits. */
  guint64 changed;
  guint64 queued;
} Unsaved;

/* What a queued write reports back to. */
typedef struct
{
  GWeakRef     recorder;
  CriaMessage *message;
  guint64      stamp;
} WriteClosure;

struct _CriaConversationRecorder
{
  GObject           parent_instance;

  CriaStore        *store;
  CriaConversation *conversation;
  char             *id;
  gint64            created;
  /* Whether the conversation's row is written (it is, with the first
   * message), and whether its last write failed and must be made again. */
  gboolean          saved;
  gboolean          conversation_failed;
  /* The conversation's messages as last seen, to know which ones went. */
  GPtrArray        *messages;
  /* CriaMessage → Unsaved: messages whose latest change is not committed. */
  GHashTable       *dirty;
  guint64           stamp;
  /* Messages whose changes are followed: the ones added while recording.
   * Restored ones are written already and change only by being edited,
   * which the items-changed after an edit shows. */
  GHashTable       *watched;
  guint             flush_id;
  /* Writing again after a failure, with a growing wait. */
  guint             retry_id;
  guint             retry_ms;
  guint             retry_first_ms;
};

G_DEFINE_FINAL_TYPE (CriaConversationRecorder, cria_conversation_recorder, G_TYPE_OBJECT)

CriaConversationRecord *
cria_conversation_recorder_dup_record (CriaConversationRecorder *self)
{
  CriaConversationRecord *record;

  g_return_val_if_fail (CRIA_IS_CONVERSATION_RECORDER (self), NULL);

  record = cria_conversation_record_new (self->id);
  cria_chat_params_free (record->params);
  record->params = cria_chat_params_copy (cria_conversation_get_params (self->conversation));

  record->title = g_strdup (cria_conversation_get_title (self->conversation));
  record->model = g_strdup (cria_conversation_get_model_id (self->conversation));
  record->system_prompt = g_strdup (cria_conversation_get_system_prompt (self->conversation));
  record->tools = cria_conversation_dup_tool_settings (self->conversation);
  record->created = self->created;
  record->updated = g_get_real_time ();

  return record;
}

static void retry_later (CriaConversationRecorder *self);

static void
conversation_written_cb (const GError *error,
                         gpointer      user_data)
{
  g_autoptr(CriaConversationRecorder) self = g_weak_ref_get (user_data);

  if (self == NULL)
    return;

  self->conversation_failed = error != NULL;
  if (error != NULL)
    retry_later (self);
}

static void
weak_ref_free (gpointer weak_ref)
{
  g_weak_ref_clear (weak_ref);
  g_free (weak_ref);
}

/* @touch: whether the conversation counts as changed now, which moves it up
 * the list; a setting that is only remembered (the tools switch) does not. */
static void
save_conversation_full (CriaConversationRecorder *self,
                        gboolean                  touch)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_recorder_dup_record (self);
  GWeakRef *weak_ref = g_new0 (GWeakRef, 1);

  /* The store keeps the later of the two times. */
  if (!touch)
    record->updated = 0;

  g_weak_ref_init (weak_ref, self);
  self->conversation_failed = FALSE;
  cria_store_save_conversation_full (self->store, record, conversation_written_cb, weak_ref, weak_ref_free);
  self->saved = TRUE;
}

static void
save_conversation (CriaConversationRecorder *self)
{
  save_conversation_full (self, TRUE);
}

static void
write_closure_free (gpointer user_data)
{
  WriteClosure *closure = user_data;

  g_weak_ref_clear (&closure->recorder);
  g_object_unref (closure->message);
  g_free (closure);
}

/* Back from the store: the unsaved mark goes only once what the message
 * showed at its latest change is committed. */
static void
message_written_cb (const GError *error,
                    gpointer      user_data)
{
  WriteClosure *closure = user_data;
  g_autoptr(CriaConversationRecorder) self = g_weak_ref_get (&closure->recorder);
  Unsaved *unsaved;

  if (self == NULL || (unsaved = g_hash_table_lookup (self->dirty, closure->message)) == NULL)
    return;

  if (error != NULL)
    {
      if (unsaved->queued == closure->stamp)
        unsaved->queued = 0;
      retry_later (self);
      return;
    }

  if (unsaved->queued == closure->stamp)
    unsaved->queued = 0;
  if (unsaved->changed <= closure->stamp)
    g_hash_table_remove (self->dirty, closure->message);
  if (g_hash_table_size (self->dirty) == 0 && !self->conversation_failed)
    self->retry_ms = 0;
}

static Unsaved *
mark_unsaved (CriaConversationRecorder *self,
              CriaMessage              *message)
{
  Unsaved *unsaved = g_hash_table_lookup (self->dirty, message);

  if (unsaved == NULL)
    {
      unsaved = g_new0 (Unsaved, 1);
      g_hash_table_insert (self->dirty, message, unsaved);
    }
  unsaved->changed = ++self->stamp;

  return unsaved;
}

static void
save_message (CriaConversationRecorder *self,
              CriaMessage              *message,
              guint                     position)
{
  g_autoptr(CriaMessageRecord) record = cria_message_record_new_from_message (message);
  Unsaved *unsaved = mark_unsaved (self, message);
  WriteClosure *closure;

  /* An answer keeps the parameters it was asked with. */
  if (record->role == CRIA_ROLE_ASSISTANT)
    {
      g_autoptr(CriaConversationRecord) conversation = cria_conversation_recorder_dup_record (self);

      cria_chat_params_free (record->params);
      record->params = g_steal_pointer (&conversation->params);
    }

  unsaved->queued = unsaved->changed;

  closure = g_new0 (WriteClosure, 1);
  g_weak_ref_init (&closure->recorder, self);
  closure->message = g_object_ref (message);
  closure->stamp = unsaved->queued;

  if (!self->saved || self->conversation_failed)
    save_conversation (self);
  cria_store_save_message_full (self->store, self->id, position, record,
                                message_written_cb, closure, write_closure_free);
}

/* Writes what changed since it was last queued, and what failed. */
void
cria_conversation_recorder_flush (CriaConversationRecorder *self)
{
  g_return_if_fail (CRIA_IS_CONVERSATION_RECORDER (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);

  if (self->conversation_failed && g_hash_table_size (self->dirty) == 0)
    save_conversation (self);

  for (guint i = 0; i < self->messages->len && g_hash_table_size (self->dirty) > 0; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);
      Unsaved *unsaved = g_hash_table_lookup (self->dirty, message);

      if (unsaved != NULL && unsaved->changed > unsaved->queued)
        save_message (self, message, i);
    }
}

static gboolean
flush_cb (gpointer user_data)
{
  CriaConversationRecorder *self = user_data;

  self->flush_id = 0;
  cria_conversation_recorder_flush (self);

  return G_SOURCE_REMOVE;
}

static gboolean
retry_cb (gpointer user_data)
{
  CriaConversationRecorder *self = user_data;

  self->retry_id = 0;
  cria_conversation_recorder_flush (self);

  return G_SOURCE_REMOVE;
}

/* A write failed (a full disk, say): everything still unsaved is written
 * again after a while, even if nothing changes any more, as a finished
 * answer does not. Each failure in a row waits twice as long. */
static void
retry_later (CriaConversationRecorder *self)
{
  if (self->retry_id != 0)
    return;

  self->retry_ms = self->retry_ms == 0 ? self->retry_first_ms : MIN (self->retry_ms * 2, RETRY_MAX_MS);
  self->retry_id = g_timeout_add (self->retry_ms, retry_cb, self);
}

static void
mark_dirty (CriaConversationRecorder *self,
            CriaMessage              *message)
{
  mark_unsaved (self, message);
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (CRIA_CONVERSATION_RECORDER_INTERVAL_MS, flush_cb, self);
}

static void
text_appended_cb (CriaMessage              *message,
                  const char               *text,
                  CriaConversationRecorder *self)
{
  mark_dirty (self, message);
}

static void
message_notify_cb (CriaMessage              *message,
                   GParamSpec               *pspec,
                   CriaConversationRecorder *self)
{
  guint position;

  mark_dirty (self, message);

  /* An answer that ends is written at once, with its final state. */
  if (g_str_equal (g_param_spec_get_name (pspec), "state") &&
      cria_message_get_state (message) != CRIA_MESSAGE_STATE_STREAMING &&
      g_ptr_array_find (self->messages, message, &position))
    save_message (self, message, position);
}

/* Plain handlers, disconnected by unwatch_message() and in dispose: a weak
 * reference per message would make a long conversation slow to let go of. */
static void
watch_message (CriaConversationRecorder *self,
               CriaMessage              *message)
{
  if (!g_hash_table_add (self->watched, message))
    return;

  g_signal_connect (message, "content-appended", G_CALLBACK (text_appended_cb), self);
  g_signal_connect (message, "reasoning-appended", G_CALLBACK (text_appended_cb), self);
  g_signal_connect (message, "notify", G_CALLBACK (message_notify_cb), self);
}

static void
unwatch_message (CriaConversationRecorder *self,
                 CriaMessage              *message)
{
  if (g_hash_table_remove (self->watched, message))
    g_signal_handlers_disconnect_by_data (message, self);
  g_hash_table_remove (self->dirty, message);
}

static void
items_changed_cb (CriaConversationRecorder *self,
                  guint                     position,
                  guint                     removed,
                  guint                     added)
{
  GListModel *model = G_LIST_MODEL (self->conversation);
  guint n = g_list_model_get_n_items (model);

  for (guint i = position; i < position + removed; i++)
    unwatch_message (self, g_ptr_array_index (self->messages, i));
  g_ptr_array_remove_range (self->messages, position, removed);

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (model, i);

      g_ptr_array_insert (self->messages, i, g_object_ref (message));
      watch_message (self, message);
      save_message (self, message, i);
    }

  /* Messages went or moved: the saved list follows. An edited question is
   * the message just before the answers it replaced; it is written again. */
  if (removed > 0 || position + added != n)
    {
      if (position > 0)
        save_message (self, g_ptr_array_index (self->messages, position - 1), position - 1);

      g_autoptr(GPtrArray) ids = g_ptr_array_new ();

      for (guint i = 0; i < self->messages->len; i++)
        g_ptr_array_add (ids, (gpointer) cria_message_get_id (g_ptr_array_index (self->messages, i)));
      g_ptr_array_add (ids, NULL);

      if (self->saved)
        cria_store_set_messages (self->store, self->id, (const char * const *) ids->pdata);
    }
}

static void
conversation_notify_cb (CriaConversationRecorder *self)
{
  if (self->saved)
    save_conversation (self);
}

static void
conversation_tools_notify_cb (CriaConversationRecorder *self)
{
  if (self->saved)
    save_conversation_full (self, FALSE);
}

void
cria_conversation_recorder_save_settings (CriaConversationRecorder *self)
{
  g_return_if_fail (CRIA_IS_CONVERSATION_RECORDER (self));

  conversation_notify_cb (self);
}

static void
cria_conversation_recorder_dispose (GObject *object)
{
  CriaConversationRecorder *self = CRIA_CONVERSATION_RECORDER (object);

  if (self->conversation != NULL)
    {
      cria_conversation_recorder_flush (self);
      g_signal_handlers_disconnect_by_data (self->conversation, self);
      for (guint i = 0; i < self->messages->len; i++)
        unwatch_message (self, g_ptr_array_index (self->messages, i));
    }
  g_clear_handle_id (&self->flush_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->messages != NULL)
    g_ptr_array_set_size (self->messages, 0);
  g_clear_object (&self->conversation);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_conversation_recorder_parent_class)->dispose (object);
}

static void
cria_conversation_recorder_finalize (GObject *object)
{
  CriaConversationRecorder *self = CRIA_CONVERSATION_RECORDER (object);

  g_clear_pointer (&self->messages, g_ptr_array_unref);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_free (self->id);

  G_OBJECT_CLASS (cria_conversation_recorder_parent_class)->finalize (object);
}

static void
cria_conversation_recorder_class_init (CriaConversationRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_conversation_recorder_dispose;
  object_class->finalize = cria_conversation_recorder_finalize;
}

static void
cria_conversation_recorder_init (CriaConversationRecorder *self)
{
  self->messages = g_ptr_array_new_with_free_func (g_object_unref);
  const char *retry = g_getenv ("CRIA_RECORDER_RETRY_MS");

  self->dirty = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->watched = g_hash_table_new (NULL, NULL);
  self->retry_first_ms = RETRY_FIRST_MS;
  if (retry != NULL)
    self->retry_first_ms = CLAMP (g_ascii_strtoull (retry, NULL, 10), 1, RETRY_MAX_MS);
}

CriaConversationRecorder *
cria_conversation_recorder_new (CriaStore        *store,
                                CriaConversation *conversation,
                                const char       *id)
{
  CriaConversationRecorder *self;
  guint n;

  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);
  g_return_val_if_fail (CRIA_IS_CONVERSATION (conversation), NULL);

  self = g_object_new (CRIA_TYPE_CONVERSATION_RECORDER, NULL);
  self->store = g_object_ref (store);
  self->conversation = g_object_ref (conversation);
  self->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  self->saved = id != NULL;
  self->created = g_get_real_time ();

  n = g_list_model_get_n_items (G_LIST_MODEL (conversation));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      g_ptr_array_add (self->messages, g_object_ref (message));
      /* Not saved yet: written now, and followed from now on. */
      if (id == NULL)
        {
          watch_message (self, message);
          save_message (self, message, i);
        }
    }

  g_signal_connect_object (conversation, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::title", G_CALLBACK (conversation_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::model-id", G_CALLBACK (conversation_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::system-prompt", G_CALLBACK (conversation_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::params", G_CALLBACK (conversation_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::tools-enabled", G_CALLBACK (conversation_tools_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::tool-choice", G_CALLBACK (conversation_tools_notify_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (conversation, "notify::tool-sources-off", G_CALLBACK (conversation_tools_notify_cb),
                           self, G_CONNECT_SWAPPED);

  return self;
}

const char *
cria_conversation_recorder_get_id (CriaConversationRecorder *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_RECORDER (self), NULL);

  return self->id;
}

CriaConversation *
cria_conversation_recorder_get_conversation (CriaConversationRecorder *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION_RECORDER (self), NULL);

  return self->conversation;
}

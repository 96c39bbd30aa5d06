/* cria-conversation-retrieval.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"
#include "cria-message-private.h"

/* Documents too long to send whole (cria_request_plan_split_documents()):
 * before their question goes, each is indexed, once for every chat that
 * attaches it; each question of the chat then takes the passages that
 * answer it, sent in place of the documents and kept as the answer's
 * sources. Stopping ends every step at once; what was indexed stays. */

/* The room the passages for one question take, in tokens: the few that
 * answer best, some pages' worth; more would dilute them and cost every
 * turn. Never more than the inline limit. */
#define PASSAGE_TOKENS 3000

struct _RetrievalOp
{
  CriaConversation *conversation;
  GTask            *task;
  GCancellable     *cancellable;
  GCancellable     *caller_cancellable;
  gulong            caller_cancelled_id;

  /* Indexing: the documents, the one being indexed, and what the question
   * that waits for them is. */
  GPtrArray        *to_index;
  guint             next;
  char             *text;
  GStrv             image_urls;
  GPtrArray        *documents;

  /* Searching: the answer the passages are for. */
  CriaMessage      *answer;
  CriaChatReply    *reply;
  guint             position;

  /* The embeddings paid for on the way; negative when a price is unknown. */
  double            cost;
};

static void
retrieval_op_free (RetrievalOp *op)
{
  g_assert (op->task == NULL);

  if (op->caller_cancelled_id != 0)
    g_signal_handler_disconnect (op->caller_cancellable, op->caller_cancelled_id);
  g_clear_object (&op->caller_cancellable);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->conversation);
  g_clear_pointer (&op->to_index, g_ptr_array_unref);
  g_clear_pointer (&op->text, g_free);
  g_clear_pointer (&op->image_urls, g_strfreev);
  g_clear_pointer (&op->documents, g_ptr_array_unref);
  g_clear_object (&op->answer);
  g_clear_object (&op->reply);
  g_free (op);
}

void
cria_conversation_set_retrieval (CriaConversation *self,
                                 CriaRetrieval    *retrieval)
{
  g_return_if_fail (CRIA_IS_CONVERSATION (self));
  g_return_if_fail (retrieval == NULL || CRIA_IS_RETRIEVAL (retrieval));

  if (g_set_object (&self->retrieval, retrieval))
    _cria_conversation_update_figures (self);
}

CriaRetrieval *
cria_conversation_get_retrieval (CriaConversation *self)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return self->retrieval;
}

gint64
_cria_conversation_document_limit (CriaConversation *self)
{
  return self->retrieval != NULL ? cria_conversation_get_inline_document_limit (self) : -1;
}

/* Adds the searched documents of @documents to @into, each document once. */
static void
add_searched (CriaConversation *self,
              GPtrArray        *documents,
              GPtrArray        *into,
              GHashTable       *seen)
{
  g_autoptr(GPtrArray) searched = NULL;

  cria_request_plan_split_documents (documents, cria_conversation_get_inline_document_limit (self),
                                     NULL, &searched);
  for (guint i = 0; i < searched->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (searched, i);

      if (g_hash_table_add (seen, document->hash))
        g_ptr_array_add (into, cria_document_ref (document));
    }
}

/**
 * cria_conversation_dup_searched_documents:
 * @documents: (nullable) (element-type CriaDocument): documents about to be
 *   sent
 *
 * Returns: (transfer full) (element-type CriaDocument): the documents of
 *   the conversation and of @documents that are searched rather than sent
 *   whole, each once; empty when the conversation has no retrieval
 */
GPtrArray *
cria_conversation_dup_searched_documents (CriaConversation *self,
                                          GPtrArray        *documents)
{
  g_return_val_if_fail (CRIA_IS_CONVERSATION (self), NULL);

  return _cria_conversation_searched_documents (self, self->messages->len, documents);
}

GPtrArray *
_cria_conversation_searched_documents (CriaConversation *self,
                                       guint             end,
                                       GPtrArray        *extra)
{
  GPtrArray *searched = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (self->retrieval == NULL)
    return searched;

  for (guint i = 0; i < end; i++)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i);

      if (cria_message_get_role (message) == CRIA_ROLE_USER)
        add_searched (self, cria_message_get_documents (message), searched, seen);
    }
  add_searched (self, extra, searched, seen);

  return searched;
}

/* What embedding @usage cost with the retrieval's model; negative when its
 * price is unknown. */
static double
embedding_cost (CriaConversation *self,
                const CriaUsage  *usage)
{
  CriaModel *model = NULL;

  if (usage == NULL || cria_usage_get_total (usage) == 0)
    return 0.0;
  if (self->models != NULL)
    model = cria_catalogue_find (self->models, cria_retrieval_get_model (self->retrieval));
  if (model == NULL)
    return -1.0;

  return cria_usage_get_cost (usage, cria_model_get_input_price (model), 0.0);
}

static void
add_cost (RetrievalOp *op,
          double       cost)
{
  op->cost = op->cost >= 0 && cost >= 0 ? op->cost + cost : -1.0;
}

/* Lets go of the op: busy turns FALSE, and @error (or cancellation) goes to
 * the caller, last. */
static void
end_retrieval (CriaConversation *self,
               const GError     *error)
{
  RetrievalOp *op = self->retrieval_op;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);

  self->retrieval_op = NULL;
  if (op->answer != NULL)
    {
      _cria_message_end_reply (op->answer);
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cria_message_set_error (op->answer, error);
          cria_message_set_state (op->answer, CRIA_MESSAGE_STATE_FAILED);
        }
      else
        cria_message_set_state (op->answer, CRIA_MESSAGE_STATE_STOPPED);
      if (op->cost != 0)
        cria_message_set_cost (op->answer, op->cost);
      _cria_conversation_update_figures (self);
    }
  _cria_conversation_notify_busy (self);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The answer was stopped."));
}

/* Whether @op is still the conversation's: a stopped op's callbacks only
 * free it. */
static gboolean
op_is_current (RetrievalOp *op)
{
  return op->conversation != NULL && op->conversation->retrieval_op == op;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     RetrievalOp  *op)
{
  if (op_is_current (op))
    cria_conversation_stop (op->conversation);
}

static RetrievalOp *
start_op (CriaConversation *self,
          GTask            *task)
{
  GCancellable *caller_cancellable = g_task_get_cancellable (task);
  RetrievalOp *op = g_new0 (RetrievalOp, 1);

  g_assert (self->retrieval_op == NULL);

  op->conversation = g_object_ref (self);
  op->task = g_object_ref (task);
  op->cancellable = g_cancellable_new ();
  self->retrieval_op = op;
  _cria_conversation_notify_busy (self);

  if (caller_cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (caller_cancellable);
      op->caller_cancelled_id = g_signal_connect (caller_cancellable, "cancelled",
                                                  G_CALLBACK (caller_cancelled_cb), op);
    }

  return op;
}

/* Indexing */

static void index_next (RetrievalOp *op);

static void
index_progress_cb (guint    n_done,
                   guint    n_total,
                   gpointer user_data)
{
  RetrievalOp *op = user_data;

  if (op_is_current (op) && op->next < op->to_index->len)
    g_signal_emit_by_name (op->conversation, "indexing-progress",
                           g_ptr_array_index (op->to_index, op->next), n_done, n_total);
}

static void
indexed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  RetrievalOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaUsage) usage = NULL;

  usage = cria_retrieval_index_finish (CRIA_RETRIEVAL (object), result, &error);
  if (!op_is_current (op))
    {
      retrieval_op_free (op);
      return;
    }

  if (usage != NULL)
    add_cost (op, embedding_cost (op->conversation, usage));

  if (error != NULL)
    {
      CriaConversation *self = op->conversation;
      CriaDocument *document = g_ptr_array_index (op->to_index, op->next);
      g_autoptr(GError) shown = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        shown = g_error_copy (error);
      else
        shown = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The document “%s” could not be prepared for searching: %s"),
                             document->name, error->message);
      /* Nothing was sent: what was paid for so far goes with the next
       * answer, and the next send pays only for the rest. */
      self->pending_retrieval_cost = op->cost;
      end_retrieval (self, shown);
      retrieval_op_free (op);
      return;
    }

  op->next++;
  index_next (op);
}

static void
index_next (RetrievalOp *op)
{
  CriaConversation *self = op->conversation;
  g_autoptr(GTask) task = NULL;

  if (op->next < op->to_index->len)
    {
      cria_retrieval_index_async (self->retrieval, g_ptr_array_index (op->to_index, op->next),
                                  index_progress_cb, op, NULL,
                                  op->cancellable, indexed_cb, op);
      return;
    }

  /* Every document is ready: the question goes, and its answer searches. */
  task = g_steal_pointer (&op->task);
  self->retrieval_op = NULL;
  self->pending_retrieval_cost = op->cost;
  _cria_conversation_append_question (self, op->text, (const char * const *) op->image_urls,
                                      op->documents, task);
  retrieval_op_free (op);
}

gboolean
_cria_conversation_index_then_send (CriaConversation   *self,
                                    const char         *text,
                                    const char * const *image_urls,
                                    GPtrArray          *documents,
                                    GTask              *task)
{
  g_autoptr(GPtrArray) searched = _cria_conversation_searched_documents (self, self->messages->len, documents);
  RetrievalOp *op;

  if (searched->len == 0)
    return FALSE;

  op = start_op (self, task);
  op->to_index = g_steal_pointer (&searched);
  op->text = g_strdup (text);
  op->image_urls = g_strdupv ((char **) image_urls);
  if (documents != NULL)
    op->documents = g_ptr_array_ref (documents);
  op->cost = self->pending_retrieval_cost;
  self->pending_retrieval_cost = 0;
  if (g_cancellable_is_cancelled (op->caller_cancellable))
    {
      end_retrieval (self, NULL);
      retrieval_op_free (op);
      return TRUE;
    }
  index_next (op);

  return TRUE;
}

/* Searching */

/* The question the passages should answer: the user's text, or, for
 * documents sent without one, their names. */
static char *
question_before (CriaConversation *self,
                 guint             position)
{
  for (guint i = position; i > 0; i--)
    {
      CriaMessage *message = g_ptr_array_index (self->messages, i - 1);
      GPtrArray *documents = cria_message_get_documents (message);
      g_autoptr(GString) names = NULL;
      g_autofree char *content = g_strstrip (g_strdup (cria_message_get_content (message)));

      if (cria_message_get_role (message) != CRIA_ROLE_USER)
        continue;
      if (*content != '\0')
        return g_strdup (cria_message_get_content (message));

      names = g_string_new (NULL);
      for (guint j = 0; j < documents->len; j++)
        g_string_append_printf (names, "%s%s", j > 0 ? ", " : "",
                                ((CriaDocument *) g_ptr_array_index (documents, j))->name);
      return g_string_free (g_steal_pointer (&names), FALSE);
    }

  return g_strdup ("");
}

static void
searched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RetrievalOp *op = user_data;
  CriaConversation *self = op->conversation;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaUsage) usage = NULL;
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *retrieved = NULL;

  sources = cria_retrieval_search_finish (CRIA_RETRIEVAL (object), result, &usage, &error);
  if (!op_is_current (op))
    {
      retrieval_op_free (op);
      return;
    }

  add_cost (op, embedding_cost (self, usage));
  if (sources == NULL)
    {
      g_autoptr(GError) shown = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        shown = g_error_copy (error);
      else
        shown = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                             _("The documents could not be searched for this question: %s"),
                             error->message);
      end_retrieval (self, shown);
      retrieval_op_free (op);
      return;
    }

  task = g_steal_pointer (&op->task);
  self->retrieval_op = NULL;
  cria_message_set_sources (op->answer, sources);
  retrieved = cria_request_plan_sources_text (sources);
  _cria_conversation_reply_with (self, op->answer, op->reply, op->position, retrieved, op->cost, task);
  retrieval_op_free (op);
}

gboolean
_cria_conversation_search_then_reply (CriaConversation *self,
                                      CriaMessage      *answer,
                                      CriaChatReply    *reply,
                                      guint             position,
                                      GTask            *task)
{
  g_autoptr(GPtrArray) searched = _cria_conversation_searched_documents (self, position, NULL);
  g_autofree char *question = NULL;
  RetrievalOp *op;

  if (searched->len == 0)
    {
      self->pending_retrieval_cost = 0;
      return FALSE;
    }

  op = start_op (self, task);
  op->answer = g_object_ref (answer);
  op->reply = g_object_ref (reply);
  op->position = position;
  op->cost = self->pending_retrieval_cost;
  self->pending_retrieval_cost = 0;
  if (g_cancellable_is_cancelled (op->caller_cancellable))
    {
      end_retrieval (self, NULL);
      retrieval_op_free (op);
      return TRUE;
    }

  question = question_before (self, position);
  cria_retrieval_search_async (self->retrieval, searched, question,
                               MIN (PASSAGE_TOKENS, cria_conversation_get_inline_document_limit (self)),
                               op->cancellable, searched_cb, op);
  return TRUE;
}

gboolean
_cria_conversation_stop_retrieval (CriaConversation *self)
{
  RetrievalOp *op = self->retrieval_op;
  g_autoptr(GCancellable) cancellable = NULL;

  if (op == NULL)
    return FALSE;

  /* The op is freed by its callback, which finds it no longer current. */
  cancellable = g_object_ref (op->cancellable);
  end_retrieval (self, NULL);
  g_cancellable_cancel (cancellable);
  return TRUE;
}

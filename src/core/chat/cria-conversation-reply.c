/* cria-conversation-reply.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The answer a conversation is streaming: its request, its cost (a
 * continuation's added to the part before), stopping, and how it ends. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-catalogue.h"
#include "cria-conversation-private.h"
#include "cria-message-private.h"

/* One answer being streamed. It lives until the client's callback, which may
 * come after the conversation let go of it (cria_conversation_stop()) or after
 * the conversation is gone: hence the weak reference. */
struct _ReplyOp
{
  GWeakRef       conversation;
  /* The caller's task; NULL once it has returned. */
  GTask         *task;
  CriaMessage   *message;
  CriaChatReply *reply;
  /* Ours, so that stopping never depends on the caller passing one. */
  GCancellable  *cancellable;
  GCancellable  *caller_cancellable;
  gulong         caller_cancelled_id;
  double         input_price;
  double         output_price;
  /* A continuation adds to the answer's cost so far; negative when unknown. */
  gboolean       continuation;
  double         base_cost;
};

static void
reply_op_free (ReplyOp *op)
{
  /* A task still held here was never returned: a bug, which GTask reports. */
  g_assert (op->task == NULL);

  if (op->caller_cancelled_id != 0)
    g_signal_handler_disconnect (op->caller_cancellable, op->caller_cancelled_id);
  g_clear_object (&op->caller_cancellable);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->reply);
  g_clear_object (&op->message);
  g_weak_ref_clear (&op->conversation);
  g_free (op);
}

static double
reply_op_get_cost (ReplyOp *op)
{
  const CriaUsage *usage = cria_chat_reply_get_usage (op->reply);
  double cost;

  if (usage == NULL)
    return op->continuation ? op->base_cost : -1.0;

  cost = cria_usage_get_cost (usage, op->input_price, op->output_price);
  if (!op->continuation)
    return cost;

  /* Both parts were paid for: if either price is unknown, so is the sum. */
  return cost >= 0 && op->base_cost >= 0 ? op->base_cost + cost : -1.0;
}

/* Lets go of the running answer: the message takes the reply's final state
 * (STOPPED when it has not finished), busy turns FALSE, and the caller's task
 * returns, last, since its callback may start the next answer at once. */
static void
end_op (CriaConversation *self,
        const GError     *error)
{
  ReplyOp *op = self->op;
  g_autoptr(GTask) task = NULL;

  g_assert (op != NULL);

  task = g_steal_pointer (&op->task);
  self->op = NULL;

  /* The cost first: the message's state, set last, then finds every figure
   * final, and a view describes the answer once. */
  cria_message_set_cost (op->message, reply_op_get_cost (op));
  _cria_message_end_reply (op->message);
  _cria_conversation_update_figures (self);

  /* An answer that asks for tools goes on with their results: the turn, and
   * the caller's task, are not over. */
  if (error == NULL && cria_message_get_state (op->message) == CRIA_MESSAGE_STATE_COMPLETE &&
      _cria_conversation_run_tools (self, op->message, task))
    return;

  _cria_conversation_notify_busy (self);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (cria_message_get_state (op->message) == CRIA_MESSAGE_STATE_COMPLETE)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("The answer was stopped."));
}

static void
chat_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ReplyOp *op = user_data;
  g_autoptr(CriaConversation) self = g_weak_ref_get (&op->conversation);
  g_autoptr(GError) error = NULL;

  cria_client_chat_finish (CRIA_CLIENT (object), result, &error);

  if (self != NULL && self->op == op)
    {
      end_op (self, error);
    }
  else if (cria_message_get_state (op->message) == CRIA_MESSAGE_STATE_STOPPED)
    {
      /* Stopped before the reply finished: its usage, estimated at the end,
       * arrives only now, and a stopped answer is paid for as far as it got. */
      _cria_message_set_reply_usage (op->message, cria_chat_reply_get_usage (op->reply));
      cria_message_set_tokens_per_second (op->message,
                                          cria_chat_reply_get_tokens_per_second (op->reply));
      cria_message_set_cost (op->message, reply_op_get_cost (op));
    }

  reply_op_free (op);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     ReplyOp      *op)
{
  g_autoptr(CriaConversation) self = g_weak_ref_get (&op->conversation);

  if (self != NULL && self->op == op)
    cria_conversation_stop (self);
}

/* Sends @request, streaming the answer into @reply, which @answer follows. */
void
_cria_conversation_run_reply (CriaConversation *self,
                              CriaMessage      *answer,
                              CriaChatReply    *reply,
                              CriaChatRequest  *request,
                              gboolean          continuation,
                              GTask            *task)
{
  GCancellable *caller_cancellable = g_task_get_cancellable (task);
  CriaModel *model = NULL;
  ReplyOp *op;

  if (self->models != NULL)
    model = cria_catalogue_find (self->models, self->model_id);

  op = g_new0 (ReplyOp, 1);
  g_weak_ref_init (&op->conversation, self);
  op->task = g_object_ref (task);
  op->message = g_object_ref (answer);
  op->reply = g_object_ref (reply);
  op->cancellable = g_cancellable_new ();
  op->input_price = model != NULL ? cria_model_get_input_price (model) : -1.0;
  op->output_price = model != NULL ? cria_model_get_output_price (model) : -1.0;
  op->continuation = continuation;
  op->base_cost = continuation ? cria_message_get_cost (answer) : -1.0;

  self->op = op;
  _cria_conversation_notify_busy (self);

  cria_client_chat_async (self->client, request, reply, op->cancellable, chat_cb, op);

  /* Cancelling the caller's cancellable is stopping. Everything runs on the
   * main context, so a plain handler does; g_cancellable_connect() would
   * deadlock were the op freed from within the emission. */
  if (caller_cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (caller_cancellable);
      if (g_cancellable_is_cancelled (caller_cancellable))
        cria_conversation_stop (self);
      else
        op->caller_cancelled_id = g_signal_connect (caller_cancellable, "cancelled",
                                                    G_CALLBACK (caller_cancelled_cb), op);
    }
}

CriaMessage *
_cria_conversation_get_reply_message (CriaConversation *self)
{
  return self->op != NULL ? self->op->message : NULL;
}

void
cria_conversation_stop (CriaConversation *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION (self));

  if (_cria_conversation_stop_retrieval (self))
    return;

  if (self->tool_round != NULL)
    {
      _cria_conversation_stop_tools (self);
      return;
    }

  if (self->op == NULL)
    return;

  /* The message lets go of the reply before the request is cancelled, so
   * nothing that arrives after the stop reaches it. */
  cancellable = g_object_ref (self->op->cancellable);
  end_op (self, NULL);
  g_cancellable_cancel (cancellable);
}

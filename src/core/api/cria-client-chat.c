/* cria-client-chat.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-api-error.h"
#include "cria-api-private.h"
#include "cria-chat-reply-private.h"
#include "cria-client-private.h"
#include "cria-stream-interpreter-private.h"

#define READ_BUFFER_SIZE      (16 * 1024)
#define MAX_COMPLETION_BODY   (64 * 1024 * 1024)
#define DRAIN_TIMEOUT_MSEC    2000

/* One chat request, from sending to the reply's end. */
typedef struct
{
  CriaClient            *client;
  CriaChatReply         *reply;
  SoupMessage           *message;
  CriaRequestWatch      *watch;
  CriaStreamInterpreter *interpreter;
  GInputStream          *stream;
  gint64                 prompt_estimate;
  guint8                 buffer[READ_BUFFER_SIZE];
} ChatOperation;

static void
chat_operation_free (ChatOperation *op)
{
  g_clear_pointer (&op->interpreter, cria_stream_interpreter_free);
  g_clear_pointer (&op->watch, _cria_request_watch_free);
  /* Dropping a stream that was not read to its end closes its connection,
   * which is what tells the server to stop generating. */
  g_clear_object (&op->stream);
  g_clear_object (&op->message);
  g_clear_object (&op->reply);
  g_clear_object (&op->client);
  g_free (op);
}

static gint64
estimate_prompt_tokens (CriaChatRequest *request)
{
  GPtrArray *messages = cria_chat_request_get_messages (request);
  gint64 tokens = 0;

  /* Each message costs a few tokens of chat-template framing. */
  for (guint i = 0; i < messages->len; i++)
    tokens += 4 + cria_usage_estimate_tokens (cria_chat_message_get_content (g_ptr_array_index (messages, i)));

  return tokens;
}

static gboolean
reply_has_text (CriaChatReply *reply)
{
  return *cria_chat_reply_get_content (reply) != '\0' ||
         *cria_chat_reply_get_reasoning (reply) != '\0' ||
         cria_chat_reply_get_tool_calls (reply)->len > 0;
}

/* Ends the reply and the task. Every path through a chat request ends here. */
static void
chat_finish (GTask              *task,
             CriaChatReplyState  state,
             GError             *error)
{
  ChatOperation *op = g_task_get_task_data (task);

  if (op->interpreter != NULL)
    cria_stream_interpreter_end (op->interpreter);

  _cria_chat_reply_finish (op->reply, state, error, op->prompt_estimate);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A failure after the answer began keeps what arrived: interrupted, not failed. */
static void
chat_fail (GTask  *task,
           GError *error)
{
  ChatOperation *op = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    chat_finish (task, CRIA_CHAT_REPLY_STATE_STOPPED, error);
  else if (reply_has_text (op->reply))
    chat_finish (task, CRIA_CHAT_REPLY_STATE_INTERRUPTED, error);
  else
    chat_finish (task, CRIA_CHAT_REPLY_STATE_FAILED, error);
}

static void
chat_stream_ended (GTask *task)
{
  ChatOperation *op = g_task_get_task_data (task);
  const GError *stream_error;

  cria_stream_interpreter_end (op->interpreter);
  stream_error = cria_stream_interpreter_get_error (op->interpreter);

  if (stream_error != NULL)
    chat_fail (task, _cria_client_redact_error (op->client, op->message, g_error_copy (stream_error)));
  else if (!cria_stream_interpreter_saw_data (op->interpreter))
    chat_fail (task, g_error_new_literal (CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                                          _("The server ended the answer without sending anything.")));
  else if (!cria_stream_interpreter_is_complete (op->interpreter))
    /* Servers that never send [DONE] still name a finish reason. A stream
     * with neither was cut, however cleanly its connection closed (a proxy
     * that gave up, a server that crashed mid-chunk): what arrived is kept,
     * but it is not the whole answer. */
    chat_fail (task, cria_api_error_new (CRIA_API_ERROR_INTERRUPTED, 0, NULL, -1,
                                         _("The connection ended before the answer was complete. What arrived is kept.")));
  else
    chat_finish (task, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL);
}

static void chat_read_next (GTask *task);

static void
chat_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatOperation *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n < 0)
    {
      /* The answer was already whole and only the connection's end was
       * untidy: nothing is lost, so it is complete. */
      if (!_cria_request_watch_user_cancelled (op->watch) &&
          !_cria_request_watch_timed_out (op->watch) &&
          cria_stream_interpreter_is_complete (op->interpreter))
        {
          chat_stream_ended (task);
          return;
        }

      chat_fail (task, _cria_client_translate_error (op->client, op->watch, error, TRUE));
      return;
    }

  if (n == 0)
    {
      chat_stream_ended (task);
      return;
    }

  _cria_request_watch_touch (op->watch);
  if (!cria_stream_interpreter_feed (op->interpreter, (const char *) op->buffer, (gsize) n))
    {
      /* An error event: the server has said all it will. */
      if (cria_stream_interpreter_get_error (op->interpreter) != NULL)
        {
          chat_stream_ended (task);
          return;
        }

      /* After [DONE] the body is read to its end, so the connection can be
       * reused for the next message; a server that keeps it open gets only
       * a short while. */
      _cria_request_watch_set_idle_timeout (op->watch, DRAIN_TIMEOUT_MSEC);
    }

  chat_read_next (g_steal_pointer (&task));
}

static void
chat_read_next (GTask *task)
{
  ChatOperation *op = g_task_get_task_data (task);

  g_input_stream_read_async (op->stream, op->buffer, sizeof op->buffer, G_PRIORITY_DEFAULT,
                             _cria_request_watch_get_cancellable (op->watch),
                             chat_read_cb, task);
}

static void
chat_error_body_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatOperation *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;

  if (_cria_request_watch_user_cancelled (op->watch))
    {
      chat_fail (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped")));
      return;
    }

  /* An unreadable error body still leaves the status to go by. */
  body = _cria_client_read_all_finish (op->client, result, NULL);
  chat_fail (task, _cria_client_error_for_status (op->client, op->message, body));
}

static void
chat_completion_body_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatOperation *op = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  CriaApiChunk chunk;
  gsize len;
  const char *data;

  body = _cria_client_read_all_finish (op->client, result, &error);
  if (body == NULL)
    {
      chat_fail (task, _cria_client_translate_error (op->client, op->watch, error, TRUE));
      return;
    }

  data = g_bytes_get_data (body, &len);
  _cria_api_chunk_init (&chunk);
  if (!_cria_api_parse_completion (data, len, &chunk, &error))
    {
      _cria_api_chunk_clear (&chunk);
      chat_fail (task, _cria_client_redact_error (op->client, op->message, g_steal_pointer (&error)));
      return;
    }

  /* A whole answer goes through the same interpreter as a stream, so inline
   * reasoning tags are split out the same way. */
  op->interpreter = cria_stream_interpreter_new (op->reply);
  _cria_stream_interpreter_set_whole (op->interpreter);
  _cria_stream_interpreter_apply_chunk (op->interpreter, &chunk);
  _cria_api_chunk_clear (&chunk);

  chat_stream_ended (task);
}

static gboolean
is_json_reply (SoupMessage *message)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);

  return type != NULL && (g_ascii_strcasecmp (type, "application/json") == 0 ||
                          g_str_has_suffix (type, "+json"));
}

static void
chat_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ChatOperation *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (op->stream == NULL)
    {
      chat_fail (task, _cria_client_translate_error (op->client, op->watch, error, FALSE));
      return;
    }

  _cria_request_watch_touch (op->watch);

  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (op->message)))
    {
      _cria_client_read_all_async (op->client, op->stream, op->watch, MAX_ERROR_BODY,
                                   chat_error_body_cb, g_steal_pointer (&task));
      return;
    }

  /* Some servers ignore "stream": true and answer whole; the content type says. */
  if (is_json_reply (op->message))
    {
      _cria_client_read_all_async (op->client, op->stream, op->watch, MAX_COMPLETION_BODY,
                                   chat_completion_body_cb, g_steal_pointer (&task));
      return;
    }

  op->interpreter = cria_stream_interpreter_new (op->reply);
  chat_read_next (g_steal_pointer (&task));
}

void
cria_client_chat_async (CriaClient          *self,
                        CriaChatRequest     *request,
                        CriaChatReply       *reply,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  ChatOperation *op;
  gboolean stream;

  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (request));
  g_return_if_fail (CRIA_IS_CHAT_REPLY (reply));
  g_return_if_fail (cria_chat_reply_get_state (reply) == CRIA_CHAT_REPLY_STATE_PENDING &&
                    cria_chat_reply_get_error (reply) == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_client_chat_async);
  g_task_set_check_cancellable (task, FALSE);

  op = g_new0 (ChatOperation, 1);
  op->client = g_object_ref (self);
  op->reply = g_object_ref (reply);
  op->prompt_estimate = estimate_prompt_tokens (request);
  g_task_set_task_data (task, op, (GDestroyNotify) chat_operation_free);

  _cria_chat_reply_begin (reply);

  if (_cria_client_check_can_send (self, &error))
    body = _cria_api_build_chat_body (request, &error);
  if (body == NULL)
    {
      chat_finish (task, CRIA_CHAT_REPLY_STATE_FAILED, g_steal_pointer (&error));
      return;
    }

  stream = cria_chat_request_get_stream (request);
  op->message = _cria_client_new_message (self, "POST", "/chat/completions", body,
                                          stream ? "text/event-stream" : "application/json");
  op->watch = _cria_request_watch_new (self, op->message, cancellable,
                                       stream ? cria_client_get_idle_timeout (self)
                                              : MAX (cria_client_get_idle_timeout (self),
                                                     CRIA_CLIENT_NON_STREAM_TIMEOUT_MSEC));

  soup_session_send_async (cria_client_get_session (self), op->message, G_PRIORITY_DEFAULT,
                           _cria_request_watch_get_cancellable (op->watch),
                           chat_send_cb, g_steal_pointer (&task));
}

gboolean
cria_client_chat_finish (CriaClient    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* cria-stream-interpreter.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-api-private.h"
#include "cria-chat-reply-private.h"
#include "cria-reasoning-splitter.h"
#include "cria-sse-parser.h"
#include "cria-stream-interpreter-private.h"

struct _CriaStreamInterpreter
{
  CriaChatReply         *reply;
  CriaSseParser         *parser;
  CriaReasoningSplitter *splitter;
  GError                *error;
  guint                  n_bad_chunks;
  guint                  saw_done : 1;
  guint                  saw_finish : 1;
  guint                  saw_data : 1;
  guint                  saw_reasoning_field : 1;
  guint                  ended : 1;
};

static gboolean
is_over (CriaStreamInterpreter *self)
{
  return self->saw_done || self->error != NULL;
}

static void
splitter_cb (const char *answer,
             const char *reasoning,
             gboolean    reclassified,
             gpointer    user_data)
{
  CriaStreamInterpreter *self = user_data;

  if (reclassified)
    {
      _cria_chat_reply_move_content_to_reasoning (self->reply, reasoning);
      return;
    }

  if (reasoning != NULL)
    _cria_chat_reply_append_reasoning (self->reply, reasoning);
  if (answer != NULL)
    _cria_chat_reply_append_content (self->reply, answer);
}

void
_cria_stream_interpreter_apply_chunk (CriaStreamInterpreter *self,
                                      CriaApiChunk          *chunk)
{
  self->saw_data = TRUE;
  _cria_chat_reply_set_model (self->reply, chunk->model);

  if (chunk->reasoning != NULL)
    {
      /* Reasoning in its own field means the server already split it out, so
       * a closing tag in the answer is the model's text, not a boundary. */
      if (!self->saw_reasoning_field)
        cria_reasoning_splitter_disable_orphan_close (self->splitter);
      self->saw_reasoning_field = TRUE;
      _cria_chat_reply_append_reasoning (self->reply, chunk->reasoning);
    }

  if (chunk->content != NULL)
    cria_reasoning_splitter_feed (self->splitter, chunk->content, strlen (chunk->content));

  for (guint i = 0; i < chunk->tool_calls->len; i++)
    {
      CriaToolCall *call = g_ptr_array_index (chunk->tool_calls, i);

      _cria_chat_reply_merge_tool_call (self->reply, call->index, call->id, call->type,
                                        call->name, call->arguments);
    }

  if (chunk->finish_reason != NULL)
    {
      self->saw_finish = TRUE;
      _cria_chat_reply_set_finish_reason (self->reply, chunk->finish_reason);
    }

  if (chunk->has_usage)
    _cria_chat_reply_set_usage (self->reply, &chunk->usage);

  if (chunk->error != NULL)
    self->error = g_steal_pointer (&chunk->error);
}

static gboolean
is_done_marker (const char *data,
                gsize       len)
{
  while (len > 0 && g_ascii_isspace (data[len - 1]))
    len--;
  while (len > 0 && g_ascii_isspace (*data))
    data++, len--;

  return len == 6 && memcmp (data, "[DONE]", 6) == 0;
}

static void
event_cb (const CriaSseEvent *event,
          gpointer            user_data)
{
  CriaStreamInterpreter *self = user_data;
  CriaApiChunk chunk;
  g_autoptr(GError) error = NULL;

  if (is_over (self))
    return;

  if (is_done_marker (event->data, event->data_len))
    {
      self->saw_done = TRUE;
      return;
    }

  if (g_str_equal (event->type, "error"))
    {
      self->saw_data = TRUE;
      self->error = _cria_api_error_from_stream_event (event->data, event->data_len);
      return;
    }

  /* Events of other types (pings, metadata some gateways add) carry no part
   * of the answer. */
  if (!g_str_equal (event->type, "message"))
    return;

  _cria_api_chunk_init (&chunk);
  if (_cria_api_parse_chunk (event->data, event->data_len, &chunk, &error))
    _cria_stream_interpreter_apply_chunk (self, &chunk);
  else
    {
      /* An unterminated last event that does not parse is the tail of a cut
       * stream; the missing finish tells the client so. A broken chunk in the
       * middle is counted and skipped rather than ending the whole answer. */
      if (event->terminated)
        self->n_bad_chunks++;
      g_debug ("Skipping an unreadable stream event: %s", error->message);
    }
  _cria_api_chunk_clear (&chunk);
}

CriaStreamInterpreter *
cria_stream_interpreter_new (CriaChatReply *reply)
{
  CriaStreamInterpreter *self;

  g_return_val_if_fail (CRIA_IS_CHAT_REPLY (reply), NULL);

  self = g_new0 (CriaStreamInterpreter, 1);
  self->reply = g_object_ref (reply);
  self->parser = cria_sse_parser_new (event_cb, self);
  self->splitter = cria_reasoning_splitter_new (splitter_cb, self);

  return self;
}

void
cria_stream_interpreter_free (CriaStreamInterpreter *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->parser, cria_sse_parser_free);
  g_clear_pointer (&self->splitter, cria_reasoning_splitter_free);
  g_clear_object (&self->reply);
  g_clear_error (&self->error);
  g_free (self);
}

gboolean
cria_stream_interpreter_feed (CriaStreamInterpreter *self,
                              const char            *bytes,
                              gsize                  len)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (!self->ended, FALSE);

  if (is_over (self))
    return FALSE;

  cria_sse_parser_feed (self->parser, bytes, len);

  return !is_over (self);
}

void
cria_stream_interpreter_end (CriaStreamInterpreter *self)
{
  g_return_if_fail (self != NULL);

  if (self->ended)
    return;

  self->ended = TRUE;
  cria_sse_parser_finish (self->parser);
  cria_reasoning_splitter_finish (self->splitter);
}

gboolean
cria_stream_interpreter_saw_done (CriaStreamInterpreter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->saw_done;
}

gboolean
cria_stream_interpreter_saw_finish (CriaStreamInterpreter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->saw_finish;
}

gboolean
cria_stream_interpreter_saw_data (CriaStreamInterpreter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->saw_data;
}

const GError *
cria_stream_interpreter_get_error (CriaStreamInterpreter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->error;
}

/* cria-stream-interpreter.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-api-chunk-reader.h"
#include "cria-api-error.h"
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
  /* The first bytes of the body, kept while no event has come: a server
   * that answers with plain JSON (an error object, or a whole completion)
   * under an event-stream type sent no event at all. */
  GByteArray            *head;
  /* A high surrogate that ended the last piece of each text, waiting for
   * its low half at the start of the next piece (0: none). Tool-call
   * arguments keep theirs by call index. */
  guint                  content_high;
  guint                  reasoning_high;
  GHashTable            *tool_highs;
  guint                  saw_done : 1;
  guint                  saw_finish : 1;
  guint                  saw_data : 1;
  guint                  saw_reasoning_field : 1;
  guint                  ended : 1;
  guint                  whole_body : 1;
};

#define MAX_HEAD (64 * 1024)

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

static inline gboolean
is_marker (gunichar c)
{
  return c >= CRIA_API_SURROGATE_MARK && c <= CRIA_API_SURROGATE_MARK + 0x7ff;
}

/* Turns the surrogate markers in @text back into characters: a high half at
 * the very end waits in *@pending for the low half that should start the
 * next piece of the same text, and every half that finds no partner becomes
 * U+FFFD. Returns the new text, or %NULL when @text needs no change. */
static char *
join_surrogates (const char *text,
                 guint      *pending)
{
  GString *out;
  gboolean changed = FALSE;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint unit = is_marker (c) ? 0xd800 + (c - CRIA_API_SURROGATE_MARK) : 0;

      if (*pending != 0)
        {
          changed = TRUE;
          if (unit >= 0xdc00)
            {
              g_string_append_unichar (out, 0x10000 + ((*pending - 0xd800) << 10) + (unit - 0xdc00));
              *pending = 0;
              continue;
            }
          g_string_append_unichar (out, 0xfffd);
          *pending = 0;
        }

      if (unit == 0)
        {
          g_string_append_unichar (out, c);
          continue;
        }

      changed = TRUE;
      if (unit < 0xdc00 && *g_utf8_next_char (p) == '\0')
        *pending = unit;
      else
        g_string_append_unichar (out, 0xfffd);
    }

  if (!changed)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static void
replace_text (char **text,
              char  *joined)
{
  if (joined == NULL)
    return;

  g_free (*text);
  *text = *joined != '\0' ? joined : (g_free (joined), NULL);
}

/* A string that is never continued in a later chunk: every half in it
 * becomes U+FFFD. */
static void
resolve_surrogates (char **text)
{
  guint pending = 0;
  char *joined = join_surrogates (*text, &pending);

  if (pending != 0)
    {
      char *with_end = g_strconcat (joined != NULL ? joined : *text, "\xEF\xBF\xBD", NULL);

      g_free (joined);
      joined = with_end;
    }
  replace_text (text, joined);
}

/* Rejoins the halves of characters that JavaScript servers split between
 * chunks, in each text the chunk carries. */
static void
join_chunk_surrogates (CriaStreamInterpreter *self,
                       CriaApiChunk          *chunk,
                       gboolean               marked)
{
  if (marked || self->content_high != 0)
    replace_text (&chunk->content, join_surrogates (chunk->content, &self->content_high));
  if (marked || self->reasoning_high != 0)
    replace_text (&chunk->reasoning, join_surrogates (chunk->reasoning, &self->reasoning_high));
  if (marked)
    {
      resolve_surrogates (&chunk->model);
      resolve_surrogates (&chunk->finish_reason);
    }

  if (!marked && self->tool_highs == NULL)
    return;

  for (guint i = 0; i < chunk->tool_calls->len; i++)
    {
      CriaToolCall *call = g_ptr_array_index (chunk->tool_calls, i);
      gpointer key = GINT_TO_POINTER (call->index);
      guint pending;

      if (self->tool_highs == NULL)
        self->tool_highs = g_hash_table_new (NULL, NULL);
      pending = GPOINTER_TO_UINT (g_hash_table_lookup (self->tool_highs, key));
      replace_text (&call->arguments, join_surrogates (call->arguments, &pending));
      if (marked)
        {
          resolve_surrogates (&call->id);
          resolve_surrogates (&call->type);
          resolve_surrogates (&call->name);
        }
      if (pending != 0)
        g_hash_table_insert (self->tool_highs, key, GUINT_TO_POINTER (pending));
      else
        g_hash_table_remove (self->tool_highs, key);
    }
}

/* The stream ended with a character's first half still waiting. */
static void
flush_surrogates (CriaStreamInterpreter *self)
{
  static const char replacement[] = "\xEF\xBF\xBD";
  GHashTableIter iter;
  gpointer key;

  if (self->content_high != 0)
    cria_reasoning_splitter_feed (self->splitter, replacement, strlen (replacement));
  if (self->reasoning_high != 0)
    _cria_chat_reply_append_reasoning (self->reply, replacement);
  self->content_high = self->reasoning_high = 0;

  if (self->tool_highs == NULL)
    return;
  g_hash_table_iter_init (&iter, self->tool_highs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    _cria_chat_reply_merge_tool_call (self->reply, GPOINTER_TO_INT (key), NULL, NULL, NULL, replacement);
  g_hash_table_remove_all (self->tool_highs);
}

void
_cria_stream_interpreter_apply_chunk (CriaStreamInterpreter *self,
                                      CriaApiChunk          *chunk)
{
  self->saw_data = TRUE;
  g_clear_pointer (&self->head, g_byte_array_unref);
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

/* Reads one chunk. What the readers refuse only for what is inside its
 * strings (bad UTF-8, a lone surrogate) is repaired and read again, so no
 * text is dropped for one broken character. */
static gboolean
parse_chunk (CriaStreamInterpreter  *self,
             const char             *data,
             gsize                   len,
             CriaApiChunk           *chunk,
             gboolean               *marked,
             GError                **error)
{
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;

  *marked = FALSE;
  if (_cria_api_parse_chunk (data, len, chunk, error))
    return TRUE;

  repaired = _cria_api_repair_json_text (data, len, TRUE, &repaired_len, marked);
  if (repaired == NULL)
    return FALSE;

  _cria_api_chunk_clear (chunk);
  _cria_api_chunk_init (chunk);
  g_clear_error (error);
  return _cria_api_parse_chunk (repaired, repaired_len, chunk, error);
}

static void
field_cb (const char *name,
          gsize       name_len,
          const char *value,
          gsize       value_len,
          gpointer    user_data)
{
  CriaStreamInterpreter *self = user_data;

  if (is_over (self))
    return;

  /* llama.cpp before 2025 ended a failed stream with a line of its own,
   * `error: {"code": 500, "message": …, "type": …}`, then `data: [DONE]`. */
  if (name_len == 5 && memcmp (name, "error", 5) == 0 && value_len > 0)
    {
      self->saw_data = TRUE;
      self->error = _cria_api_error_from_stream_event (value, value_len);
    }
}

static void
event_cb (const CriaSseEvent *event,
          gpointer            user_data)
{
  CriaStreamInterpreter *self = user_data;
  CriaApiChunk chunk;
  g_autoptr(GError) error = NULL;
  gboolean marked;

  if (is_over (self))
    return;

  g_clear_pointer (&self->head, g_byte_array_unref);

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
  if (parse_chunk (self, event->data, event->data_len, &chunk, &marked, &error))
    {
      join_chunk_surrogates (self, &chunk, marked);
      _cria_stream_interpreter_apply_chunk (self, &chunk);
    }
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

/* No event came: the body may be one JSON value sent under the wrong type,
 * like a 200 whose body is only {"error": …}. It is read as a whole
 * completion would be. */
static void
read_plain_json (CriaStreamInterpreter *self)
{
  CriaApiChunk chunk;
  const char *data = (const char *) self->head->data;
  gsize len = self->head->len;
  gsize start = 0;

  while (start < len && g_ascii_isspace (data[start]))
    start++;
  if (start == len || data[start] != '{')
    return;

  _cria_api_chunk_init (&chunk);
  if (_cria_api_parse_completion (data, len, &chunk, NULL))
    {
      self->whole_body = TRUE;
      _cria_stream_interpreter_apply_chunk (self, &chunk);
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
  cria_sse_parser_set_field_func (self->parser, field_cb, self);
  self->head = g_byte_array_new ();
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
  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_pointer (&self->tool_highs, g_hash_table_unref);
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

  if (self->head != NULL)
    {
      if (self->head->len + len <= MAX_HEAD)
        g_byte_array_append (self->head, (const guint8 *) bytes, len);
      else
        g_clear_pointer (&self->head, g_byte_array_unref);
    }

  cria_sse_parser_feed (self->parser, bytes, len);

  if (cria_sse_parser_overflowed (self->parser) && self->error == NULL)
    {
      g_autofree char *limit = g_format_size (CRIA_SSE_MAX_SIZE);

      /* Translators: %s is a size such as "16.8 MB" */
      g_autofree char *message = g_strdup_printf (_("The server sent more than %s without a break in the answer, so Cria stopped reading it."), limit);

      self->error = cria_api_error_new (CRIA_API_ERROR_FAILED, 0, NULL, -1, message);
    }

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
  if (!self->saw_data && self->error == NULL && self->head != NULL)
    read_plain_json (self);
  flush_surrogates (self);
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
cria_stream_interpreter_is_complete (CriaStreamInterpreter *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->saw_done || self->saw_finish || self->whole_body;
}

void
_cria_stream_interpreter_set_whole (CriaStreamInterpreter *self)
{
  g_return_if_fail (self != NULL);

  self->whole_body = TRUE;
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

/* cria-chat-reply.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-streaming-text.h"
#include "cria-tool-call.h"
#include "cria-usage.h"

G_BEGIN_DECLS

/**
 * CriaChatReplyState:
 * @CRIA_CHAT_REPLY_STATE_PENDING: sent, nothing received yet
 * @CRIA_CHAT_REPLY_STATE_STREAMING: reasoning or answer is arriving
 * @CRIA_CHAT_REPLY_STATE_COMPLETE: the server finished the answer
 * @CRIA_CHAT_REPLY_STATE_STOPPED: the user cancelled; what arrived is kept
 * @CRIA_CHAT_REPLY_STATE_INTERRUPTED: the stream was cut off; what arrived is kept
 * @CRIA_CHAT_REPLY_STATE_FAILED: the request failed; see cria_chat_reply_get_error()
 */
typedef enum
{
  CRIA_CHAT_REPLY_STATE_PENDING,
  CRIA_CHAT_REPLY_STATE_STREAMING,
  CRIA_CHAT_REPLY_STATE_COMPLETE,
  CRIA_CHAT_REPLY_STATE_STOPPED,
  CRIA_CHAT_REPLY_STATE_INTERRUPTED,
  CRIA_CHAT_REPLY_STATE_FAILED,
} CriaChatReplyState;

/**
 * CriaFinishReason:
 * @CRIA_FINISH_REASON_NONE: the server gave none (or not yet)
 * @CRIA_FINISH_REASON_STOP: a natural end or a stop sequence
 * @CRIA_FINISH_REASON_LENGTH: max_tokens or the context window cut the answer
 * @CRIA_FINISH_REASON_TOOL_CALLS: the model asked for tool calls
 * @CRIA_FINISH_REASON_CONTENT_FILTER: a filter withheld content
 * @CRIA_FINISH_REASON_OTHER: another value; see cria_chat_reply_get_finish_reason_string()
 */
typedef enum
{
  CRIA_FINISH_REASON_NONE,
  CRIA_FINISH_REASON_STOP,
  CRIA_FINISH_REASON_LENGTH,
  CRIA_FINISH_REASON_TOOL_CALLS,
  CRIA_FINISH_REASON_CONTENT_FILTER,
  CRIA_FINISH_REASON_OTHER,
} CriaFinishReason;

#define CRIA_TYPE_CHAT_REPLY (cria_chat_reply_get_type ())

G_DECLARE_FINAL_TYPE (CriaChatReply, cria_chat_reply, CRIA, CHAT_REPLY, GObject)

/* A reply is the live answer to one chat request: the client fills it as the
 * stream arrives. Incremental listeners use the CriaStreamingText signals it
 * implements: ::content-appended and ::reasoning-appended; ::content-reset says
 * the answer shown so far was really reasoning (see CriaReasoningSplitter) and
 * must be re-read whole. */
CriaChatReply      *cria_chat_reply_new                       (void);
CriaChatReplyState  cria_chat_reply_get_state                 (CriaChatReply *self);
gboolean            cria_chat_reply_is_finished               (CriaChatReply *self);
const char         *cria_chat_reply_get_content               (CriaChatReply *self);
const char         *cria_chat_reply_get_reasoning             (CriaChatReply *self);
GPtrArray          *cria_chat_reply_get_tool_calls            (CriaChatReply *self);
CriaFinishReason    cria_chat_reply_get_finish_reason         (CriaChatReply *self);
const char         *cria_chat_reply_get_finish_reason_string  (CriaChatReply *self);
const CriaUsage    *cria_chat_reply_get_usage                 (CriaChatReply *self);
const GError       *cria_chat_reply_get_error                 (CriaChatReply *self);
const char         *cria_chat_reply_get_model                 (CriaChatReply *self);
gint64              cria_chat_reply_get_thinking_time         (CriaChatReply *self);
gint64              cria_chat_reply_get_generation_time       (CriaChatReply *self);
double              cria_chat_reply_get_tokens_per_second     (CriaChatReply *self);

/* "stop", "length", "tool_calls", "content_filter", "other", or NULL for none. */
const char             *cria_finish_reason_to_string   (CriaFinishReason              reason);
CriaFinishReason        cria_finish_reason_from_string (const char                   *text);

G_END_DECLS

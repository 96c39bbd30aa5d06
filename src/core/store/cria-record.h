/* cria-record.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "cria-chat-message.h"
#include "cria-chat-params.h"
#include "cria-chat-reply.h"
#include "cria-document.h"
#include "cria-message-state.h"
#include "cria-source.h"
#include "cria-tool-call.h"

G_BEGIN_DECLS

/* Plain copies of a conversation and its messages, as the store keeps them and
 * as export and import carry them. Unlike CriaConversation and CriaMessage
 * they may cross threads. Times are microseconds since the Unix epoch. */
typedef struct
{
  char           *id;
  char           *title;
  char           *model;
  char           *system_prompt;
  /* Never NULL. */
  CriaChatParams *params;
  gboolean        pinned;
  gint64          created;
  gint64          updated;
  /* The chat's tool settings as JSON text (see
   * cria_conversation_dup_tool_settings()), or NULL for the defaults. */
  char           *tools;
} CriaConversationRecord;

typedef struct
{
  char             *id;
  CriaRole          role;
  char             *content;
  char             *reasoning;
  CriaMessageState  state;
  char             *model;
  /* Never NULL. */
  CriaChatParams   *params;
  /* -1 when unknown. */
  gint64            tokens_in;
  gint64            tokens_out;
  gint64            reasoning_tokens;
  gboolean          estimated;
  /* Negative when unknown. */
  double            cost;
  gint64            thinking_time;
  double            tokens_per_second;
  /* Why an answer failed or was cut off, or NULL. */
  char             *error;
  gint64            created;
  /* Never NULL; data: or http(s): URLs. */
  GStrv             image_urls;
  /* Never NULL; CriaDocument, shared (they are immutable): the documents
   * a user message carries, in the order they were attached. */
  GPtrArray        *documents;
  /* Never NULL; CriaSource, shared (they are immutable): the passages of
   * documents an answer was given with, best first. */
  GPtrArray        *sources;
  CriaFinishReason  finish_reason;
  /* Never NULL; CriaToolCall. An answer's are the calls it asked for; a
   * tool message's is the one call it answers. */
  GPtrArray        *tool_calls;
  /* A tool message's: where its call stands, and how long it ran
   * (microseconds; 0 when it never ran). */
  CriaToolStatus    tool_status;
  gint64            tool_duration;
} CriaMessageRecord;

#define CRIA_TYPE_CONVERSATION_RECORD (cria_conversation_record_get_type ())
#define CRIA_TYPE_MESSAGE_RECORD (cria_message_record_get_type ())

GType                   cria_conversation_record_get_type (void) G_GNUC_CONST;
GType                   cria_message_record_get_type   (void) G_GNUC_CONST;
/* A new record with @id, or a fresh UUID when @id is NULL. */
CriaConversationRecord *cria_conversation_record_new   (const char                   *id);
CriaConversationRecord *cria_conversation_record_copy  (const CriaConversationRecord *record);
void                    cria_conversation_record_free  (CriaConversationRecord       *record);
gboolean                cria_conversation_record_equal (const CriaConversationRecord *a,
                                                        const CriaConversationRecord *b);

CriaMessageRecord      *cria_message_record_new        (void);
CriaMessageRecord      *cria_message_record_copy       (const CriaMessageRecord      *record);
void                    cria_message_record_free       (CriaMessageRecord            *record);
gboolean                cria_message_record_equal      (const CriaMessageRecord      *a,
                                                        const CriaMessageRecord      *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaConversationRecord, cria_conversation_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMessageRecord, cria_message_record_free)

G_END_DECLS

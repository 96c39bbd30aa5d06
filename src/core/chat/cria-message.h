/* cria-message.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-chat-message.h"
#include "cria-chat-reply.h"
#include "cria-document.h"
#include "cria-message-state.h"
#include "cria-record.h"
#include "cria-source.h"
#include "cria-usage.h"

G_BEGIN_DECLS


#define CRIA_TYPE_MESSAGE (cria_message_get_type ())

G_DECLARE_FINAL_TYPE (CriaMessage, cria_message, CRIA, MESSAGE, GObject)

/* One message of a conversation as a view shows it. While an answer streams,
 * the text grows through the CriaStreamingText signals it implements, repeated
 * from the reply after the message took the text in: ::content-appended and
 * ::reasoning-appended only;
 * "content" and "reasoning" are notified when set whole or when the answer ends.
 * The setters are for the conversation and for restoring a saved message. */
CriaMessage        *cria_message_new                   (CriaRole             role,
                                                        const char          *content);
const char         *cria_message_get_id                (CriaMessage         *self);
CriaRole            cria_message_get_role              (CriaMessage         *self);
GDateTime          *cria_message_get_created           (CriaMessage         *self);
const char         *cria_message_get_content           (CriaMessage         *self);
void                cria_message_set_content           (CriaMessage         *self,
                                                        const char          *content);
const char         *cria_message_get_reasoning         (CriaMessage         *self);
void                cria_message_set_reasoning         (CriaMessage         *self,
                                                        const char          *reasoning);
const char         *cria_message_get_model             (CriaMessage         *self);
void                cria_message_set_model             (CriaMessage         *self,
                                                        const char          *model);
CriaMessageState    cria_message_get_state             (CriaMessage         *self);
void                cria_message_set_state             (CriaMessage         *self,
                                                        CriaMessageState     state);
const GError       *cria_message_get_error             (CriaMessage         *self);
void                cria_message_set_error             (CriaMessage         *self,
                                                        const GError        *error);
const CriaUsage    *cria_message_get_usage             (CriaMessage         *self);
void                cria_message_set_usage             (CriaMessage         *self,
                                                        const CriaUsage     *usage);
double              cria_message_get_cost              (CriaMessage         *self);
void                cria_message_set_cost              (CriaMessage         *self,
                                                        double               cost);
gint64              cria_message_get_thinking_time     (CriaMessage         *self);
void                cria_message_set_thinking_time     (CriaMessage         *self,
                                                        gint64               usec);
double              cria_message_get_tokens_per_second (CriaMessage         *self);
void                cria_message_set_tokens_per_second (CriaMessage         *self,
                                                        double               tokens_per_second);
const char * const *cria_message_get_image_urls        (CriaMessage         *self);
void                cria_message_set_image_urls        (CriaMessage         *self,
                                                        const char * const  *urls);
/* The documents a user message carries (element-type CriaDocument): the
 * content stays the text the user typed; a request sends each document's
 * text before it (see cria_request_plan_message_text()). Never %NULL; set
 * keeps references, %NULL for none. */
GPtrArray          *cria_message_get_documents         (CriaMessage         *self);
void                cria_message_set_documents         (CriaMessage         *self,
                                                        GPtrArray           *documents);
/* The passages of documents an answer was given with (element-type
 * CriaSource), shown as its Sources. Never %NULL; set keeps references,
 * %NULL for none. */
GPtrArray          *cria_message_get_sources           (CriaMessage         *self);
void                cria_message_set_sources           (CriaMessage         *self,
                                                        GPtrArray           *sources);
/* Why the server ended the answer (of its last part, for a continued one). */
CriaFinishReason    cria_message_get_finish_reason     (CriaMessage         *self);
void                cria_message_set_finish_reason     (CriaMessage         *self,
                                                        CriaFinishReason     reason);
/* The tool calls the answer asked for, shown but not run (element-type
 * CriaToolCall); never %NULL. */
GPtrArray          *cria_message_get_tool_calls        (CriaMessage         *self);
void                cria_message_set_tool_calls        (CriaMessage         *self,
                                                        GPtrArray           *tool_calls);
/* A tool message (role CRIA_ROLE_TOOL) answers one call of the answer
 * before it: the call (its id, the tool's name and the arguments the model
 * wrote) is its one tool call, its content the result, and its tool status
 * and duration say where the call stands and how long it ran. */
const CriaToolCall *cria_message_get_tool_call         (CriaMessage         *self);
CriaToolStatus      cria_message_get_tool_status       (CriaMessage         *self);
void                cria_message_set_tool_status       (CriaMessage         *self,
                                                        CriaToolStatus       status);
gint64              cria_message_get_tool_duration     (CriaMessage         *self);
void                cria_message_set_tool_duration     (CriaMessage         *self,
                                                        gint64               usec);
/* Whether the answer was cut short with text to go on from: the length limit
 * ended it, or its stream broke off. See cria_conversation_continue_async(). */
gboolean            cria_message_can_continue          (CriaMessage         *self);

/* A snapshot of @message as it is now. */
CriaMessageRecord      *cria_message_record_new_from_message (CriaMessage            *message);
/* A message as it was saved; one saved while streaming comes back interrupted. */
CriaMessage            *cria_message_record_to_message (const CriaMessageRecord      *record);

G_END_DECLS

/* cria-request-plan.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-chat-params.h"
#include "cria-chat-request.h"
#include "cria-message.h"
#include "cria-model.h"

G_BEGIN_DECLS

/**
 * CriaRequestPlan:
 * @request: the request to send
 * @n_omitted_messages: how many sendable messages, oldest first, were left
 *   out to fit the context window
 * @n_omitted_images: how many images of the messages sent were left out
 *   because the model sees none
 *
 * What of a conversation goes to the model, and what it leaves out. Making a
 * plan changes nothing: the conversation applies what it says.
 */
typedef struct
{
  CriaChatRequest *request;
  guint            n_omitted_messages;
  guint            n_omitted_images;
} CriaRequestPlan;

/* Chat-template framing around each message, in tokens. */
#define CRIA_REQUEST_TOKENS_PER_MESSAGE 4

CriaRequestPlan *cria_request_plan_new             (const char           *model_id,
                                                    const char           *system_prompt,
                                                    const CriaChatParams *params,
                                                    GPtrArray            *messages,
                                                    guint                 end,
                                                    gint64                budget,
                                                    gboolean              with_images);
CriaRequestPlan *cria_request_plan_new_full        (const char           *model_id,
                                                    const char           *system_prompt,
                                                    const CriaChatParams *params,
                                                    GPtrArray            *messages,
                                                    guint                 end,
                                                    gint64                budget,
                                                    gboolean              with_images,
                                                    gint64                document_limit,
                                                    const char           *retrieved);
void             cria_request_plan_free            (CriaRequestPlan      *plan);

/* Which of a message's documents go whole and which are searched. */
void             cria_request_plan_split_documents (GPtrArray            *documents,
                                                    gint64                limit,
                                                    GPtrArray           **inline_documents,
                                                    GPtrArray           **searched);
/* The passages found for a question, fenced and labelled as they are sent. */
char            *cria_request_plan_sources_text    (GPtrArray            *sources);
/* cria_request_plan_message_tokens() sending whole only the documents
 * within @limit. */
gint64           cria_request_plan_message_tokens_limited (CriaMessage    *message,
                                                    gint64                limit);

/* Whether @message goes into a request at all. */
gboolean         cria_request_plan_is_sendable     (CriaMessage          *message);
/* The estimated tokens of @documents' text together (element-type
 * CriaDocument; nullable). */
gint64           cria_request_plan_documents_tokens (GPtrArray           *documents);
/* The estimated tokens of @message as a request sends it, its documents
 * included. */
gint64           cria_request_plan_message_tokens  (CriaMessage          *message);
/* The text content of @message as a request sends it: each of its
 * documents' cria_document_to_prompt(), then its content. */
char            *cria_request_plan_message_text    (CriaMessage          *message);
/* The estimated tokens of @text as one message. */
gint64           cria_request_plan_text_tokens     (const char           *text);
/* The tokens a request to @model may use, or -1 when unknown. */
gint64           cria_request_plan_budget          (CriaModel            *model);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaRequestPlan, cria_request_plan_free)

G_END_DECLS

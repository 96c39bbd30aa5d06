/* cria-conversation-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-chat-request.h"
#include "cria-conversation.h"
#include "cria-request-plan.h"

G_BEGIN_DECLS

typedef struct _ReplyOp ReplyOp;

struct _CriaConversation
{
  GObject     parent_instance;

  GPtrArray  *messages;
  CriaClient *client;
  GListModel *models;
  char       *title;
  /* TRUE while the title is the one made from the first user message, which
   * editing that message remakes; a title set by hand is left alone. */
  gboolean    title_is_auto;
  char       *model_id;
  char       *system_prompt;
  double      total_cost;
  gboolean    total_cost_estimated;
  gint64      context_tokens;
  guint       n_omitted_messages;
  /* Requests larger than this are refused before sending; 0 for no limit. */
  gint64      max_request_size;
  /* The sampling parameters, never NULL: the only copy of them. */
  CriaChatParams *params;
  /* The running answer; the conversation is busy while there is one. */
  ReplyOp    *op;
};

/* cria-conversation.c */
void             _cria_conversation_update_figures         (CriaConversation *self);
void             _cria_conversation_notify_busy            (CriaConversation *self);

/* cria-conversation-reply.c: the answer being streamed */
void             _cria_conversation_run_reply              (CriaConversation *self,
                                                            CriaMessage      *answer,
                                                            CriaChatReply    *reply,
                                                            CriaChatRequest  *request,
                                                            gboolean          continuation,
                                                            GTask            *task);
/* The message the running answer streams into, or %NULL. */
CriaMessage     *_cria_conversation_get_reply_message      (CriaConversation *self);

/* cria-conversation-request.c: what of the conversation goes to the model */
gint64           _cria_conversation_history_tokens         (CriaConversation *self,
                                                            guint             end);
/* The plan of the request for the messages before @end, within the context
 * budget; the conversation applies what it left out. */
CriaRequestPlan *_cria_conversation_plan_request           (CriaConversation *self,
                                                            guint             end);
/* The bytes of the request that would send @text and @image_urls after the
 * whole history: every earlier image goes out again with each turn. */
gint64           _cria_conversation_request_size           (CriaConversation   *self,
                                                            const char         *text,
                                                            const char * const *image_urls);

G_END_DECLS

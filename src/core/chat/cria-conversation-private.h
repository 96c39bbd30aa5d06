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
typedef struct _ToolRound ToolRound;
typedef struct _RetrievalOp RetrievalOp;

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

  /* Tools (cria-conversation-tools.c). */
  CriaToolbox *toolbox;
  gboolean     tools_enabled;
  /* Whether the switch was set, by the user or from the store; until it
   * is, the user's default applies. */
  gboolean     tools_chosen;
  char        *tool_choice;
  /* The sources whose tools this chat leaves out (cria_toolbox_lookup()). */
  GStrv        tool_sources_off;
  guint        max_tool_rounds;
  /* The tool rounds of the running turn so far. */
  guint        n_tool_rounds;
  /* The calls running or waiting for the user; busy while there are. */
  ToolRound   *tool_round;

  /* Long documents (cria-conversation-retrieval.c). */
  CriaRetrieval *retrieval;
  /* Indexing before a question, or searching before its answer; busy
   * while there is one. */
  RetrievalOp   *retrieval_op;
  /* Embeddings paid for before the answer that bears their cost exists. */
  double         pending_retrieval_cost;
};

/* cria-conversation.c */
void             _cria_conversation_update_figures         (CriaConversation *self);
void             _cria_conversation_notify_busy            (CriaConversation *self);

/* Appends @message, in one items-changed. */
void             _cria_conversation_append                 (CriaConversation *self,
                                                            CriaMessage      *message);
/* A new answer at the end to the whole conversation, for @task's turn: the
 * model's turn after tool results. */
void             _cria_conversation_follow_up              (CriaConversation *self,
                                                            GTask            *task);

/* cria-conversation-tools.c: the tool loop */
void             _cria_conversation_tools_class_init       (GObjectClass     *object_class,
                                                            guint             first_id);
void             _cria_conversation_tools_init             (CriaConversation *self);
void             _cria_conversation_tools_dispose          (CriaConversation *self);
gboolean         _cria_conversation_tools_get_property     (CriaConversation *self,
                                                            guint             prop_id,
                                                            GValue           *value);
gboolean         _cria_conversation_tools_set_property     (CriaConversation *self,
                                                            guint             prop_id,
                                                            const GValue     *value);
void             _cria_conversation_notify_tools_reason    (CriaConversation *self);
void             _cria_conversation_apply_tools            (CriaConversation *self,
                                                            CriaChatRequest  *request);
void             _cria_conversation_begin_turn             (CriaConversation *self);
gboolean         _cria_conversation_run_tools              (CriaConversation *self,
                                                            CriaMessage      *answer,
                                                            GTask            *task);
void             _cria_conversation_stop_tools             (CriaConversation *self);

/* Appends the question and starts its answer (after indexing, if any). */
void             _cria_conversation_append_question        (CriaConversation   *self,
                                                            const char         *text,
                                                            const char * const *image_urls,
                                                            GPtrArray          *documents,
                                                            GTask              *task);
/* Builds the request for the messages before @position with @retrieved
 * (nullable) before the newest question and streams it into @answer, whose
 * cost starts at @cost (negative when unknown). */
void             _cria_conversation_reply_with             (CriaConversation *self,
                                                            CriaMessage      *answer,
                                                            CriaChatReply    *reply,
                                                            guint             position,
                                                            const char       *retrieved,
                                                            double            cost,
                                                            GTask            *task);

/* cria-conversation-retrieval.c */
/* The inline limit when documents past it are searched, else -1. */
gint64           _cria_conversation_document_limit         (CriaConversation *self);
GPtrArray       *_cria_conversation_searched_documents     (CriaConversation *self,
                                                            guint             end,
                                                            GPtrArray        *extra);
/* FALSE when nothing is searched; else indexes, then appends the question. */
gboolean         _cria_conversation_index_then_send        (CriaConversation   *self,
                                                            const char         *text,
                                                            const char * const *image_urls,
                                                            GPtrArray          *documents,
                                                            GTask              *task);
/* FALSE when nothing is searched; else searches, then replies. */
gboolean         _cria_conversation_search_then_reply      (CriaConversation *self,
                                                            CriaMessage      *answer,
                                                            CriaChatReply    *reply,
                                                            guint             position,
                                                            GTask            *task);
/* FALSE when no retrieval runs; else ends it as stopped. */
gboolean         _cria_conversation_stop_retrieval         (CriaConversation *self);

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
                                                            guint             end,
                                                            const char       *retrieved);
/* The bytes of the request that would send @text, @image_urls and
 * @documents (nullable) after the whole history: every earlier image and
 * document goes out again with each turn. */
gint64           _cria_conversation_request_size           (CriaConversation   *self,
                                                            const char         *text,
                                                            const char * const *image_urls,
                                                            GPtrArray          *documents);
/* FALSE, with G_IO_ERROR_MESSAGE_TOO_LARGE saying what to do, when the
 * request sending these would pass the maximum request size. */
gboolean         _cria_conversation_check_request_size     (CriaConversation    *self,
                                                            const char          *text,
                                                            const char * const  *image_urls,
                                                            GPtrArray           *documents,
                                                            GError             **error);
/* FALSE, with G_IO_ERROR_MESSAGE_TOO_LARGE naming a document, when
 * @documents together pass the inline document limit. */
gboolean         _cria_conversation_check_documents        (CriaConversation   *self,
                                                            GPtrArray          *documents,
                                                            GError            **error);

G_END_DECLS

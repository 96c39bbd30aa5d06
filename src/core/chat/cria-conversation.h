/* cria-conversation.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-chat-params.h"
#include "cria-client.h"
#include "cria-message.h"
#include "cria-retrieval.h"
#include "cria-toolbox.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CONVERSATION (cria_conversation_get_type ())

G_DECLARE_FINAL_TYPE (CriaConversation, cria_conversation, CRIA, CONVERSATION, GObject)

/* A chat: a GListModel of CriaMessage that a window binds to, and the actions
 * that talk to LlamaGate. Everything runs on the main context.
 *
 * items-changed, exactly:
 *   send:              (n, 0, 1) for the user message, then (n + 1, 0, 1)
 *                      for the assistant message that streams the answer;
 *   regenerate:        (p, k, 1) once, where p is the position after the last
 *                      user message and k the messages there (0 or the old
 *                      answer): the new answer takes the old one's place;
 *   edit-and-resend:   (p + 1, k, 1) once, p being the edited message: the k
 *                      later messages go and the new answer comes in one step;
 *   delete:            (p, 1, 0);
 *   continue:          none: the answer grows in place.
 *
 * A running reply keeps the conversation alive until it ends, as any pending
 * GTask keeps its source object; cria_conversation_stop() ends it at once. */
CriaConversation *cria_conversation_new                      (CriaClient          *client,
                                                              GListModel          *models);

CriaClient       *cria_conversation_get_client               (CriaConversation    *self);
void              cria_conversation_set_client               (CriaConversation    *self,
                                                              CriaClient          *client);
GListModel       *cria_conversation_get_models               (CriaConversation    *self);
void              cria_conversation_set_models               (CriaConversation    *self,
                                                              GListModel          *models);
const char       *cria_conversation_get_title                (CriaConversation    *self);
void              cria_conversation_set_title                (CriaConversation    *self,
                                                              const char          *title);
const char       *cria_conversation_get_model_id             (CriaConversation    *self);
void              cria_conversation_set_model_id             (CriaConversation    *self,
                                                              const char          *model_id);
const char       *cria_conversation_get_system_prompt        (CriaConversation    *self);
void              cria_conversation_set_system_prompt        (CriaConversation    *self,
                                                              const char          *system_prompt);
gboolean          cria_conversation_get_busy                 (CriaConversation    *self);
double            cria_conversation_get_total_cost           (CriaConversation    *self);
gboolean          cria_conversation_get_total_cost_estimated (CriaConversation    *self);
gint64            cria_conversation_get_context_tokens       (CriaConversation    *self);
guint             cria_conversation_get_n_omitted_messages   (CriaConversation    *self);
gboolean          cria_conversation_would_overflow           (CriaConversation    *self,
                                                              const char          *text);

/* Appends @text as a user message and streams the answer into a new assistant
 * message. Refused, with nothing appended, while busy (G_IO_ERROR_BUSY), for
 * blank text (G_IO_ERROR_INVALID_ARGUMENT) and without a client or model
 * (G_IO_ERROR_NOT_INITIALIZED). Once appended, the user message stays
 * whatever happens; a failed answer carries its error. finish fails with
 * G_IO_ERROR_CANCELLED when the answer was stopped. */
void              cria_conversation_send_async               (CriaConversation    *self,
                                                              const char          *text,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
/* The same with images: @image_urls are data URLs (CriaPreparedImage's), sent
 * as image_url parts after the text, which may then be blank. Also refused,
 * with nothing appended, when the model is known to have no vision
 * (G_IO_ERROR_NOT_SUPPORTED) and when the request would exceed the maximum
 * request size (G_IO_ERROR_MESSAGE_TOO_LARGE); the messages say what to do.
 * Finish with cria_conversation_send_finish(). */
void              cria_conversation_send_with_images_async   (CriaConversation    *self,
                                                              const char          *text,
                                                              const char * const  *image_urls,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
/* The same with documents too (element-type CriaDocument, nullable): the
 * user message keeps @text as its content and carries @documents; every
 * request that includes it sends each document's text before @text (which
 * may be blank when there are documents). Documents past
 * cria_conversation_get_inline_document_limit() are searched when the
 * conversation has a retrieval (cria_conversation_set_retrieval()): each is
 * indexed first ("indexing-progress" tells how far; the question is
 * appended once all are), and each request sends the passages that answer
 * its question instead, which the answer keeps as its sources. Without a
 * retrieval they are refused, with nothing appended
 * (G_IO_ERROR_MESSAGE_TOO_LARGE, naming a document). Finish with
 * cria_conversation_send_finish(). */
void              cria_conversation_send_with_attachments_async (CriaConversation    *self,
                                                                 const char          *text,
                                                                 const char * const  *image_urls,
                                                                 GPtrArray           *documents,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
gboolean          cria_conversation_send_finish              (CriaConversation    *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Answers the last user message anew, replacing the answer after it. */
void              cria_conversation_regenerate_async         (CriaConversation    *self,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean          cria_conversation_regenerate_finish        (CriaConversation    *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Gives the user message @message the text @new_text, drops every message
 * after it and sends from there; its images and documents stay, and with
 * them @new_text may be blank. */
void              cria_conversation_edit_and_resend_async    (CriaConversation    *self,
                                                              CriaMessage         *message,
                                                              const char          *new_text,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean          cria_conversation_edit_and_resend_finish   (CriaConversation    *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Asks the model to go on with @message, an answer cut short (see
 * cria_message_can_continue()), and appends what comes to the same message:
 * the request is the history up to it, it, and an instruction to continue.
 * The message streams again in place (no items-changed); its usage and cost
 * become those of both requests. Stopping keeps both parts. Refused while
 * busy, for a message that cannot be continued, and for one that is not
 * the last message of the conversation. */
void              cria_conversation_continue_async           (CriaConversation    *self,
                                                              CriaMessage         *message,
                                                              GCancellable        *cancellable,
                                                              GAsyncReadyCallback  callback,
                                                              gpointer             user_data);
gboolean          cria_conversation_continue_finish          (CriaConversation    *self,
                                                              GAsyncResult        *result,
                                                              GError             **error);
/* Ends the running answer now, keeping what arrived (state STOPPED); busy is
 * FALSE on return, so a new send can follow at once. */
void              cria_conversation_stop                     (CriaConversation    *self);
/* Removes @message; the answer it is streaming, if any, is stopped first. */
void              cria_conversation_delete                   (CriaConversation    *self,
                                                              CriaMessage         *message);

gboolean          cria_conversation_can_see_images           (CriaConversation    *self);
gint64            cria_conversation_estimate_request_size    (CriaConversation    *self,
                                                              const char          *text,
                                                              const char * const  *image_urls);
/* The same, counting @documents (element-type CriaDocument, nullable)
 * about to be sent too. */
gint64            cria_conversation_estimate_request_size_full (CriaConversation   *self,
                                                                const char         *text,
                                                                const char * const *image_urls,
                                                                GPtrArray          *documents);
/* In tokens: how much document text one message may carry inline. */
gint64            cria_conversation_get_inline_document_limit (CriaConversation  *self);
/* What answers from documents too long to send whole; %NULL (the default)
 * refuses such documents. */
void              cria_conversation_set_retrieval            (CriaConversation    *self,
                                                              CriaRetrieval       *retrieval);
CriaRetrieval    *cria_conversation_get_retrieval            (CriaConversation    *self);
GPtrArray        *cria_conversation_dup_searched_documents   (CriaConversation    *self,
                                                              GPtrArray           *documents);
/* In bytes; 0 (the default) sets no limit. */
void              cria_conversation_set_max_request_size     (CriaConversation    *self,
                                                              gint64               max_size);
gint64            cria_conversation_get_max_request_size     (CriaConversation    *self);

/* The sampling parameters (the "params" property), and shortcuts to two of
 * them: a negative temperature or 0 tokens leave the server's default. */
void              cria_conversation_set_temperature          (CriaConversation    *self,
                                                              double               temperature);
double            cria_conversation_get_temperature          (CriaConversation    *self);
void              cria_conversation_set_max_tokens           (CriaConversation    *self,
                                                              gint64               max_tokens);
gint64            cria_conversation_get_max_tokens           (CriaConversation    *self);
void              cria_conversation_set_params               (CriaConversation     *self,
                                                              const CriaChatParams *params);
const CriaChatParams *cria_conversation_get_params           (CriaConversation    *self);
/* Tools. With a toolbox, tools enabled and a model that can call tools (or
 * one nothing is known about), each request offers the toolbox's tools. The
 * calls an answer asks for become tool messages after it (items-changed
 * (n, 0, 1) each), run together, those whose tool asks once the user allowed
 * them (cria_conversation_answer_tool_call()), and then the model is asked
 * again in a new answer (n, 0, 1), until it answers without calls or
 * max-tool-rounds rounds have run: then a failed answer says so, and finish
 * fails. The conversation stays busy for the whole turn; stopping ends it at
 * any step, the calls not yet ended marked stopped. */
typedef enum
{
  CRIA_TOOL_ANSWER_ALLOW_ONCE,
  CRIA_TOOL_ANSWER_ALLOW_ALWAYS,
  CRIA_TOOL_ANSWER_DENY,
} CriaToolAnswer;

CriaToolbox      *cria_conversation_get_toolbox              (CriaConversation    *self);
void              cria_conversation_set_toolbox              (CriaConversation    *self,
                                                              CriaToolbox         *toolbox);
gboolean          cria_conversation_get_tools_enabled        (CriaConversation    *self);
void              cria_conversation_set_tools_enabled        (CriaConversation    *self,
                                                              gboolean             enabled);
gboolean          cria_conversation_get_tools_chosen         (CriaConversation    *self);
/* The tool settings the store keeps: the switch (once set), the forced
 * tool and the sources left out, as JSON text; %NULL while all are the
 * defaults. Loading text that is not such JSON changes nothing. */
char             *cria_conversation_dup_tool_settings        (CriaConversation    *self);
void              cria_conversation_load_tool_settings       (CriaConversation    *self,
                                                              const char          *json);
const char * const *cria_conversation_get_tool_sources_off   (CriaConversation    *self);
void              cria_conversation_set_tool_sources_off     (CriaConversation    *self,
                                                              const char * const  *sources_off);
const char       *cria_conversation_get_tool_choice          (CriaConversation    *self);
void              cria_conversation_set_tool_choice          (CriaConversation    *self,
                                                              const char          *choice);
guint             cria_conversation_get_max_tool_rounds      (CriaConversation    *self);
void              cria_conversation_set_max_tool_rounds      (CriaConversation    *self,
                                                              guint                max_rounds);
const char       *cria_conversation_get_tools_unavailable_reason (CriaConversation *self);
void              cria_conversation_answer_tool_call         (CriaConversation    *self,
                                                              CriaMessage         *message,
                                                              CriaToolAnswer       answer);

/* Appends saved messages, in one items-changed (position, 0, n). */
void              cria_conversation_restore                  (CriaConversation    *self,
                                                              GPtrArray           *messages);

G_END_DECLS

/* cria-chat-reply-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-chat-reply.h"

G_BEGIN_DECLS

/* Mutators for the client and the stream interpreter; widgets only read. */
void _cria_chat_reply_begin                (CriaChatReply      *self);
void _cria_chat_reply_append_content       (CriaChatReply      *self,
                                            const char         *text);
void _cria_chat_reply_append_reasoning     (CriaChatReply      *self,
                                            const char         *text);
void _cria_chat_reply_move_content_to_reasoning (CriaChatReply *self,
                                            const char         *reasoning);
void _cria_chat_reply_merge_tool_call      (CriaChatReply      *self,
                                            int                 index,
                                            const char         *id,
                                            const char         *type,
                                            const char         *name,
                                            const char         *arguments);
void _cria_chat_reply_set_finish_reason    (CriaChatReply      *self,
                                            const char         *reason);
void _cria_chat_reply_set_usage            (CriaChatReply      *self,
                                            const CriaUsage    *usage);
void _cria_chat_reply_set_model            (CriaChatReply      *self,
                                            const char         *model);
void _cria_chat_reply_finish               (CriaChatReply      *self,
                                            CriaChatReplyState  state,
                                            const GError       *error,
                                            gint64              estimated_prompt_tokens);

G_END_DECLS

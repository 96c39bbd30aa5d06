/* cria-message-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-chat-reply.h"
#include "cria-message.h"

G_BEGIN_DECLS

/* For CriaConversation: a message mirrors the reply that answers it. */
void           _cria_message_follow_reply (CriaMessage   *self,
                                           CriaChatReply *reply);
CriaChatReply *_cria_message_get_reply    (CriaMessage   *self);
void           _cria_message_end_reply    (CriaMessage   *self);
/* Follows @reply as a continuation: its text is appended to the text there
 * is, and its usage added to the usage there was. */
void           _cria_message_continue_reply (CriaMessage   *self,
                                             CriaChatReply *reply);
/* Sets the usage of the reply followed last, added to that of the parts
 * before it when the answer was continued. */
void           _cria_message_set_reply_usage (CriaMessage     *self,
                                              const CriaUsage *usage);

G_END_DECLS

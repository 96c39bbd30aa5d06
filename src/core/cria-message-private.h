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

G_END_DECLS

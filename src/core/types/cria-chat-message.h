/* cria-chat-message.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-tool-call.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_ROLE_SYSTEM,
  CRIA_ROLE_USER,
  CRIA_ROLE_ASSISTANT,
  CRIA_ROLE_TOOL,
} CriaRole;

#define CRIA_TYPE_CHAT_MESSAGE (cria_chat_message_get_type ())

G_DECLARE_FINAL_TYPE (CriaChatMessage, cria_chat_message, CRIA, CHAT_MESSAGE, GObject)

CriaChatMessage *cria_chat_message_new              (CriaRole         role,
                                                     const char      *content);
CriaRole         cria_chat_message_get_role         (CriaChatMessage *self);
const char      *cria_chat_message_get_content      (CriaChatMessage *self);
void             cria_chat_message_set_content      (CriaChatMessage *self,
                                                     const char      *content);
const char      *cria_chat_message_get_reasoning    (CriaChatMessage *self);
void             cria_chat_message_set_reasoning    (CriaChatMessage *self,
                                                     const char      *reasoning);
void             cria_chat_message_add_image_url    (CriaChatMessage *self,
                                                     const char      *url);
GPtrArray       *cria_chat_message_get_image_urls   (CriaChatMessage *self);
const char      *cria_chat_message_get_tool_call_id (CriaChatMessage *self);
void             cria_chat_message_set_tool_call_id (CriaChatMessage *self,
                                                     const char      *tool_call_id);
void             cria_chat_message_add_tool_call    (CriaChatMessage    *self,
                                                     const CriaToolCall *call);
GPtrArray       *cria_chat_message_get_tool_calls   (CriaChatMessage *self);

const char      *cria_role_to_string                (CriaRole         role);

gboolean                cria_role_from_string          (const char                   *text,
                                                        CriaRole                     *role);

G_END_DECLS

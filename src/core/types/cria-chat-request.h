/* cria-chat-request.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-chat-message.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CHAT_REQUEST (cria_chat_request_get_type ())

G_DECLARE_FINAL_TYPE (CriaChatRequest, cria_chat_request, CRIA, CHAT_REQUEST, GObject)

/* Every sampling parameter is optional: one never set is left out of the
 * request body, so the server's own default applies. */
CriaChatRequest *cria_chat_request_new                   (const char      *model);
const char      *cria_chat_request_get_model             (CriaChatRequest *self);
void             cria_chat_request_set_model             (CriaChatRequest *self,
                                                          const char      *model);
void             cria_chat_request_add_message           (CriaChatRequest *self,
                                                          CriaChatMessage *message);
GPtrArray       *cria_chat_request_get_messages          (CriaChatRequest *self);
gboolean         cria_chat_request_get_stream            (CriaChatRequest *self);
void             cria_chat_request_set_stream            (CriaChatRequest *self,
                                                          gboolean         stream);

void             cria_chat_request_set_temperature       (CriaChatRequest *self,
                                                          double           value);
gboolean         cria_chat_request_get_temperature       (CriaChatRequest *self,
                                                          double          *value);
void             cria_chat_request_set_top_p             (CriaChatRequest *self,
                                                          double           value);
gboolean         cria_chat_request_get_top_p             (CriaChatRequest *self,
                                                          double          *value);
void             cria_chat_request_set_frequency_penalty (CriaChatRequest *self,
                                                          double           value);
gboolean         cria_chat_request_get_frequency_penalty (CriaChatRequest *self,
                                                          double          *value);
void             cria_chat_request_set_presence_penalty  (CriaChatRequest *self,
                                                          double           value);
gboolean         cria_chat_request_get_presence_penalty  (CriaChatRequest *self,
                                                          double          *value);
void             cria_chat_request_set_max_tokens        (CriaChatRequest *self,
                                                          gint64           value);
gboolean         cria_chat_request_get_max_tokens        (CriaChatRequest *self,
                                                          gint64          *value);
void             cria_chat_request_set_seed              (CriaChatRequest *self,
                                                          gint64           value);
gboolean         cria_chat_request_get_seed              (CriaChatRequest *self,
                                                          gint64          *value);
void             cria_chat_request_set_stop              (CriaChatRequest    *self,
                                                          const char * const *stop);
const char * const *cria_chat_request_get_stop           (CriaChatRequest *self);

/* response_format, tools and tool_choice are passed through as the JSON text the
 * caller gives; the text is checked when the request is built. */
void             cria_chat_request_set_response_format_json (CriaChatRequest *self,
                                                             const char      *json);
const char      *cria_chat_request_get_response_format_json (CriaChatRequest *self);
void             cria_chat_request_set_tools_json        (CriaChatRequest *self,
                                                          const char      *json);
const char      *cria_chat_request_get_tools_json        (CriaChatRequest *self);
void             cria_chat_request_set_tool_choice_json  (CriaChatRequest *self,
                                                          const char      *json);
const char      *cria_chat_request_get_tool_choice_json  (CriaChatRequest *self);

G_END_DECLS

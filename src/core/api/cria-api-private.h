/* cria-api-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-catalogue.h"
#include "cria-chat-request.h"
#include "cria-embeddings.h"
#include "cria-usage.h"

G_BEGIN_DECLS

/* The API module: every line of JSON Cria reads or writes goes through here. */

/**
 * CriaApiChunk:
 * @content: answer text of this chunk, or %NULL
 * @reasoning: reasoning text (`reasoning_content` or `reasoning`), or %NULL
 * @finish_reason: the choice's finish_reason, or %NULL
 * @tool_calls: tool-call fragments (CriaToolCall), never %NULL
 * @has_usage: whether @usage was present
 * @model: the model the server named, or %NULL
 * @error: an error object carried by the chunk, or %NULL
 *
 * What one streamed chunk (or a whole non-streamed completion) says.
 */
typedef struct
{
  char      *content;
  char      *reasoning;
  char      *finish_reason;
  GPtrArray *tool_calls;
  gboolean   has_usage;
  CriaUsage  usage;
  char      *model;
  GError    *error;
} CriaApiChunk;

void        _cria_api_chunk_init        (CriaApiChunk       *chunk);
void        _cria_api_chunk_clear       (CriaApiChunk       *chunk);

GBytes     *_cria_api_build_chat_body   (CriaChatRequest    *request,
                                         GError            **error);
GBytes     *_cria_api_build_embeddings_body (const char         *model,
                                             const char * const *inputs,
                                             gboolean            single_input,
                                             CriaEmbeddingFormat format);

gboolean    _cria_api_parse_chunk       (const char         *data,
                                         gsize               len,
                                         CriaApiChunk       *chunk,
                                         GError            **error);
/* The JSON-GLib reader alone, without the fast path in front of it. */
gboolean    _cria_api_parse_chunk_slow  (const char         *data,
                                         gsize               len,
                                         CriaApiChunk       *chunk,
                                         GError            **error);
gboolean    _cria_api_parse_completion  (const char         *data,
                                         gsize               len,
                                         CriaApiChunk       *chunk,
                                         GError            **error);
GPtrArray  *_cria_api_parse_models      (const char         *data,
                                         gsize               len,
                                         GError            **error);
CriaEmbeddings *_cria_api_parse_embeddings (const char      *data,
                                            gsize            len,
                                            GError         **error);

/* Builds the error for a non-2xx reply from its status and body, whatever the
 * server's dialect (OpenAI, Ollama, vLLM, llama.cpp, OpenRouter, a proxy's HTML). */
GError     *_cria_api_error_from_response (guint              status,
                                           const char        *reason_phrase,
                                           const char        *body,
                                           gsize              len,
                                           const char        *retry_after);
/* Builds the error for an error object sent inside a stream. */
GError     *_cria_api_error_from_stream_event (const char    *data,
                                               gsize          len);

G_END_DECLS

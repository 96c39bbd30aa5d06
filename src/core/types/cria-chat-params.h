/* cria-chat-params.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "cria-chat-request.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_CHAT_PARAM_TEMPERATURE       = 1 << 0,
  CRIA_CHAT_PARAM_TOP_P             = 1 << 1,
  CRIA_CHAT_PARAM_MAX_TOKENS        = 1 << 2,
  CRIA_CHAT_PARAM_PRESENCE_PENALTY  = 1 << 3,
  CRIA_CHAT_PARAM_FREQUENCY_PENALTY = 1 << 4,
  CRIA_CHAT_PARAM_STOP              = 1 << 5,
  CRIA_CHAT_PARAM_SEED              = 1 << 6,
  CRIA_CHAT_PARAM_RESPONSE_FORMAT   = 1 << 7,
} CriaChatParamFlags;

#define CRIA_TYPE_CHAT_PARAMS (cria_chat_params_get_type ())

/**
 * CriaChatParams:
 * @set: which of the fields hold a value; the others leave the server's default
 *
 * The sampling parameters of a conversation or of one answer, and the
 * format its answers must have.
 */
typedef struct
{
  CriaChatParamFlags set;
  double             temperature;
  double             top_p;
  gint64             max_tokens;
  double             presence_penalty;
  double             frequency_penalty;
  GStrv              stop;
  gint64             seed;
  /* The response_format member as JSON text (see cria_json_schema_response_format()):
   * JSON object mode, or a JSON schema the answer must follow. */
  char              *response_format;
} CriaChatParams;

GType           cria_chat_params_get_type    (void) G_GNUC_CONST;
CriaChatParams *cria_chat_params_new         (void);
CriaChatParams *cria_chat_params_copy        (const CriaChatParams *params);
void            cria_chat_params_free        (CriaChatParams       *params);
gboolean        cria_chat_params_equal       (const CriaChatParams *a,
                                              const CriaChatParams *b);
/* Sets on @request every parameter @params holds. */
void            cria_chat_params_apply       (const CriaChatParams *params,
                                              CriaChatRequest      *request);
/* A GVariant of type a{sv}, and back; unknown keys and wrong types are skipped. */
GVariant       *cria_chat_params_to_variant  (const CriaChatParams *params);
CriaChatParams *cria_chat_params_new_from_variant (GVariant        *variant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaChatParams, cria_chat_params_free)

G_END_DECLS

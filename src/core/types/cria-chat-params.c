/* cria-chat-params.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-chat-params.h"

G_DEFINE_BOXED_TYPE (CriaChatParams, cria_chat_params, cria_chat_params_copy, cria_chat_params_free)

CriaChatParams *
cria_chat_params_new (void)
{
  return g_new0 (CriaChatParams, 1);
}

CriaChatParams *
cria_chat_params_copy (const CriaChatParams *params)
{
  CriaChatParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_memdup2 (params, sizeof *params);
  copy->stop = g_strdupv (params->stop);
  copy->response_format = g_strdup (params->response_format);

  return copy;
}

void
cria_chat_params_free (CriaChatParams *params)
{
  if (params == NULL)
    return;

  g_strfreev (params->stop);
  g_free (params->response_format);
  g_free (params);
}

gboolean
cria_chat_params_equal (const CriaChatParams *a,
                        const CriaChatParams *b)
{
  CriaChatParamFlags set;

  if (a == NULL || b == NULL)
    return (a == NULL || a->set == 0) && (b == NULL || b->set == 0);

  if (a->set != b->set)
    return FALSE;

  set = a->set;
  return (!(set & CRIA_CHAT_PARAM_TEMPERATURE) || a->temperature == b->temperature) &&
         (!(set & CRIA_CHAT_PARAM_TOP_P) || a->top_p == b->top_p) &&
         (!(set & CRIA_CHAT_PARAM_MAX_TOKENS) || a->max_tokens == b->max_tokens) &&
         (!(set & CRIA_CHAT_PARAM_PRESENCE_PENALTY) || a->presence_penalty == b->presence_penalty) &&
         (!(set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY) || a->frequency_penalty == b->frequency_penalty) &&
         (!(set & CRIA_CHAT_PARAM_STOP) || g_strv_equal ((const char * const *) a->stop,
                                                         (const char * const *) b->stop)) &&
         (!(set & CRIA_CHAT_PARAM_SEED) || a->seed == b->seed) &&
         (!(set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) || g_strcmp0 (a->response_format, b->response_format) == 0);
}

void
cria_chat_params_apply (const CriaChatParams *params,
                        CriaChatRequest      *request)
{
  g_return_if_fail (CRIA_IS_CHAT_REQUEST (request));

  if (params == NULL)
    return;

  if (params->set & CRIA_CHAT_PARAM_TEMPERATURE)
    cria_chat_request_set_temperature (request, params->temperature);
  if (params->set & CRIA_CHAT_PARAM_TOP_P)
    cria_chat_request_set_top_p (request, params->top_p);
  if (params->set & CRIA_CHAT_PARAM_MAX_TOKENS)
    cria_chat_request_set_max_tokens (request, params->max_tokens);
  if (params->set & CRIA_CHAT_PARAM_PRESENCE_PENALTY)
    cria_chat_request_set_presence_penalty (request, params->presence_penalty);
  if (params->set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY)
    cria_chat_request_set_frequency_penalty (request, params->frequency_penalty);
  if ((params->set & CRIA_CHAT_PARAM_STOP) && params->stop != NULL)
    cria_chat_request_set_stop (request, (const char * const *) params->stop);
  if (params->set & CRIA_CHAT_PARAM_SEED)
    cria_chat_request_set_seed (request, params->seed);
  if ((params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) && params->response_format != NULL)
    cria_chat_request_set_response_format_json (request, params->response_format);
}

GVariant *
cria_chat_params_to_variant (const CriaChatParams *params)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (params == NULL)
    return g_variant_builder_end (&builder);

  if (params->set & CRIA_CHAT_PARAM_TEMPERATURE)
    g_variant_builder_add (&builder, "{sv}", "temperature", g_variant_new_double (params->temperature));
  if (params->set & CRIA_CHAT_PARAM_TOP_P)
    g_variant_builder_add (&builder, "{sv}", "top_p", g_variant_new_double (params->top_p));
  if (params->set & CRIA_CHAT_PARAM_MAX_TOKENS)
    g_variant_builder_add (&builder, "{sv}", "max_tokens", g_variant_new_int64 (params->max_tokens));
  if (params->set & CRIA_CHAT_PARAM_PRESENCE_PENALTY)
    g_variant_builder_add (&builder, "{sv}", "presence_penalty", g_variant_new_double (params->presence_penalty));
  if (params->set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY)
    g_variant_builder_add (&builder, "{sv}", "frequency_penalty", g_variant_new_double (params->frequency_penalty));
  if (params->set & CRIA_CHAT_PARAM_STOP)
    g_variant_builder_add (&builder, "{sv}", "stop",
                           g_variant_new_strv ((const char * const *) params->stop, -1));
  if (params->set & CRIA_CHAT_PARAM_SEED)
    g_variant_builder_add (&builder, "{sv}", "seed", g_variant_new_int64 (params->seed));
  if ((params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) && params->response_format != NULL)
    g_variant_builder_add (&builder, "{sv}", "response_format", g_variant_new_string (params->response_format));

  return g_variant_builder_end (&builder);
}

CriaChatParams *
cria_chat_params_new_from_variant (GVariant *variant)
{
  g_autoptr(CriaChatParams) params = cria_chat_params_new ();
  GVariantDict dict;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return g_steal_pointer (&params);

  g_variant_dict_init (&dict, variant);
  if (g_variant_dict_lookup (&dict, "temperature", "d", &params->temperature))
    params->set |= CRIA_CHAT_PARAM_TEMPERATURE;
  if (g_variant_dict_lookup (&dict, "top_p", "d", &params->top_p))
    params->set |= CRIA_CHAT_PARAM_TOP_P;
  if (g_variant_dict_lookup (&dict, "max_tokens", "x", &params->max_tokens))
    params->set |= CRIA_CHAT_PARAM_MAX_TOKENS;
  if (g_variant_dict_lookup (&dict, "presence_penalty", "d", &params->presence_penalty))
    params->set |= CRIA_CHAT_PARAM_PRESENCE_PENALTY;
  if (g_variant_dict_lookup (&dict, "frequency_penalty", "d", &params->frequency_penalty))
    params->set |= CRIA_CHAT_PARAM_FREQUENCY_PENALTY;
  if (g_variant_dict_lookup (&dict, "stop", "^as", &params->stop))
    params->set |= CRIA_CHAT_PARAM_STOP;
  if (g_variant_dict_lookup (&dict, "seed", "x", &params->seed))
    params->set |= CRIA_CHAT_PARAM_SEED;
  if (g_variant_dict_lookup (&dict, "response_format", "s", &params->response_format))
    params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;
  g_variant_dict_clear (&dict);

  return g_steal_pointer (&params);
}

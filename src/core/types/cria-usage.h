/* cria-usage.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRIA_TYPE_USAGE (cria_usage_get_type ())

/**
 * CriaUsage:
 * @prompt_tokens: tokens in the request
 * @completion_tokens: tokens in the answer, reasoning included
 * @reasoning_tokens: of @completion_tokens, those spent thinking (0 when unknown)
 * @estimated: %TRUE when the server sent no usage and the counts are estimates
 *
 * Token usage of one request.
 */
typedef struct
{
  gint64   prompt_tokens;
  gint64   completion_tokens;
  gint64   reasoning_tokens;
  gboolean estimated;
} CriaUsage;

GType      cria_usage_get_type        (void) G_GNUC_CONST;
CriaUsage *cria_usage_copy            (const CriaUsage *usage);
void       cria_usage_free            (CriaUsage       *usage);
gint64     cria_usage_get_total       (const CriaUsage *usage);
double     cria_usage_get_cost        (const CriaUsage *usage,
                                       double           input_price_per_million,
                                       double           output_price_per_million);
gint64     cria_usage_estimate_tokens (const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaUsage, cria_usage_free)

G_END_DECLS

/* cria-usage.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-usage.h"

G_DEFINE_BOXED_TYPE (CriaUsage, cria_usage, cria_usage_copy, cria_usage_free)

CriaUsage *
cria_usage_copy (const CriaUsage *usage)
{
  g_return_val_if_fail (usage != NULL, NULL);

  return g_memdup2 (usage, sizeof *usage);
}

void
cria_usage_free (CriaUsage *usage)
{
  g_free (usage);
}

gint64
cria_usage_get_total (const CriaUsage *usage)
{
  g_return_val_if_fail (usage != NULL, 0);

  return usage->prompt_tokens + usage->completion_tokens;
}

/**
 * cria_usage_get_cost:
 * @usage: a #CriaUsage
 * @input_price_per_million: USD per million prompt tokens (negative: unknown)
 * @output_price_per_million: USD per million completion tokens (negative: unknown)
 *
 * Returns: the cost in USD, or a negative number when a needed price is unknown
 */
double
cria_usage_get_cost (const CriaUsage *usage,
                     double           input_price_per_million,
                     double           output_price_per_million)
{
  double cost = 0.0;

  g_return_val_if_fail (usage != NULL, -1.0);

  if (usage->prompt_tokens > 0)
    {
      if (input_price_per_million < 0)
        return -1.0;
      cost += usage->prompt_tokens * input_price_per_million / 1e6;
    }

  if (usage->completion_tokens > 0)
    {
      if (output_price_per_million < 0)
        return -1.0;
      cost += usage->completion_tokens * output_price_per_million / 1e6;
    }

  return cost;
}

/**
 * cria_usage_estimate_tokens:
 * @text: (nullable): some text
 *
 * Estimates the token count of @text when a server reports no usage: about four
 * characters a token for English prose, which is what the open models' BPE
 * vocabularies average. Counted in characters, not bytes, so other scripts are
 * not overestimated fourfold.
 *
 * Returns: the estimated token count
 */
gint64
cria_usage_estimate_tokens (const char *text)
{
  glong chars;

  if (text == NULL || *text == '\0')
    return 0;

  chars = g_utf8_strlen (text, -1);

  return (chars + 3) / 4;
}

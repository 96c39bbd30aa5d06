/* cria-format.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "cria-format.h"

#define MAX_DECIMALS 6

/* Answers cost fractions of a cent and bills run to thousands: enough
 * decimals to show each, not so many that a bigger amount is hard to read.
 * A cent or more is shown in cents ($1,234.57); less, in two significant
 * digits with at most six decimals ($0.0012, $0.000037). */
static int
cost_decimals (double usd)
{
  if (usd == 0 || usd >= 0.01)
    return 2;

  return CLAMP (1 - (int) floor (log10 (usd)), 2, MAX_DECIMALS);
}

/* A price is a figure to compare, never rounded to one it is not: exact at
 * six decimals or fewer, it is shown exactly with at least two ($1.00,
 * $0.125, $0.0375); otherwise like a cost. */
static int
price_decimals (double usd)
{
  double scale = 100;

  for (int decimals = 2; decimals <= MAX_DECIMALS; decimals++, scale *= 10)
    {
      double scaled = usd * scale;

      if (fabs (scaled - round (scaled)) < 1e-6)
        return decimals;
    }

  return cost_decimals (usd);
}

static gboolean
cost_is_known (double usd)
{
  return isfinite (usd) && usd >= 0;
}

/**
 * cria_format_cost:
 * @usd: an amount spent in US dollars; negative (or not a number) when unknown
 *
 * Formats what an answer or a conversation cost: "$1,234.57", "$0.0012" in
 * English, where the translation puts the dollar sign where the language
 * does.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if unknown
 */
char *
cria_format_cost (double usd)
{
  if (!cost_is_known (usd))
    return NULL;

  /* The locale's decimal mark and digit grouping ("%'"). */
  /* Translators: an amount in US dollars */
  return g_strdup_printf (_("$%'.*f"), cost_decimals (usd), usd);
}

/**
 * cria_format_price:
 * @usd: a price in US dollars; negative (or not a number) when unknown
 *
 * Formats a price such as a model's per million tokens: like
 * cria_format_cost(), but a price with digits below the cent keeps them
 * ("$0.125", not "$0.13").
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if unknown
 */
char *
cria_format_price (double usd)
{
  if (!cost_is_known (usd))
    return NULL;

  /* Translators: an amount in US dollars */
  return g_strdup_printf (_("$%'.*f"), price_decimals (usd), usd);
}

/**
 * cria_format_estimated_cost:
 * @usd: an amount in US dollars; negative (or not a number) when unknown
 *
 * Like cria_format_cost(), for an amount worked out from estimated token
 * counts: "≈ $0.0012".
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if unknown
 */
char *
cria_format_estimated_cost (double usd)
{
  if (!cost_is_known (usd))
    return NULL;

  /* Translators: an amount in US dollars, worked out from estimated token counts */
  return g_strdup_printf (_("≈ $%'.*f"), cost_decimals (usd), usd);
}

/**
 * cria_format_tokens:
 * @n_tokens: a number of tokens
 *
 * Formats a token count in the locale's digit grouping: "128,000".
 * The caller puts it into a sentence, with the plural form for @n_tokens.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL for a negative
 *   (unknown) count
 */
char *
cria_format_tokens (gint64 n_tokens)
{
  if (n_tokens < 0)
    return NULL;

  return g_strdup_printf ("%'" G_GINT64_FORMAT, n_tokens);
}

/**
 * cria_format_context_size:
 * @n_tokens: a context window in tokens, or 0 if unknown
 *
 * Formats a context window the way model cards write it ("128K"): a whole
 * number of thousands (128000) is divided by 1000; otherwise a whole number
 * of KiB (131072, 32768, 40960) is divided by 1024; anything else is rounded
 * to the nearest thousand. So 131072 and 128000 both read "128K" (128000 is
 * also 125 × 1024, which nobody calls "125K"). Windows under 1000 tokens are
 * shown as they are.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if unknown
 */
char *
cria_format_context_size (gint64 n_tokens)
{
  gint64 thousands;

  if (n_tokens <= 0)
    return NULL;

  if (n_tokens < 1000)
    return cria_format_tokens (n_tokens);

  if (n_tokens % 1000 == 0)
    thousands = n_tokens / 1000;
  else if (n_tokens % 1024 == 0)
    thousands = n_tokens / 1024;
  else
    thousands = (n_tokens + 500) / 1000;

  return g_strdup_printf ("%'" G_GINT64_FORMAT "K", thousands);
}

/* cria-format.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every amount of money, token count and context size Cria shows goes
 * through these, so they read the same everywhere: in the locale's digit
 * grouping and decimal mark, with one precision rule. All return plain text
 * (never markup), or %NULL when the value is unknown. */

char *cria_format_cost           (double usd);
char *cria_format_price          (double usd);
char *cria_format_estimated_cost (double usd);
char *cria_format_tokens         (gint64 n_tokens);
char *cria_format_context_size   (gint64 n_tokens);

G_END_DECLS

/* bench-spending-history.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The history the spending benchmarks share: BENCH_SPENDING_ANSWERS answers,
 * each after its question, spread over the year that ends at the time given,
 * in BENCH_SPENDING_CONVERSATIONS conversations across BENCH_SPENDING_MODELS
 * models (one with no price, one whose price changed in the middle of the
 * year); some answers estimated, some without usage, some failed. Drawn from
 * a fixed seed: every history made is the same one, moved in time. */
#define BENCH_SPENDING_ANSWERS       100000
#define BENCH_SPENDING_CONVERSATIONS 2000
#define BENCH_SPENDING_MODELS        8

/* Makes that history in a new database at @path (its folder is made; a file
 * already there is an error), through the store's own schema, its rows
 * written in one transaction. @end: µs since 1970; the newest answer is just
 * before it. Blocks; a few seconds. */
gboolean bench_spending_make_history (const char  *path,
                                      gint64       end,
                                      GError     **error);

G_END_DECLS

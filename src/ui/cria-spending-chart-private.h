/* cria-spending-chart-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-spending-bar.h"
#include "cria-spending-chart.h"

G_BEGIN_DECLS

/* For tests: the chart's parts, reached without its struct. */
guint            _cria_spending_chart_get_n_bars     (CriaSpendingChart *self);
CriaSpendingBar *_cria_spending_chart_get_bar        (CriaSpendingChart *self,
                                                      guint              day);
GtkLabel        *_cria_spending_chart_get_caption    (CriaSpendingChart *self);
GtkLabel        *_cria_spending_chart_get_max_label  (CriaSpendingChart *self);
/* The legend's entries, in order, one per line. */
char            *_cria_spending_chart_dup_legend     (CriaSpendingChart *self);

G_END_DECLS

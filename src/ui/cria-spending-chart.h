/* cria-spending-chart.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cria-spending.h"

G_BEGIN_DECLS

#define CRIA_TYPE_SPENDING_CHART (cria_spending_chart_get_type ())

G_DECLARE_FINAL_TYPE (CriaSpendingChart, cria_spending_chart, CRIA, SPENDING_CHART, GtkWidget)

/* What spending cost day by day: a bar per day stacked by model (the five
 * that cost most over the days shown, the rest together), a legend, the
 * amount at the top of the scale, and a caption with the figures of the day
 * that has the keyboard focus. Each bar is a CriaSpendingBar: focusable
 * (Left and Right move between days, Home and End to the first and last),
 * with a tooltip and an accessible label holding the day's figures. Drawn
 * in the palette of the style, so it reads in light, dark and high
 * contrast; it lays out at any width down to two pixels a bar.
 *
 * Properties, notified on change only:
 *   focused-day  the day the caption shows, 0 the oldest; -1 with no days */
GtkWidget  *cria_spending_chart_new             (void);
/* Shows the last @n_days periods of @spending (each period a day), without
 * keeping @spending. @names: model id → the name to show, or NULL. */
void        cria_spending_chart_set_spending    (CriaSpendingChart  *self,
                                                 const CriaSpending *spending,
                                                 guint               n_days,
                                                 GHashTable         *names);
int         cria_spending_chart_get_focused_day (CriaSpendingChart  *self);

/* The name a model is shown by: its name in @names (may be NULL), else its
 * id, and a phrase for the answers that named no model. */
const char *cria_spending_model_name            (GHashTable         *names,
                                                 const char         *model);

G_END_DECLS

/* cria-spending-bar.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How many series a bar stacks: the five models that cost most over the
 * days shown, and one for all the others. */
#define CRIA_SPENDING_N_SERIES 6

/* What the bars of one chart are drawn with, owned by the chart and looked
 * up from its style: a colour per series, the text colour, and whether
 * segments get an outline (high contrast). */
typedef struct
{
  GdkRGBA  series[CRIA_SPENDING_N_SERIES];
  GdkRGBA  foreground;
  gboolean outline;
} CriaSpendingPalette;

#define CRIA_TYPE_SPENDING_BAR (cria_spending_bar_get_type ())

G_DECLARE_FINAL_TYPE (CriaSpendingBar, cria_spending_bar, CRIA, SPENDING_BAR, GtkWidget)

/* One day of the spending chart: its cost stacked by series from the
 * bottom, its figures in words as its accessible label and tooltip. It
 * fills the height it is given; @palette must outlive it.
 *
 * Properties, notified on change only:
 *   label  the day's figures in words ("7 December: $0.12 — …") */
GtkWidget  *cria_spending_bar_new        (const CriaSpendingPalette *palette);
/* @values: CRIA_SPENDING_N_SERIES amounts in dollars; @max: the amount at
 * the top of the bar's height (nothing is drawn when it is 0). */
void        cria_spending_bar_set_values (CriaSpendingBar           *self,
                                          const double              *values,
                                          double                     max);
double      cria_spending_bar_get_value  (CriaSpendingBar           *self,
                                          guint                      series);
void        cria_spending_bar_set_label  (CriaSpendingBar           *self,
                                          const char                *label);
const char *cria_spending_bar_get_label  (CriaSpendingBar           *self);

G_END_DECLS

/* cria-spending-window.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-store.h"

G_BEGIN_DECLS

#define CRIA_TYPE_SPENDING_WINDOW (cria_spending_window_get_type ())

G_DECLARE_FINAL_TYPE (CriaSpendingWindow, cria_spending_window, CRIA, SPENDING_WINDOW, AdwWindow)

/* What the history cost: today, this week, this month and all time, day by
 * day for the last 30 or 90 days, per model over those days, and the most
 * expensive conversations, which open in a chat window. It asks @store when
 * made and again (coalesced) when the store says a conversation changed or
 * went, and at midnight; "Export…" saves the days shown as CSV.
 *
 * Properties, notified on change only:
 *   store   CriaStore, construct-only
 *   n-days  how many days the chart and the models cover: 30 or 90; the
 *           spending.days action sets it */
GtkWidget *cria_spending_window_new        (GtkApplication     *application,
                                            CriaStore          *store);
guint      cria_spending_window_get_n_days (CriaSpendingWindow *self);
void       cria_spending_window_set_n_days (CriaSpendingWindow *self,
                                            guint               n_days);

G_END_DECLS

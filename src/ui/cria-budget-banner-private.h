/* cria-budget-banner-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-budget-banner.h"

G_BEGIN_DECLS

/* How the budget's figures are written, here and in the window's cost
 * label: what was spent this month ("≈ " when partly estimated), and the
 * share of the budget in whole percents, rounded down so that "80 %" never
 * shows before the warning does. */
char        *_cria_budget_banner_format_spent        (CriaBudget       *budget);
guint        _cria_budget_banner_percent             (CriaBudget       *budget);

/* For tests: the banner's parts. */
GtkRevealer *_cria_budget_banner_get_revealer        (CriaBudgetBanner *self);
GtkLabel    *_cria_budget_banner_get_label           (CriaBudgetBanner *self);
GtkWidget   *_cria_budget_banner_get_spending_button (CriaBudgetBanner *self);

G_END_DECLS

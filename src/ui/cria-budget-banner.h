/* cria-budget-banner.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cria-budget.h"

G_BEGIN_DECLS

#define CRIA_TYPE_BUDGET_BANNER (cria_budget_banner_get_type ())

G_DECLARE_FINAL_TYPE (CriaBudgetBanner, cria_budget_banner, CRIA, BUDGET_BANNER, GtkWidget)

/* A bar across the window saying that this month's spending reached 80 %
 * or 100 % of the budget, with what was spent and the limit (kept up to
 * date while it shows), "Dismiss" and, when the application has an
 * app.spending action, "Show Spending". It shows only when told to
 * (cria_budget_banner_warn()), and goes when dismissed or when the budget
 * falls below what it warned of (a raised limit, no budget any more).
 *
 * Properties: "budget" (CriaBudget, the figures it shows) and "level" (the
 * CriaBudgetLevel it warns of now, NONE while hidden; read-only).
 * Action: budget-banner.dismiss. */
GtkWidget       *cria_budget_banner_new        (void);
CriaBudget      *cria_budget_banner_get_budget (CriaBudgetBanner *self);
void             cria_budget_banner_set_budget (CriaBudgetBanner *self,
                                                CriaBudget       *budget);
CriaBudgetLevel  cria_budget_banner_get_level  (CriaBudgetBanner *self);
/* Shows the warning for @level (NEAR or OVER). */
void             cria_budget_banner_warn       (CriaBudgetBanner *self,
                                                CriaBudgetLevel   level);

G_END_DECLS

/* cria-budget.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-store.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_BUDGET_LEVEL_NONE,  /* no budget, or under 80 % of it */
  CRIA_BUDGET_LEVEL_NEAR,  /* 80 % or more */
  CRIA_BUDGET_LEVEL_OVER,  /* 100 % or more */
} CriaBudgetLevel;

#define CRIA_TYPE_BUDGET (cria_budget_get_type ())

G_DECLARE_FINAL_TYPE (CriaBudget, cria_budget, CRIA, BUDGET, GObject)

/* The month's spending against a monthly budget. It asks the store for the
 * current month's total (cria_store_spending_async) when made, when the store
 * says a conversation changed or was removed (coalesced: one query at a
 * time, one more if something changed meanwhile), and when the limit is set.
 * Properties, notified on change only:
 *   store        CriaStore, construct-only
 *   limit        double, dollars per month; 0 means no budget
 *   month-cost   double, dollars spent this month (local time)
 *   estimated    gboolean, whether month-cost includes estimates
 *   share        double, month-cost ÷ limit (0 with no budget)
 *   level        CriaBudgetLevel
 */
CriaBudget      *cria_budget_new            (CriaStore  *store);
double           cria_budget_get_limit      (CriaBudget *self);
void             cria_budget_set_limit      (CriaBudget *self,
                                             double      limit);
double           cria_budget_get_month_cost (CriaBudget *self);
gboolean         cria_budget_get_estimated  (CriaBudget *self);
double           cria_budget_get_share      (CriaBudget *self);
CriaBudgetLevel  cria_budget_get_level      (CriaBudget *self);
/* Asks the store again now (after the clock passed into a new month, say). */
void             cria_budget_refresh        (CriaBudget *self);

G_END_DECLS

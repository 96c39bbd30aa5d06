/* cria-budget-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-budget.h"

G_BEGIN_DECLS

/* For tests: how many times the budget asked the store, and whether it is
 * asking now. */
guint     _cria_budget_get_n_queries (CriaBudget *self);
gboolean  _cria_budget_get_querying  (CriaBudget *self);

G_END_DECLS

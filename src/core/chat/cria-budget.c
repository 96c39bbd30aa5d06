/* cria-budget.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cria-budget-private.h"
#include "cria-chat-enums.h"
#include "cria-spending.h"
#include "cria-spending-periods.h"

/* The shares at which the level changes. A sum of costs that should reach a
 * threshold exactly can miss it by a rounding error, so shares are compared
 * to a billionth. */
#define NEAR_SHARE 0.8
#define OVER_SHARE 1.0
#define SHARE_SLACK 1e-9

/* With no budget (limit 0) nobody needs the month's total, so nothing is
 * asked: month-cost and estimated read 0 and FALSE, and what the store
 * announces meanwhile is not queried. Setting a limit asks at once, which
 * also catches up with whatever changed while there was none. */

struct _CriaBudget
{
  GObject          parent_instance;

  CriaStore       *store;
  /* The query under way, or NULL: one at a time. */
  GCancellable    *cancellable;
  /* Something changed while the query was under way: ask again after it. */
  gboolean         again;
  guint            n_queries;

  double           limit;
  double           month_cost;
  gboolean         estimated;
  double           share;
  CriaBudgetLevel  level;
};

G_DEFINE_FINAL_TYPE (CriaBudget, cria_budget, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_LIMIT,
  PROP_MONTH_COST,
  PROP_ESTIMATED,
  PROP_SHARE,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CriaBudgetLevel
level_for_share (double limit,
                 double share)
{
  if (limit <= 0)
    return CRIA_BUDGET_LEVEL_NONE;
  if (share >= OVER_SHARE - SHARE_SLACK)
    return CRIA_BUDGET_LEVEL_OVER;
  if (share >= NEAR_SHARE - SHARE_SLACK)
    return CRIA_BUDGET_LEVEL_NEAR;

  return CRIA_BUDGET_LEVEL_NONE;
}

/* Sets the figures and what follows from them, notifying what changed. */
static void
set_figures (CriaBudget *self,
             double      month_cost,
             gboolean    estimated)
{
  double share = self->limit > 0 ? month_cost / self->limit : 0;
  CriaBudgetLevel level = level_for_share (self->limit, share);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->month_cost != month_cost)
    {
      self->month_cost = month_cost;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONTH_COST]);
    }
  if (self->estimated != estimated)
    {
      self->estimated = estimated;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATED]);
    }
  if (self->share != share)
    {
      self->share = share;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHARE]);
    }
  if (self->level != level)
    {
      self->level = level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void query (CriaBudget *self);

static void
spending_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CriaBudget *self;
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(CriaSpendingRow) total = NULL;
  g_autoptr(GError) error = NULL;

  /* Cancelled: the budget is gone, or has no limit any more, and
   * @user_data may be freed; it is not touched. */
  spending = cria_store_spending_finish (CRIA_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = CRIA_BUDGET (user_data);
  g_clear_object (&self->cancellable);

  if (spending == NULL)
    /* The history is unavailable: the last figures stand. */
    g_debug ("The month's spending could not be read: %s", error->message);
  else
    {
      g_assert (spending->n_periods == 1);
      total = cria_spending_rows_total (spending->periods[0]);
      set_figures (self, MAX (total->cost, 0), total->estimated > 0);
    }

  if (self->again)
    query (self);
}

/* Asks the store for the current month's total, or, while it is already
 * asking, asks again once it has its answer. */
static void
query (CriaBudget *self)
{
  g_autoptr(GDateTime) now = NULL;
  gint64 edges[2];

  if (self->limit <= 0)
    return;

  if (self->cancellable != NULL)
    {
      self->again = TRUE;
      return;
    }

  /* The month as it is now: after midnight on the last day, the next one. */
  now = g_date_time_new_now_local ();
  edges[0] = cria_spending_month_start (now);
  edges[1] = cria_spending_month_end (now);

  self->again = FALSE;
  self->n_queries++;
  self->cancellable = g_cancellable_new ();
  cria_store_spending_async (self->store, edges, G_N_ELEMENTS (edges), 0, self->cancellable,
                             spending_cb, self);
}

/* A conversation's answers were saved, changed or deleted. */
static void
store_changed_cb (CriaBudget *self)
{
  query (self);
}

static void
cancel_query (CriaBudget *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->again = FALSE;
}

static void
cria_budget_constructed (GObject *object)
{
  CriaBudget *self = CRIA_BUDGET (object);

  G_OBJECT_CLASS (cria_budget_parent_class)->constructed (object);

  g_assert (CRIA_IS_STORE (self->store));

  g_signal_connect_object (self->store, "conversation-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "conversation-removed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  query (self);
}

static void
cria_budget_dispose (GObject *object)
{
  CriaBudget *self = CRIA_BUDGET (object);

  cancel_query (self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (cria_budget_parent_class)->dispose (object);
}

static void
cria_budget_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CriaBudget *self = CRIA_BUDGET (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LIMIT:
      g_value_set_double (value, self->limit);
      break;
    case PROP_MONTH_COST:
      g_value_set_double (value, self->month_cost);
      break;
    case PROP_ESTIMATED:
      g_value_set_boolean (value, self->estimated);
      break;
    case PROP_SHARE:
      g_value_set_double (value, self->share);
      break;
    case PROP_LEVEL:
      g_value_set_enum (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_budget_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CriaBudget *self = CRIA_BUDGET (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_LIMIT:
      cria_budget_set_limit (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_budget_class_init (CriaBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cria_budget_constructed;
  object_class->dispose = cria_budget_dispose;
  object_class->get_property = cria_budget_get_property;
  object_class->set_property = cria_budget_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRIA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIMIT] =
    g_param_spec_double ("limit", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MONTH_COST] =
    g_param_spec_double ("month-cost", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ESTIMATED] =
    g_param_spec_boolean ("estimated", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHARE] =
    g_param_spec_double ("share", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LEVEL] =
    g_param_spec_enum ("level", NULL, NULL, CRIA_TYPE_BUDGET_LEVEL, CRIA_BUDGET_LEVEL_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_budget_init (CriaBudget *self)
{
}

CriaBudget *
cria_budget_new (CriaStore *store)
{
  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  return g_object_new (CRIA_TYPE_BUDGET, "store", store, NULL);
}

double
cria_budget_get_limit (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), 0);

  return self->limit;
}

void
cria_budget_set_limit (CriaBudget *self,
                       double      limit)
{
  g_return_if_fail (CRIA_IS_BUDGET (self));
  g_return_if_fail (isfinite (limit) && limit >= 0);

  if (self->limit == limit)
    return;

  self->limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);

  if (limit <= 0)
    {
      cancel_query (self);
      set_figures (self, 0, FALSE);
      return;
    }

  /* The share and level follow the new limit at once; the month's total
   * may have moved on (a new month, answers saved while there was no
   * budget), so it is asked for again. */
  set_figures (self, self->month_cost, self->estimated);
  query (self);
}

double
cria_budget_get_month_cost (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), 0);

  return self->month_cost;
}

gboolean
cria_budget_get_estimated (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), FALSE);

  return self->estimated;
}

double
cria_budget_get_share (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), 0);

  return self->share;
}

CriaBudgetLevel
cria_budget_get_level (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), CRIA_BUDGET_LEVEL_NONE);

  return self->level;
}

void
cria_budget_refresh (CriaBudget *self)
{
  g_return_if_fail (CRIA_IS_BUDGET (self));

  query (self);
}

guint
_cria_budget_get_n_queries (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), 0);

  return self->n_queries;
}

gboolean
_cria_budget_get_querying (CriaBudget *self)
{
  g_return_val_if_fail (CRIA_IS_BUDGET (self), FALSE);

  return self->cancellable != NULL;
}

/* cria-spending.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-store.h"

G_BEGIN_DECLS

/* What the history cost, from the price stored with each answer when it was
 * given (a later price change never rewrites it). The store keeps running
 * sums — per quarter of an hour (UTC) and model, per model, per conversation —
 * updated by triggers as answers are saved, changed and deleted, so a report
 * never scans the messages.
 *
 * An answer counts once it has ended (any state but streaming) when it has
 * a known cost or a known output token count. Unknown token counts add
 * nothing; an answer whose cost is unknown (its model had no price) counts
 * in @unpriced and adds nothing to @cost; one whose usage Cria estimated
 * (the server sent none) counts in @estimated, and its cost is an estimate. */
typedef struct
{
  /* The model the answer names; "" when it names none. */
  char   *model;
  gint64  answers;
  gint64  tokens_in;
  gint64  tokens_out;
  /* Dollars. */
  double  cost;
  gint64  estimated;
  gint64  unpriced;
} CriaSpendingRow;

typedef struct
{
  char   *id;
  /* NULL when the conversation has no title. */
  char   *title;
  double  cost;
  gint64  answers;
  gint64  estimated;
} CriaSpendingConversation;

typedef struct
{
  /* edges[0] … edges[n_periods]: the periods asked for, µs since 1970 UTC. */
  guint       n_periods;
  gint64     *edges;
  /* n_periods arrays of CriaSpendingRow, one row per model that has answers
   * in that period, most expensive first (then by name). */
  GPtrArray **periods;
  /* Per model over all the periods together, and over the whole history;
   * most expensive first. */
  GPtrArray  *range_models;
  GPtrArray  *all_time_models;
  /* The most expensive conversations of the whole history, most expensive
   * first, at most as many as asked for: CriaSpendingConversation. */
  GPtrArray  *top_conversations;
} CriaSpending;

CriaSpendingRow *cria_spending_row_new          (const char            *model);
CriaSpendingRow *cria_spending_row_copy         (const CriaSpendingRow *row);
void             cria_spending_row_free         (CriaSpendingRow       *row);
/* Adds @other's figures to @row (the model stays @row's). */
void             cria_spending_row_add          (CriaSpendingRow       *row,
                                                 const CriaSpendingRow *other);
/* The figures of all @rows together, with model NULL. Never NULL. */
CriaSpendingRow *cria_spending_rows_total       (GPtrArray             *rows);

void             cria_spending_conversation_free (CriaSpendingConversation *conversation);
void             cria_spending_free             (CriaSpending          *spending);

/* @edges: @n_edges ≥ 2 strictly ascending times (µs since 1970, UTC) bounding
 * n_edges − 1 periods [edges[i], edges[i + 1]). Times fall in quarter-hour
 * buckets, so edges should be on quarter hours (every time zone's midnight
 * is); an edge inside a quarter hour counts that whole quarter on the side of
 * its start. @n_top: how many of the most expensive conversations to list
 * (0 for none). Runs on the store's worker like every other call and reads
 * only the running sums, whatever the periods; a few milliseconds for 90 days
 * of a 100,000-answer history. Fails with G_IO_ERROR_CANCELLED when
 * cancelled, or a CRIA_STORE_ERROR. */
void             cria_store_spending_async      (CriaStore             *self,
                                                 const gint64          *edges,
                                                 guint                  n_edges,
                                                 guint                  n_top,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
CriaSpending    *cria_store_spending_finish     (CriaStore             *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSpendingRow, cria_spending_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSpendingConversation, cria_spending_conversation_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSpending, cria_spending_free)

G_END_DECLS

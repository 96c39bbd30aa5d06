/* cria-spending.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the history cost: the report's plain types and its query on the
 * worker. The query reads the running sums that migration 5's triggers keep
 * (cria-store-schema.c), never the messages: a report over a year of answers
 * costs the same as one over a week.
 */

#include "config.h"

#include "cria-store-private.h"

/* A sum's quarter of an hour: an answer created at t µs is in bucket
 * t / QUARTER_US (the triggers' "created / 900000000"). */
#define QUARTER_US G_GINT64_CONSTANT (900000000)
/* The sums hold costs in whole picodollars. */
#define PICODOLLARS 1e12

CriaSpendingRow *
cria_spending_row_new (const char *model)
{
  CriaSpendingRow *row = g_new0 (CriaSpendingRow, 1);

  row->model = g_strdup (model);

  return row;
}

CriaSpendingRow *
cria_spending_row_copy (const CriaSpendingRow *row)
{
  CriaSpendingRow *copy;

  g_return_val_if_fail (row != NULL, NULL);

  copy = g_memdup2 (row, sizeof *row);
  copy->model = g_strdup (row->model);

  return copy;
}

void
cria_spending_row_free (CriaSpendingRow *row)
{
  if (row == NULL)
    return;

  g_free (row->model);
  g_free (row);
}

void
cria_spending_row_add (CriaSpendingRow       *row,
                       const CriaSpendingRow *other)
{
  g_return_if_fail (row != NULL);
  g_return_if_fail (other != NULL);

  row->answers += other->answers;
  row->tokens_in += other->tokens_in;
  row->tokens_out += other->tokens_out;
  row->cost += other->cost;
  row->estimated += other->estimated;
  row->unpriced += other->unpriced;
}

CriaSpendingRow *
cria_spending_rows_total (GPtrArray *rows)
{
  CriaSpendingRow *total = cria_spending_row_new (NULL);

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    cria_spending_row_add (total, g_ptr_array_index (rows, i));

  return total;
}

void
cria_spending_conversation_free (CriaSpendingConversation *conversation)
{
  if (conversation == NULL)
    return;

  g_free (conversation->id);
  g_free (conversation->title);
  g_free (conversation);
}

void
cria_spending_free (CriaSpending *spending)
{
  if (spending == NULL)
    return;

  for (guint i = 0; spending->periods != NULL && i < spending->n_periods; i++)
    g_clear_pointer (&spending->periods[i], g_ptr_array_unref);
  g_free (spending->periods);
  g_free (spending->edges);
  g_clear_pointer (&spending->range_models, g_ptr_array_unref);
  g_clear_pointer (&spending->all_time_models, g_ptr_array_unref);
  g_clear_pointer (&spending->top_conversations, g_ptr_array_unref);
  g_free (spending);
}

/* Figures as the sum tables hold them, costs in picodollars: adding up rows
 * is exact, and only the report's last step turns them into dollars. */
typedef struct
{
  gint64 answers;
  gint64 tokens_in;
  gint64 tokens_out;
  gint64 cost;
  gint64 estimated;
  gint64 unpriced;
} Sums;

/* Reads the six sum columns, from @first on. */
static void
read_sums (sqlite3_stmt *stmt,
           int           first,
           Sums         *sums)
{
  sums->answers = sqlite3_column_int64 (stmt, first);
  sums->tokens_in = sqlite3_column_int64 (stmt, first + 1);
  sums->tokens_out = sqlite3_column_int64 (stmt, first + 2);
  sums->cost = sqlite3_column_int64 (stmt, first + 3);
  sums->estimated = sqlite3_column_int64 (stmt, first + 4);
  sums->unpriced = sqlite3_column_int64 (stmt, first + 5);
}

/* Model (valid UTF-8) → Sums. */
static GHashTable *
sums_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Adds @sums to @model's. Two models whose names differ only in bytes that
 * are not UTF-8 become one: the report could not tell them apart either. */
static void
sums_table_add (GHashTable          *table,
                const unsigned char *model,
                const Sums          *sums)
{
  g_autofree char *valid = NULL;
  const char *key = (const char *) model;
  Sums *total;

  if (key == NULL)
    key = "";
  else if (!g_utf8_validate (key, -1, NULL))
    key = valid = _cria_store_dup_valid_text (model);

  total = g_hash_table_lookup (table, key);
  if (total == NULL)
    {
      total = g_new0 (Sums, 1);
      g_hash_table_insert (table, g_strdup (key), total);
    }

  total->answers += sums->answers;
  total->tokens_in += sums->tokens_in;
  total->tokens_out += sums->tokens_out;
  total->cost += sums->cost;
  total->estimated += sums->estimated;
  total->unpriced += sums->unpriced;
}

/* Most expensive first, then by name. */
static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CriaSpendingRow *row_a = *(const CriaSpendingRow * const *) a;
  const CriaSpendingRow *row_b = *(const CriaSpendingRow * const *) b;

  if (row_a->cost != row_b->cost)
    return row_a->cost > row_b->cost ? -1 : 1;

  return g_strcmp0 (row_a->model, row_b->model);
}

static GPtrArray *
sums_table_to_rows (GHashTable *table)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const Sums *sums = value;
      CriaSpendingRow *row;

      /* The triggers delete a row once its last answer goes; a row of none
       * could only come from a database written by something else. */
      if (sums->answers <= 0)
        continue;

      row = cria_spending_row_new (key);
      row->answers = sums->answers;
      row->tokens_in = sums->tokens_in;
      row->tokens_out = sums->tokens_out;
      row->cost = sums->cost / PICODOLLARS;
      row->estimated = sums->estimated;
      row->unpriced = sums->unpriced;
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_sort (rows, compare_rows);

  return rows;
}

/* The first bucket that starts at or after @time: a bucket belongs to the
 * period its start is in. */
static gint64
first_bucket_from (gint64 time)
{
  gint64 bucket = time / QUARTER_US;

  /* Division truncates: up for negative times, down for positive ones. */
  if (time % QUARTER_US > 0)
    bucket++;

  return bucket;
}

static void
set_error (CriaStoreDb  *db,
           int           rc,
           GError      **error)
{
  /* The progress handler interrupts a cancelled job's statement. */
  if (!g_cancellable_set_error_if_cancelled (db->cancellable, error))
    _cria_store_db_set_error (db, rc, error);
}

/* The periods and all of them together, from the quarter-hour sums. */
static gboolean
read_periods (CriaStoreDb           *db,
              CriaStoreSpendingJob  *query,
              CriaSpending          *spending,
              GError               **error)
{
  static const char sql[] =
    "SELECT bucket, model, answers, tokens_in, tokens_out, cost, estimated, unpriced"
    " FROM spending_buckets WHERE bucket >= ?1 AND bucket < ?2 ORDER BY bucket";
  guint n_periods = query->n_edges - 1;
  g_autofree gint64 *bounds = g_new (gint64, query->n_edges);
  g_autofree GHashTable **tables = g_new0 (GHashTable *, n_periods);
  g_autoptr(GHashTable) range = sums_table_new ();
  sqlite3_stmt *stmt;
  guint period = 0;
  int rc;

  g_assert (g_thread_self () == db->thread);

  for (guint i = 0; i < query->n_edges; i++)
    bounds[i] = first_bucket_from (query->edges[i]);
  for (guint i = 0; i < n_periods; i++)
    tables[i] = sums_table_new ();

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, bounds[0]);
  sqlite3_bind_int64 (stmt, 2, bounds[n_periods]);

  /* In bucket order, so the periods are walked once. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 bucket = sqlite3_column_int64 (stmt, 0);
      const unsigned char *model = sqlite3_column_text (stmt, 1);
      Sums sums;

      while (period + 1 < n_periods && bucket >= bounds[period + 1])
        period++;
      read_sums (stmt, 2, &sums);
      sums_table_add (tables[period], model, &sums);
      sums_table_add (range, model, &sums);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (db, rc, error);
      goto fail;
    }

  for (guint i = 0; i < n_periods; i++)
    {
      spending->periods[i] = sums_table_to_rows (tables[i]);
      g_clear_pointer (&tables[i], g_hash_table_unref);
    }
  spending->range_models = sums_table_to_rows (range);

  return TRUE;

fail:
  for (guint i = 0; i < n_periods; i++)
    g_clear_pointer (&tables[i], g_hash_table_unref);
  return FALSE;
}

static gboolean
read_all_time (CriaStoreDb   *db,
               CriaSpending  *spending,
               GError       **error)
{
  static const char sql[] =
    "SELECT model, answers, tokens_in, tokens_out, cost, estimated, unpriced FROM spending_models";
  g_autoptr(GHashTable) models = sums_table_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Sums sums;

      read_sums (stmt, 1, &sums);
      sums_table_add (models, sqlite3_column_text (stmt, 0), &sums);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_error (db, rc, error);
      return FALSE;
    }

  spending->all_time_models = sums_table_to_rows (models);
  return TRUE;
}

static gboolean
read_top_conversations (CriaStoreDb   *db,
                        guint          n_top,
                        CriaSpending  *spending,
                        GError       **error)
{
  /* The index on (cost DESC, conversation_id) gives the order: the first
   * n_top rows are read, not the whole table. */
  static const char sql[] =
    "SELECT s.conversation_id, c.title, s.cost, s.answers, s.estimated"
    " FROM spending_conversations s LEFT JOIN conversations c ON c.id = s.conversation_id"
    " ORDER BY s.cost DESC, s.conversation_id LIMIT ?1";
  g_autoptr(GPtrArray) top =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_conversation_free);
  sqlite3_stmt *stmt;
  int rc;

  g_assert (g_thread_self () == db->thread);

  if (n_top > 0)
    {
      if ((stmt = _cria_store_db_prepare (db, sql, error)) == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, n_top);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          CriaSpendingConversation *conversation = g_new0 (CriaSpendingConversation, 1);

          conversation->id = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 0));
          conversation->title = _cria_store_dup_valid_text (sqlite3_column_text (stmt, 1));
          conversation->cost = sqlite3_column_int64 (stmt, 2) / PICODOLLARS;
          conversation->answers = sqlite3_column_int64 (stmt, 3);
          conversation->estimated = sqlite3_column_int64 (stmt, 4);
          if (conversation->id == NULL)
            conversation->id = g_strdup ("");
          g_ptr_array_add (top, conversation);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          set_error (db, rc, error);
          return FALSE;
        }
    }

  spending->top_conversations = g_steal_pointer (&top);
  return TRUE;
}

static gboolean
run_spending (CriaStoreDb   *db,
              CriaStoreJob  *job,
              GError       **error)
{
  CriaStoreSpendingJob *query = _cria_store_job_get_payload (job, &_cria_store_job_spending);
  g_autoptr(CriaSpending) spending = g_new0 (CriaSpending, 1);

  g_assert (g_thread_self () == db->thread);
  g_assert (query->n_edges >= 2);

  spending->n_periods = query->n_edges - 1;
  spending->edges = g_memdup2 (query->edges, query->n_edges * sizeof (gint64));
  spending->periods = g_new0 (GPtrArray *, spending->n_periods);

  /* One read transaction: the three reads see the same history, even with
   * another Cria writing to it. */
  if (!_cria_store_db_exec (db, "BEGIN", error))
    return FALSE;
  if (!read_periods (db, query, spending, error) ||
      g_cancellable_set_error_if_cancelled (db->cancellable, error) ||
      !read_all_time (db, spending, error) ||
      g_cancellable_set_error_if_cancelled (db->cancellable, error) ||
      !read_top_conversations (db, query->n_top, spending, error))
    {
      _cria_store_db_rollback (db);
      return FALSE;
    }
  if (!_cria_store_db_commit (db, error))
    return FALSE;

  query->spending = g_steal_pointer (&spending);
  return TRUE;
}

CriaStoreSpendingJob *
_cria_store_spending_job_new (const gint64 *edges,
                              guint         n_edges,
                              guint         n_top)
{
  CriaStoreSpendingJob *query = g_new0 (CriaStoreSpendingJob, 1);

  query->edges = g_memdup2 (edges, n_edges * sizeof (gint64));
  query->n_edges = n_edges;
  query->n_top = n_top;

  return query;
}

static void
spending_job_free (gpointer payload)
{
  CriaStoreSpendingJob *query = payload;

  g_free (query->edges);
  g_clear_pointer (&query->spending, cria_spending_free);
  g_free (query);
}

const CriaStoreJobType _cria_store_job_spending =
  { "spending", FALSE, run_spending, spending_job_free };

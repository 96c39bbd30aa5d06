/* bench-spending.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What a spending report costs on a year of history (100,000 answers,
 * bench-spending-history.h): cria_store_spending_async() for the last 90
 * days, one period per local day, with the ten most expensive conversations,
 * from the call to the result on the main context; the first run, then the
 * median of RUNS. Also the month alone (what the budget asks for), and what
 * the same 90 days cost when read from the messages themselves.
 *
 *   meson test -C BUILDDIR --benchmark --verbose spending
 *   or: bench-spending PATH [RUNS]      (the history is made when PATH is missing) */

#include "config.h"

#include <stdlib.h>

#include <sqlite3.h>

#include "bench-spending-history.h"
#include "cria-spending-periods.h"
#include "cria-spending.h"

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* One report, timed in ms; @spending_out takes it when not NULL. */
static double
time_report (CriaStore     *store,
             const gint64  *edges,
             guint          n_edges,
             guint          n_top,
             CriaSpending **spending_out)
{
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 started = g_get_monotonic_time ();
  double ms;

  cria_store_spending_async (store, edges, n_edges, n_top, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  spending = cria_store_spending_finish (store, result, &error);
  ms = (g_get_monotonic_time () - started) / 1e3;
  g_object_unref (result);
  if (spending == NULL)
    g_error ("The report failed: %s", error->message);

  if (spending_out != NULL)
    *spending_out = g_steal_pointer (&spending);

  return ms;
}

/* The median, least and most of @runs reports. */
static void
time_reports (CriaStore    *store,
              const gint64 *edges,
              guint         n_edges,
              guint         n_top,
              guint         runs,
              double       *median,
              double       *least,
              double       *most)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < runs; i++)
    {
      double ms = time_report (store, edges, n_edges, n_top, NULL);

      g_array_append_val (times, ms);
    }
  g_array_sort (times, compare_doubles);
  *median = g_array_index (times, double, times->len / 2);
  *least = g_array_index (times, double, 0);
  *most = g_array_index (times, double, times->len - 1);
}

/* The same 90 days added up from the messages, on a connection of its own:
 * what the sums save, and a check of the report's total. */
static double
time_scan (const char *path,
           gint64      start,
           gint64      end,
           gint64     *answers,
           double     *cost)
{
  static const char sql[] =
    "SELECT count (*), total (cost) FROM messages WHERE role = 'assistant' AND state != 'streaming'"
    " AND (cost >= 0 OR tokens_out >= 0) AND created >= ?1 AND created < ?2";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 started;
  double ms;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not read %s: %s", path, sqlite3_errmsg (db));

  started = g_get_monotonic_time ();
  sqlite3_bind_int64 (stmt, 1, start);
  sqlite3_bind_int64 (stmt, 2, end);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    g_error ("Could not read %s: %s", path, sqlite3_errmsg (db));
  *answers = sqlite3_column_int64 (stmt, 0);
  *cost = sqlite3_column_double (stmt, 1);
  ms = (g_get_monotonic_time () - started) / 1e3;

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return ms;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(CriaSpendingRow) range = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *edges = NULL;
  GAsyncResult *result = NULL;
  guint runs = 15;
  guint n_edges = 0;
  gint64 month[2];
  gint64 started;
  gint64 scan_answers;
  double scan_cost;
  double first, median, least, most, scan_ms;

  if (argc < 2 || argc > 3)
    {
      g_printerr ("usage: %s PATH [RUNS]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    runs = MAX (1, atoi (argv[2]));

  if (!g_file_test (argv[1], G_FILE_TEST_EXISTS))
    {
      started = g_get_monotonic_time ();
      if (!bench_spending_make_history (argv[1], g_get_real_time (), &error))
        g_error ("Could not make the history: %s", error->message);
      g_print ("made the history (%d answers, %d conversations, %d models) in %.1f s: %s\n",
               BENCH_SPENDING_ANSWERS, BENCH_SPENDING_CONVERSATIONS, BENCH_SPENDING_MODELS,
               (g_get_monotonic_time () - started) / 1e6, argv[1]);
    }

  started = g_get_monotonic_time ();
  store = cria_store_new (argv[1]);
  cria_store_open_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cria_store_open_finish (store, result, NULL, &error))
    g_error ("Could not open %s: %s", argv[1], error->message);
  g_clear_object (&result);
  g_print ("open the store: %.1f ms\n", (g_get_monotonic_time () - started) / 1e3);

  /* The Spending window's question: the last 90 days and the ten most
   * expensive conversations. */
  edges = cria_spending_day_edges (now, 90, &n_edges);
  first = time_report (store, edges, n_edges, 10, &spending);
  time_reports (store, edges, n_edges, 10, runs, &median, &least, &most);
  range = cria_spending_rows_total (spending->range_models);
  g_print ("report, 90 days (%u edges) + top 10: first %.2f ms, median of %u %.2f ms (min %.2f, max %.2f)\n",
           n_edges, first, runs, median, least, most);
  g_print ("  %" G_GINT64_FORMAT " answers, $%.2f, %u models in the 90 days; %u models in all\n",
           range->answers, range->cost, spending->range_models->len, spending->all_time_models->len);

  /* The budget's question: this month. */
  month[0] = cria_spending_month_start (now);
  month[1] = cria_spending_month_end (now);
  time_reports (store, month, 2, 0, runs, &median, &least, &most);
  g_print ("report, this month alone: median of %u %.2f ms (min %.2f, max %.2f)\n", runs, median, least, most);

  /* Reading the messages instead. */
  scan_ms = time_scan (argv[1], edges[0], edges[n_edges - 1], &scan_answers, &scan_cost);
  g_print ("the same 90 days added up from the messages: %.2f ms (%" G_GINT64_FORMAT " answers, $%.2f)\n",
           scan_ms, scan_answers, scan_cost);
  if (scan_answers != range->answers || ABS (scan_cost - range->cost) > 1e-6)
    g_error ("The report does not match the messages");

  return 0;
}

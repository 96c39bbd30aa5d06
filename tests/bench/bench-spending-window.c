/* bench-spending-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The spending window on a history of 100,000 answers: the time from
 * activating app.spending to the first painted frame that shows the
 * figures, over several runs (a new window each), and the store's query
 * alone.
 *
 * The history is bench-spending-history's (100,000 answers over the year
 * before now, 2,000 conversations, 8 models), made afresh in DATA-HOME so
 * that it ends now and the last 90 days are full.
 *
 *   bash build-aux/run-headless.sh meson test -C build-bench --benchmark --verbose spending-window
 *   or: bench-spending-window DATA-HOME [ROUNDS] */

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "bench-spending-history.h"
#include "cria-application.h"
#include "cria-spending-periods.h"
#include "cria-spending-window-private.h"

typedef struct
{
  CriaSpendingWindow *window;
  /* The figures were in place when a frame was laid out… */
  gboolean            laid_out;
  /* …and that frame has been painted, at this time. */
  gint64              painted_at;
  /* When the store's answer had been taken in. */
  gint64              loaded_at;
} Run;

static void
layout_cb (GdkFrameClock *clock,
           Run           *run)
{
  if (run->window != NULL && _cria_spending_window_get_n_loads (run->window) > 0)
    run->laid_out = TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Run           *run)
{
  if (run->laid_out && run->painted_at == 0)
    run->painted_at = g_get_monotonic_time ();
}

static void
realize_cb (GtkWidget *widget,
            Run       *run)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), run);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), run);
}

static CriaSpendingWindow *
find_spending_window (GtkApplication *app)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (CRIA_IS_SPENDING_WINDOW (l->data))
      return l->data;

  return NULL;
}

/* Activates app.spending as the main menu does and waits for the first
 * frame with the figures; returns the milliseconds it took. */
/* The store's part of the last run, in ms. */
static double last_loaded_ms;

static double
open_spending (GtkApplication *app)
{
  Run run = { NULL, FALSE, 0, 0 };
  gint64 started;

  started = g_get_monotonic_time ();
  g_action_group_activate_action (G_ACTION_GROUP (app), "spending", NULL);
  run.window = find_spending_window (app);
  g_assert (run.window != NULL);
  /* Presented inside the activation: no frame has been painted yet. */
  if (gtk_widget_get_realized (GTK_WIDGET (run.window)))
    realize_cb (GTK_WIDGET (run.window), &run);
  else
    g_signal_connect (run.window, "realize", G_CALLBACK (realize_cb), &run);

  while (run.painted_at == 0)
    {
      g_main_context_iteration (NULL, TRUE);
      if (run.loaded_at == 0 && _cria_spending_window_get_n_loads (run.window) > 0)
        run.loaded_at = g_get_monotonic_time ();
    }
  last_loaded_ms = ((run.loaded_at != 0 ? run.loaded_at : run.painted_at) - started) / 1e3;

  g_assert (g_str_equal (gtk_stack_get_visible_child_name (_cria_spending_window_get_stack (run.window)),
                         "figures"));
  g_signal_handlers_disconnect_by_data (gtk_widget_get_frame_clock (GTK_WIDGET (run.window)), &run);
  gtk_window_destroy (GTK_WINDOW (run.window));
  while (g_main_context_iteration (NULL, FALSE));

  return (run.painted_at - started) / 1e3;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The store's part alone: 90 days, the top 10, on the worker. */
static double
query_store (CriaStore *store,
             gint64    *n_answers)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree gint64 *edges = NULL;
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(CriaSpendingRow) total = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  gint64 started = g_get_monotonic_time ();
  guint n_edges;

  edges = cria_spending_day_edges (now, 90, &n_edges);
  cria_store_spending_async (store, edges, n_edges, 10, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  spending = cria_store_spending_finish (store, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  total = cria_spending_rows_total (spending->all_time_models);
  *n_answers = total->answers;

  return (g_get_monotonic_time () - started) / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_stats (const char *what,
             GArray     *values)
{
  g_array_sort (values, compare_doubles);
  g_print ("%s: median %.1f ms, p90 %.1f ms, min %.1f ms, max %.1f ms (%u runs)\n", what,
           g_array_index (values, double, values->len / 2),
           g_array_index (values, double, MIN (values->len - 1, values->len * 9 / 10)),
           g_array_index (values, double, 0), g_array_index (values, double, values->len - 1), values->len);
}

static gboolean painted;

static void
main_painted_cb (GdkFrameClock *clock,
                 gpointer       user_data)
{
  painted = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CriaApplication) app = NULL;
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) query_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) loaded_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  CriaWindow *window;
  gint64 n_answers = 0;
  guint rounds;
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  if (argc < 2)
    {
      g_printerr ("usage: %s DATA-HOME [ROUNDS]\n", argv[0]);
      return 2;
    }
  rounds = argc > 2 ? MAX (1, atoi (argv[2])) : 15;

  db = g_build_filename (argv[1], "cria", "cria.db", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *old = g_strconcat (db, suffixes[i], NULL);

      g_unlink (old);
    }
  g_print ("making the history (%d answers)…\n", BENCH_SPENDING_ANSWERS);
  if (!bench_spending_make_history (db, g_get_real_time (), &error))
    g_error ("Could not make the history: %s", error->message);
  g_setenv ("XDG_DATA_HOME", argv[1], TRUE);
  g_setenv ("LLAMAGATE_API_KEY", "bench", TRUE);
  g_setenv ("LLAMAGATE_API_BASE", "http://127.0.0.1:9/v1", TRUE);
  g_unsetenv ("NO_AT_BRIDGE");
  g_unsetenv ("GTK_A11Y");

  if (!gtk_init_check ())
    {
      g_print ("bench-spending-window: no display; run it in build-aux/run-headless.sh\n");
      return 77;
    }

  app = cria_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* The chat window the spending window is opened from, painted. */
  window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (main_painted_cb), NULL);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < 7; i++)
    {
      double ms = query_store (cria_application_get_store (app), &n_answers);

      g_array_append_val (query_ms, ms);
    }
  g_print ("history: %" G_GINT64_FORMAT " answers\n", n_answers);
  print_stats ("the store's query alone (90 days, top 10)", query_ms);

  /* One run uncounted: the first builds the classes and loads the icons. */
  g_print ("first open (uncounted): %.1f ms\n", open_spending (GTK_APPLICATION (app)));
  for (guint i = 0; i < rounds; i++)
    {
      double ms = open_spending (GTK_APPLICATION (app));

      g_array_append_val (open_ms, ms);
      g_array_append_val (loaded_ms, last_loaded_ms);
    }
  print_stats ("app.spending to the first frame with the figures (target <= 100 ms)", open_ms);
  print_stats ("of which app.spending to the figures taken in (window built, store answered)", loaded_ms);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

/* bench-history.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The history with a big data set (bench-make-history): opening a
 * 10,000-message conversation to its first painted frame, with the memory it
 * takes, and search as you type, keystroke by keystroke.
 *
 *   bash build-aux/run-headless.sh meson test -C build --benchmark --verbose history
 *   or: bench-history MAKE-HISTORY DATA-HOME (made when it has no history yet) */

#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "cria-application.h"
#include "cria-conversation-list.h"
#include "cria-window-private.h"

static gboolean painted;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  painted = TRUE;
}

static void
wait_for_paint (CriaWindow *window)
{
  painted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static double
rss_mib (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;
  long pages = 0;

  /* statm: size, resident, … in pages. */
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    {
      fields = g_strsplit (statm, " ", 3);
      if (fields[0] != NULL && fields[1] != NULL)
        pages = strtol (fields[1], NULL, 10);
    }

  return pages * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static double
maximum (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len - 1);
}

static double
open_and_paint (CriaWindow *window,
                const char *id,
                guint       expected)
{
  gint64 started = g_get_monotonic_time ();

  _cria_window_open_saved (window, id, NULL);
  while (g_strcmp0 (_cria_window_history_get_id (window), id) != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (window))) == expected);
  wait_for_paint (window);

  return (g_get_monotonic_time () - started) / 1e3;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CriaApplication) app = NULL;
  g_autoptr(CriaConversationList) list = NULL;
  g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keystroke_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *db = NULL;
  g_autofree char *big_id = NULL;
  g_autofree char *small_id = NULL;
  CriaWindow *window;
  CriaStore *store;
  double before, first_growth;
  double worst_short[3] = { 0, 0, 0 };  /* one letter, two, three or more */
  static const char * const typed[] = { "quokka lisbon", "compile server thread", "the garden", "violin orbit" };

  if (argc < 3)
    {
      g_printerr ("usage: %s MAKE-HISTORY DATA-HOME\n", argv[0]);
      return 2;
    }

  db = g_build_filename (argv[2], "cria", "cria.db", NULL);
  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    {
      const char *make[] = { argv[1], db, NULL };
      int status;

      g_print ("making the history (1,000 conversations of 100 messages, one of 10,000)…\n");
      if (!g_spawn_sync (NULL, (char **) make, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                         &status, &error) || !g_spawn_check_wait_status (status, &error))
        g_error ("bench-make-history failed: %s", error->message);
    }
  g_setenv ("XDG_DATA_HOME", argv[2], TRUE);
  g_setenv ("LLAMAGATE_API_KEY", "bench", TRUE);
  g_setenv ("LLAMAGATE_API_BASE", "http://127.0.0.1:9/v1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  if (!gtk_init_check ())
    {
      g_print ("bench-history: no display; run it in build-aux/run-headless.sh\n");
      return 77;
    }

  app = cria_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = cria_application_new_window (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  wait_for_paint (window);

  store = cria_application_get_store (app);
  list = cria_conversation_list_new (store);
  while (!cria_conversation_list_get_loaded (list))
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(CriaConversationInfo) info = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_strcmp0 (cria_conversation_info_get_title (info), "Big conversation") == 0)
        big_id = g_strdup (cria_conversation_info_get_id (info));
      else if (small_id == NULL)
        small_id = g_strdup (cria_conversation_info_get_id (info));
    }
  g_assert (big_id != NULL && small_id != NULL);
  g_print ("history: %u conversations listed\n", g_list_model_get_n_items (G_LIST_MODEL (list)));

  /* The store's part alone: one indexed query for the messages, on the worker. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CriaConversationRecord) record = NULL;
      g_autoptr(GPtrArray) messages = NULL;
      GAsyncResult *result = NULL;
      gint64 started = g_get_monotonic_time ();

      cria_store_load_conversation_async (store, big_id, NULL, result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      record = cria_store_load_conversation_finish (store, result, &messages, &error);
      g_assert_no_error (error);
      g_object_unref (result);
      g_print ("load 10,000 messages from the store: %.1f ms\n", (g_get_monotonic_time () - started) / 1e3);
    }

  /* Opening the big conversation, first time and again (a small one between). */
  before = rss_mib ();
  g_array_append_val (open_ms, (double) { open_and_paint (window, big_id, 10000) });
  first_growth = rss_mib () - before;
  for (guint i = 0; i < 5; i++)
    {
      double ms;

      open_and_paint (window, small_id, 100);
      ms = open_and_paint (window, big_id, 10000);
      g_array_append_val (open_ms, ms);
    }
  g_print ("open a 10,000-message conversation to first frame: first %.1f ms, median %.1f ms, max %.1f ms"
           " (target <= 250 ms)\n", g_array_index (open_ms, double, 0), median (open_ms), maximum (open_ms));
  g_print ("RSS growth opening it the first time: %.1f MiB (target <= 80 MiB); RSS now %.1f MiB\n",
           first_growth, rss_mib ());

  /* Search as you type, with a short conversation on screen: every prefix of
   * each phrase is one keystroke. The view finishes what it does after its
   * first frame (rows brought in above a tail that does not fill it) before
   * the first keystroke, which would otherwise wait behind it on the main
   * loop and time the view rather than the search. */
  open_and_paint (window, small_id, 100);
  wait_for_paint (window);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  wait_for_paint (window);
  for (guint p = 0; p < G_N_ELEMENTS (typed); p++)
    {
      for (gsize len = 1; typed[p][len - 1] != '\0'; len++)
        {
          g_autofree char *text = g_strndup (typed[p], len);
          g_autoptr(GPtrArray) hits = NULL;
          GAsyncResult *result = NULL;
          gint64 started = g_get_monotonic_time ();
          double ms;

          cria_store_search_async (store, text, 50, NULL, result_cb, &result);
          while (result == NULL)
            g_main_context_iteration (NULL, TRUE);
          hits = cria_store_search_finish (store, result, &error);
          g_assert_no_error (error);
          g_object_unref (result);
          ms = (g_get_monotonic_time () - started) / 1e3;
          g_array_append_val (keystroke_ms, ms);
          worst_short[MIN (len, 3) - 1] = MAX (worst_short[MIN (len, 3) - 1], ms);
          if (ms > 50)
            g_print ("  slow keystroke: “%s” %.1f ms, %u results\n", text, ms, hits->len);
        }
    }
  g_print ("search as you type (%u keystrokes, 50 results each): median %.1f ms, max %.1f ms (target <= 50 ms)\n",
           keystroke_ms->len, median (keystroke_ms), maximum (keystroke_ms));
  g_print ("  worst keystroke by length: one letter %.1f ms (titles only), two %.1f ms, three or more %.1f ms\n",
           worst_short[0], worst_short[1], worst_short[2]);

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

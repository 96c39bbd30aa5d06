/* bench-documents.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures reading a 500-page text PDF (made here with cairo, 40 lines a
 * page) into a document: the time from the call to the result, and the
 * longest the main loop went without running while the worker read it (a
 * 1 ms timeout notes every gap). Beside it, in the same run, the plain way:
 * poppler opening the bytes and taking each page's text on the calling
 * thread. Targets: 3 s, and no main-loop stall over 16 ms. It reports
 * numbers and exits 0; it exits 1 only when the result is wrong.
 *
 *   meson test -C build --benchmark --verbose documents
 *   or: ./build/tests/bench/bench-documents [RUNS] */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <poppler.h>

#include "cria-document-reader.h"
#include "cria-test-pdf.h"

#define N_PAGES 500
#define LINES_PER_PAGE 40

typedef struct
{
  CriaDocument *document;
  GError       *error;
  gboolean      done;
  gint64        last_tick;
  gint64        longest_gap;
  guint         n_progress;
} Run;

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->longest_gap = MAX (run->longest_gap, now - run->last_tick);
  run->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Run *run = user_data;

  run->n_progress++;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->document = cria_document_read_file_finish (result, &run->error);
  run->done = TRUE;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The plain way: poppler on the calling thread, nothing else. */
static double
plain_ms (GBytes *pdf)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  PopplerDocument *document = poppler_document_new_from_bytes (pdf, NULL, &error);
  gsize total = 0;

  g_assert_no_error (error);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      g_autofree char *text = poppler_page_get_text (page);

      total += strlen (text);
      g_object_unref (page);
    }
  g_object_unref (document);
  g_assert_cmpuint (total, >, 0);

  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *times = NULL;
  g_autofree double *stalls = NULL;
  g_autofree double *plains = NULL;
  g_autofree char *size = NULL;
  int runs = 5;
  int status = 0;

  if (argc > 1)
    runs = MAX (1, atoi (argv[1]));

  dir = g_dir_make_tmp ("cria-bench-documents-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "long.pdf", NULL);
  pdf = cria_test_make_pdf (N_PAGES, LINES_PER_PAGE, 0);
  g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);
  size = g_format_size (g_bytes_get_size (pdf));

  times = g_new0 (double, runs);
  stalls = g_new0 (double, runs);
  plains = g_new0 (double, runs);

  for (int i = 0; i < runs; i++)
    {
      Run run = { 0 };
      gint64 start;
      guint tick;

      run.last_tick = start = g_get_monotonic_time ();
      tick = g_timeout_add (1, tick_cb, &run);
      cria_document_read_file_async (file, NULL, NULL, progress_cb, &run, read_cb, &run);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      tick_cb (&run);
      g_source_remove (tick);
      stalls[i] = run.longest_gap / 1000.0;

      if (run.document == NULL)
        {
          g_printerr ("reading failed: %s\n", run.error->message);
          return 1;
        }
      if (cria_document_get_n_pages (run.document) != N_PAGES ||
          strstr (g_ptr_array_index (run.document->pages, N_PAGES - 1), "Page 500, line 40:") == NULL)
        {
          g_printerr ("wrong result: %u pages\n", cria_document_get_n_pages (run.document));
          status = 1;
        }
      if (i == 0)
        printf ("%d-page PDF (%s): %" G_GINT64_FORMAT " tokens, %u progress reports\n",
                N_PAGES, size, run.document->tokens, run.n_progress);
      cria_document_unref (run.document);

      /* Side by side, run for run. */
      plains[i] = plain_ms (pdf);
    }

  qsort (times, runs, sizeof (double), compare_doubles);
  qsort (stalls, runs, sizeof (double), compare_doubles);
  qsort (plains, runs, sizeof (double), compare_doubles);
  printf ("read (worker thread): best %.0f ms, median %.0f ms over %d runs (target ≤ 3000 ms)\n",
          times[0], times[runs / 2], runs);
  printf ("longest main-loop stall meanwhile: %.1f ms, median run %.1f ms (target ≤ 16 ms)\n",
          stalls[runs - 1], stalls[runs / 2]);
  printf ("plain poppler on the calling thread, same run: median %.0f ms; ours is %.2f× that\n",
          plains[runs / 2], times[runs / 2] / plains[runs / 2]);

  g_unlink (path);
  g_rmdir (dir);

  return status;
}

/* bench-first-frame.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench-first-frame.h"

/* How long the resident set must stay the same (in steps of SETTLE_STEP_MS)
 * for the program to count as idle, and the longest it is waited for. */
#define SETTLE_STEP_MS   100
#define SETTLE_STEPS     5
#define SETTLE_MAX_STEPS 50

static long last_rss_kib = -1;
static guint n_same, n_steps;

static long
rss_kib (void)
{
  g_autofree char *statm = NULL;
  long pages = -1;

  /* statm: size, resident, … in pages. */
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%*d %ld", &pages);

  return pages < 0 ? -1 : pages * (sysconf (_SC_PAGESIZE) / 1024);
}

/* Idle memory: the resident set once what the program does after its first
 * frame (the deferred start-up work) is done and it has stopped growing. */
static gboolean
settle_cb (gpointer user_data)
{
  long rss = rss_kib ();

  n_same = rss == last_rss_kib ? n_same + 1 : 0;
  last_rss_kib = rss;
  if (n_same < SETTLE_STEPS && ++n_steps < SETTLE_MAX_STEPS)
    return G_SOURCE_CONTINUE;

  printf ("idle-rss %ld %s\n", rss, n_same >= SETTLE_STEPS ? "settled" : "still-changing");
  fflush (stdout);
  _exit (0);
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  GdkDisplay *display = gdk_display_get_default ();
  gint64 now;

  g_signal_handlers_disconnect_by_func (frame_clock, after_paint_cb, user_data);

  /* The frame is sent to the X server before the time is taken, and has
   * reached it before the program exits (so the parent sees it there too).
   * CLOCK_MONOTONIC: the parent reads the same clock before it forks. */
  gdk_display_flush (display);
  now = g_get_monotonic_time ();
  gdk_display_sync (display);
  printf ("first-frame %" G_GINT64_FORMAT " %ld\n", now, rss_kib ());
  fflush (stdout);

  if (g_getenv ("BENCH_IDLE_RSS") == NULL)
    _exit (0);
  last_rss_kib = rss_kib ();
  g_timeout_add (SETTLE_STEP_MS, settle_cb, NULL);
}

static void
realize_cb (GtkWidget *window,
            gpointer   user_data)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  g_signal_handlers_disconnect_by_func (app, window_added_cb, user_data);
  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    realize_cb (GTK_WIDGET (window), NULL);
  else
    g_signal_connect_after (window, "realize", G_CALLBACK (realize_cb), NULL);
}

void
bench_first_frame_watch (GtkApplication *app)
{
  g_return_if_fail (GTK_IS_APPLICATION (app));

  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
}

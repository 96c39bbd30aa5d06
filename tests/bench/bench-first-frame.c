/* bench-first-frame.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <unistd.h>

#include "bench-first-frame.h"

static void
after_paint_cb (GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  GdkDisplay *display = gdk_display_get_default ();
  gint64 now;

  /* The frame is sent to the X server before the time is taken, and has
   * reached it before the program exits (so the parent sees it there too).
   * CLOCK_MONOTONIC: the parent reads the same clock before it forks. */
  gdk_display_flush (display);
  now = g_get_monotonic_time ();
  gdk_display_sync (display);
  printf ("first-frame %" G_GINT64_FORMAT "\n", now);
  fflush (stdout);
  _exit (0);
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

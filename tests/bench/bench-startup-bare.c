/* bench-startup-bare.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The baseline of the start-up benchmark: the least a libadwaita app does to
 * show a window — an AdwApplication and an AdwApplicationWindow with a header
 * bar. It exits at its first painted frame (bench-first-frame.c). */

#include <adwaita.h>

#include "bench-first-frame.h"

static void
activate_cb (GtkApplication *app,
             gpointer        user_data)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.cria.BenchBare",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  bench_first_frame_watch (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}

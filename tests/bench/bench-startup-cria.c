/* bench-startup-cria.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Cria as src/main.c starts it, plus a watch that exits at the first painted
 * frame of its window (bench-first-frame.c), for the start-up benchmark. */

#include "config.h"

#include <glib/gi18n.h>

#include "bench-first-frame.h"
#include "cria-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CriaApplication) app = NULL;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cria_application_new ();
  bench_first_frame_watch (GTK_APPLICATION (app));

  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* bench-make-spending-history.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes the spending benchmarks' history (bench-spending-history.h) for
 * programs that cannot link it: 100,000 answers over the year before now
 * (or before END, seconds since 1970), 2,000 conversations, 8 models.
 *
 *   bench-make-spending-history PATH [END] */

#include "config.h"

#include "bench-spending-history.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gint64 end = g_get_real_time ();
  gint64 started = g_get_monotonic_time ();

  if (argc < 2 || argc > 3)
    {
      g_printerr ("usage: %s PATH [END]\n", argv[0]);
      return 2;
    }
  if (argc > 2)
    end = g_ascii_strtoll (argv[2], NULL, 10) * G_USEC_PER_SEC;

  if (!bench_spending_make_history (argv[1], end, &error))
    {
      g_printerr ("%s: %s\n", argv[0], error->message);
      return 1;
    }

  g_print ("made %d answers in %d conversations in %.1f s: %s\n", BENCH_SPENDING_ANSWERS,
           BENCH_SPENDING_CONVERSATIONS, (g_get_monotonic_time () - started) / 1e6, argv[1]);

  return 0;
}

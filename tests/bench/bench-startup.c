/* bench-startup.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures start-up: the time from fork/exec to the first painted frame of
 * the window, for Cria and for a bare libadwaita window, run alternately in
 * one session so the machine's noise hits both alike. Two ways of seeing the
 * first frame:
 *
 *   - in-process: bench-startup-cria (src/main.c plus a frame-clock watch)
 *     and bench-startup-bare print the CLOCK_MONOTONIC time of their first
 *     "after-paint" and exit;
 *   - from the X server, for the real, unmodified build/src/cria as well:
 *     the first DAMAGE event on a top-level window after it is mapped. The
 *     in-process programs are watched both ways, which checks the X figure.
 *
 * The programs get LLAMAGATE_API_KEY and a LLAMAGATE_API_BASE on a closed
 * loopback port, so Cria goes straight to the chat page without a network.
 * AT-SPI stays on (GTK_A11Y and NO_AT_BRIDGE are unset).
 *
 *   bash build-aux/run-headless.sh meson test -C build-bench --benchmark --verbose startup
 *   or, with GSETTINGS_SCHEMA_DIR=build-bench/data GSETTINGS_BACKEND=memory:
 *      bash build-aux/run-headless.sh build-bench/tests/bench/bench-startup \
 *         BARE CRIA-LAUNCHER CRIA [RUNS]
 *
 * The in-process programs also report their resident memory (RSS) at the
 * first frame and once idle after it: when it has stayed the same for half a
 * second (bench-first-frame.c, BENCH_IDLE_RSS), so the work Cria defers past
 * its first frame is counted.
 *
 * Exits 0 with the figures, 1 when a program did not show a frame. */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

#define TIMEOUT_USEC (20 * G_USEC_PER_SEC)

typedef struct
{
  const char *name;
  const char *path;
  gboolean    prints;        /* prints "first-frame TIME" */
  const char *data_home;     /* XDG_DATA_HOME for it, or NULL to inherit */
  GArray     *in_process;    /* double ms */
  GArray     *x_damage;      /* double ms */
  GArray     *frame_rss;     /* double MiB, resident at the first frame */
  GArray     *idle_rss;      /* double MiB, resident once settled after it */
} Program;

static Display *dpy;
static int damage_event_base;

static int
ignore_x_error (Display     *display,
                XErrorEvent *event)
{
  /* Windows come and go under the watch (InputOnly windows refuse DAMAGE,
   * and a window may be gone by the time it is watched). */
  return 0;
}

/* A loopback port nothing listens on: bound, read, closed. */
static int
closed_port (void)
{
  struct sockaddr_in addr = { 0, };
  socklen_t len = sizeof addr;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  int port;

  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) &addr, sizeof addr) < 0 ||
      getsockname (fd, (struct sockaddr *) &addr, &len) < 0)
    port = 9;
  else
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);

  return port;
}

typedef struct
{
  Window window;
  Damage damage;
  gboolean mapped;
} Watched;

/* Runs @program once; returns FALSE when it showed no frame in time. */
static gboolean
run_once (Program *program)
{
  g_autoptr(GArray) watched = g_array_new (FALSE, TRUE, sizeof (Watched));
  g_autoptr(GString) out = g_string_new (NULL);
  int pipe_fds[2];
  gint64 started, frame_at = 0, damage_at = 0;
  long frame_rss = -1, idle_rss = -1;
  pid_t pid;
  gboolean ok;

  XSync (dpy, True);
  if (pipe (pipe_fds) < 0)
    return FALSE;

  started = g_get_monotonic_time ();
  pid = fork ();
  if (pid == 0)
    {
      dup2 (pipe_fds[1], STDOUT_FILENO);
      close (pipe_fds[0]);
      close (pipe_fds[1]);
      if (program->data_home != NULL)
        setenv ("XDG_DATA_HOME", program->data_home, 1);
      execl (program->path, program->path, (char *) NULL);
      _exit (127);
    }
  close (pipe_fds[1]);

  while (((frame_at == 0 || idle_rss < 0) && program->prints) || damage_at == 0)
    {
      struct pollfd fds[2] = {
        { ConnectionNumber (dpy), POLLIN, 0 },
        { pipe_fds[0], POLLIN, 0 },
      };
      gint64 left = started + TIMEOUT_USEC - g_get_monotonic_time ();

      if (left <= 0)
        break;
      /* The frame was seen in-process: the X server has it by now too, and
       * the program settles within 5 s (bench-first-frame.c). */
      if (frame_at != 0 && g_get_monotonic_time () - frame_at > 8 * G_USEC_PER_SEC)
        break;
      if (frame_at != 0)
        left = MIN (left, 100 * 1000);
      if (XPending (dpy) == 0 &&
          poll (fds, (pipe_fds[0] >= 0) ? 2 : 1, (int) (left / 1000) + 1) < 0 &&
          errno != EINTR)
        break;

      while (XPending (dpy) > 0)
        {
          XEvent event;

          XNextEvent (dpy, &event);
          if (event.type == CreateNotify && !event.xcreatewindow.override_redirect)
            {
              Watched w = { event.xcreatewindow.window, 0, FALSE };

              w.damage = XDamageCreate (dpy, w.window, XDamageReportNonEmpty);
              g_array_append_val (watched, w);
            }
          else if (event.type == MapNotify)
            {
              for (guint i = 0; i < watched->len; i++)
                if (g_array_index (watched, Watched, i).window == event.xmap.window)
                  g_array_index (watched, Watched, i).mapped = TRUE;
            }
          else if (event.type == damage_event_base + XDamageNotify)
            {
              XDamageNotifyEvent *de = (XDamageNotifyEvent *) &event;

              for (guint i = 0; i < watched->len; i++)
                {
                  Watched *w = &g_array_index (watched, Watched, i);

                  if (w->window == de->drawable && w->mapped && damage_at == 0)
                    damage_at = g_get_monotonic_time ();
                }
              XDamageSubtract (dpy, de->damage, None, None);
            }
        }

      if (pipe_fds[0] >= 0 && (fds[1].revents & (POLLIN | POLLHUP)) != 0)
        {
          char buf[256];
          ssize_t n = read (pipe_fds[0], buf, sizeof buf);

          if (n > 0)
            {
              const char *line;

              g_string_append_len (out, buf, n);
              line = strstr (out->str, "first-frame ");
              if (frame_at == 0 && line != NULL && strchr (line, '\n') != NULL)
                {
                  char *end = NULL;

                  frame_at = g_ascii_strtoll (line + strlen ("first-frame "), &end, 10);
                  frame_rss = strtol (end, NULL, 10);
                }
              line = strstr (out->str, "idle-rss ");
              if (line != NULL && strchr (line, '\n') != NULL)
                idle_rss = strtol (line + strlen ("idle-rss "), NULL, 10);
            }
          else if (n == 0)
            {
              close (pipe_fds[0]);
              pipe_fds[0] = -1;
            }
        }
    }

  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  if (pipe_fds[0] >= 0)
    close (pipe_fds[0]);
  for (guint i = 0; i < watched->len; i++)
    XDamageDestroy (dpy, g_array_index (watched, Watched, i).damage);
  XSync (dpy, True);

  ok = damage_at != 0 && ((frame_at != 0 && idle_rss > 0) || !program->prints);
  if (!ok)
    {
      g_printerr ("bench-startup: %s showed no frame within %d s\n", program->name,
                  (int) (TIMEOUT_USEC / G_USEC_PER_SEC));
      return FALSE;
    }

  if (program->prints)
    {
      double ms = (frame_at - started) / 1e3;

      g_array_append_val (program->in_process, ms);
      ms = frame_rss / 1024.0;
      g_array_append_val (program->frame_rss, ms);
      ms = idle_rss / 1024.0;
      g_array_append_val (program->idle_rss, ms);
    }
  {
    double ms = (damage_at - started) / 1e3;

    g_array_append_val (program->x_damage, ms);
  }

  return TRUE;
}

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;

  if (values->len == 0)
    return 0;

  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_double);

  return g_array_index (sorted, double, (guint) (p * (sorted->len - 1) + 0.5));
}

static void
report (const char *what,
        GArray     *values)
{
  g_print ("  %-34s median %7.1f ms  p90 %7.1f ms  min %7.1f ms  (", what,
           percentile (values, 0.5), percentile (values, 0.9), percentile (values, 0.0));
  for (guint i = 0; i < values->len; i++)
    g_print ("%s%.0f", i > 0 ? " " : "", g_array_index (values, double, i));
  g_print (")\n");
}

static void
report_mib (const char *what,
            GArray     *values)
{
  g_print ("  %-34s median %7.1f MiB  min %7.1f MiB  max %7.1f MiB\n", what,
           percentile (values, 0.5), percentile (values, 0.0), percentile (values, 1.0));
}

static double
median_ratio (GArray *a,
              GArray *b)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < MIN (a->len, b->len); i++)
    {
      double r = g_array_index (a, double, i) / g_array_index (b, double, i);

      g_array_append_val (ratios, r);
    }

  return percentile (ratios, 0.5);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *base = NULL;
  g_autofree char *empty_home = NULL;
  g_autofree char *full_home = NULL;
  Program programs[4] = {
    { "bare", NULL, TRUE, NULL, NULL, NULL },
    { "cria-launcher", NULL, TRUE, NULL, NULL, NULL },
    { "cria", NULL, FALSE, NULL, NULL, NULL },
    { "cria-launcher, big history", NULL, TRUE, NULL, NULL, NULL },
  };
  guint n_programs = 3;
  int runs, error_base;
  gboolean ok = TRUE;

  if (argc < 4)
    {
      g_printerr ("usage: %s BARE CRIA-LAUNCHER CRIA [RUNS [MAKE-HISTORY HISTORY-ROOT]]\n", argv[0]);
      return 2;
    }
  runs = argc > 4 ? atoi (argv[4]) : 20;

  /* With a history generator: Cria with an empty history beside Cria with
   * 1,000 conversations and 100,000 messages (made once, then kept). */
  if (argc > 6)
    {
      g_autofree char *db = NULL;

      empty_home = g_build_filename (argv[6], "empty", NULL);
      full_home = g_build_filename (argv[6], "full", NULL);
      db = g_build_filename (full_home, "cria", "cria.db", NULL);
      g_mkdir_with_parents (empty_home, 0700);
      if (!g_file_test (db, G_FILE_TEST_EXISTS))
        {
          const char *make[] = { argv[5], db, NULL };
          g_autoptr(GError) error = NULL;
          int status;

          g_print ("making the history (1,000 conversations of 100 messages, one of 10,000)…\n");
          if (!g_spawn_sync (NULL, (char **) make, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL,
                             &status, &error) || !g_spawn_check_wait_status (status, &error))
            {
              g_printerr ("bench-startup: %s\n", error->message);
              return 1;
            }
        }
      programs[1].data_home = empty_home;
      programs[2].data_home = empty_home;
      programs[3].data_home = full_home;
      programs[3].path = argv[2];
      n_programs = 4;
    }

  dpy = XOpenDisplay (NULL);
  if (dpy == NULL)
    {
      g_print ("bench-startup: no display; run it in build-aux/run-headless.sh\n");
      return 77;
    }
  if (!XDamageQueryExtension (dpy, &damage_event_base, &error_base))
    {
      g_printerr ("bench-startup: the X server has no DAMAGE extension\n");
      return 1;
    }
  XSetErrorHandler (ignore_x_error);
  XSelectInput (dpy, DefaultRootWindow (dpy), SubstructureNotifyMask);

  g_unsetenv ("GTK_A11Y");
  g_unsetenv ("NO_AT_BRIDGE");
  base = g_strdup_printf ("http://127.0.0.1:%d/v1", closed_port ());
  g_setenv ("LLAMAGATE_API_KEY", "x", TRUE);
  g_setenv ("LLAMAGATE_API_BASE", base, TRUE);
  g_setenv ("BENCH_IDLE_RSS", "1", TRUE);

  for (guint i = 0; i < n_programs; i++)
    {
      if (i < 3)
        programs[i].path = argv[i + 1];
      programs[i].in_process = g_array_new (FALSE, FALSE, sizeof (double));
      programs[i].x_damage = g_array_new (FALSE, FALSE, sizeof (double));
      programs[i].frame_rss = g_array_new (FALSE, FALSE, sizeof (double));
      programs[i].idle_rss = g_array_new (FALSE, FALSE, sizeof (double));
    }

  g_print ("LLAMAGATE_API_BASE=%s GSK_RENDERER=%s GDK_DEBUG=%s; %d runs each, alternating\n",
           base, g_getenv ("GSK_RENDERER"), g_getenv ("GDK_DEBUG"), runs);

  /* A warm-up run of each, not counted: page cache, fontconfig cache, the
   * AT-SPI bus activated. */
  for (guint i = 0; i < n_programs && ok; i++)
    {
      ok = run_once (&programs[i]);
      g_array_set_size (programs[i].in_process, 0);
      g_array_set_size (programs[i].x_damage, 0);
      g_array_set_size (programs[i].frame_rss, 0);
      g_array_set_size (programs[i].idle_rss, 0);
    }

  for (int r = 0; r < runs && ok; r++)
    for (guint k = 0; k < n_programs && ok; k++)
      {
        /* Rotate the order each round, so none always runs first. */
        ok = run_once (&programs[(k + r) % n_programs]);
      }

  g_print ("exec to first painted frame:\n");
  report ("bare, in-process after-paint", programs[0].in_process);
  report ("bare, X damage", programs[0].x_damage);
  report ("cria-launcher, in-process", programs[1].in_process);
  report ("cria-launcher, X damage", programs[1].x_damage);
  report ("build/src/cria, X damage", programs[2].x_damage);
  g_print ("ratio cria/bare (medians, in-process):   %.2f (target <= 1.2)\n",
           percentile (programs[1].in_process, 0.5) / percentile (programs[0].in_process, 0.5));
  g_print ("ratio cria/bare (median of run pairs):   %.2f (target <= 1.2)\n",
           median_ratio (programs[1].in_process, programs[0].in_process));
  g_print ("ratio src/cria/bare (medians, X damage): %.2f\n",
           percentile (programs[2].x_damage, 0.5) / percentile (programs[0].x_damage, 0.5));

  g_print ("resident memory (RSS):\n");
  report_mib ("bare, at the first frame", programs[0].frame_rss);
  report_mib ("bare, idle after it", programs[0].idle_rss);
  report_mib ("cria-launcher, at the first frame", programs[1].frame_rss);
  report_mib ("cria-launcher, idle after it", programs[1].idle_rss);
  g_print ("ratio cria/bare, idle RSS (medians):     %.2f\n",
           percentile (programs[1].idle_rss, 0.5) / percentile (programs[0].idle_rss, 0.5));

  if (n_programs == 4)
    {
      report_mib ("cria-launcher, big history, idle", programs[3].idle_rss);
      g_print ("ratio big history/bare, idle RSS (medians): %.2f\n",
               percentile (programs[3].idle_rss, 0.5) / percentile (programs[0].idle_rss, 0.5));
      report ("cria-launcher, big history, in-process", programs[3].in_process);
      g_print ("ratio big/empty history (medians, in-process): %.2f (target <= 1.2)\n",
               percentile (programs[3].in_process, 0.5) / percentile (programs[1].in_process, 0.5));
      g_print ("ratio big/empty history (median of run pairs): %.2f\n",
               median_ratio (programs[3].in_process, programs[1].in_process));
      g_print ("ratio big history/bare (medians, in-process):  %.2f (target <= 1.2)\n",
               percentile (programs[3].in_process, 0.5) / percentile (programs[0].in_process, 0.5));
      g_print ("ratio big history/bare (median of run pairs): %.2f (target <= 1.2)\n",
               median_ratio (programs[3].in_process, programs[0].in_process));
    }

  for (guint i = 0; i < n_programs; i++)
    {
      g_array_unref (programs[i].in_process);
      g_array_unref (programs[i].x_damage);
      g_array_unref (programs[i].frame_rss);
      g_array_unref (programs[i].idle_rss);
    }
  XCloseDisplay (dpy);

  return ok ? 0 : 1;
}

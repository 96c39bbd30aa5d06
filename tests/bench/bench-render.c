/* bench-render.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures how the conversation view keeps up with a streaming answer. A real
 * CriaWindow shows 200 finished messages, then a long Markdown answer streams
 * into a new assistant message at a steady token rate, token by token through
 * CriaChatReply's mutators and CriaMessage, as the client would drive it. It
 * reports, per phase:
 *
 *   - frame work: before-paint to after-paint of the window's frame clock,
 *     p50, p90 and max, and its split into update (tick callbacks), layout
 *     and paint;
 *   - the longest main-loop stall: the longest gap between dispatches of a
 *     1 ms high-priority timeout;
 *   - main-thread CPU time per 1,000 tokens over the first and the last 5,000
 *     tokens of the long answer, their ratio, and how much of it is the
 *     appending itself (outside frames);
 *   - whether the view stayed at the bottom;
 *   - the resident memory (RSS) before the streams and after each.
 *
 * AT-SPI is on: GTK_A11Y and NO_AT_BRIDGE are unset, and the run lists the
 * applications on the AT-SPI registry, where this one must appear
 * (CRIA_BENCH_A11Y=0 turns accessibility off, for comparison). Run it in a
 * headless session:
 *
 *   bash build-aux/run-headless.sh meson test -C build-bench --benchmark --verbose render
 *   or, with GSETTINGS_SCHEMA_DIR=build-bench/data GSETTINGS_BACKEND=memory:
 *      bash build-aux/run-headless.sh build-bench/tests/bench/bench-render \
 *         [TOKENS] [LONG-TOKENS] [TOKENS-PER-SECOND]
 *
 * It exits 0 with the figures, 1 when a stream did not complete or the text
 * did not arrive whole, 77 without a display. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>

#include "cria-application.h"
#include "cria-chat-reply-private.h"
#include "cria-chat-view-private.h"
#include "cria-message-private.h"
#include "cria-message-row.h"
#include "cria-window-private.h"

#define N_HISTORY       200
#define CPU_WINDOW      1000
#define CPU_SPAN        5000

typedef struct
{
  const char  *name;
  GPtrArray   *tokens;        /* char * */
  GString     *expected;
  guint        next;
  gint64       started_at;
  CriaMessage *message;
  CriaChatReply *reply;

  GArray      *frame_work;    /* gint64 µs */
  GArray      *update_work;   /* tick callbacks */
  GArray      *layout_work;   /* measure and allocate */
  GArray      *paint_work;    /* snapshot and render */
  GArray      *append_cpu;    /* gint64 ns of appending per CPU_WINDOW tokens */
  gint64       append_cpu_acc;
  gint64       max_gap;
  GArray      *cpu_per_window;  /* gint64 ns per CPU_WINDOW tokens */
  gint64       window_cpu_start;
  guint        frames_total;
  guint        frames_at_bottom;
  guint        frames_settled;
  gboolean     ended_at_bottom;
  gint64       wall_usec;
  double       rss_after;     /* MiB, once the last frames are drawn */
} Phase;

typedef struct
{
  CriaApplication *app;
  CriaWindow      *window;
  GListStore      *store;
  GMainLoop       *loop;
  GdkFrameClock   *frame_clock;
  double           rate;
  Phase           *phase;
  gint64           paint_started;
  gint64           layout_done;   /* layout phase started */
  gint64           paint_done;    /* paint phase started */
  gint64           last_tick;
  guint            feed_id;
  guint            tick_id;
  gboolean         failed;
} Bench;

static gint64
thread_cpu_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* ---------------------------------------------------------------- text --- */

static const char * const words[] = {
  "gateway", "model", "stream", "token", "latency", "request", "the", "a",
  "answer", "context", "window", "with", "and", "of", "to", "quickly",
  "render", "layout", "cache", "reply", "server", "client", "budget", "frame",
};

static void
append_words (GString *out,
              GRand   *rand,
              int      n)
{
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static void
append_paragraph (GString *out,
                  GRand   *rand)
{
  int sentences = g_rand_int_range (rand, 3, 6);

  for (int s = 0; s < sentences; s++)
    {
      if (s > 0)
        g_string_append_c (out, ' ');
      append_words (out, rand, g_rand_int_range (rand, 6, 14));
      if (g_rand_int_range (rand, 0, 4) == 0)
        g_string_append (out, " with `inline_code()` and **bold** text");
      g_string_append_c (out, '.');
    }
  g_string_append (out, "\n\n");
}

static void
append_code (GString *out,
             GRand   *rand)
{
  int lines = g_rand_int_range (rand, 4, 12);

  g_string_append (out, "```c\n");
  for (int i = 0; i < lines; i++)
    g_string_append_printf (out, "  result = compute_%s (context, %d); /* %s */\n",
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i,
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
  g_string_append (out, "```\n\n");
}

static void
append_list (GString *out,
             GRand   *rand)
{
  int items = g_rand_int_range (rand, 3, 7);

  for (int i = 0; i < items; i++)
    {
      g_string_append (out, g_rand_boolean (rand) ? "- " : "1. ");
      append_words (out, rand, g_rand_int_range (rand, 4, 12));
      g_string_append_c (out, '\n');
    }
  g_string_append_c (out, '\n');
}

static void
append_table (GString *out,
              GRand   *rand)
{
  int rows = g_rand_int_range (rand, 3, 8);

  g_string_append (out, "| Model | Tokens/s | Cost |\n|---|---:|---:|\n");
  for (int i = 0; i < rows; i++)
    g_string_append_printf (out, "| %s-%d | %d | $%d.%02d |\n",
                            words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i,
                            g_rand_int_range (rand, 10, 900),
                            g_rand_int_range (rand, 0, 9), g_rand_int_range (rand, 0, 99));
  g_string_append_c (out, '\n');
}

/* A Markdown answer of about @n_tokens tokens of about four characters:
 * headings, prose, lists, code fences and tables, cut into tokens. */
static GPtrArray *
make_tokens (guint    n_tokens,
             guint32  seed,
             GString *whole)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  gsize pos = 0;
  int section = 0;

  while (text->len < (gsize) n_tokens * 4 + 64)
    {
      g_string_append_printf (text, "## Section %d\n\n", ++section);
      append_paragraph (text, rand);
      switch (section % 4)
        {
        case 0: append_code (text, rand); break;
        case 1: append_list (text, rand); break;
        case 2: append_table (text, rand); break;
        default: append_paragraph (text, rand); break;
        }
      append_paragraph (text, rand);
    }

  while (tokens->len < n_tokens && pos < text->len)
    {
      gsize len = MIN ((gsize) g_rand_int_range (rand, 2, 7), text->len - pos);

      g_ptr_array_add (tokens, g_strndup (text->str + pos, len));
      g_string_append_len (whole, text->str + pos, len);
      pos += len;
    }

  return tokens;
}

/* ------------------------------------------------------------- maths --- */

/* Formulas as models write them, each made unique by its numbers, so that
 * none is served from another's layout: each # becomes a number. */
static const char * const inline_formulas[] = {
  "$x^{#} + y^{#}$", "$\\frac{#}{#}$", "$\\sqrt{# + #}$", "$a_{#} = a_{#} + 1$",
  "$\\alpha_{#} \\leq \\beta_{#}$", "$e^{-# t} \\sin(# t)$", "$\\binom{#}{#}$",
  "$\\sum_{i=1}^{#} i^{#}$",
};

static const char * const display_formulas[] = {
  "$$\n\\sum_{i=1}^{#} i^{#} = \\frac{n(n+1)}{2}\n$$\n\n",
  "$$\n\\int_0^{#} x^{#}\\,dx\n$$\n\n",
  "$$\n\\begin{pmatrix} # & 0 \\\\ 0 & # \\end{pmatrix}\n$$\n\n",
  "$$\n\\lim_{n \\to \\infty} \\left(1 + \\frac{#}{n}\\right)^{# n}\n$$\n\n",
};

typedef struct
{
  GRand   *rand;
  GArray  *ends;        /* gsize: where each formula ends in the text */
  gsize    target_len;
  guint    n_formulas;
} MathText;

static void
append_formula (GString    *out,
                MathText   *m,
                const char *format)
{
  for (const char *p = format; *p != '\0'; p++)
    {
      if (*p == '#')
        g_string_append_printf (out, "%d", g_rand_int_range (m->rand, 2, 99));
      else
        g_string_append_c (out, *p);
    }
  g_array_append_val (m->ends, out->len);
}

/* A paragraph whose sentences carry inline formulas, as many as keep the
 * answer on course for @m->n_formulas formulas over @m->target_len bytes. */
static void
append_math_paragraph (GString  *out,
                       MathText *m)
{
  int sentences = g_rand_int_range (m->rand, 3, 6);

  for (int s = 0; s < sentences; s++)
    {
      if (s > 0)
        g_string_append_c (out, ' ');
      append_words (out, m->rand, g_rand_int_range (m->rand, 6, 14));
      if (m->ends->len < (guint) ((double) m->n_formulas * out->len / m->target_len) + 1)
        {
          g_string_append (out, " where ");
          append_formula (out, m, inline_formulas[g_rand_int_range (m->rand, 0, G_N_ELEMENTS (inline_formulas))]);
        }
      g_string_append_c (out, '.');
    }
  g_string_append (out, "\n\n");
}

/* Like make_tokens(), with about @n_formulas formulas spread over the
 * answer: inline ones in the prose and a display block every third section. */
static GPtrArray *
make_math_tokens (guint    n_tokens,
                  guint    n_formulas,
                  guint32  seed,
                  GString *whole,
                  guint   *n_streamed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  MathText m = { rand, ends, (gsize) n_tokens * 4 + 64, n_formulas };
  gsize pos = 0;
  int section = 0;

  while (text->len < m.target_len)
    {
      g_string_append_printf (text, "## Section %d\n\n", ++section);
      append_math_paragraph (text, &m);
      if (section % 3 == 0)
        append_formula (text, &m, display_formulas[g_rand_int_range (rand, 0, G_N_ELEMENTS (display_formulas))]);
      switch (section % 4)
        {
        case 0: append_code (text, rand); break;
        case 1: append_list (text, rand); break;
        case 2: append_table (text, rand); break;
        default: append_math_paragraph (text, &m); break;
        }
      append_math_paragraph (text, &m);
    }

  while (tokens->len < n_tokens && pos < text->len)
    {
      gsize len = MIN ((gsize) g_rand_int_range (rand, 2, 7), text->len - pos);

      g_ptr_array_add (tokens, g_strndup (text->str + pos, len));
      g_string_append_len (whole, text->str + pos, len);
      pos += len;
    }

  *n_streamed = 0;
  for (guint i = 0; i < ends->len; i++)
    if (g_array_index (ends, gsize, i) <= pos)
      (*n_streamed)++;

  return tokens;
}

static char *
make_history_answer (GRand *rand)
{
  GString *text = g_string_new ("Here is what I found.\n\n");

  append_paragraph (text, rand);
  append_list (text, rand);
  append_code (text, rand);
  append_paragraph (text, rand);

  return g_string_free (text, FALSE);
}

/* ------------------------------------------------------------- figures --- */

static int
cmp_int64 (gconstpointer a,
           gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static gint64
percentile (GArray *values,
            double  p)
{
  g_autoptr(GArray) sorted = NULL;
  guint index;

  if (values->len == 0)
    return 0;

  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_int64);
  index = (guint) (p * (sorted->len - 1) + 0.5);

  return g_array_index (sorted, gint64, index);
}

static double
mean_ns (GArray *values,
         guint   first,
         guint   n)
{
  double sum = 0;

  for (guint i = first; i < first + n; i++)
    sum += g_array_index (values, gint64, i);

  return sum / n;
}

/* -------------------------------------------------------------- driving --- */

static gboolean
is_at_bottom (Bench *b)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (_cria_chat_view_get_scroller (_cria_window_get_chat_view (b->window)));

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 24;
}

static void
before_paint_cb (GdkFrameClock *clock,
                 Bench         *b)
{
  b->paint_started = g_get_monotonic_time ();
  b->layout_done = b->paint_done = 0;
}

/* Emission hooks run before any handler of the signal: the start of the
 * layout phase is the end of the update phase (tick callbacks), the start of
 * the paint phase the end of layout. A phase nobody asked for is not emitted
 * and counts as nothing. */
static Bench *hook_bench;

static gboolean
phase_hook (GSignalInvocationHint *hint,
            guint                  n_values,
            const GValue          *values,
            gpointer               user_data)
{
  Bench *b = hook_bench;
  gint64 *mark = user_data;

  if (b != NULL && g_value_get_object (&values[0]) == (GObject *) b->frame_clock)
    *mark = g_get_monotonic_time ();

  return TRUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  Phase *phase = b->phase;
  gint64 work;

  if (phase == NULL || b->paint_started == 0 || phase->started_at == 0)
    return;

  work = g_get_monotonic_time () - b->paint_started;
  g_array_append_val (phase->frame_work, work);
  {
    gint64 now = b->paint_started + work;
    gint64 update_end = b->layout_done ? b->layout_done : b->paint_done ? b->paint_done : now;
    gint64 layout_end = b->paint_done ? b->paint_done : now;
    gint64 paint_end = now;
    gint64 update = update_end - b->paint_started;
    gint64 layout = layout_end - update_end;
    gint64 paint = paint_end - layout_end;

    g_array_append_val (phase->update_work, update);
    g_array_append_val (phase->layout_work, layout);
    g_array_append_val (phase->paint_work, paint);
  }
  phase->frames_total++;
  /* A frame lags the last token by a frame; count only once the stream is
   * past its first screenful. */
  if (phase->next > 200)
    {
      phase->frames_settled++;
      if (is_at_bottom (b))
        phase->frames_at_bottom++;
    }
}

/* Fires every millisecond at high priority: the gap between two dispatches is
 * how long the main loop could not run anything else. */
static gboolean
stall_tick_cb (gpointer user_data)
{
  Bench *b = user_data;
  gint64 now = g_get_monotonic_time ();

  if (b->phase != NULL && b->phase->started_at != 0 && b->last_tick != 0)
    b->phase->max_gap = MAX (b->phase->max_gap, now - b->last_tick);
  b->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void phase_finish (Bench *b);

/* Appends every token due by now: a network read delivers what has arrived. */
static gboolean
feed_cb (gpointer user_data)
{
  Bench *b = user_data;
  Phase *phase = b->phase;
  gint64 elapsed = g_get_monotonic_time () - phase->started_at;
  guint due = MIN ((guint) (elapsed * b->rate / G_USEC_PER_SEC) + 1, phase->tokens->len);
  gint64 cpu = thread_cpu_ns ();

  while (phase->next < due)
    {
      _cria_chat_reply_append_content (phase->reply, g_ptr_array_index (phase->tokens, phase->next));
      phase->next++;
      if (phase->next % CPU_WINDOW == 0)
        {
          gint64 now = thread_cpu_ns ();
          gint64 spent = now - phase->window_cpu_start;

          phase->append_cpu_acc += now - cpu;
          cpu = now;
          g_array_append_val (phase->cpu_per_window, spent);
          g_array_append_val (phase->append_cpu, phase->append_cpu_acc);
          phase->window_cpu_start = now;
          phase->append_cpu_acc = 0;
        }
    }
  phase->append_cpu_acc += thread_cpu_ns () - cpu;

  if (phase->next == phase->tokens->len)
    {
      b->feed_id = 0;
      phase_finish (b);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
phase_start (Bench *b,
             Phase *phase)
{
  g_autoptr(CriaMessage) user = cria_message_new (CRIA_ROLE_USER, "Write a long report, please.");

  b->phase = phase;
  g_list_store_append (b->store, user);

  phase->message = cria_message_new (CRIA_ROLE_ASSISTANT, NULL);
  phase->reply = cria_chat_reply_new ();
  cria_message_set_model (phase->message, "llama-3.1-8b");
  _cria_chat_reply_begin (phase->reply);
  _cria_message_follow_reply (phase->message, phase->reply);
  g_list_store_append (b->store, phase->message);

  phase->started_at = g_get_monotonic_time ();
  phase->window_cpu_start = thread_cpu_ns ();
  b->feed_id = g_timeout_add (1, feed_cb, b);
}

static gboolean
next_phase_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
phase_finish (Bench *b)
{
  Phase *phase = b->phase;

  phase->wall_usec = g_get_monotonic_time () - phase->started_at;
  _cria_chat_reply_set_finish_reason (phase->reply, "stop");
  _cria_chat_reply_finish (phase->reply, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL, 42);
  _cria_message_end_reply (phase->message);

  if (g_strcmp0 (cria_message_get_content (phase->message), phase->expected->str) != 0)
    {
      g_printerr ("bench-render: %s: the message does not hold the streamed text\n", phase->name);
      b->failed = TRUE;
    }

  phase->started_at = 0;
  /* Let the last frames draw, then see where the view is. */
  g_timeout_add (300, next_phase_cb, b->loop);
}

static double
rss_mib (void)
{
  g_autofree char *statm = NULL;
  long pages = 0;

  /* statm: size, resident, … in pages. */
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%*d %ld", &pages);

  return pages * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

static gboolean
wait_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
spin (Bench *b,
      guint  msec)
{
  g_timeout_add (msec, wait_cb, b->loop);
  g_main_loop_run (b->loop);
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The applications registered on the AT-SPI registry, by accessible name:
 * GTK lists itself there once it has exported the window. NULL when there is
 * no accessibility bus at all. */
static char *
list_atspi_apps (void)
{
  g_autoptr(GDBusConnection) session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusConnection) a11y = NULL;
  g_autoptr(GVariant) address = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  const char *bus_name, *path;

  if (session == NULL)
    return NULL;

  address = g_dbus_connection_call_sync (session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                         "GetAddress", NULL, G_VARIANT_TYPE ("(s)"),
                                         G_DBUS_CALL_FLAGS_NO_AUTO_START, 1000, NULL, NULL);
  if (address == NULL)
    return NULL;

  {
    const char *addr;

    g_variant_get (address, "(&s)", &addr);
    a11y = g_dbus_connection_new_for_address_sync (addr,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, NULL);
  }
  if (a11y == NULL)
    return NULL;

  children = g_dbus_connection_call_sync (a11y, "org.a11y.atspi.Registry",
                                          "/org/a11y/atspi/accessible/root",
                                          "org.a11y.atspi.Accessible", "GetChildren", NULL,
                                          G_VARIANT_TYPE ("(a(so))"), G_DBUS_CALL_FLAGS_NONE,
                                          2000, NULL, NULL);
  if (children == NULL)
    return g_strdup ("");

  g_variant_get (children, "(a(so))", &iter);
  while (g_variant_iter_next (iter, "(&s&o)", &bus_name, &path))
    {
      g_autoptr(GVariant) name = NULL;

      g_autoptr(GAsyncResult) result = NULL;

      /* Asynchronously, with the main loop running: one of them is this
       * process, which answers from its main loop. */
      g_dbus_connection_call (a11y, bus_name, path, "org.freedesktop.DBus.Properties", "Get",
                              g_variant_new ("(ss)", "org.a11y.atspi.Accessible", "Name"),
                              G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, 2000, NULL,
                              got_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      name = g_dbus_connection_call_finish (a11y, result, NULL);
      if (name != NULL)
        {
          g_autoptr(GVariant) value = NULL;

          g_variant_get (name, "(v)", &value);
          if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
            g_string_append_printf (names, "%s'%s'", names->len > 0 ? ", " : "",
                                    g_variant_get_string (value, NULL));
        }
    }

  return g_strdup (names->str);
}

static void
report_phase (Phase  *phase,
              double  rate)
{
  g_print ("%s: %u tokens (%zu chars) in %.1f s (%.0f tokens/s asked for %.0f)\n",
           phase->name, phase->tokens->len, phase->expected->len, phase->wall_usec / 1e6,
           phase->tokens->len / (phase->wall_usec / 1e6), rate);
  g_print ("  frames %u; frame work p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms (target p90 <= 6 ms)\n",
           phase->frame_work->len,
           percentile (phase->frame_work, 0.5) / 1e3, percentile (phase->frame_work, 0.9) / 1e3,
           percentile (phase->frame_work, 0.99) / 1e3, percentile (phase->frame_work, 1.0) / 1e3);
  g_print ("  split p50/p90 ms: update (ticks) %.2f/%.2f, layout %.2f/%.2f, paint %.2f/%.2f\n",
           percentile (phase->update_work, 0.5) / 1e3, percentile (phase->update_work, 0.9) / 1e3,
           percentile (phase->layout_work, 0.5) / 1e3, percentile (phase->layout_work, 0.9) / 1e3,
           percentile (phase->paint_work, 0.5) / 1e3, percentile (phase->paint_work, 0.9) / 1e3);
  g_print ("  longest main-loop stall %.2f ms (target <= 16 ms)\n", phase->max_gap / 1e3);
  g_print ("  at bottom in %u of %u frames; at the end: %s\n",
           phase->frames_at_bottom, phase->frames_settled, phase->ended_at_bottom ? "yes" : "NO");

  if (phase->cpu_per_window->len >= 2 * (CPU_SPAN / CPU_WINDOW))
    {
      guint n = CPU_SPAN / CPU_WINDOW;
      double first = mean_ns (phase->cpu_per_window, 0, n);
      double last = mean_ns (phase->cpu_per_window, phase->cpu_per_window->len - n, n);

      g_print ("  main-thread CPU per 1,000 tokens: first %u tokens %.1f ms, last %u tokens %.1f ms, "
               "ratio %.2f (target <= 1.3)\n",
               CPU_SPAN, first / 1e6, CPU_SPAN, last / 1e6, last / first);
      g_print ("  of which appending (signals, row, Markdown stream): first %.1f ms, last %.1f ms\n",
               mean_ns (phase->append_cpu, 0, n) / 1e6,
               mean_ns (phase->append_cpu, phase->append_cpu->len - n, n) / 1e6);
      g_print ("  CPU per 1,000 tokens, each window (ms):");
      for (guint i = 0; i < phase->cpu_per_window->len; i++)
        g_print (" %.0f", g_array_index (phase->cpu_per_window, gint64, i) / 1e6);
      g_print ("\n");
    }
}

static void
phase_init (Phase      *phase,
            const char *name,
            guint       n_tokens,
            guint32     seed)
{
  phase->name = name;
  phase->expected = g_string_new (NULL);
  phase->tokens = make_tokens (n_tokens, seed, phase->expected);
  phase->frame_work = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->update_work = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->layout_work = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->paint_work = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->append_cpu = g_array_new (FALSE, FALSE, sizeof (gint64));
  phase->cpu_per_window = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* A phase whose answer holds @n_formulas formulas, to set beside the
 * math-free one of the same length. */
static guint
phase_init_math (Phase      *phase,
                 const char *name,
                 guint       n_tokens,
                 guint       n_formulas,
                 guint32     seed)
{
  guint n_streamed;

  phase_init (phase, name, 0, seed);
  g_ptr_array_unref (phase->tokens);
  g_string_truncate (phase->expected, 0);
  phase->tokens = make_math_tokens (n_tokens, n_formulas, seed, phase->expected, &n_streamed);

  return n_streamed;
}

static void
phase_clear (Phase *phase)
{
  g_ptr_array_unref (phase->tokens);
  g_string_free (phase->expected, TRUE);
  g_array_unref (phase->frame_work);
  g_array_unref (phase->update_work);
  g_array_unref (phase->layout_work);
  g_array_unref (phase->paint_work);
  g_array_unref (phase->append_cpu);
  g_array_unref (phase->cpu_per_window);
  g_clear_object (&phase->message);
  g_clear_object (&phase->reply);
}

int
main (int   argc,
      char *argv[])
{
  Bench b = { 0, };
  Phase stream = { 0, }, longer = { 0, }, maths = { 0, };
  guint n_formulas;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  guint n_tokens = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint n_long = argc > 2 ? (guint) atoi (argv[2]) : 50000;
  gint64 t0;
  double rss_before;

  b.rate = argc > 3 ? g_ascii_strtod (argv[3], NULL) : 1000.0;

  /* Accessibility must be on, as it is on a desktop (CRIA_BENCH_A11Y=0 turns
   * it off, to see what it costs); no network. */
  g_unsetenv ("NO_AT_BRIDGE");
  if (g_strcmp0 (g_getenv ("CRIA_BENCH_A11Y"), "0") == 0)
    g_setenv ("GTK_A11Y", "none", TRUE);
  else
    g_unsetenv ("GTK_A11Y");
  g_setenv ("LLAMAGATE_API_KEY", "bench", TRUE);
  g_setenv ("LLAMAGATE_API_BASE", "http://127.0.0.1:9/v1", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  if (!gtk_init_check ())
    {
      g_print ("bench-render: no display; run it in build-aux/run-headless.sh\n");
      return 77;
    }

  g_print ("GSK_RENDERER=%s GDK_DEBUG=%s GTK_A11Y=%s\n", g_getenv ("GSK_RENDERER"),
           g_getenv ("GDK_DEBUG"), g_getenv ("GTK_A11Y"));

  b.app = cria_application_new ();
  g_application_set_flags (G_APPLICATION (b.app), G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (b.app), NULL, &error))
    {
      g_printerr ("bench-render: %s\n", error->message);
      return 1;
    }

  b.loop = g_main_loop_new (NULL, FALSE);
  b.window = cria_application_new_window (b.app);
  gtk_window_set_default_size (GTK_WINDOW (b.window), 900, 700);
  gtk_window_present (GTK_WINDOW (b.window));
  cria_window_show_chat (b.window);

  /* The conversation view, on a store the benchmark fills itself. */
  b.store = g_list_store_new (CRIA_TYPE_MESSAGE);
  for (guint i = 0; i < N_HISTORY; i++)
    {
      g_autoptr(CriaMessage) message = NULL;

      if (i % 2 == 0)
        {
          g_autofree char *question = g_strdup_printf ("Question %u: how does the gateway route requests?", i / 2);

          message = cria_message_new (CRIA_ROLE_USER, question);
        }
      else
        {
          g_autofree char *answer = make_history_answer (rand);

          message = cria_message_new (CRIA_ROLE_ASSISTANT, answer);
          cria_message_set_model (message, "llama-3.1-8b");
        }
      g_list_store_append (b.store, message);
    }
  gtk_list_view_set_model (_cria_chat_view_get_list_view (_cria_window_get_chat_view (b.window)),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (b.store)))));
  gtk_stack_set_visible_child_name (_cria_chat_view_get_stack (_cria_window_get_chat_view (b.window)), "messages");
  cria_chat_view_scroll_to_bottom (_cria_window_get_chat_view (b.window));

  phase_init (&stream, "stream", n_tokens, 1);
  phase_init (&longer, "long-answer", n_long, 2);
  n_formulas = phase_init_math (&maths, "stream-with-maths", n_tokens, 500, 3);

  /* Let the window map, the history lay out and the failed model refresh settle. */
  spin (&b, 1500);

  {
    g_autofree char *apps = list_atspi_apps ();

    g_print ("AT-SPI: %s; applications on the registry: %s\n",
             apps != NULL ? "org.a11y.Bus running" : "NO accessibility bus",
             apps != NULL && *apps != '\0' ? apps : "none");
    if ((apps == NULL || *apps == '\0') && g_strcmp0 (g_getenv ("CRIA_BENCH_A11Y"), "0") != 0)
      {
        g_printerr ("bench-render: accessibility is not on; the figures would not be a desktop's\n");
        b.failed = TRUE;
      }
  }

  b.frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (b.window));
  if (b.frame_clock == NULL)
    {
      g_printerr ("bench-render: the window has no frame clock\n");
      return 1;
    }
  g_signal_connect (b.frame_clock, "before-paint", G_CALLBACK (before_paint_cb), &b);
  hook_bench = &b;
  g_signal_add_emission_hook (g_signal_lookup ("layout", GDK_TYPE_FRAME_CLOCK), 0,
                              phase_hook, &b.layout_done, NULL);
  g_signal_add_emission_hook (g_signal_lookup ("paint", GDK_TYPE_FRAME_CLOCK), 0,
                              phase_hook, &b.paint_done, NULL);
  g_signal_connect (b.frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
  b.tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, stall_tick_cb, &b, NULL);

  rss_before = rss_mib ();
  t0 = g_get_monotonic_time ();
  phase_start (&b, &stream);
  g_main_loop_run (b.loop);
  stream.ended_at_bottom = is_at_bottom (&b);
  stream.rss_after = rss_mib ();

  /* The same length again, now with formulas: side by side with the above. */
  phase_start (&b, &maths);
  g_main_loop_run (b.loop);
  maths.ended_at_bottom = is_at_bottom (&b);

  if (n_long > 0)
    {
      phase_start (&b, &longer);
      g_main_loop_run (b.loop);
      longer.ended_at_bottom = is_at_bottom (&b);
      longer.rss_after = rss_mib ();
    }
  b.phase = NULL;

  g_print ("history %u messages; rate %.0f tokens/s; total %.1f s\n",
           N_HISTORY, b.rate, (g_get_monotonic_time () - t0) / 1e6);
  report_phase (&stream, b.rate);
  report_phase (&maths, b.rate);
  g_print ("  (%u formulas in that answer)\n", n_formulas);
  if (n_long > 0)
    report_phase (&longer, b.rate);
  g_print ("resident memory (RSS): before the streams %.1f MiB, after the %u-token answer %.1f MiB (+%.1f)",
           rss_before, n_tokens, stream.rss_after, stream.rss_after - rss_before);
  if (n_long > 0)
    g_print (", after the %u-token answer %.1f MiB (+%.1f)", n_long, longer.rss_after,
             longer.rss_after - stream.rss_after);
  g_print ("\n");

  g_source_remove (b.tick_id);
  g_signal_handlers_disconnect_by_data (b.frame_clock, &b);
  gtk_window_destroy (GTK_WINDOW (b.window));
  phase_clear (&stream);
  phase_clear (&maths);
  phase_clear (&longer);
  g_object_unref (b.store);
  g_main_loop_unref (b.loop);
  g_object_unref (b.app);

  return b.failed ? 1 : 0;
}

/* bench-markdown-math.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures what recognising maths costs the Markdown core while an answer
 * streams. Two answers of about 20,000 tokens are streamed token by token
 * through CriaMarkdownStream, the tail parsed every 4 tokens as a view does
 * once a frame: one holds 500 formulas as models write them (inline "$…$"
 * and "\(…\)", display blocks in "$$" and "\[", environments, in lists and
 * quotes, with prices around), the other the same answer with every
 * formula replaced by words of the same length. They run alternately, side
 * by side, and the figures are the median of the rounds: the work per
 * token (append plus tail, p50, p99, max) and the whole parse, each as a
 * ratio to the math-free answer. It exits 1 if the maths was not found.
 *
 *   meson setup build-bench -Dbuildtype=release
 *   meson test -C build-bench --benchmark --verbose markdown-math
 *   or: ./build-bench/tests/bench/bench-markdown-math [ROUNDS] */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cria-markdown.h"

#define N_FORMULAS 500
#define TAIL_EVERY 4

static const char * const formulas[] = {
  "$x^2 + y^2 = r^2$",
  "\\(\\frac{a}{b}\\)",
  "$a_1 * b_2$",
  "\\(\\sqrt{2}\\)",
  "\n\n$$\n\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}\n$$\n\n",
  "\n\\[\n\\int_0^1 x\\,dx = \\frac12\n\\]\n",
  "\n\n\\begin{aligned}\na &= b + c \\\\\n  &= d\n\\end{aligned}\n\n",
  "\n\n1. Solve:\n   $$\n   2x + 3 = 7\n   $$\n\n",
  "\n\n> $$\n> \\nabla \\cdot E = \\rho\n> $$\n\n",
  "\\(\\boxed{42}\\)",
};

static const char * const words[] = {
  "the", "answer", "follows", "since", "we", "have", "and", "so", "costs",
  "$5", "$0.03", "per", "1M", "tokens", "**bold**", "`code`", "with", "a",
};

/* Replaces every byte of @formula but line ends with letters, so that the
 * math-free answer has the same length and the same lines. */
static void
append_plain (GString    *out,
              const char *formula)
{
  for (const char *p = formula; *p != '\0'; p++)
    g_string_append_c (out, *p == '\n' ? '\n' : (*p == ' ' ? ' ' : 'w'));
}

static void
make_answers (GString *maths,
              GString *plain)
{
  GRand *rand = g_rand_new_with_seed (13);

  for (guint i = 0; i < N_FORMULAS; i++)
    {
      const char *formula = formulas[i % G_N_ELEMENTS (formulas)];
      guint n_words = g_rand_int_range (rand, 10, 30);

      for (guint j = 0; j < n_words; j++)
        {
          const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

          g_string_append_printf (maths, "%s ", word);
          g_string_append_printf (plain, "%s ", word);
        }
      g_string_append (maths, formula);
      append_plain (plain, formula);
      g_string_append_c (maths, ' ');
      g_string_append_c (plain, ' ');
    }
  g_rand_free (rand);
}

typedef struct
{
  GArray *per_token;   /* double, µs */
  double  whole;       /* ms */
  guint   n_math;
} Run;

static double
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint index = MIN ((guint) (p * sorted->len), sorted->len - 1);

  return g_array_index (sorted, double, index);
}

static guint
count_math (CriaMarkdownBlock *block)
{
  guint n = block->kind == CRIA_MARKDOWN_BLOCK_MATH ? 1 : 0;

  for (guint i = 0; block->spans != NULL && i < block->spans->len; i++)
    n += g_array_index (block->spans, CriaMarkdownSpan, i).kind == CRIA_MARKDOWN_SPAN_MATH;
  for (guint i = 0; block->children != NULL && i < block->children->len; i++)
    n += count_math (g_ptr_array_index (block->children, i));
  return n;
}

/* Streams @text in tokens of 1 to 6 bytes, as a model's tokens come. */
static void
run_once (const GString *text,
          Run           *run)
{
  g_autoptr(CriaMarkdownStream) stream = cria_markdown_stream_new ();
  g_autoptr(CriaMarkdownDocument) doc = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  gsize offset = 0;
  guint n = 0;
  double start;

  run->per_token = g_array_new (FALSE, FALSE, sizeof (double));
  while (offset < text->len)
    {
      gsize size = MIN ((gsize) g_rand_int_range (rand, 1, 7), text->len - offset);
      double us;

      start = now_us ();
      cria_markdown_stream_append (stream, text->str + offset, size);
      if (++n % TAIL_EVERY == 0)
        {
          CriaMarkdownDocument *tail = cria_markdown_stream_get_tail (stream);

          cria_markdown_document_free (tail);
        }
      us = now_us () - start;
      g_array_append_val (run->per_token, us);
      offset += size;
    }
  cria_markdown_stream_finish (stream);
  g_rand_free (rand);

  run->n_math = 0;
  for (guint i = 0; i < cria_markdown_stream_get_n_final_blocks (stream); i++)
    run->n_math += count_math (cria_markdown_stream_get_final_block (stream, i));

  start = now_us ();
  doc = cria_markdown_parse (text->str, text->len);
  run->whole = (now_us () - start) / 1000.0;
  g_array_sort (run->per_token, compare_doubles);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), (int (*) (const void *, const void *)) compare_doubles);
  return values[n / 2];
}

int
main (int   argc,
      char *argv[])
{
  guint rounds = argc > 1 ? (guint) atoi (argv[1]) : 5;
  g_autoptr(GString) maths = g_string_new (NULL);
  g_autoptr(GString) plain = g_string_new (NULL);
  const char *names[] = { "p50", "p99", "max", "total", "whole" };
  double figures[2][G_N_ELEMENTS (names)][16];
  guint n_math = 0;
  guint n_tokens = 0;

  rounds = CLAMP (rounds, 1, 16);
  make_answers (maths, plain);

  for (guint r = 0; r < rounds; r++)
    for (guint which = 0; which < 2; which++)
      {
        Run run;
        double total = 0;

        run_once (which == 0 ? plain : maths, &run);
        for (guint i = 0; i < run.per_token->len; i++)
          total += g_array_index (run.per_token, double, i);
        figures[which][0][r] = percentile (run.per_token, 0.50);
        figures[which][1][r] = percentile (run.per_token, 0.99);
        figures[which][2][r] = g_array_index (run.per_token, double, run.per_token->len - 1);
        figures[which][3][r] = total / 1000.0;
        figures[which][4][r] = run.whole;
        if (which == 1)
          n_math = run.n_math;
        n_tokens = run.per_token->len;
        g_array_unref (run.per_token);
      }

  printf ("Markdown stream, %u tokens, tail every %u, median of %u rounds\n",
          n_tokens, TAIL_EVERY, rounds);
  printf ("  answer with %u formulas (%" G_GSIZE_FORMAT " bytes) vs the same answer without maths\n",
          n_math, maths->len);
  printf ("  %-6s %12s %12s %8s\n", "", "no maths", "maths", "ratio");
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      double a = median (figures[0][k], rounds);
      double b = median (figures[1][k], rounds);
      const char *unit = k < 3 ? "µs/token" : "ms";

      printf ("  %-6s %9.2f %-2s %9.2f %-2s %7.2f×  (%s)\n", names[k], a, "", b, "", a > 0 ? b / a : 0, unit);
    }

  /* Every formula was found: inline ones as spans, display ones as blocks. */
  if (n_math < N_FORMULAS)
    {
      printf ("only %u of %u formulas were recognised\n", n_math, N_FORMULAS);
      return 1;
    }
  return 0;
}

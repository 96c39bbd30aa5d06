/* bench-math.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What showing one formula costs, over every formula of the corpus
 * (tests/data/math/corpus.txt): parsing, laying out in display style at
 * 20 px, drawing into render nodes as the view's snapshot does, and
 * rendering those nodes with cairo onto an image surface. Nothing is
 * cached but cairo's glyph images: each round starts from the source. It
 * reports p50, p99 and max per formula (the median of ROUNDS rounds each),
 * the split between parse + layout and draw + render, and the first round
 * alone, which also rasterises the glyphs. Target: p99 <= 2 ms on a release build.
 *
 *   build-aux/run-headless.sh meson test -C build-bench --benchmark --verbose math
 *
 * Exits 0 with the figures, 1 when a corpus formula fails to typeset, 77
 * without a display. */

#include "config.h"

#include <time.h>

#include <gtk/gtk.h>

#include "cria-math-corpus.h"
#include "cria-math-style.h"

#define ROUNDS  7
#define SIZE_PX 20.0

static gint64
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

/* Whether @surface holds any ink: a formula that draws nothing would be
 * fast for the wrong reason. */
static gboolean
has_ink (cairo_surface_t *surface)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      if (data[y * stride + x * 4 + 3] != 0)
        return TRUE;
  return FALSE;
}

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

  if (values->len == 0)
    return 0;
  sorted = g_array_copy (values);
  g_array_sort (sorted, cmp_int64);
  return g_array_index (sorted, gint64, (guint) (p * (sorted->len - 1) + 0.5));
}

static gint64
median (gint64 *values,
        guint   n)
{
  g_autoptr(GArray) array = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_vals (array, values, n);
  return percentile (array, 0.5);
}

/* Parses, lays out, snapshots and renders @latex once; the times of the
 * two halves in ns go to @layout_ns and @draw_ns. */
static gboolean
show_once (CriaMathFont *font,
           const char   *latex,
           gint64       *layout_ns,
           gint64       *draw_ns,
           gboolean     *inked)
{
  g_autoptr(CriaMathNode) node = NULL;
  g_autoptr(CriaMathLayout) layout = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) render_node = NULL;
  GdkRGBA black = { 0, 0, 0, 1 };
  cairo_surface_t *surface;
  cairo_t *cr;
  gint64 t0, t1, t2;

  t0 = now_ns ();
  node = cria_math_parse (latex, -1, NULL);
  if (node == NULL)
    return FALSE;
  layout = cria_math_layout_new (font, node, TRUE, SIZE_PX);
  t1 = now_ns ();

  snapshot = gtk_snapshot_new ();
  cria_math_layout_snapshot (layout, snapshot, &black, 0, layout->ascent);
  render_node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                        MAX (1, (int) layout->width + 1),
                                        MAX (1, (int) (layout->ascent + layout->descent) + 1));
  cr = cairo_create (surface);
  if (render_node != NULL)
    gsk_render_node_draw (render_node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  t2 = now_ns ();

  *inked = has_ink (surface);
  cairo_surface_destroy (surface);
  *layout_ns = t1 - t0;
  *draw_ns = t2 - t1;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) formulas = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) layouts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) draws = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) firsts = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *corpus = argc > 1 ? argv[1] : "tests/data/math/corpus.txt";
  CriaMathFont *font;
  guint failed = 0;
  guint blank = 0;
  gint64 slowest = 0;
  const char *slowest_latex = NULL;

  if (!gtk_init_check ())
    {
      g_print ("bench-math: no display; run it in build-aux/run-headless.sh\n");
      return 77;
    }

  font = cria_math_style_get_font ();
  if (font == NULL)
    {
      g_printerr ("bench-math: the maths font is not installed\n");
      return 1;
    }
  formulas = cria_math_corpus_read (corpus, &error);
  if (formulas == NULL)
    {
      g_printerr ("bench-math: %s\n", error->message);
      return 1;
    }

  for (guint i = 0; i < formulas->len; i++)
    {
      const char *latex = g_ptr_array_index (formulas, i);
      gint64 layout_ns[ROUNDS], draw_ns[ROUNDS], total_ns[ROUNDS];
      gint64 value;
      gboolean ok = TRUE;
      gboolean inked = FALSE;

      for (guint r = 0; r < ROUNDS && ok; r++)
        {
          ok = show_once (font, latex, &layout_ns[r], &draw_ns[r], &inked);
          total_ns[r] = layout_ns[r] + draw_ns[r];
        }
      if (!ok)
        {
          failed++;
          g_printerr ("bench-math: does not typeset: %s\n", latex);
          continue;
        }
      if (!inked)
        {
          blank++;
          g_printerr ("bench-math: draws nothing: %s\n", latex);
        }

      g_array_append_val (firsts, total_ns[0]);
      value = median (total_ns, ROUNDS);
      g_array_append_val (total, value);
      if (value > slowest)
        {
          slowest = value;
          slowest_latex = latex;
        }
      value = median (layout_ns, ROUNDS);
      g_array_append_val (layouts, value);
      value = median (draw_ns, ROUNDS);
      g_array_append_val (draws, value);
    }

  g_print ("math: %u formulas from %s, %d rounds each, display style at %.0f px\n",
           total->len, corpus, ROUNDS, SIZE_PX);
  g_print ("  lay out + draw per formula: p50 %.3f ms, p99 %.3f ms, max %.3f ms (target p99 <= 2 ms)\n",
           percentile (total, 0.5) / 1e6, percentile (total, 0.99) / 1e6, percentile (total, 1.0) / 1e6);
  g_print ("  parse + lay out: p50 %.3f ms, p99 %.3f ms; snapshot + cairo render: p50 %.3f ms, p99 %.3f ms\n",
           percentile (layouts, 0.5) / 1e6, percentile (layouts, 0.99) / 1e6,
           percentile (draws, 0.5) / 1e6, percentile (draws, 0.99) / 1e6);
  g_print ("  first round alone (glyphs not yet in cairo's cache): p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
           percentile (firsts, 0.5) / 1e6, percentile (firsts, 0.99) / 1e6, percentile (firsts, 1.0) / 1e6);
  if (slowest_latex != NULL)
    g_print ("  slowest: %.3f ms: %s\n", slowest / 1e6, slowest_latex);
  if (failed > 0)
    g_print ("  %u formulas did not typeset\n", failed);
  if (blank > 0)
    g_print ("  %u formulas drew nothing\n", blank);

  return failed > 0 || blank > 0 || total->len == 0 ? 1 : 0;
}

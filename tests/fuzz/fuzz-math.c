/* fuzz-math.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer target for the maths core: arbitrary bytes through the LaTeX
 * parser, then, for what parses, the layout in display and text style with
 * the font Cria ships, and the words for screen readers. The seed corpus
 * is tests/fuzz/corpus-math, formulas from tests/data/math/corpus.txt.
 *
 * Beyond crashes, leaks, undefined behaviour and timeouts (a deep or
 * quadratic path), it checks what the view relies on: an error for what
 * does not parse; for what does, finite metrics, finite items with a
 * positive size, no more items than the source can ask for, and a
 * description that is non-empty UTF-8.
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Dtests=true
 *   meson compile -C build-fuzz fuzz-math
 *   corpus=$(mktemp -d)
 *   cp -R tests/fuzz/corpus-math/. "$corpus"
 *   ./build-fuzz/tests/fuzz/fuzz-math -max_total_time=60 -timeout=10 \
 *       -rss_limit_mb=2048 "$corpus"
 *   rm -rf "$corpus"
 *
 * Warnings and criticals abort: the maths core must never cause one. */

#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cria-math.h"
#include "cria-test-math.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static CriaMathFont *font;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  font = cria_test_math_font ();

  return 0;
}

static void
check_layout (CriaMathLayout *layout,
              size_t          size)
{
  if (!isfinite (layout->width) || !isfinite (layout->ascent) || !isfinite (layout->descent)
      || layout->width < 0 || layout->ascent < 0 || layout->descent < 0)
    abort ();
  /* Stretched delimiters repeat their extenders a few hundred times at
   * most; nothing else makes more than a few items per source byte. */
  if (layout->items->len > 64 * size + 4096)
    abort ();
  for (guint i = 0; i < layout->items->len; i++)
    {
      const CriaMathItem *item = &g_array_index (layout->items, CriaMathItem, i);

      if (!isfinite (item->x) || !isfinite (item->y) || !isfinite (item->width) || !isfinite (item->height))
        abort ();
      if (item->kind == CRIA_MATH_ITEM_GLYPH && !(item->size > 0 && item->size < 1000))
        abort ();
      if (item->kind == CRIA_MATH_ITEM_RULE && (item->width < 0 || item->height < 0))
        abort ();
      if (item->kind == CRIA_MATH_ITEM_LINE && !(item->size > 0 && item->size < 1000))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathNode) node = NULL;
  g_autofree char *words = NULL;

  node = cria_math_parse ((const char *) data, size, &error);
  if (node == NULL)
    {
      if (error == NULL || error->domain != CRIA_MATH_ERROR || !g_utf8_validate (error->message, -1, NULL))
        abort ();
      return 0;
    }
  if (error != NULL)
    abort ();

  words = cria_math_node_describe (node);
  if (words == NULL || words[0] == '\0' || !g_utf8_validate (words, -1, NULL))
    abort ();

  for (int display = 0; display <= 1; display++)
    {
      g_autoptr(CriaMathLayout) layout = cria_math_layout_new (font, node, display, 16);

      check_layout (layout, size);
    }
  return 0;
}

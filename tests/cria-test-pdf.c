/* cria-test-pdf.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <cairo.h>
#include <cairo-pdf.h>

#include "cria-test-pdf.h"

static cairo_status_t
append_cb (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static void
paint_picture (cairo_t *cr)
{
  cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 64, 64);
  guint32 *pixels;
  int stride;

  cairo_surface_flush (image);
  pixels = (guint32 *) cairo_image_surface_get_data (image);
  stride = cairo_image_surface_get_stride (image) / 4;
  for (int y = 0; y < 64; y++)
    for (int x = 0; x < 64; x++)
      pixels[y * stride + x] = (x * 4) << 16 | (y * 4) << 8 | ((x ^ y) * 4);
  cairo_surface_mark_dirty (image);

  cairo_scale (cr, 4, 4);
  cairo_set_source_surface (cr, image, 10, 10);
  cairo_paint (cr);
  cairo_surface_destroy (image);
}

GBytes *
cria_test_make_pdf (guint   n_pages,
                    guint   lines_per_page,
                    guint64 image_pages)
{
  GByteArray *out = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_cb, out, 595, 842);
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, lines_per_page > 1 ? 10 : 14);
  for (guint i = 0; i < n_pages; i++)
    {
      if (i < 64 && (image_pages & (G_GUINT64_CONSTANT (1) << i)) != 0)
        {
          cairo_save (cr);
          paint_picture (cr);
          cairo_restore (cr);
        }
      else if (lines_per_page <= 1)
        {
          g_autofree char *text = g_strdup_printf ("Page %u: the quick brown fox", i + 1);

          cairo_move_to (cr, 72, 72);
          cairo_show_text (cr, text);
        }
      else
        {
          for (guint line = 0; line < lines_per_page; line++)
            {
              g_autofree char *text = g_strdup_printf ("Page %u, line %u: the quick brown fox jumps over the lazy dog.",
                                                       i + 1, line + 1);

              cairo_move_to (cr, 50, 50 + line * 18);
              cairo_show_text (cr, text);
            }
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (out);
}

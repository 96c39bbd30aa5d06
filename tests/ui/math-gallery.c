/* math-gallery.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Renders every formula of a corpus as Cria draws it, in the light and the
 * dark style, into a folder of PNG files and an index.md that shows them
 * side by side with their LaTeX: build-aux/math-gallery.sh makes
 * docs/math-gallery/ with it.
 *
 *   math-gallery CORPUS OUTPUT-FOLDER */

#include "config.h"

#include <gtk/gtk.h>

#include "cria-math-corpus.h"
#include "cria-math-style.h"

#define SIZE_PX 20.0
#define PADDING 6

/* Adwaita's window colours, light and dark. */
static const GdkRGBA light_fg = { 0, 0, 0, 0.8 };
static const GdkRGBA light_bg = { 0.98, 0.98, 0.98, 1 };
static const GdkRGBA dark_fg = { 1, 1, 1, 1 };
static const GdkRGBA dark_bg = { 0.14, 0.14, 0.14, 1 };

/* The LaTeX in a Markdown table cell, as HTML code: pipes would end the
 * cell and newlines the row. */
static void
append_cell_code (GString    *out,
                  const char *latex)
{
  g_string_append (out, "<code>");
  for (const char *p = latex; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '|': g_string_append (out, "&#124;"); break;
        case '<': g_string_append (out, "&lt;"); break;
        case '>': g_string_append (out, "&gt;"); break;
        case '&': g_string_append (out, "&amp;"); break;
        case '\n': g_string_append_c (out, ' '); break;
        default: g_string_append_c (out, *p); break;
        }
    }
  g_string_append (out, "</code>");
}

static gboolean
write_png (const CriaMathLayout *layout,
           const GdkRGBA        *fg,
           const GdkRGBA        *bg,
           const char           *folder,
           const char           *name)
{
  g_autofree char *path = g_build_filename (folder, name, NULL);
  cairo_surface_t *surface = cria_math_layout_render (layout, fg, bg, PADDING);
  cairo_status_t status = cairo_surface_write_to_png (surface, path);

  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    g_printerr ("math-gallery: %s: %s\n", path, cairo_status_to_string (status));
  return status == CAIRO_STATUS_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) formulas = NULL;
  g_autofree char *index_path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) index = g_string_new (NULL);
  guint n = 0, n_errors = 0;

  if (argc != 3)
    {
      g_printerr ("usage: math-gallery CORPUS OUTPUT-FOLDER\n");
      return 2;
    }
  if (cria_math_style_get_font () == NULL)
    return 1;
  formulas = cria_math_corpus_read (argv[1], &error);
  if (formulas == NULL)
    {
      g_printerr ("math-gallery: %s\n", error->message);
      return 1;
    }
  if (g_mkdir_with_parents (argv[2], 0755) != 0)
    {
      g_printerr ("math-gallery: cannot make %s\n", argv[2]);
      return 1;
    }

  g_string_append (index,
                   "# Maths gallery\n\n"
                   "Every formula of `tests/data/math/corpus.txt` as Cria typesets it (display style, 20 px,\n"
                   "DejaVu Math TeX Gyre), in the light and the dark style. Made by `build-aux/math-gallery.sh`;\n"
                   "do not edit by hand.\n\n"
                   "| # | LaTeX | Light | Dark |\n"
                   "|--:|---|---|---|\n");

  for (guint i = 0; i < formulas->len; i++)
    {
      const char *latex = g_ptr_array_index (formulas, i);
      g_autoptr(CriaMathFormula) formula = NULL;
      const CriaMathLayout *layout;
      g_autofree char *light = NULL;
      g_autofree char *dark = NULL;

      n++;
      formula = cria_math_formula_lookup (latex, TRUE);
      layout = cria_math_formula_get_layout (formula, SIZE_PX);
      g_string_append_printf (index, "| %u | ", n);
      append_cell_code (index, latex);
      if (layout == NULL)
        {
          n_errors++;
          g_string_append (index, " | **error:** ");
          append_cell_code (index, cria_math_formula_get_error (formula)->message);
          g_string_append (index, " | |\n");
          continue;
        }

      light = g_strdup_printf ("%03u-light.png", n);
      dark = g_strdup_printf ("%03u-dark.png", n);
      if (!write_png (layout, &light_fg, &light_bg, argv[2], light) ||
          !write_png (layout, &dark_fg, &dark_bg, argv[2], dark))
        return 1;
      g_string_append_printf (index, " | ![](%s) | ![](%s) |\n", light, dark);
    }

  g_string_append_printf (index, "\n%u formulas, %u with an error.\n", n, n_errors);
  index_path = g_build_filename (argv[2], "index.md", NULL);
  if (!g_file_set_contents (index_path, index->str, index->len, &error))
    {
      g_printerr ("math-gallery: %s\n", error->message);
      return 1;
    }

  g_print ("math-gallery: %u formulas (%u with an error) into %s\n", n, n_errors, argv[2]);
  return 0;
}

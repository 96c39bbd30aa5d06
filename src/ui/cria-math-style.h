/* cria-math-style.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cria-math.h"

G_BEGIN_DECLS

/* The font maths is drawn in: fontconfig's name for it. */
#define CRIA_MATH_FONT_FAMILY "DejaVu Math TeX Gyre"

/* Display maths is set this much larger than the text around it. */
#define CRIA_MATH_DISPLAY_SCALE 1.2

#define CRIA_TYPE_MATH_STYLE (cria_math_style_get_type ())

G_DECLARE_FINAL_TYPE (CriaMathStyle, cria_math_style, CRIA, MATH_STYLE, GObject)

/* What every view that shows maths shares: whether formulas are typeset or
 * shown as their LaTeX source (the "math-as-source" setting, followed
 * live), the font, and the formulas already typeset. Made on first use, so
 * that a conversation without maths never loads the font. */
CriaMathStyle *cria_math_style_get_default    (void);
gboolean       cria_math_style_get_as_source  (CriaMathStyle *self);
void           cria_math_style_set_as_source  (CriaMathStyle *self,
                                               gboolean       as_source);

/* One formula, parsed once and laid out once per size, shared by every
 * widget that shows it. Reference counted; main thread only. */
typedef struct _CriaMathFormula CriaMathFormula;

/* The formula for @source (LaTeX without delimiters) in display or text
 * style, from the cache when it was seen before. Never NULL. */
CriaMathFormula      *cria_math_formula_lookup      (const char      *source,
                                                     gboolean         display);
CriaMathFormula      *cria_math_formula_ref         (CriaMathFormula *formula);
void                  cria_math_formula_unref       (CriaMathFormula *formula);
const char           *cria_math_formula_get_source  (CriaMathFormula *formula);
/* Why it cannot be typeset (a parse error, or no maths font), or NULL. */
const GError         *cria_math_formula_get_error   (CriaMathFormula *formula);
/* Its layout with text at @size_px, made on first request and kept;
 * NULL when it has an error. */
const CriaMathLayout *cria_math_formula_get_layout  (CriaMathFormula *formula,
                                                     double           size_px);
/* The formula in words for a screen reader, or its source when it has an
 * error. */
char                 *cria_math_formula_describe    (CriaMathFormula *formula);

/* Draws @layout with its origin (on its baseline) at (@x, @y): glyphs as
 * text nodes, rules as colour nodes, all in @color. */
void                  cria_math_layout_snapshot     (const CriaMathLayout *layout,
                                                     GtkSnapshot          *snapshot,
                                                     const GdkRGBA        *color,
                                                     double                x,
                                                     double                y);
/* Draws @layout on @cr with its origin at (@x, @y), in @cr's source. */
void                  cria_math_layout_draw_cairo   (const CriaMathLayout *layout,
                                                     cairo_t              *cr,
                                                     double                x,
                                                     double                y);

/* @layout drawn alone on a new image surface of its size plus @padding
 * pixels all round, in @fg over @bg: golden images, the gallery and the
 * benchmarks draw formulas with it, offscreen. */
cairo_surface_t      *cria_math_layout_render       (const CriaMathLayout *layout,
                                                     const GdkRGBA        *fg,
                                                     const GdkRGBA        *bg,
                                                     int                   padding);

/* The maths font, loaded on first call; NULL when it is not installed.
 * (transfer none) */
CriaMathFont         *cria_math_style_get_font      (void);

/* The size of @widget's text in pixels, from its current font. */
double                cria_math_text_size_px        (GtkWidget *widget);

/* The foreground colour of @widget's style (GTK 4.8 has no
 * gtk_widget_get_color ()). */
void                  cria_math_widget_get_color    (GtkWidget *widget,
                                                     GdkRGBA   *color);

/* How many layouts were made in this process: tests check that a formula
 * is laid out once, not once per streamed token. */
guint                 _cria_math_style_get_n_layouts (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMathFormula, cria_math_formula_unref)

G_END_DECLS

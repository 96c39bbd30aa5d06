/* cria-math-inline.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cria-markdown.h"
#include "cria-math-style.h"

G_BEGIN_DECLS

/* Inline maths in a GtkLabel. The label's text keeps each formula's LaTeX
 * source, delimiters and all, so that selecting and copying gives the
 * source and a screen reader's text interface reads it. Over that source
 * lies one Pango shape the size of the typeset formula, on the text's
 * baseline, followed by shapes of no width: the label lays the formula out
 * as a single unbreakable box in its text flow, and GTK 4.8's GtkLabel
 * draws shapes through the Pango context's cairo shape renderer, which
 * draws the formula in the label's current colour.
 *
 * Shows @text with @spans in @label (which already has @text): a label
 * calls it each time its text is set, and @show calls set_label_inline ()
 * back with the same arguments when the "math as source" preference
 * changes. @owner holds @text and @spans and is kept as long as they are
 * shown. Adds to @attrs (NULL when the label needs no attributes, which
 * means no maths) what shows the formulas; sets the label's accessible name
 * to its text with each formula in words, and its tooltip to the parse
 * errors, one a line. */
typedef void (*CriaMathInlineShow) (GtkLabel          *label,
                                    CriaMarkdownBlock *owner,
                                    const char        *text,
                                    GArray            *spans,
                                    gboolean           bold);

void             cria_math_inline_apply       (GtkLabel           *label,
                                               CriaMarkdownBlock  *owner,
                                               const char         *text,
                                               GArray             *spans,
                                               gboolean            bold,
                                               PangoAttrList      *attrs,
                                               CriaMathInlineShow  show);

/* The formula a shape attribute made by cria_math_inline_apply() shows, or
 * NULL for any other attribute (the shapes of no width included). */
CriaMathFormula *cria_math_inline_get_formula (PangoAttribute *attr);
/* The text size in pixels that formula was laid out at, or 0. */
double           cria_math_inline_get_size_px (PangoAttribute *attr);

G_END_DECLS

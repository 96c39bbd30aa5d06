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
 * Adds to @attrs what shows the maths spans of @spans over @text in
 * @label, and returns whether there were any. @accessible_label is set to
 * the text with each formula in words (for the label's accessible name) and
 * @tooltip to the parse errors, one a line, or NULL when none. */
gboolean         cria_math_inline_apply       (GtkLabel       *label,
                                               const char     *text,
                                               GArray         *spans,
                                               PangoAttrList  *attrs,
                                               char          **accessible_label,
                                               char          **tooltip);

/* The formula a shape attribute made by cria_math_inline_apply() shows, or
 * NULL for any other attribute (the shapes of no width included). */
CriaMathFormula *cria_math_inline_get_formula (PangoAttribute *attr);
/* The text size in pixels that formula was laid out at, or 0. */
double           cria_math_inline_get_size_px (PangoAttribute *attr);

G_END_DECLS

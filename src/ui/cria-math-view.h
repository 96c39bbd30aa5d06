/* cria-math-view.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRIA_TYPE_MATH_VIEW (cria_math_view_get_type ())

G_DECLARE_FINAL_TYPE (CriaMathView, cria_math_view, CRIA, MATH_VIEW, GtkWidget)

/* A block of display maths: the formula typeset a little larger than the
 * text, centred, scrolling sideways when wider than the view. A formula
 * still streaming shows its source dim, one that does not parse its source
 * in the error style with the error as tooltip, and with the "math as
 * source" preference on every formula shows its source. Its context menu
 * and Ctrl+C copy the LaTeX source with its delimiters. */
GtkWidget  *cria_math_view_new        (void);
/* @source: the block's whole source, delimiters included; @math: the LaTeX
 * to typeset, or NULL while the formula is still streaming. */
void        cria_math_view_set_math   (CriaMathView *self,
                                       const char   *source,
                                       const char   *math);
const char *cria_math_view_get_source (CriaMathView *self);

G_END_DECLS

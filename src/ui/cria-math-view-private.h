/* cria-math-view-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-math-style.h"
#include "cria-math-view.h"

G_BEGIN_DECLS

/* The layout the view draws, or NULL while it shows source. */
const CriaMathLayout *_cria_math_view_get_layout (CriaMathView *self);
/* The widget the formula is drawn in, inside the scroller. */
GtkWidget            *_cria_math_view_get_canvas (CriaMathView *self);
/* The label showing the source, or NULL while the formula is typeset. */
GtkLabel             *_cria_math_view_get_source_label (CriaMathView *self);

G_END_DECLS

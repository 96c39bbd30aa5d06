/* cria-markdown-view-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-markdown-view.h"

G_BEGIN_DECLS

/* How many times the unfinished tail was rendered: tests use it to check
 * that a burst of appends costs one rebuild per frame, not one per append. */
guint _cria_markdown_view_get_n_tail_builds (CriaMarkdownView *self);

/* How many table cell labels all views have made: tests use it to check that
 * a table streamed row by row makes each cell once. */
guint _cria_markdown_view_get_n_table_cells_built (void);

G_END_DECLS

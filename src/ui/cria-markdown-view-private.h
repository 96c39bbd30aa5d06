/* cria-markdown-view-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-markdown.h"
#include "cria-markdown-view.h"

G_BEGIN_DECLS

/* How many times the unfinished tail was rendered: tests use it to check
 * that a burst of appends costs one rebuild per frame, not one per append. */
guint _cria_markdown_view_get_n_tail_builds (CriaMarkdownView *self);

/* How many table cell labels all views have made: tests use it to check that
 * a table streamed row by row makes each cell once. */
guint _cria_markdown_view_get_n_table_cells_built (void);

/* What the view's last snapshot did: how many snapshots it has made, how
 * many children's bounds the last one compared with the viewport, and how
 * many children it drew. Tests use it to check that a frame's cost does not
 * grow with the length of an answer scrolled out of view. */
void  _cria_markdown_view_get_last_snapshot (CriaMarkdownView *self,
                                             guint            *n_snapshots,
                                             guint            *n_checked,
                                             guint            *n_drawn);

/* Text labels (cria-markdown-view-text.c): paragraphs, headings and table
 * cells, with their spans as attributes and inline maths in them. */
GtkWidget *_cria_markdown_view_new_text_label    (gboolean           heading);
void       _cria_markdown_view_update_text_label (GtkLabel          *label,
                                                  CriaMarkdownBlock *block);
void       _cria_markdown_view_set_label_inline  (GtkLabel          *label,
                                                  CriaMarkdownBlock *owner,
                                                  const char        *text,
                                                  GArray            *spans,
                                                  gboolean           bold);

G_END_DECLS

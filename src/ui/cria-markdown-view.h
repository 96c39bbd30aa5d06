/* cria-markdown-view.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRIA_TYPE_MARKDOWN_VIEW (cria_markdown_view_get_type ())

G_DECLARE_FINAL_TYPE (CriaMarkdownView, cria_markdown_view, CRIA, MARKDOWN_VIEW, GtkWidget)

/* Shows Markdown as widgets: one per top-level block. While text streams in,
 * blocks that can no longer change are built once and kept; only the
 * unfinished last block is rebuilt, at most once per frame. Text is never
 * read as markup: model output is always shown literally. */
GtkWidget  *cria_markdown_view_new        (void);
/* Replaces everything with @text, all final (a finished message). */
void        cria_markdown_view_set_text   (CriaMarkdownView *self,
                                           const char       *text);
/* Adds streamed text; the view updates on the next frame. */
void        cria_markdown_view_append     (CriaMarkdownView *self,
                                           const char       *text);
/* The stream ended: the last block becomes final. */
void        cria_markdown_view_finish     (CriaMarkdownView *self);
/* Drops everything shown (a streamed answer turned out to be reasoning). */
void        cria_markdown_view_clear      (CriaMarkdownView *self);
const char *cria_markdown_view_get_text   (CriaMarkdownView *self);

G_END_DECLS

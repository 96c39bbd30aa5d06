/* cria-html-text.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The readable text of a web page: what a model fetching a page needs,
 * without its scripts, styles, navigation or markup.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of the HTML in @html (@length bytes, any bytes; invalid UTF-8 is
 * replaced). Scripts, styles, templates, SVG, navigation, asides and footers
 * are left out; blocks become lines, headings start with "#", list items with
 * "- ", preformatted text keeps its spacing, entities are decoded and the rest
 * of the whitespace is collapsed. One pass with no recursion, linear in
 * @length. @title, when not NULL, is set to the page's <title> or NULL. */
char *cria_html_to_text (const char  *html,
                         gsize        length,
                         char       **title);

G_END_DECLS

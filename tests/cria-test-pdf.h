/* cria-test-pdf.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A PDF made with cairo's PDF surface. With one line a page, page N says
 * "Page N: the quick brown fox"; with more, line L of page N says "Page N,
 * line L: the quick brown fox jumps over the lazy dog.". Pages whose bit
 * is set in @image_pages (the first 64) hold only a picture, as a scan
 * does. */
GBytes *cria_test_make_pdf (guint   n_pages,
                            guint   lines_per_page,
                            guint64 image_pages);

G_END_DECLS

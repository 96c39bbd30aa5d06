/* cria-math-corpus.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The formulas of a maths corpus file (tests/data/math/corpus.txt): one a
 * line, or the lines between two "---" lines joined with newlines; "#"
 * lines are comments and blank lines are skipped. NULL with @error set when
 * the file cannot be read. */
GPtrArray *cria_math_corpus_read (const char  *path,
                                  GError     **error);

G_END_DECLS

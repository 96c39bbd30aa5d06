/* cria-code-block.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRIA_TYPE_CODE_BLOCK (cria_code_block_get_type ())

G_DECLARE_FINAL_TYPE (CriaCodeBlock, cria_code_block, CRIA, CODE_BLOCK, GtkWidget)

/* A fenced code block: a header with the language and a copy button over a
 * highlighted, read-only source view that scrolls sideways. */
GtkWidget  *cria_code_block_new          (void);
/* Shows @text highlighted as @language (a fence's info word, or %NULL).
 * Cheap to call repeatedly while a block streams in: when @text only grows,
 * just the new part is inserted. */
void        cria_code_block_set_code     (CriaCodeBlock *self,
                                          const char    *language,
                                          const char    *text);
const char *cria_code_block_get_language (CriaCodeBlock *self);
const char *cria_code_block_get_code     (CriaCodeBlock *self);

G_END_DECLS

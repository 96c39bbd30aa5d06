/* cria-title-writer.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-client.h"

G_BEGIN_DECLS

/* Tokens a title request takes beyond the question and answer it quotes: the
 * instruction and the title itself. For showing what the feature costs. */
#define CRIA_TITLE_WRITER_EXTRA_INPUT_TOKENS 60
#define CRIA_TITLE_WRITER_OUTPUT_TOKENS      16
/* The question and answer are cut to this many characters each. */
#define CRIA_TITLE_WRITER_MAX_QUOTE          1000

/* Asks @model for a short title of a conversation that began with @question
 * and @answer (one non-streamed request). finish returns the title: one line,
 * without quotes or a final full stop, at most 60 characters; an empty answer
 * is an error. */
void   cria_title_writer_write_async  (CriaClient          *client,
                                       const char          *model,
                                       const char          *question,
                                       const char          *answer,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char  *cria_title_writer_write_finish (GAsyncResult        *result,
                                       GError             **error);
/* What a model wrote, made a title (NULL when nothing is left). */
char  *cria_title_writer_clean        (const char          *text);
/* Estimated USD for one title at the given prices per million tokens, for a
 * first question and answer of typical length; negative when unknown. */
double cria_title_writer_estimate_cost (double              input_price,
                                        double              output_price);

G_END_DECLS

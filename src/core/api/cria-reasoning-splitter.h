/* cria-reasoning-splitter.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CriaReasoningSplitterFunc:
 * @answer: text that belongs to the answer, or %NULL
 * @reasoning: text that belongs to the reasoning, or %NULL
 * @reclassified: %TRUE when everything reported as answer so far turned out to be
 *   reasoning (a closing tag with no opening tag); @reasoning then holds all of it
 *   and listeners must drop the answer they have shown
 * @user_data: closure
 */
typedef void (*CriaReasoningSplitterFunc) (const char *answer,
                                           const char *reasoning,
                                           gboolean    reclassified,
                                           gpointer    user_data);

/* Splits the content text of an answer into answer and reasoning by the
 * inline tags models emit: <think>…</think>, and OpenThinker's
 * <|begin_of_thought|>…<|end_of_thought|> with the answer in
 * <|begin_of_solution|>…<|end_of_solution|>. An opening tag counts only first
 * thing in the text (after whitespace), each tag only once; whitespace after
 * the reasoning is dropped. A closing tag with no opening tag turns the text
 * before it into reasoning (see @reclassified), unless
 * cria_reasoning_splitter_disable_orphan_close() was called or an opening tag
 * appeared in the middle of the text (the model writing about tags).
 *
 * Text may be split anywhere; a trailing tag prefix is held back only while it
 * could still become a tag, and cria_reasoning_splitter_finish() hands it out
 * as what it was. Text must hold no NUL byte: the function receives C strings,
 * never both %NULL or empty. It must not feed or free the splitter. */
typedef struct _CriaReasoningSplitter CriaReasoningSplitter;

CriaReasoningSplitter *cria_reasoning_splitter_new    (CriaReasoningSplitterFunc  func,
                                                       gpointer                   user_data);
void                   cria_reasoning_splitter_free   (CriaReasoningSplitter     *self);
void                   cria_reasoning_splitter_feed   (CriaReasoningSplitter     *self,
                                                       const char                *text,
                                                       gsize                      len);
void                   cria_reasoning_splitter_finish (CriaReasoningSplitter     *self);
void                   cria_reasoning_splitter_disable_orphan_close (CriaReasoningSplitter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaReasoningSplitter, cria_reasoning_splitter_free)

G_END_DECLS

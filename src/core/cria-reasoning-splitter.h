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

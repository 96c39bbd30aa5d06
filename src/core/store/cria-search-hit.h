/* cria-search-hit.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRIA_TYPE_SEARCH_HIT (cria_search_hit_get_type ())

G_DECLARE_FINAL_TYPE (CriaSearchHit, cria_search_hit, CRIA, SEARCH_HIT, GObject)

/* One result of a history search: a conversation whose title matched
 * (message id NULL), or one of its messages. The snippet is Pango markup:
 * the text escaped, the matching words in <b>. */
CriaSearchHit *cria_search_hit_new                (const char    *conversation_id,
                                                   const char    *title,
                                                   const char    *message_id,
                                                   const char    *snippet_markup);
const char    *cria_search_hit_get_conversation_id (CriaSearchHit *self);
const char    *cria_search_hit_get_title           (CriaSearchHit *self);
const char    *cria_search_hit_get_message_id      (CriaSearchHit *self);
const char    *cria_search_hit_get_snippet_markup  (CriaSearchHit *self);
/* Whether the hit was found by meaning (search by meaning) rather than by
 * its words. */
void           cria_search_hit_set_by_meaning      (CriaSearchHit *self,
                                                    gboolean       by_meaning);
gboolean       cria_search_hit_get_by_meaning      (CriaSearchHit *self);

/* @text with the parts between @open and @close (single characters that do
 * not occur in text otherwise) in <b>, everything escaped. */
char          *cria_search_hit_highlight           (const char    *text,
                                                    gunichar       open,
                                                    gunichar       close);

G_END_DECLS

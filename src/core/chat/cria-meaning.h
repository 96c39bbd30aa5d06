/* cria-meaning.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-client.h"
#include "cria-store.h"

G_BEGIN_DECLS

/* Search by meaning over the history. When enabled, it embeds the saved
 * user and assistant messages with the embedding model in the background,
 * in batches, oldest first, and keeps their vectors in the store (a run
 * that stops resumes where it was, paying only for the rest); messages
 * saved later are embedded a little after they are saved, together. When
 * disabled it stops embedding and keeps the vectors, so that switching it
 * on again costs nothing for what was done. A failure of the embeddings
 * endpoint stops indexing and is kept in CriaMeaning:error until it is
 * switched on again or the model changes. */

/* Messages are embedded up to this many characters. */
#define CRIA_MEANING_MAX_CHARS 2000

#define CRIA_TYPE_MEANING (cria_meaning_get_type ())

G_DECLARE_FINAL_TYPE (CriaMeaning, cria_meaning, CRIA, MEANING, GObject)

CriaMeaning *cria_meaning_new                (CriaStore           *store,
                                              CriaClient          *client);
gboolean     cria_meaning_get_enabled        (CriaMeaning         *self);
void         cria_meaning_set_enabled        (CriaMeaning         *self,
                                              gboolean             enabled);
const char  *cria_meaning_get_model          (CriaMeaning         *self);
void         cria_meaning_set_model          (CriaMeaning         *self,
                                              const char          *model);
/* Whether it is embedding messages now. */
gboolean     cria_meaning_get_indexing       (CriaMeaning         *self);
/* The messages not embedded yet and their estimated tokens, as last
 * counted (cria_meaning_refresh()); -1 before the first count. */
int          cria_meaning_get_n_pending      (CriaMeaning         *self);
gint64       cria_meaning_get_pending_tokens (CriaMeaning         *self);
/* Messages embedded since indexing last started. */
guint        cria_meaning_get_n_done         (CriaMeaning         *self);
/* Why indexing stopped, for the user, or NULL. */
const char  *cria_meaning_get_error          (CriaMeaning         *self);
/* Counts the messages not embedded yet again. */
void         cria_meaning_refresh            (CriaMeaning         *self);

/* The conversations whose messages are nearest in meaning to @text, best
 * first, one hit each (CriaSearchHit, by meaning), at most @limit. Empty
 * when disabled or when @text is too short; an error of the endpoint
 * leaves it empty and sets CriaMeaning:error. */
void         cria_meaning_search_async       (CriaMeaning         *self,
                                              const char          *text,
                                              guint                limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray   *cria_meaning_search_finish      (CriaMeaning         *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* For tests: how long to wait after a save before embedding (default
 * 3 s), in milliseconds. */
void         _cria_meaning_set_delay         (CriaMeaning         *self,
                                              guint                delay_ms);

G_END_DECLS

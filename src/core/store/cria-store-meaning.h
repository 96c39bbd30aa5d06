/* cria-store-meaning.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-store.h"

G_BEGIN_DECLS

/* The vectors of messages for search by meaning, kept per embedding model:
 * each normalised and quantised to int8 with a scale of its own (768 bytes
 * and a float for a 768-dimension model). A message's vectors go when it
 * goes, and when its text changes. Only finished user and assistant
 * messages with text are embedded, their first @max_chars characters. */

/* All the vectors of @model, as loaded: @n of them, @ids[i] the message's
 * row id, @values[i × @dimension …] its int8 values and @scales[i] what one
 * step is worth. */
typedef struct
{
  guint   n;
  guint   dimension;
  gint64 *ids;
  gint8  *values;
  float  *scales;
} CriaMessageVectors;

void                cria_message_vectors_free              (CriaMessageVectors  *vectors);

/* How many messages have no vector of @model yet, and their characters. */
void                cria_store_count_unembedded_async      (CriaStore           *self,
                                                            const char          *model,
                                                            guint                max_chars,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            cria_store_count_unembedded_finish     (CriaStore           *self,
                                                            GAsyncResult        *result,
                                                            guint               *n_messages,
                                                            gint64              *n_chars,
                                                            GError             **error);

/* At most @limit messages with no vector of @model, oldest first, of row
 * ids above @after (a pass goes on from its last batch instead of stepping
 * over what it embedded again): their texts (trimmed to @max_chars
 * characters), and their row ids in @ids. */
void                cria_store_next_unembedded_async       (CriaStore           *self,
                                                            const char          *model,
                                                            guint                max_chars,
                                                            gint64               after,
                                                            guint                limit,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GStrv               cria_store_next_unembedded_finish      (CriaStore           *self,
                                                            GAsyncResult        *result,
                                                            GArray             **ids,
                                                            GError             **error);

/* Stores @n quantised vectors of @dimension values (one after the other in
 * @values, with their @scales) for the messages @ids; a message deleted
 * meanwhile is skipped. */
void                cria_store_save_message_vectors_async  (CriaStore           *self,
                                                            const char          *model,
                                                            guint                dimension,
                                                            const gint64        *ids,
                                                            guint                n,
                                                            const gint8         *values,
                                                            const float         *scales,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            cria_store_save_message_vectors_finish (CriaStore           *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

void                cria_store_load_message_vectors_async  (CriaStore           *self,
                                                            const char          *model,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
CriaMessageVectors *cria_store_load_message_vectors_finish (CriaStore           *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* Search hits (CriaSearchHit, marked as found by meaning) for the messages
 * @ids, best first: one per conversation, its best message's text as the
 * snippet, at most @limit; messages that are gone are skipped. */
void                cria_store_meaning_hits_async          (CriaStore           *self,
                                                            const gint64        *ids,
                                                            guint                n,
                                                            guint                limit,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
GPtrArray          *cria_store_meaning_hits_finish         (CriaStore           *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMessageVectors, cria_message_vectors_free)

G_END_DECLS

/* cria-conversation-recorder.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-conversation.h"
#include "cria-store.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CONVERSATION_RECORDER (cria_conversation_recorder_get_type ())

G_DECLARE_FINAL_TYPE (CriaConversationRecorder, cria_conversation_recorder, CRIA, CONVERSATION_RECORDER, GObject)

/* Keeps a conversation saved as it changes: a new message is written as soon
 * as it is in the list (so a question is saved before its request goes out,
 * the store running jobs in order), a streaming answer at least every
 * CRIA_CONVERSATION_RECORDER_INTERVAL_MS and when it ends, and the title, model
 * and system prompt when they change. A conversation is in the history from
 * its first message on.
 *
 * A change stays unsaved until the store has committed a write of it (not
 * merely queued one). When a write fails (a full disk), everything unsaved is
 * written again on the next change, after a wait that doubles from 2 s up to
 * a minute (CRIA_RECORDER_RETRY_MS sets the first), and when the recorder is
 * flushed or let go of. */
#define CRIA_CONVERSATION_RECORDER_INTERVAL_MS 500

/* @id: the saved conversation's id, whose messages are the conversation's now;
 * NULL for a conversation not saved yet, which gets a new id. */
CriaConversationRecorder *cria_conversation_recorder_new           (CriaStore                *store,
                                                                    CriaConversation         *conversation,
                                                                    const char               *id);
const char               *cria_conversation_recorder_get_id        (CriaConversationRecorder *self);
CriaConversation         *cria_conversation_recorder_get_conversation (CriaConversationRecorder *self);
/* Saves the system prompt and parameters, which have no change notification. */
void                      cria_conversation_recorder_save_settings (CriaConversationRecorder *self);
/* Writes every pending change now. */
void                      cria_conversation_recorder_flush         (CriaConversationRecorder *self);
/* The conversation's settings as the store keeps them. */
CriaConversationRecord   *cria_conversation_recorder_dup_record    (CriaConversationRecorder *self);

G_END_DECLS

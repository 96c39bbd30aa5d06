/* cria-conversation-info.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-record.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CONVERSATION_INFO (cria_conversation_info_get_type ())

G_DECLARE_FINAL_TYPE (CriaConversationInfo, cria_conversation_info, CRIA, CONVERSATION_INFO, GObject)

/* A saved conversation as the sidebar lists it. */
CriaConversationInfo *cria_conversation_info_new         (const CriaConversationRecord *record);
const char           *cria_conversation_info_get_id      (CriaConversationInfo         *self);
const char           *cria_conversation_info_get_title   (CriaConversationInfo         *self);
const char           *cria_conversation_info_get_model   (CriaConversationInfo         *self);
gboolean              cria_conversation_info_get_pinned  (CriaConversationInfo         *self);
gint64                cria_conversation_info_get_created (CriaConversationInfo         *self);
/* µs since the Unix epoch. */
gint64                cria_conversation_info_get_updated (CriaConversationInfo         *self);
/* Takes @record's values, notifying those that changed. */
void                  cria_conversation_info_update      (CriaConversationInfo         *self,
                                                          const CriaConversationRecord *record);
/* Pinned first, then newest first. */
int                   cria_conversation_info_compare     (CriaConversationInfo         *a,
                                                          CriaConversationInfo         *b);

G_END_DECLS

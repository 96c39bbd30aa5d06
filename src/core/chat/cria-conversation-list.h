/* cria-conversation-list.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-conversation-info.h"
#include "cria-store.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CONVERSATION_LIST (cria_conversation_list_get_type ())

G_DECLARE_FINAL_TYPE (CriaConversationList, cria_conversation_list, CRIA, CONVERSATION_LIST, GObject)

/* The saved conversations, a GListModel of CriaConversationInfo, pinned first
 * and newest first. It fills itself from the store in the background ("loaded"
 * turns TRUE) and follows every change the store announces with exact
 * items-changed on the main context. */
CriaConversationList *cria_conversation_list_new        (CriaStore            *store);
gboolean              cria_conversation_list_get_loaded (CriaConversationList *self);
CriaConversationInfo *cria_conversation_list_find       (CriaConversationList *self,
                                                         const char           *id,
                                                         guint                *position);

G_END_DECLS

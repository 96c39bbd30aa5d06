/* cria-chat-view.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-conversation.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CHAT_VIEW (cria_chat_view_get_type ())

G_DECLARE_FINAL_TYPE (CriaChatView, cria_chat_view, CRIA, CHAT_VIEW, GtkWidget)

/* The transcript: a conversation's messages, one CriaMessageRow each, in a
 * scrolled list view. It opens with the end of the conversation and adds
 * earlier messages as the user scrolls up; it follows the newest text while
 * the view is at the bottom and lets go when the user scrolls away. An empty
 * conversation shows a "New Chat" page instead.
 *
 * It only shows: the rows' buttons and menus name win.* actions (copy,
 * regenerate, continue, edit, delete, top-up, pick-model), which the window
 * that holds the view handles. */
GtkWidget        *cria_chat_view_new               (void);
CriaConversation *cria_chat_view_get_conversation  (CriaChatView     *self);
/* Shows @conversation (or nothing, when NULL) from its end, stuck to the
 * bottom; a scroll to a message still under way is dropped. */
void              cria_chat_view_set_conversation  (CriaChatView     *self,
                                                    CriaConversation *conversation);
/* The models the rows name (a GListModel of CriaModel), or NULL. */
GListModel       *cria_chat_view_get_models        (CriaChatView     *self);
void              cria_chat_view_set_models        (CriaChatView     *self,
                                                    GListModel       *models);
/* Holds on to the bottom again: the view follows the newest text until the
 * user scrolls up. */
void              cria_chat_view_scroll_to_bottom  (CriaChatView     *self);
/* Brings the message with the id @message_id into view, showing earlier
 * messages down to it if need be, and lets go of the bottom. Rows are
 * measured as they come into view, so it aims again for a few frames. NULL
 * drops a scroll still under way; an id not in the conversation does nothing. */
void              cria_chat_view_scroll_to_message (CriaChatView     *self,
                                                    const char       *message_id);

G_END_DECLS

/* cria-sidebar.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRIA_TYPE_SIDEBAR (cria_sidebar_get_type ())

G_DECLARE_FINAL_TYPE (CriaSidebar, cria_sidebar, CRIA, SIDEBAR, GtkWidget)

/* The conversation history beside the chat: a list of saved conversations
 * (a GListModel of CriaConversationInfo) grouped by day, and a search entry
 * whose results (a GListModel of CriaSearchHit) replace the list while there
 * is text to search for. It shows; the window acts, on its signals and on the
 * win.*-conversation actions its rows name. */
GtkWidget  *cria_sidebar_new                (void);
void        cria_sidebar_set_conversations  (CriaSidebar *self,
                                             GListModel  *conversations);
/* @results: NULL while there is nothing to search for. */
void        cria_sidebar_set_results        (CriaSidebar *self,
                                             GListModel  *results);
const char *cria_sidebar_get_search_text    (CriaSidebar *self);
void        cria_sidebar_focus_search       (CriaSidebar *self);

G_END_DECLS

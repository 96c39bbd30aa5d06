/* cria-sidebar-row.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-conversation-info.h"
#include "cria-search-hit.h"

G_BEGIN_DECLS

#define CRIA_TYPE_SIDEBAR_ROW (cria_sidebar_row_get_type ())

G_DECLARE_FINAL_TYPE (CriaSidebarRow, cria_sidebar_row, CRIA, SIDEBAR_ROW, GtkWidget)

/* A conversation in the sidebar: its title, a pin, a menu; or a search
 * result: the title over a snippet with the matching words in bold. The
 * first row of a group also shows the group's heading. */
GtkWidget            *cria_sidebar_row_new          (void);
void                  cria_sidebar_row_set_info     (CriaSidebarRow       *self,
                                                     CriaConversationInfo *info);
CriaConversationInfo *cria_sidebar_row_get_info     (CriaSidebarRow       *self);
void                  cria_sidebar_row_set_hit      (CriaSidebarRow       *self,
                                                     CriaSearchHit        *hit);
/* NULL hides the heading. */
void                  cria_sidebar_row_set_heading  (CriaSidebarRow       *self,
                                                     const char           *heading);
const char           *cria_sidebar_row_get_heading  (CriaSidebarRow       *self);
const char           *cria_sidebar_row_get_title    (CriaSidebarRow       *self);

G_END_DECLS

/* cria-mcp-page.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-mcp-manager.h"
#include "cria-toolbox.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MCP_PAGE (cria_mcp_page_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpPage, cria_mcp_page, CRIA, MCP_PAGE, AdwPreferencesPage)

/* The Preferences page of MCP servers: add one (a command, or an HTTP
 * address), edit, test, enable or disable it, see its tools and switch
 * each on or off. Actions: "mcp.add-command", "mcp.add-http". */
GtkWidget *cria_mcp_page_new         (CriaMcpManager *manager);
/* Removing a server here forgets its tools allowed for good in @toolbox. */
void       cria_mcp_page_set_toolbox (CriaMcpPage    *self,
                                      CriaToolbox    *toolbox);

G_END_DECLS

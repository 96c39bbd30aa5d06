/* cria-mcp-page-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-page.h"

G_BEGIN_DECLS

/* For tests: the list of server rows and the sandbox note. */
GtkListBox *_cria_mcp_page_get_server_list   (CriaMcpPage *self);
GtkWidget  *_cria_mcp_page_get_sandbox_label (CriaMcpPage *self);

G_END_DECLS

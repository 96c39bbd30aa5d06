/* cria-mcp-stdio-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-stdio.h"

G_BEGIN_DECLS

/* The server's process, for tests that end it behind the client's back. */
GSubprocess *_cria_mcp_stdio_get_process        (CriaMcpStdio *self);
/* The file whose presence says Cria runs inside Flatpak; tests point it at
 * one of their own. @path must outlive its use. */
void         _cria_mcp_stdio_set_sandbox_marker (const char   *path);

G_END_DECLS

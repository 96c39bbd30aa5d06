/* cria-mcp-stdio.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-transport.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MCP_STDIO (cria_mcp_stdio_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpStdio, cria_mcp_stdio, CRIA, MCP_STDIO, GObject)

/* The stdio transport: starts @command with @args (found on PATH) and
 * @env ("NAME=value" strings added to Cria's own environment), writes one
 * JSON text per line to its stdin and reads one per line from its stdout.
 * Its stderr is read all the time (a server that fills the pipe would
 * otherwise stall) and only its last few kilobytes are kept. */
CriaMcpStdio *cria_mcp_stdio_new           (const char         *command,
                                            const char * const *args,
                                            const char * const *env);

/* Inside the Flatpak sandbox a command is started in the sandbox, where the
 * user's programs are not: stdio servers can't work there. */
gboolean      cria_mcp_stdio_is_sandboxed  (void);

G_END_DECLS

/* cria-mcp-tool.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-client.h"
#include "cria-tool.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MCP_TOOL (cria_mcp_tool_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpTool, cria_mcp_tool, CRIA, MCP_TOOL, GObject)

/* One tool of an MCP server, as a CriaTool. Its name for the model is
 * @name (see cria_mcp_tool_make_name()); a call goes to the server under
 * the tool's own name. It always asks before it runs. The "enabled"
 * property is the user's switch for it in Preferences. */
CriaMcpTool    *cria_mcp_tool_new               (CriaMcpClient *client,
                                                 const char    *name,
                                                 const char    *server_name,
                                                 JsonObject    *descriptor);
/* The tool's name on its server. */
const char     *cria_mcp_tool_get_remote_name   (CriaMcpTool   *self);
gboolean        cria_mcp_tool_get_enabled       (CriaMcpTool   *self);
void            cria_mcp_tool_set_enabled       (CriaMcpTool   *self,
                                                 gboolean       enabled);

/* A function name a model accepts, [A-Za-z0-9_-]{1,64}: @prefix and
 * @remote_name joined by "_", other characters made "_", cut to fit. */
char           *cria_mcp_tool_make_name         (const char    *prefix,
                                                 const char    *remote_name);

/* The text a model reads from a CallToolResult: the text blocks in order,
 * other blocks named ("[image: image/png]"), the structured content when
 * there is no content, isError kept. Plain text, capped. */
CriaToolResult *cria_mcp_tool_result_from_json  (JsonObject    *result);

G_END_DECLS

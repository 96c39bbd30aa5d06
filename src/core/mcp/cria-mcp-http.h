/* cria-mcp-http.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cria-mcp-transport.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MCP_HTTP (cria_mcp_http_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpHttp, cria_mcp_http, CRIA, MCP_HTTP, GObject)

/* The Streamable HTTP transport: each message is POSTed to @url, which
 * answers with JSON or an event stream; the session id the server gives is
 * sent back with every request, and once initialized the protocol revision
 * too. After the handshake a GET stream carries the server's own messages
 * (tools/list_changed) when the server offers one. Redirects are not
 * followed, so the token never reaches another host. */
CriaMcpHttp *cria_mcp_http_new       (SoupSession *session,
                                      const char  *url);
/* A bearer token for the Authorization header (copied, wiped when freed);
 * NULL for none. Never logged. */
void         cria_mcp_http_set_token (CriaMcpHttp *self,
                                      const char  *token);
const char  *cria_mcp_http_get_session_id (CriaMcpHttp *self);

G_END_DECLS

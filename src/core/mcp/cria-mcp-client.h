/* cria-mcp-client.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-transport.h"

G_BEGIN_DECLS

/* The protocol revision Cria asks for, and the older one it accepts when a
 * server answers with that. */
#define CRIA_MCP_PROTOCOL_VERSION "2025-06-18"
#define CRIA_MCP_PROTOCOL_VERSION_OLD "2025-03-26"

/* The most pages of tools/list read, and tools kept, from one server. */
#define CRIA_MCP_MAX_PAGES 64
#define CRIA_MCP_MAX_TOOLS 1024

#define CRIA_MCP_ERROR (cria_mcp_error_quark ())

/**
 * CriaMcpError:
 * @CRIA_MCP_ERROR_PROTOCOL: the server broke the protocol (an answer that is not what was asked)
 * @CRIA_MCP_ERROR_VERSION: the server speaks only a protocol revision Cria does not
 * @CRIA_MCP_ERROR_SERVER: the server answered with a JSON-RPC error (its message is the error's)
 */
typedef enum
{
  CRIA_MCP_ERROR_PROTOCOL,
  CRIA_MCP_ERROR_VERSION,
  CRIA_MCP_ERROR_SERVER,
} CriaMcpError;

GQuark cria_mcp_error_quark (void);

#define CRIA_TYPE_MCP_CLIENT (cria_mcp_client_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpClient, cria_mcp_client, CRIA, MCP_CLIENT, GObject)

/* A JSON-RPC 2.0 session with one MCP server over @transport.
 *
 * Each request fails with G_IO_ERROR_TIMED_OUT when the server does not
 * answer within the timeout, and with G_IO_ERROR_CANCELLED at once when its
 * cancellable is cancelled; either way the server is sent
 * notifications/cancelled for it. When the connection goes (the server
 * process died), every request in flight fails with its reason.
 *
 * Signals: "tools-changed" () when the server sends
 * notifications/tools/list_changed; "closed" (GError *) when the
 * connection went away without cria_mcp_client_close(). */
CriaMcpClient    *cria_mcp_client_new                  (CriaMcpTransport     *transport);
/* 0 waits for ever. The default is 60 s. */
void              cria_mcp_client_set_timeout          (CriaMcpClient        *self,
                                                        guint                 timeout_ms);
CriaMcpTransport *cria_mcp_client_get_transport        (CriaMcpClient        *self);

/* Starts the transport, sends initialize, checks the protocol revision the
 * server chose and sends notifications/initialized. */
void              cria_mcp_client_connect_async        (CriaMcpClient        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean          cria_mcp_client_connect_finish       (CriaMcpClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
gboolean          cria_mcp_client_is_connected         (CriaMcpClient        *self);
const char       *cria_mcp_client_get_protocol_version (CriaMcpClient        *self);
const char       *cria_mcp_client_get_server_name      (CriaMcpClient        *self);
const char       *cria_mcp_client_get_server_version   (CriaMcpClient        *self);
gboolean          cria_mcp_client_has_tools            (CriaMcpClient        *self);

/* One request; @params (nullable) is an object. Finishes with the result
 * object. */
void              cria_mcp_client_request_async        (CriaMcpClient        *self,
                                                        const char           *method,
                                                        JsonObject           *params,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonObject       *cria_mcp_client_request_finish       (CriaMcpClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* tools/list, following nextCursor over every page (at most
 * CRIA_MCP_MAX_PAGES pages, CRIA_MCP_MAX_TOOLS tools; a cursor seen before
 * ends it). Finishes with a GPtrArray of tool objects (JsonObject), each
 * with a string "name" and an object "inputSchema". */
void              cria_mcp_client_list_tools_async     (CriaMcpClient        *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray        *cria_mcp_client_list_tools_finish    (CriaMcpClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* tools/call. Finishes with the CallToolResult object. */
void              cria_mcp_client_call_tool_async      (CriaMcpClient        *self,
                                                        const char           *name,
                                                        JsonObject           *arguments,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonObject       *cria_mcp_client_call_tool_finish     (CriaMcpClient        *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* Fails what is in flight with G_IO_ERROR_CLOSED and closes the transport. */
void              cria_mcp_client_close                (CriaMcpClient        *self);

G_END_DECLS

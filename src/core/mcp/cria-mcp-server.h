/* cria-mcp-server.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cria-mcp-client.h"
#include "cria-mcp-tool.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_MCP_TRANSPORT_KIND_STDIO,
  CRIA_MCP_TRANSPORT_KIND_HTTP,
} CriaMcpTransportKind;

typedef enum
{
  CRIA_MCP_SERVER_STATE_DISCONNECTED,
  CRIA_MCP_SERVER_STATE_CONNECTING,
  CRIA_MCP_SERVER_STATE_CONNECTED,
  CRIA_MCP_SERVER_STATE_FAILED,
} CriaMcpServerState;

#define CRIA_TYPE_MCP_SERVER (cria_mcp_server_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpServer, cria_mcp_server, CRIA, MCP_SERVER, GObject)

/* One configured MCP server: what the user set (name, transport, command,
 * arguments and environment or URL, enabled, the tools switched off) as
 * properties, and, once connected, its tools as a GListModel of
 * CriaMcpTool. A failed connection sets "state" to FAILED and "error" to
 * why (plain text). The tools' names for the model start with the server's
 * name ("files_read_file") and are unique within the server.
 *
 * @session serves HTTP servers; the bearer token of an HTTP server is read
 * from the keyring (cria-mcp-token.h) on each connection. */
CriaMcpServer        *cria_mcp_server_new                (const char            *id,
                                                          SoupSession           *session);
const char           *cria_mcp_server_get_id             (CriaMcpServer         *self);
const char           *cria_mcp_server_get_name           (CriaMcpServer         *self);
void                  cria_mcp_server_set_name           (CriaMcpServer         *self,
                                                          const char            *name);
CriaMcpTransportKind  cria_mcp_server_get_transport      (CriaMcpServer         *self);
void                  cria_mcp_server_set_transport      (CriaMcpServer         *self,
                                                          CriaMcpTransportKind   transport);
const char           *cria_mcp_server_get_command        (CriaMcpServer         *self);
void                  cria_mcp_server_set_command        (CriaMcpServer         *self,
                                                          const char            *command);
const char * const   *cria_mcp_server_get_args           (CriaMcpServer         *self);
void                  cria_mcp_server_set_args           (CriaMcpServer         *self,
                                                          const char * const    *args);
/* "NAME=value" strings. */
const char * const   *cria_mcp_server_get_env            (CriaMcpServer         *self);
void                  cria_mcp_server_set_env            (CriaMcpServer         *self,
                                                          const char * const    *env);
const char           *cria_mcp_server_get_url            (CriaMcpServer         *self);
void                  cria_mcp_server_set_url            (CriaMcpServer         *self,
                                                          const char            *url);
gboolean              cria_mcp_server_get_enabled        (CriaMcpServer         *self);
void                  cria_mcp_server_set_enabled        (CriaMcpServer         *self,
                                                          gboolean               enabled);
/* The server's own names of the tools the user switched off, sorted. */
GStrv                 cria_mcp_server_dup_disabled_tools (CriaMcpServer         *self);
void                  cria_mcp_server_set_disabled_tools (CriaMcpServer         *self,
                                                          const char * const    *names);
/* 0 waits for ever. */
void                  cria_mcp_server_set_timeout        (CriaMcpServer         *self,
                                                          guint                  timeout_ms);

CriaMcpServerState    cria_mcp_server_get_state          (CriaMcpServer         *self);
const char           *cria_mcp_server_get_error          (CriaMcpServer         *self);
GListModel           *cria_mcp_server_get_tools          (CriaMcpServer         *self);

/* Connects (again, if connected) and lists the tools. */
void                  cria_mcp_server_connect            (CriaMcpServer         *self);
void                  cria_mcp_server_disconnect         (CriaMcpServer         *self);

/* Tries the configuration as it is now on a connection of its own and
 * finishes with the number of tools the server offers; the server's state
 * does not change. */
void                  cria_mcp_server_test_async         (CriaMcpServer         *self,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
guint                 cria_mcp_server_test_finish        (CriaMcpServer         *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);

G_END_DECLS

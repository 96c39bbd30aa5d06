/* cria-mcp-manager.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-mcp-server.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MCP_MANAGER (cria_mcp_manager_get_type ())

G_DECLARE_FINAL_TYPE (CriaMcpManager, cria_mcp_manager, CRIA, MCP_MANAGER, GObject)

/* The MCP servers the user configured, kept in @settings (a
 * io.github.cria.Cria.Mcp: "servers" holds each server's name, transport,
 * command, arguments and environment or URL, enabled and tools switched
 * off; "timeout" the seconds a request may take). Every change to a
 * server's configuration is saved at once. Tokens live in the keyring,
 * keyed by the server's id (cria_mcp_manager_set_token_async()).
 *
 * The manager has its own SoupSession for HTTP servers: each one holds a
 * connection open for its event stream, and calls may run long, which
 * must not take the connections LlamaGate's requests need. */
CriaMcpManager *cria_mcp_manager_new             (GSettings            *settings);
/* A GListModel of CriaMcpServer, in the order the user added them. */
GListModel     *cria_mcp_manager_get_servers     (CriaMcpManager       *self);
CriaMcpServer  *cria_mcp_manager_lookup          (CriaMcpManager       *self,
                                                  const char           *id);
/* A new server, disabled until the user enables it. */
CriaMcpServer  *cria_mcp_manager_add_server      (CriaMcpManager       *self,
                                                  const char           *name,
                                                  CriaMcpTransportKind  transport);
/* Disconnects @server, forgets it and its token. */
void            cria_mcp_manager_remove_server   (CriaMcpManager       *self,
                                                  CriaMcpServer        *server);
/* Connects the enabled servers (and each server that is enabled later). */
void            cria_mcp_manager_start           (CriaMcpManager       *self);

/* The tools a conversation may offer: the enabled tools of the connected,
 * enabled servers whose ids are in @server_ids (NULL for every server).
 * Returns a GPtrArray of CriaTool. */
GPtrArray      *cria_mcp_manager_dup_tools       (CriaMcpManager       *self,
                                                  const char * const   *server_ids);

/* The same for every server, as one GListModel of CriaTool kept up to date
 * (servers connecting, failing, switched on or off, tools switched on or
 * off, a server's list changing): a source for the conversation's toolbox. */
GListModel     *cria_mcp_manager_get_tools       (CriaMcpManager       *self);

/* Stores @token (NULL or "" clears it) for @server in the keyring. */
void            cria_mcp_manager_set_token_async  (CriaMcpManager      *self,
                                                   CriaMcpServer       *server,
                                                   const char          *token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        cria_mcp_manager_set_token_finish (CriaMcpManager      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* FALSE inside the Flatpak sandbox, with why, for the Preferences page to
 * say and to offer HTTP instead. */
gboolean        cria_mcp_manager_can_run_commands (CriaMcpManager      *self,
                                                   char               **reason);

G_END_DECLS

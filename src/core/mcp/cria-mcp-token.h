/* cria-mcp-token.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bearer tokens of MCP servers reached over HTTP, kept in the Secret
 * Service under the server's id: never in settings, files or logs.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Stores @token for @server_id; an empty or NULL token clears it. */
void      cria_mcp_token_store_async   (const char           *server_id,
                                        const char           *token,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean  cria_mcp_token_store_finish  (GAsyncResult         *result,
                                        GError              **error);
/* Finishes with NULL and no error when no token is stored. Free the
 * token with cria_secret_free(). */
void      cria_mcp_token_lookup_async  (const char           *server_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
char     *cria_mcp_token_lookup_finish (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS

/* cria-mcp-transport.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How JSON-RPC messages travel between Cria and one MCP server: the stdio
 * transport (a subprocess, one JSON text per line) and Streamable HTTP (a
 * POST per message, answers as JSON or as an event stream). The client sees
 * only this interface.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The most one message from a server may hold. A server that sends more
 * without ending it is broken or hostile: the transport closes instead of
 * buffering without end. */
#define CRIA_MCP_MESSAGE_MAX (8 * 1024 * 1024)

#define CRIA_TYPE_MCP_TRANSPORT (cria_mcp_transport_get_type ())

G_DECLARE_INTERFACE (CriaMcpTransport, cria_mcp_transport, CRIA, MCP_TRANSPORT, GObject)

/* Signals every transport emits, on the main context it was started on:
 *
 * "message" (JsonObject *message): a JSON-RPC message from the server.
 * "send-failed" (const char *id, GError *error): a request the client sent
 *   could not be delivered or its answer could not be read (HTTP only); @id
 *   is the request id as JSON text.
 * "closed" (GError *error): the connection is gone (the process ended, the
 *   session expired); nothing is delivered after it. Emitted at most once,
 *   and not when the client closed it. */
struct _CriaMcpTransportInterface
{
  GTypeInterface parent_iface;

  gboolean (*start)                (CriaMcpTransport  *self,
                                    GError           **error);
  /* Queues @message (an object: a request, a notification or a response). */
  void     (*send)                 (CriaMcpTransport  *self,
                                    JsonNode          *message);
  /* The handshake is over: HTTP then sends the protocol version header and
   * listens for the server's own messages. */
  void     (*initialized)          (CriaMcpTransport  *self,
                                    const char        *protocol_version);
  void     (*close)                (CriaMcpTransport  *self);
  /* The client gave up on request @id (Stop, a timeout): HTTP stops
   * reading its answer, so the connection is free again. Optional. */
  void     (*forget)               (CriaMcpTransport  *self,
                                    const char        *id);
  /* What the server said on the side (stdio's stderr), for error messages:
   * the last few kilobytes, valid UTF-8, or NULL. */
  char    *(*dup_diagnostics)      (CriaMcpTransport  *self);
};

gboolean cria_mcp_transport_start           (CriaMcpTransport  *self,
                                             GError           **error);
void     cria_mcp_transport_send            (CriaMcpTransport  *self,
                                             JsonNode          *message);
void     cria_mcp_transport_initialized     (CriaMcpTransport  *self,
                                             const char        *protocol_version);
void     cria_mcp_transport_close           (CriaMcpTransport  *self);
void     cria_mcp_transport_forget          (CriaMcpTransport  *self,
                                             const char        *id);
char    *cria_mcp_transport_dup_diagnostics (CriaMcpTransport  *self);

/* For implementations. */
void     cria_mcp_transport_emit_message     (CriaMcpTransport  *self,
                                              JsonObject        *message);
void     cria_mcp_transport_emit_send_failed (CriaMcpTransport  *self,
                                              const char        *id,
                                              const GError      *error);
void     cria_mcp_transport_emit_closed      (CriaMcpTransport  *self,
                                              const GError      *error);
/* Parses @len bytes of one JSON text and emits each message it holds (an
 * object, or the objects of a batch array); anything else is dropped with
 * a debug line. Returns FALSE when it was not JSON. */
gboolean cria_mcp_transport_dispatch_json    (CriaMcpTransport  *self,
                                              const char        *data,
                                              gsize              len);

G_END_DECLS

/* cria-mcp-transport.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-json.h"
#include "cria-mcp-transport.h"

G_DEFINE_INTERFACE (CriaMcpTransport, cria_mcp_transport, G_TYPE_OBJECT)

enum {
  MESSAGE,
  SEND_FAILED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
default_dup_diagnostics (CriaMcpTransport *self)
{
  return NULL;
}

static void
default_initialized (CriaMcpTransport *self,
                     const char       *protocol_version)
{
}

static void
default_forget (CriaMcpTransport *self,
                const char       *id)
{
}

static void
cria_mcp_transport_default_init (CriaMcpTransportInterface *iface)
{
  iface->dup_diagnostics = default_dup_diagnostics;
  iface->initialized = default_initialized;
  iface->forget = default_forget;

  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[SEND_FAILED] =
    g_signal_new ("send-failed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_ERROR);
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

gboolean
cria_mcp_transport_start (CriaMcpTransport  *self,
                          GError           **error)
{
  g_return_val_if_fail (CRIA_IS_MCP_TRANSPORT (self), FALSE);

  return CRIA_MCP_TRANSPORT_GET_IFACE (self)->start (self, error);
}

void
cria_mcp_transport_send (CriaMcpTransport *self,
                         JsonNode         *message)
{
  g_return_if_fail (CRIA_IS_MCP_TRANSPORT (self));
  g_return_if_fail (JSON_NODE_HOLDS_OBJECT (message));

  CRIA_MCP_TRANSPORT_GET_IFACE (self)->send (self, message);
}

void
cria_mcp_transport_initialized (CriaMcpTransport *self,
                                const char       *protocol_version)
{
  g_return_if_fail (CRIA_IS_MCP_TRANSPORT (self));

  CRIA_MCP_TRANSPORT_GET_IFACE (self)->initialized (self, protocol_version);
}

void
cria_mcp_transport_close (CriaMcpTransport *self)
{
  g_return_if_fail (CRIA_IS_MCP_TRANSPORT (self));

  CRIA_MCP_TRANSPORT_GET_IFACE (self)->close (self);
}

void
cria_mcp_transport_forget (CriaMcpTransport *self,
                           const char       *id)
{
  g_return_if_fail (CRIA_IS_MCP_TRANSPORT (self));
  g_return_if_fail (id != NULL);

  CRIA_MCP_TRANSPORT_GET_IFACE (self)->forget (self, id);
}

char *
cria_mcp_transport_dup_diagnostics (CriaMcpTransport *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_TRANSPORT (self), NULL);

  return CRIA_MCP_TRANSPORT_GET_IFACE (self)->dup_diagnostics (self);
}

void
cria_mcp_transport_emit_message (CriaMcpTransport *self,
                                 JsonObject       *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
}

void
cria_mcp_transport_emit_send_failed (CriaMcpTransport *self,
                                     const char       *id,
                                     const GError     *error)
{
  g_signal_emit (self, signals[SEND_FAILED], 0, id, error);
}

void
cria_mcp_transport_emit_closed (CriaMcpTransport *self,
                                const GError     *error)
{
  g_signal_emit (self, signals[CLOSED], 0, error);
}

gboolean
cria_mcp_transport_dispatch_json (CriaMcpTransport *self,
                                  const char       *data,
                                  gsize             len)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *repaired = NULL;
  gsize repaired_len = 0;
  JsonNode *root;

  if (len > CRIA_MCP_MESSAGE_MAX)
    {
      g_debug ("An MCP server sent a message over the size limit");
      return FALSE;
    }

  /* A server in JavaScript or Python may cut a string between the halves of
   * a surrogate pair, or send a byte that is not UTF-8: one broken
   * character becomes U+FFFD and the message, an answer someone waits for,
   * still arrives. */
  if ((!g_utf8_validate_len (data, len, NULL) || !cria_json_is_single_value (data, len))
      && (repaired = cria_json_repair_strings (data, len, &repaired_len)) != NULL)
    {
      data = repaired;
      len = repaired_len;
    }

  if (!cria_json_is_single_value (data, len)
      || !json_parser_load_from_data (parser, data, len, &error))
    {
      g_debug ("An MCP server sent a message that is not JSON");
      return FALSE;
    }

  /* Dispatching may close and drop the transport. */
  g_object_ref (self);
  root = json_parser_get_root (parser);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    cria_mcp_transport_emit_message (self, json_node_get_object (root));
  else if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *batch = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (batch); i++)
        {
          JsonNode *item = json_array_get_element (batch, i);

          if (JSON_NODE_HOLDS_OBJECT (item))
            cria_mcp_transport_emit_message (self, json_node_get_object (item));
        }
    }
  g_object_unref (self);

  return TRUE;
}

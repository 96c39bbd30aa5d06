/* cria-mcp-http.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-mcp-http.h"
#include "cria-secret.h"
#include "cria-sse-parser.h"

#define READ_CHUNK 16384
/* How long messages wait for the GET stream to be taken before they go
 * anyway: a server may hold that request without answering it. */
#define HOLD_MAX_MS 5000

struct _CriaMcpHttp
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *url;
  char         *token;
  char         *session_id;
  char         *protocol_version;
  GCancellable *cancellable;
  GQueue        held;         /* JsonNode, sent once the GET stream is up */
  GHashTable   *exchanges;    /* Exchange set: those under way */
  guint         hold_id;      /* ends the wait for a GET stream that never answers */
  gboolean      holding;
  gboolean      started;
  gboolean      closed;
};

static void transport_iface_init (CriaMcpTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaMcpHttp, cria_mcp_http, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_MCP_TRANSPORT,
                                                      transport_iface_init))

/* One POST (or the GET stream) and the reading of its answer. */
typedef struct
{
  CriaMcpHttp   *self;
  SoupMessage   *message;
  char          *id;          /* the request id as text, NULL for the rest */
  GInputStream  *stream;
  CriaSseParser *parser;
  GByteArray    *body;        /* a JSON answer, read whole (capped) */
  GCancellable  *cancellable;
  gboolean       listening;   /* the GET stream */
} Exchange;

static Exchange *
exchange_new (CriaMcpHttp *self)
{
  Exchange *exchange = g_new0 (Exchange, 1);

  exchange->self = g_object_ref (self);
  exchange->cancellable = g_cancellable_new ();
  g_hash_table_add (self->exchanges, exchange);
  return exchange;
}

static void
exchange_free (Exchange *exchange)
{
  g_hash_table_remove (exchange->self->exchanges, exchange);
  g_clear_object (&exchange->cancellable);
  g_clear_object (&exchange->self);
  g_clear_object (&exchange->message);
  g_clear_object (&exchange->stream);
  g_clear_pointer (&exchange->parser, cria_sse_parser_free);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_free (exchange->id);
  g_free (exchange);
}

static void cancel_all (CriaMcpHttp *self);

static void
close_with (CriaMcpHttp *self,
            GError      *error)
{
  if (self->closed)
    {
      g_error_free (error);
      return;
    }
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  cancel_all (self);
  g_clear_handle_id (&self->hold_id, g_source_remove);
  g_object_ref (self);
  cria_mcp_transport_emit_closed (CRIA_MCP_TRANSPORT (self), error);
  g_object_unref (self);
  g_error_free (error);
}

static void
exchange_failed (Exchange *exchange,
                 GError   *error)
{
  if (exchange->id != NULL && !exchange->self->closed)
    cria_mcp_transport_emit_send_failed (CRIA_MCP_TRANSPORT (exchange->self), exchange->id, error);
  g_error_free (error);
}

static void
set_headers (CriaMcpHttp *self,
             SoupMessage *message,
             const char  *accept)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_headers_replace (headers, "Accept", accept);
  if (self->session_id != NULL)
    soup_message_headers_replace (headers, "Mcp-Session-Id", self->session_id);
  if (self->protocol_version != NULL)
    soup_message_headers_replace (headers, "MCP-Protocol-Version", self->protocol_version);
  if (self->token != NULL)
    {
      g_autoptr(CriaSecret) authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  /* The token goes to this URL only, never to where a redirect points. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);
}

static void
event_cb (const CriaSseEvent *event,
          gpointer            user_data)
{
  Exchange *exchange = user_data;

  if (exchange->self->closed || !g_str_equal (event->type, "message") || event->data_len == 0)
    return;
  cria_mcp_transport_dispatch_json (CRIA_MCP_TRANSPORT (exchange->self), event->data, event->data_len);
}

static void read_more (Exchange *exchange);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (exchange->self->closed || g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_free (exchange);
      return;
    }
  if (bytes == NULL)
    {
      exchange_failed (exchange, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                              _("The server's answer broke off: %s"), error->message));
      exchange_free (exchange);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      if (exchange->parser != NULL)
        cria_sse_parser_finish (exchange->parser);
      else
        cria_mcp_transport_dispatch_json (CRIA_MCP_TRANSPORT (exchange->self),
                                          (const char *) exchange->body->data, exchange->body->len);
      /* An answer that carried no result for the request fails it; one that
       * did has already finished it, and this does nothing. */
      if (!exchange->self->closed)
        exchange_failed (exchange, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                                        _("The server ended its answer without a result")));
      exchange_free (exchange);
      return;
    }

  if (exchange->parser != NULL)
    {
      cria_sse_parser_feed (exchange->parser, g_bytes_get_data (bytes, NULL), size);
      if (cria_sse_parser_overflowed (exchange->parser))
        {
          exchange_failed (exchange, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                                          _("The server sent a message that is too large")));
          exchange_free (exchange);
          return;
        }
    }
  else
    {
      if (exchange->body->len + size > CRIA_MCP_MESSAGE_MAX)
        {
          exchange_failed (exchange, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                                                          _("The server sent a message that is too large")));
          exchange_free (exchange);
          return;
        }
      g_byte_array_append (exchange->body, g_bytes_get_data (bytes, NULL), size);
    }

  if (exchange->self->closed)
    {
      exchange_free (exchange);
      return;
    }
  read_more (exchange);
}

static void
read_more (Exchange *exchange)
{
  g_input_stream_read_bytes_async (exchange->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   exchange->cancellable, read_cb, exchange);
}

static void transport_send (CriaMcpTransport *transport,
                            JsonNode         *node);

/* The GET stream is up, or there is none: what waited for it goes out. */
static void
release_held (CriaMcpHttp *self)
{
  JsonNode *node;

  self->holding = FALSE;
  g_clear_handle_id (&self->hold_id, g_source_remove);
  while ((node = g_queue_pop_head (&self->held)) != NULL)
    {
      transport_send (CRIA_MCP_TRANSPORT (self), node);
      json_node_unref (node);
    }
}

static gboolean
hold_timeout_cb (gpointer user_data)
{
  CriaMcpHttp *self = user_data;

  self->hold_id = 0;
  release_held (self);
  return G_SOURCE_REMOVE;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *exchange = user_data;
  CriaMcpHttp *self = exchange->self;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *content_type;
  const char *session_id;
  guint status;

  exchange->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (self->closed || g_cancellable_is_cancelled (exchange->cancellable))
    {
      exchange_free (exchange);
      return;
    }
  if (exchange->listening)
    release_held (self);
  if (exchange->stream == NULL)
    {
      exchange_failed (exchange, g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                                              _("Could not reach the server: %s"), error->message));
      exchange_free (exchange);
      return;
    }

  status = soup_message_get_status (exchange->message);
  headers = soup_message_get_response_headers (exchange->message);
  session_id = soup_message_headers_get_one (headers, "Mcp-Session-Id");
  /* Visible ASCII only, as the specification says; anything else is not
   * sent back. */
  if (session_id != NULL && self->session_id == NULL && *session_id != '\0')
    {
      gboolean visible = TRUE;

      for (const char *p = session_id; *p != '\0'; p++)
        visible = visible && *p >= 0x21 && *p <= 0x7e;
      if (visible)
        self->session_id = g_strdup (session_id);
    }

  if (status == SOUP_STATUS_NOT_FOUND && self->session_id != NULL
      && g_strcmp0 (soup_message_get_method (exchange->message), SOUP_METHOD_GET) != 0)
    {
      close_with (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                             _("The server ended the session")));
      exchange_free (exchange);
      return;
    }
  if (status == SOUP_STATUS_ACCEPTED || status == SOUP_STATUS_NO_CONTENT
      || (g_strcmp0 (soup_message_get_method (exchange->message), SOUP_METHOD_GET) == 0
          && !SOUP_STATUS_IS_SUCCESSFUL (status)))
    {
      /* A notification taken, or no GET stream on this server. */
      exchange_free (exchange);
      return;
    }
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      exchange_failed (exchange, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                                      _("The server refused the token")));
      exchange_free (exchange);
      return;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      exchange_failed (exchange, g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                              _("The server answered with HTTP status %u"), status));
      exchange_free (exchange);
      return;
    }

  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (g_strcmp0 (content_type, "text/event-stream") == 0)
    exchange->parser = cria_sse_parser_new (event_cb, exchange);
  else if (g_strcmp0 (content_type, "application/json") == 0)
    exchange->body = g_byte_array_new ();
  else
    {
      exchange_failed (exchange, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                                      _("The server answered with something other than JSON")));
      exchange_free (exchange);
      return;
    }

  read_more (exchange);
}

static void
transport_send (CriaMcpTransport *transport,
                JsonNode         *node)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (transport);
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GBytes) body = NULL;
  JsonObject *object = json_node_get_object (node);
  JsonNode *id = json_object_get_member (object, "id");
  Exchange *exchange;
  char *text;
  gsize len;

  if (self->closed || !self->started)
    return;
  if (self->holding)
    {
      g_queue_push_tail (&self->held, json_node_ref (node));
      return;
    }

  generator = json_generator_new ();
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  body = g_bytes_new_take (text, len);

  exchange = exchange_new (self);
  exchange->message = soup_message_new (SOUP_METHOD_POST, self->url);
  g_assert (exchange->message != NULL); /* the URL was checked on start */
  /* Only requests have answers to wait for. */
  if (id != NULL && json_object_has_member (object, "method")
      && JSON_NODE_HOLDS_VALUE (id) && json_node_get_value_type (id) == G_TYPE_INT64)
    exchange->id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));

  set_headers (self, exchange->message, "application/json, text/event-stream");
  soup_message_set_request_body_from_bytes (exchange->message, "application/json", body);
  soup_session_send_async (self->session, exchange->message, G_PRIORITY_DEFAULT,
                           exchange->cancellable, sent_cb, exchange);
}

static void
transport_initialized (CriaMcpTransport *transport,
                       const char       *protocol_version)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (transport);
  Exchange *exchange;

  g_free (self->protocol_version);
  self->protocol_version = g_strdup (protocol_version);

  /* The stream on which the server sends what no request asked for. It
   * is opened before notifications/initialized goes out, and that waits
   * until the server took the stream, since what the server announces
   * right after the handshake (its tool list changed) goes there. */
  self->holding = TRUE;
  self->hold_id = g_timeout_add (HOLD_MAX_MS, hold_timeout_cb, self);
  exchange = exchange_new (self);
  exchange->listening = TRUE;
  exchange->message = soup_message_new (SOUP_METHOD_GET, self->url);
  g_assert (exchange->message != NULL);
  set_headers (self, exchange->message, "text/event-stream");
  soup_session_send_async (self->session, exchange->message, G_PRIORITY_DEFAULT,
                           exchange->cancellable, sent_cb, exchange);
}

static gboolean
transport_start (CriaMcpTransport  *transport,
                 GError           **error)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (transport);
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The server's address must be an http or https URL"));
      return FALSE;
    }

  self->started = TRUE;
  return TRUE;
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (object), result, NULL);

  if (stream != NULL)
    g_input_stream_close (stream, NULL, NULL);
}

static void
transport_close (CriaMcpTransport *transport)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (transport);

  if (self->closed)
    return;
  self->closed = TRUE;
  g_cancellable_cancel (self->cancellable);
  cancel_all (self);
  g_clear_handle_id (&self->hold_id, g_source_remove);
  g_queue_clear_full (&self->held, (GDestroyNotify) json_node_unref);

  /* Tell the server the session is over, so it can let it go. */
  if (self->session_id != NULL)
    {
      g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_DELETE, self->url);

      if (message != NULL)
        {
          set_headers (self, message, "application/json, text/event-stream");
          soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, NULL, delete_cb, NULL);
        }
    }
}

static void
cancel_all (CriaMcpHttp *self)
{
  GHashTableIter iter;
  Exchange *exchange;

  g_hash_table_iter_init (&iter, self->exchanges);
  while (g_hash_table_iter_next (&iter, (gpointer *) &exchange, NULL))
    g_cancellable_cancel (exchange->cancellable);
}

static void
transport_forget (CriaMcpTransport *transport,
                  const char       *id)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (transport);
  GHashTableIter iter;
  Exchange *exchange;

  g_hash_table_iter_init (&iter, self->exchanges);
  while (g_hash_table_iter_next (&iter, (gpointer *) &exchange, NULL))
    if (g_strcmp0 (exchange->id, id) == 0)
      g_cancellable_cancel (exchange->cancellable);
}

static void
transport_iface_init (CriaMcpTransportInterface *iface)
{
  iface->forget = transport_forget;
  iface->start = transport_start;
  iface->send = transport_send;
  iface->initialized = transport_initialized;
  iface->close = transport_close;
}

static void
cria_mcp_http_dispose (GObject *object)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (object);

  transport_close (CRIA_MCP_TRANSPORT (self));
  g_clear_handle_id (&self->hold_id, g_source_remove);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cria_mcp_http_parent_class)->dispose (object);
}

static void
cria_mcp_http_finalize (GObject *object)
{
  CriaMcpHttp *self = CRIA_MCP_HTTP (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->exchanges);
  g_free (self->url);
  cria_secret_clear (&self->token);
  g_free (self->session_id);
  g_free (self->protocol_version);

  G_OBJECT_CLASS (cria_mcp_http_parent_class)->finalize (object);
}

static void
cria_mcp_http_class_init (CriaMcpHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_mcp_http_dispose;
  object_class->finalize = cria_mcp_http_finalize;
}

static void
cria_mcp_http_init (CriaMcpHttp *self)
{
  self->cancellable = g_cancellable_new ();
  self->exchanges = g_hash_table_new (NULL, NULL);
  g_queue_init (&self->held);
}

CriaMcpHttp *
cria_mcp_http_new (SoupSession *session,
                   const char  *url)
{
  CriaMcpHttp *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (CRIA_TYPE_MCP_HTTP, NULL);
  self->session = g_object_ref (session);
  self->url = g_strstrip (g_strdup (url));

  return self;
}

void
cria_mcp_http_set_token (CriaMcpHttp *self,
                         const char  *token)
{
  g_return_if_fail (CRIA_IS_MCP_HTTP (self));

  cria_secret_clear (&self->token);
  if (token != NULL && *token != '\0')
    self->token = g_strdup (token);
}

const char *
cria_mcp_http_get_session_id (CriaMcpHttp *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_HTTP (self), NULL);
  return self->session_id;
}

/* cria-fake-server.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cria-fake-server.h"

/* How the server sends a response, in libsoup 3.2 terms:
 *
 * - A plain response (no chunk size, delay, pieces or fault) is handed to soup
 *   whole and goes out with a Content-Length.
 * - A streamed response uses chunked encoding. Its body is handed to soup one
 *   piece at a time: soup_message_body_append() and
 *   soup_server_message_unpause(). Soup pauses the message by itself when it
 *   has written every chunk it was given, and emits "wrote-chunk"; only then is
 *   the next piece scheduled (after the chunk delay, or from a low priority
 *   idle), so each piece is a write of its own and a client on the same main
 *   context has read it before the next one is queued.
 * - A response with a fault lets soup write the status line and headers, then
 *   takes the connection (soup_server_message_steal_connection()) and writes
 *   the chunks itself, on the same schedule. Soup could not end a body badly
 *   enough: libsoup 3.2's client reads an end of connection between two chunks
 *   as the clean end of the body, and soup's chunked writer, when dropped,
 *   even writes the terminating chunk. So DROP ends the connection inside a
 *   chunk (its header announces bytes that never come), and the client gets
 *   G_IO_ERROR_PARTIAL_INPUT after exactly the bytes asked for. STALL writes
 *   nothing more and keeps the connection.
 *
 * Soup only notices that a client went away when a write fails, which never
 * happens during a delay or a stall, so each response in progress also has a
 * watch on its socket: libsoup clients do not pipeline, so anything readable
 * on the socket before the response is complete means that the client closed
 * its end (an EOF, or a TLS close_notify alert). */

struct _CriaFakeResponse
{
  guint               status;
  SoupMessageHeaders *headers;
  char               *content_type;
  GByteArray         *body;
  /* End offsets of the pieces given to cria_fake_response_append_piece(). */
  GArray             *piece_ends;
  gsize               chunk_size;
  guint               chunk_delay;
  guint               headers_delay;
  CriaFakeFault       fault;
  gsize               fault_after;
  char               *location;
  /* With @hold, the body stops after @hold_after pieces until
   * cria_fake_server_release(). */
  gboolean            hold;
  guint               hold_after;
};

typedef struct
{
  CriaFakeHandler handler;
  gpointer        user_data;
  GDestroyNotify  destroy;
} Handler;

/* One response in progress. It lives from the server callback until soup
 * emits "finished" for the message, or until the server closes the
 * connection itself (DROP, a client that went away, dispose). */
typedef struct
{
  CriaFakeServer    *server;
  SoupServerMessage *msg;
  CriaFakeResponse  *response;
  GBytes            *body;
  /* Bytes of the body sent so far, and how many to send in all (less than
   * the body when a fault cuts it short). */
  gsize              offset;
  gsize              limit;
  guint              next_piece;
  /* Pieces written so far, for the hold point. */
  guint              pieces_sent;
  GSource           *timer;
  GSource           *watch;
  /* The connection, once taken from soup to write a faulty body. */
  GIOStream         *stream;
  guint              streamed : 1;
  guint              wrote_body : 1;
  /* The last chunk written on @stream has not been completed. */
  guint              in_chunk : 1;
  /* Waiting at its hold point; released: past it, or told to pass it. */
  guint              held : 1;
  guint              released : 1;
} Exchange;

struct _CriaFakeServer
{
  GObject       parent_instance;

  SoupServer   *server;
  GMainContext *context;
  char         *base_url;
  guint         port;
  char         *api_key;

  /* Path → GQueue of CriaFakeResponse. */
  GHashTable   *scripts;
  /* Path → Handler. */
  GHashTable   *handlers;
  GPtrArray    *requests;
  GList        *exchanges;

  guint         n_client_disconnects;
  gboolean      disposing;
};

G_DEFINE_FINAL_TYPE (CriaFakeServer, cria_fake_server, G_TYPE_OBJECT)

enum {
  CLIENT_DISCONNECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Responses */

static CriaFakeResponse *
cria_fake_response_new (void)
{
  CriaFakeResponse *response;

  response = g_new0 (CriaFakeResponse, 1);
  response->status = SOUP_STATUS_OK;
  response->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  response->body = g_byte_array_new ();
  response->piece_ends = g_array_new (FALSE, FALSE, sizeof (gsize));

  return response;
}

static void
cria_fake_response_free (CriaFakeResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_clear_pointer (&response->content_type, g_free);
  g_clear_pointer (&response->body, g_byte_array_unref);
  g_clear_pointer (&response->piece_ends, g_array_unref);
  g_clear_pointer (&response->location, g_free);
  g_free (response);
}

static gboolean
cria_fake_response_is_streamed (CriaFakeResponse *response)
{
  return response->chunk_size > 0 ||
         response->chunk_delay > 0 ||
         response->piece_ends->len > 0 ||
         response->hold ||
         response->fault != CRIA_FAKE_FAULT_NONE;
}

void
cria_fake_response_set_status (CriaFakeResponse *response,
                               guint             status)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (status >= 100 && status <= 999);

  response->status = status;
}

void
cria_fake_response_add_header (CriaFakeResponse *response,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  soup_message_headers_append (response->headers, name, value);
}

static void
set_content_type (CriaFakeResponse *response,
                  const char       *content_type)
{
  g_free (response->content_type);
  response->content_type = g_strdup (content_type);
}

void
cria_fake_response_set_body (CriaFakeResponse *response,
                             const char       *content_type,
                             const char       *body,
                             gssize            len)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (body != NULL || len == 0);

  if (len < 0)
    len = strlen (body);

  set_content_type (response, content_type);
  g_byte_array_set_size (response->body, 0);
  g_byte_array_append (response->body, (const guint8 *) body, len);
  g_array_set_size (response->piece_ends, 0);
}

void
cria_fake_response_append_piece (CriaFakeResponse *response,
                                 const char       *data,
                                 gssize            len)
{
  gsize end;

  g_return_if_fail (response != NULL);
  g_return_if_fail (data != NULL || len == 0);

  if (len < 0)
    len = strlen (data);

  /* An empty piece would be an empty chunk, which ends a chunked body. */
  if (len == 0)
    return;

  g_byte_array_append (response->body, (const guint8 *) data, len);
  end = response->body->len;
  g_array_append_val (response->piece_ends, end);
}

void
cria_fake_response_set_body_from_fixture (CriaFakeResponse *response,
                                          const char       *content_type,
                                          const char       *fixture)
{
  g_autofree char *filename = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_return_if_fail (response != NULL);
  g_return_if_fail (fixture != NULL);

  filename = g_test_build_filename (G_TEST_DIST, "data", fixture, NULL);
  /* A missing fixture is a broken test, not a condition to test. */
  if (!g_file_get_contents (filename, &contents, &len, &error))
    g_error ("Cannot read fixture %s: %s", fixture, error->message);

  cria_fake_response_set_body (response, content_type, contents, len);
}

void
cria_fake_response_set_chunk_size (CriaFakeResponse *response,
                                   gsize             size)
{
  g_return_if_fail (response != NULL);

  response->chunk_size = size;
}

void
cria_fake_response_set_chunk_delay (CriaFakeResponse *response,
                                    guint             msec)
{
  g_return_if_fail (response != NULL);

  response->chunk_delay = msec;
}

void
cria_fake_response_set_hold (CriaFakeResponse *response,
                             guint             after_pieces)
{
  g_return_if_fail (response != NULL);

  response->hold = TRUE;
  response->hold_after = after_pieces;
}

void
cria_fake_response_set_headers_delay (CriaFakeResponse *response,
                                      guint             msec)
{
  g_return_if_fail (response != NULL);

  response->headers_delay = msec;
}

void
cria_fake_response_set_fault (CriaFakeResponse *response,
                              CriaFakeFault     fault,
                              gsize             after_bytes)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (fault <= CRIA_FAKE_FAULT_STALL);

  response->fault = fault;
  response->fault_after = after_bytes;
}

void
cria_fake_response_set_redirect (CriaFakeResponse *response,
                                 guint             status,
                                 const char       *location)
{
  g_return_if_fail (response != NULL);
  g_return_if_fail (SOUP_STATUS_IS_REDIRECTION (status));
  g_return_if_fail (location != NULL);

  response->status = status;
  g_free (response->location);
  response->location = g_strdup (location);
}

void
cria_fake_response_set_bad_gateway_html (CriaFakeResponse *response)
{
  static const char page[] =
    "<html>\r\n"
    "<head><title>502 Bad Gateway</title></head>\r\n"
    "<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n"
    "<hr><center>nginx</center>\r\n"
    "</body>\r\n"
    "</html>\r\n";

  g_return_if_fail (response != NULL);

  cria_fake_response_set_status (response, SOUP_STATUS_BAD_GATEWAY);
  cria_fake_response_set_body (response, "text/html", page, sizeof page - 1);
}

/* Fills @response with an error in OpenAI's dialect. @param_null adds
 * "param": null, which OpenAI sends with its authentication errors. */
static void
set_openai_error (CriaFakeResponse *response,
                  guint             status,
                  const char       *message,
                  gboolean          param_null,
                  const char       *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "invalid_request_error");
  if (param_null)
    {
      json_builder_set_member_name (builder, "param");
      json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  cria_fake_response_set_status (response, status);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

/* Requests */

static void
cria_fake_request_free (CriaFakeRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static CriaFakeRequest *
cria_fake_request_new_from_message (SoupServerMessage *msg,
                                    const char        *path)
{
  CriaFakeRequest *request;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  request = g_new0 (CriaFakeRequest, 1);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (path);

  /* A copy: soup frees the message, and its headers, when the response is
   * done, long before a test looks at them. */
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  headers = soup_server_message_get_request_headers (msg);
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (request->headers, name, value);

  request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  return request;
}

/* Exchanges */

static void
cancel_source (GSource *source)
{
  g_source_destroy (source);
  g_source_unref (source);
}

static void
exchange_free (Exchange *ex)
{
  CriaFakeServer *self = ex->server;

  self->exchanges = g_list_remove (self->exchanges, ex);

  g_clear_pointer (&ex->timer, cancel_source);
  g_clear_pointer (&ex->watch, cancel_source);
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->stream);
  g_clear_pointer (&ex->response, cria_fake_response_free);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_free (ex);
}

static void
count_client_disconnect (CriaFakeServer *self)
{
  self->n_client_disconnects++;
  g_signal_emit (self, signals[CLIENT_DISCONNECTED], 0);
}

static void
exchange_finished_cb (SoupServerMessage *msg,
                      Exchange          *ex)
{
  g_autoptr(CriaFakeServer) self = g_object_ref (ex->server);
  gboolean client_went_away;

  /* Soup finishes a message without writing the whole body only when a
   * write failed, which on loopback means the client closed its end. */
  client_went_away = !ex->wrote_body && !self->disposing;
  exchange_free (ex);

  if (client_went_away)
    count_client_disconnect (self);
}

static void
exchange_wrote_body_cb (SoupServerMessage *msg,
                        Exchange          *ex)
{
  ex->wrote_body = TRUE;
}

/* Writes @len bytes on the connection taken from soup. Writes are blocking:
 * they are small, on loopback, to a client that reads, so they never wait
 * long, and no callback can outlive the exchange. */
static gboolean
exchange_write (Exchange   *ex,
                const char *data,
                gsize       len)
{
  GOutputStream *output = g_io_stream_get_output_stream (ex->stream);

  return g_output_stream_write_all (output, data, len, NULL, NULL, NULL);
}

static gboolean
exchange_write_chunk_header (Exchange *ex,
                             gsize     announced)
{
  g_autofree char *header = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", announced);

  ex->in_chunk = TRUE;

  return exchange_write (ex, header, strlen (header));
}

/* Ends the exchange by closing its connection, and frees @ex. A response
 * still with soup is taken from it first: soup then forgets the message,
 * which never emits "finished".
 *
 * With @truncate, a client that is between two chunks of a response we write
 * ourselves is first put inside a chunk that never ends. libsoup 3.2 reads an
 * end of connection at a chunk boundary as a clean end of the body; inside a
 * chunk it is G_IO_ERROR_PARTIAL_INPUT, the truncation it really is. */
static void
exchange_close (Exchange *ex,
                gboolean  truncate)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (ex->msg);
  g_autoptr(GIOStream) stream = NULL;

  if (ex->stream != NULL && truncate && !ex->in_chunk)
    exchange_write_chunk_header (ex, 1);

  stream = g_steal_pointer (&ex->stream);
  exchange_free (ex);

  if (stream == NULL)
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      /* Soup's chunked body stream, dropped with the connection, would
       * write a terminating chunk: a clean end. Shut the socket first so
       * that write fails. */
      if (socket != NULL)
        g_socket_shutdown (socket, TRUE, TRUE, NULL);
      stream = soup_server_message_steal_connection (msg);
    }

  /* Errors are expected here: the peer may be gone already. */
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

static void
exchange_client_went_away (Exchange *ex)
{
  g_autoptr(CriaFakeServer) self = g_object_ref (ex->server);

  exchange_close (ex, FALSE);
  count_client_disconnect (self);
}

static gboolean
exchange_watch_cb (GSocket      *socket,
                   GIOCondition  condition,
                   gpointer      user_data)
{
  Exchange *ex = user_data;

  g_clear_pointer (&ex->watch, g_source_unref);
  exchange_client_went_away (ex);

  return G_SOURCE_REMOVE;
}

static void
exchange_unwatch (Exchange *ex)
{
  g_clear_pointer (&ex->watch, cancel_source);
}

static void
exchange_watch (Exchange *ex)
{
  GSocket *socket;

  socket = soup_server_message_get_socket (ex->msg);
  if (socket == NULL)
    return;

  ex->watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
  g_source_set_callback (ex->watch, G_SOURCE_FUNC (exchange_watch_cb), ex, NULL);
  g_source_set_static_name (ex->watch, "[cria-fake-server] client watch");
  g_source_attach (ex->watch, ex->server->context);
}

/* The size of the next piece, before any fault cuts it short; 0 once the
 * whole body has been sent. */
static gsize
exchange_next_piece_size (Exchange *ex)
{
  CriaFakeResponse *response = ex->response;
  gsize remaining = g_bytes_get_size (ex->body) - ex->offset;
  gsize size;

  if (response->chunk_size > 0)
    size = response->chunk_size;
  else if (ex->next_piece < response->piece_ends->len)
    size = g_array_index (response->piece_ends, gsize, ex->next_piece) - ex->offset;
  else
    size = remaining;

  return MIN (size, remaining);
}

static const char *
exchange_take (Exchange *ex,
               gsize     size)
{
  const char *data = (const char *) g_bytes_get_data (ex->body, NULL) + ex->offset;

  ex->offset += size;
  while (ex->next_piece < ex->response->piece_ends->len &&
         g_array_index (ex->response->piece_ends, gsize, ex->next_piece) <= ex->offset)
    ex->next_piece++;

  return data;
}

static gboolean exchange_step_cb (gpointer user_data);

/* An idle runs below the priority of socket I/O, so a client on the same main
 * context reads one piece before the next is queued: a chunk size of one
 * really gives one byte per read. */
static void
exchange_schedule_next (Exchange *ex)
{
  g_assert (ex->timer == NULL);

  /* The hold point: nothing more until cria_fake_server_release(). The
   * watch still notices a client that goes away meanwhile. */
  if (ex->response->hold && !ex->released && ex->offset < ex->limit &&
      ex->pieces_sent >= ex->response->hold_after)
    {
      ex->held = TRUE;
      return;
    }

  /* The end of the body, or the fault, follows the last piece at once. */
  if (ex->offset < ex->limit && ex->response->chunk_delay > 0)
    ex->timer = g_timeout_source_new (ex->response->chunk_delay);
  else
    ex->timer = g_idle_source_new ();

  g_source_set_priority (ex->timer, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (ex->timer, exchange_step_cb, ex, NULL);
  g_source_set_static_name (ex->timer, "[cria-fake-server] response timer");
  g_source_attach (ex->timer, ex->server->context);
}

/* One step of a response without a fault: soup writes each piece, and the
 * next step is scheduled from "wrote-chunk". */
static void
exchange_step_soup (Exchange *ex)
{
  SoupMessageBody *body = soup_server_message_get_response_body (ex->msg);

  if (ex->offset < ex->limit)
    {
      gsize size = exchange_next_piece_size (ex);

      soup_message_body_append (body, SOUP_MEMORY_COPY, exchange_take (ex, size), size);
      ex->pieces_sent++;
    }
  else
    {
      /* Soup writes the terminating chunk and finishes the message. The
       * client may send its next request as soon as it has read it, which
       * the watch must not mistake for a disconnect. */
      exchange_unwatch (ex);
      soup_message_body_complete (body);
    }

  soup_server_message_unpause (ex->msg);
}

/* One step of a response with a fault. Soup has written the headers; the
 * body is written here, on the connection taken from soup, because only so
 * can it end inside a chunk (see exchange_close()). */
static void
exchange_step_raw (Exchange *ex)
{
  gsize size;

  g_assert (ex->stream != NULL);

  size = exchange_next_piece_size (ex);

  if (ex->offset < ex->limit)
    {
      gsize allowed = MIN (size, ex->limit - ex->offset);
      g_autoptr(GString) chunk = g_string_new (NULL);

      /* A piece cut short by the fault still announces its whole size. */
      g_string_append_printf (chunk, "%" G_GSIZE_MODIFIER "x\r\n", size);
      g_string_append_len (chunk, exchange_take (ex, allowed), allowed);
      ex->in_chunk = allowed < size;
      if (!ex->in_chunk)
        g_string_append (chunk, "\r\n");

      if (!exchange_write (ex, chunk->str, chunk->len))
        {
          exchange_client_went_away (ex);
          return;
        }
      ex->pieces_sent++;
    }

  if (ex->offset < ex->limit)
    {
      exchange_schedule_next (ex);
      return;
    }

  switch (ex->response->fault)
    {
    case CRIA_FAKE_FAULT_DROP:
      /* Between two chunks, the next one begins and never ends; a write
       * error here only means the client left first. */
      if (!ex->in_chunk)
        exchange_write_chunk_header (ex, MAX (exchange_next_piece_size (ex), 1));
      exchange_close (ex, TRUE);
      break;

    case CRIA_FAKE_FAULT_STALL:
      /* Nothing more: the watch or dispose ends it. */
      break;

    case CRIA_FAKE_FAULT_NONE:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
exchange_step_cb (gpointer user_data)
{
  Exchange *ex = user_data;

  g_clear_pointer (&ex->timer, g_source_unref);

  if (ex->response->fault == CRIA_FAKE_FAULT_NONE)
    exchange_step_soup (ex);
  else
    exchange_step_raw (ex);

  return G_SOURCE_REMOVE;
}

/* Soup has written a piece and paused itself for want of the next one. */
static void
exchange_wrote_chunk_cb (SoupServerMessage *msg,
                         Exchange          *ex)
{
  if (ex->streamed)
    exchange_schedule_next (ex);
}

static void
exchange_wrote_headers_cb (SoupServerMessage *msg,
                           Exchange          *ex)
{
  if (!ex->streamed)
    return;

  if (ex->response->fault != CRIA_FAKE_FAULT_NONE)
    {
      /* Now or never: the moment soup goes on to the body it creates its
       * chunked body stream, which writes the terminating chunk when it is
       * dropped, as it is once the connection is taken. Soup's I/O loop
       * stops as soon as a message has lost its connection, so taking it
       * from this signal is safe. */
      ex->stream = soup_server_message_steal_connection (msg);
      g_signal_handlers_disconnect_by_data (msg, ex);
      if (ex->stream == NULL)
        {
          exchange_close (ex, FALSE);
          return;
        }
    }

  exchange_schedule_next (ex);
}

static void
exchange_send_headers (Exchange *ex,
                       gboolean  paused)
{
  CriaFakeResponse *response = ex->response;
  SoupMessageHeaders *headers;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  headers = soup_server_message_get_response_headers (ex->msg);

  soup_message_headers_iter_init (&iter, response->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (headers, name, value);

  if (response->location != NULL)
    soup_server_message_set_redirect (ex->msg, response->status, response->location);
  else
    soup_server_message_set_status (ex->msg, response->status, NULL);

  if (response->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", response->content_type);

  if (ex->streamed)
    {
      /* Soup writes the headers, finds no chunk and pauses; "wrote-headers"
       * schedules the first piece. */
      soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
    }
  else
    {
      /* Soup sets the Content-Length from the body. */
      if (g_bytes_get_size (ex->body) > 0)
        soup_message_body_append_bytes (soup_server_message_get_response_body (ex->msg),
                                        ex->body);
      exchange_unwatch (ex);
    }

  if (paused)
    soup_server_message_unpause (ex->msg);
}

static gboolean
exchange_headers_delay_cb (gpointer user_data)
{
  Exchange *ex = user_data;

  g_clear_pointer (&ex->timer, g_source_unref);
  exchange_send_headers (ex, TRUE);

  return G_SOURCE_REMOVE;
}

static void
exchange_start (CriaFakeServer    *self,
                SoupServerMessage *msg,
                CriaFakeResponse  *response)
{
  Exchange *ex;

  ex = g_new0 (Exchange, 1);
  ex->server = self;
  ex->msg = g_object_ref (msg);
  ex->response = response;
  ex->body = g_bytes_new (response->body->data, response->body->len);
  ex->streamed = cria_fake_response_is_streamed (response);
  ex->limit = g_bytes_get_size (ex->body);
  if (response->fault != CRIA_FAKE_FAULT_NONE)
    ex->limit = MIN (ex->limit, response->fault_after);

  self->exchanges = g_list_prepend (self->exchanges, ex);

  g_signal_connect (msg, "finished", G_CALLBACK (exchange_finished_cb), ex);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (exchange_wrote_body_cb), ex);
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (exchange_wrote_headers_cb), ex);
  /* The terminating chunk, after soup_message_body_complete(), is written
   * without "wrote-chunk", so this is always one of our pieces. */
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (exchange_wrote_chunk_cb), ex);

  /* Taking the connection from soup makes it look up both addresses, with a
   * warning if the client has gone already; looked up now, they are cached. */
  soup_server_message_get_local_address (msg);
  soup_server_message_get_remote_address (msg);

  exchange_watch (ex);

  if (response->headers_delay > 0)
    {
      soup_server_message_pause (msg);
      ex->timer = g_timeout_source_new (response->headers_delay);
      g_source_set_callback (ex->timer, exchange_headers_delay_cb, ex, NULL);
      g_source_set_static_name (ex->timer, "[cria-fake-server] headers delay");
      g_source_attach (ex->timer, self->context);
    }
  else
    {
      exchange_send_headers (ex, FALSE);
    }
}

/* The server */

static gboolean
is_authorized (CriaFakeServer    *self,
               SoupServerMessage *msg)
{
  g_autofree char *expected = NULL;
  const char *authorization;

  if (self->api_key == NULL)
    return TRUE;

  /* get_list() joins repeated headers, so two Authorization headers never
   * match. */
  authorization = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                 "Authorization");
  if (authorization == NULL)
    return FALSE;

  expected = g_strconcat ("Bearer ", self->api_key, NULL);

  return g_str_equal (authorization, expected);
}

static void
server_callback (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  CriaFakeServer *self = user_data;
  CriaFakeRequest *request;
  CriaFakeResponse *response = NULL;
  GQueue *queue;
  Handler *handler;

  request = cria_fake_request_new_from_message (msg, path);
  g_ptr_array_add (self->requests, request);

  /* The test's own control requests need no key. */
  if (!g_str_has_prefix (path, CRIA_FAKE_CONTROL_PREFIX) && !is_authorized (self, msg))
    {
      response = cria_fake_response_new ();
      set_openai_error (response, SOUP_STATUS_UNAUTHORIZED,
                        "Incorrect API key provided.", TRUE, "invalid_api_key");
    }
  else if ((queue = g_hash_table_lookup (self->scripts, path)) != NULL &&
           !g_queue_is_empty (queue))
    {
      response = g_queue_pop_head (queue);
    }
  else if ((handler = g_hash_table_lookup (self->handlers, path)) != NULL)
    {
      response = cria_fake_response_new ();
      handler->handler (self, request, response, handler->user_data);
    }
  else
    {
      response = cria_fake_response_new ();
      set_openai_error (response, SOUP_STATUS_NOT_FOUND, "Not found", FALSE, "not_found");
    }

  exchange_start (self, msg, response);
}

static void
handler_free (Handler *handler)
{
  if (handler->destroy != NULL)
    handler->destroy (handler->user_data);
  g_free (handler);
}

static void
script_queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) cria_fake_response_free);
}

static void
cria_fake_server_dispose (GObject *object)
{
  CriaFakeServer *self = (CriaFakeServer *)object;

  self->disposing = TRUE;

  /* Stalled and delayed responses would otherwise keep their connections,
   * timers and watches, whose callbacks would run on a dead server. */
  while (self->exchanges != NULL)
    exchange_close (self->exchanges->data, TRUE);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }

  g_clear_pointer (&self->scripts, g_hash_table_unref);
  g_clear_pointer (&self->handlers, g_hash_table_unref);

  G_OBJECT_CLASS (cria_fake_server_parent_class)->dispose (object);
}

static void
cria_fake_server_finalize (GObject *object)
{
  CriaFakeServer *self = (CriaFakeServer *)object;

  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (cria_fake_server_parent_class)->finalize (object);
}

static void
cria_fake_server_class_init (CriaFakeServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_fake_server_dispose;
  object_class->finalize = cria_fake_server_finalize;

  /**
   * CriaFakeServer::client-disconnected:
   *
   * Emitted when a client went away before its response was complete.
   */
  signals[CLIENT_DISCONNECTED] =
    g_signal_new ("client-disconnected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cria_fake_server_init (CriaFakeServer *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) script_queue_free);
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) handler_free);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_fake_request_free);
}

static gboolean
cria_fake_server_listen (CriaFakeServer       *self,
                         guint                 port,
                         GTlsCertificate      *certificate,
                         GError              **error)
{
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = NULL;
  GSList *uris;

  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, server_callback, self, NULL);

  if (certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;

  if (!soup_server_listen_local (self->server, port, options, error))
    return FALSE;

  uris = soup_server_get_uris (self->server);
  g_assert (uris != NULL);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u/v1",
                                    certificate != NULL ? "https" : "http",
                                    self->port);

  return TRUE;
}

CriaFakeServer *
cria_fake_server_new_on_port (guint    port,
                              GError **error)
{
  g_autoptr(CriaFakeServer) self = NULL;

  g_return_val_if_fail (port <= G_MAXUINT16, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (CRIA_TYPE_FAKE_SERVER, NULL);
  if (!cria_fake_server_listen (self, port, NULL, error))
    return NULL;

  return g_steal_pointer (&self);
}

CriaFakeServer *
cria_fake_server_new (void)
{
  g_autoptr(GError) error = NULL;
  CriaFakeServer *self;

  self = cria_fake_server_new_on_port (0, &error);
  if (self == NULL)
    g_error ("Cannot start the fake LlamaGate: %s", error->message);

  return self;
}

/* Makes a self-signed certificate for 127.0.0.1 with the openssl program. The
 * files only live long enough to be loaded. */
static GTlsCertificate *
make_self_signed_certificate (GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *cert_file = NULL;
  g_autofree char *err_output = NULL;
  GTlsCertificate *certificate = NULL;
  int wait_status;

  dir = g_dir_make_tmp ("cria-fake-tls-XXXXXX", error);
  if (dir == NULL)
    return NULL;

  key_file = g_build_filename (dir, "key.pem", NULL);
  cert_file = g_build_filename (dir, "cert.pem", NULL);

  {
    const char *argv[] = {
      "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", key_file, "-out", cert_file, NULL
    };

    if (g_spawn_sync (NULL, (char **) argv, NULL,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                      NULL, NULL, NULL, &err_output, &wait_status, error))
      {
        if (g_spawn_check_wait_status (wait_status, error))
          certificate = g_tls_certificate_new_from_files (cert_file, key_file, error);
        else
          g_prefix_error (error, "openssl: %s: ", g_strstrip (err_output));
      }
  }

  g_remove (key_file);
  g_remove (cert_file);
  g_rmdir (dir);

  return certificate;
}

CriaFakeServer *
cria_fake_server_new_tls (GError **error)
{
  g_autoptr(CriaFakeServer) self = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  certificate = make_self_signed_certificate (error);
  if (certificate == NULL)
    return NULL;

  self = g_object_new (CRIA_TYPE_FAKE_SERVER, NULL);
  if (!cria_fake_server_listen (self, 0, certificate, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
cria_fake_server_get_base_url (CriaFakeServer *self)
{
  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), NULL);

  return self->base_url;
}

guint
cria_fake_server_get_port (CriaFakeServer *self)
{
  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), 0);

  return self->port;
}

void
cria_fake_server_set_api_key (CriaFakeServer *self,
                              const char     *api_key)
{
  g_return_if_fail (CRIA_IS_FAKE_SERVER (self));

  g_free (self->api_key);
  self->api_key = g_strdup (api_key);
}

CriaFakeResponse *
cria_fake_server_expect (CriaFakeServer *self,
                         const char     *path)
{
  CriaFakeResponse *response;
  GQueue *queue;

  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), NULL);
  g_return_val_if_fail (path != NULL && path[0] == '/', NULL);

  queue = g_hash_table_lookup (self->scripts, path);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->scripts, g_strdup (path), queue);
    }

  response = cria_fake_response_new ();
  g_queue_push_tail (queue, response);

  return response;
}

GPtrArray *
cria_fake_server_get_requests (CriaFakeServer *self)
{
  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), NULL);

  return self->requests;
}

CriaFakeRequest *
cria_fake_server_get_last_request (CriaFakeServer *self)
{
  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), NULL);

  if (self->requests->len == 0)
    return NULL;

  return g_ptr_array_index (self->requests, self->requests->len - 1);
}

guint
cria_fake_server_get_n_client_disconnects (CriaFakeServer *self)
{
  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), 0);

  return self->n_client_disconnects;
}

guint
cria_fake_server_release (CriaFakeServer *self)
{
  guint n_held = 0;

  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), 0);

  /* exchange_schedule_next() never ends an exchange, so the list stays as
   * it is while it is walked. */
  for (GList *l = self->exchanges; l != NULL; l = l->next)
    {
      Exchange *ex = l->data;

      ex->released = TRUE;
      if (ex->held)
        {
          ex->held = FALSE;
          n_held++;
          exchange_schedule_next (ex);
        }
    }

  return n_held;
}

guint
cria_fake_server_get_n_held (CriaFakeServer *self)
{
  guint n_held = 0;

  g_return_val_if_fail (CRIA_IS_FAKE_SERVER (self), 0);

  for (GList *l = self->exchanges; l != NULL; l = l->next)
    if (((Exchange *) l->data)->held)
      n_held++;

  return n_held;
}

void
cria_fake_server_set_handler (CriaFakeServer *self,
                              const char     *path,
                              CriaFakeHandler handler,
                              gpointer        user_data,
                              GDestroyNotify  destroy)
{
  Handler *entry;

  g_return_if_fail (CRIA_IS_FAKE_SERVER (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  if (handler == NULL)
    {
      g_hash_table_remove (self->handlers, path);
      return;
    }

  entry = g_new0 (Handler, 1);
  entry->handler = handler;
  entry->user_data = user_data;
  entry->destroy = destroy;
  g_hash_table_replace (self->handlers, g_strdup (path), entry);
}

/* cria-fake-server.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A fake LlamaGate: a SoupServer on 127.0.0.1 (random port) that replays
 * scripted responses, with control over chunk sizes, delays and faults. It runs
 * on the thread-default main context of whoever creates it. */

typedef enum
{
  CRIA_FAKE_FAULT_NONE,
  /* Close the connection abruptly after the given number of body bytes, in
   * the middle of a chunk: the client reads exactly those bytes, then gets
   * G_IO_ERROR_PARTIAL_INPUT. */
  CRIA_FAKE_FAULT_DROP,
  /* Stop sending after the given number of body bytes, keep the connection open. */
  CRIA_FAKE_FAULT_STALL,
} CriaFakeFault;

/* Requests under this path are the test's own (fake-llamagate's
 * /_control/release…): they are answered without the API key. */
#define CRIA_FAKE_CONTROL_PREFIX "/_control/"

typedef struct _CriaFakeResponse CriaFakeResponse;

/**
 * CriaFakeRequest:
 * @method: "GET", "POST", …
 * @path: the request path, e.g. "/v1/chat/completions"
 * @headers: the request headers
 * @body: the request body (never %NULL, may be empty)
 *
 * A request the server received, kept in arrival order.
 */
typedef struct
{
  char               *method;
  char               *path;
  SoupMessageHeaders *headers;
  GBytes             *body;
} CriaFakeRequest;

#define CRIA_TYPE_FAKE_SERVER (cria_fake_server_get_type ())

G_DECLARE_FINAL_TYPE (CriaFakeServer, cria_fake_server, CRIA, FAKE_SERVER, GObject)

/**
 * CriaFakeHandler:
 * @server: the server
 * @request: the request being answered (also recorded by then)
 * @response: a fresh response (status 200, empty body) to fill in
 * @user_data: the data given to cria_fake_server_set_handler()
 *
 * Answers a request dynamically, for paths that have no script left. The
 * handler may use every cria_fake_response_*() setter, including chunk sizes,
 * delays and faults; the server sends @response when the handler returns.
 */
typedef void (*CriaFakeHandler) (CriaFakeServer        *server,
                                 const CriaFakeRequest *request,
                                 CriaFakeResponse      *response,
                                 gpointer               user_data);

/* Aborts the test when no port can be bound. */
CriaFakeServer   *cria_fake_server_new               (void);
/* Listens on 127.0.0.1:@port (0: a random free port); for the fake-llamagate
 * program, which must report a busy port instead of aborting. */
CriaFakeServer   *cria_fake_server_new_on_port       (guint           port,
                                                      GError        **error);
/* The same over HTTPS with a freshly made self-signed certificate for
 * 127.0.0.1 (the openssl program; the files are deleted once loaded), which a
 * client must refuse unless it accepts it explicitly. %NULL with @error when
 * no certificate could be made. */
CriaFakeServer   *cria_fake_server_new_tls           (GError        **error);
/* "http://127.0.0.1:PORT/v1" (or https://…). */
const char       *cria_fake_server_get_base_url      (CriaFakeServer *self);
guint             cria_fake_server_get_port          (CriaFakeServer *self);
/* When set, a request whose Authorization is not exactly "Bearer KEY" gets a
 * 401 in OpenAI's dialect ("code": "invalid_api_key") before any script is
 * consumed. The key is never echoed or logged. %NULL accepts every request. */
void              cria_fake_server_set_api_key       (CriaFakeServer *self,
                                                      const char     *api_key);
/* Queues a scripted response for the next request to @path (any method).
 * Scripts for one path are consumed first in, first out. A path with no
 * script left answers 404 with an OpenAI-style error. The server owns the
 * returned script; configure it before the request arrives. */
CriaFakeResponse *cria_fake_server_expect            (CriaFakeServer *self,
                                                      const char     *path);
/* Every request received, rejected ones included, in arrival order: a
 * (transfer none) array of CriaFakeRequest. */
GPtrArray        *cria_fake_server_get_requests      (CriaFakeServer *self);
/* The latest request, or %NULL before the first one (transfer none). */
CriaFakeRequest  *cria_fake_server_get_last_request  (CriaFakeServer *self);
/* Number of requests whose client went away before the whole response was
 * sent (for cancel tests). The server watches the socket of every response in
 * progress, so a client that closes during a delay or a stall is seen at once,
 * not at the next write. A DROP fault or disposing the server does not count.
 * The "client-disconnected" signal (no arguments) is emitted each time the
 * count grows, so a test can quit its main loop on it. */
guint             cria_fake_server_get_n_client_disconnects (CriaFakeServer *self);
/* Lets every response in progress go past its hold point: those waiting
 * there go on at once, the others pass it when they get there. Responses
 * that start later stop at theirs again. Returns how many were waiting. */
guint             cria_fake_server_release           (CriaFakeServer *self);
/* How many responses are waiting at their hold point now. */
guint             cria_fake_server_get_n_held        (CriaFakeServer *self);
/* Answers requests to @path with @handler once no script for @path is left;
 * scripts queued with cria_fake_server_expect() go first. A %NULL @handler
 * removes the path's handler. @destroy frees @user_data when the handler is
 * replaced or the server is disposed. */
void              cria_fake_server_set_handler       (CriaFakeServer *self,
                                                      const char     *path,
                                                      CriaFakeHandler handler,
                                                      gpointer        user_data,
                                                      GDestroyNotify  destroy);

void              cria_fake_response_set_status      (CriaFakeResponse *response,
                                                      guint             status);
void              cria_fake_response_add_header      (CriaFakeResponse *response,
                                                      const char       *name,
                                                      const char       *value);
void              cria_fake_response_set_body        (CriaFakeResponse *response,
                                                      const char       *content_type,
                                                      const char       *body,
                                                      gssize            len);
/* Appends @data to the body as one piece of its own: unless a chunk size is
 * set, each piece goes out as a separate write (one SSE event per write, say).
 * A body with pieces is always sent chunked. cria_fake_response_set_body()
 * replaces the body and forgets the pieces. @len -1: @data is a C string. */
void              cria_fake_response_append_piece    (CriaFakeResponse *response,
                                                      const char       *data,
                                                      gssize            len);
/* Reads the body from a file under tests/data/ (G_TEST_DIST). */
void              cria_fake_response_set_body_from_fixture (CriaFakeResponse *response,
                                                            const char       *content_type,
                                                            const char       *fixture);
/* Body sent in pieces of @size bytes (0: all at once), each a separate
 * write that reaches the client on its own. A response with a chunk size, a
 * chunk delay, pieces or a fault is sent with chunked encoding; any other
 * response has a Content-Length. */
void              cria_fake_response_set_chunk_size  (CriaFakeResponse *response,
                                                      gsize             size);
/* Waits @msec before each piece of the body, the first one included (it
 * follows the headers by @msec). The end of the body, and a fault, come right
 * after the last piece. */
void              cria_fake_response_set_chunk_delay (CriaFakeResponse *response,
                                                      guint             msec);
/* A pause point: after @after_pieces pieces of the body (0: before the
 * first), nothing more is sent until cria_fake_server_release(), however
 * long that takes, so a test sees the "streaming" state for as long as it
 * needs. The client going away still ends the response. */
void              cria_fake_response_set_hold        (CriaFakeResponse *response,
                                                      guint             after_pieces);
/* Delay before the status line and headers are sent. */
void              cria_fake_response_set_headers_delay (CriaFakeResponse *response,
                                                        guint             msec);
/* After @after_bytes bytes of the body (all of it if shorter), DROP closes
 * the connection without the terminating zero-length chunk, so the client
 * sees a truncated body, not a clean end; STALL sends nothing more and keeps
 * the connection open until the client goes away or the server is disposed. */
void              cria_fake_response_set_fault       (CriaFakeResponse *response,
                                                      CriaFakeFault     fault,
                                                      gsize             after_bytes);
/* Sends a redirect to @location with @status (301, 302, 307, 308). A
 * relative @location is resolved against the request URI. */
void              cria_fake_response_set_redirect    (CriaFakeResponse *response,
                                                      guint             status,
                                                      const char       *location);
/* A 502 with the HTML page a reverse proxy (nginx) shows when the gateway
 * behind it is down, for tests of non-JSON error bodies. */
void              cria_fake_response_set_bad_gateway_html (CriaFakeResponse *response);

G_END_DECLS

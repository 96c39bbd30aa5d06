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
  /* Close the connection abruptly after the given number of body bytes. */
  CRIA_FAKE_FAULT_DROP,
  /* Stop sending after the given number of body bytes, keep the connection open. */
  CRIA_FAKE_FAULT_STALL,
} CriaFakeFault;

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

CriaFakeServer   *cria_fake_server_new               (void);
/* The same over HTTPS with a freshly made self-signed certificate (openssl),
 * which a client must refuse. %NULL with @error when no certificate could be made. */
CriaFakeServer   *cria_fake_server_new_tls           (GError        **error);
/* "http://127.0.0.1:PORT/v1" (or https://…). */
const char       *cria_fake_server_get_base_url      (CriaFakeServer *self);
guint             cria_fake_server_get_port          (CriaFakeServer *self);
/* When set, a request whose Authorization is not "Bearer KEY" gets a 401 in
 * OpenAI's dialect before any script is consumed. */
void              cria_fake_server_set_api_key       (CriaFakeServer *self,
                                                      const char     *api_key);
/* Queues a scripted response for the next request to @path (any method).
 * Scripts for one path are consumed first in, first out. A path with no
 * script left answers 404 with an OpenAI-style error. The server owns the
 * returned script; configure it before the request arrives. */
CriaFakeResponse *cria_fake_server_expect            (CriaFakeServer *self,
                                                      const char     *path);
GPtrArray        *cria_fake_server_get_requests      (CriaFakeServer *self);
CriaFakeRequest  *cria_fake_server_get_last_request  (CriaFakeServer *self);
/* Number of connections the server saw closed by the client (for cancel tests). */
guint             cria_fake_server_get_n_client_disconnects (CriaFakeServer *self);

void              cria_fake_response_set_status      (CriaFakeResponse *response,
                                                      guint             status);
void              cria_fake_response_add_header      (CriaFakeResponse *response,
                                                      const char       *name,
                                                      const char       *value);
void              cria_fake_response_set_body        (CriaFakeResponse *response,
                                                      const char       *content_type,
                                                      const char       *body,
                                                      gssize            len);
/* Reads the body from a file under tests/data/ (G_TEST_DIST). */
void              cria_fake_response_set_body_from_fixture (CriaFakeResponse *response,
                                                            const char       *content_type,
                                                            const char       *fixture);
/* Body sent in pieces of @size bytes (0: all at once), each a separate
 * write that reaches the client on its own. */
void              cria_fake_response_set_chunk_size  (CriaFakeResponse *response,
                                                      gsize             size);
void              cria_fake_response_set_chunk_delay (CriaFakeResponse *response,
                                                      guint             msec);
/* Delay before the status line and headers are sent. */
void              cria_fake_response_set_headers_delay (CriaFakeResponse *response,
                                                        guint             msec);
void              cria_fake_response_set_fault       (CriaFakeResponse *response,
                                                      CriaFakeFault     fault,
                                                      gsize             after_bytes);
/* Sends a redirect to @location with @status (301, 302, 307, 308). */
void              cria_fake_response_set_redirect    (CriaFakeResponse *response,
                                                      guint             status,
                                                      const char       *location);

G_END_DECLS

/* test-client-errors.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-test-util.h"

typedef struct
{
  guint        status;
  const char  *body;
  const char  *retry_after;
  int          code;
  const char  *server_message;
  int          retry_seconds;
} ErrorCase;

static const ErrorCase cases[] = {
  { 401, "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}",
    NULL, CRIA_API_ERROR_UNAUTHORIZED, "Invalid API key", -1 },
  { 403, "{\"error\":\"forbidden\"}", NULL, CRIA_API_ERROR_UNAUTHORIZED, "forbidden", -1 },
  { 402, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}", NULL,
    CRIA_API_ERROR_INSUFFICIENT_CREDITS, "Insufficient credits", -1 },
  { 404, "{\"error\":\"model \\\"qwen9\\\" not found, try pulling it first\"}", NULL,
    CRIA_API_ERROR_MODEL_NOT_FOUND, "model \"qwen9\" not found, try pulling it first", -1 },
  { 413, "", NULL, CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED, NULL, -1 },
  { 400, "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}",
    NULL, CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED,
    "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", -1 },
  { 400, "{\"error\":{\"message\":\"temperature must be at most 2\",\"type\":\"invalid_request_error\"}}",
    NULL, CRIA_API_ERROR_BAD_REQUEST, "temperature must be at most 2", -1 },
  { 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}", "12",
    CRIA_API_ERROR_RATE_LIMITED, "Rate limit reached", 12 },
  { 500, "{\"error\":{\"message\":\"Internal error\",\"type\":\"server_error\"}}", NULL,
    CRIA_API_ERROR_SERVER_UNAVAILABLE, "Internal error", -1 },
  { 503, "upstream connect error or disconnect/reset before headers", "3",
    CRIA_API_ERROR_SERVER_UNAVAILABLE, "upstream connect error or disconnect/reset before headers", 3 },
  { 504, "", NULL, CRIA_API_ERROR_SERVER_UNAVAILABLE, NULL, -1 },
};

static void
test_http_errors (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  g_autofree char *key = cria_test_make_key ();
  g_autoptr(CriaClient) client = cria_test_client_new (server, key);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      CriaFakeResponse *response = cria_fake_server_expect (server, "/v1/chat/completions");
      g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
      g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
      g_autoptr(GError) error = NULL;

      cria_fake_response_set_status (response, c->status);
      cria_fake_response_set_body (response, c->body[0] == '{' ? "application/json" : "text/plain", c->body, -1);
      if (c->retry_after != NULL)
        cria_fake_response_add_header (response, "Retry-After", c->retry_after);

      g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
      g_assert_error (error, CRIA_API_ERROR, c->code);
      g_assert_cmpuint (cria_api_error_get_http_status (error), ==, c->status);
      g_assert_cmpstr (cria_api_error_get_server_message (error), ==, c->server_message);
      if (c->server_message != NULL)
        g_assert_nonnull (strstr (error->message, c->server_message));
      g_assert_cmpint (cria_api_error_get_retry_after (error), ==, c->retry_seconds);
      g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
      g_assert_error ((GError *) cria_chat_reply_get_error (reply), CRIA_API_ERROR, c->code);
    }
}

static void
test_html_bad_gateway (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  g_autoptr(CriaClient) client = cria_test_client_new (server, "llg_sk_x");
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;

  cria_fake_response_set_bad_gateway_html (cria_fake_server_expect (server, "/v1/chat/completions"));

  g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  /* A proxy's HTML page is never shown: a short sentence with the status is. */
  g_assert_null (strchr (error->message, '<'));
  g_assert_null (cria_api_error_get_server_message (error));
  g_assert_nonnull (strstr (error->message, "502"));
  g_assert_cmpuint (strlen (error->message), <, 200);
}

static void
test_network_unreachable (void)
{
  g_autoptr(CriaClient) client = cria_client_new ();
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) bind_address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port nobody listens on: bound, then closed again. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, bind_address, FALSE, &error);
  g_assert_no_error (error);
  address = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  g_socket_close (socket, NULL);

  g_assert_true (cria_client_set_base_url (client, url, NULL));
  cria_client_set_api_key (client, "llg_sk_x");
  g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
}

static void
test_connect_timeout (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) filler = NULL;
  g_autoptr(CriaClient) client = cria_client_new ();
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start;

  /* A listener that never accepts, its queue filled by one connection:
   * the kernel drops further handshakes, so connecting hangs as it does
   * behind a dead route. */
  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_set_listen_backlog (listener, 0);
  g_socket_bind (listener, any_port, FALSE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  address = g_socket_get_local_address (listener, &error);
  filler = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_socket_connect (filler, address, NULL, &error);
  g_assert_no_error (error);

  url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));
  g_assert_true (cria_client_set_base_url (client, url, NULL));
  cria_client_set_api_key (client, "llg_sk_x");
  cria_client_set_connect_timeout (client, 300);

  start = g_get_monotonic_time ();
  g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "connect"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
}

static void
test_tls_failure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaFakeServer) server = cria_fake_server_new_tls (&error);
  g_autoptr(CriaClient) client = NULL;
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autofree char *key = cria_test_make_key ();

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cria_fake_server_get_base_url (server), "https://"));
  client = cria_test_client_new (server, key);

  /* A self-signed certificate is refused, never ignored, and the key never
   * leaves: the server gets no request at all. */
  g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_TLS);
  g_assert_cmpuint (cria_fake_server_get_requests (server)->len, ==, 0);
}

static void
models_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The reason phrase is whatever bytes the server wrote: Latin-1, broken
 * UTF-8, control characters. The error the user reads is valid UTF-8 and
 * keeps the readable parts. */
static void
test_invalid_reason_phrase (void)
{
  static const char response[] = "HTTP/1.1 503 Serv\xe9 \xff\xfe" "Down\x01\x7f now\r\n"
                                 "Content-Length: 0\r\n"
                                 "Connection: close\r\n"
                                 "\r\n";
  g_autoptr(CriaTestRawServer) server = cria_test_raw_server_new (response, sizeof response - 1);
  g_autoptr(CriaClient) client = cria_client_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cria_client_set_base_url (client, cria_test_raw_server_get_base_url (server), NULL));
  cria_client_set_api_key (client, "llg_sk_reason_test");

  cria_client_list_models_async (client, NULL, models_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  models = cria_client_list_models_finish (client, result, &error);

  g_assert_null (models);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (strstr (error->message, "HTTP 503 Serv"));
  g_assert_nonnull (strstr (error->message, "Down"));
  g_assert_nonnull (strstr (error->message, "now"));
  g_assert_null (strchr (error->message, '\x01'));
  g_assert_null (strchr (error->message, '\x7f'));
  g_assert_cmpuint (cria_test_raw_server_get_n_requests (server), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/client-errors/http-errors", test_http_errors);
  g_test_add_func ("/client-errors/html-bad-gateway", test_html_bad_gateway);
  g_test_add_func ("/client-errors/network-unreachable", test_network_unreachable);
  g_test_add_func ("/client-errors/connect-timeout", test_connect_timeout);
  g_test_add_func ("/client-errors/tls-failure", test_tls_failure);
  g_test_add_func ("/client-errors/invalid-reason-phrase", test_invalid_reason_phrase);

  return g_test_run ();
}

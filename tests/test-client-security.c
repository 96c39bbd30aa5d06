/* test-client-security.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-proxy-resolver.h"
#include "cria-test-util.h"

/* Every log line the process writes, debug included, is kept here so the
 * tests can prove the key is never among them. */
static GString *log_text;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (log_text, fields[i].value);
      else
        g_string_append_len (log_text, fields[i].value, fields[i].length);
      g_string_append_c (log_text, '\n');
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
models_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GListModel *
list_models (CriaClient  *client,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_client_list_models_async (client, NULL, models_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_client_list_models_finish (client, result, error);
}

static void
test_key_never_logged (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  g_autofree char *key = cria_test_make_key ();
  g_autoptr(CriaClient) client = NULL;
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *echo = NULL;
  CriaFakeResponse *response;
  CriaFakeRequest *seen;

  g_string_truncate (log_text, 0);
  client = cria_test_client_new (server, key);

  /* A server that echoes the key back in its error, as some do. */
  echo = g_strdup_printf ("{\"error\":{\"message\":\"Incorrect API key provided: %s\","
                          "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}", key);
  response = cria_fake_server_expect (server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 401);
  cria_fake_response_set_body (response, "application/json", echo, -1);

  g_assert_false (cria_test_chat (client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, key));
  g_assert_null (strstr (cria_api_error_get_server_message (error), key));
  g_assert_null (strstr (cria_api_error_get_server_message (error), "llg_sk_"));
  g_assert_nonnull (strstr (error->message, "Incorrect API key provided"));

  /* The key went only into the Authorization header. */
  seen = cria_fake_server_get_last_request (server);
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (seen->headers, "Authorization"), key));
  g_assert_null (g_strstr_len (g_bytes_get_data (seen->body, NULL), g_bytes_get_size (seen->body), key));
  g_assert_null (strstr (seen->path, key));

  /* A good exchange too, with everything logged at debug level. */
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  {
    g_autoptr(CriaChatReply) ok_reply = cria_chat_reply_new ();

    g_assert_true (cria_test_chat (client, request, ok_reply, NULL, NULL));
  }

  g_assert_cmpuint (log_text->len, >, 0);
  g_assert_null (strstr (log_text->str, key));

}

static void
test_redirect_drops_key (void)
{
  g_autoptr(CriaFakeServer) origin = cria_fake_server_new ();
  g_autoptr(CriaFakeServer) other = cria_fake_server_new ();
  g_autofree char *key = cria_test_make_key ();
  g_autoptr(CriaClient) client = cria_test_client_new (origin, key);
  g_autofree char *elsewhere = g_strconcat (cria_fake_server_get_base_url (other), "/models", NULL);
  g_autofree char *here = g_strconcat (cria_fake_server_get_base_url (origin), "/models", NULL);
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  CriaFakeRequest *seen;
  const char *list = "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\",\"object\":\"model\"}]}";

  /* Another origin (here another port): the key does not follow. */
  cria_fake_response_set_redirect (cria_fake_server_expect (origin, "/v1/models"), 307, elsewhere);
  response = cria_fake_server_expect (other, "/v1/models");
  cria_fake_response_set_body (response, "application/json", list, -1);

  models = list_models (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (models);
  seen = cria_fake_server_get_last_request (other);
  g_assert_nonnull (seen);
  g_assert_null (soup_message_headers_get_one (seen->headers, "Authorization"));
  g_clear_object (&models);

  /* The same origin keeps it. */
  cria_fake_response_set_redirect (cria_fake_server_expect (origin, "/v1/models"), 307, here);
  response = cria_fake_server_expect (origin, "/v1/models");
  cria_fake_response_set_body (response, "application/json", list, -1);
  models = list_models (client, &error);
  g_assert_no_error (error);
  seen = cria_fake_server_get_last_request (origin);
  g_assert_true (g_str_has_suffix (soup_message_headers_get_one (seen->headers, "Authorization"), key));
}

static void
test_plain_http_refused (void)
{
  g_autoptr(CriaClient) client = cria_client_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (cria_client_set_base_url (client, "http://api.llamagate.dev/v1", &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INSECURE_URL);
  g_assert_cmpstr (cria_client_get_base_url (client), ==, "https://api.llamagate.dev/v1");
  g_clear_error (&error);

  g_assert_true (cria_client_set_base_url (client, "http://127.0.0.1:11434/v1", &error));
  g_assert_no_error (error);
  g_assert_true (cria_client_set_base_url (client, "http://localhost:8080/v1/", &error));
  g_assert_cmpstr (cria_client_get_base_url (client), ==, "http://localhost:8080/v1");
}

static void
test_key_not_kept_across_endpoints (void)
{
  g_autoptr(CriaClient) client = cria_client_new ();

  /* Keys are per base URL: switching endpoints never sends the old key. */
  cria_client_set_api_key (client, "llg_sk_abc");
  g_assert_true (cria_client_has_api_key (client));
  g_assert_true (cria_client_set_base_url (client, "http://127.0.0.1:11434/v1", NULL));
  g_assert_false (cria_client_has_api_key (client));
}

/* The server echoes the key the request carried, the way some gateways quote
 * a refused key back; the test swaps the client's key while it answers. */
static void
echo_key_handler (CriaFakeServer        *server,
                  const CriaFakeRequest *request,
                  CriaFakeResponse      *response,
                  gpointer               user_data)
{
  CriaClient *client = user_data;
  const char *authorization = soup_message_headers_get_one (request->headers, "Authorization");
  g_autofree char *body = NULL;

  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Bearer "));

  /* The user enters another key while the request is on its way. */
  cria_client_set_api_key (client, "a-different-key");

  body = g_strdup_printf ("{\"error\":{\"message\":\"Incorrect API key provided: %s\","
                          "\"code\":\"invalid_api_key\"}}", authorization + strlen ("Bearer "));
  cria_fake_response_set_status (response, 401);
  cria_fake_response_set_body (response, "application/json", body, -1);
}

static void
test_redact_with_request_key (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  /* Not shaped like a LlamaGate key, so only the request's key can find it. */
  g_autofree char *key = g_strdup_printf ("sk-proj-%08x%08x", g_random_int (), g_random_int ());
  g_autoptr(CriaClient) client = cria_test_client_new (server, key);
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  cria_fake_server_set_handler (server, "/v1/models", echo_key_handler, client, NULL);

  models = list_models (client, &error);
  g_assert_null (models);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Incorrect API key provided"));
  g_assert_null (strstr (error->message, key));
  g_assert_null (strstr (cria_api_error_get_server_message (error), key));
  g_assert_nonnull (strstr (cria_api_error_get_server_message (error), "[API key]"));

  cria_fake_server_set_handler (server, "/v1/models", NULL, NULL, NULL);
}

/* A stand-in HTTP proxy on loopback that only counts what reaches it. */
static void
proxy_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  guint *n_proxied = user_data;

  (*n_proxied)++;
  soup_server_message_set_status (msg, SOUP_STATUS_BAD_GATEWAY, NULL);
}

static SoupServer *
proxy_new (guint  *n_proxied,
           char  **url)
{
  SoupServer *proxy = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSList) uris = NULL;

  soup_server_add_handler (proxy, NULL, proxy_handler, n_proxied, NULL);
  soup_server_listen_local (proxy, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (proxy);
  *url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  return proxy;
}

/* http_proxy set, no_proxy not: GLib's libproxy resolver sends every URL
 * through the proxy, loopback included, key and all. Cria's requests to a
 * server on this computer go direct anyway. */
static void
test_loopback_not_proxied (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
      g_autofree char *key = cria_test_make_key ();
      g_autoptr(SoupServer) proxy = NULL;
      g_autofree char *proxy_url = NULL;
      g_auto(GStrv) proxies = NULL;
      g_autoptr(CriaClient) client = NULL;
      g_autoptr(GListModel) models = NULL;
      g_autoptr(GError) error = NULL;
      CriaFakeResponse *response;
      guint n_proxied = 0;

      proxy = proxy_new (&n_proxied, &proxy_url);
      g_setenv ("http_proxy", proxy_url, TRUE);
      g_setenv ("HTTP_PROXY", proxy_url, TRUE);
      g_unsetenv ("no_proxy");
      g_unsetenv ("NO_PROXY");

      /* The system resolver does proxy loopback here, or the test proves nothing. */
      proxies = g_proxy_resolver_lookup (g_proxy_resolver_get_default (),
                                         cria_fake_server_get_base_url (server), NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (proxies[0], ==, proxy_url);

      cria_fake_server_set_api_key (server, key);
      response = cria_fake_server_expect (server, "/v1/models");
      cria_fake_response_set_body (response, "application/json",
                                   "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}", -1);
      client = cria_test_client_new (server, key);

      models = list_models (client, &error);
      g_assert_no_error (error);
      g_assert_nonnull (models);
      g_assert_cmpuint (cria_fake_server_get_requests (server)->len, ==, 1);
      g_assert_cmpuint (n_proxied, ==, 0);
      return;
    }

  /* libproxy is the resolver that reads http_proxy; the tests otherwise run
   * with the dummy one. */
  g_proxy_resolver_get_default ();
  if (g_io_extension_point_get_extension_by_name (g_io_extension_point_lookup (G_PROXY_RESOLVER_EXTENSION_POINT_NAME),
                                                  "libproxy") == NULL)
    {
      g_test_skip ("GLib's libproxy module (glib-networking) is not installed");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
lookup_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* What the client builds, with the fallback every desktop resolver amounts to
 * when http_proxy is set: loopback direct, everything else as the system says. */
static void
test_proxy_resolver_rule (void)
{
  g_autoptr(GProxyResolver) fallback = g_simple_proxy_resolver_new ("http://127.0.0.1:9", NULL);
  g_autoptr(GProxyResolver) resolver = cria_proxy_resolver_new (fallback);
  const char *direct_uris[] = {
    "http://127.0.0.1:8080/v1/models",
    "http://127.1.2.3/v1",
    "http://[::1]:8080/v1/models",
    "http://localhost:11434/v1",
    "http://gateway.localhost/v1",
  };
  const char *proxied_uris[] = {
    "https://api.llamagate.dev/v1/models",
    "http://127.0.0.1.example.com/v1",
    "http://192.168.1.20:8080/v1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (direct_uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_auto(GStrv) proxies = g_proxy_resolver_lookup (resolver, direct_uris[i], NULL, &error);
      g_auto(GStrv) async_proxies = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (proxies[0], ==, "direct://");
      g_assert_null (proxies[1]);

      g_proxy_resolver_lookup_async (resolver, direct_uris[i], NULL, lookup_done_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      async_proxies = g_proxy_resolver_lookup_finish (resolver, result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (async_proxies[0], ==, "direct://");
    }

  for (gsize i = 0; i < G_N_ELEMENTS (proxied_uris); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_auto(GStrv) proxies = g_proxy_resolver_lookup (resolver, proxied_uris[i], NULL, &error);
      g_auto(GStrv) async_proxies = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (proxies[0], ==, "http://127.0.0.1:9");

      g_proxy_resolver_lookup_async (resolver, proxied_uris[i], NULL, lookup_done_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      async_proxies = g_proxy_resolver_lookup_finish (resolver, result, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (async_proxies[0], ==, "http://127.0.0.1:9");
    }
}

int
main (int   argc,
      char *argv[])
{
  /* Debug output on, as with G_MESSAGES_DEBUG=all, and every line kept. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  log_text = g_string_new (NULL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
  /* Debug lines on stdout would be taken for TAP output. */
  g_log_writer_default_set_use_stderr (TRUE);
  cria_test_init (&argc, &argv);
  /* The loopback-not-proxied child uses the resolver that reads http_proxy. */
  if (g_test_subprocess ())
    g_setenv ("GIO_USE_PROXY_RESOLVER", "libproxy", TRUE);

  g_test_add_func ("/client-security/key-never-logged", test_key_never_logged);
  g_test_add_func ("/client-security/redirect-drops-key", test_redirect_drops_key);
  g_test_add_func ("/client-security/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/client-security/key-not-kept-across-endpoints", test_key_not_kept_across_endpoints);
  g_test_add_func ("/client-security/redact-with-request-key", test_redact_with_request_key);
  g_test_add_func ("/client-security/loopback-not-proxied", test_loopback_not_proxied);
  g_test_add_func ("/client-security/proxy-resolver-rule", test_proxy_resolver_rule);

  return g_test_run ();
}

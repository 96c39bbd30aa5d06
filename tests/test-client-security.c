/* test-client-security.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
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

  g_test_add_func ("/client-security/key-never-logged", test_key_never_logged);
  g_test_add_func ("/client-security/redirect-drops-key", test_redirect_drops_key);
  g_test_add_func ("/client-security/plain-http-refused", test_plain_http_refused);
  g_test_add_func ("/client-security/key-not-kept-across-endpoints", test_key_not_kept_across_endpoints);

  return g_test_run ();
}

/* test-client-models.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-catalogue.h"
#include "cria-test-util.h"

typedef CriaTestFixture Fixture;

static void
list_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GListModel *
list_models (CriaClient    *client,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_client_list_models_async (client, cancellable, list_done_cb, &result);
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_client_list_models_finish (client, result, error);
}

static CriaModel *
find (GListModel *models,
      const char *id)
{
  CriaModel *model = cria_catalogue_find (models, id);

  if (model == NULL)
    g_test_message ("“%s” is missing from the model list", id);
  g_assert_nonnull (model);

  return model;
}

static void
test_vllm_list (Fixture       *fixture,
                gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  CriaFakeRequest *request;
  const char *accept;
  CriaModel *model;
  guint n_available = 0;

  cria_fake_response_set_body_from_fixture (response, "application/json", "models/vllm.json");

  models = list_models (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (models);

  /* The 21 catalogue models, then the adapter only this server has. */
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, 22);

  model = find (models, "qwen3-8b");
  g_assert_true (cria_model_get_available (model));
  /* The server runs it with a smaller window than the catalogue's 32768. */
  g_assert_cmpint (cria_model_get_context_length (model), ==, 8192);
  g_assert_cmpstr (cria_model_get_name (model), ==, "Qwen 3 8B");

  model = find (models, "llama-3.1-8b");
  g_assert_true (cria_model_get_available (model));
  g_assert_cmpint (cria_model_get_context_length (model), ==, 131072);

  model = find (models, "my-lora-adapter");
  g_assert_true (cria_model_get_available (model));
  g_assert_false (cria_model_get_capabilities_known (model));
  g_assert_cmpint (cria_model_get_category (model), ==, CRIA_MODEL_CATEGORY_OTHER);
  g_assert_cmpint (cria_model_get_context_length (model), ==, 8192);

  g_assert_false (cria_model_get_available (find (models, "deepseek-r1-8b")));
  g_assert_false (cria_model_get_available (find (models, "nomic-embed-text")));

  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (models, i);

      if (cria_model_get_available (item))
        n_available++;
    }
  g_assert_cmpuint (n_available, ==, 3);

  /* One GET to {base}/models, authenticated, asking for JSON. */
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->server)->len, ==, 1);
  request = cria_fake_server_get_last_request (fixture->server);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/v1/models");
  authorization = g_strconcat ("Bearer ", fixture->key, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==, authorization);
  accept = soup_message_headers_get_one (request->headers, "Accept");
  g_assert_nonnull (accept);
  g_assert_nonnull (strstr (accept, "application/json"));
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
}

static void
test_unauthorized (Fixture       *fixture,
                   gconstpointer  user_data)
{
  g_autofree char *wrong_key = cria_test_make_key ();
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  /* The fake answers a wrong key with OpenAI's 401 before any script. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body_from_fixture (response, "application/json", "models/llamagate.json");
  cria_client_set_api_key (fixture->client, wrong_key);

  models = list_models (fixture->client, NULL, &error);
  g_assert_null (models);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (cria_api_error_get_http_status (error), ==, 401);
  g_assert_null (strstr (error->message, wrong_key));
  g_assert_null (strstr (error->message, fixture->key));
}

static void
test_unauthorized_fixture (Fixture       *fixture,
                           gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  /* A key the gateway has revoked: the right header, still a 401. */
  cria_fake_response_set_status (response, 401);
  cria_fake_response_set_body_from_fixture (response, "application/json", "errors/openai-401-invalid-key.json");

  models = list_models (fixture->client, NULL, &error);
  g_assert_null (models);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (cria_api_error_get_http_status (error), ==, 401);
  g_assert_nonnull (cria_api_error_get_server_message (error));
  g_assert_true (g_str_has_prefix (cria_api_error_get_server_message (error), "Incorrect API key provided"));
}

static void
test_not_json (Fixture       *fixture,
               gconstpointer  user_data)
{
  static const struct {
    const char *content_type;
    const char *body;
  } bodies[] = {
    { "text/plain", "404 page not found\n" },
    { "text/html", "<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body></body></html>" },
    { "application/json", "{\"object\":\"list\",\"data\":[{\"id\":\"qwen3-8b\"" },
    { "application/json", "{\"object\":\"list\",\"data\":{\"id\":\"qwen3-8b\"}}" },
    { "application/json", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
      g_autoptr(GListModel) models = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", bodies[i].body);
      cria_fake_response_set_body (response, bodies[i].content_type, bodies[i].body, -1);

      models = list_models (fixture->client, NULL, &error);
      g_assert_null (models);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      /* A sentence for people: no parser internals such as "<data>:1:1:",
       * and nothing a markup sink could take for a tag. */
      g_test_message ("%s", error->message);
      g_assert_null (strstr (error->message, "<data>"));
      g_assert_null (strchr (error->message, '<'));
    }
}

static void
test_empty_list (Fixture       *fixture,
                 gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  cria_fake_response_set_body (response, "application/json", "{\"object\":\"list\",\"data\":[]}", -1);

  models = list_models (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, 21);
  for (guint i = 0; i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(CriaModel) item = g_list_model_get_item (models, i);

      g_assert_false (cria_model_get_available (item));
    }
}

static void
test_cancel_at_once (Fixture       *fixture,
                     gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed;

  cria_fake_response_set_body_from_fixture (response, "application/json", "models/vllm.json");
  cria_fake_response_set_headers_delay (response, 500);

  start = g_get_monotonic_time ();
  models = list_models (fixture->client, cancellable, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (models);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (elapsed, <, 300 * G_TIME_SPAN_MILLISECOND);
}

typedef struct
{
  GCancellable *cancellable;
  gint64        cancelled_at;
} CancelLater;

static gboolean
cancel_cb (gpointer user_data)
{
  CancelLater *later = user_data;

  later->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (later->cancellable);

  return G_SOURCE_REMOVE;
}

static void
test_cancel_while_waiting (Fixture       *fixture,
                           gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  CancelLater later = { cancellable, 0 };
  gint64 start;
  gint64 finished_at;
  gint64 deadline;

  cria_fake_response_set_body_from_fixture (response, "application/json", "models/vllm.json");
  cria_fake_response_set_headers_delay (response, 500);

  /* Cancelled while the server sits on the request. */
  start = g_get_monotonic_time ();
  cria_client_list_models_async (fixture->client, cancellable, list_done_cb, &result);
  g_timeout_add (100, cancel_cb, &later);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  finished_at = g_get_monotonic_time ();

  models = cria_client_list_models_finish (fixture->client, result, &error);
  g_assert_null (models);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (later.cancelled_at, >, 0);
  g_assert_cmpint (finished_at - later.cancelled_at, <, 300 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (finished_at - start, <, 450 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (cria_fake_server_get_requests (fixture->server)->len, ==, 1);

  /* The connection is really closed, not left waiting for the reply. */
  deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  while (cria_fake_server_get_n_client_disconnects (fixture->server) == 0 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (cria_fake_server_get_n_client_disconnects (fixture->server), ==, 1);
}

static void
test_list_after_failure (Fixture       *fixture,
                         gconstpointer  user_data)
{
  CriaFakeResponse *failure = cria_fake_server_expect (fixture->server, "/v1/models");
  CriaFakeResponse *success = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GListModel) first = NULL;
  g_autoptr(GListModel) second = NULL;
  g_autoptr(GError) error = NULL;

  /* A refresh after a failed one works: nothing stuck in the client. */
  cria_fake_response_set_status (failure, 503);
  cria_fake_response_set_body_from_fixture (failure, "text/plain", "errors/envoy-503.txt");
  cria_fake_response_add_header (failure, "Retry-After", "7");
  cria_fake_response_set_body_from_fixture (success, "application/json", "models/llamagate.json");

  first = list_models (fixture->client, NULL, &error);
  g_assert_null (first);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpint (cria_api_error_get_retry_after (error), ==, 7);
  g_clear_error (&error);

  second = list_models (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cria_model_get_available (find (second, "deepseek-r1-8b")));
  g_assert_false (cria_model_get_available (find (second, "qwen3-vl-8b")));
  g_assert_cmpuint (g_list_model_get_n_items (second), ==, 21);
}

/* A server listing 20,000 models froze the picker for 12 s: the client keeps
 * the first 5,000. */
static void
test_huge_list (Fixture       *fixture,
                gconstpointer  user_data)
{
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/models");
  g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GString) body = g_string_new ("{\"object\":\"list\",\"data\":[");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (body, "%s{\"id\":\"org/model-%05u\",\"object\":\"model\"}", i > 0 ? "," : "", i);
  g_string_append (body, "]}");
  cria_fake_response_set_body (response, "application/json", body->str, body->len);

  models = list_models (fixture->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (models), ==, g_list_model_get_n_items (catalogue) + 5000);
  g_assert_true (cria_model_get_available (find (models, "org/model-00000")));
  g_assert_true (cria_model_get_available (find (models, "org/model-04999")));
  g_assert_null (cria_catalogue_find (models, "org/model-05000"));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client-models/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("vllm-list", test_vllm_list);
  ADD ("unauthorized", test_unauthorized);
  ADD ("unauthorized-fixture", test_unauthorized_fixture);
  ADD ("empty-list", test_empty_list);
  ADD ("cancel-at-once", test_cancel_at_once);
  ADD ("cancel-while-waiting", test_cancel_while_waiting);
  ADD ("list-after-failure", test_list_after_failure);
  ADD ("not-json", test_not_json);
  ADD ("huge-list", test_huge_list);

#undef ADD

  return g_test_run ();
}

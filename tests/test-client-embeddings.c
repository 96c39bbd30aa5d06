/* test-client-embeddings.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <float.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-api-error.h"
#include "cria-test-util.h"

typedef CriaTestFixture Fixture;

static void
embed_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static CriaEmbeddings *
embed (CriaClient           *client,
       const char * const   *inputs,
       gboolean              single_input,
       CriaEmbeddingFormat   format,
       GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_client_embed_async (client, "nomic-embed-text", inputs, single_input, format,
                           NULL, embed_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_client_embed_finish (client, result, error);
}

/* The reply of POST /embeddings as OpenAI sends it; each entry is given as
 * its index and its "embedding" JSON node. */
typedef struct
{
  int       index;
  JsonNode *embedding;
} Entry;

static char *
build_reply (const Entry *entries,
             guint        n_entries,
             gint64       prompt_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_entries; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "embedding");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, entries[i].index);
      json_builder_set_member_name (builder, "embedding");
      json_builder_add_value (builder, json_node_copy (entries[i].embedding));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "nomic-embed-text");
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static JsonNode *
json_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
request_body (CriaFakeServer  *server,
              JsonNode       **root_out)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (server);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (request);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/embeddings");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (request->headers, NULL),
                                   "application/json"));

  data = g_bytes_get_data (request->body, &len);
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  *root_out = json_node_copy (json_parser_get_root (parser));

  return json_node_get_object (*root_out);
}

static void
assert_vector (CriaEmbeddings *embeddings,
               guint           index,
               const float    *expected,
               gsize           n_expected)
{
  gsize n_dimensions = 0;
  const float *vector = cria_embeddings_get_vector (embeddings, index, &n_dimensions);

  g_assert_nonnull (vector);
  g_assert_cmpuint (n_dimensions, ==, n_expected);
  for (gsize i = 0; i < n_expected; i++)
    {
      if (memcmp (&vector[i], &expected[i], sizeof (float)) != 0)
        g_test_message ("vector %u, dimension %" G_GSIZE_FORMAT ": %.9g, expected %.9g",
                        index, i, (double) vector[i], (double) expected[i]);
    }
  /* Bit for bit: -0.0 stays -0.0. */
  g_assert_cmpmem (vector, n_dimensions * sizeof (float), expected, n_expected * sizeof (float));
}

static void
test_float_single (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const inputs[] = { "search_query: Where do herons nest?", NULL };
  static const float expected[] = { 0.0123f, -0.5f, 1.0f, 0.0f, -2.0f, 0.333333343f, 1e-7f, -0.98765f };
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
  g_autoptr(JsonNode) embedding = json_parse ("[0.0123, -0.5, 1, 0, -2, 0.333333343, 1e-7, -0.98765]");
  g_autoptr(JsonNode) body_root = NULL;
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *authorization = NULL;
  const CriaUsage *usage;
  JsonObject *body;
  JsonNode *input;
  Entry entry = { 0, embedding };

  reply = build_reply (&entry, 1, 9);
  cria_fake_response_set_body (response, "application/json", reply, -1);

  embeddings = embed (fixture->client, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (embeddings);

  body = request_body (fixture->server, &body_root);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "nomic-embed-text");
  input = json_object_get_member (body, "input");
  g_assert_nonnull (input);
  g_assert_true (JSON_NODE_HOLDS_VALUE (input));
  g_assert_cmpint (json_node_get_value_type (input), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (input), ==, inputs[0]);
  g_assert_cmpstr (json_object_get_string_member (body, "encoding_format"), ==, "float");
  authorization = g_strconcat ("Bearer ", fixture->key, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (cria_fake_server_get_last_request (fixture->server)->headers,
                                                 "Authorization"), ==, authorization);

  g_assert_cmpuint (cria_embeddings_get_n_vectors (embeddings), ==, 1);
  assert_vector (embeddings, 0, expected, G_N_ELEMENTS (expected));
  g_assert_cmpstr (cria_embeddings_get_model (embeddings), ==, "nomic-embed-text");
  usage = cria_embeddings_get_usage (embeddings);
  g_assert_cmpint (usage->prompt_tokens, ==, 9);
  g_assert_false (usage->estimated);
}

static char *
encode_floats (const float *values,
               gsize        n_values)
{
  g_autofree guchar *bytes = g_malloc (n_values * 4);

  for (gsize i = 0; i < n_values; i++)
    {
      guint32 bits;

      memcpy (&bits, &values[i], 4);
      bits = GUINT32_TO_LE (bits);
      memcpy (bytes + i * 4, &bits, 4);
    }

  return g_base64_encode (bytes, n_values * 4);
}

static void
test_base64 (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const char * const inputs[] = { "The heron stands in the shallows.", NULL };
  static const float values[] = {
    1.0f, -0.5f, 3.14159274f, 1e-7f, -0.0f, 65504.0f, FLT_MIN, -FLT_MAX, 123456.789f, 0.1f,
  };
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
  g_autofree char *encoded = encode_floats (values, G_N_ELEMENTS (values));
  g_autoptr(JsonNode) embedding = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) body_root = NULL;
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  JsonObject *body;
  Entry entry = { 0, embedding };

  json_node_set_string (embedding, encoded);
  reply = build_reply (&entry, 1, 8);
  cria_fake_response_set_body (response, "application/json", reply, -1);

  embeddings = embed (fixture->client, inputs, TRUE, CRIA_EMBEDDING_FORMAT_BASE64, &error);
  g_assert_no_error (error);

  body = request_body (fixture->server, &body_root);
  g_assert_cmpstr (json_object_get_string_member (body, "encoding_format"), ==, "base64");
  g_assert_cmpstr (json_object_get_string_member (body, "input"), ==, inputs[0]);

  g_assert_cmpuint (cria_embeddings_get_n_vectors (embeddings), ==, 1);
  assert_vector (embeddings, 0, values, G_N_ELEMENTS (values));
  g_assert_cmpint (cria_embeddings_get_usage (embeddings)->prompt_tokens, ==, 8);
}

static void
test_batch_out_of_order (Fixture       *fixture,
                         gconstpointer  user_data)
{
  static const char * const inputs[] = { "first input", "second input", "third input", NULL };
  static const float vectors[3][4] = {
    { 0.25f, 0.5f, 0.75f, 1.0f },
    { -1.0f, -0.125f, 0.0f, 2.5f },
    { 8.0f, -16.0f, 0.0625f, -0.03125f },
  };
  CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
  g_autoptr(JsonNode) v0 = json_parse ("[0.25, 0.5, 0.75, 1.0]");
  g_autoptr(JsonNode) v1 = json_parse ("[-1.0, -0.125, 0.0, 2.5]");
  g_autoptr(JsonNode) v2 = json_parse ("[8, -16, 0.0625, -0.03125]");
  g_autoptr(JsonNode) body_root = NULL;
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  JsonObject *body;
  JsonArray *input;
  /* Servers that fan a batch out to workers answer in completion order. */
  const Entry entries[] = { { 2, v2 }, { 0, v0 }, { 1, v1 } };

  reply = build_reply (entries, G_N_ELEMENTS (entries), 17);
  cria_fake_response_set_body (response, "application/json", reply, -1);

  embeddings = embed (fixture->client, inputs, FALSE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
  g_assert_no_error (error);

  body = request_body (fixture->server, &body_root);
  input = json_object_get_array_member (body, "input");
  g_assert_nonnull (input);
  g_assert_cmpuint (json_array_get_length (input), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_array_get_string_element (input, i), ==, inputs[i]);

  g_assert_cmpuint (cria_embeddings_get_n_vectors (embeddings), ==, 3);
  for (guint i = 0; i < 3; i++)
    assert_vector (embeddings, i, vectors[i], G_N_ELEMENTS (vectors[i]));
  g_assert_cmpint (cria_embeddings_get_usage (embeddings)->prompt_tokens, ==, 17);
  g_assert_false (cria_embeddings_get_usage (embeddings)->estimated);
}

static void
test_missing_vectors (Fixture       *fixture,
                      gconstpointer  user_data)
{
  static const char * const inputs[] = { "one", "two", "three", NULL };
  g_autoptr(JsonNode) v = json_parse ("[0.5, 0.25]");
  const Entry too_few[] = { { 0, v }, { 1, v } };
  const Entry duplicated[] = { { 0, v }, { 0, v }, { 2, v } };
  const struct {
    const Entry *entries;
    guint        n_entries;
  } replies[] = {
    { too_few, G_N_ELEMENTS (too_few) },
    { duplicated, G_N_ELEMENTS (duplicated) },
  };

  /* The caller is promised one vector per input; a reply that leaves one
   * out must fail rather than hand back a short or empty vector. */
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
      g_autoptr(CriaEmbeddings) embeddings = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *reply = build_reply (replies[i].entries, replies[i].n_entries, 3);

      g_test_message ("%s", reply);
      cria_fake_response_set_body (response, "application/json", reply, -1);
      embeddings = embed (fixture->client, inputs, FALSE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
      if (embeddings != NULL)
        {
          g_test_message ("%u vectors for 3 inputs were accepted",
                          cria_embeddings_get_n_vectors (embeddings));
          for (guint j = 0; j < cria_embeddings_get_n_vectors (embeddings); j++)
            {
              gsize n = 0;

              cria_embeddings_get_vector (embeddings, j, &n);
              g_test_message ("vector %u has %" G_GSIZE_FORMAT " dimensions", j, n);
            }
        }
      g_assert_null (embeddings);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
    }
}

static void
test_bad_vectors (Fixture       *fixture,
                  gconstpointer  user_data)
{
  static const char * const inputs[] = { "one", NULL };
  static const char * const replies[] = {
    "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[0.5,\"x\",1]}]}",
    "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":\"AAAAAAA=\"}]}",
    "{\"object\":\"list\",\"data\":[{\"index\":0}]}",
    "{\"object\":\"list\",\"model\":\"nomic-embed-text\"}",
    "[[0.5, 0.25]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
      g_autoptr(CriaEmbeddings) embeddings = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", replies[i]);
      cria_fake_response_set_body (response, "application/json", replies[i], -1);
      embeddings = embed (fixture->client, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
      g_assert_null (embeddings);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
    }
}

static void
test_error_status (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char * const inputs[] = { "one", NULL };
  static const struct {
    guint       status;
    const char *fixture;
    const char *content_type;
    int         code;
    const char *server_message;
  } cases[] = {
    { 404, "errors/ollama-404-model.json", "application/json", CRIA_API_ERROR_MODEL_NOT_FOUND,
      "model \"qwen9\" not found, try pulling it first" },
    { 402, "errors/openrouter-402-credits.json", "application/json", CRIA_API_ERROR_INSUFFICIENT_CREDITS,
      "Insufficient credits. Add more using https://openrouter.ai/credits" },
    { 429, "errors/openai-429-rate-limit.json", "application/json", CRIA_API_ERROR_RATE_LIMITED, NULL },
    { 502, "errors/html-502.html", "text/html", CRIA_API_ERROR_SERVER_UNAVAILABLE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (fixture->server, "/v1/embeddings");
      g_autoptr(CriaEmbeddings) embeddings = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].fixture);
      cria_fake_response_set_status (response, cases[i].status);
      cria_fake_response_set_body_from_fixture (response, cases[i].content_type, cases[i].fixture);
      if (cases[i].status == 429)
        cria_fake_response_add_header (response, "Retry-After", "20");

      embeddings = embed (fixture->client, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
      g_assert_null (embeddings);
      g_assert_error (error, CRIA_API_ERROR, cases[i].code);
      g_assert_cmpuint (cria_api_error_get_http_status (error), ==, cases[i].status);
      if (cases[i].server_message != NULL)
        g_assert_cmpstr (cria_api_error_get_server_message (error), ==, cases[i].server_message);
      if (cases[i].status == 429)
        g_assert_cmpint (cria_api_error_get_retry_after (error), ==, 20);
      g_assert_null (strchr (error->message, '<'));
    }

  /* A wrong key is refused before the body is looked at. */
  {
    g_autofree char *wrong_key = cria_test_make_key ();
    g_autoptr(CriaEmbeddings) embeddings = NULL;
    g_autoptr(GError) error = NULL;

    cria_client_set_api_key (fixture->client, wrong_key);
    embeddings = embed (fixture->client, inputs, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT, &error);
    g_assert_null (embeddings);
    g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
    g_assert_null (strstr (error->message, wrong_key));
  }
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client-embeddings/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("float-single", test_float_single);
  ADD ("base64", test_base64);
  ADD ("batch-out-of-order", test_batch_out_of_order);
  ADD ("bad-vectors", test_bad_vectors);
  ADD ("error-status", test_error_status);
  ADD ("missing-vectors", test_missing_vectors);

#undef ADD

  return g_test_run ();
}

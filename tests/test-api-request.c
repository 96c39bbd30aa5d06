/* test-api-request.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-api-error.h"
#include "cria-api-private.h"

/* Every test builds a body, then reads it back the way a server would: with a
 * JSON parser, never by looking at the text Cria happened to write. */

static JsonNode *
parse_bytes (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  const char *data;

  g_assert_nonnull (body);
  data = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, >, 0);
  g_assert_true (g_utf8_validate (data, (gssize) len, NULL));

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

static JsonNode *
build_and_parse (CriaChatRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = _cria_api_build_chat_body (request, &error);
  JsonNode *root;

  g_assert_no_error (error);
  root = parse_bytes (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return root;
}

static JsonNode *
parse_text (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_STRING);

  return json_node_get_string (node);
}

static double
get_number (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
                 json_node_get_value_type (node) == G_TYPE_INT64);

  return json_node_get_double (node);
}

static gint64
get_int (JsonObject *object,
         const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  /* A count of tokens written as 256.0 is refused by some servers. */
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);

  return json_node_get_int (node);
}

static JsonArray *
get_messages (JsonObject *root)
{
  JsonNode *node = json_object_get_member (root, "messages");

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));

  return json_node_get_array (node);
}

static JsonObject *
get_message (JsonObject *root,
             guint       index)
{
  JsonArray *messages = get_messages (root);
  JsonNode *node;

  g_assert_cmpuint (index, <, json_array_get_length (messages));
  node = json_array_get_element (messages, index);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  return json_node_get_object (node);
}

static void
add_message (CriaChatRequest *request,
             CriaRole         role,
             const char      *content)
{
  g_autoptr(CriaChatMessage) message = cria_chat_message_new (role, content);

  cria_chat_request_add_message (request, message);
}

static void
test_model_and_messages (void)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("qwen3-8b");
  g_autoptr(JsonNode) root = NULL;
  static const struct {
    CriaRole    role;
    const char *role_name;
    const char *content;
  } turns[] = {
    { CRIA_ROLE_SYSTEM, "system", "You are terse." },
    { CRIA_ROLE_USER, "user", "What is 2+2?" },
    { CRIA_ROLE_ASSISTANT, "assistant", "4" },
    { CRIA_ROLE_USER, "user", "And 3+3?" },
  };
  JsonObject *object;

  for (guint i = 0; i < G_N_ELEMENTS (turns); i++)
    add_message (request, turns[i].role, turns[i].content);

  root = build_and_parse (request);
  object = json_node_get_object (root);

  g_assert_cmpstr (get_string (object, "model"), ==, "qwen3-8b");
  g_assert_cmpuint (json_array_get_length (get_messages (object)), ==, G_N_ELEMENTS (turns));
  for (guint i = 0; i < G_N_ELEMENTS (turns); i++)
    {
      JsonObject *message = get_message (object, i);

      g_assert_cmpstr (get_string (message, "role"), ==, turns[i].role_name);
      /* Without images the content is a plain string, not content parts. */
      g_assert_cmpstr (get_string (message, "content"), ==, turns[i].content);
      g_assert_false (json_object_has_member (message, "tool_calls"));
      g_assert_false (json_object_has_member (message, "tool_call_id"));
    }

  /* Changing the model after the fact is what the picker does. */
  cria_chat_request_set_model (request, "llama-3.1-8b");
  g_clear_pointer (&root, json_node_unref);
  root = build_and_parse (request);
  g_assert_cmpstr (get_string (json_node_get_object (root), "model"), ==, "llama-3.1-8b");
}

static void
assert_image_part (JsonNode   *node,
                   const char *url)
{
  JsonObject *part;
  JsonNode *image;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  part = json_node_get_object (node);
  g_assert_cmpstr (get_string (part, "type"), ==, "image_url");
  image = json_object_get_member (part, "image_url");
  g_assert_nonnull (image);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (image));
  g_assert_cmpstr (get_string (json_node_get_object (image), "url"), ==, url);
}

static void
test_images (void)
{
  static const char *urls[] = {
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/",
    "https://example.org/cat.webp",
  };
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("qwen3-vl-8b");
  g_autoptr(CriaChatMessage) with_text = cria_chat_message_new (CRIA_ROLE_USER, "What is in these pictures?");
  g_autoptr(CriaChatMessage) without_text = cria_chat_message_new (CRIA_ROLE_USER, "");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *content;
  JsonArray *parts;
  JsonObject *text_part;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    cria_chat_message_add_image_url (with_text, urls[i]);
  cria_chat_message_add_image_url (without_text, urls[2]);

  add_message (request, CRIA_ROLE_SYSTEM, "Describe images.");
  cria_chat_request_add_message (request, with_text);
  cria_chat_request_add_message (request, without_text);
  add_message (request, CRIA_ROLE_USER, "Thanks");

  root = build_and_parse (request);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (get_messages (object)), ==, 4);

  /* The system message has no images: a plain string. */
  g_assert_cmpstr (get_string (get_message (object, 0), "content"), ==, "Describe images.");

  /* Text first, then one image_url part per image, in order. */
  content = json_object_get_member (get_message (object, 1), "content");
  g_assert_nonnull (content);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (content));
  parts = json_node_get_array (content);
  g_assert_cmpuint (json_array_get_length (parts), ==, 1 + G_N_ELEMENTS (urls));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (parts, 0)));
  text_part = json_array_get_object_element (parts, 0);
  g_assert_cmpstr (get_string (text_part, "type"), ==, "text");
  g_assert_cmpstr (get_string (text_part, "text"), ==, "What is in these pictures?");
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    assert_image_part (json_array_get_element (parts, i + 1), urls[i]);

  /* An image sent alone has no empty text part. */
  content = json_object_get_member (get_message (object, 2), "content");
  g_assert_nonnull (content);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (content));
  parts = json_node_get_array (content);
  g_assert_cmpuint (json_array_get_length (parts), ==, 1);
  assert_image_part (json_array_get_element (parts, 0), urls[2]);

  /* The next message, without images, goes back to a string. */
  g_assert_cmpstr (get_string (get_message (object, 3), "content"), ==, "Thanks");
}

static void
test_reasoning_never_sent (void)
{
  static const char reasoning[] = "Let me think: the user wants a haiku about herons, so five-seven-five";
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("deepseek-r1-8b");
  g_autoptr(CriaChatMessage) assistant = cria_chat_message_new (CRIA_ROLE_ASSISTANT, "Grey heron waits");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *message;
  gsize len = 0;
  const char *data;

  cria_chat_message_set_reasoning (assistant, reasoning);
  g_assert_cmpstr (cria_chat_message_get_reasoning (assistant), ==, reasoning);

  add_message (request, CRIA_ROLE_USER, "A haiku about herons");
  cria_chat_request_add_message (request, assistant);
  add_message (request, CRIA_ROLE_USER, "Another one");

  body = _cria_api_build_chat_body (request, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (body, &len);
  g_assert_null (g_strstr_len (data, (gssize) len, "five-seven-five"));
  g_assert_null (g_strstr_len (data, (gssize) len, "Let me think"));

  root = parse_bytes (body);
  message = get_message (json_node_get_object (root), 1);
  g_assert_cmpstr (get_string (message, "role"), ==, "assistant");
  g_assert_cmpstr (get_string (message, "content"), ==, "Grey heron waits");
  g_assert_false (json_object_has_member (message, "reasoning"));
  g_assert_false (json_object_has_member (message, "reasoning_content"));
}

static void
test_tool_calls (void)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(CriaChatMessage) assistant = cria_chat_message_new (CRIA_ROLE_ASSISTANT, "");
  g_autoptr(CriaChatMessage) result1 = cria_chat_message_new (CRIA_ROLE_TOOL, "{\"temp_c\":14}");
  g_autoptr(CriaChatMessage) result2 = cria_chat_message_new (CRIA_ROLE_TOOL, "{\"temp_c\":-3}");
  g_autoptr(CriaToolCall) call1 = cria_tool_call_new (0);
  g_autoptr(CriaToolCall) call2 = cria_tool_call_new (1);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *message;
  JsonNode *calls_node;
  JsonArray *calls;
  const struct {
    CriaToolCall *call;
    const char   *id;
    const char   *arguments;
  } expected[] = {
    { call1, "call_abc123", "{\"city\":\"Lisbon\"}" },
    { call2, "call_def456", "{\"city\":\"Oslo\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      expected[i].call->id = g_strdup (expected[i].id);
      expected[i].call->type = g_strdup ("function");
      expected[i].call->name = g_strdup ("get_weather");
      expected[i].call->arguments = g_strdup (expected[i].arguments);
      cria_chat_message_add_tool_call (assistant, expected[i].call);
    }
  cria_chat_message_set_tool_call_id (result1, "call_abc123");
  cria_chat_message_set_tool_call_id (result2, "call_def456");

  add_message (request, CRIA_ROLE_USER, "Weather in Lisbon and Oslo?");
  cria_chat_request_add_message (request, assistant);
  cria_chat_request_add_message (request, result1);
  cria_chat_request_add_message (request, result2);

  root = build_and_parse (request);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_array_get_length (get_messages (object)), ==, 4);

  message = get_message (object, 1);
  g_assert_cmpstr (get_string (message, "role"), ==, "assistant");
  calls_node = json_object_get_member (message, "tool_calls");
  g_assert_nonnull (calls_node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (calls_node));
  calls = json_node_get_array (calls_node);
  g_assert_cmpuint (json_array_get_length (calls), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *call = json_array_get_object_element (calls, i);
      JsonNode *function_node = json_object_get_member (call, "function");
      JsonObject *function;

      g_assert_cmpstr (get_string (call, "id"), ==, expected[i].id);
      g_assert_cmpstr (get_string (call, "type"), ==, "function");
      g_assert_nonnull (function_node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (function_node));
      function = json_node_get_object (function_node);
      g_assert_cmpstr (get_string (function, "name"), ==, "get_weather");
      /* OpenAI wants the arguments as JSON text, not as an object. */
      g_assert_cmpstr (get_string (function, "arguments"), ==, expected[i].arguments);
    }

  message = get_message (object, 2);
  g_assert_cmpstr (get_string (message, "role"), ==, "tool");
  g_assert_cmpstr (get_string (message, "tool_call_id"), ==, "call_abc123");
  g_assert_cmpstr (get_string (message, "content"), ==, "{\"temp_c\":14}");
  g_assert_false (json_object_has_member (message, "tool_calls"));

  message = get_message (object, 3);
  g_assert_cmpstr (get_string (message, "tool_call_id"), ==, "call_def456");
  g_assert_cmpstr (get_string (message, "content"), ==, "{\"temp_c\":-3}");
}

static void
test_parameters_set (void)
{
  static const char * const stop[] = { "\n\nUser:", "###", "</s>", NULL };
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("mistral-7b-v0.3");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *stop_node;
  JsonArray *stop_array;

  add_message (request, CRIA_ROLE_USER, "Hi");
  cria_chat_request_set_temperature (request, 0.7);
  cria_chat_request_set_top_p (request, 0.95);
  cria_chat_request_set_max_tokens (request, 256);
  cria_chat_request_set_frequency_penalty (request, -0.5);
  cria_chat_request_set_presence_penalty (request, 1.25);
  cria_chat_request_set_seed (request, 4294967311);
  cria_chat_request_set_stop (request, stop);

  root = build_and_parse (request);
  object = json_node_get_object (root);

  g_assert_cmpfloat_with_epsilon (get_number (object, "temperature"), 0.7, 1e-9);
  g_assert_cmpfloat_with_epsilon (get_number (object, "top_p"), 0.95, 1e-9);
  g_assert_cmpint (get_int (object, "max_tokens"), ==, 256);
  g_assert_cmpfloat_with_epsilon (get_number (object, "frequency_penalty"), -0.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (get_number (object, "presence_penalty"), 1.25, 1e-9);
  /* A seed above 32 bits must not be truncated. */
  g_assert_cmpint (get_int (object, "seed"), ==, G_GINT64_CONSTANT (4294967311));

  stop_node = json_object_get_member (object, "stop");
  g_assert_nonnull (stop_node);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (stop_node));
  stop_array = json_node_get_array (stop_node);
  g_assert_cmpuint (json_array_get_length (stop_array), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_array_get_string_element (stop_array, i), ==, stop[i]);
}

static void
test_parameters_zero (void)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("qwen3-8b");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  /* Zero is a real choice (greedy decoding, seed 0), not "unset". */
  add_message (request, CRIA_ROLE_USER, "Hi");
  cria_chat_request_set_temperature (request, 0.0);
  cria_chat_request_set_seed (request, 0);
  cria_chat_request_set_frequency_penalty (request, 0.0);

  root = build_and_parse (request);
  object = json_node_get_object (root);
  g_assert_cmpfloat (get_number (object, "temperature"), ==, 0.0);
  g_assert_cmpint (get_int (object, "seed"), ==, 0);
  g_assert_cmpfloat (get_number (object, "frequency_penalty"), ==, 0.0);
  g_assert_false (json_object_has_member (object, "top_p"));
  g_assert_false (json_object_has_member (object, "max_tokens"));
}

/* A value written in its shortest form with an exponent (1e-05) is sent as a
 * JSON number the server can read. */
static void
test_parameters_exponent (void)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("qwen3-8b");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  add_message (request, CRIA_ROLE_USER, "Hi");
  cria_chat_request_set_temperature (request, 1e-05);
  cria_chat_request_set_top_p (request, 2e-08);

  root = build_and_parse (request);
  object = json_node_get_object (root);
  g_assert_cmpfloat (get_number (object, "temperature"), ==, 1e-05);
  g_assert_cmpfloat (get_number (object, "top_p"), ==, 2e-08);
}

static void
test_parameters_unset_absent (void)
{
  static const char * const absent[] = {
    "temperature", "top_p", "max_tokens", "frequency_penalty", "presence_penalty",
    "stop", "seed", "response_format", "tools", "tool_choice",
  };
  static const char * const no_stop[] = { NULL };
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  add_message (request, CRIA_ROLE_USER, "Hi");
  /* An empty stop list and empty JSON texts are the same as never set. */
  cria_chat_request_set_stop (request, no_stop);
  cria_chat_request_set_tools_json (request, "");
  cria_chat_request_set_tool_choice_json (request, "");
  cria_chat_request_set_response_format_json (request, "");

  root = build_and_parse (request);
  object = json_node_get_object (root);

  for (guint i = 0; i < G_N_ELEMENTS (absent); i++)
    {
      g_test_message ("%s must be absent", absent[i]);
      g_assert_false (json_object_has_member (object, absent[i]));
    }

  /* Nothing else sneaks in either. */
  g_assert_cmpuint (json_object_get_size (object), ==, 4);
  g_assert_true (json_object_has_member (object, "model"));
  g_assert_true (json_object_has_member (object, "messages"));
  g_assert_true (json_object_has_member (object, "stream"));
  g_assert_true (json_object_has_member (object, "stream_options"));
}

static void
test_stream_options (void)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(JsonNode) streamed = NULL;
  g_autoptr(JsonNode) whole = NULL;
  JsonObject *object;
  JsonNode *options;

  add_message (request, CRIA_ROLE_USER, "Hi");

  /* A new request streams. */
  g_assert_true (cria_chat_request_get_stream (request));
  streamed = build_and_parse (request);
  object = json_node_get_object (streamed);
  g_assert_true (json_object_get_boolean_member (object, "stream"));
  options = json_object_get_member (object, "stream_options");
  g_assert_nonnull (options);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (options));
  g_assert_true (json_object_has_member (json_node_get_object (options), "include_usage"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (options), "include_usage"));

  cria_chat_request_set_stream (request, FALSE);
  whole = build_and_parse (request);
  object = json_node_get_object (whole);
  g_assert_true (json_object_has_member (object, "stream"));
  g_assert_false (json_object_get_boolean_member (object, "stream"));
  /* Some servers reject stream_options on a request that does not stream. */
  g_assert_false (json_object_has_member (object, "stream_options"));
}

static void
assert_member_equals_json (JsonObject *object,
                           const char *member,
                           const char *json)
{
  g_autoptr(JsonNode) expected = parse_text (json);
  JsonNode *actual = json_object_get_member (object, member);

  g_assert_nonnull (actual);
  if (!json_node_equal (actual, expected))
    {
      g_autofree char *text = json_to_string (actual, FALSE);

      g_test_message ("“%s” is %s, expected %s", member, text, json);
    }
  g_assert_true (json_node_equal (actual, expected));
}

static void
test_json_passthrough (void)
{
  static const char tools[] =
    "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
    "\"description\":\"Current weather in a city\","
    "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
    "\"days\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":7}},"
    "\"required\":[\"city\"],\"additionalProperties\":false},\"strict\":true}}]";
  static const char response_format[] =
    "{ \"type\": \"json_schema\",\n  \"json_schema\": {\"name\": \"answer\", \"strict\": true,"
    " \"schema\": {\"type\": \"object\", \"properties\": {\"n\": {\"type\": \"number\"}},"
    " \"required\": [\"n\"]}}}";
  static const char tool_choice[] =
    "{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}";
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  add_message (request, CRIA_ROLE_USER, "Weather in Lisbon?");
  cria_chat_request_set_tools_json (request, tools);
  cria_chat_request_set_response_format_json (request, response_format);
  cria_chat_request_set_tool_choice_json (request, tool_choice);

  root = build_and_parse (request);
  object = json_node_get_object (root);
  assert_member_equals_json (object, "tools", tools);
  assert_member_equals_json (object, "response_format", response_format);
  assert_member_equals_json (object, "tool_choice", tool_choice);
}

static void
test_tool_choice_bare_word (void)
{
  static const char * const words[] = { "auto", "none", "required" };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
      g_autoptr(JsonNode) root = NULL;

      add_message (request, CRIA_ROLE_USER, "Hi");
      cria_chat_request_set_tools_json (request, "[]");
      cria_chat_request_set_tool_choice_json (request, words[i]);
      root = build_and_parse (request);
      g_assert_cmpstr (get_string (json_node_get_object (root), "tool_choice"), ==, words[i]);
    }

  /* Quoted, it is JSON already and stays the same string. */
  {
    g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
    g_autoptr(JsonNode) root = NULL;

    add_message (request, CRIA_ROLE_USER, "Hi");
    cria_chat_request_set_tool_choice_json (request, "\"auto\"");
    root = build_and_parse (request);
    g_assert_cmpstr (get_string (json_node_get_object (root), "tool_choice"), ==, "auto");
  }
}

static void
assert_invalid_json (const char *member,
                     const char *json)
{
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  add_message (request, CRIA_ROLE_USER, "Hi");
  if (g_str_equal (member, "tools"))
    cria_chat_request_set_tools_json (request, json);
  else if (g_str_equal (member, "tool_choice"))
    cria_chat_request_set_tool_choice_json (request, json);
  else
    cria_chat_request_set_response_format_json (request, json);

  g_test_message ("%s: %s", member, json);
  body = _cria_api_build_chat_body (request, &error);
  g_assert_null (body);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INVALID_REQUEST);
  /* The user must learn which setting is broken. */
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, member));
}

static void
test_invalid_json (void)
{
  assert_invalid_json ("tools", "[{\"type\":\"function\",\"function\":{\"name\":\"f\"}");
  assert_invalid_json ("tools", "auto");
  assert_invalid_json ("response_format", "{\"type\":json_object}");
  assert_invalid_json ("tool_choice", "Auto please");
  assert_invalid_json ("tool_choice", "{\"type\":");
}

static void
test_no_model (void)
{
  const char *models[] = { NULL, "" };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      g_autoptr(CriaChatRequest) request = cria_chat_request_new (models[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) body = NULL;

      add_message (request, CRIA_ROLE_USER, "Hi");
      body = _cria_api_build_chat_body (request, &error);
      g_assert_null (body);
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INVALID_REQUEST);
    }
}

static void
test_text_round_trip (void)
{
  static const char * const texts[] = {
    "Ol\xc3\xa1, \xe4\xb8\x96\xe7\x95\x8c! \xf0\x9f\xa6\x99\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x94\xac "
    "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xe2\x80\xae\xe2\x80\xa8\xe2\x80\xa9 e\xcc\x81",
    "She said \"hi\" and left a \\ backslash, a \\n that is not a newline, a '\n' and a \"\\\"\".",
    "Line one\nLine two\r\nTabbed\there\x01\x1f control \x7f end",
    "{\"looks\": \"like JSON\"}, </script><!-- -->",
    "",
  };
  g_autoptr(CriaChatRequest) request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(CriaChatMessage) with_image = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *parts;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    add_message (request, CRIA_ROLE_USER, texts[i]);
  with_image = cria_chat_message_new (CRIA_ROLE_USER, texts[1]);
  cria_chat_message_add_image_url (with_image, "data:image/png;base64,AAAA");
  cria_chat_request_add_message (request, with_image);
  cria_chat_request_set_stop (request, (const char * const []) { texts[2], texts[0], NULL });

  root = build_and_parse (request);
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpstr (get_string (get_message (object, i), "content"), ==, texts[i]);

  parts = json_object_get_array_member (get_message (object, G_N_ELEMENTS (texts)), "content");
  g_assert_cmpstr (get_string (json_array_get_object_element (parts, 0), "text"), ==, texts[1]);

  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "stop"), 0),
                   ==, texts[2]);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "stop"), 1),
                   ==, texts[0]);
}

static JsonObject *
build_embeddings (const char * const  *inputs,
                  gboolean             single,
                  CriaEmbeddingFormat  format,
                  JsonNode           **root_out)
{
  g_autoptr(GBytes) body = _cria_api_build_embeddings_body ("nomic-embed-text", inputs, single, format);

  *root_out = parse_bytes (body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root_out));

  return json_node_get_object (*root_out);
}

static void
test_embeddings_body (void)
{
  static const char * const one[] = { "The \"quick\" brown \xf0\x9f\xa6\x8a", NULL };
  static const char * const batch[] = { "first", "second\nline", "third", NULL };
  g_autoptr(JsonNode) single_root = NULL;
  g_autoptr(JsonNode) batch_root = NULL;
  g_autoptr(JsonNode) one_batch_root = NULL;
  JsonObject *object;
  JsonNode *input;
  JsonArray *array;

  object = build_embeddings (one, TRUE, CRIA_EMBEDDING_FORMAT_FLOAT, &single_root);
  g_assert_cmpstr (get_string (object, "model"), ==, "nomic-embed-text");
  g_assert_cmpstr (get_string (object, "input"), ==, one[0]);
  g_assert_cmpstr (get_string (object, "encoding_format"), ==, "float");

  object = build_embeddings (batch, FALSE, CRIA_EMBEDDING_FORMAT_BASE64, &batch_root);
  input = json_object_get_member (object, "input");
  g_assert_nonnull (input);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (input));
  array = json_node_get_array (input);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (json_array_get_string_element (array, i), ==, batch[i]);
  g_assert_cmpstr (get_string (object, "encoding_format"), ==, "base64");

  /* A batch of one is still a batch: the reply holds a list of one. */
  object = build_embeddings (one, FALSE, CRIA_EMBEDDING_FORMAT_FLOAT, &one_batch_root);
  input = json_object_get_member (object, "input");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (input));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (input)), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (input), 0), ==, one[0]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api-request/model-and-messages", test_model_and_messages);
  g_test_add_func ("/api-request/images", test_images);
  g_test_add_func ("/api-request/reasoning-never-sent", test_reasoning_never_sent);
  g_test_add_func ("/api-request/tool-calls", test_tool_calls);
  g_test_add_func ("/api-request/parameters-set", test_parameters_set);
  g_test_add_func ("/api-request/parameters-zero", test_parameters_zero);
  g_test_add_func ("/api-request/parameters-exponent", test_parameters_exponent);
  g_test_add_func ("/api-request/parameters-unset-absent", test_parameters_unset_absent);
  g_test_add_func ("/api-request/stream-options", test_stream_options);
  g_test_add_func ("/api-request/json-passthrough", test_json_passthrough);
  g_test_add_func ("/api-request/tool-choice-bare-word", test_tool_choice_bare_word);
  g_test_add_func ("/api-request/invalid-json", test_invalid_json);
  g_test_add_func ("/api-request/no-model", test_no_model);
  g_test_add_func ("/api-request/text-round-trip", test_text_round_trip);
  g_test_add_func ("/api-request/embeddings-body", test_embeddings_body);

  return g_test_run ();
}

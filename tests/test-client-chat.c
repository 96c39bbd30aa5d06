/* test-client-chat.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-api-error.h"
#include "cria-sse-parser.h"
#include "cria-test-util.h"

/* Past the cap on one line of an event stream. */
#define CRIA_TEST_ENDLESS_SIZE (CRIA_SSE_MAX_SIZE + 64 * 1024)

typedef CriaTestFixture Fixture;

static CriaFakeResponse *
expect_stream (Fixture    *f,
               const char *fixture)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  g_autofree char *path = g_build_filename ("streams", fixture, NULL);

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", path);

  return response;
}

static JsonObject *
parse_request_body (CriaFakeRequest *request,
                    JsonParser      *parser)
{
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_streams_answer (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", f->key, NULL);
  CriaFakeRequest *seen;
  JsonObject *body;
  const CriaUsage *usage;

  cria_fake_response_set_chunk_size (expect_stream (f, "openai-basic.sse"), 7);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Hello! How can I help you today?");
  g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, CRIA_FINISH_REASON_STOP);
  usage = cria_chat_reply_get_usage (reply);
  g_assert_nonnull (usage);
  g_assert_false (usage->estimated);
  g_assert_cmpint (usage->prompt_tokens, ==, 12);
  g_assert_cmpint (usage->completion_tokens, ==, 10);

  seen = cria_fake_server_get_last_request (f->server);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (seen->path, ==, "/v1/chat/completions");
  g_assert_cmpstr (soup_message_headers_get_one (seen->headers, "Authorization"), ==, authorization);
  g_assert_cmpstr (soup_message_headers_get_one (seen->headers, "Accept"), ==, "text/event-stream");
  body = parse_request_body (seen, parser);
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, "llama-3.1-8b");
  g_assert_true (json_object_get_boolean_member (body, "stream"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (body, "stream_options"),
                                                 "include_usage"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "messages")), ==, 2);
}

static void
count_cb (CriaChatReply *reply,
          const char    *text,
          guint         *count)
{
  /* Tokens must reach listeners while the answer is still streaming. */
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_STREAMING);
  (*count)++;
}

static void
test_tokens_arrive_live (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  guint n_content = 0;
  guint n_reasoning = 0;

  response = expect_stream (f, "ollama-reasoning.sse");
  cria_fake_response_set_chunk_size (response, 1);
  g_signal_connect (reply, "content-appended", G_CALLBACK (count_cb), &n_content);
  g_signal_connect (reply, "reasoning-appended", G_CALLBACK (count_cb), &n_reasoning);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_cmpstr (cria_chat_reply_get_reasoning (reply), ==, "Okay, the user says hi.");
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Hi there! 👋");
  g_assert_cmpuint (n_content, ==, 4);
  g_assert_cmpuint (n_reasoning, ==, 7);
  g_assert_cmpint (cria_chat_reply_get_thinking_time (reply), >, 0);
}

static void
test_reasoning_dialects (Fixture       *f,
                         gconstpointer  data)
{
  static const struct {
    const char *fixture;
    const char *reasoning;
    const char *content;
  } cases[] = {
    { "deepseek-reasoning-content.sse", "The user asks 2+2.", "2 + 2 = **4**" },
    { "ollama-reasoning.sse", "Okay, the user says hi.", "Hi there! 👋" },
    { "think-inline.sse", "The user wants a greeting.", "Hello, friend!" },
    { "openthinker.sse", "First, count the apples.", "There are **3** apples." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
      g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *reasoning = NULL;
      g_autofree char *content = NULL;

      cria_fake_response_set_chunk_size (expect_stream (f, cases[i].fixture), 3);
      g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
      reasoning = g_strstrip (g_strdup (cria_chat_reply_get_reasoning (reply)));
      content = g_strstrip (g_strdup (cria_chat_reply_get_content (reply)));
      g_assert_cmpstr (reasoning, ==, cases[i].reasoning);
      g_assert_cmpstr (content, ==, cases[i].content);
    }
}

static void
test_non_streaming (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", FALSE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  JsonObject *body;
  const char *completion =
    "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1764000000,\"model\":\"qwen3-8b\","
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"<think>\\nHmm.\\n</think>\\n\\nHello!\"},"
    "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":9,\"total_tokens\":16}}";

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json", completion, -1);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Hello!");
  g_assert_cmpstr (cria_chat_reply_get_reasoning (reply), ==, "\nHmm.\n");
  g_assert_cmpint (cria_chat_reply_get_usage (reply)->completion_tokens, ==, 9);
  g_assert_cmpstr (cria_chat_reply_get_model (reply), ==, "qwen3-8b");

  body = parse_request_body (cria_fake_server_get_last_request (f->server), parser);
  g_assert_false (json_object_get_boolean_member (body, "stream"));
  g_assert_false (json_object_has_member (body, "stream_options"));
}

static void
test_stream_answered_whole (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  /* A server that ignores "stream": true still gives an answer. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json; charset=utf-8",
                               "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Whole\"},"
                               "\"finish_reason\":\"stop\"}]}", -1);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Whole");
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
}

static void
test_usage_estimated (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Tell me something short", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  const CriaUsage *usage;

  expect_stream (f, "no-done.sse");
  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Short answer.");

  usage = cria_chat_reply_get_usage (reply);
  g_assert_nonnull (usage);
  g_assert_true (usage->estimated);
  g_assert_cmpint (usage->completion_tokens, >=, 3);
  g_assert_cmpint (usage->prompt_tokens, >=, 8);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
run_cancelled (Fixture          *f,
               CriaFakeResponse *response,
               guint             cancel_after_msec,
               CriaChatReply    *reply)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  g_timeout_add (cancel_after_msec, cancel_cb, cancellable);
  g_assert_false (cria_test_chat (f->client, request, reply, cancellable, &error));
  cancelled_at = g_get_monotonic_time ();
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_STOPPED);

  /* The request really ended: the server sees its client go away. */
  while (cria_fake_server_get_n_client_disconnects (f->server) == 0 &&
         g_get_monotonic_time () - cancelled_at < 5 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cria_fake_server_get_n_client_disconnects (f->server), ==, 1);
}

static void
test_cancel_before_headers (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");
  gint64 start = g_get_monotonic_time ();

  cria_fake_response_set_headers_delay (response, 5000);
  run_cancelled (f, response, 100, reply);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "");
}

static void
test_cancel_before_first_token (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");
  gint64 start = g_get_monotonic_time ();

  /* Headers go out, then nothing: a model still loading. */
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);
  run_cancelled (f, response, 200, reply);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "");
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_STOPPED);
}

static void
cancel_on_content_cb (CriaChatReply *reply,
                      const char    *text,
                      GCancellable  *cancellable)
{
  if (strlen (cria_chat_reply_get_content (reply)) >= 6)
    g_cancellable_cancel (cancellable);
}

static void
test_cancel_mid_stream (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");
  const char *full = "Hello! How can I help you today?";
  const char *content;

  cria_fake_response_set_chunk_size (response, 20);
  cria_fake_response_set_chunk_delay (response, 10);
  g_signal_connect (reply, "content-appended", G_CALLBACK (cancel_on_content_cb), cancellable);

  g_assert_false (cria_test_chat (f->client, request, reply, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_STOPPED);

  /* The partial answer stays, and nothing after the stop was added. */
  content = cria_chat_reply_get_content (reply);
  g_assert_true (g_str_has_prefix (full, content));
  g_assert_cmpuint (strlen (content), >=, 6);
  g_assert_cmpuint (strlen (content), <, strlen (full));

  /* A new request can go out right away. */
  {
    g_autoptr(CriaChatRequest) again = cria_test_request_new ("Hi", TRUE);
    g_autoptr(CriaChatReply) reply2 = cria_chat_reply_new ();

    expect_stream (f, "openai-basic.sse");
    g_assert_true (cria_test_chat (f->client, again, reply2, NULL, NULL));
    g_assert_cmpstr (cria_chat_reply_get_content (reply2), ==, full);
  }
}

static void
test_cancel_mid_token (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");

  /* Cancelled while a chunk has only half arrived. */
  cria_fake_response_set_chunk_size (response, 1);
  cria_fake_response_set_chunk_delay (response, 2);
  run_cancelled (f, response, 300, reply);
  g_assert_true (g_str_has_prefix ("Hello! How can I help you today?", cria_chat_reply_get_content (reply)));
}

static void
test_drop_mid_stream (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = expect_stream (f, "deepseek-reasoning-content.sse");

  cria_fake_response_set_chunk_size (response, 64);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, 2300);

  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INTERRUPTED);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_error ((GError *) cria_chat_reply_get_error (reply), CRIA_API_ERROR, CRIA_API_ERROR_INTERRUPTED);

  /* What arrived is kept: the reasoning at least, maybe part of the answer. */
  g_assert_true (g_str_has_prefix ("The user asks 2+2.", cria_chat_reply_get_reasoning (reply)));
  g_assert_cmpuint (strlen (cria_chat_reply_get_reasoning (reply)), >, 0);
  g_assert_true (g_str_has_prefix ("2 + 2 = **4**", cria_chat_reply_get_content (reply)));

  /* No automatic retry of a request that already streamed. */
  g_assert_cmpuint (cria_fake_server_get_requests (f->server)->len, ==, 1);
}

static void
test_idle_timeout (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");

  cria_client_set_idle_timeout (f->client, 300);
  cria_fake_response_set_chunk_size (response, 300);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 600);

  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_TIMEOUT);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), !=, "");
}

static void
test_slow_answer_not_capped (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");
  gint64 start = g_get_monotonic_time ();

  /* Chunks 120 ms apart for well over the idle timeout in total: a long
   * answer that keeps coming is never cut. */
  cria_client_set_idle_timeout (f->client, 400);
  cria_fake_response_set_chunk_size (response, 150);
  cria_fake_response_set_chunk_delay (response, 120);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_get_monotonic_time () - start, >, 800 * 1000);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Hello! How can I help you today?");
}

static void
test_no_answer_in_time (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = expect_stream (f, "openai-basic.sse");

  cria_client_set_idle_timeout (f->client, 300);
  cria_fake_response_set_headers_delay (response, 3000);

  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_TIMEOUT);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
}

static void
test_error_mid_stream (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;

  expect_stream (f, "error-midstream.sse");
  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "Provider returned error");
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Partial answer");
}

static void
test_empty_stream (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

  /* Nothing but keep-alives: never a silent empty answer. */
  cria_fake_response_set_body (response, "text/event-stream", ": PROCESSING\n\n", -1);
  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
}

static void
test_tool_calls (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Weather in Paris?", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  CriaToolCall *call;

  cria_chat_request_set_tools_json (request,
                                    "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                                    "\"parameters\":{\"type\":\"object\",\"properties\":{\"location\":{\"type\":\"string\"}}}}}]");
  cria_chat_request_set_tool_choice_json (request, "auto");
  cria_fake_response_set_chunk_size (expect_stream (f, "tool-calls.sse"), 5);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, CRIA_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpuint (cria_chat_reply_get_tool_calls (reply)->len, ==, 2);
  call = g_ptr_array_index (cria_chat_reply_get_tool_calls (reply), 0);
  g_assert_cmpstr (call->name, ==, "get_weather");
  g_assert_cmpstr (call->arguments, ==, "{\"location\": \"Paris\"}");

  body = parse_request_body (cria_fake_server_get_last_request (f->server), parser);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "tools")), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (body, "tool_choice"), ==, "auto");
}

static void
test_reasoning_not_sent_back (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("First question", TRUE);
  g_autoptr(CriaChatMessage) answer = cria_chat_message_new (CRIA_ROLE_ASSISTANT, "First answer");
  g_autoptr(CriaChatMessage) follow_up = cria_chat_message_new (CRIA_ROLE_USER, "And then?");
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaFakeRequest *seen;

  cria_chat_message_set_reasoning (answer, "SECRET-CHAIN-OF-THOUGHT");
  cria_chat_request_add_message (request, answer);
  cria_chat_request_add_message (request, follow_up);
  expect_stream (f, "openai-basic.sse");

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, NULL));
  seen = cria_fake_server_get_last_request (f->server);
  g_assert_null (g_strstr_len (g_bytes_get_data (seen->body, NULL), g_bytes_get_size (seen->body),
                               "SECRET-CHAIN-OF-THOUGHT"));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (seen->body, NULL), g_bytes_get_size (seen->body),
                                  "First answer"));
}

static void
test_cut_stream_interrupted (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const bodies[] = {
    /* Closed cleanly after whole events, with no finish reason or [DONE]. */
    NULL,
    /* Closed cleanly in the middle of a JSON chunk. */
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Short\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" answer.\"}}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"con",
    /* Closed in the middle of a line that is not data yet. */
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Short answer.\"}}]}\n\nda",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
      g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
      g_autoptr(GError) error = NULL;
      CriaFakeResponse *response;

      if (bodies[i] == NULL)
        response = expect_stream (f, "cut-cleanly.sse");
      else
        {
          response = cria_fake_server_expect (f->server, "/v1/chat/completions");
          cria_fake_response_set_body (response, "text/event-stream", bodies[i], -1);
        }
      cria_fake_response_set_chunk_size (response, 5);

      g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INTERRUPTED);
      g_assert_nonnull (strstr (error->message, "before the answer was complete"));
      g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
      g_assert_error ((GError *) cria_chat_reply_get_error (reply), CRIA_API_ERROR, CRIA_API_ERROR_INTERRUPTED);
      g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Short answer.");
      g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, CRIA_FINISH_REASON_NONE);
    }
}

static void
test_finish_without_done_complete (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;

  /* A finish reason with no [DONE] after it is a whole answer. */
  cria_fake_response_set_chunk_size (expect_stream (f, "no-done.sse"), 3);
  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
  g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, CRIA_FINISH_REASON_STOP);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Short answer.");
}

static void
test_error_in_200 (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    gboolean    stream;
    const char *content_type;
    const char *body;
  } shapes[] = {
    /* OpenRouter: a non-streamed 200 whose body is an error. */
    { FALSE, "application/json",
      "{\"error\":{\"message\":\"Upstream provider failed\",\"code\":\"provider_error\"},\"user_id\":\"u1\"}" },
    /* The same when a stream was asked for. */
    { TRUE, "application/json",
      "{\"error\":{\"message\":\"Upstream provider failed\",\"code\":\"provider_error\"}}" },
    /* And under an event-stream type, with no event at all. */
    { TRUE, "text/event-stream",
      "{\"error\":{\"message\":\"Upstream provider failed\",\"code\":\"provider_error\"}}\n" },
    /* llama.cpp before 2025: its own error line, then [DONE]. */
    { TRUE, "text/event-stream",
      "error: {\"code\":500,\"message\":\"Upstream provider failed\",\"type\":\"server_error\"}\n\ndata: [DONE]\n\n" },
    /* A whole event whose JSON is an error with a string message. */
    { TRUE, "text/event-stream", "data: {\"error\":\"Upstream provider failed\"}\n\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", shapes[i].stream);
      g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
      g_autoptr(GError) error = NULL;
      CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

      cria_fake_response_set_body (response, shapes[i].content_type, shapes[i].body, -1);
      g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
      g_assert_nonnull (error);
      g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "Upstream provider failed");
      g_assert_nonnull (strstr (error->message, "Upstream provider failed"));
      g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_FAILED);
      g_assert_nonnull (strstr (cria_chat_reply_get_error (reply)->message, "Upstream provider failed"));
    }
}

static void
test_error_after_text (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

  cria_fake_response_set_body (response, "text/event-stream",
                               "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Begun\"}}]}\n\n"
                               "error: {\"code\":500,\"message\":\"slot crashed\",\"type\":\"server_error\"}\n\n"
                               "data: [DONE]\n\n", -1);
  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "slot crashed");
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Begun");
}

static void
test_whole_message_parts_and_tools (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", FALSE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaChatRequest) request2 = cria_test_request_new ("Weather?", FALSE);
  g_autoptr(CriaChatReply) reply2 = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  CriaToolCall *call;

  /* Magistral, non-streamed: thinking parts are reasoning. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json",
                               "{\"model\":\"magistral-small-2509\",\"choices\":[{\"index\":0,\"finish_reason\":\"stop\","
                               "\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":"
                               "[{\"type\":\"text\",\"text\":\"Two and two.\"}]},{\"type\":\"text\",\"text\":\"4\"}]}}]}", -1);
  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (cria_chat_reply_get_reasoning (reply), ==, "Two and two.");
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "4");

  /* An answer that is only a tool call is complete, not empty. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json",
                               "{\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":\"assistant\","
                               "\"content\":null,\"tool_calls\":[{\"id\":\"call_9\",\"type\":\"function\",\"function\":"
                               "{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]}}]}", -1);
  g_assert_true (cria_test_chat (f->client, request2, reply2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cria_chat_reply_get_state (reply2), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
  g_assert_cmpint (cria_chat_reply_get_finish_reason (reply2), ==, CRIA_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpuint (cria_chat_reply_get_tool_calls (reply2)->len, ==, 1);
  call = g_ptr_array_index (cria_chat_reply_get_tool_calls (reply2), 0);
  g_assert_cmpstr (call->id, ==, "call_9");
  g_assert_cmpstr (call->name, ==, "get_weather");
  g_assert_cmpstr (call->arguments, ==, "{\"city\":\"Oslo\"}");
}

static void
test_surrogates_split_by_javascript (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) stream = g_string_new (NULL);
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree gunichar2 *units = NULL;
  glong n_units = 0;
  CriaFakeResponse *response;

  for (guint i = 0; i < 20; i++)
    g_string_append (text, "Hello 👋 world 🌍, emoji 😀 and 🎉 again 𝄞. ");
  units = g_utf8_to_utf16 (text->str, -1, NULL, &n_units, NULL);

  /* Each JSON string holds exactly one UTF-16 code unit, as a JavaScript
   * server slicing by code unit sends it, and the body trickles in. */
  for (glong i = 0; i < n_units; i++)
    g_string_append_printf (stream, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u%04x\"}}]}\n\n", units[i]);
  g_string_append (stream, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud83d\"}}]}\n\n"
                           "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\udc4b\\udc4b\"},\"finish_reason\":\"stop\"}]}\n\n"
                           "data: [DONE]\n\n");

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", stream->str, (gssize) stream->len);
  cria_fake_response_set_chunk_size (response, 61);

  g_assert_true (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_no_error (error);
  /* Every character whole, and a second low half with no high one a U+FFFD. */
  g_string_append (text, "👋\xEF\xBF\xBD");
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, text->str);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_COMPLETE);
}

static void
test_endless_line_fails (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CriaChatRequest) request = cria_test_request_new ("Hi", TRUE);
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *filler = g_strnfill (CRIA_TEST_ENDLESS_SIZE, 'a');
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

  /* One data line that never ends: the answer stops with what came first. */
  cria_fake_response_append_piece (response, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Kept\"}}]}\n\n", -1);
  cria_fake_response_append_piece (response, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"", -1);
  cria_fake_response_append_piece (response, filler, -1);
  g_assert_false (cria_test_chat (f->client, request, reply, NULL, &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "without a break"));
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Kept");
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/client-chat/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("streams-answer", test_streams_answer);
  ADD ("tokens-arrive-live", test_tokens_arrive_live);
  ADD ("reasoning-dialects", test_reasoning_dialects);
  ADD ("non-streaming", test_non_streaming);
  ADD ("stream-answered-whole", test_stream_answered_whole);
  ADD ("usage-estimated", test_usage_estimated);
  ADD ("cancel-before-headers", test_cancel_before_headers);
  ADD ("cancel-before-first-token", test_cancel_before_first_token);
  ADD ("cancel-mid-stream", test_cancel_mid_stream);
  ADD ("cancel-mid-token", test_cancel_mid_token);
  ADD ("drop-mid-stream", test_drop_mid_stream);
  ADD ("idle-timeout", test_idle_timeout);
  ADD ("slow-answer-not-capped", test_slow_answer_not_capped);
  ADD ("no-answer-in-time", test_no_answer_in_time);
  ADD ("error-mid-stream", test_error_mid_stream);
  ADD ("empty-stream", test_empty_stream);
  ADD ("tool-calls", test_tool_calls);
  ADD ("reasoning-not-sent-back", test_reasoning_not_sent_back);
  ADD ("cut-stream-interrupted", test_cut_stream_interrupted);
  ADD ("finish-without-done-complete", test_finish_without_done_complete);
  ADD ("error-in-200", test_error_in_200);
  ADD ("error-after-text", test_error_after_text);
  ADD ("whole-message-parts-and-tools", test_whole_message_parts_and_tools);
  ADD ("surrogates-split-by-javascript", test_surrogates_split_by_javascript);
  ADD ("endless-line-fails", test_endless_line_fails);

#undef ADD

  return g_test_run ();
}

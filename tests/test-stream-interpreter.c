/* test-stream-interpreter.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-chat-reply-private.h"
#include "cria-sse-parser.h"
#include "cria-stream-interpreter.h"

/* What a listener that renders incrementally would show: it appends what the
 * signals hand over and starts again on ::content-reset. It must always end
 * up equal to the reply's own text. */
typedef struct
{
  GString *content;
  GString *reasoning;
  guint    n_resets;
} Mirror;

static void
content_appended_cb (CriaChatReply *reply,
                     const char    *text,
                     Mirror        *mirror)
{
  g_string_append (mirror->content, text);
}

static void
reasoning_appended_cb (CriaChatReply *reply,
                       const char    *text,
                       Mirror        *mirror)
{
  g_string_append (mirror->reasoning, text);
}

static void
content_reset_cb (CriaChatReply *reply,
                  Mirror        *mirror)
{
  g_string_truncate (mirror->content, 0);
  mirror->n_resets++;
}

typedef struct
{
  CriaChatReply *reply;
  gboolean       saw_done;
  gboolean       saw_finish;
  GError        *error;
  guint          n_resets;
} Outcome;

static void
outcome_clear (Outcome *outcome)
{
  g_clear_object (&outcome->reply);
  g_clear_error (&outcome->error);
}

/* Feeds @data in pieces of the sizes @next_size picks. */
static void
interpret (const char *data,
           gsize       len,
           guint     (*next_size) (gpointer),
           gpointer    size_data,
           Outcome    *outcome)
{
  CriaStreamInterpreter *interpreter;
  Mirror mirror = { g_string_new (NULL), g_string_new (NULL), 0 };
  gsize offset = 0;

  outcome->reply = cria_chat_reply_new ();
  g_signal_connect (outcome->reply, "content-appended", G_CALLBACK (content_appended_cb), &mirror);
  g_signal_connect (outcome->reply, "reasoning-appended", G_CALLBACK (reasoning_appended_cb), &mirror);
  g_signal_connect (outcome->reply, "content-reset", G_CALLBACK (content_reset_cb), &mirror);
  _cria_chat_reply_begin (outcome->reply);

  interpreter = cria_stream_interpreter_new (outcome->reply);
  while (offset < len)
    {
      /* MIN() evaluates its arguments twice: draw the size once. */
      gsize size = next_size (size_data);
      gsize n = MIN (len - offset, size);

      if (!cria_stream_interpreter_feed (interpreter, data + offset, n))
        break;
      offset += n;
    }
  cria_stream_interpreter_end (interpreter);

  outcome->saw_done = cria_stream_interpreter_saw_done (interpreter);
  outcome->saw_finish = cria_stream_interpreter_saw_finish (interpreter);
  if (cria_stream_interpreter_get_error (interpreter) != NULL)
    outcome->error = g_error_copy (cria_stream_interpreter_get_error (interpreter));
  outcome->n_resets = mirror.n_resets;
  cria_stream_interpreter_free (interpreter);

  g_assert_cmpstr (mirror.content->str, ==, cria_chat_reply_get_content (outcome->reply));
  g_assert_cmpstr (mirror.reasoning->str, ==, cria_chat_reply_get_reasoning (outcome->reply));
  g_string_free (mirror.content, TRUE);
  g_string_free (mirror.reasoning, TRUE);
}

static guint
size_all (gpointer data)
{
  return G_MAXUINT;
}

static guint
size_one (gpointer data)
{
  return 1;
}

static guint
size_random (gpointer data)
{
  return g_rand_int_range (data, 1, 64);
}

static guint
size_16k (gpointer data)
{
  return 16 * 1024;
}

static char *
load_fixture (const char *name,
              gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "streams", name, NULL);
  g_autoptr(GError) error = NULL;
  char *data = NULL;

  g_file_get_contents (path, &data, len, &error);
  g_assert_no_error (error);

  return data;
}

static char *
stripped (const char *text)
{
  return g_strstrip (g_strdup (text));
}

typedef struct
{
  const char       *fixture;
  const char       *content;
  const char       *reasoning;
  CriaFinishReason  finish;
  gint64            prompt_tokens;   /* -1: no usage sent */
  gint64            completion_tokens;
  gboolean          done;
  int               error_code;      /* -1: none */
} StreamCase;

static const StreamCase cases[] = {
  { "openai-basic.sse", "Hello! How can I help you today?", "", CRIA_FINISH_REASON_STOP, 12, 10, TRUE, -1 },
  { "crlf.sse", "Hello! How can I help you today?", "", CRIA_FINISH_REASON_STOP, 12, 10, TRUE, -1 },
  { "ollama-reasoning.sse", "Hi there! 👋", "Okay, the user says hi.", CRIA_FINISH_REASON_STOP, 9, 15, TRUE, -1 },
  { "deepseek-reasoning-content.sse", "2 + 2 = **4**", "The user asks 2+2.", CRIA_FINISH_REASON_STOP, 14, 23, TRUE, -1 },
  { "vllm-reasoning.sse", "Paris is the capital.", "Let me think.", CRIA_FINISH_REASON_STOP, 20, 9, TRUE, -1 },
  { "think-inline.sse", "Hello, friend!", "The user wants a greeting.", CRIA_FINISH_REASON_STOP, -1, 0, TRUE, -1 },
  { "think-orphan.sse", "Hello! 😊", "Okay, so the user greets me.", CRIA_FINISH_REASON_STOP, 6, 21, TRUE, -1 },
  { "openthinker.sse", "There are **3** apples.", "First, count the apples.", CRIA_FINISH_REASON_STOP, -1, 0, TRUE, -1 },
  { "openrouter.sse", "Done.", "Thinking hard", CRIA_FINISH_REASON_STOP, 10, 6, TRUE, -1 },
  { "llamacpp.sse", "Sure, here it is.", "", CRIA_FINISH_REASON_STOP, 17, 6, TRUE, -1 },
  { "usage-every-chunk.sse", "One two three", "", CRIA_FINISH_REASON_STOP, 5, 3, TRUE, -1 },
  { "no-done.sse", "Short answer.", "", CRIA_FINISH_REASON_STOP, -1, 0, FALSE, -1 },
  { "cut-cleanly.sse", "Short answer.", "", CRIA_FINISH_REASON_NONE, -1, 0, FALSE, -1 },
  { "content-null.sse", "AB", "", CRIA_FINISH_REASON_LENGTH, -1, 0, TRUE, -1 },
  { "error-midstream.sse", "Partial answer", "", CRIA_FINISH_REASON_OTHER, -1, 0, FALSE, CRIA_API_ERROR_SERVER_UNAVAILABLE },
  { "tool-calls.sse", "", "", CRIA_FINISH_REASON_TOOL_CALLS, 80, 30, TRUE, -1 },
};

static void
check_case (const StreamCase *c,
            Outcome          *outcome)
{
  g_autofree char *content = stripped (cria_chat_reply_get_content (outcome->reply));
  g_autofree char *reasoning = stripped (cria_chat_reply_get_reasoning (outcome->reply));
  const CriaUsage *usage = cria_chat_reply_get_usage (outcome->reply);

  g_assert_cmpstr (content, ==, c->content);
  g_assert_cmpstr (reasoning, ==, c->reasoning);
  g_assert_cmpint (cria_chat_reply_get_finish_reason (outcome->reply), ==, c->finish);
  g_assert_cmpint (outcome->saw_done, ==, c->done);

  if (c->prompt_tokens < 0)
    g_assert_null (usage);
  else
    {
      g_assert_nonnull (usage);
      g_assert_false (usage->estimated);
      g_assert_cmpint (usage->prompt_tokens, ==, c->prompt_tokens);
      g_assert_cmpint (usage->completion_tokens, ==, c->completion_tokens);
    }

  if (c->error_code < 0)
    g_assert_no_error (outcome->error);
  else
    g_assert_error (outcome->error, CRIA_API_ERROR, c->error_code);

  /* The answer never starts with the blank lines that followed a think tag. */
  g_assert_false (g_ascii_isspace (cria_chat_reply_get_content (outcome->reply)[0]));
}

static void
test_fixture (gconstpointer data)
{
  const StreamCase *c = data;
  g_autofree char *stream = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  Outcome whole = { 0, };
  Outcome bytewise = { 0, };
  Outcome random = { 0, };
  gsize len;

  stream = load_fixture (c->fixture, &len);

  interpret (stream, len, size_all, NULL, &whole);
  check_case (c, &whole);

  /* Bytes can arrive split anywhere: one at a time, or at random places,
   * the user sees exactly the same answer. */
  interpret (stream, len, size_one, NULL, &bytewise);
  check_case (c, &bytewise);
  g_assert_cmpstr (cria_chat_reply_get_content (bytewise.reply), ==, cria_chat_reply_get_content (whole.reply));
  g_assert_cmpstr (cria_chat_reply_get_reasoning (bytewise.reply), ==, cria_chat_reply_get_reasoning (whole.reply));

  for (guint i = 0; i < 20; i++)
    {
      interpret (stream, len, size_random, rand, &random);
      check_case (c, &random);
      g_assert_cmpstr (cria_chat_reply_get_content (random.reply), ==, cria_chat_reply_get_content (whole.reply));
      g_assert_cmpstr (cria_chat_reply_get_reasoning (random.reply), ==, cria_chat_reply_get_reasoning (whole.reply));
      outcome_clear (&random);
    }

  outcome_clear (&whole);
  outcome_clear (&bytewise);
}

static void
test_orphan_close_resets_content (void)
{
  g_autofree char *stream = NULL;
  Outcome outcome = { 0, };
  gsize len;

  /* Text shown as the answer before the orphan </think> moves to the
   * reasoning, and listeners are told once to start over. */
  stream = load_fixture ("think-orphan.sse", &len);
  interpret (stream, len, size_all, NULL, &outcome);
  g_assert_cmpuint (outcome.n_resets, ==, 1);
  g_assert_null (strstr (cria_chat_reply_get_content (outcome.reply), "</think>"));
  g_assert_null (strstr (cria_chat_reply_get_reasoning (outcome.reply), "</think>"));
  outcome_clear (&outcome);
}

static void
test_tool_calls_merged (void)
{
  g_autofree char *stream = NULL;
  Outcome outcome = { 0, };
  GPtrArray *calls;
  CriaToolCall *call;
  gsize len;

  stream = load_fixture ("tool-calls.sse", &len);
  interpret (stream, len, size_one, NULL, &outcome);

  calls = cria_chat_reply_get_tool_calls (outcome.reply);
  g_assert_cmpuint (calls->len, ==, 2);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpint (call->index, ==, 0);
  g_assert_cmpstr (call->id, ==, "call_a1");
  g_assert_cmpstr (call->type, ==, "function");
  g_assert_cmpstr (call->name, ==, "get_weather");
  g_assert_cmpstr (call->arguments, ==, "{\"location\": \"Paris\"}");
  call = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (call->id, ==, "call_b2");
  g_assert_cmpstr (call->name, ==, "get_time");
  g_assert_cmpstr (call->arguments, ==, "{\"tz\":\"CET\"}");
  outcome_clear (&outcome);
}

static void
test_error_midstream_stops (void)
{
  g_autofree char *stream = NULL;
  Outcome outcome = { 0, };
  gsize len;

  stream = load_fixture ("error-midstream.sse", &len);
  interpret (stream, len, size_all, NULL, &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, "Provider returned error");
  g_assert_nonnull (strstr (outcome.error->message, "Provider returned error"));
  /* Nothing after the error reaches the answer. */
  g_assert_null (strstr (cria_chat_reply_get_content (outcome.reply), "never shown"));
  outcome_clear (&outcome);
}

static void
interpret_text (const char *text,
                Outcome    *outcome)
{
  interpret (text, strlen (text), size_all, NULL, outcome);
}

static void
test_unterminated_last_event (void)
{
  Outcome outcome = { 0, };

  /* A last event whose JSON is whole is used even without its blank line. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" there\"}}]}",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Hi there");
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);

  /* A cut-off last event is dropped; what came before stays. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"cont",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Hi");
  g_assert_false (outcome.saw_finish);
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);
}

static void
test_bad_chunk_skipped (void)
{
  Outcome outcome = { 0, };

  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n"
                  "data: {not json at all\n\n"
                  "data: [1, 2, 3]\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":42}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"}}]}\n\n"
                  "data: [DONE]\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "AB");
  g_assert_true (outcome.saw_done);
  outcome_clear (&outcome);
}

static void
test_error_event_type (void)
{
  Outcome outcome = { 0, };

  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n"
                  "event: error\ndata: {\"error\":{\"message\":\"Overloaded\",\"code\":503}}\n\n",
                  &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, "Overloaded");
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "A");
  outcome_clear (&outcome);

  /* Ollama's error shape, mid-stream. */
  interpret_text ("data: {\"error\":{\"message\":\"model runner crashed\",\"type\":\"api_error\",\"param\":null,\"code\":null}}\n\n",
                  &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, "model runner crashed");
  outcome_clear (&outcome);
}

static void
test_other_event_types_ignored (void)
{
  Outcome outcome = { 0, };

  interpret_text ("event: ping\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"X\"}}]}\n\n"
                  ": keep-alive\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Y\"}}]}\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Y");
  outcome_clear (&outcome);
}

static void
test_done_ends_stream (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaStreamInterpreter *interpreter;
  const char *first = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n";
  const char *done = "data: [DONE]\n\n";
  const char *after = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"B\"}}]}\n\n";

  _cria_chat_reply_begin (reply);
  interpreter = cria_stream_interpreter_new (reply);
  g_assert_true (cria_stream_interpreter_feed (interpreter, first, strlen (first)));
  g_assert_false (cria_stream_interpreter_feed (interpreter, done, strlen (done)));
  g_assert_false (cria_stream_interpreter_feed (interpreter, after, strlen (after)));
  cria_stream_interpreter_end (interpreter);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "A");
  cria_stream_interpreter_free (interpreter);
}

static void
test_content_parts_and_choice_index (void)
{
  Outcome outcome = { 0, };

  /* Content as an array of parts, and a second choice that is not shown. */
  interpret_text ("data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},"
                  "{\"index\":0,\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"Hel\"},{\"type\":\"text\",\"text\":\"lo\"}]}}]}\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Hello");
  outcome_clear (&outcome);
}

static void
test_llamacpp_error_line (void)
{
  Outcome outcome = { 0, };

  /* llama.cpp before 2025: a non-standard "error:" field, then [DONE]. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Par\"}}]}\n\n"
                  "error: {\"code\":500,\"message\":\"the request exceeds the available context size\",\"type\":\"server_error\"}\n\n"
                  "data: [DONE]\n\n",
                  &outcome);
  g_assert_nonnull (outcome.error);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==,
                   "the request exceeds the available context size");
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Par");
  g_assert_false (outcome.saw_done);
  outcome_clear (&outcome);

  interpret_text ("error: {\"code\":400,\"message\":\"Invalid grammar\",\"type\":\"invalid_request_error\"}\n\n"
                  "data: [DONE]\n\n",
                  &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_BAD_REQUEST);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, "Invalid grammar");
  outcome_clear (&outcome);
}

static void
test_error_shapes (void)
{
  static const struct {
    const char *event;
    const char *message;
  } shapes[] = {
    /* OpenRouter: an object with metadata, and the provider's words. */
    { "{\"error\":{\"message\":\"Provider returned error\",\"code\":\"provider_error\",\"type\":\"x\","
      "\"metadata\":{\"raw\":\"upstream timed out\"}}}", "Provider returned error: upstream timed out" },
    /* Ollama: a plain string. */
    { "{\"error\":\"model runner has unexpectedly stopped\"}", "model runner has unexpectedly stopped" },
    /* An error inside a chunk that also has choices. */
    { "{\"id\":\"gen-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}],"
      "\"error\":{\"message\":\"Rate limit exceeded upstream\",\"code\":429}}", "Rate limit exceeded upstream" },
    /* vLLM: the error object at the top. */
    { "{\"object\":\"error\",\"message\":\"out of KV cache\",\"type\":\"InternalServerError\",\"code\":500}",
      "out of KV cache" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      Outcome outcome = { 0, };
      g_autofree char *text = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                                               "data: %s\n\n", shapes[i].event);

      interpret_text (text, &outcome);
      g_assert_nonnull (outcome.error);
      g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, shapes[i].message);
      g_assert_nonnull (strstr (outcome.error->message, shapes[i].message));
      g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Hi");
      outcome_clear (&outcome);
    }
}

static void
test_plain_json_error_body (void)
{
  Outcome outcome = { 0, };

  /* A 200 under text/event-stream whose body is only an error object. */
  interpret_text ("{\"error\":{\"message\":\"No endpoints found for this model\",\"code\":404}}", &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_MODEL_NOT_FOUND);
  g_assert_cmpstr (cria_api_error_get_server_message (outcome.error), ==, "No endpoints found for this model");
  outcome_clear (&outcome);
}

static void
test_finish_reasons_reported (void)
{
  Outcome outcome = { 0, };

  /* Azure: a first chunk with no choices and prompt_filter_results, and
   * content_filter_results beside each delta. */
  interpret_text ("data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\","
                  "\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}}}]}\n\n"
                  "data: {\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":false,\"severity\":\"safe\"}},"
                  "\"delta\":{\"content\":\"Part\"},\"finish_reason\":null,\"index\":0}],\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}\n\n"
                  "data: {\"choices\":[{\"content_filter_results\":{\"hate\":{\"filtered\":true,\"severity\":\"high\"}},"
                  "\"delta\":{},\"finish_reason\":\"content_filter\",\"index\":0}],\"model\":\"gpt-4o-2024-08-06\",\"object\":\"chat.completion.chunk\"}\n\n"
                  "data: [DONE]\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Part");
  g_assert_cmpint (cria_chat_reply_get_finish_reason (outcome.reply), ==, CRIA_FINISH_REASON_CONTENT_FILTER);
  g_assert_cmpstr (cria_chat_reply_get_model (outcome.reply), ==, "gpt-4o-2024-08-06");
  g_assert_no_error (outcome.error);
  outcome_clear (&outcome);

  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Long\"},\"finish_reason\":\"length\"}]}\n\n",
                  &outcome);
  g_assert_cmpint (cria_chat_reply_get_finish_reason (outcome.reply), ==, CRIA_FINISH_REASON_LENGTH);
  g_assert_true (outcome.saw_finish);
  outcome_clear (&outcome);
}

static void
test_thinking_parts (void)
{
  Outcome outcome = { 0, };

  /* Mistral's Magistral: content as parts, thinking parts holding parts. */
  interpret_text ("data: {\"model\":\"magistral-medium-2509\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
                  "[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"Let me \"}]}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                  "[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"think.\"}]}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}},"
                  "{\"type\":\"text\",\"text\":\"The answer\"}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" is 4.\"},\"finish_reason\":\"stop\"}]}\n\n"
                  "data: [DONE]\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_reasoning (outcome.reply), ==, "Let me think.");
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "The answer is 4.");
  outcome_clear (&outcome);
}

/* A chunk whose content is one JSON string of exactly @unit. */
static void
append_unit_chunk (GString    *stream,
                   const char *member,
                   guint       unit)
{
  if (unit < 0x80 && unit != '"' && unit != '\\')
    g_string_append_printf (stream, "data: {\"choices\":[{\"index\":0,\"delta\":{\"%s\":\"%c\"}}]}\n\n",
                            member, (char) unit);
  else
    g_string_append_printf (stream, "data: {\"choices\":[{\"index\":0,\"delta\":{\"%s\":\"\\u%04x\"}}]}\n\n",
                            member, unit);
}

static void
test_split_surrogates (void)
{
  const char *text = "Hi 👋 there 🎉! Ünïcödé 𝄞 and 😀😃 end.";
  g_autoptr(GString) stream = g_string_new (NULL);
  glong n_units = 0;
  g_autofree gunichar2 *units = g_utf8_to_utf16 (text, -1, NULL, &n_units, NULL);
  Outcome outcome = { 0, };

  /* A JavaScript server slicing by code unit: every string holds one. */
  for (glong i = 0; i < n_units; i++)
    append_unit_chunk (stream, "content", units[i]);
  for (glong i = 0; i < n_units; i++)
    append_unit_chunk (stream, "reasoning_content", units[i]);
  g_string_append (stream, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");

  interpret (stream->str, stream->len, size_one, NULL, &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, text);
  g_assert_cmpstr (cria_chat_reply_get_reasoning (outcome.reply), ==, text);
  outcome_clear (&outcome);

  /* Halves inside tool-call arguments, two calls interleaved. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"say\",\"arguments\":\"{\\\"t\\\":\\\"\\ud83d\"}}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"say\",\"arguments\":\"\\ud83c\"}}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\udc4b\\\"}\"}}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":\"\\udf89\"}}]}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
                  &outcome);
  {
    GPtrArray *calls = cria_chat_reply_get_tool_calls (outcome.reply);

    g_assert_cmpuint (calls->len, ==, 2);
    g_assert_cmpstr (((CriaToolCall *) g_ptr_array_index (calls, 0))->arguments, ==, "{\"t\":\"👋\"}");
    g_assert_cmpstr (((CriaToolCall *) g_ptr_array_index (calls, 1))->arguments, ==, "🎉");
  }
  outcome_clear (&outcome);
}

static void
test_lone_surrogates (void)
{
  Outcome outcome = { 0, };

  /* A lone low half, a high half followed by ordinary text, a high half
   * inside a string, and a high half the stream ends on: each a U+FFFD,
   * nothing around them lost. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\\udc4bb\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"c\\ud83d\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"d\\ud83de\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud83d\"}}]}\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "a\xEF\xBF\xBD" "bc\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e\xEF\xBF\xBD");
  outcome_clear (&outcome);

  /* Halves in strings that never continue (the model name, a tool's name)
   * and a half still waiting when an error ends the stream. */
  interpret_text ("data: {\"model\":\"m\\ud83d\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\\ud83d\","
                  "\"tool_calls\":[{\"index\":0,\"function\":{\"name\":\"n\\udc4b\\ud83d\"}}]}}]}\n\n"
                  "data: {\"error\":{\"message\":\"gone\"}}\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_model (outcome.reply), ==, "m\xEF\xBF\xBD");
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "x\xEF\xBF\xBD");
  g_assert_cmpstr (((CriaToolCall *) g_ptr_array_index (cria_chat_reply_get_tool_calls (outcome.reply), 0))->name, ==,
                   "n\xEF\xBF\xBD\xEF\xBF\xBD");
  g_assert_nonnull (outcome.error);
  outcome_clear (&outcome);

  /* Text that holds the markers' own range keeps it, and a lone half there
   * is still a U+FFFD. */
  interpret_text ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xF4\x8F\xA0\x80\\ud83d\"}}]}\n\n",
                  &outcome);
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "\xF4\x8F\xA0\x80\xEF\xBF\xBD");
  outcome_clear (&outcome);
}

static void
test_invalid_utf8_replaced (void)
{
  Outcome outcome = { 0, };

  /* Bad bytes in content, reasoning, the model name and an escaped NUL:
   * replaced, never the whole chunk dropped. */
  interpret_text ("data: {\"model\":\"m\xC3\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"r\xFF\"}}]}\n\n"
                  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok \xE2\x82 \\u0000 end\"},\"finish_reason\":\"stop\"}]}\n\n",
                  &outcome);
  /* g_utf8_make_valid() gives each byte of a broken sequence its own U+FFFD. */
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "ok \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD end");
  g_assert_cmpstr (cria_chat_reply_get_reasoning (outcome.reply), ==, "r\xEF\xBF\xBD");
  g_assert_cmpstr (cria_chat_reply_get_model (outcome.reply), ==, "m\xEF\xBF\xBD");
  g_assert_true (outcome.saw_finish);
  outcome_clear (&outcome);
}

static void
test_endless_line (void)
{
  g_autoptr(GString) stream = g_string_new ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Kept\"}}]}\n\n"
                                            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"");
  Outcome outcome = { 0, };

  while (stream->len <= CRIA_SSE_MAX_SIZE + 1024)
    g_string_append (stream, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

  interpret (stream->str, stream->len, size_16k, NULL, &outcome);
  g_assert_error (outcome.error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED);
  g_assert_nonnull (strstr (outcome.error->message, "without a break"));
  g_assert_cmpstr (cria_chat_reply_get_content (outcome.reply), ==, "Kept");
  outcome_clear (&outcome);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/stream-interpreter/fixture/%s", cases[i].fixture);

      g_test_add_data_func (path, &cases[i], test_fixture);
    }
  g_test_add_func ("/stream-interpreter/orphan-close-resets-content", test_orphan_close_resets_content);
  g_test_add_func ("/stream-interpreter/tool-calls-merged", test_tool_calls_merged);
  g_test_add_func ("/stream-interpreter/error-midstream-stops", test_error_midstream_stops);
  g_test_add_func ("/stream-interpreter/unterminated-last-event", test_unterminated_last_event);
  g_test_add_func ("/stream-interpreter/bad-chunk-skipped", test_bad_chunk_skipped);
  g_test_add_func ("/stream-interpreter/error-event-type", test_error_event_type);
  g_test_add_func ("/stream-interpreter/other-event-types-ignored", test_other_event_types_ignored);
  g_test_add_func ("/stream-interpreter/done-ends-stream", test_done_ends_stream);
  g_test_add_func ("/stream-interpreter/content-parts-and-choice-index", test_content_parts_and_choice_index);
  g_test_add_func ("/stream-interpreter/llamacpp-error-line", test_llamacpp_error_line);
  g_test_add_func ("/stream-interpreter/error-shapes", test_error_shapes);
  g_test_add_func ("/stream-interpreter/plain-json-error-body", test_plain_json_error_body);
  g_test_add_func ("/stream-interpreter/finish-reasons-reported", test_finish_reasons_reported);
  g_test_add_func ("/stream-interpreter/thinking-parts", test_thinking_parts);
  g_test_add_func ("/stream-interpreter/split-surrogates", test_split_surrogates);
  g_test_add_func ("/stream-interpreter/lone-surrogates", test_lone_surrogates);
  g_test_add_func ("/stream-interpreter/invalid-utf8-replaced", test_invalid_utf8_replaced);
  g_test_add_func ("/stream-interpreter/endless-line", test_endless_line);

  return g_test_run ();
}

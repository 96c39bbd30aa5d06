/* test-export.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-export.h"
#include "cria-export-markdown.h"
#include "cria-test-util.h"

static CriaConversationRecord *
make_record (void)
{
  CriaConversationRecord *record = cria_conversation_record_new (NULL);
  const char *stop[] = { "\n\n", "</s>", NULL };

  record->title = g_strdup ("Soup *and* <bread>");
  record->model = g_strdup ("deepseek-r1-8b");
  record->system_prompt = g_strdup ("You are a cook.\nBe brief.");
  record->pinned = TRUE;
  record->created = 1764000000123456;
  record->updated = 1764000999654321;
  record->params->set = CRIA_CHAT_PARAM_TEMPERATURE | CRIA_CHAT_PARAM_TOP_P | CRIA_CHAT_PARAM_MAX_TOKENS |
                        CRIA_CHAT_PARAM_PRESENCE_PENALTY | CRIA_CHAT_PARAM_FREQUENCY_PENALTY |
                        CRIA_CHAT_PARAM_STOP | CRIA_CHAT_PARAM_SEED;
  record->params->temperature = 0.7;
  record->params->top_p = 0.95;
  record->params->max_tokens = 2048;
  record->params->presence_penalty = 0.1;
  record->params->frequency_penalty = -0.3;
  record->params->stop = g_strdupv ((char **) stop);
  record->params->seed = -12345678901;

  return record;
}

static GPtrArray *
make_messages (void)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  CriaMessageRecord *question = cria_message_record_new ();
  CriaMessageRecord *answer = cria_message_record_new ();
  CriaMessageRecord *failed = cria_message_record_new ();
  CriaMessageRecord *tools = cria_message_record_new ();
  CriaMessageRecord *cut = cria_message_record_new ();
  CriaToolCall *call;
  const char *images[] = { "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "https://example.com/a.jpg", NULL };

  question->id = g_strdup ("q-1");
  g_free (question->content);
  question->content = g_strdup ("What soup goes with \"this\"? ünïcödé 🍲");
  g_strfreev (question->image_urls);
  question->image_urls = g_strdupv ((char **) images);
  question->created = 1764000000200000;

  answer->id = g_strdup ("a-1");
  answer->role = CRIA_ROLE_ASSISTANT;
  g_free (answer->content);
  answer->content = g_strdup ("Tomato soup.\n\n```c\nint x;\n```");
  g_free (answer->reasoning);
  answer->reasoning = g_strdup ("Red goes with bread.");
  answer->state = CRIA_MESSAGE_STATE_STOPPED;
  answer->model = g_strdup ("deepseek-r1-8b");
  answer->params->set = CRIA_CHAT_PARAM_TEMPERATURE;
  answer->params->temperature = 0.7;
  answer->tokens_in = 120;
  answer->tokens_out = 45;
  answer->reasoning_tokens = 20;
  answer->estimated = TRUE;
  answer->cost = 0.000123456789;
  answer->thinking_time = 2345678;
  answer->tokens_per_second = 41.25;
  answer->created = 1764000000300000;

  failed->id = g_strdup ("a-2");
  failed->role = CRIA_ROLE_ASSISTANT;
  failed->state = CRIA_MESSAGE_STATE_FAILED;
  failed->error = g_strdup ("The server is overloaded.");
  failed->created = 1764000000400000;

  tools->id = g_strdup ("a-3");
  tools->role = CRIA_ROLE_ASSISTANT;
  tools->finish_reason = CRIA_FINISH_REASON_TOOL_CALLS;
  tools->created = 1764000000500000;
  call = cria_tool_call_new (0);
  call->id = g_strdup ("call_1");
  call->type = g_strdup ("function");
  call->name = g_strdup ("get_weather");
  call->arguments = g_strdup ("{\"city\": \"Paris ```\"}");
  g_ptr_array_add (tools->tool_calls, call);

  cut->id = g_strdup ("a-4");
  cut->role = CRIA_ROLE_ASSISTANT;
  g_free (cut->content);
  cut->content = g_strdup ("Once upon");
  cut->finish_reason = CRIA_FINISH_REASON_LENGTH;
  cut->created = 1764000000600000;

  g_ptr_array_add (messages, question);
  g_ptr_array_add (messages, answer);
  g_ptr_array_add (messages, failed);
  g_ptr_array_add (messages, tools);
  g_ptr_array_add (messages, cut);

  return messages;
}

static void
test_json_round_trip (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autoptr(GPtrArray) back_messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  gsize len;

  json = cria_api_export_json (record, messages, &len);
  /* OpenAI's shape: a system message, then content parts with image URLs. */
  g_assert_nonnull (strstr (json, "\"role\" : \"system\""));
  g_assert_nonnull (strstr (json, "\"type\" : \"image_url\""));
  /* Tool calls where OpenAI puts them; why an answer ended beside Cria's details. */
  g_assert_nonnull (strstr (json, "\"tool_calls\" : ["));
  g_assert_nonnull (strstr (json, "\"finish_reason\" : \"length\""));

  back = cria_api_import_json (json, len, &back_messages, &error);
  g_assert_no_error (error);
  g_assert_true (cria_conversation_record_equal (record, back));
  g_assert_cmpuint (back_messages->len, ==, messages->len);
  for (guint i = 0; i < messages->len; i++)
    g_assert_true (cria_message_record_equal (g_ptr_array_index (messages, i),
                                              g_ptr_array_index (back_messages, i)));

  again = cria_api_export_json (back, back_messages, NULL);
  g_assert_cmpstr (json, ==, again);
}

static void
test_json_plain_openai (void)
{
  static const char json[] =
    "{\"messages\": [{\"role\": \"system\", \"content\": \"Be nice\"},"
    " {\"role\": \"user\", \"content\": \"Hi there\"},"
    " {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Hello\"}]}]}";
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  record = cria_api_import_json (json, -1, &messages, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->title, ==, "Hi there");
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->role, ==, CRIA_ROLE_SYSTEM);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 2))->content, ==, "Hello");
}

static void
test_json_bad (void)
{
  static const char * const bad[] = {
    "",
    "[1, 2]",
    "{\"format\": \"something-else\", \"messages\": []}",
    "{\"conversation\": {}}",
    "{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": 42}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"x\", \"cria\": {\"cost\": \"free\"}}]}",
    "{\"conversation\": {\"params\": {\"stop\": [1]}}, \"messages\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaConversationRecord) record = cria_api_import_json (bad[i], -1, &messages, &error);

      g_assert_null (record);
      g_assert_null (messages);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
    }
}

static void
test_markdown (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autofree char *markdown = cria_export_markdown (record, messages);

  g_assert_true (g_str_has_prefix (markdown, "# Soup \\*and\\* \\<bread\\>\n"));
  g_assert_nonnull (strstr (markdown, "<details>\n<summary>Reasoning</summary>\n\nRed goes with bread.\n\n</details>"));
  g_assert_nonnull (strstr (markdown, "![Image 2](https://example.com/a.jpg)"));
  g_assert_nonnull (strstr (markdown, "```c\nint x;\n```"));
  g_assert_nonnull (strstr (markdown, "*Stopped before the end.*"));
  /* Tool calls read as a name over their arguments, in a fence that holds them. */
  g_assert_nonnull (strstr (markdown, "**Tool call:** get\\_weather\n\n````json\n{\n  \"city\" : \"Paris ```\"\n}\n````"));
  g_assert_nonnull (strstr (markdown, "Once upon\n\n*The answer stopped at the length limit.*"));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/export/json-round-trip", test_json_round_trip);
  g_test_add_func ("/export/json-plain-openai", test_json_plain_openai);
  g_test_add_func ("/export/json-bad", test_json_bad);
  g_test_add_func ("/export/markdown", test_markdown);

  return g_test_run ();
}

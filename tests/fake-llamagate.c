/* fake-llamagate.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "cria-fake-server.h"
#include "cria-test-embed.h"

/* A fake LlamaGate to point the app at by hand:
 *
 *   LLAMAGATE_API_BASE=$(…) cria
 *
 * It answers the three endpoints Cria uses with canned, deterministic
 * replies, streams them in the reasoning dialect asked for, and can split,
 * slow down or break the stream. docs/fake-llamagate.md describes it. */

/* The same "created" in every reply keeps the output reproducible. */
#define CREATED 1767225600

/* Long enough to split the reasoning tags of the "think" and "openthinker"
 * dialects over several deltas, which is what a real stream does to them. */
#define MAX_TOKEN_BYTES 8

typedef enum
{
  DIALECT_OPENAI,
  DIALECT_OLLAMA,
  DIALECT_VLLM,
  DIALECT_DEEPSEEK,
  DIALECT_THINK,
  DIALECT_OPENTHINKER,
} Dialect;

static const char *const dialect_names[] = {
  "openai", "ollama", "vllm", "deepseek", "think", "openthinker",
};

/* The models LlamaGate lists (src/core/catalogue.json). */
static const char *const model_ids[] = {
  "llama-3.1-8b", "llama-3.2-3b", "qwen3-8b", "mistral-7b-v0.3", "dolphin3-8b",
  "deepseek-r1-8b", "deepseek-r1-7b-qwen", "openthinker-7b", "qwen2.5-coder-7b",
  "deepseek-coder-6.7b", "codellama-7b", "codegemma-7b", "starcoder2-7b", "qwen3-vl-8b",
  "llava-7b", "gemma3-4b", "olmocr-7b", "ui-tars-7b", "nomic-embed-text",
  "qwen3-embedding-8b", "embeddinggemma-300m",
};

typedef struct
{
  Dialect        dialect;
  gsize          chunk_size;
  guint          delay;
  CriaFakeFault  fault;
  gsize          fault_after;
  /* Streamed completions stop after this many writes until released
   * (POST /_control/release); -1: never. */
  gint64         hold_after;
  guint          n_completions;
} Settings;

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

/* An error in OpenAI's dialect; @code may be %NULL. */
static void
set_error (CriaFakeResponse *response,
           guint             status,
           const char       *message,
           const char       *code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "invalid_request_error");
  json_builder_set_member_name (builder, "param");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "code");
  if (code != NULL)
    json_builder_add_string_value (builder, code);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  cria_fake_response_set_status (response, status);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

static gboolean
check_method (const CriaFakeRequest *request,
              const char            *method,
              CriaFakeResponse      *response)
{
  if (g_str_equal (request->method, method))
    return TRUE;

  cria_fake_response_add_header (response, "Allow", method);
  set_error (response, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method not allowed", "method_not_allowed");

  return FALSE;
}

/* The request body as a JSON object, or %NULL with a 400 in @response. */
static JsonObject *
parse_request_object (const CriaFakeRequest *request,
                      JsonParser            *parser,
                      CriaFakeResponse      *response)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser,
                                   g_bytes_get_data (request->body, NULL),
                                   g_bytes_get_size (request->body),
                                   &error))
    {
      g_autofree char *message = g_strdup_printf ("Invalid JSON body: %s", error->message);

      set_error (response, SOUP_STATUS_BAD_REQUEST, message, NULL);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST, "The body must be a JSON object", NULL);
      return NULL;
    }

  return json_node_get_object (root);
}

static const char *
get_model (JsonObject *object,
           const char *fallback)
{
  JsonNode *node = json_object_get_member (object, "model");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);

  return fallback;
}

/* GET /v1/models */

static void
models_handler (CriaFakeServer        *server,
                const CriaFakeRequest *request,
                CriaFakeResponse      *response,
                gpointer               user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *json = NULL;

  g_printerr ("%s %s\n", request->method, request->path);

  if (!check_method (request, "GET", response))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (model_ids); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, model_ids[i]);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "model");
      json_builder_set_member_name (builder, "created");
      json_builder_add_int_value (builder, CREATED);
      json_builder_set_member_name (builder, "owned_by");
      json_builder_add_string_value (builder, "llamagate");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

/* POST /v1/chat/completions */

/* The text of a message's content: a string, or the text parts of an array
 * of parts (the form used with images). */
static char *
get_content_text (JsonObject *message)
{
  JsonNode *content = json_object_get_member (message, "content");
  GString *text;
  JsonArray *parts;

  if (content == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (content));

  if (!JSON_NODE_HOLDS_ARRAY (content))
    return NULL;

  text = g_string_new (NULL);
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      part = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (part, "type", NULL), "text") != 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, json_object_get_string_member_with_default (part, "text", ""));
    }

  return g_string_free (text, FALSE);
}

/* How many image parts the messages hold, for the request log. */
static guint
count_image_parts (JsonArray *messages)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      JsonNode *content;
      JsonArray *parts;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      content = json_object_get_member (json_node_get_object (node), "content");
      if (content == NULL || !JSON_NODE_HOLDS_ARRAY (content))
        continue;
      parts = json_node_get_array (content);
      for (guint j = 0; j < json_array_get_length (parts); j++)
        {
          JsonNode *part = json_array_get_element (parts, j);

          if (JSON_NODE_HOLDS_OBJECT (part) &&
              g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (part),
                                                                     "type", NULL), "image_url") == 0)
            n++;
        }
    }

  return n;
}

/* The last user message, and a rough token count of all messages. */
static char *
find_last_user_text (JsonArray *messages,
                     guint     *prompt_tokens)
{
  g_autofree char *last = NULL;
  gsize n_chars = 0;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *node = json_array_get_element (messages, i);
      g_autofree char *text = NULL;
      JsonObject *message;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;

      message = json_node_get_object (node);
      text = get_content_text (message);
      if (text == NULL)
        continue;

      n_chars += strlen (text);
      if (g_strcmp0 (json_object_get_string_member_with_default (message, "role", NULL),
                     "user") == 0)
        {
          g_free (last);
          last = g_steal_pointer (&text);
        }
    }

  /* About four bytes a token, like the usual rule of thumb. */
  *prompt_tokens = MAX (1, n_chars / 4);

  return g_steal_pointer (&last);
}

static char *
make_reasoning (const char *question)
{
  return g_strdup_printf ("The user wrote: “%s”. A real model would think about it here. "
                          "I am the fake LlamaGate, so I reason the same way every time:\n"
                          "first the echo, then a list, a code block and a table, so that "
                          "every part of the Markdown renderer gets some exercise.",
                          question);
}

static char *
make_answer (const char *question,
             Dialect     dialect)
{
  g_autoptr(GString) answer = g_string_new (NULL);
  g_auto(GStrv) lines = g_strsplit (question, "\n", -1);

  g_string_append (answer, "You said:\n\n");
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (answer, "> %s\n", lines[i]);

  g_string_append_printf (answer,
                          "\nThis is **fake LlamaGate**, answering in the *%s* dialect. "
                          "The reply is canned, so Cria's rendering can be checked by eye: "
                          "paragraphs, `inline code`, a list, a fenced code block and a table.\n"
                          "\n"
                          "What a stream can carry:\n"
                          "\n"
                          "1. reasoning, in a field of its own or between tags;\n"
                          "2. the answer, a few bytes at a time;\n"
                          "3. a last chunk with the token usage.\n"
                          "\n"
                          "```c\n"
                          "#include <stdio.h>\n"
                          "\n"
                          "int\n"
                          "main (void)\n"
                          "{\n"
                          "  printf (\"Hello from fake LlamaGate\\n\");\n"
                          "  return 0;\n"
                          "}\n"
                          "```\n"
                          "\n"
                          "| Dialect | Reasoning arrives in |\n"
                          "|---------|----------------------|\n"
                          "| ollama | `delta.reasoning` |\n"
                          "| vllm, deepseek | `delta.reasoning_content` |\n"
                          "| think | `<think>…</think>` in the content |\n"
                          "| openthinker | `<|begin_of_thought|>…` in the content |\n"
                          "\n"
                          "That is all; ask again for the same answer.",
                          dialect_names[dialect]);

  return g_string_free (g_steal_pointer (&answer), FALSE);
}

/* Splits @text into tokens the way a model streams: a word with the spaces
 * after it, long words cut every MAX_TOKEN_BYTES bytes, never inside a UTF-8
 * character. */
static GPtrArray *
tokenize (const char *text)
{
  GPtrArray *tokens = g_ptr_array_new_with_free_func (g_free);
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;

      while (*p != '\0' && !g_ascii_isspace (*p) && (gsize) (p - start) < MAX_TOKEN_BYTES)
        p = g_utf8_next_char (p);
      if (p == start || (gsize) (p - start) < MAX_TOKEN_BYTES)
        while (*p != '\0' && g_ascii_isspace (*p))
          p++;

      g_ptr_array_add (tokens, g_strndup (start, p - start));
    }

  return tokens;
}

static void
begin_completion (JsonBuilder *builder,
                  const char  *id,
                  const char  *object,
                  const char  *model)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, object);
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, CREATED);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
}

static void
add_usage (JsonBuilder *builder,
           guint        prompt_tokens,
           guint        completion_tokens)
{
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, prompt_tokens);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, completion_tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, prompt_tokens + completion_tokens);
  json_builder_end_object (builder);
}

/* Where reasoning goes in a message or a delta, for the dialects that give
 * it a field of its own. */
static const char *
reasoning_member (Dialect dialect)
{
  switch (dialect)
    {
    case DIALECT_OLLAMA:
      return "reasoning";
    case DIALECT_VLLM:
    case DIALECT_DEEPSEEK:
      return "reasoning_content";
    case DIALECT_OPENAI:
    case DIALECT_THINK:
    case DIALECT_OPENTHINKER:
    default:
      return NULL;
    }
}

static void
append_event (CriaFakeResponse *response,
              JsonBuilder      *builder)
{
  g_autofree char *json = builder_to_string (builder);
  g_autofree char *event = g_strconcat ("data: ", json, "\n\n", NULL);

  cria_fake_response_append_piece (response, event, -1);
}

/* One chat.completion.chunk event. @member is "content", a reasoning
 * member, or %NULL for an empty delta; @finish_reason ends the choice. */
static void
append_delta (CriaFakeResponse *response,
              const char       *id,
              const char       *model,
              Dialect           dialect,
              gboolean          first,
              const char       *member,
              const char       *text,
              const char       *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *reasoning = reasoning_member (dialect);

  begin_completion (builder, id, "chat.completion.chunk", model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);

  /* Ollama repeats the role and an empty content in every delta; DeepSeek
   * sends the other of content and reasoning_content as null. */
  if (first || (dialect == DIALECT_OLLAMA && member != NULL))
    {
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, "assistant");
    }
  if (member != NULL && reasoning != NULL && g_str_equal (member, reasoning))
    {
      if (dialect == DIALECT_OLLAMA)
        {
          json_builder_set_member_name (builder, "content");
          json_builder_add_string_value (builder, "");
        }
      else if (dialect == DIALECT_DEEPSEEK)
        {
          json_builder_set_member_name (builder, "content");
          json_builder_add_null_value (builder);
        }
    }
  if (member != NULL)
    {
      json_builder_set_member_name (builder, member);
      json_builder_add_string_value (builder, text);
    }
  else if (first)
    {
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, "");
    }
  if (member != NULL && g_str_equal (member, "content") && dialect == DIALECT_DEEPSEEK)
    {
      json_builder_set_member_name (builder, "reasoning_content");
      json_builder_add_null_value (builder);
    }

  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (builder, finish_reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  append_event (response, builder);
}

static guint
append_tokens (CriaFakeResponse *response,
               const char       *id,
               const char       *model,
               Dialect           dialect,
               const char       *member,
               const char       *text)
{
  g_autoptr(GPtrArray) tokens = tokenize (text);

  for (guint i = 0; i < tokens->len; i++)
    append_delta (response, id, model, dialect, FALSE, member, tokens->pdata[i], NULL);

  return tokens->len;
}

static void
set_streamed_completion (CriaFakeResponse *response,
                         const char       *id,
                         const char       *model,
                         Dialect           dialect,
                         const char       *reasoning,
                         const char       *content,
                         guint             prompt_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *member = reasoning_member (dialect);
  guint completion_tokens = 0;

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_add_header (response, "Cache-Control", "no-cache");

  append_delta (response, id, model, dialect, TRUE, NULL, NULL, NULL);
  if (reasoning != NULL)
    completion_tokens += append_tokens (response, id, model, dialect, member, reasoning);
  completion_tokens += append_tokens (response, id, model, dialect, "content", content);
  append_delta (response, id, model, dialect, FALSE, NULL, NULL, "stop");

  /* The usage comes last, in a chunk with no choices, as OpenAI sends it
   * with stream_options.include_usage. */
  begin_completion (builder, id, "chat.completion.chunk", model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_usage (builder, prompt_tokens, completion_tokens);
  json_builder_end_object (builder);
  append_event (response, builder);

  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
}

static void
set_completion (CriaFakeResponse *response,
                const char       *id,
                const char       *model,
                Dialect           dialect,
                const char       *reasoning,
                const char       *content,
                guint             prompt_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) tokens = tokenize (content);
  g_autofree char *json = NULL;
  guint completion_tokens = tokens->len;

  if (reasoning != NULL)
    {
      g_autoptr(GPtrArray) reasoning_tokens = tokenize (reasoning);

      completion_tokens += reasoning_tokens->len;
    }

  begin_completion (builder, id, "chat.completion", model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  if (reasoning != NULL)
    {
      json_builder_set_member_name (builder, reasoning_member (dialect));
      json_builder_add_string_value (builder, reasoning);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  add_usage (builder, prompt_tokens, completion_tokens);
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

/* Tool conversations. A question "tools: NAME ARGS ; NAME ARGS …" to a
 * request that offers tools is answered with those calls (in parallel, each
 * call's arguments split over many events); once the results come back
 * (the request ends with role "tool" messages) the answer quotes them.
 * "tools-loop: …" asks for the same calls after every result, a loop that
 * never ends. Broken arguments and unknown names are passed on as written. */

#define TOOLS_PREFIX "tools:"
#define TOOLS_LOOP_PREFIX "tools-loop:"

typedef struct
{
  char *name;
  char *arguments;
} FakeCall;

static void
fake_call_free (FakeCall *call)
{
  g_free (call->name);
  g_free (call->arguments);
  g_free (call);
}

/* The calls a "tools:" question asks for, or %NULL when it asks for none. */
static GPtrArray *
parse_tool_question (const char *question)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_call_free);
  g_auto(GStrv) parts = NULL;
  const char *rest;

  if (g_str_has_prefix (question, TOOLS_PREFIX))
    rest = question + strlen (TOOLS_PREFIX);
  else if (g_str_has_prefix (question, TOOLS_LOOP_PREFIX))
    rest = question + strlen (TOOLS_LOOP_PREFIX);
  else
    return NULL;

  parts = g_strsplit (rest, " ; ", 16);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *part = g_strstrip (g_strdup (parts[i]));
      const char *space = strchr (part, ' ');
      FakeCall *call = g_new0 (FakeCall, 1);

      call->name = g_strndup (part, space != NULL ? (gsize) (space - part) : strlen (part));
      call->arguments = g_strdup (space != NULL ? space + 1 : "{}");
      g_ptr_array_add (calls, call);
    }

  return calls->len > 0 ? g_steal_pointer (&calls) : NULL;
}

/* The results at the end of @messages, as one text, or %NULL when the
 * last message is not a tool result. */
static char *
trailing_tool_results (JsonArray *messages)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  GString *text;
  guint first = json_array_get_length (messages);

  while (first > 0)
    {
      JsonNode *node = json_array_get_element (messages, first - 1);

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (node), "role", NULL),
                     "tool") != 0)
        break;
      first--;
    }

  if (first == json_array_get_length (messages))
    return NULL;

  text = g_string_new ("The tools answered:");
  for (guint i = first; i < json_array_get_length (messages); i++)
    {
      g_autofree char *content = get_content_text (json_array_get_object_element (messages, i));

      g_string_append_printf (text, "%s “%s”", i > first ? "," : "", content != NULL ? content : "");
    }
  g_string_append_c (text, '.');

  return g_string_free (text, FALSE);
}

static void
append_tool_call_delta (CriaFakeResponse *response,
                        const char       *id,
                        const char       *model,
                        guint             index,
                        const char       *name,
                        const char       *arguments,
                        gsize             len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *piece = g_strndup (arguments, len);

  begin_completion (builder, id, "chat.completion.chunk", model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tool_calls");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, index);
  if (name != NULL)
    {
      g_autofree char *call_id = g_strdup_printf ("call_%s_%u", id, index);

      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, call_id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "function");
    }
  json_builder_set_member_name (builder, "function");
  json_builder_begin_object (builder);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  json_builder_set_member_name (builder, "arguments");
  json_builder_add_string_value (builder, piece);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  append_event (response, builder);
}

static void
set_streamed_tool_calls (CriaFakeResponse *response,
                         const char       *id,
                         const char       *model,
                         GPtrArray        *calls,
                         guint             prompt_tokens)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_add_header (response, "Cache-Control", "no-cache");
  append_delta (response, id, model, DIALECT_OPENAI, TRUE, NULL, NULL, NULL);

  for (guint i = 0; i < calls->len; i++)
    {
      FakeCall *call = g_ptr_array_index (calls, i);
      gsize len = strlen (call->arguments);

      append_tool_call_delta (response, id, model, i, call->name, "", 0);
      for (gsize at = 0; at < len; at += MAX_TOKEN_BYTES)
        append_tool_call_delta (response, id, model, i, NULL, call->arguments + at,
                                MIN (MAX_TOKEN_BYTES, len - at));
    }
  append_delta (response, id, model, DIALECT_OPENAI, FALSE, NULL, NULL, "tool_calls");

  begin_completion (builder, id, "chat.completion.chunk", model);
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  add_usage (builder, prompt_tokens, 10 * calls->len);
  json_builder_end_object (builder);
  append_event (response, builder);

  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
}

static void
chat_handler (CriaFakeServer        *server,
              const CriaFakeRequest *request,
              CriaFakeResponse      *response,
              gpointer               user_data)
{
  Settings *settings = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *question = NULL;
  g_autofree char *reasoning = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *content = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonNode *messages;
  const char *model;
  gboolean stream;
  guint prompt_tokens;
  guint n_images;

  if (!check_method (request, "POST", response))
    return;

  object = parse_request_object (request, parser, response);
  if (object == NULL)
    return;

  messages = json_object_get_member (object, "messages");
  if (messages == NULL || !JSON_NODE_HOLDS_ARRAY (messages) ||
      json_array_get_length (json_node_get_array (messages)) == 0)
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST, "messages must be a non-empty array", NULL);
      return;
    }

  model = get_model (object, "llama-3.1-8b");
  stream = json_object_get_boolean_member_with_default (object, "stream", FALSE);
  n_images = count_image_parts (json_node_get_array (messages));
  if (n_images > 0)
    g_printerr ("%s %s (%s%s, %u image%s)\n", request->method, request->path, model,
                stream ? ", stream" : "", n_images, n_images == 1 ? "" : "s");
  else
    g_printerr ("%s %s (%s%s)\n", request->method, request->path, model,
                stream ? ", stream" : "");

  question = find_last_user_text (json_node_get_array (messages), &prompt_tokens);
  if (question == NULL)
    question = g_strdup ("(no user message)");

  if (stream && json_object_has_member (object, "tools"))
    {
      g_autoptr(GPtrArray) calls = parse_tool_question (question);
      g_autofree char *results = trailing_tool_results (json_node_get_array (messages));

      if (calls != NULL && (results == NULL || g_str_has_prefix (question, TOOLS_LOOP_PREFIX)))
        {
          id = g_strdup_printf ("chatcmpl-fake-%u", ++settings->n_completions);
          g_printerr ("  %u tool call%s\n", calls->len, calls->len == 1 ? "" : "s");
          set_streamed_tool_calls (response, id, model, calls, prompt_tokens);
          cria_fake_response_set_chunk_size (response, settings->chunk_size);
          cria_fake_response_set_chunk_delay (response, settings->delay);
          return;
        }
      if (calls != NULL && results != NULL)
        {
          id = g_strdup_printf ("chatcmpl-fake-%u", ++settings->n_completions);
          set_streamed_completion (response, id, model, DIALECT_OPENAI, NULL, results, prompt_tokens);
          cria_fake_response_set_chunk_size (response, settings->chunk_size);
          cria_fake_response_set_chunk_delay (response, settings->delay);
          return;
        }
    }

  answer = make_answer (question, settings->dialect);
  if (settings->dialect != DIALECT_OPENAI)
    reasoning = make_reasoning (question);

  switch (settings->dialect)
    {
    case DIALECT_THINK:
      content = g_strconcat ("<think>\n", reasoning, "\n</think>\n\n", answer, NULL);
      g_clear_pointer (&reasoning, g_free);
      break;

    case DIALECT_OPENTHINKER:
      content = g_strconcat ("<|begin_of_thought|>\n\n", reasoning, "\n\n<|end_of_thought|>\n\n",
                             "<|begin_of_solution|>\n\n", answer, "\n\n<|end_of_solution|>",
                             NULL);
      g_clear_pointer (&reasoning, g_free);
      break;

    case DIALECT_OPENAI:
    case DIALECT_OLLAMA:
    case DIALECT_VLLM:
    case DIALECT_DEEPSEEK:
    default:
      content = g_steal_pointer (&answer);
      break;
    }

  id = g_strdup_printf ("chatcmpl-fake-%u", ++settings->n_completions);

  if (stream)
    set_streamed_completion (response, id, model, settings->dialect, reasoning, content,
                             prompt_tokens);
  else
    set_completion (response, id, model, settings->dialect, reasoning, content, prompt_tokens);

  cria_fake_response_set_chunk_size (response, settings->chunk_size);
  cria_fake_response_set_chunk_delay (response, settings->delay);
  if (stream && settings->hold_after >= 0)
    cria_fake_response_set_hold (response, settings->hold_after);
  if (settings->fault != CRIA_FAKE_FAULT_NONE)
    cria_fake_response_set_fault (response, settings->fault, settings->fault_after);
}

/* POST /v1/embeddings */

/* The shared definition (tests/cria-test-embed.c): hashed word vectors,
 * so a question points at the passages that hold its words. */
static void
add_embedding (JsonBuilder *builder,
               const char  *model,
               const char  *text,
               guint        dimensions)
{
  g_autofree float *values = g_new (float, dimensions);

  cria_test_embed_text (model, text, dimensions, values);
  json_builder_begin_array (builder);
  for (guint i = 0; i < dimensions; i++)
    json_builder_add_double_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
embeddings_handler (CriaFakeServer        *server,
                    const CriaFakeRequest *request,
                    CriaFakeResponse      *response,
                    gpointer               user_data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) inputs = g_ptr_array_new ();
  g_autofree char *json = NULL;
  JsonObject *object;
  JsonNode *input;
  const char *model;
  guint dimensions;
  gsize n_chars = 0;
  guint tokens;

  if (!check_method (request, "POST", response))
    return;

  object = parse_request_object (request, parser, response);
  if (object == NULL)
    return;

  model = get_model (object, "nomic-embed-text");
  g_printerr ("%s %s (%s)\n", request->method, request->path, model);

  input = json_object_get_member (object, "input");
  if (input != NULL && JSON_NODE_HOLDS_VALUE (input) &&
      json_node_get_value_type (input) == G_TYPE_STRING)
    {
      g_ptr_array_add (inputs, (gpointer) json_node_get_string (input));
    }
  else if (input != NULL && JSON_NODE_HOLDS_ARRAY (input))
    {
      JsonArray *array = json_node_get_array (input);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
            {
              set_error (response, SOUP_STATUS_BAD_REQUEST,
                         "input must be a string or an array of strings", NULL);
              return;
            }
          g_ptr_array_add (inputs, (gpointer) json_node_get_string (node));
        }
    }

  if (inputs->len == 0)
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST,
                 "input must be a string or a non-empty array of strings", NULL);
      return;
    }

  dimensions = cria_test_embed_dimensions (model);
  if (json_object_has_member (object, "dimensions"))
    {
      gint64 wanted = json_object_get_int_member_with_default (object, "dimensions", 0);

      if (wanted < 1 || wanted > dimensions)
        {
          set_error (response, SOUP_STATUS_BAD_REQUEST, "dimensions is out of range", NULL);
          return;
        }
      dimensions = wanted;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < inputs->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "embedding");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "embedding");
      add_embedding (builder, model, inputs->pdata[i], dimensions);
      json_builder_end_object (builder);
      n_chars += strlen (inputs->pdata[i]);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  tokens = MAX (1, n_chars / 4);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json = builder_to_string (builder);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

/* The test's controls, /_control/…: answered without the key, on the same
 * loopback server, so a test needs no wall clock to keep a stream going. */

static void
set_control_reply (CriaFakeResponse *response,
                   const char       *member,
                   gint64            value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  json_builder_add_int_value (builder, value);
  json_builder_end_object (builder);
  json = builder_to_string (builder);
  cria_fake_response_set_body (response, "application/json", json, -1);
}

/* POST /_control/release: every stream in progress goes past its hold point. */
static void
release_handler (CriaFakeServer        *server,
                 const CriaFakeRequest *request,
                 CriaFakeResponse      *response,
                 gpointer               user_data)
{
  guint n_held;

  if (!check_method (request, "POST", response))
    return;

  n_held = cria_fake_server_release (server);
  g_printerr ("%s %s (%u held)\n", request->method, request->path, n_held);
  set_control_reply (response, "released", n_held);
}

/* GET /_control/held: how many streams wait at their hold point now. */
static void
held_handler (CriaFakeServer        *server,
              const CriaFakeRequest *request,
              CriaFakeResponse      *response,
              gpointer               user_data)
{
  if (!check_method (request, "GET", response))
    return;

  set_control_reply (response, "held", cria_fake_server_get_n_held (server));
}

/* POST /_control/hold {"after": N}: streams that start from now on stop after
 * N writes until released; {"after": -1} turns that off. */
static void
hold_handler (CriaFakeServer        *server,
              const CriaFakeRequest *request,
              CriaFakeResponse      *response,
              gpointer               user_data)
{
  Settings *settings = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode *after;

  if (!check_method (request, "POST", response))
    return;

  object = parse_request_object (request, parser, response);
  if (object == NULL)
    return;

  after = json_object_get_member (object, "after");
  if (after == NULL || json_node_get_value_type (after) != G_TYPE_INT64 ||
      json_node_get_int (after) < -1 || json_node_get_int (after) > G_MAXUINT)
    {
      set_error (response, SOUP_STATUS_BAD_REQUEST, "after must be a number of writes, or -1", NULL);
      return;
    }

  settings->hold_after = json_node_get_int (after);
  g_printerr ("%s %s (after %" G_GINT64_FORMAT ")\n", request->method, request->path,
              settings->hold_after);
  set_control_reply (response, "after", settings->hold_after);
}

/* The program */

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static gboolean
parse_dialect (const char  *name,
               Dialect     *dialect,
               GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (dialect_names); i++)
    {
      if (g_str_equal (name, dialect_names[i]))
        {
          *dialect = i;
          return TRUE;
        }
    }

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Unknown dialect “%s” (openai, ollama, vllm, deepseek, think, openthinker)", name);

  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(CriaFakeServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dialect_name = NULL;
  g_autofree char *fault_name = NULL;
  g_autofree char *api_key_env = NULL;
  Settings settings = { 0 };
  int port = 0;
  int chunk_size = 0;
  int delay = 0;
  gint64 fault_after = -1;
  gint64 hold_after = -1;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (default: a free one)", "N" },
    { "chunk-size", 0, 0, G_OPTION_ARG_INT, &chunk_size,
      "Send completions in writes of N bytes (default: one write per event)", "N" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &delay,
      "Wait MS milliseconds before each write of a completion", "MS" },
    { "dialect", 0, 0, G_OPTION_ARG_STRING, &dialect_name,
      "Reasoning dialect: openai, ollama, vllm, deepseek, think, openthinker (default: openai)",
      "NAME" },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault_name,
      "Break completions: drop (close the connection) or stall (stop sending)", "KIND" },
    { "fault-after", 0, 0, G_OPTION_ARG_INT64, &fault_after,
      "Bytes of the body sent before the fault (default: 256)", "N" },
    { "api-key-env", 0, 0, G_OPTION_ARG_STRING, &api_key_env,
      "Require the API key held in the environment variable VAR", "VAR" },
    { "hold-after", 0, 0, G_OPTION_ARG_INT64, &hold_after,
      "Stop each streamed completion after N writes until POST /_control/release", "N" },
    { NULL }
  };

  g_set_prgname ("fake-llamagate");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                "A fake LlamaGate on 127.0.0.1 for trying Cria by hand. "
                                "The first line of output is the base URL.");
  g_option_context_set_description (context,
                                    "Test controls, on the same server and without the key:\n"
                                    "  POST /_control/release       streams waiting at their hold point go on\n"
                                    "                               (so do those in progress that have not got there)\n"
                                    "  POST /_control/hold {\"after\": N}\n"
                                    "                               streams that start from now on stop after N\n"
                                    "                               writes; {\"after\": -1} turns that off\n"
                                    "  GET  /_control/held          {\"held\": N}: streams waiting now\n"
                                    "See docs/fake-llamagate.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fake-llamagate: %s\n", error->message);
      return 2;
    }

  if (port < 0 || port > G_MAXUINT16 || chunk_size < 0 || delay < 0 ||
      hold_after < -1 || hold_after > G_MAXUINT)
    {
      g_printerr ("fake-llamagate: --port, --chunk-size, --delay and --hold-after take a positive number\n");
      return 2;
    }

  if (dialect_name != NULL && !parse_dialect (dialect_name, &settings.dialect, &error))
    {
      g_printerr ("fake-llamagate: %s\n", error->message);
      return 2;
    }

  if (fault_name == NULL)
    settings.fault = CRIA_FAKE_FAULT_NONE;
  else if (g_str_equal (fault_name, "drop"))
    settings.fault = CRIA_FAKE_FAULT_DROP;
  else if (g_str_equal (fault_name, "stall"))
    settings.fault = CRIA_FAKE_FAULT_STALL;
  else
    {
      g_printerr ("fake-llamagate: --fault takes drop or stall\n");
      return 2;
    }

  if (fault_after >= 0 && settings.fault == CRIA_FAKE_FAULT_NONE)
    {
      g_printerr ("fake-llamagate: --fault-after needs --fault\n");
      return 2;
    }

  settings.chunk_size = chunk_size;
  settings.delay = delay;
  settings.hold_after = hold_after;
  settings.fault_after = fault_after >= 0 ? (gsize) fault_after : 256;

  server = cria_fake_server_new_on_port (port, &error);
  if (server == NULL)
    {
      g_printerr ("fake-llamagate: %s\n", error->message);
      return 1;
    }

  /* The key comes from the environment, never from the command line, which
   * any user can read in ps; it is never printed either. */
  if (api_key_env != NULL)
    {
      const char *api_key = g_getenv (api_key_env);

      if (api_key == NULL || *api_key == '\0')
        {
          g_printerr ("fake-llamagate: the environment variable %s is not set\n", api_key_env);
          return 1;
        }
      cria_fake_server_set_api_key (server, api_key);
    }

  cria_fake_server_set_handler (server, "/v1/models", models_handler, NULL, NULL);
  cria_fake_server_set_handler (server, "/v1/chat/completions", chat_handler, &settings, NULL);
  cria_fake_server_set_handler (server, "/v1/embeddings", embeddings_handler, NULL, NULL);
  cria_fake_server_set_handler (server, CRIA_FAKE_CONTROL_PREFIX "release", release_handler, NULL, NULL);
  cria_fake_server_set_handler (server, CRIA_FAKE_CONTROL_PREFIX "hold", hold_handler, &settings, NULL);
  cria_fake_server_set_handler (server, CRIA_FAKE_CONTROL_PREFIX "held", held_handler, NULL, NULL);

  /* Ready for signals before a script that read the URL can send one. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);

  /* The first line is for scripts: LLAMAGATE_API_BASE=$(… | head -n1). */
  printf ("%s\n", cria_fake_server_get_base_url (server));
  fflush (stdout);

  g_main_loop_run (loop);

  return 0;
}

/* test-api-chunk-reader.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-chunk-reader.h"
#include "cria-api-private.h"

/* The fast reader must never say anything the JSON-GLib reader would not:
 * each test compares the two field by field. */

static const char * const realistic_chunks[] = {
  /* OpenAI, the role chunk, a content chunk and the finish chunk. */
  "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
  "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,"
  "\"finish_reason\":null}],\"usage\":null}",
  "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
  "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},"
  "\"logprobs\":null,\"finish_reason\":null}]}",
  "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
  "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,"
  "\"finish_reason\":\"stop\"}]}",
  /* OpenAI's usage-only chunk at the end of a stream with include_usage. */
  "{\"id\":\"chatcmpl-9x\",\"object\":\"chat.completion.chunk\",\"created\":1718000000,"
  "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
  "\"completion_tokens\":34,\"total_tokens\":46,\"prompt_tokens_details\":{\"cached_tokens\":0},"
  "\"completion_tokens_details\":{\"reasoning_tokens\":7,\"audio_tokens\":0}}}",
  /* vLLM. */
  "{\"id\":\"cmpl-abc\",\"object\":\"chat.completion.chunk\",\"created\":1718000001,"
  "\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},"
  "\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}",
  "{\"id\":\"cmpl-abc\",\"object\":\"chat.completion.chunk\",\"created\":1718000001,"
  "\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":"
  "\"Let me think.\"},\"logprobs\":null,\"finish_reason\":null,\"stop_reason\":null}]}",
  /* Ollama's OpenAI endpoint. */
  "{\"id\":\"chatcmpl-42\",\"object\":\"chat.completion.chunk\",\"created\":1718000002,"
  "\"model\":\"qwen3:8b\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Hmm, \"},"
  "\"finish_reason\":null}]}",
  /* DeepSeek. */
  "{\"id\":\"d1\",\"object\":\"chat.completion.chunk\",\"created\":1718000003,"
  "\"model\":\"deepseek-reasoner\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,"
  "\"delta\":{\"content\":null,\"reasoning_content\":\"First\"},\"logprobs\":null,"
  "\"finish_reason\":null}]}",
  /* OpenRouter, with both reasoning members and the provider. */
  "{\"id\":\"gen-1\",\"provider\":\"DeepInfra\",\"model\":\"deepseek/deepseek-r1\","
  "\"object\":\"chat.completion.chunk\",\"created\":1718000004,\"choices\":[{\"index\":0,"
  "\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"reasoning\":\"Step one\","
  "\"reasoning_details\":[{\"type\":\"reasoning.text\",\"text\":\"Step one\",\"format\":"
  "\"unknown\",\"index\":0}]},\"finish_reason\":null,\"native_finish_reason\":null,"
  "\"logprobs\":null}]}",
  "{\"id\":\"gen-1\",\"provider\":\"DeepInfra\",\"model\":\"deepseek/deepseek-r1\","
  "\"object\":\"chat.completion.chunk\",\"created\":1718000004,\"choices\":[{\"index\":0,"
  "\"delta\":{\"content\":\"\",\"reasoning_content\":\"\",\"reasoning\":\"fallback\"},"
  "\"finish_reason\":null}]}",
  /* llama.cpp's finish chunk, with usage and timings. */
  "{\"choices\":[{\"finish_reason\":\"stop\",\"index\":0,\"delta\":{}}],\"created\":1718000005,"
  "\"id\":\"chatcmpl-x\",\"model\":\"gpt-3.5-turbo\",\"system_fingerprint\":\"b5000\","
  "\"object\":\"chat.completion.chunk\",\"usage\":{\"completion_tokens\":80,\"prompt_tokens\":9,"
  "\"total_tokens\":89},\"timings\":{\"prompt_n\":9,\"prompt_ms\":41.3,\"prompt_per_token_ms\":"
  "4.588888888888889,\"prompt_per_second\":217.91767554479418,\"predicted_n\":80,"
  "\"predicted_ms\":1130.5,\"predicted_per_second\":7.07651e1}}",
  /* Escapes of every kind, and a model that is not a string. */
  "{\"model\":\"m\\/1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
  "\"a\\nb\\\"c\\\\d\\u00e9\\ud83d\\ude00\\/\\t\\r\\b\\f\\u20AC caf\xc3\xa9 \xf0\x9f\xa6\x99\"}}]}",
  "{\"model\":42,\"choices\":[{\"index\":0,\"finish_reason\":7,\"delta\":{\"content\":\"x\"}}]}",
  /* Escaped keys, and whitespace everywhere it may go. */
  " \r\n{ \"mod\\u0065l\" : \"esc\" , \"choices\" : [ { \"delta\" : { \"c\\u006fntent\" : "
  "\"y\" } , \"finish_reason\" : null } ] } \n\t",
  /* A non-object choice, a non-object delta, usage counts of other types. */
  "{\"choices\":[null]}",
  "{\"choices\":[{\"delta\":null,\"finish_reason\":\"length\"}]}",
  "{\"choices\":{},\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":null,"
  "\"completion_tokens_details\":null}}",
  "{\"usage\":{},\"object\":\"chat.completion.chunk\"}",
  "{}",
};

static void
assert_chunks_equal (const CriaApiChunk *fast,
                     const CriaApiChunk *slow)
{
  g_assert_cmpstr (fast->content, ==, slow->content);
  g_assert_cmpstr (fast->reasoning, ==, slow->reasoning);
  g_assert_cmpstr (fast->finish_reason, ==, slow->finish_reason);
  g_assert_cmpstr (fast->model, ==, slow->model);
  g_assert_cmpuint (fast->tool_calls->len, ==, slow->tool_calls->len);
  g_assert_cmpint (fast->has_usage, ==, slow->has_usage);
  g_assert_cmpint (fast->usage.prompt_tokens, ==, slow->usage.prompt_tokens);
  g_assert_cmpint (fast->usage.completion_tokens, ==, slow->usage.completion_tokens);
  g_assert_cmpint (fast->usage.reasoning_tokens, ==, slow->usage.reasoning_tokens);
  g_assert_cmpint (fast->usage.estimated, ==, slow->usage.estimated);
  g_assert_null (fast->error);
  g_assert_null (slow->error);
}

static void
assert_chunk_untouched (const CriaApiChunk *chunk)
{
  g_assert_null (chunk->content);
  g_assert_null (chunk->reasoning);
  g_assert_null (chunk->finish_reason);
  g_assert_null (chunk->model);
  g_assert_nonnull (chunk->tool_calls);
  g_assert_cmpuint (chunk->tool_calls->len, ==, 0);
  g_assert_false (chunk->has_usage);
  g_assert_cmpint (chunk->usage.prompt_tokens, ==, 0);
  g_assert_cmpint (chunk->usage.completion_tokens, ==, 0);
  g_assert_cmpint (chunk->usage.reasoning_tokens, ==, 0);
  g_assert_null (chunk->error);
}

/* Runs both readers; when the fast one accepts, the slow one must too and
 * say the same. Returns what the fast one did. */
static gboolean
compare_readers (const char *data,
                 gsize       len)
{
  CriaApiChunk fast;
  CriaApiChunk slow;
  g_autoptr(GError) error = NULL;
  gboolean accepted;

  _cria_api_chunk_init (&fast);
  _cria_api_chunk_init (&slow);

  accepted = _cria_api_read_chunk_fast (data, len, &fast);
  if (accepted)
    {
      if (!_cria_api_parse_chunk_slow (data, len, &slow, &error))
        g_error ("fast reader accepted what JSON-GLib rejects (%s): %.*s",
                 error->message, (int) len, data);
      assert_chunks_equal (&fast, &slow);
    }
  else
    assert_chunk_untouched (&fast);

  _cria_api_chunk_clear (&fast);
  _cria_api_chunk_clear (&slow);

  return accepted;
}

static void
test_realistic (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (realistic_chunks); i++)
    {
      const char *data = realistic_chunks[i];
      g_autofree char *escaped = g_strescape (data, NULL);

      g_test_message ("chunk %u: %s", i, escaped);
      g_assert_true (compare_readers (data, strlen (data)));
    }
}

static void
test_values (void)
{
  const char *data = realistic_chunks[11];
  CriaApiChunk chunk;

  /* The comparison with JSON-GLib is only as good as JSON-GLib, so the
   * decoded text is checked against what it must be. */
  _cria_api_chunk_init (&chunk);
  g_assert_true (_cria_api_read_chunk_fast (data, strlen (data), &chunk));
  g_assert_cmpstr (chunk.model, ==, "m/1");
  g_assert_cmpstr (chunk.content, ==,
                   "a\nb\"c\\d\xc3\xa9\xf0\x9f\x98\x80/\t\r\b\f\xe2\x82\xac caf\xc3\xa9 \xf0\x9f\xa6\x99");
  _cria_api_chunk_clear (&chunk);

  data = realistic_chunks[3];
  _cria_api_chunk_init (&chunk);
  g_assert_true (_cria_api_read_chunk_fast (data, strlen (data), &chunk));
  g_assert_true (chunk.has_usage);
  g_assert_cmpint (chunk.usage.prompt_tokens, ==, 12);
  g_assert_cmpint (chunk.usage.completion_tokens, ==, 34);
  g_assert_cmpint (chunk.usage.reasoning_tokens, ==, 7);
  g_assert_null (chunk.content);
  _cria_api_chunk_clear (&chunk);

  data = realistic_chunks[9];
  _cria_api_chunk_init (&chunk);
  g_assert_true (_cria_api_read_chunk_fast (data, strlen (data), &chunk));
  g_assert_cmpstr (chunk.reasoning, ==, "fallback");
  g_assert_null (chunk.content);
  _cria_api_chunk_clear (&chunk);

  /* The combined entry point gives the same. */
  data = realistic_chunks[7];
  _cria_api_chunk_init (&chunk);
  g_assert_true (_cria_api_parse_chunk (data, strlen (data), &chunk, NULL));
  g_assert_cmpstr (chunk.reasoning, ==, "First");
  g_assert_cmpstr (chunk.model, ==, "deepseek-reasoner");
  _cria_api_chunk_clear (&chunk);
}

static const char * const declined_chunks[] = {
  /* Not JSON, or not strict JSON. */
  "",
  "   ",
  "{\"choices\":[{\"delta\":{\"content\":\"Hel",
  "{\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]",
  "{\"model\":\"m\",}",
  "{\"choices\":[{\"delta\":{},}]}",
  "{\"choices\":[{\"delta\":{}},]}",
  "{model:\"m\"}",
  "{'model':'m'}",
  "{\"model\":\"a\\xb\"}",
  "{\"model\":\"\\ud83d\"}",
  "{\"model\":\"\\ud83dx\"}",
  "{\"model\":\"\\ude00\\ud83d\"}",
  "{\"model\":\"\\u12\"}",
  "{\"model\":\"tab\there\"}",
  "{\"model\":\"nl\nhere\"}",
  "{\"created\":01}",
  "{\"created\":-}",
  "{\"created\":1.}",
  "{\"created\":.5}",
  "{\"created\":1e}",
  "{\"created\":+1}",
  "{\"created\":NaN}",
  "{\"created\":Infinity}",
  "{\"created\":tru}",
  "{\"created\":nul}",
  "{\"model\":\"m\"} x",
  "{\"model\":\"m\"}{}",
  "{\"model\" \"m\"}",
  "{\"model\":\"m\" \"x\":1}",
  "[1,2]",
  "\"text\"",
  "null",
  /* Text that is not allowed in a decoded string. */
  "{\"model\":\"a\\u0000b\"}",
  "{\"model\":\"\xff\"}",
  "{\"model\":\"\xc3\"}",
  "{\"model\":\"\xed\xa0\x80\"}",
  "{\"x\":\"\xc3(\"}",
  /* Errors. */
  "{\"error\":{\"message\":\"Rate limit\",\"type\":\"rate_limit\",\"code\":429}}",
  "{\"error\":\"overloaded\"}",
  "{\"error\":null,\"model\":\"m\"}",
  "{\"object\":\"error\",\"message\":\"bad\",\"type\":\"BadRequestError\",\"code\":400}",
  /* Shapes left to JSON-GLib. */
  "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
  "\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}}]}",
  "{\"choices\":[{\"delta\":{\"tool_calls\":null}}]}",
  "{\"choices\":[{\"delta\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}}]}",
  "{\"choices\":[{\"delta\":{\"content\":5}}]}",
  "{\"choices\":[{\"delta\":{\"reasoning\":{}}}]}",
  "{\"choices\":[{\"index\":1,\"delta\":{\"content\":\"b\"}},"
  "{\"index\":0,\"delta\":{\"content\":\"a\"}}]}",
  "{\"usage\":[]}",
  "{\"usage\":5}",
  "{\"usage\":{\"prompt_tokens\":1.5}}",
  "{\"usage\":{\"prompt_tokens\":-1}}",
  "{\"usage\":{\"prompt_tokens\":1e3}}",
  "{\"usage\":{\"completion_tokens\":12345678901234567890}}",
  "{\"usage\":{\"completion_tokens_details\":{\"reasoning_tokens\":0.5}}}",
  /* Repeated members that are read. */
  "{\"model\":\"a\",\"model\":\"b\"}",
  "{\"choices\":[],\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
  "{\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
  "{\"choices\":[{\"finish_reason\":null,\"finish_reason\":\"stop\"}]}",
};

static void
test_declined (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (declined_chunks); i++)
    {
      const char *data = declined_chunks[i];
      g_autofree char *escaped = g_strescape (data, NULL);

      g_test_message ("chunk %u: %s", i, escaped);
      g_assert_false (compare_readers (data, strlen (data)));
    }

  /* A NUL byte inside the text is no JSON either. */
  g_assert_false (compare_readers ("{\"model\":\"a\0b\"}", 15));
  g_assert_false (compare_readers ("{}\0", 3));
}

static void
test_depth (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"x\":");

  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_false (compare_readers (deep->str, deep->len));

  /* Nesting within the limit is read. */
  g_string_assign (deep, "{\"x\":");
  for (int i = 0; i < 30; i++)
    g_string_append (deep, "{\"y\":[");
  for (int i = 0; i < 30; i++)
    g_string_append (deep, "]}");
  g_string_append_c (deep, '}');
  g_assert_true (compare_readers (deep->str, deep->len));

  /* Hostile depth far beyond any stack must simply be declined. */
  g_string_assign (deep, "{\"x\":");
  for (int i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  g_assert_false (compare_readers (deep->str, deep->len));
}

/* Bytes a mutation puts in: the ones JSON gives meaning to, and some that
 * break UTF-8. */
static const char mutation_bytes[] = "{}[]\",:\\/ u0123456789abcdefnrtlsE.-+\xc3\xa9\xff\x01";

static void
test_mutations (void)
{
  guint n_accepted = 0;
  guint n_runs = g_test_slow () ? 200000 : 20000;

  for (guint run = 0; run < n_runs; run++)
    {
      const char *base = realistic_chunks[g_test_rand_int_range (0, G_N_ELEMENTS (realistic_chunks))];
      g_autoptr(GString) text = g_string_new (base);
      int n_mutations = g_test_rand_int_range (1, 4);

      for (int m = 0; m < n_mutations; m++)
        {
          gsize pos = (gsize) g_test_rand_int_range (0, (gint32) text->len + 1);
          char byte;

          if (g_test_rand_bit ())
            byte = mutation_bytes[g_test_rand_int_range (0, sizeof mutation_bytes - 1)];
          else
            byte = (char) g_test_rand_int_range (0, 256);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              if (pos < text->len)
                text->str[pos] = byte;
              break;
            case 1:
              g_string_insert_c (text, (gssize) pos, byte);
              break;
            default:
              if (pos < text->len)
                g_string_erase (text, (gssize) pos, 1);
              break;
            }
        }

      if (compare_readers (text->str, text->len))
        n_accepted++;
    }

  /* Many mutations land in text and leave the chunk valid, so a fair share
   * must have been accepted for the comparison to mean anything. */
  g_test_message ("%u of %u mutated chunks read by the fast reader", n_accepted, n_runs);
  g_assert_cmpuint (n_accepted, >, n_runs / 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api-chunk-reader/realistic", test_realistic);
  g_test_add_func ("/api-chunk-reader/values", test_values);
  g_test_add_func ("/api-chunk-reader/declined", test_declined);
  g_test_add_func ("/api-chunk-reader/depth", test_depth);
  g_test_add_func ("/api-chunk-reader/mutations", test_mutations);

  return g_test_run ();
}

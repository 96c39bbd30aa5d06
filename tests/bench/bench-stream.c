/* bench-stream.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures how fast a chat completion stream is read: the SSE parser alone,
 * and the whole stream interpreter (parser, chunk JSON, reasoning splitter,
 * reply). The stream is a synthetic 50 MB of OpenAI-style chunks, built in
 * memory and fed in 16 KiB pieces as network reads would come. It reports
 * numbers and exits 0; it exits 1 only when the reply does not hold what was
 * generated, which would mean the stream was not really interpreted.
 *
 *   meson test -C build --benchmark --verbose
 *   or: ./build/tests/bench/bench-stream [MEGABYTES] [RUNS] */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cria-chat-reply.h"
#include "cria-sse-parser.h"
#include "cria-stream-interpreter.h"

#define READ_SIZE (16 * 1024)

typedef struct
{
  GString *stream;
  GString *content;
  GString *reasoning;
  guint    n_chunks;
} Synthetic;

static const char * const words[] = {
  "the", "model", "answers", "quickly", "and", "well", "gateway", "stream",
  "token", "reply", "llama", "with", "a", "few", "words", "café", "naïve",
  "🦙", "tests", "of", "speed",
};

static void
append_json_string (GString    *out,
                    const char *text)
{
  /* The words need no escaping except the newline and quote added below. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '"')
        g_string_append (out, "\\\"");
      else
        g_string_append_c (out, *p);
    }
}

static void
append_chunk (Synthetic  *syn,
              GRand      *rand,
              gboolean    reasoning)
{
  g_autoptr(GString) piece = g_string_new (NULL);
  int n_words = g_rand_int_range (rand, 1, 5);

  for (int i = 0; i < n_words; i++)
    {
      g_string_append_c (piece, ' ');
      g_string_append (piece, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
  if (g_rand_int_range (rand, 0, 20) == 0)
    g_string_append (piece, ".\n\n\"Quoted\"");

  g_string_append_printf (syn->stream,
                          "data: {\"id\":\"chatcmpl-8d1f3c0a9b\",\"object\":\"chat.completion.chunk\","
                          "\"created\":%u,\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,"
                          "\"delta\":{\"%s\":\"",
                          1767225600 + syn->n_chunks / 50,
                          reasoning ? "reasoning_content" : "content");
  append_json_string (syn->stream, piece->str);
  g_string_append (syn->stream, "\"},\"finish_reason\":null}]}\n\n");

  g_string_append (reasoning ? syn->reasoning : syn->content, piece->str);
  syn->n_chunks++;
}

static void
synthetic_build (Synthetic *syn,
                 gsize      size)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20260101);

  syn->stream = g_string_sized_new (size + 4096);
  syn->content = g_string_new (NULL);
  syn->reasoning = g_string_new (NULL);
  syn->n_chunks = 0;

  g_string_append (syn->stream,
                   "data: {\"id\":\"chatcmpl-8d1f3c0a9b\",\"object\":\"chat.completion.chunk\","
                   "\"created\":1767225600,\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,"
                   "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
  syn->n_chunks++;

  /* A thinking model reasons first: a fifth of the chunks, up front. */
  while (syn->stream->len < size / 5)
    append_chunk (syn, rand, TRUE);
  while (syn->stream->len < size)
    append_chunk (syn, rand, FALSE);

  g_string_append (syn->stream,
                   "data: {\"id\":\"chatcmpl-8d1f3c0a9b\",\"object\":\"chat.completion.chunk\","
                   "\"created\":1767225600,\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,"
                   "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
  g_string_append_printf (syn->stream,
                          "data: {\"id\":\"chatcmpl-8d1f3c0a9b\",\"object\":\"chat.completion.chunk\","
                          "\"created\":1767225600,\"model\":\"llama-3.1-8b\",\"choices\":[],"
                          "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":%u,"
                          "\"total_tokens\":%u}}\n\n",
                          syn->n_chunks, syn->n_chunks + 42);
  g_string_append (syn->stream, "data: [DONE]\n\n");
  syn->n_chunks += 3;
}

static void
synthetic_clear (Synthetic *syn)
{
  g_string_free (syn->stream, TRUE);
  g_string_free (syn->content, TRUE);
  g_string_free (syn->reasoning, TRUE);
}

/* Reads a "VmXXX:   1234 kB" line of /proc/self/status, in kB (-1: none). */
static gint64
read_vm_kb (const char *key)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;

  line = strstr (status, key);
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen (key) + 1, NULL, 10);
}

/* Resets the peak RSS so the next reading covers one run only; Linux has done
 * this since 4.0. */
static gboolean
reset_peak_rss (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static void
count_event_cb (const CriaSseEvent *event,
                gpointer            user_data)
{
  guint *n_events = user_data;

  (*n_events)++;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
run_parser (const Synthetic *syn)
{
  guint n_events = 0;
  CriaSseParser *parser = cria_sse_parser_new (count_event_cb, &n_events);
  gint64 start = g_get_monotonic_time ();

  for (gsize i = 0; i < syn->stream->len; i += READ_SIZE)
    cria_sse_parser_feed (parser, syn->stream->str + i, MIN (READ_SIZE, syn->stream->len - i));
  cria_sse_parser_finish (parser);

  start = g_get_monotonic_time () - start;
  cria_sse_parser_free (parser);

  if (n_events != syn->n_chunks)
    {
      g_printerr ("sse-parser: %u events, expected %u\n", n_events, syn->n_chunks);
      exit (1);
    }

  return start / 1e6;
}

static double
run_interpreter (const Synthetic *syn,
                 gint64          *peak_growth_kb)
{
  CriaChatReply *reply;
  CriaStreamInterpreter *interpreter;
  gint64 rss_before;
  gint64 start;
  double seconds;
  const char *content;
  const char *reasoning;

  rss_before = read_vm_kb ("VmRSS:");
  if (!reset_peak_rss ())
    rss_before = read_vm_kb ("VmHWM:");

  reply = cria_chat_reply_new ();
  interpreter = cria_stream_interpreter_new (reply);
  start = g_get_monotonic_time ();

  for (gsize i = 0; i < syn->stream->len; i += READ_SIZE)
    {
      if (!cria_stream_interpreter_feed (interpreter, syn->stream->str + i,
                                         MIN (READ_SIZE, syn->stream->len - i)))
        break;
    }
  cria_stream_interpreter_end (interpreter);

  seconds = (g_get_monotonic_time () - start) / 1e6;
  *peak_growth_kb = read_vm_kb ("VmHWM:") - rss_before;

  content = cria_chat_reply_get_content (reply);
  reasoning = cria_chat_reply_get_reasoning (reply);
  if (content == NULL || strlen (content) != syn->content->len
      || strcmp (content, syn->content->str) != 0
      || reasoning == NULL || strcmp (reasoning, syn->reasoning->str) != 0
      || !cria_stream_interpreter_saw_done (interpreter))
    {
      g_printerr ("interpreter: the reply holds %zu bytes of answer and %zu of reasoning, "
                  "expected %zu and %zu\n",
                  content != NULL ? strlen (content) : 0,
                  reasoning != NULL ? strlen (reasoning) : 0,
                  syn->content->len, syn->reasoning->len);
      exit (1);
    }

  cria_stream_interpreter_free (interpreter);
  g_object_unref (reply);

  return seconds;
}

static void
report (const char   *name,
        double       *seconds,
        guint         n_runs,
        const Synthetic *syn)
{
  double mb = syn->stream->len / 1e6;
  double best;
  double median;

  qsort (seconds, n_runs, sizeof *seconds, compare_double);
  best = seconds[0];
  median = n_runs % 2 ? seconds[n_runs / 2] : (seconds[n_runs / 2 - 1] + seconds[n_runs / 2]) / 2;

  printf ("%s: %.1f MB/s, %.2f M chunks/s (best of %u; median %.1f MB/s, %.2f M chunks/s)\n",
          name, mb / best, syn->n_chunks / best / 1e6, n_runs,
          mb / median, syn->n_chunks / median / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  gsize megabytes = argc > 1 ? (gsize) g_ascii_strtoull (argv[1], NULL, 10) : 50;
  guint n_runs = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 5;
  Synthetic syn;
  g_autofree double *seconds = NULL;
  gint64 max_growth_kb = 0;

  if (megabytes == 0 || n_runs == 0)
    {
      g_printerr ("Usage: %s [MEGABYTES] [RUNS]\n", argv[0]);
      return 2;
    }

  synthetic_build (&syn, megabytes * 1000 * 1000);
  seconds = g_new (double, n_runs);

  printf ("stream: %.1f MB, %u chunks, answer %zu bytes, reasoning %zu bytes, "
          "fed in %u-byte reads\n",
          syn.stream->len / 1e6, syn.n_chunks, syn.content->len, syn.reasoning->len, READ_SIZE);

  for (guint i = 0; i < n_runs; i++)
    seconds[i] = run_parser (&syn);
  report ("sse-parser", seconds, n_runs, &syn);

  for (guint i = 0; i < n_runs; i++)
    {
      gint64 growth_kb;

      seconds[i] = run_interpreter (&syn, &growth_kb);
      max_growth_kb = MAX (max_growth_kb, growth_kb);
    }
  report ("interpreter", seconds, n_runs, &syn);

  printf ("memory: peak RSS growth %.1f MB while interpreting, for %.1f MB of answer "
          "and reasoning (%.2fx)\n",
          max_growth_kb / 1e3, (syn.content->len + syn.reasoning->len) / 1e6,
          max_growth_kb * 1e3 / (syn.content->len + syn.reasoning->len));

  synthetic_clear (&syn);

  return 0;
}

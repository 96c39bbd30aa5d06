/* fuzz-stream.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer target for everything that reads a chat completion stream: the
 * SSE parser, the stream interpreter (parser, chunk JSON, reply) and the
 * reasoning splitter. The first input byte chooses the size of the pieces the
 * rest is fed in, so that the fuzzer explores split points; the seed corpus
 * files therefore start with one such byte before the stream itself.
 *
 * Beyond crashes, leaks and undefined behaviour, it checks that the parser and
 * the splitter give the same result whole, in pieces and one byte at a time.
 *
 * Run it bounded, on a copy of the seed corpus so the repository is not
 * written to:
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-stream
 *   corpus=$(mktemp -d)
 *   cp -R tests/fuzz/corpus/. "$corpus"
 *   ./build-fuzz/tests/fuzz/fuzz-stream -max_total_time=60 -timeout=10 \
 *       -rss_limit_mb=2048 "$corpus" tests/fuzz/corpus
 *   rm -rf "$corpus"
 *
 * Warnings and criticals are printed, not fatal; set CRIA_FUZZ_FATAL_LOG=1 to
 * make them abort, which is how to find code that warns on bad input. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cria-chat-reply.h"
#include "cria-reasoning-splitter.h"
#include "cria-sse-parser.h"
#include "cria-stream-interpreter.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean fatal_log;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  /* Debug output on every bad chunk would drown the fuzzer's own output and
   * slow it down; only what could be a bug is shown. */
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (fatal_log)
    abort ();

  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fatal_log = g_getenv ("CRIA_FUZZ_FATAL_LOG") != NULL;
  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  return 0;
}

static void
record_event_cb (const CriaSseEvent *event,
                 gpointer            user_data)
{
  GString *log = user_data;

  /* The data is NUL-terminated after its length, as consumers rely on. */
  if (event->data[event->data_len] != '\0' || event->type[0] == '\0')
    abort ();

  g_string_append (log, event->type);
  g_string_append_c (log, '\0');
  g_string_append (log, event->last_event_id);
  g_string_append_c (log, '\0');
  g_string_append_c (log, event->terminated ? 'T' : 'U');
  g_string_append_len (log, event->data, event->data_len);
  g_string_append_c (log, '\0');
}

static GString *
run_parser (const char *input,
            gsize       len,
            gsize       step,
            int        *retry)
{
  GString *log = g_string_new (NULL);
  CriaSseParser *parser = cria_sse_parser_new (record_event_cb, log);

  for (gsize i = 0; i < len; i += step)
    cria_sse_parser_feed (parser, input + i, MIN (step, len - i));
  cria_sse_parser_finish (parser);

  *retry = cria_sse_parser_get_retry (parser);
  g_string_append (log, cria_sse_parser_get_last_event_id (parser));
  cria_sse_parser_free (parser);

  return log;
}

static void
check_parser (const char *input,
              gsize       len,
              gsize       step)
{
  int retry_whole, retry_step, retry_byte;
  GString *whole = run_parser (input, len, MAX (len, 1), &retry_whole);
  GString *stepped = run_parser (input, len, step, &retry_step);
  GString *bytewise = run_parser (input, len, 1, &retry_byte);

  if (!g_string_equal (whole, stepped) || !g_string_equal (whole, bytewise)
      || retry_whole != retry_step || retry_whole != retry_byte)
    abort ();

  g_string_free (whole, TRUE);
  g_string_free (stepped, TRUE);
  g_string_free (bytewise, TRUE);
}

typedef struct
{
  GString *answer;
  GString *reasoning;
} Split;

static void
split_cb (const char *answer,
          const char *reasoning,
          gboolean    reclassified,
          gpointer    user_data)
{
  Split *split = user_data;

  /* Exactly one kind of text, never empty. */
  if ((answer == NULL) == (reasoning == NULL))
    abort ();
  if ((answer != NULL ? answer : reasoning)[0] == '\0')
    abort ();

  if (reclassified)
    {
      /* The answer shown so far must be part of what is taken back. */
      if (!g_str_has_prefix (reasoning, split->answer->str))
        abort ();
      g_string_truncate (split->answer, 0);
      g_string_assign (split->reasoning, reasoning);
    }
  else if (answer != NULL)
    g_string_append (split->answer, answer);
  else
    g_string_append (split->reasoning, reasoning);
}

static char *
run_splitter (const char *input,
              gsize       len,
              gsize       step,
              gboolean    orphan_close)
{
  Split split = { g_string_new (NULL), g_string_new (NULL) };
  CriaReasoningSplitter *splitter = cria_reasoning_splitter_new (split_cb, &split);
  char *result;

  if (!orphan_close)
    cria_reasoning_splitter_disable_orphan_close (splitter);

  for (gsize i = 0; i < len; i += step)
    cria_reasoning_splitter_feed (splitter, input + i, MIN (step, len - i));
  cria_reasoning_splitter_finish (splitter);
  cria_reasoning_splitter_free (splitter);

  result = g_strdup_printf ("%s%c%s", split.answer->str, 0, split.reasoning->str);
  g_string_free (split.answer, TRUE);
  g_string_free (split.reasoning, TRUE);

  return result;
}

static void
check_splitter (const char *input,
                gsize       len,
                gsize       step,
                gboolean    orphan_close)
{
  char *whole = run_splitter (input, len, MAX (len, 1), orphan_close);
  char *stepped = run_splitter (input, len, step, orphan_close);
  char *bytewise = run_splitter (input, len, 1, orphan_close);

  /* The results hold one NUL between answer and reasoning, so compare both
   * halves. */
  if (strcmp (whole, stepped) != 0 || strcmp (whole, bytewise) != 0
      || strcmp (whole + strlen (whole) + 1, stepped + strlen (stepped) + 1) != 0
      || strcmp (whole + strlen (whole) + 1, bytewise + strlen (bytewise) + 1) != 0)
    abort ();

  g_free (whole);
  g_free (stepped);
  g_free (bytewise);
}

static gsize
safe_strlen (const char *s)
{
  return s != NULL ? strlen (s) : 0;
}

static void
run_interpreter (const char *input,
                 gsize       len,
                 gsize       step)
{
  CriaChatReply *reply = cria_chat_reply_new ();
  CriaStreamInterpreter *interpreter = cria_stream_interpreter_new (reply);
  GPtrArray *tool_calls;

  for (gsize i = 0; i < len; i += step)
    {
      /* A client stops reading once the stream said it is over. */
      if (!cria_stream_interpreter_feed (interpreter, input + i, MIN (step, len - i)))
        break;
    }
  cria_stream_interpreter_end (interpreter);

  /* Read everything back, so that what the reply holds is touched too. */
  (void) cria_stream_interpreter_saw_done (interpreter);
  (void) cria_stream_interpreter_saw_finish (interpreter);
  (void) cria_stream_interpreter_saw_data (interpreter);
  (void) cria_stream_interpreter_get_error (interpreter);
  /* Decoded JSON strings are never longer than the stream they came in,
   * but for invalid bytes, each of which becomes a three-byte U+FFFD. */
  if (safe_strlen (cria_chat_reply_get_content (reply))
      + safe_strlen (cria_chat_reply_get_reasoning (reply)) > 3 * len)
    abort ();
  tool_calls = cria_chat_reply_get_tool_calls (reply);
  if (tool_calls != NULL && tool_calls->len > len)
    abort ();
  (void) cria_chat_reply_get_usage (reply);
  (void) cria_chat_reply_get_finish_reason (reply);
  (void) cria_chat_reply_get_finish_reason_string (reply);
  (void) cria_chat_reply_get_model (reply);

  cria_stream_interpreter_free (interpreter);
  g_object_unref (reply);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *input;
  gsize len;
  gsize step;

  if (size == 0)
    return 0;

  step = (data[0] % 17) + 1;
  input = (const char *) data + 1;
  len = size - 1;

  check_parser (input, len, step);
  run_interpreter (input, len, step);
  /* The splitter takes text, as the interpreter hands it out: up to a NUL. */
  len = strnlen (input, len);
  check_splitter (input, len, step, TRUE);
  check_splitter (input, len, step, FALSE);

  return 0;
}

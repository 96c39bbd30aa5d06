/* test-sse-parser.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-sse-parser.h"

/* Each dispatched event is recorded as one line of text, so that whole runs
 * can be compared with a single string comparison. Control characters in the
 * data are escaped so that a line is always one event. */
typedef struct
{
  GString *log;
  guint    n_events;
} Recorder;

static void
record_event_cb (const CriaSseEvent *event,
                 gpointer            user_data)
{
  Recorder *rec = user_data;

  g_assert_nonnull (event->type);
  g_assert_nonnull (event->data);
  g_assert_nonnull (event->last_event_id);
  g_assert_cmpuint (strlen (event->data), <=, event->data_len);

  g_string_append_printf (rec->log, "%s|%s|%s|", event->type, event->last_event_id,
                          event->terminated ? "T" : "U");
  for (gsize i = 0; i < event->data_len; i++)
    {
      guchar c = event->data[i];

      if (c == '\n')
        g_string_append (rec->log, "\\n");
      else if (c == '\r')
        g_string_append (rec->log, "\\r");
      else if (c == '\0')
        g_string_append (rec->log, "\\0");
      else
        g_string_append_c (rec->log, c);
    }
  g_string_append_c (rec->log, '\n');
  rec->n_events++;
}

static void
recorder_init (Recorder *rec)
{
  rec->log = g_string_new (NULL);
  rec->n_events = 0;
}

static void
recorder_clear (Recorder *rec)
{
  g_string_free (rec->log, TRUE);
}

/* Feeds @input in pieces of @step bytes (0: whole), then finishes. */
static char *
parse_in_steps (const char *input,
                gsize       len,
                gsize       step)
{
  Recorder rec;
  CriaSseParser *parser;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);

  if (step == 0)
    step = len;
  for (gsize i = 0; i < len; i += step)
    cria_sse_parser_feed (parser, input + i, MIN (step, len - i));
  cria_sse_parser_finish (parser);

  cria_sse_parser_free (parser);
  return g_string_free (rec.log, FALSE);
}

/* Feeds @input in two pieces split at @at, then finishes. */
static char *
parse_split_at (const char *input,
                gsize       len,
                gsize       at)
{
  Recorder rec;
  CriaSseParser *parser;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);
  cria_sse_parser_feed (parser, input, at);
  cria_sse_parser_feed (parser, input + at, len - at);
  cria_sse_parser_finish (parser);
  cria_sse_parser_free (parser);

  return g_string_free (rec.log, FALSE);
}

static char *
parse (const char *input)
{
  return parse_in_steps (input, strlen (input), 0);
}

/* Asserts that @input gives @expected however it is split: whole, one byte at
 * a time, a few odd sizes, and in two pieces at every split point. */
static void
assert_parses_to (const char *input,
                  gsize       len,
                  const char *expected)
{
  static const gsize steps[] = { 0, 1, 2, 3, 7, 16 };

  for (gsize i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autofree char *log = parse_in_steps (input, len, steps[i]);

      g_assert_cmpstr (log, ==, expected);
    }

  for (gsize at = 0; at <= len; at++)
    {
      g_autofree char *log = parse_split_at (input, len, at);

      g_assert_cmpstr (log, ==, expected);
    }
}

static void
test_line_end_lf (void)
{
  g_autofree char *log = parse ("data: a\n\ndata: b\n\n");

  g_assert_cmpstr (log, ==, "message||T|a\nmessage||T|b\n");
}

static void
test_line_end_crlf (void)
{
  g_autofree char *log = parse ("data: a\r\n\r\ndata: b\r\ndata: c\r\n\r\n");

  g_assert_cmpstr (log, ==, "message||T|a\nmessage||T|b\\nc\n");
}

static void
test_line_end_cr (void)
{
  g_autofree char *log = parse ("data: a\r\rdata: b\rdata: c\r\r");

  g_assert_cmpstr (log, ==, "message||T|a\nmessage||T|b\\nc\n");
}

static void
test_line_end_mixed (void)
{
  const char *input = "data: a\rdata: b\ndata: c\r\n\r\n";

  assert_parses_to (input, strlen (input), "message||T|a\\nb\\nc\n");
}

static void
test_line_end_crlf_split (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);

  /* The CR ends the line; the LF in the next read belongs to it and must not
   * count as a blank line that dispatches. */
  cria_sse_parser_feed (parser, "data: a\r", 8);
  cria_sse_parser_feed (parser, "\n", 1);
  g_assert_cmpuint (rec.n_events, ==, 0);

  cria_sse_parser_feed (parser, "data: b\r", 8);
  cria_sse_parser_feed (parser, "\ndata: c\r\n\r", 11);
  g_assert_cmpuint (rec.n_events, ==, 1);
  cria_sse_parser_feed (parser, "\n", 1);
  g_assert_cmpuint (rec.n_events, ==, 1);

  cria_sse_parser_finish (parser);
  g_assert_cmpstr (rec.log->str, ==, "message||T|a\\nb\\nc\n");
  recorder_clear (&rec);
}

static void
test_line_end_cr_then_cr_split (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);

  /* A CR at the end of a read followed by a CR is a blank line, and an empty
   * read in between does not forget the pending CR. */
  cria_sse_parser_feed (parser, "data: a\r", 8);
  cria_sse_parser_feed (parser, "", 0);
  g_assert_cmpuint (rec.n_events, ==, 0);
  cria_sse_parser_feed (parser, "\r", 1);
  g_assert_cmpuint (rec.n_events, ==, 1);
  cria_sse_parser_feed (parser, "\n", 1);
  g_assert_cmpuint (rec.n_events, ==, 1);

  cria_sse_parser_finish (parser);
  g_assert_cmpstr (rec.log->str, ==, "message||T|a\n");
  recorder_clear (&rec);
}

static void
test_data_space (void)
{
  g_autofree char *log = parse ("data:a\n\ndata: b\n\ndata:  c\n\ndata:\n\n");

  /* Only the first space belongs to the syntax. */
  g_assert_cmpstr (log, ==,
                   "message||T|a\n"
                   "message||T|b\n"
                   "message||T| c\n"
                   "message||T|\n");
}

static void
test_data_multi_line (void)
{
  g_autofree char *log = parse ("data: one\ndata:two\ndata\ndata: four\n\n");

  g_assert_cmpstr (log, ==, "message||T|one\\ntwo\\n\\nfour\n");
}

static void
test_data_no_colon (void)
{
  g_autofree char *log = parse ("data\n\ndata\ndata\n\n");

  /* A line without a colon is a field with an empty value: "data" alone makes
   * an event with empty data, which is dispatched. */
  g_assert_cmpstr (log, ==, "message||T|\nmessage||T|\\n\n");
}

static void
test_data_nul (void)
{
  static const char input[] = "data: a\0b\n\n";
  g_autofree char *log = parse_in_steps (input, sizeof input - 1, 0);

  g_assert_cmpstr (log, ==, "message||T|a\\0b\n");
}

static void
test_comments (void)
{
  g_autofree char *log = parse (": PROCESSING\n\n"
                                ": OPENROUTER PROCESSING\n"
                                "data: a\n"
                                ":data: b\n"
                                ":\n"
                                "data: c\n\n");

  g_assert_cmpstr (log, ==, "message||T|a\\nc\n");
}

static void
test_unknown_field (void)
{
  g_autofree char *log = parse ("foo: bar\ndata: a\nDATA: b\ndatas: c\n data: d\n\n");

  g_assert_cmpstr (log, ==, "message||T|a\n");
}

static void
test_event_type (void)
{
  g_autofree char *log = parse ("event: error\ndata: a\n\n"
                                "data: b\n\n"
                                "event:\ndata: c\n\n"
                                "event: x\nevent: y\ndata: d\n\n");

  /* The type resets after each dispatch, and an empty type means "message". */
  g_assert_cmpstr (log, ==,
                   "error||T|a\n"
                   "message||T|b\n"
                   "message||T|c\n"
                   "y||T|d\n");
}

static void
test_event_type_nul (void)
{
  static const char input[] = "event: message\0x\ndata: a\n\ndata: b\n\n";
  g_autofree char *log = parse_in_steps (input, sizeof input - 1, 0);

  /* No C string names a type with NUL in it, so that event is dropped, and not
   * mistaken for a "message". */
  g_assert_cmpstr (log, ==, "message||T|b\n");
}

static void
test_event_without_data (void)
{
  g_autofree char *log = parse ("event: ping\n\n"
                                "\n\n\n"
                                "data: a\n\n");

  /* An event with no data line is not dispatched, but its type is still
   * reset: "a" is a plain message. */
  g_assert_cmpstr (log, ==, "message||T|a\n");
}

static void
test_id (void)
{
  static const char input[] = "id: 1\ndata: a\n\n"
                              "data: b\n\n"
                              "id: 2\n\n"
                              "data: c\n\n"
                              "id: x\0y\ndata: d\n\n"
                              "id\ndata: e\n\n";
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);
  g_assert_cmpstr (cria_sse_parser_get_last_event_id (parser), ==, "");

  cria_sse_parser_feed (parser, input, sizeof input - 1);
  cria_sse_parser_finish (parser);

  /* The ID persists across events, is committed even by an event without
   * data, is ignored when it holds NUL, and "id" alone clears it. */
  g_assert_cmpstr (rec.log->str, ==,
                   "message|1|T|a\n"
                   "message|1|T|b\n"
                   "message|2|T|c\n"
                   "message|2|T|d\n"
                   "message||T|e\n");
  g_assert_cmpstr (cria_sse_parser_get_last_event_id (parser), ==, "");
  recorder_clear (&rec);
}

static void
test_id_committed_on_dispatch (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);

  cria_sse_parser_feed (parser, "id: 7\n", 6);
  g_assert_cmpstr (cria_sse_parser_get_last_event_id (parser), ==, "");
  cria_sse_parser_feed (parser, "\n", 1);
  g_assert_cmpstr (cria_sse_parser_get_last_event_id (parser), ==, "7");
  g_assert_cmpuint (rec.n_events, ==, 0);

  cria_sse_parser_finish (parser);
  recorder_clear (&rec);
}

static void
test_retry (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;
  const char *rejected[] = {
    "retry: 12a\n", "retry: -5\n", "retry:\n", "retry\n", "retry:  100\n",
    "retry: 1.5\n", "retry: \xD9\xA3\n",
  };

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);
  g_assert_cmpint (cria_sse_parser_get_retry (parser), ==, -1);

  cria_sse_parser_feed (parser, "retry: 3000\n", 12);
  g_assert_cmpint (cria_sse_parser_get_retry (parser), ==, 3000);

  for (gsize i = 0; i < G_N_ELEMENTS (rejected); i++)
    {
      cria_sse_parser_feed (parser, rejected[i], strlen (rejected[i]));
      g_assert_cmpint (cria_sse_parser_get_retry (parser), ==, 3000);
    }

  cria_sse_parser_feed (parser, "retry:0\n", 8);
  g_assert_cmpint (cria_sse_parser_get_retry (parser), ==, 0);

  /* A value past int saturates instead of wrapping round. */
  cria_sse_parser_feed (parser, "retry: 99999999999999999999\n", 28);
  g_assert_cmpint (cria_sse_parser_get_retry (parser), ==, G_MAXINT);

  g_assert_cmpuint (rec.n_events, ==, 0);
  cria_sse_parser_finish (parser);
  recorder_clear (&rec);
}

static void
test_bom (void)
{
  const char *input = "\xEF\xBB\xBF" "data: a\n\n";

  /* assert_parses_to() also splits inside the BOM at every point. */
  assert_parses_to (input, strlen (input), "message||T|a\n");
}

static void
test_bom_only_at_start (void)
{
  const char *twice = "\xEF\xBB\xBF\xEF\xBB\xBF" "data: a\n\ndata: b\n\n";
  const char *later = "data: a\n\n\xEF\xBB\xBF" "data: b\n\n";
  const char *in_value = "data: \xEF\xBB\xBFz\n\n";
  const char *partial = "\xEF\xBB" "data: a\n\ndata: b\n\n";

  /* A second BOM, or one later in the stream, is part of a field name, which
   * then is unknown; in a value it is data. A stream that merely begins like
   * a BOM keeps those bytes. */
  assert_parses_to (twice, strlen (twice), "message||T|b\n");
  assert_parses_to (later, strlen (later), "message||T|a\n");
  assert_parses_to (in_value, strlen (in_value), "message||T|\xEF\xBB\xBFz\n");
  assert_parses_to (partial, strlen (partial), "message||T|b\n");
}

static void
test_bom_at_finish (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);
  cria_sse_parser_feed (parser, "\xEF\xBB", 2);
  cria_sse_parser_finish (parser);
  g_assert_cmpuint (rec.n_events, ==, 0);
  recorder_clear (&rec);
}

static void
test_utf8_split (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);

  /* "é" and "🦙" cut in the middle of their sequences. */
  cria_sse_parser_feed (parser, "data: h\xC3", 8);
  cria_sse_parser_feed (parser, "\xA9llo \xF0\x9F", 7);
  cria_sse_parser_feed (parser, "\xA6", 1);
  cria_sse_parser_feed (parser, "\x99\n\n", 3);
  cria_sse_parser_finish (parser);

  g_assert_cmpstr (rec.log->str, ==, "message||T|h\xC3\xA9llo \xF0\x9F\xA6\x99\n");
  g_assert_true (g_utf8_validate (rec.log->str, -1, NULL));
  recorder_clear (&rec);
}

static const char openai_stream[] =
  "\xEF\xBB\xBF"
  ": OPENROUTER PROCESSING\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
  "\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
  "\"content\":\"\"},\"finish_reason\":null}]}\n\n"
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Caf\xC3\xA9 \"},"
  "\"finish_reason\":null}]}\r\n\r\n"
  "id: 42\r"
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xF0\x9F\xA6\x99\"},"
  "\"finish_reason\":null}]}\r\r"
  ": keep-alive\n"
  "event: error\n"
  "data: {\"error\":{\"message\":\"overloaded\",\n"
  "data: \"code\":503}}\n\n"
  "retry: 1500\n"
  "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
  "\"completion_tokens\":3,\"total_tokens\":8}}\n\n"
  "data: [DONE]\n\n";

static const char openai_expected[] =
  "message||T|{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
  "\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
  "\"content\":\"\"},\"finish_reason\":null}]}\n"
  "message||T|{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Caf\xC3\xA9 \"},"
  "\"finish_reason\":null}]}\n"
  "message|42|T|{\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\xF0\x9F\xA6\x99\"},"
  "\"finish_reason\":null}]}\n"
  "error|42|T|{\"error\":{\"message\":\"overloaded\",\\n\"code\":503}}\n"
  "message|42|T|{\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,"
  "\"completion_tokens\":3,\"total_tokens\":8}}\n"
  "message|42|T|[DONE]\n";

static void
test_realistic_splits (void)
{
  assert_parses_to (openai_stream, sizeof openai_stream - 1, openai_expected);
}

static void
test_unterminated_last_line (void)
{
  g_autofree char *no_line_end = parse ("data: a\n\ndata: {\"b\":1}");
  g_autofree char *no_blank_line = parse ("data: a\n\ndata: {\"b\":1}\ndata: 2\n");
  g_autofree char *cr_only = parse ("data: a\r");
  g_autofree char *fields_only = parse ("data: a\n\nevent: x\nid: 3\nretry: 1");
  g_autofree char *comment = parse ("data: a\n\n: keep-alive");

  /* A last line with no line end is a whole field line, and the pending event
   * is handed out marked unterminated. */
  g_assert_cmpstr (no_line_end, ==, "message||T|a\nmessage||U|{\"b\":1}\n");
  g_assert_cmpstr (no_blank_line, ==, "message||T|a\nmessage||U|{\"b\":1}\\n2\n");
  g_assert_cmpstr (cr_only, ==, "message||U|a\n");
  /* No data: nothing to dispatch. */
  g_assert_cmpstr (fields_only, ==, "message||T|a\n");
  g_assert_cmpstr (comment, ==, "message||T|a\n");
}

static void
test_unterminated_split (void)
{
  const char *input = "event: e\ndata: {\"a\":\"\xC3\xA9\"}\ndata: x";

  assert_parses_to (input, strlen (input), "e||U|{\"a\":\"\xC3\xA9\"}\\nx\n");
}

static void
test_nothing_after_finish (void)
{
  Recorder rec;
  g_autoptr(CriaSseParser) parser = NULL;

  recorder_init (&rec);
  parser = cria_sse_parser_new (record_event_cb, &rec);
  cria_sse_parser_feed (parser, "data: a", 7);
  cria_sse_parser_finish (parser);
  g_assert_cmpuint (rec.n_events, ==, 1);

  /* Finishing twice changes nothing; feeding after the end is a bug. */
  cria_sse_parser_finish (parser);
  g_assert_cmpuint (rec.n_events, ==, 1);

  g_test_expect_message ("Cria", G_LOG_LEVEL_CRITICAL, "*!self->finished*");
  cria_sse_parser_feed (parser, "\n\n", 2);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (rec.n_events, ==, 1);
  recorder_clear (&rec);
}

static void
test_long_line (void)
{
  g_autoptr(GString) input = g_string_new ("data: ");
  g_autoptr(GString) expected = g_string_new ("message||T|");
  g_autofree char *log = NULL;

  /* There is no line length limit: a 1 MiB line arrives whole, in 4 KiB reads. */
  for (guint i = 0; i < 1024 * 1024; i++)
    g_string_append_c (input, 'a' + i % 26);
  g_string_append_len (expected, input->str + 6, input->len - 6);
  g_string_append (input, "\n\n");
  g_string_append_c (expected, '\n');

  log = parse_in_steps (input->str, input->len, 4096);
  g_assert_cmpstr (log, ==, expected->str);
}

static void
test_many_events (void)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *whole = NULL;
  g_autofree char *pieces = NULL;
  guint lines;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (input, "data: {\"n\":%u}\n\n", i);

  whole = parse_in_steps (input->str, input->len, 0);
  pieces = parse_in_steps (input->str, input->len, 13);
  g_assert_cmpstr (whole, ==, pieces);

  lines = 0;
  for (const char *p = whole; *p != '\0'; p++)
    lines += (*p == '\n');
  g_assert_cmpuint (lines, ==, 1000);
  g_assert_true (g_str_has_suffix (whole, "message||T|{\"n\":999}\n"));
}

static void
record_field_cb (const char *name,
                 gsize       name_len,
                 const char *value,
                 gsize       value_len,
                 gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_len (log, name, name_len);
  g_string_append_c (log, '=');
  g_string_append_len (log, value, value_len);
  g_string_append_c (log, ';');
}

static void
test_unknown_fields (void)
{
  /* llama.cpp's old error line, a field with no colon, and the standard
   * fields, which never reach the field function. */
  static const char input[] =
    "error: {\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}\n\n"
    "event: x\nid: 1\nretry: 5\ndata: d\nbogus\n\n"
    "x-y:  two spaces\r\n\r\n"
    "data: [DONE]\n\n";
  Recorder rec;
  CriaSseParser *parser;
  g_autoptr(GString) fields = g_string_new (NULL);

  for (gsize step = 1; step <= sizeof input; step += 7)
    {
      recorder_init (&rec);
      g_string_truncate (fields, 0);
      parser = cria_sse_parser_new (record_event_cb, &rec);
      cria_sse_parser_set_field_func (parser, record_field_cb, fields);
      for (gsize i = 0; i < sizeof input - 1; i += step)
        cria_sse_parser_feed (parser, input + i, MIN (step, sizeof input - 1 - i));
      cria_sse_parser_finish (parser);

      g_assert_cmpstr (fields->str, ==,
                       "error={\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"};"
                       "bogus=;x-y= two spaces;");
      /* The standard's behaviour is unchanged: the unknown fields are
       * otherwise ignored. */
      g_assert_cmpstr (rec.log->str, ==, "x|1|T|d\nmessage|1|T|[DONE]\n");
      g_assert_false (cria_sse_parser_overflowed (parser));
      cria_sse_parser_free (parser);
      recorder_clear (&rec);
    }
}

/* Feeds @piece @times times, then finishes; returns whether the parser
 * overflowed. */
static gboolean
feed_repeatedly (const char *prefix,
                 const char *piece,
                 gsize       times,
                 Recorder   *rec)
{
  CriaSseParser *parser = cria_sse_parser_new (record_event_cb, rec);
  gboolean overflowed;

  cria_sse_parser_feed (parser, prefix, strlen (prefix));
  for (gsize i = 0; i < times; i++)
    cria_sse_parser_feed (parser, piece, strlen (piece));
  cria_sse_parser_finish (parser);
  overflowed = cria_sse_parser_overflowed (parser);
  cria_sse_parser_free (parser);

  return overflowed;
}

static void
test_endless_line_capped (void)
{
  g_autofree char *kib = g_strnfill (1024, 'a');
  g_autofree char *kib_line = g_strconcat ("data: ", kib, "\n", NULL);
  Recorder rec;

  /* One data line that never ends: the parser stops at CRIA_SSE_MAX_SIZE
   * instead of buffering the whole stream, and dispatches nothing more. */
  recorder_init (&rec);
  g_assert_true (feed_repeatedly ("data: {\"a\":1}\n\ndata: ", kib,
                                  CRIA_SSE_MAX_SIZE / 1024 + 1, &rec));
  g_assert_cmpstr (rec.log->str, ==, "message||T|{\"a\":1}\n");
  recorder_clear (&rec);

  /* An event of many lines that no blank line ends. */
  recorder_init (&rec);
  g_assert_true (feed_repeatedly ("", kib_line, CRIA_SSE_MAX_SIZE / 1024 + 1, &rec));
  g_assert_cmpuint (rec.n_events, ==, 0);
  recorder_clear (&rec);

  /* Just under the cap is still read. */
  recorder_init (&rec);
  g_assert_false (feed_repeatedly ("", kib_line, CRIA_SSE_MAX_SIZE / 1024 - 16, &rec));
  g_assert_cmpuint (rec.n_events, ==, 1);
  recorder_clear (&rec);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sse-parser/line-end/lf", test_line_end_lf);
  g_test_add_func ("/sse-parser/line-end/crlf", test_line_end_crlf);
  g_test_add_func ("/sse-parser/line-end/cr", test_line_end_cr);
  g_test_add_func ("/sse-parser/line-end/mixed", test_line_end_mixed);
  g_test_add_func ("/sse-parser/line-end/crlf-split", test_line_end_crlf_split);
  g_test_add_func ("/sse-parser/line-end/cr-cr-split", test_line_end_cr_then_cr_split);
  g_test_add_func ("/sse-parser/data/space", test_data_space);
  g_test_add_func ("/sse-parser/data/multi-line", test_data_multi_line);
  g_test_add_func ("/sse-parser/data/no-colon", test_data_no_colon);
  g_test_add_func ("/sse-parser/data/nul", test_data_nul);
  g_test_add_func ("/sse-parser/comments", test_comments);
  g_test_add_func ("/sse-parser/unknown-field", test_unknown_field);
  g_test_add_func ("/sse-parser/event-type", test_event_type);
  g_test_add_func ("/sse-parser/event-type-nul", test_event_type_nul);
  g_test_add_func ("/sse-parser/event-without-data", test_event_without_data);
  g_test_add_func ("/sse-parser/id", test_id);
  g_test_add_func ("/sse-parser/id-committed-on-dispatch", test_id_committed_on_dispatch);
  g_test_add_func ("/sse-parser/retry", test_retry);
  g_test_add_func ("/sse-parser/bom/start", test_bom);
  g_test_add_func ("/sse-parser/bom/only-at-start", test_bom_only_at_start);
  g_test_add_func ("/sse-parser/bom/at-finish", test_bom_at_finish);
  g_test_add_func ("/sse-parser/utf8-split", test_utf8_split);
  g_test_add_func ("/sse-parser/realistic-splits", test_realistic_splits);
  g_test_add_func ("/sse-parser/unterminated/last-line", test_unterminated_last_line);
  g_test_add_func ("/sse-parser/unterminated/split", test_unterminated_split);
  g_test_add_func ("/sse-parser/nothing-after-finish", test_nothing_after_finish);
  g_test_add_func ("/sse-parser/long-line", test_long_line);
  g_test_add_func ("/sse-parser/many-events", test_many_events);
  g_test_add_func ("/sse-parser/unknown-fields", test_unknown_fields);
  g_test_add_func ("/sse-parser/endless-line-capped", test_endless_line_capped);

  return g_test_run ();
}

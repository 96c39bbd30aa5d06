/* test-chat-reply.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-api-error.h"
#include "cria-chat-reply-private.h"
#include "cria-message-private.h"

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_states (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = cria_api_error_new (CRIA_API_ERROR_INTERRUPTED, 0, NULL, -1, "cut");
  guint notified = 0;

  g_signal_connect (reply, "notify::state", G_CALLBACK (notify_count_cb), &notified);

  _cria_chat_reply_begin (reply);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_PENDING);
  g_assert_false (cria_chat_reply_is_finished (reply));
  g_assert_cmpuint (notified, ==, 0);

  _cria_chat_reply_append_content (reply, "Half an ans");
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_STREAMING);
  g_assert_cmpuint (notified, ==, 1);
  _cria_chat_reply_append_content (reply, "wer");
  g_assert_cmpuint (notified, ==, 1);

  _cria_chat_reply_finish (reply, CRIA_CHAT_REPLY_STATE_INTERRUPTED, error, 10);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
  g_assert_true (cria_chat_reply_is_finished (reply));
  g_assert_error ((GError *) cria_chat_reply_get_error (reply), CRIA_API_ERROR, CRIA_API_ERROR_INTERRUPTED);
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Half an answer");
  g_assert_cmpuint (notified, ==, 2);

  /* A finished reply stays as it ended. */
  _cria_chat_reply_finish (reply, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL, 10);
  g_assert_cmpint (cria_chat_reply_get_state (reply), ==, CRIA_CHAT_REPLY_STATE_INTERRUPTED);
}

static void
test_estimated_usage (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaChatReply) reported = cria_chat_reply_new ();
  const CriaUsage *usage;
  CriaUsage server = { 100, 20, 0, FALSE };

  /* No usage from the server: estimated, and said so. */
  _cria_chat_reply_begin (reply);
  _cria_chat_reply_append_reasoning (reply, "abcdefgh");
  _cria_chat_reply_append_content (reply, "abcdefghijkl");
  _cria_chat_reply_finish (reply, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL, 42);
  usage = cria_chat_reply_get_usage (reply);
  g_assert_nonnull (usage);
  g_assert_true (usage->estimated);
  g_assert_cmpint (usage->prompt_tokens, ==, 42);
  g_assert_cmpint (usage->reasoning_tokens, ==, 2);
  g_assert_cmpint (usage->completion_tokens, ==, 5);

  /* Usage the server sent is kept as it was. */
  _cria_chat_reply_begin (reported);
  _cria_chat_reply_append_content (reported, "abcdefghijkl");
  _cria_chat_reply_set_usage (reported, &server);
  _cria_chat_reply_finish (reported, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL, 42);
  usage = cria_chat_reply_get_usage (reported);
  g_assert_false (usage->estimated);
  g_assert_cmpint (usage->prompt_tokens, ==, 100);
  g_assert_cmpint (usage->completion_tokens, ==, 20);
}

static void
test_failed_without_text_has_no_usage (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(GError) error = cria_api_error_new (CRIA_API_ERROR_UNAUTHORIZED, 401, NULL, -1, "no");

  /* Nothing was generated, so nothing is counted as spent. */
  _cria_chat_reply_begin (reply);
  _cria_chat_reply_finish (reply, CRIA_CHAT_REPLY_STATE_FAILED, error, 42);
  g_assert_null (cria_chat_reply_get_usage (reply));
}

static void
test_cost (void)
{
  CriaUsage usage = { 1000000, 500000, 0, FALSE };
  CriaUsage small = { 1200, 300, 0, TRUE };
  CriaUsage prompt_only = { 2048, 0, 0, FALSE };

  /* llama-3.1-8b: $0.03 in, $0.05 out per million tokens. */
  g_assert_cmpfloat_with_epsilon (cria_usage_get_cost (&usage, 0.03, 0.05), 0.03 + 0.025, 1e-12);
  g_assert_cmpfloat_with_epsilon (cria_usage_get_cost (&small, 0.15, 0.55),
                                  1200 * 0.15 / 1e6 + 300 * 0.55 / 1e6, 1e-15);
  /* An embedding model has no output price; a prompt-only use still costs. */
  g_assert_cmpfloat_with_epsilon (cria_usage_get_cost (&prompt_only, 0.02, -1), 2048 * 0.02 / 1e6, 1e-15);
  /* An unknown price gives an unknown cost, never a made-up zero. */
  g_assert_cmpfloat (cria_usage_get_cost (&usage, -1, 0.05), <, 0);
  g_assert_cmpfloat (cria_usage_get_cost (&usage, 0.03, -1), <, 0);
  g_assert_cmpint (cria_usage_get_total (&usage), ==, 1500000);
}

static void
test_estimate_tokens (void)
{
  g_assert_cmpint (cria_usage_estimate_tokens (NULL), ==, 0);
  g_assert_cmpint (cria_usage_estimate_tokens (""), ==, 0);
  g_assert_cmpint (cria_usage_estimate_tokens ("abcd"), ==, 1);
  g_assert_cmpint (cria_usage_estimate_tokens ("abcde"), ==, 2);
  /* Counted in characters: eight CJK characters are not 24 bytes' worth. */
  g_assert_cmpint (cria_usage_estimate_tokens ("日本語の文章です"), ==, 2);
}

static void
test_tool_call_merge (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  CriaToolCall *call;

  _cria_chat_reply_begin (reply);
  _cria_chat_reply_merge_tool_call (reply, 1, "call_b", NULL, "second", "{");
  _cria_chat_reply_merge_tool_call (reply, 0, "call_a", "function", "first", "");
  _cria_chat_reply_merge_tool_call (reply, 1, NULL, NULL, NULL, "}");
  _cria_chat_reply_merge_tool_call (reply, 0, "call_a", NULL, "first", "[1]");

  g_assert_cmpuint (cria_chat_reply_get_tool_calls (reply)->len, ==, 2);
  call = g_ptr_array_index (cria_chat_reply_get_tool_calls (reply), 0);
  g_assert_cmpint (call->index, ==, 1);
  g_assert_cmpstr (call->id, ==, "call_b");
  g_assert_cmpstr (call->type, ==, "function");
  g_assert_cmpstr (call->arguments, ==, "{}");
  call = g_ptr_array_index (cria_chat_reply_get_tool_calls (reply), 1);
  g_assert_cmpstr (call->name, ==, "first");
  g_assert_cmpstr (call->arguments, ==, "[1]");
}

static void
test_finish_reasons (void)
{
  static const struct {
    const char       *text;
    CriaFinishReason  reason;
  } cases[] = {
    { "stop", CRIA_FINISH_REASON_STOP },
    { "length", CRIA_FINISH_REASON_LENGTH },
    { "tool_calls", CRIA_FINISH_REASON_TOOL_CALLS },
    { "content_filter", CRIA_FINISH_REASON_CONTENT_FILTER },
    { "error", CRIA_FINISH_REASON_OTHER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();

      g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, CRIA_FINISH_REASON_NONE);
      _cria_chat_reply_set_finish_reason (reply, cases[i].text);
      g_assert_cmpint (cria_chat_reply_get_finish_reason (reply), ==, cases[i].reason);
      g_assert_cmpstr (cria_chat_reply_get_finish_reason_string (reply), ==, cases[i].text);
    }
}

static void
test_reasoning_moved (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();

  _cria_chat_reply_begin (reply);
  _cria_chat_reply_append_content (reply, "Thinking aloud");
  _cria_chat_reply_move_content_to_reasoning (reply, "Thinking aloud");
  _cria_chat_reply_append_content (reply, "Answer");
  g_assert_cmpstr (cria_chat_reply_get_content (reply), ==, "Answer");
  g_assert_cmpstr (cria_chat_reply_get_reasoning (reply), ==, "Thinking aloud");
  g_assert_cmpint (cria_chat_reply_get_thinking_time (reply), >=, 0);
}

/* What each handler saw, in order: which object, which signal, its text
 * then and the text it was handed. */
static void
record (GString    *log,
        GObject    *object,
        const char *signal,
        const char *text)
{
  const char *whole = CRIA_IS_MESSAGE (object) ? cria_message_get_content (CRIA_MESSAGE (object))
                                               : cria_chat_reply_get_content (CRIA_CHAT_REPLY (object));

  g_string_append_printf (log, "%s %s [%s] %s\n",
                          CRIA_IS_MESSAGE (object) ? "message" : "reply",
                          signal, whole, text != NULL ? text : "-");
}

static void
content_appended_cb (GObject    *object,
                     const char *text,
                     GString    *log)
{
  record (log, object, "content-appended", text);
}

static void
reasoning_appended_cb (GObject    *object,
                       const char *text,
                       GString    *log)
{
  record (log, object, "reasoning-appended", text);
}

static void
content_reset_cb (GObject *object,
                  GString *log)
{
  record (log, object, "content-reset", NULL);
}

static void
connect_all (gpointer  object,
             GString  *log)
{
  g_signal_connect (object, "content-appended", G_CALLBACK (content_appended_cb), log);
  g_signal_connect (object, "reasoning-appended", G_CALLBACK (reasoning_appended_cb), log);
  g_signal_connect (object, "content-reset", G_CALLBACK (content_reset_cb), log);
}

/* The reply and the message share one declaration of the three signals;
 * the message repeats each of its reply's, in the same order, after the
 * reply's own handlers and after taking the text in. */
static void
test_streaming_text_signals (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaMessage) message = cria_message_new (CRIA_ROLE_ASSISTANT, "");
  g_autoptr(GString) log = g_string_new (NULL);

  g_assert_true (CRIA_IS_STREAMING_TEXT (reply));
  g_assert_true (CRIA_IS_STREAMING_TEXT (message));
  g_assert_cmpuint (g_signal_lookup ("content-appended", CRIA_TYPE_CHAT_REPLY), ==,
                    g_signal_lookup ("content-appended", CRIA_TYPE_MESSAGE));

  connect_all (reply, log);
  _cria_chat_reply_begin (reply);
  _cria_message_follow_reply (message, reply);
  connect_all (message, log);

  _cria_chat_reply_append_content (reply, "Hmm");
  _cria_chat_reply_move_content_to_reasoning (reply, "Hmm");
  _cria_chat_reply_append_content (reply, "Yes");

  g_assert_cmpstr (log->str, ==,
                   "reply content-appended [Hmm] Hmm\n"
                   "message content-appended [Hmm] Hmm\n"
                   "reply content-reset [] -\n"
                   "message content-reset [] -\n"
                   "reply reasoning-appended [] Hmm\n"
                   "message reasoning-appended [] Hmm\n"
                   "reply content-appended [Yes] Yes\n"
                   "message content-appended [Yes] Yes\n");
  g_assert_cmpstr (cria_message_get_reasoning (message), ==, "Hmm");

  _cria_message_end_reply (message);
}

static void
test_tool_call_merge_linear (void)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autofree char *fragment = g_strnfill (1024, 'x');
  GPtrArray *calls;
  CriaToolCall *call;
  const char *last = NULL;
  guint n_moves = 0;
  const guint n_fragments = 8 * 1024;

  /* 8 MiB of arguments in 1 KiB fragments, as a model writing a file in a
   * tool call sends them. Appending by copying the whole text each time is
   * quadratic (tens of seconds); growing one buffer moves it only a
   * logarithmic number of times, which the pointer shows. */
  _cria_chat_reply_begin (reply);
  _cria_chat_reply_merge_tool_call (reply, 0, "call_1", "function", "write_file", "");
  _cria_chat_reply_merge_tool_call (reply, 1, "call_2", "function", "other", "{");
  calls = cria_chat_reply_get_tool_calls (reply);
  for (guint i = 0; i < n_fragments; i++)
    {
      _cria_chat_reply_merge_tool_call (reply, 0, NULL, NULL, NULL, fragment);
      call = g_ptr_array_index (calls, 0);
      if (call->arguments != last)
        n_moves++;
      last = call->arguments;
    }
  _cria_chat_reply_merge_tool_call (reply, 1, NULL, NULL, NULL, "}");

  g_assert_cmpuint (calls->len, ==, 2);
  call = g_ptr_array_index (calls, 0);
  g_assert_cmpstr (call->name, ==, "write_file");
  g_assert_cmpuint (strlen (call->arguments), ==, n_fragments * 1024);
  g_assert_cmpuint (n_moves, <=, 64);
  call = g_ptr_array_index (calls, 1);
  g_assert_cmpstr (call->id, ==, "call_2");
  g_assert_cmpstr (call->arguments, ==, "{}");

  /* The calls outlive the reply with their arguments. */
  g_ptr_array_ref (calls);
  g_clear_object (&reply);
  g_assert_cmpstr (((CriaToolCall *) g_ptr_array_index (calls, 1))->arguments, ==, "{}");
  g_ptr_array_unref (calls);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat-reply/states", test_states);
  g_test_add_func ("/chat-reply/estimated-usage", test_estimated_usage);
  g_test_add_func ("/chat-reply/failed-without-text-has-no-usage", test_failed_without_text_has_no_usage);
  g_test_add_func ("/chat-reply/cost", test_cost);
  g_test_add_func ("/chat-reply/estimate-tokens", test_estimate_tokens);
  g_test_add_func ("/chat-reply/tool-call-merge", test_tool_call_merge);
  g_test_add_func ("/chat-reply/tool-call-merge-linear", test_tool_call_merge_linear);
  g_test_add_func ("/chat-reply/finish-reasons", test_finish_reasons);
  g_test_add_func ("/chat-reply/reasoning-moved", test_reasoning_moved);
  g_test_add_func ("/chat-reply/streaming-text-signals", test_streaming_text_signals);

  return g_test_run ();
}

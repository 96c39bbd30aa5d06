/* test-outcomes.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How an answer ended, as the window shows it: cut at the length limit (and
 * Continue), stopped by a content filter, broken off, or tool calls; and
 * how the window shows the dialects of servers that stray from OpenAI's: an
 * error inside a 200, llama.cpp's error line, content as parts, surrogate
 * halves split across events, a cut mid-JSON, an endless line.
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-catalogue.h"
#include "cria-conversation-recorder.h"
#include "cria-message-row.h"
#include "cria-sse-parser.h"
#include "cria-store.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-history-private.h"
#include "cria-window-private.h"

typedef struct
{
  CriaUiTestWindow ui;
  guint            n_requests;
} Fixture;

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-8b\"}]}"
#define CHAT_PATH "/v1/chat/completions"

static gboolean have_display;
static CriaApplication *app;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 20));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cria_ui_test_window_tear_down (&f->ui);
}

/* One SSE event of streamed text. The pieces are plain words: no JSON escaping needed. */
static char *
content_event (const char *text)
{
  return g_strdup_printf ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                          "\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},"
                          "\"finish_reason\":null}]}\n\n", text);
}

/* The end of a stream: the finish reason, the usage, [DONE]. */
static char *
end_events (const char *finish_reason,
            int         prompt_tokens,
            int         completion_tokens)
{
  return g_strdup_printf ("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                          "\"model\":\"llama-3.1-8b\",\"choices\":[{\"index\":0,\"delta\":{},"
                          "\"finish_reason\":\"%s\"}]}\n\n"
                          "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
                          "\"model\":\"llama-3.1-8b\",\"choices\":[],\"usage\":{\"prompt_tokens\":%d,"
                          "\"completion_tokens\":%d,\"total_tokens\":%d}}\n\n"
                          "data: [DONE]\n\n",
                          finish_reason, prompt_tokens, completion_tokens, prompt_tokens + completion_tokens);
}

/* Scripts the next answer: @text in one event, then the end. */
static CriaFakeResponse *
expect_answer (Fixture    *f,
               const char *text,
               const char *finish_reason,
               int         prompt_tokens,
               int         completion_tokens)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  g_autofree char *content = content_event (text);
  g_autofree char *end = end_events (finish_reason, prompt_tokens, completion_tokens);

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response, content, -1);
  cria_fake_response_append_piece (response, end, -1);

  return response;
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

static gboolean
busy (Fixture *f)
{
  return cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

static CriaMessage *
last_message (Fixture *f)
{
  return cria_ui_test_message_at (f->ui.window, g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))) - 1);
}

static CriaMessageRow *
find_row (Fixture     *f,
          CriaMessage *message)
{
  return cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->ui.window), message);
}

static gboolean
last_row_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))) > 0 &&
         find_row (f, last_message (f)) != NULL;
}

static CriaMessageRow *
answer_row (Fixture *f)
{
  wait_until (last_row_shown, f);
  return find_row (f, last_message (f));
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

/* What the row shows, one visible label per line. */
static char *
row_text (CriaMessageRow *row)
{
  GString *out = g_string_new (NULL);

  collect_text (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

static GtkLabel *
find_label_containing (GtkWidget  *widget,
                       const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return GTK_LABEL (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkButton *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The Continue button of @row when it is shown, else NULL. */
static GtkButton *
continue_button (CriaMessageRow *row)
{
  GtkButton *button = find_button_labelled (GTK_WIDGET (row), "_Continue");

  return button != NULL && gtk_widget_is_visible (GTK_WIDGET (button)) ? button : NULL;
}

static guint
n_chat_requests (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_suffix (request->path, CHAT_PATH))
        n++;
    }

  return n;
}

static gboolean
request_arrived (Fixture *f)
{
  return n_chat_requests (f) > f->n_requests;
}

/* Presses Continue as the keyboard does: focus it, then activate it (a
 * button clicks a moment after it is activated); returns once the request
 * reached the server. */
static void
press_continue (Fixture        *f,
                CriaMessageRow *row)
{
  GtkButton *button = continue_button (row);

  f->n_requests = n_chat_requests (f);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  gtk_widget_grab_focus (GTK_WIDGET (button));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (button)));
  wait_until (request_arrived, f);
}

/* The body of the @n-th chat request (0 is the first). */
static JsonObject *
chat_request (Fixture    *f,
              guint       n,
              JsonParser *parser)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);
  guint seen = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i);
      gsize size;
      const char *body;

      if (!g_str_has_suffix (request->path, CHAT_PATH))
        continue;
      if (seen++ != n)
        continue;

      body = g_bytes_get_data (request->body, &size);
      g_assert_true (json_parser_load_from_data (parser, body, size, NULL));
      return json_node_get_object (json_parser_get_root (parser));
    }

  g_assert_not_reached ();
}

static double
cost_of (Fixture *f,
         gint64   prompt_tokens,
         gint64   completion_tokens)
{
  CriaModel *model = cria_catalogue_find (_cria_window_get_models (f->ui.window), "llama-3.1-8b");
  CriaUsage usage = { .prompt_tokens = prompt_tokens, .completion_tokens = completion_tokens };

  g_assert_nonnull (model);
  g_assert_cmpfloat (cria_model_get_input_price (model), >, 0);

  return cria_usage_get_cost (&usage, cria_model_get_input_price (model), cria_model_get_output_price (model));
}

static void
assert_description_has (CriaMessageRow *row,
                        const char     *expected)
{
  char *failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                                      expected);

  if (failure != NULL)
    g_error ("The row's description is not as expected: %s", failure);
}

static void
test_length_continue (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  CriaMessageRow *row;
  CriaMessage *answer;
  const CriaUsage *usage;
  g_autofree char *text = NULL;
  g_autofree char *status = NULL;
  g_autofree char *description = NULL;
  GtkLabel *status_label;
  JsonObject *body;
  JsonArray *messages;
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_cmpstr (cria_conversation_get_model_id (cria_window_get_conversation (f->ui.window)), ==, "llama-3.1-8b");

  expect_answer (f, "The first half", "length", 10, 5);
  cria_ui_test_type_and_send (f->ui.window, "Tell me a story");
  wait_until (not_busy, f);
  answer = last_message (f);
  row = answer_row (f);

  /* It does not look complete: the row says why it ended and offers Continue. */
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_LENGTH);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "The answer stopped at the length limit."));
  g_assert_nonnull (continue_button (row));
  /* A real button with a label of its own, and the note is read with the answer. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (continue_button (row)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Continue the answer");
  status_label = find_label_containing (GTK_WIDGET (row), "tokens");
  g_assert_nonnull (status_label);
  description = g_strdup_printf ("The first half. The answer stopped at the length limit. %s",
                                 gtk_label_get_text (status_label));
  assert_description_has (row, description);

  /* Continue: the continuation joins the same answer; it is cut again. */
  expect_answer (f, " and the middle", "length", 20, 6);
  press_continue (f, row);
  wait_until (not_busy, f);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 2);
  g_assert_true (last_message (f) == answer);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "The first half and the middle");
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_LENGTH);

  /* One cost line for both requests. */
  usage = cria_message_get_usage (answer);
  g_assert_nonnull (usage);
  g_assert_cmpint (usage->prompt_tokens, ==, 30);
  g_assert_cmpint (usage->completion_tokens, ==, 11);
  g_assert_cmpfloat_with_epsilon (cria_message_get_cost (answer), cost_of (f, 10, 5) + cost_of (f, 20, 6), 1e-12);
  g_assert_cmpfloat_with_epsilon (cria_conversation_get_total_cost (cria_window_get_conversation (f->ui.window)),
                                  cria_message_get_cost (answer), 1e-12);

  /* The request: the history, the answer so far, then the instruction. */
  body = chat_request (f, 1, parser);
  messages = json_object_get_array_member (body, "messages");
  n = json_array_get_length (messages);
  g_assert_cmpuint (n, >=, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 3), "content"),
                   ==, "Tell me a story");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 2), "role"),
                   ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 2), "content"),
                   ==, "The first half");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, n - 1), "role"),
                   ==, "user");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (json_array_get_object_element (messages, n - 1),
                                                                  "content"),
                                   "Continue exactly where you stopped"));

  /* Still cut: Continue again, and this time the answer ends. */
  row = answer_row (f);
  g_clear_pointer (&text, g_free);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "The answer stopped at the length limit."));
  expect_answer (f, " and the end.", "stop", 30, 4);
  press_continue (f, row);
  wait_until (not_busy, f);

  g_assert_cmpstr (cria_message_get_content (answer), ==, "The first half and the middle and the end.");
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_STOP);
  g_assert_cmpint (cria_message_get_usage (answer)->completion_tokens, ==, 15);
  row = answer_row (f);
  g_clear_pointer (&text, g_free);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "and the end."));
  g_assert_null (strstr (text, "length limit"));
  g_assert_null (continue_button (row));
  /* The status line counts all three requests. */
  status = g_strdup_printf ("60 → 15 tokens");
  g_assert_nonnull (strstr (text, status));
}

/* Continue is offered on the last answer only: text added to an earlier
 * one would land in the middle of a conversation that has moved on. */
static void
test_continue_last_only (Fixture       *f,
                         gconstpointer  data)
{
  CriaMessageRow *row;
  CriaMessage *first;
  guint n_requests;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_answer (f, "The first half", "length", 10, 5);
  cria_ui_test_type_and_send (f->ui.window, "Tell me a story");
  wait_until (not_busy, f);
  first = last_message (f);
  row = answer_row (f);
  g_assert_nonnull (continue_button (row));

  expect_answer (f, "Something else.", "stop", 20, 3);
  cria_ui_test_type_and_send (f->ui.window, "Never mind, tell me something else");
  wait_until (not_busy, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 4);
  g_assert_true (cria_ui_test_message_at (f->ui.window, 1) == first);

  /* The cut answer still says why it ended, but no longer offers Continue. */
  wait_until (last_row_shown, f);
  row = find_row (f, first);
  g_assert_nonnull (row);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "The answer stopped at the length limit."));
  g_assert_null (continue_button (row));

  /* Nor does the action go on with it, whatever asks. */
  n_requests = n_chat_requests (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.continue", "s",
                                             cria_message_get_id (first)));
  g_assert_false (busy (f));
  g_assert_cmpuint (n_chat_requests (f), ==, n_requests);
  g_assert_cmpstr (cria_message_get_content (first), ==, "The first half");
}

/* A message takes any text; the screen-reader description of a stray byte
 * at the end is U+FFFD, not a step past the end of the text. */
static void
test_description_invalid_utf8 (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_ptr_array_add (messages, cria_message_new (CRIA_ROLE_USER, "Hello"));
  g_ptr_array_add (messages, cria_message_new (CRIA_ROLE_ASSISTANT, "abc\xF0"));
  cria_conversation_restore (cria_window_get_conversation (f->ui.window), messages);

  assert_description_has (answer_row (f), "abc\xEF\xBF\xBD");
}

static gboolean
continuation_arrived (Fixture *f)
{
  return strstr (cria_message_get_content (last_message (f)), "more words") != NULL;
}

static void
test_stop_during_continue (Fixture       *f,
                           gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  CriaMessage *answer;
  g_autofree char *first = content_event ("more words");
  g_autofree char *second = content_event (" never seen");

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_answer (f, "Part one,", "length", 10, 5);
  cria_ui_test_type_and_send (f->ui.window, "Go");
  wait_until (not_busy, f);
  answer = last_message (f);
  row = answer_row (f);

  /* The continuation stalls after its first words, until the user stops it. */
  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response, first, -1);
  cria_fake_response_append_piece (response, second, -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, strlen (first));

  press_continue (f, row);
  wait_until (busy, f);
  wait_until (continuation_arrived, f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.stop", NULL));
  wait_until (not_busy, f);

  /* Both parts are kept, in the one answer. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 2);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "Part one,more words");
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_STOPPED);
  row = answer_row (f);
  g_autofree char *text = row_text (row);
  g_assert_nonnull (strstr (text, "Part one,more words"));
  g_assert_nonnull (strstr (text, "Stopped"));
}

static void
test_content_filter (Fixture       *f,
                     gconstpointer  data)
{
  CriaMessageRow *row;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_answer (f, "Here is how to", "content_filter", 10, 4);
  cria_ui_test_type_and_send (f->ui.window, "Something risky");
  wait_until (not_busy, f);
  row = answer_row (f);

  g_assert_cmpint (cria_message_get_finish_reason (last_message (f)), ==, CRIA_FINISH_REASON_CONTENT_FILTER);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Here is how to"));
  g_assert_nonnull (strstr (text, "The answer was stopped by the server’s content filter."));
  /* Asking again would meet the same filter. */
  g_assert_null (continue_button (row));
}

static void
test_interrupted_continue (Fixture       *f,
                           gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  CriaMessage *answer;
  g_autofree char *first = content_event ("Cut");
  g_autofree char *second = content_event (" here");
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response, first, -1);
  cria_fake_response_append_piece (response, second, -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, strlen (first) + 10);

  cria_ui_test_type_and_send (f->ui.window, "Hi");
  wait_until (not_busy, f);
  answer = last_message (f);
  row = answer_row (f);

  /* Marked as broken off, with what arrived, the reason, Retry and Continue. */
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Cut"));
  g_assert_nonnull (strstr (text, "The answer broke off before its end; what arrived is kept."));
  g_assert_nonnull (strstr (text, cria_message_get_error (answer)->message));
  g_assert_nonnull (strstr (text, "Interrupted"));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (row), "Retry"));
  g_assert_nonnull (continue_button (row));

  expect_answer (f, " and mended.", "stop", 10, 3);
  press_continue (f, row);
  wait_until (not_busy, f);

  g_assert_cmpstr (cria_message_get_content (answer), ==, "Cut and mended.");
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_null (cria_message_get_error (answer));
  row = answer_row (f);
  g_clear_pointer (&text, g_free);
  text = row_text (row);
  g_assert_null (strstr (text, "broke off"));
  g_assert_null (continue_button (row));
}

static void
test_tool_calls_shown (Fixture       *f,
                       gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  GtkLabel *label;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* With the chat's tools off, calls a model asks for are shown, not run. */
  cria_conversation_set_tools_enabled (cria_window_get_conversation (f->ui.window), FALSE);
  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/tool-calls.sse");
  cria_ui_test_type_and_send (f->ui.window, "Weather in Paris?");
  wait_until (not_busy, f);
  row = answer_row (f);

  /* Not an empty answer: each call, its name and its arguments laid out. */
  g_assert_cmpuint (cria_message_get_tool_calls (last_message (f))->len, ==, 2);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Tool call: get_weather"));
  g_assert_nonnull (strstr (text, "Tool call: get_time"));
  label = find_label_containing (GTK_WIDGET (row), "Paris");
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "{\n  \"location\" : \"Paris\"\n}");
}

static void
test_tool_calls_plain_text (Fixture       *f,
                            gconstpointer  data)
{
  static const char body[] =
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
    "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"<b>bold</b>\","
    "\"arguments\":\"<i>not json & {\"}}]},\"finish_reason\":null}]}\n\n"
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
    "data: [DONE]\n\n";
  CriaFakeResponse *response;
  CriaMessageRow *row;
  GtkLabel *label;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_conversation_set_tools_enabled (cria_window_get_conversation (f->ui.window), FALSE);
  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", body, -1);
  cria_ui_test_type_and_send (f->ui.window, "Call something");
  wait_until (not_busy, f);
  row = answer_row (f);

  /* Model text is never markup: shown exactly as written. */
  label = find_label_containing (GTK_WIDGET (row), "Tool call: <b>bold</b>");
  g_assert_nonnull (label);
  g_assert_false (gtk_label_get_use_markup (label));
  label = find_label_containing (GTK_WIDGET (row), "<i>not json & {");
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "<i>not json & {");
  g_assert_false (gtk_label_get_use_markup (label));
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
flush_history (Fixture *f)
{
  CriaStore *store = cria_application_get_store (app);
  GAsyncResult *result = NULL;

  cria_conversation_recorder_flush (_cria_window_get_history (f->ui.window)->recorder);
  cria_store_flush_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cria_store_flush_finish (store, result, NULL));
  g_object_unref (result);
}

static gboolean
reopened (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))) == 4;
}

static void
test_outcomes_saved (Fixture       *f,
                     gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  CriaMessage *answer;
  g_autofree char *id = NULL;
  g_autofree char *text = NULL;
  double cost;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* A continued answer still cut at the length limit, then tool calls. */
  expect_answer (f, "Saved first", "length", 10, 5);
  cria_ui_test_type_and_send (f->ui.window, "Start");
  wait_until (not_busy, f);
  expect_answer (f, " and second", "length", 20, 6);
  press_continue (f, answer_row (f));
  wait_until (not_busy, f);
  cost = cria_message_get_cost (last_message (f));
  g_assert_cmpfloat (cost, >, 0);
  /* With the chat's tools off, calls a model asks for are shown, not run. */
  cria_conversation_set_tools_enabled (cria_window_get_conversation (f->ui.window), FALSE);
  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/tool-calls.sse");
  cria_ui_test_type_and_send (f->ui.window, "Weather?");
  wait_until (not_busy, f);

  flush_history (f);
  id = g_strdup (_cria_window_history_get_id (f->ui.window));
  g_assert_nonnull (id);

  /* Reopened from the history in a new window, as after a restart. */
  gtk_window_destroy (GTK_WINDOW (f->ui.window));
  f->ui.window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (f->ui.window));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 0);
  _cria_window_open_saved (f->ui.window, id, NULL);
  wait_until (reopened, f);

  answer = cria_ui_test_message_at (f->ui.window, 1);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "Saved first and second");
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_LENGTH);
  g_assert_cmpint (cria_message_get_usage (answer)->prompt_tokens, ==, 30);
  g_assert_cmpint (cria_message_get_usage (answer)->completion_tokens, ==, 11);
  g_assert_cmpfloat_with_epsilon (cria_message_get_cost (answer), cost, 1e-12);
  g_assert_cmpint (cria_message_get_finish_reason (cria_ui_test_message_at (f->ui.window, 3)), ==, CRIA_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpuint (cria_message_get_tool_calls (cria_ui_test_message_at (f->ui.window, 3))->len, ==, 2);

  /* The rows show it all again. */
  row = answer_row (f);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Tool call: get_weather"));
  g_assert_nonnull (find_label_containing (GTK_WIDGET (row), "\"location\" : \"Paris\""));
  /* The list view builds the earlier row once it lays it out: wait for
   * that, however slow the machine, rather than for a while. */
  for (gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
       find_row (f, answer) == NULL && g_get_monotonic_time () < deadline;)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  row = find_row (f, answer);
  g_assert_nonnull (row);
  g_clear_pointer (&text, g_free);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "The answer stopped at the length limit."));
  /* The cut answer could still be continued, but it is no longer the last
   * message: the window offers Continue on the last answer only. */
  g_assert_true (cria_message_can_continue (answer));
  g_assert_null (continue_button (row));
}

/* The reasoning the row shows under its Thinking expander, or NULL. A
 * folded expander keeps its child out of the widget tree: ask it. */
static char *
row_reasoning (CriaMessageRow *row)
{
  GtkWidget *expander = cria_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_EXPANDER);
  GtkWidget *view = expander != NULL ? gtk_expander_get_child (GTK_EXPANDER (expander)) : NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  if (!GTK_IS_TEXT_VIEW (view) || !gtk_widget_has_css_class (view, "cria-reasoning"))
    return NULL;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Sends "Hi" to the scripted server and returns the answer's row once the
 * answer reached its final state. */
static CriaMessageRow *
send_and_finish (Fixture *f)
{
  cria_ui_test_type_and_send (f->ui.window, "Hi");
  wait_until (not_busy, f);
  return answer_row (f);
}

/* What a row must never show for an answer the server refused inside a 200:
 * an empty answer, or the generic "nothing came" message. */
static void
assert_server_error_shown (Fixture        *f,
                           CriaMessageRow *row,
                           const char     *server_message)
{
  g_autofree char *text = row_text (row);
  const GError *error = cria_message_get_error (last_message (f));

  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, server_message));
  g_assert_nonnull (strstr (text, server_message));
  g_assert_null (strstr (text, "without sending anything"));
  g_assert_null (strstr (text, "0 → 0 tokens"));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (row), "Retry"));
}

/* OpenRouter: a 200 whose JSON body is an error, though a stream was asked for. */
static void
test_error_in_200_json (Fixture       *f,
                        gconstpointer  data)
{
  CriaFakeResponse *response;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"message\":\"Upstream provider failed\",\"code\":\"provider_error\"},"
                               "\"user_id\":\"u1\"}", -1);
  assert_server_error_shown (f, send_and_finish (f), "Upstream provider failed");
  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_FAILED);
}

/* An event-stream body that holds nothing but a JSON error. */
static void
test_error_in_200_event_stream (Fixture       *f,
                                gconstpointer  data)
{
  CriaFakeResponse *response;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream",
                               "{\"error\":{\"message\":\"Rate limit reached for llama-3.1-8b\",\"code\":429}}\n", -1);
  assert_server_error_shown (f, send_and_finish (f), "Rate limit reached for llama-3.1-8b");
  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_FAILED);
}

/* A streamed event whose JSON is an error, its message an object or a string. */
static void
test_error_event (Fixture       *f,
                  gconstpointer  data)
{
  static const char *const bodies[] = {
    "data: {\"error\":{\"message\":\"Upstream timed out\",\"code\":504}}\n\n",
    "data: {\"error\":\"Upstream timed out\"}\n\n",
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, CHAT_PATH);

      cria_fake_response_set_body (response, "text/event-stream", "", 0);
      cria_fake_response_append_piece (response, ": OPENROUTER PROCESSING\n\n", -1);
      cria_fake_response_append_piece (response, bodies[i], -1);
      assert_server_error_shown (f, send_and_finish (f), "Upstream timed out");
    }
}

/* llama.cpp before 2025: a line of its own, "error: {…}", then [DONE]; the
 * text before it is kept, with the server's reason. */
static void
test_llamacpp_error_line (Fixture       *f,
                          gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Begun\"}}],"
                                   "\"created\":1764000000,\"id\":\"chatcmpl-llama\",\"model\":\"gpt-3.5-turbo\","
                                   "\"object\":\"chat.completion.chunk\"}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "error: {\"code\":500,\"message\":\"slot crashed\",\"type\":\"server_error\"}\n\n", -1);
  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
  row = send_and_finish (f);

  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_message_get_content (last_message (f)), ==, "Begun");
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Begun"));
  g_assert_nonnull (strstr (text, "slot crashed"));
  g_assert_null (strstr (text, "without sending anything"));
}

/* Mistral (Magistral): content as an array of parts, "thinking" parts the
 * reasoning and "text" parts the answer. */
static void
test_content_parts (Fixture       *f,
                    gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  GtkExpander *expander;
  g_autofree char *text = NULL;
  g_autofree char *reasoning = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response,
                                   "data: {\"id\":\"m1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                                   "\"model\":\"magistral-small-2509\",\"choices\":[{\"index\":0,\"delta\":{\"role\":"
                                   "\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\","
                                   "\"text\":\"Two and two\"}]}]},\"finish_reason\":null}]}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"id\":\"m1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                                   "\"model\":\"magistral-small-2509\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                                   "[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\" make four.\"}]}]},"
                                   "\"finish_reason\":null}]}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"id\":\"m1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                                   "\"model\":\"magistral-small-2509\",\"choices\":[{\"index\":0,\"delta\":{\"content\":"
                                   "[{\"type\":\"text\",\"text\":\"The sum is 4.\"}]},\"finish_reason\":null}]}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"id\":\"m1\",\"object\":\"chat.completion.chunk\",\"created\":1764000000,"
                                   "\"model\":\"magistral-small-2509\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},"
                                   "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"total_tokens\":21,"
                                   "\"completion_tokens\":12}}\n\n", -1);
  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
  row = send_and_finish (f);

  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_COMPLETE);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "The sum is 4."));
  g_assert_null (strstr (text, "Two and two"));
  g_assert_null (strstr (text, "thinking"));
  expander = GTK_EXPANDER (cria_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_EXPANDER));
  g_assert_nonnull (expander);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (expander)));
  g_assert_nonnull (strstr (gtk_expander_get_label (expander), "Thought for"));
  reasoning = row_reasoning (row);
  g_assert_cmpstr (reasoning, ==, "Two and two make four.");
}

/* A JavaScript server slicing text by UTF-16 code unit: each event holds one
 * unit, so an emoji comes as two events of one surrogate half each. */
static void
test_split_surrogates (Fixture       *f,
                       gconstpointer  data)
{
  static const char expected[] = "Hi 👋 😀!\xEF\xBF\xBD end";
  CriaFakeResponse *response;
  CriaMessageRow *row;
  g_autofree gunichar2 *units = NULL;
  g_autofree char *text = NULL;
  glong n_units = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  units = g_utf8_to_utf16 ("Hi 👋 😀!", -1, NULL, &n_units, NULL);
  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  for (glong i = 0; i < n_units; i++)
    {
      g_autofree char *event = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\u%04x\"},"
                                                "\"finish_reason\":null}]}\n\n", units[i]);

      cria_fake_response_append_piece (response, event, -1);
    }
  /* A high half with no low one after it. */
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\ud83d\"},"
                                   "\"finish_reason\":null}]}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" end\"},"
                                   "\"finish_reason\":\"stop\"}]}\n\n", -1);
  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
  row = send_and_finish (f);

  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_cmpstr (cria_message_get_content (last_message (f)), ==, expected);
  text = row_text (row);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_nonnull (strstr (text, "Hi 👋 😀!"));
  g_assert_nonnull (strstr (text, "\xEF\xBF\xBD end"));
}

/* A stream that ends cleanly in the middle of an event's JSON, with no
 * finish reason and no [DONE]: broken off, what arrived kept. */
static void
test_cut_mid_json (Fixture       *f,
                   gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Short\"}}]}\n\n", -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" answer\"}}]}\n\n", -1);
  cria_fake_response_append_piece (response, "data: {\"choices\":[{\"index\":0,\"delta\":{\"con", -1);
  row = send_and_finish (f);

  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_message_get_content (last_message (f)), ==, "Short answer");
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Short answer"));
  g_assert_nonnull (strstr (text, "The answer broke off before its end; what arrived is kept."));
  g_assert_nonnull (strstr (text, "Interrupted"));
  g_assert_nonnull (continue_button (row));
}

/* One SSE line that never ends, past the parser's cap, sent in big pieces:
 * the answer stops with a clear message and keeps what came before. */
static void
test_endless_line (Fixture       *f,
                   gconstpointer  data)
{
  enum { PIECE = 1024 * 1024 };
  g_autofree char *filler = g_strnfill (PIECE, 'a');
  CriaFakeResponse *response;
  CriaMessageRow *row;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response,
                                   "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Kept\"}}]}\n\n", -1);
  cria_fake_response_append_piece (response, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"", -1);
  for (guint i = 0; i < CRIA_SSE_MAX_SIZE / PIECE + 1; i++)
    cria_fake_response_append_piece (response, filler, PIECE);
  row = send_and_finish (f);

  g_assert_cmpint (cria_message_get_state (last_message (f)), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  g_assert_cmpstr (cria_message_get_content (last_message (f)), ==, "Kept");
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Kept"));
  g_assert_nonnull (strstr (text, "without a break in the answer"));
  g_assert_null (strstr (text, "aaaa"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/outcomes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("length-continue", test_length_continue);
  ADD ("continue-last-only", test_continue_last_only);
  ADD ("description-invalid-utf8", test_description_invalid_utf8);
  ADD ("stop-during-continue", test_stop_during_continue);
  ADD ("content-filter", test_content_filter);
  ADD ("interrupted-continue", test_interrupted_continue);
  ADD ("tool-calls-shown", test_tool_calls_shown);
  ADD ("tool-calls-plain-text", test_tool_calls_plain_text);
  ADD ("outcomes-saved", test_outcomes_saved);
  ADD ("error-in-200-json", test_error_in_200_json);
  ADD ("error-in-200-event-stream", test_error_in_200_event_stream);
  ADD ("error-event", test_error_event);
  ADD ("llamacpp-error-line", test_llamacpp_error_line);
  ADD ("content-parts", test_content_parts);
  ADD ("split-surrogates", test_split_surrogates);
  ADD ("cut-mid-json", test_cut_mid_json);
  ADD ("endless-line", test_endless_line);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

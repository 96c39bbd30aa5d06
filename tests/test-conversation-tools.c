/* test-conversation-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-catalogue.h"
#include "cria-conversation.h"
#include "cria-export-json.h"
#include "cria-export-markdown.h"
#include "cria-test-tools.h"
#include "cria-test-util.h"

/* The tool loop against the fake LlamaGate: each answer is scripted, and
 * the requests Cria sent are read back. */

typedef struct
{
  CriaTestFixture   base;
  CriaConversation *conversation;
  CriaToolbox      *toolbox;
  GListStore       *tools;
  CriaTestTool     *echo;
  CriaTestTool     *fetch;
  GAsyncResult     *result;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;

  cria_test_fixture_set_up (&f->base, data);
  models = cria_catalogue_load (&error);
  g_assert_no_error (error);

  f->echo = cria_test_tool_new ("echo", CRIA_TOOL_APPROVAL_NONE);
  f->fetch = cria_test_tool_new ("fetch", CRIA_TOOL_APPROVAL_ASK);
  f->tools = g_list_store_new (CRIA_TYPE_TOOL);
  g_list_store_append (f->tools, f->echo);
  g_list_store_append (f->tools, f->fetch);
  f->toolbox = cria_toolbox_new ();
  cria_toolbox_add_source (f->toolbox, G_LIST_MODEL (f->tools));

  f->conversation = cria_conversation_new (f->base.client, models);
  cria_conversation_set_model_id (f->conversation, "llama-3.1-8b");
  cria_conversation_set_toolbox (f->conversation, f->toolbox);
  cria_conversation_set_tools_enabled (f->conversation, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_clear_object (&f->result);
  g_assert_finalize_object (f->conversation);
  /* A stopped request lets go of the client in its callback, soon after. */
  while (G_OBJECT (f->base.client)->ref_count > 1 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_finalize_object (f->toolbox);
  g_assert_finalize_object (f->tools);
  g_assert_finalize_object (f->echo);
  g_assert_finalize_object (f->fetch);
  cria_test_fixture_tear_down (&f->base, data);
}

static CriaFakeResponse *
expect (Fixture *f)
{
  return cria_fake_server_expect (f->base.server, "/v1/chat/completions");
}

static void
expect_calls (Fixture    *f,
              const char *name,
              const char *arguments)
{
  const char *names[] = { name };
  const char *args[] = { arguments };

  cria_test_script_tool_calls (expect (f), 1, names, args, 0);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static void
send (Fixture    *f,
      const char *text)
{
  g_clear_object (&f->result);
  cria_conversation_send_async (f->conversation, text, NULL, done_cb, f);
}

typedef gboolean (*Condition) (Fixture *f, gconstpointer data);

static gboolean
ceiling_reached_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @condition holds, sleeping in it until
 * something happens; the ceiling only ends a hung test. */
static void
wait_until (Fixture       *f,
            Condition      condition,
            gconstpointer  data)
{
  gboolean ceiling_reached = FALSE;
  guint ceiling = g_timeout_add_seconds (20, ceiling_reached_cb, &ceiling_reached);

  while (!condition (f, data))
    {
      g_assert_false (ceiling_reached);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!ceiling_reached)
    g_source_remove (ceiling);
}

static gboolean
is_done (Fixture       *f,
         gconstpointer  data)
{
  return f->result != NULL;
}

static gboolean
finish (Fixture  *f,
        GError  **error)
{
  wait_until (f, is_done, NULL);
  return cria_conversation_send_finish (f->conversation, f->result, error);
}

static guint
n_messages (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->conversation));
}

static CriaMessage *
message_at (Fixture *f,
            guint    position)
{
  g_autoptr(CriaMessage) message = g_list_model_get_item (G_LIST_MODEL (f->conversation), position);

  return message;
}

static gboolean
has_status (Fixture       *f,
            gconstpointer  data)
{
  const guint *want = data;

  return n_messages (f) > want[0] &&
         cria_message_get_tool_status (message_at (f, want[0])) == want[1];
}

static void
wait_status (Fixture        *f,
             guint           position,
             CriaToolStatus  status)
{
  guint want[2] = { position, status };

  wait_until (f, has_status, want);
}

/* The body of request @index as JSON. */
static JsonObject *
request_body (Fixture    *f,
              guint       index,
              JsonParser *parser)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->base.server);
  CriaFakeRequest *request;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_cmpuint (index, <, requests->len);
  request = g_ptr_array_index (requests, index);
  data = g_bytes_get_data (request->body, &len);
  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);

  return json_node_get_object (json_parser_get_root (parser));
}

static guint
n_requests (Fixture *f)
{
  return cria_fake_server_get_requests (f->base.server)->len;
}

static void
test_round (Fixture       *f,
            gconstpointer  data)
{
  const char *names[] = { "echo" };
  const char *args[] = { "{\"x\": \"twenty-one\"}" };
  g_autoptr(JsonParser) first = json_parser_new ();
  g_autoptr(JsonParser) second = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *messages;
  JsonObject *call_message;
  JsonObject *result_message;
  CriaMessage *tool;

  /* The call arrives in pieces of three bytes, as a real stream splits it. */
  cria_test_script_tool_calls (expect (f), 1, names, args, 3);
  cria_test_script_answer (expect (f), "It is twenty-one.");

  send (f, "What is it?");
  g_assert_true (finish (f, &error));
  g_assert_no_error (error);
  g_assert_false (cria_conversation_get_busy (f->conversation));

  /* The question, the answer with the call, the call, the final answer. */
  g_assert_cmpuint (n_messages (f), ==, 4);
  g_assert_cmpuint (cria_message_get_tool_calls (message_at (f, 1))->len, ==, 1);
  tool = message_at (f, 2);
  g_assert_cmpint (cria_message_get_role (tool), ==, CRIA_ROLE_TOOL);
  g_assert_cmpstr (cria_message_get_tool_call (tool)->name, ==, "echo");
  g_assert_cmpstr (cria_message_get_tool_call (tool)->id, ==, "call_0");
  g_assert_cmpint (cria_message_get_tool_status (tool), ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpstr (cria_message_get_content (tool), ==, "echo({\"x\":\"twenty-one\"})");
  g_assert_cmpstr (cria_message_get_content (message_at (f, 3)), ==, "It is twenty-one.");
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 1);

  /* The first request offered both tools, and chose none for the model. */
  body = request_body (f, 0, first);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "tools")), ==, 2);
  g_assert_false (json_object_has_member (body, "tool_choice"));

  /* The second sent the call and its result back, paired by id. */
  g_assert_cmpuint (n_requests (f), ==, 2);
  body = request_body (f, 1, second);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  call_message = json_array_get_object_element (messages, 1);
  g_assert_cmpstr (json_object_get_string_member (call_message, "role"), ==, "assistant");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (call_message, "tool_calls"), 0),
                     "id"), ==, "call_0");
  result_message = json_array_get_object_element (messages, 2);
  g_assert_cmpstr (json_object_get_string_member (result_message, "role"), ==, "tool");
  g_assert_cmpstr (json_object_get_string_member (result_message, "tool_call_id"), ==, "call_0");
  g_assert_cmpstr (json_object_get_string_member (result_message, "content"), ==,
                   "echo({\"x\":\"twenty-one\"})");
}

static gboolean
both_held (Fixture       *f,
           gconstpointer  data)
{
  return cria_test_tool_get_n_held (f->echo) == 2;
}

static void
test_parallel (Fixture       *f,
               gconstpointer  data)
{
  const char *names[] = { "echo", "echo" };
  const char *args[] = { "{\"x\": \"a\"}", "{\"x\": \"b\"}" };
  g_autoptr(GError) error = NULL;

  cria_test_tool_set_hold (f->echo, TRUE);
  cria_test_script_tool_calls (expect (f), 2, names, args, 4);
  cria_test_script_answer (expect (f), "Both.");

  send (f, "Both at once");
  /* Both run at the same time: neither waits for the other to end. */
  wait_until (f, both_held, NULL);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 2)), ==, CRIA_TOOL_STATUS_RUNNING);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 3)), ==, CRIA_TOOL_STATUS_RUNNING);
  g_assert_true (cria_conversation_get_busy (f->conversation));
  g_assert_cmpuint (n_requests (f), ==, 1);

  g_assert_cmpuint (cria_test_tool_release (f->echo), ==, 2);
  g_assert_true (finish (f, &error));
  g_assert_cmpstr (cria_message_get_content (message_at (f, 2)), ==, "echo({\"x\":\"a\"})");
  g_assert_cmpstr (cria_message_get_content (message_at (f, 3)), ==, "echo({\"x\":\"b\"})");
  g_assert_cmpstr (cria_message_get_content (message_at (f, 4)), ==, "Both.");
}

static void
test_bad_calls (Fixture       *f,
                gconstpointer  data)
{
  const char *names[] = { "echo", "no_such_tool", "echo" };
  const char *args[] = { "{\"x\": ", "{}", "[1, 2]" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *messages;

  cria_test_script_tool_calls (expect (f), 3, names, args, 0);
  cria_test_script_answer (expect (f), "Sorry.");

  send (f, "Break things");
  g_assert_true (finish (f, &error));

  /* Nothing ran; each call failed with a reason the model can read. */
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 0);
  for (guint i = 2; i <= 4; i++)
    g_assert_cmpint (cria_message_get_tool_status (message_at (f, i)), ==, CRIA_TOOL_STATUS_FAILED);
  g_assert_nonnull (strstr (cria_message_get_content (message_at (f, 2)), "not valid JSON"));
  g_assert_nonnull (strstr (cria_message_get_content (message_at (f, 3)), "no_such_tool"));
  g_assert_nonnull (strstr (cria_message_get_content (message_at (f, 4)), "JSON object"));

  messages = json_object_get_array_member (request_body (f, 1, parser), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 3), "tool_call_id"),
                   ==, "call_1");
}

static void
test_round_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CriaMessage *note;

  cria_conversation_set_max_tool_rounds (f->conversation, 3);
  for (guint i = 0; i < 4; i++)
    expect_calls (f, "echo", "{}");

  send (f, "Loop forever");
  g_assert_false (finish (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "3 rounds"));

  /* Three rounds ran, and the model was not asked a fourth time. */
  g_assert_cmpuint (n_requests (f), ==, 3);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 3);
  note = message_at (f, n_messages (f) - 1);
  g_assert_cmpint (cria_message_get_role (note), ==, CRIA_ROLE_ASSISTANT);
  g_assert_cmpint (cria_message_get_state (note), ==, CRIA_MESSAGE_STATE_FAILED);
  g_assert_cmpstr (cria_message_get_error (note)->message, ==, error->message);
  g_assert_false (cria_conversation_get_busy (f->conversation));

  /* The next turn starts counting again. */
  g_clear_error (&error);
  cria_test_script_answer (expect (f), "Fine.");
  send (f, "Again");
  g_assert_true (finish (f, &error));
}

static void
test_approval (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  expect_calls (f, "fetch", "{\"x\": \"once\"}");
  expect_calls (f, "fetch", "{\"x\": \"denied\"}");
  expect_calls (f, "fetch", "{\"x\": \"always\"}");
  expect_calls (f, "fetch", "{\"x\": \"asks no more\"}");
  cria_test_script_answer (expect (f), "Done.");

  send (f, "Fetch");

  /* The call waits for the user, for as long as it takes. */
  wait_status (f, 2, CRIA_TOOL_STATUS_WAITING);
  g_assert_true (cria_conversation_get_busy (f->conversation));
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 0);
  cria_conversation_answer_tool_call (f->conversation, message_at (f, 2), CRIA_TOOL_ANSWER_ALLOW_ONCE);
  wait_status (f, 2, CRIA_TOOL_STATUS_DONE);

  /* Allowed once: the next call asks again. Denied: the model reads so. */
  wait_status (f, 4, CRIA_TOOL_STATUS_WAITING);
  cria_conversation_answer_tool_call (f->conversation, message_at (f, 4), CRIA_TOOL_ANSWER_DENY);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 4)), ==, CRIA_TOOL_STATUS_DENIED);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 1);

  wait_status (f, 6, CRIA_TOOL_STATUS_WAITING);
  cria_conversation_answer_tool_call (f->conversation, message_at (f, 6), CRIA_TOOL_ANSWER_ALLOW_ALWAYS);

  /* Allowed for good: the fourth call runs without asking. */
  g_assert_true (finish (f, &error));
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 8)), ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 3);
  g_assert_cmpstr (cria_test_tool_get_last_arguments (f->fetch), ==, "{\"x\":\"asks no more\"}");

  /* An answer to a call that is not waiting does nothing. */
  cria_conversation_answer_tool_call (f->conversation, message_at (f, 4), CRIA_TOOL_ANSWER_ALLOW_ONCE);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 3);
}

static gboolean
one_held (Fixture       *f,
          gconstpointer  data)
{
  return cria_test_tool_get_n_held (f->echo) == 1;
}

static void
test_stop_waiting (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  expect_calls (f, "fetch", "{}");
  send (f, "Fetch");
  wait_status (f, 2, CRIA_TOOL_STATUS_WAITING);

  cria_conversation_stop (f->conversation);
  g_assert_false (cria_conversation_get_busy (f->conversation));
  g_assert_false (finish (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 2)), ==, CRIA_TOOL_STATUS_STOPPED);
  g_assert_cmpuint (n_messages (f), ==, 3);

  /* Allowing it now runs nothing. */
  cria_conversation_answer_tool_call (f->conversation, message_at (f, 2), CRIA_TOOL_ANSWER_ALLOW_ONCE);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 0);
}

static void
test_stop_running (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *messages;

  cria_test_tool_set_hold (f->echo, TRUE);
  expect_calls (f, "echo", "{}");
  send (f, "Echo");
  wait_until (f, one_held, NULL);

  cria_conversation_stop (f->conversation);
  g_assert_false (finish (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 2)), ==, CRIA_TOOL_STATUS_STOPPED);
  /* The tool was told to stop, and nothing more was asked of the model. */
  g_assert_cmpuint (cria_test_tool_get_n_cancelled (f->echo), ==, 1);
  g_assert_cmpuint (n_requests (f), ==, 1);

  /* The stopped call still goes back with its result, so the history the
   * next question sends is one a server accepts. */
  g_clear_error (&error);
  cria_test_script_answer (expect (f), "Ok.");
  send (f, "Never mind");
  g_assert_true (finish (f, &error));
  messages = json_object_get_array_member (request_body (f, 1, parser), "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 2), "role"),
                   ==, "tool");
}

static gboolean
server_holds (Fixture       *f,
              gconstpointer  data)
{
  return cria_fake_server_get_n_held (f->base.server) == 1;
}

static void
test_stop_follow_up (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  expect_calls (f, "echo", "{}");
  response = expect (f);
  cria_test_script_answer (response, "Never seen");
  cria_fake_response_set_hold (response, 0);

  send (f, "Echo");
  wait_until (f, server_holds, NULL);
  g_assert_true (cria_conversation_get_busy (f->conversation));
  g_assert_cmpuint (n_messages (f), ==, 4);

  cria_conversation_stop (f->conversation);
  g_assert_false (finish (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_message_get_state (message_at (f, 3)), ==, CRIA_MESSAGE_STATE_STOPPED);
  g_assert_cmpint (cria_message_get_tool_status (message_at (f, 2)), ==, CRIA_TOOL_STATUS_DONE);
}

static void
test_off (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  /* Off by the user's switch: no tools go out. */
  cria_conversation_set_tools_enabled (f->conversation, FALSE);
  cria_test_script_answer (expect (f), "Plain.");
  send (f, "Hi");
  g_assert_true (finish (f, &error));
  g_assert_false (json_object_has_member (request_body (f, 0, parser), "tools"));

  /* Off because the model cannot call tools: it says why. */
  g_assert_null (cria_conversation_get_tools_unavailable_reason (f->conversation));
  cria_conversation_set_tools_enabled (f->conversation, TRUE);
  cria_conversation_set_model_id (f->conversation, "deepseek-coder-6.7b");
  g_assert_nonnull (cria_conversation_get_tools_unavailable_reason (f->conversation));
  cria_test_script_answer (expect (f), "Plain.");
  send (f, "Hi");
  g_assert_true (finish (f, &error));
  g_assert_false (json_object_has_member (request_body (f, 1, parser), "tools"));
}

static void
test_forced (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonParser) first = json_parser_new ();
  g_autoptr(JsonParser) second = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *choice;

  cria_conversation_set_tool_choice (f->conversation, "echo");
  expect_calls (f, "echo", "{}");
  cria_test_script_answer (expect (f), "Forced.");
  send (f, "Use echo");
  g_assert_true (finish (f, &error));

  choice = json_object_get_object_member (request_body (f, 0, first), "tool_choice");
  g_assert_cmpstr (json_object_get_string_member (choice, "type"), ==, "function");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (choice, "function"), "name"),
                   ==, "echo");
  /* Forced once: after its result the model may answer. */
  g_assert_false (json_object_has_member (request_body (f, 1, second), "tool_choice"));
}

static void
test_regenerate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  expect_calls (f, "echo", "{\"x\": \"1\"}");
  cria_test_script_answer (expect (f), "First.");
  send (f, "Go");
  g_assert_true (finish (f, &error));
  g_assert_cmpuint (n_messages (f), ==, 4);

  /* The whole turn runs again: the calls and the answer are replaced. */
  expect_calls (f, "echo", "{\"x\": \"2\"}");
  cria_test_script_answer (expect (f), "Second.");
  g_clear_object (&f->result);
  cria_conversation_regenerate_async (f->conversation, NULL, done_cb, f);
  wait_until (f, is_done, NULL);
  g_assert_true (cria_conversation_regenerate_finish (f->conversation, f->result, &error));
  g_assert_cmpuint (n_messages (f), ==, 4);
  g_assert_cmpstr (cria_message_get_content (message_at (f, 2)), ==, "echo({\"x\":\"2\"})");
  g_assert_cmpstr (cria_message_get_content (message_at (f, 3)), ==, "Second.");
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 2);
}

static void
test_record (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessageRecord) record = NULL;
  g_autoptr(CriaMessage) copy = NULL;
  CriaMessage *tool;

  expect_calls (f, "echo", "{\"x\": \"saved\"}");
  cria_test_script_answer (expect (f), "Saved.");
  send (f, "Save");
  g_assert_true (finish (f, &error));

  tool = message_at (f, 2);
  record = cria_message_record_new_from_message (tool);
  g_assert_cmpint (record->tool_status, ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpint (record->tool_duration, ==, cria_message_get_tool_duration (tool));
  copy = cria_message_record_to_message (record);
  g_assert_cmpint (cria_message_get_role (copy), ==, CRIA_ROLE_TOOL);
  g_assert_cmpint (cria_message_get_tool_status (copy), ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpstr (cria_message_get_tool_call (copy)->id, ==, "call_0");
  g_assert_cmpstr (cria_message_get_content (copy), ==, cria_message_get_content (tool));

  /* A call saved while it ran comes back stopped: it never ended. */
  record->tool_status = CRIA_TOOL_STATUS_RUNNING;
  g_clear_object (&copy);
  copy = cria_message_record_to_message (record);
  g_assert_cmpint (cria_message_get_tool_status (copy), ==, CRIA_TOOL_STATUS_STOPPED);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *markdown = NULL;
  CriaMessageRecord *tool;

  expect_calls (f, "echo", "{\"x\": \"kept\"}");
  cria_test_script_answer (expect (f), "Kept.");
  send (f, "Keep");
  g_assert_true (finish (f, &error));

  for (guint i = 0; i < n_messages (f); i++)
    g_ptr_array_add (records, cria_message_record_new_from_message (message_at (f, i)));

  /* JSON keeps the call and its result, whole. */
  json = cria_export_json (record, records, NULL);
  back = cria_import_json (json, -1, &imported, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (imported->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (cria_message_record_equal (g_ptr_array_index (records, i), g_ptr_array_index (imported, i)));
  tool = g_ptr_array_index (imported, 2);
  g_assert_cmpint (tool->tool_status, ==, CRIA_TOOL_STATUS_DONE);
  g_assert_nonnull (strstr (json, "\"tool_call_id\""));

  /* A plain OpenAI tool result comes in as a call that ended. */
  {
    static const char plain[] =
      "{\"format\": \"cria-conversation\", \"version\": 1, \"conversation\": {\"title\": \"Plain\"},"
      " \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"},"
      " {\"role\": \"tool\", \"tool_call_id\": \"call_9\", \"content\": \"42\"}]}";
    g_autoptr(GPtrArray) plain_messages = NULL;
    g_autoptr(CriaConversationRecord) plain_record = cria_import_json (plain, -1, &plain_messages, &error);
    CriaMessageRecord *result;

    g_assert_no_error (error);
    g_assert_nonnull (plain_record);
    result = g_ptr_array_index (plain_messages, 1);
    g_assert_cmpint (result->tool_status, ==, CRIA_TOOL_STATUS_DONE);
    g_assert_cmpstr (((CriaToolCall *) g_ptr_array_index (result->tool_calls, 0))->id, ==, "call_9");
  }

  /* Markdown shows the call, then what it gave back, fenced. */
  markdown = cria_export_markdown (record, records);
  g_assert_nonnull (strstr (markdown, "**Tool call:** echo"));
  g_assert_nonnull (strstr (markdown, "**Tool result:** echo (done, "));
  g_assert_nonnull (strstr (markdown, "```\necho({\"x\":\"kept\"})\n```"));
}

static void
test_toolbox (void)
{
  g_autoptr(CriaToolbox) toolbox = cria_toolbox_new ();
  g_autoptr(GListStore) first = g_list_store_new (CRIA_TYPE_TOOL);
  g_autoptr(GListStore) second = g_list_store_new (CRIA_TYPE_TOOL);
  g_autoptr(CriaTestTool) a = cria_test_tool_new ("a", CRIA_TOOL_APPROVAL_ASK);
  g_autoptr(CriaTestTool) b = cria_test_tool_new ("b", CRIA_TOOL_APPROVAL_NONE);
  g_autoptr(CriaTestTool) a_again = cria_test_tool_new ("a", CRIA_TOOL_APPROVAL_NONE);
  g_autoptr(CriaTool) found = NULL;
  g_autoptr(JsonNode) tools = NULL;
  g_autofree char *json = NULL;

  g_assert_null (cria_toolbox_to_json (toolbox, NULL));

  g_list_store_append (first, a);
  cria_toolbox_add_source (toolbox, G_LIST_MODEL (first));
  cria_toolbox_add_source (toolbox, G_LIST_MODEL (second));
  g_list_store_append (second, b);
  g_list_store_append (second, a_again);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (toolbox)), ==, 3);

  /* One name, offered once; the first source wins. */
  json = cria_toolbox_to_json (toolbox, NULL);
  tools = json_from_string (json, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (tools)), ==, 2);
  found = cria_toolbox_lookup (toolbox, "a", NULL);
  g_assert_true (found == CRIA_TOOL (a));

  g_assert_true (cria_toolbox_needs_approval (toolbox, CRIA_TOOL (a)));
  g_assert_false (cria_toolbox_needs_approval (toolbox, CRIA_TOOL (b)));
  cria_toolbox_allow_always (toolbox, CRIA_TOOL (a));
  g_assert_false (cria_toolbox_needs_approval (toolbox, CRIA_TOOL (a)));

  cria_toolbox_remove_source (toolbox, G_LIST_MODEL (first));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (toolbox)), ==, 2);
}

/* A chat leaving out a source's tools: they are neither offered nor run,
 * and a tool of another source with the same name takes their place. */
static void
test_sources_off (void)
{
  g_autoptr(CriaToolbox) toolbox = cria_toolbox_new ();
  g_autoptr(GListStore) own = g_list_store_new (CRIA_TYPE_TOOL);
  g_autoptr(GListStore) server = g_list_store_new (CRIA_TYPE_TOOL);
  g_autoptr(CriaTestTool) a = cria_test_tool_new ("a", CRIA_TOOL_APPROVAL_NONE);
  g_autoptr(CriaTestTool) b = cria_test_tool_new ("b", CRIA_TOOL_APPROVAL_NONE);
  g_autoptr(CriaTestTool) a_again = cria_test_tool_new ("a", CRIA_TOOL_APPROVAL_ASK);
  g_autoptr(CriaTestTool) c = cria_test_tool_new ("c", CRIA_TOOL_APPROVAL_ASK);
  g_autoptr(CriaTool) found = NULL;
  g_autoptr(CriaTool) none = NULL;
  g_autoptr(JsonNode) tools = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) sources = NULL;
  const char *own_off[] = { "", NULL };
  const char *both_off[] = { "", "Files", NULL };
  const char *expected_sources[] = { "", "Files", NULL };
  JsonArray *array;

  cria_test_tool_set_source (a_again, "Files");
  cria_test_tool_set_source (c, "Files");
  g_list_store_append (own, a);
  g_list_store_append (own, b);
  g_list_store_append (server, a_again);
  g_list_store_append (server, c);
  cria_toolbox_add_source (toolbox, G_LIST_MODEL (own));
  cria_toolbox_add_source (toolbox, G_LIST_MODEL (server));

  sources = cria_toolbox_dup_sources (toolbox);
  g_assert_true (g_strv_equal ((const char * const *) sources, expected_sources));

  json = cria_toolbox_to_json (toolbox, own_off);
  tools = json_from_string (json, NULL);
  array = json_node_get_array (tools);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (array, 0), "function"), "name"), ==, "a");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (array, 1), "function"), "name"), ==, "c");
  found = cria_toolbox_lookup (toolbox, "a", own_off);
  g_assert_true (found == CRIA_TOOL (a_again));
  none = cria_toolbox_lookup (toolbox, "b", own_off);
  g_assert_null (none);

  g_assert_null (cria_toolbox_to_json (toolbox, both_off));
}

/* What the store keeps of a chat's tool settings, and what it refuses. */
static void
test_tool_settings_text (void)
{
  g_autoptr(CriaConversation) first = cria_conversation_new (NULL, NULL);
  g_autoptr(CriaConversation) second = cria_conversation_new (NULL, NULL);
  g_autoptr(CriaConversation) third = cria_conversation_new (NULL, NULL);
  const char *off[] = { "Files", "", "Files", "caf\xc3\xa9", NULL };
  const char *kept[] = { "Files", "", "caf\xc3\xa9", NULL };
  const char *bad[] = {
    "", "[]", "true", "{\"enabled\": 1}", "{\"choice\": 7, \"sources_off\": 3}",
    "{\"enabled\": true} {\"enabled\": false}", "{\"choice\": \"x\\601\"}",
    "{\"enabled\": tru",
  };
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  g_assert_null (cria_conversation_dup_tool_settings (first));
  g_assert_false (cria_conversation_get_tools_chosen (first));

  cria_conversation_set_tools_enabled (first, FALSE);
  cria_conversation_set_tool_choice (first, "read_file");
  cria_conversation_set_tool_sources_off (first, off);
  g_assert_true (g_strv_equal (cria_conversation_get_tool_sources_off (first), kept));
  text = cria_conversation_dup_tool_settings (first);
  g_assert_nonnull (text);

  cria_conversation_set_tools_enabled (second, TRUE);
  cria_conversation_load_tool_settings (second, text);
  g_assert_true (cria_conversation_get_tools_chosen (second));
  g_assert_false (cria_conversation_get_tools_enabled (second));
  g_assert_cmpstr (cria_conversation_get_tool_choice (second), ==, "read_file");
  g_assert_true (g_strv_equal (cria_conversation_get_tool_sources_off (second), kept));
  again = cria_conversation_dup_tool_settings (second);
  g_assert_cmpstr (again, ==, text);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *unchanged = NULL;

      cria_conversation_load_tool_settings (third, bad[i]);
      unchanged = cria_conversation_dup_tool_settings (third);
      g_assert_null (unchanged);
      g_assert_false (cria_conversation_get_tools_chosen (third));
    }
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/conversation-tools/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("round", test_round);
  ADD ("parallel", test_parallel);
  ADD ("bad-calls", test_bad_calls);
  ADD ("round-limit", test_round_limit);
  ADD ("approval", test_approval);
  ADD ("stop-waiting", test_stop_waiting);
  ADD ("stop-running", test_stop_running);
  ADD ("stop-follow-up", test_stop_follow_up);
  ADD ("off", test_off);
  ADD ("forced", test_forced);
  ADD ("regenerate", test_regenerate);
  ADD ("record", test_record);
  ADD ("export", test_export);

#undef ADD

  g_test_add_func ("/conversation-tools/toolbox", test_toolbox);
  g_test_add_func ("/conversation-tools/sources-off", test_sources_off);
  g_test_add_func ("/conversation-tools/settings-text", test_tool_settings_text);

  return g_test_run ();
}

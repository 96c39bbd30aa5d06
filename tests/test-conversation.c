/* test-conversation.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-api-error.h"
#include "cria-catalogue.h"
#include "cria-conversation.h"
#include "cria-request-plan.h"
#include "cria-test-util.h"

typedef CriaTestFixture Fixture;

static const char *basic_answer = "Hello! How can I help you today?";

static CriaFakeResponse *
expect_stream (Fixture    *f,
               const char *fixture)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  g_autofree char *path = g_build_filename ("streams", fixture, NULL);

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", path);

  return response;
}

static CriaConversation *
conversation_new (Fixture *f)
{
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  CriaConversation *conversation;

  models = cria_catalogue_load (&error);
  g_assert_no_error (error);
  conversation = cria_conversation_new (f->client, models);
  cria_conversation_set_model_id (conversation, "llama-3.1-8b");

  return conversation;
}

/* Proves the conversation leaves no reference behind. A stopped request
 * still holds the client until its callback, which comes shortly after the
 * stop; the fixture's tear-down checks the client in turn. */
static void
finalize_conversation (Fixture          *f,
                       CriaConversation *conversation)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_finalize_object (conversation);

  while (G_OBJECT (f->client)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Runs the main context until @condition holds; the ceiling only ends a
 * hung test. */
static gboolean
wait_until (gboolean (*condition) (CriaMessage *message),
            CriaMessage *message)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (message))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
is_streaming (CriaMessage *message)
{
  return cria_message_get_state (message) == CRIA_MESSAGE_STATE_STREAMING;
}

static gboolean
has_usage (CriaMessage *message)
{
  return cria_message_get_usage (message) != NULL;
}

static CriaMessage *
get_message (CriaConversation *conversation,
             guint             position)
{
  CriaMessage *message = g_list_model_get_item (G_LIST_MODEL (conversation), position);

  /* The list holds its own reference; the caller borrows it. */
  g_object_unref (message);

  return message;
}

/* Records every items-changed as "position,removed,added;". */
static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u,%u,%u;", position, removed, added);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef enum
{
  ACTION_SEND,
  ACTION_REGENERATE,
  ACTION_EDIT,
} Action;

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static gboolean
run_action (CriaConversation  *conversation,
            Action             action,
            CriaMessage       *message,
            const char        *text,
            GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  switch (action)
    {
    case ACTION_SEND:
      cria_conversation_send_async (conversation, text, NULL, done_cb, &result);
      return cria_conversation_send_finish (conversation, wait_for (&result), error);
    case ACTION_REGENERATE:
      cria_conversation_regenerate_async (conversation, NULL, done_cb, &result);
      return cria_conversation_regenerate_finish (conversation, wait_for (&result), error);
    case ACTION_EDIT:
      cria_conversation_edit_and_resend_async (conversation, message, text, NULL, done_cb, &result);
      return cria_conversation_edit_and_resend_finish (conversation, wait_for (&result), error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
send (CriaConversation  *conversation,
      const char        *text,
      GError           **error)
{
  return run_action (conversation, ACTION_SEND, NULL, text, error);
}

static JsonArray *
last_request_messages (Fixture    *f,
                       JsonParser *parser)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);

  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");
}

static void
assert_request_message (JsonArray  *messages,
                        guint       index,
                        const char *role,
                        const char *content)
{
  JsonObject *message = json_array_get_object_element (messages, index);

  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, role);
  g_assert_cmpstr (json_object_get_string_member (message, "content"), ==, content);
  g_assert_false (json_object_has_member (message, "reasoning"));
  g_assert_false (json_object_has_member (message, "reasoning_content"));
}

typedef struct
{
  GString *content;
  guint    n_appended;
  guint    n_appended_streaming;
  guint    n_content_notifies;
} Watch;

static void
content_appended_cb (CriaMessage *message,
                     const char  *text,
                     Watch       *watch)
{
  g_string_append (watch->content, text);
  watch->n_appended++;
  if (cria_message_get_state (message) == CRIA_MESSAGE_STATE_STREAMING)
    watch->n_appended_streaming++;
  /* The whole text is already there when the signal comes. */
  g_assert_true (g_str_has_suffix (cria_message_get_content (message), text));
}

static void
content_notify_cb (CriaMessage *message,
                   GParamSpec  *pspec,
                   Watch       *watch)
{
  watch->n_content_notifies++;
}

static void
watch_new_answer_cb (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     Watch      *watch)
{
  for (guint i = position; i < position + added; i++)
    {
      CriaMessage *message = get_message (CRIA_CONVERSATION (model), i);

      if (cria_message_get_role (message) != CRIA_ROLE_ASSISTANT)
        continue;

      g_assert_cmpint (cria_message_get_state (message), ==, CRIA_MESSAGE_STATE_STREAMING);
      g_signal_connect (message, "content-appended", G_CALLBACK (content_appended_cb), watch);
      g_signal_connect (message, "notify::content", G_CALLBACK (content_notify_cb), watch);
    }
}

static void
test_send_streams (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  Watch watch = { g_string_new (NULL), 0, 0, 0 };
  CriaMessage *question;
  CriaMessage *answer;
  const CriaUsage *usage;

  cria_fake_response_set_chunk_size (expect_stream (f, "openai-basic.sse"), 7);
  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_signal_connect (conversation, "items-changed", G_CALLBACK (watch_new_answer_cb), &watch);

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (conversation)) == CRIA_TYPE_MESSAGE);
  g_assert_true (send (conversation, "Hi", &error));
  g_assert_no_error (error);

  /* One items-changed for the question, one for the answer. */
  g_assert_cmpstr (log->str, ==, "0,0,1;1,0,1;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (conversation), 2));

  question = get_message (conversation, 0);
  g_assert_cmpint (cria_message_get_role (question), ==, CRIA_ROLE_USER);
  g_assert_cmpstr (cria_message_get_content (question), ==, "Hi");
  g_assert_cmpint (cria_message_get_state (question), ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_true (g_uuid_string_is_valid (cria_message_get_id (question)));
  g_assert_nonnull (cria_message_get_created (question));

  answer = get_message (conversation, 1);
  g_assert_cmpint (cria_message_get_role (answer), ==, CRIA_ROLE_ASSISTANT);
  g_assert_cmpstr (cria_message_get_id (answer), !=, cria_message_get_id (question));
  g_assert_cmpstr (cria_message_get_content (answer), ==, basic_answer);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_cmpstr (cria_message_get_model (answer), ==, "llama-3.1-8b");
  g_assert_null (cria_message_get_error (answer));
  usage = cria_message_get_usage (answer);
  g_assert_nonnull (usage);
  g_assert_cmpint (usage->prompt_tokens, ==, 12);
  g_assert_cmpint (usage->completion_tokens, ==, 10);

  /* The text came piece by piece while streaming, and "content" was notified
   * once, at the end, not per token. */
  g_assert_cmpuint (watch.n_appended, >, 1);
  g_assert_cmpuint (watch.n_appended_streaming, ==, watch.n_appended);
  g_assert_cmpstr (watch.content->str, ==, basic_answer);
  g_assert_cmpuint (watch.n_content_notifies, ==, 1);

  g_assert_false (cria_conversation_get_busy (conversation));
  g_assert_cmpint (cria_conversation_get_context_tokens (conversation), ==,
                   4 + cria_usage_estimate_tokens ("Hi") + 4 + cria_usage_estimate_tokens (basic_answer));

  g_string_free (watch.content, TRUE);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_request_body (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CriaMessage *answer;
  JsonArray *messages;

  cria_conversation_set_system_prompt (conversation, "You are terse.");

  /* Turn 1 reasons; the reasoning is kept on the message, never sent back. */
  expect_stream (f, "deepseek-reasoning-content.sse");
  g_assert_true (send (conversation, "What is 2+2?", &error));
  answer = get_message (conversation, 1);
  g_assert_true (g_str_has_prefix (cria_message_get_reasoning (answer), "The user asks 2+2."));
  g_assert_cmpstr (cria_message_get_content (answer), ==, "2 + 2 = **4**");

  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  assert_request_message (messages, 0, "system", "You are terse.");
  assert_request_message (messages, 1, "user", "What is 2+2?");

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "And 3+3?", &error));
  g_assert_no_error (error);

  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 4);
  assert_request_message (messages, 0, "system", "You are terse.");
  assert_request_message (messages, 1, "user", "What is 2+2?");
  assert_request_message (messages, 2, "assistant", "2 + 2 = **4**");
  assert_request_message (messages, 3, "user", "And 3+3?");
  {
    CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);

    g_assert_null (g_strstr_len (g_bytes_get_data (request->body, NULL),
                                 g_bytes_get_size (request->body), "The user asks"));
  }

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_parameters (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  /* Unset, the server's defaults apply: nothing is sent. */
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi", &error));
  last_request_messages (f, parser);
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_has_member (body, "temperature"));
  g_assert_false (json_object_has_member (body, "max_tokens"));

  cria_conversation_set_temperature (conversation, 0.2);
  cria_conversation_set_max_tokens (conversation, 512);
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Again", &error));
  last_request_messages (f, parser);
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (body, "temperature"), 0.2, 1e-9);
  g_assert_cmpint (json_object_get_int_member (body, "max_tokens"), ==, 512);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The parameters are one value on the conversation, notified when it changes
 * and only then; the temperature and length shortcuts edit that value. */
static void
test_params_notify (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  CriaChatParams params = { .set = CRIA_CHAT_PARAM_SEED | CRIA_CHAT_PARAM_TOP_P, .seed = 7, .top_p = 0.8 };
  CriaChatParams same = params;
  g_autoptr(CriaChatParams) from_property = NULL;
  const CriaChatParams *now;
  guint n_notifies = 0;

  g_signal_connect (conversation, "notify::params", G_CALLBACK (count_notify_cb), &n_notifies);

  now = cria_conversation_get_params (conversation);
  g_assert_nonnull (now);
  g_assert_cmpint (now->set, ==, 0);

  cria_conversation_set_params (conversation, &params);
  g_assert_cmpuint (n_notifies, ==, 1);
  now = cria_conversation_get_params (conversation);
  g_assert_true (cria_chat_params_equal (now, &params));

  /* Equal parameters, as another copy: no change, no notification. */
  cria_conversation_set_params (conversation, &same);
  g_assert_cmpuint (n_notifies, ==, 1);
  g_object_set (conversation, "params", &same, NULL);
  g_assert_cmpuint (n_notifies, ==, 1);

  /* The shortcuts change the same value. */
  cria_conversation_set_temperature (conversation, 0.4);
  g_assert_cmpuint (n_notifies, ==, 2);
  cria_conversation_set_temperature (conversation, 0.4);
  g_assert_cmpuint (n_notifies, ==, 2);
  g_object_get (conversation, "params", &from_property, NULL);
  g_assert_true (from_property->set & CRIA_CHAT_PARAM_TEMPERATURE);
  g_assert_cmpfloat (from_property->temperature, ==, 0.4);
  g_assert_cmpint (from_property->seed, ==, 7);
  g_assert_cmpfloat (cria_conversation_get_temperature (conversation), ==, 0.4);

  cria_conversation_set_max_tokens (conversation, 256);
  g_assert_cmpuint (n_notifies, ==, 3);
  g_assert_cmpint (cria_conversation_get_max_tokens (conversation), ==, 256);
  cria_conversation_set_max_tokens (conversation, 0);
  g_assert_cmpuint (n_notifies, ==, 4);
  g_assert_false (cria_conversation_get_params (conversation)->set & CRIA_CHAT_PARAM_MAX_TOKENS);

  /* Back to the server's defaults, once. */
  cria_conversation_set_params (conversation, NULL);
  g_assert_cmpuint (n_notifies, ==, 5);
  g_assert_cmpint (cria_conversation_get_params (conversation)->set, ==, 0);
  g_assert_cmpfloat (cria_conversation_get_temperature (conversation), <, 0);
  cria_conversation_set_params (conversation, NULL);
  g_assert_cmpuint (n_notifies, ==, 5);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_refusals (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);

  g_assert_false (send (conversation, "  \n\t ", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpstr (log->str, ==, "");

  /* Busy: a second send is refused and nothing is appended. */
  response = expect_stream (f, "openai-basic.sse");
  cria_fake_response_set_chunk_size (response, 50);
  cria_fake_response_set_chunk_delay (response, 20);
  cria_conversation_send_async (conversation, "Hi", NULL, done_cb, &first);
  g_assert_true (cria_conversation_get_busy (conversation));
  g_assert_false (send (conversation, "Again", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (run_action (conversation, ACTION_REGENERATE, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);

  g_assert_true (cria_conversation_send_finish (conversation, wait_for (&first), &error));
  g_assert_no_error (error);
  g_assert_false (cria_conversation_get_busy (conversation));
  g_assert_cmpstr (log->str, ==, "0,0,1;1,0,1;");

  /* Without a model nothing can be sent. */
  cria_conversation_set_model_id (conversation, NULL);
  g_assert_false (send (conversation, "Hi", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_assert_cmpstr (log->str, ==, "0,0,1;1,0,1;");

  g_clear_object (&first);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
wait_for_requests (Fixture *f,
                   guint    n)
{
  while (cria_fake_server_get_requests (f->server)->len < n)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_stop_before_first_token (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  CriaMessage *answer;

  response = expect_stream (f, "openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);

  cria_conversation_send_async (conversation, "Hi", NULL, done_cb, &result);
  wait_for_requests (f, 1);
  answer = get_message (conversation, 1);
  g_assert_true (wait_until (is_streaming, answer));
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_STREAMING);

  cria_conversation_stop (conversation);
  g_assert_false (cria_conversation_get_busy (conversation));
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_STOPPED);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "");
  g_assert_null (cria_message_get_error (answer));

  g_assert_false (cria_conversation_send_finish (conversation, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The server sees its client go away. */
  while (cria_fake_server_get_n_client_disconnects (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* A new send works at once; the empty stopped answer is not sent. */
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi again", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 4);
  g_assert_cmpstr (cria_message_get_content (get_message (conversation, 3)), ==, basic_answer);
  g_assert_cmpuint (json_array_get_length (last_request_messages (f, parser)), ==, 2);

  g_clear_object (&result);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
stop_on_content_cb (CriaMessage      *message,
                    const char       *text,
                    CriaConversation *conversation)
{
  if (strlen (cria_message_get_content (message)) >= 6)
    cria_conversation_stop (conversation);
}

static void
connect_stop_cb (GListModel       *model,
                 guint             position,
                 guint             removed,
                 guint             added,
                 CriaConversation *conversation)
{
  for (guint i = position; i < position + added; i++)
    {
      CriaMessage *message = get_message (conversation, i);

      if (cria_message_get_role (message) == CRIA_ROLE_ASSISTANT)
        g_signal_connect_object (message, "content-appended",
                                 G_CALLBACK (stop_on_content_cb), conversation, 0);
    }
}

static void
test_stop_mid_stream (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *partial = NULL;
  CriaFakeResponse *response;
  CriaMessage *answer;
  gulong handler;
  JsonArray *messages;

  response = expect_stream (f, "openai-basic.sse");
  cria_fake_response_set_chunk_size (response, 20);
  cria_fake_response_set_chunk_delay (response, 10);
  handler = g_signal_connect (conversation, "items-changed", G_CALLBACK (connect_stop_cb), conversation);

  g_assert_false (send (conversation, "Hi", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_signal_handler_disconnect (conversation, handler);

  answer = get_message (conversation, 1);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_STOPPED);
  g_assert_false (cria_conversation_get_busy (conversation));
  partial = g_strdup (cria_message_get_content (answer));
  g_assert_true (g_str_has_prefix (basic_answer, partial));
  g_assert_cmpuint (strlen (partial), >=, 6);
  g_assert_cmpuint (strlen (partial), <, strlen (basic_answer));

  /* Nothing more reaches the message once stopped; the estimated usage of
   * what was generated does, when the request has ended: once it is
   * there, no chunk of that request is left to come. */
  g_assert_true (wait_until (has_usage, answer));
  g_assert_cmpstr (cria_message_get_content (answer), ==, partial);
  g_assert_nonnull (cria_message_get_usage (answer));
  g_assert_true (cria_message_get_usage (answer)->estimated);

  /* The partial answer is sent back as it is. */
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Go on", &error));
  g_assert_no_error (error);
  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  assert_request_message (messages, 1, "assistant", partial);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_stop_by_cancellable (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  response = expect_stream (f, "openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);

  cria_conversation_send_async (conversation, "Hi", cancellable, done_cb, &result);
  wait_for_requests (f, 1);
  g_cancellable_cancel (cancellable);
  g_assert_false (cria_conversation_get_busy (conversation));
  g_assert_false (cria_conversation_send_finish (conversation, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cria_message_get_state (get_message (conversation, 1)), ==,
                   CRIA_MESSAGE_STATE_STOPPED);

  g_clear_object (&result);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GError) error = NULL;
  CriaMessage *answer;

  cria_client_set_api_key (f->client, "llg_sk_wrong");

  g_assert_false (send (conversation, "Hi", &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);

  /* The question stays; the answer carries the error. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_cmpstr (cria_message_get_content (get_message (conversation, 0)), ==, "Hi");
  answer = get_message (conversation, 1);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_FAILED);
  g_assert_error ((GError *) cria_message_get_error (answer), CRIA_API_ERROR, CRIA_API_ERROR_UNAUTHORIZED);
  g_assert_cmpfloat (cria_message_get_cost (answer), <, 0);
  g_assert_false (cria_conversation_get_busy (conversation));

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_regenerate (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessage) old_answer = NULL;
  JsonArray *messages;

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi", &error));
  old_answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);

  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);
  expect_stream (f, "no-done.sse");
  g_assert_true (run_action (conversation, ACTION_REGENERATE, NULL, NULL, &error));
  g_assert_no_error (error);

  /* The new answer takes the old one's place in one step. */
  g_assert_cmpstr (log->str, ==, "1,1,1;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_true (get_message (conversation, 1) != old_answer);
  g_assert_cmpstr (cria_message_get_content (get_message (conversation, 1)), ==, "Short answer.");
  g_assert_cmpstr (cria_message_get_content (old_answer), ==, basic_answer);

  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  assert_request_message (messages, 0, "user", "Hi");

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_edit_and_resend (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CriaMessage *first;
  JsonArray *messages;

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "First question", &error));
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Second question", &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 4);
  g_assert_cmpstr (cria_conversation_get_title (conversation), ==, "First question");

  first = get_message (conversation, 0);
  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);
  expect_stream (f, "no-done.sse");
  g_assert_true (run_action (conversation, ACTION_EDIT, first, "Better question", &error));
  g_assert_no_error (error);

  /* The three later messages go and the new answer comes in one step. */
  g_assert_cmpstr (log->str, ==, "1,3,1;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_true (get_message (conversation, 0) == first);
  g_assert_cmpstr (cria_message_get_content (first), ==, "Better question");
  g_assert_cmpstr (cria_message_get_content (get_message (conversation, 1)), ==, "Short answer.");
  /* The title follows the first question while it was made from it. */
  g_assert_cmpstr (cria_conversation_get_title (conversation), ==, "Better question");

  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  assert_request_message (messages, 0, "user", "Better question");

  /* An answer cannot be edited, nor a question emptied. */
  g_assert_false (run_action (conversation, ACTION_EDIT, get_message (conversation, 1), "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (run_action (conversation, ACTION_EDIT, first, " ", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessage) answer = NULL;

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi", &error));
  g_assert_cmpfloat (cria_conversation_get_total_cost (conversation), >, 0);

  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);
  cria_conversation_delete (conversation, answer);
  g_assert_cmpstr (log->str, ==, "1,1,0;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
  /* The total counts the answers in the list. */
  g_assert_cmpfloat (cria_conversation_get_total_cost (conversation), ==, 0);

  cria_conversation_delete (conversation, get_message (conversation, 0));
  g_assert_cmpstr (log->str, ==, "1,1,0;0,1,0;");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 0);
  g_assert_cmpint (cria_conversation_get_context_tokens (conversation), ==, 0);

  finalize_conversation (f, g_steal_pointer (&conversation));
  g_assert_finalize_object (g_steal_pointer (&answer));
}

static void
test_delete_streaming (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  response = expect_stream (f, "openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);
  cria_conversation_send_async (conversation, "Hi", NULL, done_cb, &result);
  wait_for_requests (f, 1);

  /* Deleting the answer being streamed stops it first. */
  cria_conversation_delete (conversation, get_message (conversation, 1));
  g_assert_false (cria_conversation_get_busy (conversation));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 1);
  g_assert_false (cria_conversation_send_finish (conversation, wait_for (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  while (cria_fake_server_get_n_client_disconnects (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&result);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_title (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(CriaConversation) second = conversation_new (f);
  g_autoptr(CriaConversation) third = conversation_new (f);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *long_text =
    "Please explain in great detail how the borrow checker of Rust decides lifetimes "
    "when closures capture references";
  const char *title;

  g_assert_null (cria_conversation_get_title (conversation));

  /* The title is there as soon as the question is, before any answer. */
  expect_stream (f, "openai-basic.sse");
  cria_conversation_send_async (conversation, long_text, NULL, done_cb, &result);
  title = cria_conversation_get_title (conversation);
  g_assert_nonnull (title);
  g_assert_cmpuint (g_utf8_strlen (title, -1), <=, 60);
  g_assert_true (g_str_has_suffix (title, "…"));
  g_assert_true (strncmp (long_text, title, strlen (title) - strlen ("…")) == 0);
  g_assert_true (cria_conversation_send_finish (conversation, wait_for (&result), &error));

  /* Later questions leave it alone. */
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Another thing", &error));
  g_assert_cmpstr (cria_conversation_get_title (conversation), ==, title);

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (second, "\n  Fix this code:  \n\nint main () { return 0; }\n", &error));
  g_assert_cmpstr (cria_conversation_get_title (second), ==, "Fix this code:");

  /* A title set by hand stays. */
  cria_conversation_set_title (third, "Mine");
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (third, "Hello there", &error));
  g_assert_cmpstr (cria_conversation_get_title (third), ==, "Mine");

  g_clear_object (&result);
  finalize_conversation (f, g_steal_pointer (&conversation));
  g_assert_finalize_object (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&third));
}

static void
test_cost (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GError) error = NULL;
  double turn = 12 * 0.03 / 1e6 + 10 * 0.05 / 1e6;

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi", &error));
  g_assert_cmpfloat_with_epsilon (cria_message_get_cost (get_message (conversation, 1)), turn, 1e-12);
  g_assert_cmpfloat_with_epsilon (cria_conversation_get_total_cost (conversation), turn, 1e-12);
  g_assert_false (cria_conversation_get_total_cost_estimated (conversation));
  /* A question costs nothing by itself. */
  g_assert_cmpfloat (cria_message_get_cost (get_message (conversation, 0)), <, 0);

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi again", &error));
  g_assert_cmpfloat_with_epsilon (cria_conversation_get_total_cost (conversation), 2 * turn, 1e-12);
  g_assert_false (cria_conversation_get_total_cost_estimated (conversation));

  /* A stream without usage is priced on an estimate, and says so. */
  expect_stream (f, "no-done.sse");
  g_assert_true (send (conversation, "Tell me something short", &error));
  g_assert_true (cria_message_get_usage (get_message (conversation, 5))->estimated);
  g_assert_cmpfloat (cria_message_get_cost (get_message (conversation, 5)), >, 0);
  g_assert_cmpfloat (cria_conversation_get_total_cost (conversation), >, 2 * turn);
  g_assert_true (cria_conversation_get_total_cost_estimated (conversation));

  /* A model with no known price gives an unknown cost, left out of the total. */
  cria_conversation_set_model_id (conversation, "not-in-catalogue");
  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Hi", &error));
  g_assert_cmpfloat (cria_message_get_cost (get_message (conversation, 7)), <, 0);
  g_assert_cmpstr (cria_message_get_model (get_message (conversation, 7)), ==, "not-in-catalogue");
  g_assert_cmpfloat (cria_conversation_get_total_cost (conversation), >, 2 * turn);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

/* A stream of @text in one event, ended by @finish_reason with the given usage. */
static void
expect_cut (Fixture    *f,
            const char *text,
            const char *finish_reason,
            int         prompt_tokens,
            int         completion_tokens)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  g_autofree char *body = NULL;

  body = g_strdup_printf ("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n"
                          "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"%s\"}]}\n\n"
                          "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":%d,\"completion_tokens\":%d}}\n\n"
                          "data: [DONE]\n\n",
                          text, finish_reason, prompt_tokens, completion_tokens);
  cria_fake_response_set_body (response, "text/event-stream", body, -1);
}

static gboolean
continue_answer (CriaConversation  *conversation,
                 CriaMessage       *message,
                 GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_conversation_continue_async (conversation, message, NULL, done_cb, &result);
  return cria_conversation_continue_finish (conversation, wait_for (&result), error);
}

static void
test_continue (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  CriaMessage *answer;
  JsonArray *messages;
  double first_cost;

  expect_cut (f, "One, two", "length", 10, 4);
  g_assert_true (send (conversation, "Count", &error));
  answer = get_message (conversation, 1);
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_LENGTH);
  g_assert_true (cria_message_can_continue (answer));
  first_cost = cria_message_get_cost (answer);
  g_assert_cmpfloat (first_cost, >, 0);

  /* The answer grows in place: the list does not change. */
  g_signal_connect (conversation, "items-changed", G_CALLBACK (items_changed_cb), log);
  expect_cut (f, ", three", "stop", 20, 3);
  g_assert_true (continue_answer (conversation, answer, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (log->str, ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "One, two, three");
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_STOP);
  g_assert_false (cria_message_can_continue (answer));
  g_assert_cmpint (cria_message_get_usage (answer)->prompt_tokens, ==, 30);
  g_assert_cmpint (cria_message_get_usage (answer)->completion_tokens, ==, 7);
  g_assert_cmpfloat_with_epsilon (cria_message_get_cost (answer), 30 * 0.03 / 1e6 + 7 * 0.05 / 1e6, 1e-12);
  g_assert_cmpfloat_with_epsilon (cria_conversation_get_total_cost (conversation),
                                  cria_message_get_cost (answer), 1e-12);

  /* The history, the cut answer, then the instruction, which is not kept. */
  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 3);
  assert_request_message (messages, 0, "user", "Count");
  assert_request_message (messages, 1, "assistant", "One, two");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 2), "role"), ==, "user");

  /* A whole answer is not continued. */
  g_assert_false (continue_answer (conversation, answer, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (continue_answer (conversation, get_message (conversation, 0), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_signal_handlers_disconnect_by_func (conversation, items_changed_cb, log);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_continue_fails (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  CriaMessage *answer;

  expect_cut (f, "Half", "length", 10, 4);
  g_assert_true (send (conversation, "Go", &error));
  answer = get_message (conversation, 1);

  /* The continuation fails outright: the text there was stays, cut short. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 500);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}", -1);
  g_assert_false (continue_answer (conversation, answer, &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "Half");
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  g_assert_nonnull (cria_message_get_error (answer));
  g_assert_true (cria_message_can_continue (answer));
  g_assert_cmpint (cria_message_get_usage (answer)->completion_tokens, ==, 4);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_tool_calls_kept (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(GError) error = NULL;
  CriaMessage *answer;
  const CriaToolCall *call;
  g_autofree char *pretty = NULL;

  expect_stream (f, "tool-calls.sse");
  g_assert_true (send (conversation, "Weather?", &error));
  answer = get_message (conversation, 1);
  g_assert_cmpint (cria_message_get_finish_reason (answer), ==, CRIA_FINISH_REASON_TOOL_CALLS);
  g_assert_cmpuint (cria_message_get_tool_calls (answer)->len, ==, 2);
  call = g_ptr_array_index (cria_message_get_tool_calls (answer), 0);
  g_assert_cmpstr (call->name, ==, "get_weather");
  g_assert_cmpstr (call->arguments, ==, "{\"location\": \"Paris\"}");
  pretty = cria_tool_call_format_arguments (call);
  g_assert_cmpstr (pretty, ==, "{\n  \"location\" : \"Paris\"\n}");

  /* Answering anew forgets the old calls. */
  expect_stream (f, "openai-basic.sse");
  g_assert_true (run_action (conversation, ACTION_REGENERATE, NULL, NULL, &error));
  g_assert_cmpuint (cria_message_get_tool_calls (get_message (conversation, 1))->len, ==, 0);
  g_assert_cmpint (cria_message_get_finish_reason (get_message (conversation, 1)), ==, CRIA_FINISH_REASON_STOP);

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_format_arguments (void)
{
  CriaToolCall call = { 0 };
  g_autofree char *deep = NULL;
  g_autofree char *formatted = NULL;
  GString *nested = g_string_new (NULL);

  /* Not JSON: as written. */
  call.arguments = (char *) "<b>not json";
  formatted = cria_tool_call_format_arguments (&call);
  g_assert_cmpstr (formatted, ==, "<b>not json");
  g_clear_pointer (&formatted, g_free);

  /* None at all. */
  call.arguments = NULL;
  formatted = cria_tool_call_format_arguments (&call);
  g_assert_cmpstr (formatted, ==, "");
  g_clear_pointer (&formatted, g_free);

  /* Too deep to parse safely: as written, not parsed. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (nested, ']');
  deep = g_string_free (nested, FALSE);
  call.arguments = deep;
  formatted = cria_tool_call_format_arguments (&call);
  g_assert_cmpuint (strlen (formatted), <=, 64 * 1024 + strlen ("…"));
  g_assert_true (g_str_has_prefix (formatted, "[[[["));
  g_clear_pointer (&formatted, g_free);

  /* Invalid UTF-8 is made valid. */
  call.arguments = (char *) "{\"a\": \"\xff\"}";
  formatted = cria_tool_call_format_arguments (&call);
  g_assert_true (g_utf8_validate (formatted, -1, NULL));
}

static void
answer_basic (CriaFakeServer        *server,
              const CriaFakeRequest *request,
              CriaFakeResponse      *response,
              gpointer               user_data)
{
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
}

static void
test_context_budget (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *questions[6] = { NULL, };
  JsonArray *messages;
  guint n_messages;

  /* llava-7b: a 4096-token window less 2048 for the answer. Each question is
   * ~400 tokens; the fifth no longer fits with all the others. */
  cria_conversation_set_model_id (conversation, "llava-7b");
  cria_conversation_set_system_prompt (conversation, "You are terse.");
  cria_fake_server_set_handler (f->server, "/v1/chat/completions", answer_basic, NULL, NULL);
  g_assert_false (cria_conversation_would_overflow (conversation, "Hi"));

  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    {
      g_autofree char *filler = g_strnfill (1590, 'a' + i);

      questions[i] = g_strdup_printf ("Question %u %s", i, filler);
      g_assert_true (send (conversation, questions[i], &error));
      g_assert_no_error (error);

      messages = last_request_messages (f, parser);
      n_messages = json_array_get_length (messages);
      /* The system prompt leads and the newest question ends every request. */
      assert_request_message (messages, 0, "system", "You are terse.");
      assert_request_message (messages, n_messages - 1, "user", questions[i]);
      /* Whole turns go: what follows the system prompt is a question. */
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1), "role"),
                       ==, "user");
      g_assert_cmpuint (n_messages + cria_conversation_get_n_omitted_messages (conversation), ==, 2 * i + 2);

      if (i < 4)
        g_assert_cmpuint (cria_conversation_get_n_omitted_messages (conversation), ==, 0);
    }

  /* After six turns, the two oldest turns were left out of the last request,
   * and the list still holds everything. */
  g_assert_cmpuint (cria_conversation_get_n_omitted_messages (conversation), ==, 4);
  assert_request_message (messages, 1, "user", questions[2]);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 12);
  g_assert_true (cria_conversation_would_overflow (conversation, "Hi"));
  g_assert_cmpint (cria_conversation_get_context_tokens (conversation), >, 2048);

  /* A model with a large window takes everything again. */
  cria_conversation_set_model_id (conversation, "llama-3.1-8b");
  g_assert_false (cria_conversation_would_overflow (conversation, "Hi"));
  g_assert_true (send (conversation, "Hi", &error));
  g_assert_cmpuint (cria_conversation_get_n_omitted_messages (conversation), ==, 0);
  g_assert_cmpuint (json_array_get_length (last_request_messages (f, parser)), ==, 14);

  for (guint i = 0; i < G_N_ELEMENTS (questions); i++)
    g_clear_pointer (&questions[i], g_free);
  finalize_conversation (f, g_steal_pointer (&conversation));
}

static void
test_failed_answer_left_out (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;
  JsonArray *messages;

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 503);
  g_assert_false (send (conversation, "First", &error));
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_cmpint (cria_message_get_state (get_message (conversation, 1)), ==, CRIA_MESSAGE_STATE_FAILED);

  expect_stream (f, "openai-basic.sse");
  g_assert_true (send (conversation, "Second", &error));
  messages = last_request_messages (f, parser);
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  assert_request_message (messages, 0, "user", "First");
  assert_request_message (messages, 1, "user", "Second");

  finalize_conversation (f, g_steal_pointer (&conversation));
}

static CriaMessage *
add_plan_message (GPtrArray        *messages,
                  CriaRole          role,
                  const char       *content,
                  CriaMessageState  state,
                  const char       *image_url)
{
  CriaMessage *message = cria_message_new (role, content);

  cria_message_set_state (message, state);
  if (image_url != NULL)
    {
      const char *urls[] = { image_url, NULL };

      cria_message_set_image_urls (message, urls);
    }
  g_ptr_array_add (messages, message);

  return message;
}

static void
assert_plan_message (CriaChatRequest *request,
                     guint            index,
                     CriaRole         role,
                     const char      *content,
                     guint            n_images)
{
  CriaChatMessage *message = g_ptr_array_index (cria_chat_request_get_messages (request), index);
  GPtrArray *urls = cria_chat_message_get_image_urls (message);

  g_assert_cmpint (cria_chat_message_get_role (message), ==, role);
  g_assert_cmpstr (cria_chat_message_get_content (message), ==, content);
  g_assert_cmpuint (urls != NULL ? urls->len : 0, ==, n_images);
}

/* Planning a request is pure: from the messages, the parameters and the
 * context budget it makes the request and says what it left out. Whole turns
 * go, oldest first; the newest question always stays; failed answers are
 * never sent and do not count as left out. */
static void
test_request_plan (void)
{
  static const char image[] = "data:image/png;base64,iVBORw0KGgo=";
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *q0 = g_strnfill (400, 'a');
  g_autofree char *q1 = g_strnfill (400, 'b');
  CriaChatParams params = { .set = CRIA_CHAT_PARAM_SEED, .seed = 3 };
  const char *system = "Be brief.";
  gint64 last_two_turns;

  add_plan_message (messages, CRIA_ROLE_USER, q0, CRIA_MESSAGE_STATE_COMPLETE, image);
  add_plan_message (messages, CRIA_ROLE_ASSISTANT, "First answer", CRIA_MESSAGE_STATE_COMPLETE, NULL);
  add_plan_message (messages, CRIA_ROLE_ASSISTANT, "", CRIA_MESSAGE_STATE_FAILED, NULL);
  add_plan_message (messages, CRIA_ROLE_USER, q1, CRIA_MESSAGE_STATE_COMPLETE, image);
  add_plan_message (messages, CRIA_ROLE_ASSISTANT, "Second answer", CRIA_MESSAGE_STATE_STOPPED, NULL);
  add_plan_message (messages, CRIA_ROLE_USER, "Third question", CRIA_MESSAGE_STATE_COMPLETE, image);
  /* The answer being planned for: streaming, never sent. */
  add_plan_message (messages, CRIA_ROLE_ASSISTANT, "", CRIA_MESSAGE_STATE_STREAMING, NULL);

  last_two_turns = cria_request_plan_text_tokens (system) +
                   cria_request_plan_text_tokens (q1) +
                   cria_request_plan_text_tokens ("Second answer") +
                   cria_request_plan_text_tokens ("Third question");

  /* No limit: everything sendable goes, with its images. */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new ("llava-7b", system, &params, messages,
                                                             messages->len, -1, TRUE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 0);
    g_assert_cmpuint (plan->n_omitted_images, ==, 0);
    g_assert_cmpstr (cria_chat_request_get_model (plan->request), ==, "llava-7b");
    g_assert_cmpuint (cria_chat_request_get_messages (plan->request)->len, ==, 6);
    assert_plan_message (plan->request, 0, CRIA_ROLE_SYSTEM, system, 0);
    assert_plan_message (plan->request, 1, CRIA_ROLE_USER, q0, 1);
    assert_plan_message (plan->request, 2, CRIA_ROLE_ASSISTANT, "First answer", 0);
    assert_plan_message (plan->request, 5, CRIA_ROLE_USER, "Third question", 1);
  }

  /* Room for the last two turns: the first turn is left out, the failed
   * answer is not counted. */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new ("llava-7b", system, &params, messages,
                                                             messages->len, last_two_turns, TRUE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 2);
    g_assert_cmpuint (cria_chat_request_get_messages (plan->request)->len, ==, 4);
    assert_plan_message (plan->request, 0, CRIA_ROLE_SYSTEM, system, 0);
    assert_plan_message (plan->request, 1, CRIA_ROLE_USER, q1, 1);
    assert_plan_message (plan->request, 2, CRIA_ROLE_ASSISTANT, "Second answer", 0);
    assert_plan_message (plan->request, 3, CRIA_ROLE_USER, "Third question", 1);
  }

  /* One token less: the second turn goes too. */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new ("llava-7b", system, &params, messages,
                                                             messages->len, last_two_turns - 1, TRUE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 4);
    g_assert_cmpuint (cria_chat_request_get_messages (plan->request)->len, ==, 2);
    assert_plan_message (plan->request, 1, CRIA_ROLE_USER, "Third question", 1);
  }

  /* A budget nothing fits: the newest question still goes. */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new ("llava-7b", system, &params, messages,
                                                             messages->len, 1, TRUE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 4);
    g_assert_cmpuint (cria_chat_request_get_messages (plan->request)->len, ==, 2);
    assert_plan_message (plan->request, 1, CRIA_ROLE_USER, "Third question", 1);
  }

  /* A model that sees no images: the texts go, the images of the messages
   * sent are counted as left out (not those of turns left out). */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new ("llama-3.1-8b", system, &params, messages,
                                                             messages->len, last_two_turns, FALSE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 2);
    g_assert_cmpuint (plan->n_omitted_images, ==, 2);
    assert_plan_message (plan->request, 1, CRIA_ROLE_USER, q1, 0);
    assert_plan_message (plan->request, 3, CRIA_ROLE_USER, "Third question", 0);
  }

  /* Only the history before @end: the planned-for question is the last. */
  {
    g_autoptr(CriaRequestPlan) plan = cria_request_plan_new (NULL, NULL, NULL, messages, 4, -1, TRUE);

    g_assert_cmpuint (plan->n_omitted_messages, ==, 0);
    g_assert_cmpuint (cria_chat_request_get_messages (plan->request)->len, ==, 3);
    assert_plan_message (plan->request, 2, CRIA_ROLE_USER, q1, 1);
  }

  /* Planning changed none of the messages. */
  g_assert_cmpuint (messages->len, ==, 7);
  g_assert_cmpint (cria_message_get_state (g_ptr_array_index (messages, 6)), ==, CRIA_MESSAGE_STATE_STREAMING);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/conversation/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("send-streams", test_send_streams);
  ADD ("request-body", test_request_body);
  ADD ("parameters", test_parameters);
  ADD ("params-notify", test_params_notify);
  ADD ("refusals", test_refusals);
  ADD ("stop-before-first-token", test_stop_before_first_token);
  ADD ("stop-mid-stream", test_stop_mid_stream);
  ADD ("stop-by-cancellable", test_stop_by_cancellable);
  ADD ("unauthorized", test_unauthorized);
  ADD ("failed-answer-left-out", test_failed_answer_left_out);
  ADD ("regenerate", test_regenerate);
  ADD ("edit-and-resend", test_edit_and_resend);
  ADD ("delete", test_delete);
  ADD ("delete-streaming", test_delete_streaming);
  ADD ("title", test_title);
  ADD ("cost", test_cost);
  ADD ("context-budget", test_context_budget);
  ADD ("continue", test_continue);
  ADD ("continue-fails", test_continue_fails);
  ADD ("tool-calls-kept", test_tool_calls_kept);

#undef ADD

  g_test_add_func ("/conversation/format-arguments", test_format_arguments);
  g_test_add_func ("/conversation/request-plan", test_request_plan);

  return g_test_run ();
}

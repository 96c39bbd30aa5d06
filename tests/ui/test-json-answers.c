/* test-json-answers.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON answers through the window: the chat's settings ask for JSON that
 * follows a pasted schema, the request carries it as response_format, and
 * the answer says whether it follows the schema and where it does not.
 */

#include <string.h>

#include <adwaita.h>
#include <gtk/gtk.h>

#include "cria-conversation-settings.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"

typedef struct
{
  CriaUiTestWindow ui;
} Fixture;

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"
#define CHAT_PATH "/v1/chat/completions"

#define SCHEMA \
  "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\"}," \
  " \"age\": {\"type\": \"integer\", \"minimum\": 0}}, \"required\": [\"name\", \"age\"]," \
  " \"additionalProperties\": false}"

static gboolean have_display;
static CriaApplication *app;

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

/* A whole streamed answer of @text, made with a JSON builder: the text is JSON itself. */
static void
expect_answer (Fixture    *f,
               const char *text)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, CHAT_PATH);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *chunk = NULL;
  g_autofree char *event = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "c1");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "llama-3.1-8b");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  chunk = json_to_string (root, FALSE);
  event = g_strdup_printf ("data: %s\n\n", chunk);

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  cria_fake_response_append_piece (response, event, -1);
  cria_fake_response_append_piece (response,
                                   "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"llama-3.1-8b\","
                                   "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                   "data: [DONE]\n\n", -1);
}

static gboolean
settings_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRIA_IS_CONVERSATION_SETTINGS (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(GString) shown = g_string_new (NULL);

  cria_ui_test_collect_text (widget, shown);
  return strstr (shown->str, text) != NULL;
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} Shows;

static gboolean
shows_cb (gpointer data)
{
  Shows *shows = data;

  return shows_text (shows->widget, shows->text);
}

static gboolean
idle_cb (gpointer data)
{
  return cria_ui_test_window_idle (data);
}

/* The row of the last message, once it shows @text. */
static void
wait_for_answer_showing (Fixture    *f,
                         const char *text)
{
  CriaConversation *conversation = cria_window_get_conversation (f->ui.window);
  CriaMessage *last;
  CriaMessageRow *row = NULL;
  Shows shows;
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_true (cria_ui_test_wait (idle_cb, f->ui.window, 20));
  last = cria_ui_test_message_at (f->ui.window, g_list_model_get_n_items (G_LIST_MODEL (conversation)) - 1);
  while ((row = cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->ui.window), last)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  shows.widget = GTK_WIDGET (row);
  shows.text = text;
  if (!cria_ui_test_wait (shows_cb, &shows, 20))
    {
      g_autoptr(GString) shown = g_string_new (NULL);

      cria_ui_test_collect_text (GTK_WIDGET (row), shown);
      g_error ("The answer shows “%s”, not “%s”", shown->str, text);
    }
}

/* The last request for an answer that asked for one in a format: a title
 * for the chat may be asked for too. */
static CriaFakeRequest *
last_chat_request (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);

  for (guint i = requests->len; i > 0; i--)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i - 1);
      gsize len;
      const char *data = g_bytes_get_data (request->body, &len);

      if (g_str_equal (request->path, CHAT_PATH) &&
          g_strstr_len (data, len, "\"response_format\"") != NULL)
        return request;
    }
  g_error ("No request asked for a response format");
  return NULL;
}

/* The request's body as JSON; the bytes have no terminating NUL. */
static JsonNode *
request_body (CriaFakeRequest *request)
{
  gsize len;
  const char *data = g_bytes_get_data (request->body, &len);
  g_autofree char *text = g_strndup (data, len);
  JsonNode *node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return node;
}

static void
test_schema_answers (Fixture       *f,
                     gconstpointer  data)
{
  CriaConversation *conversation;
  GtkWindow *settings = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  g_autoptr(JsonNode) body = NULL;
  CriaFakeRequest *request;
  AdwComboRow *format_row;
  GtkTextBuffer *schema_buffer;
  const CriaChatParams *params;
  JsonObject *format;
  Shows shows;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }
  conversation = cria_window_get_conversation (f->ui.window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.conversation-settings", NULL));
  g_assert_true (cria_ui_test_wait (settings_shown, &settings, 20));

  format_row = ADW_COMBO_ROW (cria_ui_test_find_descendant (GTK_WIDGET (settings), ADW_TYPE_COMBO_ROW));
  g_assert_nonnull (format_row);
  adw_combo_row_set_selected (format_row, 2);
  cria_ui_test_settle (GTK_WIDGET (settings));

  /* The system prompt, then the schema. */
  collect (GTK_WIDGET (settings), GTK_TYPE_TEXT_VIEW, views);
  g_assert_cmpuint (views->len, ==, 2);
  schema_buffer = gtk_text_view_get_buffer (g_ptr_array_index (views, 1));

  /* A schema Cria cannot use says where, at once; <b> stays text. */
  gtk_text_buffer_set_text (schema_buffer, "{\"type\": \"<b>strin</b>\"}", -1);
  shows.widget = GTK_WIDGET (settings);
  shows.text = "The schema at /type: “<b>strin</b>” is not a JSON type";
  g_assert_true (cria_ui_test_wait (shows_cb, &shows, 20));

  gtk_text_buffer_set_text (schema_buffer, SCHEMA, -1);
  shows.text = "Answers must follow this schema.";
  g_assert_true (cria_ui_test_wait (shows_cb, &shows, 20));

  gtk_window_close (settings);
  params = cria_conversation_get_params (conversation);
  g_assert_true (params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT);

  /* The request asks for the schema, strict. */
  expect_answer (f, "{\"name\": \"Ada\", \"age\": -1}");
  cria_ui_test_type_and_send (f->ui.window, "Who is Ada?");
  wait_for_answer_showing (f, "The answer does not follow the schema: /age: must be at least 0, not -1");

  request = last_chat_request (f);
  body = request_body (request);
  g_assert_nonnull (body);
  format = json_object_get_object_member (json_node_get_object (body), "response_format");
  g_assert_nonnull (format);
  g_assert_cmpstr (json_object_get_string_member (format, "type"), ==, "json_schema");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (format, "json_schema"), "strict"));

  expect_answer (f, "```json\n{\"name\": \"Ada\", \"age\": 36}\n```");
  cria_ui_test_type_and_send (f->ui.window, "And now?");
  wait_for_answer_showing (f, "The answer follows the schema.");

  expect_answer (f, "I cannot answer in JSON.");
  cria_ui_test_type_and_send (f->ui.window, "And text?");
  wait_for_answer_showing (f, "The answer is not JSON.");
}

static void
test_object_mode (Fixture       *f,
                  gconstpointer  data)
{
  CriaConversation *conversation;
  g_autoptr(CriaChatParams) params = cria_chat_params_new ();
  g_autoptr(JsonNode) body = NULL;
  CriaFakeRequest *request;
  JsonObject *format;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }
  conversation = cria_window_get_conversation (f->ui.window);

  params->set = CRIA_CHAT_PARAM_RESPONSE_FORMAT;
  params->response_format = g_strdup ("{\"type\":\"json_object\"}");
  cria_conversation_set_params (conversation, params);

  expect_answer (f, "[1, 2, {\"three\": 3}]");
  cria_ui_test_type_and_send (f->ui.window, "Numbers?");
  wait_for_answer_showing (f, "The answer is JSON.");

  request = last_chat_request (f);
  body = request_body (request);
  format = json_object_get_object_member (json_node_get_object (body), "response_format");
  g_assert_cmpstr (json_object_get_string_member (format, "type"), ==, "json_object");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;
  /* An answer that ends while the settings had the focus is announced. */
  if (have_display)
    cria_ui_test_notifications_start ();

  g_test_add ("/json-answers/schema", Fixture, NULL, fixture_set_up, test_schema_answers, fixture_tear_down);
  g_test_add ("/json-answers/object-mode", Fixture, NULL, fixture_set_up, test_object_mode, fixture_tear_down);

  status = g_test_run ();
  if (have_display)
    cria_ui_test_notifications_stop ();
  g_clear_object (&app);

  return status;
}

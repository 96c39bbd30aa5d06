/* test-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-markdown-view.h"
#include "cria-catalogue.h"
#include "cria-message-row.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaUiTestWindow ui;
  guint            shown_before;
  guint            row_wanted;
} Fixture;

/* What the fake LlamaGate lists. */
#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-8b\"}]}"

static gboolean have_display;
/* One application for the whole run: it is registered on the session bus
 * under the app ID, which only one instance may hold. */
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

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

static gboolean
has_rows (Fixture *f)
{
  return gtk_widget_get_first_child (GTK_WIDGET (cria_ui_test_get_list_view (f->ui.window))) != NULL;
}

/* The row showing @message, found among the list view's children. */
static CriaMessageRow *
find_row (Fixture     *f,
          CriaMessage *message)
{
  return cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->ui.window), message);
}

static char *
row_text (CriaMessageRow *row)
{
  GString *out = g_string_new (NULL);

  cria_ui_test_collect_text (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

static void
test_send_streams_answer (Fixture       *f,
                          gconstpointer  data)
{
  CriaFakeResponse *response;
  CriaMessageRow *row;
  CriaModel *model;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/think-inline.sse");
  cria_fake_response_set_chunk_size (response, 16);
  cria_fake_response_set_chunk_delay (response, 5);

  cria_ui_test_type_and_send (f->ui.window, "Say hello");

  /* Sending clears the composer at once and turns Send into Stop. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (_cria_composer_get_text_view (_cria_window_get_composer (f->ui.window)))), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cria_composer_get_stop_button (_cria_window_get_composer (f->ui.window)))));

  wait_until (not_busy, f);
  wait_until (has_rows, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 2);
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->ui.window, 1)), ==, "Hello, friend!");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_cria_composer_get_stop_button (_cria_window_get_composer (f->ui.window)))));

  row = find_row (f, cria_ui_test_message_at (f->ui.window, 1));
  g_assert_nonnull (row);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Hello, friend!"));
  /* The answer is labelled with its model's name, not its id. */
  model = cria_catalogue_find (_cria_window_get_models (f->ui.window), cria_message_get_model (cria_ui_test_message_at (f->ui.window, 1)));
  g_assert_nonnull (model);
  g_assert_cmpstr (cria_model_get_name (model), !=, cria_model_get_id (model));
  g_assert_nonnull (strstr (text, cria_model_get_name (model)));
  /* The reasoning went to the Thinking section, not into the answer. */
  g_assert_null (strstr (text, "wants a greeting"));
  g_assert_nonnull (strstr (text, "Thought for"));
}

static void
test_stop_keeps_partial (Fixture       *f,
                         gconstpointer  data)
{
  CriaFakeResponse *response;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);

  cria_ui_test_type_and_send (f->ui.window, "Say hello");
  g_assert_true (cria_conversation_get_busy (cria_window_get_conversation (f->ui.window)));

  /* Escape stops before the first token. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.stop", NULL));
  wait_until (not_busy, f);
  g_assert_cmpint (cria_message_get_state (cria_ui_test_message_at (f->ui.window, 1)), ==, CRIA_MESSAGE_STATE_STOPPED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cria_composer_get_send_button (_cria_window_get_composer (f->ui.window)))));
}

static void
test_error_shown_on_answer (Fixture       *f,
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

  response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 402);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"code\":402,\"message\":\"Insufficient credits <b>now</b>\"}}", -1);

  cria_ui_test_type_and_send (f->ui.window, "Hello?");
  wait_until (not_busy, f);
  wait_until (has_rows, f);

  row = find_row (f, cria_ui_test_message_at (f->ui.window, 1));
  g_assert_nonnull (row);
  text = row_text (row);
  /* In plain words, literally, with what to do about it. */
  g_assert_nonnull (strstr (text, "Insufficient credits <b>now</b>"));
  g_assert_nonnull (strstr (text, "Top Up Credits"));
  /* The user's text is kept. */
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->ui.window, 0)), ==, "Hello?");
}

static void
test_send_disabled_when_empty (Fixture       *f,
                               gconstpointer  data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (_cria_window_get_composer (f->ui.window)))));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (_cria_window_get_composer (f->ui.window))), "   \n ", -1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (_cria_window_get_composer (f->ui.window)))));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (_cria_window_get_composer (f->ui.window))), "Hi", -1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (_cria_window_get_composer (f->ui.window)))));
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

static gboolean
has_wanted_row (Fixture *f)
{
  return find_row (f, cria_ui_test_message_at (f->ui.window, f->row_wanted)) != NULL;
}

/* Rows are built when the list lays out: waits until the one for the
 * message at @position is there. */
static void
wait_for_row (Fixture *f,
              guint    position)
{
  f->row_wanted = position;
  wait_until (has_wanted_row, f);
}

/* Waits until the window has drawn a whole frame from now on (the second
 * tick comes after the first frame's layout and paint) and then until the
 * main context has nothing left to do: whatever the window would do in
 * reply to its layout (an idle queued from an adjustment's change) has
 * happened. */
static void
settle (Fixture *f)
{
  cria_ui_test_settle (GTK_WIDGET (f->ui.window));
}

static CriaMessageRow *
answer_row (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window)));

  wait_until (has_rows, f);
  wait_for_row (f, n - 1);

  return find_row (f, cria_ui_test_message_at (f->ui.window, n - 1));
}

static void
test_error_actions (Fixture       *f,
                    gconstpointer  data)
{
  static const struct {
    guint       status;
    const char *body;
    const char *retry_after;
    const char *action;
    gboolean    sensitive;
  } cases[] = {
    { 401, "{\"error\":{\"message\":\"Bad key\"}}", NULL, "Open Preferences", TRUE },
    { 404, "{\"error\":\"model not found\"}", NULL, "Pick Another Model", TRUE },
    { 429, "{\"error\":{\"message\":\"Slow down\"}}", "30", "Retry in 30 s", FALSE },
    { 503, "<html><body>Service Unavailable</body></html>", NULL, "Retry", TRUE },
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
      CriaMessageRow *row;
      GtkButton *button;

      cria_fake_response_set_status (response, cases[i].status);
      cria_fake_response_set_body (response, cases[i].body[0] == '{' ? "application/json" : "text/html",
                                   cases[i].body, -1);
      if (cases[i].retry_after != NULL)
        cria_fake_response_add_header (response, "Retry-After", cases[i].retry_after);

      cria_ui_test_type_and_send (f->ui.window, "Hello?");
      wait_until (not_busy, f);
      row = answer_row (f);
      g_assert_nonnull (row);

      button = find_button_labelled (GTK_WIDGET (row), cases[i].action);
      g_assert_nonnull (button);
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
      g_assert_cmpint (gtk_widget_get_sensitive (GTK_WIDGET (button)), ==, cases[i].sensitive);
    }
}

static void
test_interrupted_keeps_partial (Fixture       *f,
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

  response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, 1200);

  cria_ui_test_type_and_send (f->ui.window, "Hi");
  wait_until (not_busy, f);
  row = answer_row (f);
  text = row_text (row);
  g_assert_cmpint (cria_message_get_state (cria_ui_test_message_at (f->ui.window, 1)), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  g_assert_nonnull (strstr (text, "Hello"));
  g_assert_nonnull (strstr (text, "Interrupted"));
  g_assert_nonnull (find_button_labelled (GTK_WIDGET (row), "Retry"));
}

static void
test_reasoning_formats (Fixture       *f,
                        gconstpointer  data)
{
  static const struct {
    const char *fixture;
    const char *reasoning;
  } cases[] = {
    { "streams/ollama-reasoning.sse", "Okay, the user says hi." },
    { "streams/deepseek-reasoning-content.sse", "The user asks 2+2." },
    { "streams/think-inline.sse", "The user wants a greeting." },
    { "streams/openthinker.sse", "First, count the apples." },
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
      CriaMessageRow *row;
      GtkExpander *expander;
      GtkTextView *view;
      GtkTextBuffer *buffer;
      GtkTextIter start, end;
      g_autofree char *reasoning = NULL;
      g_autofree char *text = NULL;

      cria_fake_response_set_body_from_fixture (response, "text/event-stream", cases[i].fixture);
      cria_fake_response_set_chunk_size (response, 7);
      cria_ui_test_type_and_send (f->ui.window, "Think");
      wait_until (not_busy, f);
      row = answer_row (f);

      /* The reasoning is in the Thinking section, folded once the answer came. */
      expander = GTK_EXPANDER (cria_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_EXPANDER));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (expander)));
      g_assert_false (gtk_expander_get_expanded (expander));
      view = GTK_TEXT_VIEW (gtk_expander_get_child (expander));
      buffer = gtk_text_view_get_buffer (view);
      gtk_text_buffer_get_bounds (buffer, &start, &end);
      reasoning = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
      g_assert_cmpstr (reasoning, ==, cases[i].reasoning);

      /* And not in the answer. */
      text = row_text (row);
      g_assert_null (strstr (text, cases[i].reasoning));
    }
}

static gboolean
first_token_arrived (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))) == 2 &&
         *cria_message_get_content (cria_ui_test_message_at (f->ui.window, 1)) != '\0';
}

static void
test_stop_after_first_token (Fixture       *f,
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

  response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  cria_fake_response_set_chunk_size (response, 200);
  cria_fake_response_set_chunk_delay (response, 100);

  cria_ui_test_type_and_send (f->ui.window, "Say hello");
  wait_until (first_token_arrived, f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.stop", NULL));
  wait_until (not_busy, f);

  g_assert_cmpint (cria_message_get_state (cria_ui_test_message_at (f->ui.window, 1)), ==, CRIA_MESSAGE_STATE_STOPPED);
  row = answer_row (f);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Stopped"));
  g_assert_true (g_str_has_prefix ("Hello! How can I help you today?",
                                   cria_message_get_content (cria_ui_test_message_at (f->ui.window, 1))));

  /* A new message can be sent right after. */
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->ui.server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  cria_ui_test_type_and_send (f->ui.window, "Again");
  wait_until (not_busy, f);
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->ui.window, 3)), ==, "Hello! How can I help you today?");
}

static gboolean
models_asked (Fixture *f)
{
  return cria_fake_server_get_requests (f->ui.server)->len >= 1;
}

/* The server's list has replaced the bundled catalogue, where every model
 * is available: the models the server does not serve are marked. */
static gboolean
models_answered (Fixture *f)
{
  GListModel *models = _cria_window_get_models (f->ui.window);

  for (guint i = 0; models != NULL && i < g_list_model_get_n_items (models); i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (models, i);

      if (!cria_model_get_available (model))
        return TRUE;
    }

  return FALSE;
}

static gboolean
banner_shown (Fixture *f)
{
  return gtk_revealer_get_reveal_child (_cria_window_get_banner (f->ui.window));
}

static void
test_offline_banner (Fixture       *f,
                     gconstpointer  data)
{
  CriaFakeResponse *response;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The window asked for the model list when it opened; that answer comes
   * first, then the server goes away. */
  wait_until (models_asked, f);
  wait_until (models_answered, f);

  response = cria_fake_server_expect (f->ui.server, "/v1/models");
  cria_fake_response_set_status (response, 503);
  cria_fake_response_set_body (response, "text/plain", "upstream unavailable", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.refresh-models", NULL));
  wait_until (banner_shown, f);

  /* It says what is wrong and that it will try again; the catalogue still
   * fills the picker. */
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_window_get_banner_label (f->ui.window)), "upstream unavailable"));
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_window_get_banner_label (f->ui.window)), "Trying again"));
  g_assert_cmpuint (g_list_model_get_n_items (_cria_window_get_models (f->ui.window)), ==, 21);
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (cria_ui_test_get_list_view (f->ui.window))));
}

static gboolean
shown_more (Fixture *f)
{
  return n_shown (f) > f->shown_before;
}

static gboolean
scrolled_down (Fixture *f)
{
  return gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (cria_ui_test_get_scroller (f->ui.window))) > 0;
}

static void
test_long_conversation_grows_upwards (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  GtkAdjustment *adjustment;
  guint opened_with;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  conversation = cria_conversation_new (cria_conversation_get_client (cria_window_get_conversation (f->ui.window)),
                                        cria_conversation_get_models (cria_window_get_conversation (f->ui.window)));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u of a long conversation.", i);
      CriaMessage *message = cria_message_new (i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER, text);

      cria_message_set_state (message, CRIA_MESSAGE_STATE_COMPLETE);
      g_ptr_array_add (messages, message);
    }
  cria_conversation_restore (conversation, messages);
  _cria_window_set_conversation (f->ui.window, conversation);
  wait_until (has_rows, f);
  wait_for_row (f, 299);
  settle (f);

  /* It opens at its end, without rows for hundreds of messages. */
  opened_with = n_shown (f);
  g_test_message ("opened with %u of 300 messages", opened_with);
  g_assert_cmpuint (opened_with, >, 0);
  g_assert_cmpuint (opened_with, <, 100);
  g_assert_nonnull (find_row (f, cria_ui_test_message_at (f->ui.window, 299)));
  /* At the bottom, nothing more is needed. */
  wait_until (scrolled_down, f);
  settle (f);
  g_assert_cmpuint (n_shown (f), ==, opened_with);

  /* Scrolling up brings the earlier ones, down to the first. */
  adjustment = gtk_scrolled_window_get_vadjustment (cria_ui_test_get_scroller (f->ui.window));
  for (guint round = 0; round < 50 && n_shown (f) < 300; round++)
    {
      guint before = n_shown (f);

      gtk_adjustment_set_value (adjustment, 0);
      f->shown_before = before;
      wait_until (shown_more, f);
      /* Rows come in above the ones on screen, which stay where they are:
       * the view is no longer at the top. */
      wait_until (scrolled_down, f);
      g_test_message ("%u shown, at %.0f of %.0f px", n_shown (f),
                      gtk_adjustment_get_value (adjustment), gtk_adjustment_get_upper (adjustment));
    }
  g_assert_cmpuint (n_shown (f), ==, 300);
  gtk_adjustment_set_value (adjustment, 0);
  wait_for_row (f, 0);
  g_assert_nonnull (find_row (f, cria_ui_test_message_at (f->ui.window, 0)));
  /* The view has let go of the bottom: no new answer pulls it down. */
  g_assert_false (_cria_chat_view_get_stick_to_bottom (_cria_window_get_chat_view (f->ui.window)));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("send-streams-answer", test_send_streams_answer);
  ADD ("stop-keeps-partial", test_stop_keeps_partial);
  ADD ("error-shown-on-answer", test_error_shown_on_answer);
  ADD ("send-disabled-when-empty", test_send_disabled_when_empty);
  ADD ("error-actions", test_error_actions);
  ADD ("interrupted-keeps-partial", test_interrupted_keeps_partial);
  ADD ("reasoning-formats", test_reasoning_formats);
  ADD ("stop-after-first-token", test_stop_after_first_token);
  ADD ("offline-banner", test_offline_banner);
  ADD ("long-conversation-grows-upwards", test_long_conversation_grows_upwards);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

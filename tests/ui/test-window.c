/* test-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-markdown-view.h"
#include "cria-message-row.h"
#include "cria-test-util.h"
#include "cria-window-private.h"

typedef struct
{
  CriaFakeServer  *server;
  CriaWindow      *window;
  char            *key;
} Fixture;

static gboolean have_display;
/* One application for the whole run: it is registered on the session bus
 * under the app ID, which only one instance may hold. */
static CriaApplication *app;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!condition (f))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  CriaFakeResponse *models;
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  f->server = cria_fake_server_new ();
  f->key = cria_test_make_key ();
  cria_fake_server_set_api_key (f->server, f->key);
  models = cria_fake_server_expect (f->server, "/v1/models");
  cria_fake_response_set_body (models, "application/json",
                               "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-8b\"}]}", -1);

  g_assert_true (cria_client_set_base_url (cria_application_get_client (app),
                                           cria_fake_server_get_base_url (f->server), &error));
  g_assert_no_error (error);
  cria_client_set_api_key (cria_application_get_client (app), f->key);

  f->window = cria_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->server);
  g_free (f->key);
}

static void
type_and_send (Fixture    *f,
               const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (f->window->composer_view), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (f->window->conversation);
}

static gboolean
has_rows (Fixture *f)
{
  return gtk_widget_get_first_child (GTK_WIDGET (f->window->list_view)) != NULL;
}

/* The row showing @message, found among the list view's children. */
static CriaMessageRow *
find_row (Fixture     *f,
          CriaMessage *message)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->window->list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (CRIA_IS_MESSAGE_ROW (row) && cria_message_row_get_message (CRIA_MESSAGE_ROW (row)) == message)
        return CRIA_MESSAGE_ROW (row);
    }

  return NULL;
}

static CriaMessage *
message_at (Fixture *f,
            guint    position)
{
  CriaMessage *message = g_list_model_get_item (G_LIST_MODEL (f->window->conversation), position);

  g_object_unref (message);
  return message;
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text (child, out);
}

static char *
row_text (CriaMessageRow *row)
{
  GString *out = g_string_new (NULL);

  collect_text (GTK_WIDGET (row), out);
  return g_string_free (out, FALSE);
}

static void
test_send_streams_answer (Fixture       *f,
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

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/think-inline.sse");
  cria_fake_response_set_chunk_size (response, 16);
  cria_fake_response_set_chunk_delay (response, 5);

  type_and_send (f, "Say hello");

  /* Sending clears the composer at once and turns Send into Stop. */
  g_assert_cmpint (gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (f->window->composer_view)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->stop_button)));

  wait_until (not_busy, f);
  wait_until (has_rows, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->window->conversation)), ==, 2);
  g_assert_cmpstr (cria_message_get_content (message_at (f, 1)), ==, "Hello, friend!");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->window->stop_button)));

  row = find_row (f, message_at (f, 1));
  g_assert_nonnull (row);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "Hello, friend!"));
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

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 0);

  type_and_send (f, "Say hello");
  g_assert_true (cria_conversation_get_busy (f->window->conversation));

  /* Escape stops before the first token. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.stop", NULL));
  wait_until (not_busy, f);
  g_assert_cmpint (cria_message_get_state (message_at (f, 1)), ==, CRIA_MESSAGE_STATE_STOPPED);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window->send_button)));
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

  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 402);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"code\":402,\"message\":\"Insufficient credits <b>now</b>\"}}", -1);

  type_and_send (f, "Hello?");
  wait_until (not_busy, f);
  wait_until (has_rows, f);

  row = find_row (f, message_at (f, 1));
  g_assert_nonnull (row);
  text = row_text (row);
  /* In plain words, literally, with what to do about it. */
  g_assert_nonnull (strstr (text, "Insufficient credits <b>now</b>"));
  g_assert_nonnull (strstr (text, "Top Up Credits"));
  /* The user's text is kept. */
  g_assert_cmpstr (cria_message_get_content (message_at (f, 0)), ==, "Hello?");
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

  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (f->window->send_button)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (f->window->composer_view), "   \n ", -1);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (f->window->send_button)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (f->window->composer_view), "Hi", -1);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->window->send_button)));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  cria_test_init (&argc, &argv);
  have_display = gtk_init_check ();
  if (have_display)
    {
      app = cria_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }

#define ADD(path, func) \
  g_test_add ("/window/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("send-streams-answer", test_send_streams_answer);
  ADD ("stop-keeps-partial", test_stop_keeps_partial);
  ADD ("error-shown-on-answer", test_error_shown_on_answer);
  ADD ("send-disabled-when-empty", test_send_disabled_when_empty);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

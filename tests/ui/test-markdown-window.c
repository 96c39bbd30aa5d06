/* test-markdown-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Markdown answers as the window shows them, from the fake server: answers
 * nested thousands of levels deep, which crashed Cria while they streamed
 * and every time their saved conversation was opened again. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-markdown.h"
#include "cria-message-row.h"
#include "cria-ui-test.h"

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"

/* A list level is a list box, an item row and its content box: three
 * widgets per two block levels; the row around the view adds a few. */
#define MAX_ROW_DEPTH (2 * CRIA_MARKDOWN_MAX_DEPTH + 30)

typedef struct
{
  CriaUiTestWindow ui;
  const char      *marker;
} Fixture;

static gboolean have_display;
static CriaApplication *app;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 60));
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

static char *
repeat (const char *unit,
        guint       times,
        const char *end)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (s, unit);
  g_string_append (s, end);
  return g_string_free (s, FALSE);
}

/* One chat completion chunk event carrying @content. */
static char *
content_event (const char *content,
               gsize       len)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *piece = g_strndup (content, len);
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
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
  json_builder_add_string_value (builder, piece);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  return g_strdup_printf ("data: %s\n\n", json);
}

/* Answers with @answer in events of a few kilobytes; with @stall, the
 * stream then stays open, as an answer still being written. */
static void
expect_answer (Fixture    *f,
               const char *answer,
               gboolean    stall)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");
  gsize len = strlen (answer);
  gsize total = 0;

  cria_fake_response_add_header (response, "Content-Type", "text/event-stream");
  for (gsize pos = 0; pos < len; pos += 4096)
    {
      g_autofree char *event = content_event (answer + pos, MIN (4096, len - pos));

      total += strlen (event);
      cria_fake_response_append_piece (response, event, -1);
    }
  if (stall)
    {
      cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, total);
    }
  else
    {
      cria_fake_response_append_piece (response,
                                       "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                       "data: [DONE]\n\n", -1);
    }
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

/* The row showing the last message, found among the list view's children. */
static CriaMessageRow *
last_answer_row (Fixture *f)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window)));
  g_autoptr(CriaMessage) message = NULL;

  if (n < 2)
    return NULL;
  message = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->ui.window)), n - 1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (cria_ui_test_get_list_view (f->ui.window)));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (CRIA_IS_MESSAGE_ROW (row) && cria_message_row_get_message (CRIA_MESSAGE_ROW (row)) == message)
        return CRIA_MESSAGE_ROW (row);
    }
  return NULL;
}

/* The depth of @root's widget tree and its labels' text, walked without
 * recursion: a tree too deep for the stack fails the depth assertion
 * instead of crashing the test. */
static guint
widget_depth_and_text (GtkWidget *root,
                       GString   *text)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));
  guint max_depth = 0;
  guint zero = 0;

  g_ptr_array_add (stack, root);
  g_array_append_val (depths, zero);
  while (stack->len > 0)
    {
      GtkWidget *widget = g_ptr_array_steal_index (stack, stack->len - 1);
      guint depth = g_array_index (depths, guint, depths->len - 1);

      g_array_set_size (depths, depths->len - 1);
      max_depth = MAX (max_depth, depth);
      if (GTK_IS_LABEL (widget) && text != NULL)
        {
          g_string_append (text, gtk_label_get_text (GTK_LABEL (widget)));
          g_string_append_c (text, '\n');
        }
      for (GtkWidget *child = gtk_widget_get_last_child (widget); child != NULL;
           child = gtk_widget_get_prev_sibling (child))
        {
          guint child_depth = depth + 1;

          g_ptr_array_add (stack, child);
          g_array_append_val (depths, child_depth);
        }
    }
  return max_depth;
}

static gboolean
marker_shown (Fixture *f)
{
  CriaMessageRow *row = last_answer_row (f);
  g_autoptr(GString) text = g_string_new (NULL);

  if (row == NULL)
    return FALSE;
  widget_depth_and_text (GTK_WIDGET (row), text);
  return strstr (text->str, f->marker) != NULL;
}

static void
check_row (Fixture *f)
{
  CriaMessageRow *row = last_answer_row (f);
  g_autoptr(GString) text = g_string_new (NULL);
  guint depth;

  g_assert_nonnull (row);
  depth = widget_depth_and_text (GTK_WIDGET (row), text);
  g_test_message ("row widget depth %u", depth);
  g_assert_cmpuint (depth, <=, MAX_ROW_DEPTH);
  g_assert_nonnull (strstr (text->str, f->marker));
}

static void
test_deep_answers (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *quotes = repeat (">", 15000, " end of the quotes\n");
  g_autofree char *lists = repeat ("- ", 6000, "end of the lists\n");
  g_autofree char *mixed = repeat ("> 1. - ", 3000, "end of the mix\n");
  const char *texts[] = { quotes, lists, mixed };
  const char *markers[] = { "end of the quotes", "end of the lists", "end of the mix" };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      CriaMessage *answer;

      f->marker = markers[i];

      /* Streaming: the stream stays open with the whole answer shown. */
      expect_answer (f, texts[i], TRUE);
      cria_ui_test_type_and_send (f->ui.window, "Nest deeply");
      wait_until (marker_shown, f);
      g_assert_true (cria_conversation_get_busy (cria_window_get_conversation (f->ui.window)));
      check_row (f);

      /* Stopped, the partial answer is kept and shown finished, as it is
       * when the saved conversation is opened again. */
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.stop", NULL));
      wait_until (not_busy, f);
      answer = cria_message_row_get_message (last_answer_row (f));
      g_assert_cmpstr (cria_message_get_content (answer), ==, texts[i]);
      wait_until (marker_shown, f);
      check_row (f);

      /* And an answer that streams to its end. */
      expect_answer (f, texts[i], FALSE);
      cria_ui_test_type_and_send (f->ui.window, "Again");
      wait_until (not_busy, f);
      wait_until (marker_shown, f);
      check_row (f);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

  g_test_add ("/markdown-window/deep-answers", Fixture, NULL,
              fixture_set_up, test_deep_answers, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

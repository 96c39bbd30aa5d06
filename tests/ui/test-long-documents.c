/* test-long-documents.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Answers from long documents through the window: the Sources under an
 * answer, and the passage each one shows.
 */

#include <string.h>

#include <adwaita.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-message-row.h"
#include "cria-source-list.h"
#include "cria-source.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaUiTestWindow w;
} Fixture;

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"

static gboolean have_display;
static CriaApplication *app;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 20));
}

static gboolean
window_active (Fixture *f)
{
  return gtk_window_is_active (GTK_WINDOW (f->w.window));
}

static gboolean
idle (Fixture *f)
{
  return cria_ui_test_window_idle (f->w.window);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  cria_ui_test_window_set_up (&f->w, app, MODELS_JSON);
  wait_until (window_active, f);
  cria_conversation_set_model_id (cria_window_get_conversation (f->w.window), "llama-3.1-8b");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  cria_ui_test_window_tear_down (&f->w);
}

static char *
widget_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  cria_ui_test_collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static CriaSourceList *
source_list_of (Fixture     *f,
                CriaMessage *message)
{
  CriaMessageRow *row;

  cria_ui_test_settle (GTK_WIDGET (f->w.window));
  row = cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->w.window), message);
  g_assert_nonnull (row);
  return CRIA_SOURCE_LIST (cria_ui_test_find_descendant (GTK_WIDGET (row), CRIA_TYPE_SOURCE_LIST));
}

static GPtrArray *
make_sources (void)
{
  GPtrArray *sources = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);

  /* A name that would be markup, were it ever taken for some. */
  g_ptr_array_add (sources, cria_source_new ("<b>Heat</b> & pumps.pdf", "aa", 12,
                                             "The outdoor unit stands at least 30 cm from the fence."));
  g_ptr_array_add (sources, cria_source_new ("notes.txt", "bb", 1, "Night mode lowers the noise to 35 dB."));
  return sources;
}

static gboolean
passage_shown (Fixture *f)
{
  CriaMessage *answer = cria_ui_test_message_at (f->w.window, 1);

  return cria_source_list_get_passage_window (source_list_of (f, answer)) != NULL;
}

/* An answer given sources shows them, one row each, as plain text; a row
 * activated shows its passage, named in the title; new sources replace the
 * rows. */
static void
test_sources_shown (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autoptr(GPtrArray) fewer = NULL;
  g_autofree char *text = NULL;
  g_autofree char *passage = NULL;
  CriaMessage *answer;
  CriaSourceList *list;
  GtkWindow *window;
  GtkTextView *view;
  GtkTextIter start, end;
  int minimum;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->w.server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  cria_ui_test_type_and_send (f->w.window, "How far from the fence?");
  wait_until (idle, f);

  answer = cria_ui_test_message_at (f->w.window, 1);
  list = source_list_of (f, answer);
  g_assert_nonnull (list);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (list)));

  sources = make_sources ();
  cria_message_set_sources (answer, sources);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list)));
  g_assert_cmpuint (cria_source_list_get_n_sources (list), ==, 2);
  text = widget_text (GTK_WIDGET (list));
  g_assert_nonnull (strstr (text, "Sources"));
  g_assert_nonnull (strstr (text, "<b>Heat</b> & pumps.pdf"));
  g_assert_nonnull (strstr (text, "page 12"));
  g_assert_nonnull (strstr (text, "notes.txt"));
  g_assert_nonnull (strstr (text, "page 1"));

  /* Rows take the keyboard, and are named for a screen reader. */
  g_assert_true (gtk_widget_get_focusable (cria_source_list_get_row (list, 0)));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (cria_source_list_get_row (list, 0))));

  /* Narrow windows: the section takes no more than a phone's width. */
  gtk_widget_measure (GTK_WIDGET (list), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);

  g_assert_true (gtk_widget_activate (cria_source_list_get_row (list, 0)));
  wait_until (passage_shown, f);
  window = cria_source_list_get_passage_window (list);
  g_assert_nonnull (strstr (gtk_window_get_title (window), "<b>Heat</b> & pumps.pdf"));
  g_assert_nonnull (strstr (gtk_window_get_title (window), "page 12"));
  view = GTK_TEXT_VIEW (cria_ui_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_TEXT_VIEW));
  g_assert_false (gtk_text_view_get_editable (view));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  passage = gtk_text_iter_get_text (&start, &end);
  g_assert_cmpstr (passage, ==, "The outdoor unit stands at least 30 cm from the fence.");
  g_assert_nonnull (cria_ui_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_SCROLLED_WINDOW));
  gtk_window_destroy (window);
  g_assert_null (cria_source_list_get_passage_window (list));

  fewer = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_source_unref);
  g_ptr_array_add (fewer, cria_source_ref (g_ptr_array_index (sources, 1)));
  cria_message_set_sources (answer, fewer);
  g_assert_cmpuint (cria_source_list_get_n_sources (list), ==, 1);
  cria_message_set_sources (answer, NULL);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (list)));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/long-documents/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sources-shown", test_sources_shown);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

/* cria-ui-test.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-test-util.h"
#include "cria-ui-test.h"

CriaApplication *
cria_ui_test_init (int    *argc,
                   char ***argv)
{
  g_autoptr(GError) error = NULL;
  CriaApplication *app;

  cria_test_init (argc, argv);
  if (!gtk_init_check ())
    return NULL;

  app = cria_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  return app;
}

CriaWindow *
cria_ui_test_open_window (CriaApplication  *app,
                          const char       *models_json,
                          CriaFakeServer  **server,
                          char            **key)
{
  CriaClient *client = cria_application_get_client (app);
  CriaFakeResponse *models;
  g_autoptr(GError) error = NULL;
  CriaWindow *window;

  *server = cria_fake_server_new ();
  *key = cria_test_make_key ();
  cria_fake_server_set_api_key (*server, *key);
  models = cria_fake_server_expect (*server, "/v1/models");
  cria_fake_response_set_body (models, "application/json", models_json, -1);

  g_assert_true (cria_client_set_base_url (client, cria_fake_server_get_base_url (*server), &error));
  g_assert_no_error (error);
  cria_client_set_api_key (client, *key);

  window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

void
cria_ui_test_window_set_up (CriaUiTestWindow *w,
                            CriaApplication  *app,
                            const char       *models_json)
{
  if (app == NULL)
    return;

  w->window = cria_ui_test_open_window (app, models_json, &w->server, &w->key);
}

void
cria_ui_test_window_tear_down (CriaUiTestWindow *w)
{
  if (w->window != NULL)
    gtk_window_destroy (GTK_WINDOW (w->window));
  w->window = NULL;
  g_clear_object (&w->server);
  g_clear_pointer (&w->key, g_free);
}

typedef struct
{
  gboolean (*condition) (gpointer data);
  gpointer   data;
} PlainCondition;

static gboolean
plain_condition (gpointer      fixture,
                 gconstpointer data)
{
  const PlainCondition *plain = data;

  return plain->condition (plain->data);
}

gboolean
cria_ui_test_wait (gboolean (*condition) (gpointer data),
                   gpointer   data,
                   guint      seconds)
{
  PlainCondition plain = { condition, data };

  return cria_ui_test_wait_full (plain_condition, NULL, &plain, seconds);
}

gboolean
cria_ui_test_wait_full (CriaUiTestCondition condition,
                        gpointer            fixture,
                        gconstpointer       data,
                        guint               seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () >= deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

void
cria_ui_test_skip_no_display (void)
{
  g_test_skip ("no display; run under build-aux/run-headless.sh");
}

GtkWidget *
cria_ui_test_find_descendant (GtkWidget *widget,
                              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cria_ui_test_find_descendant (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkListView *
cria_ui_test_get_list_view (CriaWindow *window)
{
  return _cria_chat_view_get_list_view (_cria_window_get_chat_view (window));
}

GtkScrolledWindow *
cria_ui_test_get_scroller (CriaWindow *window)
{
  return _cria_chat_view_get_scroller (_cria_window_get_chat_view (window));
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return *frames < 2 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
two_frames_passed (gpointer data)
{
  return *(guint *) data >= 2;
}

void
cria_ui_test_settle (GtkWidget *widget)
{
  guint frames = 0;

  gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);
  gtk_widget_queue_draw (widget);
  g_assert_true (cria_ui_test_wait (two_frames_passed, &frames, 20));
  while (g_main_context_iteration (NULL, FALSE));
}

CriaMessageRow *
cria_ui_test_find_message_row (GtkListView *list_view,
                               CriaMessage *message)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (CRIA_IS_MESSAGE_ROW (row) && cria_message_row_get_message (CRIA_MESSAGE_ROW (row)) == message)
        return CRIA_MESSAGE_ROW (row);
    }

  return NULL;
}

void
cria_ui_test_type_and_send (CriaWindow *window,
                            const char *text)
{
  GtkTextView *view = _cria_composer_get_text_view (_cria_window_get_composer (window));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.send", NULL));
}

CriaMessage *
cria_ui_test_message_at (CriaWindow *window,
                         guint       position)
{
  CriaMessage *message = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (window)), position);

  g_object_unref (message);
  return message;
}

gboolean
cria_ui_test_window_idle (CriaWindow *window)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (window));
}

void
cria_ui_test_collect_text (GtkWidget *widget,
                           GString   *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cria_ui_test_collect_text (child, out);
}

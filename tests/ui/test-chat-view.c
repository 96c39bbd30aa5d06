/* test-chat-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript on its own, in a plain window: no server, no composer. A
 * streaming answer is fed through the reply it follows, as the conversation
 * would feed it, so "while streaming" lasts as long as the test needs.
 */

#include "config.h"

#include "cria-chat-reply-private.h"
#include "cria-message-private.h"
#include "cria-message-row.h"
#include "cria-ui-test.h"

#define WAIT_S 20

static gboolean have_display;

typedef struct
{
  GtkWindow        *window;
  CriaChatView     *view;
  CriaClient       *client;
  CriaConversation *conversation;
  /* What a condition waits for. */
  CriaMessage      *wanted;
  double            upper_before;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->client = cria_client_new ();
  f->conversation = cria_conversation_new (f->client, NULL);
  f->view = CRIA_CHAT_VIEW (cria_chat_view_new ());
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 480, 400);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (f->window);
  g_clear_object (&f->conversation);
  g_clear_object (&f->client);
}

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, WAIT_S));
}

static GtkAdjustment *
adjustment (Fixture *f)
{
  return gtk_scrolled_window_get_vadjustment (_cria_chat_view_get_scroller (f->view));
}

static GListModel *
shown (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (_cria_chat_view_get_list_view (f->view)));
}

static CriaMessage *
message_at (Fixture *f,
            guint    position)
{
  g_autoptr(CriaMessage) message = g_list_model_get_item (G_LIST_MODEL (f->conversation), position);

  return message;
}

static CriaMessage *
shown_at (Fixture *f,
          guint    position)
{
  g_autoptr(CriaMessage) message = g_list_model_get_item (shown (f), position);

  return message;
}

/* @n short messages, user and assistant in turn, set on the view. */
static void
open_conversation (Fixture *f,
                   guint    n)
{
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message number %u of a long conversation.", i);
      CriaMessage *message = cria_message_new (i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER, text);

      cria_message_set_state (message, CRIA_MESSAGE_STATE_COMPLETE);
      g_ptr_array_add (messages, message);
    }
  cria_conversation_restore (f->conversation, messages);
  cria_chat_view_set_conversation (f->view, f->conversation);
  g_assert_true (cria_chat_view_get_conversation (f->view) == f->conversation);
}

static gboolean
at_bottom (Fixture *f)
{
  GtkAdjustment *a = adjustment (f);

  return gtk_adjustment_get_upper (a) > gtk_adjustment_get_page_size (a) &&
         gtk_adjustment_get_value (a) + gtk_adjustment_get_page_size (a) >= gtk_adjustment_get_upper (a) - 24;
}

/* The row of f->wanted is built and lies, at least in part, inside the
 * visible part of the scrolled window. */
static gboolean
wanted_in_view (Fixture *f)
{
  GtkWidget *scroller = GTK_WIDGET (_cria_chat_view_get_scroller (f->view));
  CriaMessageRow *row = cria_ui_test_find_message_row (_cria_chat_view_get_list_view (f->view), f->wanted);
  graphene_rect_t bounds;

  if (row == NULL || !gtk_widget_compute_bounds (GTK_WIDGET (row), scroller, &bounds))
    return FALSE;

  return bounds.size.height > 0 && bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (scroller);
}

static gboolean
shown_more (Fixture *f)
{
  return g_list_model_get_n_items (shown (f)) > 25;
}

static gboolean
grew (Fixture *f)
{
  return gtk_adjustment_get_upper (adjustment (f)) > f->upper_before;
}

static gboolean
grew_and_at_bottom (Fixture *f)
{
  return grew (f) && at_bottom (f);
}

static void
test_opens_with_tail (Fixture       *f,
                      gconstpointer  data)
{
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_assert_cmpstr (gtk_stack_get_visible_child_name (_cria_chat_view_get_stack (f->view)), ==, "empty");
  open_conversation (f, 300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (_cria_chat_view_get_stack (f->view)), ==, "messages");
  f->wanted = message_at (f, 299);
  wait_until (wanted_in_view, f);
  wait_until (at_bottom, f);
  cria_ui_test_settle (GTK_WIDGET (f->window));

  /* Only the end of the conversation is shown, down to its last message. */
  n = g_list_model_get_n_items (shown (f));
  g_assert_cmpuint (n, ==, 25);
  g_assert_true (shown_at (f, 0) == message_at (f, 275));
  g_assert_true (shown_at (f, n - 1) == message_at (f, 299));
  g_assert_true (_cria_chat_view_get_stick_to_bottom (f->view));

  /* Scrolling up brings earlier ones in above; the end stays. */
  gtk_adjustment_set_value (adjustment (f), 0);
  wait_until (shown_more, f);
  n = g_list_model_get_n_items (shown (f));
  g_assert_true (shown_at (f, 0) == message_at (f, 300 - n));
  g_assert_true (shown_at (f, n - 1) == message_at (f, 299));
  g_assert_false (_cria_chat_view_get_stick_to_bottom (f->view));
}

/* Another long conversation opened in place of one read to its end opens
 * at its own end too, with only its tail built: the list starting again at
 * the top is not the user scrolling up, which would let go of the bottom and
 * bring in rows above. */
static void
test_opens_another_at_end (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CriaConversation) other = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  open_conversation (f, 300);
  f->wanted = message_at (f, 299);
  wait_until (wanted_in_view, f);
  wait_until (at_bottom, f);
  cria_ui_test_settle (GTK_WIDGET (f->window));

  other = cria_conversation_new (f->client, NULL);
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *text = g_strdup_printf ("Line %u of another conversation,\nwhich takes\ntwo or three lines.", i);
      CriaMessage *message = cria_message_new (i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER, text);

      cria_message_set_state (message, CRIA_MESSAGE_STATE_COMPLETE);
      g_ptr_array_add (messages, message);
    }
  cria_conversation_restore (other, messages);
  g_set_object (&f->conversation, other);
  cria_chat_view_set_conversation (f->view, other);

  f->wanted = message_at (f, 299);
  wait_until (wanted_in_view, f);
  wait_until (at_bottom, f);
  cria_ui_test_settle (GTK_WIDGET (f->window));

  n = g_list_model_get_n_items (shown (f));
  g_assert_cmpuint (n, ==, 25);
  g_assert_true (shown_at (f, n - 1) == message_at (f, 299));
  g_assert_true (_cria_chat_view_get_stick_to_bottom (f->view));
  g_assert_true (at_bottom (f));
}

static void
test_follows_stream (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CriaChatReply) reply = cria_chat_reply_new ();
  g_autoptr(CriaMessage) answer = cria_message_new (CRIA_ROLE_ASSISTANT, NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  open_conversation (f, 30);
  f->wanted = message_at (f, 29);
  wait_until (wanted_in_view, f);
  wait_until (at_bottom, f);

  /* An answer starts streaming at the end. */
  _cria_chat_reply_begin (reply);
  _cria_message_follow_reply (answer, reply);
  g_ptr_array_add (messages, g_object_ref (answer));
  cria_conversation_restore (f->conversation, messages);

  /* While the view holds on to the bottom, each new paragraph is followed. */
  for (guint i = 0; i < 5; i++)
    {
      f->upper_before = gtk_adjustment_get_upper (adjustment (f));
      _cria_chat_reply_append_content (reply, "A new paragraph of the answer, long enough to take a line or two.\n\n");
      wait_until (grew_and_at_bottom, f);
      g_assert_true (_cria_chat_view_get_stick_to_bottom (f->view));
    }

  /* The user scrolls up: the view lets go and stays where they put it. */
  gtk_adjustment_set_value (adjustment (f), gtk_adjustment_get_upper (adjustment (f)) / 4);
  g_assert_false (_cria_chat_view_get_stick_to_bottom (f->view));
  for (guint i = 0; i < 5; i++)
    {
      f->upper_before = gtk_adjustment_get_upper (adjustment (f));
      _cria_chat_reply_append_content (reply, "Another paragraph that the user is not reading yet.\n\n");
      wait_until (grew, f);
      /* Frames after the growth, when a held view would have moved. */
      cria_ui_test_settle (GTK_WIDGET (f->window));
      g_assert_false (at_bottom (f));
      g_assert_false (_cria_chat_view_get_stick_to_bottom (f->view));
    }

  /* Asked to, it holds on to the bottom again and follows. */
  cria_chat_view_scroll_to_bottom (f->view);
  g_assert_true (_cria_chat_view_get_stick_to_bottom (f->view));
  f->upper_before = gtk_adjustment_get_upper (adjustment (f));
  _cria_chat_reply_append_content (reply, "The last paragraph.\n\n");
  wait_until (grew_and_at_bottom, f);

  _cria_chat_reply_finish (reply, CRIA_CHAT_REPLY_STATE_COMPLETE, NULL, 0);
  _cria_message_end_reply (answer);
}

static void
test_scroll_to_message (Fixture       *f,
                        gconstpointer  data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  open_conversation (f, 300);
  f->wanted = message_at (f, 299);
  wait_until (wanted_in_view, f);
  wait_until (at_bottom, f);

  /* A message far above the tail: the messages down to it come in, and it
   * is brought into view. */
  f->wanted = message_at (f, 20);
  g_assert_false (wanted_in_view (f));
  cria_chat_view_scroll_to_message (f->view, cria_message_get_id (f->wanted));
  wait_until (wanted_in_view, f);
  g_assert_false (_cria_chat_view_get_stick_to_bottom (f->view));
  g_assert_cmpuint (g_list_model_get_n_items (shown (f)), >=, 300 - 20);
  g_assert_false (at_bottom (f));

  /* An id not in the conversation moves nothing. */
  cria_chat_view_scroll_to_message (f->view, "no-such-message");
  cria_ui_test_settle (GTK_WIDGET (f->window));
  g_assert_true (wanted_in_view (f));
}

int
main (int   argc,
      char *argv[])
{
  CriaApplication *app;
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/chat-view/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("opens-with-tail", test_opens_with_tail);
  ADD ("opens-another-at-end", test_opens_another_at_end);
  ADD ("follows-stream", test_follows_stream);
  ADD ("scroll-to-message", test_scroll_to_message);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

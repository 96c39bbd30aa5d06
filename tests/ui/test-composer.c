/* test-composer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-attachment-chip.h"
#include "cria-catalogue.h"
#include "cria-composer-private.h"
#include "cria-model-private.h"
#include "cria-test-images.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"

/* The composer on its own, in a plain window, sending to a conversation
 * against a fake LlamaGate: what it is given through its properties and
 * what it says through its signals, with no CriaWindow around it. */

typedef struct
{
  CriaTestFixture   base;
  GListModel       *models;
  CriaConversation *conversation;
  GtkWindow        *window;
  CriaComposer     *composer;
  GPtrArray        *toasts;
  guint             n_sending;
  char             *dir;
} Fixture;

/* A model with a context window of a few tokens, for the overflow warning. */
#define TINY_MODEL "tiny-test-model"

static gboolean have_display;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 20));
}

static void
toast_cb (CriaComposer *composer,
          const char   *text,
          Fixture      *f)
{
  g_ptr_array_add (f->toasts, g_strdup (text));
}

static void
sending_cb (CriaComposer *composer,
            Fixture      *f)
{
  f->n_sending++;
}

static GListModel *
models_new (void)
{
  g_autoptr(GListModel) catalogue = NULL;
  g_autoptr(CriaModel) tiny = cria_model_new (TINY_MODEL);
  g_autoptr(GError) error = NULL;
  GListStore *store = g_list_store_new (CRIA_TYPE_MODEL);

  catalogue = cria_catalogue_load (&error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (catalogue); i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);

      g_list_store_append (store, model);
    }
  _cria_model_set_context_length (tiny, 16);
  g_list_store_append (store, tiny);

  return G_LIST_MODEL (store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  cria_test_fixture_set_up (&f->base, data);
  f->dir = g_dir_make_tmp ("cria-composer-XXXXXX", &error);
  g_assert_no_error (error);
  f->toasts = g_ptr_array_new_with_free_func (g_free);
  f->models = models_new ();
  f->conversation = cria_conversation_new (f->base.client, f->models);
  cria_conversation_set_model_id (f->conversation, "llama-3.1-8b");

  f->composer = CRIA_COMPOSER (cria_composer_new ());
  g_object_ref_sink (f->composer);
  g_object_set (f->composer, "conversation", f->conversation, "models", f->models, NULL);
  g_signal_connect (f->composer, "toast", G_CALLBACK (toast_cb), f);
  g_signal_connect (f->composer, "sending", G_CALLBACK (sending_cb), f);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->composer));
  gtk_window_present (f->window);
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (f->conversation);
}

static gboolean
only_test_holds_composer (Fixture *f)
{
  return G_OBJECT (f->composer)->ref_count == 1;
}

static gboolean
only_test_holds_conversation (Fixture *f)
{
  return G_OBJECT (f->conversation)->ref_count == 1;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!have_display)
    return;

  cria_conversation_stop (f->conversation);
  wait_until (not_busy, f);
  gtk_window_destroy (f->window);
  /* Nothing but the test holds the composer once its window is gone and a
   * stopped answer's callback has run. */
  wait_until (only_test_holds_composer, f);
  g_assert_finalize_object (f->composer);
  wait_until (only_test_holds_conversation, f);
  g_assert_finalize_object (f->conversation);
  g_clear_object (&f->models);
  g_ptr_array_unref (f->toasts);

  /* A stopped request holds the client until its callback. */
  while (G_OBJECT (f->base.client)->ref_count > 1 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  cria_test_fixture_tear_down (&f->base, data);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GtkTextBuffer *
buffer (Fixture *f)
{
  return gtk_text_view_get_buffer (_cria_composer_get_text_view (f->composer));
}

static gboolean
send_sensitive (Fixture *f)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (f->composer)));
}

/* The key a user presses in the text, through the composer's own key
 * handler. */
static gboolean
press_key (Fixture         *f,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (GTK_WIDGET (_cria_composer_get_text_view (f->composer)));
  gboolean found = FALSE;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "cria-composer-keys") != 0)
        continue;
      g_assert_true (GTK_IS_EVENT_CONTROLLER_KEY (controller));
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      found = TRUE;
    }
  g_assert_true (found);

  return handled;
}

static guint
n_chat_requests (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->base.server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, "/v1/chat/completions"))
        n++;
    }

  return n;
}

static char *
last_request_body (Fixture *f)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->base.server);
  gsize size;
  const char *data;

  g_assert_nonnull (request);
  data = g_bytes_get_data (request->body, &size);

  return g_strndup (data, size);
}

static CriaFakeResponse *
expect_answer (Fixture *f)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->base.server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");

  return response;
}

static CriaMessage *
message_at (Fixture *f,
            guint    position)
{
  CriaMessage *message = g_list_model_get_item (G_LIST_MODEL (f->conversation), position);

  g_object_unref (message);
  return message;
}

static void
test_enter_sends (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_answer (f);
  gtk_text_buffer_set_text (buffer (f), "Say hello", -1);

  /* Shift+Enter is the text view's: a line break, nothing sent. */
  g_assert_false (press_key (f, GDK_KEY_Return, GDK_SHIFT_MASK));
  g_assert_cmpuint (f->n_sending, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->conversation)), ==, 0);

  /* Enter sends, once; the text goes to the conversation and leaves the
   * composer. */
  g_assert_true (press_key (f, GDK_KEY_Return, 0));
  g_assert_cmpuint (f->n_sending, ==, 1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer (f)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->conversation)), >=, 1);
  g_assert_cmpstr (cria_message_get_content (message_at (f, 0)), ==, "Say hello");
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
  g_assert_cmpuint (f->toasts->len, ==, 0);

  /* The keypad's Enter sends too; an empty composer sends nothing. */
  g_assert_true (press_key (f, GDK_KEY_KP_Enter, 0));
  g_assert_cmpuint (f->n_sending, ==, 1);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
}

static void
test_send_and_stop_states (Fixture       *f,
                           gconstpointer  data)
{
  CriaFakeResponse *response;
  GtkWidget *send = NULL;
  GtkWidget *stop = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  send = GTK_WIDGET (_cria_composer_get_send_button (f->composer));
  stop = GTK_WIDGET (_cria_composer_get_stop_button (f->composer));

  /* Nothing to send: empty, or only spaces and line breaks. */
  g_assert_false (send_sensitive (f));
  gtk_text_buffer_set_text (buffer (f), "   \n ", -1);
  g_assert_false (send_sensitive (f));
  gtk_text_buffer_set_text (buffer (f), "Hi", -1);
  g_assert_true (send_sensitive (f));
  g_assert_true (gtk_widget_get_visible (send));
  g_assert_false (gtk_widget_get_visible (stop));

  /* While the answer streams, Stop takes Send's place, and typed text
   * waits. */
  response = expect_answer (f);
  cria_fake_response_set_hold (response, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  g_assert_true (cria_conversation_get_busy (f->conversation));
  g_assert_false (gtk_widget_get_visible (send));
  g_assert_true (gtk_widget_get_visible (stop));
  g_assert_true (gtk_widget_get_sensitive (stop));
  gtk_text_buffer_set_text (buffer (f), "And then?", -1);
  g_assert_false (send_sensitive (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  g_assert_cmpuint (f->n_sending, ==, 1);
  {
    g_autofree char *text = cria_composer_dup_text (f->composer);

    g_assert_cmpstr (text, ==, "And then?");
  }

  /* Stop ends it; Send comes back, and the text waiting in it can go. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.stop", NULL));
  wait_until (not_busy, f);
  g_assert_true (gtk_widget_get_visible (send));
  g_assert_false (gtk_widget_get_visible (stop));
  g_assert_true (send_sensitive (f));
  g_assert_cmpint (cria_message_get_state (message_at (f, 1)), ==, CRIA_MESSAGE_STATE_STOPPED);
}

static gboolean
all_settled (Fixture *f)
{
  GListModel *attachments = _cria_composer_get_attachments (f->composer);

  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr(CriaAttachment) attachment = g_list_model_get_item (attachments, i);

      if (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
        return FALSE;
    }

  return TRUE;
}

static void
attach_picture (Fixture *f)
{
  g_autoptr(GdkPixbuf) pixbuf = cria_test_halves_pixbuf (40, 30, 0xff0000ff, 0x0000ffff, FALSE);
  g_autoptr(GBytes) png = cria_test_encode (pixbuf, "png");
  g_autoptr(GFile) file = cria_test_write_file (f->dir, "halves.png", png);
  g_autoptr(GSList) files = g_slist_append (NULL, file);

  cria_composer_attach_files (f->composer, files);
  wait_until (all_settled, f);
}

static CriaAttachmentChip *
chip_at (Fixture *f,
         guint    position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (_cria_composer_get_attachment_flow (f->composer),
                                                            position);

  g_assert_nonnull (child);
  return CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child));
}

static void
test_attach_remove_and_send (Fixture       *f,
                             gconstpointer  data)
{
  GListModel *attachments;
  GtkWidget *box;
  const char *summary;
  g_autofree char *body = NULL;
  const char * const *urls;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  attachments = _cria_composer_get_attachments (f->composer);
  box = _cria_composer_get_attachments_box (f->composer);
  cria_conversation_set_model_id (f->conversation, "qwen3-vl-8b");
  g_assert_false (gtk_widget_get_visible (box));

  /* A picture shows as a chip, with what sending it would cost; an image
   * alone is enough to send. */
  attach_picture (f);
  g_assert_cmpuint (g_list_model_get_n_items (attachments), ==, 1);
  g_assert_true (gtk_widget_get_visible (box));
  g_assert_true (CRIA_IS_ATTACHMENT_CHIP (chip_at (f, 0)));
  summary = gtk_label_get_text (_cria_composer_get_attachment_label (f->composer));
  g_assert_true (g_str_has_prefix (summary, "1 image · request "));
  g_assert_true (send_sensitive (f));

  /* Its remove button takes it away again. */
  g_signal_emit_by_name (chip_at (f, 0), "remove-requested");
  g_assert_cmpuint (g_list_model_get_n_items (attachments), ==, 0);
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_null (gtk_flow_box_get_child_at_index (_cria_composer_get_attachment_flow (f->composer), 0));
  g_assert_false (send_sensitive (f));

  /* Text with a picture leaves by the same path as text: one request with
   * both, and the composer empties. */
  attach_picture (f);
  gtk_text_buffer_set_text (buffer (f), "What colours?", -1);
  expect_answer (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  g_assert_cmpuint (f->n_sending, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (attachments), ==, 0);
  g_assert_false (gtk_widget_get_visible (box));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer (f)), ==, 0);
  urls = cria_message_get_image_urls (message_at (f, 0));
  g_assert_nonnull (urls[0]);
  g_assert_true (g_str_has_prefix (urls[0], "data:image/"));
  g_assert_null (urls[1]);
  g_assert_cmpstr (cria_message_get_content (message_at (f, 0)), ==, "What colours?");
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
  body = last_request_body (f);
  g_assert_nonnull (strstr (body, "What colours?"));
  g_assert_nonnull (strstr (body, "data:image/"));
  g_assert_cmpuint (f->toasts->len, ==, 0);
}

static void
test_vision_offer (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *dialog;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The conversation's model cannot see: the summary says so, and sending
   * asks first, over the composer's window. */
  attach_picture (f);
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_composer_get_attachment_label (f->composer)),
                            "cannot see images"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  dialog = _cria_composer_get_vision_dialog (f->composer);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == f->window);
  g_assert_cmpuint (f->n_sending, ==, 0);

  /* Cancelled, nothing is sent and the picture stays. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_null (_cria_composer_get_vision_dialog (f->composer));
  g_assert_cmpuint (g_list_model_get_n_items (_cria_composer_get_attachments (f->composer)), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->conversation)), ==, 0);

  /* Switched, it goes through the same send. */
  expect_answer (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  dialog = _cria_composer_get_vision_dialog (f->composer);
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "switch"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "switch");
  g_assert_cmpstr (cria_conversation_get_model_id (f->conversation), ==, "qwen3-vl-8b");
  g_assert_cmpuint (f->n_sending, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (_cria_composer_get_attachments (f->composer)), ==, 0);
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
}

static void
test_edit_and_resend (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *body = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_answer (f);
  gtk_text_buffer_set_text (buffer (f), "First try", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  wait_until (not_busy, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->conversation)), ==, 2);

  /* Editing puts the message's text back in the composer. */
  cria_composer_set_editing (f->composer, message_at (f, 0));
  g_assert_true (cria_composer_get_editing (f->composer) == message_at (f, 0));
  {
    g_autofree char *text = cria_composer_dup_text (f->composer);

    g_assert_cmpstr (text, ==, "First try");
  }

  /* Sending replaces it and the answer after it, by the same path. */
  expect_answer (f);
  gtk_text_buffer_set_text (buffer (f), "Second try", -1);
  g_assert_true (press_key (f, GDK_KEY_Return, 0));
  g_assert_cmpuint (f->n_sending, ==, 2);
  g_assert_null (cria_composer_get_editing (f->composer));
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer (f)), ==, 0);
  wait_until (not_busy, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->conversation)), ==, 2);
  g_assert_cmpstr (cria_message_get_content (message_at (f, 0)), ==, "Second try");
  g_assert_cmpuint (n_chat_requests (f), ==, 2);
  body = last_request_body (f);
  g_assert_nonnull (strstr (body, "Second try"));
  g_assert_null (strstr (body, "First try"));

  /* An edited message takes no pictures. */
  cria_composer_set_editing (f->composer, message_at (f, 0));
  cria_conversation_set_model_id (f->conversation, "qwen3-vl-8b");
  attach_picture (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  g_assert_cmpuint (f->n_sending, ==, 2);
  g_assert_cmpuint (f->toasts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->toasts, 0), ==,
                   "Attachments cannot be added to an edited message: send them in a new one.");
  g_assert_true (cria_composer_get_editing (f->composer) == message_at (f, 0));
}

static void
test_context_meter (Fixture       *f,
                    gconstpointer  data)
{
  GtkLevelBar *meter;
  GtkLabel *warning;
  const char *tooltip;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  meter = _cria_composer_get_context_meter (f->composer);
  warning = _cria_composer_get_context_label (f->composer);

  /* Nothing used yet of the model's window. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (meter)));
  g_assert_cmpfloat (gtk_level_bar_get_value (meter), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (warning)));

  /* An answer fills some of it. */
  expect_answer (f);
  gtk_text_buffer_set_text (buffer (f), "Say hello", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->composer), "composer.send", NULL));
  wait_until (not_busy, f);
  g_assert_cmpint (cria_conversation_get_context_tokens (f->conversation), >, 0);
  g_assert_cmpfloat (gtk_level_bar_get_value (meter), >, 0);
  g_assert_cmpfloat (gtk_level_bar_get_value (meter), <, 1);
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (meter));
  g_assert_nonnull (strstr (tooltip, "tokens of context used"));

  /* A model with a small window: the meter is full, and a long message
   * is told it will not fit with the whole conversation. */
  cria_conversation_set_model_id (f->conversation, TINY_MODEL);
  g_assert_cmpfloat (gtk_level_bar_get_value (meter), ==, 1);
  gtk_text_buffer_set_text (buffer (f), "Tell me, at length and in detail, everything there is to know about "
                                        "the history of every river, mountain and city on every continent.", -1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (warning)));
  g_assert_nonnull (strstr (gtk_label_get_text (warning), "does not fit the model’s context window"));
  gtk_text_buffer_set_text (buffer (f), "", -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (warning)));

  /* A model whose window is not known has no meter. */
  cria_conversation_set_model_id (f->conversation, "not-in-any-list");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (meter)));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

#define ADD(path, func) \
  g_test_add ("/composer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("enter-sends", test_enter_sends);
  ADD ("send-and-stop-states", test_send_and_stop_states);
  ADD ("attach-remove-and-send", test_attach_remove_and_send);
  ADD ("vision-offer", test_vision_offer);
  ADD ("edit-and-resend", test_edit_and_resend);
  ADD ("context-meter", test_context_meter);

#undef ADD

  return g_test_run ();
}

/* test-attach.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <sys/mman.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "cria-application.h"
#include "cria-chat-message.h"
#include "cria-attachment-chip.h"
#include "cria-message-row.h"
#include "cria-test-images.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaFakeServer *server;
  CriaWindow     *window;
  char           *key;
  char           *dir;
} Fixture;

/* What the fake LlamaGate lists. */
#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-vl-8b\"}]}"

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
  return gtk_window_is_active (GTK_WINDOW (f->window));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!have_display)
    return;

  f->dir = g_dir_make_tmp ("cria-attach-XXXXXX", &error);
  g_assert_no_error (error);
  f->window = cria_ui_test_open_window (app, MODELS_JSON, &f->server, &f->key);
  /* The user looks at the window, as they would: an answer that finishes
   * while no Cria window has the focus is announced by a notification. */
  wait_until (window_active, f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->server);
  g_free (f->key);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static CriaComposer *
composer (Fixture *f)
{
  return _cria_window_get_composer (f->window);
}

static guint
n_attachments (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (_cria_composer_get_attachments (composer (f))));
}

static CriaAttachment *
attachment_at (Fixture *f,
               guint    position)
{
  CriaAttachment *attachment = g_list_model_get_item (G_LIST_MODEL (_cria_composer_get_attachments (composer (f))), position);

  g_object_unref (attachment);
  return attachment;
}

static gboolean
all_settled (Fixture *f)
{
  for (guint i = 0; i < n_attachments (f); i++)
    if (cria_attachment_get_state (attachment_at (f, i)) == CRIA_ATTACHMENT_STATE_PREPARING)
      return FALSE;

  return TRUE;
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->window));
}

static CriaAttachmentChip *
chip_at (Fixture *f,
         guint    position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (_cria_composer_get_attachment_flow (composer (f)), position);

  g_assert_nonnull (child);
  return CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child));
}

static char *
widget_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  cria_ui_test_collect_text (widget, out);
  return g_string_free (out, FALSE);
}

static GtkButton *
find_button_with_icon (GtkWidget  *widget,
                       const char *icon)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button_with_icon (child, icon);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GFile *
write_photo (Fixture    *f,
             const char *name,
             int         width,
             int         height,
             int         orientation)
{
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (width, height);
  g_autoptr(GBytes) plain = cria_test_encode (photo, "jpeg");
  g_autoptr(GBytes) jpeg = orientation > 0 ? cria_test_add_exif (plain, orientation) : g_bytes_ref (plain);

  return cria_test_write_file (f->dir, name, jpeg);
}

static void
expect_answer (Fixture *f)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
}

static void
type_text (Fixture    *f,
           const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (composer (f))), text, -1);
}

static char *
composer_text (Fixture *f)
{
  return cria_composer_dup_text (composer (f));
}

static guint
n_chat_requests (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, "/v1/chat/completions"))
        n++;
    }

  return n;
}

/* Checks the last request's user message: its text, then images of the
 * given sizes, each a data URL with no EXIF. */
static void
check_request (Fixture    *f,
               const char *model,
               const char *text,
               const int  *sizes,
               guint       n_images)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *messages;
  JsonArray *content;
  guint first = 0;

  g_assert_cmpstr (request->path, ==, "/v1/chat/completions");
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "model"), ==, model);
  messages = json_object_get_array_member (root, "messages");
  content = json_object_get_array_member (json_array_get_object_element (messages, json_array_get_length (messages) - 1),
                                          "content");

  if (text != NULL)
    {
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "text"), ==, text);
      first = 1;
    }
  g_assert_cmpuint (json_array_get_length (content), ==, first + n_images);

  for (guint i = 0; i < n_images; i++)
    {
      JsonObject *part = json_array_get_object_element (content, first + i);
      const char *url = json_object_get_string_member (json_object_get_object_member (part, "image_url"), "url");
      g_autoptr(GBytes) bytes = cria_test_decode_data_url (url, NULL);
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
      g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);

      g_assert_cmpstr (json_object_get_string_member (part, "type"), ==, "image_url");
      g_assert_no_error (error);
      g_assert_false (cria_test_has_exif (bytes));
      g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[2 * i]);
      g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, sizes[2 * i + 1]);
    }
}

static CriaMessageRow *
find_row (Fixture     *f,
          CriaMessage *message)
{
  return cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->window), message);
}

static guint
count_loaded_pictures (GtkWidget *widget)
{
  guint n = GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_loaded_pictures (child);

  return n;
}

/* The first message's row is laid out and shows both its images. */
static gboolean
question_pictures_loaded (Fixture *f)
{
  g_autoptr(CriaMessage) question = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 0);
  CriaMessageRow *row = question != NULL ? find_row (f, question) : NULL;

  return row != NULL && count_loaded_pictures (GTK_WIDGET (row)) >= 2;
}

static gboolean
text_only_toast_shown (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (_cria_window_get_toast_overlay (f->window)));

  return strstr (text, "the earlier ones in this chat are left out") != NULL;
}

static void
test_attach_files_and_send (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GFile) logo = NULL;
  g_autoptr(GdkPixbuf) logo_pixbuf = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GSList) files = NULL;
  g_autofree char *label = NULL;
  g_autofree char *chip_text = NULL;
  g_autoptr(CriaMessage) question = NULL;
  CriaMessageRow *row = NULL;
  const int sizes[] = { 1024, 1536, 300, 200 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "qwen3-vl-8b");
  photo = write_photo (f, "holiday.jpg", 3000, 2000, 6);
  logo_pixbuf = cria_test_halves_pixbuf (300, 200, 0xff000000, 0x00ff00ff, TRUE);
  png = cria_test_encode (logo_pixbuf, "png");
  logo = cria_test_write_file (f->dir, "logo.png", png);

  /* What the file chooser hands over. */
  files = g_slist_append (g_slist_append (NULL, photo), logo);
  cria_composer_attach_files (composer (f), files);
  g_assert_cmpuint (n_attachments (f), ==, 2);
  g_assert_true (gtk_widget_get_visible (_cria_composer_get_attachments_box (composer (f))));
  wait_until (all_settled, f);

  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 1)), ==, CRIA_ATTACHMENT_STATE_READY);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "holiday.jpg"));
  g_assert_nonnull (strstr (chip_text, "1024 × 1536"));
  label = g_strdup (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))));
  g_test_message ("summary: %s", label);
  g_assert_nonnull (strstr (label, "2 images"));
  g_assert_nonnull (strstr (label, "20.0"));

  /* Images alone may be sent, but here with a question. */
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (composer (f)))));
  type_text (f, "What is in these?");
  expect_answer (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));

  /* Sent: the composer is empty again. */
  g_assert_cmpuint (n_attachments (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (_cria_composer_get_attachments_box (composer (f))));
  wait_until (not_busy, f);
  check_request (f, "qwen3-vl-8b", "What is in these?", sizes, 2);

  /* The sent message shows its two images. */
  question = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 0);
  g_assert_cmpuint (g_strv_length ((char **) cria_message_get_image_urls (question)), ==, 2);
  wait_until (question_pictures_loaded, f);
  row = find_row (f, question);
  g_assert_nonnull (row);
  g_assert_cmpuint (count_loaded_pictures (GTK_WIDGET (row)), ==, 2);

  /* A text model picked next is told it gets the earlier turns as text. */
  g_object_set (_cria_window_get_model_picker (f->window), "selected-model-id", "llama-3.1-8b", NULL);
  g_assert_cmpstr (cria_conversation_get_model_id (cria_window_get_conversation (f->window)), ==, "llama-3.1-8b");
  {
    g_autofree char *overlay_text = NULL;

    wait_until (text_only_toast_shown, f);
    overlay_text = widget_text (GTK_WIDGET (_cria_window_get_toast_overlay (f->window)));
    g_assert_nonnull (strstr (overlay_text, "the earlier ones in this chat are left out"));
  }
}

static GtkDropTarget *
drop_target (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (_cria_window_get_stack (f->window)));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        return GTK_DROP_TARGET (controller);
    }

  return NULL;
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GSList) list = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_auto(GValue) files_value = G_VALUE_INIT;
  g_auto(GValue) texture_value = G_VALUE_INIT;
  GtkDropTarget *target;
  gboolean handled = FALSE;
  const GType *types;
  gsize n_types;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  target = drop_target (f);
  g_assert_nonnull (target);
  types = gtk_drop_target_get_gtypes (target, &n_types);
  g_assert_cmpuint (n_types, ==, 2);
  g_assert_true (types[0] == GDK_TYPE_FILE_LIST && types[1] == GDK_TYPE_TEXTURE);

  photo = write_photo (f, "dropped.jpg", 800, 600, 0);
  list = g_slist_append (NULL, photo);
  g_value_init (&files_value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&files_value, gdk_file_list_new_from_list (list));
  g_signal_emit_by_name (target, "drop", &files_value, 100.0, 100.0, &handled);
  g_assert_true (handled);

  /* A picture dragged from another app arrives as a texture. */
  pixbuf = cria_test_halves_pixbuf (640, 480, 0xff0000ff, 0x0000ffff, FALSE);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  g_value_init (&texture_value, GDK_TYPE_TEXTURE);
  g_value_set_object (&texture_value, texture);
  handled = FALSE;
  g_signal_emit_by_name (target, "drop", &texture_value, 100.0, 100.0, &handled);
  g_assert_true (handled);

  g_assert_cmpuint (n_attachments (f), ==, 2);
  wait_until (all_settled, f);
  g_assert_cmpstr (cria_attachment_get_name (attachment_at (f, 0)), ==, "dropped.jpg");
  g_assert_cmpint (cria_attachment_get_image (attachment_at (f, 0))->width, ==, 800);
  g_assert_cmpint (cria_attachment_get_image (attachment_at (f, 1))->width, ==, 640);
  g_assert_cmpint (cria_attachment_get_image (attachment_at (f, 1))->height, ==, 480);
}

static gboolean
n_attachments_is_1 (Fixture *f)
{
  return n_attachments (f) == 1;
}

static gboolean
n_attachments_is_2 (Fixture *f)
{
  return n_attachments (f) == 2;
}

static gboolean
composer_has_text (Fixture *f)
{
  g_autofree char *text = composer_text (f);

  return *text != '\0';
}

static void
test_paste (Fixture       *f,
            gconstpointer  data)
{
  GdkClipboard *clipboard;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GSList) list = NULL;
  g_autofree char *text = NULL;
  g_auto(GValue) files_value = G_VALUE_INIT;
  CriaPreparedImage *image;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  gtk_widget_grab_focus (GTK_WIDGET (_cria_composer_get_text_view (composer (f))));

  /* A screenshot copied to the clipboard: image data. */
  pixbuf = cria_test_halves_pixbuf (2000, 1000, 0xffffffff, 0x3050a0ff, FALSE);
  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gdk_clipboard_set_texture (clipboard, texture);
  g_signal_emit_by_name (_cria_composer_get_text_view (composer (f)), "paste-clipboard");
  wait_until (n_attachments_is_1, f);
  wait_until (all_settled, f);
  image = cria_attachment_get_image (attachment_at (f, 0));
  g_assert_nonnull (image);
  /* Two flat colours: PNG, scaled to the default 1536. */
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 1536);
  g_assert_cmpint (image->height, ==, 768);
  /* No picture went into the text. */
  text = composer_text (f);
  g_assert_cmpstr (text, ==, "");

  /* Files copied in a file manager. */
  photo = write_photo (f, "copied.jpg", 400, 300, 0);
  list = g_slist_append (NULL, photo);
  g_value_init (&files_value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&files_value, gdk_file_list_new_from_list (list));
  gdk_clipboard_set_value (clipboard, &files_value);
  g_signal_emit_by_name (_cria_composer_get_text_view (composer (f)), "paste-clipboard");
  wait_until (n_attachments_is_2, f);
  g_assert_cmpstr (cria_attachment_get_name (attachment_at (f, 1)), ==, "copied.jpg");
  wait_until (all_settled, f);

  /* Text still pastes as text. */
  gdk_clipboard_set_text (clipboard, "pasted words");
  g_signal_emit_by_name (_cria_composer_get_text_view (composer (f)), "paste-clipboard");
  wait_until (composer_has_text, f);
  g_clear_pointer (&text, g_free);
  text = composer_text (f);
  g_assert_cmpstr (text, ==, "pasted words");
  g_assert_cmpuint (n_attachments (f), ==, 2);
}

static gboolean
n_attachments_is_3 (Fixture *f)
{
  return n_attachments (f) == 3;
}

static gboolean
toast_says_too_large (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (_cria_window_get_toast_overlay (f->window)));

  /* The overlay holds the chips too: the toast is the one naming the
   * dropped picture's size. */
  return strstr (text, "too large to open (8000 × 7000 pixels)") != NULL;
}

static void
paste_bytes (Fixture    *f,
             const char *mime_type,
             GBytes     *bytes)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  g_autoptr(GdkContentProvider) provider = gdk_content_provider_new_for_bytes (mime_type, bytes);

  g_assert_true (gdk_clipboard_set_content (clipboard, provider));
  g_signal_emit_by_name (_cria_composer_get_text_view (composer (f)), "paste-clipboard");
}

/* Pasted pictures meet the limits files do: the megapixel cap, the formats
 * Cria opens told by their bytes, and a pixel copy that may fail. */
static void
test_paste_limits (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GBytes) huge_png = NULL;
  g_autoptr(GBytes) svg = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) huge_texture = NULL;
  g_autofree char *chip_text = NULL;
  g_auto(GValue) texture_value = G_VALUE_INIT;
  static const char svg_text[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16000\" height=\"16000\">"
    "<rect width=\"9\" height=\"9\" fill=\"red\"/></svg>";
  int width = 8000, height = 7000;
  gsize size = (gsize) width * height * 4;
  void *mapped;
  GtkDropTarget *target;
  gboolean handled = FALSE;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  gtk_widget_grab_focus (GTK_WIDGET (_cria_composer_get_text_view (composer (f))));

  /* 100 megapixels of PNG, a few hundred kilobytes compressed: refused
   * before its pixels are allocated, as the same file would be. */
  huge_png = cria_test_black_png (10000, 10000);
  paste_bytes (f, "image/png", huge_png);
  wait_until (n_attachments_is_1, f);
  wait_until (all_settled, f);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_FAILED);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "too large"));
  g_assert_nonnull (strstr (chip_text, "10000 × 10000"));

  /* An SVG offered as a PNG is what its bytes say. */
  svg = g_bytes_new_static (svg_text, strlen (svg_text));
  paste_bytes (f, "image/png", svg);
  wait_until (n_attachments_is_2, f);
  wait_until (all_settled, f);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 1)), ==, CRIA_ATTACHMENT_STATE_FAILED);
  g_clear_pointer (&chip_text, g_free);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 1)));
  g_assert_nonnull (strstr (chip_text, "does not open SVG"));

  /* A real picture still pastes. */
  pixbuf = cria_test_halves_pixbuf (300, 200, 0xff0000ff, 0x0000ffff, FALSE);
  png = cria_test_encode (pixbuf, "png");
  paste_bytes (f, "image/png", png);
  wait_until (n_attachments_is_3, f);
  wait_until (all_settled, f);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 2)), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_image (attachment_at (f, 2))->width, ==, 300);

  /* A 56-megapixel picture dragged in: refused before its pixels are
   * copied (untouched anonymous pages cost no memory). */
  mapped = mmap (NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (mapped != MAP_FAILED);
  pixels = g_bytes_new_static (mapped, size);
  huge_texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8A8, pixels, (gsize) width * 4);
  target = drop_target (f);
  g_value_init (&texture_value, GDK_TYPE_TEXTURE);
  g_value_set_object (&texture_value, huge_texture);
  g_signal_emit_by_name (target, "drop", &texture_value, 100.0, 100.0, &handled);
  wait_until (toast_says_too_large, f);
  g_assert_cmpuint (n_attachments (f), ==, 3);

  g_value_unset (&texture_value);
  g_clear_object (&huge_texture);
  g_clear_pointer (&pixels, g_bytes_unref);
  munmap (mapped, size);
}

static void
collect_pictures (GtkWidget *widget,
                  GPtrArray *pictures)
{
  if (GTK_IS_PICTURE (widget))
    g_ptr_array_add (pictures, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_pictures (child, pictures);
}

static char *
data_url (const char *mime_type,
          GBytes     *bytes)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  return g_strconcat ("data:", mime_type, ";base64,", base64, NULL);
}

typedef struct
{
  GPtrArray *pictures;
} ShownImages;

static gboolean
images_settled (gpointer user_data)
{
  ShownImages *shown = user_data;
  GtkWidget *svg = g_ptr_array_index (shown->pictures, 0);

  return gtk_widget_get_tooltip_text (svg) != NULL &&
         gtk_picture_get_paintable (g_ptr_array_index (shown->pictures, 1)) != NULL &&
         gtk_picture_get_paintable (g_ptr_array_index (shown->pictures, 2)) != NULL;
}

/* A stored message's images are as untrusted as files: an SVG declaring
 * 16000 × 16000 pixels was rendered whole for a 200-pixel thumbnail (52 s,
 * 2 GB), and a GIF of 200,000 frames decoded whole. Now the SVG is refused
 * and the GIF shows its first frame at once. */
static void
test_history_image_formats (Fixture       *f,
                            gconstpointer  data)
{
  static const char svg_text[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"16000\" height=\"16000\">"
    "<rect width=\"9\" height=\"9\" fill=\"red\"/></svg>";
  g_autoptr(GBytes) svg = g_bytes_new_static (svg_text, strlen (svg_text));
  g_autoptr(GdkPixbuf) pixbuf = cria_test_halves_pixbuf (400, 300, 0xff0000ff, 0x0000ffff, FALSE);
  g_autoptr(GBytes) png = cria_test_encode (pixbuf, "png");
  g_autoptr(GBytes) gif = cria_test_many_frame_gif (200000);
  g_autofree char *svg_url = data_url ("image/svg+xml", svg);
  g_autofree char *png_url = data_url ("image/png", png);
  g_autofree char *gif_url = data_url ("image/gif", gif);
  const char *urls[] = { svg_url, png_url, gif_url, NULL };
  g_autoptr(CriaMessage) message = cria_message_new (CRIA_ROLE_USER, "Look");
  g_autoptr(GtkWidget) row = NULL;
  g_autoptr(GPtrArray) pictures = g_ptr_array_new ();
  ShownImages shown = { pictures };
  GdkPaintable *thumbnail;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_message_set_image_urls (message, urls);
  row = g_object_ref_sink (cria_message_row_new ());
  cria_message_row_set_message (CRIA_MESSAGE_ROW (row), message);
  collect_pictures (row, pictures);
  g_assert_cmpuint (pictures->len, ==, 3);

  g_assert_true (cria_ui_test_wait (images_settled, &shown, 20));
  g_assert_null (gtk_picture_get_paintable (g_ptr_array_index (pictures, 0)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (g_ptr_array_index (pictures, 0)), ==, "This image cannot be shown");
  thumbnail = gtk_picture_get_paintable (g_ptr_array_index (pictures, 1));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (thumbnail), ==, 200);
  thumbnail = gtk_picture_get_paintable (g_ptr_array_index (pictures, 2));
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (thumbnail), ==, 1);
}

static void
test_remove_chip (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) big = NULL;
  g_autoptr(GFile) small = NULL;
  g_autoptr(GSList) files = NULL;
  g_autoptr(CriaAttachment) removed = NULL;
  GtkButton *remove_button;
  GtkWidget *progress;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  big = write_photo (f, "big.jpg", 6000, 4000, 0);
  small = write_photo (f, "small.jpg", 100, 80, 0);
  files = g_slist_append (g_slist_append (NULL, big), small);
  cria_composer_attach_files (composer (f), files);
  g_assert_cmpuint (n_attachments (f), ==, 2);

  /* Removed while it is still being prepared: its preparation stops. */
  removed = g_object_ref (attachment_at (f, 0));
  g_assert_cmpint (cria_attachment_get_state (removed), ==, CRIA_ATTACHMENT_STATE_PREPARING);
  /* A large file shows its progress on the chip. */
  progress = cria_ui_test_find_descendant (GTK_WIDGET (chip_at (f, 0)), GTK_TYPE_PROGRESS_BAR);
  g_assert_nonnull (progress);
  g_assert_true (gtk_widget_get_visible (progress));
  remove_button = find_button_with_icon (GTK_WIDGET (chip_at (f, 0)), "window-close-symbolic");
  g_assert_nonnull (remove_button);
  g_signal_emit_by_name (remove_button, "clicked");

  g_assert_cmpuint (n_attachments (f), ==, 1);
  g_assert_cmpstr (cria_attachment_get_name (attachment_at (f, 0)), ==, "small.jpg");
  while (cria_attachment_get_state (removed) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error ((GError *) cria_attachment_get_error (removed), G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The last one removed: nothing to send, the chips are hidden. */
  wait_until (all_settled, f);
  remove_button = find_button_with_icon (GTK_WIDGET (chip_at (f, 0)), "window-close-symbolic");
  g_signal_emit_by_name (remove_button, "clicked");
  g_assert_cmpuint (n_attachments (f), ==, 0);
  g_assert_false (gtk_widget_get_visible (_cria_composer_get_attachments_box (composer (f))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (_cria_composer_get_send_button (composer (f)))));
}

static void
test_bad_file_and_preview (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GBytes) text_bytes = g_bytes_new_static ("not a picture\n", 14);
  g_autoptr(GFile) text_file = NULL;
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GSList) files = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *preview_text = NULL;
  GtkWidget *popover;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "qwen3-vl-8b");
  text_file = cria_test_write_file (f->dir, "notes.png", text_bytes);
  photo = write_photo (f, "camera.jpg", 640, 480, 1);
  files = g_slist_append (g_slist_append (NULL, text_file), photo);
  cria_composer_attach_files (composer (f), files);
  wait_until (all_settled, f);

  /* The chip says what is wrong. */
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_FAILED);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "not an image"));
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))), "could not be opened"));

  /* Sending is refused until it is removed; nothing is lost. */
  type_text (f, "Look");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  g_assert_cmpuint (n_attachments (f), ==, 2);
  g_assert_cmpuint (n_chat_requests (f), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);

  /* The preview says the metadata is gone. */
  cria_attachment_chip_show_preview (chip_at (f, 1));
  popover = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (chip_at (f, 1))); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_POPOVER (child))
      popover = child;
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  preview_text = widget_text (popover);
  g_assert_nonnull (strstr (preview_text, "location (GPS)"));
  g_assert_nonnull (strstr (preview_text, "640 × 480"));
  gtk_popover_popdown (GTK_POPOVER (popover));
}

static gboolean
has_vision_dialog (Fixture *f)
{
  return _cria_composer_get_vision_dialog (composer (f)) != NULL;
}

static void
test_non_vision_warning (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GSList) files = NULL;
  g_autofree char *text = NULL;
  const int sizes[] = { 800, 600 };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "llama-3.1-8b");
  photo = write_photo (f, "chart.jpg", 800, 600, 0);
  files = g_slist_append (NULL, photo);
  cria_composer_attach_files (composer (f), files);
  wait_until (all_settled, f);

  /* Said before sending. */
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))), "cannot see images"));

  type_text (f, "Read this chart");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (has_vision_dialog, f);
  g_assert_true (ADW_IS_MESSAGE_DIALOG (_cria_composer_get_vision_dialog (composer (f))));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (_cria_composer_get_vision_dialog (composer (f))), "switch"));
  /* Nothing sent, nothing dropped. */
  g_assert_cmpuint (n_chat_requests (f), ==, 0);
  g_assert_cmpuint (n_attachments (f), ==, 1);

  /* Cancel keeps everything as it was. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (_cria_composer_get_vision_dialog (composer (f))), "cancel");
  g_assert_null (_cria_composer_get_vision_dialog (composer (f)));
  g_assert_cmpstr (cria_conversation_get_model_id (cria_window_get_conversation (f->window)), ==, "llama-3.1-8b");
  text = composer_text (f);
  g_assert_cmpstr (text, ==, "Read this chart");
  g_assert_cmpuint (n_attachments (f), ==, 1);

  /* Switch sends to the vision model. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  wait_until (has_vision_dialog, f);
  expect_answer (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (_cria_composer_get_vision_dialog (composer (f))), "switch");
  g_assert_cmpstr (cria_conversation_get_model_id (cria_window_get_conversation (f->window)), ==, "qwen3-vl-8b");
  g_assert_cmpuint (n_attachments (f), ==, 0);
  /* A window manager gives the focus back to the window when its dialog
   * closes; with none here, the test does. */
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (window_active, f);
  wait_until (not_busy, f);
  check_request (f, "qwen3-vl-8b", "Read this chart", sizes, 1);
}

static void
test_chooser (Fixture       *f,
              gconstpointer  data)
{
  GtkFileChooser *chooser;
  GtkFileFilter *filter;
  g_autoptr(GListModel) filters = NULL;
  g_autoptr(GListModel) controllers = NULL;
  g_autoptr(GtkShortcutTrigger) ctrl_o = gtk_shortcut_trigger_parse_string ("<Control>o");
  gboolean found = FALSE;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The paperclip button runs the composer's attach; Ctrl+O, anywhere in
   * the window, runs win.attach, which hands it to the composer. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (_cria_composer_get_attach_button (composer (f)))), ==, "composer.attach");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (_cria_composer_get_attach_button (composer (f)))));
  controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !found; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          found = gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), ctrl_o) &&
                  GTK_IS_NAMED_ACTION (action) &&
                  g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "win.attach");
        }
    }
  g_assert_true (found);

  /* Several files at once, filtered to the formats Cria reads: images and
   * documents together first, then each on its own. Its answer ends in
   * cria_composer_attach_files(), tested above. */
  chooser = GTK_FILE_CHOOSER (_cria_composer_get_attach_chooser (composer (f)));
  g_assert_true (gtk_file_chooser_get_select_multiple (chooser));
  filters = gtk_file_chooser_get_filters (chooser);
  g_assert_cmpuint (g_list_model_get_n_items (filters), ==, 3);
  filter = g_list_model_get_item (filters, 0);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Images and Documents");
  g_object_unref (filter);
  filter = g_list_model_get_item (filters, 1);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Images");
  g_object_unref (filter);
  filter = g_list_model_get_item (filters, 2);
  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Documents");
  g_object_unref (filter);
}

static void
test_request_limit (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cria.Cria");
  g_autoptr(GFile) photo = NULL;
  g_autoptr(GSList) files = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "qwen3-vl-8b");
  g_settings_set_int (settings, "image-max-side", 2048);
  g_settings_set_int (settings, "max-request-size", 1);
  photo = write_photo (f, "large.jpg", 3000, 3000, 0);
  files = g_slist_append (NULL, photo);
  cria_composer_attach_files (composer (f), files);
  wait_until (all_settled, f);
  /* The setting chose the size. */
  g_assert_cmpint (cria_attachment_get_image (attachment_at (f, 0))->width, ==, 2048);
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))), "more than the limit"));

  type_text (f, "Too much");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  g_assert_cmpuint (n_chat_requests (f), ==, 0);
  g_assert_cmpuint (n_attachments (f), ==, 1);

  g_settings_reset (settings, "image-max-side");
  g_settings_reset (settings, "max-request-size");
}

/* File names are bytes: one that is not UTF-8 (Latin-1 from an old disk)
 * still gets a chip whose label, tooltip and name are valid UTF-8. */
static void
test_non_utf8_file_name (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSList) files = NULL;
  g_autofree char *chip_text = NULL;
  const char *tooltip;
  const char *name;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  pixbuf = cria_test_halves_pixbuf (40, 30, 0xff000000, 0x00ff00ff, TRUE);
  png = cria_test_encode (pixbuf, "png");
  file = cria_test_write_file (f->dir, "caf\xe9 \xff.png", png);

  files = g_slist_append (NULL, file);
  cria_composer_attach_files (composer (f), files);
  g_assert_cmpuint (n_attachments (f), ==, 1);
  wait_until (all_settled, f);

  name = cria_attachment_get_name (attachment_at (f, 0));
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_assert_true (g_str_has_prefix (name, "caf"));
  g_assert_true (g_str_has_suffix (name, ".png"));
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_true (g_utf8_validate (chip_text, -1, NULL));
  g_assert_nonnull (strstr (chip_text, name));
  tooltip = gtk_widget_get_tooltip_text (cria_ui_test_find_descendant (GTK_WIDGET (chip_at (f, 0)), GTK_TYPE_LABEL));
  g_assert_true (tooltip == NULL || g_utf8_validate (tooltip, -1, NULL));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/attach/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("files-and-send", test_attach_files_and_send);
  ADD ("drop", test_drop);
  ADD ("paste", test_paste);
  ADD ("paste-limits", test_paste_limits);
  ADD ("history-image-formats", test_history_image_formats);
  ADD ("remove-chip", test_remove_chip);
  ADD ("bad-file-and-preview", test_bad_file_and_preview);
  ADD ("non-vision-warning", test_non_vision_warning);
  ADD ("request-limit", test_request_limit);
  ADD ("chooser", test_chooser);
  ADD ("non-utf8-file-name", test_non_utf8_file_name);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

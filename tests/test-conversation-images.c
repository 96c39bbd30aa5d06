/* test-conversation-images.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-catalogue.h"
#include "cria-conversation.h"
#include "cria-image-preparer.h"
#include "cria-test-images.h"
#include "cria-test-util.h"

typedef CriaTestFixture Fixture;

static CriaConversation *
conversation_new (Fixture    *f,
                  const char *model)
{
  g_autoptr(GListModel) models = NULL;
  g_autoptr(GError) error = NULL;
  CriaConversation *conversation;

  models = cria_catalogue_load (&error);
  g_assert_no_error (error);
  conversation = cria_conversation_new (f->client, models);
  cria_conversation_set_model_id (conversation, model);

  return conversation;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
send (CriaConversation    *conversation,
      const char          *text,
      const char * const  *urls,
      GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_conversation_send_with_images_async (conversation, text, urls, NULL, done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_conversation_send_finish (conversation, result, error);
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(CriaPreparedImage **) user_data = cria_image_prepare_finish (result, &error);
  g_assert_no_error (error);
}

static CriaPreparedImage *
prepare (GBytes *bytes)
{
  CriaPreparedImage *image = NULL;

  cria_image_prepare_bytes_async (bytes, "test", CRIA_IMAGE_DEFAULT_MAX_SIDE, NULL, NULL, NULL,
                                  prepared_cb, &image);
  while (image == NULL)
    g_main_context_iteration (NULL, TRUE);

  return image;
}

static void
expect_answer (Fixture *f)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
}

/* The last message of the last request, parsed. */
static JsonObject *
last_user_message (Fixture    *f,
                   JsonParser *parser)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
  g_autoptr(GError) error = NULL;
  JsonArray *messages;

  g_assert_nonnull (request);
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                              g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");

  return json_array_get_object_element (messages, json_array_get_length (messages) - 1);
}

static void
check_image_part (JsonObject *part,
                  int         width,
                  int         height)
{
  JsonObject *image_url;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (json_object_get_string_member (part, "type"), ==, "image_url");
  image_url = json_object_get_object_member (part, "image_url");
  g_assert_nonnull (image_url);
  bytes = cria_test_decode_data_url (json_object_get_string_member (image_url, "url"), NULL);
  g_assert_false (cria_test_has_exif (bytes));
  stream = g_memory_input_stream_new_from_bytes (bytes);
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, height);
}

static void
test_images_sent (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f, "qwen3-vl-8b");
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (3000, 2000);
  g_autoptr(GBytes) plain = cria_test_encode (photo, "jpeg");
  g_autoptr(GBytes) jpeg = cria_test_add_exif (plain, 6);
  g_autoptr(GdkPixbuf) logo = cria_test_halves_pixbuf (300, 200, 0xff000000, 0x00ff00ff, TRUE);
  g_autoptr(GBytes) png = cria_test_encode (logo, "png");
  g_autoptr(CriaPreparedImage) first = prepare (jpeg);
  g_autoptr(CriaPreparedImage) second = prepare (png);
  const char *urls[] = { first->data_url, second->data_url, NULL };
  const char *text = "What is in these pictures? «Ünïcode» \"quotes\"\nand a second line";
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessage) question = NULL;
  JsonObject *message;
  JsonArray *content;
  gint64 estimate;

  estimate = cria_conversation_estimate_request_size (conversation, text, urls);
  g_assert_cmpint (estimate, >, strlen (first->data_url) + strlen (second->data_url));

  expect_answer (f);
  g_assert_true (send (conversation, text, urls, &error));
  g_assert_no_error (error);

  message = last_user_message (f, parser);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  content = json_object_get_array_member (message, "content");
  g_assert_nonnull (content);
  /* The text first, whole, then one part per image, in order. */
  g_assert_cmpuint (json_array_get_length (content), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "type"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (content, 0), "text"), ==, text);
  /* Turned upright by its EXIF orientation, then scaled. */
  check_image_part (json_array_get_object_element (content, 1), 1024, 1536);
  check_image_part (json_array_get_object_element (content, 2), 300, 200);
  /* The request is about the size estimated. */
  g_assert_cmpint (ABS ((gint64) g_bytes_get_size (cria_fake_server_get_last_request (f->server)->body) - estimate),
                   <, 2048);

  /* The message keeps its images for the view and for later turns. */
  question = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  g_assert_cmpuint (g_strv_length ((char **) cria_message_get_image_urls (question)), ==, 2);

  /* The next turn sends them again to a vision model... */
  expect_answer (f);
  g_assert_true (send (conversation, "And the second?", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&parser);
  parser = json_parser_new ();
  {
    JsonNode *root;
    JsonArray *messages;

    last_user_message (f, parser);
    root = json_parser_get_root (parser);
    messages = json_object_get_array_member (json_node_get_object (root), "messages");
    content = json_object_get_array_member (json_array_get_object_element (messages, 0), "content");
    g_assert_cmpuint (json_array_get_length (content), ==, 3);
  }

  /* ...but a text model, which would reject image parts, gets the text of
   * earlier turns only. */
  cria_conversation_set_model_id (conversation, "llama-3.1-8b");
  expect_answer (f);
  g_assert_true (send (conversation, "Summarise", NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&parser);
  parser = json_parser_new ();
  {
    JsonArray *messages;

    last_user_message (f, parser);
    messages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0), "content"), ==, text);
  }

  g_assert_finalize_object (g_steal_pointer (&conversation));
}

static void
test_images_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f, "qwen3-vl-8b");
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (64, 48);
  g_autoptr(GBytes) jpeg = cria_test_encode (photo, "jpeg");
  g_autoptr(CriaPreparedImage) image = prepare (jpeg);
  const char *urls[] = { image->data_url, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessage) question = NULL;
  CriaFakeResponse *response;
  JsonArray *content;

  expect_answer (f);
  g_assert_true (send (conversation, "", urls, &error));
  g_assert_no_error (error);

  content = json_object_get_array_member (last_user_message (f, parser), "content");
  g_assert_cmpuint (json_array_get_length (content), ==, 1);
  check_image_part (json_array_get_object_element (content, 0), 64, 48);

  /* A failed answer loses nothing: the question keeps its image. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 500);
  cria_fake_response_set_body_from_fixture (response, "application/json", "errors/openai-500.json");
  g_assert_false (send (conversation, "Again?", urls, &error));
  g_assert_nonnull (error);
  question = g_list_model_get_item (G_LIST_MODEL (conversation), 2);
  g_assert_cmpstr (cria_message_get_content (question), ==, "Again?");
  g_assert_cmpstrv (cria_message_get_image_urls (question), urls);

  g_assert_finalize_object (g_steal_pointer (&conversation));
}

static void
test_refused_without_vision (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f, "llama-3.1-8b");
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (64, 48);
  g_autoptr(GBytes) jpeg = cria_test_encode (photo, "jpeg");
  g_autoptr(CriaPreparedImage) image = prepare (jpeg);
  const char *urls[] = { image->data_url, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_false (cria_conversation_can_see_images (conversation));
  g_assert_false (send (conversation, "Describe this", urls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "llama-3.1-8b"));
  /* Nothing appended, nothing sent. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 0);
  g_assert_null (cria_fake_server_get_last_request (f->server));
  g_clear_error (&error);

  /* Text alone still goes. */
  expect_answer (f);
  g_assert_true (send (conversation, "Describe nothing", NULL, &error));
  g_assert_no_error (error);

  cria_conversation_set_model_id (conversation, "qwen3-vl-8b");
  g_assert_true (cria_conversation_can_see_images (conversation));
  /* A model the catalogue does not know may see images: not refused. */
  cria_conversation_set_model_id (conversation, "some-new-model");
  g_assert_true (cria_conversation_can_see_images (conversation));

  g_assert_finalize_object (g_steal_pointer (&conversation));
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CriaConversation) conversation = conversation_new (f, "qwen3-vl-8b");
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (1000, 1000);
  g_autoptr(GBytes) jpeg = cria_test_encode (photo, "jpeg");
  g_autoptr(CriaPreparedImage) image = prepare (jpeg);
  const char *urls[] = { image->data_url, NULL };
  g_autoptr(GError) error = NULL;

  cria_conversation_set_max_request_size (conversation, strlen (image->data_url) / 2);
  g_assert_false (send (conversation, "Too big", urls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "Preferences"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 0);
  g_assert_null (cria_fake_server_get_last_request (f->server));
  g_clear_error (&error);

  /* Earlier images count: they are sent again with the next message. */
  cria_conversation_set_max_request_size (conversation, strlen (image->data_url) * 3 / 2);
  expect_answer (f);
  g_assert_true (send (conversation, "Fits", urls, &error));
  g_assert_no_error (error);
  g_assert_false (send (conversation, "Second", urls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);

  g_assert_finalize_object (g_steal_pointer (&conversation));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/conversation-images/" path, Fixture, NULL, cria_test_fixture_set_up, func, cria_test_fixture_tear_down)

  ADD ("images-sent", test_images_sent);
  ADD ("images-only", test_images_only);
  ADD ("refused-without-vision", test_refused_without_vision);
  ADD ("too-large", test_too_large);

#undef ADD

  return g_test_run ();
}

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
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "cria-application.h"
#include "cria-attachment-chip.h"
#include "cria-test-embed.h"
#include "cria-message-row.h"
#include "cria-retrieval-private.h"
#include "cria-source-list.h"
#include "cria-source.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaUiTestWindow w;
  char            *dir;
  /* The embeddings served: requests, inputs, tokens. */
  guint            n_requests;
  guint            n_inputs;
  /* The embeddings request to hold until released (1-based; 0: none). */
  guint            hold_request;
  /* The last plan of the document in the test. */
  gboolean         planning;
  guint            n_chunks;
  guint            n_missing;
} Fixture;

/* A chat model the catalogue does not know: its context is taken as 8,192
 * tokens, so a document of a few pages is already too long to send whole
 * (and the tests stay quick). */
#define CHAT_MODEL "tiny-chat"

/* Small batches of embeddings: a short document takes several. */
#define BATCH 4
#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"tiny-chat\"}," \
                    "{\"id\":\"nomic-embed-text\"}]}"

/* The question, and the one paragraph of the long document that answers it. */
#define QUESTION "How far from the garden fence must the heat pump stand?"
#define ANSWER "The heat pump must stand at least 30 centimetres from the garden fence, so that air can flow."

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

/* The fake LlamaGate's embeddings (cria_test_embed_text()), holding the
 * request the test asks for: indexing then stays under way as long as the
 * test needs. */
static void
embeddings_cb (CriaFakeServer        *server,
               const CriaFakeRequest *request,
               CriaFakeResponse      *response,
               gpointer               user_data)
{
  Fixture *f = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree float *vector = NULL;
  JsonObject *object;
  JsonNode *input;
  g_autoptr(JsonArray) inputs = NULL;
  const char *model;
  guint dimensions;
  gint64 tokens = 0;

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                                             g_bytes_get_size (request->body), NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  model = json_object_get_string_member (object, "model");
  input = json_object_get_member (object, "input");
  if (JSON_NODE_HOLDS_ARRAY (input))
    inputs = json_array_ref (json_node_get_array (input));
  else
    {
      inputs = json_array_new ();
      json_array_add_string_element (inputs, json_node_get_string (input));
    }
  dimensions = cria_test_embed_dimensions (model);
  vector = g_new (float, dimensions);
  f->n_requests++;
  f->n_inputs += json_array_get_length (inputs);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "list");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      const char *text = json_array_get_string_element (inputs, i);

      cria_test_embed_text (model, text, dimensions, vector);
      tokens += MAX (1, (gint64) g_utf8_strlen (text, -1) / 4);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "object");
      json_builder_add_string_value (builder, "embedding");
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "embedding");
      json_builder_begin_array (builder);
      for (guint j = 0; j < dimensions; j++)
        json_builder_add_double_value (builder, vector[j]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, tokens);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  cria_fake_response_set_body (response, "application/json", json, -1);
  if (f->n_requests == f->hold_request)
    cria_fake_response_set_hold (response, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->dir = g_dir_make_tmp ("cria-long-documents-XXXXXX", NULL);
  cria_ui_test_window_set_up (&f->w, app, MODELS_JSON);
  cria_fake_server_set_handler (f->w.server, "/v1/embeddings", embeddings_cb, f, NULL);
  wait_until (window_active, f);
  cria_conversation_set_model_id (cria_window_get_conversation (f->w.window), CHAT_MODEL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!have_display)
    return;

  cria_ui_test_window_tear_down (&f->w);
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
  return _cria_window_get_composer (f->w.window);
}

static CriaConversation *
conversation (Fixture *f)
{
  return cria_window_get_conversation (f->w.window);
}

static guint
n_attachments (Fixture *f)
{
  return g_list_model_get_n_items (_cria_composer_get_attachments (composer (f)));
}

static CriaAttachmentChip *
chip_at (Fixture *f,
         guint    position)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (_cria_composer_get_attachment_flow (composer (f)), position);

  g_assert_nonnull (child);
  return CRIA_ATTACHMENT_CHIP (gtk_flow_box_child_get_child (child));
}

static gboolean
chip_ready (Fixture *f)
{
  g_autoptr(CriaAttachment) attachment = g_list_model_get_item (_cria_composer_get_attachments (composer (f)), 0);

  return attachment != NULL && cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_READY;
}

static char *widget_text (GtkWidget *widget);

static gboolean
chip_priced (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (chip_at (f, 0)));

  return strstr (text, "Indexing once: about") != NULL;
}

static gboolean
chip_indexing (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (chip_at (f, 0)));

  return strstr (text, "Indexing for searching with Nomic Embed Text") != NULL;
}

/* A text of about @size bytes, different for each @seed, whose paragraphs
 * share no word with QUESTION but for the one in the middle that answers
 * it. */
static char *
make_long_text (guint seed,
                gsize size)
{
  static const char *words[] = { "river", "stone", "cloud", "lantern", "copper", "meadow", "violin", "harbour",
                                 "glacier", "pepper", "orchard", "compass", "saddle", "thunder", "marble",
                                 "falcon", "velvet", "canyon", "ribbon", "juniper", "quarry", "monsoon",
                                 "pewter", "tundra", "cobalt", "walnut", "prairie", "beacon", "cinder" };
  GString *text = g_string_new (NULL);
  gboolean answered = FALSE;

  /* The history outlives a run: an edition of its own is indexed anew. */
  g_string_append_printf (text, "Edition %u-%u.\n\n", seed, (guint) g_test_rand_int ());
  for (guint n = 0; text->len < size; n++)
    {
      if (!answered && text->len > size / 2)
        {
          g_string_append (text, ANSWER "\n\n");
          answered = TRUE;
        }
      g_string_append_printf (text, "Note %u: the %s %s beside a %s %s, then the %s %s.\n\n", n,
                              words[n % 29], words[(n * 7 + 3) % 29], words[(n * 11 + 5) % 29],
                              words[(n * 13 + 1) % 29], words[(n * 17 + 2) % 29], words[(n * 19 + 4) % 29]);
    }

  return g_string_free (text, FALSE);
}

/* Attaches a long document, different for each @seed, and waits for its
 * chip to say what indexing it costs. */
static char *
attach_long (Fixture *f,
             guint    seed)
{
  g_autofree char *path = g_build_filename (f->dir, "manual.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSList) files = NULL;
  g_autoptr(GError) error = NULL;
  char *text = make_long_text (seed, 24 * 1000);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  files = g_slist_append (NULL, file);
  cria_composer_attach_files (composer (f), files);
  wait_until (chip_ready, f);
  wait_until (chip_priced, f);

  return text;
}

static gboolean
all_ready (Fixture *f)
{
  for (guint i = 0; i < n_attachments (f); i++)
    {
      g_autoptr(CriaAttachment) attachment = g_list_model_get_item (_cria_composer_get_attachments (composer (f)), i);

      if (cria_attachment_get_state (attachment) != CRIA_ATTACHMENT_STATE_READY)
        return FALSE;
    }

  return TRUE;
}

static void
attach_short (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "receipt.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSList) files = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "Keep the receipt for the warranty.\n", -1, &error);
  g_assert_no_error (error);
  files = g_slist_append (NULL, file);
  cria_composer_attach_files (composer (f), files);
  wait_until (all_ready, f);
}

static void
type_text (Fixture    *f,
           const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (composer (f))), text, -1);
}

/* The body of the last chat request the server was sent. */
static char *
last_chat_body (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->w.server);

  for (guint i = requests->len; i > 0; i--)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_str_has_suffix (request->path, "/chat/completions"))
        return g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
    }

  return NULL;
}

static void
expect_answer (Fixture *f)
{
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->w.server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
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

/* A long document is searched: the chip and the summary say so and what
 * indexing costs; the question goes with the passage that answers it, not
 * the document; the answer lists its Sources, and a source shows the
 * passage. */
static void
test_answer_from_long_document (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *passage = NULL;
  CriaMessage *answer;
  CriaSourceList *list;
  GtkWindow *window;
  GtkTextView *view;
  GtkTextIter start, end;
  const char *summary;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = attach_long (f, 1);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "not sent whole"));
  g_assert_nonnull (strstr (chip_text, "with Nomic Embed Text"));
  g_assert_nonnull (strstr (chip_text, "$"));
  summary = gtk_label_get_text (_cria_composer_get_attachment_label (composer (f)));
  g_assert_true (g_str_has_prefix (summary, "Searched for the passages that answer the question: manual.txt"));
  g_assert_null (strstr (summary, "Sent whole"));

  /* A short document beside it goes whole, and the summary says which is which. */
  attach_short (f);
  summary = gtk_label_get_text (_cria_composer_get_attachment_label (composer (f)));
  g_assert_true (g_str_has_prefix (summary, "Sent whole: receipt.txt · about "));
  g_assert_nonnull (strstr (summary, "\nSearched for the passages that answer the question: manual.txt · indexing once"));
  g_assert_false (cria_attachment_chip_get_searched (chip_at (f, 1)));

  expect_answer (f);
  type_text (f, QUESTION);
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (idle, f);

  /* The request carries the passage, labelled, and not the document. */
  body = last_chat_body (f);
  g_assert_nonnull (body);
  g_assert_nonnull (strstr (body, ANSWER));
  g_assert_nonnull (strstr (body, "Passage of document \\\"manual.txt\\\", page 1"));
  g_assert_nonnull (strstr (body, "Document \\\"receipt.txt\\\""));
  g_assert_nonnull (strstr (body, "Keep the receipt for the warranty."));
  g_assert_cmpuint (strlen (body), <, strlen (text) / 2);
  g_assert_cmpuint (n_attachments (f), ==, 0);

  answer = cria_ui_test_message_at (f->w.window, 1);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_COMPLETE);
  list = source_list_of (f, answer);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (list)));
  g_assert_cmpuint (cria_source_list_get_n_sources (list), >, 0);
  g_assert_true (gtk_widget_activate (cria_source_list_get_row (list, 0)));
  wait_until (passage_shown, f);
  window = cria_source_list_get_passage_window (list);
  g_assert_nonnull (strstr (gtk_window_get_title (window), "manual.txt, page 1"));
  view = GTK_TEXT_VIEW (cria_ui_test_find_descendant (GTK_WIDGET (window), GTK_TYPE_TEXT_VIEW));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  passage = gtk_text_iter_get_text (&start, &end);
  g_assert_nonnull (strstr (passage, ANSWER));
  gtk_window_destroy (window);
}

static void
planned_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fixture *f = user_data;
  gint64 tokens;

  g_assert_true (cria_retrieval_plan_finish (CRIA_RETRIEVAL (object), result, &f->n_chunks, &f->n_missing,
                                             &tokens, NULL));
  f->planning = FALSE;
}

/* The batch held when indexing was stopped has been stored: the plan, asked
 * again each time the last answer came, says so. */
static gboolean
held_batch_stored (Fixture *f)
{
  g_autoptr(CriaAttachment) attachment = NULL;

  if (f->planning)
    return FALSE;
  if (f->n_chunks > 0 && f->n_missing == f->n_chunks - 2 * BATCH)
    return TRUE;

  attachment = g_list_model_get_item (_cria_composer_get_attachments (composer (f)), 0);
  f->planning = TRUE;
  cria_retrieval_plan_async (cria_conversation_get_retrieval (conversation (f)),
                             cria_attachment_get_document (attachment), NULL, planned_cb, f);
  return FALSE;
}

static gboolean
client_gone (Fixture *f)
{
  return cria_fake_server_get_n_client_disconnects (f->w.server) > 0;
}

static gboolean
second_batch_held (Fixture *f)
{
  return cria_fake_server_get_n_held (f->w.server) == 1;
}

/* Stop while a long document is indexed: nothing is lost, and sending again
 * goes on where it stopped, paying only for the rest. */
static void
test_stop_indexing_resumes (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *body = NULL;
  guint n_chunks;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = attach_long (f, 2);
  _cria_retrieval_set_batch_size (cria_conversation_get_retrieval (conversation (f)), BATCH);
  f->hold_request = 2;
  type_text (f, QUESTION);
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (second_batch_held, f);

  /* Under way: the chip shows how far, Stop is offered, nothing is sent. */
  g_assert_true (chip_indexing (f));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_cria_composer_get_stop_button (composer (f)))));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 0);

  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.stop", NULL);
  g_assert_false (cria_conversation_get_busy (conversation (f)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 0);
  g_assert_cmpuint (n_attachments (f), ==, 1);
  g_assert_false (chip_indexing (f));
  typed = cria_composer_dup_text (composer (f));
  g_assert_cmpstr (typed, ==, QUESTION);

  /* The batch on its way was paid for: it is stored, then nothing more. */
  cria_fake_server_release (f->w.server);
  wait_until (held_batch_stored, f);
  n_chunks = f->n_chunks;
  g_assert_cmpuint (f->n_inputs, ==, 2 * BATCH);
  g_assert_cmpuint (n_chunks, >, 3 * BATCH);

  expect_answer (f);
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (idle, f);
  /* The rest of the chunks, and the question. */
  g_assert_cmpuint (f->n_inputs, ==, n_chunks + 1);
  body = last_chat_body (f);
  g_assert_nonnull (strstr (body, ANSWER));
  g_assert_cmpuint (n_attachments (f), ==, 0);
  g_assert_cmpint (cria_message_get_state (cria_ui_test_message_at (f->w.window, 1)), ==,
                   CRIA_MESSAGE_STATE_COMPLETE);

  /* Stop while a later question is searched for: the answer stops, the
   * question stays. */
  f->hold_request = f->n_requests + 1;
  cria_ui_test_type_and_send (f->w.window, "And how loud is it?");
  wait_until (second_batch_held, f);
  g_assert_true (cria_conversation_get_busy (conversation (f)));
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.stop", NULL);
  g_assert_false (cria_conversation_get_busy (conversation (f)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 4);
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->w.window, 2)), ==, "And how loud is it?");
  g_assert_cmpint (cria_message_get_state (cria_ui_test_message_at (f->w.window, 3)), ==,
                   CRIA_MESSAGE_STATE_STOPPED);
  wait_until (client_gone, f);
  cria_fake_server_release (f->w.server);
  _cria_retrieval_set_batch_size (cria_conversation_get_retrieval (conversation (f)), CRIA_RETRIEVAL_BATCH_SIZE);
}

static gboolean
toast_says_embedding_failed (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (_cria_window_get_toast_overlay (f->w.window)));

  return strstr (text, "could not be prepared for searching") != NULL;
}

/* The embedding model failing: while indexing, said with nothing sent and
 * nothing lost; while searching for a later question, said on its answer,
 * the question kept. */
static void
test_embedding_error (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *chip_text = NULL;
  CriaFakeResponse *failure;
  CriaMessage *answer;
  const GError *error;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  text = attach_long (f, 3);
  failure = cria_fake_server_expect (f->w.server, "/v1/embeddings");
  cria_fake_response_set_status (failure, 503);
  cria_fake_response_set_body (failure, "application/json",
                               "{\"error\":{\"message\":\"The embedding model is not loaded.\"}}", -1);
  type_text (f, QUESTION);
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (idle, f);
  wait_until (toast_says_embedding_failed, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 0);
  g_assert_cmpuint (n_attachments (f), ==, 1);
  typed = cria_composer_dup_text (composer (f));
  g_assert_cmpstr (typed, ==, QUESTION);
  /* The document's chip says it too, in words. */
  g_assert_nonnull (cria_attachment_chip_get_index_error (chip_at (f, 0)));
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "Could not be indexed"));
  g_assert_nonnull (strstr (chip_text, "The embedding model is not loaded."));
  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_first_child (GTK_WIDGET (chip_at (f, 0))), "error"));

  /* Sent again, it goes; then a question whose embedding fails. */
  expect_answer (f);
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (idle, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 2);

  failure = cria_fake_server_expect (f->w.server, "/v1/embeddings");
  cria_fake_response_set_status (failure, 503);
  cria_fake_response_set_body (failure, "application/json",
                               "{\"error\":{\"message\":\"The embedding model is not loaded.\"}}", -1);
  cria_ui_test_type_and_send (f->w.window, "And how loud is it?");
  wait_until (idle, f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation (f))), ==, 4);
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->w.window, 2)), ==, "And how loud is it?");
  answer = cria_ui_test_message_at (f->w.window, 3);
  g_assert_cmpint (cria_message_get_state (answer), ==, CRIA_MESSAGE_STATE_FAILED);
  error = cria_message_get_error (answer);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "could not be searched"));
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
  ADD ("answer", test_answer_from_long_document);
  ADD ("stop-indexing-resumes", test_stop_indexing_resumes);
  ADD ("embedding-error", test_embedding_error);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

/* test-documents.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Documents through the window: attached like images, shown as chips with
 * their pages, tokens and cost, sent inline, kept in the transcript;
 * refused files and protected PDFs; scanned pages and images read by a
 * model that can see, with the model the user picks; files handed to Cria
 * from outside.
 */

#include <string.h>

#include <adwaita.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "cria-application.h"
#include "cria-attachment-chip.h"
#include "cria-format.h"
#include "cria-message-row.h"
#include "cria-test-images.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaFakeServer *server;
  CriaWindow     *window;
  GSettings      *settings;
  char           *key;
  char           *dir;
} Fixture;

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-vl-8b\"}," \
                    "{\"id\":\"olmocr-7b\"}]}"

static gboolean have_display;
static CriaApplication *app;

static void
wait_until_named (gboolean  (*condition) (Fixture *f),
                  Fixture    *f,
                  const char *name)
{
  if (!cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 20))
    g_error ("Waited in vain for %s", name);
}

#define wait_until(condition, f) wait_until_named ((condition), (f), #condition)

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

  f->dir = g_dir_make_tmp ("cria-documents-XXXXXX", &error);
  g_assert_no_error (error);
  /* The model that reads is remembered: each test starts from the default. */
  f->settings = g_settings_new ("io.github.cria.Cria");
  g_settings_reset (f->settings, "ocr-model");
  f->window = cria_ui_test_open_window (app, MODELS_JSON, &f->server, &f->key);
  wait_until (window_active, f);
  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "llama-3.1-8b");
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
  g_clear_object (&f->settings);
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

static GFile *
write_file (Fixture    *f,
            const char *name,
            const char *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
attach (Fixture *f,
        GFile   *file)
{
  g_autoptr(GSList) files = g_slist_append (NULL, file);

  cria_composer_attach_files (composer (f), files);
  wait_until (all_settled, f);
}

static void
type_text (Fixture    *f,
           const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (composer (f))), text, -1);
}

/* The text of the last user message the server was sent. */
static char *
last_user_text (Fixture *f)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *messages;
  JsonObject *last;
  JsonNode *content;

  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  messages = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "messages");
  last = json_array_get_object_element (messages, json_array_get_length (messages) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "role"), ==, "user");
  content = json_object_get_member (last, "content");
  if (JSON_NODE_HOLDS_VALUE (content))
    return g_strdup (json_node_get_string (content));

  /* Parts: the text is the first. */
  return g_strdup (json_object_get_string_member (json_array_get_object_element (json_node_get_array (content), 0),
                                                  "text"));
}

static gboolean
toast_says_not_text (Fixture *f)
{
  g_autofree char *text = widget_text (GTK_WIDGET (_cria_window_get_toast_overlay (f->window)));

  return strstr (text, "could not be opened") != NULL;
}

/* A text file: a chip with its tokens and cost, a summary saying it goes
 * whole, the request carrying it fenced before the question, and the
 * transcript naming it. */
static void
test_attach_and_send (Fixture       *f,
                      gconstpointer  data)
{
  static const char notes[] = "# Heat pump\n\nThe outdoor unit needs 30 cm clearance.\n\n```\ncode inside\n```\n";
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaMessage) question = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *sent = NULL;
  g_autofree char *row_text = NULL;
  const char *summary;
  CriaDocument *document;
  CriaMessageRow *row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  file = write_file (f, "notes.md", notes, sizeof notes - 1);
  attach (f, file);
  g_assert_cmpuint (n_attachments (f), ==, 1);
  g_assert_cmpint (cria_attachment_get_kind (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_KIND_DOCUMENT);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_READY);
  document = cria_attachment_get_document (attachment_at (f, 0));
  g_assert_cmpstr (document->mime_type, ==, "text/markdown");
  g_assert_cmpint (document->tokens, >, 0);

  /* The chip: its name, its tokens and what it costs with Llama 3.1 8B. */
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "notes.md"));
  g_assert_nonnull (strstr (chip_text, "tokens"));
  g_assert_nonnull (strstr (chip_text, "$"));
  summary = gtk_label_get_text (_cria_composer_get_attachment_label (composer (f)));
  g_assert_true (g_str_has_prefix (summary, "1 document, sent whole"));
  g_assert_nonnull (strstr (summary, "Llama 3.1 8B"));

  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  type_text (f, "How much clearance?");
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (not_busy, f);

  /* Sent inline, fenced past the backticks inside, before the question. */
  sent = last_user_text (f);
  g_assert_true (g_str_has_prefix (sent, "Document \"notes.md\""));
  g_assert_nonnull (strstr (sent, "````\n# Heat pump"));
  g_assert_nonnull (strstr (sent, "30 cm clearance"));
  g_assert_true (g_str_has_suffix (sent, "How much clearance?"));
  g_assert_cmpuint (n_attachments (f), ==, 0);

  /* The transcript shows the question and names the document, not its text. */
  question = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 0);
  g_assert_cmpstr (cria_message_get_content (question), ==, "How much clearance?");
  g_assert_cmpuint (cria_message_get_documents (question)->len, ==, 1);
  cria_ui_test_settle (GTK_WIDGET (f->window));
  row = cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->window), question);
  g_assert_nonnull (row);
  row_text = widget_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (row_text, "notes.md"));
  g_assert_null (strstr (row_text, "30 cm clearance"));
}

/* A binary file named .txt is refused on its chip, and a send waits for it
 * to be removed; the typed text stays. */
static void
test_binary_refused (Fixture       *f,
                     gconstpointer  data)
{
  static const char elf[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0\x01\0\0\0\0\0\0\0\0\0\0\0";
  g_autoptr(GFile) file = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *text = NULL;
  const GError *error;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  file = write_file (f, "tool.txt", elf, sizeof elf - 1);
  attach (f, file);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_FAILED);
  error = cria_attachment_get_error (attachment_at (f, 0));
  g_assert_error ((GError *) error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, error->message));
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))),
                            "could not be opened"));

  type_text (f, "What does it do?");
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);
  wait_until (toast_says_not_text, f);
  text = cria_composer_dup_text (composer (f));
  g_assert_cmpstr (text, ==, "What does it do?");
}

/* A document longer than the model takes in one message is not refused:
 * its chip and the summary say it will be searched, not sent whole (what
 * searching it does is in test-retrieval.c). */
static void
test_too_long (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  g_autofree char *chip_text = NULL;
  const char *summary;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* Llama 3.1 8B: a 131,072-token context, a quarter of it per message. */
  while (text->len < 200 * 1000)
    g_string_append (text, "The quick brown fox jumps over the lazy dog. ");
  file = write_file (f, "long.txt", text->str, text->len);
  attach (f, file);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_conversation_get_inline_document_limit (cria_window_get_conversation (f->window)), ==, 131072 / 4);
  summary = gtk_label_get_text (_cria_composer_get_attachment_label (composer (f)));
  g_assert_true (g_str_has_prefix (summary, "Searched for the passages that answer the question: long.txt"));
  g_assert_null (strstr (summary, "Sent whole"));
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "not sent whole"));
  g_assert_true (cria_attachment_chip_get_searched (chip_at (f, 0)));
}

/* A PDF of @n_pages pages with a line of text each, but for page
 * @scanned (1-based; 0 for none), which holds only a picture, as a scan
 * does. The first page also says @stamp, when given. */
static GFile *
write_scanned_pdf (Fixture    *f,
                   const char *name,
                   guint       n_pages,
                   guint       scanned,
                   const char *stamp)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 300, 300);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *line = g_strdup_printf ("Secret page %u %s", i + 1, i == 0 && stamp != NULL ? stamp : "");

      if (i + 1 == scanned)
        {
          cairo_rectangle (cr, 30, 30, 200, 120);
          cairo_fill (cr);
        }
      else
        {
          cairo_move_to (cr, 20, 40);
          cairo_set_font_size (cr, 14);
          cairo_show_text (cr, line);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_file_new_for_path (path);
}

static GFile *
write_pdf (Fixture    *f,
           const char *name,
           guint       n_pages)
{
  return write_scanned_pdf (f, name, n_pages, 0, NULL);
}

static AdwMessageDialog *
find_unlock_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_str_has_prefix (adw_message_dialog_get_heading (l->data), "Unlock"))
      return l->data;

  return NULL;
}

static gboolean
unlock_dialog_shown (Fixture *f)
{
  return find_unlock_dialog () != NULL;
}

static GtkWidget *
find_unlock_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Unlock…") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_unlock_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
unlock_with (Fixture    *f,
             const char *password)
{
  GtkWidget *button = find_unlock_button (GTK_WIDGET (chip_at (f, 0)));
  AdwMessageDialog *dialog;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  gtk_widget_activate (button);
  wait_until (unlock_dialog_shown, f);
  dialog = find_unlock_dialog ();
  gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), password);
  /* As its Unlock button does: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "unlock");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (all_settled, f);
}

/* A protected PDF asks for its password on its chip; a wrong one says so,
 * the right one reads it. The password is never kept in the history. */
static void
test_protected_pdf (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) plain = NULL;
  g_autofree char *locked_path = NULL;
  g_autofree char *qpdf_err = NULL;
  g_autoptr(GFile) locked = NULL;
  g_autofree char *chip_text = NULL;
  int status = -1;
  CriaDocument *document;
  g_autoptr(GError) error = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  plain = write_pdf (f, "plain.pdf", 2);
  locked_path = g_build_filename (f->dir, "locked.pdf", NULL);
  {
    g_autofree char *plain_path = g_file_get_path (plain);
    const char *argv[] = { "qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", plain_path, locked_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, &qpdf_err, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("qpdf (installed by build-aux/install-deps.sh) could not encrypt the test PDF: %s", qpdf_err);
  locked = g_file_new_for_path (locked_path);

  attach (f, locked);
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_FAILED);
  g_assert_true (cria_attachment_needs_password (attachment_at (f, 0)));
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "locked.pdf"));

  unlock_with (f, "not-it");
  g_assert_error ((GError *) cria_attachment_get_error (attachment_at (f, 0)), CRIA_DOCUMENT_ERROR,
                  CRIA_DOCUMENT_ERROR_WRONG_PASSWORD);

  unlock_with (f, "user-pw");
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_READY);
  document = cria_attachment_get_document (attachment_at (f, 0));
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (document->pages, 1), "Secret page 2"));
  g_assert_false (gtk_widget_get_visible (find_unlock_button (GTK_WIDGET (chip_at (f, 0)))));
}

static AdwMessageDialog *
find_dialog (const char *heading_prefix)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        g_str_has_prefix (adw_message_dialog_get_heading (l->data), heading_prefix))
      return l->data;

  return NULL;
}

static gboolean
read_dialog_shown (Fixture *f)
{
  return find_dialog ("Read 1 Scanned Page") != NULL;
}

static GtkWidget *
find_button_labelled (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_visible (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_labelled (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The answer olmOCR gives for a page: a whole (not streamed) completion. */
static CriaFakeResponse *
expect_transcription (Fixture    *f,
                      const char *text)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  g_autofree char *escaped = g_strescape (text, NULL);
  g_autofree char *body = g_strdup_printf ("{\"id\":\"o\",\"object\":\"chat.completion\",\"model\":\"olmocr-7b\","
                                           "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                                           "\"content\":\"%s\"},\"finish_reason\":\"stop\"}],"
                                           "\"usage\":{\"prompt_tokens\":1400,\"completion_tokens\":60}}",
                                           escaped);

  cria_fake_response_set_body (response, "application/json", body, -1);

  return response;
}

/* A scanned page: counted on the chip, read by olmOCR once the user has
 * seen what it costs, and sent with the document's other pages. */
static void
test_scanned_pages (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *stamp = g_uuid_string_random ();
  g_autoptr(GFile) file = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *sent = NULL;
  AdwMessageDialog *dialog;
  const char *body;
  CriaDocument *document;
  CriaFakeRequest *request;
  GtkWidget *button;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* A stamp of its own: a page read in an earlier run is not read again. */
  file = write_scanned_pdf (f, "letter.pdf", 2, 2, stamp);
  attach (f, file);
  document = cria_attachment_get_document (attachment_at (f, 0));
  g_assert_cmpuint (document->n_scanned_pages, ==, 1);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "1 scanned page has no text"));

  /* Nothing is paid before the user agrees: the dialog says what and how much. */
  button = find_button_labelled (GTK_WIDGET (chip_at (f, 0)), "_Read Scanned Pages…");
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  wait_until (read_dialog_shown, f);
  dialog = find_dialog ("Read 1 Scanned Page");
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "olmOCR 7B"));
  g_assert_nonnull (strstr (body, "letter.pdf"));
  g_assert_nonnull (strstr (body, "$"));
  g_assert_cmpuint (cria_fake_server_get_requests (f->server)->len, ==, 1);

  expect_transcription (f, "Dear neighbour,\nthe heat pump is 30 cm from the fence.");
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (all_settled, f);

  /* One request, to olmOCR, with the page as a picture. */
  request = cria_fake_server_get_last_request (f->server);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                                  "\"olmocr-7b\""));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                                  "data:image/png;base64,"));

  document = cria_attachment_get_document (attachment_at (f, 0));
  g_assert_cmpint (cria_attachment_get_state (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpuint (document->n_scanned_pages, ==, 0);
  g_assert_nonnull (strstr (g_ptr_array_index (document->pages, 1), "30 cm from the fence"));
  g_assert_null (find_button_labelled (GTK_WIDGET (chip_at (f, 0)), "_Read Scanned Pages…"));

  /* The transcribed page goes with the others. The user is back in the
   * window, where the answer is seen rather than announced. */
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (window_active, f);
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  type_text (f, "What does the letter say?");
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (not_busy, f);
  sent = last_user_text (f);
  g_assert_nonnull (strstr (sent, "[Page 1]\nSecret page 1"));
  g_assert_nonnull (strstr (sent, "[Page 2]\nDear neighbour,"));
}

/* The dialog's model list, and the position of @name in it. */
static GtkDropDown *
find_dropdown (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    return GTK_DROP_DOWN (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkDropDown *found = find_dropdown (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static guint
dropdown_position (GtkDropDown *dropdown,
                   const char  *name)
{
  GListModel *names = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), name) == 0)
      return i;

  g_assert_not_reached ();
}

static const char *
dropdown_selected_name (GtkDropDown *dropdown)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (dropdown)),
                                     gtk_drop_down_get_selected (dropdown));
}

static guint
n_chat_requests (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    if (g_strcmp0 (((CriaFakeRequest *) g_ptr_array_index (requests, i))->path, "/v1/chat/completions") == 0)
      n++;

  return n;
}

static gboolean
request_has (CriaFakeRequest *request,
             const char      *text)
{
  return g_strstr_len (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body), text) != NULL;
}

/* Another model than olmOCR can read the scanned pages: picked in the
 * dialog (a model the server no longer lists is not offered: the default
 * is), the price follows it, it is the model asked, and it is remembered. */
static void
test_choose_ocr_model (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *stamp = g_uuid_string_random ();
  g_autofree char *olmocr_body = NULL;
  g_autofree char *chosen = NULL;
  g_autoptr(GFile) file = NULL;
  AdwMessageDialog *dialog;
  GtkDropDown *dropdown;
  const char *body;
  GtkWidget *button;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_settings_set_string (f->settings, "ocr-model", "retired-ocr-model");
  file = write_scanned_pdf (f, "deed.pdf", 2, 2, stamp);
  attach (f, file);
  button = find_button_labelled (GTK_WIDGET (chip_at (f, 0)), "_Read Scanned Pages…");
  gtk_widget_activate (button);
  wait_until (read_dialog_shown, f);
  dialog = find_dialog ("Read 1 Scanned Page");
  dropdown = find_dropdown (adw_message_dialog_get_extra_child (dialog));
  g_assert_nonnull (dropdown);

  /* Models that can see, olmOCR first and chosen. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), ==, 2);
  g_assert_cmpstr (dropdown_selected_name (dropdown), ==, "olmOCR 7B");
  olmocr_body = g_strdup (adw_message_dialog_get_body (dialog));
  g_assert_nonnull (strstr (olmocr_body, "olmOCR 7B"));

  /* Qwen 3 VL costs more: the estimate says so. */
  gtk_drop_down_set_selected (dropdown, dropdown_position (dropdown, "Qwen 3 VL 8B"));
  body = adw_message_dialog_get_body (dialog);
  g_assert_nonnull (strstr (body, "Qwen 3 VL 8B"));
  g_assert_null (strstr (body, "olmOCR"));
  g_assert_cmpstr (body, !=, olmocr_body);
  g_assert_nonnull (strstr (body, "$"));

  expect_transcription (f, "Parcel 12, north of the creek.");
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (all_settled, f);

  g_assert_true (request_has (cria_fake_server_get_last_request (f->server), "\"qwen3-vl-8b\""));
  g_assert_false (request_has (cria_fake_server_get_last_request (f->server), "olmocr"));
  g_assert_nonnull (strstr (g_ptr_array_index (cria_attachment_get_document (attachment_at (f, 0))->pages, 1),
                            "north of the creek"));
  chosen = g_settings_get_string (f->settings, "ocr-model");
  g_assert_cmpstr (chosen, ==, "qwen3-vl-8b");

  /* The next document's dialog starts from that choice. */
  g_clear_object (&file);
  g_clear_pointer (&stamp, g_free);
  stamp = g_uuid_string_random ();
  file = write_scanned_pdf (f, "survey.pdf", 2, 2, stamp);
  attach (f, file);
  gtk_widget_activate (find_button_labelled (GTK_WIDGET (chip_at (f, 1)), "_Read Scanned Pages…"));
  wait_until (read_dialog_shown, f);
  dialog = find_dialog ("Read 1 Scanned Page");
  dropdown = find_dropdown (adw_message_dialog_get_extra_child (dialog));
  g_assert_cmpstr (dropdown_selected_name (dropdown), ==, "Qwen 3 VL 8B");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Qwen 3 VL 8B"));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
}

/* A picture of a few random pixels: its own bytes, so no earlier run's
 * transcription is in the cache. */
static GFile *
write_unique_png (Fixture    *f,
                  const char *name)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 48, 32);
  g_autofree char *stamp = g_uuid_string_random ();
  g_autoptr(GBytes) png = NULL;

  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  memcpy (gdk_pixbuf_get_pixels (pixbuf), stamp, 36);
  png = cria_test_encode (pixbuf, "png");

  return write_file (f, name, g_bytes_get_data (png, NULL), g_bytes_get_size (png));
}

static gboolean
has_vision_dialog (Fixture *f)
{
  return _cria_composer_get_vision_dialog (composer (f)) != NULL;
}

static gboolean
transcribe_dialog_shown (Fixture *f)
{
  return find_dialog ("Transcribe 1 Image") != NULL;
}

static gboolean
ocr_request_held (Fixture *f)
{
  return cria_fake_server_get_n_held (f->server) > 0;
}

static gboolean
answered (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))) == 2 && not_busy (f);
}

/* Send with an image to a model that cannot see, take the offer to
 * transcribe it, and get to the dialog that says what that costs. */
static AdwMessageDialog *
offer_transcription (Fixture *f)
{
  AdwMessageDialog *offer;
  AdwMessageDialog *dialog;

  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (has_vision_dialog, f);
  offer = ADW_MESSAGE_DIALOG (_cria_composer_get_vision_dialog (composer (f)));
  g_assert_true (adw_message_dialog_has_response (offer, "switch"));
  g_assert_true (adw_message_dialog_has_response (offer, "transcribe"));
  adw_message_dialog_response (offer, "transcribe");
  gtk_window_close (GTK_WINDOW (offer));
  wait_until (transcribe_dialog_shown, f);
  dialog = find_dialog ("Transcribe 1 Image");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "olmOCR 7B"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "hours.png"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "$"));

  return dialog;
}

/* An image sent to a model that cannot see: its text transcribed by
 * olmOCR instead, with progress and a stop on the chip; a failure keeps
 * the picture and says why; once read, it is a document and the message
 * goes to the chat's own model, the typed text intact. */
static void
test_image_transcribed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *chip_text = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *sent = NULL;
  AdwMessageDialog *dialog;
  CriaFakeResponse *response;
  CriaFakeRequest *request;
  GtkWidget *stop;
  GPtrArray *requests;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  file = write_unique_png (f, "hours.png");
  attach (f, file);
  g_assert_cmpint (cria_attachment_get_kind (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_KIND_IMAGE);
  type_text (f, "When is the shop open?");

  /* Stopped while it reads: nothing sent, nothing lost. */
  dialog = offer_transcription (f);
  g_assert_cmpuint (n_chat_requests (f), ==, 0);
  cria_fake_response_set_hold (expect_transcription (f, "Never read"), 0);
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (ocr_request_held, f);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "Reading the text in the image"));
  stop = find_button_labelled (GTK_WIDGET (chip_at (f, 0)), "_Stop Reading");
  g_assert_nonnull (stop);
  gtk_widget_activate (stop);
  wait_until (all_settled, f);
  g_assert_cmpint (cria_attachment_get_kind (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_KIND_IMAGE);
  g_assert_null (cria_attachment_get_ocr_error (attachment_at (f, 0)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);

  /* The server fails: the picture stays, the chip says why. */
  dialog = offer_transcription (f);
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 500);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\"}}", -1);
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (all_settled, f);
  g_assert_cmpint (cria_attachment_get_kind (attachment_at (f, 0)), ==, CRIA_ATTACHMENT_KIND_IMAGE);
  g_clear_pointer (&chip_text, g_free);
  chip_text = widget_text (GTK_WIDGET (chip_at (f, 0)));
  g_assert_nonnull (strstr (chip_text, "The text of “hours.png” could not be read"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);
  typed = cria_composer_dup_text (composer (f));
  g_assert_cmpstr (typed, ==, "When is the shop open?");

  /* Read: olmOCR was sent the picture; the chat's model gets the text. */
  dialog = offer_transcription (f);
  expect_transcription (f, "OPEN\nMon-Sat 9-18");
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  gtk_window_present (GTK_WINDOW (f->window));
  wait_until (window_active, f);
  wait_until (answered, f);

  g_assert_cmpuint (n_chat_requests (f), ==, 4);
  requests = cria_fake_server_get_requests (f->server);
  request = g_ptr_array_index (requests, requests->len - 2);
  g_assert_true (request_has (request, "\"olmocr-7b\""));
  g_assert_true (request_has (request, "data:image/png;base64,"));
  request = cria_fake_server_get_last_request (f->server);
  g_assert_true (request_has (request, "\"llama-3.1-8b\""));
  g_assert_false (request_has (request, "image_url"));
  sent = last_user_text (f);
  g_assert_nonnull (strstr (sent, "hours.png"));
  g_assert_nonnull (strstr (sent, "Mon-Sat 9-18"));
  g_assert_nonnull (strstr (sent, "When is the shop open?"));
  g_assert_cmpstr (cria_conversation_get_model_id (cria_window_get_conversation (f->window)), ==, "llama-3.1-8b");
  g_assert_cmpuint (n_attachments (f), ==, 0);
}

static gboolean
nothing_reading (Fixture *f)
{
  for (guint i = 0; i < n_attachments (f); i++)
    if (cria_attachment_get_ocr_running (attachment_at (f, i)))
      return FALSE;
  return cria_fake_server_get_n_held (f->server) == 0;
}

/* Sent for reading, then the user goes to another chat: the message was
 * for the first one, so it does not go by itself into the new one. */
static void
test_image_transcribed_other_chat (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaConversation) before = NULL;
  AdwMessageDialog *dialog;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  file = write_unique_png (f, "hours.png");
  attach (f, file);
  type_text (f, "What is on the menu?");
  dialog = offer_transcription (f);
  cria_fake_response_set_hold (expect_transcription (f, "Soup of the day"), 0);
  adw_message_dialog_response (dialog, "read");
  gtk_window_close (GTK_WINDOW (dialog));
  wait_until (ocr_request_held, f);

  before = g_object_ref (cria_window_get_conversation (f->window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-chat", NULL));
  g_assert_true (cria_window_get_conversation (f->window) != before);
  cria_fake_server_release (f->server);
  wait_until (nothing_reading, f);

  /* Only the reading went to the server; neither chat got a message. */
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (before)), ==, 0);
}

static gboolean
composer_focused (Fixture *f)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (composer (f)));
}

/* Files handed to Cria (its command line, "Open With"): a new chat with
 * them attached, the composer focused for the question. */
static void
test_open_files (Fixture       *f,
                 gconstpointer  data)
{
  static const char csv[] = "name,kwh\nJanuary,412\nFebruary,388\n";
  g_autoptr(GFile) table = NULL;
  g_autoptr(GFile) report = NULL;
  CriaConversation *before;
  GFile *files[2];

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* A chat already going stays as it was. */
  cria_fake_response_set_body_from_fixture (cria_fake_server_expect (f->server, "/v1/chat/completions"),
                                            "text/event-stream", "streams/openai-basic.sse");
  type_text (f, "Hello");
  gtk_widget_activate_action (GTK_WIDGET (composer (f)), "composer.send", NULL);
  wait_until (not_busy, f);
  before = cria_window_get_conversation (f->window);

  table = write_file (f, "usage.csv", csv, sizeof csv - 1);
  report = write_pdf (f, "report.pdf", 3);
  files[0] = table;
  files[1] = report;
  g_application_open (G_APPLICATION (app), files, 2, "");
  wait_until (all_settled, f);

  g_assert_true (cria_window_get_conversation (f->window) != before);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);
  g_assert_cmpuint (n_attachments (f), ==, 2);
  g_assert_cmpstr (cria_attachment_get_document (attachment_at (f, 0))->mime_type, ==, "text/csv");
  g_assert_cmpuint (cria_document_get_n_pages (cria_attachment_get_document (attachment_at (f, 1))), ==, 3);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (_cria_composer_get_attachment_label (composer (f))),
                                   "2 documents, sent whole"));
  wait_until (composer_focused, f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/documents/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("attach-and-send", test_attach_and_send);
  ADD ("binary-refused", test_binary_refused);
  ADD ("too-long", test_too_long);
  ADD ("protected-pdf", test_protected_pdf);
  ADD ("scanned-pages", test_scanned_pages);
  ADD ("choose-ocr-model", test_choose_ocr_model);
  ADD ("image-transcribed", test_image_transcribed);
  ADD ("image-transcribed-other-chat", test_image_transcribed_other_chat);
  ADD ("open-files", test_open_files);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

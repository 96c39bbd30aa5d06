/* test-document-ocr.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scanned pages rendered and read by a vision model through the fake
 * LlamaGate: the requests it gets, the transcriptions, the cache, cancel,
 * failure and hostile answers.
 */

#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cria-attachment.h"
#include "cria-document-ocr.h"
#include "cria-document-render.h"
#include "cria-test-images.h"
#include "cria-test-util.h"

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0

static cairo_status_t
write_cb (void                *closure,
          const unsigned char *data,
          unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* Three pages: text on A4; a scan-like A4 page (a filled rectangle, no
 * text); a landscape A4 page with only a picture on it. */
static GBytes *
make_pdf (void)
{
  GByteArray *bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (write_cb, bytes, A4_WIDTH, A4_HEIGHT);
  cairo_surface_t *image;
  cairo_t *cr = cairo_create (surface);

  cairo_select_font_face (cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 24);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "A page with a text layer");
  cairo_show_page (cr);

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_rectangle (cr, 100, 200, 300, 400);
  cairo_fill (cr);
  cairo_show_page (cr);

  cairo_pdf_surface_set_size (surface, A4_HEIGHT, A4_WIDTH);
  image = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 64, 32);
  {
    cairo_t *icr = cairo_create (image);

    cairo_set_source_rgb (icr, 0.2, 0.3, 0.4);
    cairo_paint (icr);
    cairo_destroy (icr);
  }
  cairo_set_source_surface (cr, image, 50, 50);
  cairo_paint (cr);
  cairo_show_page (cr);
  cairo_surface_destroy (image);

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (bytes);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static GBytes *
render_locked (GBytes        *pdf,
               const char    *password,
               guint          page,
               int            max_side,
               GCancellable  *cancellable,
               GError       **error)
{
  GAsyncResult *result = NULL;
  GBytes *png;

  cria_document_render_page_async (pdf, password, page, max_side, cancellable, result_cb, &result);
  png = cria_document_render_page_finish (wait_result (&result), error);
  g_object_unref (result);

  return png;
}

static GBytes *
render (GBytes        *pdf,
        guint          page,
        int            max_side,
        GCancellable  *cancellable,
        GError       **error)
{
  GAsyncResult *result = NULL;
  GBytes *png;

  cria_document_render_page_async (pdf, NULL, page, max_side, cancellable, result_cb, &result);
  png = cria_document_render_page_finish (wait_result (&result), error);
  g_object_unref (result);

  return png;
}

typedef struct
{
  GBytes *bytes;
  gsize   offset;
} PngReader;

static cairo_status_t
read_cb (void          *closure,
         unsigned char *data,
         unsigned int   length)
{
  PngReader *reader = closure;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (reader->bytes, &size);

  if (reader->offset + length > size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, bytes + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
decode_png (GBytes *png)
{
  PngReader reader = { png, 0 };
  cairo_surface_t *surface = cairo_image_surface_create_from_png_stream (read_cb, &reader);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);

  return *(const guint32 *) (data + y * cairo_image_surface_get_stride (surface) + x * 4) & 0xffffff;
}

static void
test_render (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) portrait = NULL;
  g_autoptr(GBytes) landscape = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;

  /* A portrait page: its height is the longer side. */
  portrait = render (pdf, 1, 800, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (portrait, NULL), 8, "\x89PNG\r\n\x1a\n", 8);
  surface = decode_png (portrait);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 800);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 565);
  /* White paper, the dark rectangle drawn where it was put. */
  g_assert_cmphex (pixel_at (surface, 5, 5), ==, 0xffffff);
  g_assert_cmphex (pixel_at (surface, 250 * 800 / 842, 400 * 800 / 842), !=, 0xffffff);
  cairo_surface_destroy (surface);

  /* A landscape page: its width is. */
  landscape = render (pdf, 2, CRIA_DOCUMENT_OCR_SIDE, NULL, &error);
  g_assert_no_error (error);
  surface = decode_png (landscape);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, CRIA_DOCUMENT_OCR_SIDE);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 1131);
  cairo_surface_destroy (surface);
}

static void
test_render_errors (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GBytes) junk = g_bytes_new_static ("%PDF-1.4 not really", 19);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  png = render (junk, 0, 800, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT);
  g_clear_error (&error);

  png = render (pdf, 3, 800, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "4"));
  g_clear_error (&error);

  /* An absurd size is capped. */
  png = render (pdf, 1, G_MAXINT, NULL, &error);
  g_assert_no_error (error);
  {
    cairo_surface_t *surface = decode_png (png);

    g_assert_cmpint (cairo_image_surface_get_height (surface), ==, CRIA_DOCUMENT_RENDER_MAX_SIDE);
    cairo_surface_destroy (surface);
  }
  g_clear_pointer (&png, g_bytes_unref);

  g_cancellable_cancel (cancellable);
  png = render (pdf, 1, 800, cancellable, &error);
  g_assert_null (png);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* A protected PDF's pages are shown only with its password; a wrong one
 * is said, never a crash (poppler 22.12 crashes opening it from bytes). */
static void
test_render_password (void)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) locked = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cria-ocr-XXXXXX", &error);
  g_autofree char *plain_path = g_build_filename (dir, "plain.pdf", NULL);
  g_autofree char *locked_path = g_build_filename (dir, "locked.pdf", NULL);
  g_autofree char *qpdf_error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  int status = -1;

  g_assert_no_error (error);
  g_file_set_contents (plain_path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error);
  g_assert_no_error (error);
  {
    const char *argv[] = { "qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", plain_path, locked_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                  NULL, &qpdf_error, &status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("qpdf (build-aux/install-deps.sh installs it) could not encrypt the test PDF: %s", qpdf_error);
  g_file_get_contents (locked_path, &contents, &len, &error);
  g_assert_no_error (error);
  locked = g_bytes_new_take (g_steal_pointer (&contents), len);

  png = render_locked (locked, NULL, 0, 400, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD);
  g_clear_error (&error);

  png = render_locked (locked, "not-it", 0, 400, NULL, &error);
  g_assert_null (png);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  png = render_locked (locked, "user-pw", 0, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (png);

  g_unlink (plain_path);
  g_unlink (locked_path);
  g_rmdir (dir);
}

/* OCR */

static const guint scanned[] = { 1, 2 };

static CriaFakeResponse *
expect_answer (CriaTestFixture *f,
               const char      *content)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "c");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "olmocr-7b");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, 1000000);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, 1000000);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  cria_fake_response_set_body (response, "application/json", body, -1);

  return response;
}

/* A fresh cache folder for @hash. */
static void
clear_cache (const char *hash)
{
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "cria", "ocr", hash, NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_true (g_str_has_prefix (g_get_user_cache_dir (), g_getenv ("G_TEST_BUILDDIR")));
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      g_assert_cmpint (g_remove (path), ==, 0);
    }
}

static GPtrArray *
run_ocr (CriaDocumentOcr  *ocr,
         GCancellable     *cancellable,
         GError          **error)
{
  GAsyncResult *result = NULL;
  GPtrArray *texts;

  cria_document_ocr_run_async (ocr, cancellable, result_cb, &result);
  texts = cria_document_ocr_run_finish (ocr, wait_result (&result), error);
  g_object_unref (result);

  return texts;
}

static CriaDocumentOcr *
ocr_new (CriaTestFixture *f,
         GBytes          *pdf,
         const char      *hash)
{
  return cria_document_ocr_new (f->client, "olmocr-7b", pdf, hash, NULL, scanned, G_N_ELEMENTS (scanned));
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The request asks olmocr-7b for one PNG image. */
static void assert_request_image (const CriaFakeRequest *request,
                                  const char            *model,
                                  const char            *url_prefix);

static void
assert_page_request (const CriaFakeRequest *request)
{
  assert_request_image (request, "olmocr-7b", "data:image/png;base64,iVBORw0KGgo");
}

/* The request asks @model to read one image, whose data URL starts with
 * @url_prefix. */
static void
assert_request_image (const CriaFakeRequest *request,
                      const char            *model,
                      const char            *url_prefix)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *messages;
  JsonArray *parts;
  guint n_images = 0;

  g_assert_cmpstr (request->path, ==, "/v1/chat/completions");
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  body = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (body, "model"), ==, model);
  messages = json_object_get_array_member (body, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  parts = json_object_get_array_member (json_array_get_object_element (messages, 0), "content");
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonObject *part = json_array_get_object_element (parts, i);

      if (g_strcmp0 (json_object_get_string_member (part, "type"), "image_url") == 0)
        {
          const char *url = json_object_get_string_member (json_object_get_object_member (part, "image_url"), "url");

          g_assert_true (g_str_has_prefix (url, url_prefix));
          n_images++;
        }
    }
  g_assert_cmpuint (n_images, ==, 1);
}

static void
test_ocr_pages (CriaTestFixture *f,
                gconstpointer    data)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autoptr(CriaDocumentOcr) again = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *requests;
  guint n_progress = 0;

  clear_cache ("pages");
  ocr = ocr_new (f, pdf, "pages");
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 0);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (ocr, 0.08, 0.15), >, 0.0);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (ocr, -1, 0.15), <, 0.0);

  expect_answer (f, "# Invoice\r\n\r\nTotal: 12 €");
  expect_answer (f, "  Second page\n");
  g_signal_connect (ocr, "notify::progress", G_CALLBACK (count_cb), &n_progress);
  texts = run_ocr (ocr, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (texts->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "# Invoice\n\nTotal: 12 €");
  g_assert_cmpstr (g_ptr_array_index (texts, 1), ==, "Second page");
  requests = cria_fake_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 2);
  assert_page_request (g_ptr_array_index (requests, 0));
  assert_page_request (g_ptr_array_index (requests, 1));
  g_assert_cmpfloat (cria_document_ocr_get_progress (ocr), ==, 1.0);
  g_assert_cmpuint (cria_document_ocr_get_pages_done (ocr), ==, 2);
  g_assert_cmpuint (n_progress, ==, 2);
  /* A million tokens in and out per page at olmOCR's catalogue prices. */
  g_assert_cmpfloat_with_epsilon (cria_document_ocr_get_cost (ocr), 2 * (0.08 + 0.15), 1e-9);

  /* The same pages again: from the cache, free. */
  again = ocr_new (f, pdf, "pages");
  g_assert_cmpuint (cria_document_ocr_get_n_cached (again), ==, 2);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (again, 0.08, 0.15), ==, 0.0);
  cached = run_ocr (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (cached, 0), ==, "# Invoice\n\nTotal: 12 €");
  g_assert_cmpstr (g_ptr_array_index (cached, 1), ==, "Second page");
  g_assert_cmpfloat (cria_document_ocr_get_cost (again), ==, 0.0);
  g_assert_cmpuint (cria_document_ocr_get_pages_done (again), ==, 2);

  /* Another model has its own cache. */
  g_clear_object (&again);
  again = cria_document_ocr_new (f->client, "../other/model", pdf, "pages", NULL, scanned, 2);
  g_assert_cmpuint (cria_document_ocr_get_n_cached (again), ==, 0);
}

static void
test_ocr_cancel (CriaTestFixture *f,
                 gconstpointer    data)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  clear_cache ("cancel");
  ocr = ocr_new (f, pdf, "cancel");
  expect_answer (f, "First page");
  cria_fake_response_set_hold (expect_answer (f, "Never read"), 0);

  cria_document_ocr_run_async (ocr, cancellable, result_cb, &result);
  /* The second page's request arrives and its answer is held there. */
  while (cria_fake_server_get_n_held (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cria_fake_server_get_requests (f->server)->len, ==, 2);
  g_assert_cmpuint (cria_document_ocr_get_pages_done (ocr), ==, 1);
  g_cancellable_cancel (cancellable);
  texts = cria_document_ocr_run_finish (ocr, wait_result (&result), &error);
  g_object_unref (result);

  g_assert_null (texts);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 1);
  g_assert_cmpuint (cria_document_ocr_get_pages_done (ocr), ==, 1);
  g_assert_cmpfloat (cria_document_ocr_get_progress (ocr), ==, 0.5);
  /* The held request was abandoned, not left running. */
  while (cria_fake_server_get_n_client_disconnects (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_ocr_server_error (CriaTestFixture *f,
                       gconstpointer    data)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;
  CriaFakeResponse *response;

  clear_cache ("error");
  ocr = ocr_new (f, pdf, "error");
  expect_answer (f, "First page");
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 500);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\"}}", -1);

  texts = run_ocr (ocr, NULL, &error);
  g_assert_null (texts);
  g_assert_nonnull (error);
  g_assert_cmpuint (cria_fake_server_get_requests (f->server)->len, ==, 2);
  /* The first page is kept; the second, failed, is not. */
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 1);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (ocr, 0.08, 0.15), >, 0.0);
  g_assert_cmpuint (cria_document_ocr_get_pages_done (ocr), ==, 1);
}

static void
test_ocr_hostile (CriaTestFixture *f,
                  gconstpointer    data)
{
  g_autoptr(GBytes) pdf = make_pdf ();
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) huge = g_string_new ("Start ");
  CriaFakeResponse *response;
  const char *first;
  const char *second;

  clear_cache ("hostile");
  /* A model id that would climb out of the cache folder as a path. */
  ocr = cria_document_ocr_new (f->client, "../olmocr-7b", pdf, "hostile", NULL, scanned, G_N_ELEMENTS (scanned));

  /* Bad bytes straight in the body, a NUL and a form feed escaped in JSON. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json",
                               "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                               "\"content\":\"A\xff\xfe" "B\\u0000C\\fD\"},\"finish_reason\":\"stop\"}]}", -1);
  /* Far more text than a page holds, ending in a character of 4 bytes. */
  while (huge->len < 3 * CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES)
    g_string_append (huge, "\xf0\x9f\x93\x84 ");
  expect_answer (f, huge->str);

  texts = run_ocr (ocr, NULL, &error);
  g_assert_no_error (error);
  first = g_ptr_array_index (texts, 0);
  second = g_ptr_array_index (texts, 1);

  g_assert_true (g_utf8_validate (first, -1, NULL));
  g_assert_null (strchr (first, '\f'));
  g_assert_true (g_str_has_prefix (first, "A"));
  g_assert_true (g_str_has_suffix (first, "D"));
  g_assert_true (g_utf8_validate (second, -1, NULL));
  g_assert_true (g_str_has_prefix (second, "Start "));
  g_assert_cmpuint (strlen (second), <=, CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES);
  g_assert_cmpuint (strlen (second), >, CRIA_DOCUMENT_OCR_MAX_PAGE_BYTES - 8);

  /* Both pages cached inside the document's folder, nowhere above it. */
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 2);
  {
    g_autofree char *inside = g_build_filename (g_get_user_cache_dir (), "cria", "ocr", "hostile", "_._olmocr-7b-2.txt", NULL);
    g_autofree char *above = g_build_filename (g_get_user_cache_dir (), "cria", "ocr", "olmocr-7b-2.txt", NULL);

    g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (above, G_FILE_TEST_EXISTS));
  }
}

/* A picture's text: the picture itself is sent, as it is; the second time
 * it comes from the cache, free; another model is asked anew. */
static void
test_image (CriaTestFixture *f,
            gconstpointer    data)
{
  g_autoptr(GBytes) png = cria_test_black_png (40, 30);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
  g_autofree char *url = g_strconcat ("data:image/png;base64,", base64, NULL);
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autoptr(CriaDocumentOcr) again = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *requests;

  clear_cache ("image");
  ocr = cria_document_ocr_new_for_image (f->client, "olmocr-7b", png, "image/png", "image");
  g_assert_cmpuint (cria_document_ocr_get_n_pages (ocr), ==, 1);
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 0);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (ocr, 0.08, 0.15), >, 0.0);

  expect_answer (f, "OPENING HOURS\nMon–Fri 9–17");
  texts = run_ocr (ocr, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (texts->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (texts, 0), ==, "OPENING HOURS\nMon–Fri 9–17");
  requests = cria_fake_server_get_requests (f->server);
  g_assert_cmpuint (requests->len, ==, 1);
  assert_request_image (g_ptr_array_index (requests, 0), "olmocr-7b", url);
  {
    GBytes *body = ((CriaFakeRequest *) g_ptr_array_index (requests, 0))->body;

    g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "text in this image"));
  }
  g_assert_cmpfloat_with_epsilon (cria_document_ocr_get_cost (ocr), 0.08 + 0.15, 1e-9);

  /* The same picture again: nothing asked, nothing paid. */
  again = cria_document_ocr_new_for_image (f->client, "olmocr-7b", png, "image/png", "image");
  g_assert_cmpuint (cria_document_ocr_get_n_cached (again), ==, 1);
  g_assert_cmpfloat (cria_document_ocr_estimate_cost (again, 0.08, 0.15), ==, 0.0);
  cached = run_ocr (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (cached, 0), ==, "OPENING HOURS\nMon–Fri 9–17");
  g_assert_cmpfloat (cria_document_ocr_get_cost (again), ==, 0.0);

  /* Another model chosen: its own cache, its own prices. */
  cria_document_ocr_set_model_id (again, "qwen3-vl-8b");
  g_assert_cmpstr (cria_document_ocr_get_model_id (again), ==, "qwen3-vl-8b");
  g_assert_cmpuint (cria_document_ocr_get_n_cached (again), ==, 0);
  g_clear_pointer (&cached, g_ptr_array_unref);
  expect_answer (f, "Opening hours");
  cached = run_ocr (again, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (requests->len, ==, 2);
  assert_request_image (g_ptr_array_index (requests, 1), "qwen3-vl-8b", url);
  g_assert_cmpfloat_with_epsilon (cria_document_ocr_get_cost (again), 0.15 + 0.55, 1e-9);
}

static void
attachment_state_cb (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
wait_settled (CriaAttachment *attachment)
{
  while (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);
}

static CriaDocumentOcr *
plan (CriaTestFixture *f,
      CriaAttachment  *attachment)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  CriaDocumentOcr *ocr;

  cria_attachment_plan_ocr_async (attachment, f->client, "olmocr-7b", NULL, result_cb, &result);
  ocr = cria_attachment_plan_ocr_finish (attachment, wait_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return ocr;
}

/* An image attachment transcribed: held while the request runs, stopped
 * by a cancel (the picture stays, no error), failed with the reason shown
 * (the picture stays), then made a document of one page named as it. */
static void
test_image_attachment (CriaTestFixture *f,
                       gconstpointer    data)
{
  g_autoptr(GdkPixbuf) pixbuf = cria_test_photo_pixbuf (64, 48);
  g_autoptr(GBytes) jpeg = cria_test_encode (pixbuf, "jpeg");
  g_autoptr(CriaAttachment) attachment = cria_attachment_new_for_bytes (jpeg, "sign.jpg");
  g_autoptr(CriaDocumentOcr) ocr = NULL;
  g_autofree char *url = NULL;
  CriaDocument *document;
  CriaFakeResponse *response;
  guint n_states = 0;

  cria_attachment_prepare (attachment, 1024);
  wait_settled (attachment);
  g_assert_nonnull (cria_attachment_get_image (attachment));
  url = g_strdup (cria_attachment_get_image (attachment)->data_url);
  g_signal_connect (attachment, "notify::state", G_CALLBACK (attachment_state_cb), &n_states);

  /* Its own cache folder, by its bytes: fresh for this run. */
  {
    g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, cria_attachment_get_image (attachment)->encoded);
    g_autofree char *folder = g_strconcat ("image-", hash, NULL);

    clear_cache (folder);
  }

  ocr = plan (f, attachment);
  g_assert_cmpuint (cria_document_ocr_get_n_pages (ocr), ==, 1);

  /* Cancelled while the request is held: still the picture, no error. */
  cria_fake_response_set_hold (expect_answer (f, "Never read"), 0);
  cria_attachment_run_ocr (attachment, ocr);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_PREPARING);
  g_assert_true (cria_attachment_get_ocr_running (attachment));
  while (cria_fake_server_get_n_held (f->server) == 0)
    g_main_context_iteration (NULL, TRUE);
  cria_attachment_cancel (attachment);
  wait_settled (attachment);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_kind (attachment), ==, CRIA_ATTACHMENT_KIND_IMAGE);
  g_assert_nonnull (cria_attachment_get_image (attachment));
  g_assert_null (cria_attachment_get_ocr_error (attachment));
  g_assert_false (cria_attachment_get_ocr_running (attachment));
  assert_request_image (cria_fake_server_get_last_request (f->server), "olmocr-7b", url);
  g_assert_cmpuint (cria_document_ocr_get_n_cached (ocr), ==, 0);

  /* The server fails: still the picture, the reason said. */
  response = cria_fake_server_expect (f->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 500);
  cria_fake_response_set_body (response, "application/json",
                               "{\"error\":{\"message\":\"The model is overloaded\",\"type\":\"server_error\"}}", -1);
  cria_attachment_run_ocr (attachment, ocr);
  wait_settled (attachment);
  g_assert_cmpint (cria_attachment_get_kind (attachment), ==, CRIA_ATTACHMENT_KIND_IMAGE);
  g_assert_nonnull (cria_attachment_get_image (attachment));
  g_assert_nonnull (cria_attachment_get_ocr_error (attachment));
  g_assert_nonnull (strstr (cria_attachment_get_ocr_error (attachment)->message, "sign.jpg"));

  /* Read: a document of one page, with the picture's name. */
  expect_answer (f, "NO PARKING\n\nExcept Sundays");
  cria_attachment_run_ocr (attachment, ocr);
  g_assert_null (cria_attachment_get_ocr_error (attachment));
  wait_settled (attachment);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_kind (attachment), ==, CRIA_ATTACHMENT_KIND_DOCUMENT);
  g_assert_null (cria_attachment_get_image (attachment));
  document = cria_attachment_get_document (attachment);
  g_assert_nonnull (document);
  g_assert_cmpstr (document->name, ==, "sign.jpg");
  g_assert_false (cria_document_is_paged (document));
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 1);
  g_assert_cmpstr (g_ptr_array_index (document->pages, 0), ==, "NO PARKING\n\nExcept Sundays");
  g_assert_cmpuint (document->n_scanned_pages, ==, 0);
  g_assert_cmpuint (cria_fake_server_get_requests (f->server)->len, ==, 3);
  /* PREPARING and back, three times. */
  g_assert_cmpuint (n_states, ==, 6);

  /* A document made from a picture has no more pictures to read. */
  {
    GAsyncResult *result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CriaDocumentOcr) none = NULL;

    cria_attachment_plan_ocr_async (attachment, f->client, "olmocr-7b", NULL, result_cb, &result);
    none = cria_attachment_plan_ocr_finish (attachment, wait_result (&result), &error);
    g_object_unref (result);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  }
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/document-ocr/render", test_render);
  g_test_add_func ("/document-ocr/render-errors", test_render_errors);
  g_test_add_func ("/document-ocr/render-password", test_render_password);
  g_test_add ("/document-ocr/pages", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_ocr_pages, cria_test_fixture_tear_down);
  g_test_add ("/document-ocr/cancel", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_ocr_cancel, cria_test_fixture_tear_down);
  g_test_add ("/document-ocr/server-error", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_ocr_server_error, cria_test_fixture_tear_down);
  g_test_add ("/document-ocr/hostile", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_ocr_hostile, cria_test_fixture_tear_down);
  g_test_add ("/document-ocr/image", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_image, cria_test_fixture_tear_down);
  g_test_add ("/document-ocr/image-attachment", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_image_attachment, cria_test_fixture_tear_down);

  return g_test_run ();
}

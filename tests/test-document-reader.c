/* test-document-reader.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cria-document.h"
#include "cria-document-reader.h"
#include "cria-test-pdf.h"

static GThread *main_thread;

typedef struct
{
  char *dir;
} Fixture;

typedef struct
{
  CriaDocument *document;
  GError       *error;
  gboolean      done;
  guint         n_progress;
  double        last_progress;
  /* Cancelled from the progress callback once past this share, when set. */
  GCancellable *cancel_at;
  double        cancel_after;
} Result;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cria-document-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GFile *
write_file (Fixture    *f,
            const char *name,
            const void *data,
            gsize       len)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, len > 0 ? data : "", len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

static GFile *
write_bytes (Fixture    *f,
             const char *name,
             GBytes     *bytes)
{
  return write_file (f, name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Result *result = user_data;

  /* On the caller's thread, never the worker's; never backwards. */
  g_assert_true (g_thread_self () == main_thread);
  g_assert_false (result->done);
  g_assert_cmpfloat (fraction, >=, result->last_progress);
  g_assert_cmpfloat (fraction, <=, 1.0);
  result->last_progress = fraction;
  result->n_progress++;

  if (result->cancel_at != NULL && fraction > result->cancel_after)
    g_cancellable_cancel (result->cancel_at);
}

static void
read_file_cb (GObject      *object,
              GAsyncResult *res,
              gpointer      user_data)
{
  Result *result = user_data;

  result->document = cria_document_read_file_finish (res, &result->error);
  result->done = TRUE;
}

static void
read_bytes_cb (GObject      *object,
               GAsyncResult *res,
               gpointer      user_data)
{
  Result *result = user_data;

  result->document = cria_document_read_bytes_finish (res, &result->error);
  result->done = TRUE;
}

static void
wait_for (Result *result)
{
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
  /* Exactly one of the two. */
  g_assert_true ((result->document == NULL) != (result->error == NULL));
}

/* How the last read went, for the tests that look at progress. */
static Result last;

static CriaDocument *
read_file_with (GFile       *file,
                const char  *password,
                GError     **error)
{
  Result result = { 0 };

  cria_document_read_file_async (file, password, NULL, progress_cb, &result, read_file_cb, &result);
  wait_for (&result);
  if (result.document != NULL)
    g_assert_cmpfloat (result.last_progress, ==, 1.0);
  last = result;
  if (result.error != NULL)
    g_propagate_error (error, result.error);

  return result.document;
}

static CriaDocument *
read_bytes (GBytes      *bytes,
            const char  *name,
            GError     **error)
{
  Result result = { 0 };

  cria_document_read_bytes_async (bytes, name, NULL, NULL, progress_cb, &result, read_bytes_cb, &result);
  wait_for (&result);
  if (result.document != NULL)
    g_assert_cmpfloat (result.last_progress, ==, 1.0);
  last = result;
  if (result.error != NULL)
    g_propagate_error (error, result.error);

  return result.document;
}

static CriaDocument *
read_data (const char  *name,
           const char  *data,
           gssize       len,
           GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);

  return read_bytes (bytes, name, error);
}

static const char *
page (CriaDocument *document,
      guint         i)
{
  g_assert_cmpuint (i, <, cria_document_get_n_pages (document));

  return g_ptr_array_index (document->pages, i);
}

static void
assert_text_page (CriaDocument *document,
                  guint         i)
{
  g_autofree char *expected = g_strdup_printf ("Page %u: the quick brown fox", i + 1);
  g_autofree char *text = g_strstrip (g_strdup (page (document, i)));

  g_assert_cmpstr (text, ==, expected);
}

static void
test_pdf_pages (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GBytes) pdf = cria_test_make_pdf (3, 1, 0);
  g_autoptr(GFile) file = write_bytes (f, "three.pdf", pdf);
  g_autoptr(CriaDocument) document = NULL;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autoptr(GError) error = NULL;

  document = read_file_with (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->name, ==, "three.pdf");
  g_assert_cmpstr (document->mime_type, ==, "application/pdf");
  g_assert_true (cria_document_is_paged (document));
  g_assert_cmpstr (document->hash, ==, hash);
  g_assert_cmpint (document->size, ==, g_bytes_get_size (pdf));
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 3);
  g_assert_cmpuint (document->n_scanned_pages, ==, 0);
  for (guint i = 0; i < 3; i++)
    assert_text_page (document, i);
  g_assert_cmpint (document->tokens, >, 0);
}

/* A PDF is told by its bytes, whatever its name, and read from memory the
 * same as from a file. */
static void
test_pdf_sniffed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) pdf = cria_test_make_pdf (2, 1, 0);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_bytes (pdf, "notes.txt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->name, ==, "notes.txt");
  g_assert_cmpstr (document->mime_type, ==, "application/pdf");
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 2);
  assert_text_page (document, 1);
}

static void
test_pdf_scanned (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) pdf = cria_test_make_pdf (3, 1, 1 << 1);
  g_autoptr(GFile) file = write_bytes (f, "scan.pdf", pdf);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_file_with (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 3);
  g_assert_cmpuint (document->n_scanned_pages, ==, 1);
  assert_text_page (document, 0);
  g_assert_cmpstr (page (document, 1), ==, "");
  assert_text_page (document, 2);
}

static GBytes *
many_pages_pdf (void)
{
  static GBytes *pdf;

  /* Made once: the cancellation test reads it too. */
  if (pdf == NULL)
    pdf = cria_test_make_pdf (5000, 1, 0);

  return g_bytes_ref (pdf);
}

static void
test_pdf_many_pages (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) pdf = many_pages_pdf ();
  g_autoptr(GFile) file = write_bytes (f, "long.pdf", pdf);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  document = read_file_with (file, NULL, &error);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("5,000 pages read in %.2f s", seconds);
  g_assert_no_error (error);
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 5000);
  g_assert_cmpuint (document->n_scanned_pages, ==, 0);
  assert_text_page (document, 0);
  assert_text_page (document, 2499);
  assert_text_page (document, 4999);
  /* Progress came page by page, not only at the end. */
  g_assert_cmpuint (last.n_progress, >=, 50);
  /* A ceiling that only a reader stuck or gone quadratic reaches. */
  g_assert_cmpfloat (seconds, <, 60);
}

static void
test_pdf_cancelled (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) pdf = many_pages_pdf ();
  g_autoptr(GFile) file = write_bytes (f, "long.pdf", pdf);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result result = { .cancel_at = cancellable, .cancel_after = 0.3 };

  cria_document_read_file_async (file, NULL, cancellable, progress_cb, &result, read_file_cb, &result);
  wait_for (&result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result.document);
  /* Stopped part way through the pages: nothing more was reported after
   * the cancellation. */
  g_assert_cmpfloat (result.last_progress, >, 0.3);
  g_assert_cmpfloat (result.last_progress, <, 1.0);
  g_clear_error (&result.error);
}

static GBytes *
encrypt (Fixture *f,
         GBytes  *pdf)
{
  g_autofree char *qpdf = g_find_program_in_path ("qpdf");
  g_autoptr(GFile) in = write_bytes (f, "plain.pdf", pdf);
  g_autofree char *in_path = g_file_get_path (in);
  g_autofree char *out_path = g_build_filename (f->dir, "locked.pdf", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  int status;

  if (qpdf == NULL)
    {
      g_test_fail_printf ("qpdf is not installed: build-aux/install-deps.sh installs it");
      return NULL;
    }

  {
    const char *argv[] = { qpdf, "--encrypt", "user", "owner", "256", "--", in_path, out_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
    g_assert_no_error (error);
    /* 3: done, with warnings. */
    if (!(WIFEXITED (status) && (WEXITSTATUS (status) == 0 || WEXITSTATUS (status) == 3)))
      g_error ("qpdf failed: %s", err);
  }

  g_file_get_contents (out_path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

static void
test_pdf_encrypted (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) pdf = cria_test_make_pdf (2, 1, 0);
  g_autoptr(GBytes) locked = encrypt (f, pdf);
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  if (locked == NULL)
    return;
  file = write_bytes (f, "scan.pdf", locked);

  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD);
  g_assert_nonnull (strstr (error->message, "scan.pdf"));
  g_clear_error (&error);

  document = read_file_with (file, "guess", &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_WRONG_PASSWORD);
  g_assert_nonnull (strstr (error->message, "scan.pdf"));
  g_clear_error (&error);

  document = read_file_with (file, "user", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 2);
  assert_text_page (document, 0);
  assert_text_page (document, 1);
}

static void
test_pdf_truncated (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) pdf = cria_test_make_pdf (3, 1, 0);
  g_autoptr(GBytes) half = g_bytes_new_from_bytes (pdf, 0, g_bytes_get_size (pdf) / 2);
  g_autoptr(GFile) file = write_bytes (f, "half.pdf", half);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "half.pdf"));
}

static void
test_pdf_random (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  guint8 noise[4096];
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = g_rand_int_range (rand, 0, 256);
  file = write_file (f, "x.pdf", noise, sizeof noise);
  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT);
  g_clear_error (&error);

  /* A PDF header over noise, ending as a PDF does. */
  memcpy (noise, "%PDF-1.7\n", 9);
  memcpy (noise + sizeof noise - 6, "%%EOF\n", 6);
  g_clear_object (&file);
  file = write_file (f, "x.pdf", noise, sizeof noise);
  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT);
}

/* Refused by its size at once: nothing of it is read, no memory grows. */
static void
test_too_large_sparse (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "huge.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  struct rusage before, after;
  gint64 start;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_seekable_truncate (G_SEEKABLE (out), G_GINT64_CONSTANT (2) * 1024 * 1024 * 1024, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  getrusage (RUSAGE_SELF, &before);
  start = g_get_monotonic_time ();
  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "huge.txt"));
  g_assert_nonnull (strstr (error->message, "256"));
  /* Reading 2 GB takes seconds at best; refusing it, a moment. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  getrusage (RUSAGE_SELF, &after);
  g_assert_cmpint (after.ru_maxrss - before.ru_maxrss, <, 16 * 1024);
  g_assert_cmpuint (last.n_progress, ==, 0);
}

/* A text file too long for its text to fit is refused after its first
 * bytes, not read whole. */
static void
test_too_large_text (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (G_OUTPUT_STREAM (out), "log line\n", 9, NULL, NULL, &error);
  g_assert_no_error (error);
  g_seekable_truncate (G_SEEKABLE (out), CRIA_DOCUMENT_MAX_TEXT_FILE_SIZE + 1, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);

  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "big.log"));
  g_clear_error (&error);

  /* Small enough to read, but more text than a document may hold. */
  {
    gsize len = CRIA_DOCUMENT_MAX_TEXT_SIZE + 1024;
    char *text = g_malloc (len);
    g_autoptr(GBytes) bytes = NULL;

    memset (text, 'a', len);
    bytes = g_bytes_new_take (text, len);
    document = read_bytes (bytes, "long.txt", &error);
    g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE);
    g_assert_nonnull (strstr (error->message, "long.txt"));
    g_assert_nonnull (strstr (error->message, "32"));
  }
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "gone.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gone.txt"));
}

/* A folder, or a device that would never end, is no document. */
static void
test_not_a_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir);
  g_autoptr(GFile) device = g_file_new_for_path ("/dev/zero");
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_file_with (folder, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_clear_error (&error);

  document = read_file_with (device, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "zero"));
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (f, "empty.txt", "", 0);
  g_autoptr(GFile) pdf = write_file (f, "empty.pdf", "", 0);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY);
  g_assert_nonnull (strstr (error->message, "empty.txt"));
  g_clear_error (&error);

  document = read_file_with (pdf, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY);
  g_clear_error (&error);

  /* Blank lines only: no text either. */
  document = read_data ("blank.md", "\n \r\n\t\n", -1, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY);
}

static void
test_binary (Fixture       *f,
             gconstpointer  data)
{
  guint8 elf[512] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 64; i < sizeof elf; i += 7)
    elf[i] = i & 0xff;
  file = write_file (f, "a.txt", elf, sizeof elf);
  document = read_file_with (file, NULL, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, "a.txt"));
  g_clear_error (&error);

  /* No NUL, but control characters all through it. */
  document = read_data ("b.txt", "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x90\x91\x92\x93", -1, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_clear_error (&error);

  /* Valid UTF-8, but control characters all the same. */
  document = read_data ("c.txt", "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f hi", -1, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_clear_error (&error);

  /* A log with terminal colours and tabs is text. */
  document = read_data ("build.log", "\x1b[1mok\x1b[0m\tdone\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (page (document, 0), ==, "\x1b[1mok\x1b[0m\tdone\n");
}

static void
assert_text (const char *name,
             const char *data,
             gsize       len,
             const char *expected,
             const char *mime_type)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_bytes (bytes, name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (document->name, ==, name);
  g_assert_false (cria_document_is_paged (document));
  g_assert_cmpuint (cria_document_get_n_pages (document), ==, 1);
  g_assert_cmpuint (document->n_scanned_pages, ==, 0);
  g_assert_cmpstr (page (document, 0), ==, expected);
  g_assert_cmpstr (document->mime_type, ==, mime_type);
  g_assert_cmpstr (document->hash, ==, hash);
  g_assert_cmpint (document->size, ==, len);
}

#define ASSERT_TEXT(name, literal, expected, mime) \
  assert_text ((name), (literal), sizeof (literal) - 1, (expected), (mime))

static void
test_encodings (Fixture       *f,
                gconstpointer  data)
{
  ASSERT_TEXT ("plain.txt", "Grüße, 世界\n", "Grüße, 世界\n", "text/plain");
  ASSERT_TEXT ("bom.txt", "\xef\xbb\xbfH\xc3\xa4llo\n", "Hällo\n", "text/plain");
  /* "Hé€" and a character outside the BMP (a surrogate pair). */
  ASSERT_TEXT ("le.txt", "\xff\xfeH\0\xe9\0\xac\x20\x3d\xd8\x00\xde", "Hé€😀", "text/plain");
  ASSERT_TEXT ("be.txt", "\xfe\xff\0H\0\xe9\x20\xac\xd8\x3d\xde\x00", "Hé€😀", "text/plain");
  /* A lone surrogate and an odd last byte are marked, not fatal. */
  ASSERT_TEXT ("odd.txt", "\xff\xfe" "a\0\x00\xd8" "b\0c", "a\xef\xbf\xbd" "b\xef\xbf\xbd", "text/plain");
  ASSERT_TEXT ("latin1.txt", "caf\xe9 na\xefve\n", "café naïve\n", "text/plain");
  /* Windows-1252's euro sign and quotes; Latin-1 when a byte has no
   * character in Windows-1252. */
  ASSERT_TEXT ("cp1252.txt", "\x80 5 \x93quoted\x94", "€ 5 “quoted”", "text/plain");
  ASSERT_TEXT ("latin.txt", "\xe9\x81", "é\xc2\x81", "text/plain");
  ASSERT_TEXT ("crlf.txt", "one\r\ntwo\rthree\n", "one\ntwo\nthree\n", "text/plain");
  ASSERT_TEXT ("feed.txt", "a\fb", "a\nb", "text/plain");
}

static void
test_mime_types (Fixture       *f,
                 gconstpointer  data)
{
  ASSERT_TEXT ("README.md", "# Title\n", "# Title\n", "text/markdown");
  ASSERT_TEXT ("notes.markdown", "*hi*\n", "*hi*\n", "text/markdown");
  ASSERT_TEXT ("table.csv", "a,b\n1,2\n", "a,b\n1,2\n", "text/csv");
  ASSERT_TEXT ("table.tsv", "a\tb\n", "a\tb\n", "text/tab-separated-values");
  ASSERT_TEXT ("data.json", "{\"a\": 1}\n", "{\"a\": 1}\n", "application/json");
  ASSERT_TEXT ("notes.txt", "hello\n", "hello\n", "text/plain");
}

/* A name that is not UTF-8 is shown mended, never as it came. */
static void
test_invalid_name (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = read_data ("caf\xe9.txt", "hello", -1, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (document->name, -1, NULL));
  g_assert_true (g_str_has_suffix (document->name, ".txt"));

  g_clear_pointer (&document, cria_document_unref);
  document = read_data ("b\xff.txt", "\x7f" "ELF\0\0\0", 7, &error);
  g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
test_handles (void)
{
  g_autofree char *txt_type = g_content_type_from_mime_type ("text/plain");
  g_autofree char *pdf_type = g_content_type_from_mime_type ("application/pdf");
  g_autofree char *png_type = g_content_type_from_mime_type ("image/png");
  g_autofree char *svg_type = g_content_type_from_mime_type ("image/svg+xml");
  g_autofree char *zip_type = g_content_type_from_mime_type ("application/zip");
  g_autofree char *c_type = g_content_type_from_mime_type ("text/x-csrc");
  g_autofree char *json_type = g_content_type_from_mime_type ("application/json");
  const char *names[] = {
    "a.txt", "README.md", "x.markdown", "t.csv", "t.tsv", "d.json", "d.jsonl", "app.log",
    "f.xml", "c.yaml", "c.yml", "c.toml", "c.ini", "c.conf", "m.c", "m.h", "s.py", "s.js",
    "s.ts", "s.rs", "s.go", "S.java", "run.sh", "i.html", "s.css", "q.sql", "p.tex",
    "Report.PDF", "/home/me/paper.pdf", NULL
  };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_test_message ("%s", names[i]);
      g_assert_true (cria_document_reader_handles (NULL, names[i]));
    }

  g_assert_true (cria_document_reader_handles (txt_type, NULL));
  g_assert_true (cria_document_reader_handles (pdf_type, NULL));
  g_assert_true (cria_document_reader_handles (c_type, "noext"));
  g_assert_true (cria_document_reader_handles (json_type, NULL));
  g_assert_true (cria_document_reader_handles ("application/octet-stream", "notes.txt"));

  g_assert_false (cria_document_reader_handles (png_type, "photo.png"));
  g_assert_false (cria_document_reader_handles (svg_type, "drawing.svg"));
  /* An image, even named as text, is attached as an image. */
  g_assert_false (cria_document_reader_handles (png_type, "photo.txt"));
  g_assert_false (cria_document_reader_handles (NULL, "photo.jpg"));
  g_assert_false (cria_document_reader_handles (zip_type, "a.zip"));
  g_assert_false (cria_document_reader_handles ("application/octet-stream", "a.bin"));
  g_assert_false (cria_document_reader_handles (NULL, "noext"));
  g_assert_false (cria_document_reader_handles (NULL, NULL));
}

static void
test_prompt (void)
{
  const char *text_pages[] = { "A fence inside:\n````\ncode\n````\n", NULL };
  const char *pdf_pages[] = { "first", "", "third\n", NULL };
  g_autoptr(CriaDocument) text = cria_document_new ("notes.md", "text/markdown", "00", 10, text_pages, 0);
  g_autoptr(CriaDocument) pdf = cria_document_new ("paper.pdf", "application/pdf", "00", 10, pdf_pages, 1);
  g_autofree char *text_prompt = cria_document_to_prompt (text);
  g_autofree char *pdf_prompt = cria_document_to_prompt (pdf);
  g_autofree char *joined = cria_document_join_pages (pdf);
  g_autoptr(GPtrArray) split = cria_document_split_pages (joined);
  g_autoptr(GPtrArray) damaged = cria_document_split_pages ("a\r\nb\fc\xff");

  /* The fence is longer than the run of backticks inside, so the text
   * cannot close it. */
  g_assert_cmpstr (text_prompt, ==,
                   "Document \"notes.md\":\n\n"
                   "`````\n"
                   "A fence inside:\n````\ncode\n````\n"
                   "`````\n");
  g_assert_cmpstr (pdf_prompt, ==,
                   "Document \"paper.pdf\" (3 pages):\n\n"
                   "```\n"
                   "[Page 1]\nfirst\n"
                   "\n[Page 2]\n"
                   "\n[Page 3]\nthird\n"
                   "```\n");

  /* Pages survive joining and splitting, empty ones too. */
  g_assert_cmpstr (joined, ==, "first\f\fthird\n");
  g_assert_cmpuint (split->len, ==, 4);
  for (guint i = 0; pdf_pages[i] != NULL; i++)
    g_assert_cmpstr (g_ptr_array_index (split, i), ==, pdf_pages[i]);
  g_assert_null (g_ptr_array_index (split, 3));

  /* Damaged text read back comes out clean. */
  g_assert_cmpuint (damaged->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (damaged, 0), ==, "a\nb");
  g_assert_cmpstr (g_ptr_array_index (damaged, 1), ==, "c\xef\xbf\xbd");
}

/* Without its PDF module (a broken installation) Cria says it cannot read
 * PDFs, and still reads text. In a process of its own: the module is
 * loaded once. */
static void
test_pdf_module_missing (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) pdf = cria_test_make_pdf (1, 1, 0);
      g_autoptr(GBytes) text = g_bytes_new_static ("plain words\n", 12);
      g_autoptr(CriaDocument) document = NULL;
      g_autoptr(CriaDocument) plain = NULL;
      g_autoptr(GError) error = NULL;

      g_setenv ("CRIA_PDF_MODULE", "/nonexistent/libcria-pdf.so", TRUE);
      document = read_bytes (pdf, "a.pdf", &error);
      g_assert_null (document);
      g_assert_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "PDF reader is missing"));

      plain = read_bytes (text, "a.txt", NULL);
      g_assert_nonnull (plain);
      g_assert_nonnull (strstr (g_ptr_array_index (plain->pages, 0), "plain words"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  /* First, while the process is small: it checks its peak memory. */
  ADD ("/document-reader/too-large/sparse", test_too_large_sparse);
  ADD ("/document-reader/too-large/text", test_too_large_text);
  ADD ("/document-reader/pdf/pages", test_pdf_pages);
  ADD ("/document-reader/pdf/sniffed", test_pdf_sniffed);
  ADD ("/document-reader/pdf/scanned", test_pdf_scanned);
  ADD ("/document-reader/pdf/many-pages", test_pdf_many_pages);
  ADD ("/document-reader/pdf/cancelled", test_pdf_cancelled);
  ADD ("/document-reader/pdf/encrypted", test_pdf_encrypted);
  ADD ("/document-reader/pdf/truncated", test_pdf_truncated);
  ADD ("/document-reader/pdf/random", test_pdf_random);
  ADD ("/document-reader/not-found", test_not_found);
  ADD ("/document-reader/not-a-file", test_not_a_file);
  ADD ("/document-reader/text/empty", test_empty);
  ADD ("/document-reader/text/binary", test_binary);
  ADD ("/document-reader/text/encodings", test_encodings);
  ADD ("/document-reader/text/mime-types", test_mime_types);
  ADD ("/document-reader/text/invalid-name", test_invalid_name);
  g_test_add_func ("/document-reader/handles", test_handles);
  g_test_add_func ("/document-reader/pdf/module-missing", test_pdf_module_missing);
  g_test_add_func ("/document/prompt", test_prompt);

  return g_test_run ();
}

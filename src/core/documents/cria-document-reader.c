/* cria-document-reader.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading an attached file into a CriaDocument in a worker thread: the
 * bytes read under a size cap and hashed on the way, then told apart (PDF
 * or text) by their first bytes and handed to cria-document-pdf.c or
 * cria-document-text.c.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-document-reader.h"
#include "cria-document-reader-private.h"

#define READ_CHUNK (1024 * 1024)

/* Names of text-like files whose content type GIO may not know, or may take
 * for something else (".ts" is also a video format). */
static const char * const text_extensions[] = {
  "txt", "text", "md", "markdown", "rst", "adoc", "org", "csv", "tsv", "json", "jsonl", "ndjson",
  "log", "xml", "yaml", "yml", "toml", "ini", "cfg", "conf", "properties", "env",
  "c", "h", "cc", "cpp", "cxx", "hh", "hpp", "cs", "m", "py", "pyi", "js", "mjs", "cjs", "ts", "tsx",
  "jsx", "rs", "go", "java", "kt", "kts", "scala", "swift", "rb", "php", "pl", "lua", "r", "jl",
  "dart", "hs", "ml", "ex", "exs", "erl", "clj", "vala", "sh", "bash", "zsh", "fish", "ps1", "bat",
  "html", "htm", "css", "scss", "less", "vue", "svelte", "sql", "tex", "bib", "sty", "cls",
  "diff", "patch", "srt", "vtt", "gitignore", "dockerfile", "makefile", "cmake", "meson", "build",
  "gradle", "nix", "proto", "graphql", "gql", "glsl", "wgsl", "asm", "s",
  NULL
};

/* Content types that are text though GIO does not derive them from
 * text/plain. */
static const char * const text_types[] = {
  "application/json", "application/x-ndjson", "application/xml", "application/x-yaml",
  "application/toml", "application/javascript", "application/x-shellscript", "application/sql",
  "application/x-tex", "application/x-php", "application/x-perl", "application/x-ruby",
  NULL
};

static char *
lower_extension (const char *name)
{
  g_autofree char *base = NULL;
  const char *dot;

  if (name == NULL)
    return NULL;

  base = g_path_get_basename (name);
  dot = strrchr (base, '.');
  if (dot == NULL)
    /* "Makefile", "Dockerfile": the whole name is the kind. */
    return g_ascii_strdown (base, -1);

  return g_ascii_strdown (dot + 1, -1);
}

static gboolean
is_pdf_name (const char *name)
{
  g_autofree char *ext = lower_extension (name);

  return g_strcmp0 (ext, "pdf") == 0;
}

gboolean
cria_document_reader_handles (const char *content_type,
                              const char *name)
{
  g_autofree char *ext = lower_extension (name);
  g_autofree char *mime = NULL;

  if (content_type != NULL)
    mime = g_content_type_get_mime_type (content_type);

  /* Images are attached as images, never read as documents (an SVG is
   * XML, but a picture). */
  if (mime != NULL && g_str_has_prefix (mime, "image/"))
    return FALSE;

  if (ext != NULL && (g_str_equal (ext, "pdf") || g_strv_contains (text_extensions, ext)))
    return TRUE;

  if (mime == NULL)
    return FALSE;

  return g_str_equal (mime, "application/pdf") ||
         g_strv_contains (text_types, mime) ||
         g_content_type_is_a (content_type, "text/plain");
}

typedef struct
{
  GTask                    *task;
  GFile                    *file;
  GBytes                   *bytes;
  char                     *name;
  char                     *password;
  CriaDocumentProgressFunc  progress;
  gpointer                  progress_data;
  GMainContext             *context;
  /* Worker thread only. */
  double                    last_reported;
} CriaDocumentJob;

static void
job_free (CriaDocumentJob *job)
{
  g_clear_object (&job->file);
  g_clear_pointer (&job->bytes, g_bytes_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->name);
  if (job->password != NULL)
    {
      /* A password never lingers in freed memory. */
      memset (job->password, 0, strlen (job->password));
      g_free (job->password);
    }
  g_free (job);
}

typedef struct
{
  GTask  *task;
  double  fraction;
} ProgressReport;

static void
progress_report_free (ProgressReport *report)
{
  g_object_unref (report->task);
  g_free (report);
}

static gboolean
progress_report_cb (gpointer user_data)
{
  ProgressReport *report = user_data;
  CriaDocumentJob *job = g_task_get_task_data (report->task);

  if (!g_task_get_completed (report->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (report->task)))
    job->progress (report->fraction, job->progress_data);

  return G_SOURCE_REMOVE;
}

/* From the worker: sends the share done to the caller's context, at most
 * once per hundredth so a 5,000-page PDF does not flood the main loop. */
static void
job_progress (CriaDocumentJob *job,
              double           fraction)
{
  g_autoptr(GSource) source = NULL;
  ProgressReport *report;

  if (job->progress == NULL || (fraction < 1.0 && fraction - job->last_reported < 0.01))
    return;
  if (fraction >= 1.0 && job->last_reported >= 1.0)
    return;

  job->last_reported = fraction;
  report = g_new0 (ProgressReport, 1);
  report->task = g_object_ref (job->task);
  report->fraction = MIN (fraction, 1.0);
  /* An idle source, never g_main_context_invoke(): that would run the
   * callback right here, in the worker, whenever the caller's context is
   * free to acquire. Attached before the result, it runs before it. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_report_cb, report, (GDestroyNotify) progress_report_free);
  g_source_set_static_name (source, "[cria] document progress");
  g_source_attach (source, job->context);
}

static void
set_read_error (GError     **error,
                GError      *io_error,
                const char  *name)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_error_copy (io_error));
  else if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NOT_FOUND,
                 _("“%s” is no longer there."), name);
  else
    g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                 _("“%s” cannot be read: %s"), name, io_error->message);
}

static void
set_file_too_large (GError     **error,
                    const char  *name,
                    gsize        limit)
{
  g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
               _("“%s” is larger than %d MB."), name, (int) (limit / (1024 * 1024)));
}

/* The file's bytes, hashed on the way; refused by its size before anything
 * is read when it is too large for any document, and as soon as its first
 * bytes show it is no PDF when it is too large for a text file. */
static GBytes *
read_file (CriaDocumentJob  *job,
           GChecksum        *checksum,
           GError          **error)
{
  GCancellable *cancellable = g_task_get_cancellable (job->task);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean sniffed = FALSE;
  gsize limit = CRIA_DOCUMENT_MAX_FILE_SIZE;
  goffset size;

  info = g_file_query_info (job->file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (info == NULL)
    {
      set_read_error (error, local_error, job->name);
      return NULL;
    }

  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME))
    {
      g_free (job->name);
      job->name = g_utf8_make_valid (g_file_info_get_display_name (info), -1);
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY,
                   _("“%s” is a folder, not a document."), job->name);
      return NULL;
    }
  /* A pipe or a device could block the worker for ever or never end. */
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_SPECIAL)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY,
                   _("“%s” is not a document."), job->name);
      return NULL;
    }

  size = g_file_info_get_size (info);
  if (size > CRIA_DOCUMENT_MAX_FILE_SIZE)
    {
      set_file_too_large (error, job->name, CRIA_DOCUMENT_MAX_FILE_SIZE);
      return NULL;
    }

  stream = g_file_read (job->file, cancellable, &local_error);
  if (stream == NULL)
    {
      set_read_error (error, local_error, job->name);
      return NULL;
    }

  buffer = g_byte_array_sized_new (MAX (size, 0) + 1);
  for (;;)
    {
      gsize room = MIN ((gsize) READ_CHUNK, limit + 1 - buffer->len);
      gssize n;

      g_byte_array_set_size (buffer, buffer->len + room);
      n = g_input_stream_read (G_INPUT_STREAM (stream), buffer->data + buffer->len - room, room,
                               cancellable, &local_error);
      if (n < 0)
        {
          set_read_error (error, local_error, job->name);
          return NULL;
        }
      g_byte_array_set_size (buffer, buffer->len - room + n);
      g_checksum_update (checksum, buffer->data + buffer->len - n, n);

      if (!sniffed && (buffer->len >= 1024 || n == 0))
        {
          sniffed = TRUE;
          if (!_cria_document_looks_like_pdf (buffer->data, buffer->len))
            limit = CRIA_DOCUMENT_MAX_TEXT_FILE_SIZE;
        }

      /* The file grew while it was read, or is a text file too long for
       * its text to fit. */
      if (buffer->len > limit || (sniffed && size > 0 && (gsize) size > limit))
        {
          set_file_too_large (error, job->name, limit);
          return NULL;
        }

      if (n == 0)
        break;

      if (size > 0)
        job_progress (job, 0.1 * MIN (1.0, (double) buffer->len / size));
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buffer));
}

static const char *
text_mime_type (const char   *name,
                const guint8 *data,
                gsize         len)
{
  g_autofree char *ext = lower_extension (name);
  g_autofree char *guessed = NULL;
  g_autofree char *mime = NULL;

  if (g_strcmp0 (ext, "md") == 0 || g_strcmp0 (ext, "markdown") == 0)
    return "text/markdown";
  if (g_strcmp0 (ext, "csv") == 0)
    return "text/csv";
  if (g_strcmp0 (ext, "tsv") == 0)
    return "text/tab-separated-values";
  if (g_strcmp0 (ext, "json") == 0)
    return "application/json";

  guessed = g_content_type_guess (name, data, MIN (len, 4096), NULL);
  mime = guessed != NULL ? g_content_type_get_mime_type (guessed) : NULL;
  if (mime != NULL && g_str_has_prefix (mime, "text/") && strlen (mime) < 64)
    return g_intern_string (mime);

  return "text/plain";
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static CriaDocument *
read_text (CriaDocumentJob  *job,
           GBytes           *bytes,
           const char       *hash,
           GError          **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree char *decoded = NULL;
  g_autofree char *clean = NULL;
  const char *pages[2] = { NULL, NULL };
  gsize decoded_len = 0;

  decoded = _cria_document_decode_text (data, len, job->name, g_task_get_cancellable (job->task),
                                        &decoded_len, error);
  if (decoded == NULL)
    return NULL;

  job_progress (job, 0.6);
  clean = cria_document_clean_page_text (decoded, decoded_len);
  g_clear_pointer (&decoded, g_free);
  if (is_blank (clean))
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY,
                   _("“%s” has no text."), job->name);
      return NULL;
    }

  pages[0] = clean;
  return cria_document_new (job->name, text_mime_type (job->name, data, len), hash, len, pages, 0);
}

/* Reading the file was the first tenth. */
static void
page_done_cb (guint    done,
              guint    total,
              gpointer user_data)
{
  job_progress (user_data, 0.1 + 0.9 * done / total);
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  CriaDocumentJob *job = task_data;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  CriaDocument *document = NULL;
  const guint8 *data;
  gsize len = 0;

  if (job->file != NULL)
    {
      bytes = read_file (job, checksum, &error);
      if (bytes == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      bytes = g_bytes_ref (job->bytes);
      data = g_bytes_get_data (bytes, &len);
      if (len > CRIA_DOCUMENT_MAX_FILE_SIZE)
        {
          set_file_too_large (&error, job->name, CRIA_DOCUMENT_MAX_FILE_SIZE);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      for (gsize done = 0; done < len; done += READ_CHUNK)
        {
          if (g_task_return_error_if_cancelled (task))
            return;
          g_checksum_update (checksum, data + done, MIN ((gsize) READ_CHUNK, len - done));
        }
    }

  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_task_return_new_error (task, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY,
                               _("“%s” is empty."), job->name);
      return;
    }

  if (_cria_document_looks_like_pdf (data, len) || is_pdf_name (job->name))
    {
      g_autoptr(GPtrArray) pages = NULL;
      guint n_scanned = 0;

      pages = _cria_document_read_pdf (bytes, job->name, job->password, cancellable,
                                       page_done_cb, job, &n_scanned, &error);
      if (pages != NULL)
        document = cria_document_new (job->name, "application/pdf", g_checksum_get_string (checksum),
                                      len, (const char * const *) pages->pdata, n_scanned);
    }
  else
    document = read_text (job, bytes, g_checksum_get_string (checksum), &error);

  if (document == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  job_progress (job, 1.0);
  g_task_return_pointer (task, document, (GDestroyNotify) cria_document_unref);
}

static void
start (CriaDocumentJob     *job,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  job->task = task;
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "cria-document-read");
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, read_thread);
}

static CriaDocumentJob *
job_new (const char               *password,
         CriaDocumentProgressFunc  progress,
         gpointer                  progress_data)
{
  CriaDocumentJob *job = g_new0 (CriaDocumentJob, 1);

  job->password = g_strdup (password);
  job->progress = progress;
  job->progress_data = progress_data;
  job->context = g_main_context_ref_thread_default ();
  job->last_reported = -1;

  return job;
}

void
cria_document_read_file_async (GFile                    *file,
                               const char               *password,
                               GCancellable             *cancellable,
                               CriaDocumentProgressFunc  progress,
                               gpointer                  progress_data,
                               GAsyncReadyCallback       callback,
                               gpointer                  user_data)
{
  CriaDocumentJob *job;
  g_autofree char *basename = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new (password, progress, progress_data);
  job->file = g_object_ref (file);
  /* Until the file's display name is known: for messages about a file that
   * cannot even be asked for it. */
  basename = g_file_get_basename (file);
  job->name = basename != NULL ? g_filename_display_name (basename) : g_strdup ("?");
  start (job, cria_document_read_file_async, cancellable, callback, user_data);
}

/**
 * cria_document_read_file_finish:
 *
 * Returns: (transfer full): the document, or %NULL with the error set
 */
CriaDocument *
cria_document_read_file_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_document_read_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cria_document_read_bytes_async (GBytes                   *bytes,
                                const char               *name,
                                const char               *password,
                                GCancellable             *cancellable,
                                CriaDocumentProgressFunc  progress,
                                gpointer                  progress_data,
                                GAsyncReadyCallback       callback,
                                gpointer                  user_data)
{
  CriaDocumentJob *job;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  job = job_new (password, progress, progress_data);
  job->bytes = g_bytes_ref (bytes);
  job->name = g_utf8_make_valid (name, -1);
  start (job, cria_document_read_bytes_async, cancellable, callback, user_data);
}

/**
 * cria_document_read_bytes_finish:
 *
 * Returns: (transfer full): the document, or %NULL with the error set
 */
CriaDocument *
cria_document_read_bytes_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_document_read_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* cria-document-pdf.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PDF's text, page by page, through poppler-glib.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "cria-document-reader-private.h"

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

/* Whether @data ends the way a whole PDF does: "%%EOF" in its last KiB
 * (where Acrobat, too, wants it). A file cut short (a download or copy
 * that did not finish) lacks it, and poppler would otherwise piece
 * together whatever pages it finds. */
static gboolean
has_end_marker (const guint8 *data,
                gsize         len)
{
  gsize start = len > 1024 ? len - 1024 : 0;

  if (len < 5)
    return FALSE;

  for (gsize i = len - 5; ; i--)
    {
      if (memcmp (data + i, "%%EOF", 5) == 0)
        return TRUE;
      if (i == start)
        return FALSE;
    }
}

/* Opens @bytes with poppler, the error poppler's own. Not
 * poppler_document_new_from_bytes() with a password: in poppler 22.12
 * (Debian 12) it crashes when the password is wrong, as it retries with a
 * copy of its stream cast to the wrong type. Its stream path copies the
 * stream right. */
PopplerDocument *
_cria_document_poppler_open (GBytes      *bytes,
                             const char  *password,
                             GError     **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (password == NULL)
    return poppler_document_new_from_bytes (bytes, NULL, error);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  return poppler_document_new_from_stream (stream, g_bytes_get_size (bytes), password, NULL, error);
}

static PopplerDocument *
open_document (GBytes      *bytes,
               const char  *name,
               const char  *password,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (!_cria_document_looks_like_pdf (data, len) || !has_end_marker (data, len))
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                   _("“%s” is damaged or incomplete and cannot be read."), name);
      return NULL;
    }

  document = _cria_document_poppler_open (bytes, password, &local_error);
  if (document != NULL)
    return document;

  if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
    {
      if (password == NULL || *password == '\0')
        g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD,
                     _("“%s” is protected by a password."), name);
      else
        g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_WRONG_PASSWORD,
                     _("The password does not open “%s”."), name);
    }
  else
    g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                 _("“%s” is damaged or incomplete and cannot be read."), name);

  return NULL;
}

/* The pages of an open document, or %NULL with the error set. */
static GPtrArray *
read_pages (PopplerDocument       *document,
            const char            *name,
            GCancellable          *cancellable,
            CriaDocumentPageFunc   page_done,
            gpointer               user_data,
            guint                 *n_scanned,
            GError               **error)
{
  g_autoptr(GPtrArray) pages = NULL;
  gsize total = 0;
  int n_pages;

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages > CRIA_DOCUMENT_MAX_PAGES)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” has more than %d pages."), name, CRIA_DOCUMENT_MAX_PAGES);
      return NULL;
    }
  if (n_pages <= 0)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_EMPTY,
                   _("“%s” has no pages."), name);
      return NULL;
    }

  *n_scanned = 0;
  pages = g_ptr_array_new_full (n_pages + 1, g_free);
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page;
      g_autofree char *text = NULL;
      char *clean;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      page = poppler_document_get_page (document, i);
      if (page != NULL)
        {
          text = poppler_page_get_text (page);
          g_object_unref (page);
        }

      if (text == NULL || is_blank (text))
        {
          /* No text layer: a scan, or a page of pictures only. */
          (*n_scanned)++;
          clean = g_strdup ("");
        }
      else
        clean = cria_document_clean_page_text (text, -1);

      total += strlen (clean);
      g_ptr_array_add (pages, clean);
      if (total > CRIA_DOCUMENT_MAX_TEXT_SIZE)
        {
          g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
                       _("“%s” holds more than %d MB of text."),
                       name, CRIA_DOCUMENT_MAX_TEXT_SIZE / (1024 * 1024));
          return NULL;
        }

      if (page_done != NULL)
        page_done (i + 1, n_pages, user_data);
    }
  g_ptr_array_add (pages, NULL);

  return g_steal_pointer (&pages);
}

GPtrArray *
_cria_document_read_pdf (GBytes                *bytes,
                         const char            *name,
                         const char            *password,
                         GCancellable          *cancellable,
                         CriaDocumentPageFunc   page_done,
                         gpointer               user_data,
                         guint                 *n_scanned,
                         GError               **error)
{
  PopplerDocument *document;
  GPtrArray *pages;

  g_assert (bytes != NULL);
  g_assert (n_scanned != NULL);

  document = open_document (bytes, name, password, error);
  if (document == NULL)
    return NULL;

  pages = read_pages (document, name, cancellable, page_done, user_data, n_scanned, error);
  g_object_unref (document);

  return pages;
}

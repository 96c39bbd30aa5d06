/* cria-pdf-backend.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF module: a PDF's text page by page, and a page as a picture,
 * through poppler-glib. Built as libcria-pdf and loaded by the documents
 * library the first time a PDF is read (cria-pdf-module.h says why). It
 * uses no symbol of Cria's: CriaPdfHost brings what it needs.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <poppler.h>

#include "cria-pdf-module.h"

/* The error codes of CriaDocumentError, whose domain comes from the host. */
#include "cria-document.h"
#undef CRIA_DOCUMENT_ERROR
#define CRIA_DOCUMENT_ERROR (host->error_domain)

/* The size limits of a rendered page (cria-document-render.h). */
#include "cria-document-render.h"

G_MODULE_EXPORT const CriaPdfBackend *cria_pdf_module_get_backend (void);

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
static PopplerDocument *
poppler_open (GBytes      *bytes,
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
open_document (const CriaPdfHost *host,
               GBytes      *bytes,
               const char  *name,
               const char  *password,
               GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (!host->looks_like_pdf (data, len) || !has_end_marker (data, len))
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                   _("“%s” is damaged or incomplete and cannot be read."), name);
      return NULL;
    }

  document = poppler_open (bytes, password, &local_error);
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
read_pages (const CriaPdfHost     *host,
            PopplerDocument       *document,
            const char            *name,
            GCancellable          *cancellable,
            CriaPdfPageFunc        page_done,
            gpointer               user_data,
            guint                 *n_scanned,
            GError               **error)
{
  g_autoptr(GPtrArray) pages = NULL;
  gsize total = 0;
  int n_pages;

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages > host->max_pages)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
                   _("“%s” has more than %d pages."), name, host->max_pages);
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
        clean = host->clean_page_text (text, -1);

      total += strlen (clean);
      g_ptr_array_add (pages, clean);
      if (total > host->max_text_size)
        {
          g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
                       _("“%s” holds more than %d MB of text."),
                       name, (int) (host->max_text_size / (1024 * 1024)));
          return NULL;
        }

      if (page_done != NULL)
        page_done (i + 1, n_pages, user_data);
    }
  g_ptr_array_add (pages, NULL);

  return g_steal_pointer (&pages);
}

static cairo_status_t
write_png_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);

  return CAIRO_STATUS_SUCCESS;
}

static void
open_error (const CriaPdfHost *host,
            const GError  *poppler_error,
            const char    *password,
            GError       **error)
{
  if (g_error_matches (poppler_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
    {
      if (password == NULL || *password == '\0')
        g_set_error_literal (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD,
                             _("The pages of this PDF cannot be shown without its password."));
      else
        g_set_error_literal (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_WRONG_PASSWORD,
                             _("The pages of this PDF cannot be shown: the password does not open it."));
      return;
    }

  g_set_error_literal (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                       _("The pages of this PDF cannot be shown: the file is damaged."));
}

static GBytes *
render_document_page (const CriaPdfHost *host,
                      PopplerPage       *page,
                      guint              page_index,
                      int                max_side,
                      GError           **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width_pt = 0;
  double height_pt = 0;
  double scale;
  int width;
  int height;

  if (page != NULL)
    poppler_page_get_size (page, &width_pt, &height_pt);
  /* A damaged page box can be zero, negative, NaN or absurd. */
  if (page == NULL || !isfinite (width_pt) || !isfinite (height_pt)
      || width_pt < 1.0 || height_pt < 1.0 || width_pt > 1e6 || height_pt > 1e6)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                   _("Page %u of the PDF is damaged and cannot be shown."), page_index + 1);
      return NULL;
    }

  max_side = CLAMP (max_side, CRIA_DOCUMENT_RENDER_MIN_SIDE, CRIA_DOCUMENT_RENDER_MAX_SIDE);
  scale = max_side / MAX (width_pt, height_pt);
  if (width_pt >= height_pt)
    {
      width = max_side;
      height = CLAMP ((int) lround (height_pt * scale), 1, max_side);
    }
  else
    {
      height = max_side;
      width = CLAMP ((int) lround (width_pt * scale), 1, max_side);
    }

  /* RGB without alpha on white: a scan with no background of its own
   * must not come out black, and the PNG is smaller. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                   _("There is not enough memory to show page %u of the PDF."), page_index + 1);
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_paint (cr);
  cairo_scale (cr, width / width_pt, height / height_pt);
  poppler_page_render_for_printing (page, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  png = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, write_png_cb, png);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                   _("Page %u of the PDF could not be made a picture (%s)."),
                   page_index + 1, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* poppler-glib 22.02 has no g_autoptr cleanups: the document and the page
 * are released here. */
static GBytes *
render_page (const CriaPdfHost  *host,
             GBytes             *pdf,
             const char         *password,
             guint               page_index,
             int                 max_side,
             GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  GBytes *png;

  document = poppler_open (pdf, password, &local_error);
  if (document == NULL)
    {
      open_error (host, local_error, password, error);
      return NULL;
    }

  if ((int) page_index >= poppler_document_get_n_pages (document))
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                   _("The PDF has no page %u."), page_index + 1);
      g_object_unref (document);
      return NULL;
    }

  page = poppler_document_get_page (document, page_index);
  png = render_document_page (host, page, page_index, max_side, error);
  g_clear_object (&page);
  g_object_unref (document);

  return png;
}

static GPtrArray *
read_pdf (const CriaPdfHost *host,
          GBytes            *bytes,
          const char        *name,
          const char        *password,
          GCancellable      *cancellable,
          CriaPdfPageFunc    page_done,
          gpointer           user_data,
          guint             *n_scanned,
          GError           **error)
{
  PopplerDocument *document;
  GPtrArray *pages;

  document = open_document (host, bytes, name, password, error);
  if (document == NULL)
    return NULL;

  pages = read_pages (host, document, name, cancellable, page_done, user_data, n_scanned, error);
  g_object_unref (document);

  return pages;
}

static const CriaPdfBackend backend = {
  .abi = CRIA_PDF_MODULE_ABI,
  .read = read_pdf,
  .render = render_page,
};

const CriaPdfBackend *
cria_pdf_module_get_backend (void)
{
  return &backend;
}

/* cria-document-render.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PDF page as a picture, for a vision model to read when the page has no
 * text layer. Each render opens the document afresh in its worker thread:
 * a PopplerDocument is not shared between threads.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <glib/gi18n-lib.h>
#include <poppler.h>

#include "cria-document-reader-private.h"
#include "cria-document-render.h"

typedef struct
{
  GBytes *pdf;
  char   *password;
  guint   page;
  int     max_side;
} RenderData;

static void
render_data_free (RenderData *data)
{
  g_clear_pointer (&data->pdf, g_bytes_unref);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data);
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
open_error (const GError  *poppler_error,
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
render_document_page (PopplerPage       *page,
                      const RenderData  *data,
                      GError           **error)
{
  g_autoptr(GByteArray) png = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width_pt = 0;
  double height_pt = 0;
  double scale;
  int max_side;
  int width;
  int height;

  if (page != NULL)
    poppler_page_get_size (page, &width_pt, &height_pt);
  /* A damaged page box can be zero, negative, NaN or absurd. */
  if (page == NULL || !isfinite (width_pt) || !isfinite (height_pt)
      || width_pt < 1.0 || height_pt < 1.0 || width_pt > 1e6 || height_pt > 1e6)
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_CORRUPT,
                   _("Page %u of the PDF is damaged and cannot be shown."), data->page + 1);
      return NULL;
    }

  max_side = CLAMP (data->max_side, CRIA_DOCUMENT_RENDER_MIN_SIDE, CRIA_DOCUMENT_RENDER_MAX_SIDE);
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
                   _("There is not enough memory to show page %u of the PDF."), data->page + 1);
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
                   data->page + 1, cairo_status_to_string (status));
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* poppler-glib 22.02 has no g_autoptr cleanups: the document and the page
 * are released here. */
static GBytes *
render_page (const RenderData  *data,
             GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  GBytes *png;

  document = _cria_document_poppler_open (data->pdf, data->password, &local_error);
  if (document == NULL)
    {
      open_error (local_error, data->password, error);
      return NULL;
    }

  if ((int) data->page >= poppler_document_get_n_pages (document))
    {
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                   _("The PDF has no page %u."), data->page + 1);
      g_object_unref (document);
      return NULL;
    }

  page = poppler_document_get_page (document, data->page);
  png = render_document_page (page, data, error);
  g_clear_object (&page);
  g_object_unref (document);

  return png;
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GBytes *png;

  if (g_task_return_error_if_cancelled (task))
    return;

  png = render_page (task_data, &error);
  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

void
cria_document_render_page_async (GBytes              *pdf,
                                 const char          *password,
                                 guint                page,
                                 int                  max_side,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  g_return_if_fail (pdf != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_document_render_page_async);
  /* A page that was cancelled returns G_IO_ERROR_CANCELLED, not a picture. */
  g_task_set_return_on_cancel (task, TRUE);

  data = g_new0 (RenderData, 1);
  data->pdf = g_bytes_ref (pdf);
  data->password = g_strdup (password);
  data->page = page;
  data->max_side = max_side;
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);

  g_task_run_in_thread (task, render_thread);
}

GBytes *
cria_document_render_page_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_document_render_page_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

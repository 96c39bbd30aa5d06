/* cria-document-render.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PDF page as a picture, for a vision model to read when the page has no
 * text layer. Each render opens the document afresh in its worker thread
 * (in the PDF module, cria-pdf-backend.c): a PopplerDocument is not shared
 * between threads.
 */

#include "config.h"

#include <string.h>

#include "cria-document-render.h"
#include "cria-pdf-module.h"

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

/* In the worker: the module loaded if need be, then the page drawn. */
static GBytes *
render_page (const RenderData  *data,
             GError           **error)
{
  const CriaPdfHost *host = NULL;
  const CriaPdfBackend *backend = _cria_pdf_backend_get (&host, error);

  if (backend == NULL)
    return NULL;
  return backend->render (host, data->pdf, data->password, data->page,
                          CLAMP (data->max_side, CRIA_DOCUMENT_RENDER_MIN_SIDE, CRIA_DOCUMENT_RENDER_MAX_SIDE),
                          error);
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

/* cria-image-texture.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-image-preparer.h"
#include "cria-image-texture.h"

typedef struct
{
  GBytes *encoded;
  char   *data_url;
  int     max_side;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->encoded, g_bytes_unref);
  g_free (data->data_url);
  g_free (data);
}

static GBytes *
decode_data_url (const char *url)
{
  const char *comma = strchr (url, ',');
  guchar *decoded;
  gsize len = 0;

  if (!g_str_has_prefix (url, "data:") || comma == NULL || comma - url < 7 ||
      memcmp (comma - 7, ";base64", 7) != 0)
    return NULL;

  decoded = g_base64_decode (comma + 1, &len);

  return g_bytes_new_take (decoded, len);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr(GBytes) bytes = data->encoded != NULL ? g_bytes_ref (data->encoded) : decode_data_url (data->data_url);
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GError) error = NULL;
  int width, height, longest;

  if (bytes == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The image is not a data URL."));
      return;
    }

  /* Only the formats an attachment may have, decoded at the size shown: a
   * data URL from history or from a server is as untrusted as a file. */
  pixbuf = cria_image_decode (bytes, data->max_side, cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  width = gdk_pixbuf_get_width (pixbuf);
  height = gdk_pixbuf_get_height (pixbuf);
  longest = MAX (width, height);
  if (longest > data->max_side)
    {
      double scale = (double) data->max_side / longest;

      scaled = gdk_pixbuf_scale_simple (pixbuf, MAX (1, (int) (width * scale)), MAX (1, (int) (height * scale)),
                                        GDK_INTERP_BILINEAR);
    }
  else
    scaled = g_object_ref (pixbuf);
  if (scaled == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                               _("There is not enough memory to open this image. Close other programs, or make the image smaller."));
      return;
    }

  pixels = gdk_pixbuf_read_pixel_bytes (scaled);
  g_task_return_pointer (task,
                         gdk_memory_texture_new (gdk_pixbuf_get_width (scaled),
                                                 gdk_pixbuf_get_height (scaled),
                                                 gdk_pixbuf_get_has_alpha (scaled) ? GDK_MEMORY_R8G8B8A8
                                                                                   : GDK_MEMORY_R8G8B8,
                                                 pixels,
                                                 gdk_pixbuf_get_rowstride (scaled)),
                         g_object_unref);
}

void
cria_image_texture_load_async (GBytes              *encoded,
                               const char          *data_url,
                               int                  max_side,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (encoded != NULL || data_url != NULL);

  data = g_new0 (LoadData, 1);
  data->encoded = encoded != NULL ? g_bytes_ref (encoded) : NULL;
  data->data_url = g_strdup (data_url);
  data->max_side = max_side;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_image_texture_load_async);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

GdkTexture *
cria_image_texture_load_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

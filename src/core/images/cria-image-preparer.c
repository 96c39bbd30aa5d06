/* cria-image-preparer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "cria-image-preparer.h"
#include "cria-image-preparer-private.h"

#define READ_CHUNK (64 * 1024)
/* The bytes kept from the end of the data, where a JPEG's or a PNG's end
 * marker must be. */
#define TAIL_SIZE 4096
/* The start of the data, searched for metadata blocks. */
#define HEAD_SIZE (256 * 1024)
/* Formats whose loader cannot decode at a reduced size are decoded whole:
 * above this many pixels (about 200 MB in memory) they are refused. */
#define MAX_FULL_DECODE_PIXELS CRIA_IMAGE_MAX_PIXELS
/* Enough of the start to tell the formats apart (WebP's is the longest). */
#define SNIFF_SIZE 12
#define THUMBNAIL_SIDE 160
/* Fewer distinct colours than this after scaling: a screenshot, a diagram or
 * line art, which PNG keeps sharp and small. */
#define FEW_COLOURS 1024
#define JPEG_QUALITY "90"

G_DEFINE_QUARK (cria-image-error-quark, cria_image_error)

G_DEFINE_BOXED_TYPE (CriaPreparedImage, cria_prepared_image,
                     cria_prepared_image_ref, cria_prepared_image_unref)

CriaPreparedImage *
cria_prepared_image_ref (CriaPreparedImage *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  return g_atomic_rc_box_acquire (image);
}

static void
prepared_image_clear (CriaPreparedImage *image)
{
  g_free (image->data_url);
  g_free (image->mime_type);
  g_clear_pointer (&image->encoded, g_bytes_unref);
  g_clear_pointer (&image->thumbnail, g_bytes_unref);
}

void
cria_prepared_image_unref (CriaPreparedImage *image)
{
  g_return_if_fail (image != NULL);

  g_atomic_rc_box_release_full (image, (GDestroyNotify) prepared_image_clear);
}

typedef struct
{
  GFile                 *file;
  GBytes                *bytes;
  GBytes                *pixels;
  int                    stride;
  char                  *name;
  int                    max_side;
  CriaImageProgressFunc  progress;
  gpointer               progress_data;
  GMainContext          *context;
  /* Worker thread only. */
  double                 last_reported;
  int                    source_width;
  int                    source_height;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_clear_object (&data->file);
  g_clear_pointer (&data->bytes, g_bytes_unref);
  g_clear_pointer (&data->pixels, g_bytes_unref);
  g_clear_pointer (&data->context, g_main_context_unref);
  g_free (data->name);
  g_free (data);
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
  PrepareData *data = g_task_get_task_data (report->task);

  if (!g_task_get_completed (report->task) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (report->task)))
    data->progress (report->fraction, data->progress_data);

  return G_SOURCE_REMOVE;
}

/* From the worker: sends the share done to the caller's context, at most
 * once per hundredth so a fast load does not flood the main loop. */
static void
report_progress (GTask  *task,
                 double  fraction)
{
  PrepareData *data = g_task_get_task_data (task);
  g_autoptr(GSource) source = NULL;
  ProgressReport *report;

  if (data->progress == NULL || (fraction < 1.0 && fraction - data->last_reported < 0.01))
    return;

  data->last_reported = fraction;
  report = g_new0 (ProgressReport, 1);
  report->task = g_object_ref (task);
  report->fraction = fraction;
  /* An idle source, never g_main_context_invoke(): that would run the
   * callback right here, in the worker, whenever the caller's context is
   * free to acquire. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, progress_report_cb, report, (GDestroyNotify) progress_report_free);
  g_source_set_static_name (source, "[cria] image progress");
  g_source_attach (source, data->context);
}

/* The bytes handed to pixbuf loaders since the process started, so tests can
 * check that work is bounded by what is shown rather than by the input. */
static gsize bytes_decoded;

gsize
_cria_image_get_bytes_decoded (void)
{
  return g_atomic_pointer_get (&bytes_decoded);
}

typedef struct
{
  GdkPixbufLoader *loader;
  const char      *format;
  CriaGifCut       gif;
  /* All the loader needs has been given: the rest of the data is not read. */
  gboolean         complete;
  int              max_side;
  int              source_width;
  int              source_height;
  gboolean         too_large;
  gboolean         closed;
} Decoder;

static void decoder_size_prepared_cb (GdkPixbufLoader *loader,
                                      int              width,
                                      int              height,
                                      Decoder         *decoder);

/* A loader for the format the bytes say, never one picked by a guess: the
 * formats that render at any size asked (SVG) or carry many images (ICO,
 * TIFF) never start. */
static gboolean
decoder_start (Decoder       *decoder,
               const guint8  *head,
               gsize          len,
               GError       **error)
{
  decoder->format = cria_image_sniff (head, len);
  if (decoder->format == NULL)
    return FALSE;

  decoder->loader = gdk_pixbuf_loader_new_with_type (decoder->format, error);
  if (decoder->loader == NULL)
    return FALSE;

  cria_gif_cut_init (&decoder->gif);
  g_signal_connect (decoder->loader, "size-prepared", G_CALLBACK (decoder_size_prepared_cb), decoder);
  return TRUE;
}

static gboolean
decoder_write (Decoder       *decoder,
               const guint8  *data,
               gsize          len,
               GError       **error)
{
  if (decoder->complete || decoder->too_large)
    return TRUE;

  /* Only a GIF's first frame is shown: the frames after it, however many,
   * are never given to the loader, which would decode them all. */
  if (g_str_equal (decoder->format, "gif"))
    {
      len = cria_gif_cut_feed (&decoder->gif, data, len);
      if (cria_gif_cut_done (&decoder->gif) && !decoder->gif.broken)
        decoder->complete = TRUE;
    }

  if (len > 0)
    {
      g_atomic_pointer_add (&bytes_decoded, (gssize) len);
      if (!gdk_pixbuf_loader_write (decoder->loader, data, len, error))
        return FALSE;
    }

  if (decoder->complete && !decoder->gif.ended)
    return gdk_pixbuf_loader_write (decoder->loader, (const guint8 *) ";", 1, error);

  return TRUE;
}

static gboolean
decoder_close (Decoder  *decoder,
               GError  **error)
{
  if (decoder->closed)
    return TRUE;
  decoder->closed = TRUE;
  return gdk_pixbuf_loader_close (decoder->loader, error);
}

static void
decoder_clear (Decoder *decoder)
{
  if (decoder->loader != NULL)
    decoder_close (decoder, NULL);
  g_clear_object (&decoder->loader);
}

static gboolean
format_scales_while_decoding (GdkPixbufFormat *format)
{
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  /* libjpeg scales in the DCT (1/2, 1/4, 1/8); libwebp and librsvg render
   * at the size asked for. The others decode every pixel first. */
  return g_strcmp0 (name, "jpeg") == 0 || g_strcmp0 (name, "webp") == 0 || g_strcmp0 (name, "svg") == 0;
}

static void
decoder_size_prepared_cb (GdkPixbufLoader *loader,
                          int              width,
                          int              height,
                          Decoder         *decoder)
{
  int longest = MAX (width, height);

  decoder->source_width = width;
  decoder->source_height = height;

  if (!format_scales_while_decoding (gdk_pixbuf_loader_get_format (loader)) &&
      (gint64) width * height > MAX_FULL_DECODE_PIXELS)
    {
      /* A zero size makes the PNG and JPEG loaders stop before they
       * allocate anything; the data fed after is ignored. */
      decoder->too_large = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  if (longest > decoder->max_side)
    {
      double scale = (double) decoder->max_side / longest;

      gdk_pixbuf_loader_set_size (loader,
                                  MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)));
    }
}

static gboolean
memory_contains (const guint8 *data,
                 gsize         len,
                 const char   *needle,
                 gsize         needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    {
      const guint8 *hit = memchr (data + i, needle[0], len - needle_len + 1 - i);

      if (hit == NULL)
        return FALSE;
      i = hit - data;
      if (memcmp (hit, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* Whether the source carries blocks that re-encoding drops: EXIF (camera,
 * serial numbers, GPS), XMP, PNG text and EXIF chunks. */
static gboolean
has_metadata (const guint8 *head,
              gsize         len)
{
  return memory_contains (head, len, "Exif\0\0", 6) ||
         memory_contains (head, len, "http://ns.adobe.com/xap/", 24) ||
         memory_contains (head, len, "tEXt", 4) ||
         memory_contains (head, len, "iTXt", 4) ||
         memory_contains (head, len, "zTXt", 4) ||
         memory_contains (head, len, "eXIf", 4);
}

/* A JPEG ends with an EOI marker and a PNG with an IEND chunk; the loaders
 * accept data cut short and fill the rest with grey. */
static gboolean
looks_truncated (GdkPixbufFormat *format,
                 const guint8    *tail,
                 gsize            len)
{
  g_autofree char *name = format != NULL ? gdk_pixbuf_format_get_name (format) : NULL;

  if (g_strcmp0 (name, "jpeg") == 0)
    return !memory_contains (tail, len, "\xff\xd9", 2);
  if (g_strcmp0 (name, "png") == 0)
    return !memory_contains (tail, len, "IEND", 4);

  return FALSE;
}

/* "image/heif" → "HEIF", "image/x-canon-cr2" → "CANON-CR2", "image/svg+xml"
 * → "SVG". Not g_content_type_get_description(): in GLib 2.74 a
 * content-type guess after it leaks the MIME database's lookup buffers. */
static char *
image_format_name (const char *mime)
{
  const char *subtype = strchr (mime, '/') + 1;
  const char *plus;

  if (g_str_equal (subtype, "vnd.microsoft.icon"))
    return g_strdup ("ICO");
  if (g_str_has_prefix (subtype, "x-"))
    subtype += 2;
  plus = strchr (subtype, '+');

  return g_ascii_strup (subtype, plus != NULL ? plus - subtype : -1);
}

static void
set_unreadable_error (GError       **error,
                      gboolean       not_promised,
                      const char    *name,
                      const guint8  *head,
                      gsize          len)
{
  gboolean uncertain = FALSE;
  /* The bytes say what the file is; its name only when they cannot. */
  g_autofree char *type = g_content_type_guess (NULL, head, len, &uncertain);
  g_autofree char *mime = NULL;

  if (uncertain && name != NULL)
    {
      g_free (type);
      type = g_content_type_guess (name, head, len, NULL);
    }
  mime = g_content_type_get_mime_type (type);

  if (mime != NULL && g_str_has_prefix (mime, "image/"))
    {
      g_autofree char *format = image_format_name (mime);

      if (not_promised)
        g_set_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_UNSUPPORTED,
                     _("Cria does not open %s images. Attach a JPEG, PNG, WebP, GIF or BMP image instead."),
                     format);
      else
        g_set_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_UNSUPPORTED,
                     _("This kind of image (%s) cannot be opened on this system. Convert it to JPEG or PNG and attach it again."),
                     format);
    }
  else
    g_set_error_literal (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_IMAGE,
                         _("This is not an image. Attach a JPEG, PNG, WebP, GIF or BMP file."));
}

/* Pixel buffers come from outside (a file's stated size, a pasted picture):
 * each one may fail to be allocated, and that is a message, not a crash. */
static void
set_out_of_memory_error (GError **error)
{
  g_set_error_literal (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_TOO_LARGE,
                       _("There is not enough memory to open this image. Close other programs, or make the image smaller."));
}

static gboolean
uses_transparency (GdkPixbuf *pixbuf)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);

  if (!gdk_pixbuf_get_has_alpha (pixbuf) || gdk_pixbuf_get_n_channels (pixbuf) != 4)
    return FALSE;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (pixels[y * rowstride + x * 4 + 3] != 0xff)
        return TRUE;

  return FALSE;
}

/* Screenshots and drawings have few distinct colours; photos have many. */
static gboolean
has_few_colours (GdkPixbuf *pixbuf)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint8 *p = pixels + y * rowstride + x * n_channels;
        guint rgb = (guint) p[0] << 16 | (guint) p[1] << 8 | p[2];

        g_hash_table_add (colours, GUINT_TO_POINTER (rgb + 1));
        if (g_hash_table_size (colours) >= FEW_COLOURS)
          return FALSE;
      }

  return TRUE;
}

static GBytes *
encode (GdkPixbuf   *pixbuf,
        const char  *type,
        GError     **error)
{
  g_autofree char *buffer = NULL;
  gsize len = 0;
  gboolean ok;

  /* No option names a metadata block, so none is written. */
  if (g_str_equal (type, "jpeg"))
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "jpeg", error, "quality", JPEG_QUALITY, NULL);
  else
    ok = gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, "png", error, NULL);

  if (!ok)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&buffer), len);
}

static GdkPixbuf *
scale_to_fit (GdkPixbuf *pixbuf,
              int        max_side)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int longest = MAX (width, height);
  double scale;

  if (longest <= max_side)
    return g_object_ref (pixbuf);

  scale = (double) max_side / longest;
  return gdk_pixbuf_scale_simple (pixbuf,
                                  MAX (1, (int) (width * scale + 0.5)),
                                  MAX (1, (int) (height * scale + 0.5)),
                                  GDK_INTERP_BILINEAR);
}

/* Scales, encodes and wraps an upright picture. */
static CriaPreparedImage *
finish_image (GTask      *task,
              GdkPixbuf  *pixbuf,
              gint64      size,
              gboolean    had_metadata,
              GError    **error)
{
  PrepareData *data = g_task_get_task_data (task);
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) small = NULL;
  g_autoptr(GBytes) encoded = NULL;
  g_autoptr(GBytes) thumbnail = NULL;
  g_autofree char *base64 = NULL;
  CriaPreparedImage *image;
  const char *type;

  report_progress (task, 0.85);
  scaled = scale_to_fit (pixbuf, data->max_side);
  if (scaled == NULL)
    {
      set_out_of_memory_error (error);
      return NULL;
    }
  report_progress (task, 0.9);

  type = uses_transparency (scaled) || has_few_colours (scaled) ? "png" : "jpeg";
  encoded = encode (scaled, type, error);
  if (encoded == NULL)
    return NULL;

  small = scale_to_fit (scaled, THUMBNAIL_SIDE);
  if (small == NULL)
    {
      set_out_of_memory_error (error);
      return NULL;
    }
  thumbnail = encode (small, "png", error);
  if (thumbnail == NULL)
    return NULL;

  base64 = g_base64_encode (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded));

  image = g_atomic_rc_box_new0 (CriaPreparedImage);
  image->mime_type = g_strconcat ("image/", type, NULL);
  image->data_url = g_strconcat ("data:", image->mime_type, ";base64,", base64, NULL);
  image->encoded = g_steal_pointer (&encoded);
  image->thumbnail = g_steal_pointer (&thumbnail);
  image->width = gdk_pixbuf_get_width (scaled);
  image->height = gdk_pixbuf_get_height (scaled);
  image->original_width = data->source_width;
  image->original_height = data->source_height;
  image->original_size = size;
  image->had_metadata = had_metadata;

  report_progress (task, 1.0);

  return image;
}

/* Premultiplied BGRA (Cairo's ARGB32 on a little-endian machine, GDK's
 * default memory format) to the straight RGBA of a pixbuf. */
static GdkPixbuf *
pixbuf_from_premultiplied (GBytes *pixels,
                           int     width,
                           int     height,
                           int     stride)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  guint8 *out;
  int out_stride;
  const guint8 *in = g_bytes_get_data (pixels, NULL);

  if (pixbuf == NULL)
    return NULL;
  out = gdk_pixbuf_get_pixels (pixbuf);
  out_stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    {
      const guint8 *src = in + (gsize) y * stride;
      guint8 *dst = out + (gsize) y * out_stride;

      for (int x = 0; x < width; x++, src += 4, dst += 4)
        {
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          guint8 b = src[0], g = src[1], r = src[2], a = src[3];
#else
          guint8 a = src[0], r = src[1], g = src[2], b = src[3];
#endif
          if (a != 0 && a != 0xff)
            {
              r = MIN (255, r * 255 / a);
              g = MIN (255, g * 255 / a);
              b = MIN (255, b * 255 / a);
            }
          dst[0] = r;
          dst[1] = g;
          dst[2] = b;
          dst[3] = a;
        }
    }

  return pixbuf;
}

/* Feeds the source to @decoder, keeping its head and tail, until the end of
 * the data or until the decoder has all it needs (a GIF's first frame). The
 * loader starts once the first bytes say which format this is; bytes of any
 * other format leave decoder->loader unset. */
static gboolean
feed_decoder (GTask         *task,
              Decoder       *decoder,
              GInputStream  *stream,
              gint64         size,
              GByteArray    *head,
              GByteArray    *tail,
              GError       **error)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree guint8 *buffer = g_malloc (READ_CHUNK);
  gboolean sniffed = FALSE;
  gint64 done = 0;

  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, READ_CHUNK, cancellable, error);

      if (n < 0)
        return FALSE;

      if (n > 0)
        {
          if (head->len < HEAD_SIZE)
            g_byte_array_append (head, buffer, MIN ((gsize) n, HEAD_SIZE - head->len));
          g_byte_array_append (tail, buffer, n);
          if (tail->len > TAIL_SIZE)
            g_byte_array_remove_range (tail, 0, tail->len - TAIL_SIZE);
          done += n;
        }

      if (!sniffed && (head->len >= SNIFF_SIZE || (n == 0 && head->len > 0)))
        {
          /* Everything read so far is in the head: it is far longer than
           * the few bytes a format is told by. */
          sniffed = TRUE;
          if (!decoder_start (decoder, head->data, head->len, error))
            return error == NULL || *error == NULL;
          if (!decoder_write (decoder, head->data, head->len, error))
            return FALSE;
        }
      else if (sniffed && n > 0 && !decoder_write (decoder, buffer, n, error))
        return FALSE;

      if (n == 0 || decoder->complete)
        break;

      if (size > 0)
        report_progress (task, 0.8 * MIN (1.0, (double) done / size));
    }

  if (done == 0)
    {
      g_set_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_EMPTY,
                   _("The file is empty."));
      return FALSE;
    }

  return TRUE;
}

/* Closes the loader and returns its picture, or sets the error a user is
 * shown; @head and @tail are the data's start and end, for the checks the
 * loaders skip. */
static GdkPixbuf *
decoder_finish (Decoder       *decoder,
                gboolean       fed,
                GError        *feed_error,
                const char    *name,
                GByteArray    *head,
                GByteArray    *tail,
                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GdkPixbuf *pixbuf;

  if (decoder->loader == NULL)
    {
      /* Either the bytes are of no format Cria opens, or of one whose
       * loader this system lacks. */
      set_unreadable_error (error, decoder->format == NULL, name, head->data, head->len);
      return NULL;
    }

  if (fed)
    decoder_close (decoder, &local_error);
  else
    {
      decoder_close (decoder, NULL);
      local_error = g_error_copy (feed_error);
    }

  if (decoder->too_large)
    {
      g_set_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_TOO_LARGE,
                   _("The image is too large to open (%d × %d pixels). Save it as JPEG, or scale it below 50 megapixels."),
                   decoder->source_width, decoder->source_height);
      return NULL;
    }

  if (g_error_matches (local_error, GDK_PIXBUF_ERROR, GDK_PIXBUF_ERROR_INSUFFICIENT_MEMORY))
    {
      set_out_of_memory_error (error);
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (decoder->loader);
  if (local_error != NULL || pixbuf == NULL)
    {
      g_set_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_CORRUPT,
                   _("The image is damaged and cannot be read (%s)."),
                   local_error != NULL ? local_error->message : _("no picture in it"));
      return NULL;
    }

  if (!decoder->complete &&
      looks_truncated (gdk_pixbuf_loader_get_format (decoder->loader), tail->data, tail->len))
    {
      g_set_error_literal (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_TRUNCATED,
                           _("The image is incomplete: the file ends too early, perhaps because it was still being copied or downloaded."));
      return NULL;
    }

  return g_object_ref (pixbuf);
}

static CriaPreparedImage *
prepare (GTask         *task,
         GInputStream  *stream,
         gint64         size,
         GError       **error)
{
  PrepareData *data = g_task_get_task_data (task);
  Decoder decoder = { .max_side = data->max_side };
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  gboolean fed;

  fed = feed_decoder (task, &decoder, stream, size, head, tail, &local_error);
  if (!fed && (local_error->domain != GDK_PIXBUF_ERROR || head->len == 0))
    {
      decoder_clear (&decoder);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  pixbuf = decoder_finish (&decoder, fed, local_error, data->name, head, tail, error);
  data->source_width = decoder.source_width;
  data->source_height = decoder.source_height;
  decoder_clear (&decoder);
  if (pixbuf == NULL)
    return NULL;

  if (g_task_return_error_if_cancelled (task))
    return NULL;

  /* The loader put the EXIF orientation in the "orientation" option. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL)
    {
      set_out_of_memory_error (error);
      return NULL;
    }

  return finish_image (task, oriented, size, has_metadata (head->data, head->len), error);
}

/**
 * cria_image_decode:
 *
 * Decodes an image in memory the way an attachment is read — only the
 * formats Cria opens, told by their bytes; at most @max_side pixels on the
 * longest side, decoded at that size where the format allows; a GIF's first
 * frame only; the megapixel cap for formats decoded whole — for thumbnails
 * and previews. Blocks: call it from a worker thread.
 *
 * Returns: (transfer full): the picture, upright, or %NULL with a
 *   CRIA_IMAGE_ERROR whose message is fit to show
 */
GdkPixbuf *
cria_image_decode (GBytes        *bytes,
                   int            max_side,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Decoder decoder = { .max_side = max_side > 0 ? max_side : CRIA_IMAGE_DEFAULT_MAX_SIDE };
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GByteArray) head = g_byte_array_new ();
  g_autoptr(GByteArray) tail = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GdkPixbuf *oriented;
  gboolean fed = TRUE;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (len == 0)
    {
      g_set_error_literal (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_EMPTY, _("The file is empty."));
      return NULL;
    }

  g_byte_array_append (head, data, MIN (len, HEAD_SIZE));
  g_byte_array_append (tail, data + len - MIN (len, TAIL_SIZE), MIN (len, TAIL_SIZE));

  if (decoder_start (&decoder, data, len, &local_error))
    {
      /* In pieces, so a cancelled load stops soon. */
      for (gsize done = 0; done < len && fed && !decoder.complete; done += READ_CHUNK)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              decoder_clear (&decoder);
              return NULL;
            }
          fed = decoder_write (&decoder, data + done, MIN (READ_CHUNK, len - done), &local_error);
        }
    }

  pixbuf = decoder_finish (&decoder, fed, local_error, NULL, head, tail, error);
  decoder_clear (&decoder);
  if (pixbuf == NULL)
    return NULL;

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL)
    set_out_of_memory_error (error);

  return oriented;
}

static void
prepare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  CriaPreparedImage *image;
  gint64 size;

  if (data->pixels != NULL)
    {
      g_autoptr(GdkPixbuf) pixbuf = NULL;

      /* A pasted picture meets the same limit as a file. */
      if ((gint64) data->source_width * data->source_height > MAX_FULL_DECODE_PIXELS)
        {
          g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_TOO_LARGE,
                                   _("The image is too large to open (%d × %d pixels). Save it as JPEG, or scale it below 50 megapixels."),
                                   data->source_width, data->source_height);
          return;
        }

      pixbuf = pixbuf_from_premultiplied (data->pixels, data->source_width, data->source_height, data->stride);
      if (pixbuf == NULL)
        {
          set_out_of_memory_error (&error);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      image = finish_image (task, pixbuf, g_bytes_get_size (data->pixels), FALSE, &error);
      if (image != NULL)
        g_task_return_pointer (task, image, (GDestroyNotify) cria_prepared_image_unref);
      else if (error->domain == CRIA_IMAGE_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_FAILED,
                                 _("The image cannot be prepared: %s"), error->message);
      return;
    }

  if (data->file != NULL)
    {
      g_autoptr(GFileInfo) info = NULL;

      info = g_file_query_info (data->file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                G_FILE_QUERY_INFO_NONE, cancellable, &error);
      if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_IMAGE,
                                   _("This is a folder, not an image."));
          return;
        }
      if (info != NULL)
        stream = G_INPUT_STREAM (g_file_read (data->file, cancellable, &error));
      if (stream == NULL)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_FOUND,
                                     _("The file is no longer there: it was moved or deleted. Attach it again from where it is now."));
          else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_task_return_error (task, g_steal_pointer (&error));
          else
            g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_FAILED,
                                     _("The file cannot be read: %s"), error->message);
          return;
        }
      size = g_file_info_get_size (info);
    }
  else
    {
      stream = g_memory_input_stream_new_from_bytes (data->bytes);
      size = g_bytes_get_size (data->bytes);
    }

  if (size == 0)
    {
      g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_EMPTY,
                               _("The file is empty (0 bytes)."));
      return;
    }

  image = prepare (task, stream, size, &error);
  if (image != NULL)
    {
      g_task_return_pointer (task, image, (GDestroyNotify) cria_prepared_image_unref);
      return;
    }
  if (g_task_had_error (task))
    return;

  if (error->domain != CRIA_IMAGE_ERROR && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_FOUND,
                                 _("The file is no longer there: it was moved or deleted. Attach it again from where it is now."));
      else
        g_task_return_new_error (task, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_FAILED,
                                 _("The image cannot be prepared: %s"), error->message);
      return;
    }

  g_task_return_error (task, g_steal_pointer (&error));
}

static void
start (PrepareData           *data,
       GCancellable          *cancellable,
       GAsyncReadyCallback    callback,
       gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, cria_image_prepare_file_async);
  g_task_set_name (task, "cria-image-prepare");
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_set_check_cancellable (task, TRUE);
  g_task_run_in_thread (task, prepare_thread);
}

static PrepareData *
prepare_data_new (int                    max_side,
                  CriaImageProgressFunc  progress,
                  gpointer               progress_data)
{
  PrepareData *data = g_new0 (PrepareData, 1);

  data->max_side = max_side > 0 ? max_side : CRIA_IMAGE_DEFAULT_MAX_SIDE;
  data->progress = progress;
  data->progress_data = progress_data;
  data->context = g_main_context_ref_thread_default ();
  data->last_reported = -1;

  return data;
}

void
cria_image_prepare_file_async (GFile                 *file,
                               int                    max_side,
                               GCancellable          *cancellable,
                               CriaImageProgressFunc  progress,
                               gpointer               progress_data,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  PrepareData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = prepare_data_new (max_side, progress, progress_data);
  data->file = g_object_ref (file);
  data->name = g_file_get_basename (file);
  start (data, cancellable, callback, user_data);
}

void
cria_image_prepare_bytes_async (GBytes                *bytes,
                                const char            *name,
                                int                    max_side,
                                GCancellable          *cancellable,
                                CriaImageProgressFunc  progress,
                                gpointer               progress_data,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  PrepareData *data;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = prepare_data_new (max_side, progress, progress_data);
  data->bytes = g_bytes_ref (bytes);
  data->name = g_strdup (name);
  start (data, cancellable, callback, user_data);
}

void
cria_image_prepare_pixels_async (GBytes                *pixels,
                                 int                    width,
                                 int                    height,
                                 int                    stride,
                                 int                    max_side,
                                 GCancellable          *cancellable,
                                 CriaImageProgressFunc  progress,
                                 gpointer               progress_data,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  PrepareData *data;

  g_return_if_fail (pixels != NULL);
  g_return_if_fail (width > 0 && height > 0 && stride >= width * 4);
  g_return_if_fail (g_bytes_get_size (pixels) >= (gsize) stride * (height - 1) + (gsize) width * 4);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = prepare_data_new (max_side, progress, progress_data);
  data->pixels = g_bytes_ref (pixels);
  data->source_width = width;
  data->source_height = height;
  data->stride = stride;
  start (data, cancellable, callback, user_data);
}

/**
 * cria_image_prepare_finish:
 *
 * Returns: (transfer full): the prepared image, or %NULL with @error set
 */
CriaPreparedImage *
cria_image_prepare_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

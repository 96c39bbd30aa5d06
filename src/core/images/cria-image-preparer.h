/* cria-image-preparer.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* The longest side an image is scaled to unless a setting says otherwise. */
#define CRIA_IMAGE_DEFAULT_MAX_SIDE 1536

/* Formats that cannot be decoded at a reduced size (PNG, GIF, BMP) are
 * refused above this many pixels (about 200 MB decoded); so are pasted
 * pictures. */
#define CRIA_IMAGE_MAX_PIXELS (50 * 1000 * 1000)

#define CRIA_IMAGE_ERROR (cria_image_error_quark ())

/**
 * CriaImageError:
 * @CRIA_IMAGE_ERROR_NOT_FOUND: the file is gone (moved or deleted)
 * @CRIA_IMAGE_ERROR_EMPTY: the file has no bytes
 * @CRIA_IMAGE_ERROR_NOT_IMAGE: the file is not an image at all
 * @CRIA_IMAGE_ERROR_UNSUPPORTED: an image in a format this system cannot read
 * @CRIA_IMAGE_ERROR_CORRUPT: the image data is damaged
 * @CRIA_IMAGE_ERROR_TRUNCATED: the image ends before its data does
 * @CRIA_IMAGE_ERROR_TOO_LARGE: too many pixels to decode with bounded memory
 * @CRIA_IMAGE_ERROR_FAILED: reading or encoding failed otherwise
 */
typedef enum
{
  CRIA_IMAGE_ERROR_NOT_FOUND,
  CRIA_IMAGE_ERROR_EMPTY,
  CRIA_IMAGE_ERROR_NOT_IMAGE,
  CRIA_IMAGE_ERROR_UNSUPPORTED,
  CRIA_IMAGE_ERROR_CORRUPT,
  CRIA_IMAGE_ERROR_TRUNCATED,
  CRIA_IMAGE_ERROR_TOO_LARGE,
  CRIA_IMAGE_ERROR_FAILED,
} CriaImageError;

GQuark cria_image_error_quark (void);

#define CRIA_TYPE_PREPARED_IMAGE (cria_prepared_image_get_type ())

/**
 * CriaPreparedImage:
 * @data_url: "data:image/jpeg;base64,…" or "data:image/png;base64,…"
 * @mime_type: "image/jpeg" or "image/png"
 * @encoded: the re-encoded image, without any metadata block
 * @thumbnail: a PNG at most 160 pixels on its longest side, for chips
 * @width: @encoded's width in pixels, after orientation and scaling
 * @height: @encoded's height
 * @original_width: the source's width as stored, before orientation
 * @original_height: the source's height as stored
 * @original_size: the source's size in bytes
 * @had_metadata: the source carried EXIF, XMP or text blocks (now removed)
 *
 * An image ready to be sent: immutable, reference counted.
 */
typedef struct
{
  char   *data_url;
  char   *mime_type;
  GBytes *encoded;
  GBytes *thumbnail;
  int     width;
  int     height;
  int     original_width;
  int     original_height;
  gint64  original_size;
  gboolean had_metadata;
} CriaPreparedImage;

GType              cria_prepared_image_get_type (void) G_GNUC_CONST;
CriaPreparedImage *cria_prepared_image_ref      (CriaPreparedImage *image);
void               cria_prepared_image_unref    (CriaPreparedImage *image);

/* Called on the caller's main context with the share done, 0 to 1. */
typedef void (*CriaImageProgressFunc) (double   fraction,
                                       gpointer user_data);

/* Reads @file (any GFile: a portal's document path works), decodes it — at a
 * reduced size when the format allows, so a huge photo never decodes whole —
 * applies its EXIF orientation, scales it so the longest side is at most
 * @max_side (never up), and re-encodes it as JPEG (photos) or PNG
 * (transparency, screenshots, line art), dropping every metadata block. All
 * of it runs in a worker thread; @progress is called on the thread-default
 * main context of the caller. Fails with a CRIA_IMAGE_ERROR whose message is
 * fit to show, or G_IO_ERROR_CANCELLED. */
void               cria_image_prepare_file_async   (GFile                 *file,
                                                    int                    max_side,
                                                    GCancellable          *cancellable,
                                                    CriaImageProgressFunc  progress,
                                                    gpointer               progress_data,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
/* The same for an image already in memory (pasted data); @name is only for
 * messages. */
void               cria_image_prepare_bytes_async  (GBytes                *bytes,
                                                    const char            *name,
                                                    int                    max_side,
                                                    GCancellable          *cancellable,
                                                    CriaImageProgressFunc  progress,
                                                    gpointer               progress_data,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
/* The same for pixels already decoded (a pasted picture): premultiplied
 * BGRA in native byte order, Cairo's ARGB32 — GDK's default memory format,
 * what gdk_texture_download() gives. */
void               cria_image_prepare_pixels_async (GBytes                *pixels,
                                                    int                    width,
                                                    int                    height,
                                                    int                    stride,
                                                    int                    max_side,
                                                    GCancellable          *cancellable,
                                                    CriaImageProgressFunc  progress,
                                                    gpointer               progress_data,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
CriaPreparedImage *cria_image_prepare_finish       (GAsyncResult          *result,
                                                    GError               **error);

/* The format of an image by its first bytes: "jpeg", "png", "webp", "gif" or
 * "bmp" (the ones Cria opens), else NULL. */
const char        *cria_image_sniff                (const guint8          *data,
                                                    gsize                  len);

/* Decodes an image in memory for display, in a worker thread: the same
 * formats and limits as an attachment, at most @max_side pixels on the
 * longest side, a GIF's first frame only. */
GdkPixbuf         *cria_image_decode               (GBytes                *bytes,
                                                    int                    max_side,
                                                    GCancellable          *cancellable,
                                                    GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaPreparedImage, cria_prepared_image_unref)

G_END_DECLS

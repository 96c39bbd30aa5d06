/* cria-test-images.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* Images made by the tests themselves, so no fixture hides what they hold. */

/* A photo-like picture: smooth gradients with noise, many colours. */
GdkPixbuf *cria_test_photo_pixbuf      (int           width,
                                        int           height);
/* Left half @left, right half @right (0xRRGGBBAA), with an alpha channel
 * when @alpha. */
GdkPixbuf *cria_test_halves_pixbuf     (int           width,
                                        int           height,
                                        guint32       left,
                                        guint32       right,
                                        gboolean      alpha);
GBytes    *cria_test_encode            (GdkPixbuf    *pixbuf,
                                        const char   *type);
/* @jpeg with an APP1 EXIF block right after SOI: IFD0 with the orientation
 * tag (1–8), a camera make and serial number, and a GPS IFD with a latitude
 * and longitude. */
GBytes    *cria_test_add_exif          (GBytes       *jpeg,
                                        int           orientation);
/* A baseline grayscale JPEG of @width × @height (multiples of 8), mid-grey,
 * written directly: a 100-megapixel one takes 400 kB and no decoding. */
GBytes    *cria_test_gray_jpeg         (int           width,
                                        int           height);
/* A PNG of @width × @height black RGB pixels, written row by row through
 * zlib so a huge one costs little memory. */
GBytes    *cria_test_black_png         (int           width,
                                        int           height);
/* A two-frame GIF, 1 × 1: red, then blue. */
GBytes    *cria_test_two_frame_gif     (void);
/* A 1 × 1 GIF of @n_frames frames: the first red, all the others blue. */
GBytes    *cria_test_many_frame_gif    (guint         n_frames);
/* Writes @bytes to a new file under @dir. */
GFile     *cria_test_write_file        (const char   *dir,
                                        const char   *name,
                                        GBytes       *bytes);
/* Decodes a data URL of an image: checks its "data:image/…;base64," form,
 * and gives the encoded bytes and their MIME type. */
GBytes    *cria_test_decode_data_url   (const char   *url,
                                        char        **mime_type);
/* Whether a JPEG has an APP1 (EXIF or XMP) segment, or any bytes contain
 * an "Exif" header. */
gboolean   cria_test_has_exif          (GBytes       *image);
/* The RGB of the pixel at @x, @y as 0xRRGGBB. */
guint32    cria_test_pixel             (GdkPixbuf    *pixbuf,
                                        int           x,
                                        int           y);
/* Whether two colours are within @tolerance on each channel. */
gboolean   cria_test_colour_near       (guint32       a,
                                        guint32       b,
                                        int           tolerance);

/* The process's peak resident memory (VmHWM) in KiB, and a reset of it
 * (Linux's clear_refs): the peak a process inherits across exec from its
 * parent would otherwise hide its own. Returns FALSE if it cannot reset. */
gint64     cria_test_peak_rss_kb       (void);
gboolean   cria_test_reset_peak_rss    (void);

G_END_DECLS

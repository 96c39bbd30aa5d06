/* cria-test-images.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>

#include "cria-test-images.h"

GdkPixbuf *
cria_test_photo_pixbuf (int width,
                        int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  guint32 seed = 12345;

  for (int y = 0; y < height; y++)
    {
      guint8 *row = pixels + (gsize) y * rowstride;

      for (int x = 0; x < width; x++)
        {
          seed = seed * 1103515245 + 12345;
          row[x * 3 + 0] = (guint8) (x * 200 / width + (seed >> 16) % 40);
          row[x * 3 + 1] = (guint8) (y * 200 / height + (seed >> 20) % 40);
          row[x * 3 + 2] = (guint8) ((x + y) * 100 / (width + height) + (seed >> 24) % 40);
        }
    }

  return pixbuf;
}

GdkPixbuf *
cria_test_halves_pixbuf (int      width,
                         int      height,
                         guint32  left,
                         guint32  right,
                         gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  g_autoptr(GdkPixbuf) half = NULL;

  gdk_pixbuf_fill (pixbuf, left);
  half = gdk_pixbuf_new_subpixbuf (pixbuf, width / 2, 0, width - width / 2, height);
  gdk_pixbuf_fill (half, right);

  return pixbuf;
}

GBytes *
cria_test_encode (GdkPixbuf  *pixbuf,
                  const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize len = 0;

  gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &len, type, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, len);
}

static void
put16 (GByteArray *out,
       guint       value)
{
  guint8 b[2] = { value & 0xff, (value >> 8) & 0xff };

  g_byte_array_append (out, b, 2);
}

static void
put32 (GByteArray *out,
       guint32     value)
{
  guint8 b[4] = { value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >> 24) & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_entry (GByteArray *out,
           guint       tag,
           guint       type,
           guint32     count,
           guint32     value)
{
  put16 (out, tag);
  put16 (out, type);
  put32 (out, count);
  put32 (out, value);
}

static void
put_rational (GByteArray *out,
              guint32     numerator,
              guint32     denominator)
{
  put32 (out, numerator);
  put32 (out, denominator);
}

/* A little-endian TIFF structure as EXIF has it; offsets count from the
 * "II" that starts it. */
static GByteArray *
build_tiff (int orientation)
{
  GByteArray *tiff = g_byte_array_new ();
  static const char make[8] = "CriaCam";          /* 62 .. 70 */
  static const char serial[14] = "SN0123456789";  /* 70 .. 84 */

  g_byte_array_append (tiff, (const guint8 *) "II", 2);
  put16 (tiff, 42);
  put32 (tiff, 8);

  /* IFD0 at 8: four entries, 54 bytes. */
  put16 (tiff, 4);
  put_entry (tiff, 0x010f, 2, sizeof make, 62);             /* Make */
  put16 (tiff, 0x0112);                                     /* Orientation */
  put16 (tiff, 3);
  put32 (tiff, 1);
  put16 (tiff, orientation);
  put16 (tiff, 0);
  put_entry (tiff, 0x8825, 4, 1, 84);                       /* GPS IFD */
  put_entry (tiff, 0xa431, 2, sizeof serial, 70);           /* Body serial number */
  put32 (tiff, 0);
  g_assert_cmpuint (tiff->len, ==, 62);
  g_byte_array_append (tiff, (const guint8 *) make, sizeof make);
  g_byte_array_append (tiff, (const guint8 *) serial, sizeof serial);
  g_assert_cmpuint (tiff->len, ==, 84);

  /* GPS IFD at 84: 48° 51' 29.59" N, 2° 17' 40.2" E. */
  put16 (tiff, 4);
  put_entry (tiff, 0x0001, 2, 2, 'N');
  put_entry (tiff, 0x0002, 5, 3, 138);
  put_entry (tiff, 0x0003, 2, 2, 'E');
  put_entry (tiff, 0x0004, 5, 3, 162);
  put32 (tiff, 0);
  g_assert_cmpuint (tiff->len, ==, 138);
  put_rational (tiff, 48, 1);
  put_rational (tiff, 51, 1);
  put_rational (tiff, 2959, 100);
  put_rational (tiff, 2, 1);
  put_rational (tiff, 17, 1);
  put_rational (tiff, 402, 10);

  return tiff;
}

GBytes *
cria_test_add_exif (GBytes *jpeg,
                    int     orientation)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (jpeg, &len);
  g_autoptr(GByteArray) tiff = build_tiff (orientation);
  GByteArray *out = g_byte_array_new ();
  gsize at = 2;
  guint app1_len = 2 + 6 + tiff->len;
  guint8 marker[4] = { 0xff, 0xe1, app1_len >> 8, app1_len & 0xff };

  g_assert_true (len > 4 && data[0] == 0xff && data[1] == 0xd8);
  /* After the JFIF APP0 segment, where cameras put it. */
  if (data[2] == 0xff && data[3] == 0xe0)
    at = 4 + (data[4] << 8 | data[5]);

  g_byte_array_append (out, data, at);
  g_byte_array_append (out, marker, 4);
  g_byte_array_append (out, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (out, tiff->data, tiff->len);
  g_byte_array_append (out, data + at, len - at);

  return g_byte_array_free_to_bytes (out);
}

static void
put_be16 (GByteArray *out,
          guint       value)
{
  guint8 b[2] = { (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 2);
}

GBytes *
cria_test_gray_jpeg (int width,
                     int height)
{
  GByteArray *out = g_byte_array_new ();
  static const guint8 soi[] = { 0xff, 0xd8 };
  static const guint8 eoi[] = { 0xff, 0xd9 };
  guint8 quant[64];
  /* One Huffman code each, "0": DC category 0 (no change from the
   * previous block) and AC end-of-block. Every block is then two zero bits. */
  static const guint8 dht[] = {
    0xff, 0xc4, 0x00, 0x14, 0x00,
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
  };
  static const guint8 sos[] = { 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00 };
  gsize blocks = (gsize) (width / 8) * (height / 8);
  gsize bits = blocks * 2;
  gsize n_bytes = (bits + 7) / 8;
  gsize old_len;

  g_assert_true (width % 8 == 0 && height % 8 == 0);
  memset (quant, 1, sizeof quant);

  g_byte_array_append (out, soi, sizeof soi);
  /* DQT */
  put_be16 (out, 0xffdb);
  put_be16 (out, 67);
  g_byte_array_append (out, (const guint8 *) "\0", 1);
  g_byte_array_append (out, quant, sizeof quant);
  /* SOF0: 8 bits, one component with table 0. */
  put_be16 (out, 0xffc0);
  put_be16 (out, 11);
  g_byte_array_append (out, (const guint8 *) "\x08", 1);
  put_be16 (out, height);
  put_be16 (out, width);
  g_byte_array_append (out, (const guint8 *) "\x01\x01\x11\x00", 4);
  /* DC table 0, then AC table 0 (class 1). */
  g_byte_array_append (out, dht, sizeof dht);
  g_byte_array_append (out, dht, sizeof dht);
  out->data[out->len - sizeof dht + 4] = 0x10;
  g_byte_array_append (out, sos, sizeof sos);

  old_len = out->len;
  g_byte_array_set_size (out, old_len + n_bytes);
  memset (out->data + old_len, 0, n_bytes);
  /* The last byte is padded with one bits. */
  if (bits % 8 != 0)
    out->data[out->len - 1] = 0xff >> (bits % 8);
  g_byte_array_append (out, eoi, sizeof eoi);

  return g_byte_array_free_to_bytes (out);
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         len)
{
  static guint32 table[256];

  if (table[1] == 0)
    for (guint32 n = 0; n < 256; n++)
      {
        guint32 c = n;

        for (int k = 0; k < 8; k++)
          c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
      }

  crc = ~crc;
  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return ~crc;
}

static void
put_be32 (GByteArray *out,
          guint32     value)
{
  guint8 b[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, b, 4);
}

static void
put_chunk (GByteArray   *out,
           const char   *type,
           const guint8 *data,
           gsize         len)
{
  guint32 crc = crc32_update (0, (const guint8 *) type, 4);

  crc = crc32_update (crc, data, len);
  put_be32 (out, len);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, len);
  put_be32 (out, crc);
}

GBytes *
cria_test_black_png (int width,
                     int height)
{
  GByteArray *out = g_byte_array_new ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) zlib = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autofree guint8 *row = g_malloc0 (1 + (gsize) width * 3);
  g_autoptr(GError) error = NULL;
  GByteArray *ihdr = g_byte_array_new ();
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  g_byte_array_append (out, signature, sizeof signature);
  put_be32 (ihdr, width);
  put_be32 (ihdr, height);
  /* 8 bits, RGB, deflate, adaptive filtering, no interlace. */
  g_byte_array_append (ihdr, (const guint8 *) "\x08\x02\x00\x00\x00", 5);
  put_chunk (out, "IHDR", ihdr->data, ihdr->len);
  g_byte_array_unref (ihdr);

  for (int y = 0; y < height; y++)
    {
      g_output_stream_write_all (zlib, row, 1 + (gsize) width * 3, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (zlib, NULL, &error);
  g_assert_no_error (error);

  put_chunk (out, "IDAT",
             g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory)),
             g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory)));
  put_chunk (out, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (out);
}

GBytes *
cria_test_two_frame_gif (void)
{
  /* A global palette of two colours (red, blue); each frame is one pixel,
   * LZW-coded: clear, the colour index, end. */
  static const guint8 gif[] =
    "GIF89a\x01\x00\x01\x00\x80\x00\x00"
    "\xff\x00\x00\x00\x00\xff"
    "!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    "!\xf9\x04\x00\x0a\x00\x00\x00"
    ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00"
    "!\xf9\x04\x00\x0a\x00\x00\x00"
    ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x4c\x01\x00"
    ";";

  return g_bytes_new_static (gif, sizeof gif - 1);
}

GBytes *
cria_test_many_frame_gif (guint n_frames)
{
  static const guint8 head[] =
    "GIF89a\x01\x00\x01\x00\x80\x00\x00"
    "\xff\x00\x00\x00\x00\xff"
    "!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00";
  static const guint8 red[] =
    "!\xf9\x04\x00\x0a\x00\x00\x00"
    ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00";
  static const guint8 blue[] =
    "!\xf9\x04\x00\x0a\x00\x00\x00"
    ",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x4c\x01\x00";
  GByteArray *out = g_byte_array_sized_new (sizeof head + n_frames * (sizeof blue - 1) + 1);

  g_byte_array_append (out, head, sizeof head - 1);
  g_byte_array_append (out, red, sizeof red - 1);
  for (guint i = 1; i < n_frames; i++)
    g_byte_array_append (out, blue, sizeof blue - 1);
  g_byte_array_append (out, (const guint8 *) ";", 1);

  return g_byte_array_free_to_bytes (out);
}

GFile *
cria_test_write_file (const char *dir,
                      const char *name,
                      GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_file_set_contents (path, data != NULL ? data : "", len, &error);
  g_assert_no_error (error);

  return g_file_new_for_path (path);
}

GBytes *
cria_test_decode_data_url (const char  *url,
                           char       **mime_type)
{
  const char *comma;
  const char *semicolon;
  guchar *data;
  gsize len;

  g_assert_true (g_str_has_prefix (url, "data:image/"));
  comma = strchr (url, ',');
  g_assert_nonnull (comma);
  semicolon = strchr (url, ';');
  g_assert_true (semicolon != NULL && semicolon < comma);
  g_assert_cmpint (strncmp (semicolon, ";base64,", 8), ==, 0);
  /* Only base64 characters after the comma. */
  g_assert_cmpuint (strspn (comma + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
                    ==, strlen (comma + 1));

  if (mime_type != NULL)
    *mime_type = g_strndup (url + 5, semicolon - (url + 5));

  data = g_base64_decode (comma + 1, &len);
  g_assert_cmpuint (len, >, 0);

  return g_bytes_new_take (data, len);
}

gboolean
cria_test_has_exif (GBytes *image)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (image, &len);

  for (gsize i = 0; i + 6 <= len; i++)
    if (memcmp (data + i, "Exif\0\0", 6) == 0)
      return TRUE;

  if (len > 4 && data[0] == 0xff && data[1] == 0xd8)
    {
      gsize at = 2;

      while (at + 4 <= len && data[at] == 0xff)
        {
          guint marker = data[at + 1];

          if (marker == 0xe1)
            return TRUE;
          if (marker == 0xda)
            break;
          at += 2 + (data[at + 2] << 8 | data[at + 3]);
        }
    }

  return FALSE;
}

guint32
cria_test_pixel (GdkPixbuf *pixbuf,
                 int        x,
                 int        y)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf) +
                    (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);

  return (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
}

gboolean
cria_test_colour_near (guint32 a,
                       guint32 b,
                       int     tolerance)
{
  for (int shift = 0; shift <= 16; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > tolerance)
      return FALSE;

  return TRUE;
}

gint64
cria_test_peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return -1;

  return g_ascii_strtoll (line + strlen ("VmHWM:"), NULL, 10);
}

gboolean
cria_test_reset_peak_rss (void)
{
  return g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

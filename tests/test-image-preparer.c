/* test-image-preparer.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <sys/mman.h>

#include <glib/gstdio.h>

#include "cria-attachment.h"
#include "cria-image-preparer.h"
#include "cria-image-preparer-private.h"
#include "cria-test-images.h"

static GThread *main_thread;

#define RED   0xff0000
#define BLUE  0x0000ff

typedef struct
{
  char *dir;
} Fixture;

typedef struct
{
  CriaPreparedImage *image;
  GError            *error;
  gboolean           done;
  guint              n_progress;
  double             last_progress;
} Result;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cria-image-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  Result *result = user_data;

  /* On the caller's thread, never the worker's. */
  g_assert_true (g_thread_self () == main_thread);
  g_assert_cmpfloat (fraction, >=, result->last_progress);
  result->last_progress = fraction;
  result->n_progress++;
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  Result *result = user_data;

  result->image = cria_image_prepare_finish (res, &result->error);
  result->done = TRUE;
}

static void
wait_for (Result *result)
{
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
}

/* How many times the last preparation reported progress. */
static guint last_n_progress;

static CriaPreparedImage *
prepare_file (GFile   *file,
              int      max_side,
              GError **error)
{
  Result result = { 0 };

  cria_image_prepare_file_async (file, max_side, NULL, progress_cb, &result, prepared_cb, &result);
  wait_for (&result);
  last_n_progress = result.n_progress;
  if (result.image != NULL)
    g_assert_cmpfloat (result.last_progress, ==, 1.0);
  if (result.error != NULL)
    g_propagate_error (error, result.error);

  return result.image;
}

static CriaPreparedImage *
prepare_bytes (Fixture    *f,
               const char *name,
               GBytes     *bytes,
               int         max_side,
               GError    **error)
{
  g_autoptr(GFile) file = cria_test_write_file (f->dir, name, bytes);

  return prepare_file (file, max_side, error);
}

/* Decodes the prepared image from its data URL, checking that the URL,
 * the encoded bytes and the stated sizes agree and no EXIF is left. */
static GdkPixbuf *
decode (CriaPreparedImage *image)
{
  g_autofree char *mime = NULL;
  g_autoptr(GBytes) bytes = cria_test_decode_data_url (image->data_url, &mime);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  g_assert_cmpstr (mime, ==, image->mime_type);
  g_assert_true (g_bytes_equal (bytes, image->encoded));
  g_assert_false (cria_test_has_exif (bytes));
  pixbuf = gdk_pixbuf_new_from_stream (stream, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, image->width);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, image->height);
  g_assert_nonnull (image->thumbnail);

  return pixbuf;
}

static void
test_photo_scaled (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_photo_pixbuf (3000, 2000);
  g_autoptr(GBytes) jpeg = cria_test_encode (source, "jpeg");
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "photo.jpg", jpeg, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->mime_type, ==, "image/jpeg");
  g_assert_true (g_str_has_prefix (image->data_url, "data:image/jpeg;base64,"));
  g_assert_cmpint (image->width, ==, 1536);
  g_assert_cmpint (image->height, ==, 1024);
  g_assert_cmpint (image->original_width, ==, 3000);
  g_assert_cmpint (image->original_height, ==, 2000);
  g_assert_cmpint (image->original_size, ==, g_bytes_get_size (jpeg));
  g_assert_false (image->had_metadata);
  /* Progress came in steps while the file was read, not only at the end. */
  g_assert_cmpuint (last_n_progress, >=, 5);
  decoded = decode (image);
  /* The picture survived: the gradient still runs dark to light. */
  g_assert_cmpuint ((cria_test_pixel (decoded, 10, 10) >> 16) & 0xff, <, (cria_test_pixel (decoded, 1500, 10) >> 16) & 0xff);
}

/* The main thread busy elsewhere, not iterating: progress must wait for it,
 * not run in the worker. */
static void
test_progress_on_main_thread (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_photo_pixbuf (2000, 2000);
  g_autoptr(GBytes) png = cria_test_encode (source, "png");
  g_autoptr(GFile) file = cria_test_write_file (f->dir, "slow.png", png);
  Result result = { 0 };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  /* Nothing left over from before: what comes pending next is the
   * worker's. */
  while (g_main_context_iteration (NULL, FALSE));
  cria_image_prepare_file_async (file, 1024, NULL, progress_cb, &result, prepared_cb, &result);
  /* Without dispatching anything, until the worker has handed the main
   * context its first report (or its result). */
  while (!g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (g_main_context_pending (NULL));
  wait_for (&result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.n_progress, >, 0);
  cria_prepared_image_unref (result.image);
}

static void
test_small_not_upscaled (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_photo_pixbuf (200, 120);
  g_autoptr(GBytes) jpeg = cria_test_encode (source, "jpeg");
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "small.jpg", jpeg, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 200);
  g_assert_cmpint (image->height, ==, 120);
  decoded = decode (image);
}

static void
test_max_side_setting (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_photo_pixbuf (900, 1800);
  g_autoptr(GBytes) png = cria_test_encode (source, "png");
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "tall.png", png, 512, &error);
  g_assert_no_error (error);
  g_assert_cmpint (image->width, ==, 256);
  g_assert_cmpint (image->height, ==, 512);
  /* A photo, though it came as PNG. */
  g_assert_cmpstr (image->mime_type, ==, "image/jpeg");
  decoded = decode (image);
}

static void
test_alpha_stays_png (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_halves_pixbuf (2000, 500, 0xff000080, 0x0000ffff, TRUE);
  g_autoptr(GBytes) png = cria_test_encode (source, "png");
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "logo.png", png, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 1536);
  g_assert_cmpint (image->height, ==, 384);
  decoded = decode (image);
  g_assert_true (gdk_pixbuf_get_has_alpha (decoded));
  /* The translucent half is still translucent. */
  g_assert_cmpint (gdk_pixbuf_read_pixels (decoded)[3], ==, 0x80);
}

static void
test_screenshot_png (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_halves_pixbuf (1920, 1080, 0xffffffff, 0x202020ff, FALSE);
  g_autoptr(GBytes) jpeg = cria_test_encode (source, "png");
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "Screenshot.png", jpeg, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  /* Few colours: PNG keeps the edges sharp. */
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 1536);
  g_assert_cmpint (image->height, ==, 864);
  decoded = decode (image);
  g_assert_false (gdk_pixbuf_get_has_alpha (decoded));
}

/* EXIF orientation @orientation turns a 64 × 32 picture, red on the left
 * and blue on the right, into @width × @height with red at (@rx, @ry). */
static void
check_orientation (Fixture *f,
                   int      orientation,
                   int      width,
                   int      height,
                   int      rx,
                   int      ry,
                   int      bx,
                   int      by)
{
  g_autoptr(GdkPixbuf) source = cria_test_halves_pixbuf (64, 32, 0xff0000ff, 0x0000ffff, FALSE);
  g_autoptr(GBytes) plain = cria_test_encode (source, "jpeg");
  g_autoptr(GBytes) jpeg = cria_test_add_exif (plain, orientation);
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (cria_test_has_exif (jpeg));
  image = prepare_bytes (f, "camera.jpg", jpeg, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_assert_true (image->had_metadata);
  g_assert_cmpint (image->width, ==, width);
  g_assert_cmpint (image->height, ==, height);

  decoded = decode (image);
  g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, rx, ry), RED, 40));
  g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, bx, by), BLUE, 40));

  /* Neither the camera's serial number nor the GPS position is sent. */
  g_assert_null (g_strstr_len (g_bytes_get_data (image->encoded, NULL), g_bytes_get_size (image->encoded), "SN0123456789"));
  g_assert_null (g_strstr_len (g_bytes_get_data (image->encoded, NULL), g_bytes_get_size (image->encoded), "CriaCam"));
}

static void
test_exif_orientation (Fixture       *f,
                       gconstpointer  data)
{
  /* 1: as stored. */
  check_orientation (f, 1, 64, 32, 8, 16, 56, 16);
  /* 3: upside down, so red ends on the right. */
  check_orientation (f, 3, 64, 32, 56, 16, 8, 16);
  /* 6: turned a quarter clockwise, so the left half is now on top. */
  check_orientation (f, 6, 32, 64, 16, 8, 16, 56);
  /* 8: a quarter anticlockwise, so the left half is at the bottom. */
  check_orientation (f, 8, 32, 64, 16, 56, 16, 8);
}

static void
test_formats (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GdkPixbuf) source = cria_test_halves_pixbuf (300, 100, 0xff0000ff, 0x0000ffff, FALSE);
  const char *types[] = { "bmp", "webp" };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(CriaPreparedImage) image = NULL;
      g_autoptr(GdkPixbuf) decoded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strconcat ("picture.", types[i], NULL);
      gboolean writable = FALSE;

      for (GSList *l = gdk_pixbuf_get_formats (); l != NULL; l = g_slist_delete_link (l, l))
        {
          g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);

          if (g_str_equal (format_name, types[i]) && gdk_pixbuf_format_is_writable (l->data))
            writable = TRUE;
        }
      if (!writable)
        {
          g_test_message ("no %s loader that writes: not tested", types[i]);
          continue;
        }

      bytes = cria_test_encode (source, types[i]);
      image = prepare_bytes (f, name, bytes, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
      g_assert_no_error (error);
      g_assert_cmpint (image->width, ==, 300);
      decoded = decode (image);
      g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, 20, 50), RED, 40));
      g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, 280, 50), BLUE, 40));
    }
}

static void
test_gif_first_frame (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) gif = cria_test_two_frame_gif ();
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "anim.gif", gif, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  decoded = decode (image);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 1);
  g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, 0, 0), RED, 0));
}

static void
assert_refused (Fixture        *f,
                const char     *name,
                GBytes         *bytes,
                CriaImageError  code)
{
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, name, bytes, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_null (image);
  g_assert_error (error, CRIA_IMAGE_ERROR, (int) code);
  /* A sentence for the user, not a code. */
  g_assert_cmpuint (strlen (error->message), >, 15);
  g_test_message ("%s: %s", name, error->message);
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (400, 300);
  g_autoptr(GBytes) jpeg = cria_test_encode (photo, "jpeg");
  g_autoptr(GBytes) png = cria_test_encode (photo, "png");
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) text = g_bytes_new_static ("Dear diary,\nToday I attached a letter.\n", 39);
  g_autoptr(GBytes) half_jpeg = g_bytes_new_from_bytes (jpeg, 0, g_bytes_get_size (jpeg) / 2);
  g_autoptr(GBytes) half_png = g_bytes_new_from_bytes (png, 0, g_bytes_get_size (png) / 2);
  g_autoptr(GBytes) header_only = g_bytes_new_from_bytes (jpeg, 0, 100);
  static const guint8 heic[] = {
    0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
    'm', 'i', 'f', '1', 'h', 'e', 'i', 'c', 0, 0, 0, 8, 'm', 'e', 't', 'a',
  };
  g_autoptr(GBytes) heif = g_bytes_new_static (heic, sizeof heic);
  gsize len;
  g_autofree guint8 *garbled = g_memdup2 (g_bytes_get_data (png, &len), g_bytes_get_size (png));
  g_autoptr(GBytes) corrupt = NULL;
  gboolean have_heif_loader = FALSE;

  memset (garbled + 60, 0x55, len - 100);
  corrupt = g_bytes_new (garbled, len);

  assert_refused (f, "empty.png", empty, CRIA_IMAGE_ERROR_EMPTY);
  assert_refused (f, "notes.txt", text, CRIA_IMAGE_ERROR_NOT_IMAGE);
  assert_refused (f, "letter.png", text, CRIA_IMAGE_ERROR_NOT_IMAGE);
  assert_refused (f, "half.jpg", half_jpeg, CRIA_IMAGE_ERROR_TRUNCATED);
  assert_refused (f, "half.png", half_png, CRIA_IMAGE_ERROR_TRUNCATED);
  assert_refused (f, "header.jpg", header_only, CRIA_IMAGE_ERROR_CORRUPT);
  assert_refused (f, "garbled.png", corrupt, CRIA_IMAGE_ERROR_CORRUPT);

  for (GSList *l = gdk_pixbuf_get_formats (); l != NULL; l = g_slist_delete_link (l, l))
    {
      g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);

      have_heif_loader |= g_str_equal (format_name, "heif") || g_str_equal (format_name, "avif");
    }
  if (!have_heif_loader)
    assert_refused (f, "IMG_0001.HEIC", heif, CRIA_IMAGE_ERROR_UNSUPPORTED);
}

static void
test_vanished_file (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (40, 30);
  g_autoptr(GBytes) jpeg = cria_test_encode (photo, "jpeg");
  g_autoptr(GFile) file = cria_test_write_file (f->dir, "gone.jpg", jpeg);
  g_autoptr(GFile) folder = g_file_new_for_path (f->dir);
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GError) error = NULL;

  /* Picked, then deleted before it was read. */
  g_assert_true (g_file_delete (file, NULL, NULL));
  image = prepare_file (file, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_null (image);
  g_assert_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  image = prepare_file (folder, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_null (image);
  g_assert_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_NOT_IMAGE);
}

static void
test_attachment_cancel (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (2000, 2000);
  g_autoptr(GBytes) png = cria_test_encode (photo, "png");
  g_autoptr(GFile) file = cria_test_write_file (f->dir, "big.png", png);
  g_autoptr(CriaAttachment) attachment = cria_attachment_new_for_file (file);
  g_autoptr(CriaAttachment) pasted = cria_attachment_new_for_bytes (png, NULL);

  g_assert_cmpstr (cria_attachment_get_name (attachment), ==, "big.png");
  cria_attachment_prepare (attachment, 1024);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_PREPARING);
  cria_attachment_cancel (attachment);
  while (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_FAILED);
  g_assert_error ((GError *) cria_attachment_get_error (attachment), G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (cria_attachment_get_image (attachment));

  /* Prepared again, it gets there. */
  cria_attachment_prepare (attachment, 1024);
  while (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_image (attachment)->width, ==, 1024);
  g_assert_cmpint (cria_attachment_get_original_size (attachment), ==, g_bytes_get_size (png));
  g_assert_cmpfloat (cria_attachment_get_progress (attachment), ==, 1.0);

  cria_attachment_prepare (pasted, 0);
  while (cria_attachment_get_state (pasted) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (cria_attachment_get_state (pasted), ==, CRIA_ATTACHMENT_STATE_READY);
  g_assert_cmpint (cria_attachment_get_image (pasted)->width, ==, CRIA_IMAGE_DEFAULT_MAX_SIDE);
}

static void
test_pixels (Fixture       *f,
             gconstpointer  data)
{
  /* 2000 × 100 premultiplied BGRA: opaque red left, half-transparent blue right. */
  int width = 2000, height = 100, stride = width * 4 + 16;
  g_autofree guint8 *pixels = g_malloc0 ((gsize) stride * height);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CriaAttachment) attachment = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  CriaPreparedImage *image;
  const guint8 *p;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 argb = x < width / 2 ? 0xffff0000 : 0x80000080;

        memcpy (pixels + (gsize) y * stride + x * 4, &argb, 4);
      }
  bytes = g_bytes_new (pixels, (gsize) stride * height);
  attachment = cria_attachment_new_for_pixels (bytes, width, height, stride, NULL);
  cria_attachment_prepare (attachment, 1000);
  while (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_READY);
  image = cria_attachment_get_image (attachment);
  g_assert_cmpstr (image->mime_type, ==, "image/png");
  g_assert_cmpint (image->width, ==, 1000);
  g_assert_cmpint (image->height, ==, 50);
  decoded = decode (image);
  g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, 10, 10), RED, 2));
  /* Un-premultiplied: full blue at half opacity. */
  p = gdk_pixbuf_read_pixels (decoded) + 10 * gdk_pixbuf_get_rowstride (decoded) + 900 * 4;
  g_assert_cmpint (p[2], >=, 0xfd);
  g_assert_cmpint (p[3], ==, 0x80);
}

/* An SVG that says it is 100,000 pixels square: rendered at that size it
 * took 3 GB; it is refused from its bytes, whatever its name. */
static const char huge_svg[] =
  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100000\" height=\"100000\">"
  "<rect width=\"100000\" height=\"100000\" fill=\"red\"/></svg>";

static void
test_unpromised_formats (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) svg = g_bytes_new_static (huge_svg, strlen (huge_svg));
  g_autoptr(GdkPixbuf) source = cria_test_halves_pixbuf (32, 32, 0xff0000ff, 0x0000ffff, FALSE);
  const char *types[] = { "tiff", "ico" };
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GError) error = NULL;

  image = prepare_bytes (f, "drawing.svg", svg, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_null (image);
  g_assert_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "SVG"));
  g_assert_nonnull (strstr (error->message, "JPEG, PNG, WebP, GIF"));
  g_clear_error (&error);

  /* Named like a photo, it is still what its bytes say. */
  assert_refused (f, "photo.png", svg, CRIA_IMAGE_ERROR_UNSUPPORTED);

  /* The thumbnails of sent and stored images take the same path. */
  decoded = cria_image_decode (svg, 200, NULL, &error);
  g_assert_null (decoded);
  g_assert_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_UNSUPPORTED);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      g_autofree char *name = g_strconcat ("picture.", types[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      gboolean writable = FALSE;

      for (GSList *l = gdk_pixbuf_get_formats (); l != NULL; l = g_slist_delete_link (l, l))
        {
          g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);

          if (g_str_equal (format_name, types[i]) && gdk_pixbuf_format_is_writable (l->data))
            writable = TRUE;
        }
      if (!writable)
        {
          g_test_message ("no %s loader that writes: not tested", types[i]);
          continue;
        }

      bytes = cria_test_encode (source, types[i]);
      assert_refused (f, name, bytes, CRIA_IMAGE_ERROR_UNSUPPORTED);
      decoded = cria_image_decode (bytes, 200, NULL, &error);
      g_assert_null (decoded);
      g_assert_error (error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_UNSUPPORTED);
      g_clear_error (&error);
    }

  g_assert_cmpstr (cria_image_sniff ((const guint8 *) "\xff\xd8\xff\xe0", 4), ==, "jpeg");
  g_assert_cmpstr (cria_image_sniff ((const guint8 *) "RIFF\0\0\0\0WEBPVP8 ", 16), ==, "webp");
  g_assert_null (cria_image_sniff ((const guint8 *) "RIFF\0\0\0\0WAVEfmt ", 16));
  g_assert_null (cria_image_sniff ((const guint8 *) "II*\0", 4));
}

/* 200,000 frames took a minute to decode though only the first is shown:
 * now the frames after the first are never given to the loader. */
#define MANY_FRAMES 200000

static void
test_gif_many_frames (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GBytes) gif = cria_test_many_frame_gif (MANY_FRAMES);
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;
  g_autoptr(GError) error = NULL;
  gsize before;

  g_assert_cmpuint (g_bytes_get_size (gif), >, MANY_FRAMES * 20);

  before = _cria_image_get_bytes_decoded ();
  image = prepare_bytes (f, "anim.gif", gif, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  g_assert_no_error (error);
  g_test_message ("%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " bytes decoded",
                  _cria_image_get_bytes_decoded () - before, g_bytes_get_size (gif));
  g_assert_cmpuint (_cria_image_get_bytes_decoded () - before, <, 100);
  decoded = decode (image);
  g_assert_true (cria_test_colour_near (cria_test_pixel (decoded, 0, 0), RED, 0));

  before = _cria_image_get_bytes_decoded ();
  thumbnail = cria_image_decode (gif, 200, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (_cria_image_get_bytes_decoded () - before, <, 100);
  g_assert_true (cria_test_colour_near (cria_test_pixel (thumbnail, 0, 0), RED, 0));
}

/* The GIF walk: the first frame ends where its data ends, however the data
 * is split; extensions and palettes are stepped over. */
static void
test_gif_cut (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GBytes) gif = cria_test_two_frame_gif ();
  gsize len;
  const guint8 *bytes = g_bytes_get_data (gif, &len);
  /* Header 13, palette 6, NETSCAPE extension 19, control 8, frame 15. */
  const gsize first_frame_end = 13 + 6 + 19 + 8 + 15;

  for (gsize piece = 1; piece <= len; piece++)
    {
      CriaGifCut cut;
      gsize taken = 0;

      cria_gif_cut_init (&cut);
      for (gsize at = 0; at < len && !cria_gif_cut_done (&cut); at += piece)
        taken += cria_gif_cut_feed (&cut, bytes + at, MIN (piece, len - at));
      g_assert_true (cria_gif_cut_done (&cut));
      g_assert_cmpuint (taken, ==, first_frame_end);
    }
}

static void
test_pixels_too_large (Fixture       *f,
                       gconstpointer  data)
{
  /* 8000 × 7000: 56 megapixels. Untouched anonymous pages cost no memory. */
  int width = 8000, height = 7000, stride = width * 4;
  gsize size = (gsize) stride * height;
  void *pixels = mmap (NULL, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(CriaAttachment) attachment = NULL;
  const GError *error;

  g_assert_true (pixels != MAP_FAILED);
  bytes = g_bytes_new_static (pixels, size);
  attachment = cria_attachment_new_for_pixels (bytes, width, height, stride, NULL);
  cria_attachment_prepare (attachment, 0);
  while (cria_attachment_get_state (attachment) == CRIA_ATTACHMENT_STATE_PREPARING)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (cria_attachment_get_state (attachment), ==, CRIA_ATTACHMENT_STATE_FAILED);
  error = cria_attachment_get_error (attachment);
  g_assert_error ((GError *) error, CRIA_IMAGE_ERROR, CRIA_IMAGE_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "8000"));
  g_clear_object (&attachment);
  g_clear_pointer (&bytes, g_bytes_unref);
  munmap (pixels, size);
}

/* Runs in a child process, so the peak it measures is its own. */
static void
huge_image_child (GBytes         *bytes,
                  const char     *name,
                  int             expected_side,
                  CriaImageError  expected_error)
{
  g_autofree char *dir = g_dir_make_tmp ("cria-huge-XXXXXX", NULL);
  g_autoptr(GFile) file = cria_test_write_file (dir, name, bytes);
  g_autoptr(CriaPreparedImage) image = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;
  gint64 growth;

  cria_test_reset_peak_rss ();
  before = cria_test_peak_rss_kb ();
  image = prepare_file (file, CRIA_IMAGE_DEFAULT_MAX_SIDE, &error);
  growth = cria_test_peak_rss_kb () - before;
  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);

  g_test_message ("peak memory grew by %" G_GINT64_FORMAT " MB", growth / 1024);
  if (expected_side > 0)
    {
      g_assert_no_error (error);
      g_assert_cmpint (image->width, ==, expected_side);
      g_assert_cmpint (image->height, ==, expected_side);
      g_assert_cmpint (image->original_width, ==, 10000);
    }
  else
    g_assert_error (error, CRIA_IMAGE_ERROR, (int) expected_error);

  /* Decoding all 100 million pixels would take 300 MB. */
  g_assert_cmpint (growth, <, 120 * 1024);
}

static void
test_huge_jpeg (Fixture       *f,
                gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) jpeg = cria_test_gray_jpeg (10000, 10000);

      huge_image_child (jpeg, "huge.jpg", CRIA_IMAGE_DEFAULT_MAX_SIDE, 0);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_huge_png (Fixture       *f,
               gconstpointer  data)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GBytes) png = cria_test_black_png (10000, 10000);

      huge_image_child (png, "huge.png", 0, CRIA_IMAGE_ERROR_TOO_LARGE);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDOUT | G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();

#define ADD(path, func) \
  g_test_add ("/image-preparer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("photo-scaled", test_photo_scaled);
  ADD ("progress-on-main-thread", test_progress_on_main_thread);
  ADD ("small-not-upscaled", test_small_not_upscaled);
  ADD ("max-side-setting", test_max_side_setting);
  ADD ("alpha-stays-png", test_alpha_stays_png);
  ADD ("screenshot-png", test_screenshot_png);
  ADD ("exif-orientation", test_exif_orientation);
  ADD ("formats", test_formats);
  ADD ("gif-first-frame", test_gif_first_frame);
  ADD ("gif-many-frames", test_gif_many_frames);
  ADD ("gif-cut", test_gif_cut);
  ADD ("unpromised-formats", test_unpromised_formats);
  ADD ("pixels-too-large", test_pixels_too_large);
  ADD ("bad-input", test_bad_input);
  ADD ("vanished-file", test_vanished_file);
  ADD ("attachment-cancel", test_attachment_cancel);
  ADD ("pixels", test_pixels);
  ADD ("huge-jpeg", test_huge_jpeg);
  ADD ("huge-png", test_huge_png);

#undef ADD

  return g_test_run ();
}

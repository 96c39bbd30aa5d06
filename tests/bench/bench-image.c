/* bench-image.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Measures preparing a 24-megapixel camera photo (6000 × 4000 JPEG, made
 * here) into a ready image_url part: the time from the call to the data URL,
 * the peak memory it adds, and the longest the main loop went without
 * running while the worker did the work (a 1 ms timeout notes every gap).
 * Beside it, in the same run, the plain way: decoding every pixel with
 * gdk_pixbuf_new_from_file() and then scaling. Targets: 500 ms, and no
 * main-loop stall over 16 ms. It reports numbers and exits 0; it exits 1
 * only when the result is wrong (wrong size, EXIF left in).
 *
 *   meson test -C build --benchmark --verbose
 *   or: ./build/tests/bench/bench-image [RUNS] */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "cria-image-preparer.h"
#include "cria-test-images.h"

#define WIDTH 6000
#define HEIGHT 4000

typedef struct
{
  CriaPreparedImage *image;
  GError            *error;
  gboolean           done;
  gint64             last_tick;
  gint64             longest_gap;
} Run;

static gboolean
tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  run->longest_gap = MAX (run->longest_gap, now - run->last_tick);
  run->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Run *run = user_data;

  run->image = cria_image_prepare_finish (result, &run->error);
  run->done = TRUE;
}

/* Writes the photo in a child process, so its 72 MB of pixels never count
 * in this process's peak. */
static int
generate (const char *path)
{
  g_autoptr(GdkPixbuf) photo = cria_test_photo_pixbuf (WIDTH, HEIGHT);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  gsize len;

  gdk_pixbuf_save_to_buffer (photo, &buffer, &len, "jpeg", &error, "quality", "92", NULL);
  g_assert_no_error (error);
  plain = g_bytes_new_take (g_steal_pointer (&buffer), len);
  /* A camera's EXIF block with a GPS position, which must not survive. */
  jpeg = cria_test_add_exif (plain, 1);
  g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error);
  g_assert_no_error (error);

  return 0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *times = NULL;
  g_autofree double *stalls = NULL;
  const char *child_argv[4];
  int runs = 5;
  int status = 0;
  gint64 rss_before;
  gint64 rss_ours;
  gint64 rss_first = 0;
  gint64 start;
  double plain_ms;
  int wait_status;

  if (argc == 3 && g_str_equal (argv[1], "--generate"))
    return generate (argv[2]);
  if (argc > 1)
    runs = MAX (1, atoi (argv[1]));

  dir = g_dir_make_tmp ("cria-bench-image-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "photo.jpg", NULL);
  child_argv[0] = argv[0];
  child_argv[1] = "--generate";
  child_argv[2] = path;
  child_argv[3] = NULL;
  g_spawn_sync (NULL, (char **) child_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (wait_status, &error);
  g_assert_no_error (error);
  file = g_file_new_for_path (path);

  times = g_new0 (double, runs);
  stalls = g_new0 (double, runs);
  cria_test_reset_peak_rss ();
  rss_before = cria_test_peak_rss_kb ();

  for (int i = 0; i < runs; i++)
    {
      Run run = { 0 };
      g_autoptr(GBytes) encoded = NULL;
      guint tick;

      run.last_tick = start = g_get_monotonic_time ();
      tick = g_timeout_add (1, tick_cb, &run);
      cria_image_prepare_file_async (file, CRIA_IMAGE_DEFAULT_MAX_SIDE, NULL, NULL, NULL, prepared_cb, &run);
      while (!run.done)
        g_main_context_iteration (NULL, TRUE);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      tick_cb (&run);
      g_source_remove (tick);
      stalls[i] = run.longest_gap / 1000.0;

      if (run.image == NULL)
        {
          g_printerr ("preparing failed: %s\n", run.error->message);
          return 1;
        }
      encoded = cria_test_decode_data_url (run.image->data_url, NULL);
      if (run.image->width != 1536 || run.image->height != 1024 || cria_test_has_exif (encoded))
        {
          g_printerr ("wrong result: %d × %d, EXIF %s\n", run.image->width, run.image->height,
                      cria_test_has_exif (encoded) ? "left in" : "gone");
          status = 1;
        }
      if (i == 0)
        {
          rss_first = cria_test_peak_rss_kb () - rss_before;
          g_autofree char *original = g_format_size (run.image->original_size);
          g_autofree char *url = g_format_size (strlen (run.image->data_url));

          printf ("24 MP JPEG (%s) → %s, %d × %d, data URL %s\n",
                  original, run.image->mime_type, run.image->width, run.image->height, url);
        }
      cria_prepared_image_unref (run.image);
    }
  rss_ours = cria_test_peak_rss_kb () - rss_before;

  /* The plain way, after ours so its peak does not hide ours. */
  start = g_get_monotonic_time ();
  {
    g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, &error);
    g_autoptr(GdkPixbuf) scaled = NULL;
    g_autofree char *buffer = NULL;
    gsize len;

    g_assert_no_error (error);
    scaled = gdk_pixbuf_scale_simple (full, 1536, 1024, GDK_INTERP_BILINEAR);
    gdk_pixbuf_save_to_buffer (scaled, &buffer, &len, "jpeg", &error, "quality", "90", NULL);
    g_assert_no_error (error);
  }
  plain_ms = (g_get_monotonic_time () - start) / 1000.0;

  qsort (times, runs, sizeof (double), compare_doubles);
  qsort (stalls, runs, sizeof (double), compare_doubles);
  printf ("prepare (worker thread): best %.0f ms, median %.0f ms over %d runs (target ≤ 500 ms)\n",
          times[0], times[runs / 2], runs);
  printf ("longest main-loop stall meanwhile: %.1f ms, median run %.1f ms (target ≤ 16 ms)\n",
          stalls[runs - 1], stalls[runs / 2]);
  /* Later runs may land on other worker threads, whose malloc arenas keep
   * what earlier runs freed: the first run is the cost of one image. */
  printf ("peak RSS added: %" G_GINT64_FORMAT " MB by the first run, %" G_GINT64_FORMAT " MB after all %d "
          "(the decoded 24 MP alone would be 69 MB)\n", rss_first / 1024, rss_ours / 1024, runs);
  printf ("plain full decode + scale + encode, same run: %.0f ms (%.1f× ours), peak RSS now %" G_GINT64_FORMAT " MB\n",
          plain_ms, plain_ms / times[0], cria_test_peak_rss_kb () / 1024);

  g_unlink (path);
  g_rmdir (dir);

  return status;
}

/* test-math-golden.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Formulas drawn offscreen exactly as the view draws them, compared with
 * the images in tests/data/math/golden/. Rendering differs a little between
 * FreeType and cairo versions, and rounding may move a glyph by a fraction
 * of a pixel, so an image matches when it is the same size within a pixel
 * and few of its pixels have no close match within a pixel around: a moved
 * script, a missing rule or a wrong glyph leaves hundreds unmatched.
 *
 * To accept new images after a deliberate change to the layout:
 *   CRIA_UPDATE_GOLDEN=1 build-aux/run-headless.sh meson test -C build math-golden
 * then look at the changed PNGs (git diff shows them) before committing. */

#include "config.h"

#include <gtk/gtk.h>

#include "cria-math-style.h"

#define SIZE_PX 20.0
#define PADDING 4
/* A pixel differs when a channel differs by more than this. */
#define PIXEL_TOLERANCE 64
/* An image matches when at most this share of its pixels differ. */
#define DIFFERING_SHARE 0.01

typedef struct
{
  char     *name;
  gboolean  display;
  char     *latex;
} Golden;

static void
golden_free (gpointer data)
{
  Golden *golden = data;

  g_free (golden->name);
  g_free (golden->latex);
  g_free (golden);
}

static GPtrArray *goldens;

static void
load_goldens (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "math", "golden", "formulas.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  goldens = g_ptr_array_new_with_free_func (golden_free);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Golden *golden;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", 3);
      g_assert_cmpuint (g_strv_length (fields), ==, 3);

      golden = g_new0 (Golden, 1);
      golden->name = g_strdup (fields[0]);
      golden->display = g_str_equal (fields[1], "D");
      golden->latex = g_strdup (fields[2]);
      g_ptr_array_add (goldens, golden);
    }
}

static cairo_surface_t *
render (const Golden *golden)
{
  g_autoptr(CriaMathFormula) formula = cria_math_formula_lookup (golden->latex, golden->display);
  const CriaMathLayout *layout;
  GdkRGBA black = { 0, 0, 0, 1 };
  GdkRGBA white = { 1, 1, 1, 1 };

  g_assert_null (cria_math_formula_get_error (formula));
  layout = cria_math_formula_get_layout (formula, SIZE_PX);
  g_assert_nonnull (layout);

  return cria_math_layout_render (layout, &black, &white, PADDING);
}

static gboolean
pixels_close (const guchar *p,
              const guchar *q)
{
  for (int c = 0; c < 4; c++)
    if (ABS ((int) p[c] - (int) q[c]) > PIXEL_TOLERANCE)
      return FALSE;
  return TRUE;
}

/* The pixels of @a with no pixel of @b close to them within one pixel
 * around, over the area both cover: a glyph moved by a fraction of a pixel
 * (rounding changes) matches, one moved by more does not. */
static guint
count_unmatched (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  int width = MIN (cairo_image_surface_get_width (a), cairo_image_surface_get_width (b));
  int height = MIN (cairo_image_surface_get_height (a), cairo_image_surface_get_height (b));
  int stride_a = cairo_image_surface_get_stride (a);
  int stride_b = cairo_image_surface_get_stride (b);
  const guchar *pa = cairo_image_surface_get_data (a);
  const guchar *pb = cairo_image_surface_get_data (b);
  guint unmatched = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        gboolean matched = FALSE;

        for (int dy = -1; dy <= 1 && !matched; dy++)
          for (int dx = -1; dx <= 1 && !matched; dx++)
            {
              int u = x + dx, v = y + dy;

              if (u >= 0 && v >= 0 && u < width && v < height)
                matched = pixels_close (pa + y * stride_a + x * 4, pb + v * stride_b + u * 4);
            }
        if (!matched)
          unmatched++;
      }

  return unmatched;
}

static guint
count_differing (cairo_surface_t *a,
                 cairo_surface_t *b)
{
  return MAX (count_unmatched (a, b), count_unmatched (b, a));
}

static void
test_golden (gconstpointer data)
{
  const Golden *golden = data;
  g_autofree char *file = g_strconcat (golden->name, ".png", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "math", "golden", file, NULL);
  cairo_surface_t *actual = render (golden);
  cairo_surface_t *expected;
  guint differing;
  guint allowed;

  if (g_strcmp0 (g_getenv ("CRIA_UPDATE_GOLDEN"), "1") == 0)
    {
      g_assert_cmpint (cairo_surface_write_to_png (actual, path), ==, CAIRO_STATUS_SUCCESS);
      g_test_message ("wrote %s", path);
      cairo_surface_destroy (actual);
      return;
    }

  expected = cairo_image_surface_create_from_png (path);
  if (cairo_surface_status (expected) != CAIRO_STATUS_SUCCESS)
    g_error ("%s: %s (CRIA_UPDATE_GOLDEN=1 makes it)", path, cairo_status_to_string (cairo_surface_status (expected)));

  /* Both are opaque, so ARGB32 and RGB24 pixels compare alike. Rounding
   * may make the image a pixel wider or taller, no more. */
  if (ABS (cairo_image_surface_get_width (actual) - cairo_image_surface_get_width (expected)) > 1 ||
      ABS (cairo_image_surface_get_height (actual) - cairo_image_surface_get_height (expected)) > 1)
    {
      g_test_fail_printf ("%s: drawn %dx%d, the image is %dx%d", golden->name,
                          cairo_image_surface_get_width (actual), cairo_image_surface_get_height (actual),
                          cairo_image_surface_get_width (expected), cairo_image_surface_get_height (expected));
      cairo_surface_destroy (expected);
      cairo_surface_destroy (actual);
      return;
    }

  differing = count_differing (actual, expected);
  allowed = (guint) (DIFFERING_SHARE * cairo_image_surface_get_width (actual) * cairo_image_surface_get_height (actual));
  if (differing > allowed)
    {
      g_autofree char *out = g_strdup_printf ("%s/%s-actual.png", g_get_tmp_dir (), golden->name);

      cairo_surface_write_to_png (actual, out);
      g_test_message ("%s: %u pixels differ (at most %u allowed); drawn now: %s",
                      golden->name, differing, allowed, out);
    }
  g_assert_cmpuint (differing, <=, allowed);

  cairo_surface_destroy (expected);
  cairo_surface_destroy (actual);
}

/* The tolerance must still catch a real change: the same formula with one
 * script moved is far from its image. */
static void
test_detects_change (void)
{
  Golden moved = { (char *) "power", FALSE, (char *) "x_2+1" };
  Golden *power = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *actual;
  cairo_surface_t *expected;

  if (g_strcmp0 (g_getenv ("CRIA_UPDATE_GOLDEN"), "1") == 0)
    {
      g_test_skip ("writing golden images");
      return;
    }

  for (guint i = 0; i < goldens->len; i++)
    if (g_str_equal (((Golden *) g_ptr_array_index (goldens, i))->name, "power"))
      power = g_ptr_array_index (goldens, i);
  g_assert_nonnull (power);

  path = g_test_build_filename (G_TEST_DIST, "data", "math", "golden", "power.png", NULL);
  expected = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (expected), ==, CAIRO_STATUS_SUCCESS);
  actual = render (&moved);

  /* The sizes agree within the pixel allowed, so only the pixels can tell. */
  g_assert_cmpint (ABS (cairo_image_surface_get_width (actual) - cairo_image_surface_get_width (expected)), <=, 1);
  g_assert_cmpint (ABS (cairo_image_surface_get_height (actual) - cairo_image_surface_get_height (expected)), <=, 1);
  g_assert_cmpuint (count_differing (actual, expected), >,
                    DIFFERING_SHARE * cairo_image_surface_get_width (actual) * cairo_image_surface_get_height (actual));

  cairo_surface_destroy (expected);
  cairo_surface_destroy (actual);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Every image is compared, so that one run lists all that changed. */
  g_test_set_nonfatal_assertions ();

  load_goldens ();
  g_assert_cmpuint (goldens->len, >=, 30);
  for (guint i = 0; i < goldens->len; i++)
    {
      Golden *golden = g_ptr_array_index (goldens, i);
      g_autofree char *test_path = g_strconcat ("/math-golden/", golden->name, NULL);

      g_test_add_data_func (test_path, golden, test_golden);
    }
  g_test_add_func ("/math-golden/detects-change", test_detects_change);

  return g_test_run ();
}

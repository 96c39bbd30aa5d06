/* test-format.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib.h>

#include "cria-format.h"

typedef struct
{
  double      usd;
  const char *text;
} Cost;

static void
assert_cost (double      usd,
             const char *expected)
{
  g_autofree char *text = cria_format_cost (usd);

  g_assert_cmpstr (text, ==, expected);
}

static void
use_c_locale (void)
{
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
}

/* Switches to German number formats: "." groups digits, "," marks the
 * decimals. FALSE (and the test skipped, saying why) only when the
 * machine has no sources to compile the locale from. */
static gboolean
use_german_locale (void)
{
  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    return TRUE;

  /* With the locale's sources at hand, a missing locale is the build's fault. */
  if (g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("de_DE.UTF-8 was not compiled into %s although its sources exist",
                      CRIA_TEST_LOCPATH);
      g_test_fail ();
      return FALSE;
    }

  g_test_skip ("the de_DE.UTF-8 locale is not available: install Debian's locales package "
               "(build-aux/install-deps.sh)");
  return FALSE;
}

/* One precision rule: a cent or more in cents, fractions of a cent in two
 * significant digits. */
static void
test_cost_precision (void)
{
  static const Cost costs[] = {
    { 0, "$0.00" },
    { 1, "$1.00" },
    { 0.03, "$0.03" },
    { 0.126, "$0.13" },
    { 1.5, "$1.50" },
    { 2.0 / 3.0, "$0.67" },
    { 12.3456, "$12.35" },
    { 0.0123456789, "$0.01" },
    { 0.00123456789, "$0.0012" },
    { 0.0000370200001, "$0.000037" },
    { 0.000001, "$0.000001" },
    /* Less than the last digit shown: still not "unknown". */
    { 0.0000000123456, "$0.000000" },
  };

  use_c_locale ();
  for (gsize i = 0; i < G_N_ELEMENTS (costs); i++)
    assert_cost (costs[i].usd, costs[i].text);
}

/* Prices keep their digits below the cent; other amounts read as costs. */
static void
test_price_precision (void)
{
  static const Cost prices[] = {
    { 0, "$0.00" },
    { 1, "$1.00" },
    { 0.03, "$0.03" },
    { 0.1, "$0.10" },
    { 0.125, "$0.125" },
    { 0.0375, "$0.0375" },
    { 2.0 / 3.0, "$0.67" },
    { 0.00123456789, "$0.0012" },
  };

  use_c_locale ();
  for (gsize i = 0; i < G_N_ELEMENTS (prices); i++)
    {
      g_autofree char *text = cria_format_price (prices[i].usd);

      g_assert_cmpstr (text, ==, prices[i].text);
    }
  g_assert_null (cria_format_price (-1));
}

static void
test_cost_unknown (void)
{
  use_c_locale ();
  assert_cost (-1, NULL);
  assert_cost (-0.000001, NULL);
  assert_cost (NAN, NULL);
  assert_cost (INFINITY, NULL);
  g_assert_null (cria_format_estimated_cost (-1));
}

static void
test_estimated_cost (void)
{
  g_autofree char *small = NULL;
  g_autofree char *cents = NULL;

  use_c_locale ();
  small = cria_format_estimated_cost (0.00123456789);
  cents = cria_format_estimated_cost (12.3456);
  g_assert_cmpstr (small, ==, "≈ $0.0012");
  g_assert_cmpstr (cents, ==, "≈ $12.35");
}

/* The C locale has no digit grouping. */
static void
test_c_locale (void)
{
  g_autofree char *tokens = NULL;
  g_autofree char *zero = NULL;

  use_c_locale ();
  assert_cost (1234567.891, "$1234567.89");
  tokens = cria_format_tokens (1234567);
  zero = cria_format_tokens (0);
  g_assert_cmpstr (tokens, ==, "1234567");
  g_assert_cmpstr (zero, ==, "0");
  g_assert_null (cria_format_tokens (-1));
}

static void
test_grouping (void)
{
  g_autofree char *tokens = NULL;
  g_autofree char *small_tokens = NULL;
  g_autofree char *context = NULL;
  g_autofree char *price = NULL;

  if (!use_german_locale ())
    return;

  assert_cost (1234567.891, "$1.234.567,89");
  assert_cost (0.126, "$0,13");
  assert_cost (0.00123456789, "$0,0012");
  assert_cost (0, "$0,00");
  tokens = cria_format_tokens (1234567);
  small_tokens = cria_format_tokens (999);
  context = cria_format_context_size (2000000);
  price = cria_format_price (1234.125);
  g_assert_cmpstr (price, ==, "$1.234,125");
  g_assert_cmpstr (tokens, ==, "1.234.567");
  g_assert_cmpstr (small_tokens, ==, "999");
  g_assert_cmpstr (context, ==, "2.000K");

  use_c_locale ();
}

static void
test_context_size (void)
{
  static const struct {
    gint64      n_tokens;
    const char *text;
  } sizes[] = {
    { 131072, "128K" },
    { 128000, "128K" },
    { 32768, "32K" },
    { 40960, "40K" },
    { 100352, "98K" },
    { 12345, "12K" },
    { 999, "999" },
    { 1, "1" },
  };

  use_c_locale ();
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *text = cria_format_context_size (sizes[i].n_tokens);

      g_assert_cmpstr (text, ==, sizes[i].text);
    }
  g_assert_null (cria_format_context_size (0));
  g_assert_null (cria_format_context_size (-5));
}

int
main (int   argc,
      char *argv[])
{
  /* The test's own compiled locales (see tests/ui/meson.build); messages
   * stay untranslated, so only the number formats change. */
  g_setenv ("LOCPATH", CRIA_TEST_LOCPATH, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/format/cost-precision", test_cost_precision);
  g_test_add_func ("/format/price-precision", test_price_precision);
  g_test_add_func ("/format/cost-unknown", test_cost_unknown);
  g_test_add_func ("/format/estimated-cost", test_estimated_cost);
  g_test_add_func ("/format/c-locale", test_c_locale);
  g_test_add_func ("/format/grouping", test_grouping);
  g_test_add_func ("/format/context-size", test_context_size);

  return g_test_run ();
}

/* test-bigint.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calculator's arbitrary-precision integers: known values, and many
 * random products and quotients checked against the identities they must
 * keep (a = q * b + r with 0 <= r < |b|), from a fixed seed.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cria-bigint.h"

static CriaBigint *
parse (const char *text)
{
  gboolean negative = text[0] == '-';
  const char *digits = negative ? text + 1 : text;
  CriaBigint *a = cria_bigint_new_from_digits (digits, strlen (digits), 10);

  if (negative)
    {
      CriaBigint *t = cria_bigint_negate (a);

      cria_bigint_free (a);
      a = t;
    }
  return a;
}

static void
assert_text (const CriaBigint *a,
             const char       *expected)
{
  g_autofree char *text = cria_bigint_to_string (a);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_equal (const CriaBigint *a,
              const CriaBigint *b)
{
  if (cria_bigint_compare (a, b) != 0)
    {
      g_autofree char *x = cria_bigint_to_string (a);
      g_autofree char *y = cria_bigint_to_string (b);

      g_error ("%s is not %s", x, y);
    }
}

/* A number of 1 to max_limbs limbs, often made of the limbs that divide
 * awkwardly (all ones, a lone top bit), with a random sign. */
static CriaBigint *
random_bigint (GRand *rand,
               guint  max_limbs)
{
  static const guint32 awkward[] = { 0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE };
  g_autoptr(GString) hex = g_string_new (NULL);
  guint limbs = (guint) g_rand_int_range (rand, 1, (gint32) max_limbs + 1);
  CriaBigint *a;

  for (guint i = 0; i < limbs; i++)
    {
      guint32 limb = g_rand_boolean (rand) ? awkward[g_rand_int_range (rand, 0, G_N_ELEMENTS (awkward))]
                                           : g_rand_int (rand);

      g_string_append_printf (hex, "%08x", limb);
    }
  a = cria_bigint_new_from_digits (hex->str, hex->len, 16);
  if (g_rand_boolean (rand))
    {
      CriaBigint *t = cria_bigint_negate (a);

      cria_bigint_free (a);
      a = t;
    }
  return a;
}

static void
test_known_values (void)
{
  static const gint64 edges[] = { 0, 1, -1, 4294967295, 4294967296, -4294967296, G_MAXINT64, G_MININT64 };
  g_autoptr(CriaBigint) two = cria_bigint_new_from_int64 (2);
  g_autoptr(CriaBigint) big = cria_bigint_pow (two, 100);
  g_autoptr(CriaBigint) top = parse ("9223372036854775808");
  g_autoptr(CriaBigint) nines = parse ("999999999999999999999999999999");
  g_autoptr(CriaBigint) square = cria_bigint_mul (nines, nines);
  g_autoptr(CriaBigint) hex = cria_bigint_new_from_digits ("ffffffffffffffffffff", 20, 16);
  g_autoptr(CriaBigint) zero = parse ("000");
  gint64 back;

  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    {
      g_autoptr(CriaBigint) a = cria_bigint_new_from_int64 (edges[i]);
      g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, edges[i]);

      assert_text (a, expected);
      g_assert_true (cria_bigint_to_int64 (a, &back));
      g_assert_cmpint (back, ==, edges[i]);
      g_assert_cmpint (cria_bigint_sign (a), ==, edges[i] < 0 ? -1 : edges[i] > 0 ? 1 : 0);
    }

  assert_text (big, "1267650600228229401496703205376");
  g_assert_cmpuint (cria_bigint_bits (big), ==, 101);
  g_assert_cmpuint (cria_bigint_trailing_zeros (big), ==, 100);
  g_assert_false (cria_bigint_to_int64 (big, &back));
  g_assert_false (cria_bigint_to_int64 (top, &back));
  assert_text (square, "999999999999999999999999999998000000000000000000000000000001");
  assert_text (hex, "1208925819614629174706175");
  assert_text (zero, "0");
  g_assert_true (cria_bigint_is_zero (zero));
  g_assert_cmpint (cria_bigint_sign (zero), ==, 0);
}

static void
test_doubles (void)
{
  g_autoptr(CriaBigint) two = cria_bigint_new_from_int64 (2);
  g_autoptr(CriaBigint) p53 = cria_bigint_pow (two, 53);
  g_autoptr(CriaBigint) one = cria_bigint_new_from_int64 (1);
  g_autoptr(CriaBigint) p53_1 = cria_bigint_add (p53, one);
  g_autoptr(CriaBigint) p1023 = cria_bigint_pow (two, 1023);
  g_autoptr(CriaBigint) p1024 = cria_bigint_pow (two, 1024);
  g_autoptr(CriaBigint) p5000 = cria_bigint_pow (two, 5000);
  g_autoptr(CriaBigint) minus = cria_bigint_negate (p5000);
  g_autoptr(CriaBigint) ten = cria_bigint_new_from_int64 (10);
  g_autoptr(CriaBigint) e300 = cria_bigint_pow (ten, 300);
  g_autoptr(CriaBigint) above_half = NULL;
  g_autoptr(CriaBigint) p70 = cria_bigint_pow (two, 70);
  g_autoptr(CriaBigint) p17 = cria_bigint_pow (two, 17);
  gint64 e;

  /* 2^53 + 1 is a tie: it rounds to even. One more bit far below breaks the
   * tie upwards, which only a sticky bit can see. */
  g_assert_cmpfloat (cria_bigint_to_double (p53_1), ==, 9007199254740992.0);
  above_half = cria_bigint_add (p70, p17);
  {
    g_autoptr(CriaBigint) sum = cria_bigint_add (above_half, one);

    /* 2^70 + 2^17 is a tie between 2^70 and 2^70 + 2^18; + 1 tips it up. */
    g_assert_cmpfloat (cria_bigint_to_double (above_half), ==, ldexp (1, 70));
    g_assert_cmpfloat (cria_bigint_to_double (sum), ==, ldexp (1, 70) + ldexp (1, 18));
  }
  {
    /* 128 bits: the window of 64 top bits starts on a limb boundary. */
    g_autoptr(CriaBigint) p127 = cria_bigint_pow (two, 127);
    g_autoptr(CriaBigint) p74 = cria_bigint_pow (two, 74);
    g_autoptr(CriaBigint) tie = cria_bigint_add (p127, p74);
    g_autoptr(CriaBigint) above = cria_bigint_add (tie, one);

    g_assert_cmpfloat (cria_bigint_to_double (tie), ==, ldexp (1, 127));
    g_assert_cmpfloat (cria_bigint_to_double (above), ==, ldexp (1, 127) + ldexp (1, 75));
  }
  g_assert_cmpfloat (cria_bigint_to_double (p1023), ==, ldexp (1, 1023));
  g_assert_true (isinf (cria_bigint_to_double (p1024)));
  g_assert_true (cria_bigint_to_double (minus) < 0 && isinf (cria_bigint_to_double (minus)));
  g_assert_cmpfloat_with_epsilon (cria_bigint_to_double (e300) / 1e300, 1.0, 1e-15);
  g_assert_cmpfloat (cria_bigint_frexp (minus, &e), ==, -0.5);
  g_assert_cmpint (e, ==, 5001);
}

static void
test_roots (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  g_autoptr(CriaBigint) one = cria_bigint_new_from_int64 (1);

  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(CriaBigint) x = random_bigint (rand, 12);
      g_autoptr(CriaBigint) r = cria_bigint_abs (x);
      guint k = 2 + round % 3;
      g_autoptr(CriaBigint) power = cria_bigint_pow (r, k);
      g_autoptr(CriaBigint) below = cria_bigint_sub (power, one);
      g_autoptr(CriaBigint) root = cria_bigint_root (power, k);
      g_autoptr(CriaBigint) r_less = cria_bigint_sub (r, one);

      /* r^k has root r, and r^k - 1 has root r - 1. */
      assert_equal (root, r);
      if (!cria_bigint_is_zero (r))
        {
          g_autoptr(CriaBigint) root_below = cria_bigint_root (below, k);

          assert_equal (root_below, r_less);
        }
    }
  g_rand_free (rand);
}

static void
test_rounding (void)
{
  static const struct
  {
    gint64 n, d;
    gint64 floor, ceil, trunc, round;
  } cases[] = {
    { 7, 2, 3, 4, 3, 4 }, { -7, 2, -4, -3, -3, -4 }, { 5, 3, 1, 2, 1, 2 }, { -5, 3, -2, -1, -1, -2 },
    { 6, 3, 2, 2, 2, 2 }, { -6, 3, -2, -2, -2, -2 }, { 0, 5, 0, 0, 0, 0 }, { -1, 3, -1, 0, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CriaBigint) n = cria_bigint_new_from_int64 (cases[i].n);
      g_autoptr(CriaBigint) d = cria_bigint_new_from_int64 (cases[i].d);
      const gint64 expected[] = { cases[i].floor, cases[i].ceil, cases[i].trunc, cases[i].round };

      for (guint mode = CRIA_BIGINT_FLOOR; mode <= CRIA_BIGINT_ROUND; mode++)
        {
          g_autoptr(CriaBigint) q = cria_bigint_div_rounded (n, d, mode);
          gint64 value;

          g_assert_true (cria_bigint_to_int64 (q, &value));
          g_assert_cmpint (value, ==, expected[mode]);
        }
    }
}

/* A fraction in lowest terms with a positive denominator, small or large. */
static void
random_fraction (GRand       *rand,
                 CriaBigint **n,
                 CriaBigint **d)
{
  g_autoptr(CriaBigint) top = random_bigint (rand, g_rand_boolean (rand) ? 1 : 6);
  g_autoptr(CriaBigint) bottom = random_bigint (rand, g_rand_boolean (rand) ? 1 : 6);
  g_autoptr(CriaBigint) positive = NULL;
  g_autoptr(CriaBigint) g = NULL;

  if (cria_bigint_is_zero (bottom))
    {
      cria_bigint_free (bottom);
      bottom = cria_bigint_new_from_int64 (7);
    }
  positive = cria_bigint_abs (bottom);
  g = cria_bigint_gcd (top, positive);
  cria_bigint_divmod (top, g, n, NULL);
  cria_bigint_divmod (positive, g, d, NULL);
}

static void
assert_lowest_terms (const CriaBigint *n,
                     const CriaBigint *d)
{
  g_autoptr(CriaBigint) g = cria_bigint_gcd (n, d);

  g_assert_cmpint (cria_bigint_sign (d), >, 0);
  g_assert_true (cria_bigint_is_unit (g));
}

static void
test_fractions (void)
{
  GRand *rand = g_rand_new_with_seed (99);

  /* Sums and products in lowest terms, checked by cross-multiplying: small
   * fractions take machine words, large ones the general path. */
  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(CriaBigint) an = NULL;
      g_autoptr(CriaBigint) ad = NULL;
      g_autoptr(CriaBigint) bn = NULL;
      g_autoptr(CriaBigint) bd = NULL;
      g_autoptr(CriaBigint) sn = NULL;
      g_autoptr(CriaBigint) sd = NULL;
      g_autoptr(CriaBigint) pn = NULL;
      g_autoptr(CriaBigint) pd = NULL;
      g_autoptr(CriaBigint) x = NULL;
      g_autoptr(CriaBigint) y = NULL;
      g_autoptr(CriaBigint) top = NULL;
      g_autoptr(CriaBigint) bottom = NULL;
      g_autoptr(CriaBigint) product_top = NULL;

      random_fraction (rand, &an, &ad);
      random_fraction (rand, &bn, &bd);
      cria_bigint_fraction_add (an, ad, bn, bd, &sn, &sd);
      cria_bigint_fraction_mul (an, ad, bn, bd, &pn, &pd);
      assert_lowest_terms (sn, sd);
      assert_lowest_terms (pn, pd);

      x = cria_bigint_mul (an, bd);
      y = cria_bigint_mul (bn, ad);
      top = cria_bigint_add (x, y);
      bottom = cria_bigint_mul (ad, bd);
      g_assert_cmpint (cria_bigint_fraction_compare (sn, sd, top, bottom), ==, 0);
      product_top = cria_bigint_mul (an, bn);
      g_assert_cmpint (cria_bigint_fraction_compare (pn, pd, product_top, bottom), ==, 0);
    }
  g_rand_free (rand);
}

static void
check_division (const CriaBigint *a,
                const CriaBigint *b)
{
  g_autoptr(CriaBigint) q = NULL;
  g_autoptr(CriaBigint) r = NULL;
  g_autoptr(CriaBigint) product = NULL;
  g_autoptr(CriaBigint) back = NULL;

  cria_bigint_divmod (a, b, &q, &r);
  g_assert_cmpint (cria_bigint_sign (r), >=, 0);
  g_assert_cmpint (cria_bigint_compare_abs (r, b), <, 0);
  product = cria_bigint_mul (q, b);
  back = cria_bigint_add (product, r);
  assert_equal (back, a);
}

static void
test_random_identities (void)
{
  GRand *rand = g_rand_new_with_seed (2026);

  for (guint round = 0; round < 3000; round++)
    {
      g_autoptr(CriaBigint) a = random_bigint (rand, 24);
      g_autoptr(CriaBigint) b = random_bigint (rand, round % 2 ? 24 : 3);
      g_autoptr(CriaBigint) sum = cria_bigint_add (a, b);
      g_autoptr(CriaBigint) difference = cria_bigint_sub (sum, b);
      g_autoptr(CriaBigint) product = cria_bigint_mul (a, b);
      g_autoptr(CriaBigint) g = cria_bigint_gcd (a, b);
      g_autofree char *text = cria_bigint_to_string (a);
      g_autoptr(CriaBigint) parsed = parse (text);
      gint64 small;

      assert_equal (difference, a);
      assert_equal (parsed, a);
      g_assert_cmpint (cria_bigint_sign (product), ==, cria_bigint_sign (a) * cria_bigint_sign (b));
      g_assert_cmpint (cria_bigint_sign (g), >=, 0);
      if (cria_bigint_to_int64 (a, &small))
        {
          g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT, small);
          g_assert_cmpstr (text, ==, expected);
        }
      if (cria_bigint_is_zero (b))
        continue;

      check_division (a, b);
      check_division (product, b);
      if (!cria_bigint_is_zero (a))
        check_division (b, a);

      {
        /* (a * b) / b is a, with nothing left over. */
        g_autoptr(CriaBigint) q = NULL;
        g_autoptr(CriaBigint) r = NULL;
        g_autoptr(CriaBigint) ga = NULL;
        g_autoptr(CriaBigint) gb = NULL;
        g_autoptr(CriaBigint) ra = NULL;
        g_autoptr(CriaBigint) rb = NULL;
        g_autoptr(CriaBigint) coprime = NULL;

        cria_bigint_divmod (product, b, &q, &r);
        g_assert_true (cria_bigint_is_zero (r));
        assert_equal (q, a);

        /* The gcd divides both, and what is left has no common factor. */
        cria_bigint_divmod (a, g, &ga, &ra);
        cria_bigint_divmod (b, g, &gb, &rb);
        g_assert_true (cria_bigint_is_zero (ra));
        g_assert_true (cria_bigint_is_zero (rb));
        coprime = cria_bigint_gcd (ga, gb);
        g_assert_true (cria_bigint_is_unit (coprime));
      }
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bigint/known-values", test_known_values);
  g_test_add_func ("/bigint/doubles", test_doubles);
  g_test_add_func ("/bigint/roots", test_roots);
  g_test_add_func ("/bigint/rounding", test_rounding);
  g_test_add_func ("/bigint/fractions", test_fractions);
  g_test_add_func ("/bigint/random-identities", test_random_identities);

  return g_test_run ();
}

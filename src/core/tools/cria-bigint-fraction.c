/* cria-bigint-fraction.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the calculator does with big integers beyond the four operations:
 * fractions (sum, product, remainder, comparison, value as a double and in
 * decimals), rounding, roots, factorials and binomials, lcm. Built on
 * cria-bigint.c's arithmetic only. */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cria-bigint-private.h"

double
cria_bigint_ratio_to_double (const CriaBigint *n,
                             const CriaBigint *d)
{
  gint64 e;
  double m;

  g_return_val_if_fail (d->len > 0, NAN);

  m = cria_bigint_fraction_frexp (n, d, &e);
  /* Past ±5000 the result is 0 or ±inf anyway; the clamp keeps int safe. */
  return m == 0 ? 0 : ldexp (m, (int) CLAMP (e, -5000, 5000));
}

double
cria_bigint_log10 (const CriaBigint *a)
{
  gint64 e;
  double m = cria_bigint_frexp (a, &e);

  return log10 (fabs (m)) + (double) e * G_LN2 / G_LN10;
}

gboolean
cria_bigint_has_at_most_digits (const CriaBigint *a,
                                gsize             max_digits)
{
  gsize bits = cria_bigint_bits (a);
  g_autofree char *digits = NULL;

  /* |a| < 2^bits <= 10^(bits log10 2), and |a| >= 2^(bits - 1): only a
   * number near the bound needs its digits counted. */
  if ((double) bits * 0.30103 < (double) max_digits - 0.01)
    return TRUE;
  if ((double) (bits - 1) * 0.30103 > (double) max_digits + 0.01)
    return FALSE;
  digits = cria_bigint_to_string (a);
  return strlen (digits) - (digits[0] == '-' ? 1 : 0) <= max_digits;
}

CriaBigint *
cria_bigint_exact_root (const CriaBigint *a,
                        guint             k)
{
  g_autoptr(CriaBigint) magnitude = cria_bigint_abs (a);
  g_autoptr(CriaBigint) r = NULL;
  g_autoptr(CriaBigint) check = NULL;

  if (a->sign < 0 && k % 2 == 0)
    return NULL;
  r = cria_bigint_root (magnitude, k);
  check = cria_bigint_pow (r, k);
  if (cria_bigint_compare (check, magnitude) != 0)
    return NULL;
  return a->sign < 0 ? cria_bigint_negate (r) : g_steal_pointer (&r);
}

/* a * factor for a small factor. */
static CriaBigint *
mul_small (const CriaBigint *a,
           guint32           factor)
{
  CriaBigint *r = _cria_bigint_alloc (a->len + 1);

  memcpy (r->limbs, a->limbs, a->len * sizeof (guint32));
  _cria_bigint_mul_add_small (r->limbs, r->len, factor, 0);
  r->sign = a->sign;
  return _cria_bigint_normalize (r);
}

CriaBigint *
cria_bigint_factorial (guint64 n)
{
  CriaBigint *result = cria_bigint_new_from_int64 (1);

  for (guint64 i = 2; i <= n; i++)
    {
      CriaBigint *t;

      if (i <= G_MAXUINT32)
        t = mul_small (result, (guint32) i);
      else
        {
          g_autoptr(CriaBigint) factor = cria_bigint_new_from_int64 ((gint64) i);
          t = cria_bigint_mul (result, factor);
        }
      cria_bigint_free (result);
      result = t;
    }
  return result;
}

CriaBigint *
cria_bigint_binomial (const CriaBigint *n,
                      guint64           k)
{
  CriaBigint *result = cria_bigint_new_from_int64 (1);

  g_return_val_if_fail (k <= G_MAXINT64, result);

  /* After step i the product n (n - 1) … (n - k + i) … / i! is whole. */
  for (guint64 i = 1; i <= k; i++)
    {
      g_autoptr(CriaBigint) offset = cria_bigint_new_from_int64 ((gint64) (k - i));
      g_autoptr(CriaBigint) factor = cria_bigint_sub (n, offset);
      g_autoptr(CriaBigint) divisor = cria_bigint_new_from_int64 ((gint64) i);
      g_autoptr(CriaBigint) product = cria_bigint_mul (result, factor);

      cria_bigint_free (result);
      cria_bigint_divmod (product, divisor, &result, NULL);
    }
  return result;
}

char *
cria_bigint_format_decimal (const CriaBigint *n,
                            const CriaBigint *d,
                            gsize             max_places)
{
  g_autoptr(CriaBigint) two = cria_bigint_new_from_int64 (2);
  g_autoptr(CriaBigint) five = cria_bigint_new_from_int64 (5);
  g_autoptr(CriaBigint) ten = cria_bigint_new_from_int64 (10);
  g_autoptr(CriaBigint) power_of_two = NULL;
  g_autoptr(CriaBigint) rest = NULL;
  g_autoptr(CriaBigint) magnitude = cria_bigint_abs (n);
  g_autoptr(CriaBigint) scale = NULL;
  g_autoptr(CriaBigint) shifted = NULL;
  g_autoptr(CriaBigint) scaled = NULL;
  g_autofree char *digits = NULL;
  gsize twos = cria_bigint_trailing_zeros (d), fives = 0, places, len;
  GString *text;

  g_return_val_if_fail (d->sign > 0, NULL);

  power_of_two = cria_bigint_pow (two, twos);
  cria_bigint_divmod (d, power_of_two, &rest, NULL);
  while (!cria_bigint_is_unit (rest))
    {
      CriaBigint *q, *r;

      cria_bigint_divmod (rest, five, &q, &r);
      if (!cria_bigint_is_zero (r) || fives >= max_places)
        {
          cria_bigint_free (q);
          cria_bigint_free (r);
          return NULL;
        }
      cria_bigint_free (r);
      cria_bigint_free (rest);
      rest = q;
      fives++;
    }

  /* |n| / d = (|n| * 10^places / d) / 10^places, and the middle is whole. */
  places = MAX (twos, fives);
  if (places > max_places)
    return NULL;
  scale = cria_bigint_pow (ten, places);
  shifted = cria_bigint_mul (magnitude, scale);
  cria_bigint_divmod (shifted, d, &scaled, NULL);
  digits = cria_bigint_to_string (scaled);
  len = strlen (digits);

  text = g_string_new (n->sign < 0 ? "-" : "");
  if (len <= places)
    {
      g_string_append (text, "0.");
      for (gsize i = len; i < places; i++)
        g_string_append_c (text, '0');
      g_string_append (text, digits);
    }
  else
    {
      g_string_append_len (text, digits, len - places);
      g_string_append_c (text, '.');
      g_string_append (text, digits + len - places);
    }
  /* In lowest terms the last place is not 0, but a decimal never ends in one. */
  while (places > 0 && text->str[text->len - 1] == '0')
    g_string_truncate (text, text->len - 1);
  if (text->str[text->len - 1] == '.')
    g_string_truncate (text, text->len - 1);
  return g_string_free (text, FALSE);
}

CriaBigint *
cria_bigint_div_rounded (const CriaBigint   *n,
                         const CriaBigint   *d,
                         CriaBigintRounding  rounding)
{
  g_autoptr(CriaBigint) magnitude = cria_bigint_abs (n);
  g_autoptr(CriaBigint) q = NULL;
  g_autoptr(CriaBigint) r = NULL;
  gboolean away;

  g_return_val_if_fail (d->sign > 0, NULL);

  /* On magnitudes: |n| = q d + r; then whether to step away from zero. */
  cria_bigint_divmod (magnitude, d, &q, &r);
  if (r->len == 0)
    away = FALSE;
  else if (rounding == CRIA_BIGINT_ROUND)
    {
      g_autoptr(CriaBigint) twice = cria_bigint_shift_left (r, 1);

      away = cria_bigint_compare (twice, d) >= 0;
    }
  else
    away = (rounding == CRIA_BIGINT_FLOOR && n->sign < 0) || (rounding == CRIA_BIGINT_CEIL && n->sign > 0);

  if (away)
    {
      g_autoptr(CriaBigint) one = cria_bigint_new_from_int64 (1);
      CriaBigint *t = cria_bigint_add (q, one);

      cria_bigint_free (q);
      q = t;
    }
  return n->sign < 0 ? cria_bigint_negate (q) : g_steal_pointer (&q);
}

/* a / b for a whole quotient. */
static CriaBigint *
exact_div (const CriaBigint *a,
           const CriaBigint *b)
{
  CriaBigint *q;

  cria_bigint_divmod (a, b, &q, NULL);
  return q;
}

static guint64
gcd64 (guint64 u,
       guint64 v)
{
  while (v != 0)
    {
      guint64 t = u % v;
      u = v;
      v = t;
    }
  return u;
}

/* The four parts of two fractions as 64-bit integers, when they all fit. */
static gboolean
small_parts (const CriaBigint *an,
             const CriaBigint *ad,
             const CriaBigint *bn,
             const CriaBigint *bd,
             gint64            parts[4])
{
  return cria_bigint_to_int64 (an, &parts[0]) && cria_bigint_to_int64 (ad, &parts[1]) &&
         cria_bigint_to_int64 (bn, &parts[2]) && cria_bigint_to_int64 (bd, &parts[3]) &&
         parts[0] != G_MININT64 && parts[2] != G_MININT64;
}

/* n/d (d > 0) in lowest terms from 64-bit parts. */
static void
small_result (gint64       n,
              gint64       d,
              CriaBigint **out_n,
              CriaBigint **out_d)
{
  guint64 g = gcd64 (n < 0 ? (guint64) 0 - (guint64) n : (guint64) n, (guint64) d);

  if (g > 1)
    {
      n /= (gint64) g;
      d /= (gint64) g;
    }
  *out_n = cria_bigint_new_from_int64 (n);
  *out_d = cria_bigint_new_from_int64 (d);
}

void
cria_bigint_fraction_add (const CriaBigint  *an,
                          const CriaBigint  *ad,
                          const CriaBigint  *bn,
                          const CriaBigint  *bd,
                          CriaBigint       **n,
                          CriaBigint       **d)
{
  g_autoptr(CriaBigint) g = NULL;
  g_autoptr(CriaBigint) ad_g = NULL;
  g_autoptr(CriaBigint) bd_g = NULL;
  g_autoptr(CriaBigint) x = NULL;
  g_autoptr(CriaBigint) y = NULL;
  g_autoptr(CriaBigint) t = NULL;
  g_autoptr(CriaBigint) h = NULL;
  g_autoptr(CriaBigint) bd_h = NULL;
  gint64 p[4], x1, y1, n1, d1;

  /* Small fractions in machine words, as long as nothing overflows. */
  if (small_parts (an, ad, bn, bd, p) &&
      !__builtin_mul_overflow (p[0], p[3], &x1) && !__builtin_mul_overflow (p[2], p[1], &y1) &&
      !__builtin_add_overflow (x1, y1, &n1) && !__builtin_mul_overflow (p[1], p[3], &d1) &&
      n1 != G_MININT64)
    {
      small_result (n1, d1, n, d);
      return;
    }
  if (cria_bigint_is_unit (ad) && cria_bigint_is_unit (bd))
    {
      *n = cria_bigint_add (an, bn);
      *d = cria_bigint_new_from_int64 (1);
      return;
    }

  /* Knuth's way (TAOCP 4.5.1): with g = gcd (ad, bd) and
   * t = an (bd / g) + bn (ad / g), the sum is (t / h) / ((ad / g) (bd / h))
   * with h = gcd (t, g): the gcds stay small, and are 1 when the
   * denominators share nothing. */
  g = cria_bigint_gcd (ad, bd);
  ad_g = exact_div (ad, g);
  bd_g = exact_div (bd, g);
  x = cria_bigint_mul (an, bd_g);
  y = cria_bigint_mul (bn, ad_g);
  t = cria_bigint_add (x, y);
  h = cria_bigint_gcd (t, g);
  bd_h = exact_div (bd, h);
  *n = exact_div (t, h);
  *d = cria_bigint_mul (ad_g, bd_h);
}

void
cria_bigint_fraction_mul (const CriaBigint  *an,
                          const CriaBigint  *ad,
                          const CriaBigint  *bn,
                          const CriaBigint  *bd,
                          CriaBigint       **n,
                          CriaBigint       **d)
{
  g_autoptr(CriaBigint) g1 = NULL;
  g_autoptr(CriaBigint) g2 = NULL;
  g_autoptr(CriaBigint) an_g = NULL;
  g_autoptr(CriaBigint) bn_g = NULL;
  g_autoptr(CriaBigint) ad_g = NULL;
  g_autoptr(CriaBigint) bd_g = NULL;
  gint64 p[4], n1, d1;

  if (small_parts (an, ad, bn, bd, p) &&
      !__builtin_mul_overflow (p[0], p[2], &n1) && !__builtin_mul_overflow (p[1], p[3], &d1) &&
      n1 != G_MININT64)
    {
      small_result (n1, d1, n, d);
      return;
    }
  if (an->len == 0 || bn->len == 0)
    {
      *n = _cria_bigint_alloc (0);
      *d = cria_bigint_new_from_int64 (1);
      return;
    }

  /* Cancelling across first keeps the gcds at the operands' size. */
  g1 = cria_bigint_gcd (an, bd);
  g2 = cria_bigint_gcd (bn, ad);
  an_g = exact_div (an, g1);
  bd_g = exact_div (bd, g1);
  bn_g = exact_div (bn, g2);
  ad_g = exact_div (ad, g2);
  *n = cria_bigint_mul (an_g, bn_g);
  *d = cria_bigint_mul (ad_g, bd_g);
}

void
cria_bigint_fraction_mod (const CriaBigint  *an,
                          const CriaBigint  *ad,
                          const CriaBigint  *bn,
                          const CriaBigint  *bd,
                          CriaBigint       **n,
                          CriaBigint       **d)
{
  /* Over the common denominator ad bd: (an bd) mod (bn ad). */
  g_autoptr(CriaBigint) top = cria_bigint_mul (an, bd);
  g_autoptr(CriaBigint) divisor = cria_bigint_mul (bn, ad);
  g_autoptr(CriaBigint) r = NULL;
  g_autoptr(CriaBigint) denominator = cria_bigint_mul (ad, bd);
  g_autoptr(CriaBigint) g = NULL;

  g_return_if_fail (bn->len > 0);

  cria_bigint_divmod (top, divisor, NULL, &r);
  if (divisor->sign < 0 && r->len > 0)
    {
      CriaBigint *t = cria_bigint_add (r, divisor);

      cria_bigint_free (r);
      r = t;
    }
  if (r->len == 0)
    {
      *n = g_steal_pointer (&r);
      *d = cria_bigint_new_from_int64 (1);
      return;
    }
  g = cria_bigint_gcd (r, denominator);
  *n = exact_div (r, g);
  *d = exact_div (denominator, g);
}

double
cria_bigint_fraction_frexp (const CriaBigint *n,
                            const CriaBigint *d,
                            gint64           *exponent)
{
  gint64 en, ed;
  double m = cria_bigint_frexp (n, &en) / cria_bigint_frexp (d, &ed);

  *exponent = en - ed;
  return m;
}

CriaBigint *
cria_bigint_lcm (const CriaBigint *a,
                 const CriaBigint *b)
{
  g_autoptr(CriaBigint) g = NULL;
  g_autoptr(CriaBigint) share = NULL;
  g_autoptr(CriaBigint) product = NULL;

  if (a->len == 0 || b->len == 0)
    return _cria_bigint_alloc (0);
  g = cria_bigint_gcd (a, b);
  share = exact_div (a, g);
  product = cria_bigint_mul (share, b);
  return cria_bigint_abs (product);
}

int
cria_bigint_fraction_compare (const CriaBigint *an,
                              const CriaBigint *ad,
                              const CriaBigint *bn,
                              const CriaBigint *bd)
{
  g_autoptr(CriaBigint) x = cria_bigint_mul (an, bd);
  g_autoptr(CriaBigint) y = cria_bigint_mul (bn, ad);

  return cria_bigint_compare (x, y);
}

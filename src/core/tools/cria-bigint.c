/* cria-bigint.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cria-bigint-private.h"


CriaBigint *
_cria_bigint_alloc (gsize len)
{
  CriaBigint *a;

  if (len > (G_MAXSIZE - sizeof (CriaBigint)) / sizeof (guint32))
    g_error ("A number of %" G_GSIZE_FORMAT " limbs does not fit in memory", len);
  a = g_malloc0 (sizeof (CriaBigint) + len * sizeof (guint32));
  a->len = len;
  a->sign = len > 0 ? 1 : 0;
  return a;
}

CriaBigint *
_cria_bigint_normalize (CriaBigint *a)
{
  while (a->len > 0 && a->limbs[a->len - 1] == 0)
    a->len--;
  if (a->len == 0)
    a->sign = 0;
  return a;
}

CriaBigint *
cria_bigint_new_from_int64 (gint64 value)
{
  CriaBigint *a = _cria_bigint_alloc (2);
  guint64 magnitude = value < 0 ? (guint64) 0 - (guint64) value : (guint64) value;

  a->limbs[0] = (guint32) magnitude;
  a->limbs[1] = (guint32) (magnitude >> 32);
  a->sign = value < 0 ? -1 : 1;
  return _cria_bigint_normalize (a);
}

void
_cria_bigint_mul_add_small (guint32 *limbs,
                            gsize    len,
                            guint32  factor,
                            guint32  addend)
{
  guint64 carry = addend;

  for (gsize i = 0; i < len; i++)
    {
      guint64 t = (guint64) limbs[i] * factor + carry;
      limbs[i] = (guint32) t;
      carry = t >> 32;
    }
  g_assert (carry == 0);
}

CriaBigint *
cria_bigint_new_from_digits (const char *digits,
                             gsize       length,
                             guint       base)
{
  CriaBigint *a;
  guint chunk = 1;
  guint32 chunk_factor = base;
  gsize i = 0;

  g_return_val_if_fail (base >= 2 && base <= 16, NULL);
  g_return_val_if_fail (digits != NULL || length == 0, NULL);

  /* The most digits whose value stays below 2^32. */
  while ((guint64) chunk_factor * base <= G_MAXUINT32)
    {
      chunk_factor *= base;
      chunk++;
    }

  /* Each digit takes at most 4 bits. */
  a = _cria_bigint_alloc (length / 8 + 2);
  while (i < length)
    {
      guint32 factor = 1, value = 0;

      for (guint j = 0; j < chunk && i < length; j++, i++)
        {
          int digit = g_ascii_xdigit_value (digits[i]);

          if (digit < 0 || (guint) digit >= base)
            {
              g_critical ("“%c” is no digit in base %u", digits[i], base);
              cria_bigint_free (a);
              return NULL;
            }
          value = value * base + (guint32) digit;
          factor *= base;
        }
      _cria_bigint_mul_add_small (a->limbs, a->len, factor, value);
    }
  return _cria_bigint_normalize (a);
}

CriaBigint *
cria_bigint_copy (const CriaBigint *a)
{
  CriaBigint *copy;

  g_return_val_if_fail (a != NULL, NULL);

  copy = _cria_bigint_alloc (a->len);
  memcpy (copy->limbs, a->limbs, a->len * sizeof (guint32));
  copy->sign = a->sign;
  return copy;
}

void
cria_bigint_free (CriaBigint *a)
{
  g_free (a);
}

int
cria_bigint_sign (const CriaBigint *a)
{
  return a->sign;
}

gboolean
cria_bigint_is_zero (const CriaBigint *a)
{
  return a->len == 0;
}

gboolean
cria_bigint_is_odd (const CriaBigint *a)
{
  return a->len > 0 && (a->limbs[0] & 1) != 0;
}

gboolean
cria_bigint_is_unit (const CriaBigint *a)
{
  return a->len == 1 && a->limbs[0] == 1;
}

gsize
cria_bigint_bits (const CriaBigint *a)
{
  if (a->len == 0)
    return 0;
  return (a->len - 1) * 32 + (32 - (gsize) __builtin_clz (a->limbs[a->len - 1]));
}

gsize
cria_bigint_trailing_zeros (const CriaBigint *a)
{
  for (gsize i = 0; i < a->len; i++)
    if (a->limbs[i] != 0)
      return i * 32 + (gsize) __builtin_ctz (a->limbs[i]);
  return 0;
}

static int
mag_compare (const guint32 *a,
             gsize          a_len,
             const guint32 *b,
             gsize          b_len)
{
  if (a_len != b_len)
    return a_len < b_len ? -1 : 1;
  for (gsize i = a_len; i-- > 0;)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

int
cria_bigint_compare_abs (const CriaBigint *a,
                         const CriaBigint *b)
{
  return mag_compare (a->limbs, a->len, b->limbs, b->len);
}

int
cria_bigint_compare (const CriaBigint *a,
                     const CriaBigint *b)
{
  if (a->sign != b->sign)
    return a->sign < b->sign ? -1 : 1;
  return a->sign * cria_bigint_compare_abs (a, b);
}

/* Divides limbs[0..len) by divisor in place and returns the remainder. */
static guint32
div_small (guint32 *limbs,
           gsize    len,
           guint32  divisor)
{
  guint64 rest = 0;

  for (gsize i = len; i-- > 0;)
    {
      guint64 t = (rest << 32) | limbs[i];
      limbs[i] = (guint32) (t / divisor);
      rest = t % divisor;
    }
  return (guint32) rest;
}

char *
cria_bigint_to_string (const CriaBigint *a)
{
  g_autoptr(CriaBigint) rest = NULL;
  g_autoptr(GArray) chunks = NULL;
  GString *text;

  g_return_val_if_fail (a != NULL, NULL);

  if (a->len == 0)
    return g_strdup ("0");
  if (a->len <= 2)
    {
      guint64 magnitude = a->len == 1 ? a->limbs[0] : ((guint64) a->limbs[1] << 32) | a->limbs[0];

      return g_strdup_printf ("%s%" G_GUINT64_FORMAT, a->sign < 0 ? "-" : "", magnitude);
    }

  /* Nine decimal digits at a time, lowest first. */
  rest = cria_bigint_copy (a);
  chunks = g_array_new (FALSE, FALSE, sizeof (guint32));
  while (rest->len > 0)
    {
      guint32 chunk = div_small (rest->limbs, rest->len, 1000000000);

      g_array_append_val (chunks, chunk);
      _cria_bigint_normalize (rest);
    }

  text = g_string_sized_new (chunks->len * 9 + 2);
  if (a->sign < 0)
    g_string_append_c (text, '-');
  g_string_append_printf (text, "%u", g_array_index (chunks, guint32, chunks->len - 1));
  for (guint i = chunks->len - 1; i-- > 0;)
    g_string_append_printf (text, "%09u", g_array_index (chunks, guint32, i));
  return g_string_free (text, FALSE);
}

gboolean
cria_bigint_to_int64 (const CriaBigint *a,
                      gint64           *out)
{
  guint64 magnitude;

  if (a->len > 2)
    return FALSE;
  magnitude = a->len == 0 ? 0 : a->len == 1 ? a->limbs[0] : ((guint64) a->limbs[1] << 32) | a->limbs[0];
  if (a->sign >= 0 && magnitude > (guint64) G_MAXINT64)
    return FALSE;
  if (a->sign < 0 && magnitude > (guint64) G_MAXINT64 + 1)
    return FALSE;
  *out = a->sign < 0 ? (gint64) (0 - magnitude) : (gint64) magnitude;
  return TRUE;
}

/* The top 64 bits of |a| (its highest bit at bit 63), with the lowest bit set
 * when any bit below them is: rounding that to 53 bits rounds |a| correctly. */
static guint64
top_bits (const CriaBigint *a,
          gsize             bits)
{
  gsize shift = bits - 64;  /* bits > 64 */
  gsize limb = shift / 32, offset = shift % 32;
  guint64 top = 0;
  gboolean sticky = FALSE;

  for (gsize i = 0; i < limb; i++)
    sticky |= a->limbs[i] != 0;
  sticky |= offset > 0 && (a->limbs[limb] & ((1u << offset) - 1)) != 0;

  /* Limb limb + i lands at bit 32 i - offset of the window. */
  for (gsize i = 0; i < 3; i++)
    {
      guint64 part = limb + i < a->len ? a->limbs[limb + i] : 0;
      int position = 32 * (int) i - (int) offset;

      if (position < 0)
        top |= part >> -position;
      else if (position < 64)
        top |= part << position;
    }
  return top | (sticky ? 1 : 0);
}

double
cria_bigint_frexp (const CriaBigint *a,
                   gint64           *exponent)
{
  gsize bits = cria_bigint_bits (a);
  double m;
  int e;

  if (bits <= 64)
    {
      guint64 magnitude = a->len == 0 ? 0 : a->len == 1 ? a->limbs[0]
                          : ((guint64) a->limbs[1] << 32) | a->limbs[0];

      m = frexp ((double) magnitude, &e);
      *exponent = e;
    }
  else
    {
      m = frexp ((double) top_bits (a, bits), &e);
      *exponent = (gint64) e + (gint64) (bits - 64);
    }
  return a->sign < 0 ? -m : m;
}

double
cria_bigint_to_double (const CriaBigint *a)
{
  gint64 e;
  double m = cria_bigint_frexp (a, &e);

  if (e > 2000)
    return m * INFINITY;
  return ldexp (m, (int) e);
}

CriaBigint *
cria_bigint_negate (const CriaBigint *a)
{
  CriaBigint *r = cria_bigint_copy (a);

  r->sign = -r->sign;
  return r;
}

CriaBigint *
cria_bigint_abs (const CriaBigint *a)
{
  CriaBigint *r = cria_bigint_copy (a);

  r->sign = r->sign != 0 ? 1 : 0;
  return r;
}

/* |a| + |b|. */
static CriaBigint *
mag_add (const CriaBigint *a,
         const CriaBigint *b)
{
  CriaBigint *r;
  guint64 carry = 0;

  if (a->len < b->len)
    {
      const CriaBigint *t = a;
      a = b;
      b = t;
    }
  r = _cria_bigint_alloc (a->len + 1);
  for (gsize i = 0; i < a->len; i++)
    {
      guint64 t = (guint64) a->limbs[i] + (i < b->len ? b->limbs[i] : 0) + carry;
      r->limbs[i] = (guint32) t;
      carry = t >> 32;
    }
  r->limbs[a->len] = (guint32) carry;
  return _cria_bigint_normalize (r);
}

/* |a| - |b| for |a| >= |b|. */
static CriaBigint *
mag_sub (const CriaBigint *a,
         const CriaBigint *b)
{
  CriaBigint *r = _cria_bigint_alloc (a->len);
  guint32 borrow = 0;

  for (gsize i = 0; i < a->len; i++)
    {
      guint64 sub = (guint64) (i < b->len ? b->limbs[i] : 0) + borrow;
      guint64 t = (guint64) a->limbs[i] - sub;

      r->limbs[i] = (guint32) t;
      borrow = a->limbs[i] < sub ? 1 : 0;
    }
  g_assert (borrow == 0);
  return _cria_bigint_normalize (r);
}

static CriaBigint *
signed_add (const CriaBigint *a,
            const CriaBigint *b,
            int               b_sign)
{
  CriaBigint *r;
  int c;

  if (b_sign == 0)
    return cria_bigint_copy (a);
  if (a->sign == 0)
    {
      r = cria_bigint_copy (b);
      r->sign = b_sign;
      return r;
    }
  if (a->sign == b_sign)
    {
      r = mag_add (a, b);
      r->sign = a->sign;
      return r;
    }
  c = cria_bigint_compare_abs (a, b);
  if (c == 0)
    return _cria_bigint_alloc (0);
  if (c > 0)
    {
      r = mag_sub (a, b);
      r->sign = a->sign;
    }
  else
    {
      r = mag_sub (b, a);
      r->sign = b_sign;
    }
  return _cria_bigint_normalize (r);
}

CriaBigint *
cria_bigint_add (const CriaBigint *a,
                 const CriaBigint *b)
{
  return _cria_bigint_normalize (signed_add (a, b, b->sign));
}

CriaBigint *
cria_bigint_sub (const CriaBigint *a,
                 const CriaBigint *b)
{
  return _cria_bigint_normalize (signed_add (a, b, -b->sign));
}

CriaBigint *
cria_bigint_mul (const CriaBigint *a,
                 const CriaBigint *b)
{
  CriaBigint *r;

  if (a->len == 0 || b->len == 0)
    return _cria_bigint_alloc (0);

  /* Schoolbook: the caller's size cap keeps the quadratic cost small. */
  r = _cria_bigint_alloc (a->len + b->len);
  for (gsize i = 0; i < a->len; i++)
    {
      guint64 carry = 0;

      for (gsize j = 0; j < b->len; j++)
        {
          guint64 t = (guint64) a->limbs[i] * b->limbs[j] + r->limbs[i + j] + carry;
          r->limbs[i + j] = (guint32) t;
          carry = t >> 32;
        }
      r->limbs[i + b->len] = (guint32) carry;
    }
  r->sign = a->sign * b->sign;
  return _cria_bigint_normalize (r);
}

/* Knuth's algorithm D (TAOCP 4.3.1) on magnitudes, after Hacker's Delight's
 * divmnu: q gets m - n + 1 limbs, r gets n; m >= n >= 2, v[n - 1] != 0. */
static void
mag_divmod (const guint32 *u,
            gsize          m,
            const guint32 *v,
            gsize          n,
            guint32       *q,
            guint32       *r)
{
  const guint64 b = G_GUINT64_CONSTANT (1) << 32;
  g_autofree guint32 *un = g_new0 (guint32, m + 1);
  g_autofree guint32 *vn = g_new0 (guint32, n);
  int s = __builtin_clz (v[n - 1]);

  /* Normalize so the divisor's top bit is set; shifts of a guint64 by 32
   * give 0, which is what s == 0 needs. */
  for (gsize i = n - 1; i > 0; i--)
    vn[i] = (guint32) (((guint64) v[i] << s) | ((guint64) v[i - 1] >> (32 - s)));
  vn[0] = (guint32) ((guint64) v[0] << s);
  un[m] = (guint32) ((guint64) u[m - 1] >> (32 - s));
  for (gsize i = m - 1; i > 0; i--)
    un[i] = (guint32) (((guint64) u[i] << s) | ((guint64) u[i - 1] >> (32 - s)));
  un[0] = (guint32) ((guint64) u[0] << s);

  for (gsize j = m - n + 1; j-- > 0;)
    {
      guint64 numerator = ((guint64) un[j + n] << 32) | un[j + n - 1];
      guint64 qhat = numerator / vn[n - 1];
      guint64 rhat = numerator % vn[n - 1];
      gint64 borrow = 0, t;

      while (qhat >= b || qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2]))
        {
          qhat--;
          rhat += vn[n - 1];
          if (rhat >= b)
            break;
        }

      /* Multiply and subtract. */
      for (gsize i = 0; i < n; i++)
        {
          guint64 p = qhat * vn[i];

          t = (gint64) un[i + j] - borrow - (gint64) (p & 0xFFFFFFFF);
          un[i + j] = (guint32) t;
          borrow = (gint64) (p >> 32) - (t >> 32);
        }
      t = (gint64) un[j + n] - borrow;
      un[j + n] = (guint32) t;

      q[j] = (guint32) qhat;
      if (t < 0)
        {
          /* qhat was one too large: add the divisor back. */
          guint64 carry = 0;

          q[j]--;
          for (gsize i = 0; i < n; i++)
            {
              guint64 sum = (guint64) un[i + j] + vn[i] + carry;
              un[i + j] = (guint32) sum;
              carry = sum >> 32;
            }
          un[j + n] = (guint32) ((guint64) un[j + n] + carry);
        }
    }

  for (gsize i = 0; i < n - 1; i++)
    r[i] = (guint32) (((guint64) un[i] >> s) | ((guint64) un[i + 1] << (32 - s)));
  r[n - 1] = (guint32) ((guint64) un[n - 1] >> s);
}

void
cria_bigint_divmod (const CriaBigint  *a,
                    const CriaBigint  *b,
                    CriaBigint       **quotient,
                    CriaBigint       **remainder)
{
  CriaBigint *q, *r;

  g_return_if_fail (a != NULL && b != NULL);
  g_return_if_fail (b->len > 0);

  if (cria_bigint_compare_abs (a, b) < 0)
    {
      q = _cria_bigint_alloc (0);
      r = cria_bigint_abs (a);
    }
  else if (b->len == 1)
    {
      q = cria_bigint_abs (a);
      r = _cria_bigint_alloc (1);
      r->limbs[0] = div_small (q->limbs, q->len, b->limbs[0]);
    }
  else
    {
      q = _cria_bigint_alloc (a->len - b->len + 1);
      r = _cria_bigint_alloc (b->len);
      mag_divmod (a->limbs, a->len, b->limbs, b->len, q->limbs, r->limbs);
    }
  _cria_bigint_normalize (q);
  _cria_bigint_normalize (r);

  /* Magnitudes divided, now the signs: truncated first, then Euclidean. */
  if (q->len > 0)
    q->sign = a->sign * b->sign;
  if (a->sign < 0 && r->len > 0)
    {
      CriaBigint *abs_b = cria_bigint_abs (b), *one = cria_bigint_new_from_int64 (b->sign), *t;

      /* r = |b| - |r|, q = q - sign (b). */
      t = mag_sub (abs_b, r);
      cria_bigint_free (r);
      r = t;
      t = cria_bigint_sub (q, one);
      cria_bigint_free (q);
      q = t;
      cria_bigint_free (abs_b);
      cria_bigint_free (one);
    }

  if (quotient != NULL)
    *quotient = q;
  else
    cria_bigint_free (q);
  if (remainder != NULL)
    *remainder = r;
  else
    cria_bigint_free (r);
}

/* Bits shift … shift + 31 of |a|. */
static guint32
bits_at (const CriaBigint *a,
         gsize             shift)
{
  gsize limb = shift / 32, offset = shift % 32;
  guint64 low = limb < a->len ? a->limbs[limb] : 0;
  guint64 high = limb + 1 < a->len ? a->limbs[limb + 1] : 0;

  return (guint32) (((high << 32) | low) >> offset);
}

/* a * p + b * q, for the small cofactors of Lehmer's algorithm. */
static CriaBigint *
combine (const CriaBigint *a,
         gint64            p,
         const CriaBigint *b,
         gint64            q)
{
  g_autoptr(CriaBigint) bp = cria_bigint_new_from_int64 (p);
  g_autoptr(CriaBigint) bq = cria_bigint_new_from_int64 (q);
  g_autoptr(CriaBigint) x = cria_bigint_mul (a, bp);
  g_autoptr(CriaBigint) y = cria_bigint_mul (b, bq);

  return cria_bigint_add (x, y);
}

CriaBigint *
cria_bigint_gcd (const CriaBigint *a,
                 const CriaBigint *b)
{
  CriaBigint *x, *y;

  /* Numbers of one or two limbs, the common case, in machine words. */
  if (a->len <= 2 && b->len <= 2)
    {
      guint64 u = a->len == 0 ? 0 : a->len == 1 ? a->limbs[0] : ((guint64) a->limbs[1] << 32) | a->limbs[0];
      guint64 v = b->len == 0 ? 0 : b->len == 1 ? b->limbs[0] : ((guint64) b->limbs[1] << 32) | b->limbs[0];
      CriaBigint *r = _cria_bigint_alloc (2);

      while (v != 0)
        {
          guint64 t = u % v;
          u = v;
          v = t;
        }
      r->limbs[0] = (guint32) u;
      r->limbs[1] = (guint32) (u >> 32);
      return _cria_bigint_normalize (r);
    }

  x = cria_bigint_abs (a);
  y = cria_bigint_abs (b);
  if (cria_bigint_compare (x, y) < 0)
    {
      CriaBigint *t = x;
      x = y;
      y = t;
    }

  /* Lehmer's algorithm (TAOCP 4.5.2, algorithm L): Euclid's steps run on the
   * leading 32 bits while they agree with the whole numbers', and one
   * multiple-precision step then does the work of many. */
  while (y->len > 0)
    {
      gsize bits = cria_bigint_bits (x);
      gint64 xh, yh, A = 1, B = 0, C = 0, D = 1;
      CriaBigint *t, *w;

      if (bits > 32)
        {
          xh = bits_at (x, bits - 32);
          yh = bits_at (y, bits - 32);
          while (yh + C != 0 && yh + D != 0)
            {
              gint64 q = (xh + A) / (yh + C), T;

              if (q != (xh + B) / (yh + D))
                break;
              T = A - q * C;
              A = C;
              C = T;
              T = B - q * D;
              B = D;
              D = T;
              T = xh - q * yh;
              xh = yh;
              yh = T;
            }
        }

      if (B == 0)
        {
          cria_bigint_divmod (x, y, NULL, &t);
          cria_bigint_free (x);
          x = y;
          y = t;
        }
      else
        {
          t = combine (x, A, y, B);
          w = combine (x, C, y, D);
          cria_bigint_free (x);
          cria_bigint_free (y);
          x = t;
          y = w;
        }
    }
  cria_bigint_free (y);
  return x;
}

CriaBigint *
cria_bigint_pow (const CriaBigint *a,
                 guint64           exponent)
{
  CriaBigint *result = cria_bigint_new_from_int64 (1);
  CriaBigint *square = cria_bigint_copy (a);

  while (exponent > 0)
    {
      CriaBigint *t;

      if (exponent & 1)
        {
          t = cria_bigint_mul (result, square);
          cria_bigint_free (result);
          result = t;
        }
      exponent >>= 1;
      if (exponent > 0)
        {
          t = cria_bigint_mul (square, square);
          cria_bigint_free (square);
          square = t;
        }
    }
  cria_bigint_free (square);
  return result;
}

CriaBigint *
cria_bigint_shift_left (const CriaBigint *a,
                        gsize             shift)
{
  gsize limbs = shift / 32, offset = shift % 32;
  CriaBigint *r;

  if (a->len == 0)
    return _cria_bigint_alloc (0);
  r = _cria_bigint_alloc (a->len + limbs + 1);
  for (gsize i = 0; i < a->len; i++)
    {
      guint64 t = (guint64) a->limbs[i] << offset;

      r->limbs[i + limbs] |= (guint32) t;
      r->limbs[i + limbs + 1] = (guint32) (t >> 32);
    }
  r->sign = a->sign;
  return _cria_bigint_normalize (r);
}

CriaBigint *
cria_bigint_root (const CriaBigint *a,
                  guint             k)
{
  g_autoptr(CriaBigint) one = cria_bigint_new_from_int64 (1);
  g_autoptr(CriaBigint) k_big = cria_bigint_new_from_int64 (k);
  g_autoptr(CriaBigint) k_less = cria_bigint_new_from_int64 ((gint64) k - 1);
  CriaBigint *x;

  g_return_val_if_fail (a != NULL && a->sign >= 0 && k >= 1, NULL);

  if (a->len == 0 || k == 1)
    return cria_bigint_copy (a);

  /* Below 2^52 a double's square or cube root is within one of the answer,
   * and the checks stay inside 64 bits. */
  if (cria_bigint_bits (a) <= 52 && k <= 3)
    {
      gint64 value = (gint64) cria_bigint_to_double (a);
      gint64 r = (gint64) llround (pow ((double) value, 1.0 / k));
      gint64 power;

      for (;;)
        {
          power = 1;
          for (guint i = 0; i < k; i++)
            power *= r;
          if (power <= value)
            break;
          r--;
        }
      for (;;)
        {
          gint64 next = 1;

          for (guint i = 0; i < k; i++)
            next *= r + 1;
          if (next > value)
            break;
          r++;
        }
      return cria_bigint_new_from_int64 (r);
    }

  /* Newton's iteration from above: 2^ceil (bits / k) is at least the root,
   * and the integer steps fall until they stop falling. */
  x = cria_bigint_shift_left (one, (cria_bigint_bits (a) + k - 1) / k);
  for (;;)
    {
      g_autoptr(CriaBigint) power = cria_bigint_pow (x, k - 1);
      g_autoptr(CriaBigint) share = NULL;
      g_autoptr(CriaBigint) scaled = cria_bigint_mul (x, k_less);
      g_autoptr(CriaBigint) sum = NULL;
      CriaBigint *y;

      cria_bigint_divmod (a, power, &share, NULL);
      sum = cria_bigint_add (scaled, share);
      cria_bigint_divmod (sum, k_big, &y, NULL);
      if (cria_bigint_compare (y, x) >= 0)
        {
          cria_bigint_free (y);
          return x;
        }
      cria_bigint_free (x);
      x = y;
    }
}

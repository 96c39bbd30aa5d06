/* cria-bigint.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Arbitrary-precision integers for the calculator: a sign and a magnitude in
 * 32-bit limbs. A CriaBigint is immutable once made; every operation returns
 * a new one the caller frees. Nothing here bounds sizes: the caller checks
 * cria_bigint_bits() (or estimates a power first) before asking for more.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CriaBigint CriaBigint;

typedef enum
{
  CRIA_BIGINT_FLOOR,
  CRIA_BIGINT_CEIL,
  CRIA_BIGINT_TRUNC,   /* toward zero */
  CRIA_BIGINT_ROUND,   /* to the nearest, halves away from zero */
} CriaBigintRounding;

CriaBigint *cria_bigint_new_from_int64   (gint64             value);
CriaBigint *cria_bigint_new_from_digits  (const char        *digits,
                                          gsize              length,
                                          guint              base);
CriaBigint *cria_bigint_copy             (const CriaBigint  *a);
void        cria_bigint_free             (CriaBigint        *a);

/* -1, 0 or 1. */
int         cria_bigint_sign             (const CriaBigint  *a);
gboolean    cria_bigint_is_zero          (const CriaBigint  *a);
gboolean    cria_bigint_is_odd           (const CriaBigint  *a);
/* Whether |a| is 1. */
gboolean    cria_bigint_is_unit          (const CriaBigint  *a);
/* The number of bits of |a|: 0 for 0, 1 for ±1, 64 for 2^63. */
gsize       cria_bigint_bits             (const CriaBigint  *a);
/* How many times 2 divides a (0 for 0). */
gsize       cria_bigint_trailing_zeros   (const CriaBigint  *a);
int         cria_bigint_compare          (const CriaBigint  *a,
                                          const CriaBigint  *b);
int         cria_bigint_compare_abs      (const CriaBigint  *a,
                                          const CriaBigint  *b);

/* The decimal digits, with a leading "-" when negative. */
char       *cria_bigint_to_string        (const CriaBigint  *a);
/* FALSE when @a does not fit. */
gboolean    cria_bigint_to_int64         (const CriaBigint  *a,
                                          gint64            *out);
/* Rounded to the nearest double; ±inf past the double range. */
double      cria_bigint_to_double        (const CriaBigint  *a);
/* a = m * 2^exponent with 0.5 <= |m| < 1 (0 and 0 for 0), for values past
 * the double range. */
double      cria_bigint_frexp            (const CriaBigint  *a,
                                          gint64            *exponent);

CriaBigint *cria_bigint_negate           (const CriaBigint  *a);
CriaBigint *cria_bigint_abs              (const CriaBigint  *a);
CriaBigint *cria_bigint_add              (const CriaBigint  *a,
                                          const CriaBigint  *b);
CriaBigint *cria_bigint_sub              (const CriaBigint  *a,
                                          const CriaBigint  *b);
CriaBigint *cria_bigint_mul              (const CriaBigint  *a,
                                          const CriaBigint  *b);
/* Euclidean division: a = q * b + r with 0 <= r < |b|. @b must not be zero;
 * @quotient and @remainder may be NULL. */
void        cria_bigint_divmod           (const CriaBigint  *a,
                                          const CriaBigint  *b,
                                          CriaBigint       **quotient,
                                          CriaBigint       **remainder);
/* n/d (d > 0) rounded to a whole number. */
CriaBigint *cria_bigint_div_rounded      (const CriaBigint  *n,
                                          const CriaBigint  *d,
                                          CriaBigintRounding rounding);
/* The greatest common divisor, never negative; gcd (0, 0) is 0. */
CriaBigint *cria_bigint_gcd              (const CriaBigint  *a,
                                          const CriaBigint  *b);
/* The least common multiple, never negative; 0 when either is 0. */
CriaBigint *cria_bigint_lcm              (const CriaBigint  *a,
                                          const CriaBigint  *b);
/* a^exponent by squaring; the result has at most bits (a) * exponent bits. */
CriaBigint *cria_bigint_pow              (const CriaBigint  *a,
                                          guint64            exponent);
/* n/d rounded to a double (0 far below the range, ±inf far above); d != 0. */
double      cria_bigint_ratio_to_double  (const CriaBigint  *n,
                                          const CriaBigint  *d);
/* log10 |a| for a != 0, at any size. */
double      cria_bigint_log10            (const CriaBigint  *a);
/* Whether |a| has at most @max_digits decimal digits; cheap unless close. */
gboolean    cria_bigint_has_at_most_digits (const CriaBigint *a,
                                          gsize              max_digits);
/* a * 2^shift, shift at most what memory allows. */
CriaBigint *cria_bigint_shift_left       (const CriaBigint  *a,
                                          gsize              shift);
/* The largest r >= 0 with r^k <= a, for a >= 0 and k >= 1. */
CriaBigint *cria_bigint_root             (const CriaBigint  *a,
                                          guint              k);

/* Fractions n/d in lowest terms with d > 0, as pairs: the sum, the product
 * and a - b floor (a / b) (b != 0, the sign of b), each in lowest terms. */
void        cria_bigint_fraction_add     (const CriaBigint  *an,
                                          const CriaBigint  *ad,
                                          const CriaBigint  *bn,
                                          const CriaBigint  *bd,
                                          CriaBigint       **n,
                                          CriaBigint       **d);
void        cria_bigint_fraction_mul     (const CriaBigint  *an,
                                          const CriaBigint  *ad,
                                          const CriaBigint  *bn,
                                          const CriaBigint  *bd,
                                          CriaBigint       **n,
                                          CriaBigint       **d);
void        cria_bigint_fraction_mod     (const CriaBigint  *an,
                                          const CriaBigint  *ad,
                                          const CriaBigint  *bn,
                                          const CriaBigint  *bd,
                                          CriaBigint       **n,
                                          CriaBigint       **d);
/* -1, 0 or 1 as an/ad is below, at or above bn/bd. */
int         cria_bigint_fraction_compare (const CriaBigint  *an,
                                          const CriaBigint  *ad,
                                          const CriaBigint  *bn,
                                          const CriaBigint  *bd);
/* n/d = m * 2^exponent, at any size; d != 0. */
double      cria_bigint_fraction_frexp   (const CriaBigint  *n,
                                          const CriaBigint  *d,
                                          gint64            *exponent);
/* The k-th root of a when it is a whole number (k odd for a < 0), else NULL. */
CriaBigint *cria_bigint_exact_root       (const CriaBigint  *a,
                                          guint              k);
/* n!; the caller bounds n (its digits are about n log10 (n / e)). */
CriaBigint *cria_bigint_factorial        (guint64            n);
/* C(n, k) for 0 <= k <= n, as k steps; the caller bounds k and the result. */
CriaBigint *cria_bigint_binomial         (const CriaBigint  *n,
                                          guint64            k);
/* n/d (d > 0, in lowest terms) written as a decimal when d has no prime
 * factor but 2 and 5 and the decimal has at most @max_places places after
 * the point, else NULL. */
char       *cria_bigint_format_decimal   (const CriaBigint  *n,
                                          const CriaBigint  *d,
                                          gsize              max_places);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaBigint, cria_bigint_free)

G_END_DECLS

/* cria-calc.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calculator's arithmetic: a recursive-descent parser over a small
 * expression language, evaluated on exact rationals of any size (up to
 * 4,096 digits each, cria-bigint.h) as long as the numbers fit and the
 * work stays bounded, and on doubles, marked as approximate, once they do
 * not or a function has no exact value.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRIA_CALC_ERROR (cria_calc_error_quark ())

typedef enum
{
  CRIA_CALC_ERROR_SYNTAX,      /* not an expression: where and what was expected */
  CRIA_CALC_ERROR_UNKNOWN,     /* a name that is no function or constant */
  CRIA_CALC_ERROR_DOMAIN,      /* division by zero, sqrt (-1), 0^-1, 171! … */
  CRIA_CALC_ERROR_TOO_LONG,    /* longer than CRIA_CALC_MAX_LENGTH or nested deeper than CRIA_CALC_MAX_DEPTH */
} CriaCalcError;

#define CRIA_CALC_MAX_LENGTH 4096
#define CRIA_CALC_MAX_DEPTH  64

GQuark  cria_calc_error_quark (void);

/* Evaluates @expression and writes the value for a reader: an integer
 * ("42"), a terminating decimal when that is exact ("0.3"), a fraction with
 * its decimal value ("1/3 ≈ 0.333333333333333"), or "≈ 1.4142135623731"
 * when the value is not exact. Errors say where in the expression (1-based
 * character column) and what went wrong.
 *
 * The language: numbers (12, 1.25, 1e-3, 0x1F, 0b101, 1_000), + - * / % (a
 * remainder with the sign of the divisor), ^ and ** (right-associative,
 * binding tighter than unary minus, so -2^2 is -4), postfix ! (factorial),
 * parentheses, the constants pi, e and tau, and the functions sqrt, cbrt,
 * abs, sign, floor, ceil, round, trunc, min, max, gcd, lcm, factorial,
 * binomial (nCr), pow, exp, ln, log (base 10, or log (x, base)), log2, log10,
 * sin, cos, tan, asin, acos, atan, atan2, sinh, cosh, tanh, hypot, deg (radians
 * to degrees), rad (degrees to radians). Names are case-insensitive. */
char   *cria_calc_evaluate    (const char  *expression,
                               GError     **error);

G_END_DECLS

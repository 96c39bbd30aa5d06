/* cria-calc.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-bigint.h"
#include "cria-calc.h"

G_DEFINE_QUARK (cria-calc-error-quark, cria_calc_error)

/* The most decimal digits an exact numerator or denominator may have: a model
 * can ask for 10^10^10, and the answer must come at once, in bounded memory.
 * Past this, a value becomes a double marked ≈, or an error when no double
 * holds it. MAX_BITS is a little more than MAX_DIGITS digits take. */
#define MAX_DIGITS 4096
#define MAX_BITS   13620

/* The work one evaluation may spend where gcds make exact arithmetic costly
 * (fractions, gcd and lcm, binomials, exact roots), in products of operand
 * sizes in limbs; one fraction near the cap costs about 400². A few hundred
 * of those in one expression would take seconds, so past this sums, products
 * and remainders go on in doubles, marked ≈, and the rest is an error. */
#define MAX_WORK   10000000

/* A number: exact (n/d in lowest terms, d > 0, owned) or an approximation in
 * x. huge says an exact value outgrew MAX_DIGITS and the double overflowed. */
typedef struct
{
  gboolean    exact;
  gboolean    huge;
  CriaBigint *n;
  CriaBigint *d;
  double      x;
} Value;

#define VALUE_INIT { FALSE, FALSE, NULL, NULL, 0 }

typedef struct
{
  const char  *text;
  const char  *p;
  guint        depth;
  guint64      work;
  GError     **error;
} Parser;

static gboolean parse_expr  (Parser *parser, Value *out);
static gboolean parse_unary (Parser *parser, Value *out);

static guint
column (Parser     *parser,
        const char *at)
{
  return (guint) g_utf8_strlen (parser->text, at - parser->text) + 1;
}

G_GNUC_PRINTF (4, 5)
static gboolean
fail (Parser     *parser,
      const char *at,
      int         code,
      const char *format,
      ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: the first is a column in the expression, the second what went wrong there. */
  g_set_error (parser->error, CRIA_CALC_ERROR, code, _("At column %u: %s"), column (parser, at), what);
  return FALSE;
}

static gboolean
fail_huge (Parser     *parser,
           const char *at)
{
  return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the result has more than %u digits"), MAX_DIGITS);
}

static void
value_clear (Value *v)
{
  g_clear_pointer (&v->n, cria_bigint_free);
  g_clear_pointer (&v->d, cria_bigint_free);
  v->exact = FALSE;
  v->huge = FALSE;
}

static void
value_clear_cb (gpointer data)
{
  value_clear (data);
}

/* Replaces what *v holds by @with. */
static void
value_take (Value *v,
            Value  with)
{
  value_clear (v);
  *v = with;
}

static Value
value_copy (const Value *v)
{
  Value copy = *v;

  if (v->exact)
    {
      copy.n = cria_bigint_copy (v->n);
      copy.d = cria_bigint_copy (v->d);
    }
  return copy;
}

static Value
approx (double x)
{
  Value v = VALUE_INIT;

  v.x = x;
  return v;
}

static Value
too_big (void)
{
  Value v = approx (INFINITY);

  v.huge = TRUE;
  return v;
}

static double
to_double (const Value *v)
{
  return v->exact ? cria_bigint_ratio_to_double (v->n, v->d) : v->x;
}

/* The natural logarithm of v > 0, also past the range of doubles. */
static double
value_ln (const Value *v)
{
  if (v->exact)
    return (cria_bigint_log10 (v->n) - cria_bigint_log10 (v->d)) * G_LN10;
  return log (v->x);
}

static int
value_sign (const Value *v)
{
  if (v->exact)
    return cria_bigint_sign (v->n);
  return v->x < 0 ? -1 : v->x > 0 ? 1 : 0;
}

/* Takes n/d (d != 0) into a value in lowest terms, unless the caller knows
 * they have no common factor; a double once either outgrows MAX_DIGITS. */
static Value
rational_take (CriaBigint *n,
               CriaBigint *d,
               gboolean    coprime)
{
  Value v = VALUE_INIT;

  g_assert (!cria_bigint_is_zero (d));
  if (cria_bigint_sign (d) < 0)
    {
      CriaBigint *t = cria_bigint_negate (n);

      cria_bigint_free (n);
      n = t;
      t = cria_bigint_negate (d);
      cria_bigint_free (d);
      d = t;
    }
  if (cria_bigint_is_zero (n) && !cria_bigint_is_unit (d))
    {
      cria_bigint_free (d);
      d = cria_bigint_new_from_int64 (1);
    }
  else if (!coprime && !cria_bigint_is_unit (d))
    {
      g_autoptr(CriaBigint) g = cria_bigint_gcd (n, d);

      if (!cria_bigint_is_unit (g))
        {
          CriaBigint *t;

          cria_bigint_divmod (n, g, &t, NULL);
          cria_bigint_free (n);
          n = t;
          cria_bigint_divmod (d, g, &t, NULL);
          cria_bigint_free (d);
          d = t;
        }
    }

  if (!cria_bigint_has_at_most_digits (n, MAX_DIGITS) || !cria_bigint_has_at_most_digits (d, MAX_DIGITS))
    {
      v = approx (cria_bigint_ratio_to_double (n, d));
      v.huge = !isfinite (v.x);
      cria_bigint_free (n);
      cria_bigint_free (d);
      return v;
    }
  v.exact = TRUE;
  v.n = n;
  v.d = d;
  return v;
}

static Value
integer_take (CriaBigint *n)
{
  return rational_take (n, cria_bigint_new_from_int64 (1), TRUE);
}

static Value
integer (gint64 n)
{
  return integer_take (cria_bigint_new_from_int64 (n));
}

static gboolean
is_integer (const Value *v)
{
  return v->exact && cria_bigint_is_unit (v->d);
}

static gboolean
is_one (const Value *v)
{
  return v->exact ? is_integer (v) && cria_bigint_is_unit (v->n) && cria_bigint_sign (v->n) > 0 : v->x == 1;
}

static guint64
limbs (const Value *v)
{
  return (cria_bigint_bits (v->n) + cria_bigint_bits (v->d)) / 32 + 1;
}

/* Spends units of the budget; FALSE once it is gone. */
static gboolean
spend (Parser  *parser,
       guint64  units)
{
  parser->work += units;
  return parser->work <= MAX_WORK;
}

static gboolean
fail_work (Parser     *parser,
           const char *at)
{
  return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the expression needs more exact arithmetic than the calculator does at once"));
}

/* Whether an exact operation on a and b fits what is left of the budget,
 * which it then spends. Whole numbers cost nothing: without a gcd their work
 * is small next to what the length of the input allows. */
static gboolean
afford (Parser      *parser,
        const Value *a,
        const Value *b)
{
  if (!a->exact || !b->exact)
    return FALSE;
  if (cria_bigint_is_unit (a->d) && cria_bigint_is_unit (b->d))
    return TRUE;
  return spend (parser, limbs (a) * limbs (b));
}

static Value
add (Parser      *parser,
     const Value *a,
     const Value *b)
{
  CriaBigint *n, *d;

  if (!afford (parser, a, b))
    return approx (to_double (a) + to_double (b));
  cria_bigint_fraction_add (a->n, a->d, b->n, b->d, &n, &d);
  return rational_take (n, d, TRUE);
}

static Value
negate (const Value *a)
{
  if (a->exact)
    return rational_take (cria_bigint_negate (a->n), cria_bigint_copy (a->d), TRUE);
  return approx (-a->x);
}

/* v = m * 2^e, also for an exact v past the range of doubles. */
static double
mantissa (const Value *v,
          gint64      *e)
{
  int shift = 0;
  double m;

  if (v->exact)
    return cria_bigint_fraction_frexp (v->n, v->d, e);
  m = isfinite (v->x) ? frexp (v->x, &shift) : v->x;
  *e = shift;
  return m;
}

static Value
multiply (Parser      *parser,
          const Value *a,
          const Value *b)
{
  CriaBigint *n, *d;
  gint64 ea, eb;
  double m;

  if (afford (parser, a, b))
    {
      cria_bigint_fraction_mul (a->n, a->d, b->n, b->d, &n, &d);
      return rational_take (n, d, TRUE);
    }
  m = mantissa (a, &ea);
  m *= mantissa (b, &eb);
  return approx (ldexp (m, (int) CLAMP (ea + eb, -5000, 5000)));
}

static gboolean
is_zero (const Value *v)
{
  return value_sign (v) == 0;
}

static Value
reciprocal (const Value *a)
{
  g_assert (!is_zero (a));
  if (a->exact)
    return rational_take (cria_bigint_copy (a->d), cria_bigint_copy (a->n), TRUE);
  return approx (1.0 / a->x);
}

/* floor, ceil, trunc or round (halves away from zero, like round (3)). */
static Value
value_round (const Value       *v,
             CriaBigintRounding rounding)
{
  /* In the order of CriaBigintRounding. */
  static double (* const in_doubles[]) (double) = { floor, ceil, trunc, round };

  if (v->exact)
    return integer_take (cria_bigint_div_rounded (v->n, v->d, rounding));
  return approx (in_doubles[rounding] (v->x));
}

/* a - b * floor (a / b), b != 0: the sign of the divisor, as in Python. */
static Value
value_mod (Parser      *parser,
           const Value *a,
           const Value *b)
{
  double x = to_double (a), y = to_double (b);
  CriaBigint *n, *d;

  if (!afford (parser, a, b))
    return approx (x - y * floor (x / y));
  cria_bigint_fraction_mod (a->n, a->d, b->n, b->d, &n, &d);
  return rational_take (n, d, TRUE);
}

/* Fails, and lets go of v, when it is no finite number. */
static gboolean
check (Parser     *parser,
       const char *at,
       Value      *v)
{
  gboolean huge = v->huge;
  double x = v->x;

  if (v->exact || isfinite (v->x))
    return TRUE;
  value_clear (v);
  if (huge)
    return fail_huge (parser, at);
  if (isnan (x))
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is not defined"));
  return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is too large"));
}

/* base^e for an exact base and an integer e, exact whenever the result has at
 * most MAX_DIGITS digits: the size is judged before any work is done. */
static gboolean
integer_power (Parser           *parser,
               const char       *at,
               const Value      *base,
               const CriaBigint *e,
               Value            *out)
{
  int sign = cria_bigint_sign (e);
  gboolean negative = cria_bigint_sign (base->n) < 0 && cria_bigint_is_odd (e);
  double e_double, digits;
  gint64 k;

  if (sign == 0)
    {
      *out = integer (1);
      return TRUE;
    }
  if (cria_bigint_is_zero (base->n))
    {
      *out = integer (0);
      return TRUE;
    }
  if (cria_bigint_is_unit (base->n) && cria_bigint_is_unit (base->d))
    {
      *out = integer (negative ? -1 : 1);
      return TRUE;
    }

  e_double = fabs (cria_bigint_to_double (e));
  digits = e_double * MAX (cria_bigint_log10 (base->n), cria_bigint_log10 (base->d));
  if (!cria_bigint_to_int64 (e, &k) || k == G_MININT64 || digits > MAX_DIGITS + 2)
    {
      /* Too large to be exact: how large it is says whether a double holds it. */
      double size = (sign < 0 ? -e_double : e_double) * (cria_bigint_log10 (base->n) - cria_bigint_log10 (base->d));

      if (size > 308.5)
        return fail_huge (parser, at);
      *out = approx ((negative ? -1 : 1) * pow (10, size));
      return TRUE;
    }
  else
    {
      guint64 magnitude = (guint64) (k < 0 ? -k : k);
      CriaBigint *n = cria_bigint_pow (base->n, magnitude);
      CriaBigint *d = cria_bigint_pow (base->d, magnitude);

      /* Powers of numbers without a common factor have none either. */
      *out = k < 0 ? rational_take (d, n, TRUE) : rational_take (n, d, TRUE);
      return check (parser, at, out);
    }
}

static gboolean
power (Parser      *parser,
       const char  *at,
       const Value *base,
       const Value *exponent,
       Value       *out)
{
  double b = to_double (base);

  if (is_zero (base) && value_sign (exponent) < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("zero has no negative power"));

  if (base->exact && is_integer (exponent))
    return integer_power (parser, at, base, exponent->n, out);

  if (b < 0 && !(exponent->exact && cria_bigint_is_odd (exponent->d)))
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a negative number has no real power of this kind"));

  if (b < 0)
    {
      /* An odd root of a negative number: (-8)^(1/3) is -2. */
      double r = pow (-b, to_double (exponent));
      *out = approx (cria_bigint_is_odd (exponent->n) ? -r : r);
    }
  else
    *out = approx (pow (b, to_double (exponent)));
  return check (parser, at, out);
}

static gboolean
factorial (Parser      *parser,
           const char  *at,
           const Value *v,
           Value       *out)
{
  gint64 n;

  if (!is_integer (v) || cria_bigint_sign (v->n) < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("factorial needs a whole number that is not negative"));
  /* 171! is past doubles, so a factorial with too many digits is an error. */
  if (!cria_bigint_to_int64 (v->n, &n) || n > 1000000 || lgamma ((double) n + 1) / G_LN10 > MAX_DIGITS)
    return fail_huge (parser, at);

  *out = integer_take (cria_bigint_factorial ((guint64) n));
  return check (parser, at, out);
}

static gboolean
binomial (Parser      *parser,
          const char  *at,
          const Value *n,
          const Value *k,
          Value       *out)
{
  g_autoptr(CriaBigint) rest = NULL;
  double nn, digits;
  gint64 kk;

  if (!is_integer (n) || !is_integer (k) || cria_bigint_sign (n->n) < 0 || cria_bigint_sign (k->n) < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("binomial needs whole numbers that are not negative"));
  if (cria_bigint_compare (k->n, n->n) > 0)
    {
      *out = integer (0);
      return TRUE;
    }

  /* C(n, k) = C(n, n - k): the shorter product. */
  rest = cria_bigint_sub (n->n, k->n);
  if (!cria_bigint_to_int64 (cria_bigint_compare (rest, k->n) < 0 ? rest : k->n, &kk))
    return fail_huge (parser, at);
  if (kk == 0)
    {
      *out = integer (1);
      return TRUE;
    }

  /* Digits before work: C(n, k) >= 2^k, and n^k / k! bounds it above. */
  nn = to_double (n);
  if (nn < 1e15)
    digits = (lgamma (nn + 1) - lgamma ((double) kk + 1) - lgamma (nn - (double) kk + 1)) / G_LN10;
  else
    digits = (double) kk * cria_bigint_log10 (n->n) - lgamma ((double) kk + 1) / G_LN10;
  if (kk > 4 * MAX_DIGITS || digits > MAX_DIGITS + 2)
    return fail_huge (parser, at);
  /* k steps on a number growing to the result's size. */
  if (!spend (parser, (guint64) kk * (guint64) (digits / 9.6 + 2)))
    return fail_work (parser, at);

  *out = integer_take (cria_bigint_binomial (n->n, (guint64) kk));
  return check (parser, at, out);
}

static void
skip_space (Parser *parser)
{
  while (*parser->p == ' ' || *parser->p == '\t' || *parser->p == '\n' || *parser->p == '\r')
    parser->p++;
}

/* Whether the input continues with @word (after spaces), and if so moves past it. */
static gboolean
accept (Parser     *parser,
        const char *word)
{
  gsize len = strlen (word);

  skip_space (parser);
  if (strncmp (parser->p, word, len) == 0)
    {
      parser->p += len;
      return TRUE;
    }
  return FALSE;
}

typedef enum
{
  F_SQRT, F_CBRT, F_ABS, F_SIGN, F_FLOOR, F_CEIL, F_ROUND, F_TRUNC, F_MIN, F_MAX, F_GCD, F_LCM,
  F_FACTORIAL, F_BINOMIAL, F_POW, F_EXP, F_LN, F_LOG, F_LOG2, F_LOG10, F_SIN, F_COS, F_TAN,
  F_ASIN, F_ACOS, F_ATAN, F_ATAN2, F_SINH, F_COSH, F_TANH, F_HYPOT, F_DEG, F_RAD,
} Function;

static const struct
{
  const char *name;
  Function    function;
  guint       min_args;
  guint       max_args;  /* G_MAXUINT: any number */
} functions[] = {
  { "sqrt", F_SQRT, 1, 1 }, { "cbrt", F_CBRT, 1, 1 }, { "abs", F_ABS, 1, 1 },
  { "sign", F_SIGN, 1, 1 }, { "floor", F_FLOOR, 1, 1 }, { "ceil", F_CEIL, 1, 1 },
  { "round", F_ROUND, 1, 1 }, { "trunc", F_TRUNC, 1, 1 }, { "min", F_MIN, 1, G_MAXUINT },
  { "max", F_MAX, 1, G_MAXUINT }, { "gcd", F_GCD, 2, G_MAXUINT }, { "lcm", F_LCM, 2, G_MAXUINT },
  { "factorial", F_FACTORIAL, 1, 1 }, { "fact", F_FACTORIAL, 1, 1 },
  { "binomial", F_BINOMIAL, 2, 2 }, { "ncr", F_BINOMIAL, 2, 2 }, { "choose", F_BINOMIAL, 2, 2 },
  { "pow", F_POW, 2, 2 }, { "exp", F_EXP, 1, 1 }, { "ln", F_LN, 1, 1 }, { "log", F_LOG, 1, 2 },
  { "log2", F_LOG2, 1, 1 }, { "log10", F_LOG10, 1, 1 }, { "sin", F_SIN, 1, 1 },
  { "cos", F_COS, 1, 1 }, { "tan", F_TAN, 1, 1 }, { "asin", F_ASIN, 1, 1 },
  { "acos", F_ACOS, 1, 1 }, { "atan", F_ATAN, 1, 1 }, { "atan2", F_ATAN2, 2, 2 },
  { "sinh", F_SINH, 1, 1 }, { "cosh", F_COSH, 1, 1 }, { "tanh", F_TANH, 1, 1 },
  { "hypot", F_HYPOT, 2, 2 }, { "deg", F_DEG, 1, 1 }, { "rad", F_RAD, 1, 1 },
};

static gboolean
parse_number (Parser *parser,
              Value  *out)
{
  const char *start = parser->p;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GString) mantissa = g_string_new (NULL);
  gint64 scale = 0, exponent = 0;
  gboolean seen_point = FALSE, seen_digit = FALSE;
  gsize significant;
  int base = 10;

  if (start[0] == '0' && strchr ("xXbBoO", start[1]) != NULL && start[1] != '\0')
    {
      base = (start[1] == 'x' || start[1] == 'X') ? 16 : (start[1] == 'b' || start[1] == 'B') ? 2 : 8;
      parser->p += 2;
    }

  for (;; parser->p++)
    {
      char c = *parser->p;
      int digit;

      if (c == '_' && seen_digit && g_ascii_isxdigit (parser->p[1]))
        continue;
      if (c == '.' && base == 10 && !seen_point)
        {
          seen_point = TRUE;
          g_string_append_c (digits, c);
          continue;
        }
      digit = g_ascii_xdigit_value (c);
      if (digit < 0 || digit >= base)
        break;
      seen_digit = TRUE;
      g_string_append_c (digits, c);
      /* Leading zeros say nothing, and would only count against the cap. */
      if (mantissa->len > 0 || digit != 0)
        g_string_append_c (mantissa, c);
      if (seen_point)
        scale++;
    }

  if (!seen_digit)
    return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("a number is incomplete"));

  if (base == 10 && (*parser->p == 'e' || *parser->p == 'E') &&
      (g_ascii_isdigit (parser->p[1]) ||
       ((parser->p[1] == '-' || parser->p[1] == '+') && g_ascii_isdigit (parser->p[2]))))
    {
      gboolean negative = parser->p[1] == '-';

      parser->p += (parser->p[1] == '-' || parser->p[1] == '+') ? 2 : 1;
      for (; g_ascii_isdigit (*parser->p); parser->p++)
        if (exponent < 100000)
          exponent = exponent * 10 + (*parser->p - '0');
      if (negative)
        exponent = -exponent;
      g_string_append_printf (digits, "e%" G_GINT64_FORMAT, exponent);
    }

  if (g_ascii_isalpha (*parser->p) || *parser->p == '_')
    return fail (parser, parser->p, CRIA_CALC_ERROR_SYNTAX, _("a number runs into a name (write * to multiply)"));

  /* The value is mantissa * 10^exponent, exact unless that is far past the
   * cap either way; then the double, if one holds it. */
  exponent -= scale;
  significant = mantissa->len;
  if (significant == 0)
    *out = integer (0);
  else if (base != 10 || exponent == 0)
    *out = integer_take (cria_bigint_new_from_digits (mantissa->str, mantissa->len, base));
  else if ((gint64) significant + exponent <= MAX_DIGITS + 1 && -exponent <= 2 * MAX_DIGITS)
    {
      CriaBigint *m = cria_bigint_new_from_digits (mantissa->str, mantissa->len, 10);
      g_autoptr(CriaBigint) ten = cria_bigint_new_from_int64 (10);
      CriaBigint *scale_factor = cria_bigint_pow (ten, (guint64) ABS (exponent));

      if (exponent >= 0)
        {
          g_autoptr(CriaBigint) whole = m;

          *out = integer_take (cria_bigint_mul (whole, scale_factor));
          cria_bigint_free (scale_factor);
        }
      else
        *out = rational_take (m, scale_factor, FALSE);
    }
  else
    {
      double x = g_ascii_strtod (digits->str, NULL);

      *out = isinf (x) ? too_big () : approx (x);
    }
  return check (parser, start, out);
}

static int
compare (const Value *a,
         const Value *b)
{
  double x = to_double (a), y = to_double (b);

  if (a->exact && b->exact)
    return cria_bigint_fraction_compare (a->n, a->d, b->n, b->d);
  return x < y ? -1 : x > y ? 1 : 0;
}

static gboolean
apply_gcd_lcm (Parser     *parser,
               const char *at,
               gboolean    lcm,
               GArray     *args,
               Value      *out)
{
  g_autoptr(CriaBigint) acc = cria_bigint_new_from_int64 (lcm ? 1 : 0);

  for (guint i = 0; i < args->len; i++)
    {
      const Value *v = &g_array_index (args, Value, i);
      CriaBigint *t;

      if (!is_integer (v))
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("gcd and lcm need whole numbers"));
      if (!spend (parser, limbs (v) * (cria_bigint_bits (acc) / 32 + 1)))
        return fail_work (parser, at);
      t = lcm ? cria_bigint_lcm (acc, v->n) : cria_bigint_gcd (acc, v->n);
      cria_bigint_free (acc);
      acc = t;
      /* An lcm at most doubles in size a step; stop once past the cap. */
      if (!cria_bigint_has_at_most_digits (acc, MAX_DIGITS))
        return fail_huge (parser, at);
    }
  *out = integer_take (g_steal_pointer (&acc));
  return TRUE;
}

/* log (a) / log (base) when that is a whole number e with base^e = a exactly. */
static gboolean
exact_log (Parser      *parser,
           const char  *at,
           const Value *a,
           const Value *base,
           double       r,
           Value       *out)
{
  double nearest = round (r);
  Value e = VALUE_INIT, check_value = VALUE_INIT;
  gboolean found;

  if (!base->exact || !a->exact || fabs (r - nearest) >= 1e-9 || fabs (nearest) > MAX_BITS)
    return FALSE;
  e = integer ((gint64) nearest);
  found = integer_power (parser, at, base, e.n, &check_value) && check_value.exact &&
          compare (&check_value, a) == 0;
  g_clear_error (parser->error);
  value_clear (&check_value);
  if (found)
    *out = e;
  else
    value_clear (&e);
  return found;
}

static gboolean
call_function (Parser     *parser,
               const char *at,
               Function    function,
               GArray     *args,
               Value      *out)
{
  const Value *a = &g_array_index (args, Value, 0);
  const Value *b = args->len > 1 ? &g_array_index (args, Value, 1) : NULL;
  double x = to_double (a);

  switch (function)
    {
    case F_SQRT:
    case F_CBRT:
      {
        guint k = function == F_SQRT ? 2 : 3;
        g_autoptr(CriaBigint) n = NULL;
        g_autoptr(CriaBigint) d = NULL;

        if (k == 2 && x < 0)
          return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a negative number has no real square root"));
        if (a->exact && spend (parser, limbs (a) * limbs (a)) &&
            (n = cria_bigint_exact_root (a->n, k)) != NULL && (d = cria_bigint_exact_root (a->d, k)) != NULL)
          *out = rational_take (g_steal_pointer (&n), g_steal_pointer (&d), TRUE);
        else if (isfinite (x))
          *out = approx (k == 2 ? sqrt (x) : cbrt (x));
        else
          *out = approx ((x < 0 ? -1 : 1) * exp (value_ln (a) / k));
      }
      break;
    case F_ABS:
      *out = value_sign (a) < 0 ? negate (a) : value_copy (a);
      break;
    case F_SIGN:
      *out = integer (value_sign (a));
      break;
    case F_FLOOR:
    case F_CEIL:
    case F_ROUND:
    case F_TRUNC:
      *out = value_round (a, function == F_FLOOR ? CRIA_BIGINT_FLOOR : function == F_CEIL ? CRIA_BIGINT_CEIL
                             : function == F_TRUNC ? CRIA_BIGINT_TRUNC : CRIA_BIGINT_ROUND);
      break;
    case F_MIN:
    case F_MAX:
      {
        const Value *best = a;

        for (guint i = 1; i < args->len; i++)
          {
            const Value *v = &g_array_index (args, Value, i);
            int c = compare (v, best);

            if ((function == F_MIN && c < 0) || (function == F_MAX && c > 0))
              best = v;
          }
        *out = value_copy (best);
      }
      break;
    case F_GCD:
    case F_LCM:
      return apply_gcd_lcm (parser, at, function == F_LCM, args, out);
    case F_FACTORIAL:
      return factorial (parser, at, a, out);
    case F_BINOMIAL:
      return binomial (parser, at, a, b, out);
    case F_POW:
      return power (parser, at, a, b, out);
    case F_EXP:
      *out = is_zero (a) ? integer (1) : approx (exp (x));
      break;
    case F_LN:
    case F_LOG:
    case F_LOG2:
    case F_LOG10:
      {
        Value base = function == F_LN ? approx (M_E) : integer (function == F_LOG2 ? 2 : 10);
        double r;

        if (b != NULL)
          value_take (&base, value_copy (b));
        if (value_sign (a) <= 0 || value_sign (&base) <= 0 || is_one (&base))
          {
            value_clear (&base);
            return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a logarithm needs a positive number (and a positive base other than 1)"));
          }
        /* log (1000) is 3 exactly when 10^3 gives the number back. */
        r = value_ln (a) / value_ln (&base);
        if (a->exact && cria_bigint_is_unit (a->n) && cria_bigint_is_unit (a->d))
          *out = integer (0);
        else if (function == F_LN || !exact_log (parser, at, a, &base, r, out))
          *out = approx (r);
        value_clear (&base);
      }
      break;
    case F_SIN:
      *out = is_zero (a) ? integer (0) : approx (sin (x));
      break;
    case F_COS:
      *out = is_zero (a) ? integer (1) : approx (cos (x));
      break;
    case F_TAN:
      *out = is_zero (a) ? integer (0) : approx (tan (x));
      break;
    case F_ASIN:
    case F_ACOS:
      if (x < -1 || x > 1)
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("asin and acos need a number between -1 and 1"));
      *out = approx (function == F_ASIN ? asin (x) : acos (x));
      break;
    case F_ATAN:
      *out = approx (atan (x));
      break;
    case F_ATAN2:
      *out = approx (atan2 (x, to_double (b)));
      break;
    case F_SINH:
      *out = approx (sinh (x));
      break;
    case F_COSH:
      *out = approx (cosh (x));
      break;
    case F_TANH:
      *out = approx (tanh (x));
      break;
    case F_HYPOT:
      *out = approx (hypot (x, to_double (b)));
      break;
    case F_DEG:
      *out = approx (x * 180.0 / G_PI);
      break;
    case F_RAD:
      *out = approx (x * G_PI / 180.0);
      break;
    default:
      g_assert_not_reached ();
    }
  return check (parser, at, out);
}

static gboolean
parse_name (Parser *parser,
            Value  *out)
{
  const char *start = parser->p;
  g_autofree char *name = NULL;
  g_autoptr(GArray) args = NULL;

  while (g_ascii_isalnum (*parser->p) || *parser->p == '_')
    parser->p++;
  name = g_ascii_strdown (start, parser->p - start);

  skip_space (parser);
  if (*parser->p != '(')
    {
      if (g_str_equal (name, "pi"))
        *out = approx (G_PI);
      else if (g_str_equal (name, "tau"))
        *out = approx (2 * G_PI);
      else if (g_str_equal (name, "e"))
        *out = approx (M_E);
      else
        return fail (parser, start, CRIA_CALC_ERROR_UNKNOWN, _("“%s” is not a known constant"), name);
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      if (!g_str_equal (functions[i].name, name))
        continue;

      parser->p++;
      args = g_array_new (FALSE, FALSE, sizeof (Value));
      g_array_set_clear_func (args, value_clear_cb);
      if (!accept (parser, ")"))
        {
          do
            {
              Value arg = VALUE_INIT;

              if (args->len >= 1000)
                return fail (parser, parser->p, CRIA_CALC_ERROR_TOO_LONG, _("too many arguments"));
              if (!parse_expr (parser, &arg))
                return FALSE;
              g_array_append_val (args, arg);
            }
          while (accept (parser, ","));
          if (!accept (parser, ")"))
            return fail (parser, parser->p, CRIA_CALC_ERROR_SYNTAX, _("expected “,” or “)”"));
        }
      if (args->len < functions[i].min_args || args->len > functions[i].max_args)
        {
          if (functions[i].min_args == functions[i].max_args)
            return fail (parser, start, CRIA_CALC_ERROR_SYNTAX,
                         g_dngettext (GETTEXT_PACKAGE, "%s takes %u argument", "%s takes %u arguments",
                                      functions[i].min_args),
                         functions[i].name, functions[i].min_args);
          return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("%s takes %u or more arguments"),
                       functions[i].name, functions[i].min_args);
        }
      return call_function (parser, start, functions[i].function, args, out);
    }

  return fail (parser, start, CRIA_CALC_ERROR_UNKNOWN, _("“%s” is not a known function"), name);
}

static gboolean
parse_primary (Parser *parser,
               Value  *out)
{
  const char *start;

  skip_space (parser);
  start = parser->p;

  if (g_ascii_isdigit (*parser->p) || (*parser->p == '.' && g_ascii_isdigit (parser->p[1])))
    return parse_number (parser, out);
  if (g_ascii_isalpha (*parser->p) || *parser->p == '_')
    return parse_name (parser, out);
  if (accept (parser, "π"))
    {
      *out = approx (G_PI);
      return TRUE;
    }
  if (accept (parser, "√"))
    {
      g_autoptr(GArray) args = g_array_new (FALSE, FALSE, sizeof (Value));
      Value arg = VALUE_INIT;

      g_array_set_clear_func (args, value_clear_cb);
      if (!parse_unary (parser, &arg))
        return FALSE;
      g_array_append_val (args, arg);
      return call_function (parser, start, F_SQRT, args, out);
    }
  if (accept (parser, "("))
    {
      if (++parser->depth > CRIA_CALC_MAX_DEPTH)
        return fail (parser, start, CRIA_CALC_ERROR_TOO_LONG, _("the expression is nested too deeply"));
      if (!parse_expr (parser, out))
        return FALSE;
      parser->depth--;
      if (!accept (parser, ")"))
        {
          value_clear (out);
          return fail (parser, parser->p, CRIA_CALC_ERROR_SYNTAX, _("expected “)”"));
        }
      return TRUE;
    }
  if (*parser->p == '\0')
    return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("the expression ends too early"));
  return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("expected a number, a name or “(”"));
}

/* Every parse_* function fills an empty *out on success and leaves it empty
 * on failure; an operation's result goes to a fresh value that then replaces
 * its operands. */
static gboolean
parse_postfix (Parser *parser,
               Value  *out)
{
  if (!parse_primary (parser, out))
    return FALSE;

  for (;;)
    {
      Value result = VALUE_INIT;
      const char *at;
      gboolean ok;

      skip_space (parser);
      at = parser->p;
      /* "!=" is no operator here, but keep "5!" apart from it. */
      if (*at != '!' || at[1] == '=')
        return TRUE;
      parser->p++;
      ok = factorial (parser, at, out, &result);
      value_take (out, result);
      if (!ok)
        return FALSE;
    }
}

static gboolean
parse_power (Parser *parser,
             Value  *out)
{
  Value exponent = VALUE_INIT, result = VALUE_INIT;
  const char *at;
  gboolean ok;

  if (!parse_postfix (parser, out))
    return FALSE;

  skip_space (parser);
  at = parser->p;
  if (!accept (parser, "**") && !accept (parser, "^"))
    return TRUE;

  /* Right-associative, and the exponent may carry a sign: 2^-1, 2^3^2. */
  if (!parse_unary (parser, &exponent))
    {
      value_clear (out);
      return FALSE;
    }
  ok = power (parser, at, out, &exponent, &result);
  value_clear (&exponent);
  value_take (out, result);
  return ok;
}

static gboolean
parse_unary (Parser *parser,
             Value  *out)
{
  gboolean result;

  skip_space (parser);
  if (++parser->depth > CRIA_CALC_MAX_DEPTH)
    return fail (parser, parser->p, CRIA_CALC_ERROR_TOO_LONG, _("the expression is nested too deeply"));

  if (accept (parser, "-") || accept (parser, "−"))
    {
      result = parse_unary (parser, out);
      if (result)
        value_take (out, negate (out));
    }
  else if (accept (parser, "+"))
    result = parse_unary (parser, out);
  else
    result = parse_power (parser, out);

  parser->depth--;
  return result;
}

static gboolean
parse_term (Parser *parser,
            Value  *out)
{
  if (!parse_unary (parser, out))
    return FALSE;

  for (;;)
    {
      Value rhs = VALUE_INIT;
      const char *at;
      char op;

      skip_space (parser);
      at = parser->p;
      if (strncmp (at, "**", 2) == 0)
        return TRUE;
      if (accept (parser, "*") || accept (parser, "×") || accept (parser, "·"))
        op = '*';
      else if (accept (parser, "/") || accept (parser, "÷"))
        op = '/';
      else if (accept (parser, "%"))
        op = '%';
      else
        return TRUE;

      if (!parse_unary (parser, &rhs))
        {
          value_clear (out);
          return FALSE;
        }

      if (op != '*' && is_zero (&rhs))
        {
          value_clear (&rhs);
          value_clear (out);
          return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("division by zero"));
        }
      if (op == '*')
        value_take (out, multiply (parser, out, &rhs));
      else if (op == '/')
        {
          Value inverse = reciprocal (&rhs);

          value_take (out, multiply (parser, out, &inverse));
          value_clear (&inverse);
        }
      else
        value_take (out, value_mod (parser, out, &rhs));
      value_clear (&rhs);
      if (!check (parser, at, out))
        return FALSE;
    }
}

static gboolean
parse_expr (Parser *parser,
            Value  *out)
{
  if (!parse_term (parser, out))
    return FALSE;

  for (;;)
    {
      Value rhs = VALUE_INIT;
      gboolean minus;

      if (accept (parser, "+"))
        minus = FALSE;
      else if (accept (parser, "-") || accept (parser, "−"))
        minus = TRUE;
      else
        return TRUE;

      if (!parse_term (parser, &rhs))
        {
          value_clear (out);
          return FALSE;
        }
      if (minus)
        value_take (&rhs, negate (&rhs));
      value_take (out, add (parser, out, &rhs));
      value_clear (&rhs);
      if (!check (parser, parser->p, out))
        return FALSE;
    }
}

static char *
format_double (double x)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (x == 0)
    x = 0;  /* no "-0" */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", x));
}

char *
cria_calc_evaluate (const char  *expression,
                    GError     **error)
{
  Parser parser = { expression, expression, 0, 0, error };
  Value value = VALUE_INIT;
  char *result;

  g_return_val_if_fail (expression != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (expression) > CRIA_CALC_MAX_LENGTH)
    {
      g_set_error (error, CRIA_CALC_ERROR, CRIA_CALC_ERROR_TOO_LONG,
                   _("The expression is longer than %u bytes"), CRIA_CALC_MAX_LENGTH);
      return NULL;
    }
  if (!g_utf8_validate (expression, -1, NULL))
    {
      g_set_error_literal (error, CRIA_CALC_ERROR, CRIA_CALC_ERROR_SYNTAX,
                           _("The expression is not valid UTF-8"));
      return NULL;
    }

  if (!parse_expr (&parser, &value))
    return NULL;
  skip_space (&parser);
  if (*parser.p != '\0')
    {
      value_clear (&value);
      fail (&parser, parser.p, CRIA_CALC_ERROR_SYNTAX, _("expected an operator or the end"));
      return NULL;
    }

  if (!value.exact)
    {
      g_autofree char *approximation = format_double (value.x);
      result = g_strconcat ("≈ ", approximation, NULL);
    }
  else if (is_integer (&value))
    result = cria_bigint_to_string (value.n);
  else
    {
      result = cria_bigint_format_decimal (value.n, value.d, MAX_DIGITS);
      if (result == NULL)
        {
          g_autofree char *n = cria_bigint_to_string (value.n);
          g_autofree char *d = cria_bigint_to_string (value.d);
          g_autofree char *approximation = format_double (cria_bigint_ratio_to_double (value.n, value.d));

          result = g_strdup_printf ("%s/%s ≈ %s", n, d, approximation);
        }
    }
  value_clear (&value);
  return result;
}

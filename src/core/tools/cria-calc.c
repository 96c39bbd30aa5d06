/* cria-calc.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-calc.h"

G_DEFINE_QUARK (cria-calc-error-quark, cria_calc_error)

/* A number: exact (n/d in lowest terms, d > 0, neither INT64_MIN) or an
 * approximation in x. */
typedef struct
{
  gboolean exact;
  gint64   n;
  gint64   d;
  double   x;
} Value;

typedef struct
{
  const char  *text;
  const char  *p;
  guint        depth;
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

static gint64
gcd64 (gint64 a,
       gint64 b)
{
  if (a < 0)
    a = -a;
  if (b < 0)
    b = -b;
  while (b != 0)
    {
      gint64 t = a % b;
      a = b;
      b = t;
    }
  return a;
}

static Value
approx (double x)
{
  Value v = { FALSE, 0, 1, x };
  return v;
}

static double
to_double (const Value *v)
{
  return v->exact ? (double) v->n / (double) v->d : v->x;
}

/* n/d in lowest terms with d > 0; an approximation when that does not fit. */
static Value
rational (gint64 n,
          gint64 d)
{
  Value v = { TRUE, n, d, 0 };
  gint64 g;

  g_assert (d != 0);
  if (n == G_MININT64 || d == G_MININT64)
    return approx ((double) n / (double) d);
  if (d < 0)
    {
      n = -n;
      d = -d;
    }
  g = gcd64 (n, d);
  if (g > 1)
    {
      n /= g;
      d /= g;
    }
  v.n = n;
  v.d = d;
  return v;
}

static Value
integer (gint64 n)
{
  return rational (n, 1);
}

static gboolean
is_integer (const Value *v)
{
  return v->exact && v->d == 1;
}

static Value
add (const Value *a,
     const Value *b)
{
  if (a->exact && b->exact)
    {
      gint64 g = gcd64 (a->d, b->d);
      gint64 x, y, n, d;

      if (!__builtin_mul_overflow (a->n, b->d / g, &x) &&
          !__builtin_mul_overflow (b->n, a->d / g, &y) &&
          !__builtin_add_overflow (x, y, &n) &&
          !__builtin_mul_overflow (a->d, b->d / g, &d))
        return rational (n, d);
    }
  return approx (to_double (a) + to_double (b));
}

static Value
negate (const Value *a)
{
  if (a->exact)
    return rational (-a->n, a->d);
  return approx (-a->x);
}

static Value
multiply (const Value *a,
          const Value *b)
{
  if (a->exact && b->exact)
    {
      gint64 g1 = gcd64 (a->n, b->d), g2 = gcd64 (b->n, a->d);
      gint64 n, d;

      if (g1 == 0)
        g1 = 1;
      if (g2 == 0)
        g2 = 1;
      if (!__builtin_mul_overflow (a->n / g1, b->n / g2, &n) &&
          !__builtin_mul_overflow (a->d / g2, b->d / g1, &d))
        return rational (n, d);
    }
  return approx (to_double (a) * to_double (b));
}

static gboolean
is_zero (const Value *v)
{
  return v->exact ? v->n == 0 : v->x == 0.0;
}

static Value
reciprocal (const Value *a)
{
  g_assert (!is_zero (a));
  if (a->exact)
    return rational (a->d, a->n);
  return approx (1.0 / a->x);
}

/* The largest integer not above n/d (d > 0). */
static gint64
floor_div (gint64 n,
           gint64 d)
{
  gint64 q = n / d;

  if ((n % d != 0) && (n < 0))
    q--;
  return q;
}

static Value
value_floor (const Value *v)
{
  return v->exact ? integer (floor_div (v->n, v->d)) : approx (floor (v->x));
}

static Value
value_ceil (const Value *v)
{
  return v->exact ? integer (-floor_div (-v->n, v->d)) : approx (ceil (v->x));
}

static Value
value_trunc (const Value *v)
{
  return v->exact ? integer (v->n / v->d) : approx (trunc (v->x));
}

static Value
value_round (const Value *v)
{
  /* Halves away from zero, like round (3). */
  if (v->exact)
    {
      Value half = rational (v->n < 0 ? -1 : 1, 2);
      Value shifted = add (v, &half);

      if (shifted.exact)
        return v->n < 0 ? value_ceil (&shifted) : value_floor (&shifted);
    }
  return approx (round (to_double (v)));
}

/* The exact integer square root of n, or -1. */
static gint64
exact_sqrt (gint64 n)
{
  gint64 r;

  if (n < 0)
    return -1;
  r = (gint64) sqrt ((double) n);
  while (r > 0 && (r > n / r))
    r--;
  while ((r + 1) <= n / (r + 1))
    r++;
  return r * r == n ? r : -1;
}

static gint64
exact_cbrt (gint64 n)
{
  gint64 m = n < 0 ? -n : n;
  gint64 r = (gint64) llround (cbrt ((double) m));

  for (gint64 c = MAX (r - 1, 0); c <= r + 1; c++)
    {
      gint64 sq, cube;

      if (!__builtin_mul_overflow (c, c, &sq) &&
          !__builtin_mul_overflow (sq, c, &cube) && cube == m)
        return n < 0 ? -c : c;
    }
  return G_MININT64;
}

static gboolean
finite_or_fail (Parser     *parser,
                const char *at,
                Value      *v)
{
  if (v->exact || isfinite (v->x))
    return TRUE;
  if (isnan (v->x))
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is not defined"));
  return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is too large"));
}

static gboolean
power (Parser     *parser,
       const char *at,
       const Value *base,
       const Value *exponent,
       Value       *out)
{
  if (is_zero (base) && to_double (exponent) < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("zero has no negative power"));

  if (base->exact && is_integer (exponent))
    {
      gint64 e = exponent->n;
      guint64 k = e < 0 ? (guint64) -e : (guint64) e;
      Value result = integer (1), square = *base;

      /* Squaring: at most 64 steps, and the first overflow turns both
       * into doubles, which stay cheap. */
      while (k > 0)
        {
          if (k & 1)
            result = multiply (&result, &square);
          k >>= 1;
          if (k > 0)
            square = multiply (&square, &square);
          if (!result.exact && !isfinite (result.x))
            break;
        }
      if (result.exact)
        {
          *out = e < 0 ? reciprocal (&result) : result;
          return TRUE;
        }
      *out = approx (pow (to_double (base), (double) e));
      return finite_or_fail (parser, at, out);
    }

  if (to_double (base) < 0 && !(exponent->exact && (exponent->d & 1) == 1))
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a negative number has no real power of this kind"));

  if (to_double (base) < 0)
    {
      /* An odd root of a negative number: (-8)^(1/3) is -2. */
      double r = pow (-to_double (base), to_double (exponent));
      *out = approx ((exponent->n & 1) ? -r : r);
    }
  else
    *out = approx (pow (to_double (base), to_double (exponent)));
  return finite_or_fail (parser, at, out);
}

static gboolean
factorial (Parser      *parser,
           const char  *at,
           const Value *v,
           Value       *out)
{
  Value result = integer (1);

  if (!is_integer (v) || v->n < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("factorial needs a whole number that is not negative"));
  if (v->n > 170)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is too large"));

  for (gint64 i = 2; i <= v->n; i++)
    {
      Value factor = integer (i);
      result = multiply (&result, &factor);
    }
  *out = result;
  return TRUE;
}

static gboolean
binomial (Parser      *parser,
          const char  *at,
          const Value *n,
          const Value *k,
          Value       *out)
{
  Value result = integer (1);
  gint64 kk;

  if (!is_integer (n) || !is_integer (k) || n->n < 0 || k->n < 0)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("binomial needs whole numbers that are not negative"));
  if (k->n > n->n)
    {
      *out = integer (0);
      return TRUE;
    }
  kk = MIN (k->n, n->n - k->n);
  if (kk > 10000)
    return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is too large"));
  for (gint64 i = 1; i <= kk; i++)
    {
      Value num = integer (n->n - kk + i), den = rational (1, i);
      result = multiply (&result, &num);
      result = multiply (&result, &den);
    }
  *out = result;
  return finite_or_fail (parser, at, out);
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

static gboolean
parse_number (Parser *parser,
              Value  *out)
{
  const char *start = parser->p;
  g_autoptr(GString) digits = g_string_new (NULL);
  gint64 mantissa = 0, scale = 0, exponent = 0;
  gboolean exact = TRUE, seen_point = FALSE, seen_digit = FALSE;
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
      if (exact && (__builtin_mul_overflow (mantissa, base, &mantissa) ||
                    __builtin_add_overflow (mantissa, digit, &mantissa)))
        exact = FALSE;
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

  exponent -= scale;
  if (exact && exponent >= -18 && exponent <= 18)
    {
      Value ten = integer (10), e = integer (exponent), factor;

      *out = integer (mantissa);
      /* 10^±18 fits a 64-bit integer, so this cannot fail. */
      if (!power (parser, start, &ten, &e, &factor))
        return FALSE;
      *out = multiply (out, &factor);
      return finite_or_fail (parser, start, out);
    }

  if (base != 10)
    *out = approx ((double) g_ascii_strtoull (digits->str, NULL, base));
  else
    *out = approx (g_ascii_strtod (digits->str, NULL));
  return finite_or_fail (parser, start, out);
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

static int
compare (const Value *a,
         const Value *b)
{
  Value minus_b = negate (b), diff = add (a, &minus_b);
  double x = to_double (&diff);

  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

static gboolean
apply_gcd_lcm (Parser     *parser,
               const char *at,
               gboolean    lcm,
               GArray     *args,
               Value      *out)
{
  gint64 acc = lcm ? 1 : 0;

  for (guint i = 0; i < args->len; i++)
    {
      const Value *v = &g_array_index (args, Value, i);
      gint64 n;

      if (!is_integer (v))
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("gcd and lcm need whole numbers"));
      n = v->n < 0 ? -v->n : v->n;
      if (!lcm)
        acc = gcd64 (acc, n);
      else if (n == 0 || acc == 0)
        acc = 0;
      else if (__builtin_mul_overflow (acc / gcd64 (acc, n), n, &acc))
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("the value is too large"));
    }
  *out = integer (acc);
  return TRUE;
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
      if (x < 0)
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a negative number has no real square root"));
      if (a->exact && exact_sqrt (a->n) >= 0 && exact_sqrt (a->d) >= 0)
        *out = rational (exact_sqrt (a->n), exact_sqrt (a->d));
      else
        *out = approx (sqrt (x));
      break;
    case F_CBRT:
      if (a->exact && exact_cbrt (a->n) != G_MININT64 && exact_cbrt (a->d) != G_MININT64)
        *out = rational (exact_cbrt (a->n), exact_cbrt (a->d));
      else
        *out = approx (cbrt (x));
      break;
    case F_ABS:
      *out = x < 0 ? negate (a) : *a;
      break;
    case F_SIGN:
      *out = integer (x < 0 ? -1 : x > 0 ? 1 : 0);
      break;
    case F_FLOOR:
      *out = value_floor (a);
      break;
    case F_CEIL:
      *out = value_ceil (a);
      break;
    case F_ROUND:
      *out = value_round (a);
      break;
    case F_TRUNC:
      *out = value_trunc (a);
      break;
    case F_MIN:
    case F_MAX:
      *out = *a;
      for (guint i = 1; i < args->len; i++)
        {
          const Value *v = &g_array_index (args, Value, i);
          int c = compare (v, out);

          if ((function == F_MIN && c < 0) || (function == F_MAX && c > 0))
            *out = *v;
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
        double base = function == F_LN ? M_E : function == F_LOG2 ? 2 : 10;

        if (b != NULL)
          base = to_double (b);
        if (x <= 0 || base <= 0 || base == 1)
          return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("a logarithm needs a positive number (and a positive base other than 1)"));
        if (a->exact && a->n == 1 && a->d == 1)
          *out = integer (0);
        else
          {
            double r = log (x) / log (base);
            double nearest = round (r);
            Value check, base_value = b != NULL ? *b : integer ((gint64) base);

            /* log (1000) is 3 exactly when 10^3 gives the number back. */
            if (function != F_LN && base_value.exact && a->exact && fabs (r - nearest) < 1e-9 &&
                fabs (nearest) <= 62)
              {
                Value e = integer ((gint64) nearest);

                if (power (parser, at, &base_value, &e, &check) && check.exact &&
                    compare (&check, a) == 0)
                  {
                    *out = e;
                    break;
                  }
                g_clear_error (parser->error);
              }
            *out = approx (r);
          }
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
  return finite_or_fail (parser, at, out);
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
      if (!accept (parser, ")"))
        {
          do
            {
              Value arg;

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
      Value arg;

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
        return fail (parser, parser->p, CRIA_CALC_ERROR_SYNTAX, _("expected “)”"));
      return TRUE;
    }
  if (*parser->p == '\0')
    return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("the expression ends too early"));
  return fail (parser, start, CRIA_CALC_ERROR_SYNTAX, _("expected a number, a name or “(”"));
}

static gboolean
parse_postfix (Parser *parser,
               Value  *out)
{
  if (!parse_primary (parser, out))
    return FALSE;

  for (;;)
    {
      const char *at;

      skip_space (parser);
      at = parser->p;
      /* "!=" is no operator here, but keep "5!" apart from it. */
      if (*at != '!' || at[1] == '=')
        return TRUE;
      parser->p++;
      if (!factorial (parser, at, out, out))
        return FALSE;
    }
}

static gboolean
parse_power (Parser *parser,
             Value  *out)
{
  const char *at;
  Value exponent;

  if (!parse_postfix (parser, out))
    return FALSE;

  skip_space (parser);
  at = parser->p;
  if (!accept (parser, "**") && !accept (parser, "^"))
    return TRUE;

  /* Right-associative, and the exponent may carry a sign: 2^-1, 2^3^2. */
  if (!parse_unary (parser, &exponent))
    return FALSE;
  return power (parser, at, out, &exponent, out);
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
        *out = negate (out);
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
      const char *at;
      Value rhs;
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
        return FALSE;

      if (op == '*')
        *out = multiply (out, &rhs);
      else if (is_zero (&rhs))
        return fail (parser, at, CRIA_CALC_ERROR_DOMAIN, _("division by zero"));
      else if (op == '/')
        {
          Value inverse = reciprocal (&rhs);
          *out = multiply (out, &inverse);
        }
      else
        {
          /* a - b * floor (a / b): the sign of the divisor, as in Python. */
          Value inverse = reciprocal (&rhs), quotient = multiply (out, &inverse);
          Value whole = value_floor (&quotient), product = multiply (&whole, &rhs);
          Value minus = negate (&product);

          *out = add (out, &minus);
        }
      if (!finite_or_fail (parser, at, out))
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
      Value rhs;
      gboolean minus;

      if (accept (parser, "+"))
        minus = FALSE;
      else if (accept (parser, "-") || accept (parser, "−"))
        minus = TRUE;
      else
        return TRUE;

      if (!parse_term (parser, &rhs))
        return FALSE;
      if (minus)
        rhs = negate (&rhs);
      *out = add (out, &rhs);
      if (!finite_or_fail (parser, parser->p, out))
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

/* n/d as a decimal when d is made of 2s and 5s only, else NULL. */
static char *
format_terminating (gint64 n,
                    gint64 d)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint64 un = n < 0 ? (guint64) -n : (guint64) n;
  guint64 rest;
  gint64 dd = d;

  while (dd % 2 == 0)
    dd /= 2;
  while (dd % 5 == 0)
    dd /= 5;
  if (dd != 1 || (guint64) d > G_MAXUINT64 / 10)
    return NULL;

  if (n < 0)
    g_string_append_c (text, '-');
  g_string_append_printf (text, "%" G_GUINT64_FORMAT ".", un / (guint64) d);
  /* At most 63 digits: d divides 10^63. */
  for (rest = un % (guint64) d; rest != 0; rest = (rest * 10) % (guint64) d)
    g_string_append_c (text, (char) ('0' + (rest * 10) / (guint64) d));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
cria_calc_evaluate (const char  *expression,
                    GError     **error)
{
  Parser parser = { expression, expression, 0, error };
  Value value;

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
      fail (&parser, parser.p, CRIA_CALC_ERROR_SYNTAX, _("expected an operator or the end"));
      return NULL;
    }

  if (!value.exact)
    {
      g_autofree char *approximation = format_double (value.x);
      return g_strconcat ("≈ ", approximation, NULL);
    }
  if (value.d == 1)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value.n);
  else
    {
      g_autofree char *decimal = format_terminating (value.n, value.d);
      g_autofree char *approximation = NULL;

      if (decimal != NULL)
        return g_steal_pointer (&decimal);
      approximation = format_double ((double) value.n / (double) value.d);
      return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " ≈ %s",
                              value.n, value.d, approximation);
    }
}

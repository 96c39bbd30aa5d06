/* test-calc.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The calculator's arithmetic: exact where it can be, marked where it
 * cannot, and an error that says where for everything else.
 */

#include "config.h"

#include <string.h>

#include "cria-calc.h"

static void
assert_value (const char *expression,
              const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = cria_calc_evaluate (expression, &error);

  if (error != NULL)
    g_error ("%s failed: %s", expression, error->message);
  if (g_strcmp0 (value, expected) != 0)
    g_error ("%s gave “%s”, not “%s”", expression, value, expected);
}

static void
assert_error (const char *expression,
              int         code,
              const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = cria_calc_evaluate (expression, &error);

  if (value != NULL)
    g_error ("%s gave “%s”, not an error", expression, value);
  g_assert_error (error, CRIA_CALC_ERROR, code);
  if (fragment != NULL && strstr (error->message, fragment) == NULL)
    g_error ("%s: “%s” does not say “%s”", expression, error->message, fragment);
}

static void
test_exact_arithmetic (void)
{
  assert_value ("1 + 2 * 3", "7");
  assert_value ("(1 + 2) * 3", "9");
  assert_value ("7 - 10", "-3");
  /* The classic: no binary floating point in sight. */
  assert_value ("0.1 + 0.2", "0.3");
  assert_value ("1/3", "1/3 ≈ 0.333333333333333");
  assert_value ("1/3 + 1/6", "0.5");
  assert_value ("2/3 * 3", "2");
  assert_value ("10 / 4", "2.5");
  assert_value ("1/8", "0.125");
  assert_value ("-7 / 2", "-3.5");
  assert_value ("3 * 0.7", "2.1");
  assert_value ("1.5e3", "1500");
  assert_value ("2.5E-2", "0.025");
  assert_value ("1_000_000 * 3", "3000000");
  assert_value ("0x1F + 0b101 + 0o17", "51");
  assert_value ("9223372036854775807", "9223372036854775807");
  assert_value ("(17.5 - 3) * 12 / 7", "174/7 ≈ 24.8571428571429");
  /* Unicode operators a model may write. */
  assert_value ("6 × 7 − 2 ÷ 4", "41.5");
}

static void
test_precedence (void)
{
  assert_value ("2^3^2", "512");
  assert_value ("-2^2", "-4");
  assert_value ("(-2)^2", "4");
  assert_value ("2^-1", "0.5");
  assert_value ("2**10", "1024");
  assert_value ("2 * 3^2", "18");
  assert_value ("--3", "3");
  assert_value ("+4", "4");
  assert_value ("3!", "6");
  assert_value ("3!^2", "36");
  assert_value ("10 - 2 - 3", "5");
  assert_value ("64 / 4 / 2", "8");
}

static void
test_remainder (void)
{
  assert_value ("17 % 5", "2");
  /* The sign of the divisor, as in Python. */
  assert_value ("-7 % 3", "2");
  assert_value ("7 % -3", "-2");
  assert_value ("5.5 % 2", "1.5");
}

static void
test_functions (void)
{
  assert_value ("sqrt(16)", "4");
  assert_value ("sqrt(9/4)", "1.5");
  assert_value ("√2", "≈ 1.4142135623731");
  assert_value ("sqrt(2)", "≈ 1.4142135623731");
  assert_value ("cbrt(-27)", "-3");
  assert_value ("abs(-3/4)", "0.75");
  assert_value ("sign(-2)", "-1");
  assert_value ("floor(-2.5)", "-3");
  assert_value ("ceil(-2.5)", "-2");
  assert_value ("round(2.5)", "3");
  assert_value ("round(-2.5)", "-3");
  assert_value ("trunc(-2.7)", "-2");
  assert_value ("min(3, 1/2, 2)", "0.5");
  assert_value ("MAX(3, 7, 2)", "7");
  assert_value ("gcd(84, 36)", "12");
  assert_value ("lcm(4, 6, 10)", "60");
  assert_value ("factorial(20)", "2432902008176640000");
  assert_value ("binomial(52, 5)", "2598960");
  assert_value ("pow(3, 4)", "81");
  assert_value ("log(1000)", "3");
  assert_value ("log2(1024)", "10");
  assert_value ("log(8, 2)", "3");
  assert_value ("ln(1)", "0");
  assert_value ("ln(e)", "≈ 1");
  assert_value ("exp(0)", "1");
  assert_value ("sin(0)", "0");
  assert_value ("sin(pi/6)", "≈ 0.5");
  assert_value ("cos(pi)", "≈ -1");
  assert_value ("atan2(1, 1) * 4", "≈ 3.14159265358979");
  assert_value ("deg(pi)", "≈ 180");
  assert_value ("hypot(3, 4)", "≈ 5");
  assert_value ("2 * pi", "≈ 6.28318530717959");
}

static void
test_beyond_64_bits (void)
{
  /* Past 64 bits the arithmetic stays exact, at any size up to the cap. */
  assert_value ("2^64", "18446744073709551616");
  assert_value ("2^100", "1267650600228229401496703205376");
  assert_value ("30!", "265252859812191058636308480000000");
  assert_value ("factorial(25)", "15511210043330985984000000");
  assert_value ("21!", "51090942171709440000");
  assert_value ("(2^64+1)*(2^64-1)", "340282366920938463463374607431768211455");
  assert_value ("9223372036854775807 + 1", "9223372036854775808");
  assert_value ("-9223372036854775808 - 1", "-9223372036854775809");
  assert_value ("123456789012345678901234567890 * 2", "246913578024691357802469135780");
  assert_value ("123456789012345678901234567890", "123456789012345678901234567890");
  assert_value ("10^30 / 10^28", "100");
  assert_value ("1e30", "1000000000000000000000000000000");
  assert_value ("1e300 * 1e5 / 1e300", "100000");
  assert_value ("1/3 + 1/7^30",
                "22539340290692258087863252/67618020872076774263589747 ≈ 0.333333333333333");
  assert_value ("(2^80+1) % 7", "5");
  assert_value ("gcd(2^100, 6^50)", "1125899906842624");
  assert_value ("lcm(2^70, 3^40)", "14353237968448109868972222216943775514624");
  assert_value ("sqrt(10^40)", "100000000000000000000");
  assert_value ("sqrt(4/10^40)", "0.00000000000000000002");
  assert_value ("cbrt(-(10^30 + 1)^3)", "-1000000000000000000000000000001");
  assert_value ("sqrt(10^40 + 1)", "≈ 1e+20");
  assert_value ("binomial(100, 50)", "100891344545564193334812497256");
  assert_value ("(10^30+1)*(10^30-1)", "999999999999999999999999999999999999999999999999999999999999");
  assert_value ("log(10^100)", "100");
  assert_value ("log(10^400)", "400");
  assert_value ("log2(2^-200)", "-200");
  assert_value ("0x10000000000000000", "18446744073709551616");
  assert_value ("2^200 % 1000007", "446616");
  assert_value ("floor(2^64 * 3 / 7)", "7905747460161236406");
  assert_value ("ceil(2^64 * 3 / 7)", "7905747460161236407");
  assert_value ("round(2^64 / 2 + 1/2)", "9223372036854775809");
  assert_value ("(1/2)^62", "0.00000000000000000021684043449710088680149056017398834228515625");
  assert_value ("max(2^100, 2^100 + 1, 3)", "1267650600228229401496703205377");
}

static void
test_signs (void)
{
  /* Negative numbers and mixed signs, exact past 64 bits. */
  assert_value ("-2^70 / 3", "-1180591620717411303424/3 ≈ -3.93530540239137e+20");
  assert_value ("(-2)^71", "-2361183241434822606848");
  assert_value ("(-2)^-3", "-0.125");
  assert_value ("-2^70 / 1000 * 8", "-9444732965739290427.392");
  assert_value ("-2^70 % 3", "2");
  assert_value ("2^70 % -3", "-2");
  assert_value ("-2^70 % -3", "-1");
  assert_value ("-(2^65) + 2^64 * 2", "0");
  assert_value ("floor(-2^65 / 3)", "-12297829382473034411");
  assert_value ("trunc(-2^65 / 3)", "-12297829382473034410");
  assert_value ("round(-(2^64 + 1/2))", "-18446744073709551617");
  assert_value ("abs(-2^100)", "1267650600228229401496703205376");
  assert_value ("sign(-2^100)", "-1");
  assert_value ("min(-2^100, -2^99)", "-1267650600228229401496703205376");
  assert_value ("(-1)^(2^100)", "1");
  assert_value ("(-1)^(2^100 + 1)", "-1");
}

static void
test_caps (void)
{
  g_autoptr(GString) sum = g_string_new (NULL);
  g_autoptr(GString) ones = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *zeros = NULL;
  g_autofree char *tiny = NULL;
  double expected = 0, shown;
  const char *approximation;

  /* 4096 digits are exact; one more digit is too many, and past doubles an
   * error says so at once, in bounded memory. */
  value = cria_calc_evaluate ("10^4095", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (value), ==, 4096);
  g_clear_pointer (&value, g_free);
  assert_error ("10^4096", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("10^4095 * 10", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("10^10^10", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("2^(2^64)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("factorial(100000)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("factorial(2^100)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("binomial(10^6, 5*10^5)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("binomial(10^100, 10^50)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("1e5000", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("lcm(2^7000, 3^7000)", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("(3/2)^100000", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  /* Past the cap but inside doubles: the approximation, marked. */
  assert_value ("(1/3)^10000", "≈ 0");
  assert_value ("(2/3)^100000", "≈ 0");
  assert_value ("10^-5000", "≈ 0");
  assert_value ("1e-9000", "≈ 0");
  /* A terminating decimal is written in full, up to 4096 places. */
  zeros = g_strnfill (3999, '0');
  tiny = g_strconcat ("0.", zeros, "1", NULL);
  assert_value ("(10^4000 + 1) / 10^4000 - 1", tiny);
  /* Past that, the fraction. */
  value = cria_calc_evaluate ("1/2^4097", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (value, "1/208877776282630501338350542143"));
  g_assert_true (g_str_has_suffix (value, " ≈ 0"));
  g_clear_pointer (&value, g_free);

  /* The largest factorial within the cap is whole and exact. */
  value = cria_calc_evaluate ("1000!", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (value), ==, 2568);
  g_assert_true (g_str_has_prefix (value, "402387260077093773543702433923003985719374864210"));
  g_assert_true (g_str_has_suffix (value, "000000000"));
  g_clear_pointer (&value, g_free);

  /* A long sum of small fractions stays exact: the harmonic number H_600
   * (about 3,600 bytes of input), checked against the sum of doubles. */
  for (guint k = 1; k <= 600; k++)
    {
      g_string_append_printf (sum, "%s1/%u", k > 1 ? "+" : "", k);
      expected += 1.0 / k;
    }
  value = cria_calc_evaluate (sum->str, &error);
  g_assert_no_error (error);
  approximation = strstr (value, " ≈ ");
  g_assert_nonnull (approximation);
  g_assert_nonnull (strchr (value, '/'));
  shown = g_ascii_strtod (approximation + strlen (" ≈ "), NULL);
  g_assert_cmpfloat_with_epsilon (shown, expected, 1e-12);
  g_clear_pointer (&value, g_free);

  for (guint k = 0; k < 2000; k++)
    g_string_append (ones, k > 0 ? "+1" : "1");
  assert_value (ones->str, "2000");

  /* The work of one expression has a bound too: hundreds of sums of
   * fractions near the cap go on in doubles, and hundreds of big binomials
   * end in an error, rather than seconds of work. */
  g_string_truncate (sum, 0);
  for (guint k = 0; k < 250; k++)
    g_string_append (sum, k > 0 ? "+2^13000/3^8000" : "2^13000/3^8000");
  assert_value (sum->str, "≈ 6.57424497557086e+98");
  g_string_truncate (sum, 0);
  for (guint k = 0; k < 190; k++)
    g_string_append (sum, k > 0 ? "+binomial(13000,6500)" : "binomial(13000,6500)");
  assert_error (sum->str, CRIA_CALC_ERROR_DOMAIN, "more exact arithmetic");
}

static void
test_errors (void)
{
  assert_error ("1 / 0", CRIA_CALC_ERROR_DOMAIN, "column 3");
  assert_error ("5 % 0", CRIA_CALC_ERROR_DOMAIN, "division by zero");
  /* A zero that comes out of arithmetic is as zero as a written one. */
  assert_error ("1 / (0 * 5)", CRIA_CALC_ERROR_DOMAIN, "division by zero");
  assert_error ("2^70 % (2^70 * 0)", CRIA_CALC_ERROR_DOMAIN, "division by zero");
  assert_error ("1 / (2^70 - 2^70)", CRIA_CALC_ERROR_DOMAIN, "division by zero");
  assert_error ("sqrt(-1)", CRIA_CALC_ERROR_DOMAIN, "square root");
  assert_error ("0^-1", CRIA_CALC_ERROR_DOMAIN, NULL);
  assert_error ("(-8)^0.5", CRIA_CALC_ERROR_DOMAIN, NULL);
  assert_error ("ln(0)", CRIA_CALC_ERROR_DOMAIN, "logarithm");
  assert_error ("1750!", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("2.5!", CRIA_CALC_ERROR_DOMAIN, "whole number");
  assert_error ("10^5000", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_error ("exp(1000)", CRIA_CALC_ERROR_DOMAIN, "too large");
  assert_error ("1 +", CRIA_CALC_ERROR_SYNTAX, "ends too early");
  assert_error ("(1 + 2", CRIA_CALC_ERROR_SYNTAX, "“)”");
  assert_error ("1 2", CRIA_CALC_ERROR_SYNTAX, "column 3");
  assert_error ("2pi", CRIA_CALC_ERROR_SYNTAX, "write *");
  assert_error ("foo(1)", CRIA_CALC_ERROR_UNKNOWN, "“foo”");
  assert_error ("x + 1", CRIA_CALC_ERROR_UNKNOWN, "“x”");
  assert_error ("sqrt(1, 2)", CRIA_CALC_ERROR_SYNTAX, "sqrt takes 1 argument");
  assert_error ("gcd(1.5, 2)", CRIA_CALC_ERROR_DOMAIN, NULL);
  assert_error ("", CRIA_CALC_ERROR_SYNTAX, NULL);
  assert_error ("é + 1", CRIA_CALC_ERROR_SYNTAX, "column 1");
  /* Columns count characters, not bytes. */
  assert_error ("π ÷ 0", CRIA_CALC_ERROR_DOMAIN, "column 3");
  /* Code is not arithmetic. */
  assert_error ("__import__('os')", CRIA_CALC_ERROR_UNKNOWN, NULL);
  assert_error ("1; 2", CRIA_CALC_ERROR_SYNTAX, NULL);
  assert_error ("\xff", CRIA_CALC_ERROR_SYNTAX, "UTF-8");
}

static void
test_bounds (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) minus = g_string_new (NULL);
  g_autoptr(GString) ok = g_string_new (NULL);
  g_autofree char *longest = NULL;

  /* Nesting has a bound, so no input can run the stack out. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '(');
  assert_error (deep->str, CRIA_CALC_ERROR_TOO_LONG, NULL);

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (minus, '-');
  g_string_append_c (minus, '1');
  assert_error (minus->str, CRIA_CALC_ERROR_TOO_LONG, NULL);

  for (guint i = 0; i < 30; i++)
    g_string_append_c (ok, '(');
  g_string_append_c (ok, '1');
  for (guint i = 0; i < 30; i++)
    g_string_append_c (ok, ')');
  assert_value (ok->str, "1");

  longest = g_strnfill (CRIA_CALC_MAX_LENGTH + 1, '1');
  assert_error (longest, CRIA_CALC_ERROR_TOO_LONG, NULL);

  /* Huge powers end at once: the size is judged before the work. */
  assert_error ("2^9223372036854775807", CRIA_CALC_ERROR_DOMAIN, "more than 4096 digits");
  assert_value ("1^9223372036854775807", "1");
  assert_value ("0^(10^100)", "0");
}

static void
test_garbage (void)
{
  /* Every prefix of a long expression and random bytes either evaluate or
   * fail with an error, never crash. */
  const char *source = "((17.5 - 3) * 12 / 7) ^ 2 + sqrt(2) * max(1, 2, 3)! - gcd(84, 36) % 5";
  GRand *rand = g_rand_new_with_seed (15);

  for (gsize i = 0; i <= strlen (source); i++)
    {
      g_autofree char *prefix = g_strndup (source, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *value = cria_calc_evaluate (prefix, &error);

      g_assert_true ((value == NULL) != (error == NULL));
    }

  for (guint round = 0; round < 2000; round++)
    {
      static const char alphabet[] = "0123456789.+-*/%^!(),e_xpisqrt ";
      char text[24];
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      for (guint i = 0; i < sizeof text - 1; i++)
        text[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      text[sizeof text - 1] = '\0';
      value = cria_calc_evaluate (text, &error);
      g_assert_true ((value == NULL) != (error == NULL));
    }
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/calc/exact", test_exact_arithmetic);
  g_test_add_func ("/calc/precedence", test_precedence);
  g_test_add_func ("/calc/remainder", test_remainder);
  g_test_add_func ("/calc/functions", test_functions);
  g_test_add_func ("/calc/beyond-64-bits", test_beyond_64_bits);
  g_test_add_func ("/calc/signs", test_signs);
  g_test_add_func ("/calc/caps", test_caps);
  g_test_add_func ("/calc/errors", test_errors);
  g_test_add_func ("/calc/bounds", test_bounds);
  g_test_add_func ("/calc/garbage", test_garbage);

  return g_test_run ();
}

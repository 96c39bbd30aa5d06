/* test-math-parse.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maths parser on bad input (every error is a GError, never a crash or
 * a deep recursion) and the words a screen reader says for a formula.
 */

#include "config.h"

#include <string.h>

#include "cria-math-private.h"

static void
assert_error (const char *source,
              gssize      len,
              int         code,
              const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathNode) node = cria_math_parse (source, len, &error);

  if (node != NULL)
    g_error ("%.80s parsed but should fail", source);
  g_assert_error (error, CRIA_MATH_ERROR, code);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("the error for %.80s is \"%s\", which does not say %s", source, error->message, in_message);
}

static void
test_unknown_command (void)
{
  assert_error ("x + \\foo{y}", -1, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "\\foo");
  assert_error ("\\frac{\\unknownthing}{2}", -1, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "\\unknownthing");
  assert_error ("\\begin{tabular}{cc} a \\end{tabular}", -1, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "tabular");

  /* A long name is cut in the message, between characters. */
  {
    g_autofree char *name = g_strnfill (63, 'x');
    g_autofree char *source = g_strdup_printf ("\\begin{%séééééééééé}", name);
    g_autoptr(GError) error = NULL;
    g_autoptr(CriaMathNode) node = cria_math_parse (source, -1, &error);

    g_assert_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_UNKNOWN_COMMAND);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_clear_error (&error);
    node = cria_math_parse ("\\begin{array}{cé} a \\end{array}", -1, &error);
    g_assert_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_SYNTAX);
    g_assert_true (g_utf8_validate (error->message, -1, NULL));
    g_assert_nonnull (strstr (error->message, "é"));
  }
  assert_error ("\\text{a \\foo b}", -1, CRIA_MATH_ERROR_UNKNOWN_COMMAND, "\\foo");
}

static void
test_syntax_errors (void)
{
  assert_error ("{x", -1, CRIA_MATH_ERROR_SYNTAX, "}");
  assert_error ("x}", -1, CRIA_MATH_ERROR_SYNTAX, "}");
  assert_error ("\\left( x", -1, CRIA_MATH_ERROR_SYNTAX, "\\right");
  assert_error ("x \\right)", -1, CRIA_MATH_ERROR_SYNTAX, "\\left");
  assert_error ("\\left( x \\middle| y", -1, CRIA_MATH_ERROR_SYNTAX, "\\right");
  assert_error ("\\frac{a}", -1, CRIA_MATH_ERROR_SYNTAX, "missing");
  assert_error ("\\sqrt", -1, CRIA_MATH_ERROR_SYNTAX, "missing");
  assert_error ("^^", -1, CRIA_MATH_ERROR_SYNTAX, "missing");
  assert_error ("x^^2", -1, CRIA_MATH_ERROR_SYNTAX, "missing");
  assert_error ("x_", -1, CRIA_MATH_ERROR_SYNTAX, "missing");
  assert_error ("x^2^3", -1, CRIA_MATH_ERROR_SYNTAX, "superscript");
  assert_error ("x^2'", -1, CRIA_MATH_ERROR_SYNTAX, "superscript");
  assert_error ("x_1_2", -1, CRIA_MATH_ERROR_SYNTAX, "subscript");
  assert_error ("\\begin{matrix} a & b", -1, CRIA_MATH_ERROR_SYNTAX, "\\end");
  assert_error ("\\begin{matrix} a \\end{pmatrix}", -1, CRIA_MATH_ERROR_SYNTAX, "pmatrix");
  assert_error ("a \\end{matrix}", -1, CRIA_MATH_ERROR_SYNTAX, "\\begin");
  assert_error ("{a & b}", -1, CRIA_MATH_ERROR_SYNTAX, "&");
  assert_error ("\\left< x \\right", -1, CRIA_MATH_ERROR_SYNTAX, "delimiter");
  assert_error ("\\left x \\right)", -1, CRIA_MATH_ERROR_SYNTAX, "delimiter");
  assert_error ("x \\", -1, CRIA_MATH_ERROR_SYNTAX, "backslash");
  assert_error ("a # b", -1, CRIA_MATH_ERROR_SYNTAX, "#");
  /* A \tag inside a \tag's text is a second one (the fuzzer found the
   * outer tag leaking the inner). */
  assert_error ("x \\tag{$\\tag{1}$}", -1, CRIA_MATH_ERROR_SYNTAX, "\\tag");
  assert_error ("x \\tag*{a $\\text{$\\tag{1}$}$}", -1, CRIA_MATH_ERROR_SYNTAX, "\\tag");
  assert_error ("\\hspace{lots}", -1, CRIA_MATH_ERROR_SYNTAX, "dimension");
  assert_error ("\\text{open", -1, CRIA_MATH_ERROR_SYNTAX, "}");
  assert_error ("\\sqrt[3{x}", -1, CRIA_MATH_ERROR_SYNTAX, NULL);
}

/* Empty formulas are errors, consistently: there is nothing to typeset. */
static void
test_empty (void)
{
  assert_error ("", -1, CRIA_MATH_ERROR_SYNTAX, "empty");
  assert_error ("  \n\t ", -1, CRIA_MATH_ERROR_SYNTAX, "empty");
  assert_error ("% only a comment", -1, CRIA_MATH_ERROR_SYNTAX, "empty");
  assert_error ("x", 0, CRIA_MATH_ERROR_SYNTAX, "empty");
}

static void
test_invalid_utf8 (void)
{
  assert_error ("x + \xff\xfe", -1, CRIA_MATH_ERROR_SYNTAX, "UTF-8");
  assert_error ("\\text{caf\xc3}", -1, CRIA_MATH_ERROR_SYNTAX, "UTF-8");
  /* An embedded NUL within the length is not text either. */
  assert_error ("a\0b", 3, CRIA_MATH_ERROR_SYNTAX, "UTF-8");
}

static void
test_too_long (void)
{
  g_autofree char *source = g_strnfill (CRIA_MATH_MAX_SOURCE + 1, 'x');
  g_autoptr(CriaMathNode) node = NULL;
  g_autoptr(GError) error = NULL;

  assert_error (source, -1, CRIA_MATH_ERROR_TOO_LONG, NULL);

  /* Exactly the limit is fine. */
  source[CRIA_MATH_MAX_SOURCE] = '\0';
  node = cria_math_parse (source, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

static char *
repeat (const char *prefix,
        guint       n,
        const char *middle,
        const char *suffix)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, prefix);
  g_string_append (s, middle);
  for (guint i = 0; suffix != NULL && i < n; i++)
    g_string_append (s, suffix);
  return g_string_free (s, FALSE);
}

/* Ten thousand levels of nesting stop with an error, never a deep
 * recursion (which would overflow the stack and crash the test): at
 * CRIA_MATH_MAX_DEPTH when they fit in CRIA_MATH_MAX_SOURCE bytes, and at
 * the length limit when they do not. */
static void
assert_too_deep (const char *prefix,
                 const char *middle,
                 const char *suffix)
{
  g_autofree char *whole = repeat (prefix, 10000, middle, suffix);
  gsize len = strlen (whole);
  /* The first 16 KiB (or all of it), which are nested as deep as they go,
   * cut on a character boundary. whole[len] is the NUL, so the loop never
   * reads past the string. */
  gsize fits = MIN (len, (gsize) CRIA_MATH_MAX_SOURCE);

  if (len > CRIA_MATH_MAX_SOURCE)
    assert_error (whole, -1, CRIA_MATH_ERROR_TOO_LONG, NULL);
  while (fits > 0 && (whole[fits] & 0xc0) == 0x80)
    fits--;
  assert_error (whole, fits, CRIA_MATH_ERROR_TOO_DEEP, NULL);
}

static void
test_too_deep (void)
{
  g_autofree char *fits = repeat ("{", CRIA_MATH_MAX_DEPTH, "x", "}");
  g_autofree char *powers = repeat ("x^{", CRIA_MATH_MAX_DEPTH - 1, "x", "}");
  g_autoptr(CriaMathNode) node = NULL;
  g_autoptr(GError) error = NULL;

  assert_too_deep ("{", "x", "}");
  assert_too_deep ("{", "x", NULL);
  assert_too_deep ("\\frac{", "1", "}{2}");
  assert_too_deep ("\\frac", "12", NULL);
  assert_too_deep ("x^{", "x", "}");
  assert_too_deep ("\\sqrt[", "2", "]{x}");
  assert_too_deep ("\\left(", "x", "\\right)");
  assert_too_deep ("\\begin{matrix}", "x", "\\end{matrix}");
  assert_too_deep ("\\not", "=", NULL);
  assert_too_deep ("\\text{$", "x", "$}");
  assert_too_deep ("\\mathbf", "x", NULL);

  /* As deep as allowed is fine. */
  node = cria_math_parse (fits, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_clear_pointer (&node, cria_math_node_free);
  node = cria_math_parse (powers, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
}

/* What models write around the maths itself degrades gracefully. */
static void
test_graceful (void)
{
  static const struct
  {
    const char *source;
    const char *words;
  } cases[] = {
    { "\\color{red}{x}", "x" },
    { "\\textcolor{red}{x}", "x" },
    { "{\\color{red} x}", "x" },
    { "\\label{eq:1} x", "x" },
    { "x \\nonumber", "x" },
    { "x \\notag", "x" },
    { "x \\tag{3}", "x open paren 3 close paren" },
    { "\\%\\$\\#\\&\\_", "percent $ # & _" },
    { "α ≤ β", "alpha is less than or equal to beta" },
    { "\\not=", "is not equal to" },
    { "a \\not\\in B", "a is not in B" },
    { "H_2O", "H sub two O" },
    { "{a \\over b}", "the fraction a over b" },
    { "{n \\choose k}", "n choose k" },
    { "x \\\\ y", "line 1: x; line 2: y" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaMathNode) node = cria_math_parse (cases[i].source, -1, &error);
      g_autofree char *words = NULL;

      if (error != NULL)
        g_error ("%s: %s", cases[i].source, error->message);
      words = cria_math_node_describe (node);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

static void
test_describe (void)
{
  static const struct
  {
    const char *source;
    const char *words;
  } cases[] = {
    { "\\frac{x^2+1}{2}", "x squared plus one, over two" },
    { "\\frac{a}{b}", "the fraction a over b" },
    { "\\sum_{i=1}^{n} i^2", "the sum from i equals one to n of i squared" },
    { "\\int_0^1 f(x)\\,dx", "the integral from zero to one of f open paren x close paren d x" },
    { "\\sqrt{x+1}", "the square root of x plus one" },
    { "\\sqrt[3]{8} = 2", "the cube root of eight, equals two" },
    { "\\lim_{x \\to 0} \\frac{\\sin x}{x}", "the limit as x to zero of sine x, over x" },
    { "\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}",
      "open paren the 2 by 2 matrix: row 1: a, b; row 2: c, d close paren" },
    { "\\left| x \\right|", "the absolute value of x" },
    { "A^{-1} A^T", "A inverse A transpose" },
    { "x_{n+1}", "x sub n plus one" },
    { "\\hat{\\theta}", "theta hat" },
    { "f''(x)", "f prime prime open paren x close paren" },
    { "\\log_2 n + \\sin^2 x", "the log base two of n plus sine squared x" },
    { "\\epsilon \\varphi \\nabla", "epsilon phi nabla" },
    { "\\boxed{42}", "boxed: 42" },
    { "\\frac{\\cancel{2} x}{\\cancel{2}}", "crossed out: two, x, over crossed out: two" },
    { "\\mathbb{R}^n", "R to the power n" },
    { "\\text{if } x > 0", "if x is greater than zero" },
    { "\\binom{n}{k}", "n choose k" },
    { "\\phantom{x}", "an empty formula" },
    { "\\operatorname{softmax}(z)", "softmax open paren z close paren" },
    { "\\operatorname*{arg\\,max}_\\theta L", "arg max over theta of L" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaMathNode) node = cria_math_parse (cases[i].source, -1, &error);
      g_autofree char *words = NULL;

      if (error != NULL)
        g_error ("%s: %s", cases[i].source, error->message);
      words = cria_math_node_describe (node);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
}

/* Every command in the tables parses on its own or with arguments. */
static void
test_structure (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathNode) node = NULL;
  CriaMathNode *s;

  /* f'^2: the prime follows f at full size, and the power follows it. */
  node = cria_math_parse ("f'^2", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (node->kind, ==, CRIA_MATH_NODE_LIST);
  g_assert_cmpuint (node->kids->len, ==, 2);
  s = g_ptr_array_index (node->kids, 1);
  g_assert_cmpint (s->kind, ==, CRIA_MATH_NODE_SCRIPTS);
  g_assert_cmpuint (s->a->cp, ==, 0x2032);
  g_assert_cmpuint (s->b->cp, ==, '2');
  g_clear_pointer (&node, cria_math_node_free);

  /* x_1': after a subscript, the prime is the superscript. */
  node = cria_math_parse ("x_1'", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (node->kids->len, ==, 1);
  s = g_ptr_array_index (node->kids, 0);
  g_assert_nonnull (s->b);
  g_assert_nonnull (s->c);
  g_clear_pointer (&node, cria_math_node_free);

  /* Letters are math italic, digits upright, h is Planck's ℎ. */
  node = cria_math_parse ("xh2", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (node->kids, 0))->cp, ==, 0x1D465);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (node->kids, 1))->cp, ==, 0x210E);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (node->kids, 2))->cp, ==, '2');
  g_clear_pointer (&node, cria_math_node_free);

  /* \mathbb, \mathcal and \mathbf reach their Unicode alphabets. */
  node = cria_math_parse ("\\mathbb{R}\\mathcal{L}\\mathbf{v}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (((CriaMathNode *) g_ptr_array_index (node->kids, 0))->kids, 0))->cp, ==, 0x211D);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (((CriaMathNode *) g_ptr_array_index (node->kids, 1))->kids, 0))->cp, ==, 0x2112);
  g_assert_cmpuint (((CriaMathNode *) g_ptr_array_index (((CriaMathNode *) g_ptr_array_index (node->kids, 2))->kids, 0))->cp, ==, 0x1D42F);
  g_clear_pointer (&node, cria_math_node_free);

  /* An aligned environment is a table of two columns and two rows; the
   * \\ at the end makes no third row. */
  node = cria_math_parse ("\\begin{aligned} a &= b \\\\ &= c \\\\ \\end{aligned}", -1, &error);
  g_assert_no_error (error);
  s = g_ptr_array_index (node->kids, 0);
  g_assert_cmpint (s->kind, ==, CRIA_MATH_NODE_ARRAY);
  g_assert_cmpuint (s->array->rows, ==, 2);
  g_assert_cmpuint (s->array->cols, ==, 2);
}

/* Unicode's superscript and subscript characters, which models write in
 * the middle of LaTeX, are the scripts they stand for: no font has them as
 * maths glyphs. */
static void
test_unicode_scripts (void)
{
  static const struct
  {
    const char *unicode;
    const char *latex;
  } cases[] = {
    { "x\xc2\xb2 + y\xc2\xb3", "x^2 + y^3" },
    { "x\xc2\xb9\xe2\x81\xb0", "x^{10}" },
    { "H\xe2\x82\x82O", "H_2O" },
    { "a\xe2\x82\x99\xe2\x82\x8a\xe2\x82\x81", "a_{n+1}" },
    { "10\xe2\x81\xbb\xc2\xb3", "10^{-3}" },
    { "e\xe2\x81\xb1\xe2\x81\xbd\xe2\x81\xbf\xe2\x81\xbe", "e^{i(n)}" },
    { "x\xe2\x82\x81\xc2\xb2", "x_1^2" },
    { "x^\xc2\xb2", "x^{2}" },
    { "\\frac{a\xc2\xb2}{b\xe2\x82\x96}", "\\frac{a^2}{b_k}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaMathNode) unicode = cria_math_parse (cases[i].unicode, -1, &error);
      g_autoptr(CriaMathNode) latex = NULL;
      g_autofree char *unicode_words = NULL;
      g_autofree char *latex_words = NULL;

      g_assert_no_error (error);
      latex = cria_math_parse (cases[i].latex, -1, &error);
      g_assert_no_error (error);
      unicode_words = cria_math_node_describe (unicode);
      latex_words = cria_math_node_describe (latex);
      g_assert_cmpstr (unicode_words, ==, latex_words);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CriaMathNode) node = cria_math_parse ("x^2\xc2\xb2", -1, &error);
    g_autofree char *words = NULL;

    /* Two superscripts, as x^2^2 is. */
    g_assert_null (node);
    g_assert_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_SYNTAX);
    g_clear_error (&error);
    node = cria_math_parse ("x\xc2\xb2", -1, &error);
    g_assert_no_error (error);
    words = cria_math_node_describe (node);
    g_assert_cmpstr (words, ==, "x squared");
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/math/parse/unicode-scripts", test_unicode_scripts);

  g_test_add_func ("/math/parse/unknown-command", test_unknown_command);
  g_test_add_func ("/math/parse/syntax-errors", test_syntax_errors);
  g_test_add_func ("/math/parse/empty", test_empty);
  g_test_add_func ("/math/parse/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/math/parse/too-long", test_too_long);
  g_test_add_func ("/math/parse/too-deep", test_too_deep);
  g_test_add_func ("/math/parse/graceful", test_graceful);
  g_test_add_func ("/math/parse/structure", test_structure);
  g_test_add_func ("/math/describe", test_describe);

  return g_test_run ();
}

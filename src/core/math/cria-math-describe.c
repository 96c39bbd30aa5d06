/* cria-math-describe.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A formula in English words for screen readers: "x squared plus one, over
 * two", "the sum from i equals one to n of …", never the LaTeX source.
 */

#include "config.h"

#include <string.h>

#include "cria-math-private.h"

static const char *const greek[] = {
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda",
  "mu", "nu", "xi", "omicron", "pi", "rho", "final sigma", "sigma", "tau", "upsilon", "phi", "chi",
  "psi", "omega",
};

static const char *const digits[] = {
  "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
};

static const struct
{
  gunichar    cp;
  const char *words;
} symbol_words[] = {
  { '+', "plus" }, { 0x2212, "minus" }, { '=', "equals" }, { '<', "is less than" },
  { '>', "is greater than" }, { 0x2264, "is less than or equal to" }, { 0x2A7D, "is less than or equal to" },
  { 0x2265, "is greater than or equal to" }, { 0x2A7E, "is greater than or equal to" },
  { 0x2260, "is not equal to" }, { 0x2248, "is approximately equal to" }, { 0x2261, "is equivalent to" },
  { 0x223C, "is similar to" }, { 0x2243, "is asymptotically equal to" }, { 0x2245, "is congruent to" },
  { 0xD7, "times" }, { 0x22C5, "times" }, { 0x2217, "times" }, { 0xF7, "divided by" }, { '/', "divided by" },
  { 0xB1, "plus or minus" }, { 0x2213, "minus or plus" }, { 0x221E, "infinity" }, { 0x2202, "partial" },
  { 0x2207, "nabla" }, { 0x2208, "is in" }, { 0x2209, "is not in" }, { 0x220B, "contains" },
  { 0x2282, "is a subset of" }, { 0x2286, "is a subset of or equal to" }, { 0x2283, "is a superset of" },
  { 0x2287, "is a superset of or equal to" }, { 0x222A, "union" }, { 0x2229, "intersection" },
  { 0x2216, "minus" }, { 0x2205, "the empty set" }, { 0x2200, "for all" }, { 0x2203, "there exists" },
  { 0x2204, "there does not exist" }, { 0xAC, "not" }, { 0x2227, "and" }, { 0x2228, "or" },
  { 0x2192, "to" }, { 0x2190, "gets" }, { 0x21D2, "implies" }, { 0x27F9, "implies" }, { 0x21D0, "is implied by" },
  { 0x27F8, "is implied by" }, { 0x21D4, "if and only if" }, { 0x27FA, "if and only if" },
  { 0x2194, "corresponds to" }, { 0x21A6, "maps to" }, { 0x27F6, "to" }, { 0x2211, "the sum" },
  { 0x220F, "the product" }, { 0x2210, "the coproduct" }, { 0x222B, "the integral" },
  { 0x222C, "the double integral" }, { 0x222D, "the triple integral" }, { 0x222E, "the contour integral" },
  { 0x22C3, "the union" }, { 0x22C2, "the intersection" }, { 0x2026, "dot dot dot" }, { 0x22EF, "dot dot dot" },
  { 0x22EE, "vertical dots" }, { 0x22F1, "diagonal dots" }, { 0x2032, "prime" }, { 0x2218, "composed with" },
  { 0x2297, "tensor" }, { 0x2295, "direct sum" }, { 0x2223, "divides" }, { 0x2224, "does not divide" },
  { 0x2225, "is parallel to" }, { 0x27C2, "is perpendicular to" }, { 0x221D, "is proportional to" },
  { '!', "factorial" }, { ',', "comma" }, { ';', "semicolon" }, { ':', "colon" }, { '.', "point" },
  { '(', "open paren" }, { ')', "close paren" }, { '[', "open bracket" }, { ']', "close bracket" },
  { '{', "open brace" }, { '}', "close brace" }, { '|', "vertical bar" }, { 0x2016, "double vertical bar" },
  { 0x27E8, "open angle" }, { 0x27E9, "close angle" }, { 0x230A, "open floor" }, { 0x230B, "close floor" },
  { 0x2308, "open ceiling" }, { 0x2309, "close ceiling" }, { 0x226A, "is much less than" },
  { 0x226B, "is much greater than" }, { 0x2234, "therefore" }, { 0x2235, "because" }, { 0x22A5, "bottom" },
  { 0x2220, "angle" }, { 0x25B3, "triangle" }, { 0xB2, "squared" }, { 0xB3, "cubed" }, { 0xB0, "degrees" }, { 0x210F, "h bar" }, { 0x2113, "ell" }, { '%', "percent" },
  { 0x2102, "C" }, { 0x210D, "H" }, { 0x2115, "N" }, { 0x2119, "P" }, { 0x211A, "Q" }, { 0x211D, "R" },
  { 0x226E, "is not less than" }, { 0x226F, "is not greater than" }, { 0x2270, "is not less than or equal to" },
  { 0x2271, "is not greater than or equal to" }, { 0x2262, "is not equivalent to" },
  { 0x2284, "is not a subset of" }, { 0x2288, "is not a subset of or equal to" }, { 0x2241, "is not similar to" },
  { 0x2249, "is not approximately equal to" }, { 0x2226, "is not parallel to" },
  { 0x2124, "Z" }, { 0x210E, "h" }, { 0x212C, "B" }, { 0x2130, "E" }, { 0x2131, "F" }, { 0x210B, "H" },
  { 0x2110, "I" }, { 0x2112, "L" }, { 0x2133, "M" }, { 0x211B, "R" }, { 0x212F, "e" }, { 0x210A, "g" },
  { 0x2134, "o" }, { 0x212D, "C" }, { 0x210C, "H" }, { 0x2111, "I" }, { 0x211C, "R" }, { 0x2128, "Z" },
};

/* Letters and digits of the Mathematical Alphanumeric block, and Greek,
 * back to what they are. */
static gunichar
plain_char (gunichar cp)
{
  if (cp >= 0x1D400 && cp < 0x1D6A4)
    {
      guint i = (cp - 0x1D400) % 52;

      return i < 26 ? 'A' + i : 'a' + (i - 26);
    }
  if (cp >= 0x1D6A8 && cp < 0x1D7CA)
    {
      guint i = (cp - 0x1D6A8) % 58;

      static const gunichar tail[] = { 0x2202, 0x3F5, 0x3D1, 0x3F0, 0x3D5, 0x3F1, 0x3D6 };

      if (i < 25)
        return 0x391 + i;
      if (i == 25)
        return 0x2207;
      if (i < 51)
        return 0x3B1 + (i - 26);
      return tail[i - 51];
    }
  if (cp >= 0x1D7CE && cp <= 0x1D7FF)
    return '0' + (cp - 0x1D7CE) % 10;
  return cp;
}

const char *
_cria_math_symbol_words (gunichar cp)
{
  for (gsize i = 0; i < G_N_ELEMENTS (symbol_words); i++)
    if (symbol_words[i].cp == cp)
      return symbol_words[i].words;
  return NULL;
}

static void
add (GString    *out,
     const char *words)
{
  if (words == NULL || *words == '\0')
    return;
  if (out->len > 0 && out->str[out->len - 1] != ' ' && words[0] != ',' && words[0] != ';' && words[0] != ':')
    g_string_append_c (out, ' ');
  g_string_append (out, words);
}

static void
add_char (GString *out,
          gunichar cp)
{
  const char *words;
  char buf[8];

  cp = plain_char (cp);
  switch (cp)
    {
    case 0x3F5: cp = 0x3B5; break;  /* the variants say the letter's name */
    case 0x3D1: cp = 0x3B8; break;
    case 0x3F0: cp = 0x3BA; break;
    case 0x3D5: cp = 0x3C6; break;
    case 0x3F1: cp = 0x3C1; break;
    case 0x3D6: cp = 0x3C0; break;
    default: break;
    }
  if (cp >= '0' && cp <= '9')
    {
      add (out, digits[cp - '0']);
      return;
    }
  if (cp >= 0x3B1 && cp <= 0x3C9)
    {
      add (out, greek[cp - 0x3B1]);
      return;
    }
  if (cp >= 0x391 && cp <= 0x3A9)
    {
      g_autofree char *name = g_strdup_printf ("capital %s", greek[cp - 0x391]);

      add (out, name);
      return;
    }
  words = _cria_math_symbol_words (cp);
  if (words == NULL && cp >= 0x80)
    words = _cria_math_command_name (cp);
  if (words != NULL)
    {
      add (out, words);
      return;
    }
  buf[g_unichar_to_utf8 (cp, buf)] = '\0';
  add (out, buf);
}

static void describe (GString *out, const CriaMathNode *node);

/* A digit alone is said as a word; longer numbers stay in digits, which
 * screen readers say well. */
static void
describe_list (GString   *out,
               GPtrArray *kids)
{
  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);
      gunichar cp = kid->kind == CRIA_MATH_NODE_CHAR ? plain_char (kid->cp) : 0;

      if (cp >= '0' && cp <= '9')
        {
          g_autoptr(GString) number = g_string_new (NULL);
          guint j = i;

          for (; j < kids->len; j++)
            {
              const CriaMathNode *k = g_ptr_array_index (kids, j);
              gunichar d = k->kind == CRIA_MATH_NODE_CHAR ? plain_char (k->cp) : 0;

              if (!((d >= '0' && d <= '9') || (d == '.' && j + 1 < kids->len)))
                break;
              g_string_append_c (number, (char) d);
            }
          add (out, number->len == 1 ? digits[cp - '0'] : number->str);
          i = j - 1;
          continue;
        }
      describe (out, kid);
    }
}

static gboolean
is_simple (const CriaMathNode *node)
{
  while (node->kind == CRIA_MATH_NODE_LIST && node->kids->len == 1)
    node = g_ptr_array_index (node->kids, 0);
  return node->kind == CRIA_MATH_NODE_CHAR || node->kind == CRIA_MATH_NODE_TEXT
         || node->kind == CRIA_MATH_NODE_OPNAME;
}

/* The one character a node is, or 0. */
static gunichar
single_char (const CriaMathNode *node)
{
  while (node != NULL && node->kind == CRIA_MATH_NODE_LIST && node->kids->len == 1)
    node = g_ptr_array_index (node->kids, 0);
  return node != NULL && node->kind == CRIA_MATH_NODE_CHAR ? plain_char (node->cp) : 0;
}

static void
describe_power (GString            *out,
                const CriaMathNode *sup)
{
  gunichar cp = single_char (sup);

  if (cp == '2')
    add (out, "squared");
  else if (cp == '3')
    add (out, "cubed");
  else if (cp == 'T')
    add (out, "transpose");
  else if (cp == 0x2032 || cp == 0x2217 || cp == 0x2020)
    add (out, cp == 0x2032 ? "prime" : cp == 0x2020 ? "dagger" : "star");
  else if (sup->kind == CRIA_MATH_NODE_LIST && sup->kids->len == 2 && single_char (g_ptr_array_index (sup->kids, 0)) == 0x2212
           && single_char (g_ptr_array_index (sup->kids, 1)) == '1')
    add (out, "inverse");
  else
    {
      add (out, "to the power");
      describe (out, sup);
      add (out, ",");
    }
}

static void
describe_scripts (GString            *out,
                  const CriaMathNode *node)
{
  const CriaMathNode *base = node->a;
  gboolean op = base != NULL && ((base->flags & CRIA_MATH_FLAG_BIG_OP) || base->kind == CRIA_MATH_NODE_OPNAME
                                 || (base->kind == CRIA_MATH_NODE_LIST && base->atom == CRIA_MATH_ATOM_OP));

  if (base != NULL && base->kind == CRIA_MATH_NODE_BRACE)
    {
      describe (out, base);
      add (out, ", labelled");
      if (node->b != NULL)
        describe (out, node->b);
      if (node->c != NULL)
        describe (out, node->c);
      add (out, ",");
      return;
    }
  if (op && base->kind == CRIA_MATH_NODE_OPNAME && !(base->flags & CRIA_MATH_FLAG_DISPLAY_LIM))
    {
      /* \log_2 n, \sin^2 x: a function with a base or a power. */
      if (strcmp (base->text, "log") == 0 && node->c != NULL)
        {
          add (out, "the log base");
          describe (out, node->c);
          if (node->b != NULL)
            describe_power (out, node->b);
          add (out, "of");
          return;
        }
      describe (out, base);
      if (node->c != NULL)
        {
          add (out, "sub");
          describe (out, node->c);
        }
      if (node->b != NULL)
        describe_power (out, node->b);
      return;
    }
  if (op && base->kind == CRIA_MATH_NODE_OPNAME && g_str_has_prefix (base->text, "lim"))
    {
      describe (out, base);
      if (node->c != NULL)
        {
          add (out, "as");
          describe (out, node->c);
        }
      add (out, "of");
      return;
    }
  if (op)
    {
      describe (out, base);
      if (node->c != NULL)
        {
          add (out, node->b != NULL ? "from" : "over");
          describe (out, node->c);
        }
      if (node->b != NULL)
        {
          add (out, "to");
          describe (out, node->b);
        }
      add (out, "of");
      return;
    }

  if (base != NULL)
    describe (out, base);
  if (node->c != NULL)
    {
      add (out, "sub");
      describe (out, node->c);
      if (!is_simple (node->c))
        add (out, ",");
    }
  if (node->b != NULL)
    describe_power (out, node->b);
}

static const char *
opname_words (const char *name)
{
  static const char *const names[][2] = {
    { "sin", "sine" }, { "cos", "cosine" }, { "tan", "tangent" }, { "cot", "cotangent" },
    { "sec", "secant" }, { "csc", "cosecant" }, { "ln", "the natural log of" }, { "log", "the log of" },
    { "lim", "the limit" }, { "limsup", "the limit superior" }, { "liminf", "the limit inferior" },
    { "max", "the maximum" }, { "min", "the minimum" }, { "sup", "the supremum" }, { "inf", "the infimum" },
    { "det", "the determinant of" }, { "gcd", "the greatest common divisor of" }, { "exp", "the exponential of" },
    { "Pr", "the probability of" }, { "mod", "modulo" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (names[i][0], name) == 0)
      return names[i][1];
  return name;
}

/* \operatorname{softmax}: the letters are one word. FALSE when the name
 * holds more than letters and spaces. */
static gboolean
describe_name (GString   *out,
               GPtrArray *kids)
{
  g_autoptr(GString) name = g_string_new (NULL);

  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);

      if (kid->kind == CRIA_MATH_NODE_SPACE)
        g_string_append_c (name, ' ');
      else if (kid->kind == CRIA_MATH_NODE_CHAR && g_unichar_isalpha (plain_char (kid->cp)))
        g_string_append_unichar (name, plain_char (kid->cp));
      else
        return FALSE;
    }
  add (out, opname_words (g_strstrip (name->str)));
  return TRUE;
}

static void
describe_array (GString             *out,
                const CriaMathArray *array)
{
  g_autofree char *head = NULL;

  switch (array->env)
    {
    case CRIA_MATH_ENV_MATRIX:
    case CRIA_MATH_ENV_SMALLMATRIX:
      head = g_strdup_printf ("the %u by %u matrix:", array->rows, array->cols);
      add (out, head);
      break;
    case CRIA_MATH_ENV_CASES:
      add (out, "cases:");
      break;
    default:
      break;
    }

  for (guint r = 0; r < array->rows; r++)
    {
      if (array->env == CRIA_MATH_ENV_MATRIX || array->env == CRIA_MATH_ENV_SMALLMATRIX
          || (array->rows > 1 && array->env != CRIA_MATH_ENV_CASES && array->env != CRIA_MATH_ENV_SUBSTACK))
        {
          g_autofree char *row = g_strdup_printf ("%s %u:", array->env == CRIA_MATH_ENV_MATRIX
                                                  || array->env == CRIA_MATH_ENV_SMALLMATRIX ? "row" : "line", r + 1);

          add (out, row);
        }
      for (guint c = 0; c < array->cols; c++)
        {
          const CriaMathNode *cell = array->cells[r * array->cols + c];

          if (cell == NULL)
            continue;
          if (c > 0 && (array->env == CRIA_MATH_ENV_MATRIX || array->env == CRIA_MATH_ENV_SMALLMATRIX
                        || array->env == CRIA_MATH_ENV_CASES || array->env == CRIA_MATH_ENV_ARRAY))
            add (out, ",");
          describe (out, cell);
        }
      if (r + 1 < array->rows)
        add (out, ";");
    }
}

static void
describe (GString            *out,
          const CriaMathNode *node)
{
  switch (node->kind)
    {
    case CRIA_MATH_NODE_LIST:
      if (node->atom == CRIA_MATH_ATOM_OP && describe_name (out, node->kids))
        break;
      describe_list (out, node->kids);
      break;
    case CRIA_MATH_NODE_CHAR:
    case CRIA_MATH_NODE_DELIM:
      add_char (out, node->cp);
      break;
    case CRIA_MATH_NODE_TEXT:
      {
        g_autoptr(GString) text = g_string_new (NULL);

        for (const char *p = node->text; *p != '\0'; p = g_utf8_next_char (p))
          g_string_append_unichar (text, plain_char (g_utf8_get_char (p)));
        g_strstrip (text->str);
        add (out, text->str);
      }
      break;
    case CRIA_MATH_NODE_OPNAME:
      add (out, opname_words (node->text));
      break;
    case CRIA_MATH_NODE_SCRIPTS:
      describe_scripts (out, node);
      break;
    case CRIA_MATH_NODE_FRAC:
      if (node->flags & CRIA_MATH_FLAG_NO_RULE)
        {
          describe (out, node->a);
          add (out, "choose");
          describe (out, node->b);
          add (out, ",");
        }
      else if (is_simple (node->a) && is_simple (node->b))
        {
          add (out, "the fraction");
          describe (out, node->a);
          add (out, "over");
          describe (out, node->b);
          add (out, ",");
        }
      else
        {
          describe (out, node->a);
          add (out, ", over");
          describe (out, node->b);
          add (out, ",");
        }
      break;
    case CRIA_MATH_NODE_SQRT:
      {
        gunichar index = node->b != NULL ? single_char (node->b) : 0;

        if (node->b == NULL)
          add (out, "the square root of");
        else if (index == '3')
          add (out, "the cube root of");
        else
          {
            add (out, "the root of index");
            describe (out, node->b);
            add (out, "of");
          }
        describe (out, node->a);
        add (out, ",");
      }
      break;
    case CRIA_MATH_NODE_LEFT_RIGHT:
      if (node->cp == '|' && node->cp2 == '|')
        {
          add (out, "the absolute value of");
          describe (out, node->a);
          add (out, ",");
          break;
        }
      if (node->cp != 0)
        add_char (out, node->cp);
      describe (out, node->a);
      if (node->cp2 != 0)
        add_char (out, node->cp2);
      break;
    case CRIA_MATH_NODE_ACCENT:
      if (node->cp == 0x20D7 || node->cp == 0x2192)
        add (out, "vector");
      describe (out, node->a);
      switch (node->cp)
        {
        case 0x302: add (out, "hat"); break;
        case 0x304: add (out, "bar"); break;
        case 0x303: add (out, "tilde"); break;
        case 0x307: add (out, "dot"); break;
        case 0x308: add (out, "double dot"); break;
        case 0x20DB: add (out, "triple dot"); break;
        case 0x30C: add (out, "check"); break;
        case 0x306: add (out, "breve"); break;
        default: break;
        }
      break;
    case CRIA_MATH_NODE_OVERLINE:
      describe (out, node->a);
      add (out, "bar");
      break;
    case CRIA_MATH_NODE_UNDERLINE:
      add (out, "underlined");
      describe (out, node->a);
      break;
    case CRIA_MATH_NODE_BRACE:
      describe (out, node->a);
      break;
    case CRIA_MATH_NODE_STACK:
      describe (out, node->a);
      if (node->b != NULL)
        {
          add (out, "with");
          describe (out, node->b);
          add (out, "above");
        }
      if (node->c != NULL)
        {
          add (out, "with");
          describe (out, node->c);
          add (out, "below");
        }
      add (out, ",");
      break;
    case CRIA_MATH_NODE_BOXED:
      add (out, node->cp != 0 ? "crossed out:" : "boxed:");
      describe (out, node->a);
      if (node->cp != 0)
        add (out, ",");
      break;
    case CRIA_MATH_NODE_ARRAY:
      describe_array (out, node->array);
      break;
    case CRIA_MATH_NODE_NOT:
      add (out, "not");
      describe (out, node->a);
      break;
    case CRIA_MATH_NODE_SPACE:
    case CRIA_MATH_NODE_PHANTOM:
    case CRIA_MATH_NODE_STYLE:
    default:
      break;
    }
}

char *
cria_math_node_describe (const CriaMathNode *node)
{
  GString *out;
  gsize j = 0;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_new (NULL);
  describe (out, node);
  /* Tidy the joins in one pass: no comma doubled or after a colon or a
   * semicolon, none at the end. */
  for (gsize i = 0; i < out->len; i++)
    {
      char c = out->str[i];

      if (c == ',' && j > 0 && (out->str[j - 1] == ',' || out->str[j - 1] == ':' || out->str[j - 1] == ';'))
        continue;
      out->str[j++] = c;
    }
  g_string_truncate (out, j);
  while (out->len > 0 && (out->str[out->len - 1] == ',' || out->str[out->len - 1] == ' '))
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "an empty formula");
  return g_string_free (out, FALSE);
}

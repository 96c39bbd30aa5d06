/* test-math-layout.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The maths layout with the font Cria ships: every formula of the corpus
 * lays out with sane metrics, and the things a typesetter would notice are
 * where TeX puts them.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <hb-ot.h>

#include "cria-math.h"
#include "cria-test-math.h"

static CriaMathFont *font;

/* Ink of one glyph item in layout coordinates. */
typedef struct
{
  double left, right, top, bottom;
} Ink;

static Ink
item_ink (const CriaMathItem *item)
{
  Ink ink;

  if (item->kind == CRIA_MATH_ITEM_RULE)
    {
      ink.left = item->x;
      ink.right = item->x + item->width;
      ink.top = item->y;
      ink.bottom = item->y + item->height;
    }
  else if (item->kind == CRIA_MATH_ITEM_LINE)
    {
      ink.left = MIN (item->x, item->x + item->width);
      ink.right = MAX (item->x, item->x + item->width);
      ink.top = MIN (item->y, item->y + item->height);
      ink.bottom = MAX (item->y, item->y + item->height);
    }
  else
    {
      hb_font_t *hb = cria_math_font_get_hb_font (font);
      hb_glyph_extents_t ext = { 0, };
      int x_scale, y_scale;
      double k;

      hb_font_get_scale (hb, &x_scale, &y_scale);
      hb_font_get_glyph_extents (hb, item->glyph, &ext);
      k = item->size / y_scale;
      ink.left = item->x + ext.x_bearing * k;
      ink.right = item->x + (ext.x_bearing + ext.width) * k;
      ink.top = item->y - ext.y_bearing * k;
      ink.bottom = item->y - (ext.y_bearing + ext.height) * k;
    }
  return ink;
}

static double
constant (hb_ot_math_constant_t id,
          double                size)
{
  hb_font_t *hb = cria_math_font_get_hb_font (font);
  int x_scale, y_scale;

  hb_font_get_scale (hb, &x_scale, &y_scale);
  return hb_ot_math_get_constant (hb, id) * size / y_scale;
}

static CriaMathLayout *
lay_out (const char *source,
         gboolean    display,
         double      size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathNode) node = cria_math_parse (source, -1, &error);

  if (error != NULL)
    g_error ("%s: %s", source, error->message);
  return cria_math_layout_new (font, node, display, size);
}

static const CriaMathItem *
item (CriaMathLayout *layout,
      guint           i)
{
  g_assert_cmpuint (i, <, layout->items->len);
  return &g_array_index (layout->items, CriaMathItem, i);
}

static hb_codepoint_t
glyph_of (gunichar cp)
{
  hb_codepoint_t glyph = 0;

  g_assert_true (hb_font_get_nominal_glyph (cria_math_font_get_hb_font (font), cp, &glyph));
  return glyph;
}

/* The first glyph item showing @cp, or NULL. */
static const CriaMathItem *
find_glyph (CriaMathLayout *layout,
            gunichar        cp)
{
  hb_codepoint_t glyph = glyph_of (cp);

  for (guint i = 0; i < layout->items->len; i++)
    if (item (layout, i)->kind == CRIA_MATH_ITEM_GLYPH && item (layout, i)->glyph == glyph)
      return item (layout, i);
  return NULL;
}

static const CriaMathItem *
find_rule (CriaMathLayout *layout)
{
  for (guint i = 0; i < layout->items->len; i++)
    if (item (layout, i)->kind == CRIA_MATH_ITEM_RULE)
      return item (layout, i);
  return NULL;
}

/* The corpus file: one formula per line, or lines between two --- lines. */
static GPtrArray *
read_corpus (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "math", "corpus.txt", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *formulas = g_ptr_array_new_with_free_func (g_free);
  GString *multi = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (strcmp (line, "---") == 0)
        {
          if (multi == NULL)
            multi = g_string_new (NULL);
          else
            g_ptr_array_add (formulas, g_string_free (g_steal_pointer (&multi), FALSE));
          continue;
        }
      if (multi != NULL)
        {
          if (multi->len > 0)
            g_string_append_c (multi, '\n');
          g_string_append (multi, line);
          continue;
        }
      if (line[0] == '#' || line[strspn (line, " \t")] == '\0')
        continue;
      g_ptr_array_add (formulas, g_strdup (line));
    }
  g_assert_null (multi);
  return formulas;
}

static void
check_layout (const char     *source,
              CriaMathLayout *layout,
              double          size)
{
  /* Glyphs may overhang their box a little (italic letters, the slant of
   * an integral): a fifth of the size. */
  double tolerance = 0.2 * size;

  if (!(layout->width > 0 && isfinite (layout->width)))
    g_error ("%s: width %g", source, layout->width);
  if (!(layout->ascent >= 0 && isfinite (layout->ascent) && layout->descent >= 0 && isfinite (layout->descent)))
    g_error ("%s: ascent %g descent %g", source, layout->ascent, layout->descent);
  if (layout->ascent + layout->descent <= 0 || layout->items->len == 0)
    g_error ("%s: nothing to draw", source);
  for (guint i = 0; i < layout->items->len; i++)
    {
      const CriaMathItem *it = item (layout, i);
      Ink ink = item_ink (it);

      if (!isfinite (it->x) || !isfinite (it->y) || (it->kind == CRIA_MATH_ITEM_GLYPH && !(it->size > 0)))
        g_error ("%s: item %u is not finite", source, i);
      if (ink.left < -tolerance || ink.right > layout->width + tolerance
          || ink.top < -layout->ascent - tolerance || ink.bottom > layout->descent + tolerance)
        g_error ("%s (%g px): item %u (ink %g…%g × %g…%g) is outside the box %g × -%g…%g", source, size, i,
                 ink.left, ink.right, ink.top, ink.bottom, layout->width, layout->ascent, layout->descent);
    }
}

static void
test_corpus (void)
{
  g_autoptr(GPtrArray) formulas = read_corpus ();

  g_assert_cmpuint (formulas->len, >=, 300);
  for (guint i = 0; i < formulas->len; i++)
    {
      const char *source = g_ptr_array_index (formulas, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaMathNode) node = cria_math_parse (source, -1, &error);
      g_autofree char *words = NULL;

      if (error != NULL)
        g_error ("corpus formula %u, %s: %s", i + 1, source, error->message);
      words = cria_math_node_describe (node);
      if (words[0] == '\0' || !g_utf8_validate (words, -1, NULL) || strchr (words, '\\') != NULL)
        g_error ("%s: described as \"%s\"", source, words);
      for (int display = 0; display <= 1; display++)
        {
          g_autoptr(CriaMathLayout) layout = cria_math_layout_new (font, node, display, 16);

          check_layout (source, layout, 16);
        }
    }
}

/* x^2: the 2 is smaller and raised; x_2: lowered. */
static void
test_scripts (void)
{
  g_autoptr(CriaMathLayout) sup = lay_out ("x^2", FALSE, 20);
  g_autoptr(CriaMathLayout) sub = lay_out ("x_2", FALSE, 20);
  g_autoptr(CriaMathLayout) both = lay_out ("x_2^2", FALSE, 20);
  const CriaMathItem *two;

  two = find_glyph (sup, '2');
  g_assert_nonnull (two);
  g_assert_cmpfloat (two->size, <, 20);
  g_assert_cmpfloat (two->y, <, -5);
  g_assert_cmpfloat (two->x, >, 0);
  g_assert_cmpfloat (item (sup, 0)->size, ==, 20);

  two = find_glyph (sub, '2');
  g_assert_cmpfloat (two->size, <, 20);
  g_assert_cmpfloat (two->y, >, 2);

  /* Both: one above the other, the superscript shifted right by the
   * italic correction of x, and apart by at least the font's gap. */
  g_assert_cmpuint (both->items->len, ==, 3);
  g_assert_cmpfloat (item (both, 1)->y, <, 0);
  g_assert_cmpfloat (item (both, 2)->y, >, 0);
  g_assert_cmpfloat (item (both, 1)->x, >=, item (both, 2)->x);
  g_assert_cmpfloat (item_ink (item (both, 2)).top - item_ink (item (both, 1)).bottom, >=,
                     constant (HB_OT_MATH_CONSTANT_SUB_SUPERSCRIPT_GAP_MIN, 20) - 0.01);
}

/* \frac{a}{bcdef}: the rule on the axis, a above it and the rest below,
 * a centred over the wider denominator. */
static void
test_fraction (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\frac{a}{bcdef}", FALSE, 20);
  const CriaMathItem *rule = find_rule (layout);
  Ink a = item_ink (find_glyph (layout, 0x1D44E));
  Ink b = item_ink (find_glyph (layout, 0x1D44F));
  Ink f = item_ink (find_glyph (layout, 0x1D453));
  double axis = constant (HB_OT_MATH_CONSTANT_AXIS_HEIGHT, 20);
  double centre;

  g_assert_nonnull (rule);
  g_assert_cmpfloat_with_epsilon (rule->y + rule->height / 2, -axis, 0.01);
  g_assert_cmpfloat_with_epsilon (rule->height, constant (HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS, 20), 0.01);
  g_assert_cmpfloat (a.bottom, <, rule->y);
  g_assert_cmpfloat (b.top, >, rule->y + rule->height);
  /* The rule spans the denominator; a's ink is in the middle of it. */
  g_assert_cmpfloat (rule->x, <=, b.left + 0.5);
  g_assert_cmpfloat (rule->x + rule->width, >=, f.right - 0.5);
  centre = rule->x + rule->width / 2;
  g_assert_cmpfloat_with_epsilon ((a.left + a.right) / 2, centre, 1.5);
}

/* A display \sum is bigger than a text one, with its limits above and
 * below; in text style they go at its side. */
static void
test_big_operator (void)
{
  g_autoptr(CriaMathLayout) display = lay_out ("\\sum_{i=1}^{n} i", TRUE, 20);
  g_autoptr(CriaMathLayout) text = lay_out ("\\sum_{i=1}^{n} i", FALSE, 20);
  const CriaMathItem *d_sum = item (display, 0);
  const CriaMathItem *t_sum = item (text, 0);
  Ink d_ink = item_ink (d_sum);
  Ink t_ink = item_ink (t_sum);
  Ink d_n = item_ink (find_glyph (display, 0x1D45B));
  Ink t_n = item_ink (find_glyph (text, 0x1D45B));

  g_assert_cmpuint (d_sum->glyph, !=, t_sum->glyph);
  g_assert_cmpfloat (d_ink.bottom - d_ink.top, >, 1.3 * (t_ink.bottom - t_ink.top));
  g_assert_cmpfloat (d_ink.bottom - d_ink.top, >=, constant (HB_OT_MATH_CONSTANT_DISPLAY_OPERATOR_MIN_HEIGHT, 20) - 0.01);

  /* Display: n above the sum, within its width. */
  g_assert_cmpfloat (d_n.bottom, <, d_ink.top);
  g_assert_cmpfloat (d_n.left, >, d_ink.left);
  g_assert_cmpfloat (d_n.right, <, d_ink.right);
  /* Text: n at the right of the sum, overlapping it vertically. */
  g_assert_cmpfloat (t_n.left, >=, t_ink.right - 0.5);
  g_assert_cmpfloat (t_n.bottom, >, t_ink.top);

  /* \lim's limit goes under it in display, at its side in text. */
  {
    g_autoptr(CriaMathLayout) lim_d = lay_out ("\\lim_{x}", TRUE, 20);
    g_autoptr(CriaMathLayout) lim_t = lay_out ("\\lim_{x}", FALSE, 20);
    Ink m = item_ink (find_glyph (lim_d, 'm'));
    Ink x_d = item_ink (find_glyph (lim_d, 0x1D465));
    Ink x_t = item_ink (find_glyph (lim_t, 0x1D465));

    g_assert_cmpfloat (x_d.top, >, m.bottom);
    g_assert_cmpfloat (x_d.right, <, m.right + 1);
    g_assert_cmpfloat (x_t.left, >, item_ink (find_glyph (lim_t, 'm')).right);
  }

  /* So do \operatorname* and \mathop in display; \operatorname does not. */
  {
    static const char *const below[] = { "\\operatorname*{argmax}_{x}", "\\mathop{\\mathrm{max}}_{x}" };
    g_autoptr(CriaMathLayout) side = lay_out ("\\operatorname{argmax}_{x}", TRUE, 20);

    for (gsize i = 0; i < G_N_ELEMENTS (below); i++)
      {
        g_autoptr(CriaMathLayout) layout = lay_out (below[i], TRUE, 20);

        g_assert_cmpfloat (item_ink (find_glyph (layout, 0x1D465)).top, >, item_ink (find_glyph (layout, 'a')).bottom);
      }
    g_assert_cmpfloat (item_ink (find_glyph (side, 0x1D465)).left, >, item_ink (find_glyph (side, 'x')).right);
  }
}

static double
glyphs_height (CriaMathLayout *layout,
               double          max_x)
{
  double top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;

  for (guint i = 0; i < layout->items->len; i++)
    if (item (layout, i)->kind == CRIA_MATH_ITEM_GLYPH && item (layout, i)->x < max_x)
      {
        Ink ink = item_ink (item (layout, i));

        top = MIN (top, ink.top);
        bottom = MAX (bottom, ink.bottom);
      }
  return bottom - top;
}

/* \left( \frac{a}{b} \right) has a taller parenthesis than (x). */
static void
test_stretchy_delimiters (void)
{
  g_autoptr(CriaMathLayout) plain = lay_out ("(x)", FALSE, 20);
  g_autoptr(CriaMathLayout) big = lay_out ("\\left( \\frac{a}{b} \\right)", FALSE, 20);
  g_autoptr(CriaMathLayout) bigger = lay_out ("\\left( \\frac{\\frac{a}{b}}{\\frac{c}{d}} \\right)", TRUE, 20);
  double plain_h = glyphs_height (plain, 1);
  double big_h = glyphs_height (big, 1);
  double bigger_h = glyphs_height (bigger, 1);

  g_assert_cmpuint (item (plain, 0)->glyph, ==, glyph_of ('('));
  g_assert_cmpfloat (big_h, >, plain_h * 1.2);
  g_assert_cmpfloat (bigger_h, >, big_h * 1.2);
  /* It covers what it encloses, and sits on the axis. */
  g_assert_cmpfloat (big_h, >=, 0.9 * (big->ascent + big->descent));
}

/* A matrix taller than the biggest bracket variant gets an assembly: more
 * than one glyph at its left edge, reaching over all the rows. */
static void
test_assembly (void)
{
  GString *source = g_string_new ("\\begin{bmatrix}");
  g_autoptr(CriaMathLayout) layout = NULL;
  hb_ot_math_glyph_variant_t variants[32];
  unsigned int n = G_N_ELEMENTS (variants);
  hb_font_t *hb = cria_math_font_get_hb_font (font);
  hb_glyph_extents_t ext;
  int scale;
  double largest;
  guint left_glyphs = 0;

  for (int i = 0; i < 12; i++)
    g_string_append_printf (source, "%d \\\\ ", i);
  g_string_append (source, "\\end{bmatrix}");
  layout = lay_out (source->str, TRUE, 20);
  g_string_free (source, TRUE);

  hb_ot_math_get_glyph_variants (hb, glyph_of ('['), HB_DIRECTION_BTT, 0, &n, variants);
  g_assert_cmpuint (n, >, 0);
  hb_font_get_glyph_extents (hb, variants[n - 1].glyph, &ext);
  hb_font_get_scale (hb, &scale, NULL);
  largest = -ext.height * 20.0 / scale;
  g_assert_cmpfloat (layout->ascent + layout->descent, >, largest);

  for (guint i = 0; i < layout->items->len; i++)
    if (item (layout, i)->kind == CRIA_MATH_ITEM_GLYPH && item (layout, i)->x < 1)
      left_glyphs++;
  g_assert_cmpuint (left_glyphs, >=, 3);
  g_assert_cmpfloat (glyphs_height (layout, 1), >, largest);
  g_assert_cmpfloat (glyphs_height (layout, 1), >=, 0.95 * (layout->ascent + layout->descent));
}

/* \sqrt{x}: the rule runs over the radicand, above it. */
static void
test_sqrt (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\sqrt{x}", FALSE, 20);
  const CriaMathItem *rule = find_rule (layout);
  Ink x = item_ink (find_glyph (layout, 0x1D465));
  Ink radical = item_ink (find_glyph (layout, 0x221A) != NULL ? find_glyph (layout, 0x221A) : item (layout, 1));

  g_assert_nonnull (rule);
  g_assert_cmpfloat (rule->y + rule->height, <, x.top);
  g_assert_cmpfloat (rule->x, <=, x.left);
  g_assert_cmpfloat (rule->x + rule->width, >=, x.right - 0.5);
  /* The radical sign is on the left and reaches the rule. */
  g_assert_cmpfloat (radical.right, <=, rule->x + 1);
  g_assert_cmpfloat_with_epsilon (radical.top, rule->y, 1.0);
}

/* \overbrace is as wide as what it is over. */
static void
test_overbrace (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\overbrace{a+b+c+d+e+f}", FALSE, 20);
  double left = G_MAXDOUBLE, right = -G_MAXDOUBLE, content_left = G_MAXDOUBLE, content_right = -G_MAXDOUBLE;
  Ink a = item_ink (find_glyph (layout, 0x1D44E));

  for (guint i = 0; i < layout->items->len; i++)
    {
      Ink ink = item_ink (item (layout, i));

      if (ink.bottom < a.top)
        {
          left = MIN (left, ink.left);
          right = MAX (right, ink.right);
        }
      else
        {
          content_left = MIN (content_left, ink.left);
          content_right = MAX (content_right, ink.right);
        }
    }
  g_assert_cmpfloat (right - left, >=, 0.9 * (content_right - content_left));
  g_assert_cmpfloat (right - left, <=, 1.2 * (content_right - content_left));
}

/* a+b has a medium space each side of +; -a has none. */
static void
test_binary_spacing (void)
{
  double mu = 20.0 / 18;
  g_autoptr(CriaMathLayout) bin = lay_out ("a+b", FALSE, 20);
  g_autoptr(CriaMathLayout) ord = lay_out ("a{+}b", FALSE, 20);
  g_autoptr(CriaMathLayout) unary = lay_out ("-a", FALSE, 20);
  g_autoptr(CriaMathLayout) unary_ord = lay_out ("{-}a", FALSE, 20);
  g_autoptr(CriaMathLayout) rel = lay_out ("a=b", FALSE, 20);
  g_autoptr(CriaMathLayout) rel_ord = lay_out ("a{=}b", FALSE, 20);
  g_autoptr(CriaMathLayout) script = lay_out ("x^{a+b}", FALSE, 20);
  g_autoptr(CriaMathLayout) script_ord = lay_out ("x^{a{+}b}", FALSE, 20);

  g_assert_cmpfloat_with_epsilon (bin->width - ord->width, 2 * 4 * mu, 0.001);
  g_assert_cmpfloat_with_epsilon (unary->width, unary_ord->width, 0.001);
  g_assert_cmpfloat_with_epsilon (rel->width - rel_ord->width, 2 * 5 * mu, 0.001);
  /* \overset{def}{=} is still a relation. */
  {
    g_autoptr(CriaMathLayout) over = lay_out ("a\\overset{!}{=}b", FALSE, 20);
    g_autoptr(CriaMathLayout) over_ord = lay_out ("a{\\overset{!}{=}}b", FALSE, 20);

    g_assert_cmpfloat_with_epsilon (over->width - over_ord->width, 2 * 5 * mu, 0.001);
  }
  /* No medium space in script style. */
  g_assert_cmpfloat_with_epsilon (script->width, script_ord->width, 0.001);
}

/* The = of each line of an aligned derivation is at the same x. */
static void
test_aligned (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\begin{aligned} x &= 1 \\\\ y + 2z &= 3 \\\\ &= 4 \\end{aligned}",
                                              TRUE, 20);
  hb_codepoint_t eq = glyph_of ('=');
  double x = -1;
  guint count = 0;
  double last_y = -G_MAXDOUBLE;

  for (guint i = 0; i < layout->items->len; i++)
    if (item (layout, i)->glyph == eq && item (layout, i)->kind == CRIA_MATH_ITEM_GLYPH)
      {
        if (x < 0)
          x = item (layout, i)->x;
        g_assert_cmpfloat_with_epsilon (item (layout, i)->x, x, 0.001);
        g_assert_cmpfloat (item (layout, i)->y, >, last_y);
        last_y = item (layout, i)->y;
        count++;
      }
  g_assert_cmpuint (count, ==, 3);
  /* The right sides start after a relation's space: "x =" is not "x=". */
  g_assert_cmpfloat (item_ink (find_glyph (layout, '1')).left - (x + 5), >, 0);
}

/* Twice the size is twice every coordinate. */
static void
test_scaling (void)
{
  const char *source = "\\left( \\sum_{k=1}^{n} \\frac{\\sqrt{k}}{k^2} \\right) + \\begin{pmatrix} a \\\\ b \\end{pmatrix}";
  g_autoptr(CriaMathLayout) small = lay_out (source, TRUE, 13);
  g_autoptr(CriaMathLayout) large = lay_out (source, TRUE, 26);

  g_assert_cmpfloat_with_epsilon (large->width, 2 * small->width, 1e-6);
  g_assert_cmpfloat_with_epsilon (large->ascent, 2 * small->ascent, 1e-6);
  g_assert_cmpfloat_with_epsilon (large->descent, 2 * small->descent, 1e-6);
  g_assert_cmpuint (large->items->len, ==, small->items->len);
  for (guint i = 0; i < small->items->len; i++)
    {
      const CriaMathItem *s = item (small, i);
      const CriaMathItem *l = item (large, i);

      g_assert_cmpint (s->kind, ==, l->kind);
      g_assert_cmpuint (s->glyph, ==, l->glyph);
      g_assert_cmpfloat_with_epsilon (l->x, 2 * s->x, 1e-6);
      g_assert_cmpfloat_with_epsilon (l->y, 2 * s->y, 1e-6);
      g_assert_cmpfloat_with_epsilon (l->size, 2 * s->size, 1e-6);
      g_assert_cmpfloat_with_epsilon (l->width, 2 * s->width, 1e-6);
      g_assert_cmpfloat_with_epsilon (l->height, 2 * s->height, 1e-6);
    }
}

/* \big ( … \Bigg ( grow in four steps, all bigger than a plain (. */
static void
test_big_delimiters (void)
{
  static const char *const sources[] = { "(", "\\big(", "\\Big(", "\\bigg(", "\\Bigg(" };
  double last = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr(CriaMathLayout) layout = lay_out (sources[i], FALSE, 20);
      double h = glyphs_height (layout, G_MAXDOUBLE);

      g_assert_cmpfloat (h, >, last + 2);
      last = h;
    }
}

/* \hat sits over its letter; \boxed's four rules enclose everything. */
static void
test_accent_and_box (void)
{
  g_autoptr(CriaMathLayout) hat = lay_out ("\\hat{x}", FALSE, 20);
  g_autoptr(CriaMathLayout) boxed = lay_out ("\\boxed{\\frac{a}{b} + c}", FALSE, 20);
  Ink x = item_ink (item (hat, 0));
  Ink accent = item_ink (item (hat, 1));
  double left = G_MAXDOUBLE, right = -G_MAXDOUBLE, top = G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
  guint rules = 0;

  g_assert_cmpfloat (accent.bottom, <, x.top);
  g_assert_cmpfloat ((accent.left + accent.right) / 2, >, x.left);
  g_assert_cmpfloat ((accent.left + accent.right) / 2, <, x.right);

  for (guint i = 0; i < boxed->items->len; i++)
    {
      const CriaMathItem *it = item (boxed, i);

      if (it->kind == CRIA_MATH_ITEM_RULE && (it->width > 15 || it->height > 15))
        {
          rules++;
          continue;
        }
      left = MIN (left, item_ink (it).left);
      right = MAX (right, item_ink (it).right);
      top = MIN (top, item_ink (it).top);
      bottom = MAX (bottom, item_ink (it).bottom);
    }
  /* The frame (and the fraction's rule, which is inside it) … */
  g_assert_cmpuint (rules, >=, 4);
  g_assert_cmpfloat (left, >, 0);
  g_assert_cmpfloat (right, <, boxed->width);
  g_assert_cmpfloat (top, >, -boxed->ascent);
  g_assert_cmpfloat (bottom, <, boxed->descent);
}

/* \cancel strikes its body out from bottom left to top right, \bcancel the
 * other way, \xcancel both; the body keeps its place and size. */
static void
test_cancel (void)
{
  g_autoptr(CriaMathLayout) plain = lay_out ("x+y", FALSE, 20);
  g_autoptr(CriaMathLayout) cancel = lay_out ("\\cancel{x+y}", FALSE, 20);
  g_autoptr(CriaMathLayout) bcancel = lay_out ("\\bcancel{x+y}", FALSE, 20);
  g_autoptr(CriaMathLayout) xcancel = lay_out ("\\xcancel{x+y}", FALSE, 20);
  const CriaMathItem *stroke = item (cancel, cancel->items->len - 1);
  const CriaMathItem *back = item (bcancel, bcancel->items->len - 1);
  guint lines = 0;

  /* At most the stroke's overhang wider: nothing is clipped. */
  g_assert_cmpfloat (cancel->width, >=, plain->width - 0.01);
  g_assert_cmpfloat (cancel->width, <=, plain->width + 3);
  g_assert_cmpuint (cancel->items->len, ==, plain->items->len + 1);
  g_assert_cmpint (stroke->kind, ==, CRIA_MATH_ITEM_LINE);
  g_assert_cmpfloat (stroke->size, >, 0);
  /* Up and to the right, across the whole body. */
  g_assert_cmpfloat (stroke->width, >, plain->width);
  g_assert_cmpfloat (stroke->height, <, 0);
  g_assert_cmpfloat (stroke->x, <=, 0);
  g_assert_cmpfloat (stroke->y, >=, 0);
  g_assert_cmpint (back->kind, ==, CRIA_MATH_ITEM_LINE);
  g_assert_cmpfloat (back->height, >, 0);
  g_assert_cmpfloat (back->y, <, 0);
  for (guint i = 0; i < xcancel->items->len; i++)
    lines += item (xcancel, i)->kind == CRIA_MATH_ITEM_LINE;
  g_assert_cmpuint (lines, ==, 2);
}

/* \underbrace{a+b}_{n}: the brace under the content, its label under it. */
static void
test_underbrace (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\underbrace{a+b}_{n}", FALSE, 20);
  Ink a = item_ink (find_glyph (layout, 0x1D44E));
  Ink n = item_ink (find_glyph (layout, 0x1D45B));
  double brace_top = G_MAXDOUBLE, brace_bottom = -G_MAXDOUBLE;

  for (guint i = 0; i < layout->items->len; i++)
    {
      Ink ink = item_ink (item (layout, i));

      if (ink.top > a.bottom && ink.bottom < n.top)
        {
          brace_top = MIN (brace_top, ink.top);
          brace_bottom = MAX (brace_bottom, ink.bottom);
        }
    }
  g_assert_cmpfloat (brace_top, <, G_MAXDOUBLE);
  g_assert_cmpfloat (brace_top, >, a.bottom);
  g_assert_cmpfloat (n.top, >, brace_bottom);
}

/* The brace of cases reaches over all its rows. */
static void
test_cases (void)
{
  g_autoptr(CriaMathLayout) layout = lay_out ("\\begin{cases} a & x > 0 \\\\ b & x = 0 \\\\ c & x < 0 \\end{cases}",
                                              TRUE, 20);
  Ink a = item_ink (find_glyph (layout, 0x1D44E));
  Ink b = item_ink (find_glyph (layout, 0x1D44F));
  Ink c = item_ink (find_glyph (layout, 0x1D450));
  double brace = glyphs_height (layout, 1);

  g_assert_cmpfloat (b.top, >, a.bottom);
  g_assert_cmpfloat (c.top, >, b.bottom);
  g_assert_cmpfloat_with_epsilon (a.left, b.left, 0.5);
  g_assert_cmpfloat (brace, >=, 0.9 * (layout->ascent + layout->descent));
}

typedef struct
{
  GPtrArray *formulas;
  GPtrArray *nodes;
  GArray    *widths;
} Shared;

static gpointer
lay_out_all_cb (gpointer data)
{
  Shared *shared = data;

  for (guint i = 0; i < shared->nodes->len; i++)
    {
      g_autoptr(CriaMathLayout) layout = cria_math_layout_new (font, g_ptr_array_index (shared->nodes, i), TRUE, 16);

      if (layout->width != g_array_index (shared->widths, double, i))
        return GINT_TO_POINTER (FALSE);
    }
  return GINT_TO_POINTER (TRUE);
}

/* One font and one parsed formula serve several threads at once. */
static void
test_threads (void)
{
  Shared shared = { read_corpus (), g_ptr_array_new_with_free_func ((GDestroyNotify) cria_math_node_free),
                    g_array_new (FALSE, FALSE, sizeof (double)) };
  GThread *threads[4];

  for (guint i = 0; i < shared.formulas->len; i++)
    {
      CriaMathNode *node = cria_math_parse (g_ptr_array_index (shared.formulas, i), -1, NULL);
      g_autoptr(CriaMathLayout) layout = cria_math_layout_new (font, node, TRUE, 16);

      g_ptr_array_add (shared.nodes, node);
      g_array_append_val (shared.widths, layout->width);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("layout", lay_out_all_cb, &shared);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));

  g_ptr_array_unref (shared.formulas);
  g_ptr_array_unref (shared.nodes);
  g_array_unref (shared.widths);
}

/* The view hands over its own hb_font_t, at whatever scale Pango made it:
 * the layout is the same as with the font read from its file. */
static void
test_any_scale (void)
{
  const char *source = "\\sqrt{\\sum_{i=1}^{n} x_i^2} = \\left\\| \\mathbf{x} \\right\\|_2";
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathNode) node = cria_math_parse (source, -1, &error);
  hb_font_t *hb = hb_font_create (hb_font_get_face (cria_math_font_get_hb_font (font)));
  g_autoptr(CriaMathFont) scaled = NULL;
  g_autoptr(CriaMathLayout) a = NULL;
  g_autoptr(CriaMathLayout) b = NULL;

  g_assert_no_error (error);
  hb_font_set_scale (hb, 16 * 1024, 16 * 1024);
  scaled = cria_math_font_new (hb, &error);
  g_assert_no_error (error);
  g_assert_true (cria_math_font_get_hb_font (scaled) == hb);
  hb_font_destroy (hb);

  a = cria_math_layout_new (font, node, TRUE, 16);
  b = cria_math_layout_new (scaled, node, TRUE, 16);
  g_assert_cmpfloat_with_epsilon (a->width, b->width, 0.01);
  g_assert_cmpfloat_with_epsilon (a->ascent, b->ascent, 0.01);
  g_assert_cmpuint (a->items->len, ==, b->items->len);
  for (guint i = 0; i < a->items->len; i++)
    {
      g_assert_cmpuint (item (a, i)->glyph, ==, item (b, i)->glyph);
      g_assert_cmpfloat_with_epsilon (item (a, i)->x, item (b, i)->x, 0.01);
      g_assert_cmpfloat_with_epsilon (item (a, i)->y, item (b, i)->y, 0.01);
    }
}

/* The font must carry a MATH table. */
static void
test_font_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMathFont) none = cria_math_font_new_from_file ("/nonexistent/font.ttf", &error);
  hb_blob_t *blob = hb_blob_get_empty ();
  hb_face_t *face = hb_face_create (blob, 0);
  hb_font_t *plain = hb_font_create (face);
  g_autoptr(CriaMathFont) no_math = NULL;

  g_assert_null (none);
  g_assert_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_FONT);
  g_clear_error (&error);
  no_math = cria_math_font_new (plain, &error);
  g_assert_null (no_math);
  g_assert_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_FONT);
  hb_font_destroy (plain);
  hb_face_destroy (face);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  font = cria_test_math_font ();

  g_test_add_func ("/math/layout/corpus", test_corpus);
  g_test_add_func ("/math/layout/scripts", test_scripts);
  g_test_add_func ("/math/layout/fraction", test_fraction);
  g_test_add_func ("/math/layout/big-operator", test_big_operator);
  g_test_add_func ("/math/layout/stretchy-delimiters", test_stretchy_delimiters);
  g_test_add_func ("/math/layout/assembly", test_assembly);
  g_test_add_func ("/math/layout/sqrt", test_sqrt);
  g_test_add_func ("/math/layout/overbrace", test_overbrace);
  g_test_add_func ("/math/layout/binary-spacing", test_binary_spacing);
  g_test_add_func ("/math/layout/aligned", test_aligned);
  g_test_add_func ("/math/layout/scaling", test_scaling);
  g_test_add_func ("/math/layout/big-delimiters", test_big_delimiters);
  g_test_add_func ("/math/layout/accent-and-box", test_accent_and_box);
  g_test_add_func ("/math/layout/underbrace", test_underbrace);
  g_test_add_func ("/math/layout/cancel", test_cancel);
  g_test_add_func ("/math/layout/cases", test_cases);
  g_test_add_func ("/math/layout/threads", test_threads);
  g_test_add_func ("/math/layout/any-scale", test_any_scale);
  g_test_add_func ("/math/layout/font-errors", test_font_errors);

  ret = g_test_run ();
  cria_math_font_unref (font);
  return ret;
}

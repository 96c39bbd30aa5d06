/* cria-math-layout.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TeX's layout of a formula (The TeXbook, appendix G) with the constants,
 * glyph variants and assemblies of an OpenType MATH font. Every box appends
 * its glyphs and rules to one array, in its own coordinates (origin on its
 * baseline at its left); placing a box moves its range of items. Nothing
 * is allocated per glyph.
 */

#include "config.h"

#include <math.h>

#include "cria-math-layout-private.h"

#define K(id) HB_OT_MATH_CONSTANT_##id

static const double big_sizes[] = { 0, 1.2, 1.8, 2.4, 3.0 };

double
_cria_math_style_size (Ctx *ctx,
                       int  style)
{
  return ctx->sizes[MIN (style, 7) >> 1];
}

double
_cria_math_constant (Ctx                  *ctx,
                     hb_ot_math_constant_t id,
                     int                   style)
{
  return ctx->font->constants[id] * _cria_math_style_size (ctx, style) / ctx->font->upem;
}

Box
_cria_math_box_empty (Ctx *ctx)
{
  Box box = { 0, };

  box.start = box.end = ctx->items->len;
  return box;
}

void
_cria_math_box_shift (Ctx *ctx,
                      Box *box,
                      double dx,
                      double dy)
{
  for (guint i = box->start; i < box->end; i++)
    {
      CriaMathItem *item = &g_array_index (ctx->items, CriaMathItem, i);

      item->x += dx;
      item->y += dy;
    }
}

/* Joins @b into @a, moved by (dx, dy); their items must be adjacent. */
void
_cria_math_box_merge (Ctx *ctx,
                      Box *a,
                      Box *b,
                      double dx,
                      double dy)
{
  _cria_math_box_shift (ctx, b, dx, dy);
  a->h = MAX (a->h, b->h - dy);
  a->d = MAX (a->d, b->d + dy);
  a->start = MIN (a->start, b->start);
  a->end = MAX (a->end, b->end);
}

void
_cria_math_emit_rule (Ctx   *ctx,
                      double x,
                      double y,
                      double width,
                      double height)
{
  CriaMathItem item = { CRIA_MATH_ITEM_RULE, 0, x, y, 0, MAX (width, 0), MAX (height, 0) };

  g_array_append_val (ctx->items, item);
}

static void
emit_glyph (Ctx           *ctx,
            hb_codepoint_t glyph,
            double         x,
            double         y,
            double         size)
{
  CriaMathItem item = { CRIA_MATH_ITEM_GLYPH, glyph, x, y, size, 0, 0 };

  g_array_append_val (ctx->items, item);
}

/* One glyph at the origin, in the size of @style. */
Box
_cria_math_glyph_box (Ctx           *ctx,
                      hb_codepoint_t glyph,
                      int            style)
{
  CriaMathGlyphMetrics m;
  double size = _cria_math_style_size (ctx, style);
  double k = size / ctx->font->upem;
  Box box = _cria_math_box_empty (ctx);

  _cria_math_font_metrics (ctx->font, glyph, &m);
  emit_glyph (ctx, glyph, 0, 0, size);
  box.end = ctx->items->len;
  box.w = m.advance * k;
  box.h = m.ascent * k;
  box.d = m.descent * k;
  box.ic = m.italic * k;
  box.glyph = glyph;
  box.is_glyph = TRUE;
  return box;
}

/* A glyph as tall (or wide) as @target px: the first variant that is big
 * enough, else an assembly of parts, else the biggest variant. Vertical
 * results sit on the baseline; horizontal ones start at the origin. */
Box
_cria_math_stretch (Ctx     *ctx,
                    gunichar cp,
                    double   target,
                    gboolean horizontal,
                    int      style)
{
  hb_direction_t dir = horizontal ? HB_DIRECTION_LTR : HB_DIRECTION_BTT;
  hb_font_t *font = ctx->font->font;
  hb_codepoint_t base = _cria_math_font_glyph (ctx->font, cp);
  double size = _cria_math_style_size (ctx, style);
  double k = size / ctx->font->upem;
  double want = target / k;
  hb_codepoint_t best = base;
  hb_ot_math_glyph_variant_t variants[16];
  hb_ot_math_glyph_part_t parts[16];
  unsigned int total, n, offset = 0;
  Box box;

  do
    {
      n = G_N_ELEMENTS (variants);
      total = hb_ot_math_get_glyph_variants (font, base, dir, offset, &n, variants);
      for (unsigned int i = 0; i < n; i++)
        {
          best = variants[i].glyph;
          if (variants[i].advance >= want)
            goto single;
        }
      offset += n;
    }
  while (n > 0 && offset < total);

  n = G_N_ELEMENTS (parts);
  total = hb_ot_math_get_glyph_assembly (font, base, dir, 0, &n, parts, NULL);
  if (total > 0 && total <= G_N_ELEMENTS (parts))
    {
      double min_overlap = ctx->font->min_overlap[horizontal ? 1 : 0];
      double sum_fixed = 0, sum_ext = 0, max_overlap = G_MAXDOUBLE;
      unsigned int n_fixed = 0, n_ext = 0, reps = 0, count;
      double overlap, pos = 0, extent_a = 0, extent_b = 0;

      for (unsigned int i = 0; i < n; i++)
        {
          if (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER)
            {
              n_ext++;
              sum_ext += parts[i].full_advance;
            }
          else
            {
              n_fixed++;
              sum_fixed += parts[i].full_advance;
            }
          if (i > 0)
            max_overlap = MIN (max_overlap, MIN (parts[i - 1].end_connector_length,
                                                 parts[i].start_connector_length));
        }
      if (max_overlap < min_overlap)
        max_overlap = min_overlap;
      /* The fewest repeats of the extenders that reach the target with the
       * least overlap; never more than a few hundred. */
      while (n_ext > 0 && reps < 500)
        {
          count = n_fixed + reps * n_ext;
          if (sum_fixed + reps * sum_ext - (count > 0 ? count - 1 : 0) * min_overlap >= want)
            break;
          reps++;
        }
      count = n_fixed + reps * n_ext;
      overlap = count > 1
                ? CLAMP ((sum_fixed + reps * sum_ext - want) / (count - 1), min_overlap, max_overlap)
                : 0;

      box = _cria_math_box_empty (ctx);
      for (unsigned int i = 0; i < n; i++)
        {
          unsigned int times = (parts[i].flags & HB_OT_MATH_GLYPH_PART_FLAG_EXTENDER) ? reps : 1;

          for (unsigned int t = 0; t < times; t++)
            {
              CriaMathGlyphMetrics m;

              _cria_math_font_metrics (ctx->font, parts[i].glyph, &m);
              if (horizontal)
                {
                  emit_glyph (ctx, parts[i].glyph, pos * k, 0, size);
                  extent_a = MAX (extent_a, m.ascent);
                  extent_b = MAX (extent_b, m.descent);
                }
              else
                {
                  emit_glyph (ctx, parts[i].glyph, 0, -(pos + m.descent) * k, size);
                  extent_a = MAX (extent_a, m.advance);
                }
              pos += parts[i].full_advance - overlap;
            }
        }
      pos += overlap;
      box.end = ctx->items->len;
      if (horizontal)
        {
          box.w = pos * k;
          box.h = extent_a * k;
          box.d = extent_b * k;
        }
      else
        {
          box.w = extent_a * k;
          box.h = pos * k;
          box.d = 0;
        }
      return box;
    }

single:
  return _cria_math_glyph_box (ctx, best, style);
}

/* Centres a box on the maths axis, as delimiters and large operators are. */
void
_cria_math_center_on_axis (Ctx *ctx,
                           Box *box,
                           int  style)
{
  double axis = _cria_math_constant (ctx, K (AXIS_HEIGHT), style);
  double shift = (box->h - box->d) / 2 - axis;

  _cria_math_box_shift (ctx, box, 0, shift);
  box->h -= shift;
  box->d += shift;
}

/* A delimiter at least @target tall, centred on the axis; 0 is the empty
 * delimiter of \left. */
Box
_cria_math_delimiter (Ctx     *ctx,
                      gunichar cp,
                      double   target,
                      int      style)
{
  Box box;

  if (cp == 0)
    {
      box = _cria_math_box_empty (ctx);
      box.w = 0.12 * _cria_math_style_size (ctx, style);
      return box;
    }
  box = _cria_math_stretch (ctx, cp, target, FALSE, style);
  _cria_math_center_on_axis (ctx, &box, style);
  box.is_glyph = FALSE;
  return box;
}

/* How tall \left and \right make their delimiters around a height and a
 * depth: TeX's \delimiterfactor 901 and \delimitershortfall 5 pt. */
double
_cria_math_delimiter_target (Ctx   *ctx,
                             double h,
                             double d,
                             int    style)
{
  double axis = _cria_math_constant (ctx, K (AXIS_HEIGHT), style);
  double delta = MAX (h - axis, d + axis);
  double size = _cria_math_style_size (ctx, style);

  return MAX (2 * delta * 0.901, 2 * delta - 0.5 * size);
}

static Box
layout_big (Ctx                *ctx,
            const CriaMathNode *node,
            int                 style)
{
  double size = _cria_math_style_size (ctx, style);

  return _cria_math_delimiter (ctx, node->cp, big_sizes[CLAMP (node->size, 0, 4)] * size, style);
}

static Box
layout_char (Ctx                *ctx,
             const CriaMathNode *node,
             int                 style)
{
  hb_codepoint_t glyph = _cria_math_font_glyph (ctx->font, node->cp);
  Box box;

  if (glyph == 0 && node->cp >= 0x1D400 && node->cp <= 0x1D7FF)
    glyph = _cria_math_font_glyph (ctx->font, '?');

  if ((node->flags & CRIA_MATH_FLAG_BIG_OP) && style < CRIA_MATH_STYLE_TEXT)
    {
      double min_height = _cria_math_constant (ctx, K (DISPLAY_OPERATOR_MIN_HEIGHT), style);
      double ic;

      box = _cria_math_stretch (ctx, node->cp, min_height, FALSE, style);
      ic = box.is_glyph ? box.ic : 0;
      _cria_math_center_on_axis (ctx, &box, style);
      box.ic = ic;
    }
  else
    {
      box = _cria_math_glyph_box (ctx, glyph, style);
      if (node->flags & CRIA_MATH_FLAG_BIG_OP)
        _cria_math_center_on_axis (ctx, &box, style);
    }
  box.w += box.ic;
  return box;
}

/* A run of upright text (\text, \sin) in the size of @style. */
static Box
layout_text (Ctx        *ctx,
             const char *text,
             int         style)
{
  double size = _cria_math_style_size (ctx, style);
  double k = size / ctx->font->upem;
  Box box = _cria_math_box_empty (ctx);
  double x = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar cp = g_utf8_get_char (p);
      hb_codepoint_t glyph = _cria_math_font_glyph (ctx->font, cp == 0xA0 ? ' ' : cp);
      CriaMathGlyphMetrics m;

      _cria_math_font_metrics (ctx->font, glyph, &m);
      if (cp != ' ' && cp != 0xA0)
        emit_glyph (ctx, glyph, x, 0, size);
      x += m.advance * k;
      box.h = MAX (box.h, m.ascent * k);
      box.d = MAX (box.d, m.descent * k);
    }
  box.end = ctx->items->len;
  box.w = x;
  return box;
}

static int
sup_style (int style)
{
  return (style < CRIA_MATH_STYLE_SCRIPT ? CRIA_MATH_STYLE_SCRIPT : CRIA_MATH_STYLE_SCRIPTSCRIPT) | (style & 1);
}

static int
sub_style (int style)
{
  return sup_style (style) | 1;
}

/* Limits above and below a base (\sum in display, \overbrace's label),
 * already laid out: either may be NULL. */
static Box
place_limits (Ctx *ctx,
              Box  base,
              Box *sup,
              Box *sub,
              int  style)
{
  double ic = base.ic;
  double base_w = base.w - ic;
  double w = MAX (base_w, MAX (sup != NULL ? sup->w : 0, sub != NULL ? sub->w : 0));
  Box box = base;

  _cria_math_box_shift (ctx, &box, (w - base_w) / 2, 0);
  box.w = w;
  box.ic = 0;
  box.is_glyph = FALSE;
  if (sup != NULL)
    {
      double rise = base.h + MAX (_cria_math_constant (ctx, K (UPPER_LIMIT_GAP_MIN), style) + sup->d,
                                  _cria_math_constant (ctx, K (UPPER_LIMIT_BASELINE_RISE_MIN), style));

      _cria_math_box_merge (ctx, &box, sup, (w - sup->w + ic) / 2, -rise);
    }
  if (sub != NULL)
    {
      double drop = base.d + MAX (_cria_math_constant (ctx, K (LOWER_LIMIT_GAP_MIN), style) + sub->h,
                                  _cria_math_constant (ctx, K (LOWER_LIMIT_BASELINE_DROP_MIN), style));

      _cria_math_box_merge (ctx, &box, sub, (w - sub->w - ic) / 2, drop);
    }
  return box;
}

static Box
layout_limits (Ctx                *ctx,
               Box                 base,
               const CriaMathNode *over,
               const CriaMathNode *under,
               int                 style)
{
  Box sup, sub;

  if (over != NULL)
    sup = _cria_math_layout_node (ctx, over, sup_style (style));
  if (under != NULL)
    sub = _cria_math_layout_node (ctx, under, sub_style (style));
  return place_limits (ctx, base, over != NULL ? &sup : NULL, under != NULL ? &sub : NULL, style);
}

static gboolean
takes_limits (const CriaMathNode *base,
              int                 style)
{
  if (base == NULL)
    return FALSE;
  if (base->kind == CRIA_MATH_NODE_BRACE)
    return TRUE;
  if (base->flags & CRIA_MATH_FLAG_LIMITS)
    return TRUE;
  if (base->flags & CRIA_MATH_FLAG_NOLIMITS)
    return FALSE;
  return (base->flags & CRIA_MATH_FLAG_DISPLAY_LIM) && style < CRIA_MATH_STYLE_TEXT;
}

static Box
layout_scripts (Ctx                *ctx,
                const CriaMathNode *node,
                int                 style)
{
  const CriaMathNode *a = node->a;
  Box base = a != NULL ? _cria_math_layout_node (ctx, a, style) : _cria_math_box_empty (ctx);
  gboolean single = a != NULL && a->kind == CRIA_MATH_NODE_CHAR && !(a->flags & CRIA_MATH_FLAG_BIG_OP);
  Box sup, sub, box;
  double u, v;

  if (takes_limits (a, style))
    return layout_limits (ctx, base, node->b, node->c, style);

  u = single ? 0 : base.h - _cria_math_constant (ctx, K (SUPERSCRIPT_BASELINE_DROP_MAX), style);
  v = single ? 0 : base.d + _cria_math_constant (ctx, K (SUBSCRIPT_BASELINE_DROP_MIN), style);
  /* Primes are drawn raised already: at the base's size, not shifted. */
  sup = node->b == NULL ? _cria_math_box_empty (ctx)
        : _cria_math_layout_node (ctx, node->b, (node->flags & CRIA_MATH_FLAG_PRIMES) ? style : sup_style (style));
  sub = node->c != NULL ? _cria_math_layout_node (ctx, node->c, sub_style (style)) : _cria_math_box_empty (ctx);

  if (node->flags & CRIA_MATH_FLAG_PRIMES)
    u = 0;
  else if (node->b != NULL)
    {
      double shift = (style & 1) ? _cria_math_constant (ctx, K (SUPERSCRIPT_SHIFT_UP_CRAMPED), style)
                                 : _cria_math_constant (ctx, K (SUPERSCRIPT_SHIFT_UP), style);

      u = MAX (u, MAX (shift, sup.d + _cria_math_constant (ctx, K (SUPERSCRIPT_BOTTOM_MIN), style)));
    }
  if (node->c != NULL && (node->b == NULL || (node->flags & CRIA_MATH_FLAG_PRIMES)))
    v = MAX (v, MAX (_cria_math_constant (ctx, K (SUBSCRIPT_SHIFT_DOWN), style),
                     sub.h - _cria_math_constant (ctx, K (SUBSCRIPT_TOP_MAX), style)));
  else if (node->c != NULL)
    {
      double gap_min = _cria_math_constant (ctx, K (SUB_SUPERSCRIPT_GAP_MIN), style);
      double gap, psi;

      v = MAX (v, _cria_math_constant (ctx, K (SUBSCRIPT_SHIFT_DOWN), style));
      gap = (u - sup.d) - (sub.h - v);
      if (gap < gap_min)
        v += gap_min - gap;
      psi = _cria_math_constant (ctx, K (SUPERSCRIPT_BOTTOM_MAX_WITH_SUBSCRIPT), style) - (u - sup.d);
      if (psi > 0)
        {
          u += psi;
          v -= psi;
        }
    }

  box = base;
  box.is_glyph = FALSE;
  box.ic = 0;
  if (node->b != NULL)
    {
      _cria_math_box_merge (ctx, &box, &sup, base.w, -u);
      box.w = MAX (box.w, base.w + sup.w);
    }
  if (node->c != NULL)
    {
      _cria_math_box_merge (ctx, &box, &sub, base.w - base.ic, v);
      box.w = MAX (box.w, base.w - base.ic + sub.w);
    }
  box.w += _cria_math_constant (ctx, K (SPACE_AFTER_SCRIPT), style);
  box.end = ctx->items->len;
  return box;
}

static Box
layout_frac (Ctx                *ctx,
             const CriaMathNode *node,
             int                 style)
{
  gboolean rule = !(node->flags & CRIA_MATH_FLAG_NO_RULE);
  gboolean display;
  int num_style, den_style;
  double size, axis, t, u, v, w, pad;
  Box num, den, box;

  if (node->size >= 0)
    style = node->size | (style & 1);
  display = style < CRIA_MATH_STYLE_TEXT;
  num_style = (style < CRIA_MATH_STYLE_TEXT ? CRIA_MATH_STYLE_TEXT
               : style < CRIA_MATH_STYLE_SCRIPT ? CRIA_MATH_STYLE_SCRIPT
               : CRIA_MATH_STYLE_SCRIPTSCRIPT) | (style & 1);
  den_style = num_style | 1;
  size = _cria_math_style_size (ctx, style);
  axis = _cria_math_constant (ctx, K (AXIS_HEIGHT), style);
  t = rule ? _cria_math_constant (ctx, K (FRACTION_RULE_THICKNESS), style) : 0;
  pad = node->cp != 0 ? 0 : 0.12 * size;

  num = _cria_math_layout_node (ctx, node->a, num_style);
  den = _cria_math_layout_node (ctx, node->b, den_style);

  if (rule)
    {
      double up = display ? _cria_math_constant (ctx, K (FRACTION_NUMERATOR_DISPLAY_STYLE_SHIFT_UP), style)
                          : _cria_math_constant (ctx, K (FRACTION_NUMERATOR_SHIFT_UP), style);
      double down = display ? _cria_math_constant (ctx, K (FRACTION_DENOMINATOR_DISPLAY_STYLE_SHIFT_DOWN), style)
                            : _cria_math_constant (ctx, K (FRACTION_DENOMINATOR_SHIFT_DOWN), style);
      double gap_num = display ? _cria_math_constant (ctx, K (FRACTION_NUM_DISPLAY_STYLE_GAP_MIN), style)
                               : _cria_math_constant (ctx, K (FRACTION_NUMERATOR_GAP_MIN), style);
      double gap_den = display ? _cria_math_constant (ctx, K (FRACTION_DENOM_DISPLAY_STYLE_GAP_MIN), style)
                               : _cria_math_constant (ctx, K (FRACTION_DENOMINATOR_GAP_MIN), style);

      u = MAX (up, axis + t / 2 + gap_num + num.d);
      v = MAX (down, den.h + gap_den - (axis - t / 2));
    }
  else
    {
      double gap_min = display ? _cria_math_constant (ctx, K (STACK_DISPLAY_STYLE_GAP_MIN), style)
                               : _cria_math_constant (ctx, K (STACK_GAP_MIN), style);
      double gap;

      u = display ? _cria_math_constant (ctx, K (STACK_TOP_DISPLAY_STYLE_SHIFT_UP), style)
                  : _cria_math_constant (ctx, K (STACK_TOP_SHIFT_UP), style);
      v = display ? _cria_math_constant (ctx, K (STACK_BOTTOM_DISPLAY_STYLE_SHIFT_DOWN), style)
                  : _cria_math_constant (ctx, K (STACK_BOTTOM_SHIFT_DOWN), style);
      gap = (u - num.d) - (den.h - v);
      if (gap < gap_min)
        {
          u += (gap_min - gap) / 2;
          v += (gap_min - gap) / 2;
        }
    }

  w = MAX (num.w, den.w);
  box = _cria_math_box_empty (ctx);
  box.start = num.start;
  box.h = box.d = 0;
  _cria_math_box_merge (ctx, &box, &num, pad + (w - num.w) / 2, -u);
  _cria_math_box_merge (ctx, &box, &den, pad + (w - den.w) / 2, v);
  if (rule)
    _cria_math_emit_rule (ctx, pad, -(axis + t / 2), w, t);
  box.end = ctx->items->len;
  box.w = w + 2 * pad;

  if (node->cp != 0 || node->cp2 != 0)
    {
      /* \binom: parentheses around the stack, sized as \left and \right would. */
      double target = _cria_math_delimiter_target (ctx, box.h, box.d, style);
      Box left = _cria_math_delimiter (ctx, node->cp, target, style);
      Box right;

      _cria_math_box_shift (ctx, &box, left.w, 0);
      box.start = MIN (box.start, left.start);
      left.start = box.start;
      box.h = MAX (box.h, left.h);
      box.d = MAX (box.d, left.d);
      box.w += left.w;
      right = _cria_math_delimiter (ctx, node->cp2, target, style);
      _cria_math_box_merge (ctx, &box, &right, box.w, 0);
      box.w += right.w;
      box.end = ctx->items->len;
    }
  return box;
}

static Box
layout_sqrt (Ctx                *ctx,
             const CriaMathNode *node,
             int                 style)
{
  gboolean display = style < CRIA_MATH_STYLE_TEXT;
  double t = _cria_math_constant (ctx, K (RADICAL_RULE_THICKNESS), style);
  double gap = display ? _cria_math_constant (ctx, K (RADICAL_DISPLAY_STYLE_VERTICAL_GAP), style)
                       : _cria_math_constant (ctx, K (RADICAL_VERTICAL_GAP), style);
  double extra = _cria_math_constant (ctx, K (RADICAL_EXTRA_ASCENDER), style);
  Box box = _cria_math_box_empty (ctx);
  Box degree = _cria_math_box_empty (ctx);
  Box body, radical;
  double target, top, total, x = 0;

  if (node->b != NULL)
    degree = _cria_math_layout_node (ctx, node->b, CRIA_MATH_STYLE_SCRIPTSCRIPT);
  body = _cria_math_layout_node (ctx, node->a, style | 1);
  target = body.h + body.d + gap + t;
  radical = _cria_math_stretch (ctx, 0x221A, target, FALSE, style);
  total = radical.h + radical.d;
  if (total > target)
    gap += (total - target) / 2;
  top = body.h + gap + t;
  /* The radical's top meets the rule. */
  _cria_math_box_shift (ctx, &radical, 0, radical.h - top);
  radical.d = total - top;
  radical.h = top;

  if (node->b != NULL)
    {
      double before = _cria_math_constant (ctx, K (RADICAL_KERN_BEFORE_DEGREE), style);
      double after = _cria_math_constant (ctx, K (RADICAL_KERN_AFTER_DEGREE), style);
      double raise = ctx->font->constants[K (RADICAL_DEGREE_BOTTOM_RAISE_PERCENT)] / 100.0 * total;

      _cria_math_box_merge (ctx, &box, &degree, before, radical.d - raise);
      x = MAX (0, before + degree.w + after);
      box.w = before + degree.w;
    }
  _cria_math_box_merge (ctx, &box, &body, x + radical.w, 0);
  _cria_math_box_merge (ctx, &box, &radical, x, 0);
  _cria_math_emit_rule (ctx, x + radical.w, -top, body.w, t);
  box.start = MIN (degree.start, body.start);
  box.end = ctx->items->len;
  box.h = MAX (box.h, top + extra);
  box.w = MAX (box.w, x + radical.w + body.w);
  return box;
}

static Box
layout_left_right (Ctx                *ctx,
                   const CriaMathNode *node,
                   int                 style)
{
  GPtrArray *kids = node->a->kids;
  Box box = _cria_math_box_empty (ctx);
  Box left, right;
  double h = 0, d = 0, target;
  double thick = 5 * _cria_math_style_size (ctx, style) / 18;
  guint first_part = ctx->items->len;
  g_autofree Box *parts = g_new0 (Box, kids->len);

  /* The parts first, for their height; the delimiters and any \middle
   * are then sized to them. */
  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);

      if (kid->kind == CRIA_MATH_NODE_DELIM)
        continue;
      parts[i] = _cria_math_layout_node (ctx, kid, style);
      h = MAX (h, parts[i].h);
      d = MAX (d, parts[i].d);
    }
  target = _cria_math_delimiter_target (ctx, h, d, style);

  left = _cria_math_delimiter (ctx, node->cp, target, style);
  _cria_math_box_merge (ctx, &box, &left, 0, 0);
  box.start = first_part;
  box.w = left.w;
  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);

      if (kid->kind == CRIA_MATH_NODE_DELIM)
        {
          Box middle = _cria_math_delimiter (ctx, kid->cp, target, style);

          box.w += style < CRIA_MATH_STYLE_SCRIPT ? thick : 0;
          _cria_math_box_merge (ctx, &box, &middle, box.w, 0);
          box.w += middle.w + (style < CRIA_MATH_STYLE_SCRIPT ? thick : 0);
          continue;
        }
      _cria_math_box_merge (ctx, &box, &parts[i], box.w, 0);
      box.w += parts[i].w;
    }
  right = _cria_math_delimiter (ctx, node->cp2, target, style);
  _cria_math_box_merge (ctx, &box, &right, box.w, 0);
  box.w += right.w;
  box.end = ctx->items->len;
  return box;
}

static Box
layout_accent (Ctx                *ctx,
               const CriaMathNode *node,
               int                 style)
{
  Box body = _cria_math_layout_node (ctx, node->a, style | 1);
  hb_codepoint_t glyph = _cria_math_font_glyph (ctx->font, node->cp);
  double k = _cria_math_style_size (ctx, style) / ctx->font->upem;
  gboolean arrow = node->cp >= 0x2190 && node->cp <= 0x21FF;
  double body_w = body.w - body.ic;
  double base_attach, accent_attach, raise;
  Box accent, box = body;

  if (arrow)
    {
      accent = _cria_math_stretch (ctx, node->cp, body_w, TRUE, style);
      accent_attach = accent.w / 2;
      base_attach = body_w / 2;
      raise = body.h + _cria_math_constant (ctx, K (OVERBAR_VERTICAL_GAP), style) + accent.d;
    }
  else
    {
      if (node->flags & CRIA_MATH_FLAG_STRETCH)
        {
          /* The widest variant that is no wider than the body. */
          hb_ot_math_glyph_variant_t variants[16];
          unsigned int n = G_N_ELEMENTS (variants);

          hb_ot_math_get_glyph_variants (ctx->font->font, glyph, HB_DIRECTION_LTR, 0, &n, variants);
          for (unsigned int i = 0; i < n; i++)
            if (variants[i].advance * k <= body_w * 1.05)
              glyph = variants[i].glyph;
        }
      accent = _cria_math_glyph_box (ctx, glyph, style);
      accent_attach = hb_ot_math_get_glyph_top_accent_attachment (ctx->font->font, glyph) * k;
      base_attach = body.is_glyph
                    ? hb_ot_math_get_glyph_top_accent_attachment (ctx->font->font, body.glyph) * k
                    : body_w / 2;
      raise = body.h - MIN (body.h, _cria_math_constant (ctx, K (ACCENT_BASE_HEIGHT), style));
    }

  box.is_glyph = FALSE;
  _cria_math_box_merge (ctx, &box, &accent, base_attach - accent_attach, -raise);
  if (base_attach - accent_attach < 0)
    {
      double dx = accent_attach - base_attach;

      _cria_math_box_shift (ctx, &box, dx, 0);
      box.w += dx;
    }
  box.w = MAX (box.w, base_attach - accent_attach + accent.w);
  box.end = ctx->items->len;
  return box;
}

static Box
layout_bar (Ctx                *ctx,
            const CriaMathNode *node,
            int                 style)
{
  gboolean over = node->kind == CRIA_MATH_NODE_OVERLINE;
  Box box = _cria_math_layout_node (ctx, node->a, over ? style | 1 : style);

  box.is_glyph = FALSE;
  if (over)
    {
      double gap = _cria_math_constant (ctx, K (OVERBAR_VERTICAL_GAP), style);
      double t = _cria_math_constant (ctx, K (OVERBAR_RULE_THICKNESS), style);
      double extra = _cria_math_constant (ctx, K (OVERBAR_EXTRA_ASCENDER), style);

      _cria_math_emit_rule (ctx, 0, -(box.h + gap + t), box.w - box.ic, t);
      box.h += gap + t + extra;
    }
  else
    {
      double gap = _cria_math_constant (ctx, K (UNDERBAR_VERTICAL_GAP), style);
      double t = _cria_math_constant (ctx, K (UNDERBAR_RULE_THICKNESS), style);
      double extra = _cria_math_constant (ctx, K (UNDERBAR_EXTRA_DESCENDER), style);

      _cria_math_emit_rule (ctx, 0, box.d + gap, box.w - box.ic, t);
      box.d += gap + t + extra;
    }
  box.end = ctx->items->len;
  return box;
}

/* \overbrace, \underbrace and the arrows under: stretched to the body. */
static Box
layout_brace (Ctx                *ctx,
              const CriaMathNode *node,
              int                 style)
{
  gboolean under = (node->flags & CRIA_MATH_FLAG_UNDER) != 0;
  Box body = _cria_math_layout_node (ctx, node->a, style);
  double body_w = body.w - body.ic;
  Box brace = _cria_math_stretch (ctx, node->cp, body_w, TRUE, style);
  Box box = body;
  double dx = (body_w - brace.w) / 2;

  box.is_glyph = FALSE;
  box.ic = 0;
  if (under)
    _cria_math_box_merge (ctx, &box, &brace, dx,
                          body.d + _cria_math_constant (ctx, K (STRETCH_STACK_GAP_ABOVE_MIN), style) + brace.h);
  else
    _cria_math_box_merge (ctx, &box, &brace, dx,
                          -(body.h + _cria_math_constant (ctx, K (STRETCH_STACK_GAP_BELOW_MIN), style) + brace.d));
  if (dx < 0)
    {
      _cria_math_box_shift (ctx, &box, -dx, 0);
      box.w = brace.w;
    }
  box.end = ctx->items->len;
  return box;
}

static Box
layout_stack (Ctx                *ctx,
              const CriaMathNode *node,
              int                 style)
{
  Box base;

  if (node->flags & CRIA_MATH_FLAG_STRETCH)
    {
      /* \xrightarrow: the labels first, then the arrow as wide as they are
       * and a little more. Each is laid out once, however deep they nest. */
      double size = _cria_math_style_size (ctx, style);
      Box sup, sub;
      double w = 0;

      if (node->b != NULL)
        {
          sup = _cria_math_layout_node (ctx, node->b, sup_style (style));
          w = MAX (w, sup.w);
        }
      if (node->c != NULL)
        {
          sub = _cria_math_layout_node (ctx, node->c, sub_style (style));
          w = MAX (w, sub.w);
        }
      base = _cria_math_stretch (ctx, node->a->cp, MAX (w + 0.6 * size, 1.2 * size), TRUE, style);
      _cria_math_center_on_axis (ctx, &base, style);
      base.ic = 0;
      return place_limits (ctx, base, node->b != NULL ? &sup : NULL, node->c != NULL ? &sub : NULL, style);
    }
  base = _cria_math_layout_node (ctx, node->a, style);
  base.ic = 0;
  return layout_limits (ctx, base, node->b, node->c, style);
}

static void
emit_line (Ctx   *ctx,
           double x0,
           double y0,
           double x1,
           double y1,
           double thickness)
{
  CriaMathItem item = { CRIA_MATH_ITEM_LINE, 0, x0, y0, thickness, x1 - x0, y1 - y0 };

  g_array_append_val (ctx->items, item);
}

/* \cancel, \bcancel, \xcancel: the body, struck out corner to corner
 * with a rule's thickness, a little beyond its ink. */
static Box
layout_cancel (Ctx                *ctx,
               const CriaMathNode *node,
               int                 style)
{
  Box box = _cria_math_layout_node (ctx, node->a, style);
  double t = _cria_math_constant (ctx, K (FRACTION_RULE_THICKNESS), style);
  double over = 0.1 * _cria_math_style_size (ctx, style);
  double left = -over / 2;
  double right = box.w + over / 2;
  double top = -box.h - over / 2;
  double bottom = box.d + over / 2;

  if (node->cp == '/' || node->cp == 'X')
    emit_line (ctx, left, bottom, right, top, t);
  if (node->cp == '\\' || node->cp == 'X')
    emit_line (ctx, left, top, right, bottom, t);
  box.is_glyph = FALSE;
  box.end = ctx->items->len;
  return box;
}

static Box
layout_boxed (Ctx                *ctx,
              const CriaMathNode *node,
              int                 style)
{
  Box box;

  if (node->cp != 0)
    return layout_cancel (ctx, node, style);

  box = _cria_math_layout_node (ctx, node->a, CRIA_MATH_STYLE_DISPLAY | (style & 1));
  double size = _cria_math_style_size (ctx, style);
  double t = _cria_math_constant (ctx, K (FRACTION_RULE_THICKNESS), style);
  double pad = 0.3 * size;
  double w, h, d;

  _cria_math_box_shift (ctx, &box, pad + t, 0);
  w = box.w + 2 * (pad + t);
  h = box.h + pad + t;
  d = box.d + pad + t;
  _cria_math_emit_rule (ctx, 0, -h, w, t);
  _cria_math_emit_rule (ctx, 0, d - t, w, t);
  _cria_math_emit_rule (ctx, 0, -h, t, h + d);
  _cria_math_emit_rule (ctx, w - t, -h, t, h + d);
  box.w = w;
  box.h = h;
  box.d = d;
  box.ic = 0;
  box.is_glyph = FALSE;
  box.end = ctx->items->len;
  return box;
}

static Box
layout_not (Ctx                *ctx,
            const CriaMathNode *node,
            int                 style)
{
  Box box = _cria_math_layout_node (ctx, node->a, style);
  hb_codepoint_t glyph = _cria_math_font_glyph (ctx->font, 0x338);
  double k = _cria_math_style_size (ctx, style) / ctx->font->upem;
  CriaMathGlyphMetrics m;
  Box slash;

  if (glyph == 0)
    glyph = _cria_math_font_glyph (ctx->font, '/');
  _cria_math_font_metrics (ctx->font, glyph, &m);
  slash = _cria_math_glyph_box (ctx, glyph, style);
  slash.w = 0;
  _cria_math_box_merge (ctx, &box, &slash, (box.w - box.ic) / 2 - (m.ink_left + m.ink_right) * k / 2, 0);
  box.is_glyph = FALSE;
  box.end = ctx->items->len;
  return box;
}

Box
_cria_math_layout_node (Ctx                *ctx,
                        const CriaMathNode *node,
                        int                 style)
{
  Box box;

  switch (node->kind)
    {
    case CRIA_MATH_NODE_LIST:
      return _cria_math_layout_list (ctx, node->kids, style, FALSE);
    case CRIA_MATH_NODE_CHAR:
      return layout_char (ctx, node, style);
    case CRIA_MATH_NODE_TEXT:
    case CRIA_MATH_NODE_OPNAME:
      return layout_text (ctx, node->text, style);
    case CRIA_MATH_NODE_SCRIPTS:
      return layout_scripts (ctx, node, style);
    case CRIA_MATH_NODE_FRAC:
      return layout_frac (ctx, node, style);
    case CRIA_MATH_NODE_SQRT:
      return layout_sqrt (ctx, node, style);
    case CRIA_MATH_NODE_LEFT_RIGHT:
      return layout_left_right (ctx, node, style);
    case CRIA_MATH_NODE_DELIM:
      return layout_big (ctx, node, style);
    case CRIA_MATH_NODE_ACCENT:
      return layout_accent (ctx, node, style);
    case CRIA_MATH_NODE_OVERLINE:
    case CRIA_MATH_NODE_UNDERLINE:
      return layout_bar (ctx, node, style);
    case CRIA_MATH_NODE_BRACE:
      return layout_brace (ctx, node, style);
    case CRIA_MATH_NODE_STACK:
      return layout_stack (ctx, node, style);
    case CRIA_MATH_NODE_BOXED:
      return layout_boxed (ctx, node, style);
    case CRIA_MATH_NODE_PHANTOM:
      box = _cria_math_layout_node (ctx, node->a, style);
      g_array_set_size (ctx->items, box.start);
      box.end = box.start;
      if (!(node->flags & CRIA_MATH_FLAG_PHANTOM_H))
        box.w = 0;
      if (!(node->flags & CRIA_MATH_FLAG_PHANTOM_V))
        box.h = box.d = 0;
      box.is_glyph = FALSE;
      return box;
    case CRIA_MATH_NODE_SPACE:
      box = _cria_math_box_empty (ctx);
      box.w = node->dim * _cria_math_style_size (ctx, style) / 18;
      return box;
    case CRIA_MATH_NODE_ARRAY:
      return _cria_math_layout_array (ctx, node->array, style);
    case CRIA_MATH_NODE_NOT:
      return layout_not (ctx, node, style);
    case CRIA_MATH_NODE_STYLE:
    default:
      return _cria_math_box_empty (ctx);
    }
}

CriaMathLayout *
cria_math_layout_new (CriaMathFont       *font,
                      const CriaMathNode *node,
                      gboolean            display,
                      double              size_px)
{
  CriaMathLayout *layout;
  Ctx ctx = { 0, };
  int script = font->constants[K (SCRIPT_PERCENT_SCALE_DOWN)];
  int scriptscript = font->constants[K (SCRIPT_SCRIPT_PERCENT_SCALE_DOWN)];
  double min_x = 0;
  Box box;

  g_return_val_if_fail (font != NULL, NULL);
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (size_px > 0 && isfinite (size_px), NULL);

  ctx.font = font;
  ctx.items = g_array_sized_new (FALSE, FALSE, sizeof (CriaMathItem), 32);
  ctx.sizes[0] = ctx.sizes[1] = size_px;
  ctx.sizes[2] = size_px * (script > 0 ? script : 70) / 100.0;
  ctx.sizes[3] = size_px * (scriptscript > 0 ? scriptscript : 50) / 100.0;

  box = _cria_math_layout_node (&ctx, node, display ? CRIA_MATH_STYLE_DISPLAY : CRIA_MATH_STYLE_TEXT);

  /* Negative space (\!) may push items left of the origin: the layout
   * starts at its leftmost item. */
  for (guint i = 0; i < ctx.items->len; i++)
    min_x = MIN (min_x, g_array_index (ctx.items, CriaMathItem, i).x);
  if (min_x < 0)
    {
      box.start = 0;
      box.end = ctx.items->len;
      _cria_math_box_shift (&ctx, &box, -min_x, 0);
      box.w -= min_x;
    }

  layout = g_new0 (CriaMathLayout, 1);
  layout->width = MAX (box.w, 0);
  layout->ascent = MAX (box.h, 0);
  layout->descent = MAX (box.d, 0);
  layout->items = ctx.items;
  return layout;
}

void
cria_math_layout_free (CriaMathLayout *layout)
{
  if (layout == NULL)
    return;

  g_array_unref (layout->items);
  g_free (layout);
}

/* cria-math-layout-list.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists of atoms with TeX's spacing between their classes, and tables:
 * matrices, cases, aligned derivations and arrays.
 */

#include "config.h"

#include <string.h>

#include "cria-math-layout-private.h"

/* The TeXbook's table (chapter 18): 0 none, 1 thin (3 mu), 2 medium
 * (4 mu), 3 thick (5 mu); negative ones apply in display and text style
 * only. Rows are the left atom's class, columns the right one's. */
static const signed char spacing[CRIA_MATH_N_ATOMS][CRIA_MATH_N_ATOMS] = {
  /*            ord  op  bin  rel open close punct inner */
  /* ord */   {  0,  1,  -2,  -3,  0,   0,    0,   -1 },
  /* op */    {  1,  1,   0,  -3,  0,   0,    0,   -1 },
  /* bin */   { -2, -2,   0,   0, -2,   0,    0,   -2 },
  /* rel */   { -3, -3,   0,   0, -3,   0,    0,   -3 },
  /* open */  {  0,  0,   0,   0,  0,   0,    0,    0 },
  /* close */ {  0,  1,  -2,  -3,  0,   0,    0,   -1 },
  /* punct */ { -1, -1,   0,  -1, -1,  -1,   -1,   -1 },
  /* inner */ { -1,  1,  -2,  -3, -1,   0,   -1,   -1 },
};

static const double space_mu[] = { 0, 3, 4, 5 };

CriaMathAtom
_cria_math_node_atom (const CriaMathNode *node)
{
  switch (node->kind)
    {
    case CRIA_MATH_NODE_SCRIPTS:
      return node->a != NULL ? _cria_math_node_atom (node->a) : CRIA_MATH_ATOM_ORD;
    case CRIA_MATH_NODE_FRAC:
    case CRIA_MATH_NODE_LEFT_RIGHT:
      return CRIA_MATH_ATOM_INNER;
    case CRIA_MATH_NODE_LIST:
    case CRIA_MATH_NODE_CHAR:
    case CRIA_MATH_NODE_OPNAME:
    case CRIA_MATH_NODE_DELIM:
    case CRIA_MATH_NODE_STACK:
    case CRIA_MATH_NODE_NOT:
      return node->atom;
    default:
      return CRIA_MATH_ATOM_ORD;
    }
}

static gboolean
is_glue (const CriaMathNode *node)
{
  return node->kind == CRIA_MATH_NODE_SPACE || node->kind == CRIA_MATH_NODE_STYLE;
}

Box
_cria_math_layout_list (Ctx       *ctx,
                        GPtrArray *kids,
                        int        style,
                        gboolean   after_ord)
{
  guint8 stack_classes[128];
  g_autofree guint8 *heap_classes = NULL;
  guint8 *classes = stack_classes;
  int prev = after_ord ? CRIA_MATH_ATOM_ORD : -1;
  int prev_index = -1;
  int cur_style = style;
  Box box = _cria_math_box_empty (ctx);

  if (kids->len > G_N_ELEMENTS (stack_classes))
    classes = heap_classes = g_new (guint8, kids->len);

  /* TeX's rules 5 and 6: a binary operator with nothing to operate on
   * (first, or after an operator, relation, opening or punctuation, or
   * before a relation, closing or punctuation) is an ordinary atom. */
  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);
      int cls;

      if (is_glue (kid))
        continue;
      cls = _cria_math_node_atom (kid);
      if (cls == CRIA_MATH_ATOM_BIN
          && (prev < 0 || prev == CRIA_MATH_ATOM_BIN || prev == CRIA_MATH_ATOM_OP || prev == CRIA_MATH_ATOM_REL
              || prev == CRIA_MATH_ATOM_OPEN || prev == CRIA_MATH_ATOM_PUNCT))
        cls = CRIA_MATH_ATOM_ORD;
      if ((cls == CRIA_MATH_ATOM_REL || cls == CRIA_MATH_ATOM_CLOSE || cls == CRIA_MATH_ATOM_PUNCT)
          && prev == CRIA_MATH_ATOM_BIN && prev_index >= 0)
        classes[prev_index] = CRIA_MATH_ATOM_ORD;
      classes[i] = cls;
      prev = cls;
      prev_index = i;
    }
  if (prev == CRIA_MATH_ATOM_BIN && prev_index >= 0)
    classes[prev_index] = CRIA_MATH_ATOM_ORD;

  prev = after_ord ? CRIA_MATH_ATOM_ORD : -1;
  for (guint i = 0; i < kids->len; i++)
    {
      const CriaMathNode *kid = g_ptr_array_index (kids, i);
      Box kid_box;

      if (kid->kind == CRIA_MATH_NODE_STYLE)
        {
          cur_style = kid->size;
          continue;
        }
      if (!is_glue (kid))
        {
          if (prev >= 0)
            {
              int sp = spacing[prev][classes[i]];

              if (sp > 0 || (sp < 0 && cur_style < CRIA_MATH_STYLE_SCRIPT))
                box.w += space_mu[ABS (sp)] * _cria_math_style_size (ctx, cur_style) / 18;
            }
          prev = classes[i];
        }
      kid_box = _cria_math_layout_node (ctx, kid, cur_style);
      _cria_math_box_merge (ctx, &box, &kid_box, box.w, 0);
      box.w += kid_box.w;
      if (kids->len == 1)
        {
          box.ic = kid_box.ic;
          box.glyph = kid_box.glyph;
          box.is_glyph = kid_box.is_glyph;
        }
    }
  box.end = ctx->items->len;
  return box;
}

static char
column_align (const CriaMathArray *array,
              guint                col)
{
  switch (array->env)
    {
    case CRIA_MATH_ENV_CASES:
      return 'l';
    case CRIA_MATH_ENV_ALIGNED:
      return col % 2 == 0 ? 'r' : 'l';
    case CRIA_MATH_ENV_ARRAY:
      if (array->align != NULL && col < strlen (array->align))
        return array->align[col];
      return 'c';
    default:
      return 'c';
    }
}

/* The space before column @col (> 0) in em. */
static double
column_gap (const CriaMathArray *array,
            guint                col)
{
  switch (array->env)
    {
    case CRIA_MATH_ENV_ALIGNED:
      return col % 2 == 0 ? 2.0 : 0;
    case CRIA_MATH_ENV_SMALLMATRIX:
      return 0.55;
    case CRIA_MATH_ENV_CASES:
      return 1.0;
    default:
      return 1.0;
    }
}

Box
_cria_math_layout_array (Ctx                 *ctx,
                         const CriaMathArray *array,
                         int                  style)
{
  guint rows = array->rows;
  guint cols = array->cols;
  g_autofree Box *cells = g_new0 (Box, (gsize) rows * cols);
  g_autofree double *col_w = g_new0 (double, cols + 1);
  g_autofree double *col_x = g_new0 (double, cols + 1);
  g_autofree double *row_h = g_new0 (double, rows);
  g_autofree double *row_d = g_new0 (double, rows);
  g_autofree double *row_y = g_new0 (double, rows);
  int cell_style;
  double em, strut_h, strut_d, row_sep, hline_gap, t;
  double x, y, total;
  gboolean outer_pad;
  Box box = _cria_math_box_empty (ctx);

  switch (array->env)
    {
    case CRIA_MATH_ENV_SMALLMATRIX:
      cell_style = CRIA_MATH_STYLE_SCRIPT;
      break;
    case CRIA_MATH_ENV_SUBSTACK:
      cell_style = style;
      break;
    default:
      cell_style = array->display ? CRIA_MATH_STYLE_DISPLAY : MAX (style & ~1, CRIA_MATH_STYLE_TEXT);
      if (!array->display && style < CRIA_MATH_STYLE_TEXT)
        cell_style = CRIA_MATH_STYLE_TEXT;
      break;
    }
  em = _cria_math_style_size (ctx, cell_style);
  if (array->env == CRIA_MATH_ENV_SUBSTACK)
    {
      strut_h = strut_d = 0;
      row_sep = 0.1 * em;
    }
  else
    {
      /* TeX's \strut (8.5 pt and 3.5 pt at 10 pt), and \jot between the
       * lines of a derivation. */
      strut_h = 0.85 * em;
      strut_d = 0.35 * em;
      row_sep = array->env == CRIA_MATH_ENV_ALIGNED || array->env == CRIA_MATH_ENV_GATHER ? 0.3 * em : 0;
    }
  hline_gap = 0.15 * em;
  t = _cria_math_constant (ctx, HB_OT_MATH_CONSTANT_FRACTION_RULE_THICKNESS, style);

  for (guint r = 0; r < rows; r++)
    {
      row_h[r] = strut_h;
      row_d[r] = strut_d;
      for (guint c = 0; c < cols; c++)
        {
          const CriaMathNode *cell = array->cells[r * cols + c];
          Box *b = &cells[r * cols + c];

          if (cell == NULL)
            {
              *b = _cria_math_box_empty (ctx);
              continue;
            }
          if (cell->kind == CRIA_MATH_NODE_LIST)
            *b = _cria_math_layout_list (ctx, cell->kids, cell_style,
                                         array->env == CRIA_MATH_ENV_ALIGNED && c % 2 == 1);
          else
            *b = _cria_math_layout_node (ctx, cell, cell_style);
          col_w[c] = MAX (col_w[c], b->w);
          row_h[r] = MAX (row_h[r], b->h);
          row_d[r] = MAX (row_d[r], b->d);
        }
    }

  /* Columns: matrices have no space outside their first and last column,
   * arrays have half a gap there, as in LaTeX. */
  outer_pad = array->env == CRIA_MATH_ENV_ARRAY;
  x = outer_pad ? 0.5 * em : 0;
  for (guint c = 0; c < cols; c++)
    {
      if (c > 0)
        x += column_gap (array, c) * em;
      col_x[c] = x;
      x += col_w[c];
    }
  col_x[cols] = x + (outer_pad ? 0.5 * em : 0);
  box.w = col_x[cols];

  /* Rows, from the top; \hline adds a rule and a little space. */
  y = 0;
  for (guint r = 0; r < rows; r++)
    {
      if (array->hlines[r] > 0)
        y += array->hlines[r] * (t + hline_gap);
      y += row_h[r];
      row_y[r] = y;
      y += row_d[r];
      if (r + 1 < rows)
        y += row_sep + MAX (array->row_gap[r] * em, -row_d[r]);
    }
  if (array->hlines[rows] > 0)
    y += array->hlines[rows] * (t + hline_gap);
  total = y;

  /* Tables are centred on the axis; their cells move into place. */
  {
    double axis = _cria_math_constant (ctx, HB_OT_MATH_CONSTANT_AXIS_HEIGHT, style);
    double top = -(total / 2 + axis);

    box.h = total / 2 + axis;
    box.d = total / 2 - axis;
    for (guint r = 0; r < rows; r++)
      for (guint c = 0; c < cols; c++)
        {
          Box *b = &cells[r * cols + c];
          char align = column_align (array, c);
          double dx = align == 'l' ? 0 : align == 'r' ? col_w[c] - b->w : (col_w[c] - b->w) / 2;

          _cria_math_box_shift (ctx, b, col_x[c] + dx, top + row_y[r]);
        }

    /* The rules of \hline and of | in the preamble. */
    for (guint r = 0; r <= rows; r++)
      {
        double line_y = r < rows ? top + row_y[r] - row_h[r] : top + total;

        for (guint n = 0; n < array->hlines[r]; n++)
          {
            double ry = r < rows ? line_y - (array->hlines[r] - n) * (t + hline_gap)
                                 : line_y - (array->hlines[r] - n) * (t + hline_gap) + hline_gap;

            _cria_math_emit_rule (ctx, 0, ry, box.w, t);
          }
      }
    for (guint c = 0; c <= cols && c < 64; c++)
      if (array->vlines & (G_GUINT64_CONSTANT (1) << c))
        {
          double vx = c == 0 ? 0 : c == cols ? box.w - t : (col_x[c - 1] + col_w[c - 1] + col_x[c]) / 2 - t / 2;

          _cria_math_emit_rule (ctx, vx, top, t, total);
        }
  }

  box.end = ctx->items->len;
  return box;
}

/* cria-math-layout-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boxes of the layout, shared by the files that lay out atoms, lists
 * and tables.
 */

#pragma once

#include "cria-math-private.h"

G_BEGIN_DECLS

typedef struct
{
  CriaMathFont *font;
  GArray       *items;     /* of CriaMathItem */
  double        sizes[4];  /* px: text, (text), script, scriptscript */
} Ctx;

/* A box's items are ctx->items[start, end), in its own coordinates. */
typedef struct
{
  double         w;
  double         h;         /* above the baseline */
  double         d;         /* below the baseline */
  double         ic;        /* italic correction included in w */
  guint          start;
  guint          end;
  hb_codepoint_t glyph;     /* when is_glyph: the one glyph it holds */
  gboolean       is_glyph;
} Box;

double       _cria_math_style_size       (Ctx                   *ctx,
                                          int                    style);
double       _cria_math_constant         (Ctx                   *ctx,
                                          hb_ot_math_constant_t  id,
                                          int                    style);
Box          _cria_math_box_empty        (Ctx                   *ctx);
void         _cria_math_box_shift        (Ctx                   *ctx,
                                          Box                   *box,
                                          double                 dx,
                                          double                 dy);
void         _cria_math_box_merge        (Ctx                   *ctx,
                                          Box                   *a,
                                          Box                   *b,
                                          double                 dx,
                                          double                 dy);
void         _cria_math_emit_rule        (Ctx                   *ctx,
                                          double                 x,
                                          double                 y,
                                          double                 width,
                                          double                 height);
Box          _cria_math_glyph_box        (Ctx                   *ctx,
                                          hb_codepoint_t         glyph,
                                          int                    style);
Box          _cria_math_stretch          (Ctx                   *ctx,
                                          gunichar               cp,
                                          double                 target,
                                          gboolean               horizontal,
                                          int                    style);
void         _cria_math_center_on_axis   (Ctx                   *ctx,
                                          Box                   *box,
                                          int                    style);
Box          _cria_math_delimiter        (Ctx                   *ctx,
                                          gunichar               cp,
                                          double                 target,
                                          int                    style);
double       _cria_math_delimiter_target (Ctx                   *ctx,
                                          double                 h,
                                          double                 d,
                                          int                    style);
Box          _cria_math_layout_node      (Ctx                   *ctx,
                                          const CriaMathNode    *node,
                                          int                    style);
/* cria-math-layout-list.c */
Box          _cria_math_layout_list      (Ctx                   *ctx,
                                          GPtrArray             *kids,
                                          int                    style,
                                          gboolean               after_ord);
Box          _cria_math_layout_array     (Ctx                   *ctx,
                                          const CriaMathArray   *array,
                                          int                    style);
CriaMathAtom _cria_math_node_atom        (const CriaMathNode    *node);

G_END_DECLS

/* cria-math.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * LaTeX maths as models write it: parsed into a tree, then laid out TeX's
 * way into positioned glyphs and rules, with every constant, glyph variant
 * and assembly read from an OpenType MATH font through HarfBuzz. Pure data:
 * nothing here draws, so the layout is tested without a display, and a
 * layout may be made on any thread.
 */

#pragma once

#include <glib.h>
#include <hb.h>

G_BEGIN_DECLS

#define CRIA_MATH_ERROR (cria_math_error_quark ())

typedef enum
{
  CRIA_MATH_ERROR_SYNTAX,           /* unbalanced braces, \left without \right, a stray & … */
  CRIA_MATH_ERROR_UNKNOWN_COMMAND,  /* the message names the command */
  CRIA_MATH_ERROR_TOO_DEEP,         /* nesting past CRIA_MATH_MAX_DEPTH */
  CRIA_MATH_ERROR_TOO_LONG,         /* source past CRIA_MATH_MAX_SOURCE bytes */
  CRIA_MATH_ERROR_FONT,             /* the font cannot be read or has no MATH table */
} CriaMathError;

/* Groups, scripts, fractions, environments, \left…\right: each level of
 * nesting counts one. Deeper input is an error, never a deep recursion. */
#define CRIA_MATH_MAX_DEPTH  48
#define CRIA_MATH_MAX_SOURCE (16 * 1024)

GQuark cria_math_error_quark (void);

/* A parsed formula: immutable once made. @source is the LaTeX without its
 * delimiters ("\\frac{a}{b}", or a whole "\\begin{aligned}…\\end{aligned}").
 * Any bytes: invalid UTF-8 is an error, not a crash. */
typedef struct _CriaMathNode CriaMathNode;

CriaMathNode *cria_math_parse          (const char         *source,
                                        gssize              len,
                                        GError            **error);
void          cria_math_node_free      (CriaMathNode       *node);
/* The formula in words for a screen reader, in English: "x squared plus
 * one, over two". Never empty for a parsed formula. */
char         *cria_math_node_describe  (const CriaMathNode *node);

/* An OpenType MATH font at no particular size: its MATH constants, glyph
 * variants and assemblies. Reference counted; safe to use from several
 * threads at once once made. */
typedef struct _CriaMathFont CriaMathFont;

/* Takes a reference on @font (for instance Pango's hb_font_t of the very
 * font the view draws with, so glyph indices agree). */
CriaMathFont *cria_math_font_new           (hb_font_t    *font,
                                            GError      **error);
CriaMathFont *cria_math_font_new_from_file (const char   *path,
                                            GError      **error);
CriaMathFont *cria_math_font_ref           (CriaMathFont *font);
void          cria_math_font_unref         (CriaMathFont *font);
hb_font_t    *cria_math_font_get_hb_font   (CriaMathFont *font);

typedef enum
{
  CRIA_MATH_ITEM_GLYPH,
  CRIA_MATH_ITEM_RULE,
  CRIA_MATH_ITEM_LINE,
} CriaMathItemKind;

/* Coordinates are in pixels with y growing downwards; (0, 0) is the
 * formula's origin on its baseline, so ascent is above (negative y). */
typedef struct
{
  CriaMathItemKind kind;
  guint            glyph;   /* GLYPH: glyph index in the font */
  double           x;       /* GLYPH: origin on its baseline; RULE: left; LINE: start */
  double           y;       /* GLYPH: baseline; RULE: top; LINE: start */
  double           size;    /* GLYPH: font size in px (scripts are smaller); LINE: thickness */
  double           width;   /* RULE, >= 0; LINE: end x - start x, either sign */
  double           height;  /* RULE, >= 0; LINE: end y - start y, either sign */
} CriaMathItem;

typedef struct
{
  double  width;
  double  ascent;    /* above the baseline, >= 0 */
  double  descent;   /* below the baseline, >= 0 */
  GArray *items;     /* of CriaMathItem, in drawing order */
} CriaMathLayout;

/* @display: display style (a block of its own) or text style (inline).
 * @size_px: the surrounding text's font size in pixels. */
CriaMathLayout *cria_math_layout_new  (CriaMathFont       *font,
                                       const CriaMathNode *node,
                                       gboolean            display,
                                       double              size_px);
void            cria_math_layout_free (CriaMathLayout     *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMathNode, cria_math_node_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMathFont, cria_math_font_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMathLayout, cria_math_layout_free)

G_END_DECLS

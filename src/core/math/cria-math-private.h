/* cria-math-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parsed tree, the command tables and the font, shared by the files of
 * the maths core and by its tests.
 */

#pragma once

#include <hb-ot.h>

#include "cria-math.h"

G_BEGIN_DECLS

/* TeX's atom classes: they choose the space between neighbours. */
typedef enum
{
  CRIA_MATH_ATOM_ORD,
  CRIA_MATH_ATOM_OP,
  CRIA_MATH_ATOM_BIN,
  CRIA_MATH_ATOM_REL,
  CRIA_MATH_ATOM_OPEN,
  CRIA_MATH_ATOM_CLOSE,
  CRIA_MATH_ATOM_PUNCT,
  CRIA_MATH_ATOM_INNER,
  CRIA_MATH_N_ATOMS,
} CriaMathAtom;

/* The alphabets of \mathrm, \mathbf …: letters and digits are mapped into
 * the Unicode Mathematical Alphanumeric block at parse time. */
typedef enum
{
  CRIA_MATH_VARIANT_NORMAL,  /* letters italic, digits and Greek capitals upright */
  CRIA_MATH_VARIANT_ROMAN,
  CRIA_MATH_VARIANT_BOLD,
  CRIA_MATH_VARIANT_ITALIC,
  CRIA_MATH_VARIANT_BOLD_ITALIC,
  CRIA_MATH_VARIANT_DOUBLE_STRUCK,
  CRIA_MATH_VARIANT_SCRIPT,
  CRIA_MATH_VARIANT_FRAKTUR,
  CRIA_MATH_VARIANT_SANS,
  CRIA_MATH_VARIANT_SANS_BOLD,
  CRIA_MATH_VARIANT_MONO,
} CriaMathVariant;

typedef enum
{
  CRIA_MATH_NODE_LIST,       /* kids; atom is its class when it is an item of a list */
  CRIA_MATH_NODE_CHAR,       /* cp, atom */
  CRIA_MATH_NODE_TEXT,       /* text: a run of \text, already mapped to its alphabet */
  CRIA_MATH_NODE_OPNAME,     /* text: \sin, \lim, \operatorname{…} set upright */
  CRIA_MATH_NODE_SCRIPTS,    /* a base (or NULL), b superscript, c subscript */
  CRIA_MATH_NODE_FRAC,       /* a over b; cp/cp2 delimiters (\binom); FLAG_NO_RULE */
  CRIA_MATH_NODE_SQRT,       /* a radicand, b degree or NULL */
  CRIA_MATH_NODE_LEFT_RIGHT, /* a body; cp left, cp2 right (0: none); DELIM kids of a are \middle */
  CRIA_MATH_NODE_DELIM,      /* cp; size 1…4 for \big…, 0 for \middle (the enclosing height) */
  CRIA_MATH_NODE_ACCENT,     /* a body; cp accent; FLAG_STRETCH */
  CRIA_MATH_NODE_OVERLINE,   /* a body */
  CRIA_MATH_NODE_UNDERLINE,  /* a body */
  CRIA_MATH_NODE_BRACE,      /* a body, b label or NULL; cp brace or arrow; FLAG_UNDER */
  CRIA_MATH_NODE_STACK,      /* a base, b over or NULL, c under or NULL (\overset, \xrightarrow) */
  CRIA_MATH_NODE_BOXED,      /* a body; cp 0 a frame, '/' '\\' 'X' struck out (\cancel) */
  CRIA_MATH_NODE_SPACE,      /* dim: a width in mu (18 mu to the em) */
  CRIA_MATH_NODE_PHANTOM,    /* a body; FLAG_PHANTOM_H / _V: which dimensions stay */
  CRIA_MATH_NODE_STYLE,      /* size: the style the rest of the list takes */
  CRIA_MATH_NODE_ARRAY,      /* array: rows of cells */
  CRIA_MATH_NODE_NOT,        /* a: overstruck with a slash */
} CriaMathNodeKind;

enum
{
  CRIA_MATH_FLAG_NO_RULE     = 1 << 0,  /* FRAC: \binom */
  CRIA_MATH_FLAG_LIMITS      = 1 << 1,  /* OP: limits above and below, always */
  CRIA_MATH_FLAG_NOLIMITS    = 1 << 2,  /* OP: limits at the side, always */
  CRIA_MATH_FLAG_DISPLAY_LIM = 1 << 3,  /* OP: limits above and below in display style */
  CRIA_MATH_FLAG_STRETCH     = 1 << 4,  /* ACCENT: as wide as its body */
  CRIA_MATH_FLAG_UNDER       = 1 << 5,  /* BRACE: under its body */
  CRIA_MATH_FLAG_PHANTOM_H   = 1 << 6,
  CRIA_MATH_FLAG_PHANTOM_V   = 1 << 7,
  CRIA_MATH_FLAG_BIG_OP      = 1 << 8,  /* CHAR: a large operator (\sum, \int) */
  CRIA_MATH_FLAG_HAS_SUP     = 1 << 9,  /* SCRIPTS: ^ was written (not just primes) */
  CRIA_MATH_FLAG_PRIMES      = 1 << 10, /* SCRIPTS: the superscript is primes only (x_1') */
};

/* The styles of TeX: even ones are normal, odd ones cramped. */
enum
{
  CRIA_MATH_STYLE_DISPLAY = 0,
  CRIA_MATH_STYLE_TEXT = 2,
  CRIA_MATH_STYLE_SCRIPT = 4,
  CRIA_MATH_STYLE_SCRIPTSCRIPT = 6,
};

typedef enum
{
  CRIA_MATH_ENV_MATRIX,      /* centred columns, \arraycolsep around each */
  CRIA_MATH_ENV_SMALLMATRIX,
  CRIA_MATH_ENV_CASES,       /* left-aligned columns, a brace on the left */
  CRIA_MATH_ENV_ALIGNED,     /* right, left, right, left … columns, no space inside a pair */
  CRIA_MATH_ENV_GATHER,      /* one centred column */
  CRIA_MATH_ENV_ARRAY,       /* columns from the preamble {lcr|} */
  CRIA_MATH_ENV_SUBSTACK,    /* \substack: centred, script style */
} CriaMathEnv;

typedef struct
{
  CriaMathEnv   env;
  guint         rows;
  guint         cols;
  CriaMathNode **cells;      /* rows × cols, row-major; NULL for a missing cell */
  char         *align;       /* one of l c r per column (ARRAY), NUL-terminated */
  guint64       vlines;      /* bit i: a rule before column i (ARRAY) */
  double       *row_gap;     /* rows: extra space after each row, in em (\\[2pt]) */
  guint8       *hlines;      /* rows + 1: \hline count before row i */
  gboolean      display;     /* cells in display style (aligned, gather, dcases) */
} CriaMathArray;

struct _CriaMathNode
{
  CriaMathNodeKind kind;
  CriaMathAtom     atom;
  guint            flags;
  gunichar         cp;
  gunichar         cp2;
  int              size;
  double           dim;
  char            *text;
  CriaMathNode    *a;
  CriaMathNode    *b;
  CriaMathNode    *c;
  GPtrArray       *kids;     /* LIST: of CriaMathNode */
  CriaMathArray   *array;    /* ARRAY */
};

/* cria-math-parse.c */
CriaMathNode *_cria_math_node_new  (CriaMathNodeKind kind);

/* cria-math-symbols.c */
typedef enum
{
  CRIA_MATH_CMD_NONE,
  CRIA_MATH_CMD_SYMBOL,      /* cp, atom (flags: BIG_OP, DISPLAY_LIM) */
  CRIA_MATH_CMD_OPNAME,      /* an upright name: name, flags */
  CRIA_MATH_CMD_FRAC,        /* arg: 0 frac, 1 dfrac, 2 tfrac, 3 cfrac, 4 binom, 5 dbinom, 6 tbinom */
  CRIA_MATH_CMD_SQRT,
  CRIA_MATH_CMD_LEFT,
  CRIA_MATH_CMD_MIDDLE,
  CRIA_MATH_CMD_RIGHT,
  CRIA_MATH_CMD_BIG,         /* arg: size 1…4; atom */
  CRIA_MATH_CMD_BEGIN,
  CRIA_MATH_CMD_END,
  CRIA_MATH_CMD_TEXT,        /* arg: variant */
  CRIA_MATH_CMD_FONT,        /* arg: variant, for one argument */
  CRIA_MATH_CMD_FONT_SWITCH, /* arg: variant, for the rest of the group (\rm, \bf) */
  CRIA_MATH_CMD_OPERATORNAME,/* arg: 1 for \operatorname* */
  CRIA_MATH_CMD_ACCENT,      /* cp; flags: STRETCH */
  CRIA_MATH_CMD_OVERLINE,
  CRIA_MATH_CMD_UNDERLINE,
  CRIA_MATH_CMD_BRACE,       /* cp; flags: UNDER */
  CRIA_MATH_CMD_STACK,       /* arg: 0 overset, 1 underset, 2 stackrel */
  CRIA_MATH_CMD_XARROW,      /* cp */
  CRIA_MATH_CMD_BOXED,
  CRIA_MATH_CMD_SPACE,       /* dim in mu */
  CRIA_MATH_CMD_HSPACE,
  CRIA_MATH_CMD_PHANTOM,     /* flags: PHANTOM_H / _V */
  CRIA_MATH_CMD_SMASH,
  CRIA_MATH_CMD_STYLE,       /* arg: style */
  CRIA_MATH_CMD_COLOR,       /* \color{c}: the colour is ignored */
  CRIA_MATH_CMD_TEXTCOLOR,   /* \textcolor{c}{x}: x */
  CRIA_MATH_CMD_IGNORE_ARG,  /* \label{…} */
  CRIA_MATH_CMD_IGNORE,      /* \nonumber, \notag, \displaylimits, \left. … */
  CRIA_MATH_CMD_IDENTITY,    /* \mathclap{x}, \ensuremath{x}: x */
  CRIA_MATH_CMD_TAG,
  CRIA_MATH_CMD_NOT,
  CRIA_MATH_CMD_MOD,         /* arg: 0 \pmod, 1 \bmod, 2 \mod, 3 \pod */
  CRIA_MATH_CMD_LIMITS,      /* arg: 1 \limits, 0 \nolimits */
  CRIA_MATH_CMD_HLINE,
  CRIA_MATH_CMD_CLASS,       /* \mathrel{…}: atom */
  CRIA_MATH_CMD_SUBSTACK,
  CRIA_MATH_CMD_INFIX,       /* arg: 0 \over, 1 \choose, 2 \atop */
} CriaMathCmdKind;

typedef struct
{
  const char     *name;
  CriaMathCmdKind kind;
  gunichar        cp;
  guint8          atom;
  guint16         flags;
  int             arg;
} CriaMathCommand;

const CriaMathCommand *_cria_math_command_lookup   (const char *name,
                                                    gsize       len);
/* The class and flags of a character written directly (α, ≤, +). */
CriaMathAtom           _cria_math_char_atom        (gunichar    cp,
                                                    guint      *flags);
/* A delimiter after \left, \big …: a character or a command. 0 for ".". */
gboolean               _cria_math_delimiter_lookup (const char *name,
                                                    gsize       len,
                                                    gunichar   *cp);
gunichar               _cria_math_map_variant      (gunichar        cp,
                                                    CriaMathVariant variant);
/* The negated form of a relation for \not, or 0. */
gunichar               _cria_math_negate           (gunichar    cp);
/* The command that writes @cp (without its backslash), or NULL. */
const char            *_cria_math_command_name     (gunichar    cp);
/* Words for a symbol ("plus", "alpha", "less than or equal to"), or NULL. */
const char            *_cria_math_symbol_words     (gunichar    cp);

/* cria-math-font.c */
struct _CriaMathFont
{
  gatomicrefcount ref_count;
  hb_font_t      *draw_font;   /* the font handed in: glyphs are drawn from it */
  hb_font_t      *font;        /* the same face at one unit per font unit */
  double          upem;
  int             constants[HB_OT_MATH_CONSTANT_RADICAL_DEGREE_BOTTOM_RAISE_PERCENT + 1];
  int             min_overlap[2];  /* vertical, horizontal */
};

typedef struct
{
  double advance;
  double ascent;    /* ink above the baseline (may be negative) */
  double descent;   /* ink below the baseline (may be negative) */
  double italic;
  double ink_left;  /* ink extent from the origin */
  double ink_right;
} CriaMathGlyphMetrics;

hb_codepoint_t _cria_math_font_glyph   (CriaMathFont         *font,
                                        gunichar              cp);
void           _cria_math_font_metrics (CriaMathFont         *font,
                                        hb_codepoint_t        glyph,
                                        CriaMathGlyphMetrics *m);

G_END_DECLS

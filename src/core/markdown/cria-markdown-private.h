/* cria-markdown-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-markdown.h"

G_BEGIN_DECLS

typedef enum
{
  DELIM_DOLLAR,
  DELIM_DOLLARS,
  DELIM_PAREN,
  DELIM_BRACKET,
  DELIM_ENV,
} MathDelim;

/* What closes a formula being read: its delimiter, for an environment
 * which one and how deep the same environment is nested in itself. */
typedef struct
{
  MathDelim delim;
  int       env;
  guint     depth;
} MathCloser;

/* The line scanner that finds stable points (cria-markdown-scanner.c). Its
 * state is kept between appends, so a stream reads each line once. */
typedef enum
{
  CONTEXT_NONE,
  CONTEXT_PARAGRAPH,
  CONTEXT_LIST,
  CONTEXT_QUOTE,
} Context;

typedef struct
{
  Context  context;
  gboolean after_blank;
  gboolean after_fence;
  /* The column where the content of the current top-level list item starts. */
  guint    item_indent;
  gboolean in_fence;
  /* The fence was opened inside a list item or block quote (the context),
   * and ends with it. */
  gboolean fence_nested;
  Context  fence_context;
  char     fence_char;
  guint    fence_len;
  /* A display formula opened at the margin, whose closing delimiter
   * ending a line makes its first line (see Scanner) and the line after
   * it stable points, as a closing fence does. */
  gboolean   math_open;
  gboolean   math_body;
  guint      math_lines;
  MathCloser math;
  /* Where its first line starts, and whether that started a run. */
  gsize      math_line;
  gboolean   math_run_start;
  /* It closed after a line of the same run: the finder must confirm. */
  gboolean   math_closed;
  /* A line of this paragraph has a "|": md4c 0.4.8 goes on with a table
   * through any line, a heading too. */
  gboolean   pipe_seen;
} ScanState;

typedef struct
{
  ScanState state;
  /* The start of the first line not read yet. */
  gsize     line_start;
  /* How far the end of that line has been looked for. */
  gsize     search_from;
  /* That line was already reported as a stable point from its first byte. */
  gboolean  reported;
  /* The last stable point reported: where the current run starts. */
  gsize     run_start;
  /* The run in which the finder did not confirm a display block: it is
   * not asked again until the next run, so the work stays linear. */
  gsize     unconfirmed_run;
} Scanner;

typedef void (*StableFunc) (gsize    offset,
                            gpointer user_data);

/* Reads the complete lines of text[0, len) not read yet and calls @func with
 * the offset of each stable point. */
void                  _cria_markdown_scanner_feed              (Scanner            *sc,
                                                                const char         *text,
                                                                gsize               len,
                                                                gboolean            at_end,
                                                                StableFunc          func,
                                                                gpointer            user_data);

/* Parses text[start, end) with md4c on its own and appends its top-level
 * blocks to @out, counting the bytes in @n_parsed when not %NULL. @tail is
 * TRUE for a stream's unfinished tail, where a formula still open at the
 * end of the text is shown as arriving maths rather than as plain text. */
void                  _cria_markdown_parse_run                 (const char         *text,
                                                                gsize               start,
                                                                gsize               end,
                                                                gboolean            tail,
                                                                GPtrArray          *out,
                                                                gsize              *n_parsed);

/* Maths in a run (cria-markdown-math.c). A region is a formula found
 * before md4c sees the run: its bytes [start, end) of the run, delimiters
 * included. */
typedef struct
{
  gsize    start;
  gsize    end;
  /* On lines of its own: md4c is shown a one-line ATX heading in its place,
   * which ends any paragraph before it and continues none. */
  gboolean block;
  gboolean display;
  /* Still open at the end of a stream's tail. */
  gboolean pending;
  /* The source with delimiters, container markers of its later lines left
   * out; the LaTeX to typeset (%NULL when pending). */
  char    *text;
  char    *math;
} MathRegion;

/* The pieces the stable-point scanner shares with the finder, so that both
 * agree on where a display block on lines of its own ends. */
gboolean              _cria_markdown_math_opens_block          (const char         *text,
                                                                gsize               pos,
                                                                gsize               line_end,
                                                                MathCloser         *closer,
                                                                gsize              *body_start);
gboolean              _cria_markdown_math_find_closer          (MathCloser         *closer,
                                                                const char         *text,
                                                                gsize               from,
                                                                gsize               line_end,
                                                                gsize              *close_start,
                                                                gsize              *close_end);
gboolean              _cria_markdown_math_line_stops           (const char         *text,
                                                                gsize               len);
gboolean              _cria_markdown_math_block_ends_text      (const char         *text,
                                                                gsize               len,
                                                                gsize               line);
/* A formula spans at most this many lines. */
#define CRIA_MARKDOWN_MAX_MATH_LINES 400

/* Finds the formulas of text[0, len), a run of valid UTF-8, in order. */
GArray               *_cria_markdown_math_find                 (const char         *text,
                                                                gsize               len,
                                                                gboolean            tail);
/* Returns the copy of text[0, len) that md4c parses: each formula's bytes
 * replaced by inert letters (a block's by "# " and letters), so that nothing
 * in it is Markdown and md4c keeps it whole. A pending block too short to
 * make a heading is padded at the end; @fill_len is the copy's length. */
char                 *_cria_markdown_math_fill                 (const char         *text,
                                                                gsize               len,
                                                                GArray             *regions,
                                                                gsize              *fill_len);
CriaMarkdownDocument *_cria_markdown_document_new              (void);
GPtrArray            *_cria_markdown_document_get_blocks       (CriaMarkdownDocument *doc);

/* How many source bytes the stream has handed to md4c so far, final runs and
 * tails together: tests use it to prove that streaming is not quadratic. */
gsize                 _cria_markdown_stream_get_n_parsed_bytes (CriaMarkdownStream *stream);

/* Parses @text as one run, without splitting it at stable points: tests
 * compare it with cria_markdown_parse() to check that the splitting never
 * changes the result. */
CriaMarkdownDocument *_cria_markdown_parse_single_run          (const char         *text,
                                                                gsize               len);

G_END_DECLS

/* cria-markdown.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CRIA_MARKDOWN_BLOCK_PARAGRAPH,
  CRIA_MARKDOWN_BLOCK_HEADING,
  CRIA_MARKDOWN_BLOCK_CODE,
  CRIA_MARKDOWN_BLOCK_QUOTE,
  CRIA_MARKDOWN_BLOCK_LIST,
  CRIA_MARKDOWN_BLOCK_LIST_ITEM,
  CRIA_MARKDOWN_BLOCK_TABLE,
  CRIA_MARKDOWN_BLOCK_RULE,
  CRIA_MARKDOWN_BLOCK_MATH,
} CriaMarkdownBlockKind;

typedef enum
{
  CRIA_MARKDOWN_SPAN_BOLD,
  CRIA_MARKDOWN_SPAN_ITALIC,
  CRIA_MARKDOWN_SPAN_STRIKE,
  CRIA_MARKDOWN_SPAN_CODE,
  CRIA_MARKDOWN_SPAN_LINK,
  CRIA_MARKDOWN_SPAN_MATH,
} CriaMarkdownSpanKind;

typedef enum
{
  CRIA_MARKDOWN_TASK_NONE,
  CRIA_MARKDOWN_TASK_UNCHECKED,
  CRIA_MARKDOWN_TASK_CHECKED,
} CriaMarkdownTask;

typedef enum
{
  CRIA_MARKDOWN_ALIGN_DEFAULT,
  CRIA_MARKDOWN_ALIGN_LEFT,
  CRIA_MARKDOWN_ALIGN_CENTER,
  CRIA_MARKDOWN_ALIGN_RIGHT,
} CriaMarkdownAlign;

/* An attribute over the bytes [start, end) of a block's or cell's text.
 * Spans are sorted by start; an enclosing span comes before the spans it
 * contains. @href is set for links only, exactly as the source gave it
 * (entities decoded): the view decides whether and how to open it. Images
 * become links to their source, with their alt text as text.
 *
 * A MATH span covers a formula's whole source with its delimiters ("$x^2$",
 * "\(a_1\)", "$$\frac{a}{b}$$"), so the text still reads as the LaTeX the
 * model wrote. Nothing inside it is Markdown, no other span starts or ends
 * inside it, and it holds no other span. @math is the LaTeX to typeset,
 * without delimiters, or %NULL while the formula is still arriving at the
 * end of a stream's tail (draw its source dim). @display is TRUE for
 * "$$…$$" and "\[…\]" met inside a line of text. See docs/markdown.md,
 * "Maths". */
typedef struct
{
  guint                start;
  guint                end;
  CriaMarkdownSpanKind kind;
  char                *href;
  char                *math;
  gboolean             display;
} CriaMarkdownSpan;

/* A table cell: plain text plus spans, like a paragraph. */
typedef struct
{
  char   *text;
  GArray *spans;
} CriaMarkdownCell;

typedef struct
{
  gboolean   header;
  GPtrArray *cells;
} CriaMarkdownTableRow;

/* A block of a parsed document. All fields are read-only; blocks are
 * reference counted and immutable once parsed, so a view may keep the final
 * blocks of a stream for as long as it shows them.
 *
 * Text is always plain UTF-8 with entities decoded: nothing in it is markup,
 * and raw HTML in the source comes out as literal characters.
 *
 * - PARAGRAPH, HEADING: @text and @spans; soft breaks are spaces, hard
 *   breaks "\n". HEADING has @level 1–6.
 * - CODE: @text is the code verbatim without its trailing newline, @spans is
 *   empty, @language the first word of the fence's info string or %NULL.
 * - QUOTE: @children.
 * - LIST: @ordered, @start (ordered lists), @tight, and LIST_ITEM @children.
 * - LIST_ITEM: @task and @children (the text of a tight item is a PARAGRAPH
 *   child too).
 * - TABLE: @n_columns, @aligns (one CriaMarkdownAlign per column) and @rows
 *   of CriaMarkdownTableRow.
 * - RULE: nothing.
 * - MATH: display maths on lines of its own ("$$…$$", "\[…\]" or a bare
 *   "\begin{aligned}…\end{aligned}"): @text is its whole source with its
 *   delimiters as written, without container markers ("> ", a list item's
 *   indent) and without the trailing newline; @spans is empty; @math is the
 *   LaTeX to typeset (for "$$" and "\[" the body, for a bare environment
 *   the whole "\begin…\end"), or %NULL while it is still arriving at the
 *   end of a stream's tail.
 *
 * @source_start and @source_end are set on top-level blocks only: the byte
 * range of the source run the block was parsed from. A run is a stretch of
 * whole lines between two stable points (see cria_markdown_stable_prefix());
 * blocks parsed from the same run share it. */
typedef struct
{
  CriaMarkdownBlockKind kind;
  gsize                 source_start;
  gsize                 source_end;

  char                 *text;
  GArray               *spans;
  GPtrArray            *children;

  guint                 level;
  char                 *language;

  gboolean              ordered;
  guint                 start;
  gboolean              tight;

  CriaMarkdownTask      task;

  guint                 n_columns;
  GArray               *aligns;
  GPtrArray            *rows;

  char                 *math;
} CriaMarkdownBlock;

#define CRIA_TYPE_MARKDOWN_BLOCK (cria_markdown_block_get_type ())

GType              cria_markdown_block_get_type (void) G_GNUC_CONST;
CriaMarkdownBlock *cria_markdown_block_ref      (CriaMarkdownBlock *block);
void               cria_markdown_block_unref    (CriaMarkdownBlock *block);

/* How deep blocks nest: quotes, lists and list items count one level each,
 * so a list item holds a list and an item for every level of an outline.
 * Deeper containers are not made: their content is kept, in order, in the
 * deepest container allowed, so that text nested any deeper is shown flat
 * rather than lost. Every walk over the tree (freeing, dumping, building
 * widgets) stays within this depth, plus one for a table. */
#define CRIA_MARKDOWN_MAX_DEPTH 24

/* An ordered run of top-level blocks. */
typedef struct _CriaMarkdownDocument CriaMarkdownDocument;

CriaMarkdownDocument *cria_markdown_parse                 (const char           *text,
                                                           gsize                 len);
void                  cria_markdown_document_free         (CriaMarkdownDocument *doc);
guint                 cria_markdown_document_get_n_blocks (CriaMarkdownDocument *doc);
CriaMarkdownBlock    *cria_markdown_document_get_block    (CriaMarkdownDocument *doc,
                                                           guint                 index);
char                 *cria_markdown_document_dump         (CriaMarkdownDocument *doc);
char                 *cria_markdown_block_dump            (CriaMarkdownBlock    *block);

gsize                 cria_markdown_stable_prefix         (const char           *text,
                                                           gsize                 len);

/* Parses Markdown as it streams in. Appended text becomes final block by
 * block: a final block never changes again, so a view renders it once. Only
 * the unfinished tail is parsed again on request, and the work per append is
 * proportional to the appended text and the tail, never to the whole text. */
typedef struct _CriaMarkdownStream CriaMarkdownStream;

CriaMarkdownStream   *cria_markdown_stream_new                (void);
void                  cria_markdown_stream_free               (CriaMarkdownStream *stream);
guint                 cria_markdown_stream_append             (CriaMarkdownStream *stream,
                                                               const char         *text,
                                                               gssize              len);
guint                 cria_markdown_stream_finish             (CriaMarkdownStream *stream);
guint                 cria_markdown_stream_get_n_final_blocks (CriaMarkdownStream *stream);
CriaMarkdownBlock    *cria_markdown_stream_get_final_block    (CriaMarkdownStream *stream,
                                                               guint               index);
CriaMarkdownDocument *cria_markdown_stream_get_tail           (CriaMarkdownStream *stream);
const char           *cria_markdown_stream_get_text           (CriaMarkdownStream *stream);
gsize                 cria_markdown_stream_get_stable_length  (CriaMarkdownStream *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMarkdownBlock, cria_markdown_block_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMarkdownDocument, cria_markdown_document_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaMarkdownStream, cria_markdown_stream_free)

G_END_DECLS

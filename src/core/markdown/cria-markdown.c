/* cria-markdown.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <md4c.h>

#include "cria-markdown-private.h"

/* Model answers are GitHub-flavoured Markdown. Raw HTML is never markup here:
 * with MD_FLAG_NOHTML md4c hands it over as ordinary text, which ends up as
 * literal characters in the block text. */
#define PARSER_FLAGS (MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | \
                      MD_FLAG_TASKLISTS | MD_FLAG_PERMISSIVEAUTOLINKS)

struct _CriaMarkdownDocument
{
  GPtrArray *blocks;
};

/* Blocks */

static void
span_clear (gpointer data)
{
  CriaMarkdownSpan *span = data;

  g_clear_pointer (&span->href, g_free);
  g_clear_pointer (&span->math, g_free);
}

static GArray *
span_array_new (void)
{
  GArray *spans = g_array_new (FALSE, TRUE, sizeof (CriaMarkdownSpan));

  g_array_set_clear_func (spans, span_clear);
  return spans;
}

static void
cell_free (gpointer data)
{
  CriaMarkdownCell *cell = data;

  g_free (cell->text);
  g_clear_pointer (&cell->spans, g_array_unref);
  g_free (cell);
}

static void
row_free (gpointer data)
{
  CriaMarkdownTableRow *row = data;

  g_ptr_array_unref (row->cells);
  g_free (row);
}

/* The children of blocks being freed on this thread, while a release loop
 * runs further up the stack. */
static GPrivate orphans_key;

/* Releases @children, an array without a free function, without recursing:
 * freeing a block whose children are freed in turn would take one stack
 * frame per level. The outermost release on a thread loops over a work list
 * to which the blocks it frees add their own children, so freeing takes the
 * same stack however deep the tree. */
static void
release_children (GPtrArray *children)
{
  GPtrArray *orphans = g_private_get (&orphans_key);

  if (orphans != NULL)
    {
      for (guint i = 0; i < children->len; i++)
        g_ptr_array_add (orphans, g_ptr_array_index (children, i));
      g_ptr_array_unref (children);
      return;
    }

  g_private_set (&orphans_key, children);
  while (children->len > 0)
    cria_markdown_block_unref (g_ptr_array_steal_index_fast (children, children->len - 1));
  g_private_set (&orphans_key, NULL);
  g_ptr_array_unref (children);
}

static void
block_clear (gpointer data)
{
  CriaMarkdownBlock *block = data;

  g_free (block->text);
  g_clear_pointer (&block->spans, g_array_unref);
  if (block->children != NULL)
    release_children (g_steal_pointer (&block->children));
  g_free (block->language);
  g_clear_pointer (&block->aligns, g_array_unref);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  g_free (block->math);
}

static CriaMarkdownBlock *
block_new (CriaMarkdownBlockKind kind)
{
  CriaMarkdownBlock *block = g_atomic_rc_box_new0 (CriaMarkdownBlock);

  block->kind = kind;
  if (kind == CRIA_MARKDOWN_BLOCK_QUOTE
      || kind == CRIA_MARKDOWN_BLOCK_LIST
      || kind == CRIA_MARKDOWN_BLOCK_LIST_ITEM)
    block->children = g_ptr_array_new ();
  if (kind == CRIA_MARKDOWN_BLOCK_TABLE)
    {
      block->aligns = g_array_new (FALSE, TRUE, sizeof (CriaMarkdownAlign));
      block->rows = g_ptr_array_new_with_free_func (row_free);
    }
  return block;
}

CriaMarkdownBlock *
cria_markdown_block_ref (CriaMarkdownBlock *block)
{
  g_return_val_if_fail (block != NULL, NULL);

  return g_atomic_rc_box_acquire (block);
}

void
cria_markdown_block_unref (CriaMarkdownBlock *block)
{
  g_return_if_fail (block != NULL);

  g_atomic_rc_box_release_full (block, block_clear);
}

G_DEFINE_BOXED_TYPE (CriaMarkdownBlock, cria_markdown_block,
                     cria_markdown_block_ref, cria_markdown_block_unref)

CriaMarkdownDocument *
_cria_markdown_document_new (void)
{
  CriaMarkdownDocument *doc = g_new0 (CriaMarkdownDocument, 1);

  doc->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_markdown_block_unref);
  return doc;
}

GPtrArray *
_cria_markdown_document_get_blocks (CriaMarkdownDocument *doc)
{
  return doc->blocks;
}

void
cria_markdown_document_free (CriaMarkdownDocument *doc)
{
  if (doc == NULL)
    return;

  g_ptr_array_unref (doc->blocks);
  g_free (doc);
}

guint
cria_markdown_document_get_n_blocks (CriaMarkdownDocument *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->blocks->len;
}

/* Returns: (transfer none): the block at @index */
CriaMarkdownBlock *
cria_markdown_document_get_block (CriaMarkdownDocument *doc,
                                  guint                 index)
{
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (index < doc->blocks->len, NULL);

  return g_ptr_array_index (doc->blocks, index);
}

/* Entities */

typedef struct
{
  const char *name;
  const char *utf8;
} Entity;

/* md4c does not know entity names; these are the ones models and the pages
 * they quote actually use. Anything else stays as written. */
static const Entity entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", "\302\240" }, { "copy", "©" }, { "reg", "®" }, { "trade", "™" },
  { "hellip", "…" }, { "mdash", "—" }, { "ndash", "–" }, { "laquo", "«" },
  { "raquo", "»" }, { "lsquo", "‘" }, { "rsquo", "’" }, { "ldquo", "“" },
  { "rdquo", "”" }, { "bull", "•" }, { "middot", "·" }, { "times", "×" },
  { "divide", "÷" }, { "deg", "°" }, { "plusmn", "±" }, { "euro", "€" },
  { "pound", "£" }, { "yen", "¥" }, { "cent", "¢" }, { "sect", "§" },
  { "para", "¶" }, { "larr", "←" }, { "rarr", "→" }, { "uarr", "↑" },
  { "darr", "↓" }, { "harr", "↔" }, { "lArr", "⇐" }, { "rArr", "⇒" },
  { "hArr", "⇔" }, { "le", "≤" }, { "ge", "≥" }, { "ne", "≠" },
  { "asymp", "≈" }, { "infin", "∞" }, { "shy", "\302\255" }, { "ensp", "\342\200\202" },
  { "emsp", "\342\200\203" }, { "thinsp", "\342\200\211" }, { "zwj", "\342\200\215" },
  { "zwnj", "\342\200\214" },
};

static void
append_entity (GString    *out,
               const char *text,
               gsize       size)
{
  g_assert (size >= 2);

  if (text[0] == '&' && text[size - 1] == ';' && size >= 4 && text[1] == '#')
    {
      gboolean hex = text[2] == 'x' || text[2] == 'X';
      const char *digits = text + (hex ? 3 : 2);
      gsize n_digits = size - 1 - (digits - text);
      guint64 value = 0;

      /* md4c only reports well-formed references (at most 7 decimal or 6
       * hex digits), so the value cannot overflow. */
      for (gsize i = 0; i < n_digits; i++)
        value = value * (hex ? 16 : 10) + g_ascii_xdigit_value (digits[i]);

      /* CommonMark turns NUL, surrogates and out-of-range values into the
       * replacement character. */
      if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
        value = 0xFFFD;
      g_string_append_unichar (out, (gunichar) value);
      return;
    }

  if (text[0] == '&' && text[size - 1] == ';')
    {
      for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
        {
          if (strlen (entities[i].name) == size - 2
              && memcmp (entities[i].name, text + 1, size - 2) == 0)
            {
              g_string_append (out, entities[i].utf8);
              return;
            }
        }
    }

  g_string_append_len (out, text, size);
}

/* The run md4c parses is a copy in which formulas are letters (see
 * cria-markdown-math.c); text md4c points to inside the copy is read from
 * the run itself, at the same offset. */
typedef struct
{
  const char *fill;
  gsize       fill_len;
  const char *source;
  gsize       source_len;
} RunText;

static gboolean
run_text_offset (const RunText *run,
                 const char    *text,
                 gsize          size,
                 gsize         *offset)
{
  guintptr p = (guintptr) text;
  guintptr base = (guintptr) run->fill;

  if (run->fill == NULL || p < base || p + size > base + run->fill_len)
    return FALSE;
  *offset = p - base;
  return TRUE;
}

static const char *
run_text_source (const RunText *run,
                 const char    *text,
                 gsize          size)
{
  gsize offset;

  if (run_text_offset (run, text, size, &offset) && offset + size <= run->source_len)
    return run->source + offset;
  return text;
}

static char *
attribute_to_string (const RunText      *run,
                     const MD_ATTRIBUTE *attr)
{
  GString *out;

  if (attr->text == NULL || attr->size == 0)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; attr->substr_offsets[i] < attr->size; i++)
    {
      gsize size = attr->substr_offsets[i + 1] - attr->substr_offsets[i];
      const char *piece = run_text_source (run, attr->text + attr->substr_offsets[i], size);

      if (attr->substr_types[i] == MD_TEXT_ENTITY)
        append_entity (out, piece, size);
      else if (attr->substr_types[i] == MD_TEXT_NULLCHAR)
        g_string_append (out, "\357\277\275");
      else
        g_string_append_len (out, piece, size);
    }
  return g_string_free (out, FALSE);
}

/* Building blocks from md4c's callbacks */

typedef struct
{
  GPtrArray            *top;
  /* Open QUOTE, LIST, LIST_ITEM and TABLE blocks, innermost last. */
  GPtrArray            *containers;
  /* The open paragraph, heading or code block, or table cell, whose text and
   * spans are being collected. */
  CriaMarkdownBlock    *leaf;
  CriaMarkdownCell     *cell;
  GString              *text;
  GArray               *spans;
  GArray               *open_spans;
  /* md4c sends the text of a tight list item without a paragraph around
   * it; the builder makes one so that items always hold blocks. */
  gboolean              implicit_leaf;
  gboolean              in_head;
  CriaMarkdownTableRow *row;
  /* Quotes, lists and items opened past CRIA_MARKDOWN_MAX_DEPTH: they make
   * no block, and their content goes to the innermost open container. */
  guint                 n_flattened;

  RunText               run;
  /* The formulas of the run, in order. */
  GArray               *regions;
  /* The heading md4c made of a formula on lines of its own: the open leaf
   * becomes a MATH block. */
  const MathRegion     *leaf_math;
} Builder;

static CriaMarkdownBlock *
builder_container (Builder *b)
{
  if (b->containers->len == 0)
    return NULL;
  return g_ptr_array_index (b->containers, b->containers->len - 1);
}

static void
builder_add (Builder           *b,
             CriaMarkdownBlock *block)
{
  CriaMarkdownBlock *parent = builder_container (b);

  if (parent != NULL && parent->children != NULL)
    g_ptr_array_add (parent->children, block);
  else
    g_ptr_array_add (b->top, block);
}

static void
builder_begin_text (Builder *b)
{
  g_assert (b->text == NULL);

  b->text = g_string_new (NULL);
  b->spans = span_array_new ();
  g_array_set_size (b->open_spans, 0);
}

/* Spans that cover no text (such as "[](https://example.com)") would give
 * the view nothing to show, so they are dropped. */
static GArray *
builder_take_spans (Builder *b)
{
  GArray *spans = g_steal_pointer (&b->spans);

  for (guint i = spans->len; i > 0; i--)
    {
      CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i - 1);

      if (span->end <= span->start)
        g_array_remove_index (spans, i - 1);
    }
  return spans;
}

static void
builder_end_leaf (Builder *b)
{
  CriaMarkdownBlock *leaf = g_steal_pointer (&b->leaf);

  g_assert (leaf != NULL);

  if (leaf->kind == CRIA_MARKDOWN_BLOCK_CODE
      && b->text->len > 0
      && b->text->str[b->text->len - 1] == '\n')
    g_string_truncate (b->text, b->text->len - 1);

  leaf->text = g_string_free (g_steal_pointer (&b->text), FALSE);
  leaf->spans = builder_take_spans (b);
  b->implicit_leaf = FALSE;

  if (b->leaf_math != NULL)
    {
      const MathRegion *region = g_steal_pointer (&b->leaf_math);

      /* Nothing can follow the formula on its heading line, but should
       * anything have, the heading stays one and keeps all its text. */
      if (leaf->kind == CRIA_MARKDOWN_BLOCK_HEADING && strcmp (leaf->text, region->text) == 0)
        {
          leaf->kind = CRIA_MARKDOWN_BLOCK_MATH;
          leaf->level = 0;
          leaf->math = g_strdup (region->math);
        }
    }
}

static void
builder_close_implicit (Builder *b)
{
  if (b->implicit_leaf)
    builder_end_leaf (b);
}

static void
builder_begin_leaf (Builder              *b,
                    CriaMarkdownBlockKind kind,
                    gboolean              implicit)
{
  builder_close_implicit (b);

  b->leaf = block_new (kind);
  b->implicit_leaf = implicit;
  builder_add (b, b->leaf);
  builder_begin_text (b);
}

static void
builder_push (Builder           *b,
              CriaMarkdownBlock *block)
{
  builder_close_implicit (b);
  builder_add (b, block);
  g_ptr_array_add (b->containers, block);
}

/* Opens a quote, list or list item unless that would nest blocks deeper
 * than CRIA_MARKDOWN_MAX_DEPTH. Past it, the container is flattened: its
 * content joins the innermost open container, in order, as if written
 * there. A list always gets its first level of items (a list holds items
 * only), and once one container is flattened so is everything inside it,
 * so the flattened ones are always the innermost and a counter tracks
 * them. The work per nesting level is constant, however deep the input. */
static void
builder_push_container (Builder              *b,
                        CriaMarkdownBlockKind kind,
                        MD_BLOCKTYPE          type,
                        void                 *detail)
{
  CriaMarkdownBlock *block;

  if (b->n_flattened > 0
      || (kind != CRIA_MARKDOWN_BLOCK_LIST_ITEM && b->containers->len >= CRIA_MARKDOWN_MAX_DEPTH))
    {
      builder_close_implicit (b);
      b->n_flattened++;
      return;
    }

  block = block_new (kind);
  if (type == MD_BLOCK_UL)
    {
      block->tight = ((MD_BLOCK_UL_DETAIL *) detail)->is_tight != 0;
    }
  else if (type == MD_BLOCK_OL)
    {
      block->ordered = TRUE;
      block->start = ((MD_BLOCK_OL_DETAIL *) detail)->start;
      block->tight = ((MD_BLOCK_OL_DETAIL *) detail)->is_tight != 0;
    }
  else if (type == MD_BLOCK_LI)
    {
      MD_BLOCK_LI_DETAIL *li = detail;

      if (li->is_task)
        block->task = li->task_mark == ' ' ? CRIA_MARKDOWN_TASK_UNCHECKED
                                           : CRIA_MARKDOWN_TASK_CHECKED;
    }
  builder_push (b, block);
}

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Builder *b = user_data;
  CriaMarkdownBlock *block;

  switch (type)
    {
    case MD_BLOCK_DOC:
      break;

    case MD_BLOCK_QUOTE:
      builder_push_container (b, CRIA_MARKDOWN_BLOCK_QUOTE, type, detail);
      break;

    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
      builder_push_container (b, CRIA_MARKDOWN_BLOCK_LIST, type, detail);
      break;

    case MD_BLOCK_LI:
      builder_push_container (b, CRIA_MARKDOWN_BLOCK_LIST_ITEM, type, detail);
      break;

    case MD_BLOCK_HR:
      builder_close_implicit (b);
      builder_add (b, block_new (CRIA_MARKDOWN_BLOCK_RULE));
      break;

    case MD_BLOCK_H:
      builder_begin_leaf (b, CRIA_MARKDOWN_BLOCK_HEADING, FALSE);
      b->leaf->level = ((MD_BLOCK_H_DETAIL *) detail)->level;
      break;

    case MD_BLOCK_CODE:
      {
        MD_BLOCK_CODE_DETAIL *code = detail;

        builder_begin_leaf (b, CRIA_MARKDOWN_BLOCK_CODE, FALSE);
        b->leaf->language = attribute_to_string (&b->run, &code->lang);
      }
      break;

    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
    default:
      builder_begin_leaf (b, CRIA_MARKDOWN_BLOCK_PARAGRAPH, FALSE);
      break;

    case MD_BLOCK_TABLE:
      block = block_new (CRIA_MARKDOWN_BLOCK_TABLE);
      block->n_columns = ((MD_BLOCK_TABLE_DETAIL *) detail)->col_count;
      builder_push (b, block);
      break;

    case MD_BLOCK_THEAD:
      b->in_head = TRUE;
      break;

    case MD_BLOCK_TBODY:
      b->in_head = FALSE;
      break;

    case MD_BLOCK_TR:
      {
        CriaMarkdownBlock *table = builder_container (b);

        g_assert (table != NULL && table->kind == CRIA_MARKDOWN_BLOCK_TABLE);
        b->row = g_new0 (CriaMarkdownTableRow, 1);
        b->row->header = b->in_head;
        b->row->cells = g_ptr_array_new_with_free_func (cell_free);
        g_ptr_array_add (table->rows, b->row);
      }
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      {
        CriaMarkdownBlock *table = builder_container (b);

        g_assert (b->row != NULL && table != NULL);
        /* The alignments come with the cells; the first row has them all. */
        if (table->rows->len == 1)
          {
            CriaMarkdownAlign align = (CriaMarkdownAlign) ((MD_BLOCK_TD_DETAIL *) detail)->align;

            g_array_append_val (table->aligns, align);
          }
        b->cell = g_new0 (CriaMarkdownCell, 1);
        g_ptr_array_add (b->row->cells, b->cell);
        builder_begin_text (b);
      }
      break;
    }

  return 0;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Builder *b = user_data;

  switch (type)
    {
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_LI:
      builder_close_implicit (b);
      /* Tables hold no containers, so the innermost open quote, list or
       * item is the one closing: flattened if any is. */
      if (b->n_flattened > 0)
        b->n_flattened--;
      else
        g_ptr_array_remove_index (b->containers, b->containers->len - 1);
      break;

    case MD_BLOCK_TABLE:
      builder_close_implicit (b);
      g_ptr_array_remove_index (b->containers, b->containers->len - 1);
      break;

    case MD_BLOCK_H:
    case MD_BLOCK_P:
    case MD_BLOCK_CODE:
    case MD_BLOCK_HTML:
      builder_end_leaf (b);
      break;

    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      b->cell->text = g_string_free (g_steal_pointer (&b->text), FALSE);
      b->cell->spans = builder_take_spans (b);
      b->cell = NULL;
      break;

    case MD_BLOCK_TR:
      b->row = NULL;
      break;

    case MD_BLOCK_DOC:
    case MD_BLOCK_HR:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    default:
      break;
    }

  return 0;
}

static void
builder_ensure_text (Builder *b)
{
  if (b->text == NULL)
    builder_begin_leaf (b, CRIA_MARKDOWN_BLOCK_PARAGRAPH, TRUE);
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Builder *b = user_data;
  CriaMarkdownSpan span = { 0, };
  guint index;

  builder_ensure_text (b);

  span.start = span.end = b->text->len;
  switch (type)
    {
    case MD_SPAN_EM:
      span.kind = CRIA_MARKDOWN_SPAN_ITALIC;
      break;
    case MD_SPAN_STRONG:
      span.kind = CRIA_MARKDOWN_SPAN_BOLD;
      break;
    case MD_SPAN_DEL:
      span.kind = CRIA_MARKDOWN_SPAN_STRIKE;
      break;
    case MD_SPAN_CODE:
      span.kind = CRIA_MARKDOWN_SPAN_CODE;
      break;
    case MD_SPAN_A:
      span.kind = CRIA_MARKDOWN_SPAN_LINK;
      span.href = attribute_to_string (&b->run, &((MD_SPAN_A_DETAIL *) detail)->href);
      break;
    case MD_SPAN_IMG:
      span.kind = CRIA_MARKDOWN_SPAN_LINK;
      span.href = attribute_to_string (&b->run, &((MD_SPAN_IMG_DETAIL *) detail)->src);
      break;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    case MD_SPAN_U:
    default:
      /* Not enabled by PARSER_FLAGS; kept as plain text should md4c send them. */
      index = G_MAXUINT;
      g_array_append_val (b->open_spans, index);
      return 0;
    }

  /* An empty href gives a link nowhere; the text stays, as plain text. */
  if (span.kind == CRIA_MARKDOWN_SPAN_LINK && span.href == NULL)
    {
      index = G_MAXUINT;
      g_array_append_val (b->open_spans, index);
      return 0;
    }

  index = b->spans->len;
  g_array_append_val (b->spans, span);
  g_array_append_val (b->open_spans, index);
  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Builder *b = user_data;
  guint index;

  /* md4c can close a span after the block that held it was flushed (seen
   * with a malformed image or link across a block boundary): nothing is left
   * to close then, and untrusted text must never abort. */
  if (b->text == NULL || b->open_spans->len == 0)
    return 0;

  index = g_array_index (b->open_spans, guint, b->open_spans->len - 1);
  g_array_set_size (b->open_spans, b->open_spans->len - 1);
  if (index != G_MAXUINT)
    g_array_index (b->spans, CriaMarkdownSpan, index).end = b->text->len;
  return 0;
}

/* Where a region ends in the copy md4c parses: a pending block may have
 * been padded there. */
static gsize
region_fill_end (const MathRegion *region)
{
  return region->block ? MAX (region->end, region->start + 3) : region->end;
}

/* The first region ending after @offset. */
static guint
find_region (GArray *regions,
             gsize   offset)
{
  guint lo = 0;
  guint hi = regions->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (region_fill_end (&g_array_index (regions, MathRegion, mid)) <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* Appends the run's own bytes [start, end), made valid: md4c may cut a
 * piece of letters anywhere, which need not be a character boundary of
 * the formula they stand for. */
static void
append_source (Builder *b,
               gsize    start,
               gsize    end)
{
  end = MIN (end, b->run.source_len);
  if (start >= end)
    return;

  if (g_utf8_validate_len (b->run.source + start, end - start, NULL))
    g_string_append_len (b->text, b->run.source + start, end - start);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (b->run.source + start, end - start);

      g_string_append (b->text, valid);
    }
}

static void
append_math_span (Builder          *b,
                  const MathRegion *region)
{
  CriaMarkdownSpan span = { 0, };

  span.kind = CRIA_MARKDOWN_SPAN_MATH;
  span.start = b->text->len;
  g_string_append (b->text, region->text);
  span.end = b->text->len;
  span.math = g_strdup (region->math);
  span.display = region->display || region->block;
  g_array_append_val (b->spans, span);
}

/* Appends md4c's text fill[start, end), which holds letters standing for
 * formulas. A formula md4c handed over whole in ordinary text becomes a
 * MATH span; one that is all of a heading's text, a MATH block. Anything
 * else (a formula md4c found inside code after all, or cut in pieces)
 * shows its source as it is. */
static void
append_with_regions (Builder     *b,
                     MD_TEXTTYPE  type,
                     gsize        start,
                     gsize        end)
{
  gsize pos = start;

  for (guint i = find_region (b->regions, start); i < b->regions->len; i++)
    {
      const MathRegion *region = &g_array_index (b->regions, MathRegion, i);
      gsize fill_end = region_fill_end (region);

      if (region->start >= end)
        break;

      if (pos < region->start)
        {
          append_source (b, pos, region->start);
          pos = region->start;
        }

      if (type == MD_TEXT_NORMAL && region->block && pos == region->start + 2
          && end >= fill_end && b->leaf != NULL && b->leaf->kind == CRIA_MARKDOWN_BLOCK_HEADING
          && b->text->len == 0 && b->leaf_math == NULL)
        {
          g_string_append (b->text, region->text);
          b->leaf_math = region;
        }
      else if (type == MD_TEXT_NORMAL && pos == region->start && end >= fill_end)
        append_math_span (b, region);
      else if (type == MD_TEXT_CODE && pos == region->start && end >= fill_end)
        /* Code after all (indented four spaces): its source as written,
         * its later lines without the indent, as md4c gives code. */
        g_string_append (b->text, region->text);
      else
        append_source (b, pos, MIN (end, fill_end));
      pos = MIN (end, fill_end);
    }

  append_source (b, pos, end);
}

static int
text_cb (MD_TEXTTYPE     type,
         const MD_CHAR  *text,
         MD_SIZE         size,
         void           *user_data)
{
  Builder *b = user_data;
  gsize offset;

  builder_ensure_text (b);

  if (type != MD_TEXT_NULLCHAR && type != MD_TEXT_BR && type != MD_TEXT_SOFTBR
      && b->regions->len > 0 && run_text_offset (&b->run, text, size, &offset))
    {
      guint i = find_region (b->regions, offset);

      if (i < b->regions->len
          && g_array_index (b->regions, MathRegion, i).start < offset + size)
        {
          append_with_regions (b, type, offset, offset + size);
          return 0;
        }
    }

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      g_string_append (b->text, "\357\277\275");
      break;
    case MD_TEXT_BR:
      g_string_append_c (b->text, '\n');
      break;
    case MD_TEXT_SOFTBR:
      g_string_append_c (b->text, ' ');
      break;
    case MD_TEXT_ENTITY:
      append_entity (b->text, text, size);
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_HTML:
    case MD_TEXT_LATEXMATH:
    default:
      g_string_append_len (b->text, text, size);
      break;
    }
  return 0;
}

/* Parses text[start, end) on its own and appends its top-level blocks to
 * @out. The run is made valid UTF-8 first: md4c is encoding-agnostic and the
 * view needs valid text, so broken bytes become U+FFFD. A run is made of
 * whole lines, so no character is ever split between two runs. */
void
_cria_markdown_parse_run (const char *text,
                          gsize       start,
                          gsize       end,
                          gboolean    tail,
                          GPtrArray  *out,
                          gsize      *n_parsed)
{
  static const MD_PARSER parser = {
    .abi_version = 0,
    .flags = PARSER_FLAGS,
    .enter_block = enter_block_cb,
    .leave_block = leave_block_cb,
    .enter_span = enter_span_cb,
    .leave_span = leave_span_cb,
    .text = text_cb,
  };
  g_autofree char *valid = NULL;
  g_autofree char *fill = NULL;
  g_autoptr(GArray) regions = NULL;
  gsize fill_len;
  const char *run = text + start;
  gsize len = end - start;
  Builder b = { 0, };
  guint first = out->len;

  g_assert (start <= end);

  if (n_parsed != NULL)
    *n_parsed += len;
  if (len == 0)
    return;

  /* md4c 0.4.8 reads one byte past the size it is given (it looks for the
   * ")" or "." of a list marker after a trailing digit, among others), so a
   * run must end in a NUL of its own: otherwise the next run's first byte,
   * or whatever follows the caller's buffer, would change how it parses. A
   * valid copy is NUL-free inside (g_utf8_validate_len refuses NUL). */
  if (!g_utf8_validate_len (run, len, NULL))
    valid = g_utf8_make_valid (run, len);
  else
    valid = g_strndup (run, len);
  run = valid;
  len = strlen (valid);

  /* Formulas are found first and hidden from md4c behind letters. */
  regions = _cria_markdown_math_find (run, len, tail);
  if (regions->len > 0)
    {
      fill = _cria_markdown_math_fill (run, len, regions, &fill_len);
      b.run.fill = fill;
      b.run.fill_len = fill_len;
      b.run.source = run;
      b.run.source_len = len;
      run = fill;
      len = fill_len;
    }
  b.regions = regions;

  b.top = out;
  b.containers = g_ptr_array_new ();
  b.open_spans = g_array_new (FALSE, FALSE, sizeof (guint));

  if (md_parse (run, (MD_SIZE) len, &parser, &b) != 0)
    g_critical ("md4c failed to parse a Markdown run of %" G_GSIZE_FORMAT " bytes", len);

  /* md4c always closes what it opens, but a failed parse must not leak. */
  if (b.text != NULL)
    {
      g_string_free (b.text, TRUE);
      g_array_unref (b.spans);
    }
  g_ptr_array_unref (b.containers);
  g_array_unref (b.open_spans);

  for (guint i = first; i < out->len; i++)
    {
      CriaMarkdownBlock *block = g_ptr_array_index (out, i);

      block->source_start = start;
      block->source_end = end;
    }
}

typedef struct
{
  const char *text;
  GPtrArray  *out;
  gsize       run_start;
  gsize      *n_parsed;
} RunSplitter;

static void
parse_run_cb (gsize    offset,
              gpointer user_data)
{
  RunSplitter *rs = user_data;

  _cria_markdown_parse_run (rs->text, rs->run_start, offset, FALSE, rs->out, rs->n_parsed);
  rs->run_start = offset;
}

/**
 * cria_markdown_parse:
 * @text: Markdown text, as UTF-8; invalid bytes are shown as U+FFFD
 * @len: length of @text in bytes
 *
 * Parses @text into top-level blocks, the same as a #CriaMarkdownStream fed
 * with @text in pieces and finished.
 *
 * Returns: (transfer full): the document
 */
CriaMarkdownDocument *
cria_markdown_parse (const char *text,
                     gsize       len)
{
  CriaMarkdownDocument *doc;
  Scanner sc = { 0, };
  RunSplitter rs = { 0, };

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  doc = _cria_markdown_document_new ();
  rs.text = text;
  rs.out = doc->blocks;
  _cria_markdown_scanner_feed (&sc, text, len, TRUE, parse_run_cb, &rs);
  _cria_markdown_parse_run (text, rs.run_start, len, FALSE, doc->blocks, NULL);
  return doc;
}

CriaMarkdownDocument *
_cria_markdown_parse_single_run (const char *text,
                                 gsize       len)
{
  CriaMarkdownDocument *doc = _cria_markdown_document_new ();

  _cria_markdown_parse_run (text, 0, len, FALSE, doc->blocks, NULL);
  return doc;
}

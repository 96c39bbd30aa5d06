/* cria-markdown-dump.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-markdown-private.h"

/* A readable form of blocks, one line each, for tests and debugging: the
 * fixtures in tests/data/markdown/ are compared with it. */

static void
dump_string (GString    *out,
             const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if ((guchar) *p < 0x20)
            g_string_append_printf (out, "\\x%02x", (guchar) *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
dump_inline (GString    *out,
             const char *text,
             GArray     *spans)
{
  static const char * const names[] = { "bold", "italic", "strike", "code", "link", "math" };

  g_string_append_c (out, ' ');
  dump_string (out, text);
  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);

      g_string_append_printf (out, " [%s%s %u-%u", names[span->kind],
                              span->display ? "(display)" : "", span->start, span->end);
      if (span->href != NULL)
        {
          g_string_append_c (out, ' ');
          g_string_append (out, span->href);
        }
      if (span->kind == CRIA_MARKDOWN_SPAN_MATH && span->math == NULL)
        g_string_append (out, " pending");
      else if (span->math != NULL)
        {
          g_string_append_c (out, ' ');
          dump_string (out, span->math);
        }
      g_string_append_c (out, ']');
    }
}

static void
dump_block (GString           *out,
            CriaMarkdownBlock *block,
            guint              depth)
{
  static const char * const aligns[] = { "default", "left", "center", "right" };

  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");

  switch (block->kind)
    {
    case CRIA_MARKDOWN_BLOCK_PARAGRAPH:
      g_string_append (out, "paragraph");
      dump_inline (out, block->text, block->spans);
      break;

    case CRIA_MARKDOWN_BLOCK_HEADING:
      g_string_append_printf (out, "heading(%u)", block->level);
      dump_inline (out, block->text, block->spans);
      break;

    case CRIA_MARKDOWN_BLOCK_CODE:
      g_string_append (out, "code");
      if (block->language != NULL)
        g_string_append_printf (out, "(%s)", block->language);
      g_string_append_c (out, ' ');
      dump_string (out, block->text);
      break;

    case CRIA_MARKDOWN_BLOCK_QUOTE:
      g_string_append (out, "quote");
      break;

    case CRIA_MARKDOWN_BLOCK_LIST:
      if (block->ordered)
        g_string_append_printf (out, "list(ordered start=%u", block->start);
      else
        g_string_append (out, "list(bullet");
      g_string_append (out, block->tight ? " tight)" : " loose)");
      break;

    case CRIA_MARKDOWN_BLOCK_LIST_ITEM:
      g_string_append (out, "item");
      if (block->task == CRIA_MARKDOWN_TASK_UNCHECKED)
        g_string_append (out, " [ ]");
      else if (block->task == CRIA_MARKDOWN_TASK_CHECKED)
        g_string_append (out, " [x]");
      break;

    case CRIA_MARKDOWN_BLOCK_TABLE:
      g_string_append_printf (out, "table(cols=%u align=", block->n_columns);
      for (guint i = 0; i < block->aligns->len; i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "," : "",
                                aligns[g_array_index (block->aligns, CriaMarkdownAlign, i)]);
      g_string_append_c (out, ')');
      break;

    case CRIA_MARKDOWN_BLOCK_MATH:
      g_string_append (out, block->math == NULL ? "math(pending) " : "math ");
      dump_string (out, block->text);
      if (block->math != NULL)
        {
          g_string_append (out, " => ");
          dump_string (out, block->math);
        }
      break;

    case CRIA_MARKDOWN_BLOCK_RULE:
    default:
      g_string_append (out, "rule");
      break;
    }
  g_string_append_c (out, '\n');

  /* The builder never nests deeper than the cap, so this recursion is
   * bounded; the check keeps it so for any tree. */
  for (guint i = 0; block->children != NULL && depth <= CRIA_MARKDOWN_MAX_DEPTH + 1
                    && i < block->children->len; i++)
    dump_block (out, g_ptr_array_index (block->children, i), depth + 1);

  for (guint i = 0; block->rows != NULL && i < block->rows->len; i++)
    {
      CriaMarkdownTableRow *row = g_ptr_array_index (block->rows, i);

      for (guint j = 0; j < depth + 1; j++)
        g_string_append (out, "  ");
      g_string_append (out, row->header ? "row(header)\n" : "row\n");
      for (guint j = 0; j < row->cells->len; j++)
        {
          CriaMarkdownCell *cell = g_ptr_array_index (row->cells, j);

          for (guint k = 0; k < depth + 2; k++)
            g_string_append (out, "  ");
          g_string_append (out, "cell");
          dump_inline (out, cell->text, cell->spans);
          g_string_append_c (out, '\n');
        }
    }
}

/**
 * cria_markdown_block_dump:
 * @block: a block
 *
 * Returns: (transfer full): a readable form of @block and its children, one
 *   line per block, for tests and debugging
 */
char *
cria_markdown_block_dump (CriaMarkdownBlock *block)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (block != NULL, NULL);

  dump_block (out, block, 0);
  return g_string_free (out, FALSE);
}

/**
 * cria_markdown_document_dump:
 * @doc: a document
 *
 * Returns: (transfer full): a readable form of @doc's blocks
 */
char *
cria_markdown_document_dump (CriaMarkdownDocument *doc)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (doc != NULL, NULL);

  for (guint i = 0; i < cria_markdown_document_get_n_blocks (doc); i++)
    dump_block (out, cria_markdown_document_get_block (doc, i), 0);
  return g_string_free (out, FALSE);
}

/* fuzz-markdown.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* A libFuzzer target for the Markdown reader: md4c through the block
 * builder, the stable-point scanner and the stream. The first input byte
 * seeds the sizes of the pieces the rest is streamed in, so that the fuzzer
 * explores split points; the seed corpus files therefore start with one
 * such byte before the Markdown itself.
 *
 * Beyond crashes, leaks and undefined behaviour, it checks what the view
 * relies on: a stream fed in pieces ends with exactly the blocks of a whole
 * parse; every text is valid UTF-8; spans lie inside their text, sorted by
 * start; no tree nests deeper than CRIA_MARKDOWN_MAX_DEPTH allows. For
 * maths: a MATH span starts with its delimiter, its LaTeX is valid UTF-8,
 * and every other span holds it whole or lies outside it; a MATH block has
 * no spans, and only the tail has formulas still arriving (math NULL).
 *
 * Run it bounded, on a copy of the seed corpus (build-aux/fuzz.sh does):
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true
 *   ninja -C build-fuzz tests/fuzz/fuzz-markdown
 *   corpus=$(mktemp -d)
 *   cp -R tests/fuzz/corpus-markdown/. "$corpus"
 *   ./build-fuzz/tests/fuzz/fuzz-markdown -max_total_time=60 -timeout=10 \
 *       -rss_limit_mb=2048 "$corpus"
 *   rm -rf "$corpus"
 *
 * Warnings and criticals are printed, not fatal; set CRIA_FUZZ_FATAL_LOG=1 to
 * make them abort. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cria-markdown.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean fatal_log;

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) == 0)
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (fatal_log)
    abort ();

  return G_LOG_WRITER_HANDLED;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fatal_log = g_getenv ("CRIA_FUZZ_FATAL_LOG") != NULL;
  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  return 0;
}

static void
check_math_span (const char             *text,
                 GArray                 *spans,
                 const CriaMarkdownSpan *span,
                 gboolean                tail)
{
  if (text[span->start] != '$' && text[span->start] != '\\')
    abort ();
  if (span->math == NULL ? !tail : !g_utf8_validate (span->math, -1, NULL))
    abort ();
  if (span->href != NULL)
    abort ();

  for (guint i = 0; i < spans->len; i++)
    {
      const CriaMarkdownSpan *other = &g_array_index (spans, CriaMarkdownSpan, i);

      if (other == span || other->end <= span->start || other->start >= span->end)
        continue;
      /* Overlapping: it must hold the formula whole, and be no formula. */
      if (other->kind == CRIA_MARKDOWN_SPAN_MATH
          || other->start > span->start || other->end < span->end)
        abort ();
    }
}

static void
check_inline (const char *text,
              GArray     *spans,
              gboolean    tail)
{
  gsize len;
  guint last_start = 0;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    abort ();
  len = strlen (text);

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);

      if (span->start >= span->end || span->end > len || span->start < last_start)
        abort ();
      if (span->href != NULL && !g_utf8_validate (span->href, -1, NULL))
        abort ();
      if (span->kind == CRIA_MARKDOWN_SPAN_MATH)
        check_math_span (text, spans, span, tail);
      else if (span->math != NULL || span->display)
        abort ();
      last_start = span->start;
    }
}

/* Checks @roots and everything under them without recursion, so that a tree
 * too deep for the stack is reported as a broken invariant. */
static void
check_blocks (GPtrArray *roots,
              gboolean   tail)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < roots->len; i++)
    {
      guint one = 1;

      g_ptr_array_add (stack, g_ptr_array_index (roots, i));
      g_array_append_val (depths, one);
    }

  while (stack->len > 0)
    {
      CriaMarkdownBlock *block = g_ptr_array_steal_index (stack, stack->len - 1);
      guint depth = g_array_index (depths, guint, depths->len - 1);

      g_array_set_size (depths, depths->len - 1);
      /* Containers up to the cap, an item in the last list, a leaf. */
      if (depth > CRIA_MARKDOWN_MAX_DEPTH + 2)
        abort ();

      switch (block->kind)
        {
        case CRIA_MARKDOWN_BLOCK_PARAGRAPH:
        case CRIA_MARKDOWN_BLOCK_HEADING:
        case CRIA_MARKDOWN_BLOCK_CODE:
          check_inline (block->text, block->spans, tail);
          if (block->children != NULL || block->math != NULL)
            abort ();
          break;

        case CRIA_MARKDOWN_BLOCK_MATH:
          check_inline (block->text, block->spans, tail);
          if (block->children != NULL || block->spans->len != 0)
            abort ();
          if (block->text[0] != '$' && block->text[0] != '\\')
            abort ();
          if (block->math == NULL ? !tail : !g_utf8_validate (block->math, -1, NULL))
            abort ();
          break;

        case CRIA_MARKDOWN_BLOCK_LIST:
          /* A list holds items only: the view draws a marker for each. */
          for (guint i = 0; i < block->children->len; i++)
            if (((CriaMarkdownBlock *) g_ptr_array_index (block->children, i))->kind
                != CRIA_MARKDOWN_BLOCK_LIST_ITEM)
              abort ();
          break;

        case CRIA_MARKDOWN_BLOCK_TABLE:
          for (guint i = 0; i < block->rows->len; i++)
            {
              CriaMarkdownTableRow *row = g_ptr_array_index (block->rows, i);

              for (guint j = 0; j < row->cells->len; j++)
                {
                  CriaMarkdownCell *cell = g_ptr_array_index (row->cells, j);

                  check_inline (cell->text, cell->spans, tail);
                }
            }
          break;

        case CRIA_MARKDOWN_BLOCK_QUOTE:
        case CRIA_MARKDOWN_BLOCK_LIST_ITEM:
        case CRIA_MARKDOWN_BLOCK_RULE:
        default:
          break;
        }

      for (guint i = 0; block->children != NULL && i < block->children->len; i++)
        {
          guint child_depth = depth + 1;

          g_ptr_array_add (stack, g_ptr_array_index (block->children, i));
          g_array_append_val (depths, child_depth);
        }
    }
}

static void
check_document (CriaMarkdownDocument *doc,
                gboolean              tail)
{
  g_autoptr(GPtrArray) blocks = g_ptr_array_new ();

  for (guint i = 0; i < cria_markdown_document_get_n_blocks (doc); i++)
    g_ptr_array_add (blocks, cria_markdown_document_get_block (doc, i));
  check_blocks (blocks, tail);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *input;
  gsize len;
  guint32 seed;
  CriaMarkdownDocument *doc;
  CriaMarkdownStream *stream;
  GString *streamed;
  char *whole;
  gsize offset = 0;
  guint n_appends = 0;

  if (size < 1)
    return 0;

  seed = data[0] * 2654435761u + 1;
  input = (const char *) data + 1;
  len = size - 1;

  if (cria_markdown_stable_prefix (input, len) > len)
    abort ();

  doc = cria_markdown_parse (input, len);
  check_document (doc, FALSE);
  whole = cria_markdown_document_dump (doc);
  cria_markdown_document_free (doc);

  stream = cria_markdown_stream_new ();
  while (offset < len)
    {
      gsize piece;

      /* Pieces of 1 to 64 bytes: a token, a line, a stall mid-character. */
      seed = seed * 1103515245u + 12345u;
      piece = MIN ((gsize) ((seed >> 16) % 64 + 1), len - offset);
      cria_markdown_stream_append (stream, input + offset, piece);
      offset += piece;

      if (cria_markdown_stream_get_stable_length (stream) > offset)
        abort ();

      /* The view parses the tail once a frame, not once an append. */
      if (++n_appends % 4 == 0 || offset == len)
        {
          CriaMarkdownDocument *tail = cria_markdown_stream_get_tail (stream);

          check_document (tail, TRUE);
          cria_markdown_document_free (tail);
        }
    }
  cria_markdown_stream_finish (stream);

  streamed = g_string_new (NULL);
  {
    g_autoptr(GPtrArray) finals = g_ptr_array_new ();

    for (guint i = 0; i < cria_markdown_stream_get_n_final_blocks (stream); i++)
      {
        CriaMarkdownBlock *block = cria_markdown_stream_get_final_block (stream, i);
        char *dump = cria_markdown_block_dump (block);

        g_ptr_array_add (finals, block);
        g_string_append (streamed, dump);
        g_free (dump);
      }
    check_blocks (finals, FALSE);
  }

  /* Streaming in pieces never changes the result. */
  if (strcmp (streamed->str, whole) != 0)
    abort ();
  if (!g_utf8_validate (whole, -1, NULL))
    abort ();

  g_string_free (streamed, TRUE);
  g_free (whole);
  cria_markdown_stream_free (stream);

  return 0;
}

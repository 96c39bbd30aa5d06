/* cria-markdown-stream.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-markdown-private.h"

/* Streaming */

struct _CriaMarkdownStream
{
  GString   *text;
  Scanner    scanner;
  /* The end of the final blocks' text: the length of the stable prefix. */
  gsize      run_start;
  GPtrArray *final_blocks;
  gsize      n_parsed;
  gboolean   finished;
};

CriaMarkdownStream *
cria_markdown_stream_new (void)
{
  CriaMarkdownStream *stream = g_new0 (CriaMarkdownStream, 1);

  stream->text = g_string_new (NULL);
  stream->final_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_markdown_block_unref);
  return stream;
}

void
cria_markdown_stream_free (CriaMarkdownStream *stream)
{
  if (stream == NULL)
    return;

  g_string_free (stream->text, TRUE);
  g_ptr_array_unref (stream->final_blocks);
  g_free (stream);
}

static void
stream_stable_cb (gsize    offset,
                  gpointer user_data)
{
  CriaMarkdownStream *stream = user_data;

  _cria_markdown_parse_run (stream->text->str, stream->run_start, offset, FALSE,
                            stream->final_blocks, &stream->n_parsed);
  stream->run_start = offset;
}

/**
 * cria_markdown_stream_append:
 * @stream: a stream
 * @text: more Markdown text; it may end anywhere, even inside a character
 * @len: length of @text, or -1 if it is nul-terminated
 *
 * Returns: how many blocks became final, to be fetched with
 *   cria_markdown_stream_get_final_block() from the previous
 *   cria_markdown_stream_get_n_final_blocks() on
 */
guint
cria_markdown_stream_append (CriaMarkdownStream *stream,
                             const char         *text,
                             gssize              len)
{
  guint before;

  g_return_val_if_fail (stream != NULL, 0);
  g_return_val_if_fail (!stream->finished, 0);
  g_return_val_if_fail (text != NULL || len == 0, 0);

  if (len < 0)
    len = strlen (text);

  before = stream->final_blocks->len;
  g_string_append_len (stream->text, text, len);
  _cria_markdown_scanner_feed (&stream->scanner, stream->text->str, stream->text->len, FALSE,
                stream_stable_cb, stream);
  return stream->final_blocks->len - before;
}

/**
 * cria_markdown_stream_finish:
 * @stream: a stream
 *
 * Ends the text: the tail becomes final blocks too.
 *
 * Returns: how many blocks became final
 */
guint
cria_markdown_stream_finish (CriaMarkdownStream *stream)
{
  guint before;

  g_return_val_if_fail (stream != NULL, 0);

  if (stream->finished)
    return 0;

  before = stream->final_blocks->len;
  _cria_markdown_scanner_feed (&stream->scanner, stream->text->str, stream->text->len, TRUE,
                stream_stable_cb, stream);
  _cria_markdown_parse_run (stream->text->str, stream->run_start, stream->text->len, FALSE,
                            stream->final_blocks, &stream->n_parsed);
  stream->run_start = stream->text->len;
  stream->finished = TRUE;
  return stream->final_blocks->len - before;
}

guint
cria_markdown_stream_get_n_final_blocks (CriaMarkdownStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  return stream->final_blocks->len;
}

/* Returns: (transfer none): a final block; it never changes */
CriaMarkdownBlock *
cria_markdown_stream_get_final_block (CriaMarkdownStream *stream,
                                      guint               index)
{
  g_return_val_if_fail (stream != NULL, NULL);
  g_return_val_if_fail (index < stream->final_blocks->len, NULL);

  return g_ptr_array_index (stream->final_blocks, index);
}

/* Leaves out a character cut short at the end of the text, which the next
 * append completes, rather than showing U+FFFD for a moment. */
static gsize
trim_partial_char (const char *text,
                   gsize       start,
                   gsize       end)
{
  for (gsize back = 1; back <= 3 && back <= end - start; back++)
    {
      guchar c = text[end - back];

      if ((c & 0xC0) == 0x80)
        continue;
      if (c >= 0xC0)
        {
          gsize need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

          if (back < need)
            return end - back;
        }
      break;
    }
  return end;
}

/**
 * cria_markdown_stream_get_tail:
 * @stream: a stream
 *
 * Parses the text after the final blocks, which may still change. The cost
 * is proportional to the tail, not to the whole text.
 *
 * Returns: (transfer full): the tail's blocks, empty once finished
 */
CriaMarkdownDocument *
cria_markdown_stream_get_tail (CriaMarkdownStream *stream)
{
  CriaMarkdownDocument *doc;
  gsize end;

  g_return_val_if_fail (stream != NULL, NULL);

  doc = _cria_markdown_document_new ();
  end = trim_partial_char (stream->text->str, stream->run_start, stream->text->len);
  /* Only here may a formula still open at the end show as arriving. */
  _cria_markdown_parse_run (stream->text->str, stream->run_start, end, TRUE,
                            _cria_markdown_document_get_blocks (doc), &stream->n_parsed);
  return doc;
}

const char *
cria_markdown_stream_get_text (CriaMarkdownStream *stream)
{
  g_return_val_if_fail (stream != NULL, NULL);

  return stream->text->str;
}

gsize
cria_markdown_stream_get_stable_length (CriaMarkdownStream *stream)
{
  g_return_val_if_fail (stream != NULL, 0);

  return stream->run_start;
}

gsize
_cria_markdown_stream_get_n_parsed_bytes (CriaMarkdownStream *stream)
{
  return stream->n_parsed;
}

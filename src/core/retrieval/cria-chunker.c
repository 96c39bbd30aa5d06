/* cria-chunker.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-chunker.h"
#include "cria-usage.h"

/* A sentence longer than this is cut at spaces, so the chunk boundaries
 * can fall inside it. */
#define UNIT_MAX_TOKENS 100
#define CHARS_PER_TOKEN 4
/* A heading starts a new chunk unless the chunk so far is this small
 * (a heading straight after another, a short preamble). */
#define HEADING_MIN_TOKENS 60

/* The places a chunk may end: sentences (or lines) of a block, in bytes
 * from the page's start. */
typedef struct
{
  gsize  start;
  gsize  end;
  glong  chars;
  guint  heading : 1;
} Unit;

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

/* Up to three spaces, one to six '#', then a space or the end of the line. */
static gboolean
is_heading_line (const char *line,
                 const char *end)
{
  const char *p = line;
  guint n = 0;

  while (p < end && *p == ' ' && p - line < 3)
    p++;
  while (p < end && *p == '#')
    {
      p++;
      n++;
    }

  return n >= 1 && n <= 6 && (p == end || *p == ' ' || *p == '\t');
}

static gboolean
is_blank_line (const char *line,
               const char *end)
{
  for (const char *p = line; p < end; p++)
    if (!is_space (*p))
      return FALSE;

  return TRUE;
}

/* Adds [start, end) trimmed as units of at most UNIT_MAX_TOKENS, cut at the
 * last space of each piece when there is one in its second half, between
 * characters otherwise: bounded whatever the text. */
static void
add_piece (const char *text,
           gsize       start,
           gsize       end,
           gboolean    heading,
           GArray     *units)
{
  const glong max_chars = UNIT_MAX_TOKENS * CHARS_PER_TOKEN;

  while (start < end && is_space (text[start]))
    start++;
  while (end > start && is_space (text[end - 1]))
    end--;

  while (start < end)
    {
      Unit unit = { start, end, 0, heading };
      const char *limit = text + start;
      glong chars = 0;

      /* Never more than max_chars looked at: a run of megabytes without a
       * break is cut in linear time. */
      while (limit < text + end && chars < max_chars)
        {
          limit = g_utf8_next_char (limit);
          chars++;
        }

      if (limit < text + end)
        {
          const char *half = g_utf8_offset_to_pointer (text + start, max_chars / 2);
          const char *cut = limit;

          for (const char *p = limit; p > half; p--)
            if (is_space (*(p - 1)))
              {
                cut = p;
                break;
              }
          unit.end = (gsize) (cut - text);
          chars = g_utf8_strlen (text + start, (gssize) (unit.end - start));
        }
      unit.chars = chars;
      g_array_append_val (units, unit);
      heading = FALSE;

      start = unit.end;
      while (start < end && is_space (text[start]))
        start++;
    }
}

/* A block (a paragraph or a heading) into sentences: after '.', '!' or '?'
 * followed by a space, and at each line end (list items, verse, tables). */
static void
add_block (const char *text,
           gsize       start,
           gsize       end,
           gboolean    heading,
           GArray     *units)
{
  gsize sentence = start;

  for (gsize i = start; i < end; i++)
    {
      char c = text[i];
      gboolean boundary = c == '\n' ||
                          ((c == '.' || c == '!' || c == '?') && (i + 1 == end || is_space (text[i + 1])));

      if (boundary)
        {
          add_piece (text, sentence, i + 1, heading && sentence == start, units);
          sentence = i + 1;
        }
    }
  add_piece (text, sentence, end, heading && sentence == start, units);
}

static void
split_units (const char *text,
             GArray     *units)
{
  gsize len = strlen (text);
  gsize block_start = 0;
  gboolean in_block = FALSE;
  gsize line = 0;

  while (line < len)
    {
      const char *newline = memchr (text + line, '\n', len - line);
      gsize line_end = newline != NULL ? (gsize) (newline - text) : len;

      if (is_blank_line (text + line, text + line_end))
        {
          if (in_block)
            add_block (text, block_start, line, FALSE, units);
          in_block = FALSE;
        }
      else if (is_heading_line (text + line, text + line_end))
        {
          if (in_block)
            add_block (text, block_start, line, FALSE, units);
          in_block = FALSE;
          add_block (text, line, line_end, TRUE, units);
        }
      else if (!in_block)
        {
          block_start = line;
          in_block = TRUE;
        }

      line = line_end + 1;
    }
  if (in_block)
    add_block (text, block_start, len, FALSE, units);
}

static void
emit (const char *text,
      gsize       start,
      gsize       end,
      guint       page,
      guint      *index,
      GPtrArray  *chunks)
{
  g_autofree char *slice = NULL;

  while (start < end && is_space (text[start]))
    start++;
  while (end > start && is_space (text[end - 1]))
    end--;
  if (start == end)
    return;

  slice = g_strndup (text + start, end - start);
  g_ptr_array_add (chunks, cria_store_chunk_new ((*index)++, page, slice));
}

/* Where the next chunk starts so that it repeats the last
 * CRIA_CHUNK_OVERLAP_PERCENT of [start, end): at the first sentence that
 * begins in that tail, else at the first space in it. */
static gsize
overlap_start (const char *text,
               gsize       start,
               gsize       end,
               glong       chars)
{
  glong tail = chars * CRIA_CHUNK_OVERLAP_PERCENT / 100;
  const char *from = g_utf8_offset_to_pointer (text + start, chars - tail);
  gsize p = (gsize) (from - text);
  gsize space = end;

  for (gsize i = p; i + 1 < end; i++)
    {
      if ((text[i] == '.' || text[i] == '!' || text[i] == '?' || text[i] == '\n') && is_space (text[i + 1]))
        return i + 1;
      if (space == end && is_space (text[i]))
        space = i;
    }

  return space;
}

void
cria_chunker_split_page (const char *text,
                         guint       page,
                         guint       first_index,
                         GPtrArray  *chunks)
{
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (Unit));
  const glong max_chars = CRIA_CHUNK_MAX_TOKENS * CHARS_PER_TOKEN;
  guint index = first_index;
  gboolean open = FALSE;
  gsize start = 0;
  gsize end = 0;
  glong chars = 0;

  g_return_if_fail (text != NULL);
  g_return_if_fail (chunks != NULL);

  split_units (text, units);

  for (guint i = 0; i < units->len; i++)
    {
      const Unit *unit = &g_array_index (units, Unit, i);
      glong gap = open ? g_utf8_strlen (text + end, (gssize) (unit->start - end)) : 0;

      if (open && unit->heading && chars >= HEADING_MIN_TOKENS * CHARS_PER_TOKEN)
        {
          emit (text, start, end, page, &index, chunks);
          open = FALSE;
        }
      else if (open && chars + gap + unit->chars > max_chars)
        {
          gsize next = overlap_start (text, start, end, chars);

          emit (text, start, end, page, &index, chunks);
          open = next < end;
          if (open)
            {
              start = next;
              chars = g_utf8_strlen (text + start, (gssize) (end - start));
              gap = g_utf8_strlen (text + end, (gssize) (unit->start - end));
            }
        }

      if (!open)
        {
          open = TRUE;
          start = unit->start;
          chars = 0;
        }
      else
        chars += gap;
      end = unit->end;
      chars += unit->chars;
    }

  if (open)
    emit (text, start, end, page, &index, chunks);
}

GPtrArray *
cria_chunker_split (CriaDocument *document)
{
  GPtrArray *chunks;

  g_return_val_if_fail (document != NULL, NULL);

  chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_store_chunk_free);
  for (guint i = 0; i < document->pages->len; i++)
    cria_chunker_split_page (g_ptr_array_index (document->pages, i), i + 1, chunks->len, chunks);

  return chunks;
}

/* cria-markdown-scanner.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-markdown-private.h"

/* Finding stable points
 *
 * The text is read line by line, keeping just enough of CommonMark's block
 * structure to know where a new top-level block starts that nothing later can
 * merge with what came before. Such a point is a line that:
 *
 * - is complete (its line end has been seen, so it cannot still grow into a
 *   list marker or a fence);
 * - is not inside a fenced code block at top level, whose fence is tracked
 *   with its character and length;
 * - either follows a blank line and starts at the left margin without being
 *   a list item (a list goes on after blank lines with indented lines or
 *   further items; a paragraph, table, block quote or setext heading cannot
 *   go on across a blank line), or directly follows the closing line of a
 *   top-level fence.
 *
 * Lists and block quotes are followed as containers so that a fence inside
 * them is not mistaken for a top-level one, and so that a fence that does
 * start at top level is not missed when it interrupts them. Where the
 * structure is ambiguous the scanner assumes the reading that declares fewer
 * stable points. The text between two stable points is a run, parsed by md4c
 * on its own; cria_markdown_parse() and the stream split the text at the same
 * points, so they give the same blocks. The one thing not carried across runs
 * is link reference definitions, which models do not write. */

typedef enum
{
  LINE_BLANK,
  LINE_TEXT,
  LINE_FENCE,
  LINE_QUOTE,
  LINE_HEADING,
  LINE_RULE,
  LINE_SETEXT,
  LINE_ITEM,
} LineKind;

typedef struct
{
  LineKind kind;
  guint    indent;
  /* LINE_FENCE */
  char     fence_char;
  guint    fence_len;
  /* LINE_ITEM */
  guint    content_indent;
  gboolean item_empty;
  gboolean item_can_interrupt;
  /* Where the item's or quote's content starts. */
  const char *content;
} Line;

static inline gboolean
is_blank_char (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

static gboolean
rest_is_blank (const char *p,
               const char *end)
{
  for (; p < end; p++)
    if (!is_blank_char (*p))
      return FALSE;
  return TRUE;
}

/* Counts the columns of leading whitespace, tabs stopping at multiples of
 * four, and returns where the content starts. */
static const char *
skip_indent (const char *p,
             const char *end,
             guint      *columns)
{
  guint col = 0;

  for (; p < end && (*p == ' ' || *p == '\t'); p++)
    col = *p == '\t' ? (col + 4) & ~3u : col + 1;
  *columns = col;
  return p;
}

static gboolean
parse_fence (const char *p,
             const char *end,
             char       *fence_char,
             guint      *fence_len)
{
  const char *q = p;

  if (p >= end || (*p != '`' && *p != '~'))
    return FALSE;
  while (q < end && *q == *p)
    q++;
  if (q - p < 3)
    return FALSE;
  /* A backtick fence's info string may hold no backtick. */
  if (*p == '`' && memchr (q, '`', end - q) != NULL)
    return FALSE;
  *fence_char = *p;
  *fence_len = q - p;
  return TRUE;
}

static gboolean
is_closing_fence (const ScanState *s,
                  const char      *p,
                  const char      *end)
{
  const char *q = p;

  while (q < end && *q == s->fence_char)
    q++;
  return (guint) (q - p) >= s->fence_len && rest_is_blank (q, end);
}

static gboolean
is_rule (const char *p,
         const char *end)
{
  char c = *p;
  guint n = 0;

  if (c != '-' && c != '*' && c != '_')
    return FALSE;
  for (; p < end; p++)
    {
      if (*p == c)
        n++;
      else if (!is_blank_char (*p))
        return FALSE;
    }
  return n >= 3;
}

static gboolean
is_setext_underline (const char *p,
                     const char *end)
{
  char c = *p;

  if (c != '=' && c != '-')
    return FALSE;
  while (p < end && *p == c)
    p++;
  return rest_is_blank (p, end);
}

/* Recognises a list item marker and where the item's content starts. */
static gboolean
parse_item (const char *p,
            const char *end,
            guint       indent,
            Line       *line)
{
  const char *q = p;
  gboolean ordered = FALSE;
  guint spaces;
  const char *content;

  if (*q == '-' || *q == '+' || *q == '*')
    q++;
  else
    {
      while (q < end && g_ascii_isdigit (*q) && q - p < 9)
        q++;
      if (q == p || q >= end || (*q != '.' && *q != ')'))
        return FALSE;
      ordered = TRUE;
      q++;
    }

  if (q < end && *q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
    return FALSE;

  content = skip_indent (q, end, &spaces);
  line->item_empty = rest_is_blank (content, end);
  /* Five or more spaces after the marker make indented code, whose content
   * starts one space after the marker; an empty item's content too. */
  if (line->item_empty || spaces > 4)
    spaces = 1;
  line->content_indent = indent + (q - p) + spaces;
  line->content = content;
  /* Only a non-empty bullet item, or an ordered one starting at 1, may
   * interrupt a paragraph. */
  line->item_can_interrupt = !line->item_empty
                             && (!ordered || (q - p == 2 && *p == '1'));
  return TRUE;
}

static void
classify_line (const char *line,
               const char *end,
               Line       *out)
{
  const char *p;

  memset (out, 0, sizeof *out);
  p = skip_indent (line, end, &out->indent);

  if (rest_is_blank (p, end))
    out->kind = LINE_BLANK;
  else if (out->indent >= 4)
    out->kind = LINE_TEXT;
  else if (parse_fence (p, end, &out->fence_char, &out->fence_len))
    out->kind = LINE_FENCE;
  else if (*p == '>')
    {
      out->kind = LINE_QUOTE;
      out->content = p + 1;
    }
  else if (*p == '#')
    {
      const char *q = p;

      while (q < end && *q == '#')
        q++;
      out->kind = (q - p <= 6 && (q == end || is_blank_char (*q))) ? LINE_HEADING : LINE_TEXT;
    }
  else if (is_rule (p, end))
    out->kind = LINE_RULE;
  else if (is_setext_underline (p, end))
    out->kind = LINE_SETEXT;
  else if (parse_item (p, end, out->indent, out))
    out->kind = LINE_ITEM;
  else
    out->kind = LINE_TEXT;
}

/* Looks through the markers of nested containers at the start of a list
 * item's or quote's content for a fence opening. Finding one where there is
 * none only delays stable points: a nested fence ends with its container. */
static gboolean
find_nested_fence (const char *p,
                   const char *end,
                   ScanState  *s)
{
  for (guint depth = 0; depth < 64 && p != NULL && p < end; depth++)
    {
      Line line;

      classify_line (p, end, &line);
      if (line.kind == LINE_FENCE)
        {
          s->fence_char = line.fence_char;
          s->fence_len = line.fence_len;
          return TRUE;
        }
      if (line.kind != LINE_QUOTE && line.kind != LINE_ITEM)
        return FALSE;
      p = line.content;
    }
  return FALSE;
}

static void
open_nested_fence (ScanState  *s,
                   const char *content,
                   const char *end)
{
  if (content != NULL && find_nested_fence (content, end, s))
    {
      s->in_fence = TRUE;
      s->fence_nested = TRUE;
      s->fence_context = s->context;
    }
}

/* Reads a line that starts at top level: nothing is open, or a paragraph
 * (@context) that the line may continue. */
static void
scan_top_level (ScanState  *s,
                const Line *line,
                const char *end)
{
  gboolean in_paragraph = s->context == CONTEXT_PARAGRAPH;

  switch (line->kind)
    {
    case LINE_FENCE:
      s->in_fence = TRUE;
      s->fence_nested = FALSE;
      s->fence_char = line->fence_char;
      s->fence_len = line->fence_len;
      s->context = CONTEXT_NONE;
      break;

    case LINE_QUOTE:
      s->context = CONTEXT_QUOTE;
      open_nested_fence (s, line->content, end);
      break;

    case LINE_HEADING:
    case LINE_RULE:
      s->context = CONTEXT_NONE;
      break;

    case LINE_SETEXT:
      /* An underline turns an open paragraph into a heading; otherwise it
       * is paragraph text. */
      s->context = in_paragraph ? CONTEXT_NONE : CONTEXT_PARAGRAPH;
      break;

    case LINE_ITEM:
      if (in_paragraph && !line->item_can_interrupt)
        break;
      s->context = CONTEXT_LIST;
      s->item_indent = line->content_indent;
      open_nested_fence (s, line->content, end);
      break;

    case LINE_TEXT:
      /* Indented code cannot interrupt a paragraph and ends at the first
       * line that is not indented, like a paragraph does not: either way
       * no fence can open inside it. */
      if (!in_paragraph && line->indent < 4)
        s->context = CONTEXT_PARAGRAPH;
      break;

    case LINE_BLANK:
    default:
      g_assert_not_reached ();
    }
}

/* Returns whether the line is a stable point. */
static gboolean
scan_line_blocks (ScanState  *s,
                  const char *start,
                  const char *end)
{
  gboolean after_blank = s->after_blank;
  gboolean after_fence = s->after_fence;
  Line line;

  classify_line (start, end, &line);
  s->after_blank = line.kind == LINE_BLANK;
  s->after_fence = FALSE;

  if (s->in_fence && !s->fence_nested)
    {
      guint indent;
      const char *p = skip_indent (start, end, &indent);

      if (line.kind != LINE_BLANK && indent < 4 && is_closing_fence (s, p, end))
        {
          s->in_fence = FALSE;
          s->after_fence = TRUE;
          s->context = CONTEXT_NONE;
        }
      return FALSE;
    }

  if (s->in_fence)
    {
      gboolean leaves;

      /* A fence in a block quote ends with the quote: at a blank line or a
       * line without ">", which cannot be a lazy continuation because the
       * quote's last block is code. A fence in a list item ends at a line
       * indented less than the item's content. */
      if (s->fence_context == CONTEXT_QUOTE)
        leaves = line.kind != LINE_QUOTE;
      else
        leaves = line.kind != LINE_BLANK && line.indent < s->item_indent;

      if (!leaves)
        {
          const char *p = start;

          /* Any fence-like line past the container markers closes it:
           * closing too early is harmless here, as above. */
          while (p < end && (is_blank_char (*p) || *p == '>'))
            p++;
          if (p < end && *p == s->fence_char && is_closing_fence (s, p, end))
            s->in_fence = FALSE;
          return FALSE;
        }

      s->in_fence = FALSE;

      /* md4c 0.4.8 lets a closing fence at the margin close a fence nested
       * in a container, where CommonMark would open a new top-level fence;
       * the scanner follows md4c, the parser it serves. */
      if (line.kind == LINE_FENCE && line.fence_char == s->fence_char
          && line.fence_len >= s->fence_len)
        {
          guint indent;
          gboolean closing = is_closing_fence (s, skip_indent (start, end, &indent), end);

          /* With an info string, md4c keeps the line as paragraph text. */
          s->context = closing ? CONTEXT_NONE : CONTEXT_PARAGRAPH;
          return FALSE;
        }

      if (s->fence_context == CONTEXT_QUOTE || line.kind != LINE_ITEM)
        s->context = CONTEXT_NONE;
    }

  if (line.kind == LINE_BLANK)
    {
      if (s->context != CONTEXT_LIST)
        s->context = CONTEXT_NONE;
      return FALSE;
    }

  if (after_fence
      || (after_blank && line.indent == 0
          && !(s->context == CONTEXT_LIST && line.kind == LINE_ITEM)))
    {
      s->context = CONTEXT_NONE;
      scan_top_level (s, &line, end);
      return TRUE;
    }

  switch (s->context)
    {
    case CONTEXT_LIST:
      if (line.indent >= s->item_indent)
        {
          /* Content of the current item, maybe a nested list or quote. */
          open_nested_fence (s, start, end);
        }
      else if (line.kind == LINE_ITEM && line.indent < 4)
        {
          /* Another item of this list or the first of the next one. */
          s->item_indent = line.content_indent;
          open_nested_fence (s, line.content, end);
        }
      else if (after_blank)
        {
          s->context = CONTEXT_NONE;
          scan_top_level (s, &line, end);
        }
      else if (line.kind == LINE_FENCE || line.kind == LINE_QUOTE
               || line.kind == LINE_HEADING || line.kind == LINE_RULE)
        {
          /* These cannot be lazy continuation lines, so the list ends. */
          s->context = CONTEXT_NONE;
          scan_top_level (s, &line, end);
        }
      /* Otherwise a lazy continuation of the item's paragraph. */
      break;

    case CONTEXT_QUOTE:
      if (line.kind == LINE_QUOTE)
        open_nested_fence (s, line.content, end);
      else if (line.kind == LINE_FENCE || line.kind == LINE_HEADING
               || line.kind == LINE_RULE
               || (line.kind == LINE_ITEM && line.item_can_interrupt))
        {
          s->context = CONTEXT_NONE;
          scan_top_level (s, &line, end);
        }
      /* Otherwise a lazy continuation of the quote's paragraph. */
      break;

    case CONTEXT_PARAGRAPH:
    case CONTEXT_NONE:
    default:
      scan_top_level (s, &line, end);
      break;
    }

  return FALSE;
}

static gboolean
is_blank_range (const char *p,
                gsize       from,
                gsize       to)
{
  for (gsize i = from; i < to; i++)
    if (!is_blank_char (p[i]))
      return FALSE;
  return TRUE;
}

/* Follows a display formula on lines of its own, opening at the margin
 * outside code. md4c is shown a heading in its place (see
 * cria-markdown-math.c), which ends whatever came before it and continues
 * nothing: once it closes at the end of a line, its first line and the
 * line after it are stable points. The closed formula is then final at
 * once, and never parsed again while the answer goes on.
 *
 * The finder reads a run from its first line, so a formula opening on the
 * first line of a run is read the same way here, with the same functions.
 * One opening after other lines of its run could be read otherwise (a
 * formula before it may run on into it), so the scanner's feed has the
 * finder confirm it (math_closed). */
static void
scan_math (ScanState  *s,
           const char *start,
           const char *end,
           gsize       offset,
           gboolean    run_start)
{
  gsize len = end - start;
  gsize from = 0;
  gsize close_start;
  gsize close_end;

  if (len == 0 || is_blank_range (start, 0, len))
    s->pipe_seen = FALSE;
  else if (memchr (start, '|', len) != NULL)
    s->pipe_seen = TRUE;

  if (s->math_open)
    {
      if (++s->math_lines >= CRIA_MARKDOWN_MAX_MATH_LINES
          || _cria_markdown_math_line_stops (start, len))
        {
          s->math_open = FALSE;
          return;
        }
    }
  else if (!s->in_fence && (run_start || !s->pipe_seen)
           && _cria_markdown_math_opens_block (start, 0, len, &s->math, &from))
    {
      s->math_open = TRUE;
      s->math_lines = 0;
      s->math_line = offset;
      s->math_run_start = run_start;
      /* An environment is the formula, never empty. */
      s->math_body = s->math.delim == DELIM_ENV;
    }
  else
    return;

  if (!_cria_markdown_math_find_closer (&s->math, start, from, len, &close_start, &close_end))
    {
      s->math_body = s->math_body || !is_blank_range (start, from, len);
      return;
    }

  s->math_open = FALSE;
  s->math_body = s->math_body || !is_blank_range (start, from, close_start);
  if (!s->math_body || !is_blank_range (start, close_end, len))
    return;

  if (s->math_run_start)
    {
      s->after_fence = TRUE;
      s->context = CONTEXT_NONE;
    }
  else
    s->math_closed = TRUE;
}

static gboolean
scan_line (ScanState  *s,
           const char *start,
           const char *end,
           gsize       offset,
           gboolean    text_start)
{
  gboolean stable = scan_line_blocks (s, start, end);

  scan_math (s, start, end, offset, stable || text_start);
  return stable;
}

static void
report (Scanner   *sc,
        gsize      offset,
        StableFunc func,
        gpointer   user_data)
{
  g_assert (offset >= sc->run_start);

  sc->run_start = offset;
  func (offset, user_data);
}

/* Whether a line is a stable point can often be told from its first byte:
 * after a blank line, a line that starts at the margin ends everything open
 * except a top-level fence or a list it may add an item to. Reporting it
 * then rather than once the line is complete keeps the tail short. This
 * must only answer TRUE where scan_line() will too, whatever the line holds. */
static gboolean
is_stable_from_first_byte (const ScanState *s,
                           char             first)
{
  if (s->in_fence && (!s->fence_nested || s->fence_context == CONTEXT_QUOTE))
    return FALSE;
  if (is_blank_char (first))
    return FALSE;
  if (s->after_fence)
    return TRUE;
  if (!s->after_blank)
    return FALSE;
  /* A fence nested in a list ends here, but the list may go on, or the line
   * may close the fence (see scan_line()). */
  if ((s->context == CONTEXT_LIST || s->in_fence) && strchr ("-+*0123456789", first) != NULL)
    return FALSE;
  if (s->in_fence && first == s->fence_char)
    return FALSE;
  return TRUE;
}

/* Reads the complete lines of text[0, len) not read yet and reports each
 * stable point. A line ends at "\n", "\r\n" or "\r", as in md4c; a "\r" at
 * the very end only ends a line @at_end, since a "\n" may follow. */
void
_cria_markdown_scanner_feed (Scanner    *sc,
              const char *text,
              gsize       len,
              gboolean    at_end,
              StableFunc  func,
              gpointer    user_data)
{
  gsize i = MAX (sc->search_from, sc->line_start);

  while (i < len)
    {
      gsize line_end;
      gsize next;

      if (text[i] != '\n' && text[i] != '\r')
        {
          i++;
          continue;
        }

      line_end = i;
      if (text[i] == '\r')
        {
          if (i + 1 >= len && !at_end)
            break;
          next = (i + 1 < len && text[i + 1] == '\n') ? i + 2 : i + 1;
        }
      else
        next = i + 1;

      if (scan_line (&sc->state, text + sc->line_start, text + line_end, sc->line_start,
                     sc->line_start == 0))
        {
          if (!sc->reported)
            report (sc, sc->line_start, func, user_data);
        }
      else
        g_assert (!sc->reported);

      if (sc->state.math_closed)
        {
          ScanState *s = &sc->state;

          s->math_closed = FALSE;
          if (sc->unconfirmed_run != sc->run_start + 1
              && _cria_markdown_math_block_ends_text (text + sc->run_start, line_end - sc->run_start,
                                                      s->math_line - sc->run_start))
            {
              report (sc, s->math_line, func, user_data);
              s->after_fence = TRUE;
              s->context = CONTEXT_NONE;
            }
          else
            sc->unconfirmed_run = sc->run_start + 1;
        }

      sc->reported = FALSE;
      sc->line_start = next;
      i = next;
    }

  sc->search_from = i;

  if (sc->line_start < len && !sc->reported
      && is_stable_from_first_byte (&sc->state, text[sc->line_start]))
    {
      sc->reported = TRUE;
      report (sc, sc->line_start, func, user_data);
    }
}

static void
record_stable_cb (gsize    offset,
                  gpointer user_data)
{
  gsize *last = user_data;

  *last = offset;
}

/**
 * cria_markdown_stable_prefix:
 * @text: Markdown text
 * @len: length of @text in bytes
 *
 * Finds the longest prefix of @text made of top-level blocks that no
 * continuation of @text can change: a view renders them once and only
 * parses what follows again as more text arrives. The answer is
 * conservative: it may stop earlier than strictly needed, never later.
 *
 * Returns: the prefix's length in bytes, 0 or the start of a line
 */
gsize
cria_markdown_stable_prefix (const char *text,
                             gsize       len)
{
  Scanner sc = { 0, };
  gsize last = 0;

  g_return_val_if_fail (text != NULL || len == 0, 0);

  _cria_markdown_scanner_feed (&sc, text, len, FALSE, record_stable_cb, &last);
  return last;
}

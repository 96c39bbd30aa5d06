/* cria-markdown-math.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-markdown-private.h"

/* Finding maths
 *
 * Models write LaTeX inside Markdown: "$x^2$", "\(x\)", "$$…$$", "\[…\]"
 * and bare environments such as "\begin{aligned}…\end{aligned}". md4c
 * knows none of it (its own "$" spans take every "$" for a delimiter, so
 * "$5 and $10" would be a formula, and "\(" or "\\" are backslash escapes
 * to it), so a run is read here first, line by line, skipping fenced code
 * and code spans, and each formula becomes a region. md4c then parses a
 * copy in which every region's bytes are letters: nothing in a formula can
 * be emphasis, a link, a table pipe or an escape, and md4c hands the letters
 * back as one piece of text at the same offsets, which the builder replaces
 * with the formula. A formula on lines of its own becomes "# " and letters,
 * an ATX heading: like a display block, that ends the paragraph before it,
 * continues none, keeps its place in lists and quotes, and the builder turns
 * it into a MATH block.
 *
 * The rules:
 *
 * - "$…$" lies within one line. The opening "$" is not followed by a space,
 *   the closing one is not preceded by a space nor followed by a digit, and
 *   the formula holds no other "$": "It costs $5 and $10" stays text (the
 *   second "$" cannot close, and the first gives up there), as do "$5-$10",
 *   "US$20" and "$ 5". "\$" is a literal dollar, as Markdown has it.
 * - "$$…$$", "\[…\]" and "\(…\)" may run over lines of one paragraph
 *   when they start a line or their opening delimiter ends one; inside a
 *   line of text they stay in it. "$$" or "\[" starting a line whose closing
 *   delimiter ends a line is a display block, as is "\begin{env}" …
 *   "\end{env}" for the environments below; elsewhere they are display
 *   spans (inline for "\("). In a line of text, "\[…\]" right after a
 *   letter or digit, or around nothing but digits ("a\[i\]", "\[1\]"), is
 *   a pair of escaped brackets, as Markdown writers use them.
 * - No formula crosses a blank line or a code fence: LaTeX itself refuses a
 *   paragraph break in display maths, and a stray "$$" must not swallow the
 *   rest of an answer. An opening delimiter without its closing one is text.
 * - At the end of a stream's tail (@tail), a formula still open is shown as
 *   arriving (pending), except "$", which is only when what follows it can
 *   be nothing but maths: a backslash, "^", "_" or "{" (a price is never
 *   followed by those).
 *
 * The work is linear: a search for a closing delimiter that fails remembers
 * where it stopped, so later openers of the same kind in that paragraph do
 * not search again. */

static const char * const environments[] = {
  "equation", "equation*", "align", "align*", "aligned", "gather", "gather*",
  "gathered", "cases", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix",
  "Vmatrix", "array", "multline", "multline*", "split", "alignat", "alignat*",
  "alignedat", "smallmatrix", "eqnarray", "eqnarray*",
};

/* Each delimiter and environment, searched within one line or over lines. */
#define N_SEARCH_KINDS (2 * (DELIM_ENV + G_N_ELEMENTS (environments)))

typedef struct
{
  const char *text;
  gsize       len;
  gboolean    tail;
  GArray     *regions;
  /* A failed search for the closing delimiter of a kind (an environment
   * counts as its own kind) started at fail_from and found none before
   * fail_until: any search starting between them fails too. */
  gsize       fail_from[N_SEARCH_KINDS];
  gsize       fail_until[N_SEARCH_KINDS];
  /* A search ran into the end of the text: what the text holds so far does
   * not settle that formula. */
  gboolean    hit_end;
} Finder;

/* Where a line's content starts after the markers of the containers it
 * may be in, and the shape of those markers, so that the later lines of a
 * formula can be stripped of theirs. */
typedef struct
{
  gsize content;
  guint quotes;
  guint indent;
} Prefix;

static inline gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

static inline gboolean
is_line_end (char c)
{
  return c == '\n' || c == '\r';
}

static gsize
find_line_end (const Finder *f,
               gsize         pos)
{
  while (pos < f->len && !is_line_end (f->text[pos]))
    pos++;
  return pos;
}

static gsize
skip_line_end (const Finder *f,
               gsize         pos)
{
  if (pos < f->len && f->text[pos] == '\r')
    {
      pos++;
      if (pos < f->len && f->text[pos] == '\n')
        pos++;
    }
  else if (pos < f->len && f->text[pos] == '\n')
    pos++;
  return pos;
}

/* Reads the block quote markers and list markers at the start of a line;
 * an approximation of CommonMark's containers that is all a formula needs. */
static void
read_prefix (const Finder *f,
             gsize         pos,
             gsize         line_end,
             Prefix       *out)
{
  guint col = 0;

  out->quotes = 0;
  for (guint round = 0; round < 64; round++)
    {
      while (pos < line_end && is_space (f->text[pos]))
        {
          col = f->text[pos] == '\t' ? (col + 4) & ~3u : col + 1;
          pos++;
        }
      if (pos >= line_end)
        break;
      if (f->text[pos] == '>')
        {
          out->quotes++;
          col = 0;
          pos++;
          if (pos < line_end && is_space (f->text[pos]))
            pos++;
          continue;
        }
      if ((f->text[pos] == '-' || f->text[pos] == '+' || f->text[pos] == '*')
          && pos + 1 < line_end && is_space (f->text[pos + 1]))
        {
          col++;
          pos++;
          continue;
        }
      if (g_ascii_isdigit (f->text[pos]))
        {
          gsize q = pos;

          while (q < line_end && g_ascii_isdigit (f->text[q]) && q - pos < 9)
            q++;
          if (q < line_end && (f->text[q] == '.' || f->text[q] == ')')
              && q + 1 < line_end && is_space (f->text[q + 1]))
            {
              col += q + 1 - pos;
              pos = q + 1;
              continue;
            }
        }
      break;
    }
  out->content = pos;
  out->indent = col;
}

static gboolean
is_fence_at (const Finder *f,
             gsize         pos,
             gsize         line_end,
             char         *fence_char,
             guint        *fence_len)
{
  gsize q = pos;

  if (pos >= line_end || (f->text[pos] != '`' && f->text[pos] != '~'))
    return FALSE;
  while (q < line_end && f->text[q] == f->text[pos])
    q++;
  if (q - pos < 3)
    return FALSE;
  if (fence_char != NULL)
    {
      *fence_char = f->text[pos];
      *fence_len = q - pos;
    }
  return TRUE;
}

/* Whether the line text[0, len) ends a formula's search: a blank line
 * (blank inside its containers too) or a code fence. */
gboolean
_cria_markdown_math_line_stops (const char *text,
                                gsize       len)
{
  Finder f = { .text = text, .len = len };
  Prefix prefix;

  read_prefix (&f, 0, len, &prefix);
  return prefix.content >= len || is_fence_at (&f, prefix.content, len, NULL, NULL);
}

static gboolean
line_stops_formula (const Finder *f,
                    gsize         pos)
{
  return _cria_markdown_math_line_stops (f->text + pos, find_line_end (f, pos) - pos);
}

/* Matches "\begin{NAME}" or "\end{NAME}" at text[pos, line_end) for one of
 * the environments, returning its index or -1, and the end of the match. */
static int
match_env (const char *text,
           gsize       pos,
           gsize       line_end,
           const char *word,
           gsize      *end)
{
  gsize word_len = strlen (word);
  const char *name;
  const char *close;
  gsize name_len;

  if (pos + word_len + 2 > line_end || memcmp (text + pos, word, word_len) != 0)
    return -1;
  name = text + pos + word_len;
  close = memchr (name, '}', MIN (line_end - (pos + word_len), 16));
  if (close == NULL)
    return -1;
  name_len = close - name;
  for (guint i = 0; i < G_N_ELEMENTS (environments); i++)
    {
      if (strlen (environments[i]) == name_len && memcmp (environments[i], name, name_len) == 0)
        {
          *end = close + 1 - text;
          return i;
        }
    }
  return -1;
}

/* Whether text[pos, line_end) opens a display formula that may stand on
 * lines of its own: "$$", "\[" or "\begin{env}". */
gboolean
_cria_markdown_math_opens_block (const char *text,
                                 gsize       pos,
                                 gsize       line_end,
                                 MathCloser *closer,
                                 gsize      *body_start)
{
  gsize env_end;
  int env;

  memset (closer, 0, sizeof *closer);
  closer->env = -1;
  if (pos + 1 >= line_end)
    return FALSE;

  if (text[pos] == '$' && text[pos + 1] == '$')
    closer->delim = DELIM_DOLLARS;
  else if (text[pos] == '\\' && text[pos + 1] == '[')
    closer->delim = DELIM_BRACKET;
  else if (text[pos] == '\\' && (env = match_env (text, pos, line_end, "\\begin{", &env_end)) >= 0)
    {
      closer->delim = DELIM_ENV;
      closer->env = env;
      *body_start = env_end;
      return TRUE;
    }
  else
    return FALSE;

  *body_start = pos + 2;
  return TRUE;
}

/* Looks for the delimiter closing a display formula or "\(" in
 * text[from, end), up to the end of the line. If there is none, it sets
 * @close_start to the end of the line. */
gboolean
_cria_markdown_math_find_closer (MathCloser *closer,
                                 const char *text,
                                 gsize       from,
                                 gsize       end,
                                 gsize      *close_start,
                                 gsize      *close_end)
{
  gsize line_end = end;
  gsize p = from;

  g_assert (closer->delim != DELIM_DOLLAR);

  while (p < line_end)
    {
      char c = text[p];

      /* The line's end is only found as far as the search goes, so that a
       * search ending early on a long line costs only what it read. */
      if (is_line_end (c))
        {
          line_end = p;
          break;
        }

      if (c == '\\' && p + 1 < line_end)
        {
          gsize env_end;

          if ((closer->delim == DELIM_PAREN && text[p + 1] == ')')
              || (closer->delim == DELIM_BRACKET && text[p + 1] == ']'))
            {
              *close_start = p;
              *close_end = p + 2;
              return TRUE;
            }
          if (closer->delim == DELIM_ENV
              && match_env (text, p, line_end, "\\begin{", &env_end) == closer->env)
            {
              closer->depth++;
              p = env_end;
              continue;
            }
          if (closer->delim == DELIM_ENV
              && match_env (text, p, line_end, "\\end{", &env_end) == closer->env)
            {
              if (closer->depth == 0)
                {
                  *close_start = p;
                  *close_end = env_end;
                  return TRUE;
                }
              closer->depth--;
              p = env_end;
              continue;
            }
          p += is_line_end (text[p + 1]) ? 1 : 2;
          continue;
        }

      if (c == '$' && closer->delim == DELIM_DOLLARS && p + 1 < line_end && text[p + 1] == '$')
        {
          *close_start = p;
          *close_end = p + 2;
          return TRUE;
        }
      p++;
    }
  *close_start = MIN (p, line_end);
  return FALSE;
}

/* Looks for the "$" that may close "$…$" from @from to the end of the
 * line, which it sets @close_start to if there is none. */
static gboolean
find_dollar (const Finder *f,
             gsize         from,
             gsize        *close_start)
{
  gsize p;

  for (p = from; p < f->len && !is_line_end (f->text[p]); p++)
    {
      if (f->text[p] == '\\' && p + 1 < f->len && !is_line_end (f->text[p + 1]))
        p++;
      else if (f->text[p] == '$')
        {
          *close_start = p;
          return TRUE;
        }
    }
  *close_start = p;
  return FALSE;
}

typedef enum
{
  SEARCH_FOUND,
  SEARCH_STOPPED,
  SEARCH_AT_END,
} SearchResult;

/* Looks from @from for the delimiter closing @closer, line by line. It
 * sets the closing delimiter's bytes on success. */
static SearchResult
search_closer (Finder     *f,
               MathCloser *closer,
               gboolean    over_lines,
               gsize       from,
               gsize      *close_start,
               gsize      *close_end)
{
  guint kind = closer->delim == DELIM_ENV ? DELIM_ENV + (guint) closer->env : closer->delim;

  if (over_lines)
    kind += N_SEARCH_KINDS / 2;
  guint n_lines = 0;
  gsize p = from;

  if (from >= f->fail_from[kind] && from < f->fail_until[kind])
    {
      f->hit_end |= f->fail_until[kind] > f->len;
      return f->fail_until[kind] > f->len ? SEARCH_AT_END : SEARCH_STOPPED;
    }

  while (p < f->len)
    {
      gsize line_end;
      gsize next;
      gboolean found;

      if (closer->delim == DELIM_DOLLAR)
        {
          found = find_dollar (f, p, close_start);
          *close_end = *close_start + 1;
        }
      else
        found = _cria_markdown_math_find_closer (closer, f->text, p, f->len, close_start, close_end);
      if (found)
        return SEARCH_FOUND;
      line_end = *close_start;
      if (line_end >= f->len)
        break;

      next = skip_line_end (f, line_end);
      if (!over_lines || ++n_lines >= CRIA_MARKDOWN_MAX_MATH_LINES
          || (next < f->len && line_stops_formula (f, next)))
        {
          f->fail_from[kind] = from;
          f->fail_until[kind] = next;
          return SEARCH_STOPPED;
        }
      p = next;
    }

  f->fail_from[kind] = from;
  f->fail_until[kind] = f->len + 1;
  f->hit_end = TRUE;
  return SEARCH_AT_END;
}

/* The text of f->text[start, end) with the container markers of its later
 * lines removed, as @prefix (the first line's) describes them, and line
 * ends made "\n". */
static char *
strip_lines (const Finder *f,
             gsize         start,
             gsize         end,
             const Prefix *prefix)
{
  GString *out = g_string_sized_new (end - start);
  gsize p = start;

  while (p < end)
    {
      gsize line_end = p;

      while (line_end < end && !is_line_end (f->text[line_end]))
        line_end++;
      g_string_append_len (out, f->text + p, line_end - p);
      if (line_end >= end)
        break;
      g_string_append_c (out, '\n');
      p = skip_line_end (f, line_end);

      for (guint i = 0; i < prefix->quotes; i++)
        {
          gsize q = p;

          for (guint n = 0; n < 3 && q < end && f->text[q] == ' '; n++)
            q++;
          if (q >= end || f->text[q] != '>')
            break;
          p = q + 1;
          if (p < end && is_space (f->text[p]))
            p++;
        }
      for (guint col = 0; p < end && is_space (f->text[p]) && col < prefix->indent; p++)
        col = f->text[p] == '\t' ? (col + 4) & ~3u : col + 1;
    }
  return g_string_free (out, FALSE);
}

static void
add_region (Finder       *f,
            gsize         start,
            gsize         end,
            gsize         body_start,
            gsize         body_end,
            gboolean      block,
            gboolean      display,
            gboolean      pending,
            const Prefix *prefix)
{
  MathRegion region = { 0, };

  g_assert (start < end && end <= f->len);

  region.start = start;
  region.end = end;
  region.block = block;
  region.display = display;
  region.pending = pending;
  region.text = strip_lines (f, start, end, prefix);
  if (!pending)
    {
      char *math = strip_lines (f, body_start, body_end, prefix);

      region.math = g_strdup (g_strstrip (math));
      g_free (math);
    }
  g_array_append_val (f->regions, region);
}

static gboolean
body_is_blank (const Finder *f,
               gsize         start,
               gsize         end)
{
  for (gsize p = start; p < end; p++)
    if (!g_ascii_isspace (f->text[p]))
      return FALSE;
  return TRUE;
}

static gboolean
rest_of_line_is_blank (const Finder *f,
                       gsize         pos)
{
  for (; pos < f->len && !is_line_end (f->text[pos]); pos++)
    if (!is_space (f->text[pos]))
      return FALSE;
  return TRUE;
}

/* The end of a formula still open at the end of the text, without the
 * blanks after it. */
static gsize
pending_end (const Finder *f)
{
  gsize end = f->len;

  while (end > 0 && g_ascii_isspace (f->text[end - 1]))
    end--;
  return end;
}

/* Markdown writers escape brackets to keep them from making links: an
 * index ("a\[i\]", "x\[0\]") or a citation ("\[1\]", "\[2, 3\]") in a line
 * of text is not display maths. */
static gboolean
is_escaped_brackets (const Finder *f,
                     gsize         start,
                     gsize         body_start,
                     gsize         body_end)
{
  if (start > 0 && g_ascii_isalnum (f->text[start - 1]))
    return TRUE;
  for (gsize p = body_start; p < body_end; p++)
    if (!g_ascii_isdigit (f->text[p]) && strchr (", -", f->text[p]) == NULL)
      return FALSE;
  return TRUE;
}

/* What follows an unclosed "$" at the end of a tail can only be maths. */
static gboolean
dollar_is_unambiguous (const Finder *f,
                       gsize         from,
                       gsize         end)
{
  for (gsize p = from; p < end; p++)
    if (strchr ("\\^_{", f->text[p]) != NULL)
      return TRUE;
  return FALSE;
}

/* Tries a formula opening with @delim at text[start, body_start). Returns
 * where scanning goes on: after the formula, or after the opening
 * delimiter when there is none. */
static gsize
try_formula (Finder       *f,
             MathCloser   *closer,
             gsize         start,
             gsize         body_start,
             gboolean      line_start,
             const Prefix *prefix)
{
  MathDelim delim = closer->delim;
  gboolean display = delim != DELIM_DOLLAR && delim != DELIM_PAREN;
  gsize close_start = 0;
  gsize close_end = 0;
  gboolean over_lines;
  SearchResult result;

  /* A formula runs over lines when it stands on lines of its own, or its
   * opening delimiter ends a line of text ("Thus $$" and the formula
   * below); inside a line of text it stays in that line, so that a stray
   * "\[" or "$$" in prose does not take the lines after it. */
  over_lines = delim != DELIM_DOLLAR && (line_start || rest_of_line_is_blank (f, body_start));
  result = search_closer (f, closer, over_lines, body_start, &close_start, &close_end);

  if (result == SEARCH_FOUND && delim == DELIM_DOLLAR)
    {
      /* The closing "$" may not follow a space nor come before a digit, and
       * a "$$" is not one. If it cannot close, this "$" is text, and
       * scanning goes on after it: the next "$" may open a formula. */
      char after = close_end < f->len ? f->text[close_end] : '\0';

      if (is_space (f->text[close_start - 1]) || g_ascii_isdigit (after) || after == '$')
        return body_start;
    }

  if (result == SEARCH_FOUND)
    {
      gboolean block = line_start && rest_of_line_is_blank (f, close_end);

      if (delim == DELIM_BRACKET && !block && is_escaped_brackets (f, start, body_start, close_start))
        return body_start;

      if (delim == DELIM_ENV)
        {
          /* The environment is the formula. */
          body_start = start;
          close_start = close_end;
        }
      if (body_is_blank (f, body_start, close_start))
        return body_start;

      add_region (f, start, close_end, body_start, close_start, block, display, FALSE, prefix);
      return close_end;
    }

  if (result == SEARCH_AT_END && f->tail
      && (delim != DELIM_DOLLAR || dollar_is_unambiguous (f, body_start, f->len)))
    {
      gsize end = MAX (pending_end (f), body_start);

      add_region (f, start, end, body_start, end, line_start, display, TRUE, prefix);
      return f->len;
    }

  return body_start;
}

/* The backtick runs of a line by length, each with the start of every run
 * of that length in order and how many of them lie behind the scan. */
typedef struct
{
  GArray *starts;
  guint   passed;
} Runs;

static void
runs_free (gpointer data)
{
  Runs *runs = data;

  g_array_unref (runs->starts);
  g_free (runs);
}

/* Skips a code span opening at @pos, or its backticks if no run of the
 * same length closes it on this line. The line's runs are listed once, in
 * @runs, so that a line of many unclosed runs is still read in linear
 * time. */
static gsize
skip_code_span (const Finder  *f,
                gsize          pos,
                gsize          line_end,
                GHashTable   **runs)
{
  gsize run_end = pos;
  Runs *same;

  while (run_end < line_end && f->text[run_end] == '`')
    run_end++;

  if (*runs == NULL)
    {
      *runs = g_hash_table_new_full (NULL, NULL, NULL, runs_free);
      for (gsize p = pos; p < line_end;)
        {
          gsize q = p;

          if (f->text[p] != '`')
            {
              p++;
              continue;
            }
          while (q < line_end && f->text[q] == '`')
            q++;
          same = g_hash_table_lookup (*runs, GSIZE_TO_POINTER (q - p));
          if (same == NULL)
            {
              same = g_new0 (Runs, 1);
              same->starts = g_array_new (FALSE, FALSE, sizeof (gsize));
              g_hash_table_insert (*runs, GSIZE_TO_POINTER (q - p), same);
            }
          g_array_append_val (same->starts, p);
          p = q;
        }
    }

  same = g_hash_table_lookup (*runs, GSIZE_TO_POINTER (run_end - pos));
  if (same == NULL)
    return run_end;
  while (same->passed < same->starts->len
         && g_array_index (same->starts, gsize, same->passed) <= pos)
    same->passed++;
  if (same->passed == same->starts->len)
    return run_end;
  return g_array_index (same->starts, gsize, same->passed) + (run_end - pos);
}

/* Scans text[pos, …) for formulas up to the end of its line, and further
 * when a formula runs over lines. Returns the start of the next line. */
static gsize
scan_text (Finder       *f,
           gsize         pos,
           gboolean      line_start,
           const Prefix *prefix)
{
  g_autoptr(GHashTable) runs = NULL;
  gsize line_end = find_line_end (f, pos);

  while (pos < line_end)
    {
      char c = f->text[pos];
      gsize next;

      if (c == '`')
        {
          pos = skip_code_span (f, pos, line_end, &runs);
          line_start = FALSE;
          continue;
        }

      MathCloser closer = { .env = -1 };
      gsize body_start;

      if (line_start && _cria_markdown_math_opens_block (f->text, pos, line_end, &closer, &body_start))
        next = try_formula (f, &closer, pos, body_start, TRUE, prefix);
      else if (c == '\\' && pos + 1 < line_end)
        {
          char d = f->text[pos + 1];

          closer.delim = d == '(' ? DELIM_PAREN : DELIM_BRACKET;
          if (d == '(' || d == '[')
            next = try_formula (f, &closer, pos, pos + 2, FALSE, prefix);
          else
            /* A backslash escape, "\$" among them, or a lone backslash. */
            next = pos + (g_ascii_ispunct (d) ? 2 : 1);
        }
      else if (c == '$' && pos + 1 < line_end && f->text[pos + 1] == '$')
        {
          closer.delim = DELIM_DOLLARS;
          next = try_formula (f, &closer, pos, pos + 2, FALSE, prefix);
        }
      else if (c == '$' && pos + 1 < line_end && !is_space (f->text[pos + 1]))
        {
          closer.delim = DELIM_DOLLAR;
          next = try_formula (f, &closer, pos, pos + 1, FALSE, prefix);
        }
      else
        next = pos + 1;

      g_assert (next > pos);
      pos = next;
      line_start = FALSE;
      /* A formula over several lines ends on a later one. */
      if (pos > line_end)
        {
          line_end = find_line_end (f, pos);
          g_clear_pointer (&runs, g_hash_table_unref);
        }
    }

  return skip_line_end (f, line_end);
}

static void
region_clear (gpointer data)
{
  MathRegion *region = data;

  g_clear_pointer (&region->text, g_free);
  g_clear_pointer (&region->math, g_free);
}

static GArray *
find_regions (const char *text,
              gsize       len,
              gboolean    tail,
              gboolean   *hit_end)
{
  Finder f = { 0, };
  gboolean in_fence = FALSE;
  char fence_char = 0;
  guint fence_len = 0;
  gsize pos = 0;

  f.text = text;
  f.len = len;
  f.tail = tail;
  f.regions = g_array_new (FALSE, TRUE, sizeof (MathRegion));
  g_array_set_clear_func (f.regions, region_clear);

  /* A "$" or a backslash is the least a formula needs. */
  if (memchr (text, '$', len) == NULL && memchr (text, '\\', len) == NULL)
    {
      *hit_end = FALSE;
      return f.regions;
    }

  while (pos < len)
    {
      gsize line_end = find_line_end (&f, pos);
      Prefix prefix;
      char c;
      guint n;

      read_prefix (&f, pos, line_end, &prefix);

      if (in_fence)
        {
          if (is_fence_at (&f, prefix.content, line_end, &c, &n)
              && c == fence_char && n >= fence_len
              && rest_of_line_is_blank (&f, prefix.content + n))
            in_fence = FALSE;
          pos = skip_line_end (&f, line_end);
          continue;
        }

      if (is_fence_at (&f, prefix.content, line_end, &fence_char, &fence_len))
        {
          in_fence = TRUE;
          pos = skip_line_end (&f, line_end);
          continue;
        }

      /* Text before the content (markers, indent) holds no formula. */
      pos = scan_text (&f, prefix.content, TRUE, &prefix);
    }

  *hit_end = f.hit_end;
  return f.regions;
}

GArray *
_cria_markdown_math_find (const char *text,
                          gsize       len,
                          gboolean    tail)
{
  gboolean hit_end;

  return find_regions (text, len, tail, &hit_end);
}

/* Whether the finder, reading text[0, len) as a run, sees a display block
 * on lines of its own that starts at @line and ends the text, with every
 * formula before it settled by the text so far. Then nothing after the
 * text can change the blocks before @line: md4c will see a heading there,
 * which ends any paragraph or list before it. */
gboolean
_cria_markdown_math_block_ends_text (const char *text,
                                     gsize       len,
                                     gsize       line)
{
  g_autoptr(GArray) regions = NULL;
  Finder f = { .text = text, .len = len };
  gboolean hit_end;

  /* A run is made valid UTF-8 before it is read, which moves offsets. */
  if (!g_utf8_validate_len (text, len, NULL))
    return FALSE;

  regions = find_regions (text, len, FALSE, &hit_end);
  for (guint i = 0; !hit_end && i < regions->len; i++)
    {
      const MathRegion *region = &g_array_index (regions, MathRegion, i);

      /* A block has nothing but blanks after it on its last line. */
      if (region->start == line)
        return region->block && find_line_end (&f, region->end) == len;
    }
  return FALSE;
}

char *
_cria_markdown_math_fill (const char *text,
                          gsize       len,
                          GArray     *regions,
                          gsize      *fill_len)
{
  gsize size = len;
  char *fill;

  /* Only a pending block at the very end can be shorter than "# a". */
  if (regions->len > 0)
    {
      const MathRegion *last = &g_array_index (regions, MathRegion, regions->len - 1);

      if (last->block && last->end - last->start < 3)
        size = MAX (size, last->start + 3);
    }

  fill = g_malloc (size + 1);
  memcpy (fill, text, len);
  fill[size] = '\0';

  for (guint i = 0; i < regions->len; i++)
    {
      const MathRegion *region = &g_array_index (regions, MathRegion, i);
      gsize end = region->end;

      if (region->block)
        {
          end = MAX (end, region->start + 3);
          fill[region->start] = '#';
          fill[region->start + 1] = ' ';
          memset (fill + region->start + 2, 'a', end - region->start - 2);
        }
      else
        memset (fill + region->start, 'a', end - region->start);
    }

  *fill_len = size;
  return fill;
}

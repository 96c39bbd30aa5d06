/* cria-html-text.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not an HTML parser: a tolerant scanner that knows which elements carry no
 * reading text and which ones start a new line. Pages are full of broken
 * markup, so nothing here fails; it only ever moves forward.
 */

#include "config.h"

#include <string.h>

#include "cria-html-text.h"

typedef struct
{
  GString  *out;
  gboolean  pending_space;
  guint     pending_newlines;
  guint     pre;
} Writer;

/* Elements whose content is never reading text. */
static const char *const skipped[] = {
  "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
  "nav", "aside", "footer", "select", "button", "head",
};

/* Elements with raw text content: nothing inside them is markup. */
static const char *const raw[] = { "script", "style", "textarea", "title", "xmp" };

static const char *const blocks[] = {
  "p", "div", "br", "tr", "section", "article", "main", "header", "blockquote", "pre", "table",
  "ul", "ol", "dl", "dt", "dd", "hr", "figure", "figcaption", "address", "details", "summary",
  "li", "h1", "h2", "h3", "h4", "h5", "h6", "body", "html", "caption", "form", "fieldset",
};

static gboolean
in_list (const char        *name,
         const char *const *list,
         gsize              n)
{
  for (gsize i = 0; i < n; i++)
    if (g_str_equal (name, list[i]))
      return TRUE;
  return FALSE;
}

static const struct { const char *name; const char *text; } named_entities[] = {
  { "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" }, { "apos", "'" },
  { "nbsp", " " }, { "mdash", "—" }, { "ndash", "–" }, { "hellip", "…" }, { "copy", "©" },
  { "reg", "®" }, { "trade", "™" }, { "rsquo", "’" }, { "lsquo", "‘" }, { "rdquo", "”" },
  { "ldquo", "“" }, { "laquo", "«" }, { "raquo", "»" }, { "euro", "€" }, { "pound", "£" },
  { "yen", "¥" }, { "cent", "¢" }, { "deg", "°" }, { "times", "×" }, { "divide", "÷" },
  { "middot", "·" }, { "bull", "•" }, { "shy", "" }, { "zwnj", "" }, { "zwj", "" },
  { "para", "¶" }, { "sect", "§" }, { "plusmn", "±" }, { "minus", "−" }, { "larr", "←" },
  { "rarr", "→" }, { "auml", "ä" }, { "ouml", "ö" }, { "uuml", "ü" }, { "Auml", "Ä" },
  { "Ouml", "Ö" }, { "Uuml", "Ü" }, { "szlig", "ß" }, { "eacute", "é" }, { "egrave", "è" },
  { "aacute", "á" }, { "agrave", "à" }, { "ccedil", "ç" }, { "ntilde", "ñ" }, { "oacute", "ó" },
  { "iacute", "í" }, { "uacute", "ú" },
};

static void
flush_pending (Writer *w)
{
  if (w->out->len > 0)
    {
      if (w->pending_newlines > 0)
        {
          /* No trailing spaces before a line break. */
          while (w->out->len > 0 && w->out->str[w->out->len - 1] == ' ')
            g_string_truncate (w->out, w->out->len - 1);
          for (guint i = 0; i < MIN (w->pending_newlines, 2); i++)
            g_string_append_c (w->out, '\n');
        }
      else if (w->pending_space && w->out->str[w->out->len - 1] != '\n')
        g_string_append_c (w->out, ' ');
    }
  w->pending_space = FALSE;
  w->pending_newlines = 0;
}

static void
write_char (Writer *w,
            char    c)
{
  if (w->pre == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'))
    {
      w->pending_space = TRUE;
      return;
    }
  if (w->pre > 0 && c == '\r')
    return;
  if (w->pre > 0 && c == '\n')
    {
      flush_pending (w);
      g_string_append_c (w->out, '\n');
      return;
    }
  flush_pending (w);
  g_string_append_c (w->out, c);
}

static void
write_text (Writer     *w,
            const char *text)
{
  for (; *text != '\0'; text++)
    write_char (w, *text);
}

static void
newline (Writer *w,
         guint   count)
{
  w->pending_newlines = MAX (w->pending_newlines, count);
}

/* Decodes the entity at @p (which points at '&') into @w; returns the end. */
static const char *
write_entity (Writer     *w,
              const char *p,
              const char *end)
{
  const char *semi;
  gsize n;

  for (semi = p + 1; semi < end && semi - p <= 10 && *semi != ';'; semi++)
    if (!g_ascii_isalnum (*semi) && *semi != '#')
      break;
  if (semi >= end || *semi != ';')
    {
      write_char (w, '&');
      return p + 1;
    }

  n = semi - p - 1;
  if (n >= 2 && p[1] == '#')
    {
      gboolean hex = p[2] == 'x' || p[2] == 'X';
      char digits[12] = { 0 };
      guint64 c;
      char *digits_end = NULL;

      memcpy (digits, p + (hex ? 3 : 2), MIN (n - (hex ? 2 : 1), sizeof digits - 1));
      c = g_ascii_strtoull (digits, &digits_end, hex ? 16 : 10);
      if (digits_end != digits && *digits_end == '\0' && c > 0 && c <= 0x10FFFF &&
          g_unichar_validate ((gunichar) c))
        {
          char utf8[8] = { 0 };

          if (c == 0xA0)
            c = ' ';
          g_unichar_to_utf8 ((gunichar) c, utf8);
          write_text (w, utf8);
          return semi + 1;
        }
    }
  else
    {
      for (guint i = 0; i < G_N_ELEMENTS (named_entities); i++)
        if (strlen (named_entities[i].name) == n && strncmp (p + 1, named_entities[i].name, n) == 0)
          {
            write_text (w, named_entities[i].text);
            return semi + 1;
          }
    }

  write_char (w, '&');
  return p + 1;
}

/* Finds "</name" (any case) from @p, or @end. */
static const char *
find_close (const char *p,
            const char *end,
            const char *name)
{
  gsize n = strlen (name);

  for (; p + 2 + n <= end; p++)
    if (p[0] == '<' && p[1] == '/' && g_ascii_strncasecmp (p + 2, name, n) == 0)
      return p;
  return end;
}

/* Moves past a tag's attributes to just after its '>', minding quotes. */
static const char *
skip_tag (const char *p,
          const char *end)
{
  char quote = 0;

  for (; p < end; p++)
    {
      if (quote != 0)
        {
          if (*p == quote)
            quote = 0;
        }
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p + 1;
    }
  return end;
}

char *
cria_html_to_text (const char  *html,
                   gsize        length,
                   char       **title)
{
  g_autofree char *valid = g_utf8_make_valid (html, length);
  const char *p = valid, *end = valid + strlen (valid);
  Writer w = { g_string_new (NULL), FALSE, 0, 0 };
  g_autofree char *skipping = NULL;
  guint skip_depth = 0;

  if (title != NULL)
    *title = NULL;

  while (p < end)
    {
      char name[16];
      gsize n = 0;
      gboolean closing;
      const char *tag_start;

      if (*p != '<')
        {
          if (skipping != NULL)
            p++;
          else if (*p == '&')
            p = write_entity (&w, p, end);
          else
            write_char (&w, *p++);
          continue;
        }

      if (strncmp (p, "<!--", 4) == 0)
        {
          const char *close = strstr (p + 4, "-->");
          p = close != NULL ? close + 3 : end;
          continue;
        }
      if (p[1] == '!' || p[1] == '?')
        {
          p = skip_tag (p + 1, end);
          continue;
        }

      tag_start = p;
      closing = p[1] == '/';
      p += closing ? 2 : 1;
      if (!g_ascii_isalpha (*p))
        {
          /* A lone '<' in text. */
          if (skipping == NULL)
            write_char (&w, '<');
          p = tag_start + 1;
          continue;
        }
      while (p < end && (g_ascii_isalnum (*p) || *p == '-' || *p == ':'))
        {
          if (n < sizeof name - 1)
            name[n++] = g_ascii_tolower (*p);
          p++;
        }
      name[n] = '\0';
      p = skip_tag (p, end);

      if (skipping != NULL)
        {
          if (g_str_equal (name, skipping))
            {
              if (!closing)
                skip_depth++;
              else if (--skip_depth == 0)
                g_clear_pointer (&skipping, g_free);
            }
          continue;
        }

      if (!closing && in_list (name, raw, G_N_ELEMENTS (raw)))
        {
          const char *close = find_close (p, end, name);

          if (g_str_equal (name, "title") && title != NULL && *title == NULL)
            {
              g_autofree char *inner = cria_html_to_text (p, close - p, NULL);
              *title = g_strdup (g_strstrip (inner));
              if (**title == '\0')
                g_clear_pointer (title, g_free);
            }
          else if (g_str_equal (name, "textarea") || g_str_equal (name, "xmp"))
            {
              for (const char *q = p; q < close; q++)
                write_char (&w, *q);
            }
          p = close < end ? skip_tag (close, end) : end;
          continue;
        }

      if (!closing && in_list (name, skipped, G_N_ELEMENTS (skipped)))
        {
          /* <head> holds the title: scan it for that, but write nothing. */
          if (g_str_equal (name, "head") && title != NULL && *title == NULL)
            {
              const char *close = find_close (p, end, "head");

              for (const char *q = p; q + 7 <= close; q++)
                if (g_ascii_strncasecmp (q, "<title", 6) == 0 && (q[6] == '>' || q[6] == ' '))
                  {
                    const char *inner = skip_tag (q, close);
                    const char *inner_end = find_close (inner, close, "title");
                    g_autofree char *text = cria_html_to_text (inner, inner_end - inner, NULL);

                    *title = g_strdup (g_strstrip (text));
                    if (**title == '\0')
                      g_clear_pointer (title, g_free);
                    break;
                  }
            }
          /* Void-looking <svg/> has no content. */
          if (tag_start < p - 1 && p[-2] == '/')
            continue;
          skipping = g_strdup (name);
          skip_depth = 1;
          continue;
        }

      if (g_str_equal (name, "pre"))
        {
          if (closing && w.pre > 0)
            w.pre--;
          else if (!closing)
            w.pre++;
        }

      if (in_list (name, blocks, G_N_ELEMENTS (blocks)))
        {
          gboolean heading = n == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6';

          newline (&w, (heading || g_str_equal (name, "p") || g_str_equal (name, "pre") ||
                        g_str_equal (name, "blockquote") || g_str_equal (name, "table")) ? 2 : 1);
          if (!closing && heading)
            {
              flush_pending (&w);
              for (int i = 0; i < name[1] - '0'; i++)
                g_string_append_c (w.out, '#');
              g_string_append_c (w.out, ' ');
            }
          else if (!closing && g_str_equal (name, "li"))
            {
              flush_pending (&w);
              g_string_append (w.out, "- ");
            }
        }
      else if (g_str_equal (name, "td") || g_str_equal (name, "th"))
        w.pending_space = TRUE;
    }

  return g_strstrip (g_string_free (w.out, FALSE));
}

/* cria-json.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-json.h"

static gboolean
is_number_char (char c)
{
  return g_ascii_isdigit (c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* JSON-GLib 1.6 writes a double in its shortest form and adds ".0" when that
 * form has no decimal point, to keep it from reading back as an integer:
 * a price of 3e-09 dollars comes out as "3e-09.0", which is not JSON, and
 * the export holding it could not be imported again. The ".0" after an
 * exponent is dropped; strings are copied as they are. Works in place and
 * returns the new length. */
static gsize
repair_numbers (char  *text,
                gsize  len)
{
  gsize r = 0;
  gsize w = 0;

  while (r < len)
    {
      char c = text[r];

      if (c == '"')
        {
          /* A string, base64 images included, is copied whole: find its
           * closing quote, the first one after an even run of backslashes. */
          gsize start = r++;
          const char *quote;

          for (;;)
            {
              gsize backslashes = 0;

              quote = memchr (text + r, '"', len - r);
              if (quote == NULL)
                {
                  r = len;
                  break;
                }
              r = (gsize) (quote - text) + 1;
              while (quote - backslashes > text + start && quote[-1 - (gssize) backslashes] == '\\')
                backslashes++;
              if (backslashes % 2 == 0)
                break;
            }
          if (w != start)
            memmove (text + w, text + start, r - start);
          w += r - start;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize start = r;
          gsize exponent = 0;
          gboolean has_exponent = FALSE;
          gsize end;

          while (r < len && is_number_char (text[r]))
            {
              if (text[r] == 'e' || text[r] == 'E')
                {
                  has_exponent = TRUE;
                  exponent = r;
                }
              r++;
            }
          end = r;
          if (has_exponent && end >= exponent + 3 && text[end - 2] == '.' && text[end - 1] == '0')
            end -= 2;
          if (w != start)
            memmove (text + w, text + start, end - start);
          w += end - start;
        }
      else
        text[w++] = text[r++];
    }
  text[w] = '\0';

  return w;
}

char *
cria_json_to_data (JsonNode *root,
                   gboolean  pretty,
                   gsize    *length)
{
  g_autoptr(JsonGenerator) generator = NULL;
  char *data;
  gsize len = 0;

  g_return_val_if_fail (root != NULL, NULL);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  len = repair_numbers (data, len);
  if (length != NULL)
    *length = len;

  return data;
}

static int
hex4 (const char *data,
      gsize       len,
      gsize       at)
{
  int value = 0;

  if (at + 4 > len)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

typedef enum {
  ESCAPE_GOOD,   /* one JSON allows, decoding to valid UTF-8 */
  ESCAPE_BAD,    /* not JSON, or decoding to bytes no string may hold */
} EscapeKind;

/* Looks at the escape at @at (a backslash) and gives its length. JSON-GLib
 * 1.6 reads its strings with GScanner, which also takes C's octal and
 * other escapes (\601 is the byte 0x81), decodes a lone low surrogate to
 * bytes that are not UTF-8, cuts a string short at \u0000 and fails the
 * whole text on a lone high surrogate. Only the escapes JSON has, with
 * surrogates in pairs and no NUL, are good. */
static EscapeKind
read_escape (const char *data,
             gsize       len,
             gsize       at,
             gsize      *length)
{
  int unit;
  int low;

  *length = at + 1 < len ? 2 : 1;
  if (at + 1 >= len)
    return ESCAPE_BAD;
  switch (data[at + 1])
    {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      return ESCAPE_GOOD;
    case 'u':
      break;
    default:
      return ESCAPE_BAD;
    }

  unit = hex4 (data, len, at + 2);
  if (unit < 0)
    return ESCAPE_BAD;
  *length = 6;
  if (unit == 0 || (unit >= 0xdc00 && unit <= 0xdfff))
    return ESCAPE_BAD;
  if (unit < 0xd800 || unit > 0xdbff)
    return ESCAPE_GOOD;
  if (at + 7 < len && data[at + 6] == '\\' && data[at + 7] == 'u' &&
      (low = hex4 (data, len, at + 8)) >= 0xdc00 && low <= 0xdfff)
    {
      *length = 12;
      return ESCAPE_GOOD;
    }
  return ESCAPE_BAD;
}

/* Scans the string whose first byte after the opening quote is at @i, and
 * gives the position of its closing quote, or 0 when it has a bad escape
 * or does not end. */
static gsize
scan_string (const char *data,
             gsize       len,
             gsize       i)
{
  while (i < len && data[i] != '"')
    {
      gsize length;

      if (data[i] != '\\')
        {
          i++;
          continue;
        }
      if (read_escape (data, len, i, &length) != ESCAPE_GOOD)
        return 0;
      i += length;
    }
  return i < len ? i : 0;
}

gboolean
cria_json_is_single_value (const char *data,
                           gsize       len)
{
  gsize i = 0;
  gsize depth = 0;
  gboolean scalar = FALSE;

  if (data == NULL)
    return FALSE;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i == len)
    return FALSE;

  for (; i < len; i++)
    {
      char c = data[i];

      /* A bare word or number at the top (true, 12) ends at white space
       * or the end; anything opening after it is a second value. */
      if (scalar && (c == '"' || c == '{' || c == '['))
        return FALSE;

      if (c == '"')
        {
          gsize end = scan_string (data, len, i + 1);

          if (end == 0)
            return FALSE;
          i = end;
          if (depth == 0)
            {
              i++;
              break;
            }
        }
      else if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          if (depth == 0)
            return FALSE;
          if (--depth == 0)
            {
              i++;
              break;
            }
        }
      else if (depth == 0 && g_ascii_isspace (c))
        break;
      else if (depth == 0)
        scalar = TRUE;
    }

  /* Only white space may follow the value. */
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i == len;
}

char *
cria_json_repair_strings (const char *data,
                          gsize       len,
                          gsize      *out_len)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean changed = FALSE;
  gboolean in_string = FALSE;

  if (out_len != NULL)
    *out_len = 0;
  if (data == NULL)
    return NULL;

  /* Bytes that are not UTF-8 become U+FFFD: what is around them arrives. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      valid = g_utf8_make_valid (data, (gssize) len);
      data = valid;
      len = strlen (valid);
      changed = TRUE;
    }

  out = g_string_sized_new (len + 16);
  for (gsize i = 0; i < len; i++)
    {
      gsize length;

      if (data[i] == '"')
        in_string = !in_string;
      if (!in_string || data[i] != '\\')
        {
          g_string_append_c (out, data[i]);
          continue;
        }

      if (read_escape (data, len, i, &length) == ESCAPE_GOOD)
        g_string_append_len (out, data + i, (gssize) length);
      else if (length == 6)
        {
          /* A lone surrogate or a NUL: the replacement character. */
          g_string_append (out, "\\ufffd");
          changed = TRUE;
        }
      else
        {
          /* Any other backslash stays as one, with what followed it. */
          g_string_append (out, "\\\\");
          length = 1;
          changed = TRUE;
        }
      i += length - 1;
    }

  if (!changed)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  if (out_len != NULL)
    *out_len = out->len;
  return g_string_free (out, FALSE);
}

char *
cria_json_parse_error_text (const GError *error)
{
  const char *message;

  g_return_val_if_fail (error != NULL, NULL);

  message = error->message != NULL ? error->message : "";
  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>:");
  return g_utf8_make_valid (message, -1);
}

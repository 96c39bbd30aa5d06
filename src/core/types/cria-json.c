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
          /* A string: to its closing quote, escapes skipped. */
          for (i++; i < len && data[i] != '"'; i++)
            if (data[i] == '\\')
              i++;
          if (i >= len)
            return FALSE;
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

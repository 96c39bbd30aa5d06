/* cria-document-text.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A text file's bytes as UTF-8, whatever the encoding it was saved in, and
 * the test that tells text from binary data.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-document-reader-private.h"

/* Converted in pieces this long, so cancelling a large file stops soon. */
#define CHUNK_SIZE (1024 * 1024)
/* The start of the data looked at to tell text from binary. */
#define SNIFF_SIZE 8192
/* More control characters than this share of the start: binary data. */
#define MAX_CONTROL_PERCENT 10

gboolean
_cria_document_looks_like_pdf (const guint8 *data,
                               gsize         len)
{
  gsize n = MIN (len, 1024);

  /* The header may follow some junk: readers look in the first KiB. */
  for (gsize i = 0; i + 5 <= n; i++)
    if (memcmp (data + i, "%PDF-", 5) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
looks_binary (const guint8 *data,
              gsize         len)
{
  gsize n = MIN (len, SNIFF_SIZE);
  gsize controls = 0;

  for (gsize i = 0; i < n; i++)
    {
      guint8 c = data[i];

      if (c == '\0')
        return TRUE;
      /* Tabs, line ends, form feeds and escapes (terminal colours in a log)
       * are at home in text. */
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1b) ||
          c == 0x7f)
        controls++;
    }

  return controls * 100 > n * MAX_CONTROL_PERCENT;
}

static void
set_too_large (GError     **error,
               const char  *name)
{
  g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_TOO_LARGE,
               _("“%s” holds more than %d MB of text."),
               name, CRIA_DOCUMENT_MAX_TEXT_SIZE / (1024 * 1024));
}

/* UTF-16 by hand rather than through iconv: a lone surrogate or an odd last
 * byte becomes U+FFFD instead of failing the whole file. */
static char *
decode_utf16 (const guint8  *data,
              gsize          len,
              gboolean       big_endian,
              const char    *name,
              GCancellable  *cancellable,
              gsize         *out_len,
              GError       **error)
{
  GString *text = g_string_sized_new (len / 2 + 1);
  gsize i = 0;

  while (i + 1 < len)
    {
      gunichar2 unit;

      if (i % CHUNK_SIZE == 0)
        {
          if (g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              g_string_free (text, TRUE);
              return NULL;
            }
          if (text->len > CRIA_DOCUMENT_MAX_TEXT_SIZE)
            break;
        }

      unit = big_endian ? (data[i] << 8 | data[i + 1]) : (data[i + 1] << 8 | data[i]);
      i += 2;

      if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < len)
        {
          gunichar2 low = big_endian ? (data[i] << 8 | data[i + 1]) : (data[i + 1] << 8 | data[i]);

          if (low >= 0xdc00 && low < 0xe000)
            {
              i += 2;
              g_string_append_unichar (text, 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
              continue;
            }
        }

      if (unit >= 0xd800 && unit < 0xe000)
        g_string_append_unichar (text, 0xfffd);
      else
        g_string_append_unichar (text, unit);
    }

  if (i < len)
    g_string_append_unichar (text, 0xfffd);

  if (text->len > CRIA_DOCUMENT_MAX_TEXT_SIZE)
    {
      g_string_free (text, TRUE);
      set_too_large (error, name);
      return NULL;
    }

  *out_len = text->len;
  return g_string_free (text, FALSE);
}

/* Single-byte text, piece by piece: Windows-1252 where every byte is one of
 * its characters, Latin-1 (which maps every byte) otherwise. */
static char *
decode_single_byte (const guint8  *data,
                    gsize          len,
                    const char    *name,
                    GCancellable  *cancellable,
                    gsize         *out_len,
                    GError       **error)
{
  const char *charset = "WINDOWS-1252";
  GString *text = g_string_sized_new (len + len / 8 + 1);

  /* Five bytes have no character in Windows-1252. */
  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == 0x81 || data[i] == 0x8d || data[i] == 0x8f || data[i] == 0x90 || data[i] == 0x9d)
        {
          charset = "ISO-8859-1";
          break;
        }
    }

  for (gsize done = 0; done < len; done += CHUNK_SIZE)
    {
      gsize n = MIN (CHUNK_SIZE, len - done);
      g_autoptr(GError) local_error = NULL;
      g_autofree char *piece = NULL;
      gsize piece_len = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_string_free (text, TRUE);
          return NULL;
        }

      piece = g_convert ((const char *) data + done, n, "UTF-8", charset, NULL, &piece_len, &local_error);
      if (piece == NULL)
        {
          /* Not expected for single-byte charsets; keep the text readable
           * rather than drop it. */
          g_autofree char *valid = g_utf8_make_valid ((const char *) data + done, n);

          g_string_append (text, valid);
        }
      else
        g_string_append_len (text, piece, piece_len);

      if (text->len > CRIA_DOCUMENT_MAX_TEXT_SIZE)
        {
          g_string_free (text, TRUE);
          set_too_large (error, name);
          return NULL;
        }
    }

  *out_len = text->len;
  return g_string_free (text, FALSE);
}

char *
_cria_document_decode_text (const guint8  *data,
                            gsize          len,
                            const char    *name,
                            GCancellable  *cancellable,
                            gsize         *out_len,
                            GError       **error)
{
  char *copy;

  g_assert (data != NULL || len == 0);
  g_assert (name != NULL);
  g_assert (out_len != NULL);

  if (len > CRIA_DOCUMENT_MAX_TEXT_FILE_SIZE)
    {
      set_too_large (error, name);
      return NULL;
    }

  if (len >= 2 && data[0] == 0xff && data[1] == 0xfe)
    return decode_utf16 (data + 2, len - 2, FALSE, name, cancellable, out_len, error);
  if (len >= 2 && data[0] == 0xfe && data[1] == 0xff)
    return decode_utf16 (data + 2, len - 2, TRUE, name, cancellable, out_len, error);

  if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
    {
      data += 3;
      len -= 3;
    }
  else if (looks_binary (data, len))
    {
      /* Valid UTF-8 or not: control characters all through it are no
       * text anyone wrote. */
      g_set_error (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_BINARY,
                   _("“%s” is not text."), name);
      return NULL;
    }
  else if (!g_utf8_validate_len ((const char *) data, len, NULL))
    return decode_single_byte (data, len, name, cancellable, out_len, error);

  /* UTF-8, with or without its BOM: bad bytes after a BOM are mended when
   * the page is cleaned. */
  if (len > CRIA_DOCUMENT_MAX_TEXT_SIZE)
    {
      set_too_large (error, name);
      return NULL;
    }
  *out_len = len;
  /* Not g_strndup(): a NUL after a BOM must not cut the text short. */
  copy = g_malloc (len + 1);
  memcpy (copy, data, len);
  copy[len] = '\0';

  return copy;
}

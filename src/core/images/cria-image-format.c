/* cria-image-format.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What the bytes of an image say before any decoder sees them: which of the
 * formats Cria opens they are in, and where a GIF's first frame ends. */

#include "config.h"

#include <string.h>

#include "cria-image-preparer.h"
#include "cria-image-preparer-private.h"

/**
 * cria_image_sniff:
 *
 * Names the format of an image from its first bytes, its magic numbers; only
 * the formats Cria opens (JPEG, PNG, WebP, GIF, BMP) are named. The name of a
 * file plays no part: an SVG called photo.png is still refused.
 *
 * Returns: (nullable): the gdk-pixbuf loader's name, or %NULL
 */
const char *
cria_image_sniff (const guint8 *data,
                  gsize         len)
{
  if (len >= 3 && memcmp (data, "\xff\xd8\xff", 3) == 0)
    return "jpeg";
  if (len >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "png";
  if (len >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0))
    return "gif";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "webp";
  if (len >= 2 && memcmp (data, "BM", 2) == 0)
    return "bmp";

  return NULL;
}

/* GIF's block structure, walked byte by byte: the header and palettes are
 * skipped, extensions too, up to the end of the first image's data. */
enum
{
  GIF_HEADER,
  GIF_SKIP,
  GIF_BLOCK,
  GIF_EXTENSION_LABEL,
  GIF_SUB_BLOCK_LENGTH,
  GIF_IMAGE_DESCRIPTOR,
  GIF_LZW_MIN_CODE,
  GIF_DONE,
};

void
cria_gif_cut_init (CriaGifCut *cut)
{
  memset (cut, 0, sizeof *cut);
  cut->state = GIF_HEADER;
}

static void
gif_cut_skip_palette (CriaGifCut *cut,
                      guint8      flags,
                      int         then)
{
  cut->state = then;
  if (flags & 0x80)
    {
      cut->skip = 3u << ((flags & 0x07) + 1);
      cut->after_skip = then;
      cut->state = GIF_SKIP;
    }
}

/**
 * cria_gif_cut_feed:
 *
 * Walks @len more bytes of a GIF. Returns how many of them belong to the
 * data up to the end of the first frame; once cria_gif_cut_done(), that is
 * fewer than @len and the rest of the file is not needed: a decoder given
 * the bytes so far and a trailer (';') has a complete one-frame GIF. Data
 * that is not a GIF at all is passed through unchanged, for the loader to
 * refuse.
 */
gsize
cria_gif_cut_feed (CriaGifCut   *cut,
                   const guint8 *data,
                   gsize         len)
{
  gsize i = 0;

  while (i < len && cut->state != GIF_DONE)
    {
      guint8 byte = data[i];

      switch (cut->state)
        {
        case GIF_SKIP:
          {
            gsize n = MIN (cut->skip, len - i);

            i += n;
            cut->skip -= n;
            if (cut->skip == 0)
              cut->state = cut->after_skip;
            continue;
          }

        case GIF_HEADER:
          cut->buffer[cut->buffer_len++] = byte;
          i++;
          if (cut->buffer_len == 13)
            {
              if (memcmp (cut->buffer, "GIF", 3) != 0)
                {
                  cut->broken = TRUE;
                  cut->state = GIF_DONE;
                  return len;
                }
              gif_cut_skip_palette (cut, cut->buffer[10], GIF_BLOCK);
            }
          continue;

        case GIF_BLOCK:
          i++;
          if (byte == 0x21)
            cut->state = GIF_EXTENSION_LABEL;
          else if (byte == 0x2c)
            {
              cut->buffer_len = 0;
              cut->state = GIF_IMAGE_DESCRIPTOR;
            }
          else
            {
              /* The trailer, or damage: either way the data ends here. */
              cut->state = GIF_DONE;
              cut->ended = byte == 0x3b;
            }
          continue;

        case GIF_EXTENSION_LABEL:
          i++;
          cut->in_image = FALSE;
          cut->state = GIF_SUB_BLOCK_LENGTH;
          continue;

        case GIF_SUB_BLOCK_LENGTH:
          i++;
          if (byte == 0)
            cut->state = cut->in_image ? GIF_DONE : GIF_BLOCK;
          else
            {
              cut->skip = byte;
              cut->after_skip = GIF_SUB_BLOCK_LENGTH;
              cut->state = GIF_SKIP;
            }
          continue;

        case GIF_IMAGE_DESCRIPTOR:
          cut->buffer[cut->buffer_len++] = byte;
          i++;
          if (cut->buffer_len == 9)
            gif_cut_skip_palette (cut, cut->buffer[8], GIF_LZW_MIN_CODE);
          continue;

        case GIF_LZW_MIN_CODE:
          i++;
          cut->in_image = TRUE;
          cut->state = GIF_SUB_BLOCK_LENGTH;
          continue;

        default:
          g_assert_not_reached ();
        }
    }

  return i;
}

gboolean
cria_gif_cut_done (const CriaGifCut *cut)
{
  return cut->state == GIF_DONE;
}

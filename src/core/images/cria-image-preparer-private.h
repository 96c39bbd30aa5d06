/* cria-image-preparer-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-image-preparer.h"

G_BEGIN_DECLS

/* Finds where a GIF's first frame ends, fed the data piece by piece, so the
 * frames after it are never read or decoded. */
typedef struct
{
  int      state;
  gsize    skip;
  int      after_skip;
  guint8   buffer[16];
  gsize    buffer_len;
  gboolean in_image;
  gboolean ended;
  gboolean broken;
} CriaGifCut;

void     cria_gif_cut_init (CriaGifCut       *cut);
gsize    cria_gif_cut_feed (CriaGifCut       *cut,
                            const guint8     *data,
                            gsize             len);
gboolean cria_gif_cut_done (const CriaGifCut *cut);

/* The bytes given to pixbuf loaders in this process so far. */
gsize    _cria_image_get_bytes_decoded (void);

G_END_DECLS

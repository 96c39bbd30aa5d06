/* cria-image-texture.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Decodes an encoded image (@encoded, or the data URL @data_url) into a
 * texture at most @max_side pixels on its longest side, in a worker thread:
 * the main loop only receives the finished texture. */
void        cria_image_texture_load_async  (GBytes               *encoded,
                                            const char           *data_url,
                                            int                   max_side,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture *cria_image_texture_load_finish (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS

/* cria-chat-view-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-chat-view.h"

G_BEGIN_DECLS

/* For tests and benchmarks: the view's parts, reached without its struct. */
GtkListView       *_cria_chat_view_get_list_view       (CriaChatView *self);
GtkScrolledWindow *_cria_chat_view_get_scroller        (CriaChatView *self);
/* The stack of the "empty" page and the "messages" page. */
GtkStack          *_cria_chat_view_get_stack           (CriaChatView *self);
/* Whether the view follows the newest text. */
gboolean           _cria_chat_view_get_stick_to_bottom (CriaChatView *self);

G_END_DECLS

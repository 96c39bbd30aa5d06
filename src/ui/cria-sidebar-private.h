/* cria-sidebar-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-sidebar.h"

G_BEGIN_DECLS

/* The heading of the group a conversation last changed at @updated (µs since
 * the epoch) falls in, seen at @now: Pinned, Today, Yesterday, Previous 7
 * Days, or the month. */
char *_cria_sidebar_group_label (gint64     updated,
                                 gboolean   pinned,
                                 GDateTime *now);

G_END_DECLS

/* cria-builtin-tools.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cria's own tools, each a CriaTool: the calculator and the clock only
 * compute and run without asking; the history search reads the user's
 * conversations and the page fetcher reaches the network, so they ask.
 */

#pragma once

#include "cria-store.h"
#include "cria-tool.h"

G_BEGIN_DECLS

/* A new array (free function g_object_unref) of Cria's own tools, in the
 * order they are offered: calculator, current_time, convert_time,
 * search_conversations (only when @store is not NULL; it must be open) and
 * fetch_page. Each call makes new tool objects; the page fetcher has its own
 * SoupSession, apart from the one that talks to LlamaGate. */
GPtrArray  *cria_builtin_tools_new       (CriaStore *store);
/* The same tools as a GListModel of CriaTool (a GListStore), ready to be a
 * source of the conversation's toolbox (cria_toolbox_add_source()). */
GListModel *cria_builtin_tools_new_model (CriaStore *store);

G_END_DECLS

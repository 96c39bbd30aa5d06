/* cria-export-markdown.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-record.h"

G_BEGIN_DECLS

/* A readable Markdown transcript of a conversation: a heading per turn,
 * reasoning in a collapsed <details> section, images as image links. */
char *cria_export_markdown (const CriaConversationRecord *record,
                            GPtrArray                    *messages);

G_END_DECLS

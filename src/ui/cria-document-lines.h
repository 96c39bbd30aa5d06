/* cria-document-lines.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Fills @box with a line per document of @documents (CriaDocument): an
 * icon, its name, and its pages or tokens; hides @box when there are
 * none. What a message row shows of the documents sent with it. */
void cria_document_lines_fill (GtkBox    *box,
                               GPtrArray *documents);

G_END_DECLS

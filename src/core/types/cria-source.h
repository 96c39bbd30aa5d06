/* cria-source.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRIA_TYPE_SOURCE (cria_source_get_type ())

/**
 * CriaSource:
 *
 * One passage of a document that was sent with a question because it
 * matched it: which document (its name and content hash), which page, and
 * the passage's text. An answer lists its sources under it. Immutable once
 * made, shared by reference between threads; every string is valid UTF-8.
 */
typedef struct _CriaSource CriaSource;

GType       cria_source_get_type          (void) G_GNUC_CONST;
CriaSource *cria_source_new               (const char *document_name,
                                           const char *document_hash,
                                           guint       page,
                                           const char *text);
CriaSource *cria_source_ref               (CriaSource *self);
void        cria_source_unref             (CriaSource *self);
const char *cria_source_get_document_name (CriaSource *self);
const char *cria_source_get_document_hash (CriaSource *self);
guint       cria_source_get_page          (CriaSource *self);
const char *cria_source_get_text          (CriaSource *self);
gboolean    cria_source_equal             (CriaSource *a,
                                           CriaSource *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSource, cria_source_unref)

G_END_DECLS

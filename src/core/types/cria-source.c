/* cria-source.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-source.h"

struct _CriaSource
{
  gatomicrefcount ref_count;
  char           *document_name;
  char           *document_hash;
  guint           page;
  char           *text;
};

G_DEFINE_BOXED_TYPE (CriaSource, cria_source, cria_source_ref, cria_source_unref)

static char *
valid_copy (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  return g_utf8_make_valid (text, -1);
}

/**
 * cria_source_new:
 * @document_name: the document's name, as shown
 * @document_hash: (nullable): the document's content hash
 * @page: the page the passage is on, from 1; 0 for a document without pages
 * @text: the passage
 *
 * Strings that are not valid UTF-8 are repaired (U+FFFD), so a source can
 * reach a label as it is.
 */
CriaSource *
cria_source_new (const char *document_name,
                 const char *document_hash,
                 guint       page,
                 const char *text)
{
  CriaSource *self = g_new0 (CriaSource, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->document_name = valid_copy (document_name);
  self->document_hash = valid_copy (document_hash);
  self->page = page;
  self->text = valid_copy (text);
  return self;
}

CriaSource *
cria_source_ref (CriaSource *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cria_source_unref (CriaSource *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->document_name);
  g_free (self->document_hash);
  g_free (self->text);
  g_free (self);
}

const char *
cria_source_get_document_name (CriaSource *self)
{
  return self->document_name;
}

/* Returns: the document's content hash, "" when unknown. */
const char *
cria_source_get_document_hash (CriaSource *self)
{
  return self->document_hash;
}

guint
cria_source_get_page (CriaSource *self)
{
  return self->page;
}

const char *
cria_source_get_text (CriaSource *self)
{
  return self->text;
}

gboolean
cria_source_equal (CriaSource *a,
                   CriaSource *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return a->page == b->page &&
         g_str_equal (a->document_name, b->document_name) &&
         g_str_equal (a->document_hash, b->document_hash) &&
         g_str_equal (a->text, b->text);
}

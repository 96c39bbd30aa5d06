/* cria-document.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A document's text as Cria sends and keeps it: pages of valid UTF-8.
 * Reading files into one is cria-document-reader.c's work.
 */

#include "config.h"

#include <string.h>

#include "cria-document.h"
#include "cria-usage.h"

G_DEFINE_QUARK (cria-document-error-quark, cria_document_error)

G_DEFINE_BOXED_TYPE (CriaDocument, cria_document, cria_document_ref, cria_document_unref)

typedef struct
{
  CriaDocument public;
  gatomicrefcount ref_count;
} CriaDocumentReal;

/**
 * cria_document_new:
 * @name: the name shown for it
 * @mime_type: what it is
 * @hash: SHA-256 of its bytes, lowercase hex
 * @size: the source's size in bytes
 * @pages: (array zero-terminated=1): its text, a page each, already clean
 * @n_scanned_pages: pages without a text layer
 *
 * Returns: (transfer full): the document
 */
CriaDocument *
cria_document_new (const char         *name,
                   const char         *mime_type,
                   const char         *hash,
                   gint64              size,
                   const char * const *pages,
                   guint               n_scanned_pages)
{
  CriaDocumentReal *real;
  CriaDocument *self;

  g_return_val_if_fail (name != NULL && g_utf8_validate (name, -1, NULL), NULL);
  g_return_val_if_fail (mime_type != NULL, NULL);
  g_return_val_if_fail (hash != NULL, NULL);
  g_return_val_if_fail (pages != NULL, NULL);

  real = g_new0 (CriaDocumentReal, 1);
  g_atomic_ref_count_init (&real->ref_count);
  self = &real->public;
  self->name = g_strdup (name);
  self->mime_type = g_strdup (mime_type);
  self->hash = g_strdup (hash);
  self->size = size;
  self->pages = g_ptr_array_new_with_free_func (g_free);
  self->n_scanned_pages = n_scanned_pages;

  for (guint i = 0; pages[i] != NULL; i++)
    {
      g_return_val_if_fail (g_utf8_validate (pages[i], -1, NULL), NULL);
      g_return_val_if_fail (strchr (pages[i], '\f') == NULL, NULL);
      g_ptr_array_add (self->pages, g_strdup (pages[i]));
      self->tokens += cria_usage_estimate_tokens (pages[i]);
    }

  return self;
}

CriaDocument *
cria_document_ref (CriaDocument *self)
{
  CriaDocumentReal *real = (CriaDocumentReal *) self;

  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&real->ref_count);

  return self;
}

void
cria_document_unref (CriaDocument *self)
{
  CriaDocumentReal *real = (CriaDocumentReal *) self;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&real->ref_count))
    return;

  g_free (self->name);
  g_free (self->mime_type);
  g_free (self->hash);
  g_ptr_array_unref (self->pages);
  g_free (real);
}

guint
cria_document_get_n_pages (CriaDocument *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pages->len;
}

gboolean
cria_document_is_paged (CriaDocument *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_strcmp0 (self->mime_type, "application/pdf") == 0;
}

/**
 * cria_document_join_pages:
 *
 * Returns: (transfer full): the pages joined by form feeds
 */
char *
cria_document_join_pages (CriaDocument *self)
{
  GString *joined;

  g_return_val_if_fail (self != NULL, NULL);

  joined = g_string_new (NULL);
  for (guint i = 0; i < self->pages->len; i++)
    {
      if (i > 0)
        g_string_append_c (joined, '\f');
      g_string_append (joined, g_ptr_array_index (self->pages, i));
    }

  return g_string_free (joined, FALSE);
}

/**
 * cria_document_split_pages:
 * @joined: pages joined by form feeds
 *
 * Returns: (transfer full) (element-type utf8): the pages, NULL-terminated,
 *   each made clean (text read back from a file may be damaged)
 */
GPtrArray *
cria_document_split_pages (const char *joined)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);
  const char *start = joined;

  g_return_val_if_fail (joined != NULL, pages);

  for (;;)
    {
      const char *end = strchr (start, '\f');

      if (end == NULL)
        {
          g_ptr_array_add (pages, cria_document_clean_page_text (start, -1));
          break;
        }
      g_ptr_array_add (pages, cria_document_clean_page_text (start, end - start));
      start = end + 1;
    }
  g_ptr_array_add (pages, NULL);

  return pages;
}

/**
 * cria_document_clean_page_text:
 * @text: text from outside
 * @len: its length in bytes, or -1 when NUL-terminated
 *
 * Returns: (transfer full): @text as valid UTF-8 without NUL or form feed,
 *   "\r\n" and "\r" turned into "\n"
 */
char *
cria_document_clean_page_text (const char *text,
                               gssize      len)
{
  g_autofree char *valid = NULL;
  GString *clean;
  gsize n;

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  n = len < 0 ? strlen (text) : (gsize) len;
  /* Bad bytes, NUL among them, become U+FFFD. */
  valid = g_utf8_make_valid (n > 0 ? text : "", n);
  clean = g_string_sized_new (n);

  for (const char *p = valid; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (clean, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if (*p == '\f')
        g_string_append_c (clean, '\n');
      else
        g_string_append_c (clean, *p);
    }

  return g_string_free (clean, FALSE);
}

static gsize
longest_backtick_run (const char *text)
{
  gsize longest = 0;
  gsize run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '`')
        {
          /* Not inside MAX(), which would count the backtick twice. */
          run++;
          longest = MAX (longest, run);
        }
      else
        run = 0;
    }

  return longest;
}

/**
 * cria_document_to_prompt:
 *
 * Returns: (transfer full): the document as it is sent inline in a message
 */
char *
cria_document_to_prompt (CriaDocument *self)
{
  gboolean paged;
  gsize fence_len = 3;
  g_autofree char *fence = NULL;
  GString *prompt;

  g_return_val_if_fail (self != NULL, NULL);

  paged = cria_document_is_paged (self);
  for (guint i = 0; i < self->pages->len; i++)
    fence_len = MAX (fence_len, longest_backtick_run (g_ptr_array_index (self->pages, i)) + 1);
  fence = g_strnfill (fence_len, '`');

  prompt = g_string_new (NULL);
  if (paged)
    g_string_append_printf (prompt, "Document \"%s\" (%u pages):\n\n", self->name, self->pages->len);
  else
    g_string_append_printf (prompt, "Document \"%s\":\n\n", self->name);
  g_string_append_printf (prompt, "%s\n", fence);

  for (guint i = 0; i < self->pages->len; i++)
    {
      const char *page = g_ptr_array_index (self->pages, i);

      if (paged)
        g_string_append_printf (prompt, "%s[Page %u]\n", i > 0 ? "\n" : "", i + 1);
      g_string_append (prompt, page);
      if (*page != '\0' && !g_str_has_suffix (page, "\n"))
        g_string_append_c (prompt, '\n');
    }
  g_string_append_printf (prompt, "%s\n", fence);

  return g_string_free (prompt, FALSE);
}

/* cria-document-json.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A message's documents in an exported conversation, and back: the import
 * reads a file from anywhere, so every member is checked and the text made
 * fit for a CriaDocument before one is made.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-document-json.h"

/* As the rest of the importer caps names and ids. */
#define MAX_NAME_BYTES 4096
#define MAX_SIZE G_GINT64_CONSTANT (1000000000000)
/* How much of a name an error message shows. */
#define SHOWN_NAME_CHARS 40

void
cria_document_json_build (GPtrArray   *documents,
                          JsonBuilder *builder)
{
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_array (builder);
  for (guint i = 0; documents != NULL && i < documents->len; i++)
    {
      CriaDocument *document = g_ptr_array_index (documents, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, document->name);
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, document->mime_type);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, document->hash);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, document->size);
      json_builder_set_member_name (builder, "scanned_pages");
      json_builder_add_int_value (builder, document->n_scanned_pages);
      json_builder_set_member_name (builder, "pages");
      json_builder_begin_array (builder);
      for (guint j = 0; j < document->pages->len; j++)
        json_builder_add_string_value (builder, g_ptr_array_index (document->pages, j));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static gboolean
fail_type (const char  *name,
           GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This is not a conversation Cria can import: “%s” has the wrong type."), name);
  return FALSE;
}

static gboolean
fail_range (const char  *name,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This is not a conversation Cria can import: “%s” is out of range."), name);
  return FALSE;
}

/* The start of @name, for a message: it comes from the file. */
static char *
shown_name (const char *name)
{
  glong len = g_utf8_strlen (name, -1);
  g_autofree char *head = g_utf8_substring (name, 0, MIN (len, SHOWN_NAME_CHARS));

  return len > SHOWN_NAME_CHARS ? g_strconcat (head, "…", NULL) : g_steal_pointer (&head);
}

static char *
valid_text (const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  return g_utf8_make_valid (text, -1);
}

/* A string member; missing or null leaves *@value as it is. */
static gboolean
read_string (JsonObject  *object,
             const char  *name,
             char       **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail_type (name, error);
  if (strlen (json_node_get_string (node)) > MAX_NAME_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: “%s” is too long."), name);
      return FALSE;
    }

  g_free (*value);
  *value = valid_text (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gint64       max,
          gint64      *value,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail_type (name, error);
  if (json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    return fail_range (name, error);

  *value = json_node_get_int (node);
  return TRUE;
}

/* Lowercase SHA-256 hex, as the reader makes it; upper case is taken too. */
static char *
read_hash (const char *text)
{
  g_autofree char *hash = NULL;

  if (strlen (text) != 64)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isxdigit (*p))
        return NULL;
    }
  hash = g_ascii_strdown (text, -1);

  return g_steal_pointer (&hash);
}

static CriaDocument *
read_document (JsonNode  *node,
               GError   **error)
{
  JsonObject *object;
  JsonNode *pages_node;
  JsonArray *array;
  g_autofree char *name = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func (g_free);
  gint64 size = 0;
  gint64 scanned = 0;
  gsize text_bytes = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type ("documents", error), NULL;
  object = json_node_get_object (node);

  if (!read_string (object, "name", &name, error) ||
      !read_string (object, "mime_type", &mime_type, error) ||
      !read_string (object, "sha256", &sha256, error) ||
      !read_int (object, "size", MAX_SIZE, &size, error) ||
      !read_int (object, "scanned_pages", CRIA_DOCUMENT_JSON_MAX_PAGES, &scanned, error))
    return NULL;

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: a document has no name."));
      return NULL;
    }
  /* A name is one line wherever it is shown. */
  g_strdelimit (name, "\r\n\t\f", ' ');
  shown = shown_name (name);

  pages_node = json_object_get_member (object, "pages");
  if (pages_node == NULL || !JSON_NODE_HOLDS_ARRAY (pages_node))
    return fail_type ("pages", error), NULL;
  array = json_node_get_array (pages_node);
  if (json_array_get_length (array) > CRIA_DOCUMENT_JSON_MAX_PAGES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: the document “%s” has more than %d pages."),
                   shown, CRIA_DOCUMENT_JSON_MAX_PAGES);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *page = json_array_get_element (array, i);
      const char *text;

      if (!JSON_NODE_HOLDS_VALUE (page) || json_node_get_value_type (page) != G_TYPE_STRING)
        return fail_type ("pages", error), NULL;
      text = json_node_get_string (page);
      text_bytes += strlen (text);
      if (text_bytes > CRIA_DOCUMENT_JSON_MAX_TEXT_BYTES)
        {
          g_autofree char *limit = g_format_size_full (CRIA_DOCUMENT_JSON_MAX_TEXT_BYTES,
                                                       G_FORMAT_SIZE_IEC_UNITS);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("This is not a conversation Cria can import: the text of the document “%s” "
                         "is longer than %s."),
                       shown, limit);
          return NULL;
        }
      g_ptr_array_add (pages, cria_document_clean_page_text (text, -1));
    }
  if (pages->len == 0)
    g_ptr_array_add (pages, g_strdup (""));
  if ((guint64) scanned > pages->len)
    return fail_range ("scanned_pages", error), NULL;
  g_ptr_array_add (pages, NULL);

  if (sha256 != NULL && (hash = read_hash (sha256)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: the document “%s” has a “sha256” "
                     "that is not a SHA-256 hash."),
                   shown);
      return NULL;
    }

  /* A document's hash names the bytes of its source, which an import does
   * not have, and the history keeps one text per hash: a file claiming the
   * hash of another document could make its text stand in for that one.
   * So a claimed hash stays only when it is the hash of the text itself (a
   * text file); any other document gets the hash of its text. */
  {
    g_autoptr(GString) joined = g_string_new (NULL);
    g_autofree char *own = NULL;

    for (guint i = 0; g_ptr_array_index (pages, i) != NULL; i++)
      {
        if (i > 0)
          g_string_append_c (joined, '\f');
        g_string_append (joined, g_ptr_array_index (pages, i));
      }
    own = g_compute_checksum_for_string (G_CHECKSUM_SHA256, joined->str, joined->len);
    if (g_strcmp0 (hash, own) != 0)
      {
        g_free (hash);
        hash = g_steal_pointer (&own);
      }
  }

  return cria_document_new (name, mime_type != NULL ? mime_type : "text/plain", hash, size,
                            (const char * const *) pages->pdata, (guint) scanned);
}

GPtrArray *
cria_document_json_read (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(GPtrArray) documents = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_document_unref);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_steal_pointer (&documents);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type ("documents", error), NULL;

  array = json_node_get_array (node);
  if (json_array_get_length (array) > CRIA_DOCUMENT_JSON_MAX_DOCUMENTS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: a message carries more than %d documents."),
                   CRIA_DOCUMENT_JSON_MAX_DOCUMENTS);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      CriaDocument *document = read_document (json_array_get_element (array, i), error);

      if (document == NULL)
        return NULL;
      g_ptr_array_add (documents, document);
    }

  return g_steal_pointer (&documents);
}

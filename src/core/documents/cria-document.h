/* cria-document.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRIA_DOCUMENT_ERROR (cria_document_error_quark ())

/**
 * CriaDocumentError:
 * @CRIA_DOCUMENT_ERROR_NOT_FOUND: the file is gone or cannot be opened
 * @CRIA_DOCUMENT_ERROR_EMPTY: the file has no bytes, or no text at all
 * @CRIA_DOCUMENT_ERROR_BINARY: neither text nor a PDF (an executable, an
 *   archive, a binary file named .txt)
 * @CRIA_DOCUMENT_ERROR_TOO_LARGE: past the size, page or text limits
 * @CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD: an encrypted PDF, no password given
 * @CRIA_DOCUMENT_ERROR_WRONG_PASSWORD: an encrypted PDF, the password given
 *   does not open it
 * @CRIA_DOCUMENT_ERROR_CORRUPT: a damaged or truncated PDF
 * @CRIA_DOCUMENT_ERROR_FAILED: anything else
 */
typedef enum
{
  CRIA_DOCUMENT_ERROR_NOT_FOUND,
  CRIA_DOCUMENT_ERROR_EMPTY,
  CRIA_DOCUMENT_ERROR_BINARY,
  CRIA_DOCUMENT_ERROR_TOO_LARGE,
  CRIA_DOCUMENT_ERROR_NEEDS_PASSWORD,
  CRIA_DOCUMENT_ERROR_WRONG_PASSWORD,
  CRIA_DOCUMENT_ERROR_CORRUPT,
  CRIA_DOCUMENT_ERROR_FAILED,
} CriaDocumentError;

GQuark cria_document_error_quark (void);

#define CRIA_TYPE_DOCUMENT (cria_document_get_type ())

/**
 * CriaDocument:
 * @name: the name shown for it (the file's display name), valid UTF-8
 * @mime_type: what it is: "application/pdf", or a text type
 *   ("text/plain", "text/markdown", "text/csv", "application/json", …)
 * @hash: SHA-256 of the source's bytes, lowercase hex; the same document
 *   attached twice (or to two chats) has the same hash
 * @size: the source's size in bytes
 * @pages: (element-type utf8): the text, one valid UTF-8 string per page;
 *   a text file is one page. A string never holds a form feed ('\f') or NUL.
 * @n_scanned_pages: PDF pages that had no text layer (their entry in
 *   @pages is empty): scanned pages, which only OCR can read
 * @tokens: an estimate of the tokens the whole text takes
 *
 * A document's text, read and ready to send: immutable once made, shared
 * by reference between threads.
 */
typedef struct
{
  char      *name;
  char      *mime_type;
  char      *hash;
  gint64     size;
  GPtrArray *pages;
  guint      n_scanned_pages;
  gint64     tokens;
} CriaDocument;

GType         cria_document_get_type       (void) G_GNUC_CONST;

/* Takes the pages as given; each must be valid UTF-8 without '\f' or NUL
 * (use cria_document_clean_page_text() on text from outside). @tokens is
 * computed. */
CriaDocument *cria_document_new            (const char          *name,
                                            const char          *mime_type,
                                            const char          *hash,
                                            gint64               size,
                                            const char * const  *pages,
                                            guint                n_scanned_pages);
CriaDocument *cria_document_ref            (CriaDocument        *self);
void          cria_document_unref          (CriaDocument        *self);

guint         cria_document_get_n_pages    (CriaDocument        *self);
/* Whether it is paged (a PDF) rather than one running text. */
gboolean      cria_document_is_paged       (CriaDocument        *self);

/* The pages joined by form feeds, as the history keeps them; and back. */
char         *cria_document_join_pages     (CriaDocument        *self);
GPtrArray    *cria_document_split_pages    (const char          *joined);

/* Text from outside made fit for a page: valid UTF-8 (bad bytes become
 * U+FFFD), no NUL or form feed, line ends as "\n". */
char         *cria_document_clean_page_text (const char         *text,
                                             gssize              len);

/* The document as it goes into a message sent inline: its name, then its
 * text in a Markdown code fence longer than any run of backticks inside,
 * PDF pages marked "[Page N]". */
char         *cria_document_to_prompt      (CriaDocument        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaDocument, cria_document_unref)

G_END_DECLS

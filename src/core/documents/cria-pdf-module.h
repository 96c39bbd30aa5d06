/* cria-pdf-module.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the PDF module (libcria-pdf, cria-pdf-backend.c) and the documents
 * library say to each other. poppler and the libraries it pulls in (NSS,
 * OpenJPEG, LittleCMS; a C++ library with many relocations) cost every
 * start of Cria several milliseconds to load, and most sessions open no
 * PDF: the module is loaded the first time one is read, in the worker that
 * reads it. It calls nothing of Cria's: what it needs comes in CriaPdfHost.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Raised whenever the structs below change. */
#define CRIA_PDF_MODULE_ABI 1

/* The symbol the module exports. */
#define CRIA_PDF_MODULE_SYMBOL "cria_pdf_module_get_backend"

typedef void (*CriaPdfPageFunc) (guint    done,
                                 guint    total,
                                 gpointer user_data);

typedef struct
{
  /* cria_document_clean_page_text() */
  char    *(*clean_page_text) (const char *text,
                               gssize      len);
  /* _cria_document_looks_like_pdf() */
  gboolean (*looks_like_pdf)  (const guint8 *data,
                               gsize         len);
  /* CRIA_DOCUMENT_ERROR */
  GQuark     error_domain;
  /* The limits of cria-document-reader.h. */
  int        max_pages;
  gsize      max_text_size;
} CriaPdfHost;

typedef struct
{
  guint       abi;
  /* A PDF's pages: a NULL-terminated array of clean page strings, scanned
   * pages empty and counted in @n_scanned; or NULL and @error (the host's
   * error domain, or G_IO_ERROR_CANCELLED). */
  GPtrArray *(*read)   (const CriaPdfHost *host,
                        GBytes            *bytes,
                        const char        *name,
                        const char        *password,
                        GCancellable      *cancellable,
                        CriaPdfPageFunc    page_done,
                        gpointer           user_data,
                        guint             *n_scanned,
                        GError           **error);
  /* Page @page (0-based) as a PNG whose longer side is @max_side pixels
   * (already clamped), white background. */
  GBytes    *(*render) (const CriaPdfHost *host,
                        GBytes            *pdf,
                        const char        *password,
                        guint              page,
                        int                max_side,
                        GError           **error);
} CriaPdfBackend;

typedef const CriaPdfBackend *(*CriaPdfModuleGetBackend) (void);

/* The backend, the module loaded on first use (thread-safe); NULL with a
 * CRIA_DOCUMENT_ERROR_FAILED error when it cannot be loaded. The host
 * struct to hand it is *@host. */
const CriaPdfBackend *_cria_pdf_backend_get (const CriaPdfHost **host,
                                             GError            **error);

G_END_DECLS

/* cria-document-pdf.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PDF's text, page by page, through the PDF module (cria-pdf-backend.c),
 * loaded here the first time a PDF is read.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <gmodule.h>

#include "cria-document-reader-private.h"
#include "cria-pdf-module.h"

/* error_domain is filled in when the module is loaded (a quark is not a
 * constant). */
static CriaPdfHost host = {
  .clean_page_text = cria_document_clean_page_text,
  .looks_like_pdf = _cria_document_looks_like_pdf,
  .max_pages = CRIA_DOCUMENT_MAX_PAGES,
  .max_text_size = CRIA_DOCUMENT_MAX_TEXT_SIZE,
};

static GMutex module_lock;
static const CriaPdfBackend *loaded_backend;
static char *load_failure;

/* Where the module is: the build tree's for a program of the build tree
 * (tests, an uninstalled run), else where it was installed. */
static char *
module_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  const char *override = g_getenv ("CRIA_PDF_MODULE");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
  if (self != NULL && g_str_has_prefix (self, CRIA_BUILD_ROOT "/"))
    return g_strdup (CRIA_PDF_MODULE_BUILT);
  return g_strdup (CRIA_PDF_MODULE_INSTALLED);
}

static const CriaPdfBackend *
load_backend (char **failure)
{
  g_autofree char *path = module_path ();
  CriaPdfModuleGetBackend get_backend = NULL;
  const CriaPdfBackend *backend;
  GModule *module;

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      *failure = g_strdup (g_module_error ());
      return NULL;
    }
  if (!g_module_symbol (module, CRIA_PDF_MODULE_SYMBOL, (gpointer *) &get_backend) || get_backend == NULL)
    {
      *failure = g_strdup_printf ("%s has no %s", path, CRIA_PDF_MODULE_SYMBOL);
      g_module_close (module);
      return NULL;
    }
  backend = get_backend ();
  if (backend == NULL || backend->abi != CRIA_PDF_MODULE_ABI)
    {
      *failure = g_strdup_printf ("%s is of another version of Cria", path);
      g_module_close (module);
      return NULL;
    }
  /* Kept for good: its code is in use by any thread that reads a PDF. */
  g_module_make_resident (module);
  return backend;
}

const CriaPdfBackend *
_cria_pdf_backend_get (const CriaPdfHost **host_out,
                       GError            **error)
{
  const CriaPdfBackend *backend;

  g_mutex_lock (&module_lock);
  if (loaded_backend == NULL && load_failure == NULL)
    {
      host.error_domain = CRIA_DOCUMENT_ERROR;
      loaded_backend = load_backend (&load_failure);
      if (loaded_backend == NULL)
        g_message ("The PDF module cannot be loaded: %s", load_failure);
    }
  backend = loaded_backend;
  g_mutex_unlock (&module_lock);

  if (backend == NULL)
    {
      g_set_error_literal (error, CRIA_DOCUMENT_ERROR, CRIA_DOCUMENT_ERROR_FAILED,
                           _("Cria cannot read PDFs: its PDF reader is missing or broken. "
                             "Reinstalling Cria should bring it back."));
      return NULL;
    }
  *host_out = &host;
  return backend;
}

GPtrArray *
_cria_document_read_pdf (GBytes                *bytes,
                         const char            *name,
                         const char            *password,
                         GCancellable          *cancellable,
                         CriaDocumentPageFunc   page_done,
                         gpointer               user_data,
                         guint                 *n_scanned,
                         GError               **error)
{
  const CriaPdfHost *pdf_host = NULL;
  const CriaPdfBackend *backend;

  g_assert (bytes != NULL);
  g_assert (n_scanned != NULL);

  backend = _cria_pdf_backend_get (&pdf_host, error);
  if (backend == NULL)
    return NULL;
  return backend->read (pdf_host, bytes, name, password, cancellable, page_done, user_data, n_scanned, error);
}

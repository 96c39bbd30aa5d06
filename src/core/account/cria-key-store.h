/* cria-key-store.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRIA_KEY_STORE_ERROR (cria_key_store_error_quark ())

/**
 * CriaKeyStoreError:
 * @CRIA_KEY_STORE_ERROR_UNAVAILABLE: no Secret Service answers (none installed or running)
 * @CRIA_KEY_STORE_ERROR_REFUSED: the keyring is there but refused (locked, dismissed prompt)
 * @CRIA_KEY_STORE_ERROR_FAILED: anything else
 */
typedef enum
{
  CRIA_KEY_STORE_ERROR_UNAVAILABLE,
  CRIA_KEY_STORE_ERROR_REFUSED,
  CRIA_KEY_STORE_ERROR_FAILED,
} CriaKeyStoreError;

GQuark   cria_key_store_error_quark   (void);

/* Keys are kept in the Secret Service, one per base URL. */
void     cria_key_store_store_async   (const char           *base_url,
                                       const char           *api_key,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean cria_key_store_store_finish  (GAsyncResult         *result,
                                       GError              **error);
/* Finishes with %NULL and no error when no key is stored for @base_url. */
void     cria_key_store_lookup_async  (const char           *base_url,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char    *cria_key_store_lookup_finish (GAsyncResult         *result,
                                       GError              **error);
void     cria_key_store_clear_async   (const char           *base_url,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean cria_key_store_clear_finish  (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS

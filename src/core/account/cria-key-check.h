/* cria-key-check.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-client.h"

G_BEGIN_DECLS

#define CRIA_KEY_CHECK_ERROR (cria_key_check_error_quark ())

/**
 * CriaKeyCheckError:
 * @CRIA_KEY_CHECK_ERROR_SERVER_CHANGED: the client's base URL changed while
 *   the key was being checked; the answer says nothing about the new server
 *   and the key was saved nowhere
 * @CRIA_KEY_CHECK_ERROR_NO_KEYRING: the key works, but no keyring can keep it
 *   (none answers, or it refused); it can be used for the session only
 * @CRIA_KEY_CHECK_ERROR_NOT_SAVED: the key works, but saving it failed for
 *   another reason (the message says which); it can be used for the session only
 */
typedef enum
{
  CRIA_KEY_CHECK_ERROR_SERVER_CHANGED,
  CRIA_KEY_CHECK_ERROR_NO_KEYRING,
  CRIA_KEY_CHECK_ERROR_NOT_SAVED,
} CriaKeyCheckError;

#define CRIA_TYPE_KEY_CHECK (cria_key_check_get_type ())

G_DECLARE_FINAL_TYPE (CriaKeyCheck, cria_key_check, CRIA, KEY_CHECK, GObject)

GQuark        cria_key_check_error_quark            (void);

CriaKeyCheck *cria_key_check_new                    (CriaClient           *client);
/* Puts @api_key (surrounding blanks removed; it must not be blank) on the
 * client, checks it against the client's server and saves it in the keyring
 * for that server. The one flow of the welcome page and Preferences.
 *
 * Fails with the client's error when the check fails
 * (%CRIA_API_ERROR_UNAUTHORIZED when the server refused the key); the client
 * then has no key, unless its base URL changed meanwhile
 * (%CRIA_KEY_CHECK_ERROR_SERVER_CHANGED, whatever the server answered). When
 * the key works but is not saved (%CRIA_KEY_CHECK_ERROR_NO_KEYRING,
 * %CRIA_KEY_CHECK_ERROR_NOT_SAVED), it stays on the client and is held for
 * cria_key_check_use_for_session() until cria_key_check_forget(). Every
 * copy of the key is wiped as soon as it is not needed. */
void          cria_key_check_check_and_save_async   (CriaKeyCheck         *self,
                                                     const char           *api_key,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean      cria_key_check_check_and_save_finish  (CriaKeyCheck         *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* TRUE while a check runs, and after the key worked but was not saved. */
gboolean      cria_key_check_has_unsaved_key        (CriaKeyCheck         *self);
/* The session-only variant: puts the held key on the client without saving
 * it, and forgets it. Fails with %CRIA_KEY_CHECK_ERROR_SERVER_CHANGED (and
 * forgets the key) when the client serves another server than the one the
 * key was checked with. */
gboolean      cria_key_check_use_for_session        (CriaKeyCheck         *self,
                                                     GError              **error);
/* Wipes the held key, if any. */
void          cria_key_check_forget                 (CriaKeyCheck         *self);

G_END_DECLS

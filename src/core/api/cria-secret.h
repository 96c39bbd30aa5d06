/* cria-secret.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An API key (or a header that carries one) in memory Cria owns. Freed
 * memory is not cleared by the allocator, so a key would linger there for
 * anything that later reads the heap (a core dump, a leaked buffer): every
 * copy of a key is wiped before it is freed, through these and nothing else. */
typedef char CriaSecret;

/* Overwrites the bytes of @secret up to its terminating nul with zeros, in a
 * way the compiler may not drop. %NULL is fine. */
void cria_secret_wipe (char *secret);
/* Wipes @secret, then frees it with g_free(). %NULL is fine. */
void cria_secret_free (char *secret);

/* Frees the secret at @secret_ptr and sets it to %NULL. */
#define cria_secret_clear(secret_ptr) g_clear_pointer ((secret_ptr), cria_secret_free)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSecret, cria_secret_free)

G_END_DECLS

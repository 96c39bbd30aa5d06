/* cria-secret.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-secret.h"

void
cria_secret_wipe (char *secret)
{
  if (secret == NULL)
    return;

  /* Unlike memset(), explicit_bzero() is not optimised away when the
   * buffer is freed right after. */
  explicit_bzero (secret, strlen (secret));
}

void
cria_secret_free (char *secret)
{
  if (secret == NULL)
    return;

  cria_secret_wipe (secret);
  g_free (secret);
}

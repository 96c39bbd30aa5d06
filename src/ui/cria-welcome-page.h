/* cria-welcome-page.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-client.h"

G_BEGIN_DECLS

#define CRIA_TYPE_WELCOME_PAGE (cria_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (CriaWelcomePage, cria_welcome_page, CRIA, WELCOME_PAGE, AdwBin)

/* Asks for a LlamaGate key, checks it against the server and keeps it in the
 * keyring; emits "key-ready" once @client holds a working key. */
GtkWidget  *cria_welcome_page_new        (CriaClient      *client);
CriaClient *cria_welcome_page_get_client (CriaWelcomePage *self);

G_END_DECLS

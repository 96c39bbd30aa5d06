/* cria-window.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-application.h"
#include "cria-conversation.h"

G_BEGIN_DECLS

#define CRIA_TYPE_WINDOW (cria_window_get_type ())

G_DECLARE_FINAL_TYPE (CriaWindow, cria_window, CRIA, WINDOW, AdwApplicationWindow)

CriaWindow       *cria_window_new              (CriaApplication *application);
CriaConversation *cria_window_get_conversation (CriaWindow      *self);
/* The key is known (from the environment, the keyring or the welcome page):
 * show the chat and ask the server for its models. */
void              cria_window_show_chat        (CriaWindow      *self);

G_END_DECLS

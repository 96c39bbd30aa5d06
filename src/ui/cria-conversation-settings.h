/* cria-conversation-settings.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-conversation.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CONVERSATION_SETTINGS (cria_conversation_settings_get_type ())

G_DECLARE_FINAL_TYPE (CriaConversationSettings, cria_conversation_settings, CRIA, CONVERSATION_SETTINGS, AdwPreferencesWindow)

/* A conversation's system prompt, sampling parameters, answer format and
 * tools. Each parameter has a switch: off leaves the server's default. The
 * conversation takes the values when the window closes (or
 * cria_conversation_settings_apply()), and ::applied says so. */
GtkWidget *cria_conversation_settings_new   (CriaConversation         *conversation);
void       cria_conversation_settings_apply (CriaConversationSettings *self);

G_END_DECLS

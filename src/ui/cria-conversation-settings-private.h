/* cria-conversation-settings-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-conversation-settings.h"

G_BEGIN_DECLS

struct _CriaConversationSettings
{
  AdwPreferencesWindow  parent_instance;

  CriaConversation     *conversation;

  GtkTextView          *system_prompt_view;
  GtkSpinButton        *temperature_spin;
  GtkSwitch            *temperature_switch;
  GtkSpinButton        *top_p_spin;
  GtkSwitch            *top_p_switch;
  GtkSpinButton        *max_tokens_spin;
  GtkSwitch            *max_tokens_switch;
  GtkSpinButton        *presence_spin;
  GtkSwitch            *presence_switch;
  GtkSpinButton        *frequency_spin;
  GtkSwitch            *frequency_switch;
  GtkSpinButton        *seed_spin;
  GtkSwitch            *seed_switch;
  GtkEntry             *stop_entry;
  AdwComboRow          *format_row;
  GtkWidget            *schema_box;
  GtkTextView          *schema_view;
  GtkLabel             *schema_status_label;

  /* Tools (cria-conversation-settings-tools.c). */
  AdwPreferencesGroup  *tools_group;
  GtkSwitch            *enabled_switch;
  AdwComboRow          *choice_row;
  /* The tool_choice of each row of choice_row: NULL, "required", a name. */
  GPtrArray            *choice_values;
  /* The sources shown, "" for Cria's own, and the switch of each. */
  GPtrArray            *source_keys;
  GPtrArray            *source_switches;
};

void _cria_conversation_settings_load_tools  (CriaConversationSettings *self);
void _cria_conversation_settings_apply_tools (CriaConversationSettings *self);

G_END_DECLS

/* cria-composer-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The composer's Tools switch: whether the chat offers the model tools. It
 * is off, and says why, when the chat's model cannot call tools. The
 * composer also hands each conversation it is told of the window's tools
 * and the round limit of the preferences. */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-composer-private.h"

void
_cria_composer_update_tools (CriaComposer *self)
{
  const char *reason = NULL;
  gboolean has_tools = self->toolbox != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->toolbox)) > 0;

  if (self->conversation != NULL)
    reason = cria_conversation_get_tools_unavailable_reason (self->conversation);
  if (reason == NULL && !has_tools)
    reason = _("No tools are available.");

  gtk_widget_set_sensitive (GTK_WIDGET (self->tools_button), self->conversation != NULL && reason == NULL);
  /* A switch that cannot be used shows off, whatever the chat's setting. */
  g_signal_handlers_block_by_func (self->tools_button, _cria_composer_tools_toggled_cb, self);
  gtk_toggle_button_set_active (self->tools_button,
                                reason == NULL && self->conversation != NULL &&
                                cria_conversation_get_tools_enabled (self->conversation));
  g_signal_handlers_unblock_by_func (self->tools_button, _cria_composer_tools_toggled_cb, self);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->tools_button),
                               reason != NULL ? reason : _("Let the model call tools"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->tools_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  reason != NULL ? reason : "",
                                  -1);
}

void
_cria_composer_tools_toggled_cb (GtkToggleButton *button,
                                 CriaComposer    *self)
{
  if (self->conversation != NULL)
    cria_conversation_set_tools_enabled (self->conversation, gtk_toggle_button_get_active (button));
}

/* A chat whose switch was never set takes the user's default; a saved
 * chat keeps its own. */
void
_cria_composer_attach_tools (CriaComposer     *self,
                             CriaConversation *old,
                             CriaConversation *conversation)
{
  if (old != NULL)
    g_settings_unbind (old, "max-tool-rounds");

  if (conversation != NULL)
    {
      if (!cria_conversation_get_tools_chosen (conversation))
        cria_conversation_set_tools_enabled (conversation,
                                             g_settings_get_boolean (self->settings, "tools-enabled"));
      cria_conversation_set_toolbox (conversation, self->toolbox);
      g_settings_bind (self->settings, "max-tool-rounds", conversation, "max-tool-rounds",
                       G_SETTINGS_BIND_GET);
      g_signal_connect_swapped (conversation, "notify::tools-unavailable-reason",
                                G_CALLBACK (_cria_composer_update_tools), self);
      g_signal_connect_swapped (conversation, "notify::tools-enabled",
                                G_CALLBACK (_cria_composer_update_tools), self);
    }

  _cria_composer_update_tools (self);
}

void
_cria_composer_dispose_tools (CriaComposer *self)
{
  if (self->toolbox != NULL)
    g_signal_handlers_disconnect_by_data (self->toolbox, self);
  if (self->conversation != NULL)
    g_settings_unbind (self->conversation, "max-tool-rounds");
  g_clear_object (&self->toolbox);
}

/**
 * cria_composer_set_toolbox:
 * @toolbox: (nullable): the tools the conversations may offer
 */
void
cria_composer_set_toolbox (CriaComposer *self,
                           CriaToolbox  *toolbox)
{
  g_return_if_fail (CRIA_IS_COMPOSER (self));
  g_return_if_fail (toolbox == NULL || CRIA_IS_TOOLBOX (toolbox));

  if (self->toolbox != NULL)
    g_signal_handlers_disconnect_by_data (self->toolbox, self);
  if (!g_set_object (&self->toolbox, toolbox))
    return;

  if (toolbox != NULL)
    g_signal_connect_swapped (toolbox, "items-changed", G_CALLBACK (_cria_composer_update_tools), self);
  if (self->conversation != NULL)
    cria_conversation_set_toolbox (self->conversation, toolbox);
  _cria_composer_update_tools (self);
}

/* cria-conversation-settings-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The Tools group of a conversation's settings: whether the chat offers
 * tools, whose tools it offers (Cria's own, each MCP server's), and whether
 * the model must call one. Names come from servers: they are shown as
 * plain text, never markup. */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-conversation-settings-private.h"

/* A row's list of tool names stops after this many bytes. */
#define SUBTITLE_MAX_BYTES 200

static gboolean
str_equal0 (gconstpointer a,
            gconstpointer b)
{
  return g_strcmp0 (a, b) == 0;
}

static void
add_choice (CriaConversationSettings *self,
            GtkStringList            *titles,
            const char               *title,
            const char               *value)
{
  gtk_string_list_append (titles, title);
  g_ptr_array_add (self->choice_values, g_strdup (value));
}

static GtkSwitch *
add_switch_row (CriaConversationSettings *self,
                const char               *title,
                const char               *subtitle,
                gboolean                  active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (self->tools_group, row);

  return GTK_SWITCH (toggle);
}

/* The names of @source's tools, comma-separated and bounded. */
static char *
source_subtitle (CriaToolbox *toolbox,
                 const char  *source)
{
  GString *names = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (toolbox));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaTool) tool = g_list_model_get_item (G_LIST_MODEL (toolbox), i);

      if (!g_str_equal (cria_toolbox_source_key (tool), source))
        continue;
      if (names->len >= SUBTITLE_MAX_BYTES)
        {
          g_string_append (names, ", …");
          break;
        }
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, cria_tool_get_name (tool));
    }

  return g_string_free (names, FALSE);
}

static const char *
describe (CriaConversationSettings *self,
          gboolean                  has_tools)
{
  const char *reason = cria_conversation_get_tools_unavailable_reason (self->conversation);

  if (reason != NULL)
    return reason;
  if (!has_tools)
    return _("No tools are available. Cria’s own tools and those of the MCP servers switched on in Preferences show here.");
  return _("Switched off, a source’s tools are not offered in this chat.");
}

void
_cria_conversation_settings_load_tools (CriaConversationSettings *self)
{
  CriaToolbox *toolbox = cria_conversation_get_toolbox (self->conversation);
  const char * const *off = cria_conversation_get_tool_sources_off (self->conversation);
  const char *choice = cria_conversation_get_tool_choice (self->conversation);
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_auto(GStrv) sources = toolbox != NULL ? cria_toolbox_dup_sources (toolbox) : g_new0 (char *, 1);
  guint selected = 0;
  guint n = toolbox != NULL ? g_list_model_get_n_items (G_LIST_MODEL (toolbox)) : 0;

  self->choice_values = g_ptr_array_new_with_free_func (g_free);
  self->source_keys = g_ptr_array_new_with_free_func (g_free);
  self->source_switches = g_ptr_array_new ();

  self->enabled_switch = add_switch_row (self, _("Use Tools"), _("Let the model call tools in this chat"),
                                         cria_conversation_get_tools_enabled (self->conversation));

  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_autofree char *subtitle = source_subtitle (toolbox, sources[i]);
      const char *title = *sources[i] == '\0' ? _("Cria’s Tools") : sources[i];

      g_ptr_array_add (self->source_keys, g_strdup (sources[i]));
      g_ptr_array_add (self->source_switches,
                       add_switch_row (self, title, subtitle, !g_strv_contains (off, sources[i])));
    }

  add_choice (self, titles, _("Model Decides"), NULL);
  add_choice (self, titles, _("Must Call a Tool"), "required");
  if (g_strcmp0 (choice, "required") == 0)
    selected = 1;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaTool) tool = g_list_model_get_item (G_LIST_MODEL (toolbox), i);
      const char *name = cria_tool_get_name (tool);
      g_autofree char *title = NULL;

      /* The first of two tools with one name is the one that runs. */
      if (name == NULL || g_ptr_array_find_with_equal_func (self->choice_values, name, str_equal0, NULL))
        continue;
      title = g_strdup_printf (_("Must Call “%s”"), cria_tool_get_title (tool));
      if (g_strcmp0 (choice, name) == 0)
        selected = self->choice_values->len;
      add_choice (self, titles, title, name);
    }
  /* A forced tool whose server is gone stays chosen, and says so. */
  if (choice != NULL && selected == 0)
    {
      g_autofree char *title = g_strdup_printf (_("Must Call “%s” (not available now)"), choice);

      selected = self->choice_values->len;
      add_choice (self, titles, title, choice);
    }

  self->choice_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->choice_row), _("Tool Use"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->choice_row), _("Whether the model must call a tool first"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->choice_row), FALSE);
  adw_combo_row_set_model (self->choice_row, G_LIST_MODEL (titles));
  adw_combo_row_set_selected (self->choice_row, selected);
  adw_preferences_group_add (self->tools_group, GTK_WIDGET (self->choice_row));
  adw_preferences_group_set_description (self->tools_group, describe (self, n > 0));
}

void
_cria_conversation_settings_apply_tools (CriaConversationSettings *self)
{
  const char * const *old_off = cria_conversation_get_tool_sources_off (self->conversation);
  g_autoptr(GPtrArray) off = g_ptr_array_new ();
  guint selected = adw_combo_row_get_selected (self->choice_row);

  if (self->choice_values == NULL)
    return;

  /* Sources not shown now (a server that is off) keep their setting. */
  for (guint i = 0; old_off[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (self->source_keys, old_off[i], g_str_equal, NULL))
      g_ptr_array_add (off, (gpointer) old_off[i]);
  for (guint i = 0; i < self->source_keys->len; i++)
    if (!gtk_switch_get_active (g_ptr_array_index (self->source_switches, i)))
      g_ptr_array_add (off, g_ptr_array_index (self->source_keys, i));
  g_ptr_array_add (off, NULL);

  cria_conversation_set_tool_sources_off (self->conversation, (const char * const *) off->pdata);
  if (selected < self->choice_values->len)
    cria_conversation_set_tool_choice (self->conversation, g_ptr_array_index (self->choice_values, selected));
  if (gtk_switch_get_active (self->enabled_switch) != cria_conversation_get_tools_enabled (self->conversation))
    cria_conversation_set_tools_enabled (self->conversation, gtk_switch_get_active (self->enabled_switch));
}

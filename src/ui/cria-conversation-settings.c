/* cria-conversation-settings.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-conversation-settings-private.h"
#include "cria-json-schema.h"

/* The rows of the answer format, in the template's order. */
enum {
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_SCHEMA,
};

G_DEFINE_FINAL_TYPE (CriaConversationSettings, cria_conversation_settings, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  APPLIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_double (GtkSwitch     *toggle,
             GtkSpinButton *spin,
             gboolean       set,
             double         value)
{
  gtk_switch_set_active (toggle, set);
  if (set)
    gtk_spin_button_set_value (spin, value);
}

/* Stop sequences as one line: escaped (a new line is \n), comma-separated. */
static char *
format_stop (char **stop)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; stop != NULL && stop[i] != NULL; i++)
    {
      g_autofree char *escaped = g_strescape (stop[i], NULL);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, escaped);
    }

  return g_string_free (text, FALSE);
}

static GStrv
parse_stop (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GPtrArray) stop = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (parts[i]));

      if (*trimmed != '\0')
        g_ptr_array_add (stop, g_strcompress (trimmed));
    }
  if (stop->len == 0)
    return NULL;

  g_ptr_array_add (stop, NULL);
  return (GStrv) g_ptr_array_steal (stop, NULL);
}

static char *
schema_text (CriaConversationSettings *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->schema_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Says under the schema whether it can be used, and why not; plain text. */
static void
update_schema_status (CriaConversationSettings *self)
{
  g_autofree char *text = schema_text (self);
  g_autoptr(JsonNode) schema = NULL;
  g_autoptr(GError) error = NULL;
  gboolean schema_mode = adw_combo_row_get_selected (self->format_row) == FORMAT_SCHEMA;

  gtk_widget_set_visible (self->schema_box, schema_mode);
  if (!schema_mode)
    return;

  g_strstrip (text);
  if (*text == '\0')
    {
      gtk_label_set_text (self->schema_status_label, _("Paste a JSON schema: an object with “type” and “properties”."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->schema_status_label), "error");
      return;
    }
  schema = cria_json_schema_parse (text, &error);
  if (schema == NULL)
    {
      gtk_label_set_text (self->schema_status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->schema_status_label), "error");
    }
  else
    {
      gtk_label_set_text (self->schema_status_label, _("Answers must follow this schema."));
      gtk_widget_remove_css_class (GTK_WIDGET (self->schema_status_label), "error");
    }
}

static void
load_format (CriaConversationSettings *self,
             const char               *response_format)
{
  g_autoptr(JsonNode) node = response_format != NULL ? json_from_string (response_format, NULL) : NULL;
  JsonNode *schema = node != NULL ? cria_json_schema_from_response_format (node) : NULL;
  guint selected = FORMAT_TEXT;

  if (schema != NULL)
    {
      g_autofree char *pretty = cria_json_schema_pretty (schema);

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->schema_view), pretty, -1);
      selected = FORMAT_SCHEMA;
    }
  else if (node != NULL)
    selected = FORMAT_JSON;

  adw_combo_row_set_selected (self->format_row, selected);
  update_schema_status (self);
}

/* The response_format the settings ask for. A schema that cannot be used
 * keeps what the conversation had: nothing broken is ever sent. */
static char *
chosen_format (CriaConversationSettings *self,
               const CriaChatParams     *old)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) schema = NULL;

  switch (adw_combo_row_get_selected (self->format_row))
    {
    case FORMAT_JSON:
      return cria_json_schema_response_format (NULL);
    case FORMAT_SCHEMA:
      text = schema_text (self);
      schema = cria_json_schema_parse (text, NULL);
      if (schema != NULL)
        return cria_json_schema_response_format (schema);
      return (old->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) ? g_strdup (old->response_format) : NULL;
    case FORMAT_TEXT:
    default:
      return NULL;
    }
}

static void
load (CriaConversationSettings *self)
{
  const CriaChatParams *params = cria_conversation_get_params (self->conversation);
  const char *system_prompt = cria_conversation_get_system_prompt (self->conversation);
  g_autofree char *stop = NULL;

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->system_prompt_view),
                            system_prompt != NULL ? system_prompt : "", -1);
  show_double (self->temperature_switch, self->temperature_spin,
               (params->set & CRIA_CHAT_PARAM_TEMPERATURE) && params->temperature >= 0,
               (params->set & CRIA_CHAT_PARAM_TEMPERATURE) ? params->temperature : -1);
  show_double (self->top_p_switch, self->top_p_spin, params->set & CRIA_CHAT_PARAM_TOP_P, params->top_p);
  show_double (self->max_tokens_switch, self->max_tokens_spin,
               (params->set & CRIA_CHAT_PARAM_MAX_TOKENS) && params->max_tokens > 0,
               (params->set & CRIA_CHAT_PARAM_MAX_TOKENS) ? params->max_tokens : 0);
  show_double (self->presence_switch, self->presence_spin,
               params->set & CRIA_CHAT_PARAM_PRESENCE_PENALTY, params->presence_penalty);
  show_double (self->frequency_switch, self->frequency_spin,
               params->set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY, params->frequency_penalty);
  show_double (self->seed_switch, self->seed_spin, params->set & CRIA_CHAT_PARAM_SEED, params->seed);
  stop = format_stop ((params->set & CRIA_CHAT_PARAM_STOP) ? params->stop : NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->stop_entry), stop);
  load_format (self, (params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) ? params->response_format : NULL);
  _cria_conversation_settings_load_tools (self);
}

void
cria_conversation_settings_apply (CriaConversationSettings *self)
{
  g_autoptr(CriaChatParams) params = cria_chat_params_new ();
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *system_prompt = NULL;

  g_return_if_fail (CRIA_IS_CONVERSATION_SETTINGS (self));

  buffer = gtk_text_view_get_buffer (self->system_prompt_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  system_prompt = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_strstrip (system_prompt);

  if (gtk_switch_get_active (self->temperature_switch))
    {
      params->set |= CRIA_CHAT_PARAM_TEMPERATURE;
      params->temperature = gtk_spin_button_get_value (self->temperature_spin);
    }
  if (gtk_switch_get_active (self->top_p_switch))
    {
      params->set |= CRIA_CHAT_PARAM_TOP_P;
      params->top_p = gtk_spin_button_get_value (self->top_p_spin);
    }
  if (gtk_switch_get_active (self->max_tokens_switch))
    {
      params->set |= CRIA_CHAT_PARAM_MAX_TOKENS;
      params->max_tokens = gtk_spin_button_get_value_as_int (self->max_tokens_spin);
    }
  if (gtk_switch_get_active (self->presence_switch))
    {
      params->set |= CRIA_CHAT_PARAM_PRESENCE_PENALTY;
      params->presence_penalty = gtk_spin_button_get_value (self->presence_spin);
    }
  if (gtk_switch_get_active (self->frequency_switch))
    {
      params->set |= CRIA_CHAT_PARAM_FREQUENCY_PENALTY;
      params->frequency_penalty = gtk_spin_button_get_value (self->frequency_spin);
    }
  if (gtk_switch_get_active (self->seed_switch))
    {
      params->set |= CRIA_CHAT_PARAM_SEED;
      params->seed = (gint64) gtk_spin_button_get_value (self->seed_spin);
    }
  params->stop = parse_stop (gtk_editable_get_text (GTK_EDITABLE (self->stop_entry)));
  if (params->stop != NULL)
    params->set |= CRIA_CHAT_PARAM_STOP;
  params->response_format = chosen_format (self, cria_conversation_get_params (self->conversation));
  if (params->response_format != NULL)
    params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;

  cria_conversation_set_params (self->conversation, params);
  cria_conversation_set_system_prompt (self->conversation, *system_prompt != '\0' ? system_prompt : NULL);
  _cria_conversation_settings_apply_tools (self);

  g_signal_emit (self, signals[APPLIED], 0);
}

static gboolean
cria_conversation_settings_close_request (GtkWindow *window)
{
  cria_conversation_settings_apply (CRIA_CONVERSATION_SETTINGS (window));

  return GTK_WINDOW_CLASS (cria_conversation_settings_parent_class)->close_request (window);
}

static void
cria_conversation_settings_dispose (GObject *object)
{
  CriaConversationSettings *self = CRIA_CONVERSATION_SETTINGS (object);

  g_clear_object (&self->conversation);
  g_clear_pointer (&self->choice_values, g_ptr_array_unref);
  g_clear_pointer (&self->source_keys, g_ptr_array_unref);
  g_clear_pointer (&self->source_switches, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_CONVERSATION_SETTINGS);

  G_OBJECT_CLASS (cria_conversation_settings_parent_class)->dispose (object);
}

static void
cria_conversation_settings_class_init (CriaConversationSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = cria_conversation_settings_dispose;
  window_class->close_request = cria_conversation_settings_close_request;

  /**
   * CriaConversationSettings::applied:
   *
   * The conversation has taken the settings shown.
   */
  signals[APPLIED] =
    g_signal_new ("applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-conversation-settings.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, system_prompt_view);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, temperature_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, temperature_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, top_p_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, top_p_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, max_tokens_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, max_tokens_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, presence_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, presence_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, frequency_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, frequency_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, seed_spin);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, seed_switch);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, stop_entry);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, format_row);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, schema_box);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, schema_view);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, schema_status_label);
  gtk_widget_class_bind_template_child (widget_class, CriaConversationSettings, tools_group);
}

static void
cria_conversation_settings_init (CriaConversationSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->format_row, "notify::selected",
                           G_CALLBACK (update_schema_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->schema_view), "changed",
                           G_CALLBACK (update_schema_status), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cria_conversation_settings_new (CriaConversation *conversation)
{
  CriaConversationSettings *self;

  g_return_val_if_fail (CRIA_IS_CONVERSATION (conversation), NULL);

  self = g_object_new (CRIA_TYPE_CONVERSATION_SETTINGS, NULL);
  self->conversation = g_object_ref (conversation);
  load (self);

  return GTK_WIDGET (self);
}

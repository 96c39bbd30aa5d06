/* cria-api-export.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cria-api-export.h"

#define FORMAT_NAME "cria-conversation"
#define FORMAT_VERSION 1

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

static void
add_params (JsonBuilder          *builder,
            const CriaChatParams *params)
{
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  if (params->set & CRIA_CHAT_PARAM_TEMPERATURE)
    add_double (builder, "temperature", params->temperature);
  if (params->set & CRIA_CHAT_PARAM_TOP_P)
    add_double (builder, "top_p", params->top_p);
  if (params->set & CRIA_CHAT_PARAM_MAX_TOKENS)
    add_int (builder, "max_tokens", params->max_tokens);
  if (params->set & CRIA_CHAT_PARAM_PRESENCE_PENALTY)
    add_double (builder, "presence_penalty", params->presence_penalty);
  if (params->set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY)
    add_double (builder, "frequency_penalty", params->frequency_penalty);
  if ((params->set & CRIA_CHAT_PARAM_STOP) && params->stop != NULL)
    {
      json_builder_set_member_name (builder, "stop");
      json_builder_begin_array (builder);
      for (guint i = 0; params->stop[i] != NULL; i++)
        json_builder_add_string_value (builder, params->stop[i]);
      json_builder_end_array (builder);
    }
  if (params->set & CRIA_CHAT_PARAM_SEED)
    add_int (builder, "seed", params->seed);
  json_builder_end_object (builder);
}

static void
add_message (JsonBuilder             *builder,
             const CriaMessageRecord *message)
{
  json_builder_begin_object (builder);
  add_string (builder, "role", cria_role_to_string (message->role));

  json_builder_set_member_name (builder, "content");
  if (message->image_urls == NULL || message->image_urls[0] == NULL)
    json_builder_add_string_value (builder, message->content);
  else
    {
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_string (builder, "type", "text");
      add_string (builder, "text", message->content);
      json_builder_end_object (builder);
      for (guint i = 0; message->image_urls[i] != NULL; i++)
        {
          json_builder_begin_object (builder);
          add_string (builder, "type", "image_url");
          json_builder_set_member_name (builder, "image_url");
          json_builder_begin_object (builder);
          add_string (builder, "url", message->image_urls[i]);
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  /* Where an OpenAI assistant message has them. */
  if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      json_builder_set_member_name (builder, "tool_calls");
      cria_tool_calls_build (message->tool_calls, builder);
    }

  json_builder_set_member_name (builder, "cria");
  json_builder_begin_object (builder);
  add_string (builder, "id", message->id);
  add_string (builder, "state", cria_message_state_to_string (message->state));
  add_string (builder, "reasoning", message->reasoning);
  add_string (builder, "model", message->model);
  add_params (builder, message->params);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  add_int (builder, "prompt_tokens", message->tokens_in);
  add_int (builder, "completion_tokens", message->tokens_out);
  add_int (builder, "reasoning_tokens", message->reasoning_tokens);
  json_builder_set_member_name (builder, "estimated");
  json_builder_add_boolean_value (builder, message->estimated);
  json_builder_end_object (builder);
  add_double (builder, "cost", message->cost);
  add_int (builder, "thinking_time_us", message->thinking_time);
  add_double (builder, "tokens_per_second", message->tokens_per_second);
  add_string (builder, "error", message->error);
  add_string (builder, "finish_reason", cria_finish_reason_to_string (message->finish_reason));
  add_int (builder, "created_us", message->created);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

char *
cria_api_export_json (const CriaConversationRecord *record,
                      GPtrArray                    *messages,
                      gsize                        *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (messages != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "format", FORMAT_NAME);
  add_int (builder, "version", FORMAT_VERSION);

  json_builder_set_member_name (builder, "conversation");
  json_builder_begin_object (builder);
  add_string (builder, "id", record->id);
  add_string (builder, "title", record->title);
  add_string (builder, "model", record->model);
  json_builder_set_member_name (builder, "pinned");
  json_builder_add_boolean_value (builder, record->pinned);
  add_int (builder, "created_us", record->created);
  add_int (builder, "updated_us", record->updated);
  add_params (builder, record->params);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  if (record->system_prompt != NULL)
    {
      json_builder_begin_object (builder);
      add_string (builder, "role", "system");
      add_string (builder, "content", record->system_prompt);
      json_builder_set_member_name (builder, "cria");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "system_prompt");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  for (guint i = 0; i < messages->len; i++)
    add_message (builder, g_ptr_array_index (messages, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, length);
}

/* Type-checked reads: a member that is missing gives the default; one of the
 * wrong type is an error naming it. */

static gboolean
fail_type (const char  *name,
           GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This is not a conversation Cria can import: “%s” has the wrong type."), name);
  return FALSE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *name,
             char       **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail_type (name, error);

  g_free (*value);
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gint64      *value,
          gboolean    *found,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (found != NULL)
    *found = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail_type (name, error);

  *value = json_node_get_int (node);
  if (found != NULL)
    *found = TRUE;
  return TRUE;
}

static gboolean
read_double (JsonObject  *object,
             const char  *name,
             double      *value,
             gboolean    *found,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (found != NULL)
    *found = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return fail_type (name, error);

  *value = json_node_get_double (node);
  if (found != NULL)
    *found = TRUE;
  return TRUE;
}

static gboolean
read_bool (JsonObject  *object,
           const char  *name,
           gboolean    *value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail_type (name, error);

  *value = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_object (JsonObject  *object,
             const char  *name,
             JsonObject **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_type (name, error);

  *value = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_params (JsonObject      *object,
             CriaChatParams  *params,
             GError         **error)
{
  JsonObject *members;
  JsonNode *stop;
  gboolean found;

  if (!read_object (object, "params", &members, error))
    return FALSE;
  if (members == NULL)
    return TRUE;

  if (!read_double (members, "temperature", &params->temperature, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_TEMPERATURE : 0;
  if (!read_double (members, "top_p", &params->top_p, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_TOP_P : 0;
  if (!read_int (members, "max_tokens", &params->max_tokens, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_MAX_TOKENS : 0;
  if (!read_double (members, "presence_penalty", &params->presence_penalty, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_PRESENCE_PENALTY : 0;
  if (!read_double (members, "frequency_penalty", &params->frequency_penalty, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_FREQUENCY_PENALTY : 0;
  if (!read_int (members, "seed", &params->seed, &found, error))
    return FALSE;
  params->set |= found ? CRIA_CHAT_PARAM_SEED : 0;

  stop = json_object_get_member (members, "stop");
  if (stop != NULL && !JSON_NODE_HOLDS_NULL (stop))
    {
      JsonArray *array;
      g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);

      if (!JSON_NODE_HOLDS_ARRAY (stop))
        return fail_type ("stop", error);
      array = json_node_get_array (stop);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            return fail_type ("stop", error);
          g_ptr_array_add (strings, g_strdup (json_node_get_string (element)));
        }
      g_ptr_array_add (strings, NULL);
      params->stop = (GStrv) g_ptr_array_steal (strings, NULL);
      params->set |= CRIA_CHAT_PARAM_STOP;
    }

  return TRUE;
}

static gboolean
read_content (JsonObject         *object,
              CriaMessageRecord  *message,
              GError            **error)
{
  JsonNode *content = json_object_get_member (object, "content");
  g_autoptr(GString) text = NULL;
  g_autoptr(GPtrArray) urls = NULL;
  JsonArray *parts;

  if (content == NULL || JSON_NODE_HOLDS_NULL (content))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)
    {
      g_free (message->content);
      message->content = g_strdup (json_node_get_string (content));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (content))
    return fail_type ("content", error);

  /* OpenAI content parts: text parts join, image parts are the images. */
  text = g_string_new (NULL);
  urls = g_ptr_array_new_with_free_func (g_free);
  parts = json_node_get_array (content);
  for (guint i = 0; i < json_array_get_length (parts); i++)
    {
      JsonNode *node = json_array_get_element (parts, i);
      JsonObject *part;
      g_autofree char *type = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail_type ("content", error);
      part = json_node_get_object (node);
      if (!read_string (part, "type", &type, error))
        return FALSE;

      if (g_strcmp0 (type, "text") == 0)
        {
          g_autofree char *part_text = NULL;

          if (!read_string (part, "text", &part_text, error))
            return FALSE;
          if (part_text != NULL)
            g_string_append (text, part_text);
        }
      else if (g_strcmp0 (type, "image_url") == 0)
        {
          JsonObject *image;
          g_autofree char *url = NULL;

          if (!read_object (part, "image_url", &image, error))
            return FALSE;
          if (image != NULL && !read_string (image, "url", &url, error))
            return FALSE;
          if (url != NULL)
            g_ptr_array_add (urls, g_steal_pointer (&url));
        }
    }

  g_free (message->content);
  message->content = g_string_free (g_steal_pointer (&text), FALSE);
  g_ptr_array_add (urls, NULL);
  g_strfreev (message->image_urls);
  message->image_urls = (GStrv) g_ptr_array_steal (urls, NULL);

  return TRUE;
}

static CriaMessageRecord *
read_message (JsonObject  *object,
              GError     **error)
{
  g_autoptr(CriaMessageRecord) message = cria_message_record_new ();
  g_autofree char *role = NULL;
  g_autofree char *state = NULL;
  g_autofree char *finish_reason = NULL;
  JsonObject *cria;
  JsonObject *usage;

  if (!read_string (object, "role", &role, error))
    return NULL;
  if (!cria_role_from_string (role, &message->role))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: a message has the unknown role “%s”."),
                   role != NULL ? role : "");
      return NULL;
    }
  if (!read_content (object, message, error))
    return NULL;
  if (json_object_has_member (object, "tool_calls"))
    {
      g_ptr_array_unref (message->tool_calls);
      message->tool_calls = cria_tool_calls_from_node (json_object_get_member (object, "tool_calls"));
    }

  if (!read_object (object, "cria", &cria, error))
    return NULL;
  if (cria == NULL)
    {
      /* A plain OpenAI message: new to Cria. */
      message->id = g_uuid_string_random ();
      message->created = g_get_real_time ();
      return g_steal_pointer (&message);
    }

  if (!read_string (cria, "id", &message->id, error) ||
      !read_string (cria, "state", &state, error) ||
      !read_string (cria, "reasoning", &message->reasoning, error) ||
      !read_string (cria, "model", &message->model, error) ||
      !read_params (cria, message->params, error) ||
      !read_object (cria, "usage", &usage, error) ||
      !read_double (cria, "cost", &message->cost, NULL, error) ||
      !read_int (cria, "thinking_time_us", &message->thinking_time, NULL, error) ||
      !read_double (cria, "tokens_per_second", &message->tokens_per_second, NULL, error) ||
      !read_string (cria, "error", &message->error, error) ||
      !read_string (cria, "finish_reason", &finish_reason, error) ||
      !read_int (cria, "created_us", &message->created, NULL, error))
    return NULL;
  message->finish_reason = cria_finish_reason_from_string (finish_reason);
  if (usage != NULL &&
      (!read_int (usage, "prompt_tokens", &message->tokens_in, NULL, error) ||
       !read_int (usage, "completion_tokens", &message->tokens_out, NULL, error) ||
       !read_int (usage, "reasoning_tokens", &message->reasoning_tokens, NULL, error) ||
       !read_bool (usage, "estimated", &message->estimated, error)))
    return NULL;
  if (state != NULL && !cria_message_state_from_string (state, &message->state))
    return fail_type ("state", error), NULL;
  if (message->id == NULL)
    message->id = g_uuid_string_random ();
  if (message->reasoning == NULL)
    message->reasoning = g_strdup ("");

  return g_steal_pointer (&message);
}

CriaConversationRecord *
cria_api_import_json (const char  *data,
                      gssize       length,
                      GPtrArray  **messages_out,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autofree char *format = NULL;
  JsonObject *root;
  JsonObject *conversation;
  JsonNode *list;
  JsonArray *array;
  gint64 version = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (messages_out != NULL, NULL);

  *messages_out = NULL;
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: the file holds no JSON object."));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  if (!read_string (root, "format", &format, error) ||
      !read_int (root, "version", &version, NULL, error))
    return NULL;
  if (format != NULL && (g_strcmp0 (format, FORMAT_NAME) != 0 || version > FORMAT_VERSION))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This conversation was saved in a format this version of Cria does not know."));
      return NULL;
    }

  record = cria_conversation_record_new (NULL);
  if (!read_object (root, "conversation", &conversation, error))
    return NULL;
  if (conversation != NULL)
    {
      g_autofree char *id = NULL;

      if (!read_string (conversation, "id", &id, error) ||
          !read_string (conversation, "title", &record->title, error) ||
          !read_string (conversation, "model", &record->model, error) ||
          !read_bool (conversation, "pinned", &record->pinned, error) ||
          !read_int (conversation, "created_us", &record->created, NULL, error) ||
          !read_int (conversation, "updated_us", &record->updated, NULL, error) ||
          !read_params (conversation, record->params, error))
        return NULL;
      if (id != NULL)
        {
          g_free (record->id);
          record->id = g_steal_pointer (&id);
        }
    }
  if (record->created == 0)
    record->created = g_get_real_time ();
  if (record->updated == 0)
    record->updated = record->created;

  list = json_object_get_member (root, "messages");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: it has no “messages” list."));
      return NULL;
    }

  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      JsonObject *cria;
      gboolean system_prompt = FALSE;
      CriaMessageRecord *message;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail_type ("messages", error), NULL;
      object = json_node_get_object (node);

      if (!read_object (object, "cria", &cria, error))
        return NULL;
      if (cria != NULL && !read_bool (cria, "system_prompt", &system_prompt, error))
        return NULL;
      if (system_prompt)
        {
          if (!read_string (object, "content", &record->system_prompt, error))
            return NULL;
          continue;
        }

      message = read_message (object, error);
      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }

  if (record->title == NULL)
    {
      for (guint i = 0; i < messages->len && record->title == NULL; i++)
        {
          CriaMessageRecord *message = g_ptr_array_index (messages, i);

          if (message->role == CRIA_ROLE_USER)
            record->title = g_utf8_substring (message->content, 0, MIN (g_utf8_strlen (message->content, -1), 60));
        }
    }

  *messages_out = g_steal_pointer (&messages);
  return g_steal_pointer (&record);
}

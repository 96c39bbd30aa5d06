/* cria-export-json.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "cria-api-chunk-reader.h"
#include "cria-document-json.h"
#include "cria-export-json.h"
#include "cria-json.h"
#include "cria-json-schema.h"

#define FORMAT_NAME "cria-conversation"
#define FORMAT_VERSION 1

/* What the import accepts, and so what the export writes. Times are from
 * 1970 to the last day of 9999, less a day so that any time zone still
 * shows them (GDateTime ends with the year 9999). */
#define MAX_TIME_US (G_GINT64_CONSTANT (253402214400) * G_USEC_PER_SEC)
#define MAX_COUNT G_GINT64_CONSTANT (1000000000000)
#define MAX_COST 1e12
#define MAX_RATE 1e12
/* Model names, stop sequences and ids; titles are cut to a length a
 * sidebar row can show. */
#define MAX_NAME_BYTES 4096
#define MAX_TITLE_CHARS 1000
/* More passages than any answer is given with. */
#define MAX_SOURCES 1000
/* JSON-GLib spends about 80 bytes on each value: this bounds the tree at a
 * few hundred megabytes, while an export of the most messages allowed, at
 * twenty-odd values each, fits. */
#define MAX_VALUES (40 * CRIA_IMPORT_MAX_MESSAGES)
#define READ_BLOCK (256 * 1024)

static gboolean
time_valid (gint64 us)
{
  return us >= 0 && us < MAX_TIME_US;
}

/* Token counts are -1 when unknown. */
static gboolean
count_valid (gint64 count)
{
  return count >= -1 && count <= MAX_COUNT;
}

/* A price is negative (-1) when unknown. */
static gboolean
cost_valid (double cost)
{
  return cost == -1.0 || (isfinite (cost) && cost >= 0.0 && cost <= MAX_COST);
}

static gboolean
rate_valid (double rate)
{
  return isfinite (rate) && rate >= 0.0 && rate <= MAX_RATE;
}

static gboolean
name_valid (const char *name)
{
  return name == NULL || strlen (name) <= MAX_NAME_BYTES;
}

/* Text from the store may hold bytes that are not UTF-8 (a server's reason
 * phrase kept in an error): JSON-GLib would write them as they are, and no
 * JSON reader would take the file back. */
static char *
valid_text (const char *text)
{
  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return g_strdup (text);

  return g_utf8_make_valid (text, -1);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  g_autofree char *valid = NULL;

  if (value == NULL)
    return;

  valid = valid_text (value);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, valid);
}

/* A model name or another one-line name; one too long to import is left out. */
static void
add_name (JsonBuilder *builder,
          const char  *name,
          const char  *value)
{
  if (name_valid (value))
    add_string (builder, name, value);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

/* JSON has no infinity or NaN: such a value is left out, as unknown. */
static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  if (!isfinite (value))
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/* A time the import would refuse is left out; the import then uses its own. */
static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       us)
{
  if (time_valid (us))
    add_int (builder, name, us);
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
  if ((params->set & CRIA_CHAT_PARAM_MAX_TOKENS) && params->max_tokens >= 0 && params->max_tokens <= MAX_COUNT)
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
        {
          g_autofree char *valid = valid_text (params->stop[i]);

          if (name_valid (valid))
            json_builder_add_string_value (builder, valid);
        }
      json_builder_end_array (builder);
    }
  if (params->set & CRIA_CHAT_PARAM_SEED)
    add_int (builder, "seed", params->seed);
  if ((params->set & CRIA_CHAT_PARAM_RESPONSE_FORMAT) && params->response_format != NULL)
    {
      /* Kept as the object it is; a text that is no longer one is left out. */
      JsonNode *format = json_from_string (params->response_format, NULL);

      if (format != NULL && JSON_NODE_HOLDS_OBJECT (format))
        {
          json_builder_set_member_name (builder, "response_format");
          json_builder_add_value (builder, format);
        }
      else if (format != NULL)
        json_node_unref (format);
    }
  json_builder_end_object (builder);
}

static void
add_message (JsonBuilder             *builder,
             const CriaMessageRecord *message)
{
  json_builder_begin_object (builder);
  add_string (builder, "role", cria_role_to_string (message->role));

  if (message->image_urls == NULL || message->image_urls[0] == NULL)
    add_string (builder, "content", message->content != NULL ? message->content : "");
  else
    {
      json_builder_set_member_name (builder, "content");
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

  /* Beside the content, which is what the user typed: the whole text, so
   * that an import needs no files. */
  if (message->documents != NULL && message->documents->len > 0)
    {
      json_builder_set_member_name (builder, "documents");
      cria_document_json_build (message->documents, builder);
    }

  /* An answer's sources, whole: the document may be gone by the time the
   * file is read. */
  if (message->sources != NULL && message->sources->len > 0)
    {
      json_builder_set_member_name (builder, "sources");
      json_builder_begin_array (builder);
      for (guint i = 0; i < message->sources->len; i++)
        {
          CriaSource *source = g_ptr_array_index (message->sources, i);

          json_builder_begin_object (builder);
          add_string (builder, "document", cria_source_get_document_name (source));
          add_string (builder, "hash", cria_source_get_document_hash (source));
          json_builder_set_member_name (builder, "page");
          json_builder_add_int_value (builder, cria_source_get_page (source));
          add_string (builder, "text", cria_source_get_text (source));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  /* Where an OpenAI assistant message has them; a tool message names the
   * call it answers, and Cria keeps the call whole. */
  if (message->role == CRIA_ROLE_TOOL && message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      const CriaToolCall *call = g_ptr_array_index (message->tool_calls, 0);

      add_string (builder, "tool_call_id", call->id);
    }
  else if (message->tool_calls != NULL && message->tool_calls->len > 0)
    {
      json_builder_set_member_name (builder, "tool_calls");
      cria_tool_calls_build (message->tool_calls, builder);
    }

  json_builder_set_member_name (builder, "cria");
  json_builder_begin_object (builder);
  add_name (builder, "id", message->id);
  add_string (builder, "state", cria_message_state_to_string (message->state));
  add_string (builder, "reasoning", message->reasoning);
  add_name (builder, "model", message->model);
  add_params (builder, message->params);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  add_int (builder, "prompt_tokens", count_valid (message->tokens_in) ? message->tokens_in : -1);
  add_int (builder, "completion_tokens", count_valid (message->tokens_out) ? message->tokens_out : -1);
  add_int (builder, "reasoning_tokens", count_valid (message->reasoning_tokens) ? message->reasoning_tokens : -1);
  json_builder_set_member_name (builder, "estimated");
  json_builder_add_boolean_value (builder, message->estimated);
  json_builder_end_object (builder);
  add_double (builder, "cost", cost_valid (message->cost) ? message->cost : -1.0);
  add_int (builder, "thinking_time_us", time_valid (message->thinking_time) ? message->thinking_time : 0);
  add_double (builder, "tokens_per_second", rate_valid (message->tokens_per_second) ? message->tokens_per_second : 0.0);
  add_string (builder, "error", message->error);
  add_string (builder, "finish_reason", cria_finish_reason_to_string (message->finish_reason));
  add_time (builder, "created_us", message->created);
  if (message->role == CRIA_ROLE_TOOL)
    {
      json_builder_set_member_name (builder, "tool_call");
      cria_tool_calls_build (message->tool_calls, builder);
      add_string (builder, "tool_status", cria_tool_status_to_string (message->tool_status));
      add_int (builder, "tool_duration_us", time_valid (message->tool_duration) ? message->tool_duration : 0);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

char *
cria_export_json (const CriaConversationRecord *record,
                      GPtrArray                    *messages,
                      gsize                        *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (messages != NULL, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "format", FORMAT_NAME);
  add_int (builder, "version", FORMAT_VERSION);

  json_builder_set_member_name (builder, "conversation");
  json_builder_begin_object (builder);
  add_name (builder, "id", record->id);
  add_string (builder, "title", record->title);
  add_name (builder, "model", record->model);
  json_builder_set_member_name (builder, "pinned");
  json_builder_add_boolean_value (builder, record->pinned);
  add_time (builder, "created_us", record->created);
  add_time (builder, "updated_us", record->updated);
  add_params (builder, record->params);
  if (record->tools != NULL)
    {
      /* The chat's tool settings, as the object they are. */
      JsonNode *tools = json_from_string (record->tools, NULL);

      if (tools != NULL && JSON_NODE_HOLDS_OBJECT (tools))
        {
          json_builder_set_member_name (builder, "tools");
          json_builder_add_value (builder, tools);
        }
      else if (tools != NULL)
        json_node_unref (tools);
    }
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

  return cria_json_to_data (root, TRUE, length);
}

/* Type-checked reads: a member that is missing gives the default; one of the
 * wrong type or out of range is an error naming it. */

static gboolean
fail_type (const char  *name,
           GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This is not a conversation Cria can import: “%s” has the wrong type."), name);
  return FALSE;
}

static gboolean
fail_range (const char  *name,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This is not a conversation Cria can import: “%s” is out of range."), name);
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
  *value = valid_text (json_node_get_string (node));
  return TRUE;
}

/* A one-line name: a model, an id. */
static gboolean
read_name (JsonObject  *object,
           const char  *name,
           char       **value,
           GError     **error)
{
  if (!read_string (object, name, value, error))
    return FALSE;
  if (!name_valid (*value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: “%s” is too long."), name);
      return FALSE;
    }

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

/* Microseconds since 1970, up to the end of the year 9999. */
static gboolean
read_time (JsonObject  *object,
           const char  *name,
           gint64      *value,
           GError     **error)
{
  gint64 read = *value;

  if (!read_int (object, name, &read, NULL, error))
    return FALSE;
  if (!time_valid (read))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: “%s” is not a time between the years 1970 and 9999."),
                   name);
      return FALSE;
    }

  *value = read;
  return TRUE;
}

static gboolean
read_count (JsonObject  *object,
            const char  *name,
            gint64      *value,
            GError     **error)
{
  gint64 read = *value;

  if (!read_int (object, name, &read, NULL, error))
    return FALSE;
  if (!count_valid (read))
    return fail_range (name, error);

  *value = read;
  return TRUE;
}

/* Any finite number: JSON-GLib reads 1e999 as infinity. */
static gboolean
read_double (JsonObject  *object,
             const char  *name,
             double      *value,
             gboolean    *found,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;
  double read;

  if (found != NULL)
    *found = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return fail_type (name, error);

  read = json_node_get_double (node);
  if (!isfinite (read))
    return fail_range (name, error);

  *value = read;
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
  JsonNode *format;
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
  if (found && (params->max_tokens < 0 || params->max_tokens > MAX_COUNT))
    return fail_range ("max_tokens", error);
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
          char *text;

          if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
            return fail_type ("stop", error);
          text = valid_text (json_node_get_string (element));
          g_ptr_array_add (strings, text);
          if (!name_valid (text))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: “%s” is too long."), "stop");
              return FALSE;
            }
        }
      g_ptr_array_add (strings, NULL);
      g_strfreev (params->stop);
      params->stop = (GStrv) g_ptr_array_steal (strings, NULL);
      params->set |= CRIA_CHAT_PARAM_STOP;
    }

  format = json_object_get_member (members, "response_format");
  if (format != NULL && !JSON_NODE_HOLDS_NULL (format))
    {
      JsonNode *schema;
      g_autofree char *schema_text = NULL;
      g_autoptr(JsonNode) checked = NULL;
      gboolean object_mode = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (format))
        return fail_type ("response_format", error);
      /* Only what Cria itself sends: JSON object mode, or a schema it can check. */
      schema = cria_json_schema_from_response_format (format);
      if (schema != NULL)
        {
          schema_text = json_to_string (schema, FALSE);
          checked = cria_json_schema_parse (schema_text, NULL);
        }
      else
        {
          JsonNode *type = json_object_get_member (json_node_get_object (format), "type");

          object_mode = type != NULL && JSON_NODE_HOLDS_VALUE (type) &&
                        json_node_get_value_type (type) == G_TYPE_STRING &&
                        g_str_equal (json_node_get_string (type), "json_object");
        }
      if (schema != NULL ? checked == NULL : !object_mode)
        return fail_type ("response_format", error);
      g_free (params->response_format);
      params->response_format = json_to_string (format, FALSE);
      params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;
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
      message->content = valid_text (json_node_get_string (content));
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

/* An answer's sources: objects with the document's name, hash, page and
 * the passage's text; at most MAX_SOURCES of them. */
static gboolean
read_sources (JsonNode   *node,
              GPtrArray  *sources,
              GError    **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_type ("sources", error);
  array = json_node_get_array (node);
  if (json_array_get_length (array) > MAX_SOURCES)
    return fail_type ("sources", error);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *name = NULL;
      g_autofree char *hash = NULL;
      g_autofree char *text = NULL;
      gint64 page = 0;
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail_type ("sources", error);
      object = json_node_get_object (element);
      if (!read_string (object, "document", &name, error) ||
          !read_string (object, "hash", &hash, error) ||
          !read_string (object, "text", &text, error) ||
          !read_int (object, "page", &page, NULL, error))
        return FALSE;
      if (name == NULL || text == NULL || page < 0 || page > G_MAXUINT || !name_valid (name) ||
          (hash != NULL && !name_valid (hash)))
        return fail_type ("sources", error);
      g_ptr_array_add (sources, cria_source_new (name, hash != NULL ? hash : "", (guint) page, text));
    }

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
      const char *text = role != NULL ? role : "";
      /* g_utf8_substring() reads past the end of a shorter string. */
      g_autofree char *shown = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 40));

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: a message has the unknown role “%s”."),
                   shown);
      return NULL;
    }
  if (!read_content (object, message, error))
    return NULL;
  if (json_object_has_member (object, "documents"))
    {
      GPtrArray *documents = cria_document_json_read (json_object_get_member (object, "documents"), error);

      if (documents == NULL)
        return NULL;
      g_ptr_array_unref (message->documents);
      message->documents = documents;
    }
  if (json_object_has_member (object, "sources") &&
      !read_sources (json_object_get_member (object, "sources"), message->sources, error))
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
      /* A plain OpenAI message: new to Cria. A tool result names only
       * its call; it is one that ended. */
      message->id = g_uuid_string_random ();
      message->created = g_get_real_time ();
      if (message->role == CRIA_ROLE_TOOL)
        {
          g_autoptr(CriaToolCall) call = cria_tool_call_new (0);

          if (!read_string (object, "tool_call_id", &call->id, error))
            return NULL;
          if (call->id != NULL)
            {
              g_ptr_array_add (message->tool_calls, g_steal_pointer (&call));
              message->tool_status = CRIA_TOOL_STATUS_DONE;
            }
        }
      return g_steal_pointer (&message);
    }

  if (!read_name (cria, "id", &message->id, error) ||
      !read_string (cria, "state", &state, error) ||
      !read_string (cria, "reasoning", &message->reasoning, error) ||
      !read_name (cria, "model", &message->model, error) ||
      !read_params (cria, message->params, error) ||
      !read_object (cria, "usage", &usage, error) ||
      !read_double (cria, "cost", &message->cost, NULL, error) ||
      !read_int (cria, "thinking_time_us", &message->thinking_time, NULL, error) ||
      !read_double (cria, "tokens_per_second", &message->tokens_per_second, NULL, error) ||
      !read_string (cria, "error", &message->error, error) ||
      !read_string (cria, "finish_reason", &finish_reason, error) ||
      !read_time (cria, "created_us", &message->created, error))
    return NULL;
  message->finish_reason = cria_finish_reason_from_string (finish_reason);
  if (message->role == CRIA_ROLE_TOOL)
    {
      g_autofree char *tool_status = NULL;

      if (!read_string (cria, "tool_status", &tool_status, error) ||
          !read_int (cria, "tool_duration_us", &message->tool_duration, NULL, error))
        return NULL;
      if (!time_valid (message->tool_duration))
        return fail_range ("tool_duration_us", error), NULL;
      message->tool_status = cria_tool_status_from_string (tool_status);
      if (json_object_has_member (cria, "tool_call"))
        {
          g_ptr_array_unref (message->tool_calls);
          message->tool_calls = cria_tool_calls_from_node (json_object_get_member (cria, "tool_call"));
        }
    }
  /* A duration, as long as the times allowed at most. */
  if (!time_valid (message->thinking_time))
    return fail_range ("thinking_time_us", error), NULL;
  if (!cost_valid (message->cost))
    return fail_range ("cost", error), NULL;
  if (!rate_valid (message->tokens_per_second))
    return fail_range ("tokens_per_second", error), NULL;
  if (usage != NULL &&
      (!read_count (usage, "prompt_tokens", &message->tokens_in, error) ||
       !read_count (usage, "completion_tokens", &message->tokens_out, error) ||
       !read_count (usage, "reasoning_tokens", &message->reasoning_tokens, error) ||
       !read_bool (usage, "estimated", &message->estimated, error)))
    return NULL;
  if (state != NULL && !cria_message_state_from_string (state, &message->state))
    return fail_type ("state", error), NULL;
  /* Only an answer can be cut short or fail. */
  if (message->role == CRIA_ROLE_USER && message->state != CRIA_MESSAGE_STATE_COMPLETE)
    return fail_range ("state", error), NULL;
  if (message->id == NULL)
    message->id = g_uuid_string_random ();
  if (message->reasoning == NULL)
    message->reasoning = g_strdup ("");

  return g_steal_pointer (&message);
}

static gboolean
fail_size (GError **error)
{
  g_autofree char *limit = g_format_size_full (CRIA_IMPORT_MAX_BYTES, G_FORMAT_SIZE_IEC_UNITS);

  /* Translators: %s is a size such as "64.0 MiB" */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
               _("The file is larger than %s, the most Cria imports."), limit);
  return FALSE;
}

static gboolean
fail_messages (GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("This conversation has more than %d messages, the most Cria imports."),
               CRIA_IMPORT_MAX_MESSAGES);
  return FALSE;
}

/* The bytes as JSON-GLib may safely read them: at most the size limit,
 * without a byte order mark, UTF-8, and one strict JSON value neither too
 * deep for its recursion nor too big for memory. Returns the text to
 * parse, maybe @data itself, or NULL with @error set. */
static const char *
check_text (const char  *data,
            gsize       *length,
            char       **repaired,
            GError     **error)
{
  gsize len = *length;

  if (len > CRIA_IMPORT_MAX_BYTES)
    return fail_size (error), NULL;

  if (len >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  /* JSON-GLib refuses a whole file for one byte that is not UTF-8; made
   * valid, the rest of the conversation can still be read. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      *repaired = g_utf8_make_valid (data, (gssize) len);
      data = *repaired;
      len = strlen (data);
    }

  switch (_cria_api_json_check (data, len, MAX_VALUES))
    {
    case CRIA_API_JSON_OK:
      *length = len;
      return data;

    case CRIA_API_JSON_TOO_DEEP:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: its lists and objects nest more than %d levels deep."),
                   CRIA_API_JSON_MAX_DEPTH);
      return NULL;

    case CRIA_API_JSON_TOO_MANY_VALUES:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("This is not a conversation Cria can import: it holds more than %d values."),
                   MAX_VALUES);
      return NULL;

    case CRIA_API_JSON_MALFORMED:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: the file is not valid JSON."));
      return NULL;
    }
}

CriaConversationRecord *
cria_import_json (const char  *data,
                      gssize       length,
                      GPtrArray  **messages_out,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autofree char *repaired = NULL;
  g_autofree char *format = NULL;
  JsonObject *root;
  JsonObject *conversation;
  JsonNode *list;
  JsonArray *array;
  gint64 version = 0;
  gsize len;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (messages_out != NULL, NULL);

  *messages_out = NULL;
  len = length < 0 ? strlen (data) : (gsize) length;
  if ((data = check_text (data, &len, &repaired, error)) == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This is not a conversation Cria can import: the file is not valid JSON."));
      return NULL;
    }

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
      JsonObject *tools = NULL;

      if (!read_name (conversation, "id", &id, error) ||
          !read_string (conversation, "title", &record->title, error) ||
          !read_name (conversation, "model", &record->model, error) ||
          !read_bool (conversation, "pinned", &record->pinned, error) ||
          !read_time (conversation, "created_us", &record->created, error) ||
          !read_time (conversation, "updated_us", &record->updated, error) ||
          !read_params (conversation, record->params, error) ||
          !read_object (conversation, "tools", &tools, error))
        return NULL;
      /* Kept as text; the conversation takes only what it knows of it. */
      if (tools != NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), tools);

          record->tools = cria_json_to_data (node, FALSE, NULL);
        }
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
  /* The system prompt may come as one more. */
  if (json_array_get_length (array) > CRIA_IMPORT_MAX_MESSAGES + 1)
    return fail_messages (error), NULL;
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

      if (messages->len == CRIA_IMPORT_MAX_MESSAGES)
        return fail_messages (error), NULL;
      message = read_message (object, error);
      if (message == NULL)
        return NULL;
      g_ptr_array_add (messages, message);
    }

  if (record->title != NULL && g_utf8_strlen (record->title, -1) > MAX_TITLE_CHARS)
    {
      char *title = g_utf8_substring (record->title, 0, MAX_TITLE_CHARS);

      g_free (record->title);
      record->title = title;
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

/* Reading a file in a worker thread. */

typedef struct
{
  CriaConversationRecord *record;
  GPtrArray              *messages;
} ImportResult;

static void
import_result_free (ImportResult *result)
{
  g_clear_pointer (&result->record, cria_conversation_record_free);
  g_clear_pointer (&result->messages, g_ptr_array_unref);
  g_free (result);
}

/* At most the limit and one byte more, which is enough to know the file is
 * too large, whatever size it claims (a pipe claims none). */
static GBytes *
read_capped (GFile         *file,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GByteArray) bytes = NULL;

  stream = g_file_read (file, cancellable, error);
  if (stream == NULL)
    return NULL;

  info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, NULL);
  if (info != NULL && g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE) &&
      g_file_info_get_size (info) > CRIA_IMPORT_MAX_BYTES)
    return fail_size (error), NULL;

  bytes = g_byte_array_new ();
  for (;;)
    {
      gsize before = bytes->len;
      gsize want = MIN (READ_BLOCK, (gsize) CRIA_IMPORT_MAX_BYTES + 1 - before);
      gssize n;

      g_byte_array_set_size (bytes, before + want);
      n = g_input_stream_read (G_INPUT_STREAM (stream), bytes->data + before, want, cancellable, error);
      if (n < 0)
        return NULL;
      g_byte_array_set_size (bytes, before + (gsize) n);
      if (n == 0)
        break;
      if (bytes->len > CRIA_IMPORT_MAX_BYTES)
        return fail_size (error), NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

static void
import_file_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  ImportResult *result;
  gsize len;
  const char *data;

  if ((bytes = read_capped (file, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (ImportResult, 1);
  data = g_bytes_get_data (bytes, &len);
  result->record = cria_import_json (len > 0 ? data : "", (gssize) len, &result->messages, &error);
  if (result->record == NULL)
    {
      import_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A copy, never a replacement: the file may come from this very history. */
  g_free (result->record->id);
  result->record->id = g_uuid_string_random ();
  for (guint i = 0; i < result->messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (result->messages, i);

      g_free (message->id);
      message->id = g_uuid_string_random ();
    }

  g_task_return_pointer (task, result, (GDestroyNotify) import_result_free);
}

void
cria_import_json_file_async (GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_import_json_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, import_file_thread);
}

CriaConversationRecord *
cria_import_json_file_finish (GAsyncResult  *result,
                             GPtrArray    **messages,
                             GError       **error)
{
  ImportResult *imported;
  CriaConversationRecord *record;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cria_import_json_file_async, NULL);
  g_return_val_if_fail (messages != NULL, NULL);

  *messages = NULL;
  imported = g_task_propagate_pointer (G_TASK (result), error);
  if (imported == NULL)
    return NULL;

  record = g_steal_pointer (&imported->record);
  *messages = g_steal_pointer (&imported->messages);
  import_result_free (imported);

  return record;
}

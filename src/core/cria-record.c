/* cria-record.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cria-record.h"

CriaConversationRecord *
cria_conversation_record_new (const char *id)
{
  CriaConversationRecord *record = g_new0 (CriaConversationRecord, 1);

  record->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  record->params = cria_chat_params_new ();

  return record;
}

CriaConversationRecord *
cria_conversation_record_copy (const CriaConversationRecord *record)
{
  CriaConversationRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->title = g_strdup (record->title);
  copy->model = g_strdup (record->model);
  copy->system_prompt = g_strdup (record->system_prompt);
  copy->params = cria_chat_params_copy (record->params);

  return copy;
}

void
cria_conversation_record_free (CriaConversationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->title);
  g_free (record->model);
  g_free (record->system_prompt);
  cria_chat_params_free (record->params);
  g_free (record);
}

gboolean
cria_conversation_record_equal (const CriaConversationRecord *a,
                                const CriaConversationRecord *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         g_strcmp0 (a->title, b->title) == 0 &&
         g_strcmp0 (a->model, b->model) == 0 &&
         g_strcmp0 (a->system_prompt, b->system_prompt) == 0 &&
         cria_chat_params_equal (a->params, b->params) &&
         !a->pinned == !b->pinned &&
         a->created == b->created &&
         a->updated == b->updated;
}

CriaMessageRecord *
cria_message_record_new (void)
{
  CriaMessageRecord *record = g_new0 (CriaMessageRecord, 1);

  record->role = CRIA_ROLE_USER;
  record->content = g_strdup ("");
  record->reasoning = g_strdup ("");
  record->params = cria_chat_params_new ();
  record->tokens_in = -1;
  record->tokens_out = -1;
  record->reasoning_tokens = -1;
  record->cost = -1.0;
  record->image_urls = g_new0 (char *, 1);
  record->tool_calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);

  return record;
}

CriaMessageRecord *
cria_message_record_copy (const CriaMessageRecord *record)
{
  CriaMessageRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->content = g_strdup (record->content);
  copy->reasoning = g_strdup (record->reasoning);
  copy->model = g_strdup (record->model);
  copy->params = cria_chat_params_copy (record->params);
  copy->error = g_strdup (record->error);
  copy->image_urls = g_strdupv (record->image_urls);
  copy->tool_calls = g_ptr_array_new_full (record->tool_calls->len, (GDestroyNotify) cria_tool_call_free);
  for (guint i = 0; i < record->tool_calls->len; i++)
    g_ptr_array_add (copy->tool_calls, cria_tool_call_copy (g_ptr_array_index (record->tool_calls, i)));

  return copy;
}

void
cria_message_record_free (CriaMessageRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->content);
  g_free (record->reasoning);
  g_free (record->model);
  cria_chat_params_free (record->params);
  g_free (record->error);
  g_strfreev (record->image_urls);
  g_clear_pointer (&record->tool_calls, g_ptr_array_unref);
  g_free (record);
}

static gboolean
tool_calls_equal (GPtrArray *a,
                  GPtrArray *b)
{
  g_autofree char *a_json = cria_tool_calls_to_json (a);
  g_autofree char *b_json = cria_tool_calls_to_json (b);

  return g_strcmp0 (a_json, b_json) == 0;
}

gboolean
cria_message_record_equal (const CriaMessageRecord *a,
                           const CriaMessageRecord *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->id, b->id) == 0 &&
         a->role == b->role &&
         g_strcmp0 (a->content, b->content) == 0 &&
         g_strcmp0 (a->reasoning, b->reasoning) == 0 &&
         a->state == b->state &&
         g_strcmp0 (a->model, b->model) == 0 &&
         cria_chat_params_equal (a->params, b->params) &&
         a->tokens_in == b->tokens_in &&
         a->tokens_out == b->tokens_out &&
         a->reasoning_tokens == b->reasoning_tokens &&
         !a->estimated == !b->estimated &&
         a->cost == b->cost &&
         a->thinking_time == b->thinking_time &&
         a->tokens_per_second == b->tokens_per_second &&
         g_strcmp0 (a->error, b->error) == 0 &&
         a->created == b->created &&
         a->finish_reason == b->finish_reason &&
         tool_calls_equal (a->tool_calls, b->tool_calls) &&
         g_strv_equal ((const char * const *) a->image_urls, (const char * const *) b->image_urls);
}

CriaMessageRecord *
cria_message_record_new_from_message (CriaMessage *message)
{
  CriaMessageRecord *record;
  const CriaUsage *usage;
  const GError *error;
  GDateTime *created;

  g_return_val_if_fail (CRIA_IS_MESSAGE (message), NULL);

  record = cria_message_record_new ();
  record->id = g_strdup (cria_message_get_id (message));
  record->role = cria_message_get_role (message);
  g_free (record->content);
  record->content = g_strdup (cria_message_get_content (message));
  g_free (record->reasoning);
  record->reasoning = g_strdup (cria_message_get_reasoning (message));
  record->state = cria_message_get_state (message);
  record->model = g_strdup (cria_message_get_model (message));
  usage = cria_message_get_usage (message);
  if (usage != NULL)
    {
      record->tokens_in = usage->prompt_tokens;
      record->tokens_out = usage->completion_tokens;
      record->reasoning_tokens = usage->reasoning_tokens;
      record->estimated = usage->estimated;
    }
  record->cost = cria_message_get_cost (message);
  record->thinking_time = cria_message_get_thinking_time (message);
  record->tokens_per_second = cria_message_get_tokens_per_second (message);
  error = cria_message_get_error (message);
  record->error = error != NULL ? g_strdup (error->message) : NULL;
  created = cria_message_get_created (message);
  record->created = g_date_time_to_unix (created) * G_USEC_PER_SEC + g_date_time_get_microsecond (created);
  g_strfreev (record->image_urls);
  record->image_urls = g_strdupv ((char **) cria_message_get_image_urls (message));
  record->finish_reason = cria_message_get_finish_reason (message);
  for (guint i = 0; i < cria_message_get_tool_calls (message)->len; i++)
    g_ptr_array_add (record->tool_calls, cria_tool_call_copy (g_ptr_array_index (cria_message_get_tool_calls (message), i)));

  return record;
}

CriaMessage *
cria_message_record_to_message (const CriaMessageRecord *record)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(CriaMessage) message = NULL;
  CriaMessageState state;

  g_return_val_if_fail (record != NULL, NULL);

  seconds = g_date_time_new_from_unix_utc (record->created / G_USEC_PER_SEC);
  created = g_date_time_add (seconds, record->created % G_USEC_PER_SEC);
  message = g_object_new (CRIA_TYPE_MESSAGE,
                          "id", record->id,
                          "role", record->role,
                          "created", created,
                          "content", record->content,
                          NULL);
  if (record->reasoning != NULL && *record->reasoning != '\0')
    cria_message_set_reasoning (message, record->reasoning);
  cria_message_set_model (message, record->model);

  /* Saved while streaming means Cria stopped before the answer ended. */
  state = record->state;
  if (state == CRIA_MESSAGE_STATE_STREAMING)
    state = CRIA_MESSAGE_STATE_INTERRUPTED;
  cria_message_set_state (message, state);

  if (record->error != NULL || state == CRIA_MESSAGE_STATE_INTERRUPTED)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                   record->error != NULL ? record->error
                                                         : _("Cria closed before the answer was complete."));
      cria_message_set_error (message, error);
    }

  if (record->tokens_in >= 0 || record->tokens_out >= 0)
    {
      CriaUsage usage = {
        .prompt_tokens = MAX (record->tokens_in, 0),
        .completion_tokens = MAX (record->tokens_out, 0),
        .reasoning_tokens = MAX (record->reasoning_tokens, 0),
        .estimated = record->estimated,
      };

      cria_message_set_usage (message, &usage);
    }
  cria_message_set_cost (message, record->cost);
  if (record->thinking_time > 0)
    cria_message_set_thinking_time (message, record->thinking_time);
  if (record->tokens_per_second > 0)
    cria_message_set_tokens_per_second (message, record->tokens_per_second);
  if (record->image_urls != NULL && record->image_urls[0] != NULL)
    cria_message_set_image_urls (message, (const char * const *) record->image_urls);
  cria_message_set_finish_reason (message, record->finish_reason);
  cria_message_set_tool_calls (message, record->tool_calls);

  return g_steal_pointer (&message);
}

static const char * const state_names[] = {
  [CRIA_MESSAGE_STATE_COMPLETE] = "complete",
  [CRIA_MESSAGE_STATE_STREAMING] = "streaming",
  [CRIA_MESSAGE_STATE_STOPPED] = "stopped",
  [CRIA_MESSAGE_STATE_INTERRUPTED] = "interrupted",
  [CRIA_MESSAGE_STATE_FAILED] = "failed",
};

const char *
cria_message_state_to_string (CriaMessageState state)
{
  g_return_val_if_fail ((guint) state < G_N_ELEMENTS (state_names), "complete");

  return state_names[state];
}

gboolean
cria_message_state_from_string (const char       *text,
                                CriaMessageState *state)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_names); i++)
    {
      if (g_strcmp0 (text, state_names[i]) == 0)
        {
          *state = i;
          return TRUE;
        }
    }

  return FALSE;
}

static const char * const finish_reason_names[] = {
  [CRIA_FINISH_REASON_NONE] = NULL,
  [CRIA_FINISH_REASON_STOP] = "stop",
  [CRIA_FINISH_REASON_LENGTH] = "length",
  [CRIA_FINISH_REASON_TOOL_CALLS] = "tool_calls",
  [CRIA_FINISH_REASON_CONTENT_FILTER] = "content_filter",
  [CRIA_FINISH_REASON_OTHER] = "other",
};

/**
 * cria_finish_reason_to_string:
 *
 * Returns: (nullable): the reason as OpenAI names it, NULL for none
 */
const char *
cria_finish_reason_to_string (CriaFinishReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (finish_reason_names), NULL);

  return finish_reason_names[reason];
}

/* An unknown name is OTHER, none is NONE. */
CriaFinishReason
cria_finish_reason_from_string (const char *text)
{
  if (text == NULL || *text == '\0')
    return CRIA_FINISH_REASON_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (finish_reason_names); i++)
    {
      if (g_strcmp0 (text, finish_reason_names[i]) == 0)
        return i;
    }

  return CRIA_FINISH_REASON_OTHER;
}

void
cria_tool_calls_build (GPtrArray   *tool_calls,
                       JsonBuilder *builder)
{
  g_return_if_fail (tool_calls != NULL);
  g_return_if_fail (JSON_IS_BUILDER (builder));

  json_builder_begin_array (builder);
  for (guint i = 0; i < tool_calls->len; i++)
    {
      const CriaToolCall *call = g_ptr_array_index (tool_calls, i);

      json_builder_begin_object (builder);
      if (call->id != NULL)
        {
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, call->id);
        }
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, call->type != NULL ? call->type : "function");
      json_builder_set_member_name (builder, "function");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, call->name != NULL ? call->name : "");
      json_builder_set_member_name (builder, "arguments");
      json_builder_add_string_value (builder, call->arguments != NULL ? call->arguments : "");
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

char *
cria_tool_calls_to_json (GPtrArray *tool_calls)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (tool_calls == NULL || tool_calls->len == 0)
    return NULL;

  builder = json_builder_new ();
  cria_tool_calls_build (tool_calls, builder);
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_utf8_make_valid (json_node_get_string (node), -1);
}

GPtrArray *
cria_tool_calls_from_node (JsonNode *node)
{
  GPtrArray *calls = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_tool_call_free);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return calls;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *function_node = object != NULL ? json_object_get_member (object, "function") : NULL;
      JsonObject *function = function_node != NULL && JSON_NODE_HOLDS_OBJECT (function_node)
                             ? json_node_get_object (function_node) : NULL;
      CriaToolCall *call;

      if (function == NULL)
        continue;

      call = cria_tool_call_new ((int) calls->len);
      call->id = dup_member_string (object, "id");
      call->type = dup_member_string (object, "type");
      call->name = dup_member_string (function, "name");
      call->arguments = dup_member_string (function, "arguments");
      g_ptr_array_add (calls, call);
    }

  return calls;
}

GPtrArray *
cria_tool_calls_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return cria_tool_calls_from_node (NULL);

  return cria_tool_calls_from_node (json_parser_get_root (parser));
}

gboolean
cria_role_from_string (const char *text,
                       CriaRole   *role)
{
  static const CriaRole roles[] = {
    CRIA_ROLE_SYSTEM, CRIA_ROLE_USER, CRIA_ROLE_ASSISTANT, CRIA_ROLE_TOOL,
  };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      if (g_strcmp0 (text, cria_role_to_string (roles[i])) == 0)
        {
          *role = roles[i];
          return TRUE;
        }
    }

  return FALSE;
}

G_DEFINE_BOXED_TYPE (CriaConversationRecord, cria_conversation_record,
                     cria_conversation_record_copy, cria_conversation_record_free)
G_DEFINE_BOXED_TYPE (CriaMessageRecord, cria_message_record,
                     cria_message_record_copy, cria_message_record_free)

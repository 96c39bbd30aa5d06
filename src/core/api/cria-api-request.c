/* cria-api-request.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-api-error.h"
#include "cria-api-chunk-reader.h"
#include "cria-api-private.h"
#include "cria-json.h"
#include "cria-tool-call.h"

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *data = cria_json_to_data (root, FALSE, &len);

  return g_bytes_new_take (data, len);
}

/* Passes a caller's JSON text through, checked: a broken tools definition is
 * the caller's error, said before anything is sent. */
static gboolean
add_json_member (JsonBuilder  *builder,
                 const char   *member,
                 const char   *json,
                 gboolean      bare_word_is_string,
                 GError      **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;

  if (json == NULL)
    return TRUE;

  if (!_cria_api_json_is_single_value (json, strlen (json)) ||
      !json_parser_load_from_data (parser, json, -1, &parse_error) ||
      json_parser_get_root (parser) == NULL)
    {
      /* tool_choice is often written as a bare word: auto, none, required. */
      if (bare_word_is_string && g_regex_match_simple ("^[a-z_]+$", json, 0, 0))
        {
          json_builder_set_member_name (builder, member);
          json_builder_add_string_value (builder, json);
          return TRUE;
        }

      g_autofree char *message = parse_error != NULL ? cria_json_parse_error_text (parse_error) : NULL;

      g_propagate_error (error,
                         cria_api_error_new (CRIA_API_ERROR_INVALID_REQUEST, 0, NULL, -1,
                                             message != NULL ? message
                                                             : _("It is not one well-formed JSON value.")));
      g_prefix_error (error, _("The “%s” setting is not valid JSON: "), member);
      return FALSE;
    }

  json_builder_set_member_name (builder, member);
  json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));

  return TRUE;
}

static void
add_message (JsonBuilder     *builder,
             CriaChatMessage *message)
{
  CriaRole role = cria_chat_message_get_role (message);
  const char *content = cria_chat_message_get_content (message);
  GPtrArray *images = cria_chat_message_get_image_urls (message);
  GPtrArray *tool_calls = cria_chat_message_get_tool_calls (message);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, cria_role_to_string (role));

  /* The reasoning stays out on purpose: models are trained to see only the
   * final answers of earlier turns. */
  json_builder_set_member_name (builder, "content");
  if (images->len > 0)
    {
      json_builder_begin_array (builder);
      if (content != NULL && *content != '\0')
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "text");
          json_builder_set_member_name (builder, "text");
          json_builder_add_string_value (builder, content);
          json_builder_end_object (builder);
        }
      for (guint i = 0; i < images->len; i++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "image_url");
          json_builder_set_member_name (builder, "image_url");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, g_ptr_array_index (images, i));
          json_builder_end_object (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  else
    json_builder_add_string_value (builder, content != NULL ? content : "");

  if (role == CRIA_ROLE_TOOL && cria_chat_message_get_tool_call_id (message) != NULL)
    {
      json_builder_set_member_name (builder, "tool_call_id");
      json_builder_add_string_value (builder, cria_chat_message_get_tool_call_id (message));
    }

  if (role == CRIA_ROLE_ASSISTANT && tool_calls->len > 0)
    {
      json_builder_set_member_name (builder, "tool_calls");
      cria_tool_calls_build (tool_calls, builder);
    }

  json_builder_end_object (builder);
}

/**
 * _cria_api_build_chat_body:
 *
 * Builds the body of POST /chat/completions. Parameters the caller never set
 * are left out, so the server's defaults apply.
 *
 * Returns: (transfer full): the JSON body, or %NULL with @error set
 */
GBytes *
_cria_api_build_chat_body (CriaChatRequest  *request,
                           GError          **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  GPtrArray *messages = cria_chat_request_get_messages (request);
  const char * const *stop;
  double dvalue;
  gint64 ivalue;

  if (cria_chat_request_get_model (request) == NULL ||
      *cria_chat_request_get_model (request) == '\0')
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_INVALID_REQUEST,
                           _("No model is selected."));
      return NULL;
    }

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, cria_chat_request_get_model (request));

  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    add_message (builder, g_ptr_array_index (messages, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, cria_chat_request_get_stream (request));
  if (cria_chat_request_get_stream (request))
    {
      json_builder_set_member_name (builder, "stream_options");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "include_usage");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
    }

  if (cria_chat_request_get_temperature (request, &dvalue))
    {
      json_builder_set_member_name (builder, "temperature");
      json_builder_add_double_value (builder, dvalue);
    }
  if (cria_chat_request_get_top_p (request, &dvalue))
    {
      json_builder_set_member_name (builder, "top_p");
      json_builder_add_double_value (builder, dvalue);
    }
  if (cria_chat_request_get_max_tokens (request, &ivalue))
    {
      json_builder_set_member_name (builder, "max_tokens");
      json_builder_add_int_value (builder, ivalue);
    }
  if (cria_chat_request_get_frequency_penalty (request, &dvalue))
    {
      json_builder_set_member_name (builder, "frequency_penalty");
      json_builder_add_double_value (builder, dvalue);
    }
  if (cria_chat_request_get_presence_penalty (request, &dvalue))
    {
      json_builder_set_member_name (builder, "presence_penalty");
      json_builder_add_double_value (builder, dvalue);
    }
  if (cria_chat_request_get_seed (request, &ivalue))
    {
      json_builder_set_member_name (builder, "seed");
      json_builder_add_int_value (builder, ivalue);
    }

  stop = cria_chat_request_get_stop (request);
  if (stop != NULL)
    {
      json_builder_set_member_name (builder, "stop");
      json_builder_begin_array (builder);
      for (guint i = 0; stop[i] != NULL; i++)
        json_builder_add_string_value (builder, stop[i]);
      json_builder_end_array (builder);
    }

  if (!add_json_member (builder, "response_format",
                        cria_chat_request_get_response_format_json (request), FALSE, error) ||
      !add_json_member (builder, "tools",
                        cria_chat_request_get_tools_json (request), FALSE, error) ||
      !add_json_member (builder, "tool_choice",
                        cria_chat_request_get_tool_choice_json (request), TRUE, error))
    return NULL;

  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

GBytes *
_cria_api_build_embeddings_body (const char          *model,
                                 const char * const  *inputs,
                                 gboolean             single_input,
                                 CriaEmbeddingFormat  format)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (inputs != NULL && inputs[0] != NULL, NULL);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);

  json_builder_set_member_name (builder, "input");
  if (single_input)
    json_builder_add_string_value (builder, inputs[0]);
  else
    {
      json_builder_begin_array (builder);
      for (guint i = 0; inputs[i] != NULL; i++)
        json_builder_add_string_value (builder, inputs[i]);
      json_builder_end_array (builder);
    }

  json_builder_set_member_name (builder, "encoding_format");
  json_builder_add_string_value (builder, format == CRIA_EMBEDDING_FORMAT_BASE64 ? "base64" : "float");

  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/* cria-tool-call.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-json.h"
#include "cria-tool-call.h"

/* JSON-GLib parses recursively: deeper arguments are shown as written. */
#define FORMAT_MAX_DEPTH 64
/* Longer arguments are shown as written, and cut here. */
#define FORMAT_MAX_BYTES (64 * 1024)

G_DEFINE_BOXED_TYPE (CriaToolCall, cria_tool_call, cria_tool_call_copy, cria_tool_call_free)

CriaToolCall *
cria_tool_call_new (int index)
{
  CriaToolCall *call = g_new0 (CriaToolCall, 1);

  call->index = index;

  return call;
}

CriaToolCall *
cria_tool_call_copy (const CriaToolCall *call)
{
  CriaToolCall *copy;

  g_return_val_if_fail (call != NULL, NULL);

  copy = cria_tool_call_new (call->index);
  copy->id = g_strdup (call->id);
  copy->type = g_strdup (call->type);
  copy->name = g_strdup (call->name);
  copy->arguments = g_strdup (call->arguments);

  return copy;
}

void
cria_tool_call_free (CriaToolCall *call)
{
  if (call == NULL)
    return;

  g_free (call->id);
  g_free (call->type);
  g_free (call->name);
  g_free (call->arguments);
  g_free (call);
}

/* The deepest nesting of objects and arrays in @text, outside strings. */
static guint
json_depth (const char *text)
{
  guint depth = 0;
  guint deepest = 0;
  gboolean in_string = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        deepest = MAX (deepest, ++depth);
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
    }

  return deepest;
}

#define ARGUMENTS_MAX_BYTES (1024 * 1024)
#define ARGUMENTS_MAX_DEPTH 64

/**
 * cria_tool_call_parse_arguments:
 *
 * Returns: (transfer full) (nullable): the arguments, or %NULL with @error
 */
JsonObject *
cria_tool_call_parse_arguments (const CriaToolCall  *call,
                                GError             **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *text;
  JsonNode *root;

  g_return_val_if_fail (call != NULL, NULL);

  text = call->arguments != NULL ? call->arguments : "";
  if (strlen (text) > ARGUMENTS_MAX_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The arguments are longer than %d bytes.", ARGUMENTS_MAX_BYTES);
      return NULL;
    }

  /* Some models write nothing at all for a call without arguments. */
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return json_object_new ();

  if (!g_utf8_validate (text, -1, NULL) || json_depth (text) > ARGUMENTS_MAX_DEPTH)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The arguments are not valid UTF-8 JSON of a sensible depth.");
      return NULL;
    }

  if (!cria_json_is_single_value (text, strlen (text)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The arguments are not one JSON value.");
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &parse_error))
    {
      g_autofree char *message = cria_json_parse_error_text (parse_error);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The arguments are not valid JSON: %s", message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The arguments must be a JSON object.");
      return NULL;
    }

  return json_object_ref (json_node_get_object (root));
}

char *
cria_tool_call_format_arguments (const CriaToolCall *call)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *valid = NULL;
  JsonNode *root;

  g_return_val_if_fail (call != NULL, NULL);

  valid = g_utf8_make_valid (call->arguments != NULL ? call->arguments : "", -1);
  if (strlen (valid) > FORMAT_MAX_BYTES)
    {
      const char *end = valid + FORMAT_MAX_BYTES;
      g_autofree char *head = NULL;

      /* Cut between characters. */
      while (end > valid && (*end & 0xc0) == 0x80)
        end--;
      head = g_strndup (valid, end - valid);

      return g_strconcat (head, "…", NULL);
    }

  if (*valid == '\0' || json_depth (valid) > FORMAT_MAX_DEPTH)
    return g_steal_pointer (&valid);

  parser = json_parser_new ();
  if (!cria_json_is_single_value (valid, strlen (valid)) ||
      !json_parser_load_from_data (parser, valid, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    return g_steal_pointer (&valid);

  return cria_json_to_data (root, TRUE, NULL);
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
  g_autoptr(JsonNode) root = NULL;

  if (tool_calls == NULL || tool_calls->len == 0)
    return NULL;

  builder = json_builder_new ();
  cria_tool_calls_build (tool_calls, builder);
  root = json_builder_get_root (builder);

  return cria_json_to_data (root, FALSE, NULL);
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

  if (json == NULL || !cria_json_is_single_value (json, strlen (json)) ||
      !json_parser_load_from_data (parser, json, -1, NULL))
    return cria_tool_calls_from_node (NULL);

  return cria_tool_calls_from_node (json_parser_get_root (parser));
}

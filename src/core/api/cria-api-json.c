/* cria-api-json.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading JSON from a server or the bundled catalogue, type-checked.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-api-chunk-reader.h"
#include "cria-api-error.h"
#include "cria-api-json.h"

/* Type-checked readers: a member of the wrong type reads as absent, so a
 * server that sends `"content": null` or a number where text belongs never
 * trips an assertion. */

JsonObject *
_cria_api_json_member_object (JsonObject *object,
                              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
_cria_api_json_member_array (JsonObject *object,
                             const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
_cria_api_json_member_string (JsonObject *object,
                              const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

gboolean
_cria_api_json_member_number (JsonObject *object,
                              const char *name,
                              double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    *value = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *value = json_node_get_double (node);
  else
    return FALSE;

  return TRUE;
}

gint64
_cria_api_json_member_int (JsonObject *object,
                           const char *name,
                           gint64      fallback)
{
  double value;

  if (!_cria_api_json_member_number (object, name, &value) || value < 0 || value > (double) G_MAXINT64)
    return fallback;

  return (gint64) value;
}

JsonNode *
_cria_api_json_parse (JsonParser  *parser,
                      const char  *data,
                      gsize        len,
                      GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  if (data == NULL || len == 0)
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server sent an empty reply."));
      return NULL;
    }

  if (len > G_MAXSSIZE || !_cria_api_json_is_single_value (data, len) ||
      !json_parser_load_from_data (parser, data, (gssize) len, &parse_error))
    {
      /* The parser's own words (line, column, token) mean nothing to a user. */
      g_debug ("Unreadable JSON reply: %s", parse_error != NULL ? parse_error->message : "not one well-formed JSON value");
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server sent a reply Cria can’t read. It may not be an OpenAI-compatible endpoint."));
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server sent an empty reply."));
      return NULL;
    }

  return root;
}

JsonObject *
_cria_api_json_parse_object (JsonParser  *parser,
                             const char  *data,
                             gsize        len,
                             GError     **error)
{
  JsonNode *root = _cria_api_json_parse (parser, data, len, error);

  if (root == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                           _("The server sent a reply of an unexpected shape."));
      return NULL;
    }

  return json_node_get_object (root);
}

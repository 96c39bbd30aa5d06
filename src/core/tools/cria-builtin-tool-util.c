/* cria-builtin-tool-util.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Cria's own tools share: their schemas, reading the arguments a model
 * wrote, and handing back a result.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"

JsonNode *
_cria_tool_parse_schema (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  /* The schemas are constants of this folder: a typo is a bug. */
  g_assert_no_error (error);
  g_assert (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

gboolean
_cria_tool_get_string_arg (JsonObject  *arguments,
                           const char  *name,
                           gboolean     required,
                           const char **value,
                           GError     **error)
{
  JsonNode *node = json_object_get_member (arguments, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The argument “%s” is missing"), name);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The argument “%s” must be a string"), name);
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

gboolean
_cria_tool_get_int_arg (JsonObject  *arguments,
                        const char  *name,
                        gint64       min,
                        gint64       max,
                        gint64       fallback,
                        gint64      *value,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (arguments, name);
  double number;

  *value = fallback;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The argument “%s” must be a number"), name);
      return FALSE;
    }
  number = json_node_get_value_type (node) == G_TYPE_INT64 ? (double) json_node_get_int (node)
                                                           : json_node_get_double (node);
  *value = (gint64) CLAMP (number, (double) min, (double) max);
  return TRUE;
}

void
_cria_tool_return_text (GTask      *task,
                        const char *text,
                        gboolean    is_error)
{
  g_task_return_pointer (task, cria_tool_result_new (text, is_error),
                         (GDestroyNotify) cria_tool_result_free);
}

CriaToolResult *
_cria_tool_task_finish (CriaTool      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

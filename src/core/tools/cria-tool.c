/* cria-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cria-tool.h"

G_DEFINE_INTERFACE (CriaTool, cria_tool, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (CriaToolResult, cria_tool_result,
                     cria_tool_result_copy, cria_tool_result_free)

static void
cria_tool_default_init (CriaToolInterface *iface)
{
}

CriaToolResult *
cria_tool_result_new (const char *text,
                      gboolean    is_error)
{
  CriaToolResult *result = g_new0 (CriaToolResult, 1);
  g_autofree char *valid = NULL;
  gsize len;

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  len = strlen (valid);

  if (len > CRIA_TOOL_RESULT_MAX)
    {
      /* Cut on a character boundary, leaving room for the note. */
      const char *note = _("\n[… cut: the result was longer than Cria passes on]");
      gsize keep = CRIA_TOOL_RESULT_MAX - strlen (note);
      const char *end = g_utf8_find_prev_char (valid, valid + keep + 1);

      keep = end != NULL ? (gsize) (end - valid) : 0;
      result->text = g_malloc (keep + strlen (note) + 1);
      memcpy (result->text, valid, keep);
      strcpy (result->text + keep, note);
    }
  else
    result->text = g_steal_pointer (&valid);

  result->is_error = is_error;
  return result;
}

CriaToolResult *
cria_tool_result_copy (const CriaToolResult *result)
{
  CriaToolResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (CriaToolResult, 1);
  copy->text = g_strdup (result->text);
  copy->is_error = result->is_error;
  return copy;
}

void
cria_tool_result_free (CriaToolResult *result)
{
  if (result == NULL)
    return;
  g_free (result->text);
  g_free (result);
}

const char *
cria_tool_get_name (CriaTool *self)
{
  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  return CRIA_TOOL_GET_IFACE (self)->get_name (self);
}

const char *
cria_tool_get_title (CriaTool *self)
{
  CriaToolInterface *iface;

  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  iface = CRIA_TOOL_GET_IFACE (self);
  return iface->get_title != NULL ? iface->get_title (self) : iface->get_name (self);
}

const char *
cria_tool_get_description (CriaTool *self)
{
  CriaToolInterface *iface;

  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  iface = CRIA_TOOL_GET_IFACE (self);
  return iface->get_description != NULL ? iface->get_description (self) : "";
}

JsonNode *
cria_tool_get_parameters (CriaTool *self)
{
  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  return CRIA_TOOL_GET_IFACE (self)->get_parameters (self);
}

CriaToolApproval
cria_tool_get_approval (CriaTool *self)
{
  CriaToolInterface *iface;

  g_return_val_if_fail (CRIA_IS_TOOL (self), CRIA_TOOL_APPROVAL_ASK);
  iface = CRIA_TOOL_GET_IFACE (self);
  /* A tool that does not say asks. */
  return iface->get_approval != NULL ? iface->get_approval (self) : CRIA_TOOL_APPROVAL_ASK;
}

const char *
cria_tool_get_source (CriaTool *self)
{
  CriaToolInterface *iface;

  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  iface = CRIA_TOOL_GET_IFACE (self);
  return iface->get_source != NULL ? iface->get_source (self) : NULL;
}

void
cria_tool_run_async (CriaTool            *self,
                     JsonObject          *arguments,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_TOOL (self));
  g_return_if_fail (arguments != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  CRIA_TOOL_GET_IFACE (self)->run_async (self, arguments, cancellable, callback, user_data);
}

CriaToolResult *
cria_tool_run_finish (CriaTool      *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (CRIA_IS_TOOL (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return CRIA_TOOL_GET_IFACE (self)->run_finish (self, result, error);
}

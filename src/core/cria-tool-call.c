/* cria-tool-call.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-tool-call.h"

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

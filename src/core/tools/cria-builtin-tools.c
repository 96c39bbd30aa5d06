/* cria-builtin-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"

GPtrArray *
cria_builtin_tools_new (CriaStore *store)
{
  GPtrArray *tools = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (store == NULL || CRIA_IS_STORE (store), NULL);

  g_ptr_array_add (tools, cria_calculator_tool_new ());
  g_ptr_array_add (tools, cria_clock_tool_new (CRIA_CLOCK_TOOL_CURRENT));
  g_ptr_array_add (tools, cria_clock_tool_new (CRIA_CLOCK_TOOL_CONVERT));
  if (store != NULL)
    g_ptr_array_add (tools, cria_history_search_tool_new (store));
  g_ptr_array_add (tools, cria_fetch_tool_new ());

  return tools;
}

GListModel *
cria_builtin_tools_new_model (CriaStore *store)
{
  g_autoptr(GPtrArray) tools = NULL;
  GListStore *model;

  g_return_val_if_fail (store == NULL || CRIA_IS_STORE (store), NULL);

  tools = cria_builtin_tools_new (store);
  model = g_list_store_new (CRIA_TYPE_TOOL);
  g_list_store_splice (model, 0, 0, tools->pdata, tools->len);
  return G_LIST_MODEL (model);
}

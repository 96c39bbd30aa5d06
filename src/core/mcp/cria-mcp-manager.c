/* cria-mcp-manager.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-mcp-manager.h"
#include "cria-mcp-stdio.h"
#include "cria-mcp-token.h"

/* A bound on what is read from settings someone else may have written. */
#define MAX_SERVERS 64

struct _CriaMcpManager
{
  GObject      parent_instance;

  GSettings   *settings;
  SoupSession *session;
  GListStore  *servers;
  /* What cria_mcp_manager_dup_tools (self, NULL) gives, kept as a model. */
  GListStore  *tools;
  gboolean     started;
  gboolean     loading;
};

G_DEFINE_FINAL_TYPE (CriaMcpManager, cria_mcp_manager, G_TYPE_OBJECT)

static const char *config_properties[] = {
  "name", "transport", "command", "args", "env", "url", "enabled", "disabled-tools",
};

static GVariant *
server_to_variant (CriaMcpServer *server)
{
  g_auto(GVariantDict) dict = G_VARIANT_DICT_INIT (NULL);
  g_auto(GStrv) disabled = cria_mcp_server_dup_disabled_tools (server);
  const char *empty[] = { NULL };
  const char * const *args = cria_mcp_server_get_args (server);
  const char * const *env = cria_mcp_server_get_env (server);

  g_variant_dict_insert (&dict, "id", "s", cria_mcp_server_get_id (server));
  g_variant_dict_insert (&dict, "name", "s", cria_mcp_server_get_name (server) ?: "");
  g_variant_dict_insert (&dict, "transport", "s",
                         cria_mcp_server_get_transport (server) == CRIA_MCP_TRANSPORT_KIND_HTTP ? "http" : "stdio");
  g_variant_dict_insert (&dict, "command", "s", cria_mcp_server_get_command (server) ?: "");
  g_variant_dict_insert_value (&dict, "args", g_variant_new_strv (args ?: empty, -1));
  g_variant_dict_insert_value (&dict, "env", g_variant_new_strv (env ?: empty, -1));
  g_variant_dict_insert (&dict, "url", "s", cria_mcp_server_get_url (server) ?: "");
  g_variant_dict_insert (&dict, "enabled", "b", cria_mcp_server_get_enabled (server));
  g_variant_dict_insert_value (&dict, "disabled-tools",
                               g_variant_new_strv ((const char * const *) disabled, -1));
  return g_variant_dict_end (&dict);
}

static void
save (CriaMcpManager *self)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));

  if (self->loading)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);

      g_variant_builder_add_value (&builder, server_to_variant (server));
    }
  g_settings_set_value (self->settings, "servers", g_variant_builder_end (&builder));
}

static void
server_config_cb (CriaMcpServer  *server,
                  GParamSpec     *pspec,
                  CriaMcpManager *self)
{
  save (self);
}

static void
server_enabled_cb (CriaMcpServer  *server,
                   GParamSpec     *pspec,
                   CriaMcpManager *self)
{
  if (!self->started)
    return;
  if (cria_mcp_server_get_enabled (server))
    cria_mcp_server_connect (server);
  else
    cria_mcp_server_disconnect (server);
}

/* A running server's tools carry its name (as their source, and in the
 * names the model sees): they are listed again under the new one. */
static void
server_renamed_cb (CriaMcpServer  *server,
                   GParamSpec     *pspec,
                   CriaMcpManager *self)
{
  if (self->started && cria_mcp_server_get_enabled (server))
    cria_mcp_server_connect (server);
}

static void
timeout_changed_cb (GSettings      *settings,
                    const char     *key,
                    CriaMcpManager *self)
{
  guint timeout_ms = g_settings_get_uint (settings, "timeout") * 1000;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);

      cria_mcp_server_set_timeout (server, timeout_ms);
    }
}

static void
refresh_tools (CriaMcpManager *self)
{
  g_autoptr(GPtrArray) tools = cria_mcp_manager_dup_tools (self, NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  gboolean same = n == tools->len;

  for (guint i = 0; same && i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (self->tools), i);

      same = item == tools->pdata[i];
    }
  if (!same)
    g_list_store_splice (self->tools, 0, n, tools->pdata, tools->len);
}

static void
tool_enabled_cb (CriaMcpTool    *tool,
                 GParamSpec     *pspec,
                 CriaMcpManager *self)
{
  refresh_tools (self);
}

static void
server_tools_changed_cb (GListModel     *tools,
                         guint           position,
                         guint           removed,
                         guint           added,
                         CriaMcpManager *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CriaMcpTool) tool = g_list_model_get_item (tools, i);

      g_signal_connect_object (tool, "notify::enabled", G_CALLBACK (tool_enabled_cb), self, 0);
    }
  refresh_tools (self);
}

static void
server_state_cb (CriaMcpServer  *server,
                 GParamSpec     *pspec,
                 CriaMcpManager *self)
{
  refresh_tools (self);
}

static void
watch (CriaMcpManager *self,
       CriaMcpServer  *server)
{
  g_signal_connect_object (server, "notify::state", G_CALLBACK (server_state_cb), self, 0);
  g_signal_connect_object (cria_mcp_server_get_tools (server), "items-changed",
                           G_CALLBACK (server_tools_changed_cb), self, 0);

  for (guint i = 0; i < G_N_ELEMENTS (config_properties); i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", config_properties[i], NULL);

      g_signal_connect_object (server, signal, G_CALLBACK (server_config_cb), self, 0);
    }
  g_signal_connect_object (server, "notify::enabled", G_CALLBACK (server_enabled_cb), self, 0);
  g_signal_connect_object (server, "notify::name", G_CALLBACK (server_renamed_cb), self, 0);
  cria_mcp_server_set_timeout (server, g_settings_get_uint (self->settings, "timeout") * 1000);
}

static void
load (CriaMcpManager *self)
{
  g_autoptr(GVariant) list = g_settings_get_value (self->settings, "servers");
  g_autoptr(GPtrArray) servers = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  GVariant *entry;

  self->loading = TRUE;
  g_variant_iter_init (&iter, list);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL && servers->len < MAX_SERVERS)
    {
      g_autoptr(GVariant) owned = entry;
      GVariantDict dict;
      const char *id = NULL, *name = "", *transport = "stdio", *command = "", *url = "";
      g_autofree const char **args = NULL;
      g_autofree const char **env = NULL;
      g_autofree const char **disabled = NULL;
      gboolean enabled = FALSE;
      CriaMcpServer *server;

      g_variant_dict_init (&dict, entry);
      if (!g_variant_dict_lookup (&dict, "id", "&s", &id) || *id == '\0'
          || cria_mcp_manager_lookup (self, id) != NULL)
        {
          g_variant_dict_clear (&dict);
          continue;
        }
      g_variant_dict_lookup (&dict, "name", "&s", &name);
      g_variant_dict_lookup (&dict, "transport", "&s", &transport);
      g_variant_dict_lookup (&dict, "command", "&s", &command);
      g_variant_dict_lookup (&dict, "args", "^a&s", &args);
      g_variant_dict_lookup (&dict, "env", "^a&s", &env);
      g_variant_dict_lookup (&dict, "url", "&s", &url);
      g_variant_dict_lookup (&dict, "enabled", "b", &enabled);
      g_variant_dict_lookup (&dict, "disabled-tools", "^a&s", &disabled);

      server = cria_mcp_server_new (id, self->session);
      cria_mcp_server_set_name (server, name);
      cria_mcp_server_set_transport (server, g_str_equal (transport, "http")
                                             ? CRIA_MCP_TRANSPORT_KIND_HTTP
                                             : CRIA_MCP_TRANSPORT_KIND_STDIO);
      cria_mcp_server_set_command (server, command);
      cria_mcp_server_set_args (server, args);
      cria_mcp_server_set_env (server, env);
      cria_mcp_server_set_url (server, url);
      cria_mcp_server_set_enabled (server, enabled);
      cria_mcp_server_set_disabled_tools (server, disabled);
      watch (self, server);
      g_list_store_append (self->servers, server);
      g_ptr_array_add (servers, server);
      g_variant_dict_clear (&dict);
    }
  self->loading = FALSE;
}

CriaMcpServer *
cria_mcp_manager_lookup (CriaMcpManager *self,
                         const char     *id)
{
  guint n;

  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);

      if (g_str_equal (cria_mcp_server_get_id (server), id))
        return server;
    }
  return NULL;
}

CriaMcpServer *
cria_mcp_manager_add_server (CriaMcpManager       *self,
                             const char           *name,
                             CriaMcpTransportKind  transport)
{
  g_autoptr(CriaMcpServer) server = NULL;
  g_autofree char *id = g_uuid_string_random ();

  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), NULL);

  server = cria_mcp_server_new (id, self->session);
  cria_mcp_server_set_name (server, name);
  cria_mcp_server_set_transport (server, transport);
  cria_mcp_server_set_enabled (server, FALSE);
  watch (self, server);
  g_list_store_append (self->servers, server);
  save (self);
  return server;
}

void
cria_mcp_manager_remove_server (CriaMcpManager *self,
                                CriaMcpServer  *server)
{
  guint position;

  g_return_if_fail (CRIA_IS_MCP_MANAGER (self));
  g_return_if_fail (CRIA_IS_MCP_SERVER (server));

  if (!g_list_store_find (self->servers, server, &position))
    return;

  g_signal_handlers_disconnect_by_data (server, self);
  cria_mcp_server_disconnect (server);
  cria_mcp_token_store_async (cria_mcp_server_get_id (server), NULL, NULL, NULL, NULL);
  g_signal_handlers_disconnect_by_data (cria_mcp_server_get_tools (server), self);
  g_list_store_remove (self->servers, position);
  save (self);
  refresh_tools (self);
}

void
cria_mcp_manager_start (CriaMcpManager *self)
{
  guint n;

  g_return_if_fail (CRIA_IS_MCP_MANAGER (self));

  if (self->started)
    return;
  self->started = TRUE;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);

      if (cria_mcp_server_get_enabled (server))
        cria_mcp_server_connect (server);
    }
}

GPtrArray *
cria_mcp_manager_dup_tools (CriaMcpManager     *self,
                            const char * const *server_ids)
{
  GPtrArray *tools;
  guint n;

  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), NULL);

  tools = g_ptr_array_new_with_free_func (g_object_unref);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);
      GListModel *server_tools = cria_mcp_server_get_tools (server);
      guint n_tools = g_list_model_get_n_items (server_tools);

      if (!cria_mcp_server_get_enabled (server)
          || cria_mcp_server_get_state (server) != CRIA_MCP_SERVER_STATE_CONNECTED
          || (server_ids != NULL && !g_strv_contains (server_ids, cria_mcp_server_get_id (server))))
        continue;

      for (guint j = 0; j < n_tools; j++)
        {
          g_autoptr(CriaMcpTool) tool = g_list_model_get_item (server_tools, j);

          if (cria_mcp_tool_get_enabled (tool))
            g_ptr_array_add (tools, g_steal_pointer (&tool));
        }
    }
  return tools;
}

GListModel *
cria_mcp_manager_get_tools (CriaMcpManager *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), NULL);
  return G_LIST_MODEL (self->tools);
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!cria_mcp_token_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cria_mcp_manager_set_token_async (CriaMcpManager      *self,
                                  CriaMcpServer       *server,
                                  const char          *token,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRIA_IS_MCP_MANAGER (self));
  g_return_if_fail (CRIA_IS_MCP_SERVER (server));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_manager_set_token_async);
  cria_mcp_token_store_async (cria_mcp_server_get_id (server), token, cancellable, token_stored_cb, task);
}

gboolean
cria_mcp_manager_set_token_finish (CriaMcpManager  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cria_mcp_manager_can_run_commands (CriaMcpManager  *self,
                                   char           **reason)
{
  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), FALSE);

  if (!cria_mcp_stdio_is_sandboxed ())
    return TRUE;
  if (reason != NULL)
    *reason = g_strdup (_("Cria runs in a sandbox and can't start programs on this computer. "
                          "Run the server yourself and add it by its HTTP address instead."));
  return FALSE;
}

GListModel *
cria_mcp_manager_get_servers (CriaMcpManager *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (self), NULL);
  return G_LIST_MODEL (self->servers);
}

static void
cria_mcp_manager_dispose (GObject *object)
{
  CriaMcpManager *self = CRIA_MCP_MANAGER (object);

  if (self->servers != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->servers));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CriaMcpServer) server = g_list_model_get_item (G_LIST_MODEL (self->servers), i);

          g_signal_handlers_disconnect_by_data (server, self);
          g_signal_handlers_disconnect_by_data (cria_mcp_server_get_tools (server), self);
          cria_mcp_server_disconnect (server);
        }
      g_clear_object (&self->servers);
    }
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->tools);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cria_mcp_manager_parent_class)->dispose (object);
}

static void
cria_mcp_manager_class_init (CriaMcpManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_mcp_manager_dispose;
}

static void
cria_mcp_manager_init (CriaMcpManager *self)
{
  self->servers = g_list_store_new (CRIA_TYPE_MCP_SERVER);
  self->tools = g_list_store_new (CRIA_TYPE_TOOL);
}

CriaMcpManager *
cria_mcp_manager_new (GSettings *settings)
{
  CriaMcpManager *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CRIA_TYPE_MCP_MANAGER, NULL);
  self->settings = g_object_ref (settings);
  self->session = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
  g_signal_connect (settings, "changed::timeout", G_CALLBACK (timeout_changed_cb), self);
  load (self);
  return self;
}

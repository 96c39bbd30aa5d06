/* cria-mcp-server.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cria-mcp-enums.h"
#include "cria-mcp-http.h"
#include "cria-mcp-server.h"
#include "cria-mcp-stdio.h"
#include "cria-mcp-token.h"
#include "cria-secret.h"

/* How much of the server's name starts its tools' names for the model. */
#define PREFIX_MAX 24

struct _CriaMcpServer
{
  GObject               parent_instance;

  char                 *id;
  SoupSession          *session;
  char                 *name;
  CriaMcpTransportKind  transport;
  char                 *command;
  GStrv                 args;
  GStrv                 env;
  char                 *url;
  gboolean              enabled;
  GHashTable           *disabled;     /* remote tool names */
  guint                 timeout_ms;

  CriaMcpServerState    state;
  char                 *error;
  GListStore           *tools;
  CriaMcpClient        *client;
  GCancellable         *cancellable;
};

G_DEFINE_FINAL_TYPE (CriaMcpServer, cria_mcp_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_TRANSPORT,
  PROP_COMMAND,
  PROP_ARGS,
  PROP_ENV,
  PROP_URL,
  PROP_ENABLED,
  PROP_DISABLED_TOOLS,
  PROP_STATE,
  PROP_ERROR,
  PROP_TOOLS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_state (CriaMcpServer      *self,
           CriaMcpServerState  state,
           const char         *error)
{
  if (g_strcmp0 (self->error, error) != 0)
    {
      g_free (self->error);
      self->error = error != NULL ? g_utf8_make_valid (error, -1) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static char *
name_prefix (CriaMcpServer *self)
{
  g_autofree char *lower = g_ascii_strdown (self->name != NULL ? self->name : "", -1);

  if (strlen (lower) > PREFIX_MAX)
    lower[PREFIX_MAX] = '\0';
  return g_steal_pointer (&lower);
}

static void
tool_enabled_cb (CriaMcpTool   *tool,
                 GParamSpec    *pspec,
                 CriaMcpServer *self)
{
  const char *remote = cria_mcp_tool_get_remote_name (tool);
  gboolean changed;

  if (cria_mcp_tool_get_enabled (tool))
    changed = g_hash_table_remove (self->disabled, remote);
  else
    changed = g_hash_table_add (self->disabled, g_strdup (remote));
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISABLED_TOOLS]);
}

/* Replaces the tool list with @descriptors, in one items-changed. */
static void
take_tools (CriaMcpServer *self,
            GPtrArray     *descriptors)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) tools = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *prefix = name_prefix (self);

  for (guint i = 0; descriptors != NULL && i < descriptors->len; i++)
    {
      JsonObject *descriptor = descriptors->pdata[i];
      const char *remote = json_object_get_string_member (descriptor, "name");
      g_autofree char *name = cria_mcp_tool_make_name (prefix, remote);
      CriaMcpTool *tool;

      /* Two remote names may map to one name for the model. */
      for (guint n = 2; g_hash_table_contains (used, name); n++)
        {
          g_autofree char *suffix = g_strdup_printf ("_%u", n);
          g_autofree char *base = cria_mcp_tool_make_name (prefix, remote);

          if (strlen (base) + strlen (suffix) > 64)
            base[64 - strlen (suffix)] = '\0';
          g_free (name);
          name = g_strconcat (base, suffix, NULL);
        }
      g_hash_table_add (used, g_strdup (name));

      tool = cria_mcp_tool_new (self->client, name, self->name, descriptor);
      cria_mcp_tool_set_enabled (tool, !g_hash_table_contains (self->disabled, remote));
      g_signal_connect_object (tool, "notify::enabled", G_CALLBACK (tool_enabled_cb), self, 0);
      g_ptr_array_add (tools, tool);
    }

  g_list_store_splice (self->tools, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tools)),
                       tools->pdata, tools->len);
}

/* Opening a connection, for connect() and test_async(). */

static CriaMcpClient *
make_client (CriaMcpServer *self,
             const char    *token,
             GError       **error)
{
  g_autoptr(CriaMcpTransport) transport = NULL;
  CriaMcpClient *client;

  if (self->transport == CRIA_MCP_TRANSPORT_KIND_HTTP)
    {
      CriaMcpHttp *http;

      if (self->url == NULL || *self->url == '\0')
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("No address is set for this server"));
          return NULL;
        }
      http = cria_mcp_http_new (self->session, self->url);
      cria_mcp_http_set_token (http, token);
      transport = CRIA_MCP_TRANSPORT (http);
    }
  else
    transport = CRIA_MCP_TRANSPORT (cria_mcp_stdio_new (self->command,
                                                        (const char * const *) self->args,
                                                        (const char * const *) self->env));

  client = cria_mcp_client_new (transport);
  cria_mcp_client_set_timeout (client, self->timeout_ms);
  return client;
}

static void
open_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaMcpClient *client = CRIA_MCP_CLIENT (object);
  GError *error = NULL;

  if (!cria_mcp_client_connect_finish (client, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (client), g_object_unref);
}

static void
open_token_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaMcpServer *self = g_task_get_source_object (task);
  g_autoptr(CriaSecret) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = NULL;
  GCancellable *cancellable;

  /* Without a keyring the server is tried without a token: it says
   * whether it needs one. */
  token = cria_mcp_token_lookup_finish (result, NULL);
  client = make_client (self, token, &error);
  if (client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  cria_mcp_client_connect_async (client, cancellable, open_connected_cb, g_steal_pointer (&task));
}

static void
open_client_async (CriaMcpServer       *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, open_client_async);
  if (self->transport == CRIA_MCP_TRANSPORT_KIND_HTTP)
    {
      cria_mcp_token_lookup_async (self->id, cancellable, open_token_cb, task);
      return;
    }

  client = make_client (self, NULL, &error);
  cria_mcp_client_connect_async (client, cancellable, open_connected_cb, task);
}

static CriaMcpClient *
open_client_finish (CriaMcpServer  *self,
                    GAsyncResult   *result,
                    GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* connect() */

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaMcpServer) self = user_data;
  g_autoptr(GPtrArray) descriptors = NULL;
  g_autoptr(GError) error = NULL;

  descriptors = cria_mcp_client_list_tools_finish (CRIA_MCP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || CRIA_MCP_CLIENT (object) != self->client)
    return;
  if (descriptors == NULL)
    {
      set_state (self, CRIA_MCP_SERVER_STATE_FAILED, error->message);
      return;
    }

  take_tools (self, descriptors);
  set_state (self, CRIA_MCP_SERVER_STATE_CONNECTED, NULL);
}

static void
tools_changed_cb (CriaMcpClient *client,
                  CriaMcpServer *self)
{
  cria_mcp_client_list_tools_async (client, self->cancellable, listed_cb, g_object_ref (self));
}

static void
client_closed_cb (CriaMcpClient *client,
                  GError        *error,
                  CriaMcpServer *self)
{
  g_list_store_remove_all (self->tools);
  set_state (self, CRIA_MCP_SERVER_STATE_FAILED, error != NULL ? error->message : NULL);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CriaMcpServer) self = user_data;
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = open_client_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (client == NULL)
    {
      set_state (self, CRIA_MCP_SERVER_STATE_FAILED, error->message);
      return;
    }

  self->client = g_steal_pointer (&client);
  g_signal_connect_object (self->client, "tools-changed", G_CALLBACK (tools_changed_cb), self, 0);
  g_signal_connect_object (self->client, "closed", G_CALLBACK (client_closed_cb), self, 0);
  cria_mcp_client_list_tools_async (self->client, self->cancellable, listed_cb, g_object_ref (self));
}

void
cria_mcp_server_disconnect (CriaMcpServer *self)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      cria_mcp_client_close (self->client);
      g_clear_object (&self->client);
    }
  g_list_store_remove_all (self->tools);
  set_state (self, CRIA_MCP_SERVER_STATE_DISCONNECTED, NULL);
}

void
cria_mcp_server_connect (CriaMcpServer *self)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));

  cria_mcp_server_disconnect (self);
  self->cancellable = g_cancellable_new ();
  set_state (self, CRIA_MCP_SERVER_STATE_CONNECTING, NULL);
  open_client_async (self, self->cancellable, opened_cb, g_object_ref (self));
}

/* test_async() */

static void
test_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) descriptors = NULL;
  GError *error = NULL;

  descriptors = cria_mcp_client_list_tools_finish (CRIA_MCP_CLIENT (object), result, &error);
  cria_mcp_client_close (CRIA_MCP_CLIENT (object));
  if (descriptors == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, descriptors->len);
}

static void
test_opened_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CriaMcpClient) client = NULL;
  GCancellable *cancellable;
  GError *error = NULL;

  client = open_client_finish (CRIA_MCP_SERVER (object), result, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  cria_mcp_client_list_tools_async (client, cancellable, test_listed_cb, g_steal_pointer (&task));
}

void
cria_mcp_server_test_async (CriaMcpServer       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (CRIA_IS_MCP_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_server_test_async);
  open_client_async (self, cancellable, test_opened_cb, task);
}

guint
cria_mcp_server_test_finish (CriaMcpServer  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return (guint) g_task_propagate_int (G_TASK (result), error);
}

/* Configuration */

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_strv (GStrv              *field,
          const char * const *value)
{
  const char * const empty[] = { NULL };

  if (value == NULL)
    value = empty;
  if (*field != NULL && g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  return TRUE;
}

#define NOTIFY_IF(changed, prop) \
  G_STMT_START { if (changed) g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); } G_STMT_END

void
cria_mcp_server_set_name (CriaMcpServer *self,
                          const char    *name)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  NOTIFY_IF (set_string (&self->name, name), PROP_NAME);
}

void
cria_mcp_server_set_transport (CriaMcpServer        *self,
                               CriaMcpTransportKind  transport)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  if (self->transport == transport)
    return;
  self->transport = transport;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

void
cria_mcp_server_set_command (CriaMcpServer *self,
                             const char    *command)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  NOTIFY_IF (set_string (&self->command, command), PROP_COMMAND);
}

void
cria_mcp_server_set_args (CriaMcpServer      *self,
                          const char * const *args)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  NOTIFY_IF (set_strv (&self->args, args), PROP_ARGS);
}

void
cria_mcp_server_set_env (CriaMcpServer      *self,
                         const char * const *env)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  NOTIFY_IF (set_strv (&self->env, env), PROP_ENV);
}

void
cria_mcp_server_set_url (CriaMcpServer *self,
                         const char    *url)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  NOTIFY_IF (set_string (&self->url, url), PROP_URL);
}

void
cria_mcp_server_set_enabled (CriaMcpServer *self,
                             gboolean       enabled)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

GStrv
cria_mcp_server_dup_disabled_tools (CriaMcpServer *self)
{
  g_autofree const char **names = NULL;
  GStrv copy;

  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);

  names = (const char **) g_hash_table_get_keys_as_array (self->disabled, NULL);
  copy = g_strdupv ((char **) names);
  g_qsort_with_data (copy, g_strv_length (copy), sizeof (char *), compare_strings, NULL);
  return copy;
}

void
cria_mcp_server_set_disabled_tools (CriaMcpServer      *self,
                                    const char * const *names)
{
  guint n;

  g_return_if_fail (CRIA_IS_MCP_SERVER (self));

  g_hash_table_remove_all (self->disabled);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    g_hash_table_add (self->disabled, g_strdup (names[i]));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->tools));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMcpTool) tool = g_list_model_get_item (G_LIST_MODEL (self->tools), i);

      g_signal_handlers_block_by_func (tool, tool_enabled_cb, self);
      cria_mcp_tool_set_enabled (tool, !g_hash_table_contains (self->disabled,
                                                               cria_mcp_tool_get_remote_name (tool)));
      g_signal_handlers_unblock_by_func (tool, tool_enabled_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISABLED_TOOLS]);
}

void
cria_mcp_server_set_timeout (CriaMcpServer *self,
                             guint          timeout_ms)
{
  g_return_if_fail (CRIA_IS_MCP_SERVER (self));
  self->timeout_ms = timeout_ms;
  if (self->client != NULL)
    cria_mcp_client_set_timeout (self->client, timeout_ms);
}

const char *
cria_mcp_server_get_id (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return self->id;
}

const char *
cria_mcp_server_get_name (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return self->name;
}

CriaMcpTransportKind
cria_mcp_server_get_transport (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), 0);
  return self->transport;
}

const char *
cria_mcp_server_get_command (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return self->command;
}

const char * const *
cria_mcp_server_get_args (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return (const char * const *) self->args;
}

const char * const *
cria_mcp_server_get_env (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return (const char * const *) self->env;
}

const char *
cria_mcp_server_get_url (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return self->url;
}

gboolean
cria_mcp_server_get_enabled (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), FALSE);
  return self->enabled;
}

CriaMcpServerState
cria_mcp_server_get_state (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), 0);
  return self->state;
}

const char *
cria_mcp_server_get_error (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return self->error;
}

GListModel *
cria_mcp_server_get_tools (CriaMcpServer *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_SERVER (self), NULL);
  return G_LIST_MODEL (self->tools);
}

static void
cria_mcp_server_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CriaMcpServer *self = CRIA_MCP_SERVER (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_TRANSPORT: g_value_set_enum (value, self->transport); break;
    case PROP_COMMAND: g_value_set_string (value, self->command); break;
    case PROP_ARGS: g_value_set_boxed (value, self->args); break;
    case PROP_ENV: g_value_set_boxed (value, self->env); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_ENABLED: g_value_set_boolean (value, self->enabled); break;
    case PROP_DISABLED_TOOLS: g_value_take_boxed (value, cria_mcp_server_dup_disabled_tools (self)); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR: g_value_set_string (value, self->error); break;
    case PROP_TOOLS: g_value_set_object (value, self->tools); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_mcp_server_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CriaMcpServer *self = CRIA_MCP_SERVER (object);

  switch (prop_id)
    {
    case PROP_NAME: cria_mcp_server_set_name (self, g_value_get_string (value)); break;
    case PROP_TRANSPORT: cria_mcp_server_set_transport (self, g_value_get_enum (value)); break;
    case PROP_COMMAND: cria_mcp_server_set_command (self, g_value_get_string (value)); break;
    case PROP_ARGS: cria_mcp_server_set_args (self, g_value_get_boxed (value)); break;
    case PROP_ENV: cria_mcp_server_set_env (self, g_value_get_boxed (value)); break;
    case PROP_URL: cria_mcp_server_set_url (self, g_value_get_string (value)); break;
    case PROP_ENABLED: cria_mcp_server_set_enabled (self, g_value_get_boolean (value)); break;
    case PROP_DISABLED_TOOLS: cria_mcp_server_set_disabled_tools (self, g_value_get_boxed (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_mcp_server_dispose (GObject *object)
{
  CriaMcpServer *self = CRIA_MCP_SERVER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->client != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->client, self);
      cria_mcp_client_close (self->client);
      g_clear_object (&self->client);
    }
  if (self->tools != NULL)
    g_list_store_remove_all (self->tools);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cria_mcp_server_parent_class)->dispose (object);
}

static void
cria_mcp_server_finalize (GObject *object)
{
  CriaMcpServer *self = CRIA_MCP_SERVER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->command);
  g_strfreev (self->args);
  g_strfreev (self->env);
  g_free (self->url);
  g_hash_table_unref (self->disabled);
  g_free (self->error);
  g_clear_object (&self->tools);

  G_OBJECT_CLASS (cria_mcp_server_parent_class)->finalize (object);
}

static void
cria_mcp_server_class_init (CriaMcpServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = cria_mcp_server_get_property;
  object_class->set_property = cria_mcp_server_set_property;
  object_class->dispose = cria_mcp_server_dispose;
  object_class->finalize = cria_mcp_server_finalize;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, rw);
  properties[PROP_TRANSPORT] = g_param_spec_enum ("transport", NULL, NULL, CRIA_TYPE_MCP_TRANSPORT_KIND,
                                                  CRIA_MCP_TRANSPORT_KIND_STDIO, rw);
  properties[PROP_COMMAND] = g_param_spec_string ("command", NULL, NULL, NULL, rw);
  properties[PROP_ARGS] = g_param_spec_boxed ("args", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_ENV] = g_param_spec_boxed ("env", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, rw);
  properties[PROP_DISABLED_TOOLS] = g_param_spec_boxed ("disabled-tools", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, CRIA_TYPE_MCP_SERVER_STATE,
                                              CRIA_MCP_SERVER_STATE_DISCONNECTED, ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_TOOLS] = g_param_spec_object ("tools", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_mcp_server_init (CriaMcpServer *self)
{
  self->enabled = TRUE;
  self->timeout_ms = 60000;
  self->args = g_new0 (char *, 1);
  self->env = g_new0 (char *, 1);
  self->disabled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->tools = g_list_store_new (CRIA_TYPE_MCP_TOOL);
}

CriaMcpServer *
cria_mcp_server_new (const char  *id,
                     SoupSession *session)
{
  CriaMcpServer *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (CRIA_TYPE_MCP_SERVER, NULL);
  self->id = g_strdup (id);
  self->session = g_object_ref (session);
  return self;
}

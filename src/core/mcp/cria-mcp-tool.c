/* cria-mcp-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "cria-mcp-tool.h"

#define NAME_MAX_LEN 64

struct _CriaMcpTool
{
  GObject        parent_instance;

  CriaMcpClient *client;
  char          *name;
  char          *remote_name;
  char          *title;
  char          *description;
  char          *source;
  JsonNode      *parameters;
  gboolean       enabled;
};

enum {
  PROP_0,
  PROP_ENABLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaMcpTool, cria_mcp_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

char *
cria_mcp_tool_make_name (const char *prefix,
                         const char *remote_name)
{
  g_autofree char *joined = NULL;
  GString *name = g_string_new (NULL);

  joined = prefix != NULL && *prefix != '\0'
           ? g_strconcat (prefix, "_", remote_name, NULL)
           : g_strdup (remote_name);
  for (const char *p = joined; *p != '\0' && name->len < NAME_MAX_LEN; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
        g_string_append_c (name, *p);
      else if (name->len == 0 || name->str[name->len - 1] != '_')
        g_string_append_c (name, '_');
    }
  if (name->len == 0)
    g_string_append (name, "tool");

  return g_string_free (name, FALSE);
}

static void
append_block (GString    *text,
              JsonObject *block)
{
  const char *type = json_object_get_string_member_with_default (block, "type", "");

  if (text->len > 0)
    g_string_append_c (text, '\n');

  if (g_str_equal (type, "text"))
    g_string_append (text, json_object_get_string_member_with_default (block, "text", ""));
  else if (g_str_equal (type, "image") || g_str_equal (type, "audio"))
    g_string_append_printf (text, "[%s: %s]", type,
                            json_object_get_string_member_with_default (block, "mimeType", "?"));
  else if (g_str_equal (type, "resource_link"))
    g_string_append_printf (text, "[link: %s]",
                            json_object_get_string_member_with_default (block, "uri", "?"));
  else if (g_str_equal (type, "resource")
           && json_object_has_member (block, "resource")
           && JSON_NODE_HOLDS_OBJECT (json_object_get_member (block, "resource")))
    {
      JsonObject *resource = json_object_get_object_member (block, "resource");
      const char *resource_text = json_object_get_string_member_with_default (resource, "text", NULL);

      if (resource_text != NULL)
        g_string_append (text, resource_text);
      else
        g_string_append_printf (text, "[resource: %s]",
                                json_object_get_string_member_with_default (resource, "uri", "?"));
    }
  else
    g_string_append_printf (text, "[%s]", type);
}

CriaToolResult *
cria_mcp_tool_result_from_json (JsonObject *result)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *content;
  JsonNode *node;
  gboolean is_error = FALSE;

  g_return_val_if_fail (result != NULL, NULL);

  node = json_object_get_member (result, "isError");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    is_error = json_node_get_boolean (node);

  content = json_object_get_member (result, "content");
  if (content != NULL && JSON_NODE_HOLDS_ARRAY (content))
    {
      JsonArray *blocks = json_node_get_array (content);

      /* The text is capped later; stop gathering well past the cap. */
      for (guint i = 0; i < json_array_get_length (blocks) && text->len <= CRIA_TOOL_RESULT_MAX; i++)
        {
          JsonNode *block = json_array_get_element (blocks, i);

          if (JSON_NODE_HOLDS_OBJECT (block))
            append_block (text, json_node_get_object (block));
        }
    }

  node = json_object_get_member (result, "structuredContent");
  if (text->len == 0 && node != NULL)
    {
      g_autofree char *json = json_to_string (node, TRUE);

      g_string_append (text, json);
    }

  return cria_tool_result_new (text->str, is_error);
}

static const char *
get_name (CriaTool *tool)
{
  return CRIA_MCP_TOOL (tool)->name;
}

static const char *
get_title (CriaTool *tool)
{
  return CRIA_MCP_TOOL (tool)->title;
}

static const char *
get_description (CriaTool *tool)
{
  return CRIA_MCP_TOOL (tool)->description;
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_MCP_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  /* An MCP server can do anything its author wrote: always ask. */
  return CRIA_TOOL_APPROVAL_ASK;
}

static const char *
get_source (CriaTool *tool)
{
  return CRIA_MCP_TOOL (tool)->source;
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;

  answer = cria_mcp_client_call_tool_finish (CRIA_MCP_CLIENT (object), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cria_mcp_tool_result_from_json (answer),
                           (GDestroyNotify) cria_tool_result_free);
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CriaMcpTool *self = CRIA_MCP_TOOL (tool);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, run_async);
  cria_mcp_client_call_tool_async (self->client, self->remote_name, arguments,
                                   cancellable, call_cb, task);
}

static CriaToolResult *
run_finish (CriaTool      *tool,
            GAsyncResult  *result,
            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tool_iface_init (CriaToolInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->get_source = get_source;
  iface->run_async = run_async;
  iface->run_finish = run_finish;
}

static void
cria_mcp_tool_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CriaMcpTool *self = CRIA_MCP_TOOL (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_mcp_tool_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CriaMcpTool *self = CRIA_MCP_TOOL (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      cria_mcp_tool_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_mcp_tool_finalize (GObject *object)
{
  CriaMcpTool *self = CRIA_MCP_TOOL (object);

  g_clear_object (&self->client);
  g_free (self->name);
  g_free (self->remote_name);
  g_free (self->title);
  g_free (self->description);
  g_free (self->source);
  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (cria_mcp_tool_parent_class)->finalize (object);
}

static void
cria_mcp_tool_class_init (CriaMcpToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cria_mcp_tool_get_property;
  object_class->set_property = cria_mcp_tool_set_property;
  object_class->finalize = cria_mcp_tool_finalize;

  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_mcp_tool_init (CriaMcpTool *self)
{
  self->enabled = TRUE;
}

static char *
dup_string_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_utf8_make_valid (json_node_get_string (node), -1);
}

CriaMcpTool *
cria_mcp_tool_new (CriaMcpClient *client,
                   const char    *name,
                   const char    *server_name,
                   JsonObject    *descriptor)
{
  CriaMcpTool *self;
  JsonNode *schema;
  g_autofree char *title = NULL;

  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (client), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (descriptor != NULL, NULL);

  self = g_object_new (CRIA_TYPE_MCP_TOOL, NULL);
  self->client = g_object_ref (client);
  self->name = g_strdup (name);
  self->remote_name = dup_string_member (descriptor, "name");
  self->description = dup_string_member (descriptor, "description");
  if (self->description == NULL)
    self->description = g_strdup ("");
  self->source = g_strdup (server_name);

  title = dup_string_member (descriptor, "title");
  if (title == NULL)
    title = g_strdup (self->remote_name);
  /* Translators: a tool of an MCP server: "Echo Tool on Everything". */
  self->title = server_name != NULL ? g_strdup_printf (_("%s on %s"), title, server_name)
                                    : g_steal_pointer (&title);

  schema = json_object_get_member (descriptor, "inputSchema");
  if (schema != NULL && JSON_NODE_HOLDS_OBJECT (schema))
    self->parameters = json_node_copy (schema);
  else
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      json_object_set_string_member (empty, "type", "object");
      self->parameters = json_node_init_object (json_node_alloc (), empty);
    }

  return self;
}

const char *
cria_mcp_tool_get_remote_name (CriaMcpTool *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_TOOL (self), NULL);
  return self->remote_name;
}

gboolean
cria_mcp_tool_get_enabled (CriaMcpTool *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_TOOL (self), FALSE);
  return self->enabled;
}

void
cria_mcp_tool_set_enabled (CriaMcpTool *self,
                           gboolean     enabled)
{
  g_return_if_fail (CRIA_IS_MCP_TOOL (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;
  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
}

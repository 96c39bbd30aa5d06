/* cria-mcp-client.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cria-mcp-client.h"

#define DEFAULT_TIMEOUT_MS 60000
/* JSON-RPC's "method not found", for requests from the server we don't serve. */
#define METHOD_NOT_FOUND (-32601)

G_DEFINE_QUARK (cria-mcp-error-quark, cria_mcp_error)

struct _CriaMcpClient
{
  GObject           parent_instance;

  CriaMcpTransport *transport;
  guint             timeout_ms;
  gint64            next_id;
  GHashTable       *pending;       /* gint64 id → Pending */

  char             *protocol_version;
  char             *server_name;
  char             *server_version;
  gboolean          has_tools;
  gboolean          connected;
  gboolean          closed;
};

G_DEFINE_FINAL_TYPE (CriaMcpClient, cria_mcp_client, G_TYPE_OBJECT)

enum {
  TOOLS_CHANGED,
  CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CriaMcpClient *client;     /* unowned: the client outlives its table */
  gint64         id;
  GTask         *task;
  GSource       *timeout;
  GSource       *cancelled;
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->timeout != NULL)
    {
      g_source_destroy (pending->timeout);
      g_source_unref (pending->timeout);
    }
  if (pending->cancelled != NULL)
    {
      g_source_destroy (pending->cancelled);
      g_source_unref (pending->cancelled);
    }
  g_clear_object (&pending->task);
  g_free (pending);
}

static void
send_object (CriaMcpClient *self,
             JsonBuilder   *builder)
{
  g_autoptr(JsonNode) node = json_builder_get_root (builder);

  cria_mcp_transport_send (self->transport, node);
}

/* Tells the server to stop working on request @id, and stops waiting for
 * its answer. */
static void
send_cancelled (CriaMcpClient *self,
                gint64         id,
                const char    *reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "notifications/cancelled");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requestId");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, reason);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  send_object (self, builder);
  cria_mcp_transport_forget (self->transport, id_text);
}

/* Takes the request out of the table and finishes its task. */
static void
complete (CriaMcpClient *self,
          gint64         id,
          JsonObject    *result,
          GError        *error)
{
  g_autoptr(GTask) task = NULL;
  Pending *pending;

  pending = g_hash_table_lookup (self->pending, &id);
  if (pending == NULL)
    {
      g_clear_error (&error);
      return;
    }

  task = g_steal_pointer (&pending->task);
  g_hash_table_remove (self->pending, &id);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, json_object_ref (result), (GDestroyNotify) json_object_unref);
}

static gboolean
timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;
  CriaMcpClient *self = pending->client;
  gint64 id = pending->id;

  g_clear_pointer (&pending->timeout, g_source_unref);
  send_cancelled (self, id, "The client stopped waiting for an answer");
  complete (self, id, NULL,
            g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                         _("The server did not answer within %u seconds"),
                         (self->timeout_ms + 999) / 1000));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  Pending *pending = user_data;
  CriaMcpClient *self = pending->client;
  gint64 id = pending->id;

  g_clear_pointer (&pending->cancelled, g_source_unref);
  send_cancelled (self, id, "The user stopped it");
  complete (self, id, NULL,
            g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Stopped")));
  return G_SOURCE_REMOVE;
}

static void
fail_all (CriaMcpClient *self,
          const GError  *error)
{
  g_autoptr(GList) ids = g_hash_table_get_keys (self->pending);
  g_autoptr(GArray) copy = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Finishing a task may start another request: finish a copy of the ids. */
  for (GList *l = ids; l != NULL; l = l->next)
    g_array_append_val (copy, *(gint64 *) l->data);
  for (guint i = 0; i < copy->len; i++)
    complete (self, g_array_index (copy, gint64, i), NULL, g_error_copy (error));
}

static void
answer_server_request (CriaMcpClient *self,
                       JsonNode      *id,
                       const char    *method)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_value (builder, json_node_copy (id));
  if (g_strcmp0 (method, "ping") == 0)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  else
    {
      /* Cria offers no roots, sampling or elicitation: it never said so
       * in its capabilities, so a server asking is told plainly. */
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_int_value (builder, METHOD_NOT_FOUND);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, "Method not found");
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  send_object (self, builder);
}

static GError *
error_from_json (JsonNode *node)
{
  JsonObject *object;
  const char *message = NULL;
  g_autofree char *valid = NULL;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      object = json_node_get_object (node);
      if (json_object_has_member (object, "message")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "message"))
          && json_node_get_value_type (json_object_get_member (object, "message")) == G_TYPE_STRING)
        message = json_object_get_string_member (object, "message");
    }
  if (message == NULL || *message == '\0')
    message = _("The server reported an error");

  valid = g_utf8_make_valid (message, -1);
  return g_error_new_literal (CRIA_MCP_ERROR, CRIA_MCP_ERROR_SERVER, valid);
}

static void
message_cb (CriaMcpTransport *transport,
            JsonObject       *message,
            CriaMcpClient    *self)
{
  JsonNode *id = json_object_get_member (message, "id");
  JsonNode *method = json_object_get_member (message, "method");
  const char *method_name = NULL;

  if (method != NULL && JSON_NODE_HOLDS_VALUE (method)
      && json_node_get_value_type (method) == G_TYPE_STRING)
    method_name = json_node_get_string (method);

  if (method_name != NULL)
    {
      if (id != NULL && !JSON_NODE_HOLDS_NULL (id))
        answer_server_request (self, id, method_name);
      else if (g_str_equal (method_name, "notifications/tools/list_changed"))
        g_signal_emit (self, signals[TOOLS_CHANGED], 0);
      return;
    }

  /* A response: our ids are integers. */
  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_INT64)
    return;

  if (json_object_has_member (message, "error"))
    complete (self, json_node_get_int (id), NULL,
              error_from_json (json_object_get_member (message, "error")));
  else if (json_object_has_member (message, "result")
           && JSON_NODE_HOLDS_OBJECT (json_object_get_member (message, "result")))
    complete (self, json_node_get_int (id), json_object_get_object_member (message, "result"), NULL);
  else
    complete (self, json_node_get_int (id), NULL,
              g_error_new_literal (CRIA_MCP_ERROR, CRIA_MCP_ERROR_PROTOCOL,
                                   _("The server sent an answer without a result")));
}

static void
send_failed_cb (CriaMcpTransport *transport,
                const char       *id,
                GError           *error,
                CriaMcpClient    *self)
{
  gint64 value;

  if (id != NULL && g_ascii_string_to_signed (id, 10, 0, G_MAXINT64, &value, NULL))
    complete (self, value, NULL, g_error_copy (error));
}

static void
closed_cb (CriaMcpTransport *transport,
           GError           *error,
           CriaMcpClient    *self)
{
  if (self->closed)
    return;

  self->closed = TRUE;
  self->connected = FALSE;
  g_object_ref (self);
  fail_all (self, error);
  g_signal_emit (self, signals[CLOSED], 0, error);
  g_object_unref (self);
}

void
cria_mcp_client_request_async (CriaMcpClient       *self,
                               const char          *method,
                               JsonObject          *params,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  Pending *pending;

  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));
  g_return_if_fail (method != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_client_request_async);

  if (self->closed)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("The connection to the server is closed"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  pending = g_new0 (Pending, 1);
  pending->client = self;
  pending->id = ++self->next_id;
  pending->task = g_object_ref (task);
  if (self->timeout_ms > 0)
    {
      pending->timeout = g_timeout_source_new (self->timeout_ms);
      g_source_set_callback (pending->timeout, timeout_cb, pending, NULL);
      g_source_attach (pending->timeout, g_task_get_context (task));
    }
  if (cancellable != NULL)
    {
      pending->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_callback (pending->cancelled, G_SOURCE_FUNC (cancelled_cb), pending, NULL);
      g_source_attach (pending->cancelled, g_task_get_context (task));
    }
  g_hash_table_insert (self->pending, &pending->id, pending);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, pending->id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, method);
  if (params != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, params);
      json_builder_set_member_name (builder, "params");
      json_builder_add_value (builder, node);
    }
  json_builder_end_object (builder);
  send_object (self, builder);
}

JsonObject *
cria_mcp_client_request_finish (CriaMcpClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The handshake. */

static void
initialize_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CriaMcpClient *self = CRIA_MCP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  const char *version = NULL;
  JsonNode *node;

  answer = cria_mcp_client_request_finish (self, result, &error);
  if (answer == NULL)
    {
      cria_mcp_client_close (self);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = json_object_get_member (answer, "protocolVersion");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    version = json_node_get_string (node);
  if (g_strcmp0 (version, CRIA_MCP_PROTOCOL_VERSION) != 0
      && g_strcmp0 (version, CRIA_MCP_PROTOCOL_VERSION_OLD) != 0)
    {
      g_autofree char *shown = g_utf8_make_valid (version != NULL ? version : "?", -1);

      cria_mcp_client_close (self);
      g_task_return_new_error (task, CRIA_MCP_ERROR, CRIA_MCP_ERROR_VERSION,
                               _("The server speaks protocol revision %s, which Cria does not"),
                               shown);
      return;
    }
  self->protocol_version = g_strdup (version);

  node = json_object_get_member (answer, "serverInfo");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *info = json_node_get_object (node);
      const char *name = json_object_get_string_member_with_default (info, "name", NULL);
      const char *server_version = json_object_get_string_member_with_default (info, "version", NULL);

      if (name != NULL)
        self->server_name = g_utf8_make_valid (name, -1);
      if (server_version != NULL)
        self->server_version = g_utf8_make_valid (server_version, -1);
    }
  node = json_object_get_member (answer, "capabilities");
  self->has_tools = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                    && json_object_has_member (json_node_get_object (node), "tools");

  cria_mcp_transport_initialized (self->transport, self->protocol_version);
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "notifications/initialized");
  json_builder_end_object (builder);
  send_object (self, builder);

  self->connected = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
cria_mcp_client_connect_async (CriaMcpClient       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_client_connect_async);

  if (!cria_mcp_transport_start (self->transport, &error))
    {
      self->closed = TRUE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "protocolVersion");
  json_builder_add_string_value (builder, CRIA_MCP_PROTOCOL_VERSION);
  /* Cria offers the server nothing of its own: no roots, no sampling, no
   * elicitation. */
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "clientInfo");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "cria");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, "Cria");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  params = json_builder_get_root (builder);

  cria_mcp_client_request_async (self, "initialize", json_node_get_object (params),
                                 cancellable, initialize_cb, g_steal_pointer (&task));
}

gboolean
cria_mcp_client_connect_finish (CriaMcpClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* tools/list */

typedef struct
{
  GPtrArray  *tools;
  GHashTable *cursors;
  guint       pages;
} ListState;

static void
list_state_free (ListState *state)
{
  g_ptr_array_unref (state->tools);
  g_hash_table_unref (state->cursors);
  g_free (state);
}

static void list_page (GTask *task, const char *cursor);

static void
list_page_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CriaMcpClient *self = CRIA_MCP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  ListState *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) answer = NULL;
  GError *error = NULL;
  JsonNode *node;
  const char *cursor = NULL;

  answer = cria_mcp_client_request_finish (self, result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  node = json_object_get_member (answer, "tools");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_new_error (task, CRIA_MCP_ERROR, CRIA_MCP_ERROR_PROTOCOL,
                               _("The server sent a tool list that is not a list"));
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (node), i);
      JsonObject *tool;
      JsonNode *name;
      JsonNode *schema;

      if (!JSON_NODE_HOLDS_OBJECT (item) || state->tools->len >= CRIA_MCP_MAX_TOOLS)
        continue;
      tool = json_node_get_object (item);
      name = json_object_get_member (tool, "name");
      schema = json_object_get_member (tool, "inputSchema");
      /* A tool without a usable name or schema can't be offered to a model. */
      if (name == NULL || !JSON_NODE_HOLDS_VALUE (name)
          || json_node_get_value_type (name) != G_TYPE_STRING
          || *json_node_get_string (name) == '\0'
          || !g_utf8_validate (json_node_get_string (name), -1, NULL)
          || schema == NULL || !JSON_NODE_HOLDS_OBJECT (schema))
        continue;
      g_ptr_array_add (state->tools, json_object_ref (tool));
    }

  node = json_object_get_member (answer, "nextCursor");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    cursor = json_node_get_string (node);

  /* A server that keeps handing out pages, or a cursor it gave before,
   * ends the list where it is. */
  if (cursor == NULL || state->pages >= CRIA_MCP_MAX_PAGES
      || state->tools->len >= CRIA_MCP_MAX_TOOLS
      || g_hash_table_contains (state->cursors, cursor))
    {
      g_task_return_pointer (task, g_ptr_array_ref (state->tools), (GDestroyNotify) g_ptr_array_unref);
      return;
    }

  g_hash_table_add (state->cursors, g_strdup (cursor));
  list_page (g_steal_pointer (&task), cursor);
}

static void
list_page (GTask      *task,
           const char *cursor)
{
  CriaMcpClient *self = g_task_get_source_object (task);
  ListState *state = g_task_get_task_data (task);
  g_autoptr(JsonObject) params = json_object_new ();

  state->pages++;
  if (cursor != NULL)
    json_object_set_string_member (params, "cursor", cursor);
  cria_mcp_client_request_async (self, "tools/list", params,
                                 g_task_get_cancellable (task), list_page_cb, task);
}

void
cria_mcp_client_list_tools_async (CriaMcpClient       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  ListState *state;

  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_client_list_tools_async);
  state = g_new0 (ListState, 1);
  state->tools = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  state->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, state, (GDestroyNotify) list_state_free);

  list_page (task, NULL);
}

GPtrArray *
cria_mcp_client_list_tools_finish (CriaMcpClient  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* tools/call */

static void
call_tool_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  JsonObject *answer;

  answer = cria_mcp_client_request_finish (CRIA_MCP_CLIENT (object), result, &error);
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, (GDestroyNotify) json_object_unref);
}

void
cria_mcp_client_call_tool_async (CriaMcpClient       *self,
                                 const char          *name,
                                 JsonObject          *arguments,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cria_mcp_client_call_tool_async);

  json_object_set_string_member (params, "name", name);
  json_object_set_object_member (params, "arguments",
                                 arguments != NULL ? json_object_ref (arguments) : json_object_new ());
  cria_mcp_client_request_async (self, "tools/call", params, cancellable, call_tool_cb, task);
}

JsonObject *
cria_mcp_client_call_tool_finish (CriaMcpClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cria_mcp_client_close (CriaMcpClient *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));

  if (self->closed)
    return;

  self->closed = TRUE;
  self->connected = FALSE;
  cria_mcp_transport_close (self->transport);
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection to the server is closed"));
  fail_all (self, error);
}

gboolean
cria_mcp_client_is_connected (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), FALSE);
  return self->connected;
}

const char *
cria_mcp_client_get_protocol_version (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), NULL);
  return self->protocol_version;
}

const char *
cria_mcp_client_get_server_name (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), NULL);
  return self->server_name;
}

const char *
cria_mcp_client_get_server_version (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), NULL);
  return self->server_version;
}

gboolean
cria_mcp_client_has_tools (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), FALSE);
  return self->has_tools;
}

CriaMcpTransport *
cria_mcp_client_get_transport (CriaMcpClient *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_CLIENT (self), NULL);
  return self->transport;
}

void
cria_mcp_client_set_timeout (CriaMcpClient *self,
                             guint          timeout_ms)
{
  g_return_if_fail (CRIA_IS_MCP_CLIENT (self));
  self->timeout_ms = timeout_ms;
}

static void
cria_mcp_client_dispose (GObject *object)
{
  CriaMcpClient *self = CRIA_MCP_CLIENT (object);

  if (self->transport != NULL)
    {
      cria_mcp_client_close (self);
      g_signal_handlers_disconnect_by_data (self->transport, self);
      g_clear_object (&self->transport);
    }

  G_OBJECT_CLASS (cria_mcp_client_parent_class)->dispose (object);
}

static void
cria_mcp_client_finalize (GObject *object)
{
  CriaMcpClient *self = CRIA_MCP_CLIENT (object);

  g_hash_table_unref (self->pending);
  g_free (self->protocol_version);
  g_free (self->server_name);
  g_free (self->server_version);

  G_OBJECT_CLASS (cria_mcp_client_parent_class)->finalize (object);
}

static void
cria_mcp_client_class_init (CriaMcpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_mcp_client_dispose;
  object_class->finalize = cria_mcp_client_finalize;

  signals[TOOLS_CHANGED] =
    g_signal_new ("tools-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
cria_mcp_client_init (CriaMcpClient *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) pending_free);
}

CriaMcpClient *
cria_mcp_client_new (CriaMcpTransport *transport)
{
  CriaMcpClient *self;

  g_return_val_if_fail (CRIA_IS_MCP_TRANSPORT (transport), NULL);

  self = g_object_new (CRIA_TYPE_MCP_CLIENT, NULL);
  self->transport = g_object_ref (transport);
  g_signal_connect (transport, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (transport, "send-failed", G_CALLBACK (send_failed_cb), self);
  g_signal_connect (transport, "closed", G_CALLBACK (closed_cb), self);

  return self;
}

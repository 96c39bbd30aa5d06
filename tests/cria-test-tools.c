/* cria-test-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "cria-test-tools.h"

struct _CriaTestTool
{
  GObject           parent_instance;

  char             *name;
  CriaToolApproval  approval;
  JsonNode         *parameters;
  gboolean          hold;
  /* GTask of the held runs. */
  GPtrArray        *held;
  guint             n_runs;
  guint             n_cancelled;
  char             *last_arguments;
  char             *source;
};

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaTestTool, cria_test_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

static const char *
get_name (CriaTool *tool)
{
  return CRIA_TEST_TOOL (tool)->name;
}

static const char *
get_description (CriaTool *tool)
{
  return "A tool of the tests: it answers with its name and arguments.";
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_TEST_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  return CRIA_TEST_TOOL (tool)->approval;
}

static const char *
get_source (CriaTool *tool)
{
  return CRIA_TEST_TOOL (tool)->source;
}

static char *
answer_for (CriaTestTool *self,
            JsonObject   *arguments)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;

  json_node_set_object (node, arguments);
  json = json_to_string (node, FALSE);
  g_free (self->last_arguments);
  self->last_arguments = g_strdup (json);

  return g_strdup_printf ("%s(%s)", self->name, json);
}

static void
cancelled_cb (GCancellable *cancellable,
              GTask        *task)
{
  CriaTestTool *self = g_task_get_source_object (task);

  /* Returned from an idle: never inside the cancellable's emission. */
  if (g_ptr_array_remove (self->held, task))
    {
      self->n_cancelled++;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      g_object_unref (task);
    }
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CriaTestTool *self = CRIA_TEST_TOOL (tool);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_runs++;
  g_task_set_task_data (task, answer_for (self, arguments), g_free);

  if (!self->hold)
    {
      g_task_return_pointer (task, cria_tool_result_new (g_task_get_task_data (task), FALSE),
                             (GDestroyNotify) cria_tool_result_free);
      return;
    }

  g_ptr_array_add (self->held, g_object_ref (task));
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancelled_cb), task, 0);
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
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->get_source = get_source;
  iface->run_async = run_async;
  iface->run_finish = run_finish;
}

static void
cria_test_tool_finalize (GObject *object)
{
  CriaTestTool *self = CRIA_TEST_TOOL (object);

  g_assert (self->held->len == 0);
  g_clear_pointer (&self->held, g_ptr_array_unref);
  g_clear_pointer (&self->parameters, json_node_unref);
  g_free (self->name);
  g_free (self->last_arguments);
  g_free (self->source);

  G_OBJECT_CLASS (cria_test_tool_parent_class)->finalize (object);
}

static void
cria_test_tool_class_init (CriaTestToolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cria_test_tool_finalize;
}

static void
cria_test_tool_init (CriaTestTool *self)
{
  self->held = g_ptr_array_new ();
}

CriaTestTool *
cria_test_tool_new (const char       *name,
                    CriaToolApproval  approval)
{
  CriaTestTool *self = g_object_new (CRIA_TYPE_TEST_TOOL, NULL);
  g_autoptr(GError) error = NULL;

  self->name = g_strdup (name);
  self->approval = approval;
  self->parameters = json_from_string ("{\"type\": \"object\", \"properties\": "
                                       "{\"x\": {\"type\": \"string\"}}}", &error);
  g_assert_no_error (error);

  return self;
}

void
cria_test_tool_set_hold (CriaTestTool *self,
                         gboolean      hold)
{
  self->hold = hold;
}

guint
cria_test_tool_release (CriaTestTool *self)
{
  g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);
  guint n = held->len;

  self->held = g_ptr_array_new ();
  for (guint i = 0; i < held->len; i++)
    {
      GTask *task = g_ptr_array_index (held, i);

      g_task_return_pointer (task, cria_tool_result_new (g_task_get_task_data (task), FALSE),
                             (GDestroyNotify) cria_tool_result_free);
      g_object_unref (task);
    }

  return n;
}

guint
cria_test_tool_get_n_held (CriaTestTool *self)
{
  return self->held->len;
}

guint
cria_test_tool_get_n_runs (CriaTestTool *self)
{
  return self->n_runs;
}

guint
cria_test_tool_get_n_cancelled (CriaTestTool *self)
{
  return self->n_cancelled;
}

const char *
cria_test_tool_get_last_arguments (CriaTestTool *self)
{
  return self->last_arguments;
}

/* Scripts */

static void
append_chunk (CriaFakeResponse *response,
              JsonBuilder      *delta,
              const char       *finish_reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) delta_node = json_builder_get_root (delta);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  g_autofree char *event = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-test");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion.chunk");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1767225600);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "llama-3.1-8b");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "delta");
  json_builder_add_value (builder, json_node_copy (delta_node));
  json_builder_set_member_name (builder, "finish_reason");
  if (finish_reason != NULL)
    json_builder_add_string_value (builder, finish_reason);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  event = g_strdup_printf ("data: %s\n\n", json);
  cria_fake_response_append_piece (response, event, -1);
}

static JsonBuilder *
begin_delta (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  return builder;
}

static void
append_call_piece (CriaFakeResponse *response,
                   guint             index,
                   const char       *name,
                   const char       *arguments,
                   gsize             len)
{
  g_autoptr(JsonBuilder) delta = begin_delta ();
  g_autofree char *piece = g_strndup (arguments, len);

  json_builder_set_member_name (delta, "tool_calls");
  json_builder_begin_array (delta);
  json_builder_begin_object (delta);
  json_builder_set_member_name (delta, "index");
  json_builder_add_int_value (delta, index);
  if (name != NULL)
    {
      g_autofree char *id = g_strdup_printf ("call_%u", index);

      json_builder_set_member_name (delta, "id");
      json_builder_add_string_value (delta, id);
      json_builder_set_member_name (delta, "type");
      json_builder_add_string_value (delta, "function");
    }
  json_builder_set_member_name (delta, "function");
  json_builder_begin_object (delta);
  if (name != NULL)
    {
      json_builder_set_member_name (delta, "name");
      json_builder_add_string_value (delta, name);
    }
  json_builder_set_member_name (delta, "arguments");
  json_builder_add_string_value (delta, piece);
  json_builder_end_object (delta);
  json_builder_end_object (delta);
  json_builder_end_array (delta);
  json_builder_end_object (delta);
  append_chunk (response, delta, NULL);
}

void
cria_test_script_tool_calls (CriaFakeResponse   *response,
                             guint               n,
                             const char * const *names,
                             const char * const *arguments,
                             gsize               split)
{
  g_autoptr(JsonBuilder) role = begin_delta ();
  g_autoptr(JsonBuilder) end = begin_delta ();

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  json_builder_set_member_name (role, "role");
  json_builder_add_string_value (role, "assistant");
  json_builder_end_object (role);
  append_chunk (response, role, NULL);

  for (guint i = 0; i < n; i++)
    {
      const char *text = arguments[i];
      gsize len = strlen (text);
      gsize step = split > 0 ? split : MAX (len, 1);

      append_call_piece (response, i, names[i], text, MIN (step, len));
      for (gsize at = step; at < len; at += step)
        append_call_piece (response, i, NULL, text + at, MIN (step, len - at));
    }

  json_builder_end_object (end);
  append_chunk (response, end, "tool_calls");
  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
}

void
cria_test_script_answer (CriaFakeResponse *response,
                         const char       *text)
{
  g_autoptr(JsonBuilder) content = begin_delta ();
  g_autoptr(JsonBuilder) end = begin_delta ();

  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  json_builder_set_member_name (content, "role");
  json_builder_add_string_value (content, "assistant");
  json_builder_set_member_name (content, "content");
  json_builder_add_string_value (content, text);
  json_builder_end_object (content);
  append_chunk (response, content, NULL);

  json_builder_end_object (end);
  append_chunk (response, end, "stop");
  cria_fake_response_append_piece (response, "data: [DONE]\n\n", -1);
}

/* Where the tool says it comes from, as an MCP server's tools do. */
void
cria_test_tool_set_source (CriaTestTool *self,
                           const char   *source)
{
  g_free (self->source);
  self->source = g_strdup (source);
}

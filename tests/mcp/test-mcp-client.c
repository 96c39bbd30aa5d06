/* test-mcp-client.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP client over stdio, against the reference servers from npm
 * (server-everything, server-filesystem) and a scripted server for
 * pagination, protocol revisions and a server that never answers.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "cria-mcp-client.h"
#include "cria-mcp-stdio-private.h"
#include "cria-mcp-tool.h"
#include "cria-mcp-test.h"

static CriaMcpClient *
connect_stdio (const char         *command,
               const char * const *args,
               guint               timeout_ms,
               GError            **error)
{
  g_autoptr(CriaMcpStdio) transport = cria_mcp_stdio_new (command, args, NULL);
  g_autoptr(CriaMcpClient) client = cria_mcp_client_new (CRIA_MCP_TRANSPORT (transport));
  McpWait wait = { 0 };

  cria_mcp_client_set_timeout (client, timeout_ms);
  cria_mcp_client_connect_async (client, NULL, mcp_test_result_cb, &wait);
  mcp_test_wait (&wait);
  if (!cria_mcp_client_connect_finish (client, wait.result, error))
    {
      g_object_unref (wait.result);
      return NULL;
    }
  g_object_unref (wait.result);
  return g_steal_pointer (&client);
}

static CriaMcpClient *
connect_everything (guint timeout_ms)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  const char *args[] = { "stdio", NULL };
  g_autoptr(GError) error = NULL;
  CriaMcpClient *client;

  if (program == NULL)
    return NULL;
  client = connect_stdio (program, args, timeout_ms, &error);
  g_assert_no_error (error);
  return client;
}

static GPtrArray *
list_tools (CriaMcpClient *client)
{
  McpWait wait = { 0 };
  g_autoptr(GError) error = NULL;
  GPtrArray *tools;

  cria_mcp_client_list_tools_async (client, NULL, mcp_test_result_cb, &wait);
  tools = cria_mcp_client_list_tools_finish (client, mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return tools;
}

static JsonObject *
find_tool (GPtrArray  *tools,
           const char *name)
{
  for (guint i = 0; i < tools->len; i++)
    if (g_str_equal (json_object_get_string_member (tools->pdata[i], "name"), name))
      return tools->pdata[i];
  return NULL;
}

/* Calls @name through a CriaMcpTool, as the tool loop does. */
static CriaToolResult *
run_tool (CriaMcpClient *client,
          const char    *name,
          const char    *arguments_json,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GPtrArray) tools = list_tools (client);
  g_autoptr(JsonNode) arguments = json_from_string (arguments_json, NULL);
  JsonObject *descriptor = find_tool (tools, name);
  g_autoptr(CriaMcpTool) tool = NULL;
  McpWait wait = { 0 };
  CriaToolResult *result;

  g_assert_nonnull (descriptor);
  tool = cria_mcp_tool_new (client, "test_tool", "Test", descriptor);
  cria_tool_run_async (CRIA_TOOL (tool), json_node_get_object (arguments), cancellable,
                       mcp_test_result_cb, &wait);
  result = cria_tool_run_finish (CRIA_TOOL (tool), mcp_test_wait (&wait), error);
  g_object_unref (wait.result);
  return result;
}

static void
test_everything_list_and_call (void)
{
  g_autoptr(CriaMcpClient) client = connect_everything (60000);
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(CriaToolResult) echo = NULL;
  g_autoptr(CriaToolResult) sum = NULL;
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;

  g_assert_cmpstr (cria_mcp_client_get_protocol_version (client), ==, CRIA_MCP_PROTOCOL_VERSION);
  g_assert_cmpstr (cria_mcp_client_get_server_name (client), ==, "mcp-servers/everything");
  g_assert_true (cria_mcp_client_has_tools (client));

  tools = list_tools (client);
  g_assert_nonnull (find_tool (tools, "echo"));
  g_assert_nonnull (find_tool (tools, "get-sum"));

  /* Text with a line end and quotes travels intact over one-line JSON. */
  echo = run_tool (client, "echo", "{\"message\": \"two\\nlines \\\"quoted\\\" é\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (echo->is_error);
  g_assert_cmpstr (echo->text, ==, "Echo: two\nlines \"quoted\" é");

  sum = run_tool (client, "get-sum", "{\"a\": 2, \"b\": 40}", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (sum->is_error);
  g_assert_nonnull (strstr (sum->text, "42"));
}

static void
test_everything_errors (void)
{
  g_autoptr(CriaMcpClient) client = connect_everything (60000);
  g_autoptr(CriaToolResult) bad_arguments = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GError) error = NULL;
  McpWait wait = { 0 };

  if (client == NULL)
    return;

  /* Arguments of the wrong type: the tool ran and reports it to the model. */
  bad_arguments = run_tool (client, "get-sum", "{\"a\": \"two\", \"b\": 3}", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (bad_arguments->is_error);
  g_assert_cmpuint (strlen (bad_arguments->text), >, 0);

  /* A method the server does not have: a JSON-RPC error, with its message. */
  cria_mcp_client_request_async (client, "no/such-method", params, NULL, mcp_test_result_cb, &wait);
  answer = cria_mcp_client_request_finish (client, mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_error (error, CRIA_MCP_ERROR, CRIA_MCP_ERROR_SERVER);
  g_assert_null (answer);
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static void
tools_changed_cb (CriaMcpClient *client,
                  gboolean      *changed)
{
  *changed = TRUE;
}

static void
test_everything_list_changed (void)
{
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  gboolean changed = FALSE;
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  g_autoptr(CriaMcpStdio) transport = NULL;
  const char *args[] = { "stdio", NULL };
  McpWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  if (program == NULL)
    return;

  /* The everything server adds its task tool once the session is
   * initialized and says so with notifications/tools/list_changed. */
  transport = cria_mcp_stdio_new (program, args, NULL);
  client = cria_mcp_client_new (CRIA_MCP_TRANSPORT (transport));
  g_signal_connect (client, "tools-changed", G_CALLBACK (tools_changed_cb), &changed);
  cria_mcp_client_connect_async (client, NULL, mcp_test_result_cb, &wait);
  g_assert_true (cria_mcp_client_connect_finish (client, mcp_test_wait (&wait), &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);

  mcp_test_wait_for (&changed);
  tools = list_tools (client);
  g_assert_nonnull (find_tool (tools, "simulate-research-query"));
}

static void
test_everything_timeout (void)
{
  g_autoptr(CriaMcpClient) client = connect_everything (60000);
  g_autoptr(CriaToolResult) slow = NULL;
  g_autoptr(CriaToolResult) echo = NULL;
  g_autoptr(GError) error = NULL;
  gint64 started;

  if (client == NULL)
    return;

  /* Only the calls are timed: starting node may take a while here. */
  cria_mcp_client_set_timeout (client, 1500);

  /* An operation that takes a minute: the client gives up after its
   * timeout, and the session goes on. */
  started = g_get_monotonic_time ();
  slow = run_tool (client, "trigger-long-running-operation", "{\"duration\": 60, \"steps\": 2}", NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_null (slow);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 50 * G_USEC_PER_SEC);
  g_clear_error (&error);

  cria_mcp_client_set_timeout (client, 60000);
  echo = run_tool (client, "echo", "{\"message\": \"still here\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "Echo: still here");
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_everything_cancel (void)
{
  g_autoptr(CriaMcpClient) client = connect_everything (0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CriaToolResult) slow = NULL;
  g_autoptr(CriaToolResult) echo = NULL;
  g_autoptr(GError) error = NULL;

  if (client == NULL)
    return;

  /* Stop while the server works: the call ends at once (the server is
   * told with notifications/cancelled) and the session goes on. */
  g_idle_add (cancel_cb, cancellable);
  slow = run_tool (client, "trigger-long-running-operation", "{\"duration\": 60, \"steps\": 2}",
                   cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  echo = run_tool (client, "echo", "{\"message\": \"after stop\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (echo->text, ==, "Echo: after stop");
}

typedef struct
{
  CriaMcpClient *client;
  McpWait        slow;
} DyingCall;

static void
echo_then_kill_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DyingCall *call = user_data;
  g_autoptr(JsonObject) answer = cria_mcp_client_call_tool_finish (call->client, result, NULL);
  CriaMcpTransport *transport = cria_mcp_client_get_transport (call->client);

  /* The server answers in order: the slow call is under way now. */
  g_assert_nonnull (answer);
  g_subprocess_send_signal (_cria_mcp_stdio_get_process (CRIA_MCP_STDIO (transport)), SIGKILL);
}

static void
test_everything_dies_mid_call (void)
{
  g_autoptr(CriaMcpClient) client = connect_everything (0);
  g_autoptr(JsonNode) slow_arguments = json_from_string ("{\"duration\": 60, \"steps\": 2}", NULL);
  g_autoptr(JsonNode) echo_arguments = json_from_string ("{\"message\": \"x\"}", NULL);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) later = NULL;
  DyingCall call = { 0 };
  McpWait wait = { 0 };

  if (client == NULL)
    return;

  call.client = client;
  cria_mcp_client_call_tool_async (client, "trigger-long-running-operation",
                                   json_node_get_object (slow_arguments), NULL,
                                   mcp_test_result_cb, &call.slow);
  cria_mcp_client_call_tool_async (client, "echo", json_node_get_object (echo_arguments), NULL,
                                   echo_then_kill_cb, &call);

  answer = cria_mcp_client_call_tool_finish (client, mcp_test_wait (&call.slow), &error);
  g_object_unref (call.slow.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_null (answer);
  g_assert_false (cria_mcp_client_is_connected (client));

  /* Later requests fail at once instead of waiting. */
  cria_mcp_client_call_tool_async (client, "echo", json_node_get_object (echo_arguments), NULL,
                                   mcp_test_result_cb, &wait);
  g_assert_null (cria_mcp_client_call_tool_finish (client, mcp_test_wait (&wait), &later));
  g_object_unref (wait.result);
  g_assert_error (later, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static void
test_filesystem (void)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-filesystem");
  g_autofree char *folder = NULL;
  g_autofree char *file = NULL;
  g_autofree char *read_args = NULL;
  g_autofree char *outside_args = NULL;
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(CriaToolResult) read = NULL;
  g_autoptr(CriaToolResult) outside = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[2] = { NULL, NULL };
  g_autoptr(JsonBuilder) builder = NULL;

  if (program == NULL)
    return;

  folder = g_dir_make_tmp ("cria-mcp-fs-XXXXXX", &error);
  g_assert_no_error (error);
  file = g_build_filename (folder, "note.txt", NULL);
  g_assert_true (g_file_set_contents (file, "Bring the llama home.\n", -1, &error));

  args[0] = folder;
  client = connect_stdio (program, args, 60000, &error);
  g_assert_no_error (error);
  tools = list_tools (client);
  g_assert_nonnull (find_tool (tools, "read_text_file"));
  g_assert_nonnull (find_tool (tools, "list_directory"));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "path");
  json_builder_add_string_value (builder, file);
  json_builder_end_object (builder);
  {
    g_autoptr(JsonNode) node = json_builder_get_root (builder);
    read_args = json_to_string (node, FALSE);
  }
  read = run_tool (client, "read_text_file", read_args, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (read->is_error);
  g_assert_nonnull (strstr (read->text, "Bring the llama home."));

  /* Outside the folder it was given, the server refuses. */
  outside_args = g_strdup ("{\"path\": \"/etc/hostname\"}");
  outside = run_tool (client, "read_text_file", outside_args, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (outside->is_error);

  g_unlink (file);
  g_rmdir (folder);
}

static CriaMcpClient *
connect_scripted (const char  *mode,
                  guint        timeout_ms,
                  GError     **error)
{
  const char *args[] = { g_getenv ("CRIA_MCP_SCRIPTED_SERVER"), mode, NULL };

  g_assert_nonnull (args[0]);
  return connect_stdio ("node", args, timeout_ms, error);
}

static void
test_pagination (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = connect_scripted ("paged", 60000, &error);
  g_autoptr(CriaMcpClient) looping = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(GPtrArray) again = NULL;
  const char *expected[] = { "one", "two", "three", "four", "five" };

  g_assert_no_error (error);
  tools = list_tools (client);
  g_assert_cmpuint (tools->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < tools->len; i++)
    g_assert_cmpstr (json_object_get_string_member (tools->pdata[i], "name"), ==, expected[i]);

  /* A server that hands out the same cursor again does not loop for ever. */
  looping = connect_scripted ("loop-cursor", 60000, &error);
  g_assert_no_error (error);
  again = list_tools (looping);
  g_assert_cmpuint (again->len, ==, 2);
}

static void
test_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) old = connect_scripted ("old-version", 60000, &error);
  g_autoptr(CriaMcpClient) bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (cria_mcp_client_get_protocol_version (old), ==, CRIA_MCP_PROTOCOL_VERSION_OLD);

  bad = connect_scripted ("bad-version", 60000, &error);
  g_assert_null (bad);
  g_assert_error (error, CRIA_MCP_ERROR, CRIA_MCP_ERROR_VERSION);
}

static void
test_never_answers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = connect_scripted ("silent", 1000, &error);

  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_huge_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = connect_scripted ("huge-line", 0, &error);

  /* A line that never ends is refused at the cap, not buffered for ever. */
  g_assert_null (client);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_assert_nonnull (strstr (error->message, "too large"));
}

/* Half a surrogate pair, as a JavaScript server writes a string it cut
 * inside an emoji, becomes U+FFFD: the answers still arrive and every
 * string is UTF-8. */
static void
test_lone_surrogate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = connect_scripted ("lone-half", 60000, &error);
  g_autoptr(GPtrArray) tools = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (cria_mcp_client_get_server_name (client), ==, "scripted \xef\xbf\xbd");
  tools = list_tools (client);
  g_assert_cmpuint (tools->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (tools->pdata[0], "description"), ==, "Smiles \xef\xbf\xbd back");
}

static void
test_missing_command (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMcpClient) client = connect_stdio ("cria-no-such-mcp-server", NULL, 1000, &error);

  g_assert_null (client);
  g_assert_nonnull (error);
}

static void
test_names_and_results (void)
{
  g_autofree char *plain = cria_mcp_tool_make_name ("files", "read_file");
  g_autofree char *odd = cria_mcp_tool_make_name ("My Server!", "get.thing/π");
  g_autofree char *long_name = NULL;
  g_autofree char *remote = g_strnfill (100, 'a');
  g_autoptr(JsonNode) node = json_from_string (
    "{\"content\": [{\"type\": \"text\", \"text\": \"<b>not markup</b>\"},"
    " {\"type\": \"image\", \"data\": \"AAAA\", \"mimeType\": \"image/png\"},"
    " {\"type\": \"resource\", \"resource\": {\"uri\": \"file:///a\", \"text\": \"inside\"}}],"
    " \"isError\": true}", NULL);
  g_autoptr(JsonNode) structured = json_from_string ("{\"structuredContent\": {\"n\": 1}}", NULL);
  g_autoptr(CriaToolResult) result = cria_mcp_tool_result_from_json (json_node_get_object (node));
  g_autoptr(CriaToolResult) from_structured = cria_mcp_tool_result_from_json (json_node_get_object (structured));

  g_assert_cmpstr (plain, ==, "files_read_file");
  g_assert_cmpstr (odd, ==, "My_Server__get_thing_");
  long_name = cria_mcp_tool_make_name ("x", remote);
  g_assert_cmpuint (strlen (long_name), ==, 64);

  g_assert_true (result->is_error);
  g_assert_cmpstr (result->text, ==, "<b>not markup</b>\n[image: image/png]\ninside");
  g_assert_false (from_structured->is_error);
  g_assert_nonnull (strstr (from_structured->text, "\"n\""));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/names-and-results", test_names_and_results);
  g_test_add_func ("/mcp/stdio/everything/list-and-call", test_everything_list_and_call);
  g_test_add_func ("/mcp/stdio/everything/errors", test_everything_errors);
  g_test_add_func ("/mcp/stdio/everything/list-changed", test_everything_list_changed);
  g_test_add_func ("/mcp/stdio/everything/timeout", test_everything_timeout);
  g_test_add_func ("/mcp/stdio/everything/cancel", test_everything_cancel);
  g_test_add_func ("/mcp/stdio/everything/dies-mid-call", test_everything_dies_mid_call);
  g_test_add_func ("/mcp/stdio/filesystem", test_filesystem);
  g_test_add_func ("/mcp/stdio/pagination", test_pagination);
  g_test_add_func ("/mcp/stdio/versions", test_versions);
  g_test_add_func ("/mcp/stdio/never-answers", test_never_answers);
  g_test_add_func ("/mcp/stdio/huge-line", test_huge_line);
  g_test_add_func ("/mcp/stdio/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/mcp/stdio/missing-command", test_missing_command);

  return g_test_run ();
}

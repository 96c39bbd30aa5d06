/* test-mcp-http.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The MCP client over Streamable HTTP, against the reference
 * server-everything from npm serving HTTP on a loopback port.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "cria-mcp-client.h"
#include "cria-mcp-http.h"
#include "cria-mcp-tool.h"
#include "cria-mcp-test.h"

typedef struct
{
  GSubprocess *process;
  GString     *log;
  gboolean     listening;
  char        *url;
} Server;

static void
server_stderr_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Server *server = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return;
  g_string_append_len (server->log, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (strstr (server->log->str, "listening on port") != NULL)
    server->listening = TRUE;
  g_input_stream_read_bytes_async (G_INPUT_STREAM (object), 4096, G_PRIORITY_DEFAULT, NULL,
                                   server_stderr_cb, server);
}

static guint
free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

/* Starts server-everything over Streamable HTTP and waits until it says it
 * listens. */
static gboolean
server_start (Server *server)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = NULL;

  if (program == NULL)
    return FALSE;

  port = g_strdup_printf ("%u", free_port ());
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "PORT", port, TRUE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, program, "streamableHttp", NULL);
  g_assert_no_error (error);
  server->log = g_string_new (NULL);
  server->url = g_strdup_printf ("http://127.0.0.1:%s/mcp", port);
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (server->process), 4096,
                                   G_PRIORITY_DEFAULT, NULL, server_stderr_cb, server);
  mcp_test_wait_for (&server->listening);
  return TRUE;
}

static void
server_stop (Server *server)
{
  if (server->process == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
  g_string_free (server->log, TRUE);
  g_free (server->url);
}

static CriaMcpClient *
connect_http_limited (const char *url,
                      int         max_conns)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns-per-host", max_conns, NULL);
  g_autoptr(CriaMcpHttp) transport = cria_mcp_http_new (session, url);
  g_autoptr(CriaMcpClient) client = cria_mcp_client_new (CRIA_MCP_TRANSPORT (transport));
  g_autoptr(GError) error = NULL;
  McpWait wait = { 0 };

  cria_mcp_client_connect_async (client, NULL, mcp_test_result_cb, &wait);
  g_assert_true (cria_mcp_client_connect_finish (client, mcp_test_wait (&wait), &error));
  g_object_unref (wait.result);
  g_assert_no_error (error);
  return g_steal_pointer (&client);
}

static CriaMcpClient *
connect_http (const char *url)
{
  /* As the app's: each server holds a connection for its GET stream and
   * one per call under way, more than libsoup's default of two a host. */
  return connect_http_limited (url, 16);
}

static JsonObject *
call (CriaMcpClient *client,
      const char    *name,
      const char    *arguments_json,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(JsonNode) arguments = json_from_string (arguments_json, NULL);
  McpWait wait = { 0 };
  JsonObject *answer;

  cria_mcp_client_call_tool_async (client, name, json_node_get_object (arguments), cancellable,
                                   mcp_test_result_cb, &wait);
  answer = cria_mcp_client_call_tool_finish (client, mcp_test_wait (&wait), error);
  g_object_unref (wait.result);
  return answer;
}

static void
tools_changed_cb (CriaMcpClient *client,
                  gboolean      *changed)
{
  *changed = TRUE;
}

static void
test_list_call_and_session (void)
{
  Server server = { 0 };
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(GPtrArray) tools = NULL;
  g_autoptr(JsonObject) echo = NULL;
  g_autoptr(CriaToolResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_echo = FALSE;
  gboolean changed = FALSE;
  McpWait wait = { 0 };

  if (!server_start (&server))
    return;

  client = connect_http (server.url);
  g_signal_connect (client, "tools-changed", G_CALLBACK (tools_changed_cb), &changed);
  g_assert_cmpstr (cria_mcp_client_get_protocol_version (client), ==, CRIA_MCP_PROTOCOL_VERSION);
  /* The server gave a session, which every later request carries: a
   * request without it would be refused. */
  g_assert_nonnull (cria_mcp_http_get_session_id (CRIA_MCP_HTTP (cria_mcp_client_get_transport (client))));

  cria_mcp_client_list_tools_async (client, NULL, mcp_test_result_cb, &wait);
  tools = cria_mcp_client_list_tools_finish (client, mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  for (guint i = 0; i < tools->len; i++)
    has_echo = has_echo || g_str_equal (json_object_get_string_member (tools->pdata[i], "name"), "echo");
  g_assert_true (has_echo);

  echo = call (client, "echo", "{\"message\": \"over http\"}", NULL, &error);
  g_assert_no_error (error);
  result = cria_mcp_tool_result_from_json (echo);
  g_assert_cmpstr (result->text, ==, "Echo: over http");

  /* The tool the server adds after the handshake is announced on the GET
   * stream. */
  mcp_test_wait_for (&changed);

  server_stop (&server);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_errors_and_stop (void)
{
  Server server = { 0 };
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  McpWait wait = { 0 };

  if (!server_start (&server))
    return;
  /* Two connections: the GET stream takes one, so each call needs the
   * other, and a call given up must let go of it. */
  client = connect_http_limited (server.url, 2);

  cria_mcp_client_request_async (client, "no/such-method", params, NULL, mcp_test_result_cb, &wait);
  g_assert_null (cria_mcp_client_request_finish (client, mcp_test_wait (&wait), &error));
  g_object_unref (wait.result);
  g_assert_error (error, CRIA_MCP_ERROR, CRIA_MCP_ERROR_SERVER);
  g_clear_error (&error);

  /* Stop while the server works, then a timeout: both end the call, and
   * the session goes on. */
  g_idle_add (cancel_cb, cancellable);
  answer = call (client, "trigger-long-running-operation", "{\"duration\": 60, \"steps\": 2}", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  cria_mcp_client_set_timeout (client, 1500);
  answer = call (client, "trigger-long-running-operation", "{\"duration\": 60, \"steps\": 2}", NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);
  cria_mcp_client_set_timeout (client, 60000);

  after = call (client, "echo", "{\"message\": \"on\"}", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (after);

  server_stop (&server);
}

typedef struct
{
  GSubprocess *process;
} Killer;

static void
echo_then_kill_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Killer *killer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = cria_mcp_client_call_tool_finish (CRIA_MCP_CLIENT (object), result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  g_subprocess_send_signal (killer->process, SIGKILL);
}

static void
test_dies_mid_call (void)
{
  Server server = { 0 };
  g_autoptr(CriaMcpClient) client = NULL;
  g_autoptr(JsonNode) slow = json_from_string ("{\"duration\": 60, \"steps\": 2}", NULL);
  g_autoptr(JsonNode) echo = json_from_string ("{\"message\": \"x\"}", NULL);
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  McpWait wait = { 0 };
  Killer killer;

  if (!server_start (&server))
    return;
  client = connect_http (server.url);
  killer.process = server.process;

  cria_mcp_client_call_tool_async (client, "trigger-long-running-operation", json_node_get_object (slow),
                                   NULL, mcp_test_result_cb, &wait);
  cria_mcp_client_call_tool_async (client, "echo", json_node_get_object (echo), NULL,
                                   echo_then_kill_cb, &killer);
  answer = cria_mcp_client_call_tool_finish (client, mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_null (answer);
  /* The call fails with the reason, never hangs. Which reason depends on
   * where the server's death meets the request: its answer broken off
   * (closed), or the connection reset before the answer's headers, which
   * libsoup reports as the send failing (refused). */
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED));

  server_stop (&server);
}

static void
test_refuses_other_schemes (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(CriaMcpHttp) transport = cria_mcp_http_new (session, "file:///etc/passwd");
  g_autoptr(GError) error = NULL;

  g_assert_false (cria_mcp_transport_start (CRIA_MCP_TRANSPORT (transport), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/http/refuses-other-schemes", test_refuses_other_schemes);
  g_test_add_func ("/mcp/http/everything/list-call-and-session", test_list_call_and_session);
  g_test_add_func ("/mcp/http/everything/errors-and-stop", test_errors_and_stop);
  g_test_add_func ("/mcp/http/everything/dies-mid-call", test_dies_mid_call);

  return g_test_run ();
}

/* test-mcp-manager.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configured MCP servers: kept in settings, connected, their tools
 * switched on and off, a token from the keyring, failures said.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cria-mcp-manager.h"
#include "cria-mcp-stdio-private.h"
#include "cria-toolbox.h"
#include "cria-mcp-test.h"

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new ("io.github.cria.Cria.Mcp");

  g_settings_reset (settings, "servers");
  g_settings_reset (settings, "timeout");
  return settings;
}

static void
state_cb (CriaMcpServer *server,
          GParamSpec    *pspec,
          gboolean      *settled)
{
  CriaMcpServerState state = cria_mcp_server_get_state (server);

  *settled = state == CRIA_MCP_SERVER_STATE_CONNECTED || state == CRIA_MCP_SERVER_STATE_FAILED;
}

static void
wait_settled (CriaMcpServer *server)
{
  gboolean settled = FALSE;
  gulong id = g_signal_connect (server, "notify::state", G_CALLBACK (state_cb), &settled);

  state_cb (server, NULL, &settled);
  mcp_test_wait_for (&settled);
  g_signal_handler_disconnect (server, id);
}

/* A new reference: the server replaces its tools when their list changes. */
static CriaMcpTool *
find_tool (CriaMcpServer *server,
           const char    *name)
{
  GListModel *tools = cria_mcp_server_get_tools (server);

  for (guint i = 0; i < g_list_model_get_n_items (tools); i++)
    {
      g_autoptr(CriaMcpTool) tool = g_list_model_get_item (tools, i);

      if (g_str_equal (cria_tool_get_name (CRIA_TOOL (tool)), name))
        return g_steal_pointer (&tool);
    }
  return NULL;
}

static void
test_settings_round_trip (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  g_autoptr(CriaMcpManager) again = NULL;
  const char *args[] = { "--root", "/tmp/a b", NULL };
  const char *env[] = { "LOG=quiet", NULL };
  const char *disabled[] = { "write_file", "delete", NULL };
  CriaMcpServer *files;
  CriaMcpServer *web;
  CriaMcpServer *loaded;
  g_auto(GStrv) loaded_disabled = NULL;

  files = cria_mcp_manager_add_server (manager, "Files", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (files, "mcp-server-filesystem");
  cria_mcp_server_set_args (files, args);
  cria_mcp_server_set_env (files, env);
  cria_mcp_server_set_disabled_tools (files, disabled);
  web = cria_mcp_manager_add_server (manager, "Web", CRIA_MCP_TRANSPORT_KIND_HTTP);
  cria_mcp_server_set_url (web, "https://mcp.example/mcp");
  cria_mcp_server_set_enabled (web, TRUE);
  g_assert_false (cria_mcp_server_get_enabled (files));

  /* A manager made later reads back what the first one saved. */
  again = cria_mcp_manager_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_servers (again)), ==, 2);
  loaded = cria_mcp_manager_lookup (again, cria_mcp_server_get_id (files));
  g_assert_nonnull (loaded);
  g_assert_cmpstr (cria_mcp_server_get_name (loaded), ==, "Files");
  g_assert_cmpint (cria_mcp_server_get_transport (loaded), ==, CRIA_MCP_TRANSPORT_KIND_STDIO);
  g_assert_cmpstr (cria_mcp_server_get_command (loaded), ==, "mcp-server-filesystem");
  g_assert_true (g_strv_equal (cria_mcp_server_get_args (loaded), args));
  g_assert_true (g_strv_equal (cria_mcp_server_get_env (loaded), env));
  loaded_disabled = cria_mcp_server_dup_disabled_tools (loaded);
  g_assert_cmpstr (loaded_disabled[0], ==, "delete");
  g_assert_cmpstr (loaded_disabled[1], ==, "write_file");
  g_assert_null (loaded_disabled[2]);

  loaded = cria_mcp_manager_lookup (again, cria_mcp_server_get_id (web));
  g_assert_cmpint (cria_mcp_server_get_transport (loaded), ==, CRIA_MCP_TRANSPORT_KIND_HTTP);
  g_assert_cmpstr (cria_mcp_server_get_url (loaded), ==, "https://mcp.example/mcp");
  g_assert_true (cria_mcp_server_get_enabled (loaded));

  /* Removing one is saved too. */
  cria_mcp_manager_remove_server (again, loaded);
  g_clear_object (&again);
  again = cria_mcp_manager_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_servers (again)), ==, 1);
}

static void
test_connect_and_switch_tools (void)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CriaMcpManager) manager = NULL;
  g_autoptr(GPtrArray) offered = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(JsonNode) arguments = json_from_string ("{\"a\": 20, \"b\": 22}", NULL);
  g_autoptr(CriaToolResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) disabled = NULL;
  const char *args[] = { "stdio", NULL };
  const char *other_ids[] = { "some-other-server", NULL };
  CriaMcpServer *server;
  g_autoptr(CriaMcpTool) echo = NULL;
  g_autoptr(CriaMcpTool) sum = NULL;
  g_autoptr(CriaMcpTool) echo_again = NULL;
  McpWait wait = { 0 };
  guint count;

  if (program == NULL)
    return;

  settings = new_settings ();
  manager = cria_mcp_manager_new (settings);
  server = cria_mcp_manager_add_server (manager, "Everything", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, program);
  cria_mcp_server_set_args (server, args);

  /* Test, before it is enabled: the count, and no change of state. */
  cria_mcp_server_test_async (server, NULL, mcp_test_result_cb, &wait);
  count = cria_mcp_server_test_finish (server, mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_cmpuint (count, >=, 10);
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_DISCONNECTED);

  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  wait_settled (server);
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_CONNECTED);
  g_assert_null (cria_mcp_server_get_error (server));

  echo = find_tool (server, "everything_echo");
  sum = find_tool (server, "everything_get-sum");
  g_assert_nonnull (echo);
  g_assert_nonnull (sum);
  g_assert_cmpint (cria_tool_get_approval (CRIA_TOOL (echo)), ==, CRIA_TOOL_APPROVAL_ASK);
  g_assert_cmpstr (cria_tool_get_source (CRIA_TOOL (echo)), ==, "Everything");
  g_assert_cmpstr (cria_tool_get_title (CRIA_TOOL (echo)), ==, "Echo Tool on Everything");

  /* Switching a tool off keeps it from conversations and is saved. */
  cria_mcp_tool_set_enabled (echo, FALSE);
  disabled = cria_mcp_server_dup_disabled_tools (server);
  g_assert_cmpstr (disabled[0], ==, "echo");
  {
    g_autoptr(CriaMcpManager) reloaded = cria_mcp_manager_new (settings);
    g_auto(GStrv) saved = cria_mcp_server_dup_disabled_tools (
      cria_mcp_manager_lookup (reloaded, cria_mcp_server_get_id (server)));

    g_assert_cmpstr (saved[0], ==, "echo");
  }

  offered = cria_mcp_manager_dup_tools (manager, NULL);
  g_assert_false (g_ptr_array_find (offered, echo, NULL));
  g_assert_true (g_ptr_array_find (offered, sum, NULL));
  /* The model a toolbox takes as a source holds the same. */
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_tools (manager)), ==, offered->len);
  for (guint i = 0; i < offered->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (cria_mcp_manager_get_tools (manager), i);

      g_assert_true (item == offered->pdata[i]);
    }
  none = cria_mcp_manager_dup_tools (manager, other_ids);
  g_assert_cmpuint (none->len, ==, 0);

  wait = (McpWait) { 0 };
  cria_tool_run_async (CRIA_TOOL (sum), json_node_get_object (arguments), NULL, mcp_test_result_cb, &wait);
  result = cria_tool_run_finish (CRIA_TOOL (sum), mcp_test_wait (&wait), &error);
  g_object_unref (wait.result);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (result->text, "42"));

  /* Switched back on (the list may have been read again meanwhile: the
   * switch stays off across it), the tool is offered again. */
  echo_again = find_tool (server, "everything_echo");
  g_assert_false (cria_mcp_tool_get_enabled (echo_again));
  cria_mcp_tool_set_enabled (echo_again, TRUE);
  g_clear_pointer (&offered, g_ptr_array_unref);
  offered = cria_mcp_manager_dup_tools (manager, NULL);
  g_assert_true (g_ptr_array_find (offered, echo_again, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_tools (manager)), ==, offered->len);

  /* Disabling the server disconnects it, and nothing of it is offered. */
  cria_mcp_server_set_enabled (server, FALSE);
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_DISCONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_server_get_tools (server)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_tools (manager)), ==, 0);
}

static void
test_toolbox_source (void)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CriaMcpManager) manager = NULL;
  g_autoptr(CriaToolbox) toolbox = NULL;
  g_autoptr(CriaTool) echo = NULL;
  g_autoptr(CriaTool) gone = NULL;
  g_autofree char *json = NULL;
  const char *args[] = { "stdio", NULL };
  CriaMcpServer *server;

  if (program == NULL)
    return;

  /* As the application does: the servers' tools are a source of the
   * toolbox conversations offer, and each asks before it runs. */
  settings = new_settings ();
  manager = cria_mcp_manager_new (settings);
  toolbox = cria_toolbox_new ();
  cria_toolbox_add_source (toolbox, cria_mcp_manager_get_tools (manager));
  server = cria_mcp_manager_add_server (manager, "Everything", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, program);
  cria_mcp_server_set_args (server, args);
  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  wait_settled (server);
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_CONNECTED);

  echo = cria_toolbox_lookup (toolbox, "everything_echo", NULL);
  g_assert_nonnull (echo);
  g_assert_true (cria_toolbox_needs_approval (toolbox, echo));
  json = cria_toolbox_to_json (toolbox, NULL);
  g_assert_nonnull (strstr (json, "everything_get-sum"));

  /* Switched off, the server's tools leave the toolbox. */
  cria_mcp_server_set_enabled (server, FALSE);
  gone = cria_toolbox_lookup (toolbox, "everything_echo", NULL);
  g_assert_null (gone);
}

static void
test_failure_is_said (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  CriaMcpServer *server;
  CriaMcpServer *no_url;

  server = cria_mcp_manager_add_server (manager, "Broken", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, "cria-no-such-mcp-server");
  no_url = cria_mcp_manager_add_server (manager, "Nowhere", CRIA_MCP_TRANSPORT_KIND_HTTP);
  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  cria_mcp_server_set_enabled (no_url, TRUE);
  wait_settled (server);
  wait_settled (no_url);

  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_FAILED);
  g_assert_nonnull (cria_mcp_server_get_error (server));
  g_assert_cmpint (cria_mcp_server_get_state (no_url), ==, CRIA_MCP_SERVER_STATE_FAILED);
  g_assert_nonnull (cria_mcp_server_get_error (no_url));
}

static void
test_timeout_setting (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  const char *args[] = { g_getenv ("CRIA_MCP_SCRIPTED_SERVER"), "silent", NULL };
  CriaMcpServer *server;

  /* A server that never answers fails after the timeout the settings
   * give, and says so. */
  g_settings_set_uint (settings, "timeout", 1);
  server = cria_mcp_manager_add_server (manager, "Silent", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, "node");
  cria_mcp_server_set_args (server, args);
  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  wait_settled (server);

  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_FAILED);
  g_assert_cmpstr (cria_mcp_server_get_error (server), ==, "The server did not answer within 1 seconds");
}

static void
test_sandbox (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  g_autofree char *marker = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  CriaMcpServer *server;
  int fd;

  fd = g_file_open_tmp ("cria-flatpak-info-XXXXXX", &marker, &error);
  g_assert_no_error (error);
  close (fd);
  _cria_mcp_stdio_set_sandbox_marker (marker);

  /* Inside Flatpak a command can't start on the host: said, with HTTP
   * offered instead, and a stdio server fails with that reason. */
  g_assert_false (cria_mcp_manager_can_run_commands (manager, &reason));
  g_assert_nonnull (strstr (reason, "HTTP"));
  server = cria_mcp_manager_add_server (manager, "Local", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, "node");
  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  wait_settled (server);
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_FAILED);
  g_assert_cmpstr (cria_mcp_server_get_error (server), ==, reason);

  _cria_mcp_stdio_set_sandbox_marker ("/.flatpak-info");
  g_unlink (marker);
}

/* A loopback server that wants a bearer token and records what came. */
static void
auth_handler (SoupServer        *soup_server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  char **authorization = user_data;
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                     "Authorization");

  g_free (*authorization);
  *authorization = g_strdup (header != NULL ? header : "");
  soup_server_message_set_status (message, SOUP_STATUS_UNAUTHORIZED, NULL);
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  McpWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static void
test_token_from_keyring (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  g_autoptr(SoupServer) soup_server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = NULL;
  g_autofree char *saved = NULL;
  g_autoptr(GVariant) servers = NULL;
  GSList *uris;
  CriaMcpServer *server;
  McpWait wait = { 0 };

  soup_server_add_handler (soup_server, "/mcp", auth_handler, &authorization, NULL);
  g_assert_true (soup_server_listen_local (soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (soup_server);
  url = g_strdup_printf ("http://127.0.0.1:%d/mcp", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  server = cria_mcp_manager_add_server (manager, "Guarded", CRIA_MCP_TRANSPORT_KIND_HTTP);
  cria_mcp_server_set_url (server, url);
  cria_mcp_manager_set_token_async (manager, server, "sekrit-token", NULL, token_stored_cb, &wait);
  if (!cria_mcp_manager_set_token_finish (manager, mcp_test_wait (&wait), &error))
    {
      g_autofree char *why = g_strdup_printf ("No keyring to keep the token in: %s", error->message);

      g_object_unref (wait.result);
      g_test_skip (why);
      return;
    }
  g_object_unref (wait.result);

  cria_mcp_manager_start (manager);
  cria_mcp_server_set_enabled (server, TRUE);
  wait_settled (server);

  g_assert_cmpstr (authorization, ==, "Bearer sekrit-token");
  g_assert_cmpint (cria_mcp_server_get_state (server), ==, CRIA_MCP_SERVER_STATE_FAILED);
  g_assert_cmpstr (cria_mcp_server_get_error (server), ==, "The server refused the token");

  /* The token is in the keyring, not in settings. */
  servers = g_settings_get_value (settings, "servers");
  saved = g_variant_print (servers, TRUE);
  g_assert_null (strstr (saved, "sekrit"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mcp/manager/settings-round-trip", test_settings_round_trip);
  g_test_add_func ("/mcp/manager/connect-and-switch-tools", test_connect_and_switch_tools);
  g_test_add_func ("/mcp/manager/toolbox-source", test_toolbox_source);
  g_test_add_func ("/mcp/manager/failure-is-said", test_failure_is_said);
  g_test_add_func ("/mcp/manager/token-from-keyring", test_token_from_keyring);
  g_test_add_func ("/mcp/manager/timeout-setting", test_timeout_setting);
  g_test_add_func ("/mcp/manager/sandbox", test_sandbox);

  return g_test_run ();
}

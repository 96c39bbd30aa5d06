/* test-mcp-page.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Preferences page of MCP servers, driven through its widgets: the
 * servers listed with untrusted names shown as text, one added, a real
 * server's tools listed and one switched off with its switch.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cria-mcp-page-private.h"
#include "cria-mcp-stdio-private.h"
#include "cria-mcp-test.h"

static GSettings *
new_settings (void)
{
  GSettings *settings = g_settings_new ("io.github.cria.Cria.Mcp");

  g_settings_reset (settings, "servers");
  return settings;
}

/* The first descendant of @widget of @type whose "title" is @title (any
 * title when NULL). */
static GtkWidget *
find_widget (GtkWidget  *widget,
             GType       type,
             const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      g_autofree char *widget_title = NULL;

      if (title == NULL)
        return widget;
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "title") != NULL)
        g_object_get (widget, "title", &widget_title, NULL);
      if (g_strcmp0 (widget_title, title) == 0)
        return widget;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
show_page (CriaMcpManager *manager)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = cria_mcp_page_new (manager);

  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static void
test_list_and_add (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  CriaMcpServer *server;
  GtkWidget *window;
  CriaMcpPage *page;
  GtkListBox *list;
  GtkListBoxRow *row;
  g_autofree char *subtitle = NULL;

  server = cria_mcp_manager_add_server (manager, "<b>Files</b> & more", CRIA_MCP_TRANSPORT_KIND_STDIO);
  window = show_page (manager);
  page = CRIA_MCP_PAGE (gtk_window_get_child (GTK_WINDOW (window)));
  list = _cria_mcp_page_get_server_list (page);

  /* The name as typed, never read as markup (fatal-warnings would catch
   * a markup parse failing on the "&"); the state said. */
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_true (ADW_IS_EXPANDER_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "&lt;b&gt;Files&lt;/b&gt; &amp; more");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Off");

  /* Renaming it on the row renames the server. */
  cria_mcp_server_set_name (server, "Files");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Files");

  /* Add an HTTP server: a row with an address and a token field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "mcp.add-http", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_servers (manager)), ==, 2);
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_nonnull (row);
  g_assert_nonnull (find_widget (GTK_WIDGET (row), ADW_TYPE_ENTRY_ROW, "Address"));
  g_assert_nonnull (find_widget (GTK_WIDGET (row), ADW_TYPE_PASSWORD_ENTRY_ROW, "Token"));
  g_assert_null (find_widget (GTK_WIDGET (row), ADW_TYPE_ENTRY_ROW, "Command"));

  /* Outside a sandbox, no note that commands can't run. */
  g_assert_false (gtk_widget_get_visible (_cria_mcp_page_get_sandbox_label (page)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sandbox_note (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(CriaMcpManager) manager = cria_mcp_manager_new (settings);
  g_autofree char *marker = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  CriaMcpPage *page;
  GtkWidget *label;
  int fd;

  fd = g_file_open_tmp ("cria-flatpak-info-XXXXXX", &marker, &error);
  g_assert_no_error (error);
  close (fd);
  _cria_mcp_stdio_set_sandbox_marker (marker);

  /* In the sandbox the page says why commands can't run and offers only
   * servers by address. */
  window = show_page (manager);
  page = CRIA_MCP_PAGE (gtk_window_get_child (GTK_WINDOW (window)));
  label = _cria_mcp_page_get_sandbox_label (page);
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "HTTP"));
  gtk_widget_activate_action (GTK_WIDGET (page), "mcp.add-command", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_servers (manager)), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "mcp.add-http", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (cria_mcp_manager_get_servers (manager)), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  _cria_mcp_stdio_set_sandbox_marker ("/.flatpak-info");
  g_unlink (marker);
}

static void
state_cb (CriaMcpServer *server,
          GParamSpec    *pspec,
          gboolean      *connected)
{
  *connected = cria_mcp_server_get_state (server) == CRIA_MCP_SERVER_STATE_CONNECTED;
  g_assert_cmpint (cria_mcp_server_get_state (server), !=, CRIA_MCP_SERVER_STATE_FAILED);
}

static void
test_tool_switches (void)
{
  g_autofree char *program = mcp_test_server_path ("mcp-server-everything");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(CriaMcpManager) manager = NULL;
  const char *args[] = { "stdio", NULL };
  g_auto(GStrv) disabled = NULL;
  CriaMcpServer *server;
  GtkWidget *window;
  GtkWidget *tool_row;
  GtkWidget *toggle;
  GtkListBoxRow *row;
  gboolean connected = FALSE;

  if (program == NULL)
    return;

  settings = new_settings ();
  manager = cria_mcp_manager_new (settings);
  server = cria_mcp_manager_add_server (manager, "Everything", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_server_set_command (server, program);
  cria_mcp_server_set_args (server, args);
  cria_mcp_manager_start (manager);
  window = show_page (manager);
  row = gtk_list_box_get_row_at_index (_cria_mcp_page_get_server_list (CRIA_MCP_PAGE (gtk_window_get_child (GTK_WINDOW (window)))), 0);

  /* The row's own switch turns the server on. */
  g_signal_connect (server, "notify::state", G_CALLBACK (state_cb), &connected);
  toggle = find_widget (GTK_WIDGET (row), GTK_TYPE_SWITCH, NULL);
  g_assert_nonnull (toggle);
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  mcp_test_wait_for (&connected);
  g_assert_nonnull (strstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), "Connected"));

  /* Each tool has a row with a switch; switching one off is kept. */
  tool_row = find_widget (GTK_WIDGET (row), ADW_TYPE_ACTION_ROW, "Echo Tool on Everything");
  g_assert_nonnull (tool_row);
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (tool_row)));
  toggle = find_widget (tool_row, GTK_TYPE_SWITCH, NULL);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  disabled = cria_mcp_server_dup_disabled_tools (server);
  g_assert_cmpstr (disabled[0], ==, "echo");
  g_assert_null (disabled[1]);

  g_signal_handlers_disconnect_by_func (server, state_cb, &connected);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_skip ("No display: run the tests with build-aux/run-headless.sh");
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/mcp/page/list-and-add", test_list_and_add);
  g_test_add_func ("/mcp/page/tool-switches", test_tool_switches);
  g_test_add_func ("/mcp/page/sandbox-note", test_sandbox_note);

  return g_test_run ();
}

/* cria-mcp-page.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-mcp-page-private.h"

/* Everything a server or its tools say (names, descriptions, errors) is
 * untrusted text: every row here has use-markup off, and since
 * libadwaita 1.2's AdwExpanderRow reads its title and subtitle as markup
 * whatever use-markup says, those are escaped. */

struct _CriaMcpPage
{
  AdwPreferencesPage  parent_instance;

  CriaMcpManager     *manager;
  /* Where the tools allowed for good are kept, or NULL. */
  CriaToolbox        *toolbox;
  GCancellable       *cancellable;

  GtkWidget          *servers_group;
  GtkWidget          *add_command_button;
  GtkWidget          *sandbox_label;
  GtkWidget          *server_list;
};

G_DEFINE_FINAL_TYPE (CriaMcpPage, cria_mcp_page, ADW_TYPE_PREFERENCES_PAGE)

static GtkWidget *
plain_row (GType       type,
           const char *title)
{
  GtkWidget *row = g_object_new (type, "use-markup", FALSE, "title", title, NULL);

  return row;
}

static char *
describe_state (CriaMcpServer *server)
{
  guint n_tools = g_list_model_get_n_items (cria_mcp_server_get_tools (server));

  switch (cria_mcp_server_get_state (server))
    {
    case CRIA_MCP_SERVER_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case CRIA_MCP_SERVER_STATE_CONNECTED:
      return g_strdup_printf (g_dngettext (NULL, "Connected, %u tool", "Connected, %u tools", n_tools), n_tools);
    case CRIA_MCP_SERVER_STATE_FAILED:
      return g_strdup_printf (_("Not connected: %s"),
                              cria_mcp_server_get_error (server) ?: _("the connection failed"));
    case CRIA_MCP_SERVER_STATE_DISCONNECTED:
    default:
      return g_strdup (cria_mcp_server_get_enabled (server) ? _("Not connected") : _("Off"));
    }
}

static void
server_state_cb (CriaMcpServer *server,
                 GParamSpec    *pspec,
                 AdwExpanderRow *row)
{
  g_autofree char *state = describe_state (server);
  g_autofree char *escaped = g_markup_escape_text (state, -1);

  adw_expander_row_set_subtitle (row, escaped);
}

static void
server_tools_changed_cb (GListModel     *tools,
                         guint           position,
                         guint           removed,
                         guint           added,
                         AdwExpanderRow *row)
{
  CriaMcpServer *server = g_object_get_data (G_OBJECT (row), "cria-mcp-server");

  server_state_cb (server, NULL, row);
}

static gboolean
escape_transform (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_take_string (to, g_markup_escape_text (text != NULL ? text : "", -1));
  return TRUE;
}

/* An entry's text is never NULL; a server's setting may be. */
static gboolean
text_transform (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  const char *text = g_value_get_string (from);

  g_value_set_string (to, text != NULL ? text : "");
  return TRUE;
}

static void
bind_text (CriaMcpServer *server,
           const char    *property,
           GtkWidget     *entry)
{
  g_object_bind_property_full (server, property, entry, "text",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               text_transform, NULL, NULL, NULL);
}

static GtkWidget *
create_tool_row (gpointer item,
                 gpointer user_data)
{
  CriaTool *tool = CRIA_TOOL (item);
  GtkWidget *row = plain_row (ADW_TYPE_ACTION_ROW, cria_tool_get_title (tool));
  GtkWidget *toggle = gtk_switch_new ();

  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), cria_tool_get_description (tool));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cria_tool_get_title (tool), -1);
  g_object_bind_property (tool, "enabled", toggle, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

/* Arguments and environment are edited as one line, quoted as a shell
 * would; nothing runs a shell. */
static char *
join_quoted (const char * const *words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (words[i]);

      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, quoted);
    }
  return g_string_free (text, FALSE);
}

static void
words_applied_cb (AdwEntryRow   *entry,
                  CriaMcpServer *server)
{
  const char *property = g_object_get_data (G_OBJECT (entry), "cria-mcp-property");
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_auto(GStrv) words = NULL;
  g_autoptr(GError) error = NULL;

  if (*text != '\0' && !g_shell_parse_argv (text, NULL, &words, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  g_object_set (server, property, words, NULL);
}

static GtkWidget *
words_row (CriaMcpServer *server,
           const char    *property,
           const char    *title)
{
  GtkWidget *entry = plain_row (ADW_TYPE_ENTRY_ROW, title);
  g_auto(GStrv) words = NULL;
  g_autofree char *text = NULL;

  g_object_get (server, property, &words, NULL);
  text = join_quoted ((const char * const *) words);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (entry), TRUE);
  g_object_set_data (G_OBJECT (entry), "cria-mcp-property", (gpointer) property);
  g_signal_connect_object (entry, "apply", G_CALLBACK (words_applied_cb), server, 0);
  return entry;
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdwEntryRow) entry = user_data;
  g_autoptr(GError) error = NULL;

  if (!cria_mcp_manager_set_token_finish (CRIA_MCP_MANAGER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Token (could not be saved in the keyring)"));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), _("Token (saved in the keyring)"));
}

static void
token_applied_cb (AdwEntryRow *entry,
                  CriaMcpPage *self)
{
  CriaMcpServer *server = g_object_get_data (G_OBJECT (entry), "cria-mcp-server");

  cria_mcp_manager_set_token_async (self->manager, server, gtk_editable_get_text (GTK_EDITABLE (entry)),
                                    self->cancellable, token_stored_cb, g_object_ref (entry));
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint count;

  count = cria_mcp_server_test_finish (CRIA_MCP_SERVER (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    text = g_strdup_printf (_("Failed: %s"), error->message);
  else
    text = g_strdup_printf (g_dngettext (NULL, "Works: it offers %u tool", "Works: it offers %u tools", count), count);
  adw_action_row_set_subtitle (row, text);
}

static void
test_clicked_cb (GtkButton   *button,
                 CriaMcpPage *self)
{
  AdwActionRow *row = g_object_get_data (G_OBJECT (button), "cria-mcp-row");
  CriaMcpServer *server = g_object_get_data (G_OBJECT (button), "cria-mcp-server");

  adw_action_row_set_subtitle (row, _("Testing…"));
  cria_mcp_server_test_async (server, self->cancellable, tested_cb, g_object_ref (row));
}

/* A name is taken when it is applied, not at each keystroke: the tools
 * allowed for good follow the server to its new name, which must be its
 * own (two servers of one name would share what is allowed). */
static void
name_applied_cb (AdwEntryRow *entry,
                 CriaMcpPage *self)
{
  CriaMcpServer *server = g_object_get_data (G_OBJECT (entry), "cria-mcp-server");
  g_autofree char *old_name = g_strdup (cria_mcp_server_get_name (server));
  g_autofree char *new_name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  guint n = g_list_model_get_n_items (cria_mcp_manager_get_servers (self->manager));
  const char *problem = NULL;

  if (*new_name == '\0')
    problem = _("A server needs a name");
  for (guint i = 0; problem == NULL && i < n; i++)
    {
      g_autoptr(CriaMcpServer) other = g_list_model_get_item (cria_mcp_manager_get_servers (self->manager), i);

      if (other != server && g_strcmp0 (cria_mcp_server_get_name (other), new_name) == 0)
        problem = _("Another server has this name");
    }

  if (problem != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), problem);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, problem, -1);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
  gtk_accessible_reset_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (g_strcmp0 (old_name, new_name) == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (entry), new_name);
      return;
    }
  cria_mcp_server_set_name (server, new_name);
  if (self->toolbox != NULL && old_name != NULL)
    cria_toolbox_rename_source (self->toolbox, old_name, new_name);
}

static void
remove_clicked_cb (GtkButton   *button,
                   CriaMcpPage *self)
{
  CriaMcpServer *server = g_object_get_data (G_OBJECT (button), "cria-mcp-server");
  g_autofree char *name = g_strdup (cria_mcp_server_get_name (server));

  cria_mcp_manager_remove_server (self->manager, server);
  /* Its tools were allowed by its name, which a server added later may
   * take: none of them runs without asking any more. */
  if (self->toolbox != NULL && name != NULL)
    cria_toolbox_forget_source (self->toolbox, name);
}

static GtkWidget *
create_server_row (gpointer item,
                   gpointer user_data)
{
  CriaMcpPage *self = CRIA_MCP_PAGE (user_data);
  CriaMcpServer *server = CRIA_MCP_SERVER (item);
  GtkWidget *row = plain_row (ADW_TYPE_EXPANDER_ROW, NULL);
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *name;
  GtkWidget *actions;
  GtkWidget *button;
  GtkWidget *tools;

  g_object_set_data_full (G_OBJECT (row), "cria-mcp-server", g_object_ref (server), g_object_unref);
  g_object_bind_property_full (server, "name", row, "title", G_BINDING_SYNC_CREATE,
                               escape_transform, NULL, NULL, NULL);
  g_signal_connect_object (server, "notify::state", G_CALLBACK (server_state_cb), row, 0);
  g_signal_connect_object (server, "notify::enabled", G_CALLBACK (server_state_cb), row, 0);
  g_signal_connect_object (cria_mcp_server_get_tools (server), "items-changed",
                           G_CALLBACK (server_tools_changed_cb), row, 0);
  server_state_cb (server, NULL, ADW_EXPANDER_ROW (row));

  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Use this server"), -1);
  g_object_bind_property (server, "enabled", toggle, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), toggle);

  name = plain_row (ADW_TYPE_ENTRY_ROW, _("Name"));
  g_object_bind_property_full (server, "name", name, "text", G_BINDING_SYNC_CREATE,
                               text_transform, NULL, NULL, NULL);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (name), TRUE);
  g_object_set_data (G_OBJECT (name), "cria-mcp-server", server);
  g_signal_connect_object (name, "apply", G_CALLBACK (name_applied_cb), self, 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), name);

  if (cria_mcp_server_get_transport (server) == CRIA_MCP_TRANSPORT_KIND_HTTP)
    {
      GtkWidget *url = plain_row (ADW_TYPE_ENTRY_ROW, _("Address"));
      GtkWidget *token = plain_row (ADW_TYPE_PASSWORD_ENTRY_ROW, _("Token"));

      bind_text (server, "url", url);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), url);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (token), TRUE);
      g_object_set_data (G_OBJECT (token), "cria-mcp-server", server);
      g_signal_connect_object (token, "apply", G_CALLBACK (token_applied_cb), self, 0);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), token);
    }
  else
    {
      GtkWidget *command = plain_row (ADW_TYPE_ENTRY_ROW, _("Command"));

      bind_text (server, "command", command);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), command);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), words_row (server, "args", _("Arguments")));
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row),
                                words_row (server, "env", _("Environment (NAME=value …)")));
    }

  tools = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (tools), GTK_SELECTION_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tools), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tools"), -1);
  gtk_list_box_bind_model (GTK_LIST_BOX (tools), cria_mcp_server_get_tools (server), create_tool_row, NULL, NULL);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), tools);

  actions = plain_row (ADW_TYPE_ACTION_ROW, _("Connection"));
  button = gtk_button_new_with_label (_("Test"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "cria-mcp-row", actions);
  g_object_set_data (G_OBJECT (button), "cria-mcp-server", server);
  g_signal_connect_object (button, "clicked", G_CALLBACK (test_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), button);
  button = gtk_button_new_with_label (_("Remove"));
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (button), "cria-mcp-server", server);
  g_signal_connect_object (button, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), actions);

  return row;
}

static void
add_command_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CriaMcpPage *self = CRIA_MCP_PAGE (widget);

  cria_mcp_manager_add_server (self->manager, _("New server"), CRIA_MCP_TRANSPORT_KIND_STDIO);
}

static void
add_http_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CriaMcpPage *self = CRIA_MCP_PAGE (widget);

  cria_mcp_manager_add_server (self->manager, _("New server"), CRIA_MCP_TRANSPORT_KIND_HTTP);
}

static void
cria_mcp_page_dispose (GObject *object)
{
  CriaMcpPage *self = CRIA_MCP_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_MCP_PAGE);
  g_clear_object (&self->manager);
  g_clear_object (&self->toolbox);

  G_OBJECT_CLASS (cria_mcp_page_parent_class)->dispose (object);
}

static void
cria_mcp_page_class_init (CriaMcpPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_mcp_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-mcp-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaMcpPage, servers_group);
  gtk_widget_class_bind_template_child (widget_class, CriaMcpPage, add_command_button);
  gtk_widget_class_bind_template_child (widget_class, CriaMcpPage, sandbox_label);
  gtk_widget_class_bind_template_child (widget_class, CriaMcpPage, server_list);

  gtk_widget_class_install_action (widget_class, "mcp.add-command", NULL, add_command_cb);
  gtk_widget_class_install_action (widget_class, "mcp.add-http", NULL, add_http_cb);
}

static void
cria_mcp_page_init (CriaMcpPage *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  placeholder = gtk_label_new (_("No servers yet"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->server_list), placeholder);
}

GtkWidget *
cria_mcp_page_new (CriaMcpManager *manager)
{
  CriaMcpPage *self;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (CRIA_IS_MCP_MANAGER (manager), NULL);

  self = g_object_new (CRIA_TYPE_MCP_PAGE, NULL);
  self->manager = g_object_ref (manager);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->server_list), cria_mcp_manager_get_servers (manager),
                           create_server_row, self, NULL);

  /* In the sandbox, only servers reached by address can work. */
  if (!cria_mcp_manager_can_run_commands (manager, &reason))
    {
      gtk_label_set_text (GTK_LABEL (self->sandbox_label), reason);
      gtk_widget_set_visible (self->sandbox_label, TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "mcp.add-command", FALSE);
    }

  return GTK_WIDGET (self);
}

/**
 * cria_mcp_page_set_toolbox:
 * @toolbox: (nullable): the toolbox whose tools allowed for good a removed
 *   server's tools leave
 */
void
cria_mcp_page_set_toolbox (CriaMcpPage *self,
                           CriaToolbox *toolbox)
{
  g_return_if_fail (CRIA_IS_MCP_PAGE (self));
  g_return_if_fail (toolbox == NULL || CRIA_IS_TOOLBOX (toolbox));

  g_set_object (&self->toolbox, toolbox);
}

GtkListBox *
_cria_mcp_page_get_server_list (CriaMcpPage *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_PAGE (self), NULL);
  return GTK_LIST_BOX (self->server_list);
}

GtkWidget *
_cria_mcp_page_get_sandbox_label (CriaMcpPage *self)
{
  g_return_val_if_fail (CRIA_IS_MCP_PAGE (self), NULL);
  return self->sandbox_label;
}

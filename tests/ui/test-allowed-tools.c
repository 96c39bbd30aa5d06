/* test-allowed-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Always allow this tool" as the user meets it: chosen on a call in the
 * transcript, it is in the always-allowed-tools setting; Cria started again
 * on the same settings runs the next call without asking; Forget in
 * Preferences makes the next call ask again. Preferences lists the allowed
 * tools as text, and removing an MCP server forgets its tools.
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-mcp-page-private.h"
#include "cria-preferences-window-private.h"
#include "cria-test-tools.h"
#include "cria-tool-call-row.h"
#include "cria-ui-test.h"

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}"
#define CHAT_PATH "/v1/chat/completions"
#define ALLOWED_KEY "always-allowed-tools"

typedef struct
{
  CriaUiTestWindow  ui;
  GSettings        *settings;
  GListStore       *tools;
  CriaTestTool     *read_file;
  /* Cria started again: a second application on the same settings. */
  CriaApplication  *restarted;
} Fixture;

static gboolean have_display;
static CriaApplication *app;

static void
wait_until (gboolean (*condition) (Fixture *f),
            Fixture   *f)
{
  g_assert_true (cria_ui_test_wait ((gboolean (*) (gpointer)) condition, f, 20));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->settings = g_settings_new ("io.github.cria.Cria");
  g_settings_reset (f->settings, ALLOWED_KEY);

  /* A server's tool that asks before each call. */
  f->read_file = cria_test_tool_new ("read_file", CRIA_TOOL_APPROVAL_ASK);
  cria_test_tool_set_source (f->read_file, "Files");
  f->tools = g_list_store_new (CRIA_TYPE_TOOL);
  g_list_store_append (f->tools, f->read_file);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cria_ui_test_window_tear_down (&f->ui);
  if (app != NULL)
    cria_toolbox_remove_source (cria_application_get_toolbox (app), G_LIST_MODEL (f->tools));
  g_clear_object (&f->restarted);
  g_settings_reset (f->settings, ALLOWED_KEY);
  g_clear_object (&f->settings);
  g_clear_object (&f->tools);
  g_clear_object (&f->read_file);
}

static char *
allowed_setting (Fixture *f)
{
  g_autoptr(GVariant) value = g_settings_get_value (f->settings, ALLOWED_KEY);

  return g_variant_print (value, FALSE);
}

static CriaConversation *
conversation (Fixture *f)
{
  return cria_window_get_conversation (f->ui.window);
}

static guint
n_messages (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (conversation (f)));
}

static gboolean
idle (Fixture *f)
{
  return !cria_conversation_get_busy (conversation (f));
}

/* The last message is a call that waits for the user, or nothing is under
 * way any more: whichever comes first. */
static gboolean
waiting_or_idle (Fixture *f)
{
  guint n = n_messages (f);

  if (n > 0 && cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, n - 1)) ==
               CRIA_TOOL_STATUS_WAITING)
    return TRUE;
  return idle (f);
}

static void
expect_call_and_answer (Fixture *f)
{
  const char *names[] = { "read_file" };
  const char *args[] = { "{\"x\": \"notes.txt\"}" };

  cria_test_script_tool_calls (cria_fake_server_expect (f->ui.server, CHAT_PATH), 1, names, args, 0);
  cria_test_script_answer (cria_fake_server_expect (f->ui.server, CHAT_PATH), "Read.");
}

/* Sends a message whose answer calls read_file, and waits until the call
 * waits for the user or the turn is over. Returns the call's message. */
static CriaMessage *
send_and_call (Fixture *f)
{
  guint first = n_messages (f);

  expect_call_and_answer (f);
  cria_ui_test_type_and_send (f->ui.window, "Read my notes");
  wait_until (waiting_or_idle, f);
  g_assert_cmpuint (n_messages (f), >, first + 2);

  /* The user's message, the answer that calls, then the call. */
  return cria_ui_test_message_at (f->ui.window, first + 2);
}

/* The row of @message's call once the transcript shows it. */
static CriaToolCallRow *
call_row (Fixture     *f,
          CriaMessage *message)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkListView *list_view = cria_ui_test_get_list_view (f->ui.window);

  while (g_get_monotonic_time () < deadline)
    {
      CriaMessageRow *row = cria_ui_test_find_message_row (list_view, message);

      if (row != NULL)
        {
          GtkWidget *found = cria_ui_test_find_descendant (GTK_WIDGET (row), CRIA_TYPE_TOOL_CALL_ROW);

          if (found != NULL && gtk_widget_get_visible (found))
            return CRIA_TOOL_CALL_ROW (found);
        }
      g_main_context_iteration (NULL, FALSE);
    }

  g_assert_not_reached ();
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Presses the button of @action under @widget, as the keyboard does: the
 * button must be on screen (a button that is not ignores it). */
static void
press (GtkWidget  *widget,
       const char *action)
{
  GtkWidget *button = find_button (widget, action);

  g_assert_nonnull (button);
  g_assert_true (cria_ui_test_wait (is_mapped, button, 20));
  g_assert_true (gtk_widget_is_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
}

static gboolean
allowed_saved (Fixture *f)
{
  g_autofree char *value = allowed_setting (f);

  return g_str_equal (value, "[('Files', 'read_file')]");
}

static gboolean
allowed_cleared (Fixture *f)
{
  g_autofree char *value = allowed_setting (f);

  return g_str_equal (value, "[]") &&
         !cria_toolbox_is_allowed (cria_application_get_toolbox (f->restarted), "Files", "read_file");
}

static CriaPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRIA_IS_PREFERENCES_WINDOW (window))
        return CRIA_PREFERENCES_WINDOW (window);
    }

  return NULL;
}

/* Goes to the page of @widget in @preferences, as clicking its tab does. */
static void
show_page_of (CriaPreferencesWindow *preferences,
              GtkListBox            *widget)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (widget), ADW_TYPE_PREFERENCES_PAGE);

  g_assert_nonnull (page);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences), ADW_PREFERENCES_PAGE (page));
}

/* The text of the visible placeholder of @list, or NULL when it has rows. */
static const char *
placeholder_text (GtkListBox *list)
{
  GtkWidget *parent = GTK_WIDGET (list);

  if (gtk_list_box_get_row_at_index (list, 0) != NULL)
    return NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (parent); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_is_visible (child))
        return gtk_label_get_text (GTK_LABEL (child));
    }

  return NULL;
}

static void
test_remembered (Fixture       *f,
                 gconstpointer  data)
{
  CriaToolbox *toolbox;
  CriaToolbox *restarted_toolbox;
  CriaPreferencesWindow *preferences;
  GtkListBox *list;
  GtkListBoxRow *row;
  GtkWidget *forget;
  CriaMessage *call;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  /* The window offers the application's tools, here with a server's. */
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
  toolbox = cria_application_get_toolbox (app);
  cria_toolbox_add_source (toolbox, G_LIST_MODEL (f->tools));
  cria_conversation_set_model_id (conversation (f), "llama-3.1-8b");

  /* The call waits; "Always allow this tool" runs it and keeps the choice
   * in the setting, as (server, tool). */
  call = send_and_call (f);
  g_assert_cmpint (cria_message_get_tool_status (call), ==, CRIA_TOOL_STATUS_WAITING);
  press (GTK_WIDGET (call_row (f, call)), "tool-call.allow-always");
  wait_until (idle, f);
  g_assert_cmpint (cria_message_get_tool_status (call), ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->read_file), ==, 1);
  wait_until (allowed_saved, f);

  /* Cria started again on the same settings: its toolbox has the tool
   * allowed, and the next call runs without asking. */
  f->restarted = cria_application_new ();
  restarted_toolbox = cria_application_get_toolbox (f->restarted);
  g_assert_true (restarted_toolbox != toolbox);
  cria_toolbox_add_source (restarted_toolbox, G_LIST_MODEL (f->tools));
  cria_window_set_toolbox (f->ui.window, restarted_toolbox);
  call = send_and_call (f);
  wait_until (idle, f);
  g_assert_cmpint (cria_message_get_tool_status (call), ==, CRIA_TOOL_STATUS_DONE);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->read_file), ==, 2);

  /* Preferences lists it: the tool's name, its server below it. */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  list = _cria_preferences_window_get_allowed_list (preferences);
  show_page_of (preferences, list);
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "read_file");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Files");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));
  forget = find_button (GTK_WIDGET (row), "preferences.forget-tool");
  g_assert_nonnull (forget);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (forget), ==, "Forget: ask before each call again");

  /* Forget: the setting no longer has it, the restarted Cria follows the
   * setting, and the list says that tools ask. */
  press (GTK_WIDGET (row), "preferences.forget-tool");
  wait_until (allowed_cleared, f);
  g_assert_false (cria_toolbox_is_allowed (toolbox, "Files", "read_file"));
  g_assert_cmpstr (placeholder_text (list), ==, "Tools that ask will ask before each call");
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* The next call asks again. */
  call = send_and_call (f);
  g_assert_cmpint (cria_message_get_tool_status (call), ==, CRIA_TOOL_STATUS_WAITING);
  press (GTK_WIDGET (call_row (f, call)), "tool-call.deny");
  wait_until (idle, f);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->read_file), ==, 2);
  cria_window_set_toolbox (f->ui.window, toolbox);
}

static GtkListBox *
open_preferences (CriaToolbox            *toolbox,
                  CriaPreferencesWindow **out)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cria.Cria");
  GtkWidget *window = cria_preferences_window_new (cria_application_get_client (app), settings);

  cria_preferences_window_set_toolbox (CRIA_PREFERENCES_WINDOW (window), toolbox);
  gtk_window_present (GTK_WINDOW (window));
  *out = CRIA_PREFERENCES_WINDOW (window);

  return _cria_preferences_window_get_allowed_list (*out);
}

static gboolean
read_file_forgotten (gpointer toolbox)
{
  return !cria_toolbox_is_allowed (toolbox, "<b>Files</b> & co", "read_file");
}

static void
test_preferences_list (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaToolbox) toolbox = NULL;
  g_autoptr(GVariant) allowed = NULL;
  CriaPreferencesWindow *preferences;
  GtkListBox *list;
  GtkListBoxRow *row;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  toolbox = cria_toolbox_new ();
  list = open_preferences (toolbox, &preferences);
  show_page_of (preferences, list);
  g_assert_cmpstr (placeholder_text (list), ==, "Tools that ask will ask before each call");

  /* Cria's own tool, then a server whose name looks like markup: shown as
   * typed, never read as markup (fatal-warnings would catch a parse error
   * on the "&"). */
  allowed = g_variant_ref_sink (g_variant_new_parsed ("[('', 'fetch_page'), ('<b>Files</b> & co', 'read_file')]"));
  cria_toolbox_set_allowed (toolbox, allowed);
  g_assert_null (placeholder_text (list));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "fetch_page");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Cria");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "read_file");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "<b>Files</b> & co");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  cria_ui_test_settle (GTK_WIDGET (preferences));

  /* Forgetting the second leaves the first. */
  press (GTK_WIDGET (row), "preferences.forget-tool");
  g_assert_true (cria_ui_test_wait (read_file_forgotten, toolbox, 20));
  g_assert_true (cria_toolbox_is_allowed (toolbox, "", "fetch_page"));
  g_assert_false (cria_toolbox_is_allowed (toolbox, "<b>Files</b> & co", "read_file"));
  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "fetch_page");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));

  /* The Tools group's settings are the chat's. */
  gtk_switch_set_active (GTK_SWITCH (_cria_preferences_window_get_tools_switch (preferences)), FALSE);
  g_assert_false (g_settings_get_boolean (f->settings, "tools-enabled"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (_cria_preferences_window_get_tool_rounds_spin (preferences)), 3);
  g_assert_cmpint (g_settings_get_int (f->settings, "max-tool-rounds"), ==, 3);
  g_settings_reset (f->settings, "tools-enabled");
  g_settings_reset (f->settings, "max-tool-rounds");

  /* Closed, the window no longer follows the toolbox. */
  gtk_window_destroy (GTK_WINDOW (preferences));
  g_clear_pointer (&allowed, g_variant_unref);
  allowed = g_variant_ref_sink (g_variant_new_parsed ("@a(ss) []"));
  cria_toolbox_set_allowed (toolbox, allowed);
}

static gboolean
app_allows_read_file (gpointer data)
{
  return cria_toolbox_is_allowed (cria_application_get_toolbox (app), "Files", "read_file");
}

static void
test_follows_setting (Fixture       *f,
                      gconstpointer  data)
{
  CriaToolbox *toolbox;
  g_autoptr(GVariant) written = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  /* Another writer (another Cria, dconf-editor) changes the setting, with
   * an entry Cria does not keep: the running Cria follows, keeps what is
   * good, and does not write its own version back. */
  toolbox = cria_application_get_toolbox (app);
  written = g_variant_ref_sink (g_variant_new_parsed ("[('Files', ''), ('Files', 'read_file'), "
                                                      "('Files', 'read_file')]"));
  before = g_variant_print (written, FALSE);
  g_settings_set_value (f->settings, ALLOWED_KEY, written);
  g_assert_true (cria_ui_test_wait (app_allows_read_file, NULL, 20));
  {
    g_autoptr(GVariant) kept = cria_toolbox_dup_allowed (toolbox);

    g_assert_cmpuint (g_variant_n_children (kept), ==, 1);
  }
  after = allowed_setting (f);
  g_assert_cmpstr (after, ==, before);

  /* A change in Cria is saved. */
  g_assert_true (cria_toolbox_forget (toolbox, "Files", "read_file"));
  saved = allowed_setting (f);
  g_assert_cmpstr (saved, ==, "[]");
}

/* The first button labelled @label under @widget. */
static GtkWidget *
find_labelled_button (GtkWidget  *widget,
                      const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_labelled_button (child, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
assert_allowed_text (CriaToolbox *toolbox,
                     const char  *expected)
{
  g_autoptr(GVariant) kept = cria_toolbox_dup_allowed (toolbox);
  g_autofree char *text = g_variant_print (kept, FALSE);

  g_assert_cmpstr (text, ==, expected);
}

static gboolean
one_server_left (gpointer manager)
{
  return g_list_model_get_n_items (cria_mcp_manager_get_servers (manager)) == 1;
}

static void
test_remove_server (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSettings) mcp_settings = NULL;
  g_autoptr(CriaMcpManager) manager = NULL;
  g_autoptr(CriaToolbox) toolbox = NULL;
  g_autoptr(GVariant) allowed = NULL;
  g_autofree char *left = NULL;
  g_autoptr(GVariant) kept = NULL;
  GtkWidget *window;
  GtkWidget *page;
  GtkListBoxRow *row;
  GtkWidget *remove;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  mcp_settings = g_settings_new ("io.github.cria.Cria.Mcp");
  g_settings_reset (mcp_settings, "servers");
  manager = cria_mcp_manager_new (mcp_settings);
  cria_mcp_manager_add_server (manager, "Files", CRIA_MCP_TRANSPORT_KIND_STDIO);
  cria_mcp_manager_add_server (manager, "Other", CRIA_MCP_TRANSPORT_KIND_STDIO);
  toolbox = cria_toolbox_new ();
  allowed = g_variant_ref_sink (g_variant_new_parsed ("[('Files', 'read_file'), ('', 'fetch_page'), "
                                                      "('Other', 'read_file'), ('Files', 'write_file')]"));
  cria_toolbox_set_allowed (toolbox, allowed);

  page = cria_mcp_page_new (manager);
  cria_mcp_page_set_toolbox (CRIA_MCP_PAGE (page), toolbox);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  /* Remove on the server "Files": its tools ask again, the others' stay
   * allowed. */
  row = gtk_list_box_get_row_at_index (_cria_mcp_page_get_server_list (CRIA_MCP_PAGE (page)), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Files");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  remove = find_labelled_button (GTK_WIDGET (row), "Remove");
  g_assert_nonnull (remove);
  g_assert_true (cria_ui_test_wait (is_mapped, remove, 20));
  g_assert_true (gtk_widget_activate (remove));
  g_assert_true (cria_ui_test_wait (one_server_left, manager, 20));
  kept = cria_toolbox_dup_allowed (toolbox);
  left = g_variant_print (kept, FALSE);
  g_assert_cmpstr (left, ==, "[('', 'fetch_page'), ('Other', 'read_file')]");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (mcp_settings, "servers");
}

static GtkWidget *
find_of_type (GtkWidget *widget,
              GType      type,
              const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (title == NULL || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Types @text into the name row and presses Enter in it. */
static void
enter_name (GtkWidget  *name_row,
            const char *text)
{
  GtkWidget *editable = name_row;

  for (GtkWidget *child = gtk_widget_get_first_child (name_row); child != NULL; )
    {
      if (GTK_IS_TEXT (child))
        {
          editable = child;
          break;
        }
      child = gtk_widget_get_first_child (child) != NULL ? gtk_widget_get_first_child (child)
                                                          : gtk_widget_get_next_sibling (child);
    }
  g_assert_true (GTK_IS_TEXT (editable));
  /* The row offers to apply what was typed while it had the focus. */
  g_assert_true (gtk_widget_grab_focus (name_row));
  gtk_editable_set_text (GTK_EDITABLE (name_row), text);
  /* What Enter does in the text. */
  g_signal_emit_by_name (editable, "activate");
}

static void
test_rename_server (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSettings) mcp_settings = NULL;
  g_autoptr(CriaMcpManager) manager = NULL;
  g_autoptr(CriaToolbox) toolbox = NULL;
  g_autoptr(GVariant) allowed = NULL;
  g_autoptr(CriaMcpServer) files = NULL;
  GtkWidget *window;
  GtkWidget *page;
  GtkListBoxRow *row;
  GtkWidget *name_row;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  mcp_settings = g_settings_new ("io.github.cria.Cria.Mcp");
  g_settings_reset (mcp_settings, "servers");
  manager = cria_mcp_manager_new (mcp_settings);
  files = g_object_ref (cria_mcp_manager_add_server (manager, "Files", CRIA_MCP_TRANSPORT_KIND_STDIO));
  cria_mcp_manager_add_server (manager, "Other", CRIA_MCP_TRANSPORT_KIND_STDIO);
  toolbox = cria_toolbox_new ();
  allowed = g_variant_ref_sink (g_variant_new_parsed ("[('Files', 'read_file'), ('', 'fetch_page'), "
                                                      "('Other', 'read_file')]"));
  cria_toolbox_set_allowed (toolbox, allowed);

  page = cria_mcp_page_new (manager);
  cria_mcp_page_set_toolbox (CRIA_MCP_PAGE (page), toolbox);
  window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));

  row = gtk_list_box_get_row_at_index (_cria_mcp_page_get_server_list (CRIA_MCP_PAGE (page)), 0);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  name_row = find_of_type (GTK_WIDGET (row), ADW_TYPE_ENTRY_ROW, "Name");
  g_assert_nonnull (name_row);
  g_assert_true (cria_ui_test_wait (is_mapped, name_row, 20));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "Files");

  /* Typing alone renames nothing. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Fil");
  g_assert_cmpstr (cria_mcp_server_get_name (files), ==, "Files");

  /* The other server's name, or none: refused, said on the row. */
  enter_name (name_row, "Other");
  g_assert_cmpstr (cria_mcp_server_get_name (files), ==, "Files");
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (name_row), ==, "Another server has this name");
  enter_name (name_row, "   ");
  g_assert_cmpstr (cria_mcp_server_get_name (files), ==, "Files");
  assert_allowed_text (toolbox, "[('Files', 'read_file'), ('', 'fetch_page'), ('Other', 'read_file')]");

  /* A new name of its own: the server takes it, and what was allowed for
   * good follows it; nothing stays under the old name. */
  enter_name (name_row, "  Disk  ");
  g_assert_cmpstr (cria_mcp_server_get_name (files), ==, "Disk");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Disk");
  assert_allowed_text (toolbox, "[('Disk', 'read_file'), ('', 'fetch_page'), ('Other', 'read_file')]");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (mcp_settings, "servers");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;
  /* An answer that ends while Preferences had the focus is announced. */
  if (have_display)
    cria_ui_test_notifications_start ();

#define ADD(path, func) \
  g_test_add ("/allowed-tools/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("remembered", test_remembered);
  ADD ("preferences-list", test_preferences_list);
  ADD ("remove-server", test_remove_server);
  ADD ("rename-server", test_rename_server);
  ADD ("follows-setting", test_follows_setting);

#undef ADD

  status = g_test_run ();
  if (have_display)
    cria_ui_test_notifications_stop ();
  g_clear_object (&app);

  return status;
}

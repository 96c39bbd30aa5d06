/* test-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tool loop as the window shows it: a row per call with its name,
 * arguments, status, duration and result; the approval buttons; Stop while a
 * call waits; the Tools switch, off with the reason for a model that cannot
 * call tools; the note when the round limit ends a turn; a chat's own tool
 * settings (whose tools, a forced tool), kept with the chat.
 */

#include <string.h>

#include <gtk/gtk.h>

#include "cria-conversation-settings.h"
#include "cria-test-tools.h"
#include "cria-tool-call-row.h"
#include "cria-ui-test.h"

typedef struct
{
  CriaUiTestWindow  ui;
  CriaToolbox      *toolbox;
  GListStore       *tools;
  CriaTestTool     *echo;
  CriaTestTool     *fetch;
} Fixture;

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"deepseek-coder-6.7b\"}]}"
#define CHAT_PATH "/v1/chat/completions"

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
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
  if (f->ui.window == NULL)
    return;

  f->echo = cria_test_tool_new ("echo", CRIA_TOOL_APPROVAL_NONE);
  f->fetch = cria_test_tool_new ("fetch", CRIA_TOOL_APPROVAL_ASK);
  f->tools = g_list_store_new (CRIA_TYPE_TOOL);
  g_list_store_append (f->tools, f->echo);
  g_list_store_append (f->tools, f->fetch);
  f->toolbox = cria_toolbox_new ();
  cria_toolbox_add_source (f->toolbox, G_LIST_MODEL (f->tools));
  cria_window_set_toolbox (f->ui.window, f->toolbox);
  cria_conversation_set_model_id (cria_window_get_conversation (f->ui.window), "llama-3.1-8b");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cria_ui_test_window_tear_down (&f->ui);
  g_clear_object (&f->toolbox);
  g_clear_object (&f->tools);
  g_clear_object (&f->echo);
  g_clear_object (&f->fetch);
}

static CriaConversation *
conversation (Fixture *f)
{
  return cria_window_get_conversation (f->ui.window);
}

static void
expect_call (Fixture    *f,
             const char *name,
             const char *arguments)
{
  const char *names[] = { name };
  const char *args[] = { arguments };

  cria_test_script_tool_calls (cria_fake_server_expect (f->ui.server, CHAT_PATH), 1, names, args, 5);
}

static void
expect_answer (Fixture    *f,
               const char *text)
{
  cria_test_script_answer (cria_fake_server_expect (f->ui.server, CHAT_PATH), text);
}

static gboolean
idle (Fixture *f)
{
  return !cria_conversation_get_busy (conversation (f));
}

static guint
n_messages (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (conversation (f)));
}

/* The row of the call at @position once the transcript shows it. */
static CriaToolCallRow *
call_row (Fixture *f,
          guint    position)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkListView *list_view = cria_ui_test_get_list_view (f->ui.window);

  while (g_get_monotonic_time () < deadline)
    {
      CriaMessageRow *row = NULL;

      if (n_messages (f) > position)
        row = cria_ui_test_find_message_row (list_view, cria_ui_test_message_at (f->ui.window, position));
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

static GtkButton *
find_button (GtkWidget  *widget,
             const char *action)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    return GTK_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button (child, action);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Presses the button of @action in @row, as the keyboard does. */
static void
press (CriaToolCallRow *row,
       const char      *action)
{
  GtkButton *button = find_button (GTK_WIDGET (row), action);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (button)));
}

/* The labels shown: a hidden widget hides what is under it. */
static void
collect_visible (GtkWidget *widget,
                 GString   *out)
{
  if (!gtk_widget_get_visible (widget))
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_text (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_visible (child, out);
}

static char *
visible_text (GtkWidget *widget)
{
  GString *out = g_string_new (NULL);

  collect_visible (widget, out);
  return g_string_free (out, FALSE);
}

static gboolean
first_call_done (Fixture *f)
{
  return n_messages (f) > 2 &&
         cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, 2)) == CRIA_TOOL_STATUS_DONE;
}

static void
test_call_row (Fixture       *f,
               gconstpointer  data)
{
  CriaToolCallRow *row;
  g_autofree char *text = NULL;
  GtkExpander *expander;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_call (f, "echo", "{\"x\": \"forty-two\"}");
  expect_answer (f, "The answer is forty-two.");
  cria_ui_test_type_and_send (f->ui.window, "What is it?");
  wait_until (idle, f);
  g_assert_cmpuint (n_messages (f), ==, 4);

  /* Name, pretty arguments, status with the duration; the result folded. */
  row = call_row (f, 2);
  text = visible_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "echo"));
  g_assert_nonnull (strstr (text, "\"x\" : \"forty-two\""));
  g_assert_true (g_str_has_prefix (cria_tool_call_row_get_status (row), "Done in "));
  g_assert_nonnull (strstr (text, cria_tool_call_row_get_status (row)));
  g_assert_cmpstr (cria_tool_call_row_get_result (row), ==, "echo({\"x\":\"forty-two\"})");
  expander = GTK_EXPANDER (cria_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_EXPANDER));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (expander)));
  g_assert_false (gtk_expander_get_expanded (expander));
  /* The answer that asked does not show the call a second time. */
  {
    CriaMessageRow *asked = cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->ui.window),
                                                           cria_ui_test_message_at (f->ui.window, 1));
    g_autofree char *asked_text = NULL;

    g_assert_nonnull (asked);
    asked_text = visible_text (GTK_WIDGET (asked));
    g_assert_null (strstr (asked_text, "Tool call: echo"));
  }
  /* No approval is asked for a tool that only computes. */
  g_assert_null (strstr (text, "Allow this call?"));
  g_assert_cmpstr (cria_message_get_content (cria_ui_test_message_at (f->ui.window, 3)), ==,
                   "The answer is forty-two.");
}

static gboolean
waiting_at_2 (Fixture *f)
{
  return n_messages (f) > 2 &&
         cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, 2)) == CRIA_TOOL_STATUS_WAITING;
}

static gboolean
waiting_at_4 (Fixture *f)
{
  return n_messages (f) > 4 &&
         cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, 4)) == CRIA_TOOL_STATUS_WAITING;
}

static void
test_approval (Fixture       *f,
               gconstpointer  data)
{
  CriaToolCallRow *row;
  g_autofree char *text = NULL;
  g_autofree char *after = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_call (f, "fetch", "{\"x\": \"https://example.org\"}");
  expect_call (f, "fetch", "{\"x\": \"https://example.com\"}");
  expect_answer (f, "Fetched one.");
  cria_ui_test_type_and_send (f->ui.window, "Fetch them");

  /* The call waits, shown with its arguments and the three choices. */
  wait_until (waiting_at_2, f);
  row = call_row (f, 2);
  text = visible_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "Allow this call?"));
  g_assert_nonnull (strstr (text, "https://example.org"));
  g_assert_cmpstr (cria_tool_call_row_get_status (row), ==, "Waiting for your approval");
  g_assert_nonnull (find_button (GTK_WIDGET (row), "tool-call.allow-always"));
  g_assert_true (cria_conversation_get_busy (conversation (f)));
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 0);

  press (row, "tool-call.allow-once");
  wait_until (first_call_done, f);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 1);
  /* The choices go once answered. */
  after = visible_text (GTK_WIDGET (row));
  g_assert_null (strstr (after, "Allow this call?"));

  /* Allowed once: the next call asks again; denied, it never runs. */
  wait_until (waiting_at_4, f);
  press (call_row (f, 4), "tool-call.deny");
  wait_until (idle, f);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 1);
  g_assert_cmpint (cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, 4)), ==,
                   CRIA_TOOL_STATUS_DENIED);
  g_assert_cmpstr (cria_tool_call_row_get_status (call_row (f, 4)), ==, "Denied");
}

static void
test_stop_waiting (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  expect_call (f, "fetch", "{}");
  cria_ui_test_type_and_send (f->ui.window, "Fetch");
  wait_until (waiting_at_2, f);

  /* Stop (Escape) ends the turn while the call waits. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.stop", NULL));
  wait_until (idle, f);
  g_assert_cmpint (cria_message_get_tool_status (cria_ui_test_message_at (f->ui.window, 2)), ==,
                   CRIA_TOOL_STATUS_STOPPED);
  g_assert_cmpstr (cria_tool_call_row_get_status (call_row (f, 2)), ==, "Stopped");
  text = visible_text (GTK_WIDGET (call_row (f, 2)));
  g_assert_null (strstr (text, "Allow this call?"));
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 0);
}

static CriaFakeRequest *
last_chat_request (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);

  for (guint i = requests->len; i > 0; i--)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_str_has_suffix (request->path, CHAT_PATH))
        return request;
    }

  g_assert_not_reached ();
}

static GtkToggleButton *
tools_switch (Fixture *f)
{
  GtkWidget *composer = GTK_WIDGET (_cria_window_get_composer (f->ui.window));

  return GTK_TOGGLE_BUTTON (cria_ui_test_find_descendant (composer, GTK_TYPE_TOGGLE_BUTTON));
}

static void
test_switch (Fixture       *f,
             gconstpointer  data)
{
  GtkToggleButton *button;
  g_autoptr(JsonParser) parser = json_parser_new ();
  CriaFakeRequest *request;
  g_autoptr(GError) error = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  button = tools_switch (f);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_toggle_button_get_active (button));

  /* Off by the user: the chat sends no tools. */
  gtk_toggle_button_set_active (button, FALSE);
  g_assert_false (cria_conversation_get_tools_enabled (conversation (f)));
  expect_answer (f, "Plain.");
  cria_ui_test_type_and_send (f->ui.window, "Hi");
  wait_until (idle, f);
  request = last_chat_request (f);
  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                              g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  g_assert_false (json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "tools"));
  gtk_toggle_button_set_active (button, TRUE);
  g_assert_true (cria_conversation_get_tools_enabled (conversation (f)));

  /* A model without the capability: off, and the tooltip says why. */
  cria_conversation_set_model_id (conversation (f), "deepseek-coder-6.7b");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_false (gtk_toggle_button_get_active (button));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), "cannot call tools"));
  /* The chat's own choice is kept for a model that can. */
  cria_conversation_set_model_id (conversation (f), "llama-3.1-8b");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (button)));
  g_assert_true (gtk_toggle_button_get_active (button));
}

static gboolean
note_shown (Fixture *f)
{
  CriaMessage *last;
  CriaMessageRow *row;
  g_autofree char *text = NULL;

  if (n_messages (f) == 0)
    return FALSE;
  last = cria_ui_test_message_at (f->ui.window, n_messages (f) - 1);
  if (cria_message_get_state (last) != CRIA_MESSAGE_STATE_FAILED)
    return FALSE;
  row = cria_ui_test_find_message_row (cria_ui_test_get_list_view (f->ui.window), last);
  if (row == NULL)
    return FALSE;
  text = visible_text (GTK_WIDGET (row));
  return strstr (text, "Cria stopped after 2 rounds") != NULL;
}

static void
test_round_limit (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.cria.Cria");

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* The limit is the preference's. */
  g_settings_set_int (settings, "max-tool-rounds", 2);
  g_assert_cmpuint (cria_conversation_get_max_tool_rounds (conversation (f)), ==, 2);
  for (guint i = 0; i < 3; i++)
    expect_call (f, "echo", "{}");
  cria_ui_test_type_and_send (f->ui.window, "Loop");
  wait_until (idle, f);
  wait_until (note_shown, f);
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 2);
  g_settings_reset (settings, "max-tool-rounds");
}

static gboolean
settings_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRIA_IS_CONVERSATION_SETTINGS (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }
  return FALSE;
}

/* The row titled @title under @widget, or NULL. */
static AdwPreferencesRow *
find_row (GtkWidget  *widget,
          const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_PREFERENCES_ROW (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwPreferencesRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static GtkSwitch *
row_switch (GtkWindow  *settings,
            const char *title)
{
  AdwPreferencesRow *row = find_row (GTK_WIDGET (settings), title);

  g_assert_nonnull (row);
  return GTK_SWITCH (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row)));
}

static void
choose (AdwComboRow *row,
        const char  *item)
{
  GListModel *items = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (items), i), item))
      {
        adw_combo_row_set_selected (row, i);
        return;
      }
  g_assert_not_reached ();
}

/* The chat request @back requests before the last one. */
static CriaFakeRequest *
chat_request_from_end (Fixture *f,
                       guint    back)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);

  for (guint i = requests->len; i > 0; i--)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i - 1);

      if (g_str_has_suffix (request->path, CHAT_PATH) && back-- == 0)
        return request;
    }

  g_assert_not_reached ();
}

static JsonObject *
request_object (CriaFakeRequest *request,
                JsonParser      *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (request->body, NULL),
                              g_bytes_get_size (request->body), &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* The names of the tools a request offers, comma-separated. */
static char *
offered (JsonObject *body)
{
  JsonArray *tools = json_object_get_array_member (body, "tools");
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (tools); i++)
    {
      JsonObject *function = json_object_get_object_member (json_array_get_object_element (tools, i), "function");

      g_string_append_printf (names, "%s%s", i > 0 ? "," : "", json_object_get_string_member (function, "name"));
    }
  return g_string_free (names, FALSE);
}

static gboolean
saved_open (Fixture       *f,
            gconstpointer  id)
{
  /* A saved chat comes in one items-changed. */
  return g_strcmp0 (_cria_window_history_get_id (f->ui.window), id) == 0 && n_messages (f) > 0;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
saved_with_tools (gpointer data)
{
  gpointer *args = data;
  CriaStore *store = args[0];
  const char *id = args[1];
  GAsyncResult *result = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  cria_store_load_conversation_async (store, id, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  record = cria_store_load_conversation_finish (store, result, &messages, NULL);
  g_object_unref (result);
  return record != NULL && record->tools != NULL && strstr (record->tools, "\"Files\"") != NULL &&
         strstr (record->tools, "\"echo\"") != NULL;
}

static void
test_chat_settings (Fixture       *f,
                    gconstpointer  data)
{
  GtkWindow *settings = NULL;
  AdwPreferencesRow *files;
  AdwComboRow *choice;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) again_parser = json_parser_new ();
  JsonObject *body;
  JsonObject *forced;
  g_autofree char *names = NULL;
  g_autofree char *id = NULL;
  const char *off_files[] = { "Files", NULL };
  gpointer args[2];
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* Cria's own echo, and a server's fetch. */
  cria_test_tool_set_source (f->fetch, "Files");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.conversation-settings", NULL));
  g_assert_true (cria_ui_test_wait (settings_shown, &settings, 20));
  g_assert_true (gtk_switch_get_active (row_switch (settings, "Use Tools")));
  g_assert_true (gtk_switch_get_active (row_switch (settings, "Cria’s Tools")));
  files = find_row (GTK_WIDGET (settings), "Files");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (files)), ==, "fetch");
  g_assert_true (gtk_switch_get_active (row_switch (settings, "Files")));

  /* This chat leaves the server's tools out and makes the model call echo. */
  gtk_switch_set_active (row_switch (settings, "Files"), FALSE);
  choice = ADW_COMBO_ROW (find_row (GTK_WIDGET (settings), "Tool Use"));
  g_assert_nonnull (choice);
  choose (choice, "Must Call “echo”");
  gtk_window_close (settings);
  g_assert_true (g_strv_equal (cria_conversation_get_tool_sources_off (conversation (f)), off_files));
  g_assert_cmpstr (cria_conversation_get_tool_choice (conversation (f)), ==, "echo");

  expect_call (f, "echo", "{\"x\": 1}");
  expect_answer (f, "Done.");
  cria_ui_test_type_and_send (f->ui.window, "Go");
  wait_until (idle, f);
  body = request_object (chat_request_from_end (f, 1), parser);
  names = offered (body);
  g_assert_cmpstr (names, ==, "echo");
  forced = json_object_get_object_member (body, "tool_choice");
  g_assert_nonnull (forced);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (forced, "function"), "name"),
                   ==, "echo");
  /* Forced in the first request of the turn only, then the model answers. */
  g_assert_false (json_object_has_member (request_object (last_chat_request (f), again_parser), "tool_choice"));
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->echo), ==, 1);

  /* A call to a tool the chat left out does not run. */
  g_assert_cmpuint (cria_test_tool_get_n_runs (f->fetch), ==, 0);

  /* Kept with the chat: opened again from the history, it has them. */
  id = g_strdup (_cria_window_history_get_id (f->ui.window));
  g_assert_nonnull (id);
  n = n_messages (f);
  args[0] = cria_application_get_store (app);
  args[1] = id;
  g_assert_true (cria_ui_test_wait (saved_with_tools, args, 20));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.new-chat", NULL));
  g_assert_cmpuint (n_messages (f), ==, 0);
  g_assert_null (cria_conversation_get_tool_sources_off (conversation (f))[0]);
  g_assert_null (cria_conversation_get_tool_choice (conversation (f)));
  _cria_window_open_saved (f->ui.window, id, NULL);
  g_assert_true (cria_ui_test_wait_full ((CriaUiTestCondition) saved_open, f, id, 20));
  g_assert_cmpuint (n_messages (f), ==, n);
  g_assert_true (g_strv_equal (cria_conversation_get_tool_sources_off (conversation (f)), off_files));
  g_assert_cmpstr (cria_conversation_get_tool_choice (conversation (f)), ==, "echo");
  g_assert_true (gtk_toggle_button_get_active (tools_switch (f)));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;
  /* An answer that ends while the settings had the focus is announced. */
  if (have_display)
    cria_ui_test_notifications_start ();

#define ADD(path, func) \
  g_test_add ("/tools/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("call-row", test_call_row);
  ADD ("approval", test_approval);
  ADD ("stop-waiting", test_stop_waiting);
  ADD ("switch", test_switch);
  ADD ("round-limit", test_round_limit);
  ADD ("chat-settings", test_chat_settings);

#undef ADD

  status = g_test_run ();
  if (have_display)
    cria_ui_test_notifications_stop ();
  g_clear_object (&app);

  return status;
}

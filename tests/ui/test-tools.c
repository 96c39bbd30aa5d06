/* test-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tool loop as the window shows it: a row per call with its name,
 * arguments, status, duration and result; the approval buttons; Stop while a
 * call waits; the Tools switch, off with the reason for a model that cannot
 * call tools; the note when the round limit ends a turn.
 */

#include <string.h>

#include <gtk/gtk.h>

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

int
main (int   argc,
      char *argv[])
{
  int status;

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

#define ADD(path, func) \
  g_test_add ("/tools/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("call-row", test_call_row);
  ADD ("approval", test_approval);
  ADD ("stop-waiting", test_stop_waiting);
  ADD ("switch", test_switch);
  ADD ("round-limit", test_round_limit);

#undef ADD

  status = g_test_run ();
  g_clear_object (&app);

  return status;
}

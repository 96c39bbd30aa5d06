/* test-sidebar.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The history sidebar under Xvfb: saved conversations listed and opened,
 * rename, delete and undo, search, and the group headings.
 */

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-conversation-list.h"
#include "cria-conversation-settings.h"
#include "cria-search-hit.h"
#include "cria-sidebar-private.h"
#include "cria-sidebar-row.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

typedef struct
{
  CriaWindow           *window;
  CriaConversationList *list;
  CriaStore            *store;
} Fixture;

static gboolean have_display;
static CriaApplication *app;
static char *data_home;

static void
wait_until (gboolean (*condition) (Fixture *f, gconstpointer data),
            Fixture       *f,
            gconstpointer  data)
{
  g_assert_true (cria_ui_test_wait_full ((CriaUiTestCondition) condition, f, data, 20));
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
flush (CriaStore *store)
{
  GAsyncResult *result = NULL;

  cria_store_flush_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cria_store_flush_finish (store, result, NULL));
  g_object_unref (result);
}

/* Saves a conversation of @n messages through the app's store. */
static char *
save_conversation (CriaStore  *store,
                   const char *title,
                   guint       n)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = record->updated = g_get_real_time ();
  cria_store_save_conversation (store, record);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CriaMessageRecord) message = cria_message_record_new ();

      message->id = g_uuid_string_random ();
      message->role = i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER;
      g_free (message->content);
      message->content = g_strdup_printf ("%s line %u", title, i);
      message->created = g_get_real_time ();
      cria_store_save_message (store, record->id, i, message);
    }
  flush (store);

  return g_strdup (record->id);
}

static gboolean
list_loaded (Fixture       *f,
             gconstpointer  data)
{
  return cria_conversation_list_get_loaded (f->list);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->store = g_object_ref (cria_application_get_store (app));
  f->list = cria_conversation_list_new (f->store);
  wait_until (list_loaded, f, NULL);
  f->window = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (GTK_WINDOW (f->window));
  flush (f->store);
  g_clear_object (&f->list);
  g_clear_object (&f->store);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (out, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

/* The sidebar row showing a conversation or search result titled @title. */
static CriaSidebarRow *
find_row (Fixture    *f,
          const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), CRIA_TYPE_SIDEBAR_ROW, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      CriaSidebarRow *row = g_ptr_array_index (rows, i);

      if (g_strcmp0 (cria_sidebar_row_get_title (row), title) == 0)
        return row;
    }

  return NULL;
}

static gboolean
row_shown (Fixture       *f,
           gconstpointer  title)
{
  return find_row (f, title) != NULL;
}

static gboolean
row_gone (Fixture       *f,
          gconstpointer  title)
{
  return find_row (f, title) == NULL;
}

static gboolean
conversation_open (Fixture       *f,
                   gconstpointer  id)
{
  return g_strcmp0 (_cria_window_history_get_id (f->window), id) == 0;
}

static void
test_open_saved (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(CriaMessage) last = NULL;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "Planning a trip to Lisbon", 6);
  wait_until (row_shown, f, "Planning a trip to Lisbon");
  g_assert_cmpstr (cria_sidebar_row_get_heading (find_row (f, "Planning a trip to Lisbon")), ==, "Today");

  /* Choosing the row opens the conversation, all of it. */
  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_LIST_VIEW, views);
  g_assert_cmpuint (views->len, >=, 1);
  g_signal_emit_by_name (g_ptr_array_index (views, 0), "activate", 0);
  wait_until (conversation_open, f, id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 6);
  last = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 5);
  g_assert_cmpstr (cria_message_get_content (last), ==, "Planning a trip to Lisbon line 5");
  g_assert_cmpstr (cria_conversation_get_title (cria_window_get_conversation (f->window)), ==, "Planning a trip to Lisbon");
}

static gboolean
dialog_shown (Fixture       *f,
              gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }

  return FALSE;
}

static void
test_rename (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = NULL;
  AdwMessageDialog *dialog = NULL;
  GtkWidget *entry;
  CriaConversationInfo *info;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "Untitled soup question", 2);
  wait_until (row_shown, f, "Untitled soup question");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.rename-conversation", "s", id));
  wait_until (dialog_shown, f, &dialog);
  entry = adw_message_dialog_get_extra_child (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Untitled soup question");
  /* Titles are text, never markup. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Soup <b>&</b> bread");
  /* Return in the entry renames and closes the dialog. */
  g_signal_emit_by_name (entry, "activate");
  dialog = NULL;
  g_assert_false (dialog_shown (f, &dialog));

  wait_until (row_shown, f, "Soup <b>&</b> bread");
  g_assert_null (find_row (f, "Untitled soup question"));
  flush (f->store);
  info = cria_conversation_list_find (f->list, id, NULL);
  g_assert_cmpstr (cria_conversation_info_get_title (info), ==, "Soup <b>&</b> bread");
}

static gboolean
in_list (Fixture       *f,
         gconstpointer  id)
{
  return cria_conversation_list_find (f->list, id, NULL) != NULL;
}

static gboolean
not_in_list (Fixture       *f,
             gconstpointer  id)
{
  return !in_list (f, id);
}

static void
test_delete_and_undo (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  GAsyncResult *result = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "A <conversation> to delete", 4);
  wait_until (row_shown, f, "A <conversation> to delete");

  /* Deleting the conversation on screen leaves a new chat there. */
  _cria_window_open_saved (f->window, id, NULL);
  wait_until (conversation_open, f, id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-conversation", "s", id));
  wait_until (not_in_list, f, id);
  wait_until (row_gone, f, "A <conversation> to delete");
  g_assert_cmpstr (_cria_window_history_get_id (f->window), !=, id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 0);

  /* Undo, the toast's button, brings it all back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", NULL));
  wait_until (in_list, f, id);
  wait_until (row_shown, f, "A <conversation> to delete");

  cria_store_load_conversation_async (f->store, id, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  record = cria_store_load_conversation_finish (f->store, result, &messages, NULL);
  g_object_unref (result);
  g_assert_nonnull (record);
  g_assert_cmpuint (messages->len, ==, 4);
}

static GtkSearchEntry *
search_entry (Fixture *f)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_SEARCH_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);

  return g_ptr_array_index (entries, 0);
}

static gboolean
has_hit (Fixture       *f,
         gconstpointer  markup)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (gtk_label_get_use_markup (label) && strstr (gtk_label_get_label (label), markup) != NULL)
        return TRUE;
    }

  return FALSE;
}

/* The search results the sidebar shows, or NULL when it shows no results. */
static GListModel *
shown_results (Fixture *f)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();
  GListModel *model;
  g_autoptr(GObject) first = NULL;

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_LIST_VIEW, views);
  if (views->len != 1)
    return NULL;
  model = G_LIST_MODEL (gtk_list_view_get_model (g_ptr_array_index (views, 0)));
  if (model == NULL || (first = g_list_model_get_item (model, 0)) == NULL || !CRIA_IS_SEARCH_HIT (first))
    return NULL;

  return model;
}

/* A search result for the title @title, not a message in it. */
static gboolean
title_hit_shown (Fixture       *f,
                 gconstpointer  title)
{
  GListModel *results = shown_results (f);

  for (guint i = 0; results != NULL && i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(CriaSearchHit) hit = g_list_model_get_item (results, i);

      if (cria_search_hit_get_message_id (hit) == NULL && g_strcmp0 (cria_search_hit_get_title (hit), title) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
label_shown (Fixture       *f,
             gconstpointer  text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;

  return FALSE;
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkSearchEntry *entry;
  GListModel *results;
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "Quokka <facts>", 30);
  wait_until (row_shown, f, "Quokka <facts>");

  /* Ctrl+F's action puts the focus in the search entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  entry = search_entry (f);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (entry)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (entry)));

  /* One letter finds titles only: the title's hit comes, and no message
   * hit with it (both would come in one list). */
  gtk_editable_set_text (GTK_EDITABLE (entry), "q");
  wait_until (title_hit_shown, f, "Quokka <facts>");
  results = shown_results (f);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(CriaSearchHit) hit = g_list_model_get_item (results, i);

      g_assert_null (cria_search_hit_get_message_id (hit));
    }

  /* When no title has a word in that letter, the sidebar says to type on. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "ж");
  wait_until (label_shown, f, "No title matches. Type more to search messages too.");

  /* As typed: the match in bold, the rest of the text escaped. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "quok");
  wait_until (has_hit, f, "<b>Quokka</b> &lt;facts&gt; line 17");

  /* Choosing a message opens its conversation. */
  collect (GTK_WIDGET (_cria_window_get_sidebar (f->window)), GTK_TYPE_LIST_VIEW, views);
  g_assert_cmpuint (views->len, ==, 1);
  g_signal_emit_by_name (g_ptr_array_index (views, 0), "activate", 1);
  wait_until (conversation_open, f, id);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))), ==, 30);

  /* Emptying the entry shows the list again. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  wait_until (row_shown, f, "Quokka <facts>");
}

static gboolean
settings_shown (Fixture       *f,
                gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRIA_IS_CONVERSATION_SETTINGS (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        {
          *(GtkWindow **) data = GTK_WINDOW (window);
          return TRUE;
        }
    }

  return FALSE;
}

static void
test_conversation_settings (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *id = NULL;
  GtkWindow *settings = NULL;
  g_autoptr(GPtrArray) switches = g_ptr_array_new ();
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  GAsyncResult *result = NULL;
  const CriaChatParams *params;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  id = save_conversation (f->store, "Settings kept", 2);
  _cria_window_open_saved (f->window, id, NULL);
  wait_until (conversation_open, f, id);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.conversation-settings", NULL));
  wait_until (settings_shown, f, &settings);

  /* In the template's order: temperature, top P, length, presence,
   * frequency, seed; then the Tools group's ("Use Tools", Cria's tools). */
  collect (GTK_WIDGET (settings), GTK_TYPE_SWITCH, switches);
  collect (GTK_WIDGET (settings), GTK_TYPE_SPIN_BUTTON, spins);
  g_assert_cmpuint (switches->len, ==, 8);
  g_assert_cmpuint (spins->len, ==, 6);
  gtk_switch_set_active (g_ptr_array_index (switches, 1), TRUE);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 1), 0.5);
  gtk_switch_set_active (g_ptr_array_index (switches, 5), TRUE);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 5), 1234);
  gtk_window_close (settings);

  params = cria_conversation_get_params (cria_window_get_conversation (f->window));
  g_assert_nonnull (params);
  g_assert_true (params->set & CRIA_CHAT_PARAM_TOP_P);
  g_assert_cmpfloat (params->top_p, ==, 0.5);
  g_assert_cmpint (params->seed, ==, 1234);
  g_assert_false (params->set & CRIA_CHAT_PARAM_TEMPERATURE);

  /* And they are saved with the conversation. */
  flush (f->store);
  cria_store_load_conversation_async (f->store, id, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  record = cria_store_load_conversation_finish (f->store, result, &messages, NULL);
  g_object_unref (result);
  g_assert_true (record->params->set & CRIA_CHAT_PARAM_SEED);
  g_assert_cmpint (record->params->seed, ==, 1234);
  g_assert_cmpfloat (record->params->top_p, ==, 0.5);
}

static gboolean
imported_open (Fixture       *f,
               gconstpointer  data)
{
  return cria_window_get_conversation (f->window) != NULL &&
         g_strcmp0 (cria_conversation_get_title (cria_window_get_conversation (f->window)), data) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->window))) == 2;
}

static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  static const char json[] =
    "{\"messages\": [{\"role\": \"user\", \"content\": \"Imported question\"},"
    " {\"role\": \"assistant\", \"content\": \"Imported answer\"}]}";
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CriaMessage) answer = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  path = g_build_filename (data_home, "import.json", NULL);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  file = g_file_new_for_path (path);

  /* What the file chooser's answer leads to: the conversation is saved and opened. */
  _cria_window_import_file (f->window, file);
  wait_until (imported_open, f, "Imported question");
  wait_until (row_shown, f, "Imported question");
  answer = g_list_model_get_item (G_LIST_MODEL (cria_window_get_conversation (f->window)), 1);
  g_assert_cmpstr (cria_message_get_content (answer), ==, "Imported answer");
  g_unlink (path);
}

static gboolean
folded (Fixture       *f,
        gconstpointer  data)
{
  return adw_flap_get_folded (_cria_window_get_flap (f->window)) == GPOINTER_TO_INT (data);
}

static void
test_narrow_folds (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  /* At the smallest width the sidebar folds away over the chat. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 600);
  wait_until (folded, f, GINT_TO_POINTER (TRUE));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 700);
  wait_until (folded, f, GINT_TO_POINTER (FALSE));
}

static gboolean
titled (Fixture       *f,
        gconstpointer  title)
{
  CriaConversationInfo *info;
  const char *id = _cria_window_history_get_id (f->window);

  info = id != NULL ? cria_conversation_list_find (f->list, id, NULL) : NULL;

  return g_strcmp0 (cria_conversation_get_title (cria_window_get_conversation (f->window)), title) == 0 &&
         info != NULL && g_strcmp0 (cria_conversation_info_get_title (info), title) == 0;
}

static void
test_model_title (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CriaFakeServer) server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *key = NULL;
  CriaFakeResponse *response;
  CriaClient *client = cria_application_get_client (app);
  static const char completion[] =
    "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"llama-3.1-8b\","
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Friendly Greetings\"},"
    "\"finish_reason\":\"stop\"}]}";

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  server = cria_fake_server_new ();
  key = cria_test_make_key ();
  cria_fake_server_set_api_key (server, key);
  g_assert_true (cria_client_set_base_url (client, cria_fake_server_get_base_url (server), NULL));
  cria_client_set_api_key (client, key);
  response = cria_fake_server_expect (server, "/v1/chat/completions");
  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  response = cria_fake_server_expect (server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "application/json", completion, -1);

  settings = g_settings_new ("io.github.cria.Cria");
  g_settings_set_boolean (settings, "write-titles", TRUE);
  cria_conversation_set_model_id (cria_window_get_conversation (f->window), "llama-3.1-8b");

  /* The first message's title at once, the model's after the answer. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (_cria_composer_get_text_view (_cria_window_get_composer (f->window))), "hi there, how are you?", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.send", NULL));
  g_assert_cmpstr (cria_conversation_get_title (cria_window_get_conversation (f->window)), ==, "hi there, how are you?");
  wait_until (titled, f, "Friendly Greetings");
  wait_until (row_shown, f, "Friendly Greetings");

  g_settings_reset (settings, "write-titles");
}

static void
test_group_labels (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 24, 15, 0, 0);
  struct {
    int         days_ago;
    int         hour;
    const char *label;
  } cases[] = {
    { 0, 1, "Today" },
    { 1, 23, "Yesterday" },
    { 1, 0, "Yesterday" },
    { 2, 12, "Previous 7 Days" },
    { 7, 0, "Previous 7 Days" },
    { 8, 12, "November 2026" },
    { 40, 12, "October 2026" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (now, -cases[i].days_ago);
      g_autoptr(GDateTime) then = g_date_time_new (utc, g_date_time_get_year (day), g_date_time_get_month (day),
                                                   g_date_time_get_day_of_month (day), cases[i].hour, 0, 0);
      g_autofree char *label = _cria_sidebar_group_label (g_date_time_to_unix (then) * G_USEC_PER_SEC, FALSE, now);

      g_assert_cmpstr (label, ==, cases[i].label);
    }

  {
    g_autofree char *pinned = _cria_sidebar_group_label (0, TRUE, now);

    g_assert_cmpstr (pinned, ==, "Pinned");
  }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A history of its own, before anything asks where the user's is. */
  data_home = g_dir_make_tmp ("cria-sidebar-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

  g_test_add_func ("/sidebar/group-labels", test_group_labels);
#define ADD(path, func) \
  g_test_add ("/sidebar/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("open-saved", test_open_saved);
  ADD ("rename", test_rename);
  ADD ("delete-and-undo", test_delete_and_undo);
  ADD ("search", test_search);
  ADD ("conversation-settings", test_conversation_settings);
  ADD ("import", test_import);
  ADD ("narrow-folds", test_narrow_folds);
  ADD ("model-title", test_model_title);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);

  return status;
}

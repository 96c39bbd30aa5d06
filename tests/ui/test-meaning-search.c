/* test-meaning-search.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search by meaning through the window: switched on in Preferences after
 * its cost is shown, then a query the words do not match finds the
 * conversation and opens it, with the fake LlamaGate's embeddings.
 */

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-preferences-window-private.h"
#include "cria-search-hit.h"
#include "cria-test-embed.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"nomic-embed-text\"}]}"

typedef struct
{
  CriaUiTestWindow    ui;
  CriaTestEmbedCounts counts;
  GSettings          *settings;
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

/* Saves a conversation of a question and an answer through the app's store. */
static char *
save_conversation (const char *title,
                   const char *question,
                   const char *answer)
{
  CriaStore *store = cria_application_get_store (app);
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = record->updated = g_get_real_time ();
  cria_store_save_conversation (store, record);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(CriaMessageRecord) message = cria_message_record_new ();

      message->id = g_uuid_string_random ();
      message->role = i == 0 ? CRIA_ROLE_USER : CRIA_ROLE_ASSISTANT;
      g_free (message->content);
      message->content = g_strdup (i == 0 ? question : answer);
      message->created = g_get_real_time ();
      cria_store_save_message (store, record->id, i, message);
    }
  flush (store);

  return g_strdup (record->id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->settings = g_settings_new ("io.github.cria.Cria");
  g_settings_reset (f->settings, "search-by-meaning");
  g_settings_reset (f->settings, "embedding-model");
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
  cria_test_embed_serve (f->ui.server, &f->counts);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  g_settings_reset (f->settings, "search-by-meaning");
  cria_ui_test_window_tear_down (&f->ui);
  flush (cria_application_get_store (app));
  g_clear_object (&f->settings);
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (out, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, out);
}

static CriaPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (CRIA_IS_PREFERENCES_WINDOW (window))
        return CRIA_PREFERENCES_WINDOW (window);
    }

  return NULL;
}

static gboolean
subtitle_has (Fixture       *f,
              gconstpointer  text)
{
  CriaPreferencesWindow *preferences = find_preferences ();
  const char *subtitle;

  if (preferences == NULL)
    return FALSE;
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (_cria_preferences_window_get_meaning_row (preferences)));

  return subtitle != NULL && strstr (subtitle, text) != NULL;
}

static gboolean
indexed (Fixture       *f,
         gconstpointer  data)
{
  CriaMeaning *meaning = cria_application_get_meaning (app);

  return !cria_meaning_get_indexing (meaning) && cria_meaning_get_n_pending (meaning) == 0;
}

static GtkSearchEntry *
search_entry (Fixture *f)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->ui.window)), GTK_TYPE_SEARCH_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);

  return g_ptr_array_index (entries, 0);
}

/* The list of search results, or NULL while none are shown. */
static GtkListView *
results_view (Fixture *f)
{
  g_autoptr(GPtrArray) views = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->ui.window)), GTK_TYPE_LIST_VIEW, views);
  for (guint i = 0; i < views->len; i++)
    {
      GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (g_ptr_array_index (views, i)));
      g_autoptr(GObject) first = model != NULL ? g_list_model_get_item (model, 0) : NULL;

      if (first != NULL && CRIA_IS_SEARCH_HIT (first) && gtk_widget_is_visible (g_ptr_array_index (views, i)))
        return g_ptr_array_index (views, i);
    }

  return NULL;
}

static GListModel *
results (Fixture *f)
{
  GtkListView *view = results_view (f);

  return view != NULL ? G_LIST_MODEL (gtk_list_view_get_model (view)) : NULL;
}

/* The position of the hit by meaning for conversation @id, or -1. */
static int
meaning_hit (Fixture    *f,
             const char *id)
{
  GListModel *model = results (f);

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (CRIA_IS_SEARCH_HIT (item) && cria_search_hit_get_by_meaning (CRIA_SEARCH_HIT (item)) &&
          g_strcmp0 (cria_search_hit_get_conversation_id (CRIA_SEARCH_HIT (item)), id) == 0)
        return i;
    }

  return -1;
}

static gboolean
meaning_hit_shown (Fixture       *f,
                   gconstpointer  id)
{
  return meaning_hit (f, id) >= 0;
}

/* The hits for conversation @id, by words and by meaning. */
static guint
n_hits_for (Fixture    *f,
            const char *id)
{
  GListModel *model = results (f);
  guint n = 0;

  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (CRIA_IS_SEARCH_HIT (item) && g_strcmp0 (cria_search_hit_get_conversation_id (CRIA_SEARCH_HIT (item)), id) == 0)
        n++;
    }

  return n;
}

static gboolean
word_hit_shown (Fixture       *f,
                gconstpointer  id)
{
  return n_hits_for (f, id) > 0;
}

static gboolean
label_shown (Fixture       *f,
             gconstpointer  text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect (GTK_WIDGET (_cria_window_get_sidebar (f->ui.window)), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_is_visible (g_ptr_array_index (labels, i)) &&
        g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      return TRUE;

  return FALSE;
}

static gboolean
conversation_open (Fixture       *f,
                   gconstpointer  id)
{
  return g_strcmp0 (_cria_window_history_get_id (f->ui.window), id) == 0;
}

static void
test_switch_on_and_find (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *heat = NULL;
  g_autofree char *bread = NULL;
  CriaPreferencesWindow *preferences;
  GtkSearchEntry *entry;
  int position;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  heat = save_conversation ("Noise at night", "My heat pump makes a loud hum at night",
                            "A heat pump that hums at night often has a worn fan motor.");
  bread = save_conversation ("Starter", "How do I feed my sourdough starter?",
                             "Feed the starter flour and water once a day.");

  /* Before it is on, Preferences says what it costs: the four messages not
   * embedded yet, their tokens and the price with the embedding model. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  wait_until (subtitle_has, f, "Indexes 4 messages once: about ");
  g_assert_true (subtitle_has (f, "≈ $"));
  g_assert_true (subtitle_has (f, "Nomic Embed Text"));
  g_assert_cmpuint (f->counts.n_requests, ==, 0);

  preferences = find_preferences ();
  gtk_switch_set_active (GTK_SWITCH (_cria_preferences_window_get_meaning_switch (preferences)), TRUE);
  g_assert_true (g_settings_get_boolean (f->settings, "search-by-meaning"));
  wait_until (indexed, f, NULL);
  wait_until (subtitle_has, f, "every message is indexed");
  g_assert_cmpuint (f->counts.n_inputs, ==, 4);
  gtk_window_destroy (GTK_WINDOW (preferences));

  /* No word of "heating pumps" is in the conversation as written; it is
   * found by meaning, under its own heading. */
  entry = search_entry (f);
  gtk_editable_set_text (GTK_EDITABLE (entry), "heating pumps");
  wait_until (meaning_hit_shown, f, heat);
  wait_until (label_shown, f, "Related");
  g_assert_cmpuint (n_hits_for (f, heat), ==, 1);

  /* Found by its words too, a conversation is listed once. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "starter flour");
  wait_until (word_hit_shown, f, bread);
  g_assert_cmpint (meaning_hit (f, bread), <, 0);

  /* Choosing the hit opens the conversation. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "heating pumps");
  wait_until (meaning_hit_shown, f, heat);
  position = meaning_hit (f, heat);
  g_signal_emit_by_name (results_view (f), "activate", position);
  wait_until (conversation_open, f, heat);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window))), ==, 2);

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
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
  data_home = g_dir_make_tmp ("cria-meaning-search-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;

  g_test_add ("/meaning-search/switch-on-and-find", Fixture, NULL, fixture_set_up, test_switch_on_and_find,
              fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);

  return status;
}

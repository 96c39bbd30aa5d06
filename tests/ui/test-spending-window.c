/* test-spending-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The spending window under Xvfb, opened as the user opens it (app.spending)
 * on a real store filled through its API with a history of known figures:
 * the totals, the models, the chart's bars as a screen reader and the
 * keyboard reach them, opening a conversation, the CSV export, an empty
 * history, a store that fails, 360 pixels wide, and a refresh after a save.
 */

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-format.h"
#include "cria-spending-chart-private.h"
#include "cria-spending-csv.h"
#include "cria-spending-periods.h"
#include "cria-spending-window-private.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-8b\"}]}"

/* One answer of the history: on the day @day days before today, at noon. */
typedef struct
{
  const char *conversation;
  int         day;
  const char *model;
  double      cost;
  gboolean    estimated;
  gint64      tokens_in;
  gint64      tokens_out;
} Answer;

/* Conversations: "lisbon" titled, "markup" titled with markup characters,
 * "untitled" without a title. Costs are exact in binary fractions of a
 * picodollar where it matters: sums are compared as formatted text. */
static const Answer history[] = {
  { "lisbon", 0, "llama-3.1-8b", 0.10, FALSE, 1000, 500 },
  { "lisbon", 0, "qwen3-8b", 0.02, FALSE, 200, 100 },
  { "lisbon", 1, "llama-3.1-8b", 0.06, TRUE, 300, 150 },
  { "markup", 3, "qwen3-8b", 0.30, FALSE, 400, 200 },
  /* No price: counted, costs nothing. */
  { "markup", 3, "llama-3.1-8b", -1, FALSE, 100, 80 },
  { "untitled", 40, "llama-3.1-8b", 1.00, FALSE, 2000, 1000 },
  { "untitled", 200, "qwen3-8b", 2.00, FALSE, 3000, 1500 },
};

typedef struct
{
  CriaUiTestWindow    ui;
  CriaSpendingWindow *spending;
  /* A spending window the test made itself, on a store of its own. */
  GtkWidget          *standalone;
  CriaStore          *other_store;
  char               *dir;
} Fixture;

static gboolean have_display;
static CriaApplication *app;
static char *data_home;
/* The saved ids of "lisbon", "markup" and "untitled". */
static GHashTable *conversation_ids;
/* Answers saved after the history (by the refresh test). */
static GArray *extra_answers;

static void
wait_until (gboolean (*condition) (Fixture *f, gconstpointer data),
            Fixture       *f,
            gconstpointer  data)
{
  g_assert_true (cria_ui_test_wait_full ((CriaUiTestCondition) condition, f, data, 30));
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

/* Local midnight starting the day @day days before today. */
static GDateTime *
day_start (int day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now), 0, 0, 0);

  return g_date_time_add_days (midnight, -day);
}

static gint64
answer_time (int day)
{
  g_autoptr(GDateTime) start = day_start (day);
  g_autoptr(GDateTime) noon = g_date_time_add_hours (start, 12);

  return g_date_time_to_unix (noon) * G_USEC_PER_SEC;
}

static CriaMessageRecord *
answer_record (const Answer *answer)
{
  CriaMessageRecord *record = cria_message_record_new ();

  record->id = g_uuid_string_random ();
  record->role = CRIA_ROLE_ASSISTANT;
  record->state = CRIA_MESSAGE_STATE_COMPLETE;
  record->model = g_strdup (answer->model);
  record->cost = answer->cost;
  record->estimated = answer->estimated;
  record->tokens_in = answer->tokens_in;
  record->tokens_out = answer->tokens_out;
  record->created = answer_time (answer->day);
  g_free (record->content);
  record->content = g_strdup ("An answer.");

  return record;
}

/* Saves every conversation of the history, each with a question before
 * each answer; "untitled" also holds an answer still streaming, which counts
 * for nothing. */
static void
save_history (CriaStore *store)
{
  static const char * const names[] = { "lisbon", "markup", "untitled" };
  static const char * const titles[] = { "Trip to Lisbon", "<b>Bold</b> & co", NULL };

  conversation_ids = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
      g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
      g_autoptr(GError) error = NULL;
      GAsyncResult *result = NULL;

      record->title = g_strdup (titles[c]);
      record->model = g_strdup ("llama-3.1-8b");
      record->created = answer_time (200);
      record->updated = answer_time (0);

      for (guint i = 0; i < G_N_ELEMENTS (history); i++)
        {
          CriaMessageRecord *question;

          if (!g_str_equal (history[i].conversation, names[c]))
            continue;

          question = cria_message_record_new ();
          question->id = g_uuid_string_random ();
          question->created = answer_time (history[i].day) - G_USEC_PER_SEC;
          g_ptr_array_add (messages, question);
          g_ptr_array_add (messages, answer_record (&history[i]));
        }

      if (g_str_equal (names[c], "untitled"))
        {
          Answer streaming = { "untitled", 0, "qwen3-8b", 5.0, FALSE, 10, 10 };
          CriaMessageRecord *answer = answer_record (&streaming);

          answer->state = CRIA_MESSAGE_STATE_STREAMING;
          g_ptr_array_add (messages, answer);
        }

      cria_store_import_async (store, record, messages, NULL, result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      cria_store_import_finish (store, result, &error);
      g_assert_no_error (error);
      g_object_unref (result);
      g_hash_table_insert (conversation_ids, (gpointer) names[c], g_strdup (record->id));
    }
  flush (store);
}

/* The figures of the answers saved on or after local midnight @since (µs). */
static void
expected_sum (gint64   since,
              double  *cost,
              gint64  *answers,
              gboolean *estimated,
              gint64  *unpriced)
{
  *cost = 0;
  *answers = *unpriced = 0;
  *estimated = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (history) + extra_answers->len; i++)
    {
      const Answer *answer = i < G_N_ELEMENTS (history) ? &history[i]
                                                        : &g_array_index (extra_answers, Answer, i - G_N_ELEMENTS (history));

      if (answer_time (answer->day) < since)
        continue;
      (*answers)++;
      if (answer->cost >= 0)
        *cost += answer->cost;
      else
        (*unpriced)++;
      *estimated |= answer->estimated;
    }
}

static char *
expected_amount (gint64 since)
{
  double cost;
  gint64 answers, unpriced;
  gboolean estimated;

  expected_sum (since, &cost, &answers, &estimated, &unpriced);

  return estimated ? cria_format_estimated_cost (cost) : cria_format_cost (cost);
}

static CriaSpendingWindow *
find_spending_window (void)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (CRIA_IS_SPENDING_WINDOW (l->data))
      return l->data;

  return NULL;
}

static gboolean
loaded (Fixture       *f,
        gconstpointer  data)
{
  return _cria_spending_window_get_n_loads (f->spending) >= GPOINTER_TO_UINT (data);
}

/* Opens the spending window as the main menu's item does, and waits for its
 * first figures. */
static void
open_spending (Fixture *f)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "spending", NULL);
  f->spending = find_spending_window ();
  g_assert_nonnull (f->spending);
  wait_until (loaded, f, GUINT_TO_POINTER (1));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
  f->dir = g_dir_make_tmp ("cria-spending-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  AdwMessageDialog *dialog;
  CriaSpendingWindow *spending;

  if (!have_display)
    return;

  while ((dialog = find_dialog ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  while ((spending = find_spending_window ()) != NULL)
    gtk_window_destroy (GTK_WINDOW (spending));
  if (f->standalone != NULL)
    gtk_window_destroy (GTK_WINDOW (f->standalone));
  f->spending = NULL;
  cria_ui_test_window_tear_down (&f->ui);
  g_clear_object (&f->other_store);
  remove_tree (f->dir);
  g_free (f->dir);
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (!have_display) { cria_ui_test_skip_no_display (); return; } } G_STMT_END

static const char *
visible_page (Fixture *f)
{
  return gtk_stack_get_visible_child_name (_cria_spending_window_get_stack (f->spending));
}

/* The header bar's Export… button, made insensitive with its action. */
static GtkWidget *
find_export_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "spending.export") == 0)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_export_button (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static const char *
total_text (Fixture           *f,
            CriaSpendingTotal  total)
{
  return gtk_label_get_text (_cria_spending_window_get_total_label (f->spending, total));
}

/* The chat window's main menu button. */
static GtkMenuButton *
find_main_menu (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_primary (GTK_MENU_BUTTON (widget)))
    return GTK_MENU_BUTTON (widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkMenuButton *found = find_main_menu (child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The main menu has the item, the action opens one window per application,
 * in front of the window it was asked from. */
static void
test_opens_once (Fixture       *f,
                 gconstpointer  data)
{
  GMenuModel *menu;
  gboolean found = FALSE;

  SKIP_WITHOUT_DISPLAY ();

  menu = gtk_menu_button_get_menu_model (find_main_menu (GTK_WIDGET (f->ui.window)));
  for (int s = 0; s < g_menu_model_get_n_items (menu) && !found; s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *action = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          found |= g_strcmp0 (action, "app.spending") == 0;
        }
    }
  g_assert_true (found);

  g_assert_null (find_spending_window ());
  open_spending (f);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->spending)) == GTK_WINDOW (f->ui.window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->spending)), ==, "Spending");
  g_assert_cmpstr (visible_page (f), ==, "figures");

  /* Asked again, the same window comes forward. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "spending", NULL);
  g_assert_true (find_spending_window () == f->spending);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    g_assert_true (l->data == (gpointer) f->spending || CRIA_IS_WINDOW (l->data));
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 2);
}

/* Today, this week, this month and all time: the sums of the answers saved
 * in each, estimates marked, answers without a price said. */
static void
test_totals (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) today = day_start (0);
  gint64 today_start = g_date_time_to_unix (today) * G_USEC_PER_SEC;
  g_autofree char *expected_today = NULL;
  g_autofree char *expected_week = NULL;
  g_autofree char *expected_month = NULL;
  g_autofree char *expected_all = NULL;
  const char *detail;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);

  expected_today = expected_amount (today_start);
  expected_week = expected_amount (cria_spending_week_start (today, cria_spending_first_weekday ()));
  expected_month = expected_amount (cria_spending_month_start (today));
  expected_all = expected_amount (G_MININT64);

  g_assert_cmpstr (total_text (f, CRIA_SPENDING_TODAY), ==, expected_today);
  g_assert_cmpstr (total_text (f, CRIA_SPENDING_THIS_WEEK), ==, expected_week);
  g_assert_cmpstr (total_text (f, CRIA_SPENDING_THIS_MONTH), ==, expected_month);
  g_assert_cmpstr (total_text (f, CRIA_SPENDING_ALL_TIME), ==, expected_all);
  /* Seven answers, one of them estimated, one without a price: $3.48 in all. */
  g_assert_cmpstr (expected_all, ==, "≈ $3.48");
  g_assert_cmpstr (expected_today, ==, "$0.12");

  detail = gtk_label_get_text (_cria_spending_window_get_total_detail (f->spending, CRIA_SPENDING_ALL_TIME));
  g_assert_cmpstr (detail, ==, "7 answers\n1 answer estimated\n1 answer without a price");
  detail = gtk_label_get_text (_cria_spending_window_get_total_detail (f->spending, CRIA_SPENDING_TODAY));
  g_assert_cmpstr (detail, ==, "2 answers");
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (_cria_spending_window_get_total_label (f->spending,
                                                                                                      CRIA_SPENDING_ALL_TIME))));
}

/* Every label of @row, one per line. */
static char *
row_text (GtkWidget *row)
{
  GString *out = g_string_new (NULL);

  cria_ui_test_collect_text (row, out);
  return g_string_free (out, FALSE);
}

/* The rows per model for the days shown: names from the catalogue, costs
 * and figures in words, the most expensive first; 90 days take in more. */
static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  GtkListBox *models;
  AdwPreferencesRow *row;
  g_autofree char *text = NULL;
  g_autofree char *figures = NULL;
  g_autofree char *tokens_in = cria_format_tokens (1400);
  g_autofree char *tokens_out = cria_format_tokens (730);

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  models = _cria_spending_window_get_models (f->spending);

  /* Last 30 days: Qwen 3 8B $0.32, then Llama 3.1 8B ≈ $0.16. */
  row = ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (models, 0));
  g_assert_false (adw_preferences_row_get_use_markup (row));
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==, "Qwen 3 8B");
  text = row_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "$0.32"));
  g_assert_nonnull (strstr (text, "2 answers · 600 tokens in · 300 tokens out · $0.16 per answer"));
  g_clear_pointer (&text, g_free);

  row = ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (models, 1));
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==, "Llama 3.1 8B");
  text = row_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "≈ $0.16"));
  /* Three answers, one without a price: the average is over the other two. */
  figures = g_strdup_printf ("3 answers · %s tokens in · %s tokens out · ≈ $0.08 per answer", tokens_in, tokens_out);
  g_assert_nonnull (strstr (text, figures));
  g_assert_nonnull (strstr (text, "1 answer without a price"));
  g_clear_pointer (&text, g_free);
  g_assert_null (gtk_list_box_get_row_at_index (models, 2));
  g_assert_cmpuint (_cria_spending_chart_get_n_bars (_cria_spending_window_get_chart (f->spending)), ==, 30);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_prev_sibling (GTK_WIDGET (models)))), ==,
                   "By Model, Last 30 Days");

  /* The last 90 days take in the answer of 40 days ago. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->spending), "spending.days", "i", 90));
  g_assert_cmpuint (cria_spending_window_get_n_days (f->spending), ==, 90);
  g_assert_cmpuint (_cria_spending_chart_get_n_bars (_cria_spending_window_get_chart (f->spending)), ==, 90);
  row = ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (models, 0));
  g_assert_cmpstr (adw_preferences_row_get_title (row), ==, "Llama 3.1 8B");
  text = row_text (GTK_WIDGET (row));
  g_assert_nonnull (strstr (text, "≈ $1.16"));
  g_assert_nonnull (strstr (text, "4 answers"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (gtk_widget_get_prev_sibling (GTK_WIDGET (models)))), ==,
                   "By Model, Last 90 Days");
}

static char *
day_name (int day)
{
  g_autoptr(GDateTime) start = day_start (day);

  return g_date_time_format (start, "%-d %B");
}

/* Each day is a bar a screen reader names by the day's figures, and so
 * does its tooltip; the legend names the models by their colours. */
static void
test_bar_labels (Fixture       *f,
                 gconstpointer  data)
{
  CriaSpendingChart *chart;
  guint n;
  g_autofree char *today = day_name (0);
  g_autofree char *yesterday = day_name (1);
  g_autofree char *three_ago = day_name (3);
  g_autofree char *two_ago = day_name (2);
  g_autofree char *expected = NULL;
  g_autofree char *legend = NULL;
  char *error;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  chart = _cria_spending_window_get_chart (f->spending);
  n = _cria_spending_chart_get_n_bars (chart);
  g_assert_cmpuint (n, ==, 30);

  expected = g_strdup_printf ("%s: $0.12 — Llama 3.1 8B $0.10, Qwen 3 8B $0.02", today);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (_cria_spending_chart_get_bar (chart, n - 1)),
                                               GTK_ACCESSIBLE_ROLE_IMG));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (_cria_spending_chart_get_bar (chart, n - 1)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (error);
  g_assert_cmpstr (cria_spending_bar_get_label (_cria_spending_chart_get_bar (chart, n - 1)), ==, expected);
  g_clear_pointer (&expected, g_free);

  /* An estimate is marked as one. */
  expected = g_strdup_printf ("%s: ≈ $0.06 — Llama 3.1 8B ≈ $0.06", yesterday);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (_cria_spending_chart_get_bar (chart, n - 2)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (error);
  g_clear_pointer (&expected, g_free);

  expected = g_strdup_printf ("%s: $0.00", two_ago);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (_cria_spending_chart_get_bar (chart, n - 3)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (error);
  g_clear_pointer (&expected, g_free);

  /* Answers without a price are said. */
  expected = g_strdup_printf ("%s: $0.30 — Qwen 3 8B $0.30, Llama 3.1 8B (1 answer without a price)", three_ago);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (_cria_spending_chart_get_bar (chart, n - 4)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (error);

  /* Stacked by model: the most expensive model over the days shown first. */
  g_assert_cmpfloat_with_epsilon (cria_spending_bar_get_value (_cria_spending_chart_get_bar (chart, n - 1), 0),
                                  0.02, 1e-9);
  g_assert_cmpfloat_with_epsilon (cria_spending_bar_get_value (_cria_spending_chart_get_bar (chart, n - 1), 1),
                                  0.10, 1e-9);
  legend = _cria_spending_chart_dup_legend (chart);
  g_assert_cmpstr (legend, ==, "Qwen 3 8B\nLlama 3.1 8B\n");
  /* The top of the scale is a round figure over the most expensive day. */
  g_assert_cmpstr (gtk_label_get_text (_cria_spending_chart_get_max_label (chart)), ==, "$0.50");
}

/* Presses @keyval on @widget the way its class's key bindings take it. */
static void
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  gboolean pressed = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !pressed; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !pressed; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            pressed = gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                    gtk_shortcut_get_arguments (shortcut));
        }
    }

  g_assert_true (pressed);
}

/* The keyboard reaches one bar at a time; Left and Right move between days
 * and the caption under the chart follows. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  CriaSpendingChart *chart;
  GtkLabel *caption;
  CriaSpendingBar *today, *yesterday;
  guint n;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  chart = _cria_spending_window_get_chart (f->spending);
  caption = _cria_spending_chart_get_caption (chart);
  n = _cria_spending_chart_get_n_bars (chart);
  today = _cria_spending_chart_get_bar (chart, n - 1);
  yesterday = _cria_spending_chart_get_bar (chart, n - 2);

  /* Tab reaches the newest day only, not every bar. */
  for (guint i = 0; i < n; i++)
    g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (_cria_spending_chart_get_bar (chart, i))) == (i == n - 1));
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (chart)));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->spending)) == GTK_WIDGET (today));
  g_assert_cmpstr (gtk_label_get_text (caption), ==, cria_spending_bar_get_label (today));

  press_key (GTK_WIDGET (chart), GDK_KEY_Left);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->spending)) == GTK_WIDGET (yesterday));
  g_assert_cmpstr (gtk_label_get_text (caption), ==, cria_spending_bar_get_label (yesterday));
  g_assert_cmpint (cria_spending_chart_get_focused_day (chart), ==, n - 2);
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (yesterday)));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (today)));

  press_key (GTK_WIDGET (chart), GDK_KEY_Right);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->spending)) == GTK_WIDGET (today));
  g_assert_cmpstr (gtk_label_get_text (caption), ==, cria_spending_bar_get_label (today));

  /* Right on the newest day stays there; Home goes to the oldest. */
  press_key (GTK_WIDGET (chart), GDK_KEY_Right);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->spending)) == GTK_WIDGET (today));
  press_key (GTK_WIDGET (chart), GDK_KEY_Home);
  g_assert_cmpint (cria_spending_chart_get_focused_day (chart), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (caption), ==,
                   cria_spending_bar_get_label (_cria_spending_chart_get_bar (chart, 0)));
}

static GtkWidget *
find_conversation_row (Fixture    *f,
                       const char *title)
{
  GtkListBox *list = _cria_spending_window_get_conversations (f->spending);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      return GTK_WIDGET (row);

  return NULL;
}

static gboolean
conversation_open (Fixture       *f,
                   gconstpointer  data)
{
  return g_strcmp0 (_cria_window_history_get_id (f->ui.window), data) == 0;
}

/* The most expensive conversations, titles as plain text; activating one
 * opens it in the chat window. */
static void
test_open_conversation (Fixture       *f,
                        gconstpointer  data)
{
  GtkListBox *list;
  GtkWidget *row;
  const char *id = g_hash_table_lookup (conversation_ids, "lisbon");
  g_autofree char *text = NULL;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  list = _cria_spending_window_get_conversations (f->spending);

  /* Most expensive first, an untitled one said so, markup shown as typed. */
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (gtk_list_box_get_row_at_index (list, 0))),
                   ==, "Untitled");
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "<b>Bold</b> & co");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));
  g_assert_null (gtk_list_box_get_row_at_index (list, 3));

  row = find_conversation_row (f, "Trip to Lisbon");
  g_assert_nonnull (row);
  text = row_text (row);
  g_assert_nonnull (strstr (text, "≈ $0.18"));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));

  g_assert_cmpstr (_cria_window_history_get_id (f->ui.window), !=, id);
  g_assert_true (gtk_widget_activate (row));
  wait_until (conversation_open, f, id);
  g_assert_cmpstr (cria_conversation_get_title (cria_window_get_conversation (f->ui.window)), ==, "Trip to Lisbon");
}

static gboolean
exported (Fixture       *f,
          gconstpointer  data)
{
  return _cria_spending_window_get_n_exports (f->spending) >= GPOINTER_TO_UINT (data);
}

/* What the core writes for the last @n_days days, asked of the store
 * directly. */
static char *
core_csv (guint n_days,
          gsize *length)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *edges = NULL;
  CriaStore *store = cria_application_get_store (app);
  GAsyncResult *result = NULL;
  guint n_edges;

  edges = cria_spending_day_edges (now, n_days, &n_edges);
  cria_store_spending_async (store, edges, n_edges, 0, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  spending = cria_store_spending_finish (store, result, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return cria_spending_to_csv (spending, zone, length);
}

static void
assert_export (Fixture    *f,
               const char *name,
               guint       n_days)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *written = NULL;
  g_autofree char *expected = NULL;
  gsize written_length, expected_length;
  guint n_exports = _cria_spending_window_get_n_exports (f->spending);
  GStatBuf buf;

  _cria_spending_window_export_file (f->spending, file);
  wait_until (exported, f, GUINT_TO_POINTER (n_exports + 1));
  g_assert_null (find_dialog ());
  g_assert_true (g_file_get_contents (path, &written, &written_length, NULL));
  expected = core_csv (n_days, &expected_length);
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpuint (written_length, ==, expected_length);
  /* As private as the history. */
  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  g_assert_cmpint (buf.st_mode & 0777, ==, 0600);
}

/* The export writes the days shown, as the core's CSV table has them. */
static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  g_assert_true (gtk_widget_get_sensitive (find_export_button (GTK_WIDGET (f->spending))));
  assert_export (f, "30.csv", 30);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->spending), "spending.days", "i", 90));
  assert_export (f, "90.csv", 90);
}

static gboolean
dialog_shown (Fixture       *f,
              gconstpointer  data)
{
  return find_dialog () != NULL;
}

/* A file that cannot be written says why. */
static void
test_export_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "no-such-folder", "spending.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AdwMessageDialog *dialog;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  g_assert_null (find_dialog ());
  _cria_spending_window_export_file (f->spending, file);
  wait_until (dialog_shown, f, NULL);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Export the Spending");
  g_assert_false (adw_message_dialog_get_body_use_markup (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "No such file or directory"));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->spending));
}

/* A history without answers shows a status page, and nothing to export. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *path = NULL;

  SKIP_WITHOUT_DISPLAY ();

  path = g_build_filename (f->dir, "empty.db", NULL);
  f->other_store = cria_store_new (path);
  f->standalone = cria_spending_window_new (NULL, f->other_store);
  f->spending = CRIA_SPENDING_WINDOW (f->standalone);
  gtk_window_present (GTK_WINDOW (f->spending));
  wait_until (loaded, f, GUINT_TO_POINTER (1));
  g_assert_cmpstr (visible_page (f), ==, "empty");
  g_assert_false (gtk_widget_get_sensitive (find_export_button (GTK_WIDGET (f->spending))));
}

/* A store that fails says so, with the reason, and can be asked again. */
static void
test_store_error (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *blocker = NULL;
  g_autofree char *path = NULL;
  const char *description;

  SKIP_WITHOUT_DISPLAY ();

  /* The database's folder is a file: no history can be made there. */
  blocker = g_build_filename (f->dir, "not-a-folder", NULL);
  g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
  path = g_build_filename (blocker, "cria.db", NULL);
  f->other_store = cria_store_new (path);
  f->standalone = cria_spending_window_new (NULL, f->other_store);
  f->spending = CRIA_SPENDING_WINDOW (f->standalone);
  gtk_window_present (GTK_WINDOW (f->spending));
  wait_until (loaded, f, GUINT_TO_POINTER (1));
  g_assert_cmpstr (visible_page (f), ==, "error");
  description = adw_status_page_get_description (_cria_spending_window_get_error_page (f->spending));
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, "history"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->spending), "spending.refresh", NULL));
  wait_until (loaded, f, GUINT_TO_POINTER (2));
  g_assert_cmpstr (visible_page (f), ==, "error");
}

static void
phone_size_cb (GtkApplication *application,
               GtkWindow      *window)
{
  if (CRIA_IS_SPENDING_WINDOW (window))
    gtk_window_set_default_size (window, 360, 640);
}

/* At 360 pixels everything fits, ninety bars included, without a warning
 * (warnings are fatal in tests). */
static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  CriaSpendingChart *chart;
  int total = 0, minimum;
  gulong handler;
  guint n;

  SKIP_WITHOUT_DISPLAY ();

  /* The window comes up phone-sized, as on a phone. */
  handler = g_signal_connect (app, "window-added", G_CALLBACK (phone_size_cb), NULL);
  open_spending (f);
  g_signal_handler_disconnect (app, handler);
  cria_ui_test_settle (GTK_WIDGET (f->spending));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->spending)), <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->spending)), >, 300);

  /* Ninety bars: the window still fits in 360 pixels and lays out in them. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->spending), "spending.days", "i", 90));
  gtk_widget_measure (GTK_WIDGET (f->spending), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_assert_cmpint (minimum, <=, 360);
  cria_ui_test_settle (GTK_WIDGET (f->spending));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->spending)), <=, 360);

  chart = _cria_spending_window_get_chart (f->spending);
  n = _cria_spending_chart_get_n_bars (chart);
  g_assert_cmpuint (n, ==, 90);
  for (guint i = 0; i < n; i++)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (_cria_spending_chart_get_bar (chart, i)));

      g_assert_cmpint (width, >=, 2);
      total += width;
    }
  /* The bars tile the chart's content, inside its padding. */
  g_assert_cmpint (total, ==, gtk_widget_get_width (GTK_WIDGET (chart)));
  g_assert_cmpint (total, <, 360 - 2 * 12);

  /* Drawn in the dark style too. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cria_ui_test_settle (GTK_WIDGET (f->spending));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  cria_ui_test_settle (GTK_WIDGET (f->spending));
}

static gboolean
today_reads (Fixture       *f,
             gconstpointer  data)
{
  return g_strcmp0 (total_text (f, CRIA_SPENDING_TODAY), data) == 0;
}

/* An answer saved while the window is open shows in its figures. */
static void
test_refresh (Fixture       *f,
              gconstpointer  data)
{
  CriaStore *store = cria_application_get_store (app);
  Answer answer = { "lisbon", 0, "qwen3-8b", 0.25, FALSE, 100, 50 };
  g_autoptr(CriaMessageRecord) record = answer_record (&answer);
  g_autoptr(GDateTime) today = day_start (0);
  g_autofree char *expected = NULL;
  guint loads;

  SKIP_WITHOUT_DISPLAY ();

  open_spending (f);
  g_assert_cmpstr (total_text (f, CRIA_SPENDING_TODAY), ==, "$0.12");
  loads = _cria_spending_window_get_n_loads (f->spending);

  expected = expected_amount (g_date_time_to_unix (today) * G_USEC_PER_SEC);
  g_assert_cmpstr (expected, ==, "$0.12");
  cria_store_save_message (store, g_hash_table_lookup (conversation_ids, "lisbon"), 100, record);
  g_array_append_val (extra_answers, answer);
  g_clear_pointer (&expected, g_free);
  expected = expected_amount (g_date_time_to_unix (today) * G_USEC_PER_SEC);
  g_assert_cmpstr (expected, ==, "$0.37");

  /* The store says the conversation changed; the window asks again. */
  wait_until (today_reads, f, expected);
  g_assert_cmpuint (_cria_spending_window_get_n_loads (f->spending), >, loads);
  g_assert_cmpstr (total_text (f, CRIA_SPENDING_TODAY), ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A history of its own, before anything asks where the user's is. */
  data_home = g_dir_make_tmp ("cria-spending-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  app = cria_ui_test_init (&argc, &argv);
  have_display = app != NULL;
  extra_answers = g_array_new (FALSE, FALSE, sizeof (Answer));
  if (have_display)
    save_history (cria_application_get_store (app));

#define ADD(path, func) \
  g_test_add ("/spending/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("opens-once", test_opens_once);
  ADD ("totals", test_totals);
  ADD ("models", test_models);
  ADD ("bar-labels", test_bar_labels);
  ADD ("keyboard", test_keyboard);
  ADD ("open-conversation", test_open_conversation);
  ADD ("export", test_export);
  ADD ("export-error", test_export_error);
  ADD ("empty", test_empty);
  ADD ("store-error", test_store_error);
  ADD ("narrow", test_narrow);
  ADD ("refresh", test_refresh);
#undef ADD

  status = g_test_run ();
  g_clear_pointer (&conversation_ids, g_hash_table_unref);
  g_array_unref (extra_answers);
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);

  return status;
}

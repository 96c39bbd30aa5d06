/* test-budget.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monthly budget through the window, against a history of its own that
 * holds known spending for this month: the cost label's share, the banner
 * and the desktop notification at 80 % and 100 % (once a month), and the
 * question before the first send of the day over the budget.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "cria-application.h"
#include "cria-attachment.h"
#include "cria-budget-banner-private.h"
#include "cria-budget-private.h"
#include "cria-format.h"
#include "cria-test-images.h"
#include "cria-test-util.h"
#include "cria-ui-test.h"
#include "cria-window-private.h"

/* What the fake LlamaGate lists: a model that sees images too. */
#define MODELS_JSON "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"},{\"id\":\"qwen3-vl-8b\"}]}"
#define MODEL "llama-3.1-8b"
#define VISION_MODEL "qwen3-vl-8b"

typedef struct
{
  CriaUiTestWindow  ui;
  CriaStore        *store;
  CriaBudget       *budget;
  GSettings        *settings;
  /* Conversations this test saved, to delete afterwards. */
  GPtrArray        *ids;
  guint             n_spending_activated;
  double            expected_month_cost;
} Fixture;

static gboolean have_display;
static CriaApplication *app;
static char *data_home;

/* Waiting: the main context runs until the condition holds, woken by what
 * happens (a store answer, a D-Bus message, a frame); the ceiling only ends
 * a hung test. */

typedef gboolean (*Condition) (Fixture *f);

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition  condition,
            Fixture   *f)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (!condition (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  return *slot;
}

static void
flush (CriaStore *store)
{
  GAsyncResult *result = NULL;

  cria_store_flush_async (store, NULL, result_cb, &result);
  g_assert_true (cria_store_flush_finish (store, wait_for_result (&result), NULL));
  g_object_unref (result);
}

static gboolean
budget_settled (Fixture *f)
{
  return !_cria_budget_get_querying (f->budget);
}

/* Every write is announced and the budget has counted it. */
static void
settle (Fixture *f)
{
  flush (f->store);
  wait_until (budget_settled, f);
}

/* A conversation with an answer that cost @cost, saved as the recorder
 * saves one: through the store, given now. */
static void
save_spending (Fixture  *f,
               double    cost,
               gboolean  estimated)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(CriaMessageRecord) question = cria_message_record_new ();
  g_autoptr(CriaMessageRecord) answer = cria_message_record_new ();

  record->title = g_strdup ("Earlier this month");
  record->model = g_strdup (MODEL);
  record->created = record->updated = g_get_real_time ();
  cria_store_save_conversation (f->store, record);

  question->id = g_uuid_string_random ();
  question->role = CRIA_ROLE_USER;
  g_free (question->content);
  question->content = g_strdup ("A question");
  question->created = g_get_real_time ();
  cria_store_save_message (f->store, record->id, 0, question);

  answer->id = g_uuid_string_random ();
  answer->role = CRIA_ROLE_ASSISTANT;
  g_free (answer->content);
  answer->content = g_strdup ("An answer");
  answer->state = CRIA_MESSAGE_STATE_COMPLETE;
  answer->model = g_strdup (MODEL);
  answer->tokens_in = 1000;
  answer->tokens_out = 500;
  answer->estimated = estimated;
  answer->cost = cost;
  answer->created = g_get_real_time ();
  cria_store_save_message (f->store, record->id, 1, answer);

  g_ptr_array_add (f->ids, g_strdup (record->id));
}

static void
delete_conversation (CriaStore  *store,
                     const char *id)
{
  GAsyncResult *result = NULL;
  g_autoptr(CriaConversationRecord) deleted = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  cria_store_delete_conversation_async (store, id, NULL, result_cb, &result);
  deleted = cria_store_delete_conversation_finish (store, wait_for_result (&result), &messages, NULL);
  g_object_unref (result);
}

/* The history starts each test empty: what the windows sent is deleted too. */
static void
clear_history (CriaStore *store)
{
  GAsyncResult *result = NULL;
  g_autoptr(GPtrArray) records = NULL;

  cria_store_list_conversations_async (store, NULL, result_cb, &result);
  records = cria_store_list_conversations_finish (store, wait_for_result (&result), NULL);
  g_object_unref (result);
  g_assert_nonnull (records);
  for (guint i = 0; i < records->len; i++)
    delete_conversation (store, ((CriaConversationRecord *) g_ptr_array_index (records, i))->id);
  flush (store);
}

static char *
dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static char *
dup_this_month (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m");
}

static void
reset_budget_settings (GSettings *settings)
{
  g_settings_reset (settings, "monthly-budget");
  g_settings_reset (settings, "budget-warned-near");
  g_settings_reset (settings, "budget-warned-over");
  g_settings_reset (settings, "budget-asked-day");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  if (!have_display)
    return;

  f->ids = g_ptr_array_new_with_free_func (g_free);
  f->settings = g_settings_new (APPLICATION_ID);
  reset_budget_settings (f->settings);
  f->store = g_object_ref (cria_application_get_store (app));
  f->budget = g_object_ref (cria_application_get_budget (app));
  clear_history (f->store);
  cria_ui_test_notifications_clear ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  cria_ui_test_window_tear_down (&f->ui);
  reset_budget_settings (f->settings);
  settle (f);
  clear_history (f->store);
  g_clear_pointer (&f->ids, g_ptr_array_unref);
  g_clear_object (&f->settings);
  g_clear_object (&f->budget);
  g_clear_object (&f->store);
}

static void
open_window (Fixture *f)
{
  cria_ui_test_window_set_up (&f->ui, app, MODELS_JSON);
}

static CriaBudgetBanner *
banner (Fixture *f)
{
  return _cria_window_get_budget_banner (f->ui.window);
}

static gboolean
banner_near (Fixture *f)
{
  return cria_budget_banner_get_level (banner (f)) == CRIA_BUDGET_LEVEL_NEAR;
}

static gboolean
banner_over (Fixture *f)
{
  return cria_budget_banner_get_level (banner (f)) == CRIA_BUDGET_LEVEL_OVER;
}

static gboolean
banner_hidden (Fixture *f)
{
  return cria_budget_banner_get_level (banner (f)) == CRIA_BUDGET_LEVEL_NONE &&
         !gtk_revealer_get_reveal_child (_cria_budget_banner_get_revealer (banner (f)));
}

/* The budget's notifications: an answer that finishes while a dialog had
 * the focus has one of its own. */
static guint
n_budget_notifications (void)
{
  GPtrArray *sent = cria_ui_test_notifications_get ();
  guint n = 0;

  for (guint i = 0; i < sent->len; i++)
    {
      CriaUiTestNotification *notification = g_ptr_array_index (sent, i);

      if (strstr (notification->summary, "Budget") != NULL)
        n++;
    }

  return n;
}

static gboolean
got_notification (Fixture *f)
{
  return n_budget_notifications () > 0;
}

static gboolean
got_two_notifications (Fixture *f)
{
  return n_budget_notifications () > 1;
}

static gboolean
not_busy (Fixture *f)
{
  return !cria_conversation_get_busy (cria_window_get_conversation (f->ui.window));
}

static gboolean
window_active (Fixture *f)
{
  return gtk_window_is_active (GTK_WINDOW (f->ui.window));
}

static gboolean
window_inactive (Fixture *f)
{
  return !gtk_window_is_active (GTK_WINDOW (f->ui.window));
}

static CriaUiTestNotification *
notification_at (guint position)
{
  GPtrArray *sent = cria_ui_test_notifications_get ();

  g_assert_cmpuint (position, <, sent->len);
  return g_ptr_array_index (sent, position);
}

static char *
format_cost (double cost)
{
  char *text = cria_format_cost (cost);

  g_assert_nonnull (text);
  return text;
}

static CriaComposer *
composer (Fixture *f)
{
  return _cria_window_get_composer (f->ui.window);
}

static char *
composer_text (Fixture *f)
{
  return cria_composer_dup_text (composer (f));
}

static void
expect_answer (Fixture *f)
{
  CriaFakeResponse *response = cria_fake_server_expect (f->ui.server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
}

static guint
n_chat_requests (Fixture *f)
{
  GPtrArray *requests = cria_fake_server_get_requests (f->ui.server);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      CriaFakeRequest *request = g_ptr_array_index (requests, i);

      if (g_str_equal (request->path, "/v1/chat/completions"))
        n++;
    }

  return n;
}

static char *
last_request_body (Fixture *f)
{
  CriaFakeRequest *request = cria_fake_server_get_last_request (f->ui.server);
  const char *data;
  gsize size;

  g_assert_nonnull (request);
  data = g_bytes_get_data (request->body, &size);

  return g_strndup (data, size);
}

static guint
n_messages (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cria_window_get_conversation (f->ui.window)));
}

static gboolean
attachments_ready (Fixture *f)
{
  GListModel *attachments = _cria_composer_get_attachments (composer (f));

  for (guint i = 0; i < g_list_model_get_n_items (attachments); i++)
    {
      g_autoptr(CriaAttachment) attachment = g_list_model_get_item (attachments, i);

      if (cria_attachment_get_state (attachment) != CRIA_ATTACHMENT_STATE_READY)
        return FALSE;
    }

  return TRUE;
}

/* A picture in the composer, ready to go, with a vision model chosen. */
static void
attach_picture (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cria-budget-image-XXXXXX", &error);
  g_autoptr(GdkPixbuf) pixbuf = cria_test_halves_pixbuf (40, 30, 0xff0000ff, 0x0000ffff, FALSE);
  g_autoptr(GBytes) png = cria_test_encode (pixbuf, "png");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GSList) files = NULL;

  g_assert_no_error (error);
  file = cria_test_write_file (dir, "halves.png", png);
  files = g_slist_append (NULL, file);
  cria_conversation_set_model_id (cria_window_get_conversation (f->ui.window), VISION_MODEL);
  cria_composer_attach_files (composer (f), files);
  wait_until (attachments_ready, f);
  g_assert_cmpuint (g_list_model_get_n_items (_cria_composer_get_attachments (composer (f))), ==, 1);

  g_file_delete (file, NULL, NULL);
  g_rmdir (dir);
}

static void
type_and_send (Fixture    *f,
               const char *text)
{
  cria_ui_test_type_and_send (f->ui.window, text);
}

/* The limit that puts this month's spending at @share of it. */
static void
set_budget (Fixture *f,
            double   limit)
{
  g_settings_set_double (f->settings, "monthly-budget", limit);
  g_assert_cmpfloat (cria_budget_get_limit (f->budget), ==, limit);
  settle (f);
}

/* Tests */

static void
test_off (Fixture       *f,
          gconstpointer  data)
{
  GtkLabel *label;
  g_autofree char *expected = NULL;
  double cost;
  guint n_queries;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  n_queries = _cria_budget_get_n_queries (f->budget);
  save_spending (f, 4.5, FALSE);
  open_window (f);
  settle (f);

  /* No budget: nothing counted, nothing said. */
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, n_queries);
  label = _cria_window_get_cost_label (f->ui.window);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_true (banner_hidden (f));

  /* The conversation's cost, as it always was. */
  expect_answer (f);
  type_and_send (f, "Say hello");
  wait_until (not_busy, f);
  cost = cria_conversation_get_total_cost (cria_window_get_conversation (f->ui.window));
  g_assert_cmpfloat (cost, >, 0);
  expected = format_cost (cost);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, "Cost of this conversation");
  g_assert_true (banner_hidden (f));
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  settle (f);
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, n_queries);

  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 0);
}

static void
spending_activated_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       Fixture       *f)
{
  f->n_spending_activated++;
}

static void
test_near (Fixture       *f,
           gconstpointer  data)
{
  CriaUiTestNotification *notification;
  GtkWidget *show_spending;
  GtkWidget *other;
  const char *text;
  g_autofree char *month = dup_this_month ();
  g_autofree char *warned = NULL;
  g_autoptr(GSimpleAction) spending = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  save_spending (f, 4.2, FALSE);
  open_window (f);
  settle (f);
  g_assert_true (banner_hidden (f));

  /* A budget of $5.00: $4.20 is 84 % of it. */
  set_budget (f, 5.0);
  wait_until (banner_near, f);
  g_assert_true (gtk_revealer_get_reveal_child (_cria_budget_banner_get_revealer (banner (f))));
  text = gtk_label_get_text (_cria_budget_banner_get_label (banner (f)));
  g_assert_cmpstr (text, ==, "84 % of this month’s budget is spent: $4.20 of $5.00.");

  /* The desktop is told once, with the figures. */
  wait_until (got_notification, f);
  notification = notification_at (0);
  g_assert_cmpstr (notification->summary, ==, "Most of This Month’s Budget Is Spent");
  g_assert_cmpstr (notification->body, ==, "$4.20 of $5.00 spent this month");
  g_assert_cmpstr (notification->desktop_entry, ==, APPLICATION_ID);
  warned = g_settings_get_string (f->settings, "budget-warned-near");
  g_assert_cmpstr (warned, ==, month);

  /* The banner offers the Spending window. */
  show_spending = _cria_budget_banner_get_spending_button (banner (f));
  g_assert_true (gtk_widget_get_visible (show_spending));

  /* Under budget, nothing asks before sending. */
  expect_answer (f);
  type_and_send (f, "Still under");
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);

  /* Dismissed, it goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner (f)), "budget-banner.dismiss", NULL));
  g_assert_true (banner_hidden (f));

  /* Without a Spending window, no button for it. */
  g_action_map_remove_action (G_ACTION_MAP (app), "spending");
  cria_window_warn_budget (f->ui.window, CRIA_BUDGET_LEVEL_NEAR);
  g_assert_true (banner_near (f));
  g_assert_false (gtk_widget_get_visible (show_spending));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (banner (f)), "budget-banner.dismiss", NULL));
  g_assert_true (banner_hidden (f));

  /* With one, the button opens it. */
  spending = g_simple_action_new ("spending", NULL);
  g_signal_connect (spending, "activate", G_CALLBACK (spending_activated_cb), f);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (spending));
  cria_window_warn_budget (f->ui.window, CRIA_BUDGET_LEVEL_NEAR);
  g_assert_true (banner_near (f));
  g_assert_true (gtk_widget_get_visible (show_spending));
  g_signal_emit_by_name (show_spending, "clicked");
  g_assert_cmpuint (f->n_spending_activated, ==, 1);
  g_action_map_remove_action (G_ACTION_MAP (app), "spending");

  /* Clicking the notification brings the window back to the front. */
  other = gtk_window_new ();
  gtk_window_present (GTK_WINDOW (other));
  wait_until (window_inactive, f);
  cria_ui_test_notifications_click (notification->id);
  wait_until (window_active, f);
  gtk_window_destroy (GTK_WINDOW (other));

  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 1);
}

static void
test_over_cancel (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *dialog;
  g_autofree char *today = dup_today ();
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  save_spending (f, 3.0, FALSE);
  save_spending (f, 2.5, FALSE);
  open_window (f);
  set_budget (f, 5.0);

  /* Past 80 % and 100 % at once: one warning, that it is over. */
  wait_until (banner_over, f);
  g_assert_cmpstr (gtk_label_get_text (_cria_budget_banner_get_label (banner (f))), ==,
                   "Over this month’s budget: $5.50 of $5.00 spent.");
  wait_until (got_notification, f);
  g_assert_cmpstr (notification_at (0)->summary, ==, "Over This Month’s Budget");
  g_assert_cmpstr (notification_at (0)->body, ==, "$5.50 of $5.00 spent this month");

  /* The first send of the day asks first; nothing goes meanwhile. */
  attach_picture (f);
  type_and_send (f, "What colours are these?");
  dialog = _cria_composer_get_budget_dialog (composer (f));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f->ui.window));
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)), ==, "Over This Month’s Budget");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "$5.50"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "$5.00"));
  g_assert_true (adw_message_dialog_has_response (ADW_MESSAGE_DIALOG (dialog), "send"));
  g_assert_cmpuint (n_messages (f), ==, 0);

  /* Sending again while it asks asks nothing more. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.send", NULL));
  g_assert_true (_cria_composer_get_budget_dialog (composer (f)) == dialog);

  /* Cancelled: the text and the picture stay, nothing is sent. */
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  text = composer_text (f);
  g_assert_cmpstr (text, ==, "What colours are these?");
  g_assert_cmpuint (g_list_model_get_n_items (_cria_composer_get_attachments (composer (f))), ==, 1);
  g_assert_cmpuint (n_messages (f), ==, 0);
  g_assert_cmpuint (n_chat_requests (f), ==, 0);
  asked = g_settings_get_string (f->settings, "budget-asked-day");
  g_assert_cmpstr (asked, ==, today);

  /* Asked today: the next send goes without asking. */
  expect_answer (f);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->ui.window), "win.send", NULL));
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
  body = last_request_body (f);
  g_assert_nonnull (strstr (body, "What colours are these?"));
  g_assert_nonnull (strstr (body, "data:image/"));

  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 1);
}

static void
test_over_send_anyway (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *dialog;
  CriaMessage *sent;
  const char * const *urls;
  g_autofree char *today = dup_today ();
  g_autofree char *asked = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  /* Asked on an earlier day: that was then. */
  g_settings_set_string (f->settings, "budget-asked-day", "2000-01-01");
  save_spending (f, 6.0, TRUE);
  open_window (f);
  set_budget (f, 5.0);
  wait_until (banner_over, f);
  /* Partly estimated spending says so. */
  g_assert_cmpstr (gtk_label_get_text (_cria_budget_banner_get_label (banner (f))), ==,
                   "Over this month’s budget: ≈ $6.00 of $5.00 spent.");

  attach_picture (f);
  type_and_send (f, "Describe this picture");
  dialog = _cria_composer_get_budget_dialog (composer (f));
  g_assert_true (ADW_IS_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)), "≈ $6.00"));
  g_assert_cmpuint (n_messages (f), ==, 0);

  /* Send Anyway sends exactly what was written, picture and all. */
  expect_answer (f);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "send");
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  g_assert_cmpuint (n_messages (f), >=, 1);
  sent = cria_ui_test_message_at (f->ui.window, 0);
  g_assert_cmpstr (cria_message_get_content (sent), ==, "Describe this picture");
  urls = cria_message_get_image_urls (sent);
  g_assert_nonnull (urls[0]);
  g_assert_true (g_str_has_prefix (urls[0], "data:image/"));
  g_assert_null (urls[1]);
  text = composer_text (f);
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (_cria_composer_get_attachments (composer (f))), ==, 0);
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 1);
  body = last_request_body (f);
  g_assert_nonnull (strstr (body, "Describe this picture"));
  g_assert_nonnull (strstr (body, "data:image/"));
  asked = g_settings_get_string (f->settings, "budget-asked-day");
  g_assert_cmpstr (asked, ==, today);

  /* The second send that day goes without asking. */
  expect_answer (f);
  type_and_send (f, "And another thing");
  g_assert_null (_cria_composer_get_budget_dialog (composer (f)));
  wait_until (not_busy, f);
  g_assert_cmpuint (n_chat_requests (f), ==, 2);
}

static gboolean
budget_over (Fixture *f)
{
  return cria_budget_get_level (f->budget) == CRIA_BUDGET_LEVEL_OVER;
}

static gboolean
budget_near (Fixture *f)
{
  return cria_budget_get_level (f->budget) == CRIA_BUDGET_LEVEL_NEAR;
}

static void
test_once_a_month (Fixture       *f,
                   gconstpointer  data)
{
  CriaWindow *second;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  save_spending (f, 4.2, FALSE);
  open_window (f);
  set_budget (f, 5.0);
  wait_until (banner_near, f);
  wait_until (got_notification, f);

  /* A second window: the month was warned of already. */
  second = cria_application_new_window (app);
  gtk_window_present (GTK_WINDOW (second));
  g_assert_cmpint (cria_budget_banner_get_level (_cria_window_get_budget_banner (second)), ==,
                   CRIA_BUDGET_LEVEL_NONE);

  /* The budget turned off and on again, as at a restart: counted from
   * nothing, it reaches 80 % again, and says nothing this month. */
  set_budget (f, 0);
  g_assert_true (banner_hidden (f));
  set_budget (f, 5.0);
  g_assert_true (budget_near (f));
  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 1);
  g_assert_true (banner_hidden (f));
  g_assert_cmpint (cria_budget_banner_get_level (_cria_window_get_budget_banner (second)), ==,
                   CRIA_BUDGET_LEVEL_NONE);

  /* 100 % is a warning of its own, in every window, once. */
  set_budget (f, 4.0);
  wait_until (banner_over, f);
  g_assert_cmpint (cria_budget_banner_get_level (_cria_window_get_budget_banner (second)), ==,
                   CRIA_BUDGET_LEVEL_OVER);
  wait_until (got_two_notifications, f);
  g_assert_cmpstr (notification_at (1)->summary, ==, "Over This Month’s Budget");
  set_budget (f, 3.0);
  set_budget (f, 0);
  set_budget (f, 4.0);
  g_assert_true (budget_over (f));
  /* And going back under 100 % after it is no new 80 % warning. */
  set_budget (f, 5.0);
  g_assert_true (budget_near (f));
  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 2);

  /* A warning from an earlier month does not count for this one. */
  g_settings_set_string (f->settings, "budget-warned-near", "2000-01");
  g_settings_set_string (f->settings, "budget-warned-over", "2000-01");
  set_budget (f, 0);
  set_budget (f, 5.0);
  wait_until (banner_near, f);
  cria_ui_test_notifications_sync ();
  g_assert_cmpuint (n_budget_notifications (), ==, 3);

  gtk_window_destroy (GTK_WINDOW (second));
}

static gboolean
budget_counted (Fixture *f)
{
  return G_APPROX_VALUE (cria_budget_get_month_cost (f->budget), f->expected_month_cost, 1e-9);
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  GtkLabel *label;
  const char *tooltip;
  g_autofree char *cost_text = NULL;
  g_autofree char *expected = NULL;
  double cost;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  save_spending (f, 0.6, FALSE);
  open_window (f);
  label = _cria_window_get_cost_label (f->ui.window);
  set_budget (f, 5.0);

  /* A new conversation has cost nothing: the month's share alone. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "12 % of budget");
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (label));
  g_assert_cmpstr (tooltip, ==, "$0.60 of $5.00 spent this month");

  /* With an answer: its cost, then the share. */
  expect_answer (f);
  type_and_send (f, "Say hello");
  wait_until (not_busy, f);
  settle (f);
  cost = cria_conversation_get_total_cost (cria_window_get_conversation (f->ui.window));
  g_assert_cmpfloat (cost, >, 0);
  /* The answer, saved as the window saves it, counts for the month. */
  f->expected_month_cost = 0.6 + cost;
  wait_until (budget_counted, f);
  settle (f);
  cost_text = format_cost (cost);
  expected = g_strdup_printf ("%s · 12 %% of budget", cost_text);
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (label));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("$0.60 of $5.00 spent this month\nThis conversation: %s", cost_text);
  g_assert_cmpstr (tooltip, ==, expected);

  /* Estimated spending is marked. */
  save_spending (f, 0.4, TRUE);
  settle (f);
  g_assert_true (cria_budget_get_estimated (f->budget));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s · 20 %% of budget", cost_text);
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (label));
  g_assert_true (g_str_has_prefix (tooltip, "≈ $1.00 of $5.00 spent this month, partly estimated\n"));

  /* Without a budget, the conversation's cost as before. */
  set_budget (f, 0);
  g_assert_cmpstr (gtk_label_get_text (label), ==, cost_text);
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (label));
  g_assert_cmpstr (tooltip, ==, "Cost of this conversation");
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
  data_home = g_dir_make_tmp ("cria-budget-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  /* Notifications need the session bus as well as a display. */
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    app = cria_ui_test_init (&argc, &argv);
  else
    cria_test_init (&argc, &argv);
  have_display = app != NULL;
  if (have_display)
    cria_ui_test_notifications_start ();

#define ADD(path, func) \
  g_test_add ("/budget/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("off", test_off);
  ADD ("near", test_near);
  ADD ("over-cancel", test_over_cancel);
  ADD ("over-send-anyway", test_over_send_anyway);
  ADD ("once-a-month", test_once_a_month);
  ADD ("label", test_label);
#undef ADD

  status = g_test_run ();
  if (have_display)
    cria_ui_test_notifications_stop ();
  g_clear_object (&app);
  remove_tree (data_home);
  g_free (data_home);

  return status;
}

/* cria-spending-window.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-catalogue.h"
#include "cria-format.h"
#include "cria-spending-chart.h"
#include "cria-spending-csv.h"
#include "cria-spending-periods.h"
#include "cria-spending-window-private.h"

/* The store is asked for this many days, whichever the chart shows: both
 * ranges, this week and this month all fall within them. */
#define N_DAYS_ASKED 90
#define N_TOP_CONVERSATIONS 10
/* Saves come in bursts (a streaming answer is saved as it grows): the
 * figures are asked for again once they have settled this long. */
#define REFRESH_DELAY_MS 500

struct _CriaSpendingWindow
{
  AdwWindow           parent_instance;

  CriaStore          *store;
  GCancellable       *cancellable;
  /* The store's last answer, or NULL before it came or when it failed. */
  CriaSpending       *spending;
  /* Model id → the name the catalogue gives it. */
  GHashTable         *names;
  guint               n_days;
  /* One query at a time; a change meanwhile asks again once it is done. */
  gboolean            querying;
  gboolean            changed;
  guint               refresh_id;
  guint               midnight_id;
  guint               n_loads;
  guint               n_exports;

  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  AdwStatusPage      *error_page;
  GtkLabel           *total_labels[4];
  GtkLabel           *total_details[4];
  CriaSpendingChart  *chart;
  GtkLabel           *models_heading;
  GtkListBox         *models_list;
  GtkListBox         *conversations_list;
};

G_DEFINE_FINAL_TYPE (CriaSpendingWindow, cria_spending_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void query (CriaSpendingWindow *self);

/* Formatting */

static char *
format_cost (double   cost,
             gboolean estimated)
{
  return estimated ? cria_format_estimated_cost (cost) : cria_format_cost (cost);
}

static char *
format_count (gint64 n)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

/* ngettext() takes an unsigned long; counts past it read as the plural. */
static gulong
plural_n (gint64 n)
{
  return (gulong) CLAMP (n, 0, G_MAXLONG);
}

static char *
answers_text (gint64 n)
{
  g_autofree char *count = format_count (n);

  return g_strdup_printf (ngettext ("%s answer", "%s answers", plural_n (n)), count);
}

static char *
unpriced_text (gint64 n)
{
  g_autofree char *count = format_count (n);

  return g_strdup_printf (ngettext ("%s answer without a price", "%s answers without a price", plural_n (n)),
                          count);
}

static char *
estimated_text (gint64 n)
{
  g_autofree char *count = format_count (n);

  /* Translators: answers whose cost was worked out from estimated token
   * counts, because the server reported none */
  return g_strdup_printf (ngettext ("%s answer estimated", "%s answers estimated", plural_n (n)), count);
}

/* The totals */

static CriaSpendingRow *
sum_periods (const CriaSpending *spending,
             gint64              since)
{
  CriaSpendingRow *sum = cria_spending_row_new (NULL);

  for (guint i = 0; i < spending->n_periods; i++)
    if (spending->edges[i] >= since)
      {
        g_autoptr(CriaSpendingRow) total = cria_spending_rows_total (spending->periods[i]);

        cria_spending_row_add (sum, total);
      }

  return sum;
}

static void
set_total (CriaSpendingWindow    *self,
           CriaSpendingTotal      which,
           const CriaSpendingRow *row)
{
  GtkLabel *label = self->total_labels[which];
  g_autofree char *amount = format_cost (row->cost, row->estimated > 0);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *answers = answers_text (row->answers);

  gtk_label_set_text (label, amount);
  gtk_widget_set_tooltip_text (GTK_WIDGET (label),
                               row->estimated > 0
                               ? _("Partly estimated: the server did not report every token count")
                               : NULL);

  g_string_append (detail, answers);
  if (row->estimated > 0)
    {
      g_autofree char *estimated = estimated_text (row->estimated);

      g_string_append_c (detail, '\n');
      g_string_append (detail, estimated);
    }
  if (row->unpriced > 0)
    {
      g_autofree char *unpriced = unpriced_text (row->unpriced);

      g_string_append_c (detail, '\n');
      g_string_append (detail, unpriced);
    }
  gtk_label_set_text (self->total_details[which], detail->str);
}

static void
show_totals (CriaSpendingWindow *self)
{
  const CriaSpending *spending = self->spending;
  gint64 today = spending->edges[spending->n_periods - 1];
  g_autoptr(GDateTime) day = g_date_time_new_from_unix_local (today / G_USEC_PER_SEC);
  g_autoptr(CriaSpendingRow) today_sum = sum_periods (spending, today);
  gint64 week_start = cria_spending_week_start (day, cria_spending_first_weekday ());
  g_autoptr(CriaSpendingRow) week = sum_periods (spending, week_start);
  g_autoptr(CriaSpendingRow) month = sum_periods (spending, cria_spending_month_start (day));
  g_autoptr(CriaSpendingRow) all_time = cria_spending_rows_total (spending->all_time_models);

  set_total (self, CRIA_SPENDING_TODAY, today_sum);
  set_total (self, CRIA_SPENDING_THIS_WEEK, week);
  set_total (self, CRIA_SPENDING_THIS_MONTH, month);
  set_total (self, CRIA_SPENDING_ALL_TIME, all_time);
}

/* The models over the days shown */

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CriaSpendingRow *x = *(CriaSpendingRow * const *) a;
  const CriaSpendingRow *y = *(CriaSpendingRow * const *) b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;

  return g_strcmp0 (x->model, y->model);
}

/* The figures per model over the last @n_days periods, most expensive first. */
static GPtrArray *
range_models (const CriaSpending *spending,
              guint               n_days)
{
  g_autoptr(GHashTable) by_model = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);

  if (n_days >= spending->n_periods)
    {
      for (guint i = 0; i < spending->range_models->len; i++)
        g_ptr_array_add (rows, cria_spending_row_copy (g_ptr_array_index (spending->range_models, i)));
      return rows;
    }

  for (guint d = spending->n_periods - n_days; d < spending->n_periods; d++)
    for (guint i = 0; i < spending->periods[d]->len; i++)
      {
        const CriaSpendingRow *row = g_ptr_array_index (spending->periods[d], i);
        CriaSpendingRow *sum = g_hash_table_lookup (by_model, row->model);

        if (sum != NULL)
          cria_spending_row_add (sum, row);
        else
          {
            sum = cria_spending_row_copy (row);
            g_ptr_array_add (rows, sum);
            g_hash_table_insert (by_model, sum->model, sum);
          }
      }

  g_ptr_array_sort (rows, compare_rows);

  return rows;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *row;

  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))) != NULL)
    gtk_list_box_remove (list, row);
}

static GtkWidget *
cost_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "numeric");

  return label;
}

/* "12 answers · 3,400 tokens in · 1,200 tokens out · $0.0021 per answer" */
static char *
model_details (const CriaSpendingRow *row)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *answers = answers_text (row->answers);
  g_autofree char *tokens_in = cria_format_tokens (row->tokens_in);
  g_autofree char *tokens_out = cria_format_tokens (row->tokens_out);
  /* Translators: between the figures of a model in the spending window */
  const char *separator = _(" · ");
  gint64 priced = row->answers - row->unpriced;

  g_string_append (text, answers);
  g_string_append (text, separator);
  g_string_append_printf (text, ngettext ("%s token in", "%s tokens in", plural_n (row->tokens_in)),
                          tokens_in != NULL ? tokens_in : "0");
  g_string_append (text, separator);
  g_string_append_printf (text, ngettext ("%s token out", "%s tokens out", plural_n (row->tokens_out)),
                          tokens_out != NULL ? tokens_out : "0");

  /* The average is over the answers that had a price: the others add nothing. */
  if (priced > 0)
    {
      g_autofree char *average = format_cost (row->cost / priced, row->estimated > 0);

      g_string_append (text, separator);
      /* Translators: the average cost of a model's answers: "$0.0021 per answer" */
      g_string_append_printf (text, _("%s per answer"), average);
    }

  if (row->unpriced > 0)
    {
      g_autofree char *unpriced = unpriced_text (row->unpriced);

      g_string_append_c (text, '\n');
      g_string_append (text, unpriced);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_models (CriaSpendingWindow *self)
{
  g_autoptr(GPtrArray) rows = range_models (self->spending, self->n_days);
  g_autofree char *heading = NULL;

  heading = g_strdup_printf (ngettext ("By Model, Last %u Day", "By Model, Last %u Days", self->n_days),
                             self->n_days);
  gtk_label_set_text (self->models_heading, heading);

  clear_list (self->models_list);
  for (guint i = 0; i < rows->len; i++)
    {
      const CriaSpendingRow *row = g_ptr_array_index (rows, i);
      g_autofree char *details = model_details (row);
      g_autofree char *cost = format_cost (row->cost, row->estimated > 0);
      GtkWidget *action_row = adw_action_row_new ();

      /* Model names come from servers: plain text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row),
                                     cria_spending_model_name (self->names, row->model));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), details);
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), cost_label_new (cost));
      gtk_list_box_append (self->models_list, action_row);
    }
}

static void
show_conversations (CriaSpendingWindow *self)
{
  GPtrArray *conversations = self->spending->top_conversations;

  clear_list (self->conversations_list);
  for (guint i = 0; i < conversations->len; i++)
    {
      const CriaSpendingConversation *conversation = g_ptr_array_index (conversations, i);
      g_autofree char *cost = format_cost (conversation->cost, conversation->estimated > 0);
      g_autofree char *answers = answers_text (conversation->answers);
      const char *title = conversation->title != NULL && *conversation->title != '\0'
                          ? conversation->title : _("Untitled");
      GtkWidget *row = adw_action_row_new ();

      /* Titles are the user's or a model's: plain text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), answers);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cost_label_new (cost));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "spending.open-conversation");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (row), g_variant_new_string (conversation->id));
      gtk_list_box_append (self->conversations_list, row);
    }
}

static void
show_range (CriaSpendingWindow *self)
{
  if (self->spending == NULL)
    return;

  cria_spending_chart_set_spending (self->chart, self->spending, self->n_days, self->names);
  show_models (self);
}

static void
update_actions (CriaSpendingWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "spending.export",
                                 self->spending != NULL &&
                                 g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "figures") == 0);
}

static void
show_spending (CriaSpendingWindow *self)
{
  g_autoptr(CriaSpendingRow) all_time = cria_spending_rows_total (self->spending->all_time_models);

  if (all_time->answers == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  show_totals (self);
  show_range (self);
  show_conversations (self);
  gtk_stack_set_visible_child_name (self->stack, "figures");
}

/* Asking the store */

static void
show_error (CriaSpendingWindow *self,
            const GError       *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  /* Figures already shown stay, with the reason they may be out of date. */
  if (self->spending != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not update the spending: %s"), error->message);
      g_autofree char *toast = g_markup_escape_text (text, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (toast));
      return;
    }

  /* The status page's description is markup. */
  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static gboolean
refresh_cb (gpointer user_data)
{
  CriaSpendingWindow *self = user_data;

  self->refresh_id = 0;
  query (self);

  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (CriaSpendingWindow *self)
{
  if (self->querying)
    {
      self->changed = TRUE;
      return;
    }

  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
}

static gboolean
midnight_cb (gpointer user_data)
{
  CriaSpendingWindow *self = user_data;

  self->midnight_id = 0;
  query (self);

  return G_SOURCE_REMOVE;
}

/* At midnight today becomes yesterday: the figures are asked for again. */
static void
schedule_midnight (CriaSpendingWindow *self)
{
  gint64 end = self->spending->edges[self->spending->n_periods];
  gint64 wait = end - g_get_real_time ();

  g_clear_handle_id (&self->midnight_id, g_source_remove);
  self->midnight_id = g_timeout_add_seconds (MAX (1, wait / G_USEC_PER_SEC + 1), midnight_cb, self);
}

static void
spending_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaSpendingWindow) self = user_data;
  g_autoptr(CriaSpending) spending = NULL;
  g_autoptr(GError) error = NULL;

  spending = cria_store_spending_finish (CRIA_STORE (object), result, &error);
  /* A window that is gone may still hear back from a query that had ended. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  self->querying = FALSE;
  self->n_loads++;

  if (spending == NULL)
    show_error (self, error);
  else if (spending->n_periods == 0)
    {
      g_autoptr(GError) empty = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                     _("The history gave no days."));

      show_error (self, empty);
    }
  else
    {
      g_clear_pointer (&self->spending, cria_spending_free);
      self->spending = g_steal_pointer (&spending);
      show_spending (self);
      schedule_midnight (self);
    }
  update_actions (self);

  if (self->changed)
    {
      self->changed = FALSE;
      store_changed_cb (self);
    }
}

static void
query (CriaSpendingWindow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree gint64 *edges = NULL;
  guint n_edges = 0;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->querying)
    {
      self->changed = TRUE;
      return;
    }

  /* Days run from local midnight to local midnight; today is the last. */
  edges = cria_spending_day_edges (now, N_DAYS_ASKED, &n_edges);
  self->querying = TRUE;
  self->changed = FALSE;
  cria_store_spending_async (self->store, edges, n_edges, N_TOP_CONVERSATIONS, self->cancellable,
                             spending_cb, g_object_ref (self));
}

/* Export */

static void
show_export_error (CriaSpendingWindow *self,
                   const GError       *error)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Could Not Export the Spending"), NULL));
  /* The body is plain text: the message may name the file. */
  adw_message_dialog_set_body (dialog, error->message);
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
exported_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CriaSpendingWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  self->n_exports++;
  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_cancellable_is_cancelled (self->cancellable))
        show_export_error (self, error);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  text = g_markup_escape_text (_("Spending exported"), -1);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

void
_cria_spending_window_export_file (CriaSpendingWindow *self,
                                  GFile              *file)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr(GBytes) bytes = NULL;
  CriaSpending shown;
  guint first;
  gsize length = 0;
  char *csv;

  g_return_if_fail (CRIA_IS_SPENDING_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->spending != NULL);

  /* The days shown: the last n_days of the periods asked for. */
  shown = *self->spending;
  first = shown.n_periods - MIN (self->n_days, shown.n_periods);
  shown.n_periods -= first;
  shown.edges += first;
  shown.periods += first;

  csv = cria_spending_to_csv (&shown, zone, &length);
  bytes = g_bytes_new_take (csv, length);
  /* As private as the history it comes from. */
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->cancellable, exported_cb, g_object_ref (self));
}

static void
export_response_cb (GtkNativeDialog    *chooser,
                    int                 response,
                    CriaSpendingWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->spending != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        _cria_spending_window_export_file (self, file);
    }

  g_object_unref (self);
  g_object_unref (chooser);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = g_date_time_format (now, "cria-spending-%Y-%m-%d.csv");
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export Spending"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("Tables (CSV)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions */

static gboolean
open_in (CriaSpendingWindow *self,
         GtkWindow          *window,
         const char         *id)
{
  if (window == NULL || window == GTK_WINDOW (self) ||
      !gtk_widget_activate_action (GTK_WIDGET (window), "win.open-conversation", "s", id))
    return FALSE;

  gtk_window_present (window);
  return TRUE;
}

static gboolean
open_in_any (CriaSpendingWindow *self,
             const char         *id)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (open_in (self, gtk_window_get_transient_for (GTK_WINDOW (self)), id))
    return TRUE;

  for (GList *l = app != NULL ? gtk_application_get_windows (app) : NULL; l != NULL; l = l->next)
    if (open_in (self, l->data, id))
      return TRUE;

  return FALSE;
}

static void
open_conversation_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  const char *id = g_variant_get_string (parameter, NULL);

  /* The chat window this one belongs to, another, or a new one. */
  if (open_in_any (self, id) || app == NULL)
    return;

  g_application_activate (G_APPLICATION (app));
  open_in_any (self, id);
}

static void
refresh_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (widget);

  if (self->spending == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  query (self);
}

/* The object */

guint
cria_spending_window_get_n_days (CriaSpendingWindow *self)
{
  g_return_val_if_fail (CRIA_IS_SPENDING_WINDOW (self), 0);

  return self->n_days;
}

void
cria_spending_window_set_n_days (CriaSpendingWindow *self,
                                 guint               n_days)
{
  g_return_if_fail (CRIA_IS_SPENDING_WINDOW (self));
  g_return_if_fail (n_days == 30 || n_days == 90);

  if (self->n_days == n_days)
    return;

  self->n_days = n_days;
  show_range (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DAYS]);
}

static GHashTable *
load_names (void)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GListModel) catalogue = cria_catalogue_load (NULL);

  for (guint i = 0; catalogue != NULL && i < g_list_model_get_n_items (catalogue); i++)
    {
      g_autoptr(CriaModel) model = g_list_model_get_item (catalogue, i);

      g_hash_table_insert (names, g_strdup (cria_model_get_id (model)), g_strdup (cria_model_get_name (model)));
    }

  return names;
}

static void
cria_spending_window_constructed (GObject *object)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (object);

  G_OBJECT_CLASS (cria_spending_window_parent_class)->constructed (object);

  g_assert (CRIA_IS_STORE (self->store));
  g_signal_connect_object (self->store, "conversation-changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "conversation-removed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  query (self);
}

static void
cria_spending_window_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_N_DAYS:
      g_value_set_int (value, self->n_days);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_spending_window_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_N_DAYS:
      cria_spending_window_set_n_days (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_spending_window_dispose (GObject *object)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->midnight_id, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CRIA_TYPE_SPENDING_WINDOW);

  G_OBJECT_CLASS (cria_spending_window_parent_class)->dispose (object);
}

static void
cria_spending_window_finalize (GObject *object)
{
  CriaSpendingWindow *self = CRIA_SPENDING_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_pointer (&self->spending, cria_spending_free);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (cria_spending_window_parent_class)->finalize (object);
}

static void
cria_spending_window_class_init (CriaSpendingWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cria_spending_window_constructed;
  object_class->dispose = cria_spending_window_dispose;
  object_class->finalize = cria_spending_window_finalize;
  object_class->get_property = cria_spending_window_get_property;
  object_class->set_property = cria_spending_window_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, CRIA_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* An int, so that the spending.days action's target reads "30". */
  properties[PROP_N_DAYS] =
    g_param_spec_int ("n-days", NULL, NULL, 30, 90, 30,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CRIA_TYPE_SPENDING_CHART);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-spending-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, error_page);
#define BIND_TOTAL(id, array, total) \
  gtk_widget_class_bind_template_child_full (widget_class, id, FALSE, \
                                             G_STRUCT_OFFSET (CriaSpendingWindow, array[total]))
  BIND_TOTAL ("today_label", total_labels, CRIA_SPENDING_TODAY);
  BIND_TOTAL ("week_label", total_labels, CRIA_SPENDING_THIS_WEEK);
  BIND_TOTAL ("month_label", total_labels, CRIA_SPENDING_THIS_MONTH);
  BIND_TOTAL ("all_time_label", total_labels, CRIA_SPENDING_ALL_TIME);
  BIND_TOTAL ("today_detail", total_details, CRIA_SPENDING_TODAY);
  BIND_TOTAL ("week_detail", total_details, CRIA_SPENDING_THIS_WEEK);
  BIND_TOTAL ("month_detail", total_details, CRIA_SPENDING_THIS_MONTH);
  BIND_TOTAL ("all_time_detail", total_details, CRIA_SPENDING_ALL_TIME);
#undef BIND_TOTAL
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, chart);
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, models_heading);
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, models_list);
  gtk_widget_class_bind_template_child (widget_class, CriaSpendingWindow, conversations_list);

  gtk_widget_class_install_action (widget_class, "spending.export", NULL, export_activated);
  gtk_widget_class_install_action (widget_class, "spending.refresh", NULL, refresh_activated);
  gtk_widget_class_install_action (widget_class, "spending.open-conversation", "s", open_conversation_activated);
  gtk_widget_class_install_property_action (widget_class, "spending.days", "n-days");
}

static void
cria_spending_window_init (CriaSpendingWindow *self)
{
  GtkWidget *placeholder;

  self->n_days = 30;
  self->cancellable = g_cancellable_new ();
  self->names = load_names ();

  gtk_widget_init_template (GTK_WIDGET (self));

  placeholder = gtk_label_new (_("No answers in these days"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_list_box_set_placeholder (self->models_list, placeholder);
  update_actions (self);
}

GtkWidget *
cria_spending_window_new (GtkApplication *application,
                          CriaStore      *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CRIA_IS_STORE (store), NULL);

  return g_object_new (CRIA_TYPE_SPENDING_WINDOW,
                       "application", application,
                       "store", store,
                       NULL);
}

/* For tests */

guint
_cria_spending_window_get_n_loads (CriaSpendingWindow *self)
{
  return self->n_loads;
}

guint
_cria_spending_window_get_n_exports (CriaSpendingWindow *self)
{
  return self->n_exports;
}

GtkStack *
_cria_spending_window_get_stack (CriaSpendingWindow *self)
{
  return self->stack;
}

AdwStatusPage *
_cria_spending_window_get_error_page (CriaSpendingWindow *self)
{
  return self->error_page;
}

GtkLabel *
_cria_spending_window_get_total_label (CriaSpendingWindow *self,
                                       CriaSpendingTotal   total)
{
  return self->total_labels[total];
}

GtkLabel *
_cria_spending_window_get_total_detail (CriaSpendingWindow *self,
                                        CriaSpendingTotal   total)
{
  return self->total_details[total];
}

CriaSpendingChart *
_cria_spending_window_get_chart (CriaSpendingWindow *self)
{
  return self->chart;
}

GtkListBox *
_cria_spending_window_get_models (CriaSpendingWindow *self)
{
  return self->models_list;
}

GtkListBox *
_cria_spending_window_get_conversations (CriaSpendingWindow *self)
{
  return self->conversations_list;
}

/* cria-composer-budget.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-composer-private.h"
#include "cria-format.h"

/* Over the month's budget, the first message of each day is sent only once
 * the user says so; the rest of the day goes without asking, whatever the
 * answer was, so the question never stands between the user and every
 * message. The day asked is kept in the settings ("budget-asked-day"), so
 * it holds for every window and across restarts. */

static char *
dup_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%d");
}

static void
budget_dialog_response_cb (AdwMessageDialog *dialog,
                           const char       *response,
                           CriaComposer     *self)
{
  g_autofree char *today = dup_today ();

  self->budget_dialog = NULL;
  g_settings_set_string (self->settings, "budget-asked-day", today);

  /* The text and images are still in the composer, just as the user left
   * them: sending again sends them, past the question just answered. */
  if (g_str_equal (response, "send"))
    _cria_composer_send (self);
}

static void
ask (CriaComposer *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  double spent = cria_budget_get_month_cost (self->budget);
  g_autofree char *spent_text = NULL;
  g_autofree char *limit_text = NULL;
  GtkWidget *dialog;

  spent_text = cria_budget_get_estimated (self->budget) ? cria_format_estimated_cost (spent)
                                                         : cria_format_cost (spent);
  limit_text = cria_format_cost (cria_budget_get_limit (self->budget));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Over This Month’s Budget"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  /* Translators: the first %s is what answers cost this month, the
                                   * second the monthly budget, both amounts in US dollars */
                                  _("Answers cost %s this month, over your budget of %s. "
                                    "Send this message anyway? Cria will not ask again today."),
                                  spent_text, limit_text);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Anyway"),
                                    NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_signal_connect_object (dialog, "response", G_CALLBACK (budget_dialog_response_cb), self, 0);
  self->budget_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
_cria_composer_check_budget (CriaComposer *self)
{
  g_autofree char *today = NULL;
  g_autofree char *asked = NULL;

  if (self->budget == NULL || cria_budget_get_level (self->budget) != CRIA_BUDGET_LEVEL_OVER)
    return TRUE;

  /* Asking already: the answer sends, or not. */
  if (self->budget_dialog != NULL)
    return FALSE;

  today = dup_today ();
  asked = g_settings_get_string (self->settings, "budget-asked-day");
  if (g_str_equal (today, asked))
    return TRUE;

  ask (self);
  return FALSE;
}

void
_cria_composer_dispose_budget (CriaComposer *self)
{
  /* Closing with the window is no answer. */
  if (self->budget_dialog != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->budget_dialog, self);
      gtk_window_destroy (GTK_WINDOW (self->budget_dialog));
    }
  self->budget_dialog = NULL;
  g_clear_object (&self->budget);
}

GtkWidget *
_cria_composer_get_budget_dialog (CriaComposer *self)
{
  return self->budget_dialog;
}

/* cria-spending-window-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-spending-chart.h"
#include "cria-spending-window.h"

G_BEGIN_DECLS

typedef enum
{
  CRIA_SPENDING_TODAY,
  CRIA_SPENDING_THIS_WEEK,
  CRIA_SPENDING_THIS_MONTH,
  CRIA_SPENDING_ALL_TIME,
} CriaSpendingTotal;

/* Writes the days shown as CSV to @file, as "Export…" does once the file
 * chooser has answered: a toast when it is written, a dialog saying why
 * when it is not. */
void               _cria_spending_window_export_file       (CriaSpendingWindow *self,
                                                            GFile              *file);

/* For tests: how many answers from the store the window has had (figures
 * or errors), how many exports have ended (written or not), and its parts,
 * reached without its struct. */
guint              _cria_spending_window_get_n_loads       (CriaSpendingWindow *self);
guint              _cria_spending_window_get_n_exports     (CriaSpendingWindow *self);
GtkStack          *_cria_spending_window_get_stack         (CriaSpendingWindow *self);
AdwStatusPage     *_cria_spending_window_get_error_page    (CriaSpendingWindow *self);
GtkLabel          *_cria_spending_window_get_total_label   (CriaSpendingWindow *self,
                                                            CriaSpendingTotal   total);
GtkLabel          *_cria_spending_window_get_total_detail  (CriaSpendingWindow *self,
                                                            CriaSpendingTotal   total);
CriaSpendingChart *_cria_spending_window_get_chart         (CriaSpendingWindow *self);
GtkListBox        *_cria_spending_window_get_models        (CriaSpendingWindow *self);
GtkListBox        *_cria_spending_window_get_conversations (CriaSpendingWindow *self);

G_END_DECLS

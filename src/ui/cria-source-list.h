/* cria-source-list.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CRIA_TYPE_SOURCE_LIST (cria_source_list_get_type ())

G_DECLARE_FINAL_TYPE (CriaSourceList, cria_source_list, CRIA, SOURCE_LIST, GtkWidget)

/* The "Sources" section under an answer: one row per passage the answer was
 * given with (document name, page); activating a row shows the passage. */
GtkWidget *cria_source_list_new                (void);
/* @sources: (nullable) (element-type CriaSource) */
void       cria_source_list_set_sources        (CriaSourceList *self,
                                                GPtrArray      *sources);
guint      cria_source_list_get_n_sources      (CriaSourceList *self);
/* The row of source @index, to activate or inspect. */
GtkWidget *cria_source_list_get_row            (CriaSourceList *self,
                                                guint           index);
/* The window showing a passage, %NULL when none is open. */
GtkWindow *cria_source_list_get_passage_window (CriaSourceList *self);

G_END_DECLS

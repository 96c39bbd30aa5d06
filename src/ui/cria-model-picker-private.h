/* cria-model-picker-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-model-picker.h"
#include "cria-model-row.h"

G_BEGIN_DECLS

/* For tests: the picker's parts. */
GtkMenuButton  *_cria_model_picker_get_button          (CriaModelPicker *self);
GtkLabel       *_cria_model_picker_get_label           (CriaModelPicker *self);
GtkSearchEntry *_cria_model_picker_get_search_entry    (CriaModelPicker *self);
GtkListView    *_cria_model_picker_get_list_view       (CriaModelPicker *self);
/* The filtered, sorted models the list view shows, in order. */
GListModel     *_cria_model_picker_get_shown_models    (CriaModelPicker *self);
GtkListItem    *_cria_model_picker_get_list_item       (CriaModelPicker *self,
                                                        CriaModelRow    *row);
/* How many row widgets the list view's factory has built, in all and
 * still in use. */
guint           _cria_model_picker_get_n_rows_created  (CriaModelPicker *self);
guint           _cria_model_picker_get_n_rows_alive    (CriaModelPicker *self);

G_END_DECLS

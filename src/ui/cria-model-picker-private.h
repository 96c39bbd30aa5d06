/* cria-model-picker-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-model-picker.h"

G_BEGIN_DECLS

/* For tests: the picker's parts. */
GtkMenuButton  *_cria_model_picker_get_button       (CriaModelPicker *self);
GtkLabel       *_cria_model_picker_get_label        (CriaModelPicker *self);
GtkSearchEntry *_cria_model_picker_get_search_entry (CriaModelPicker *self);
GtkListBox     *_cria_model_picker_get_list_box     (CriaModelPicker *self);

G_END_DECLS

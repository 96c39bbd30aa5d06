/* cria-model-picker.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CRIA_TYPE_MODEL_PICKER (cria_model_picker_get_type ())

G_DECLARE_FINAL_TYPE (CriaModelPicker, cria_model_picker, CRIA, MODEL_PICKER, AdwBin)

GtkWidget  *cria_model_picker_new                   (void);
GListModel *cria_model_picker_get_models            (CriaModelPicker *self);
void        cria_model_picker_set_models            (CriaModelPicker *self,
                                                     GListModel      *models);
const char *cria_model_picker_get_selected_model_id (CriaModelPicker *self);
void        cria_model_picker_set_selected_model_id (CriaModelPicker *self,
                                                     const char      *model_id);
void        cria_model_picker_popup                 (CriaModelPicker *self);
void        cria_model_picker_popdown               (CriaModelPicker *self);

G_END_DECLS

/* cria-model-row.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-model.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MODEL_ROW (cria_model_row_get_type ())

G_DECLARE_FINAL_TYPE (CriaModelRow, cria_model_row, CRIA, MODEL_ROW, AdwBin)

GtkWidget  *cria_model_row_new             (CriaModel    *model);
CriaModel  *cria_model_row_get_model       (CriaModelRow *self);
void        cria_model_row_set_model       (CriaModelRow *self,
                                            CriaModel    *model);
const char *cria_model_row_get_description (CriaModelRow *self);
const char *cria_model_row_get_heading     (CriaModelRow *self);
void        cria_model_row_set_heading     (CriaModelRow *self,
                                            const char   *heading);
gboolean    cria_model_row_get_current     (CriaModelRow *self);
void        cria_model_row_set_current     (CriaModelRow *self,
                                            gboolean      current);

char       *cria_model_format_context      (gint64        context_length);
char       *cria_model_format_price        (double        input_price,
                                            double        output_price);

G_END_DECLS

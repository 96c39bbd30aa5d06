/* cria-model-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-model.h"

G_BEGIN_DECLS

void _cria_model_set_name           (CriaModel             *self,
                                     const char            *name);
void _cria_model_set_category       (CriaModel             *self,
                                     CriaModelCategory      category);
void _cria_model_set_capabilities   (CriaModel             *self,
                                     CriaModelCapabilities  capabilities);
void _cria_model_set_context_length (CriaModel             *self,
                                     gint64                 context_length);
void _cria_model_set_max_output     (CriaModel             *self,
                                     gint64                 max_output);
void _cria_model_set_prices         (CriaModel             *self,
                                     double                 input_price,
                                     double                 output_price);
void _cria_model_set_available      (CriaModel             *self,
                                     gboolean               available);
void _cria_model_set_in_catalogue   (CriaModel             *self,
                                     gboolean               in_catalogue);

G_END_DECLS

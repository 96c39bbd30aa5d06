/* cria-model.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  CRIA_MODEL_CATEGORY_GENERAL,
  CRIA_MODEL_CATEGORY_REASONING,
  CRIA_MODEL_CATEGORY_CODE,
  CRIA_MODEL_CATEGORY_VISION,
  CRIA_MODEL_CATEGORY_EMBEDDING,
  CRIA_MODEL_CATEGORY_OTHER,
} CriaModelCategory;

typedef enum /*< flags >*/
{
  CRIA_MODEL_CAPABILITY_NONE      = 0,
  CRIA_MODEL_CAPABILITY_VISION    = 1 << 0,
  CRIA_MODEL_CAPABILITY_TOOLS     = 1 << 1,
  CRIA_MODEL_CAPABILITY_REASONING = 1 << 2,
  CRIA_MODEL_CAPABILITY_CODE      = 1 << 3,
  CRIA_MODEL_CAPABILITY_EMBEDDING = 1 << 4,
} CriaModelCapabilities;

#define CRIA_TYPE_MODEL (cria_model_get_type ())

G_DECLARE_FINAL_TYPE (CriaModel, cria_model, CRIA, MODEL, GObject)

/* Prices are USD per million tokens; a negative price is unknown. A context
 * length or max output of 0 is unknown. */
CriaModel            *cria_model_new                   (const char            *id);
const char           *cria_model_get_id                (CriaModel             *self);
const char           *cria_model_get_name              (CriaModel             *self);
CriaModelCategory     cria_model_get_category          (CriaModel             *self);
CriaModelCapabilities cria_model_get_capabilities      (CriaModel             *self);
gboolean              cria_model_get_capabilities_known (CriaModel            *self);
gboolean              cria_model_has_capability        (CriaModel             *self,
                                                        CriaModelCapabilities  capability);
gint64                cria_model_get_context_length    (CriaModel             *self);
gint64                cria_model_get_max_output        (CriaModel             *self);
double                cria_model_get_input_price       (CriaModel             *self);
double                cria_model_get_output_price      (CriaModel             *self);
gboolean              cria_model_get_available         (CriaModel             *self);
gboolean              cria_model_get_in_catalogue      (CriaModel             *self);

const char           *cria_model_category_to_string    (CriaModelCategory      category);
gboolean              cria_model_category_from_string  (const char            *str,
                                                        CriaModelCategory     *category);

G_END_DECLS

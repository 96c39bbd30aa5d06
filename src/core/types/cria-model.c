/* cria-model.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cria-types-enums.h"
#include "cria-model-private.h"

/* What Cria knows of one model: the catalogue's figures, merged with what the
 * server lists. Widgets bind to these properties. */
struct _CriaModel
{
  GObject                parent_instance;

  char                  *id;
  char                  *name;
  CriaModelCategory      category;
  CriaModelCapabilities  capabilities;
  gint64                 context_length;
  gint64                 max_output;
  double                 input_price;
  double                 output_price;
  gboolean               available;
  gboolean               in_catalogue;
};

G_DEFINE_FINAL_TYPE (CriaModel, cria_model, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_CATEGORY,
  PROP_CAPABILITIES,
  PROP_CONTEXT_LENGTH,
  PROP_MAX_OUTPUT,
  PROP_INPUT_PRICE,
  PROP_OUTPUT_PRICE,
  PROP_AVAILABLE,
  PROP_IN_CATALOGUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_model_finalize (GObject *object)
{
  CriaModel *self = CRIA_MODEL (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (cria_model_parent_class)->finalize (object);
}

static void
cria_model_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CriaModel *self = CRIA_MODEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, cria_model_get_name (self));
      break;
    case PROP_CATEGORY:
      g_value_set_enum (value, self->category);
      break;
    case PROP_CAPABILITIES:
      g_value_set_flags (value, self->capabilities);
      break;
    case PROP_CONTEXT_LENGTH:
      g_value_set_int64 (value, self->context_length);
      break;
    case PROP_MAX_OUTPUT:
      g_value_set_int64 (value, self->max_output);
      break;
    case PROP_INPUT_PRICE:
      g_value_set_double (value, self->input_price);
      break;
    case PROP_OUTPUT_PRICE:
      g_value_set_double (value, self->output_price);
      break;
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_IN_CATALOGUE:
      g_value_set_boolean (value, self->in_catalogue);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  CriaModel *self = CRIA_MODEL (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_class_init (CriaModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cria_model_finalize;
  object_class->get_property = cria_model_get_property;
  object_class->set_property = cria_model_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_CATEGORY] =
    g_param_spec_enum ("category", NULL, NULL, CRIA_TYPE_MODEL_CATEGORY,
                       CRIA_MODEL_CATEGORY_OTHER, ro);
  properties[PROP_CAPABILITIES] =
    g_param_spec_flags ("capabilities", NULL, NULL, CRIA_TYPE_MODEL_CAPABILITIES,
                        CRIA_MODEL_CAPABILITY_NONE, ro);
  properties[PROP_CONTEXT_LENGTH] =
    g_param_spec_int64 ("context-length", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_MAX_OUTPUT] =
    g_param_spec_int64 ("max-output", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_INPUT_PRICE] =
    g_param_spec_double ("input-price", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_OUTPUT_PRICE] =
    g_param_spec_double ("output-price", NULL, NULL, -1, G_MAXDOUBLE, -1, ro);
  properties[PROP_AVAILABLE] = g_param_spec_boolean ("available", NULL, NULL, TRUE, ro);
  properties[PROP_IN_CATALOGUE] = g_param_spec_boolean ("in-catalogue", NULL, NULL, FALSE, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_model_init (CriaModel *self)
{
  self->category = CRIA_MODEL_CATEGORY_OTHER;
  self->input_price = -1;
  self->output_price = -1;
  self->available = TRUE;
}

CriaModel *
cria_model_new (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (CRIA_TYPE_MODEL, "id", id, NULL);
}

const char *
cria_model_get_id (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), NULL);

  return self->id;
}

/**
 * cria_model_get_name:
 *
 * Returns: the display name; the id for models the catalogue does not know
 */
const char *
cria_model_get_name (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), NULL);

  return self->name != NULL ? self->name : self->id;
}

CriaModelCategory
cria_model_get_category (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), CRIA_MODEL_CATEGORY_OTHER);

  return self->category;
}

CriaModelCapabilities
cria_model_get_capabilities (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), CRIA_MODEL_CAPABILITY_NONE);

  return self->capabilities;
}

/**
 * cria_model_get_capabilities_known:
 *
 * Returns: %FALSE for models the catalogue does not know: what they can do
 *   is unknown, not nothing
 */
gboolean
cria_model_get_capabilities_known (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), FALSE);

  return self->in_catalogue;
}

gboolean
cria_model_has_capability (CriaModel             *self,
                           CriaModelCapabilities  capability)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), FALSE);

  return (self->capabilities & capability) == capability;
}

gint64
cria_model_get_context_length (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), 0);

  return self->context_length;
}

gint64
cria_model_get_max_output (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), 0);

  return self->max_output;
}

double
cria_model_get_input_price (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), -1);

  return self->input_price;
}

double
cria_model_get_output_price (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), -1);

  return self->output_price;
}

gboolean
cria_model_get_available (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), FALSE);

  return self->available;
}

gboolean
cria_model_get_in_catalogue (CriaModel *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL (self), FALSE);

  return self->in_catalogue;
}

void
_cria_model_set_name (CriaModel  *self,
                      const char *name)
{
  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

void
_cria_model_set_category (CriaModel         *self,
                          CriaModelCategory  category)
{
  if (self->category == category)
    return;

  self->category = category;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CATEGORY]);
}

void
_cria_model_set_capabilities (CriaModel             *self,
                              CriaModelCapabilities  capabilities)
{
  if (self->capabilities == capabilities)
    return;

  self->capabilities = capabilities;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPABILITIES]);
}

void
_cria_model_set_context_length (CriaModel *self,
                                gint64     context_length)
{
  if (self->context_length == context_length)
    return;

  self->context_length = context_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTEXT_LENGTH]);
}

void
_cria_model_set_max_output (CriaModel *self,
                            gint64     max_output)
{
  if (self->max_output == max_output)
    return;

  self->max_output = max_output;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_OUTPUT]);
}

void
_cria_model_set_prices (CriaModel *self,
                        double     input_price,
                        double     output_price)
{
  if (self->input_price != input_price)
    {
      self->input_price = input_price;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INPUT_PRICE]);
    }
  if (self->output_price != output_price)
    {
      self->output_price = output_price;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTPUT_PRICE]);
    }
}

void
_cria_model_set_available (CriaModel *self,
                           gboolean   available)
{
  available = !!available;
  if (self->available == available)
    return;

  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

void
_cria_model_set_in_catalogue (CriaModel *self,
                              gboolean   in_catalogue)
{
  in_catalogue = !!in_catalogue;
  if (self->in_catalogue == in_catalogue)
    return;

  self->in_catalogue = in_catalogue;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CATALOGUE]);
}

static const char * const category_names[] = {
  [CRIA_MODEL_CATEGORY_GENERAL] = "general",
  [CRIA_MODEL_CATEGORY_REASONING] = "reasoning",
  [CRIA_MODEL_CATEGORY_CODE] = "code",
  [CRIA_MODEL_CATEGORY_VISION] = "vision",
  [CRIA_MODEL_CATEGORY_EMBEDDING] = "embedding",
  [CRIA_MODEL_CATEGORY_OTHER] = "other",
};

const char *
cria_model_category_to_string (CriaModelCategory category)
{
  g_return_val_if_fail (category <= CRIA_MODEL_CATEGORY_OTHER, "other");

  return category_names[category];
}

gboolean
cria_model_category_from_string (const char        *str,
                                 CriaModelCategory *category)
{
  g_return_val_if_fail (category != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (category_names); i++)
    {
      if (g_strcmp0 (str, category_names[i]) == 0)
        {
          *category = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* cria-model-row.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "cria-format.h"
#include "cria-model-row.h"

/* A row of the model picker's list view. The list view recycles rows: a
 * row is built once and shows one model after another as the list scrolls
 * or the search changes, so everything it shows is set from its model in
 * one place, cria_model_row_update(). The first row of a category carries
 * the category's heading above it. */

struct _CriaModelRow
{
  AdwBin         parent_instance;

  CriaModel     *model;
  gboolean       current;
  char          *description;

  GtkLabel      *heading_label;
  GtkLabel      *name_label;
  GtkLabel      *vision_badge;
  GtkLabel      *reasoning_badge;
  GtkLabel      *code_badge;
  GtkLabel      *tools_badge;
  GtkLabel      *context_label;
  GtkLabel      *price_label;
  GtkLabel      *unavailable_label;
  GtkImage      *current_image;
};

G_DEFINE_FINAL_TYPE (CriaModelRow, cria_model_row, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MODEL,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/**
 * cria_model_format_context:
 * @context_length: a context window in tokens, or 0 if unknown
 *
 * Formats a context window as "128K context", the size as
 * cria_format_context_size() writes it.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if unknown
 */
char *
cria_model_format_context (gint64 context_length)
{
  g_autofree char *size = cria_format_context_size (context_length);

  if (size == NULL)
    return NULL;

  /* Translators: %s is a context window size such as "128K". */
  return g_strdup_printf (_("%s context"), size);
}

/**
 * cria_model_format_price:
 * @input_price: USD per million input tokens, negative if unknown
 * @output_price: USD per million output tokens, negative if unknown
 *
 * Returns: (transfer full): "$0.03 / $0.05 per 1M tokens", or
 *   "Price unknown" when neither price is known
 */
char *
cria_model_format_price (double input_price,
                         double output_price)
{
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  /* A price finer than a cent (0.125) keeps its digits. */
  in = cria_format_price (input_price);
  out = cria_format_price (output_price);

  if (in != NULL && out != NULL)
    /* Translators: input price / output price, in US dollars. */
    return g_strdup_printf (_("%s / %s per 1M tokens"), in, out);
  else if (in != NULL)
    return g_strdup_printf (_("%s per 1M input tokens"), in);
  else if (out != NULL)
    return g_strdup_printf (_("%s per 1M output tokens"), out);
  else
    return g_strdup (_("Price unknown"));
}

static void
cria_model_row_update (CriaModelRow *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *context = NULL;
  g_autofree char *price = NULL;
  struct {
    GtkLabel              *badge;
    CriaModelCapabilities  capability;
  } badges[] = {
    { self->vision_badge, CRIA_MODEL_CAPABILITY_VISION },
    { self->reasoning_badge, CRIA_MODEL_CAPABILITY_REASONING },
    { self->code_badge, CRIA_MODEL_CAPABILITY_CODE },
    { self->tools_badge, CRIA_MODEL_CAPABILITY_TOOLS },
  };
  gboolean known;
  gboolean available;

  g_assert (CRIA_IS_MODEL_ROW (self));

  if (self->model == NULL)
    {
      g_clear_pointer (&self->description, g_free);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      return;
    }

  known = cria_model_get_capabilities_known (self->model);
  available = cria_model_get_available (self->model);

  /* Names come from the server for models the catalogue does not know:
   * plain text only. */
  gtk_label_set_text (self->name_label, cria_model_get_name (self->model));

  for (guint i = 0; i < G_N_ELEMENTS (badges); i++)
    {
      gboolean shown = known && cria_model_has_capability (self->model, badges[i].capability);

      gtk_widget_set_visible (GTK_WIDGET (badges[i].badge), shown);
      if (shown)
        {
          if (description->len > 0)
            g_string_append (description, ", ");
          g_string_append (description, gtk_label_get_text (badges[i].badge));
        }
    }

  context = cria_model_format_context (cria_model_get_context_length (self->model));
  gtk_label_set_text (self->context_label, context != NULL ? context : "");
  gtk_widget_set_visible (GTK_WIDGET (self->context_label), context != NULL);
  if (context != NULL)
    {
      if (description->len > 0)
        g_string_append (description, ", ");
      g_string_append (description, context);
    }

  price = cria_model_format_price (cria_model_get_input_price (self->model),
                                   cria_model_get_output_price (self->model));
  gtk_label_set_text (self->price_label, price);
  if (description->len > 0)
    g_string_append (description, ", ");
  g_string_append (description, price);

  gtk_widget_set_visible (GTK_WIDGET (self->unavailable_label), !available);
  if (available)
    gtk_widget_remove_css_class (GTK_WIDGET (self), "cria-unavailable");
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "cria-unavailable");
      g_string_append (description, ", ");
      g_string_append (description, gtk_label_get_text (self->unavailable_label));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, cria_model_get_name (self->model),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&description), FALSE);
}

static void
cria_model_row_dispose (GObject *object)
{
  CriaModelRow *self = CRIA_MODEL_ROW (object);

  /* AdwBin unparents its child itself. */
  g_clear_object (&self->model);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cria_model_row_parent_class)->dispose (object);
}

static void
cria_model_row_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CriaModelRow *self = CRIA_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_row_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CriaModelRow *self = CRIA_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      cria_model_row_set_model (self, g_value_get_object (value));
      break;
    case PROP_CURRENT:
      cria_model_row_set_current (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_model_row_class_init (CriaModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_model_row_dispose;
  object_class->get_property = cria_model_row_get_property;
  object_class->set_property = cria_model_row_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         CRIA_TYPE_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CURRENT] =
    g_param_spec_boolean ("current", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/cria/Cria/cria-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, vision_badge);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, reasoning_badge);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, code_badge);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, tools_badge);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, context_label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, price_label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, unavailable_label);
  gtk_widget_class_bind_template_child (widget_class, CriaModelRow, current_image);
}

static void
cria_model_row_init (CriaModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cria_model_row_new (CriaModel *model)
{
  g_return_val_if_fail (model == NULL || CRIA_IS_MODEL (model), NULL);

  return g_object_new (CRIA_TYPE_MODEL_ROW, "model", model, NULL);
}

/**
 * cria_model_row_set_model:
 * @model: (nullable): the model to show, or %NULL when the row is not in use
 *
 * Shows @model in the row; the list view calls it again each time it
 * recycles the row for another model.
 */
void
cria_model_row_set_model (CriaModelRow *self,
                          CriaModel    *model)
{
  g_return_if_fail (CRIA_IS_MODEL_ROW (self));
  g_return_if_fail (model == NULL || CRIA_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;

  cria_model_row_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

/**
 * cria_model_row_get_description:
 *
 * Returns: (transfer none) (nullable): what the row says about its model
 *   besides the name (badges, context, price, availability), as the
 *   row's accessible description reads it
 */
const char *
cria_model_row_get_description (CriaModelRow *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_ROW (self), NULL);

  return self->description;
}

/**
 * cria_model_row_set_heading:
 * @heading: (nullable): a category heading to show above the row, or %NULL
 */
void
cria_model_row_set_heading (CriaModelRow *self,
                            const char   *heading)
{
  g_return_if_fail (CRIA_IS_MODEL_ROW (self));

  gtk_label_set_text (self->heading_label, heading != NULL ? heading : "");
  gtk_widget_set_visible (GTK_WIDGET (self->heading_label), heading != NULL);
}

/**
 * cria_model_row_get_heading:
 *
 * Returns: (transfer none) (nullable): the heading shown above the row
 */
const char *
cria_model_row_get_heading (CriaModelRow *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->heading_label)))
    return NULL;

  return gtk_label_get_text (self->heading_label);
}

/**
 * cria_model_row_get_model:
 *
 * Returns: (transfer none) (nullable): the row's model
 */
CriaModel *
cria_model_row_get_model (CriaModelRow *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_ROW (self), NULL);

  return self->model;
}

gboolean
cria_model_row_get_current (CriaModelRow *self)
{
  g_return_val_if_fail (CRIA_IS_MODEL_ROW (self), FALSE);

  return self->current;
}

/**
 * cria_model_row_set_current:
 *
 * Marks the row as the model in use, with a check mark.
 */
void
cria_model_row_set_current (CriaModelRow *self,
                            gboolean      current)
{
  g_return_if_fail (CRIA_IS_MODEL_ROW (self));

  current = !!current;
  if (self->current == current)
    return;

  self->current = current;
  gtk_widget_set_visible (GTK_WIDGET (self->current_image), current);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self),
                               GTK_ACCESSIBLE_STATE_SELECTED, current,
                               -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

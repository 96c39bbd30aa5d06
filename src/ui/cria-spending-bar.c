/* cria-spending-bar.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cria-spending-bar.h"

struct _CriaSpendingBar
{
  GtkWidget                  parent_instance;

  const CriaSpendingPalette *palette;
  double                     values[CRIA_SPENDING_N_SERIES];
  double                     max;
  char                      *label;
};

G_DEFINE_FINAL_TYPE (CriaSpendingBar, cria_spending_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cria_spending_bar_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  /* The chart gives each bar its share of the width, down to nothing on a
   * very narrow screen, and the height of its plot. */
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 8 : 120;
}

static void
cria_spending_bar_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CriaSpendingBar *self = CRIA_SPENDING_BAR (widget);
  const CriaSpendingPalette *palette = self->palette;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double total = 0;
  double scale, gap, bar_width, bottom;

  for (guint i = 0; i < CRIA_SPENDING_N_SERIES; i++)
    total += self->values[i];

  if (self->max <= 0 || total <= 0 || width <= 0 || height <= 0)
    return;

  /* Bars stand apart while there is room for a gap; at two or three pixels
   * each they touch rather than vanish. */
  gap = width >= 6 ? floor (width / 4.0) : width >= 3 ? 1 : 0;
  bar_width = width - gap;
  scale = height / self->max;
  /* A day that cost anything shows at least a pixel. */
  if (total * scale < 1)
    scale = 1 / total;

  bottom = height;
  for (guint i = 0; i < CRIA_SPENDING_N_SERIES && bottom > 0; i++)
    {
      double h = MIN (self->values[i] * scale, bottom);
      graphene_rect_t rect;

      if (h <= 0)
        continue;

      rect = GRAPHENE_RECT_INIT (floor (gap / 2), bottom - h, bar_width, h);
      gtk_snapshot_append_color (snapshot, &palette->series[i], &rect);

      /* In high contrast each segment is outlined, so neighbouring colours
       * still read apart. */
      if (palette->outline && h >= 3 && bar_width >= 3)
        {
          GskRoundedRect outline;
          const float widths[4] = { 1, 1, 1, 1 };
          const GdkRGBA colors[4] = { palette->foreground, palette->foreground,
                                      palette->foreground, palette->foreground };

          gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
          gtk_snapshot_append_border (snapshot, &outline, widths, colors);
        }

      bottom -= h;
    }
}

static gboolean
cria_spending_bar_query_tooltip (GtkWidget  *widget,
                                 int         x,
                                 int         y,
                                 gboolean    keyboard_tooltip,
                                 GtkTooltip *tooltip)
{
  CriaSpendingBar *self = CRIA_SPENDING_BAR (widget);

  /* A tooltip asked for rather than set: a set one would also become the
   * accessible description, and screen readers would read the day twice. */
  if (self->label == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, self->label);
  return TRUE;
}

void
cria_spending_bar_set_values (CriaSpendingBar *self,
                              const double    *values,
                              double           max)
{
  g_return_if_fail (CRIA_IS_SPENDING_BAR (self));
  g_return_if_fail (values != NULL);

  if (memcmp (self->values, values, sizeof self->values) == 0 && self->max == max)
    return;

  memcpy (self->values, values, sizeof self->values);
  self->max = max;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

double
cria_spending_bar_get_value (CriaSpendingBar *self,
                             guint            series)
{
  g_return_val_if_fail (CRIA_IS_SPENDING_BAR (self), 0);
  g_return_val_if_fail (series < CRIA_SPENDING_N_SERIES, 0);

  return self->values[series];
}

void
cria_spending_bar_set_label (CriaSpendingBar *self,
                             const char      *label)
{
  g_return_if_fail (CRIA_IS_SPENDING_BAR (self));

  if (g_strcmp0 (self->label, label) == 0)
    return;

  g_free (self->label);
  self->label = g_strdup (label);
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

const char *
cria_spending_bar_get_label (CriaSpendingBar *self)
{
  g_return_val_if_fail (CRIA_IS_SPENDING_BAR (self), NULL);

  return self->label;
}

static void
cria_spending_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CriaSpendingBar *self = CRIA_SPENDING_BAR (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_spending_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CriaSpendingBar *self = CRIA_SPENDING_BAR (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      cria_spending_bar_set_label (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_spending_bar_finalize (GObject *object)
{
  CriaSpendingBar *self = CRIA_SPENDING_BAR (object);

  g_free (self->label);

  G_OBJECT_CLASS (cria_spending_bar_parent_class)->finalize (object);
}

static void
cria_spending_bar_class_init (CriaSpendingBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cria_spending_bar_finalize;
  object_class->get_property = cria_spending_bar_get_property;
  object_class->set_property = cria_spending_bar_set_property;
  widget_class->measure = cria_spending_bar_measure;
  widget_class->snapshot = cria_spending_bar_snapshot;
  widget_class->query_tooltip = cria_spending_bar_query_tooltip;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A picture of one day's figures, named by them. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_css_name (widget_class, "criaspendingbar");
}

static void
cria_spending_bar_init (CriaSpendingBar *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
cria_spending_bar_new (const CriaSpendingPalette *palette)
{
  CriaSpendingBar *self;

  g_return_val_if_fail (palette != NULL, NULL);

  self = g_object_new (CRIA_TYPE_SPENDING_BAR, NULL);
  self->palette = palette;

  return GTK_WIDGET (self);
}

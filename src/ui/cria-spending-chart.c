/* cria-spending-chart.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cria-format.h"
#include "cria-spending-chart-private.h"

/* The plot's height, and the spacing of the parts around it. */
#define PLOT_HEIGHT 120
#define SECTION_GAP 8
#define SWATCH_SIZE 10
#define SWATCH_GAP 6
#define LEGEND_ITEM_GAP 12
#define LEGEND_LINE_GAP 4
/* Ninety days fit in 180 pixels. */
#define MIN_BAR_WIDTH 2

/* libadwaita's named palette, one colour per series: hues that read on
 * light and dark backgrounds alike, the last (all other models) grey. The
 * values are libadwaita's, for a style that lacks a name. */
static const struct
{
  const char *name;
  const char *fallback;
} series_colors[CRIA_SPENDING_N_SERIES] = {
  { "blue_3", "#3584e4" },
  { "orange_3", "#ff7800" },
  { "green_5", "#26a269" },
  { "purple_2", "#c061cb" },
  { "yellow_5", "#e5a50a" },
  { "light_5", "#9a9996" },
};

struct _CriaSpendingChart
{
  GtkWidget            parent_instance;

  CriaSpendingPalette  palette;
  /* CriaSpendingBar, oldest day first: children of the chart. */
  GPtrArray           *bars;
  /* GtkLabel per legend entry; entry i is drawn in series i. */
  GPtrArray           *legend;
  /* Where each legend entry's swatch is, from the last allocation. */
  graphene_rect_t      swatches[CRIA_SPENDING_N_SERIES];
  GtkWidget           *max_label;
  GtkWidget           *start_label;
  GtkWidget           *end_label;
  GtkWidget           *caption;
  int                  plot_y;
  gboolean             start_label_fits;
  /* The day whose bar takes the focus: the only focusable one. */
  int                  focused_day;
};

G_DEFINE_FINAL_TYPE (CriaSpendingChart, cria_spending_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOCUSED_DAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
cria_spending_model_name (GHashTable *names,
                          const char *model)
{
  const char *name;

  if (model == NULL || *model == '\0')
    return _("Unknown model");

  name = names != NULL ? g_hash_table_lookup (names, model) : NULL;

  return name != NULL ? name : model;
}

static char *
format_cost (double   cost,
             gboolean estimated)
{
  return estimated ? cria_format_estimated_cost (cost) : cria_format_cost (cost);
}

static char *
format_day (gint64      start,
            const char *format)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (start / G_USEC_PER_SEC);

  return date != NULL ? g_date_time_format (date, format) : g_strdup ("");
}

/* The top of the scale: the day that cost most, rounded up to 1, 2, 2.5 or
 * 5 times a power of ten, so the label is a round figure. */
static double
nice_ceiling (double value)
{
  static const double steps[] = { 1, 2, 2.5, 5, 10 };
  double magnitude;

  if (!(value > 0) || !isfinite (value))
    return 0;

  magnitude = pow (10, floor (log10 (value)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (value <= steps[i] * magnitude * (1 + 1e-9))
      return steps[i] * magnitude;

  return 10 * magnitude;
}

/* What a model cost on a day: "Llama 3.1 8B $0.10", "Llama 3.1 8B $0.10
 * (1 answer without a price)", "Llama 3.1 8B (2 answers without a price)". */
static char *
model_figures (const CriaSpendingRow *row,
               GHashTable            *names)
{
  const char *name = cria_spending_model_name (names, row->model);
  g_autofree char *cost = format_cost (row->cost, row->estimated > 0);
  g_autofree char *count = NULL;
  g_autofree char *unpriced = NULL;

  if (row->unpriced <= 0)
    /* Translators: a model and what it cost on a day: "Llama 3.1 8B $0.10" */
    return g_strdup_printf (_("%s %s"), name, cost);

  count = g_strdup_printf ("%'" G_GINT64_FORMAT, row->unpriced);
  unpriced = g_strdup_printf (ngettext ("%s answer without a price", "%s answers without a price",
                                        (gulong) CLAMP (row->unpriced, 0, G_MAXLONG)),
                              count);
  if (row->answers > row->unpriced)
    /* Translators: a model, what it cost on a day, and its answers that had
     * no price: "Llama 3.1 8B $0.10 (1 answer without a price)" */
    return g_strdup_printf (_("%s %s (%s)"), name, cost, unpriced);

  /* Translators: a model whose answers on a day had no price:
   * "Llama 3.1 8B (2 answers without a price)" */
  return g_strdup_printf (_("%s (%s)"), name, unpriced);
}

/* "7 December: $0.12 — Llama 3.1 8B $0.10, Qwen 3 8B $0.02" */
static char *
day_label (GPtrArray  *rows,
           gint64      start,
           GHashTable *names)
{
  /* Translators: a day in the spending chart, in g_date_time_format()'s
   * conversions: "7 December". Write it as dates are written in your
   * language, for example "%-d. %B" or "%-d de %B". */
  g_autofree char *date = format_day (start, _("%-d %B"));
  g_autoptr(CriaSpendingRow) total = cria_spending_rows_total (rows);
  g_autofree char *amount = format_cost (total->cost, total->estimated > 0);
  g_autoptr(GString) models = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      g_autofree char *figures = model_figures (g_ptr_array_index (rows, i), names);

      if (models->len > 0)
        /* Translators: between the models of a day in the spending chart */
        g_string_append (models, _(", "));
      g_string_append (models, figures);
    }

  if (models->len == 0)
    /* Translators: a day without answers in the spending chart: "7 December: $0.00" */
    return g_strdup_printf (_("%s: %s"), date, amount);

  /* Translators: a day in the spending chart, what it cost and what each
   * model cost: "7 December: $0.12 — Llama 3.1 8B $0.10, Qwen 3 8B $0.02" */
  return g_strdup_printf (_("%s: %s — %s"), date, amount, models->str);
}

typedef struct
{
  const char *model;
  double      cost;
} ModelCost;

static int
compare_model_costs (gconstpointer a,
                     gconstpointer b)
{
  const ModelCost *x = *(ModelCost * const *) a;
  const ModelCost *y = *(ModelCost * const *) b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;

  return g_strcmp0 (x->model, y->model);
}

static void
update_caption (CriaSpendingChart *self)
{
  const char *text = NULL;

  if (self->focused_day >= 0 && (guint) self->focused_day < self->bars->len)
    text = cria_spending_bar_get_label (g_ptr_array_index (self->bars, self->focused_day));

  gtk_label_set_text (GTK_LABEL (self->caption), text != NULL ? text : "");
}

static void
set_focused_day (CriaSpendingChart *self,
                 int                day)
{
  if (self->focused_day == day)
    return;

  if (self->focused_day >= 0 && (guint) self->focused_day < self->bars->len)
    {
      GtkWidget *old = g_ptr_array_index (self->bars, self->focused_day);

      gtk_widget_set_focusable (old, FALSE);
      gtk_widget_unset_state_flags (old, GTK_STATE_FLAG_SELECTED);
    }
  self->focused_day = day;
  if (day >= 0)
    {
      GtkWidget *bar = g_ptr_array_index (self->bars, day);

      /* Its column is marked: it is the day the caption speaks of. */
      gtk_widget_set_focusable (bar, TRUE);
      gtk_widget_set_state_flags (bar, GTK_STATE_FLAG_SELECTED, FALSE);
    }

  update_caption (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUSED_DAY]);
}

static void
focus_day (CriaSpendingChart *self,
           int                day)
{
  GtkWidget *bar;

  if (self->bars->len == 0)
    return;

  day = CLAMP (day, 0, (int) self->bars->len - 1);
  bar = g_ptr_array_index (self->bars, day);
  gtk_widget_set_focusable (bar, TRUE);
  gtk_widget_grab_focus (bar);
  set_focused_day (self, day);
}

/* As many bars as days: days come and go at the old end, so the bar of the
 * newest day, which has the focus at first, stays the same widget. */
static void
ensure_bars (CriaSpendingChart *self,
             guint              n_days)
{
  int focused = self->focused_day;

  while (self->bars->len > n_days)
    {
      gtk_widget_unparent (g_ptr_array_index (self->bars, 0));
      g_ptr_array_remove_index (self->bars, 0);
      focused--;
    }

  while (self->bars->len < n_days)
    {
      GtkWidget *bar = cria_spending_bar_new (&self->palette);

      gtk_widget_set_focusable (bar, FALSE);
      gtk_widget_insert_before (bar, GTK_WIDGET (self),
                                self->bars->len > 0 ? g_ptr_array_index (self->bars, 0) : self->start_label);
      g_ptr_array_insert (self->bars, 0, bar);
      if (focused >= 0)
        focused++;
    }

  /* The same bar keeps the focus; without one, the newest day takes it. */
  if (focused < 0 || (guint) focused >= n_days)
    focused = (int) n_days - 1;
  for (guint i = 0; i < self->bars->len; i++)
    {
      GtkWidget *bar = g_ptr_array_index (self->bars, i);

      gtk_widget_set_focusable (bar, (int) i == focused);
      if ((int) i == focused)
        gtk_widget_set_state_flags (bar, GTK_STATE_FLAG_SELECTED, FALSE);
      else
        gtk_widget_unset_state_flags (bar, GTK_STATE_FLAG_SELECTED);
    }
  if (self->focused_day != focused)
    {
      self->focused_day = focused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUSED_DAY]);
    }
}

static void
set_legend (CriaSpendingChart  *self,
            const char * const *entries,
            guint               n_entries)
{
  g_assert (n_entries <= CRIA_SPENDING_N_SERIES);

  while (self->legend->len > n_entries)
    {
      gtk_widget_unparent (g_ptr_array_index (self->legend, self->legend->len - 1));
      g_ptr_array_remove_index (self->legend, self->legend->len - 1);
    }

  while (self->legend->len < n_entries)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_insert_before (label, GTK_WIDGET (self), self->max_label);
      g_ptr_array_add (self->legend, label);
    }

  for (guint i = 0; i < n_entries; i++)
    gtk_label_set_text (g_ptr_array_index (self->legend, i), entries[i]);
}

void
cria_spending_chart_set_spending (CriaSpendingChart  *self,
                                  const CriaSpending *spending,
                                  guint               n_days,
                                  GHashTable         *names)
{
  g_autoptr(GHashTable) totals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GHashTable) series = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) ranked = g_ptr_array_new ();
  const char *entries[CRIA_SPENDING_N_SERIES];
  guint first, n_entries;
  GHashTableIter iter;
  gpointer value;
  double highest = 0, max;
  g_autofree char *max_text = NULL;

  g_return_if_fail (CRIA_IS_SPENDING_CHART (self));
  g_return_if_fail (spending != NULL);

  n_days = MIN (n_days, spending->n_periods);
  first = spending->n_periods - n_days;

  /* The models that cost anything over these days, most expensive first. */
  for (guint d = first; d < spending->n_periods; d++)
    for (guint i = 0; i < spending->periods[d]->len; i++)
      {
        const CriaSpendingRow *row = g_ptr_array_index (spending->periods[d], i);
        ModelCost *total;

        if (!(row->cost > 0))
          continue;

        total = g_hash_table_lookup (totals, row->model);
        if (total == NULL)
          {
            total = g_new0 (ModelCost, 1);
            total->model = row->model;
            g_hash_table_insert (totals, row->model, total);
          }
        total->cost += row->cost;
      }

  g_hash_table_iter_init (&iter, totals);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (ranked, value);
  g_ptr_array_sort (ranked, compare_model_costs);

  /* Each model its own colour while there are colours enough; past that
   * the last colour stands for all the others. */
  n_entries = MIN (ranked->len, CRIA_SPENDING_N_SERIES);
  for (guint i = 0; i < ranked->len; i++)
    {
      const ModelCost *model = g_ptr_array_index (ranked, i);
      guint s = MIN (i, CRIA_SPENDING_N_SERIES - 1);

      g_hash_table_insert (series, (gpointer) model->model, GUINT_TO_POINTER (s + 1));
      if (i < n_entries)
        entries[i] = cria_spending_model_name (names, model->model);
    }
  if (ranked->len > CRIA_SPENDING_N_SERIES)
    entries[CRIA_SPENDING_N_SERIES - 1] = _("Other models");
  set_legend (self, entries, n_entries);

  ensure_bars (self, n_days);

  for (guint d = 0; d < n_days; d++)
    {
      GPtrArray *rows = spending->periods[first + d];
      double day_total = 0;

      for (guint i = 0; i < rows->len; i++)
        {
          const CriaSpendingRow *row = g_ptr_array_index (rows, i);

          if (row->cost > 0)
            day_total += row->cost;
        }
      highest = MAX (highest, day_total);
    }
  max = nice_ceiling (highest);

  for (guint d = 0; d < n_days; d++)
    {
      GPtrArray *rows = spending->periods[first + d];
      CriaSpendingBar *bar = g_ptr_array_index (self->bars, d);
      double values[CRIA_SPENDING_N_SERIES] = { 0 };
      g_autofree char *label = NULL;

      for (guint i = 0; i < rows->len; i++)
        {
          const CriaSpendingRow *row = g_ptr_array_index (rows, i);

          if (row->cost > 0)
            values[GPOINTER_TO_UINT (g_hash_table_lookup (series, row->model)) - 1] += row->cost;
        }

      label = day_label (rows, spending->edges[first + d], names);
      cria_spending_bar_set_values (bar, values, max);
      cria_spending_bar_set_label (bar, label);
    }

  max_text = cria_format_price (max);
  gtk_label_set_text (GTK_LABEL (self->max_label), max_text);
  gtk_widget_set_tooltip_text (self->max_label, _("The top of the scale"));

  if (n_days > 0)
    {
      /* Translators: the first and last day under the spending chart, in
       * g_date_time_format()'s conversions: "7 Dec" */
      g_autofree char *start = format_day (spending->edges[first], _("%-d %b"));
      g_autofree char *end = format_day (spending->edges[spending->n_periods - 1], _("%-d %b"));

      gtk_label_set_text (GTK_LABEL (self->start_label), start);
      gtk_label_set_text (GTK_LABEL (self->end_label), end);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->start_label), "");
      gtk_label_set_text (GTK_LABEL (self->end_label), "");
    }

  update_caption (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
cria_spending_chart_get_focused_day (CriaSpendingChart *self)
{
  g_return_val_if_fail (CRIA_IS_SPENDING_CHART (self), -1);

  return self->focused_day;
}

/* Layout */

static int
legend_width (CriaSpendingChart *self,
              gboolean           natural)
{
  int width = 0;

  for (guint i = 0; i < self->legend->len; i++)
    {
      int minimum, natural_width;

      gtk_widget_measure (g_ptr_array_index (self->legend, i), GTK_ORIENTATION_HORIZONTAL, -1,
                          &minimum, &natural_width, NULL, NULL);
      if (natural)
        width += (i > 0 ? LEGEND_ITEM_GAP : 0) + SWATCH_SIZE + SWATCH_GAP + natural_width;
      else
        width = MAX (width, SWATCH_SIZE + SWATCH_GAP + minimum);
    }

  return width;
}

/* Lays the legend out in lines within @width, allocating when @allocate;
 * returns its height. */
static int
layout_legend (CriaSpendingChart *self,
               int                width,
               gboolean           allocate)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;
  int x = 0, y = 0, line_height = 0;

  for (guint i = 0; i < self->legend->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (self->legend, i);
      int minimum, natural, height, label_width, item_width;

      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
      label_width = MAX (minimum, MIN (natural, width - SWATCH_SIZE - SWATCH_GAP));
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, label_width, &height, NULL, NULL, NULL);
      item_width = SWATCH_SIZE + SWATCH_GAP + label_width;

      if (x > 0 && x + item_width > width)
        {
          x = 0;
          y += line_height + LEGEND_LINE_GAP;
          line_height = 0;
        }

      if (allocate)
        {
          int swatch_x = rtl ? width - x - SWATCH_SIZE : x;
          int label_x = rtl ? width - x - item_width : x + SWATCH_SIZE + SWATCH_GAP;

          self->swatches[i] = GRAPHENE_RECT_INIT (swatch_x, y + MAX (0, (height - SWATCH_SIZE) / 2),
                                                  SWATCH_SIZE, SWATCH_SIZE);
          gtk_widget_size_allocate (label, &(GtkAllocation) { label_x, y, label_width, height }, -1);
        }

      x += item_width + LEGEND_ITEM_GAP;
      line_height = MAX (line_height, height);
    }

  return self->legend->len > 0 ? y + line_height : 0;
}

static int
label_height (GtkWidget *label,
              int        width)
{
  int height;

  gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, &height, NULL, NULL, NULL);

  return height;
}

static int
min_width (CriaSpendingChart *self)
{
  int width = MAX (legend_width (self, FALSE), (int) self->bars->len * MIN_BAR_WIDTH);
  GtkWidget *labels[] = { self->max_label, self->end_label, self->caption };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      int minimum;

      gtk_widget_measure (labels[i], GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      width = MAX (width, minimum);
    }

  return width;
}

static int
height_for_width (CriaSpendingChart *self,
                  int                width)
{
  int legend = layout_legend (self, width, FALSE);

  return legend + (legend > 0 ? SECTION_GAP : 0)
         + label_height (self->max_label, -1) + 2
         + PLOT_HEIGHT + 4
         + label_height (self->end_label, -1)
         + SECTION_GAP + label_height (self->caption, width);
}

static GtkSizeRequestMode
cria_spending_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cria_spending_chart_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);
  int least = min_width (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = least;
      *natural = MAX (least, MAX (legend_width (self, TRUE), (int) self->bars->len * 8));
    }
  else
    *minimum = *natural = height_for_width (self, MAX (for_size, least));
}

static void
cria_spending_chart_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  guint n_bars = self->bars->len;
  int y, max_width, max_height, start_width, end_width, date_height;

  y = layout_legend (self, width, TRUE);
  if (y > 0)
    y += SECTION_GAP;

  gtk_widget_measure (self->max_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &max_width, NULL, NULL);
  max_width = MIN (max_width, width);
  max_height = label_height (self->max_label, -1);
  gtk_widget_size_allocate (self->max_label,
                            &(GtkAllocation) { rtl ? width - max_width : 0, y, max_width, max_height }, -1);
  y += max_height + 2;

  /* Each bar gets its share of the width, rounded so they tile it exactly. */
  self->plot_y = y;
  for (guint i = 0; i < n_bars; i++)
    {
      GtkWidget *bar = g_ptr_array_index (self->bars, i);
      int x0 = (int) round ((double) i * width / n_bars);
      int x1 = (int) round ((double) (i + 1) * width / n_bars);

      gtk_widget_measure (bar, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
      gtk_widget_size_allocate (bar, &(GtkAllocation) { rtl ? width - x1 : x0, y, x1 - x0, PLOT_HEIGHT }, -1);
    }
  y += PLOT_HEIGHT + 4;

  gtk_widget_measure (self->start_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &start_width, NULL, NULL);
  gtk_widget_measure (self->end_label, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &end_width, NULL, NULL);
  start_width = MIN (start_width, width);
  end_width = MIN (end_width, width);
  date_height = MAX (label_height (self->start_label, -1), label_height (self->end_label, -1));
  /* The first day's date is left out when both do not fit side by side. */
  self->start_label_fits = start_width + end_width + 12 <= width;
  gtk_widget_size_allocate (self->start_label,
                            &(GtkAllocation) { rtl ? width - start_width : 0, y, start_width, date_height }, -1);
  gtk_widget_size_allocate (self->end_label,
                            &(GtkAllocation) { rtl ? 0 : width - end_width, y, end_width, date_height }, -1);
  y += date_height + SECTION_GAP;

  gtk_widget_size_allocate (self->caption,
                            &(GtkAllocation) { 0, y, width, MAX (0, MIN (label_height (self->caption, width),
                                                                         height - y)) }, -1);
}

/* Drawing */

static void
update_palette (CriaSpendingChart *self)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  for (guint i = 0; i < CRIA_SPENDING_N_SERIES; i++)
    if (!gtk_style_context_lookup_color (context, series_colors[i].name, &self->palette.series[i]))
      gdk_rgba_parse (&self->palette.series[i], series_colors[i].fallback);
  gtk_style_context_get_color (context, &self->palette.foreground);
  G_GNUC_END_IGNORE_DEPRECATIONS

  self->palette.outline = adw_style_manager_get_high_contrast (adw_style_manager_get_default ());
}

static void
append_line (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          alpha,
             int            width,
             float          y)
{
  GdkRGBA faded = *color;

  faded.alpha *= alpha;
  gtk_snapshot_append_color (snapshot, &faded, &GRAPHENE_RECT_INIT (0, y, width, 1));
}

static void
cria_spending_chart_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);
  int width = gtk_widget_get_width (widget);

  /* The bars draw with the palette: it is current before they do. */
  update_palette (self);

  for (guint i = 0; i < self->legend->len; i++)
    {
      const GdkRGBA *fg = &self->palette.foreground;
      GskRoundedRect swatch;

      gsk_rounded_rect_init_from_rect (&swatch, &self->swatches[i], 2);
      gtk_snapshot_push_rounded_clip (snapshot, &swatch);
      gtk_snapshot_append_color (snapshot, &self->palette.series[i], &self->swatches[i]);
      gtk_snapshot_pop (snapshot);
      if (self->palette.outline)
        gtk_snapshot_append_border (snapshot, &swatch, (const float[4]) { 1, 1, 1, 1 },
                                    (const GdkRGBA[4]) { *fg, *fg, *fg, *fg });
      gtk_widget_snapshot_child (widget, g_ptr_array_index (self->legend, i), snapshot);
    }

  /* The top of the scale, faint, and the baseline. */
  if (self->bars->len > 0)
    {
      append_line (snapshot, &self->palette.foreground, self->palette.outline ? 0.5 : 0.15, width,
                   self->plot_y);
      append_line (snapshot, &self->palette.foreground, self->palette.outline ? 1 : 0.5, width,
                   self->plot_y + PLOT_HEIGHT - 1);
    }

  gtk_widget_snapshot_child (widget, self->max_label, snapshot);
  for (guint i = 0; i < self->bars->len; i++)
    gtk_widget_snapshot_child (widget, g_ptr_array_index (self->bars, i), snapshot);
  if (self->start_label_fits)
    gtk_widget_snapshot_child (widget, self->start_label, snapshot);
  gtk_widget_snapshot_child (widget, self->end_label, snapshot);
  gtk_widget_snapshot_child (widget, self->caption, snapshot);
}

static void
cria_spending_chart_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);

  GTK_WIDGET_CLASS (cria_spending_chart_parent_class)->css_changed (widget, change);

  /* Light, dark or high contrast: the bars draw again in the new palette. */
  for (guint i = 0; i < self->bars->len; i++)
    gtk_widget_queue_draw (g_ptr_array_index (self->bars, i));
}

/* Focus */

static void
cria_spending_chart_set_focus_child (GtkWidget *widget,
                                     GtkWidget *child)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);
  guint day;

  GTK_WIDGET_CLASS (cria_spending_chart_parent_class)->set_focus_child (widget, child);

  if (child != NULL && g_ptr_array_find (self->bars, child, &day))
    set_focused_day (self, day);
}

static gboolean
cria_spending_chart_grab_focus (GtkWidget *widget)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);

  if (self->focused_day < 0)
    return FALSE;

  return gtk_widget_grab_focus (g_ptr_array_index (self->bars, self->focused_day));
}

static gboolean
move_cb (GtkWidget *widget,
         GVariant  *args,
         gpointer   user_data)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);
  int step = g_variant_get_int32 (args);

  if (self->focused_day < 0)
    return FALSE;

  /* Earlier days are on the left, or on the right in a right-to-left
   * language. */
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    step = -step;
  focus_day (self, self->focused_day + step);

  return TRUE;
}

static gboolean
home_end_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (widget);

  if (self->focused_day < 0)
    return FALSE;

  focus_day (self, g_variant_get_boolean (args) ? (int) self->bars->len - 1 : 0);

  return TRUE;
}

static void
pressed_cb (GtkGestureClick   *gesture,
            int                n_press,
            double             x,
            double             y,
            CriaSpendingChart *self)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  guint day;

  /* A click on a bar shows its day in the caption. */
  if (picked != NULL && g_ptr_array_find (self->bars, picked, &day))
    focus_day (self, day);
}

/* For tests */

guint
_cria_spending_chart_get_n_bars (CriaSpendingChart *self)
{
  return self->bars->len;
}

CriaSpendingBar *
_cria_spending_chart_get_bar (CriaSpendingChart *self,
                              guint              day)
{
  g_return_val_if_fail (day < self->bars->len, NULL);

  return g_ptr_array_index (self->bars, day);
}

GtkLabel *
_cria_spending_chart_get_caption (CriaSpendingChart *self)
{
  return GTK_LABEL (self->caption);
}

GtkLabel *
_cria_spending_chart_get_max_label (CriaSpendingChart *self)
{
  return GTK_LABEL (self->max_label);
}

char *
_cria_spending_chart_dup_legend (CriaSpendingChart *self)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < self->legend->len; i++)
    g_string_append_printf (out, "%s\n", gtk_label_get_text (g_ptr_array_index (self->legend, i)));

  return g_string_free (out, FALSE);
}

static void
cria_spending_chart_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (object);

  switch (prop_id)
    {
    case PROP_FOCUSED_DAY:
      g_value_set_int (value, self->focused_day);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_spending_chart_dispose (GObject *object)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->bars, 0);
  g_ptr_array_set_size (self->legend, 0);

  G_OBJECT_CLASS (cria_spending_chart_parent_class)->dispose (object);
}

static void
cria_spending_chart_finalize (GObject *object)
{
  CriaSpendingChart *self = CRIA_SPENDING_CHART (object);

  g_ptr_array_unref (self->bars);
  g_ptr_array_unref (self->legend);

  G_OBJECT_CLASS (cria_spending_chart_parent_class)->finalize (object);
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  int             step)
{
  gtk_widget_class_add_binding (widget_class, keyval, 0, move_cb, "i", step);
}

static void
cria_spending_chart_class_init (CriaSpendingChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_spending_chart_dispose;
  object_class->finalize = cria_spending_chart_finalize;
  object_class->get_property = cria_spending_chart_get_property;
  widget_class->get_request_mode = cria_spending_chart_get_request_mode;
  widget_class->measure = cria_spending_chart_measure;
  widget_class->size_allocate = cria_spending_chart_size_allocate;
  widget_class->snapshot = cria_spending_chart_snapshot;
  widget_class->css_changed = cria_spending_chart_css_changed;
  widget_class->set_focus_child = cria_spending_chart_set_focus_child;
  widget_class->grab_focus = cria_spending_chart_grab_focus;

  properties[PROP_FOCUSED_DAY] =
    g_param_spec_int ("focused-day", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  add_move_binding (widget_class, GDK_KEY_Left, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Left, -1);
  add_move_binding (widget_class, GDK_KEY_Right, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Right, 1);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Home, 0, home_end_cb, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_Home, 0, home_end_cb, "b", FALSE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_End, 0, home_end_cb, "b", TRUE);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_KP_End, 0, home_end_cb, "b", TRUE);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_set_css_name (widget_class, "criaspendingchart");
}

static void
cria_spending_chart_init (CriaSpendingChart *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->bars = g_ptr_array_new ();
  self->legend = g_ptr_array_new ();
  self->focused_day = -1;

  self->max_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->max_label, "caption");
  gtk_widget_add_css_class (self->max_label, "numeric");
  gtk_widget_add_css_class (self->max_label, "dim-label");
  gtk_widget_set_parent (self->max_label, GTK_WIDGET (self));

  self->start_label = gtk_label_new (NULL);
  self->end_label = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->start_label, "caption");
  gtk_widget_add_css_class (self->start_label, "dim-label");
  gtk_widget_add_css_class (self->end_label, "caption");
  gtk_widget_add_css_class (self->end_label, "dim-label");
  gtk_widget_set_parent (self->start_label, GTK_WIDGET (self));
  gtk_widget_set_parent (self->end_label, GTK_WIDGET (self));

  self->caption = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->caption), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->caption), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (self->caption), 0);
  gtk_widget_add_css_class (self->caption, "numeric");
  gtk_widget_set_parent (self->caption, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Spending per day"), -1);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

GtkWidget *
cria_spending_chart_new (void)
{
  return g_object_new (CRIA_TYPE_SPENDING_CHART, NULL);
}

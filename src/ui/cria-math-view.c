/* cria-math-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "cria-math-view.h"
#include "cria-math-view-private.h"

/* Room above and below the formula, so that tall limits and deep
 * descenders are not cut by the scroller. */
#define CANVAS_PADDING 4

/* The canvas draws one formula, centred in whatever width it is given:
 * the scroller gives it at least the view's width. */
#define CRIA_TYPE_MATH_CANVAS (cria_math_canvas_get_type ())

G_DECLARE_FINAL_TYPE (CriaMathCanvas, cria_math_canvas, CRIA, MATH_CANVAS, GtkWidget)

struct _CriaMathCanvas
{
  GtkWidget        parent_instance;

  CriaMathFormula *formula;
};

G_DEFINE_FINAL_TYPE (CriaMathCanvas, cria_math_canvas, GTK_TYPE_WIDGET)

/* Laid out on first request, that is when GTK first measures the canvas,
 * and kept by the formula for every later frame. */
static const CriaMathLayout *
canvas_get_layout (CriaMathCanvas *self)
{
  double size = cria_math_text_size_px (GTK_WIDGET (self)) * CRIA_MATH_DISPLAY_SCALE;

  return cria_math_formula_get_layout (self->formula, size);
}

static void
cria_math_canvas_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  const CriaMathLayout *layout = canvas_get_layout (CRIA_MATH_CANVAS (widget));
  int size = 0;

  if (layout != NULL)
    {
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        size = (int) ceil (layout->width);
      else
        size = (int) ceil (layout->ascent + layout->descent) + 2 * CANVAS_PADDING;
    }

  *minimum = *natural = size;
}

static void
cria_math_canvas_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  const CriaMathLayout *layout = canvas_get_layout (CRIA_MATH_CANVAS (widget));
  GdkRGBA color;
  double x;

  if (layout == NULL)
    return;

  cria_math_widget_get_color (widget, &color);
  x = MAX (0, (gtk_widget_get_width (widget) - layout->width) / 2);
  cria_math_layout_snapshot (layout, snapshot, &color, round (x), CANVAS_PADDING + ceil (layout->ascent));
}

static void
cria_math_canvas_finalize (GObject *object)
{
  CriaMathCanvas *self = (CriaMathCanvas *) object;

  g_clear_pointer (&self->formula, cria_math_formula_unref);

  G_OBJECT_CLASS (cria_math_canvas_parent_class)->finalize (object);
}

static void
cria_math_canvas_class_init (CriaMathCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cria_math_canvas_finalize;
  widget_class->measure = cria_math_canvas_measure;
  widget_class->snapshot = cria_math_canvas_snapshot;

  gtk_widget_class_set_css_name (widget_class, "mathcanvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_PRESENTATION);
}

static void
cria_math_canvas_init (CriaMathCanvas *self)
{
}

static GtkWidget *
cria_math_canvas_new (CriaMathFormula *formula)
{
  CriaMathCanvas *self = g_object_new (CRIA_TYPE_MATH_CANVAS, NULL);

  self->formula = cria_math_formula_ref (formula);
  return GTK_WIDGET (self);
}

/* The view */

struct _CriaMathView
{
  GtkWidget        parent_instance;

  GtkWidget       *scroller;
  GtkWidget       *popover;
  /* The canvas or the source label, whichever the scroller shows. */
  GtkWidget       *shown;

  char            *source;
  char            *math;
  CriaMathFormula *formula;
};

G_DEFINE_FINAL_TYPE (CriaMathView, cria_math_view, GTK_TYPE_WIDGET)

static void
show_widget (CriaMathView *self,
             GtkWidget    *widget)
{
  self->shown = widget;
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), widget);
}

static void
show_source (CriaMathView *self,
             const char   *css_class,
             const char   *tooltip)
{
  const char *classes[] = { "monospace", css_class, NULL };
  GtkWidget *label;

  /* A formula streaming in updates its label each frame: the label is
   * kept rather than made anew. */
  if (GTK_IS_LABEL (self->shown))
    {
      label = self->shown;
      gtk_label_set_text (GTK_LABEL (label), self->source);
    }
  else
    {
      label = g_object_new (GTK_TYPE_LABEL,
                            "label", self->source,
                            "selectable", TRUE,
                            "xalign", 0.0f,
                            NULL);
      show_widget (self, label);
    }
  gtk_widget_set_css_classes (label, classes);
  gtk_widget_set_tooltip_text (label, tooltip);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->source,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip != NULL ? tooltip : "",
                                  -1);
}

/* Shows what the source, the formula and the preference call for. The
 * canvas is only replaced when the formula changes: a formula that stays
 * the same while the answer streams on is never laid out again. */
static void
update (CriaMathView *self)
{
  CriaMathStyle *style = cria_math_style_get_default ();
  g_autofree char *words = NULL;
  const GError *error;

  g_clear_pointer (&self->formula, cria_math_formula_unref);

  if (self->math == NULL)
    {
      show_source (self, "dim-label", NULL);
      return;
    }
  if (cria_math_style_get_as_source (style))
    {
      show_source (self, NULL, NULL);
      return;
    }

  self->formula = cria_math_formula_lookup (self->math, TRUE);
  error = cria_math_formula_get_error (self->formula);
  if (error != NULL)
    {
      show_source (self, "error", error->message);
      return;
    }

  show_widget (self, cria_math_canvas_new (self->formula));
  words = cria_math_formula_describe (self->formula);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->source,
                                  -1);
}

static void
as_source_changed_cb (CriaMathView *self)
{
  if (self->source != NULL)
    update (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CriaMathView *self = CRIA_MATH_VIEW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->source != NULL ? self->source : "");
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            CriaMathView    *self)
{
  GdkRectangle at = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &at);
  gtk_popover_popup (GTK_POPOVER (self->popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
cria_math_view_dispose (GObject *object)
{
  CriaMathView *self = (CriaMathView *) object;

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_pointer (&self->scroller, gtk_widget_unparent);
  self->shown = NULL;

  G_OBJECT_CLASS (cria_math_view_parent_class)->dispose (object);
}

static void
cria_math_view_finalize (GObject *object)
{
  CriaMathView *self = (CriaMathView *) object;

  g_clear_pointer (&self->formula, cria_math_formula_unref);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->math, g_free);

  G_OBJECT_CLASS (cria_math_view_parent_class)->finalize (object);
}

static void
cria_math_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  CriaMathView *self = CRIA_MATH_VIEW (widget);

  gtk_widget_allocate (self->scroller, width, height, baseline, NULL);
  gtk_popover_present (GTK_POPOVER (self->popover));
}

static void
cria_math_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  CriaMathView *self = CRIA_MATH_VIEW (widget);

  gtk_widget_measure (self->scroller, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
cria_math_view_class_init (CriaMathViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cria_math_view_dispose;
  object_class->finalize = cria_math_view_finalize;
  widget_class->measure = cria_math_view_measure;
  widget_class->size_allocate = cria_math_view_size_allocate;

  gtk_widget_class_install_action (widget_class, "math.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "math.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "math.copy", NULL);

  gtk_widget_class_set_css_name (widget_class, "mathview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cria_math_view_init (CriaMathView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkGesture *click;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "cria-math-block");

  self->scroller = g_object_new (GTK_TYPE_SCROLLED_WINDOW,
                                 "hscrollbar-policy", GTK_POLICY_AUTOMATIC,
                                 "vscrollbar-policy", GTK_POLICY_NEVER,
                                 "propagate-natural-height", TRUE,
                                 "hexpand", TRUE,
                                 NULL);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));

  g_menu_append (menu, _("Copy LaTeX"), "math.copy");
  self->popover = gtk_popover_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (cria_math_style_get_default (), "notify::as-source",
                           G_CALLBACK (as_source_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
cria_math_view_new (void)
{
  return g_object_new (CRIA_TYPE_MATH_VIEW, NULL);
}

void
cria_math_view_set_math (CriaMathView *self,
                         const char   *source,
                         const char   *math)
{
  g_return_if_fail (CRIA_IS_MATH_VIEW (self));
  g_return_if_fail (source != NULL);

  if (g_strcmp0 (self->source, source) == 0 && g_strcmp0 (self->math, math) == 0)
    return;

  /* Only valid UTF-8 reaches the label; the parser reports the rest. */
  g_free (self->source);
  self->source = g_utf8_make_valid (source, -1);

  if (g_strcmp0 (self->math, math) == 0 && self->math != NULL && self->formula != NULL)
    {
      /* Same formula, new surroundings: nothing to lay out again. */
      return;
    }

  g_free (self->math);
  self->math = g_strdup (math);
  update (self);
}

const char *
cria_math_view_get_source (CriaMathView *self)
{
  g_return_val_if_fail (CRIA_IS_MATH_VIEW (self), NULL);

  return self->source;
}

const CriaMathLayout *
_cria_math_view_get_layout (CriaMathView *self)
{
  g_return_val_if_fail (CRIA_IS_MATH_VIEW (self), NULL);

  if (self->formula == NULL || !CRIA_IS_MATH_CANVAS (self->shown))
    return NULL;
  return canvas_get_layout (CRIA_MATH_CANVAS (self->shown));
}

GtkWidget *
_cria_math_view_get_canvas (CriaMathView *self)
{
  g_return_val_if_fail (CRIA_IS_MATH_VIEW (self), NULL);

  return CRIA_IS_MATH_CANVAS (self->shown) ? self->shown : NULL;
}

GtkLabel *
_cria_math_view_get_source_label (CriaMathView *self)
{
  g_return_val_if_fail (CRIA_IS_MATH_VIEW (self), NULL);

  return GTK_IS_LABEL (self->shown) ? GTK_LABEL (self->shown) : NULL;
}

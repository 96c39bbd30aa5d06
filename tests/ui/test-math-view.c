/* test-math-view.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "cria-markdown-view.h"
#include "cria-markdown-view-private.h"
#include "cria-math-inline.h"
#include "cria-math-view-private.h"
#include "cria-ui-test.h"

static gboolean have_display;

typedef struct
{
  GtkWindow        *window;
  CriaMarkdownView *view;
} Fixture;

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; the ceiling only ends a hung
 * test. */
static gboolean
pump_until (Condition condition,
            gpointer  data)
{
  return cria_ui_test_wait (condition, data, 10);
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

typedef struct
{
  CriaMarkdownView *view;
  guint             builds;
} BuildsAbove;

static gboolean
builds_above (gpointer data)
{
  BuildsAbove *b = data;

  return _cria_markdown_view_get_n_tail_builds (b->view) > b->builds;
}

static void
pump_frame (CriaMarkdownView *view)
{
  BuildsAbove b = { view, _cria_markdown_view_get_n_tail_builds (view) };

  g_assert_true (pump_until (builds_above, &b));
  cria_ui_test_settle (GTK_WIDGET (view));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (!have_display)
    return;

  cria_math_style_set_as_source (cria_math_style_get_default (), FALSE);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, GPOINTER_TO_INT (data) > 0 ? GPOINTER_TO_INT (data) : 600, 400);
  fixture->view = CRIA_MARKDOWN_VIEW (cria_markdown_view_new ());
  g_object_ref_sink (fixture->view);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->view));
  gtk_window_present (fixture->window);
  g_assert_true (pump_until (is_mapped, fixture->view));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (!have_display)
    return;

  gtk_window_destroy (fixture->window);
  g_assert_finalize_object (fixture->view);
}

/* Helpers */

static GtkWidget *
find_label_with (GtkWidget  *widget,
                 const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with (child, needle);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The formula shapes of @label's attributes, as PangoAttrShape. */
static GPtrArray *
formula_shapes (GtkLabel *label)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  GPtrArray *shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) pango_attribute_destroy);
  GSList *list;

  if (attrs == NULL)
    return shapes;

  list = pango_attr_list_get_attributes (attrs);
  for (GSList *l = list; l != NULL; l = l->next)
    {
      if (cria_math_inline_get_formula (l->data) != NULL)
        g_ptr_array_add (shapes, l->data);
      else
        pango_attribute_destroy (l->data);
    }
  g_slist_free (list);
  return shapes;
}

static gboolean
label_has_attr (GtkLabel      *label,
                PangoAttrType  type)
{
  PangoAttrList *attrs = gtk_label_get_attributes (label);
  GSList *list;
  gboolean found = FALSE;

  if (attrs == NULL)
    return FALSE;
  list = pango_attr_list_get_attributes (attrs);
  for (GSList *l = list; l != NULL; l = l->next)
    if (((PangoAttribute *) l->data)->klass->type == type)
      found = TRUE;
  g_slist_free_full (list, (GDestroyNotify) pango_attribute_destroy);
  return found;
}

static GdkTexture *
render_widget_on (GtkWidget     *widget,
                  const GdkRGBA *background);

static GdkTexture *
render_widget (GtkWidget *widget)
{
  return render_widget_on (widget, &(GdkRGBA) { 1, 1, 1, 1 });
}

/* @widget drawn by the cairo renderer over @background, as pixels. */
static GdkTexture *
render_widget_on (GtkWidget     *widget,
                  const GdkRGBA *background)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkTexture *texture;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gtk_snapshot_append_color (snapshot, background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  g_assert_true (gsk_renderer_realize (renderer, NULL, NULL));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gsk_renderer_unrealize (renderer);
  return texture;
}

/* How many pixels of @texture inside @rect are not white. */
static guint
count_ink (GdkTexture            *texture,
           const graphene_rect_t *rect)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  guint ink = 0;

  gdk_texture_download (texture, pixels, width * 4);
  for (int y = MAX (0, (int) rect->origin.y); y < MIN (height, (int) (rect->origin.y + rect->size.height)); y++)
    for (int x = MAX (0, (int) rect->origin.x); x < MIN (width, (int) (rect->origin.x + rect->size.width)); x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;

        if (p[0] < 160 || p[1] < 160 || p[2] < 160)
          ink++;
      }
  return ink;
}

/* How many pixels of @texture inside @rect are nearly white. */
static guint
count_bright (GdkTexture            *texture,
              const graphene_rect_t *rect)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * height * 4);
  guint bright = 0;

  gdk_texture_download (texture, pixels, width * 4);
  for (int y = MAX (0, (int) rect->origin.y); y < MIN (height, (int) (rect->origin.y + rect->size.height)); y++)
    for (int x = MAX (0, (int) rect->origin.x); x < MIN (width, (int) (rect->origin.x + rect->size.width)); x++)
      {
        const guchar *p = pixels + ((gsize) y * width + x) * 4;

        if (p[0] > 160 && p[1] > 160 && p[2] > 160)
          bright++;
      }
  return bright;
}

/* The colours of the text nodes under @node. */
static void
collect_text_colors (GskRenderNode *node,
                     GArray        *colors)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXT_NODE:
      g_array_append_val (colors, *gsk_text_node_get_color (node));
      break;

    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        collect_text_colors (gsk_container_node_get_child (node, i), colors);
      break;

    case GSK_TRANSFORM_NODE:
      collect_text_colors (gsk_transform_node_get_child (node), colors);
      break;

    case GSK_CLIP_NODE:
      collect_text_colors (gsk_clip_node_get_child (node), colors);
      break;

    default:
      break;
    }
}

static GArray *
canvas_text_colors (GtkWidget *canvas)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GArray *colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));

  GTK_WIDGET_GET_CLASS (canvas)->snapshot (canvas, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    collect_text_colors (node, colors);
  return colors;
}

static CriaMathView *
find_math_view (Fixture *fixture)
{
  GtkWidget *view = cria_ui_test_find_descendant (GTK_WIDGET (fixture->view), CRIA_TYPE_MATH_VIEW);

  g_assert_nonnull (view);
  return CRIA_MATH_VIEW (view);
}

typedef struct
{
  gboolean  done;
  char     *text;
} ReadResult;

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadResult *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ReadResult *) data)->done;
}

static char *
read_clipboard (GtkWidget *widget)
{
  ReadResult read = { FALSE, NULL };

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &read);
  g_assert_true (pump_until (read_done, &read));
  return read.text;
}

/* Tests */

static void
test_display (Fixture       *fixture,
              gconstpointer  data)
{
  const CriaMathLayout *layout;
  GtkWidget *canvas;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t bounds;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "Before.\n\n$$\n\\frac{a+b}{2} = \\sum_{i=1}^{n} x_i\n$$\n\nAfter.\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  layout = _cria_math_view_get_layout (find_math_view (fixture));
  g_assert_nonnull (layout);
  g_assert_cmpfloat (layout->width, >, 40);
  g_assert_cmpfloat (layout->width, <, 500);
  /* A fraction and a sum with limits reach well above and below the
   * baseline. */
  g_assert_cmpfloat (layout->ascent, >, 10);
  g_assert_cmpfloat (layout->descent, >, 5);
  g_assert_cmpuint (layout->items->len, >, 8);

  /* The canvas is centred in the view's width, and shows ink there. */
  canvas = _cria_math_view_get_canvas (find_math_view (fixture));
  g_assert_true (gtk_widget_compute_bounds (canvas, GTK_WIDGET (fixture->view), &bounds));
  g_assert_cmpfloat (bounds.size.height, >=, layout->ascent + layout->descent);
  texture = render_widget (canvas);
  {
    double left = (gtk_widget_get_width (canvas) - layout->width) / 2;
    guint ink_inside = count_ink (texture, &GRAPHENE_RECT_INIT (left, 0, layout->width, bounds.size.height));
    guint ink_outside = count_ink (texture, &GRAPHENE_RECT_INIT (0, 0, MAX (0, left - 2), bounds.size.height));

    g_assert_cmpuint (ink_inside, >, 30);
    g_assert_cmpuint (ink_outside, ==, 0);
  }

  /* The paragraphs around it are untouched. */
  g_assert_nonnull (find_label_with (GTK_WIDGET (fixture->view), "Before."));
  g_assert_nonnull (find_label_with (GTK_WIDGET (fixture->view), "After."));
}

static void
test_inline (Fixture       *fixture,
             gconstpointer  data)
{
  GtkLabel *label;
  g_autoptr(GPtrArray) shapes = NULL;
  PangoAttrShape *shape;
  const CriaMathLayout *layout;
  PangoLayout *pango_layout;
  PangoLayoutIter *iter;
  g_autoptr(GdkTexture) texture = NULL;
  PangoRectangle pos;
  int baseline = -1;
  gboolean found = FALSE;
  int offset_x, offset_y;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "Let $\\frac{x^2+1}{2}$ be the value.\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Let "));
  g_assert_nonnull (label);
  /* The label keeps the source: selection and copy give it. */
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Let $\\frac{x^2+1}{2}$ be the value.");

  shapes = formula_shapes (label);
  g_assert_cmpuint (shapes->len, ==, 1);
  shape = g_ptr_array_index (shapes, 0);
  g_assert_cmpuint (shape->attr.start_index, ==, strlen ("Let "));
  layout = cria_math_formula_get_layout (cria_math_inline_get_formula (&shape->attr),
                                         cria_math_text_size_px (GTK_WIDGET (label)));
  g_assert_nonnull (layout);
  g_assert_cmpfloat (layout->width, >, 5);
  g_assert_cmpfloat (layout->width, <, 200);
  g_assert_cmpint (shape->logical_rect.width, ==, (int) ceil (layout->width * PANGO_SCALE));

  /* On the text's baseline: the shape's top is its ascent above the
   * baseline of the line it sits on. */
  g_assert_cmpint (abs (shape->logical_rect.y + (int) (layout->ascent * PANGO_SCALE)), <=, PANGO_SCALE);
  pango_layout = gtk_label_get_layout (label);
  iter = pango_layout_get_iter (pango_layout);
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

      if (run != NULL && run->item->offset == (int) strlen ("Let "))
        {
          baseline = pango_layout_iter_get_baseline (iter);
          pango_layout_iter_get_run_extents (iter, NULL, &pos);
          found = TRUE;
        }
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  g_assert_true (found);
  /* The run the formula makes rises its ascent above the line's baseline:
   * its own baseline is the text's, within a pixel. */
  g_assert_cmpint (abs ((pos.y + (int) (layout->ascent * PANGO_SCALE)) - baseline), <=, PANGO_SCALE);
  g_assert_cmpint (abs (pos.width - (int) ceil (layout->width * PANGO_SCALE)), <=, PANGO_SCALE);

  /* It is drawn there, in the label, and the text around it still is. */
  gtk_label_get_layout_offsets (label, &offset_x, &offset_y);
  texture = render_widget (GTK_WIDGET (label));
  g_assert_cmpuint (count_ink (texture, &GRAPHENE_RECT_INIT (offset_x + pos.x / PANGO_SCALE,
                                                             offset_y + pos.y / PANGO_SCALE,
                                                             layout->width, (double) pos.height / PANGO_SCALE)),
                    >, 20);
}

/* A formula in a heading is as large as the heading's text, one in a
 * paragraph as the paragraph's. */
static void
test_sizes (Fixture       *fixture,
            gconstpointer  data)
{
  GtkLabel *heading;
  GtkLabel *paragraph;
  g_autoptr(GPtrArray) heading_shapes = NULL;
  g_autoptr(GPtrArray) paragraph_shapes = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "# Solving $x^2 = 4$\n\nSo $x = 2$ or $x = -2$.\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  heading = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Solving"));
  paragraph = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "So "));
  heading_shapes = formula_shapes (heading);
  paragraph_shapes = formula_shapes (paragraph);
  g_assert_cmpuint (heading_shapes->len, ==, 1);
  g_assert_cmpuint (paragraph_shapes->len, ==, 2);

  g_assert_cmpfloat_with_epsilon (cria_math_inline_get_size_px (g_ptr_array_index (heading_shapes, 0)),
                                  cria_math_text_size_px (GTK_WIDGET (heading)), 0.5);
  g_assert_cmpfloat_with_epsilon (cria_math_inline_get_size_px (g_ptr_array_index (paragraph_shapes, 0)),
                                  cria_math_text_size_px (GTK_WIDGET (paragraph)), 0.5);
  g_assert_cmpfloat (cria_math_text_size_px (GTK_WIDGET (heading)), >,
                     cria_math_text_size_px (GTK_WIDGET (paragraph)) + 2);
}

static void
test_wide (Fixture       *fixture,
           gconstpointer  data)
{
  GString *text = g_string_new ("$$\n");
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  int window_width;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  for (guint i = 1; i <= 40; i++)
    g_string_append_printf (text, "%sx_{%u}^{%u}", i > 1 ? " + " : "", i, i);
  g_string_append (text, "\n$$\n");
  cria_markdown_view_set_text (fixture->view, text->str);
  g_string_free (text, TRUE);
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  window_width = gtk_widget_get_width (GTK_WIDGET (fixture->window));
  g_assert_cmpint (window_width, <=, 360);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (find_math_view (fixture))), <=, 360);

  /* The formula is far wider than the window: it scrolls sideways. */
  g_assert_cmpfloat (_cria_math_view_get_layout (find_math_view (fixture))->width, >, 600);
  scroller = cria_ui_test_find_descendant (GTK_WIDGET (find_math_view (fixture)), GTK_TYPE_SCROLLED_WINDOW);
  adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >, gtk_adjustment_get_page_size (adjustment) + 200);
}

/* An inline formula too wide for a narrow window shows its source, which
 * wraps, rather than keeping the window wide. */
static void
test_wide_inline (Fixture       *fixture,
                  gconstpointer  data)
{
  GString *text = g_string_new ("Expand $");
  GtkLabel *label;
  g_autoptr(GPtrArray) shapes = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  for (guint i = 1; i <= 30; i++)
    g_string_append_printf (text, "%sa_{%u} b_{%u}", i > 1 ? " + " : "", i, i);
  g_string_append (text, "$ and then $x + 1$ too.\n");
  cria_markdown_view_set_text (fixture->view, text->str);
  g_string_free (text, TRUE);
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), <=, 360);
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Expand "));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), <=, 360);
  shapes = formula_shapes (label);
  g_assert_cmpuint (shapes->len, ==, 1);
  g_assert_true (label_has_attr (label, PANGO_ATTR_FAMILY));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  GtkLabel *source;
  GtkLabel *label;
  g_autoptr(GPtrArray) shapes = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view,
                               "$$\n\\frac{a}{b} + \\nosuchcommand{x}\n$$\n\n"
                               "Fine $x+1$, broken $\\alsonotacommand y$, and the rest.\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  /* The block shows its source in the error style, the error as tooltip. */
  g_assert_null (_cria_math_view_get_layout (find_math_view (fixture)));
  source = _cria_math_view_get_source_label (find_math_view (fixture));
  g_assert_nonnull (source);
  g_assert_nonnull (strstr (gtk_label_get_text (source), "\\nosuchcommand{x}"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (source), "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (source)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (source)), "nosuchcommand"));

  /* Inline: the good formula is typeset, the broken one shows its source
   * in monospace and colour, and the text after both is all there. */
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Fine "));
  g_assert_nonnull (label);
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Fine $x+1$, broken $\\alsonotacommand y$, and the rest.");
  shapes = formula_shapes (label);
  g_assert_cmpuint (shapes->len, ==, 1);
  g_assert_true (label_has_attr (label, PANGO_ATTR_FAMILY));
  g_assert_true (label_has_attr (label, PANGO_ATTR_FOREGROUND));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), "alsonotacommand"));
}

static void
test_streaming (Fixture       *fixture,
                gconstpointer  data)
{
  GtkLabel *label;
  guint layouts;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  /* An inline formula still open shows its source, dim. */
  cria_markdown_view_append (fixture->view, "The area is $\\pi r^{2");
  pump_frame (fixture->view);
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "The area"));
  g_assert_nonnull (label);
  {
    g_autoptr(GPtrArray) shapes = formula_shapes (label);

    g_assert_cmpuint (shapes->len, ==, 0);
    g_assert_true (label_has_attr (label, PANGO_ATTR_FOREGROUND_ALPHA));
  }

  /* It closes: typeset once, however many tokens follow. */
  layouts = _cria_math_style_get_n_layouts ();
  cria_markdown_view_append (fixture->view, "}$ for a circle");
  pump_frame (fixture->view);
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "The area"));
  {
    g_autoptr(GPtrArray) shapes = formula_shapes (label);

    g_assert_cmpuint (shapes->len, ==, 1);
    g_assert_false (label_has_attr (label, PANGO_ATTR_FOREGROUND_ALPHA));
  }
  g_assert_cmpuint (_cria_math_style_get_n_layouts (), ==, layouts + 1);
  for (guint i = 0; i < 5; i++)
    {
      cria_markdown_view_append (fixture->view, " of radius r");
      pump_frame (fixture->view);
    }
  g_assert_cmpuint (_cria_math_style_get_n_layouts (), ==, layouts + 1);

  /* A display block streaming in: dim source, then typeset once. */
  cria_markdown_view_append (fixture->view, ".\n\n$$\n\\int_0^1 t^{3}\\,dt");
  pump_frame (fixture->view);
  g_assert_null (_cria_math_view_get_layout (find_math_view (fixture)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_cria_math_view_get_source_label (find_math_view (fixture))),
                                           "dim-label"));
  layouts = _cria_math_style_get_n_layouts ();
  cria_markdown_view_append (fixture->view, " = \\frac{1}{4}\n$$\n\nThen");
  pump_frame (fixture->view);
  g_assert_nonnull (_cria_math_view_get_layout (find_math_view (fixture)));
  for (guint i = 0; i < 5; i++)
    {
      cria_markdown_view_append (fixture->view, " more words");
      pump_frame (fixture->view);
    }
  cria_markdown_view_finish (fixture->view);
  cria_ui_test_settle (GTK_WIDGET (fixture->view));
  g_assert_nonnull (_cria_math_view_get_layout (find_math_view (fixture)));
  g_assert_cmpuint (_cria_math_style_get_n_layouts (), ==, layouts + 1);
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  data)
{
  GtkLabel *label;
  g_autofree char *copied = NULL;
  g_autofree char *block = NULL;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "So $e^{i\\pi} + 1 = 0$ holds.\n\n\\[\n\\sqrt{2}\n\\]\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "So "));
  gtk_label_select_region (label, 3, strlen ("So $e^{i\\pi} + 1 = 0$"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (label), "clipboard.copy", NULL));
  copied = read_clipboard (GTK_WIDGET (label));
  g_assert_cmpstr (copied, ==, "$e^{i\\pi} + 1 = 0$");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (find_math_view (fixture)), "math.copy", NULL));
  block = read_clipboard (GTK_WIDGET (label));
  g_assert_cmpstr (block, ==, "\\[\n\\sqrt{2}\n\\]");

  /* The message's own text, which its Copy action copies, is the Markdown
   * with the LaTeX as written. */
  g_assert_cmpstr (cria_markdown_view_get_text (fixture->view), ==,
                   "So $e^{i\\pi} + 1 = 0$ holds.\n\n\\[\n\\sqrt{2}\n\\]\n");
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CriaMathFormula) display = NULL;
  g_autoptr(CriaMathFormula) inline_formula = NULL;
  g_autofree char *display_words = NULL;
  g_autofree char *inline_words = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *error = NULL;
  GtkLabel *label;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "Take $x^2$ here.\n\n$$\\frac{a}{b}$$\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));

  display = cria_math_formula_lookup ("\\frac{a}{b}", TRUE);
  display_words = cria_math_formula_describe (display);
  g_assert_nonnull (display_words);
  g_assert_cmpstr (display_words, !=, "");
  g_assert_null (strchr (display_words, '\\'));
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (find_math_view (fixture)),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, display_words);
  g_assert_null (error);
  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (find_math_view (fixture)), GTK_ACCESSIBLE_ROLE_IMG));

  /* The paragraph's name reads the formula in words, not U+FFFC or a box. */
  inline_formula = cria_math_formula_lookup ("x^2", FALSE);
  inline_words = cria_math_formula_describe (inline_formula);
  expected = g_strdup_printf ("Take %s here.", inline_words);
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Take "));
  g_clear_pointer (&error, g_free);
  error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (error);
  g_assert_null (strstr (expected, "\xef\xbf\xbc"));
}

static void
test_preference (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  GtkLabel *label;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "Sum $a_1 + a_2$ now.\n\n$$\n\\prod_{k=1}^{n} k\n$$\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Sum "));
  {
    g_autoptr(GPtrArray) shapes = formula_shapes (label);

    g_assert_cmpuint (shapes->len, ==, 1);
  }
  g_assert_nonnull (_cria_math_view_get_layout (find_math_view (fixture)));

  /* The user's setting, as Preferences writes it: the view follows live. */
  g_settings_set_boolean (settings, "math-as-source", TRUE);
  g_assert_true (cria_math_style_get_as_source (cria_math_style_get_default ()));
  {
    g_autoptr(GPtrArray) shapes = formula_shapes (label);

    g_assert_cmpuint (shapes->len, ==, 0);
    g_assert_true (label_has_attr (label, PANGO_ATTR_FAMILY));
  }
  g_assert_null (_cria_math_view_get_layout (find_math_view (fixture)));
  g_assert_nonnull (strstr (gtk_label_get_text (_cria_math_view_get_source_label (find_math_view (fixture))),
                            "\\prod_{k=1}^{n} k"));

  g_settings_set_boolean (settings, "math-as-source", FALSE);
  {
    g_autoptr(GPtrArray) shapes = formula_shapes (label);

    g_assert_cmpuint (shapes->len, ==, 1);
  }
  g_assert_nonnull (_cria_math_view_get_layout (find_math_view (fixture)));
}

/* Without the maths font, formulas show their source in the error style,
 * with one warning and no crash. The font is loaded once per process, so
 * this runs in a process of its own. */
static void
test_no_font (Fixture       *fixture,
              gconstpointer  data)
{
  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  if (g_test_subprocess ())
    {
      GtkLabel *label;
      g_autoptr(GPtrArray) shapes = NULL;

      /* The warning is expected here: only criticals stay fatal. */
      g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
      cria_markdown_view_set_text (fixture->view, "Then $x^2$ and $y^2$.\n\n$$\n\\frac{a}{b}\n$$\n");
      cria_ui_test_settle (GTK_WIDGET (fixture->view));

      label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Then "));
      g_assert_cmpstr (gtk_label_get_text (label), ==, "Then $x^2$ and $y^2$.");
      shapes = formula_shapes (label);
      g_assert_cmpuint (shapes->len, ==, 0);
      g_assert_true (label_has_attr (label, PANGO_ATTR_FAMILY));
      g_assert_nonnull (_cria_math_view_get_source_label (find_math_view (fixture)));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_cria_math_view_get_source_label (find_math_view (fixture))),
                                               "error"));
      return;
    }

  g_setenv ("CRIA_MATH_FONT_FAMILY", "No Such Maths Font", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("CRIA_MATH_FONT_FAMILY");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Formulas are shown as LaTeX source*No Such Maths Font*");
  /* One warning, not one per formula. */
  g_test_trap_assert_stderr_unmatched ("*Formulas are shown*Formulas are shown*");
}

static double
luminance (const GdkRGBA *color)
{
  return 0.2126 * color->red + 0.7152 * color->green + 0.0722 * color->blue;
}

static void
test_dark (Fixture       *fixture,
           gconstpointer  data)
{
  GtkWidget *canvas;
  GtkLabel *label;
  g_autoptr(GArray) light = NULL;
  g_autoptr(GArray) dark = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_rect_t formula;
  PangoRectangle pos;
  int offset_x, offset_y;

  if (!have_display)
    {
      cria_ui_test_skip_no_display ();
      return;
    }

  cria_markdown_view_set_text (fixture->view, "$$\n\\alpha + \\beta = \\gamma\n$$\n\nThen $\\alpha^2 + \\beta$ here.\n");
  cria_ui_test_settle (GTK_WIDGET (fixture->view));
  canvas = _cria_math_view_get_canvas (find_math_view (fixture));
  label = GTK_LABEL (find_label_with (GTK_WIDGET (fixture->view), "Then "));
  pango_layout_index_to_pos (gtk_label_get_layout (label), strlen ("Then "), &pos);
  gtk_label_get_layout_offsets (label, &offset_x, &offset_y);
  formula = GRAPHENE_RECT_INIT (offset_x + pos.x / PANGO_SCALE, 0, pos.width / PANGO_SCALE,
                                gtk_widget_get_height (GTK_WIDGET (label)));
  g_assert_cmpfloat (formula.size.width, >, 10);

  /* Inline, the formula is drawn in the label's colour: dark ink on a
   * light window, light ink on a dark one. */
  texture = render_widget_on (GTK_WIDGET (label), &(GdkRGBA) { 1, 1, 1, 1 });
  g_assert_cmpuint (count_ink (texture, &formula), >, 20);
  g_clear_object (&texture);

  light = canvas_text_colors (canvas);
  g_assert_cmpuint (light->len, >, 0);
  for (guint i = 0; i < light->len; i++)
    g_assert_cmpfloat (luminance (&g_array_index (light, GdkRGBA, i)), <, 0.4);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  cria_ui_test_settle (GTK_WIDGET (fixture->view));
  dark = canvas_text_colors (canvas);
  g_assert_cmpuint (dark->len, ==, light->len);
  for (guint i = 0; i < dark->len; i++)
    g_assert_cmpfloat (luminance (&g_array_index (dark, GdkRGBA, i)), >, 0.6);

  texture = render_widget_on (GTK_WIDGET (label), &(GdkRGBA) { 0, 0, 0, 1 });
  g_assert_cmpuint (count_bright (texture, &formula), >, 20);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

#define ADD(path, func, width) \
  g_test_add (path, Fixture, GINT_TO_POINTER (width), fixture_set_up, func, fixture_tear_down)

  ADD ("/math-view/display", test_display, 0);
  ADD ("/math-view/inline", test_inline, 0);
  ADD ("/math-view/sizes", test_sizes, 0);
  ADD ("/math-view/wide", test_wide, 360);
  ADD ("/math-view/wide-inline", test_wide_inline, 360);
  ADD ("/math-view/errors", test_errors, 0);
  ADD ("/math-view/streaming", test_streaming, 0);
  ADD ("/math-view/copy", test_copy, 0);
  ADD ("/math-view/accessible", test_accessible, 0);
  ADD ("/math-view/preference", test_preference, 0);
  ADD ("/math-view/dark", test_dark, 0);
  ADD ("/math-view/no-font", test_no_font, 0);

#undef ADD

  return g_test_run ();
}

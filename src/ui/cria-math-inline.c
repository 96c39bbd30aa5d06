/* cria-math-inline.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <pango/pangocairo.h>

#include "cria-math-inline.h"

/* What one formula's shape attribute carries: reference counted, since
 * Pango copies attributes as it iterates over them. */
typedef struct
{
  CriaMathFormula *formula;
  double           size_px;
} InlineShape;

static GQuark renderer_quark;
static GQuark shown_quark;
static GQuark watch_quark;

/* What a label with maths shows, so that it can show it again when the
 * "math as source" preference changes: @owner keeps @text and @spans. */
typedef struct
{
  CriaMarkdownBlock  *owner;
  const char         *text;
  GArray             *spans;
  gboolean            bold;
  CriaMathInlineShow  show;
} Shown;

/* A shape cannot break across lines, and a label is never narrower than
 * its widest unbreakable run: an inline formula wider than this would keep
 * the window from narrowing to a phone's width, so it shows its source,
 * which wraps, instead. */
#define MAX_INLINE_WIDTH 280.0

static void
inline_shape_clear (gpointer data)
{
  InlineShape *shape = data;

  cria_math_formula_unref (shape->formula);
}

static gpointer
inline_shape_copy (gconstpointer data)
{
  return g_rc_box_acquire ((gpointer) data);
}

static void
inline_shape_free (gpointer data)
{
  g_rc_box_release_full (data, inline_shape_clear);
}

CriaMathFormula *
cria_math_inline_get_formula (PangoAttribute *attr)
{
  PangoAttrShape *shape;

  g_return_val_if_fail (attr != NULL, NULL);

  if (attr->klass->type != PANGO_ATTR_SHAPE)
    return NULL;
  shape = (PangoAttrShape *) attr;
  if (shape->copy_func != inline_shape_copy || shape->data == NULL)
    return NULL;
  return ((InlineShape *) shape->data)->formula;
}

double
cria_math_inline_get_size_px (PangoAttribute *attr)
{
  g_return_val_if_fail (attr != NULL, 0);

  if (cria_math_inline_get_formula (attr) == NULL)
    return 0;
  return ((InlineShape *) ((PangoAttrShape *) attr)->data)->size_px;
}

/* Called by GtkLabel's renderer for every shaped glyph, with the current
 * point on the baseline at the shape's origin and the source set to the
 * colour the text has there (the selection's, when selected). */
static void
shape_renderer_cb (cairo_t        *cr,
                   PangoAttrShape *attr,
                   gboolean        do_path,
                   gpointer        user_data)
{
  InlineShape *shape;
  const CriaMathLayout *layout;
  double x, y;

  if (do_path || attr->copy_func != inline_shape_copy || attr->data == NULL)
    return;

  shape = attr->data;
  layout = cria_math_formula_get_layout (shape->formula, shape->size_px);
  if (layout == NULL || !cairo_has_current_point (cr))
    return;

  cairo_get_current_point (cr, &x, &y);
  cria_math_layout_draw_cairo (layout, cr, x, y);
}

static void
ensure_shape_renderer (GtkLabel *label)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (label));

  if (renderer_quark == 0)
    renderer_quark = g_quark_from_static_string ("cria-math-shape-renderer");
  if (g_object_get_qdata (G_OBJECT (context), renderer_quark) != NULL)
    return;

  pango_cairo_context_set_shape_renderer (context, shape_renderer_cb, NULL, NULL);
  g_object_set_qdata (G_OBJECT (context), renderer_quark, GINT_TO_POINTER (1));
}

static void
insert_attribute (PangoAttrList  *attrs,
                  PangoAttribute *attr,
                  guint           start,
                  guint           end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

static void
insert_error_style (GtkLabel      *label,
                    PangoAttrList *attrs,
                    guint          start,
                    guint          end)
{
  GdkRGBA error = { 0.75, 0.11, 0.16, 1.0 };

  /* The style's own error colour, which differs between light, dark and
   * high contrast; a fixed red where the style has none. */
  gtk_style_context_lookup_color (gtk_widget_get_style_context (GTK_WIDGET (label)), "error_color", &error);

  insert_attribute (attrs, pango_attr_family_new ("monospace"), start, end);
  insert_attribute (attrs,
                    pango_attr_foreground_new ((guint16) (error.red * 65535),
                                               (guint16) (error.green * 65535),
                                               (guint16) (error.blue * 65535)),
                    start, end);
}

static void
insert_shape (PangoAttrList        *attrs,
              const char           *text,
              guint                 start,
              guint                 end,
              CriaMathFormula      *formula,
              const CriaMathLayout *layout,
              double                size_px)
{
  InlineShape *shape = g_rc_box_new0 (InlineShape);
  guint first_end = g_utf8_next_char (text + start) - text;
  PangoRectangle rect;
  PangoRectangle empty = { 0, 0, 0, 0 };

  shape->formula = cria_math_formula_ref (formula);
  shape->size_px = size_px;

  /* The shape's logical rectangle is relative to the baseline, so y is
   * minus the ascent: the formula's baseline sits on the text's. */
  rect.x = 0;
  rect.y = (int) floor (-layout->ascent * PANGO_SCALE);
  rect.width = (int) ceil (layout->width * PANGO_SCALE);
  rect.height = (int) ceil ((layout->ascent + layout->descent) * PANGO_SCALE);

  insert_attribute (attrs, pango_attr_allow_breaks_new (FALSE), start, end);
  insert_attribute (attrs,
                    pango_attr_shape_new_with_data (&rect, &rect, shape,
                                                    inline_shape_copy, inline_shape_free),
                    start, MIN (first_end, end));
  if (first_end < end)
    insert_attribute (attrs, pango_attr_shape_new (&empty, &empty), first_end, end);
}

/* Adds to @attrs what shows the maths spans of @spans over @text, and
 * returns whether there were any; @accessible_label and @tooltip as for
 * cria_math_inline_apply (). */
static gboolean
add_attributes (GtkLabel       *label,
                const char     *text,
                GArray         *spans,
                PangoAttrList  *attrs,
                char          **accessible_label,
                char          **tooltip)
{
  CriaMathStyle *style = NULL;
  GString *words = NULL;
  GString *errors = NULL;
  gsize len = strlen (text);
  gsize pos = 0;
  double size_px = 0;

  *accessible_label = NULL;
  *tooltip = NULL;

  for (guint i = 0; spans != NULL && i < spans->len; i++)
    {
      const CriaMarkdownSpan *span = &g_array_index (spans, CriaMarkdownSpan, i);
      guint end = MIN (span->end, len);
      g_autoptr(CriaMathFormula) formula = NULL;
      const CriaMathLayout *layout = NULL;

      if (span->kind != CRIA_MARKDOWN_SPAN_MATH || span->start >= end || span->start < pos)
        continue;

      if (style == NULL)
        {
          style = cria_math_style_get_default ();
          words = g_string_new (NULL);
          size_px = cria_math_text_size_px (GTK_WIDGET (label));
        }

      g_string_append_len (words, text + pos, span->start - pos);
      pos = end;

      if (span->math == NULL)
        {
          /* Still streaming: its source, dim, until it closes. */
          insert_attribute (attrs, pango_attr_foreground_alpha_new (0x8000), span->start, end);
          g_string_append_len (words, text + span->start, end - span->start);
          continue;
        }

      if (cria_math_style_get_as_source (style))
        {
          insert_attribute (attrs, pango_attr_family_new ("monospace"), span->start, end);
          g_string_append_len (words, text + span->start, end - span->start);
          continue;
        }

      formula = cria_math_formula_lookup (span->math, span->display);
      layout = cria_math_formula_get_layout (formula, size_px);
      if (layout == NULL)
        {
          const GError *error = cria_math_formula_get_error (formula);

          insert_error_style (label, attrs, span->start, end);
          g_string_append_len (words, text + span->start, end - span->start);
          if (errors == NULL)
            errors = g_string_new (NULL);
          else
            g_string_append_c (errors, '\n');
          g_string_append (errors, error != NULL ? error->message : span->math);
          continue;
        }

      if (layout->width > MAX_INLINE_WIDTH)
        {
          insert_attribute (attrs, pango_attr_family_new ("monospace"), span->start, end);
          g_string_append_len (words, text + span->start, end - span->start);
          continue;
        }

      ensure_shape_renderer (label);
      insert_shape (attrs, text, span->start, end, formula, layout, size_px);
      {
        g_autofree char *described = cria_math_formula_describe (formula);

        g_string_append (words, described);
      }
    }

  if (words == NULL)
    return FALSE;

  g_string_append_len (words, text + pos, len - pos);
  *accessible_label = g_string_free (words, FALSE);
  if (errors != NULL)
    *tooltip = g_string_free (errors, FALSE);

  return TRUE;
}

static void
shown_free (gpointer data)
{
  Shown *shown = data;

  cria_markdown_block_unref (shown->owner);
  g_free (shown);
}

static void
as_source_changed_cb (GtkLabel *label)
{
  Shown *shown = g_object_get_qdata (G_OBJECT (label), shown_quark);
  g_autoptr(CriaMarkdownBlock) owner = NULL;

  if (shown == NULL)
    return;

  /* Showing the text again replaces @shown: its owner is held meanwhile. */
  owner = cria_markdown_block_ref (shown->owner);
  shown->show (label, owner, shown->text, shown->spans, shown->bold);
}

static void
remember (GtkLabel           *label,
          CriaMarkdownBlock  *owner,
          const char         *text,
          GArray             *spans,
          gboolean            bold,
          CriaMathInlineShow  show)
{
  Shown *shown = g_new0 (Shown, 1);

  shown->owner = cria_markdown_block_ref (owner);
  shown->text = text;
  shown->spans = spans;
  shown->bold = bold;
  shown->show = show;
  g_object_set_qdata_full (G_OBJECT (label), shown_quark, shown, shown_free);

  if (g_object_get_qdata (G_OBJECT (label), watch_quark) == NULL)
    {
      g_signal_connect_object (cria_math_style_get_default (), "notify::as-source",
                               G_CALLBACK (as_source_changed_cb), label, G_CONNECT_SWAPPED);
      g_object_set_qdata (G_OBJECT (label), watch_quark, GINT_TO_POINTER (1));
    }
}

void
cria_math_inline_apply (GtkLabel           *label,
                        CriaMarkdownBlock  *owner,
                        const char         *text,
                        GArray             *spans,
                        gboolean            bold,
                        PangoAttrList      *attrs,
                        CriaMathInlineShow  show)
{
  g_autofree char *accessible_label = NULL;
  g_autofree char *tooltip = NULL;

  g_return_if_fail (GTK_IS_LABEL (label));
  g_return_if_fail (owner != NULL);
  g_return_if_fail (text != NULL);
  g_return_if_fail (show != NULL);

  if (shown_quark == 0)
    {
      shown_quark = g_quark_from_static_string ("cria-math-inline-shown");
      watch_quark = g_quark_from_static_string ("cria-math-inline-watch");
    }

  /* The label's own text stays the Markdown's, LaTeX included, so that
   * selection and copy give the source; its accessible name reads each
   * formula in words. */
  if (attrs != NULL && add_attributes (label, text, spans, attrs, &accessible_label, &tooltip))
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label,
                                      -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip);
      remember (label, owner, text, spans, bold, show);
    }
  else if (g_object_get_qdata (G_OBJECT (label), shown_quark) != NULL)
    {
      /* It had maths a frame ago, while it streamed. */
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), NULL);
      g_object_set_qdata (G_OBJECT (label), shown_quark, NULL);
    }
}

/* cria-math-style.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>

#include "cria-math-style.h"

struct _CriaMathStyle
{
  GObject       parent_instance;

  GSettings    *settings;
  gboolean      as_source;
};

enum {
  PROP_0,
  PROP_AS_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CriaMathStyle, cria_math_style, G_TYPE_OBJECT)

/* The font, loaded through Pango so that the glyph indices the layout
 * chooses are those of the very font the view draws with. */
typedef struct
{
  gboolean          tried;
  CriaMathFont     *font;
  GError           *error;
  PangoFontMap     *font_map;
  PangoContext     *context;
  PangoFont        *base;
  cairo_font_face_t *face;
  /* PangoFont by size (in 1/64 px), for text nodes. */
  GHashTable       *sizes;
} FontState;

static FontState font_state;

/* Formulas typeset so far, by style and source. Bounded: past this many,
 * the ones no widget shows any more are dropped. */
#define CACHE_MAX 4096
static GHashTable *formulas;
static guint n_layouts;

/* A formula is laid out at a handful of sizes at most (text, headings,
 * display): past this many, the last one is replaced. */
#define MAX_SIZES 8

typedef struct
{
  int             size;   /* 1/64 px */
  CriaMathLayout *layout;
} SizedLayout;

struct _CriaMathFormula
{
  int           ref_count;
  gboolean      display;
  char         *key;
  char         *source;   /* points into key */
  CriaMathNode *node;
  GError       *error;
  GArray       *layouts;
  /* In words, made on first request: a streaming paragraph asks each frame. */
  char         *words;
};

static void
cria_math_style_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CriaMathStyle *self = CRIA_MATH_STYLE (object);

  switch (prop_id)
    {
    case PROP_AS_SOURCE:
      g_value_set_boolean (value, self->as_source);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_math_style_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CriaMathStyle *self = CRIA_MATH_STYLE (object);

  switch (prop_id)
    {
    case PROP_AS_SOURCE:
      cria_math_style_set_as_source (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_math_style_finalize (GObject *object)
{
  CriaMathStyle *self = (CriaMathStyle *) object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cria_math_style_parent_class)->finalize (object);
}

static void
cria_math_style_class_init (CriaMathStyleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cria_math_style_get_property;
  object_class->set_property = cria_math_style_set_property;
  object_class->finalize = cria_math_style_finalize;

  properties[PROP_AS_SOURCE] =
    g_param_spec_boolean ("as-source", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_math_style_init (CriaMathStyle *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Tools that draw formulas outside the app (the gallery, benchmarks)
   * may run without the app's schema installed. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "math-as-source"))
    {
      self->settings = g_settings_new (APPLICATION_ID);
      g_settings_bind (self->settings, "math-as-source", self, "as-source", G_SETTINGS_BIND_DEFAULT);
    }
}

CriaMathStyle *
cria_math_style_get_default (void)
{
  static CriaMathStyle *style;

  if (style == NULL)
    style = g_object_new (CRIA_TYPE_MATH_STYLE, NULL);

  return style;
}

gboolean
cria_math_style_get_as_source (CriaMathStyle *self)
{
  g_return_val_if_fail (CRIA_IS_MATH_STYLE (self), FALSE);

  return self->as_source;
}

void
cria_math_style_set_as_source (CriaMathStyle *self,
                               gboolean       as_source)
{
  g_return_if_fail (CRIA_IS_MATH_STYLE (self));

  as_source = !!as_source;
  if (self->as_source == as_source)
    return;

  self->as_source = as_source;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AS_SOURCE]);
}

/* The font */

/* The family to load: CRIA_MATH_FONT_FAMILY, which tests may replace with
 * one that is not installed to see what happens without it. */
static const char *
font_family (void)
{
  const char *family = g_getenv ("CRIA_MATH_FONT_FAMILY");

  return family != NULL && *family != '\0' ? family : CRIA_MATH_FONT_FAMILY;
}

static PangoFont *
load_font (double size_px)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_new ();

  pango_font_description_set_family (desc, font_family ());
  pango_font_description_set_absolute_size (desc, size_px * PANGO_SCALE);

  return pango_font_map_load_font (font_state.font_map, font_state.context, desc);
}

/* Loads the font on first use. Without it every formula shows its source,
 * and one warning says why. */
static gboolean
ensure_font (void)
{
  g_autoptr(PangoFontDescription) found = NULL;
  const char *family;

  if (font_state.tried)
    return font_state.font != NULL;

  font_state.tried = TRUE;
  font_state.font_map = g_object_ref (pango_cairo_font_map_get_default ());
  font_state.context = pango_font_map_create_context (font_state.font_map);
  font_state.sizes = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  font_state.base = load_font (64);

  /* Fontconfig answers with some other font when the one asked for is not
   * installed: only the family it really loaded tells. */
  if (font_state.base != NULL)
    found = pango_font_describe (font_state.base);
  family = found != NULL ? pango_font_description_get_family (found) : NULL;
  if (family == NULL || g_ascii_strcasecmp (family, font_family ()) != 0)
    {
      g_set_error (&font_state.error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_FONT,
                   "The maths font “%s” is not installed", font_family ());
    }
  else
    {
      font_state.font = cria_math_font_new (pango_font_get_hb_font (font_state.base), &font_state.error);
      font_state.face = cairo_scaled_font_get_font_face (pango_cairo_font_get_scaled_font (PANGO_CAIRO_FONT (font_state.base)));
    }

  if (font_state.font == NULL)
    g_warning ("Formulas are shown as LaTeX source: %s", font_state.error->message);

  return font_state.font != NULL;
}

static PangoFont *
font_at_size (double size_px)
{
  int key = MAX (1, (int) (size_px * 64 + 0.5));
  PangoFont *font = g_hash_table_lookup (font_state.sizes, GINT_TO_POINTER (key));

  if (font == NULL)
    {
      font = load_font (key / 64.0);
      g_hash_table_insert (font_state.sizes, GINT_TO_POINTER (key), font);
    }

  return font;
}

/* Formulas */

static void
formula_free (CriaMathFormula *formula)
{
  for (guint i = 0; i < formula->layouts->len; i++)
    cria_math_layout_free (g_array_index (formula->layouts, SizedLayout, i).layout);
  g_array_unref (formula->layouts);
  g_clear_pointer (&formula->node, cria_math_node_free);
  g_clear_error (&formula->error);
  g_free (formula->words);
  g_free (formula->key);
  g_free (formula);
}

CriaMathFormula *
cria_math_formula_ref (CriaMathFormula *formula)
{
  g_return_val_if_fail (formula != NULL, NULL);

  formula->ref_count++;
  return formula;
}

void
cria_math_formula_unref (CriaMathFormula *formula)
{
  g_return_if_fail (formula != NULL);

  if (--formula->ref_count == 0)
    formula_free (formula);
}

static void
trim_cache (void)
{
  GHashTableIter iter;
  CriaMathFormula *formula;

  g_hash_table_iter_init (&iter, formulas);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &formula))
    if (formula->ref_count == 1)
      g_hash_table_iter_remove (&iter);
}

CriaMathFormula *
cria_math_formula_lookup (const char *source,
                          gboolean    display)
{
  g_autofree char *key = NULL;
  CriaMathFormula *formula;

  g_return_val_if_fail (source != NULL, NULL);

  if (formulas == NULL)
    formulas = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) cria_math_formula_unref);

  key = g_strconcat (display ? "D" : "T", source, NULL);
  formula = g_hash_table_lookup (formulas, key);
  if (formula != NULL)
    return cria_math_formula_ref (formula);

  if (g_hash_table_size (formulas) >= CACHE_MAX)
    trim_cache ();

  formula = g_new0 (CriaMathFormula, 1);
  formula->ref_count = 1;
  formula->display = !!display;
  formula->key = g_steal_pointer (&key);
  formula->source = formula->key + 1;
  formula->layouts = g_array_new (FALSE, FALSE, sizeof (SizedLayout));

  if (!ensure_font ())
    formula->error = g_error_copy (font_state.error);
  else
    formula->node = cria_math_parse (formula->source, -1, &formula->error);

  g_hash_table_insert (formulas, formula->key, cria_math_formula_ref (formula));
  return formula;
}

const char *
cria_math_formula_get_source (CriaMathFormula *formula)
{
  g_return_val_if_fail (formula != NULL, NULL);

  return formula->source;
}

const GError *
cria_math_formula_get_error (CriaMathFormula *formula)
{
  g_return_val_if_fail (formula != NULL, NULL);

  return formula->error;
}

const CriaMathLayout *
cria_math_formula_get_layout (CriaMathFormula *formula,
                              double           size_px)
{
  SizedLayout sized;

  g_return_val_if_fail (formula != NULL, NULL);

  if (formula->node == NULL)
    return NULL;

  sized.size = MAX (1, (int) (size_px * 64 + 0.5));
  for (guint i = 0; i < formula->layouts->len; i++)
    if (g_array_index (formula->layouts, SizedLayout, i).size == sized.size)
      return g_array_index (formula->layouts, SizedLayout, i).layout;

  sized.layout = cria_math_layout_new (font_state.font, formula->node, formula->display, sized.size / 64.0);
  n_layouts++;

  if (formula->layouts->len >= MAX_SIZES)
    {
      SizedLayout *last = &g_array_index (formula->layouts, SizedLayout, formula->layouts->len - 1);

      cria_math_layout_free (last->layout);
      *last = sized;
    }
  else
    {
      g_array_append_val (formula->layouts, sized);
    }

  return sized.layout;
}

char *
cria_math_formula_describe (CriaMathFormula *formula)
{
  g_return_val_if_fail (formula != NULL, NULL);

  if (formula->node == NULL)
    return g_strdup (formula->source);
  if (formula->words == NULL)
    formula->words = cria_math_node_describe (formula->node);
  return g_strdup (formula->words);
}

guint
_cria_math_style_get_n_layouts (void)
{
  return n_layouts;
}

/* Drawing */

/* A LINE item (\cancel's stroke), in @color or the source @cr has. */
static void
draw_line (cairo_t            *cr,
           const CriaMathItem *item,
           const GdkRGBA      *color,
           double              x,
           double              y)
{
  cairo_save (cr);
  if (color != NULL)
    gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, MAX (item->size, 0.5));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_move_to (cr, x + item->x, y + item->y);
  cairo_line_to (cr, x + item->x + item->width, y + item->y + item->height);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static gboolean
is_glyph (const CriaMathLayout *layout,
          guint                 i)
{
  return g_array_index (layout->items, CriaMathItem, i).kind == CRIA_MATH_ITEM_GLYPH;
}

void
cria_math_layout_snapshot (const CriaMathLayout *layout,
                           GtkSnapshot          *snapshot,
                           const GdkRGBA        *color,
                           double                x,
                           double                y)
{
  guint n;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));

  if (!ensure_font ())
    return;

  n = layout->items->len;
  for (guint i = 0; i < n;)
    {
      const CriaMathItem *item = &g_array_index (layout->items, CriaMathItem, i);
      PangoGlyphString *glyphs;
      GskRenderNode *node;
      guint run_end = i + 1;

      if (item->kind == CRIA_MATH_ITEM_RULE)
        {
          gtk_snapshot_append_color (snapshot, color,
                                     &GRAPHENE_RECT_INIT (x + item->x, y + item->y,
                                                          MAX (item->width, 0), MAX (item->height, 0)));
          i++;
          continue;
        }
      if (item->kind == CRIA_MATH_ITEM_LINE)
        {
          double pad = item->size;
          graphene_rect_t bounds = GRAPHENE_RECT_INIT (x + item->x + MIN (item->width, 0) - pad,
                                                       y + item->y + MIN (item->height, 0) - pad,
                                                       fabs (item->width) + 2 * pad,
                                                       fabs (item->height) + 2 * pad);
          cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &bounds);

          draw_line (cr, item, color, x, y);
          cairo_destroy (cr);
          i++;
          continue;
        }

      /* Glyphs of one size in a row are one text node, placed by offsets
       * from the first one: a formula is a few nodes, not one a glyph. */
      while (run_end < n && is_glyph (layout, run_end)
             && g_array_index (layout->items, CriaMathItem, run_end).size == item->size)
        run_end++;

      glyphs = pango_glyph_string_new ();
      pango_glyph_string_set_size (glyphs, run_end - i);
      for (guint j = i; j < run_end; j++)
        {
          const CriaMathItem *g = &g_array_index (layout->items, CriaMathItem, j);
          PangoGlyphInfo *info = &glyphs->glyphs[j - i];

          info->glyph = g->glyph;
          info->geometry.width = 0;
          info->geometry.x_offset = (int) ((g->x - item->x) * PANGO_SCALE);
          info->geometry.y_offset = (int) ((g->y - item->y) * PANGO_SCALE);
          info->attr.is_cluster_start = 1;
          info->attr.is_color = 0;
          glyphs->log_clusters[j - i] = 0;
        }

      /* GTK 4.8 keeps gtk_snapshot_append_text () private: the node is
       * made by hand. It is NULL when the glyphs have no ink (a space). */
      node = gsk_text_node_new (font_at_size (item->size), glyphs, color,
                                &GRAPHENE_POINT_INIT (x + item->x, y + item->y));
      if (node != NULL)
        {
          gtk_snapshot_append_node (snapshot, node);
          gsk_render_node_unref (node);
        }
      pango_glyph_string_free (glyphs);
      i = run_end;
    }
}

void
cria_math_layout_draw_cairo (const CriaMathLayout *layout,
                             cairo_t              *cr,
                             double                x,
                             double                y)
{
  g_autofree cairo_glyph_t *glyphs = NULL;
  guint n;

  g_return_if_fail (layout != NULL);
  g_return_if_fail (cr != NULL);

  if (!ensure_font ())
    return;

  n = layout->items->len;
  glyphs = g_new (cairo_glyph_t, MAX (n, 1));

  cairo_save (cr);
  cairo_set_font_face (cr, font_state.face);
  for (guint i = 0; i < n;)
    {
      const CriaMathItem *item = &g_array_index (layout->items, CriaMathItem, i);
      guint run_end = i + 1;

      if (item->kind == CRIA_MATH_ITEM_RULE)
        {
          cairo_rectangle (cr, x + item->x, y + item->y, MAX (item->width, 0), MAX (item->height, 0));
          cairo_fill (cr);
          i++;
          continue;
        }
      if (item->kind == CRIA_MATH_ITEM_LINE)
        {
          draw_line (cr, item, NULL, x, y);
          i++;
          continue;
        }

      while (run_end < n && is_glyph (layout, run_end)
             && g_array_index (layout->items, CriaMathItem, run_end).size == item->size)
        run_end++;

      for (guint j = i; j < run_end; j++)
        {
          const CriaMathItem *g = &g_array_index (layout->items, CriaMathItem, j);

          glyphs[j - i].index = g->glyph;
          glyphs[j - i].x = x + g->x;
          glyphs[j - i].y = y + g->y;
        }
      cairo_set_font_size (cr, item->size);
      cairo_show_glyphs (cr, glyphs, run_end - i);
      i = run_end;
    }
  cairo_restore (cr);
}

cairo_surface_t *
cria_math_layout_render (const CriaMathLayout *layout,
                         const GdkRGBA        *fg,
                         const GdkRGBA        *bg,
                         int                   padding)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  int ascent;
  int width;
  int height;

  g_return_val_if_fail (layout != NULL, NULL);

  ascent = (int) ceil (layout->ascent);
  width = (int) ceil (layout->width) + 2 * padding;
  height = ascent + (int) ceil (layout->descent) + 2 * padding;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, MAX (width, 1), MAX (height, 1));
  cr = cairo_create (surface);
  gdk_cairo_set_source_rgba (cr, bg);
  cairo_paint (cr);
  gdk_cairo_set_source_rgba (cr, fg);
  cria_math_layout_draw_cairo (layout, cr, padding, padding + ascent);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

CriaMathFont *
cria_math_style_get_font (void)
{
  ensure_font ();
  return font_state.font;
}

/* Widgets */

double
cria_math_text_size_px (GtkWidget *widget)
{
  PangoContext *context = gtk_widget_get_pango_context (widget);
  const PangoFontDescription *desc = pango_context_get_font_description (context);
  double resolution = pango_cairo_context_get_resolution (context);
  double size;

  if (desc == NULL || pango_font_description_get_size (desc) <= 0)
    return 14.0;

  size = (double) pango_font_description_get_size (desc) / PANGO_SCALE;
  if (pango_font_description_get_size_is_absolute (desc))
    return size;

  if (resolution <= 0)
    resolution = 96.0;
  return size * resolution / 72.0;
}

void
cria_math_widget_get_color (GtkWidget *widget,
                            GdkRGBA   *color)
{
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
}

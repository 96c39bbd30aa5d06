/* cria-math-font.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An OpenType MATH font: its constants read once, and glyph metrics in font
 * units. The layout scales them to each style's size itself, so one font
 * serves every size and every thread.
 */

#include "config.h"

#include "cria-math-private.h"

G_DEFINE_QUARK (cria-math-error-quark, cria_math_error)

CriaMathFont *
cria_math_font_new (hb_font_t  *font,
                    GError    **error)
{
  g_autoptr(CriaMathFont) self = NULL;
  hb_face_t *face;

  g_return_val_if_fail (font != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  face = hb_font_get_face (font);
  if (!hb_ot_math_has_data (face))
    {
      g_set_error_literal (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_FONT,
                           "The font has no OpenType MATH table");
      return NULL;
    }

  self = g_new0 (CriaMathFont, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->draw_font = hb_font_reference (font);
  self->upem = hb_face_get_upem (face);
  if (self->upem <= 0)
    self->upem = 1000;

  /* The same face at one unit per font unit, with the same variation
   * coordinates: its answers are exact and do not depend on the size the
   * caller's font was made for, and its glyph indices are the caller's. */
  self->font = hb_font_create (face);
  hb_font_set_scale (self->font, (int) self->upem, (int) self->upem);
  {
    unsigned int n_coords = 0;
    const int *coords = hb_font_get_var_coords_normalized (font, &n_coords);

    if (n_coords > 0)
      hb_font_set_var_coords_normalized (self->font, coords, n_coords);
  }
  hb_font_make_immutable (self->font);

  for (guint i = 0; i < G_N_ELEMENTS (self->constants); i++)
    self->constants[i] = hb_ot_math_get_constant (self->font, (hb_ot_math_constant_t) i);
  self->min_overlap[0] = hb_ot_math_get_min_connector_overlap (self->font, HB_DIRECTION_BTT);
  self->min_overlap[1] = hb_ot_math_get_min_connector_overlap (self->font, HB_DIRECTION_LTR);

  /* HarfBuzz loads its tables on first use: do it here, once, rather than
   * in the first formula the view lays out. */
  {
    hb_codepoint_t glyph = _cria_math_font_glyph (self, 0x2211);
    CriaMathGlyphMetrics m;
    unsigned int n = 0;

    _cria_math_font_metrics (self, glyph, &m);
    hb_ot_math_get_glyph_variants (self->font, glyph, HB_DIRECTION_BTT, 0, &n, NULL);
    hb_ot_math_get_glyph_assembly (self->font, glyph, HB_DIRECTION_BTT, 0, &n, NULL, NULL);
    hb_ot_math_get_glyph_top_accent_attachment (self->font, glyph);
  }

  return g_steal_pointer (&self);
}

CriaMathFont *
cria_math_font_new_from_file (const char  *path,
                              GError     **error)
{
  hb_blob_t *blob;
  hb_face_t *face;
  hb_font_t *font;
  CriaMathFont *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  blob = hb_blob_create_from_file_or_fail (path);
  if (blob == NULL)
    {
      g_set_error (error, CRIA_MATH_ERROR, CRIA_MATH_ERROR_FONT,
                   "Could not read the font file %s", path);
      return NULL;
    }
  face = hb_face_create (blob, 0);
  font = hb_font_create (face);
  self = cria_math_font_new (font, error);
  hb_font_destroy (font);
  hb_face_destroy (face);
  hb_blob_destroy (blob);

  return self;
}

CriaMathFont *
cria_math_font_ref (CriaMathFont *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cria_math_font_unref (CriaMathFont *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  hb_font_destroy (self->font);
  hb_font_destroy (self->draw_font);
  g_free (self);
}

hb_font_t *
cria_math_font_get_hb_font (CriaMathFont *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->draw_font;
}

hb_codepoint_t
_cria_math_font_glyph (CriaMathFont *self,
                       gunichar      cp)
{
  hb_codepoint_t glyph = 0;

  if (!hb_font_get_nominal_glyph (self->font, cp, &glyph))
    return 0;
  return glyph;
}

void
_cria_math_font_metrics (CriaMathFont         *self,
                         hb_codepoint_t        glyph,
                         CriaMathGlyphMetrics *m)
{
  hb_glyph_extents_t ext = { 0, };

  m->advance = hb_font_get_glyph_h_advance (self->font, glyph);
  if (hb_font_get_glyph_extents (self->font, glyph, &ext))
    {
      m->ascent = ext.y_bearing;
      m->descent = -(ext.y_bearing + ext.height);
      m->ink_left = ext.x_bearing;
      m->ink_right = ext.x_bearing + ext.width;
    }
  else
    {
      m->ascent = 0;
      m->descent = 0;
      m->ink_left = 0;
      m->ink_right = 0;
    }
  m->italic = hb_ot_math_get_glyph_italics_correction (self->font, glyph);
}

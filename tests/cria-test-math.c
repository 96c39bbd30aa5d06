/* cria-test-math.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fontconfig/fontconfig.h>

#include "cria-test-math.h"

CriaMathFont *
cria_test_math_font (void)
{
  g_autoptr(GError) error = NULL;
  FcPattern *pattern = FcNameParse ((const FcChar8 *) "DejaVu Math TeX Gyre");
  FcResult result = FcResultNoMatch;
  FcPattern *match;
  FcChar8 *family = NULL;
  FcChar8 *file = NULL;
  CriaMathFont *font = NULL;

  FcConfigSubstitute (NULL, pattern, FcMatchPattern);
  FcDefaultSubstitute (pattern);
  match = FcFontMatch (NULL, pattern, &result);
  if (match != NULL
      && FcPatternGetString (match, FC_FAMILY, 0, &family) == FcResultMatch
      && g_strcmp0 ((const char *) family, "DejaVu Math TeX Gyre") == 0
      && FcPatternGetString (match, FC_FILE, 0, &file) == FcResultMatch)
    font = cria_math_font_new_from_file ((const char *) file, &error);
  else
    g_error ("DejaVu Math TeX Gyre is not installed (fonts-dejavu-extra)");
  g_assert_no_error (error);
  FcPatternDestroy (match);
  FcPatternDestroy (pattern);
  return font;
}

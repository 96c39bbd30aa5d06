/* cria-test-math.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-math.h"

G_BEGIN_DECLS

/* The maths font the app ships with (DejaVu Math TeX Gyre), found through
 * fontconfig as the view finds it; the test fails when it is missing. */
CriaMathFont *cria_test_math_font (void);

G_END_DECLS

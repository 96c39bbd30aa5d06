/* cria-bigint-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What cria-bigint.c and cria-bigint-fraction.c share: the layout of a
 * number and the helpers that make one. */

#pragma once

#include "cria-bigint.h"

G_BEGIN_DECLS

/* The magnitude is little-endian (limbs[0] is the lowest) and normalized: no
 * zero limb on top, so 0 has len 0 and sign 0. */
struct _CriaBigint
{
  int      sign;
  gsize    len;
  guint32  limbs[];
};

/* A number of @len zero limbs, sign 1 (0 for no limbs). */
CriaBigint *_cria_bigint_alloc          (gsize       len);
/* Trims zero limbs on top; makes 0's sign 0. Returns @a. */
CriaBigint *_cria_bigint_normalize      (CriaBigint *a);
/* limbs[0..len) = limbs * factor + addend; the caller leaves room for a
 * carry. */
void        _cria_bigint_mul_add_small  (guint32    *limbs,
                                         gsize       len,
                                         guint32     factor,
                                         guint32     addend);

G_END_DECLS

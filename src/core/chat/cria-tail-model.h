/* cria-tail-model.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CRIA_TYPE_TAIL_MODEL (cria_tail_model_get_type ())

G_DECLARE_FINAL_TYPE (CriaTailModel, cria_tail_model, CRIA, TAIL_MODEL, GObject)

/* The end of another list model: its items from an offset on. A long
 * conversation opens with its last messages and shows earlier ones as the
 * user scrolls up, so a view builds rows for what is near, not for hundreds
 * of messages at once. Changes of the model inside the tail are passed on
 * exactly; items appended always belong to it. */
CriaTailModel *cria_tail_model_new        (GListModel    *model,
                                           guint          n_shown);
GListModel    *cria_tail_model_get_model  (CriaTailModel *self);
/* The position in the model of the tail's first item. */
guint          cria_tail_model_get_offset (CriaTailModel *self);
/* Shows up to @n more items before the first; returns how many. */
guint          cria_tail_model_show_more  (CriaTailModel *self,
                                           guint          n);
/* Shows the model's items from @position on, if they are not all shown;
 * returns the position of that item in the tail. */
guint          cria_tail_model_show_from  (CriaTailModel *self,
                                           guint          position);

G_END_DECLS

/* cria-message-row.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-message.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MESSAGE_ROW (cria_message_row_get_type ())

G_DECLARE_FINAL_TYPE (CriaMessageRow, cria_message_row, CRIA, MESSAGE_ROW, GtkWidget)

/* One message of the conversation view. Rows are recycled by the list view:
 * a row follows whichever message it is bound to, and while an answer
 * streams it adds only what is new. */
GtkWidget   *cria_message_row_new         (void);
CriaMessage *cria_message_row_get_message (CriaMessageRow *self);
void         cria_message_row_set_message (CriaMessageRow *self,
                                           CriaMessage    *message);
/* The models whose names label answers; an answer from a model not among
 * them is labelled with its id. */
void         cria_message_row_set_models  (CriaMessageRow *self,
                                           GListModel     *models);
/* The conversation the message is in (a GListModel of CriaMessage): an
 * answer offers Continue only while it is the last message there. */
void         cria_message_row_set_history (CriaMessageRow *self,
                                           GListModel     *history);

G_END_DECLS

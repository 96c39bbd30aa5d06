/* cria-tool-call-row.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cria-message.h"

G_BEGIN_DECLS

#define CRIA_TYPE_TOOL_CALL_ROW (cria_tool_call_row_get_type ())

G_DECLARE_FINAL_TYPE (CriaToolCallRow, cria_tool_call_row, CRIA, TOOL_CALL_ROW, AdwBin)

/* One tool call in the transcript, compact: the tool's name, the arguments
 * the model wrote (pretty JSON), where the call stands and how long it ran,
 * the result under an expander (shown up to a size), and while it waits the
 * user's choice: Allow Once, Always Allow, Deny (win.answer-tool-call).
 * Everything in it is plain text: the model and the tool wrote it. */
GtkWidget   *cria_tool_call_row_new          (void);
CriaMessage *cria_tool_call_row_get_message  (CriaToolCallRow *self);
void         cria_tool_call_row_set_message  (CriaToolCallRow *self,
                                              CriaMessage     *message);
/* What the row says of the call's status, e.g. "Done in 0.2 s". */
const char  *cria_tool_call_row_get_status   (CriaToolCallRow *self);
/* The result as shown, cut past a size. */
const char  *cria_tool_call_row_get_result   (CriaToolCallRow *self);

/* "Done in 0.2 s", "Waiting for your approval", …, for @message. */
char        *cria_tool_call_describe_status  (CriaMessage     *message);

G_END_DECLS

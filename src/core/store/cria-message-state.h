/* cria-message-state.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CriaMessageState:
 * @CRIA_MESSAGE_STATE_COMPLETE: a finished answer, or any user message
 * @CRIA_MESSAGE_STATE_STREAMING: the answer is still arriving
 * @CRIA_MESSAGE_STATE_STOPPED: the user stopped the answer; what arrived is kept
 * @CRIA_MESSAGE_STATE_INTERRUPTED: the stream was cut off; what arrived is kept
 *   and cria_message_get_error() says why
 * @CRIA_MESSAGE_STATE_FAILED: no answer came; cria_message_get_error() says why
 */
typedef enum
{
  CRIA_MESSAGE_STATE_COMPLETE,
  CRIA_MESSAGE_STATE_STREAMING,
  CRIA_MESSAGE_STATE_STOPPED,
  CRIA_MESSAGE_STATE_INTERRUPTED,
  CRIA_MESSAGE_STATE_FAILED,
} CriaMessageState;

/* "complete", "streaming", "stopped", "interrupted" or "failed", as the store
 * and the JSON export write it. */
const char             *cria_message_state_to_string   (CriaMessageState              state);
gboolean                cria_message_state_from_string (const char                   *text,
                                                        CriaMessageState             *state);

G_END_DECLS

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

/**
 * CriaToolStatus:
 * @CRIA_TOOL_STATUS_NONE: the message is not a tool call's
 * @CRIA_TOOL_STATUS_WAITING: the call waits for the user to allow or deny it
 * @CRIA_TOOL_STATUS_RUNNING: the tool is running
 * @CRIA_TOOL_STATUS_DONE: the tool ran; the message's content is its result
 * @CRIA_TOOL_STATUS_FAILED: the call could not run or the tool reported an
 *   error (an unknown tool, arguments that are not a JSON object); the
 *   content says what, for the model and the user
 * @CRIA_TOOL_STATUS_DENIED: the user did not allow the call
 * @CRIA_TOOL_STATUS_STOPPED: the user stopped the turn before the call ended
 *
 * Where a tool call stands. A tool message (role "tool") holds one call: the
 * call the model made, its status, how long it ran and its result.
 */
typedef enum
{
  CRIA_TOOL_STATUS_NONE,
  CRIA_TOOL_STATUS_WAITING,
  CRIA_TOOL_STATUS_RUNNING,
  CRIA_TOOL_STATUS_DONE,
  CRIA_TOOL_STATUS_FAILED,
  CRIA_TOOL_STATUS_DENIED,
  CRIA_TOOL_STATUS_STOPPED,
} CriaToolStatus;

/* NULL for NONE, else "waiting", "running", "done", "failed", "denied" or
 * "stopped", as the store and the JSON export write it. */
const char             *cria_tool_status_to_string     (CriaToolStatus                status);
/* NONE for NULL or a word it does not know. */
CriaToolStatus          cria_tool_status_from_string   (const char                   *text);
/* Whether a call in @status has ended, so its result can go to the model. */
gboolean                cria_tool_status_is_final      (CriaToolStatus                status);

G_END_DECLS

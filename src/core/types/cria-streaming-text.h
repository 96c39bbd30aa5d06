/* cria-streaming-text.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CRIA_TYPE_STREAMING_TEXT (cria_streaming_text_get_type ())

G_DECLARE_INTERFACE (CriaStreamingText, cria_streaming_text, CRIA, STREAMING_TEXT, GObject)

/* An answer whose content and reasoning grow as a stream arrives: the reply
 * the client fills (CriaChatReply) and the message a view shows
 * (CriaMessage), which repeats its reply's signals after taking the text in.
 * The three signals are declared here once, for both:
 *
 * - ::content-appended (const char *text) and ::reasoning-appended
 *   (const char *text) hand over only what is new, after it was appended, so
 *   a handler may also read the text whole. The text is not properties: they
 *   grow per token, and a notification would invite every listener to copy
 *   the whole text each time.
 * - ::content-reset says the content shown so far was reasoning after all
 *   (see CriaReasoningSplitter): a view drops what it rendered of it; the
 *   reasoning arrives through ::reasoning-appended. */
struct _CriaStreamingTextInterface
{
  GTypeInterface parent_iface;
};

/* For implementations only. */
void cria_streaming_text_emit_content_appended   (CriaStreamingText *self,
                                                  const char        *text);
void cria_streaming_text_emit_reasoning_appended (CriaStreamingText *self,
                                                  const char        *text);
void cria_streaming_text_emit_content_reset      (CriaStreamingText *self);

G_END_DECLS

/* cria-stream-interpreter.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-chat-reply.h"

G_BEGIN_DECLS

/* Turns the raw bytes of a chat completion event stream into a CriaChatReply:
 * SSE framing, chunk JSON of every server dialect, reasoning fields and inline
 * reasoning tags, tool-call fragments, usage and mid-stream errors. */
typedef struct _CriaStreamInterpreter CriaStreamInterpreter;

CriaStreamInterpreter *cria_stream_interpreter_new         (CriaChatReply         *reply);
void                   cria_stream_interpreter_free        (CriaStreamInterpreter *self);
/* Returns %FALSE once the stream has said it is over: a [DONE] or an error event. */
gboolean               cria_stream_interpreter_feed        (CriaStreamInterpreter *self,
                                                            const char            *bytes,
                                                            gsize                  len);
/* The byte stream ended: flushes what is pending. */
void                   cria_stream_interpreter_end         (CriaStreamInterpreter *self);
gboolean               cria_stream_interpreter_saw_done    (CriaStreamInterpreter *self);
gboolean               cria_stream_interpreter_saw_finish  (CriaStreamInterpreter *self);
gboolean               cria_stream_interpreter_saw_data    (CriaStreamInterpreter *self);
/* Whether the answer is known to be whole: a finish reason or [DONE] came, or
 * the body was one whole completion. A stream that merely ended is not. */
gboolean               cria_stream_interpreter_is_complete (CriaStreamInterpreter *self);
/* The error object the server sent in the stream, or %NULL. */
const GError          *cria_stream_interpreter_get_error   (CriaStreamInterpreter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaStreamInterpreter, cria_stream_interpreter_free)

G_END_DECLS

/* cria-stream-interpreter-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-api-private.h"
#include "cria-stream-interpreter.h"

G_BEGIN_DECLS

/* Applies one parsed chunk, or a whole non-streamed completion, to the reply. */
void _cria_stream_interpreter_apply_chunk (CriaStreamInterpreter *self,
                                           CriaApiChunk          *chunk);

/* The chunks applied are a whole non-streamed completion: its end is the
 * answer's end, whether or not it names a finish reason. */
void _cria_stream_interpreter_set_whole   (CriaStreamInterpreter *self);

G_END_DECLS

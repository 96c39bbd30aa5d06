/* cria-sse-parser.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * CriaSseEvent:
 * @type: the event type; "message" when the event named none
 * @data: the data lines joined by "\n" (never %NULL, may be empty)
 * @data_len: length of @data in bytes
 * @last_event_id: the last event ID seen so far on this stream (never %NULL)
 * @terminated: %FALSE only for the unterminated event flushed by cria_sse_parser_finish()
 *
 * One dispatched Server-Sent Event. The strings belong to the parser and are
 * valid only during the callback; @data may contain NUL bytes, hence @data_len.
 */
typedef struct
{
  const char *type;
  const char *data;
  gsize       data_len;
  const char *last_event_id;
  gboolean    terminated;
} CriaSseEvent;

typedef void (*CriaSseEventFunc) (const CriaSseEvent *event,
                                  gpointer            user_data);

/* Called for each field line whose name the standard does not know (the
 * standard ignores them). A dialect reads what it needs from them: llama.cpp
 * before 2025 sent its errors on a line named `error:`. @name and @value are
 * not NUL-terminated and belong to the parser. */
typedef void (*CriaSseFieldFunc) (const char *name,
                                  gsize       name_len,
                                  const char *value,
                                  gsize       value_len,
                                  gpointer    user_data);

/* The most a line, or the data of one event, may hold. A server that sends
 * more without a line end (or without a blank line) is broken or hostile:
 * the parser stops there instead of buffering without end. */
#define CRIA_SSE_MAX_SIZE (16 * 1024 * 1024)

/* An incremental parser for a text/event-stream, following the WHATWG
 * EventSource rules: LF, CRLF and CR line ends (a CRLF may be split across
 * feeds), a leading BOM skipped, comments ignored, an event without data not
 * dispatched. Bytes may be split anywhere, even inside a UTF-8 sequence: only
 * whole lines are interpreted and nothing is validated or converted.
 *
 * Memory does not grow with the stream: the partial line and the event being
 * built live in buffers that are reused. A line, and the data of an event,
 * may hold at most CRIA_SSE_MAX_SIZE bytes: past that the parser overflows,
 * dispatches nothing more and ignores the rest of the stream (see
 * cria_sse_parser_overflowed()).
 *
 * One departure from the standard, which discards an event that no blank line
 * terminated: cria_sse_parser_finish() takes a last line with no line end as a
 * whole field line and dispatches a pending event that has data, with
 * @terminated set to %FALSE. The caller decides whether to use it (a chunk
 * that parses as complete JSON) or drop it (a truncated fragment). finish()
 * ends the stream: feeding afterwards is a programmer error.
 *
 * The event function must not feed or free the parser. See docs/sse.md. */
typedef struct _CriaSseParser CriaSseParser;

CriaSseParser *cria_sse_parser_new       (CriaSseEventFunc  func,
                                          gpointer          user_data);
void           cria_sse_parser_free      (CriaSseParser    *self);
void           cria_sse_parser_feed      (CriaSseParser    *self,
                                          const char       *bytes,
                                          gsize             len);
void           cria_sse_parser_finish    (CriaSseParser    *self);
void           cria_sse_parser_set_field_func (CriaSseParser    *self,
                                               CriaSseFieldFunc  func,
                                               gpointer          user_data);
gboolean       cria_sse_parser_overflowed (CriaSseParser   *self);
int            cria_sse_parser_get_retry (CriaSseParser    *self);
const char    *cria_sse_parser_get_last_event_id (CriaSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSseParser, cria_sse_parser_free)

G_END_DECLS

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
 * One dispatched Server-Sent Event. Valid only during the callback.
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

typedef struct _CriaSseParser CriaSseParser;

CriaSseParser *cria_sse_parser_new       (CriaSseEventFunc  func,
                                          gpointer          user_data);
void           cria_sse_parser_free      (CriaSseParser    *self);
void           cria_sse_parser_feed      (CriaSseParser    *self,
                                          const char       *bytes,
                                          gsize             len);
void           cria_sse_parser_finish    (CriaSseParser    *self);
int            cria_sse_parser_get_retry (CriaSseParser    *self);
const char    *cria_sse_parser_get_last_event_id (CriaSseParser *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaSseParser, cria_sse_parser_free)

G_END_DECLS

/* cria-client-private.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-client.h"

G_BEGIN_DECLS

/* How long to wait for a non-streamed answer's headers: the server sends
 * nothing until the whole answer is generated. */
#define CRIA_CLIENT_NON_STREAM_TIMEOUT_MSEC (10 * 60 * 1000)

/* Error replies are short; a longer one is cut rather than read whole. */
#define MAX_ERROR_BODY (64 * 1024)

/* Watches one request: links the caller's cancellable to an internal one and
 * runs the connect and idle timers that cancel it when the server goes quiet. */
typedef struct _CriaRequestWatch CriaRequestWatch;

CriaRequestWatch *_cria_request_watch_new          (CriaClient       *client,
                                                    SoupMessage      *message,
                                                    GCancellable     *cancellable,
                                                    guint             waiting_msec);
void              _cria_request_watch_free         (CriaRequestWatch *watch);
GCancellable     *_cria_request_watch_get_cancellable (CriaRequestWatch *watch);
/* Data arrived: the idle timer starts over. */
void              _cria_request_watch_touch        (CriaRequestWatch *watch);
void              _cria_request_watch_set_idle_timeout (CriaRequestWatch *watch,
                                                        guint             msec);
gboolean          _cria_request_watch_timed_out    (CriaRequestWatch *watch);
gboolean          _cria_request_watch_user_cancelled (CriaRequestWatch *watch);

SoupMessage      *_cria_client_new_message         (CriaClient       *self,
                                                    const char       *method,
                                                    const char       *path,
                                                    GBytes           *body,
                                                    const char       *accept);
/* Turns a GIO, TLS or resolver error into a CRIA_API_ERROR one the user can
 * read; @after_headers tells a cut-off stream from a failed connection. */
GError           *_cria_client_translate_error     (CriaClient       *self,
                                                    CriaRequestWatch *watch,
                                                    const GError     *error,
                                                    gboolean          after_headers);
/* The error for a non-2xx reply, from its status, headers and (possibly
 * missing) body. */
GError           *_cria_client_error_for_status    (CriaClient       *self,
                                                    SoupMessage      *message,
                                                    GBytes           *body);
/* Removes the key @message was sent with (if any) and anything else that
 * looks like an API key from an error's texts, and makes them valid UTF-8. */
GError           *_cria_client_redact_error        (CriaClient       *self,
                                                    SoupMessage      *message,
                                                    GError           *error);
/* FALSE with the refusal when the client may send nothing (see
 * cria_client_refuse()). */
gboolean          _cria_client_check_can_send      (CriaClient       *self,
                                                    GError          **error);

/* Reads a whole body (up to @max_bytes) with the watch's timers. */
void              _cria_client_read_all_async      (CriaClient       *self,
                                                    GInputStream     *stream,
                                                    CriaRequestWatch *watch,
                                                    gsize             max_bytes,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
GBytes           *_cria_client_read_all_finish     (CriaClient       *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);

G_END_DECLS

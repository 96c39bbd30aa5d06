/* cria-model-source.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-client.h"

G_BEGIN_DECLS

#define CRIA_TYPE_MODEL_SOURCE (cria_model_source_get_type ())

G_DECLARE_FINAL_TYPE (CriaModelSource, cria_model_source, CRIA, MODEL_SOURCE, GObject)

/* The list of models a window offers: a GListModel of CriaModel that starts
 * as the list it is given (the bundled catalogue) and is replaced by the
 * server's answer each time a refresh succeeds ("notify::models").
 *
 * A refresh that fails keeps the list, emits "refresh-failed" with the error
 * and the seconds until the next try, and tries again by itself, backing off
 * (5 s, doubling, at most 300 s) until one succeeds or another refresh is
 * asked for. Only the newest request counts: a refresh cancels the one before.
 *
 * The first request can wait: cria_model_source_queue_refresh() before
 * cria_model_source_set_ready() only remembers that a refresh is wanted (a
 * window makes itself ready after its first frame, which need not wait for
 * the proxy resolver and the connection). */
CriaModelSource *cria_model_source_new           (CriaClient      *client,
                                                  GListModel      *models);
GListModel      *cria_model_source_get_models    (CriaModelSource *self);
/* Asks the server for its list now. */
void             cria_model_source_refresh       (CriaModelSource *self);
/* Asks now when ready, or once it is. */
void             cria_model_source_queue_refresh (CriaModelSource *self);
gboolean         cria_model_source_get_ready     (CriaModelSource *self);
/* Makes it ready, and sends a refresh queued until then. */
void             cria_model_source_set_ready     (CriaModelSource *self);
/* The seconds until the next try after a failure, 0 when the last request
 * succeeded or none failed. */
guint            cria_model_source_get_retry_delay (CriaModelSource *self);
/* Cancels what is under way and any try to come. */
void             cria_model_source_stop          (CriaModelSource *self);

G_END_DECLS

/* cria-catalogue.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cria-model.h"

G_BEGIN_DECLS

/**
 * CriaServerModel:
 * @id: the model id the server listed
 * @context_length: the context window the server reported, or 0
 *
 * One entry of a server's model list.
 */
typedef struct
{
  char   *id;
  gint64  context_length;
} CriaServerModel;

void        cria_server_model_free  (CriaServerModel *entry);

/* The bundled catalogue of LlamaGate models, from the core's resources, in
 * catalogue order; every model is marked available until a server says otherwise. */
GListModel *cria_catalogue_load     (GError    **error);
GListModel *cria_catalogue_merge    (GListModel *catalogue,
                                     GPtrArray  *server_models);
CriaModel  *cria_catalogue_find     (GListModel *models,
                                     const char *id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaServerModel, cria_server_model_free)

G_END_DECLS

/* cria-client.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cria-chat-reply.h"
#include "cria-chat-request.h"
#include "cria-embeddings.h"

G_BEGIN_DECLS

#define CRIA_TYPE_CLIENT (cria_client_get_type ())

G_DECLARE_FINAL_TYPE (CriaClient, cria_client, CRIA, CLIENT, GObject)

/* One client, with one SoupSession, serves the whole app. */
CriaClient  *cria_client_new                    (void);
SoupSession *cria_client_get_session            (CriaClient           *self);
const char  *cria_client_get_base_url           (CriaClient           *self);
gboolean     cria_client_set_base_url           (CriaClient           *self,
                                                 const char           *base_url,
                                                 GError              **error);
/* The key is only ever put in the Authorization header of requests to the base URL. */
void         cria_client_set_api_key            (CriaClient           *self,
                                                 const char           *api_key);
gboolean     cria_client_has_api_key            (CriaClient           *self);
/* After this the client sends nothing at all: for a configuration that
 * must be fixed first (a rejected LLAMAGATE_API_BASE). */
void         cria_client_refuse                 (CriaClient           *self,
                                                 const GError         *reason);
const GError *cria_client_get_refusal           (CriaClient           *self);
guint        cria_client_get_connect_timeout    (CriaClient           *self);
void         cria_client_set_connect_timeout    (CriaClient           *self,
                                                 guint                 msec);
guint        cria_client_get_idle_timeout       (CriaClient           *self);
void         cria_client_set_idle_timeout       (CriaClient           *self,
                                                 guint                 msec);

/* GET {base}/models merged with the bundled catalogue: a GListModel of CriaModel. */
void         cria_client_list_models_async      (CriaClient           *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GListModel  *cria_client_list_models_finish     (CriaClient           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* POST {base}/chat/completions, streaming or not as @request says. @reply is
 * filled as data arrives and finished in every case (complete, stopped,
 * interrupted or failed) before @callback runs. Cancelling stops the request at
 * once and keeps what arrived; finish then fails with G_IO_ERROR_CANCELLED. */
void         cria_client_chat_async             (CriaClient           *self,
                                                 CriaChatRequest      *request,
                                                 CriaChatReply        *reply,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean     cria_client_chat_finish            (CriaClient           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* POST {base}/embeddings for one input (@inputs with one string and
 * @single_input) or a batch. */
void            cria_client_embed_async         (CriaClient           *self,
                                                 const char           *model,
                                                 const char * const   *inputs,
                                                 gboolean              single_input,
                                                 CriaEmbeddingFormat   format,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
CriaEmbeddings *cria_client_embed_finish        (CriaClient           *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS

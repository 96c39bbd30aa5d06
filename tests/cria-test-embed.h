/* cria-test-embed.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-fake-server.h"

G_BEGIN_DECLS

/* The fake LlamaGate's embeddings, one definition for the tests and for
 * tests/fake-llamagate: hashed word vectors that carry meaning. The text's
 * words (lowercased, common English words left out, simply stemmed) each
 * add ±1 at two places chosen by their hash; the sum is normalised. Two
 * texts sharing words share direction, so a question points at the
 * passages with its words. Deterministic; a text without words gets a fixed
 * unit vector. */
void     cria_test_embed_text          (const char  *model,
                                        const char  *text,
                                        guint        dimensions,
                                        float       *out);
/* 4096 for qwen3-embedding-8b, 768 for the others (nomic-embed-text). */
guint    cria_test_embed_dimensions    (const char  *model);

/* What the in-process handler was asked, for tests that count. */
typedef struct
{
  guint  n_requests;
  guint  n_inputs;
  gint64 n_tokens;
} CriaTestEmbedCounts;

/* Answers POST /v1/embeddings on @server with cria_test_embed_text()
 * vectors (floats, or base64 when the request asks), counting into
 * @counts (which must outlive the server). Scripts queued with
 * cria_fake_server_expect() still go first. */
void     cria_test_embed_serve         (CriaFakeServer       *server,
                                        CriaTestEmbedCounts  *counts);

G_END_DECLS

/* cria-test-util.h
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cria-client.h"
#include "cria-fake-server.h"

G_BEGIN_DECLS

/* g_test_init() for tests that run the fake server: libsoup's server warns
 * when a client hangs up before it read the peer address, which is exactly
 * what cancel tests do; that one warning is not fatal. */
void             cria_test_init          (int             *argc,
                                          char          ***argv);
/* A fake LlamaGate that wants a made-up key, and a client that has it. */
typedef struct
{
  CriaFakeServer *server;
  CriaClient     *client;
  char           *key;
} CriaTestFixture;

void             cria_test_fixture_set_up    (CriaTestFixture *fixture,
                                              gconstpointer    data);
/* Also checks that nothing kept the client alive. */
void             cria_test_fixture_tear_down (CriaTestFixture *fixture,
                                              gconstpointer    data);

/* A key shaped like LlamaGate's, made up at run time so no fixture holds one. */
char            *cria_test_make_key      (void);
CriaClient      *cria_test_client_new    (CriaFakeServer  *server,
                                          const char      *api_key);
CriaChatRequest *cria_test_request_new   (const char      *user_text,
                                          gboolean         stream);
/* Runs a chat to its end on the thread-default main context. */
gboolean         cria_test_chat          (CriaClient      *client,
                                          CriaChatRequest *request,
                                          CriaChatReply   *reply,
                                          GCancellable    *cancellable,
                                          GError         **error);
/* Iterates the main context for @msec. Not a way to wait for something:
 * a test waits for the state or event it needs, with a ceiling that only
 * ends a hung test (see cria_ui_test_wait()). */
void             cria_test_spin          (guint            msec);

/* The keyring. Tests that keep keys talk to a real Secret Service: the one
 * build-aux/run-headless.sh starts, with an unlocked default collection. */

/* Why there is no keyring to test against, or %NULL when there is one.
 * Only a running service with an unlocked default collection counts: an
 * activatable one, or a locked one, would ask for a password and hang. */
char            *cria_test_keyring_skip_reason (void);
/* Skips the running test, saying why, when there is no keyring; checked once
 * per process. */
gboolean         cria_test_require_keyring     (void);
/* The key stored for @base_url, or %NULL; each asserts the keyring answered. */
char            *cria_test_keyring_lookup      (const char      *base_url);
void             cria_test_keyring_store       (const char      *base_url,
                                                const char      *api_key);
void             cria_test_keyring_clear       (const char      *base_url);
/* Whether @client can list models now: the server takes the key it has. */
gboolean         cria_test_list_models_works   (CriaClient      *client);

/* For cria_test_switch_base_handler(): the client whose server changes, and
 * the address it changes to. */
typedef struct
{
  CriaClient *client;
  const char *other_base_url;
} CriaTestSwitchBase;

/* A CriaFakeServer handler (user data: a CriaTestSwitchBase) for the user
 * pointing Cria at another server while the first one is still answering:
 * it moves the client to the other address, then answers with one model. */
void             cria_test_switch_base_handler (CriaFakeServer        *server,
                                                const CriaFakeRequest *request,
                                                CriaFakeResponse      *response,
                                                gpointer               user_data);

/* A loopback HTTP server that answers every request with @response, bytes
 * exactly as given (a reason phrase in no encoding at all, say), then closes
 * the connection. */
typedef struct _CriaTestRawServer CriaTestRawServer;

CriaTestRawServer *cria_test_raw_server_new          (const char        *response,
                                                      gssize             len);
/* "http://127.0.0.1:PORT/v1" */
const char        *cria_test_raw_server_get_base_url (CriaTestRawServer *self);
guint              cria_test_raw_server_get_n_requests (CriaTestRawServer *self);
void               cria_test_raw_server_free         (CriaTestRawServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CriaTestRawServer, cria_test_raw_server_free)

G_END_DECLS

/* cria-test-util.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "cria-test-util.h"

static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  if (g_strcmp0 (log_domain, "libsoup") == 0 &&
      strstr (message, "could not get remote address") != NULL)
    return FALSE;

  return TRUE;
}

void
cria_test_init (int    *argc,
                char ***argv)
{
  g_test_init (argc, argv, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
}

char *
cria_test_make_key (void)
{
  return g_strdup_printf ("llg_sk_test%08x%08x", g_random_int (), g_random_int ());
}

CriaClient *
cria_test_client_new (CriaFakeServer *server,
                      const char     *api_key)
{
  CriaClient *client = cria_client_new ();
  g_autoptr(GError) error = NULL;

  cria_client_set_base_url (client, cria_fake_server_get_base_url (server), &error);
  g_assert_no_error (error);
  cria_client_set_api_key (client, api_key);

  return client;
}

void
cria_test_fixture_set_up (CriaTestFixture *fixture,
                          gconstpointer    data)
{
  fixture->server = cria_fake_server_new ();
  fixture->key = cria_test_make_key ();
  cria_fake_server_set_api_key (fixture->server, fixture->key);
  fixture->client = cria_test_client_new (fixture->server, fixture->key);
}

void
cria_test_fixture_tear_down (CriaTestFixture *fixture,
                             gconstpointer    data)
{
  g_assert_finalize_object (fixture->client);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->key, g_free);
}

CriaChatRequest *
cria_test_request_new (const char *user_text,
                       gboolean    stream)
{
  CriaChatRequest *request = cria_chat_request_new ("llama-3.1-8b");
  g_autoptr(CriaChatMessage) system = cria_chat_message_new (CRIA_ROLE_SYSTEM, "You are helpful.");
  g_autoptr(CriaChatMessage) user = cria_chat_message_new (CRIA_ROLE_USER, user_text);

  cria_chat_request_add_message (request, system);
  cria_chat_request_add_message (request, user);
  cria_chat_request_set_stream (request, stream);

  return request;
}

static void
chat_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
cria_test_chat (CriaClient       *client,
                CriaChatRequest  *request,
                CriaChatReply    *reply,
                GCancellable     *cancellable,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_client_chat_async (client, request, reply, cancellable, chat_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The reply is always finished before the callback runs. */
  g_assert_true (cria_chat_reply_is_finished (reply));

  return cria_client_chat_finish (client, result, error);
}

static gboolean
spin_done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
cria_test_spin (guint msec)
{
  gboolean done = FALSE;

  g_timeout_add (msec, spin_done_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* cria-test-util.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <libsecret/secret.h>

#include "cria-key-store.h"
#include "cria-test-util.h"

/* Only ends a hung test; a test waits for the result itself. */
#define RESULT_CEILING_MS 30000

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

/* Raw HTTP server */

struct _CriaTestRawServer
{
  GSocketService *service;
  GBytes         *response;
  char           *base_url;
  int             n_requests;

  /* Handlers still running: freeing waits for them, since one may still be
   * inside its last write when the client has already read the answer. */
  GMutex          lock;
  GCond           idle;
  guint           n_running;
};

static void
raw_server_handler_done (CriaTestRawServer *self)
{
  g_mutex_lock (&self->lock);
  self->n_running--;
  g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
}

/* Counts a connection as it is accepted, before it is queued for a
 * handler thread, so that freeing also waits for handlers not yet started. */
static gboolean
raw_server_incoming_cb (GSocketService    *service,
                        GSocketConnection *connection,
                        GObject           *source_object,
                        gpointer           user_data)
{
  CriaTestRawServer *self = user_data;

  g_mutex_lock (&self->lock);
  self->n_running++;
  g_mutex_unlock (&self->lock);

  return FALSE;
}

/* Runs in a thread of its own: blocking reads and writes are fine there. */
static gboolean
raw_server_run_cb (GThreadedSocketService *service,
                   GSocketConnection      *connection,
                   GObject                *source_object,
                   gpointer                user_data)
{
  CriaTestRawServer *self = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GByteArray) request = g_byte_array_new ();
  char buffer[1024];

  /* Requests to it have no body: the headers end the request. */
  while (request->len < 64 * 1024)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        {
          raw_server_handler_done (self);
          return TRUE;
        }
      g_byte_array_append (request, (const guint8 *) buffer, n);
      if (g_strstr_len ((const char *) request->data, request->len, "\r\n\r\n") != NULL)
        break;
    }

  g_atomic_int_inc (&self->n_requests);
  g_output_stream_write_all (out, g_bytes_get_data (self->response, NULL),
                             g_bytes_get_size (self->response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  raw_server_handler_done (self);

  return TRUE;
}

CriaTestRawServer *
cria_test_raw_server_new (const char *response,
                          gssize      len)
{
  CriaTestRawServer *self = g_new0 (CriaTestRawServer, 1);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->response = g_bytes_new (response, len < 0 ? strlen (response) : (gsize) len);
  self->service = g_threaded_socket_service_new (2);
  g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%u/v1",
                                    g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (self->service, "incoming", G_CALLBACK (raw_server_incoming_cb), self);
  g_signal_connect (self->service, "run", G_CALLBACK (raw_server_run_cb), self);
  g_socket_service_start (self->service);

  return self;
}

const char *
cria_test_raw_server_get_base_url (CriaTestRawServer *self)
{
  return self->base_url;
}

guint
cria_test_raw_server_get_n_requests (CriaTestRawServer *self)
{
  return (guint) g_atomic_int_get (&self->n_requests);
}

void
cria_test_raw_server_free (CriaTestRawServer *self)
{
  g_socket_service_stop (self->service);
  g_socket_listener_close (G_SOCKET_LISTENER (self->service));

  /* Every connection accepted gets its handler, which may still be in its
   * last write when the client already has the answer: wait for them all. */
  g_mutex_lock (&self->lock);
  while (self->n_running > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);

  g_clear_object (&self->service);
  g_clear_pointer (&self->response, g_bytes_unref);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);
  g_free (self->base_url);
  g_free (self);
}

/* The keyring */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
ceiling_cb (gpointer user_data)
{
  gboolean *reached = user_data;

  *reached = TRUE;
}

/* Iterates the thread-default main context until *@result is set. */
static void
wait_for_result (GAsyncResult **result)
{
  gboolean reached = FALSE;
  guint id = g_timeout_add_once (RESULT_CEILING_MS, ceiling_cb, &reached);

  while (*result == NULL && !reached)
    g_main_context_iteration (NULL, TRUE);

  if (!reached)
    g_source_remove (id);
  g_assert_nonnull (*result);
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

char *
cria_test_keyring_skip_reason (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    return g_strdup_printf ("no D-Bus session bus (%s); run under build-aux/run-headless.sh",
                            error->message);

  if (!name_has_owner (bus, "org.freedesktop.secrets"))
    return g_strdup ("org.freedesktop.secrets is not running on the session bus; "
                     "run under build-aux/run-headless.sh");

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  if (service == NULL)
    return g_strdup_printf ("the Secret Service does not answer (%s)", error->message);

  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  if (collection == NULL)
    return g_strdup ("the Secret Service has no default collection");

  if (secret_collection_get_locked (collection))
    return g_strdup ("the default collection is locked");

  return NULL;
}

gboolean
cria_test_require_keyring (void)
{
  static gboolean checked;
  static char *reason;

  if (!checked)
    {
      reason = cria_test_keyring_skip_reason ();
      checked = TRUE;
    }

  if (reason != NULL)
    {
      g_test_skip (reason);
      return FALSE;
    }

  return TRUE;
}

char *
cria_test_keyring_lookup (const char *base_url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *key;

  cria_key_store_lookup_async (base_url, NULL, result_cb, &result);
  wait_for_result (&result);
  key = cria_key_store_lookup_finish (result, &error);
  g_assert_no_error (error);

  return key;
}

void
cria_test_keyring_store (const char *base_url,
                         const char *api_key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cria_key_store_store_async (base_url, api_key, NULL, result_cb, &result);
  wait_for_result (&result);
  cria_key_store_store_finish (result, &error);
  g_assert_no_error (error);
}

void
cria_test_keyring_clear (const char *base_url)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cria_key_store_clear_async (base_url, NULL, result_cb, &result);
  wait_for_result (&result);
  cria_key_store_clear_finish (result, &error);
  g_assert_no_error (error);
}

gboolean
cria_test_list_models_works (CriaClient *client)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) models = NULL;

  cria_client_list_models_async (client, NULL, result_cb, &result);
  wait_for_result (&result);
  models = cria_client_list_models_finish (client, result, NULL);

  return models != NULL;
}

void
cria_test_switch_base_handler (CriaFakeServer        *server,
                               const CriaFakeRequest *request,
                               CriaFakeResponse      *response,
                               gpointer               user_data)
{
  CriaTestSwitchBase *switch_base = user_data;

  g_assert_true (cria_client_set_base_url (switch_base->client, switch_base->other_base_url, NULL));
  cria_fake_response_set_body (response, "application/json",
                               "{\"object\":\"list\",\"data\":[{\"id\":\"llama-3.1-8b\"}]}", -1);
}

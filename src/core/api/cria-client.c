/* cria-client.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-api-error.h"
#include "cria-api-private.h"
#include "cria-catalogue.h"
#include "cria-client-private.h"
#include "cria-config.h"
#include "cria-proxy-resolver.h"
#include "cria-secret.h"

#define DEFAULT_CONNECT_TIMEOUT_MSEC (20 * 1000)
#define DEFAULT_IDLE_TIMEOUT_MSEC    (120 * 1000)
#define MAX_MODELS_BODY              (8 * 1024 * 1024)
#define MAX_EMBEDDINGS_BODY          (256 * 1024 * 1024)

struct _CriaClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *base_url;
  GUri        *base_uri;
  char        *api_key;
  GRegex      *key_pattern;
  /* Why the client refuses to send anything at all (a rejected
   * LLAMAGATE_API_BASE), or %NULL. */
  GError      *refusal;
  guint        connect_timeout;
  guint        idle_timeout;
};

G_DEFINE_FINAL_TYPE (CriaClient, cria_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CONNECT_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
wipe_key (CriaClient *self)
{
  cria_secret_clear (&self->api_key);
}

static void
cria_client_dispose (GObject *object)
{
  CriaClient *self = CRIA_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cria_client_parent_class)->dispose (object);
}

static void
cria_client_finalize (GObject *object)
{
  CriaClient *self = CRIA_CLIENT (object);

  wipe_key (self);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->base_uri, g_uri_unref);
  g_clear_pointer (&self->key_pattern, g_regex_unref);
  g_clear_error (&self->refusal);

  G_OBJECT_CLASS (cria_client_parent_class)->finalize (object);
}

static void
cria_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CriaClient *self = CRIA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->connect_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CriaClient *self = CRIA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      cria_client_set_connect_timeout (self, g_value_get_uint (value));
      break;
    case PROP_IDLE_TIMEOUT:
      cria_client_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cria_client_class_init (CriaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_client_dispose;
  object_class->finalize = cria_client_finalize;
  object_class->get_property = cria_client_get_property;
  object_class->set_property = cria_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, CRIA_DEFAULT_BASE_URL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_CONNECT_TIMEOUT_MSEC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_IDLE_TIMEOUT_MSEC,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cria_client_init (CriaClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Cria/%s ", PACKAGE_VERSION);
  g_autoptr(GProxyResolver) resolver = cria_proxy_resolver_new (g_proxy_resolver_get_default ());

  /* Timeouts are Cria's own (see CriaRequestWatch): libsoup's would also cap
   * the wait for a long non-streamed answer. The resolver never sends a
   * loopback request (and its key) through a proxy. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", user_agent,
                                "timeout", 0,
                                "proxy-resolver", resolver,
                                NULL);
  self->base_url = g_strdup (CRIA_DEFAULT_BASE_URL);
  self->base_uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  self->key_pattern = g_regex_new ("llg_sk_[A-Za-z0-9_\\-]+", G_REGEX_OPTIMIZE, 0, NULL);
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT_MSEC;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT_MSEC;
}

CriaClient *
cria_client_new (void)
{
  return g_object_new (CRIA_TYPE_CLIENT, NULL);
}

/**
 * cria_client_get_session:
 *
 * Returns: (transfer none): the one #SoupSession of the app
 */
SoupSession *
cria_client_get_session (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), NULL);

  return self->session;
}

const char *
cria_client_get_base_url (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * cria_client_set_base_url:
 *
 * Sets the OpenAI-compatible endpoint. Plain http:// is refused unless the host
 * is this computer. The key is not kept across a change of endpoint: keys are
 * per base URL.
 *
 * Returns: %TRUE when the URL was accepted
 */
gboolean
cria_client_set_base_url (CriaClient  *self,
                          const char  *base_url,
                          GError     **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (CRIA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (base_url != NULL, FALSE);

  if (self->refusal != NULL)
    {
      g_propagate_error (error, g_error_copy (self->refusal));
      return FALSE;
    }

  normalized = cria_config_normalize_base_url (base_url, error);
  if (normalized == NULL)
    return FALSE;

  if (g_strcmp0 (normalized, self->base_url) == 0)
    return TRUE;

  g_clear_pointer (&self->base_uri, g_uri_unref);
  self->base_uri = g_uri_parse (normalized, G_URI_FLAGS_NONE, NULL);
  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);
  wipe_key (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);

  return TRUE;
}

void
cria_client_set_api_key (CriaClient *self,
                         const char *api_key)
{
  g_return_if_fail (CRIA_IS_CLIENT (self));

  wipe_key (self);
  if (api_key != NULL && *api_key != '\0' && self->refusal == NULL)
    self->api_key = g_strstrip (g_strdup (api_key));
}

/**
 * cria_client_refuse:
 * @reason: why nothing may be sent, with a message the user can act on
 *
 * Stops the client for good: every request fails at once with a copy of
 * @reason, the key is dropped and no key or base URL is accepted any more.
 * For a base URL from the environment that was rejected: sending the key to
 * the default server instead would send it where the user did not ask.
 */
void
cria_client_refuse (CriaClient   *self,
                    const GError *reason)
{
  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (reason != NULL);

  g_clear_error (&self->refusal);
  self->refusal = g_error_copy (reason);
  wipe_key (self);
}

/**
 * cria_client_get_refusal:
 *
 * Returns: (transfer none) (nullable): why the client sends nothing, or %NULL
 *   when it works
 */
const GError *
cria_client_get_refusal (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), NULL);

  return self->refusal;
}

gboolean
_cria_client_check_can_send (CriaClient  *self,
                             GError     **error)
{
  if (self->refusal == NULL)
    return TRUE;

  g_propagate_error (error, g_error_copy (self->refusal));
  return FALSE;
}

gboolean
cria_client_has_api_key (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), FALSE);

  return self->api_key != NULL && *self->api_key != '\0';
}

guint
cria_client_get_connect_timeout (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), 0);

  return self->connect_timeout;
}

/**
 * cria_client_set_connect_timeout:
 * @msec: how long to wait for a connection (TLS included)
 */
void
cria_client_set_connect_timeout (CriaClient *self,
                                 guint       msec)
{
  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (msec > 0);

  if (self->connect_timeout == msec)
    return;

  self->connect_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECT_TIMEOUT]);
}

guint
cria_client_get_idle_timeout (CriaClient *self)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), 0);

  return self->idle_timeout;
}

/**
 * cria_client_set_idle_timeout:
 * @msec: how long a stream may stay silent (before its first byte or between
 *   two chunks) before it is given up; a long answer that keeps arriving is
 *   never cut
 */
void
cria_client_set_idle_timeout (CriaClient *self,
                              guint       msec)
{
  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (msec > 0);

  if (self->idle_timeout == msec)
    return;

  self->idle_timeout = msec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/* Request watch */

struct _CriaRequestWatch
{
  GCancellable *cancellable;
  GCancellable *user_cancellable;
  gulong        user_cancelled_id;
  SoupMessage  *message;
  GSource      *timer;
  guint         waiting_msec;
  guint         idle_msec;
  gboolean      timed_out;
  gboolean      connected;
};

static gboolean
watch_timer_cb (gpointer user_data)
{
  CriaRequestWatch *watch = user_data;

  watch->timed_out = TRUE;
  g_cancellable_cancel (watch->cancellable);

  return G_SOURCE_CONTINUE;
}

static void
watch_arm (CriaRequestWatch *watch,
           guint             msec)
{
  g_source_set_ready_time (watch->timer, g_get_monotonic_time () + (gint64) msec * 1000);
}

/* The connection is up once the request went out; from then on the server
 * gets the waiting time to start answering. */
static void
watch_connected (CriaRequestWatch *watch)
{
  if (watch->connected || watch->timed_out)
    return;

  watch->connected = TRUE;
  watch_arm (watch, watch->waiting_msec);
}

static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_COMPLETE)
    watch_connected (user_data);
}

static void
wrote_headers_cb (SoupMessage *message,
                  gpointer     user_data)
{
  watch_connected (user_data);
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

CriaRequestWatch *
_cria_request_watch_new (CriaClient   *client,
                         SoupMessage  *message,
                         GCancellable *cancellable,
                         guint         waiting_msec)
{
  CriaRequestWatch *watch = g_new0 (CriaRequestWatch, 1);

  watch->cancellable = g_cancellable_new ();
  watch->message = g_object_ref (message);
  watch->waiting_msec = waiting_msec;
  watch->idle_msec = client->idle_timeout;

  if (cancellable != NULL)
    {
      watch->user_cancellable = g_object_ref (cancellable);
      watch->user_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb),
                                                        g_object_ref (watch->cancellable),
                                                        g_object_unref);
    }

  watch->timer = g_timeout_source_new (client->connect_timeout);
  g_source_set_static_name (watch->timer, "[cria] request timeout");
  g_source_set_callback (watch->timer, watch_timer_cb, watch, NULL);
  g_source_attach (watch->timer, g_main_context_get_thread_default ());

  g_signal_connect (message, "network-event", G_CALLBACK (network_event_cb), watch);
  g_signal_connect (message, "wrote-headers", G_CALLBACK (wrote_headers_cb), watch);

  return watch;
}

void
_cria_request_watch_free (CriaRequestWatch *watch)
{
  if (watch == NULL)
    return;

  g_signal_handlers_disconnect_by_data (watch->message, watch);
  g_clear_object (&watch->message);
  if (watch->user_cancellable != NULL)
    g_cancellable_disconnect (watch->user_cancellable, watch->user_cancelled_id);
  g_clear_object (&watch->user_cancellable);
  g_source_destroy (watch->timer);
  g_clear_pointer (&watch->timer, g_source_unref);
  g_clear_object (&watch->cancellable);
  g_free (watch);
}

GCancellable *
_cria_request_watch_get_cancellable (CriaRequestWatch *watch)
{
  return watch->cancellable;
}

void
_cria_request_watch_touch (CriaRequestWatch *watch)
{
  watch->connected = TRUE;
  if (!watch->timed_out)
    watch_arm (watch, watch->idle_msec);
}

void
_cria_request_watch_set_idle_timeout (CriaRequestWatch *watch,
                                      guint             msec)
{
  watch->idle_msec = msec;
  _cria_request_watch_touch (watch);
}

gboolean
_cria_request_watch_timed_out (CriaRequestWatch *watch)
{
  return watch->timed_out && !_cria_request_watch_user_cancelled (watch);
}

gboolean
_cria_request_watch_user_cancelled (CriaRequestWatch *watch)
{
  return watch->user_cancellable != NULL &&
         g_cancellable_is_cancelled (watch->user_cancellable);
}

/* Messages */

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return a != NULL && b != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

/* Each message keeps the key it was sent with, so that its errors are
 * redacted with that key even when the client has another one by then. */
static GQuark
message_key_quark (void)
{
  return g_quark_from_static_string ("cria-client-message-key");
}

/* libsoup follows redirects by itself and keeps the request headers; the key
 * must not follow a redirect to another origin. */
static GQuark
message_origin_quark (void)
{
  return g_quark_from_static_string ("cria-client-message-origin");
}

/* The origin is the one the message was made for: the base URL may have
 * changed since, and a redirect to the new one must not carry the old key. */
static void
restarted_cb (SoupMessage *message,
              gpointer     user_data)
{
  GUri *origin = g_object_get_qdata (G_OBJECT (message), message_origin_quark ());

  if (!same_origin (soup_message_get_uri (message), origin))
    soup_message_headers_remove (soup_message_get_request_headers (message), "Authorization");
}

SoupMessage *
_cria_client_new_message (CriaClient *self,
                          const char *method,
                          const char *path,
                          GBytes     *body,
                          const char *accept)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessageHeaders *headers;
  SoupMessage *message;

  message = soup_message_new (method, url);
  g_assert (message != NULL);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", accept);
  if (self->api_key != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->api_key, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      cria_secret_wipe (authorization);
      g_object_set_qdata_full (G_OBJECT (message), message_key_quark (),
                               g_strdup (self->api_key), (GDestroyNotify) cria_secret_free);
    }

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", body);

  g_object_set_qdata_full (G_OBJECT (message), message_origin_quark (),
                           g_uri_ref (soup_message_get_uri (message)), (GDestroyNotify) g_uri_unref);
  g_signal_connect (message, "restarted", G_CALLBACK (restarted_cb), NULL);

  return message;
}

/* Text from the network may carry any bytes; it is made valid UTF-8 before
 * it can reach a label, an accessible name or the history. */
static char *
redact (CriaClient *self,
        const char *api_key,
        const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *without_key = NULL;

  if (text == NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  text = valid;

  if (api_key != NULL && *api_key != '\0' && strstr (text, api_key) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (text, api_key, -1);

      without_key = g_strjoinv ("[API key]", parts);
      text = without_key;
    }

  return g_regex_replace_literal (self->key_pattern, text, -1, 0, "[API key]", 0, NULL);
}

/* Redacts with the key @message carried, not the client's key now: the key
 * may have changed while the request was on its way. */
GError *
_cria_client_redact_error (CriaClient  *self,
                           SoupMessage *message,
                           GError      *error)
{
  const char *api_key = NULL;
  g_autofree char *text = NULL;
  g_autofree char *server_message = NULL;
  GError *redacted;

  if (error == NULL)
    return NULL;

  if (message != NULL)
    api_key = g_object_get_qdata (G_OBJECT (message), message_key_quark ());

  text = redact (self, api_key, error->message);
  if (error->domain != CRIA_API_ERROR)
    {
      g_free (error->message);
      error->message = g_steal_pointer (&text);
      return error;
    }

  server_message = redact (self, api_key, cria_api_error_get_server_message (error));
  redacted = cria_api_error_new (error->code, cria_api_error_get_http_status (error),
                                 server_message, cria_api_error_get_retry_after (error), text);
  g_error_free (error);

  return redacted;
}

GError *
_cria_client_translate_error (CriaClient       *self,
                              CriaRequestWatch *watch,
                              const GError     *error,
                              gboolean          after_headers)
{
  const char *host = self->base_uri != NULL ? g_uri_get_host (self->base_uri) : "";
  g_autofree char *message = NULL;
  CriaApiError code;

  if (error->domain == CRIA_API_ERROR)
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (watch == NULL || !_cria_request_watch_timed_out (watch))
        return g_error_copy (error);

      code = CRIA_API_ERROR_TIMEOUT;
      if (after_headers)
        message = g_strdup_printf (_("%s stopped sending in the middle of the answer. What arrived is kept."), host);
      else if (watch->connected)
        message = g_strdup_printf (_("%s accepted the request but did not answer in time."), host);
      else
        message = g_strdup_printf (_("Could not connect to %s in time. Check the network connection."), host);
    }
  else if (error->domain == G_TLS_ERROR)
    {
      code = CRIA_API_ERROR_TLS;
      message = g_strdup_printf (_("The secure connection to %s could not be verified (%s). Nothing was sent."),
                                 host, error->message);
    }
  else if (after_headers)
    {
      code = CRIA_API_ERROR_INTERRUPTED;
      message = g_strdup_printf (_("The connection to %s was lost in the middle of the answer. What arrived is kept."), host);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      code = CRIA_API_ERROR_TIMEOUT;
      message = g_strdup_printf (_("Could not connect to %s in time. Check the network connection."), host);
    }
  else if (error->domain == G_RESOLVER_ERROR ||
           error->domain == G_IO_ERROR)
    {
      code = CRIA_API_ERROR_NETWORK;
      message = g_strdup_printf (_("Could not reach %s. Check the network connection. (%s)"),
                                 host, error->message);
    }
  else
    {
      code = CRIA_API_ERROR_FAILED;
      message = g_strdup_printf (_("The request to %s failed: %s"), host, error->message);
    }

  return _cria_client_redact_error (self, watch != NULL ? watch->message : NULL,
                                    cria_api_error_new (code, 0, NULL, -1, message));
}

/* Reading a whole body */

typedef struct
{
  GInputStream     *stream;
  CriaRequestWatch *watch;
  GByteArray       *data;
  gsize             max_bytes;
} ReadAll;

static void
read_all_free (ReadAll *state)
{
  g_clear_object (&state->stream);
  g_clear_pointer (&state->data, g_byte_array_unref);
  g_free (state);
}

static void read_all_next (GTask *task);

static void
read_all_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReadAll *state = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&state->data)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  _cria_request_watch_touch (state->watch);
  if (state->data->len + g_bytes_get_size (bytes) > state->max_bytes)
    {
      g_autofree char *limit = g_format_size (state->max_bytes);

      g_task_return_new_error (task, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                               _("The server’s reply is larger than %s."), limit);
      return;
    }

  g_byte_array_append (state->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_all_next (g_steal_pointer (&task));
}

static void
read_all_next (GTask *task)
{
  ReadAll *state = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (state->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   _cria_request_watch_get_cancellable (state->watch),
                                   read_all_cb, task);
}

void
_cria_client_read_all_async (CriaClient          *self,
                             GInputStream        *stream,
                             CriaRequestWatch    *watch,
                             gsize                max_bytes,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);
  ReadAll *state = g_new0 (ReadAll, 1);

  state->stream = g_object_ref (stream);
  state->watch = watch;
  state->data = g_byte_array_new ();
  state->max_bytes = max_bytes;
  g_task_set_source_tag (task, _cria_client_read_all_async);
  g_task_set_task_data (task, state, (GDestroyNotify) read_all_free);

  read_all_next (task);
}

GBytes *
_cria_client_read_all_finish (CriaClient    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Simple requests: a JSON reply read whole (models, embeddings) */

typedef gpointer (*ParseFunc) (GBytes   *body,
                               gpointer  parse_data,
                               GError  **error);

typedef struct
{
  SoupMessage      *message;
  CriaRequestWatch *watch;
  ParseFunc         parse;
  gpointer          parse_data;
  GDestroyNotify    result_free;
  gsize             max_bytes;
} SimpleRequest;

static void
simple_request_free (SimpleRequest *request)
{
  g_clear_pointer (&request->watch, _cria_request_watch_free);
  g_clear_object (&request->message);
  g_free (request);
}

GError *
_cria_client_error_for_status (CriaClient  *self,
                               SoupMessage *message,
                               GBytes      *body)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  return _cria_client_redact_error (self, message,
                                    _cria_api_error_from_response (soup_message_get_status (message),
                                                                   soup_message_get_reason_phrase (message),
                                                                   data, len,
                                                                   soup_message_headers_get_one (headers, "Retry-After")));
}

static gboolean
status_is_success (SoupMessage *message)
{
  return SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message));
}

static void
simple_request_read_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  CriaClient *self = CRIA_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  SimpleRequest *request = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  gpointer parsed;

  body = _cria_client_read_all_finish (self, result, &error);

  if (!status_is_success (request->message))
    {
      g_task_return_error (task, _cria_client_error_for_status (self, request->message, body));
      return;
    }

  if (body == NULL)
    {
      g_task_return_error (task, _cria_client_translate_error (self, request->watch, error, TRUE));
      return;
    }

  parsed = request->parse (body, request->parse_data, &error);
  if (parsed == NULL)
    g_task_return_error (task, _cria_client_redact_error (self, request->message, g_steal_pointer (&error)));
  else
    g_task_return_pointer (task, parsed, request->result_free);
}

static void
simple_request_send_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CriaClient *self = g_task_get_source_object (task);
  SimpleRequest *request = g_task_get_task_data (task);
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, _cria_client_translate_error (self, request->watch, error, FALSE));
      return;
    }

  _cria_request_watch_touch (request->watch);
  _cria_client_read_all_async (self, stream, request->watch,
                               status_is_success (request->message) ? request->max_bytes
                                                                    : MAX_ERROR_BODY,
                               simple_request_read_cb, g_steal_pointer (&task));
}

static void
simple_request_start (CriaClient          *self,
                      SoupMessage         *message,
                      ParseFunc            parse,
                      gpointer             parse_data,
                      GDestroyNotify       result_free,
                      gsize                max_bytes,
                      gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SimpleRequest *request = g_new0 (SimpleRequest, 1);
  GError *error = NULL;

  request->message = message;
  request->watch = _cria_request_watch_new (self, message, cancellable, self->idle_timeout);
  request->parse = parse;
  request->parse_data = parse_data;
  request->result_free = result_free;
  request->max_bytes = max_bytes;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, (GDestroyNotify) simple_request_free);

  if (!_cria_client_check_can_send (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT,
                           _cria_request_watch_get_cancellable (request->watch),
                           simple_request_send_cb, g_steal_pointer (&task));
}

static gpointer
parse_models (GBytes   *body,
              gpointer  parse_data,
              GError  **error)
{
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GListModel) catalogue = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  listed = _cria_api_parse_models (data, len, error);
  if (listed == NULL)
    return NULL;

  catalogue = cria_catalogue_load (error);
  if (catalogue == NULL)
    return NULL;

  return cria_catalogue_merge (catalogue, listed);
}

/**
 * cria_client_list_models_async:
 *
 * Asks the server which models it serves (this also checks the key) and
 * merges the answer with the bundled catalogue.
 */
void
cria_client_list_models_async (CriaClient          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  simple_request_start (self, _cria_client_new_message (self, "GET", "/models", NULL, "application/json"),
                        parse_models, NULL, g_object_unref, MAX_MODELS_BODY,
                        cria_client_list_models_async, cancellable, callback, user_data);
}

/**
 * cria_client_list_models_finish:
 *
 * Returns: (transfer full): a #GListModel of #CriaModel, or %NULL with @error set
 */
GListModel *
cria_client_list_models_finish (CriaClient    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
parse_embeddings (GBytes   *body,
                  gpointer  parse_data,
                  GError  **error)
{
  g_autoptr(CriaEmbeddings) embeddings = NULL;
  guint n_inputs = GPOINTER_TO_UINT (parse_data);
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  embeddings = _cria_api_parse_embeddings (data, len, error);
  if (embeddings == NULL)
    return NULL;

  /* One vector per input, or the caller would read a vector that isn't there. */
  if (cria_embeddings_get_n_vectors (embeddings) != n_inputs)
    {
      g_set_error (error, CRIA_API_ERROR, CRIA_API_ERROR_FAILED,
                   _("The server sent %u embeddings for %u inputs."),
                   cria_embeddings_get_n_vectors (embeddings), n_inputs);
      return NULL;
    }

  return g_steal_pointer (&embeddings);
}

void
cria_client_embed_async (CriaClient          *self,
                         const char          *model,
                         const char * const  *inputs,
                         gboolean             single_input,
                         CriaEmbeddingFormat  format,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (CRIA_IS_CLIENT (self));
  g_return_if_fail (model != NULL);
  g_return_if_fail (inputs != NULL && inputs[0] != NULL);
  g_return_if_fail (!single_input || inputs[1] == NULL);

  body = _cria_api_build_embeddings_body (model, inputs, single_input, format);
  simple_request_start (self, _cria_client_new_message (self, "POST", "/embeddings", body, "application/json"),
                        parse_embeddings, GUINT_TO_POINTER (g_strv_length ((char **) inputs)),
                        (GDestroyNotify) cria_embeddings_unref, MAX_EMBEDDINGS_BODY,
                        cria_client_embed_async, cancellable, callback, user_data);
}

/**
 * cria_client_embed_finish:
 *
 * Returns: (transfer full): the embeddings, one vector per input in order
 */
CriaEmbeddings *
cria_client_embed_finish (CriaClient    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (CRIA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

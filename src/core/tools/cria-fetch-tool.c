/* cria-fetch-tool.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fetches a web page and gives the model its readable text. It has a
 * SoupSession of its own: no key, no Authorization logic, no cookies, no
 * credentials from the URL, so nothing of the user's LlamaGate account can
 * reach the page's server or a proxy on the way. Only http and https, the
 * body read up to a limit, and the whole fetch ends at a deadline. Nothing
 * on this computer or its local network is reached (cria-fetch-guard.c):
 * the name is judged before the request, and the address each connection
 * reaches once it is made, before a byte of the request is sent.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cria-builtin-tools-private.h"
#include "cria-html-text.h"

#define DEFAULT_MAX_BYTES    (2 * 1024 * 1024)
#define DEFAULT_TIMEOUT_MSEC (20 * 1000)
#define READ_CHUNK           (16 * 1024)
#define MAX_URL_LENGTH       4096

struct _CriaFetchTool
{
  GObject      parent_instance;

  SoupSession       *session;
  CriaFetchResolver *resolver;
  gboolean           allow_local;
  JsonNode    *parameters;
  gsize        max_bytes;
  guint        timeout_msec;
};

static void tool_iface_init (CriaToolInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CriaFetchTool, cria_fetch_tool, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CRIA_TYPE_TOOL, tool_iface_init))

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *cancellable;   /* ours: the caller's or the deadline cancels it */
  gulong        cancelled_id;
  GCancellable *caller;
  guint         deadline_id;
  gboolean      timed_out;
  gboolean      cut;
  char         *refused_host;  /* set when a connection reached a local address */
  CriaFetchResolver *resolver;
  gboolean      allow_local;
  gsize         max_bytes;
  guint         timeout_msec;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_handle_id (&fetch->deadline_id, g_source_remove);
  if (fetch->message != NULL)
    g_signal_handlers_disconnect_by_data (fetch->message, fetch);
  g_clear_object (&fetch->resolver);
  g_free (fetch->refused_host);
  if (fetch->caller != NULL)
    g_cancellable_disconnect (fetch->caller, fetch->cancelled_id);
  g_clear_object (&fetch->caller);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->message);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->body, g_byte_array_unref);
  g_free (fetch);
}

static const char parameters_json[] =
  "{"
  "  \"type\": \"object\","
  "  \"properties\": {"
  "    \"url\": {"
  "      \"type\": \"string\","
  "      \"description\": \"The http or https address of the page\""
  "    }"
  "  },"
  "  \"required\": [\"url\"],"
  "  \"additionalProperties\": false"
  "}";

static const char *
get_name (CriaTool *tool)
{
  return "fetch_page";
}

static const char *
get_title (CriaTool *tool)
{
  return _("Fetch Web Page");
}

static const char *
get_description (CriaTool *tool)
{
  return "Fetches a web page (http or https) and returns its title and readable text, without "
         "scripts, styles or navigation. Plain text and JSON are returned as they are.";
}

static JsonNode *
get_parameters (CriaTool *tool)
{
  return CRIA_FETCH_TOOL (tool)->parameters;
}

static CriaToolApproval
get_approval (CriaTool *tool)
{
  return CRIA_TOOL_APPROVAL_ASK;
}

/* Whether a body of @content_type is text the model can read. */
static gboolean
is_text_type (const char *content_type)
{
  if (content_type == NULL)
    return TRUE;  /* unsaid: look at it */
  return g_str_has_prefix (content_type, "text/") ||
         g_str_equal (content_type, "application/xhtml+xml") ||
         g_str_equal (content_type, "application/json") ||
         g_str_equal (content_type, "application/xml") ||
         g_str_equal (content_type, "application/javascript") ||
         g_str_has_suffix (content_type, "+json") ||
         g_str_has_suffix (content_type, "+xml");
}

static gboolean
is_html (const char  *content_type,
         const guint8 *data,
         gsize        len)
{
  g_autofree char *start = NULL;

  if (content_type != NULL)
    return g_str_equal (content_type, "text/html") || g_str_equal (content_type, "application/xhtml+xml");

  start = g_ascii_strdown ((const char *) data, MIN (len, 512));
  return strstr (start, "<html") != NULL || strstr (start, "<!doctype html") != NULL;
}

/* The charset the headers name, or for HTML a <meta charset> near the top. */
static char *
find_charset (SoupMessage  *message,
              gboolean      html,
              const guint8 *data,
              gsize         len)
{
  g_autoptr(GHashTable) params = NULL;
  const char *charset = NULL;

  soup_message_headers_get_content_type (soup_message_get_response_headers (message), &params);
  if (params != NULL)
    charset = g_hash_table_lookup (params, "charset");
  if (charset != NULL)
    return g_strdup (charset);

  if (html)
    {
      g_autofree char *head = g_ascii_strdown ((const char *) data, MIN (len, 4096));
      const char *at = strstr (head, "charset=");

      if (at != NULL)
        {
          gsize n = 0;

          at += strlen ("charset=");
          while (*at == '"' || *at == '\'')
            at++;
          while (g_ascii_isalnum (at[n]) || at[n] == '-' || at[n] == '_')
            n++;
          if (n > 0 && n < 40)
            return g_strndup (at, n);
        }
    }
  return NULL;
}

static void
finish (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (fetch->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  gboolean html = is_html (content_type, fetch->body->data, fetch->body->len);
  g_autofree char *charset = find_charset (fetch->message, html, fetch->body->data, fetch->body->len);
  g_autofree char *utf8 = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autofree char *url = g_uri_to_string_partial (soup_message_get_uri (fetch->message),
                                                  G_URI_HIDE_USERINFO);
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len = fetch->body->len;

  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "utf8") != 0)
    {
      gsize written = 0;

      utf8 = g_convert_with_fallback ((const char *) fetch->body->data, len, "UTF-8", charset,
                                      "\xEF\xBF\xBD", NULL, &written, NULL);
      if (utf8 != NULL)
        len = written;
    }
  if (utf8 == NULL)
    utf8 = g_utf8_make_valid ((const char *) fetch->body->data, len);

  if (html)
    text = cria_html_to_text (utf8, strlen (utf8), &title);
  else
    text = g_strdup (utf8);

  if (title != NULL)
    g_string_append_printf (out, "Title: %s\n", title);
  g_string_append_printf (out, "URL: %s\n", url);
  if (fetch->cut)
    g_string_append_printf (out, "(Only the first %" G_GSIZE_FORMAT " KiB of the page were read.)\n",
                            fetch->max_bytes / 1024);
  g_string_append_c (out, '\n');
  g_string_append (out, *text != '\0' ? text : "(The page has no readable text.)");

  _cria_tool_return_text (task, out->str, FALSE);
}

/* A failure to fetch is a result the model reads; a cancellation by the
 * caller is an error. */
static void
return_failure (GTask  *task,
                GError *error)
{
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *text = NULL;

  if (fetch->refused_host != NULL)
    text = g_strdup_printf (_("“%s” is on this computer or its local network, which Cria does not fetch"),
                            fetch->refused_host);
  else if (fetch->timed_out)
    {
      guint seconds = (fetch->timeout_msec + 999) / 1000;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "The page did not load within %u second",
                                           "The page did not load within %u seconds", seconds),
                              seconds);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  else
    text = g_strdup_printf (_("The page could not be fetched: %s"), error->message);

  g_error_free (error);
  _cria_tool_return_text (task, text, TRUE);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gsize room;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      return_failure (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      finish (task);
      return;
    }

  room = fetch->max_bytes - fetch->body->len;
  g_byte_array_append (fetch->body, g_bytes_get_data (bytes, NULL), MIN (room, g_bytes_get_size (bytes)));
  /* Each read asks for one byte more than there is room for: getting it
   * means the page goes on past the limit. */
  if (g_bytes_get_size (bytes) > room)
    {
      fetch->cut = TRUE;
      finish (task);
      return;
    }

  g_input_stream_read_bytes_async (fetch->stream, MIN (READ_CHUNK, fetch->max_bytes - fetch->body->len + 1),
                                   G_PRIORITY_DEFAULT, fetch->cancellable, read_cb,
                                   g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  const char *content_type;
  GError *error = NULL;
  guint status;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (fetch->stream == NULL)
    {
      return_failure (task, error);
      return;
    }

  status = soup_message_get_status (fetch->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *text = NULL;
      const char *reason = soup_message_get_reason_phrase (fetch->message);
      g_autofree char *valid_reason = g_utf8_make_valid (reason != NULL ? reason : "", MIN (strlen (reason != NULL ? reason : ""), 200));

      text = g_strdup_printf (_("The server answered %u %s"), status, valid_reason);
      _cria_tool_return_text (task, g_strstrip (text), TRUE);
      return;
    }

  headers = soup_message_get_response_headers (fetch->message);
  content_type = soup_message_headers_get_content_type (headers, NULL);
  if (!is_text_type (content_type))
    {
      g_autofree char *valid_type = g_utf8_make_valid (content_type, MIN (strlen (content_type), 200));
      g_autofree char *text = g_strdup_printf (_("The page is %s, not text Cria can read"), valid_type);

      _cria_tool_return_text (task, text, TRUE);
      return;
    }

  g_input_stream_read_bytes_async (fetch->stream, MIN (READ_CHUNK, fetch->max_bytes + 1),
                                   G_PRIORITY_DEFAULT, fetch->cancellable, read_cb,
                                   g_steal_pointer (&task));
}

static gboolean
deadline_cb (gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->deadline_id = 0;
  fetch->timed_out = TRUE;
  g_cancellable_cancel (fetch->cancellable);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void
refuse (Fetch      *fetch,
        const char *host)
{
  if (fetch->refused_host == NULL)
    fetch->refused_host = g_utf8_make_valid (host != NULL ? host : "", MIN (strlen (host != NULL ? host : ""), 255));
  g_cancellable_cancel (fetch->cancellable);
}

/* A connection is made: unless it is to a proxy, the address it reached is
 * the page's server, judged before the request goes out. */
static void
network_event_cb (SoupMessage        *message,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  Fetch              *fetch)
{
  g_autoptr(GSocketAddress) remote = NULL;
  GUri *uri = soup_message_get_uri (message);

  if (fetch->allow_local || event != G_SOCKET_CLIENT_CONNECTED || !G_IS_SOCKET_CONNECTION (connection))
    return;
  if (_cria_fetch_resolver_is_proxied (fetch->resolver, uri))
    return;

  remote = g_socket_connection_get_remote_address (G_SOCKET_CONNECTION (connection), NULL);
  /* An address that cannot be told is not trusted either. */
  if (!G_IS_INET_SOCKET_ADDRESS (remote) ||
      _cria_fetch_address_is_local (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    refuse (fetch, g_uri_get_host (uri));
}

/* A redirect: its host is judged by name as the first one was. */
static void
restarted_cb (SoupMessage *message,
              Fetch       *fetch)
{
  const char *host = g_uri_get_host (soup_message_get_uri (message));

  if (!fetch->allow_local && _cria_fetch_host_is_local (host))
    refuse (fetch, host);
}

/* The URL's problem for the model, or NULL when it may be fetched. */
static char *
check_url (const char  *text,
           gboolean     allow_local,
           GUri       **uri_out)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *scheme;

  if (strlen (text) > MAX_URL_LENGTH)
    return g_strdup_printf (_("The address is longer than %u characters"), MAX_URL_LENGTH);

  uri = g_uri_parse (text, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    return g_strdup_printf (_("“%s” is not a web address: %s"), text, error->message);

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return g_strdup_printf (_("Only http and https addresses can be fetched, not %s"), scheme);
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup (_("The address has no host"));
  /* Credentials written into the address are never sent. */
  if (g_uri_get_userinfo (uri) != NULL)
    return g_strdup (_("Addresses with a user name or password are not fetched"));
  if (!allow_local && _cria_fetch_host_is_local (g_uri_get_host (uri)))
    return g_strdup_printf (_("“%s” is on this computer or its local network, which Cria does not fetch"),
                            g_uri_get_host (uri));

  *uri_out = g_steal_pointer (&uri);
  return NULL;
}

static void
run_async (CriaTool            *tool,
           JsonObject          *arguments,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  CriaFetchTool *self = CRIA_FETCH_TOOL (tool);
  g_autoptr(GTask) task = g_task_new (tool, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *problem = NULL;
  SoupMessageHeaders *headers;
  const char *url;
  Fetch *fetch;

  g_task_set_source_tag (task, run_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!_cria_tool_get_string_arg (arguments, "url", TRUE, &url, &error))
    {
      _cria_tool_return_text (task, error->message, TRUE);
      return;
    }
  problem = check_url (url, self->allow_local, &uri);
  if (problem != NULL)
    {
      _cria_tool_return_text (task, problem, TRUE);
      return;
    }

  fetch = g_new0 (Fetch, 1);
  fetch->max_bytes = self->max_bytes;
  fetch->timeout_msec = self->timeout_msec;
  fetch->body = g_byte_array_new ();
  fetch->cancellable = g_cancellable_new ();
  fetch->message = soup_message_new_from_uri (SOUP_METHOD_GET, uri);
  fetch->resolver = g_object_ref (self->resolver);
  fetch->allow_local = self->allow_local;
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  g_signal_connect (fetch->message, "network-event", G_CALLBACK (network_event_cb), fetch);
  g_signal_connect (fetch->message, "restarted", G_CALLBACK (restarted_cb), fetch);

  headers = soup_message_get_request_headers (fetch->message);
  soup_message_headers_replace (headers, "Accept",
                                "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5");

  if (cancellable != NULL)
    {
      fetch->caller = g_object_ref (cancellable);
      fetch->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   g_object_ref (fetch->cancellable), g_object_unref);
    }
  fetch->deadline_id = g_timeout_add (fetch->timeout_msec, deadline_cb, fetch);

  soup_session_send_async (self->session, fetch->message, G_PRIORITY_DEFAULT, fetch->cancellable,
                           send_cb, g_steal_pointer (&task));
}

static void
tool_iface_init (CriaToolInterface *iface)
{
  iface->get_name = get_name;
  iface->get_title = get_title;
  iface->get_description = get_description;
  iface->get_parameters = get_parameters;
  iface->get_approval = get_approval;
  iface->run_async = run_async;
  iface->run_finish = _cria_tool_task_finish;
}

static void
cria_fetch_tool_dispose (GObject *object)
{
  CriaFetchTool *self = CRIA_FETCH_TOOL (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->resolver);

  G_OBJECT_CLASS (cria_fetch_tool_parent_class)->dispose (object);
}

static void
cria_fetch_tool_finalize (GObject *object)
{
  CriaFetchTool *self = CRIA_FETCH_TOOL (object);

  g_clear_pointer (&self->parameters, json_node_unref);

  G_OBJECT_CLASS (cria_fetch_tool_parent_class)->finalize (object);
}

static void
cria_fetch_tool_class_init (CriaFetchToolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cria_fetch_tool_dispose;
  object_class->finalize = cria_fetch_tool_finalize;
}

static void
cria_fetch_tool_init (CriaFetchTool *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Cria/%s (page fetch)", PACKAGE_VERSION);

  /* A session apart from the client's: it never learns the key, and
   * without the auth manager it answers no 401 with credentials. No cookie
   * jar is added, so no cookie is kept or sent. */
  self->resolver = _cria_fetch_resolver_new (NULL);
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "user-agent", user_agent,
                                "proxy-resolver", self->resolver,
                                "timeout", 0,
                                "max-conns-per-host", 2,
                                NULL);
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
  self->parameters = _cria_tool_parse_schema (parameters_json);
  self->max_bytes = DEFAULT_MAX_BYTES;
  self->timeout_msec = DEFAULT_TIMEOUT_MSEC;
}

CriaTool *
cria_fetch_tool_new (void)
{
  return g_object_new (CRIA_TYPE_FETCH_TOOL, NULL);
}

void
_cria_fetch_tool_set_limits (CriaFetchTool *self,
                             gsize          max_bytes,
                             guint          timeout_msec)
{
  g_return_if_fail (CRIA_IS_FETCH_TOOL (self));
  g_return_if_fail (max_bytes > 0 && timeout_msec > 0);

  self->max_bytes = max_bytes;
  self->timeout_msec = timeout_msec;
}

SoupSession *
_cria_fetch_tool_get_session (CriaFetchTool *self)
{
  g_return_val_if_fail (CRIA_IS_FETCH_TOOL (self), NULL);

  return self->session;
}

void
_cria_fetch_tool_set_allow_local (CriaFetchTool *self,
                                  gboolean       allow)
{
  g_return_if_fail (CRIA_IS_FETCH_TOOL (self));

  self->allow_local = allow;
}

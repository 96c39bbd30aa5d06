/* cria-api-error.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cria-api-error.h"
#include "cria-api-chunk-reader.h"
#include "cria-api-private.h"

/* The extended error domain lets every GError carry what a window needs to act
 * on it (the HTTP status, the server's own words, how long to wait) without
 * parsing the message text. */
typedef struct
{
  guint  http_status;
  char  *server_message;
  int    retry_after;
} CriaApiErrorPrivate;

static void
cria_api_error_private_init (CriaApiErrorPrivate *priv)
{
  priv->http_status = 0;
  priv->server_message = NULL;
  priv->retry_after = -1;
}

static void
cria_api_error_private_copy (const CriaApiErrorPrivate *src,
                             CriaApiErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->server_message = g_strdup (src->server_message);
  dest->retry_after = src->retry_after;
}

static void
cria_api_error_private_clear (CriaApiErrorPrivate *priv)
{
  g_clear_pointer (&priv->server_message, g_free);
}

G_DEFINE_EXTENDED_ERROR (CriaApiError, cria_api_error)

/**
 * cria_api_error_new:
 * @code: the error code
 * @http_status: the HTTP status of the reply, or 0
 * @server_message: the server's own error message, or %NULL
 * @retry_after_seconds: seconds to wait before retrying, or -1
 * @message: the human sentence the user reads
 *
 * Returns: (transfer full): a new error in %CRIA_API_ERROR
 */
GError *
cria_api_error_new (CriaApiError  code,
                    guint         http_status,
                    const char   *server_message,
                    int           retry_after_seconds,
                    const char   *message)
{
  GError *error;
  CriaApiErrorPrivate *priv;

  g_return_val_if_fail (message != NULL, NULL);

  error = g_error_new_literal (CRIA_API_ERROR, code, message);
  priv = cria_api_error_get_private (error);
  priv->http_status = http_status;
  priv->server_message = g_strdup (server_message);
  priv->retry_after = retry_after_seconds;

  return error;
}

guint
cria_api_error_get_http_status (const GError *error)
{
  CriaApiErrorPrivate *priv = cria_api_error_get_private (error);

  return priv != NULL ? priv->http_status : 0;
}

const char *
cria_api_error_get_server_message (const GError *error)
{
  CriaApiErrorPrivate *priv = cria_api_error_get_private (error);

  return priv != NULL ? priv->server_message : NULL;
}

int
cria_api_error_get_retry_after (const GError *error)
{
  CriaApiErrorPrivate *priv = cria_api_error_get_private (error);

  return priv != NULL ? priv->retry_after : -1;
}

/* Reading error replies. Each server dialect words its errors differently:
 *   OpenAI, OpenRouter, llama.cpp: {"error": {"message": …, "type": …, "code": …}}
 *   Ollama:                        {"error": "…"}
 *   vLLM:                          {"object": "error", "message": …, "type": …, "code": 400}
 *   FastAPI-based servers:         {"detail": "…"} or {"detail": [{"msg": …}]}
 * and proxies in front of them answer with HTML pages. */

typedef struct
{
  char *message;
  char *type;
  char *code;
  char *detail;
  int   numeric_code;
} ServerError;

static void
server_error_clear (ServerError *err)
{
  g_clear_pointer (&err->message, g_free);
  g_clear_pointer (&err->type, g_free);
  g_clear_pointer (&err->code, g_free);
  g_clear_pointer (&err->detail, g_free);
}

static const char *
object_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
read_code (JsonObject  *object,
           ServerError *err)
{
  JsonNode *node = json_object_get_member (object, "code");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    err->code = g_strdup (json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    err->numeric_code = (int) CLAMP (json_node_get_int (node), 0, 999);
}

static void
read_error_object (JsonObject  *object,
                   ServerError *err)
{
  JsonObject *inner = NULL;
  JsonNode *error_node = json_object_get_member (object, "error");
  JsonNode *detail = json_object_get_member (object, "detail");

  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    inner = json_node_get_object (error_node);

  if (inner != NULL)
    {
      JsonNode *metadata = json_object_get_member (inner, "metadata");

      err->message = g_strdup (object_string (inner, "message"));
      err->type = g_strdup (object_string (inner, "type"));
      read_code (inner, err);

      /* OpenRouter wraps the provider's own words in metadata.raw. */
      if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
        err->detail = g_strdup (object_string (json_node_get_object (metadata), "raw"));
    }
  else if (object_string (object, "error") != NULL)
    err->message = g_strdup (object_string (object, "error"));

  if (err->message == NULL)
    err->message = g_strdup (object_string (object, "message"));
  if (err->type == NULL)
    err->type = g_strdup (object_string (object, "type"));
  if (err->code == NULL && err->numeric_code == 0)
    read_code (object, err);

  if (err->message == NULL && detail != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (detail) && json_node_get_value_type (detail) == G_TYPE_STRING)
        err->message = g_strdup (json_node_get_string (detail));
      else if (JSON_NODE_HOLDS_ARRAY (detail) && json_array_get_length (json_node_get_array (detail)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (detail), 0);

          if (JSON_NODE_HOLDS_OBJECT (first))
            err->message = g_strdup (object_string (json_node_get_object (first), "msg"));
        }
    }
}

/* A server's message is shown to the user: keep it short, on one line, and
 * valid UTF-8. */
static char *
tidy_server_text (const char *text,
                  gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (text, (gssize) MIN (len, 4096));
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
      if (g_utf8_strlen (out->str, -1) >= 300)
        {
          g_string_append (out, "…");
          break;
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

static gboolean
looks_like_html (const char *body,
                 gsize       len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (body[i]))
    i++;

  return i < len && body[i] == '<';
}

static void
read_server_error (const char  *body,
                   gsize        len,
                   ServerError *err)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  g_autofree char *valid = NULL;

  if (body == NULL || len == 0 || len > G_MAXSSIZE)
    return;

  /* JSON-GLib refuses a body with one bad byte; repaired, the server's
   * message can still be read from it. */
  if (!g_utf8_validate (body, (gssize) len, NULL))
    {
      valid = g_utf8_make_valid (body, (gssize) len);
      body = valid;
      len = strlen (valid);
    }

  if (_cria_api_json_is_single_value (body, len) &&
      json_parser_load_from_data (parser, body, (gssize) len, NULL) &&
      (root = json_parser_get_root (parser)) != NULL)
    {
      if (JSON_NODE_HOLDS_OBJECT (root))
        read_error_object (json_node_get_object (root), err);
      return;
    }

  /* Not JSON. An HTML page (a proxy's 502) is never shown; short plain text is. */
  if (!looks_like_html (body, len) && len <= 1024)
    err->message = tidy_server_text (body, len);
}

/* The message to show: the server's, with the provider's own words after it
 * when a gateway passed them on. */
static char *
server_words (const ServerError *err)
{
  g_autofree char *joined = NULL;
  const char *text = err->message;

  if (err->detail != NULL && err->message != NULL && strstr (err->message, err->detail) == NULL)
    text = joined = g_strdup_printf ("%s: %s", err->message, err->detail);
  else if (text == NULL)
    text = err->detail;

  return text != NULL ? tidy_server_text (text, strlen (text)) : NULL;
}

static gboolean
contains_any (const char         *haystack,
              const char * const *needles)
{
  g_autofree char *lower = NULL;

  if (haystack == NULL)
    return FALSE;

  lower = g_utf8_strdown (haystack, -1);
  for (guint i = 0; needles[i] != NULL; i++)
    if (strstr (lower, needles[i]) != NULL)
      return TRUE;

  return FALSE;
}

static gboolean
says_context_exceeded (const ServerError *err)
{
  static const char * const phrases[] = {
    "context length", "context_length", "maximum context", "context window",
    "context size", "exceed_context", "too many tokens", "prompt is too long",
    "input is too long", "reduce the length", "maximum input length",
    "exceeds the model", "request too large", NULL
  };

  return contains_any (err->message, phrases) || contains_any (err->code, phrases) ||
         contains_any (err->type, phrases) || contains_any (err->detail, phrases);
}

static gboolean
says_out_of_credits (const ServerError *err)
{
  static const char * const phrases[] = {
    "insufficient_quota", "insufficient credit", "insufficient balance",
    "insufficient funds", "out of credits", "not enough credits", "payment required", NULL
  };

  return contains_any (err->code, phrases) || contains_any (err->type, phrases) ||
         contains_any (err->message, phrases);
}

static gboolean
says_model_not_found (const ServerError *err)
{
  static const char * const phrases[] = { "model_not_found", NULL };

  return contains_any (err->code, phrases) || contains_any (err->type, phrases);
}

/* Retry-After is either seconds or an HTTP date. */
static int
parse_retry_after (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *trimmed = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, 86400 * 7, &seconds, NULL))
    return (int) seconds;

  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  return (int) CLAMP (g_date_time_difference (when, now) / G_USEC_PER_SEC, 0, 86400 * 7);
}

static CriaApiError
classify (guint              status,
          const ServerError *err)
{
  if (says_out_of_credits (err) && (status == 402 || status == 400 || status == 403 || status == 429))
    return CRIA_API_ERROR_INSUFFICIENT_CREDITS;

  switch (status)
    {
    case 401:
    case 403:
      return CRIA_API_ERROR_UNAUTHORIZED;
    case 402:
      return CRIA_API_ERROR_INSUFFICIENT_CREDITS;
    case 404:
      return CRIA_API_ERROR_MODEL_NOT_FOUND;
    case 413:
      return CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED;
    case 429:
      return CRIA_API_ERROR_RATE_LIMITED;
    case 500:
    case 502:
    case 503:
    case 504:
      return CRIA_API_ERROR_SERVER_UNAVAILABLE;
    default:
      break;
    }

  if (status >= 400 && status < 500)
    {
      if (says_context_exceeded (err))
        return CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED;
      if (says_model_not_found (err))
        return CRIA_API_ERROR_MODEL_NOT_FOUND;
      return CRIA_API_ERROR_BAD_REQUEST;
    }

  if (status >= 500)
    return CRIA_API_ERROR_SERVER_UNAVAILABLE;

  return CRIA_API_ERROR_FAILED;
}

static const char *
describe (CriaApiError code)
{
  switch (code)
    {
    case CRIA_API_ERROR_UNAUTHORIZED:
      return _("The API key was not accepted. Check the key in Preferences.");
    case CRIA_API_ERROR_INSUFFICIENT_CREDITS:
      return _("The account is out of credits. Top up to keep chatting.");
    case CRIA_API_ERROR_MODEL_NOT_FOUND:
      return _("The server does not know this model. Pick another model.");
    case CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED:
      return _("The conversation is too long for this model’s context window.");
    case CRIA_API_ERROR_RATE_LIMITED:
      return _("Too many requests. Wait a moment before trying again.");
    case CRIA_API_ERROR_SERVER_UNAVAILABLE:
      return _("The server is unavailable right now. Try again in a moment.");
    case CRIA_API_ERROR_BAD_REQUEST:
      return _("The server rejected the request.");
    case CRIA_API_ERROR_STREAM_ERROR:
      return _("The server reported an error in the middle of the answer.");
    default:
      return _("The server answered with an error.");
    }
}

static GError *
build_error (CriaApiError  code,
             guint         status,
             const char   *reason_phrase,
             const char   *server_message,
             int           retry_after)
{
  g_autofree char *message = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *reason = NULL;

  /* The reason phrase is raw bytes from the network: tidied like the
   * server's own words before it joins a message. */
  if (reason_phrase != NULL)
    reason = tidy_server_text (reason_phrase, strlen (reason_phrase));

  if (status != 0)
    status_text = reason != NULL
                  ? g_strdup_printf ("HTTP %u %s", status, reason)
                  : g_strdup_printf ("HTTP %u", status);

  if (server_message != NULL)
    /* Translators: the first %s is a sentence saying what went wrong, the second the server's own words */
    message = g_strdup_printf (_("%s The server said: “%s”"), describe (code), server_message);
  else if (status_text != NULL)
    /* Translators: the first %s is a sentence saying what went wrong, the second an HTTP status such as "HTTP 502 Bad Gateway" */
    message = g_strdup_printf (_("%s (%s)"), describe (code), status_text);
  else
    message = g_strdup (describe (code));

  return cria_api_error_new (code, status, server_message, retry_after, message);
}

GError *
_cria_api_error_from_response (guint       status,
                               const char *reason_phrase,
                               const char *body,
                               gsize       len,
                               const char *retry_after)
{
  ServerError err = { 0, };
  g_autofree char *server_message = NULL;
  CriaApiError code;
  GError *error;

  read_server_error (body, len, &err);
  server_message = server_words (&err);

  code = classify (status, &err);
  /* Retry-After means something only on 429 and 503 (RFC 9110), and waiting
   * does not refill an empty account. */
  error = build_error (code, status, reason_phrase, server_message,
                       (status == 429 || status == 503) &&
                       (code == CRIA_API_ERROR_RATE_LIMITED || code == CRIA_API_ERROR_SERVER_UNAVAILABLE)
                       ? parse_retry_after (retry_after) : -1);

  server_error_clear (&err);

  return error;
}

GError *
_cria_api_error_from_stream_event (const char *data,
                                   gsize       len)
{
  ServerError err = { 0, };
  g_autofree char *server_message = NULL;
  CriaApiError code = CRIA_API_ERROR_STREAM_ERROR;
  GError *error;

  read_server_error (data, len, &err);
  server_message = server_words (&err);

  /* Some servers put an HTTP status in the error's code; a rate limit or an
   * overloaded server mid-stream is worth telling apart. */
  if (err.numeric_code >= 400 && err.numeric_code < 600)
    code = classify ((guint) err.numeric_code, &err);
  else if (says_context_exceeded (&err))
    code = CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED;
  else if (says_out_of_credits (&err))
    code = CRIA_API_ERROR_INSUFFICIENT_CREDITS;

  error = build_error (code, 0, NULL, server_message, -1);
  server_error_clear (&err);

  return error;
}

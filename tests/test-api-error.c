/* test-api-error.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cria-api-error.h"
#include "cria-api-private.h"

/* Each fixture under data/errors/ is an error body as a real server of one
 * dialect sends it; the user must get the right kind of error, the server's
 * own words (and nothing else), and never a page of markup. */

typedef struct
{
  const char  *fixture;
  guint        status;
  const char  *reason_phrase;
  int          code;
  /* NULL when no server message may be extracted. */
  const char  *server_message;
} ErrorCase;

static const ErrorCase cases[] = {
  { "openai-401-invalid-key.json", 401, "Unauthorized", CRIA_API_ERROR_UNAUTHORIZED,
    "Incorrect API key provided: llg_sk_***abcd. You can find your API key at "
    "https://llamagate.dev/account/api-keys." },
  { "openrouter-402-credits.json", 402, "Payment Required", CRIA_API_ERROR_INSUFFICIENT_CREDITS,
    "Insufficient credits. Add more using https://openrouter.ai/credits" },
  { "ollama-404-model.json", 404, "Not Found", CRIA_API_ERROR_MODEL_NOT_FOUND,
    "model \"qwen9\" not found, try pulling it first" },
  { "vllm-400-context.json", 400, "Bad Request", CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED,
    "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens "
    "(39000 in the messages, 1000 in the completion). Please reduce the length of the messages "
    "or completion." },
  { "llamacpp-400-context.json", 400, "Bad Request", CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED,
    "the request exceeds the available context size, try increasing it" },
  { "openai-429-rate-limit.json", 429, "Too Many Requests", CRIA_API_ERROR_RATE_LIMITED,
    "Rate limit reached for llama-3.1-8b in organization org-x1y2z3 on requests per min (RPM): "
    "Limit 60, Used 60, Requested 1. Please try again in 1s." },
  { "openai-429-quota.json", 429, "Too Many Requests", CRIA_API_ERROR_INSUFFICIENT_CREDITS,
    "You exceeded your current quota, please check your plan and billing details." },
  { "deepseek-402-balance.json", 402, "Payment Required", CRIA_API_ERROR_INSUFFICIENT_CREDITS,
    "Insufficient Balance" },
  { "fastapi-422-validation.json", 422, "Unprocessable Entity", CRIA_API_ERROR_BAD_REQUEST,
    "field required" },
  { "openai-500.json", 500, "Internal Server Error", CRIA_API_ERROR_SERVER_UNAVAILABLE,
    "Internal server error" },
  { "html-502.html", 502, "Bad Gateway", CRIA_API_ERROR_SERVER_UNAVAILABLE, NULL },
  { "envoy-503.txt", 503, "Service Unavailable", CRIA_API_ERROR_SERVER_UNAVAILABLE,
    "upstream connect error or disconnect/reset before headers. reset reason: connection failure" },
  { "anthropic-529-overloaded.json", 529, NULL, CRIA_API_ERROR_SERVER_UNAVAILABLE, "Overloaded" },
  { "unknown-shape.json", 400, "Bad Request", CRIA_API_ERROR_BAD_REQUEST, NULL },
  { "unknown-shape.json", 418, NULL, CRIA_API_ERROR_BAD_REQUEST, NULL },
};

static char *
load_fixture (const char *name,
              gsize      *len)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "errors", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);

  return contents;
}

static void
assert_mentions_status (const GError *error,
                        guint         status)
{
  g_autofree char *number = g_strdup_printf ("%u", status);

  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, number));
}

static void
test_dialects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const ErrorCase *c = &cases[i];
      g_autofree char *body = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      g_test_message ("%s (HTTP %u)", c->fixture, c->status);
      body = load_fixture (c->fixture, &len);
      error = _cria_api_error_from_response (c->status, c->reason_phrase, body, len, NULL);

      g_assert_nonnull (error);
      g_assert_error (error, CRIA_API_ERROR, c->code);
      g_assert_cmpuint (cria_api_error_get_http_status (error), ==, c->status);
      g_assert_cmpstr (cria_api_error_get_server_message (error), ==, c->server_message);
      g_assert_cmpint (cria_api_error_get_retry_after (error), ==, -1);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));

      if (c->server_message != NULL)
        {
          g_test_message ("%s", error->message);
          g_assert_nonnull (strstr (error->message, c->server_message));
        }
      else
        assert_mentions_status (error, c->status);

      /* No JSON syntax leaks to the user. */
      g_assert_null (strstr (error->message, "{\""));
      g_assert_null (strchr (error->message, '<'));
    }
}

static void
test_html_page (void)
{
  g_autofree char *body = NULL;
  gsize len = 0;
  const char *reasons[] = { "Bad Gateway", NULL, "" };

  body = load_fixture ("html-502.html", &len);

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autoptr(GError) error = _cria_api_error_from_response (502, reasons[i], body, len, NULL);

      g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
      g_assert_null (cria_api_error_get_server_message (error));
      g_assert_null (strchr (error->message, '<'));
      g_assert_null (strstr (error->message, "nginx"));
      g_assert_null (strstr (error->message, "padding"));
      assert_mentions_status (error, 502);
    }

  /* A Cloudflare page starts with a doctype and white space. */
  {
    static const char cloudflare[] =
      "\n\n<!DOCTYPE html>\n<!--[if lt IE 7]> <html class=\"no-js ie6 oldie\" lang=\"en-US\"> <![endif]-->\n"
      "<head>\n<title>api.llamagate.dev | 502: Bad gateway</title>\n</head>\n<body>\n"
      "<h1><span class=\"inline-block\">Bad gateway</span> <span class=\"code-label\">Error code 502</span></h1>\n"
      "</body>\n</html>\n";
    g_autoptr(GError) error = _cria_api_error_from_response (502, "Bad Gateway", cloudflare,
                                                             strlen (cloudflare), NULL);

    g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
    g_assert_null (cria_api_error_get_server_message (error));
    g_assert_null (strchr (error->message, '<'));
    assert_mentions_status (error, 502);
  }
}

static void
test_empty_body (void)
{
  static const struct {
    guint        status;
    int          code;
  } empty[] = {
    { 413, CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED },
    { 401, CRIA_API_ERROR_UNAUTHORIZED },
    { 403, CRIA_API_ERROR_UNAUTHORIZED },
    { 404, CRIA_API_ERROR_MODEL_NOT_FOUND },
    { 429, CRIA_API_ERROR_RATE_LIMITED },
    { 504, CRIA_API_ERROR_SERVER_UNAVAILABLE },
    { 409, CRIA_API_ERROR_BAD_REQUEST },
  };

  for (guint i = 0; i < G_N_ELEMENTS (empty); i++)
    {
      g_autoptr(GError) with_len = _cria_api_error_from_response (empty[i].status, NULL, "", 0, NULL);
      g_autoptr(GError) with_null = _cria_api_error_from_response (empty[i].status, NULL, NULL, 0, NULL);
      g_autoptr(GError) blank = _cria_api_error_from_response (empty[i].status, NULL, " \r\n\t ", 5, NULL);

      g_assert_error (with_len, CRIA_API_ERROR, empty[i].code);
      g_assert_error (with_null, CRIA_API_ERROR, empty[i].code);
      g_assert_error (blank, CRIA_API_ERROR, empty[i].code);
      g_assert_null (cria_api_error_get_server_message (with_len));
      g_assert_null (cria_api_error_get_server_message (blank));
      g_assert_cmpuint (cria_api_error_get_http_status (with_len), ==, empty[i].status);
      assert_mentions_status (with_len, empty[i].status);
      assert_mentions_status (blank, empty[i].status);
    }
}

static void
test_codes_from_messages (void)
{
  /* The status alone does not tell these apart; the body does. */
  static const struct {
    guint        status;
    const char  *body;
    int          code;
  } bodies[] = {
    { 400, "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens, however you "
           "requested 9000 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
           "\"code\":\"context_length_exceeded\"}}", CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED },
    { 400, "{\"error\":{\"message\":\"The model `gpt-9` does not exist\",\"type\":\"invalid_request_error\","
           "\"param\":null,\"code\":\"model_not_found\"}}", CRIA_API_ERROR_MODEL_NOT_FOUND },
    { 400, "{\"error\":{\"message\":\"temperature must be between 0 and 2\","
           "\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":null}}",
      CRIA_API_ERROR_BAD_REQUEST },
    { 403, "{\"error\":{\"message\":\"Insufficient credits\",\"code\":403}}",
      CRIA_API_ERROR_INSUFFICIENT_CREDITS },
    { 403, "{\"error\":{\"message\":\"This key is disabled\",\"code\":403}}",
      CRIA_API_ERROR_UNAUTHORIZED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = _cria_api_error_from_response (bodies[i].status, NULL, bodies[i].body,
                                                               strlen (bodies[i].body), NULL);

      g_test_message ("%s", bodies[i].body);
      g_assert_error (error, CRIA_API_ERROR, bodies[i].code);
    }
}

static char *
http_date_from_now (int seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add_seconds (now, seconds);

  return soup_date_time_to_string (when, SOUP_DATE_HTTP);
}

static int
retry_after_for (guint       status,
                 const char *header)
{
  static const char body[] = "{\"error\":{\"message\":\"Slow down\",\"type\":\"requests\"}}";
  g_autoptr(GError) error = _cria_api_error_from_response (status, NULL, body, strlen (body), header);

  return cria_api_error_get_retry_after (error);
}

static void
test_retry_after (void)
{
  g_autofree char *in_30s = http_date_from_now (30);
  g_autofree char *past = http_date_from_now (-3600);
  int seconds;

  g_assert_cmpint (retry_after_for (429, "7"), ==, 7);
  g_assert_cmpint (retry_after_for (429, " 7 "), ==, 7);
  g_assert_cmpint (retry_after_for (503, "120"), ==, 120);
  g_assert_cmpint (retry_after_for (429, "0"), ==, 0);
  g_assert_cmpint (retry_after_for (429, NULL), ==, -1);

  g_test_message ("Retry-After: %s", in_30s);
  seconds = retry_after_for (429, in_30s);
  g_assert_cmpint (seconds, >=, 25);
  g_assert_cmpint (seconds, <=, 31);
  seconds = retry_after_for (503, in_30s);
  g_assert_cmpint (seconds, >=, 25);
  g_assert_cmpint (seconds, <=, 31);

  /* A date already past means "now", never a negative wait. */
  g_assert_cmpint (retry_after_for (429, past), ==, 0);

  g_assert_cmpint (retry_after_for (429, "soon"), ==, -1);
  g_assert_cmpint (retry_after_for (429, "-5"), ==, -1);
  g_assert_cmpint (retry_after_for (429, "1.5"), ==, -1);
  g_assert_cmpint (retry_after_for (429, ""), ==, -1);
  g_assert_cmpint (retry_after_for (429, "7 seconds"), ==, -1);
}

static void
test_retry_after_only_when_meaningful (void)
{
  static const char quota[] = "{\"error\":{\"message\":\"You exceeded your current quota\","
                              "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}";
  g_autoptr(GError) error = NULL;

  /* Waiting does not fix a bad key, a bad request or an empty account. */
  g_assert_cmpint (retry_after_for (401, "7"), ==, -1);
  g_assert_cmpint (retry_after_for (400, "7"), ==, -1);
  g_assert_cmpint (retry_after_for (404, "7"), ==, -1);
  g_assert_cmpint (retry_after_for (402, "7"), ==, -1);

  error = _cria_api_error_from_response (429, NULL, quota, strlen (quota), "7");
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_INSUFFICIENT_CREDITS);
  g_assert_cmpint (cria_api_error_get_retry_after (error), ==, -1);
}

static void
test_retry_after_only_429_503 (void)
{
  /* Retry-After is defined for 429 and 503 only (RFC 6585, RFC 9110 §10.2.3);
   * on other 5xx a header a proxy passed along must not start a countdown. */
  g_assert_cmpint (retry_after_for (500, "7"), ==, -1);
  g_assert_cmpint (retry_after_for (502, "7"), ==, -1);
  g_assert_cmpint (retry_after_for (504, "7"), ==, -1);
}

static void
test_stream_openrouter (void)
{
  static const char event[] =
    "{\"id\":\"gen-1745000000-AbCdEfGhIjKlMnOp\",\"object\":\"chat.completion.chunk\","
    "\"created\":1745000000,\"model\":\"meta-llama/llama-3.1-8b-instruct\","
    "\"provider\":\"DeepInfra\","
    "\"error\":{\"code\":502,\"message\":\"Provider returned error\"},"
    "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}";
  g_autoptr(GError) error = _cria_api_error_from_stream_event (event, strlen (event));

  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "Provider returned error");
  g_assert_nonnull (strstr (error->message, "Provider returned error"));
}

static void
test_stream_vllm (void)
{
  static const char server_error[] =
    "{\"object\":\"error\",\"message\":\"CUDA out of memory. Tried to allocate 2.00 GiB\","
    "\"type\":\"InternalServerError\",\"param\":null,\"code\":500}";
  static const char context_error[] =
    "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens. "
    "However, you requested 4200 tokens.\",\"type\":\"BadRequestError\",\"param\":null,\"code\":400}";
  g_autoptr(GError) error1 = _cria_api_error_from_stream_event (server_error, strlen (server_error));
  g_autoptr(GError) error2 = _cria_api_error_from_stream_event (context_error, strlen (context_error));

  g_assert_error (error1, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpstr (cria_api_error_get_server_message (error1), ==,
                   "CUDA out of memory. Tried to allocate 2.00 GiB");
  g_assert_nonnull (strstr (error1->message, "CUDA out of memory"));

  g_assert_error (error2, CRIA_API_ERROR, CRIA_API_ERROR_CONTEXT_LENGTH_EXCEEDED);
  g_assert_cmpstr (cria_api_error_get_server_message (error2), ==,
                   "This model's maximum context length is 4096 tokens. However, you requested 4200 tokens.");
}

static void
test_stream_ollama (void)
{
  static const char event[] = "{\"error\":\"something went wrong\"}";
  g_autoptr(GError) error = _cria_api_error_from_stream_event (event, strlen (event));

  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "something went wrong");
  g_assert_nonnull (strstr (error->message, "something went wrong"));
}

static void
test_stream_text (void)
{
  static const char text[] = "Internal Server Error: worker crashed\n";
  static const char html[] = "<html><body><h1>500</h1></body></html>";
  g_autoptr(GError) error = _cria_api_error_from_stream_event (text, strlen (text));
  g_autoptr(GError) html_error = _cria_api_error_from_stream_event (html, strlen (html));
  g_autoptr(GError) empty_error = _cria_api_error_from_stream_event ("", 0);

  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  g_assert_cmpstr (cria_api_error_get_server_message (error), ==, "Internal Server Error: worker crashed");
  g_assert_nonnull (strstr (error->message, "worker crashed"));

  g_assert_error (html_error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  g_assert_null (cria_api_error_get_server_message (html_error));
  g_assert_null (strchr (html_error->message, '<'));

  g_assert_error (empty_error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  g_assert_null (cria_api_error_get_server_message (empty_error));
  g_assert_cmpstr (empty_error->message, !=, "");
}

static void
assert_tidy (const GError *error)
{
  const char *server = cria_api_error_get_server_message (error);

  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (server);
  g_assert_true (g_utf8_validate (server, -1, NULL));
  g_assert_cmpint (g_utf8_strlen (server, -1), <=, 320);
  g_assert_cmpint (g_utf8_strlen (error->message, -1), <=, 320 + 200);
  /* One line: a toast or a banner cannot show a paragraph break. */
  g_assert_null (strchr (server, '\n'));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_long_message (void)
{
  g_autoptr(GString) message = g_string_new (NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) stream_error = NULL;

  /* 10 KB of multi-byte text, so that cutting it could split a character. */
  while (message->len < 10 * 1024)
    g_string_append (message, "Fehler bei der Verarbeitung \xe2\x80\x94 \xc3\xbc\xc3\xb6\xc3\xa4\n");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message->str);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  error = _cria_api_error_from_response (400, NULL, body, strlen (body), NULL);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_BAD_REQUEST);
  assert_tidy (error);
  g_assert_true (g_str_has_prefix (cria_api_error_get_server_message (error),
                                   "Fehler bei der Verarbeitung \xe2\x80\x94 \xc3\xbc\xc3\xb6\xc3\xa4 Fehler"));

  stream_error = _cria_api_error_from_stream_event (body, strlen (body));
  g_assert_error (stream_error, CRIA_API_ERROR, CRIA_API_ERROR_STREAM_ERROR);
  assert_tidy (stream_error);
}

static void
test_invalid_utf8_text (void)
{
  static const char text_body[] = "Upstream said \xc3\x28 and \xe2\x82 then stopped";
  g_autoptr(GError) error = NULL;

  error = _cria_api_error_from_response (503, NULL, text_body, strlen (text_body), NULL);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  assert_tidy (error);
  g_assert_true (g_str_has_prefix (cria_api_error_get_server_message (error), "Upstream said "));
  g_assert_true (g_str_has_suffix (cria_api_error_get_server_message (error), " then stopped"));
}

static void
test_invalid_utf8_json (void)
{
  static const char json_body[] = "{\"error\":{\"message\":\"Bad byte \xff\xfe here\",\"type\":\"server_error\"}}";
  g_autoptr(GError) error = NULL;
  const char *server;

  error = _cria_api_error_from_response (500, NULL, json_body, strlen (json_body), NULL);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  assert_tidy (error);
  server = cria_api_error_get_server_message (error);
  g_test_message ("server message: %s", server);
  /* One bad byte must not turn the whole body into the message: the text is
   * still read out of the JSON, not shown as raw JSON. */
  g_assert_true (g_str_has_prefix (server, "Bad byte "));
  g_assert_true (g_str_has_suffix (server, " here"));
  g_assert_null (strchr (server, '{'));
}

static void
test_large_text_body (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  /* A long plain-text body is most likely a stack trace: not for the user. */
  while (body->len < 10 * 1024)
    g_string_append (body, "Traceback (most recent call last): File \"/app/server.py\", line 42\n");

  error = _cria_api_error_from_response (500, "Internal Server Error", body->str, body->len, NULL);
  g_assert_error (error, CRIA_API_ERROR, CRIA_API_ERROR_SERVER_UNAVAILABLE);
  g_assert_cmpint (g_utf8_strlen (error->message, -1), <=, 320 + 200);
  g_assert_null (strstr (error->message, "Traceback"));
  assert_mentions_status (error, 500);
}

static void
test_error_copy_keeps_data (void)
{
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  gsize len = 0;

  /* Errors are copied on their way through GTask; the extended data must follow. */
  body = load_fixture ("openai-429-rate-limit.json", &len);
  error = _cria_api_error_from_response (429, NULL, body, len, "7");
  copy = g_error_copy (error);

  g_assert_error (copy, CRIA_API_ERROR, CRIA_API_ERROR_RATE_LIMITED);
  g_assert_cmpuint (cria_api_error_get_http_status (copy), ==, 429);
  g_assert_cmpint (cria_api_error_get_retry_after (copy), ==, 7);
  g_assert_cmpstr (cria_api_error_get_server_message (copy), ==,
                   cria_api_error_get_server_message (error));
  g_assert_nonnull (cria_api_error_get_server_message (copy));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/api-error/dialects", test_dialects);
  g_test_add_func ("/api-error/html-page", test_html_page);
  g_test_add_func ("/api-error/empty-body", test_empty_body);
  g_test_add_func ("/api-error/codes-from-messages", test_codes_from_messages);
  g_test_add_func ("/api-error/retry-after", test_retry_after);
  g_test_add_func ("/api-error/retry-after-only-when-meaningful", test_retry_after_only_when_meaningful);
  g_test_add_func ("/api-error/stream-openrouter", test_stream_openrouter);
  g_test_add_func ("/api-error/stream-vllm", test_stream_vllm);
  g_test_add_func ("/api-error/stream-ollama", test_stream_ollama);
  g_test_add_func ("/api-error/stream-text", test_stream_text);
  g_test_add_func ("/api-error/long-message", test_long_message);
  g_test_add_func ("/api-error/invalid-utf8-text", test_invalid_utf8_text);
  g_test_add_func ("/api-error/large-text-body", test_large_text_body);
  g_test_add_func ("/api-error/error-copy-keeps-data", test_error_copy_keeps_data);
  g_test_add_func ("/api-error/retry-after-only-429-503", test_retry_after_only_429_503);
  g_test_add_func ("/api-error/invalid-utf8-json", test_invalid_utf8_json);

  return g_test_run ();
}

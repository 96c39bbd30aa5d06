/* test-fake-server.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cria-fake-server.h"

/* The client tests trust the fake server to split, delay and break streams
 * exactly as asked; these tests check that with a plain SoupSession reading
 * the way Cria's client does (g_input_stream_read_async). */

#define TEST_KEY "sk-fake-test-key-0123456789"

typedef struct
{
  CriaFakeServer *server;
  SoupSession    *session;
} Fixture;

/* Everything one exchange gave the client. */
typedef struct
{
  GMainLoop    *loop;
  SoupMessage  *msg;
  GInputStream *stream;
  GCancellable *cancellable;
  GByteArray   *data;
  /* The size and arrival time (µs) of each successful read. */
  GArray       *read_sizes;
  GArray       *read_times;
  gint64        start_time;
  gint64        headers_time;
  GError       *error;
  gboolean      done;
  /* Cancels the read this long after this many bytes have arrived. */
  gsize         cancel_after_bytes;
  guint         cancel_delay;
  guint         cancel_id;
  guint         timeout_id;
  guint8        buffer[4096];
} Exchange;

/* No proxy: the system's resolver has nothing to say about loopback and
 * would only start threads. */
static SoupSession *
make_session (void)
{
  return soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

/* Soup drops its last references to a session from idles. */
static void
drain_main_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  user_data)
{
  fixture->server = cria_fake_server_new ();
  fixture->session = make_session ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  user_data)
{
  drain_main_context ();
  g_assert_finalize_object (fixture->session);
  g_assert_finalize_object (fixture->server);
}

static char *
make_url (CriaFakeServer *server,
          const char     *path)
{
  g_assert (g_str_has_prefix (path, "/v1/"));

  return g_strconcat (cria_fake_server_get_base_url (server), path + strlen ("/v1"), NULL);
}

static SoupMessage *
make_message (CriaFakeServer *server,
              const char     *method,
              const char     *path)
{
  g_autofree char *url = make_url (server, path);

  return soup_message_new (method, url);
}

static void
exchange_clear (Exchange *ex)
{
  g_clear_handle_id (&ex->cancel_id, g_source_remove);
  g_clear_handle_id (&ex->timeout_id, g_source_remove);
  g_clear_pointer (&ex->loop, g_main_loop_unref);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->stream);
  g_clear_object (&ex->cancellable);
  g_clear_pointer (&ex->data, g_byte_array_unref);
  g_clear_pointer (&ex->read_sizes, g_array_unref);
  g_clear_pointer (&ex->read_times, g_array_unref);
  g_clear_error (&ex->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Exchange, exchange_clear)

static gboolean
exchange_cancel_cb (gpointer user_data)
{
  Exchange *ex = user_data;

  ex->cancel_id = 0;
  g_cancellable_cancel (ex->cancellable);

  return G_SOURCE_REMOVE;
}

static gboolean
exchange_timeout_cb (gpointer user_data)
{
  g_error ("The exchange took more than 60 s");

  return G_SOURCE_REMOVE;
}

static void read_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data);

static void
exchange_read (Exchange *ex)
{
  if (ex->cancel_delay > 0 && ex->cancel_id == 0 &&
      ex->data->len >= ex->cancel_after_bytes &&
      !g_cancellable_is_cancelled (ex->cancellable))
    ex->cancel_id = g_timeout_add (ex->cancel_delay, exchange_cancel_cb, ex);

  g_input_stream_read_async (ex->stream, ex->buffer, sizeof ex->buffer, G_PRIORITY_DEFAULT,
                             ex->cancellable, read_cb, ex);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *ex = user_data;
  gssize n;
  gint64 now;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &ex->error);
  if (n <= 0)
    {
      ex->done = TRUE;
      g_main_loop_quit (ex->loop);
      return;
    }

  now = g_get_monotonic_time ();
  g_byte_array_append (ex->data, ex->buffer, n);
  g_array_append_val (ex->read_sizes, n);
  g_array_append_val (ex->read_times, now);

  exchange_read (ex);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *ex = user_data;

  ex->stream = soup_session_send_finish (SOUP_SESSION (object), result, &ex->error);
  ex->headers_time = g_get_monotonic_time ();
  if (ex->stream == NULL)
    {
      ex->done = TRUE;
      g_main_loop_quit (ex->loop);
      return;
    }

  exchange_read (ex);
}

static void
exchange_init (Exchange    *ex,
               SoupMessage *msg)
{
  memset (ex, 0, sizeof *ex);
  ex->loop = g_main_loop_new (NULL, FALSE);
  ex->msg = msg;
  ex->cancellable = g_cancellable_new ();
  ex->data = g_byte_array_new ();
  ex->read_sizes = g_array_new (FALSE, FALSE, sizeof (gssize));
  ex->read_times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* Sends the message and reads its body to the end, an error or a cancel. */
static void
exchange_run (Exchange    *ex,
              SoupSession *session)
{
  ex->start_time = g_get_monotonic_time ();
  /* Only a guard against hanging forever: a loaded machine can stall for
   * seconds. */
  ex->timeout_id = g_timeout_add_seconds (60, exchange_timeout_cb, ex);
  soup_session_send_async (session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           send_cb, ex);
  g_main_loop_run (ex->loop);
  g_clear_handle_id (&ex->timeout_id, g_source_remove);

  if (ex->error != NULL)
    g_test_message ("%u bytes, then %s (%s %d)", ex->data->len, ex->error->message,
                    g_quark_to_string (ex->error->domain), ex->error->code);
}

static void
exchange_assert_body (Exchange   *ex,
                      const char *expected)
{
  g_assert_cmpmem (ex->data->data, ex->data->len, expected, strlen (expected));
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_REMOVE;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;

  return G_SOURCE_REMOVE;
}

/* Waits, at most 30 s, for the server to count @n client disconnects. */
static void
wait_for_disconnects (CriaFakeServer *server,
                      guint           n)
{
  gboolean timed_out = FALSE;
  guint timeout;

  timeout = g_timeout_add_seconds (30, set_flag_cb, &timed_out);
  while (cria_fake_server_get_n_client_disconnects (server) < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);

  g_assert_cmpuint (cria_fake_server_get_n_client_disconnects (server), ==, n);
}

/* Lets the main loop run for @msec, so late events have a chance to show. */
static void
spin (guint msec)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  g_timeout_add (msec, quit_loop_cb, loop);
  g_main_loop_run (loop);
}

static void
test_plain_body (Fixture       *fixture,
                 gconstpointer  user_data)
{
  static const char body[] = "{\"object\":\"list\",\"data\":[]}";
  g_auto(Exchange) ex = { 0 };
  SoupMessageHeaders *headers;
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", body, -1);

  exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
  exchange_run (&ex, fixture->session);

  g_assert_no_error (ex.error);
  g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
  headers = soup_message_get_response_headers (ex.msg);
  g_assert_cmpint (soup_message_headers_get_encoding (headers), ==, SOUP_ENCODING_CONTENT_LENGTH);
  g_assert_cmpint (soup_message_headers_get_content_length (headers), ==, strlen (body));
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  exchange_assert_body (&ex, body);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  /* The one script for the path is used up by the first request. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{}", -1);

  for (guint i = 0; i < 2; i++)
    {
      exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
      exchange_run (&ex, fixture->session);
      g_assert_no_error (ex.error);
      g_assert_cmpuint (soup_message_get_status (ex.msg), ==, i == 0 ? 200 : 404);
      if (i == 1)
        exchange_assert_body (&ex, "{\"error\":{\"message\":\"Not found\","
                                   "\"type\":\"invalid_request_error\","
                                   "\"code\":\"not_found\"}}");
      exchange_clear (&ex);
    }
}

static void
test_chunk_size_one (Fixture       *fixture,
                     gconstpointer  user_data)
{
  static const char body[] = "data: {\"choices\":[{\"delta\":{\"content\":\"é\"}}]}\n\n";
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;
  gsize len = strlen (body);
  gsize n_single = 0;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", body, len);
  cria_fake_response_set_chunk_size (response, 1);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  g_assert_no_error (ex.error);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_response_headers (ex.msg)),
                   ==, SOUP_ENCODING_CHUNKED);
  exchange_assert_body (&ex, body);

  for (guint i = 0; i < ex.read_sizes->len; i++)
    if (g_array_index (ex.read_sizes, gssize, i) == 1)
      n_single++;

  g_test_message ("%u reads, %" G_GSIZE_FORMAT " of one byte, for %" G_GSIZE_FORMAT " bytes",
                  ex.read_sizes->len, n_single, len);
  /* Each byte is a chunk of its own, and libsoup's chunked reader never
   * returns more than one chunk per read: every read gets exactly one byte. */
  g_assert_cmpuint (ex.read_sizes->len, ==, len);
  g_assert_cmpuint (n_single, ==, len);
}

static void
test_pieces (Fixture       *fixture,
             gconstpointer  user_data)
{
  static const char *const events[] = {
    "data: {\"a\":1}\n\n",
    "data: {\"b\":2}\n\n",
    "data: [DONE]\n\n",
  };
  g_auto(Exchange) ex = { 0 };
  g_autoptr(GString) expected = g_string_new (NULL);
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      cria_fake_response_append_piece (response, events[i], -1);
      g_string_append (expected, events[i]);
    }

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, expected->str);
  g_assert_cmpuint (ex.read_sizes->len, ==, G_N_ELEMENTS (events));
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_assert_cmpint (g_array_index (ex.read_sizes, gssize, i), ==, strlen (events[i]));
}

/* Runs the main loop until @done is true, at most 30 s. */
static void
iterate_until (gboolean (*done) (Exchange *ex),
               Exchange  *ex)
{
  gboolean timed_out = FALSE;
  guint timeout;

  timeout = g_timeout_add_seconds (30, set_flag_cb, &timed_out);
  while (!done (ex) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  g_assert_true (done (ex));
}

static gboolean
two_pieces_read (Exchange *ex)
{
  return ex->read_sizes->len >= 2 || ex->done;
}

static gboolean
headers_read (Exchange *ex)
{
  return ex->stream != NULL || ex->done;
}

static void
hold_prepare (Fixture  *fixture,
              Exchange *ex,
              GString  *expected)
{
  static const char *const events[] = {
    "data: {\"a\":1}\n\n",
    "data: {\"b\":2}\n\n",
    "data: [DONE]\n\n",
  };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "", 0);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    {
      cria_fake_response_append_piece (response, events[i], -1);
      g_string_append (expected, events[i]);
    }
  cria_fake_response_set_hold (response, 2);

  exchange_init (ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  ex->start_time = g_get_monotonic_time ();
  ex->timeout_id = g_timeout_add_seconds (60, exchange_timeout_cb, ex);
  soup_session_send_async (fixture->session, ex->msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           send_cb, ex);
}

/* A hold point stops the body after N pieces for as long as the test
 * wants, and cria_fake_server_release() lets the rest go. */
static void
test_hold (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  g_autoptr(GString) expected = g_string_new (NULL);

  hold_prepare (fixture, &ex, expected);
  iterate_until (two_pieces_read, &ex);
  g_assert_no_error (ex.error);
  g_assert_false (ex.done);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 1);

  /* Held: nothing more comes however long the client waits. */
  spin (300);
  g_assert_false (ex.done);
  g_assert_cmpuint (ex.read_sizes->len, ==, 2);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 1);

  g_assert_cmpuint (cria_fake_server_release (fixture->server), ==, 1);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 0);
  g_main_loop_run (ex.loop);
  g_clear_handle_id (&ex.timeout_id, g_source_remove);

  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, expected->str);
  g_assert_cmpuint (ex.read_sizes->len, ==, 3);
  g_assert_cmpuint (cria_fake_server_release (fixture->server), ==, 0);
}

/* Released before it gets to its hold point, a response goes past it. */
static void
test_hold_released_early (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  g_autoptr(GString) expected = g_string_new (NULL);

  hold_prepare (fixture, &ex, expected);
  iterate_until (headers_read, &ex);
  g_assert_nonnull (ex.stream);
  g_assert_cmpuint (cria_fake_server_release (fixture->server), ==, 0);
  if (!ex.done)
    g_main_loop_run (ex.loop);
  g_clear_handle_id (&ex.timeout_id, g_source_remove);

  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, expected->str);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 0);
}

/* A client that goes away while held is noticed, as in a stall. */
static void
test_hold_client_leaves (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  g_autoptr(GString) expected = g_string_new (NULL);

  hold_prepare (fixture, &ex, expected);
  iterate_until (two_pieces_read, &ex);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 1);
  g_cancellable_cancel (ex.cancellable);
  if (!ex.done)
    g_main_loop_run (ex.loop);
  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  exchange_clear (&ex);
  wait_for_disconnects (fixture->server, 1);
  g_assert_cmpuint (cria_fake_server_get_n_held (fixture->server), ==, 0);
}

static void
test_chunk_delay (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;
  gint64 previous;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "aaaabbbbcccc", -1);
  cria_fake_response_set_chunk_size (response, 4);
  cria_fake_response_set_chunk_delay (response, 100);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, "aaaabbbbcccc");
  g_assert_cmpuint (ex.read_sizes->len, ==, 3);

  /* The first piece follows the headers by the delay too, so piece k can not
   * reach the client before (k + 1) delays have passed. The gaps the client
   * measures are only logged: a late read on a loaded machine shortens the
   * next one. */
  previous = ex.headers_time;
  for (guint i = 0; i < ex.read_times->len; i++)
    {
      gint64 t = g_array_index (ex.read_times, gint64, i);

      g_test_message ("piece %u after %" G_GINT64_FORMAT " µs", i, t - previous);
      g_assert_cmpint (t - ex.start_time, >=, (i + 1) * 100 * 1000);
      previous = t;
    }
}

static void
test_headers_delay (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{}", -1);
  cria_fake_response_set_headers_delay (response, 200);

  exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
  exchange_run (&ex, fixture->session);

  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, "{}");
  g_assert_cmpint (ex.headers_time - ex.start_time, >=, 195 * 1000);
}

static void
test_drop (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "0123456789abcdef", -1);
  cria_fake_response_set_chunk_size (response, 4);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, 6);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
  exchange_assert_body (&ex, "012345");
  /* A truncated chunked body is an error, never a clean end of stream. */
  g_assert_nonnull (ex.error);
  g_test_message ("drop: %s (%s %d)", ex.error->message,
                  g_quark_to_string (ex.error->domain), ex.error->code);
  g_assert_false (g_error_matches (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_true (g_error_matches (ex.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT));
  /* The server closed the connection, not the client. */
  spin (50);
  g_assert_cmpuint (cria_fake_server_get_n_client_disconnects (fixture->server), ==, 0);
}

static void
test_drop_whole_body (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  /* Every byte arrives, only the terminating chunk is missing. */
  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "data: [DONE]\n\n", -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, 1000);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  exchange_assert_body (&ex, "data: [DONE]\n\n");
  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

static void
test_drop_after_headers (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "data: [DONE]\n\n", -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_DROP, 0);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  exchange_run (&ex, fixture->session);

  g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
  g_assert_cmpuint (ex.data->len, ==, 0);
  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "0123456789", -1);
  cria_fake_response_set_chunk_size (response, 2);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 3);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  /* The read after the third byte must still be pending when cancelled. */
  ex.cancel_after_bytes = 3;
  ex.cancel_delay = 300;
  exchange_run (&ex, fixture->session);

  exchange_assert_body (&ex, "012");
  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time ()
                   - g_array_index (ex.read_times, gint64, ex.read_times->len - 1),
                   >=, 295 * 1000);

  /* Dropping the body stream mid-body makes soup close the connection,
   * which the server sees while it is stalled. */
  exchange_clear (&ex);
  wait_for_disconnects (fixture->server, 1);
}

static void
test_cancel_during_delay (Fixture       *fixture,
                          gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "aaaabbbbcccc", -1);
  cria_fake_response_set_chunk_size (response, 4);
  cria_fake_response_set_chunk_delay (response, 200);

  exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
  ex.cancel_after_bytes = 4;
  ex.cancel_delay = 50;
  exchange_run (&ex, fixture->session);

  exchange_assert_body (&ex, "aaaa");
  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  exchange_clear (&ex);
  wait_for_disconnects (fixture->server, 1);

  /* The next request is served normally, on a new connection. */
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{}", -1);
  exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
  exchange_run (&ex, fixture->session);
  g_assert_no_error (ex.error);
  exchange_assert_body (&ex, "{}");
}

static void
test_cancel_before_headers (Fixture       *fixture,
                            gconstpointer  user_data)
{
  g_auto(Exchange) ex = { 0 };
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{}", -1);
  cria_fake_response_set_headers_delay (response, 5000);

  exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
  g_timeout_add (100, exchange_cancel_cb, &ex);
  exchange_run (&ex, fixture->session);

  g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  exchange_clear (&ex);
  wait_for_disconnects (fixture->server, 1);
}

static void
test_complete_is_not_disconnect (Fixture       *fixture,
                                 gconstpointer  user_data)
{
  for (guint i = 0; i < 3; i++)
    {
      g_auto(Exchange) ex = { 0 };
      CriaFakeResponse *response;

      response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
      /* Plain, chunked by size, chunked by pieces. */
      cria_fake_response_set_body (response, "text/event-stream",
                                   i == 2 ? "data: " : "data: [DONE]\n\n", -1);
      if (i == 1)
        cria_fake_response_set_chunk_size (response, 3);
      if (i == 2)
        {
          cria_fake_response_append_piece (response, "[DONE]", -1);
          cria_fake_response_append_piece (response, "\n\n", -1);
        }

      exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
      exchange_run (&ex, fixture->session);
      g_assert_no_error (ex.error);
      exchange_assert_body (&ex, "data: [DONE]\n\n");
    }

  spin (50);
  g_assert_cmpuint (cria_fake_server_get_n_client_disconnects (fixture->server), ==, 0);
}

static void
run_with_authorization (Fixture    *fixture,
                        const char *authorization,
                        Exchange   *ex)
{
  exchange_init (ex, make_message (fixture->server, "GET", "/v1/models"));
  if (authorization != NULL)
    soup_message_headers_append (soup_message_get_request_headers (ex->msg),
                                 "Authorization", authorization);
  exchange_run (ex, fixture->session);
  g_assert_no_error (ex->error);
}

static void
test_api_key (Fixture       *fixture,
              gconstpointer  user_data)
{
  static const char *const wrong[] = {
    NULL,
    "Bearer sk-wrong",
    "Bearer " TEST_KEY "x",
    "bearer " TEST_KEY,
    "Basic " TEST_KEY,
    TEST_KEY,
  };
  static const char expected[] =
    "{\"error\":{\"message\":\"Incorrect API key provided.\","
    "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}";
  CriaFakeResponse *response;

  cria_fake_server_set_api_key (fixture->server, TEST_KEY);
  response = cria_fake_server_expect (fixture->server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{\"data\":[]}", -1);

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_auto(Exchange) ex = { 0 };

      run_with_authorization (fixture, wrong[i], &ex);
      g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 401);
      exchange_assert_body (&ex, expected);
      g_assert_null (g_strstr_len ((const char *) ex.data->data, ex.data->len, TEST_KEY));
    }

  /* The rejected requests left the script alone. */
  {
    g_auto(Exchange) ex = { 0 };

    run_with_authorization (fixture, "Bearer " TEST_KEY, &ex);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
    exchange_assert_body (&ex, "{\"data\":[]}");
  }

  g_assert_cmpuint (cria_fake_server_get_requests (fixture->server)->len, ==,
                    G_N_ELEMENTS (wrong) + 1);
}

static void
test_requests_recorded (Fixture       *fixture,
                        gconstpointer  user_data)
{
  static const char body[] = "{\"model\":\"llama-3.1-8b\",\"stream\":true}";
  g_autoptr(GBytes) request_body = g_bytes_new_static (body, strlen (body));
  CriaFakeRequest *request;
  GPtrArray *requests;

  g_assert_null (cria_fake_server_get_last_request (fixture->server));

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "GET", "/v1/models"));
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
  }

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
    soup_message_set_request_body_from_bytes (ex.msg, "application/json", request_body);
    soup_message_headers_append (soup_message_get_request_headers (ex.msg), "X-Test", "yes");
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 404);
  }

  requests = cria_fake_server_get_requests (fixture->server);
  g_assert_cmpuint (requests->len, ==, 2);

  request = g_ptr_array_index (requests, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/v1/models");
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);

  request = cria_fake_server_get_last_request (fixture->server);
  g_assert_true (request == g_ptr_array_index (requests, 1));
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/v1/chat/completions");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL),
                   ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "X-Test"), ==, "yes");
  g_assert_cmpmem (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body),
                   body, strlen (body));
}

static void
test_redirect (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *new_url = make_url (fixture->server, "/v1/new");
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/old");
  cria_fake_response_set_redirect (response, 307, "/v1/new");

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "GET", "/v1/old"));
    soup_message_add_flags (ex.msg, SOUP_MESSAGE_NO_REDIRECT);
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 307);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (ex.msg),
                                                   "Location"), ==, new_url);
  }

  /* A client that follows redirects lands on the new path. */
  response = cria_fake_server_expect (fixture->server, "/v1/old");
  cria_fake_response_set_redirect (response, 301, new_url);
  response = cria_fake_server_expect (fixture->server, "/v1/new");
  cria_fake_response_set_body (response, "text/plain", "moved", -1);

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "GET", "/v1/old"));
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
    exchange_assert_body (&ex, "moved");
    g_assert_cmpstr (cria_fake_server_get_last_request (fixture->server)->path, ==, "/v1/new");
  }
}

static void
test_error_status (Fixture       *fixture,
                   gconstpointer  user_data)
{
  static const char body[] = "{\"detail\":\"Too many requests\"}";
  CriaFakeResponse *response;

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_status (response, 429);
  cria_fake_response_add_header (response, "Retry-After", "7");
  cria_fake_response_set_body (response, "application/json", body, -1);

  response = cria_fake_server_expect (fixture->server, "/v1/chat/completions");
  cria_fake_response_set_bad_gateway_html (response);

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (ex.msg),
                                                   "Retry-After"), ==, "7");
    exchange_assert_body (&ex, body);
  }

  {
    g_auto(Exchange) ex = { 0 };
    SoupMessageHeaders *headers;

    exchange_init (&ex, make_message (fixture->server, "POST", "/v1/chat/completions"));
    exchange_run (&ex, fixture->session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 502);
    headers = soup_message_get_response_headers (ex.msg);
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "text/html");
    g_assert_cmpint (soup_message_headers_get_encoding (headers), ==,
                     SOUP_ENCODING_CONTENT_LENGTH);
    g_assert_nonnull (g_strstr_len ((const char *) ex.data->data, ex.data->len,
                                    "<h1>502 Bad Gateway</h1>"));
  }
}

static void
echo_handler (CriaFakeServer        *server,
              const CriaFakeRequest *request,
              CriaFakeResponse      *response,
              gpointer               user_data)
{
  guint *n_calls = user_data;

  (*n_calls)++;
  cria_fake_response_set_status (response, 201);
  cria_fake_response_set_body (response, "text/plain",
                               g_bytes_get_data (request->body, NULL),
                               g_bytes_get_size (request->body));
  cria_fake_response_set_chunk_size (response, 2);
}

static void
test_handler (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GBytes) body = g_bytes_new_static ("hello", 5);
  guint n_calls = 0;
  CriaFakeResponse *response;

  cria_fake_server_set_handler (fixture->server, "/v1/echo", echo_handler, &n_calls, NULL);
  /* A script goes before the handler. */
  response = cria_fake_server_expect (fixture->server, "/v1/echo");
  cria_fake_response_set_body (response, "text/plain", "scripted", -1);

  for (guint i = 0; i < 2; i++)
    {
      g_auto(Exchange) ex = { 0 };

      exchange_init (&ex, make_message (fixture->server, "POST", "/v1/echo"));
      soup_message_set_request_body_from_bytes (ex.msg, "text/plain", body);
      exchange_run (&ex, fixture->session);
      g_assert_no_error (ex.error);
      g_assert_cmpuint (soup_message_get_status (ex.msg), ==, i == 0 ? 200 : 201);
      exchange_assert_body (&ex, i == 0 ? "scripted" : "hello");
      g_assert_cmpuint (n_calls, ==, i);
    }

  cria_fake_server_set_handler (fixture->server, "/v1/echo", NULL, NULL, NULL);

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (fixture->server, "POST", "/v1/echo"));
    exchange_run (&ex, fixture->session);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 404);
  }
}

/* The thread-pool workers (GTask's among them) still alive. */
static guint
count_pool_workers (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) &&
          g_str_has_prefix (comm, "pool-") &&
          !g_str_has_prefix (comm, "pool-spawner"))
        n++;
    }

  return n;
}

/* LeakSanitizer in GCC 12 crashes ("Tracer caught signal 11") scanning the
 * dynamic TLS of a thread that ran a GnuTLS handshake, so the thread-pool
 * workers that did must be gone before the process exits. An idle GTask
 * worker leaves its pool after half a second; with no unused threads allowed
 * it then ends. */
static void
wait_for_pool_workers_to_end (void)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_thread_pool_set_max_unused_threads (0);
  g_thread_pool_stop_unused_threads ();

  while (count_pool_workers () > 0 && g_get_monotonic_time () < deadline)
    spin (50);

  g_assert_cmpuint (count_pool_workers (), ==, 0);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

static void
test_tls (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaFakeServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *http_url = NULL;
  CriaFakeResponse *response;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("No TLS backend (glib-networking)");
      return;
    }

  server = cria_fake_server_new_tls (&error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (cria_fake_server_get_base_url (server), "https://127.0.0.1:"));
  session = make_session ();

  /* A default client refuses the self-signed certificate. */
  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (server, "GET", "/v1/models"));
    exchange_run (&ex, session);
    g_assert_nonnull (ex.error);
    g_test_message ("default client: %s", ex.error->message);
    g_assert_true (ex.error->domain == G_TLS_ERROR);
  }

  /* Plain HTTP to the HTTPS port gets no response. */
  {
    g_auto(Exchange) ex = { 0 };

    http_url = g_strdup_printf ("http://127.0.0.1:%u/v1/models", cria_fake_server_get_port (server));
    exchange_init (&ex, soup_message_new ("GET", http_url));
    exchange_run (&ex, session);
    g_assert_nonnull (ex.error);
  }

  /* A client that accepts the certificate gets through, and a stall over TLS
   * ends cleanly when the server goes away. */
  response = cria_fake_server_expect (server, "/v1/models");
  cria_fake_response_set_body (response, "application/json", "{\"data\":[]}", -1);
  cria_fake_response_set_chunk_size (response, 3);

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (server, "GET", "/v1/models"));
    g_signal_connect (ex.msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
    exchange_run (&ex, session);
    g_assert_no_error (ex.error);
    g_assert_cmpuint (soup_message_get_status (ex.msg), ==, 200);
    exchange_assert_body (&ex, "{\"data\":[]}");
  }

  response = cria_fake_server_expect (server, "/v1/chat/completions");
  cria_fake_response_set_body (response, "text/event-stream", "0123456789", -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 4);

  {
    g_auto(Exchange) ex = { 0 };

    exchange_init (&ex, make_message (server, "POST", "/v1/chat/completions"));
    g_signal_connect (ex.msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
    ex.cancel_after_bytes = 4;
    ex.cancel_delay = 100;
    exchange_run (&ex, session);
    exchange_assert_body (&ex, "0123");
    g_assert_error (ex.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    exchange_clear (&ex);
    wait_for_disconnects (server, 1);
  }

  drain_main_context ();
  g_assert_finalize_object (g_steal_pointer (&session));
  g_assert_finalize_object (g_steal_pointer (&server));

  wait_for_pool_workers_to_end ();
}

static gboolean
dispose_server_cb (gpointer user_data)
{
  CriaFakeServer **server = user_data;

  g_assert_finalize_object (g_steal_pointer (server));

  return G_SOURCE_REMOVE;
}

static void
test_dispose_while_busy (void)
{
  g_autoptr(CriaFakeServer) server = cria_fake_server_new ();
  g_autoptr(SoupSession) session = make_session ();
  g_auto(Exchange) stalled = { 0 };
  g_auto(Exchange) delayed = { 0 };
  CriaFakeResponse *response;

  /* One response stalls, another waits in a long delay, a third script is
   * never used: disposing the server ends them all. */
  response = cria_fake_server_expect (server, "/v1/stall");
  cria_fake_response_set_body (response, "text/event-stream", "0123456789", -1);
  cria_fake_response_set_fault (response, CRIA_FAKE_FAULT_STALL, 5);

  response = cria_fake_server_expect (server, "/v1/slow");
  cria_fake_response_set_body (response, "text/event-stream", "0123456789", -1);
  cria_fake_response_set_chunk_size (response, 1);
  cria_fake_response_set_chunk_delay (response, 10000);

  cria_fake_server_expect (server, "/v1/unused");

  exchange_init (&stalled, make_message (server, "GET", "/v1/stall"));
  soup_session_send_async (session, stalled.msg, G_PRIORITY_DEFAULT, NULL, send_cb, &stalled);
  exchange_init (&delayed, make_message (server, "GET", "/v1/slow"));
  soup_session_send_async (session, delayed.msg, G_PRIORITY_DEFAULT, NULL, send_cb, &delayed);

  spin (200);
  g_assert_cmpuint (stalled.data->len, ==, 5);
  g_assert_cmpuint (delayed.data->len, ==, 0);

  g_idle_add (dispose_server_cb, &server);
  while (!stalled.done || !delayed.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (server);

  /* The stalled client sees the connection end in the middle of the body.
   * The delayed one sees it end between two chunks, which libsoup 3.2 takes
   * for a clean end; what matters is that it is not left waiting. */
  g_assert_error (stalled.error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT);
  g_assert_cmpuint (delayed.data->len, ==, 0);

  /* Nothing of the server may run any more. */
  spin (100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/fake-server/plain-body", test_plain_body);
  ADD ("/fake-server/not-found", test_not_found);
  ADD ("/fake-server/chunk-size-one", test_chunk_size_one);
  ADD ("/fake-server/pieces", test_pieces);
  ADD ("/fake-server/chunk-delay", test_chunk_delay);
  ADD ("/fake-server/hold", test_hold);
  ADD ("/fake-server/hold-released-early", test_hold_released_early);
  ADD ("/fake-server/hold-client-leaves", test_hold_client_leaves);
  ADD ("/fake-server/headers-delay", test_headers_delay);
  ADD ("/fake-server/drop", test_drop);
  ADD ("/fake-server/drop-whole-body", test_drop_whole_body);
  ADD ("/fake-server/drop-after-headers", test_drop_after_headers);
  ADD ("/fake-server/stall", test_stall);
  ADD ("/fake-server/cancel-during-delay", test_cancel_during_delay);
  ADD ("/fake-server/cancel-before-headers", test_cancel_before_headers);
  ADD ("/fake-server/complete-is-not-disconnect", test_complete_is_not_disconnect);
  ADD ("/fake-server/api-key", test_api_key);
  ADD ("/fake-server/requests-recorded", test_requests_recorded);
  ADD ("/fake-server/redirect", test_redirect);
  ADD ("/fake-server/error-status", test_error_status);
  ADD ("/fake-server/handler", test_handler);

#undef ADD

  g_test_add_func ("/fake-server/tls", test_tls);
  g_test_add_func ("/fake-server/dispose-while-busy", test_dispose_while_busy);

  return g_test_run ();
}

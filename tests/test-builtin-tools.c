/* test-builtin-tools.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cria's own tools, each called as the tool loop calls them: through the
 * CriaTool interface, with the JSON arguments a model writes.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cria-builtin-tools-private.h"
#include "cria-store.h"

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  /* A ceiling that only ends a hung test. */
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

/* Runs @tool on @arguments (JSON text) and returns its result, asserting
 * that it ran. */
static CriaToolResult *
run_tool (CriaTool     *tool,
          const char   *arguments,
          GCancellable *cancellable,
          GError      **error)
{
  g_autoptr(JsonNode) node = json_from_string (arguments, NULL);
  GAsyncResult *result = NULL;
  CriaToolResult *tool_result;

  g_assert_nonnull (node);
  cria_tool_run_async (tool, json_node_get_object (node), cancellable, result_cb, &result);
  tool_result = cria_tool_run_finish (tool, wait_for_result (&result), error);
  g_object_unref (result);
  return tool_result;
}

static CriaToolResult *
run_ok (CriaTool   *tool,
        const char *arguments)
{
  g_autoptr(GError) error = NULL;
  CriaToolResult *result = run_tool (tool, arguments, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_true (g_utf8_validate (result->text, -1, NULL));
  return result;
}

static void
assert_contains (const char *text,
                 const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_error ("“%s” does not contain “%s”", text, fragment);
}

static void
test_list (void)
{
  g_autoptr(GPtrArray) tools = cria_builtin_tools_new (NULL);
  g_autoptr(GRegex) valid = g_regex_new ("^[A-Za-z0-9_-]{1,64}$", 0, 0, NULL);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  /* Without a store there is nothing to search. */
  g_assert_cmpuint (tools->len, ==, 4);
  for (guint i = 0; i < tools->len; i++)
    {
      CriaTool *tool = g_ptr_array_index (tools, i);
      JsonNode *parameters = cria_tool_get_parameters (tool);
      const char *name = cria_tool_get_name (tool);

      g_assert_true (g_regex_match (valid, name, 0, NULL));
      g_assert_true (g_hash_table_add (names, (gpointer) name));
      g_assert_true (JSON_NODE_HOLDS_OBJECT (parameters));
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (parameters), "type"), ==, "object");
      g_assert_cmpstr (cria_tool_get_description (tool), !=, "");
      g_assert_cmpstr (cria_tool_get_title (tool), !=, "");
      g_assert_null (cria_tool_get_source (tool));
    }

  /* What only computes runs without asking; the network asks. */
  g_assert_cmpstr (cria_tool_get_name (g_ptr_array_index (tools, 0)), ==, "calculator");
  g_assert_cmpint (cria_tool_get_approval (g_ptr_array_index (tools, 0)), ==, CRIA_TOOL_APPROVAL_NONE);
  g_assert_cmpstr (cria_tool_get_name (g_ptr_array_index (tools, 1)), ==, "current_time");
  g_assert_cmpint (cria_tool_get_approval (g_ptr_array_index (tools, 1)), ==, CRIA_TOOL_APPROVAL_NONE);
  g_assert_cmpstr (cria_tool_get_name (g_ptr_array_index (tools, 2)), ==, "convert_time");
  g_assert_cmpint (cria_tool_get_approval (g_ptr_array_index (tools, 2)), ==, CRIA_TOOL_APPROVAL_NONE);
  g_assert_cmpstr (cria_tool_get_name (g_ptr_array_index (tools, 3)), ==, "fetch_page");
  g_assert_cmpint (cria_tool_get_approval (g_ptr_array_index (tools, 3)), ==, CRIA_TOOL_APPROVAL_ASK);
}

static void
test_model (void)
{
  g_autoptr(GListModel) model = cria_builtin_tools_new_model (NULL);
  g_autoptr(CriaTool) first = NULL;

  /* The same tools, as a source of the toolbox. */
  g_assert_true (g_list_model_get_item_type (model) == CRIA_TYPE_TOOL);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  first = g_list_model_get_item (model, 0);
  g_assert_cmpstr (cria_tool_get_name (first), ==, "calculator");
}

static void
test_calculator (void)
{
  g_autoptr(CriaTool) tool = cria_calculator_tool_new ();
  g_autoptr(CriaToolResult) sum = NULL;
  g_autoptr(CriaToolResult) broken = NULL;
  g_autoptr(CriaToolResult) missing = NULL;
  g_autoptr(CriaToolResult) wrong_type = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  CriaToolResult *cancelled;

  sum = run_ok (tool, "{\"expression\": \"0.1 + 0.2\"}");
  g_assert_false (sum->is_error);
  g_assert_cmpstr (sum->text, ==, "0.1 + 0.2 = 0.3");

  /* The model reads what went wrong and where. */
  broken = run_ok (tool, "{\"expression\": \"1 / (2 - 2)\"}");
  g_assert_true (broken->is_error);
  assert_contains (broken->text, "division by zero");

  missing = run_ok (tool, "{}");
  g_assert_true (missing->is_error);
  assert_contains (missing->text, "“expression”");

  wrong_type = run_ok (tool, "{\"expression\": [1, 2]}");
  g_assert_true (wrong_type->is_error);
  assert_contains (wrong_type->text, "must be a string");

  g_cancellable_cancel (cancellable);
  cancelled = run_tool (tool, "{\"expression\": \"1\"}", cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_finalize_object (g_steal_pointer (&tool));
}

static void
test_clock (void)
{
  g_autoptr(CriaTool) current = cria_clock_tool_new (CRIA_CLOCK_TOOL_CURRENT);
  g_autoptr(CriaTool) convert = cria_clock_tool_new (CRIA_CLOCK_TOOL_CONVERT);
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-03-14T15:30:00Z", NULL);
  CriaToolResult *result;

  g_assert_nonnull (berlin);
  _cria_clock_tool_set_now (CRIA_CLOCK_TOOL (current), now, berlin);
  _cria_clock_tool_set_now (CRIA_CLOCK_TOOL (convert), now, berlin);

  /* The user's own zone when the model names none. */
  result = run_ok (current, "{}");
  g_assert_false (result->is_error);
  assert_contains (result->text, "Saturday 2026-03-14 16:30:00 (Europe/Berlin, UTC+01:00)");
  assert_contains (result->text, "ISO 8601: 2026-03-14T16:30:00+01");
  assert_contains (result->text, "Unix time: 1773502200");
  cria_tool_result_free (result);

  /* New York has moved its clocks on 8 March 2026; Berlin has not yet. */
  result = run_ok (current, "{\"timezone\": \"America/New_York\"}");
  assert_contains (result->text, "Saturday 2026-03-14 11:30:00 (America/New_York, UTC-04:00, daylight saving time)");
  cria_tool_result_free (result);

  result = run_ok (current, "{\"timezone\": \"utc\"}");
  assert_contains (result->text, "2026-03-14 15:30:00");
  cria_tool_result_free (result);

  result = run_ok (current, "{\"timezone\": \"Mars/Olympus_Mons\"}");
  g_assert_true (result->is_error);
  assert_contains (result->text, "“Mars/Olympus_Mons” is not a known time zone");
  cria_tool_result_free (result);

  result = run_ok (convert, "{\"time\": \"2026-07-01 09:00\", \"from_timezone\": \"Asia/Tokyo\","
                            " \"to_timezone\": \"Europe/London\"}");
  g_assert_false (result->is_error);
  assert_contains (result->text, "Wednesday 2026-07-01 09:00:00 (Asia/Tokyo, UTC+09:00)");
  assert_contains (result->text, "is Wednesday 2026-07-01 01:00:00 (Europe/London, UTC+01:00, daylight saving time)");
  cria_tool_result_free (result);

  /* An offset in the time wins over the zone it is said to be in; the day can change. */
  result = run_ok (convert, "{\"time\": \"2026-12-31T23:30:00-05:00\", \"from_timezone\": \"Asia/Tokyo\","
                            " \"to_timezone\": \"UTC\"}");
  assert_contains (result->text, "is Friday 2027-01-01 04:30:00");
  cria_tool_result_free (result);

  /* A time of day alone is today, in the user's zone when none is named. */
  result = run_ok (convert, "{\"time\": \"08:15\", \"to_timezone\": \"Asia/Kolkata\"}");
  assert_contains (result->text, "Saturday 2026-03-14 08:15:00 (Europe/Berlin, UTC+01:00)");
  assert_contains (result->text, "is Saturday 2026-03-14 12:45:00 (Asia/Kolkata, UTC+05:30)");
  cria_tool_result_free (result);

  result = run_ok (convert, "{\"time\": \"next tuesday\", \"to_timezone\": \"UTC\"}");
  g_assert_true (result->is_error);
  assert_contains (result->text, "not a time");
  cria_tool_result_free (result);

  result = run_ok (convert, "{\"time\": \"10:00\"}");
  g_assert_true (result->is_error);
  assert_contains (result->text, "“to_timezone” is missing");
  cria_tool_result_free (result);

  result = run_ok (convert, "{\"time\": \"25:61\", \"to_timezone\": \"UTC\"}");
  g_assert_true (result->is_error);
  cria_tool_result_free (result);

  g_assert_finalize_object (g_steal_pointer (&current));
  g_assert_finalize_object (g_steal_pointer (&convert));
}

/* The history search, on a store of its own. */

static void
flush (CriaStore *store)
{
  GAsyncResult *result = NULL;

  cria_store_flush_async (store, NULL, result_cb, &result);
  g_assert_true (cria_store_flush_finish (store, wait_for_result (&result), NULL));
  g_object_unref (result);
}

static void
save_conversation (CriaStore  *store,
                   const char *title,
                   gint64      when,
                   const char *question,
                   const char *answer)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(CriaMessageRecord) q = cria_message_record_new ();
  g_autoptr(CriaMessageRecord) a = cria_message_record_new ();

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = record->updated = when;
  q->id = g_uuid_string_random ();
  q->role = CRIA_ROLE_USER;
  g_free (q->content);
  q->content = g_strdup (question);
  q->created = when;
  a->id = g_uuid_string_random ();
  a->role = CRIA_ROLE_ASSISTANT;
  g_free (a->content);
  a->content = g_strdup (answer);
  a->created = when + 1;

  cria_store_save_conversation (store, record);
  cria_store_save_message (store, record->id, 0, q);
  cria_store_save_message (store, record->id, 1, a);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
test_history_search (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cria-tools-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  CriaStore *store = cria_store_new (path);
  g_autoptr(GPtrArray) tools = NULL;
  GAsyncResult *opened = NULL;
  CriaTool *tool;
  CriaToolResult *result;

  cria_store_open_async (store, NULL, result_cb, &opened);
  g_assert_true (cria_store_open_finish (store, wait_for_result (&opened), NULL, NULL));
  g_object_unref (opened);

  save_conversation (store, "Soup & bread", 1000, "How long do leeks cook?",
                     "Leeks cook in about <10> minutes.");
  save_conversation (store, "Garden", 2000, "When to plant leeks?", "Plant leeks in spring.");
  save_conversation (store, "Taxes", 3000, "Deadline?", "The end of July.");
  flush (store);

  tools = cria_builtin_tools_new (store);
  g_assert_cmpuint (tools->len, ==, 5);
  tool = g_ptr_array_index (tools, 3);
  g_assert_cmpstr (cria_tool_get_name (tool), ==, "search_conversations");
  /* It reads the user's data: it asks. */
  g_assert_cmpint (cria_tool_get_approval (tool), ==, CRIA_TOOL_APPROVAL_ASK);

  result = run_ok (tool, "{\"query\": \"leeks\"}");
  g_assert_false (result->is_error);
  assert_contains (result->text, "2 conversations match “leeks”, newest first:\n");
  /* Newest first, every match under its conversation, the matches marked,
   * the markup of the store's snippets gone. */
  assert_contains (result->text, "1. “Garden”\n   - Plant «leeks» in spring.\n   - When to plant «leeks»?\n");
  assert_contains (result->text, "2. “Soup & bread”\n   - «Leeks» cook in about <10> minutes.\n");
  g_assert_null (strstr (result->text, "<b>"));
  g_assert_null (strstr (result->text, "&amp;"));
  g_assert_null (strstr (result->text, "Taxes"));
  cria_tool_result_free (result);

  result = run_ok (tool, "{\"query\": \"leeks\", \"limit\": 1}");
  assert_contains (result->text, "1 conversation matches “leeks”");
  cria_tool_result_free (result);

  result = run_ok (tool, "{\"query\": \"tax\"}");
  assert_contains (result->text, "1. “«Taxes»”\n   - (the title matches)\n");
  cria_tool_result_free (result);

  result = run_ok (tool, "{\"query\": \"zucchini\"}");
  g_assert_false (result->is_error);
  assert_contains (result->text, "No conversation matches “zucchini”");
  cria_tool_result_free (result);

  /* Nothing the model writes is FTS syntax. */
  result = run_ok (tool, "{\"query\": \"leeks OR \\\"NEAR(\"}");
  g_assert_false (result->is_error);
  assert_contains (result->text, "No conversation matches");
  cria_tool_result_free (result);

  result = run_ok (tool, "{\"query\": \"   \"}");
  g_assert_true (result->is_error);
  cria_tool_result_free (result);

  result = run_ok (tool, "{\"query\": 42}");
  g_assert_true (result->is_error);
  cria_tool_result_free (result);

  g_clear_pointer (&tools, g_ptr_array_unref);
  g_assert_finalize_object (store);
  remove_tree (dir);
}

/* The page fetcher, against a loopback server. */

typedef struct
{
  SoupServer *server;
  char       *base;
  CriaTool   *tool;
  GPtrArray  *paused;       /* messages /slow holds */
  guint       requests;
  gboolean    saw_secret;   /* a request carried credentials or a cookie */
} FetchFixture;

static void
fetch_handler (SoupServer        *server,
               SoupServerMessage *message,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FetchFixture *f = user_data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (message);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (message);

  f->requests++;
  if (soup_message_headers_get_one (request, "Authorization") != NULL ||
      soup_message_headers_get_one (request, "Cookie") != NULL)
    f->saw_secret = TRUE;

  if (g_str_equal (path, "/page"))
    {
      /* Latin-1, said only in the page itself. */
      static const char body[] =
        "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 menu</title></head>"
        "<body><nav>Home</nav><h1>Today</h1><p>Cr\xe8me br\xfbl\xe9" "e &euro;4</p>"
        "<script>document.cookie</script></body></html>";

      soup_message_headers_replace (response, "Set-Cookie", "session=abc; Path=/");
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, body, strlen (body));
    }
  else if (g_str_equal (path, "/plain"))
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                        "just <text> & more", strlen ("just <text> & more"));
    }
  else if (g_str_equal (path, "/redirect"))
    soup_server_message_set_redirect (message, 302, "/plain");
  else if (g_str_equal (path, "/image"))
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "image/png", SOUP_MEMORY_STATIC, "\x89PNG", 4);
    }
  else if (g_str_equal (path, "/big"))
    {
      gsize size = 1024 * 1024;
      char *body = g_malloc (size);

      memset (body, 'a', size);
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_TAKE, body, size);
    }
  else if (g_str_equal (path, "/slow"))
    {
      /* Held until the test ends: a server that never answers. */
      g_ptr_array_add (f->paused, g_object_ref (message));
      soup_server_message_pause (message);
    }
  else
    soup_server_message_set_status (message, 404, NULL);
}

static void
fetch_set_up (FetchFixture  *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, fetch_handler, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  f->tool = cria_fetch_tool_new ();
  /* The server is on this computer, which a fetch refuses by default. */
  _cria_fetch_tool_set_allow_local (CRIA_FETCH_TOOL (f->tool), !GPOINTER_TO_INT (data));
}

static void
fetch_tear_down (FetchFixture  *f,
                 gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->paused, i));
  g_assert_finalize_object (f->tool);
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_free (f->base);
}

static CriaToolResult *
fetch (FetchFixture *f,
       const char   *path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *url = g_strconcat (f->base, path, NULL);
  g_autofree char *arguments = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  arguments = json_to_string (node, FALSE);
  return run_ok (f->tool, arguments);
}

static void
test_fetch_page (FetchFixture  *f,
                 gconstpointer  data)
{
  CriaToolResult *result;

  g_assert_cmpint (cria_tool_get_approval (f->tool), ==, CRIA_TOOL_APPROVAL_ASK);

  result = fetch (f, "/page");
  g_assert_false (result->is_error);
  /* The page's own charset, the readable text, none of the script or navigation. */
  assert_contains (result->text, "Title: Café menu\n");
  assert_contains (result->text, "# Today\n\nCrème brûlée €4");
  g_assert_null (strstr (result->text, "Home"));
  g_assert_null (strstr (result->text, "cookie"));
  cria_tool_result_free (result);

  /* The cookie the page set is not kept: the second request carries none. */
  result = fetch (f, "/page");
  cria_tool_result_free (result);
  g_assert_false (f->saw_secret);

  result = fetch (f, "/redirect");
  g_assert_false (result->is_error);
  assert_contains (result->text, "/plain\n");
  assert_contains (result->text, "just <text> & more");
  cria_tool_result_free (result);

  result = fetch (f, "/missing");
  g_assert_true (result->is_error);
  assert_contains (result->text, "404");
  cria_tool_result_free (result);

  result = fetch (f, "/image");
  g_assert_true (result->is_error);
  assert_contains (result->text, "image/png");
  cria_tool_result_free (result);
}

static void
test_fetch_limits (FetchFixture  *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) arguments = NULL;
  g_autofree char *slow = g_strconcat (f->base, "/slow", NULL);
  GAsyncResult *async_result = NULL;
  CriaToolResult *result;

  /* The body is read up to the limit and no further. */
  _cria_fetch_tool_set_limits (CRIA_FETCH_TOOL (f->tool), 64 * 1024, 60 * 1000);
  result = fetch (f, "/big");
  g_assert_false (result->is_error);
  assert_contains (result->text, "Only the first 64 KiB");
  g_assert_cmpuint (strlen (result->text), <=, CRIA_TOOL_RESULT_MAX);
  cria_tool_result_free (result);

  /* A server that never answers ends at the deadline, as a result the model reads. */
  _cria_fetch_tool_set_limits (CRIA_FETCH_TOOL (f->tool), 64 * 1024, 300);
  result = fetch (f, "/slow");
  g_assert_true (result->is_error);
  assert_contains (result->text, "did not load within 1 second");
  cria_tool_result_free (result);

  /* Stop: the call ends with CANCELLED once the request is out. */
  _cria_fetch_tool_set_limits (CRIA_FETCH_TOOL (f->tool), 64 * 1024, 600 * 1000);
  arguments = json_from_string ("{}", NULL);
  json_object_set_string_member (json_node_get_object (arguments), "url", slow);
  cria_tool_run_async (f->tool, json_node_get_object (arguments), cancellable, result_cb, &async_result);
  while (f->paused->len < 2)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  result = cria_tool_run_finish (f->tool, wait_for_result (&async_result), &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_object_unref (async_result);
}

static void
test_fetch_refused (FetchFixture  *f,
                    gconstpointer  data)
{
  static const struct { const char *arguments; const char *says; } cases[] = {
    { "{\"url\": \"file:///etc/passwd\"}", "Only http and https" },
    { "{\"url\": \"ftp://example.org/\"}", "Only http and https" },
    { "{\"url\": \"not a url\"}", "not a web address" },
    { "{\"url\": \"http://user:secret@127.0.0.1:1/\"}", "user name or password" },
    { "{\"url\": 7}", "must be a string" },
    { "{}", "“url” is missing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CriaToolResult) result = run_ok (f->tool, cases[i].arguments);

      g_assert_true (result->is_error);
      assert_contains (result->text, cases[i].says);
    }
  /* None of them reached a server. */
  g_assert_cmpuint (f->requests, ==, 0);
}

/* A resolver that knows one name, for the guard's after-lookup judgement:
 * "intranet.example" is 127.0.0.1, as a hostile or careless DNS could say. */
typedef struct
{
  GResolver parent_instance;
} TestResolver;

typedef struct
{
  GResolverClass parent_class;
} TestResolverClass;

static GType test_resolver_get_type (void);
G_DEFINE_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static GList *
test_resolver_answer (const char               *hostname,
                      GResolverNameLookupFlags  flags,
                      GError                  **error)
{
  if ((g_ascii_strcasecmp (hostname, "intranet.example") != 0 &&
       g_ascii_strcasecmp (hostname, "intranet.example.") != 0) || (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY))
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "No such name: %s", hostname);
      return NULL;
    }
  return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
}

static GList *
test_resolver_lookup_with_flags (GResolver                 *resolver,
                                 const char                *hostname,
                                 GResolverNameLookupFlags   flags,
                                 GCancellable              *cancellable,
                                 GError                   **error)
{
  return test_resolver_answer (hostname, flags, error);
}

static GList *
test_resolver_lookup (GResolver     *resolver,
                      const char    *hostname,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return test_resolver_answer (hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT, error);
}

static void
test_resolver_lookup_with_flags_async (GResolver                *resolver,
                                       const char               *hostname,
                                       GResolverNameLookupFlags  flags,
                                       GCancellable             *cancellable,
                                       GAsyncReadyCallback       callback,
                                       gpointer                  user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = test_resolver_answer (hostname, flags, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
test_resolver_lookup_async (GResolver           *resolver,
                            const char          *hostname,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  test_resolver_lookup_with_flags_async (resolver, hostname, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                         cancellable, callback, user_data);
}

static GList *
test_resolver_lookup_finish (GResolver     *resolver,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = test_resolver_lookup;
  resolver_class->lookup_by_name_async = test_resolver_lookup_async;
  resolver_class->lookup_by_name_finish = test_resolver_lookup_finish;
  resolver_class->lookup_by_name_with_flags = test_resolver_lookup_with_flags;
  resolver_class->lookup_by_name_with_flags_async = test_resolver_lookup_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = test_resolver_lookup_finish;
}

static void
test_resolver_init (TestResolver *self)
{
}

/* With the default guard: the same loopback server is out of reach, by
 * name before any connection, and by address once a name resolves to it. */
static void
test_fetch_local (FetchFixture  *f,
                  gconstpointer  data)
{
  g_autoptr(GUri) base = g_uri_parse (f->base, G_URI_FLAGS_NONE, NULL);
  guint port = g_uri_get_port (base);
  /* Hosts refused by name, and paths. */
  const char *by_name[][2] = {
    { "127.0.0.1", "/page" }, { "localhost", "/page" }, { "LocalHost.", "/page" }, { "[::1]", "/page" },
    { "[::ffff:127.0.0.1]", "/page" }, { "printer.local", "/page" }, { "192.168.1.1", "/" },
    { "10.0.0.1", "/" }, { "169.254.169.254", "/latest/meta-data" },
  };
  /* A name no rule knows, which the resolver turns into 127.0.0.1. */
  const char *after_lookup[] = { "intranet.example", "INTRANET.example." };
  g_autoptr(GResolver) system_resolver = g_resolver_get_default ();
  g_autoptr(GResolver) resolver = g_object_new (test_resolver_get_type (), NULL);

  g_resolver_set_default (resolver);

  for (guint i = 0; i < G_N_ELEMENTS (by_name); i++)
    {
      g_autofree char *arguments = g_strdup_printf ("{\"url\": \"http://%s:%u%s\"}",
                                                    by_name[i][0], port, by_name[i][1]);
      g_autoptr(CriaToolResult) result = run_ok (f->tool, arguments);

      g_assert_true (result->is_error);
      assert_contains (result->text, "this computer or its local network");
    }
  for (guint i = 0; i < G_N_ELEMENTS (after_lookup); i++)
    {
      g_autofree char *arguments = g_strdup_printf ("{\"url\": \"http://%s:%u/page\"}", after_lookup[i], port);
      g_autoptr(CriaToolResult) result = run_ok (f->tool, arguments);

      g_assert_true (result->is_error);
      assert_contains (result->text, "this computer or its local network");
      assert_contains (result->text, after_lookup[i]);
    }
  /* Not one request reached the server. */
  g_assert_cmpuint (f->requests, ==, 0);

  /* Allowed again, the same server answers: the refusals were the guard's. */
  _cria_fetch_tool_set_allow_local (CRIA_FETCH_TOOL (f->tool), TRUE);
  {
    g_autofree char *arguments = g_strdup_printf ("{\"url\": \"http://intranet.example:%u/plain\"}", port);
    g_autoptr(CriaToolResult) result = run_ok (f->tool, arguments);

    g_assert_false (result->is_error);
    assert_contains (result->text, "just <text> & more");
    g_assert_cmpuint (f->requests, ==, 1);
  }
  g_resolver_set_default (system_resolver);
}

static void
test_fetch_local_ranges (void)
{
  static const struct { const char *address; gboolean local; } addresses[] = {
    { "8.8.8.8", FALSE }, { "1.1.1.1", FALSE }, { "172.15.255.255", FALSE }, { "172.32.0.1", FALSE },
    { "100.63.255.255", FALSE }, { "192.169.0.1", FALSE }, { "223.255.255.255", FALSE },
    { "0.0.0.0", TRUE }, { "10.1.2.3", TRUE }, { "100.64.0.1", TRUE }, { "127.0.0.1", TRUE },
    { "127.255.0.9", TRUE }, { "169.254.169.254", TRUE }, { "172.16.0.1", TRUE }, { "172.31.255.255", TRUE },
    { "192.168.0.1", TRUE }, { "198.18.0.1", TRUE }, { "224.0.0.1", TRUE }, { "255.255.255.255", TRUE },
    { "2001:4860:4860::8888", FALSE }, { "2a00:1450::1", FALSE }, { "::ffff:8.8.8.8", FALSE },
    { "64:ff9b::8.8.8.8", FALSE },
    { "::", TRUE }, { "::1", TRUE }, { "fd12:3456::1", TRUE }, { "fc00::1", TRUE }, { "fe80::1", TRUE },
    { "fec0::1", TRUE }, { "ff02::1", TRUE }, { "::ffff:127.0.0.1", TRUE }, { "::ffff:192.168.1.1", TRUE },
    { "64:ff9b::10.0.0.1", TRUE }, { "::127.0.0.1", TRUE },
  };
  static const struct { const char *host; gboolean local; } hosts[] = {
    { "example.org", FALSE }, { "localhost.example.org", FALSE }, { "locale.org", FALSE },
    { "api.llamagate.dev", FALSE },
    { "localhost", TRUE }, { "LOCALHOST.", TRUE }, { "app.localhost", TRUE }, { "printer.local", TRUE },
    { "", TRUE }, { "10.0.0.1", TRUE }, { "::1", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (addresses); i++)
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (addresses[i].address);

      g_assert_nonnull (address);
      if (_cria_fetch_address_is_local (address) != addresses[i].local)
        g_error ("%s should %sbe local", addresses[i].address, addresses[i].local ? "" : "not ");
    }
  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    if (_cria_fetch_host_is_local (hosts[i].host) != hosts[i].local)
      g_error ("“%s” should %sbe local", hosts[i].host, hosts[i].local ? "" : "not ");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/builtin-tools/list", test_list);
  g_test_add_func ("/builtin-tools/model", test_model);
  g_test_add_func ("/builtin-tools/calculator", test_calculator);
  g_test_add_func ("/builtin-tools/clock", test_clock);
  g_test_add_func ("/builtin-tools/history-search", test_history_search);
  g_test_add ("/builtin-tools/fetch/page", FetchFixture, NULL, fetch_set_up, test_fetch_page, fetch_tear_down);
  g_test_add ("/builtin-tools/fetch/limits", FetchFixture, NULL, fetch_set_up, test_fetch_limits, fetch_tear_down);
  g_test_add ("/builtin-tools/fetch/refused", FetchFixture, NULL, fetch_set_up, test_fetch_refused, fetch_tear_down);
  g_test_add ("/builtin-tools/fetch/local", FetchFixture, GINT_TO_POINTER (TRUE), fetch_set_up, test_fetch_local,
              fetch_tear_down);
  g_test_add_func ("/builtin-tools/fetch/local-ranges", test_fetch_local_ranges);

  return g_test_run ();
}

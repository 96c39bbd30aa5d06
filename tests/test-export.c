/* test-export.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cria-export-json.h"
#include "cria-export-markdown.h"
#include "cria-test-util.h"

static CriaConversationRecord *
make_record (void)
{
  CriaConversationRecord *record = cria_conversation_record_new (NULL);
  const char *stop[] = { "\n\n", "</s>", NULL };

  record->title = g_strdup ("Soup *and* <bread>");
  record->model = g_strdup ("deepseek-r1-8b");
  record->system_prompt = g_strdup ("You are a cook.\nBe brief.");
  record->pinned = TRUE;
  record->created = 1764000000123456;
  record->updated = 1764000999654321;
  record->params->set = CRIA_CHAT_PARAM_TEMPERATURE | CRIA_CHAT_PARAM_TOP_P | CRIA_CHAT_PARAM_MAX_TOKENS |
                        CRIA_CHAT_PARAM_PRESENCE_PENALTY | CRIA_CHAT_PARAM_FREQUENCY_PENALTY |
                        CRIA_CHAT_PARAM_STOP | CRIA_CHAT_PARAM_SEED;
  record->params->temperature = 0.7;
  record->params->top_p = 0.95;
  record->params->max_tokens = 2048;
  record->params->presence_penalty = 0.1;
  record->params->frequency_penalty = -0.3;
  record->params->stop = g_strdupv ((char **) stop);
  record->params->seed = -12345678901;
  /* The answer format goes along as the object it is, and comes back. */
  record->params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;
  record->params->response_format =
    g_strdup ("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"answer\",\"strict\":true,"
              "\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}}}");
  /* So do the chat's tool settings. */
  record->tools = g_strdup ("{\"enabled\":false,\"choice\":\"read_file\",\"sources_off\":[\"\",\"Files\"]}");

  return record;
}

static GPtrArray *
make_messages (void)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  CriaMessageRecord *question = cria_message_record_new ();
  CriaMessageRecord *answer = cria_message_record_new ();
  CriaMessageRecord *failed = cria_message_record_new ();
  CriaMessageRecord *tools = cria_message_record_new ();
  CriaMessageRecord *cut = cria_message_record_new ();
  CriaToolCall *call;
  const char *images[] = { "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==", "https://example.com/a.jpg", NULL };

  question->id = g_strdup ("q-1");
  g_free (question->content);
  question->content = g_strdup ("What soup goes with \"this\"? ünïcödé 🍲");
  g_strfreev (question->image_urls);
  question->image_urls = g_strdupv ((char **) images);
  question->created = 1764000000200000;

  answer->id = g_strdup ("a-1");
  answer->role = CRIA_ROLE_ASSISTANT;
  g_free (answer->content);
  answer->content = g_strdup ("Tomato soup.\n\n```c\nint x;\n```");
  g_free (answer->reasoning);
  answer->reasoning = g_strdup ("Red goes with bread.");
  answer->state = CRIA_MESSAGE_STATE_STOPPED;
  answer->model = g_strdup ("deepseek-r1-8b");
  answer->params->set = CRIA_CHAT_PARAM_TEMPERATURE;
  answer->params->temperature = 0.7;
  answer->tokens_in = 120;
  answer->tokens_out = 45;
  answer->reasoning_tokens = 20;
  answer->estimated = TRUE;
  answer->cost = 0.000123456789;
  answer->thinking_time = 2345678;
  answer->tokens_per_second = 41.25;
  answer->created = 1764000000300000;

  failed->id = g_strdup ("a-2");
  failed->role = CRIA_ROLE_ASSISTANT;
  failed->state = CRIA_MESSAGE_STATE_FAILED;
  failed->error = g_strdup ("The server is overloaded.");
  failed->created = 1764000000400000;

  tools->id = g_strdup ("a-3");
  tools->role = CRIA_ROLE_ASSISTANT;
  tools->finish_reason = CRIA_FINISH_REASON_TOOL_CALLS;
  tools->created = 1764000000500000;
  call = cria_tool_call_new (0);
  call->id = g_strdup ("call_1");
  call->type = g_strdup ("function");
  call->name = g_strdup ("get_weather");
  call->arguments = g_strdup ("{\"city\": \"Paris ```\"}");
  g_ptr_array_add (tools->tool_calls, call);

  cut->id = g_strdup ("a-4");
  cut->role = CRIA_ROLE_ASSISTANT;
  g_free (cut->content);
  cut->content = g_strdup ("Once upon");
  cut->finish_reason = CRIA_FINISH_REASON_LENGTH;
  cut->created = 1764000000600000;

  g_ptr_array_add (messages, question);
  g_ptr_array_add (messages, answer);
  g_ptr_array_add (messages, failed);
  g_ptr_array_add (messages, tools);
  g_ptr_array_add (messages, cut);

  return messages;
}

static void
test_json_round_trip (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autoptr(GPtrArray) back_messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  gsize len;

  json = cria_export_json (record, messages, &len);
  /* OpenAI's shape: a system message, then content parts with image URLs. */
  g_assert_nonnull (strstr (json, "\"role\" : \"system\""));
  g_assert_nonnull (strstr (json, "\"type\" : \"image_url\""));
  /* Tool calls where OpenAI puts them; why an answer ended beside Cria's details. */
  g_assert_nonnull (strstr (json, "\"tool_calls\" : ["));
  g_assert_nonnull (strstr (json, "\"finish_reason\" : \"length\""));

  back = cria_import_json (json, len, &back_messages, &error);
  g_assert_no_error (error);
  g_assert_true (cria_conversation_record_equal (record, back));
  g_assert_cmpuint (back_messages->len, ==, messages->len);
  for (guint i = 0; i < messages->len; i++)
    g_assert_true (cria_message_record_equal (g_ptr_array_index (messages, i),
                                              g_ptr_array_index (back_messages, i)));

  again = cria_export_json (back, back_messages, NULL);
  g_assert_cmpstr (json, ==, again);
}

/* Cheap models cost billionths of a dollar per answer: such a price, whose
 * shortest form is written with an exponent (3e-09), exports as a JSON
 * number that imports again to the same price. */
static void
test_json_tiny_numbers (void)
{
  const double values[] = { 3e-09, 2e-08, 1e-05, 5e+11, 1.5e-07, 7e-300 };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(CriaConversationRecord) record = make_record ();
      g_autoptr(GPtrArray) messages = make_messages ();
      g_autoptr(CriaConversationRecord) back = NULL;
      g_autoptr(GPtrArray) back_messages = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      CriaMessageRecord *answer = g_ptr_array_index (messages, 1);
      CriaMessageRecord *tools = g_ptr_array_index (messages, 3);
      CriaToolCall *call = g_ptr_array_index (tools->tool_calls, 0);
      gsize len;

      answer->cost = values[i];
      answer->tokens_per_second = values[i];
      record->params->temperature = values[i];
      g_free (call->arguments);
      call->arguments = g_strdup_printf ("{\"x\": %g, \"s\": \"\\\"1e-05.0\\\\\"}", values[i]);

      json = cria_export_json (record, messages, &len);
      back = cria_import_json (json, (gssize) len, &back_messages, &error);
      g_assert_no_error (error);
      g_assert_true (cria_conversation_record_equal (record, back));
      answer = g_ptr_array_index (back_messages, 1);
      g_assert_cmpfloat (answer->cost, ==, values[i]);
      g_assert_cmpfloat (answer->tokens_per_second, ==, values[i]);
      for (guint j = 0; j < messages->len; j++)
        g_assert_true (cria_message_record_equal (g_ptr_array_index (messages, j),
                                                  g_ptr_array_index (back_messages, j)));
      /* A string that looks like such a number is left as it is. */
      g_assert_nonnull (strstr (json, "1e-05.0"));
    }
}

static void
test_json_plain_openai (void)
{
  static const char json[] =
    "{\"messages\": [{\"role\": \"system\", \"content\": \"Be nice\"},"
    " {\"role\": \"user\", \"content\": \"Hi there\"},"
    " {\"role\": \"assistant\", \"content\": [{\"type\": \"text\", \"text\": \"Hello\"}]}]}";
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;

  record = cria_import_json (json, -1, &messages, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->title, ==, "Hi there");
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->role, ==, CRIA_ROLE_SYSTEM);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 2))->content, ==, "Hello");
}

static void
test_json_bad (void)
{
  static const char * const bad[] = {
    "",
    "[1, 2]",
    "{\"format\": \"something-else\", \"messages\": []}",
    "{\"conversation\": {}}",
    "{\"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": 42}]}",
    "{\"messages\": [{\"role\": \"user\", \"content\": \"x\", \"cria\": {\"cost\": \"free\"}}]}",
    "{\"conversation\": {\"params\": {\"stop\": [1]}}, \"messages\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) messages = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(CriaConversationRecord) record = cria_import_json (bad[i], -1, &messages, &error);

      g_assert_null (record);
      g_assert_null (messages);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, !=, "");
    }
}

/* Imports @json, which must fail with a message holding @needle. */
static void
assert_refused (const char *json,
                gssize      length,
                const char *needle)
{
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaConversationRecord) record = cria_import_json (json, length, &messages, &error);

  g_assert_null (record);
  g_assert_null (messages);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name “%s”", error->message, needle);
}

static void
test_json_too_deep (void)
{
  guint depth = 200000;
  g_autoptr(GString) json = g_string_new ("{\"messages\": ");

  /* 400 KB, well-formed, that JSON-GLib would recurse into 200,000 deep. */
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (json, ']');
  g_string_append_c (json, '}');
  assert_refused (json->str, (gssize) json->len, "64 levels");

  /* Strings may hold brackets: only real nesting counts. */
  {
    g_autoptr(CriaConversationRecord) record = NULL;
    g_autoptr(GPtrArray) messages = NULL;
    g_autoptr(GError) error = NULL;
    static const char brackets[] =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}]}";

    record = cria_import_json (brackets, -1, &messages, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (messages->len, ==, 1);
  }
}

static void
test_json_out_of_range (void)
{
  static const struct {
    const char *json;
    const char *needle;
  } cases[] = {
    { "{\"conversation\": {\"created_us\": -1}, \"messages\": []}", "“created_us” is not a time between the years 1970 and 9999" },
    { "{\"conversation\": {\"updated_us\": 300000000000000000}, \"messages\": []}", "“updated_us” is not a time" },
    { "{\"conversation\": {\"updated_us\": 99999999999999999999}, \"messages\": []}", "“updated_us”" },
    { "{\"messages\": [{\"role\": \"user\", \"cria\": {\"created_us\": 253402300800000000}}]}", "“created_us” is not a time" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"thinking_time_us\": -5}}]}", "“thinking_time_us” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"cost\": 1e999}}]}", "“cost” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"cost\": -0.5}}]}", "“cost” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"tokens_per_second\": -3}}]}", "“tokens_per_second” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"usage\": {\"prompt_tokens\": -7}}}]}", "“prompt_tokens” is out of range" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"usage\": {\"completion_tokens\": 9000000000000000000}}}]}", "“completion_tokens” is out of range" },
    { "{\"conversation\": {\"params\": {\"temperature\": -1e400}}, \"messages\": []}", "“temperature” is out of range" },
    { "{\"conversation\": {\"params\": {\"max_tokens\": -1}}, \"messages\": []}", "“max_tokens” is out of range" },
    /* Only an answer format Cria itself could send comes back. */
    { "{\"conversation\": {\"params\": {\"response_format\": \"json\"}}, \"messages\": []}", "“response_format”" },
    { "{\"conversation\": {\"params\": {\"response_format\": {\"type\": \"xml\"}}}, \"messages\": []}", "“response_format”" },
    { "{\"conversation\": {\"params\": {\"response_format\": {\"type\": [1]}}}, \"messages\": []}", "“response_format”" },
    { "{\"conversation\": {\"params\": {\"response_format\": {\"type\": \"json_schema\", \"json_schema\":"
      " {\"schema\": {\"type\": \"strin\"}}}}}, \"messages\": []}", "“response_format”" },
    { "{\"messages\": [{\"role\": \"wizard\"}]}", "unknown role “wizard”" },
    { "{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"state\": \"dreaming\"}}]}", "“state”" },
    { "{\"messages\": [{\"role\": \"user\", \"cria\": {\"state\": \"failed\"}}]}", "“state” is out of range" },
    { "{\"messages\": [{\"role\": \"x\"}]}", "unknown role “x”" },
    { "{\"messages\": [1, 2, 3]", "not valid JSON" },
    { "{\"messages\": []} {\"messages\": []}", "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused (cases[i].json, -1, cases[i].needle);
}

static void
test_json_limits (void)
{
  g_autoptr(GString) json = g_string_new ("{\"messages\": [");
  g_autofree char *model = g_strnfill (5000, 'm');
  g_autofree char *long_model = g_strdup_printf ("{\"messages\": [{\"role\": \"assistant\", \"cria\": {\"model\": \"%s\"}}]}", model);

  /* One message more than the most, and a system prompt: refused before
   * any is read. */
  g_string_append (json, "{\"role\": \"system\", \"content\": \"x\", \"cria\": {\"system_prompt\": true}}");
  for (guint i = 0; i <= CRIA_IMPORT_MAX_MESSAGES; i++)
    g_string_append (json, ",{}");
  g_string_append (json, "]}");
  assert_refused (json->str, (gssize) json->len, "more than 100000 messages");

  /* Values that would cost JSON-GLib gigabytes. */
  g_string_assign (json, "{\"messages\": [], \"x\": [0");
  for (guint i = 0; i < 40 * CRIA_IMPORT_MAX_MESSAGES; i++)
    g_string_append (json, ",0");
  g_string_append (json, "]}");
  assert_refused (json->str, (gssize) json->len, "more than 4000000 values");

  assert_refused (long_model, -1, "“model” is too long");
}

/* What Cria itself could hold: bytes that are not UTF-8 from a server's
 * reason phrase, and numbers the import would refuse. The export is still
 * UTF-8 and imports. */
static void
test_json_export_importable (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autoptr(GPtrArray) back_messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  CriaMessageRecord *failed = g_ptr_array_index (messages, 2);
  CriaMessageRecord *answer = g_ptr_array_index (messages, 1);
  gsize len;

  g_free (failed->error);
  failed->error = g_strdup ("HTTP 502: Bad \xff\xfe Gateway");
  g_free (answer->content);
  answer->content = g_strdup ("Tomato \xc3 soup.");
  answer->cost = INFINITY;
  answer->tokens_per_second = NAN;
  answer->tokens_in = -42;
  answer->thinking_time = -1;
  answer->created = G_MAXINT64;
  record->params->temperature = NAN;
  record->updated = -5;

  json = cria_export_json (record, messages, &len);
  g_assert_true (g_utf8_validate (json, (gssize) len, NULL));

  back = cria_import_json (json, (gssize) len, &back_messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back_messages->len, ==, messages->len);
  failed = g_ptr_array_index (back_messages, 2);
  answer = g_ptr_array_index (back_messages, 1);
  g_assert_cmpstr (failed->error, ==, "HTTP 502: Bad \xef\xbf\xbd\xef\xbf\xbd Gateway");
  g_assert_cmpstr (answer->content, ==, "Tomato \xef\xbf\xbd soup.");
  g_assert_cmpfloat (answer->cost, ==, -1.0);
  g_assert_cmpfloat (answer->tokens_per_second, ==, 0.0);
  g_assert_cmpint (answer->tokens_in, ==, -1);
  g_assert_cmpint (answer->tokens_out, ==, 45);
  g_assert_cmpint (answer->thinking_time, ==, 0);
  g_assert_false (back->params->set & CRIA_CHAT_PARAM_TEMPERATURE);
  g_assert_true (back->params->set & CRIA_CHAT_PARAM_TOP_P);
  g_assert_cmpint (back->updated, ==, back->created);
}

/* Odd but not wrong: it imports, and every string in it is UTF-8. */
static void
test_json_odd_but_valid (void)
{
  g_autofree char *title = g_strnfill (3000, 't');
  g_autofree char *json = g_strdup_printf (
    "\xef\xbb\xbf{\"format\": \"cria-conversation\", \"version\": 1, \"extra\": {\"a\": [1, 2.5, null]},"
    " \"conversation\": {\"title\": \"%s\", \"created_us\": 0, \"params\": {\"stop\": []}, \"unknown\": true},"
    " \"messages\": [{\"role\": \"user\", \"content\": \"caf\\u00e9 \xff bytes\", \"name\": \"x\"},"
    " {\"role\": \"assistant\", \"content\": [{\"type\": \"audio\"}, {\"type\": \"text\", \"text\": \"ok\"}],"
    "  \"cria\": {\"created_us\": 253402214399999999, \"cost\": 0, \"usage\": {\"prompt_tokens\": 0}, \"error\": null}},"
    " {\"role\": \"tool\", \"content\": null}]}", title);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  CriaMessageRecord *message;

  record = cria_import_json (json, -1, &messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (record->title, -1), ==, 1000);
  g_assert_cmpint (record->created, >, 0);
  g_assert_cmpuint (messages->len, ==, 3);
  message = g_ptr_array_index (messages, 0);
  g_assert_cmpstr (message->content, ==, "café \xef\xbf\xbd bytes");
  message = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (message->content, ==, "ok");
  g_assert_cmpint (message->created, ==, 253402214399999999);
  g_assert_cmpint (message->tokens_in, ==, 0);
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 2))->role, ==, CRIA_ROLE_TOOL);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CriaConversationRecord *
import_file (GFile      *file,
             GPtrArray **messages,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cria_import_json_file_async (file, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return cria_import_json_file_finish (result, messages, error);
}

static void
test_import_file (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autoptr(GPtrArray) back_messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cria-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "soup.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gsize len;

  json = cria_export_json (record, messages, &len);
  g_assert_true (g_file_set_contents (path, json, (gssize) len, NULL));

  /* The same conversation under new ids. */
  back = import_file (file, &back_messages, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->id, !=, record->id);
  g_assert_cmpstr (back->title, ==, record->title);
  g_assert_cmpuint (back_messages->len, ==, messages->len);
  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *a = g_ptr_array_index (messages, i);
      CriaMessageRecord *b = g_ptr_array_index (back_messages, i);

      g_assert_cmpstr (a->id, !=, b->id);
      g_assert_cmpstr (a->content, ==, b->content);
    }

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_import_file_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cria-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "huge.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  int fd;

  /* Sparse: one byte more than the most, without writing 64 MiB. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, CRIA_IMPORT_MAX_BYTES + 1), ==, 0);
  close (fd);

  record = import_file (file, &messages, &error);
  g_assert_null (record);
  g_assert_null (messages);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "larger than 64.0"));
  g_assert_nonnull (strstr (error->message, "MiB, the most Cria imports"));

  g_unlink (path);
  g_rmdir (dir);
}

static gpointer
write_pipe_thread (gpointer data)
{
  const char *path = data;
  g_autofree char *block = g_strnfill (1024 * 1024, ' ');
  int fd = g_open (path, O_WRONLY, 0);

  g_assert_cmpint (fd, >=, 0);
  /* Until the reader gives up (EPIPE), or well past the limit. */
  for (guint i = 0; i < 2 * CRIA_IMPORT_MAX_BYTES / (1024 * 1024); i++)
    {
      if (write (fd, block, 1024 * 1024) < 0)
        break;
    }
  close (fd);

  return NULL;
}

/* A pipe claims no size; the reading itself stops at the limit. */
static void
test_import_pipe_too_large (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cria-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "pipe.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  GThread *writer;

  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  signal (SIGPIPE, SIG_IGN);
  writer = g_thread_new ("writer", write_pipe_thread, path);

  record = import_file (file, &messages, &error);
  g_assert_null (record);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE);
  g_thread_join (writer);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_markdown (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  g_autofree char *markdown = cria_export_markdown (record, messages);

  g_assert_true (g_str_has_prefix (markdown, "# Soup \\*and\\* \\<bread\\>\n"));
  g_assert_nonnull (strstr (markdown, "<details>\n<summary>Reasoning</summary>\n\nRed goes with bread.\n\n</details>"));
  g_assert_nonnull (strstr (markdown, "![Image 2](https://example.com/a.jpg)"));
  g_assert_nonnull (strstr (markdown, "```c\nint x;\n```"));
  g_assert_nonnull (strstr (markdown, "*Stopped before the end.*"));
  /* Tool calls read as a name over their arguments, in a fence that holds them. */
  g_assert_nonnull (strstr (markdown, "**Tool call:** get\\_weather\n\n````json\n{\n  \"city\" : \"Paris ```\"\n}\n````"));
  g_assert_nonnull (strstr (markdown, "Once upon\n\n*The answer stopped at the length limit.*"));
}

static void
test_markdown_utf8 (void)
{
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  CriaMessageRecord *answer = g_ptr_array_index (messages, 1);
  g_autofree char *markdown = NULL;

  g_free (answer->content);
  answer->content = g_strdup ("Bad \xff bytes");
  markdown = cria_export_markdown (record, messages);
  g_assert_true (g_utf8_validate (markdown, -1, NULL));
  g_assert_nonnull (strstr (markdown, "Bad \xef\xbf\xbd bytes"));
}

/* Answers in LaTeX are exported as the model wrote them: delimiters,
 * backslashes, underscores, stars and dollars, byte for byte, with nothing
 * escaped as Markdown would escape text. */
static void
test_markdown_math (void)
{
  static const char question[] = "What is $\\int_0^1 x\\,dx$? Prices: $5 and $10.";
  static const char answer[] =
    "We need \\(F(x) = \\tfrac{x^2}{2}\\), so\n"
    "\\[\n"
    "\\int_0^1 x\\,dx = \\left[\\frac{x^2}{2}\\right]_0^1 = \\frac12\n"
    "\\]\n"
    "\n"
    "$$\n"
    "a_1 * b_2 = \\sum_{i} c_i^*\n"
    "$$\n"
    "\n"
    "\\begin{aligned}\n"
    "  x &= 1 \\\\\n"
    "  y &= 2\n"
    "\\end{aligned}\n"
    "\n"
    "> 1. $$x$$ and \\$5, `$HOME`\n"
    "\n"
    "It costs $0.03 per 1M tokens and Qwen $0.05.";
  g_autoptr(CriaConversationRecord) record = make_record ();
  g_autoptr(GPtrArray) messages = make_messages ();
  CriaMessageRecord *asked = g_ptr_array_index (messages, 0);
  CriaMessageRecord *answered = g_ptr_array_index (messages, 1);
  g_autofree char *markdown = NULL;

  g_free (asked->content);
  asked->content = g_strdup (question);
  g_free (answered->content);
  answered->content = g_strdup (answer);
  markdown = cria_export_markdown (record, messages);

  g_assert_nonnull (strstr (markdown, question));
  g_assert_nonnull (strstr (markdown, answer));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add_func ("/export/json-round-trip", test_json_round_trip);
  g_test_add_func ("/export/json-tiny-numbers", test_json_tiny_numbers);
  g_test_add_func ("/export/json-plain-openai", test_json_plain_openai);
  g_test_add_func ("/export/json-bad", test_json_bad);
  g_test_add_func ("/export/json-too-deep", test_json_too_deep);
  g_test_add_func ("/export/json-out-of-range", test_json_out_of_range);
  g_test_add_func ("/export/json-limits", test_json_limits);
  g_test_add_func ("/export/json-export-importable", test_json_export_importable);
  g_test_add_func ("/export/json-odd-but-valid", test_json_odd_but_valid);
  g_test_add_func ("/export/import-file", test_import_file);
  g_test_add_func ("/export/import-file-too-large", test_import_file_too_large);
  g_test_add_func ("/export/import-pipe-too-large", test_import_pipe_too_large);
  g_test_add_func ("/export/markdown", test_markdown);
  g_test_add_func ("/export/markdown-utf8", test_markdown_utf8);
  g_test_add_func ("/export/markdown-math", test_markdown_math);

  return g_test_run ();
}

/* test-recorder.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A conversation saved as it streams, including by a process killed mid-answer.
 */

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "cria-catalogue.h"
#include "cria-conversation-recorder.h"
#include "cria-store-private.h"
#include "cria-test-util.h"

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
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static CriaStore *
open_store (const char *path)
{
  CriaStore *store = cria_store_new (path);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_open_async (store, NULL, result_cb, &result);
  g_assert_true (cria_store_open_finish (store, wait_for_result (&result), NULL, &error));
  g_assert_no_error (error);
  g_object_unref (result);

  return store;
}

static GPtrArray *
load_only (CriaStore               *store,
           CriaConversationRecord **record)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  GPtrArray *messages = NULL;

  cria_store_list_conversations_async (store, NULL, result_cb, &result);
  records = cria_store_list_conversations_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (records->len, ==, 1);

  cria_store_load_conversation_async (store, ((CriaConversationRecord *) g_ptr_array_index (records, 0))->id,
                                      NULL, result_cb, &result);
  *record = cria_store_load_conversation_finish (store, wait_for_result (&result), &messages, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return messages;
}

static CriaConversation *
conversation_new (CriaClient *client)
{
  g_autoptr(GListModel) models = cria_catalogue_load (NULL);
  CriaConversation *conversation = cria_conversation_new (client, models);

  cria_conversation_set_model_id (conversation, "llama-3.1-8b");

  return conversation;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  cria_conversation_send_finish (CRIA_CONVERSATION (object), result, NULL);
  *done = TRUE;
}

static char *
make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cria-recorder-XXXXXX", &error);

  g_assert_no_error (error);

  return dir;
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (dir);
}

static void
expect_answer (CriaFakeServer *server,
               guint           delay)
{
  CriaFakeResponse *response = cria_fake_server_expect (server, "/v1/chat/completions");

  cria_fake_response_set_body_from_fixture (response, "text/event-stream", "streams/openai-basic.sse");
  if (delay > 0)
    {
      cria_fake_response_set_chunk_size (response, 24);
      cria_fake_response_set_chunk_delay (response, delay);
    }
}

static void
test_recorder_saves_and_restores (CriaTestFixture *f,
                                  gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaConversation) conversation = conversation_new (f->client);
  g_autoptr(CriaConversationRecorder) recorder = cria_conversation_recorder_new (store, conversation, NULL);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CriaConversation) again = NULL;
  CriaChatParams params = { .set = CRIA_CHAT_PARAM_SEED | CRIA_CHAT_PARAM_TOP_P, .seed = 7, .top_p = 0.8 };
  CriaMessageRecord *answer;
  gint64 seed = 0;
  double top_p = 0;
  gboolean done = FALSE;

  cria_conversation_set_params (conversation, &params);
  cria_conversation_set_temperature (conversation, 0.3);
  expect_answer (f->server, 0);
  cria_conversation_send_async (conversation, "Say hello", NULL, send_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* The parameters went out with the request. */
  {
    CriaFakeRequest *request = cria_fake_server_get_last_request (f->server);
    g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));

    g_assert_nonnull (strstr (body, "\"seed\":7"));
    g_assert_nonnull (strstr (body, "\"top_p\":0.8"));
    (void) seed;
    (void) top_p;
  }

  g_clear_object (&recorder);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);

  g_assert_cmpstr (record->title, ==, "Say hello");
  g_assert_cmpstr (record->model, ==, "llama-3.1-8b");
  g_assert_cmpint (record->params->seed, ==, 7);
  g_assert_cmpfloat (record->params->temperature, ==, 0.3);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->content, ==, "Say hello");
  answer = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (answer->content, ==, cria_message_get_content (g_list_model_get_item (G_LIST_MODEL (conversation), 1)));
  g_assert_cmpint (answer->state, ==, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_cmpint (answer->tokens_out, >, 0);
  g_assert_true (answer->params->set & CRIA_CHAT_PARAM_SEED);

  /* Restored, it is the same conversation. */
  again = conversation_new (f->client);
  for (guint i = 0; i < messages->len; i++)
    g_ptr_array_add (restored, cria_message_record_to_message (g_ptr_array_index (messages, i)));
  cria_conversation_restore (again, restored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);

  g_clear_object (&store);
  remove_dir (dir);
}

static void
edit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  cria_conversation_edit_and_resend_finish (CRIA_CONVERSATION (object), result, NULL);
  *done = TRUE;
}

static void
test_recorder_edit_and_delete (CriaTestFixture *f,
                               gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaConversation) conversation = conversation_new (f->client);
  g_autoptr(CriaConversationRecorder) recorder = cria_conversation_recorder_new (store, conversation, NULL);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CriaMessage) question = NULL;
  g_autoptr(CriaMessage) second = NULL;
  gboolean done = FALSE;

  for (guint i = 0; i < 2; i++)
    {
      expect_answer (f->server, 0);
      cria_conversation_send_async (conversation, i == 0 ? "First" : "Second", NULL, send_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      done = FALSE;
    }

  /* Editing the first question drops what followed it. */
  question = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  expect_answer (f->server, 0);
  cria_conversation_edit_and_resend_async (conversation, question, "First, edited", NULL, edit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);

  g_clear_object (&recorder);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->content, ==, "First, edited");
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->state, ==, CRIA_MESSAGE_STATE_COMPLETE);

  /* Deleting a message deletes it from the history. */
  recorder = cria_conversation_recorder_new (store, conversation, record->id);
  second = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  cria_conversation_delete (conversation, second);
  g_clear_object (&recorder);
  g_clear_pointer (&messages, g_ptr_array_unref);
  g_clear_pointer (&record, cria_conversation_record_free);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->content, ==, "First, edited");

  g_clear_object (&store);
  remove_dir (dir);
}

/* The child: streams an answer from @url into a conversation saved under
 * @path, and says on stdout when the answer has begun. */
/* Whether the store holds part of the answer at position 3. The store has
 * one worker that takes its jobs in order: the load comes after every
 * write queued before it. */
static gboolean
partial_answer_saved (CriaStore  *store,
                      const char *id)
{
  GAsyncResult *result = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  if (id == NULL)
    return FALSE;

  cria_store_load_conversation_async (store, id, NULL, result_cb, &result);
  record = cria_store_load_conversation_finish (store, wait_for_result (&result), &messages, NULL);
  g_object_unref (result);

  return record != NULL && messages != NULL && messages->len >= 4 &&
         *((CriaMessageRecord *) g_ptr_array_index (messages, 3))->content != '\0';
}

static int
crash_child (const char *path,
             const char *url)
{
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaClient) client = cria_client_new ();
  g_autoptr(CriaConversation) conversation = NULL;
  g_autoptr(CriaConversationRecorder) recorder = NULL;
  g_autoptr(CriaMessage) answer = NULL;
  gboolean done = FALSE;

  g_assert_true (cria_client_set_base_url (client, url, NULL));
  cria_client_set_api_key (client, g_getenv ("CRIA_TEST_CHILD_KEY"));
  conversation = conversation_new (client);
  recorder = cria_conversation_recorder_new (store, conversation, NULL);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("Question %u", i);

      cria_conversation_send_async (conversation, text, NULL, send_cb, &done);
      if (i == 1)
        break;
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      done = FALSE;
    }

  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 3);
  while (*cria_message_get_content (answer) == '\0')
    g_main_context_iteration (NULL, TRUE);
  g_print ("streaming\n");
  fflush (stdout);
  /* The recorder's own timer saves while the answer streams; each check
   * waits for the next thing to happen (a chunk, the timer). */
  while (!partial_answer_saved (store, cria_conversation_recorder_get_id (recorder)))
    g_main_context_iteration (NULL, TRUE);
  g_print ("saved\n");
  fflush (stdout);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}

static void
line_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

static void
test_recorder_survives_sigkill (CriaTestFixture *f,
                                gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  CriaMessageRecord *partial;
  const char *full = "Hello! How can I help you today?";

  expect_answer (f->server, 0);
  /* The second answer drips for seconds: the child dies while it streams. */
  expect_answer (f->server, 120);

  /* The made-up key goes by the environment, as a real one would. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "CRIA_TEST_CHILD_KEY", f->key, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error,
                                       g_test_get_filename (G_TEST_BUILT, "test-recorder", NULL),
                                       "--crash-child", path, cria_fake_server_get_base_url (f->server), NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (line, ==, "streaming");

  /* A save committed while the answer streams (it drips for seconds). */
  g_clear_pointer (&line, g_free);
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, line_cb, &line);
  while (line == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (line, ==, "saved");
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  store = open_store (path);
  messages = load_only (store, &record);
  g_assert_cmpuint (messages->len, ==, 4);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->content, ==, "Question 0");
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->content, ==, full);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 2))->content, ==, "Question 1");
  partial = g_ptr_array_index (messages, 3);
  g_assert_cmpuint (strlen (partial->content), >, 0);
  g_assert_cmpuint (strlen (partial->content), <, strlen (full));
  g_assert_true (g_str_has_prefix (full, partial->content));
  g_assert_cmpint (partial->state, ==, CRIA_MESSAGE_STATE_INTERRUPTED);

  /* Shown as interrupted, with a reason. */
  {
    g_autoptr(CriaMessage) message = cria_message_record_to_message (partial);

    g_assert_cmpint (cria_message_get_state (message), ==, CRIA_MESSAGE_STATE_INTERRUPTED);
    g_assert_nonnull (cria_message_get_error (message));
  }

  g_clear_object (&store);
  remove_dir (dir);
}

static void
write_failed_cb (CriaStore    *store,
                 const GError *error,
                 gboolean     *failed)
{
  *failed = TRUE;
}

static void
changed_cb (CriaStore                    *store,
            const CriaConversationRecord *record,
            gboolean                     *changed)
{
  *changed = TRUE;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Until *@flag is set, or a ceiling that only ends a hung test. */
static void
wait_until (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (30, set_flag_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
}

/* An answer finishes while the disk is full, so its last write fails. Once
 * there is room again, it is written without anything changing in it: it
 * stayed unsaved until a write committed, and the recorder tried again. */
static void
test_recorder_retries_after_disk_full (CriaTestFixture *f,
                                       gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaConversation) conversation = conversation_new (f->client);
  g_autoptr(CriaConversationRecorder) recorder = NULL;
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CriaMessage *answer;
  CriaMessageRecord *saved;
  struct rlimit limits, limited;
  void (*old_handler) (int);
  gboolean failed = FALSE;
  gboolean written = FALSE;

  g_setenv ("CRIA_RECORDER_RETRY_MS", "20", TRUE);
  recorder = cria_conversation_recorder_new (store, conversation, NULL);
  g_unsetenv ("CRIA_RECORDER_RETRY_MS");

  g_ptr_array_add (restored, cria_message_new (CRIA_ROLE_USER, "Write me a long story"));
  answer = cria_message_new (CRIA_ROLE_ASSISTANT, "Once");
  cria_message_set_state (answer, CRIA_MESSAGE_STATE_STREAMING);
  g_ptr_array_add (restored, answer);
  cria_conversation_restore (conversation, restored);
  {
    GAsyncResult *result = NULL;

    cria_store_flush_async (store, NULL, result_cb, &result);
    g_assert_true (cria_store_flush_finish (store, wait_for_result (&result), NULL));
    g_object_unref (result);
  }

  while (text->len < 4 * 1024 * 1024)
    g_string_append (text, "Once upon a time, a story too long for the disk. ");
  g_signal_connect (store, "write-failed", G_CALLBACK (write_failed_cb), &failed);

  /* Writing past the limit raises SIGXFSZ; ignored, write() fails instead. */
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &limits), ==, 0);
  limited = limits;
  limited.rlim_cur = MAX (file_size (path), file_size (wal)) + 64 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  cria_message_set_content (answer, text->str);
  cria_message_set_state (answer, CRIA_MESSAGE_STATE_COMPLETE);
  wait_until (&failed);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limits), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_assert_true (failed);

  /* Room again; nothing touches the answer. A retry writes it. */
  g_signal_connect (store, "conversation-changed", G_CALLBACK (changed_cb), &written);
  wait_until (&written);
  g_assert_true (written);

  g_clear_object (&recorder);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);
  g_assert_cmpuint (messages->len, ==, 2);
  saved = g_ptr_array_index (messages, 1);
  g_assert_cmpuint (strlen (saved->content), ==, text->len);
  g_assert_cmpint (saved->state, ==, CRIA_MESSAGE_STATE_COMPLETE);

  g_clear_object (&store);
  remove_dir (dir);
}

/* A long answer streams while the store's worker is stuck on a slow disk:
 * the recorder's saves of it never pile up (one waits, the newest), and once
 * the worker goes on, the whole answer is what is stored. */
static void
test_recorder_streams_to_a_slow_store (CriaTestFixture *f,
                                       gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaConversation) conversation = conversation_new (f->client);
  g_autoptr(CriaConversationRecorder) recorder = cria_conversation_recorder_new (store, conversation, NULL);
  g_autoptr(GPtrArray) restored = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CriaMessage *answer;
  CriaMessageRecord *saved;

  g_ptr_array_add (restored, cria_message_new (CRIA_ROLE_USER, "Write me a long story"));
  answer = cria_message_new (CRIA_ROLE_ASSISTANT, "");
  cria_message_set_state (answer, CRIA_MESSAGE_STATE_STREAMING);
  g_ptr_array_add (restored, answer);
  cria_conversation_restore (conversation, restored);

  _cria_store_hold_worker (store);
  for (guint i = 0; i < 100; i++)
    {
      g_string_append_printf (text, "Chapter %u, in which a great deal happens. ", i);
      while (text->len % 20000 != 0)
        g_string_append_c (text, '.');
      cria_message_set_content (answer, text->str);
      /* What the recorder's timer does every 500 ms. */
      cria_conversation_recorder_flush (recorder);
      /* The conversation and the question were written before the hold:
       * one save of the answer waits, the newest. */
      g_assert_cmpuint (_cria_store_get_n_queued (store), ==, 1);
    }
  cria_message_set_state (answer, CRIA_MESSAGE_STATE_COMPLETE);
  g_assert_cmpuint (_cria_store_get_n_queued (store), ==, 1);
  _cria_store_release_worker (store);

  g_clear_object (&recorder);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);
  g_assert_cmpuint (messages->len, ==, 2);
  saved = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (saved->content, ==, text->str);
  g_assert_cmpint (saved->state, ==, CRIA_MESSAGE_STATE_COMPLETE);

  g_clear_object (&store);
  remove_dir (dir);
}

/* Parameters changed on a saved conversation are written without anything
 * else changing, and read back from the reopened store. */
static void
test_recorder_saves_params (CriaTestFixture *f,
                            gconstpointer    data)
{
  g_autofree char *dir = make_dir ();
  g_autofree char *path = g_build_filename (dir, "cria.db", NULL);
  g_autoptr(CriaStore) store = open_store (path);
  g_autoptr(CriaConversation) conversation = conversation_new (f->client);
  g_autoptr(CriaConversationRecorder) recorder = cria_conversation_recorder_new (store, conversation, NULL);
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  CriaChatParams params = { .set = CRIA_CHAT_PARAM_SEED | CRIA_CHAT_PARAM_FREQUENCY_PENALTY,
                            .seed = 42, .frequency_penalty = 0.25 };
  gboolean done = FALSE;

  expect_answer (f->server, 0);
  cria_conversation_send_async (conversation, "Say hello", NULL, send_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* Only the parameters change, with nothing else to write them. */
  cria_conversation_set_params (conversation, &params);
  cria_conversation_set_max_tokens (conversation, 300);

  g_clear_object (&recorder);
  g_clear_object (&store);
  store = open_store (path);
  messages = load_only (store, &record);

  g_assert_true (record->params->set & CRIA_CHAT_PARAM_SEED);
  g_assert_cmpint (record->params->seed, ==, 42);
  g_assert_true (record->params->set & CRIA_CHAT_PARAM_FREQUENCY_PENALTY);
  g_assert_cmpfloat (record->params->frequency_penalty, ==, 0.25);
  g_assert_true (record->params->set & CRIA_CHAT_PARAM_MAX_TOKENS);
  g_assert_cmpint (record->params->max_tokens, ==, 300);
  g_assert_false (record->params->set & CRIA_CHAT_PARAM_TEMPERATURE);
  g_assert_cmpuint (messages->len, ==, 2);

  g_clear_object (&store);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2], argv[3]);

  cria_test_init (&argc, &argv);

  g_test_add ("/recorder/saves-and-restores", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_saves_and_restores, cria_test_fixture_tear_down);
  g_test_add ("/recorder/saves-params", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_saves_params, cria_test_fixture_tear_down);
  g_test_add ("/recorder/edit", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_edit_and_delete, cria_test_fixture_tear_down);
  g_test_add ("/recorder/survives-sigkill", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_survives_sigkill, cria_test_fixture_tear_down);
  g_test_add ("/recorder/streams-to-a-slow-store", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_streams_to_a_slow_store, cria_test_fixture_tear_down);
  g_test_add ("/recorder/retries-after-disk-full", CriaTestFixture, NULL,
              cria_test_fixture_set_up, test_recorder_retries_after_disk_full, cria_test_fixture_tear_down);

  return g_test_run ();
}

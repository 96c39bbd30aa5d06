/* test-store.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cria-catalogue.h"
#include "cria-conversation-list.h"
#include "cria-conversation-recorder.h"
#include "cria-store-private.h"
#include "cria-test-util.h"

typedef struct
{
  char      *dir;
  char      *path;
  CriaStore *store;
} Fixture;

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
flush (CriaStore *store)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_flush_async (store, NULL, result_cb, &result);
  g_assert_true (cria_store_flush_finish (store, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (result);
}

static CriaStore *
open_store (const char  *path,
            char       **moved_aside)
{
  CriaStore *store = cria_store_new (path);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_open_async (store, NULL, result_cb, &result);
  g_assert_true (cria_store_open_finish (store, wait_for_result (&result), moved_aside, &error));
  g_assert_no_error (error);
  g_object_unref (result);

  return store;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cria-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cria", "cria.db", NULL);
  if (data == NULL)
    f->store = open_store (f->path, NULL);
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
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static CriaConversationRecord *
make_conversation (const char *title,
                   gint64      updated)
{
  CriaConversationRecord *record = cria_conversation_record_new (NULL);

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = updated - 10;
  record->updated = updated;

  return record;
}

static CriaMessageRecord *
make_message (CriaRole    role,
              const char *content)
{
  CriaMessageRecord *record = cria_message_record_new ();

  record->id = g_uuid_string_random ();
  record->role = role;
  g_free (record->content);
  record->content = g_strdup (content);
  record->created = g_get_real_time ();

  return record;
}

static GPtrArray *
list (CriaStore *store)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  cria_store_list_conversations_async (store, NULL, result_cb, &result);
  records = cria_store_list_conversations_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return records;
}

static CriaConversationRecord *
load (CriaStore  *store,
      const char *id,
      GPtrArray **messages)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  CriaConversationRecord *record;

  cria_store_load_conversation_async (store, id, NULL, result_cb, &result);
  record = cria_store_load_conversation_finish (store, wait_for_result (&result), messages, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return record;
}

static GPtrArray *
search (CriaStore  *store,
        const char *text)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  cria_store_search_async (store, text, 20, NULL, result_cb, &result);
  hits = cria_store_search_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return hits;
}

/* Saves a conversation with @n messages alternating user and assistant. */
static CriaConversationRecord *
save_conversation (CriaStore  *store,
                   const char *title,
                   gint64      updated,
                   guint       n)
{
  CriaConversationRecord *record = make_conversation (title, updated);

  cria_store_save_conversation (store, record);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s message %u", title, i);
      g_autoptr(CriaMessageRecord) message = make_message (i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER, text);

      cria_store_save_message (store, record->id, i, message);
    }

  return record;
}

static void
test_store_save_and_load (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = make_conversation ("Soup recipes", 1000);
  g_autoptr(CriaMessageRecord) question = make_message (CRIA_ROLE_USER, "How do I make *soup*?");
  g_autoptr(CriaMessageRecord) answer = make_message (CRIA_ROLE_ASSISTANT, "Boil water.");
  CriaToolCall *call;
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  const char *stop[] = { "\n\n", "END", NULL };
  const char *images[] = { "data:image/png;base64,iVBORw0KGgo=", "https://example.com/cat.png", NULL };

  record->system_prompt = g_strdup ("Be brief.");
  record->params->set = CRIA_CHAT_PARAM_TEMPERATURE | CRIA_CHAT_PARAM_TOP_P | CRIA_CHAT_PARAM_STOP |
                        CRIA_CHAT_PARAM_SEED | CRIA_CHAT_PARAM_PRESENCE_PENALTY;
  record->params->temperature = 0.5;
  record->params->top_p = 0.9;
  record->params->stop = g_strdupv ((char **) stop);
  record->params->seed = 42;
  record->params->presence_penalty = -0.5;
  /* The answer format the chat asks for is kept with it. */
  record->params->set |= CRIA_CHAT_PARAM_RESPONSE_FORMAT;
  record->params->response_format = g_strdup ("{\"type\":\"json_object\"}");
  g_strfreev (question->image_urls);
  question->image_urls = g_strdupv ((char **) images);
  g_free (answer->reasoning);
  answer->reasoning = g_strdup ("Soup needs water.");
  answer->state = CRIA_MESSAGE_STATE_STOPPED;
  answer->model = g_strdup ("llama-3.1-8b");
  answer->tokens_in = 12;
  answer->tokens_out = 3;
  answer->reasoning_tokens = 1;
  answer->estimated = TRUE;
  answer->cost = 0.00042;
  answer->thinking_time = 1500000;
  answer->tokens_per_second = 31.5;
  answer->params->set = CRIA_CHAT_PARAM_TEMPERATURE;
  answer->params->temperature = 0.5;
  answer->finish_reason = CRIA_FINISH_REASON_LENGTH;
  call = cria_tool_call_new (0);
  call->id = g_strdup ("call_1");
  call->type = g_strdup ("function");
  call->name = g_strdup ("get_weather");
  call->arguments = g_strdup ("{\"location\": \"Soup \\\"town\\\"\"}");
  g_ptr_array_add (answer->tool_calls, call);

  cria_store_save_conversation (f->store, record);
  cria_store_save_message (f->store, record->id, 0, question);
  cria_store_save_message (f->store, record->id, 1, answer);

  loaded = load (f->store, record->id, &messages);
  g_assert_cmpstr (loaded->title, ==, "Soup recipes");
  g_assert_cmpstr (loaded->system_prompt, ==, "Be brief.");
  g_assert_true (cria_chat_params_equal (loaded->params, record->params));
  g_assert_cmpint (loaded->created, ==, record->created);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_true (cria_message_record_equal (g_ptr_array_index (messages, 0), question));
  g_assert_true (cria_message_record_equal (g_ptr_array_index (messages, 1), answer));
  /* Why it ended and the calls it asked for come back as they were. */
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->finish_reason, ==,
                   CRIA_FINISH_REASON_LENGTH);
  g_assert_cmpuint (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->tool_calls->len, ==, 1);
  g_assert_cmpint (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->finish_reason, ==,
                   CRIA_FINISH_REASON_NONE);
}

static void
test_store_images_once (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = make_conversation ("Pictures", 1000);
  const char *images[] = { "data:image/png;base64,iVBORw0KGgo=", NULL };
  sqlite3 *db;
  sqlite3_stmt *stmt;

  cria_store_save_conversation (f->store, record);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CriaMessageRecord) message = make_message (CRIA_ROLE_USER, "look");

      g_strfreev (message->image_urls);
      message->image_urls = g_strdupv ((char **) images);
      cria_store_save_message (f->store, record->id, i, message);
    }
  flush (f->store);

  /* The same picture in three messages is stored once. */
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*), length(data) FROM images", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 8);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_store_list_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) old = save_conversation (f->store, "Old", 1000, 2);
  g_autoptr(CriaConversationRecord) empty = make_conversation ("Empty", 5000);
  g_autoptr(CriaConversationRecord) recent = save_conversation (f->store, "Recent", 3000, 2);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(CriaConversationList) model = NULL;
  guint n_changes = 0;

  cria_store_save_conversation (f->store, empty);
  model = cria_conversation_list_new (f->store);
  records = list (f->store);

  /* Newest first; a conversation without messages is not listed. */
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (((CriaConversationRecord *) g_ptr_array_index (records, 0))->title, ==, "Recent");
  g_assert_cmpstr (((CriaConversationRecord *) g_ptr_array_index (records, 1))->title, ==, "Old");

  while (!cria_conversation_list_get_loaded (model))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  /* Pinning the old one moves it up, as one change over both rows. */
  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (count_cb), &n_changes);
  cria_store_set_pinned (f->store, old->id, TRUE);
  flush (f->store);
  g_assert_cmpuint (n_changes, ==, 1);
  {
    g_autoptr(CriaConversationInfo) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_cmpstr (cria_conversation_info_get_title (first), ==, "Old");
    g_assert_true (cria_conversation_info_get_pinned (first));
  }

  /* Renaming in place is a notification, not a move. */
  cria_store_rename_conversation (f->store, recent->id, "Renamed");
  flush (f->store);
  g_assert_cmpuint (n_changes, ==, 1);
  {
    g_autoptr(CriaConversationInfo) second = g_list_model_get_item (G_LIST_MODEL (model), 1);

    g_assert_cmpstr (cria_conversation_info_get_title (second), ==, "Renamed");
  }
}

static void
test_store_delete_and_undo (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Doomed", 1000, 4);
  g_autoptr(CriaConversationRecord) deleted = NULL;
  g_autoptr(CriaConversationRecord) back = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) back_messages = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  cria_store_delete_conversation_async (f->store, record->id, NULL, result_cb, &result);
  deleted = cria_store_delete_conversation_finish (f->store, wait_for_result (&result), &messages, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (messages->len, ==, 4);

  records = list (f->store);
  g_assert_cmpuint (records->len, ==, 0);
  hits = search (f->store, "Doomed");
  g_assert_cmpuint (hits->len, ==, 0);

  /* Undo puts back exactly what went. */
  cria_store_import_async (f->store, deleted, messages, NULL, result_cb, &result);
  g_assert_true (cria_store_import_finish (f->store, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  back = load (f->store, record->id, &back_messages);
  g_assert_true (cria_conversation_record_equal (back, deleted));
  g_assert_cmpuint (back_messages->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_true (cria_message_record_equal (g_ptr_array_index (back_messages, i),
                                              g_ptr_array_index (messages, i)));
}

static void
test_store_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = make_conversation ("Gardening <tips>", 1000);
  g_autoptr(CriaMessageRecord) question = make_message (CRIA_ROLE_USER, "When do <b>tomatoes</b> & peppers ripen?");
  g_autoptr(CriaMessageRecord) other = make_message (CRIA_ROLE_USER, "Nothing to see");
  g_autoptr(GPtrArray) hits = NULL;
  CriaSearchHit *hit;

  cria_store_save_conversation (f->store, record);
  cria_store_save_message (f->store, record->id, 0, question);
  cria_store_save_message (f->store, record->id, 1, other);

  /* A prefix finds the word; the text is escaped and only the match is bold. */
  hits = search (f->store, "tomat");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (hit), ==, record->id);
  g_assert_cmpstr (cria_search_hit_get_message_id (hit), ==, question->id);
  g_assert_cmpstr (cria_search_hit_get_snippet_markup (hit), ==,
                   "When do &lt;b&gt;<b>tomatoes</b>&lt;/b&gt; &amp; peppers ripen?");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* Titles match too. */
  hits = search (f->store, "garden");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_null (cria_search_hit_get_message_id (hit));
  g_assert_cmpstr (cria_search_hit_get_snippet_markup (hit), ==, "<b>Gardening</b> &lt;tips&gt;");
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* FTS5 syntax typed by the user is just text. */
  hits = search (f->store, "\"peppers AND NOT (");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (f->store, "peppers ripen");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* An edited message is found by its new text only. */
  g_free (question->content);
  question->content = g_strdup ("Cucumbers now");
  cria_store_save_message (f->store, record->id, 0, question);
  hits = search (f->store, "tomatoes");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (f->store, "cucumber");
  g_assert_cmpuint (hits->len, ==, 1);
}

static GPtrArray *
search_limited (CriaStore  *store,
                const char *text,
                guint       limit)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  cria_store_search_async (store, text, limit, NULL, result_cb, &result);
  hits = cria_store_search_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_object_unref (result);

  return hits;
}

/* One letter finds words of titles only; from two letters on, message text
 * is searched too. */
static void
test_store_search_short (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) titled = make_conversation ("Quokka facts", 1000);
  g_autoptr(CriaConversationRecord) other = make_conversation ("Walks", 2000);
  g_autoptr(CriaMessageRecord) question = make_message (CRIA_ROLE_USER, "Where do quokkas live?");
  g_autoptr(CriaMessageRecord) answer = make_message (CRIA_ROLE_ASSISTANT, "On Rottnest Island.");
  g_autoptr(CriaMessageRecord) walk = make_message (CRIA_ROLE_USER, "A quiet path");
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) spaced = NULL;
  g_autoptr(GPtrArray) two = NULL;

  cria_store_save_conversation (f->store, titled);
  cria_store_save_message (f->store, titled->id, 0, question);
  cria_store_save_message (f->store, titled->id, 1, answer);
  cria_store_save_conversation (f->store, other);
  cria_store_save_message (f->store, other->id, 0, walk);

  g_assert_false (cria_store_search_reaches_messages ("q"));
  g_assert_false (cria_store_search_reaches_messages (" q  "));
  g_assert_false (cria_store_search_reaches_messages ("é"));
  g_assert_true (cria_store_search_reaches_messages ("qu"));
  g_assert_true (cria_store_search_reaches_messages ("q u"));
  g_assert_true (cria_store_search_reaches_messages ("éa"));

  /* "q": the title, not the two messages with words in q. */
  one = search (f->store, "q");
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (one, 0)), ==, titled->id);
  g_assert_null (cria_search_hit_get_message_id (g_ptr_array_index (one, 0)));
  g_assert_cmpstr (cria_search_hit_get_snippet_markup (g_ptr_array_index (one, 0)), ==, "<b>Quokka</b> facts");
  spaced = search (f->store, "  q ");
  g_assert_cmpuint (spaced->len, ==, 1);

  /* "qu": the title, then the messages, newest first. */
  two = search (f->store, "qu");
  g_assert_cmpuint (two->len, ==, 3);
  g_assert_null (cria_search_hit_get_message_id (g_ptr_array_index (two, 0)));
  g_assert_cmpstr (cria_search_hit_get_message_id (g_ptr_array_index (two, 1)), ==, walk->id);
  g_assert_cmpstr (cria_search_hit_get_message_id (g_ptr_array_index (two, 2)), ==, question->id);
}

/* The list is capped: titles first, pinned then newest, taking at most half
 * of it when messages are searched too; messages fill the rest, newest
 * first. */
static void
test_store_search_ranked (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_conversation_record_free);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(GPtrArray) letter = NULL;
  g_autoptr(GPtrArray) word = NULL;
  g_autoptr(GPtrArray) few = NULL;
  CriaConversationRecord *pinned;

  /* Six "Garden" conversations, updated at 1000 … 6000, each with a message
   * about gardens; the oldest is pinned. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *title = g_strdup_printf ("Garden %u", i);
      CriaConversationRecord *record = make_conversation (title, 1000 * (i + 1));
      CriaMessageRecord *message = make_message (CRIA_ROLE_USER, "gardens in spring");

      cria_store_save_conversation (f->store, record);
      cria_store_save_message (f->store, record->id, 0, message);
      g_ptr_array_add (records, record);
      g_ptr_array_add (messages, message);
    }
  pinned = g_ptr_array_index (records, 0);
  cria_store_set_pinned (f->store, pinned->id, TRUE);

  /* One letter: titles only, the pinned one first, then newest first. */
  letter = search_limited (f->store, "g", 4);
  g_assert_cmpuint (letter->len, ==, 4);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (letter, 0)), ==, pinned->id);
  for (guint i = 1; i < 4; i++)
    {
      CriaConversationRecord *expected = g_ptr_array_index (records, 6 - i);
      CriaSearchHit *hit = g_ptr_array_index (letter, i);

      g_assert_cmpstr (cria_search_hit_get_conversation_id (hit), ==, expected->id);
      g_assert_null (cria_search_hit_get_message_id (hit));
    }

  /* A word: two titles and two messages, the newest. */
  word = search_limited (f->store, "garden", 4);
  g_assert_cmpuint (word->len, ==, 4);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (word, 0)), ==, pinned->id);
  g_assert_null (cria_search_hit_get_message_id (g_ptr_array_index (word, 1)));
  g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (word, 1)), ==,
                   ((CriaConversationRecord *) g_ptr_array_index (records, 5))->id);
  g_assert_cmpstr (cria_search_hit_get_message_id (g_ptr_array_index (word, 2)), ==,
                   ((CriaMessageRecord *) g_ptr_array_index (messages, 5))->id);
  g_assert_cmpstr (cria_search_hit_get_message_id (g_ptr_array_index (word, 3)), ==,
                   ((CriaMessageRecord *) g_ptr_array_index (messages, 4))->id);

  /* An odd cap: the titles' half is rounded up. */
  few = search_limited (f->store, "garden", 3);
  g_assert_cmpuint (few->len, ==, 3);
  g_assert_null (cria_search_hit_get_message_id (g_ptr_array_index (few, 1)));
  g_assert_nonnull (cria_search_hit_get_message_id (g_ptr_array_index (few, 2)));
}

/* Typing on: the query a keystroke replaced is cancelled and reports so,
 * even when the worker had not started it; the newest one answers. */
static void
test_store_search_superseded (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Violin lessons", 1000, 4);
  g_autoptr(GCancellable) first = g_cancellable_new ();
  g_autoptr(GCancellable) second = g_cancellable_new ();
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *first_result = NULL;
  GAsyncResult *second_result = NULL;

  flush (f->store);
  _cria_store_hold_worker (f->store);
  cria_store_search_async (f->store, "vi", 50, first, result_cb, &first_result);
  cria_store_search_async (f->store, "violin", 50, second, result_cb, &second_result);
  g_assert_cmpuint (_cria_store_get_n_queued (f->store), ==, 2);
  g_cancellable_cancel (first);
  _cria_store_release_worker (f->store);

  none = cria_store_search_finish (f->store, wait_for_result (&first_result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (none);
  hits = cria_store_search_finish (f->store, wait_for_result (&second_result), NULL);
  g_assert_nonnull (hits);
  /* The title, then the four messages ("Violin lessons message N"). */
  g_assert_cmpuint (hits->len, ==, 5);
  g_object_unref (first_result);
  g_object_unref (second_result);
}

/* An answer is found by search once it has finished streaming (it is not
 * indexed again on every save while it streams), and by its final text only. */
static void
test_store_search_streaming (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Animals", 1000, 1);
  g_autoptr(CriaMessageRecord) answer = make_message (CRIA_ROLE_ASSISTANT, "A zebra");
  g_autoptr(GPtrArray) streaming = NULL;
  g_autoptr(GPtrArray) finished = NULL;
  g_autoptr(GPtrArray) changed = NULL;
  g_autoptr(GPtrArray) old_text = NULL;
  g_autoptr(GPtrArray) deleted = NULL;
  GAsyncResult *result = NULL;

  answer->state = CRIA_MESSAGE_STATE_STREAMING;
  cria_store_save_message (f->store, record->id, 1, answer);
  g_free (answer->content);
  answer->content = g_strdup ("A zebra and a walrus");
  cria_store_save_message (f->store, record->id, 1, answer);
  streaming = search (f->store, "zebra");
  g_assert_cmpuint (streaming->len, ==, 0);

  answer->state = CRIA_MESSAGE_STATE_COMPLETE;
  cria_store_save_message (f->store, record->id, 1, answer);
  finished = search (f->store, "walrus");
  g_assert_cmpuint (finished->len, ==, 1);
  g_assert_cmpstr (cria_search_hit_get_message_id (g_ptr_array_index (finished, 0)), ==, answer->id);

  /* Edited after it finished: the old words leave the index. */
  g_free (answer->content);
  answer->content = g_strdup ("A giraffe");
  cria_store_save_message (f->store, record->id, 1, answer);
  changed = search (f->store, "giraffe");
  g_assert_cmpuint (changed->len, ==, 1);
  old_text = search (f->store, "walrus");
  g_assert_cmpuint (old_text->len, ==, 0);

  cria_store_delete_conversation_async (f->store, record->id, NULL, result_cb, &result);
  cria_conversation_record_free (cria_store_delete_conversation_finish (f->store, wait_for_result (&result),
                                                                       NULL, NULL));
  g_object_unref (result);
  deleted = search (f->store, "giraffe");
  g_assert_cmpuint (deleted->len, ==, 0);
}

static void
test_store_set_messages (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = make_conversation ("Edits", 1000);
  g_autoptr(CriaMessageRecord) a = make_message (CRIA_ROLE_USER, "a");
  g_autoptr(CriaMessageRecord) b = make_message (CRIA_ROLE_ASSISTANT, "b");
  g_autoptr(CriaMessageRecord) c = make_message (CRIA_ROLE_USER, "c");
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  const char *order[] = { c->id, a->id, NULL };

  cria_store_save_conversation (f->store, record);
  cria_store_save_message (f->store, record->id, 0, a);
  cria_store_save_message (f->store, record->id, 1, b);
  cria_store_save_message (f->store, record->id, 2, c);
  cria_store_set_messages (f->store, record->id, order);

  loaded = load (f->store, record->id, &messages);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 0))->content, ==, "c");
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 1))->content, ==, "a");
}

/* A database as the first schema made it, written by hand. */
static const char schema_v1[] =
  "CREATE TABLE conversations (id TEXT PRIMARY KEY NOT NULL, title TEXT, model TEXT,"
  " system_prompt TEXT, temperature REAL, max_tokens INTEGER, created INTEGER NOT NULL,"
  " updated INTEGER NOT NULL);"
  "CREATE INDEX conversations_updated ON conversations (updated);"
  "CREATE TABLE messages (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
  " conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  " position INTEGER NOT NULL, role TEXT NOT NULL, content TEXT NOT NULL DEFAULT '',"
  " reasoning TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'complete', model TEXT,"
  " tokens_in INTEGER, tokens_out INTEGER, estimated INTEGER NOT NULL DEFAULT 0, cost REAL,"
  " thinking_time INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
  "CREATE INDEX messages_conversation ON messages (conversation_id, position);"
  "CREATE TABLE images (hash TEXT PRIMARY KEY NOT NULL, mime TEXT, data BLOB, url TEXT);"
  "CREATE TABLE message_images (message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  " idx INTEGER NOT NULL, hash TEXT NOT NULL REFERENCES images (hash), PRIMARY KEY (message_id, idx));"
  "CREATE INDEX message_images_hash ON message_images (hash);"
  "INSERT INTO conversations VALUES ('c1', 'Old times', 'llama-3.1-8b', 'Be kind.', 0.7, 256, 10, 20);"
  "INSERT INTO messages (uuid, conversation_id, position, role, content, state, created)"
  " VALUES ('m1', 'c1', 0, 'user', 'Remember the walrus', 'complete', 11);"
  "INSERT INTO messages (uuid, conversation_id, position, role, content, reasoning, state, model,"
  " tokens_in, tokens_out, cost, created)"
  " VALUES ('m2', 'c1', 1, 'assistant', 'Goo goo g''joob', 'Lyrics', 'streaming', 'llama-3.1-8b', 5, 6, 0.001, 12);"
  "PRAGMA user_version = 1;";

static void
make_database (const char *path,
               const char *sql)
{
  g_autofree char *dir = g_path_get_dirname (path);
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_store_migrate_v0 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  /* An empty file is a version 0 database. */
  make_database (f->path, "");
  f->store = open_store (f->path, NULL);
  records = list (f->store);
  g_assert_cmpuint (records->len, ==, 0);
}

static void
test_store_migrate_v1 (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *moved = NULL;
  CriaMessageRecord *answer;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  make_database (f->path, schema_v1);
  f->store = open_store (f->path, &moved);
  g_assert_null (moved);

  record = load (f->store, "c1", &messages);
  g_assert_cmpstr (record->title, ==, "Old times");
  g_assert_cmpstr (record->system_prompt, ==, "Be kind.");
  g_assert_cmpfloat (record->params->temperature, ==, 0.7);
  g_assert_cmpint (record->params->max_tokens, ==, 256);
  g_assert_false (record->pinned);
  g_assert_cmpuint (messages->len, ==, 2);
  answer = g_ptr_array_index (messages, 1);
  g_assert_cmpstr (answer->content, ==, "Goo goo g'joob");
  g_assert_cmpstr (answer->reasoning, ==, "Lyrics");
  g_assert_cmpint (answer->tokens_out, ==, 6);
  /* Left streaming by the last run: interrupted now. */
  g_assert_cmpint (answer->state, ==, CRIA_MESSAGE_STATE_INTERRUPTED);
  /* Saved before finish reasons and tool calls were: none of either. */
  g_assert_cmpint (answer->finish_reason, ==, CRIA_FINISH_REASON_NONE);
  g_assert_cmpuint (answer->tool_calls->len, ==, 0);

  /* Old messages are searchable after the upgrade. */
  hits = search (f->store, "walrus");
  g_assert_cmpuint (hits->len, ==, 1);

  flush (f->store);
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, CRIA_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_store_too_new (Fixture       *f,
                    gconstpointer  data)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  make_database (f->path, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  f->store = cria_store_new (f->path);
  cria_store_open_async (f->store, NULL, result_cb, &result);
  g_assert_false (cria_store_open_finish (f->store, wait_for_result (&result), NULL, &error));
  g_assert_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_TOO_NEW);
  g_object_unref (result);
  /* A newer Cria's history is left alone. */
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static void
test_store_corrupt (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *moved = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  char garbage[4096];
  gsize len;

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = (char) (i * 7 + 3);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (f->path, garbage, sizeof garbage, &error));
  g_assert_no_error (error);

  f->store = open_store (f->path, &moved);

  /* The bad file is moved aside, kept as it was, and a fresh history works. */
  g_assert_nonnull (moved);
  g_assert_true (g_str_has_prefix (moved, f->path));
  g_assert_true (g_file_get_contents (moved, &kept, &len, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (kept, len, garbage, sizeof garbage);

  record = save_conversation (f->store, "Fresh", 1000, 2);
  records = list (f->store);
  g_assert_cmpuint (records->len, ==, 1);
}

static void
test_store_unavailable (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (f->dir, "cria", NULL);
  g_autofree char *path = g_build_filename (blocker, "cria.db", NULL);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  /* A file where the folder should be: nothing can be opened. */
  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  f->store = cria_store_new (path);
  cria_store_open_async (f->store, NULL, result_cb, &result);
  g_assert_false (cria_store_open_finish (f->store, wait_for_result (&result), NULL, &error));
  g_assert_nonnull (error);
  g_clear_object (&result);
  g_clear_error (&error);

  cria_store_list_conversations_async (f->store, NULL, result_cb, &result);
  records = cria_store_list_conversations_finish (f->store, wait_for_result (&result), &error);
  g_assert_error (error, CRIA_STORE_ERROR, CRIA_STORE_ERROR_UNAVAILABLE);
  g_assert_null (records);
  g_object_unref (result);
  g_unlink (blocker);
}

static void
fts_query (void)
{
  g_autofree char *a = _cria_store_make_fts_query ("  hello   wor\"ld ");
  g_autofree char *b = _cria_store_make_fts_query (" \t ");

  g_assert_cmpstr (a, ==, "\"hello\"* \"wor\"\"ld\"*");
  g_assert_null (b);
}

static void
write_failed_cb (CriaStore    *store,
                 const GError *error,
                 GError      **slot)
{
  if (*slot == NULL)
    *slot = g_error_copy (error);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* The disk fills up while an answer is saved: the kernel refuses to let the
 * database's files grow (a file-size limit, RLIMIT_FSIZE, which even root
 * cannot write past). The failure is reported in words, what was saved
 * before is intact, and saving works again once there is room. */
static void
test_store_disk_full (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Before the disk filled", 1000, 2);
  g_autoptr(CriaMessageRecord) huge = NULL;
  g_autoptr(CriaMessageRecord) later = make_message (CRIA_ROLE_USER, "Room again");
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  struct rlimit saved, limited;
  void (*old_handler) (int);
  GString *text = g_string_new (NULL);

  flush (f->store);
  g_signal_connect (f->store, "write-failed", G_CALLBACK (write_failed_cb), &failure);

  while (text->len < 4 * 1024 * 1024)
    g_string_append (text, "A very long answer that will not fit on the disk. ");
  huge = make_message (CRIA_ROLE_ASSISTANT, text->str);
  g_string_free (text, TRUE);

  /* Writing past the limit raises SIGXFSZ; ignored, write() fails instead. */
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limited = saved;
  limited.rlim_cur = MAX (file_size (f->path), file_size (wal)) + 64 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limited), ==, 0);

  cria_store_save_message (f->store, record->id, 2, huge);
  {
    GAsyncResult *result = NULL;

    cria_store_flush_async (f->store, NULL, result_cb, &result);
    cria_store_flush_finish (f->store, wait_for_result (&result), NULL);
    g_object_unref (result);
  }

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, old_handler);

  g_assert_nonnull (failure);
  g_test_message ("reported: %s", failure->message);
  g_assert_true (g_error_matches (failure, CRIA_STORE_ERROR, CRIA_STORE_ERROR_FULL) ||
                 g_error_matches (failure, CRIA_STORE_ERROR, CRIA_STORE_ERROR_READ_ONLY));
  g_assert_true (strstr (failure->message, "disk") != NULL);

  /* What was saved before is all there, and nothing half-written. */
  loaded = load (f->store, record->id, &messages);
  g_assert_cmpstr (loaded->title, ==, "Before the disk filled");
  g_assert_cmpuint (messages->len, ==, 2);

  /* With room again, saving goes on. */
  g_clear_pointer (&messages, g_ptr_array_unref);
  g_clear_pointer (&loaded, cria_conversation_record_free);
  cria_store_save_message (f->store, record->id, 2, later);
  loaded = load (f->store, record->id, &messages);
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpstr (((CriaMessageRecord *) g_ptr_array_index (messages, 2))->content, ==, "Room again");
}

static void
save_done_cb (const GError *error,
              gpointer      user_data)
{
  int *outcome = user_data;

  *outcome = error == NULL ? 1 : -1;
}

static void
count_destroy_cb (gpointer user_data)
{
  int *outcome = user_data;

  outcome[1]++;
}

/* A streaming answer is saved again and again while the worker is stuck on
 * a slow write: the queue holds one save of it, the newest, never a pile of
 * growing copies, and what is written in the end is the whole answer. */
static void
test_store_save_coalesced (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Streaming", 1000, 1);
  g_autoptr(CriaMessageRecord) answer = make_message (CRIA_ROLE_ASSISTANT, "");
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  CriaMessageRecord *saved;
  int outcome[2] = { 0, 0 };
  guint n_saves = 200;

  flush (f->store);
  answer->state = CRIA_MESSAGE_STATE_STREAMING;

  _cria_store_hold_worker (f->store);
  g_assert_cmpuint (_cria_store_get_n_queued (f->store), ==, 0);
  for (guint i = 0; i < n_saves; i++)
    {
      g_string_append_printf (text, "Part %u of a long answer. ", i);
      while (text->len % 10000 != 0)
        g_string_append_c (text, 'x');
      g_free (answer->content);
      answer->content = g_strdup (text->str);
      if (i == n_saves - 1)
        answer->state = CRIA_MESSAGE_STATE_COMPLETE;
      cria_store_save_message_full (f->store, record->id, 1, answer,
                                    i == n_saves - 1 ? save_done_cb : NULL, outcome, count_destroy_cb);
      g_assert_cmpuint (_cria_store_get_n_queued (f->store), <=, 1);
    }
  /* Every replaced save let go of its data; the last one is still waiting. */
  g_assert_cmpint (outcome[1], ==, n_saves - 1);
  g_assert_cmpint (outcome[0], ==, 0);
  _cria_store_release_worker (f->store);

  flush (f->store);
  g_assert_cmpint (outcome[0], ==, 1);
  g_assert_cmpint (outcome[1], ==, n_saves);

  loaded = load (f->store, record->id, &messages);
  g_assert_cmpuint (messages->len, ==, 2);
  saved = g_ptr_array_index (messages, 1);
  g_assert_cmpuint (strlen (saved->content), ==, text->len);
  g_assert_cmpstr (saved->content, ==, text->str);
  g_assert_cmpint (saved->state, ==, CRIA_MESSAGE_STATE_COMPLETE);
}

static guint
file_mode (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);

  return st.st_mode & 0777;
}

/* The history is private: the database and its -wal and -shm are the
 * user's alone, whatever the umask, and a file that was readable by others
 * is made private on opening. */
static void
test_store_private_files (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autoptr(CriaConversationRecord) record = NULL;
  mode_t old_umask = umask (022);

  f->store = open_store (f->path, NULL);
  record = save_conversation (f->store, "Private", 1000, 2);
  flush (f->store);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (f->path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_clear_object (&f->store);

  /* Made by an older Cria, readable by everyone. */
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);
  f->store = open_store (f->path, NULL);
  flush (f->store);
  g_assert_cmpuint (file_mode (f->path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  umask (old_umask);
}

/* Whatever bytes the file holds (written by another program, or damaged),
 * the text that leaves the store is valid UTF-8. */
static void
test_store_invalid_utf8 (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = save_conversation (f->store, "Broken", 1000, 2);
  g_autoptr(CriaConversationRecord) loaded = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  static const char bad[] = "Broken \xff\xfe text \xc3";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  flush (f->store);
  g_clear_object (&f->store);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE messages SET content = ?1, reasoning = ?1, model = ?1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, bad, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE conversations SET title = ?1, model = ?1, system_prompt = ?1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, bad, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  f->store = open_store (f->path, NULL);
  loaded = load (f->store, record->id, &messages);
  g_assert_true (g_utf8_validate (loaded->title, -1, NULL));
  g_assert_true (g_str_has_prefix (loaded->title, "Broken "));
  g_assert_true (g_utf8_validate (loaded->model, -1, NULL));
  g_assert_true (g_utf8_validate (loaded->system_prompt, -1, NULL));
  g_assert_cmpuint (messages->len, ==, 2);
  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);

      g_assert_true (g_utf8_validate (message->content, -1, NULL));
      g_assert_true (g_str_has_prefix (message->content, "Broken "));
      g_assert_true (g_utf8_validate (message->reasoning, -1, NULL));
      g_assert_true (g_utf8_validate (message->model, -1, NULL));
    }

  records = list (f->store);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_true (g_utf8_validate (((CriaConversationRecord *) g_ptr_array_index (records, 0))->title, -1, NULL));

  hits = search (f->store, "text");
  g_assert_cmpuint (hits->len, >, 0);
  for (guint i = 0; i < hits->len; i++)
    {
      CriaSearchHit *hit = g_ptr_array_index (hits, i);

      g_assert_true (g_utf8_validate (cria_search_hit_get_title (hit), -1, NULL));
      g_assert_true (g_utf8_validate (cria_search_hit_get_snippet_markup (hit), -1, NULL));
    }
}

/* The child of /store/concurrent-open: says it is ready, waits for the go,
 * opens @path and checks it finds the whole schema. */
static int
open_child (const char *path)
{
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(GPtrArray) records = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int tables = -1;
  char go;

  if (write (STDOUT_FILENO, "r", 1) != 1 || read (STDIN_FILENO, &go, 1) != 1)
    return 2;

  store = open_store (path, NULL);
  records = list (store);
  g_assert_cmpuint (records->len, ==, 0);

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                                       " ('conversations', 'messages', 'messages_fts', 'conversations_fts')",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    tables = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (version != CRIA_STORE_SCHEMA_VERSION || tables != 4)
    {
      g_printerr ("schema %d, %d of 4 tables\n", version, tables);
      return 1;
    }

  return 0;
}

/* Two Crias open the same new history at the same moment, twenty times:
 * both open it and both find the whole schema. */
static void
test_store_concurrent_open (Fixture       *f,
                           gconstpointer  data)
{
  const char *self = g_test_get_filename (G_TEST_BUILT, "test-store", NULL);

  for (guint trial = 0; trial < 20; trial++)
    {
      g_autofree char *name = g_strdup_printf ("shared-%u.db", trial);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      GSubprocess *children[2];

      for (guint i = 0; i < G_N_ELEMENTS (children); i++)
        {
          g_autoptr(GError) error = NULL;
          char ready = 0;

          children[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                          self, "--open-child", path, NULL);
          g_assert_no_error (error);
          g_assert_cmpint (g_input_stream_read (g_subprocess_get_stdout_pipe (children[i]), &ready, 1, NULL, &error),
                           ==, 1);
          g_assert_no_error (error);
          g_assert_cmpint (ready, ==, 'r');
        }

      /* Both are waiting: let them go together. */
      for (guint i = 0; i < G_N_ELEMENTS (children); i++)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (g_output_stream_write_all (g_subprocess_get_stdin_pipe (children[i]), "g", 1,
                                                    NULL, NULL, &error));
          g_assert_no_error (error);
        }

      for (guint i = 0; i < G_N_ELEMENTS (children); i++)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (g_subprocess_wait (children[i], NULL, &error));
          g_assert_no_error (error);
          if (!g_subprocess_get_if_exited (children[i]) || g_subprocess_get_exit_status (children[i]) != 0)
            g_test_message ("trial %u: child %u failed", trial, i);
          g_assert_true (g_subprocess_get_if_exited (children[i]));
          g_assert_cmpint (g_subprocess_get_exit_status (children[i]), ==, 0);
          g_object_unref (children[i]);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--open-child"))
    return open_child (argv[2]);

  cria_test_init (&argc, &argv);

  g_test_add_func ("/store/fts-query", fts_query);
  g_test_add ("/store/save-and-load", Fixture, NULL, fixture_set_up, test_store_save_and_load, fixture_tear_down);
  g_test_add ("/store/images-once", Fixture, NULL, fixture_set_up, test_store_images_once, fixture_tear_down);
  g_test_add ("/store/list-order", Fixture, NULL, fixture_set_up, test_store_list_order, fixture_tear_down);
  g_test_add ("/store/delete-and-undo", Fixture, NULL, fixture_set_up, test_store_delete_and_undo, fixture_tear_down);
  g_test_add ("/store/search", Fixture, NULL, fixture_set_up, test_store_search, fixture_tear_down);
  g_test_add ("/store/search-short", Fixture, NULL, fixture_set_up, test_store_search_short, fixture_tear_down);
  g_test_add ("/store/search-ranked", Fixture, NULL, fixture_set_up, test_store_search_ranked, fixture_tear_down);
  g_test_add ("/store/search-superseded", Fixture, NULL, fixture_set_up, test_store_search_superseded,
              fixture_tear_down);
  g_test_add ("/store/search-streaming", Fixture, NULL, fixture_set_up, test_store_search_streaming,
              fixture_tear_down);
  g_test_add ("/store/set-messages", Fixture, NULL, fixture_set_up, test_store_set_messages, fixture_tear_down);
  g_test_add ("/store/disk-full", Fixture, NULL, fixture_set_up, test_store_disk_full, fixture_tear_down);
  g_test_add ("/store/save-coalesced", Fixture, NULL, fixture_set_up, test_store_save_coalesced, fixture_tear_down);
  g_test_add ("/store/invalid-utf8", Fixture, NULL, fixture_set_up, test_store_invalid_utf8, fixture_tear_down);
  g_test_add ("/store/private-files", Fixture, "later", fixture_set_up, test_store_private_files, fixture_tear_down);
  g_test_add ("/store/concurrent-open", Fixture, "later", fixture_set_up, test_store_concurrent_open,
              fixture_tear_down);
  g_test_add ("/store/migrate/v0", Fixture, "later", fixture_set_up, test_store_migrate_v0, fixture_tear_down);
  g_test_add ("/store/migrate/v1", Fixture, "later", fixture_set_up, test_store_migrate_v1, fixture_tear_down);
  g_test_add ("/store/too-new", Fixture, "later", fixture_set_up, test_store_too_new, fixture_tear_down);
  g_test_add ("/store/corrupt", Fixture, "later", fixture_set_up, test_store_corrupt, fixture_tear_down);
  g_test_add ("/store/unavailable", Fixture, "later", fixture_set_up, test_store_unavailable, fixture_tear_down);

  return g_test_run ();
}

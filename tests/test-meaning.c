/* test-meaning.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Search by meaning over a real store, with the fake LlamaGate's
 * embeddings (hashed, stemmed word vectors: tests/cria-test-embed.c).
 */

#include <string.h>

#include <glib/gstdio.h>

#include "cria-meaning.h"
#include "cria-search-hit.h"
#include "cria-store-meaning.h"
#include "cria-test-embed.h"
#include "cria-test-util.h"

typedef struct
{
  CriaTestFixture     base;
  CriaTestEmbedCounts counts;
  char               *dir;
  CriaStore          *store;
  CriaMeaning        *meaning;
} Fixture;

/* Subjects, each a conversation of a question and an answer. */
static const char * const history[][3] = {
  { "heat", "My heat pump makes a loud hum at night",
    "A heat pump that hums at night often has a worn fan motor or a loose panel." },
  { "bread", "How do I feed my sourdough starter?",
    "Feed the starter flour and water once a day and keep it warm." },
  { "tax", "When is the deadline for filing income tax?",
    "Income tax returns are due in April; an extension gives you until October." },
  { "bike", "My bicycle chain keeps slipping off the gear",
    "A slipping chain usually means a stretched chain or a worn cassette." },
  { "markup", "Is <b>volcano</b> & lava the same?",
    "Lava is molten rock that a volcano erupted." },
};

/* The subjects of most tests: the last one is for escaping only. */
#define N_SUBJECTS 4

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

static void
import (Fixture    *f,
        guint       index)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (history[index][0]);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  record->title = g_strdup (history[index][0]);
  record->created = record->updated = 1000 + index;
  for (guint i = 0; i < 2; i++)
    {
      CriaMessageRecord *message = cria_message_record_new ();

      message->id = g_strdup_printf ("%s-%u", history[index][0], i);
      message->role = i == 0 ? CRIA_ROLE_USER : CRIA_ROLE_ASSISTANT;
      g_free (message->content);
      message->content = g_strdup (history[index][i + 1]);
      message->created = 1000 + index;
      g_ptr_array_add (messages, message);
    }

  cria_store_import_async (f->store, record, messages, NULL, result_cb, &result);
  g_assert_true (cria_store_import_finish (f->store, wait_for (&result), &error));
  g_assert_no_error (error);
}

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  cria_test_fixture_set_up (&f->base, data);
  cria_test_embed_serve (f->base.server, &f->counts);
  f->dir = g_dir_make_tmp ("cria-meaning-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "history.db", NULL);
  f->store = cria_store_new (path);
  cria_store_open_async (f->store, NULL, result_cb, &result);
  g_assert_true (cria_store_open_finish (f->store, wait_for (&result), NULL, &error));
  g_assert_no_error (error);

  f->meaning = cria_meaning_new (f->store, f->base.client);
  _cria_meaning_set_delay (f->meaning, 0);
}

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* What the store still had to answer (a count) is answered first. */
  cria_store_flush_async (f->store, NULL, result_cb, &result);
  cria_store_flush_finish (f->store, wait_for (&result), NULL);
  g_clear_object (&result);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->meaning);
  g_assert_finalize_object (f->store);

  dir = g_dir_open (f->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  cria_test_fixture_tear_down (&f->base, data);
}

/* Waits until the pending count is known and indexing is over. */
static void
wait_indexed (Fixture *f)
{
  while (cria_meaning_get_indexing (f->meaning) || cria_meaning_get_n_pending (f->meaning) < 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_count (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Counts queue behind what the store does: a flush waits for them. */
  cria_meaning_refresh (f->meaning);
  cria_store_flush_async (f->store, NULL, result_cb, &result);
  g_assert_true (cria_store_flush_finish (f->store, wait_for (&result), &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GPtrArray *
search (Fixture    *f,
        const char *text)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *hits;

  cria_meaning_search_async (f->meaning, text, 5, NULL, result_cb, &result);
  hits = cria_meaning_search_finish (f->meaning, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (hits);

  return hits;
}

static guint
n_vectors (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaMessageVectors) vectors = NULL;

  cria_store_load_message_vectors_async (f->store, "nomic-embed-text", NULL, result_cb, &result);
  vectors = cria_store_load_message_vectors_finish (f->store, wait_for (&result), &error);
  g_assert_no_error (error);

  return vectors->n;
}

/* "heating pumps" shares no word with the heat pump conversation as it is
 * written (word search, by prefixes, finds nothing), yet means it. */
static void
test_finds_by_meaning (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  CriaSearchHit *best;

  for (guint i = 0; i < N_SUBJECTS; i++)
    import (f, i);

  cria_store_search_async (f->store, "heating pumps", 10, NULL, result_cb, &result);
  words = cria_store_search_finish (f->store, wait_for (&result), NULL);
  g_assert_cmpuint (words->len, ==, 0);

  /* Off: nothing is embedded, and a search asks nothing. */
  wait_count (f);
  g_assert_cmpint (cria_meaning_get_n_pending (f->meaning), ==, 8);
  g_assert_cmpint (cria_meaning_get_pending_tokens (f->meaning), >, 8 * 5);
  hits = search (f, "heating pumps");
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  g_assert_cmpuint (f->counts.n_requests, ==, 0);

  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);
  g_assert_null (cria_meaning_get_error (f->meaning));
  g_assert_cmpint (cria_meaning_get_n_pending (f->meaning), ==, 0);
  g_assert_cmpuint (cria_meaning_get_n_done (f->meaning), ==, 8);
  /* In one batch, not a request per message. */
  g_assert_cmpuint (f->counts.n_requests, ==, 1);
  g_assert_cmpuint (f->counts.n_inputs, ==, 8);
  g_assert_cmpuint (n_vectors (f), ==, 8);

  hits = search (f, "heating pumps");
  g_assert_cmpuint (hits->len, >=, 1);
  best = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (best), ==, "heat");
  g_assert_true (cria_search_hit_get_by_meaning (best));
  g_assert_nonnull (cria_search_hit_get_message_id (best));
  g_assert_true (g_str_has_prefix (cria_search_hit_get_message_id (best), "heat-"));
  /* One hit per conversation. */
  for (guint i = 1; i < hits->len; i++)
    g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (hits, i)), !=, "heat");
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = search (f, "chains slipped");
  g_assert_cmpuint (hits->len, >=, 1);
  g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (hits, 0)), ==, "bike");
}

/* Switched off halfway, it keeps what it did; switched on again, it embeds
 * only the rest, and messages saved later are embedded too. */
static void
test_resumes (Fixture       *f,
              gconstpointer  data)
{
  import (f, 0);
  import (f, 1);
  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);
  g_assert_cmpuint (f->counts.n_inputs, ==, 4);

  cria_meaning_set_enabled (f->meaning, FALSE);
  import (f, 2);
  import (f, 3);
  wait_count (f);
  g_assert_cmpint (cria_meaning_get_n_pending (f->meaning), ==, 4);
  g_assert_cmpuint (f->counts.n_inputs, ==, 4);
  g_assert_cmpuint (n_vectors (f), ==, 4);

  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);
  g_assert_cmpuint (f->counts.n_inputs, ==, 8);
  g_assert_cmpuint (n_vectors (f), ==, 8);

  /* A message whose text changes loses its vector, and is embedded again
   * after the save. */
  {
    g_autoptr(CriaMessageRecord) message = cria_message_record_new ();
    g_autoptr(GAsyncResult) result = NULL;

    message->id = g_strdup ("tax-1");
    message->role = CRIA_ROLE_ASSISTANT;
    g_free (message->content);
    message->content = g_strdup ("Returns are due in April.");
    message->created = 1002;
    cria_store_save_message (f->store, "tax", 1, message);
    cria_store_flush_async (f->store, NULL, result_cb, &result);
    g_assert_true (cria_store_flush_finish (f->store, wait_for (&result), NULL));
    while (f->counts.n_inputs < 9)
      g_main_context_iteration (NULL, TRUE);
    wait_indexed (f);
    g_assert_cmpuint (f->counts.n_inputs, ==, 9);
    g_assert_cmpuint (n_vectors (f), ==, 8);
  }
}

/* A deleted conversation's vectors go with it, and it is no longer found. */
static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < N_SUBJECTS; i++)
    import (f, i);
  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);
  g_assert_cmpuint (n_vectors (f), ==, 8);

  cria_store_delete_conversation_async (f->store, "heat", NULL, result_cb, &result);
  record = cria_store_delete_conversation_finish (f->store, wait_for (&result), &messages, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_vectors (f), ==, 6);

  hits = search (f, "heating pumps");
  for (guint i = 0; i < hits->len; i++)
    g_assert_cmpstr (cria_search_hit_get_conversation_id (g_ptr_array_index (hits, i)), !=, "heat");
}

/* The endpoint fails: indexing stops with the error to show, and nothing
 * is lost. */
static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  import (f, 0);
  cria_fake_server_set_handler (f->base.server, "/v1/embeddings", NULL, NULL, NULL);
  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);
  g_assert_nonnull (cria_meaning_get_error (f->meaning));
  g_assert_true (g_utf8_validate (cria_meaning_get_error (f->meaning), -1, NULL));
  g_assert_cmpint (cria_meaning_get_n_pending (f->meaning), ==, 2);
}

/* Snippets are markup: the message's text is escaped in them. */
static void
test_snippet_escaped (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  const char *snippet;

  import (f, 4);
  cria_meaning_set_enabled (f->meaning, TRUE);
  wait_indexed (f);

  hits = search (f, "volcanoes lava same");
  g_assert_cmpuint (hits->len, ==, 1);
  snippet = cria_search_hit_get_snippet_markup (g_ptr_array_index (hits, 0));
  g_assert_cmpstr (snippet, ==, "Is &lt;b&gt;volcano&lt;/b&gt; &amp; lava the same?");
  g_assert_null (strchr (snippet, '<'));
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

  g_test_add ("/meaning/finds-by-meaning", Fixture, NULL, set_up, test_finds_by_meaning, tear_down);
  g_test_add ("/meaning/resumes", Fixture, NULL, set_up, test_resumes, tear_down);
  g_test_add ("/meaning/delete", Fixture, NULL, set_up, test_delete, tear_down);
  g_test_add ("/meaning/error", Fixture, NULL, set_up, test_error, tear_down);
  g_test_add ("/meaning/snippet-escaped", Fixture, NULL, set_up, test_snippet_escaped, tear_down);

  return g_test_run ();
}

/* bench-make-history.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Makes a history for the benchmarks, through the store itself (so the
 * schema is the app's): N conversations of M messages each, plus one
 * conversation titled "Big conversation" of BIG messages. Texts are made of
 * common English words, drawn from a fixed seed, so runs are comparable.
 *
 *   bench-make-history PATH [N [M [BIG]]]     (defaults: 1000 100 10000) */

#include "config.h"

#include <stdlib.h>

#include "cria-store.h"

static const char * const words[] = {
  "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as",
  "with", "his", "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but",
  "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each",
  "which", "she", "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then",
  "them", "these", "so", "some", "her", "would", "make", "like", "him", "into", "time", "has", "look",
  "two", "more", "write", "go", "see", "number", "no", "way", "could", "people", "my", "than",
  "first", "water", "been", "call", "who", "oil", "its", "now", "find", "long", "down", "day", "did",
  "get", "come", "made", "may", "part", "function", "compile", "server", "memory", "thread", "kernel",
  "recipe", "garden", "travel", "music", "history", "physics", "python", "database", "window",
  "quokka", "lisbon", "tomato", "violin", "glacier", "harbour", "lantern", "meadow", "orbit",
};

static char *
make_text (GRand *rand,
           guint  n_words)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % 17 == 0 ? '\n' : ' ');
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }

  return g_string_free (text, FALSE);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
import_one (CriaStore  *store,
            GRand      *rand,
            const char *title,
            guint       n_messages,
            gint64      updated)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;

  record->title = g_strdup (title);
  record->model = g_strdup ("llama-3.1-8b");
  record->created = updated - n_messages * G_USEC_PER_SEC;
  record->updated = updated;

  for (guint i = 0; i < n_messages; i++)
    {
      CriaMessageRecord *message = cria_message_record_new ();

      message->id = g_uuid_string_random ();
      message->role = i % 2 ? CRIA_ROLE_ASSISTANT : CRIA_ROLE_USER;
      g_free (message->content);
      message->content = make_text (rand, i % 2 ? g_rand_int_range (rand, 40, 160) : g_rand_int_range (rand, 5, 30));
      if (message->role == CRIA_ROLE_ASSISTANT)
        {
          message->model = g_strdup ("llama-3.1-8b");
          message->tokens_in = 100 + i;
          message->tokens_out = 80;
          message->cost = 0.00001;
        }
      message->created = record->created + i * G_USEC_PER_SEC;
      g_ptr_array_add (messages, message);
    }

  cria_store_import_async (store, record, messages, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cria_store_import_finish (store, result, &error))
    g_error ("Could not save: %s", error->message);
  g_object_unref (result);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint n, m, big;
  gint64 now = g_get_real_time ();
  gint64 started = g_get_monotonic_time ();

  if (argc < 2)
    {
      g_printerr ("usage: %s PATH [CONVERSATIONS [MESSAGES [BIG]]]\n", argv[0]);
      return 2;
    }
  n = argc > 2 ? atoi (argv[2]) : 1000;
  m = argc > 3 ? atoi (argv[3]) : 100;
  big = argc > 4 ? atoi (argv[4]) : 10000;

  store = cria_store_new (argv[1]);
  cria_store_open_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cria_store_open_finish (store, result, NULL, &error))
    g_error ("Could not open %s: %s", argv[1], error->message);
  g_clear_object (&result);

  /* Spread over the last two years, newest last. */
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *title = g_strdup_printf ("Conversation %u about %s", i,
                                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);

      import_one (store, rand, title, m, now - (gint64) (n - i) * 17 * G_TIME_SPAN_HOUR);
    }
  if (big > 0)
    import_one (store, rand, "Big conversation", big, now - G_TIME_SPAN_DAY * 3);

  g_print ("made %u conversations of %u messages and one of %u in %.1f s: %s\n",
           n, m, big, (g_get_monotonic_time () - started) / 1e6, argv[1]);

  return 0;
}

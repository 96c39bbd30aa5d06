/* bench-save.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* What saving a long streaming answer costs: one save of an answer of
 * 1, 5, 10 and 20 MB (queued, then waited for), and a 20 MB answer streamed
 * in 40 steps the way the recorder saves it, every step queued at once as
 * when the worker cannot keep up: how many saves wait at most, and how long
 * until the last is on disk.
 *
 *   meson test -C build-bench --benchmark --verbose save
 *   or: bench-save [DIR] */

#include "config.h"

#include <glib/gstdio.h>

#include "cria-store-private.h"

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
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cria_store_flush_finish (store, result, &error))
    g_error ("%s", error->message);
  g_object_unref (result);
}

static CriaStore *
open_store (const char *path)
{
  CriaStore *store = cria_store_new (path);
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_open_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!cria_store_open_finish (store, result, NULL, &error))
    g_error ("%s", error->message);
  g_object_unref (result);

  return store;
}

static char *
make_text (gsize size)
{
  static const char words[] = "A long answer streams in, token after token, for minutes on end. ";
  GString *text = g_string_sized_new (size + sizeof words);

  while (text->len < size)
    g_string_append (text, words);
  g_string_truncate (text, size);

  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(CriaStore) store = NULL;
  g_autoptr(CriaConversationRecord) conversation = cria_conversation_record_new (NULL);
  g_autoptr(CriaMessageRecord) question = cria_message_record_new ();
  g_autoptr(CriaMessageRecord) answer = cria_message_record_new ();
  g_autofree char *text = make_text (20 * 1024 * 1024);
  static const guint sizes_mb[] = { 1, 5, 10, 20 };
  guint steps = 40;
  guint max_queued = 0;
  gint64 start;

  dir = argc > 1 ? g_strdup (argv[1]) : g_dir_make_tmp ("cria-bench-save-XXXXXX", NULL);
  path = g_build_filename (dir, "cria.db", NULL);
  store = open_store (path);

  conversation->title = g_strdup ("A long answer");
  conversation->created = conversation->updated = g_get_real_time ();
  question->id = g_uuid_string_random ();
  question->role = CRIA_ROLE_USER;
  g_free (question->content);
  question->content = g_strdup ("Write a very long answer");
  question->created = g_get_real_time ();
  cria_store_save_conversation (store, conversation);
  cria_store_save_message (store, conversation->id, 0, question);
  flush (store);

  answer->id = g_uuid_string_random ();
  answer->role = CRIA_ROLE_ASSISTANT;
  answer->state = CRIA_MESSAGE_STATE_STREAMING;
  answer->created = g_get_real_time ();

  /* One save of a streaming answer of each size (its second: the row exists). */
  for (guint i = 0; i < G_N_ELEMENTS (sizes_mb); i++)
    {
      g_free (answer->content);
      answer->content = g_strndup (text, sizes_mb[i] * 1024 * 1024);
      cria_store_save_message (store, conversation->id, 1, answer);
      flush (store);

      start = g_get_monotonic_time ();
      g_free (answer->content);
      answer->content = g_strndup (text, sizes_mb[i] * 1024 * 1024 - 1);
      cria_store_save_message (store, conversation->id, 1, answer);
      flush (store);
      g_print ("one save of a %2u MB streaming answer: %.3f s\n",
               sizes_mb[i], (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
    }

  /* The answer finishes: its last save. */
  start = g_get_monotonic_time ();
  answer->state = CRIA_MESSAGE_STATE_COMPLETE;
  cria_store_save_message (store, conversation->id, 1, answer);
  flush (store);
  g_print ("the final save of a 20 MB answer: %.3f s\n",
           (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  /* A new 20 MB answer streamed in 40 steps, all queued at once. */
  g_free (answer->id);
  answer->id = g_uuid_string_random ();
  answer->state = CRIA_MESSAGE_STATE_STREAMING;
  start = g_get_monotonic_time ();
  for (guint i = 1; i <= steps; i++)
    {
      g_free (answer->content);
      answer->content = g_strndup (text, (gsize) 20 * 1024 * 1024 * i / steps);
      if (i == steps)
        answer->state = CRIA_MESSAGE_STATE_COMPLETE;
      cria_store_save_message (store, conversation->id, 2, answer);
      max_queued = MAX (max_queued, _cria_store_get_n_queued (store));
    }
  flush (store);
  g_print ("a 20 MB answer saved in %u steps: at most %u saves queued, %.3f s until all is on disk\n",
           steps, max_queued, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

  g_clear_object (&store);
  if (argc <= 1)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *name = g_strconcat (path, suffixes[i], NULL);

          g_unlink (name);
        }
      g_rmdir (dir);
    }

  return 0;
}

/* bench-spending-history.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "bench-spending-history.h"
#include "cria-store.h"

/* Prices per token, in dollars; negative: none known. */
static const struct
{
  const char *name;
  double      input;
  double      output;
  /* How often conversations use it, out of 100. */
  int         share;
} models[BENCH_SPENDING_MODELS] = {
  { "llama-3.1-8b",  5e-8,   8e-8,   30 },
  { "llama-3.1-70b", 5.9e-7, 7.9e-7, 20 },
  { "mixtral-8x22b", 1.2e-6, 1.2e-6, 10 },
  { "qwen-2.5-72b",  4e-7,   4e-7,   10 },
  /* Its price doubled half a year ago. */
  { "deepseek-v3",   2.7e-7, 1.1e-6, 10 },
  { "gemma-2-27b",   2.7e-7, 2.7e-7, 8 },
  { "phi-4",         7e-8,   1.4e-7, 7 },
  { "local-model",   -1,     -1,     5 },
};

static const char * const words[] = {
  "budget", "server", "recipe", "garden", "kernel", "poem", "travel", "invoice", "python", "violin",
  "glacier", "harbour", "lantern", "meadow", "orbit", "tomato", "physics", "history", "music", "thread",
};

static guint
pick_model (GRand *rand)
{
  int n = g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      if (n < models[i].share)
        return i;
      n -= models[i].share;
    }

  return 0;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The app's own schema: the store makes it, then lets go of the file. */
static gboolean
make_schema (const char  *path,
             GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(CriaStore) store = NULL;
  GAsyncResult *result = NULL;
  gboolean opened;

  g_main_context_push_thread_default (context);
  store = cria_store_new (path);
  cria_store_open_async (store, NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  opened = cria_store_open_finish (store, result, NULL, error);
  g_object_unref (result);
  g_clear_object (&store);
  g_main_context_pop_thread_default (context);

  return opened;
}

static gboolean
sql_failed (sqlite3     *db,
            int          rc,
            GError     **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s (%d)", sqlite3_errmsg (db), rc);
  return FALSE;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
bind_cost (sqlite3_stmt *stmt,
           int           index,
           double        cost)
{
  if (cost >= 0)
    sqlite3_bind_double (stmt, index, cost);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_count (sqlite3_stmt *stmt,
            int           index,
            gint64        count)
{
  if (count >= 0)
    sqlite3_bind_int64 (stmt, index, count);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
write_history (sqlite3  *db,
               gint64    end,
               GError  **error)
{
  static const char conversation_sql[] =
    "INSERT INTO conversations (id, title, model, created, updated) VALUES (?1, ?2, ?3, ?4, ?5)";
  static const char message_sql[] =
    "INSERT INTO messages (uuid, conversation_id, position, role, content, state, model, tokens_in,"
    " tokens_out, estimated, cost, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  g_autofree guint *counts = g_new (guint, BENCH_SPENDING_CONVERSATIONS);
  gint64 year = 365 * G_TIME_SPAN_DAY;
  gint64 price_change = end - year / 2;
  sqlite3_stmt *conversation_stmt = NULL;
  sqlite3_stmt *message_stmt = NULL;
  guint n_answers = 0;
  gboolean ok = FALSE;
  int rc;

  G_STATIC_ASSERT (BENCH_SPENDING_ANSWERS % BENCH_SPENDING_CONVERSATIONS == 0);

  /* As many answers in each conversation, then some moved about: a few
   * long conversations, many short ones. */
  for (guint c = 0; c < BENCH_SPENDING_CONVERSATIONS; c++)
    counts[c] = BENCH_SPENDING_ANSWERS / BENCH_SPENDING_CONVERSATIONS;
  for (guint i = 0; i < BENCH_SPENDING_ANSWERS / 4; i++)
    {
      guint from = g_rand_int_range (rand, 0, BENCH_SPENDING_CONVERSATIONS);
      guint to = g_rand_int_range (rand, 0, BENCH_SPENDING_CONVERSATIONS / 10);

      if (counts[from] > 1)
        {
          counts[from]--;
          counts[to]++;
        }
    }

  if ((rc = sqlite3_prepare_v2 (db, conversation_sql, -1, &conversation_stmt, NULL)) != SQLITE_OK ||
      (rc = sqlite3_prepare_v2 (db, message_sql, -1, &message_stmt, NULL)) != SQLITE_OK)
    {
      sql_failed (db, rc, error);
      goto out;
    }

  for (guint c = 0; c < BENCH_SPENDING_CONVERSATIONS; c++)
    {
      g_autofree char *id = g_strdup_printf ("bench-spending-%04u", c);
      g_autofree char *title = g_strdup_printf ("Conversation %u about %s", c,
                                                words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), counts[c]);
      guint model = pick_model (rand);
      /* A conversation lasts up to two weeks, all of it in the year. */
      gint64 start = end - year + (gint64) (g_rand_double (rand) * (year - 14 * G_TIME_SPAN_DAY));
      gint64 span = g_rand_int_range (rand, 1, 14 * 24) * G_TIME_SPAN_HOUR;

      for (guint i = 0; i < counts[c]; i++)
        {
          gint64 time = start + (gint64) (g_rand_double (rand) * span);

          g_array_append_val (times, time);
        }
      g_array_sort (times, compare_times);

      sqlite3_reset (conversation_stmt);
      sqlite3_bind_text (conversation_stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (conversation_stmt, 2, title, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (conversation_stmt, 3, models[model].name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (conversation_stmt, 4, start - G_USEC_PER_SEC);
      sqlite3_bind_int64 (conversation_stmt, 5, g_array_index (times, gint64, counts[c] - 1));
      if ((rc = sqlite3_step (conversation_stmt)) != SQLITE_DONE)
        {
          sql_failed (db, rc, error);
          goto out;
        }

      for (guint i = 0; i < counts[c]; i++)
        {
          gint64 created = g_array_index (times, gint64, i);
          guint answer_model = g_rand_int_range (rand, 0, 10) == 0 ? pick_model (rand) : model;
          double input = models[answer_model].input;
          double output = models[answer_model].output;
          gint64 tokens_in = g_rand_int_range (rand, 50, 8000);
          gint64 tokens_out = g_rand_int_range (rand, 20, 2000);
          const char *state = "complete";
          gboolean estimated = FALSE;
          int kind = g_rand_int_range (rand, 0, 100);
          g_autofree char *question_id = g_strdup_printf ("%s-q%05u", id, i);
          g_autofree char *answer_id = g_strdup_printf ("%s-a%05u", id, i);
          g_autofree char *question = g_strdup_printf ("What about the %s and the %s?",
                                                       words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
                                                       words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          double cost;

          if (answer_model == 4 && created >= price_change)
            {
              input *= 2;
              output *= 2;
            }
          if (kind < 2)
            {
              /* The server sent no usage and nothing was estimated. */
              tokens_in = tokens_out = -1;
            }
          else if (kind < 3)
            {
              tokens_in = tokens_out = -1;
              state = "failed";
            }
          else if (kind < 8)
            estimated = TRUE;
          else if (kind < 12)
            state = "stopped";
          cost = input >= 0 && tokens_in >= 0 ? tokens_in * input + tokens_out * output : -1;

          sqlite3_reset (message_stmt);
          sqlite3_clear_bindings (message_stmt);
          sqlite3_bind_text (message_stmt, 1, question_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (message_stmt, 2, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (message_stmt, 3, 2 * i);
          sqlite3_bind_text (message_stmt, 4, "user", -1, SQLITE_STATIC);
          sqlite3_bind_text (message_stmt, 5, question, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (message_stmt, 6, "complete", -1, SQLITE_STATIC);
          sqlite3_bind_int (message_stmt, 10, 0);
          sqlite3_bind_int64 (message_stmt, 12, created - G_USEC_PER_SEC);
          if ((rc = sqlite3_step (message_stmt)) != SQLITE_DONE)
            {
              sql_failed (db, rc, error);
              goto out;
            }

          sqlite3_reset (message_stmt);
          sqlite3_clear_bindings (message_stmt);
          sqlite3_bind_text (message_stmt, 1, answer_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (message_stmt, 2, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (message_stmt, 3, 2 * i + 1);
          sqlite3_bind_text (message_stmt, 4, "assistant", -1, SQLITE_STATIC);
          sqlite3_bind_text (message_stmt, 5, g_str_equal (state, "failed") ? "" : "It depends on the season.",
                             -1, SQLITE_STATIC);
          sqlite3_bind_text (message_stmt, 6, state, -1, SQLITE_STATIC);
          sqlite3_bind_text (message_stmt, 7, models[answer_model].name, -1, SQLITE_STATIC);
          bind_count (message_stmt, 8, tokens_in);
          bind_count (message_stmt, 9, tokens_out);
          sqlite3_bind_int (message_stmt, 10, estimated);
          bind_cost (message_stmt, 11, cost);
          sqlite3_bind_int64 (message_stmt, 12, created);
          if ((rc = sqlite3_step (message_stmt)) != SQLITE_DONE)
            {
              sql_failed (db, rc, error);
              goto out;
            }
          n_answers++;
        }
    }

  g_assert (n_answers == BENCH_SPENDING_ANSWERS);
  ok = TRUE;

out:
  sqlite3_finalize (conversation_stmt);
  sqlite3_finalize (message_stmt);
  return ok;
}

gboolean
bench_spending_make_history (const char  *path,
                             gint64       end,
                             GError     **error)
{
  g_autofree char *dir = NULL;
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "%s already exists", path);
      return FALSE;
    }
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  if (!make_schema (path, error))
    return FALSE;

  /* The rows go in as the app's triggers see them (sums, full-text index),
   * in one transaction. The file is a benchmark's: its journal stays in
   * memory while it is written (in WAL, a transaction bigger than the page
   * cache writes every page twice), and is WAL again after. */
  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; BEGIN",
                       NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sql_failed (db, rc, error);
      sqlite3_close (db);
      return FALSE;
    }
  if (!write_history (db, end, error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      sqlite3_close (db);
      return FALSE;
    }
  rc = sqlite3_exec (db, "COMMIT; PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      sql_failed (db, rc, error);
      sqlite3_close (db);
      return FALSE;
    }

  sqlite3_close (db);
  return TRUE;
}

/* test-spending.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the history cost: the store's running sums, through the store's
 * public API on real database files, against what the test itself knows it
 * saved.
 */

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cria-spending-periods.h"
#include "cria-store-private.h"

#define QUARTER_US G_GINT64_CONSTANT (900000000)

/* What the test saved and believes the history holds. */
typedef struct
{
  /* Message id → Saved. */
  GHashTable *messages;
  /* Conversation id → title (NULL for none). */
  GHashTable *titles;
} Ledger;

typedef struct
{
  char              *conversation_id;
  CriaMessageRecord *record;
} Saved;

typedef struct
{
  char      *dir;
  char      *path;
  CriaStore *store;
  Ledger     ledger;
  GRand     *rand;
} Fixture;

static void
saved_free (Saved *saved)
{
  g_free (saved->conversation_id);
  cria_message_record_free (saved->record);
  g_free (saved);
}

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

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cria-spending-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cria.db", NULL);
  f->ledger.messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) saved_free);
  f->ledger.titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  f->rand = g_rand_new_with_seed (20260315);
  if (data == NULL)
    f->store = open_store (f->path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (f->path, suffixes[i], NULL);

      g_unlink (name);
    }
  g_rmdir (f->dir);
  g_hash_table_unref (f->ledger.messages);
  g_hash_table_unref (f->ledger.titles);
  g_rand_free (f->rand);
  g_free (f->path);
  g_free (f->dir);
}

/* µs since 1970 of a wall-clock time in @zone_id. */
static gint64
local_time (const char *zone_id,
            int         year,
            int         month,
            int         day,
            int         hour,
            int         minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_id);
  g_autoptr(GDateTime) time = NULL;

  g_assert_nonnull (zone);
  time = g_date_time_new (zone, year, month, day, hour, minute, 0);
  g_assert_nonnull (time);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static GDateTime *
local_date_time (const char *zone_id,
                 int         year,
                 int         month,
                 int         day,
                 int         hour)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_id);

  g_assert_nonnull (zone);

  return g_date_time_new (zone, year, month, day, hour, 0, 0);
}

/* Saving, as the app does, and noting what was saved. */

static CriaConversationRecord *
save_conversation (Fixture    *f,
                   const char *title,
                   gint64      created)
{
  CriaConversationRecord *record = cria_conversation_record_new (NULL);

  record->title = g_strdup (title);
  record->model = g_strdup ("model-a");
  record->created = created;
  record->updated = created;
  cria_store_save_conversation (f->store, record);
  g_hash_table_replace (f->ledger.titles, g_strdup (record->id), g_strdup (title));

  return record;
}

static void
save_message (Fixture                 *f,
              const char              *conversation_id,
              guint                    position,
              const CriaMessageRecord *record)
{
  Saved *saved = g_new0 (Saved, 1);

  cria_store_save_message (f->store, conversation_id, position, record);
  saved->conversation_id = g_strdup (conversation_id);
  saved->record = cria_message_record_copy (record);
  g_hash_table_replace (f->ledger.messages, g_strdup (record->id), saved);
}

static CriaMessageRecord *
make_question (gint64 created)
{
  CriaMessageRecord *record = cria_message_record_new ();

  record->id = g_uuid_string_random ();
  record->role = CRIA_ROLE_USER;
  g_free (record->content);
  record->content = g_strdup ("How much?");
  record->created = created;

  return record;
}

/* An answer that ended; @cost and the token counts negative when unknown. */
static CriaMessageRecord *
make_answer (const char *model,
             gint64      created,
             gint64      tokens_in,
             gint64      tokens_out,
             double      cost,
             gboolean    estimated)
{
  CriaMessageRecord *record = cria_message_record_new ();

  record->id = g_uuid_string_random ();
  record->role = CRIA_ROLE_ASSISTANT;
  g_free (record->content);
  record->content = g_strdup ("This much.");
  record->model = g_strdup (model);
  record->created = created;
  record->tokens_in = tokens_in;
  record->tokens_out = tokens_out;
  record->cost = cost;
  record->estimated = estimated;

  return record;
}

/* Saves a question and its answer at the end of @conversation_id. */
static void
save_exchange (Fixture                 *f,
               const char              *conversation_id,
               guint                   *position,
               const CriaMessageRecord *answer)
{
  g_autoptr(CriaMessageRecord) question = make_question (answer->created - G_USEC_PER_SEC);

  save_message (f, conversation_id, (*position)++, question);
  save_message (f, conversation_id, (*position)++, answer);
}

static CriaSpending *
query (CriaStore    *store,
       const gint64 *edges,
       guint         n_edges,
       guint         n_top)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  CriaSpending *spending;

  cria_store_spending_async (store, edges, n_edges, n_top, NULL, result_cb, &result);
  spending = cria_store_spending_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (spending);
  g_object_unref (result);

  return spending;
}

/* What the report should say, from the ledger. */

static gboolean
counts (const CriaMessageRecord *record)
{
  return record->role == CRIA_ROLE_ASSISTANT && record->state != CRIA_MESSAGE_STATE_STREAMING &&
         (record->cost >= 0 || record->tokens_out >= 0);
}

static void
row_add_record (CriaSpendingRow         *row,
                const CriaMessageRecord *record)
{
  row->answers++;
  row->tokens_in += MAX (record->tokens_in, 0);
  row->tokens_out += MAX (record->tokens_out, 0);
  row->cost += MAX (record->cost, 0);
  row->estimated += record->estimated ? 1 : 0;
  row->unpriced += record->cost < 0 ? 1 : 0;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const CriaSpendingRow *row_a = *(const CriaSpendingRow * const *) a;
  const CriaSpendingRow *row_b = *(const CriaSpendingRow * const *) b;

  /* The ledger adds up doubles in any order: costs that should be equal
   * may differ in their last bits. */
  if (fabs (row_a->cost - row_b->cost) > 1e-9)
    return row_a->cost > row_b->cost ? -1 : 1;

  return strcmp (row_a->model, row_b->model);
}

/* Per model, most expensive first, over the answers created in [@start, @end). */
static GPtrArray *
expected_rows (Ledger *ledger,
               gint64  start,
               gint64  end)
{
  g_autoptr(GHashTable) by_model = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  GHashTableIter iter;
  Saved *saved;

  g_hash_table_iter_init (&iter, ledger->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &saved))
    {
      const CriaMessageRecord *record = saved->record;
      const char *model = record->model != NULL ? record->model : "";
      CriaSpendingRow *row;

      if (!counts (record) || record->created < start || record->created >= end)
        continue;
      row = g_hash_table_lookup (by_model, model);
      if (row == NULL)
        {
          row = cria_spending_row_new (model);
          g_ptr_array_add (rows, row);
          g_hash_table_insert (by_model, row->model, row);
        }
      row_add_record (row, record);
    }
  g_ptr_array_sort (rows, compare_rows);

  return rows;
}

static void
assert_rows_equal (GPtrArray *rows,
                   GPtrArray *expected)
{
  g_assert_nonnull (rows);
  g_assert_cmpuint (rows->len, ==, expected->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const CriaSpendingRow *row = g_ptr_array_index (rows, i);
      const CriaSpendingRow *want = g_ptr_array_index (expected, i);

      g_assert_cmpstr (row->model, ==, want->model);
      g_assert_cmpint (row->answers, ==, want->answers);
      g_assert_cmpint (row->tokens_in, ==, want->tokens_in);
      g_assert_cmpint (row->tokens_out, ==, want->tokens_out);
      g_assert_cmpfloat_with_epsilon (row->cost, want->cost, 1e-9);
      g_assert_cmpint (row->estimated, ==, want->estimated);
      g_assert_cmpint (row->unpriced, ==, want->unpriced);
      /* A report never lists a model with nothing. */
      g_assert_cmpint (row->answers, >, 0);
    }
}

static int
compare_conversations (gconstpointer a,
                       gconstpointer b)
{
  const CriaSpendingConversation *conversation_a = *(const CriaSpendingConversation * const *) a;
  const CriaSpendingConversation *conversation_b = *(const CriaSpendingConversation * const *) b;

  if (fabs (conversation_a->cost - conversation_b->cost) > 1e-9)
    return conversation_a->cost > conversation_b->cost ? -1 : 1;

  return strcmp (conversation_a->id, conversation_b->id);
}

static void
assert_top_equal (Ledger    *ledger,
                  GPtrArray *top,
                  guint      n_top)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) expected =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_conversation_free);
  GHashTableIter iter;
  Saved *saved;

  g_hash_table_iter_init (&iter, ledger->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &saved))
    {
      CriaSpendingConversation *conversation;

      if (!counts (saved->record))
        continue;
      conversation = g_hash_table_lookup (by_id, saved->conversation_id);
      if (conversation == NULL)
        {
          conversation = g_new0 (CriaSpendingConversation, 1);
          conversation->id = g_strdup (saved->conversation_id);
          conversation->title = g_strdup (g_hash_table_lookup (ledger->titles, saved->conversation_id));
          g_ptr_array_add (expected, conversation);
          g_hash_table_insert (by_id, conversation->id, conversation);
        }
      conversation->answers++;
      conversation->cost += MAX (saved->record->cost, 0);
      conversation->estimated += saved->record->estimated ? 1 : 0;
    }
  g_ptr_array_sort (expected, compare_conversations);

  g_assert_nonnull (top);
  g_assert_cmpuint (top->len, ==, MIN (n_top, expected->len));
  for (guint i = 0; i < top->len; i++)
    {
      const CriaSpendingConversation *conversation = g_ptr_array_index (top, i);
      const CriaSpendingConversation *want = g_ptr_array_index (expected, i);

      g_assert_cmpstr (conversation->id, ==, want->id);
      g_assert_cmpstr (conversation->title, ==, want->title);
      g_assert_cmpfloat_with_epsilon (conversation->cost, want->cost, 1e-9);
      g_assert_cmpint (conversation->answers, ==, want->answers);
      g_assert_cmpint (conversation->estimated, ==, want->estimated);
    }
}

/* The whole report for @edges against the ledger. */
static void
assert_report (Fixture      *f,
               const gint64 *edges,
               guint         n_edges,
               guint         n_top)
{
  g_autoptr(CriaSpending) spending = query (f->store, edges, n_edges, n_top);
  g_autoptr(GPtrArray) range = expected_rows (&f->ledger, edges[0], edges[n_edges - 1]);
  g_autoptr(GPtrArray) all_time = expected_rows (&f->ledger, G_MININT64, G_MAXINT64);

  g_assert_cmpuint (spending->n_periods, ==, n_edges - 1);
  g_assert_cmpmem (spending->edges, n_edges * sizeof (gint64), edges, n_edges * sizeof (gint64));
  for (guint i = 0; i + 1 < n_edges; i++)
    {
      g_autoptr(GPtrArray) period = expected_rows (&f->ledger, edges[i], edges[i + 1]);

      assert_rows_equal (spending->periods[i], period);
    }
  assert_rows_equal (spending->range_models, range);
  assert_rows_equal (spending->all_time_models, all_time);
  assert_top_equal (&f->ledger, spending->top_conversations, n_top);
}

/* The sums the triggers keep are exactly what adding up the messages gives,
 * and no sum row is left with no answer. Read from the file, beside the
 * store's own connection. */
static void
assert_sums_consistent (Fixture *f)
{
  static const char * const checks[] = {
    "SELECT count (*) FROM spending_buckets WHERE answers <= 0",
    "SELECT count (*) FROM spending_models WHERE answers <= 0",
    "SELECT count (*) FROM spending_conversations WHERE answers <= 0",
  };
  /* Each sum table, and what it should hold, as the test reads the rule. */
  static const char * const tables[][2] = {
    { "SELECT bucket, model, answers, tokens_in, tokens_out, cost, estimated, unpriced FROM spending_buckets",
      "SELECT created / 900000000, ifnull (model, ''), count (*), total (ifnull (tokens_in, 0)),"
      " total (ifnull (tokens_out, 0)), total (ifnull (CAST (round (cost * 1e12) AS INTEGER), 0)),"
      " total (estimated), total (cost IS NULL) FROM counted GROUP BY 1, 2" },
    { "SELECT model, answers, tokens_in, tokens_out, cost, estimated, unpriced FROM spending_models",
      "SELECT ifnull (model, ''), count (*), total (ifnull (tokens_in, 0)), total (ifnull (tokens_out, 0)),"
      " total (ifnull (CAST (round (cost * 1e12) AS INTEGER), 0)), total (estimated), total (cost IS NULL)"
      " FROM counted GROUP BY 1" },
    { "SELECT conversation_id, answers, tokens_in, tokens_out, cost, estimated, unpriced FROM spending_conversations",
      "SELECT conversation_id, count (*), total (ifnull (tokens_in, 0)), total (ifnull (tokens_out, 0)),"
      " total (ifnull (CAST (round (cost * 1e12) AS INTEGER), 0)), total (estimated), total (cost IS NULL)"
      " FROM counted GROUP BY 1" },
  };
  static const char counted[] =
    "CREATE TEMP VIEW counted AS SELECT * FROM messages WHERE role = 'assistant' AND state != 'streaming'"
    " AND (cost IS NOT NULL OR tokens_out IS NOT NULL)";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  flush (f->store);
  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, counted, NULL, NULL, NULL), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_assert_cmpint (sqlite3_prepare_v2 (db, checks[i], -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
      sqlite3_finalize (stmt);
    }

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      /* Both ways round: nothing missing, nothing extra. total () is a
       * float; the sums compare as numbers. */
      for (guint way = 0; way < 2; way++)
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM (%s EXCEPT %s)",
                                                  tables[i][way], tables[i][1 - way]);
          int n;

          g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          n = sqlite3_column_int (stmt, 0);
          sqlite3_finalize (stmt);
          if (n != 0)
            g_test_message ("%s: %d rows differ", tables[i][0], n);
          g_assert_cmpint (n, ==, 0);
        }
    }

  sqlite3_close (db);
}

/* A month of history in New York (with its change to summer time), made of
 * several models: one priced whose price changes in the middle of the month,
 * one whose usage was sometimes estimated, one with no price, answers with no
 * model, answers that never got usage or failed (not counted), questions
 * (never counted) and an answer still streaming (not counted). Returns the
 * conversations' ids. */
static GPtrArray *
make_month (Fixture *f)
{
  static const char * const titles[] = {
    "Taxes", "Recipes", NULL, "Travel plans", "Kernel bug", "Poems", "Garden", "Physics homework",
  };
  gint64 month_start = local_time ("America/New_York", 2026, 3, 1, 0, 0);
  gint64 price_change = local_time ("America/New_York", 2026, 3, 15, 0, 0);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < G_N_ELEMENTS (titles); c++)
    {
      g_autoptr(CriaConversationRecord) conversation = save_conversation (f, titles[c], month_start);
      guint position = 0;

      g_ptr_array_add (ids, g_strdup (conversation->id));
      for (guint i = 0; i < 40; i++)
        {
          /* From a week before the month to a week after it. */
          gint64 created = month_start - 7 * G_TIME_SPAN_DAY +
                           (gint64) g_rand_int_range (f->rand, 0, 45 * 24 * 60) * G_TIME_SPAN_MINUTE;
          gint64 tokens_in = g_rand_int_range (f->rand, 10, 4000);
          gint64 tokens_out = g_rand_int_range (f->rand, 1, 2000);
          g_autoptr(CriaMessageRecord) answer = NULL;

          switch (g_rand_int_range (f->rand, 0, 8))
            {
            case 0:
            case 1:
            case 2:
              /* Priced per token; the price doubled on the 15th. */
              if (created < price_change)
                answer = make_answer ("model-a", created, tokens_in, tokens_out,
                                      tokens_in * 1e-6 + tokens_out * 2.5e-6, FALSE);
              else
                answer = make_answer ("model-a", created, tokens_in, tokens_out,
                                      tokens_in * 2e-6 + tokens_out * 5e-6, FALSE);
              break;
            case 3:
              /* The server sent no usage: Cria estimated it. */
              answer = make_answer ("model-b", created, tokens_in, tokens_out,
                                    tokens_in * 3e-7 + tokens_out * 6e-7, g_rand_boolean (f->rand));
              break;
            case 4:
              /* No price known. */
              answer = make_answer ("local-llm", created, tokens_in, tokens_out, -1, FALSE);
              break;
            case 5:
              answer = make_answer (NULL, created, -1, tokens_out, tokens_out * 1e-6, FALSE);
              break;
            case 6:
              /* Neither usage nor cost: not counted. */
              answer = make_answer ("model-c", created, -1, -1, -1, FALSE);
              break;
            default:
              /* Failed with nothing to show. */
              answer = make_answer ("model-a", created, -1, -1, -1, FALSE);
              answer->state = CRIA_MESSAGE_STATE_FAILED;
              break;
            }
          save_exchange (f, conversation->id, &position, answer);
        }

      /* A question with figures on it still counts for nothing. */
      {
        g_autoptr(CriaMessageRecord) question = make_question (month_start + G_TIME_SPAN_DAY);

        question->model = g_strdup ("model-a");
        question->tokens_in = 50;
        question->tokens_out = 50;
        question->cost = 1.0;
        save_message (f, conversation->id, position++, question);
      }
    }

  /* Streaming, with its figures so far: not counted until it ends. */
  {
    g_autoptr(CriaMessageRecord) streaming = make_answer ("model-a", month_start + G_TIME_SPAN_DAY * 3,
                                                          100, 100, 0.5, FALSE);

    streaming->state = CRIA_MESSAGE_STATE_STREAMING;
    save_message (f, g_ptr_array_index (ids, 0), 1000, streaming);
  }

  return ids;
}

static gint64 *
march_edges (guint *n_edges)
{
  g_autoptr(GDateTime) now = local_date_time ("America/New_York", 2026, 3, 31, 12);

  return cria_spending_day_edges (now, 31, n_edges);
}

static gboolean
rows_have_model (GPtrArray  *rows,
                 const char *model)
{
  for (guint i = 0; i < rows->len; i++)
    {
      if (g_strcmp0 (((CriaSpendingRow *) g_ptr_array_index (rows, i))->model, model) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The report is the sum of what was saved: per day, per model, over the
 * month, over all time, and the most expensive conversations. */
static void
test_spending_report (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = make_month (f);
  guint n_edges;
  g_autofree gint64 *edges = march_edges (&n_edges);
  g_autoptr(CriaSpending) spending = NULL;
  gint64 price_change = local_time ("America/New_York", 2026, 3, 15, 0, 0);
  gboolean seen_change = FALSE;

  g_assert_cmpuint (n_edges, ==, 32);
  assert_sums_consistent (f);
  assert_report (f, edges, n_edges, 5);
  assert_report (f, edges, n_edges, 100);

  /* Every cost is the one stored with its answer: before the 15th at the
   * old price, from the 15th on at the new one. */
  spending = query (f->store, edges, n_edges, 0);
  g_assert_cmpuint (spending->top_conversations->len, ==, 0);
  for (guint i = 0; i < spending->n_periods; i++)
    {
      for (guint j = 0; j < spending->periods[i]->len; j++)
        {
          const CriaSpendingRow *row = g_ptr_array_index (spending->periods[i], j);
          double price_in = spending->edges[i] < price_change ? 1e-6 : 2e-6;
          double price_out = spending->edges[i] < price_change ? 2.5e-6 : 5e-6;

          if (g_strcmp0 (row->model, "model-a") != 0)
            continue;
          g_assert_cmpfloat_with_epsilon (row->cost, row->tokens_in * price_in + row->tokens_out * price_out, 1e-9);
          seen_change |= spending->edges[i] >= price_change;
        }
    }
  g_assert_true (seen_change);

  /* The month holds every kind of answer: priced, estimated, unpriced,
   * nameless; what cannot be counted is not listed at all. */
  {
    g_autoptr(CriaSpendingRow) total = cria_spending_rows_total (spending->range_models);
    g_autoptr(CriaSpendingRow) all_time = cria_spending_rows_total (spending->all_time_models);

    g_assert_cmpuint (spending->range_models->len, ==, 4);
    g_assert_cmpint (total->answers, >, 100);
    g_assert_cmpint (total->estimated, >, 0);
    g_assert_cmpint (total->unpriced, >, 0);
    g_assert_cmpint (all_time->answers, >, total->answers);
    g_assert_true (rows_have_model (spending->range_models, ""));
  }
  for (guint i = 0; i < spending->all_time_models->len; i++)
    {
      const CriaSpendingRow *row = g_ptr_array_index (spending->all_time_models, i);

      g_assert_cmpstr (row->model, !=, "model-c");
      if (g_str_equal (row->model, "local-llm"))
        {
          g_assert_cmpfloat (row->cost, ==, 0);
          g_assert_cmpint (row->unpriced, ==, row->answers);
        }
    }
}

/* An answer saved while it streams counts once it ends, whatever it
 * carried meanwhile; one left streaming when Cria stopped counts once it is
 * marked interrupted on the next start. */
static void
test_spending_streaming (Fixture       *f,
                         gconstpointer  data)
{
  gint64 start = local_time ("UTC", 2026, 5, 1, 0, 0);
  gint64 edges[] = { start, start + G_TIME_SPAN_DAY };
  g_autoptr(CriaConversationRecord) conversation = save_conversation (f, "Streams", start);
  g_autoptr(CriaMessageRecord) answer = make_answer ("model-a", start + G_TIME_SPAN_HOUR, 10, 0, -1, FALSE);
  g_autoptr(CriaMessageRecord) left = make_answer ("model-b", start + 2 * G_TIME_SPAN_HOUR, 10, 5, 0.125, FALSE);
  guint position = 0;

  answer->state = CRIA_MESSAGE_STATE_STREAMING;
  save_exchange (f, conversation->id, &position, answer);
  for (guint i = 1; i <= 3; i++)
    {
      g_autoptr(CriaSpending) spending = NULL;

      answer->tokens_out = i * 10;
      answer->cost = i * 0.001;
      save_message (f, conversation->id, 1, answer);
      spending = query (f->store, edges, 2, 10);
      g_assert_cmpuint (spending->periods[0]->len, ==, 0);
      g_assert_cmpuint (spending->all_time_models->len, ==, 0);
      g_assert_cmpuint (spending->top_conversations->len, ==, 0);
    }
  assert_sums_consistent (f);

  answer->state = CRIA_MESSAGE_STATE_COMPLETE;
  answer->tokens_out = 42;
  answer->cost = 0.0042;
  save_message (f, conversation->id, 1, answer);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 2, 10);
    const CriaSpendingRow *row;

    g_assert_cmpuint (spending->periods[0]->len, ==, 1);
    row = g_ptr_array_index (spending->periods[0], 0);
    g_assert_cmpstr (row->model, ==, "model-a");
    g_assert_cmpint (row->answers, ==, 1);
    g_assert_cmpint (row->tokens_out, ==, 42);
    g_assert_cmpfloat_with_epsilon (row->cost, 0.0042, 1e-12);
  }
  assert_report (f, edges, 2, 10);

  /* Cria stops while the next answer streams. */
  left->state = CRIA_MESSAGE_STATE_STREAMING;
  save_exchange (f, conversation->id, &position, left);
  assert_report (f, edges, 2, 10);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = open_store (f->path);
  ((Saved *) g_hash_table_lookup (f->ledger.messages, left->id))->record->state = CRIA_MESSAGE_STATE_INTERRUPTED;
  assert_sums_consistent (f);
  assert_report (f, edges, 2, 10);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 2, 10);

    g_assert_cmpuint (spending->periods[0]->len, ==, 2);
  }
}

/* Continue appends to the same answer: it streams again (and is not
 * counted meanwhile), then ends with its tokens and cost grown. */
static void
test_spending_continue (Fixture       *f,
                        gconstpointer  data)
{
  gint64 start = local_time ("UTC", 2026, 6, 1, 0, 0);
  gint64 edges[] = { start, start + G_TIME_SPAN_DAY, start + 2 * G_TIME_SPAN_DAY };
  g_autoptr(CriaConversationRecord) conversation = save_conversation (f, "Long story", start);
  g_autoptr(CriaMessageRecord) answer = make_answer ("model-a", start + G_TIME_SPAN_HOUR, 100, 400, 0.01, FALSE);
  guint position = 0;

  answer->state = CRIA_MESSAGE_STATE_INTERRUPTED;
  answer->finish_reason = CRIA_FINISH_REASON_LENGTH;
  save_exchange (f, conversation->id, &position, answer);
  assert_report (f, edges, 3, 5);

  answer->state = CRIA_MESSAGE_STATE_STREAMING;
  answer->finish_reason = CRIA_FINISH_REASON_NONE;
  save_message (f, conversation->id, 1, answer);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 3, 5);

    g_assert_cmpuint (spending->range_models->len, ==, 0);
  }
  assert_sums_consistent (f);

  /* The continuation is paid for on top; the answer keeps its time. */
  answer->state = CRIA_MESSAGE_STATE_COMPLETE;
  answer->tokens_in = 100 + 520;
  answer->tokens_out = 400 + 300;
  answer->cost = 0.01 + 0.0175;
  save_message (f, conversation->id, 1, answer);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 3, 5);
    const CriaSpendingRow *row = g_ptr_array_index (spending->periods[0], 0);
    const CriaSpendingConversation *top = g_ptr_array_index (spending->top_conversations, 0);

    g_assert_cmpuint (spending->periods[0]->len, ==, 1);
    g_assert_cmpuint (spending->periods[1]->len, ==, 0);
    g_assert_cmpint (row->answers, ==, 1);
    g_assert_cmpint (row->tokens_in, ==, 620);
    g_assert_cmpint (row->tokens_out, ==, 700);
    g_assert_cmpfloat_with_epsilon (row->cost, 0.0275, 1e-12);
    g_assert_cmpfloat_with_epsilon (top->cost, 0.0275, 1e-12);
    g_assert_cmpint (top->answers, ==, 1);
  }
  assert_sums_consistent (f);

  /* Continued once more, the second part with no price: the answer's cost
   * is unknown, and it counts as unpriced. */
  answer->tokens_out = 900;
  answer->cost = -1;
  save_message (f, conversation->id, 1, answer);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 3, 5);
    const CriaSpendingRow *row = g_ptr_array_index (spending->periods[0], 0);

    g_assert_cmpint (row->answers, ==, 1);
    g_assert_cmpint (row->unpriced, ==, 1);
    g_assert_cmpfloat (row->cost, ==, 0);
    g_assert_cmpint (row->tokens_out, ==, 900);
  }
  assert_sums_consistent (f);
  assert_report (f, edges, 3, 5);
}

static void
delete_conversation (Fixture                 *f,
                     const char              *id,
                     CriaConversationRecord **record,
                     GPtrArray              **messages)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_delete_conversation_async (f->store, id, NULL, result_cb, &result);
  *record = cria_store_delete_conversation_finish (f->store, wait_for_result (&result), messages, &error);
  g_assert_no_error (error);
  g_object_unref (result);
}

static void
ledger_forget_conversation (Ledger     *ledger,
                            const char *id)
{
  GHashTableIter iter;
  Saved *saved;

  g_hash_table_iter_init (&iter, ledger->messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &saved))
    {
      if (g_str_equal (saved->conversation_id, id))
        g_hash_table_iter_remove (&iter);
    }
}

static void
import (Fixture                *f,
        CriaConversationRecord *record,
        GPtrArray              *messages)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_import_async (f->store, record, messages, NULL, result_cb, &result);
  g_assert_true (cria_store_import_finish (f->store, wait_for_result (&result), &error));
  g_assert_no_error (error);
  g_object_unref (result);

  /* An import replaces the conversation with that id. */
  ledger_forget_conversation (&f->ledger, record->id);
  g_hash_table_replace (f->ledger.titles, g_strdup (record->id), g_strdup (record->title));
  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);
      Saved *saved = g_new0 (Saved, 1);

      saved->conversation_id = g_strdup (record->id);
      saved->record = cria_message_record_copy (message);
      g_hash_table_replace (f->ledger.messages, g_strdup (message->id), saved);
    }
}

/* Keeps the messages of @id for which @keep (given each message's index
 * and their number) says so, as editing a conversation does. */
static void
keep_messages (Fixture    *f,
               const char *id,
               gboolean  (*keep) (guint index,
                                  guint n))
{
  g_autoptr(CriaConversationRecord) record = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;

  cria_store_load_conversation_async (f->store, id, NULL, result_cb, &result);
  record = cria_store_load_conversation_finish (f->store, wait_for_result (&result), &messages, &error);
  g_assert_no_error (error);
  g_object_unref (result);

  for (guint i = 0; i < messages->len; i++)
    {
      CriaMessageRecord *message = g_ptr_array_index (messages, i);

      if (keep (i, messages->len))
        g_ptr_array_add (kept, message->id);
      else
        g_hash_table_remove (f->ledger.messages, message->id);
    }
  g_ptr_array_add (kept, NULL);
  cria_store_set_messages (f->store, id, (const char * const *) kept->pdata);
}

static gboolean
keep_half (guint index,
           guint n)
{
  return index % 4 < 2;
}

static gboolean
keep_all_but_last_exchange (guint index,
                            guint n)
{
  return index + 2 < n;
}

static void
assert_rows_identical (GPtrArray *a,
                       GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      const CriaSpendingRow *row_a = g_ptr_array_index (a, i);
      const CriaSpendingRow *row_b = g_ptr_array_index (b, i);

      g_assert_cmpstr (row_a->model, ==, row_b->model);
      g_assert_cmpint (row_a->answers, ==, row_b->answers);
      g_assert_cmpint (row_a->tokens_in, ==, row_b->tokens_in);
      g_assert_cmpint (row_a->tokens_out, ==, row_b->tokens_out);
      g_assert_cmpfloat (row_a->cost, ==, row_b->cost);
      g_assert_cmpint (row_a->estimated, ==, row_b->estimated);
      g_assert_cmpint (row_a->unpriced, ==, row_b->unpriced);
    }
}

/* Deleting answers and conversations takes their figures away, and Undo
 * (importing what was deleted) puts back exactly the sums there were. A
 * model with no answer left is listed nowhere. */
static void
test_spending_delete_and_undo (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = make_month (f);
  guint n_edges;
  g_autofree gint64 *edges = march_edges (&n_edges);
  g_autoptr(CriaSpending) before = NULL;
  g_autoptr(CriaSpending) after = NULL;
  g_autoptr(CriaConversationRecord) deleted = NULL;
  g_autoptr(GPtrArray) deleted_messages = NULL;
  const char *doomed = g_ptr_array_index (ids, 2);
  g_autoptr(CriaMessageRecord) lonely =
    make_answer ("rare-model", local_time ("America/New_York", 2026, 3, 20, 12, 0), 5, 5, 0.3, FALSE);
  guint position = 500;

  /* An edit drops what followed it: here, half of a conversation. */
  keep_messages (f, g_ptr_array_index (ids, 0), keep_half);
  assert_sums_consistent (f);
  assert_report (f, edges, n_edges, 10);

  /* The only answer of a model goes: the model goes from every list. */
  save_exchange (f, g_ptr_array_index (ids, 1), &position, lonely);
  before = query (f->store, edges, n_edges, 10);
  g_assert_true (rows_have_model (before->all_time_models, "rare-model"));
  g_assert_true (rows_have_model (before->range_models, "rare-model"));
  keep_messages (f, g_ptr_array_index (ids, 1), keep_all_but_last_exchange);
  after = query (f->store, edges, n_edges, 10);
  g_assert_false (rows_have_model (after->all_time_models, "rare-model"));
  g_assert_false (rows_have_model (after->range_models, "rare-model"));
  for (guint i = 0; i < after->n_periods; i++)
    g_assert_false (rows_have_model (after->periods[i], "rare-model"));
  assert_sums_consistent (f);
  assert_report (f, edges, n_edges, 10);
  g_clear_pointer (&before, cria_spending_free);
  g_clear_pointer (&after, cria_spending_free);

  /* A conversation deleted: its answers leave every sum. */
  before = query (f->store, edges, n_edges, 10);
  delete_conversation (f, doomed, &deleted, &deleted_messages);
  ledger_forget_conversation (&f->ledger, doomed);
  assert_sums_consistent (f);
  assert_report (f, edges, n_edges, 100);

  /* Undo: exactly what there was, to the last picodollar. */
  import (f, deleted, deleted_messages);
  assert_sums_consistent (f);
  after = query (f->store, edges, n_edges, 10);
  for (guint i = 0; i < before->n_periods; i++)
    assert_rows_identical (before->periods[i], after->periods[i]);
  assert_rows_identical (before->range_models, after->range_models);
  assert_rows_identical (before->all_time_models, after->all_time_models);
  g_assert_cmpuint (before->top_conversations->len, ==, after->top_conversations->len);
  for (guint i = 0; i < before->top_conversations->len; i++)
    {
      const CriaSpendingConversation *a = g_ptr_array_index (before->top_conversations, i);
      const CriaSpendingConversation *b = g_ptr_array_index (after->top_conversations, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpfloat (a->cost, ==, b->cost);
      g_assert_cmpint (a->answers, ==, b->answers);
    }
  assert_report (f, edges, n_edges, 10);

  /* Importing over a conversation replaces its figures with the file's. */
  {
    g_autoptr(GPtrArray) fewer = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);

    for (guint i = 0; i < 10 && i < deleted_messages->len; i++)
      g_ptr_array_add (fewer, cria_message_record_copy (g_ptr_array_index (deleted_messages, i)));
    import (f, deleted, fewer);
    assert_sums_consistent (f);
    assert_report (f, edges, n_edges, 10);
  }

  /* Everything deleted: no sum row is left. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(CriaConversationRecord) record = NULL;
      g_autoptr(GPtrArray) gone = NULL;

      delete_conversation (f, g_ptr_array_index (ids, i), &record, &gone);
      ledger_forget_conversation (&f->ledger, g_ptr_array_index (ids, i));
    }
  assert_sums_consistent (f);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, n_edges, 10);

    for (guint i = 0; i < spending->n_periods; i++)
      g_assert_cmpuint (spending->periods[i]->len, ==, 0);
    g_assert_cmpuint (spending->range_models->len, ==, 0);
    g_assert_cmpuint (spending->all_time_models->len, ==, 0);
    g_assert_cmpuint (spending->top_conversations->len, ==, 0);
  }
}

static void
assert_period_answers (const CriaSpending *spending,
                       const gint64       *expected)
{
  for (guint i = 0; i < spending->n_periods; i++)
    {
      g_autoptr(CriaSpendingRow) total = cria_spending_rows_total (spending->periods[i]);

      if (total->answers != expected[i])
        g_test_message ("period %u: %" G_GINT64_FORMAT " answers, not %" G_GINT64_FORMAT,
                        i, total->answers, expected[i]);
      g_assert_cmpint (total->answers, ==, expected[i]);
    }
}

/* Saves one answer at each wall-clock time in @zone_id; @times holds year,
 * month, day, hour, minute for each. */
static void
save_answers_at (Fixture    *f,
                 const char *zone_id,
                 const int (*times)[5],
                 guint       n_times)
{
  g_autoptr(CriaConversationRecord) conversation =
    save_conversation (f, zone_id, local_time (zone_id, times[0][0], times[0][1], times[0][2], 0, 0));
  guint position = 0;

  for (guint i = 0; i < n_times; i++)
    {
      gint64 created = local_time (zone_id, times[i][0], times[i][1], times[i][2], times[i][3], times[i][4]);
      g_autoptr(CriaMessageRecord) answer = make_answer ("model-a", created, 10, 10, 0.01 * (i + 1), FALSE);

      save_exchange (f, conversation->id, &position, answer);
    }
}

/* Three days in @zone_id ending with the day of @year-@month-@day. */
static gint64 *
three_days (const char *zone_id,
            int         year,
            int         month,
            int         day)
{
  g_autoptr(GDateTime) now = local_date_time (zone_id, year, month, day, 12);
  guint n_edges = 0;
  gint64 *edges = cria_spending_day_edges (now, 3, &n_edges);

  g_assert_cmpuint (n_edges, ==, 4);

  return edges;
}

/* The month of @year-@month in @zone_id and the next one. */
static void
two_months (const char *zone_id,
            int         year,
            int         month,
            gint64      edges[3])
{
  g_autoptr(GDateTime) now = local_date_time (zone_id, year, month, 15, 12);
  g_autoptr(GDateTime) next = g_date_time_add_months (now, 1);

  edges[0] = cria_spending_month_start (now);
  edges[1] = cria_spending_month_end (now);
  edges[2] = cria_spending_month_end (next);
  g_assert_cmpint (cria_spending_month_start (next), ==, edges[1]);
}

/* Days and months are local, whatever the zone's offset (quarter hours:
 * Kathmandu +05:45, the Chatham Islands +12:45 and +13:45) and across the
 * changes of clocks: an answer at 23:50 on the last day of a month is in
 * that month, one at 00:05 in the next. */
static void
test_spending_time_zones (Fixture       *f,
                          gconstpointer  data)
{
  static const int new_york_spring[][5] = {
    { 2026, 3, 7, 23, 50 }, { 2026, 3, 8, 0, 5 }, { 2026, 3, 8, 23, 50 }, { 2026, 3, 9, 0, 5 },
  };
  static const int new_york_autumn[][5] = {
    { 2026, 10, 31, 23, 50 }, { 2026, 11, 1, 0, 5 }, { 2026, 11, 1, 23, 50 }, { 2026, 11, 2, 0, 5 },
  };
  static const int kathmandu[][5] = { { 2025, 1, 31, 23, 50 }, { 2025, 2, 1, 0, 5 } };
  static const int chatham_summer[][5] = { { 2027, 1, 31, 23, 50 }, { 2027, 2, 1, 0, 5 } };
  static const int chatham_winter[][5] = { { 2027, 7, 31, 23, 50 }, { 2027, 8, 1, 0, 5 } };
  static const int chatham_autumn[][5] = {
    { 2027, 4, 3, 23, 50 }, { 2027, 4, 4, 0, 5 }, { 2027, 4, 4, 23, 50 }, { 2027, 4, 5, 0, 5 },
  };
  static const gint64 one_two_one[] = { 1, 2, 1 };
  static const gint64 one_one[] = { 1, 1 };
  static const gint64 one_three[] = { 1, 3 };
  gint64 months[3];

  save_answers_at (f, "America/New_York", new_york_spring, G_N_ELEMENTS (new_york_spring));
  save_answers_at (f, "America/New_York", new_york_autumn, G_N_ELEMENTS (new_york_autumn));
  save_answers_at (f, "Asia/Kathmandu", kathmandu, G_N_ELEMENTS (kathmandu));
  save_answers_at (f, "Pacific/Chatham", chatham_summer, G_N_ELEMENTS (chatham_summer));
  save_answers_at (f, "Pacific/Chatham", chatham_winter, G_N_ELEMENTS (chatham_winter));
  save_answers_at (f, "Pacific/Chatham", chatham_autumn, G_N_ELEMENTS (chatham_autumn));
  assert_sums_consistent (f);

  /* New York: a 23-hour day in March, a 25-hour one in November. */
  {
    g_autofree gint64 *edges = three_days ("America/New_York", 2026, 3, 9);
    g_autoptr(CriaSpending) spending = query (f->store, edges, 4, 0);

    g_assert_cmpint (edges[2] - edges[1], ==, 23 * G_TIME_SPAN_HOUR);
    assert_period_answers (spending, one_two_one);
    assert_report (f, edges, 4, 3);
  }
  {
    g_autofree gint64 *edges = three_days ("America/New_York", 2026, 11, 2);
    g_autoptr(CriaSpending) spending = query (f->store, edges, 4, 0);

    g_assert_cmpint (edges[2] - edges[1], ==, 25 * G_TIME_SPAN_HOUR);
    assert_period_answers (spending, one_two_one);
    assert_report (f, edges, 4, 3);
  }
  {
    g_autoptr(CriaSpending) spending = NULL;

    two_months ("America/New_York", 2026, 10, months);
    spending = query (f->store, months, 3, 0);
    assert_period_answers (spending, one_three);
    assert_report (f, months, 3, 3);
  }

  /* Kathmandu's midnight is at a quarter past the UTC hour: both answers
   * are in the same UTC hour, and on the same UTC day. */
  {
    g_autoptr(CriaSpending) spending = NULL;

    two_months ("Asia/Kathmandu", 2025, 1, months);
    g_assert_cmpint (months[1] % G_TIME_SPAN_HOUR, ==, 15 * G_TIME_SPAN_MINUTE);
    spending = query (f->store, months, 3, 0);
    assert_period_answers (spending, one_one);
    assert_report (f, months, 3, 3);
  }

  /* The Chatham Islands, in summer and in winter time, and the day their
   * clocks go back. */
  {
    g_autoptr(CriaSpending) spending = NULL;

    two_months ("Pacific/Chatham", 2027, 1, months);
    spending = query (f->store, months, 3, 0);
    assert_period_answers (spending, one_one);
    assert_report (f, months, 3, 3);
  }
  {
    g_autoptr(CriaSpending) spending = NULL;

    two_months ("Pacific/Chatham", 2027, 7, months);
    spending = query (f->store, months, 3, 0);
    assert_period_answers (spending, one_one);
    assert_report (f, months, 3, 3);
  }
  {
    g_autofree gint64 *edges = three_days ("Pacific/Chatham", 2027, 4, 5);
    g_autoptr(CriaSpending) spending = query (f->store, edges, 4, 0);

    g_assert_cmpint (edges[2] - edges[1], ==, 25 * G_TIME_SPAN_HOUR);
    assert_period_answers (spending, one_two_one);
    assert_report (f, edges, 4, 3);
  }
}

/* Periods that do not start on a quarter hour: a quarter belongs to the
 * period its start is in. */
static void
test_spending_uneven_edges (Fixture       *f,
                            gconstpointer  data)
{
  gint64 start = local_time ("UTC", 2026, 7, 1, 10, 0);
  g_autoptr(CriaConversationRecord) conversation = save_conversation (f, "Quarters", start);
  g_autoptr(CriaMessageRecord) early = make_answer ("model-a", start + 2 * G_TIME_SPAN_MINUTE, 1, 1, 0.1, FALSE);
  g_autoptr(CriaMessageRecord) late = make_answer ("model-a", start + 14 * G_TIME_SPAN_MINUTE, 1, 1, 0.2, FALSE);
  /* 10:05 cuts the quarter 10:00–10:15: all of it is on the side of its start. */
  gint64 edges[] = { start - G_TIME_SPAN_HOUR, start + 5 * G_TIME_SPAN_MINUTE, start + G_TIME_SPAN_HOUR };
  static const gint64 expected[] = { 2, 0 };
  g_autoptr(CriaSpending) spending = NULL;
  guint position = 0;

  save_exchange (f, conversation->id, &position, early);
  save_exchange (f, conversation->id, &position, late);
  spending = query (f->store, edges, 3, 1);
  assert_period_answers (spending, expected);
  g_assert_cmpuint (spending->range_models->len, ==, 1);
}

/* The most expensive conversations, in order, as many as asked for, with
 * their titles; text that is not UTF-8 comes out valid. */
static void
test_spending_top (Fixture       *f,
                   gconstpointer  data)
{
  gint64 start = local_time ("UTC", 2026, 8, 1, 0, 0);
  gint64 edges[] = { start, start + 30 * G_TIME_SPAN_DAY };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint c = 0; c < 15; c++)
    {
      g_autofree char *title = g_strdup_printf ("Conversation %u", c);
      g_autoptr(CriaConversationRecord) conversation =
        save_conversation (f, c == 3 ? NULL : c == 4 ? "Bad \xff\xfe title" : title, start);
      guint position = 0;

      g_ptr_array_add (ids, g_strdup (conversation->id));
      /* Costs that sort differently from the order of saving. */
      for (guint i = 0; i < 1 + c % 4; i++)
        {
          g_autoptr(CriaMessageRecord) answer =
            make_answer (c == 5 ? "bad\xfe-model" : "model-a", start + (c * 10 + i) * G_TIME_SPAN_HOUR,
                         10, 10, ((c * 7) % 15 + 1) * 0.001, i == 1);

          save_exchange (f, conversation->id, &position, answer);
        }
    }
  /* Answers that cost nothing known: listed last. One that counts for
   * nothing: not listed. */
  {
    g_autoptr(CriaConversationRecord) unpriced = save_conversation (f, "Unpriced", start);
    g_autoptr(CriaConversationRecord) nothing = save_conversation (f, "Nothing", start);
    g_autoptr(CriaMessageRecord) a = make_answer ("local", start + G_TIME_SPAN_HOUR, 10, 10, -1, FALSE);
    g_autoptr(CriaMessageRecord) b = make_answer ("local", start + G_TIME_SPAN_HOUR, -1, -1, -1, FALSE);
    guint position = 0;

    save_exchange (f, unpriced->id, &position, a);
    position = 0;
    save_exchange (f, nothing->id, &position, b);
  }

  /* The title and model the store holds are not UTF-8; the ledger has
   * what should come out. */
  g_hash_table_replace (f->ledger.titles, g_strdup (g_ptr_array_index (ids, 4)),
                        g_utf8_make_valid ("Bad \xff\xfe title", -1));
  {
    GHashTableIter iter;
    Saved *saved;

    g_hash_table_iter_init (&iter, f->ledger.messages);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &saved))
      {
        if (g_strcmp0 (saved->record->model, "bad\xfe-model") == 0)
          {
            g_free (saved->record->model);
            saved->record->model = g_utf8_make_valid ("bad\xfe-model", -1);
          }
      }
  }

  assert_sums_consistent (f);
  assert_report (f, edges, 2, 10);
  assert_report (f, edges, 2, 100);
  assert_report (f, edges, 2, 1);
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 2, 100);
    const CriaSpendingConversation *last = NULL;

    g_assert_cmpuint (spending->top_conversations->len, ==, 16);
    for (guint i = 0; i < spending->top_conversations->len; i++)
      {
        const CriaSpendingConversation *conversation = g_ptr_array_index (spending->top_conversations, i);

        g_assert_true (conversation->title == NULL || g_utf8_validate (conversation->title, -1, NULL));
        if (last != NULL)
          g_assert_cmpfloat (last->cost, >=, conversation->cost);
        last = conversation;
      }
    g_assert_cmpstr (last->title, ==, "Unpriced");
    g_assert_cmpfloat (last->cost, ==, 0);
    for (guint i = 0; i < spending->all_time_models->len; i++)
      {
        const CriaSpendingRow *row = g_ptr_array_index (spending->all_time_models, i);

        g_assert_true (g_utf8_validate (row->model, -1, NULL));
      }
  }
  {
    g_autoptr(CriaSpending) spending = query (f->store, edges, 2, 0);

    g_assert_cmpuint (spending->top_conversations->len, ==, 0);
  }
}

/* A database as version 4 made it, written by hand. */
static const char schema_v4[] =
  "CREATE TABLE conversations ("
  "  id            TEXT PRIMARY KEY NOT NULL,"
  "  title         TEXT,"
  "  model         TEXT,"
  "  system_prompt TEXT,"
  "  temperature   REAL,"
  "  max_tokens    INTEGER,"
  "  created       INTEGER NOT NULL,"
  "  updated       INTEGER NOT NULL);"
  "CREATE INDEX conversations_updated ON conversations (updated);"
  "CREATE TABLE messages ("
  "  id              INTEGER PRIMARY KEY,"
  "  uuid            TEXT NOT NULL UNIQUE,"
  "  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,"
  "  position        INTEGER NOT NULL,"
  "  role            TEXT NOT NULL,"
  "  content         TEXT NOT NULL DEFAULT '',"
  "  reasoning       TEXT NOT NULL DEFAULT '',"
  "  state           TEXT NOT NULL DEFAULT 'complete',"
  "  model           TEXT,"
  "  tokens_in       INTEGER,"
  "  tokens_out      INTEGER,"
  "  estimated       INTEGER NOT NULL DEFAULT 0,"
  "  cost            REAL,"
  "  thinking_time   INTEGER NOT NULL DEFAULT 0,"
  "  created         INTEGER NOT NULL);"
  "CREATE INDEX messages_conversation ON messages (conversation_id, position);"
  "CREATE TABLE images ("
  "  hash TEXT PRIMARY KEY NOT NULL,"
  "  mime TEXT,"
  "  data BLOB,"
  "  url  TEXT);"
  "CREATE TABLE message_images ("
  "  message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,"
  "  idx        INTEGER NOT NULL,"
  "  hash       TEXT NOT NULL REFERENCES images (hash),"
  "  PRIMARY KEY (message_id, idx));"
  "CREATE INDEX message_images_hash ON message_images (hash);"
  "ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE conversations ADD COLUMN top_p REAL;"
  "ALTER TABLE conversations ADD COLUMN presence_penalty REAL;"
  "ALTER TABLE conversations ADD COLUMN frequency_penalty REAL;"
  "ALTER TABLE conversations ADD COLUMN stop TEXT;"
  "ALTER TABLE conversations ADD COLUMN seed INTEGER;"
  "CREATE INDEX conversations_order ON conversations (pinned, updated);"
  "ALTER TABLE messages ADD COLUMN params TEXT;"
  "ALTER TABLE messages ADD COLUMN reasoning_tokens INTEGER;"
  "ALTER TABLE messages ADD COLUMN error TEXT;"
  "ALTER TABLE messages ADD COLUMN tokens_per_second REAL NOT NULL DEFAULT 0;"
  "CREATE INDEX messages_streaming ON messages (state) WHERE state = 'streaming';"
  "CREATE VIRTUAL TABLE messages_fts USING fts5 ("
  "  content, content = 'messages', content_rowid = 'id', prefix = '1 2',"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');"
  "CREATE VIRTUAL TABLE conversations_fts USING fts5 ("
  "  title, conversation_id UNINDEXED,"
  "  tokenize = 'unicode61 remove_diacritics 2');"
  "CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN"
  "  INSERT INTO conversations_fts (title, conversation_id) VALUES (coalesce (new.title, ''), new.id);"
  "END;"
  "CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN"
  "  DELETE FROM conversations_fts WHERE conversation_id = old.id;"
  "END;"
  "CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN"
  "  DELETE FROM conversations_fts WHERE conversation_id = old.id;"
  "  INSERT INTO conversations_fts (title, conversation_id) VALUES (coalesce (new.title, ''), new.id);"
  "END;"
  "INSERT INTO conversations_fts (title, conversation_id)"
  "  SELECT coalesce (title, ''), id FROM conversations;"
  "DROP TRIGGER messages_fts_insert;"
  "DROP TRIGGER messages_fts_delete;"
  "DROP TRIGGER messages_fts_update;"
  "INSERT INTO messages_fts (messages_fts, rowid, content)"
  "  SELECT 'delete', id, content FROM messages WHERE state = 'streaming';"
  "CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.state != 'streaming' BEGIN"
  "  INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);"
  "END;"
  "CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.state != 'streaming' BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);"
  "END;"
  "CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, state ON messages BEGIN"
  "  INSERT INTO messages_fts (messages_fts, rowid, content)"
  "    SELECT 'delete', old.id, old.content WHERE old.state != 'streaming';"
  "  INSERT INTO messages_fts (rowid, content)"
  "    SELECT new.id, new.content WHERE new.state != 'streaming';"
  "END;"
  "ALTER TABLE messages ADD COLUMN finish_reason TEXT;"
  "ALTER TABLE messages ADD COLUMN tool_calls TEXT;"
  "PRAGMA user_version = 4;";

static void
test_spending_migrate_v4 (Fixture       *f,
                          gconstpointer  data)
{
  /* Times: 2026-09-01 10:00 and 11:00 UTC, and the day after. */
  static const char rows[] =
    "INSERT INTO conversations (id, title, model, created, updated) VALUES"
    " ('c1', 'Old answers', 'model-a', 1788256800000000, 1788256800000000),"
    " ('c2', NULL, 'model-b', 1788256800000000, 1788256800000000);"
    "INSERT INTO messages (uuid, conversation_id, position, role, content, state, model, tokens_in, tokens_out,"
    " estimated, cost, created) VALUES"
    " ('m1', 'c1', 0, 'user', 'Hello', 'complete', NULL, NULL, NULL, 0, NULL, 1788256800000000),"
    " ('m2', 'c1', 1, 'assistant', 'Hi', 'complete', 'model-a', 100, 200, 0, 0.002, 1788256800000000),"
    " ('m3', 'c1', 2, 'assistant', 'Again', 'stopped', 'model-a', 50, 60, 1, 0.0005, 1788260400000000),"
    " ('m4', 'c1', 3, 'assistant', 'Local', 'complete', 'local-llm', 10, 20, 0, NULL, 1788260400000000),"
    " ('m5', 'c1', 4, 'assistant', 'No usage', 'complete', 'model-a', NULL, NULL, 0, NULL, 1788260400000000),"
    " ('m6', 'c2', 0, 'assistant', 'Cut off', 'streaming', 'model-b', 5, 5, 0, 0.25, 1788343200000000),"
    " ('m7', 'c2', 1, 'assistant', '', 'failed', 'model-b', NULL, NULL, 0, NULL, 1788343200000000),"
    " ('m8', 'c2', 2, 'assistant', 'Nameless', 'complete', NULL, NULL, 7, 0, NULL, 1788343200000000);";
  gint64 edges[] = { 1788220800000000, 1788307200000000, 1788393600000000 };
  g_autoptr(CriaSpending) spending = NULL;
  const CriaSpendingRow *row;
  const CriaSpendingConversation *top;
  sqlite3 *db;
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, schema_v4, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = open_store (f->path);
  /* The answer left streaming is now interrupted, and counts. */
  assert_sums_consistent (f);

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, CRIA_STORE_SCHEMA_VERSION);
  g_assert_cmpint (CRIA_STORE_SCHEMA_VERSION, >=, 5);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  spending = query (f->store, edges, 3, 10);
  g_assert_cmpuint (spending->all_time_models->len, ==, 4);
  row = g_ptr_array_index (spending->all_time_models, 0);
  g_assert_cmpstr (row->model, ==, "model-b");
  g_assert_cmpint (row->answers, ==, 1);
  g_assert_cmpfloat_with_epsilon (row->cost, 0.25, 1e-12);
  row = g_ptr_array_index (spending->all_time_models, 1);
  g_assert_cmpstr (row->model, ==, "model-a");
  g_assert_cmpint (row->answers, ==, 2);
  g_assert_cmpint (row->tokens_in, ==, 150);
  g_assert_cmpint (row->tokens_out, ==, 260);
  g_assert_cmpfloat_with_epsilon (row->cost, 0.0025, 1e-12);
  g_assert_cmpint (row->estimated, ==, 1);
  g_assert_cmpint (row->unpriced, ==, 0);
  /* No price: listed by name after the others. */
  row = g_ptr_array_index (spending->all_time_models, 2);
  g_assert_cmpstr (row->model, ==, "");
  g_assert_cmpint (row->tokens_out, ==, 7);
  g_assert_cmpint (row->unpriced, ==, 1);
  row = g_ptr_array_index (spending->all_time_models, 3);
  g_assert_cmpstr (row->model, ==, "local-llm");
  g_assert_cmpint (row->unpriced, ==, 1);
  g_assert_cmpfloat (row->cost, ==, 0);

  /* The first day holds c1's answers, the second c2's. */
  g_assert_cmpuint (spending->periods[0]->len, ==, 2);
  g_assert_cmpuint (spending->periods[1]->len, ==, 2);
  g_assert_cmpstr (((CriaSpendingRow *) g_ptr_array_index (spending->periods[1], 0))->model, ==, "model-b");

  g_assert_cmpuint (spending->top_conversations->len, ==, 2);
  top = g_ptr_array_index (spending->top_conversations, 0);
  g_assert_cmpstr (top->id, ==, "c2");
  g_assert_null (top->title);
  g_assert_cmpint (top->answers, ==, 2);
  g_assert_cmpfloat_with_epsilon (top->cost, 0.25, 1e-12);
  top = g_ptr_array_index (spending->top_conversations, 1);
  g_assert_cmpstr (top->id, ==, "c1");
  g_assert_cmpstr (top->title, ==, "Old answers");
  g_assert_cmpint (top->answers, ==, 3);
  g_assert_cmpint (top->estimated, ==, 1);
}

/* Runs @sql on @db with @text and @number bound to ?1 and ?2, to the end. */
static void
exec_bound (sqlite3    *db,
            const char *sql,
            const char *text,
            gint64      number)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, number);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* The report reads the sums, not the messages: with the messages gone
 * behind the triggers' back it still says what the sums say, and a change
 * made to a sum by hand shows in it. */
static void
test_spending_reads_sums (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = make_month (f);
  guint n_edges;
  g_autofree gint64 *edges = march_edges (&n_edges);
  g_autoptr(CriaSpending) before = NULL;
  g_autoptr(CriaSpending) after = NULL;
  g_autoptr(CriaSpendingRow) range_before = NULL;
  g_autoptr(CriaSpendingRow) range_after = NULL;
  g_autoptr(CriaSpendingRow) first_before = NULL;
  g_autoptr(CriaSpendingRow) first_after = NULL;
  const CriaSpendingConversation *top;
  const char *first_id = g_ptr_array_index (ids, 0);
  double first_cost = 0;
  sqlite3 *db;

  flush (f->store);
  before = query (f->store, edges, n_edges, 100);
  for (guint i = 0; i < before->top_conversations->len; i++)
    {
      top = g_ptr_array_index (before->top_conversations, i);
      if (g_str_equal (top->id, first_id))
        first_cost = top->cost;
    }

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "DROP TRIGGER spending_delete; DELETE FROM messages;", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  /* One more answer and a dollar in the month's first quarter hour, two
   * dollars for a model, a hundred for a conversation. */
  exec_bound (db, "INSERT INTO spending_buckets VALUES (?2, ?1, 1, 0, 0, 1000000000000, 0, 0)",
              "model-a", edges[0] / QUARTER_US);
  exec_bound (db, "UPDATE spending_models SET cost = cost + ?2 WHERE model = ?1", "model-a", 2000000000000);
  exec_bound (db, "UPDATE spending_conversations SET cost = cost + ?2 WHERE conversation_id = ?1",
              first_id, 100000000000000);
  sqlite3_close (db);

  after = query (f->store, edges, n_edges, 100);
  range_before = cria_spending_rows_total (before->range_models);
  range_after = cria_spending_rows_total (after->range_models);
  g_assert_cmpint (range_after->answers, ==, range_before->answers + 1);
  g_assert_cmpfloat_with_epsilon (range_after->cost, range_before->cost + 1, 1e-9);
  first_before = cria_spending_rows_total (before->periods[0]);
  first_after = cria_spending_rows_total (after->periods[0]);
  g_assert_cmpint (first_after->answers, ==, first_before->answers + 1);
  for (guint i = 1; i < after->n_periods; i++)
    assert_rows_identical (before->periods[i], after->periods[i]);
  for (guint i = 0; i < after->all_time_models->len; i++)
    {
      const CriaSpendingRow *row_before = g_ptr_array_index (before->all_time_models, i);
      const CriaSpendingRow *row_after = g_ptr_array_index (after->all_time_models, i);

      g_assert_cmpstr (row_after->model, ==, row_before->model);
      g_assert_cmpint (row_after->answers, ==, row_before->answers);
      g_assert_cmpfloat_with_epsilon (row_after->cost,
                                      row_before->cost + (g_str_equal (row_after->model, "model-a") ? 2 : 0),
                                      1e-9);
    }
  top = g_ptr_array_index (after->top_conversations, 0);
  g_assert_cmpstr (top->id, ==, first_id);
  g_assert_cmpfloat_with_epsilon (top->cost, first_cost + 100, 1e-9);
}

/* Another program changes one column of an answer at a time: each change
 * is followed by the sums. */
static void
test_spending_other_writers (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const updates[] = {
    "UPDATE messages SET cost = 0.75 WHERE uuid = ?1",
    "UPDATE messages SET tokens_in = 1234 WHERE uuid = ?1",
    "UPDATE messages SET tokens_out = 4321 WHERE uuid = ?1",
    "UPDATE messages SET estimated = 1 WHERE uuid = ?1",
    "UPDATE messages SET model = 'model-z' WHERE uuid = ?1",
    "UPDATE messages SET created = created + 86400000000 WHERE uuid = ?1",
    "UPDATE messages SET conversation_id = (SELECT id FROM conversations WHERE title = 'Other') WHERE uuid = ?1",
    "UPDATE messages SET cost = NULL WHERE uuid = ?1",
    "UPDATE messages SET tokens_out = NULL WHERE uuid = ?1",
    "UPDATE messages SET cost = 0.5, tokens_out = 10 WHERE uuid = ?1",
    "UPDATE messages SET state = 'streaming' WHERE uuid = ?1",
    "UPDATE messages SET state = 'stopped' WHERE uuid = ?1",
    "UPDATE messages SET role = 'user' WHERE uuid = ?1",
    "UPDATE messages SET role = 'assistant' WHERE uuid = ?1",
    "DELETE FROM messages WHERE uuid = ?1",
  };
  gint64 start = local_time ("UTC", 2026, 9, 1, 0, 0);
  g_autoptr(CriaConversationRecord) conversation = save_conversation (f, "Edited elsewhere", start);
  g_autoptr(CriaConversationRecord) other = save_conversation (f, "Other", start);
  g_autoptr(CriaMessageRecord) answer = make_answer ("model-a", start + G_TIME_SPAN_HOUR, 10, 20, 0.25, FALSE);
  g_autoptr(CriaMessageRecord) neighbour = make_answer ("model-a", start + G_TIME_SPAN_HOUR, 1, 2, 0.125, FALSE);
  guint position = 0;

  save_exchange (f, conversation->id, &position, answer);
  save_exchange (f, conversation->id, &position, neighbour);
  assert_sums_consistent (f);

  for (guint i = 0; i < G_N_ELEMENTS (updates); i++)
    {
      sqlite3 *db;

      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      exec_bound (db, updates[i], answer->id, 0);
      g_assert_cmpint (sqlite3_changes (db), ==, 1);
      sqlite3_close (db);
      g_test_message ("%s", updates[i]);
      assert_sums_consistent (f);
    }
}

/* A cancelled query returns G_IO_ERROR_CANCELLED. */
static void
test_spending_cancelled (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gint64 edges[] = { 0, G_TIME_SPAN_DAY };
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaSpending) spending = NULL;

  /* Cancelled while it waits for the worker. */
  _cria_store_hold_worker (f->store);
  cria_store_spending_async (f->store, edges, 2, 10, cancellable, result_cb, &result);
  g_cancellable_cancel (cancellable);
  _cria_store_release_worker (f->store);
  spending = cria_store_spending_finish (f->store, wait_for_result (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (spending);
  g_object_unref (result);
}

/* One of the @n conversations, but not the one that is deleted (@gone,
 * G_MAXUINT for none). */
static guint
pick_conversation (Fixture *f,
                   guint    n,
                   guint    gone)
{
  guint c;

  do
    c = g_rand_int_range (f->rand, 0, n);
  while (c == gone);

  return c;
}

/* An answer saved again: it ends, grows, changes model or figures, or
 * streams again (Continue). */
static void
change_answer (Fixture           *f,
               CriaMessageRecord *answer)
{
  static const char * const models[] = { "model-a", "model-b", NULL };

  switch (g_rand_int_range (f->rand, 0, 5))
    {
    case 0:
      answer->state = answer->state == CRIA_MESSAGE_STATE_STREAMING
                      ? CRIA_MESSAGE_STATE_COMPLETE : CRIA_MESSAGE_STATE_STREAMING;
      break;
    case 1:
      answer->tokens_out = g_rand_int_range (f->rand, -1, 900);
      break;
    case 2:
      answer->cost = g_rand_boolean (f->rand) ? g_rand_double_range (f->rand, 0, 0.2) : -1;
      break;
    case 3:
      g_free (answer->model);
      answer->model = g_strdup (models[g_rand_int_range (f->rand, 0, G_N_ELEMENTS (models))]);
      break;
    default:
      answer->estimated = !answer->estimated;
      answer->state = CRIA_MESSAGE_STATE_STOPPED;
      break;
    }
}

/* Another program moves an answer to another day or conversation, or makes
 * it a question: the store never does, and the sums follow all the same. */
static void
edit_elsewhere (Fixture           *f,
                CriaMessageRecord *answer,
                const char        *other_conversation)
{
  Saved *saved = g_hash_table_lookup (f->ledger.messages, answer->id);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  flush (f->store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL), ==, SQLITE_OK);
  switch (g_rand_int_range (f->rand, 0, 6))
    {
    case 0:
      exec_bound (db, "UPDATE messages SET created = created + ?2 WHERE uuid = ?1", answer->id,
                  G_TIME_SPAN_DAY + 7 * G_TIME_SPAN_MINUTE);
      answer->created += G_TIME_SPAN_DAY + 7 * G_TIME_SPAN_MINUTE;
      saved->record->created = answer->created;
      break;
    case 1:
      g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE messages SET conversation_id = ?1 WHERE uuid = ?2",
                                           -1, &stmt, NULL), ==, SQLITE_OK);
      sqlite3_bind_text (stmt, 1, other_conversation, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, answer->id, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      g_free (saved->conversation_id);
      saved->conversation_id = g_strdup (other_conversation);
      break;
    case 2:
      exec_bound (db, "UPDATE messages SET role = 'user' WHERE uuid = ?1", answer->id, 0);
      saved->record->role = CRIA_ROLE_USER;
      answer->role = CRIA_ROLE_USER;
      break;
    case 3:
      /* Repriced: one column alone. */
      exec_bound (db, "UPDATE messages SET cost = ?2 / 1000.0 WHERE uuid = ?1", answer->id, 125);
      answer->cost = saved->record->cost = 0.125;
      break;
    case 4:
      exec_bound (db, "UPDATE messages SET tokens_out = ?2 WHERE uuid = ?1", answer->id, 77);
      answer->tokens_out = saved->record->tokens_out = 77;
      break;
    default:
      exec_bound (db, "UPDATE messages SET model = ?1 || '-renamed' WHERE uuid = ?1", answer->id, 0);
      g_free (answer->model);
      answer->model = g_strconcat (answer->id, "-renamed", NULL);
      g_free (saved->record->model);
      saved->record->model = g_strdup (answer->model);
      break;
    }
  sqlite3_close (db);
}

/* Cria restarts: what was streaming is interrupted. */
static void
restart (Fixture   *f,
         GPtrArray *answers)
{
  GHashTableIter iter;
  Saved *saved;

  g_assert_finalize_object (g_steal_pointer (&f->store));
  f->store = open_store (f->path);
  g_hash_table_iter_init (&iter, f->ledger.messages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &saved))
    {
      if (saved->record->state == CRIA_MESSAGE_STATE_STREAMING)
        saved->record->state = CRIA_MESSAGE_STATE_INTERRUPTED;
    }
  for (guint i = 0; i < answers->len; i++)
    {
      CriaMessageRecord *answer = g_ptr_array_index (answers, i);

      if (answer->state == CRIA_MESSAGE_STATE_STREAMING)
        answer->state = CRIA_MESSAGE_STATE_INTERRUPTED;
    }
}

/* Many saves, edits, deletes and undos in random order, a few restarts, and
 * edits by another program: after every few, the sums are exactly what the
 * messages add up to, and the report is what the test saved. */
static void
test_spending_random (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const models[] = { "model-a", "model-b", "local-llm", NULL };
  gint64 start = local_time ("Europe/Berlin", 2026, 10, 20, 0, 0);
  g_autoptr(GDateTime) now = local_date_time ("Europe/Berlin", 2026, 10, 31, 12);
  guint n_edges;
  g_autofree gint64 *edges = cria_spending_day_edges (now, 12, &n_edges);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  /* Each answer as last saved; the ledger says whether it is still there
   * and where. */
  g_autoptr(GPtrArray) answers = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_message_record_free);
  g_autoptr(CriaConversationRecord) deleted = NULL;
  g_autoptr(GPtrArray) deleted_messages = NULL;
  guint gone = G_MAXUINT;
  guint positions[6] = { 0 };

  for (guint c = 0; c < G_N_ELEMENTS (positions); c++)
    {
      g_autoptr(CriaConversationRecord) conversation = save_conversation (f, NULL, start);

      g_ptr_array_add (ids, g_strdup (conversation->id));
    }

  for (guint step = 1; step <= 400; step++)
    {
      guint action = g_rand_int_range (f->rand, 0, 100);
      CriaMessageRecord *answer = answers->len > 0
                                  ? g_ptr_array_index (answers, g_rand_int_range (f->rand, 0, answers->len))
                                  : NULL;
      Saved *saved = answer != NULL ? g_hash_table_lookup (f->ledger.messages, answer->id) : NULL;
      guint c = pick_conversation (f, ids->len, gone);

      if (action < 45 || saved == NULL)
        {
          gint64 created = start + g_rand_int_range (f->rand, 0, 12 * 24 * 60) * G_TIME_SPAN_MINUTE;

          answer = make_answer (models[g_rand_int_range (f->rand, 0, G_N_ELEMENTS (models))], created,
                                g_rand_int_range (f->rand, -1, 500), g_rand_int_range (f->rand, -1, 500),
                                g_rand_boolean (f->rand) ? g_rand_double_range (f->rand, 0, 0.1) : -1,
                                g_rand_boolean (f->rand));
          if (g_rand_int_range (f->rand, 0, 4) == 0)
            answer->state = CRIA_MESSAGE_STATE_STREAMING;
          save_exchange (f, ids->pdata[c], &positions[c], answer);
          g_ptr_array_add (answers, answer);
        }
      else if (action < 80)
        {
          g_autofree char *owner = g_strdup (saved->conversation_id);

          change_answer (f, answer);
          save_message (f, owner, 1, answer);
        }
      else if (action < 88)
        keep_messages (f, ids->pdata[c], keep_all_but_last_exchange);
      else if (action < 93)
        {
          if (deleted != NULL)
            {
              import (f, deleted, deleted_messages);
              g_clear_pointer (&deleted, cria_conversation_record_free);
              g_clear_pointer (&deleted_messages, g_ptr_array_unref);
              gone = G_MAXUINT;
            }
          else
            {
              delete_conversation (f, ids->pdata[c], &deleted, &deleted_messages);
              ledger_forget_conversation (&f->ledger, ids->pdata[c]);
              gone = c;
            }
        }
      else if (action < 96)
        restart (f, answers);
      else if (saved->record->role == CRIA_ROLE_ASSISTANT)
        edit_elsewhere (f, answer, ids->pdata[c]);

      if (step % 40 == 0)
        {
          assert_sums_consistent (f);
          assert_report (f, edges, n_edges, 4);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/spending/report", Fixture, NULL, fixture_set_up, test_spending_report, fixture_tear_down);
  g_test_add ("/spending/streaming", Fixture, NULL, fixture_set_up, test_spending_streaming, fixture_tear_down);
  g_test_add ("/spending/continue", Fixture, NULL, fixture_set_up, test_spending_continue, fixture_tear_down);
  g_test_add ("/spending/delete-and-undo", Fixture, NULL, fixture_set_up, test_spending_delete_and_undo,
              fixture_tear_down);
  g_test_add ("/spending/time-zones", Fixture, NULL, fixture_set_up, test_spending_time_zones, fixture_tear_down);
  g_test_add ("/spending/uneven-edges", Fixture, NULL, fixture_set_up, test_spending_uneven_edges,
              fixture_tear_down);
  g_test_add ("/spending/top", Fixture, NULL, fixture_set_up, test_spending_top, fixture_tear_down);
  g_test_add ("/spending/migrate-v4", Fixture, "later", fixture_set_up, test_spending_migrate_v4,
              fixture_tear_down);
  g_test_add ("/spending/reads-sums", Fixture, NULL, fixture_set_up, test_spending_reads_sums, fixture_tear_down);
  g_test_add ("/spending/other-writers", Fixture, NULL, fixture_set_up, test_spending_other_writers,
              fixture_tear_down);
  g_test_add ("/spending/cancelled", Fixture, NULL, fixture_set_up, test_spending_cancelled, fixture_tear_down);
  g_test_add ("/spending/random", Fixture, NULL, fixture_set_up, test_spending_random, fixture_tear_down);

  return g_test_run ();
}

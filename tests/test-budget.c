/* test-budget.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CriaBudget against a real store: the month's total follows what is saved
 * and deleted, the levels at 80 % and 100 %, no queries without a budget,
 * and one query at a time however much is saved meanwhile.
 */

#include <math.h>

#include <glib/gstdio.h>

#include "cria-budget-private.h"
#include "cria-spending-periods.h"
#include "cria-store-private.h"
#include "cria-test-util.h"

#define MODEL "llama-3.1-8b"

typedef struct
{
  char       *dir;
  CriaStore  *store;
  CriaBudget *budget;
  guint       n_month_cost_notifies;
  guint       n_level_notifies;
  gboolean    timed_out;
} Fixture;

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;

  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);

  while (*slot == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);

  return *slot;
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

/* Every write so far is announced, and the budget's queries that follow
 * have come back: its figures are final. */
static void
settle (Fixture *f)
{
  gboolean timed_out = FALSE;
  guint id;

  flush (f->store);
  id = g_timeout_add_seconds (20, timed_out_cb, &timed_out);
  while (_cria_budget_get_querying (f->budget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
month_cost_notify_cb (Fixture *f)
{
  f->n_month_cost_notifies++;
}

static void
level_notify_cb (Fixture *f)
{
  f->n_level_notifies++;
}

static void
make_budget (Fixture *f)
{
  f->budget = cria_budget_new (f->store);
  g_signal_connect_swapped (f->budget, "notify::month-cost", G_CALLBACK (month_cost_notify_cb), f);
  g_signal_connect_swapped (f->budget, "notify::level", G_CALLBACK (level_notify_cb), f);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("cria-budget-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cria.db", NULL);
  f->store = cria_store_new (path);
  make_budget (f);
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
  if (f->budget != NULL)
    {
      settle (f);
      g_assert_finalize_object (f->budget);
    }
  flush (f->store);
  g_assert_finalize_object (f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
this_month_start (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return cria_spending_month_start (now);
}

/* An answer as the recorder saves it once it has ended. */
static CriaMessageRecord *
make_answer (double           cost,
             gboolean         estimated,
             CriaMessageState state,
             gint64           created)
{
  CriaMessageRecord *answer = cria_message_record_new ();

  answer->id = g_uuid_string_random ();
  answer->role = CRIA_ROLE_ASSISTANT;
  g_free (answer->content);
  answer->content = g_strdup ("An answer.");
  answer->state = state;
  answer->model = g_strdup (MODEL);
  answer->tokens_in = 100;
  answer->tokens_out = 20;
  answer->estimated = estimated;
  answer->cost = cost;
  answer->created = created;

  return answer;
}

/* Saves a conversation of a question and an answer that cost @cost,
 * given at @created; returns its id. */
static char *
save_conversation_at (Fixture  *f,
                      double    cost,
                      gboolean  estimated,
                      gint64    created)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  g_autoptr(CriaMessageRecord) question = cria_message_record_new ();
  g_autoptr(CriaMessageRecord) answer = make_answer (cost, estimated, CRIA_MESSAGE_STATE_COMPLETE, created);

  record->title = g_strdup ("Budget");
  record->model = g_strdup (MODEL);
  record->created = record->updated = created;
  cria_store_save_conversation (f->store, record);

  question->id = g_uuid_string_random ();
  question->role = CRIA_ROLE_USER;
  g_free (question->content);
  question->content = g_strdup ("A question.");
  question->created = created;
  cria_store_save_message (f->store, record->id, 0, question);
  cria_store_save_message (f->store, record->id, 1, answer);

  return g_strdup (record->id);
}

static char *
save_conversation (Fixture  *f,
                   double    cost,
                   gboolean  estimated)
{
  return save_conversation_at (f, cost, estimated, g_get_real_time ());
}

static void
delete_conversation (Fixture    *f,
                     const char *id)
{
  GAsyncResult *result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CriaConversationRecord) deleted = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  cria_store_delete_conversation_async (f->store, id, NULL, result_cb, &result);
  deleted = cria_store_delete_conversation_finish (f->store, wait_for_result (&result), &messages, &error);
  g_assert_no_error (error);
  g_assert_nonnull (deleted);
  g_object_unref (result);
}

static void
assert_figures (Fixture         *f,
                double           month_cost,
                gboolean         estimated,
                double           share,
                CriaBudgetLevel  level)
{
  g_assert_cmpfloat_with_epsilon (cria_budget_get_month_cost (f->budget), month_cost, 1e-9);
  g_assert_cmpint (cria_budget_get_estimated (f->budget), ==, estimated);
  g_assert_cmpfloat_with_epsilon (cria_budget_get_share (f->budget), share, 1e-9);
  g_assert_cmpint (cria_budget_get_level (f->budget), ==, level);
}

static void
test_month_cost (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *last_month = NULL;
  g_autoptr(CriaMessageRecord) streaming = NULL;
  g_autoptr(CriaMessageRecord) unpriced = NULL;
  guint notifies;

  cria_budget_set_limit (f->budget, 10);
  settle (f);
  assert_figures (f, 0, FALSE, 0, CRIA_BUDGET_LEVEL_NONE);

  first = save_conversation (f, 1.25, FALSE);
  settle (f);
  assert_figures (f, 1.25, FALSE, 0.125, CRIA_BUDGET_LEVEL_NONE);

  /* An answer whose usage Cria estimated makes the total an estimate. */
  second = save_conversation (f, 0.5, TRUE);
  settle (f);
  assert_figures (f, 1.75, TRUE, 0.175, CRIA_BUDGET_LEVEL_NONE);

  /* Last month's answers are last month's. */
  last_month = save_conversation_at (f, 3.0, FALSE, this_month_start () - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
  settle (f);
  assert_figures (f, 1.75, TRUE, 0.175, CRIA_BUDGET_LEVEL_NONE);

  /* An answer still streaming counts once it has ended; one without a
   * price adds nothing. */
  streaming = make_answer (2.0, FALSE, CRIA_MESSAGE_STATE_STREAMING, g_get_real_time ());
  cria_store_save_message (f->store, first, 2, streaming);
  unpriced = make_answer (-1, FALSE, CRIA_MESSAGE_STATE_COMPLETE, g_get_real_time ());
  cria_store_save_message (f->store, first, 3, unpriced);
  settle (f);
  assert_figures (f, 1.75, TRUE, 0.175, CRIA_BUDGET_LEVEL_NONE);
  streaming->state = CRIA_MESSAGE_STATE_COMPLETE;
  cria_store_save_message (f->store, first, 2, streaming);
  settle (f);
  assert_figures (f, 3.75, TRUE, 0.375, CRIA_BUDGET_LEVEL_NONE);

  /* Deleting takes its answers off the month. */
  delete_conversation (f, second);
  settle (f);
  assert_figures (f, 3.25, FALSE, 0.325, CRIA_BUDGET_LEVEL_NONE);
  delete_conversation (f, first);
  settle (f);
  assert_figures (f, 0, FALSE, 0, CRIA_BUDGET_LEVEL_NONE);

  /* A change that leaves the total as it was is no news. */
  notifies = f->n_month_cost_notifies;
  cria_store_rename_conversation (f->store, last_month, "Renamed");
  settle (f);
  g_assert_cmpuint (f->n_month_cost_notifies, ==, notifies);
}

static void
test_levels (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint level_notifies;

  /* $0.60 of $0.75 is 80 %, which 0.6 / 0.75 misses by a rounding error
   * in binary: still 80 %. */
  first = save_conversation (f, 0.1, FALSE);
  second = save_conversation (f, 0.5, FALSE);
  cria_budget_set_limit (f->budget, 0.75);
  settle (f);
  assert_figures (f, 0.6, FALSE, 0.8, CRIA_BUDGET_LEVEL_NEAR);

  /* The share and level follow a new limit at once, before any answer. */
  cria_budget_set_limit (f->budget, 0.6 / 0.79);
  assert_figures (f, 0.6, FALSE, 0.79, CRIA_BUDGET_LEVEL_NONE);
  settle (f);
  assert_figures (f, 0.6, FALSE, 0.79, CRIA_BUDGET_LEVEL_NONE);

  cria_budget_set_limit (f->budget, 0.6000001);
  assert_figures (f, 0.6, FALSE, 0.6 / 0.6000001, CRIA_BUDGET_LEVEL_NEAR);
  cria_budget_set_limit (f->budget, 0.6);
  assert_figures (f, 0.6, FALSE, 1.0, CRIA_BUDGET_LEVEL_OVER);
  cria_budget_set_limit (f->budget, 0.375);
  assert_figures (f, 0.6, FALSE, 1.6, CRIA_BUDGET_LEVEL_OVER);
  settle (f);

  /* Spending crosses a threshold. */
  cria_budget_set_limit (f->budget, 2.0);
  settle (f);
  assert_figures (f, 0.6, FALSE, 0.3, CRIA_BUDGET_LEVEL_NONE);
  level_notifies = f->n_level_notifies;
  g_free (second);
  second = save_conversation (f, 1.1, FALSE);
  settle (f);
  assert_figures (f, 1.7, FALSE, 0.85, CRIA_BUDGET_LEVEL_NEAR);
  g_assert_cmpuint (f->n_level_notifies, ==, level_notifies + 1);
  g_free (second);
  second = save_conversation (f, 0.05, FALSE);
  settle (f);
  assert_figures (f, 1.75, FALSE, 0.875, CRIA_BUDGET_LEVEL_NEAR);
  /* Notified on change only. */
  g_assert_cmpuint (f->n_level_notifies, ==, level_notifies + 1);
  g_free (second);
  second = save_conversation (f, 0.25, FALSE);
  settle (f);
  assert_figures (f, 2.0, FALSE, 1.0, CRIA_BUDGET_LEVEL_OVER);
  g_assert_cmpuint (f->n_level_notifies, ==, level_notifies + 2);

  /* Deleting brings it back under. */
  delete_conversation (f, first);
  settle (f);
  assert_figures (f, 1.9, FALSE, 0.95, CRIA_BUDGET_LEVEL_NEAR);
}

static void
test_no_limit (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  /* Made without a budget: nothing asked, whatever is saved. */
  first = save_conversation (f, 1.5, TRUE);
  settle (f);
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, 0);
  assert_figures (f, 0, FALSE, 0, CRIA_BUDGET_LEVEL_NONE);

  /* A limit asks at once, and catches up with what was saved. */
  cria_budget_set_limit (f->budget, 2.0);
  g_assert_true (_cria_budget_get_querying (f->budget));
  settle (f);
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, 1);
  assert_figures (f, 1.5, TRUE, 0.75, CRIA_BUDGET_LEVEL_NONE);

  /* The same limit again is no change. */
  cria_budget_set_limit (f->budget, 2.0);
  g_assert_false (_cria_budget_get_querying (f->budget));

  /* Turned off: no figures, and the query under way is dropped. */
  _cria_store_hold_worker (f->store);
  cria_budget_refresh (f->budget);
  g_assert_true (_cria_budget_get_querying (f->budget));
  cria_budget_set_limit (f->budget, 0);
  g_assert_false (_cria_budget_get_querying (f->budget));
  assert_figures (f, 0, FALSE, 0, CRIA_BUDGET_LEVEL_NONE);
  g_assert_cmpfloat (cria_budget_get_limit (f->budget), ==, 0);
  _cria_store_release_worker (f->store);
  second = save_conversation (f, 1.0, FALSE);
  settle (f);
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, 2);
  assert_figures (f, 0, FALSE, 0, CRIA_BUDGET_LEVEL_NONE);

  cria_budget_set_limit (f->budget, 2.0);
  settle (f);
  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, 3);
  assert_figures (f, 2.5, TRUE, 1.25, CRIA_BUDGET_LEVEL_OVER);
}

static void
test_coalesced (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CriaConversationRecord) record = cria_conversation_record_new (NULL);
  guint before;

  cria_budget_set_limit (f->budget, 100);
  settle (f);
  before = _cria_budget_get_n_queries (f->budget);

  /* Eleven writes, each announced: the first starts a query, the ten that
   * come while it runs make one more. */
  _cria_store_hold_worker (f->store);
  record->title = g_strdup ("Many answers");
  record->created = record->updated = g_get_real_time ();
  cria_store_save_conversation (f->store, record);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(CriaMessageRecord) answer = make_answer (0.5, FALSE, CRIA_MESSAGE_STATE_COMPLETE,
                                                         g_get_real_time ());

      cria_store_save_message (f->store, record->id, i, answer);
    }
  _cria_store_release_worker (f->store);
  settle (f);

  g_assert_cmpuint (_cria_budget_get_n_queries (f->budget), ==, before + 2);
  assert_figures (f, 5.0, FALSE, 0.05, CRIA_BUDGET_LEVEL_NONE);
}

/* Disposed while its query is under way: the answer, when it comes, finds
 * nothing to update (the sanitizer run would see a budget used after it was
 * freed). */
static void
test_dispose_while_querying (Fixture       *f,
                             gconstpointer  data)
{
  _cria_store_hold_worker (f->store);
  cria_budget_set_limit (f->budget, 5);
  g_assert_true (_cria_budget_get_querying (f->budget));
  g_assert_finalize_object (g_steal_pointer (&f->budget));
  _cria_store_release_worker (f->store);

  /* Done after the query: its answer has come back. */
  flush (f->store);
}

int
main (int   argc,
      char *argv[])
{
  cria_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/budget/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("month-cost", test_month_cost);
  ADD ("levels", test_levels);
  ADD ("no-limit", test_no_limit);
  ADD ("coalesced", test_coalesced);
  ADD ("dispose-while-querying", test_dispose_while_querying);
#undef ADD

  return g_test_run ();
}

/* test-spending-csv.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The spending table as CSV.
 */

#include <locale.h>
#include <string.h>

#include "cria-spending-csv.h"

#define HEADER "date,model,answers,tokens_in,tokens_out,cost_usd,estimated_answers,unpriced_answers\r\n"

static CriaSpendingRow *
make_row (const char *model,
          gint64      answers,
          double      cost)
{
  CriaSpendingRow *row = cria_spending_row_new (model);

  row->answers = answers;
  row->tokens_in = answers * 100;
  row->tokens_out = answers * 10;
  row->cost = cost;
  row->estimated = answers / 2;
  row->unpriced = answers / 3;

  return row;
}

/* A report of @n_periods days from @first (µs), with no rows yet. */
static CriaSpending *
make_spending (gint64 first,
               guint  n_periods)
{
  CriaSpending *spending = g_new0 (CriaSpending, 1);

  spending->n_periods = n_periods;
  spending->edges = g_new (gint64, n_periods + 1);
  spending->periods = g_new0 (GPtrArray *, n_periods);
  for (guint i = 0; i <= n_periods; i++)
    spending->edges[i] = first + i * G_TIME_SPAN_DAY;
  for (guint i = 0; i < n_periods; i++)
    spending->periods[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  spending->range_models = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  spending->all_time_models = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  spending->top_conversations =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_conversation_free);

  return spending;
}

static char *
to_csv (const CriaSpending *spending,
        const char         *zone_id)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_id);
  gsize length = 0;
  char *csv;

  g_assert_nonnull (zone);
  csv = cria_spending_to_csv (spending, zone, &length);
  g_assert_cmpuint (length, ==, strlen (csv));
  g_assert_true (g_utf8_validate (csv, -1, NULL));

  return csv;
}

/* µs since 1970 of 2026-03-01 00:00 UTC. */
#define MARCH_1 G_GINT64_CONSTANT (1772323200000000)

/* A header line, then one line per period and model in the report's order,
 * every line ending in CRLF; periods without answers have no line. */
static void
test_lines (void)
{
  g_autoptr(CriaSpending) spending = make_spending (MARCH_1, 3);
  g_autofree char *csv = NULL;
  g_autofree char *empty_csv = NULL;
  g_autoptr(CriaSpending) empty = make_spending (MARCH_1, 2);

  g_ptr_array_add (spending->periods[0], make_row ("model-b", 3, 0.25));
  g_ptr_array_add (spending->periods[0], make_row ("model-a", 1, 0.125));
  g_ptr_array_add (spending->periods[2], make_row ("", 6, 0));

  csv = to_csv (spending, "UTC");
  g_assert_cmpstr (csv, ==,
                   HEADER
                   "2026-03-01,model-b,3,300,30,0.25,1,1\r\n"
                   "2026-03-01,model-a,1,100,10,0.125,0,0\r\n"
                   "2026-03-03,,6,600,60,0,3,2\r\n");

  empty_csv = to_csv (empty, "UTC");
  g_assert_cmpstr (empty_csv, ==, HEADER);

  /* No length wanted. */
  {
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autofree char *again = cria_spending_to_csv (spending, utc, NULL);

    g_assert_cmpstr (again, ==, csv);
  }
}

/* A period's date is its start's day in the zone given. */
static void
test_dates (void)
{
  /* Midnight in Kathmandu (+05:45) on March 2 is 18:15 UTC on March 1. */
  g_autoptr(CriaSpending) spending = make_spending (MARCH_1 + 18 * G_TIME_SPAN_HOUR + 15 * G_TIME_SPAN_MINUTE, 2);
  g_autofree char *kathmandu = NULL;
  g_autofree char *utc = NULL;

  g_ptr_array_add (spending->periods[0], make_row ("m", 1, 1));
  g_ptr_array_add (spending->periods[1], make_row ("m", 1, 1));

  kathmandu = to_csv (spending, "Asia/Kathmandu");
  g_assert_cmpstr (kathmandu, ==, HEADER "2026-03-02,m,1,100,10,1,0,0\r\n" "2026-03-03,m,1,100,10,1,0,0\r\n");
  utc = to_csv (spending, "UTC");
  g_assert_cmpstr (utc, ==, HEADER "2026-03-01,m,1,100,10,1,0,0\r\n" "2026-03-02,m,1,100,10,1,0,0\r\n");
}

/* Fields with a comma, a quote or a line break are quoted, quotes doubled. */
static void
test_quoting (void)
{
  g_autoptr(CriaSpending) spending = make_spending (MARCH_1, 1);
  g_autofree char *csv = NULL;

  g_ptr_array_add (spending->periods[0], make_row ("llama, large", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("the \"best\" one", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("two\nlines", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("crlf\r\nmodel", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("plain'quote;semi", 1, 1));

  csv = to_csv (spending, "UTC");
  g_assert_cmpstr (csv, ==,
                   HEADER
                   "2026-03-01,\"llama, large\",1,100,10,1,0,0\r\n"
                   "2026-03-01,\"the \"\"best\"\" one\",1,100,10,1,0,0\r\n"
                   "2026-03-01,\"two\nlines\",1,100,10,1,0,0\r\n"
                   "2026-03-01,\"crlf\r\nmodel\",1,100,10,1,0,0\r\n"
                   "2026-03-01,plain'quote;semi,1,100,10,1,0,0\r\n");
}

/* A model name a spreadsheet would run as a formula is kept text. */
static void
test_formula_guard (void)
{
  g_autoptr(CriaSpending) spending = make_spending (MARCH_1, 1);
  g_autofree char *csv = NULL;

  g_ptr_array_add (spending->periods[0], make_row ("=HYPERLINK(\"http://x\")", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("+1", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("-2+3", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("@SUM(A1)", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("\t=1", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("\r=1", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("a=1", 1, 1));

  csv = to_csv (spending, "UTC");
  g_assert_cmpstr (csv, ==,
                   HEADER
                   "2026-03-01,\"'=HYPERLINK(\"\"http://x\"\")\",1,100,10,1,0,0\r\n"
                   "2026-03-01,'+1,1,100,10,1,0,0\r\n"
                   "2026-03-01,'-2+3,1,100,10,1,0,0\r\n"
                   "2026-03-01,'@SUM(A1),1,100,10,1,0,0\r\n"
                   "2026-03-01,'\t=1,1,100,10,1,0,0\r\n"
                   "2026-03-01,\"'\r=1\",1,100,10,1,0,0\r\n"
                   "2026-03-01,a=1,1,100,10,1,0,0\r\n");
}

static const char costs_csv[] =
  HEADER
  "2026-03-01,a,1,100,10,0.5,0,0\r\n"
  "2026-03-01,b,1,100,10,1234567.25,0,0\r\n"
  "2026-03-01,c,1,100,10,0.0000000123,0,0\r\n"
  "2026-03-01,d,1,100,10,1.2345678901,0,0\r\n"
  "2026-03-01,e,1,100,10,0,0,0\r\n"
  "2026-03-01,f,1,100,10,0,0,0\r\n"
  "2026-03-01,g,1,100,10,0.00003,0,0\r\n";

static CriaSpending *
make_costs (void)
{
  CriaSpending *spending = make_spending (MARCH_1, 1);

  g_ptr_array_add (spending->periods[0], make_row ("a", 1, 0.5));
  g_ptr_array_add (spending->periods[0], make_row ("b", 1, 1234567.25));
  g_ptr_array_add (spending->periods[0], make_row ("c", 1, 1.23e-8));
  g_ptr_array_add (spending->periods[0], make_row ("d", 1, 1.23456789012345));
  g_ptr_array_add (spending->periods[0], make_row ("e", 1, 0));
  g_ptr_array_add (spending->periods[0], make_row ("f", 1, -0.0));
  g_ptr_array_add (spending->periods[0], make_row ("g", 1, 3e-5));

  return spending;
}

/* Costs with a point and at most 10 decimals, no grouping, no exponent,
 * in the C locale and in German (where printf writes "0,5"). */
static void
test_decimals (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  g_autoptr(CriaSpending) spending = make_costs ();
  g_autofree char *c_csv = NULL;

  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  c_csv = to_csv (spending, "UTC");
  g_assert_cmpstr (c_csv, ==, costs_csv);

  if (setlocale (LC_ALL, "de_DE.UTF-8") != NULL)
    {
      g_autofree char *german = g_strdup_printf ("%.1f", 0.5);
      g_autofree char *de_csv = to_csv (spending, "UTC");

      /* The locale is on. */
      g_assert_cmpstr (german, ==, "0,5");
      g_assert_cmpstr (de_csv, ==, costs_csv);
    }
  else if (g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("de_DE.UTF-8 was not compiled into %s although its sources exist", CRIA_TEST_LOCPATH);
      g_test_fail ();
    }
  else
    g_test_message ("the de_DE.UTF-8 locale is not available: only the C locale was checked");

  setlocale (LC_ALL, saved);
}

/* A model name from a server that is not UTF-8 comes out UTF-8. */
static void
test_invalid_utf8 (void)
{
  g_autoptr(CriaSpending) spending = make_spending (MARCH_1, 1);
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;

  g_ptr_array_add (spending->periods[0], make_row ("bad\xff\xfe name", 1, 1));
  g_ptr_array_add (spending->periods[0], make_row ("=\xc3", 1, 1));

  csv = to_csv (spending, "UTC");
  expected = g_strconcat (HEADER, "2026-03-01,bad\xef\xbf\xbd\xef\xbf\xbd name,1,100,10,1,0,0\r\n",
                          "2026-03-01,'=\xef\xbf\xbd,1,100,10,1,0,0\r\n", NULL);
  g_assert_cmpstr (csv, ==, expected);
}

/* The rows' own helpers: copy, add, total. */
static void
test_rows (void)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) cria_spending_row_free);
  g_autoptr(CriaSpendingRow) copy = NULL;
  g_autoptr(CriaSpendingRow) total = NULL;
  g_autoptr(CriaSpendingRow) none = NULL;

  g_ptr_array_add (rows, make_row ("a", 2, 0.5));
  g_ptr_array_add (rows, make_row ("b", 3, 0.25));
  copy = cria_spending_row_copy (g_ptr_array_index (rows, 1));
  g_assert_cmpstr (copy->model, ==, "b");
  g_assert_true (copy->model != ((CriaSpendingRow *) g_ptr_array_index (rows, 1))->model);
  cria_spending_row_add (copy, g_ptr_array_index (rows, 0));
  g_assert_cmpstr (copy->model, ==, "b");
  g_assert_cmpint (copy->answers, ==, 5);
  g_assert_cmpfloat (copy->cost, ==, 0.75);

  total = cria_spending_rows_total (rows);
  g_assert_null (total->model);
  g_assert_cmpint (total->answers, ==, 5);
  g_assert_cmpint (total->tokens_in, ==, 500);
  g_assert_cmpint (total->tokens_out, ==, 50);
  g_assert_cmpfloat (total->cost, ==, 0.75);
  g_assert_cmpint (total->estimated, ==, 2);
  g_assert_cmpint (total->unpriced, ==, 1);

  g_ptr_array_set_size (rows, 0);
  none = cria_spending_rows_total (rows);
  g_assert_cmpint (none->answers, ==, 0);
  g_assert_cmpfloat (none->cost, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The test's own compiled locales (see tests/ui/meson.build). */
  g_setenv ("LOCPATH", CRIA_TEST_LOCPATH, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spending-csv/lines", test_lines);
  g_test_add_func ("/spending-csv/dates", test_dates);
  g_test_add_func ("/spending-csv/quoting", test_quoting);
  g_test_add_func ("/spending-csv/formula-guard", test_formula_guard);
  g_test_add_func ("/spending-csv/decimals", test_decimals);
  g_test_add_func ("/spending-csv/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/spending-csv/rows", test_rows);

  return g_test_run ();
}

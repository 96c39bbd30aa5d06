/* test-spending-periods.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The periods spending is shown in: local days, weeks and months.
 */

#include <locale.h>

#include "cria-spending-periods.h"

static GDateTime *
local_date_time (const char *zone_id,
                 int         year,
                 int         month,
                 int         day,
                 int         hour,
                 int         minute)
{
  g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (zone_id);

  g_assert_nonnull (zone);

  return g_date_time_new (zone, year, month, day, hour, minute, 0);
}

static gint64
local_time (const char *zone_id,
            int         year,
            int         month,
            int         day,
            int         hour,
            int         minute)
{
  g_autoptr(GDateTime) time = local_date_time (zone_id, year, month, day, hour, minute);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static gint64
utc_time (int year,
          int month,
          int day,
          int hour,
          int minute)
{
  return local_time ("UTC", year, month, day, hour, minute);
}

/* Days run from local midnight to local midnight: 23 hours the day clocks
 * go forward, 25 the day they go back. */
static void
test_days_dst (void)
{
  g_autoptr(GDateTime) spring = local_date_time ("America/New_York", 2026, 3, 10, 9, 30);
  g_autoptr(GDateTime) autumn = local_date_time ("America/New_York", 2026, 11, 1, 23, 59);
  g_autofree gint64 *edges = NULL;
  guint n_edges = 0;

  edges = cria_spending_day_edges (spring, 5, &n_edges);
  g_assert_cmpuint (n_edges, ==, 6);
  /* March 6, 7, 8 (23 hours), 9, 10, and the end of the 10th. */
  g_assert_cmpint (edges[0], ==, utc_time (2026, 3, 6, 5, 0));
  g_assert_cmpint (edges[1] - edges[0], ==, 24 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (edges[2] - edges[1], ==, 24 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (edges[3] - edges[2], ==, 23 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (edges[3], ==, utc_time (2026, 3, 9, 4, 0));
  g_assert_cmpint (edges[4] - edges[3], ==, 24 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (edges[5], ==, utc_time (2026, 3, 11, 4, 0));
  g_clear_pointer (&edges, g_free);

  /* The last day is the day of now, a minute before its end. */
  edges = cria_spending_day_edges (autumn, 2, &n_edges);
  g_assert_cmpuint (n_edges, ==, 3);
  g_assert_cmpint (edges[0], ==, utc_time (2026, 10, 31, 4, 0));
  g_assert_cmpint (edges[1], ==, utc_time (2026, 11, 1, 4, 0));
  g_assert_cmpint (edges[2] - edges[1], ==, 25 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (edges[2], ==, utc_time (2026, 11, 2, 5, 0));
  g_clear_pointer (&edges, g_free);

  /* One day: its start and its end. */
  edges = cria_spending_day_edges (autumn, 1, NULL);
  g_assert_cmpint (edges[0], ==, utc_time (2026, 11, 1, 4, 0));
  g_assert_cmpint (edges[1], ==, utc_time (2026, 11, 2, 5, 0));
}

/* Midnights off the UTC hour are still on a quarter hour, which the
 * store's sums need. */
static void
test_days_quarter_hours (void)
{
  static const char * const zones[] = {
    "Asia/Kathmandu", "Pacific/Chatham", "Asia/Kolkata", "Australia/Eucla", "America/St_Johns", "UTC",
  };

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GDateTime) now = local_date_time (zones[z], 2027, 4, 20, 15, 0);
      g_autofree gint64 *edges = NULL;
      guint n_edges = 0;

      edges = cria_spending_day_edges (now, 400, &n_edges);
      g_assert_cmpuint (n_edges, ==, 401);
      for (guint i = 0; i < n_edges; i++)
        {
          g_assert_cmpint (edges[i] % (15 * G_TIME_SPAN_MINUTE), ==, 0);
          if (i > 0)
            {
              g_assert_cmpint (edges[i] - edges[i - 1], >=, 23 * G_TIME_SPAN_HOUR);
              g_assert_cmpint (edges[i] - edges[i - 1], <=, 25 * G_TIME_SPAN_HOUR);
            }
        }
    }

  /* Kathmandu, +05:45: midnight is 18:15 UTC the day before. */
  {
    g_autoptr(GDateTime) now = local_date_time ("Asia/Kathmandu", 2025, 2, 1, 0, 5);
    g_autofree gint64 *edges = cria_spending_day_edges (now, 1, NULL);

    g_assert_cmpint (edges[0], ==, utc_time (2025, 1, 31, 18, 15));
  }
  /* The Chatham Islands: +13:45 in summer, +12:45 in winter, and a 25-hour
   * day when the clocks go back (April 4, 2027). */
  {
    g_autoptr(GDateTime) summer = local_date_time ("Pacific/Chatham", 2027, 2, 1, 0, 5);
    g_autoptr(GDateTime) winter = local_date_time ("Pacific/Chatham", 2027, 8, 1, 0, 5);
    g_autoptr(GDateTime) change = local_date_time ("Pacific/Chatham", 2027, 4, 4, 12, 0);
    g_autofree gint64 *summer_edges = cria_spending_day_edges (summer, 1, NULL);
    g_autofree gint64 *winter_edges = cria_spending_day_edges (winter, 1, NULL);
    g_autofree gint64 *change_edges = cria_spending_day_edges (change, 1, NULL);

    g_assert_cmpint (summer_edges[0], ==, utc_time (2027, 1, 31, 10, 15));
    g_assert_cmpint (winter_edges[0], ==, utc_time (2027, 7, 31, 11, 15));
    g_assert_cmpint (change_edges[1] - change_edges[0], ==, 25 * G_TIME_SPAN_HOUR);
  }
}

/* Where the clocks skip midnight (Chile goes to summer time at 24:00), the
 * day starts when its first minute does: 01:00. */
static void
test_days_midnight_skipped (void)
{
  g_autoptr(GDateTime) now = local_date_time ("America/Santiago", 2026, 9, 6, 12, 0);
  g_autofree gint64 *edges = cria_spending_day_edges (now, 2, NULL);

  g_assert_cmpint (edges[0], ==, utc_time (2026, 9, 5, 4, 0));
  g_assert_cmpint (edges[1], ==, utc_time (2026, 9, 6, 4, 0));
  g_assert_cmpint (edges[2], ==, utc_time (2026, 9, 7, 3, 0));
  g_assert_cmpint (edges[2] - edges[1], ==, 23 * G_TIME_SPAN_HOUR);
}

/* The week starts on the first weekday given, at local midnight. */
static void
test_week_start (void)
{
  /* Sunday March 8, 2026, the day New York goes to summer time. */
  g_autoptr(GDateTime) sunday = local_date_time ("America/New_York", 2026, 3, 8, 10, 0);
  g_autoptr(GDateTime) saturday = local_date_time ("America/New_York", 2026, 3, 7, 23, 59);
  g_autoptr(GDateTime) monday = local_date_time ("America/New_York", 2026, 3, 9, 0, 0);
  /* Wednesday April 1, 2026: a week that started in March. */
  g_autoptr(GDateTime) wednesday = local_date_time ("Europe/Berlin", 2026, 4, 1, 8, 0);

  g_assert_cmpint (cria_spending_week_start (sunday, 1), ==, local_time ("America/New_York", 2026, 3, 2, 0, 0));
  g_assert_cmpint (cria_spending_week_start (sunday, 7), ==, local_time ("America/New_York", 2026, 3, 8, 0, 0));
  g_assert_cmpint (cria_spending_week_start (saturday, 1), ==, local_time ("America/New_York", 2026, 3, 2, 0, 0));
  g_assert_cmpint (cria_spending_week_start (saturday, 7), ==, local_time ("America/New_York", 2026, 3, 1, 0, 0));
  g_assert_cmpint (cria_spending_week_start (saturday, 6), ==, local_time ("America/New_York", 2026, 3, 7, 0, 0));
  g_assert_cmpint (cria_spending_week_start (monday, 1), ==, local_time ("America/New_York", 2026, 3, 9, 0, 0));
  g_assert_cmpint (cria_spending_week_start (monday, 7), ==, local_time ("America/New_York", 2026, 3, 8, 0, 0));
  g_assert_cmpint (cria_spending_week_start (wednesday, 1), ==, local_time ("Europe/Berlin", 2026, 3, 30, 0, 0));
  g_assert_cmpint (cria_spending_week_start (wednesday, 7), ==, local_time ("Europe/Berlin", 2026, 3, 29, 0, 0));
  /* The week across the change of clocks is 167 hours. */
  g_assert_cmpint (cria_spending_week_start (monday, 1) - cria_spending_week_start (sunday, 1), ==,
                   167 * G_TIME_SPAN_HOUR);
}

/* Months start on the 1st at local midnight; the end is the next month's
 * start, across years and leap days. */
static void
test_months (void)
{
  g_autoptr(GDateTime) december = local_date_time ("Asia/Kathmandu", 2026, 12, 31, 23, 50);
  g_autoptr(GDateTime) leap = local_date_time ("America/New_York", 2028, 2, 29, 12, 0);
  g_autoptr(GDateTime) february = local_date_time ("UTC", 2026, 2, 14, 0, 0);
  g_autoptr(GDateTime) first = local_date_time ("Pacific/Chatham", 2027, 2, 1, 0, 5);
  g_autoptr(GDateTime) march = local_date_time ("America/New_York", 2026, 3, 31, 23, 50);

  g_assert_cmpint (cria_spending_month_start (december), ==, local_time ("Asia/Kathmandu", 2026, 12, 1, 0, 0));
  g_assert_cmpint (cria_spending_month_end (december), ==, local_time ("Asia/Kathmandu", 2027, 1, 1, 0, 0));
  g_assert_cmpint (cria_spending_month_end (december), ==, utc_time (2026, 12, 31, 18, 15));

  g_assert_cmpint (cria_spending_month_start (leap), ==, local_time ("America/New_York", 2028, 2, 1, 0, 0));
  g_assert_cmpint (cria_spending_month_end (leap), ==, local_time ("America/New_York", 2028, 3, 1, 0, 0));
  g_assert_cmpint (cria_spending_month_end (leap) - cria_spending_month_start (leap), ==, 29 * G_TIME_SPAN_DAY);
  g_assert_cmpint (cria_spending_month_end (february) - cria_spending_month_start (february), ==,
                   28 * G_TIME_SPAN_DAY);

  /* Five minutes into February is February. */
  g_assert_cmpint (cria_spending_month_start (first), ==, utc_time (2027, 1, 31, 10, 15));

  /* March in New York is an hour short of 31 days. */
  g_assert_cmpint (cria_spending_month_end (march) - cria_spending_month_start (march), ==,
                   31 * G_TIME_SPAN_DAY - G_TIME_SPAN_HOUR);

  /* The last month GDateTime holds ends after every time. */
  {
    g_autoptr(GDateTime) last = local_date_time ("UTC", 9999, 12, 15, 0, 0);
    g_autofree gint64 *edges = cria_spending_day_edges (last, 1, NULL);

    g_assert_cmpint (cria_spending_month_end (last), ==, G_MAXINT64);
    g_assert_cmpint (cria_spending_month_start (last), ==, utc_time (9999, 12, 1, 0, 0));
    g_assert_cmpint (edges[1], ==, utc_time (9999, 12, 16, 0, 0));
  }
}

/* The first weekday comes from LC_TIME: Sunday in the C locale (glibc's is
 * the American week), Monday in German. */
static void
test_first_weekday (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_TIME, NULL));

  g_assert_nonnull (setlocale (LC_TIME, "C.UTF-8"));
  g_assert_cmpint (cria_spending_first_weekday (), ==, 7);

  if (setlocale (LC_TIME, "de_DE.UTF-8") != NULL)
    g_assert_cmpint (cria_spending_first_weekday (), ==, 1);
  else if (g_file_test ("/usr/share/i18n/locales/de_DE", G_FILE_TEST_IS_REGULAR))
    {
      g_test_message ("de_DE.UTF-8 was not compiled into %s although its sources exist", CRIA_TEST_LOCPATH);
      g_test_fail ();
    }
  else
    g_test_message ("the de_DE.UTF-8 locale is not available: only the C locale was checked");

  setlocale (LC_TIME, saved);
}

int
main (int   argc,
      char *argv[])
{
  /* The test's own compiled locales (see tests/ui/meson.build). */
  g_setenv ("LOCPATH", CRIA_TEST_LOCPATH, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/spending-periods/days-dst", test_days_dst);
  g_test_add_func ("/spending-periods/days-quarter-hours", test_days_quarter_hours);
  g_test_add_func ("/spending-periods/days-midnight-skipped", test_days_midnight_skipped);
  g_test_add_func ("/spending-periods/week-start", test_week_start);
  g_test_add_func ("/spending-periods/months", test_months);
  g_test_add_func ("/spending-periods/first-weekday", test_first_weekday);

  return g_test_run ();
}

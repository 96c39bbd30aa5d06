/* cria-spending-periods.c
 *
 * Copyright 2026 The Cria authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#ifdef HAVE__NL_TIME_FIRST_WEEKDAY
#include <langinfo.h>
#endif

#include "cria-spending-periods.h"

/* The start of the day @date in @zone, in µs since 1970. Where the clock
 * skips midnight (a change to summer time at 00:00), the day starts when
 * the clock starts it: GLib moves a time in the gap forward. Past the end
 * of year 9999, which GDateTime cannot hold: G_MAXINT64. */
static gint64
local_midnight (GTimeZone   *zone,
                const GDate *date)
{
  g_autoptr(GDateTime) midnight = g_date_time_new (zone,
                                                   g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date),
                                                   0, 0, 0);

  if (midnight == NULL)
    return G_MAXINT64;

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC + g_date_time_get_microsecond (midnight);
}

/* @now's day in its own time zone. */
static void
get_date (GDateTime *now,
          GDate     *date)
{
  int year, month, day;

  g_date_time_get_ymd (now, &year, &month, &day);
  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

gint64 *
cria_spending_day_edges (GDateTime *now,
                         guint      n_days,
                         guint     *n_edges)
{
  GTimeZone *zone;
  gint64 *edges;
  GDate date;

  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (n_days > 0, NULL);

  zone = g_date_time_get_timezone (now);
  get_date (now, &date);
  g_date_subtract_days (&date, n_days - 1);

  /* Midnight by midnight on the calendar, not 24 hours apart: a day across
   * a change of clocks is 23 or 25 hours long. */
  edges = g_new (gint64, n_days + 1);
  for (guint i = 0; i <= n_days; i++)
    {
      edges[i] = local_midnight (zone, &date);
      g_date_add_days (&date, 1);
    }

  if (n_edges != NULL)
    *n_edges = n_days + 1;

  return edges;
}

gint64
cria_spending_week_start (GDateTime *now,
                          int        first_weekday)
{
  GDate date;

  g_return_val_if_fail (now != NULL, 0);
  g_return_val_if_fail (first_weekday >= 1 && first_weekday <= 7, 0);

  get_date (now, &date);
  /* g_date_time_get_day_of_week(): 1 is Monday, 7 Sunday, as @first_weekday. */
  g_date_subtract_days (&date, (g_date_time_get_day_of_week (now) - first_weekday + 7) % 7);

  return local_midnight (g_date_time_get_timezone (now), &date);
}

gint64
cria_spending_month_start (GDateTime *now)
{
  GDate date;

  g_return_val_if_fail (now != NULL, 0);

  get_date (now, &date);
  g_date_set_day (&date, 1);

  return local_midnight (g_date_time_get_timezone (now), &date);
}

gint64
cria_spending_month_end (GDateTime *now)
{
  GDate date;

  g_return_val_if_fail (now != NULL, 0);

  get_date (now, &date);
  g_date_set_day (&date, 1);
  g_date_add_months (&date, 1);

  return local_midnight (g_date_time_get_timezone (now), &date);
}

int
cria_spending_first_weekday (void)
{
#ifdef HAVE__NL_TIME_FIRST_WEEKDAY
  /* As GtkCalendar reads it: the week's first day counts from the day
   * _NL_TIME_WEEK_1STDAY names (a date, 19971130 a Sunday, 19971201 a
   * Monday), _NL_TIME_FIRST_WEEKDAY of them being the first (1 that day). */
  union { unsigned int word; char *string; } langinfo;
  int first_weekday;
  int origin;
  int sunday_based;

  langinfo.string = nl_langinfo (_NL_TIME_FIRST_WEEKDAY);
  first_weekday = langinfo.string[0];
  langinfo.string = nl_langinfo (_NL_TIME_WEEK_1STDAY);
  if (langinfo.word == 19971130)
    origin = 0;
  else if (langinfo.word == 19971201)
    origin = 1;
  else
    return 1;

  if (first_weekday < 1 || first_weekday > 7)
    return 1;

  /* 0 is Sunday … 6 Saturday, then 1 Monday … 7 Sunday. */
  sunday_based = (origin + first_weekday - 1) % 7;

  return sunday_based == 0 ? 7 : sunday_based;
#else
  return 1;
#endif
}
